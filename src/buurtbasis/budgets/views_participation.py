"""Thin views for taking part: supporting a plan, comments, reports and the moderation queue.

Every form is a plain POST form that works without JavaScript; after a successful
write the browser goes back to the plan (post/redirect/get).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import get_tenant

from . import access, participation
from .forms_participation import CommentForm, HideForm, ReportForm
from .models import PlanComment
from .services import BudgetError


def _plan(request, slug, pk):
    budget_round = access.get_round_for_viewer(request.user, slug, get_tenant(request).cbs_code)
    return budget_round, access.get_plan_for_viewer(request.user, budget_round, pk)


@login_required
@require_POST
def plan_support(request, slug, pk):
    _round, plan = _plan(request, slug, pk)
    try:
        if request.POST.get("action") == "withdraw":
            participation.withdraw_support(plan=plan, actor=request.user)
            messages.success(request, _("Your support has been withdrawn."))
        else:
            participation.support_plan(
                plan=plan, actor=request.user, origin=Origin.from_request(request)
            )
            messages.success(request, _("Thank you: you support this plan."))
    except BudgetError as exc:
        messages.error(request, exc.message)
    return redirect(plan.get_absolute_url() + "#support")


@login_required
def comment_add(request, slug, pk):
    """The comment form on its own page (the plan page posts here too)."""
    budget_round, plan = _plan(request, slug, pk)
    if not participation.can_comment(request.user, plan):
        raise PermissionDenied
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = participation.add_comment(
                plan=plan,
                actor=request.user,
                body=form.cleaned_data["body"],
                origin=Origin.from_request(request),
            )
        except BudgetError as exc:
            field = "body" if exc.code in ("empty", "too_long", "control") else None
            form.add_error(field, exc.message)
        else:
            messages.success(request, _("Your comment has been placed."))
            return redirect(plan.get_absolute_url() + f"#comment-{comment.pk}")
    return render(
        request,
        "budgets/comment_form.html",
        {"budget_round": budget_round, "plan": plan, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def comment_report(request, slug, pk, comment_pk):
    budget_round, plan = _plan(request, slug, pk)
    comment = get_object_or_404(PlanComment, plan=plan, pk=comment_pk, hidden_at__isnull=True)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participation.report_comment(
                comment=comment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                origin=Origin.from_request(request),
            )
        except BudgetError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Thank you. A moderator of the municipality will look at the comment.")
            )
            return redirect(plan.get_absolute_url() + f"#comment-{comment.pk}")
    return render(
        request,
        "budgets/comment_report.html",
        {"budget_round": budget_round, "plan": plan, "comment": comment, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def moderation(request, slug):
    budget_round = access.get_round_for_manager(request.user, slug, get_tenant(request).cbs_code)
    return render(
        request,
        "budgets/moderation.html",
        {"budget_round": budget_round, "comments": participation.moderation_queue(budget_round)},
    )


@login_required
@require_POST
def moderate_comment(request, slug, comment_pk):
    budget_round = access.get_round_for_manager(request.user, slug, get_tenant(request).cbs_code)
    comment = get_object_or_404(
        PlanComment.objects.select_related("plan"), plan__budget_round=budget_round, pk=comment_pk
    )
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == "hide":
                participation.hide_comment(
                    comment=comment,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    origin=Origin.from_request(request),
                )
                messages.success(request, _("The comment has been hidden."))
            else:
                participation.keep_comment(
                    comment=comment, actor=request.user, origin=Origin.from_request(request)
                )
                messages.success(request, _("The comment stays; the reports are closed."))
        except BudgetError as exc:
            messages.error(request, exc.message)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("budgets:moderation", slug=budget_round.slug)


urlpatterns = [
    path("<slug:slug>/moderatie/", moderation, name="moderation"),
    path("<slug:slug>/moderatie/<int:comment_pk>/", moderate_comment, name="moderate-comment"),
    path("<slug:slug>/plannen/<int:pk>/steun/", plan_support, name="plan-support"),
    path("<slug:slug>/plannen/<int:pk>/reageren/", comment_add, name="comment-add"),
    path(
        "<slug:slug>/plannen/<int:pk>/reacties/<int:comment_pk>/melden/",
        comment_report,
        name="comment-report",
    ),
]
