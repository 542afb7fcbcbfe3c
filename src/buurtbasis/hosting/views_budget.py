"""The host's finance officer sets a grant's budget lines per category."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtbasis.budgets.forms import EuroField
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import Form

from . import access, budget_lines
from .models import Category, Grant
from .services import HostingError


class BudgetLinesForm(Form):
    """One amount per expense category; an empty amount means no budget line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Category.choices)
        for category in budget_lines.BUDGET_CATEGORIES:
            self.fields[f"amount_{category}"] = EuroField(
                label=gettext_lazy("%(category)s, in euros") % {"category": labels[category]},
                min_cents=0,
                required=False,
            )

    def amounts(self) -> dict[str, int | None]:
        return {c: self.cleaned_data.get(f"amount_{c}") for c in budget_lines.BUDGET_CATEGORIES}


@login_required
def grant_budget(request, pk):
    grant = get_object_or_404(Grant.objects.select_related("initiative", "host", "plan"), pk=pk)
    if not access.is_finance_officer(request.user, grant.host_id):
        raise Http404
    current = budget_lines.current_amounts(grant)
    proposed = not current
    start = current or budget_lines.proposed_amounts(grant)
    form = BudgetLinesForm(
        request.POST or None, initial={f"amount_{c}": v for c, v in start.items()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            budget_lines.set_budget_lines(
                grant=grant, amounts=form.amounts(), origin=Origin.from_request(request)
            )
        except HostingError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The budget per category has been saved."))
            return redirect("hosting:initiative", slug=grant.initiative.slug)
    source = budget_lines.source_cost_lines(grant)
    return render(
        request,
        "hosting/budget_lines.html",
        {
            "grant": grant,
            "form": form,
            "source_lines": source,
            "source_total": sum(line["amount_cents"] for line in source),
            "proposed": proposed and bool(start),
        },
    )


urlpatterns = [
    path("geld/<int:pk>/begroting/", grant_budget, name="grant-budget"),
]
