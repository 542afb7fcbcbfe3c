"""The anonymised researcher export of a round (CSV and JSON Lines).

Per visible story: a running number (not the database id), the area, the month it was
told, age band, teller role, consent, the masked text, the themes and the answers.
No ids of people, no contact data, no exact times; withdrawn stories are left out.
The CSV is guarded against spreadsheet formulas (``platform.spreadsheets``).
"""

from __future__ import annotations

import json

from buurtbasis.platform.spreadsheets import csv_bytes

from .models import QuestionKind, StoryRound
from .queries import round_stories


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
    return records, questions


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
    ]
    for q in questions:
        header += _answer_columns(q)
    rows = []
    for r in records:
        row = [r[name] for name in header[:8]] + ["; ".join(r["themes"])]
        for q in questions:
            value = r["answers"][q.text]
            if q.kind == QuestionKind.TRIAD:
                row += list(value) if value else ["n.v.t."] * 3
            else:
                row.append("n.v.t." if value is None else value)
        rows.append(row)
    return csv_bytes(header, rows), len(records)
