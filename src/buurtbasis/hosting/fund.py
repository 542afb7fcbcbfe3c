"""The municipality's initiatives fund: every write (set up, apply, answer, decide).

Services take plain values and an :class:`~buurtbasis.platform.audit.Origin` and check
who may act. A refused write raises :class:`~buurtbasis.hosting.services.HostingError`
with a message for people and stores nothing.

- A fund is set up and changed by the civil servants of its municipality only.
- An initiator of a hosted initiative (active agreement) in that municipality applies
  while the fund is open; one open application per initiative and fund.
- A civil servant of the fund's municipality decides: granted (in full or a lower amount,
  with a reason when lower), refused (with a reason), or a question back to the applicant.
  Nobody decides on an application of an initiative they are an initiator of.
- A grant is booked through :func:`services.record_grant` in the same transaction, once
  per application, and never beyond what is left of the fund's budget (the fund's row is
  locked while deciding, so two decisions at the same moment queue).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse as url_for
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop, ngettext
from django.utils.translation import gettext as _

from buurtbasis.accounts.models import User
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Organisation, Role
from buurtbasis.platform import uploads
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.models import Tenant
from buurtbasis.platform.money import format_euros
from buurtbasis.platform.notifications import notify

from . import access, services
from .accountability import is_civil_servant_of
from .models import GrantSource
from .models_fund import (
    OPEN_APPLICATION_STATES,
    ApplicationState,
    FundApplication,
    InitiativesFund,
)
from .services import MAX_AMOUNT_CENTS, HostingError

MAX_COST_LINES = 5
MAX_WHAT = 2000
MAX_FOR_WHOM = 1000
MAX_WHEN = 200
MAX_REASON = 2000


class Decision:
    GRANT = "grant"
    REFUSE = "refuse"
    QUESTION = "question"
    ALL = (GRANT, REFUSE, QUESTION)


def _actor(origin: Origin | None):
    return origin.actor if origin is not None else None


def _forbidden() -> HostingError:
    return HostingError(_("You may not do this."), code="forbidden")


def may_manage(user, cbs_code: str) -> bool:
    """Civil servants of the municipality set up its fund and decide on applications."""
    return is_civil_servant_of(user, cbs_code)


def _require_servant(origin: Origin, cbs_code: str) -> None:
    actor = _actor(origin)
    if actor is None:
        return  # the system (the demo loader, a command)
    if not may_manage(actor, cbs_code):
        raise _forbidden()


def _amount(cents, *, field_message: str | None = None) -> int:
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise HostingError(_("The amount must be whole cents."), code="amount")
    if cents <= 0:
        raise HostingError(field_message or _("The amount must be more than zero."), code="amount")
    if cents > MAX_AMOUNT_CENTS:
        raise HostingError(_("The amount is too large."), code="amount")
    return cents


def municipality_name(cbs_code: str) -> str:
    tenant = Tenant.objects.filter(cbs_code=cbs_code.upper()).first()
    if tenant is not None and tenant.name:
        return tenant.name
    gemeente = Organisation.objects.municipality_of(cbs_code).first()
    if gemeente is not None:
        return gemeente.name.removeprefix("Gemeente ").strip() or gemeente.name
    return cbs_code.upper()


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def granted_total(fund: InitiativesFund) -> int:
    return (
        fund.applications.filter(state=ApplicationState.GRANTED).aggregate(
            total=Sum("granted_cents")
        )["total"]
        or 0
    )


def remaining(fund: InitiativesFund) -> int:
    """What is left of the fund's budget."""
    return fund.budget_cents - granted_total(fund)


def funds_in(cbs_code: str):
    return InitiativesFund.objects.filter(cbs_code=cbs_code.upper())


def waiting_counts(cbs_code: str) -> list[InitiativesFund]:
    """The municipality's funds that have applications waiting, with their counts (one query)."""
    return list(
        funds_in(cbs_code)
        .annotate(
            waiting=Count("applications", filter=Q(applications__state=ApplicationState.SUBMITTED))
        )
        .filter(waiting__gt=0)
        .order_by("-year", "name")[:10]
    )


def grant_label(fund: InitiativesFund) -> str:
    """The label of a grant from the fund, stored in the site's language."""
    return services.stored_text(
        gettext_noop("Initiatives fund %(municipality)s %(year)s"),
        municipality=fund.municipality_name,
        year=fund.year,
    )


