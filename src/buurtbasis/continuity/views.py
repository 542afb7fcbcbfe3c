"""Pages of hand-over and continuity. Thin: objects are looked up in the request's
municipality (404 elsewhere), access is ``access.py``, writes are ``services.py``.
Every form posts and redirects, so the pages work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import get_tenant

from . import access, services
from .forms import CompleteForm, ItemForm, ResponseForm, RoleForm, StartSearchForm
from .models import (
    ChecklistItem,
    HandOver,
    HandOverStatus,
    OpenRole,
    Response,
    ResponseStatus,
    Succession,
)

#: Responses a person may send in an hour (each one notifies other people).
RESPONSE_LIMIT = 5


def _code(request) -> str:
    return get_tenant(request).cbs_code


def _initiatives(request):
    return Initiative.objects.in_municipality(_code(request))


def _initiative_or_404(request, slug: str) -> Initiative:
    initiative = get_object_or_404(
        _initiatives(request).select_related("host_organisation"), slug=slug
    )
    if not access.can_see_search(request.user, initiative):
        raise Http404
    return initiative


def _forbidden(request, initiative):
    return render(request, "continuity/forbidden.html", {"initiative": initiative}, status=403)


def search_list(request):
    """Initiatives of this municipality that look for people, optionally in one wijk."""
    initiatives = _initiatives(request).public()
    wijken = list(
        Area.objects.in_municipality(_code(request))
        .filter(level=AreaLevel.DISTRICT)
        .order_by("name")
    )
    wijk = next((w for w in wijken if w.slug == request.GET.get("wijk")), None)
    if wijk is not None:
        initiatives = initiatives.filter(areas__in=[wijk, *wijk.children.all()])
    searches = (
        Succession.objects.filter(is_open=True, initiative__in=initiatives)
        .select_related("initiative")
        .prefetch_related(
            Prefetch("roles", queryset=OpenRole.objects.filter(filled=False)),
            "initiative__areas",
        )
        .order_by("-created_at")
        .distinct()
    )
    return render(
        request,
        "continuity/list.html",
        {"searches": [s for s in searches if s.roles.all()], "wijken": wijken, "wijk": wijk},
    )


def initiative_page(request, slug):
    initiative = _initiative_or_404(request, slug)
    can_manage = access.can_manage(request.user, initiative)
    search = services.open_search(initiative)
    roles = []
    if search is not None:
        role_qs = OpenRole.objects.filter(succession=search)
        if can_manage:
            role_qs = role_qs.prefetch_related(
                Prefetch(
                    "responses",
                    queryset=Response.objects.select_related("responder").order_by("created_at"),
                )
            )
        roles = list(role_qs)
    mine = set()
    if access.signed_in(request.user) and roles:
        mine = set(
            Response.objects.filter(responder=request.user, role__in=roles).values_list(
                "role_id", flat=True
            )
        )
    handovers = []
    if can_manage or access.signed_in(request.user):
        handovers = [
            h
            for h in HandOver.objects.filter(
                initiative=initiative, status=HandOverStatus.IN_PROGRESS
            ).select_related("incoming", "outgoing")
            if can_manage or access.is_party(request.user, h)
        ]
    return render(
        request,
        "continuity/initiative.html",
        {
            "initiative": initiative,
            "search": search,
            "roles": roles,
            "responded": mine,
            "can_manage": can_manage,
            "is_member": access.signed_in(request.user)
            and initiative.members.filter(pk=request.user.pk).exists(),
            "handovers": handovers,
            "role_form": RoleForm(prefix="role"),
            "NEW": ResponseStatus.NEW,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def start_search(request, slug):
    initiative = _initiative_or_404(request, slug)
    if not access.can_manage(request.user, initiative):
        return _forbidden(request, initiative)
    if services.open_search(initiative) is not None:
        return redirect("continuity:initiative", slug=slug)
    form = StartSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        origin = Origin.from_request(request)
        try:
            search = services.start_search(
                initiative=initiative, reason=data["reason"], origin=origin
            )
            services.add_role(
                search=search,
                kind=data["kind"],
                title=data["title"],
                hours_per_month=data["hours_per_month"],
                skills=data["skills"],
                description=data["description"],
                starts_on=data["starts_on"],
                origin=origin,
            )
        except services.ContinuityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The initiative now looks for successors."))
            return redirect("continuity:initiative", slug=slug)
    return render(request, "continuity/start.html", {"initiative": initiative, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def add_role(request, slug):
    initiative = _initiative_or_404(request, slug)
    if not access.can_manage(request.user, initiative):
        return _forbidden(request, initiative)
    search = services.open_search(initiative)
    if search is None:
        return redirect("continuity:start", slug=slug)
    form = RoleForm(request.POST or None, prefix="role")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_role(
                search=search, origin=Origin.from_request(request), **form.cleaned_data
            )
        except services.ContinuityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The role has been added."))
            return redirect("continuity:initiative", slug=slug)
    return render(request, "continuity/add_role.html", {"initiative": initiative, "form": form})


@login_required
@require_POST
def close_search(request, slug):
    initiative = _initiative_or_404(request, slug)
    search = services.open_search(initiative)
    if search is None:
        return redirect("continuity:initiative", slug=slug)
    try:
        services.close_search(search=search, origin=Origin.from_request(request))
    except services.ContinuityError:
        return _forbidden(request, initiative)
    messages.success(request, _("The initiative no longer looks for successors."))
    return redirect("continuity:initiative", slug=slug)


def _role_or_404(request, pk: int) -> OpenRole:
    role = get_object_or_404(
        OpenRole.objects.select_related("succession__initiative").filter(
            succession__initiative__in=_initiatives(request)
        ),
        pk=pk,
    )
    if not access.can_see_search(request.user, role.succession.initiative):
        raise Http404
    return role


@login_required
@require_http_methods(["GET", "POST"])
def respond(request, pk):
    role = _role_or_404(request, pk)
    initiative = role.succession.initiative
    form = ResponseForm(request.POST or None)
    rate_limited = ""
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(
            "continuity-respond", str(request.user.pk), limit=RESPONSE_LIMIT, window=3600
        ):
            rate_limited = _(
                "You have sent many responses in a short time. Please try again later."
            )
        else:
            try:
                services.respond(
                    role=role,
                    message=form.cleaned_data["message"],
                    origin=Origin.from_request(request),
                )
            except services.ContinuityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Thank you. The initiators have your response and will answer you here."),
                )
                return redirect("continuity:initiative", slug=initiative.slug)
    return render(
        request,
        "continuity/respond.html",
        {
            "role": role,
            "initiative": initiative,
            "form": form,
            "rate_limited": rate_limited,
            "may_respond": access.can_respond(request.user, role),
        },
    )


@login_required
@require_POST
def answer_response(request, pk):
    response = get_object_or_404(
        Response.objects.select_related("role__succession__initiative", "responder").filter(
            role__succession__initiative__in=_initiatives(request)
        ),
        pk=pk,
    )
    initiative = response.role.succession.initiative
    if not access.can_manage(request.user, initiative):
        return _forbidden(request, initiative)
    origin = Origin.from_request(request)
    try:
        if request.POST.get("action") == "choose":
            handover = services.choose_successor(response=response, origin=origin)
            messages.success(request, _("The hand-over has started. Tick the checklist together."))
            return redirect("continuity:handover", pk=handover.pk)
        services.decline_response(response=response, origin=origin)
        messages.success(request, _("The response has been answered."))
    except services.ContinuityError as error:
        messages.error(request, str(error))
    return redirect("continuity:initiative", slug=initiative.slug)


def _handover_or_404(request, pk: int) -> HandOver:
    handover = get_object_or_404(
        HandOver.objects.select_related("initiative", "incoming", "outgoing").filter(
            initiative__in=_initiatives(request)
        ),
        pk=pk,
    )
    if not access.can_see_handover(request.user, handover):
        raise Http404
    return handover


@login_required
def handover_page(request, pk, item_form=None, complete_form=None, errors=None):
    handover = _handover_or_404(request, pk)
    items = list(handover.items.select_related("done_by"))
    can_manage = access.can_manage(request.user, handover.initiative)
    agreement = services.active_agreement(handover.initiative)
    return render(
        request,
        "continuity/handover.html",
        {
            "handover": handover,
            "initiative": handover.initiative,
            "items": items,
            "open_count": sum(1 for i in items if i.done_at is None),
            "can_tick": access.can_tick(request.user, handover),
            "can_manage": can_manage,
            "in_progress": handover.status == HandOverStatus.IN_PROGRESS,
            "agreement": agreement,
            "item_form": item_form or ItemForm(),
            "complete_form": complete_form or CompleteForm(handover=handover),
            "errors": errors or [],
        },
        status=400
        if errors or any(f is not None and f.errors for f in (item_form, complete_form))
        else 200,
    )


@login_required
@require_POST
def tick_item(request, pk, item):
    handover = _handover_or_404(request, pk)
    checklist_item = get_object_or_404(ChecklistItem, handover=handover, pk=item)
    try:
        services.tick(
            item=checklist_item,
            done=request.POST.get("done") != "0",
            origin=Origin.from_request(request),
        )
    except services.ContinuityError:
        return _forbidden(request, handover.initiative)
    return redirect(reverse("continuity:handover", kwargs={"pk": pk}) + f"#item-{item}")


@login_required
@require_POST
def add_item(request, pk):
    handover = _handover_or_404(request, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_item(
                handover=handover,
                title=form.cleaned_data["title"],
                origin=Origin.from_request(request),
            )
        except services.ContinuityError as error:
            form.add_error(None, str(error))
        else:
            return redirect("continuity:handover", pk=pk)
    return handover_page(request, pk, item_form=form)


@login_required
@require_POST
def ask_host(request, pk, item):
    handover = _handover_or_404(request, pk)
    checklist_item = get_object_or_404(ChecklistItem, handover=handover, pk=item)
    try:
        services.ask_host_for_treasurer(item=checklist_item, origin=Origin.from_request(request))
    except services.ContinuityError as error:
        if error.code == "forbidden":
            return _forbidden(request, handover.initiative)
        messages.error(request, str(error))
    else:
        messages.success(request, _("The host's finance officers have been asked."))
    return redirect("continuity:handover", pk=pk)


@login_required
@require_POST
def complete(request, pk):
    handover = _handover_or_404(request, pk)
    if not access.can_manage(request.user, handover.initiative):
        return _forbidden(request, handover.initiative)
    form = CompleteForm(request.POST, handover=handover)
    if form.is_valid():
        try:
            done = services.complete(
                handover=handover,
                outgoing=form.cleaned_data["outgoing"],
                outgoing_choice=form.cleaned_data["outgoing_choice"],
                origin=Origin.from_request(request),
            )
        except services.ContinuityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The hand-over is complete."))
            if not done.initiative.contact_email:
                messages.warning(
                    request,
                    _(
                        "The initiative has no contact address now. Set a contact address "
                        "with “Edit”: the new initiator's address is not shown without asking."
                    ),
                )
            return redirect(handover.initiative.get_absolute_url())
    return handover_page(request, pk, complete_form=form, errors=form.non_field_errors())


@login_required
@require_POST
def cancel(request, pk):
    handover = _handover_or_404(request, pk)
    try:
        services.cancel(handover=handover, origin=Origin.from_request(request))
    except services.ContinuityError as error:
        if error.code == "forbidden":
            return _forbidden(request, handover.initiative)
        messages.error(request, str(error))
    return redirect("continuity:initiative", slug=handover.initiative.slug)
