"""Civil servants' daily work: publishing a draft round, internal notes and questions on
a plan (and the submitter's answer). Thin views: access check, form, one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtbasis.platform.tenancy import get_tenant

from . import access, services
from .forms import AnswerForm, NoteForm, QuestionForm
from .models import Plan, PlanQuestion
from .services import BudgetError


def _code(request) -> str:
    return get_tenant(request).cbs_code


@login_required
@require_POST
def round_publish(request, slug):
    budget_round = access.get_round_for_manager(request.user, slug, _code(request))
    try:
        services.publish_round(budget_round=budget_round, actor=request.user)
    except BudgetError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The round has been published. Everyone can see it now."))
    return redirect(budget_round.get_absolute_url())


def _managed_plan(request, slug, pk) -> Plan:
    budget_round = access.get_round_for_manager(request.user, slug, _code(request))
    return get_object_or_404(
        Plan.objects.select_related("budget_round", "submitted_by"),
        budget_round=budget_round,
        pk=pk,
    )


@login_required
@require_POST
def plan_note(request, slug, pk):
    plan = _managed_plan(request, slug, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("text", [_("Write a note.")])))
        return redirect("budgets:plan-assess", slug=slug, pk=plan.pk)
    try:
        services.add_internal_note(plan=plan, author=request.user, text=form.cleaned_data["text"])
    except BudgetError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your note has been saved. Only civil servants see it."))
    return redirect("budgets:plan-assess", slug=slug, pk=plan.pk)


@login_required
@require_POST
def plan_question(request, slug, pk):
    plan = _managed_plan(request, slug, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("question", [_("Write your question.")])))
        return redirect("budgets:plan-assess", slug=slug, pk=plan.pk)
    try:
        services.ask_submitter(
            plan=plan, asker=request.user, question=form.cleaned_data["question"]
        )
    except BudgetError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your question has been sent to the submitter."))
    return redirect("budgets:plan-assess", slug=slug, pk=plan.pk)


@login_required
@require_POST
def plan_answer(request, slug, pk, question_pk):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plan = access.get_plan_for_viewer(request.user, budget_round, pk)
    if not access.is_plan_owner(request.user, plan):
        raise PermissionDenied
    question = get_object_or_404(PlanQuestion, plan=plan, pk=question_pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("answer", [_("Write your answer.")])))
        return redirect(plan.get_absolute_url())
    try:
        services.answer_question(
            question=question, answerer=request.user, answer=form.cleaned_data["answer"]
        )
    except BudgetError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you, your answer has been sent to the municipality."))
    return redirect(plan.get_absolute_url())


def assessment_extras(plan: Plan) -> dict:
    """The internal notes and the questions to the submitter on the assessment page."""
    return {
        "notes": plan.internal_notes.select_related("author"),
        "questions": plan.questions.select_related("asked_by", "answered_by"),
        "note_form": NoteForm(auto_id="id_note_%s"),
        "question_form": QuestionForm(auto_id="id_question_%s"),
    }
