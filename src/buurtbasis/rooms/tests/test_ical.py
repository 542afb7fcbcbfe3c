"""The iCalendar writer (RFC 5545) checked against an independent parser, and the feeds."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtbasis.platform.audit import Origin
from buurtbasis.rooms import ical, services
from buurtbasis.rooms.models import Room

from .helpers import accept, next_weekday, request, town

UTC = dt.UTC
START = dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def lines(text: str) -> list[bytes]:
    assert text.endswith("\r\n")
    return text.encode().split(b"\r\n")[:-1]


def test_escaping_and_folding():
    assert ical.escape_text("a;b,c\\d\ne\r\nf") == "a\\;b\\,c\\\\d\\ne\\nf"
    folded = ical.fold("SUMMARY:" + "é" * 60)
    parts = folded.encode().split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(folded.split("\r\n"))) == (
        "SUMMARY:" + "é" * 60
    )


def test_naive_times_are_refused():
    event = ical.Event("x", dt.datetime(2026, 1, 1, 10), dt.datetime(2026, 1, 1, 11), "x")
    with pytest.raises(ValueError):
        ical.calendar([event], name="x")


@settings(max_examples=150, deadline=None)
@given(
    summary=st.text(min_size=1, max_size=300).filter(lambda s: s.strip()),
    location=st.text(max_size=200),
    minutes=st.integers(min_value=1, max_value=60 * 24 * 3),
)
def test_any_text_survives_an_independent_parser(summary, location, minutes):
    # iCalendar text cannot hold control characters other than newlines; the forms refuse them
    clean = {c for c in summary + location if ord(c) < 32 and c not in "\n"} | {"\x7f"}
    for bad in clean:
        summary, location = summary.replace(bad, " "), location.replace(bad, " ")
    summary = summary.replace("\r", "") or "x"
    location = location.replace("\r", "")
    event = ical.Event(
        "booking-1@test", START, START + dt.timedelta(minutes=minutes), summary, location=location
    )
    text = ical.calendar([event], name="Aula; de grote, zaal", now=START)
    assert all(len(line) <= 75 for line in lines(text))
    parsed = icalendar.Calendar.from_ical(text)
    [vevent] = parsed.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == summary
    if location:
        assert str(vevent["LOCATION"]) == location
    assert vevent.decoded("DTSTART") == START
    assert vevent.decoded("DTEND") == START + dt.timedelta(minutes=minutes)
    # an X- property is TEXT by default (RFC 5545 3.8.8.2), so it is escaped too; the parser
    # leaves unknown properties as they are
    assert str(parsed["X-WR-CALNAME"]) == "Aula\\; de grote\\, zaal"


@pytest.mark.django_db
def test_room_feed_shows_busy_unless_the_partner_chooses_titles(client, settings):
    settings.LANGUAGE_CODE = "nl"
    t = town()
    [booking] = request(t, title="Vergadering, geheim")
    url = reverse("rooms:room-feed", args=[t.room.feed_token])
    assert "VEVENT" not in client.get(url).content.decode()  # not accepted yet
    accept(t, booking)
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Bezet"
    assert "geheim" not in response.content.decode() and "Taalcafé" not in response.content.decode()
    Room.objects.filter(pk=t.room.pk).update(show_titles_in_feed=True)
    [event] = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Vergadering, geheim (Taalcafé Zwolle)"
    assert client.get(reverse("rooms:room-feed", args=["not-a-token"])).status_code == 404


@pytest.mark.django_db
def test_initiative_feed_has_its_bookings_with_place_and_rotates(client, settings):
    settings.LANGUAGE_CODE = "nl"
    t = town()
    a, b = request(t, weeks=2)
    accept(t, a)
    token = services.initiative_calendar(t.initiative).token
    # reachable without log-in through the token
    response = client.get(reverse("rooms:initiative-feed", args=[token]))
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 2
    assert {str(e["STATUS"]) for e in events} == {"CONFIRMED"}
    assert all(str(e["LOCATION"]) == "Aula Zwolle, Schoolstraat 1" for e in events)
    from django.utils import timezone

    local = timezone.make_aware(dt.datetime.combine(next_weekday(), dt.time(19)))
    assert events[0].decoded("DTSTART") == local  # 19:00 in Zwolle, written in UTC
    assert events[1].decoded("DTSTART") == timezone.make_aware(
        dt.datetime.combine(next_weekday(weeks=2), dt.time(19))
    )
    services.rotate_initiative_token(initiative=t.initiative, origin=Origin(actor=t.initiator))
    assert client.get(reverse("rooms:initiative-feed", args=[token])).status_code == 404
    with pytest.raises(services.RoomError):
        services.rotate_initiative_token(initiative=t.initiative, origin=Origin(actor=t.contact))


@pytest.mark.django_db
def test_an_initiator_who_leaves_the_initiative_loses_its_calendar_feed(client):
    from buurtbasis.accounts.tests.factories import UserFactory
    from buurtbasis.initiatives import services as initiative_services
    from buurtbasis.platform.tenancy import ensure_tenant

    ensure_tenant(cbs_code="GM0193", name="Zwolle", slug="zwolle")
    z = town()
    helper = UserFactory(display_name="Mede-initiatiefnemer")
    z.initiative.members.add(helper)
    token = services.initiative_calendar(z.initiative).token
    url = reverse("rooms:initiative-feed", args=[token])
    assert client.get(url).status_code == 200
    initiative_services.leave_initiative(initiative=z.initiative, user=helper)
    # The address the leaver knew no longer works; the remaining initiators get a new one.
    assert client.get(url).status_code == 404
    new = services.initiative_calendar(z.initiative).token
    assert new != token
    assert client.get(reverse("rooms:initiative-feed", args=[new])).status_code == 200


@pytest.mark.django_db
def test_a_partner_contact_who_loses_the_membership_loses_the_room_feeds(client):
    from buurtbasis.organisations.models import Membership, Role

    t = town()
    other = town("GM0599", "Rotterdam")
    url = reverse("rooms:room-feed", args=[t.room.feed_token])
    elsewhere = other.room.feed_token
    assert client.get(url).status_code == 200
    # Another role in the same organisation ending changes nothing.
    Membership.objects.create(user=t.resident, organisation=t.school, role=Role.VOLUNTEER).delete()
    assert client.get(url).status_code == 200
    Membership.objects.get(user=t.contact, organisation=t.school).delete()
    assert client.get(url).status_code == 404
    t.room.refresh_from_db()
    assert client.get(reverse("rooms:room-feed", args=[t.room.feed_token])).status_code == 200
    other.room.refresh_from_db()
    assert other.room.feed_token == elsewhere


@pytest.mark.django_db
def test_an_erased_partner_contact_loses_the_room_feeds(client):
    from buurtbasis.accounts.services import delete_account

    t = town()
    url = reverse("rooms:room-feed", args=[t.room.feed_token])
    delete_account(user=t.contact)
    assert client.get(url).status_code == 404
