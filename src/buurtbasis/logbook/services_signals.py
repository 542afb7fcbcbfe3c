"""Signals with answers: stories become a signal to the municipality, which answers.

A community worker of the municipality makes a signal from one or more stories (what,
where, urgency, department). A civil servant moves it through the statuses of Signalen
(``models.TRANSITIONS``) and answers it; every change is kept (``SignalChange``) and
audited with who, when and why. The answer goes to the signal's maker and, for every
story whose teller allowed contact, to the teller. Signal and answer go into the logbook.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.notifications import Address, notify
from buurtbasis.stories import access as story_access
from buurtbasis.stories.models import ContactChannel, Story

from . import access, adapters
from .models import (  # noqa: F401  (TRANSITIONS is used by the views)
    ANSWER_DAYS,
    TRANSITIONS,
    Audience,
    Department,
    EntryKind,
    LogEntry,
    Signal,
    SignalAnswer,
    SignalChange,
    SignalStatus,
    Urgency,
)
from .services import MAX_BODY, MAX_TITLE, LogbookError, _clean, entry_areas

#: At most this many stories in one signal.
MAX_STORIES = 50
#: Statuses that need a reason (the people who read the history must know why).
NEEDS_REASON = frozenset(
    {SignalStatus.RESPONSE_REQUESTED, SignalStatus.CANCELLED, SignalStatus.REOPENED}
)
#: The maker of the signal (a community worker) may only give the response that was asked
#: for, reopen a handled signal, or cancel it; everything else is for civil servants.
WORKER_STEPS = frozenset(
    {SignalStatus.RESPONSE_RECEIVED, SignalStatus.REOPENED, SignalStatus.CANCELLED}
)


def due_at(urgency: str, start: datetime.datetime) -> datetime.datetime:
    return start + datetime.timedelta(days=ANSWER_DAYS[Urgency(urgency)])


def story_count(signal: Signal) -> int:
    """How many stories say so: counted now, so a withdrawn story no longer counts."""
    return signal.stories.visible().count()


def _log(signal: Signal, kind: str, event_key: str, when: datetime.datetime) -> None:
    source_type = ContentType.objects.get_for_model(Signal)
    for area in entry_areas([signal.area]):
        LogEntry.objects.get_or_create(
            source_type=source_type,
            source_id=signal.pk,
            kind=kind,
            event_key=event_key,
            area=area,
            defaults={
                "municipality_code": signal.municipality_code,
                "audience": Audience.PROFESSIONALS,
                "title": signal.title,
                "happened_on": timezone.localdate(when),
                "details": {"department": signal.department.name},
            },
        )


def _change(signal, from_status, to_status, reason, origin) -> SignalChange:
    change = SignalChange.objects.create(
        signal=signal,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changed_by=origin.actor,
    )
    record_event(
        action="logbook.signal_status",
        target=signal,
        details={"from": change.from_status, "to": to_status, "reason": reason},
        origin=origin,
    )
    return change


@transaction.atomic
def make_signal(
    *,
    area: Area,
    title: str,
    description: str,
    urgency: str,
    department: Department,
    stories: list[Story],
    origin: Origin,
) -> Signal:
    """A community worker of the municipality turns stories into a signal."""
    actor = origin.actor
    code = area.municipality_code
    if area.level == AreaLevel.MUNICIPALITY or not access.is_community_worker(actor, code):
        raise LogbookError(_("Only community workers can make a signal here."), code="forbidden")
    if department.municipality_code != code:
        raise LogbookError(_("Choose a department of this municipality."), code="department")
    if urgency not in Urgency.values:
        raise LogbookError(_("Choose how urgent the signal is."), code="urgency")
    if not stories:
        raise LogbookError(_("Choose at least one story."), code="no_stories")
    if len(stories) > MAX_STORIES:
        raise LogbookError(
            ngettext("Choose at most %(n)s story.", "Choose at most %(n)s stories.", MAX_STORIES)
            % {"n": MAX_STORIES},
            code="too_many",
        )
    ids = [s.pk for s in stories]
    found = Story.objects.visible().in_municipality(code).filter(pk__in=ids).count()
    if found != len(set(ids)):
        raise LogbookError(_("Choose stories of this municipality."), code="foreign_story")
    # Only stories the worker may read as a professional of their round.
    readable = (
        Story.objects.filter(pk__in=ids)
        .filter(round__in=story_access.rounds_for_professional(actor, code))
        .count()
    )
    if readable != len(set(ids)):
        raise LogbookError(
            _("Choose stories of rounds you take part in as a professional."),
            code="foreign_round",
        )
    keep = adapters.names_to_keep(area)
    title = adapters.mask_text(
        _clean(
            title, max_length=MAX_TITLE, empty=_("Say what the signal is about."), single_line=True
        ),
        keep,
    )
    description = adapters.mask_text(
        _clean(description, max_length=MAX_BODY, empty=_("Describe what the stories say.")),
        keep,
    )
    now = timezone.now()
    signal = Signal.objects.create(
        municipality_code=code,
        area=area,
        title=title,
        description=description,
        urgency=urgency,
        department=department,
        created_by=actor,
        created_at=now,
        due_at=due_at(urgency, now),
    )
    signal.stories.set(ids)
    _change(signal, "", SignalStatus.REPORTED, "", origin)
    _log(signal, EntryKind.SIGNAL, "", now)
    return signal


def allowed_steps(signal: Signal, user) -> tuple[str, ...]:
    """The statuses this person may move the signal to now (not "handled": that is
    ``answer``)."""
    steps = [s for s in TRANSITIONS[signal.status] if s != SignalStatus.HANDLED]
    if access.is_civil_servant(user, signal.municipality_code):
        return tuple(steps)
    if signal.created_by_id == getattr(user, "pk", None):
        return tuple(s for s in steps if s in WORKER_STEPS)
    return ()


def _notify_maker(signal: Signal, origin: Origin, reason: str = "") -> None:
    if signal.created_by_id == getattr(origin.actor, "pk", None):
        return
    notify(
        signal.created_by,
        "logbook.signal_changed",
        {
            "signal": signal,
            "status": SignalStatus(signal.status).label,
            "reason": reason,
            "link": signal.get_absolute_url(),
        },
        language=origin.language,
        municipality=signal.municipality_code,
    )


@transaction.atomic
def change_status(*, signal: Signal, to_status: str, reason: str = "", origin: Origin) -> Signal:
    """Move the signal one step; who may take which step: ``allowed_steps``."""
    signal = Signal.objects.select_for_update().select_related("created_by").get(pk=signal.pk)
    if to_status not in allowed_steps(signal, origin.actor):
        raise LogbookError(
            _("A signal with status “%(from)s” cannot become “%(to)s” by you.")
            % {
                "from": SignalStatus(signal.status).label,
                "to": SignalStatus(to_status).label
                if to_status in SignalStatus.values
                else to_status,
            },
            code="transition",
        )
    reason = (reason or "").strip()
    if to_status in NEEDS_REASON:
        reason = _clean(reason, max_length=MAX_BODY, empty=_("Say why."))
    elif reason:
        reason = _clean(reason, max_length=MAX_BODY, empty="")
    if reason:  # shown to the maker and on the tellers' answer page: masked like a note
        reason = _masked(signal, reason)
    _change(signal, signal.status, to_status, reason, origin)
    signal.status = to_status
    fields = ["status", "updated_at"]
    if to_status == SignalStatus.REOPENED:
        signal.due_at = due_at(signal.urgency, timezone.now())
        fields.append("due_at")
    signal.save(update_fields=fields)
    _notify_maker(signal, origin, reason)
    return signal


def _masked(signal: Signal, text: str) -> str:
    """``text`` as tellers may read it: personal data masked, the names of the area, its
    organisations and initiatives and of the signal's department kept."""
    keep = adapters.names_to_keep(signal.area) + [signal.department.name]
    return adapters.mask_text(text, keep)


