"""Real headless Chromium: voting with a code on a phone, with and without JavaScript;
axe finds no serious WCAG 2.1 A/AA violations on the voting and paper-batch pages."""

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.ballots import services
from buurtbasis.ballots.models import Ballot, BatchStatus
from buurtbasis.budgets.tests.factories import civil_servant_for

from .factories import make_codes, voting_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.fixture
def knapsack_round(transactional_db):
    return voting_round(
        ballot_type="knapsack", budget_cents=3_000_000, costs=[1_000_000, 1_500_000, 2_500_000]
    )


def test_a_resident_votes_with_a_code_and_gets_a_receipt(
    live_server, page, axe_violations, knapsack_round
):
    budget_round, plans = knapsack_round
    (code,) = make_codes(budget_round, 1)
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/")
    assert axe_violations(page) == []
    page.get_by_label("Uw stemcode").fill(code.lower())
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/stembiljet/")
    assert axe_violations(page) == []
    # htmx updates the running total as soon as a plan is ticked.
    page.get_by_label(plans[0].title).check()
    page.get_by_label(plans[1].title).check()
    total = page.locator("#ballot-total")
    total.get_by_text("Gekozen: € 25.000 van € 30.000.").wait_for()
    page.get_by_role("button", name="Controleer mijn keuze").click()
    page.get_by_role("heading", name="Controleer uw keuze").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Verstuur mijn stem").click()
    page.get_by_role("heading", name="Bedankt voor uw stem").wait_for()
    receipt = Ballot.objects.get().receipt
    assert receipt in page.locator(".receipt-number").inner_text()
    assert axe_violations(page) == []


def test_the_total_and_the_vote_work_without_javascript(live_server, _chromium, knapsack_round):
    budget_round, plans = knapsack_round
    (code,) = make_codes(budget_round, 1)
    context = _chromium.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/stembiljet/?code={code}")
    page.get_by_label(plans[0].title).check()
    page.get_by_label(plans[2].title).check()
    page.get_by_role("button", name="Bereken totaal").click()
    page.get_by_text("Dat is meer dan het budget. Haal een plan weg.").wait_for()
    page.get_by_label(plans[2].title).uncheck()
    page.get_by_label(plans[1].title).check()
    page.get_by_role("button", name="Controleer mijn keuze").click()
    page.get_by_role("button", name="Verstuur mijn stem").click()
    page.get_by_role("heading", name="Bedankt voor uw stem").wait_for()
    assert set(Ballot.objects.get().choices.values_list("plan_id", flat=True)) == {
        plans[0].pk,
        plans[1].pk,
    }
    context.close()


def test_the_error_summary_is_accessible(live_server, page, axe_violations, knapsack_round):
    budget_round, plans = knapsack_round
    (code,) = make_codes(budget_round, 1)
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/stembiljet/?code={code}")
    for plan in plans:
        page.get_by_label(plan.title).check()
    page.get_by_role("button", name="Controleer mijn keuze").click()
    page.locator(".error-summary").wait_for()
    assert "meer dan het budget" in page.locator(".error-summary").inner_text()
    assert axe_violations(page) == []


def test_the_paper_batch_pages_are_accessible(live_server, page, axe_violations, knapsack_round):
    budget_round, plans = knapsack_round
    enterer = civil_servant_for(budget_round)
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=2)
    first, second = make_codes(budget_round, 2)
    services.add_paper_ballot(batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=first)
    login(page, live_server, enterer)
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/beheer/papier/{batch.pk}/")
    assert axe_violations(page) == []
    page.get_by_label("Code op de brief").fill(second)
    page.get_by_label(plans[1].title).check()
    page.get_by_role("button", name="Sla dit stembiljet op").click()
    page.get_by_role("button", name="De stapel is klaar: vraag om controle").click()
    page.get_by_text("Deze stapel wacht op controle door een tweede persoon.").wait_for()
    checker_page = page.context.browser.new_context(locale="nl-NL").new_page()
    login(checker_page, live_server, civil_servant_for(budget_round))
    checker_page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/beheer/papier/{batch.pk}/")
    assert axe_violations(checker_page) == []
    checker_page.get_by_role("button", name="Goedkeuren: de stapel klopt").click()
    checker_page.get_by_text("Gecontroleerd door").wait_for()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CONFIRMED
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/beheer/")
    assert axe_violations(page) == []
    checker_page.context.close()


def test_letters_are_printed_in_the_background_and_offered_for_download(
    live_server, page, axe_violations, knapsack_round, settings, tmp_path
):
    from django.core.files.storage import storages

    from buurtbasis.ballots.models import LetterRun

    from .queue import run_queued_tasks

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The live server is local: allowed (with a warning) only in development mode.
    settings.DEBUG = True
    settings.SITE_URL = live_server.url
    storages._storages.pop("private", None)
    budget_round, _plans = knapsack_round
    login(page, live_server, civil_servant_for(budget_round))
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/beheer/")
    page.get_by_label("Aantal brieven zonder adres").fill("2")
    page.get_by_role("button", name="Codes en brieven maken").click()
    assert "De brieven worden gemaakt." in page.locator(".messages").inner_text()
    assert "Wacht" in page.locator("#letter-runs").inner_text()
    assert axe_violations(page) == []
    run_queued_tasks()
    # the list asks for news every 3 s and shows the download when the PDF is ready
    link = page.get_by_role("link", name="Download de pdf")
    link.wait_for(timeout=15_000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith(f"stemcodes-{budget_round.slug}-")
    assert LetterRun.objects.get().status == "done"
    assert axe_violations(page) == []
    storages._storages.pop("private", None)
