"""The stories' block on the wijkprofiel: themes with their trend, and a few quotes.

Registered in ``StoriesConfig.ready`` for the page ``wijkprofiel`` (see
``docs/wijkprofiel.md``). The figures are kept in the cache for a few minutes, so the
profile stays fast with many stories (a changed story or theme makes them old). The
keywords of the area's stories of the last ``TREND_DAYS`` days (against the other
stories of the municipality in those days) take the most work: ``keywords_for`` is run
by the wijkprofiel's background refresh (``portal.profile.compute``), which stores them
in the profile's snapshot, and the block reads them from there (``profile=`` the
snapshot's data), so no request ever computes them. So are the candidate quotes per
theme (``quote_candidates``: a few story ids per theme, best first). Quotes are never
cached: they are read fresh (the candidates' texts, if still public and linked to the
theme), so a withdrawn story is gone at once. Per theme the most characteristic quote is
shown (the story with the highest score for the theme); only when no story has a theme
yet, the newest quotes. Quotes are only of stories whose teller allowed an anonymised
quote in public, and only their masked text.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from . import adapters
from .models import Story, StoryTheme

#: How long the block's figures are kept (seconds).
CACHE_SECONDS = 300
#: The trend compares the stories of the last this many days with the days before.
TREND_DAYS = 90
#: Themes and quotes shown.
THEMES_SHOWN = 6
QUOTES_SHOWN = 3
#: Keywords shown, and how many stories (newest first) the keywords are computed from.
KEYWORDS_SHOWN = 8
KEYWORD_STORIES = 1000
#: Candidate quotes read per theme (best scores first): a bound.
QUOTE_CANDIDATES = 3


def _area_ids(area) -> list[int]:
    return [area.pk, *area.children.values_list("pk", flat=True)]


def theme_trends(area_ids: list[int], *, now=None) -> list[dict]:
    """Per theme label: stories in all, in the last ``TREND_DAYS`` and the days before."""
    now = now or timezone.now()
    recent = now - dt.timedelta(days=TREND_DAYS)
    before = recent - dt.timedelta(days=TREND_DAYS)
    rows = (
        StoryTheme.objects.filter(
            rejected=False, story__area_id__in=area_ids, story__withdrawn_at__isnull=True
        )
        .values("theme__label")
        .annotate(
            total=Count("story", distinct=True),
            recent=Count("story", filter=Q(story__told_at__gte=recent), distinct=True),
            earlier=Count(
                "story",
                filter=Q(story__told_at__gte=before, story__told_at__lt=recent),
                distinct=True,
            ),
        )
        .order_by("-total", "theme__label")[:THEMES_SHOWN]
    )
    themes = []
    for row in rows:
        if row["recent"] > row["earlier"]:
            trend = "up"
        elif row["recent"] < row["earlier"]:
            trend = "down"
        else:
            trend = "same"
        themes.append(
            {
                "label": row["theme__label"],
                "total": row["total"],
                "recent": row["recent"],
                "earlier": row["earlier"],
                "trend": trend,
            }
        )
    return themes


def _figures(area) -> dict:
    """The counts and themes of the block: kept in the cache."""
    ids = _area_ids(area)
    stories = Story.objects.visible().filter(area_id__in=ids)
    return {
        "ids": ids,
        "count": stories.count(),
        "themes": theme_trends(ids),
    }


def keywords_for(area, *, now=None) -> list[str]:
    """The words that mark the area's stories of the last ``TREND_DAYS`` days against the
    other stories of the municipality in those days (masked text, bounded reads). Work
    for a background task: the wijkprofiel's refresh stores them in its snapshot."""
    area_ids = _area_ids(area)
    since = (now or timezone.now()) - dt.timedelta(days=TREND_DAYS)
    recent = (
        Story.objects.visible()
        .in_municipality(area.municipality_code)
        .filter(told_at__gte=since)
        .exclude(masked_text="")
        .order_by("-told_at", "-pk")
    )
    here = list(
        recent.filter(area_id__in=area_ids).values_list("masked_text", flat=True)[:KEYWORD_STORIES]
    )
    if not here:
        return []
    other = list(
        recent.exclude(area_id__in=area_ids).values_list("masked_text", flat=True)[:KEYWORD_STORIES]
    )
    return adapters.area_keywords(here, other, top=KEYWORDS_SHOWN)


def _candidate_rows(area_ids: list[int], labels: list[str]):
    """At most ``QUOTE_CANDIDATES`` public stories per theme label, best scores first (one
    query with a window over the area's theme links: work for the background refresh)."""
    return (
        StoryTheme.objects.filter(
            rejected=False,
            theme__label__in=labels,
            story__in=Story.objects.public().filter(area_id__in=area_ids).exclude(masked_text=""),
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("theme__label")],
                order_by=[F("score").desc(), F("story__told_at").desc(), F("story_id").desc()],
            )
        )
        .filter(place__lte=QUOTE_CANDIDATES)
        .values_list("story_id", "theme__label", "score", "story__masked_text")
    )


