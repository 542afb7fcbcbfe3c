"""Money coming in on a bank statement: a donation booked from its line, a grant's money
arriving (no new posting: the grant was booked when decided), and the balance check that
names the money still to arrive from the municipality. Real services, real camt.053."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import expenses, queries, queries_banklines, services
from buurtbasis.hosting.models import GrantSource, LedgerTransaction
from buurtbasis.hosting.models_expenses import BankLine, LineState
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .expense_helpers import DAY, World, statement_for
from .factories import hosted

pytestmark = pytest.mark.django_db

MUNICIPALITY_IBAN = "NL20INGB0001234567"


def _incoming(
    w, amount, *, info="Gift buurtfeest", statement_id="ABN-IN", opening=100_000, day=None
):
    entry = {"amount_cents": amount, "info": info}
    if day:
        entry["booking_date"] = day.isoformat()
    data = statement_for([], statement_id=statement_id, opening=opening, extra=[entry])
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    return BankLine.objects.filter(statement__statement_id=statement_id).get()


def _fund_grant(w, amount=30_000, label="Initiatievenfonds tweede ronde"):
    return services.record_grant(
        initiative=w.initiative,
        source=GrantSource.FUND,
        label=label,
        amount_cents=amount,
        date=DAY,
        origin=Origin(actor=w.officer),
    )


# --- the services ---------------------------------------------------------------------------


def test_a_donation_is_booked_from_its_line_once():
    w = World()
    line = _incoming(w, 2_500, day=DAY)
    before = queries.books(w.initiative).left
    expenses.book_line_as_donation(
        line=line, initiative=w.initiative, origin=Origin(actor=w.officer)
    )
    line.refresh_from_db()
    txn = line.transaction
    assert line.state == LineState.LINKED and txn.kind == "donation"
    assert txn.description == "Gift via bank" and txn.date == DAY
    assert queries.books(w.initiative).left == before + 2_500
    assert expenses.ledger_cash_cents(w.host) == 100_000 + 2_500
    event = AuditEvent.objects.get(action="hosting.bank_line_donation")
    assert event.details["line"] == line.pk and event.details["transaction"] == txn.pk
    # a second attempt is refused and books nothing
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_donation(
            line=line, initiative=w.initiative, origin=Origin(actor=w.officer)
        )
    assert caught.value.code == "linked"
    assert LedgerTransaction.objects.filter(kind="donation").count() == 1


def test_a_donation_for_an_initiative_of_another_host_is_refused():
    w = World()
    theirs = hosted()
    line = _incoming(w, 2_500)
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_donation(
            line=line, initiative=theirs.initiative, origin=Origin(actor=w.officer)
        )
    assert caught.value.code == "initiative"
    line.refresh_from_db()
    assert line.state == LineState.PENDING and line.transaction is None
    assert not LedgerTransaction.objects.filter(kind="donation").exists()


def test_money_going_out_or_a_return_is_no_donation():
    w = World()
    line = _incoming(w, -1_500, info="Bankkosten")
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_donation(
            line=line, initiative=w.initiative, origin=Origin(actor=w.officer)
        )
    assert caught.value.code == "sign"
    grant = _fund_grant(w)
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_grant_payment(line=line, grant=grant, origin=Origin(actor=w.officer))
    assert caught.value.code == "sign"
    BankLine.objects.filter(pk=line.pk).update(amount_cents=1_500, return_reason="AC04")
    with pytest.raises(expenses.HostingError):
        expenses.book_line_as_donation(
            line=line, initiative=w.initiative, origin=Origin(actor=w.officer)
        )
    assert not LedgerTransaction.objects.filter(kind="donation").exists()


def test_only_a_finance_officer_of_the_host_books_money_coming_in():
    w = World()
    other = World()
    line = _incoming(w, 2_500)
    for person in (other.officer, w.h.coordinator, w.treasurer, UserFactory()):
        with pytest.raises(expenses.HostingError):
            expenses.book_line_as_donation(
                line=line, initiative=w.initiative, origin=Origin(actor=person)
            )
        with pytest.raises(expenses.HostingError):
            expenses.book_line_as_grant_payment(
                line=line, grant=w.grant, origin=Origin(actor=person)
            )
    line.refresh_from_db()
    w.grant.refresh_from_db()
    assert line.state == LineState.PENDING and w.grant.paid_in_line is None


def test_a_grants_money_arriving_links_the_line_without_a_new_posting():
    w = World()
    grant = _fund_grant(w)
    transactions = LedgerTransaction.objects.count()
    line = _incoming(w, 30_000, info="Gemeente Utrecht subsidie", day=DAY)
    assert list(expenses.grants_to_arrive(w.host)) == [w.grant, grant]
    expenses.book_line_as_grant_payment(line=line, grant=grant, origin=Origin(actor=w.officer))
    line.refresh_from_db()
    grant.refresh_from_db()
    assert line.state == LineState.LINKED and line.transaction is None
    assert grant.paid_in_line == line and grant.paid_in_on == DAY
    assert LedgerTransaction.objects.count() == transactions  # nothing new in the ledger
    assert list(expenses.grants_to_arrive(w.host)) == [w.grant]
    event = AuditEvent.objects.get(action="hosting.bank_line_grant_paid_in")
    assert event.details["grant"] == grant.pk
    # neither the line nor the grant can be used again
    second = _incoming(w, 30_000, statement_id="ABN-IN2", opening=130_000)
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_grant_payment(
            line=second, grant=grant, origin=Origin(actor=w.officer)
        )
    assert caught.value.code == "paid_in"
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_grant_payment(
            line=line, grant=w.grant, origin=Origin(actor=w.officer)
        )
    assert caught.value.code == "linked"


def test_a_part_payment_needs_a_note_and_a_grant_of_this_host():
    w = World()
    grant = _fund_grant(w)
    line = _incoming(w, 10_000)
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_grant_payment(line=line, grant=grant, origin=Origin(actor=w.officer))
    assert caught.value.code == "amount"
    assert "€ 100" in caught.value.messages[0].replace("\xa0", " ")
    other = World()
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_grant_payment(
            line=line, grant=other.grant, origin=Origin(actor=w.officer), note="deel"
        )
    assert caught.value.code == "grant"
    donations = services.donations_grant(w.h.agreement)
    with pytest.raises(expenses.HostingError) as caught:
        expenses.book_line_as_grant_payment(
            line=line, grant=donations, origin=Origin(actor=w.officer), note="deel"
        )
    assert caught.value.code == "grant"
    line.refresh_from_db()
    assert line.state == LineState.PENDING
    expenses.book_line_as_grant_payment(
        line=line, grant=grant, origin=Origin(actor=w.officer), note="Eerste termijn"
    )
    line.refresh_from_db()
    grant.refresh_from_db()
    assert line.state == LineState.LINKED and line.note == "Eerste termijn"
    assert grant.paid_in_line == line


# --- the balance check ------------------------------------------------------------------------


def test_the_balance_check_names_the_grants_still_to_arrive():
    w = World()  # the first grant (1.000) is at the bank already: the statement opens with it
    w.grant.paid_in_on = DAY
    w.grant.save(update_fields=["paid_in_on"])  # as if paid in (no line needed for the check)
    _fund_grant(w, 30_000)
    _fund_grant(w, 20_000, label="Buurtbudget")
    day = DAY + datetime.timedelta(days=3)
    line = _incoming(w, 500, info="Rente", day=day)
    check = queries_banklines.balance_checks(w.host, [line.statement])[0]
    # the bank has 1.005, the ledger 1.500: 495 less, of which 500 still to arrive
    assert check.difference_cents == 100_500 - 150_000
    assert check.to_arrive_cents == 50_000 and check.to_arrive_count == 2
    assert check.difference_without_cents == 500


def test_the_statement_page_explains_the_difference_with_fixed_queries(
    client, django_assert_num_queries
):
    w = World()
    w.grant.paid_in_on = DAY
    w.grant.save(update_fields=["paid_in_on"])
    _fund_grant(w, 30_000)
    _incoming(w, 500, info="Rente", day=DAY)
    client.force_login(w.officer)
    url = reverse("hosting:statements", args=[w.host.slug])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        text = client.get(url).text.replace("\xa0", " ")
    assert "Nog te ontvangen van de gemeente: € 300 (1 toekenning)." in text
    assert "Zonder dat bedrag is het verschil € 5." in text
    for n in range(5):
        _fund_grant(w, 1_000 + n, label=f"Fonds {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        text = client.get(url).text.replace("\xa0", " ")
    assert "(6 toekenningen)" in text


# --- the pages ----------------------------------------------------------------------------------


def _url(w, line, action=None):
    if action is None:
        return reverse("hosting:bank-line", args=[w.host.slug, line.pk])
    return reverse(f"hosting:bank-line-{action}", args=[w.host.slug, line.pk])


def test_the_page_books_a_donation_and_a_grant_payment(client):
    w = World()
    grant = _fund_grant(w)
    gift = _incoming(w, 2_500, day=DAY)
    client.force_login(w.officer)
    text = client.get(_url(w, gift)).text
    assert "Boek als gift" in text and "Dit is de betaling van een toekenning" in text
    assert w.initiative.name in text and "Initiatievenfonds tweede ronde" in text
    response = client.post(_url(w, gift, "donation"), {"initiative": w.initiative.pk})
    assert response.status_code == 302 and response.url == _url(w, gift)
    gift.refresh_from_db()
    assert gift.state == LineState.LINKED and gift.transaction is not None
    page = client.get(_url(w, gift)).text
    assert "Geboekt als gift" in page and "Boek als gift" not in page
    # twice: a clear refusal, nothing booked again
    client.post(_url(w, gift, "donation"), {"initiative": w.initiative.pk})
    assert "Deze regel is al gekoppeld." in client.get(_url(w, gift)).text
    assert LedgerTransaction.objects.filter(kind="donation").count() == 1

    paid = _incoming(w, 30_000, statement_id="ABN-IN2", opening=102_500)
    response = client.post(_url(w, paid, "grant"), {"grant": grant.pk})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.paid_in_line_id == paid.pk
    assert "Initiatievenfonds tweede ronde" in client.get(_url(w, paid)).text


@pytest.mark.parametrize("bad", ["", "abc", "-1", "99999999", "1" * 30])
def test_a_bad_choice_books_nothing(client, bad):
    w = World()
    line = _incoming(w, 2_500)
    client.force_login(w.officer)
    assert client.post(_url(w, line, "donation"), {"initiative": bad}).status_code == 302
    assert client.post(_url(w, line, "grant"), {"grant": bad}).status_code == 302
    text = client.get(_url(w, line)).text
    assert "Kies een initiatief" in text and "Kies een toekenning" in text
    line.refresh_from_db()
    assert line.state == LineState.PENDING


def test_other_hosts_and_staff_without_the_finance_role_get_404(client):
    w = World()
    other = World()
    line = _incoming(w, 2_500)
    for person in (other.officer, w.h.coordinator, w.treasurer, UserFactory()):
        client.force_login(person)
        assert (
            client.post(_url(w, line, "donation"), {"initiative": w.initiative.pk}).status_code
            == 404
        )
        assert client.post(_url(w, line, "grant"), {"grant": w.grant.pk}).status_code == 404
    client.force_login(other.officer)
    url = reverse("hosting:bank-line-donation", args=[other.host.slug, line.pk])
    assert client.post(url, {"initiative": other.initiative.pk}).status_code == 404
    line.refresh_from_db()
    assert line.state == LineState.PENDING


def test_posting_without_the_csrf_token_is_refused():
    w = World()
    line = _incoming(w, 2_500)
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.officer)
    assert (
        client.post(_url(w, line, "donation"), {"initiative": w.initiative.pk}).status_code == 403
    )
    assert client.post(_url(w, line, "grant"), {"grant": w.grant.pk}).status_code == 403
    line.refresh_from_db()
    assert line.state == LineState.PENDING


def test_the_english_ui(client, settings):
    w = World()
    w.grant.paid_in_on = DAY
    w.grant.save(update_fields=["paid_in_on"])
    _fund_grant(w)
    line = _incoming(w, 500, day=DAY)
    client.force_login(w.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(_url(w, line)).text
    assert "Book as a donation" in text and "This is the payment of a grant" in text
    client.post(_url(w, line, "grant"), {"grant": w.grant.pk})  # paid in already: not offered
    assert (
        "Choose a grant of this host whose money has not arrived yet."
        in client.get(_url(w, line)).text
    )
    grant = expenses.grants_to_arrive(w.host).get()
    client.post(_url(w, line, "grant"), {"grant": grant.pk})
    text = client.get(_url(w, line)).text.replace("\xa0", " ")
    assert "This line brought in €5, but the grant is €300" in text
    text = client.get(reverse("hosting:statements", args=[w.host.slug])).text
    assert "Still to come from the municipality: €300 (1 grant)." in text
    assert "Without that amount the difference is €5." in text
