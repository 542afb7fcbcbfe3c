"""Pages of exchange meetings: the list, organising one, the meeting with registration,
cancelling and the report. Thin: access, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.initiatives.models import Initiative, Status, Theme
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id
from buurtbasis.platform.tenancy import get_tenant, tenants

from . import access, services
from .forms import MeetingForm, RegistrationForm, ReportWriteForm
from .ical import meeting_ics
from .models import Meeting, Registration, RegistrationStatus

#: Meetings on the list page (upcoming and past each).
LIST_ROWS = 30
#: Initiatives offered on the invitation list.
CANDIDATES = 200


def _code(request) -> str:
    return get_tenant(request).cbs_code


def meeting_list(request):
    code = _code(request)
    now = timezone.now()
    meetings = Meeting.objects.filter(municipality_code=code).select_related("organisation")
    return render(
        request,
        "exchange/meetings.html",
        {
            "upcoming": list(
                meetings.filter(starts_at__gte=now).order_by("starts_at", "pk")[:LIST_ROWS]
            ),
            "past": list(
                meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:LIST_ROWS]
            ),
            "can_organise": access.can_organise(request.user, code),
        },
    )


def _candidates(code: str, theme_id: int | None):
    """Initiatives that may be invited: visible and not ended, in the municipality, with
    the theme when one is chosen."""
    found = (
        Initiative.objects.in_municipality(code)
        .public()
        .exclude(status__in=[Status.ENDED, Status.HANDED_OVER])
    )
    if theme_id:
        found = found.filter(themes=theme_id)
    ids = list(found.order_by("name").values_list("pk", flat=True)[:CANDIDATES])
    return Initiative.objects.filter(pk__in=ids).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    code = _code(request)
    organisations = access.organising_organisations(request.user, code)
    if not organisations.exists():
        raise PermissionDenied
    known = {t.cbs_code: t for t in tenants()}
    where = request.GET.get("gemeente", code)
    if where not in known:
        where = code
    theme_id = parse_id(request.GET.get("thema"))
    themes = Theme.objects.order_by("name")
    form = MeetingForm(
        request.POST or None,
        organisations=organisations,
        themes=themes,
        candidates=_candidates(where, theme_id),
        initial={"themes": [theme_id] if theme_id else []},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                organisation=data["organisation"],
                municipality_code=code,
                title=data["title"],
                description=data["description"],
                themes=list(data["themes"]),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
                max_places=data["max_places"],
                open_to_all=data["open_to_all"],
                invited=list(data["invited"]),
                origin=Origin.from_request(request),
            )
        except services.ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting has been created and the invitations sent."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "exchange/meeting_form.html",
        {
            "form": form,
            "themes": themes,
            "theme_id": theme_id,
            "municipalities": sorted(known.values(), key=lambda t: t.name),
            "where": where,
        },
    )


def _meeting_or_404(pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("organisation"), pk=pk)


def _detail_context(request, meeting, *, form=None, report_form=None) -> dict:
    user = request.user
    manager = access.can_manage_meeting(user, meeting)
    mine = access.registrable_initiatives(user, meeting)
    registrations = list(
        meeting.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related(
            "initiative"
        )
    )
    mine_ids = {i.pk for i in mine}
    now = timezone.now()
    upcoming = meeting.starts_at > now and meeting.cancelled_at is None
    if form is None and upcoming and mine:
        form = RegistrationForm(
            initiatives=Initiative.objects.filter(pk__in=mine_ids).order_by("name")
        )
    return {
        "meeting": meeting,
        "themes": meeting.themes.all(),
        "invited": meeting.invited.order_by("name"),
        "manager": manager,
        "upcoming": upcoming,
        "show_link": manager or bool(mine),
        "registrations": registrations if manager else [],
        "my_registrations": [r for r in registrations if r.initiative_id in mine_ids],
        "taken": sum(r.people for r in registrations if r.status == RegistrationStatus.REGISTERED),
        "waiting": sum(1 for r in registrations if r.status == RegistrationStatus.WAITING),
        "form": form,
        "report_form": report_form,
        "may_report": manager and meeting.starts_at <= now and meeting.cancelled_at is None,
    }


def meeting_calendar(request, pk):
    """The meeting as an iCalendar file (no online link: that is for invited initiatives)."""
    meeting = _meeting_or_404(pk)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    response = HttpResponse(
        meeting_ics(meeting, url=url, host=request.get_host().split(":")[0]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="bijeenkomst-{meeting.pk}.ics"'
    return response


def meeting_detail(request, pk):
    meeting = _meeting_or_404(pk)
    return render(request, "exchange/meeting.html", _detail_context(request, meeting))


@login_required
@require_POST
def register(request, pk):
    meeting = _meeting_or_404(pk)
    mine = access.registrable_initiatives(request.user, meeting)
    if not mine:
        raise PermissionDenied
    form = RegistrationForm(
        request.POST,
        initiatives=Initiative.objects.filter(pk__in=[i.pk for i in mine]).order_by("name"),
    )
    if form.is_valid():
        try:
            registration = services.register(
                meeting=meeting,
                initiative=form.cleaned_data["initiative"],
                people=form.cleaned_data["people"],
                names=form.cleaned_data["names"],
                origin=Origin.from_request(request),
            )
        except services.ExchangeError as error:
            form.add_error(None, str(error))
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.warning(
                    request,
                    _(
                        "The meeting is full. You are on the waiting list; we tell you when "
                        "a place comes free."
                    ),
                )
            else:
                messages.success(request, _("You are registered for the meeting."))
            return redirect(meeting.get_absolute_url())
    return render(request, "exchange/meeting.html", _detail_context(request, meeting, form=form))


@login_required
@require_POST
def cancel_registration(request, pk, registration):
    meeting = _meeting_or_404(pk)
    found = get_object_or_404(
        Registration.objects.select_related("initiative"), pk=registration, meeting=meeting
    )
    if not access.is_initiator(request.user, found.initiative):
        raise PermissionDenied
    services.cancel_registration(registration=found, origin=Origin.from_request(request))
    messages.success(request, _("Your registration has been cancelled."))
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def cancel_meeting(request, pk):
    meeting = _meeting_or_404(pk)
    if not access.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    services.cancel_meeting(meeting=meeting, origin=Origin.from_request(request))
    messages.success(request, _("The meeting has been cancelled. Registered initiatives are told."))
    return redirect(meeting.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def write_report(request, pk):
    meeting = _meeting_or_404(pk)
    if not access.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    form = ReportWriteForm(
        request.POST or None,
        initial={"shared": meeting.report_shared, "lessons": meeting.report_lessons},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_report(
                meeting=meeting,
                shared=form.cleaned_data["shared"],
                lessons=form.cleaned_data["lessons"],
                origin=Origin.from_request(request),
            )
        except services.ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report has been published on the meeting's page."))
            return redirect(meeting.get_absolute_url())
    return render(request, "exchange/report_form.html", {"meeting": meeting, "form": form})
