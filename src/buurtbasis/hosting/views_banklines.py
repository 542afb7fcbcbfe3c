"""A finance officer's daily work with bank lines: one page per line (what the matcher
proposed and why, another payment picked by hand, hold, ignore, undo a link), the line
list of the statements page, and the expenses waiting for this officer's approval.
Thin: access, forms, the services in ``expenses``; the queries in ``queries_banklines``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from buurtbasis.platform.audit import Origin
from buurtbasis.platform.money import cents_to_input

from . import expenses, queries_banklines, services
from .forms_banklines import PaymentSearchForm
from .forms_expenses import ReasonForm
from .models_expenses import BankLine, BankStatement, LineState, PayoutItem
from .views_expenses import _host

#: Why the matcher proposed a payment (its reason codes), in words.
MATCH_REASONS = {
    "end_to_end_id": gettext_lazy(
        "The end-to-end id on the bank line is the one in our payment file, and the amount "
        "is the same."
    ),
    "return": gettext_lazy("The bank sent back a payment with this end-to-end id."),
    "end_to_end_id_amount": gettext_lazy(
        "The end-to-end id is the one in our payment file, but the amount is different."
    ),
    "iban_amount": gettext_lazy("It is the only open payment of this amount to this IBAN."),
    "iban_amount_several": gettext_lazy(
        "Several open payments of this amount go to this IBAN; the oldest was proposed."
    ),
    "reference_amount": gettext_lazy(
        "The payment's reference is in the description of the line, and the amount is the same."
    ),
    "reference": gettext_lazy(
        "The payment's reference is in the description of the line, but the amount is different."
    ),
}

#: The line list's filters: (query value, states, label).
LINE_FILTERS = [
    ("te-doen", (LineState.PENDING,), gettext_lazy("To handle")),
    ("wachten", (LineState.ON_HOLD,), gettext_lazy("On hold")),
    ("gekoppeld", (LineState.LINKED,), gettext_lazy("Linked")),
    ("genegeerd", (LineState.IGNORED,), gettext_lazy("Ignored")),
]

#: Actions on a line other than linking: the URL word and the state it leads to.
LINE_ACTIONS = {
    "wachten": LineState.ON_HOLD,
    "negeren": LineState.IGNORED,
    "terug": LineState.PENDING,
}


def _line(host, pk) -> BankLine:
    """The host's line, or 404 (a line of another host is not found, not forbidden)."""
    return get_object_or_404(
        BankLine.objects.select_related(
            "statement",
            "decided_by",
            "proposed__batch",
            "proposed__expense__initiative",
            "linked__batch",
            "linked__expense__initiative",
            "transaction__initiative",
        ),
        pk=pk,
        host=host,
    )


# --- the statements page: lines by state, statements with their balance check ------------------


def statement_list_context(request, host) -> dict:
    """What the statements page shows below the upload form."""
    counts = queries_banklines.state_counts(host)
    chosen = request.GET.get("regels", "te-doen")
    filters = []
    states = None
    for key, key_states, label in LINE_FILTERS:
        count = sum(counts.get(s, 0) for s in key_states)
        filters.append({"key": key, "label": label, "count": count, "current": key == chosen})
        if key == chosen:
            states = key_states
    if states is None:  # an unknown filter shows what waits for a person
        chosen, states = "te-doen", (LineState.PENDING,)
        filters[0]["current"] = True
    lines = (
        BankLine.objects.filter(host=host, state__in=states)
        .select_related("proposed__expense__initiative", "linked__expense")
        .order_by("-booking_date", "-pk")
    )
    page = Paginator(lines, 50).get_page(request.GET.get("pagina"))
    statements = Paginator(BankStatement.objects.filter(host=host), 10).get_page(
        request.GET.get("afschriften")
    )
    return {
        "line_filters": filters,
        "line_filter": chosen,
        "lines_page": page,
        "statements_page": statements,
        "checks": queries_banklines.balance_checks(host, list(statements.object_list)),
        "ledger_cash": expenses.ledger_cash_cents(host),
    }


# --- one bank line --------------------------------------------------------------------------


def _search(request, line):
    """The payment search form: bound to the address, or at first to the line's amount."""
    if "bedrag" in request.GET or "zoek" in request.GET:
        form = PaymentSearchForm(request.GET)
    else:
        form = PaymentSearchForm({"bedrag": cents_to_input(abs(line.amount_cents)), "zoek": ""})
    amount = text = None
    if form.is_valid():
        amount = form.cleaned_data["bedrag"]
        text = form.cleaned_data["zoek"]
    return form, amount, text or ""


