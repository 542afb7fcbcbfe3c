"""Each person counts once: a paper ballot carries the code from the voting letter.

The code on the letter is the right to vote, online or on paper. Entering a paper form asks
for that code and marks it used; a code that already voted online is refused on paper (the
form is counted as invalid), and a code on a paper ballot can no longer vote online.
"""

import pytest
from django.urls import reverse

from buurtbasis.ballots import services
from buurtbasis.ballots.models import Ballot, VotingCode
from buurtbasis.budgets.tests.factories import civil_servant_for

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    budget_round, plans = voting_round()
    enterer = civil_servant_for(budget_round)
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=3)
    return budget_round, plans, enterer, batch


def _batch_url(batch):
    return reverse("ballots:paper-batch", args=[batch.budget_round.slug, batch.pk])


def test_a_paper_ballot_marks_its_code_used_and_the_code_can_no_longer_vote_online(setting):
    budget_round, plans, enterer, batch = setting
    [code] = make_codes(budget_round, 1)
    ballot = services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=code
    )
    voting_code = VotingCode.objects.get()
    assert ballot.voting_code == voting_code
    assert voting_code.used_at is not None
    with pytest.raises(services.VotingError) as caught:
        services.submit_ballot_with_code(
            budget_round=budget_round, code=code, choices={plans[1].pk: 1}
        )
    assert caught.value.code == "used_on_paper"
    assert "papier" in caught.value.message
    assert list(Ballot.objects.values_list("channel", flat=True)) == ["paper"]


def test_a_code_that_voted_online_is_refused_on_paper(setting):
    budget_round, plans, enterer, batch = setting
    [code] = make_codes(budget_round, 1)
    services.submit_ballot_with_code(budget_round=budget_round, code=code, choices={plans[1].pk: 1})
    with pytest.raises(services.PaperBatchError) as caught:
        services.add_paper_ballot(batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=code)
    assert caught.value.code == "used_online"
    assert "ongeldig" in caught.value.message
    assert services.ballots_for_tally(budget_round) == [{plans[1].pk: 1}]


def test_a_code_counts_once_on_paper_too(setting):
    budget_round, plans, enterer, batch = setting
    [code] = make_codes(budget_round, 1)
    services.add_paper_ballot(batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=code)
    with pytest.raises(services.PaperBatchError) as caught:
        services.add_paper_ballot(batch=batch, actor=enterer, choices={plans[1].pk: 1}, code=code)
    assert caught.value.code == "used_on_paper"
    assert Ballot.objects.count() == 1


def test_a_paper_form_needs_a_valid_code_of_this_round(setting):
    budget_round, plans, enterer, batch = setting
    other_round, _other_plans = voting_round()
    [foreign] = make_codes(other_round, 1)
    for code in ("", "0000-0000-0000", foreign):
        with pytest.raises(services.PaperBatchError) as caught:
            services.add_paper_ballot(
                batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=code
            )
        assert caught.value.code == "unknown_code"
    assert Ballot.objects.count() == 0


def test_removing_a_paper_ballot_frees_its_code(setting):
    budget_round, plans, enterer, batch = setting
    [code] = make_codes(budget_round, 1)
    ballot = services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=code
    )
    services.remove_paper_ballot(batch=batch, actor=enterer, ballot_id=ballot.pk)
    assert VotingCode.objects.get().used_at is None
    services.submit_ballot_with_code(budget_round=budget_round, code=code, choices={plans[1].pk: 1})
    assert services.ballots_for_tally(budget_round) == [{plans[1].pk: 1}]


def test_the_entry_page_asks_for_the_code_and_refuses_one_used_online(client, setting):
    budget_round, plans, enterer, batch = setting
    used, fresh = make_codes(budget_round, 2)
    services.submit_ballot_with_code(budget_round=budget_round, code=used, choices={plans[1].pk: 1})
    client.force_login(enterer)
    html = client.get(_batch_url(batch), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'name="code"' in html
    assert "Code op de brief" in html

    response = client.post(
        _batch_url(batch),
        {"action": "add", "code": used, "plan": [plans[0].pk]},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Met deze code is al online gestemd" in html
    assert 'href="#code"' in html  # the error summary points at the code field
    assert Ballot.objects.filter(paper_batch=batch).count() == 0

    response = client.post(
        _batch_url(batch), {"action": "add", "code": fresh.lower(), "plan": [plans[0].pk]}
    )
    assert response.status_code == 302
    assert Ballot.objects.get(paper_batch=batch).voting_code is not None


def test_the_online_start_page_says_the_code_was_used_on_paper(client, setting):
    budget_round, plans, enterer, batch = setting
    [code] = make_codes(budget_round, 1)
    services.add_paper_ballot(batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=code)
    response = client.post(
        reverse("ballots:start", args=[budget_round.slug]),
        {"code": code},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert "Met deze code is op papier gestemd" in response.content.decode()
