"""The invited person confirms (or refuses) being a household's contact person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurtbasis.platform.audit import Origin

from . import services
from .models import Household


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, pk):
    user = request.user
    household = (
        Household.objects.select_related("programme")
        .filter(
            pk=pk,
            erased_at__isnull=True,
            programme__municipality_code=request.tenant.cbs_code,
        )
        .exclude(invited_email="")
        .first()
    )
    if (
        household is None
        or not user.email_verified
        or household.invited_email.lower() != (user.email or "").lower()
    ):
        raise Http404("no invitation for this account")
    if request.method == "POST":
        accept = request.POST.get("answer") == "yes"
        try:
            services.answer_contact_invitation(
                household=household,
                person=user,
                accept=accept,
                origin=Origin.from_request(request),
            )
        except services.BuddyError as error:
            messages.error(request, str(error))
        else:
            if accept:
                messages.success(
                    request,
                    _("You are now the contact person. You can answer proposals yourself."),
                )
            else:
                messages.success(request, _("Thank you. Your account is not linked."))
        return redirect("buddies:index")
    return render(request, "buddies/contact_confirm.html", {"household": household})
