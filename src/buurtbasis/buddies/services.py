"""Every write of the buddy programme: intake, the pair's life cycle, check-ins, reminders,
batch proposals and retention. Each takes plain values and an ``Origin``.

The pair's states::

    proposed --(both households accept)--> active --> completed --> evaluated
        |                                     \\--> ended_early --> evaluated
        \\--(a household declines)--> declined

A proposal is never a decision: a pair only starts when both households accepted,
each through its contact person's account or recorded by a matcher on its behalf
(who and when are kept). Decisions are written to the audit trail.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.organisations.access import Role
from buurtbasis.organisations.models import Membership
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.notifications import notify

from . import adapters, conf
from .models import (
    OPEN_PAIR_STATUSES,
    BatchProposal,
    BatchStatus,
    CheckIn,
    Household,
    HouseholdStatus,
    Kind,
    Pair,
    PairStatus,
    Programme,
)


class BuddyError(Exception):
    """A step that is not allowed now; the message is for the person (translated)."""


# ----------------------------------------------------------------------------- helpers


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter).

    >>> add_months(datetime.date(2025, 8, 31), 6)
    datetime.date(2026, 2, 28)
    """
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def matchers_of(programme: Programme):
    """The people who match for the programme (matchers of its organisation)."""
    from buurtbasis.accounts.models import User

    ids = Membership.objects.filter(
        organisation_id=programme.organisation_id, role=Role.MATCHER
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")


def touch(programme_id: int) -> None:
    """Raise the programme's matching version: its cached encoded households are stale."""
    Programme.objects.filter(pk=programme_id).update(matching_version=F("matching_version") + 1)


INTAKE_FIELDS = (
    "kind",
    "label",
    "adults",
    "children_ages",
    "languages",
    "interests",
    "availability",
    "area",
    "wishes",
    "language_required",
    "sensitive",
    "consent_sensitive",
    "contact",
    "invited_email",
)


def _clean_intake(data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: data[k] for k in INTAKE_FIELDS if k in data}
    if "children_ages" in clean:
        ages = sorted(int(a) for a in clean["children_ages"])
        if any(a < 0 or a > 17 for a in ages):
            raise BuddyError(_("Children's ages are from 0 to 17."))
        clean["children_ages"] = ages
    if "sensitive" in clean:
        clean["sensitive"] = {k: v.strip() for k, v in (clean["sensitive"] or {}).items() if v}
        if not clean["sensitive"]:
            clean["consent_sensitive"] = False
    return clean


def _locate(household: Household) -> None:
    point = adapters.centroid(household.area)
    household.lat, household.lon = point if point else (None, None)


@transaction.atomic
def create_household(
    *, programme: Programme, data: dict[str, Any], origin: Origin, ready: bool = False
) -> Household:
    """A household in intake (``ready``: straight to waiting). ``data`` holds the intake
    fields (see ``INTAKE_FIELDS``); the location is the area's centroid."""
    household = Household(programme=programme, created_by=origin.actor, **_clean_intake(data))
    if ready:
        household.status = HouseholdStatus.WAITING
    _locate(household)
    household.save()
    touch(programme.pk)
    record_event(
        action="buddies.household_created",
        target=household,
        details={"programme": programme.pk, "kind": household.kind},
        origin=origin,
    )
    _invite_contact(household, origin)
    return household


@transaction.atomic
def update_household(*, household: Household, data: dict[str, Any], origin: Origin) -> Household:
    clean = _clean_intake(data)
    invited = clean.get("invited_email", household.invited_email) != household.invited_email
    if clean.get("kind", household.kind) != household.kind and (
        Pair.objects.filter(Q(newcomer=household) | Q(local=household)).exists()
    ):
        raise BuddyError(_("The kind of a household that has been in a pair cannot change."))
    for key, value in clean.items():
        setattr(household, key, value)
    household.updated_at = timezone.now()
    _locate(household)
    household.save()
    touch(household.programme_id)
    record_event(action="buddies.household_updated", target=household, origin=origin)
    if invited:
        _invite_contact(household, origin)
    return household


def _invite_contact(household: Household, origin: Origin) -> None:
    """Invite the account with the household's ``invited_email`` (active, address verified)
    to confirm that it is the household's contact person. Nothing is linked yet, and the
    matcher is never told whether such an account exists."""
    from buurtbasis.accounts.models import User

    if not household.invited_email or household.erased_at:
        return
    person = User.objects.filter(
        email__iexact=household.invited_email, is_active=True, email_verified=True
    ).first()
    if person is None or person.pk == household.contact_id:
        return
    notify(
        person,
        "buddies.contact_invited",
        {
            "household": household,
            "programme": household.programme,
            "link": reverse("buddies:contact-confirm", args=[household.pk]),
        },
        language=origin.language,
        municipality=household.programme.municipality_code,
    )


@transaction.atomic
def answer_contact_invitation(
    *, household: Household, person, accept: bool, origin: Origin
) -> Household:
    """The invited person confirms (``accept``) or refuses being the household's contact
    person. Only the holder of the invited, verified address can answer."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if (
        not household.invited_email
        or household.erased_at
        or not person.email_verified
        or person.email.lower() != household.invited_email.lower()
    ):
        raise BuddyError(_("This invitation is not for you or no longer valid."))
    if accept:
        household.contact = person
    household.invited_email = ""
    household.save(update_fields=["contact", "invited_email"])
    record_event(
        action="buddies.contact_confirmed" if accept else "buddies.contact_refused",
        target=household,
        origin=origin,
    )
    return household


@transaction.atomic
def mark_ready(*, household: Household, origin: Origin) -> Household:
    """Intake done: the household waits for a buddy household."""
    if household.status != HouseholdStatus.INTAKE:
        raise BuddyError(_("Only a household in intake can be marked ready."))
    household.status = HouseholdStatus.WAITING
    household.save(update_fields=["status"])
    touch(household.programme_id)
    record_event(action="buddies.household_ready", target=household, origin=origin)
    return household


# ----------------------------------------------------------------------------- pairs


def former_partners(household: Household) -> set[int]:
    """Households this one was paired with before (never suggested again)."""
    ids = set()
    for pair in Pair.objects.filter(Q(newcomer=household) | Q(local=household)).only(
        "newcomer_id", "local_id"
    ):
        ids.add(pair.local_id if pair.newcomer_id == household.pk else pair.newcomer_id)
    return ids


def _pair_link(pair: Pair) -> str:
    return reverse("buddies:pair", args=[pair.pk])


@transaction.atomic
def propose_pair(
    *,
    newcomer: Household,
    local: Household,
    origin: Origin,
    score: float = 0.0,
    explanation: str = "",
) -> Pair:
    """Propose two waiting households to each other. Both must accept before it starts."""
    locked = Household.objects.select_for_update().filter(pk__in=[newcomer.pk, local.pk])
    rows = {h.pk: h for h in locked}
    newcomer, local = rows[newcomer.pk], rows[local.pk]
    if newcomer.kind != Kind.NEWCOMER or local.kind != Kind.LOCAL:
        raise BuddyError(_("A pair is one newcomer household and one local household."))
    if newcomer.programme_id != local.programme_id:
        raise BuddyError(_("Both households must be in the same programme."))
    for household in (newcomer, local):
        if household.status != HouseholdStatus.WAITING:
            raise BuddyError(
                _("%(label)s is not waiting for a buddy household.") % {"label": household.label}
            )
    if local.pk in former_partners(newcomer):
        raise BuddyError(_("These households were paired before."))
    pair = Pair.objects.create(
        programme=newcomer.programme,
        newcomer=newcomer,
        local=local,
        score=round(score, 6),
        explanation=explanation[:500],
        proposed_by=origin.actor,
    )
    Household.objects.filter(pk__in=[newcomer.pk, local.pk]).update(status=HouseholdStatus.PAIRED)
    touch(pair.programme_id)
    record_event(
        action="buddies.pair_proposed",
        target=pair,
        details={"newcomer": newcomer.pk, "local": local.pk, "score": pair.score},
        origin=origin,
    )
    for household in (newcomer, local):
        if household.contact_id:
            notify(
                household.contact,
                "buddies.pair_proposed",
                {"pair": pair, "household": household, "link": _pair_link(pair)},
                language=origin.language,
                municipality=pair.programme.municipality_code,
            )
    return pair


def _lock(pair: Pair) -> Pair:
    return (
        Pair.objects.select_for_update()
        .select_related("programme", "newcomer", "local")
        .get(pk=pair.pk)
    )


@transaction.atomic
def accept(
    *,
    pair: Pair,
    side: str,
    origin: Origin,
    on_behalf: bool,
    start: datetime.date | None = None,
) -> Pair:
    """Record that the ``side`` ('newcomer' or 'local') household accepts the pair.

    ``on_behalf``: a matcher records it for the household (who and when are kept);
    otherwise the actor is the household's contact person. When both accepted, the
    pair becomes active (see :func:`activate`)."""
    pair = _lock(pair)
    if side not in ("newcomer", "local"):
        raise BuddyError(_("Unknown side."))
    if pair.status != PairStatus.PROPOSED:
        raise BuddyError(_("This pair is no longer waiting for acceptance."))
    if getattr(pair, f"{side}_accepted_at"):
        raise BuddyError(_("This household has accepted already."))
    now = timezone.now()
    setattr(pair, f"{side}_accepted_at", now)
    setattr(pair, f"{side}_accepted_by", origin.actor)
    setattr(pair, f"{side}_on_behalf", on_behalf)
    pair.save()
    record_event(
        action="buddies.pair_accepted",
        target=pair,
        details={"side": side, "on_behalf": on_behalf},
        origin=origin,
    )
    if pair.newcomer_accepted_at and pair.local_accepted_at:
        activate(pair=pair, origin=origin, start=start)
    return pair


@transaction.atomic
def decline(*, pair: Pair, side: str, origin: Origin, reason: str = "") -> Pair:
    """A household says no: the pair is declined and both households wait again."""
    pair = _lock(pair)
    if side not in ("newcomer", "local"):
        raise BuddyError(_("Unknown side."))
    if pair.status != PairStatus.PROPOSED:
        raise BuddyError(_("This pair is no longer waiting for acceptance."))
    pair.status = PairStatus.DECLINED
    pair.end_reason = reason.strip()[:300]
    pair.ended_on = timezone.localdate()
    pair.save()
    Household.objects.filter(pk__in=[pair.newcomer_id, pair.local_id]).update(
        status=HouseholdStatus.WAITING
    )
    touch(pair.programme_id)
    record_event(action="buddies.pair_declined", target=pair, details={"side": side}, origin=origin)
    return pair


def activate(*, pair: Pair, origin: Origin, start: datetime.date | None = None) -> Pair:
    """Both accepted: the pair starts (today by default) for the programme's term, and the
    check-ins are planned (``BUDDIES_CHECKIN_WEEKS``)."""
    start = start or timezone.localdate()
    pair.status = PairStatus.ACTIVE
    pair.starts_on = start
    pair.ends_on = add_months(start, pair.programme.term_months)
    pair.save()
    CheckIn.objects.bulk_create(
        CheckIn(pair=pair, week=week, due_on=start + datetime.timedelta(weeks=week))
        for week in conf.checkin_weeks()
    )
    record_event(
        action="buddies.pair_active",
        target=pair,
        details={"starts_on": pair.starts_on, "ends_on": pair.ends_on},
        origin=origin,
    )
    return pair


@transaction.atomic
def record_checkin(
    *, checkin: CheckIn, origin: Origin, note: str = "", done_on: datetime.date | None = None
) -> CheckIn:
    """A matcher records a check-in as done, with a short masked note."""
    checkin = CheckIn.objects.select_for_update().select_related("pair").get(pk=checkin.pk)
    if checkin.pair.status != PairStatus.ACTIVE:
        raise BuddyError(_("Check-ins are recorded for active pairs only."))
    if checkin.done_on:
        raise BuddyError(_("This check-in is recorded already."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise BuddyError(_("A check-in is recorded after it took place, not on a future date."))
    if checkin.pair.starts_on and done_on < checkin.pair.starts_on:
        raise BuddyError(
            _("The pair started on %(date)s. A check-in cannot be earlier than that.")
            % {"date": date_format(checkin.pair.starts_on, "j F Y")}
        )
    checkin.done_on = done_on
    checkin.done_by = origin.actor
    checkin.note = adapters.mask_note(note)[:300]
    checkin.save()
    record_event(
        action="buddies.checkin_done",
        target=checkin.pair,
        details={"week": checkin.week},
        origin=origin,
    )
    return checkin


def _finish(pair: Pair, status: str, origin: Origin, reason: str = "") -> Pair:
    pair.status = status
    pair.ended_on = timezone.localdate()
    pair.end_reason = reason
    pair.save()
    # Open check-ins of a finished pair are no longer due.
    CheckIn.objects.filter(pair=pair, done_on__isnull=True).delete()
    return pair


@transaction.atomic
def end_early(*, pair: Pair, reason: str, origin: Origin) -> Pair:
    """End an active pair before its term, with a reason. Both households wait again, and
    the matcher can rematch them (never with each other)."""
    pair = _lock(pair)
    reason = reason.strip()
    if pair.status != PairStatus.ACTIVE:
        raise BuddyError(_("Only an active pair can end early."))
    if not reason:
        raise BuddyError(_("Give a reason for ending early."))
    _finish(pair, PairStatus.ENDED_EARLY, origin, reason[:300])
    Household.objects.filter(pk__in=[pair.newcomer_id, pair.local_id]).update(
        status=HouseholdStatus.WAITING
    )
    touch(pair.programme_id)
    record_event(
        action="buddies.pair_ended_early", target=pair, details={"reason": reason}, origin=origin
    )
    return pair


@transaction.atomic
def complete(*, pair: Pair, origin: Origin) -> Pair:
    """The term is over: the pair is completed and both households are done."""
    pair = _lock(pair)
    if pair.status != PairStatus.ACTIVE:
        raise BuddyError(_("Only an active pair can be completed."))
    if pair.ends_on and timezone.localdate() < pair.ends_on:
        # Stopping before the term is an early end, which needs a reason.
        raise BuddyError(
            _(
                "The term runs until %(date)s. To stop before then, choose “End early” "
                "and give a reason."
            )
            % {"date": date_format(pair.ends_on, "j F Y")}
        )
    _finish(pair, PairStatus.COMPLETED, origin)
    Household.objects.filter(pk__in=[pair.newcomer_id, pair.local_id]).update(
        status=HouseholdStatus.CLOSED
    )
    touch(pair.programme_id)
    record_event(action="buddies.pair_completed", target=pair, origin=origin)
    return pair


@transaction.atomic
def evaluate(*, pair: Pair, newcomer_text: str, local_text: str, origin: Origin) -> Pair:
    """A short evaluation by both households (recorded by the matcher), after the end."""
    pair = _lock(pair)
    if pair.status not in (PairStatus.COMPLETED, PairStatus.ENDED_EARLY):
        raise BuddyError(_("A pair is evaluated after it has ended."))
    if not newcomer_text.strip() and not local_text.strip():
        raise BuddyError(_("Write what at least one household said."))
    pair.evaluation_newcomer = adapters.mask_note(newcomer_text)[:500]
    pair.evaluation_local = adapters.mask_note(local_text)[:500]
    pair.evaluated_at = timezone.now()
    pair.status = PairStatus.EVALUATED
    pair.save()
    record_event(action="buddies.pair_evaluated", target=pair, origin=origin)
    return pair


# ----------------------------------------------------------------------------- reminders


def send_checkin_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Tell the matchers about check-ins due within ``BUDDIES_REMIND_DAYS`` and, once more,
    about check-ins that are overdue. Each check-in is reminded at most once of each kind."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=conf.remind_days())
    open_checkins = CheckIn.objects.filter(
        done_on__isnull=True, pair__status=PairStatus.ACTIVE
    ).select_related("pair__programme", "pair__newcomer", "pair__local")
    counts = {"due": 0, "overdue": 0}
    now = timezone.now()
    matchers: dict[int, list] = {}
    with transaction.atomic():
        due = list(
            open_checkins.filter(reminded_at__isnull=True, due_on__lte=soon, due_on__gte=today)
        )
        late = list(open_checkins.filter(overdue_reminded_at__isnull=True, due_on__lt=today))
        for kind, rows, field in (
            ("buddies.checkin_due", due, "reminded_at"),
            ("buddies.checkin_overdue", late, "overdue_reminded_at"),
        ):
            for checkin in rows:
                programme = checkin.pair.programme
                if programme.pk not in matchers:
                    matchers[programme.pk] = list(matchers_of(programme))
                for person in matchers[programme.pk]:
                    notify(
                        person,
                        kind,
                        {
                            "checkin": checkin,
                            "pair": checkin.pair,
                            "link": _pair_link(checkin.pair),
                        },
                        municipality=programme.municipality_code,
                    )
                setattr(checkin, field, now)
                counts["due" if field == "reminded_at" else "overdue"] += 1
            CheckIn.objects.bulk_update(rows, [field])
    return counts


# ----------------------------------------------------------------------------- batch


def request_batch(
    *,
    programme: Programme,
    origin: Origin,
    max_km=None,
    language_code: str = "",
    require_shared_language: bool = False,
) -> BatchProposal:
    """Ask for a batch proposal; computed now when small, else in a background task."""
    from .tasks import compute_batch

    batch = BatchProposal.objects.create(
        programme=programme,
        requested_by=origin.actor,
        max_km=max_km,
        language_code=language_code,
        require_shared_language=require_shared_language,
    )
    waiting = programme.households.filter(status=HouseholdStatus.WAITING).count()
    if waiting > conf.background_from():
        from buurtbasis.platform.tasks import enqueue_on_commit

        enqueue_on_commit(compute_batch, batch_id=batch.pk)
    else:
        run_batch(batch)
    return batch


def run_batch(batch: BatchProposal) -> BatchProposal:
    """Compute the proposal over the programme's waiting households and store it."""
    try:
        batch.result = adapters.propose(
            batch.programme,
            max_km=batch.max_km,
            language_code=batch.language_code,
            require_language=batch.require_shared_language,
        )
        batch.status = BatchStatus.DONE
    except adapters.MatchingError:
        batch.status = BatchStatus.FAILED
    batch.save(update_fields=["result", "status"])
    return batch


def propose_from_batch(
    *, batch: BatchProposal, chosen: list[tuple[int, int]], origin: Origin
) -> tuple[list[Pair], list[str]]:
    """Propose the pairs the matcher chose from a batch; returns (pairs, problems)."""
    by_ids = {(p["newcomer"], p["local"]): p for p in (batch.result or {}).get("pairs", [])}
    pairs, problems, unknown = [], [], 0
    for newcomer_id, local_id in chosen:
        item = by_ids.get((f"h{newcomer_id}", f"h{local_id}"))
        if item is None:
            unknown += 1
            continue
        households = Household.objects.filter(
            programme=batch.programme, pk__in=[newcomer_id, local_id]
        ).in_bulk()
        if len(households) != 2:
            unknown += 1
            continue
        try:
            pairs.append(
                propose_pair(
                    newcomer=households[newcomer_id],
                    local=households[local_id],
                    origin=origin,
                    score=item["score"],
                    explanation=adapters.explanation_of(item),
                )
            )
        except BuddyError as error:
            problems.append(str(error))
    if unknown:
        problems.append(
            ngettext(
                "%(n)s chosen pair is not in this proposal (any more) and is skipped.",
                "%(n)s chosen pairs are not in this proposal (any more) and are skipped.",
                unknown,
            )
            % {"n": unknown}
        )
    return pairs, problems


# ----------------------------------------------------------------------------- privacy


ERASED_LABEL = "—"


def erase_household(household: Household, origin: Origin | None = None) -> None:
    """Remove the household's details; the pair rows stay (without them) for the figures."""
    Household.objects.filter(pk=household.pk).update(
        label=ERASED_LABEL,
        contact=None,
        invited_email="",
        adults=0,
        children_ages=[],
        languages=[],
        interests=[],
        availability=[],
        wishes=[],
        sensitive={},
        consent_sensitive=False,
        lat=None,
        lon=None,
        status=HouseholdStatus.CLOSED,
        erased_at=timezone.now(),
    )
    touch(household.programme_id)
    Pair.objects.filter(Q(newcomer=household) | Q(local=household)).update(
        evaluation_newcomer="", evaluation_local="", explanation=""
    )
    record_event(
        action="buddies.household_erased",
        target=None,
        details={"household": household.pk},
        origin=origin,
    )


def erase_expired(today: datetime.date | None = None) -> int:
    """Erase the details of households whose last pair was evaluated (or who were closed)
    more than ``BUDDIES_RETENTION_MONTHS`` ago, and of households that stayed in intake or
    waiting without any activity for ``BUDDIES_WAITING_RETENTION_MONTHS``. Returns how many."""
    today = today or timezone.localdate()
    months = conf.retention_months()
    limit = add_months(today, -months)
    limit_dt = timezone.make_aware(datetime.datetime.combine(limit, datetime.time()))
    ended = [PairStatus.COMPLETED, PairStatus.ENDED_EARLY]
    busy = Pair.objects.filter(
        Q(status__in=OPEN_PAIR_STATUSES)
        | Q(status=PairStatus.EVALUATED, evaluated_at__gte=limit_dt)
        | Q(status__in=ended, ended_on__gte=limit)
    )
    busy_ids = set(busy.values_list("newcomer_id", flat=True)) | set(
        busy.values_list("local_id", flat=True)
    )
    done = Pair.objects.filter(
        Q(status=PairStatus.EVALUATED, evaluated_at__lt=limit_dt)
        | Q(status__in=ended, ended_on__lt=limit)
    )
    candidates = set(done.values_list("newcomer_id", flat=True)) | set(
        done.values_list("local_id", flat=True)
    )
    candidates |= set(
        Household.objects.filter(
            status=HouseholdStatus.CLOSED, updated_at__lt=limit_dt
        ).values_list("pk", flat=True)
    )
    # A household that waits again (after an early end) keeps its details.
    rows = Household.objects.filter(pk__in=candidates - busy_ids, erased_at__isnull=True).exclude(
        status__in=[HouseholdStatus.INTAKE, HouseholdStatus.WAITING]
    )
    n = 0
    for household in list(rows) + list(_stale_waiting(today)):
        erase_household(household, Origin.system())
        n += 1
    return n


def _stale_waiting(today: datetime.date):
    """Households in intake or waiting with no update and no pair activity (proposed,
    open, ended or evaluated) for ``BUDDIES_WAITING_RETENTION_MONTHS``."""
    limit = add_months(today, -conf.waiting_retention_months())
    limit_dt = timezone.make_aware(datetime.datetime.combine(limit, datetime.time()))
    recent = Pair.objects.filter(
        Q(status__in=OPEN_PAIR_STATUSES)
        | Q(proposed_at__gte=limit_dt)
        | Q(ended_on__gte=limit)
        | Q(evaluated_at__gte=limit_dt)
    )
    recent_ids = set(recent.values_list("newcomer_id", flat=True)) | set(
        recent.values_list("local_id", flat=True)
    )
    return Household.objects.filter(
        status__in=[HouseholdStatus.INTAKE, HouseholdStatus.WAITING],
        erased_at__isnull=True,
        created_at__lt=limit_dt,
        updated_at__lt=limit_dt,
    ).exclude(pk__in=recent_ids)
