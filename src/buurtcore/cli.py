"""The ``buurtbasis`` command line (also ``python -m buurtcore``).

A stable interface for recomputing and checking participatory-budgeting
outcomes from Pabulib files. Results go to stdout as JSON (or Dutch text with
``--text``), messages and progress to stderr. Exit codes: 0 success, 1 invalid
input (a malformed file, a rule that does not apply), 2 wrong usage.

::

    buurtbasis pb rules
    buurtbasis pb validate FILE
    buurtbasis pb stats FILE
    buurtbasis pb tally FILE [--rule R] [--sat S] [--completion C] [--add1-stop A]
                             [--tie-break T] [--seed N] [--threshold X]
                             [--category-budgets meta|NAME=AMOUNT,...]
                             [--neighborhood-budgets meta|NAME=AMOUNT,...] [--steps]
    buurtbasis pb explain FILE [same options] [--text]
    buurtbasis pb compare FILE --a "rule=mes,completion=add1" --b "rule=greedy" [--text]
    buurtbasis pb write FILE OUT [same options]

Examples
--------
>>> import io, contextlib, json
>>> from buurtcore.voting.examples import example_path
>>> example = str(example_path("buurtbudget_approval.pb"))
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     code = main(["pb", "tally", example, "--rule", "greedy"])
>>> code
0
>>> result = json.loads(out.getvalue())
>>> result["params"]["rule"], result["total_cost"] <= result["budget"]
('greedy', True)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

# Known ahead of importing the rules, so that `--help` stays fast and usage errors
# never depend on the rules package.
RULE_IDS = ("greedy", "greedy-threshold", "greedy-no-skip", "mes", "phragmen")
SAT_IDS = ("cost", "cardinality", "points", "borda")
COMPLETION_IDS = ("none", "add1", "add1u")
ADD1_STOP_IDS = ("exhaustive", "budget")
TIE_BREAK_IDS = ("lexico", "cost-votes")

# pabulib's names for rules (META "rule") for the file written by `pb write`.
_PABULIB_RULE = {
    ("greedy", "none"): "greedy",
    ("greedy-threshold", "none"): "greedy-threshold",
    ("greedy-no-skip", "none"): "greedy-no-skip",
    ("mes", "none"): "equalshares",
    ("mes", "add1"): "equalshares/add1",
    ("mes", "add1u"): "equalshares/add1/utilitarian",
    ("phragmen", "none"): "phragmen",
}


#: Command groups of the other core packages. Each module has ``NAME`` and ``HELP`` and
#: ``register(parser)``, which adds its commands to its own group parser (commands set
#: ``func(args, rep) -> exit code`` with ``set_defaults``). A package that is not
#: installed is left out. Keep these modules light: ``--help`` imports them all.
GROUP_MODULES = (
    "buurtcore.bank.cli",
    "buurtcore.sepa.cli",
    "buurtcore.text.cli",
    "buurtcore.matching.cli",
)


class UsageError(Exception):
    """Wrong use of the command line (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: error: {message}")


# --------------------------------------------------------------------------- output


def _json_default(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value)
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON-able: {type(value).__name__}")


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default) + "\n")


