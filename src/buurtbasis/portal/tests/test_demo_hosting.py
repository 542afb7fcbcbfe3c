"""The demo has hosts and hosted initiatives in both municipalities with a year of money."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.hosting import queries
from buurtbasis.hosting.models import Grant, HostingAgreement, LedgerTransaction
from buurtbasis.initiatives.models import Initiative

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_hosts_initiatives_in_both_municipalities_with_a_year_of_money(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Fiscal hosting:" in out.getvalue()
    active = HostingAgreement.objects.filter(state="active")
    for code in (ZWOLLE_CODE, ROTTERDAM_CODE):
        there = Initiative.objects.in_municipality(code).filter(hosting_agreements__in=active)
        assert there.exists(), code
    assert Grant.objects.filter(plan__isnull=False).exists()  # from funded plans
    assert LedgerTransaction.objects.filter(kind="donation").exists()
    dates = LedgerTransaction.objects.values_list("date", flat=True)
    assert (max(dates) - min(dates)).days > 300
    unbalanced = (
        LedgerTransaction.objects.annotate(total=Sum("entries__amount_cents"), n=Count("entries"))
        .exclude(total=0, n__gte=2)
        .count()
    )
    assert unbalanced == 0
    for agreement in active:
        assert all(g.left >= 0 for g in queries.books(agreement.initiative).grants)
    before = (HostingAgreement.objects.count(), LedgerTransaction.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (HostingAgreement.objects.count(), LedgerTransaction.objects.count()) == before
    # the finance officer's demo log-in sees the host overview
    client.login(email="penningmeester@demo.buurtbasis.nl", password="Fietsbel-Zwolle-2024")
    assert client.get("/gastorganisatie/host/samenkracht-centrum/").status_code == 200
