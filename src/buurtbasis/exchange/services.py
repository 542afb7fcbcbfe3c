"""Every write of asking peers and exchange meetings. Plain values and an Origin in,
never a request or a form."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.notifications import notify

from . import access
from .models import (
    MAX_SUBJECT,
    MAX_TEXT,
    BlockedAsker,
    Meeting,
    Message,
    QuestionSettings,
    Registration,
    RegistrationStatus,
    Thread,
    ThreadStatus,
)

#: New questions one person may ask in an hour, and to one initiative in a day.
QUESTIONS_PER_HOUR = 5
QUESTIONS_PER_TARGET_PER_DAY = 2
#: Replies one person may send in an hour (all threads together).
REPLIES_PER_HOUR = 30


class ExchangeError(Exception):
    """A request that cannot be carried out; the message is shown to the person."""


def _text(value: str, *, limit: int, empty: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ExchangeError(empty)
    if len(value) > limit:
        raise ExchangeError(
            ngettext(
                "The text is too long: at most %(limit)d character.",
                "The text is too long: at most %(limit)d characters.",
                limit,
            )
            % {"limit": limit}
        )
    return value


# -- consent ----------------------------------------------------------------------------------


def set_accepts_questions(*, initiative: Initiative, accepts: bool, origin: Origin) -> None:
    """The initiators turn questions from peers on or off."""
    if not access.is_initiator(origin.actor, initiative):
        raise ExchangeError(_("Only the initiators decide whether they accept questions."))
    QuestionSettings.objects.update_or_create(
        initiative=initiative,
        defaults={"accepts_questions": bool(accepts), "changed_by": origin.actor},
    )
    record_event(
        action="exchange.questions_turned_on" if accepts else "exchange.questions_turned_off",
        target=initiative,
        origin=origin,
    )


# -- asking ------------------------------------------------------------------------------------


def _notify_initiators(thread: Thread, kind: str, origin: Origin, *, skip=None) -> None:
    # A conversation is not tied to a municipality (asker and initiators may live in
    # different ones) and its page opens on any of them: the link is a plain path.
    for member in thread.initiative.members.filter(is_active=True):
        if skip is not None and member.pk == skip.pk:
            continue
        notify(
            member,
            kind,
            {"thread": thread, "initiative": thread.initiative, "link": thread.get_absolute_url()},
            language=origin.language,
        )


@transaction.atomic
def ask_question(
    *,
    initiative: Initiative,
    subject: str,
    text: str,
    origin: Origin,
    on_behalf_of: Initiative | None = None,
) -> Thread:
    """A new question from ``origin.actor`` to the initiators of ``initiative``."""
    asker = origin.actor
    if not access.signed_in(asker):
        raise ExchangeError(_("Log in to ask a question."))
    if access.is_initiator(asker, initiative):
        raise ExchangeError(_("You are one of the initiators of this initiative."))
    if not access.accepts_questions(initiative):
        raise ExchangeError(_("The initiators of this initiative do not accept questions."))
    if access.is_blocked(asker, initiative):
        raise ExchangeError(_("The initiators of this initiative do not accept your questions."))
    if on_behalf_of is not None and not access.is_initiator(asker, on_behalf_of):
        raise ExchangeError(_("You can only ask on behalf of your own initiative."))
    subject = _text(subject, limit=MAX_SUBJECT, empty=_("Write a subject."))
    text = _text(text, limit=MAX_TEXT, empty=_("Write your question."))
    if not ratelimit.hit(
        "exchange-ask", str(asker.pk), limit=QUESTIONS_PER_HOUR, window=3600
    ) or not ratelimit.hit(
        "exchange-ask-target",
        f"{asker.pk}:{initiative.pk}",
        limit=QUESTIONS_PER_TARGET_PER_DAY,
        window=86400,
    ):
        raise ExchangeError(
            _("You have asked many questions in a short time. Please try again later.")
        )
    now = timezone.now()
    thread = Thread.objects.create(
        initiative=initiative,
        asker=asker,
        asker_initiative=on_behalf_of,
        subject=subject,
        last_message_at=now,
        waiting_for_initiators=True,
    )
    Message.objects.create(thread=thread, author=asker, by_initiators=False, text=text)
    record_event(action="exchange.question_asked", target=thread, origin=origin)
    _notify_initiators(thread, "exchange.question_asked", origin)
    return thread


@transaction.atomic
def reply(*, thread: Thread, text: str, origin: Origin) -> Message:
    """A reply by the asker or one of the initiators."""
    author = origin.actor
    side = access.side_of(author, thread)
    if side not in ("asker", "initiators"):
        raise ExchangeError(_("Only the asker and the initiators reply in this conversation."))
    # the row as it is now (it may have been closed since the caller read it)
    current = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.status = current.status
    if not thread.is_open:
        raise ExchangeError(_("This conversation is closed."))
    if side == "asker" and access.is_blocked(author, thread.initiative):
        raise ExchangeError(_("The initiators of this initiative do not accept your questions."))
    text = _text(text, limit=MAX_TEXT, empty=_("Write your reply."))
    if not ratelimit.hit("exchange-reply", str(author.pk), limit=REPLIES_PER_HOUR, window=3600):
        raise ExchangeError(
            _("You have sent many replies in a short time. Please try again later.")
        )
    by_initiators = side == "initiators"
    message = Message.objects.create(
        thread=thread, author=author, by_initiators=by_initiators, text=text
    )
    thread.last_message_at = message.created_at
    thread.waiting_for_initiators = not by_initiators
    thread.save(update_fields=["last_message_at", "waiting_for_initiators"])
    if by_initiators:
        if thread.asker is not None:
            notify(
                thread.asker,
                "exchange.question_answered",
                {
                    "thread": thread,
                    "initiative": thread.initiative,
                    "link": thread.get_absolute_url(),
                },
                language=origin.language,
            )
        _notify_initiators(thread, "exchange.asker_replied", origin, skip=author)
    else:
        _notify_initiators(thread, "exchange.asker_replied", origin)
    return message


@transaction.atomic
def close_thread(*, thread: Thread, origin: Origin) -> None:
    side = access.side_of(origin.actor, thread)
    if side not in ("asker", "initiators"):
        raise ExchangeError(_("Only the asker and the initiators close this conversation."))
    if not thread.is_open:
        return
    thread.status = ThreadStatus.CLOSED
    thread.closed_at = timezone.now()
    thread.closed_by = origin.actor
    thread.save(update_fields=["status", "closed_at", "closed_by"])
    record_event(action="exchange.thread_closed", target=thread, origin=origin)


@transaction.atomic
def report_thread(*, thread: Thread, reason: str, origin: Origin) -> None:
    """Report an abusive conversation: it closes, and the platform admins and the host's
    community workers may read it."""
    side = access.side_of(origin.actor, thread)
    if side not in ("asker", "initiators"):
        raise ExchangeError(_("Only the asker and the initiators report this conversation."))
    # the row as it is now: a report stands as it was made, the other side cannot
    # overwrite who reported it or why
    current = Thread.objects.select_for_update().get(pk=thread.pk)
    if current.reported_at is not None:
        raise ExchangeError(_("This conversation has already been reported."))
    reason = _text(reason, limit=500, empty=_("Write why you report this conversation."))
    now = timezone.now()
    thread.reported_at = now
    thread.reported_by = origin.actor
    thread.report_reason = reason
    thread.status = ThreadStatus.CLOSED
    thread.closed_at = thread.closed_at or now
    thread.closed_by = thread.closed_by or origin.actor
    thread.save(
        update_fields=[
            "reported_at",
            "reported_by",
            "report_reason",
            "status",
            "closed_at",
            "closed_by",
        ]
    )
    record_event(
        action="exchange.thread_reported",
        target=thread,
        details={"by": side},
        origin=origin,
    )


@transaction.atomic
def block_asker(*, thread: Thread, origin: Origin) -> None:
    """The initiators accept no more questions from this thread's asker; the thread closes."""
    if access.side_of(origin.actor, thread) != "initiators":
        raise ExchangeError(_("Only the initiators block an asker."))
    if thread.asker is None:
        raise ExchangeError(_("The asker no longer has an account."))
    BlockedAsker.objects.get_or_create(
        initiative=thread.initiative,
        person=thread.asker,
        defaults={"blocked_by": origin.actor},
    )
    if thread.is_open:
        thread.status = ThreadStatus.CLOSED
        thread.closed_at = timezone.now()
        thread.closed_by = origin.actor
        thread.save(update_fields=["status", "closed_at", "closed_by"])
    record_event(action="exchange.asker_blocked", target=thread, origin=origin)


