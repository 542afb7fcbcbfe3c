"""The anonymised researcher export of a round (CSV and JSON Lines).

Per visible story: a running number (not the database id), the area, the month it was
told, age band, teller role, consent, the masked text, the themes and the answers.
No ids of people, no contact data, no exact times; withdrawn stories are left out.
The CSV is guarded against spreadsheet formulas (``platform.spreadsheets``).

Small groups: a row whose combination of area, age band, teller role and month occurs
fewer than ``MIN_GROUP`` times in the export is generalised until it does not: first
the rarer of age band and teller role is left blank, then the other, then the month
becomes the year, then the area is left blank, and last the year. Rows that are still
in a group smaller than ``MIN_GROUP`` then carry none of these four fields. The column
``generalised`` names what was left out or coarsened for that row, so no teller can be
singled out by these fields and a researcher knows why a field is empty.
"""

from __future__ import annotations

import json
from collections import Counter

from buurtbasis.platform.spreadsheets import csv_bytes

from .models import QuestionKind, StoryRound
from .queries import round_stories

#: The smallest group of rows with the same area, age band, role and month in an export.
MIN_GROUP = 5
_KEY = ("area_code", "age_band", "teller_role", "month")


def _group_sizes(records: list[dict]) -> Counter:
    return Counter(tuple(r[f] for f in _KEY) for r in records)


def generalise_small_groups(records: list[dict], *, k: int = MIN_GROUP) -> list[dict]:
    """Coarsen the rows of groups smaller than ``k`` (in place; see the module text)."""
    for r in records:
        r.setdefault("generalised", [])
    # The rarer of the two personal fields goes first (counted over the whole export).
    counts = {f: Counter(r[f] for r in records) for f in ("age_band", "teller_role")}

    order = [
        sorted(("age_band", "teller_role"), key=lambda f, r=r: (counts[f][r[f]], f))
        for r in records
    ]

    for step in range(5):
        sizes = _group_sizes(records)
        small = [i for i, r in enumerate(records) if sizes[tuple(r[f] for f in _KEY)] < k]
        if not small:
            break
        for i in small:
            r = records[i]
            if step < 2:
                field = order[i][step]
                if r[field]:
                    r[field] = ""
                    r["generalised"].append(field)
            elif step == 2:
                r["month"] = r["month"][:4]
                r["generalised"].append("month")
            elif step == 3:
                r["area_code"] = r["area"] = ""
                r["generalised"].append("area")
            else:  # fewer than k such rows in the year: no time either
                r["month"] = ""
    return records


def _answer_columns(question) -> list[str]:
    base = f"q{question.order + 1}"
    if question.kind == QuestionKind.TRIAD:
        return [f"{base}_{label}" for label in question.labels]
    return [base]


def export_records(story_round: StoryRound) -> tuple[list[dict], list]:
    """(records, questions): one JSON-safe dict per visible story, oldest first."""
    questions = list(story_round.questions.all())
    stories = round_stories(story_round).prefetch_related("answers").order_by("told_at", "pk")
    records = []
    for number, story in enumerate(stories, start=1):
        answers = {a.question_id: a.value for a in story.answers.all()}
        values = {}
        for q in questions:
            value = answers.get(q.pk)
            if q.kind == QuestionKind.CHOICE and value is not None:
                value = q.labels[value] if 0 <= value < len(q.labels) else None
            values[q.text] = value
        records.append(
            {
                "story": number,
                "area_code": story.area.code if story.area_id else "",
                "area": story.area.name if story.area_id else "",
                "month": story.told_at.strftime("%Y-%m"),
                "age_band": story.age_band,
                "teller_role": story.teller_role,
                "consent": story.consent,
                "text": story.masked_text,
                "themes": [st.theme.label for st in story.shown_themes],
                "answers": values,
            }
        )
    return generalise_small_groups(records), questions


def export_jsonl(story_round: StoryRound) -> tuple[bytes, int]:
    records, _questions = export_records(story_round)
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"), len(records)


def export_csv(story_round: StoryRound) -> tuple[bytes, int]:
    records, questions = export_records(story_round)
    header = [
        "story",
        "area_code",
        "area",
        "month",
        "age_band",
        "teller_role",
        "consent",
        "text",
        "themes",
        "generalised",
    ]
    for q in questions:
        header += _answer_columns(q)
    rows = []
    for r in records:
        row = [r[name] for name in header[:8]]
        row += ["; ".join(r["themes"]), "; ".join(r["generalised"])]
        for q in questions:
            value = r["answers"][q.text]
            if q.kind == QuestionKind.TRIAD:
                row += list(value) if value else ["n.v.t."] * 3
            else:
                row.append("n.v.t." if value is None else value)
        rows.append(row)
    return csv_bytes(header, rows), len(records)
