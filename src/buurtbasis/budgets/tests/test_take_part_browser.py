"""Real Chromium on a phone (390x844): supporting a plan, commenting, sharing and the
moderation queue work and have no serious or critical axe violations."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets import participation
from buurtbasis.budgets.models import PlanComment, PlanSupport

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_for
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_support_comment_share_and_moderate_on_a_phone(page, live_server, axe_violations):
    cache.clear()
    budget_round = BudgetRoundFactory(supporters_needed=25)
    plan = PlanFactory(budget_round=budget_round, title="Bankjes bij de vijver")
    for _i in range(11):
        participation.support_plan(plan=plan, actor=UserFactory())
    resident = UserFactory(display_name="Sanne Bos")
    login(page, live_server, resident)
    assert page.viewport_size == {"width": 390, "height": 844}

    page.goto(live_server.url + plan.get_absolute_url())
    assert "11 van 25 steunbetuigingen" in page.locator("#support").inner_text()
    # the copy button appears with JavaScript; the link is the page's absolute URL
    assert page.locator("#share-url").input_value() == live_server.url + plan.get_absolute_url()
    assert page.get_by_role("button", name="Link kopiëren").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Steun dit plan").click()
    assert "12 van 25 steunbetuigingen" in page.locator("#support").inner_text()
    assert PlanSupport.objects.filter(plan=plan, user=resident).exists()

    page.get_by_label("Uw reactie").fill("Goed idee, ik help mee.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    comment = PlanComment.objects.get()
    assert page.locator(f"#comment-{comment.pk}").inner_text().count("Sanne Bos") == 1
    assert axe_violations(page) == []

    # someone reports it; the civil servant hides it from the queue
    participation.report_comment(comment=comment, actor=UserFactory(), reason="Dubbel")
    page.context.clear_cookies()
    login(page, live_server, civil_servant_for(budget_round))
    page.goto(live_server.url + reverse("budgets:moderation", args=[budget_round.slug]))
    assert "Goed idee, ik help mee." in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Openbare reden om te verbergen").fill("Dubbele reactie")
    page.get_by_role("button", name="Reactie verbergen").click()
    assert "Er wachten geen gemelde reacties." in page.locator("main").inner_text()
    page.goto(live_server.url + plan.get_absolute_url())
    assert "Verborgen door moderator: Dubbele reactie" in page.locator("#comments").inner_text()
