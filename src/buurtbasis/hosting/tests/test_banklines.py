"""A finance officer's bank lines: the page per line (why it was proposed, another payment
picked by hand, hold, ignore, undo a link), the statement list with its balance check, and
the dashboard block with what waits for them. Real services, real statements (camt.053)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import expenses, queries, queries_banklines
from buurtbasis.hosting.blocks_finance import finance_block
from buurtbasis.hosting.models import LedgerTransaction
from buurtbasis.hosting.models_expenses import BankLine, ExpenseState, LineState
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .expense_helpers import PAYEE_IBAN, World, statement_for

pytestmark = pytest.mark.django_db

OTHER_IBAN = "NL20INGB0001234567"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


def _line_by_iban(amount, iban=PAYEE_IBAN, name="Z. Celik"):
    """A bank line without an end-to-end id: the matcher can only guess by IBAN and amount."""
    return {
        "amount_cents": -amount,
        "details": [{"amount_cents": -amount, "iban": iban, "name": name}],
    }


class Unsure:
    """Two scheduled payments of 45,50 to different payees, and a bank line that the
    matcher proposes for the first (IBAN and amount) while it belongs to the second."""

    def __init__(self, amount=4_550, line_amount=None):
        self.w = w = World()
        self.one = w.approve_fully(w.submit(amount=amount, description="Koffie buurtfeest"))
        self.two = w.approve_fully(
            w.submit(
                amount=amount,
                description="Verf voor de bankjes",
                payee_name="Bouwmarkt De Hoek",
                payee_iban=OTHER_IBAN,
            )
        )
        self.batch = w.batch(self.one, self.two)
        self.item_one = self.batch.items.get(expense=self.one)
        self.item_two = self.batch.items.get(expense=self.two)
        data = statement_for([], extra=[_line_by_iban(line_amount or amount)])
        result = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
        assert result.linked == 0
        self.line = BankLine.objects.get()
        if line_amount is None:
            assert result.to_confirm == 1 and self.line.proposed == self.item_one
        self.url = reverse("hosting:bank-line", args=[w.host.slug, self.line.pk])

    def post(self, client, action, **data):
        name = "hosting:bank-line-link" if action == "link" else "hosting:bank-line-action"
        args = [self.w.host.slug, self.line.pk] + ([] if action == "link" else [action])
        return client.post(reverse(name, args=args), data)


def _linked_world():
    w = World()
    one = w.approve_fully(w.submit(amount=4_550))
    batch = w.batch(one)
    data = statement_for(list(batch.items.select_related("expense")))
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    line = BankLine.objects.get()
    one.refresh_from_db()
    assert line.state == LineState.LINKED and one.state == ExpenseState.PAID
    return w, one, line


# --- the service: undo a link made by mistake ---------------------------------------------------


def test_unlinking_reverses_the_payment_and_the_line_can_be_linked_again():
    w, one, line = _linked_world()
    paid_txn = one.payment
    assert queries.books(w.initiative).left == 100_000 - 4_550
    expenses.unlink_line(line=line, reason="Verkeerde regel", origin=Origin(actor=w.officer))
    one.refresh_from_db()
    line.refresh_from_db()
    assert one.state == ExpenseState.SCHEDULED and one.payment is None and one.paid_at is None
    assert (
        line.state == LineState.PENDING and line.linked is None and line.note == "Verkeerde regel"
    )
    assert LedgerTransaction.objects.filter(reverses=paid_txn).count() == 1
    assert queries.books(w.initiative).left == 100_000  # the money is back in the earmark
    assert expenses.ledger_cash_cents(w.host) == 100_000
    assert AuditEvent.objects.filter(action="hosting.bank_line_unlinked").count() == 1
    assert one.events.last().new_state == ExpenseState.SCHEDULED

    # The right line (or the same) can be linked again: one new payment, not two.
    expenses.confirm_line(line=line, item=line.proposed, origin=Origin(actor=w.officer))
    one.refresh_from_db()
    assert one.state == ExpenseState.PAID and one.payment_id not in (None, paid_txn.pk)
    assert queries.books(w.initiative).left == 100_000 - 4_550
    assert LedgerTransaction.objects.filter(kind="expense").count() == 2  # paid, corrected, paid


def test_unlinking_needs_a_reason_a_linked_line_and_a_finance_officer():
    w, one, line = _linked_world()
    with pytest.raises(expenses.HostingError) as caught:
        expenses.unlink_line(line=line, reason="  ", origin=Origin(actor=w.officer))
    assert caught.value.code == "reason"
    for person in (w.h.coordinator, w.treasurer, UserFactory()):
        with pytest.raises(expenses.HostingError) as caught:
            expenses.unlink_line(line=line, reason="Fout", origin=Origin(actor=person))
        assert caught.value.code == "forbidden"
    expenses.unlink_line(line=line, reason="Fout", origin=Origin(actor=w.officer))
    with pytest.raises(expenses.HostingError) as caught:
        expenses.unlink_line(line=line, reason="Fout", origin=Origin(actor=w.officer))
    assert caught.value.code == "not_linked"
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1


def test_a_link_whose_payment_failed_since_cannot_be_undone():
    w, one, line = _linked_world()
    expenses.mark_failed(expense=one, reason="Bank meldt fout", origin=Origin(actor=w.officer))
    with pytest.raises(expenses.HostingError) as caught:
        expenses.unlink_line(line=line, reason="Fout", origin=Origin(actor=w.officer))
    assert caught.value.code == "changed"
    assert "kan niet meer" in caught.value.messages[0]
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1  # only the failure's


# --- the queries --------------------------------------------------------------------------------


def test_candidates_are_the_hosts_scheduled_payments_filtered_by_amount_and_text():
    u = Unsure()
    other = World()  # another host with a payment of the same amount
    theirs = other.approve_fully(other.submit(amount=4_550))
    other.batch(theirs)
    found = list(queries_banklines.candidate_items(u.w.host, u.line))
    assert found == [u.item_one, u.item_two]
    by_amount = queries_banklines.candidate_items(u.w.host, u.line, amount_cents=4_550)
    assert by_amount.count() == 2
    assert queries_banklines.candidate_items(u.w.host, u.line, amount_cents=4_551).count() == 0
    by_name = queries_banklines.candidate_items(u.w.host, u.line, text="hoek")
    assert list(by_name) == [u.item_two]
    by_iban = queries_banklines.candidate_items(u.w.host, u.line, text="nl20 ingb")
    assert list(by_iban) == [u.item_two]
    # once paid, a payment is no candidate for an ordinary line any more
    expenses.confirm_line(line=u.line, item=u.item_two, origin=Origin(actor=u.w.officer))
    assert list(queries_banklines.candidate_items(u.w.host, u.line)) == [u.item_one]


def test_money_coming_in_has_no_candidates():
    w = World()
    one = w.approve_fully(w.submit(amount=2_500))
    w.batch(one)
    data = statement_for([], extra=[{"amount_cents": 2_500, "info": "Gift"}])
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    line = BankLine.objects.get()
    assert queries_banklines.candidate_items(w.host, line).count() == 0


def test_the_balance_check_compares_the_closing_balance_with_the_ledger_at_that_date():
    w, one, line = _linked_world()
    check = queries_banklines.balance_checks(w.host, [line.statement])[0]
    # The statement opened with 1.000,00 and paid 45,50; the ledger holds the grant minus it.
    assert line.statement.closing_balance_cents == 100_000 - 4_550
    assert check.ledger_cents == 100_000 - 4_550 and check.difference_cents == 0
    data = statement_for(
        [], statement_id="ABN-2", opening=100_000 - 4_550, extra=[{"amount_cents": -150}]
    )
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    statements = list(w.host.bank_statements.all())
    checks = {
        c.statement.statement_id: c for c in queries_banklines.balance_checks(w.host, statements)
    }
    assert checks["ABN-2"].difference_cents == -150  # the bank has 1,50 less: bank costs
    assert checks["ABN-2"].lines == 1


# --- the pages ----------------------------------------------------------------------------------


def test_the_line_page_says_why_and_a_person_links_another_payment(client):
    u = Unsure()
    client.force_login(u.w.officer)
    text = client.get(u.url).text
    assert "enige openstaande betaling van dit bedrag naar dit IBAN" in text
    assert "Koffie buurtfeest" in text and "Verf voor de bankjes" in text
    assert "Koppel aan deze betaling" in text
    response = u.post(client, "link", item=u.item_two.pk)
    assert response.status_code == 302 and response.url == u.url
    u.line.refresh_from_db()
    u.two.refresh_from_db()
    u.one.refresh_from_db()
    assert u.line.state == LineState.LINKED and u.line.linked == u.item_two
    assert u.two.state == ExpenseState.PAID and u.one.state == ExpenseState.SCHEDULED
    page = client.get(u.url).text
    assert "Gekoppeld aan een betaling" in page  # the history
    assert "Koppel aan deze betaling" not in page


def test_the_wrong_amount_is_refused_in_dutch(client):
    u = Unsure(line_amount=4_000)  # a line of 40,00 to the first payee: nothing proposed
    client.force_login(u.w.officer)
    response = u.post(client, "link", item=u.item_two.pk)
    assert response.status_code == 302
    text = client.get(u.url).text.replace("\xa0", " ")
    assert "Deze regel bewoog € 40, maar de betaling is € 45,50" in text
    u.line.refresh_from_db()
    assert u.line.state == LineState.PENDING
    assert LedgerTransaction.objects.filter(kind="expense").count() == 0


@pytest.mark.parametrize("bad", ["", "abc", "-1", "99999999", "1" * 30])
def test_a_bad_payment_id_links_nothing(client, bad):
    u = Unsure()
    client.force_login(u.w.officer)
    response = u.post(client, "link", item=bad)
    assert response.status_code == 302
    assert "Kies de betaling waar deze regel bij hoort." in client.get(u.url).text
    u.line.refresh_from_db()
    assert u.line.state == LineState.PENDING  # never the proposal instead


def test_a_payment_of_another_host_is_refused(client):
    u = Unsure()
    other = World()
    theirs = other.approve_fully(other.submit(amount=4_550))
    item = other.batch(theirs).items.get()
    client.force_login(u.w.officer)
    u.post(client, "link", item=item.pk)
    u.line.refresh_from_db()
    theirs.refresh_from_db()
    assert u.line.state == LineState.PENDING and theirs.state == ExpenseState.SCHEDULED


def test_other_hosts_and_staff_without_the_finance_role_get_404(client):
    u = Unsure()
    other = World()
    for person in (other.officer, u.w.h.coordinator, u.w.treasurer, UserFactory()):
        client.force_login(person)
        assert client.get(u.url).status_code == 404
        assert u.post(client, "link", item=u.item_two.pk).status_code == 404
        assert u.post(client, "wachten", reason="x").status_code == 404
    # the line under another host's address is not found either
    client.force_login(other.officer)
    url = reverse("hosting:bank-line", args=[other.host.slug, u.line.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("hosting:approvals", args=[u.w.host.slug])).status_code == 404
    client.logout()
    assert client.get(u.url).status_code == 302  # to the login page
    u.line.refresh_from_db()
    assert u.line.state == LineState.PENDING


def test_posting_without_the_csrf_token_is_refused():
    u = Unsure()
    client = Client(enforce_csrf_checks=True)
    client.force_login(u.w.officer)
    assert u.post(client, "link", item=u.item_two.pk).status_code == 403
    assert u.post(client, "negeren", reason="x").status_code == 403
    u.line.refresh_from_db()
    assert u.line.state == LineState.PENDING


def test_an_unknown_action_is_404(client):
    u = Unsure()
    client.force_login(u.w.officer)
    assert u.post(client, "wissen", reason="x").status_code == 404
    assert client.get(reverse("hosting:bank-line", args=[u.w.host.slug, 999999])).status_code == 404


def test_the_search_form_filters_and_a_bad_amount_is_explained(client):
    u = Unsure()
    client.force_login(u.w.officer)
    text = client.get(u.url).text  # at first: the line's own amount, any name
    assert 'value="45,50"' in text and text.count("Koppel aan deze betaling") == 2
    text = client.get(u.url, {"bedrag": "", "zoek": "Hoek"}).text
    assert text.count("Koppel aan deze betaling") == 1 and "Bouwmarkt De Hoek" in text
    text = client.get(u.url, {"bedrag": "veertig", "zoek": ""}).text
    assert "Vul een bedrag in euro in, bijvoorbeeld 1250 of 1.250,50." in text
    assert "Koppel aan deze betaling" not in text
    text = client.get(u.url, {"bedrag": "12,00", "zoek": ""}).text
    assert "Geen openstaande betaling past" in text
    assert client.get(u.url, {"zoek": "\x00"}).status_code == 200  # refused, not a crash


def test_hold_ignore_and_back_with_a_note(client):
    u = Unsure()
    client.force_login(u.w.officer)
    u.post(client, "wachten", reason="Navragen bij de penningmeester")
    u.line.refresh_from_db()
    assert u.line.state == LineState.ON_HOLD and u.line.note == "Navragen bij de penningmeester"
    u.post(client, "terug", reason="")
    u.line.refresh_from_db()
    assert u.line.state == LineState.PENDING
    u.post(client, "wachten", reason="", negeren="1")
    u.line.refresh_from_db()
    assert u.line.state == LineState.PENDING  # ignoring needs a reason
    assert "Geef een reden." in client.get(u.url).text
    u.post(client, "wachten", reason="Dubbel geboekt", negeren="1")
    u.line.refresh_from_db()
    assert u.line.state == LineState.IGNORED
    text = client.get(u.url).text
    assert "Laten wachten" in text and "Navragen bij de penningmeester" in text


def test_undo_a_link_through_the_page(client):
    w, one, line = _linked_world()
    client.force_login(w.officer)
    url = reverse("hosting:bank-line", args=[w.host.slug, line.pk])
    assert "Automatisch gekoppeld bij het inlezen" in client.get(url).text  # its history
    client.post(
        reverse("hosting:bank-line-action", args=[w.host.slug, line.pk, "ontkoppelen"]),
        {"reason": "Verkeerde betaling"},
    )
    one.refresh_from_db()
    line.refresh_from_db()
    assert one.state == ExpenseState.SCHEDULED and line.state == LineState.PENDING


def test_the_statement_list_filters_lines_by_state_with_counts(client):
    u = Unsure()
    w = u.w
    data = statement_for(
        [],
        statement_id="ABN-2",
        extra=[{"amount_cents": -150 - n, "info": "Kosten"} for n in range(3)],
    )
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    costs = BankLine.objects.filter(amount_cents__lt=-100, amount_cents__gt=-200).order_by("pk")
    expenses.set_line_state(
        line=costs[0], state="ignored", note="Bankkosten", origin=Origin(actor=w.officer)
    )
    expenses.set_line_state(
        line=costs[1], state="on_hold", note="Navragen", origin=Origin(actor=w.officer)
    )
    client.force_login(w.officer)
    url = reverse("hosting:statements", args=[w.host.slug])
    text = client.get(url).text.replace("\xa0", " ")
    assert "Te doen (2)" in text and "Wacht (1)" in text
    assert "Genegeerd (1)" in text and "Gekoppeld (0)" in text
    assert "-€ 1,52" in text and "-€ 1,50" not in text
    text = client.get(url, {"regels": "genegeerd"}).text.replace("\xa0", " ")
    assert "-€ 1,50" in text and "-€ 1,52" not in text
    assert client.get(url, {"regels": "onzin", "pagina": "x"}).status_code == 200
    # the balance check in words
    assert "meer dan het kasboek" in text or "minder dan het kasboek" in text


def test_the_statement_list_is_paginated_with_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    w = World()
    many = [{"amount_cents": -100 - n, "info": f"Kosten {n}"} for n in range(60)]
    data = statement_for([], extra=many)
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    client.force_login(w.officer)
    url = reverse("hosting:statements", args=[w.host.slug])
    with django_assert_max_num_queries(20):  # 14 today
        first = client.get(url).text
    assert "Pagina 1 van 2" in first
    second = client.get(url, {"pagina": 2}).text
    assert "Pagina 2 van 2" in second


# --- the dashboard block -----------------------------------------------------------------------


def _waiting_world():
    """One host's officer sees: one expense for approval (first check done), one approved."""
    w = World()
    big = w.submit(amount=20_000)  # above the threshold: one host approver
    expenses.approve(expense=big, origin=Origin(actor=w.treasurer))
    w.approve_fully(w.submit(amount=1_000))
    w.submit(amount=30_000)  # the treasurer has not checked it yet: not for the host
    data = statement_for([], extra=[{"amount_cents": -150, "info": "Kosten"}])
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    return w