class _Reporter:
    """Messages and progress on stderr (progress only on a terminal or with --progress)."""

    def __init__(self, *, progress: bool | None, lang: str):
        self.enabled = progress if progress is not None else sys.stderr.isatty()
        self.lang = lang
        self._last = 0.0
        self._dirty = False
        self._kind = ""

    def message(self, en: str, nl: str | None = None) -> None:
        self.clear()
        sys.stderr.write((nl if self.lang == "nl" and nl else en) + "\n")

    def _status(self, text: str, *, kind: str, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and kind == self._kind and now - self._last < 0.2:
            return
        if kind != self._kind:
            self.clear()
        self._kind = kind
        self._last = now
        sys.stderr.write("\r" + text.ljust(60))
        sys.stderr.flush()
        self._dirty = True

    def clear(self) -> None:
        if self._dirty:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._dirty = False

    def parsing(self, name: str) -> Callable[[int, int], None]:
        label = "inlezen" if self.lang == "nl" else "reading"

        def report(done: int, total: int) -> None:
            pct = f"{100 * done // total}%" if total else f"{done} bytes"
            self._status(f"{label} {name}: {pct}", kind="read", force=done == total)

        return report

    def add1(self, run: int, endowment: Fraction) -> None:
        label = "Add1-ronde" if self.lang == "nl" else "Add1 run"
        share = "per kiezer" if self.lang == "nl" else "per voter"
        self._status(f"{label} {run}: {float(endowment):,.2f} {share}", kind="add1")


# --------------------------------------------------------------------------- options


def _add_rule_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rule")
    g.add_argument("--rule", choices=RULE_IDS, default="greedy", help="voting rule (greedy)")
    g.add_argument(
        "--sat",
        choices=SAT_IDS,
        default=None,
        help="satisfaction; default the ballot type's own (approval/choose-1: cost, "
        "cumulative/scoring: points, ordinal: borda)",
    )
    g.add_argument("--completion", choices=COMPLETION_IDS, default="none", help="MES completion")
    g.add_argument(
        "--add1-stop",
        choices=ADD1_STOP_IDS,
        default="exhaustive",
        help="Add1: stop at the first exhaustive outcome, or raise while within budget",
    )
    g.add_argument("--tie-break", choices=TIE_BREAK_IDS, default="lexico", help="tie-breaking")
    g.add_argument("--seed", type=int, default=None, help="seed of the lot for cost-votes")
    g.add_argument(
        "--threshold",
        default=None,
        metavar="X",
        help="greedy: minimum score (votes; points for cumulative/scoring); 'meta' reads "
        "META min_project_score_threshold",
    )
    g.add_argument(
        "--category-budgets",
        default=None,
        metavar="meta|NAME=AMOUNT,...",
        help="greedy: budget per category ('meta': META categories + budget_per_category)",
    )
    g.add_argument(
        "--neighborhood-budgets",
        default=None,
        metavar="meta|NAME=AMOUNT,...",
        help="greedy: budget per neighbourhood ('meta': META budget_per_neighborhood)",
    )


def _limits(value: str | None, option: str) -> dict[str, str] | str | None:
    if value is None or value == "meta":
        return value
    result: dict[str, str] = {}
    for part in value.split(","):
        name, sep, amount = part.partition("=")
        if not sep or not name.strip() or not amount.strip():
            raise UsageError(f"{option}: expected 'meta' or NAME=AMOUNT,..., got {part!r}")
        result[name.strip()] = amount.strip()
    return result


def _rule_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "rule": args.rule,
        "sat": args.sat,
        "completion": args.completion,
        "add1_stop": args.add1_stop,
        "tie_break": args.tie_break,
        "seed": args.seed,
        "threshold": args.threshold,
        "category_budgets": _limits(args.category_budgets, "--category-budgets"),
        "neighborhood_budgets": _limits(args.neighborhood_budgets, "--neighborhood-budgets"),
    }


_SPEC_KEYS = {
    "rule": ("rule", RULE_IDS),
    "sat": ("sat", SAT_IDS),
    "completion": ("completion", COMPLETION_IDS),
    "add1_stop": ("add1_stop", ADD1_STOP_IDS),
    "add1-stop": ("add1_stop", ADD1_STOP_IDS),
    "tie_break": ("tie_break", TIE_BREAK_IDS),
    "tie-break": ("tie_break", TIE_BREAK_IDS),
    "seed": ("seed", None),
    "threshold": ("threshold", None),
    "category_budgets": ("category_budgets", ("meta",)),
    "category-budgets": ("category_budgets", ("meta",)),
    "neighborhood_budgets": ("neighborhood_budgets", ("meta",)),
    "neighborhood-budgets": ("neighborhood_budgets", ("meta",)),
}


def parse_spec(spec: str, option: str) -> dict[str, Any]:
    """Parse a rule spec such as ``"rule=mes,completion=add1"`` into tally() arguments.

    >>> parse_spec("rule=mes, completion=add1,tie-break=cost-votes,seed=7", "--a")
    {'rule': 'mes', 'completion': 'add1', 'tie_break': 'cost-votes', 'seed': 7}
    """
    kwargs: dict[str, Any] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in _SPEC_KEYS:
            keys = ", ".join(k for k in _SPEC_KEYS if "-" not in k)
            raise UsageError(f"{option}: expected KEY=VALUE with KEY one of {keys}; got {part!r}")
        name, choices = _SPEC_KEYS[key]
        if choices is not None and value not in choices:
            raise UsageError(f"{option}: {key} must be one of {', '.join(choices)}; got {value!r}")
        if name == "seed":
            try:
                kwargs[name] = int(value)
            except ValueError:
                raise UsageError(f"{option}: seed must be a whole number; got {value!r}") from None
        else:
            kwargs[name] = value
    kwargs.setdefault("rule", "greedy")
    return kwargs


# --------------------------------------------------------------------------- commands


