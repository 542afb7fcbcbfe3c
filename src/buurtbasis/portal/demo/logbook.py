"""Demo neighbourhood logbook and signals: departments per municipality, the logbook filled
from what the demo already holds (rounds, results, initiatives, hosting), and a few hand-over
notes by the demo community workers. Idempotent: nothing is added twice.
"""

from __future__ import annotations

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.logbook import services
from buurtbasis.logbook import services_signals as signal_services
from buurtbasis.logbook.management.commands.backfill_logbook import backfill
from buurtbasis.logbook.models import Department, EntryKind, LogEntry, Signal
from buurtbasis.platform.audit import Origin
from buurtbasis.stories.models import Story

from .initiatives import DEMO_DOMAIN

DEPARTMENTS = [
    "Openbare ruimte",
    "Wonen",
    "Zorg en welzijn",
    "Veiligheid",
    "Jeugd en onderwijs",
    "Verkeer en vervoer",
]

#: (author e-mail local part, municipality, title, text); each goes on the first wijk of
#: the municipality the author's organisation works in.
NOTES = [
    (
        "opbouwwerker",
        ZWOLLE_CODE,
        "Sleutel van het buurthuis",
        "De sleutel van de grote zaal ligt bij de beheerder van het buurthuis. Initiatieven "
        "vragen hem minstens een week vooraf aan. Afspraak gemaakt met Samenkracht Centrum.",
    ),
    (
        "opbouwwerker",
        ZWOLLE_CODE,
        "Wat wij leerden van de eerste buurtbudgetronde",
        "Stemmen met de brief werkte beter dan online bij ouderen. Volgende keer de brieven "
        "ook bij de huisartsenpraktijk neerleggen.",
    ),
    (
        "opbouwwerker.rotterdam",
        ROTTERDAM_CODE,
        "Contact met de woningcorporatie",
        "Het wijkteam van de woningcorporatie komt elke eerste dinsdag van de maand naar het "
        "wijkcentrum. Meldingen over portieken gaan via hen, niet via de gemeente.",
    ),
]


def _first_wijk(user: User, code: str) -> Area | None:
    return (
        Area.objects.in_municipality(code)
        .filter(level=AreaLevel.DISTRICT, organisations__memberships__user=user)
        .order_by("-year", "code")
        .first()
    )


#: (worker, civil servant, municipality, title, description, answer or "" to leave it open)
SIGNALS = [
    (
        "opbouwwerker",
        "ambtenaar",
        ZWOLLE_CODE,
        "Bewoners missen een plek om elkaar te ontmoeten",
        "In veel verhalen komt terug dat er sinds de sluiting van het wijkcentrum geen plek "
        "meer is om binnen af te spreken, vooral voor ouderen.",
        "Wij onderzoeken samen met Samenkracht Centrum of de zaal van de bibliotheek twee "
        "middagen per week open kan. In april hoort u meer.",
    ),
    (
        "opbouwwerker",
        "ambtenaar",
        ZWOLLE_CODE,
        "Zorgen over verkeer bij de school",
        "Ouders vertellen dat het 's ochtends onrustig en onveilig is bij de schoolingang.",
        "",
    ),
    (
        "opbouwwerker.rotterdam",
        "ambtenaar.rotterdam",
        ROTTERDAM_CODE,
        "Portieken worden slecht schoongehouden",
        "Bewoners vertellen over vuil in de portieken en dat melden weinig helpt.",
        "",
    ),
]


def _demo_signals() -> int:
    """A few signals made from the demo stories, one of them answered."""
    made = 0
    for worker_local, civil_local, code, title, text, reply in SIGNALS:
        if Signal.objects.filter(municipality_code=code, title=title).exists():
            continue
        worker = User.objects.filter(email=f"{worker_local}@{DEMO_DOMAIN}").first()
        civil = User.objects.filter(email=f"{civil_local}@{DEMO_DOMAIN}").first()
        stories = list(
            Story.objects.visible()
            .in_municipality(code)
            .filter(area__isnull=False)
            .order_by("pk")[made * 3 : made * 3 + 3]
        )
        if worker is None or civil is None or not stories:
            continue
        signal = signal_services.make_signal(
            area=stories[0].area,
            title=title,
            description=text,
            urgency="normal",
            department=Department.objects.get(municipality_code=code, name=DEPARTMENTS[0]),
            stories=stories,
            origin=Origin(actor=worker),
        )
        if reply:
            signal_services.answer(signal=signal, text=reply, origin=Origin(actor=civil))
        made += 1
    return made


def load_demo_logbook(stdout=None) -> int:
    """Departments, the backfilled logbook and the demo notes; returns entries written."""
    for code in (ZWOLLE_CODE, ROTTERDAM_CODE):
        for name in DEPARTMENTS:
            Department.objects.get_or_create(municipality_code=code, name=name)
    written = backfill()
    for local, code, title, text in NOTES:
        author = User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()
        area = _first_wijk(author, code) if author else None
        if area is None:
            continue
        if LogEntry.objects.filter(kind=EntryKind.NOTE, author=author, title=title).exists():
            continue
        services.add_note(
            area=area, title=title, body=text, for_handover=True, origin=Origin(actor=author)
        )
        written += 1
    made = _demo_signals()
    if stdout is not None:
        stdout.write(f"Logbook: {written} entries written, {made} signals made.")
    return written
