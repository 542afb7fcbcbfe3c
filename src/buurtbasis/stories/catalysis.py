"""Making sense together (what NarraFirma calls catalysis): the figures of one round.

Two layers: ``story_rows`` reads the stories that count from the database in a few
queries; every other function is pure and works on those rows, so the figures can be
checked by hand against small fixtures.

What counts: visible (not withdrawn) stories whose teller allowed analysis (every consent
choice does). Groups (an area, an age band, a teller's role) with fewer than
``MIN_GROUP`` stories are never shown on their own: they are added up into one row
"smaller groups together", and even that row is left out when it is smaller still.
Quotes come only from stories whose teller allowed a quote, and are always masked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .models import (
    AgeBand,
    Answer,
    Consent,
    QuestionKind,
    Story,
    StoryRound,
    StoryTheme,
    TellerRole,
)

#: A group with fewer stories than this is not shown on its own.
MIN_GROUP = 5
#: A theme stands out in a group when its share there differs from the round's share by
#: at least this many percentage points ...
PATTERN_POINTS = 20
#: ... and the group has at least this many stories.
PATTERN_MIN_STORIES = MIN_GROUP
#: Dyad answers cluster at a pole when at least this share of the answers lies in the
#: outer fifth at one end ...
POLE_SHARE = 0.6
POLE_WIDTH = 0.2
#: ... out of at least this many answers.
POLE_MIN_ANSWERS = 5
#: Bars of a dyad histogram.
DYAD_BINS = 5
#: Consent choices that allow analysis (all of them: analysis is the least any teller allows).
ANALYSIS_CONSENTS = (Consent.PUBLIC_ANON, Consent.PROFESSIONALS_ONLY, Consent.ANALYSIS_ONLY)
#: Consent choices that allow a (masked) quote on a professional's page.
QUOTE_CONSENTS = (Consent.PUBLIC_ANON, Consent.PROFESSIONALS_ONLY)


@dataclass(frozen=True)
class StoryRow:
    """What the figures need of one story."""

    id: int
    area: str = ""
    age_band: str = ""
    teller_role: str = ""
    themes: frozenset[int] = frozenset()
    answers: dict = field(default_factory=dict)
    quote: str = ""  # masked text, only when the teller allowed a quote


def counted_stories(story_round: StoryRound):
    """The stories of the round that count in the figures."""
    return Story.objects.visible().filter(round=story_round, consent__in=ANALYSIS_CONSENTS)


def story_rows(story_round: StoryRound) -> list[StoryRow]:
    """One row per story that counts (three queries, whatever the number of stories)."""
    stories = list(
        counted_stories(story_round)
        .select_related("area")
        .order_by("pk")
        .values_list("pk", "area__name", "age_band", "teller_role", "consent", "masked_text")
    )
    ids = [s[0] for s in stories]
    themes: dict[int, set[int]] = {}
    for story_id, theme_id in StoryTheme.objects.filter(
        story_id__in=ids, rejected=False
    ).values_list("story_id", "theme_id"):
        themes.setdefault(story_id, set()).add(theme_id)
    answers: dict[int, dict] = {}
    for story_id, question_id, value in Answer.objects.filter(story_id__in=ids).values_list(
        "story_id", "question_id", "value"
    ):
        answers.setdefault(story_id, {})[question_id] = value
    return [
        StoryRow(
            id=pk,
            area=area or "",
            age_band=age or "",
            teller_role=role or "",
            themes=frozenset(themes.get(pk, ())),
            answers=answers.get(pk, {}),
            quote=masked if consent in QUOTE_CONSENTS else "",
        )
        for pk, area, age, role, consent, masked in stories
    ]


# --- dyads ---------------------------------------------------------------------------


def _dyad_value(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return min(max(float(value), 0.0), 1.0)


def dyad_histogram(rows: list[StoryRow], question_id: int, bins: int = DYAD_BINS) -> dict:
    """Counts of the answers to one dyad in ``bins`` equal bins from the left pole (0)
    to the right pole (1); "n.v.t." is counted apart.

    >>> h = dyad_histogram([StoryRow(1, answers={7: 0.0}), StoryRow(2, answers={7: 1.0}),
    ...                     StoryRow(3, answers={7: 0.5}), StoryRow(4, answers={7: None})], 7)
    >>> h["counts"], h["answered"], h["not_applicable"]
    ([1, 0, 1, 0, 1], 3, 1)
    """
    counts = [0] * bins
    not_applicable = 0
    values = []
    for row in rows:
        if question_id not in row.answers:
            continue
        value = _dyad_value(row.answers[question_id])
        if value is None:
            not_applicable += 1
            continue
        values.append(value)
        counts[min(int(value * bins), bins - 1)] += 1
    answered = len(values)
    left = sum(1 for v in values if v <= POLE_WIDTH)
    right = sum(1 for v in values if v >= 1 - POLE_WIDTH)
    pole = ""
    if answered >= POLE_MIN_ANSWERS:
        if left / answered >= POLE_SHARE:
            pole = "left"
        elif right / answered >= POLE_SHARE:
            pole = "right"
    return {
        "counts": counts,
        "answered": answered,
        "not_applicable": not_applicable,
        "mean": round(sum(values) / answered, 3) if answered else None,
        "left_share": round(left / answered, 3) if answered else 0.0,
        "right_share": round(right / answered, 3) if answered else 0.0,
        "pole": pole,
    }


# --- triads --------------------------------------------------------------------------


def _triad_value(value) -> tuple[float, float, float] | None:
    if not isinstance(value, list | tuple) or len(value) != 3:
        return None
    try:
        weights = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    total = sum(weights)
    if total <= 0 or any(w < 0 for w in weights):
        return None
    return (weights[0] / total, weights[1] / total, weights[2] / total)


def triad_summary(rows: list[StoryRow], question_id: int) -> dict:
    """The points of one triad, with per corner the stories where that corner weighs
    more than half ("mostly ..."), the rest as "mixed", and the mean weights.

    >>> rows = [StoryRow(1, answers={3: [1, 0, 0]}), StoryRow(2, answers={3: [0.2, 0.2, 0.6]}),
    ...         StoryRow(3, answers={3: [1, 1, 1]}), StoryRow(4, answers={3: None})]
    >>> s = triad_summary(rows, 3)
    >>> s["mostly"], s["mixed"], s["answered"], s["not_applicable"]
    ([1, 0, 1], 1, 3, 1)
    """
    points = []
    not_applicable = 0
    for row in rows:
        if question_id not in row.answers:
            continue
        value = _triad_value(row.answers[question_id])
        if value is None:
            not_applicable += 1
        else:
            points.append(value)
    mostly = [0, 0, 0]
    mixed = 0
    for point in points:
        top = max(range(3), key=lambda i: point[i])
        if point[top] > 0.5:
            mostly[top] += 1
        else:
            mixed += 1
    n = len(points)
    return {
        "points": points,
        "answered": n,
        "not_applicable": not_applicable,
        "mostly": mostly,
        "mixed": mixed,
        "mean": [round(sum(p[i] for p in points) / n, 3) for i in range(3)] if n else None,
    }


# --- themes by group -----------------------------------------------------------------

GROUPINGS = ("area", "age_band", "teller_role")


def _group_label(grouping: str, key: str) -> str:
    if grouping == "age_band":
        return str(dict(AgeBand.choices).get(key, key))
    if grouping == "teller_role":
        return str(dict(TellerRole.choices).get(key, key))
    return key


def theme_table(rows: list[StoryRow], themes: list[tuple[int, str]], grouping: str) -> dict:
    """Stories per theme in each group of ``grouping`` (``area``, ``age_band`` or
    ``teller_role``), and for the whole round.

    Groups with fewer than ``MIN_GROUP`` stories (and stories with no group: no area,
    age not given) are added up into one row ``small`` that is shown only when it has at
    least ``MIN_GROUP`` stories itself; ``hidden`` counts the stories in no shown row.
    A story can have several themes, so the shares of a row may add up to more than 100.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping: {grouping}")
    by_key: dict[str, list[StoryRow]] = {}
    for row in rows:
        by_key.setdefault(getattr(row, grouping), []).append(row)
    theme_ids = [t for t, _ in themes]

    def _row(label: str, members: list[StoryRow]) -> dict:
        counted = Counter(t for m in members for t in m.themes)
        n = len(members)
        cells = [
            {"theme": t, "n": counted.get(t, 0), "share": round(100 * counted.get(t, 0) / n)}
            for t in theme_ids
        ]
        return {"label": label, "n": n, "cells": cells}

    shown, small = [], []
    for key in sorted(by_key, key=lambda k: (-len(by_key[k]), k)):
        members = by_key[key]
        if key and len(members) >= MIN_GROUP:
            shown.append({**_row(_group_label(grouping, key), members), "key": key})
        else:
            small.extend(members)
    small_row = _row("", small) if len(small) >= MIN_GROUP else None
    return {
        "grouping": grouping,
        "themes": [{"id": t, "label": label} for t, label in themes],
        "rows": shown,
        "small": small_row,
        "hidden": 0 if small_row else len(small),
        "total": _row("", rows) if rows else None,
    }


