"""Pages: who sees and does what, across roles and the two municipalities; forms work
without JavaScript; lists read a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from buurtbasis.platform.tenancy import ensure_tenant
from buurtbasis.rooms.models import Blackout, Booking, BookingStatus, Room

from .helpers import accept, make_room, next_weekday, request, town

pytestmark = pytest.mark.django_db

ROTTERDAM = "/g/rotterdam"


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture
def towns():
    ensure_tenant(cbs_code="GM0193", name="Zwolle", slug="zwolle")
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    return town(), town("GM0599", "Rotterdam")


def as_(client, user):
    client.force_login(user)
    return client


def test_browse_is_scoped_to_the_municipality_and_filters(client, towns):
    z, r = towns
    make_room(z.school, z.wijk, name="Klein lokaal", capacity=8, wheelchair=True)
    page = client.get(reverse("rooms:browse")).content.decode()
    assert "Aula Zwolle" in page and "Klein lokaal" in page and "Aula Rotterdam" not in page
    page = client.get(ROTTERDAM + reverse("rooms:browse")).content.decode()
    assert "Aula Rotterdam" in page and "Aula Zwolle" not in page
    page = client.get(reverse("rooms:browse"), {"people": 30}).content.decode()
    assert "Aula Zwolle" in page and "Klein lokaal" not in page
    page = client.get(reverse("rooms:browse"), {"wheelchair": "on"}).content.decode()
    assert "Klein lokaal" in page and "Aula Zwolle" not in page


def test_browse_by_free_time(client, towns):
    z, _r = towns
    day = next_weekday()
    [booking] = request(z)
    params = {"date": day.isoformat(), "start": "19:30", "end": "20:30"}
    assert "Aula Zwolle" in client.get(reverse("rooms:browse"), params).content.decode()
    accept(z, booking)
    page = client.get(reverse("rooms:browse"), params).content.decode()
    assert "Aula Zwolle" not in page and "Buurthuis Zwolle" in page
    # a date only: the rooms open that day
    Blackout.objects.create(room=z.centre, date=day)
    page = client.get(reverse("rooms:browse"), {"date": day.isoformat()}).content.decode()
    assert "Aula Zwolle" in page and "Buurthuis Zwolle" not in page
    # outside the opening times nothing is free
    params = {"date": day.isoformat(), "start": "06:00", "end": "07:00"}
    assert "Geen ruimte past" in client.get(reverse("rooms:browse"), params).content.decode()
    # a clear error, not a stack trace
    bad = client.get(
        reverse("rooms:browse"), {"date": day.isoformat(), "start": "20:00", "end": "19:00"}
    )
    assert "De eindtijd moet later zijn" in bad.content.decode()


def test_the_week_shows_busy_without_names_to_the_public_and_names_to_the_partner(client, towns):
    z, _r = towns
    [booking] = request(z, title="Geheime vergadering")
    accept(z, booking)
    url = reverse("rooms:detail", args=[z.room.pk]) + f"?week={next_weekday().isoformat()}"
    public = client.get(url).content.decode()
    assert "Bezet" in public and "Geheime vergadering" not in public
    assert "Taalcafé Zwolle" not in public and "code 4711" not in public
    for person in (z.resident, z.initiator, z.worker, z.civil_servant, z.care_contact):
        page = as_(client, person).get(url).content.decode()
        assert "Geheime vergadering" not in page, person
    partner = as_(client, z.contact).get(url).content.decode()
    assert "Geheime vergadering" in partner and "Taalcafé Zwolle" in partner


def test_a_room_of_the_other_municipality_is_not_found(client, towns):
    z, r = towns
    assert client.get(reverse("rooms:detail", args=[r.room.pk])).status_code == 404
    assert client.get(ROTTERDAM + reverse("rooms:detail", args=[r.room.pk])).status_code == 200
    [booking] = request(r)
    as_(client, r.contact)
    assert client.get(reverse("rooms:booking", args=[booking.pk])).status_code == 404
    assert client.get(ROTTERDAM + reverse("rooms:booking", args=[booking.pk])).status_code == 200
    # and a Zwolle initiator cannot request a Rotterdam room, even on its page
    as_(client, z.initiator)
    response = client.get(ROTTERDAM + reverse("rooms:request", args=[r.room.pk]))
    assert response.status_code == 403


def test_request_form_posts_and_refuses_with_a_reason(client, towns):
    z, _r = towns
    as_(client, z.initiator)
    url = reverse("rooms:request", args=[z.room.pk])
    assert client.get(url).status_code == 200
    data = {
        "initiative": z.initiative.pk,
        "title": "Taalcafé",
        "expected_people": 60,
        "date": next_weekday().isoformat(),
        "start": "19:00",
        "end": "21:00",
        "weeks": 1,
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "hoogstens 40 mensen" in refused.content.decode()
    data["expected_people"] = 20
    response = client.post(url, data)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("rooms:booking", args=[booking.pk])
    )


def test_who_may_request(client, towns):
    z, _r = towns
    url = reverse("rooms:request", args=[z.room.pk])
    assert client.get(url).status_code == 302  # log in first
    for person in (z.resident, z.contact, z.worker, z.civil_servant):
        assert as_(client, person).get(url).status_code == 403, person


def test_who_may_answer_and_see_a_booking(client, towns):
    z, r = towns
    [booking] = request(z)
    see = reverse("rooms:booking", args=[booking.pk])
    decide = reverse("rooms:decide", args=[booking.pk])
    for person in (z.resident, z.worker, z.civil_servant, z.care_contact, r.contact, r.initiator):
        as_(client, person)
        assert client.get(see).status_code == 403, person
        assert client.post(decide, {"action": "accept"}).status_code == 403, person
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    # the initiator sees it but may not answer
    as_(client, z.initiator)
    page = client.get(see).content.decode()
    assert "code 4711" not in page and "Goedkeuren" not in page
    assert client.post(decide, {"action": "accept"}).status_code == 403
    # the school's contact accepts; a decline without reason is refused first
    as_(client, z.contact)
    client.post(decide, {"action": "decline"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert client.post(decide, {"action": "accept"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED
    # now the initiator sees the key instructions
    assert "code 4711" in as_(client, z.initiator).get(see).content.decode()


def test_cancel_from_the_page(client, towns):
    z, _r = towns
    [booking] = request(z)
    as_(client, z.resident)
    assert client.post(reverse("rooms:cancel", args=[booking.pk])).status_code == 403
    as_(client, z.initiator)
    response = client.post(reverse("rooms:cancel", args=[booking.pk]), {"cancel-reason": "Ziek"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "Ziek"


def test_partner_pages_are_for_partner_contacts_of_the_organisation(client, towns):
    z, r = towns
    assert as_(client, z.resident).get(reverse("rooms:partner")).status_code == 403
    assert client.get(reverse("rooms:new", args=[z.school.slug])).status_code == 403
    assert (
        as_(client, z.care_contact).get(reverse("rooms:edit", args=[z.room.pk])).status_code == 403
    )
    assert as_(client, z.worker).get(reverse("rooms:edit", args=[z.room.pk])).status_code == 403
    assert client.get(reverse("rooms:edit", args=[z.centre.pk])).status_code == 200
    as_(client, r.contact)
    assert client.get(reverse("rooms:edit", args=[z.room.pk])).status_code == 403
    assert client.get(ROTTERDAM + reverse("rooms:edit", args=[z.room.pk])).status_code == 404
    assert client.get(ROTTERDAM + reverse("rooms:edit", args=[r.room.pk])).status_code == 200
    as_(client, z.contact)
    assert client.get(reverse("rooms:partner")).status_code == 200
    response = client.post(
        reverse("rooms:new", args=[z.school.slug]),
        {
            "name": "Gymzaal",
            "area": z.wijk.pk,
            "address": "Schoolstraat 1",
            "capacity": 30,
            "price": "12,50",
            "is_active": "on",
        },
    )
    room = Room.objects.get(name="Gymzaal")
    assert response.status_code == 302 and room.price_cents_per_hour == 1250
    client.post(
        reverse("rooms:window", args=[room.pk]), {"weekday": 2, "starts": "18:00", "ends": "22:00"}
    )
    assert room.windows.get().starts == dt.time(18)
    client.post(
        reverse("rooms:blackout", args=[room.pk]),
        {"date": next_weekday(2).isoformat(), "reason": "Toets"},
    )
    assert room.blackouts.count() == 1
    old = room.feed_token
    client.post(reverse("rooms:rotate-room-feed", args=[room.pk]))
    room.refresh_from_db()
    assert room.feed_token != old
    assert client.get(reverse("rooms:room-feed", args=[old])).status_code == 404


def test_csrf_is_required(towns):
    from django.test import Client

    z, _r = towns
    [booking] = request(z)
    client = Client(enforce_csrf_checks=True)
    client.force_login(z.contact)
    assert (
        client.post(reverse("rooms:decide", args=[booking.pk]), {"action": "accept"}).status_code
        == 403
    )


def test_lists_read_a_fixed_number_of_queries(client, towns, django_assert_max_num_queries):
    z, _r = towns
    for n in range(12):
        make_room(z.school, z.wijk, name=f"Lokaal {n}")
    for n in range(10):
        request(z, day=next_weekday(weeks=1 + n), start=(10, 0), end=(11, 0))
    first, *_rest = request(z, weeks=4)
    accept(z, first)
    with django_assert_max_num_queries(12):
        client.get(
            reverse("rooms:browse"),
            {"date": next_weekday().isoformat(), "start": "10:00", "end": "12:00"},
        )
    as_(client, z.contact)
    with django_assert_max_num_queries(16):
        client.get(reverse("rooms:partner"))
    with django_assert_max_num_queries(16):
        client.get(
            reverse("rooms:detail", args=[z.room.pk]) + f"?week={next_weekday().isoformat()}"
        )
    with django_assert_max_num_queries(40):
        assert client.get(reverse("portal:dashboard")).status_code == 200
    as_(client, z.initiator)
    with django_assert_max_num_queries(16):
        client.get(reverse("rooms:initiative", args=[z.initiative.slug]))
