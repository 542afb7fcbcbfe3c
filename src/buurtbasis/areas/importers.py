"""Read CBS files into plain records, checking everything that needs no database.

Three kinds of file are understood:

- the CBS variables dictionary (``kwb2024_85984NED_variabelen.csv``: columns
  ``Key``, ``Title``, ``Unit``, ``Decimals``…) → indicator definitions;
- GeoJSON FeatureCollections of gemeenten (``gemeentecode``), wijken
  (``wijkcode``) or buurten (``cbsCode``, ``buurtcode`` or ``statcode``) →
  areas with boundaries, plus the key figures the features carry;
- CBS key-figure CSVs (``kwb2024_gm_wk_basis_….csv``: a ``code`` column and one
  column per CBS key) → key figures.

Every problem raises :class:`AreaImportError` naming the file, the row or
feature and the reason; :mod:`buurtbasis.areas.services` writes the records.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtcore.geo import GeometryProblem, validate_geometry

from .models import AreaLevel, IndicatorKind, MissingReason

# CBS's codes: numeric, and from the 2022 classification on also alphanumeric
# (Amsterdam: WK0363AA, BU0363AA01).
CODE_PATTERNS = {
    AreaLevel.MUNICIPALITY: re.compile(r"GM\d{4}"),
    AreaLevel.DISTRICT: re.compile(r"WK\d{6}|WK\d{4}[A-Z]{2}"),
    AreaLevel.NEIGHBOURHOOD: re.compile(r"BU\d{8}|BU\d{4}[A-Z]{2}\d{2}"),
}
PREFIX_LEVEL = {
    "GM": AreaLevel.MUNICIPALITY,
    "WK": AreaLevel.DISTRICT,
    "BU": AreaLevel.NEIGHBOURHOOD,
}
LEVEL_RANK = {AreaLevel.MUNICIPALITY: 0, AreaLevel.DISTRICT: 1, AreaLevel.NEIGHBOURHOOD: 2}
FIRST_ALPHANUMERIC_YEAR = 2022
FIRST_YEAR = 1990

# CBS sentinels for values that are kept secret or unknown.
SENTINELS = {
    Decimal("-99997"): MissingReason.SUPPRESSED.value,
    Decimal("-99995"): MissingReason.UNAVAILABLE.value,
}
UNAVAILABLE = MissingReason.UNAVAILABLE.value
EMPTY_MARKERS = {"", ".", "null", "none", "nan"}

# Figures carried by the PDOK/CBS "Wijk- en buurtkaart" GeoJSON, by property name.
GEOJSON_FIGURES = {
    "aantal_inwoners": "AantalInwoners_5",
    "mannen": "Mannen_6",
    "vrouwen": "Vrouwen_7",
    "0_15": "percentagePersonen0Tot15Jaar",
    "15_25": "percentagePersonen15Tot25Jaar",
    "25_45": "percentagePersonen25Tot45Jaar",
    "45_65": "percentagePersonen45Tot65Jaar",
    "65plus": "percentagePersonen65JaarEnOuder",
    "huishoudens": "HuishoudensTotaal_29",
    "gem_huishouden_grootte": "GemiddeldeHuishoudensgrootte_33",
    "bevolkingsdichtheid": "Bevolkingsdichtheid_34",
    "personenautos": "PersonenautoSTotaal_111",
    "auto_per_huishouden": "PersonenautoSPerHuishouden_114",
    "auto_per_km2": "PersonenautoSNaarOppervlakte_115",
    "motorfietsen": "Motorfietsen_116",
    "opp_land": "OppervlakteLand_123",
    "opp_water": "OppervlakteWater_124",
    "omgevingsadressendichtheid": "Omgevingsadressendichtheid_128",
    "stedelijkheid": "MateVanStedelijkheid_127",
}
# Columns of a key-figure CSV that describe the row rather than hold a figure.
CSV_META_COLUMNS = {
    "code",
    "niveau",
    "gemeentecode",
    "naam",
    "name",
    "regio",
    "soortregio",
    "id",
    "gemeentenaam_1",
    "soortregio_2",
    "codering_3",
    "indelingswijzigingwijkenenbuurten_4",
    "indelingswijzigingGemeenteWijkBuurt_4",
}
CSV_META_COLUMNS = {c.lower() for c in CSV_META_COLUMNS}
COUNT_UNITS = {"aantal", "ha"}
CODE_UNITS = {"code", "naam", "omschrijving"}
MAX_ABS_VALUE = Decimal("1e14")


class AreaImportError(Exception):
    """A file cannot be imported. ``str()`` names the file, the place and the reason."""

    def __init__(self, file: str, location: str, reason: str):
        self.file = file
        self.location = location
        self.reason = reason
        where = f"{file}, {location}" if location else file
        super().__init__(f"{where}: {reason}")


@dataclass
class Figure:
    value: Decimal | None
    missing_reason: str = ""


@dataclass
class IndicatorRecord:
    key: str
    title_nl: str
    title_en: str
    unit_nl: str
    unit_en: str
    decimals: int
    description_nl: str
    table_id: str
    position: int
    kind: str


@dataclass
class AreaRecord:
    code: str
    name: str
    level: str
    parent_code: str | None
    boundary: dict
    figures: dict[str, Figure]
    location: str


@dataclass
class FigureRow:
    code: str
    figures: dict[str, Figure]
    location: str


@dataclass
class ParsedFile:
    path: Path
    kind: str  # "variables", "areas" or "figures"
    year: int | None
    indicators: list[IndicatorRecord] = field(default_factory=list)
    areas: list[AreaRecord] = field(default_factory=list)
    rows: list[FigureRow] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    skipped: int = 0
    header_location: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def rank(self) -> int:
        """Import order: definitions, then areas from the top down, then figures."""
        if self.kind == "variables":
            return 0
        if self.kind == "areas":
            return 1 + min((LEVEL_RANK[a.level] for a in self.areas), default=0)
        return 9


def level_of(code: str) -> str | None:
    """The area level a CBS code belongs to, from its prefix.

    >>> level_of("WK019310"), level_of("XX12")
    ('wijk', None)
    """
    level = PREFIX_LEVEL.get(code[:2])
    return str(level) if level else None


def municipality_code(code: str) -> str:
    """The gemeente code of any CBS area code.

    >>> municipality_code("BU0363AA01")
    'GM0363'
    """
    return "GM" + code[2:6]


def district_code(code: str) -> str:
    """The wijk code of a buurt code.

    >>> district_code("BU0363AA01"), district_code("BU01931001")
    ('WK0363AA', 'WK019310')
    """
    return "WK" + code[2:8]


def year_in_name(name: str) -> int | None:
    """The year a file name mentions, when it mentions exactly one.

    >>> year_in_name("kwb2024_gm_wk_basis.csv"), year_in_name("85984NED.csv")
    (2024, None)
    >>> year_in_name("wijken_2023_2024.geojson") is None
    True
    """
    years = {int(m) for m in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", name)}
    return years.pop() if len(years) == 1 else None


def indicator_kind(unit: str, decimals: int) -> str:
    """How an indicator compares with the municipality, from its CBS unit.

    >>> indicator_kind("aantal", 0), indicator_kind("aantal", 1), indicator_kind("%", 0)
    ('count', 'rate', 'rate')
    >>> indicator_kind("code", 0)
    'code'
    """
    base = unit.strip().lower()
    if base.split(" ")[0] in CODE_UNITS:
        return str(IndicatorKind.CODE)
    if base in COUNT_UNITS and decimals == 0:
        return str(IndicatorKind.COUNT)
    return str(IndicatorKind.RATE)


def check_code(code: object, year: int, *, file: str, location: str) -> str:
    """Check a CBS code's format and that the format exists in ``year``; return the code."""
    if not isinstance(code, str) or not code.strip():
        raise AreaImportError(file, location, _("the CBS code is missing."))
    code = code.strip()
    level = level_of(code)
    if level is None or not CODE_PATTERNS[level].fullmatch(code):
        raise AreaImportError(
            file,
            location,
            _(
                "“%(code)s” is not a CBS code (expected GM + 4 digits, WK + 6 or "
                "BU + 8 characters, such as GM0193, WK019310 or BU0363AA01)."
            )
            % {"code": code},
        )
    if year < FIRST_ALPHANUMERIC_YEAR and not code[2:].isdigit():
        raise AreaImportError(
            file,
            location,
            _(
                "code %(code)s has letters in it; CBS only uses such codes from "
                "%(first)s on, so it cannot belong to %(year)s."
            )
            % {"code": code, "first": FIRST_ALPHANUMERIC_YEAR, "year": year},
        )
    return code


