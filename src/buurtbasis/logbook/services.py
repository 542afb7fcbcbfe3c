"""Writing the logbook: automatic entries from the apps below, and notes by professionals.

Every write here takes plain values (and an ``Origin`` for people); the receivers in
``receivers.py`` and the ``backfill_logbook`` command call the ``log_*`` functions,
which are idempotent: one entry per source, kind, event and area (a unique constraint
holds it, also when two processes race).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.forms import typed_text_problem

from . import access, adapters
from .models import PUBLIC_KINDS, Audience, EntryKind, LogEntry

MAX_TITLE = 200
MAX_BODY = 5000


class LogbookError(Exception):
    """A write that is not allowed or not valid; ``str(error)`` is for the person."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


# -- where an entry goes ------------------------------------------------------------------------


def entry_areas(areas: Iterable[Area]) -> list[Area]:
    """The areas to log an event of an object with these areas on: one per wijk.

    A buurt alone stays a buurt; several buurten of one wijk (or a buurt and its wijk)
    become that wijk; a gemeente stays a gemeente (it shows in every wijk's timeline).
    """
    groups: dict[str, list[Area]] = {}
    for area in areas:
        if area.level == AreaLevel.NEIGHBOURHOOD and area.parent_id is not None:
            key = area.parent.code
        else:
            key = area.code
        groups.setdefault(key, []).append(area)
    chosen = []
    for members in groups.values():
        whole = [a for a in members if a.level != AreaLevel.NEIGHBOURHOOD]
        if whole:
            chosen.append(whole[0])
        elif len(members) == 1:
            chosen.append(members[0])
        else:
            chosen.append(members[0].parent)
    return sorted(chosen, key=lambda a: a.code)


def _record(
    *,
    source: models.Model,
    kind: str,
    event_key: str = "",
    areas: Iterable[Area],
    title: str,
    happened_on: datetime.date,
    public: bool,
    details: dict | None = None,
) -> list[LogEntry]:
    """One entry per area for this event of ``source``; existing entries are kept."""
    source_type = ContentType.objects.get_for_model(source)
    audience = Audience.PUBLIC if public and kind in PUBLIC_KINDS else Audience.PROFESSIONALS
    made = []
    for area in entry_areas(areas):
        lookup = {
            "source_type": source_type,
            "source_id": source.pk,
            "kind": kind,
            "event_key": event_key,
            "area": area,
        }
        if LogEntry.objects.filter(**lookup).exists():
            continue
        try:
            with transaction.atomic():
                made.append(
                    LogEntry.objects.create(
                        **lookup,
                        municipality_code=area.municipality_code,
                        audience=audience,
                        title=title[:MAX_TITLE],
                        happened_on=happened_on,
                        details=details or {},
                    )
                )
        except IntegrityError:  # another process logged the same event meanwhile
            continue
    return made


def _local_date(moment: datetime.datetime | None) -> datetime.date:
    if moment is None:
        return timezone.localdate()
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


# -- automatic entries --------------------------------------------------------------------------


def log_round_opened(budget_round) -> list[LogEntry]:
    """A buurtbudget round that is public (made public, or made as public)."""
    if not budget_round.is_public:
        return []
    first = budget_round.phases.order_by("starts_at").first()
    return _record(
        source=budget_round,
        kind=EntryKind.ROUND_OPENED,
        areas=budget_round.areas.select_related("parent"),
        title=budget_round.title,
        happened_on=_local_date(first.starts_at if first else budget_round.created_at),
        public=True,
        details={"budget_cents": budget_round.budget_cents},
    )


def log_results_published(outcome) -> list[LogEntry]:
    """The first stored outcome of a round (a recount adds nothing new)."""
    # read again: the outcome may carry a round object from before it was published
    budget_round = type(outcome.budget_round).objects.get(pk=outcome.budget_round_id)
    return _record(
        source=budget_round,
        kind=EntryKind.RESULTS_PUBLISHED,
        areas=budget_round.areas.select_related("parent"),
        title=budget_round.title,
        happened_on=_local_date(outcome.computed_at),
        public=budget_round.is_public,
        details={
            "funded": len(outcome.funded_plan_ids),
            "total_cents": outcome.total_cost_cents,
            "budget_cents": outcome.budget_cents,
            "ballots": outcome.n_ballots,
        },
    )


_INITIATIVE_KINDS = {
    "idea": EntryKind.INITIATIVE_STARTED,
    "active": EntryKind.INITIATIVE_STARTED,
    "handed_over": EntryKind.INITIATIVE_HANDED_OVER,
    "ended": EntryKind.INITIATIVE_ENDED,
}


def log_initiative_change(change) -> list[LogEntry]:
    """An initiative registered as an idea, started, handed over or ended (not paused)."""
    kind = _INITIATIVE_KINDS.get(change.to_status)
    if kind is None:
        return []
    initiative = change.initiative
    return _record(
        source=initiative,
        kind=kind,
        event_key=f"change:{change.pk}",
        areas=initiative.areas.select_related("parent"),
        title=initiative.name,
        happened_on=change.changed_on,
        public=initiative.is_public,
        details={"status": change.to_status},
    )


