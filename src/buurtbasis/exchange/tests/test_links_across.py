"""Links to an initiative of another municipality lead to its page on that
municipality's site (an initiative's page opens only on its own site)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from buurtbasis.exchange import services
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import ensure_tenant

from .helpers import opt_in, two_towns

pytestmark = pytest.mark.django_db


def _opens(client, href: str) -> int:
    base = settings.SITE_URL.rstrip("/")
    path = href[len(base) :] if href.startswith(base) else href
    return client.get(path).status_code


def test_the_thread_links_to_the_initiative_on_its_own_site(client):
    zwolle, rotterdam = two_towns()
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    opt_in(rotterdam.initiative)
    thread = services.ask_question(
        initiative=rotterdam.initiative,
        subject="Hoe vindt u vrijwilligers?",
        text="Wij zoeken er nog.",
        origin=Origin(actor=zwolle.initiator),
    )
    client.force_login(zwolle.initiator)
    html = client.get(reverse("exchange:thread", args=[thread.pk])).content.decode()
    href = re.search(r'<a href="([^"]+)">Moestuin Rotterdam</a>', html).group(1)
    assert _opens(client, href) == 200


def test_the_meeting_links_to_invited_initiatives_on_their_own_sites(client):
    import datetime

    from django.utils import timezone

    zwolle, rotterdam = two_towns()
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    start = timezone.now() + datetime.timedelta(days=5)
    meeting = services.create_meeting(
        organisation=zwolle.welfare,
        municipality_code=zwolle.code,
        title="Moestuinen",
        description="",
        themes=[],
        starts_at=start,
        ends_at=None,
        place="Buurthuis",
        online_link="",
        max_places=10,
        open_to_all=False,
        invited=[zwolle.initiative, rotterdam.initiative],
        origin=Origin(actor=zwolle.worker),
    )
    html = client.get(reverse("exchange:meeting", args=[meeting.pk])).content.decode()
    for name in ("Moestuin Zwolle", "Moestuin Rotterdam"):
        href = re.search(rf'<a href="([^"]+)">{name}</a>', html).group(1)
        assert _opens(client, href) == 200, name
