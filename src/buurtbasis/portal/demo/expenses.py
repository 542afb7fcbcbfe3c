"""A demo year of expense claims and invoices, through the real expense services.

Per host, period by period (four weeks): members submit what they spent with a receipt,
the treasurer checks it, the host's finance officers approve it when its amount band asks
for that, the host makes a payout batch (pain.001) on payday and reads the bank statement
(CAMT.053) that pays it the next day. Along the way one payment comes back from the bank
(account closed) and is tried again, and a volunteer gets an allowance or two. At the end
every state is there: drafts, submitted, needs more information, waiting for a second
host approver, rejected with a reason, approved, scheduled and paid.

Speed: one small PNG and one small PDF are made once and stored per expense through the
upload service (which checks and re-encodes them); batches and statements take all of a
period's expenses of a host at once.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from buurtbasis.hosting import expenses, services
from buurtbasis.hosting.models import Category
from buurtbasis.hosting.models_expenses import BankLine, Expense, ExpenseKind, ExpenseState
from buurtbasis.platform import notifications
from buurtbasis.platform.audit import Origin

PERIOD_DAYS = 28
#: The host's own bank account per host slug (the debtor of its SEPA files).
HOST_IBANS = {
    "samenkracht-centrum": "NL05ABNA6353989544",
    "wijkwijs-noord": "NL47INGB3787324501",
    "welzijn-verbindt": "NL43TRIO8583733061",
    "buurtwerk-maasoever": "NL61RABO7970309701",
}
#: Members' own accounts (expense claims are paid back to them).
MEMBER_IBANS = [
    "NL35RABO8480918169",
    "NL68INGB4869338171",
    "NL15ABNA3335435112",
    "NL50SNSB9646259609",
    "NL70BUNQ1544169062",
    "NL70ASNB4746962816",
    "NL10RBRB1879521323",
    "NL90KNAB2283288560",
    "NL85RABO5051686260",
    "NL71INGB5781183222",
]
#: (category, kind, payee, payee IBAN, description, smallest and largest amount in euros)
PURCHASES = [
    (
        Category.MATERIALS,
        ExpenseKind.CLAIM,
        None,
        None,
        "Plantjes en potgrond voor de boomspiegels",
        25,
        140,
    ),
    (
        Category.MATERIALS,
        ExpenseKind.CLAIM,
        None,
        None,
        "Grijpers, handschoenen en vuilniszakken",
        20,
        90,
    ),
    (
        Category.MATERIALS,
        ExpenseKind.INVOICE,
        "Bouwmarkt De Steiger",
        "NL37ABNA3465058629",
        "Verf en kwasten voor de bankjes",
        60,
        220,
    ),
    (
        Category.FOOD,
        ExpenseKind.CLAIM,
        None,
        None,
        "Koffie, thee en koek voor de buurtochtend",
        15,
        60,
    ),
    (Category.FOOD, ExpenseKind.CLAIM, None, None, "Boodschappen voor de kookavond", 30, 95),
    (
        Category.FOOD,
        ExpenseKind.INVOICE,
        "Bakkerij Van der Linden",
        "NL76SNSB2200367645",
        "Taarten voor het straatfeest",
        40,
        120,
    ),
    (
        Category.RENT,
        ExpenseKind.INVOICE,
        "Wijkcentrum Het Anker",
        "NL63TRIO4423720279",
        "Zaalhuur voor de bewonersavond",
        45,
        150,
    ),
    (
        Category.RENT,
        ExpenseKind.INVOICE,
        "Buurthuis De Kern",
        "NL58TRIO7946905675",
        "Huur van de zaal, twee avonden",
        60,
        180,
    ),
    (
        Category.ACTIVITIES,
        ExpenseKind.INVOICE,
        "Verhuur Springkussen Oost",
        "NL77BUNQ4742654890",
        "Springkussen voor de speelmiddag",
        90,
        240,
    ),
    (
        Category.ACTIVITIES,
        ExpenseKind.CLAIM,
        None,
        None,
        "Entree en bus voor het uitje met de kinderen",
        60,
        230,
    ),
    (
        Category.COMMUNICATION,
        ExpenseKind.INVOICE,
        "Drukkerij De Boog",
        "NL70ASNB6537523549",
        "Flyers en posters drukken (500 stuks)",
        35,
        130,
    ),
    (
        Category.COMMUNICATION,
        ExpenseKind.CLAIM,
        None,
        None,
        "Uitnodigingen voor de buurt printen",
        15,
        45,
    ),
    (Category.COMMUNICATION, ExpenseKind.CLAIM, None, None, "Postzegels en enveloppen", 6, 22),
    (
        Category.OTHER,
        ExpenseKind.INVOICE,
        "Verzekeringen Oosterveld",
        "NL84KNAB6846266250",
        "Evenementenverzekering straatfeest",
        30,
        75,
    ),
]
#: Bigger purchases that need two host approvers (from 1,000 euros in the demo agreements).
BIG_PURCHASES = [
    (
        Category.ACTIVITIES,
        ExpenseKind.INVOICE,
        "Podiumverhuur Weststad",
        "NL47RBRB3966284567",
        "Podium en geluid voor het buurtfestival",
        1_010,
        1_250,
    ),
    (
        Category.MATERIALS,
        ExpenseKind.INVOICE,
        "Tuincentrum Groenrijk",
        "NL93KNAB5920752228",
        "Plantenbakken en bomen voor het pleintje",
        1_005,
        1_150,
    ),
]
QUESTION = "Kunt u een bon met de losse bedragen toevoegen? Nu staat alleen het totaal erop."
REJECTION = "Alcohol betalen wij niet uit de subsidie. Dat staat in de afspraken."
RETURN_REASON = "AC04"  # account closed
#: A volunteer allowance in these periods, at this host.
ALLOWANCE_PERIODS = (3, 8)
ALLOWANCE_HOST = "samenkracht-centrum"
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


@dataclass
class HostPeople:
    host: object
    officers: list  # at least two finance officers
    initiatives: list = field(default_factory=list)


@dataclass
class Year:
    """What the demo year made (for the command's summary and the tests)."""

    expenses: int = 0
    batches: int = 0
    statements: int = 0
    allowances: int = 0
    states: dict = field(default_factory=dict)


def receipt_files():
    """A small photographed receipt (PNG) and a small PDF invoice, made once."""
    from PIL import Image, ImageDraw
    from pypdf import PdfWriter

    image = Image.new("RGB", (120, 180), (250, 250, 240))
    draw = ImageDraw.Draw(image)
    for y in range(20, 160, 14):
        draw.line((12, y, 108, y), fill=(90, 90, 90), width=2)
    png = io.BytesIO()
    image.save(png, "PNG")
    writer = PdfWriter()
    writer.add_blank_page(width=210, height=297)
    pdf = io.BytesIO()
    writer.write(pdf)
    return png.getvalue(), pdf.getvalue()


def statement_for(
    items,
    *,
    statement_id: str,
    iban: str,
    opening: int,
    day: datetime.date | None = None,
    returns=(),
    extra=(),
) -> bytes:
    """A CAMT.053 of the host's account: ``items`` (payout items) as one batch debit with
    a detail per payment, ``returns`` (payout items) as credits returned by the bank."""
    from buurtcore.bank.writer import statement_xml

    booking = {"booking_date": day.isoformat()} if day else {}
    details = [
        {
            "amount_cents": -item.amount_cents,
            "iban": item.expense.payee_iban,
            "name": item.expense.payee_name,
            "end_to_end_id": item.end_to_end_id,
        }
        for item in items
    ]
    entries = []
    if details:
        total = sum(d["amount_cents"] for d in details)
        entries.append({"amount_cents": total, "batch": True, "details": details, **booking})
    for item in returns:
        entries.append(
            {
                "amount_cents": item.amount_cents,
                "return_reason": RETURN_REASON,
                "details": [
                    {
                        "amount_cents": item.amount_cents,
                        "iban": item.expense.payee_iban,
                        "name": item.expense.payee_name,
                        "end_to_end_id": item.end_to_end_id,
                        "return_reason": RETURN_REASON,
                    }
                ],
                **booking,
            }
        )
    statement = {"id": statement_id, "iban": iban, "opening_cents": opening}
    if day:
        statement["date"] = day.isoformat()
    return statement_xml([{**statement, "entries": [*entries, *extra]}])


#: One purchase in this many falls outside the grant's budget lines (people improvise).
OFF_BUDGET = 20


class _Maker:
    def __init__(self, rng: random.Random, year: Year, budgets=None):
        self.rng = rng
        self.year = year
        self.png, self.pdf = receipt_files()
        self.budgets = budgets or {}  # budget lines per grant id: {category: cents}

    def purchase_for(self, grant):
        """A purchase in one of the grant's budgeted categories (now and then another)."""
        lines = self.budgets.get(grant.pk) if grant is not None else None
        choices = [p for p in PURCHASES if lines and p[0] in lines]
        if not choices or self.rng.randrange(OFF_BUDGET) == 0:
            choices = PURCHASES
        return self.rng.choice(choices)

    def receipt(self, kind: str) -> SimpleUploadedFile:
        if kind == ExpenseKind.INVOICE:
            return SimpleUploadedFile("factuur.pdf", self.pdf, content_type="application/pdf")
        return SimpleUploadedFile("kassabon.png", self.png, content_type="image/png")

    def submitter(self, initiative, agreement):
        """A member who is not the treasurer when there is one (the treasurer checks)."""
        others = [m for m in initiative.demo_members if m.pk != agreement.treasurer_id]
        return self.rng.choice(others) if others else agreement.treasurer

    def submit(self, initiative, agreement, purchase, day, *, amount=None, draft=False):
        person = self.submitter(initiative, agreement)
        grant, left = richest_grant(initiative)
        if purchase is None:
            purchase = self.purchase_for(grant)
        category, kind, payee, iban, text, low, high = purchase
        cents = amount or self.rng.randrange(low * 100, high * 100, 5)
        if left < cents + 50_00:
            return None  # the money is spent: nothing more this period
        # small claims without a till slip, where the host asks proof from an amount only
        without_proof = (
            not draft
            and kind == ExpenseKind.CLAIM
            and not agreement.receipt_required(cents)
            and self.rng.random() < 0.5
        )
        if payee is None:
            payee = person.display_name or "Lid van het initiatief"
            iban = MEMBER_IBANS[person.pk % len(MEMBER_IBANS)]
        expense = expenses.submit_expense(
            initiative=initiative,
            grant=grant,
            description=text,
            amount_cents=cents,
            date=day,
            category=category,
            payee_name=payee,
            payee_iban=iban,
            receipt=None if draft or without_proof else self.receipt(kind),
            reference=f"F{day:%Y}-{self.rng.randrange(100, 999)}"
            if kind == ExpenseKind.INVOICE
            else "",
            kind=kind,
            draft=draft,
            origin=Origin(actor=person),
        )
        self.year.expenses += 1
        return expense

    def check(self, expense, agreement, people: HostPeople, host_approvals=None):
        """The treasurer's check (the host's when the treasurer submitted), then as many
        host approvers as the band asks (``host_approvals``: stop after that many)."""
        officers = list(people.officers)
        if agreement.treasurer_id != expense.submitted_by_id:
            first = agreement.treasurer
        else:
            first = officers.pop()
        expenses.approve(expense=expense, origin=Origin(actor=first))
        needed = agreement.approvers_needed(expense.amount_cents)
        if host_approvals is not None:
            needed = min(needed, host_approvals)
        for officer in officers[:needed]:
            expenses.approve(expense=expense, origin=Origin(actor=officer))


def richest_grant(initiative):
    """The grant with the most money left, and what it can still pay (earmark minus what
    is approved and not yet paid)."""
    balances = services.earmark_balances(initiative)
    if not balances:
        return None, 0
    grant = max(balances, key=lambda g: (balances[g], -g.pk))
    return grant, expenses.available_cents(grant)


def _pay_period(people: HostPeople, payday: datetime.date, year: Year, *, returned=None):
    """Payday: a batch of everything approved, and the next day's statement that pays it
    (with ``returned``: also the return of a payment of an earlier batch)."""
    officer = people.officers[0]
    origin = Origin(actor=officer)
    ready = list(
        Expense.objects.filter(host=people.host, state=ExpenseState.APPROVED).values_list(
            "pk", flat=True
        )
    )
    booked = payday + datetime.timedelta(days=1)
    batch = None
    if ready:
        batch = expenses.create_batch(
            host=people.host, expense_ids=ready, execution_date=booked, origin=origin, today=payday
        )
        year.batches += 1
    items = list(batch.items.select_related("expense")) if batch else []
    returns = [returned] if returned is not None else []
    # the municipality's money for grants decided since the last statement arrives now
    arriving = list(expenses.grants_to_arrive(people.host, decided_by=booked))
    if not items and not returns and not arriving:
        return None
    statement_id = f"{people.host.slug[:12].upper()}-{booked:%Y%m%d}"
    data = statement_for(
        items,
        statement_id=statement_id,
        iban=HOST_IBANS[people.host.slug],
        # The bank ends the day where the ledger does once this statement is booked: the
        # ledger up to that day (the year's donations and grants are booked in advance, so
        # later days are left out), less what this statement brings in (the ledger counted
        # the grants when they were decided).
        opening=expenses.ledger_cash_cents(people.host, before=booked + datetime.timedelta(days=1))
        - sum(g.budget_cents for g in arriving),
        day=booked,
        returns=returns,
        extra=[_grant_payment(grant, booked) for grant in arriving],
    )
    expenses.import_statement(host=people.host, data=data, origin=origin)
    for grant in arriving:
        line = BankLine.objects.get(
            host=people.host,
            statement__statement_id=statement_id,
            remittance__contains=_grant_reference(grant),
        )
        expenses.book_line_as_grant_payment(line=line, grant=grant, origin=origin)
    year.statements += 1
    return batch


#: The municipality's account the demo grants come from (a valid test IBAN).
MUNICIPALITY_IBAN = "NL02ABNA0123456789"


def _grant_reference(grant) -> str:
    return f"TOEKENNING {grant.pk} /"  # the slash ends the number: 1 is not 12


def _grant_payment(grant, day: datetime.date) -> dict:
    """A credit on the statement: the municipality pays a grant."""
    return {
        "amount_cents": grant.budget_cents,
        "booking_date": day.isoformat(),
        "details": [
            {
                "amount_cents": grant.budget_cents,
                "iban": MUNICIPALITY_IBAN,
                "name": "Gemeente",
                "ustrd": [f"{_grant_reference(grant)} {grant.label}"[:140]],
            }
        ],
    }


def run_year(
    hosts: list[HostPeople], start: datetime.date, today: datetime.date, rng, budgets=None
) -> Year:
    """The year of every host; the last period leaves expenses in every state
    (``budgets``: the budget lines per grant id, which most purchases follow)."""
    year = Year()
    maker = _Maker(rng, year, budgets)
    for people in hosts:
        expenses.set_bank_account(
            host=people.host,
            name=people.host.name[:70],
            iban=HOST_IBANS[people.host.slug],
            pain_version="001.001.09",
            origin=Origin(actor=people.officers[0]),
        )
        for initiative, _agreement in people.initiatives:
            initiative.demo_members = list(initiative.members.order_by("pk"))
        with notifications.quiet():  # nobody needs to hear now of last year's receipts
            _host_year(people, start, today, maker, year)
        _open_ends(people, today, maker)
    for state, n in _count_states(hosts).items():
        year.states[state] = n
    return year


def _host_year(people: HostPeople, start, today, maker: _Maker, year: Year):
    rng = maker.rng
    paydays = []
    day = start + datetime.timedelta(days=PERIOD_DAYS)
    while day < today - datetime.timedelta(days=10):
        paydays.append(day)
        day += datetime.timedelta(days=PERIOD_DAYS)
    to_return = None  # a payment the bank sends back (once per host, mid-year)
    allowances = 0
    for n, payday in enumerate(paydays):
        begin = payday - datetime.timedelta(days=PERIOD_DAYS - 1)
        for initiative, agreement in people.initiatives:
            for _ in range(rng.choice([0, 0, 1, 1, 1])):
                when = begin + datetime.timedelta(days=rng.randrange(PERIOD_DAYS - 3))
                expense = maker.submit(initiative, agreement, None, when)
                if expense is not None:
                    maker.check(expense, agreement, people)
        if n in ALLOWANCE_PERIODS and people.host.slug == ALLOWANCE_HOST:
            initiative, agreement = people.initiatives[allowances % len(people.initiatives)]
            allowances += _allowance(maker, initiative, agreement, people, begin)
        returned = None
        if to_return is not None:
            returned, to_return = to_return, None
        batch = _pay_period(people, payday, year, returned=returned)
        if returned is not None:
            # the treasurer checked the IBAN with the member: the host tries again
            expenses.retry(expense=returned.expense, origin=Origin(actor=people.officers[0]))
        if n == len(paydays) // 2 and batch is not None:
            to_return = batch.items.select_related("expense").first()
    year.allowances += allowances


def _allowance(maker: _Maker, initiative, agreement, people, begin) -> int:
    volunteer = maker.submitter(initiative, agreement)
    hours = 12
    expense = expenses.submit_expense(
        initiative=initiative,
        grant=richest_grant(initiative)[0],
        description=f"Vrijwilligersvergoeding {MONTHS.split()[begin.month - 1]} {begin.year} "
        f"({hours} uur)",
        amount_cents=60_00,
        date=begin + datetime.timedelta(days=20),
        category=Category.ALLOWANCES,
        payee_name=volunteer.display_name or "Vrijwilliger",
        payee_iban=MEMBER_IBANS[volunteer.pk % len(MEMBER_IBANS)],
        receipt=maker.receipt(ExpenseKind.CLAIM),
        hours=hours,
        origin=Origin(actor=volunteer),
    )
    maker.year.expenses += 1
    maker.check(expense, agreement, people)
    return 1


def _open_ends(people: HostPeople, today: datetime.date, maker: _Maker):
    """The last weeks: a batch waiting for its statement, and expenses in every open state."""
    rng = maker.rng
    recent = today - datetime.timedelta(days=9)
    initiatives = people.initiatives
    day = today - datetime.timedelta(days=4)
    # a big invoice: the treasurer and one host approver said yes, a second one must follow
    initiative, agreement = max(initiatives, key=lambda pair: richest_grant(pair[0])[1])
    expense = maker.submit(initiative, agreement, rng.choice(BIG_PURCHASES), day)
    if expense is not None:
        maker.check(expense, agreement, people, host_approvals=1)
    # paid-for and approved, in a batch that the bank has not reported yet
    for initiative, agreement in initiatives:
        expense = maker.submit(initiative, agreement, None, recent)
        if expense is not None:
            maker.check(expense, agreement, people)
    ready = list(
        Expense.objects.filter(host=people.host, state=ExpenseState.APPROVED).values_list(
            "pk", flat=True
        )
    )
    if ready:
        expenses.create_batch(
            host=people.host,
            expense_ids=ready,
            execution_date=today,
            origin=Origin(actor=people.officers[0]),
            today=today - datetime.timedelta(days=2),
        )
        maker.year.batches += 1
    # open states, spread over the host's initiatives
    steps = ["approved", "submitted", "needs_info", "rejected", "draft"]
    for i, step in enumerate(steps):
        initiative, agreement = initiatives[i % len(initiatives)]
        if step == "rejected":
            purchase = (
                Category.FOOD,
                ExpenseKind.CLAIM,
                None,
                None,
                "Wijn voor de vrijwilligersavond",
                30,
                60,
            )
        else:
            purchase = rng.choice(PURCHASES)
        expense = maker.submit(initiative, agreement, purchase, day, draft=step == "draft")
        if expense is None:
            continue
        checker = Origin(actor=_checker(expense, agreement, people))
        if step == "approved":
            maker.check(expense, agreement, people)
        elif step == "needs_info":
            expenses.request_information(expense=expense, question=QUESTION, origin=checker)
        elif step == "rejected":
            expenses.reject(expense=expense, reason=REJECTION, origin=checker)


def _checker(expense, agreement, people):
    if agreement.treasurer_id != expense.submitted_by_id:
        return agreement.treasurer
    return people.officers[-1]


def _count_states(hosts) -> dict:
    from django.db.models import Count

    rows = (
        Expense.objects.filter(host__in=[p.host for p in hosts])
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    return dict(rows)
