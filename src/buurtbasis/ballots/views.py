"""Voting pages. Thin: find the round and the voting right, parse, call one service, respond.

The request path of a ballot is kept lean: one lookup of the round, one of the code
(by hash), one of the plans, and one transaction that stores the ballot. Voting
with a code typed into the ballot form (or coming from the QR code) writes no session.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from buurtbasis.budgets import access as budget_access
from buurtbasis.budgets.models import BallotType, BudgetRound
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import get_tenant

from . import letter_site, letters, limits, pagecache, services, views_details
from .forms import CodeForm, LettersForm, PaperBatchForm, RejectForm, parse_choices
from .models import Ballot, BatchStatus, LetterRun, LetterStatus, PaperBatch, VotingCode

SESSION_KEY = "ballots:{round_id}"


def _voting_round(slug: str) -> BudgetRound:
    budget_round = services.get_voting_round(slug)
    if budget_round is None:
        raise Http404
    return budget_round


def _plans_with_links(budget_round: BudgetRound):
    """The ballot's plans, each with the addresses of its page and photo (one reverse() each)."""
    plans = services.ballot_plans(budget_round)
    marker = 987654321

    def pattern(name: str) -> str:
        try:
            return reverse(name, kwargs={"slug": budget_round.slug, "pk": marker})
        except NoReverseMatch:
            return ""

    detail, photo = pattern("budgets:plan-detail"), pattern("budgets:plan-photo")
    for plan in plans:
        plan.detail_url = detail.replace(str(marker), str(plan.pk)) if detail else ""
        plan.photo_url = photo.replace(str(marker), str(plan.pk)) if photo and plan.photo else ""
    return plans


def _load_round_and_plans(slug: str):
    budget_round = services.get_voting_round(slug)
    if budget_round is None:
        return None
    return budget_round, _plans_with_links(budget_round)


def _ballot_round_and_plans(slug: str):
    """The round and its plans for the ballot page, kept for a moment (see pagecache)."""
    found = pagecache.round_and_plans(
        slug,
        max_age=float(getattr(settings, "BALLOTS_ROUND_CACHE_SECONDS", 2.0)),
        load=_load_round_and_plans,
    )
    if found is None:
        raise Http404
    return found


def _too_many(request, budget_round: BudgetRound, which: str) -> HttpResponse:
    if which == limits.ROUND:
        message = _(
            "Many wrong codes are being tried in this round right now. To protect everyone's "
            "vote, entering codes is paused for a few minutes. Please try again later."
        )
    else:
        message = _(
            "You entered a wrong code too often. Wait ten minutes and try again. Check the "
            "code on your letter carefully."
        )
    response = render(
        request,
        "ballots/too_many.html",
        {"budget_round": budget_round, "message": message},
        status=429,
    )
    response["Retry-After"] = "300" if which == limits.ROUND else "600"
    return response


@dataclass
class VotingRight:
    voting_code: VotingCode | None = None
    voter: object | None = None
    posted_code: str = ""  # echoed in a hidden field when the code came with the request


def _check_code(request, budget_round: BudgetRound, text: str) -> VotingCode | HttpResponse:
    """Look a typed code up, under the rate limits; a response when it is refused."""
    which = limits.blocked(request, budget_round.pk)
    if which:
        return _too_many(request, budget_round, which)
    voting_code = services.find_voting_code(budget_round, text)
    if voting_code is None:
        limits.record_failure(request, budget_round.pk)
        form = CodeForm(data={"code": text})
        form.is_valid()
        form.add_error("code", _("This code is not right. Check the code on your letter."))
        return _start_page(request, budget_round, form, status=200)
    if services.code_used_on_paper(voting_code):
        form = CodeForm(data={"code": text})
        form.is_valid()
        form.add_error(
            "code",
            _(
                "This code has been used to vote on paper. Each code counts once, so you "
                "cannot vote online with it any more."
            ),
        )
        return _start_page(request, budget_round, form, status=200)
    return voting_code


