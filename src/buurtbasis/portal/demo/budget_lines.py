"""Demo budget lines: the host's finance officer splits most grants over two to four
expense categories, through the budget-line service.

A buurtbudget grant follows its plan's cost lines (trees and soil are materials, the
groceries food, the rented room rent), with a little for printing and insurance when the
plan has one category only; a fund grant follows what the application was for. Some fund
grants keep no budget lines, as in real life.
"""

from __future__ import annotations

import random

from buurtbasis.hosting import budget_lines
from buurtbasis.hosting.models import Category, Grant
from buurtbasis.hosting.models_fund import FundApplication
from buurtbasis.platform.audit import Origin

#: Words in a cost line that tell its category (first match wins; otherwise materials).
KEYWORDS = [
    (Category.FOOD, ("boodschappen", "eten", "koffie", "taart")),
    (Category.RENT, ("huur", "lease", "zaal")),
    (Category.ALLOWANCES, ("vergoeding",)),
    (Category.OTHER, ("verzekering",)),
    (Category.ACTIVITIES, ("begeleiding", "training", "lessen", "spelletjes", "podium")),
    (Category.COMMUNICATION, ("flyer", "poster", "drukwerk")),
]
#: A fund grant by what the application is for: (words, [(category, share in percent)]).
FUND_SPLITS = [
    ("buurtfeest", [(Category.FOOD, 40), (Category.ACTIVITIES, 25), (Category.RENT, 20)]),
    ("plantenbakken", [(Category.MATERIALS, 75), (Category.FOOD, 10)]),
    ("spelmiddag", [(Category.ACTIVITIES, 55), (Category.FOOD, 30)]),
    ("koffieochtend", [(Category.FOOD, 45), (Category.RENT, 40)]),
]
#: Share of a single-category plan kept for printing and for insurance, in percent.
SMALL_EXTRAS = [(Category.COMMUNICATION, 5), (Category.OTHER, 3)]
#: One fund grant in this many keeps no budget lines (a plan grant always has them).
WITHOUT_LINES = 4


def category_of(description: str) -> str:
    text = description.lower()
    for category, words in KEYWORDS:
        if any(word in text for word in words):
            return category
    return Category.MATERIALS


def _shares(grant: Grant, what: str) -> list[tuple[str, int]]:
    """Shares per category in cents (not yet summed to the grant's budget)."""
    amounts: dict[str, int] = {}
    for line in budget_lines.source_cost_lines(grant):
        if line["amount_cents"] > 0:
            category = line["category"] or category_of(line["description"])
            amounts[category] = amounts.get(category, 0) + line["amount_cents"]
    if not amounts:
        text = what.lower()
        split = next((s for words, s in FUND_SPLITS if words in text), FUND_SPLITS[0][1])
        amounts = {category: percent for category, percent in split}
        amounts[Category.COMMUNICATION] = 100 - sum(amounts.values())
        return list(amounts.items())
    total = sum(amounts.values())
    if len(amounts) == 1:
        for category, percent in SMALL_EXTRAS:
            amounts[category] = total * percent // 100
    return list(amounts.items())


def split(grant: Grant, what: str = "") -> dict[str, int]:
    """The grant's budget over its categories in whole euros, adding up to the budget."""
    shares = _shares(grant, what)
    weight = sum(cents for _, cents in shares) or 1
    budget = grant.budget_cents
    result: dict[str, int] = {}
    for category, cents in shares[1:]:
        result[category] = max(budget * cents // weight // 100 * 100, 100)
    result[shares[0][0]] = budget - sum(result.values())
    return {c: cents for c, cents in result.items() if cents > 0}


def set_for(grants: list[Grant], officer, rng: random.Random) -> dict[int, dict[str, int]]:
    """Budget lines for most of ``grants``, set by ``officer`` (a finance officer of the
    host); returns them per grant id."""
    applications = dict(
        FundApplication.objects.filter(grant__in=grants).values_list("grant_id", "what")
    )
    made = {}
    origin = Origin(actor=officer)
    for grant in grants:
        if grant.plan_id is None and rng.randrange(WITHOUT_LINES) == 0:
            continue
        amounts = split(grant, applications.get(grant.pk, ""))
        budget_lines.set_budget_lines(grant=grant, amounts=amounts, origin=origin)
        made[grant.pk] = amounts
    return made
