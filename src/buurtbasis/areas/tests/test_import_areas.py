"""manage.py import_areas: good files, broken files (atomic, specific errors), idempotency."""

import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from buurtbasis.areas.models import Area, Indicator, IndicatorValue, MissingReason
from buurtbasis.areas.services import DATA_DIR, import_area_files, load_bundled_zwolle

from .factories import square

ROOT = Path(__file__).resolve().parents[4]
VARIABLES = DATA_DIR / "kwb2024_85984NED_variabelen_zwolle.csv"
GEMEENTEN = DATA_DIR / "gemeenten_2024_zwolle.geojson"
WIJKEN = DATA_DIR / "wijken_2024_zwolle.geojson"
FIGURES = DATA_DIR / "kwb2024_gm_wk_basis_zwolle.csv"


def run(*args):
    with translation.override("en"):
        call_command("import_areas", *[str(a) for a in args], stdout=io.StringIO())


def import_error(*args) -> str:
    with translation.override("en"), pytest.raises(CommandError) as excinfo:
        call_command("import_areas", *[str(a) for a in args], stdout=io.StringIO())
    return str(excinfo.value)


def snapshot():
    return (
        sorted(Area.objects.values_list("year", "code", "name", "parent__code", "slug")),
        sorted(
            IndicatorValue.objects.values_list(
                "area__code", "indicator__key", "year", "value", "missing_reason", "source"
            )
        ),
        Indicator.objects.count(),
    )


def write_geojson(tmp_path, name, features):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def wijk_feature(code="WK019399", name="Wijk 99 Proef", gemeente="GM0193", geometry=None):
    return {
        "type": "Feature",
        "properties": {"wijkcode": code, "wijknaam": name, "gemeentecode": gemeente},
        "geometry": geometry if geometry is not None else square(6.1, 52.5),
    }


@pytest.fixture
def base(db):
    """Variables and the Zwolle gemeente, so wijk files have a parent."""
    run(VARIABLES, GEMEENTEN)


def test_it_imports_the_bundled_zwolle_files(db):
    run(FIGURES, WIJKEN, GEMEENTEN, VARIABLES)  # any order: the command sorts them

    zwolle = Area.objects.get(year=2024, code="GM0193")
    wijken = Area.objects.filter(parent=zwolle, level="wijk")
    assert zwolle.level == "gemeente" and zwolle.boundary["type"] == "Polygon"
    assert wijken.count() == 16
    binnenstad = wijken.get(code="WK019310")
    assert binnenstad.name == "Wijk 10 Binnenstad"
    assert binnenstad.slug == "wijk-10-binnenstad"
    value = IndicatorValue.objects.get(area=binnenstad, indicator__key="AantalInwoners_5")
    assert value.value == Decimal("4225") and value.year == 2024
    assert value.source == "CBS, Kerncijfers wijken en buurten 2024"
    assert value.table_id == "85984NED"
    size = IndicatorValue.objects.get(
        area=binnenstad, indicator__key="GemiddeldeHuishoudensgrootte_33"
    )
    assert size.value == Decimal("1.4")
    indicator = Indicator.objects.get(key="Bevolkingsdichtheid_34")
    assert (indicator.title_nl, indicator.title_en, indicator.kind) == (
        "Bevolkingsdichtheid",
        "Population density",
        "rate",
    )
    assert Indicator.objects.get(key="AantalInwoners_5").kind == "count"


def test_it_is_idempotent(db):
    run(VARIABLES, GEMEENTEN, WIJKEN, FIGURES)
    first = snapshot()
    run(VARIABLES, GEMEENTEN, WIJKEN, FIGURES)
    assert snapshot() == first
    assert load_bundled_zwolle().code == "GM0193"
    assert snapshot() == first


