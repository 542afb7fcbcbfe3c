"""Pages of volunteering: who sees and does what (roles and the two municipalities),
forms that work without JavaScript, clear messages, bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting.models import AgreementState, HostingAgreement
from buurtbasis.platform.tenancy import ensure_tenant
from buurtbasis.volunteering.models import HoursEntry, KeyRole, KeyRoleKind, SignUp, Task

from .helpers import hours, shift, task, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rotterdam():
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    return town("GM0599", "Rotterdam")


def test_the_public_list_is_scoped_to_the_municipality_and_filters(client):
    t = town()
    other = rotterdam()
    shift(task(t, title="Koken in Zwolle"), days=2)  # 2 days from now
    shift(task(t, title="Tuinieren in Zwolle", skills=",gardening,"), days=3)
    shift(task(other, title="Koken in Rotterdam"))
    closed = task(t, title="Gesloten taak", is_open=False)
    shift(closed)
    task(t, title="Zonder diensten")
    html = client.get(reverse("volunteering:list")).content.decode()
    assert "Koken in Zwolle" in html and "Tuinieren in Zwolle" in html
    assert "Rotterdam" not in html.split("<main")[1]
    assert "Gesloten taak" not in html and "Zonder diensten" not in html
    html = client.get(reverse("volunteering:list"), {"skill": "gardening"}).content.decode()
    assert "Tuinieren in Zwolle" in html and "Koken in Zwolle" not in html
    day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][
        (timezone.localdate() + datetime.timedelta(days=2)).weekday()
    ]
    html = client.get(reverse("volunteering:list"), {"day": day}).content.decode()
    assert "Koken in Zwolle" in html and "Tuinieren in Zwolle" not in html
    html = client.get("/g/rotterdam" + reverse("volunteering:list")).content.decode()
    assert "Koken in Rotterdam" in html and "Koken in Zwolle" not in html
    html = client.get(reverse("volunteering:list"), {"wijk": t.wijk.slug}).content.decode()
    assert "Koken in Zwolle" in html


def test_a_task_of_another_municipality_is_not_found(client):
    t = town()
    other = rotterdam()
    theirs = task(other)
    assert client.get(reverse("volunteering:task", args=[theirs.pk])).status_code == 404
    url = "/g/rotterdam" + reverse("volunteering:task", args=[theirs.pk])
    assert client.get(url).status_code == 200
    mine = task(t)
    assert client.get("/g/rotterdam" + mine.get_absolute_url()).status_code == 404


def test_the_list_costs_the_same_queries_for_more_tasks(django_assert_max_num_queries):
    t = town()
    for i in range(3):
        shift(task(t, title=f"Taak {i}"))
    client = Client()
    client.get(reverse("volunteering:list"))  # warm caches (tenant, session)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("volunteering:list"))
    for i in range(15):
        s = shift(task(t, title=f"Extra {i}"))
        shift(s.task, days=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("volunteering:list"))


def test_a_resident_signs_up_without_javascript_and_full_shifts_say_so():
    t = town()
    s = shift(task(t), needed=1)
    resident = login(t.resident)
    response = resident.post(reverse("volunteering:signup", args=[s.pk]), follow=True)
    assert "U bent aangemeld" in response.content.decode()
    assert SignUp.objects.filter(shift=s, user=t.resident).exists()
    other = login(UserFactory())
    response = other.post(reverse("volunteering:signup", args=[s.pk]), follow=True)
    assert "Deze dienst is vol" in response.content.decode()
    response = resident.post(reverse("volunteering:cancel", args=[s.pk]), follow=True)
    assert "niet meer aangemeld" in response.content.decode()
    assert not SignUp.objects.exists()


def test_signing_up_needs_a_log_in_and_the_csrf_token():
    t = town()
    s = shift(task(t))
    anonymous = Client()
    response = anonymous.post(reverse("volunteering:signup", args=[s.pk]))
    assert response.status_code == 302 and "inloggen" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(t.resident)
    assert strict.post(reverse("volunteering:signup", args=[s.pk])).status_code == 403
    assert not SignUp.objects.exists()


@pytest.mark.parametrize("who", ["resident", "other_worker", "other_initiator", "anonymous"])
def test_only_initiators_and_the_hosts_workers_manage(who):
    t = town()
    other = rotterdam()
    tk = task(t)
    s = shift(tk)
    user = {
        "resident": t.resident,
        "other_worker": other.worker,
        "other_initiator": other.initiator,
        "anonymous": None,
    }[who]
    client = login(user) if user else Client()
    urls = [
        reverse("volunteering:manage", args=[t.initiative.slug]),
        reverse("volunteering:task-new", args=[t.initiative.slug]),
        reverse("volunteering:task-edit", args=[tk.pk]),
        reverse("volunteering:shift-new", args=[tk.pk]),
        reverse("volunteering:suggestions", args=[s.pk]),
    ]
    for url in urls:
        status = client.get(url).status_code
        assert status in (302, 403) if user is None else status == 403, url
    for ok in (t.initiator, t.worker):
        for url in urls:
            assert login(ok).get(url).status_code == 200, url


def test_the_host_of_an_active_hosting_agreement_manages_too():
    t = town()
    other_org_worker = UserFactory(roles=[("community_worker", None)])
    org = other_org_worker.memberships.get().organisation
    HostingAgreement.objects.create(host=org, initiative=t.initiative, state=AgreementState.ACTIVE)
    url = reverse("volunteering:manage", args=[t.initiative.slug])
    assert login(other_org_worker).get(url).status_code == 200


def test_an_initiator_posts_a_task_and_a_shift_with_the_forms():
    t = town()
    client = login(t.initiator)
    response = client.post(
        reverse("volunteering:task-new", args=[t.initiative.slug]),
        {"title": "Soep koken", "skills": ["cooking"], "area": t.buurt.pk, "is_open": "on"},
    )
    made = Task.objects.get(title="Soep koken")
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("volunteering:shift-new", args=[made.pk])
    )
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("volunteering:shift-new", args=[made.pk]),
        {"date": day, "start": "18:00", "end": "17:00", "needed": 2},
    )
    assert "De dienst eindigt na het begin" in response.content.decode()
    response = client.post(
        reverse("volunteering:shift-new", args=[made.pk]),
        {"date": day, "start": "18:00", "end": "21:00", "needed": 2},
    )
    assert response.status_code == 302 and made.shifts.count() == 1


def test_the_initiator_confirms_shift_hours_on_the_task_page():
    t = town()
    s = shift(task(t), days=-1, hours=3)
    signup = SignUp.objects.create(shift=s, user=t.resident)
    page = login(t.initiator).get(s.task.get_absolute_url()).content.decode()
    assert "Uren van" in page and t.resident.display_name in page
    assert t.resident.display_name not in Client().get(s.task.get_absolute_url()).content.decode()
    response = login(t.initiator).post(
        reverse("volunteering:signup-hours", args=[signup.pk]), {"hours": "2.5"}, follow=True
    )
    assert "De uren zijn bevestigd" in response.content.decode()
    assert HoursEntry.objects.get().minutes == 150
    assert (
        login(t.resident)
        .post(reverse("volunteering:signup-hours", args=[signup.pk]), {"hours": "9"})
        .status_code
        == 403
    )


def test_nobody_else_sees_a_persons_hours():
    t = town()
    other = rotterdam()
    hours(t.resident, t.initiative, 600)
    url = reverse("volunteering:person", args=[t.resident.pk])
    for outsider in (other.worker, t.initiator, UserFactory()):
        assert login(outsider).get(url).status_code == 403
    assert login(t.worker).get(url).status_code == 200
    assert login(t.resident).get(url).status_code == 302  # to their own page
    assert Client().get(url).status_code == 302  # log in first


def test_the_worker_overview_is_for_community_workers_of_the_host():
    t = town()
    other = rotterdam()
    for day in range(1, 28):
        hours(t.resident, t.initiative, 4 * 60, days_ago=day)
    KeyRole.objects.create(
        initiative=t.initiative,
        role=KeyRoleKind.TREASURER,
        user=t.initiator,
        since=timezone.localdate() - datetime.timedelta(days=100),
    )
    html = login(t.worker).get(reverse("volunteering:overview")).content.decode()
    assert t.resident.display_name in html and "penningmeester alleen Initiatiefnemer" in html
    html = login(other.worker).get(reverse("volunteering:overview")).content.decode()
    assert t.resident.display_name not in html and t.initiative.name not in html
    assert login(t.resident).get(reverse("volunteering:overview")).status_code == 403


def test_the_dashboard_warns_the_person_and_the_worker():
    t = town()
    for day in range(1, 28):
        hours(t.resident, t.initiative, 4 * 60, days_ago=day)
    html = login(t.resident).get(reverse("portal:dashboard")).content.decode()
    assert "U heeft de afgelopen vier weken 108 uur vrijwilligerswerk gedaan." in html
    html = login(t.worker).get(reverse("portal:dashboard")).content.decode()
    assert "Mensen die te veel dragen" in html and t.resident.display_name in html
    html = login(t.initiator).get(reverse("portal:dashboard")).content.decode()
    assert "108 uur" not in html and t.resident.display_name not in html


def test_the_initiative_page_shows_tasks_and_managers_the_role_warning():
    t = town()
    shift(task(t, title="Soep koken"))
    KeyRole.objects.create(
        initiative=t.initiative,
        role=KeyRoleKind.TREASURER,
        user=t.initiator,
        since=timezone.localdate(),
    )
    url = t.initiative.get_absolute_url()
    html = Client().get(url).content.decode()
    assert "Soep koken" in html and "heeft de rol" not in html
    html = login(t.initiator).get(url).content.decode()
    assert "Maar één persoon heeft de rol Penningmeester" in html


def test_profile_and_own_hours_forms():
    t = town()
    client = login(t.resident)
    response = client.post(
        reverse("volunteering:profile"),
        {
            "skills": ["cooking"],
            "area": t.wijk.pk,
            "availability": ["tue_evening"],
            "max_hours_per_month": "500",
        },
    )
    assert "300" in response.content.decode()  # max_value message
    response = client.post(
        reverse("volunteering:profile"),
        {"skills": ["cooking"], "area": t.wijk.pk, "availability": ["tue_evening"]},
    )
    assert response.status_code == 302
    assert not t.resident.volunteer_profile.suggestible
    response = client.get(reverse("volunteering:hours-new"))
    assert "meld u eerst aan" in response.content.decode()
    SignUp.objects.create(shift=shift(task(t)), user=t.resident)
    response = client.post(
        reverse("volunteering:hours-new"),
        {"initiative": t.initiative.pk, "date": timezone.localdate().isoformat(), "hours": "1.5"},
    )
    assert response.status_code == 302
    assert HoursEntry.objects.get().minutes == 90
    html = client.get(reverse("volunteering:mine")).content.decode()
    assert "Wacht op bevestiging" in html and t.initiative.name in html


def test_a_non_ascii_digit_as_the_person_to_invite_is_no_server_error():
    t = town()
    s = shift(task(t))
    response = login(t.initiator).post(
        reverse("volunteering:invite", args=[s.pk]), {"user": "١٢"}, follow=True
    )
    assert response.status_code == 200
    assert "kunt u niet uitnodigen" in response.content.decode()


def test_the_overview_and_dashboard_cost_the_same_queries_for_more_people():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from buurtbasis.initiatives import services as initiative_services
    from buurtbasis.initiatives.models import Initiative

    t = town()

    def grow(n):
        for _ in range(n):
            person = UserFactory()
            made = initiative_services.start_initiative(
                creator=person,
                name=f"Extra {person.pk}",
                pitch="Samen.",
                areas=[t.buurt],
                contact_email="x@example.org",
            )
            Initiative.objects.filter(pk=made.pk).update(host_organisation=t.welfare)
            for day in range(1, 28):
                hours(person, made, 5 * 60, days_ago=day)
            KeyRole.objects.create(
                initiative=made, role=KeyRoleKind.TREASURER, user=person, since=timezone.localdate()
            )

    grow(2)
    client = login(t.worker)
    client.get(reverse("volunteering:overview"))

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = {
        url: count(url) for url in (reverse("volunteering:overview"), reverse("portal:dashboard"))
    }
    grow(6)
    for url, n in few.items():
        assert count(url) <= n, url


def test_a_worker_in_both_municipalities_sees_the_load_of_the_one_they_are_in():
    t = town()
    other = rotterdam()
    both = UserFactory(roles=[("community_worker", t.welfare), ("community_worker", other.welfare)])
    for day in range(1, 28):
        hours(t.resident, t.initiative, 4 * 60, days_ago=day)
        hours(other.resident, other.initiative, 4 * 60, days_ago=day)
    client = login(both)
    html = client.get(reverse("volunteering:overview")).content.decode()
    assert t.resident.display_name in html and other.resident.display_name not in html
    html = client.get("/g/rotterdam" + reverse("volunteering:overview")).content.decode()
    assert other.resident.display_name in html and t.resident.display_name not in html
