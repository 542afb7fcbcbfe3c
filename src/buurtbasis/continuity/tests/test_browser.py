"""Hand-over's "done when", on the demo, in real headless Chromium (390x844):

a resident responds to an open role of "Buurtkoor Assendorp", the initiator chooses
her, ticks the checklist (asking the host for the treasurer change on the way) and
completes the hand-over; the wijk's logbook shows the entry and the initiative page
shows the new initiator with its history intact. axe finds no serious WCAG 2.1 A/AA
problems on the pages on the way. The people are the demo log-ins of the README.
"""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from buurtbasis.accounts.models import User
from buurtbasis.continuity.models import HandOver, HandOverStatus
from buurtbasis.hosting.tests.test_expenses_browser import login
from buurtbasis.initiatives.models import Initiative, StatusChange
from buurtbasis.portal.demo.initiatives import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RESPONDENT = "opvolger@demo.buurtbasis.nl"
INITIATOR = "initiatiefnemer@demo.buurtbasis.nl"
ROLE = "Hulp bij de nieuwsbrief"


def _text(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text().replace("\xa0", " "))


def test_a_resident_takes_over_a_role_and_the_hand_over_is_recorded(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    site = SimpleNamespace(url=live_server.url.replace("//localhost:", "//127.0.0.1:"))
    respondent = User.objects.get(email=RESPONDENT)
    initiator = User.objects.get(email=INITIATOR)
    for email in (RESPONDENT, INITIATOR):
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
    initiative = Initiative.objects.get(slug="buurtkoor-assendorp")
    history = StatusChange.objects.filter(initiative=initiative).count()
    assert page.viewport_size == {"width": 390, "height": 844}

    # The resident finds the initiative in the list and responds to an open role.
    login(page, site, respondent)
    page.goto(f"{site.url}/overdracht/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=initiative.name).click()
    page.get_by_role("heading", name=ROLE).wait_for()
    assert axe_violations(page) == []
    page.locator("section", has=page.get_by_role("heading", name=ROLE)).get_by_role(
        "link", name="Ik heb interesse"
    ).click()
    page.locator("textarea[name=message]").wait_for()
    assert axe_violations(page) == []
    page.locator("textarea[name=message]").fill("Ik schrijf graag en help met de nieuwsbrief.")
    page.get_by_role("button", name="Mijn reactie versturen").click()
    page.locator(".message-success").wait_for()
    assert "Dank u" in _text(page.locator(".message-success"))

    # The initiator reads the response and chooses her: the hand-over starts.
    login(page, site, initiator)
    page.goto(f"{site.url}/overdracht/initiatief/{initiative.slug}/")
    assert axe_violations(page) == []
    assert "Ik schrijf graag" in _text(page.locator("main"))
    assert RESPONDENT not in page.content()  # no e-mail addresses
    page.get_by_role("button", name=f"Kies {respondent.display_name}").click()
    page.get_by_role("heading", name="Checklist").wait_for()
    assert axe_violations(page) == []
    handover = HandOver.objects.get(incoming=respondent)

    # The treasurer item asks the host; then every item is ticked.
    ask = "Vraag de gastorganisatie de penningmeester te wijzigen"
    page.get_by_role("button", name=ask).click()
    page.locator(".message-success").wait_for()
    for item in handover.items.order_by("position", "pk"):
        page.locator(f"#item-{item.pk}").get_by_role("button", name="Afvinken").click()
        page.locator(f"#item-{item.pk} strong").wait_for()
    assert "afgevinkt op" in _text(page.locator(".bb-checklist"))
    assert axe_violations(page) == []

    # Completing: the initiator names herself as the outgoing person (nobody is proposed:
    # the load records do not say who holds this role) and stays named as former initiator.
    page.get_by_role("radio", name=initiator.display_name).check()
    page.get_by_label("Blijft genoemd als oud-initiatiefnemer").check()
    page.get_by_role("button", name="Overdracht afronden").click()
    page.locator(".message-success").wait_for()
    assert page.url.rstrip("/").endswith(f"/initiatieven/{initiative.slug}")
    assert axe_violations(page) == []
    block = _text(page.locator("#continuity-initiative-title").locator(".."))
    assert f"{ROLE} overgedragen aan {respondent.display_name}" in block
    assert f"oud-initiatiefnemer: {initiator.display_name}" in block
    handover.refresh_from_db()
    assert handover.status == HandOverStatus.COMPLETED
    same = Initiative.objects.get(pk=initiative.pk)
    assert same.members.filter(pk=respondent.pk).exists()
    assert not same.members.filter(pk=initiator.pk).exists()
    assert StatusChange.objects.filter(initiative=same).count() == history
    # the initiative's own history is still shown, step by step
    assert page.locator("h2:text-is('Geschiedenis') + ol.timeline > li").count() == history

    # The wijk's logbook shows the hand-over (for everyone).
    wijk = same.areas.get()
    page.context.clear_cookies()
    page.goto(f"{site.url}/logboek/{wijk.slug}/")
    assert axe_violations(page) == []
    assert f"Initiatief overgedragen: {initiative.name}" in _text(page.locator("main"))
