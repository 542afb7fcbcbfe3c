"""The SVG choropleth and the location map."""

import re

import pytest

from buurtbasis.areas.maps import build_choropleth, build_location_map, municipality_map
from buurtbasis.areas.models import Area
from buurtbasis.areas.services import get_districts, values_for
from buurtbasis.initiatives.queries import count_active_initiatives

from .factories import (
    DistrictFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    make_initiative,
)

pytestmark = pytest.mark.django_db


def COUNTS(districts):  # noqa: N802 - the portal passes the same
    return count_active_initiatives(districts=districts)


def picture_and_links(html: str) -> tuple[str, str]:
    """The role="img" SVG and the clickable layer on top of it."""
    pattern = r'<div class="area-map-wrap">(<svg .*?</svg>)(<svg .*</svg>)</div>'
    match = re.fullmatch(pattern, html, re.S)
    assert match, html[:200]
    return match.group(1), match.group(2)


def test_it_draws_one_linked_path_per_zwolle_wijk(zwolle):
    context = municipality_map(municipality=zwolle, indicator_key="AantalInwoners_5")
    html = str(context["choropleth"].svg)
    picture, links = picture_and_links(html)

    assert picture.count("<path ") == 16
    assert links.count('<a href="/wijken/2024/WK0193') == 16
    assert 'aria-hidden="true"' in links and 'role="img"' not in links
    svg = picture
    assert 'role="img"' in svg and 'aria-labelledby="wijkkaart-title wijkkaart-desc"' in svg
    assert '<title id="wijkkaart-title">' in svg
    assert "<title>Wijk 22 Stadshagen\nAantal inwoners: 28" in links
    legend = context["choropleth"].legend
    assert len(legend) == 5
    assert sum(c.count for c in legend) == 16
    assert len({c.colour for c in legend}) == 5
    assert all(path_data for path_data in re.findall(r' d="(M[^"]+Z)"', svg))


def test_it_puts_every_wijk_in_a_class_ordered_by_value(zwolle):
    choropleth = municipality_map(municipality=zwolle, indicator_key="Bevolkingsdichtheid_34")[
        "choropleth"
    ]
    colours = [c.colour for c in choropleth.legend]
    ranked = sorted(choropleth.rows, key=lambda r: r.value.value)
    positions = [colours.index(r.colour) for r in ranked]
    assert positions == sorted(positions)  # a higher value never gets a lighter colour
    assert choropleth.rows[0].area.code == "WK019310"


def test_it_escapes_names_in_titles_and_shows_no_data():
    municipality = MunicipalityFactory(name="Zwolle & Co")
    hostile = DistrictFactory(parent=municipality, name='<script>alert("x")</script> & wijk')
    plain = DistrictFactory(parent=municipality, name="Gewone wijk")
    indicator = IndicatorFactory()
    IndicatorValueFactory(area=plain, indicator=indicator, value=1500)
    make_initiative(areas=[hostile])

    choropleth = build_choropleth(
        municipality=municipality,
        districts=[hostile, plain],
        indicator=indicator,
        values=values_for(areas=[hostile, plain], indicators=[indicator]),
        counts=count_active_initiatives(districts=[hostile, plain]),
    )
    svg = str(choropleth.svg)
    assert "<script" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; wijk" in svg
    assert "Zwolle &amp; Co" in svg
    assert 'fill="url(#wijkkaart-nodata)"' in svg
    assert "1 active initiative" in svg or "1 actief initiatief" in svg
    assert choropleth.has_missing
    assert [c.count for c in choropleth.legend] == [1]


def test_it_counts_active_initiatives_per_wijk_including_its_buurten():
    wijk, other = DistrictFactory(), DistrictFactory()
    buurt = NeighbourhoodFactory(parent=wijk)
    make_initiative(areas=[wijk])
    make_initiative(areas=[buurt])
    make_initiative(areas=[wijk, buurt])  # counted once
    make_initiative(areas=[wijk], status="ended")
    make_initiative(areas=[wijk], status="idea", is_public=False)
    make_initiative(areas=[other, wijk])

    counts = count_active_initiatives(districts=[wijk, other])
    assert counts == {wijk.pk: 4, other.pk: 1}


def test_it_caches_the_svg_but_follows_new_initiatives(zwolle, django_assert_num_queries):
    first = municipality_map(municipality=zwolle, counts=COUNTS)["choropleth"]
    again = municipality_map(municipality=zwolle, counts=COUNTS)["choropleth"]
    assert str(first.svg) == str(again.svg)
    binnenstad = Area.objects.get(code="WK019310")
    make_initiative(areas=[binnenstad])
    updated = municipality_map(municipality=zwolle, counts=COUNTS)["choropleth"]
    assert str(updated.svg) != str(first.svg)
    assert ">1</text>" in str(updated.svg)


def test_it_draws_a_location_map_with_the_wijk_highlighted(zwolle):
    wijk = Area.objects.get(code="WK019313")
    svg = str(build_location_map(area=wijk, siblings=get_districts(municipality=zwolle)))
    assert svg.count("<path ") == 16
    assert svg.count('fill="#0b5394"') == 1
    assert "Wijk 13 Assendorp" in svg


def test_it_offers_equal_interval_classes(zwolle):
    quantile = municipality_map(municipality=zwolle, indicator_key="Bevolkingsdichtheid_34")
    equal = municipality_map(
        municipality=zwolle, indicator_key="Bevolkingsdichtheid_34", method="equal"
    )
    assert equal["method"] == "equal"
    # Density is skewed (53 to 8,119 per km²): equal steps put most wijken in the lowest class.
    assert [c.count for c in quantile["choropleth"].legend] == [3, 3, 3, 3, 4]
    counts = [c.count for c in equal["choropleth"].legend]
    assert sum(counts) == 16 and counts[0] > 3
    assert str(equal["choropleth"].svg) != str(quantile["choropleth"].svg)
    odd = municipality_map(municipality=zwolle, method="<script>")
    assert odd["method"] == "quantile"
