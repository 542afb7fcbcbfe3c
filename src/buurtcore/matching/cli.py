"""``buurtbasis match``: suggestions, batch proposals and single pair scores as JSON.

::

    buurtbasis match suggest HOUSEHOLDS.json --for ID [--top N] [--max-km X] [--require-language]
    buurtbasis match propose HOUSEHOLDS.json [--max-km X] [--require-language] [--min-score S]
    buurtbasis match score HOUSEHOLDS.json --pair ID ID

The input and output shapes are a stable contract, documented in docs/matching.md.
Exit codes: 0 ok, 1 invalid input (one line on stderr), 2 wrong usage.

Examples
--------
>>> import io, contextlib, json
>>> from buurtcore.cli import main
>>> from buurtcore.matching.cli import example_path
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     code = main(["match", "propose", str(example_path()), "--json"])
>>> code, json.loads(out.getvalue())["decision"]
(0, False)
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from buurtcore.cliargs import positive_float, positive_int

NAME = "match"
HELP = "buddy households (maatjes): suggestions and batch proposals (JSON in and out)"

EXIT_OK, EXIT_INVALID = 0, 1


def example_path() -> Path:
    """A small example input shipped with the package (tests/data/households.json)."""
    return Path(__file__).resolve().parent / "tests" / "data" / "households.json"


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _constraint_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("constraints (override the file's options)")
    dist = g.add_mutually_exclusive_group()
    dist.add_argument(
        "--max-km",
        type=positive_float,
        default=None,
        metavar="X",
        help="maximum distance in km (default: the file's, else 10)",
    )
    dist.add_argument("--no-max-km", action="store_true", help="no maximum distance")
    g.add_argument(
        "--require-language",
        action="store_true",
        default=None,
        help="a shared language is a must-have for every pair",
    )
    g.add_argument(
        "--half-km",
        type=positive_float,
        default=None,
        metavar="X",
        help="distance at which the distance component halves (default 2)",
    )
    p.add_argument("--json", action="store_true", help="JSON output (the default)")


def register(parser: argparse.ArgumentParser, *, common_options) -> None:
    """Add the ``match`` commands to the group parser."""
    cmds = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))

    p = cmds.add_parser("suggest", help="ranked candidates for one household")
    p.add_argument("file", metavar="HOUSEHOLDS.json", help="input file ('-' for stdin)")
    p.add_argument("--for", dest="for_id", required=True, metavar="ID", help="the household")
    p.add_argument("--top", type=positive_int, default=10, metavar="N", help="how many (10)")
    _constraint_options(p)
    common_options(p)
    p.set_defaults(func=cmd_suggest)

    p = cmds.add_parser("propose", help="a batch proposal that maximises the total fit")
    p.add_argument("file", metavar="HOUSEHOLDS.json", help="input file ('-' for stdin)")
    p.add_argument(
        "--min-score",
        type=_float,
        default=None,
        metavar="S",
        help="never propose a pair scoring S or less (default 0)",
    )
    _constraint_options(p)
    common_options(p)
    p.set_defaults(func=cmd_propose)

    p = cmds.add_parser("score", help="the score and explanation of one pair")
    p.add_argument("file", metavar="HOUSEHOLDS.json", help="input file ('-' for stdin)")
    p.add_argument("--pair", nargs=2, required=True, metavar="ID", help="two household ids")
    _constraint_options(p)
    common_options(p)
    p.set_defaults(func=cmd_score)


def _load(args: argparse.Namespace):
    from .model import read_input

    name = args.file
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _Fail(f"{name}: file not found", f"{name}: bestand niet gevonden") from None
    except UnicodeDecodeError:
        raise _Fail(f"{name}: not UTF-8 text", f"{name}: geen UTF-8-tekst") from None
    except OSError as err:
        reason = err.strerror or str(err)
        raise _Fail(f"{name}: cannot read: {reason}", f"{name}: kan niet lezen: {reason}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise _Fail(
            f"{name}: not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}",
            f"{name}: geen geldige JSON (regel {err.lineno}, kolom {err.colno}): {err.msg}",
        ) from None
    overrides: dict[str, Any] = {
        "max_km": args.max_km,
        "require_language": args.require_language,
        "half_km": args.half_km,
        "min_score": getattr(args, "min_score", None),
    }
    households, options = read_input(data, **overrides)
    if args.no_max_km:
        from dataclasses import replace

        options = replace(options, max_km=None)
    return households, options


class _Fail(Exception):
    def __init__(self, en: str, nl: str):
        super().__init__(en)
        self.en, self.nl = en, nl


def _run(args: argparse.Namespace, rep, work) -> int:
    from .model import MatchingError

    try:
        households, options = _load(args)
        result = work(households, options)
    except _Fail as err:
        rep.message(err.en, err.nl)
        return EXIT_INVALID
    except MatchingError as err:
        rep.message(f"{args.file}: {err.message}", f"{args.file}: {err.message_nl}")
        return EXIT_INVALID
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace, rep) -> int:
    from .assign import Matcher

    return _run(args, rep, lambda hs, opts: Matcher(hs, opts).suggest(args.for_id, args.top))


def cmd_propose(args: argparse.Namespace, rep) -> int:
    from .assign import Matcher

    return _run(args, rep, lambda hs, opts: Matcher(hs, opts).propose())


def cmd_score(args: argparse.Namespace, rep) -> int:
    from .assign import NOTICE
    from .model import MatchingError
    from .scoring import pair_dict, score_pair

    def work(households, options):
        by_id = {h.id: h for h in households}
        for hid in args.pair:
            if hid not in by_id:
                raise MatchingError(f"unknown household id {hid!r}", f"onbekend huishouden {hid!r}")
        a, b = (by_id[hid] for hid in args.pair)
        if a.kind == "local" and b.kind == "newcomer":
            a, b = b, a
        pair = score_pair(a, b, options)
        return {
            "command": "score",
            "decision": False,
            "notice": dict(NOTICE),
            "options": options.as_dict(),
            "pair": {"newcomer": pair.a, "local": pair.b, **pair_dict(pair, options)},
        }

    return _run(args, rep, work)
