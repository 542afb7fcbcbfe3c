"""Pages of the initiatives fund. Thin: tenant scope, access, form, and a call to a service.

Everything is scoped to the municipality of the request: a fund or an application of
another municipality is a 404, also for its own civil servants.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.ratelimit import hit
from buurtbasis.platform.tenancy import get_tenant

from . import access
from . import fund as funds
from .downloads import private_file
from .forms_fund import AnswerForm, ApplicationForm, DecisionForm, FundForm
from .models import AgreementState, HostingAgreement
from .models_fund import ApplicationState, FundApplication, InitiativesFund
from .services import HostingError

#: Applications one person may send in an hour.
APPLY_LIMIT = 10
PAGE_SIZE = 50


def _code(request) -> str:
    return get_tenant(request).cbs_code


def _fund(request, pk) -> InitiativesFund:
    return get_object_or_404(funds.funds_in(_code(request)), pk=pk)


def _manage(request) -> None:
    if not funds.may_manage(request.user, _code(request)):
        raise Http404


def _error(form, error: HostingError) -> None:
    form.add_error(None, error.messages[0])


def fund_list(request):
    """The municipality's funds (public)."""
    code = _code(request)
    return render(
        request,
        "hosting/fund/list.html",
        {
            "funds": list(funds.funds_in(code).order_by("-year", "name")[:20]),
            "can_manage": funds.may_manage(request.user, code),
            "today": timezone.localdate(),
        },
    )


def fund_page(request, pk):
    """What the fund pays for, what is left, and how to apply (public)."""
    fund = _fund(request, pk)
    user = request.user
    mine = []
    applications = []
    if user.is_authenticated:
        hosted = HostingAgreement.objects.filter(
            initiative=OuterRef("pk"), state=AgreementState.ACTIVE
        )
        mine = list(
            Initiative.objects.in_municipality(fund.cbs_code)
            .filter(members=user)
            .annotate(hosted=Exists(hosted))
            .order_by("name")[:20]
        )
        applications = list(
            fund.applications.filter(initiative__members=user)
            .select_related("initiative")
            .order_by("-submitted_at")[:20]
        )
    return render(
        request,
        "hosting/fund/fund.html",
        {
            "fund": fund,
            "left": funds.remaining(fund),
            "is_open": fund.is_open_on(timezone.localdate()),
            "mine": mine,
            "applications": applications,
            "can_manage": funds.may_manage(user, fund.cbs_code),
        },
    )


