"""Concurrent submissions with one code or one account end with exactly one ballot.

Runs against the test database of the suite: SQLite normally, PostgreSQL under
``scripts/with_postgres.py``. Threads use their own database connections.
"""

import datetime
import threading

import pytest
from django.db import connection

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots import services
from buurtbasis.ballots.models import Ballot, BallotChoice, ReplacedReceipt, VotingCode

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _race(target, n=THREADS):
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []
    results: list = []

    def run(i):
        try:
            barrier.wait()
            results.append(target(i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_it_keeps_one_ballot_when_one_code_is_sent_many_times_at_once():
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    voting_code = VotingCode.objects.get()
    choices_for = [{plans[i % len(plans)].pk: 1} for i in range(THREADS)]

    def vote(i):
        return services.submit_ballot(
            budget_round=budget_round, voting_code=voting_code, choices=choices_for[i]
        ).receipt

    receipts, errors = _race(vote)
    assert errors == []
    assert len(receipts) == THREADS
    ballot = Ballot.objects.get()
    # The surviving ballot is complete: exactly the choices of one submission.
    stored = dict(BallotChoice.objects.values_list("plan_id", "points"))
    assert stored in choices_for
    assert ballot.times_replaced == THREADS - 1
    assert ReplacedReceipt.objects.count() == THREADS - 1
    assert ballot.receipt in receipts
    assert code


def test_it_keeps_one_ballot_per_account_under_concurrency():
    area_round, plans = voting_round(allow_account_voting=True, areas=[])
    user = UserFactory(birth_date=datetime.date(1980, 1, 1))

    def vote(i):
        return services.submit_ballot(
            budget_round=area_round, voter=user, choices={plans[i % 2].pk: 1}
        )

    _results, errors = _race(vote)
    assert errors == []
    assert Ballot.objects.filter(voter=user).count() == 1
    assert BallotChoice.objects.count() == 1


def test_it_stores_many_different_codes_at_once_without_losing_any():
    budget_round, plans = voting_round()
    codes = make_codes(budget_round, THREADS * 3)
    # Looked up before the race: the suite's in-memory SQLite (shared cache) refuses a
    # read of a table another connection is writing, which a file database in WAL mode
    # (as deployed) never does. The storing itself is what races here.
    voting_codes = [services.find_voting_code(budget_round, code) for code in codes]

    def vote(i):
        out = []
        for voting_code in voting_codes[i::THREADS]:
            ballot = services.submit_ballot(
                budget_round=budget_round,
                voting_code=voting_code,
                choices={plans[0].pk: 1, plans[1].pk: 1},
            )
            out.append(ballot.receipt)
        return out

    results, errors = _race(vote)
    assert errors == []
    receipts = {r for rs in results for r in rs}
    assert len(receipts) == len(codes)
    assert set(Ballot.objects.values_list("receipt", flat=True)) == receipts
    assert BallotChoice.objects.count() == 2 * len(codes)
