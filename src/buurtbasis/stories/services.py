"""Every write of the stories app: rounds, stories, withdrawal, theme labels, exports.

Services take plain values and an :class:`~buurtbasis.platform.audit.Origin` (who acts,
from where), never a request or a form. A broken rule raises :class:`StoryError` with a
message meant for people.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.areas.models import Area
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.tasks import enqueue_on_commit

from . import access, adapters
from .models import (
    AgeBand,
    Answer,
    Consent,
    ConsentHow,
    ContactChannel,
    Question,
    QuestionKind,
    RoundStatus,
    Story,
    StoryRound,
    StoryTheme,
    TellerRole,
    Theme,
    ThemeSource,
)

#: The shortest and longest story accepted (characters).
MIN_STORY_LENGTH = 20
MAX_STORY_LENGTH = 10_000
MAX_THEMES = 40
MAX_QUESTIONS = 12


class StoryError(Exception):
    """A rule of the stories app was broken; ``message`` is meant for people."""

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


# ---------------------------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------------------------


@dataclass
class QuestionData:
    kind: str
    text: str
    labels: list[str]


@dataclass
class RoundData:
    title: str
    prompt: str
    areas: Sequence[Area]
    opens_at: datetime
    closes_at: datetime
    organisation: Any
    description: str = ""
    next_steps: str = ""
    #: (label, one-line description) per theme, in order
    themes: list[tuple[str, str]] = field(default_factory=list)
    questions: list[QuestionData] = field(default_factory=list)


def parse_themes(text: str) -> list[tuple[str, str]]:
    """One theme per line, "label: description" (the description may be left out).

    >>> parse_themes("Eenzaamheid: alleen zijn, weinig contact\\n\\n Groen ")
    [('Eenzaamheid', 'alleen zijn, weinig contact'), ('Groen', '')]
    """
    themes: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        label, _sep, description = line.partition(":")
        label, description = label.strip(), description.strip()
        if not label:
            raise StoryError(
                _("Line %(n)s has no theme name before the colon.") % {"n": number},
                code="themes",
                field="themes",
            )
        if len(label) > 80 or len(description) > 300:
            raise StoryError(
                _(
                    "Line %(n)s is too long: at most 80 characters for the name and 300 for the "
                    "description."
                )
                % {"n": number},
                code="themes",
                field="themes",
            )
        if label.lower() in seen:
            raise StoryError(
                _("The theme “%(label)s” appears twice.") % {"label": label},
                code="themes",
                field="themes",
            )
        seen.add(label.lower())
        themes.append((label, description))
    if len(themes) > MAX_THEMES:
        raise StoryError(
            ngettext(
                "At most %(n)s theme per round.", "At most %(n)s themes per round.", MAX_THEMES
            )
            % {"n": MAX_THEMES},
            code="themes",
            field="themes",
        )
    return themes


def parse_questions(text: str, kind: str) -> list[QuestionData]:
    """One question per line: "question | pole or option | pole or option …".

    A dyad has exactly two poles, a triad exactly three corners, a choice two or more
    options.

    >>> [q.labels for q in parse_questions("Hoe voelde het? | slecht | goed", "dyad")]
    [['slecht', 'goed']]
    """
    wanted = {QuestionKind.DYAD: (2, 2), QuestionKind.TRIAD: (3, 3), QuestionKind.CHOICE: (2, 12)}
    low, high = wanted[QuestionKind(kind)]
    questions: list[QuestionData] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        question, labels = parts[0], [p for p in parts[1:] if p]
        if not question or not (low <= len(labels) <= high):
            if kind == QuestionKind.DYAD:
                message = _("Line %(n)s: write the question, then two poles, separated by “|”.")
            elif kind == QuestionKind.TRIAD:
                message = _("Line %(n)s: write the question, then three corners, separated by “|”.")
            else:
                message = _(
                    "Line %(n)s: write the question, then at least two options, separated by “|”."
                )
            raise StoryError(message % {"n": number}, code="questions", field=f"{kind}_questions")
        if len(question) > 300 or any(len(label) > 80 for label in labels):
            raise StoryError(
                _(
                    "Line %(n)s is too long: at most 300 characters for the question and 80 for "
                    "each pole or option."
                )
                % {"n": number},
                code="questions",
                field=f"{kind}_questions",
            )
        questions.append(QuestionData(kind=kind, text=question, labels=labels))
    return questions


def _check_round_data(data: RoundData, *, municipality: str | None = None) -> str:
    """Check a round; returns the CBS code of the municipality its areas lie in."""
    if not data.title.strip():
        raise StoryError(_("Give the round a title."), code="title", field="title")
    if not data.prompt.strip():
        raise StoryError(_("Write the prompt residents respond to."), code="prompt", field="prompt")
    if data.closes_at <= data.opens_at:
        raise StoryError(_("The round must close after it opens."), code="dates", field="closes_at")
    if not data.areas:
        raise StoryError(_("Choose at least one area."), code="areas", field="areas")
    codes = {area.municipality_code for area in data.areas}
    if len(codes) > 1 or (municipality is not None and codes != {municipality}):
        raise StoryError(
            _("All areas must lie in the same municipality as the round."),
            code="areas",
            field="areas",
        )
    triads = [q for q in data.questions if q.kind == QuestionKind.TRIAD]
    if len(triads) > 1:
        raise StoryError(
            _("A round has at most one triangle question."), code="triad", field="triad_questions"
        )
    if len(data.questions) > MAX_QUESTIONS:
        raise StoryError(
            ngettext(
                "At most %(n)s question per round.",
                "At most %(n)s questions per round.",
                MAX_QUESTIONS,
            )
            % {"n": MAX_QUESTIONS},
            code="questions",
            field="dyad_questions",
        )
    return codes.pop()


RESERVED_SLUGS = {"nieuw", "intrekken"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "verhalenronde"
    if base in RESERVED_SLUGS:
        base = f"{base}-ronde"
    slug, n = base, 2
    while StoryRound.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _save_themes(story_round: StoryRound, themes: list[tuple[str, str]]) -> None:
    """Keep themes with the same label (their labels on stories stay), add and remove."""
    existing = {t.label.lower(): t for t in story_round.themes.all()}
    keep: set[int] = set()
    for order, (label, description) in enumerate(themes):
        theme = existing.get(label.lower())
        if theme is None:
            theme = Theme(round=story_round)
        theme.label, theme.description, theme.order = label, description, order
        theme.save()
        keep.add(theme.pk)
    story_round.themes.exclude(pk__in=keep).delete()


def _same_questions(story_round: StoryRound, questions: list[QuestionData]) -> bool:
    current = [(q.kind, q.text, list(q.labels)) for q in story_round.questions.all()]
    return current == [(q.kind, q.text, list(q.labels)) for q in questions]


def _save_questions(story_round: StoryRound, questions: list[QuestionData]) -> None:
    if _same_questions(story_round, questions):
        return
    if story_round.stories.exists():
        raise StoryError(
            _(
                "The questions cannot change once stories have been told: their answers would no "
                "longer fit."
            ),
            code="questions_locked",
            field="dyad_questions",
        )
    story_round.questions.all().delete()
    for order, q in enumerate(questions):
        Question.objects.create(
            round=story_round, kind=q.kind, text=q.text, labels=q.labels, order=order
        )


@transaction.atomic
def create_round(
    *, data: RoundData, origin: Origin, municipality: str | None = None, slug: str | None = None
) -> StoryRound:
    """A new round, as a draft, owned by the worker's organisation (``slug``: a fixed one,
    for demo data; otherwise made from the title)."""
    actor = origin.actor
    if not access.can_create_round(actor, municipality):
        raise StoryError(_("You may not set up story rounds."), code="forbidden")
    code = _check_round_data(data, municipality=municipality)
    story_round = StoryRound.objects.create(
        slug=slug or _unique_slug(data.title),
        title=data.title.strip(),
        prompt=data.prompt.strip(),
        description=data.description.strip(),
        next_steps=data.next_steps.strip(),
        municipality_code=code,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        organisation=data.organisation,
        created_by=actor,
    )
    story_round.areas.set(data.areas)
    _save_themes(story_round, data.themes)
    _save_questions(story_round, data.questions)
    record_event(action="stories.round_created", target=story_round, origin=origin)
    return story_round


@transaction.atomic
def update_round(*, story_round: StoryRound, data: RoundData, origin: Origin) -> StoryRound:
    if not access.can_manage_round(origin.actor, story_round):
        raise StoryError(_("You may not change this round."), code="forbidden")
    code = _check_round_data(data, municipality=story_round.municipality_code)
    story_round.title = data.title.strip()
    story_round.prompt = data.prompt.strip()
    story_round.description = data.description.strip()
    story_round.next_steps = data.next_steps.strip()
    story_round.municipality_code = code
    story_round.opens_at, story_round.closes_at = data.opens_at, data.closes_at
    story_round.save()
    story_round.areas.set(data.areas)
    _save_themes(story_round, data.themes)
    _save_questions(story_round, data.questions)
    record_event(action="stories.round_changed", target=story_round, origin=origin)
    _request_analysis(story_round.pk)
    return story_round


@transaction.atomic
def set_round_status(*, story_round: StoryRound, status: str, origin: Origin) -> StoryRound:
    """Open a draft or closed round for stories, or close it."""
    if not access.can_manage_round(origin.actor, story_round):
        raise StoryError(_("You may not change this round."), code="forbidden")
    status = RoundStatus(status)
    if status == RoundStatus.DRAFT:
        raise StoryError(_("A round cannot go back to draft."), code="status")
    previous = story_round.status
    story_round.status = status
    story_round.save(update_fields=["status"])
    record_event(
        action="stories.round_status_changed",
        target=story_round,
        origin=origin,
        details={"from": previous, "to": status.value},
    )
    return story_round


# ---------------------------------------------------------------------------------------------
# Stories
# ---------------------------------------------------------------------------------------------


@dataclass
class StoryData:
    text: str
    consent: str
    area: Area | None = None
    may_contact: bool = False
    contact_channel: str = ""
    contact_detail: str = ""
    age_band: str = ""
    teller_role: str = TellerRole.RESIDENT
    #: question id -> the raw answer: a dyad 0..1 or None, a triad three non-negative
    #: weights (any scale) or None, a choice the option's index or None.
    answers: dict[int, Any] = field(default_factory=dict)
    #: Only when a worker records the story: how the teller gave consent.
    consent_how: str = ConsentHow.ONLINE
    told_at: datetime | None = None


def normalise_triad(weights: Sequence[float]) -> list[float]:
    """Three non-negative weights scaled to sum to one (rounded to 4 decimals).

    >>> normalise_triad([50, 50, 0])
    [0.5, 0.5, 0.0]
    >>> normalise_triad([1, 1, 1])
    [0.3333, 0.3333, 0.3334]
    """
    values = [float(w) for w in weights]
    if len(values) != 3 or any(not math.isfinite(v) or v < 0 for v in values):
        raise ValueError("three non-negative weights expected")
    total = sum(values)
    if total <= 0:
        raise ValueError("the weights are all zero")
    shares = [round(v / total, 4) for v in values[:2]]
    return [*shares, round(1 - sum(shares), 4)]


def normalise_answer(question: Question, raw: Any) -> Any:
    """The stored value of an answer (see :class:`~.models.Answer`); StoryError when bad."""
    if raw is None:
        return None
    if question.kind == QuestionKind.DYAD:
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not (math.isfinite(value) and 0 <= value <= 1):
            raise StoryError(
                _("“%(q)s”: choose a place on the slider, or tick “n.v.t.”.")
                % {"q": question.text},
                code="answer",
                field=f"q{question.pk}",
            )
        return round(value, 4)
    if question.kind == QuestionKind.TRIAD:
        try:
            return normalise_triad(raw)
        except (TypeError, ValueError):
            raise StoryError(
                _("“%(q)s”: give at least one of the three a weight, or tick “n.v.t.”.")
                % {"q": question.text},
                code="answer",
                field=f"q{question.pk}",
            ) from None
    try:
        index = int(raw)
    except (TypeError, ValueError):
        index = -1
    if not 0 <= index < len(question.labels):
        raise StoryError(
            _("“%(q)s”: choose one of the options.") % {"q": question.text},
            code="answer",
            field=f"q{question.pk}",
        )
    return index


_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]{8,20}$")


def _check_contact(data: StoryData) -> tuple[bool, str, str]:
    """(may_contact, channel, detail): only what is needed to get in touch is kept."""
    if not data.may_contact:
        return False, "", ""
    channel = data.contact_channel
    if channel not in ContactChannel.values or channel == ContactChannel.NONE:
        raise StoryError(
            _("Say how we may contact you, or untick “You may contact me”."),
            code="contact",
            field="contact_channel",
        )
    detail = data.contact_detail.strip()
    if channel == ContactChannel.VIA_WORKER:
        return True, channel, ""
    if channel == ContactChannel.EMAIL:
        try:
            validate_email(detail)
        except ValidationError:
            raise StoryError(
                _("Enter an e-mail address, for example naam@voorbeeld.nl."),
                code="contact",
                field="contact_detail",
            ) from None
    elif not _PHONE_CHARS.match(detail) or sum(c.isdigit() for c in detail) < 8:
        raise StoryError(
            _("Enter a phone number, for example 06 12345678."),
            code="contact",
            field="contact_detail",
        )
    return True, channel, detail[:120]


def _check_story(story_round: StoryRound, data: StoryData) -> str:
    text = (data.text or "").strip()
    if len(text) < MIN_STORY_LENGTH:
        raise StoryError(
            ngettext(
                "Your story is very short. Please write at least %(n)s character.",
                "Your story is very short. Please write at least %(n)s characters.",
                MIN_STORY_LENGTH,
            )
            % {"n": MIN_STORY_LENGTH},
            code="text",
            field="text",
        )
    if len(text) > MAX_STORY_LENGTH:
        raise StoryError(
            ngettext(
                "Your story is too long: at most %(n)s character.",
                "Your story is too long: at most %(n)s characters.",
                MAX_STORY_LENGTH,
            )
            % {"n": MAX_STORY_LENGTH},
            code="text",
            field="text",
        )
    if data.consent not in Consent.values:
        raise StoryError(
            _("Choose what we may do with your story."), code="consent", field="consent"
        )
    if data.area is not None and not story_round.areas.filter(pk=data.area.pk).exists():
        raise StoryError(_("Choose one of the areas of this round."), code="area", field="area")
    if data.age_band not in AgeBand.values:
        raise StoryError(_("Choose an age group."), code="age_band", field="age_band")
    if data.teller_role not in TellerRole.values:
        raise StoryError(_("Choose who you are."), code="teller_role", field="teller_role")
    return text


def new_withdrawal_code() -> str:
    """A code of 12 letters and digits in three groups, without look-alikes (0/O, 1/I/L)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _code_hash(code: str) -> str:
    cleaned = re.sub(r"[^0-9A-Z]", "", code.upper())
    return hashlib.sha256(f"stories-withdrawal:{cleaned}".encode()).hexdigest()


