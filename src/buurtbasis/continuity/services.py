"""Every write of hand-over and continuity goes through a function here.

Functions take plain values and an ``Origin`` (who acts); they check access themselves,
so they are safe from a view, a command or a task alike. ``ContinuityError`` carries a
message for the person.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buurtbasis.hosting.models import HostingAgreement
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.initiatives.models import Initiative
from buurtbasis.logbook import services as logbook_services
from buurtbasis.organisations.models import Membership, Role
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.forms import typed_text_problem
from buurtbasis.platform.notifications import notify
from buurtbasis.volunteering import services as volunteering_services
from buurtbasis.volunteering.models import KeyRole, KeyRoleKind

from . import access
from .models import (
    ChecklistItem,
    HandOver,
    HandOverStatus,
    OpenRole,
    OutgoingChoice,
    Response,
    ResponseStatus,
    RoleKind,
    Succession,
)

logger = logging.getLogger(__name__)

MAX_MESSAGE = 1000
MAX_REASON = 2000
MAX_HOURS = 200
#: The host's finance officers are asked about the treasurer at most once in this time.
ASK_HOST_AGAIN = datetime.timedelta(days=1)

#: The standard checklist of every hand-over: (key, English msgid). The treasurer item
#: is added only when a host keeps the initiative's books.
DEFAULT_ITEMS = [
    ("accounts", gettext_noop("Accounts and log-ins of the initiative (e-mail, website, tools)")),
    ("keys", gettext_noop("Keys (building, storage, shed)")),
    ("contacts", gettext_noop("Contacts list (volunteers, partners, the community worker)")),
    ("treasurer", gettext_noop("Treasurer role at the host: ask the host to change it")),
    ("practice", gettext_noop("The practice page of the initiative: read it together")),
    ("bank_card", gettext_noop("Bank card and bank access")),
    ("social_media", gettext_noop("Social media accounts")),
]


class ContinuityError(Exception):
    """A change that is not allowed or not valid; ``str(error)`` is for the person."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def _forbidden() -> ContinuityError:
    return ContinuityError(_("You may not do this for this initiative."), code="forbidden")


def _clean(value: str, *, max_length: int, empty: str | None, single_line: bool = False) -> str:
    value = value or ""
    if not value.strip() and empty is None:
        return ""
    problem = typed_text_problem(
        value, max_length=max_length, empty=empty or "", single_line=single_line
    )
    if problem:
        raise ContinuityError(problem[1], code=problem[0])
    return value.strip()


def _link_of(initiative: Initiative) -> str:
    return reverse("continuity:initiative", kwargs={"slug": initiative.slug})


def managers_of(initiative: Initiative) -> list:
    """The initiators and the host's community workers: who hears about responses."""
    people = {u.pk: u for u in initiative.members.filter(is_active=True)}
    if initiative.host_organisation_id:
        for m in Membership.objects.filter(
            organisation_id=initiative.host_organisation_id,
            role=Role.COMMUNITY_WORKER,
            user__is_active=True,
        ).select_related("user"):
            people.setdefault(m.user_id, m.user)
    return list(people.values())


# -- the search for successors ------------------------------------------------------------------


def open_search(initiative: Initiative) -> Succession | None:
    return Succession.objects.filter(initiative=initiative, is_open=True).first()


@transaction.atomic
def start_search(*, initiative: Initiative, reason: str = "", origin: Origin) -> Succession:
    """Mark the initiative as looking for successors (or return the search already open)."""
    if not access.can_manage(origin.actor, initiative):
        raise _forbidden()
    reason = _clean(reason, max_length=MAX_REASON, empty=None)
    existing = open_search(initiative)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            search = Succession.objects.create(
                initiative=initiative, reason=reason, created_by=origin.actor
            )
    except IntegrityError:  # started at the same moment by another initiator
        return open_search(initiative)
    record_event(action="continuity.search_started", target=initiative, origin=origin)
    return search