# ---------------------------------------------------------------------------------------------
# Telling people
# ---------------------------------------------------------------------------------------------


def _servants(cbs_code: str):
    gemeenten = Organisation.objects.municipality_of(cbs_code).values("pk")
    return User.objects.filter(
        memberships__organisation__in=gemeenten,
        memberships__role=Role.CIVIL_SERVANT,
        is_active=True,
    ).distinct()


def _tell(people, kind: str, application: FundApplication, origin: Origin, **extra) -> None:
    actor = _actor(origin)
    context = {
        "application": application,
        "fund": application.fund,
        "initiative": application.initiative,
        "state": application.get_state_display(),
        "link": url_for("hosting:fund-application", args=[application.pk]),
        **extra,
    }
    seen = set()
    for person in people:
        if person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        notify(
            person,
            kind,
            context,
            language=origin.language if origin else "",
            municipality=application.fund.cbs_code,
        )


def _tell_initiative(application, kind, origin, **extra):
    _tell(application.initiative.members.filter(is_active=True), kind, application, origin, **extra)


# ---------------------------------------------------------------------------------------------
# The fund
# ---------------------------------------------------------------------------------------------


def _check_fund_fields(*, name, description, year, budget_cents, max_cents, opens_on, closes_on):
    if not name.strip():
        raise HostingError(_("Give the fund a name."), code="name")
    if not description.strip():
        raise HostingError(_("Say in a few lines what the fund pays for."), code="description")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise HostingError(_("Enter a year, e.g. 2026."), code="year")
    if not isinstance(budget_cents, int) or budget_cents < 0 or budget_cents > MAX_AMOUNT_CENTS:
        raise HostingError(_("The budget cannot be negative."), code="budget")
    _amount(max_cents)
    if max_cents > budget_cents:
        raise HostingError(
            _("The most per application cannot be more than the budget."), code="max"
        )
    if closes_on < opens_on:
        raise HostingError(_("The closing date cannot be before the opening date."), code="dates")


