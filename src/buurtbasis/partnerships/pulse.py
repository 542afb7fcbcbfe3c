"""The pulse questionnaire: five aspects of collaboration, two or three statements each,
a five-point scale and one open question. Changing a statement's text keeps its key."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Aspect:
    key: str  # also the field name on PulseAnswer
    label: object
    statements: tuple[tuple[str, object], ...]


ASPECTS: tuple[Aspect, ...] = (
    Aspect(
        "ambition",
        _("Ambition"),
        (
            ("ambition_1", _("We want the same thing for the neighbourhood.")),
            ("ambition_2", _("It is clear to everyone what we want to achieve.")),
        ),
    ),
    Aspect(
        "interests",
        _("Interests"),
        (
            ("interests_1", _("I know what the other partners want to get out of this.")),
            ("interests_2", _("What we find important gets a place in our plans.")),
        ),
    ),
    Aspect(
        "process",
        _("Process"),
        (
            ("process_1", _("We keep our agreements.")),
            ("process_2", _("We make decisions together.")),
            ("process_3", _("Our meetings are useful.")),
        ),
    ),
    Aspect(
        "organisation",
        _("Organisation"),
        (
            ("organisation_1", _("It is clear who does what.")),
            ("organisation_2", _("There is enough time and money for what we agreed.")),
        ),
    ),
    Aspect(
        "relationship",
        _("Relationship"),
        (
            ("relationship_1", _("I trust the other partners.")),
            ("relationship_2", _("We can talk openly about problems.")),
        ),
    ),
)

ASPECT_KEYS = tuple(a.key for a in ASPECTS)
STATEMENT_KEYS = tuple(key for a in ASPECTS for key, _text in a.statements)

SCALE = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
)

OPEN_QUESTION = _("What would make our collaboration better?")


def aspect_label(key: str) -> str:
    for aspect in ASPECTS:
        if aspect.key == key:
            return str(aspect.label)
    raise KeyError(key)


def aspect_means(scores: dict[str, int]) -> dict[str, float]:
    """The mean score per aspect of one person's statement scores.

    >>> aspect_means({k: 4 for k in STATEMENT_KEYS} | {"process_1": 1})["process"]
    3.0
    """
    return {
        a.key: sum(scores[key] for key, _t in a.statements) / len(a.statements) for a in ASPECTS
    }
