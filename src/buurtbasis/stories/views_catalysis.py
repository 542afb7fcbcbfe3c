"""Making sense together: the catalysis page of a round (professionals only), recording a
sensemaking session, and the printable story cards."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from buurtbasis.platform import forms as platform_forms
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import get_tenant
from buurtbasis.platform.uploads import private_storage

from . import access, catalysis, charts, services_catalysis
from .cards import card_data
from .models_catalysis import StoryCards
from .services import StoryError


class SessionForm(platform_forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("Date of the session"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("For example 12-06-2026."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    participants = forms.IntegerField(
        label=gettext_lazy("Number of participants"), min_value=1, max_value=10_000
    )
    conclusions = forms.CharField(
        label=gettext_lazy("Conclusions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=gettext_lazy(
            "What did the residents and professionals see in the stories together, and what "
            "will be done with it? Do not write down names of residents."
        ),
    )


def _round(request, slug):
    return access.get_round_for_professional(request.user, slug, get_tenant(request).cbs_code)


def _language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _charts(figures: dict) -> None:
    """Add chart geometry to the figures (in place)."""
    for dyad in figures["dyads"]:
        dyad["chart"] = charts.histogram(dyad["counts"])
        n = len(dyad["counts"])
        dyad["bins"] = [
            {"from": round(100 * i / n), "to": round(100 * (i + 1) / n), "count": c}
            for i, c in enumerate(dyad["counts"])
        ]
    for triad in figures["triads"]:
        labels = list(triad["question"].labels)
        triad["chart"] = charts.triangle(triad["points"], labels)
        names = (labels + ["", "", ""])[:3]
        triad["corners"] = [
            {
                "label": names[i],
                "mostly": triad["mostly"][i],
                "mean": round(100 * triad["mean"][i]) if triad["mean"] else None,
            }
            for i in range(3)
        ]
    for table in figures["tables"]:
        rows = list(table["rows"])
        if table["small"]:
            rows.append({**table["small"], "label": _("Smaller groups together")})
        table["chart"] = charts.stacked_bars(rows)
        labels = {t["id"]: t["label"] for t in table["themes"]}
        for row in table["chart"]["rows"]:
            for segment in row["segments"]:
                segment["label"] = labels.get(segment["theme"], "")
        table["legend"] = [
            {"label": t["label"], "series": i % charts.SERIES}
            for i, t in enumerate(table["themes"])
        ]


GROUPING_TITLES = {
    "area": gettext_lazy("Themes by area"),
    "age_band": gettext_lazy("Themes by age"),
    "teller_role": gettext_lazy("Themes by teller (resident, volunteer, professional)"),
}


def _page(request, story_round, form=None, status=200):
    figures = catalysis.round_catalysis(story_round)
    _charts(figures)
    for table in figures["tables"]:
        table["title"] = GROUPING_TITLES[table["grouping"]]
    manager = access.can_manage_round(request.user, story_round)
    context = {
        "story_round": story_round,
        "figures": figures,
        "min_group": catalysis.MIN_GROUP,
        "pattern_points": catalysis.PATTERN_POINTS,
        "pole_share": round(100 * catalysis.POLE_SHARE),
        "sessions": story_round.sensemaking_sessions.all(),
        "can_record": manager,
        "form": form if form is not None else (SessionForm() if manager else None),
        "cards": StoryCards.objects.filter(round=story_round, language=_language()).first(),
    }
    return render(request, "stories/catalysis/page.html", context, status=status)


@login_required
def catalysis_page(request, slug):
    return _page(request, _round(request, slug))


@login_required
@require_POST
def record_session(request, slug):
    story_round = _round(request, slug)
    if not access.can_manage_round(request.user, story_round):
        raise PermissionDenied
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services_catalysis.record_session(
                story_round=story_round, origin=Origin.from_request(request), **form.cleaned_data
            )
        except StoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The session and its conclusions have been recorded."))
            return redirect("stories:catalysis", slug=story_round.slug)
    return _page(request, story_round, form=form, status=400)


@never_cache
@login_required
def story_cards(request, slug):
    """The story cards as PDF; the first request for the current set of stories has them
    rendered in the background and shows a page that says so."""
    story_round = _round(request, slug)
    language = _language()
    fingerprint = services_catalysis.cards_fingerprint(card_data(story_round))
    cards = StoryCards.objects.filter(round=story_round, language=language).first()
    if cards is None or not cards.is_ready_for(fingerprint):
        cards = services_catalysis.request_cards(
            story_round=story_round, language=language, fingerprint=fingerprint
        )
    if cards.is_ready_for(fingerprint):
        try:
            handle = private_storage().open(cards.file, "rb")
        except (FileNotFoundError, OSError):
            StoryCards.objects.filter(pk=cards.pk).update(file="")
            raise Http404 from None
        response = FileResponse(
            handle,
            content_type="application/pdf",
            as_attachment=True,
            filename=f"verhaalkaarten-{story_round.slug}.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(
        request,
        "stories/catalysis/cards_pending.html",
        {"story_round": story_round, "cards": cards},
    )
