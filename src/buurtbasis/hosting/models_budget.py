"""Budget lines of a grant: what the money is meant for, per expense category.

Set by the host's finance officer (from the plan's or the application's cost lines); the
books compare them with what was spent per category. Not part of the ledger: a budget is
a plan, so it may be changed (every change is in the audit trail).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Category

__all__ = ["GrantBudgetLine"]


class GrantBudgetLine(models.Model):
    grant = models.ForeignKey(
        "hosting.Grant",
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    amount_cents = models.BigIntegerField(_("budget (cents)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["grant_id", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "category"], name="hosting_one_budget_line_per_category"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="hosting_budget_line_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} – {self.get_category_display()}"
