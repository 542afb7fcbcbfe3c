"""``buurtbasis bank``: read CAMT.053 bank statements on the command line.

::

    buurtbasis bank read FILE [--json]      (FILE '-' reads stdin)

JSON on stdout (the shape is a stable contract, see docs/bank-files.md); warnings (a balance
that does not add up) and errors as one line on stderr, in English or with ``--lang nl`` in
Dutch. Exit codes: 0 read, 1 a file that cannot be read, 2 wrong usage.

>>> import io, contextlib, json, tempfile, os
>>> from buurtcore.bank.writer import example_statement_xml
>>> from buurtcore.cli import main
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "statement.xml")
...     with open(path, "wb") as f:
...         _ = f.write(example_statement_xml())
...     out = io.StringIO()
...     with contextlib.redirect_stdout(out):
...         code = main(["bank", "read", path, "--json"])
>>> code, json.loads(out.getvalue())["statements"][0]["closing_balance_cents"]
(0, 87550)
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

NAME = "bank"
HELP = "Bank statements: read CAMT.053 files (JSON on stdout)"

EXIT_OK, EXIT_INVALID = 0, 1


def register(parser: argparse.ArgumentParser, *, common_options: Any) -> None:
    """Add the ``bank`` commands to the group parser."""
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))
    p = commands.add_parser(
        "read",
        help="read a CAMT.053 statement file",
        description="Read a CAMT.053 (ISO 20022 bank-to-customer statement) file, any version "
        "from camt.053.001.02 on. JSON on stdout; exit 0 ok, 1 a file that cannot be read, "
        "2 wrong usage. FILE '-' reads stdin.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="JSON output (the default)")
    common_options(p)
    p.set_defaults(func=cmd_read)


def cmd_read(args: argparse.Namespace, rep: Any) -> int:
    """Read FILE and print it as JSON."""
    from buurtcore.bank.camt import BankFileError, read_camt053

    try:
        source = sys.stdin.buffer if args.file == "-" else args.file
        result = read_camt053(source)
    except BankFileError as err:
        rep.message(f"{args.file}: {err}", f"{args.file}: {err.text_nl}")
        return EXIT_INVALID
    except IsADirectoryError:
        rep.message(f"{args.file}: this is a folder, not a file", f"{args.file}: dit is een map")
        return EXIT_INVALID
    except FileNotFoundError:
        rep.message(f"{args.file}: no such file", f"{args.file}: dit bestand bestaat niet")
        return EXIT_INVALID
    except PermissionError:
        rep.message(
            f"{args.file}: the file may not be read (permission denied)",
            f"{args.file}: het bestand mag niet worden gelezen (geen toegang)",
        )
        return EXIT_INVALID
    except OSError as err:
        reason = err.strerror or str(err)
        rep.message(
            f"{args.file}: cannot read the file ({reason})",
            f"{args.file}: het bestand kan niet worden gelezen ({reason})",
        )
        return EXIT_INVALID
    for warning in result.warnings:
        where = f"{warning.element}: " if warning.element else ""
        rep.message(
            f"{args.file}: warning: {where}{warning.message}",
            f"{args.file}: waarschuwing: {where}{warning.message_nl}",
        )
    sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