def _block(user):
    request = RequestFactory().get("/mijn/")
    request.user = user
    return finance_block(request)


def test_the_dashboard_block_counts_what_waits_with_fixed_queries(django_assert_max_num_queries):
    w = _waiting_world()
    block = _block(w.officer)
    [work] = block["hosts"]
    assert (work.to_approve, work.to_pay, work.lines_pending, work.lines_on_hold) == (1, 1, 1, 0)
    # An officer who approved already does not see it again.
    expenses.approve(
        expense=w.initiative.expenses.get(amount_cents=20_000), origin=Origin(actor=w.officer)
    )
    [work] = _block(w.officer)["hosts"]
    assert work.to_approve == 0 and work.to_pay == 2

    # One person, finance officer of four hosts: the same number of queries as for one.
    person = UserFactory(roles=[(Role.FINANCE_OFFICER, w.host)])
    with django_assert_max_num_queries(6) as one_host:
        _block(person)
    worlds = [_waiting_world() for _ in range(3)]
    person = UserFactory(
        roles=[(Role.FINANCE_OFFICER, w.host)] + [(Role.FINANCE_OFFICER, x.host) for x in worlds]
    )
    with django_assert_max_num_queries(len(one_host.captured_queries)):
        block = _block(person)
    assert len(block["hosts"]) == 4
    assert sum(h.to_approve for h in block["hosts"]) == 3  # w's own is approved by now
    assert sum(h.lines_pending for h in block["hosts"]) == 4


