"""Issue 13 from start to finish, in real headless Chromium on a 390x844 screen.

Two residents tell a story in a round of a wijk, one with JavaScript and one without,
both allowing contact; a community worker makes a signal of the two stories; a civil
servant answers it; both tellers read the answer through their notification; then the
wijkprofiel shows the CBS figures next to the story's theme, a quote and the signal, the
wijkanalyse (PDF, made by the queued task) has a CBS figure, the theme and the signal,
and the logbook of the wijk shows the signal and its answer. axe finds no serious WCAG
2.1 A/AA problems on any page.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.logbook.models import Department, Signal
from buurtbasis.logbook.tests.test_browser import _check, _log_in
from buurtbasis.organisations.models import OrganisationKind, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.testing import run_queued_tasks
from buurtbasis.stories import services as story_services
from buurtbasis.stories.models import Story, StoryTheme
from buurtbasis.stories.tests.factories import round_data

from .test_wijkprofiel import _pdf_text, world  # noqa: F401  (world is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WITH_JS = (
    "Sinds de koffieochtend weg is, ben ik veel alleen. "
    "Ik heb weinig contact en niemand om mee te praten."
)
WITHOUT_JS = (
    "Ik ben vaak alleen thuis. Er is niemand om mee te praten en ik heb weinig contact met buren."
)
ANSWER = "Vanaf april is er elke woensdag weer een koffieochtend in het buurthuis."


@pytest.fixture
def scene(world):  # noqa: F811
    cache.clear()
    welfare = OrganisationFactory(
        name="Welzijn Zwolle", kind=OrganisationKind.WELFARE, areas=[world["wijk"]]
    )
    worker = UserFactory(display_name="Opbouwwerker", roles=[(Role.COMMUNITY_WORKER, welfare)])
    story_round = story_services.create_round(
        data=round_data([world["wijk"], world["buurt"]], welfare, questions=[]),
        origin=Origin(actor=worker),
        municipality="GM0193",
    )
    story_services.set_round_status(
        story_round=story_round, status="open", origin=Origin(actor=worker)
    )
    Department.objects.create(municipality_code="GM0193", name="Sociaal domein")
    yield {
        **world,
        "round": story_round,
        "worker": worker,
        "tellers": [UserFactory(display_name="Verteller"), UserFactory(display_name="Buurvrouw")],
    }
    cache.clear()


def _tell(page, live_server, scene, text, axe_violations=None):
    page.goto(live_server.url + reverse("stories:tell", args=[scene["round"].slug]))
    if axe_violations is not None:
        _check(page, axe_violations)
    page.get_by_label("Uw verhaal").fill(text)
    page.get_by_label("Waar gebeurde het?").select_option(label=scene["buurt"].name)
    page.get_by_label("U mag mijn verhaal op de website laten zien", exact=False).check()
    page.get_by_label("U mag contact met mij opnemen over mijn verhaal").check()
    page.get_by_label("Via de opbouwwerker").check()
    page.get_by_role("button", name="Mijn verhaal versturen").click()
    page.wait_for_url("**/bedankt/")
    if axe_violations is not None:
        _check(page, axe_violations)


def _read_the_answer(page, live_server, axe_violations=None):
    page.goto(f"{live_server.url}/meldingen/")
    if axe_violations is not None:
        _check(page, axe_violations)
    page.get_by_role("link", name="De gemeente heeft geantwoord over uw verhaal").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Het antwoord van de gemeente"
    assert page.get_by_text(ANSWER).is_visible()
    if axe_violations is not None:
        _check(page, axe_violations)


def test_a_story_becomes_a_signal_an_answer_and_a_line_in_the_wijkprofiel(
    page, _chromium, axe_violations, live_server, scene
):
    first, second = scene["tellers"]
    assert page.viewport_size == PHONE

    # a resident tells a story on a phone, with JavaScript
    _log_in(page, live_server, first)
    _tell(page, live_server, scene, WITH_JS, axe_violations)

    # another resident tells one without JavaScript (axe is a script itself and cannot run
    # there: the same server-rendered pages are checked in the JavaScript context above)
    bare = _chromium.new_context(java_script_enabled=False, locale="nl-NL", viewport=PHONE)
    plain = bare.new_page()
    plain.set_default_timeout(10_000)
    _log_in(plain, live_server, second)
    _tell(plain, live_server, scene, WITHOUT_JS)
    assert plain.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    told = list(Story.objects.order_by("pk"))
    assert [s.teller for s in told] == [first, second]
    assert all(s.may_contact for s in told)
    run_queued_tasks()  # the analysis of the round assigns the themes
    assert StoryTheme.objects.filter(story=told[0], theme__label="Eenzaamheid").exists()

    # the community worker makes a signal of both stories
    _log_in(page, live_server, scene["worker"])
    page.goto(f"{live_server.url}/signalen/nieuw/?verhaal={told[0].pk}&verhaal={told[1].pk}")
    _check(page, axe_violations)
    page.get_by_label("Waar gaat het signaal over?").fill("Geen koffieochtend meer")
    page.get_by_label("Wat zeggen de verhalen?").fill("Ouderen zien elkaar niet meer.")
    page.get_by_label("Waar", exact=True).select_option(label=scene["buurt"].name)
    page.get_by_label("Normaal: antwoord binnen 15 dagen").check()
    page.get_by_label("Voor welke afdeling?").select_option(label="Sociaal domein")
    page.get_by_role("button", name="Het signaal versturen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Geen koffieochtend meer"
    _check(page, axe_violations)
    signal = Signal.objects.get()
    assert set(signal.stories.all()) == set(told)

    # the civil servant answers it from the to-do list
    _log_in(page, live_server, scene["servant"])
    page.goto(f"{live_server.url}/mijn/")
    _check(page, axe_violations)
    page.get_by_role("link", name="Geen koffieochtend meer").click()
    page.get_by_label("Het antwoord van de gemeente").fill(ANSWER)
    page.get_by_role("button", name="Het antwoord versturen").click()
    assert page.get_by_text("Het antwoord is verstuurd.").is_visible()
    _check(page, axe_violations)

    # both tellers read the answer through their notification
    _log_in(page, live_server, first)
    _read_the_answer(page, live_server, axe_violations)
    _read_the_answer(plain, live_server)
    bare.close()

    # the wijkprofiel: figures and stories side by side, and the signal with its answer
    _log_in(page, live_server, scene["servant"])
    page.goto(f"{live_server.url}{reverse('areas:profile', args=[scene['wijk'].slug])}")
    assert page.get_by_role("heading", name="Kerncijfers", exact=False).first.is_visible()
    assert page.get_by_text("133.141").first.is_visible()  # CBS: inhabitants of Zwolle
    stories = page.locator("section", has=page.get_by_role("heading", name="Wat mensen vertellen"))
    assert stories.get_by_text("Eenzaamheid").is_visible()
    # the theme's most characteristic quote: one of the two stories (both say this)
    assert stories.get_by_text("weinig contact", exact=False).first.is_visible()
    signals = page.locator(
        "section", has=page.get_by_role("heading", name="Signalen aan de gemeente")
    )
    assert signals.get_by_role("link", name="Geen koffieochtend meer").is_visible()
    assert signals.get_by_text("2 verhalen zeggen dit", exact=False).is_visible()
    assert signals.get_by_text(ANSWER).is_visible()
    _check(page, axe_violations)

    # the wijkanalyse: asked for on the page, made by the queued task
    page.get_by_role("link", name="Download de wijkanalyse (pdf)").click()
    _check(page, axe_violations)  # "the report is being made"
    run_queued_tasks()
    pdf = page.request.get(
        f"{live_server.url}{reverse('areas:profile-pdf', args=[scene['wijk'].slug])}"
    )
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.body())
    assert "133.141" in text
    assert "Eenzaamheid" in text
    assert "Geen koffieochtend meer" in text

    # the logbook of the wijk keeps the signal and its answer
    page.goto(f"{live_server.url}/logboek/{scene['wijk'].slug}/")
    assert page.get_by_role(
        "heading", name="Signaal: Geen koffieochtend meer", exact=True
    ).is_visible()
    assert page.get_by_role(
        "heading", name="Antwoord op het signaal: Geen koffieochtend meer"
    ).is_visible()
    _check(page, axe_violations)
