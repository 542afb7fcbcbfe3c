"""The plan form on a phone (390 × 844) in Chromium, with and without JavaScript: the place is
picked on the map, a cost line is added, nothing typed is lost; axe finds no violations."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.maps import location_picker
from buurtbasis.budgets.models import Plan

from .factories import AreaFactory, BudgetRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _box(west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def budget_round(transactional_db):
    west = AreaFactory(name="Assendorp", boundary=_box(6.0, 52.5, 6.1, 52.55))
    east = AreaFactory(name="Diezerpoort", boundary=_box(6.1, 52.5, 6.2, 52.55))
    return BudgetRoundFactory(areas=[west, east])


def _login(context, live_server):
    client = Client()
    client.force_login(UserFactory())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _fill_plan(page):
    page.locator('[name="title"]').fill("Bankjes bij de vijver")
    page.locator('[name="summary"]').fill("Drie bankjes aan de waterkant.")
    page.locator('[name="description"]').fill("Ouderen kunnen dan onderweg uitrusten.")
    page.locator('[name="costs-0-description"]').fill("Bankjes")
    page.locator('[name="costs-0-amount"]').fill("1.200")


def _map_position(budget_round, lon, lat):
    x, y = location_picker(budget_round).projection.project(lon, lat)
    return {"x": x, "y": y}


def test_with_javascript_a_tap_on_the_map_marks_the_place(
    live_server, page, axe_violations, budget_round
):
    _login(page.context, live_server)
    page.goto(live_server.url + reverse("budgets:plan-create", args=[budget_round.slug]))
    assert axe_violations(page) == []
    _fill_plan(page)
    url = page.url
    page.evaluate("window.stillTheSamePage = true")
    page.locator("input.location-map").click(position=_map_position(budget_round, 6.15, 52.52))
    page.get_by_text("U hebt een plek aangeduid in Diezerpoort.").wait_for()
    assert page.url == url
    assert page.evaluate("window.stillTheSamePage") is True  # only the "Where" part was replaced
    assert page.locator('[name="title"]').input_value() == "Bankjes bij de vijver"
    assert page.locator('[name="latitude"]').input_value() != ""
    assert page.locator('[name="area"] option:checked').inner_text() == "Diezerpoort"
    # the map fits the phone's screen and is not scaled (a click is a point of the map)
    box = page.locator("input.location-map").bounding_box()
    assert box["width"] <= PHONE["width"] - 20
    assert axe_violations(page) == []
    # htmx adds a cost line in place and puts the cursor in it
    page.get_by_role("button", name="Regel toevoegen").click()
    page.locator('[name="costs-2-description"]').wait_for()
    # htmx moves the focus when the new row settles, a moment after it appears
    expect(page.locator('[name="costs-2-description"]')).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.locator('[name="costs-0-amount"]').input_value() == "1.200"
    page.keyboard.type("Verf")
    page.locator('[name="costs-2-amount"]').fill("50")
    page.get_by_role("button", name="Plan indienen").last.click()
    page.wait_for_url("**/plannen/*/")
    plan = Plan.objects.get()
    assert plan.cost_cents == 125_000
    assert plan.area.name == "Diezerpoort"
    assert abs(float(plan.longitude) - 6.15) < 0.002
    assert abs(float(plan.latitude) - 52.52) < 0.002


def test_without_javascript_the_map_and_an_extra_cost_line_keep_what_was_typed(
    live_server, _chromium, budget_round
):
    context = _chromium.new_context(java_script_enabled=False, locale="nl-NL", viewport=PHONE)
    _login(context, live_server)
    page = context.new_page()
    page.goto(live_server.url + reverse("budgets:plan-create", args=[budget_round.slug]))
    _fill_plan(page)
    page.locator('[name="address"]').fill("Vijverweg 3")
    page.locator("input.location-map").click(position=_map_position(budget_round, 6.05, 52.52))
    page.get_by_text("U hebt een plek aangeduid in Assendorp.").wait_for()
    assert page.locator('[name="title"]').input_value() == "Bankjes bij de vijver"
    assert page.locator('[name="address"]').input_value() == "Vijverweg 3"
    assert page.locator('[name="costs-0-amount"]').input_value() == "1.200"
    for _ in range(2):  # the page starts with two rows: add a third and a fourth
        page.get_by_role("button", name="Regel toevoegen").click()
        page.wait_for_load_state()
    assert page.locator('[name="costs-3-description"]').count() == 1
    assert page.locator('[name="costs-4-description"]').count() == 0
    assert page.locator('[name="costs-0-description"]').input_value() == "Bankjes"
    page.locator('[name="costs-3-description"]').fill("Plaatsen")
    page.locator('[name="costs-3-amount"]').fill("300")
    # Enter in a text field saves the plan (the form's first button is "Plan indienen",
    # not a click on the map at 0, 0 or "Regel toevoegen")
    page.locator('[name="title"]').press("Enter")
    page.wait_for_url("**/plannen/*/")
    plan = Plan.objects.get()
    assert plan.address == "Vijverweg 3"
    assert plan.area.name == "Assendorp"
    assert sorted(plan.cost_lines.values_list("amount_cents", flat=True)) == [30_000, 120_000]
    context.close()
