"""Writes for making sense together: recording a sensemaking session and asking for the
printable story cards (rendered by a background task, like the budgets council report).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.platform import uploads
from buurtbasis.platform.audit import Origin, record_event

from .models import StoryRound
from .models_catalysis import CardsStatus, SenseMakingSession, StoryCards
from .services import StoryError

logger = logging.getLogger(__name__)

MAX_PARTICIPANTS = 10_000


def record_session(
    *,
    story_round: StoryRound,
    held_on: dt.date,
    place: str,
    participants: int,
    conclusions: str,
    origin: Origin,
) -> SenseMakingSession:
    """Record a sensemaking session of the round with its conclusions (audited)."""
    place = (place or "").strip()
    conclusions = (conclusions or "").strip()
    if not place:
        raise StoryError(_("Say where the session was held."), code="place", field="place")
    if not conclusions:
        raise StoryError(
            _("Write down what the session concluded."), code="conclusions", field="conclusions"
        )
    if participants is None or participants < 1 or participants > MAX_PARTICIPANTS:
        raise StoryError(
            _("The number of participants must be between 1 and 10,000."),
            code="participants",
            field="participants",
        )
    if held_on > timezone.localdate():
        raise StoryError(
            _("A session that is still to come cannot have conclusions yet."),
            code="held_on_future",
            field="held_on",
        )
    if held_on < story_round.opens_at.date() - dt.timedelta(days=1):
        raise StoryError(
            _("The session cannot be held before the round opened."),
            code="held_on_early",
            field="held_on",
        )
    session = SenseMakingSession.objects.create(
        round=story_round,
        held_on=held_on,
        place=place,
        participants=participants,
        conclusions=conclusions,
        recorded_by=origin.actor if getattr(origin.actor, "pk", None) else None,
    )
    record_event(
        action="stories.sensemaking_recorded",
        target=story_round,
        details={
            "session": session.pk,
            "held_on": held_on.isoformat(),
            "participants": participants,
        },
        origin=origin,
    )
    return session


# --- story cards ---------------------------------------------------------------------


def cards_fingerprint(cards: list[dict]) -> str:
    """A hash of exactly what would be printed: a withdrawn, new or changed story gives
    another fingerprint, and a file made for another fingerprint is never served."""
    data = json.dumps(
        [[c["id"], c["text"], c["area"], c["themes"], c["answers"]] for c in cards],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(data.encode()).hexdigest()


def request_cards(*, story_round: StoryRound, language: str, fingerprint: str) -> StoryCards:
    """Ask for the story cards of the round as they are now; returns the row.

    Cards that are ready for this fingerprint, or being made for it, are not asked for
    again (unless the task seems lost: pending for more than 15 minutes).
    """
    from buurtbasis.platform.tasks import enqueue_on_commit

    from .tasks_catalysis import make_story_cards

    with transaction.atomic():
        cards, created = StoryCards.objects.select_for_update().get_or_create(
            round=story_round, language=language, defaults={"requested_for": fingerprint}
        )
        if cards.is_ready_for(fingerprint):
            return cards
        waiting = cards.status == CardsStatus.PENDING and cards.requested_for == fingerprint
        if not created and waiting and not cards.is_stuck():
            return cards
        cards.status = CardsStatus.PENDING
        cards.requested_for = fingerprint
        cards.requested_at = timezone.now()
        cards.error = ""
        cards.save()
        enqueue_on_commit(make_story_cards, cards_id=cards.pk)
    return cards


def render_cards(*, cards_id: int) -> str:
    """What the cards task does: render the PDF of the cards as they are now and store it."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from .cards import card_data, cards_pdf

    cards = StoryCards.objects.select_related("round").filter(pk=cards_id).first()
    if cards is None or cards.status != CardsStatus.PENDING:
        return "skipped"
    story_round = cards.round
    try:
        with translation.override(cards.language):
            data = card_data(story_round)
            pdf = cards_pdf(story_round, data)
    except Exception as exc:
        logger.exception("story cards %s failed", cards_id)
        StoryCards.objects.filter(pk=cards_id).update(
            status=CardsStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        raise
    storage = uploads.private_storage()
    name = storage.save(
        f"story-cards/{story_round.slug}-{cards.language}-{uuid.uuid4().hex[:12]}.pdf",
        ContentFile(pdf),
    )
    with transaction.atomic():
        current = StoryCards.objects.select_for_update().get(pk=cards_id)
        old = current.file
        current.file = name
        current.fingerprint = cards_fingerprint(data)
        current.cards = len(data)
        current.status = CardsStatus.DONE
        current.finished_at = timezone.now()
        current.save()
    if old and old != name:
        storage.delete(old)
    return "rendered"