@transaction.atomic
def create_fund(
    *,
    cbs_code: str,
    year: int,
    name: str,
    description: str,
    budget_cents: int,
    max_per_application_cents: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    origin: Origin,
) -> InitiativesFund:
    """A civil servant of the municipality sets up its fund for a year."""
    cbs_code = cbs_code.upper()
    _require_servant(origin, cbs_code)
    _check_fund_fields(
        name=name,
        description=description,
        year=year,
        budget_cents=budget_cents,
        max_cents=max_per_application_cents,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    exists = _("The municipality already has an initiatives fund for %(year)s.") % {"year": year}
    if funds_in(cbs_code).filter(year=year).exists():
        raise HostingError(exists, code="exists")
    try:
        with transaction.atomic():
            fund = InitiativesFund.objects.create(
                cbs_code=cbs_code,
                municipality_name=municipality_name(cbs_code)[:200],
                year=year,
                name=name.strip()[:200],
                description=description.strip(),
                budget_cents=budget_cents,
                max_per_application_cents=max_per_application_cents,
                opens_on=opens_on,
                closes_on=closes_on,
                created_by=_actor(origin),
            )
    except IntegrityError:  # set up at the same moment
        raise HostingError(exists, code="exists") from None
    record_event(
        action="hosting.fund_created",
        target=fund,
        origin=origin,
        details={"budget_cents": budget_cents, "year": year, "cbs_code": cbs_code},
    )
    return fund


@transaction.atomic
def change_fund(
    *,
    fund: InitiativesFund,
    name: str,
    description: str,
    budget_cents: int,
    max_per_application_cents: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    origin: Origin,
) -> InitiativesFund:
    """Change a fund; its budget never drops below what it granted already."""
    fund = InitiativesFund.objects.select_for_update().get(pk=fund.pk)
    _require_servant(origin, fund.cbs_code)
    _check_fund_fields(
        name=name,
        description=description,
        year=fund.year,
        budget_cents=budget_cents,
        max_cents=max_per_application_cents,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    granted = granted_total(fund)
    if budget_cents < granted:
        raise HostingError(
            _("The fund has granted %(granted)s already; the budget cannot be less.")
            % {"granted": _euros(granted)},
            code="budget",
        )
    before = {"budget_cents": fund.budget_cents, "closes_on": fund.closes_on}
    fund.name = name.strip()[:200]
    fund.description = description.strip()
    fund.budget_cents = budget_cents
    fund.max_per_application_cents = max_per_application_cents
    fund.opens_on = opens_on
    fund.closes_on = closes_on
    fund.save()
    record_event(
        action="hosting.fund_changed",
        target=fund,
        origin=origin,
        details={"before": before, "budget_cents": budget_cents, "closes_on": closes_on},
    )
    return fund


def _euros(cents: int) -> str:
    return format_euros(cents, language=get_language() or "nl")


# ---------------------------------------------------------------------------------------------
# Applying
# ---------------------------------------------------------------------------------------------


def in_municipality(initiative, cbs_code: str) -> bool:
    return Initiative.objects.in_municipality(cbs_code).filter(pk=initiative.pk).exists()


def _clean_lines(cost_lines) -> list[dict]:
    clean = []
    for line in cost_lines or []:
        description = str(line.get("description", "")).strip()
        cents = line.get("amount_cents")
        if not description and cents in (None, ""):
            continue
        if not description:
            raise HostingError(_("Say what each cost line is for."), code="cost_lines")
        if cents in (None, ""):
            raise HostingError(
                _("Enter the amount of the cost line “%(line)s”.") % {"line": description[:60]},
                code="cost_lines",
            )
        _amount(cents)
        clean.append({"description": description[:140], "amount_cents": cents})
    if len(clean) > MAX_COST_LINES:
        raise HostingError(
            ngettext(
                "Use at most %(n)s cost line.", "Use at most %(n)s cost lines.", MAX_COST_LINES
            )
            % {"n": MAX_COST_LINES},
            code="cost_lines",
        )
    return clean


def _short(limit: int) -> str:
    return ngettext(
        "Keep it short: at most %(n)s character.", "Keep it short: at most %(n)s characters.", limit
    ) % {"n": limit}


def _check_text(value: str, limit: int, empty: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise HostingError(empty, code=code)
    if len(value) > limit:
        raise HostingError(_short(limit), code=code)
    return value


def _clean_attachment(attachment):
    """A checked image (re-encoded, no metadata) or PDF; HostingError otherwise."""
    try:
        attachment.seek(0)
        head = attachment.read(5)
        attachment.seek(0)
        if head == b"%PDF-":
            return uploads.clean_pdf(attachment)
        return uploads.clean_image(attachment)
    except ValidationError as error:
        raise HostingError(error.messages[0], code="attachment") from None


def can_apply(user, initiative, fund: InitiativesFund) -> tuple[bool, str]:
    """(may apply, why not) for an initiator; the reason is the code of the refusal."""
    if not access.is_initiator(user, initiative):
        return False, "forbidden"
    if services.active_agreement(initiative) is None:
        return False, "not_hosted"
    if not fund.is_open_on(timezone.localdate()):
        return False, "closed"
    return True, ""


@transaction.atomic
def apply(
    *,
    fund: InitiativesFund,
    initiative,
    what: str,
    for_whom: str,
    when: str,
    amount_cents: int | None,
    cost_lines=(),
    attachment=None,
    origin: Origin,
) -> FundApplication:
    """An initiator of a hosted initiative asks the fund for money."""
    actor = _actor(origin)
    if not access.is_initiator(actor, initiative):
        raise _forbidden()
    if not in_municipality(initiative, fund.cbs_code):
        raise HostingError(
            _("This initiative is not in the municipality of this fund."), code="municipality"
        )
    if services.active_agreement(initiative) is None:
        raise HostingError(
            _(
                "Your initiative has no host yet. A host keeps the money and the books: "
                "ask a host first, then apply."
            ),
            code="not_hosted",
        )
    if not fund.is_open_on(timezone.localdate()):
        raise HostingError(_("The fund is not open for applications now."), code="closed")
    what = _check_text(what, MAX_WHAT, _("Say what you want to do."), "what")
    for_whom = _check_text(for_whom, MAX_FOR_WHOM, _("Say for whom it is."), "for_whom")
    when = _check_text(when, MAX_WHEN, _("Say when it happens."), "when")
    lines = _clean_lines(cost_lines)
    if lines:
        total = sum(line["amount_cents"] for line in lines)
        if amount_cents not in (None, 0) and amount_cents != total:
            raise HostingError(
                _("The cost lines add up to %(total)s, not to the amount you entered.")
                % {"total": _euros(total)},
                code="total",
            )
        amount_cents = total
    if amount_cents is None:
        raise HostingError(_("Enter the amount you ask for."), code="amount")
    _amount(amount_cents)
    if amount_cents > fund.max_per_application_cents:
        raise HostingError(
            _("You can ask for at most %(max)s.") % {"max": _euros(fund.max_per_application_cents)},
            code="max",
        )
    already = _("Your initiative already has an application waiting with this fund.")
    if fund.applications.filter(initiative=initiative, state__in=OPEN_APPLICATION_STATES).exists():
        raise HostingError(already, code="open")
    clean = _clean_attachment(attachment) if attachment is not None else None
    stored = uploads.save_private(clean, "fund") if clean is not None else None
    try:
        with transaction.atomic():
            application = FundApplication.objects.create(
                fund=fund,
                initiative=initiative,
                applicant=actor,
                what=what,
                for_whom=for_whom,
                when=when,
                amount_cents=amount_cents,
                cost_lines=lines,
                attachment=stored.name if stored else "",
                attachment_sha256=stored.sha256 if stored else "",
                attachment_type=clean.content_type if clean else "",
            )
            record_event(
                action="hosting.fund_applied",
                target=application,
                origin=origin,
                details={
                    "fund": fund.pk,
                    "amount_cents": amount_cents,
                    "attachment_sha256": application.attachment_sha256,
                },
            )
            _tell(_servants(fund.cbs_code), "hosting.fund_submitted", application, origin)
    except IntegrityError:  # an application made at the same moment
        _remove(stored)
        raise HostingError(already, code="open") from None
    except Exception:
        _remove(stored)  # nothing half: no file without its application
        raise
    return application


def _remove(stored) -> None:
    if stored is not None:
        uploads.private_storage().delete(stored.name)


def _lock_application(application) -> FundApplication:
    return (
        FundApplication.objects.select_for_update(of=("self",))
        .select_related("fund", "initiative")
        .get(pk=application.pk)
    )


@transaction.atomic
def answer(*, application: FundApplication, answer: str, origin: Origin) -> FundApplication:
    """The applicant answers the civil servant's question; the application waits again."""
    application = _lock_application(application)
    if not access.is_initiator(_actor(origin), application.initiative):
        raise _forbidden()
    if application.state != ApplicationState.QUESTION:
        raise HostingError(_("There is no question to answer."), code="state")
    application.answer = _check_text(answer, MAX_REASON, _("Write your answer."), "answer")
    application.state = ApplicationState.SUBMITTED
    application.save(update_fields=["answer", "state"])
    record_event(action="hosting.fund_answered", target=application, origin=origin)
    _tell(_servants(application.fund.cbs_code), "hosting.fund_submitted", application, origin)
    return application


# ---------------------------------------------------------------------------------------------
# Deciding
# ---------------------------------------------------------------------------------------------


def may_decide(user, application: FundApplication) -> bool:
    return may_manage(user, application.fund.cbs_code) and not access.is_initiator(
        user, application.initiative
    )


@transaction.atomic
def decide(
    *,
    application: FundApplication,
    decision: str,
    reason: str = "",
    amount_cents: int | None = None,
    origin: Origin,
    date: datetime.date | None = None,
) -> FundApplication:
    """A civil servant of the fund's municipality grants, refuses or asks a question.

    Granting books the grant through the ledger in this transaction (once); the fund's
    row is locked first, so two decisions at the same moment cannot both spend the last
    euro of the budget.
    """
    actor = _actor(origin)
    # Lock order: the fund, then the application (every decision takes them so).
    fund = InitiativesFund.objects.select_for_update().get(pk=application.fund_id)
    application = _lock_application(application)
    _require_servant(origin, fund.cbs_code)
    if actor is not None and access.is_initiator(actor, application.initiative):
        raise HostingError(
            _("You are an initiator of this initiative: a colleague decides."), code="own"
        )
    if application.state != ApplicationState.SUBMITTED:
        raise HostingError(_("This application is not waiting for a decision."), code="state")
    if decision not in Decision.ALL:
        raise HostingError(_("Choose a decision."), code="decision")
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise HostingError(_short(MAX_REASON), code="reason")
    now = timezone.now()
    if decision == Decision.QUESTION:
        if not reason:
            raise HostingError(_("Write your question."), code="reason")
        application.state = ApplicationState.QUESTION
        application.question = reason
        application.answer = ""
        application.save(update_fields=["state", "question", "answer"])
        record_event(
            action="hosting.fund_question",
            target=application,
            origin=origin,
            details={"question": reason},
        )
        _tell_initiative(application, "hosting.fund_question", origin, question=reason)
        return application
    if decision == Decision.REFUSE:
        if not reason:
            raise HostingError(_("Give a reason for the refusal."), code="reason")
        application.state = ApplicationState.REFUSED
        application.reason = reason
        application.decided_by = actor
        application.decided_at = now
        application.save(update_fields=["state", "reason", "decided_by", "decided_at"])
        record_event(
            action="hosting.fund_refused",
            target=application,
            origin=origin,
            details={"reason": reason, "amount_cents": application.amount_cents},
        )
        _tell_initiative(application, "hosting.fund_decided", origin, reason=reason)
        return application
    # granted
    amount = application.amount_cents if amount_cents is None else amount_cents
    _amount(amount)
    if amount > application.amount_cents:
        raise HostingError(
            _("You cannot grant more than was asked (%(asked)s).")
            % {"asked": _euros(application.amount_cents)},
            code="more_than_asked",
        )
    if amount < application.amount_cents and not reason:
        raise HostingError(_("Say why you grant less than was asked."), code="reason")
    left = remaining(fund)
    if amount > left:
        raise HostingError(
            _("Only %(left)s is left in the fund.") % {"left": _euros(left)},
            code="budget",
        )
    try:
        grant = services.record_grant(
            initiative=application.initiative,
            source=GrantSource.FUND,
            label=grant_label(fund),
            amount_cents=amount,
            date=date or timezone.localdate(),
            origin=origin,
            authorised=True,
        )
    except HostingError as error:
        if error.code == "not_hosted":
            raise HostingError(
                _("This initiative has no active host now, so the money cannot be booked."),
                code="not_hosted",
            ) from None
        raise
    application.state = ApplicationState.GRANTED
    application.granted_cents = amount
    application.reason = reason
    application.decided_by = actor
    application.decided_at = now
    application.grant = grant
    application.save(
        update_fields=["state", "granted_cents", "reason", "decided_by", "decided_at", "grant"]
    )
    record_event(
        action="hosting.fund_granted",
        target=application,
        origin=origin,
        details={
            "amount_cents": amount,
            "asked_cents": application.amount_cents,
            "reason": reason,
            "grant": grant.pk,
            "fund_left_cents": left - amount,
        },
    )
    _tell_initiative(application, "hosting.fund_decided", origin, reason=reason)
    return application


# ---------------------------------------------------------------------------------------------
# Registration (called from ``HostingConfig.ready``)
# ---------------------------------------------------------------------------------------------


def register() -> None:
    from django.utils.translation import gettext_lazy

    from buurtbasis.platform.blocks import register_block
    from buurtbasis.platform.notifications import register_kind
    from buurtbasis.platform.privacy import register_eraser, register_exporter

    from . import privacy_fund, views_fund

    folder = "hosting/fund/notifications/"
    for key, label in [
        ("submitted", gettext_lazy("An application to our initiatives fund waits for a decision")),
        (
            "decided",
            gettext_lazy("An application of my initiative to the initiatives fund is decided"),
        ),
        ("question", gettext_lazy("The initiatives fund has a question about our application")),
    ]:
        register_kind(
            f"hosting.fund_{key}",
            label=label,
            subject=f"{folder}{key}_subject.txt",
            text=f"{folder}{key}_body.txt",
            line=f"{folder}{key}_line.txt",
        )
    register_exporter("hosting_fund", privacy_fund.export_applications)
    register_eraser("hosting_fund", privacy_fund.erase_applications)
    register_block(
        "dashboard",
        key="hosting.fund",
        template="hosting/fund/_dashboard.html",
        context=views_fund.dashboard_block,
        order=47,
    )
