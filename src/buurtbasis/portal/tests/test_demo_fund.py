"""The demo runs an initiatives fund in each municipality: its grants came through
applications and decisions, and a few applications wait in the other states."""

import io

import pytest
from django.core.management import call_command

from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.hosting import fund as funds
from buurtbasis.hosting.models import Grant
from buurtbasis.hosting.models_fund import FundApplication, InitiativesFund

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_funds_grant_through_applications(client):
    call_command("load_demo", stdout=io.StringIO())
    for code in (ZWOLLE_CODE, ROTTERDAM_CODE):
        fund = InitiativesFund.objects.get(cbs_code=code)
        states = set(fund.applications.values_list("state", flat=True))
        assert states == {"submitted", "question", "granted", "refused"}, (code, states)
        assert 0 <= funds.remaining(fund) < fund.budget_cents
        assert fund.applications.filter(state="submitted").exclude(answer="").exists()
    # every grant of a fund belongs to a granted application, and the other way round
    fund_grants = Grant.objects.filter(source="fund")
    assert fund_grants.exists()
    assert not fund_grants.filter(fund_application__isnull=True).exists()
    assert FundApplication.objects.filter(state="granted").count() == fund_grants.count()
    assert fund_grants.first().label.startswith("Initiatievenfonds ")
    before = FundApplication.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert FundApplication.objects.count() == before
    # the demo civil servant sees what waits
    client.login(email="ambtenaar@demo.buurtbasis.nl", password="Fietsbel-Zwolle-2024")
    assert "wacht op een besluit" in client.get("/mijn/").text or "wachten op een besluit" in (
        client.get("/mijn/").text
    )
