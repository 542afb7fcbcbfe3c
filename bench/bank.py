#!/usr/bin/env python3
"""Reading and matching a large CAMT.053 statement.

    python bench/bank.py [--entries 10000] [--details 3] [--runs 7] [--version 08]

Generates one statement of ``--entries`` entries (one in ten a batch of ``--details``
payments, the rest single payments; names with accents and ``&<>``), writes it with the
test writer, then times, ``--runs`` times each and reports the median (min-max):

- parse: bytes -> dataclasses (``parse_camt053``), the part the issue's 10 s target for
  "import with matching" spends on the file;
- json: the CLI's JSON (``as_dict`` + ``json.dumps``);
- match: ``lines_from`` + ``match`` against as many expected payments as there are
  outgoing lines (a third with our end-to-end id, a third by IBAN and amount, a third by
  reference in the remittance).

Wall-clock time and the process's CPU time are both shown: on a shared machine the wall clock
says more about the neighbours than about the code.
The last line is for scripts: ``bank entries=N bytes=B parse_s=X parse_cpu_s=C json_s=Y
match_s=Z``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from buurtcore.bank import parse_camt053  # noqa: E402
from buurtcore.bank.matching import ExpectedPayment, lines_from, match  # noqa: E402
from buurtcore.bank.writer import statement_xml  # noqa: E402

NAMES = ["Zoë Çelik", "Bakkerij & Zn", "Fatima el Amrani", "J. <de> Vries", "Ünal Öztürk"]


def _iban(rng: random.Random) -> str:
    return f"NL{rng.randint(10, 99)}ABNA{rng.randint(0, 10**10 - 1):010d}"


def generate(entries: int, details: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    result = []
    for n in range(entries):
        batch = n % 10 == 0
        dets = []
        sign = -1 if rng.random() < 0.7 else 1
        for k in range(details if batch else 1):
            dets.append(
                {
                    "amount_cents": sign * rng.randint(100, 250_000),
                    "iban": _iban(rng),
                    "name": rng.choice(NAMES),
                    "end_to_end_id": f"BB-{n:06d}-{k}" if sign < 0 else "NOTPROVIDED",
                    "ustrd": [f"Declaratie {n}-{k} buurtinitiatief", "kenmerk RF" + str(n)],
                }
            )
        result.append(
            {
                "amount_cents": sum(d["amount_cents"] for d in dets),
                "booking_date": f"2026-11-{1 + n % 28:02d}",
                "batch": batch,
                "details": dets,
            }
        )
    return result


def expected(lines) -> list[ExpectedPayment]:
    payments = []
    for n, line in enumerate(x for x in lines if x.amount_cents < 0):
        kind = n % 3
        payments.append(
            ExpectedPayment(
                key=n,
                amount_cents=line.amount_cents,
                iban=line.counterparty_iban if kind == 1 else None,
                end_to_end_id=line.end_to_end_id if kind == 0 else None,
                reference=line.remittance.split()[1] if kind == 2 else None,
            )
        )
    return payments


def timed(fn, runs: int) -> tuple[tuple[list[float], list[float]], object]:
    """Wall-clock and CPU seconds of each run, and the last value."""
    wall, cpu, value = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return (wall, cpu), value


def fmt(times: tuple[list[float], list[float]]) -> str:
    wall, cpu = times
    return (
        f"{statistics.median(wall):.3f} s ({min(wall):.3f}-{max(wall):.3f}), "
        f"CPU {statistics.median(cpu):.3f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--details", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--version", default="08")
    args = parser.parse_args()

    statement = {
        "id": "BENCH-1",
        "iban": "NL20INGB0001234567",
        "opening_cents": 1_000_000,
        "entries": generate(args.entries, args.details),
    }
    data = statement_xml([statement], version=args.version)
    parse_times, result = timed(lambda: parse_camt053(data), args.runs)
    (read,) = result.statements
    assert len(read.entries) == args.entries and read.balance_ok
    json_times, text = timed(lambda: json.dumps(result.as_dict(), ensure_ascii=False), args.runs)
    lines = lines_from(result)
    payments = expected(lines)
    match_times, matches = timed(lambda: match(lines_from(result), payments), args.runs)
    matched = sum(1 for m in matches if m.payment is not None)
    n_details = sum(len(e.details) for e in read.entries)

    print(
        f"camt.053.001.{args.version}: {args.entries:,} entries, {n_details:,} details, "
        f"{len(data) / 1e6:.1f} MB; JSON {len(text) / 1e6:.1f} MB"
    )
    print(f"parse   {fmt(parse_times)}")
    print(f"json    {fmt(json_times)}")
    print(
        f"match   {fmt(match_times)}  ({len(lines):,} lines, {len(payments):,} payments, "
        f"{matched:,} matched)"
    )
    print(
        f"bank entries={args.entries} bytes={len(data)} "
        f"parse_s={statistics.median(parse_times[0]):.3f} "
        f"parse_cpu_s={statistics.median(parse_times[1]):.3f} "
        f"json_s={statistics.median(json_times[0]):.3f} "
        f"match_s={statistics.median(match_times[0]):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
