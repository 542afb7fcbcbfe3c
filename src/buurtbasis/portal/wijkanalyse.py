"""What the wijkprofiel shows, made from the area's snapshot: the page's context, the
gaps in words, and the printable wijkanalyse (PDF).

The PDF is made like the hosting reports: a ``BackgroundPdf`` row per area and language,
asked for with ``hosting.accountability``'s request and rendered by its render step
(WeasyPrint with the council report's stylesheet), into private storage.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from buurtbasis.areas.models import Area
from buurtbasis.hosting import accountability
from buurtbasis.platform.blocks import pdf_blocks_for

from . import profile
from .models import WijkProfileSnapshot, WijkReport

#: A group is "missing" when its share of the participants is this many points below
#: its share of the area's inhabitants.
GAP_POINTS = 5

BAND_PEOPLE = {
    "0-14": gettext_lazy("children under 15"),
    "15-24": gettext_lazy("young people aged 15 to 24"),
    "25-44": gettext_lazy("people aged 25 to 44"),
    "45-64": gettext_lazy("people aged 45 to 64"),
    "65+": gettext_lazy("people aged 65 or older"),
}
BAND_LABELS = {
    "0-14": gettext_lazy("Under 15"),
    "15-24": gettext_lazy("15 to 24"),
    "25-44": gettext_lazy("25 to 44"),
    "45-64": gettext_lazy("45 to 64"),
    "65+": gettext_lazy("65 or older"),
}
GROUP_LABELS = {
    "voters": gettext_lazy("voters"),
    "initiators": gettext_lazy("initiators"),
    "tellers": gettext_lazy("storytellers"),
}


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def _format(value: str | None, decimals: int) -> str:
    if value is None:
        return _("no data")
    return number_format(Decimal(value), decimal_pos=decimals, force_grouping=True)


def figure_rows(data: dict) -> list[dict]:
    """The key figures with both values formatted and bar widths (0-100) for the chart."""
    english = _english()
    rows = []
    for row in data["figures"]["rows"]:
        value = None if row["value"] is None else Decimal(row["value"])
        municipal = None if row["municipal"] is None else Decimal(row["municipal"])
        # Counts (inhabitants, dwellings) of a wijk and a whole municipality are not
        # comparable as bars: those rows are in the table only.
        comparable = row["kind"] != "count" and value is not None and municipal is not None
        top = max(value or 0, municipal or 0) if comparable else 0
        rows.append(
            {
                "title": row["title_en"] if english else row["title_nl"],
                "unit": row["unit_en"] if english else row["unit_nl"],
                "kind": row["kind"],
                "value": _format(row["value"], row["decimals"]),
                "municipal": _format(row["municipal"], row["decimals"]),
                "chart": comparable and top > 0,
                "width": round(float(value * 100 / top), 1) if comparable and top else 0,
                "municipal_width": round(float(municipal * 100 / top), 1)
                if comparable and top
                else 0,
            }
        )
    return rows


def participation_rows(data: dict) -> dict:
    """Per age band: the CBS share and each group's share (None: too few people)."""
    part = data["participation"]
    groups = [g for g in profile.GROUPS if part["groups"][g]["total"] is not None]
    rows = []
    for band, *_rest in profile.AGE_BANDS:
        rows.append(
            {
                "band": band,
                "label": BAND_LABELS[band],
                "cbs": part["cbs"].get(band),
                "shares": [
                    {
                        "group": g,
                        "label": GROUP_LABELS[g],
                        "share": part["groups"][g]["shares"][band],
                    }
                    for g in groups
                ],
            }
        )
    return {
        "rows": rows,
        "groups": [
            {"key": g, "label": GROUP_LABELS[g], "total": part["groups"][g]["total"]}
            for g in groups
        ],
        "hidden_groups": [GROUP_LABELS[g] for g in profile.GROUPS if g not in groups],
        "has_cbs": any(v is not None for v in part["cbs"].values()),
    }


def gaps(data: dict, place: str) -> list[str]:
    """For each group, the age band most missing among its participants, in words."""
    part = data["participation"]
    sentences = []
    for group in profile.GROUPS:
        shares = part["groups"][group]["shares"]
        if part["groups"][group]["total"] is None:
            continue
        worst = None
        for band, *_rest in profile.AGE_BANDS:
            cbs, share = part["cbs"].get(band), shares.get(band)
            if cbs is None or share is None:
                continue
            gap = cbs - share
            if gap >= GAP_POINTS and (worst is None or gap > worst[0]):
                worst = (gap, band, cbs, share)
        if worst:
            _gap, band, cbs, share = worst
            sentences.append(
                _("%(who)s are %(area)s%% of %(place)s, but %(share)s%% of the %(group)s.")
                % {
                    "who": capfirst(str(BAND_PEOPLE[band])),
                    "area": cbs,
                    "place": place,
                    "share": share,
                    "group": GROUP_LABELS[group],
                }
            )
    return sentences


def profile_context(area: Area, snapshot: WijkProfileSnapshot) -> dict:
    data = snapshot.data
    return {
        "area": area,
        "municipality": profile.municipality_of(area),
        "snapshot": snapshot,
        "figures": figure_rows(data),
        "figure_year": data["figures"]["year"],
        "sources": data["figures"]["sources"],
        "initiatives": data["initiatives"],
        "rounds": data["rounds"],
        "money": data["money"],
        "participation": participation_rows(data),
        "gaps": gaps(data, area.name),
        "min_cell": profile.MIN_CELL,
    }


# -- the wijkanalyse (PDF) ---------------------------------------------------------------------


def pdf_blocks(area: Area, snapshot: WijkProfileSnapshot) -> list:
    """The page blocks that can be printed (stories, signals), without a request."""
    return pdf_blocks_for("wijkprofiel", area=area, profile=snapshot.data, language=get_language())


def version_of(snapshot: WijkProfileSnapshot) -> str:
    """A PDF made from another snapshot, or with other stories or signals, is made again."""
    blocks = [(b.key, b.context) for b in pdf_blocks(snapshot.area, snapshot)]
    what = [snapshot.pk, snapshot.computed_at.isoformat(), blocks]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def request_report(*, area: Area, language: str) -> WijkReport:
    """Ask for the area's wijkanalyse in this language (not again when ready or waiting)."""
    from .tasks import make_wijk_report

    snapshot = profile.snapshot_for(area)
    return accountability.request_pdf(
        WijkReport, {"area": area, "language": language}, version_of(snapshot), make_wijk_report
    )


def report_html(area: Area) -> str:
    snapshot = profile.snapshot_for(area)
    context = profile_context(area, snapshot)
    context["printed_at"] = timezone.now()
    context["blocks"] = pdf_blocks(area, snapshot)
    return render_to_string("portal/wijkanalyse.html", context)


def report_pdf(area: Area) -> bytes:
    from weasyprint import CSS, HTML

    stylesheets = [
        CSS(filename=finders.find("budgets/council_report.css")),
        CSS(filename=finders.find("portal/wijkanalyse.css")),
    ]
    return HTML(string=report_html(area)).write_pdf(stylesheets=stylesheets)


def render_report(*, report_id: int) -> str:
    """What the report task does: render the area's wijkanalyse and store it privately."""
    return accountability.render_pdf(
        WijkReport,
        report_id,
        lambda report: report_pdf(report.area),
        lambda report: version_of(profile.snapshot_for(report.area)),
        "wijkanalyse",
    )
