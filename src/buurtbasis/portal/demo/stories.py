"""Demo story rounds: one per demo municipality, with about fifty stories each.

The stories come from the evaluation set written for this project
(``buurtcore/text/tests/data/eval_stories.jsonl``, Dutch stories only), the themes from
its theme list. Every story is told through the service, like a resident would
(masked, answers normalised), then the round is analysed once so the round page shows
themes and similar stories straight away. Running it twice changes nothing.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from importlib import resources

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area
from buurtbasis.organisations.models import Organisation
from buurtbasis.platform.audit import Origin
from buurtbasis.stories import adapters, services
from buurtbasis.stories.models import QuestionKind, StoryRound

from .initiatives import DEMO_DOMAIN

STORIES_PER_ROUND = 50

ROUNDS = [
    {
        "slug": "verhalen-zwolle-centrum-2026",
        "title": "Verhalen uit Zwolle-Centrum",
        "organisation": "samenkracht-centrum",
        "worker": "opbouwwerker",
        "areas": ["WK019310", "WK019311", "WK019312", "WK019313", "WK019314"],
        "parity": 0,
    },
    {
        "slug": "verhalen-maasoever-2026",
        "title": "Verhalen van de Maasoever",
        "organisation": "buurtwerk-maasoever",
        "worker": "opbouwwerker.rotterdam",
        "areas": ["WK059901", "WK059903", "WK059905"],
        "parity": 1,
    },
]

PROMPT = (
    "Vertel over een moment in de afgelopen tijd waarop u dacht: dit gaat goed in onze buurt, "
    "of juist: dit moet anders."
)
NEXT_STEPS = (
    "In het voorjaar lezen wij de verhalen samen met bewoners op een avond in het buurthuis. "
    "Wat wij horen, nemen wij mee naar de gemeente."
)
AGE_BANDS = ["", "15-24", "25-44", "25-44", "45-64", "45-64", "65+", "65+"]
ROLES = ["resident"] * 8 + ["volunteer", "professional"]
CONSENTS = ["public_anon"] * 6 + ["professionals"] * 3 + ["analysis"]


def _data():
    folder = resources.files("buurtcore.text.tests.data")
    stories = [
        json.loads(line)
        for line in folder.joinpath("eval_stories.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    themes = json.loads(folder.joinpath("eval_themes.json").read_text("utf-8"))
    dutch = [s for s in stories if s.get("lang", "nl") == "nl" and s["id"][0] in "gpx"]
    return dutch, themes


def _area(code: str) -> Area | None:
    return Area.objects.filter(code=code).order_by("-year").first()


def _round(spec: dict, themes: list[dict], worker: User, org: Organisation, now):
    areas = [a for a in (_area(code) for code in spec["areas"]) if a is not None]
    data = services.RoundData(
        title=spec["title"],
        prompt=PROMPT,
        description="Cijfers vertellen niet alles. Wij horen graag wat u meemaakt in de buurt.",
        next_steps=NEXT_STEPS,
        areas=areas,
        opens_at=now - timedelta(days=45),
        closes_at=now + timedelta(days=45),
        organisation=org,
        themes=[(t["label"], t["description"][:300]) for t in themes],
        questions=[
            services.QuestionData(
                QuestionKind.DYAD, "Hoe voelde u zich daarbij?", ["slecht", "goed"]
            ),
            services.QuestionData(
                QuestionKind.TRIAD,
                "Wie maakte het verschil?",
                ["ikzelf", "buren en vrienden", "professionals"],
            ),
            services.QuestionData(
                QuestionKind.CHOICE, "Hoe vaak maakt u dit mee?", ["één keer", "soms", "vaak"]
            ),
        ],
    )
    origin = Origin(actor=worker)
    story_round = services.create_round(
        data=data, origin=origin, municipality=areas[0].municipality_code, slug=spec["slug"]
    )
    services.set_round_status(story_round=story_round, status="open", origin=origin)
    return story_round, areas


@transaction.atomic
def load_demo_stories(*, stdout=None) -> list[str]:
    """Create the demo story rounds that do not exist yet; returns their slugs."""
    stories, themes = _data()
    now = timezone.now()
    made = []
    for spec in ROUNDS:
        if StoryRound.objects.filter(slug=spec["slug"]).exists():
            continue
        worker = User.objects.filter(email=f"{spec['worker']}@{DEMO_DOMAIN}").first()
        org = Organisation.objects.filter(slug=spec["organisation"]).first()
        if worker is None or org is None or not any(_area(c) for c in spec["areas"]):
            continue
        story_round, areas = _round(spec, themes, worker, org, now)
        rng = random.Random(spec["slug"])
        questions = {q.kind: q for q in story_round.questions.all()}
        picked = stories[spec["parity"] :: 2][:STORIES_PER_ROUND]
        for i, row in enumerate(picked):
            answers = {
                questions["dyad"].pk: round(rng.random(), 2) if rng.random() > 0.1 else None,
                questions["triad"].pk: [rng.randint(0, 10) for _ in range(3)]
                if rng.random() > 0.15
                else None,
                questions["choice"].pk: rng.randrange(3),
            }
            if answers[questions["triad"].pk] == [0, 0, 0]:
                answers[questions["triad"].pk] = None
            days_ago = 40 - 40 * i // len(picked)
            services.tell_story(
                story_round=story_round,
                data=services.StoryData(
                    text=row["text"],
                    consent=CONSENTS[i % len(CONSENTS)],
                    area=areas[i % len(areas)],
                    age_band=rng.choice(AGE_BANDS),
                    teller_role=rng.choice(ROLES),
                    answers=answers,
                    told_at=now - timedelta(days=days_ago, hours=rng.randrange(12)),
                ),
                origin=Origin.system(),
            )
        adapters.analyse_round(story_round)
        made.append(spec["slug"])
        if stdout is not None:
            stdout.write(
                ngettext(
                    "Story round: %(title)s (%(n)d story).",
                    "Story round: %(title)s (%(n)d stories).",
                    len(picked),
                )
                % {"title": story_round.title, "n": len(picked)}
            )
    return made
