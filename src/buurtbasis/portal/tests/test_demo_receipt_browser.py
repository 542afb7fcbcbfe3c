"""Fiscal hosting's "done when", on the demo, in real headless Chromium (390x844):

a resident submits a receipt for a buurtbudget plan's grant from a phone, the treasurer
and two host finance officers approve it, the host downloads a SEPA file that is valid
against its schema, imports a bank statement that marks it paid, and the public ledger,
the plan page ("ontvangen / uitgegeven / over") and the accountability report (PDF,
rendered by the background task) show it. axe finds no serious WCAG 2.1 A/AA problems on
the pages on the way. The people are the demo log-ins of the README.
"""

import datetime
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse

from buurtbasis.accounts.models import User
from buurtbasis.hosting import expenses, queries
from buurtbasis.hosting.models import Category, Grant
from buurtbasis.hosting.models_expenses import Expense, ExpenseState, PayoutBatch
from buurtbasis.hosting.tests.test_expenses_browser import _photo, login
from buurtbasis.hosting.tests.test_reports import _pdf_text
from buurtbasis.platform.money import format_euros
from buurtbasis.platform.testing import run_queued_tasks
from buurtbasis.portal.demo.expenses import HOST_IBANS, statement_for
from buurtbasis.portal.demo.initiatives import DEMO_PASSWORD
from buurtcore.sepa import read_pain001, schema_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RESIDENT = "bewoner@demo.buurtbasis.nl"
TREASURER = "initiatiefnemer@demo.buurtbasis.nl"
OFFICERS = ("penningmeester@demo.buurtbasis.nl", "penningmeester2@demo.buurtbasis.nl")
WHAT = "Afvalgrijpers en vuilniszakken voor de grote opruimdag"
AMOUNT = 1_150_00  # from 1,000 euros the demo's agreements ask for two host approvers


def _text(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text().replace("\xa0", " "))


def _euros(cents: int) -> str:
    return format_euros(cents).replace("\xa0", " ")


