"""The voting hot path: the kept ballot page and round, and the one-statement store."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from buurtbasis.ballots import pagecache, services
from buurtbasis.ballots.models import Ballot, BallotChoice, VotingCode
from buurtbasis.budgets.models import PhaseKind, Plan

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _form(client, budget_round, code, **extra):
    url = reverse("ballots:ballot", args=[budget_round.slug])
    return client.get(url, {"code": code, **extra})


def _vote_with_page(budget_round, code, plan_ids):
    """A voter's browser: open the link from the letter, then send the form (CSRF checked)."""
    client = Client(enforce_csrf_checks=True)
    page = _form(client, budget_round, code)
    assert page.status_code == 200
    html = page.content.decode()
    token = TOKEN.search(html).group(1)
    assert f'name="code" value="{code}"' in html
    url = reverse("ballots:ballot", args=[budget_round.slug])
    response = client.post(
        url,
        {"csrfmiddlewaretoken": token, "code": code, "plan": plan_ids, "action": "confirm"},
    )
    return html, response


def test_it_fills_in_each_voters_code_and_token_on_the_kept_page(settings):
    settings.BALLOTS_ROUND_CACHE_SECONDS = 60
    budget_round, plans = voting_round()
    first, second = make_codes(budget_round, 2)
    html_1, response_1 = _vote_with_page(budget_round, first, [plans[0].pk])
    html_2, response_2 = _vote_with_page(budget_round, second, [plans[1].pk])
    assert response_1.status_code == response_2.status_code == 303
    assert first not in html_2 and second not in html_1
    assert TOKEN.search(html_1).group(1) != TOKEN.search(html_2).group(1)
    assert pagecache.CSRF_MARK not in html_2 and pagecache.CODE_MARK not in html_2
    assert pagecache.PATH_MARK not in html_2
    assert len(pagecache._pages) == 1  # rendered once, used twice
    stored = dict(Ballot.objects.values_list("receipt", "choices__plan_id"))
    assert sorted(stored.values()) == sorted([plans[0].pk, plans[1].pk])


def test_it_fills_in_this_requests_own_address_escaped(client):
    budget_round, _plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    _form(client, budget_round, code)  # the page is kept now
    page = _form(client, budget_round, code, x='"><script>alert(1)</script>')
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    full_path = page.wsgi_request.get_full_path()
    assert "x=%22%3E%3Cscript%3E" in full_path
    assert f'name="next" type="hidden" value="{escape(full_path)}"' in html
    assert len(pagecache._pages) == 1


def test_it_renders_again_when_a_plan_changes(client):
    budget_round, plans = voting_round()
    first, second = make_codes(budget_round, 2)
    assert plans[0].title in _form(client, budget_round, first).content.decode()
    Plan.objects.filter(pk=plans[0].pk).update(title="Een nieuwe naam voor dit plan")
    html = _form(client, budget_round, second).content.decode()
    assert "Een nieuwe naam voor dit plan" in html
    assert len(pagecache._pages) == 2


