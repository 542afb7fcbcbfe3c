"""Paper batches waiting for a second person, on the civil servant's dashboard."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.tests.factories import civil_servant_elsewhere, civil_servant_for

from .. import services
from ..dashboard import paper_batches_todo
from .factories import voting_round

pytestmark = pytest.mark.django_db


def _submitted_batch(budget_round, entered_by, label="Stembus bibliotheek"):
    batch = services.create_paper_batch(
        budget_round=budget_round, actor=entered_by, declared_count=1, label=label
    )
    services.add_invalid_paper_form(batch=batch, actor=entered_by)
    return services.submit_paper_batch(batch=batch, actor=entered_by)


def test_batches_waiting_for_a_second_person_are_on_the_dashboard(client):
    budget_round, _plans = voting_round()
    first, second = civil_servant_for(budget_round), civil_servant_for(budget_round)
    batch = _submitted_batch(budget_round, first)
    services.create_paper_batch(  # still being entered: not waiting yet
        budget_round=budget_round, actor=first, declared_count=5, label="Nog bezig"
    )
    link = reverse("ballots:paper-batch", args=[budget_round.slug, batch.pk])

    client.force_login(second)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert link in html and "Stembus bibliotheek" in html
    assert "Nog bezig" not in html
    assert "U kunt hem controleren" in html

    client.force_login(first)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Een collega (u heeft hem ingevoerd)" in html

    services.confirm_paper_batch(batch=batch, actor=second)
    client.force_login(second)
    assert link not in client.get(reverse("portal:dashboard")).content.decode()


@pytest.mark.parametrize("who", ["resident", "elsewhere"])
def test_others_do_not_see_the_batches(client, who):
    budget_round, _plans = voting_round()
    _submitted_batch(budget_round, civil_servant_for(budget_round))
    client.force_login(UserFactory() if who == "resident" else civil_servant_elsewhere())
    assert "Stembus bibliotheek" not in client.get(reverse("portal:dashboard")).content.decode()


def test_the_block_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    budget_round, _plans = voting_round()
    entering = civil_servant_for(budget_round)
    checker = civil_servant_for(budget_round)
    for i in range(20):
        _submitted_batch(budget_round, entering, label=f"Stapel {i}")
    request = RequestFactory().get("/mijn/")
    request.user = checker
    paper_batches_todo(request)  # warm the caches (content types, tenants)
    with django_assert_max_num_queries(3):
        block = paper_batches_todo(request)
    assert len(block["batches"]) == 15 and block["more"]
