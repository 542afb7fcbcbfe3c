import pytest
from django.core import mail
from django.urls import reverse

from buurtbasis.accounts import ratelimits
from buurtbasis.accounts.models import User
from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.testing import delivered

pytestmark = pytest.mark.django_db

URL = reverse("accounts:register")
GOOD = {
    "display_name": "Fatima Bakker",
    "email": "Fatima@Example.nl",
    "password": "Zomer-in-Zwolle-77",
}


def test_it_shows_the_registration_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' in html and 'name="password"' in html and 'name="display_name"' in html
    assert 'autocomplete="new-password"' in html


def test_it_creates_an_unverified_account_logs_in_and_sends_a_link(client):
    with delivered():
        response = client.post(URL, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify_sent")
    user = User.objects.get()
    assert user.email == "fatima@example.nl"
    assert user.display_name == "Fatima Bakker"
    assert user.email_verified is False
    assert user.check_password("Zomer-in-Zwolle-77")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima@example.nl"]
    assert "/account/bevestigen/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="accounts.registered", actor=user).exists()


def test_it_shows_errors_and_keeps_what_was_typed(client):
    response = client.post(URL, {**GOOD, "email": "geen-adres", "password": "123"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_email"' in html and 'href="#id_password"' in html
    assert 'value="geen-adres"' in html
    assert 'value="Fatima Bakker"' in html
    assert 'value="123"' not in html  # passwords are never sent back
    assert 'aria-invalid="true"' in html
    assert User.objects.count() == 0


def test_it_refuses_an_address_that_has_an_account_in_any_case(client):
    UserFactory(email="fatima@example.nl")
    response = client.post(URL, {**GOOD, "email": "FATIMA@example.NL"})
    assert response.status_code == 200
    assert "wachtwoord" in response.content.decode()  # points to log-in / password reset
    assert User.objects.count() == 1


def test_it_refuses_a_password_like_the_e_mail_address(client):
    response = client.post(
        URL, {**GOOD, "email": "zomerinzwolle@example.nl", "password": "zomerinzwolle"}
    )
    assert response.status_code == 200
    assert User.objects.count() == 0


def test_it_rate_limits_registrations_per_client_address(client):
    attempts, _window = ratelimits.limit("register_ip")
    for _ in range(attempts):
        assert client.post(URL, {**GOOD, "email": "x"}).status_code == 200
    response = client.post(URL, GOOD)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "te vaak" in response.content.decode()
    assert 'value="Fatima@Example.nl"' in response.content.decode()
    assert User.objects.count() == 0


def test_it_counts_other_addresses_separately(client):
    attempts, _window = ratelimits.limit("register_ip")
    for _ in range(attempts):
        client.post(URL, {**GOOD, "email": "x"}, REMOTE_ADDR="192.0.2.1")
    assert client.post(URL, GOOD, REMOTE_ADDR="192.0.2.2").status_code == 302


def test_it_refuses_a_name_with_a_right_to_left_override(client):
    response = client.post(URL, {**GOOD, "display_name": "Fatima \u202ereknaB"})
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"] == [
        "Dit veld mag geen regeleinden, tabs of onzichtbare stuurtekens bevatten (zoals een "
        "teken dat de schrijfrichting omdraait)."
    ]
    assert not User.objects.exists()
