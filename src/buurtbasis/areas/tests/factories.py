import factory

from buurtbasis.areas.models import Area, AreaLevel, Indicator, IndicatorKind, IndicatorValue


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    """A closed square Polygon with its south-west corner at (lon, lat)."""
    ring = [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("year", "code")

    year = 2024
    code = "GM0193"
    name = "Zwolle"
    level = AreaLevel.MUNICIPALITY
    slug = factory.LazyAttribute(lambda o: o.name.lower())
    boundary = factory.LazyFunction(lambda: square(6.0, 52.4, 0.1))


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    year = 2024
    parent = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"WK0193{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    level = AreaLevel.DISTRICT
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    boundary = factory.Sequence(lambda n: square(6.0 + (n % 10) * 0.01, 52.4 + (n // 10) * 0.01))


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    year = 2024
    parent = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"BU{o.parent.code[2:8]}{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    level = AreaLevel.NEIGHBOURHOOD
    slug = factory.Sequence(lambda n: f"buurt-{n}")
    boundary = None


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("key",)

    key = "Bevolkingsdichtheid_34"
    table_id = "85984NED"
    title_nl = "Bevolkingsdichtheid"
    title_en = "Population density"
    unit_nl = "aantal inwoners per km²"
    unit_en = "inhabitants per km²"
    decimals = 0
    kind = IndicatorKind.RATE


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    area = factory.SubFactory(DistrictFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    year = factory.SelfAttribute("area.year")
    value = 1000
    source = "CBS, Kerncijfers wijken en buurten 2024"
    table_id = "85984NED"


def make_initiative(*, areas=(), status="active", name=None, is_public=True):
    """A minimal Initiative (the initiatives app owns the real factories)."""
    from buurtbasis.initiatives.models import Initiative

    n = Initiative.objects.count() + 1
    initiative = Initiative.objects.create(
        name=name or f"Initiatief {n}",
        slug=f"initiatief-{n}-{status}",
        pitch="Samen iets moois doen in de buurt.",
        contact_email=f"init{n}@example.org",
        status=status,
        is_public=is_public,
    )
    initiative.areas.set(areas)
    return initiative
