import pytest
from django.urls import reverse

from buurtbasis.ballots import services
from buurtbasis.ballots.models import Ballot, BallotChoice, ReplacedReceipt

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _vote(client, budget_round, code, plans):
    return client.post(
        reverse("ballots:ballot", args=[budget_round.slug]),
        {"code": code, "plan": [p.pk for p in plans], "action": "confirm"},
    )


def test_it_replaces_the_choices_and_keeps_one_ballot(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    first = _vote(client, budget_round, code, plans[:2])
    second = _vote(client, budget_round, code, plans[2:3])
    assert first.status_code == second.status_code == 303
    ballot = Ballot.objects.get()
    assert list(BallotChoice.objects.values_list("plan_id", flat=True)) == [plans[2].pk]
    assert ballot.times_replaced == 1
    assert second["Location"].endswith(f"/{ballot.receipt}/")
    assert first["Location"] != second["Location"]


def test_it_keeps_no_trail_from_the_code_to_earlier_choices(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    _vote(client, budget_round, code, plans[:1])
    old_receipt = Ballot.objects.get().receipt
    _vote(client, budget_round, code, plans[1:2])
    assert not BallotChoice.objects.filter(plan=plans[0]).exists()
    replaced = ReplacedReceipt.objects.get()
    assert replaced.receipt == old_receipt
    field_names = {f.name for f in ReplacedReceipt._meta.get_fields()}
    assert field_names == {"id", "budget_round", "receipt", "submitted_at"}
    assert services.lookup_receipt(budget_round, old_receipt).status == "replaced"


def test_it_shows_the_current_choice_when_the_voter_comes_back(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    _vote(client, budget_round, code, plans[1:3])
    page = client.get(reverse("ballots:ballot", args=[budget_round.slug]), {"code": code})
    body = page.content.decode()
    for plan in plans:
        checked = f'value="{plan.pk}" checked' in body
        assert checked == (plan in plans[1:3])


def test_it_counts_replacements_for_the_civil_servant(client):
    budget_round, plans = voting_round()
    a, b = make_codes(budget_round, 2)
    for chosen in (plans[:1], plans[1:2], plans[2:3]):
        _vote(client, budget_round, a, chosen)
    _vote(client, budget_round, b, plans[:1])
    counts = services.ballot_counts(budget_round)
    assert counts["replacements"] == 2
    assert counts["online_code"] == 2
    assert counts["codes_used"] == 2


def test_it_does_not_change_a_ballot_after_the_round_closed(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    _vote(client, budget_round, code, plans[:1])
    budget_round.phase = "results"
    budget_round.save(update_fields=["phase"])
    _vote(client, budget_round, code, plans[1:2])
    assert list(BallotChoice.objects.values_list("plan_id", flat=True)) == [plans[0].pk]
    assert Ballot.objects.get().times_replaced == 0
