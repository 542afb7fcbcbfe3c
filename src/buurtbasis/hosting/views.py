"""Pages of fiscal hosting. Thin: access checks, forms, and a call to a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtbasis.budgets.models import Plan
from buurtbasis.initiatives.access import can_view_initiative
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Organisation
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import get_tenant

from . import access, accountability, queries, services
from .forms import DonationForm, EndForm, OfferForm, RequestForm
from .models import (
    OPEN_STATES,
    AccountKind,
    AgreementState,
    Grant,
    HostingAgreement,
    LedgerEntry,
)


def _initiative(request, slug: str) -> Initiative:
    """The initiative in this municipality that the visitor may see, else 404."""
    initiative = get_object_or_404(
        Initiative.objects.in_municipality(get_tenant(request).cbs_code), slug=slug
    )
    if not can_view_initiative(request.user, initiative):
        raise Http404
    return initiative


def _error(request, form, error: services.HostingError) -> None:
    form.add_error(None, error.messages[0])


def _open_agreement(initiative):
    return (
        HostingAgreement.objects.filter(initiative=initiative, state__in=OPEN_STATES)
        .select_related("host", "treasurer")
        .first()
    )


@login_required
def initiative_page(request, slug):
    """The initiative's hosting: for its initiators and its host's staff only."""
    initiative = _initiative(request, slug)
    agreement = _open_agreement(initiative)
    is_initiator = access.is_initiator(request.user, initiative)
    is_staff = agreement is not None and access.is_host_staff(request.user, agreement.host_id)
    if not (is_initiator or is_staff):
        raise Http404
    form = None
    if is_initiator and agreement is None:
        form = RequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.request_hosting(
                    initiative=initiative,
                    host=form.cleaned_data["host"],
                    message=form.cleaned_data["message"],
                    origin=Origin.from_request(request),
                )
            except services.HostingError as error:
                _error(request, form, error)
            else:
                messages.success(request, _("Your request has been sent to the host."))
                return redirect("hosting:initiative", slug=initiative.slug)
    active = agreement is not None and agreement.state == AgreementState.ACTIVE
    is_officer = active and access.is_finance_officer(request.user, agreement.host_id)
    plans_without_grant = []
    if is_officer:
        plans_without_grant = list(
            Plan.objects.filter(
                initiative=initiative, funding__isnull=False, grant__isnull=True
            ).select_related("budget_round", "funding")
        )
    return render(
        request,
        "hosting/initiative.html",
        {
            "initiative": initiative,
            "agreement": agreement,
            "form": form,
            "is_initiator": is_initiator,
            "is_staff": is_staff,
            "is_officer": is_officer,
            "books": (
                queries.books(initiative, with_budget=True) if (agreement or is_initiator) else None
            ),
            "end_form": EndForm() if agreement else None,
            "plans_without_grant": plans_without_grant,
        },
    )


def _agreement_for(request, pk) -> HostingAgreement:
    agreement = get_object_or_404(
        HostingAgreement.objects.select_related("host", "initiative"), pk=pk
    )
    if not (
        access.is_host_staff(request.user, agreement.host_id)
        or access.is_initiator(request.user, agreement.initiative)
    ):
        raise Http404
    return agreement


@login_required
def offer(request, pk):
    agreement = _agreement_for(request, pk)
    if not access.is_coordinator(request.user, agreement.host_id):
        raise Http404
    form = OfferForm(request.POST or None, initial=OfferForm.initial_for(agreement))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.offer(
                agreement=agreement,
                start_date=data["start_date"],
                fee_basis_points=form.fee_basis_points(),
                approval_threshold_cents=data["approval_threshold"],
                approver_bands=form.bands(),
                required_receipts=data["required_receipts"],
                receipt_rule=data["receipt_rule"],
                receipt_from_cents=form.receipt_from_cents(),
                origin=Origin.from_request(request),
            )
        except services.HostingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("The offer has been sent to the initiative."))
            return redirect("hosting:host", slug=agreement.host.slug)
    return render(request, "hosting/offer.html", {"agreement": agreement, "form": form})


@login_required
@require_POST
def accept(request, pk):
    agreement = _agreement_for(request, pk)
    try:
        services.accept(agreement=agreement, origin=Origin.from_request(request))
    except services.HostingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The agreement is active. The host now keeps your books."))
    return redirect("hosting:initiative", slug=agreement.initiative.slug)


@login_required
def end(request, pk):
    agreement = _agreement_for(request, pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end(
                agreement=agreement,
                reason=form.cleaned_data["reason"],
                settle_to=form.cleaned_data["settle_to"],
                origin=Origin.from_request(request),
            )
        except services.HostingError as error:
            if error.code != "finance_needed":
                _error(request, form, error)
            else:
                return _ask_to_end(request, agreement, form)
        else:
            messages.success(request, _("The agreement has ended."))
            return redirect("hosting:initiative", slug=agreement.initiative.slug)
    return render(request, "hosting/end.html", {"agreement": agreement, "form": form})


def _ask_to_end(request, agreement, form):
    """Money is left and the visitor is no finance officer of the host: ask them."""
    try:
        services.ask_to_end(
            agreement=agreement,
            reason=form.cleaned_data["reason"],
            origin=Origin.from_request(request),
        )
    except services.HostingError as error:
        _error(request, form, error)
        return render(request, "hosting/end.html", {"agreement": agreement, "form": form})
    messages.success(
        request,
        _(
            "Money is left, so a finance officer of the host ends the agreement and books "
            "where the balance goes. We have sent them your request."
        ),
    )
    return redirect("hosting:initiative", slug=agreement.initiative.slug)


@login_required
def host_overview(request, slug):
    """Everything the host hosts, in every municipality; for its staff only."""
    host = get_object_or_404(Organisation, slug=slug)
    if not access.is_host_staff(request.user, host):
        raise Http404
    agreements = list(
        HostingAgreement.objects.filter(host=host)
        .exclude(state=AgreementState.ENDED)
        .select_related("initiative")
        .order_by("state", "initiative__name")
    )
    left = dict(
        LedgerEntry.objects.filter(account__host=host, account__kind=AccountKind.EARMARK)
        .values_list("account__initiative_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("account__initiative_id", "total")
        .order_by()
    )
    for agreement in agreements:
        agreement.left_cents = left.get(agreement.initiative_id, 0)
    return render(
        request,
        "hosting/host.html",
        {
            "host": host,
            "agreements": agreements,
            "total_left": sum(left.values()),
            "can_offer": access.is_coordinator(request.user, host),
            "overview": accountability.host_overview(host),
            "withdrawn_grants": Grant.objects.filter(
                host=host, withdrawn_at__isnull=False, to_resolve_cents__gt=0
            ).select_related("initiative"),
        },
    )


def _officer_initiative(request, slug):
    initiative = _initiative(request, slug)
    agreement = services.active_agreement(initiative)
    if agreement is None or not access.is_finance_officer(request.user, agreement.host_id):
        raise Http404
    return initiative, agreement


@login_required
def donation(request, slug):
    initiative, agreement = _officer_initiative(request, slug)
    form = DonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_donation(
                initiative=initiative,
                amount_cents=data["amount"],
                date=data["date"],
                description=data["description"],
                origin=Origin.from_request(request),
            )
        except services.HostingError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("The donation has been recorded."))
            return redirect("hosting:initiative", slug=initiative.slug)
    return render(request, "hosting/donation.html", {"initiative": initiative, "form": form})


@login_required
@require_POST
def grant_plan(request, slug, plan_pk):
    initiative, agreement = _officer_initiative(request, slug)
    plan = get_object_or_404(Plan, pk=plan_pk, initiative=initiative)
    try:
        grant = services.grant_from_plan(plan, Origin.from_request(request))
    except services.HostingError as error:
        messages.error(request, error.messages[0])
        return redirect("hosting:initiative", slug=initiative.slug)
    if grant is None:
        messages.error(request, _("This plan has not been funded."))
    else:
        messages.success(
            request, _("The grant has been recorded: %(label)s") % {"label": grant.label}
        )
    return redirect("hosting:initiative", slug=initiative.slug)


def public_ledger(request, slug):
    """Where the money went: public, without personal data, 50 lines a page."""
    initiative = _initiative(request, slug)
    if not initiative.hosting_agreements.exists():
        raise Http404
    page = Paginator(queries.public_ledger(initiative), 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "hosting/ledger.html",
        {"initiative": initiative, "page": page, "books": queries.books(initiative)},
    )
