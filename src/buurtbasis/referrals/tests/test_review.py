"""Defects found in review, each with a test that failed before its fix."""

import pytest

from buurtbasis.platform.audit import Origin
from buurtbasis.referrals import queries, services

from .helpers import refer, town

pytestmark = pytest.mark.django_db


def test_the_dashboard_count_does_not_tell_a_referrer_steps_the_person_kept_back():
    """With "nothing reported back" the referrer sees "sent" forever: the dashboard's
    count of referrals waiting for first contact must not drop when the professional
    declines or ends it, or the count gives the step away."""
    t = town()
    kept_back = refer(t, report_back="nothing")
    reported = refer(t, report_back="status")
    origin = Origin(actor=t.professional)
    services.take_step(kept_back, to_status="declined", category="no_capacity", origin=origin)
    services.take_step(reported, to_status="declined", category="no_capacity", origin=origin)
    block = queries.dashboard(t.volunteer, t.code)
    assert block["referrer"]["waiting"] == 1  # the kept-back one still shows as sent


def test_an_unverified_address_gets_no_referral_about_that_address():
    """Registering logs in before the address is confirmed: anyone could sign up with the
    referred person's address and download the referral (reason, case notes) in "Mijn
    gegevens", or delete it by deleting the account. Only a confirmed address counts."""
    from buurtbasis.accounts.tests.factories import UserFactory
    from buurtbasis.platform.privacy import export_personal_data, run_erasers
    from buurtbasis.referrals.models import Referral

    t = town()
    about = refer(t, contact="sanne@example.org")
    services.add_note(about, text="Vertrouwelijke notitie.", origin=Origin(actor=t.professional))
    impostor = UserFactory(email="sanne@example.org", email_verified=False)
    exported = export_personal_data(impostor)["referrals"]
    assert exported["referrals_about_me"] == []
    run_erasers(impostor)
    assert Referral.objects.filter(pk=about.pk).exists()


def test_nobody_is_referred_to_an_organisation_where_nobody_receives_referrals(client):
    """A referral to a service whose organisation has no professional on Buurtbasis
    reached nobody: no one could open it, yet the referrer was told it was sent."""
    from django.urls import reverse

    from buurtbasis.referrals.models import Referral

    t = town()
    t.care_professional.memberships.all().delete()
    with pytest.raises(services.ReferralError) as error:
        refer(t, service=t.care_service)
    assert error.value.code == "no_receiver"
    client.force_login(t.volunteer)
    page = client.get(reverse("referrals:service", args=[t.care_service.pk])).content.decode()
    assert reverse("referrals:refer", args=[t.care_service.pk]) not in page
    response = client.get(reverse("referrals:refer", args=[t.care_service.pk]))
    assert response.status_code == 302
    assert not Referral.objects.exists()
    # the service of an organisation with professionals still takes referrals
    assert refer(t).pk
