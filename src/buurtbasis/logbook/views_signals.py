"""Pages of the signals: the list, making one from stories, the signal with its history and
answers, and the answer for a teller. Thin: access, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id
from buurtbasis.platform.tenancy import get_tenant
from buurtbasis.stories import access as story_access
from buurtbasis.stories.models import Consent, Story

from . import access
from . import services_signals as services
from .forms import AnswerForm, SignalForm, StatusForm
from .models import Department, Signal, SignalStatus
from .services import LogbookError

PER_PAGE = 25
#: The newest stories a community worker can choose from on the form.
STORY_CHOICES = 100
#: Signals a person may make in an hour.
SIGNAL_LIMIT = 20


def _code(request) -> str:
    return get_tenant(request).cbs_code


def _professional_or_403(request) -> str:
    code = _code(request)
    if not access.is_professional(request.user, code):
        raise PermissionDenied
    return code


def _signal_or_404(request, pk) -> Signal:
    return get_object_or_404(
        Signal.objects.in_municipality(_code(request)).select_related(
            "area", "department", "created_by"
        ),
        pk=pk,
    )


@login_required
def signal_list(request):
    code = _professional_or_403(request)
    status = request.GET.get("status", "")
    signals = Signal.objects.in_municipality(code).select_related("area", "department")
    if status == "open":
        signals = signals.open()
    elif status in SignalStatus.values:
        signals = signals.filter(status=status)
    else:
        status = ""
    page = Paginator(signals.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "logbook/signals/list.html",
        {
            "page": page,
            "status": status,
            "statuses": SignalStatus.choices,
            "now": timezone.now(),
            "can_make": access.is_community_worker(request.user, code),
        },
    )


def _story_choices(user, code: str, wanted: list[int]):
    """The newest stories of the rounds of the municipality whose stories this worker may
    read as a professional, and the ones asked for in the address (``?verhaal=<id>``, e.g.
    from a story's page), visible ones only. Two queries."""
    visible = Story.objects.visible().filter(
        round__in=story_access.rounds_for_professional(user, code)
    )
    ids = list(visible.order_by("-told_at", "-pk").values_list("pk", flat=True)[:STORY_CHOICES])
    ids += list(visible.filter(pk__in=wanted[:STORY_CHOICES]).values_list("pk", flat=True))
    return Story.objects.filter(pk__in=ids).select_related("round").order_by("-told_at", "-pk")


@login_required
@require_http_methods(["GET", "POST"])
def make_signal(request):
    code = _code(request)
    if not access.is_community_worker(request.user, code):
        raise PermissionDenied
    latest = Area.objects.in_municipality(code).exclude(level=AreaLevel.MUNICIPALITY)
    year = latest.order_by("-year").values_list("year", flat=True).first()
    areas = latest.filter(year=year).order_by("level", "name")
    departments = Department.objects.filter(municipality_code=code)
    asked = request.POST.getlist("stories") if request.method == "POST" else None
    wanted = [n for n in map(parse_id, asked or request.GET.getlist("verhaal")) if n]
    initial = {"stories": wanted}
    form = SignalForm(
        request.POST or None,
        areas=areas,
        departments=departments,
        stories=_story_choices(request.user, code, wanted),
        initial=initial,
    )
    rate_limited = ""
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(
            "logbook-signal", str(request.user.pk), limit=SIGNAL_LIMIT, window=3600
        ):
            rate_limited = _("You have made many signals in a short time. Please try again later.")
        else:
            data = form.cleaned_data
            try:
                signal = services.make_signal(
                    area=data["area"],
                    title=data["title"],
                    description=data["description"],
                    urgency=data["urgency"],
                    department=data["department"],
                    stories=list(data["stories"]),
                    origin=Origin.from_request(request),
                )
            except LogbookError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The signal has been sent to the municipality."))
                return redirect("signals:detail", pk=signal.pk)
    return render(
        request,
        "logbook/signals/form.html",
        {"form": form, "rate_limited": rate_limited, "no_departments": not departments.exists()},
    )


def _detail_context(request, signal, *, status_form=None, answer_form=None) -> dict:
    user = request.user
    steps = services.allowed_steps(signal, user)
    can_answer = access.is_civil_servant(user, signal.municipality_code) and (
        SignalStatus.HANDLED in services.TRANSITIONS[signal.status]
    )
    stories = list(signal.stories.visible().order_by("told_at", "pk"))
    # One query for the rounds this reader is a professional of, however many stories.
    readable = set(
        story_access.rounds_for_professional(user, signal.municipality_code).values_list(
            "pk", flat=True
        )
    )
    return {
        "signal": signal,
        "stories": stories,
        "quotable": {
            s.pk for s in stories if s.round_id in readable and s.consent != Consent.ANALYSIS_ONLY
        },
        "contact_allowed": sum(1 for s in stories if s.may_contact),
        "changes": signal.changes.select_related("changed_by"),
        "answers": signal.answers.select_related("answered_by"),
        "status_form": status_form or (StatusForm(steps=steps) if steps else None),
        "answer_form": answer_form or (AnswerForm() if can_answer else None),
        "overdue": signal.is_overdue(),
    }


@login_required
def signal_detail(request, pk):
    _professional_or_403(request)
    signal = _signal_or_404(request, pk)
    return render(request, "logbook/signals/detail.html", _detail_context(request, signal))


@login_required
@require_POST
def signal_status(request, pk):
    _professional_or_403(request)
    signal = _signal_or_404(request, pk)
    form = StatusForm(request.POST, steps=services.allowed_steps(signal, request.user))
    if form.is_valid():
        try:
            services.change_status(
                signal=signal,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                origin=Origin.from_request(request),
            )
        except LogbookError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("signals:detail", pk=signal.pk)
    if not form.fields["to_status"].choices:
        raise PermissionDenied
    return render(
        request,
        "logbook/signals/detail.html",
        _detail_context(request, signal, status_form=form),
        status=200,
    )


@login_required
@require_POST
def signal_answer(request, pk):
    code = _professional_or_403(request)
    signal = _signal_or_404(request, pk)
    if not access.is_civil_servant(request.user, code):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(
                signal=signal, text=form.cleaned_data["text"], origin=Origin.from_request(request)
            )
        except LogbookError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer has been sent."))
            return redirect("signals:detail", pk=signal.pk)
    return render(
        request, "logbook/signals/detail.html", _detail_context(request, signal, answer_form=form)
    )


@login_required
def teller_answer(request, pk):
    """The answer for a teller whose story is part of the signal and who allowed contact."""
    signal = _signal_or_404(request, pk)
    told = signal.stories.visible().filter(teller=request.user, may_contact=True).exists()
    if not told:
        raise Http404
    return render(
        request,
        "logbook/signals/teller.html",
        {"signal": signal, "answers": signal.answers.all()},
    )
