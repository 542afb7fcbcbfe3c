"""A sample code letter before a run: one page, a code that does not exist, nothing stored."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from buurtbasis.budgets import access as budget_access
from buurtbasis.platform.tenancy import get_tenant

from . import letters


@never_cache
@login_required
@require_GET
def letters_preview(request, slug: str):
    """The PDF of one sample letter, for who may manage the round."""
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    response = HttpResponse(
        letters.render_preview_pdf(budget_round), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="voorbeeldbrief-{budget_round.slug}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
