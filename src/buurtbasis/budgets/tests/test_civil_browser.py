"""Real Chromium: the round form on a phone (dates from a start date, preview, draft,
publishing), and the civil servant's pages on a 1280 px desktop with no table cut off."""

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots import services as ballot_services
from buurtbasis.budgets.models import BudgetRound
from buurtbasis.organisations.models import Role

from .factories import (
    AreaFactory,
    BudgetRoundFactory,
    MunicipalityFactory,
    PlanFactory,
    civil_servant_for,
)
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_OVERFLOW = """() => {
  const root = document.documentElement;
  const cut = [...document.querySelectorAll('main table')]
    .map(t => t.closest('.bb-table-wrap') || t.parentElement)
    .filter(box => box.scrollWidth > box.clientWidth)
    .map(box => `${box.querySelector('table').className} ${box.scrollWidth}>${box.clientWidth}`);
  return {page: root.scrollWidth <= root.clientWidth, tables: cut,
          count: document.querySelectorAll('main table').length};
}"""


def test_round_form_on_a_phone(page, live_server, axe_violations):
    org = MunicipalityFactory()
    area = AreaFactory(name="Holtenbroek")
    officer = UserFactory(roles=[(Role.CIVIL_SERVANT, org)])
    login(page, live_server, officer)
    page.goto(live_server.url + reverse("budgets:round-create"))
    assert axe_violations(page) == []
    page.locator("#id_title").fill("Buurtbudget Holtenbroek 2099")
    page.get_by_label("Holtenbroek").check()
    page.locator("#id_budget").fill("30.000")
    page.locator("#id_max_choices").fill("3")
    assert page.locator("#id_start_date").get_attribute("type") == "date"
    page.locator("#id_start_date").fill("2099-03-02")
    page.locator("#id_criteria").fill("Het plan is in de openbare ruimte")
    page.get_by_role("button", name="Toon de data").click()
    preview = page.locator("table.schedule-preview")
    assert preview.is_visible()
    assert "2 maart 2099" in preview.inner_text()
    assert not BudgetRound.objects.exists()
    assert axe_violations(page) == []
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["page"], "the form is wider than the phone"
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/buurtbudget/buurtbudget-holtenbroek-2099/")
    budget_round = BudgetRound.objects.get()
    assert budget_round.is_public is False
    assert [a.pk for a in budget_round.areas.all()] == [area.pk]
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publiceren").click()
    assert page.locator(".message-success").count() == 1
    budget_round.refresh_from_db()
    assert budget_round.is_public is True


def test_civil_servant_pages_fit_a_desktop(live_server, _chromium, axe_violations):
    context = _chromium.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    assessing = BudgetRoundFactory(
        phase="submission", title="Buurtbudget met een heel lange naam " * 3
    )
    officer = civil_servant_for(assessing)
    long_title = "Een plan met een lange titel over bankjes, bomen en een speeltuin " * 2
    for _ in range(3):
        PlanFactory(budget_round=assessing, title=long_title)
    voting = BudgetRoundFactory(phase="voting", organisation=assessing.organisation)
    PlanFactory(budget_round=voting, status="feasible")
    colleague = civil_servant_for(voting)
    batch = ballot_services.create_paper_batch(
        budget_round=voting, actor=colleague, declared_count=1, label="Stembus " * 12
    )
    ballot_services.add_invalid_paper_form(batch=batch, actor=colleague)
    ballot_services.submit_paper_batch(batch=batch, actor=colleague)
    login(page, live_server, officer)
    pages = [
        reverse("portal:dashboard"),
        reverse("budgets:assessment", args=[assessing.slug]),
        reverse("ballots:paper-batches", args=[voting.slug]),
        reverse("ballots:paper-batch", args=[voting.slug, batch.pk]),
        reverse("ballots:manage", args=[voting.slug]),
        reverse("budgets:round-detail", args=[voting.slug]),
        reverse("budgets:plan-assess", args=[assessing.slug, assessing.plans.first().pk]),
    ]
    measured = 0
    for url in pages:
        page.goto(live_server.url + url)
        result = page.evaluate(NO_OVERFLOW)
        assert result["page"], f"{url} is wider than 1280 px"
        assert result["tables"] == [], f"{url}: tables cut off: {result['tables']}"
        measured += result["count"]
    page.goto(live_server.url + reverse("portal:dashboard"))
    assert page.locator("#todo-budgets-title").is_visible()
    assert page.locator("#todo-paper-title").is_visible()
    assert axe_violations(page) == []
    assert measured >= 4
    context.close()


def test_the_submitter_answers_a_question_on_a_phone(page, live_server, axe_violations):
    from buurtbasis.budgets import services
    from buurtbasis.budgets.models import AssessmentCriterion, PlanQuestion

    budget_round = BudgetRoundFactory(phase="assessment")
    AssessmentCriterion.objects.create(budget_round=budget_round, text="In de openbare ruimte")
    plan = PlanFactory(budget_round=budget_round)
    officer = civil_servant_for(budget_round)
    services.ask_submitter(plan=plan, asker=officer, question="Heeft u een offerte?")
    services.add_internal_note(plan=plan, author=officer, text="Navragen bij groenbeheer.")
    login(page, live_server, plan.submitted_by)
    page.goto(live_server.url + plan.get_absolute_url())
    assert "Navragen" not in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Uw antwoord").fill("Ja, van de hovenier.")
    page.get_by_role("button", name="Antwoord versturen").click()
    assert page.locator(".message-success").count() == 1
    assert PlanQuestion.objects.get().answer == "Ja, van de hovenier."
    assert axe_violations(page) == []

    login(page, live_server, officer)
    page.goto(live_server.url + reverse("budgets:plan-assess", args=[budget_round.slug, plan.pk]))
    assert "Ja, van de hovenier." in page.content()
    assert "Navragen bij groenbeheer." in page.content()
    assert axe_violations(page) == []