@transaction.atomic
def add_role(
    *,
    search: Succession,
    kind: str,
    title: str,
    hours_per_month: int = 0,
    skills: str = "",
    description: str = "",
    starts_on: datetime.date | None = None,
    origin: Origin,
) -> OpenRole:
    if not access.can_manage(origin.actor, search.initiative):
        raise _forbidden()
    if not search.is_open:
        raise ContinuityError(_("This search for successors is closed."), code="closed")
    if kind not in RoleKind.values:
        raise ContinuityError(_("Choose the kind of role."), code="kind")
    title = _clean(
        title or str(RoleKind(kind).label),
        max_length=120,
        empty=_("Give the role a title."),
        single_line=True,
    )
    if not 0 <= int(hours_per_month) <= MAX_HOURS:
        raise ContinuityError(
            _("Hours per month must be between 0 and %(max)s.") % {"max": MAX_HOURS},
            code="hours",
        )
    role = OpenRole.objects.create(
        succession=search,
        kind=kind,
        title=title,
        hours_per_month=int(hours_per_month),
        skills=_clean(skills, max_length=300, empty=None, single_line=True),
        description=_clean(description, max_length=MAX_REASON, empty=None),
        starts_on=starts_on,
    )
    record_event(
        action="continuity.role_opened",
        target=search.initiative,
        details={"role": role.pk, "kind": kind},
        origin=origin,
    )
    return role


@transaction.atomic
def close_search(*, search: Succession, origin: Origin) -> Succession:
    if not access.can_manage(origin.actor, search.initiative):
        raise _forbidden()
    if search.is_open:
        search.is_open = False
        search.closed_at = timezone.now()
        search.save(update_fields=["is_open", "closed_at"])
        record_event(action="continuity.search_closed", target=search.initiative, origin=origin)
    return search


# -- responses ----------------------------------------------------------------------------------


@transaction.atomic
def respond(*, role: OpenRole, message: str, origin: Origin) -> Response:
    """A resident is interested in an open role. The initiators and the community worker
    hear about it; no e-mail address is shown to anyone."""
    user = origin.actor
    role = OpenRole.objects.select_related("succession__initiative").get(pk=role.pk)
    if not access.signed_in(user):
        raise _forbidden()
    initiative = role.succession.initiative
    if initiative.members.filter(pk=user.pk).exists():
        raise ContinuityError(_("You are already an initiator of this initiative."), code="member")
    if not access.can_respond(user, role):
        raise ContinuityError(_("This role is no longer open."), code="closed")
    message = _clean(
        message, max_length=MAX_MESSAGE, empty=_("Write a short message to the initiators.")
    )
    if Response.objects.filter(role=role, responder=user).exists():
        raise ContinuityError(_("You have already responded to this role."), code="duplicate")
    try:
        with transaction.atomic():
            response = Response.objects.create(role=role, responder=user, message=message)
    except IntegrityError:
        raise ContinuityError(
            _("You have already responded to this role."), code="duplicate"
        ) from None
    record_event(
        action="continuity.responded", target=initiative, details={"role": role.pk}, origin=origin
    )
    context = {
        "initiative": initiative,
        "role": role.title,
        "name": user.display_name or _("A resident"),
        "link": _link_of(initiative),
    }
    for person in managers_of(initiative):
        if person.pk != user.pk:
            notify(
                person,
                "continuity.response_received",
                context,
                municipality=initiative.municipality_code(),
            )
    return response


def holder_of(initiative: Initiative, kind: str):
    """The initiator who holds this kind of role in the volunteer load records, or None
    when nobody or more than one initiator holds it (then the initiators pick)."""
    if kind not in KeyRoleKind.values:
        return None
    holders = {
        k.user
        for k in KeyRole.objects.current()
        .filter(initiative=initiative, role=kind, user__in=initiative.members.all())
        .select_related("user")
    }
    return holders.pop() if len(holders) == 1 else None


def _default_items(initiative: Initiative) -> list[tuple[str, str]]:
    hosted = HostingAgreement.objects.filter(initiative=initiative, state="active").exists()
    return [(key, title) for key, title in DEFAULT_ITEMS if key != "treasurer" or hosted]


