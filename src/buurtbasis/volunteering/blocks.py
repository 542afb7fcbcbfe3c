"""Blocks of volunteering on other pages: a person's own volunteering and load (with the
warning) and, for community workers, the load in the initiatives they support, on "my
dashboard"; the open tasks and, for its managers, the key-role warnings on an
initiative's page; the way to the overview on an organisation's page."""

from __future__ import annotations

from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.organisations.models import Role
from buurtbasis.platform.tenancy import get_tenant

from . import access, load, queries
from .models import Shift, Task

#: Tasks listed on an initiative's page.
INITIATIVE_TASKS = 5


def dashboard_block(request, **objects):
    user = request.user
    if not access.signed_in(user):
        return None
    code = get_tenant(request).cbs_code
    return {
        "my": queries.my_volunteering(user),
        "overview": queries.worker_overview(user, code=code),
    }


def initiative_block(request, initiative=None, **objects):
    if initiative is None:
        return None
    tasks = list(
        Task.objects.filter(
            initiative=initiative,
            is_open=True,
            pk__in=Shift.objects.filter(starts_at__gt=timezone.now()).values("task_id"),
        ).order_by("title")[:INITIATIVE_TASKS]
    )
    manager = access.can_manage(request.user, initiative)
    if not tasks and not manager:
        return None
    context = {"initiative": initiative, "tasks": tasks, "manager": manager}
    if manager:
        gaps = load.single_person_roles([initiative.pk]).get(initiative.pk, [])
        carried = load.carried_by_one([initiative.pk]).get(initiative.pk)
        wanted = {g.user_id for g in gaps} | ({carried.user_id} if carried else set())
        names = User.objects.in_bulk(wanted) if wanted else {}
        context.update(
            gaps=[(g, names.get(g.user_id)) for g in gaps],
            carried=carried,
            carrier=names.get(carried.user_id) if carried else None,
        )
    return context


def organisation_block(request, organisation=None, **objects):
    if organisation is None or not access.signed_in(request.user):
        return None
    if organisation.pk not in access.worker_organisation_ids(request.user):
        return None
    return {"organisation": organisation, "worker": Role.COMMUNITY_WORKER}
