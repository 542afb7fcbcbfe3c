from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from buurtbasis.areas.models import Area
from buurtbasis.organisations.models import Role
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.blocks import blocks_for
from buurtbasis.platform.tenancy import get_tenant

from . import services
from .access import can_manage_initiative, can_view_initiative, organisation_ids_with_role
from .forms import (
    EditInitiativeForm,
    InviteForm,
    SearchForm,
    StartInitiativeForm,
    StatusChangeForm,
)
from .models import NEEDS, Initiative, StatusChange

PAGE_SIZE = 20
START_LIMIT = 10  # new initiatives per person per hour (against spam)
INVITE_LIMIT = 20  # invitations per person per hour (against spam)


def _login_url(next_url: str) -> str:
    try:
        base = resolve_url(settings.LOGIN_URL)
    except NoReverseMatch:  # accounts app without a login page yet
        base = "/account/login/"
    return f"{base}?{urlencode({'next': next_url})}"


def login_required(view):
    """Like Django's, but tolerant of the accounts app's URL names not existing yet."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(_login_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


def _register_url() -> str | None:
    try:
        return reverse("accounts:register")
    except NoReverseMatch:
        return None


def start(request):
    """Start an initiative: four required fields, the rest optional, on one page."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(_login_url(request.path))
        return render(
            request,
            "initiatives/start_anonymous.html",
            {"login_next_url": _login_url(request.path), "register_url": _register_url()},
        )
    if request.method == "POST":
        form = StartInitiativeForm(request.POST, municipality=_code(request))
        if form.is_valid() and not ratelimit.hit(
            "initiative-start", str(request.user.pk), limit=START_LIMIT, window=3600
        ):
            form.add_error(
                None,
                _("You have started many initiatives in a short time. Please try again later."),
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                initiative = services.start_initiative(
                    creator=request.user,
                    name=data["name"],
                    pitch=data["pitch"],
                    areas=[data["area"]],
                    contact_email=data["contact_email"],
                    description=data["description"],
                    themes=data["themes"],
                    target_groups=data["target_groups"],
                    needs=data["needs"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    is_public=data["is_public"],
                )
            except services.InitiativeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Your initiative has been started. You can add more details at any time."),
                )
                return redirect(initiative)
    else:
        initial = {
            "contact_email": request.user.email,
            "contact_name": getattr(request.user, "display_name", ""),
            "is_public": True,
        }
        if getattr(request.user, "home_area_id", None):
            initial["area"] = request.user.home_area_id
        form = StartInitiativeForm(initial=initial, municipality=_code(request))
    return render(request, "initiatives/start.html", {"form": form})


def _code(request) -> str:
    """The CBS code of the municipality this request is about (platform.tenancy)."""
    return get_tenant(request).cbs_code


def _initiative_for(request, slug: str) -> Initiative:
    """The initiative, if it is in this municipality and the user may see it (else 404)."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("host_organisation", "created_by").in_municipality(
            _code(request)
        ),
        slug=slug,
    )
    if not can_view_initiative(request.user, initiative):
        raise Http404
    return initiative


def detail(request, slug):
    initiative = _initiative_for(request, slug)
    history = StatusChange.objects.filter(initiative=initiative).select_related("changed_by")
    return render(
        request,
        "initiatives/detail.html",
        {
            "initiative": initiative,
            "areas": initiative.areas.all(),
            "themes": initiative.themes.all(),
            "target_groups": initiative.target_groups.all(),
            "history": history,
            "can_manage": can_manage_initiative(request.user, initiative),
            "could_host": initiative.needs_host
            and initiative.host_organisation_id is None
            and bool(organisation_ids_with_role(request.user, Role.COMMUNITY_WORKER)),
            "login_next_url": _login_url(request.get_full_path()),
            "blocks": blocks_for("initiative", request, initiative=initiative),
        },
    )


def _forbidden(request, initiative):
    # Not a member and not the host's community worker: say so plainly.
    return render(request, "initiatives/forbidden.html", {"initiative": initiative}, status=403)


@login_required
def edit(request, slug):
    initiative = _initiative_for(request, slug)
    if not can_manage_initiative(request.user, initiative):
        return _forbidden(request, initiative)
    if request.method == "POST":
        form = EditInitiativeForm(request.POST, municipality=_code(request))
        if form.is_valid():
            data = form.cleaned_data
            services.update_initiative(
                initiative=initiative,
                editor=request.user,
                name=data["name"],
                pitch=data["pitch"],
                description=data["description"],
                contact_email=data["contact_email"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                is_public=data["is_public"],
                needs=data["needs"],
                areas=data["areas"],
                themes=data["themes"],
                target_groups=data["target_groups"],
                host_organisation=data["host_organisation"],
            )
            messages.success(request, _("Your changes have been saved."))
            return redirect(initiative)
    else:
        form = EditInitiativeForm(
            initial=EditInitiativeForm.initial_for(initiative), municipality=_code(request)
        )
    return render(request, "initiatives/edit.html", {"form": form, "initiative": initiative})


@login_required
def change_status(request, slug):
    initiative = _initiative_for(request, slug)
    if not can_manage_initiative(request.user, initiative):
        return _forbidden(request, initiative)
    allowed = services.allowed_statuses(initiative)
    if request.method == "POST":
        form = StatusChangeForm(request.POST, allowed=allowed)
        if form.is_valid():
            try:
                change = services.change_status(
                    initiative=initiative,
                    to_status=form.cleaned_data["to_status"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except services.InitiativeError as exc:
                form.add_error("to_status", str(exc))
            else:
                label = change.get_to_status_display()
                messages.success(request, _("The status is now “%(status)s”.") % {"status": label})
                return redirect(initiative)
    else:
        form = StatusChangeForm(allowed=allowed)
    return render(request, "initiatives/status.html", {"form": form, "initiative": initiative})


@login_required
def members(request, slug):
    """The initiators, an invitation form and a way to leave (for those who manage it)."""
    initiative = _initiative_for(request, slug)
    if not can_manage_initiative(request.user, initiative):
        return _forbidden(request, initiative)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(
            "initiative-invite", str(request.user.pk), limit=INVITE_LIMIT, window=3600
        ):
            form.add_error(
                None, _("You sent many invitations in a short time. Please try again later.")
            )
        else:
            email = form.cleaned_data["email"]
            try:
                services.invite_coinitiator(
                    initiative=initiative,
                    email=email,
                    inviter=request.user,
                    origin=Origin.from_request(request),
                )
            except services.InitiativeError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(
                    request,
                    _("We sent an invitation to %(email)s. It works for %(days)s days.")
                    % {"email": email, "days": services.INVITE_DAYS},
                )
                return redirect("initiatives:members", slug=initiative.slug)
    return render(
        request,
        "initiatives/members.html",
        {
            "initiative": initiative,
            "members": initiative.members.order_by("display_name", "email"),
            "is_member": initiative.members.filter(pk=request.user.pk).exists(),
            "form": form,
        },
    )


@login_required
def leave(request, slug):
    initiative = _initiative_for(request, slug)
    if request.method != "POST":
        return redirect("initiatives:members", slug=initiative.slug)
    try:
        left = services.leave_initiative(
            initiative=initiative, user=request.user, origin=Origin.from_request(request)
        )
    except services.InitiativeError as exc:
        messages.error(request, str(exc))
        return redirect("initiatives:members", slug=initiative.slug)
    if not left:
        return redirect(initiative)
    messages.success(
        request, _("You are no longer an initiator of %(name)s.") % {"name": initiative.name}
    )
    return redirect(initiative)


@login_required
def invitation(request, slug, token):
    """Accept an invitation: a page with a button (opening the link changes nothing)."""
    if request.method == "POST":
        try:
            initiative = services.accept_invitation(
                token=token, user=request.user, origin=Origin.from_request(request)
            )
        except services.InvitationInvalid as error:
            return render(
                request, "initiatives/invitation_failed.html", {"reason": error.reason}, status=400
            )
        messages.success(
            request, _("You are now an initiator of %(name)s.") % {"name": initiative.name}
        )
        return redirect(initiative)
    try:
        initiative_id, _email, _by = services.read_invitation(token)
    except services.InvitationInvalid as error:
        return render(
            request, "initiatives/invitation_failed.html", {"reason": error.reason}, status=400
        )
    # Not scoped to the municipality: the signed link in the e-mail is the permission.
    initiative = get_object_or_404(Initiative, pk=initiative_id, slug=slug)
    return render(
        request, "initiatives/invitation.html", {"initiative": initiative, "token": token}
    )


def search_initiatives(data, *, municipality: str) -> tuple[SearchForm, QuerySet]:
    """The public initiatives of one municipality (its CBS code) matching the list
    filters, ready to paginate."""
    form = SearchForm(data, municipality=municipality)
    qs = Initiative.objects.public().in_municipality(municipality)
    if form.is_valid():
        filters = form.cleaned_data
    else:
        # Ignore only the broken filters; keep the others.
        filters = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    if q := (filters.get("q") or "").strip():
        for word in q.split()[:8]:
            qs = qs.filter(
                Q(name__icontains=word) | Q(pitch__icontains=word) | Q(description__icontains=word)
            )
    if filters.get("wijk"):
        qs = qs.filter(areas=filters["wijk"])
    if filters.get("theme"):
        qs = qs.filter(themes=filters["theme"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if need := filters.get("need"):
        field = dict((key, field) for key, field, _label in NEEDS)[need]
        qs = qs.filter(**{field: True})
    qs = (
        qs.distinct()
        .select_related("host_organisation")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.only("id", "name", "slug", "code")),
            "themes",
        )
        .order_by("-updated_at", "-pk")
    )
    return form, qs


def initiative_list(request):
    form, qs = search_initiatives(request.GET, municipality=_code(request))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "querystring": params.urlencode(),
        "filters_active": any(request.GET.get(k) for k in ("wijk", "theme", "status", "need")),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "initiatives/_results.html", context)
    return render(request, "initiatives/list.html", context)
