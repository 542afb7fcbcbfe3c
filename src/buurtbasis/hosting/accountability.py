"""Light accountability: the story, its report (PDF) and the overviews for the host and
the municipality (CSV, XLSX, PDF).

Writes take plain values and an :class:`Origin`. The overviews run a fixed number of
queries, whatever the number of initiatives and ledger entries: one for the grants
and one for the totals of their accounts (``queries.books``).

Every figure comes from the ledger: received is the credit of a grant's income
account, spent the debit of its expense accounts per category, left its earmark.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.access import organisations_where
from buurtbasis.organisations.models import Organisation, Role
from buurtbasis.platform import uploads
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.spreadsheets import xlsx_bytes

from . import access, queries
from .models import Grant, LedgerTransaction
from .models_budget import GrantBudgetLine
from .models_reports import (
    AccountabilityReport,
    AccountabilityReportStatus,
    AccountabilityStory,
    MunicipalityReport,
    StoryPhoto,
)

logger = logging.getLogger(__name__)

MAX_PHOTOS = 3


class AccountabilityError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# -- who may see what ---------------------------------------------------------------------------


def is_civil_servant_of(user, cbs_code: str) -> bool:
    """A civil servant of the gemeente organisation of this municipality."""
    if not getattr(user, "is_authenticated", False):
        return False
    return organisations_where(user, Role.CIVIL_SERVANT).municipality_of(cbs_code).exists()


def can_read_report(user, story: AccountabilityStory, cbs_code: str) -> bool:
    """The initiative's members, the host's staff and the municipality's civil servants
    (the caller has scoped the initiative to that municipality)."""
    return (
        access.is_initiator(user, story.initiative)
        or access.is_host_staff(user, story.host_id)
        or is_civil_servant_of(user, cbs_code)
    )


def municipality_block(request, **objects):
    """On the dashboard of a civil servant of this site's municipality: the way to its
    report across hosts."""
    from buurtbasis.platform.tenancy import get_tenant

    if not is_civil_servant_of(request.user, get_tenant(request).cbs_code):
        return None
    return {}


# -- the story ----------------------------------------------------------------------------------


@transaction.atomic
def write_story(
    *,
    initiative,
    host,
    grant: Grant | None,
    period: str,
    what_happened: str,
    who_took_part: str,
    photos: list,
    origin: Origin,
) -> AccountabilityStory:
    """Store an initiative's story with its photos.

    Photos go through ``platform.uploads`` like receipts: re-encoded without metadata
    (``ensure_clean_image``: a form has usually done so already), stored in the private
    storage under a random name with the SHA-256 of what is stored (``save_private``),
    and removed again when the story is refused after all or a photo row is deleted
    (``receivers.remove_story_photo_file``)."""
    actor = origin.actor
    if not access.is_initiator(actor, initiative):
        raise AccountabilityError(_("Only the members of the initiative can write its story."))
    if grant is not None and (grant.initiative_id != initiative.pk or grant.host_id != host.pk):
        raise AccountabilityError(_("Choose a grant of this initiative."))
    if grant is None and not period.strip():
        raise AccountabilityError(_("Choose a grant or describe the period."))
    if not what_happened.strip() or not who_took_part.strip():
        raise AccountabilityError(_("Tell what happened and who took part."))
    if len(photos) > MAX_PHOTOS:
        raise AccountabilityError(_("Add at most three photos."))
    try:
        photos = [uploads.ensure_clean_image(photo) for photo in photos]
    except ValidationError as error:
        raise AccountabilityError(error.messages[0]) from None
    stored = []
    try:
        story = AccountabilityStory.objects.create(
            initiative=initiative,
            host=host,
            grant=grant,
            period=period.strip()[:100],
            what_happened=what_happened.strip(),
            who_took_part=who_took_part.strip(),
            written_by=actor,
        )
        for photo in photos:
            stored.append(uploads.save_private(photo, "stories"))
            StoryPhoto.objects.create(story=story, file=stored[-1].name, sha256=stored[-1].sha256)
        record_event(
            action="hosting.story_written",
            target=story,
            origin=origin,
            details={"grant": grant.pk if grant else None, "photos": len(photos)},
        )
    except BaseException:
        for file in stored:  # nothing half: no photo without its story
            uploads.private_storage().delete(file.name)
        raise
    return story


def stories_of(initiative):
    return AccountabilityStory.objects.filter(initiative=initiative).select_related("grant")


# -- the accountability report (PDF) -----------------------------------------------------------


def report_version(story: AccountabilityStory) -> str:
    """The story's last change and the initiative's last ledger transaction: a report made
    for another version is made again."""
    last = LedgerTransaction.objects.filter(initiative_id=story.initiative_id).aggregate(
        last=Max("id")
    )["last"]
    return f"{story.updated_at.isoformat()}|{last or 0}"[:64]


def request_pdf(model, lookup: dict, version: str, task):
    """The row for ``lookup``; a background task is enqueued unless it is ready for this
    version or already being made for it (and not stuck)."""
    from buurtbasis.platform.tasks import enqueue_on_commit

    with transaction.atomic():
        report, created = model.objects.select_for_update().get_or_create(
            **lookup, defaults={"requested_for": version}
        )
        if report.is_ready_for(version):
            return report
        waiting = (
            report.status == AccountabilityReportStatus.PENDING and report.requested_for == version
        )
        if not created and waiting and not report.is_stuck():
            return report
        report.status = AccountabilityReportStatus.PENDING
        report.requested_for = version
        report.requested_at = timezone.now()
        report.error = ""
        report.save()
        enqueue_on_commit(task, report_id=report.pk)
    return report


def request_report(*, story: AccountabilityStory, language: str) -> AccountabilityReport:
    """Ask for the story's report in this language; a ready or waiting one is not asked again."""
    from .tasks import make_accountability_report

    return request_pdf(
        AccountabilityReport,
        {"story": story, "language": language},
        report_version(story),
        make_accountability_report,
    )


