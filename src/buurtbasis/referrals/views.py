"""Pages of the social map and of making a referral, and the referrer's view of the loop.
Thin: access, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id
from buurtbasis.platform.tenancy import get_tenant

from . import access, queries, services
from .forms import ReferralForm, ServiceForm
from .models import Domain, Referral, Service, Status

PER_PAGE = 25
#: Referrals a person may send in an hour.
REFERRAL_LIMIT = 20


def _code(request) -> str:
    return get_tenant(request).cbs_code


def home(request):
    code = _code(request)
    user = request.user
    return render(
        request,
        "referrals/home.html",
        {
            "can_refer": access.can_refer(user, code),
            "is_professional": access.is_professional(user),
            "can_maintain": access.can_maintain_map(user, code),
            "block": queries.dashboard(user, code) if user.is_authenticated else None,
        },
    )


def social_map(request):
    code = _code(request)
    domain = request.GET.get("domein", "")
    if domain not in Domain.values:
        domain = ""
    wijken = list(queries.wijken(code))
    wijk_id = parse_id(request.GET.get("wijk"))
    wijk = next((w for w in wijken if w.pk == wijk_id), None)
    page = Paginator(queries.map_services(code, domain=domain, wijk=wijk), PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "referrals/map.html",
        {
            "page": page,
            "domains": Domain.choices,
            "domain": domain,
            "wijken": wijken,
            "wijk": wijk,
            "can_refer": access.can_refer(request.user, code),
            "can_maintain": access.can_maintain_map(request.user, code),
        },
    )


def service_detail(request, pk):
    code = _code(request)
    service = get_object_or_404(
        Service.objects.in_municipality(code).select_related("organisation"), pk=pk
    )
    user = request.user
    referrer = access.can_refer(user, code)
    receives = referrer and services.receives_referrals(service)
    return render(
        request,
        "referrals/service.html",
        {
            "service": service,
            "areas": list(service.areas.order_by("code")),
            "for_professionals": access.sees_professional_contact(user, code),
            "can_refer": service.active and receives and referrer,
            "no_receiver": service.active and referrer and not receives,
            "can_edit": access.maintainable_organisations(user, code)
            .filter(pk=service.organisation_id)
            .exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_form(request, pk=None):
    code = _code(request)
    organisations = access.maintainable_organisations(request.user, code)
    if not organisations.exists():
        raise PermissionDenied
    service = None
    initial = {}
    if pk is not None:
        service = get_object_or_404(Service.objects.in_municipality(code), pk=pk)
        if not organisations.filter(pk=service.organisation_id).exists():
            raise PermissionDenied
        initial = {
            "organisation": service.organisation,
            "name": service.name,
            "domain": service.domain,
            "description": service.description,
            "areas": list(service.areas.all()),
            "professional_contact": service.professional_contact,
            "how_to_refer": service.how_to_refer,
            "first_contact_days": service.first_contact_days,
            "active": service.active,
        }
    form = ServiceForm(
        request.POST or None,
        organisations=organisations.order_by("name"),
        areas=queries.wijken(code),
        initial=initial or None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service = services.save_service(
                code=code,
                service=service,
                organisation=data["organisation"],
                name=data["name"],
                domain=data["domain"],
                description=data["description"],
                areas=data["areas"],
                professional_contact=data["professional_contact"],
                how_to_refer=data["how_to_refer"],
                first_contact_days=data["first_contact_days"],
                active=data["active"],
                origin=Origin.from_request(request),
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The service is saved."))
            return redirect("referrals:service", pk=service.pk)
    return render(request, "referrals/service_form.html", {"form": form, "service": service})


@login_required
@require_http_methods(["GET", "POST"])
def refer(request, pk):
    code = _code(request)
    if not access.can_refer(request.user, code):
        raise PermissionDenied
    service = get_object_or_404(
        Service.objects.in_municipality(code).active().select_related("organisation"), pk=pk
    )
    if not services.receives_referrals(service):
        messages.error(request, services.no_receiver_message())
        return redirect("referrals:service", pk=service.pk)
    form = ReferralForm(
        request.POST or None, professionals=services.professionals_of(service.organisation)
    )
    rate_limited = ""
    warning = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warning = services.diagnosis_words(data["reason"])
        try:
            services.refuse_bsn(data["reason"])
        except services.ReferralError as error:
            form.add_error("reason", str(error))
            warning = []
        if form.errors:
            pass
        elif warning and not data["confirm_words"]:
            form.add_error(
                "reason",
                _(
                    "The reason mentions “%(words)s”. Leave out diagnoses and medical "
                    "details; tick the box below if the words are needed."
                )
                % {"words": ", ".join(warning)},
            )
        elif not ratelimit.hit(
            "referrals-refer", str(request.user.pk), limit=REFERRAL_LIMIT, window=3600
        ):
            rate_limited = _("You have sent many referrals in a short time. Try again later.")
        else:
            try:
                referral = services.make_referral(
                    service=service,
                    person_name=data["person_name"],
                    contact=data["contact"],
                    reason=data["reason"],
                    shared=data["shared"],
                    consent_until=data["consent_until"],
                    consent_method=data["consent_method"],
                    report_back=data["report_back"],
                    professional=data["professional"],
                    origin=Origin.from_request(request),
                )
            except services.ReferralError as error:
                field = {
                    "bsn": "reason",
                    "contact": "contact",
                    "until": "consent_until",
                    "consent": "shared",
                    "professional": "professional",
                }.get(error.code)
                form.add_error(field, str(error))
            else:
                messages.success(
                    request,
                    _("The referral has been sent. You will see the steps here."),
                )
                return redirect("referrals:mine-detail", pk=referral.pk)
    return render(
        request,
        "referrals/refer.html",
        {
            "form": form,
            "service": service,
            "rate_limited": rate_limited,
            "ask_confirm": bool(warning),
        },
    )


@login_required
def mine(request):
    code = _code(request)
    referrals = queries.made_by(request.user, code)
    page = Paginator(referrals, PER_PAGE).get_page(request.GET.get("pagina"))
    rows = [
        {
            "referral": r,
            "status": Status(services.referrer_status(r)).label,
            "overdue": r.report_back == "status" and r.is_overdue(timezone.localdate()),
        }
        for r in page.object_list
    ]
    return render(
        request,
        "referrals/mine.html",
        {"page": page, "rows": rows, "can_refer": access.can_refer(request.user, code)},
    )


@login_required
def mine_detail(request, pk):
    """The referrer's view: the service and the status steps the person agreed to. Never
    the person's details after sending, never the case notes."""
    referral = get_object_or_404(
        Referral.objects.in_municipality(_code(request)).select_related("service", "organisation"),
        pk=pk,
    )
    if not access.is_referrer_of(request.user, referral):
        raise PermissionDenied
    return render(
        request,
        "referrals/mine_detail.html",
        {
            "referral": referral,
            "steps": services.referrer_steps(referral),
            "status": Status(services.referrer_status(referral)).label,
            "reports_back": referral.report_back == "status",
            "overdue": referral.report_back == "status"
            and referral.is_overdue(timezone.localdate()),
        },
    )
