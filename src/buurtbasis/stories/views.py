"""Thin views for story rounds: list, set-up, the round page, a story, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id
from buurtbasis.platform.tenancy import get_tenant

from . import access, queries, services
from .forms import RoundForm
from .models import AgeBand, Consent, RoundStatus, Story, StoryRound, TellerRole, Theme
from .services import StoryError


def _code(request) -> str:
    return get_tenant(request).cbs_code


def add_service_error(form, exc: StoryError) -> None:
    """Show a service error at its field when the form has it, else at the top."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def round_list(request):
    rounds = (
        StoryRound.objects.in_municipality(_code(request))
        .select_related("organisation")
        .prefetch_related("areas")
        .annotate(n_stories=Count("stories", filter=Q(stories__withdrawn_at__isnull=True)))
    )
    visible = [r for r in rounds if access.can_view_round(request.user, r)]
    return render(
        request,
        "stories/round_list.html",
        {"rounds": visible, "can_create": access.can_create_round(request.user, _code(request))},
    )


@login_required
def round_create(request):
    if not access.can_create_round(request.user, _code(request)):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user, municipality=_code(request))
    if request.method == "POST" and form.is_valid():
        try:
            story_round = services.create_round(
                data=form.to_data(),
                origin=Origin.from_request(request),
                municipality=_code(request),
            )
        except StoryError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The round has been saved as a draft. Open it when it is ready.")
            )
            return redirect("stories:round-detail", slug=story_round.slug)
    return render(request, "stories/round_form.html", {"form": form, "story_round": None})


@login_required
def round_edit(request, slug):
    story_round = access.get_round_for_manager(request.user, slug, _code(request))
    form = RoundForm(
        request.POST or None, user=request.user, municipality=_code(request), instance=story_round
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(
                story_round=story_round, data=form.to_data(), origin=Origin.from_request(request)
            )
        except StoryError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect("stories:round-detail", slug=story_round.slug)
    return render(request, "stories/round_form.html", {"form": form, "story_round": story_round})


@login_required
@require_POST
def round_status(request, slug):
    story_round = access.get_round_for_manager(request.user, slug, _code(request))
    try:
        services.set_round_status(
            story_round=story_round,
            status=request.POST.get("status", ""),
            origin=Origin.from_request(request),
        )
    except (StoryError, ValueError):
        messages.error(request, _("The status of the round could not be changed."))
    else:
        messages.success(request, _("The status of the round has been changed."))
    return redirect("stories:round-detail", slug=story_round.slug)


def round_detail(request, slug):
    story_round = access.get_round_for_viewer(request.user, slug, _code(request))
    professional = access.is_round_professional(request.user, story_round)
    context = {
        "story_round": story_round,
        "areas": story_round.areas.all(),
        "themes": story_round.themes.all(),
        "questions": story_round.questions.all(),
        "accepting": story_round.is_accepting(),
        "is_professional": professional,
        "is_manager": access.can_manage_round(request.user, story_round),
        "statuses": RoundStatus,
    }
    if professional:
        filters = queries.StoryFilters.from_query(request.GET)
        stories = queries.round_stories(story_round, filters)
        context.update(
            {
                "filters": filters,
                "page": Paginator(stories, 25).get_page(request.GET.get("pagina")),
                "n_stories": stories.count(),
                "theme_counts": queries.theme_counts(story_round, stories),
                "discovered": queries.discovered_themes(story_round),
                "age_bands": [c for c in AgeBand.choices if c[0]],
                "roles": TellerRole.choices,
                "consents": Consent.choices,
            }
        )
    else:
        stories = queries.public_stories(story_round)
        context["page"] = Paginator(stories, 25).get_page(request.GET.get("pagina"))
    return render(request, "stories/round_detail.html", context)


def _story_for_professional(request, slug, pk) -> tuple[StoryRound, Story]:
    story_round = access.get_round_for_professional(request.user, slug, _code(request))
    story = get_object_or_404(story_round.stories.visible().select_related("area"), pk=pk)
    return story_round, story


@login_required
def story_detail(request, slug, pk):
    story_round, story = _story_for_professional(request, slug, pk)
    links = {st.theme_id: st for st in story.story_themes.select_related("theme")}
    answers = {a.question_id: a.value for a in story.answers.all()}
    return render(
        request,
        "stories/story_detail.html",
        {
            "story_round": story_round,
            "story": story,
            "answers": [(q, answers.get(q.pk)) for q in story_round.questions.all()],
            "themes": [(t, links.get(t.pk)) for t in story_round.themes.all()],
            "similar": queries.similar_stories(story),
            "show_contact": access.may_see_contact(request.user, story),
        },
    )


@login_required
@require_POST
def story_label(request, slug, pk):
    story_round, story = _story_for_professional(request, slug, pk)
    theme = get_object_or_404(Theme, round=story_round, pk=parse_id(request.POST.get("theme")) or 0)
    try:
        services.label_theme(
            story=story,
            theme=theme,
            on=request.POST.get("on") == "1",
            origin=Origin.from_request(request),
        )
    except StoryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The theme label has been saved."))
    return redirect("stories:story-detail", slug=slug, pk=story.pk)


@login_required
def round_export(request, slug, fmt):
    story_round = access.get_round_for_professional(request.user, slug, _code(request))
    if fmt not in ("csv", "jsonl"):
        raise Http404
    content, _count = services.export_round(
        story_round=story_round, fmt=fmt, origin=Origin.from_request(request)
    )
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{story_round.slug}-verhalen.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
