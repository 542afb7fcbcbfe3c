"""Money coming in on a bank line: book it as a donation for one of the host's initiatives,
or say it is the municipality paying a grant. Thin: access, the choice, the services in
``expenses``; the choices themselves come from ``queries_banklines.incoming_choices``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtbasis.platform.audit import Origin

from . import expenses, queries_banklines, services
from .forms_expenses import ReasonForm
from .views_banklines import _line
from .views_expenses import _host


def _chosen_pk(request, name: str) -> int | None:
    raw = request.POST.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def _back(host, line):
    return redirect("hosting:bank-line", slug=host.slug, pk=line.pk)


@login_required
@require_POST
def book_donation(request, slug, pk):
    """The line is a donation for the initiative chosen (one of the host's active ones)."""
    host = _host(request, slug)
    line = _line(host, pk)
    choices = queries_banklines.donation_initiatives(host)
    initiative = choices.filter(pk=_chosen_pk(request, "initiative") or 0).first()
    if initiative is None:
        messages.error(request, _("Choose an initiative of this host."))
        return _back(host, line)
    try:
        expenses.book_line_as_donation(
            line=line, initiative=initiative, origin=Origin.from_request(request)
        )
    except services.HostingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Booked as a donation for %(name)s.") % {"name": initiative.name}
        )
    return _back(host, line)


@login_required
@require_POST
def book_grant_payment(request, slug, pk):
    """The line is the money of the grant chosen arriving (a part payment needs a note)."""
    host = _host(request, slug)
    line = _line(host, pk)
    grant = expenses.grants_to_arrive(host).filter(pk=_chosen_pk(request, "grant") or 0).first()
    if grant is None:
        messages.error(request, _("Choose a grant of this host whose money has not arrived yet."))
        return _back(host, line)
    form = ReasonForm(request.POST)
    if not form.is_valid() and "reason" in form.errors and request.POST.get("reason", "").strip():
        messages.error(request, form.errors["reason"][0])  # e.g. a control character
        return _back(host, line)
    note = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        expenses.book_line_as_grant_payment(
            line=line, grant=grant, note=note, origin=Origin.from_request(request)
        )
    except services.HostingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The money of “%(grant)s” has arrived.") % {"grant": grant})
    return _back(host, line)


urlpatterns = [
    path(
        "host/<slug:slug>/afschriften/regel/<int:pk>/gift/",
        book_donation,
        name="bank-line-donation",
    ),
    path(
        "host/<slug:slug>/afschriften/regel/<int:pk>/toekenning/",
        book_grant_payment,
        name="bank-line-grant",
    ),
]