def test_it_shows_the_full_page_to_a_code_that_already_voted(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    services.submit_ballot_with_code(budget_round=budget_round, code=code, choices={plans[1].pk: 1})
    html = _form(client, budget_round, code).content.decode()
    assert re.search(rf'value="{plans[1].pk}"\s+checked', html)
    assert not pagecache._pages


def test_it_keeps_the_round_for_a_moment_but_never_takes_a_ballot_after_closing(settings):
    settings.BALLOTS_ROUND_CACHE_SECONDS = 60
    budget_round, plans = voting_round()
    first, second = make_codes(budget_round, 2)
    _html, response = _vote_with_page(budget_round, first, [plans[0].pk])
    assert response.status_code == 303
    # The round closes; this process still holds the copy that says "voting".
    type(budget_round).objects.filter(pk=budget_round.pk).update(phase=PhaseKind.RESULTS)
    _html, response = _vote_with_page(budget_round, second, [plans[0].pk])
    assert response.status_code == 302
    assert response["Location"] == reverse("ballots:start", args=[budget_round.slug])
    assert Ballot.objects.count() == 1
    assert VotingCode.objects.filter(used_at__isnull=False).count() == 1


def test_it_refuses_to_store_when_the_round_closed_after_it_was_read():
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    voting_code = services.find_voting_code(budget_round, code)
    type(budget_round).objects.filter(pk=budget_round.pk).update(phase=PhaseKind.RESULTS)
    with pytest.raises(services.VotingClosedError):
        services.submit_ballot(
            budget_round=budget_round, voting_code=voting_code, choices={plans[0].pk: 1}
        )
    assert Ballot.objects.count() == BallotChoice.objects.count() == 0
    assert VotingCode.objects.get().used_at is None


def test_it_stores_a_first_ballot_whole():
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    voting_code = services.find_voting_code(budget_round, code)
    ballot = services.submit_ballot(
        budget_round=budget_round,
        voting_code=voting_code,
        choices={plans[0].pk: 1, plans[2].pk: 1},
    )
    stored = Ballot.objects.get()
    assert (stored.pk, stored.receipt) == (ballot.pk, ballot.receipt)
    assert stored.submitted_at == ballot.submitted_at
    assert sorted(stored.choices.values_list("plan_id", flat=True)) == [plans[0].pk, plans[2].pk]
    assert VotingCode.objects.get().used_at == stored.submitted_at


def _confirm(client, budget_round, code, plan_ids):
    url = reverse("ballots:ballot", args=[budget_round.slug])
    return client.post(url, {"code": code, "plan": plan_ids, "action": "confirm"})


def test_it_stores_a_first_ballot_in_one_statement_on_postgresql(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    with CaptureQueriesContext(connection) as queries:
        response = _confirm(client, budget_round, code.lower(), [plans[0].pk, plans[3].pk])
    assert response.status_code == 303
    ballot = Ballot.objects.get()
    assert response["Location"].endswith(f"/{ballot.receipt}/")
    assert sorted(ballot.choices.values_list("plan_id", flat=True)) == [plans[0].pk, plans[3].pk]
    assert VotingCode.objects.get().used_at == ballot.submitted_at
    sqls = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    writes = [sql for sql in sqls if "INSERT" in sql]
    if connection.vendor == "postgresql":
        # the round and its plans (kept for a moment outside tests), then one statement
        assert len(sqls) == 3, sqls
        assert len(writes) == 1 and writes[0].startswith("WITH code AS")
    else:
        assert len(writes) == 2  # the ballot and its choices, in one transaction


def test_it_counts_a_wrong_code_sent_with_a_ballot(client, settings):
    settings.BALLOTS_CODE_FAILURES_PER_ADDRESS = (2, 600)
    budget_round, plans = voting_round()
    make_codes(budget_round, 1)
    for _ in range(2):
        response = _confirm(client, budget_round, "7KQ2-M9XD-4HVT", [plans[0].pk])
        assert response.status_code == 200
        assert "klopt niet" in response.content.decode()
    assert _confirm(client, budget_round, "7KQ2-M9XD-4HVT", [plans[0].pk]).status_code == 429
    assert Ballot.objects.count() == 0


def test_it_replaces_the_ballot_when_a_used_code_votes_again(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    first = _confirm(client, budget_round, code, [plans[0].pk])
    second = _confirm(client, budget_round, code, [plans[1].pk])
    assert first.status_code == second.status_code == 303
    ballot = Ballot.objects.get()
    assert second["Location"].endswith(f"/{ballot.receipt}/")
    assert first["Location"] != second["Location"]
    assert list(ballot.choices.values_list("plan_id", flat=True)) == [plans[1].pk]
    assert ballot.times_replaced == 1


def test_it_sends_an_invalid_ballot_back_with_the_errors(client):
    budget_round, plans = voting_round(max_choices=1)
    (code,) = make_codes(budget_round, 1)
    response = _confirm(client, budget_round, code, [plans[0].pk, plans[1].pk])
    assert response.status_code == 200
    assert Ballot.objects.count() == 0
    assert VotingCode.objects.get().used_at is None
