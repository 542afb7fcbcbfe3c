"""Areas: importing CBS files, the bundled demo data, and the figures pages show.

Every write to areas, indicators and key figures goes through this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .importers import AreaImportError, ParsedFile, parse_file
from .models import Area, AreaLevel, Indicator, IndicatorKind, IndicatorValue, MissingReason

DATA_DIR = Path(__file__).resolve().parent / "data"
ZWOLLE_CODE = "GM0193"
ZWOLLE_YEAR = 2024
BUNDLED_ZWOLLE_FILES = (
    "kwb2024_85984NED_variabelen_zwolle.csv",
    "gemeenten_2024_zwolle.geojson",
    "wijken_2024_zwolle.geojson",
    "kwb2024_gm_wk_basis_zwolle.csv",
)
ROTTERDAM_CODE = "GM0599"
BUNDLED_ROTTERDAM_FILES = (
    "kwb2024_85984NED_variabelen_zwolle.csv",  # the dictionary holds no Zwolle data
    "gemeenten_2024_rotterdam.geojson",
    "wijken_2024_rotterdam.geojson",
    "kwb2024_gm_wk_basis_rotterdam.csv",
)
#: The municipalities whose CBS files ship with the project (for the demo), by code.
BUNDLED = {ZWOLLE_CODE: BUNDLED_ZWOLLE_FILES, ROTTERDAM_CODE: BUNDLED_ROTTERDAM_FILES}
VERSION_KEY = "areas:data-version"
__all__ = [
    "AreaImportError",
    "ImportReport",
    "import_area_files",
    "load_bundled_municipality",
    "load_bundled_zwolle",
]


@dataclass
class FileReport:
    name: str
    created: int = 0
    updated: int = 0
    indicators: int = 0
    figures: int = 0
    skipped: int = 0
    unknown_keys: set[str] = field(default_factory=set)


@dataclass
class ImportReport:
    imported: list[FileReport] = field(default_factory=list)
    errors: list[AreaImportError] = field(default_factory=list)


def data_version() -> int:
    """A number that changes whenever areas or figures are imported (for cache keys)."""
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump_data_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def import_area_files(
    *, paths: Sequence[Path | str], year: int | None = None, gemeente: str | None = None
) -> ImportReport:
    """Import CBS variables, GeoJSON and key-figure files; each file is atomic.

    Files are read and checked first, then written in a sensible order
    (definitions, gemeenten, wijken, buurten, figures), each in its own
    transaction. A broken file is reported in ``errors`` and nothing of it is
    written; the other files are still imported. Re-importing a file changes
    nothing (rows are keyed on (year, code)).
    """
    report = ImportReport()
    parsed: list[ParsedFile] = []
    for path in paths:
        try:
            parsed.append(parse_file(Path(path), year=year, gemeente=gemeente))
        except AreaImportError as exc:
            report.errors.append(exc)
    for item in sorted(parsed, key=lambda p: p.rank):
        try:
            with transaction.atomic():
                report.imported.append(_write(item))
        except AreaImportError as exc:
            report.errors.append(exc)
    if report.imported:
        bump_data_version()
    return report


def _write(parsed: ParsedFile) -> FileReport:
    file_report = FileReport(name=parsed.name, skipped=parsed.skipped)
    if parsed.kind == "variables":
        for record in parsed.indicators:
            defaults = {
                "title_nl": record.title_nl,
                "unit_nl": record.unit_nl,
                "decimals": record.decimals,
                "description_nl": record.description_nl,
                "table_id": record.table_id,
                "position": record.position,
                "kind": record.kind,
            }
            # CBS's own dictionary is Dutch only: keep English titles we already have.
            if record.title_en:
                defaults["title_en"] = record.title_en
            if record.unit_en:
                defaults["unit_en"] = record.unit_en
            Indicator.objects.update_or_create(key=record.key, defaults=defaults)
            file_report.indicators += 1
    elif parsed.kind == "areas":
        _write_areas(parsed, file_report)
    else:
        _write_figure_rows(parsed, file_report)
    return file_report


def _write_areas(parsed: ParsedFile, file_report: FileReport) -> None:
    """Create or update the file's areas level by level, in a few queries per level."""
    year = parsed.year
    indicators = {i.key: i for i in Indicator.objects.all()}
    codes = {a.code for a in parsed.areas} | {a.parent_code for a in parsed.areas if a.parent_code}
    known: dict[str, Area] = {a.code: a for a in Area.objects.filter(year=year, code__in=codes)}
    taken_slugs = dict(Area.objects.filter(year=year).values_list("slug", "code"))
    source = f"CBS/PDOK, Wijk- en buurtkaart {year}"
    values: list[IndicatorValue] = []
    for level in (AreaLevel.MUNICIPALITY, AreaLevel.DISTRICT, AreaLevel.NEIGHBOURHOOD):
        records = sorted((a for a in parsed.areas if a.level == level), key=lambda a: a.code)
        new: list[Area] = []
        changed: list[Area] = []
        for record in records:
            parent = None
            if record.parent_code:
                parent = known.get(record.parent_code)
                if parent is None:
                    raise AreaImportError(
                        parsed.name,
                        record.location,
                        _(
                            "unknown code %(parent)s: there is no such area for %(year)s. "
                            "Import the file with %(parent)s first."
                        )
                        % {"parent": record.parent_code, "year": year},
                    )
            area = known.get(record.code)
            if area is None:
                slug = slugify(record.name)[:150] or record.code.lower()
                if taken_slugs.get(slug, record.code) != record.code:
                    slug = f"{slug}-{record.code.lower()}"
                taken_slugs[slug] = record.code
                area = Area(year=year, code=record.code, slug=slug)
                new.append(area)
            else:
                changed.append(area)
            area.name, area.level, area.parent = record.name, record.level, parent
            area.boundary = record.boundary
        Area.objects.bulk_create(new, batch_size=200)
        if not all(a.pk for a in new):  # backends that return no keys
            created = Area.objects.filter(year=year, code__in=[a.code for a in new])
            by_code = {a.code: a.pk for a in created}
            for area in new:
                area.pk = by_code[area.code]
        Area.objects.bulk_update(changed, ["name", "level", "parent", "boundary"], batch_size=200)
        file_report.created += len(new)
        file_report.updated += len(changed)
        for area in (*new, *changed):
            known[area.code] = area
        for record in records:
            area = known[record.code]
            for key, figure in record.figures.items():
                indicator = indicators.get(key)
                if indicator is None:
                    file_report.unknown_keys.add(key)
                    continue
                values.append(_value(area, indicator, year, figure, source, table_id=""))
    file_report.figures = _upsert_values(values)


