"""Pages of expenses, payouts, bank statements and allowances. Thin: access, forms, services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from buurtbasis.organisations.models import Organisation
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.ratelimit import hit

from . import access, adapters, expenses, services
from .downloads import private_file
from .forms_expenses import (
    BankAccountForm,
    BatchForm,
    DeclarationForm,
    ExpenseForm,
    ReasonForm,
    StatementForm,
)
from .models_expenses import (
    AllowanceDeclaration,
    Expense,
    ExpenseState,
    HostBankAccount,
    PayoutBatch,
)
from .views import _initiative


def _error(form, error: services.HostingError) -> None:
    form.add_error(None, error.messages[0])


def _expense(request, pk) -> Expense:
    expense = get_object_or_404(
        Expense.objects.select_related("initiative", "host", "grant", "submitted_by"), pk=pk
    )
    if not access.sees_expense(request.user, expense):
        raise Http404
    return expense


# --- the initiative's expenses ---------------------------------------------------------------


@login_required
def expense_list(request, slug):
    initiative = _initiative(request, slug)
    agreement = services.active_agreement(initiative)
    is_member = access.is_initiator(request.user, initiative)
    rows = Expense.objects.filter(initiative=initiative).select_related("grant")
    if not is_member:
        # a host's staff see only what was spent under their own host's agreements
        hosts = access.host_ids(request.user) & set(
            initiative.hosting_agreements.filter(accepted_at__isnull=False).values_list(
                "host_id", flat=True
            )
        )
        if not hosts:
            raise Http404
        rows = rows.filter(host_id__in=hosts)
    return render(
        request,
        "hosting/expenses/list.html",
        {
            "initiative": initiative,
            "agreement": agreement,
            "expenses": rows,
            "is_member": is_member,
        },
    )


#: Expenses one person may submit per hour (each stores a receipt).
SUBMITS_PER_HOUR = 30


def _within_limit(request, form) -> bool:
    if hit("hosting.expense", str(request.user.pk), limit=SUBMITS_PER_HOUR, window=3600):
        return True
    form.add_error(None, _("Too many expenses in a short time. Try again later."))
    return False


@login_required
def expense_new(request, slug):
    initiative = _initiative(request, slug)
    agreement = services.active_agreement(initiative)
    if agreement is None or not access.is_initiator(request.user, initiative):
        raise Http404
    form = ExpenseForm(
        request.POST or None,
        request.FILES or None,
        initiative=initiative,
        host=agreement.host,
        agreement=agreement,
    )
    if request.method == "POST" and form.is_valid() and _within_limit(request, form):
        data = form.cleaned_data
        try:
            expense = expenses.submit_expense(
                initiative=initiative,
                grant=data["grant"],
                kind=data["kind"],
                description=data["description"],
                amount_cents=data["amount"],
                date=data["date"],
                category=data["category"],
                payee_name=data["payee_name"],
                payee_iban=data["payee_iban"],
                reference=data["reference"],
                hours=data["hours"],
                receipt=data["receipt"],
                origin=Origin.from_request(request),
            )
        except services.HostingError as error:
            field = {"iban": "payee_iban", "receipt": "receipt", "amount": "amount"}.get(error.code)
            form.add_error(field, error.messages[0])
        else:
            messages.success(request, _("Your expense has been submitted."))
            return redirect("hosting:expense", pk=expense.pk)
    return render(
        request,
        "hosting/expenses/new.html",
        {"initiative": initiative, "agreement": agreement, "form": form},
    )


@login_required
def expense_detail(request, pk):
    expense = _expense(request, pk)
    user = request.user
    agreement = services.active_agreement(expense.initiative)
    if agreement is not None and agreement.host_id != expense.host_id:
        agreement = None  # made under an earlier host: the current one has no say in it
    details = access.sees_payment_details(user, expense)
    is_officer = access.is_finance_officer(user, expense.host_id)
    status = expenses.approval_status(expense, agreement)
    may_check = (
        agreement is not None
        and (agreement.treasurer_id == user.pk or is_officer)
        and user.pk != expense.submitted_by_id
    )
    # Approve: the treasurer first (the host when the treasurer submitted it), then
    # finance officers who have not approved yet.
    if agreement is None or not may_check:
        may_approve = False
    elif not status.treasurer_checked:
        treasurer_free = agreement.treasurer_id not in (None, expense.submitted_by_id)
        may_approve = agreement.treasurer_id == user.pk or (is_officer and not treasurer_free)
    else:
        may_approve = is_officer and user not in status.host_approvers
    try:
        allowance = expenses.expense_allowance_check(expense)
    except services.HostingError as error:
        allowance = None
        messages.warning(request, error.messages[0])
    return render(
        request,
        "hosting/expenses/detail.html",
        {
            "expense": expense,
            "agreement": agreement,
            "status": status,
            "events": expense.events.select_related("actor"),
            "may_check": may_check and expense.state == ExpenseState.SUBMITTED,
            "may_approve": may_approve and expense.state == ExpenseState.SUBMITTED,
            "is_officer": is_officer,
            "is_submitter": user.pk == expense.submitted_by_id,
            "available": expenses.available_cents(expense.grant, excluding=expense),
            "allowance": allowance,
            "reason_form": ReasonForm(),
            "payment_details": details,
            "payee_iban": expense.payee_iban if details else access.mask_iban(expense.payee_iban),
        },
    )


_ACTIONS = {
    "goedkeuren": lambda e, form, o: expenses.approve(expense=e, origin=o),
    "vragen": lambda e, form, o: expenses.request_information(
        expense=e, question=form.data.get("reason", ""), origin=o
    ),
    "afwijzen": lambda e, form, o: expenses.reject(
        expense=e, reason=form.data.get("reason", ""), origin=o
    ),
    "indienen": lambda e, form, o: expenses.submit(
        expense=e, answer=form.data.get("reason", ""), origin=o
    ),
    "betaald": lambda e, form, o: expenses.mark_paid_by_hand(
        expense=e, reason=form.data.get("reason", ""), origin=o
    ),
    "mislukt": lambda e, form, o: expenses.mark_failed(
        expense=e, reason=form.data.get("reason", ""), origin=o
    ),
    "opnieuw": lambda e, form, o: expenses.retry(expense=e, origin=o),
}


@login_required
@require_POST
def expense_action(request, pk, action):
    expense = _expense(request, pk)
    if action == "vragen" and request.POST.get("reject"):
        action = "afwijzen"
    run = _ACTIONS.get(action)
    if run is None:
        raise Http404
    form = ReasonForm(request.POST)
    form.is_valid()  # the text is checked (control characters); the service checks the rest
    try:
        run(expense, form, Origin.from_request(request))
    except services.HostingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Saved."))
    return redirect("hosting:expense", pk=expense.pk)


@login_required
def receipt(request, pk):
    """The receipt, only for the submitter, the treasurer and the host's finance officers;
    never cached publicly."""
    expense = _expense(request, pk)
    if not expense.receipt or not access.sees_payment_details(request.user, expense):
        raise Http404
    return private_file(expense.receipt, expense.receipt_type)


@login_required
def iban_check(request):
    """A fragment for the expense form: the bank's name, or what is wrong with the IBAN."""
    value = request.GET.get("payee_iban", "")[:64]
    if not value.strip():
        return HttpResponse("")
    try:
        checked = adapters.check_iban(value)
    except adapters.AdapterError as error:
        return render(request, "hosting/expenses/_iban_check.html", {"error": error.message})
    return render(request, "hosting/expenses/_iban_check.html", {"checked": checked})