def parse_figure(raw: object, *, decimal_comma: bool = False) -> Figure:
    """Turn one cell or property into a figure; CBS sentinels become missing values.

    >>> parse_figure("1203")
    Figure(value=Decimal('1203'), missing_reason='')
    >>> parse_figure(-99997)
    Figure(value=None, missing_reason='suppressed')
    >>> parse_figure(None).missing_reason, parse_figure(".").missing_reason
    ('unavailable', 'unavailable')
    >>> parse_figure("2,1", decimal_comma=True).value
    Decimal('2.1')
    """
    if raw is None:
        return Figure(None, UNAVAILABLE)
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float):
        text = repr(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if text.lower() in EMPTY_MARKERS:
            return Figure(None, UNAVAILABLE)
        if decimal_comma:
            text = text.replace(".", "").replace(",", ".")
    else:
        raise ValueError(raw)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not number.is_finite():
        raise ValueError(raw)
    if number in SENTINELS:
        return Figure(None, SENTINELS[number])
    if abs(number) >= MAX_ABS_VALUE:
        raise ValueError(raw)
    if number.as_tuple().exponent < -4:
        number = number.quantize(Decimal("0.0001"))
    return Figure(number)


def _figure_or_error(raw, *, file, location, column, decimal_comma=False) -> Figure:
    try:
        return parse_figure(raw, decimal_comma=decimal_comma)
    except ValueError:
        raise AreaImportError(
            file,
            location,
            _("the value “%(value)s” in “%(column)s” is not a number.")
            % {"value": raw, "column": column},
        ) from None


def geometry_message(problem: GeometryProblem) -> str:
    place = {
        "polygon": (problem.polygon or 0) + 1,
        "ring": (problem.ring or 0) + 1,
        "point": (problem.point or 0) + 1,
        "value": problem.value,
    }
    messages = {
        "missing": _("the feature has no geometry."),
        "type": _("the geometry is a %(value)s; only Polygon and MultiPolygon are allowed."),
        "structure": _("the coordinates of polygon %(polygon)s are not a list of rings."),
        "too_few_points": ngettext(
            "ring %(ring)s of polygon %(polygon)s has %(value)s point; a ring needs at least 4.",
            "ring %(ring)s of polygon %(polygon)s has %(value)s points; a ring needs at least 4.",
            problem.value if isinstance(problem.value, int) else 0,
        ),
        "not_closed": _(
            "ring %(ring)s of polygon %(polygon)s is not closed (its last point must "
            "equal its first)."
        ),
        "coordinate": _(
            "point %(point)s of ring %(ring)s (polygon %(polygon)s) is not a "
            "longitude/latitude pair: %(value)s."
        ),
        "longitude": _(
            "point %(point)s of ring %(ring)s (polygon %(polygon)s) has longitude "
            "%(value)s, outside −180…180 (are longitude and latitude swapped, or is "
            "it not WGS84?)."
        ),
        "latitude": _(
            "point %(point)s of ring %(ring)s (polygon %(polygon)s) has latitude "
            "%(value)s, outside −90…90 (is it not WGS84?)."
        ),
    }
    return _("invalid geometry: %(reason)s") % {"reason": messages[problem.code] % place}


def _iso_year(value: object) -> int | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10]).year
    except ValueError:
        return None