def _write_figure_rows(parsed: ParsedFile, file_report: FileReport) -> None:
    year = parsed.year
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=parsed.columns)}
    unknown = [c for c in parsed.columns if c not in indicators]
    if unknown:
        raise AreaImportError(
            parsed.name,
            parsed.header_location,
            _(
                "column “%(column)s” is not a known CBS key. Import the CBS variables "
                "file (…_variabelen.csv) that defines it first."
            )
            % {"column": unknown[0]},
        )
    areas = {
        a.code: a
        for a in Area.objects.filter(year=year, code__in=[row.code for row in parsed.rows])
    }
    source = f"CBS, Kerncijfers wijken en buurten {year}"
    values: list[IndicatorValue] = []
    for row in parsed.rows:
        area = areas.get(row.code)
        if area is None:
            raise AreaImportError(
                parsed.name,
                row.location,
                _(
                    "unknown code %(code)s: there is no such area for %(year)s. Import "
                    "its boundaries (GeoJSON) for %(year)s first."
                )
                % {"code": row.code, "year": year},
            )
        for key, figure in row.figures.items():
            indicator = indicators[key]
            values.append(
                _value(area, indicator, year, figure, source, table_id=indicator.table_id)
            )
        file_report.updated += 1
    file_report.figures = _upsert_values(values)


def _value(area, indicator, year, figure, source, *, table_id) -> IndicatorValue:
    return IndicatorValue(
        area=area,
        indicator=indicator,
        year=year,
        value=figure.value,
        missing_reason=figure.missing_reason,
        source=source,
        table_id=table_id,
    )


def _upsert_values(values: list[IndicatorValue]) -> int:
    if values:
        IndicatorValue.objects.bulk_create(
            values,
            update_conflicts=True,
            unique_fields=["area", "indicator", "year"],
            update_fields=["value", "missing_reason", "source", "table_id"],
            batch_size=500,
        )
    return len(values)


def load_bundled_municipality(code: str) -> Area:
    """Import one bundled municipality's 2024 data (gemeente, wijken, figures); idempotent.

    ``code`` is a key of :data:`BUNDLED` (Zwolle GM0193, Rotterdam GM0599). Returns the
    gemeente. Raises :class:`AreaImportError` if a bundled file is broken.
    """
    report = import_area_files(
        paths=[DATA_DIR / name for name in BUNDLED[code]], year=ZWOLLE_YEAR, gemeente=code
    )
    if report.errors:
        raise report.errors[0]
    return Area.objects.get(year=ZWOLLE_YEAR, code=code)


