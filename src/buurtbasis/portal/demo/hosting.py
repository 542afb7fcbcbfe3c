"""Demo fiscal hosting: hosts and hosted initiatives in both municipalities, with a year
of realistic money: grants from funded buurtbudget plans and the initiatives fund,
donations, and expenses in every category. Idempotent: nothing is added twice.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.budgets.models import FundedPlan
from buurtbasis.hosting import services
from buurtbasis.hosting.models import AgreementState, Category, GrantSource, HostingAgreement
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Membership, Organisation, Role
from buurtbasis.platform.audit import Origin

from . import fund as fund_demo
from .initiatives import DEMO_DOMAIN, DEMO_PASSWORD

SEED = 20261204
#: (host slug, finance officer e-mail local part and name, how many of its initiatives)
HOSTS = [
    ("samenkracht-centrum", "penningmeester", "Joost Visser", 6),
    ("wijkwijs-noord", "penningmeester.noord", "Hanna de Groot", 3),
    ("welzijn-verbindt", "penningmeester.beide", "Sem Koster", 4),
    ("buurtwerk-maasoever", "penningmeester.rotterdam", "Amira Bouzid", 3),
]
#: (category, description, smallest and largest amount in euros)
EXPENSES = [
    (Category.MATERIALS, "Zaden, potgrond en gereedschap", 25, 180),
    (Category.FOOD, "Koffie, thee en koek voor de buurtochtend", 15, 90),
    (Category.RENT, "Huur buurthuiszaal", 40, 150),
    (Category.ACTIVITIES, "Uitje met de kinderen van de straat", 60, 300),
    (Category.COMMUNICATION, "Flyers en posters drukken", 20, 120),
    (Category.OTHER, "Verzekering activiteitendag", 30, 80),
]
DONATIONS = [
    "Collecte tijdens de buurtbarbecue",
    "Gift van de bakker op de hoek",
    "Opbrengst rommelmarkt",
    "Gift van de woningcorporatie",
]


def _officer(host: Organisation, local: str, name: str, password_hash: str) -> User:
    email = f"{local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email, password=password_hash, display_name=name, email_verified=True
        )
    Membership.objects.get_or_create(user=user, organisation=host, role=Role.FINANCE_OFFICER)
    return user


def _activate(initiative: Initiative, host: Organisation, officer: User, start: datetime.date):
    now = timezone.now()
    agreement = HostingAgreement.objects.create(
        host=host,
        initiative=initiative,
        state=AgreementState.ACTIVE,
        message="Wij willen graag dat u ons geld beheert.",
        requested_by=initiative.members.first(),
        requested_at=now,
        start_date=start,
        fee_basis_points=random.Random(initiative.pk).choice([0, 0, 250, 500]),
        approval_threshold_cents=250_00,
        approver_bands=[{"from_cents": 1_000_00, "approvers": 2}],
        required_receipts="Een kassabon of factuur bij elke uitgave.",
        offered_by=officer,
        offered_at=now,
        accepted_by=initiative.members.first(),
        accepted_at=now,
        treasurer=initiative.members.first(),
    )
    if initiative.host_organisation_id != host.pk:
        initiative.host_organisation = host
        initiative.save(update_fields=["host_organisation", "updated_at"])
    return agreement


def _year_of_money(initiative, plans, rng: random.Random, start: datetime.date) -> int:
    """Grants at the start, then about two payments a month and a donation now and then."""
    system = Origin.system()
    grants = []
    for plan in plans:
        grants.append(
            services.record_grant(
                initiative=initiative,
                source=GrantSource.BUURTBUDGET,
                label=f"{plan.budget_round.title}, plan {plan.pk}",
                amount_cents=plan.funding.amount_cents,
                date=start,
                origin=system,
                plan=plan,
            )
        )
    if not grants or rng.random() < 0.5:
        # through the municipality's initiatives fund: an application and a decision
        grant = fund_demo.granted(initiative, rng.randrange(750, 2500) * 100, start)
        if grant is not None:
            grants.append(grant)
    if not grants:
        return 0
    n = len(grants)
    today = timezone.localdate()
    day = start
    while True:
        day += datetime.timedelta(days=rng.randint(7, 20))
        if day > today:
            break
        if rng.random() < 0.2:
            services.record_donation(
                initiative=initiative,
                amount_cents=rng.randrange(10, 250) * 100,
                date=day,
                description=rng.choice(DONATIONS),
                origin=system,
            )
            n += 1
            continue
        category, text, low, high = rng.choice(EXPENSES)
        balances = services.earmark_balances(initiative)
        grant, left = max(balances.items(), key=lambda item: item[1])
        amount = min(left, rng.randrange(low * 100, high * 100, 5))
        if amount <= 0:
            continue
        services.record_expense(
            grant=grant,
            category=category,
            amount_cents=amount,
            date=day,
            description=text,
            origin=system,
        )
        n += 1
    return n


@transaction.atomic
def load_demo_hosting(*, stdout=None) -> dict:
    """Hosts with a finance officer and hosted initiatives with a year of transactions."""
    if HostingAgreement.objects.exists():
        if stdout:
            stdout.write("Fiscal hosting: already there; nothing has changed.")
        return {}
    rng = random.Random(SEED)
    password_hash = make_password(DEMO_PASSWORD)
    start = timezone.localdate() - datetime.timedelta(days=365)
    report = {"agreements": 0, "transactions": 0}
    funded = {}
    for fp in FundedPlan.objects.filter(initiative__isnull=False).select_related(
        "plan__budget_round", "plan"
    ):
        funded.setdefault(fp.initiative_id, []).append(fp.plan)
    logins = []
    for slug, local, name, n in HOSTS:
        host = Organisation.objects.filter(slug=slug).first()
        if host is None:
            continue
        officer = _officer(host, local, name, password_hash)
        logins.append(officer.email)
        hosted = Initiative.objects.filter(host_organisation=host).exclude(
            hosting_agreements__isnull=False
        )
        chosen = list(hosted.filter(pk__in=list(funded)).order_by("pk"))
        chosen += [i for i in hosted.order_by("pk")[: n + len(chosen)] if i not in chosen][
            : max(0, n - len(chosen))
        ]
        for initiative in chosen:
            _activate(initiative, host, officer, start)
            report["agreements"] += 1
            plans = [p for p in funded.get(initiative.pk, []) if not hasattr(p, "grant")]
            report["transactions"] += _year_of_money(initiative, plans, rng, start)
    # funded plans of initiatives that no demo host holds yet: Samenkracht hosts them
    fallback = Organisation.objects.filter(slug="samenkracht-centrum").first()
    if fallback is not None:
        officer = _officer(fallback, "penningmeester", "Joost Visser", password_hash)
        for initiative in Initiative.objects.filter(pk__in=list(funded)).exclude(
            hosting_agreements__isnull=False
        ):
            _activate(initiative, fallback, officer, start)
            report["agreements"] += 1
            report["transactions"] += _year_of_money(initiative, funded[initiative.pk], rng, start)
    report["fund_applications"] = fund_demo.load_open_applications(start)
    if stdout:
        stdout.write(
            f"Fiscal hosting: {report['agreements']} hosted initiatives, "
            f"{report['transactions']} transactions."
        )
        stdout.write("Host finance officers: " + ", ".join(sorted(set(logins))))
    return report
