"""Demo data for hand-over and continuity.

Zwolle: "Buurtkoor Assendorp" looks for successors (three open roles, responses from
neighbours, a hand-over of the coordinator role with its checklist half done), and
``opvolger@`` is a resident who may respond in the demo. Rotterdam: "Kookclub
Delfshaven" was handed over (completed, with its logbook entry). Everything goes
through the continuity services; idempotent: a second run adds nothing.
"""

from __future__ import annotations

import re

from django.db import transaction

from buurtbasis.accounts.models import User
from buurtbasis.continuity import services
from buurtbasis.continuity.models import HandOver, Succession
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform import notifications
from buurtbasis.platform.audit import Origin

from .initiatives import DEMO_DOMAIN, Result, _user

ZWOLLE_SLUG = "buurtkoor-assendorp"
ROTTERDAM_SLUG = "kookclub-delfshaven"

#: (kind, title, hours per month, skills, what it involves)
ZWOLLE_ROLES = [
    (
        "coordinator",
        "Coördinator van het koor",
        8,
        "plannen, mensen bij elkaar brengen",
        "De repetities op dinsdagavond regelen, de zaal vastleggen en het contact met de "
        "dirigent onderhouden.",
    ),
    (
        "contact",
        "Contactpersoon voor de buurt",
        2,
        "vriendelijk, bereikbaar per telefoon",
        "Vragen van buren beantwoorden en nieuwe zangers welkom heten.",
    ),
    (
        "other",
        "Hulp bij de nieuwsbrief",
        2,
        "schrijven, een beetje computer",
        "Vier keer per jaar een korte nieuwsbrief voor de leden en de buurt.",
    ),
]
RESPONSES = [
    (0, "Ik zing al drie jaar mee en wil graag de organisatie overnemen. Ik heb op dinsdag tijd."),
    (0, "Ik heb ervaring met het regelen van een voetbalteam. Misschien kan ik helpen?"),
    (1, "Ik woon naast het buurthuis en ken veel mensen in de straat."),
]

#: The people of the Rotterdam hand-over (extra demo log-ins, same password).
ROTTERDAM_OUTGOING = ("oud.kookclub", "Fatma Yilmaz")
ROTTERDAM_INCOMING = ("kookclub.rotterdam", "Sem de Boer")
#: A Zwolle resident who can respond to an open role in the demo.
ZWOLLE_RESPONDENT = ("opvolger", "Lieke Mulder")

GENERATED = re.compile(r"\.\d+@")


def _neighbours(initiative: Initiative, n: int) -> list[User]:
    """Generated demo residents (not the named log-ins) who are not its initiators."""
    members = set(initiative.members.values_list("pk", flat=True))
    found = []
    for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("email"):
        if GENERATED.search(user.email) and user.pk not in members:
            found.append(user)
        if len(found) == n:
            break
    return found


def _zwolle(result: Result) -> bool:
    initiative = Initiative.objects.filter(slug=ZWOLLE_SLUG).first()
    initiator = User.objects.filter(email=f"initiatiefnemer@{DEMO_DOMAIN}").first()
    if initiative is None or initiator is None:
        return False
    _user(f"{ZWOLLE_RESPONDENT[0]}@{DEMO_DOMAIN}", ZWOLLE_RESPONDENT[1], result)
    if Succession.objects.filter(initiative=initiative).exists():
        return False
    as_initiator = Origin(actor=initiator)
    search = services.start_search(
        initiative=initiative,
        reason="Na zes jaar stop ik als coördinator: ik verhuis deze zomer naar Deventer.",
        origin=as_initiator,
    )
    roles = [
        services.add_role(
            search=search,
            kind=kind,
            title=title,
            hours_per_month=hours,
            skills=skills,
            description=text,
            origin=as_initiator,
        )
        for kind, title, hours, skills, text in ZWOLLE_ROLES
    ]
    neighbours = _neighbours(initiative, len(RESPONSES))
    responses = [
        services.respond(role=roles[index], message=message, origin=Origin(actor=person))
        for (index, message), person in zip(RESPONSES, neighbours, strict=False)
    ]
    if not responses:
        return True
    handover = services.choose_successor(
        response=responses[0], outgoing=as_initiator.actor, origin=as_initiator
    )
    items = list(handover.items.all())
    for n, item in enumerate(items[: len(items) // 2]):
        person = handover.outgoing if n % 2 == 0 else handover.incoming
        services.tick(item=item, origin=Origin(actor=person))
    return True


def _rotterdam(result: Result) -> bool:
    initiative = Initiative.objects.filter(slug=ROTTERDAM_SLUG).first()
    if initiative is None:
        return False
    outgoing = _user(f"{ROTTERDAM_OUTGOING[0]}@{DEMO_DOMAIN}", ROTTERDAM_OUTGOING[1], result)
    incoming = _user(f"{ROTTERDAM_INCOMING[0]}@{DEMO_DOMAIN}", ROTTERDAM_INCOMING[1], result)
    if HandOver.objects.filter(initiative=initiative).exists():
        return False
    # Fatma started the cooking club with Daan and ran it for years
    initiative.members.add(outgoing)
    as_outgoing = Origin(actor=outgoing)
    search = services.start_search(
        initiative=initiative, reason="Fatma gaat meer zorgen voor haar moeder.", origin=as_outgoing
    )
    role = services.add_role(
        search=search,
        kind="coordinator",
        title="Coördinator van de kookavonden",
        hours_per_month=10,
        skills="koken voor groepen, boodschappen plannen",
        origin=as_outgoing,
    )
    response = services.respond(
        role=role,
        message="Ik kook elke week mee en wil het graag van Fatma overnemen.",
        origin=Origin(actor=incoming),
    )
    handover = services.choose_successor(response=response, outgoing=outgoing, origin=as_outgoing)
    for n, item in enumerate(handover.items.all()):
        person = outgoing if n % 2 == 0 else incoming
        services.tick(item=item, origin=Origin(actor=person))
    services.complete(handover=handover, outgoing_choice="former", origin=as_outgoing)
    return True


def load_demo_continuity(stdout=None) -> Result:
    """The demo's searches for successors and hand-overs (nothing is added twice)."""
    result = Result()
    with transaction.atomic(), notifications.quiet():
        zwolle = _zwolle(result)
        rotterdam = _rotterdam(result)
    if stdout is not None:
        stdout.write(
            "Overdracht: "
            + ("Buurtkoor Assendorp zoekt opvolgers" if zwolle else "Zwolle bestond al")
            + "; "
            + ("Kookclub Delfshaven overgedragen" if rotterdam else "Rotterdam bestond al")
            + (f"; {result.created['users']} demo-personen" if result.created.get("users") else "")
            + "."
        )
    return result