#: Inside :func:`one_analysis_per_round`: round id -> the time of its first request.
_batched_requests: ContextVar[dict[int, str] | None] = ContextVar(
    "stories_batched_analysis", default=None
)


def _request_analysis(round_id: int) -> None:
    """Enqueue the round's analysis after the commit. A task finds the round already
    analysed after its request (by an earlier task of a burst) and then does nothing."""
    now = timezone.now().isoformat()
    batch = _batched_requests.get()
    if batch is not None:
        batch.setdefault(round_id, now)
        return
    _enqueue_analysis(round_id, now)


def _enqueue_analysis(round_id: int, requested_at: str) -> None:
    from .tasks import analyse_round

    enqueue_on_commit(analyse_round, round_id=round_id, requested_at=requested_at)


@contextmanager
def one_analysis_per_round():
    """Within this block, writes that ask for a round's analysis ask only once per round
    (at the end of the block, dated at the first request), however many stories are told.

    For bulk entry (demo data, imports); nested blocks join the outer one.
    """
    if _batched_requests.get() is not None:
        yield
        return
    batch: dict[int, str] = {}
    token = _batched_requests.set(batch)
    try:
        yield
    finally:
        # Also after an error: stories saved before it still need their analysis (a
        # rolled-back transaction drops the request with them).
        _batched_requests.reset(token)
        for round_id, requested_at in batch.items():
            _enqueue_analysis(round_id, requested_at)