# --- the host: payouts and bank statements ------------------------------------------------------


def _host(request, slug) -> Organisation:
    host = get_object_or_404(Organisation, slug=slug)
    if not access.is_finance_officer(request.user, host):
        raise Http404
    return host


@login_required
def payouts(request, slug):
    host = _host(request, slug)
    approved = list(
        Expense.objects.filter(host=host, state=ExpenseState.APPROVED).select_related("initiative")
    )
    choices = [(str(e.pk), f"{e.initiative.name}: {e.description}") for e in approved]
    form = BatchForm(
        request.POST or None, choices=choices, initial={"execution_date": timezone.localdate()}
    )
    account = HostBankAccount.objects.filter(host=host).first()
    if request.method == "POST" and form.is_valid():
        try:
            batch = expenses.create_batch(
                host=host,
                expense_ids=[int(pk) for pk in form.cleaned_data["expenses"]],
                execution_date=form.cleaned_data["execution_date"],
                origin=Origin.from_request(request),
            )
        except services.HostingError as error:
            _error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Payout batch %(id)s is ready: download the SEPA file and upload it "
                    "to your bank."
                )
                % {"id": batch.batch_id},
            )
            return redirect("hosting:payouts", slug=host.slug)
    scheduled = Expense.objects.filter(host=host, state=ExpenseState.SCHEDULED).select_related(
        "initiative"
    )
    return render(
        request,
        "hosting/expenses/payouts.html",
        {
            "host": host,
            "form": form,
            "approved": approved,
            "scheduled": scheduled,
            "batches": PayoutBatch.objects.filter(host=host).defer("xml")[:20],
            "account": account,
            "account_form": BankAccountForm(
                initial={
                    "name": account.name,
                    "iban": account.iban,
                    "pain_version": account.pain_version,
                }
                if account
                else {"name": host.name}
            ),
        },
    )


