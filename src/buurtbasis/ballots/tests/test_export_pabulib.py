"""The anonymised Pabulib export: deterministic bytes, no identities, readable by the engine."""

import datetime
import hashlib

import pytest

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots import services
from buurtbasis.ballots.models import Ballot
from buurtbasis.budgets.tests.factories import civil_servant_for
from buurtcore.voting import pabulib

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _cast(budget_round, plans, choice_sets, *, order=None):
    codes = make_codes(budget_round, len(choice_sets))
    indices = order or range(len(choice_sets))
    for i in indices:
        services.submit_ballot_with_code(
            budget_round=budget_round, code=codes[i], choices=choice_sets[i]
        )
    return codes


def choice_sets_of(plans):
    return [
        {plans[0].pk: 1, plans[1].pk: 1},
        {plans[2].pk: 1},
        {plans[0].pk: 1},
        {plans[1].pk: 1, plans[3].pk: 1},
    ]


def test_it_gives_the_same_bytes_for_the_same_ballots_in_any_order():
    a_round, a_plans = voting_round(slug="ronde-a", tie_break_seed=7)
    _cast(a_round, a_plans, choice_sets_of(a_plans))
    first = services.export_pabulib(a_round)
    assert services.export_pabulib(a_round) == first
    # The same ballots cast again with new codes, in another order: the same bytes.
    Ballot.objects.filter(budget_round=a_round).delete()
    codes = make_codes(a_round, 4)
    for i in (3, 1, 0, 2):
        services.submit_ballot_with_code(
            budget_round=a_round, code=codes[i], choices=choice_sets_of(a_plans)[i]
        )
    again = services.export_pabulib(a_round)
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(first).hexdigest()


def test_it_contains_no_codes_receipts_people_or_times():
    budget_round, plans = voting_round(allow_account_voting=True, areas=[])
    codes = _cast(budget_round, plans, [{plans[0].pk: 1}, {plans[1].pk: 1}])
    voter = UserFactory(birth_date=datetime.date(1970, 1, 1), email="stemmer@example.org")
    services.submit_ballot(budget_round=budget_round, voter=voter, choices={plans[2].pk: 1})
    text = services.export_pabulib(budget_round).decode()
    for ballot in Ballot.objects.all():
        assert ballot.receipt not in text
        assert ballot.submitted_at.isoformat()[:16] not in text
    for code in codes:
        assert code not in text and code.replace("-", "") not in text
    assert "stemmer@example.org" not in text
    instance, profile = pabulib.read(text)
    assert sorted(profile.voter_ids, key=int) == ["1", "2", "3"]


def test_it_round_trips_through_the_engine_reader():
    budget_round, plans = voting_round(ballot_type="points", points_total=10)
    _cast(
        budget_round,
        plans,
        [{plans[0].pk: 7, plans[1].pk: 3}, {plans[1].pk: 10}, {plans[2].pk: 1, plans[3].pk: 2}],
    )
    instance, profile = pabulib.read(services.export_pabulib(budget_round).decode())
    assert instance.vote_type == "cumulative"
    assert instance.meta["budget"] == "50000"
    assert instance.meta["max_sum_points"] == "10"
    assert instance.meta["tie_break_seed"] == str(budget_round.tie_break_seed)
    assert set(instance.projects) == {str(p.pk) for p in plans}
    ballots = []
    for v in range(profile.n_voters):
        start, end = profile.indptr[v], profile.indptr[v + 1]
        ids = [instance.project_ids()[i] for i in profile.project_index[start:end]]
        ballots.append(dict(zip(ids, (int(p) for p in profile.points[start:end]), strict=True)))
    expected = [
        {str(plans[0].pk): 7, str(plans[1].pk): 3},
        {str(plans[1].pk): 10},
        {str(plans[2].pk): 1, str(plans[3].pk): 2},
    ]
    assert sorted(ballots, key=sorted) == sorted(expected, key=sorted)
    assert profile.voter_fields["voting_method"] == ["internet"] * 3


def test_it_includes_paper_ballots_only_after_confirmation():
    budget_round, plans = voting_round()
    enterer, checker = civil_servant_for(budget_round), civil_servant_for(budget_round)
    _cast(budget_round, plans, [{plans[0].pk: 1}])
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=1)
    services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[1].pk: 1}, code=make_codes(budget_round)[0]
    )
    services.submit_paper_batch(batch=batch, actor=enterer)
    _instance, profile = pabulib.read(services.export_pabulib(budget_round).decode())
    assert profile.n_voters == 1
    services.confirm_paper_batch(batch=batch, actor=checker)
    _instance, profile = pabulib.read(services.export_pabulib(budget_round).decode())
    assert profile.n_voters == 2
    assert sorted(profile.voter_fields["voting_method"]) == ["internet", "paper"]
    assert len(services.ballots_for_tally(budget_round)) == 2
