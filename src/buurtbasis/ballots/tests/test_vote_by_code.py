import pytest
from django.urls import reverse

from buurtbasis.ballots.models import Ballot, BallotChoice, VotingCode

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _vote(client, budget_round, data):
    return client.post(reverse("ballots:ballot", args=[budget_round.slug]), data)


def test_it_stores_a_ballot_sent_with_the_code(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    response = _vote(
        client,
        budget_round,
        {"code": code, "plan": [plans[0].pk, plans[2].pk], "action": "confirm"},
    )
    assert response.status_code == 303
    ballot = Ballot.objects.get()
    assert response["Location"] == reverse(
        "ballots:receipt", args=[budget_round.slug, ballot.receipt]
    )
    assert ballot.channel == "code"
    assert ballot.voter is None
    assert set(ballot.choices.values_list("plan_id", "points")) == {
        (plans[0].pk, 1),
        (plans[2].pk, 1),
    }
    assert VotingCode.objects.get().used_at is not None


def test_it_does_not_write_a_session_when_the_code_comes_with_the_ballot(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    response = _vote(
        client, budget_round, {"code": code, "plan": [plans[0].pk], "action": "confirm"}
    )
    assert response.status_code == 303
    assert "sessionid" not in response.cookies


def test_it_remembers_the_voting_right_after_the_code_form(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    response = client.post(
        reverse("ballots:start", args=[budget_round.slug]), {"code": code.lower()}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ballots:ballot", args=[budget_round.slug])
    assert list(client.session.values()) == [VotingCode.objects.get().pk]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert plans[0].title in page.content.decode()
    response = _vote(client, budget_round, {"plan": [plans[1].pk], "action": "confirm"})
    assert response.status_code == 303
    assert BallotChoice.objects.get().plan_id == plans[1].pk


def test_it_refuses_a_wrong_code_with_a_dutch_message(client):
    budget_round, _plans = voting_round()
    make_codes(budget_round, 1)
    response = client.post(
        reverse("ballots:start", args=[budget_round.slug]),
        {"code": "7KQ2-M9XD-4HVT"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert 'value="7KQ2-M9XD-4HVT"' in response.content.decode()
    assert Ballot.objects.count() == 0


def test_it_does_not_accept_a_code_of_another_round(client):
    budget_round, plans = voting_round()
    other_round, _other_plans = voting_round()
    (code,) = make_codes(other_round, 1)
    response = _vote(
        client, budget_round, {"code": code, "plan": [plans[0].pk], "action": "confirm"}
    )
    assert response.status_code == 200
    assert Ballot.objects.count() == 0


def test_it_shows_the_ballot_from_the_qr_link(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    response = client.get(reverse("ballots:ballot", args=[budget_round.slug]), {"code": code})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'name="code" value="{code}"' in body
    assert all(p.title in body for p in plans)


def test_it_refuses_to_vote_when_voting_is_closed(client):
    budget_round, plans = voting_round(phase="results")
    (code,) = make_codes(budget_round, 1)
    response = _vote(
        client, budget_round, {"code": code, "plan": [plans[0].pk], "action": "confirm"}
    )
    assert response.status_code == 302
    assert Ballot.objects.count() == 0
    page = client.get(reverse("ballots:start", args=[budget_round.slug]), HTTP_ACCEPT_LANGUAGE="nl")
    assert "gesloten" in page.content.decode()


def test_it_refuses_to_vote_after_the_voting_end_date(client):
    from datetime import timedelta

    from django.utils import timezone

    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    budget_round.phases.filter(kind="voting").update(ends_at=timezone.now() - timedelta(minutes=1))
    response = _vote(
        client, budget_round, {"code": code, "plan": [plans[0].pk], "action": "confirm"}
    )
    assert response.status_code == 302
    assert Ballot.objects.count() == 0
    budget_round.phases.filter(kind="voting").update(ends_at=timezone.now() + timedelta(minutes=5))
    response = _vote(
        client, budget_round, {"code": code, "plan": [plans[0].pk], "action": "confirm"}
    )
    assert response.status_code == 303


def test_it_shows_plan_photos_through_the_plan_photo_view(client, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path

    budget_round, plans = voting_round()
    plans[0].photo.save("bankje.jpg", ContentFile(b"\xff\xd8\xff\xe0fake"), save=True)
    (code,) = make_codes(budget_round, 1)
    body = client.get(reverse("ballots:ballot", args=[budget_round.slug]), {"code": code}).content
    photo_url = reverse("budgets:plan-photo", args=[budget_round.slug, plans[0].pk])
    assert f'src="{photo_url}"'.encode() in body
    assert body.split(b"<main", 1)[1].count(b"<img") == 1  # the header has the logo
