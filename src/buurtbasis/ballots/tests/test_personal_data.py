"""AVG: a voter downloads their own ballots; deleting an account never changes a vote."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from buurtbasis.accounts.models import User
from buurtbasis.accounts.services import delete_account
from buurtbasis.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from buurtbasis.ballots import services
from buurtbasis.ballots.models import Ballot, BallotChoice, CodeBatch, PaperBatch
from buurtbasis.budgets.tests.factories import AreaFactory, civil_servant_for
from buurtbasis.platform import privacy
from buurtbasis.platform.models import AuditEvent

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _resident(area, **kwargs):
    return UserFactory(home_area=area, birth_date=dt.date(1980, 5, 1), **kwargs)


def _vote(budget_round, voter, plans):
    return services.submit_ballot(
        budget_round=budget_round, voter=voter, choices={plan.pk: 1 for plan in plans}
    )


@pytest.fixture
def election():
    """Two rounds; Anna votes in both (and changes one vote), Bert and a code letter vote too."""
    area = AreaFactory()
    north, north_plans = voting_round(title="Buurtbudget Noord", areas=[area], max_choices=3)
    for plan, title in zip(north_plans, ["Zitbank", "Moestuin", "Speeltuin", "Bomen"], strict=True):
        plan.title = title
        plan.save(update_fields=["title"])
    south, south_plans = voting_round(title="Buurtbudget Zuid", areas=[area], max_choices=3)
    anna = _resident(area, email="anna@example.nl")
    bert = _resident(area, email="bert@example.nl")
    _vote(north, anna, north_plans[:1])
    anna_north = _vote(north, anna, north_plans[1:3])  # changed: the last ballot counts
    anna_south = _vote(south, anna, south_plans[:1])
    bert_north = _vote(north, bert, [north_plans[3]])
    [code] = make_codes(north, 1)
    services.submit_ballot_with_code(
        budget_round=north, code=code, choices={north_plans[0].pk: 1, north_plans[3].pk: 1}
    )
    return {
        "north": north,
        "south": south,
        "north_plans": north_plans,
        "anna": anna,
        "bert": bert,
        "anna_north": anna_north,
        "anna_south": anna_south,
        "bert_north": bert_north,
    }


@pytest.fixture
def paper(election):
    """A paper batch entered by one civil servant and confirmed by another."""
    north, plans = election["north"], election["north_plans"]
    enterer = civil_servant_for(north, email="invoer@gemeente.example.nl")
    checker = civil_servant_for(north, email="controle@gemeente.example.nl")
    batch = services.create_paper_batch(
        budget_round=north, actor=enterer, declared_count=3, label="Doos buurthuis"
    )
    services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[0].pk: 1}, code=make_codes(north)[0]
    )
    services.add_paper_ballot(
        batch=batch, actor=enterer, choices={plans[1].pk: 1}, code=make_codes(north)[0]
    )
    services.add_invalid_paper_form(batch=batch, actor=enterer)
    services.submit_paper_batch(batch=batch, actor=enterer)
    services.confirm_paper_batch(batch=batch, actor=checker)
    services.generate_codes(north, 5, actor=enterer)
    return {"batch": batch, "enterer": enterer, "checker": checker}


def test_it_exports_the_voters_own_ballots_with_current_choices(election):
    data = privacy.export_personal_data(election["anna"])["ballots"]
    rows = {row["round"]: row for row in data["ballots"]}
    assert set(rows) == {"Buurtbudget Noord", "Buurtbudget Zuid"}
    north = rows["Buurtbudget Noord"]
    assert north["receipt"] == election["anna_north"].receipt
    assert north["times_changed"] == 1
    assert north["choices"] == [
        {"plan": "Moestuin", "points": 1},
        {"plan": "Speeltuin", "points": 1},
    ]
    submitted = dt.datetime.fromisoformat(north["submitted_at"].replace("Z", "+00:00"))
    assert abs(submitted - election["anna_north"].submitted_at) < dt.timedelta(milliseconds=1)
    assert rows["Buurtbudget Zuid"]["receipt"] == election["anna_south"].receipt


def test_it_exports_nothing_of_other_voters(election):
    anna = json.dumps(privacy.export_personal_data(election["anna"])["ballots"])
    assert election["bert_north"].receipt not in anna
    assert "Bomen" not in anna  # only Bert and the code letter chose it
    assert "Zitbank" not in anna  # Anna's replaced choice and the code letter's
    for ballot in Ballot.objects.exclude(voter=election["anna"]):
        assert ballot.receipt not in anna


def test_it_exports_what_staff_did_with_paper_ballots_and_codes(election, paper):
    enterer = privacy.export_personal_data(paper["enterer"])["ballots"]
    [batch] = enterer["paper_batches"]
    assert (batch["your_role"], batch["batch"], batch["label"]) == (
        ["entered"],
        1,
        "Doos buurthuis",
    )
    assert (batch["forms_declared"], batch["ballots_entered"], batch["invalid_forms"]) == (3, 2, 1)
    assert batch["status"] == "confirmed"
    assert [(c["round"], c["codes"]) for c in enterer["voting_codes_generated"]] == [
        ("Buurtbudget Noord", 5)
    ]
    assert enterer["ballots"] == []
    checker = privacy.export_personal_data(paper["checker"])["ballots"]
    assert [b["your_role"] for b in checker["paper_batches"]] == [["checked"]]
    assert checker["voting_codes_generated"] == []
    # Paper forms are anonymous: no choices in anyone's export.
    assert "choices" not in json.dumps(checker["paper_batches"])


def test_deleting_an_account_leaves_every_ballot_counted(election, paper):
    north = election["north"]
    tally_before = sorted(services.ballots_for_tally(north), key=sorted)
    counts_before = services.ballot_counts(north)
    pabulib_before = services.export_pabulib(north)
    choices_before = list(BallotChoice.objects.order_by("pk").values_list("ballot", "plan"))
    for person in (election["anna"], paper["enterer"], paper["checker"]):
        delete_account(user=User.objects.get(pk=person.pk))
    assert sorted(services.ballots_for_tally(north), key=sorted) == tally_before
    assert services.ballot_counts(north) == counts_before
    assert services.export_pabulib(north) == pabulib_before
    assert list(BallotChoice.objects.order_by("pk").values_list("ballot", "plan")) == (
        choices_before
    )
    status = services.lookup_receipt(north, election["anna_north"].receipt)
    assert status.status == "counted"


def test_a_deleted_persons_ballots_cannot_be_linked_to_them_or_to_each_other(election):
    anna = election["anna"]
    before = {
        b.pk: (b.receipt, b.submitted_at, b.times_replaced, b.budget_round_id, b.channel)
        for b in Ballot.objects.filter(voter=anna)
    }
    last_user = User.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    delete_account(user=User.objects.get(pk=anna.pk))

    # the ballots stay as they were (still counted, same receipt and times) but hold no
    # account at all: nothing to follow from a ballot to a person or to another ballot
    ballots = list(Ballot.objects.filter(pk__in=before))
    assert {
        b.pk: (b.receipt, b.submitted_at, b.times_replaced, b.budget_round_id, b.channel)
        for b in ballots
    } == before
    assert {b.voter_id for b in ballots} == {None}
    # no account was made at the moment of deletion (no new id next to the deletion)
    assert not User.objects.filter(pk__gt=last_user).exists()
    # the audit entries written by the deletion name the person, never a ballot or a count
    # of ballots (which would tell which of the erased ballots are theirs)
    written = list(AuditEvent.objects.filter(pk__gt=last_event))
    assert [e.action for e in written] == ["accounts.deleted"]
    ballot_ids = {str(pk) for pk in before}
    receipts = {receipt for receipt, *_rest in before.values()}
    for event in written:
        text = json.dumps(event.details, default=str)
        assert event.object_id not in ballot_ids or event.object_type != "ballots.ballot"
        assert not any(receipt in text for receipt in receipts)
        assert set(event.details) == {"erasers"}  # which apps erased, nothing more
        assert all(isinstance(name, str) for name in event.details["erasers"])
    # the anonymised account keeps no time to match a ballot's time with
    assert User.objects.get(pk=anna.pk).last_login is None
    # Bert's ballot is not touched
    assert Ballot.objects.get(pk=election["bert_north"].pk).voter_id == election["bert"].pk


def test_erased_ballots_of_several_people_look_alike(election):
    """Two people delete their accounts: their ballots share the same shape (no holder)."""
    delete_account(user=User.objects.get(pk=election["anna"].pk))
    delete_account(user=User.objects.get(pk=election["bert"].pk))
    erased = Ballot.objects.filter(channel="account", voter__isnull=True)
    assert erased.count() == 3
    assert set(erased.values_list("voter_id", flat=True)) == {None}
    assert services.ballot_counts(election["north"])["online_account"] == 2


def test_deleting_staff_keeps_the_four_eyes_record_and_clears_the_code_batch(election, paper):
    delete_account(user=paper["enterer"])
    delete_account(user=paper["checker"])
    batch = PaperBatch.objects.get(pk=paper["batch"].pk)
    assert (batch.entered_by_id, batch.confirmed_by_id) == (
        paper["enterer"].pk,
        paper["checker"].pk,
    )
    assert batch.status == "confirmed"
    assert CodeBatch.objects.filter(count=5).get().created_by_id is None


def test_it_puts_the_ballots_in_the_download(client, election):
    client.force_login(election["anna"])
    response = client.get(reverse("accounts:my_data_download"))
    data = json.loads(response.content)
    receipts = {row["receipt"] for row in data["ballots"]["ballots"]}
    assert receipts == {election["anna_north"].receipt, election["anna_south"].receipt}


def test_deleting_through_the_account_page_keeps_the_vote(client, election):
    north = election["north"]
    tally_before = sorted(services.ballots_for_tally(north), key=sorted)
    client.force_login(election["anna"])
    response = client.post(
        reverse("accounts:delete"), {"password": DEFAULT_PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert sorted(services.ballots_for_tally(north), key=sorted) == tally_before
    assert Ballot.objects.filter(voter=election["anna"]).count() == 0
    assert (
        Ballot.objects.filter(pk__in=[election["anna_north"].pk, election["anna_south"].pk]).count()
        == 2
    )


def test_it_lists_the_receipts_on_my_data_page(client, election):
    client.force_login(election["anna"])
    page = client.get(reverse("accounts:my_data"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert f"Buurtbudget Noord: ontvangstnummer {election['anna_north'].receipt}" in page
    assert election["bert_north"].receipt not in page
    assert "Moestuin" not in page  # the choices are only in the download
