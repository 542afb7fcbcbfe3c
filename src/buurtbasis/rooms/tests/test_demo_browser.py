"""The rooms "done when", on the demo, in real headless Chromium (390x844): an initiator
books a school's room from a phone, the school's partner contact accepts it, and the
initiator sees the key instructions and finds the booking in the initiative's calendar
feed (fetched and parsed). axe finds no serious WCAG 2.1 A/AA problems on the way. The
people are the demo log-ins of the README.
"""

import datetime as dt
import io
from types import SimpleNamespace

import icalendar
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.hosting.tests.test_expenses_browser import login
from buurtbasis.portal.demo.initiatives import DEMO_PASSWORD
from buurtbasis.portal.demo.rooms import load_demo_rooms
from buurtbasis.rooms.models import Booking, BookingStatus, Room

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INITIATOR = "initiatiefnemer@demo.buurtbasis.nl"
SCHOOL = "school@demo.buurtbasis.nl"
TITLE = "Ouderavond over de speeltuin"


def _thursday_in_three_weeks() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(3 - today.weekday()) % 7 + 21)


def test_an_initiator_books_a_school_room_on_a_phone_and_finds_it_in_the_feed(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    assert load_demo_rooms().created == {}  # a second load changes nothing
    assert Room.objects.filter(area__code__startswith="WK0599").count() >= 4
    assert Room.objects.filter(area__code__startswith="WK0193").count() >= 4
    site = SimpleNamespace(url=live_server.url.replace("//localhost:", "//127.0.0.1:"))
    initiator, contact = User.objects.get(email=INITIATOR), User.objects.get(email=SCHOOL)
    for email in (INITIATOR, SCHOOL):
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
    assert page.viewport_size == {"width": 390, "height": 844}

    # The initiator finds the school's aula and requests it.
    login(page, site, initiator)
    page.goto(f"{site.url}/ruimtes/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Aula De Vlieger").click()
    page.get_by_role("heading", name="Aula De Vlieger", level=1).wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Deze ruimte aanvragen").click()
    page.locator("input[name=title]").wait_for()
    assert axe_violations(page) == []
    day = _thursday_in_three_weeks()
    # first a request over the capacity: refused with the reason, the form kept
    page.locator("input[name=title]").fill(TITLE)
    page.locator("input[name=expected_people]").fill("120")
    page.locator("input[name=date]").fill(day.isoformat())
    page.locator("input[name=start]").fill("19:00")
    page.locator("input[name=end]").fill("20:30")
    page.get_by_role("button", name="De aanvraag versturen").click()
    page.get_by_text("hoogstens 80 mensen").first.wait_for()
    assert axe_violations(page) == []
    page.locator("input[name=expected_people]").fill("35")
    page.get_by_role("button", name="De aanvraag versturen").click()
    page.get_by_role("heading", name=TITLE, level=1).wait_for()
    page.get_by_text("Wacht op antwoord").first.wait_for()
    assert "sleutel" in page.content() and "conciërge" not in page.content()
    assert axe_violations(page) == []
    booking = Booking.objects.get(title=TITLE)
    assert booking.room.organisation.kind == "school" and booking.requested_by == initiator

    # The school's partner contact sees it on the dashboard and accepts.
    login(page, site, contact)
    page.goto(f"{site.url}/mijn/")
    page.get_by_role("heading", name="Aanvragen voor ruimtes om te beantwoorden").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Goedkeuren").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("U heeft de aanvraag goedgekeurd").wait_for()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED and booking.decided_by == contact
    # the partner's own pages: the overview, and editing the room with its opening times
    page.goto(f"{site.url}/ruimtes/partner/")
    page.get_by_role("heading", name="Uw ruimtes en aanvragen", level=1).wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Aula De Vlieger bewerken").click()
    page.get_by_role("heading", name="Openingstijden").wait_for()
    assert axe_violations(page) == []
    page.goto(f"{site.url}{booking.room.get_absolute_url()}?week={day.isoformat()}")
    page.get_by_role("link", name=TITLE).wait_for()  # the partner sees who booked

    # The initiator sees the key instructions and the booking in the initiative's feed.
    login(page, site, initiator)
    page.goto(f"{site.url}/meldingen/")
    page.get_by_text("Aula De Vlieger heeft").first.wait_for()
    page.goto(f"{site.url}{booking.get_absolute_url()}")
    page.get_by_role("heading", name="Zo komt u aan de sleutel").wait_for()
    assert "conciërge" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Ruimtes van {booking.initiative.name}").click()
    feed = page.locator("a.bb-feed-url")
    feed.wait_for()
    assert axe_violations(page) == []
    response = page.context.request.get(feed.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    [event] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == TITLE]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]).startswith("Aula De Vlieger, Schoolstraat 10")
    assert event.decoded("DTSTART") == timezone.make_aware(dt.datetime.combine(day, dt.time(19)))
    # The public calendar of the room says "Bezet" only.
    public = page.context.request.get(
        f"{site.url}/ruimtes/agenda/ruimte/{booking.room.feed_token}.ics"
    )
    assert TITLE not in public.text() and "SUMMARY:Bezet" in public.text()
