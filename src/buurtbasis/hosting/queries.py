"""Read-only views of the ledger: balances, budget against actuals, the public ledger.

Every function runs a fixed, small number of queries whatever the size of the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Sum, Window

from .models import AccountKind, Category, Grant, LedgerEntry, LedgerTransaction
from .models_budget import GrantBudgetLine

#: Categories no budget line can have (the host fee, a transfer of what is left).
NOT_BUDGETED = (Category.HOST_FEE, Category.TRANSFER)


@dataclass
class CategoryRow:
    """One category of a grant: its budget line (None when it has none), spent and left."""

    category: str
    label: str
    budget: int | None
    spent: int

    @property
    def left(self) -> int:
        return (self.budget or 0) - self.spent

    @property
    def over(self) -> bool:
        # the host fee and transfers are no budget categories: never "over budget"
        if self.category in NOT_BUDGETED:
            return False
        return self.spent > (self.budget or 0)

    @property
    def over_by(self) -> int:
        return max(0, -self.left)


@dataclass
class GrantSummary:
    grant: Grant
    received: int = 0
    spent_by_category: dict[str, int] = field(default_factory=dict)
    left: int = 0
    #: Budget lines per category (``books(..., with_budget=True)``); empty when none are set.
    budget_by_category: dict[str, int] = field(default_factory=dict)

    @property
    def budget_lines_total(self) -> int:
        return sum(self.budget_by_category.values())

    @property
    def budget_differs(self) -> bool:
        """The budget lines add up to another amount than the grant's budget."""
        return bool(self.budget_by_category) and (
            self.budget_lines_total != self.grant.budget_cents
        )

    @property
    def category_rows(self) -> list[CategoryRow]:
        """Budget against actuals per category: every budgeted or spent category, in the
        order of the categories; spending in a category without a line is over budget."""
        labels = dict(Category.choices)
        shown = set(self.budget_by_category) | {c for c, v in self.spent_by_category.items() if v}
        return [
            CategoryRow(
                c,
                str(labels.get(c, c)),
                self.budget_by_category.get(c),
                self.spent_by_category.get(c, 0),
            )
            for c in Category.values
            if c in shown
        ] + [
            CategoryRow(c, c, self.budget_by_category.get(c), self.spent_by_category.get(c, 0))
            for c in sorted(shown - set(Category.values))
        ]

    @property
    def over_budget(self) -> list[CategoryRow]:
        return [r for r in self.category_rows if r.over] if self.budget_by_category else []

    @property
    def spent(self) -> int:
        return sum(self.spent_by_category.values())

    @property
    def rows(self) -> list[tuple[str, int]]:
        labels = dict(Category.choices)
        return [(labels.get(c, c), v) for c, v in sorted(self.spent_by_category.items())]


@dataclass
class Books:
    grants: list[GrantSummary]

    @property
    def received(self) -> int:
        return sum(g.received for g in self.grants)

    @property
    def spent(self) -> int:
        return sum(g.spent for g in self.grants)

    @property
    def left(self) -> int:
        return sum(g.left for g in self.grants)


def summaries(grants, *, ids=None) -> list[GrantSummary]:
    """Received, spent by category and left of each grant in ``grants`` (in their order),
    from one query of the totals of their accounts, whatever the number of entries.

    ``ids``: the same grants as a subquery (``queryset.values("pk")``), for lists too long
    to spell out as ids (the host's and the municipality's overviews)."""
    by_pk = {g.pk: GrantSummary(g) for g in grants}
    if not by_pk:
        return []
    rows = (
        LedgerEntry.objects.filter(account__grant_id__in=list(by_pk) if ids is None else ids)
        .values("account__grant_id", "account__kind", "account__category")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    for row in rows:
        summary = by_pk.get(row["account__grant_id"])
        if summary is None:
            continue
        kind, total = row["account__kind"], row["total"] or 0
        if kind == AccountKind.INCOME:
            summary.received += -total
        elif kind == AccountKind.EXPENSE:
            summary.spent_by_category[row["account__category"]] = total
        elif kind == AccountKind.EARMARK:
            summary.left += total
    return list(by_pk.values())


def books(initiative, grants=None, *, with_budget: bool = False) -> Books:
    """Per grant: received, spent by category and left, in two queries (three with the
    budget lines per category, ``with_budget``)."""
    if grants is None:
        grants = list(Grant.objects.filter(initiative=initiative).select_related("plan"))
    result = Books(summaries(grants))
    if with_budget and result.grants:
        by_pk = {s.grant.pk: s for s in result.grants}
        lines = GrantBudgetLine.objects.filter(grant_id__in=list(by_pk)).values_list(
            "grant_id", "category", "amount_cents"
        )
        for grant_id, category, cents in lines:
            by_pk[grant_id].budget_by_category[category] = cents
    return result


def plan_money(plan) -> GrantSummary | None:
    grant = Grant.objects.filter(plan=plan).first()
    if grant is None:
        return None
    return books(grant.initiative, [grant]).grants[0]


def public_ledger(initiative):
    """The initiative's transactions, newest first, each with the balance after it."""
    return (
        LedgerTransaction.objects.filter(initiative=initiative)
        .exclude(earmark_delta_cents=0)
        .annotate(
            balance=Window(Sum("earmark_delta_cents"), order_by=[F("date").asc(), F("id").asc()])
        )
        .only("date", "description", "category", "kind", "earmark_delta_cents")
        .order_by("-date", "-id")
    )