# -- meetings ------------------------------------------------------------------------------------


def _notify_registration(registration: Registration, kind: str, origin: Origin) -> None:
    meeting = registration.meeting
    for member in registration.initiative.members.filter(is_active=True):
        notify(
            member,
            kind,
            {
                "meeting": meeting,
                "initiative": registration.initiative,
                "link": meeting.get_absolute_url(),
            },
            language=origin.language,
            municipality=meeting.municipality_code,
        )


@transaction.atomic
def create_meeting(
    *,
    organisation,
    municipality_code: str,
    title: str,
    description: str,
    themes,
    starts_at,
    ends_at,
    place: str,
    online_link: str,
    max_places: int,
    open_to_all: bool,
    invited,
    origin: Origin,
) -> Meeting:
    """A community worker organises a meeting; the invited initiatives' initiators hear it."""
    if (
        not access.organising_organisations(origin.actor, municipality_code)
        .filter(pk=organisation.pk)
        .exists()
    ):
        raise ExchangeError(_("You cannot organise a meeting for this organisation here."))
    title = _text(title, limit=150, empty=_("Write a title."))
    if not place.strip() and not online_link.strip():
        raise ExchangeError(_("Give a place or an online link."))
    if ends_at is not None and ends_at <= starts_at:
        raise ExchangeError(_("The meeting ends before it starts."))
    if max_places < 1:
        raise ExchangeError(_("A meeting has at least one place."))
    meeting = Meeting.objects.create(
        municipality_code=municipality_code,
        organisation=organisation,
        title=title,
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        max_places=max_places,
        open_to_all=open_to_all,
        created_by=origin.actor,
    )
    meeting.themes.set(themes)
    invited = list(invited)
    meeting.invited.set(invited)
    record_event(
        action="exchange.meeting_created",
        target=meeting,
        details={"invited": [i.pk for i in invited], "open_to_all": open_to_all},
        origin=origin,
    )
    for initiative in Initiative.objects.filter(pk__in=[i.pk for i in invited]).prefetch_related(
        "members"
    ):
        for member in initiative.members.all():
            if not member.is_active:
                continue
            notify(
                member,
                "exchange.meeting_invitation",
                {"meeting": meeting, "initiative": initiative, "link": meeting.get_absolute_url()},
                language=origin.language,
                municipality=municipality_code,
            )
    return meeting


