"""The `buurtbasis pb ...` command line: JSON on stdout, messages on stderr, exit 0/1/2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from buurtcore.cli import main, parse_spec
from buurtcore.voting import explain, pabulib, tally
from buurtcore.voting.examples import example_files, example_path
from buurtcore.voting.stats import instance_stats

APPROVAL = example_path("buurtbudget_approval.pb")
CATEGORIES = example_path("buurtbudget_categories.pb")
CUMULATIVE = example_path("buurtbudget_cumulative.pb")
ORDINAL = example_path("buurtbudget_ordinal.pb")
SRC = Path(__file__).resolve().parents[3]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def _broken(tmp_path, old: str, new: str, source: Path = APPROVAL) -> tuple[Path, int]:
    text = source.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    text = text.replace(old, new, 1)
    path = tmp_path / "broken.pb"
    path.write_text(text, encoding="utf-8")
    return path, line


# ----------------------------------------------------------------------------- validate / stats


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_it_validates_every_shipped_example(capsys, path):
    result = run_json(capsys, "pb", "validate", path)
    instance, profile = pabulib.read(path)
    assert result["valid"] is True
    assert result["n_voters"] == profile.n_voters
    assert result["n_projects"] == len(instance.projects)
    assert result["vote_type"] == instance.vote_type
    assert result["warnings"] == []


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("v004;", "v003;", "voter_id 'v003' appears twice"),
        ("v010;1", "v010;999,1", "project '999', which is not in PROJECTS"),
        ("101;18000;", "101;achttienduizend;", "is not a number"),
        ("num_votes;60", "num_votes;61", "META num_votes says 61"),
    ],
)
def test_it_rejects_a_malformed_file_with_the_line_and_reason(capsys, tmp_path, old, new, reason):
    path, line = _broken(tmp_path, old, new)
    code, out, err = run(capsys, "pb", "validate", path)
    assert code == 1
    assert f"line {line}: " in err and reason in err
    assert "Traceback" not in err
    result = json.loads(out)
    assert result["valid"] is False
    assert result["error"]["line"] == line
    assert reason in result["error"]["message"]


def test_it_says_the_error_in_dutch_with_lang_nl(capsys, tmp_path):
    path, line = _broken(tmp_path, "v004;", "v003;")
    code, _out, err = run(capsys, "pb", "validate", path, "--lang", "nl")
    assert code == 1
    assert f"regel {line}: voter_id 'v003' staat er twee keer" in err


def test_it_rejects_a_file_that_is_not_utf8(capsys, tmp_path):
    path = tmp_path / "latin1.pb"
    path.write_bytes(
        APPROVAL.read_text(encoding="utf-8").replace("Taalcafé", "Taalcafé").encode("latin-1")
    )
    for command in ("validate", "stats", "tally"):
        code, _out, err = run(capsys, "pb", command, path)
        assert code == 1
        assert "UTF-8" in err and "line " in err


def test_it_rejects_a_missing_file(capsys, tmp_path):
    code, _out, err = run(capsys, "pb", "tally", tmp_path / "nope.pb")
    assert code == 1
    assert "cannot open" in err


def test_it_reports_warnings_but_accepts_the_file(capsys, tmp_path):
    path, line = _broken(tmp_path, "v010;1", "v010;110,110,1")
    code, out, err = run(capsys, "pb", "validate", path)
    assert code == 0
    assert f"warning: line {line}: " in err
    assert json.loads(out)["warnings"][0]["line"] == line


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_stats_match_the_library(capsys, path):
    result = run_json(capsys, "pb", "stats", path)
    instance, profile = pabulib.read(path)
    expected = json.loads(json.dumps(instance_stats(instance, profile)))
    assert result == {"file": str(path), **expected}
    assert result["n_voters"] == profile.n_voters
    assert sum(p["votes"] for p in result["projects"]) == result["n_entries"]
    assert Fraction(result["total_cost"]) == sum(p.cost for p in instance.projects.values())


# ----------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["pb"],
        ["pb", "tally"],
        ["pb", "frobnicate", str(APPROVAL)],
        ["pb", "tally", str(APPROVAL), "--rule", "loting"],
        ["pb", "tally", str(APPROVAL), "--completion", "add2"],
        ["pb", "tally", str(APPROVAL), "--seed", "zeven"],
        ["pb", "tally", str(APPROVAL), "--category-budgets", "Groen"],
        ["pb", "compare", str(APPROVAL), "--a", "rule=mes"],
        ["pb", "compare", str(APPROVAL), "--a", "rule=mes", "--b", "regel=greedy"],
        ["pb", "compare", str(APPROVAL), "--a", "rule=mes", "--b", "rule=random"],
        ["pb", "compare", str(APPROVAL), "--a", "seed=x", "--b", "rule=greedy"],
        ["pb", "validate", str(APPROVAL), "--progress", "--no-progress"],
    ],
)
def test_wrong_usage_exits_with_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.strip()
    assert "Traceback" not in err


def test_help_exits_with_0(capsys):
    code, out, _err = run(capsys, "pb", "tally", "--help")
    assert code == 0
    assert "--tie-break" in out and "--add1-stop" in out


def test_version_and_rules(capsys):
    code, out, _err = run(capsys, "--version")
    assert code == 0 and out.startswith("buurtbasis ")
    from buurtcore.voting import RULES

    result = run_json(capsys, "pb", "rules")
    assert [r["id"] for r in result["rules"]] == list(RULES)
    assert {"title_nl", "sats", "completions", "vote_types"} <= set(result["rules"][0])


def test_parse_spec_reads_every_parameter():
    assert parse_spec("rule=mes,sat=cardinality,completion=add1u,add1-stop=budget", "--a") == {
        "rule": "mes",
        "sat": "cardinality",
        "completion": "add1u",
        "add1_stop": "budget",
    }
    assert parse_spec("threshold=meta", "--b") == {"threshold": "meta", "rule": "greedy"}


# ----------------------------------------------------------------------------- tally


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"rule": "mes"},
        {"rule": "mes", "completion": "add1"},
        {"rule": "mes", "completion": "add1u", "tie-break": "cost-votes", "seed": "11"},
        {"rule": "greedy", "sat": "cardinality"},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_tally_on_the_examples_matches_the_library(capsys, path, options):
    argv = ["pb", "tally", str(path)]
    for key, value in options.items():
        argv += [f"--{key}", value]
    result = run_json(capsys, *argv)
    instance, profile = pabulib.read(path)
    kwargs = {k.replace("-", "_"): v for k, v in options.items()}
    if "seed" in kwargs:
        kwargs["seed"] = int(kwargs["seed"])
    outcome = tally(instance, profile, **kwargs)
    assert result["selected"] == outcome.selected
    assert all(isinstance(p, str) for p in result["selected"])
    assert result["total_cost"] == str(outcome.total_cost)
    assert Fraction(result["total_cost"]) == sum(
        instance.projects[p].cost for p in outcome.selected
    )
    assert Fraction(result["total_cost"]) <= Fraction(result["budget"])
    assert result["budget"] == str(instance.budget)
    assert result["params"]["rule"] == options.get("rule", "greedy")
    assert result["params"]["tie_break"] == options.get("tie-break", "lexico")
    assert result["params"]["completion"] == options.get("completion", "none")
    natural = {"approval": "cost", "cumulative": "points", "ordinal": "borda"}[instance.vote_type]
    assert result["params"]["sat"] == options.get("sat", natural)
    assert "steps" not in result


def test_tally_with_steps_includes_the_trace(capsys):
    result = run_json(capsys, "pb", "tally", APPROVAL, "--rule", "mes", "--steps", "--json")
    kinds = {step["kind"] for step in result["steps"]}
    assert "MesPurchase" in kinds
    bought = [s["project"] for s in result["steps"] if s["kind"] == "MesPurchase"]
    assert bought == result["selected"]


def test_tally_reports_the_seconds_of_reading_and_counting(capsys):
    result = run_json(
        capsys, "pb", "tally", APPROVAL, "--rule", "mes", "--completion", "add1", "--json"
    )
    assert set(result["seconds"]) == {"read", "count"}
    assert all(isinstance(v, float) and 0 <= v < 60 for v in result["seconds"].values())
    # the fields around it are unchanged
    for key in ("file", "vote_type", "n_voters", "selected", "total_cost", "budget", "params"):
        assert key in result


def test_a_pb_command_line_does_not_import_the_other_command_groups():
    code = (
        "import sys; from buurtcore.cli import main; "
        f"rc = main(['pb', 'tally', {str(APPROVAL)!r}, '--rule', 'greedy']); "
        "heavy = sorted(m for m in ('scipy', 'sklearn', 'buurtcore.matching', 'buurtcore.sepa', "
        "'buurtcore.bank', 'buurtcore.text', 'numba') if m in sys.modules); "
        "print(rc, heavy, file=sys.stderr)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert proc.stderr.strip().splitlines()[-1] == "0 []", proc.stderr


def test_tally_uses_the_meta_category_budgets_when_asked(capsys):
    plain = run_json(capsys, "pb", "tally", CATEGORIES)
    limited = run_json(capsys, "pb", "tally", CATEGORIES, "--category-budgets", "meta")
    instance, profile = pabulib.read(CATEGORIES)
    assert limited["selected"] == tally(instance, profile, category_budgets="meta").selected
    assert limited["selected"] != plain["selected"]
    assert limited["params"]["category_budgets"] == {
        "Groen": "12000",
        "Jeugd": "10000",
        "Ontmoeting": "8000",
    }
    explicit = run_json(
        capsys,
        "pb",
        "tally",
        CATEGORIES,
        "--category-budgets",
        "Groen=12000,Jeugd=10000,Ontmoeting=8000",
    )
    assert explicit["selected"] == limited["selected"]


def test_a_rule_that_does_not_fit_the_ballots_exits_with_1(capsys):
    code, out, err = run(capsys, "pb", "tally", CUMULATIVE, "--rule", "phragmen")
    assert code == 1
    assert out == ""
    assert "phragmen" in err and "cumulative" in err


def test_a_threshold_the_file_does_not_have_exits_with_1(capsys):
    code, _out, err = run(capsys, "pb", "tally", APPROVAL, "--rule", "greedy-threshold")
    assert code == 1
    assert "min_project_score_threshold" in err


def test_threshold_drops_projects_with_too_few_votes(capsys):
    instance, profile = pabulib.read(APPROVAL)
    counts = dict(zip(instance.project_ids(), profile.approval_counts().tolist(), strict=True))
    threshold = sorted(counts.values())[len(counts) // 2]
    result = run_json(capsys, "pb", "tally", APPROVAL, "--threshold", str(threshold))
    assert result["selected"]
    assert all(counts[p] >= threshold for p in result["selected"])
    assert result["params"]["threshold"] == str(threshold)


# ----------------------------------------------------------------------------- explain / compare


def test_explain_prints_the_explanation_json(capsys):
    result = run_json(capsys, "pb", "explain", APPROVAL, "--rule", "mes", "--completion", "add1")
    instance, profile = pabulib.read(APPROVAL)
    expected = explain.explain(
        instance, profile, tally(instance, profile, rule="mes", completion="add1")
    )
    assert result == json.loads(json.dumps(expected))
    assert {p["id"] for p in result["projects"]} == set(instance.projects)


def test_explain_text_is_dutch(capsys):
    code, out, _err = run(capsys, "pb", "explain", ORDINAL, "--text")
    assert code == 0
    instance, profile = pabulib.read(ORDINAL)
    assert out == explain.explain_text(instance, profile, tally(instance, profile)) + "\n"
    assert "krijgt" in out


def test_compare_puts_two_rules_side_by_side(capsys):
    result = run_json(
        capsys, "pb", "compare", APPROVAL, "--a", "rule=mes,completion=add1", "--b", "rule=greedy"
    )
    instance, profile = pabulib.read(APPROVAL)
    a = tally(instance, profile, rule="mes", completion="add1")
    b = tally(instance, profile, rule="greedy")
    assert result["a"]["selected"] == a.selected
    assert result["b"]["selected"] == b.selected
    assert {r["id"] for r in result["only_a"]} == set(a.selected) - set(b.selected)
    assert {r["id"] for r in result["only_b"]} == set(b.selected) - set(a.selected)
    code, out, _err = run(
        capsys,
        "pb",
        "compare",
        APPROVAL,
        "--a",
        "rule=mes,completion=add1",
        "--b",
        "rule=greedy",
        "--text",
    )
    assert code == 0 and out.startswith("Regel A")


# ----------------------------------------------------------------------------- write


def test_write_records_the_outcome_in_the_file(capsys, tmp_path):
    out_path = tmp_path / "uitslag.pb"
    result = run_json(
        capsys,
        "pb",
        "write",
        APPROVAL,
        out_path,
        "--rule",
        "mes",
        "--completion",
        "add1",
        "--tie-break",
        "cost-votes",
        "--seed",
        "5",
    )
    assert result["written"] == str(out_path)
    instance, profile = pabulib.read(out_path)
    original, original_profile = pabulib.read(APPROVAL)
    assert profile == original_profile
    assert instance.meta["rule"] == "equalshares/add1"
    assert instance.meta["buurtbasis_completion"] == "add1"
    assert instance.meta["tie_breaking"] == "cost-votes"
    assert instance.meta["buurtbasis_seed"] == "5"
    assert instance.meta["buurtbasis_total_cost"] == result["total_cost"]
    selected = [pid for pid, p in instance.projects.items() if p.fields["selected"] == "1"]
    assert set(selected) == set(result["selected"])
    # the costs and every other column are unchanged
    assert {p: x.cost for p, x in instance.projects.items()} == {
        p: x.cost for p, x in original.projects.items()
    }
    # it does not overwrite without --force
    code, _out, err = run(capsys, "pb", "write", APPROVAL, out_path)
    assert code == 2 and "--force" in err
    code, _out, _err = run(capsys, "pb", "write", APPROVAL, out_path, "--force")
    assert code == 0
    assert pabulib.read(out_path)[0].meta["rule"] == "greedy"


def test_write_to_stdout(capsys):
    code, out, _err = run(capsys, "pb", "write", ORDINAL, "-")
    assert code == 0
    instance, _profile = pabulib.read(out)
    assert instance.meta["buurtbasis_rule"] == "greedy"
    assert "selected" in instance.project_columns


# ----------------------------------------------------------------------------- progress / processes


def test_progress_only_when_asked(capsys, tmp_path):
    _code, _out, err = run(capsys, "pb", "tally", APPROVAL, "--rule", "mes", "--completion", "add1")
    assert err == ""
    code, _out, err = run(
        capsys, "pb", "tally", APPROVAL, "--rule", "mes", "--completion", "add1", "--progress"
    )
    assert code == 0
    assert "reading buurtbudget_approval.pb: 100%" in err
    assert "Add1 run" in err


def _subprocess(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "buurtcore", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_python_dash_m_runs_the_same_command_line(tmp_path):
    done = _subprocess("pb", "tally", str(APPROVAL), "--rule", "mes")
    assert done.returncode == 0, done.stderr
    instance, profile = pabulib.read(APPROVAL)
    assert json.loads(done.stdout)["selected"] == tally(instance, profile, rule="mes").selected
    bad = _subprocess("pb", "validate", "-", stdin=b"META\nkey;value\nbudget;x\n")
    assert bad.returncode == 1
    assert b"line 3: " in bad.stderr and b"Traceback" not in bad.stderr
    usage = _subprocess("pb", "tally")
    assert usage.returncode == 2


def test_it_reads_stdin(capsys, monkeypatch):
    import io

    fake = io.TextIOWrapper(io.BytesIO(ORDINAL.read_bytes()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    result = run_json(capsys, "pb", "stats", "-")
    assert result["vote_type"] == "ordinal"


# ----------------------------------------------------------------------------- real files


def test_tally_on_assen_2024_reproduces_the_published_outcome(capsys, pabulib_dir):
    path = pabulib_dir / "Netherlands_Assen_2024.pb"
    result = run_json(capsys, "pb", "tally", path, "--rule", "mes", "--completion", "add1")
    instance, _profile = pabulib.read(path)
    published = {pid for pid, p in instance.projects.items() if p.fields["selected"] == "1"}
    assert set(result["selected"]) == published
    assert result["n_voters"] == 84
    greedy = run_json(capsys, "pb", "tally", path)
    assert set(greedy["selected"]) != published


def test_stats_and_validate_on_a_large_real_file(capsys, pabulib_dir):
    path = pabulib_dir / "Poland_Warszawa_2026.pb"
    assert run_json(capsys, "pb", "validate", path)["n_voters"] == 61668
    stats = run_json(capsys, "pb", "stats", path)
    assert stats["n_entries"] == 287475
    assert stats["meta_limits"]["min_project_score_threshold"] == "3000"


def _main_on_bytes(raw: bytes, *argv: str) -> tuple[int, str, str]:
    import contextlib
    import io
    from unittest import mock

    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    with (
        mock.patch.object(sys, "stdin", stdin),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(["pb", *argv, "-"])
    return code, out.getvalue(), err.getvalue()


def test_malformed_input_never_gives_a_traceback():
    from hypothesis import HealthCheck, given, settings

    from buurtcore.voting.tests.test_pabulib_properties import mutated_files

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_files())
    def check(raw):
        for command in ("validate", "stats", "tally"):
            code, out, err = _main_on_bytes(raw, command)
            assert code in (0, 1), err
            if code == 1:
                assert err.startswith("-: ") and "Traceback" not in err
                assert command == "validate" or out == ""
            else:
                json.loads(out)

    check()
