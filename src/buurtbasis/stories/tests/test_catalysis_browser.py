"""The catalysis page on a phone (390 × 844) in Chromium: charts drawn, axe finds no
serious or critical WCAG 2.1 A/AA violations, nothing wider than the phone, and a session
is recorded without JavaScript."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..models import QuestionKind, StoryTheme
from ..models_catalysis import SenseMakingSession
from .factories import open_round, tell, worker_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _round_with_stories():
    story_round = open_round()
    dyad = story_round.questions.get(kind=QuestionKind.DYAD)
    triad = story_round.questions.get(kind=QuestionKind.TRIAD)
    green = story_round.themes.get(label="Groen")
    traffic = story_round.themes.get(label="Verkeer")
    noord = story_round.areas.order_by("code").first()
    for i in range(12):
        story, _ = tell(
            story_round,
            f"Verhaal {i}: in onze straat wordt te hard gereden, het park is te klein.",
            area=noord if i < 7 else None,
            age_band="65+" if i % 2 else "25-44",
            answers={dyad.pk: 0.1 * (i % 10), triad.pk: [i % 3, 1, 2]},
        )
        theme = traffic if i < 7 else green
        StoryTheme.objects.create(story=story, theme=theme, score=1.0, source="professional")
    return story_round


def test_the_catalysis_page_on_a_phone(live_server, page, axe_violations):
    story_round = _round_with_stories()
    _login(page.context, live_server, worker_for(story_round))
    page.goto(live_server.url + reverse("stories:catalysis", args=[story_round.slug]))
    assert page.locator("h1").count() == 1
    assert page.locator("svg.bb-chart__svg").count() >= 5
    assert page.locator("circle.bb-chart__dot").count() == 12
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the page that says the story cards are being made
    page.goto(live_server.url + reverse("stories:story-cards", args=[story_round.slug]))
    assert page.locator("h1").inner_text() == "Verhaalkaarten"
    assert axe_violations(page) == []


def test_a_session_is_recorded_without_javascript(live_server, _chromium):
    story_round = _round_with_stories()
    context = _chromium.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    _login(context, live_server, worker_for(story_round))
    page = context.new_page()
    page.goto(live_server.url + reverse("stories:catalysis", args=[story_round.slug]))
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_place", "Buurthuis De Brug")
    page.fill("#id_participants", "12")
    page.fill("#id_conclusions", "Bewoners willen drempels in de straat.")
    page.get_by_role("button", name="Bijeenkomst vastleggen").click()
    page.wait_for_load_state()
    assert "Bewoners willen drempels in de straat." in page.locator("main").inner_text()
    context.close()
    assert SenseMakingSession.objects.filter(round=story_round, participants=12).exists()
