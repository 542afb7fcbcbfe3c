"""Every write to ballots goes through a function here.

Guarantees:
- A ballot is stored completely (ballot row and all its choices) or not at all:
  one transaction per submission.
- One current ballot per code and per account per round: unique constraints, a
  row lock on the existing ballot, and a retry that turns a lost insert race into
  a replacement. Concurrent submissions with one code end with exactly one ballot.
- Changing a ballot replaces its choices in the same transaction; no trail links
  a code to earlier choices. Only the count of changes is kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.budgets import adapters
from buurtbasis.budgets.models import BallotType, BudgetRound, Phase, PhaseKind, Plan, PlanStatus
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.money import format_euros
from buurtbasis.platform.tasks import enqueue_on_commit

from . import codes
from .models import (
    Ballot,
    BallotChoice,
    BatchStatus,
    Channel,
    CodeBatch,
    LetterRun,
    LetterStatus,
    PaperBatch,
    ReplacedReceipt,
    VotingCode,
)

MAX_CODES_PER_RUN = 50_000
STORE_ATTEMPTS = 12


class VotingError(Exception):
    """A domain error with a message for the person (already translated)."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class VotingClosedError(VotingError):
    pass


class NotEligible(VotingError):
    pass


class InvalidBallot(VotingError):
    """The choices break the round's rules; ``errors`` is a list of (field, message)."""

    def __init__(self, errors: list[tuple[str | None, str]]):
        super().__init__(errors[0][1], code="invalid_ballot")
        self.errors = errors


class PaperBatchError(VotingError):
    pass


def _audit(**kwargs) -> None:
    record_event(**kwargs)


# -- round state --


_UNSET = object()


def voting_phase(budget_round: BudgetRound):
    """The round's dated voting phase (or None), read once per round object."""
    phase = getattr(budget_round, "_ballots_voting_phase", _UNSET)
    if phase is _UNSET:
        phase = budget_round.phases.filter(kind=PhaseKind.VOTING).first()
        budget_round._ballots_voting_phase = phase
    return phase


def _table(model) -> str:
    return _quoted(connection.vendor, model._meta.db_table)


@functools.lru_cache(maxsize=64)
def _quoted(vendor: str, name: str) -> str:
    return connection.ops.quote_name(name)


def _fetchone(sql: str, params: list):
    """Run one of the hot statements of voting and return its first row.

    On PostgreSQL the statement is prepared once per connection and then sent with
    its parameters apart (server-side binding): the server neither parses nor plans it
    again for every ballot. Elsewhere, and for everything else, Django's cursor.
    """
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        started = time.monotonic()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            row = cursor.fetchone()
        if connection.queries_logged:  # visible to DEBUG and query-count tests like any query
            connection.queries_log.append(
                {"sql": f"{sql} -- {params!r}", "time": f"{time.monotonic() - started:.3f}"}
            )
        return row
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _as_datetime(value):
    """A datetime from a raw column (SQLite gives text, PostgreSQL a datetime)."""
    if value is None:
        return None
    parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if parsed is not None and settings.USE_TZ and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)  # SQLite keeps UTC without an offset
    return parsed


# The three reads on the path of every ballot are written in SQL: the ORM spends
# more time building these queries than the database spends answering them.


def get_voting_round(slug: str) -> BudgetRound | None:
    """A public round with its voting phase, in one query (the hot path of every ballot)."""
    sql = (
        f"SELECT r.*, p.id AS voting_phase_id, p.starts_at AS voting_starts_at, "  # noqa: S608
        f"p.ends_at AS voting_ends_at FROM {_table(BudgetRound)} r "
        f"LEFT JOIN {_table(Phase)} p ON p.budget_round_id = r.id AND p.kind = %s "
        f"WHERE r.slug = %s AND r.is_public = %s"
    )
    found = list(BudgetRound.objects.raw(sql, [PhaseKind.VOTING.value, slug, True]))
    if not found:
        return None
    budget_round = found[0]
    budget_round._ballots_voting_phase = (
        Phase(
            pk=budget_round.voting_phase_id,
            budget_round=budget_round,
            kind=PhaseKind.VOTING,
            starts_at=_as_datetime(budget_round.voting_starts_at),
            ends_at=_as_datetime(budget_round.voting_ends_at),
        )
        if budget_round.voting_phase_id is not None
        else None
    )
    return budget_round


def is_voting_open(budget_round: BudgetRound, *, now: dt.datetime | None = None) -> bool:
    """Open when the round is in its voting phase and the voting end date has not passed."""
    if not budget_round.is_voting_open():
        return False
    phase = voting_phase(budget_round)
    if phase is not None and phase.ends_at is not None:
        return (now or timezone.now()) < phase.ends_at
    return True


def ensure_voting_open(budget_round: BudgetRound) -> None:
    if not is_voting_open(budget_round):
        raise VotingClosedError(_("Voting in this round is closed."), code="voting_closed")


BALLOT_PLAN_FIELDS = (
    "id",
    "budget_round_id",
    "title",
    "summary",
    "cost_cents",
    "photo",
    "photo_alt",
)


def ballot_plans(budget_round: BudgetRound) -> list[Plan]:
    """The plans on the ballot (feasible ones), in a stable order, with what the ballot shows.

    The same rows as ``budget_round.plans.on_ballot().only(...)``, read in plain SQL.
    """
    columns = ", ".join(connection.ops.quote_name(c) for c in BALLOT_PLAN_FIELDS)
    sql = (
        f"SELECT {columns} FROM {_table(Plan)} "  # noqa: S608
        "WHERE budget_round_id = %s AND status = %s ORDER BY id"
    )
    return list(Plan.objects.raw(sql, [budget_round.pk, PlanStatus.FEASIBLE.value]))


# -- codes --


def generate_codes(
    budget_round: BudgetRound,
    n: int,
    *,
    actor=None,
    with_addresses: bool = False,
    origin: Origin | None = None,
) -> list[str]:
    """Make ``n`` new voting codes for the round and return them in plain text, once.

    Only their hashes are stored. Call this where the letters are printed, so the
    plain codes exist only while printing.
    """
    _batch, plain = make_code_batch(
        budget_round, n, actor=actor, with_addresses=with_addresses, origin=origin
    )
    return plain