# --- patterns that stand out ---------------------------------------------------------


def theme_patterns(
    rows: list[StoryRow], themes: list[tuple[int, str]], *, points: int = PATTERN_POINTS
) -> list[dict]:
    """Themes whose share in a shown group differs from the round's share by at least
    ``points`` percentage points, in groups of at least ``PATTERN_MIN_STORIES`` stories;
    the biggest difference first. A pointer for the conversation, not proof.
    """
    if not rows:
        return []
    found = []
    labels = dict(themes)
    for grouping in GROUPINGS:
        table = theme_table(rows, themes, grouping)
        overall = {c["theme"]: c for c in table["total"]["cells"]}
        for group in table["rows"]:
            if group["n"] < PATTERN_MIN_STORIES:
                continue
            for cell in group["cells"]:
                round_cell = overall[cell["theme"]]
                exact = 100 * cell["n"] / group["n"] - 100 * round_cell["n"] / len(rows)
                if abs(exact) >= points:
                    found.append(
                        {
                            "grouping": grouping,
                            "group": group["label"],
                            "group_key": group["key"],
                            "group_n": group["n"],
                            "theme": cell["theme"],
                            "theme_label": labels[cell["theme"]],
                            "n": cell["n"],
                            "share": cell["share"],
                            "round_share": round_cell["share"],
                            "difference": round(exact),
                            "higher": exact > 0,
                        }
                    )
    found.sort(key=lambda p: (-abs(p["difference"]), p["theme"], p["grouping"], p["group"]))
    return found


