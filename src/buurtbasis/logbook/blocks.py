"""Blocks of the logbook on other pages: the civil servant's to-do list on "my dashboard"
(open signals, overdue ones first), and the signals of an area on the wijkprofiel."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from buurtbasis.platform.tenancy import get_tenant

from . import access
from .models import Signal, SignalAnswer, SignalStatus

#: Signals shown on the dashboard (the rest is on the signals page).
DASHBOARD_SIGNALS = 10


def todo_signals(code: str, *, limit: int = DASHBOARD_SIGNALS, now=None):
    """Open signals of the municipality: overdue first (longest overdue on top), then by
    due date. One query."""
    now = now or timezone.now()
    return list(
        Signal.objects.in_municipality(code)
        .open()
        .select_related("area", "department")
        .annotate(
            late=Case(
                When(due_at__lt=now, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("late", "due_at", "pk")[:limit]
    )


def dashboard_block(request, **objects):
    """Civil servants: the to-do list. Community workers: the signals they made that are
    still open, and the way to make one. Nobody else sees the block."""
    code = get_tenant(request).cbs_code
    now = timezone.now()
    if not access.is_civil_servant(request.user, code):
        if not access.is_community_worker(request.user, code):
            return None
        mine = Signal.objects.in_municipality(code).open().filter(created_by=request.user)
        return {
            "worker": True,
            "now": now,
            "signals": list(
                mine.select_related("area", "department").order_by("due_at", "pk")[
                    :DASHBOARD_SIGNALS
                ]
            ),
        }
    signals = todo_signals(code, now=now)
    counts = Signal.objects.in_municipality(code).open()
    return {
        "worker": False,
        "signals": signals,
        "now": now,
        "open_count": counts.count(),
        "overdue_count": counts.filter(due_at__lt=now).count(),
    }


# -- the wijkprofiel ----------------------------------------------------------------------------

#: Signals listed on the wijkprofiel for professionals (the rest is on the signals page).
PROFILE_SIGNALS = 10
#: How long the public counts per status are kept (seconds); a saved signal makes them old.
CACHE_SECONDS = 300
VERSION_KEY = "logbook:wijkprofiel:version"


def signals_changed(**kwargs) -> None:
    """A signal was saved or deleted: the cached counts of every area are old."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def _of_area(area):
    """Signals of the area and of its buurten (no query of its own)."""
    return Signal.objects.filter(Q(area=area) | Q(area__parent=area))


def status_counts(area) -> list[dict]:
    """How many signals there are per status, in the statuses' own order. One query,
    cached for a few minutes."""
    key = f"logbook:wijkprofiel:{cache.get(VERSION_KEY, 0)}:{area.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(_of_area(area).order_by().values_list("status").annotate(n=Count("pk")))
        cache.set(key, counts, CACHE_SECONDS)
    return [
        {"status": value, "label": label, "count": counts[value]}
        for value, label in SignalStatus.choices
        if counts.get(value)
    ]


def profile_signals(area, *, limit: int = PROFILE_SIGNALS) -> list:
    """The newest signals of the area with department, how many visible stories say so,
    and the latest answer: one query however many signals, stories and answers."""
    latest = SignalAnswer.objects.filter(signal=OuterRef("pk")).order_by("-answered_at", "-pk")
    stories = (
        Signal.stories.through.objects.filter(
            signal_id=OuterRef("pk"), story__withdrawn_at__isnull=True
        )
        .order_by()
        .values("signal_id")
        .annotate(n=Count("story_id"))
        .values("n")
    )
    return list(
        _of_area(area)
        .select_related("area", "department")
        .annotate(
            story_total=Coalesce(Subquery(stories, output_field=IntegerField()), 0),
            answer_text=Subquery(latest.values("text")[:1]),
            answered_at=Subquery(latest.values("answered_at")[:1]),
        )
        .order_by("-created_at", "-pk")[:limit]
    )


def _profile_context(area, *, professional: bool) -> dict | None:
    counts = [{**c, "label": str(c["label"])} for c in status_counts(area)]
    if not counts:
        return None
    context = {
        "area": area,
        "counts": counts,
        "total": sum(c["count"] for c in counts),
        "professional": professional,
    }
    if professional:
        now = timezone.now()
        # Plain values: the PDF is made again when they change (see platform/blocks.py).
        context["signals"] = [
            {
                "pk": s.pk,
                "url": s.get_absolute_url(),
                "title": s.title,
                "status": s.get_status_display(),
                "area": s.area.name,
                "department": s.department.name,
                "stories": s.story_total,
                "overdue": s.is_overdue(now),
                "answer": s.answer_text or "",
                "answered_at": s.answered_at,
            }
            for s in profile_signals(area)
        ]
    return context


def wijkprofiel_block(request, *, area, **objects):
    """Professionals of the municipality: the area's signals with status, department,
    how many stories say so and the answer. Everyone else: only how many signals there
    are per status (signals and answers are for professionals, as in the logbook; the
    tellers who allowed contact hear the answer themselves). None without signals."""
    code = get_tenant(request).cbs_code
    return _profile_context(area, professional=access.is_professional(request.user, code))


def wijkprofiel_pdf(*, area, **objects):
    """The same for the wijkanalyse (PDF), which only civil servants download."""
    return _profile_context(area, professional=True)
