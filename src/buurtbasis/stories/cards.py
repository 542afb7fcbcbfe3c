"""Printable story cards for a sensemaking evening: four A6 cards on each A4 page.

Only visible stories whose teller allowed them to be shown anonymised in public get a
card, and only with their masked text, the answers, the area and the themes: no names,
no dates, no ids of people.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import QuestionKind, Story, StoryRound, StoryTheme

#: Longer stories are cut so a card stays one A6 (the full text is in the app).
CARD_CHARS = 900


def _cut(text: str, limit: int = CARD_CHARS) -> str:
    """
    >>> _cut("kort")
    'kort'
    >>> len(_cut("woord " * 300)) <= 900
    True
    """
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip() + " …"


def answer_text(kind: str, labels: list, value) -> str:
    """The answer to one question as a line of text.

    >>> answer_text("dyad", ["slecht", "goed"], 0.3)
    '30 / 100 (slecht → goed)'
    >>> answer_text("triad", ["ik", "buren", "hulp"], [0.5, 0.25, 0.25])
    'ik 50%, buren 25%, hulp 25%'
    >>> answer_text("choice", ["ja", "nee"], 1)
    'nee'
    """
    if value is None:
        return _("Does not apply (n.v.t.)")
    labels = [str(label) for label in labels or []]
    if kind == QuestionKind.DYAD and isinstance(value, int | float):
        poles = (labels + ["", ""])[:2]
        return f"{round(100 * float(value))} / 100 ({poles[0]} → {poles[1]})"
    if kind == QuestionKind.TRIAD and isinstance(value, list) and len(value) == 3:
        names = (labels + ["", "", ""])[:3]
        return ", ".join(f"{names[i]} {round(100 * float(value[i]))}%" for i in range(3))
    if kind == QuestionKind.CHOICE and isinstance(value, int) and 0 <= value < len(labels):
        return labels[value]
    return _("Does not apply (n.v.t.)")


def card_stories(story_round: StoryRound):
    """The stories that get a card: visible, and allowed to be shown anonymised in public."""
    return Story.objects.public().filter(round=story_round)


def card_data(story_round: StoryRound) -> list[dict]:
    """What each card shows, in a fixed order (by id), as plain values."""
    questions = list(story_round.questions.all())
    stories = list(
        card_stories(story_round).select_related("area").prefetch_related("answers").order_by("pk")
    )
    ids = [s.pk for s in stories]
    themes: dict[int, list[str]] = {}
    for story_id, label in (
        StoryTheme.objects.filter(story_id__in=ids, rejected=False)
        .order_by("theme__order", "theme__pk")
        .values_list("story_id", "theme__label")
    ):
        themes.setdefault(story_id, []).append(label)
    answers: dict[int, dict] = {}
    for story in stories:
        answers[story.pk] = {a.question_id: a.value for a in story.answers.all()}
    out = []
    for number, story in enumerate(stories, start=1):
        given = answers[story.pk]
        out.append(
            {
                "id": story.pk,
                "number": number,
                "text": _cut(story.masked_text),
                "area": story.area.name if story.area else "",
                "themes": themes.get(story.pk, []),
                "answers": [
                    {"question": q.text, "answer": answer_text(q.kind, q.labels, given[q.pk])}
                    for q in questions
                    if q.pk in given
                ],
            }
        )
    return out


def cards_html(story_round: StoryRound, cards: list[dict]) -> str:
    return render_to_string(
        "stories/catalysis/cards_pdf.html", {"story_round": story_round, "cards": cards}
    )


def cards_pdf(story_round: StoryRound, cards: list[dict]) -> bytes:
    """The cards as PDF bytes (WeasyPrint; the stylesheet is a static file)."""
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find("stories/story_cards.css"))
    return HTML(string=cards_html(story_round, cards)).write_pdf(stylesheets=[stylesheet])
