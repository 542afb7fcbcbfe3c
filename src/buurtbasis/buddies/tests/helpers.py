"""Test data for buddy households: two municipalities, each with a programme, people of
every role, buurten with small square boundaries (so distances are real)."""

from __future__ import annotations

from dataclasses import dataclass

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area
from buurtbasis.buddies import services
from buurtbasis.buddies.models import Household, Programme
from buurtbasis.organisations.models import OrganisationKind, Role
from buurtbasis.platform.audit import Origin


def square(lon: float, lat: float, half: float = 0.005) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class Town:
    code: str
    gemeente: Area
    wijk: Area
    buurt: Area
    next_buurt: Area
    far_buurt: Area
    programme: Programme
    matcher: object
    worker: object
    other_matcher: object
    civil_servant: object
    resident: object


def town(code: str = "GM0193", name: str = "Zwolle", lon: float = 6.09, lat: float = 52.51):
    digits = code[2:]
    gemeente = Area.objects.create(
        year=2024, code=code, name=name, level="gemeente", slug=name.lower()
    )
    wijk = Area.objects.create(
        year=2024,
        code=f"WK{digits}01",
        name=f"Wijk 01 Centrum {name}",
        level="wijk",
        parent=gemeente,
        slug=f"centrum-{name.lower()}",
        boundary=square(lon, lat, 0.02),
    )

    def buurt(n, dlon, dlat):
        return Area.objects.create(
            year=2024,
            code=f"BU{digits}01{n:02d}",
            name=f"Buurt {n} {name}",
            level="buurt",
            parent=wijk,
            slug=f"buurt-{n}-{name.lower()}",
            boundary=square(lon + dlon, lat + dlat),
        )

    welfare = OrganisationFactory(
        name=f"Welzijn {name}", kind=OrganisationKind.WELFARE, areas=[wijk]
    )
    other = OrganisationFactory(
        name=f"Buurtwerk {name}", kind=OrganisationKind.WELFARE, areas=[wijk]
    )
    municipality = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[gemeente]
    )
    programme = Programme.objects.create(
        organisation=welfare, municipality_code=code, name=f"Maatjes {name}"
    )
    return Town(
        code=code,
        gemeente=gemeente,
        wijk=wijk,
        buurt=buurt(1, 0, 0),
        next_buurt=buurt(2, 0.012, 0),  # about 0.8 km east
        far_buurt=buurt(3, 0.4, 0),  # about 27 km east: beyond the 10 km maximum
        programme=programme,
        matcher=UserFactory(display_name=f"Matcher {name}", roles=[(Role.MATCHER, welfare)]),
        worker=UserFactory(
            display_name=f"Opbouwwerker {name}", roles=[(Role.COMMUNITY_WORKER, welfare)]
        ),
        other_matcher=UserFactory(
            display_name=f"Andere matcher {name}", roles=[(Role.MATCHER, other)]
        ),
        civil_servant=UserFactory(
            display_name=f"Ambtenaar {name}", roles=[(Role.CIVIL_SERVANT, municipality)]
        ),
        resident=UserFactory(display_name=f"Bewoner {name}"),
    )


def household(t: Town, kind: str = "newcomer", label: str = "", *, ready=True, **data) -> Household:
    values = {
        "kind": kind,
        "label": label or f"Familie {kind} {Household.objects.count() + 1}",
        "adults": 2,
        "children_ages": [6, 8],
        "languages": [{"code": "ar", "level": "native"}, {"code": "nl", "level": "basic"}],
        "interests": ["koken"],
        "availability": ["sat-afternoon"],
        "area": t.buurt,
        "wishes": [],
    }
    values.update(data)
    return services.create_household(
        programme=t.programme, data=values, origin=Origin(actor=t.matcher), ready=ready
    )


def active_pair(t: Town, start=None, **kw):
    newcomer = household(t, "newcomer", **kw)
    local = household(t, "local", languages=[{"code": "nl", "level": "native"}])
    origin = Origin(actor=t.matcher)
    pair = services.propose_pair(newcomer=newcomer, local=local, origin=origin)
    services.accept(pair=pair, side="newcomer", origin=origin, on_behalf=True)
    services.accept(pair=pair, side="local", origin=origin, on_behalf=True, start=start)
    pair.refresh_from_db()
    return pair
