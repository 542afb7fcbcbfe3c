"""The role predicates as a matrix: who holds which role where, and who may do what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.organisations import access
from buurtbasis.organisations.models import Membership, OrganisationKind, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    org_a = OrganisationFactory(name="Welzijn A", kind=OrganisationKind.WELFARE)
    org_b = OrganisationFactory(name="Welzijn B", kind=OrganisationKind.WELFARE)
    gemeente = OrganisationFactory(name="Gemeente Zwolle", kind=OrganisationKind.MUNICIPALITY)
    group = OrganisationFactory(name="Buurtgroep Assendorp", kind=OrganisationKind.RESIDENT_GROUP)
    return {
        "org_a": org_a,
        "org_b": org_b,
        "gemeente": gemeente,
        "group": group,
        "anonymous": AnonymousUser(),
        "resident": UserFactory(),
        "initiator": UserFactory(roles=[(Role.INITIATOR, group)]),
        "worker_a": UserFactory(roles=[(Role.COMMUNITY_WORKER, org_a)]),
        "worker_b": UserFactory(roles=[(Role.COMMUNITY_WORKER, org_b)]),
        "finance_a": UserFactory(roles=[(Role.FINANCE_OFFICER, org_a)]),
        "civil_servant": UserFactory(roles=[(Role.CIVIL_SERVANT, gemeente)]),
        "platform_admin": UserFactory(roles=[(Role.PLATFORM_ADMIN, gemeente)]),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


# (who, role, organisation key or None, expected)
HAS_ROLE = [
    ("anonymous", Role.RESIDENT, None, False),
    ("resident", Role.RESIDENT, None, True),
    ("resident", Role.INITIATOR, None, False),
    ("resident", Role.COMMUNITY_WORKER, None, False),
    ("initiator", Role.INITIATOR, None, True),
    ("initiator", Role.INITIATOR, "group", True),
    ("initiator", Role.INITIATOR, "org_a", False),
    ("worker_a", Role.COMMUNITY_WORKER, None, True),
    ("worker_a", Role.COMMUNITY_WORKER, "org_a", True),
    ("worker_a", Role.COMMUNITY_WORKER, "org_b", False),
    ("worker_b", Role.COMMUNITY_WORKER, "org_a", False),
    ("worker_a", Role.FINANCE_OFFICER, "org_a", False),
    ("finance_a", Role.FINANCE_OFFICER, "org_a", True),
    ("finance_a", Role.FINANCE_OFFICER, "org_b", False),
    ("finance_a", Role.COMMUNITY_WORKER, None, False),
    ("civil_servant", Role.CIVIL_SERVANT, "gemeente", True),
    ("civil_servant", Role.CIVIL_SERVANT, "org_a", False),
    ("civil_servant", Role.PLATFORM_ADMIN, None, False),
    ("platform_admin", Role.PLATFORM_ADMIN, None, True),
    ("platform_admin", Role.COMMUNITY_WORKER, "org_a", False),
    ("superuser", Role.PLATFORM_ADMIN, None, True),
]


@pytest.mark.parametrize(("who", "role", "org", "expected"), HAS_ROLE)
def test_it_answers_has_role_per_person_and_organisation(world, who, role, org, expected):
    organisation = world[org] if org else None
    assert access.has_role(world[who], role, organisation) is expected


IS_PLATFORM_ADMIN = {
    "anonymous": False,
    "resident": False,
    "initiator": False,
    "worker_a": False,
    "finance_a": False,
    "civil_servant": False,
    "platform_admin": True,
    "superuser": True,
}


@pytest.mark.parametrize(("who", "expected"), IS_PLATFORM_ADMIN.items())
def test_it_knows_the_platform_admins(world, who, expected):
    assert access.is_platform_admin(world[who]) is expected
    assert access.can_view_audit_log(world[who]) is expected


# Who may edit the profile of which organisation.
CAN_EDIT = [
    ("anonymous", "org_a", False),
    ("resident", "org_a", False),
    ("resident", "group", False),
    ("initiator", "group", True),
    ("initiator", "org_a", False),
    ("worker_a", "org_a", True),
    ("worker_a", "org_b", False),
    ("worker_b", "org_a", False),
    ("finance_a", "org_a", False),
    ("civil_servant", "gemeente", True),
    ("civil_servant", "org_a", False),
    ("platform_admin", "org_b", True),
    ("superuser", "org_a", True),
]


@pytest.mark.parametrize(("who", "org", "expected"), CAN_EDIT)
def test_it_decides_who_may_edit_an_organisation(world, who, org, expected):
    assert access.can_edit_organisation(world[who], world[org]) is expected


# get_organisation_for_member: (who, org, roles, outcome)
GET_FOR_MEMBER = [
    ("anonymous", "org_a", None, PermissionDenied),
    ("resident", "org_a", None, PermissionDenied),
    ("worker_a", "org_a", None, "ok"),
    ("worker_a", "org_a", [Role.COMMUNITY_WORKER], "ok"),
    ("worker_a", "org_a", [Role.FINANCE_OFFICER], PermissionDenied),
    ("worker_b", "org_a", None, PermissionDenied),
    ("finance_a", "org_a", [Role.FINANCE_OFFICER, Role.COMMUNITY_WORKER], "ok"),
    ("civil_servant", "org_a", None, PermissionDenied),
    ("platform_admin", "org_a", [Role.FINANCE_OFFICER], "ok"),
]


@pytest.mark.parametrize(("who", "org", "roles", "outcome"), GET_FOR_MEMBER)
def test_it_gets_an_organisation_only_for_its_members(world, who, org, roles, outcome):
    slug = world[org].slug
    if outcome == "ok":
        assert access.get_organisation_for_member(world[who], slug, roles) == world[org]
    else:
        with pytest.raises(outcome):
            access.get_organisation_for_member(world[who], slug, roles)


def test_it_raises_404_for_an_unknown_organisation(world):
    with pytest.raises(Http404):
        access.get_organisation_for_member(world["platform_admin"], "bestaat-niet")


def test_it_lists_organisations_where_a_user_holds_a_role(world):
    person = UserFactory(
        roles=[
            (Role.COMMUNITY_WORKER, world["org_a"]),
            (Role.FINANCE_OFFICER, world["org_b"]),
        ]
    )
    assert list(access.organisations_where(person, Role.COMMUNITY_WORKER)) == [world["org_a"]]
    assert set(
        access.organisations_where(person, [Role.COMMUNITY_WORKER, Role.FINANCE_OFFICER])
    ) == {world["org_a"], world["org_b"]}
    assert list(access.organisations_where(world["anonymous"], Role.COMMUNITY_WORKER)) == []


def test_it_gives_an_inactive_user_no_roles(world):
    worker = world["worker_a"]
    worker.is_active = False
    assert access.roles_of(worker) == frozenset()
    assert not access.has_role(worker, Role.COMMUNITY_WORKER, world["org_a"])


def test_it_caches_the_memberships_per_user_object(world, django_assert_num_queries):
    worker = type(world["worker_a"]).objects.get(pk=world["worker_a"].pk)
    with django_assert_num_queries(1):
        for _ in range(10):
            access.has_role(worker, Role.COMMUNITY_WORKER, world["org_a"])
            access.has_role(worker, Role.FINANCE_OFFICER, world["org_b"])
            access.is_platform_admin(worker)


def test_it_sees_a_new_membership_after_forget_roles(world):
    person = world["resident"]
    assert not access.has_role(person, Role.FINANCE_OFFICER, world["org_b"])
    Membership.objects.create(user=person, organisation=world["org_b"], role=Role.FINANCE_OFFICER)
    access.forget_roles(person)
    assert access.has_role(person, Role.FINANCE_OFFICER, world["org_b"])


def test_it_counts_an_initiative_member_as_initiator(world):
    from buurtbasis.initiatives.models import Initiative

    person = world["resident"]
    initiative = Initiative.objects.create(
        name="Repair café", slug="repair-cafe", pitch="Samen repareren", contact_email="a@b.nl"
    )
    initiative.members.add(person)
    access.forget_roles(person)
    assert access.has_role(person, Role.INITIATOR)
    assert Role.INITIATOR in access.roles_of(person)
