import hashlib
import io

import pytest
from django.core.management import call_command

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area
from buurtbasis.initiatives.models import Initiative, Status, StatusChange
from buurtbasis.organisations.models import Membership, Organisation, OrganisationKind, Role
from buurtbasis.platform.models import Tenant
from buurtbasis.portal.demo.initiatives import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _fingerprint() -> tuple[dict, str]:
    """Row counts and a hash over the natural content of every demo table."""
    rows = {
        "areas": sorted(Area.objects.values_list("year", "code", "name", "level")),
        "organisations": sorted(Organisation.objects.values_list("slug", "name", "kind")),
        "users": sorted(User.objects.values_list("email", "display_name", "is_staff")),
        "memberships": sorted(
            Membership.objects.values_list("user__email", "organisation__slug", "role")
        ),
        "initiatives": sorted(
            Initiative.objects.values_list(
                "slug",
                "name",
                "pitch",
                "description",
                "status",
                "host_organisation__slug",
                "needs_money",
                "needs_room",
                "needs_volunteers",
                "needs_knowledge",
                "needs_host",
                "contact_email",
                "contact_phone",
                "started_on",
                "ended_on",
                "is_public",
                "created_at",
                "updated_at",
            )
        ),
        "initiative_areas": sorted(Initiative.areas.through.objects.values_list("pk")),
        "members": sorted(Initiative.members.through.objects.values_list("pk")),
        "history": sorted(
            StatusChange.objects.values_list(
                "initiative__slug", "from_status", "to_status", "changed_on", "note"
            )
        ),
    }
    counts = {name: len(values) for name, values in rows.items()}
    return counts, hashlib.sha256(repr(rows).encode()).hexdigest()


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_loads_zwolle_and_rotterdam_and_changes_nothing_the_second_time():
    first_output = _load()
    counts, digest = _fingerprint()
    second_output = _load()
    assert _fingerprint() == (counts, digest)
    assert "niets veranderd" in second_output
    assert "Aangemaakt" in first_output

    assert Area.objects.filter(code__startswith="WK0193", year=2024).count() == 16
    assert Area.objects.filter(code__startswith="WK0599", year=2024).count() == 22
    assert Initiative.objects.in_municipality("GM0193").count() == 62
    assert Initiative.objects.in_municipality("GM0599").count() == 8  # with the practices buurtkoor
    assert counts["initiatives"] == 70
    zwolle_welfare = Organisation.objects.in_municipality("GM0193").filter(
        kind=OrganisationKind.WELFARE
    )
    assert zwolle_welfare.count() == 4  # three in Zwolle only, one in both
    # the welzijnsorganisatie that works in both municipalities hosts initiatives in both
    both = Organisation.objects.get(slug="welzijn-verbindt")
    assert both in Organisation.objects.in_municipality("GM0599")
    hosted = Initiative.objects.filter(host_organisation=both)
    assert hosted.in_municipality("GM0193").exists() and hosted.in_municipality("GM0599").exists()
    assert set(Tenant.objects.values_list("cbs_code", "slug")) == {
        ("GM0193", "zwolle"),
        ("GM0599", "rotterdam"),
    }
    assert "/g/rotterdam/" in first_output and "http://localhost:8000/" in first_output
    assert Organisation.objects.filter(name="Gemeente Zwolle").exists()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"woningcorporatie", "school", "zorginstelling", "gemeente"} <= kinds
    # Every wijk has initiatives, every status occurs, history matches the status.
    assert Area.objects.filter(code__startswith="WK0193", initiatives=None).count() == 0
    assert set(Initiative.objects.values_list("status", flat=True)) == set(Status.values)
    for initiative in Initiative.objects.prefetch_related("status_changes"):
        steps = list(initiative.status_changes.all())
        assert steps[0].to_status == Status.IDEA
        assert steps[-1].to_status == initiative.status
        assert (initiative.started_on is not None) == (initiative.status != Status.IDEA)
        assert (initiative.ended_on is not None) == (initiative.status == Status.ENDED)
        assert initiative.members.exists()


def test_it_creates_and_prints_a_working_login_for_every_role(client):
    output = _load()
    assert DEMO_PASSWORD in output
    expected = {
        "bewoner": None,
        "initiatiefnemer": Role.INITIATOR,
        "opbouwwerker": Role.COMMUNITY_WORKER,
        "penningmeester": Role.FINANCE_OFFICER,
        "ambtenaar": Role.CIVIL_SERVANT,
        "beheerder": Role.PLATFORM_ADMIN,
    }
    for local, role in expected.items():
        email = f"{local}@demo.buurtbasis.nl"
        assert email in output
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        if role:
            assert Membership.objects.filter(user=user, role=role).exists()
    assert User.objects.get(email="beheerder@demo.buurtbasis.nl").is_superuser
    assert User.objects.get(email="initiatiefnemer@demo.buurtbasis.nl").initiatives.count() >= 3
    worker = User.objects.get(email="opbouwwerker@demo.buurtbasis.nl")
    org = Membership.objects.get(user=worker, role=Role.COMMUNITY_WORKER).organisation
    assert Initiative.objects.filter(host_organisation=org).count() >= 5
