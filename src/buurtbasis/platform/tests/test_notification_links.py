"""Links in notifications sent outside a request (scheduled tasks) open in the right
municipality: its ``/g/<slug>/`` prefix or its own host name is put in front."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from buurtbasis.platform import notifications
from buurtbasis.platform.models import Notification
from buurtbasis.platform.notifications import notify
from buurtbasis.platform.tenancy import ensure_tenant
from buurtbasis.platform.testing import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(settings):
    settings.SITE_URL = "https://buurtbasis.example"
    settings.BUURTBASIS_MUNICIPALITY_CODE = "GM0193"
    zwolle = ensure_tenant(cbs_code="GM0193", name="Zwolle", slug="zwolle")
    rotterdam = ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    delft = ensure_tenant(
        cbs_code="GM0503", name="Delft", slug="delft", hosts=["buurt.delft.example"]
    )
    return zwolle, rotterdam, delft


def test_a_path_tenant_gets_its_prefix_in_the_list_and_the_mail(
    make_person, tenants, django_capture_on_commit_callbacks
):
    anna = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        row = notify(anna, "test.news", {"thing": "x", "link": "/a/b/"}, municipality="GM0599")
    assert row.link == "/g/rotterdam/a/b/"
    run_queued_tasks()
    notifications_sent = [m for m in mail.outbox if m.to == [anna.email]]
    assert notifications_sent and "https://buurtbasis.example/g/rotterdam/a/b/" in (
        notifications_sent[-1].body
    )


def test_without_the_municipality_the_link_stays_as_it_was(make_person, tenants):
    anna = make_person()
    row = notify(anna, "test.news", {"thing": "x", "link": "/a/b/"})
    assert row.link == "/a/b/"


def test_the_default_municipality_needs_no_prefix(make_person, tenants):
    anna = make_person()
    row = notify(anna, "test.news", {"thing": "x", "link": "/a/b/"}, municipality="GM0193")
    assert row.link == "/a/b/"


def test_a_host_tenant_gets_an_absolute_link_that_the_list_may_open(client, make_person, tenants):
    anna = make_person()
    row = notify(anna, "test.news", {"thing": "x", "link": "/a/b/"}, municipality="GM0503")
    assert row.link == "https://buurt.delft.example/a/b/"
    client.force_login(anna)
    response = client.get(reverse("platform:notification-open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == "https://buurt.delft.example/a/b/"


def test_the_list_never_opens_a_link_to_a_host_that_is_not_a_municipality(
    client, make_person, tenants
):
    anna = make_person()
    row = notify(anna, "test.news", {"thing": "x", "link": "/a/b/"})
    type(row).objects.filter(pk=row.pk).update(link="https://elders.example/a/b/")
    client.force_login(anna)
    response = client.get(reverse("platform:notification-open", args=[row.pk]))
    assert response["Location"] == reverse("platform:notifications")


def test_followers_get_the_prefix_too(make_person, tenants):
    anna = make_person()
    group = Group.objects.create(name="public-buurt")
    notifications.follow(user=anna, obj=group)
    sent = notifications.notify_followers(
        group, "test.news", {"thing": "x", "link": "/c/"}, municipality="GM0599"
    )
    assert sent == 1
    assert Notification.objects.get(recipient=anna).link == "/g/rotterdam/c/"