@transaction.atomic
def choose_successor(*, response: Response, origin: Origin, outgoing=None) -> HandOver:
    """Choose a respondent for the role: the hand-over starts with its checklist.

    ``outgoing`` is the initiator who hands this role over: by default the initiator who
    holds the role in the volunteer load records, else nobody (a new person joins). The
    initiators can still change it on the hand-over page before completing.
    """
    response = (
        Response.objects.select_for_update()
        .select_related("role__succession__initiative", "responder")
        .get(pk=response.pk)
    )
    role = response.role
    initiative = role.succession.initiative
    actor = origin.actor
    if not access.can_manage(actor, initiative):
        raise _forbidden()
    if response.status != ResponseStatus.NEW or role.filled:
        raise ContinuityError(_("This response has already been answered."), code="answered")
    if not role.succession.is_open:
        raise ContinuityError(_("This search for successors is closed."), code="closed")
    if outgoing is None:
        outgoing = holder_of(initiative, role.kind)
    if outgoing is not None and not initiative.members.filter(pk=outgoing.pk).exists():
        raise ContinuityError(_("The outgoing person must be an initiator."), code="outgoing")
    now = timezone.now()
    response.status = ResponseStatus.ACCEPTED
    response.answered_at = now
    response.save(update_fields=["status", "answered_at"])
    role.filled = True
    role.save(update_fields=["filled"])
    handover = HandOver.objects.create(
        initiative=initiative,
        role=role,
        role_title=role.title,
        outgoing=outgoing,
        incoming=response.responder,
        started_by=actor,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(handover=handover, key=key, title=title, position=i)
        for i, (key, title) in enumerate(_default_items(initiative))
    )
    # the other respondents to this role hear that someone else was chosen
    others = list(
        Response.objects.filter(role=role, status=ResponseStatus.NEW).select_related("responder")
    )
    Response.objects.filter(pk__in=[r.pk for r in others]).update(
        status=ResponseStatus.DECLINED, answered_at=now
    )
    record_event(
        action="continuity.successor_chosen",
        target=initiative,
        details={"handover": handover.pk, "role": role.pk, "incoming": response.responder_id},
        origin=origin,
    )
    code = initiative.municipality_code()
    notify(
        response.responder,
        "continuity.response_answered",
        {
            "initiative": initiative,
            "role": role.title,
            "chosen": True,
            "link": reverse("continuity:handover", kwargs={"pk": handover.pk}),
        },
        municipality=code,
    )
    for other in others:
        notify(
            other.responder,
            "continuity.response_answered",
            {
                "initiative": initiative,
                "role": role.title,
                "chosen": False,
                "link": _link_of(initiative),
            },
            municipality=code,
        )
    return handover


@transaction.atomic
def decline_response(*, response: Response, origin: Origin) -> Response:
    # read again under a lock: it may have been chosen since the page was loaded
    response = (
        Response.objects.select_for_update()
        .select_related("role__succession__initiative", "responder")
        .get(pk=response.pk)
    )
    initiative = response.role.succession.initiative
    if not access.can_manage(origin.actor, initiative):
        raise _forbidden()
    if response.status != ResponseStatus.NEW:
        raise ContinuityError(_("This response has already been answered."), code="answered")
    response.status = ResponseStatus.DECLINED
    response.answered_at = timezone.now()
    response.save(update_fields=["status", "answered_at"])
    record_event(
        action="continuity.response_declined",
        target=initiative,
        details={"response": response.pk},
        origin=origin,
    )
    notify(
        response.responder,
        "continuity.response_answered",
        {
            "initiative": initiative,
            "role": response.role.title,
            "chosen": False,
            "link": _link_of(initiative),
        },
        municipality=initiative.municipality_code(),
    )
    return response


# -- the checklist ------------------------------------------------------------------------------


@transaction.atomic
def tick(*, item: ChecklistItem, done: bool = True, origin: Origin) -> ChecklistItem:
    """Tick (or untick) an item: the outgoing or incoming person, or a manager."""
    handover = item.handover
    if not access.can_tick(origin.actor, handover):
        raise _forbidden()
    if done and item.done_at is None:
        item.done_at, item.done_by = timezone.now(), origin.actor
    elif not done:
        item.done_at, item.done_by = None, None
    item.save(update_fields=["done_at", "done_by"])
    return item


@transaction.atomic
def add_item(*, handover: HandOver, title: str, origin: Origin) -> ChecklistItem:
    if not access.can_tick(origin.actor, handover):
        raise _forbidden()
    title = _clean(
        title, max_length=200, empty=_("Write what must be handed over."), single_line=True
    )
    last = handover.items.order_by("-position").values_list("position", flat=True).first()
    return ChecklistItem.objects.create(handover=handover, title=title, position=(last or 0) + 1)


def active_agreement(initiative: Initiative) -> HostingAgreement | None:
    return (
        HostingAgreement.objects.filter(initiative=initiative, state="active")
        .select_related("host")
        .first()
    )