def make_code_batch(
    budget_round: BudgetRound,
    n: int,
    *,
    actor=None,
    with_addresses: bool = False,
    origin: Origin | None = None,
) -> tuple[CodeBatch, list[str]]:
    """:func:`generate_codes`, also returning the batch (to discard it if printing fails)."""
    if not 1 <= n <= MAX_CODES_PER_RUN:
        raise VotingError(
            ngettext(
                "You can make between 1 and %(max)s code at a time.",
                "You can make between 1 and %(max)s codes at a time.",
                MAX_CODES_PER_RUN,
            )
            % {"max": MAX_CODES_PER_RUN},
            code="count",
        )
    now = timezone.now()
    for _attempt in range(3):
        plain: set[str] = set()
        while len(plain) < n:
            plain.add(codes.new_code())
        ordered = list(plain)
        try:
            with transaction.atomic():
                batch = CodeBatch.objects.create(
                    budget_round=budget_round,
                    count=n,
                    with_addresses=with_addresses,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    created_at=now,
                )
                VotingCode.objects.bulk_create(
                    [
                        VotingCode(
                            budget_round=budget_round,
                            batch=batch,
                            code_hash=codes.hash_code(budget_round.pk, codes.normalise_code(c)),
                            created_at=now,
                        )
                        for c in ordered
                    ],
                    batch_size=2000,
                )
                _audit(
                    actor=actor,
                    action="ballots.codes_generated",
                    target=budget_round,
                    details={"count": n, "batch": batch.pk, "with_addresses": with_addresses},
                    origin=origin,
                )
            return batch, ordered
        except IntegrityError:  # a collision with an existing code (astronomically rare)
            continue
    raise VotingError(_("The codes could not be made. Please try again."), code="collision")


