"""Pages of the rooms app: browse, a room's week, request, answer, cancel, manage, feeds.

Thin: rooms are looked up in the request's municipality (404 elsewhere), access is
``access.py``, writes are ``services.py``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Organisation
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id

from . import access, ical, queries, services
from .forms import BlackoutForm, BrowseForm, ReasonForm, RequestForm, RoomForm, WindowForm
from .models import Booking, BookingStatus, InitiativeCalendar, Room

#: Rooms on one browse page (the list is bounded; filters narrow it).
BROWSE_LIMIT = 100


def _code(request) -> str:
    return request.tenant.cbs_code


def _room_or_404(request, pk) -> Room:
    return get_object_or_404(
        Room.objects.in_municipality(_code(request)).select_related("organisation", "area"),
        pk=pk,
    )


def _booking_or_404(request, pk) -> Booking:
    return get_object_or_404(
        Booking.objects.filter(
            room__in=Room.objects.in_municipality(_code(request))
        ).select_related("room", "room__organisation", "room__area", "initiative"),
        pk=pk,
    )


def browse(request):
    code = _code(request)
    form = BrowseForm(request.GET or None, code=code)
    rooms = (
        Room.objects.in_municipality(code)
        .active()
        .select_related("organisation", "area")
        .order_by("area__name", "name")
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = form.cleaned_data
        if filters.get("wijk"):
            rooms = rooms.filter(area=filters["wijk"])
        if filters.get("people"):
            rooms = rooms.filter(capacity__gte=filters["people"])
        for name in ("wheelchair", "step_free", "accessible_toilet", "hearing_loop"):
            if filters.get(name):
                rooms = rooms.filter(**{name: True})
        day, start, end = filters.get("date"), filters.get("start"), filters.get("end")
        if day and start and end:
            rooms = services.open_at(rooms, day, start, end)
            rooms = services.free_rooms(
                rooms,
                timezone.make_aware(dt.datetime.combine(day, start)),
                timezone.make_aware(dt.datetime.combine(day, end)),
            )
        elif day:  # open some time that day
            rooms = services.open_on(rooms, day)
    elif form.is_bound:
        rooms = rooms.none()
    return render(
        request,
        "rooms/browse.html",
        {
            "form": form,
            "rooms": list(rooms[:BROWSE_LIMIT]),
            "limit": BROWSE_LIMIT,
            "filters_active": any(filters.values()) if filters else False,
            "manages": bool(access.managed_organisation_ids(request.user)),
        },
    )


def _week_start(request) -> dt.date:
    value = request.GET.get("week", "")
    try:
        chosen = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        chosen = timezone.localdate()
    return queries.monday(chosen)


def detail(request, pk):
    room = _room_or_404(request, pk)
    manager = access.can_manage_room(request.user, room)
    if not room.is_active and not manager:
        raise Http404("room not bookable")
    start = _week_start(request)
    initiatives = access.initiatives_for_request(request.user, room.area.municipality_code)
    return render(
        request,
        "rooms/detail.html",
        {
            "room": room,
            "manager": manager,
            "days": queries.week(room, start, with_waiting=manager),
            "week_start": start,
            "previous_week": start - dt.timedelta(days=7),
            "next_week": start + dt.timedelta(days=7),
            "may_request": room.is_active and initiatives.exists(),
            "windows": list(room.windows.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_room(request, pk):
    room = _room_or_404(request, pk)
    initiatives = access.initiatives_for_request(request.user, room.area.municipality_code)
    if not room.is_active or not initiatives.exists():
        return render(request, "rooms/no_initiative.html", {"room": room}, status=403)
    form = RequestForm(request.POST or None, initiatives=initiatives)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bookings = services.request_booking(
                room=room,
                initiative=data["initiative"],
                title=data["title"],
                expected_people=data["expected_people"],
                day=data["date"],
                start=data["start"],
                end=data["end"],
                weeks=data["weeks"],
                origin=Origin.from_request(request),
            )
        except services.RoomError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Your request has been sent. The partner answers it soon."))
            return redirect("rooms:booking", pk=bookings[0].pk)
    return render(
        request,
        "rooms/request.html",
        {"room": room, "form": form, "error": error, "windows": list(room.windows.all())},
        status=400 if error else 200,
    )


@login_required
def booking(request, pk):
    item = _booking_or_404(request, pk)
    if not access.can_see_booking(request.user, item):
        raise PermissionDenied
    manager = access.can_manage_room(request.user, item.room)
    series = list(
        Booking.objects.filter(series=item.series)
        .order_by("starts_at")
        .only("pk", "starts_at", "ends_at", "status", "series")
    )
    return render(
        request,
        "rooms/booking.html",
        {
            "booking": item,
            "series": series,
            "manager": manager,
            "show_key": access.can_see_key(request.user, item),
            "may_decide": manager and item.status == BookingStatus.REQUESTED,
            "may_cancel": item.status in (BookingStatus.REQUESTED, BookingStatus.ACCEPTED)
            and item.ends_at > timezone.now(),
            "decide_form": ReasonForm(prefix="decide"),
            "cancel_form": ReasonForm(prefix="cancel"),
        },
    )


@login_required
@require_POST
def decide(request, pk):
    item = _booking_or_404(request, pk)
    if not access.can_manage_room(request.user, item.room):
        raise PermissionDenied
    form = ReasonForm(request.POST, prefix="decide")
    accept = request.POST.get("action") == "accept"
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, _("The reason could not be read. Please shorten it."))
        return redirect("rooms:booking", pk=item.pk)
    try:
        services.decide(
            booking=item, accept=accept, reason=reason, origin=Origin.from_request(request)
        )
    except services.RoomError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("You accepted the request. The initiative has been told.")
            if accept
            else _("You declined the request. The initiative has been told why."),
        )
    return redirect("rooms:booking", pk=item.pk)


@login_required
@require_POST
def cancel(request, pk):
    item = _booking_or_404(request, pk)
    if not access.can_see_booking(request.user, item):
        raise PermissionDenied
    form = ReasonForm(request.POST, prefix="cancel")
    if not form.is_valid():
        messages.error(request, _("The reason could not be read. Please shorten it."))
        return redirect("rooms:booking", pk=item.pk)
    try:
        services.cancel(
            booking=item, reason=form.cleaned_data["reason"], origin=Origin.from_request(request)
        )
    except services.RoomError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The booking has been cancelled. The other side has been told.")
        )
    return redirect("rooms:booking", pk=item.pk)


@login_required
def partner(request):
    """The rooms a partner contact manages and the requests waiting for an answer."""
    ids = access.managed_organisation_ids(request.user)
    if not ids:
        raise PermissionDenied
    code = _code(request)
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    rooms = list(
        Room.objects.in_municipality(code)
        .filter(organisation_id__in=ids)
        .select_related("organisation", "area")
        .order_by("organisation__name", "name")[:BROWSE_LIMIT]
    )
    return render(
        request,
        "rooms/partner.html",
        {
            "organisations": organisations,
            "rooms": rooms,
            "waiting": queries.waiting_for(ids, code=code, limit=50),
        },
    )


def _districts(request):
    return (
        Area.objects.in_municipality(_code(request))
        .filter(level=AreaLevel.DISTRICT)
        .order_by("-year", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_form(request, slug=None, pk=None):
    if pk is not None:
        room = _room_or_404(request, pk)
        organisation = room.organisation
    else:
        room = None
        organisation = get_object_or_404(Organisation, slug=slug)
    if not access.can_manage_organisation_rooms(request.user, organisation):
        raise PermissionDenied
    form = RoomForm(request.POST or None, instance=room, areas=_districts(request))
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_room(
                organisation=organisation,
                room=room,
                values=form.values(),
                origin=Origin.from_request(request),
            )
        except services.RoomError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The room has been saved."))
            return redirect("rooms:edit", pk=saved.pk)
    return render(
        request,
        "rooms/room_form.html",
        {
            "room": room,
            "organisation": organisation,
            "form": form,
            "error": error,
            "window_form": WindowForm(),
            "blackout_form": BlackoutForm(),
            "windows": list(room.windows.all()) if room else [],
            "blackouts": list(room.blackouts.filter(date__gte=timezone.localdate()))
            if room
            else [],
        },
    )


def _managed_room_or_403(request, pk) -> Room:
    room = _room_or_404(request, pk)
    if not access.can_manage_room(request.user, room):
        raise PermissionDenied
    return room


@login_required
@require_POST
def window(request, pk):
    room = _managed_room_or_403(request, pk)
    origin = Origin.from_request(request)
    remove = parse_id(request.POST.get("remove"))
    if remove:
        services.remove_window(room=room, window_id=remove, origin=origin)
        messages.success(request, _("The opening time has been removed."))
    else:
        form = WindowForm(request.POST)
        if form.is_valid():
            services.add_window(room=room, origin=origin, **form.cleaned_data)
            messages.success(request, _("The opening time has been added."))
        else:
            messages.error(request, _("Choose a day and a start time before the end time."))
    return redirect("rooms:edit", pk=room.pk)


@login_required
@require_POST
def blackout(request, pk):
    room = _managed_room_or_403(request, pk)
    origin = Origin.from_request(request)
    remove = parse_id(request.POST.get("remove"))
    if remove:
        services.remove_blackout(room=room, blackout_id=remove, origin=origin)
        messages.success(request, _("The closed date has been removed."))
    else:
        form = BlackoutForm(request.POST)
        if form.is_valid():
            services.add_blackout(room=room, origin=origin, **form.cleaned_data)
            messages.success(request, _("The closed date has been added."))
        else:
            messages.error(request, _("Choose a valid date."))
    return redirect("rooms:edit", pk=room.pk)


@login_required
@require_POST
def rotate_room_feed(request, pk):
    room = _managed_room_or_403(request, pk)
    services.rotate_room_token(room=room, origin=Origin.from_request(request))
    messages.success(request, _("The calendar has a new address. The old one no longer works."))
    return redirect("rooms:edit", pk=room.pk)


def _initiative_for_member(request, slug) -> Initiative:
    initiative = get_object_or_404(Initiative.objects.in_municipality(_code(request)), slug=slug)
    if not access.is_member(request.user, initiative):
        raise PermissionDenied
    return initiative


@login_required
def initiative_bookings(request, slug):
    initiative = _initiative_for_member(request, slug)
    calendar = services.initiative_calendar(initiative)
    bookings = list(
        Booking.objects.filter(initiative=initiative)
        .exclude(status=BookingStatus.CANCELLED, ends_at__lt=timezone.now())
        .select_related("room", "room__area")
        .order_by("-starts_at")[:200]
    )
    return render(
        request,
        "rooms/initiative.html",
        {
            "initiative": initiative,
            "bookings": bookings,
            "feed_url": request.build_absolute_uri(
                _feed_path("rooms:initiative-feed", calendar.token)
            ),
        },
    )


@login_required
@require_POST
def rotate_initiative_feed(request, slug):
    initiative = _initiative_for_member(request, slug)
    services.rotate_initiative_token(initiative=initiative, origin=Origin.from_request(request))
    messages.success(request, _("The calendar has a new address. The old one no longer works."))
    return redirect("rooms:initiative", slug=initiative.slug)


def _feed_path(name: str, token: str) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"token": token})


def _ics(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def room_feed(request, token):
    room = get_object_or_404(Room.objects.select_related("organisation"), feed_token=token)
    busy = _("Busy")
    events = [
        ical.Event(
            uid=f"booking-{b.pk}@buurtbasis",
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            summary=f"{b.title} ({b.initiative.name})" if room.show_titles_in_feed else busy,
            location=f"{room.name}, {room.address}",
        )
        for b in queries.feed_bookings_of_room(room)
    ]
    return _ics(ical.calendar(events, name=room.name), f"ruimte-{room.pk}.ics")


@require_GET
def initiative_feed(request, token):
    calendar = get_object_or_404(
        InitiativeCalendar.objects.select_related("initiative"), token=token
    )
    status = {
        BookingStatus.ACCEPTED: "CONFIRMED",
        BookingStatus.REQUESTED: "TENTATIVE",
        BookingStatus.CANCELLED: "CANCELLED",
    }
    events = [
        ical.Event(
            uid=f"booking-{b.pk}@buurtbasis",
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            summary=b.title,
            location=f"{b.room.name}, {b.room.address}",
            description=f"{b.room.organisation.name} · {b.get_status_display()}",
            status=status[b.status],
        )
        for b in queries.feed_bookings_of_initiative(calendar.initiative)
    ]
    return _ics(
        ical.calendar(events, name=calendar.initiative.name),
        f"initiatief-{calendar.initiative.pk}.ics",
    )