@transaction.atomic
def ask_host_for_treasurer(*, item: ChecklistItem, origin: Origin) -> int:
    """The treasurer item: ask the finance officers of the host to make the new person
    treasurer. The host changes it in its own administration; this sends the request."""
    handover = item.handover
    if item.key != "treasurer" or not access.can_tick(origin.actor, handover):
        raise _forbidden()
    agreement = active_agreement(handover.initiative)
    if agreement is None:
        raise ContinuityError(_("No host keeps the books of this initiative."), code="no-host")
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if item.requested_at is not None and timezone.now() - item.requested_at < ASK_HOST_AGAIN:
        raise ContinuityError(
            _("The host was asked less than a day ago. Give them time to answer."),
            code="asked",
        )
    officers = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=agreement.host_id, role=Role.FINANCE_OFFICER, user__is_active=True
        ).select_related("user")
    ]
    context = {
        "initiative": handover.initiative,
        "host": agreement.host.name,
        "incoming": handover.incoming.display_name if handover.incoming else "",
        "link": reverse("hosting:initiative", kwargs={"slug": handover.initiative.slug}),
    }
    for officer in officers:
        notify(
            officer,
            "continuity.treasurer_request",
            context,
            municipality=handover.initiative.municipality_code(),
        )
    item.requested_at = timezone.now()
    item.save(update_fields=["requested_at"])
    record_event(
        action="continuity.treasurer_change_requested",
        target=handover.initiative,
        details={"handover": handover.pk, "host": agreement.host_id},
        origin=origin,
    )
    return len(officers)


# -- completing ---------------------------------------------------------------------------------

#: ``complete(outgoing=...)`` not given: keep the outgoing person of the hand-over.
_KEEP = object()


def _pass_key_role(handover: HandOver, *, leaves: bool, origin: Origin) -> None:
    """Pass the role on in the volunteer load records (``volunteering``): the incoming
    person holds it from today, the outgoing person's holding ends when they leave.
    Runs while the actor may still manage the initiative (before the outgoing person
    is removed). A rule of volunteering that refuses is logged, not fatal: the
    hand-over itself stands and the key roles can be corrected on their page."""
    kind = handover.role.kind if handover.role_id else ""
    if kind not in KeyRoleKind.values:
        return
    initiative, today = handover.initiative, timezone.localdate()
    try:
        with transaction.atomic():
            if leaves:
                for held in KeyRole.objects.current(today).filter(
                    initiative=initiative, role=kind, user=handover.outgoing
                ):
                    volunteering_services.end_key_role(key_role=held, until=today, origin=origin)
            if (
                not KeyRole.objects.current(today)
                .filter(initiative=initiative, role=kind, user=handover.incoming)
                .exists()
            ):
                volunteering_services.add_key_role(
                    initiative=initiative,
                    role=kind,
                    user=handover.incoming,
                    since=today,
                    origin=origin,
                )
    except (volunteering_services.VolunteeringError, PermissionDenied):
        logger.warning("key role of hand-over %s not passed on", handover.pk, exc_info=True)


