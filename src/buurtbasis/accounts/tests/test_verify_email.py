import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from buurtbasis.accounts import ratelimits
from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.accounts.tokens import SALT, make_verification_token
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.testing import delivered

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"http://testserver(/account/bevestigen/\S+/)", message.body).group(1)


def test_it_confirms_the_address_from_the_mailed_link(client):
    with delivered():
        client.post(
            reverse("accounts:register"),
            {"display_name": "Kees", "email": "kees@example.nl", "password": "Zomer-in-Zwolle-77"},
        )
    user = client.session["_auth_user_id"]
    client.logout()
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 200
    assert "kees@example.nl" in response.content.decode()
    from buurtbasis.accounts.models import User

    assert User.objects.get(pk=user).email_verified is True
    assert AuditEvent.objects.filter(action="accounts.email_verified").count() == 1
    # Opening the link again changes nothing.
    assert client.get(link_in(mail.outbox[0])).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.email_verified").count() == 1


def test_it_rejects_a_tampered_link(client):
    user = UserFactory(email_verified=False)
    token = make_verification_token(user)
    response = client.get(reverse("accounts:verify", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified is False


def test_it_rejects_a_link_for_an_old_e_mail_address(client):
    user = UserFactory(email="oud@example.nl", email_verified=False)
    token = make_verification_token(user)
    user.email = "nieuw@example.nl"
    user.save()
    assert client.get(reverse("accounts:verify", args=[token])).status_code == 400
    user.refresh_from_db()
    assert user.email_verified is False


def test_it_rejects_an_expired_link(client, settings):
    settings.VERIFY_EMAIL_MAX_AGE = -1
    user = UserFactory(email_verified=False)
    response = client.get(reverse("accounts:verify", args=[make_verification_token(user)]))
    assert response.status_code == 400
    assert "te oud" in response.content.decode()


def test_it_signs_the_token_with_its_own_salt(client):
    user = UserFactory(email_verified=False)
    forged = signing.dumps({"u": user.pk, "e": user.email}, salt="other" + SALT)
    assert client.get(reverse("accounts:verify", args=[forged])).status_code == 400


def test_it_resends_the_link_to_a_signed_in_user(client):
    user = UserFactory(email_verified=False)
    client.force_login(user)
    assert client.get(reverse("accounts:verify_resend")).status_code == 405
    with delivered():
        response = client.post(reverse("accounts:verify_resend"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def test_it_rate_limits_resending(client):
    user = UserFactory(email_verified=False)
    client.force_login(user)
    attempts, _window = ratelimits.limit("verify_resend_account")
    with delivered():
        for _ in range(attempts):
            client.post(reverse("accounts:verify_resend"))
        assert client.post(reverse("accounts:verify_resend")).status_code == 429
    assert len(mail.outbox) == attempts


def test_it_needs_a_log_in_to_resend(client):
    response = client.post(reverse("accounts:verify_resend"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