@login_required
def bank_account(request, slug):
    host = _host(request, slug)
    form = BankAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expenses.set_bank_account(
                host=host, origin=Origin.from_request(request), **form.cleaned_data
            )
        except services.HostingError as error:
            _error(form, error)
        else:
            messages.success(request, _("The bank account has been saved."))
            return redirect("hosting:payouts", slug=host.slug)
    return render(request, "hosting/expenses/bank_account.html", {"host": host, "form": form})


@login_required
def batch_file(request, slug, pk):
    host = _host(request, slug)
    batch = get_object_or_404(PayoutBatch, pk=pk, host=host)
    response = HttpResponse(bytes(batch.xml), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.batch_id}.xml"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def statements(request, slug):
    host = _host(request, slug)
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if not hit("hosting.statement", str(request.user.pk), limit=30, window=3600):
            form.add_error("file", _("Too many uploads in a short time. Try again later."))
        elif upload.size > expenses.MAX_STATEMENT_BYTES:
            form.add_error("file", _("The file is too large: at most 100 MB."))
        else:
            try:
                result = expenses.import_statement(
                    host=host, data=upload.read(), origin=Origin.from_request(request)
                )
            except services.HostingError as error:
                form.add_error("file", error.messages[0])
            else:
                if result.statements:
                    messages.success(
                        request,
                        ngettext(
                            "Imported: %(lines)s line, %(linked)s linked to payments, "
                            "%(confirm)s to confirm.",
                            "Imported: %(lines)s lines, %(linked)s linked to payments, "
                            "%(confirm)s to confirm.",
                            result.lines,
                        )
                        % {
                            "lines": result.lines,
                            "linked": result.linked,
                            "confirm": result.to_confirm,
                        },
                    )
                    if result.on_hold:
                        messages.warning(
                            request,
                            ngettext(
                                "%(count)s payment could not be booked and is on hold; "
                                "the reason is shown with the line.",
                                "%(count)s payments could not be booked and are on hold; "
                                "the reason is shown with each line.",
                                result.on_hold,
                            )
                            % {"count": result.on_hold},
                        )
                    if result.on_hold:  # show the lines that wait, with their reasons
                        url = reverse("hosting:statements", args=[host.slug])
                        return redirect(f"{url}?regels=wachten")
                else:
                    messages.info(
                        request, _("This statement had already been imported. Nothing changed.")
                    )
                return redirect("hosting:statements", slug=host.slug)
    from .views_banklines import statement_list_context  # it imports this module

    return render(
        request,
        "hosting/expenses/statements.html",
        {"host": host, "form": form, **statement_list_context(request, host)},
    )


# --- volunteer allowances ----------------------------------------------------------------------


@login_required
def allowances(request):
    """A volunteer's own allowances this year against the limits, and what they declare."""
    today = timezone.localdate()
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day: datetime.date = form.cleaned_data["month"]
        try:
            expenses.declare_allowance(
                year=day.year,
                month=day.month,
                amount_cents=form.cleaned_data["amount"],
                origin=Origin.from_request(request),
            )
        except services.HostingError as error:
            _error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("hosting:allowances")
    received = Expense.objects.filter(
        volunteer=request.user,
        category="allowances",
        date__year=today.year,
        state__in=(*expenses.COMMITTED_STATES, ExpenseState.PAID),
    ).select_related("initiative")
    try:
        check = expenses.allowance_check(request.user, day=today, amount_cents=1)
    except services.HostingError:
        check = None
    return render(
        request,
        "hosting/expenses/allowances.html",
        {
            "form": form,
            "received": received,
            "declarations": AllowanceDeclaration.objects.filter(
                person=request.user, year=today.year
            ),
            "check": check,
            "year": today.year,
        },
    )


urlpatterns = [
    path("initiatief/<slug:slug>/uitgaven/", expense_list, name="expenses"),
    path("initiatief/<slug:slug>/uitgaven/nieuw/", expense_new, name="expense-new"),
    path("uitgave/<int:pk>/", expense_detail, name="expense"),
    path("uitgave/iban/", iban_check, name="iban-check"),
    path("uitgave/<int:pk>/bon/", receipt, name="receipt"),
    path("uitgave/<int:pk>/<slug:action>/", expense_action, name="expense-action"),
    path("host/<slug:slug>/uitbetalen/", payouts, name="payouts"),
    path("host/<slug:slug>/rekening/", bank_account, name="bank-account"),
    path("host/<slug:slug>/uitbetalen/<int:pk>/sepa.xml", batch_file, name="batch-file"),
    path("host/<slug:slug>/afschriften/", statements, name="statements"),
    path("vrijwilligersvergoeding/", allowances, name="allowances"),
]
