"""A resident tells a story on a phone (390 × 844) in Chromium: with JavaScript the triad is a
triangle, without JavaScript three sliders that the server normalises; axe finds no violations."""

import pytest
from django.urls import reverse

from ..models import Answer, Story
from .factories import open_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TEXT = "Sinds de koffieochtend in het buurthuis weg is, zie ik bijna niemand meer in de week."


@pytest.fixture
def story_round(transactional_db):
    from django.core.cache import cache

    cache.clear()
    return open_round()


def _fill(page):
    page.locator('[name="text"]').fill(TEXT)
    page.get_by_label("U mag mijn verhaal op de website laten zien", exact=False).check()


def test_with_javascript_the_triad_is_a_triangle(live_server, page, axe_violations, story_round):
    triad = story_round.questions.get(kind="triad")
    page.goto(live_server.url + reverse("stories:tell", args=[story_round.slug]))
    svg = page.locator(".bb-triad__svg")
    svg.wait_for()
    # the three sliders make way for the triangle
    assert not page.locator(f'[name="q{triad.pk}_a"]').is_visible()
    assert axe_violations(page) == []
    box = svg.bounding_box()
    assert box["width"] <= PHONE["width"] - 20
    # a tap near the top corner ("ikzelf") gives it most of the weight
    svg.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.2})
    status = page.locator(".bb-triad__status").inner_text()
    assert status.startswith("ikzelf: ")
    assert int(status.split(":")[1].split("%")[0]) > 60
    # the keyboard moves the point too
    page.locator(".bb-triad__pad").focus()
    page.keyboard.press("ArrowDown")
    # "no answer" is ticked until the teller moves a slider
    dyad = story_round.questions.get(kind="dyad")
    no_answer = page.locator(f'[name="q{dyad.pk}_na"]')
    assert no_answer.is_checked()
    page.locator(f'[name="q{dyad.pk}"]').focus()
    page.keyboard.press("ArrowRight")
    assert not no_answer.is_checked()
    _fill(page)
    page.get_by_role("button", name="Mijn verhaal versturen").click()
    page.wait_for_url("**/bedankt/")
    assert page.locator(".bb-code").inner_text().count("-") == 2
    assert axe_violations(page) == []
    story = Story.objects.get()
    weights = Answer.objects.get(story=story, question=triad).value
    assert abs(sum(weights) - 1) < 1e-6 and weights[0] > 0.5
    assert Answer.objects.get(story=story, question=dyad).value == 0.51


def test_without_javascript_the_triad_is_three_sliders(live_server, _chromium, story_round):
    triad = story_round.questions.get(kind="triad")
    context = _chromium.new_context(java_script_enabled=False, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("stories:tell", args=[story_round.slug]))
    assert page.locator(".bb-triad__svg").count() == 0
    assert page.get_by_text("De getallen hoeven niet op te tellen", exact=False).is_visible()
    page.locator(f'[name="q{triad.pk}_a"]').fill("80")
    page.locator(f'[name="q{triad.pk}_b"]').fill("40")
    page.locator(f'[name="q{triad.pk}_c"]').fill("40")
    _fill(page)
    page.get_by_role("button", name="Mijn verhaal versturen").click()
    page.wait_for_url("**/bedankt/")
    assert page.get_by_text("Uw intrekcode").is_visible()
    weights = Answer.objects.get(question=triad).value
    assert weights == [0.5, 0.25, 0.25]
    context.close()
