"""Kill the production server (SIGKILL) in the middle of a load and start it again:
every acknowledged ballot is still stored, nothing is doubled.

Runs ``bench/ballots.py --kill-after`` in a subprocess (granian and gunicorn, its own database:
SQLite normally, PostgreSQL with normal durability when the suite runs under
``scripts/with_postgres.py``) and then checks the database itself.
"""

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
BENCH = ROOT / "bench" / "ballots.py"

pytestmark = pytest.mark.slow


def _run_bench(tmp_path: Path, db: str, server: str) -> tuple[dict, str, str]:
    report = tmp_path / "report.json"
    command = [
        sys.executable,
        str(BENCH),
        "--ballots",
        "240",
        "--clients",
        "8",
        "--workers",
        "2",
        "--server",
        server,
        "--db",
        db,
        "--kill-after",
        "0.4",
        "--report",
        str(report),
        "--keep-dir",
        str(tmp_path / "db"),
    ]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, env=env, cwd=ROOT)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return json.loads(report.read_text()), done.stdout, done.stderr


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_every_acknowledged_ballot_survives_a_killed_server(tmp_path, server):
    db = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    data, stdout, stderr = _run_bench(tmp_path, db, server)
    summary = data["summary"]
    assert "killed the server (SIGKILL)" in stderr
    assert 0 < summary["acknowledged_before_kill"] < 240
    assert summary["acknowledged"] == 240
    assert summary["lost"] == 0 and summary["duplicated"] == 0
    assert summary["stored"] == 240
    last_line = stdout.strip().splitlines()[-1]
    assert last_line.startswith("ballots acknowledged=240 stored=240 lost=0 duplicated=0 ")
    if db != "sqlite":
        return
    # Check the SQLite file ourselves, not only the benchmark's own count.
    with sqlite3.connect(tmp_path / "db" / "bench.sqlite3") as conn:
        ballots = dict(conn.execute("SELECT receipt, id FROM ballots_ballot").fetchall())
        codes = [row[0] for row in conn.execute("SELECT voting_code_id FROM ballots_ballot")]
        pairs = conn.execute("SELECT ballot_id, plan_id FROM ballots_ballotchoice").fetchall()
    choices = defaultdict(set)
    for ballot_id, plan_id in pairs:
        choices[ballot_id].add(plan_id)
    assert len(pairs) == len(set(pairs))
    assert max(Counter(codes).values()) == 1
    assert len(ballots) == len(data["acks"]) == 240
    for ack in data["acks"]:
        assert ack["receipt"] in ballots
        assert choices[ballots[ack["receipt"]]] == set(ack["plans"])
