import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.organisations.models import Role

pytestmark = pytest.mark.django_db


def test_it_shows_my_account_with_my_roles(client):
    user = UserFactory(email_verified=False, roles=[Role.FINANCE_OFFICER])
    client.force_login(user)
    response = client.get(reverse("accounts:account"))
    html = response.content.decode()
    assert user.email in html
    assert "nog niet bevestigd" in html
    assert user.memberships.get().organisation.name in html


def test_it_saves_my_name_and_keeps_it_on_error(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:account"), {"display_name": "Jan Jansen"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Jan Jansen"
    response = client.post(reverse("accounts:account"), {"display_name": "x" * 151})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_it_redirects_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_menu_links_to_organisations_and_my_account(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("organisations:list")}"' in html
    assert f'href="{reverse("accounts:account")}"' not in html
    client.force_login(UserFactory())
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("accounts:account")}"' in html


def test_the_account_page_queries_do_not_grow_with_memberships(client):
    user = UserFactory(roles=[Role.FINANCE_OFFICER])
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("accounts:account"))
    few = len(ctx.captured_queries)
    for _ in range(10):
        UserFactory(email=user.email, roles=[(Role.COMMUNITY_WORKER, OrganisationFactory())])
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("accounts:account"))
    assert len(ctx.captured_queries) == few
    assert user.memberships.count() == 11
