"""Civil servants' daily work: draft rounds and publishing, phase dates from a start date,
the rule explanations, criteria, internal notes and questions to the submitter."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets import services
from buurtbasis.budgets.models import (
    AssessmentCriterion,
    BudgetRound,
    CriterionCheck,
    PlanNote,
    PlanQuestion,
)
from buurtbasis.organisations.models import Role
from buurtbasis.platform.models import AuditEvent, Notification

from .factories import (
    AreaFactory,
    BudgetRoundFactory,
    MunicipalityFactory,
    PlanFactory,
    civil_servant_elsewhere,
    civil_servant_for,
)

pytestmark = pytest.mark.django_db


def _form_data(org, areas, **overrides):
    start = timezone.localdate() + timedelta(days=3)
    data = {
        "title": "Buurtbudget Holtenbroek 2027",
        "description": "Samen beslissen.",
        "organisation": org.pk,
        "areas": [a.pk for a in areas],
        "budget": "40000",
        "ballot_type": "approval",
        "max_choices": "3",
        "rule": "mes",
        "completion": "add1",
        "tie_break": "cost-votes",
        "min_voter_age": "12",
        "allow_code_voting": "on",
        "start_date": start.isoformat(),
        "submission_days": "21",
        "assessment_days": "10",
        "voting_days": "14",
        "results_days": "",
        "criteria": "Het plan is in de openbare ruimte\n\nHet plan is voor iedereen\n",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer_and_org():
    org = MunicipalityFactory()
    return UserFactory(roles=[(Role.CIVIL_SERVANT, org)]), org


# -- draft and publish --


def test_a_round_made_in_the_form_is_a_draft_that_only_managers_see(client, officer_and_org):
    officer, org = officer_and_org
    client.force_login(officer)
    response = client.post(reverse("budgets:round-create"), _form_data(org, [AreaFactory()]))
    assert response.status_code == 302, response.context["form"].errors
    budget_round = BudgetRound.objects.get()
    assert budget_round.is_public is False
    page = client.get(budget_round.get_absolute_url())
    assert page.status_code == 200
    assert reverse("budgets:round-publish", args=[budget_round.slug]) in page.content.decode()
    assert budget_round.title in client.get(reverse("budgets:round-list")).content.decode()

    for someone in (None, UserFactory(), civil_servant_elsewhere()):
        client.logout()
        if someone:
            client.force_login(someone)
        assert client.get(budget_round.get_absolute_url()).status_code == 404
        assert budget_round.title not in client.get(reverse("budgets:round-list")).content.decode()
        response = client.post(reverse("budgets:round-publish", args=[budget_round.slug]))
        if someone is None:  # anonymous: sent to log in
            assert response.status_code == 302
            assert response["Location"].startswith(reverse(settings.LOGIN_URL))
        else:
            assert response.status_code == 404
    budget_round.refresh_from_db()
    assert budget_round.is_public is False


def test_publishing_makes_the_round_visible_and_is_audited(client, officer_and_org):
    officer, org = officer_and_org
    budget_round = BudgetRoundFactory(organisation=org, is_public=False)
    client.force_login(officer)
    response = client.post(reverse("budgets:round-publish", args=[budget_round.slug]))
    assert response.status_code == 302
    budget_round.refresh_from_db()
    assert budget_round.is_public is True
    event = AuditEvent.objects.get(action="budgets.round_published")
    assert event.actor == officer
    client.logout()
    assert client.get(budget_round.get_absolute_url()).status_code == 200
    # publishing twice is refused with a message, not an error page
    with pytest.raises(services.BudgetError) as exc:
        services.publish_round(budget_round=budget_round, actor=officer)
    assert exc.value.code == "published"


def test_editing_a_published_round_keeps_it_published(client):
    budget_round = BudgetRoundFactory()
    client.force_login(civil_servant_for(budget_round))
    start = timezone.localtime(budget_round.phases.get(kind="submission").starts_at)
    data = _form_data(
        budget_round.organisation,
        list(budget_round.areas.all()),
        start_date="",
        submission_starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        voting_starts_at=(start + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("budgets:round-edit", args=[budget_round.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    budget_round.refresh_from_db()
    assert budget_round.is_public is True


# -- phase dates from one start date --


def test_phases_follow_from_the_start_date_and_durations(client, officer_and_org):
    officer, org = officer_and_org
    client.force_login(officer)
    data = _form_data(org, [AreaFactory()])
    response = client.post(reverse("budgets:round-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    budget_round = BudgetRound.objects.get()
    phases = {p.kind: p for p in budget_round.phases.all()}
    start = date.fromisoformat(data["start_date"])

    def day(value):
        return timezone.localtime(value).date() if value else None

    assert {k: (day(p.starts_at), day(p.ends_at)) for k, p in phases.items()} == {
        "submission": (start, start + timedelta(days=21)),
        "assessment": (start + timedelta(days=21), start + timedelta(days=31)),
        "voting": (start + timedelta(days=31), start + timedelta(days=45)),
        "results": (start + timedelta(days=45), None),
    }


def test_the_preview_shows_the_dates_without_saving(client, officer_and_org):
    officer, org = officer_and_org
    client.force_login(officer)
    data = _form_data(org, [AreaFactory()], preview="1", start_date="2099-03-02")
    response = client.post(reverse("budgets:round-create"), data)
    assert response.status_code == 200
    assert not BudgetRound.objects.exists()
    html = response.content.decode()
    assert "schedule-preview" in html
    assert "2 maart 2099" in html  # submission starts
    assert "23 maart 2099" in html  # assessment starts after 21 days


def test_the_form_uses_a_date_picker_and_explains_the_rules(client, officer_and_org):
    officer, _org = officer_and_org
    client.force_login(officer)
    response = client.get(reverse("budgets:round-create"))
    html = response.content.decode()
    assert 'type="date"' in html and 'name="start_date"' in html
    form = response.context["form"]
    assert form["rule"].value() == "mes"
    assert form["completion"].value() == "add1"
    assert "gelijke" in html.lower()  # the explanation of equal shares, in Dutch


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "2000-01-01"}, "start_date", "verleden"),
        ({"start_date": ""}, "start_date", "begindatum"),
        ({"voting_days": ""}, "voting_days", "dagen"),
        ({"voting_days": "0"}, "voting_days", None),
        ({"start_date": "morgen"}, "start_date", None),
    ],
)
def test_bad_dates_get_a_dutch_message(client, officer_and_org, overrides, field, message):
    officer, org = officer_and_org
    client.force_login(officer)
    response = client.post(
        reverse("budgets:round-create"), _form_data(org, [AreaFactory()], **overrides)
    )
    assert response.status_code == 200
    assert not BudgetRound.objects.exists()
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in " ".join(errors[field]).lower()


def test_an_equal_shares_round_switched_from_greedy_starts_with_add1(client):
    budget_round = BudgetRoundFactory(rule="greedy", completion="none")
    client.force_login(civil_servant_for(budget_round))
    response = client.get(reverse("budgets:round-edit", args=[budget_round.slug]))
    assert response.context["form"]["completion"].value() == "add1"


# -- criteria, notes, questions --


def test_criteria_are_set_in_the_form_and_ticked_in_the_assessment(client, officer_and_org):
    officer, org = officer_and_org
    client.force_login(officer)
    client.post(reverse("budgets:round-create"), _form_data(org, [AreaFactory()]))
    budget_round = BudgetRound.objects.get()
    criteria = list(budget_round.criteria.all())
    assert [c.text for c in criteria] == [
        "Het plan is in de openbare ruimte",
        "Het plan is voor iedereen",
    ]
    plan = PlanFactory(budget_round=budget_round)
    url = reverse("budgets:plan-assess", args=[budget_round.slug, plan.pk])
    page = client.get(url).content.decode()
    assert "Het plan is voor iedereen" in page
    response = client.post(
        url,
        {
            "decision": "feasible",
            "public_reason": "",
            "cost": "2500",
            "cost_explanation": "",
            "criteria_met": [criteria[0].pk],
        },
    )
    assert response.status_code == 302
    checks = list(CriterionCheck.objects.filter(assessment__plan=plan).order_by("pk"))
    assert [(c.text, c.met) for c in checks] == [
        ("Het plan is in de openbare ruimte", True),
        ("Het plan is voor iedereen", False),
    ]
    page = client.get(url)
    assert list(page.context["form"]["criteria_met"].value()) == [criteria[0].pk]
    assert "Niet voldaan" in page.content.decode()


def test_a_criterion_of_another_round_is_refused(officer_and_org):
    officer, org = officer_and_org
    budget_round = BudgetRoundFactory(organisation=org)
    other = AssessmentCriterion.objects.create(budget_round=BudgetRoundFactory(), text="Elders")
    plan = PlanFactory(budget_round=budget_round)
    with pytest.raises(services.BudgetError) as exc:
        services.assess_plan(
            plan=plan, assessor=officer, feasible=True, public_reason="", criteria_met=[other.pk]
        )
    assert exc.value.code == "criteria"


def test_internal_notes_are_for_managers_only(client):
    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round)
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    url = reverse("budgets:plan-note", args=[budget_round.slug, plan.pk])
    assert client.post(url, {"text": "Bellen met de wijkbeheerder."}).status_code == 302
    note = PlanNote.objects.get()
    assert (note.plan, note.author, note.text) == (plan, officer, "Bellen met de wijkbeheerder.")
    event = AuditEvent.objects.get(action="budgets.plan_note_added")
    assert "wijkbeheerder" not in str(event.details)
    assess_page = client.get(reverse("budgets:plan-assess", args=[budget_round.slug, plan.pk]))
    assert "Bellen met de wijkbeheerder." in assess_page.content.decode()

    client.force_login(plan.submitted_by)
    assert "wijkbeheerder" not in client.get(plan.get_absolute_url()).content.decode()
    assert client.post(url, {"text": "Ik ook"}).status_code == 403
    client.force_login(civil_servant_elsewhere())
    assert client.post(url, {"text": "Ik ook"}).status_code in (403, 404)
    assert PlanNote.objects.count() == 1


def test_an_empty_note_gets_a_message(client):
    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round)
    client.force_login(civil_servant_for(budget_round))
    url = reverse("budgets:plan-note", args=[budget_round.slug, plan.pk])
    response = client.post(url, {"text": "   "}, follow=True)
    assert response.status_code == 200
    assert not PlanNote.objects.exists()
    assert [str(m) for m in response.context["messages"]]


def test_a_question_reaches_the_submitter_who_answers_on_the_plan_page(client):
    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round)
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    ask = reverse("budgets:plan-question", args=[budget_round.slug, plan.pk])
    assert client.post(ask, {"question": "Heeft u een offerte?"}).status_code == 302
    question = PlanQuestion.objects.get()
    assert Notification.objects.filter(
        recipient=plan.submitted_by, kind="budgets.plan_question"
    ).exists()

    client.force_login(plan.submitted_by)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Heeft u een offerte?" in page
    answer = reverse("budgets:plan-answer", args=[budget_round.slug, plan.pk, question.pk])
    assert answer in page
    assert client.post(answer, {"answer": "Ja, van de hovenier."}).status_code == 302
    question.refresh_from_db()
    assert question.answer == "Ja, van de hovenier."
    assert question.answered_by == plan.submitted_by
    assert AuditEvent.objects.filter(action="budgets.plan_question_answered").exists()
    # a second answer is refused
    client.post(answer, {"answer": "Toch niet."})
    question.refresh_from_db()
    assert question.answer == "Ja, van de hovenier."

    client.force_login(officer)
    assess_page = client.get(reverse("budgets:plan-assess", args=[budget_round.slug, plan.pk]))
    assert "Ja, van de hovenier." in assess_page.content.decode()


def test_only_the_submitter_may_answer(client):
    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round)
    question = services.ask_submitter(
        plan=plan, asker=civil_servant_for(budget_round), question="Waar precies?"
    )
    answer = reverse("budgets:plan-answer", args=[budget_round.slug, plan.pk, question.pk])
    client.force_login(UserFactory())
    assert client.post(answer, {"answer": "Hier"}).status_code == 403
    client.force_login(civil_servant_for(budget_round))
    assert client.post(answer, {"answer": "Hier"}).status_code == 403
    question.refresh_from_db()
    assert question.answered_at is None


def test_questions_answers_and_notes_are_in_the_download_and_unlinked_on_deletion():
    from buurtbasis.accounts.services import delete_account
    from buurtbasis.platform import privacy

    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round)
    officer = civil_servant_for(budget_round)
    question = services.ask_submitter(plan=plan, asker=officer, question="Waar precies?")
    services.answer_question(question=question, answerer=plan.submitted_by, answer="Op het plein")
    services.add_internal_note(plan=plan, author=officer, text="Klopt met de kaart.")

    resident = privacy.export_personal_data(plan.submitted_by)["budgets_assessment"]
    assert resident["questions_answered"][0]["answer"] == "Op het plein"
    assert resident["internal_notes"] == []  # a submitter never sees internal notes
    staff = privacy.export_personal_data(officer)["budgets_assessment"]
    assert staff["questions_asked"][0]["question"] == "Waar precies?"
    assert staff["internal_notes"][0]["note"] == "Klopt met de kaart."

    delete_account(user=officer)
    question.refresh_from_db()
    assert question.asked_by is None and question.question == "Waar precies?"
    assert PlanNote.objects.get().author is None


def test_notes_refuse_invisible_control_characters():
    """Notes, questions and answers used a copy of the text check without the control
    characters that comments already refused."""
    from buurtbasis.budgets.services import BudgetError, add_internal_note

    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round)
    with pytest.raises(BudgetError) as caught:
        add_internal_note(plan=plan, author=civil_servant_for(budget_round), text="Prima\u202eplan")
    assert caught.value.code == "control"
    assert not PlanNote.objects.exists()


def test_saving_an_edit_never_changes_the_visibility_of_the_round():
    """The edit form carried the visibility it read when it was opened: a round published
    in the meantime went back to draft on save, without an audit entry."""
    from buurtbasis.budgets.services import RoundData, update_round

    budget_round = BudgetRoundFactory()  # public
    officer = civil_servant_for(budget_round)
    data = RoundData(
        **{
            **{
                f.name: getattr(budget_round, f.name)
                for f in dataclasses.fields(RoundData)
                if hasattr(budget_round, f.name) and f.name not in ("areas", "schedule")
            },
            "areas": list(budget_round.areas.all()),
            "schedule": {},
            "is_public": False,
            "criteria": None,
            "category_budgets": None,
        }
    )
    update_round(budget_round=budget_round, data=data, actor=officer)
    budget_round.refresh_from_db()
    assert budget_round.is_public is True
