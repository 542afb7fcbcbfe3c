"""The buddy programme's "done when", on the demo, in real headless Chromium (390x844):

a matcher opens a waiting newcomer household on a phone, sees the explained
suggestions and proposes a pair; the household accepts itself through its contact
person's account and the matcher records the other household's acceptance; the pair is
active with its check-ins planned. Then the scheduled reminder job runs with the clock
moved to just before the first check-in, and the reminder is in the matcher's
notifications and mail. axe finds no serious WCAG 2.1 A/AA problems on the way.
"""

import datetime
import io
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from freezegun import freeze_time

from buurtbasis.accounts.models import User
from buurtbasis.buddies import tasks
from buurtbasis.buddies.models import Household, Pair, PairStatus
from buurtbasis.hosting.tests.test_expenses_browser import login
from buurtbasis.platform.testing import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MATCHER = "matcher@demo.buurtbasis.nl"
NEWCOMER = "nieuwkomer@demo.buurtbasis.nl"


def _text(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text().replace("\xa0", " "))


def test_a_matcher_pairs_two_households_on_a_phone_and_the_check_in_reminder_arrives(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    # Zwolle is served on 127.0.0.1.
    site = SimpleNamespace(url=live_server.url.replace("//localhost:", "//127.0.0.1:"))
    base = f"{site.url}/maatjes"
    matcher = User.objects.get(email=MATCHER)
    contact = User.objects.get(email=NEWCOMER)
    haddad = Household.objects.get(contact=contact)
    assert haddad.status == "waiting" and haddad.kind == "newcomer"
    assert page.viewport_size == {"width": 390, "height": 844}

    # The matcher finds the waiting newcomer households in the list.
    login(page, site, matcher)
    page.goto(f"{base}/")
    page.get_by_role("heading", level=1, name="Maatjes Zwolle").wait_for()
    assert axe_violations(page) == []
    page.locator("select[name=status]").select_option("waiting")
    page.locator("select[name=kind]").select_option("newcomer")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("link", name="Familie Haddad").click()
    page.get_by_role("heading", level=1, name="Familie Haddad").wait_for()
    assert axe_violations(page) == []

    # Explained suggestions, in plain Dutch.
    suggestions = page.locator(".bb-suggestion")
    assert suggestions.count() >= 1
    first = _text(suggestions.first)
    assert re.search(r"Match \d+%", first) and re.search(r"\d+,\d km", first)
    assert "Dit is een voorstel, geen besluit" in _text(page.locator("#suggestions-heading + p"))
    partner_label = _text(suggestions.first.locator("h3"))
    suggestions.first.get_by_role("button").click()
    page.get_by_role("heading", name="Acceptatie").wait_for()
    assert axe_violations(page) == []
    pair = Pair.objects.get(newcomer=haddad, status=PairStatus.PROPOSED)
    assert pair.local.label == partner_label

    # The newcomer household accepts through its own account.
    login(page, site, contact)
    page.goto(f"{base}/paar/{pair.pk}/")
    page.get_by_role("heading", level=1, name="Uw maatjeskoppel").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Wij accepteren").click()
    page.get_by_text("De acceptatie is vastgelegd.").wait_for()

    # The matcher records the local household's acceptance: the pair is active.
    login(page, site, matcher)
    page.goto(f"{base}/paar/{pair.pk}/")
    page.get_by_role("button", name=f"Acceptatie door {partner_label} vastleggen").click()
    page.get_by_role("heading", name="Contactmomenten").wait_for()
    assert axe_violations(page) == []
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    assert not pair.newcomer_on_behalf and pair.newcomer_accepted_by == contact
    assert pair.local_on_behalf and pair.local_accepted_by == matcher
    first_checkin = pair.checkins.order_by("due_on").first()
    assert first_checkin.week == 2

    # The daily job, with the clock two days before the first check-in.
    mail.outbox.clear()
    moment = datetime.datetime.combine(
        first_checkin.due_on - datetime.timedelta(days=2), datetime.time(7, 30)
    )
    with freeze_time(moment):
        tasks.send_checkin_reminders.call()
    run_queued_tasks()
    page.goto(f"{site.url}/meldingen/")
    reminder = page.get_by_text(re.compile(r"Het contactmoment van week 2 met Familie Haddad"))
    reminder.first.wait_for()
    assert axe_violations(page) == []
    assert any(MATCHER in m.to and "week 2" in m.subject for m in mail.outbox)

    # The other matcher pages pass axe too: intake form, batch proposal and its result.
    programme = haddad.programme
    page.goto(f"{base}/programma/{programme.pk}/nieuw/")
    page.get_by_role("heading", level=1, name="Nieuwe intake").wait_for()
    assert axe_violations(page) == []
    page.goto(f"{base}/programma/{programme.pk}/voorstel/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Voorstel maken").click()
    page.get_by_text("Dit is een voorstel, geen besluit", exact=False).first.wait_for()
    assert axe_violations(page) == []
    # A resident finds the sign-up form from the organisation's page.
    login(page, site, User.objects.get(email="bewoner@demo.buurtbasis.nl"))
    page.goto(f"{site.url}/organisaties/{programme.organisation.slug}/")
    page.get_by_role("link", name="Meld uw huishouden aan").click()
    page.get_by_role("heading", level=1, name="Meld uw huishouden aan").wait_for()
    assert axe_violations(page) == []