def test_it_updates_changed_figures_in_place(base, tmp_path):
    run(WIJKEN)
    changed = tmp_path / "kwb2024_changed.csv"
    changed.write_text("code,AantalInwoners_5\nWK019310,4300\n")
    run(changed)
    values = IndicatorValue.objects.filter(area__code="WK019310", indicator__key="AantalInwoners_5")
    assert [v.value for v in values] == [Decimal("4300")]


def test_it_stores_cbs_missing_values_as_missing(base, tmp_path):
    run(WIJKEN)
    path = tmp_path / "kwb2024_missing.csv"
    path.write_text(
        "code,AantalInwoners_5,Bevolkingsdichtheid_34,Woningvoorraad_35\nWK019310,-99997,,-99995\n"
    )
    run(path)
    values = {
        v.indicator.key: v
        for v in IndicatorValue.objects.filter(area__code="WK019310").select_related("indicator")
    }
    assert values["AantalInwoners_5"].value is None
    assert values["AantalInwoners_5"].missing_reason == MissingReason.SUPPRESSED
    assert values["Bevolkingsdichtheid_34"].value is None
    assert values["Woningvoorraad_35"].missing_reason == MissingReason.UNAVAILABLE
    assert not IndicatorValue.objects.filter(value__lt=0).exists()


def test_it_filters_on_the_municipality(cbs_dir, db):
    run(
        "--gemeente",
        "GM0193",
        cbs_dir / "kwb2024_85984NED_variabelen.csv",
        cbs_dir / "gemeenten_2024_ams_rdam_zwolle.geojson",
        cbs_dir / "wijken_2024_ams_rdam_zwolle.geojson",
        cbs_dir / "kwb2024_gm_wk_basis_ams_rdam_zwolle.csv",
    )
    assert set(Area.objects.values_list("code", flat=True).filter(level="gemeente")) == {"GM0193"}
    assert Area.objects.filter(level="wijk").count() == 16
    assert not Area.objects.filter(code__startswith="WK0363").exists()


def test_it_imports_the_full_shared_files_with_amsterdam_buurten(cbs_dir, db):
    run(
        VARIABLES,
        cbs_dir / "gemeenten_2024_ams_rdam_zwolle.geojson",
        cbs_dir / "wijken_2024_ams_rdam_zwolle.geojson",
        cbs_dir / "kwb2024_gm_wk_basis_ams_rdam_zwolle.csv",
    )
    run("--year", "2024", cbs_dir / "amsterdam_buurten_gebieden_2022.geojson")

    assert Area.objects.filter(level="gemeente").count() == 3
    assert Area.objects.filter(level="wijk").count() == 149
    buurt = Area.objects.get(year=2024, code="BU0363AA01")
    assert buurt.level == "buurt" and buurt.parent.code == "WK0363AA"
    assert Area.objects.filter(level="buurt").count() == 518
    centrum = Area.objects.get(code="WK059901")
    assert IndicatorValue.objects.get(
        area=centrum, indicator__key="AantalInwoners_5"
    ).value == Decimal("42565")


# --- Broken files: a specific error and nothing imported from that file ------------


def test_it_rejects_a_bad_csv_row_and_imports_nothing_of_it(base, tmp_path):
    run(WIJKEN)
    before = snapshot()
    path = tmp_path / "kwb2024_bad.csv"
    path.write_text(
        "code,AantalInwoners_5,Bevolkingsdichtheid_34\nWK019310,4300,8000\nWK019311,veel,5952\n"
    )
    message = import_error(path)
    assert "kwb2024_bad.csv, row 3 (WK019311)" in message
    assert "“veel” in “AantalInwoners_5” is not a number" in message
    assert snapshot() == before  # not even row 2 was written


def test_it_rejects_a_row_with_too_many_fields(base, tmp_path):
    path = tmp_path / "kwb2024_fields.csv"
    path.write_text("code,AantalInwoners_5\nGM0193,1,2\n")
    message = import_error(path)
    assert "row 2" in message and "3 fields, but the header has 2" in message


