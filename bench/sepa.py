"""Benchmark: a payout batch of 2,000 payments written as pain.001 and validated.

The target of the fiscal-hosting work is "a payout batch of 2,000 payments written and
validated under 5 s". Each run is timed in phases: checking the batch (IBANs,
transliteration, ids), writing the XML with sepaxml, validating it against the bundled
XSD with lxml, and, separately, the whole ``buurtbasis sepa transfer`` command in a
fresh process (interpreter start, imports and schema loading included). Prints the
median and range of several runs for both pain.001 versions.

Usage::

    .venv/bin/python bench/sepa.py                 # 2,000 payments, 5 runs
    .venv/bin/python bench/sepa.py --payments 10000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from buurtcore.sepa import PAIN_VERSIONS, batch_from_dict, read_pain001  # noqa: E402
from buurtcore.sepa.transfer import _schema, _schema_name, check_schema, write_pain001  # noqa: E402

IBANS = [
    "NL44RABO0123456789",
    "NL69INGB0123456789",
    "NL23BUNQ0123456789",
    "NL70TRIO0123456789",
    "NL57ASNB0123456789",
    "NL12SNSB0123456789",
    "NL68KNAB0123456789",
    "NL32RBRB0123456789",
    "DE89370400440532013000",
]
FIRST = ["Zoë", "Jürgen", "Anaïs", "Ömer", "Fatima", "Søren", "Łucja", "Mark", "Iris", "Noël"]
LAST = ["Çelik", "Groß", "de Vries", "Yılmaz", "El Amrani", "Jansen", "Østergaard", "Bakker"]


def make_batch(n: int, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    return {
        "debtor": {"name": "Stichting Welzijn Verbindt", "iban": "NL91ABNA0417164300"},
        "execution_date": "2026-12-07",
        "batch_id": f"UITBET-BENCH-{n}",
        "payments": [
            {
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "iban": rng.choice(IBANS),
                "amount_cents": rng.randint(1, 10**7),
                "end_to_end_id": f"EXP-{i:06d}",
                "remittance": f"Declaratie {i} – buurtfeest, bonnetje {rng.randint(1, 999)}",
            }
            for i in range(n)
        ],
    }


def time_in_process(data: dict, version: str) -> dict[str, float]:
    t0 = time.perf_counter()
    batch = batch_from_dict(data)
    t1 = time.perf_counter()
    xml = write_pain001(batch, version, validate=False)
    t2 = time.perf_counter()
    check_schema(xml, version)  # raises on the first schema error
    t3 = time.perf_counter()
    assert read_pain001(xml)["ctrl_sum_cents"] == batch.total_cents
    return {
        "check": t1 - t0,
        "write": t2 - t1,
        "validate": t3 - t2,
        "total": t3 - t0,
        "bytes": len(xml),
    }


def time_cli(path: Path, version: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "buurtcore", "sepa", "transfer", str(path), "--pain", version],
        capture_output=True,
        env=env,
        check=True,
    )
    elapsed = time.perf_counter() - t0
    assert out.stdout.startswith(b"<?xml")
    return elapsed


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (range {min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data = make_batch(args.payments)
    print(f"batch: {args.payments:,} payments, {args.runs} runs each, {os.cpu_count()} CPUs")
    # Load both schemas once, as a long-running process would.
    t0 = time.perf_counter()
    for version in PAIN_VERSIONS:
        _schema(_schema_name(version))
    print(f"loading both XSDs once: {time.perf_counter() - t0:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for version in PAIN_VERSIONS:
            runs = [time_in_process(data, version) for _ in range(args.runs)]
            cli = [time_cli(path, version) for _ in range(args.runs)]
            print(f"\npain.{version} ({runs[0]['bytes'] / 1e6:.2f} MB of XML)")
            for phase in ("check", "write", "validate", "total"):
                print(f"  {phase:<9} {fmt([r[phase] for r in runs])}")
            print(f"  CLI       {fmt(cli)}  (fresh process: start, imports, XSD load)")
            verdict = "under" if max(cli) < 5 else "OVER"
            print(f"  target 5 s: slowest CLI run {max(cli):.2f} s, {verdict} the target")


if __name__ == "__main__":
    main()