def _read(path: str, rep: _Reporter, *, warnings: bool = False):
    from buurtcore.voting import pabulib

    progress = rep.parsing(Path(path).name) if rep.enabled else None
    source: Any = sys.stdin.buffer if path == "-" else Path(path)
    try:
        if warnings:
            return pabulib.read_with_warnings(source, progress=progress)
        return pabulib.read(source, progress=progress)
    finally:
        rep.clear()


def _tally(instance, profile, kwargs: dict[str, Any], rep: _Reporter):
    from buurtcore.voting import tally

    progress = rep.add1 if rep.enabled else None
    try:
        return tally(instance, profile, progress=progress, **kwargs)
    finally:
        rep.clear()


def _outcome_json(outcome, instance, path: str, *, steps: bool) -> dict[str, Any]:
    data = outcome.to_dict()
    result: dict[str, Any] = {
        "file": path,
        "vote_type": instance.vote_type,
        "n_voters": None,
        "selected": [str(p) for p in outcome.selected],
        "total_cost": str(Fraction(outcome.total_cost)),
        "budget": str(Fraction(outcome.budget)),
        "leftover": str(Fraction(outcome.budget) - Fraction(outcome.total_cost)),
        "final_endowment": data.get("final_endowment"),
        "params": data["params"],
    }
    if steps:
        result["steps"] = data["steps"]
    return result


def cmd_validate(args: argparse.Namespace, rep: _Reporter) -> int:
    from buurtcore.voting.pabulib import PabulibError

    try:
        instance, profile, warnings = _read(args.file, rep, warnings=True)
    except PabulibError as err:
        _print_json({"file": args.file, "valid": False, "error": err.as_dict(), "warnings": []})
        _report_error(args.file, err, rep)
        return EXIT_INVALID
    for w in warnings:
        where = f"line {w.line}: " if w.line else ""
        rep.message(
            f"{args.file}: warning: {where}{w.message}",
            f"{args.file}: waarschuwing: {'regel ' + str(w.line) + ': ' if w.line else ''}"
            f"{w.message_nl}",
        )
    _print_json(
        {
            "file": args.file,
            "valid": True,
            "vote_type": instance.vote_type,
            "n_projects": len(instance.projects),
            "n_voters": profile.n_voters,
            "budget": str(instance.budget),
            "warnings": [w.as_dict() for w in warnings],
        }
    )
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, rep: _Reporter) -> int:
    from buurtcore.voting.stats import instance_stats

    instance, profile = _read(args.file, rep)
    _print_json({"file": args.file, **instance_stats(instance, profile)})
    return EXIT_OK


def cmd_tally(args: argparse.Namespace, rep: _Reporter) -> int:
    from buurtcore.voting.rules import completion

    completion.LEAN_NUMBA = True  # one thread: numba may load without scipy.linalg
    kwargs = _rule_kwargs(args)
    t0 = time.perf_counter()
    instance, profile = _read(args.file, rep)
    t1 = time.perf_counter()
    # without --steps the trace is not printed, so MES need not record it
    outcome = _tally(instance, profile, {**kwargs, "trace": args.steps}, rep)
    t2 = time.perf_counter()
    result = _outcome_json(outcome, instance, args.file, steps=args.steps)
    result["n_voters"] = profile.n_voters
    # wall-clock seconds of reading the file and of counting (rule, and trace with --steps)
    result["seconds"] = {"read": round(t1 - t0, 4), "count": round(t2 - t1, 4)}
    _print_json(result)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, rep: _Reporter) -> int:
    from buurtcore.voting import explain

    kwargs = _rule_kwargs(args)
    instance, profile = _read(args.file, rep)
    outcome = _tally(instance, profile, kwargs, rep)
    if args.text:
        sys.stdout.write(explain.explain_text(instance, profile, outcome).rstrip("\n") + "\n")
    else:
        _print_json(explain.explain(instance, profile, outcome))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace, rep: _Reporter) -> int:
    from buurtcore.voting import explain

    spec_a = parse_spec(args.a, "--a")
    spec_b = parse_spec(args.b, "--b")
    instance, profile = _read(args.file, rep)
    outcome_a = _tally(instance, profile, spec_a, rep)
    outcome_b = _tally(instance, profile, spec_b, rep)
    if args.text:
        sys.stdout.write(
            explain.compare_text(instance, profile, outcome_a, outcome_b).rstrip("\n") + "\n"
        )
    else:
        _print_json(explain.compare(instance, profile, outcome_a, outcome_b))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace, rep: _Reporter) -> int:
    from dataclasses import asdict

    from buurtcore.voting import RULES

    _print_json({"rules": [asdict(info) for info in RULES.values()]})
    return EXIT_OK