def municipality_version() -> str:
    """The last grant and the last ledger transaction on the install."""
    last_grant = Grant.objects.aggregate(last=Max("id"))["last"] or 0
    last_txn = LedgerTransaction.objects.aggregate(last=Max("id"))["last"] or 0
    return f"{last_grant}|{last_txn}"


def request_municipality_report(*, cbs_code: str, language: str) -> MunicipalityReport:
    from .tasks import make_municipality_report

    return request_pdf(
        MunicipalityReport,
        {"cbs_code": cbs_code, "language": language},
        municipality_version(),
        make_municipality_report,
    )


def story_summary(story: AccountabilityStory) -> queries.Books:
    """The financial summary of the story: its grant, or every grant of the initiative,
    with the budget per category where the host set budget lines."""
    grants = (
        [story.grant]
        if story.grant_id
        else list(Grant.objects.filter(initiative_id=story.initiative_id, host_id=story.host_id))
    )
    return queries.books(story.initiative, grants, with_budget=True)


def _photo_uri(name: str) -> str | None:
    import base64

    try:
        with uploads.private_storage().open(name, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    kind = "png" if name.endswith(".png") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def report_html(story: AccountabilityStory) -> str:
    photos = [uri for uri in (_photo_uri(p.file) for p in story.photos.all()) if uri]
    return render_to_string(
        "hosting/reports/story_report.html",
        {
            "story": story,
            "books": story_summary(story),
            "photos": photos,
            "printed_at": timezone.now(),
        },
    )


def _pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    stylesheets = [
        CSS(filename=finders.find("budgets/council_report.css")),
        CSS(filename=finders.find("hosting/report.css")),
    ]
    return HTML(string=html).write_pdf(stylesheets=stylesheets)


def render_pdf(model, report_id: int, make_pdf, version_of, prefix) -> str:
    report = model.objects.filter(pk=report_id).first()
    if report is None or report.status != AccountabilityReportStatus.PENDING:
        return "skipped"
    version = version_of(report)
    try:
        with translation.override(report.language):
            pdf = make_pdf(report)
    except Exception as exc:
        logger.exception("%s %s failed", model.__name__, report_id)
        model.objects.filter(pk=report_id).update(
            status=AccountabilityReportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        raise
    storage = uploads.private_storage()
    name = storage.save(
        f"reports/{prefix}-{report.language}-{uuid.uuid4().hex[:12]}.pdf", ContentFile(pdf)
    )
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=report_id)
        old = current.file
        current.file = name
        current.status = AccountabilityReportStatus.DONE
        current.made_for = version
        current.finished_at = timezone.now()
        current.save()
    if old and old != name:
        storage.delete(old)
    return "rendered"


def render_report(*, report_id: int) -> str:
    """What the report task does: render the PDF of the story and store it privately."""
    return render_pdf(
        AccountabilityReport,
        report_id,
        lambda report: _pdf(report_html(report.story)),
        lambda report: report_version(report.story),
        "story",
    )


def render_municipality_report(*, report_id: int) -> str:
    """What the municipality's report task does: the overview across hosts as a PDF."""

    def make(report):
        rows = municipality_overview(report.cbs_code)
        return overview_pdf(rows, title=_("Fiscal hosting in the municipality"))

    return render_pdf(
        MunicipalityReport, report_id, make, lambda report: municipality_version(), "gemeente"
    )


# -- overviews for the host and the municipality ----------------------------------------------


@dataclass
class OverviewRow:
    host: Organisation
    initiative: Initiative
    grant: Grant
    received: int
    spent: int
    left: int
    #: The sum of the grant's budget lines (None without lines) and the labels of the
    #: categories over budget (``with_budget``).
    budget: int | None = None
    over_budget: tuple[str, ...] = ()


def _rows(grants, with_budget: bool = False) -> list[OverviewRow]:
    """Received, spent and left of every grant in the queryset ``grants``: two queries
    (``queries.summaries``, with ``grants`` as a subquery rather than a list of ids), three
    with the budget lines (``with_budget``)."""
    ordered = list(grants.select_related("host", "initiative"))
    summaries = queries.summaries(ordered, ids=grants.values("pk"))
    if with_budget:
        by_pk = {summary.grant.pk: summary for summary in summaries}
        lines = GrantBudgetLine.objects.filter(grant_id__in=grants.values("pk")).values_list(
            "grant_id", "category", "amount_cents"
        )
        for grant_id, category, cents in lines:
            by_pk[grant_id].budget_by_category[category] = cents
    return [
        OverviewRow(
            host=summary.grant.host,
            initiative=summary.grant.initiative,
            grant=summary.grant,
            received=summary.received,
            spent=summary.spent,
            left=summary.left,
            budget=summary.budget_lines_total if summary.budget_by_category else None,
            over_budget=tuple(row.label for row in summary.over_budget),
        )
        for summary in summaries
    ]


def host_overview(host, *, with_budget: bool = False) -> list[OverviewRow]:
    """Every grant the host holds, per initiative: two queries (three ``with_budget``)."""
    return _rows(Grant.objects.filter(host=host).order_by("initiative__name", "pk"), with_budget)


def municipality_overview(cbs_code: str, *, with_budget: bool = False) -> list[OverviewRow]:
    """Every grant of the initiatives in this municipality, per host: two queries (three
    ``with_budget``)."""
    return _rows(
        Grant.objects.filter(initiative__in=Initiative.objects.in_municipality(cbs_code)).order_by(
            "host__name", "initiative__name", "pk"
        ),
        with_budget,
    )


def totals(rows: list[OverviewRow]) -> dict[str, int]:
    return {
        "received": sum(r.received for r in rows),
        "spent": sum(r.spent for r in rows),
        "left": sum(r.left for r in rows),
    }


def _euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def overview_table(rows: list[OverviewRow]) -> tuple[list[str], list[list]]:
    header = [
        _("Host"),
        _("Initiative"),
        _("Grant"),
        _("Received (euros)"),
        _("Spent (euros)"),
        _("Left (euros)"),
        _("Budget per category in total (euros)"),
        _("Over budget"),
    ]
    body = [
        [
            r.host.name,
            r.initiative.name,
            r.grant.label,
            _euros(r.received),
            _euros(r.spent),
            _euros(r.left),
            "" if r.budget is None else _euros(r.budget),
            ", ".join(r.over_budget),
        ]
        for r in rows
    ]
    return header, body


def overview_xlsx(header: list[str], rows: list[list], *, title: str) -> bytes:
    return xlsx_bytes(
        header,
        rows,
        title=title,
        sheet=_("Overview"),
        money_columns="DEFG",
        widths=(30, 30, 36, 16, 16, 16, 18, 30),
    )


def overview_pdf(rows: list[OverviewRow], *, title: str) -> bytes:
    """The overview as a PDF (about 8 s for 1,000 grants: made by a background task)."""
    html = render_to_string(
        "hosting/reports/overview_report.html",
        {"rows": rows, "totals": totals(rows), "title": title, "printed_at": timezone.now()},
    )
    return _pdf(html)
