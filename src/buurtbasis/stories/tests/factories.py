"""Test data for story rounds. Other apps (the logbook, signals) may import these.

story_round = open_round()                     # open now, two wijken, themes and questions
worker = worker_for(story_round)               # community worker of the round's organisation
story, code = tell(story_round, "Tekst ...")   # through the service, like a resident
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.organisations.models import OrganisationKind, Role
from buurtbasis.platform.audit import Origin

from .. import services
from ..models import QuestionKind, RoundStatus


def area(code: str = "WK019301", name: str = "Wijk 01 Binnenstad") -> Area:
    gemeente, _ = Area.objects.get_or_create(
        year=2024,
        code=f"GM{code[2:6]}",
        defaults={"name": f"Gemeente {code[2:6]}", "level": "gemeente", "slug": f"gm{code[2:6]}"},
    )
    found, _ = Area.objects.get_or_create(
        year=2024,
        code=code,
        defaults={"name": name, "level": "wijk", "slug": code.lower(), "parent": gemeente},
    )
    return found


def welfare_org(municipality_area: Area | None = None):
    org = OrganisationFactory(kind=OrganisationKind.WELFARE)
    org.areas.set([municipality_area or area()])
    return org


def make_worker(organisation, **kwargs):
    return UserFactory(roles=[(Role.COMMUNITY_WORKER, organisation)], **kwargs)


def worker_for(story_round, **kwargs):
    return make_worker(story_round.organisation, **kwargs)


THEMES = [
    ("Eenzaamheid", "alleen zijn, niemand om mee te praten, weinig contact"),
    ("Groen", "bomen, park, grasveld, planten, moestuin"),
    ("Verkeer", "te hard rijden, oversteken, drempels, auto, fietsers"),
]


def round_data(areas, organisation, **overrides) -> services.RoundData:
    now = timezone.now()
    values = dict(
        title="Verhalen uit de wijk",
        prompt="Vertel over een moment dat u zich thuis voelde in de buurt.",
        areas=list(areas),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        organisation=organisation,
        next_steps="In juni bespreken we de verhalen in het buurthuis.",
        themes=list(THEMES),
        questions=[
            services.QuestionData(QuestionKind.DYAD, "Hoe voelde het?", ["slecht", "goed"]),
            services.QuestionData(
                QuestionKind.TRIAD, "Wie maakte het verschil?", ["ikzelf", "buren", "professionals"]
            ),
            services.QuestionData(QuestionKind.CHOICE, "Wanneer was het?", ["dit jaar", "eerder"]),
        ],
    )
    values.update(overrides)
    return services.RoundData(**values)


def open_round(code: str = "WK019301", status: str = RoundStatus.OPEN, **overrides):
    wijk = area(code)
    second = area(code[:-2] + "99", "Wijk 99 Noord")
    org = welfare_org(wijk)
    worker = make_worker(org)
    story_round = services.create_round(
        data=round_data([wijk, second], org, **overrides),
        origin=Origin(actor=worker),
        municipality=wijk.municipality_code,
    )
    if status != RoundStatus.DRAFT:
        services.set_round_status(
            story_round=story_round, status=status, origin=Origin(actor=worker)
        )
    return story_round


def tell(story_round, text: str, **overrides):
    data = services.StoryData(
        text=text, consent=overrides.pop("consent", "public_anon"), **overrides
    )
    return services.tell_story(story_round=story_round, data=data, origin=Origin.system())
