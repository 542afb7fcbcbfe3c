"""Real headless Chromium on a 390x844 screen: an initiative's member writes the story
for the accountability report; axe finds no serious WCAG 2.1 A/AA problems."""

import datetime
import io

import pytest
from PIL import Image

from buurtbasis.hosting import services
from buurtbasis.hosting.models import Category, GrantSource
from buurtbasis.hosting.models_reports import AccountabilityStory

from .factories import hosted
from .test_browser import _fits, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def test_a_member_writes_the_story_on_a_phone(page, axe_violations, live_server):
    h = hosted()
    grant = services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds 2026",
        amount_cents=80_000,
        date=datetime.date(2026, 2, 1),
        origin=h.as_officer,
    )
    services.record_expense(
        grant=grant,
        category=Category.MATERIALS,
        amount_cents=12_500,
        date=datetime.date(2026, 2, 14),
        description="Plantenbakken",
        origin=h.as_officer,
    )
    assert page.viewport_size == {"width": 390, "height": 844}
    _log_in(page, live_server, h.initiator)
    page.goto(f"{live_server.url}/gastorganisatie/initiatief/{h.initiative.slug}/")
    page.get_by_role("link", name="Verantwoording: het verhaal en het rapport (pdf)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Verantwoording"
    assert axe_violations(page) == []
    assert _fits(page)

    # a story without what happened gets a clear message first
    page.get_by_label("Subsidie").select_option(label="Initiatievenfonds 2026")
    page.get_by_label("Wie deden er mee?").fill("Ongeveer 30 buren en de school.")
    page.get_by_role("button", name="Het verhaal opslaan en het rapport maken").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_text("Vertel wat er is gebeurd.").first.is_visible()
    assert axe_violations(page) == []
    assert _fits(page)

    page.get_by_label("Wat is er gebeurd?").fill("Wij hebben plantenbakken in de straat gezet.")
    page.get_by_label("Foto 1 (mag leeg blijven)").set_input_files(
        files=[{"name": "straat.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.get_by_role("button", name="Het verhaal opslaan en het rapport maken").click()
    assert page.get_by_text("Dank u wel. Het rapport wordt gemaakt.").is_visible()
    assert page.get_by_role("link", name="Het rapport downloaden (pdf)").is_visible()
    assert axe_violations(page) == []
    story = AccountabilityStory.objects.get(initiative=h.initiative)
    assert story.grant_id == grant.pk and story.photos.count() == 1
