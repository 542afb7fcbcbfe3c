import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from buurtbasis.platform.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password_change")


def test_it_changes_the_password_and_keeps_the_user_logged_in(client):
    user = UserFactory()
    client.force_login(user)
    new = "Ander-Wachtwoord-Zwolle-3"
    response = client.post(
        URL, {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("accounts:account")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.password_changed", actor=user).exists()


def test_it_needs_the_current_password(client):
    user = UserFactory()
    client.force_login(user)
    new = "Ander-Wachtwoord-Zwolle-3"
    response = client.post(
        URL, {"old_password": "fout", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert "huidige wachtwoord klopt niet" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_it_needs_a_log_in(client):
    assert client.get(URL).status_code == 302
