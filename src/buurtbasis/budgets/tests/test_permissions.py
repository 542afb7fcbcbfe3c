"""Who may do what, as a matrix of people against actions (in the phase where it applies)."""

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.organisations.models import Role

from .factories import (
    BudgetRoundFactory,
    InitiativeFactory,
    PlanFactory,
    civil_servant_elsewhere,
    civil_servant_for,
)

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "resident",
    "initiator",
    "submitter",
    "civil_servant",
    "other_municipality",
    "platform_admin",
]


@pytest.fixture
def world():
    budget_round = BudgetRoundFactory(phase="submission")
    initiator = UserFactory()
    initiative = InitiativeFactory(members=[initiator])
    plan = PlanFactory(budget_round=budget_round, initiative=initiative)
    people = {
        "anonymous": None,
        "resident": UserFactory(),
        "initiator": initiator,
        "submitter": plan.submitted_by,
        "civil_servant": civil_servant_for(budget_round),
        "other_municipality": civil_servant_elsewhere(),
        "platform_admin": UserFactory(roles=[Role.PLATFORM_ADMIN]),
    }
    return budget_round, plan, people


def _status(client, user, method, url, data=None):
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


def _allowed(code):
    return code in (200, 302) and code != 403


EXPECTED = {
    # action: people allowed
    "view_round": set(PEOPLE),
    "view_plan": set(PEOPLE),
    "create_round": {"civil_servant", "other_municipality", "platform_admin"},
    "edit_round": {"civil_servant", "platform_admin"},
    "assess": {"civil_servant", "platform_admin"},
    "edit_plan": {"initiator", "submitter"},
    "submit_plan_form": set(PEOPLE) - {"anonymous"},
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_permission_matrix(client, settings, world, who, action):
    settings.LOGIN_URL = "/account/login/"
    budget_round, plan, people = world
    slug = budget_round.slug
    url = {
        "view_round": reverse("budgets:round-detail", args=[slug]),
        "view_plan": reverse("budgets:plan-detail", args=[slug, plan.pk]),
        "create_round": reverse("budgets:round-create"),
        "edit_round": reverse("budgets:round-edit", args=[slug]),
        "assess": reverse("budgets:plan-assess", args=[slug, plan.pk]),
        "edit_plan": reverse("budgets:plan-edit", args=[slug, plan.pk]),
        "submit_plan_form": reverse("budgets:plan-create", args=[slug]),
    }[action]
    code = _status(client, people[who], "get", url)
    if who == "anonymous" and action not in ("view_round", "view_plan"):
        assert code == 302  # to the log-in page
        assert client.get(url)["Location"].startswith("/account/login/")
        return
    if who in EXPECTED[action]:
        assert code == 200, f"{who} should be allowed to {action}"
    else:
        assert code in (403, 404), f"{who} should not be allowed to {action} (got {code})"


def test_a_private_round_is_hidden_from_the_public(client):
    budget_round = BudgetRoundFactory(is_public=False)
    assert client.get(budget_round.get_absolute_url()).status_code == 404
    client.force_login(civil_servant_for(budget_round))
    assert client.get(budget_round.get_absolute_url()).status_code == 200


def test_a_draft_plan_is_only_visible_to_its_owner_and_the_municipality(client):
    plan = PlanFactory(status="draft")
    assert client.get(plan.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(plan.get_absolute_url()).status_code == 404
    client.force_login(plan.submitted_by)
    assert client.get(plan.get_absolute_url()).status_code == 200
    client.force_login(civil_servant_for(plan.budget_round))
    assert client.get(plan.get_absolute_url()).status_code == 200