@login_required
def fund_edit(request, pk=None):
    """Set up a fund for a year, or change one: civil servants of the municipality only."""
    _manage(request)
    fund = _fund(request, pk) if pk is not None else None
    initial = {}
    if fund is not None:
        initial = {
            "name": fund.name,
            "description": fund.description,
            "budget": fund.budget_cents,
            "max_per_application": fund.max_per_application_cents,
            "opens_on": fund.opens_on,
            "closes_on": fund.closes_on,
        }
    else:
        today = timezone.localdate()
        initial = {
            "year": today.year,
            "opens_on": today,
            "closes_on": today.replace(month=12, day=31),
        }
    form = FundForm(request.POST or None, initial=initial, editing=fund is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {
            "name": data["name"],
            "description": data["description"],
            "budget_cents": data["budget"],
            "max_per_application_cents": data["max_per_application"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "origin": Origin.from_request(request),
        }
        try:
            if fund is None:
                fund = funds.create_fund(cbs_code=_code(request), year=data["year"], **values)
            else:
                fund = funds.change_fund(fund=fund, **values)
        except HostingError as error:
            _error(form, error)
        else:
            messages.success(request, _("The fund has been saved."))
            return redirect("hosting:fund", pk=fund.pk)
    return render(request, "hosting/fund/edit.html", {"fund": fund, "form": form})


@login_required
def fund_applications(request, pk):
    """The civil servant's list of applications, by state."""
    _manage(request)
    fund = _fund(request, pk)
    state = request.GET.get("status", "")
    applications = fund.applications.select_related("initiative").order_by("-submitted_at", "-pk")
    if state in ApplicationState.values:
        applications = applications.filter(state=state)
    else:
        state = ""
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "hosting/fund/applications.html",
        {
            "fund": fund,
            "page": page,
            "state": state,
            "states": ApplicationState.choices,
            "left": funds.remaining(fund),
        },
    )


@login_required
def apply(request, pk, slug):
    """The light application: for an initiator of a hosted initiative in this municipality."""
    fund = _fund(request, pk)
    initiative = get_object_or_404(Initiative.objects.in_municipality(fund.cbs_code), slug=slug)
    if not access.is_initiator(request.user, initiative):
        raise Http404
    allowed, why = funds.can_apply(request.user, initiative, fund)
    if not allowed:
        return render(
            request,
            "hosting/fund/cannot_apply.html",
            {"fund": fund, "initiative": initiative, "why": why},
        )
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if not hit("hosting-fund-apply", str(request.user.pk), limit=APPLY_LIMIT, window=3600):
            form.add_error(
                None, _("You have sent many applications in a short time. Please try again later.")
            )
        else:
            data = form.cleaned_data
            try:
                application = funds.apply(
                    fund=fund,
                    initiative=initiative,
                    what=data["what"],
                    for_whom=data["for_whom"],
                    when=data["when"],
                    amount_cents=data["amount"],
                    cost_lines=form.cost_lines(),
                    attachment=data["attachment"],
                    origin=Origin.from_request(request),
                )
            except HostingError as error:
                _error(form, error)
            else:
                messages.success(
                    request, _("Your application has been sent. You will hear from us.")
                )
                return redirect("hosting:fund-application", pk=application.pk)
    return render(
        request,
        "hosting/fund/apply.html",
        {"fund": fund, "initiative": initiative, "form": form},
    )


def _application(request, pk) -> tuple[FundApplication, bool, bool]:
    """The application in this municipality, for its initiators and the civil servants."""
    application = get_object_or_404(
        FundApplication.objects.select_related("fund", "initiative", "grant", "decided_by"),
        pk=pk,
        fund__cbs_code=_code(request),
    )
    is_initiator = access.is_initiator(request.user, application.initiative)
    is_servant = funds.may_manage(request.user, application.fund.cbs_code)
    if not (is_initiator or is_servant):
        raise Http404
    return application, is_initiator, is_servant


@login_required
def application_page(request, pk):
    """The application; the decision form for a civil servant, the answer form for the applicant."""
    application, is_initiator, is_servant = _application(request, pk)
    can_decide = is_servant and not is_initiator and application.state == ApplicationState.SUBMITTED
    can_answer = is_initiator and application.state == ApplicationState.QUESTION
    decision_form = DecisionForm(request.POST or None) if can_decide else None
    answer_form = AnswerForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        form = decision_form or answer_form
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            origin = Origin.from_request(request)
            try:
                if form is decision_form:
                    funds.decide(
                        application=application,
                        decision=data["decision"],
                        amount_cents=data["amount"],
                        reason=data["reason"],
                        origin=origin,
                    )
                    done = _("The decision has been saved and the initiative has been told.")
                else:
                    funds.answer(application=application, answer=data["answer"], origin=origin)
                    done = _("Your answer has been sent.")
            except HostingError as error:
                _error(form, error)
            else:
                messages.success(request, done)
                return redirect("hosting:fund-application", pk=application.pk)
    return render(
        request,
        "hosting/fund/application.html",
        {
            "application": application,
            "fund": application.fund,
            "is_initiator": is_initiator,
            "is_servant": is_servant,
            "own": is_servant and is_initiator,
            "left": funds.remaining(application.fund) if is_servant else None,
            "decision_form": decision_form,
            "answer_form": answer_form,
        },
    )


@login_required
def attachment(request, pk):
    """The attachment, for the initiative's members and the civil servants; never cached."""
    application, _initiator, _servant = _application(request, pk)
    if not application.attachment:
        raise Http404
    return private_file(application.attachment, application.attachment_type)


def dashboard_block(request, **objects):
    """My dashboard, for a civil servant of this municipality: applications waiting."""
    if not request.user.is_authenticated:
        return None
    code = _code(request)
    if not funds.may_manage(request.user, code):
        return None
    return {"funds": funds.waiting_counts(code), "all_url": "hosting:funds"}


urlpatterns = [
    path("fonds/", fund_list, name="funds"),
    path("fonds/nieuw/", fund_edit, name="fund-new"),
    path("fonds/<int:pk>/", fund_page, name="fund"),
    path("fonds/<int:pk>/bewerken/", fund_edit, name="fund-edit"),
    path("fonds/<int:pk>/aanvragen/", fund_applications, name="fund-applications"),
    path("fonds/<int:pk>/aanvraag-doen/<slug:slug>/", apply, name="fund-apply"),
    path("fonds/aanvraag/<int:pk>/", application_page, name="fund-application"),
    path("fonds/aanvraag/<int:pk>/bijlage/", attachment, name="fund-attachment"),
]
