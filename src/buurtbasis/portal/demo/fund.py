"""Demo initiatives funds: one per demo municipality for this year. Grants of the fund in
the demo year go through the fund's own services (an initiator applies, the municipality's
civil servant grants), and a few applications wait in the other states: waiting for a
decision, a question to the applicant, answered and waiting again, refused.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from buurtbasis.hosting import fund as funds
from buurtbasis.hosting import services
from buurtbasis.hosting.models import HostingAgreement
from buurtbasis.hosting.models_fund import FundApplication, InitiativesFund
from buurtbasis.organisations.models import Membership, Role
from buurtbasis.platform.audit import Origin

#: (CBS code, slug of the gemeente organisation)
MUNICIPALITIES = [("GM0193", "gemeente-zwolle"), ("GM0599", "gemeente-rotterdam")]
DESCRIPTION = (
    "Heeft u een plan voor uw straat of wijk? Een buurtfeest, een moestuin, een "
    "activiteit voor kinderen of ouderen? Het initiatievenfonds geeft geld aan "
    "bewoners die samen iets doen voor de buurt. Niet voor winst, niet voor "
    "vaste kosten van organisaties."
)
PLANS = [
    ("Een buurtfeest op het plein met muziek en eten.", "Alle buren, jong en oud.", "In juni"),
    ("Plantenbakken en bloembollen voor de straat.", "De bewoners van de straat.", "Dit najaar"),
    ("Een spelmiddag voor kinderen in de vakantie.", "Kinderen uit de wijk.", "In de zomer"),
    ("Een wekelijkse koffieochtend in het buurthuis.", "Ouderen die alleen wonen.", "Elke week"),
]


def _servant(gemeente_slug: str):
    membership = (
        Membership.objects.filter(
            organisation__slug=gemeente_slug, role=Role.CIVIL_SERVANT, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _fund(code: str, start: datetime.date) -> InitiativesFund:
    year = timezone.localdate().year
    fund = InitiativesFund.objects.filter(cbs_code=code, year=year).first()
    if fund is None:
        fund = funds.create_fund(
            cbs_code=code,
            year=year,
            name=f"Initiatievenfonds {funds.municipality_name(code)} {year}",
            description=DESCRIPTION,
            budget_cents=50_000_00,
            max_per_application_cents=2_500_00,
            opens_on=start,
            closes_on=datetime.date(year, 12, 31),
            origin=Origin.system(),
        )
    return fund


def _where(initiative) -> tuple[str, str] | None:
    for code, slug in MUNICIPALITIES:
        if funds.in_municipality(initiative, code):
            return code, slug
    return None


def _decider(initiative, gemeente_slug: str) -> Origin:
    servant = _servant(gemeente_slug)
    if servant is None or initiative.members.filter(pk=servant.pk).exists():
        return Origin.system()
    return Origin(actor=servant)


def _apply(fund, initiative, amount_cents: int, n: int) -> FundApplication:
    what, for_whom, when = PLANS[n % len(PLANS)]
    return funds.apply(
        fund=fund,
        initiative=initiative,
        what=what,
        for_whom=for_whom,
        when=when,
        amount_cents=amount_cents,
        origin=Origin(actor=initiative.members.order_by("pk").first()),
    )


def granted(initiative, amount_cents: int, start: datetime.date):
    """The fund's grant for a hosted initiative at the start of the demo year."""
    where = _where(initiative)
    if where is None or not initiative.members.exists():
        return None
    code, slug = where
    fund = _fund(code, start)
    application = _apply(
        fund, initiative, min(amount_cents, fund.max_per_application_cents), initiative.pk
    )
    application = funds.decide(
        application=application,
        decision="grant",
        origin=_decider(initiative, slug),
        date=start,
    )
    moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time(10)))
    FundApplication.objects.filter(pk=application.pk).update(
        submitted_at=moment - datetime.timedelta(days=14), decided_at=moment
    )
    return application.grant


def load_open_applications(start: datetime.date) -> int:
    """Per municipality: applications waiting, with a question, answered, and refused."""
    made = 0
    for code, slug in MUNICIPALITIES:
        hosted = [
            a.initiative
            for a in HostingAgreement.objects.filter(state="active")
            .select_related("initiative")
            .order_by("initiative__pk")
            if a.initiative.members.exists() and funds.in_municipality(a.initiative, code)
        ]
        if not hosted or _servant(slug) is None:
            continue
        fund = _fund(code, start)
        steps = ["submitted", "question", "answered", "refused"]
        for n, (initiative, step) in enumerate(zip(hosted, steps, strict=False)):
            if services.active_agreement(initiative) is None:
                continue
            application = _apply(fund, initiative, (350 + 125 * n) * 100, n + 1)
            made += 1
            decider = _decider(initiative, slug)
            if step in ("question", "answered"):
                application = funds.decide(
                    application=application,
                    decision="question",
                    reason="Hoeveel buren verwacht u, en helpt de buurtvereniging mee?",
                    origin=decider,
                )
            if step == "answered":
                funds.answer(
                    application=application,
                    answer="We verwachten zo'n 40 buren. De buurtvereniging regelt de tafels.",
                    origin=Origin(actor=initiative.members.order_by("pk").first()),
                )
            if step == "refused":
                funds.decide(
                    application=application,
                    decision="refuse",
                    reason="Het fonds betaalt geen vaste kosten, zoals de huur van een opslag.",
                    origin=decider,
                )
    return made
