"""The results page on a phone (390 × 844) in real Chromium: readable without sideways
scrolling, the chart fits, no serious or critical axe violations (also with the details
open and in English); the rule preview and the report page too."""

import pytest
from django.conf import settings
from django.urls import reverse

from buurtbasis.ballots.tests.helpers import close_and_count, vote

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_for
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _round():
    budget_round = BudgetRoundFactory(
        phase="voting",
        budget_cents=10_000,
        max_choices=3,
        leftover_text="Het geld dat over is, gaat naar de speeltuin.",
    )
    a = PlanFactory(
        budget_round=budget_round,
        title="Kunstgrasveld voor de hele wijk met verlichting en een hek eromheen",
        cost_cents=8_000,
        status="feasible",
    )
    b = PlanFactory(
        budget_round=budget_round, title="Taalcafé", cost_cents=4_000, status="feasible"
    )
    c = PlanFactory(
        budget_round=budget_round, title="Bloemenweide", cost_cents=4_000, status="feasible"
    )
    vote(budget_round, [[a]] * 6 + [[b]] * 4 + [[c]] * 4)
    return budget_round, a, b, c


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width} px"
    box = page.locator("svg.results-chart-svg").bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 100


def test_results_page_on_a_phone(page, live_server, axe_violations):
    budget_round, a, b, c = _round()
    budget_round = close_and_count(budget_round=budget_round)
    page.goto(live_server.url + reverse("budgets:round-results", args=[budget_round.slug]))
    main = page.locator("main")
    assert "De uitslag in het kort" in main.inner_text()
    assert "Het geld dat over is, gaat naar de speeltuin." in main.inner_text()
    why = "Waarom het plan met de meeste stemmen niet is gekozen"
    assert page.get_by_role("heading", name=why).is_visible()
    assert page.get_by_role("img", name="Stemmen en kosten per plan").is_visible()
    _fits_the_phone(page)
    assert not page.get_by_text("Method of Equal Shares").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_text("Voor wie het precies wil weten").click()
    page.get_by_text("De grafiek als tabel").click()
    assert page.get_by_text("Method of Equal Shares").first.is_visible()
    assert page.locator("code.hash").is_visible()
    _fits_the_phone(page)
    assert axe_violations(page) == []


def test_results_page_in_english_on_a_phone(page, live_server, axe_violations):
    budget_round, *_ = _round()
    budget_round = close_and_count(budget_round=budget_round)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("budgets:round-results", args=[budget_round.slug]))
    text = page.locator("main").inner_text()
    assert "The outcome in short" in text
    assert "The 6 people who voted for it had" in text
    assert "kreeg" not in text and "krijgt" not in text
    assert page.get_by_role("img", name="Votes and cost per plan").is_visible()
    assert axe_violations(page) == []


def test_rule_preview_and_report_page_on_a_phone(page, live_server, axe_violations):
    budget_round, *_ = _round()
    login(page, live_server, civil_servant_for(budget_round))
    page.goto(live_server.url + budget_round.get_absolute_url())
    page.get_by_role("link", name="Wat kiest elke regel?").click()
    assert page.locator("h1").inner_text() == "Wat kiest elke regel?"
    assert "14 stembiljetten" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    budget_round = close_and_count(budget_round=budget_round)
    page.goto(live_server.url + reverse("budgets:round-report", args=[budget_round.slug]))
    assert "wordt gemaakt" in page.locator("main").inner_text()
    assert axe_violations(page) == []
