"""Exchange meetings: who organises, invitations, registration with a waiting list,
cancelling, the report, and the links on the initiatives' pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.exchange import services
from buurtbasis.exchange.models import Meeting, Registration, RegistrationStatus
from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification

from .helpers import two_towns

pytestmark = pytest.mark.django_db


def _meeting(town, *, invited=(), days=7, places=10, open_to_all=False, **kw) -> Meeting:
    start = timezone.now() + datetime.timedelta(days=days)
    return services.create_meeting(
        organisation=town.welfare,
        municipality_code=town.code,
        title=kw.pop("title", "Vrijwilligers vinden en houden"),
        description="",
        themes=[],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="Buurthuis De Kern",
        online_link="",
        max_places=places,
        open_to_all=open_to_all,
        invited=list(invited),
        origin=Origin(actor=town.worker),
    )


def _initiative(town, name):
    person = UserFactory(display_name=f"Trekker {name}")
    initiative = Initiative.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        pitch="x",
        contact_email="x@example.org",
        status=Status.ACTIVE,
        created_by=person,
    )
    initiative.areas.set([town.wijk])
    initiative.members.set([person])
    return initiative, person


def _register(meeting, initiative, person, people=2):
    return services.register(
        meeting=meeting,
        initiative=initiative,
        people=people,
        names="",
        origin=Origin(actor=person),
    )


def test_only_community_workers_working_there_organise():
    zwolle, rotterdam = two_towns()
    for person in (zwolle.initiator, zwolle.civil_servant, rotterdam.worker, UserFactory()):
        with pytest.raises(services.ExchangeError):
            services.create_meeting(
                organisation=zwolle.welfare,
                municipality_code=zwolle.code,
                title="x",
                description="",
                themes=[],
                starts_at=timezone.now() + datetime.timedelta(days=1),
                ends_at=None,
                place="Hier",
                online_link="",
                max_places=5,
                open_to_all=True,
                invited=[],
                origin=Origin(actor=person),
            )
    # a Zwolle worker cannot organise in Rotterdam for their Zwolle organisation
    with pytest.raises(services.ExchangeError):
        services.create_meeting(
            organisation=zwolle.welfare,
            municipality_code=rotterdam.code,
            title="x",
            description="",
            themes=[],
            starts_at=timezone.now() + datetime.timedelta(days=1),
            ends_at=None,
            place="Hier",
            online_link="",
            max_places=5,
            open_to_all=True,
            invited=[],
            origin=Origin(actor=zwolle.worker),
        )
    assert not Meeting.objects.exists()


def test_the_new_meeting_page_is_for_organisers_only(client):
    zwolle, rotterdam = two_towns()
    url = reverse("exchange:meeting_new")
    for person in (zwolle.initiator, zwolle.civil_servant, rotterdam.worker):
        client.force_login(person)
        assert client.get(url).status_code == 403, person
    client.force_login(zwolle.worker)
    page = client.get(url).content.decode()
    assert zwolle.initiative.name in page  # on the list to invite


def test_invitations_reach_the_initiators_also_across_municipalities():
    zwolle, rotterdam = two_towns()
    meeting = _meeting(zwolle, invited=[zwolle.initiative, rotterdam.initiative])
    for person in (zwolle.initiator, rotterdam.initiator):
        note = Notification.objects.get(recipient=person, kind="exchange.meeting_invitation")
        assert note.link.endswith(meeting.get_absolute_url())
    assert AuditEvent.objects.filter(action="exchange.meeting_created").exists()


def test_the_form_creates_a_meeting_and_refuses_bad_input(client):
    zwolle, _rotterdam = two_towns()
    client.force_login(zwolle.worker)
    url = reverse("exchange:meeting_new")
    response = client.post(url, {"organisation": zwolle.welfare.pk, "title": "Zonder plaats"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vul een plaats of een link in." in page
    assert not Meeting.objects.exists()
    start = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "organisation": zwolle.welfare.pk,
            "title": "Samen moestuinieren",
            "starts_at": start,
            "place": "Buurthuis",
            "max_places": "12",
            "invited": [zwolle.initiative.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert list(meeting.invited.all()) == [zwolle.initiative]


def test_registration_with_a_waiting_list_and_a_place_that_comes_free():
    zwolle, _rotterdam = two_towns()
    a, person_a = _initiative(zwolle, "Buurtkoor")
    b, person_b = _initiative(zwolle, "Speeltuin")
    meeting = _meeting(zwolle, invited=[zwolle.initiative, a, b], places=4)
    first = _register(meeting, zwolle.initiative, zwolle.initiator, people=3)
    second = _register(meeting, a, person_a, people=2)
    third = _register(meeting, b, person_b, people=1)
    assert first.status == RegistrationStatus.REGISTERED
    assert second.status == RegistrationStatus.WAITING
    # the third would fit, but it does not pass the one that waits before it
    assert third.status == RegistrationStatus.WAITING
    services.cancel_registration(registration=first, origin=Origin(actor=zwolle.initiator))
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.REGISTERED
    assert third.status == RegistrationStatus.REGISTERED
    assert Notification.objects.filter(recipient=person_a, kind="exchange.place_available").exists()
    assert services.places_taken(meeting) == 3


def test_only_invited_initiatives_register_unless_open_to_all(client):
    zwolle, rotterdam = two_towns()
    other, person = _initiative(zwolle, "Buurtkoor")
    meeting = _meeting(zwolle, invited=[zwolle.initiative])
    with pytest.raises(services.ExchangeError, match="niet uitgenodigd"):
        _register(meeting, other, person)
    with pytest.raises(services.ExchangeError, match="initiatiefnemers"):
        _register(meeting, zwolle.initiative, zwolle.worker)
    client.force_login(person)
    response = client.post(
        reverse("exchange:register", args=[meeting.pk]),
        {"initiative": other.pk, "people": 1},
    )
    assert response.status_code == 403
    open_meeting = _meeting(zwolle, open_to_all=True, title="Open avond")
    assert _register(open_meeting, other, person).status == RegistrationStatus.REGISTERED
    # open to all means all initiatives of the meeting's municipality, not of another
    with pytest.raises(services.ExchangeError):
        _register(open_meeting, rotterdam.initiative, rotterdam.initiator)


def test_registering_through_the_page_and_the_names_only_for_organisers(client):
    zwolle, rotterdam = two_towns()
    meeting = _meeting(zwolle, invited=[zwolle.initiative, rotterdam.initiative])
    client.force_login(rotterdam.initiator)
    response = client.post(
        reverse("exchange:register", args=[meeting.pk]),
        {"initiative": rotterdam.initiative.pk, "people": 2, "names": "Fatima en Joost"},
    )
    assert response.status_code == 302
    assert Registration.objects.get().people == 2
    url = meeting.get_absolute_url()
    assert "Fatima en Joost" not in client.get(url).content.decode()
    client.force_login(zwolle.initiator)
    assert "Fatima en Joost" not in client.get(url).content.decode()
    client.force_login(zwolle.worker)
    assert "Fatima en Joost" in client.get(url).content.decode()
    client.force_login(rotterdam.worker)  # another organisation: no names
    assert "Fatima en Joost" not in client.get(url).content.decode()


def test_the_organisers_cancel_a_meeting_and_registered_initiatives_hear_it(client):
    zwolle, rotterdam = two_towns()
    meeting = _meeting(zwolle, invited=[zwolle.initiative])
    _register(meeting, zwolle.initiative, zwolle.initiator)
    for person in (rotterdam.worker, zwolle.initiator, zwolle.civil_servant):
        client.force_login(person)
        assert client.post(reverse("exchange:cancel", args=[meeting.pk])).status_code == 403
    client.force_login(zwolle.worker)
    client.post(reverse("exchange:cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None
    assert Notification.objects.filter(
        recipient=zwolle.initiator, kind="exchange.meeting_cancelled"
    ).exists()
    with pytest.raises(services.ExchangeError):
        _register(meeting, zwolle.initiative, zwolle.initiator)


def test_the_report_is_written_afterwards_by_the_organisers_and_linked_from_the_initiatives(
    client,
):
    zwolle, rotterdam = two_towns()
    meeting = _meeting(zwolle, invited=[zwolle.initiative, rotterdam.initiative])
    with pytest.raises(services.ExchangeError, match="na de bijeenkomst"):
        services.publish_report(
            meeting=meeting, shared="a", lessons="b", origin=Origin(actor=zwolle.worker)
        )
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    url = reverse("exchange:report", args=[meeting.pk])
    for person in (zwolle.initiator, rotterdam.worker, zwolle.civil_servant):
        client.force_login(person)
        assert client.post(url, {"shared": "x", "lessons": "y"}).status_code == 403
    client.force_login(zwolle.worker)
    response = client.post(url, {"shared": "", "lessons": ""})
    assert response.status_code == 200
    response = client.post(
        url, {"shared": "Hoe u vrijwilligers vindt.", "lessons": "Vraag persoonlijk."}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Vraag persoonlijk." in page
    # linked from the invited initiative's page (the default tenant is Zwolle)
    page = client.get(zwolle.initiative.get_absolute_url()).content.decode()
    assert f"{meeting.get_absolute_url()}#report" in page
    assert AuditEvent.objects.filter(action="exchange.report_published").exists()


def test_the_online_link_is_for_invited_initiators_and_organisers(client):
    zwolle, rotterdam = two_towns()
    meeting = _meeting(zwolle, invited=[zwolle.initiative])
    Meeting.objects.filter(pk=meeting.pk).update(online_link="https://meet.example.org/abc")
    url = meeting.get_absolute_url()
    assert "meet.example.org/abc" not in client.get(url).content.decode()
    client.force_login(rotterdam.initiator)
    assert "meet.example.org/abc" not in client.get(url).content.decode()
    for person in (zwolle.initiator, zwolle.worker):
        client.force_login(person)
        assert "meet.example.org/abc" in client.get(url).content.decode()


def test_the_dashboard_block_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    from buurtbasis.exchange.tests.helpers import opt_in

    zwolle, rotterdam = two_towns()
    opt_in(zwolle.initiative)
    client.force_login(zwolle.initiator)
    client.get(reverse("portal:dashboard"))
    _meeting(zwolle, invited=[zwolle.initiative])
    services.ask_question(
        initiative=zwolle.initiative,
        subject="Eerste vraag",
        text="?",
        origin=Origin(actor=rotterdam.initiator),
    )
    with django_assert_max_num_queries(80) as few:
        page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Eerste vraag" in page and "Vrijwilligers vinden en houden" in page
    for n in range(6):
        _meeting(zwolle, invited=[zwolle.initiative], title=f"Bijeenkomst {n}")
        services.ask_question(
            initiative=zwolle.initiative,
            subject=f"Vraag {n}",
            text="?",
            origin=Origin(actor=UserFactory()),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:dashboard"))


def test_a_platform_admin_may_organise_anywhere():
    zwolle, rotterdam = two_towns()
    admin = UserFactory(roles=[Role.PLATFORM_ADMIN])
    meeting = services.create_meeting(
        organisation=rotterdam.welfare,
        municipality_code=rotterdam.code,
        title="Door de beheerder",
        description="",
        themes=[],
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=None,
        place="",
        online_link="https://meet.example.org/x",
        max_places=5,
        open_to_all=True,
        invited=[],
        origin=Origin(actor=admin),
    )
    assert meeting.pk


def test_the_meeting_as_an_icalendar_file(client):
    zwolle, _rotterdam = two_towns()
    meeting = _meeting(zwolle, invited=[zwolle.initiative], title="Koken, eten; en praten")
    Meeting.objects.filter(pk=meeting.pk).update(online_link="https://meet.example.org/geheim")
    response = client.get(reverse("exchange:ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Koken\\, eten\\; en praten\r\n" in body
    assert "LOCATION:Buurthuis De Kern\r\n" in body
    assert "geheim" not in body
    start = meeting.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_the_organisation_page_shows_its_meetings_and_the_way_to_organise(client):
    zwolle, rotterdam = two_towns()
    _meeting(zwolle, invited=[zwolle.initiative], title="Buren betrekken")
    url = reverse("organisations:detail", args=[zwolle.welfare.slug])
    page = client.get(url).content.decode()
    assert "Buren betrekken" in page
    assert reverse("exchange:meeting_new") not in page
    client.force_login(zwolle.worker)
    assert reverse("exchange:meeting_new") in client.get(url).content.decode()
    client.force_login(rotterdam.worker)
    assert reverse("exchange:meeting_new") not in client.get(url).content.decode()


def test_the_waiting_list_keeps_its_promises_whatever_happens():
    """However registrations and cancellations follow each other: never more people than
    places, and while someone waits, the first in line does not fit (nobody passed them)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    zwolle, _rotterdam = two_towns()
    pairs = [_initiative(zwolle, f"Groep {n}") for n in range(4)]
    initiatives = [i for i, _p in pairs]
    steps = st.lists(
        st.tuples(st.sampled_from(["register", "cancel"]), st.integers(0, 3), st.integers(1, 5)),
        max_size=12,
    )

    @settings(
        max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(places=st.integers(1, 8), steps=steps)
    def check(places, steps):
        meeting = _meeting(zwolle, invited=initiatives, places=places)
        for action, index, people in steps:
            initiative, person = pairs[index]
            if action == "register":
                _register(meeting, initiative, person, people=people)
            else:
                found = Registration.objects.filter(meeting=meeting, initiative=initiative).first()
                if found is not None:
                    services.cancel_registration(registration=found, origin=Origin(actor=person))
            taken = services.places_taken(meeting)
            assert taken <= places
            head = (
                meeting.registrations.filter(status=RegistrationStatus.WAITING)
                .order_by("created_at", "pk")
                .first()
            )
            if head is not None:
                assert taken + head.people > places

    check()