def add_known_codes(*, budget_round: BudgetRound, plain_codes: list[str], actor=None) -> int:
    """For demo data only: store publicly known codes (idempotent); return how many were new.

    Real rounds use :func:`generate_codes`, whose codes nobody knows in advance.
    """
    hashes = []
    for text in plain_codes:
        normalised = codes.normalise_code(text)
        if normalised is None:
            raise ValueError(f"not a voting code: {text!r}")
        hashes.append(codes.hash_code(budget_round.pk, normalised))
    with transaction.atomic():
        existing = set(
            VotingCode.objects.filter(budget_round=budget_round, code_hash__in=hashes).values_list(
                "code_hash", flat=True
            )
        )
        missing = [h for h in dict.fromkeys(hashes) if h not in existing]
        if not missing:
            return 0
        batch = CodeBatch.objects.create(
            budget_round=budget_round,
            count=len(missing),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        VotingCode.objects.bulk_create(
            [VotingCode(budget_round=budget_round, batch=batch, code_hash=h) for h in missing]
        )
        _audit(
            actor=actor,
            action="ballots.demo_codes_added",
            target=budget_round,
            details={"count": len(missing), "batch": batch.pk},
        )
    return len(missing)


def find_voting_code(budget_round: BudgetRound, text: str) -> VotingCode | None:
    """The stored code for what someone typed, looked up by its hash (None if unknown)."""
    normalised = codes.normalise_code(text)
    if normalised is None:
        return None
    hashes = codes.candidate_hashes(budget_round.pk, normalised)
    marks = ", ".join(["%s"] * len(hashes))
    sql = (
        f"SELECT id, batch_id, code_hash, created_at, used_at "  # noqa: S608
        f"FROM {_table(VotingCode)} WHERE budget_round_id = %s AND code_hash IN ({marks})"
    )
    row = _fetchone(sql, [budget_round.pk, *hashes])
    if row is None:
        return None
    pk, batch_id, code_hash, created_at, used_at = row
    return VotingCode(
        pk=pk,
        budget_round_id=budget_round.pk,
        batch_id=batch_id,
        code_hash=code_hash,
        created_at=_as_datetime(created_at),
        used_at=_as_datetime(used_at),
    )


# -- who may vote with an account --


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on a day.

    >>> age_on(dt.date(2014, 5, 1), dt.date(2026, 4, 30))
    11
    >>> age_on(dt.date(2014, 5, 1), dt.date(2026, 5, 1))
    12
    """
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _area_and_parents(area) -> set[int]:
    ids: set[int] = set()
    while area is not None and area.pk not in ids:
        ids.add(area.pk)
        area = area.parent
    return ids


def check_account_eligibility(budget_round: BudgetRound, user) -> None:
    """Raise NotEligible with a specific reason when this account may not vote in the round."""
    if not budget_round.allow_account_voting:
        raise NotEligible(
            _("In this round you vote with the code from your letter, not with an account."),
            code="no_account_voting",
        )
    if not getattr(user, "is_authenticated", False):
        raise NotEligible(_("Log in to vote with your account."), code="login")
    if not user.email_verified:
        raise NotEligible(
            _("Confirm your e-mail address first. Then you can vote."), code="unverified"
        )
    if user.birth_date is None:
        raise NotEligible(
            _("Fill in your date of birth. We need it to check your age."),
            code="no_birth_date",
        )
    if age_on(user.birth_date, timezone.localdate()) < budget_round.min_voter_age:
        raise NotEligible(
            _("You must be %(age)s or older to vote in this round.")
            % {"age": budget_round.min_voter_age},
            code="too_young",
        )
    round_areas = {a.pk: a for a in budget_round.areas.all()}
    if round_areas:
        if user.home_area_id is None:
            raise NotEligible(
                _("Fill in the wijk or buurt where you live. Only residents can vote."),
                code="no_home_area",
            )
        if not (_area_and_parents(user.home_area) & set(round_areas)):
            names = ", ".join(sorted(a.name for a in round_areas.values()))
            raise NotEligible(
                _("Only people who live in %(areas)s can vote in this round.") % {"areas": names},
                code="wrong_area",
            )


# -- checking a ballot --


@dataclass
class BallotSummary:
    """What a set of choices adds up to (for the running total and for checks)."""

    ballot_type: str
    chosen: list[Plan] = field(default_factory=list)
    points: dict[int, int] = field(default_factory=dict)
    total_cents: int = 0
    total_points: int = 0
    budget_cents: int = 0
    min_spend_cents: int | None = None
    max_choices: int | None = None
    points_total: int | None = None

    @property
    def count(self) -> int:
        return len(self.chosen)

    @property
    def remaining_cents(self) -> int:
        return self.budget_cents - self.total_cents

    @property
    def remaining_points(self) -> int | None:
        return None if self.points_total is None else self.points_total - self.total_points

    @property
    def points_over(self) -> int:
        if self.points_total is None:
            return 0
        return max(0, self.total_points - self.points_total)

    @property
    def over_budget(self) -> bool:
        return self.ballot_type == BallotType.KNAPSACK and self.total_cents > self.budget_cents


def summarise(
    budget_round: BudgetRound, plans: Iterable[Plan], choices: Mapping[int, int]
) -> BallotSummary:
    by_id = {p.pk: p for p in plans}
    chosen = [by_id[pk] for pk in sorted(choices) if pk in by_id and choices[pk] > 0]
    points = {p.pk: int(choices[p.pk]) for p in chosen}
    return BallotSummary(
        ballot_type=budget_round.ballot_type,
        chosen=chosen,
        points=points,
        total_cents=sum(p.cost_cents for p in chosen),
        total_points=sum(points.values()),
        budget_cents=budget_round.budget_cents,
        min_spend_cents=budget_round.min_spend_cents,
        max_choices=budget_round.max_choices,
        points_total=budget_round.points_total,
    )


def check_choices(
    budget_round: BudgetRound, plans: Iterable[Plan], choices: Mapping[int, int]
) -> BallotSummary:
    """Check choices ``{plan_id: points}`` against the round's rules; raise InvalidBallot."""
    plans = list(plans)
    known = {p.pk for p in plans}
    errors: list[tuple[str | None, str]] = []
    unknown = [pk for pk in choices if pk not in known]
    if unknown:
        errors.append((None, _("One of the chosen plans is not on the ballot (any more).")))
    negative = [pk for pk, value in choices.items() if int(value) < 0]
    if negative:
        errors.append((None, _("Points cannot be negative.")))
    summary = summarise(budget_round, plans, choices)
    kind = budget_round.ballot_type
    if not summary.chosen and not errors:
        errors.append(
            (
                None,
                _("Give at least one point to a plan.")
                if kind == BallotType.POINTS
                else _("Choose at least one plan."),
            )
        )
    if (
        kind == BallotType.APPROVAL
        and budget_round.max_choices
        and summary.count > budget_round.max_choices
    ):
        errors.append(
            (
                None,
                ngettext(
                    "You chose %(count)s plans. You may choose at most %(max)s plan.",
                    "You chose %(count)s plans. You may choose at most %(max)s plans.",
                    budget_round.max_choices,
                )
                % {"count": summary.count, "max": budget_round.max_choices},
            )
        )
    if kind == BallotType.KNAPSACK:
        if summary.total_cents > budget_round.budget_cents:
            errors.append(
                (
                    None,
                    _(
                        "Your choice costs %(total)s. That is more than the budget of "
                        "%(budget)s. Remove one or more plans."
                    )
                    % {
                        "total": format_euros(summary.total_cents),
                        "budget": format_euros(budget_round.budget_cents),
                    },
                )
            )
        elif (
            summary.chosen
            and budget_round.min_spend_cents
            and summary.total_cents < budget_round.min_spend_cents
        ):
            errors.append(
                (
                    None,
                    _("Your choice costs %(total)s. Choose plans for at least %(min)s in total.")
                    % {
                        "total": format_euros(summary.total_cents),
                        "min": format_euros(budget_round.min_spend_cents),
                    },
                )
            )
    if kind == BallotType.POINTS:
        total = budget_round.points_total
        if total is not None and summary.total_points > total:
            errors.append(
                (
                    None,
                    ngettext(
                        "You gave %(used)s point.",
                        "You gave %(used)s points.",
                        summary.total_points,
                    )
                    % {"used": summary.total_points}
                    + " "
                    + ngettext(
                        "You have %(total)s point to give.",
                        "You have %(total)s points to give.",
                        total,
                    )
                    % {"total": total},
                )
            )
        cap = budget_round.max_points_per_plan
        if cap:
            for plan in summary.chosen:
                if summary.points[plan.pk] > cap:
                    errors.append(
                        (
                            f"points-{plan.pk}",
                            ngettext(
                                "You can give at most %(max)s point to one plan (%(plan)s).",
                                "You can give at most %(max)s points to one plan (%(plan)s).",
                                cap,
                            )
                            % {"max": cap, "plan": plan.title},
                        )
                    )
    else:
        if any(int(v) > 1 for v in choices.values()):
            errors.append((None, _("A plan can be chosen only once.")))
    if errors:
        raise InvalidBallot(errors)
    return summary


# -- storing a ballot --


def submit_ballot(
    *,
    budget_round: BudgetRound,
    choices: Mapping[int, int],
    voting_code: VotingCode | None = None,
    voter=None,
    plans: Iterable[Plan] | None = None,
) -> Ballot:
    """Store (or replace) the ballot of a code or an account; return it with its new receipt.

    ``choices`` maps plan ids to points (1 for approval and knapsack ballots).
    """
    if (voting_code is None) == (voter is None):
        raise ValueError("give exactly one of voting_code or voter")
    ensure_voting_open(budget_round)
    if voting_code is not None and voting_code.budget_round_id != budget_round.pk:
        raise VotingError(_("This code is not valid for this round."), code="wrong_round")
    if voter is not None:
        check_account_eligibility(budget_round, voter)
    plans = list(plans) if plans is not None else ballot_plans(budget_round)
    summary = check_choices(budget_round, plans, choices)
    if voting_code is not None:
        source = {"voting_code": voting_code}
        create = {"channel": Channel.CODE, "voting_code": voting_code}
    else:
        source = {"voter": voter}
        create = {"channel": Channel.ACCOUNT, "voter": voter}
    ballot = _store_ballot(budget_round, source, create, summary.points, voting_code=voting_code)
    if voting_code is not None and voting_code.used_at is None:
        voting_code.used_at = ballot.submitted_at
    return ballot


def _lock_open_round(budget_round: BudgetRound) -> None:
    """Inside a ballot's transaction: the round must still be in its voting phase.

    On PostgreSQL the round's row is locked ``FOR KEY SHARE`` (the lock the foreign
    key of the new ballot takes anyway). Closing the round locks it ``FOR UPDATE`` and
    counts in the same transaction, so a ballot either commits before the count
    starts and is counted, or waits, sees the new phase and is refused: never
    acknowledged and left out. SQLite runs one writing transaction at a time.
    """
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT phase FROM {_table(BudgetRound)} WHERE id = %s{lock}",  # noqa: S608
            [budget_round.pk],
        )
        row = cursor.fetchone()
    if row is None or row[0] != PhaseKind.VOTING:
        raise VotingClosedError(_("Voting in this round is closed."), code="voting_closed")


