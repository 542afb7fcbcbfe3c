import pytest
from django.urls import reverse

from buurtbasis.accounts import ratelimits
from buurtbasis.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:login")


def test_it_logs_in_with_e_mail_and_password_in_any_case(client):
    user = UserFactory(email="jan@example.nl")
    response = client.post(URL, {"username": "Jan@Example.NL", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_it_follows_a_safe_next_link_only(client):
    UserFactory(email="jan@example.nl")
    data = {"username": "jan@example.nl", "password": DEFAULT_PASSWORD}
    assert client.post(URL + "?next=/organisaties/", data)["Location"] == "/organisaties/"
    client.logout()
    response = client.post(URL + "?next=https://evil.example/", data)
    assert response["Location"] == reverse("portal:dashboard")


def test_it_says_the_same_for_a_wrong_password_and_an_unknown_address(client):
    UserFactory(email="jan@example.nl")
    wrong = client.post(URL, {"username": "jan@example.nl", "password": "fout"})
    unknown = client.post(URL, {"username": "niemand@example.nl", "password": "fout"})
    assert wrong.status_code == unknown.status_code == 200
    message = "Het e-mailadres of het wachtwoord klopt niet"
    assert message in wrong.content.decode() and message in unknown.content.decode()
    assert "_auth_user_id" not in client.session
    assert 'value="jan@example.nl"' in wrong.content.decode()
    assert 'value="fout"' not in wrong.content.decode()


def test_it_lets_an_unverified_user_in_with_a_reminder(client):
    UserFactory(email="nieuw@example.nl", email_verified=False)
    response = client.post(
        URL, {"username": "nieuw@example.nl", "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated
    assert "nog niet bevestigd" in response.content.decode()


def test_it_refuses_an_inactive_account(client):
    UserFactory(email="weg@example.nl", is_active=False)
    client.post(URL, {"username": "weg@example.nl", "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_it_blocks_the_sixth_attempt_for_one_account(client):
    UserFactory(email="jan@example.nl")
    attempts, _window = ratelimits.limit("login_account")
    for n in range(attempts):
        response = client.post(
            URL, {"username": "jan@example.nl", "password": "fout"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response.status_code == 200
    # Even the right password is refused now, from yet another address.
    response = client.post(
        URL,
        {"username": "JAN@example.nl", "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="198.51.100.1",
    )
    assert response.status_code == 429
    assert "te vaak geprobeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_blocks_many_accounts_tried_from_one_address(client):
    attempts, _window = ratelimits.limit("login_ip")
    for n in range(attempts):
        client.post(URL, {"username": f"p{n}@example.nl", "password": "fout"})
    response = client.post(URL, {"username": "ander@example.nl", "password": "fout"})
    assert response.status_code == 429


def test_it_logs_out_only_with_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "U bent uitgelogd" in response.content.decode()
