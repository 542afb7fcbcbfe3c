"""Pages of volunteering. Thin: objects are looked up in the request's municipality (404
elsewhere), access is ``access.py``, writes are ``services.py``, reads ``queries.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.accounts.models import User
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id
from buurtbasis.platform.tenancy import get_tenant

from . import access, load, queries, services
from .forms import (
    ConfirmHoursForm,
    HoursForm,
    KeyRoleForm,
    ProfileForm,
    ShiftForm,
    TaskFilterForm,
    TaskForm,
)
from .models import HoursEntry, Invitation, KeyRole, Shift, SignUp, Task, VolunteerProfile

#: Sign-ups and cancellations one person may make in an hour (each tells the initiators).
SIGNUP_LIMIT = 30


def _code(request) -> str:
    return get_tenant(request).cbs_code


def _initiative(request, slug) -> Initiative:
    initiative = get_object_or_404(Initiative.objects.in_municipality(_code(request)), slug=slug)
    if not access.can_view(request.user, initiative):
        raise PermissionDenied
    return initiative


def _managed_initiative(request, slug) -> Initiative:
    initiative = _initiative(request, slug)
    if not access.can_manage(request.user, initiative):
        raise PermissionDenied
    return initiative


def _task(request, pk) -> Task:
    task = get_object_or_404(
        Task.objects.in_municipality(_code(request)).select_related("initiative", "area"), pk=pk
    )
    if not access.can_view(request.user, task.initiative):
        raise PermissionDenied
    return task


def _shift(request, pk) -> Shift:
    shift = get_object_or_404(
        Shift.objects.filter(task__in=Task.objects.in_municipality(_code(request))).select_related(
            "task__initiative", "task__area__parent"
        ),
        pk=pk,
    )
    if not access.can_view(request.user, shift.task.initiative):
        raise PermissionDenied
    return shift


def _manage_or_403(request, initiative) -> None:
    if not access.can_manage(request.user, initiative):
        raise PermissionDenied


# -- public --------------------------------------------------------------------------------------


def task_list(request):
    code = _code(request)
    form = TaskFilterForm(request.GET or None, districts=queries.districts(code))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    tasks = queries.open_tasks(
        code,
        wijk=filters.get("wijk"),
        skill=filters.get("skill", ""),
        day=filters.get("day", ""),
    )
    page = Paginator(tasks, queries.PER_PAGE).get_page(request.GET.get("pagina"))
    queries.with_upcoming_shifts(page.object_list)
    return render(
        request,
        "volunteering/task_list.html",
        {"form": form, "page": page, "filters_active": bool(filters and any(filters.values()))},
    )


def task_detail(request, pk):
    task = _task(request, pk)
    manager = access.can_manage(request.user, task.initiative)
    shifts = queries.task_shifts(task, request.user)
    people = queries.shift_people(task) if manager else {}
    for s in shifts:
        s.people = people.get(s.pk, [])
    return render(
        request,
        "volunteering/task_detail.html",
        {"task": task, "shifts": shifts, "manager": manager, "now": timezone.now()},
    )


# -- tasks and shifts (initiators, community workers) --------------------------------------------


def _task_data(form) -> services.TaskData:
    d = form.cleaned_data
    return services.TaskData(
        title=d["title"],
        description=d["description"],
        skills=d["skills"],
        area=d["area"],
        is_open=d["is_open"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request, slug):
    initiative = _managed_initiative(request, slug)
    areas = services.task_areas(initiative).order_by("level", "name")
    form = TaskForm(
        request.POST or None,
        areas=areas,
        initial={"area": initiative.areas.order_by("pk").first(), "is_open": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(
                initiative=initiative, data=_task_data(form), origin=Origin.from_request(request)
            )
        except services.VolunteeringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task is saved. Now add one or more shifts."))
            return redirect("volunteering:shift-new", pk=task.pk)
    return render(request, "volunteering/task_form.html", {"form": form, "initiative": initiative})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    task = _task(request, pk)
    _manage_or_403(request, task.initiative)
    areas = services.task_areas(task.initiative).order_by("level", "name")
    form = TaskForm(
        request.POST or None,
        areas=areas,
        initial={
            "title": task.title,
            "description": task.description,
            "skills": task.skill_keys,
            "area": task.area,
            "is_open": task.is_open,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(
                task=task, data=_task_data(form), origin=Origin.from_request(request)
            )
        except services.VolunteeringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task is saved."))
            return redirect(task)
    return render(
        request,
        "volunteering/task_form.html",
        {"form": form, "initiative": task.initiative, "task": task},
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift_new(request, pk):
    task = _task(request, pk)
    _manage_or_403(request, task.initiative)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_shift(
                task=task,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                needed=form.cleaned_data["needed"],
                origin=Origin.from_request(request),
            )
        except services.VolunteeringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The shift is added."))
            return redirect(task)
    return render(request, "volunteering/shift_form.html", {"form": form, "task": task})


@login_required
@require_POST
def shift_remove(request, pk):
    shift = _shift(request, pk)
    _manage_or_403(request, shift.task.initiative)
    try:
        services.remove_shift(shift=shift, origin=Origin.from_request(request))
    except services.VolunteeringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The shift is removed."))
    return redirect(shift.task)


# -- signing up ----------------------------------------------------------------------------------


@login_required
@require_POST
def shift_signup(request, pk):
    shift = _shift(request, pk)
    if not ratelimit.hit(
        "volunteering.signup", str(request.user.pk), limit=SIGNUP_LIMIT, window=3600
    ):
        messages.error(request, _("You signed up many times in a short time. Try again later."))
        return redirect(shift.task)
    try:
        services.sign_up(shift=shift, origin=Origin.from_request(request))
    except services.VolunteeringError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You are signed up. Thank you! You find your shifts under “My volunteering”."),
        )
    return redirect(shift.task)


@login_required
@require_POST
def shift_cancel(request, pk):
    shift = _shift(request, pk)
    try:
        cancelled = services.cancel_signup(shift=shift, origin=Origin.from_request(request))
    except services.VolunteeringError as error:
        messages.error(request, str(error))
    else:
        if cancelled:
            messages.success(request, _("You are no longer signed up for this shift."))
    return redirect(shift.task)


# -- suggestions and invitations -----------------------------------------------------------------


@login_required
def shift_suggestions(request, pk):
    shift = _shift(request, pk)
    _manage_or_403(request, shift.task.initiative)
    return render(
        request,
        "volunteering/suggestions.html",
        {"shift": shift, "task": shift.task, "suggestions": queries.suggestions(shift)},
    )


@login_required
@require_POST
def shift_invite(request, pk):
    shift = _shift(request, pk)
    _manage_or_403(request, shift.task.initiative)
    user_id = parse_id(request.POST.get("user"))
    match = next((s for s in queries.suggestions(shift, limit=1000) if s.user.pk == user_id), None)
    if match is None:
        messages.error(request, _("This person cannot be invited for this shift."))
    else:
        try:
            services.invite(
                shift=shift,
                user=match.user,
                reason=match.explanation,
                origin=Origin.from_request(request),
            )
        except services.VolunteeringError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s is invited and decides whether to come.")
                % {"name": match.user.display_name or _("The volunteer")},
            )
    return redirect("volunteering:suggestions", pk=shift.pk)


@login_required
@require_POST
def invitation_answer(request, pk):
    invitation = get_object_or_404(
        Invitation.objects.select_related("shift__task__initiative"), pk=pk, user=request.user
    )
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_invitation(
            invitation=invitation, accept=accept, origin=Origin.from_request(request)
        )
    except services.VolunteeringError as error:
        messages.error(request, str(error))
    else:
        if accept:
            messages.success(request, _("You are signed up. Thank you!"))
        else:
            messages.success(request, _("You declined the invitation."))
    return redirect("volunteering:mine")


# -- my volunteering -----------------------------------------------------------------------------


@login_required
def mine(request):
    return render(
        request,
        "volunteering/mine.html",
        {
            "my": queries.my_volunteering(request.user),
            "profile": VolunteerProfile.objects.filter(user=request.user).first(),
            "max_per_week": load.default_hours_per_week(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    current = VolunteerProfile.objects.filter(user=request.user).first()
    initial = {}
    if current is not None:
        initial = {
            "skills": current.skill_keys,
            "area": current.area,
            "availability": current.availability_keys,
            "max_hours_per_month": current.max_hours_per_month,
            "suggestible": current.suggestible,
        }
    form = ProfileForm(
        request.POST or None, initial=initial, districts=queries.districts(_code(request))
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.save_profile(
                data=services.ProfileData(
                    skills=d["skills"],
                    area=d["area"],
                    availability=d["availability"],
                    max_hours_per_month=d["max_hours_per_month"],
                    suggestible=d["suggestible"],
                ),
                origin=Origin.from_request(request),
            )
        except services.VolunteeringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("volunteering:mine")
    return render(request, "volunteering/profile_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def hours_new(request):
    initiatives = services.initiatives_for_hours(request.user).order_by("name")
    form = HoursForm(request.POST or None, initiatives=initiatives)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_own_hours(
                initiative=d["initiative"],
                date=d["date"],
                minutes=d["minutes"],
                description=d["description"],
                origin=Origin.from_request(request),
            )
        except services.VolunteeringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your hours are recorded. An initiator of the initiative confirms them.")
            )
            return redirect("volunteering:mine")
    return render(
        request, "volunteering/hours_form.html", {"form": form, "none": not initiatives.exists()}
    )


@login_required
@require_POST
def hours_delete(request, pk):
    entry = get_object_or_404(HoursEntry.objects.select_related("initiative"), pk=pk)
    if entry.user_id != request.user.pk and not access.can_manage(request.user, entry.initiative):
        raise PermissionDenied
    try:
        services.delete_hours(entry=entry, origin=Origin.from_request(request))
    except PermissionDenied:
        messages.error(request, _("Only hours that still wait for confirmation can be removed."))
    else:
        messages.success(request, _("The hours are removed."))
    if request.POST.get("next_page") == "manage":
        return redirect("volunteering:manage", slug=entry.initiative.slug)
    return redirect("volunteering:mine")


# -- confirming hours (initiators) ---------------------------------------------------------------


@login_required
@require_POST
def signup_hours(request, pk):
    signup = get_object_or_404(
        SignUp.objects.filter(
            shift__task__in=Task.objects.in_municipality(_code(request))
        ).select_related("shift__task__initiative", "user"),
        pk=pk,
    )
    _manage_or_403(request, signup.shift.task.initiative)
    form = ConfirmHoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the hours as a number, for example 2.5."))
        return redirect(signup.shift.task)
    try:
        services.confirm_shift_hours(
            signup=signup, minutes=form.cleaned_data["minutes"], origin=Origin.from_request(request)
        )
    except services.VolunteeringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The hours are confirmed."))
    return redirect(signup.shift.task)


@login_required
@require_POST
def hours_confirm(request, pk):
    entry = get_object_or_404(
        HoursEntry.objects.filter(
            initiative__in=Initiative.objects.in_municipality(_code(request))
        ).select_related("initiative"),
        pk=pk,
    )
    _manage_or_403(request, entry.initiative)
    form = ConfirmHoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the hours as a number, for example 2.5."))
    else:
        try:
            services.confirm_hours(
                entry=entry,
                minutes=form.cleaned_data["minutes"],
                origin=Origin.from_request(request),
            )
        except services.VolunteeringError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The hours are confirmed."))
    return redirect("volunteering:manage", slug=entry.initiative.slug)


# -- an initiative's volunteering and key roles --------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, slug):
    initiative = _managed_initiative(request, slug)
    people = services.key_role_candidates(initiative).order_by("display_name", "pk")
    form = KeyRoleForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_key_role(
                initiative=initiative,
                role=d["role"],
                user=d["user"],
                since=d["since"],
                origin=Origin.from_request(request),
            )
        except services.VolunteeringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The key role is recorded."))
            return redirect("volunteering:manage", slug=initiative.slug)
    return render(
        request,
        "volunteering/manage.html",
        {"initiative": initiative, "form": form, **queries.initiative_overview(initiative)},
    )


@login_required
@require_POST
def key_role_end(request, pk):
    key_role = get_object_or_404(
        KeyRole.objects.filter(
            initiative__in=Initiative.objects.in_municipality(_code(request))
        ).select_related("initiative"),
        pk=pk,
    )
    _manage_or_403(request, key_role.initiative)
    try:
        services.end_key_role(key_role=key_role, origin=Origin.from_request(request))
    except services.VolunteeringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The key role is ended as of today."))
    return redirect("volunteering:manage", slug=key_role.initiative.slug)


# -- the community worker's overview ------------------------------------------------------------


@login_required
def overview(request):
    data = queries.worker_overview(request.user, code=_code(request))
    if data is None:
        raise PermissionDenied
    return render(request, "volunteering/overview.html", {"overview": data})


@login_required
def person_hours(request, user_id):
    """A person's hours across initiatives, for a community worker who may see them."""
    person = get_object_or_404(User, pk=user_id, is_active=True)
    if person.pk == request.user.pk:
        return redirect("volunteering:mine")
    if not access.can_see_load_of(request.user, person.pk):
        raise PermissionDenied
    return render(
        request,
        "volunteering/person.html",
        {"person": person, "my": queries.my_volunteering(person)},
    )