def places_taken(meeting: Meeting, *, exclude: Registration | None = None) -> int:
    taken = meeting.registrations.filter(status=RegistrationStatus.REGISTERED)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.aggregate(n=Sum("people"))["n"] or 0


@transaction.atomic
def register(
    *, meeting: Meeting, initiative: Initiative, people: int, names: str, origin: Origin
) -> Registration:
    """Register an initiative (or change its registration). When the places are taken it
    goes on the waiting list."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not access.is_initiator(origin.actor, initiative):
        raise ExchangeError(_("Only its initiators register an initiative."))
    if not access.may_register(initiative, meeting):
        raise ExchangeError(_("This initiative is not invited to this meeting."))
    if meeting.cancelled_at is not None:
        raise ExchangeError(_("This meeting has been cancelled."))
    if meeting.starts_at <= timezone.now():
        raise ExchangeError(_("This meeting has already started."))
    if not 1 <= people <= 20:
        raise ExchangeError(_("Register between 1 and 20 people."))
    if people > meeting.max_places:
        # it would never fit, and wait at the head of the list before everyone else
        raise ExchangeError(
            ngettext(
                "This meeting has %(places)d place: register at most that many people.",
                "This meeting has %(places)d places: register at most that many people.",
                meeting.max_places,
            )
            % {"places": meeting.max_places}
        )
    names = (names or "").strip()[:300]
    existing = Registration.objects.filter(meeting=meeting, initiative=initiative).first()
    waiting = meeting.registrations.filter(status=RegistrationStatus.WAITING)
    if existing is not None and existing.status == RegistrationStatus.REGISTERED:
        waiting = waiting.none()  # it keeps its place (a change that does not fit is refused)
    elif existing is not None and existing.status == RegistrationStatus.WAITING:
        waiting = waiting.exclude(pk=existing.pk).filter(created_at__lte=existing.created_at)
    fits = places_taken(meeting, exclude=existing) + people <= meeting.max_places
    if existing is not None and existing.status == RegistrationStatus.REGISTERED and not fits:
        # more people than fit: keep the places it has rather than lose them to the
        # waiting list (where, at its head, it would keep everyone after it waiting)
        raise ExchangeError(
            ngettext(
                "Not enough places are free for %(people)d people. Your registration for "
                "%(current)d person stays as it was.",
                "Not enough places are free for %(people)d people. Your registration for "
                "%(current)d people stays as it was.",
                existing.people,
            )
            % {"people": people, "current": existing.people}
        )
    # first come, first served: nobody passes a registration that waits before it
    status = (
        RegistrationStatus.REGISTERED
        if fits and not waiting.exists()
        else RegistrationStatus.WAITING
    )
    if existing is None:
        registration = Registration.objects.create(
            meeting=meeting,
            initiative=initiative,
            registered_by=origin.actor,
            people=people,
            names=names,
            status=status,
        )
    else:
        registration = existing
        if existing.status == RegistrationStatus.CANCELLED:
            # coming back after cancelling is a new registration: it joins the back of
            # the waiting list instead of taking its old turn
            registration.created_at = timezone.now()
        registration.people = people
        registration.names = names
        registration.status = status
        registration.registered_by = origin.actor
        registration.save()
    record_event(
        action="exchange.registered",
        target=meeting,
        details={"initiative": initiative.pk, "people": people, "status": status},
        origin=origin,
    )
    _promote_waiting(meeting, origin)
    registration.refresh_from_db()
    return registration


def _promote_waiting(meeting: Meeting, origin: Origin) -> None:
    """Give free places to the waiting list, first come first served: it stops at the
    first registration that does not fit, so nobody passes one that waits before it."""
    taken = places_taken(meeting)
    for waiting in meeting.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "created_at", "pk"
    ):
        if taken + waiting.people > meeting.max_places:
            break
        waiting.status = RegistrationStatus.REGISTERED
        waiting.save(update_fields=["status", "changed_at"])
        taken += waiting.people
        _notify_registration(waiting, "exchange.place_available", origin)


@transaction.atomic
def cancel_registration(*, registration: Registration, origin: Origin) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    if not access.is_initiator(origin.actor, registration.initiative):
        raise ExchangeError(_("Only its initiators cancel an initiative's registration."))
    if registration.status == RegistrationStatus.CANCELLED:
        return
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "changed_at"])
    record_event(
        action="exchange.registration_cancelled",
        target=meeting,
        details={"initiative": registration.initiative_id},
        origin=origin,
    )
    if meeting.starts_at > timezone.now() and meeting.cancelled_at is None:
        _promote_waiting(meeting, origin)


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, origin: Origin) -> None:
    if not access.can_manage_meeting(origin.actor, meeting):
        raise ExchangeError(_("Only the organisers cancel this meeting."))
    if meeting.cancelled_at is not None:
        return
    if meeting.starts_at <= timezone.now():
        # it took place (or is under way): its registrations and report stand
        raise ExchangeError(_("This meeting has already started."))
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    record_event(action="exchange.meeting_cancelled", target=meeting, origin=origin)
    for registration in meeting.registrations.exclude(
        status=RegistrationStatus.CANCELLED
    ).select_related("initiative", "meeting"):
        _notify_registration(registration, "exchange.meeting_cancelled", origin)


@transaction.atomic
def publish_report(*, meeting: Meeting, shared: str, lessons: str, origin: Origin) -> None:
    """The short report afterwards, published on the meeting's page."""
    if not access.can_manage_meeting(origin.actor, meeting):
        raise ExchangeError(_("Only the organisers write the report of this meeting."))
    if meeting.cancelled_at is not None:
        raise ExchangeError(_("This meeting has been cancelled."))
    if meeting.starts_at > timezone.now():
        raise ExchangeError(_("Write the report after the meeting."))
    shared = _text(shared, limit=MAX_TEXT, empty=_("Write what was shared."))
    lessons = _text(lessons, limit=MAX_TEXT, empty=_("Write the key lessons."))
    first = meeting.report_published_at is None
    meeting.report_shared = shared
    meeting.report_lessons = lessons
    meeting.report_published_at = meeting.report_published_at or timezone.now()
    meeting.save(update_fields=["report_shared", "report_lessons", "report_published_at"])
    record_event(
        action="exchange.report_published" if first else "exchange.report_changed",
        target=meeting,
        origin=origin,
    )


def remove_registration_names(now=None) -> int:
    """Clear the names typed in registrations of meetings that ended more than
    ``EXCHANGE_REGISTRATION_NAMES_DAYS`` ago (scheduled daily); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXCHANGE_REGISTRATION_NAMES_DAYS)
    ended = Meeting.objects.annotate(ended_at=Coalesce("ends_at", "starts_at")).filter(
        ended_at__lt=cutoff
    )
    return (
        Registration.objects.filter(meeting__in=ended.values("pk"))
        .exclude(names="")
        .update(names="")
    )


def delete_old_threads(now=None) -> int:
    """Delete conversations closed, or without a new message, for more than
    ``EXCHANGE_THREAD_RETENTION_DAYS`` (scheduled daily); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXCHANGE_THREAD_RETENTION_DAYS)
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                Thread.objects.filter(
                    Q(closed_at__lt=cutoff) | Q(last_message_at__lt=cutoff)
                ).values_list("pk", flat=True)[:500]
            )
            if not batch:
                break
            Thread.objects.filter(pk__in=batch).delete()
            deleted += len(batch)
    return deleted
