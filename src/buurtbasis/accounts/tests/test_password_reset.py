import re

import pytest
from django.core import mail
from django.urls import reverse

from buurtbasis.accounts import ratelimits
from buurtbasis.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.testing import delivered

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password_reset")


def ask_reset(client, email, **extra):
    """Ask for a reset link; the queued mail is sent (as a worker would)."""
    with delivered():
        return client.post(URL, {"email": email}, **extra)


def test_it_mails_a_reset_link_and_sets_a_new_password(client):
    user = UserFactory(email="sanne@example.nl", email_verified=False)
    response = ask_reset(client, "Sanne@example.nl")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    path = re.search(r"http://testserver(/account/wachtwoord-herstellen/\S+/)", mail.outbox[0].body)
    response = client.get(path.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new = "Nieuw-Wachtwoord-Zwolle-9"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    assert user.email_verified is True  # the link proved the address works
    assert AuditEvent.objects.filter(action="accounts.password_reset", actor=user).exists()


def test_it_answers_the_same_for_an_unknown_address(client):
    UserFactory(email="sanne@example.nl")
    known = ask_reset(client, "sanne@example.nl")
    unknown = ask_reset(client, "niemand@example.nl")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_it_keeps_the_typed_address_on_an_error(client):
    response = client.post(URL, {"email": "geen-adres"})
    assert response.status_code == 200
    assert 'value="geen-adres"' in response.content.decode()
    assert 'href="#id_email"' in response.content.decode()


def test_it_refuses_mismatched_new_passwords(client):
    user = UserFactory(email="sanne@example.nl")
    ask_reset(client, "sanne@example.nl")
    path = re.search(r"http://testserver(/account/wachtwoord-herstellen/\S+/)", mail.outbox[0].body)
    form_url = client.get(path.group(1), follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Nieuw-Wachtwoord-1", "new_password2": "Ander-Wachtwoord-2"}
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_it_rejects_a_broken_reset_link(client):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bestaat-niet"]))
    assert response.status_code == 200
    assert "werkt niet meer" in response.content.decode()


def test_it_rate_limits_reset_requests_per_address(client):
    UserFactory(email="sanne@example.nl")
    attempts, _window = ratelimits.limit("reset_account")
    for n in range(attempts):
        ask_reset(client, "sanne@example.nl", REMOTE_ADDR=f"192.0.2.{n}")
    response = ask_reset(client, "sanne@example.nl", REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert len(mail.outbox) == attempts


def test_it_rate_limits_reset_requests_per_client(client):
    attempts, _window = ratelimits.limit("reset_ip")
    for n in range(attempts):
        client.post(URL, {"email": f"p{n}@example.nl"})
    assert client.post(URL, {"email": "x@example.nl"}).status_code == 429
