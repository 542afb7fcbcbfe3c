"""Thin views for telling a story: online, on a resident's behalf, at the kitchen table,
the thank-you page and withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import get_tenant

from . import access, services
from .forms import StoryForm, WithdrawForm
from .models import ConsentHow, Story
from .services import StoryError
from .views import add_service_error

#: Stories one address may send per hour (anonymous telling is allowed).
TELL_LIMIT = 10
WITHDRAW_LIMIT = 20
_SESSION_CODE = "stories_withdrawal_code"


def _code(request) -> str:
    return get_tenant(request).cbs_code


def _rate_limited(request, scope: str, limit: int) -> bool:
    origin = Origin.from_request(request)
    return not ratelimit.hit(scope, origin.ip_hash or "unknown", limit=limit, window=3600)


@never_cache
def tell(request, slug):
    story_round = access.get_round_for_viewer(request.user, slug, _code(request))
    if not story_round.is_accepting():
        return render(request, "stories/closed.html", {"story_round": story_round}, status=200)
    form = StoryForm(request.POST or None, story_round=story_round)
    rate_limited = False
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "stories.tell", TELL_LIMIT):
            rate_limited = True
        else:
            try:
                _story, code = services.tell_story(
                    story_round=story_round,
                    data=form.to_data(),
                    origin=Origin.from_request(request),
                )
            except StoryError as exc:
                add_service_error(form, exc)
            else:
                request.session[_SESSION_CODE] = code
                return redirect("stories:thanks", slug=story_round.slug)
    return render(
        request,
        "stories/tell.html",
        {"story_round": story_round, "form": form, "rate_limited": rate_limited},
        status=429 if rate_limited else 200,
    )


@never_cache
def thanks(request, slug):
    story_round = access.get_round_for_viewer(request.user, slug, _code(request))
    # The code is shown once: it leaves the session as it is shown.
    code = request.session.pop(_SESSION_CODE, None)
    return render(request, "stories/thanks.html", {"story_round": story_round, "code": code})


@login_required
@never_cache
def record(request, slug, quick=False):
    """A community worker records a story for a resident (one, or several in a row)."""
    story_round = access.get_round_for_manager(request.user, slug, _code(request))
    if not access.can_record_on_behalf(request.user, story_round):
        raise PermissionDenied
    initial = {"consent_how": ConsentHow.PAPER} if quick else {}
    form = StoryForm(request.POST or None, story_round=story_round, on_behalf=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            story, _code_ = services.tell_story(
                story_round=story_round,
                data=form.to_data(),
                origin=Origin.from_request(request),
                on_behalf=True,
            )
        except StoryError as exc:
            add_service_error(form, exc)
        else:
            if quick:
                messages.success(
                    request,
                    _("Story %(n)s has been saved. Enter the next one.") % {"n": story.pk},
                )
                return redirect("stories:quick-entry", slug=story_round.slug)
            messages.success(request, _("The story has been recorded with the consent given."))
            return redirect("stories:round-detail", slug=story_round.slug)
    return render(
        request,
        "stories/record.html",
        {"story_round": story_round, "form": form, "quick": quick},
    )


@login_required
def kitchen_table(request, slug):
    """A printable form for collecting stories on paper."""
    story_round = access.get_round_for_manager(request.user, slug, _code(request))
    form = StoryForm(story_round=story_round)
    return render(request, "stories/kitchen_table.html", {"story_round": story_round, "form": form})


@never_cache
def withdraw(request):
    """Withdraw a story with the code from the thank-you page (no account needed)."""
    form = WithdrawForm(request.POST or None)
    rate_limited = False
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "stories.withdraw", WITHDRAW_LIMIT):
            rate_limited = True
        else:
            try:
                services.withdraw_with_code(
                    code=form.cleaned_data["code"], origin=Origin.from_request(request)
                )
            except StoryError as exc:
                add_service_error(form, exc)
            else:
                return render(request, "stories/withdrawn.html", {})
    return render(
        request,
        "stories/withdraw.html",
        {"form": form, "rate_limited": rate_limited},
        status=429 if rate_limited else 200,
    )


@login_required
def my_stories(request):
    stories = Story.objects.visible().filter(teller=request.user).select_related("round")
    return render(request, "stories/my_stories.html", {"stories": stories})


@login_required
@require_POST
def withdraw_own(request, pk):
    story = get_object_or_404(Story.objects.visible(), pk=pk, teller=request.user)
    services.withdraw_story(story=story, origin=Origin.from_request(request))
    messages.success(request, _("Your story has been withdrawn. It has been removed everywhere."))
    return redirect("stories:my-stories")
