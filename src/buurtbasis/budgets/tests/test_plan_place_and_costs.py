"""The plan form on a phone: a place picked on the map (not typed as latitude and longitude),
an address in words, and any number of cost lines, all without JavaScript."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.maps import location_picker
from buurtbasis.budgets.models import Plan
from buurtbasis.budgets.services import BudgetError, PlanData, submit_plan

from .factories import AreaFactory, BudgetRoundFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _box(west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def budget_round():
    west = AreaFactory(name="Assendorp", boundary=_box(6.0, 52.5, 6.1, 52.55))
    east = AreaFactory(name="Diezerpoort", boundary=_box(6.1, 52.5, 6.2, 52.55))
    return BudgetRoundFactory(areas=[west, east])


def _data(budget_round, rows=(("Plantenbakken", "1.250,50"), ("Zaden en aarde", "300")), **extra):
    data = {
        "title": "Moestuin aan de Dijkstraat",
        "summary": "Een gezamenlijke moestuin voor de straat.",
        "description": "We willen samen groente kweken.",
        "area": "",
        "address": "",
        "latitude": "",
        "longitude": "",
        "photo_alt": "",
        "costs-TOTAL_FORMS": str(len(rows)),
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "100",
    }
    for i, (description, amount) in enumerate(rows):
        data[f"costs-{i}-description"] = description
        data[f"costs-{i}-amount"] = amount
    data.update(extra)
    return data


def _click(budget_round, lon, lat):
    x, y = location_picker(budget_round).projection.project(lon, lat)
    return {"map.x": str(round(x)), "map.y": str(round(y))}


def _url(budget_round):
    return reverse("budgets:plan-create", args=[budget_round.slug])


def test_the_resident_picks_a_place_on_the_map_and_keeps_everything_typed(client, budget_round):
    client.force_login(UserFactory())
    page = client.get(_url(budget_round)).content.decode()
    assert 'type="image" name="map"' in page
    assert 'type="hidden" name="latitude"' in page
    assert "Breedtegraad" not in page and "Latitude" not in page  # nothing to type

    data = _data(budget_round, address="Dijkstraat 12", **_click(budget_round, 6.15, 52.52))
    response = client.post(_url(budget_round), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not response.context["form"].is_bound  # no error messages for fields not reached yet
    form = response.context["form"]
    lat, lon = Decimal(form["latitude"].value()), Decimal(form["longitude"].value())
    assert abs(lat - Decimal("52.52")) < Decimal("0.001")
    assert abs(lon - Decimal("6.15")) < Decimal("0.001")
    diezerpoort = budget_round.areas.get(name="Diezerpoort")
    assert str(form["area"].value()) == str(diezerpoort.pk)  # the area follows the click
    assert "U hebt een plek aangeduid in Diezerpoort." in html
    assert 'value="Moestuin aan de Dijkstraat"' in html
    assert 'value="Dijkstraat 12"' in html
    assert 'value="Plantenbakken"' in html and 'value="1.250,50"' in html
    assert " autofocus" in html  # back on the map

    # saving stores the point, the area and the address
    saved = client.post(
        _url(budget_round),
        _data(
            budget_round,
            address="Dijkstraat 12",
            latitude=str(lat),
            longitude=str(lon),
            area=str(diezerpoort.pk),
        ),
    )
    assert saved.status_code == 302, saved.context["form"].errors
    plan = Plan.objects.get()
    assert (plan.latitude, plan.longitude) == (lat, lon)
    assert plan.area == diezerpoort
    assert plan.address == "Dijkstraat 12"
    assert plan.versions.get().data["address"] == "Dijkstraat 12"


def test_a_click_outside_the_areas_or_from_the_keyboard_marks_no_place(client, budget_round):
    client.force_login(UserFactory())
    picker = location_picker(budget_round)
    # the margin of the map, left of both areas
    outside = client.post(_url(budget_round), _data(budget_round, **{"map.x": "3", "map.y": "50"}))
    assert picker.point_at(3, 50) is None
    assert outside.context["form"]["latitude"].value() == ""
    assert "buiten de gebieden van deze ronde" in outside.content.decode()
    keyboard = client.post(_url(budget_round), _data(budget_round, **{"map.x": "0", "map.y": "0"}))
    assert keyboard.context["form"]["latitude"].value() == ""
    assert "Klik of tik op de kaart" in keyboard.content.decode()


def test_the_place_can_be_removed(client, budget_round):
    client.force_login(UserFactory())
    data = _data(budget_round, latitude="52,52", longitude="6,15", remove_point="1")
    response = client.post(_url(budget_round), data)
    assert response.context["form"]["latitude"].value() == ""
    assert response.context["has_point"] is False


def test_a_place_outside_the_round_or_in_another_area_is_refused(client, budget_round):
    client.force_login(UserFactory())
    outside = client.post(
        _url(budget_round), _data(budget_round, latitude="52.6", longitude="6.05")
    )
    assert outside.status_code == 200
    assert outside.context["form"].errors["area"] == [
        "De plek op de kaart ligt buiten de gebieden van deze ronde. Klik in een gebied."
    ]
    assendorp = budget_round.areas.get(name="Assendorp")
    elsewhere = client.post(
        _url(budget_round),
        _data(budget_round, latitude="52.52", longitude="6.15", area=str(assendorp.pk)),
    )
    assert elsewhere.context["form"].errors["area"] == [
        "De plek op de kaart ligt in Diezerpoort. Kies dat gebied, of klik op een andere plek "
        "op de kaart."
    ]
    # without a chosen area the place decides it
    chosen = client.post(
        _url(budget_round), _data(budget_round, latitude="52.52", longitude="6.05")
    )
    assert chosen.status_code == 302
    assert Plan.objects.get().area == assendorp
    assert not Plan.objects.filter(latitude=Decimal("52.6")).exists()


def test_the_service_refuses_a_place_outside_the_round(budget_round):
    data = PlanData(
        title="Bankje",
        summary="Een bankje.",
        description="Een bankje bij de vijver.",
        latitude=Decimal("51.0"),
        longitude=Decimal("6.05"),
        cost_lines=[("Bankje", 50000)],
    )
    with pytest.raises(BudgetError) as error:
        submit_plan(budget_round=budget_round, author=UserFactory(), data=data)
    assert error.value.code == "point"


def test_the_map_image_shows_the_areas_and_only_a_place_inside_them(client, budget_round):
    url = reverse("budgets:round-location-map", args=[budget_round.slug])
    plain = client.get(url)
    assert plain["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = plain.content.decode()
    assert svg.count("<path") == 2 and "Assendorp" in svg and "Diezerpoort" in svg
    assert "<circle" not in svg
    assert "<circle" in client.get(url, {"lat": "52.52", "lon": "6.05"}).content.decode()
    assert "<circle" not in client.get(url, {"lat": "50", "lon": "6.05"}).content.decode()
    assert "<circle" not in client.get(url, {"lat": "NaN", "lon": "x"}).content.decode()
    without = BudgetRoundFactory()  # areas without a boundary: no map
    assert client.get(reverse("budgets:round-location-map", args=[without.slug])).status_code == 404


def test_a_line_is_added_without_losing_what_was_typed(client, budget_round):
    client.force_login(UserFactory())
    response = client.post(_url(budget_round), _data(budget_round, add_line="1"))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 3
    assert formset.forms[0]["description"].value() == "Plantenbakken"
    assert formset.forms[0]["amount"].value() == "1.250,50"
    assert formset.forms[2]["description"].value() in (None, "")
    html = response.content.decode()
    assert 'name="costs-2-description"' in html and 'name="costs-3-description"' not in html
    assert re.search(r'<input[^>]*name="costs-2-description"[^>]*autofocus', html)
    assert html.count("autofocus") == 1
    assert 'value="Moestuin aan de Dijkstraat"' in html


def test_a_plan_can_have_many_cost_lines_and_empty_rows_are_ignored(client, budget_round):
    client.force_login(UserFactory())
    rows = [(f"Onderdeel {n}", "10") for n in range(30)] + [("", "")] * 3
    response = client.post(_url(budget_round), _data(budget_round, rows=rows))
    assert response.status_code == 302, response.context["formset"].non_form_errors()
    plan = Plan.objects.get()
    assert plan.cost_lines.count() == 30
    assert plan.cost_cents == 30 * 1000


def test_editing_a_plan_moves_its_place_and_keeps_the_address(client, budget_round):
    assendorp = budget_round.areas.get(name="Assendorp")
    plan = PlanFactory(
        budget_round=budget_round,
        area=assendorp,
        latitude=Decimal("52.52"),
        longitude=Decimal("6.05"),
        address="Vijverweg 3",
    )
    client.force_login(plan.submitted_by)
    url = reverse("budgets:plan-edit", args=[budget_round.slug, plan.pk])
    page = client.get(url)
    assert "U hebt een plek aangeduid in Assendorp." in page.content.decode()
    assert "lat=52.520000" in page.content.decode()  # the map shows the stored place
    data = _data(
        budget_round,
        address="Vijverweg 3",
        area=str(assendorp.pk),
        latitude="52,520000",
        longitude="6,050000",
        **_click(budget_round, 6.15, 52.51),
    )
    moved = client.post(url, data)
    assert moved.context["plan"] == plan
    assert str(moved.context["form"]["area"].value()) == str(
        budget_round.areas.get(name="Diezerpoort").pk
    )
    assert 'value="Vijverweg 3"' in moved.content.decode()
    plan.refresh_from_db()
    assert plan.longitude == Decimal("6.05")  # nothing is saved before "Wijzigingen opslaan"
