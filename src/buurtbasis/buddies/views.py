"""Pages of the buddy programme (/maatjes/). Thin: access is ``access.py``, reads are
``queries.py``, writes are ``services.py``, the matching is ``adapters.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.forms import parse_id

from . import access, adapters, queries, services
from .forms import (
    BatchForm,
    CheckInForm,
    DeclineForm,
    EndEarlyForm,
    EvaluationForm,
    FilterForm,
    IntakeForm,
)
from .models import BatchProposal, HouseholdStatus, Kind, Level, Pair, PairStatus, Programme
from .vocab import LANGUAGE_NAMES

#: Answers (accept, decline) a contact person may post in an hour.
ANSWER_LIMIT = 20
#: Suggestions shown for one household.
TOP = 10


def _areas(code: str):
    return (
        Area.objects.in_municipality(code)
        .filter(level__in=[AreaLevel.DISTRICT, AreaLevel.NEIGHBOURHOOD])
        .defer("boundary")
        .order_by("code")
    )


@login_required
def index(request):
    code = request.tenant.cbs_code
    programmes = list(access.programmes_for(request.user, code))
    mine = list(
        request.user.buddy_households.filter(programme__municipality_code=code).select_related(
            "programme"
        )
    )
    if len(programmes) == 1 and not mine:
        return redirect("buddies:programme", pk=programmes[0].pk)
    open_programmes = Programme.objects.filter(municipality_code=code).select_related(
        "organisation"
    )
    counts = queries.counts([p.pk for p in programmes])
    return render(
        request,
        "buddies/index.html",
        {
            "programmes": [(p, counts.get(p.pk, {})) for p in programmes],
            "mine": mine,
            "open_programmes": open_programmes,
        },
    )


@login_required
def programme(request, pk):
    prog = access.programme_or_404(request, pk)
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = queries.households(
        prog,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(rows, queries.PER_PAGE).get_page(request.GET.get("pagina"))
    today = timezone.localdate()
    return render(
        request,
        "buddies/programme.html",
        {
            "programme": prog,
            "form": form,
            "page": page,
            "counts": queries.counts([prog.pk])[prog.pk],
            "overdue": queries.overdue_checkins([prog.pk], today=today),
            "open_pairs": list(
                queries.pairs(prog).filter(status__in=[PairStatus.PROPOSED, PairStatus.ACTIVE])[:50]
            ),
            "statuses": HouseholdStatus,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_new(request, pk):
    prog = access.programme_or_404(request, pk)
    form = IntakeForm(request.POST or None, areas=_areas(prog.municipality_code))
    if request.method == "POST" and form.is_valid():
        try:
            household = services.create_household(
                programme=prog,
                data=form.intake(),
                origin=Origin.from_request(request),
                ready=request.POST.get("ready") == "1",
            )
        except services.BuddyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The household is saved."))
            return redirect("buddies:household", pk=household.pk)
    return render(request, "buddies/intake.html", {"programme": prog, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household = access.household_for_matcher(request, pk)
    prog = household.programme
    form = IntakeForm(
        request.POST or None,
        areas=_areas(prog.municipality_code),
        initial=IntakeForm.initial_for(household),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_household(
                household=household, data=form.intake(), origin=Origin.from_request(request)
            )
        except services.BuddyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The household is saved."))
            return redirect("buddies:household", pk=household.pk)
    return render(
        request, "buddies/intake.html", {"programme": prog, "form": form, "household": household}
    )


@login_required
def household(request, pk):
    row = access.household_for_matcher(request, pk)
    found = None
    if row.status == HouseholdStatus.WAITING:
        found = adapters.suggestions_for(row, top=TOP)
    return render(
        request,
        "buddies/household.html",
        {
            "household": row,
            "programme": row.programme,
            "found": found,
            "pairs": queries.pairs_of(row),
            "language_names": _language_names(row),
        },
    )


def _language_names(row):
    levels = dict(Level.choices)
    return [
        f"{LANGUAGE_NAMES.get(x['code'], x['code'])} ({levels.get(x.get('level'), '')})"
        for x in row.languages
    ]


@login_required
@require_POST
def household_ready(request, pk):
    row = access.household_for_matcher(request, pk)
    try:
        services.mark_ready(household=row, origin=Origin.from_request(request))
    except services.BuddyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The household now waits for a buddy household."))
    return redirect("buddies:household", pk=row.pk)


@login_required
@require_POST
def propose(request, pk):
    """Propose the household to the candidate posted as ``other``."""
    row = access.household_for_matcher(request, pk)
    other_id = parse_id(request.POST.get("other"))
    other = get_object_or_404(row.programme.households.exclude(kind=row.kind), pk=other_id or 0)
    newcomer, local = (row, other) if row.kind == Kind.NEWCOMER else (other, row)
    scored = adapters.pair_score(newcomer, local, max_km=row.programme.max_km)
    try:
        if not scored["feasible"]:
            raise services.BuddyError(scored["reason"])
        pair = services.propose_pair(
            newcomer=newcomer,
            local=local,
            origin=Origin.from_request(request),
            score=scored["score"],
            explanation=scored["explanation"],
        )
    except services.BuddyError as error:
        messages.error(request, str(error))
        return redirect("buddies:household", pk=row.pk)
    messages.success(
        request, _("The pair is proposed. It starts when both households have accepted.")
    )
    return redirect("buddies:pair", pk=pair.pk)


# ----------------------------------------------------------------------------- batch


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request, pk):
    prog = access.programme_or_404(request, pk)
    form = BatchForm(request.POST or None, initial={"max_km": prog.max_km})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = services.request_batch(
            programme=prog,
            origin=Origin.from_request(request),
            max_km=data["max_km"],
            language_code=data["language"],
            require_shared_language=data["require_shared_language"],
        )
        return redirect("buddies:batch", pk=batch.pk)
    latest = prog.batches.first()
    return render(
        request, "buddies/batch_form.html", {"programme": prog, "form": form, "latest": latest}
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch(request, pk):
    row = get_object_or_404(
        BatchProposal.objects.select_related("programme"),
        pk=pk,
        programme__municipality_code=request.tenant.cbs_code,
    )
    prog = access.programme_or_404(request, row.programme_id)
    if request.method == "POST":
        chosen = []
        for value in request.POST.getlist("pair"):
            left, _sep, right = value.partition("-")
            a, b = parse_id(left), parse_id(right)
            if a and b:
                chosen.append((a, b))
        if not chosen:
            messages.error(request, _("Choose at least one pair to propose."))
        else:
            made, problems = services.propose_from_batch(
                batch=row, chosen=chosen, origin=Origin.from_request(request)
            )
            for problem in problems:
                messages.error(request, problem)
            if made:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s pair is proposed. It starts when both households accept.",
                        "%(n)s pairs are proposed. Each starts when both households accept.",
                        len(made),
                    )
                    % {"n": len(made)},
                )
            return redirect("buddies:programme", pk=prog.pk)
    result = row.result or {}
    ids = {int(p[k][1:]) for p in result.get("pairs", []) for k in ("newcomer", "local")}
    labels = dict(prog.households.filter(pk__in=ids).values_list("pk", "label"))
    pairs = [
        {
            "value": f"{p['newcomer'][1:]}-{p['local'][1:]}",
            "newcomer": labels.get(int(p["newcomer"][1:]), "?"),
            "local": labels.get(int(p["local"][1:]), "?"),
            "percent": round(p["score"] * 100),
            "explanation": adapters.explanation_of(p),
        }
        for p in result.get("pairs", [])
    ]
    reasons = {}
    for item in result.get("unmatched", []):
        text = adapters.text_of(item)
        reasons[text] = reasons.get(text, 0) + 1
    return render(
        request,
        "buddies/batch.html",
        {
            "programme": prog,
            "batch": row,
            "pairs": pairs,
            "total": round(result.get("total_score", 0), 2),
            "unmatched": sorted(reasons.items()),
            "left_out": len(result.get("left_out", [])),
            "notice": adapters.text_of(result["notice"]) if result.get("notice") else "",
        },
    )


# ----------------------------------------------------------------------------- pairs


def _back(pair):
    return redirect("buddies:pair", pk=pair.pk)


@login_required
@require_http_methods(["GET", "POST"])
def pair(request, pk):
    row, matcher, side = access.pair_for(request, pk)
    forms = {
        "decline": DeclineForm(prefix="decline", pair=row if matcher else None),
        "checkin": CheckInForm(prefix="checkin", initial={"done_on": timezone.localdate()}),
        "end": EndEarlyForm(prefix="end"),
        "evaluate": EvaluationForm(prefix="evaluate"),
    }
    if request.method == "POST":
        done = _act(request, row, matcher, side, forms)
        if done:
            return _back(row)
    checkins = list(row.checkins.all())
    return render(
        request,
        "buddies/pair.html",
        {
            "pair": row,
            "matcher": matcher,
            "side": side,
            "forms": forms,
            "checkins": checkins,
            "next_checkin": next((c for c in checkins if c.done_on is None), None),
            "today": timezone.localdate(),
            "statuses": PairStatus,
        },
    )


def _act(request, row: Pair, matcher: bool, side: str, forms) -> bool:
    """Do the posted action; True when done (the page redirects), False to show errors."""
    action = request.POST.get("action", "")
    origin = Origin.from_request(request)
    if not matcher and action not in ("accept", "decline"):
        raise PermissionDenied
    if not matcher and not ratelimit.hit(
        "buddies-answer", str(request.user.pk), limit=ANSWER_LIMIT, window=3600
    ):
        messages.error(request, _("You have answered many times in a short time. Try again later."))
        return True
    try:
        if action == "accept":
            target = request.POST.get("side", "") if matcher else side
            # A matcher who is also the household's contact accepts for themselves.
            on_behalf = False if matcher and side and target == side else matcher
            if not matcher and target != side:
                raise PermissionDenied
            services.accept(pair=row, side=target, origin=origin, on_behalf=on_behalf)
            messages.success(request, _("The acceptance is recorded."))
        elif action == "decline":
            form = DeclineForm(request.POST, prefix="decline", pair=row if matcher else None)
            forms["decline"] = form
            if not form.is_valid():
                return False
            target = form.cleaned_data["side"] if matcher else side
            services.decline(
                pair=row, side=target, origin=origin, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The proposal is declined. Both households wait again."))
        elif action == "checkin":
            form = CheckInForm(request.POST, prefix="checkin")
            forms["checkin"] = form
            checkin = row.checkins.filter(pk=parse_id(request.POST.get("checkin")) or 0).first()
            if checkin is None:
                raise Http404("no such check-in")
            if not form.is_valid():
                return False
            services.record_checkin(
                checkin=checkin,
                origin=origin,
                note=form.cleaned_data["note"],
                done_on=form.cleaned_data["done_on"],
            )
            messages.success(request, _("The check-in is recorded."))
        elif action == "end":
            form = EndEarlyForm(request.POST, prefix="end")
            forms["end"] = form
            if not form.is_valid():
                return False
            services.end_early(pair=row, reason=form.cleaned_data["reason"], origin=origin)
            messages.success(
                request,
                _("The pair has ended. Both households wait again; you can find a new match."),
            )
        elif action == "complete":
            services.complete(pair=row, origin=origin)
            messages.success(request, _("The pair is completed."))
        elif action == "evaluate":
            form = EvaluationForm(request.POST, prefix="evaluate")
            forms["evaluate"] = form
            if not form.is_valid():
                return False
            services.evaluate(
                pair=row,
                newcomer_text=form.cleaned_data["newcomer_text"],
                local_text=form.cleaned_data["local_text"],
                origin=origin,
            )
            messages.success(request, _("The evaluation is saved."))
        else:
            messages.error(request, _("Unknown action."))
    except services.BuddyError as error:
        messages.error(request, str(error))
    return True


# ----------------------------------------------------------------------------- self-service


@login_required
@require_http_methods(["GET", "POST"])
def sign_up(request, pk):
    """A household signs itself up (with its contact person's account); a matcher does
    the rest of the intake."""
    prog = get_object_or_404(Programme, pk=pk, municipality_code=request.tenant.cbs_code)
    form = IntakeForm(request.POST or None, areas=_areas(prog.municipality_code), self_service=True)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("buddies-sign-up", str(request.user.pk), limit=5, window=86400):
            form.add_error(None, _("You have signed up many times today. Try again tomorrow."))
        elif prog.households.filter(contact=request.user, erased_at__isnull=True).exists():
            form.add_error(None, _("Your household is signed up for this programme already."))
        else:
            data = form.intake()
            data["contact"] = request.user
            data["label"] = (request.user.display_name or _("Household"))[:80]
            services.create_household(
                programme=prog, data=data, origin=Origin.from_request(request)
            )
            messages.success(request, _("Thank you. A matcher of the programme will contact you."))
            return redirect("buddies:index")
    return render(
        request, "buddies/intake.html", {"programme": prog, "form": form, "self_service": True}
    )
