"""Budget lines per grant and category: set by the host's finance officer, compared with
what was spent per category on the initiative's hosting page."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.platform.audit import Origin, record_event

from . import access, services
from .models import Category, Grant
from .models_budget import GrantBudgetLine
from .models_fund import FundApplication

#: The categories a budget line can have: those an expense can have.
BUDGET_CATEGORIES = [c for c in Category.values if c not in (Category.HOST_FEE, Category.TRANSFER)]


def source_cost_lines(grant: Grant) -> list[dict]:
    """The cost lines the grant was given for: the plan's (a buurtbudget grant) or the fund
    application's, as ``{"description", "amount_cents", "category"}`` (category "" when the
    line has none)."""
    if grant.plan_id is not None:
        return [
            {
                "description": line.description,
                "amount_cents": line.amount_cents,
                "category": getattr(line, "category", "") or "",
            }
            for line in grant.plan.cost_lines.all()
        ]
    application = FundApplication.objects.filter(grant=grant).first()
    if application is None:
        return []
    return [
        {
            "description": str(line.get("description", "")),
            "amount_cents": int(line.get("amount_cents") or 0),
            "category": str(line.get("category") or ""),
        }
        for line in application.cost_lines or []
    ]


def proposed_amounts(grant: Grant) -> dict[str, int]:
    """Budget per category from the source's categorised cost lines (empty when none is)."""
    amounts: dict[str, int] = {}
    for line in source_cost_lines(grant):
        if line["category"] in BUDGET_CATEGORIES and line["amount_cents"] > 0:
            amounts[line["category"]] = amounts.get(line["category"], 0) + line["amount_cents"]
    return amounts


def current_amounts(grant: Grant) -> dict[str, int]:
    return dict(grant.budget_lines.values_list("category", "amount_cents"))


@transaction.atomic
def set_budget_lines(*, grant: Grant, amounts: dict[str, int | None], origin: Origin):
    """Replace the grant's budget lines; a category with no amount (or 0) has no line.

    Only a finance officer of the host that holds the grant. The sum may differ from the
    grant's budget: the page says so. Audit event ``hosting.budget_lines_set``.
    """
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    actor = origin.actor if origin is not None else None
    services._require(actor is not None and access.is_finance_officer(actor, grant.host_id))
    clean: dict[str, int] = {}
    for category, cents in amounts.items():
        if category not in BUDGET_CATEGORIES:
            raise services.HostingError(_("Choose a valid category."), code="category")
        if cents is None or cents == 0:
            continue
        if not isinstance(cents, int) or not 0 < cents <= services.MAX_AMOUNT_CENTS:
            raise services.HostingError(
                _("A budget line is an amount of 0 or more."), code="amount"
            )
        clean[category] = cents
    before = current_amounts(grant)
    if before == clean:
        return grant
    GrantBudgetLine.objects.filter(grant=grant).exclude(category__in=list(clean)).delete()
    now = timezone.now()
    for category, cents in clean.items():
        GrantBudgetLine.objects.update_or_create(
            grant=grant,
            category=category,
            defaults={"amount_cents": cents, "updated_by": actor, "updated_at": now},
        )
    record_event(
        action="hosting.budget_lines_set",
        target=grant,
        origin=origin,
        details={"before": before, "after": clean},
    )
    return grant