def submit_first_ballot_by_code(
    *, budget_round: BudgetRound, code: str, choices: Mapping[int, int]
) -> Ballot | None:
    """The common case of voting, in one PostgreSQL statement: a code that was never used.

    ``choices`` must already be checked (:func:`check_choices`). Returns None when
    anything is not the common case — another database, an unknown or already used
    code, a closed round, a ballot stored at the same moment — and then nothing was
    stored: the caller takes the general way (:func:`find_voting_code`,
    :func:`submit_ballot`), which tells these cases apart.
    """
    if connection.vendor != "postgresql" or not choices:
        return None
    normalised = codes.normalise_code(code)
    if normalised is None:
        return None
    hashes = codes.candidate_hashes(budget_round.pk, normalised)
    try:
        return _insert_first_ballot_pg(
            budget_round,
            choices,
            code_where=f"code_hash IN ({', '.join(['%s'] * len(hashes))})",
            code_params=hashes,
        )
    except IntegrityError:
        return None  # a ballot for this code at the same moment: the general way replaces it


def _insert_first_ballot_pg(
    budget_round: BudgetRound,
    choices: Mapping[int, int],
    *,
    code_where: str,
    code_params: list,
) -> Ballot | None:
    """The first ballot of a code in one PostgreSQL statement (atomic on its own).

    The statement finds the round's unused code that matches ``code_where``, locks the
    round's row ``FOR KEY SHARE`` while it is in its voting phase (see
    :func:`_lock_open_round`), inserts the ballot and its choices and marks the code as
    used. Returns None, with nothing stored, when no unused code matches or the round
    is not open; if a ballot for the code appeared at the same moment (or the receipt
    number collides), the unique constraints raise ``IntegrityError``.
    """
    now = timezone.now()
    receipt = codes.new_receipt()
    pairs = sorted(choices.items())
    sql = (
        f"WITH code AS (SELECT id FROM {_table(VotingCode)} "  # noqa: S608
        f"WHERE budget_round_id = %s AND {code_where} AND used_at IS NULL), "
        f"open_round AS (SELECT id FROM {_table(BudgetRound)} "
        "WHERE id = %s AND phase = %s FOR KEY SHARE), "
        f"new_ballot AS (INSERT INTO {_table(Ballot)} (budget_round_id, channel, "
        "voting_code_id, receipt, submitted_at, times_replaced) "
        "SELECT open_round.id, %s, code.id, %s, %s, 0 FROM open_round, code "
        "RETURNING id, voting_code_id), "
        f"new_choices AS (INSERT INTO {_table(BallotChoice)} (ballot_id, plan_id, points) "
        f"SELECT new_ballot.id, c.plan_id, c.points FROM new_ballot, "
        f"(VALUES {', '.join(['(%s, %s)'] * len(pairs))}) AS c (plan_id, points)), "
        f"used AS (UPDATE {_table(VotingCode)} SET used_at = %s "
        "WHERE id IN (SELECT voting_code_id FROM new_ballot) AND used_at IS NULL) "
        "SELECT id, voting_code_id FROM new_ballot"
    )
    params: list = [budget_round.pk, *code_params, budget_round.pk, PhaseKind.VOTING.value]
    params += [Channel.CODE.value, receipt, now]
    for plan_id, points in pairs:
        params += [plan_id, points]
    params.append(now)
    if connection.in_atomic_block:
        with transaction.atomic():  # a savepoint, so a refused insert leaves the outer one usable
            row = _fetchone(sql, params)
    else:
        row = _fetchone(sql, params)
    if row is None:
        return None
    return Ballot(
        pk=row[0],
        budget_round=budget_round,
        channel=Channel.CODE,
        voting_code_id=row[1],
        receipt=receipt,
        submitted_at=now,
    )


def _store_ballot(
    budget_round: BudgetRound,
    source: dict,
    create: dict,
    points: Mapping[int, int],
    *,
    voting_code: VotingCode | None = None,
) -> Ballot:
    last_error: Exception | None = None
    if (
        voting_code is not None
        and voting_code.used_at is None
        and connection.vendor == "postgresql"
    ):
        # The common case on PostgreSQL: one statement, one round trip. When it stores
        # nothing (the round closed, or the code was used meanwhile) the loop below
        # refuses or replaces, as it does after a lost race.
        try:
            ballot = _insert_first_ballot_pg(
                budget_round, points, code_where="id = %s", code_params=[voting_code.pk]
            )
            if ballot is not None:
                ballot.voting_code = voting_code
                return ballot
        except IntegrityError as exc:
            last_error = exc
    elif voting_code is not None and voting_code.used_at is None:
        # A code never used before: insert straight away. If a ballot appeared in the
        # meantime, the unique constraint refuses and the loop below replaces it.
        try:
            with transaction.atomic():
                _lock_open_round(budget_round)
                now = timezone.now()
                ballot = Ballot.objects.create(
                    budget_round=budget_round,
                    receipt=codes.new_receipt(),
                    submitted_at=now,
                    **create,
                )
                BallotChoice.objects.bulk_create(
                    [
                        BallotChoice(ballot=ballot, plan_id=pk, points=p)
                        for pk, p in sorted(points.items())
                    ]
                )
                VotingCode.objects.filter(pk=voting_code.pk, used_at__isnull=True).update(
                    used_at=now
                )
            return ballot
        except IntegrityError as exc:
            last_error = exc
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            last_error = exc
    for attempt in range(STORE_ATTEMPTS):
        try:
            with transaction.atomic():
                _lock_open_round(budget_round)
                now = timezone.now()
                existing = (
                    Ballot.objects.select_for_update()
                    .filter(budget_round=budget_round, **source)
                    .only("pk", "channel", "receipt", "submitted_at", "times_replaced")
                    .first()
                )
                if existing is not None and existing.channel == Channel.PAPER:
                    raise _used_on_paper_online()
                if existing is None:
                    ballot = Ballot.objects.create(
                        budget_round=budget_round,
                        receipt=codes.new_receipt(),
                        submitted_at=now,
                        **create,
                    )
                else:
                    ballot = existing
                    ReplacedReceipt.objects.create(
                        budget_round=budget_round,
                        receipt=ballot.receipt,
                        submitted_at=ballot.submitted_at,
                    )
                    BallotChoice.objects.filter(ballot=ballot).delete()
                    ballot.receipt = codes.new_receipt()
                    ballot.submitted_at = now
                    ballot.times_replaced += 1
                    ballot.save(update_fields=["receipt", "submitted_at", "times_replaced"])
                BallotChoice.objects.bulk_create(
                    [
                        BallotChoice(ballot=ballot, plan_id=pk, points=p)
                        for pk, p in sorted(points.items())
                    ]
                )
                if voting_code is not None and voting_code.used_at is None:
                    VotingCode.objects.filter(pk=voting_code.pk, used_at__isnull=True).update(
                        used_at=now
                    )
            return ballot
        except IntegrityError as exc:
            # Someone stored a ballot for this code/account at the same moment (or a
            # receipt collided): the next attempt finds and replaces it.
            last_error = exc
        except OperationalError as exc:
            # SQLite: "database is locked" after the busy timeout, or at once with a
            # shared-cache database. Wait a little and try again.
            if "locked" not in str(exc):
                raise
            last_error = exc
            time.sleep(min(0.002 * 2**attempt, 0.25) * (0.5 + random.random()))
    raise VotingError(
        _("Your vote could not be saved. Please try again."), code="store_failed"
    ) from last_error


