"""Real concurrent decisions on PostgreSQL: two civil servants granting at the same moment
never spend more than the fund has, and one application is granted once.

PostgreSQL only (``select_for_update`` is a no-op on SQLite): run with
``scripts/with_postgres.py``. Each thread has its own connection; a barrier starts them
together.
"""

import threading
from functools import partial

import pytest
from django.db import connection

from buurtbasis.hosting import fund as funds
from buurtbasis.hosting import services
from buurtbasis.hosting.models import Grant, LedgerTransaction
from buurtbasis.hosting.models_fund import ApplicationState, FundApplication
from buurtbasis.platform.audit import Origin

from .fund_helpers import fund_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (with_postgres.py)"
    ),
]

ROUNDS = 3


def _race(*targets):
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)
    errors: list = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except BaseException as exc:  # noqa: BLE001 - checked by the caller
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _one_won(results, errors, code):
    assert sum(r is not None for r in results) == 1, errors
    refused = [e for e in errors if e is not None]
    assert len(refused) == len(results) - 1
    assert all(isinstance(e, services.HostingError) and e.code == code for e in refused), refused


def test_two_grants_at_once_never_exceed_the_budget():
    w = fund_world(budget_cents=60_000, max_cents=60_000)
    for n in range(ROUNDS):
        # exactly 600 euros left: enough for one of the two
        w.fund = funds.change_fund(
            fund=w.fund,
            name=w.fund.name,
            description=w.fund.description,
            budget_cents=(n + 1) * 60_000,
            max_per_application_cents=60_000,
            opens_on=w.fund.opens_on,
            closes_on=w.fund.closes_on,
            origin=Origin(actor=w.servant),
        )
        assert funds.remaining(w.fund) == 60_000
        a = w.apply(h=w.hosted_here(), amount_cents=60_000)
        b = w.apply(h=w.hosted_here(), amount_cents=60_000)
        results, errors = _race(
            partial(funds.decide, application=a, decision="grant", origin=Origin(actor=w.servant)),
            partial(funds.decide, application=b, decision="grant", origin=Origin(actor=w.servant2)),
        )
        _one_won(results, errors, "budget")
    granted = FundApplication.objects.filter(state=ApplicationState.GRANTED)
    assert granted.count() == ROUNDS
    assert funds.remaining(w.fund) == 0
    assert Grant.objects.filter(source="fund").count() == ROUNDS


def test_two_civil_servants_granting_one_application_at_once_grant_it_once():
    w = fund_world()
    for _ in range(ROUNDS):
        application = w.apply(h=w.hosted_here(), amount_cents=10_000)
        results, errors = _race(
            partial(
                funds.decide,
                application=application,
                decision="grant",
                origin=Origin(actor=w.servant),
            ),
            partial(
                funds.decide,
                application=application,
                decision="grant",
                origin=Origin(actor=w.servant2),
            ),
        )
        _one_won(results, errors, "state")
    assert Grant.objects.filter(source="fund").count() == ROUNDS
    assert LedgerTransaction.objects.filter(kind="grant").count() == ROUNDS
