"""What a ``pb`` command line loads before it counts."""

from __future__ import annotations

import subprocess
import sys

from buurtcore.cli import main
from buurtcore.voting.examples import example_path


def test_a_pb_command_line_does_not_read_the_package_metadata():
    # importlib.metadata (for --version) costs a few ms on every command
    path = example_path("buurtbudget_ordinal.pb")
    code = (
        "import io, sys, contextlib\n"
        "from buurtcore.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['pb', 'tally', {str(path)!r}, '--rule', 'mes', '--completion', 'add1'])\n"
        "print(rc, 'importlib.metadata' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]


def test_version_is_still_printed_on_stdout(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    out, err = capsys.readouterr()
    assert out.startswith("buurtbasis ") and out.endswith("\n") and not err