def _used_on_paper_online() -> VotingError:
    return VotingError(
        _(
            "This code has been used to vote on paper. Each code counts once, so you "
            "cannot vote online with it any more."
        ),
        code="used_on_paper",
    )


def code_used_on_paper(voting_code: VotingCode) -> bool:
    """Whether this code voted on paper (asked only for a code that was used before)."""
    if voting_code.used_at is None:
        return False
    return Ballot.objects.filter(voting_code=voting_code, channel=Channel.PAPER).exists()


def submit_ballot_with_code(*, budget_round: BudgetRound, code: str, choices) -> Ballot:
    """For demo data and scripts: vote with a plain code."""
    voting_code = find_voting_code(budget_round, code)
    if voting_code is None:
        raise VotingError(_("This code is not valid for this round."), code="unknown_code")
    return submit_ballot(budget_round=budget_round, voting_code=voting_code, choices=choices)


def current_choices(
    budget_round: BudgetRound, *, voting_code: VotingCode | None = None, voter=None
) -> dict[int, int]:
    """The current choices of a code or account (to show on its own ballot page)."""
    column, value = ("voting_code_id", voting_code.pk) if voting_code else ("voter_id", voter.pk)
    sql = (
        f"SELECT c.plan_id, c.points FROM {_table(BallotChoice)} c "  # noqa: S608
        f"JOIN {_table(Ballot)} b ON b.id = c.ballot_id "
        f"WHERE b.budget_round_id = %s AND b.{column} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [budget_round.pk, value])
        return {plan_id: points for plan_id, points in cursor.fetchall()}


@dataclass(frozen=True)
class ReceiptStatus:
    status: str  # "counted" | "replaced" | "pending" | "unknown"
    at: dt.datetime | None = None


def lookup_receipt(budget_round: BudgetRound, text: str) -> ReceiptStatus:
    """What a receipt number says: counted at a time, replaced, or unknown. Never the choices."""
    receipt = codes.normalise_receipt(text)
    if receipt is None:
        return ReceiptStatus("unknown")
    row = (
        Ballot.objects.filter(budget_round=budget_round, receipt=receipt)
        .values("submitted_at", "channel", "paper_batch__status")
        .first()
    )
    if row is not None:
        if row["channel"] == Channel.PAPER and row["paper_batch__status"] != BatchStatus.CONFIRMED:
            return ReceiptStatus("pending", row["submitted_at"])
        return ReceiptStatus("counted", row["submitted_at"])
    old = ReplacedReceipt.objects.filter(budget_round=budget_round, receipt=receipt).first()
    if old is not None:
        return ReceiptStatus("replaced", old.submitted_at)
    return ReceiptStatus("unknown")


# -- paper ballots --


def create_paper_batch(
    *,
    budget_round: BudgetRound,
    actor,
    declared_count: int,
    label: str = "",
    origin: Origin | None = None,
) -> PaperBatch:
    # Not the end date but the close decides: forms handed in by the last day are entered
    # afterwards, until the vote closes (the phase is checked under the round's lock).
    with transaction.atomic():
        phase = (
            BudgetRound.objects.select_for_update()
            .filter(pk=budget_round.pk)
            .values_list("phase", flat=True)
            .first()
        )
        if phase != PhaseKind.VOTING:
            raise VotingClosedError(_("Voting in this round is closed."), code="voting_closed")
        number = (
            PaperBatch.objects.filter(budget_round=budget_round).aggregate(n=Count("pk"))["n"] + 1
        )
        batch = PaperBatch.objects.create(
            budget_round=budget_round,
            number=number,
            label=label,
            declared_count=declared_count,
            entered_by=actor,
        )
        _audit(
            actor=actor,
            action="ballots.paper_batch_created",
            target=batch,
            details={"number": number, "declared_count": declared_count},
            origin=origin,
        )
    return batch


def _locked_batch(batch: PaperBatch) -> PaperBatch:
    """Lock the batch for a change; the round must still be in its voting phase.

    The round's row is locked first (``FOR NO KEY UPDATE`` on PostgreSQL: it waits for
    closing the vote, which takes ``FOR UPDATE`` in ``advance_phase``, but not for online
    ballots, which take ``FOR KEY SHARE``), so a batch either changes before the close and
    the close sees it, or the close comes first and the change is refused: a published
    outcome never changes afterwards.
    """
    phase = (
        BudgetRound.objects.select_for_update(no_key=True)
        .filter(pk=batch.budget_round_id)
        .values_list("phase", flat=True)
        .first()
    )
    if phase != PhaseKind.VOTING:
        raise PaperBatchError(
            _(
                "Voting has closed. This batch can no longer be changed or checked; "
                "forms in a batch that was not confirmed in time do not count."
            ),
            code="voting_closed",
        )
    return PaperBatch.objects.select_for_update().select_related("budget_round").get(pk=batch.pk)


def _used_on_paper(number: int | None = None) -> PaperBatchError:
    return PaperBatchError(
        _(
            "This code is already on a paper ballot (batch %(number)s). Each code counts "
            "once: count this form as invalid."
        )
        % {"number": number or "?"},
        code="used_on_paper",
    )


def _used_online() -> PaperBatchError:
    return PaperBatchError(
        _(
            "This code has already been used to vote online. Each code counts once: "
            "count this paper form as invalid."
        ),
        code="used_online",
    )


def add_paper_ballot(*, batch: PaperBatch, actor, choices: Mapping[int, int], code: str) -> Ballot:
    """Enter one paper form into an open batch (by the person who opened the batch).

    ``code`` is the voting code printed on the letter the form came with. It is the
    right to vote, online or on paper: entering the form marks the code used, and a
    code that already has a ballot (online or on an earlier form) is refused.
    """
    budget_round = batch.budget_round
    # No end-date check here: paper forms are entered after the last day of voting, until
    # the vote closes (``_locked_batch`` refuses any change after the close, under lock).
    plans = ballot_plans(budget_round)
    summary = check_choices(budget_round, plans, choices)
    voting_code = find_voting_code(budget_round, code or "")
    if voting_code is None:
        raise PaperBatchError(
            _("This code is not valid for this round. Check the code on the letter."),
            code="unknown_code",
        )
    try:
        with transaction.atomic():
            batch = _locked_batch(batch)
            if batch.status != BatchStatus.OPEN:
                raise PaperBatchError(_("This batch is closed for entry."), code="batch_closed")
            if batch.entered_by_id != actor.pk:
                raise PaperBatchError(
                    _("Only the person who opened this batch can enter ballots in it."),
                    code="not_owner",
                )
            entered = batch.ballots.count() + batch.invalid_count
            if entered >= batch.declared_count:
                raise PaperBatchError(
                    ngettext(
                        "This batch already holds the %(count)s form you counted.",
                        "This batch already holds the %(count)s forms you counted.",
                        batch.declared_count,
                    )
                    % {"count": batch.declared_count},
                    code="batch_full",
                )
            existing = (
                Ballot.objects.filter(budget_round=budget_round, voting_code=voting_code)
                .select_related("paper_batch")
                .first()
            )
            if existing is not None:
                if existing.channel == Channel.PAPER:
                    raise _used_on_paper(
                        existing.paper_batch.number if existing.paper_batch else None
                    )
                raise _used_online()
            now = timezone.now()
            ballot = Ballot.objects.create(
                budget_round=budget_round,
                channel=Channel.PAPER,
                paper_batch=batch,
                voting_code=voting_code,
                receipt=codes.new_receipt(),
                submitted_at=now,
            )
            BallotChoice.objects.bulk_create(
                [
                    BallotChoice(ballot=ballot, plan_id=pk, points=p)
                    for pk, p in sorted(summary.points.items())
                ]
            )
            VotingCode.objects.filter(pk=voting_code.pk, used_at__isnull=True).update(used_at=now)
    except IntegrityError:
        # the same code voted online at this very moment: that ballot stands
        raise _used_online() from None
    return ballot


def add_invalid_paper_form(*, batch: PaperBatch, actor) -> PaperBatch:
    """Count one form that cannot be entered (spoilt, unreadable, breaks the rules)."""
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status != BatchStatus.OPEN or batch.entered_by_id != actor.pk:
            raise PaperBatchError(_("This batch is closed for entry."), code="batch_closed")
        if batch.ballots.count() + batch.invalid_count >= batch.declared_count:
            raise PaperBatchError(
                ngettext(
                    "This batch already holds the %(count)s form you counted.",
                    "This batch already holds the %(count)s forms you counted.",
                    batch.declared_count,
                )
                % {"count": batch.declared_count},
                code="batch_full",
            )
        batch.invalid_count += 1
        batch.save(update_fields=["invalid_count"])
    return batch


def remove_paper_ballot(
    *, batch: PaperBatch, actor, ballot_id: int, origin: Origin | None = None
) -> None:
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status != BatchStatus.OPEN or batch.entered_by_id != actor.pk:
            raise PaperBatchError(_("This batch is closed for entry."), code="batch_closed")
        ballot = Ballot.objects.filter(pk=ballot_id, paper_batch=batch).first()
        if ballot is not None:
            ballot.delete()
            if ballot.voting_code_id is not None:
                # the form was taken out: its code is free again (online or on paper)
                VotingCode.objects.filter(pk=ballot.voting_code_id).update(used_at=None)
            _audit(
                actor=actor,
                action="ballots.paper_ballot_removed",
                target=batch,
                details={"number": batch.number},
                origin=origin,
            )


def submit_paper_batch(*, batch: PaperBatch, actor, origin: Origin | None = None) -> PaperBatch:
    """The person entering says the batch is complete; it now waits for a second person."""
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status != BatchStatus.OPEN or batch.entered_by_id != actor.pk:
            raise PaperBatchError(_("This batch is closed for entry."), code="batch_closed")
        entered = batch.ballots.count()
        if entered + batch.invalid_count != batch.declared_count:
            raise PaperBatchError(
                _(
                    "The numbers do not match. Forms counted: %(declared)s; ballots entered: "
                    "%(entered)s; invalid forms: %(invalid)s. Check the stack."
                )
                % {
                    "declared": batch.declared_count,
                    "entered": entered,
                    "invalid": batch.invalid_count,
                },
                code="count_mismatch",
            )
        batch.status = BatchStatus.SUBMITTED
        batch.submitted_at = timezone.now()
        batch.save(update_fields=["status", "submitted_at"])
        _audit(
            actor=actor,
            action="ballots.paper_batch_submitted",
            target=batch,
            details={"number": batch.number, "ballots": entered, "invalid": batch.invalid_count},
            origin=origin,
        )
    return batch


def confirm_paper_batch(*, batch: PaperBatch, actor, origin: Origin | None = None) -> PaperBatch:
    """A second person confirms the batch; only then do its ballots count."""
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status != BatchStatus.SUBMITTED:
            raise PaperBatchError(
                _("Only a batch that waits for a check can be confirmed."), code="not_submitted"
            )
        if batch.entered_by_id == actor.pk:
            raise PaperBatchError(
                _("A second person must check this batch. You entered it yourself."),
                code="four_eyes",
            )
        batch.status = BatchStatus.CONFIRMED
        batch.confirmed_by = actor
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        _audit(
            actor=actor,
            action="ballots.paper_batch_confirmed",
            target=batch,
            details={"number": batch.number, "ballots": batch.ballots.count()},
            origin=origin,
        )
    return batch


def reject_paper_batch(
    *, batch: PaperBatch, actor, reason: str, origin: Origin | None = None
) -> PaperBatch:
    """The checker sends the batch back for correction (it reopens for the person entering)."""
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status != BatchStatus.SUBMITTED:
            raise PaperBatchError(
                _("Only a batch that waits for a check can be sent back."), code="not_submitted"
            )
        if batch.entered_by_id == actor.pk:
            raise PaperBatchError(
                _("A second person must check this batch. You entered it yourself."),
                code="four_eyes",
            )
        batch.status = BatchStatus.OPEN
        batch.rejection_reason = reason[:280]
        batch.submitted_at = None
        batch.save(update_fields=["status", "rejection_reason", "submitted_at"])
        _audit(
            actor=actor,
            action="ballots.paper_batch_rejected",
            target=batch,
            details={"number": batch.number, "reason": reason[:280]},
            origin=origin,
        )
    return batch


# -- counting and export --


def _counted_ballots(budget_round: BudgetRound):
    return Ballot.objects.filter(budget_round=budget_round).filter(
        Q(paper_batch__isnull=True) | Q(paper_batch__status=BatchStatus.CONFIRMED)
    )


def _ballot_rows(budget_round: BudgetRound) -> list[tuple[dict[int, int], str]]:
    """Counted ballots as ({plan_id: points}, channel), in no meaningful order."""
    ballots: dict[int, tuple[dict[int, int], str]] = {
        pk: ({}, channel)
        for pk, channel in _counted_ballots(budget_round).values_list("pk", "channel")
    }
    choices = BallotChoice.objects.filter(ballot__in=_counted_ballots(budget_round))
    for ballot_id, plan_id, points in choices.values_list("ballot_id", "plan_id", "points"):
        if ballot_id in ballots:
            ballots[ballot_id][0][plan_id] = points
    return list(ballots.values())


def has_counted_ballots(budget_round: BudgetRound) -> bool:
    """Whether anything will be counted (a round nobody voted in has no Pabulib votes)."""
    return _counted_ballots(budget_round).exists()


def ballots_for_tally(budget_round: BudgetRound) -> list[dict[int, int]]:
    """The current ballots of the round (paper ones after confirmation) as {plan_id: points}.

    The order is canonical (sorted by content), so it says nothing about who voted when.
    """
    return sorted((b for b, _channel in _ballot_rows(budget_round)), key=_ballot_key)


def _ballot_key(ballot: Mapping[int, int]) -> tuple:
    return tuple(sorted(ballot.items()))


def export_pabulib(budget_round: BudgetRound) -> bytes:
    """The counted ballots as a Pabulib file, anonymised and byte-for-byte deterministic.

    Voter ids are sequence numbers after a shuffle seeded from the ballots' own
    content: the order says nothing about time or person, and the same set of
    ballots always gives the same bytes (and so the same SHA-256). Only the
    voting method (internet or paper) is kept per voter.
    """
    rows = sorted(_ballot_rows(budget_round), key=lambda r: (_ballot_key(r[0]), r[1]))
    digest = hashlib.sha256(repr([(_ballot_key(b), c) for b, c in rows]).encode()).digest()
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(rows)
    methods = ["paper" if channel == Channel.PAPER else "internet" for _b, channel in rows]
    return adapters.pabulib_bytes(budget_round, [b for b, _c in rows], voting_methods=methods)


def ballot_counts(budget_round: BudgetRound) -> dict[str, int]:
    """Numbers for the civil servant's overview (no choices)."""
    by_channel = dict(
        Ballot.objects.filter(budget_round=budget_round, paper_batch__isnull=True)
        .values_list("channel")
        .annotate(n=Count("pk"))
    )
    paper = Ballot.objects.filter(budget_round=budget_round, channel=Channel.PAPER)
    codes_made = VotingCode.objects.filter(budget_round=budget_round)
    replaced = (
        Ballot.objects.filter(budget_round=budget_round).aggregate(n=Sum("times_replaced"))["n"]
        or 0
    )
    return {
        "codes": codes_made.count(),
        "codes_used": codes_made.filter(used_at__isnull=False).count(),
        "online_code": by_channel.get(Channel.CODE, 0),
        "online_account": by_channel.get(Channel.ACCOUNT, 0),
        "paper_confirmed": paper.filter(paper_batch__status=BatchStatus.CONFIRMED).count(),
        "paper_unconfirmed": paper.exclude(paper_batch__status=BatchStatus.CONFIRMED).count(),
        "replacements": replaced,
    }


def paper_close_blockers(budget_round: BudgetRound) -> list[PaperBatch]:
    """Batches that hold voting open: with forms in them, but not yet confirmed.

    An empty batch that was opened and never used does not count and does not hold the
    close (after the close nothing can be entered in it).
    """
    return list(
        PaperBatch.objects.filter(budget_round=budget_round)
        .exclude(status=BatchStatus.CONFIRMED)
        .annotate(n_ballots=Count("ballots"))
        .filter(Q(n_ballots__gt=0) | Q(invalid_count__gt=0) | Q(status=BatchStatus.SUBMITTED))
        .select_related("entered_by")
        .order_by("number")
    )


def on_voting_close_blockers(sender, *, budget_round, **kwargs) -> list[dict]:
    """Answer ``budgets.signals.voting_close_blockers``: the paper batches still open."""
    reasons = []
    for batch in paper_close_blockers(budget_round):
        if batch.status == BatchStatus.SUBMITTED:
            text = _("Batch %(number)s waits for a check by a second person.")
        else:
            text = _("Batch %(number)s is still being entered.")
        reasons.append(
            {
                "text": text % {"number": batch.number},
                "url": reverse("ballots:paper-batch", args=[budget_round.slug, batch.pk]),
            }
        )
    return reasons


def unconfirmed_paper_batches(budget_round: BudgetRound) -> int:
    """Batches not yet confirmed (warn before closing the voting phase)."""
    return (
        PaperBatch.objects.filter(budget_round=budget_round)
        .exclude(status=BatchStatus.CONFIRMED)
        .count()
    )


# -- code letters (printed in the background) --


def request_letters(
    *,
    budget_round: BudgetRound,
    actor,
    count: int | None = None,
    addresses=None,
    origin: Origin | None = None,
) -> LetterRun:
    """Ask for a run of code letters; a worker makes the codes and prints the PDF.

    ``addresses`` (a list of ``letters.Address``) wait for the worker in private
    storage and are deleted once printed. Nothing is printed in the request.
    """
    from . import letters
    from .tasks import print_letters_task

    n = len(addresses) if addresses else int(count or 0)
    if not 1 <= n <= MAX_CODES_PER_RUN:
        raise VotingError(
            ngettext(
                "You can make between 1 and %(max)s code at a time.",
                "You can make between 1 and %(max)s codes at a time.",
                MAX_CODES_PER_RUN,
            )
            % {"max": MAX_CODES_PER_RUN},
            code="count",
        )
    if not settings.DEBUG:
        from .letter_site import is_local_host

        site = letters.round_site_url(budget_round)
        if is_local_host(urlsplit(site).hostname or ""):
            raise VotingError(
                _(
                    "The address %(address)s only works on this computer or network, not for "
                    "residents at home. Set SITE_URL (or the municipality's host name) to the "
                    "public address of this site."
                )
                % {"address": site},
                code="local_site",
            )
    saved = letters.save_addresses(addresses) if addresses else ""
    try:
        with transaction.atomic():
            run = LetterRun.objects.create(
                budget_round=budget_round,
                requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                count=n,
                with_addresses=bool(addresses),
                addresses_file=saved,
            )
            _audit(
                actor=actor,
                action="ballots.letters_requested",
                target=budget_round,
                details={"count": n, "run": run.pk, "with_addresses": bool(addresses)},
                origin=origin,
            )
            enqueue_on_commit(print_letters_task, run_id=run.pk)
    except BaseException:
        letters.delete_private(saved)
        raise
    return run


def start_letter_run(run_id: int) -> LetterRun | None:
    """The worker begins a run; None when it is done, deleted or gone, or when another
    worker is printing it (a retry must not discard the codes being printed)."""
    with transaction.atomic():
        run = LetterRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (LetterStatus.DONE, LetterStatus.DELETED):
            return None
        if run.status == LetterStatus.RUNNING and not run.is_stuck:
            return None
        run.status = LetterStatus.RUNNING
        run.started_at = timezone.now()
        run.printed = 0
        run.error = ""
        run.save(update_fields=["status", "started_at", "printed", "error"])
    return LetterRun.objects.select_related("budget_round__organisation", "requested_by").get(
        pk=run_id
    )


def discard_letter_codes(run: LetterRun) -> None:
    """Delete the codes of a run whose letters were never delivered (nobody knows them)."""
    if run.code_batch_id is None:
        return
    with transaction.atomic():
        batch_id = run.code_batch_id
        LetterRun.objects.filter(pk=run.pk).update(code_batch=None)
        run.code_batch_id = None
        VotingCode.objects.filter(batch_id=batch_id, used_at__isnull=True).delete()
        CodeBatch.objects.filter(pk=batch_id, codes__isnull=True).delete()


def letter_codes(run: LetterRun) -> list[str]:
    """Make the run's codes (committed at once); the batch is kept on the run."""
    discard_letter_codes(run)  # from an attempt that did not finish
    batch, plain = make_code_batch(
        run.budget_round, run.count, actor=run.requested_by, with_addresses=run.with_addresses
    )
    LetterRun.objects.filter(pk=run.pk).update(code_batch=batch)
    run.code_batch = batch
    return plain


def letter_progress(run_id: int, printed: int) -> None:
    LetterRun.objects.filter(pk=run_id, status=LetterStatus.RUNNING).update(printed=printed)


def finish_letter_run(run: LetterRun, *, file: str, size: int) -> None:
    from . import letters

    LetterRun.objects.filter(pk=run.pk).update(
        status=LetterStatus.DONE,
        printed=run.count,
        file=file,
        file_size=size,
        addresses_file="",
        finished_at=timezone.now(),
    )
    letters.delete_private(run.addresses_file)


def fail_letter_run(run: LetterRun, *, error: str) -> None:
    """The run failed: its codes are deleted (nobody has them); the address list is kept
    for another attempt until the run is deleted."""
    discard_letter_codes(run)
    LetterRun.objects.filter(pk=run.pk).update(
        status=LetterStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def retry_letter_run(*, run: LetterRun, actor, origin: Origin | None = None) -> LetterRun:
    """Print a failed (or stuck) run again (with its kept address list)."""
    from .tasks import print_letters_task

    with transaction.atomic():
        run = LetterRun.objects.select_for_update().get(pk=run.pk)
        if not run.can_retry:
            raise VotingError(_("Only letters that failed can be printed again."), code="state")
        run.status = LetterStatus.PENDING
        run.error = ""
        run.printed = 0
        run.save(update_fields=["status", "error", "printed"])
        _audit(
            actor=actor,
            action="ballots.letters_retried",
            target=run.budget_round,
            details={"run": run.pk},
            origin=origin,
        )
        enqueue_on_commit(print_letters_task, run_id=run.pk)
    return run


def delete_letter_run(*, run: LetterRun, actor, origin: Origin | None = None) -> None:
    """Remove a run's PDF (and a waiting address list); the row stays for the record."""
    from . import letters

    with transaction.atomic():
        run = LetterRun.objects.select_for_update().get(pk=run.pk)
        if run.is_busy and not run.is_stuck:
            raise VotingError(
                _("These letters are still being printed. Wait until they are ready."),
                code="busy",
            )
        if run.status != LetterStatus.DONE:  # failed or stuck: nobody has these codes
            discard_letter_codes(run)
        files = [run.file, run.addresses_file]
        run.status = LetterStatus.DELETED
        run.file = run.addresses_file = ""
        run.save(update_fields=["status", "file", "addresses_file"])
        _audit(
            actor=actor,
            action="ballots.letters_deleted",
            target=run.budget_round,
            details={"run": run.pk},
            origin=origin,
        )
    for name in files:
        letters.delete_private(name)


def record_letters_download(*, run: LetterRun, actor, origin: Origin | None = None) -> None:
    """Every download of a PDF with codes is in the audit trail (who, when, which run)."""
    _audit(
        actor=actor,
        action="ballots.letters_downloaded",
        target=run.budget_round,
        details={"run": run.pk},
        origin=origin,
    )


def purge_old_letter_runs(*, now: dt.datetime | None = None) -> int:
    """Delete the PDFs and address lists of runs older than ``LETTERS_KEEP_DAYS``."""
    from . import letters

    days = settings.LETTERS_KEEP_DAYS
    old = LetterRun.objects.filter(
        created_at__lt=(now or timezone.now()) - dt.timedelta(days=days),
        status__in=[LetterStatus.DONE, LetterStatus.FAILED],
    )
    n = 0
    for run in old:
        for name in (run.file, run.addresses_file):
            letters.delete_private(name)
        if run.status == LetterStatus.FAILED:
            discard_letter_codes(run)
        LetterRun.objects.filter(pk=run.pk).update(
            status=LetterStatus.DELETED, file="", addresses_file=""
        )
        n += 1
    return n