def resolve_year(path: Path, year: int | None, *, validity_dates: bool = False) -> int:
    """The year to import a file as: the option, checked against the file name."""
    from_name = year_in_name(path.name)
    if year is None:
        if from_name is None:
            raise AreaImportError(
                path.name,
                "",
                _("the file name does not say which year it is; give --year."),
            )
        return from_name
    if from_name is not None and from_name != year and not validity_dates:
        raise AreaImportError(
            path.name,
            "",
            _(
                "the file name says %(file_year)s, but you asked for %(year)s. Use the "
                "file of %(year)s or give --year %(file_year)s."
            )
            % {"file_year": from_name, "year": year},
        )
    return year


def _check_year_range(path: Path, year: int) -> None:
    latest = datetime.date.today().year + 1
    if not FIRST_YEAR <= year <= latest:
        raise AreaImportError(
            path.name,
            "",
            _("%(year)s is not a year with CBS data (%(first)s–%(latest)s).")
            % {"year": year, "first": FIRST_YEAR, "latest": latest},
        )


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AreaImportError(str(path), "", _("the file does not exist.")) from None
    except UnicodeDecodeError as exc:
        raise AreaImportError(
            path.name, "", _("the file is not UTF-8 text (byte %(pos)s).") % {"pos": exc.start}
        ) from None
    except OSError as exc:
        raise AreaImportError(str(path), "", str(exc)) from None