def tellers_to_tell(signal: Signal):
    """The visible stories of the signal whose teller allowed contact."""
    return signal.stories.visible().filter(may_contact=True).select_related("teller")


@transaction.atomic
def answer(*, signal: Signal, text: str, origin: Origin) -> SignalAnswer:
    """A civil servant answers: the signal is handled, its maker and the tellers who
    allowed contact hear the answer, and the answer goes into the logbook."""
    signal = (
        Signal.objects.select_for_update()
        .select_related("created_by", "department")
        .get(pk=signal.pk)
    )
    if not access.is_civil_servant(origin.actor, signal.municipality_code):
        raise LogbookError(
            _("Only civil servants of the municipality answer signals."), code="forbidden"
        )
    if SignalStatus.HANDLED not in TRANSITIONS[signal.status]:
        raise LogbookError(
            _("A signal with status “%(from)s” cannot be answered.")
            % {"from": SignalStatus(signal.status).label},
            code="transition",
        )
    text = _masked(signal, _clean(text, max_length=MAX_BODY, empty=_("Write the answer.")))
    now = timezone.now()
    reply = SignalAnswer.objects.create(
        signal=signal, text=text, answered_by=origin.actor, answered_at=now
    )
    _change(signal, signal.status, SignalStatus.HANDLED, "", origin)
    signal.status = SignalStatus.HANDLED
    signal.save(update_fields=["status", "updated_at"])
    _log(signal, EntryKind.SIGNAL_ANSWERED, f"answer:{reply.pk}", now)
    _notify_maker(signal, origin)
    told, seen = 0, set()
    context = {
        "signal": signal,
        "answer": reply,
        "link": reverse("signals:teller", kwargs={"pk": signal.pk}),
    }
    for story in tellers_to_tell(signal):
        who = story.teller_id or story.contact_detail.strip().lower()
        if not who or who in seen:
            continue
        seen.add(who)
        if story.teller is not None:
            if not story.teller.is_active:
                continue
            notify(
                story.teller,
                "logbook.story_answered",
                context,
                language=origin.language,
                municipality=signal.municipality_code,
            )
            told += 1
        elif story.contact_channel == ContactChannel.EMAIL and story.contact_detail:
            notify(
                Address(story.contact_detail, origin.language),
                "logbook.story_answered_mail",
                {**context, "link": ""},
                municipality=signal.municipality_code,
            )
            told += 1
    if told:
        reply.tellers_notified = told
        SignalAnswer.objects.filter(pk=reply.pk).update(tellers_notified=told)
    record_event(
        action="logbook.signal_answered",
        target=signal,
        details={"answer": reply.pk, "tellers_notified": told},
        origin=origin,
    )
    return reply
