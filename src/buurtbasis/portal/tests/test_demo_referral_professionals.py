"""Every service on the demo's social maps can take referrals: each organisation has a
named professional on Buurtbasis, in both municipalities, and a second load adds nothing."""

import io

import pytest
from django.core.management import call_command

from buurtbasis.accounts.models import User
from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.organisations.models import Membership
from buurtbasis.referrals import services
from buurtbasis.referrals.models import Service

pytestmark = pytest.mark.django_db


def test_every_demo_service_can_take_referrals_and_a_second_load_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    for code in (ZWOLLE_CODE, ROTTERDAM_CODE):
        on_map = Service.objects.filter(municipality_code=code).select_related("organisation")
        assert on_map.exists()
        unreachable = [s.name for s in on_map if not services.receives_referrals(s)]
        assert unreachable == [], code
    counts = (User.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (User.objects.count(), Membership.objects.count()) == counts
