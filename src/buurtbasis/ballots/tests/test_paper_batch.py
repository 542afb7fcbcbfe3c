"""Paper ballots: entered by one person, confirmed by another, audited; only confirmed count."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots import services
from buurtbasis.ballots.models import Ballot, BatchStatus, PaperBatch
from buurtbasis.budgets.tests.factories import civil_servant_for
from buurtbasis.platform.models import AuditEvent

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    budget_round, plans = voting_round()
    return budget_round, plans, civil_servant_for(budget_round), civil_servant_for(budget_round)


def _batch_url(budget_round, batch):
    return reverse("ballots:paper-batch", args=[budget_round.slug, batch.pk])


def _enter_batch(client, budget_round, plans, enterer, forms):
    client.force_login(enterer)
    response = client.post(
        reverse("ballots:paper-batches", args=[budget_round.slug]),
        {"declared_count": len(forms), "label": "Doos 1"},
    )
    batch = PaperBatch.objects.get()
    assert response["Location"] == _batch_url(budget_round, batch)
    for chosen, code in zip(forms, make_codes(budget_round, len(forms)), strict=True):
        response = client.post(
            _batch_url(budget_round, batch),
            {"action": "add", "code": code, "plan": [p.pk for p in chosen]},
        )
        assert response.status_code == 302
    return batch


def test_it_counts_a_batch_only_after_a_second_person_confirms(client, setting):
    budget_round, plans, enterer, checker = setting
    batch = _enter_batch(client, budget_round, plans, enterer, [plans[:1], plans[1:3]])
    assert client.post(_batch_url(budget_round, batch), {"action": "submit"}).status_code == 302
    assert services.ballots_for_tally(budget_round) == []

    response = client.post(
        _batch_url(budget_round, batch), {"action": "confirm"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert "Een tweede persoon moet deze stapel controleren" in response.content.decode()
    assert services.ballots_for_tally(budget_round) == []

    client.force_login(checker)
    assert client.post(_batch_url(budget_round, batch), {"action": "confirm"}).status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.confirmed_by) == (BatchStatus.CONFIRMED, checker)
    assert sorted(services.ballots_for_tally(budget_round), key=len) == [
        {plans[0].pk: 1},
        {plans[1].pk: 1, plans[2].pk: 1},
    ]
    paper_events = AuditEvent.objects.filter(action__startswith="ballots.paper")
    actions = list(paper_events.order_by("pk").values_list("action", "actor"))
    assert actions == [
        ("ballots.paper_batch_created", enterer.pk),
        ("ballots.paper_batch_submitted", enterer.pk),
        ("ballots.paper_batch_confirmed", checker.pk),
    ]


def test_the_database_refuses_a_batch_confirmed_by_the_person_who_entered_it(setting):
    budget_round, _plans, enterer, _checker = setting
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBatch.objects.filter(pk=batch.pk).update(status="confirmed", confirmed_by=enterer)


def test_it_refuses_to_submit_when_the_count_does_not_match(client, setting):
    budget_round, plans, enterer, _checker = setting
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=3)
    services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=make_codes(budget_round)[0]
    )
    client.force_login(enterer)
    response = client.post(
        _batch_url(budget_round, batch), {"action": "submit"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    # no "1 stembiljetten": the numbers are labelled, so every count reads right
    assert (
        "De aantallen kloppen niet. Getelde formulieren: 3; ingevoerde stembiljetten: 1; "
        "ongeldige formulieren: 0." in response.content.decode()
    )
    services.add_invalid_paper_form(batch=batch, actor=enterer)
    services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[1].pk: 1}, code=make_codes(budget_round)[0]
    )
    services.submit_paper_batch(batch=batch, actor=enterer)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED
    assert batch.invalid_count == 1


def test_it_checks_paper_ballots_against_the_rules(client, setting):
    budget_round, plans, enterer, _checker = setting
    budget_round.max_choices = 1
    budget_round.save(update_fields=["max_choices"])
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=1)
    client.force_login(enterer)
    response = client.post(
        _batch_url(budget_round, batch),
        {"action": "add", "plan": [plans[0].pk, plans[1].pk]},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    assert "U mag hoogstens 1 plan kiezen" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_a_checker_can_send_a_batch_back(client, setting):
    budget_round, plans, enterer, checker = setting
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=1)
    services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=make_codes(budget_round)[0]
    )
    services.submit_paper_batch(batch=batch, actor=enterer)
    client.force_login(checker)
    client.post(
        _batch_url(budget_round, batch), {"action": "reject", "reason": "Formulier 1 klopt niet"}
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN
    assert batch.rejection_reason == "Formulier 1 klopt niet"
    services.remove_paper_ballot(batch=batch, actor=enterer, ballot_id=Ballot.objects.get().pk)
    assert Ballot.objects.count() == 0
    assert AuditEvent.objects.filter(action="ballots.paper_batch_rejected").exists()
    assert AuditEvent.objects.filter(action="ballots.paper_ballot_removed").exists()


def test_only_civil_servants_of_the_round_see_the_paper_pages(client, setting):
    budget_round, _plans, _enterer, _checker = setting
    url = reverse("ballots:paper-batches", args=[budget_round.slug])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(url, {"declared_count": 5}).status_code == 403
    assert PaperBatch.objects.count() == 0


def test_a_receipt_of_an_unconfirmed_paper_ballot_says_it_waits(setting):
    budget_round, plans, enterer, _checker = setting
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=1)
    ballot = services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=make_codes(budget_round)[0]
    )
    assert services.lookup_receipt(budget_round, ballot.receipt).status == "pending"


def test_a_batch_begun_before_the_end_date_can_be_finished_after_it(client, setting):
    """Paper forms are entered after the last day of voting. Refusing the rest of a
    half-entered batch once the end date passed left it stuck: voting cannot close
    while it waits, so the only way on was to throw away the forms already entered."""
    import datetime

    from django.utils import timezone

    from buurtbasis.budgets.models import PhaseKind

    budget_round, plans, enterer, checker = setting
    batch = _enter_batch(client, budget_round, plans, enterer, [[plans[0]]])
    PaperBatch.objects.filter(pk=batch.pk).update(declared_count=2)
    budget_round.phases.filter(kind=PhaseKind.VOTING).update(
        ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    [code] = make_codes(budget_round, 1)
    client.force_login(enterer)
    client.post(
        _batch_url(budget_round, batch), {"action": "add", "code": code, "plan": [plans[1].pk]}
    )
    assert Ballot.objects.filter(paper_batch=batch).count() == 2
