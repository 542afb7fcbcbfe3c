"""Test data for people, organisations and roles. Other apps import these.

    from buurtbasis.accounts.tests.factories import UserFactory, OrganisationFactory
    from buurtbasis.organisations.models import Role

    resident = UserFactory()                                  # verified e-mail, no memberships
    worker = UserFactory(roles=[Role.COMMUNITY_WORKER])      # member of a new welzijnsorganisatie
    officer = UserFactory(roles=[Role.FINANCE_OFFICER], roles__organisation=org)
    admin = UserFactory(roles=[Role.PLATFORM_ADMIN])
    mixed = UserFactory(roles=[(Role.CIVIL_SERVANT, gemeente), (Role.INITIATOR, group)])

Every user's password is ``DEFAULT_PASSWORD`` unless ``password=`` is given.
"""

from __future__ import annotations

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from buurtbasis.accounts.models import User
from buurtbasis.organisations.models import Membership, Organisation, OrganisationKind, Role
from buurtbasis.platform.models import AuditEvent

DEFAULT_PASSWORD = "Fietsbel-Zwolle-2024"

# The kind of organisation a role is usually held in, when a test gives none.
KIND_FOR_ROLE = {
    Role.RESIDENT: OrganisationKind.RESIDENT_GROUP,
    Role.INITIATOR: OrganisationKind.RESIDENT_GROUP,
    Role.COMMUNITY_WORKER: OrganisationKind.WELFARE,
    Role.FINANCE_OFFICER: OrganisationKind.WELFARE,
    Role.CIVIL_SERVANT: OrganisationKind.MUNICIPALITY,
    Role.PLATFORM_ADMIN: OrganisationKind.MUNICIPALITY,
}


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Stichting Buurtwerk {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = OrganisationKind.WELFARE
    description = "Wij helpen bewoners om samen iets te doen voor de buurt."
    email = factory.LazyAttribute(lambda o: f"info@{o.slug}.example.org")

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


class UserFactory(DjangoModelFactory):
    """A person. ``roles=[...]`` adds memberships (a role, or a (role, organisation) pair)."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    display_name = factory.Faker("name", locale="nl_NL")
    email_verified = True
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(obj, create, extracted, organisation=None, **kwargs):
        if not create or not extracted:
            return
        for item in extracted:
            role, org = item if isinstance(item, tuple) else (item, organisation)
            if org is None:
                org = OrganisationFactory(kind=KIND_FOR_ROLE[Role(role)])
            Membership.objects.get_or_create(user=obj, organisation=org, role=role)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COMMUNITY_WORKER


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(UserFactory)
    action = "test.event"
    details = factory.LazyFunction(dict)
