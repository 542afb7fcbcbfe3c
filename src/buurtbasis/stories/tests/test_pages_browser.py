"""Every page of the stories app on a phone (390 × 844) in Chromium: axe finds no serious or
critical WCAG 2.1 A/AA violations, for a visitor and for a community worker."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory

from .. import adapters
from .factories import open_round, tell, worker_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_pages_have_no_accessibility_violations(live_server, page, axe_violations):
    story_round = open_round()
    story, _ = tell(story_round, "Mijn buurvrouw Fatima helpt mij, het park is mooi geworden.")
    tell(story_round, "In het park zijn de bomen gekapt en het grasveld is kaal geworden.")
    adapters.analyse_round(story_round)
    slug = story_round.slug
    public = [
        reverse("stories:round-list"),
        reverse("stories:round-detail", args=[slug]),
        reverse("stories:withdraw"),
    ]
    for path in public:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    _login(page.context, live_server, worker_for(story_round))
    worker_pages = [
        reverse("stories:round-create"),
        reverse("stories:round-edit", args=[slug]),
        reverse("stories:round-detail", args=[slug]),
        reverse("stories:story-detail", args=[slug, story.pk]),
        reverse("stories:record", args=[slug]),
        reverse("stories:quick-entry", args=[slug]),
        reverse("stories:kitchen-table", args=[slug]),
        reverse("stories:my-stories"),
    ]
    for path in worker_pages:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    # nothing is wider than the phone
    page.goto(live_server.url + reverse("stories:round-detail", args=[slug]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_resident_sees_the_public_round_page_masked(live_server, page):
    story_round = open_round()
    tell(story_round, "Mijn buurvrouw Fatima belt mij elke dag op 06-12345678.")
    _login(page.context, live_server, UserFactory())
    page.goto(live_server.url + reverse("stories:round-detail", args=[story_round.slug]))
    text = page.locator("main").inner_text()
    assert "[telefoon]" in text and "12345678" not in text and "Fatima" not in text