def test_a_receipt_from_a_phone_reaches_the_ledger_the_plan_and_the_report_on_the_demo(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    # Zwolle is served on 127.0.0.1 (Rotterdam on localhost); the plan is a Zwolle plan.
    site = SimpleNamespace(url=live_server.url.replace("//localhost:", "//127.0.0.1:"))
    base = f"{site.url}/gastorganisatie"
    people = {email: User.objects.get(email=email) for email in (RESIDENT, TREASURER, *OFFICERS)}
    for email in people:  # the README's log-ins hold
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
    resident = people[RESIDENT]
    grant = max(
        Grant.objects.filter(initiative__members=resident, plan__isnull=False).select_related(
            "initiative", "host", "plan__budget_round"
        ),
        key=expenses.available_cents,
    )
    initiative, host, plan = grant.initiative, grant.host, grant.plan
    assert expenses.available_cents(grant) > AMOUNT
    before = queries.plan_money(plan)

    # The resident submits the receipt from a phone.
    assert page.viewport_size == {"width": 390, "height": 844}
    login(page, site, resident)
    page.goto(f"{base}/initiatief/{initiative.slug}/uitgaven/nieuw/")
    assert axe_violations(page) == []
    page.locator("input[name=description]").fill(WHAT)
    page.locator("input[name=amount]").fill("1150")
    page.locator("input[name=date]").fill(datetime.date.today().isoformat())
    page.locator("select[name=category]").select_option(Category.MATERIALS)
    page.locator("select[name=grant]").select_option(str(grant.pk))
    page.locator("input[name=payee_name]").fill("Bewoner Demo")
    page.locator("input[name=payee_iban]").fill("nl35 rabo 8480 9181 69")
    page.locator("input[name=payee_iban]").press("Tab")
    page.locator("#iban-check").get_by_text("RABOBANK", exact=False).wait_for()
    page.locator("input[name=receipt]").set_input_files(
        files=[{"name": "bon.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.get_by_role("button", name="Indienen").click()
    page.get_by_text("Uw uitgave is ingediend.").wait_for()
    assert axe_violations(page) == []
    expense = Expense.objects.get(description=WHAT)
    assert expense.grant_id == grant.pk and expense.receipt_sha256
    detail = page.url

    # The treasurer checks it, then two different finance officers of the host approve.
    for email in (TREASURER, *OFFICERS):
        login(page, site, people[email])
        page.goto(detail)
        page.get_by_role("button", name="Goedkeuren").click()
        page.get_by_text("Opgeslagen.").wait_for()
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED
    assert {a.approver.email for a in expense.approvals.all()} == {TREASURER, *OFFICERS}
    assert axe_violations(page) == []

    # The host makes a payout batch of it and downloads a valid SEPA file.
    page.goto(f"{base}/host/{host.slug}/uitbetalen/")
    assert axe_violations(page) == []
    page.get_by_label(WHAT, exact=False).check()
    page.get_by_role("button", name="SEPA-bestand maken").click()
    page.get_by_text("is klaar").wait_for()
    batch = PayoutBatch.objects.get(items__expense=expense)
    with page.expect_download() as info:
        page.get_by_role("link", name=f"{batch.batch_id}.xml").click()
    xml = Path(info.value.path()).read_bytes()
    assert schema_errors(xml) == []
    item = batch.items.select_related("expense").get()
    payment = read_pain001(xml)["payments"]
    assert [(p["end_to_end_id"], p["amount_cents"], p["iban"]) for p in payment] == [
        (item.end_to_end_id, AMOUNT, "NL35RABO8480918169")
    ]

    # The bank statement with that payment marks it paid.
    page.goto(f"{base}/host/{host.slug}/afschriften/")
    assert axe_violations(page) == []
    statement = statement_for(
        [item],
        statement_id="ABN-DEMO-SCENARIO",
        iban=HOST_IBANS[host.slug],
        opening=expenses.ledger_cash_cents(host),
    )
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "afschrift.xml", "mimeType": "text/xml", "buffer": statement}]
    )
    page.get_by_role("button", name="Inlezen").click()
    page.get_by_text("1 gekoppeld aan betalingen").wait_for()
    assert axe_violations(page) == []
    expense.refresh_from_db()
    assert expense.state == ExpenseState.PAID and expense.payment_id
    page.goto(detail)
    assert "Betaald" in _text(page.locator("main"))

    # Everyone sees it: the public ledger (without the payee's name) ...
    page.context.clear_cookies()
    page.goto(f"{base}/initiatief/{initiative.slug}/kasboek/")
    row = page.locator("tr", has_text=WHAT).first
    assert _euros(AMOUNT).removeprefix("€ ") in _text(row)
    assert "Bewoner Demo" not in page.content()
    assert axe_violations(page) == []

    # ... and the plan page: received / spent / left.
    after = queries.plan_money(plan)
    assert after.spent == before.spent + AMOUNT
    assert after.left == before.left - AMOUNT
    page.goto(site.url + reverse("budgets:plan-detail", args=[plan.budget_round.slug, plan.pk]))
    money = _text(page.locator("section[aria-labelledby=plan-money-title]"))
    for figure in (after.received, after.spent, after.left):
        assert _euros(figure) in money, (figure, money)
    assert axe_violations(page) == []

    # The resident writes the story; the background task renders the report with the
    # total spent on materials from this grant, this receipt included.
    login(page, site, resident)
    page.goto(f"{base}/initiatief/{initiative.slug}/verantwoording/")
    assert axe_violations(page) == []
    page.get_by_label("Subsidie").select_option(label=grant.label)
    page.get_by_label("Wat is er gebeurd?").fill("Wij hebben vier keer de wijk opgeruimd.")
    page.get_by_label("Wie deden er mee?").fill("Zo'n twintig buren en de basisschool.")
    page.get_by_role("button", name="Het verhaal opslaan en het rapport maken").click()
    page.get_by_text("Dank u wel. Het rapport wordt gemaakt.").wait_for()
    run_queued_tasks()
    page.reload()
    with page.expect_download() as info:
        page.get_by_role("link", name="Het rapport downloaden (pdf)").click()
    text = _pdf_text(Path(info.value.path()).read_bytes()).replace("\xa0", " ")
    materials = sum(
        Expense.objects.filter(
            grant=grant, category=Category.MATERIALS, state=ExpenseState.PAID
        ).values_list("amount_cents", flat=True)
    )
    assert materials >= AMOUNT
    # the demo grant has budget lines: the report shows the budget next to spent and left
    line = grant.budget_lines.filter(category=Category.MATERIALS).first()
    assert grant.budget_lines.exists()
    budget = _euros(line.amount_cents) if line else "geen budget"
    assert f"Materiaal {budget} {_euros(materials)}" in text, text
    assert grant.label in text