@login_required
def bank_line(request, slug, pk):
    host = _host(request, slug)
    line = _line(host, pk)
    open_line = line.state != LineState.LINKED
    form, amount, text = _search(request, line)
    candidates = None
    if open_line and not form.errors:
        candidates = Paginator(
            queries_banklines.candidate_items(host, line, amount_cents=amount, text=text), 20
        ).get_page(request.GET.get("pagina"))
    return render(
        request,
        "hosting/expenses/bank_line.html",
        {
            "host": host,
            "line": line,
            "is_return": queries_banklines.is_return(line),
            "incoming": line.amount_cents > 0 and not queries_banklines.is_return(line),
            "why": MATCH_REASONS.get(line.match_reason, ""),
            "history": _history(line),
            "search_form": form,
            "candidates": candidates,
            "open_line": open_line,
            "reason_form": ReasonForm(),
            **queries_banklines.incoming_choices(host, line),  # money coming in
        },
    )


#: The audit trail's actions on a line, in words.
HISTORY_LABELS = {
    "hosting.bank_line_linked": gettext_lazy("Linked to a payment"),
    "hosting.bank_line_ignored": gettext_lazy("Ignored"),
    "hosting.bank_line_on_hold": gettext_lazy("Put on hold"),
    "hosting.bank_line_pending": gettext_lazy("Back to the lines to handle"),
    "hosting.bank_line_unlinked": gettext_lazy("Link undone, payment corrected"),
    "hosting.bank_line_auto_linked": gettext_lazy("Linked automatically at the import"),
    "hosting.bank_line_auto_on_hold": gettext_lazy("Put on hold at the import"),
}


def _history(line):
    events = queries_banklines.line_history(line)
    for event in events:
        event.label = HISTORY_LABELS.get(event.action, event.action)
    return events


def _back(host, line):
    return redirect("hosting:bank-line", slug=host.slug, pk=line.pk)


@login_required
@require_POST
def bank_line_link(request, slug, pk):
    """Link the line to the payment chosen (the proposal, or another open payment)."""
    host = _host(request, slug)
    line = _line(host, pk)
    raw = request.POST.get("item", "")
    item = (
        PayoutItem.objects.select_related("batch", "expense").filter(pk=int(raw)).first()
        if raw.isascii() and raw.isdigit() and len(raw) < 19
        else None
    )
    if item is None:
        # Never fall back to the proposal: a person chose a payment that does not exist.
        messages.error(request, _("Choose the payment this line belongs to."))
        return _back(host, line)
    try:
        expenses.confirm_line(line=line, item=item, origin=Origin.from_request(request))
    except services.HostingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The line is linked to “%(what)s”.") % {"what": item.expense.description},
        )
    return _back(host, line)


@login_required
@require_POST
def bank_line_action(request, slug, pk, action):
    """Put on hold, ignore, back to pending (with a note), or undo a link made by mistake."""
    host = _host(request, slug)
    line = _line(host, pk)
    if action == "wachten" and request.POST.get("negeren"):
        action = "negeren"  # one form, two buttons: on hold or ignore
    if action != "ontkoppelen" and action not in LINE_ACTIONS:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid() and "reason" in form.errors and request.POST.get("reason", "").strip():
        messages.error(request, form.errors["reason"][0])  # e.g. a control character
        return _back(host, line)
    note = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    origin = Origin.from_request(request)
    try:
        if action == "ontkoppelen":
            expenses.unlink_line(line=line, reason=note, origin=origin)
        else:
            expenses.set_line_state(line=line, state=LINE_ACTIONS[action], note=note, origin=origin)
    except services.HostingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Saved."))
    return _back(host, line)


# --- expenses waiting for this officer's approval -------------------------------------------------


@login_required
def approvals(request, slug):
    host = _host(request, slug)
    rows = (
        queries_banklines.waiting_for_approval(request.user, [host.pk])
        .select_related("initiative", "grant")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "hosting/expenses/approvals.html",
        {"host": host, "page": Paginator(rows, 50).get_page(request.GET.get("pagina"))},
    )


urlpatterns = [
    path("host/<slug:slug>/afschriften/regel/<int:pk>/", bank_line, name="bank-line"),
    path(
        "host/<slug:slug>/afschriften/regel/<int:pk>/koppelen/",
        bank_line_link,
        name="bank-line-link",
    ),
    path(
        "host/<slug:slug>/afschriften/regel/<int:pk>/<slug:action>/",
        bank_line_action,
        name="bank-line-action",
    ),
    path("host/<slug:slug>/goedkeuren/", approvals, name="approvals"),
]
