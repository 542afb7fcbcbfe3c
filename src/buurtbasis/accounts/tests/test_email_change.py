"""Changing one's e-mail address: only through a link mailed to the new address."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from buurtbasis.accounts.models import User
from buurtbasis.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from buurtbasis.accounts.tokens import CHANGE_SALT, SALT, make_change_token
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.testing import delivered

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"http://testserver(/account/e-mail-wijzigen/\S+/)", message.body).group(1)


def ask(client, new_email, password=DEFAULT_PASSWORD):
    """Ask for the change; the queued mails are sent (as a worker would)."""
    with delivered():
        return client.post(
            reverse("accounts:email_change"),
            {"new_email": new_email, "password": password},
            HTTP_ACCEPT_LANGUAGE="nl",
        )


def test_it_changes_the_address_only_after_the_link_in_the_new_mailbox(client):
    user = UserFactory(email="oud@example.nl", email_verified=True)
    client.force_login(user)
    response = ask(client, "  Nieuw@Example.NL ")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "oud@example.nl"  # nothing changed yet
    to_new, to_old = mail.outbox
    assert to_new.to == ["nieuw@example.nl"] and to_old.to == ["oud@example.nl"]
    assert "nieuw@example.nl" in to_old.body and "/e-mail-wijzigen/" not in to_old.body
    link = link_in(to_new)
    # opening the link (a mail scanner does that too) changes nothing; the button does
    page = client.get(link)
    assert page.status_code == 200
    user.refresh_from_db()
    assert user.email == "oud@example.nl"
    done = client.post(link)
    assert done.status_code == 200
    user.refresh_from_db()
    assert (user.email, user.email_verified) == ("nieuw@example.nl", True)
    assert AuditEvent.objects.filter(
        action="accounts.email_changed", object_id=str(user.pk)
    ).exists()
    # the old address no longer logs in, the new one does
    client.logout()
    assert client.login(username="nieuw@example.nl", password=DEFAULT_PASSWORD)
    # using the link again is refused: it was for the old address
    assert client.post(link).status_code == 400


@pytest.mark.parametrize(
    ("new_email", "password", "message"),
    [
        ("nieuw@example.nl", "fout-wachtwoord", "Dit wachtwoord klopt niet"),
        ("oud@example.nl", DEFAULT_PASSWORD, "Dit is al uw e-mailadres"),
        ("bezet@example.nl", DEFAULT_PASSWORD, "Er is al een account met dit e-mailadres"),
        ("geen-adres", DEFAULT_PASSWORD, "Vul een geldig e-mailadres in"),
    ],
)
def test_it_explains_what_is_wrong(client, new_email, password, message):
    UserFactory(email="bezet@example.nl")
    user = UserFactory(email="oud@example.nl")
    client.force_login(user)
    response = ask(client, new_email, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert mail.outbox == []
    user.refresh_from_db()
    assert user.email == "oud@example.nl"


def test_it_refuses_when_someone_else_took_the_address_meanwhile(client):
    user = UserFactory(email="oud@example.nl")
    token = make_change_token(user, "nieuw@example.nl")
    UserFactory(email="nieuw@example.nl")
    response = client.post(reverse("accounts:email_change_confirm", args=[token]))
    assert response.status_code == 409
    assert "Een ander account" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "oud@example.nl"


def test_it_refuses_tampered_expired_and_foreign_links(client, settings):
    user = UserFactory(email="oud@example.nl")
    token = make_change_token(user, "nieuw@example.nl")
    url = reverse("accounts:email_change_confirm", args=[token[:-2] + "xx"])
    assert client.post(url).status_code == 400
    # a confirmation link for the address is not a change link
    forged = signing.dumps({"u": user.pk, "e": "oud@example.nl", "n": "x@example.nl"}, salt=SALT)
    assert client.post(reverse("accounts:email_change_confirm", args=[forged])).status_code == 400
    assert CHANGE_SALT != SALT
    settings.VERIFY_EMAIL_MAX_AGE = -1
    url = reverse("accounts:email_change_confirm", args=[token])
    assert client.post(url).status_code == 400
    user.refresh_from_db()
    assert user.email == "oud@example.nl"


def test_it_needs_a_login_and_is_rate_limited(client):
    response = client.get(reverse("accounts:email_change"))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    user = UserFactory(email="oud@example.nl")
    client.force_login(user)
    codes = [ask(client, f"nieuw{i}@example.nl").status_code for i in range(7)]
    assert codes[0] == 302 and codes[-1] == 429
    assert User.objects.get(pk=user.pk).email == "oud@example.nl"


def test_the_account_page_links_to_it(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:account"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert reverse("accounts:email_change") in page
