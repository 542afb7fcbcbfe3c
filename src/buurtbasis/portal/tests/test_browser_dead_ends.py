"""Real headless Chromium on a phone (390x844) walks each dead end that was fixed:

- voting with an account while the date of birth and home area are missing;
- printing code letters with a local address (refused) and the sample letter;
- finding the round open for voting from the home page, the wijk page and the dashboard;
- seeing whether one's plan was chosen, and filtering a round's plans by result (no JS).

axe finds no serious or critical WCAG 2.1 A/AA violations on the pages visited.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.areas.tests.factories import DistrictFactory, NeighbourhoodFactory
from buurtbasis.ballots.models import Ballot, LetterRun, VotingCode
from buurtbasis.ballots.tests.factories import voting_round
from buurtbasis.ballots.tests.helpers import vote
from buurtbasis.ballots.tests.queue import run_queued_tasks
from buurtbasis.budgets.services import advance_phase
from buurtbasis.budgets.tests.factories import BudgetRoundFactory, PlanFactory, civil_servant_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_an_account_voter_gives_the_missing_details_and_comes_back_to_vote(
    live_server, page, axe_violations
):
    wijk = DistrictFactory(name="Assendorp")
    NeighbourhoodFactory(parent=wijk, name="Assendorp-Noord")
    budget_round, plans = voting_round(allow_account_voting=True, areas=[wijk])
    user = UserFactory(birth_date=None, home_area=None)
    login(page, live_server, user)
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/stembiljet/")
    page.get_by_text("Vul uw geboortedatum in.").wait_for()
    assert "gecontroleerde manier" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Vul uw gegevens in").click()
    page.get_by_role("heading", name="Uw gegevens om te stemmen").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Uw geboortedatum").fill("1980-03-15")
    # Pick the wijk on the map: the radio button in the list gets checked.
    page.locator(f'a[data-area="{wijk.pk}"]').click()
    page.wait_for_url("**gebied=*")
    assert page.get_by_label("Assendorp", exact=True).is_checked()
    page.get_by_label("Uw geboortedatum").fill("1980-03-15")
    page.get_by_role("button", name="Opslaan en terug naar het stembiljet").click()
    page.wait_for_url("**/stembiljet/")
    page.get_by_text("Uw gegevens zijn opgeslagen.").wait_for()
    page.get_by_label(plans[0].title).check()
    page.get_by_role("button", name="Controleer mijn keuze").click()
    page.get_by_role("button", name="Verstuur mijn stem").click()
    page.get_by_role("heading", name="Bedankt voor uw stem").wait_for()
    assert Ballot.objects.get().voter == user


def test_letters_with_a_local_address_are_refused_and_a_sample_can_be_seen(
    live_server, page, axe_violations, settings
):
    budget_round, _ = voting_round()
    login(page, live_server, civil_servant_for(budget_round))
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/beheer/")
    main = page.locator("main")
    assert "Adres dat op de brieven komt: http://127.0.0.1:8000" in main.inner_text()
    page.get_by_text("Met dit adres kunnen geen brieven worden gemaakt.").wait_for()
    assert "werkt alleen op deze computer of in dit netwerk" in main.inner_text()
    assert page.get_by_role("button", name="Codes en brieven maken").count() == 0
    assert axe_violations(page) == []
    link = page.get_by_role("link", name="Bekijk eerst een voorbeeldbrief (pdf, 1 pagina)")
    pdf = page.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    assert VotingCode.objects.count() == 0 and LetterRun.objects.count() == 0


def test_the_open_vote_is_found_from_home_wijk_page_and_dashboard(
    live_server, page, axe_violations
):
    wijk = DistrictFactory(name="Diezerpoort")
    budget_round, _ = voting_round(title="Buurtbudget Diezerpoort", areas=[wijk])
    page.goto(live_server.url + reverse("portal:home"))
    block = page.locator(".open-rounds")
    assert "Buurtbudget Diezerpoort" in block.inner_text()
    assert "Stemmen kan van" in block.inner_text()
    assert axe_violations(page) == []
    page.goto(live_server.url + wijk.get_absolute_url())
    assert "Buurtbudget in Diezerpoort" in page.locator(".open-rounds").inner_text()
    assert axe_violations(page) == []
    login(page, live_server, UserFactory(home_area=wijk))
    page.goto(live_server.url + reverse("portal:dashboard"))
    page.locator(".open-rounds").get_by_role("link", name="Nu stemmen").click()
    page.wait_for_url(f"**/stemmen/{budget_round.slug}/")
    page.get_by_role("heading", name="Stemmen: Buurtbudget Diezerpoort").wait_for()


def test_a_submitter_sees_the_result_and_filters_without_javascript(
    live_server, _chromium, axe_violations, page
):
    page_with_js = page
    winner = UserFactory()
    budget_round = BudgetRoundFactory(
        phase="voting", budget_cents=10_000, rule="mes", completion="add1", max_choices=3
    )
    a = PlanFactory(
        budget_round=budget_round,
        title="Kunstgras",
        cost_cents=4_000,
        status="feasible",
        submitted_by=winner,
    )
    b = PlanFactory(
        budget_round=budget_round, title="Taalcafé", cost_cents=8_000, status="feasible"
    )
    vote(budget_round, [[a]] * 6 + [[b]] * 4)
    advance_phase(budget_round=budget_round)  # commits: the count is enqueued
    run_queued_tasks()
    context = _chromium.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    login(page, live_server, winner)
    page.goto(live_server.url + reverse("portal:dashboard"))
    plans_block = page.locator("#budget-plans-title").locator("xpath=..")
    assert "Gekozen" in plans_block.inner_text()
    assert "Haalbaar" not in plans_block.inner_text()
    assert "Uitvoering: Gepland" in plans_block.inner_text()
    page.goto(live_server.url + budget_round.get_absolute_url())
    page.get_by_label("Uitslag").select_option("niet-gekozen")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**uitslag=niet-gekozen*")
    plans = page.locator("#round-plans").inner_text()
    assert "Taalcafé" in plans and "Kunstgras" not in plans and "Niet gekozen" in plans
    filtered = page.url
    context.close()
    # axe needs JavaScript: the same pages in a normal context.
    login(page_with_js, live_server, winner)
    page_with_js.goto(filtered)
    assert axe_violations(page_with_js) == []
    page_with_js.goto(live_server.url + reverse("portal:dashboard"))
    assert axe_violations(page_with_js) == []
