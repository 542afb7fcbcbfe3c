import datetime

import factory

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative, Status, StatusChange, TargetGroup, Theme

try:  # the accounts helper's factories, once they have landed
    from buurtbasis.accounts.tests.factories import (  # type: ignore[import-not-found]
        MembershipFactory,
        OrganisationFactory,
        UserFactory,
    )
except ImportError:  # pragma: no cover - fallback until then
    from buurtbasis.accounts.models import User
    from buurtbasis.organisations.models import Membership, Organisation, OrganisationKind, Role

    class UserFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = User
            skip_postgeneration_save = True

        email = factory.Sequence(lambda n: f"user{n}@example.nl")
        display_name = factory.Faker("name", locale="nl_NL")
        password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-1")

        @factory.post_generation
        def _save(obj, create, extracted, **kwargs):
            if create:
                obj.save()

    class OrganisationFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = Organisation

        name = factory.Sequence(lambda n: f"Organisatie {n}")
        slug = factory.Sequence(lambda n: f"organisatie-{n}")
        kind = OrganisationKind.WELFARE

    class MembershipFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = Membership

        user = factory.SubFactory(UserFactory)
        organisation = factory.SubFactory(OrganisationFactory)
        role = Role.RESIDENT


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("year", "code")

    year = 2024
    code = "GM0193"
    name = "Zwolle"
    level = AreaLevel.MUNICIPALITY
    slug = "zwolle"


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    year = 2024
    code = factory.Sequence(lambda n: f"WK0193{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    level = AreaLevel.DISTRICT
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    parent = factory.SubFactory(MunicipalityFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")


class InitiativeFactory(factory.django.DjangoModelFactory):
    """An initiative with one member (its creator) and one wijk.

    Pass `areas=[...]`, `themes=[...]`, `members=[...]` to choose them.
    """

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Buurtmoestuin {n}")
    slug = factory.Sequence(lambda n: f"buurtmoestuin-{n}")
    pitch = "Samen groente kweken op een braakliggend veld."
    description = "We beginnen in het voorjaar.\n\nIedereen is welkom."
    contact_email = factory.Sequence(lambda n: f"initiatief{n}@example.nl")
    status = Status.IDEA
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create:
            obj.members.set(extracted if extracted is not None else [obj.created_by])

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create:
            obj.areas.set(extracted if extracted is not None else [WijkFactory()])

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.target_groups.set(extracted)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            StatusChange.objects.create(
                initiative=obj,
                from_status="",
                to_status=Status.IDEA,
                changed_on=datetime.date(2026, 1, 5),
                changed_by=obj.created_by,
            )
