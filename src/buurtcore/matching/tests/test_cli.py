"""``buurtbasis match``: the JSON contract key by key, and every error path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from buurtcore.cli import main
from buurtcore.matching.cli import example_path
from buurtcore.matching.model import rd_to_wgs84, read_input

EXAMPLE = str(example_path())
ROOT = Path(__file__).resolve().parents[4]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def load(capsys, *argv):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert err == ""
    return json.loads(out)


COMPONENT_KEYS = {"language", "children", "interests", "availability", "wishes", "distance"}


def check_pair_shape(p: dict) -> None:
    assert isinstance(p["score"], float) and 0 <= p["score"] <= 1
    assert isinstance(p["distance_km"], float)
    assert set(p["components"]) == COMPONENT_KEYS
    for comp in p["components"].values():
        assert set(comp) == {"value", "weight", "points"}
    assert set(p["explanation"]) == {"nl", "en"}


def test_propose_contract(capsys):
    data = load(capsys, "match", "propose", EXAMPLE, "--json")
    assert set(data) >= {
        "command",
        "decision",
        "notice",
        "options",
        "n_newcomers",
        "n_locals",
        "total_score",
        "pairs",
        "unmatched",
    }
    assert data["command"] == "propose"
    assert data["decision"] is False
    assert set(data["notice"]) == {"nl", "en"}
    assert data["options"]["max_km"] == 5.0
    assert data["options"]["excluded_pairs"] == [["l-jansen", "n-hamdan"]]
    assert set(data["options"]["weights"]) == COMPONENT_KEYS | {"sensitive"}
    # n-kovalenko is already paired: not counted as a candidate.
    assert (data["n_newcomers"], data["n_locals"]) == (3, 4)
    pairs = {(p["newcomer"], p["local"]) for p in data["pairs"]}
    assert pairs == {("n-haddad", "l-jansen"), ("n-tesfay", "l-devries"), ("n-hamdan", "l-bakker")}
    for p in data["pairs"]:
        check_pair_shape(p)
    first = data["pairs"][0]
    assert (first["newcomer"], first["local"]) == ("n-haddad", "l-jansen")
    assert first["explanation"]["nl"] == (
        "beide spreken Arabisch en Nederlands, kinderen van 6, 7, 9 en 11, beide houden van "
        "koken en voetbal, beide kunnen op zaterdagmiddag en zondagmiddag, past bij de wensen: "
        "een gezin met kinderen en iemand die Nederlands spreekt, 0,5 km"
    )
    assert abs(data["total_score"] - sum(p["score"] for p in data["pairs"])) < 1e-5
    assert data["unmatched"] == [
        {
            "id": "l-peeters",
            "kind": "local",
            "reason": "no_feasible_partner",
            "nl": "geen huishouden aan de andere kant past binnen de regels",
            "en": "no household on the other side fits the rules",
            "blocked_by": {"max_distance": 2, "no_common_language": 1},
        },
        {
            "id": "n-kovalenko",
            "kind": "newcomer",
            "reason": "already_paired",
            "nl": "heeft al een maatje",
            "en": "already has a buddy household",
        },
    ]


def test_propose_options_on_the_command_line_override_the_file(capsys):
    data = load(capsys, "match", "propose", EXAMPLE, "--no-max-km", "--require-language")
    assert data["options"]["max_km"] is None
    assert data["options"]["require_language"] is True
    # Without a maximum distance l-peeters has a possible partner (n-haddad speaks some
    # Dutch), but n-haddad fits l-jansen better.
    reasons = {u["id"]: u["reason"] for u in data["unmatched"]}
    assert reasons == {"l-peeters": "not_chosen", "n-kovalenko": "already_paired"}
    data = load(capsys, "match", "propose", EXAMPLE, "--max-km", "0.5", "--min-score", "0.3")
    assert data["options"]["max_km"] == 0.5 and data["options"]["min_score"] == 0.3
    assert all(p["distance_km"] <= 0.5 and p["score"] > 0.3 for p in data["pairs"])


def test_suggest_contract(capsys):
    data = load(capsys, "match", "suggest", EXAMPLE, "--for", "n-haddad", "--top", "2", "--json")
    assert data["command"] == "suggest"
    assert data["decision"] is False
    assert data["for"] == "n-haddad" and data["kind"] == "newcomer"
    assert data["n_candidates"] == 4 and data["n_feasible"] == 3
    assert data["infeasible"] == {
        "max_distance": {
            "count": 1,
            "en": "farther apart than the maximum distance",
            "nl": "verder weg dan de maximale afstand",
        }
    }
    assert [c["rank"] for c in data["candidates"]] == [1, 2]
    assert data["candidates"][0]["id"] == "l-jansen"
    for c in data["candidates"]:
        check_pair_shape(c)
    assert data["candidates"][0]["score"] >= data["candidates"][1]["score"]


def test_suggest_for_a_local_lists_newcomers(capsys):
    data = load(capsys, "match", "suggest", EXAMPLE, "--for", "l-devries")
    assert data["kind"] == "local"
    assert all(c["id"].startswith("n-") for c in data["candidates"])
    # n-kovalenko is already paired, so it is counted as infeasible.
    assert data["infeasible"]["already_paired"]["count"] == 1


def test_score_contract(capsys):
    data = load(capsys, "match", "score", EXAMPLE, "--pair", "l-jansen", "n-hamdan")
    assert data["command"] == "score" and data["decision"] is False
    pair = data["pair"]
    assert (pair["newcomer"], pair["local"]) == ("n-hamdan", "l-jansen")
    check_pair_shape(pair)
    assert pair["infeasible"]["reason"] == "excluded"


def test_rd_coordinates_are_read(capsys):
    households, _ = read_input(json.loads(Path(EXAMPLE).read_text(encoding="utf-8")))
    tesfay = next(h for h in households if h.id == "n-tesfay")
    assert (tesfay.lat, tesfay.lon) == rd_to_wgs84(136500, 455800)
    assert 52.0 < tesfay.lat < 52.2 and 5.0 < tesfay.lon < 5.2


def test_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(Path(EXAMPLE).read_text(encoding="utf-8")))
    data = load(capsys, "match", "propose", "-")
    assert len(data["pairs"]) == 3


# ---------------------------------------------------------------- errors


def write(tmp_path, content) -> str:
    path = tmp_path / "households.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def example_with(change) -> dict:
    data = json.loads(Path(EXAMPLE).read_text(encoding="utf-8"))
    change(data)
    return data


ERRORS = [
    ("{not json", "not valid JSON (line 1, column 2)"),
    ({"households": {}}, "input must be an object with a 'households' list"),
    ([{"kind": "local"}], "a household has no 'id'"),
    ([{"id": "a", "kind": "local"}], "household 'a': missing field 'location'"),
    ([{"id": "a", "kind": "buur", "location": {"lat": 52, "lon": 5}}], "kind must be"),
    (
        [{"id": "a", "kind": "local", "location": {"lat": "52", "lon": 5}}],
        "location.lat must be a number",
    ),
    (
        [{"id": "a", "kind": "local", "location": {"rd_x": 1e7, "rd_y": 5}}],
        "RD coordinates outside the Netherlands",
    ),
    (
        [
            {
                "id": "a",
                "kind": "local",
                "location": {"lat": 52, "lon": 5},
                "composition": {"children_ages": [4, 19]},
            }
        ],
        "children_ages must be a whole number from 0 to 17, got 19",
    ),
    (
        [
            {
                "id": "a",
                "kind": "local",
                "location": {"lat": 52, "lon": 5},
                "languages": [{"code": "ar", "level": "fluent"}],
            }
        ],
        "language level must be one of basic, good, native, got 'fluent'",
    ),
    (
        [
            {
                "id": "a",
                "kind": "local",
                "location": {"lat": 52, "lon": 5},
                "availability": ["saturday"],
            }
        ],
        "availability 'saturday' is not DAY-PART",
    ),
    (
        [{"id": "a", "kind": "local", "location": {"lat": 52, "lon": 5}, "wishes": ["pony"]}],
        "unknown wish 'pony'",
    ),
    (
        [
            {"id": "a", "kind": "local", "location": {"lat": 52, "lon": 5}},
            {"id": "a", "kind": "newcomer", "location": {"lat": 52, "lon": 5}},
        ],
        "household id 'a' occurs twice",
    ),
    ({"households": [], "options": {"max_km": -1}}, "max_km must be a positive number or null"),
    ({"households": [], "options": {"weights": {"luck": 1}}}, "unknown weight 'luck'"),
    ({"households": [], "options": {"colour": 1}}, "unknown option 'colour'"),
    (
        {"households": [], "options": {"excluded_pairs": [["a"]]}},
        "excluded_pairs must be a list of [id, id]",
    ),
    (
        [
            {
                "id": "a",
                "kind": "local",
                "location": {"lat": 52, "lon": 5},
                "sensitive": {"religion": 3},
            }
        ],
        "sensitive must be an object of texts",
    ),
]


@pytest.mark.parametrize(("content", "message"), ERRORS)
def test_bad_input_gives_one_clear_line_and_exit_1(tmp_path, capsys, content, message):
    path = write(tmp_path, content)
    code, out, err = run(capsys, "match", "propose", path)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err


def test_bad_input_in_dutch(tmp_path, capsys):
    path = write(tmp_path, [{"id": "a", "kind": "local"}])
    code, _, err = run(capsys, "match", "propose", path, "--lang", "nl")
    assert code == 1
    assert (
        err
        == f"{path}: huishouden 'a': veld 'location' ontbreekt ({{lat, lon}} of {{rd_x, rd_y}})\n"
    )


def test_unknown_id(capsys):
    code, out, err = run(capsys, "match", "suggest", EXAMPLE, "--for", "n-nobody")
    assert (code, out) == (1, "")
    assert err == f"{EXAMPLE}: unknown household id 'n-nobody'\n"
    code, out, err = run(capsys, "match", "score", EXAMPLE, "--pair", "n-haddad", "x")
    assert code == 1 and "unknown household id 'x'" in err


def test_missing_file_and_unreadable_file(tmp_path, capsys):
    code, out, err = run(capsys, "match", "propose", str(tmp_path / "nope.json"))
    assert (code, out) == (1, "")
    assert err.strip().endswith("file not found")
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"households": ["\xe9"]}')
    code, _, err = run(capsys, "match", "propose", str(bad))
    assert code == 1 and "not UTF-8 text" in err
    code, _, err = run(capsys, "match", "propose", str(tmp_path))
    assert code == 1 and "cannot read" in err and err.count("\n") == 1


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "match", "suggest", EXAMPLE)[0] == 2  # --for missing
    assert run(capsys, "match", "suggest", EXAMPLE, "--for", "a", "--top", "0")[0] == 2
    assert run(capsys, "match", "propose", EXAMPLE, "--max-km", "-3")[0] == 2
    assert run(capsys, "match", "propose", EXAMPLE, "--max-km", "3", "--no-max-km")[0] == 2
    assert run(capsys, "match")[0] == 2


def test_real_process_entry_point():
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "buurtcore", "match", "propose", EXAMPLE],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["decision"] is False
    proc = subprocess.run(
        [sys.executable, "-m", "buurtcore", "match", "propose", "/nonexistent/x.json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("options", "flag"),
    [({"min_score": float("nan")}, None), ({"max_km": float("inf")}, None), ({}, "nan")],
)
def test_non_finite_numbers_are_refused_not_printed_as_invalid_json(
    options, flag, tmp_path, capsys
):
    """NaN and Infinity were accepted and came back in the JSON, which is not valid JSON."""
    data = json.loads(example_path().read_text(encoding="utf-8"))
    data.setdefault("options", {}).update(options)
    path = tmp_path / "households.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # json writes NaN / Infinity
    argv = ["match", "propose", str(path), "--json"]
    if flag:
        argv += ["--min-score", flag]
    assert main(argv) in (1, 2)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
