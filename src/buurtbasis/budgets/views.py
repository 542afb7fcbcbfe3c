"""Thin views: access check, form, one service call, response."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from buurtbasis.platform.blocks import blocks_for
from buurtbasis.platform.tenancy import get_tenant

from . import access, services
from .forms import (
    AssessmentForm,
    CostLineFormSet,
    MergeForm,
    PlanForm,
    ProgressForm,
    RoundForm,
    cost_line_initial,
)
from .maps import plan_point_map
from .models import (
    PHASE_ORDER,
    BudgetRound,
    CountStatus,
    FundedPlan,
    Outcome,
    PhaseKind,
    Plan,
    PlanStatus,
    ProgressUpdate,
)
from .services import BudgetError


def _plans_with_relations(qs):
    return qs.select_related("area", "initiative", "partner_organisation", "merged_into")


def _phase_timeline(budget_round: BudgetRound) -> list[dict]:
    phases = {p.kind: p for p in budget_round.phases.all()}
    current = budget_round.phase_index()
    return [
        {
            "kind": kind,
            "label": PhaseKind(kind).label,
            "phase": phases.get(kind),
            "state": "done" if i < current else ("current" if i == current else "todo"),
        }
        for i, kind in enumerate(PHASE_ORDER)
    ]


def _ballot_url(budget_round: BudgetRound) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in ("ballots:start",):
        try:
            return reverse(name, kwargs={"slug": budget_round.slug})
        except NoReverseMatch:
            continue
    return None


# -- public ------------------------------------------------------------------------------------


def _code(request) -> str:
    """The CBS code of the municipality this request is about (platform.tenancy)."""
    return get_tenant(request).cbs_code


def round_list(request):
    managed = [o.pk for o in access.municipalities_managed_by(request.user)]
    visible = Q(is_public=True)
    if access.is_platform_admin(request.user):
        visible = Q()
    elif managed:
        visible |= Q(organisation_id__in=managed)
    rounds = (
        BudgetRound.objects.filter(visible)
        .in_municipality(_code(request))
        .select_related("organisation")
        .prefetch_related("areas")
        .annotate(n_plans=Count("plans", filter=~Q(plans__status__in=["draft", "withdrawn"])))
        .order_by("-created_at")
    )
    return render(
        request,
        "budgets/round_list.html",
        {"rounds": rounds, "can_create": access.can_create_round(request.user, _code(request))},
    )


def round_detail(request, slug):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plans = _plans_with_relations(budget_round.plans.public()).order_by("title")
    status = request.GET.get("status")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    is_manager = access.can_manage_round(request.user, budget_round)
    context = {
        "budget_round": budget_round,
        "timeline": _phase_timeline(budget_round),
        "plans": plans,
        "areas": budget_round.areas.all(),
        "is_manager": is_manager,
        "can_submit": access.can_submit_plan(request.user, budget_round),
        "submission_open": access.is_submission_open(budget_round),
        "deadline": access.submission_deadline(budget_round),
        "ballot_url": _ballot_url(budget_round) if budget_round.is_voting_open() else None,
        "next_phase": services.next_phase(budget_round.phase),
        "close_blockers": services.voting_close_blockers(budget_round)
        if is_manager and budget_round.is_voting_open()
        else [],
        "phase_changes": budget_round.phase_changes.select_related("changed_by")
        if is_manager
        else None,
        **(
            _count_context(request, budget_round, on="detail") if budget_round.has_results() else {}
        ),
        "status_filter": status,
        "status_choices": [
            (s, label) for s, label in PlanStatus.choices if s not in ("draft", "withdrawn")
        ],
    }
    return render(request, "budgets/round_detail.html", context)


def plan_detail(request, slug, pk):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plan = access.get_plan_for_viewer(request.user, budget_round, pk)
    funding = FundedPlan.objects.filter(plan=plan).first()
    updates = (
        ProgressUpdate.objects.filter(funded_plan=funding).order_by("happened_on", "pk")
        if funding
        else []
    )
    is_manager = access.can_manage_round(request.user, budget_round)
    context = {
        "budget_round": budget_round,
        "plan": plan,
        "cost_lines": plan.cost_lines.all(),
        "assessments": plan.assessments.select_related("merged_into").all(),
        "merged_plans": plan.merged_plans.all(),
        "funding": funding,
        "updates": updates,
        "is_owner": access.is_plan_owner(request.user, plan),
        "can_edit": access.can_edit_plan(request.user, plan),
        "is_manager": is_manager,
        "can_post_update": funding is not None
        and (is_manager or access.is_plan_owner(request.user, plan)),
        "n_versions": plan.versions.count(),
        "point_map": plan_point_map(plan),
        "blocks": blocks_for("plan", request, plan=plan),  # e.g. hosting: received/spent/left
    }
    return render(request, "budgets/plan_detail.html", context)


def plan_history(request, slug, pk):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plan = access.get_plan_for_viewer(request.user, budget_round, pk)
    return render(
        request,
        "budgets/plan_history.html",
        {
            "budget_round": budget_round,
            "plan": plan,
            "versions": plan.versions.select_related("created_by").order_by("-number"),
            "assessments": plan.assessments.all(),
        },
    )


def _serve_photo(field_file):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


def plan_photo(request, slug, pk):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plan = access.get_plan_for_viewer(request.user, budget_round, pk)
    return _serve_photo(plan.photo)


def progress_photo(request, slug, pk, update_pk):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plan = access.get_plan_for_viewer(request.user, budget_round, pk)
    update = get_object_or_404(ProgressUpdate, pk=update_pk, funded_plan__plan=plan)
    return _serve_photo(update.photo)


def round_results(request, slug):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    outcome = Outcome.objects.filter(budget_round=budget_round).first()
    count = _count_context(request, budget_round, on="results")
    if not budget_round.has_results() or outcome is None:
        return render(
            request,
            "budgets/results_pending.html",
            {**count, "budget_round": budget_round},
            status=200,
        )
    from .results import results_context

    context = {**count, **results_context(budget_round, outcome)}
    context["is_manager"] = access.can_manage_round(request.user, budget_round)
    return render(request, "budgets/round_results.html", context)


def round_pabulib(request, slug):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    outcome = Outcome.objects.filter(budget_round=budget_round).first()
    if outcome is None or not budget_round.has_results():
        raise Http404
    response = HttpResponse(
        outcome.pabulib_text.encode("utf-8"), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{services.pabulib_filename(budget_round)}"'
    )
    response["X-Content-SHA256"] = outcome.pabulib_sha256
    return response


@login_required
def my_plans(request):
    plans = (
        Plan.objects.filter(Q(submitted_by=request.user) | Q(initiative__members=request.user))
        .filter(budget_round__in=BudgetRound.objects.in_municipality(_code(request)).values("pk"))
        .distinct()
        .select_related("budget_round", "merged_into", "initiative")
        .order_by("-updated_at")
    )
    return render(request, "budgets/my_plans.html", {"plans": plans})


# -- plans: submit and edit ----------------------------------------------------------------------


def _plan_form_page(request, *, budget_round, plan=None):
    initial = PlanForm.initial_from(plan) if plan else None
    if request.method == "POST":
        form = PlanForm(request.POST, request.FILES, budget_round=budget_round, user=request.user)
        formset = CostLineFormSet(request.POST, prefix="costs")
        if "check" in request.POST:
            # "check and compute the total": validate, show the total and two fresh lines
            form.is_valid()
            if formset.is_valid():
                lines = formset.lines()
                total = sum(amount for _desc, amount in lines)
                formset = CostLineFormSet(
                    prefix="costs",
                    initial=[{"description": d, "amount": a} for d, a in lines],
                )
                return _render_plan_form(request, budget_round, plan, form, formset, total)
        elif form.is_valid() and formset.is_valid():
            data = form.to_data(formset.lines())
            try:
                if plan is None:
                    plan = services.submit_plan(
                        budget_round=budget_round, author=request.user, data=data
                    )
                    messages.success(
                        request,
                        _(
                            "Thank you! Your plan has been submitted. "
                            "You can change it until the deadline."
                        ),
                    )
                else:
                    plan = services.update_plan(plan=plan, editor=request.user, data=data)
                    messages.success(request, _("Your changes have been saved."))
            except BudgetError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect(plan.get_absolute_url())
    else:
        form = PlanForm(initial=initial, budget_round=budget_round, user=request.user)
        formset = CostLineFormSet(prefix="costs", initial=cost_line_initial(plan) if plan else None)
    total = formset.total_cents() if formset.is_bound and formset.is_valid() else None
    if total is None and plan is not None and not formset.is_bound:
        total = plan.submitted_cost_cents
    return _render_plan_form(request, budget_round, plan, form, formset, total)


def _render_plan_form(request, budget_round, plan, form, formset, total):
    return render(
        request,
        "budgets/plan_form.html",
        {
            "budget_round": budget_round,
            "plan": plan,
            "form": form,
            "formset": formset,
            "total_cents": total,
            "deadline": access.submission_deadline(budget_round),
        },
    )


@login_required
def plan_create(request, slug):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    if not access.can_submit_plan(request.user, budget_round):
        messages.error(request, _("Plans can no longer be submitted in this round."))
        return redirect(budget_round.get_absolute_url())
    return _plan_form_page(request, budget_round=budget_round)


@login_required
def plan_edit(request, slug, pk):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plan = access.get_plan_for_viewer(request.user, budget_round, pk)
    if not access.is_plan_owner(request.user, plan):
        raise PermissionDenied
    if not access.can_edit_plan(request.user, plan):
        messages.error(
            request, _("This plan can no longer be changed: the submission deadline has passed.")
        )
        return redirect(plan.get_absolute_url())
    return _plan_form_page(request, budget_round=budget_round, plan=plan)


@login_required
@require_POST
def plan_withdraw(request, slug, pk):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plan = access.get_plan_for_viewer(request.user, budget_round, pk)
    if not access.is_plan_owner(request.user, plan):
        raise PermissionDenied
    try:
        services.withdraw_plan(plan=plan, actor=request.user)
    except BudgetError as exc:
        messages.error(request, exc.message)
        return redirect(plan.get_absolute_url())
    messages.success(request, _("Your plan has been withdrawn."))
    return redirect("budgets:my-plans")


# -- civil servants: rounds and phases ----------------------------------------------------------


@login_required
def round_create(request):
    if not access.can_create_round(request.user, _code(request)):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user, municipality=_code(request))
    if request.method == "POST" and form.is_valid():
        try:
            budget_round = services.create_round(data=form.to_data(), actor=request.user)
        except BudgetError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The round has been created."))
            return redirect(budget_round.get_absolute_url())
    return render(request, "budgets/round_form.html", {"form": form, "budget_round": None})


@login_required
def round_edit(request, slug):
    budget_round = access.get_round_for_manager(request.user, slug, _code(request))
    form = RoundForm(
        request.POST or None, user=request.user, instance=budget_round, municipality=_code(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(
                budget_round=budget_round, data=form.to_data(), actor=request.user
            )
        except BudgetError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect(budget_round.get_absolute_url())
    return render(request, "budgets/round_form.html", {"form": form, "budget_round": budget_round})


@login_required
@require_POST
def round_advance(request, slug):
    budget_round = access.get_round_for_manager(request.user, slug, _code(request))
    try:
        budget_round = services.advance_phase(
            budget_round=budget_round,
            actor=request.user,
            to_phase=request.POST.get("to_phase") or None,
        )
    except BudgetError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The round is now in the phase: %(phase)s.")
            % {"phase": budget_round.get_phase_display()},
        )
    return redirect(budget_round.get_absolute_url())


@login_required
@require_POST
def round_recount(request, slug):
    """Compute the outcome again, or retry a failed count: both go to the background."""
    budget_round = access.get_round_for_manager(request.user, slug, _code(request))
    reason = "retry" if budget_round.count_status == CountStatus.FAILED else "recount"
    try:
        services.request_count(budget_round=budget_round, actor=request.user, reason=reason)
    except BudgetError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The outcome is being computed. This page shows when it is ready.")
        )
    return redirect("budgets:round-results", slug=budget_round.slug)


def _count_context(request, budget_round: BudgetRound, *, on: str) -> dict:
    """What the count status partial needs; ``on`` is the page it sits on (for its links)."""
    is_manager = access.can_manage_round(request.user, budget_round)
    status = budget_round.count_status
    stuck = budget_round.count_is_stuck()
    counting = budget_round.is_counting()
    page = "budgets:round-detail" if on == "detail" else "budgets:round-results"
    return {
        "budget_round": budget_round,
        "count_status": status,
        "count_state": f"{status}-{int(stuck)}",
        "count_polling": counting,
        "count_stuck": stuck,
        "count_on": "detail" if on == "detail" else "results",
        "count_page_url": reverse(page, kwargs={"slug": budget_round.slug}),
        "count_is_manager": is_manager,
    }


@never_cache
def round_count_status(request, slug):
    """The small status block of a count; htmx asks for it every few seconds while it runs.

    With ``seen`` equal to the current state nothing changed: 204 (htmx keeps the block).
    """
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    context = _count_context(request, budget_round, on=request.GET.get("on", "results"))
    context["count_polled"] = True
    if request.GET.get("seen") == context["count_state"] and context["count_polling"]:
        return HttpResponse(status=204)
    return render(request, "budgets/_count_status.html", context)


# -- civil servants: assessment ------------------------------------------------------------------


@login_required
def assessment(request, slug):
    budget_round = access.get_round_for_manager(request.user, slug, _code(request))
    plans = (
        _plans_with_relations(budget_round.plans.exclude(status=PlanStatus.DRAFT))
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("cost_lines"),
        )
        .order_by("status", "title")
    )
    counts = dict(budget_round.plans.values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "budgets/assessment.html",
        {
            "budget_round": budget_round,
            "plans": plans,
            "counts": counts,
            "open": budget_round.phase in services.ASSESSABLE_PHASES,
        },
    )


@login_required
def plan_assess(request, slug, pk):
    budget_round = access.get_round_for_manager(request.user, slug, _code(request))
    plan = get_object_or_404(
        Plan.objects.select_related("area", "submitted_by", "initiative", "partner_organisation"),
        budget_round=budget_round,
        pk=pk,
    )
    form = AssessmentForm(request.POST or None, plan=plan)
    merge_form = MergeForm(plan=plan)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.assess_plan(
                plan=plan,
                assessor=request.user,
                feasible=c["decision"] == PlanStatus.FEASIBLE,
                public_reason=c.get("public_reason", ""),
                cost_cents=c["cost"],
                cost_explanation=c.get("cost_explanation", ""),
            )
        except BudgetError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("“%(title)s” has been assessed. The submitter gets an e-mail.")
                % {"title": plan.title},
            )
            return redirect("budgets:assessment", slug=budget_round.slug)
    return render(
        request,
        "budgets/plan_assess.html",
        {
            "budget_round": budget_round,
            "plan": plan,
            "form": form,
            "merge_form": merge_form,
            "cost_lines": plan.cost_lines.all(),
            "assessments": plan.assessments.select_related("assessor", "merged_into"),
            "open": budget_round.phase in services.ASSESSABLE_PHASES,
        },
    )


@login_required
@require_POST
def plan_merge(request, slug, pk):
    budget_round = access.get_round_for_manager(request.user, slug, _code(request))
    plan = get_object_or_404(Plan, budget_round=budget_round, pk=pk)
    form = MergeForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.merge_plans(
                duplicate=plan,
                keep=form.cleaned_data["keep"],
                assessor=request.user,
                public_reason=form.cleaned_data.get("public_reason", ""),
            )
        except BudgetError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("“%(title)s” has been merged into “%(keep)s”.")
                % {"title": plan.title, "keep": form.cleaned_data["keep"].title},
            )
            return redirect("budgets:assessment", slug=budget_round.slug)
    else:
        messages.error(request, _("Choose the plan to keep."))
    return redirect("budgets:plan-assess", slug=budget_round.slug, pk=plan.pk)


# -- execution ---------------------------------------------------------------------------------


@login_required
def progress_add(request, slug, pk):
    budget_round = access.get_round_for_viewer(request.user, slug, _code(request))
    plan = access.get_plan_for_viewer(request.user, budget_round, pk)
    funding = get_object_or_404(FundedPlan, plan=plan)
    if not (
        access.can_manage_round(request.user, budget_round)
        or access.is_plan_owner(request.user, plan)
    ):
        raise PermissionDenied
    form = ProgressForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": funding.status, "happened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.add_progress_update(
                funded_plan=funding,
                author=request.user,
                happened_on=c["happened_on"],
                text=c["text"],
                status=c["status"],
                photo=c.get("photo") or None,
                photo_alt=c.get("photo_alt", ""),
            )
        except BudgetError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The update has been published."))
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "budgets/progress_form.html",
        {"budget_round": budget_round, "plan": plan, "funding": funding, "form": form},
    )