def _ranked(rows) -> dict[str, list[int]]:
    """Per theme label the candidates' story ids, most characteristic first."""
    rows = list(rows)
    ranked = adapters.characteristic_quotes(
        [{"id": i, "label": label, "score": score, "text": text} for i, label, score, text in rows],
        per_theme=QUOTE_CANDIDATES,
    )
    by_text: dict[tuple[str, str], int] = {}
    for i, label, _score, text in rows:
        by_text.setdefault((label, text), i)
    return {
        label: [by_text[(label, text)] for text in texts if (label, text) in by_text]
        for label, texts in ranked.items()
    }


def quote_candidates(area) -> dict[str, list[int]]:
    """Per theme label of the block the story ids whose quotes may stand for it, best first.
    Run by the wijkprofiel's background refresh, which stores them in the snapshot; the
    request only reads those few stories again (still public? not withdrawn?)."""
    ids = _area_ids(area)
    return _ranked(_candidate_rows(ids, [t["label"] for t in theme_trends(ids)]))


def _theme_quotes(area_ids: list[int], labels: list[str], candidates=None) -> dict[str, str]:
    """Per theme label the most characteristic public quote, read fresh: of the stored
    ``candidates`` (at most ``QUOTE_CANDIDATES`` story ids per theme) the best one that is
    still public and still linked to the theme, in one query of at most that many rows.
    Without stored candidates (no snapshot yet) they are found on the spot."""
    if not labels:
        return {}
    if candidates is None:
        candidates = _ranked(_candidate_rows(area_ids, labels))
    wanted = {i for label in labels for i in candidates.get(label, [])}
    if not wanted:
        return {}
    fresh: dict[tuple[int, str], str] = {
        (i, label): text
        for i, label, text in StoryTheme.objects.filter(
            rejected=False,
            theme__label__in=labels,
            story_id__in=wanted,
            story__in=Story.objects.public().filter(area_id__in=area_ids).exclude(masked_text=""),
        ).values_list("story_id", "theme__label", "story__masked_text")
    }
    quotes = {}
    for label in labels:
        for i in candidates.get(label, []):
            if (i, label) in fresh:
                quotes[label] = fresh[(i, label)]
                break
    return quotes


def _quotes(area_ids: list[int]) -> list[str]:
    """The newest public quotes, read fresh on every request (one bounded query): the
    cache is per process, and a withdrawn story must be gone from every page at once."""
    return list(
        Story.objects.public()
        .filter(area_id__in=area_ids)
        .exclude(masked_text="")
        .order_by("-told_at", "-pk")
        .values_list("masked_text", flat=True)[:QUOTES_SHOWN]
    )


VERSION_KEY = "stories:wijkprofiel:version"


def stories_changed(**kwargs) -> None:
    """A story or its themes changed: the cached figures of every area are old."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def wijkprofiel_block(request, *, area, profile=None, **objects):
    """Themes with trend and quotes of the stories told in the area; None without stories.
    ``profile`` is the data of the area's wijkprofiel snapshot (its ``story_keywords``)."""
    return wijkprofiel_pdf(area=area, profile=profile)


def wijkprofiel_pdf(*, area, profile=None, **objects):
    """The same for the wijkanalyse (PDF), which has no request: the figures do not depend
    on who looks, and the quotes are public ones only."""
    key = f"stories:wijkprofiel:{cache.get(VERSION_KEY, 0)}:{area.pk}"
    figures = cache.get(key)
    if figures is None:
        figures = _figures(area)
        cache.set(key, figures, CACHE_SECONDS)
    if not figures["count"]:
        return None
    stored = (profile or {}).get("story_quote_candidates")
    if stored is not None:  # JSON keeps the ids as numbers and the labels as keys
        stored = {label: [int(i) for i in ids] for label, ids in stored.items()}
    by_theme = _theme_quotes(
        figures["ids"], [t["label"] for t in figures["themes"]], candidates=stored
    )
    themes = [{**t, "quote": by_theme.get(t["label"], "")} for t in figures["themes"]]
    return {
        "area": area,
        "trend_days": TREND_DAYS,
        "count": figures["count"],
        "themes": themes,
        "keywords": (profile or {}).get("story_keywords", []),
        # Without any theme quote (no story has a theme yet): the newest quotes.
        "quotes": [] if by_theme else _quotes(figures["ids"]),
    }