@transaction.atomic
def tell_story(
    *, story_round: StoryRound, data: StoryData, origin: Origin, on_behalf: bool = False
) -> tuple[Story, str]:
    """Save a story and its answers; returns the story and its one-time withdrawal code.

    ``on_behalf``: a community worker of the round records the story for a resident;
    the teller stays unknown, the worker and how consent was given are recorded (and
    audited). Otherwise a signed-in teller is linked to the story (so they can withdraw
    it from their account); an anonymous teller withdraws with the code.
    """
    actor = origin.actor
    now = timezone.now()
    if on_behalf:
        if not access.can_record_on_behalf(actor, story_round):
            raise StoryError(_("You may not record stories for this round."), code="forbidden")
        if story_round.status == RoundStatus.DRAFT:
            raise StoryError(_("This round is not open yet."), code="closed")
        if data.consent_how not in (ConsentHow.SPOKEN, ConsentHow.PAPER):
            raise StoryError(
                _("Say how the teller gave consent."), code="consent_how", field="consent_how"
            )
    elif not story_round.is_accepting(now):
        raise StoryError(_("This round does not accept stories at the moment."), code="closed")
    text = _check_story(story_round, data)
    may_contact, channel, detail = _check_contact(data)
    questions = {q.pk: q for q in story_round.questions.all()}
    values = {pk: normalise_answer(q, data.answers.get(pk)) for pk, q in questions.items()}
    code = new_withdrawal_code()
    story = Story.objects.create(
        round=story_round,
        area=data.area,
        text=text,
        masked_text=adapters.mask_story(text, story_round),
        told_at=data.told_at or now,
        teller=None if on_behalf else actor,
        recorded_by=actor if on_behalf else None,
        consent=data.consent,
        consent_how=data.consent_how if on_behalf else ConsentHow.ONLINE,
        consent_at=now,
        may_contact=may_contact,
        contact_channel=channel,
        contact_detail=detail,
        age_band=data.age_band,
        teller_role=data.teller_role,
        withdrawal_code_hash=_code_hash(code),
    )
    Answer.objects.bulk_create(
        Answer(story=story, question_id=pk, value=value) for pk, value in values.items()
    )
    if on_behalf:
        record_event(
            action="stories.story_recorded_on_behalf",
            target=story,
            origin=origin,
            details={
                "round": story_round.slug,
                "consent": data.consent,
                "consent_how": data.consent_how,
                "consent_at": now,
                "may_contact": may_contact,
            },
        )
    _request_analysis(story_round.pk)
    return story, code