@transaction.atomic
def complete(
    *,
    handover: HandOver,
    outgoing_choice: str,
    origin: Origin,
    outgoing=_KEEP,
    today: datetime.date | None = None,
) -> HandOver:
    """The new person becomes initiator; the outgoing person stays named as former
    initiator, leaves, or stays an initiator. The initiative keeps its id, history,
    ledger and practice page. An audit event and a logbook entry record the hand-over.

    ``outgoing`` (an initiator, or None: nobody leaves) replaces the outgoing person
    proposed when the successor was chosen. Only the outgoing person can be removed."""
    handover = HandOver.objects.select_for_update().select_related("initiative").get(pk=handover.pk)
    initiative = handover.initiative
    if not access.can_manage(origin.actor, initiative):
        raise _forbidden()
    if handover.status != HandOverStatus.IN_PROGRESS:
        raise ContinuityError(_("This hand-over is no longer in progress."), code="state")
    if outgoing_choice not in OutgoingChoice.values:
        raise ContinuityError(
            _("Choose what happens to the outgoing person."), code="outgoing_choice"
        )
    if handover.incoming is None or not handover.incoming.is_active:
        raise ContinuityError(_("The incoming person no longer has an account."), code="incoming")
    open_items = [i.title for i in handover.items.filter(done_at__isnull=True)]
    if open_items:
        raise ContinuityError(
            _("Tick every item of the checklist first. Still open: %(items)s.")
            % {"items": "; ".join(_(t) for t in open_items)},
            code="checklist",
        )
    if outgoing is not _KEEP:
        if outgoing is not None and (
            outgoing == handover.incoming or not initiative.members.filter(pk=outgoing.pk).exists()
        ):
            raise ContinuityError(_("The outgoing person must be an initiator."), code="outgoing")
        handover.outgoing = outgoing
        handover.save(update_fields=["outgoing"])
    incoming, outgoing = handover.incoming, handover.outgoing
    if outgoing is not None and not initiative.members.filter(pk=outgoing.pk).exists():
        outgoing = None  # no longer an initiator: nobody is removed
    initiative_services.add_initiator(initiative=initiative, user=incoming, origin=origin)
    leaves = outgoing is not None and outgoing_choice != OutgoingChoice.STAY
    _pass_key_role(handover, leaves=leaves, origin=origin)
    contact_cleared = False
    if leaves:
        initiative_services.remove_initiator(initiative=initiative, user=outgoing, origin=origin)
        if initiative.contact_email.lower() == (outgoing.email or "").lower():
            # the outgoing person's address must not stay the initiative's contact, and the
            # incoming person's address is not published without asking them: the contact
            # stays empty until an initiator sets one (they are told below)
            initiative_services.update_initiative(
                initiative=initiative,
                editor=origin.actor,
                contact_email="",
                contact_name="",
                contact_phone="",
            )
            contact_cleared = True
    now = timezone.now()
    handover.status = HandOverStatus.COMPLETED
    handover.outgoing_choice = outgoing_choice if outgoing is not None else ""
    handover.completed_at = now
    handover.completed_by = origin.actor
    handover.save(update_fields=["status", "outgoing_choice", "completed_at", "completed_by"])
    # the search closes when none of its roles is still open
    if handover.role_id:
        search = handover.role.succession
        if search.is_open and not search.roles.filter(filled=False).exists():
            search.is_open, search.closed_at = False, now
            search.save(update_fields=["is_open", "closed_at"])
    record_event(
        action="continuity.handover_completed",
        target=initiative,
        details={
            "handover": handover.pk,
            "role": handover.role_title,
            "incoming": incoming.pk,
            "outgoing": outgoing.pk if outgoing else None,
            "outgoing_choice": handover.outgoing_choice,
        },
        origin=origin,
    )
    logbook_services.log_handover(
        initiative,
        event_key=f"handover:{handover.pk}",
        happened_on=today or timezone.localdate(),
    )
    context = {
        "initiative": initiative,
        "role": handover.role_title,
        "link": initiative.get_absolute_url(),
        "contact_cleared": contact_cleared,
    }
    for person in {p for p in (incoming, outgoing) if p is not None and p != origin.actor}:
        notify(
            person,
            "continuity.handover_completed",
            context,
            municipality=initiative.municipality_code(),
        )
    return handover


@transaction.atomic
def cancel(*, handover: HandOver, origin: Origin) -> HandOver:
    """Stop a hand-over in progress; its role is open again. The chosen response and the
    responses set to "not chosen" by that choice wait again (so the initiators can choose
    anew) and their authors hear that the role is open again."""
    # read again under a lock: it may have been completed since the page was loaded
    handover = HandOver.objects.select_for_update().select_related("initiative").get(pk=handover.pk)
    if not access.can_manage(origin.actor, handover.initiative):
        raise _forbidden()
    if handover.status != HandOverStatus.IN_PROGRESS:
        raise ContinuityError(_("This hand-over is no longer in progress."), code="state")
    handover.status = HandOverStatus.CANCELLED
    handover.save(update_fields=["status"])
    reopened: list[Response] = []
    if handover.role_id:
        OpenRole.objects.filter(pk=handover.role_id).update(filled=False)
        chosen = Response.objects.filter(
            role_id=handover.role_id,
            responder_id=handover.incoming_id,
            status=ResponseStatus.ACCEPTED,
        ).first()
        if chosen is not None:
            # the choice answered the chosen and the other waiting responses at one moment
            reopened = list(
                Response.objects.select_for_update()
                .filter(role_id=handover.role_id, answered_at=chosen.answered_at)
                .filter(models.Q(pk=chosen.pk) | models.Q(status=ResponseStatus.DECLINED))
                .select_related("responder")
            )
            Response.objects.filter(pk__in=[r.pk for r in reopened]).update(
                status=ResponseStatus.NEW, answered_at=None
            )
    record_event(
        action="continuity.handover_cancelled",
        target=handover.initiative,
        details={"handover": handover.pk, "responses_reopened": len(reopened)},
        origin=origin,
    )
    initiative = handover.initiative
    for response in reopened:
        if response.responder_id != getattr(origin.actor, "pk", None):
            notify(
                response.responder,
                "continuity.role_reopened",
                {
                    "initiative": initiative,
                    "role": handover.role_title,
                    "link": _link_of(initiative),
                },
                municipality=initiative.municipality_code(),
            )
    return handover
