"""The ballot on a phone (390 × 844) in Chromium: photos of the plans, a compact total that
stays in view at the bottom, and "Bereken totaal" only when JavaScript does not run."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from .factories import make_codes, voting_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (40, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def round_with_photos(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    budget_round, plans = voting_round(
        ballot_type="knapsack",
        budget_cents=3_000_000,
        costs=[1_000_000, 1_500_000, 2_500_000, 500_000, 700_000, 900_000],
    )
    plans[0].photo.save("bankje.png", ContentFile(_png()), save=False)
    plans[0].photo_alt = "Een houten bankje onder een boom"
    plans[0].save()
    return budget_round, plans


def test_the_ballot_shows_photos_and_keeps_a_compact_total_in_view(
    live_server, page, axe_violations, round_with_photos
):
    budget_round, plans = round_with_photos
    (code,) = make_codes(budget_round, 1)
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/stembiljet/?code={code}")
    photo = page.get_by_role("img", name="Een houten bankje onder een boom")
    assert photo.get_attribute("loading") == "lazy"
    photo.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('.plan-choice img').naturalWidth === 64"
    )  # served through the plan's photo view
    # JavaScript runs: htmx keeps the total up to date, so "Bereken totaal" is hidden
    assert not page.get_by_role("button", name="Bereken totaal").is_visible()
    assert page.get_by_role("button", name="Controleer mijn keuze").is_visible()
    page.get_by_label(plans[0].title).check()
    page.locator("#ballot-total").get_by_text("Gekozen: € 10.000 van € 30.000.").wait_for()
    # at the top of a long list the total is already at the bottom of the screen, and small
    page.evaluate("window.scrollTo(0, 0)")
    bar = page.locator(".ballot-bar").bounding_box()
    assert bar["y"] + bar["height"] == pytest.approx(PHONE["height"], abs=2)
    assert bar["height"] <= 0.2 * PHONE["height"], bar
    # the photo is a thumbnail beside the plan, not a screen-wide picture
    assert photo.bounding_box()["width"] < PHONE["width"] / 2
    assert axe_violations(page) == []


def test_without_javascript_bereken_totaal_recalculates(live_server, _chromium, round_with_photos):
    budget_round, plans = round_with_photos
    (code,) = make_codes(budget_round, 1)
    context = _chromium.new_context(java_script_enabled=False, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/stemmen/{budget_round.slug}/stembiljet/?code={code}")
    button = page.get_by_role("button", name="Bereken totaal")
    assert button.is_visible()
    page.get_by_label(plans[1].title).check()
    button.click()
    page.locator("#ballot-total").get_by_text("Gekozen: € 15.000 van € 30.000.").wait_for()
    bar = page.locator(".ballot-bar").bounding_box()
    assert bar["y"] + bar["height"] == pytest.approx(PHONE["height"], abs=2)
    context.close()
