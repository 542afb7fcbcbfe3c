"""Demo fiscal hosting: hosts and hosted initiatives in both municipalities, with a year
of realistic money: grants from funded buurtbudget plans and the initiatives fund,
donations, and expense claims and invoices that go through the real expense services
(receipts, approvals, payout batches, bank statements; see ``expenses.py``).
Idempotent: nothing is added twice.
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
from buurtbasis.hosting.models import (
    AgreementState,
    GrantSource,
    HostingAgreement,
    LedgerTransaction,
    ReceiptRule,
)
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Membership, Organisation, Role
from buurtbasis.platform.audit import Origin

from . import budget_lines as demo_budget_lines
from . import expenses as demo_expenses
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
#: The rules of each host's agreements: approval above ``threshold`` euros, approvers per
#: band (from euros, approvers), and proof always or from ``proof_from`` euros.
HOST_RULES = {
    "samenkracht-centrum": {
        "threshold": 250,
        "bands": [(1_000, 2)],
        "proof_from": None,
        "text": "Een kassabon of factuur bij elke uitgave.",
    },
    "wijkwijs-noord": {
        "threshold": 250,
        "bands": [(1_000, 2)],
        "proof_from": 25,
        "text": "Een kassabon of factuur vanaf 25 euro. Kleine uitgaven mag u zonder bon "
        "declareren; schrijf er dan bij wat u kocht.",
    },
    "welzijn-verbindt": {
        "threshold": 250,
        "bands": [(500, 2), (2_500, 3)],
        "proof_from": None,
        "text": "Een kassabon of factuur bij elke uitgave. Vanaf 500 euro kijken twee "
        "medewerkers mee, vanaf 2.500 euro drie.",
    },
    "buurtwerk-maasoever": {
        "threshold": 250,
        "bands": [(1_000, 2)],
        "proof_from": None,
        "text": "Een kassabon of factuur bij elke uitgave.",
    },
}
#: Hosts whose highest band asks for three approvers have a third finance officer.
THIRD_OFFICERS = {"welzijn-verbindt": ("penningmeester3.beide", "Ilse Bakker")}
#: The second finance officer of each host (expenses from 1,000 euros need two approvers).
SECOND_OFFICERS = {
    "samenkracht-centrum": ("penningmeester2", "Fatima el Amrani"),
    "wijkwijs-noord": ("penningmeester2.noord", "Pieter Hoekstra"),
    "welzijn-verbindt": ("penningmeester2.beide", "Noor Jansen"),
    "buurtwerk-maasoever": ("penningmeester2.rotterdam", "Daan Verbeek"),
}
#: The resident of the demo log-ins joins the initiative with buurtbudget grants, so the
#: way of a receipt (resident → treasurer → two host approvers) can be walked.
RESIDENT = "bewoner"
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
    rules = HOST_RULES.get(host.slug, HOST_RULES["samenkracht-centrum"])
    proof_from = rules["proof_from"]
    agreement = HostingAgreement.objects.create(
        host=host,
        initiative=initiative,
        state=AgreementState.ACTIVE,
        message="Wij willen graag dat u ons geld beheert.",
        requested_by=initiative.members.first(),
        requested_at=now,
        start_date=start,
        fee_basis_points=random.Random(initiative.pk).choice([0, 0, 250, 500]),
        approval_threshold_cents=rules["threshold"] * 100,
        approver_bands=services.validate_bands(
            [{"from_cents": euros * 100, "approvers": n} for euros, n in rules["bands"]],
            rules["threshold"] * 100,
        ),
        required_receipts=rules["text"],
        receipt_rule=ReceiptRule.ALWAYS if proof_from is None else ReceiptRule.FROM_AMOUNT,
        receipt_from_cents=(proof_from or 0) * 100,
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


def _year_of_money(initiative, plans, rng: random.Random, start: datetime.date, budget) -> int:
    """Grants at the start with their budget lines (``budget``: the officer and the random
    generator for them, and where they are collected), then a donation now and then
    (spending: ``expenses.py``)."""
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
    officer, lines_rng, lines = budget
    lines.update(demo_budget_lines.set_for(grants, officer, lines_rng))
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
    return n


@transaction.atomic
def load_demo_hosting(*, stdout=None) -> dict:
    """Hosts with two finance officers and hosted initiatives with a year of transactions."""
    if HostingAgreement.objects.exists():
        if stdout:
            stdout.write("Fiscal hosting: already there; nothing has changed.")
        return {}
    rng = random.Random(SEED)
    lines_rng, lines = random.Random(SEED + 1), {}
    password_hash = make_password(DEMO_PASSWORD)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    report = {"agreements": 0, "transactions": 0}
    funded = {}
    for fp in FundedPlan.objects.filter(initiative__isnull=False).select_related(
        "plan__budget_round", "plan"
    ):
        funded.setdefault(fp.initiative_id, []).append(fp.plan)
    logins = []
    people: dict[int, demo_expenses.HostPeople] = {}

    def host_people(host, officer):
        if host.pk not in people:
            local, name = SECOND_OFFICERS[host.slug]
            officers = [officer, _officer(host, local, name, password_hash)]
            if host.slug in THIRD_OFFICERS:
                officers.append(_officer(host, *THIRD_OFFICERS[host.slug], password_hash))
            logins.extend(o.email for o in officers[1:])
            people[host.pk] = demo_expenses.HostPeople(host, officers)
        return people[host.pk]

    for slug, local, name, n in HOSTS:
        host = Organisation.objects.filter(slug=slug).first()
        if host is None:
            continue
        officer = _officer(host, local, name, password_hash)
        logins.append(officer.email)
        staff = host_people(host, officer)
        hosted = Initiative.objects.filter(host_organisation=host).exclude(
            hosting_agreements__isnull=False
        )
        chosen = list(hosted.filter(pk__in=list(funded)).order_by("pk"))
        chosen += [i for i in hosted.order_by("pk")[: n + len(chosen)] if i not in chosen][
            : max(0, n - len(chosen))
        ]
        for initiative in chosen:
            agreement = _activate(initiative, host, officer, start)
            staff.initiatives.append((initiative, agreement))
            report["agreements"] += 1
            plans = [p for p in funded.get(initiative.pk, []) if not hasattr(p, "grant")]
            report["transactions"] += _year_of_money(
                initiative, plans, rng, start, (officer, lines_rng, lines)
            )
    # funded plans of initiatives that no demo host holds yet: Samenkracht hosts them
    fallback = Organisation.objects.filter(slug="samenkracht-centrum").first()
    if fallback is not None:
        officer = _officer(fallback, "penningmeester", "Joost Visser", password_hash)
        staff = host_people(fallback, officer)
        resident = User.objects.filter(email=f"{RESIDENT}@{DEMO_DOMAIN}").first()
        for initiative in Initiative.objects.filter(pk__in=list(funded)).exclude(
            hosting_agreements__isnull=False
        ):
            agreement = _activate(initiative, fallback, officer, start)
            if resident is not None:
                initiative.members.add(resident)
                resident = None  # one initiative is enough
            staff.initiatives.append((initiative, agreement))
            report["agreements"] += 1
            report["transactions"] += _year_of_money(
                initiative, funded[initiative.pk], rng, start, (officer, lines_rng, lines)
            )
    report["fund_applications"] = fund_demo.load_open_applications(start)
    before = LedgerTransaction.objects.count()
    year = demo_expenses.run_year(
        [p for p in people.values() if p.initiatives], start, today, rng, budgets=lines
    )
    report["transactions"] += LedgerTransaction.objects.count() - before
    report["expenses"] = year.expenses
    report["batches"] = year.batches
    report["statements"] = year.statements
    report["budget_lines"] = sum(len(v) for v in lines.values())
    if stdout:
        stdout.write(
            f"Fiscal hosting: {report['agreements']} hosted initiatives, "
            f"{report['transactions']} transactions; {year.expenses} expenses "
            f"({', '.join(f'{n} {state}' for state, n in sorted(year.states.items()))}), "
            f"{year.batches} payout batches, {year.statements} bank statements."
        )
        stdout.write("Host finance officers: " + ", ".join(sorted(set(logins))))
    return report