def parse_file(path: Path, *, year: int | None = None, gemeente: str | None = None) -> ParsedFile:
    """Read and check one file. Raises :class:`AreaImportError` on the first problem."""
    path = Path(path)
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return parse_geojson(path, text, year=year, gemeente=gemeente)
    if suffix == ".csv":
        return parse_csv(path, text, year=year, gemeente=gemeente)
    raise AreaImportError(
        path.name, "", _("unknown kind of file; give a .csv, .geojson or .json file.")
    )


def _csv_rows(path: Path, text: str) -> tuple[list[str], list[list[str]], bool]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise AreaImportError(
            path.name, "", _("the CSV cannot be read: %(error)s") % {"error": exc}
        ) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise AreaImportError(path.name, _("row 1"), _("the file has no header row."))
    header = [cell.strip() for cell in rows[0]]
    return header, rows[1:], delimiter == ";"


def parse_csv(path: Path, text: str, *, year: int | None, gemeente: str | None) -> ParsedFile:
    header, rows, decimal_comma = _csv_rows(path, text)
    if {"Key", "Title", "Unit", "Decimals"} <= set(header):
        return parse_variables(path, header, rows)
    if "code" not in header and "WijkenEnBuurten" in header:
        # CBS's own OData export names the code column after the dimension.
        header = ["code" if c == "WijkenEnBuurten" else c for c in header]
    if "code" not in header:
        raise AreaImportError(
            path.name,
            _("row 1"),
            _(
                "this is neither a CBS variables file (columns Key, Title, Unit, "
                "Decimals) nor a key-figure file (a “code” column and one column per "
                "CBS key)."
            ),
        )
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        raise AreaImportError(
            path.name,
            _("row 1"),
            _("column “%(column)s” appears more than once.") % {"column": duplicates[0]},
        )
    year = resolve_year(path, year)
    _check_year_range(path, year)
    parsed = ParsedFile(path=path, kind="figures", year=year, header_location=_("row 1"))
    parsed.columns = [c for c in header if c.lower() not in CSV_META_COLUMNS and c]
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        location = _("row %(number)s") % {"number": number}
        if len(cells) != len(header):
            raise AreaImportError(
                path.name,
                location,
                ngettext(
                    "the row has %(cells)s field, but the header has %(columns)s.",
                    "the row has %(cells)s fields, but the header has %(columns)s.",
                    len(cells),
                )
                % {"cells": len(cells), "columns": len(header)},
            )
        row = dict(zip(header, cells, strict=True))
        code = check_code(row["code"], year, file=path.name, location=location)
        location = f"{location} ({code})"
        owner = municipality_code(code)
        given_owner = row.get("gemeentecode", "").strip()
        if given_owner and given_owner != owner:
            raise AreaImportError(
                path.name,
                location,
                _("code %(code)s does not belong to gemeente %(gemeente)s.")
                % {"code": code, "gemeente": given_owner},
            )
        level = row.get("niveau", "").strip().lower()
        if level and level != level_of(code):
            raise AreaImportError(
                path.name,
                location,
                _("the level “%(level)s” does not match code %(code)s.")
                % {"level": level, "code": code},
            )
        if gemeente and owner != gemeente:
            parsed.skipped += 1
            continue
        if code in seen:
            raise AreaImportError(
                path.name,
                location,
                _("code %(code)s appears twice (rows %(first)s and %(second)s).")
                % {"code": code, "first": seen[code], "second": number},
            )
        seen[code] = number
        figures = {
            column: _figure_or_error(
                row[column],
                file=path.name,
                location=location,
                column=column,
                decimal_comma=decimal_comma,
            )
            for column in parsed.columns
        }
        parsed.rows.append(FigureRow(code=code, figures=figures, location=location))
    return parsed