def load_bundled_zwolle() -> Area:
    """Import the bundled Zwolle 2024 data (gemeente, 16 wijken, figures); idempotent."""
    return load_bundled_municipality(ZWOLLE_CODE)


# --- Reading -----------------------------------------------------------------


def get_municipality(*, code: str | None = None, year: int | None = None) -> Area | None:
    """The gemeente area with this CBS code; without a code, the default tenant's
    (setting BUURTBASIS_MUNICIPALITY_CODE). Views pass ``request.tenant.cbs_code``.

    Without a year, the latest year for which the municipality has areas.
    """
    code = code or getattr(settings, "BUURTBASIS_MUNICIPALITY_CODE", ZWOLLE_CODE)
    areas = Area.objects.municipalities().filter(code=code)
    if year is not None:
        return areas.filter(year=year).first()
    return areas.order_by("-year").first()


def get_districts(*, municipality: Area, with_boundary: bool = True) -> list[Area]:
    """The wijken of a municipality by code (one query; boundaries are large, so optional)."""
    districts = Area.objects.districts().filter(parent=municipality).order_by("code")
    if not with_boundary:
        districts = districts.defer("boundary")
    return list(districts)


def load_boundaries(areas: Sequence[Area]) -> None:
    """Fill in the boundaries of areas fetched without them, in one query."""
    boundaries = dict(
        Area.objects.filter(pk__in=[a.pk for a in areas]).values_list("pk", "boundary")
    )
    for area in areas:
        area.boundary = boundaries.get(area.pk)


def map_indicators(*, municipality: Area) -> list[Indicator]:
    """Numeric indicators with at least one value for the municipality's wijken."""
    return list(
        Indicator.objects.filter(
            values__area__parent=municipality,
            values__area__level=AreaLevel.DISTRICT,
            values__value__isnull=False,
        )
        .exclude(kind=IndicatorKind.CODE)
        .distinct()
        .order_by("position", "key")
    )


DEFAULT_INDICATOR = "Bevolkingsdichtheid_34"


def choose_indicator(indicators: Sequence[Indicator], key: str | None) -> Indicator | None:
    """The indicator asked for, else the default one, else the first."""
    by_key = {i.key: i for i in indicators}
    if key and key in by_key:
        return by_key[key]
    return by_key.get(DEFAULT_INDICATOR) or (indicators[0] if indicators else None)


def values_for(
    *, areas: Iterable[Area], indicators: Iterable[Indicator]
) -> dict[tuple[int, int], IndicatorValue]:
    """Key figures by (area id, indicator id), in one query."""
    areas = list(areas)
    indicators = list(indicators)
    rows = IndicatorValue.objects.filter(
        area__in=areas, indicator__in=indicators, year__in={a.year for a in areas}
    )
    return {(v.area_id, v.indicator_id): v for v in rows}


@dataclass
class KeyFigure:
    """One row of a wijk's key-figure table."""

    indicator: Indicator
    value: IndicatorValue
    municipal: IndicatorValue | None
    share: Decimal | None  # count indicators: the wijk's % of the municipal total


def key_figures(*, area: Area) -> list[KeyFigure]:
    """The area's key figures next to the municipality's (two queries)."""
    municipality = area.parent if area.level == AreaLevel.DISTRICT else None
    if area.level == AreaLevel.NEIGHBOURHOOD and area.parent:
        municipality = area.parent.parent
    values = list(
        IndicatorValue.objects.filter(area=area, year=area.year)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__key")
    )
    municipal: dict[int, IndicatorValue] = {}
    if municipality is not None:
        municipal = {
            v.indicator_id: v
            for v in IndicatorValue.objects.filter(
                area=municipality, year=area.year, indicator__in=[v.indicator for v in values]
            )
        }
    rows = []
    for value in values:
        other = municipal.get(value.indicator_id)
        share = None
        if (
            value.indicator.kind == IndicatorKind.COUNT
            and value.value is not None
            and other is not None
            and other.value
        ):
            share = (value.value * 100 / other.value).quantize(Decimal("0.1"))
        rows.append(KeyFigure(indicator=value.indicator, value=value, municipal=other, share=share))
    return rows


def missing_label(value: IndicatorValue | None) -> str:
    if value is None:
        return _("no data")
    if value.missing_reason == MissingReason.SUPPRESSED:
        return _("kept secret by CBS")
    return _("no data")


def indicators_by_key(keys: Sequence[str]) -> list[Indicator]:
    """The indicators with these keys that exist, in the given order (one query)."""
    found = {i.key: i for i in Indicator.objects.filter(key__in=keys)}
    return [found[k] for k in keys if k in found]