def outcome_meta(outcome) -> dict[str, str]:
    """META entries recording how an outcome was computed (for ``pb write``).

    >>> from types import SimpleNamespace as NS
    >>> outcome_meta(NS(params={"rule": "mes", "sat": "cost", "completion": "add1",
    ...     "add1_stop": "exhaustive", "tie_break": "lexico", "seed": None},
    ...     total_cost=Fraction(1500), final_endowment=Fraction(40)))["rule"]
    'equalshares/add1'
    """
    params = dict(outcome.params)
    rule = str(params.get("rule", ""))
    completion = str(params.get("completion") or "none")
    meta = {
        "rule": _PABULIB_RULE.get((rule, completion), rule),
        "buurtbasis_rule": rule,
        "buurtbasis_sat": params.get("sat"),
        "buurtbasis_completion": completion,
        "buurtbasis_add1_stop": params.get("add1_stop"),
        "tie_breaking": params.get("tie_break"),
        "buurtbasis_seed": params.get("seed"),
        "buurtbasis_threshold": params.get("threshold"),
        "buurtbasis_total_cost": str(Fraction(outcome.total_cost)),
        "buurtbasis_endowment": str(outcome.final_endowment)
        if outcome.final_endowment is not None
        else None,
    }
    return {k: str(v) for k, v in meta.items() if v is not None}


def cmd_write(args: argparse.Namespace, rep: _Reporter) -> int:
    from buurtcore.voting import pabulib

    kwargs = _rule_kwargs(args)
    instance, profile = _read(args.file, rep)
    outcome = _tally(instance, profile, kwargs, rep)
    extra = outcome_meta(outcome)
    if args.out == "-":
        pabulib.write(instance, profile, sys.stdout, extra_meta=extra, selected=outcome.selected)
        return EXIT_OK
    out = Path(args.out)
    if out.exists() and not args.force:
        raise UsageError(f"{out} exists; use --force to overwrite it")
    tmp = out.with_name(out.name + ".tmp")
    try:
        pabulib.write(instance, profile, tmp, extra_meta=extra, selected=outcome.selected)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    result = _outcome_json(outcome, instance, args.file, steps=False)
    result["n_voters"] = profile.n_voters
    result["written"] = str(out)
    _print_json(result)
    return EXIT_OK


# --------------------------------------------------------------------------- main


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("buurtbasis")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


