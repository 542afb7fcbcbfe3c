"""Home page, wijk index and wijk pages: content, HTMX partial and bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.areas.models import Area

from .factories import NeighbourhoodFactory, make_initiative

pytestmark = pytest.mark.django_db


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def spread_initiatives(n: int) -> None:
    wijken = list(Area.objects.filter(level="wijk").order_by("code"))
    for i in range(n):
        make_initiative(areas=[wijken[i % len(wijken)], wijken[(i + 3) % len(wijken)]])


def test_it_shows_the_zwolle_map_on_the_home_page(client, zwolle):
    make_initiative(areas=[Area.objects.get(code="WK019322")], name="Repair Café Stadshagen")
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<path ") >= 16
    assert 'id="map-indicator"' in html and 'name="indicator"' in html
    assert "Repair Café Stadshagen" in html
    assert "CBS, Kerncijfers wijken en buurten 2024" in html
    assert html.count('href="/wijken/2024/WK019322/"') == 2  # map and table


def test_it_shades_the_map_by_the_chosen_indicator(client, zwolle):
    response = client.get("/", {"indicator": "percentagePersonen65JaarEnOuder"})
    assert 'value="percentagePersonen65JaarEnOuder" selected' in response.content.decode()
    bad = client.get("/", {"indicator": "<b>nope</b>"})
    assert bad.status_code == 200
    assert 'value="Bevolkingsdichtheid_34" selected' in bad.content.decode()


def test_it_returns_only_the_map_to_htmx(client, zwolle):
    response = client.get(
        "/",
        {"indicator": "AantalInwoners_5"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="map-region",
    )
    html = response.content.decode()
    assert html.startswith('<div id="map-region"')
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html


def test_it_renders_the_home_page_without_any_areas(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()


def test_it_bounds_the_home_page_queries(client, zwolle):
    spread_initiatives(3)
    few = count_queries(client, "/")
    spread_initiatives(27)
    many = count_queries(client, "/")
    assert many == few


def test_it_lists_all_wijken_with_figures(client, zwolle):
    response = client.get(reverse("areas:index"))
    html = response.content.decode()
    assert html.count('<th scope="row"><a href="/wijken/2024/WK0193') == 16
    assert "28.125" in html or "28,125" in html  # Stadshagen's inhabitants
    assert "133.141" in html or "133,141" in html  # Zwolle's total


def test_it_bounds_the_wijk_index_queries(client, zwolle):
    spread_initiatives(3)
    few = count_queries(client, reverse("areas:index"))
    spread_initiatives(27)
    assert count_queries(client, reverse("areas:index")) == few


def test_it_shows_a_wijk_with_municipal_comparison(client, zwolle):
    wijk = Area.objects.get(code="WK019310")
    make_initiative(areas=[wijk], name="Taalcafé Binnenstad")
    buurt = NeighbourhoodFactory(parent=wijk, name="Buurt Noord")
    make_initiative(areas=[buurt], name="Buurtmoestuin Noord")
    make_initiative(areas=[Area.objects.get(code="WK019311")], name="Elders")

    with_slug = client.get(reverse("areas:by-slug", args=["wijk-10-binnenstad"]))
    response = client.get(wijk.get_absolute_url())
    html = response.content.decode()
    assert "<h1>Wijk 10 Binnenstad</h1>" in with_slug.content.decode()
    assert "<h1>Wijk 10 Binnenstad</h1>" in html
    assert "Taalcafé Binnenstad" in html and "Buurtmoestuin Noord" in html
    assert "Elders" not in html
    # Inhabitants as a share of Zwolle (4,225 of 133,141 = 3.2%), density next to Zwolle's.
    assert "3,2%" in html or "3.2%" in html
    assert "8.119" in html or "8,119" in html
    assert "1.203" in html or "1,203" in html
    assert "CBS, Kerncijfers wijken en buurten 2024" in html
    assert "Buurt Noord" in html


def test_it_bounds_the_wijk_page_queries(client, zwolle):
    wijk = Area.objects.get(code="WK019310")
    for _ in range(3):
        make_initiative(areas=[wijk])
    few = count_queries(client, wijk.get_absolute_url())
    for _ in range(27):
        make_initiative(areas=[wijk])
    assert count_queries(client, wijk.get_absolute_url()) == few


def test_it_answers_404_for_unknown_wijken(client, zwolle):
    assert client.get("/wijken/2024/WK019399/").status_code == 404
    assert client.get("/wijken/2024/GM0193/").status_code == 404
    assert client.get("/wijken/bestaat-niet/").status_code == 404


def test_it_shows_indicator_titles_and_numbers_in_english(client, zwolle):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("areas:detail", args=[2024, "WK019322"])).content.decode()
    assert '<html lang="en">' in html
    assert "Population density" in html and "Bevolkingsdichtheid" not in html
    assert "28,125" in html  # English digit grouping


def test_it_lists_active_initiatives_first_on_the_wijk_page(client, zwolle):
    wijk = Area.objects.get(code="WK019331")
    make_initiative(areas=[wijk], name="Afgelopen", status="ended")
    make_initiative(areas=[wijk], name="Loopt", status="active")
    make_initiative(areas=[wijk], name="Nog een idee", status="idea")
    html = client.get(wijk.get_absolute_url()).content.decode()
    assert html.index("Loopt") < html.index("Nog een idee") < html.index("Afgelopen")


def test_it_keeps_the_chosen_classes_in_the_form(client, zwolle):
    html = client.get("/", {"classes": "equal"}).content.decode()
    assert 'value="equal" checked' in html
    assert "gelijke stappen" in html.lower() or "equal steps" in html.lower()