def log_hosting(agreement) -> list[LogEntry]:
    """A hosting agreement that became active or ended (for professionals)."""
    if agreement.state == "active":
        moment = agreement.accepted_at
    elif agreement.state == "ended" and agreement.accepted_at is not None:
        moment = agreement.ended_at
    else:
        return []
    initiative = agreement.initiative
    return _record(
        source=agreement,
        kind=EntryKind.HOSTING,
        event_key=agreement.state,
        areas=initiative.areas.select_related("parent"),
        title=initiative.name,
        happened_on=_local_date(moment),
        public=False,
        details={"state": agreement.state, "host": agreement.host.name},
    )


def log_story_round(story_round) -> list[LogEntry]:
    """A story round that is open, or closed (public: such a round is public already).

    One entry for its opening and one for its closing: a round opened again later adds
    nothing new. A closed round that was never logged as opened gets both.
    """
    if story_round.status not in ("open", "closed"):
        return []
    areas = list(story_round.areas.select_related("parent"))
    made = _record(
        source=story_round,
        kind=EntryKind.STORY_ROUND_OPENED,
        areas=areas,
        title=story_round.title,
        happened_on=_local_date(story_round.opens_at),
        public=True,
    )
    if story_round.status == "closed":
        made += _record(
            source=story_round,
            kind=EntryKind.STORY_ROUND_CLOSED,
            areas=areas,
            title=story_round.title,
            happened_on=_local_date(min(story_round.closes_at, timezone.now())),
            public=True,
        )
    return made


def log_sensemaking(session) -> list[LogEntry]:
    """A sensemaking session of a story round (for professionals: the conclusions stay
    with the round; the entry says when, how many took part, and for which round)."""
    story_round = session.round
    return _record(
        source=session,
        kind=EntryKind.SENSEMAKING,
        areas=story_round.areas.select_related("parent"),
        title=story_round.title,
        happened_on=session.held_on,
        public=False,
        details={"participants": session.participants},
    )


def log_handover(initiative, *, event_key: str, happened_on: datetime.date) -> list[LogEntry]:
    """A completed hand-over of an initiative to new people (the continuity app calls this).

    Names no person: the entry says that the initiative was handed over, as a status
    change to "handed over" does.
    """
    return _record(
        source=initiative,
        kind=EntryKind.INITIATIVE_HANDED_OVER,
        event_key=event_key,
        areas=initiative.areas.select_related("parent"),
        title=initiative.name,
        happened_on=happened_on,
        public=initiative.is_public,
        details={"status": "handed_over"},
    )


# -- notes by professionals ---------------------------------------------------------------------


def _clean(value: str, *, max_length: int, empty: str, single_line: bool = False) -> str:
    problem = typed_text_problem(value, max_length=max_length, empty=empty, single_line=single_line)
    if problem:
        code, message, _value = problem
        raise LogbookError(message, code=code)
    return (value or "").strip()


@transaction.atomic
def add_note(
    *,
    area: Area,
    title: str,
    body: str,
    happened_on: datetime.date | None = None,
    for_handover: bool = False,
    corrects: LogEntry | None = None,
    origin: Origin,
) -> LogEntry:
    """A note by a professional of the area's municipality (agreements, contacts, lessons).

    Notes are for professionals only. Names of people, e-mail addresses, phone numbers,
    street addresses and postcodes are masked before the note is stored (names of the
    area, organisations and initiatives stay). A correction is a new note that refers to
    the entry it corrects; the old one stays.
    """
    actor = origin.actor
    code = area.municipality_code
    if area.level == AreaLevel.MUNICIPALITY or not access.is_professional(actor, code):
        raise LogbookError(_("You may not write in this logbook."), code="forbidden")
    title = _clean(title, max_length=MAX_TITLE, empty=_("Give the note a title."), single_line=True)
    body = _clean(body, max_length=MAX_BODY, empty=_("Write the note."))
    keep = adapters.names_to_keep(area)
    title, body = adapters.mask_text(title, keep), adapters.mask_text(body, keep)
    today = timezone.localdate()
    happened_on = happened_on or today
    if happened_on > today:
        raise LogbookError(_("The date cannot be in the future."), code="future")
    if corrects is not None and corrects.municipality_code != code:
        raise LogbookError(_("You can only correct an entry of this logbook."), code="foreign")
    entry = LogEntry.objects.create(
        municipality_code=code,
        area=area,
        kind=EntryKind.NOTE,
        audience=Audience.PROFESSIONALS,
        title=title,
        body=body,
        happened_on=happened_on,
        author=actor,
        for_handover=for_handover,
        corrects=corrects,
    )
    record_event(
        action="logbook.note_added",
        target=entry,
        details={"area": area.code, "corrects": corrects.pk if corrects else None},
        origin=origin,
    )
    return entry
