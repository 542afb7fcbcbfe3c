"""Demo data for asking peers and exchange meetings: every public demo initiative accepts
questions, a few conversations (one from Zwolle to Rotterdam), a past meeting in Zwolle
with its report and an upcoming one of the organisation in both municipalities with
registrations. Idempotent: nothing is added twice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.exchange import services
from buurtbasis.exchange.models import (
    Meeting,
    QuestionSettings,
    Registration,
    RegistrationStatus,
    Thread,
)
from buurtbasis.initiatives.models import Initiative, Status, Theme
from buurtbasis.organisations.models import Organisation
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.notifications import quiet

from .initiatives import DEMO_DOMAIN

#: (asker e-mail local part, target slug or None for the demo initiator's first public
#: initiative in Zwolle, subject, question, reply or "")
THREADS = [
    (
        "initiatiefnemer",
        "kookclub-delfshaven",
        "Hoe houdt u de boodschappen betaalbaar?",
        "Wij willen in Zwolle ook samen koken met buren. Hoe houdt u de kosten per maaltijd "
        "laag, en vraagt u een bijdrage?",
        "Wij vragen 3 euro per persoon en krijgen groente van de buurttuin. De supermarkt om "
        "de hoek geeft ons elke week brood. Wilt u bellen? Mijn nummer deel ik graag hier.",
    ),
    (
        "bewoner",
        None,  # the initiator's first public initiative in Zwolle
        "Kan ik een keer meekijken?",
        "Ik woon in de wijk en wil graag helpen. Mag ik een keer komen kijken?",
        "",
    ),
    (
        "bewoner.rotterdam",
        None,
        "Hoe regelt u een ruimte?",
        "In Feijenoord zoeken wij een ruimte voor onze buurttuin-avonden. Hoe heeft u dat "
        "geregeld, en betaalt u huur?",
        "",
    ),
]

PAST_TITLE = "Vrijwilligers vinden en houden"
UPCOMING_TITLE = "Samen koken en eten in de buurt"


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


def _opt_in_all() -> int:
    public = Initiative.objects.public().exclude(status=Status.ENDED)
    have = set(QuestionSettings.objects.values_list("initiative_id", flat=True))
    rows = [
        QuestionSettings(initiative_id=pk, accepts_questions=True)
        for pk in public.values_list("pk", flat=True)
        if pk not in have
    ]
    QuestionSettings.objects.bulk_create(rows)
    return len(rows)


def _threads() -> int:
    made = 0
    initiator = _user("initiatiefnemer")
    own = (
        Initiative.objects.filter(members=initiator, is_public=True).order_by("pk").first()
        if initiator
        else None
    )
    for local, slug, subject, question, answer in THREADS:
        asker = _user(local)
        target = own if slug is None else Initiative.objects.filter(slug=slug).first()
        if asker is None or target is None or Thread.objects.filter(subject=subject).exists():
            continue
        on_behalf = own if local == "initiatiefnemer" else None
        thread = services.ask_question(
            initiative=target,
            subject=subject,
            text=question,
            on_behalf_of=on_behalf,
            origin=Origin(actor=asker),
        )
        made += 1
        replier = target.members.order_by("pk").first()
        if answer and replier is not None:
            services.reply(thread=thread, text=answer, origin=Origin(actor=replier))
    return made


def _local(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _past_meeting() -> int:
    worker = _user("opbouwwerker")
    organisation = Organisation.objects.filter(slug="samenkracht-centrum").first()
    if worker is None or organisation is None or Meeting.objects.filter(title=PAST_TITLE).exists():
        return 0
    invited = list(
        Initiative.objects.in_municipality(ZWOLLE_CODE)
        .public()
        .filter(status=Status.ACTIVE, needs_volunteers=True)
        .order_by("name")[:6]
    )
    origin = Origin(actor=worker)
    meeting = services.create_meeting(
        organisation=organisation,
        municipality_code=ZWOLLE_CODE,
        title=PAST_TITLE,
        description="Initiatieven vertellen hoe zij vrijwilligers vinden, en hoe zij ze houden.",
        themes=list(Theme.objects.filter(slug__in=["meeting", "care"])),
        starts_at=_local(-21, 19),
        ends_at=_local(-21, 21),
        place="Buurthuis De Kern, Zwolle",
        online_link="",
        max_places=20,
        open_to_all=False,
        invited=invited,
        origin=origin,
    )
    for initiative in invited[:4]:
        Registration.objects.create(
            meeting=meeting,
            initiative=initiative,
            registered_by=initiative.members.order_by("pk").first(),
            people=2,
            status=RegistrationStatus.REGISTERED,
        )
    services.publish_report(
        meeting=meeting,
        shared=(
            "Vier initiatieven vertelden hoe zij vrijwilligers vinden: via de buurtapp, de "
            "school en de markt. Een vaste taak van een uur werkt beter dan een algemene oproep."
        ),
        lessons=(
            "Vraag mensen persoonlijk. Geef een kleine, duidelijke taak. Bedank vrijwilligers "
            "elk jaar met een etentje. Zet de planning op één plek."
        ),
        origin=origin,
    )
    return 1


def _upcoming_meeting() -> int:
    worker = _user("opbouwwerker.beide")
    organisation = Organisation.objects.filter(slug="welzijn-verbindt").first()
    if worker is None or organisation is None:
        return 0
    if Meeting.objects.filter(title=UPCOMING_TITLE).exists():
        return 0
    slugs = ["kookclub-delfshaven", "buurttuin-feijenoord", "burenhulp-schelle"]
    invited = list(Initiative.objects.filter(slug__in=slugs))
    initiator = _user("initiatiefnemer")
    if initiator is not None:
        invited += list(
            Initiative.objects.filter(members=initiator, is_public=True).order_by("pk")[:1]
        )
    meeting = services.create_meeting(
        organisation=organisation,
        municipality_code=ROTTERDAM_CODE,
        title=UPCOMING_TITLE,
        description="Kookclubs en buurtkeukens uit Rotterdam en Zwolle delen recepten en tips.",
        themes=list(Theme.objects.filter(slug__in=["food", "meeting"])),
        starts_at=_local(14, 19),
        ends_at=_local(14, 21),
        place="Wijkcentrum Feijenoord, Rotterdam",
        online_link="https://meet.example.org/samen-koken",
        max_places=12,
        open_to_all=False,
        invited=invited,
        origin=Origin(actor=worker),
    )
    for initiative in invited:
        if initiative.slug in ("kookclub-delfshaven", "burenhulp-schelle"):
            member = initiative.members.order_by("pk").first()
            if member is not None:
                services.register(
                    meeting=meeting,
                    initiative=initiative,
                    people=3,
                    names="",
                    origin=Origin(actor=member),
                )
    return 1


def load_demo_exchange(stdout=None):
    """Load the demo's questions between initiatives and exchange meetings."""
    with transaction.atomic():
        opted = _opt_in_all()
        threads = _threads()
        with quiet():  # nobody needs to hear now of a meeting three weeks ago
            meetings = _past_meeting()
        meetings += _upcoming_meeting()
    if stdout is not None:
        stdout.write(
            f"Exchange: {opted} initiatives accept questions, {threads} conversations, "
            f"{meetings} meetings."
        )