class _Version(argparse.Action):
    """``--version``, looked up only when asked (importlib.metadata costs a few ms)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, help=None, **_):
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(f"{parser.prog} {_version()}\n")
        parser.exit()


def _add_common_options(p: argparse.ArgumentParser, *, top_level: bool) -> None:
    # On the subcommands the defaults are SUPPRESS, so that `buurtbasis --lang nl pb ...`
    # and `buurtbasis pb tally FILE --lang nl` both work.
    default = (lambda value: value) if top_level else (lambda value: argparse.SUPPRESS)
    p.add_argument(
        "--lang",
        choices=("en", "nl"),
        default=default(os.environ.get("BUURTBASIS_LANG", "en")),
        help="language of messages on stderr (en)",
    )
    progress = p.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=default(None),
        help="show progress on stderr (default: only on a terminal)",
    )
    progress.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        default=default(None),
        help="never show progress",
    )


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; for a ``pb`` command line (``argv``) without the other groups.

    The other groups' modules are only imported when they may be needed: their
    packages pull in scipy and friends, which a ``pb tally`` does not need.
    """
    parser = _Parser(
        prog="buurtbasis",
        description="Buurtbasis tools. `buurtbasis pb --help` for participatory-budgeting files.",
    )
    _add_common_options(parser, top_level=True)
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    groups = {} if _group_of(argv) == "pb" else _group_modules()
    top = parser.add_subparsers(
        dest="group", metavar="{" + ",".join(["pb", *groups]) + "}", parser_class=_Parser
    )
    pb = top.add_parser(
        "pb",
        help="Pabulib participatory-budgeting files",
        description="Validate, describe and count Pabulib (.pb) election files. "
        "JSON on stdout; exit 0 ok, 1 invalid input, 2 wrong usage. FILE '-' reads stdin.",
    )
    cmds = pb.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = cmds.add_parser("rules", help="the registered rules and what they support")
    _add_common_options(p, top_level=False)
    p.set_defaults(func=cmd_rules, file="-")

    p = cmds.add_parser("validate", help="check a file; errors name the line")
    p.add_argument("file", metavar="FILE")
    _add_common_options(p, top_level=False)
    p.set_defaults(func=cmd_validate)

    p = cmds.add_parser("stats", help="sizes, costs, ballot lengths, votes per project")
    p.add_argument("file", metavar="FILE")
    _add_common_options(p, top_level=False)
    p.set_defaults(func=cmd_stats)

    p = cmds.add_parser("tally", help="count the votes with a rule")
    p.add_argument("file", metavar="FILE")
    _add_common_options(p, top_level=False)
    _add_rule_options(p)
    p.add_argument("--steps", action="store_true", help="include the rule's trace")
    p.add_argument("--json", action="store_true", help="JSON output (the default)")
    p.set_defaults(func=cmd_tally)

    p = cmds.add_parser("explain", help="why each project was or was not funded")
    p.add_argument("file", metavar="FILE")
    _add_common_options(p, top_level=False)
    _add_rule_options(p)
    p.add_argument("--text", action="store_true", help="plain Dutch text instead of JSON")
    p.add_argument("--json", action="store_true", help="JSON output (the default)")
    p.set_defaults(func=cmd_explain)

    p = cmds.add_parser("compare", help="two rules side by side")
    p.add_argument("file", metavar="FILE")
    _add_common_options(p, top_level=False)
    p.add_argument("--a", required=True, metavar="SPEC", help='e.g. "rule=mes,completion=add1"')
    p.add_argument("--b", required=True, metavar="SPEC", help='e.g. "rule=greedy"')
    p.add_argument("--text", action="store_true", help="plain Dutch text instead of JSON")
    p.add_argument("--json", action="store_true", help="JSON output (the default)")
    p.set_defaults(func=cmd_compare)

    p = cmds.add_parser(
        "write", help="write the file back with the outcome (META + selected column)"
    )
    p.add_argument("file", metavar="FILE")
    _add_common_options(p, top_level=False)
    p.add_argument("out", metavar="OUT", help="output file ('-' for stdout)")
    _add_rule_options(p)
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    p.set_defaults(func=cmd_write)

    group_parsers = {"pb": pb}
    for name, module in groups.items():
        group = top.add_parser(name, help=module.HELP, description=module.HELP)
        module.register(group, common_options=lambda p: _add_common_options(p, top_level=False))
        group_parsers[name] = group
    parser._group_parsers = group_parsers  # type: ignore[attr-defined]
    return parser


def _group_of(argv: Sequence[str] | None) -> str | None:
    """The command group named on the command line (the first positional argument).

    >>> _group_of(["--lang", "nl", "pb", "tally", "x.pb"]), _group_of(["sepa"]), _group_of([])
    ('pb', 'sepa', None)
    """
    args = list(sys.argv[1:] if argv is None else argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang":
            i += 2
            continue
        if not arg.startswith("-"):
            return arg
        i += 1
    return None


def _group_modules() -> dict[str, Any]:
    import importlib
    import importlib.util

    found = {}
    for dotted in GROUP_MODULES:
        try:
            spec = importlib.util.find_spec(dotted)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            module = importlib.import_module(dotted)
            found[module.NAME] = module
    return found


def _report_error(path: str, err: Exception, rep: _Reporter) -> None:
    en = str(err)
    nl = getattr(err, "text_nl", None) or getattr(err, "message_nl", None) or en
    rep.message(f"{path}: {en}", f"{path}: {nl}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
        if args.group is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        if getattr(args, "command", None) is None:
            parser._group_parsers[args.group].print_help(sys.stderr)  # type: ignore[attr-defined]
            return EXIT_USAGE
    except UsageError as err:
        sys.stderr.write(f"{err}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    rep = _Reporter(progress=args.progress, lang=args.lang)
    return _run(args, rep)


def _run(args: argparse.Namespace, rep: _Reporter) -> int:
    from buurtcore.voting.pabulib import PabulibError

    try:
        from buurtcore.voting import RuleError
    except ImportError:  # pragma: no cover - rules not installed yet
        RuleError = ValueError  # noqa: N806
    try:
        return args.func(args, rep)
    except UsageError as err:
        rep.message(f"buurtbasis: error: {err}", f"buurtbasis: fout: {err}")
        return EXIT_USAGE
    except PabulibError as err:
        _report_error(args.file, err, rep)
        return EXIT_INVALID
    except RuleError as err:
        rep.message(
            f"{args.file}: {err.message}",
            f"{args.file}: {getattr(err, 'message_nl', err.message)}",
        )
        return EXIT_INVALID
    except BrokenPipeError:  # pragma: no cover - e.g. `| head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:
        rep.message(f"buurtbasis: {err}", f"buurtbasis: {err}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        rep.clear()
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
