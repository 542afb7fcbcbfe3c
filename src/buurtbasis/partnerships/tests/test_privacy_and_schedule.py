"""Privacy export and erasure of pulse answers; the quarterly scheduled job."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.services import delete_account
from buurtbasis.partnerships.models import FollowUpAction, PulseAnswer
from buurtbasis.partnerships.tasks import open_due_pulses
from buurtbasis.platform import schedule
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.privacy import export_personal_data

from .helpers import answer, partnership, past_round, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def test_export_lists_my_answers_and_actions():
    t = town()
    p = partnership(t)
    r = past_round(p, 1, 5)
    answer(r, t.contacts[0], 4, text="Vaker koffie")
    FollowUpAction.objects.create(
        partnership=p, text="Flyers", owner=t.contacts[0], due_on=timezone.localdate()
    )
    data = export_personal_data(t.contacts[0])["partnerships"]
    assert data["pulse_answers"][0]["open_answer"] == "Vaker koffie"
    assert data["pulse_answers"][0]["scores"]["ambition_1"] == 4
    assert data["follow_up_actions"][0]["what"] == "Flyers"
    assert export_personal_data(t.initiators[0])["partnerships"]["partnerships_created"] == [
        p.title
    ]


def test_erasure_keeps_the_numbers_without_name_or_text():
    t = town()
    p = partnership(t)
    r = past_round(p, 1, 5)
    for person in t.contacts:
        answer(r, person, 2, text=f"Idee van {person.display_name}", show_name=True)
    FollowUpAction.objects.create(
        partnership=p, text="Flyers", owner=t.contacts[0], due_on=timezone.localdate()
    )
    delete_account(user=t.contacts[0], origin=Origin.system())
    kept = PulseAnswer.objects.get(side__organisation=t.school, person=None)
    assert kept.ambition == 2.0 and kept.open_text == "" and not kept.show_name
    assert PulseAnswer.objects.filter(pulse_round=r).count() == 3
    assert FollowUpAction.objects.get().owner is None
    client = Client()
    client.force_login(t.civil_servant)
    html = client.get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    assert "Idee van Leerkracht 0" not in html
    assert "Idee van Leerkracht 1" in html  # the others chose to show theirs
    # two named answers and one anonymous: the school's mean is hidden now
    assert "te weinig antwoorden om te tonen" in html


def test_the_pulse_is_a_daily_scheduled_job_that_opens_due_rounds():
    assert "partnerships.open_pulses" in {job.name for job in schedule.registered()}
    t = town()
    p = partnership(t)
    past_round(p, 1, 120)
    assert open_due_pulses.call() == 1
    latest = p.pulse_rounds.order_by("-number").first()
    assert latest.number == 2 and latest.opens_on == timezone.localdate()
    assert latest.closes_on == timezone.localdate() + datetime.timedelta(days=28)
    assert open_due_pulses.call() == 0