def test_it_rejects_invalid_geometry(base, tmp_path):
    open_ring = square(6.1, 52.5)
    open_ring["coordinates"][0][-1] = [6.2, 52.6]
    cases = {
        "not_closed": (open_ring, "ring 1 of polygon 1 is not closed"),
        "point": ({"type": "Point", "coordinates": [6.1, 52.5]}, "only Polygon and MultiPolygon"),
        "too_few": (
            {"type": "Polygon", "coordinates": [[[6.1, 52.5], [6.2, 52.5], [6.1, 52.5]]]},
            "has 3 points; a ring needs at least 4",
        ),
        "swapped": (
            {
                "type": "Polygon",
                "coordinates": [[[52.5, 6.1], [52.5, 6.2], [252.6, 6.2], [52.5, 6.1]]],
            },
            "point 3 of ring 1 (polygon 1) has longitude 252.6",
        ),
    }
    before = snapshot()
    for name, (geometry, reason) in cases.items():
        path = write_geojson(
            tmp_path,
            f"wijken_2024_{name}.geojson",
            [wijk_feature("WK019398", "Goed"), wijk_feature(geometry=geometry)],
        )
        message = import_error(path)
        assert f"wijken_2024_{name}.geojson, feature 2 (WK019399)" in message
        assert reason in message
    assert snapshot() == before


def test_it_rejects_an_unknown_code(base, tmp_path):
    run(WIJKEN)
    before = snapshot()
    path = tmp_path / "kwb2024_unknown.csv"
    path.write_text("code,AantalInwoners_5\nWK019310,1\nWK019377,5\n")
    message = import_error(path)
    assert "row 3 (WK019377)" in message and "unknown code WK019377" in message
    assert snapshot() == before


def test_it_rejects_a_wijk_whose_gemeente_is_unknown(base, tmp_path):
    path = write_geojson(
        tmp_path, "wijken_2024_x.geojson", [wijk_feature("WK099901", gemeente="GM0999")]
    )
    message = import_error(path)
    assert "feature 1 (WK099901)" in message and "unknown code GM0999" in message
    assert not Area.objects.filter(code="WK099901").exists()


def test_it_rejects_an_unknown_column(base, tmp_path):
    run(WIJKEN)
    path = tmp_path / "kwb2024_column.csv"
    path.write_text("code,Geluk_999\nWK019310,7\n")
    message = import_error(path)
    assert "row 1" in message and "“Geluk_999” is not a known CBS key" in message


def test_it_rejects_a_code_of_the_wrong_format(base, tmp_path):
    path = write_geojson(tmp_path, "wijken_2024_format.geojson", [wijk_feature("WK19310")])
    assert "“WK19310” is not a CBS code" in import_error(path)


def test_it_rejects_an_alphanumeric_code_before_2022(db, tmp_path):
    run(VARIABLES)
    path = write_geojson(
        tmp_path,
        "gemeenten_2021.geojson",
        [
            {
                "type": "Feature",
                "properties": {"cbsCode": "BU0363AA01", "naam": "Planciusbuurt"},
                "geometry": square(4.9, 52.3),
            }
        ],
    )
    message = import_error(path)
    assert "feature 1" in message and "cannot belong to 2021" in message


def test_it_rejects_the_wrong_year(base):
    message = import_error("--year", "2023", WIJKEN)
    assert "wijken_2024_zwolle.geojson" in message
    assert "the file name says 2024, but you asked for 2023" in message
    assert not Area.objects.filter(level="wijk").exists()


def test_it_rejects_an_area_outside_its_validity(cbs_dir, db):
    run(
        "--gemeente",
        "GM0363",
        VARIABLES,
        cbs_dir / "gemeenten_2024_ams_rdam_zwolle.geojson",
        cbs_dir / "wijken_2024_ams_rdam_zwolle.geojson",
    )
    # The Amsterdam file also holds buurten that only exist from October 2023.
    message = import_error("--year", "2022", cbs_dir / "amsterdam_buurten_gebieden_2022.geojson")
    assert "amsterdam_buurten_gebieden_2022.geojson, feature" in message
    assert "not in 2022" in message
    assert not Area.objects.filter(level="buurt").exists()