@transaction.atomic
def withdraw_story(*, story: Story, origin: Origin, reason: str = "teller") -> Story:
    """Take a story back: its text, answers, themes and links are removed for good.

    The row stays (marked withdrawn, without content) so the code cannot be used
    again; every view, analysis, export and index skips it (``Story.objects.visible``).
    ``reason``: ``teller`` (the signed-in teller; checked), ``code`` (the withdrawal
    code was given) or ``erasure`` (the teller's account is deleted).
    """
    if reason not in ("teller", "code", "erasure"):
        raise ValueError(reason)
    if reason == "teller" and not access.can_withdraw(origin.actor, story):
        raise StoryError(_("You may not withdraw this story."), code="forbidden")
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.withdrawn_at is not None:
        return story
    story.withdrawn_at = timezone.now()
    story.text = story.masked_text = ""
    story.contact_detail = ""
    story.may_contact = False
    story.contact_channel = ""
    story.vector = None
    story.similar = []
    story.save()
    story.answers.all().delete()
    story.story_themes.all().delete()
    record_event(
        action="stories.story_withdrawn",
        actor=None,
        target=story,
        origin=origin,
        details={"round": story.round.slug, "reason": reason},
    )
    _request_analysis(story.round_id)
    return story


def withdraw_with_code(*, code: str, origin: Origin) -> Story:
    """Withdraw the story this code was shown for; StoryError when no story matches."""
    if not code or len(code) > 40:
        story = None
    else:
        story = Story.objects.filter(withdrawal_code_hash=_code_hash(code)).first()
    if story is None:
        raise StoryError(
            _("We found no story with this code. Check the code and try again."),
            code="unknown_code",
            field="code",
        )
    return withdraw_story(story=story, origin=origin, reason="code")


