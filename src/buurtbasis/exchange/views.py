"""Pages of asking peers: ask a question, my conversations, one conversation with its
replies, closing, reporting and blocking, and the initiators' consent. Thin: access,
form, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.initiatives.access import can_view_initiative
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.audit import Origin

from . import access, services
from .forms import QuestionForm, ReplyForm, ReportForm
from .models import Thread

PER_PAGE = 25
#: Reported conversations listed for a moderator.
REPORTED_ROWS = 50


def _initiative_or_404(request, slug) -> Initiative:
    initiative = get_object_or_404(Initiative, slug=slug)
    if not can_view_initiative(request.user, initiative):
        raise Http404
    return initiative


def _thread_or_404(request, pk) -> tuple[Thread, str]:
    """The thread and the reader's side; 404 for anyone who may not read it (so its
    existence is not given away)."""
    thread = get_object_or_404(
        Thread.objects.select_related("initiative", "asker", "asker_initiative"), pk=pk
    )
    side = access.side_of(request.user, thread)
    if not side:
        raise Http404
    return thread, side


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, slug):
    initiative = _initiative_or_404(request, slug)
    if access.is_initiator(request.user, initiative):
        messages.info(request, _("You are one of the initiators of this initiative."))
        return redirect(initiative.get_absolute_url())
    if not access.can_ask(request.user, initiative):
        return render(request, "exchange/ask_closed.html", {"initiative": initiative}, status=403)
    own = Initiative.objects.filter(members=request.user).order_by("name")
    form = QuestionForm(request.POST or None, own_initiatives=own)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.ask_question(
                initiative=initiative,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                on_behalf_of=form.cleaned_data.get("on_behalf_of"),
                origin=Origin.from_request(request),
            )
        except services.ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your question has been sent to the initiators."))
            return redirect(thread.get_absolute_url())
    return render(request, "exchange/ask.html", {"initiative": initiative, "form": form})


@login_required
def my_questions(request):
    """The conversations I started and those with the initiatives I am an initiator of."""
    user = request.user
    threads = (
        Thread.objects.filter(Q(asker=user) | Q(initiative__members=user))
        .distinct()
        .select_related("initiative", "asker_initiative")
        .order_by("-last_message_at", "-pk")
    )
    page = Paginator(threads, PER_PAGE).get_page(request.GET.get("pagina"))
    mine = set(Initiative.objects.filter(members=user).values_list("pk", flat=True))
    reported = list(
        access.reported_threads_for(user)
        .select_related("initiative")
        .order_by("-reported_at", "-pk")[:REPORTED_ROWS]
    )
    return render(
        request,
        "exchange/questions.html",
        {"page": page, "my_initiatives": mine, "reported": reported},
    )


def _thread_context(thread, side, *, form=None, report_form=None) -> dict:
    return {
        "thread": thread,
        "side": side,
        "messages_": thread.messages.select_related("author"),
        "form": form or (ReplyForm() if thread.is_open and side != "moderator" else None),
        "report_form": report_form or ReportForm(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def thread_detail(request, pk):
    thread, side = _thread_or_404(request, pk)
    form = None
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.reply(
                    thread=thread,
                    text=form.cleaned_data["text"],
                    origin=Origin.from_request(request),
                )
            except services.ExchangeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your reply has been sent."))
                return redirect(thread.get_absolute_url())
    return render(request, "exchange/thread.html", _thread_context(thread, side, form=form))


@login_required
@require_POST
def thread_close(request, pk):
    thread, _side = _thread_or_404(request, pk)
    try:
        services.close_thread(thread=thread, origin=Origin.from_request(request))
    except services.ExchangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The conversation has been closed."))
    return redirect(thread.get_absolute_url())


@login_required
@require_POST
def thread_report(request, pk):
    thread, side = _thread_or_404(request, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_thread(
                thread=thread,
                reason=form.cleaned_data["reason"],
                origin=Origin.from_request(request),
            )
        except services.ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The conversation has been reported and closed. A moderator will look at it."),
            )
            return redirect(thread.get_absolute_url())
    return render(request, "exchange/thread.html", _thread_context(thread, side, report_form=form))


@login_required
@require_POST
def thread_block(request, pk):
    thread, _side = _thread_or_404(request, pk)
    try:
        services.block_asker(thread=thread, origin=Origin.from_request(request))
    except services.ExchangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("This person can no longer ask your initiative questions."))
    return redirect(thread.get_absolute_url())


@login_required
@require_POST
def question_settings(request, slug):
    initiative = _initiative_or_404(request, slug)
    if not access.is_initiator(request.user, initiative):
        raise PermissionDenied
    accepts = request.POST.get("accepts") == "1"
    try:
        services.set_accepts_questions(
            initiative=initiative, accepts=accepts, origin=Origin.from_request(request)
        )
    except services.ExchangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Other initiatives can now ask you questions.")
            if accepts
            else _("Other initiatives can no longer ask you questions."),
        )
    return redirect(initiative.get_absolute_url())
