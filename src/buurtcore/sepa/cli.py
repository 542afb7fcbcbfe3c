"""``buurtbasis sepa``: credit-transfer files and IBAN checks on the command line.

::

    buurtbasis sepa transfer BATCH.json [--pain 001.001.09|001.001.03]   # XML on stdout
    buurtbasis sepa iban IBAN [IBAN ...]                                  # JSON on stdout

``BATCH.json`` ('-' reads stdin)::

    {"debtor": {"name", "iban", "bic"?}, "execution_date": "YYYY-MM-DD", "batch_id",
     "payments": [{"name", "iban", "amount_cents", "end_to_end_id", "remittance"}]}

Exit codes: 0 written, 1 refused (every problem on its own line on stderr, each
payment named by index, name and end-to-end id; nothing on stdout), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

NAME = "sepa"
HELP = "SEPA credit-transfer files (pain.001) and IBAN checks"

EXIT_OK, EXIT_INVALID = 0, 1
#: At most this many problems are listed on stderr (then a count of the rest).
MAX_LISTED = 50


#: Same as ``buurtcore.sepa.transfer.PAIN_VERSIONS`` (a test checks), kept here so that
#: registering the commands loads no XML or IBAN library.
PAIN_VERSIONS = ("001.001.09", "001.001.03")


def register(parser: argparse.ArgumentParser, *, common_options) -> None:
    cmds = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))
    p = cmds.add_parser(
        "transfer",
        help="write a pain.001 credit-transfer file from a batch (JSON)",
        description="Write a SEPA credit-transfer file (pain.001, validated against its "
        "XML schema) to stdout. Refusals go to stderr, one line per problem, exit 1.",
    )
    p.add_argument("file", metavar="BATCH.json", help="the batch; '-' reads stdin")
    p.add_argument(
        "--pain",
        choices=PAIN_VERSIONS,
        default=PAIN_VERSIONS[0],
        help=f"pain.001 version ({PAIN_VERSIONS[0]}; {PAIN_VERSIONS[1]} for banks that "
        "still ask for it)",
    )
    common_options(p)
    p.set_defaults(func=cmd_transfer)

    p = cmds.add_parser(
        "iban",
        help="check IBANs and show their bank (JSON)",
        description="Check IBANs offline and show bank name and BIC. Exit 1 when any is invalid.",
    )
    p.add_argument("ibans", metavar="IBAN", nargs="+")
    common_options(p)
    p.set_defaults(func=cmd_iban, file="-")


def _load(path: str, rep) -> tuple[Any, bool]:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as err:
        reason = err.strerror or str(err)
        rep.message(
            f"{path}: cannot read the file: {reason}",
            f"{path}: kan het bestand niet lezen: {reason}",
        )
        return None, False
    try:
        return json.loads(raw.decode("utf-8")), True
    except UnicodeDecodeError:
        rep.message(
            f"{path}: the file is not UTF-8 text", f"{path}: het bestand is geen UTF-8-tekst"
        )
    except json.JSONDecodeError as err:
        rep.message(
            f"{path}: not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}",
            f"{path}: geen geldige JSON (regel {err.lineno}, kolom {err.colno}): {err.msg}",
        )
    return None, False


def cmd_transfer(args: argparse.Namespace, rep) -> int:
    from .transfer import BatchError, SchemaValidationError, batch_from_dict, write_pain001

    data, ok = _load(args.file, rep)
    if not ok:
        return EXIT_INVALID
    try:
        batch = batch_from_dict(data)
        xml = write_pain001(batch, args.pain)
    except BatchError as err:
        for problem in err.problems[:MAX_LISTED]:
            rep.message(f"{args.file}: {problem.text('en')}", f"{args.file}: {problem.text('nl')}")
        rest = len(err.problems) - MAX_LISTED
        if rest > 0:
            rep.message(
                f"{args.file}: ... and {rest} more problems",
                f"{args.file}: ... en nog {rest} problemen",
            )
        return EXIT_INVALID
    except SchemaValidationError as err:
        rep.message(f"{args.file}: {err.message}", f"{args.file}: {err.message_nl}")
        return EXIT_INVALID
    sys.stdout.buffer.write(xml + b"\n")
    sys.stdout.flush()
    return EXIT_OK


def cmd_iban(args: argparse.Namespace, rep) -> int:
    from dataclasses import asdict

    from .iban import IbanError, check_iban

    results = []
    code = EXIT_OK
    for value in args.ibans:
        try:
            results.append({"input": value, "valid": True, **asdict(check_iban(value))})
        except IbanError as err:
            rep.message(err.message, err.message_nl)
            results.append(
                {"input": value, "valid": False, "error": err.message, "error_nl": err.message_nl}
            )
            code = EXIT_INVALID
    sys.stdout.write(json.dumps({"ibans": results}, ensure_ascii=False, indent=2) + "\n")
    return code
