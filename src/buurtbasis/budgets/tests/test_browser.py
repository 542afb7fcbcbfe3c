"""Real Chromium on a phone viewport: the public and civil-servant pages have no serious or
critical axe violations, and the plan form works without JavaScript."""

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.models import Plan
from buurtbasis.budgets.services import advance_phase

from .factories import BudgetRoundFactory, InitiativeFactory, PlanFactory, civil_servant_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    """Log in through the session cookie (the log-in page belongs to the accounts app)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_round_page_and_plan_page(page, live_server, axe_violations):
    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round, status="feasible", public_reason="Haalbaar.")
    page.goto(live_server.url + budget_round.get_absolute_url())
    assert page.locator("h1").inner_text() == budget_round.title
    assert axe_violations(page) == []
    page.get_by_role("link", name=plan.title).click()
    assert page.locator("h1").inner_text() == plan.title
    assert axe_violations(page) == []


def test_submit_a_plan_without_javascript(live_server, _chromium):
    context = _chromium.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    budget_round = BudgetRoundFactory()
    resident = UserFactory()
    InitiativeFactory(members=[resident])
    login(page, live_server, resident)
    page.goto(live_server.url + reverse("budgets:plan-create", args=[budget_round.slug]))
    page.locator("#id_title").fill("Moestuin op het plein")
    page.locator("#id_summary").fill("Samen groente kweken.")
    page.locator("#id_description").fill("We willen samen een moestuin maken.")
    page.locator("#id_costs-0-description").fill("Bakken")
    page.locator("#id_costs-0-amount").fill("twaalf euro")
    page.locator("button[type=submit]:not([name=check])").last.click()
    # error summary first, input kept
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_costs-0-amount").input_value() == "twaalf euro"
    page.locator("#id_costs-0-amount").fill("1.250,50")
    page.locator("button[type=submit]:not([name=check])").last.click()
    assert page.locator("h1").inner_text() == "Moestuin op het plein"
    assert Plan.objects.get().cost_cents == 125_050
    context.close()


def test_plan_form_with_errors_is_accessible(page, live_server, axe_violations):
    budget_round = BudgetRoundFactory()
    login(page, live_server, UserFactory())
    page.goto(live_server.url + reverse("budgets:plan-create", args=[budget_round.slug]))
    assert axe_violations(page) == []
    page.locator("button[type=submit]:not([name=check])").last.click()
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []


def test_assessment_pages(page, live_server, axe_violations):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round)
    PlanFactory(budget_round=budget_round)
    login(page, live_server, civil_servant_for(budget_round))
    page.goto(live_server.url + reverse("budgets:assessment", args=[budget_round.slug]))
    assert axe_violations(page) == []
    page.goto(live_server.url + reverse("budgets:plan-assess", args=[budget_round.slug, plan.pk]))
    assert axe_violations(page) == []
    page.locator(f"#id_plan{plan.pk}_decision_0").check()
    page.locator(f"#id_plan{plan.pk}_public_reason").fill("Past binnen de regels.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('budgets:assessment', args=[budget_round.slug])}")
    assert page.locator(".message-success").count() == 1
    plan.refresh_from_db()
    assert plan.status == "feasible"


def test_round_form(page, live_server, axe_violations):
    budget_round = BudgetRoundFactory()
    login(page, live_server, civil_servant_for(budget_round))
    page.goto(live_server.url + reverse("budgets:round-edit", args=[budget_round.slug]))
    assert axe_violations(page) == []


def test_results_page(page, live_server, axe_violations):
    from buurtbasis.ballots.tests.helpers import vote
    from buurtbasis.ballots.tests.queue import run_queued_tasks

    budget_round = BudgetRoundFactory(phase="voting", budget_cents=10_000, max_choices=3)
    a = PlanFactory(budget_round=budget_round, cost_cents=8_000, status="feasible")
    b = PlanFactory(budget_round=budget_round, cost_cents=4_000, status="feasible")
    vote(budget_round, [[a]] * 3 + [[b]] * 2)
    advance_phase(budget_round=budget_round)  # commits: the count is enqueued
    page.goto(live_server.url + reverse("budgets:round-results", args=[budget_round.slug]))
    assert "De uitslag wordt berekend" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    run_queued_tasks()
    # the page asks for the status every 3 s and offers the outcome when it is ready
    page.get_by_role("link", name="Toon de uitslag").click(timeout=10_000)
    page.get_by_text("Voor wie het precies wil weten").click()  # the hash is in the details
    assert page.locator("code.hash").inner_text()
    assert axe_violations(page) == []


def test_round_list_my_plans_and_progress_form(page, live_server, axe_violations):
    from buurtbasis.budgets.models import FundedPlan

    budget_round = BudgetRoundFactory(phase="execution")
    plan = PlanFactory(budget_round=budget_round, status="feasible")
    FundedPlan.objects.create(plan=plan, budget_round=budget_round, amount_cents=plan.cost_cents)
    page.goto(live_server.url + reverse("budgets:round-list"))
    assert axe_violations(page) == []
    login(page, live_server, plan.submitted_by)
    page.goto(live_server.url + reverse("budgets:my-plans"))
    assert plan.title in page.content()
    assert axe_violations(page) == []
    page.goto(live_server.url + reverse("budgets:progress-add", args=[budget_round.slug, plan.pk]))
    page.locator("#id_text").fill("De bankjes staan er.")
    page.locator("#id_status").select_option("done")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    assert "De bankjes staan er." in page.content()
    assert axe_violations(page) == []
