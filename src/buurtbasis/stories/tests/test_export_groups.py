"""The researcher export's small-group rule: no combination of area, age band, role and
month occurs fewer than five times, so no teller can be singled out by these fields."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from buurtbasis.platform.audit import Origin

from .. import services
from ..exports import MIN_GROUP, generalise_small_groups
from .factories import open_round, tell, worker_for


def _row(area="WK01", age="25-44", role="resident", month="2026-03"):
    return {"area_code": area, "area": area, "age_band": age, "teller_role": role, "month": month}


def _smallest_group(records):
    """The smallest group that says anything (rows with all four fields blank say nothing)."""
    keys = Counter((r["area_code"], r["age_band"], r["teller_role"], r["month"]) for r in records)
    return min((n for key, n in keys.items() if any(key)), default=MIN_GROUP)


def test_a_large_group_stays_as_it_is():
    records = generalise_small_groups([_row() for _ in range(5)])
    assert all(r["generalised"] == [] and r["age_band"] == "25-44" for r in records)


def test_a_rare_role_is_left_out_first_and_the_age_band_stays_when_that_suffices():
    records = [_row() for _ in range(5)] + [_row(role="professional") for _ in range(2)]
    records += [_row(role="") for _ in range(3)]
    generalise_small_groups(records)
    rare = records[5:]
    assert [r["teller_role"] for r in rare] == [""] * 5
    assert [r["generalised"] for r in records[5:7]] == [["teller_role"], ["teller_role"]]
    assert all(r["age_band"] == "25-44" for r in records)
    assert _smallest_group(records) >= MIN_GROUP


def test_one_teller_alone_in_an_area_loses_age_band_role_month_and_area():
    records = [_row() for _ in range(5)] + [_row(area="WK99", age="75+", role="worker")]
    generalise_small_groups(records)
    alone = records[-1]
    assert (alone["age_band"], alone["teller_role"], alone["month"], alone["area"]) == (
        "",
        "",
        "",  # alone in its year as well
        "",
    )
    assert sorted(alone["generalised"]) == ["age_band", "area", "month", "teller_role"]


@pytest.mark.parametrize("seed", range(5))
def test_every_group_that_says_anything_is_large_enough_after_the_rule(seed):
    import random

    rng = random.Random(seed)
    records = [
        _row(
            area=rng.choice(["WK01", "WK02", "WK03"]),
            age=rng.choice(["", "0-17", "18-24", "25-44", "45-64", "65-74", "75+"]),
            role=rng.choice(["", "resident", "worker", "entrepreneur"]),
            month=rng.choice(["2026-01", "2026-02", "2026-03"]),
        )
        for _ in range(120)
    ]
    generalise_small_groups(records)
    assert _smallest_group(records) >= MIN_GROUP


@pytest.mark.django_db
def test_the_export_generalises_and_says_so_in_a_column():
    story_round = open_round()
    for i in range(5):
        tell(story_round, f"Het park is fijn, verhaal {i}.", age_band="25-44")
    tell(story_round, "Het park is te klein voor ons allemaal.", age_band="65+")
    worker = worker_for(story_round)
    content, _ = services.export_round(
        story_round=story_round, fmt="jsonl", origin=Origin(actor=worker)
    )
    records = [json.loads(line) for line in content.decode().splitlines()]
    assert [r["age_band"] for r in records[:5]] == ["25-44"] * 5
    assert records[5]["age_band"] == "" and "age_band" in records[5]["generalised"]
    csv_content, _ = services.export_round(
        story_round=story_round, fmt="csv", origin=Origin(actor=worker)
    )
    header = csv_content.decode("utf-8-sig").splitlines()[0]
    assert "generalised" in header
    assert "65+" not in csv_content.decode("utf-8-sig")
