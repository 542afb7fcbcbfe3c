"""Voting with an account: give what the round needs (date of birth, where you live), then vote.

The round checks these self-declared details (``services.check_account_eligibility``).
When one is missing, the ballot links here with ``?next=`` back to the ballot.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from buurtbasis.accounts import services as account_services
from buurtbasis.areas.models import Area
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id

from . import services
from .forms import VoterDetailsForm

# Reasons a person can fix themselves by stating their details.
FIXABLE = frozenset({"no_birth_date", "no_home_area", "wrong_area"})


def details_url(budget_round, next_url: str = "") -> str:
    """The address of the details form for a round, coming back to ``next_url``."""
    url = reverse("ballots:voter-details", args=[budget_round.slug])
    next_url = next_url or reverse("ballots:ballot", args=[budget_round.slug])
    return f"{url}?{urlencode({'next': next_url})}"


def link_for(budget_round, error) -> str:
    """The details form when a refusal can be fixed there, else an empty string."""
    return details_url(budget_round) if getattr(error, "code", "") in FIXABLE else ""


def round_areas(budget_round):
    """The round's areas and the buurten in them: where a voter of this round can live."""
    ids = list(budget_round.areas.values_list("pk", flat=True))
    if not ids:
        return Area.objects.none()
    return Area.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids)).order_by("name", "pk")


def _safe_next(request, budget_round) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("ballots:ballot", args=[budget_round.slug])


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def voter_details(request, slug: str):
    """A small form: the date of birth and (when the round has areas) where one lives."""
    budget_round = services.get_voting_round(slug)
    if budget_round is None or not budget_round.allow_account_voting:
        raise Http404
    next_url = _safe_next(request, budget_round)
    areas = round_areas(budget_round)
    has_areas = areas.exists()
    user = request.user
    initial = {"birth_date": user.birth_date}
    picked = parse_id(request.GET.get("gebied", ""))
    if has_areas:
        if picked and areas.filter(pk=picked).exists():
            initial["home_area"] = picked
        elif user.home_area_id and areas.filter(pk=user.home_area_id).exists():
            initial["home_area"] = user.home_area_id
    form = VoterDetailsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        areas=areas if has_areas else None,
    )
    if request.method == "POST" and form.is_valid():
        values = {"birth_date": form.cleaned_data["birth_date"]}
        if has_areas:
            values["home_area"] = form.cleaned_data["home_area"]
        account_services.set_voter_details(user=user, origin=Origin.from_request(request), **values)
        messages.success(request, _("Your details are saved."))
        return redirect(next_url)
    return render(
        request,
        "ballots/voter_details.html",
        {
            "budget_round": budget_round,
            "form": form,
            "next_url": next_url,
            "pick_map": _pick_map(budget_round, areas, next_url) if has_areas else "",
        },
        status=400 if form.errors else 200,
    )


def _pick_map(budget_round, areas, next_url: str):
    """A map of the round's areas, each a link that selects it (no JavaScript needed)."""
    from buurtbasis.areas.maps import build_pick_map

    base = reverse("ballots:voter-details", args=[budget_round.slug])
    return build_pick_map(
        areas=[a for a in areas if a.boundary],
        href=lambda area: f"{base}?{urlencode({'gebied': area.pk, 'next': next_url})}",
    )