def test_it_keeps_good_files_when_another_file_is_broken(db, tmp_path):
    broken = tmp_path / "wijken_2024_broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')
    message = import_error(VARIABLES, GEMEENTEN, broken)
    assert "wijken_2024_broken.geojson, line 1" in message and "not valid JSON" in message
    assert Area.objects.filter(code="GM0193").exists()


def test_it_reports_errors_through_the_service_too(db, tmp_path):
    path = tmp_path / "nothing.txt"
    path.write_text("x")
    report = import_area_files(paths=[path])
    assert [e.file for e in report.errors] == ["nothing.txt"]
    assert report.imported == []


def test_it_exits_with_code_1_and_no_traceback(tmp_path):
    broken = tmp_path / "kwb2024_broken.csv"
    broken.write_text("no code column here\n1\n")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(ROOT / "src"),
        "LANGUAGE": "en",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "import_areas", str(broken)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "kwb2024_broken.csv, row 1" in result.stderr
        or "kwb2024_broken.csv, regel 1" in result.stderr
    )


def test_it_reads_semicolon_csv_with_decimal_commas(base, tmp_path):
    run(WIJKEN)
    path = tmp_path / "kwb2024_semicolon.csv"
    path.write_text(
        "code;GemiddeldeHuishoudensgrootte_33;AantalInwoners_5\nWK019310;1,5;4.300\n",
        encoding="utf-8",
    )
    run(path)
    values = dict(
        IndicatorValue.objects.filter(area__code="WK019310").values_list("indicator__key", "value")
    )
    assert values["GemiddeldeHuishoudensgrootte_33"] == Decimal("1.5")
    assert values["AantalInwoners_5"] == Decimal("4300")


def test_it_rejects_a_bad_municipality_option(db):
    assert "GM0193" in import_error("--gemeente", "Zwolle", VARIABLES)
    assert not Indicator.objects.exists()


def test_it_rejects_a_broken_variables_file(db, tmp_path):
    path = tmp_path / "variabelen.csv"
    path.write_text(
        "ID,ParentID,Type,Key,Title,Unit,Decimals,Description\n"
        "7,6,Topic,AantalInwoners_5,Aantal inwoners,aantal,0,\n"
        "8,6,Topic,Mannen_6,Mannen,aantal,veel,\n"
    )
    message = import_error(path)
    assert "variabelen.csv, row 3" in message and "“veel” in column Decimals" in message
    assert not Indicator.objects.exists()


def test_it_keeps_english_titles_when_the_cbs_dictionary_is_imported_again(cbs_dir, db):
    run(VARIABLES)
    run(cbs_dir / "kwb2024_85984NED_variabelen.csv")
    indicator = Indicator.objects.get(key="Bevolkingsdichtheid_34")
    assert indicator.title_en == "Population density"
    assert Indicator.objects.get(key="HuishoudensTotaal_29").title_nl == "Huishoudens totaal"


def test_it_reads_cbs_odata_exports_and_skips_pdok_water_parts(base, tmp_path):
    land = wijk_feature("WK019310", "Wijk 10 Binnenstad")
    water = wijk_feature("WK019310", "Wijk 10 Binnenstad", geometry=square(6.2, 52.6))
    land["properties"]["water"], water["properties"]["water"] = "NEE", "JA"
    run(write_geojson(tmp_path, "wijken_2024_pdok.geojson", [land, water]))
    assert Area.objects.get(code="WK019310").boundary == square(6.1, 52.5)

    export = tmp_path / "85984NED_2024.csv"
    export.write_text(
        "ID,WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,AantalInwoners_5\n"
        "1,WK019310  ,Zwolle,Wijk     ,4225\n"
    )
    run(export)
    value = IndicatorValue.objects.get(area__code="WK019310", indicator__key="AantalInwoners_5")
    assert value.value == Decimal("4225")