def parse_variables(path: Path, header: list[str], rows: list[list[str]]) -> ParsedFile:
    parsed = ParsedFile(path=path, kind="variables", year=None)
    default_table = ""
    match = re.search(r"\d{5}[A-Z]{3}", path.name)
    if match:
        default_table = match.group(0)
    seen: set[str] = set()
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        location = _("row %(number)s") % {"number": number}
        if len(cells) != len(header):
            raise AreaImportError(
                path.name,
                location,
                ngettext(
                    "the row has %(cells)s field, but the header has %(columns)s.",
                    "the row has %(cells)s fields, but the header has %(columns)s.",
                    len(cells),
                )
                % {"cells": len(cells), "columns": len(header)},
            )
        row = {k: v.strip() for k, v in zip(header, cells, strict=True)}
        key = row["Key"]
        if row.get("Type", "Topic") != "Topic" or not key:
            continue
        if not re.fullmatch(r"[A-Za-z0-9_]+", key):
            raise AreaImportError(
                path.name, location, _("“%(key)s” is not a CBS key.") % {"key": key}
            )
        if key in seen:
            raise AreaImportError(
                path.name, location, _("key %(key)s appears twice.") % {"key": key}
            )
        seen.add(key)
        try:
            decimals = int(row["Decimals"] or 0)
            if not 0 <= decimals <= 4:
                raise ValueError
        except ValueError:
            raise AreaImportError(
                path.name,
                location,
                _("“%(value)s” in column Decimals is not a whole number from 0 to 4.")
                % {"value": row["Decimals"]},
            ) from None
        try:
            position = int(float(row.get("ID") or number))
        except ValueError:
            position = number
        if not row["Title"]:
            raise AreaImportError(path.name, location, _("the title is empty."))
        parsed.indicators.append(
            IndicatorRecord(
                key=key,
                title_nl=row["Title"][:200],
                title_en=row.get("Title_en", "")[:200],
                unit_nl=row["Unit"][:80],
                unit_en=row.get("Unit_en", "")[:80],
                decimals=decimals,
                description_nl=row.get("Description", ""),
                table_id=(row.get("Table") or default_table)[:80],
                position=position,
                kind=indicator_kind(row["Unit"], decimals),
            )
        )
    if not parsed.indicators:
        raise AreaImportError(path.name, "", _("the file defines no CBS keys (Type “Topic”)."))
    return parsed


def _feature_identity(props: dict) -> tuple[str | None, str | None]:
    """(code, name) of a feature, whatever the source's property names."""
    for code_key, name_keys in (
        ("cbsCode", ("naam", "buurtnaam")),
        ("buurtcode", ("buurtnaam", "naam")),
        ("wijkcode", ("wijknaam", "naam")),
        ("statcode", ("statnaam", "naam")),
        ("gemeentecode", ("gemeentenaam", "naam")),
    ):
        if props.get(code_key):
            names = [props.get(k) for k in name_keys if props.get(k)]
            return props[code_key], (names[0] if names else None)
    return None, None


