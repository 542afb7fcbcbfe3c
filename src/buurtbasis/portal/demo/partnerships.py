"""Demo partnerships and their health: in both municipalities an initiative works together
with a school, a housing corporation or a welzijnsorganisatie, with agreements, follow-up
actions and four quarterly pulses over the past year (one partnership's pulse drops). In
"Zingen op het schoolplein" (Zwolle) a fifth pulse is open: two teachers answered, the demo
partner contact ``partner.school@`` has not yet, so the school's figures are hidden until
they do. Idempotent: a partnership that exists is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area
from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Membership, Organisation, OrganisationKind, Role
from buurtbasis.partnerships import access, services
from buurtbasis.partnerships.models import (
    Agreement,
    FollowUpAction,
    Partnership,
    PulseAnswer,
    PulseRound,
)
from buurtbasis.partnerships.pulse import ASPECTS
from buurtbasis.platform import notifications
from buurtbasis.platform.audit import Origin

from .initiatives import DEMO_DOMAIN, DEMO_PASSWORD

SEED = 15

#: Organisations the demo adds in Rotterdam: (slug, name, kind, wijk code).
ORGANISATIONS = [
    ("woonstichting-maasstad", "Woonstichting Maasstad", OrganisationKind.HOUSING, "WK059903"),
    ("basisschool-de-kaap", "Basisschool De Kaap", OrganisationKind.SCHOOL, "WK059910"),
]

#: People of the partner organisations: (e-mail local part, name, organisation slug, role).
PEOPLE = [
    ("partner.school", "Mirjam Koster", "basisschool-de-vlieger", Role.PARTNER_CONTACT),
    ("leerkracht.vlieger1", "Joost van Dam", "basisschool-de-vlieger", Role.PARTNER_CONTACT),
    ("leerkracht.vlieger2", "Anouk Peters", "basisschool-de-vlieger", Role.PARTNER_CONTACT),
    ("leerkracht.vlieger3", "Hamid El Idrissi", "basisschool-de-vlieger", Role.PARTNER_CONTACT),
    ("wijkbeheer.ijsselhof1", "Karin Bos", "woonstichting-ijsselhof", Role.PARTNER_CONTACT),
    ("wijkbeheer.ijsselhof2", "Dennis Kok", "woonstichting-ijsselhof", Role.PARTNER_CONTACT),
    ("wijkbeheer.ijsselhof3", "Esther Vos", "woonstichting-ijsselhof", Role.PARTNER_CONTACT),
    ("contact.zuidoever1", "Ilse Wouters", "welzijnshuis-zuidoever", Role.PARTNER_CONTACT),
    ("contact.zuidoever2", "Rachid Amrani", "welzijnshuis-zuidoever", Role.PARTNER_CONTACT),
    ("wijkbeheer.maasstad1", "Sandra Verhoef", "woonstichting-maasstad", Role.PARTNER_CONTACT),
    ("wijkbeheer.maasstad2", "Bas de Graaf", "woonstichting-maasstad", Role.PARTNER_CONTACT),
    ("wijkbeheer.maasstad3", "Naima Bakkali", "woonstichting-maasstad", Role.PARTNER_CONTACT),
    ("partner.kaap1", "Tom Hendriks", "basisschool-de-kaap", Role.PARTNER_CONTACT),
    ("partner.kaap2", "Fenna Jansen", "basisschool-de-kaap", Role.PARTNER_CONTACT),
    ("partner.kaap3", "Yusuf Demir", "basisschool-de-kaap", Role.PARTNER_CONTACT),
]

#: The partnerships: initiative slug, title, purpose, what the initiators do, partners
#: (slug, what they do), base score per side (initiators first) per aspect, the side and
#: aspects that drop in the last pulse, whether initiators answer with their name, and
#: whether a fifth pulse is open now.
PARTNERSHIPS = [
    {
        "initiative": "buurtkoor-assendorp",
        "title": "Zingen op het schoolplein",
        "purpose": "Het buurtkoor en Basisschool De Vlieger zingen elke maand met kinderen "
        "en ouderen op het schoolplein. Zo leren jong en oud elkaar kennen.",
        "initiators": "Wij zoeken de liedjes uit, leiden het zingen en nodigen de ouderen uit.",
        "partners": [
            (
                "basisschool-de-vlieger",
                "Wij openen het schoolplein en de aula, en nemen de kinderen van groep 5 mee.",
            )
        ],
        "base": [3.9, 3.6],
        "drop": None,
        "named": True,
        "open_now": True,
        "agreements": [
            ("Het schoolplein is de eerste vrijdag van de maand open van 15 tot 17 uur.", 1, 30),
            ("Het koor zorgt voor koffie en thee voor de ouderen.", 0, None),
        ],
        "actions": [("Een datum kiezen voor het zomerconcert", "partner.school", 14)],
        "open_texts": [
            "Vaker samen evalueren na een middag.",
            "De ouders meer betrekken bij het zingen.",
            "Een vaste contactpersoon op school.",
            "Duidelijker wie de stoelen klaarzet.",
        ],
    },
    {
        "initiative": "energiecoaches-diezerpoort",
        "title": "Energiecoaches in de flats",
        "purpose": "Energiecoaches helpen huurders van Woonstichting IJsselhof in "
        "Diezerpoort om energie te besparen.",
        "initiators": "Wij bezoeken huurders thuis en geven tips.",
        "partners": [
            (
                "woonstichting-ijsselhof",
                "Wij brengen de coaches in contact met huurders en betalen de materialen.",
            )
        ],
        "base": [4.0, 3.8],
        "drop": (1, ("relationship", "process")),
        "named": False,
        "open_now": False,
        "agreements": [("De woonstichting stuurt elk kwartaal een lijst met flats.", 1, -20)],
        "actions": [("Gesprek over de afspraken met de huurders", "wijkbeheer.ijsselhof1", -10)],
        "open_texts": [
            "Afspraken beter nakomen.",
            "Sneller antwoord op onze vragen.",
            "Samen een plan maken voor de winter.",
            "Meer uitleg aan huurders vooraf.",
        ],
    },
    {
        "initiative": "huiswerkklas-schelle",
        "title": "Huiswerkklas met Welzijnshuis Zuidoever",
        "purpose": "Vrijwilligers geven huiswerkbegeleiding in de ruimte van het welzijnshuis.",
        "initiators": "Wij zoeken vrijwilligers en maken het rooster.",
        "partners": [("welzijnshuis-zuidoever", "Wij geven de ruimte en een opbouwwerker.")],
        "base": [4.2, 4.1],
        "drop": None,
        "named": False,
        "open_now": False,
        "agreements": [],
        "actions": [],
        "open_texts": ["Meer vrijwilligers voor rekenen.", "Een tweede middag in de week."],
    },
    {
        "initiative": "kookclub-delfshaven",
        "title": "Koken in de wijkwoning",
        "purpose": "De kookclub kookt in een wijkwoning van Woonstichting Maasstad, samen "
        "met Buurtwerk Maasoever.",
        "initiators": "Wij koken elke week en nodigen buren uit.",
        "partners": [
            ("woonstichting-maasstad", "Wij stellen de wijkwoning beschikbaar."),
            ("buurtwerk-maasoever", "Wij helpen met de planning en het geld."),
        ],
        "base": [4.1, 3.7, 3.9],
        "drop": None,
        "named": True,
        "open_now": False,
        "agreements": [("De wijkwoning is op dinsdag vrij voor de kookclub.", 1, None)],
        "actions": [("Nieuwe sleutelafspraak maken", "wijkbeheer.maasstad2", 21)],
        "open_texts": ["Een grotere keuken.", "Vaker samen overleggen.", "Flyers in de wijk."],
    },
    {
        "initiative": "taalmaatjes-charlois",
        "title": "Taalmaatjes voor ouders",
        "purpose": "Taalmaatjes oefenen Nederlands met ouders van Basisschool De Kaap.",
        "initiators": "Wij koppelen taalmaatjes aan ouders.",
        "partners": [("basisschool-de-kaap", "Wij vertellen ouders erover en geven een lokaal.")],
        "base": [3.8, 4.0],
        "drop": (0, ("organisation",)),
        "named": True,
        "open_now": False,
        "agreements": [],
        "actions": [],
        "open_texts": ["Meer maatjes die Arabisch spreken.", "Een vast lokaal."],
    },
]


def _person(local: str, name: str, password: str) -> tuple[User, bool]:
    user = User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()
    if user is not None:
        return user, False
    return (
        User.objects.create(
            email=f"{local}@{DEMO_DOMAIN}",
            password=password,
            display_name=name,
            email_verified=True,
        ),
        True,
    )


def _score(rng: random.Random, base: float, person, key: str) -> int:
    """A person's own view of a statement (the same every quarter) on top of the side's
    base, so the trend follows the base and not chance."""
    bias = random.Random(f"{SEED}-{person.email}-{key}").uniform(-0.8, 0.8)
    return max(1, min(5, round(base + bias)))


def _answer(pulse_round, person, side_base, aspect_shift, rng, *, text, named, moment):
    scores = {}
    for aspect in ASPECTS:
        for key, _text in aspect.statements:
            scores[key] = _score(rng, side_base + aspect_shift.get(aspect.key, 0.0), person, key)
    answer = services.answer_pulse(
        pulse_round=pulse_round,
        scores=scores,
        open_text=text,
        show_name=named,
        origin=Origin(actor=person),
        today=pulse_round.opens_on,
    )
    PulseAnswer.objects.filter(pk=answer.pk).update(answered_at=moment)


def _build(spec: dict, rng: random.Random, today: datetime.date) -> bool:
    initiative = Initiative.objects.filter(slug=spec["initiative"]).first()
    if (
        initiative is None
        or Partnership.objects.filter(initiative=initiative, title=spec["title"]).exists()
    ):
        return False
    orgs = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[s for s, _ in spec["partners"]])
    }
    creator = initiative.members.order_by("pk").first() or initiative.created_by
    year_ago = timezone.now() - datetime.timedelta(days=380)
    partnership = services.create_partnership(
        initiative=initiative,
        title=spec["title"],
        purpose=spec["purpose"],
        initiator_tasks=spec["initiators"],
        organisations=[orgs[slug] for slug, _ in spec["partners"]],
        plans=list(initiative.budget_plans.order_by("pk")[:2]),
        grants=list(initiative.grants.order_by("pk")[:2]),
        origin=Origin(actor=creator),
    )
    Partnership.objects.filter(pk=partnership.pk).update(created_at=year_ago)
    sides = [partnership.sides.get(organisation=None)]
    for slug, tasks in spec["partners"]:
        side = partnership.sides.get(organisation=orgs[slug])
        contact = (
            Membership.objects.filter(
                organisation=orgs[slug], role__in=services.access.PARTNER_ROLES
            )
            .order_by("pk")
            .first()
        )
        services.confirm_side(side=side, tasks=tasks, origin=Origin(actor=contact.user))
        side.refresh_from_db()
        side.confirmed_at = year_ago
        side.save(update_fields=["confirmed_at"])
        sides.append(side)

    people_of = {}
    for person in services.participants(partnership):
        side = access.side_of(person, partnership)
        people_of.setdefault(side.pk, []).append(person)
    texts = list(spec["open_texts"])
    numbers = 4 + (1 if spec["open_now"] else 0)
    for k in range(numbers):
        if k < 4:
            opens = today - datetime.timedelta(days=365 - 91 * k)
        else:
            opens = today - datetime.timedelta(days=3)
        pulse_round = PulseRound.objects.create(
            partnership=partnership,
            number=k + 1,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=services.PULSE_OPEN_DAYS),
        )
        moment = timezone.make_aware(datetime.datetime.combine(opens, datetime.time(10)))
        for index, side in enumerate(sides):
            base = spec["base"][index] + 0.1 * min(k, 3)  # slowly better over the year
            shift = {}
            if spec["drop"] and spec["drop"][0] == index and k == 3:
                shift = {aspect: -1.8 for aspect in spec["drop"][1]}
            people = sorted(people_of.get(side.pk, []), key=lambda u: u.pk)
            if k == 4:
                # the open pulse: the demo partner contact has not answered yet
                people = [p for p in people if not p.email.startswith("partner.school@")][:2]
                if side.is_initiators:
                    people = []
            for person in people:
                text = texts[rng.randrange(len(texts))] if rng.random() < 0.5 else ""
                _answer(
                    pulse_round,
                    person,
                    base,
                    shift,
                    rng,
                    text=text,
                    named=spec["named"] and side.is_initiators,
                    moment=moment,
                )
    for text, side_index, days in spec["agreements"]:
        Agreement.objects.create(
            partnership=partnership,
            text=text,
            side=sides[side_index],
            due_on=today + datetime.timedelta(days=days) if days is not None else None,
        )
    for text, owner_local, days in spec["actions"]:
        owner = User.objects.get(email=f"{owner_local}@{DEMO_DOMAIN}")
        FollowUpAction.objects.create(
            partnership=partnership,
            text=text,
            owner=owner,
            due_on=today + datetime.timedelta(days=days),
            created_by=creator,
        )
    return True


@transaction.atomic
def load_demo_partnerships(stdout=None) -> int:
    """Create the demo partnerships that are missing; returns how many were made."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    for slug, name, kind, wijk_code in ORGANISATIONS:
        org, created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "email": f"info@{slug}.example.org"},
        )
        if created:
            org.areas.set(Area.objects.in_municipality(ROTTERDAM_CODE).filter(code=wijk_code)[:1])
    password = None
    for local, name, org_slug, role in PEOPLE:
        if password is None and not User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").exists():
            password = make_password(DEMO_PASSWORD)
        user, _created = _person(local, name, password or "")
        organisation = Organisation.objects.filter(slug=org_slug).first()
        if organisation is not None:
            Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    made = 0
    with notifications.quiet():  # nobody needs to hear now of last year's pulses
        for spec in PARTNERSHIPS:
            made += int(_build(spec, rng, today))
    if stdout is not None:
        codes = f"{ZWOLLE_CODE}, {ROTTERDAM_CODE}"
        if made:
            stdout.write(
                f"Partnerships: {made} with four quarterly pulses each ({codes}); "
                f"log in as partner.school@{DEMO_DOMAIN} to answer the open pulse."
            )
        else:
            stdout.write("Partnerships: already there; nothing has changed.")
    return made