# ---------------------------------------------------------------------------------------------
# Themes on stories
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def label_theme(*, story: Story, theme: Theme, on: bool, origin: Origin) -> StoryTheme:
    """A professional says a story is (``on``) or is not about a theme.

    The label overrides the analysis, which never changes it afterwards.
    """
    if not access.is_round_professional(origin.actor, story.round):
        raise StoryError(_("You may not label stories of this round."), code="forbidden")
    if theme.round_id != story.round_id or story.withdrawn_at is not None:
        raise StoryError(_("This theme does not belong to this story's round."), code="theme")
    link, _created = StoryTheme.objects.update_or_create(
        story=story,
        theme=theme,
        defaults={
            "source": ThemeSource.PROFESSIONAL,
            "rejected": not on,
            "labelled_by": origin.actor,
            "score": 1.0 if on else 0.0,
        },
    )
    _request_analysis(story.round_id)
    return link


# ---------------------------------------------------------------------------------------------
# Researcher export
# ---------------------------------------------------------------------------------------------


def export_round(*, story_round: StoryRound, fmt: str, origin: Origin) -> tuple[bytes, int]:
    """The anonymised export (``csv`` or ``jsonl``) for a professional of the round; audited."""
    from . import exports

    if not access.is_round_professional(origin.actor, story_round):
        raise StoryError(_("You may not export the stories of this round."), code="forbidden")
    if fmt == "csv":
        content, count = exports.export_csv(story_round)
    elif fmt == "jsonl":
        content, count = exports.export_jsonl(story_round)
    else:
        raise StoryError(_("Unknown export format."), code="format")
    record_event(
        action="stories.round_exported",
        target=story_round,
        origin=origin,
        details={"format": fmt, "stories": count},
    )
    return content, count