def pattern_quotes(rows: list[StoryRow], pattern: dict, *, limit: int = 2) -> list[str]:
    """A few masked quotes from the group's stories with the theme (only stories whose
    teller allowed a quote)."""
    out = []
    for row in rows:
        if (
            row.quote
            and pattern["theme"] in row.themes
            and getattr(row, pattern["grouping"]) == pattern["group_key"]
        ):
            out.append(row.quote)
            if len(out) >= limit:
                break
    return out


# --- everything for the page ---------------------------------------------------------


def round_catalysis(story_round: StoryRound) -> dict:
    """All figures of the catalysis page of one round."""
    rows = story_rows(story_round)
    themes = list(story_round.themes.values_list("pk", "label"))
    dyads, triads = [], []
    for question in story_round.questions.all():
        if question.kind == QuestionKind.DYAD:
            dyads.append({"question": question, **dyad_histogram(rows, question.pk)})
        elif question.kind == QuestionKind.TRIAD:
            triads.append({"question": question, **triad_summary(rows, question.pk)})
    patterns = theme_patterns(rows, themes)
    for pattern in patterns:
        pattern["quotes"] = pattern_quotes(rows, pattern)
    return {
        "n": len(rows),
        "dyads": dyads,
        "triads": triads,
        "tables": [theme_table(rows, themes, g) for g in GROUPINGS],
        "patterns": patterns,
        "poles": [d for d in dyads if d["pole"]],
    }