def _voting_right(request, budget_round: BudgetRound) -> VotingRight | HttpResponse:
    """Who is voting: a code in the request, a code remembered in the session, or an account."""
    posted = request.POST.get("code") if request.method == "POST" else request.GET.get("code")
    if posted and budget_round.allow_code_voting:
        found = _check_code(request, budget_round, posted)
        if isinstance(found, HttpResponse):
            return found
        return VotingRight(voting_code=found, posted_code=posted.strip())
    code_id = request.session.get(SESSION_KEY.format(round_id=budget_round.pk))
    if code_id and budget_round.allow_code_voting:
        voting_code = VotingCode.objects.filter(pk=code_id, budget_round=budget_round).first()
        if voting_code is not None:
            return VotingRight(voting_code=voting_code)
    if budget_round.allow_account_voting and request.user.is_authenticated:
        try:
            services.check_account_eligibility(budget_round, request.user)
        except services.NotEligible as exc:
            return render(
                request,
                "ballots/not_eligible.html",
                {
                    "budget_round": budget_round,
                    "reason": exc.message,
                    "details_url": views_details.link_for(budget_round, exc),
                },
                status=403,
            )
        return VotingRight(voter=request.user)
    return redirect("ballots:start", slug=budget_round.slug)


def _start_page(request, budget_round: BudgetRound, form: CodeForm, *, status: int = 200):
    account_problem = details_url = None
    if budget_round.allow_account_voting and request.user.is_authenticated:
        try:
            services.check_account_eligibility(budget_round, request.user)
        except services.NotEligible as exc:
            account_problem = exc.message
            details_url = views_details.link_for(budget_round, exc)
    return render(
        request,
        "ballots/start.html",
        {
            "budget_round": budget_round,
            "form": form,
            "is_open": services.is_voting_open(budget_round),
            "phase": services.voting_phase(budget_round),
            "account_problem": account_problem,
            "details_url": details_url,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, slug: str):
    """The entry to voting: type the code from the letter, or vote with an account."""
    budget_round = _voting_round(slug)
    if request.method == "GET" or not services.is_voting_open(budget_round):
        form = CodeForm(initial={"code": request.GET.get("code", "")})
        return _start_page(request, budget_round, form)
    if not budget_round.allow_code_voting:
        raise Http404
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _start_page(request, budget_round, form)
    found = _check_code(request, budget_round, form.cleaned_data["code"])
    if isinstance(found, HttpResponse):
        return found
    # The session remembers only the voting right for this round.
    request.session[SESSION_KEY.format(round_id=budget_round.pk)] = found.pk
    return redirect("ballots:ballot", slug=budget_round.slug)


def _confirm_first_ballot(request, budget_round: BudgetRound, plans) -> HttpResponse | None:
    """The common case in one statement: a valid ballot sent with a code never used before.

    Returns None for everything else (no code in the form, a wrong or used code, a
    limit reached, choices that need an error message, another database); the general
    way below then handles it exactly as before, and nothing was stored.
    """
    code = request.POST.get("code", "")
    if not code or not budget_round.allow_code_voting or limits.blocked(request, budget_round.pk):
        return None
    choices, field_errors = parse_choices(request.POST, budget_round, plans)
    if field_errors:
        return None
    try:
        services.check_choices(budget_round, plans, choices)
    except services.InvalidBallot:
        return None
    stored = services.submit_first_ballot_by_code(
        budget_round=budget_round, code=code, choices=choices
    )
    if stored is None:
        return None
    url = reverse("ballots:receipt", args=[budget_round.slug, stored.receipt])
    return HttpResponseRedirect(url, status=303)


def _ballot_context(budget_round, plans, right, choices, summary, *, errors=None):
    field_errors = {
        int(key.split("-", 1)[1]): message
        for key, message in (errors or [])
        if key and key.startswith("points-")
    }
    return {
        "budget_round": budget_round,
        "plans": plans,
        "right": right,
        "choices": choices,
        "summary": summary,
        "errors": errors or [],
        "field_errors": field_errors,
        "phase": services.voting_phase(budget_round),
        "is_points": budget_round.ballot_type == BallotType.POINTS,
        "is_knapsack": budget_round.ballot_type == BallotType.KNAPSACK,
        "is_approval": budget_round.ballot_type == BallotType.APPROVAL,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request, slug: str):
    """The ballot: choose plans, see the running total, check, confirm."""
    budget_round, plans = _ballot_round_and_plans(slug)
    if not services.is_voting_open(budget_round):
        return redirect("ballots:start", slug=slug)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        fast = _confirm_first_ballot(request, budget_round, plans)
        if fast is not None:
            return fast
    right = _voting_right(request, budget_round)
    if isinstance(right, HttpResponse):
        return right
    if request.method == "GET":
        if right.voting_code is not None and right.voting_code.used_at is None:
            choices = {}  # a code gets its first-use time in the transaction of its first ballot
        else:
            choices = services.current_choices(
                budget_round, voting_code=right.voting_code, voter=right.voter
            )
        summary = services.summarise(budget_round, plans, choices)
        context = _ballot_context(budget_round, plans, right, choices, summary)
        context["has_ballot"] = bool(choices)
        if right.posted_code and pagecache.can_use(
            request, voting_code=right.voting_code, choices=choices
        ):
            page = pagecache.ballot_page(
                request,
                budget_round=budget_round,
                plans=plans,
                phase=context["phase"],
                posted_code=right.posted_code,
                render=lambda extra: render_to_string(
                    "ballots/ballot.html", {**context, **extra}, request
                ),
            )
            return HttpResponse(page)
        return render(request, "ballots/ballot.html", context)

    action = request.POST.get("action", "calculate")
    choices, field_errors = parse_choices(request.POST, budget_round, plans)
    summary = services.summarise(budget_round, plans, choices)
    if action == "calculate" or action == "edit":
        context = _ballot_context(budget_round, plans, right, choices, summary)
        template = "ballots/_total.html" if request.htmx else "ballots/ballot.html"
        return render(request, template, context)
    errors = [(key, message) for key, message in field_errors.items()]
    if not errors:
        try:
            summary = services.check_choices(budget_round, plans, choices)
        except services.InvalidBallot as exc:
            errors = exc.errors
    if errors:
        context = _ballot_context(budget_round, plans, right, choices, summary, errors=errors)
        return render(request, "ballots/ballot.html", context)
    if action == "review":
        context = _ballot_context(budget_round, plans, right, choices, summary)
        return render(request, "ballots/review.html", context)
    try:
        stored = services.submit_ballot(
            budget_round=budget_round,
            choices=choices,
            voting_code=right.voting_code,
            voter=right.voter,
            plans=plans,
        )
    except services.InvalidBallot as exc:
        context = _ballot_context(budget_round, plans, right, choices, summary, errors=exc.errors)
        return render(request, "ballots/ballot.html", context)
    except services.VotingClosedError:
        return redirect("ballots:start", slug=slug)
    except services.NotEligible as exc:
        return render(
            request,
            "ballots/not_eligible.html",
            {
                "budget_round": budget_round,
                "reason": exc.message,
                "details_url": views_details.link_for(budget_round, exc),
            },
            status=403,
        )
    except services.VotingError as exc:
        context = _ballot_context(
            budget_round, plans, right, choices, summary, errors=[(None, exc.message)]
        )
        return render(request, "ballots/ballot.html", context, status=503)
    url = reverse("ballots:receipt", args=[slug, stored.receipt])
    return HttpResponseRedirect(url, status=303)


def _receipt_response(request, budget_round, receipt_text):
    which = limits.blocked(request, budget_round.pk, kind="RECEIPT")
    if which:
        return _too_many(request, budget_round, which), None
    result = services.lookup_receipt(budget_round, receipt_text)
    if result.status == "unknown":
        limits.record_failure(request, budget_round.pk, kind="RECEIPT")
    return None, result


@never_cache
def receipt(request, slug: str, receipt: str):
    """After voting: the receipt number and when the ballot was stored. Never the choices."""
    budget_round = _voting_round(slug)
    refused, result = _receipt_response(request, budget_round, receipt)
    if refused:
        return refused
    if result.status == "unknown":
        raise Http404
    can_change = services.is_voting_open(budget_round) and (
        request.session.get(SESSION_KEY.format(round_id=budget_round.pk))
        or (budget_round.allow_account_voting and request.user.is_authenticated)
    )
    return render(
        request,
        "ballots/receipt.html",
        {
            "budget_round": budget_round,
            "receipt": receipt,
            "result": result,
            "phase": services.voting_phase(budget_round),
            "can_change": can_change,
        },
    )


@never_cache
def receipt_lookup(request, slug: str):
    """Anyone with a receipt number can check that the ballot was counted, and when."""
    budget_round = _voting_round(slug)
    text = request.GET.get("bon", "").strip()
    result = error = None
    if text:
        refused, result = _receipt_response(request, budget_round, text)
        if refused:
            return refused
        if result.status == "unknown":
            error = _("We do not know this receipt number in this round. Check the number.")
            result = None
    return render(
        request,
        "ballots/receipt_lookup.html",
        {
            "budget_round": budget_round,
            "text": text,
            "result": result,
            "error": error,
            "errors": [("id_bon", error)] if error else [],
        },
    )


# -- for civil servants --


def _runs_context(budget_round: BudgetRound) -> dict:
    runs = list(budget_round.letter_runs.select_related("requested_by")[:10])
    return {
        "budget_round": budget_round,
        "runs": runs,
        "runs_busy": any(run.is_busy for run in runs),
        "runs_state": ",".join(f"{run.pk}:{run.status}:{run.printed}" for run in runs),
    }


def _site_check(request, budget_round: BudgetRound) -> letter_site.SiteCheck:
    return letter_site.check(letters.round_site_url(budget_round), letter_site.served_site(request))


def _manage_context(request, budget_round: BudgetRound, form: LettersForm) -> dict:
    site_check = _site_check(request, budget_round)
    return {
        **_runs_context(budget_round),
        "counts": services.ballot_counts(budget_round),
        "form": form,
        "batches": budget_round.paper_batches.select_related("entered_by", "confirmed_by"),
        "start_url": letters.ballot_url(budget_round, site=site_check.printed),
        "sample_url": letters.ballot_url(
            budget_round, letters.PREVIEW_CODE, site=site_check.printed
        ),
        "site_check": site_check,
        "keep_days": settings.LETTERS_KEEP_DAYS,
    }


@login_required
def manage(request, slug: str):
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    return render(
        request, "ballots/manage.html", _manage_context(request, budget_round, LettersForm())
    )


@never_cache
@login_required
def letter_runs(request, slug: str):
    """The list of letter runs (htmx asks for it every few seconds while one is printing)."""
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    context = _runs_context(budget_round)
    if request.GET.get("seen") == context["runs_state"] and context["runs_busy"]:
        return HttpResponse(status=204)
    return render(request, "ballots/_letter_runs.html", context)


@login_required
def letters_download(request, slug: str, pk: int):
    """The PDF of a finished run, only for who may manage the round (never cached)."""
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    run = get_object_or_404(LetterRun, budget_round=budget_round, pk=pk, status=LetterStatus.DONE)
    try:
        handle = letters.private_storage().open(run.file, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    services.record_letters_download(
        run=run, actor=request.user, origin=Origin.from_request(request)
    )
    stamp = timezone.localtime(run.created_at).strftime("%Y%m%d-%H%M%S")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"stemcodes-{slug}-{stamp}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def letters_retry(request, slug: str, pk: int):
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    run = get_object_or_404(LetterRun, budget_round=budget_round, pk=pk)
    try:
        services.retry_letter_run(run=run, actor=request.user, origin=Origin.from_request(request))
    except services.VotingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The letters are being printed again."))
    return redirect("ballots:manage", slug=slug)


@login_required
@require_POST
def letters_delete(request, slug: str, pk: int):
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    run = get_object_or_404(LetterRun, budget_round=budget_round, pk=pk)
    try:
        services.delete_letter_run(run=run, actor=request.user, origin=Origin.from_request(request))
    except services.VotingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The PDF with the letters has been deleted."))
    return redirect("ballots:manage", slug=slug)


class InMemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Keep an upload in memory, never in a temporary file; ignore it when it is too big."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = content_length <= letters.MAX_FILE_BYTES + 65536


@csrf_exempt
@login_required
@require_POST
def print_letters(request, slug: str):
    """Ask for a run of code letters; a worker makes the codes and prints the PDF."""
    request.upload_handlers = [InMemoryOnlyUploadHandler(request)]
    return _print_letters(request, slug)


@csrf_protect
def _print_letters(request, slug: str):
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    form = LettersForm(request.POST, request.FILES)
    too_big = int(request.META.get("CONTENT_LENGTH") or 0) > letters.MAX_FILE_BYTES + 65536
    addresses = None
    if too_big:
        form.is_valid()
        form.add_error("addresses", _("The file is too large (at most 10 MB)."))
    elif form.is_valid() and form.cleaned_data.get("addresses"):
        upload = form.cleaned_data["addresses"]
        try:
            addresses = letters.read_addresses(upload.read())
        except letters.AddressFileError as exc:
            form.add_error("addresses", exc.message)
        finally:
            upload.close()
    if not form.errors:
        site_check = _site_check(request, budget_round)
        for problem in site_check.problems if site_check.refused else []:
            form.add_error(None, problem)
    if not form.errors:
        try:
            services.request_letters(
                budget_round=budget_round,
                actor=request.user,
                count=form.cleaned_data.get("count"),
                addresses=addresses,
                origin=Origin.from_request(request),
            )
        except services.VotingError as exc:
            form.add_error(None, exc.message)
    del addresses
    if form.errors:
        return render(
            request, "ballots/manage.html", _manage_context(request, budget_round, form), status=400
        )
    messages.success(
        request,
        _(
            "The letters are being printed. When they are ready, you can download them "
            "on this page."
        ),
    )
    return HttpResponseRedirect(reverse("ballots:manage", args=[slug]), status=303)


def _batches_context(budget_round, form):
    return {
        "budget_round": budget_round,
        "batches": budget_round.paper_batches.select_related("entered_by", "confirmed_by"),
        "form": form,
        "is_open": services.is_voting_open(budget_round),
    }


@login_required
@require_http_methods(["GET", "POST"])
def paper_batches(request, slug: str):
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    form = PaperBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_paper_batch(
                budget_round=budget_round,
                actor=request.user,
                declared_count=form.cleaned_data["declared_count"],
                label=form.cleaned_data["label"],
                origin=Origin.from_request(request),
            )
        except services.VotingError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("ballots:paper-batch", slug=slug, pk=batch.pk)
    return render(request, "ballots/paper_batches.html", _batches_context(budget_round, form))


# refusals of the code on a paper form, shown at the code field
CODE_ERRORS = ("unknown_code", "used_online", "used_on_paper")


@login_required
@require_http_methods(["GET", "POST"])
def paper_batch(request, slug: str, pk: int):
    budget_round = budget_access.get_round_for_manager(
        request.user, slug, get_tenant(request).cbs_code
    )
    batch = get_object_or_404(
        PaperBatch.objects.select_related("entered_by", "confirmed_by", "budget_round"),
        budget_round=budget_round,
        pk=pk,
    )
    plans = services.ballot_plans(budget_round)
    errors: list = []
    choices: dict[int, int] = {}
    paper_code = ""
    reject_form = RejectForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                choices, field_errors = parse_choices(request.POST, budget_round, plans)
                if field_errors:
                    raise services.InvalidBallot(list(field_errors.items()))
                paper_code = request.POST.get("code", "").strip()[:64]
                try:
                    services.add_paper_ballot(
                        batch=batch, actor=request.user, choices=choices, code=paper_code
                    )
                except services.PaperBatchError as exc:
                    if exc.code in CODE_ERRORS:
                        raise services.InvalidBallot([("code", exc.message)]) from None
                    raise
                return redirect("ballots:paper-batch", slug=slug, pk=pk)
            if action == "invalid":
                services.add_invalid_paper_form(batch=batch, actor=request.user)
            elif action == "remove":
                services.remove_paper_ballot(
                    batch=batch,
                    actor=request.user,
                    ballot_id=int(request.POST.get("ballot", 0) or 0),
                    origin=Origin.from_request(request),
                )
            elif action == "submit":
                services.submit_paper_batch(
                    batch=batch, actor=request.user, origin=Origin.from_request(request)
                )
            elif action == "confirm":
                services.confirm_paper_batch(
                    batch=batch, actor=request.user, origin=Origin.from_request(request)
                )
            elif action == "reject":
                reject_form = RejectForm(request.POST)
                if not reject_form.is_valid():
                    raise services.PaperBatchError(reject_form.errors["reason"][0])
                services.reject_paper_batch(
                    batch=batch,
                    actor=request.user,
                    reason=reject_form.cleaned_data["reason"],
                    origin=Origin.from_request(request),
                )
            return redirect("ballots:paper-batch", slug=slug, pk=pk)
        except services.InvalidBallot as exc:
            errors = exc.errors
        except services.VotingError as exc:
            errors = [(None, exc.message)]
    entered = list(
        Ballot.objects.filter(paper_batch=batch).prefetch_related("choices").order_by("pk")
    )
    plan_titles = {p.pk: p for p in plans}
    rows = [
        {
            "ballot": b,
            "choices": [(plan_titles.get(c.plan_id), c.points) for c in b.choices.all()],
        }
        for b in entered
    ]
    summary = services.summarise(budget_round, plans, choices)
    is_enterer = batch.entered_by_id == request.user.pk
    round_open = budget_round.is_voting_open()  # the phase; confirming may go on past the end date
    return render(
        request,
        "ballots/paper_batch.html",
        {
            "budget_round": budget_round,
            "batch": batch,
            "plans": plans,
            "rows": rows,
            "errors": errors,
            "choices": choices,
            "summary": summary,
            "is_points": budget_round.ballot_type == BallotType.POINTS,
            "paper_code": paper_code,
            "code_error": next((m for anchor, m in errors if anchor == "code"), ""),
            "can_enter": round_open and batch.status == BatchStatus.OPEN and is_enterer,
            "can_check": round_open and batch.status == BatchStatus.SUBMITTED and not is_enterer,
            "closed_unconfirmed": not round_open and batch.status != BatchStatus.CONFIRMED,
            "is_enterer": is_enterer,
            "remaining": batch.declared_count - len(entered) - batch.invalid_count,
            "reject_form": reject_form,
        },
        status=400 if errors else 200,
    )
