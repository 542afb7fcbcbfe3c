"""The pages: /meldingen/ (list, mark read, pagination, empty state), the preferences,
the unread count in the header, the follow button; and who may see and change what."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.platform import notifications
from buurtbasis.platform.models import Delivery, Follow, Notification
from buurtbasis.platform.notifications import notify
from buurtbasis.platform.testing import run_queued_tasks

pytestmark = pytest.mark.django_db

LIST = "/meldingen/"
PREFERENCES = "/meldingen/voorkeuren/"


def test_the_urls_are_dutch():
    assert reverse("platform:notifications") == LIST
    assert reverse("platform:notification-preferences") == PREFERENCES


def test_the_list_needs_a_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/account/inloggen/" in response["Location"]


def test_the_empty_list_says_so_in_dutch(client, make_person):
    client.force_login(make_person())
    page = client.get(LIST).content.decode()
    assert "U heeft nog geen meldingen." in page
    assert "Alles als gelezen markeren" not in page


def test_the_list_shows_only_ones_own_notifications_newest_first(client, make_person):
    anna, bert = make_person(), make_person()
    notify(anna, "test.news", {"thing": "eerste", "link": "/a/"})
    notify(anna, "test.news", {"thing": "tweede"})
    notify(bert, "test.news", {"thing": "van bert"})
    client.force_login(anna)
    page = client.get(LIST).content.decode()
    assert page.index("Meldingen: tweede") < page.index("Meldingen: eerste")
    assert "van bert" not in page
    assert "Ongelezen:" in page
    # the header shows the unread count
    assert '<span class="badge">2<span class="visually-hidden"> ongelezen</span></span>' in page


def test_mark_one_and_all_read(client, make_person):
    anna = make_person()
    first = notify(anna, "test.news", {"thing": "een"})
    notify(anna, "test.news", {"thing": "twee"})
    client.force_login(anna)
    response = client.post(reverse("platform:notification-read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert notifications.unread_count(anna) == 1
    response = client.post(reverse("platform:notifications-read-all"), {"page": "1"})
    assert response["Location"] == LIST + "?page=1"
    assert notifications.unread_count(anna) == 0
    assert 'class="badge"' not in client.get(LIST).content.decode()


def test_mark_read_is_post_only(client, make_person):
    anna = make_person()
    row = notify(anna, "test.news", {"thing": "een"})
    client.force_login(anna)
    assert client.get(reverse("platform:notification-read", args=[row.pk])).status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client, make_person):
    anna = make_person()
    row = notify(anna, "test.news", {"thing": "een", "link": "/initiatieven/"})
    client.force_login(anna)
    response = client.get(reverse("platform:notification-open", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == "/initiatieven/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_one_person_cannot_see_open_or_mark_anothers_notifications(client, make_person):
    anna, bert = make_person(), make_person()
    row = notify(anna, "test.news", {"thing": "geheim", "link": "/a/"})
    client.force_login(bert)
    assert "geheim" not in client.get(LIST).content.decode()
    assert client.post(reverse("platform:notification-read", args=[row.pk])).status_code == 404
    assert client.get(reverse("platform:notification-open", args=[row.pk])).status_code == 404
    client.post(reverse("platform:notifications-read-all"))
    row.refresh_from_db()
    assert row.read_at is None


def test_the_list_is_paginated(client, make_person):
    anna = make_person()
    for number in range(25):
        notify(anna, "test.news", {"thing": f"nummer-{number:02d}"})
    client.force_login(anna)
    first = client.get(LIST).content.decode()
    assert "Pagina 1 van 2" in first
    assert "nummer-24" in first and "nummer-04" not in first
    second = client.get(LIST + "?page=2").content.decode()
    assert "nummer-04" in second and "nummer-24" not in second


def test_the_unread_count_costs_one_query_however_many_notifications(client, make_person):
    anna = make_person()
    client.force_login(anna)
    client.get("/initiatieven/")  # warm up (content types, sessions)

    def queries_for_a_page() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/initiatieven/").status_code == 200
        return [q["sql"] for q in captured.captured_queries if "platform_notification" in q["sql"]]

    assert len(queries_for_a_page()) == 1
    for number in range(30):
        notify(anna, "test.news", {"thing": str(number)})
    found = queries_for_a_page()
    assert len(found) == 1 and "COUNT(" in found[0]


def test_no_count_query_for_visitors_who_are_not_logged_in(client):
    with CaptureQueriesContext(connection) as captured:
        client.get("/initiatieven/")
    assert not [q for q in captured.captured_queries if "platform_notification" in q["sql"]]


def test_preferences_page_saves_choices_and_language(
    client, make_person, django_capture_on_commit_callbacks
):
    anna = make_person("nl")
    client.force_login(anna)
    page = client.get(PREFERENCES).content.decode()
    assert "Voorkeuren voor meldingen" in page
    assert "News about a thing" in page
    assert "A secret link" not in page  # required kinds cannot be switched off
    field = "kind__test__news"
    response = client.post(
        PREFERENCES,
        {
            "language": "en",
            field: "off",
            "kind__test__digest_news": "digest",
        },
    )
    assert response.status_code == 302
    assert notifications.delivery_for(anna, "test.news") == Delivery.OFF
    assert notifications.language_of(anna) == "en"
    with django_capture_on_commit_callbacks(execute=True):
        notify(anna, "test.secret", {"link": "/x/"})
        notify(anna, "test.news", {"thing": "x"})
    run_queued_tasks()
    [message] = mail.outbox
    assert message.subject == "Notifications (secret)"


def test_preferences_refuse_unknown_choices_with_a_dutch_message(client, make_person):
    anna = make_person()
    client.force_login(anna)
    response = client.post(
        PREFERENCES,
        {"language": "nl", "kind__test__news": "elk-uur", "kind__test__digest_news": "off"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kijk het formulier na" in page
    assert "Selecteer een geldige keuze" in page
    assert notifications.delivery_for(anna, "test.news") == Delivery.IMMEDIATELY


# --- Following ------------------------------------------------------------------------


def test_follow_and_unfollow_without_javascript(client, make_person):
    anna = make_person()
    group = Group.objects.create(name="public-buurt")
    client.force_login(anna)
    target = f"auth.group:{group.pk}"
    response = client.post("/volgen/", {"target": target, "next": "/initiatieven/"})
    assert response.status_code == 302 and response["Location"] == "/initiatieven/"
    assert list(notifications.followers_of(group)) == [anna]
    # twice is still once
    client.post("/volgen/", {"target": target, "next": "/"})
    assert Follow.objects.count() == 1
    client.post("/volgen/", {"target": target, "action": "unfollow", "next": "/"})
    assert not Follow.objects.exists()


def test_follow_with_htmx_returns_the_button(client, make_person):
    anna = make_person()
    group = Group.objects.create(name="public-buurt")
    client.force_login(anna)
    response = client.post(
        "/volgen/",
        {"target": f"auth.group:{group.pk}", "next": "/"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Niet meer volgen" in page and 'name="action" value="unfollow"' in page


def test_follow_refuses_what_cannot_be_followed(client, make_person):
    client.force_login(make_person())
    hidden = Group.objects.create(name="besloten")
    for target in (f"auth.group:{hidden.pk}", "auth.group:999999", "auth.user:1", "onzin", ""):
        assert client.post("/volgen/", {"target": target}).status_code == 404, target
    assert not Follow.objects.exists()


def test_follow_sends_visitors_to_the_log_in_and_ignores_foreign_next(client, make_person):
    group = Group.objects.create(name="public-buurt")
    response = client.post("/volgen/", {"target": f"auth.group:{group.pk}", "next": "/x/"})
    assert "/account/inloggen/" in response["Location"]
    client.force_login(make_person())
    response = client.post(
        "/volgen/", {"target": f"auth.group:{group.pk}", "next": "https://elders.example/"}
    )
    assert response["Location"] == "/"


def test_follow_needs_csrf(make_person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_person())
    group = Group.objects.create(name="public-buurt")
    assert client.post("/volgen/", {"target": f"auth.group:{group.pk}"}).status_code == 403


def test_followers_hear_about_changes_except_the_actor_and_those_who_may_not_see_it(
    make_person,
):
    anna, bert, carla = make_person(), make_person(), make_person()
    group = Group.objects.create(name="public-buurt")
    for person in (anna, bert, carla):
        notifications.follow(user=person, obj=group)
    assert notifications.notify_followers(group, "test.news", {"thing": "x"}, exclude=[anna]) == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {bert.pk, carla.pk}
    group.name = "besloten nu"
    group.save()
    assert notifications.notify_followers(group, "test.news", {"thing": "y"}) == 0


def test_the_follow_button_tag(rf, make_person):
    from django.template import Context, Template

    anna = make_person()
    group = Group.objects.create(name="public-buurt")
    template = Template("{% load follow %}{% follow_button group %}")
    request = rf.get("/ergens/?a=1")
    request.user = anna
    html = template.render(Context({"request": request, "group": group}))
    assert 'name="next" value="/ergens/?a=1"' in html
    assert 'hx-post="/volgen/"' in html and ">Volgen<" in html
    notifications.follow(user=anna, obj=group)
    html = template.render(Context({"request": request, "group": group}))
    assert "Niet meer volgen" in html
