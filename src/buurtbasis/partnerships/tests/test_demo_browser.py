"""Partnerships' "done when", on the demo, in real headless Chromium (390x844): a partner
contact answers the open pulse on a phone, and the partnership page shows the trend with
the new round (chart and table) while the aggregation rule holds; a civil servant sees
where the pulse drops; others are refused. axe finds no serious WCAG 2.1 A/AA problems on
the pages on the way. The people are the demo log-ins of the README."""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from buurtbasis.accounts.models import User
from buurtbasis.hosting.tests.test_expenses_browser import login
from buurtbasis.partnerships.models import Partnership, PulseAnswer
from buurtbasis.partnerships.pulse import ASPECTS
from buurtbasis.portal.demo.initiatives import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PARTNER = "partner.school@demo.buurtbasis.nl"
CIVIL_SERVANT = "ambtenaar@demo.buurtbasis.nl"
#: a community worker of another welzijnsorganisatie, not in the partnership
OUTSIDER = "opbouwwerker.noord@demo.buurtbasis.nl"
TITLE = "Zingen op het schoolplein"


def _text(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text().replace("\xa0", " "))


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _check(page, axe_violations):
    assert axe_violations(page) == []
    assert _fits(page)


def test_a_partner_answers_the_pulse_on_a_phone_and_the_trend_shows_it(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    # Zwolle is served on 127.0.0.1 (Rotterdam on localhost)
    site = SimpleNamespace(url=live_server.url.replace("//localhost:", "//127.0.0.1:"))
    assert authenticate(email=PARTNER, password=DEMO_PASSWORD) is not None
    partner = User.objects.get(email=PARTNER)
    partnership = Partnership.objects.get(title=TITLE)
    school = partnership.sides.get(organisation__slug="basisschool-de-vlieger")
    rounds = list(partnership.pulse_rounds.order_by("number"))
    assert len(rounds) == 5 and rounds[-1].is_open()
    assert (rounds[-1].opens_on - rounds[0].opens_on).days >= 360  # a year of pulses
    assert rounds[-1].answers.filter(side=school).count() == 2

    assert page.viewport_size == {"width": 390, "height": 844}
    login(page, site, partner)
    page.goto(f"{site.url}/mijn/")
    _check(page, axe_violations)
    page.get_by_role("link", name=f"De peiling van {TITLE} invullen").click()
    page.get_by_role("heading", level=1, name=f"Hoe gaat het met “{TITLE}”?").wait_for()
    _check(page, axe_violations)

    # sending without choosing gives a clear error, not a stack trace
    page.get_by_role("button", name="Mijn antwoord versturen").click()
    page.locator(".error-summary").wait_for()
    _check(page, axe_violations)
    for aspect in ASPECTS:
        for _key, statement in aspect.statements:
            group = page.get_by_role("group", name=str(statement))
            group.get_by_label("Mee eens", exact=True).check()
    page.get_by_label("Wat zou onze samenwerking beter maken?").fill(
        "Een vaste middag voor het zingen."
    )
    page.get_by_role("button", name="Mijn antwoord versturen").click()
    page.get_by_text("Dank u wel voor uw antwoord.").wait_for()
    _check(page, axe_violations)
    answer = PulseAnswer.objects.get(pulse_round=rounds[-1], person=partner)
    assert answer.side_id == school.pk and answer.ambition == 4.0 and not answer.show_name

    # the trend: five pulses in every chart and table, the school now shown in pulse 5
    charts = page.locator("svg.bb-chart__svg")
    assert charts.count() == len(ASPECTS)
    first = page.locator("section.bb-pulse-aspect").first
    assert first.locator("svg text").filter(has_text=re.compile(r"^5$")).count() >= 1
    last_row = _text(first.locator("tbody tr").last)
    assert last_row.startswith("5 ")
    assert "(3 antwoorden)" in last_row  # the school: three answers, so the mean shows
    assert "–" in last_row  # the initiators did not answer pulse 5 yet
    assert "Waar u het meest verschilt:" in _text(page.locator("#resultaten"))
    # the aggregation rule: nobody's name next to an anonymous answer
    results = _text(page.locator("#resultaten"))
    assert "Mirjam Koster" not in results and "Joost van Dam" not in results

    # a professional who is not in the partnership cannot see it
    login(page, site, User.objects.get(email=OUTSIDER))
    response = page.goto(f"{site.url}{partnership.get_absolute_url()}")
    assert response.status == 403

    # the civil servant sees the municipality's overview with the drop
    login(page, site, User.objects.get(email=CIVIL_SERVANT))
    page.goto(f"{site.url}/samenwerking/gemeente/")
    _check(page, axe_violations)
    drops = _text(page.locator("section[aria-labelledby=dropped-title]"))
    assert "Energiecoaches in de flats" in drops and "Relatie" in drops
    assert "Koken in de wijkwoning" not in _text(page.locator("main"))  # Rotterdam's
    page.get_by_role("link", name="Energiecoaches in de flats").first.click()
    page.get_by_role("heading", level=1, name="Energiecoaches in de flats").wait_for()
    _check(page, axe_violations)
    assert page.locator(".bb-overdue").count() >= 1  # an overdue follow-up action
