"""Privacy export and erasure of requesters; the blocks on the dashboard, the initiative
and the organisation pages."""

import pytest
from django.urls import reverse

from buurtbasis.platform.audit import Origin
from buurtbasis.platform.privacy import export_personal_data, run_erasers
from buurtbasis.rooms import services
from buurtbasis.rooms.models import Booking

from .helpers import accept, request, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def test_export_lists_what_a_person_requested_answered_or_cancelled():
    t = town()
    a, b = request(t, weeks=2, title="Taalcafé")
    accept(t, a)
    services.cancel(booking=b, reason="Ziek", origin=Origin(actor=t.initiator))
    mine = export_personal_data(t.initiator)["rooms"]
    assert [row["activity"] for row in mine["bookings"]] == ["Taalcafé", "Taalcafé"]
    assert all(row["requested_by_me"] for row in mine["bookings"])
    assert [row["cancelled_by_me"] for row in mine["bookings"]] == [False, True]
    partner = export_personal_data(t.contact)["rooms"]["bookings"]
    assert all(row["answered_by_me"] and not row["requested_by_me"] for row in partner)
    assert export_personal_data(t.resident)["rooms"]["bookings"] == []


def test_erasure_unlinks_the_person_and_keeps_the_initiatives_bookings():
    t = town()
    a, b = request(t, weeks=2)
    accept(t, a)
    services.cancel(booking=b, origin=Origin(actor=t.initiator))
    run_erasers(t.initiator)
    run_erasers(t.contact)
    assert Booking.objects.count() == 2
    assert not Booking.objects.filter(requested_by__isnull=False).exists()
    assert not Booking.objects.filter(decided_by__isnull=False).exists()
    assert not Booking.objects.filter(cancelled_by__isnull=False).exists()


def test_dashboard_blocks(client):
    t = town()
    [booking] = request(t, title="Buurtquiz")
    client.force_login(t.contact)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Aanvragen voor ruimtes om te beantwoorden" in page and "Buurtquiz" in page
    client.force_login(t.initiator)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Ruimtes voor uw initiatieven" in page and "Buurtquiz" in page
    assert "Aanvragen voor ruimtes om te beantwoorden" not in page
    client.force_login(t.resident)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Buurtquiz" not in page and "Ruimtes voor uw initiatieven" not in page
    accept(t, booking)
    client.force_login(t.contact)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "0 aanvragen wachten" in page


def test_initiative_and_organisation_pages_link_to_rooms(client):
    t = town()
    initiative_url = t.initiative.get_absolute_url()
    client.force_login(t.initiator)
    page = client.get(initiative_url).content.decode()
    assert reverse("rooms:initiative", args=[t.initiative.slug]) in page
    client.force_login(t.resident)
    page = client.get(initiative_url).content.decode()
    assert reverse("rooms:initiative", args=[t.initiative.slug]) not in page
    page = client.get(reverse("organisations:detail", args=[t.school.slug])).content.decode()
    assert "Ruimtes die u kunt aanvragen" in page
    assert reverse("rooms:detail", args=[t.room.pk]) in page
    assert reverse("rooms:new", args=[t.school.slug]) not in page
    client.force_login(t.contact)
    page = client.get(reverse("organisations:detail", args=[t.school.slug])).content.decode()
    assert reverse("rooms:new", args=[t.school.slug]) in page