def parse_geojson(path: Path, text: str, *, year: int | None, gemeente: str | None) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AreaImportError(
            path.name,
            _("line %(line)s, column %(column)s") % {"line": exc.lineno, "column": exc.colno},
            _("the file is not valid JSON (%(error)s).") % {"error": exc.msg},
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise AreaImportError(path.name, "", _("the file is not a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise AreaImportError(path.name, "", _("the FeatureCollection has no list of features."))
    has_validity = any(
        isinstance(f, dict)
        and isinstance(f.get("properties"), dict)
        and f["properties"].get("beginGeldigheid")
        for f in features
    )
    year = resolve_year(path, year, validity_dates=has_validity)
    _check_year_range(path, year)
    parsed = ParsedFile(path=path, kind="areas", year=year)
    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        location = _("feature %(number)s") % {"number": number}
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise AreaImportError(path.name, location, _("the feature has no properties."))
        props = feature["properties"]
        raw_code, name = _feature_identity(props)
        if raw_code is None:
            raise AreaImportError(
                path.name,
                location,
                _(
                    "the feature has no CBS code (a property gemeentecode, wijkcode, "
                    "cbsCode, buurtcode or statcode)."
                ),
            )
        code = check_code(raw_code, year, file=path.name, location=location)
        location = f"{location} ({code})"
        owner = municipality_code(code)
        given_owner = props.get("gemeentecode")
        if given_owner and given_owner != owner:
            raise AreaImportError(
                path.name,
                location,
                _("code %(code)s does not belong to gemeente %(gemeente)s.")
                % {"code": code, "gemeente": given_owner},
            )
        if gemeente and owner != gemeente:
            parsed.skipped += 1
            continue
        if str(props.get("water", "")).upper() == "JA":
            # PDOK's wijk- en buurtkaart has separate water-only parts; the land part counts.
            parsed.skipped += 1
            continue
        if code in seen:
            raise AreaImportError(
                path.name,
                location,
                _("code %(code)s appears twice (features %(first)s and %(second)s).")
                % {"code": code, "first": seen[code], "second": number},
            )
        seen[code] = number
        if not isinstance(name, str) or not name.strip():
            raise AreaImportError(path.name, location, _("the feature has no name."))
        begin, end = _iso_year(props.get("beginGeldigheid")), _iso_year(props.get("eindGeldigheid"))
        if (begin and year < begin) or (end and year > end):
            raise AreaImportError(
                path.name,
                location,
                _("this area is valid from %(begin)s to %(end)s, not in %(year)s.")
                % {
                    "begin": (props.get("beginGeldigheid") or "")[:10] or "…",
                    "end": (props.get("eindGeldigheid") or "")[:10] or "…",
                    "year": year,
                },
            )
        problem = validate_geometry(feature.get("geometry"))
        if problem:
            raise AreaImportError(path.name, location, geometry_message(problem))
        level = level_of(code)
        parent = None
        if level == AreaLevel.DISTRICT:
            parent = owner
        elif level == AreaLevel.NEIGHBOURHOOD:
            parent = district_code(code)
        figures = {
            key: _figure_or_error(props[prop], file=path.name, location=location, column=prop)
            for prop, key in GEOJSON_FIGURES.items()
            if prop in props
        }
        geometry = feature["geometry"]
        parsed.areas.append(
            AreaRecord(
                code=code,
                name=name.strip()[:200],
                level=level,
                parent_code=parent,
                boundary={"type": geometry["type"], "coordinates": geometry["coordinates"]},
                figures=figures,
                location=location,
            )
        )
    if not parsed.areas and not parsed.skipped:
        raise AreaImportError(path.name, "", _("the file has no features."))
    return parsed
