"""The continuity block on "my dashboard": a community worker sees the strain findings
and searches of the municipality whose site they are on, not of every municipality
where their organisation hosts an initiative."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.tenancy import ensure_tenant
from buurtbasis.volunteering.models import KeyRole

from .helpers import setup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def _carried_by_one(s):
    KeyRole.objects.create(
        initiative=s.initiative,
        role="coordinator",
        user=s.initiator,
        since=datetime.date.today() - datetime.timedelta(days=2 * 365),
    )


def _block(html):
    start = html.index('id="continuity-dashboard-title"')
    return html[start : html.index("</section>", start)]


def test_a_worker_sees_only_the_findings_and_searches_of_the_sites_municipality():
    s = setup()
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    r = setup("GM0599", "Rotterdam")
    # Zwolle's welfare organisation also hosts the Rotterdam initiative
    Initiative.objects.filter(pk=r.initiative.pk).update(host_organisation=s.t.welfare)
    _carried_by_one(s)
    _carried_by_one(r)
    client = Client()
    client.force_login(s.t.worker)

    zwolle = _block(client.get(reverse("portal:dashboard")).content.decode())
    assert "Moestuin Zwolle" in zwolle
    assert "Moestuin Rotterdam" not in zwolle

    rotterdam = _block(client.get("/g/rotterdam" + reverse("portal:dashboard")).content.decode())
    assert "Moestuin Rotterdam" in rotterdam
    assert "Moestuin Zwolle" not in rotterdam
