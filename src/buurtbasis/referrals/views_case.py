"""Pages of the receiving organisation's professionals: the intake, a referral with the
person's details and case notes (every view audited), the steps of the loop, export and
erasure on the person's request. Only professionals of the receiving organisation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import get_tenant

from . import access, queries, services
from .forms import DeclineForm, EndForm, NoteForm
from .models import TRANSITIONS, Referral, Shared, Status

PER_PAGE = 25
#: What the buttons of the steps say.
STEP_BUTTONS = {
    Status.ACCEPTED: gettext_lazy("Accept"),
    Status.FIRST_CONTACT: gettext_lazy("Record first contact"),
    Status.STARTED: gettext_lazy("Record that help started"),
}
FILTERS = ("open", "overdue", "closed")


def _case_or_403(request, pk) -> Referral:
    referral = get_object_or_404(
        Referral.objects.in_municipality(get_tenant(request).cbs_code).select_related(
            "service", "organisation", "professional"
        ),
        pk=pk,
    )
    if not access.can_handle(request.user, referral):
        raise PermissionDenied
    return referral


@login_required
def inbox(request):
    if not access.is_professional(request.user):
        raise PermissionDenied
    code = get_tenant(request).cbs_code
    today = timezone.localdate()
    shown = request.GET.get("toon", "open")
    if shown not in FILTERS:
        shown = "open"
    referrals = queries.received_by(request.user, code)
    if shown == "open":
        referrals = referrals.exclude(status__in=(Status.DECLINED, Status.ENDED))
    elif shown == "overdue":
        referrals = referrals.overdue(today)
    else:
        referrals = referrals.filter(status__in=(Status.DECLINED, Status.ENDED))
    page = Paginator(referrals, PER_PAGE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "referrals/inbox.html",
        {"page": page, "today": today, "shown": shown},
    )


def _case_context(request, referral, **forms) -> dict:
    steps = TRANSITIONS[Status(referral.status)]
    return {
        "referral": referral,
        "shared": [Shared(s).label for s in referral.shared],
        "steps": list(referral.steps.all()),
        "notes": list(referral.notes.select_related("author")),
        "next_simple": [
            (s, STEP_BUTTONS[s]) for s in steps if s not in (Status.DECLINED, Status.ENDED)
        ],
        "can_decline": Status.DECLINED in steps,
        "can_end": Status.ENDED in steps,
        "can_claim": referral.professional_id is None,
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "end_form": forms.get("end_form") or EndForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "overdue": referral.is_overdue(timezone.localdate()),
    }


@never_cache
@login_required
def case(request, pk):
    referral = _case_or_403(request, pk)
    services.record_view(referral, origin=Origin.from_request(request))
    return render(request, "referrals/case.html", _case_context(request, referral))


@login_required
@require_POST
def step(request, pk):
    referral = _case_or_403(request, pk)
    to_status = request.POST.get("to", "")
    form = None
    category = ""
    if to_status == Status.DECLINED:
        form = DeclineForm(request.POST)
    elif to_status == Status.ENDED:
        form = EndForm(request.POST)
    if form is not None:
        if not form.is_valid():
            key = "decline_form" if to_status == Status.DECLINED else "end_form"
            return render(
                request,
                "referrals/case.html",
                _case_context(request, referral, **{key: form}),
                status=400,
            )
        category = form.cleaned_data["category"]
    try:
        services.take_step(
            referral, to_status=to_status, category=category, origin=Origin.from_request(request)
        )
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved: %(status)s.") % {"status": Status(to_status).label})
    return redirect("referrals:case", pk=referral.pk)


@login_required
@require_POST
def claim(request, pk):
    referral = _case_or_403(request, pk)
    try:
        services.claim(referral, origin=Origin.from_request(request))
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have taken this referral."))
    return redirect("referrals:case", pk=referral.pk)


@login_required
@require_POST
def note(request, pk):
    referral = _case_or_403(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(
                referral, text=form.cleaned_data["text"], origin=Origin.from_request(request)
            )
        except services.ReferralError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("The note is saved."))
            return redirect("referrals:case", pk=referral.pk)
    return render(
        request,
        "referrals/case.html",
        _case_context(request, referral, note_form=form),
        status=400,
    )


@never_cache
@login_required
@require_POST
def export(request, pk):
    referral = _case_or_403(request, pk)
    data = services.export_referral(referral, origin=Origin.from_request(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="verwijzing-{referral.pk}.json"'
    return response


@login_required
@require_POST
def erase(request, pk):
    referral = _case_or_403(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the person asked for this."))
        return redirect("referrals:case", pk=referral.pk)
    services.erase_referral(referral, origin=Origin.from_request(request))
    messages.success(request, _("The referral and its details have been deleted."))
    return redirect("referrals:inbox")
