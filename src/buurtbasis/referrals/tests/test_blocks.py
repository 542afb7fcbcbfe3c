import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtbasis.areas.models import Area
from buurtbasis.platform import schedule
from buurtbasis.referrals import views
from buurtbasis.referrals.models import Referral

from .helpers import consent_until, refer, town

pytestmark = pytest.mark.django_db


def test_the_organisation_page_lists_its_services_and_the_intake_for_its_professionals(client):
    t = town()
    url = reverse("organisations:detail", args=[t.debt_org.slug])
    html = client.get(url).content.decode()
    assert t.debt_service.get_absolute_url() in html
    assert reverse("referrals:inbox") not in html
    client.force_login(t.professional)
    assert reverse("referrals:inbox") in client.get(url).content.decode()
    client.force_login(t.care_professional)
    assert reverse("referrals:inbox") not in client.get(url).content.decode()


def test_the_wijkprofiel_links_to_the_map_of_the_wijk(client):
    t = town()
    html = client.get(reverse("areas:profile", args=[t.wijk.slug])).content.decode()
    assert f"{reverse('referrals:map')}?wijk={t.wijk.pk}" in html
    buurt = Area.objects.create(
        year=2024, code="BU01930101", name="Binnenstad", level="buurt", parent=t.wijk, slug="bs"
    )
    html = client.get(reverse("areas:profile", args=[buurt.slug])).content.decode()
    assert f"{reverse('referrals:map')}?wijk={t.wijk.pk}" in html  # the map of its wijk
    assert "2 voorzieningen" in html


def test_the_jobs_are_scheduled():
    names = {job.name for job in schedule.registered()}
    assert {"referrals.notify_overdue", "referrals.apply_retention"} <= names


def test_referring_is_rate_limited(client, settings, monkeypatch):
    settings.RATELIMIT_ENABLED = True
    monkeypatch.setattr(views, "REFERRAL_LIMIT", 1)
    t = town()
    client.force_login(t.volunteer)
    url = reverse("referrals:refer", args=[t.debt_service.pk])
    data = {
        "person_name": "Ria",
        "shared": ["name"],
        "consent_until": consent_until().isoformat(),
        "consent_method": "digital",
        "report_back": "nothing",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "veel doorverwijzingen" in response.content.decode()
    assert Referral.objects.count() == 1


def test_the_dashboard_takes_as_many_queries_for_one_referral_as_for_many(client):
    t = town()
    refer(t)
    Referral.objects.update(first_contact_due=timezone.localdate() - datetime.timedelta(days=1))

    def count(person):
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("portal:dashboard")).status_code == 200
        return len(queries)

    few = {p.pk: count(p) for p in (t.professional, t.volunteer)}
    for _i in range(8):
        refer(t)
    Referral.objects.update(first_contact_due=timezone.localdate() - datetime.timedelta(days=1))
    assert {p.pk: count(p) for p in (t.professional, t.volunteer)} == few
