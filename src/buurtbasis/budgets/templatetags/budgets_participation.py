"""Template tags for taking part: supporters, sharing and comments on the plan page.

The partials ``budgets/_plan_support.html``, ``budgets/_plan_support_count.html`` and
``budgets/_plan_take_part.html`` load this library themselves, so a page includes them
with one line and its view needs no extra context.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django import template
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .. import access, participation
from ..forms_participation import CommentForm
from ..models import CommentReport
from ..queries import has_supported, support_count, support_counts

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None), request


@register.simple_tag(takes_context=True)
def support_info(context, plan):
    """What the support block of a plan page shows: ``{% support_info plan as support %}``."""
    user, request = _user(context)
    needed = plan.budget_round.supporters_needed
    count = support_count(plan)
    is_open = participation.support_open(plan)
    supported = has_supported(user, plan)
    authenticated = bool(getattr(user, "is_authenticated", False))
    return {
        "count": count,
        "needed": needed,
        "open": is_open,
        "reached": bool(needed) and count >= needed,
        "supported": supported,
        "can_support": not supported and participation.can_support(user, plan),
        "authenticated": authenticated,
        "unverified": authenticated and not user.email_verified,
        "own": access.is_plan_owner(user, plan),
        "show": bool(needed) or count > 0 or is_open,
        "login_url": redirect_to_login(request.get_full_path()).url if request else "",
    }


@register.simple_tag
def supporter_count(plan, budget_round):
    """The number of supporters of a plan in a list of plans: one query per round, kept
    on the round object for the rest of the page."""
    counts = getattr(budget_round, "_support_counts", None)
    if counts is None:
        counts = support_counts(budget_round)
        budget_round._support_counts = counts
    return counts.get(plan.pk, 0)


@register.simple_tag
def open_report_count(budget_round) -> int:
    """The reported comments of a round that wait for a moderator."""
    return (
        CommentReport.objects.filter(
            comment__plan__budget_round=budget_round,
            comment__hidden_at__isnull=True,
            handled_at__isnull=True,
        )
        .values("comment_id")
        .distinct()
        .count()
    )


@register.simple_tag(takes_context=True)
def take_part_info(context, plan):
    """Sharing and comments under a plan: ``{% take_part_info plan as take_part %}``."""
    user, request = _user(context)
    url = request.build_absolute_uri(plan.get_absolute_url()) if request else ""
    text = f"{plan.title} {url}"
    budget_round = plan.budget_round
    is_manager = access.can_manage_round(user, budget_round)
    open_reports = open_report_count(budget_round) if is_manager else 0
    return {
        "share_url": url,
        "whatsapp_url": "https://wa.me/?" + urlencode({"text": text}, quote_via=quote),
        "mailto_url": "mailto:?" + urlencode({"subject": plan.title, "body": url}, quote_via=quote),
        "comments": participation.visible_comments(plan),
        "can_comment": participation.can_comment(user, plan),
        "commentable": plan.status in participation.COMMENTABLE,
        "authenticated": bool(getattr(user, "is_authenticated", False)),
        "user_id": getattr(user, "pk", None),
        "form": CommentForm(auto_id="id_comment_%s"),
        "comment_url": reverse(
            "budgets:comment-add", kwargs={"slug": budget_round.slug, "pk": plan.pk}
        ),
        "login_url": redirect_to_login(request.get_full_path()).url if request else "",
        "is_manager": is_manager,
        "open_reports": open_reports,
    }