def test_the_dashboard_block_is_not_for_others_and_shows_on_the_dashboard(client):
    w = _waiting_world()
    assert _block(w.h.coordinator) is None and _block(w.member) is None
    client.force_login(w.officer)
    text = client.get(reverse("portal:dashboard")).text
    assert "1 uitgave wacht op uw goedkeuring" in text
    assert reverse("hosting:approvals", args=[w.host.slug]) in text
    approvals = client.get(reverse("hosting:approvals", args=[w.host.slug])).text
    assert "Koffie en koek buurtfeest" in approvals


def test_the_approval_list_leaves_out_own_expenses():
    w = World()
    w.initiative.members.add(w.officer)
    mine = w.submit(amount=20_000, by=w.officer)
    expenses.approve(expense=mine, origin=Origin(actor=w.treasurer))
    assert queries_banklines.waiting_for_approval(w.officer, [w.host.pk]).count() == 0
    assert queries_banklines.waiting_for_approval(w.officer2, [w.host.pk]).count() == 1


def test_when_the_treasurer_submitted_the_host_does_the_first_check():
    w = World()
    theirs = w.submit(amount=20_000, by=w.treasurer)
    assert list(queries_banklines.waiting_for_approval(w.officer, [w.host.pk])) == [theirs]


def test_the_line_page_pages_many_open_payments_with_bounded_queries(
    client, django_assert_max_num_queries
):
    w = World(grant_cents=1_000_000)
    many = [w.approve_fully(w.submit(amount=4_550)) for _ in range(22)]
    w.batch(*many)
    data = statement_for([], extra=[_line_by_iban(4_550)])
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    line = BankLine.objects.get()
    assert line.match_reason == "iban_amount_several"
    client.force_login(w.officer)
    url = reverse("hosting:bank-line", args=[w.host.slug, line.pk])
    with django_assert_max_num_queries(15):  # 10 today
        text = client.get(url).text
    assert "Pagina 1 van 2" in text and text.count("Koppel aan deze betaling") == 20
    assert "de oudste is voorgesteld" in text
    second = client.get(url, {"bedrag": "45,50", "zoek": "", "pagina": 2}).text
    assert second.count("Koppel aan deze betaling") == 2


def test_the_line_page_and_the_list_speak_english_in_the_english_ui(client, settings):
    u = Unsure()
    client.force_login(u.w.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(u.url).text
    assert "Why this payment?" in text and "Link to this payment" in text
    assert "It is the only open payment of this amount to this IBAN." in text
    text = client.get(reverse("hosting:statements", args=[u.w.host.slug])).text
    assert "To handle (1)" in text and "less than the ledger says" in text
