import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from buurtbasis.partnerships import results, services
from buurtbasis.partnerships.models import PulseAnswer, PulseRound
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification

from .helpers import answer, partnership, past_round, scores, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_creating_a_partnership_makes_sides_asks_partners_and_is_audited():
    t = town()
    p = partnership(t, confirm=False, housing=True)
    sides = list(p.sides.all())
    assert [s.is_initiators for s in sides].count(True) == 1
    assert {s.organisation_id for s in sides} == {None, t.school.pk, t.housing.pk}
    assert not any(s.is_confirmed for s in sides if s.organisation_id)
    assert p.municipality_code == t.code
    asked = set(
        Notification.objects.filter(kind="partnerships.confirm").values_list(
            "recipient_id", flat=True
        )
    )
    assert asked == {c.pk for c in t.contacts} | {t.housing_contact.pk}
    assert AuditEvent.objects.filter(action="partnerships.created").count() == 1


def test_only_people_of_the_organisation_confirm():
    t = town()
    p = partnership(t, confirm=False)
    side = p.sides.get(organisation=t.school)
    with pytest.raises(services.PartnershipError):
        services.confirm_side(side=side, tasks="x", origin=Origin(actor=t.housing_contact))
    services.confirm_side(side=side, tasks="Het plein", origin=Origin(actor=t.contacts[1]))
    side.refresh_from_db()
    assert side.confirmed_by == t.contacts[1] and side.tasks == "Het plein"


def test_a_pulse_opens_once_and_tells_every_participant():
    t = town()
    p = partnership(t)
    r = services.open_round(partnership=p, origin=Origin(actor=t.initiators[0]))
    assert r.number == 1 and r.is_open()
    told = set(
        Notification.objects.filter(kind="partnerships.pulse").values_list(
            "recipient_id", flat=True
        )
    )
    # everyone but the person who started it
    assert told == {u.pk for u in t.initiators[1:] + t.contacts}
    with pytest.raises(services.PartnershipError, match="open"):
        services.open_round(partnership=p, origin=Origin(actor=t.initiators[0]))


def test_no_pulse_before_a_partner_confirmed():
    t = town()
    p = partnership(t, confirm=False)
    with pytest.raises(services.PartnershipError):
        services.open_round(partnership=p, origin=Origin.system())


def test_the_scheduled_job_opens_a_round_each_quarter():
    t = town()
    p = partnership(t)
    today = timezone.localdate()
    assert services.open_due_rounds(today=today) == 1
    assert services.open_due_rounds(today=today + datetime.timedelta(days=60)) == 0
    assert services.open_due_rounds(today=today + datetime.timedelta(days=91)) == 1
    assert list(p.pulse_rounds.values_list("number", flat=True)) == [1, 2]


def test_one_answer_per_person_per_round_also_in_the_database():
    t = town()
    p = partnership(t)
    r = services.open_round(partnership=p, origin=Origin.system())
    first = answer(r, t.contacts[0], 4)
    assert first.side.organisation_id == t.school.pk
    assert first.ambition == 4.0
    with pytest.raises(services.PartnershipError, match="already"):
        answer(r, t.contacts[0], 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        PulseAnswer.objects.create(
            pulse_round=r,
            side=first.side,
            person=t.contacts[0],
            scores={},
            **{k: 1 for k in ("ambition", "interests", "process", "organisation", "relationship")},
        )


def test_outsiders_unconfirmed_sides_closed_rounds_and_bad_scores_are_refused():
    t = town()
    p = partnership(t, housing=False)
    r = services.open_round(partnership=p, origin=Origin.system())
    for person in (t.stranger, t.housing_contact, t.civil_servant):
        with pytest.raises(services.PartnershipError, match="Only people"):
            answer(r, person)
    with pytest.raises(services.PartnershipError, match="closed"):
        answer(r, t.contacts[0], on=r.closes_on + datetime.timedelta(days=1))
    with pytest.raises(services.PartnershipError, match="1 to 5"):
        services.answer_pulse(
            pulse_round=r,
            scores=scores(6),
            open_text="",
            show_name=False,
            origin=Origin(actor=t.contacts[0]),
        )
    with pytest.raises(services.PartnershipError, match="1 to 5"):
        services.answer_pulse(
            pulse_round=r,
            scores={"ambition_1": 3},
            open_text="",
            show_name=False,
            origin=Origin(actor=t.contacts[0]),
        )


def test_means_are_hidden_below_three_answers_unless_all_named():
    t = town()
    p = partnership(t)
    r = past_round(p, 1, 10)
    answer(r, t.contacts[0], 2, text="Vaker overleggen")
    answer(r, t.contacts[1], 4)
    answer(r, t.initiators[0], 5, show_name=True, text="Meer ouders erbij")
    sides = list(p.sides.all())
    figures = results.compute(
        [r],
        sides,
        [
            {**row, "name": "Naam" if row["show_name"] else ""}
            for row in PulseAnswer.objects.values(
                "pulse_round_id",
                "side_id",
                "open_text",
                "show_name",
                "ambition",
                "interests",
                "process",
                "organisation",
                "relationship",
            )
        ],
    )
    school = p.sides.get(organisation=t.school)
    initiators = p.sides.get(organisation=None)
    assert figures[0].cells[school.pk]["ambition"].mean is None  # two answers
    assert figures[0].cells[initiators.pk]["ambition"].mean == 5.0  # one, with a name
    assert figures[0].open_answers == []  # two answers without a name in the round
    answer(r, t.contacts[2], 3)
    figures = results.compute(
        [r],
        sides,
        [
            {**row, "name": ""}
            for row in PulseAnswer.objects.values(
                "pulse_round_id",
                "side_id",
                "open_text",
                "show_name",
                "ambition",
                "interests",
                "process",
                "organisation",
                "relationship",
            )
        ],
    )
    assert figures[0].cells[school.pk]["ambition"].mean == 3.0
    assert figures[0].open_answers == ["Vaker overleggen"]
    assert results.largest_gap(figures[0], sides)["gap"] == 2.0


def test_a_drop_is_found_per_aspect_and_side():
    t = town()
    p = partnership(t)
    before, now = past_round(p, 1, 100), past_round(p, 2, 10)
    for person in t.contacts:
        answer(before, person, 4)
        answer(now, person, 4, relationship_1=2, relationship_2=2)
    from buurtbasis.partnerships.queries import overview

    data = overview(t.code)
    assert len(data["dropped"]) == 1
    assert data["dropped"][0]["drops"][0]["aspect"] == "Relationship"


def test_actions_go_to_a_participant_and_notify_them():
    t = town()
    p = partnership(t)
    due = timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(services.PartnershipError):
        services.add_action(
            partnership=p,
            text="x",
            owner=t.stranger,
            due_on=due,
            origin=Origin(actor=t.initiators[0]),
        )
    services.add_action(
        partnership=p,
        text="Ouderavond plannen",
        owner=t.contacts[2],
        due_on=due,
        origin=Origin(actor=t.initiators[0]),
    )
    assert Notification.objects.filter(kind="partnerships.action", recipient=t.contacts[2]).exists()
    assert PulseRound.objects.count() == 0
