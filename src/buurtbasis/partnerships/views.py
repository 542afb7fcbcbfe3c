"""Pages of partnerships. Thin: lookups in ``queries.py`` (scoped to the request's
municipality), access in ``access.py``, writes in ``services.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Organisation, OrganisationKind
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import get_tenant

from . import access, queries, results, services
from .forms import ActionForm, AgreementForm, ConfirmForm, PartnershipForm, PulseForm
from .models import Agreement, FollowUpAction, Partnership, PulseRound
from .pulse import ASPECTS

#: Partnerships a person may create in an hour, and actions they may assign.
CREATE_LIMIT = 10
ACTION_LIMIT = 30


def _viewable_or_403(request, pk):
    partnership = queries.partnership_or_404(request, pk)
    if not access.can_view(request.user, partnership):
        raise PermissionDenied
    return partnership


def _workable_or_403(request, pk):
    partnership = _viewable_or_403(request, pk)
    if not access.can_work_on(request.user, partnership):
        raise PermissionDenied
    return partnership


@login_required
def my_partnerships(request):
    code = get_tenant(request).cbs_code
    orgs = access.partner_organisation_ids(request.user)
    from django.db.models import Q

    mine = (
        Partnership.objects.filter(municipality_code=code)
        .filter(Q(initiative__members=request.user) | Q(sides__organisation_id__in=orgs))
        .select_related("initiative")
        .distinct()
        .order_by("title", "pk")
    )
    return render(
        request,
        "partnerships/mine.html",
        {
            "partnerships": list(mine),
            "civil_servant": access.is_civil_servant_of(request.user, code),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request, slug):
    code = get_tenant(request).cbs_code
    initiative = get_object_or_404(Initiative.objects.in_municipality(code), slug=slug)
    if not access.can_create_for(request.user, initiative):
        raise PermissionDenied
    organisations = (
        Organisation.objects.in_municipality(code)
        .exclude(kind__in=[OrganisationKind.RESIDENT_GROUP])
        .order_by("name")
    )
    form = PartnershipForm(
        request.POST or None,
        organisations=organisations,
        plans=initiative.budget_plans.order_by("title"),
        grants=initiative.grants.order_by("label"),
    )
    rate_limited = ""
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(
            "partnership-create", str(request.user.pk), limit=CREATE_LIMIT, window=3600
        ):
            rate_limited = _("You have done this many times in a short time. Try again later.")
        else:
            data = form.cleaned_data
            try:
                partnership = services.create_partnership(
                    initiative=initiative,
                    title=data["title"],
                    purpose=data["purpose"],
                    initiator_tasks=data["initiator_tasks"],
                    organisations=data["organisations"],
                    plans=data.get("plans") or (),
                    grants=data.get("grants") or (),
                    origin=Origin.from_request(request),
                )
            except services.PartnershipError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The partnership is made. The partners are asked to confirm.")
                )
                return redirect(partnership)
    return render(
        request,
        "partnerships/form.html",
        {"initiative": initiative, "form": form, "rate_limited": rate_limited},
    )


def _series_table(figures, sides, aspect):
    return [
        {
            "number": r.number,
            "opens_on": r.opens_on,
            "cells": [r.cells[s.pk][aspect.key] for s in sides],
        }
        for r in figures
    ]


def _editable_side(user, partnership, my_side):
    """The side whose "what we do" the user may change here (their own confirmed side)."""
    if my_side is not None and my_side.is_confirmed:
        return my_side
    if access.can_create_for(user, partnership.initiative):
        return next((s for s in partnership.sides.all() if s.is_initiators), None)
    return None


@login_required
def detail(request, pk):
    partnership = _viewable_or_403(request, pk)
    user = request.user
    sides = list(partnership.sides.all())
    my_side = access.side_of(user, partnership, sides)
    today = timezone.localdate()
    figures = queries.pulse_results(partnership, sides)
    rounds = list(partnership.pulse_rounds.order_by("number"))
    open_round = next((r for r in reversed(rounds) if r.is_open(today)), None)
    answered = bool(
        open_round and user.is_authenticated and open_round.answers.filter(person=user).exists()
    )
    can_work = access.can_work_on(user, partnership)
    people = services.participants(partnership, sides=sides) if can_work else []
    charts = [
        {
            "aspect": aspect,
            "chart": results.line_chart(figures, sides, aspect.key),
            "rows": _series_table(figures, sides, aspect),
        }
        for aspect in ASPECTS
    ]
    answered_rounds = [r for r in figures if r.answers]
    # "where they differ most": the latest round in which two sides can be compared
    gap, gap_round = None, None
    for r in reversed(answered_rounds):
        gap = results.largest_gap(r, sides)
        if gap is not None:
            gap_round = r
            break
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "sides": sides,
            "my_side": my_side,
            "can_work": can_work,
            "confirmable": [s for s in sides if not s.is_confirmed and access.can_confirm(user, s)],
            "editable_side": _editable_side(user, partnership, my_side),
            "agreements": list(partnership.agreements.select_related("side__organisation")),
            "actions": list(partnership.actions.select_related("owner")),
            "plans": list(partnership.plans.order_by("title")),
            "grants": list(partnership.grants.order_by("label")),
            "open_round": open_round,
            "answered": answered,
            "may_answer": access.can_answer(user, partnership, my_side),
            "figures": figures,
            "charts": charts,
            "idea_rounds": list(reversed(answered_rounds[-2:])),
            "gap": gap,
            "gap_round": gap_round,
            "min_answers": results.MIN_ANSWERS,
            "today": today,
            "agreement_form": AgreementForm(sides=partnership.sides.all()) if can_work else None,
            "action_form": ActionForm(people=people) if can_work else None,
            "confirm_form": ConfirmForm(),
        },
    )


@login_required
@require_POST
def confirm(request, pk, side_pk):
    partnership = queries.partnership_or_404(request, pk)
    side = get_object_or_404(partnership.sides, pk=side_pk)
    if not access.can_confirm(request.user, side):
        raise PermissionDenied
    form = ConfirmForm(request.POST)
    if form.is_valid():
        services.confirm_side(
            side=side, tasks=form.cleaned_data["tasks"], origin=Origin.from_request(request)
        )
        messages.success(request, _("Thank you: your organisation takes part."))
    else:
        messages.error(request, _("Say in a few words what your organisation does."))
    return redirect(partnership)


@login_required
@require_POST
def side_tasks(request, pk, side_pk):
    partnership = _viewable_or_403(request, pk)
    side = get_object_or_404(partnership.sides, pk=side_pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say in a few words what your organisation does."))
        return redirect(partnership)
    try:
        services.set_side_tasks(
            side=side, tasks=form.cleaned_data["tasks"], origin=Origin.from_request(request)
        )
    except services.PartnershipError as error:
        raise PermissionDenied(str(error)) from None
    messages.success(request, _("Saved."))
    return redirect(partnership)


@login_required
@require_POST
def add_agreement(request, pk):
    partnership = _workable_or_403(request, pk)
    form = AgreementForm(request.POST, sides=partnership.sides.all())
    if form.is_valid():
        services.add_agreement(
            partnership=partnership, origin=Origin.from_request(request), **form.cleaned_data
        )
        messages.success(request, _("The agreement is added."))
    else:
        messages.error(request, _("The agreement was not added: fill in what and who."))
    return redirect(partnership.get_absolute_url() + "#afspraken")


@login_required
@require_POST
def agreement_done(request, pk, item_pk):
    partnership = _workable_or_403(request, pk)
    agreement = get_object_or_404(Agreement, pk=item_pk, partnership=partnership)
    services.complete_agreement(agreement=agreement, origin=Origin.from_request(request))
    messages.success(request, _("The agreement is marked as done."))
    return redirect(partnership.get_absolute_url() + "#afspraken")


@login_required
@require_POST
def add_action(request, pk):
    partnership = _workable_or_403(request, pk)
    people = services.participants(partnership)
    form = ActionForm(request.POST, people=people)
    if not form.is_valid():
        messages.error(request, _("The action was not added: fill in what, who and before when."))
    elif not ratelimit.hit(
        "partnership-action", str(request.user.pk), limit=ACTION_LIMIT, window=3600
    ):
        messages.error(
            request, _("You have done this many times in a short time. Try again later.")
        )
    else:
        try:
            services.add_action(
                partnership=partnership, origin=Origin.from_request(request), **form.cleaned_data
            )
        except services.PartnershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The follow-up action is added."))
    return redirect(partnership.get_absolute_url() + "#acties")


@login_required
@require_POST
def action_done(request, pk, item_pk):
    partnership = _workable_or_403(request, pk)
    action = get_object_or_404(FollowUpAction, pk=item_pk, partnership=partnership)
    services.complete_action(action=action, origin=Origin.from_request(request))
    messages.success(request, _("The follow-up action is marked as done."))
    return redirect(partnership.get_absolute_url() + "#acties")


@login_required
@require_POST
def start_pulse(request, pk):
    partnership = _workable_or_403(request, pk)
    try:
        services.open_round(partnership=partnership, origin=Origin.from_request(request))
    except services.PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The pulse is open. Everyone in the partnership is told."))
    return redirect(partnership)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk, round_pk):
    partnership = _viewable_or_403(request, pk)
    pulse_round = get_object_or_404(PulseRound, pk=round_pk, partnership=partnership)
    side = access.side_of(request.user, partnership)
    if not access.can_answer(request.user, partnership, side):
        raise PermissionDenied
    if not pulse_round.is_open():
        messages.error(request, _("This pulse is closed."))
        return redirect(partnership)
    if pulse_round.answers.filter(person=request.user).exists():
        messages.info(request, _("You have answered this pulse already. Thank you!"))
        return redirect(partnership)
    form = PulseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_pulse(
                pulse_round=pulse_round,
                scores=form.scores(),
                open_text=form.cleaned_data["open_text"],
                show_name=form.cleaned_data["show_name"],
                origin=Origin.from_request(request),
            )
        except services.PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect(partnership.get_absolute_url() + "#resultaten")
    return render(
        request,
        "partnerships/answer.html",
        {"partnership": partnership, "pulse_round": pulse_round, "side": side, "form": form},
    )


@login_required
def municipality_overview(request):
    code = get_tenant(request).cbs_code
    if not access.is_civil_servant_of(request.user, code):
        raise PermissionDenied
    return render(
        request,
        "partnerships/overview.html",
        {**queries.overview(code), "threshold": results.DROP},
    )
