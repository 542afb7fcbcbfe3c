"""Demo story rounds: two per demo municipality, about 300 stories over their wijken.

The stories come from the evaluation set written for this project
(``buurtcore/text/tests/data/eval_stories.jsonl``, Dutch stories only), each used once,
with a short opening or closing from the small templates below (naming the wijk, or who
tells); the themes come from its theme list. Answers to the sliders and the triangle
lean on the story's theme, so the round's charts show patterns. Every story is told
through the service, like a resident would (masked, answers normalised; a few recorded
by the community worker at a kitchen table), then each round is analysed once, so the
round page shows themes and similar stories straight away. One round per municipality
ran last summer and is closed; the other is open. Running it twice changes nothing.
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

STORIES_PER_ROUND = 76

ROUNDS = [
    {
        "slug": "verhalen-zwolle-centrum-2026",
        "title": "Verhalen uit Zwolle-Centrum",
        "organisation": "samenkracht-centrum",
        "worker": "opbouwwerker",
        "areas": ["WK019310", "WK019311", "WK019312", "WK019313", "WK019314"],
        # days before today: opens, closes (negative: still open), and stories told
        "period": (45, -45),
        "part": 0,
    },
    {
        "slug": "verhalen-maasoever-2026",
        "title": "Verhalen van de Maasoever",
        "organisation": "buurtwerk-maasoever",
        "worker": "opbouwwerker.rotterdam",
        "areas": ["WK059901", "WK059903", "WK059905"],
        "period": (45, -45),
        "part": 1,
    },
    {
        "slug": "verhalen-zwolle-wijken-zomer-2026",
        "title": "Verhalen uit de wijken van Zwolle, zomer 2026",
        "organisation": "samenkracht-centrum",
        "worker": "opbouwwerker",
        "areas": [
            "WK019320",
            "WK019321",
            "WK019322",
            "WK019330",
            "WK019331",
            "WK019332",
            "WK019340",
            "WK019341",
            "WK019350",
            "WK019351",
            "WK019352",
        ],
        "period": (160, 70),
        "part": 2,
    },
    {
        "slug": "verhalen-rotterdam-wijken-zomer-2026",
        "title": "Verhalen uit de Rotterdamse wijken, zomer 2026",
        "organisation": "buurtwerk-maasoever",
        "worker": "opbouwwerker.rotterdam",
        "areas": [
            "WK059904",
            "WK059906",
            "WK059908",
            "WK059910",
            "WK059912",
            "WK059914",
            "WK059915",
            "WK059916",
        ],
        "period": (150, 60),
        "part": 3,
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
#: Themes whose stories lean towards the young, or the old.
YOUNG_THEMES = {"jongeren", "spelen", "taal"}
OLD_THEMES = {"eenzaamheid", "ouderen", "gezondheid", "vervoer"}
ROLES = ["resident"] * 8 + ["volunteer", "professional"]
CONSENTS = ["public_anon"] * 6 + ["professionals"] * 3 + ["analysis"]
#: How the teller felt (dyad 0 = bad, 1 = good), leaning on the story's first theme.
MOOD = {
    "eenzaamheid": 0.25,
    "geldzorgen": 0.2,
    "veiligheid": 0.3,
    "overlast": 0.25,
    "afval": 0.3,
    "verkeer": 0.35,
    "gezondheid": 0.4,
    "vervoer": 0.4,
    "taal": 0.5,
    "jongeren": 0.5,
    "ouderen": 0.5,
    "groen": 0.7,
    "spelen": 0.65,
    "vrijwilligers": 0.8,
}
#: Who made the difference (triad: oneself, neighbours and friends, professionals).
TRIAD_LEAN = {
    "vrijwilligers": (3, 6, 1),
    "groen": (3, 5, 2),
    "eenzaamheid": (2, 5, 3),
    "geldzorgen": (2, 1, 7),
    "gezondheid": (2, 2, 6),
    "veiligheid": (1, 3, 6),
    "overlast": (2, 3, 5),
}
OPENINGS = [
    "Ik woon al {years} jaar in {wijk}.",
    "Dit speelt bij ons in {wijk}.",
    "In {wijk} merk ik het elke week.",
    "Over {wijk} wil ik dit kwijt.",
]
ROLE_OPENINGS = {
    "volunteer": "Als vrijwilliger in {wijk} hoor ik dit vaak.",
    "professional": "Ik werk in {wijk} en zie dit bij de mensen die ik spreek.",
}
CLOSINGS = [
    "Ik ben benieuwd wat anderen hiervan vinden.",
    "Ik hoop dat iemand hier iets mee doet.",
    "Bedankt dat ik dit mocht vertellen.",
]


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


def _questions() -> list[services.QuestionData]:
    return [
        services.QuestionData(QuestionKind.DYAD, "Hoe voelde u zich daarbij?", ["slecht", "goed"]),
        services.QuestionData(
            QuestionKind.DYAD, "Hoeveel kon u er zelf aan doen?", ["niets", "alles"]
        ),
        services.QuestionData(
            QuestionKind.TRIAD,
            "Wie maakte het verschil?",
            ["ikzelf", "buren en vrienden", "professionals"],
        ),
        services.QuestionData(
            QuestionKind.CHOICE, "Hoe vaak maakt u dit mee?", ["één keer", "soms", "vaak"]
        ),
    ]


def _round_data(spec: dict, themes: list[dict], areas: list[Area], org, now, closes_at=None):
    opens, closes = spec["period"]
    return services.RoundData(
        title=spec["title"],
        prompt=PROMPT,
        description="Cijfers vertellen niet alles. Wij horen graag wat u meemaakt in de buurt.",
        next_steps=NEXT_STEPS,
        areas=areas,
        opens_at=now - timedelta(days=opens),
        closes_at=closes_at or now - timedelta(days=closes),
        organisation=org,
        themes=[(t["label"], t["description"][:300]) for t in themes],
        questions=_questions(),
    )


def _round(spec: dict, themes: list[dict], worker: User, org: Organisation, now):
    """The round, open for stories; a round of the past stays open until its stories are
    told (then :func:`_close` sets its real end)."""
    areas = [a for a in (_area(code) for code in spec["areas"]) if a is not None]
    closes_at = max(now + timedelta(days=1), now - timedelta(days=spec["period"][1]))
    origin = Origin(actor=worker)
    story_round = services.create_round(
        data=_round_data(spec, themes, areas, org, now, closes_at),
        origin=origin,
        municipality=areas[0].municipality_code,
        slug=spec["slug"],
    )
    services.set_round_status(story_round=story_round, status="open", origin=origin)
    return story_round, areas


def _close(story_round: StoryRound, spec, themes, areas, worker, org, now) -> None:
    if spec["period"][1] <= 0:
        return
    origin = Origin(actor=worker)
    services.update_round(
        story_round=story_round,
        data=_round_data(spec, themes, areas, org, now),
        origin=origin,
    )
    services.set_round_status(story_round=story_round, status="closed", origin=origin)


def _answers(questions: dict, theme: str, role: str, rng: random.Random) -> dict:
    mood = MOOD.get(theme, 0.5)
    feel = min(1.0, max(0.0, rng.gauss(mood, 0.18)))
    agency = min(1.0, max(0.0, rng.gauss(0.6 if role == "volunteer" else 0.35, 0.2)))
    lean = TRIAD_LEAN.get(theme, (4, 3, 3))
    triad = [max(0, round(w + rng.gauss(0, 1.5))) for w in lean]
    feel_q, agency_q = questions["dyad"]
    return {
        feel_q.pk: round(feel, 2) if rng.random() > 0.08 else None,
        agency_q.pk: round(agency, 2) if rng.random() > 0.2 else None,
        questions["triad"][0].pk: triad if sum(triad) and rng.random() > 0.15 else None,
        questions["choice"][0].pk: rng.choices(range(3), weights=(2, 4, 3 + 3 * (mood < 0.4)))[0],
    }


def _age_band(theme: str, rng: random.Random) -> str:
    if theme in YOUNG_THEMES and rng.random() < 0.5:
        return rng.choice(["15-24", "25-44"])
    if theme in OLD_THEMES and rng.random() < 0.5:
        return "65+"
    return rng.choice(AGE_BANDS)


def _text(row: dict, wijk: Area, role: str, rng: random.Random) -> str:
    """The evaluation story, sometimes with an opening that names the wijk or a closing."""
    text = row["text"]
    draw = rng.random()
    name = wijk.short_name
    if role in ROLE_OPENINGS and draw < 0.7:
        text = f"{ROLE_OPENINGS[role].format(wijk=name)} {text}"
    elif draw < 0.45:
        opening = rng.choice(OPENINGS).format(wijk=name, years=rng.randint(2, 40))
        text = f"{opening} {text}"
    if rng.random() < 0.2:
        text = f"{text} {rng.choice(CLOSINGS)}"
    return text


def _tell(story_round, areas, picked, worker, now, spec, rng) -> None:
    opens, closes = spec["period"]
    first, last = opens - 1, max(closes, 0) + 1
    questions: dict[str, list] = {}
    for question in story_round.questions.all():
        questions.setdefault(question.kind, []).append(question)
    for i, row in enumerate(picked):
        theme = (row.get("themes") or [""])[0]
        role = rng.choice(ROLES)
        wijk = areas[rng.randrange(len(areas))] if i >= len(areas) else areas[i]
        kitchen_table = rng.random() < 0.1
        # some may be contacted, always through the worker (no addresses in demo data)
        contact = rng.random() < 0.15
        days_ago = first - (first - last) * i / max(1, len(picked) - 1)
        services.tell_story(
            story_round=story_round,
            data=services.StoryData(
                text=_text(row, wijk, role, rng),
                consent=CONSENTS[rng.randrange(len(CONSENTS))],
                area=wijk if i < len(areas) or rng.random() > 0.05 else None,
                may_contact=contact,
                contact_channel="worker" if contact else "",
                age_band=_age_band(theme, rng),
                teller_role=role,
                answers=_answers(questions, theme, role, rng),
                consent_how=rng.choice(["spoken", "paper"]) if kitchen_table else "online",
                told_at=now - timedelta(days=days_ago, hours=rng.randrange(12)),
            ),
            origin=Origin(actor=worker) if kitchen_table else Origin.system(),
            on_behalf=kitchen_table,
        )


@transaction.atomic
def load_demo_stories(*, stdout=None) -> list[str]:
    """Create the demo story rounds that do not exist yet; returns their slugs.

    Each round is analysed once, here; the analysis requests of its stories are
    coalesced into one task, which finds the round analysed and does nothing.
    """
    stories, themes = _data()
    order = random.Random("buurtbasis-demo-stories").sample(stories, len(stories))
    now = timezone.now()
    made = []
    for spec in ROUNDS:
        if StoryRound.objects.filter(slug=spec["slug"]).exists():
            continue
        worker = User.objects.filter(email=f"{spec['worker']}@{DEMO_DOMAIN}").first()
        org = Organisation.objects.filter(slug=spec["organisation"]).first()
        if worker is None or org is None or not any(_area(c) for c in spec["areas"]):
            continue
        rng = random.Random(spec["slug"])
        start = spec["part"] * STORIES_PER_ROUND
        picked = order[start : start + STORIES_PER_ROUND]
        with services.one_analysis_per_round():
            story_round, areas = _round(spec, themes, worker, org, now)
            _tell(story_round, areas, picked, worker, now, spec, rng)
            _close(story_round, spec, themes, areas, worker, org, now)
            # lexical here: encoding 300 stories with the embedding model would take
            # half a minute; the next analysis (a new story) adds the embeddings
            adapters.analyse_round(story_round, backend=adapters.LEXICAL)
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
