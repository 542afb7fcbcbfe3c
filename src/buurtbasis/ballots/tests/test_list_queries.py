"""List pages: the number of queries does not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.ballots import services
from buurtbasis.budgets.tests.factories import civil_servant_for

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("n", [3, 30])
def test_the_ballot_page_reads_plans_in_one_query(client, n, django_assert_max_num_queries):
    budget_round, _plans = voting_round(costs=[100_000] * n)
    (code,) = make_codes(budget_round, 1)
    with django_assert_max_num_queries(6):
        client.get(reverse("ballots:ballot", args=[budget_round.slug]), {"code": code})


def test_the_paper_batch_pages_do_not_grow_with_rows(client):
    counts = []
    for n in (3, 30):
        budget_round, plans = voting_round()
        enterer = civil_servant_for(budget_round)
        batch = None
        for _i in range(n):
            batch = services.create_paper_batch(
                budget_round=budget_round, actor=enterer, declared_count=n
            )
        paper_codes = make_codes(budget_round, n)
        for i in range(n):
            services.add_paper_ballot(
                batch=batch,
                actor=enterer,
                choices={plans[i % 4].pk: 1, plans[(i + 1) % 4].pk: 1},
                code=paper_codes[i],
            )
        client.force_login(enterer)
        counts.append(
            (
                _count(client, reverse("ballots:paper-batches", args=[budget_round.slug])),
                _count(client, reverse("ballots:paper-batch", args=[budget_round.slug, batch.pk])),
                _count(client, reverse("ballots:manage", args=[budget_round.slug])),
            )
        )
    assert counts[0] == counts[1]
