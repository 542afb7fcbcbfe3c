"""Every shared Pabulib file: read, round trip, and agree with pabutools' parser."""

from __future__ import annotations

from fractions import Fraction

import pytest

from buurtcore.voting import pabulib

# Small and medium files covering every vote type and the quirks of real data
# (decimal costs, quoted names, a duplicated approval, ordinal points, survey columns).
PARITY_FILES = [
    "Netherlands_Assen_2024.pb",
    "Netherlands_Amsterdam_604.pb",
    "Netherlands_Amsterdam_643.pb",
    "Netherlands_Amsterdam_252.pb",
    "France_Toulouse_2024.pb",
    "Poland_Czestochowa_2024_Trzech_Wieszczow.pb",
    "Poland_Krakow_2022_Podgorze.pb",
    "Poland_Warszawa_2019_WrzecionoMlociny.pb",
    "Switzerland_Zurich_D10.pb",
    "US_Stanford_Dataset_Your_Voice_Your_Choice_Parks_and_Streets-_Seattle_2019_District_5_vote_rankings.pb",
]


def test_it_reads_and_round_trips_every_shared_file(pabulib_dir):
    files = sorted(pabulib_dir.glob("*.pb"))
    assert files
    for path in files:
        instance, profile, warnings = pabulib.read_with_warnings(path)
        assert profile.n_voters == int(instance.meta["num_votes"]), path.name
        assert len(instance.projects) == int(instance.meta["num_projects"]), path.name
        assert int(profile.indptr[-1]) == len(profile.project_index), path.name
        text = pabulib.write(instance, profile)
        again, again_profile = pabulib.read(text)
        assert again == instance, path.name
        assert again_profile == profile, path.name
        # writing is stable: the second write gives the same text
        assert pabulib.write(again, again_profile) == text, path.name
        # the only accepted irregularities in the shared set are the known duplicate approvals
        for w in warnings:
            assert "more than once" in w.message or "votes=" in w.message, (path.name, w)


def test_the_known_quirks_of_real_files_are_reported(pabulib_dir):
    _i, _p, warnings = pabulib.read_with_warnings(pabulib_dir / "Netherlands_Amsterdam_604.pb")
    assert any(w.line == 1927 and "more than once" in w.message for w in warnings)
    instance, _p = pabulib.read(pabulib_dir / "France_Toulouse_2024.pb")
    assert all(p.cost.denominator == 1 for p in instance.projects.values())
    assert "201000.0" in (pabulib_dir / "France_Toulouse_2024.pb").read_text(encoding="utf-8")
    instance, _p = pabulib.read(pabulib_dir / "Netherlands_Amsterdam_252.pb")
    assert pabulib.neighborhood_budgets(instance) == {
        "Oostelijke Eilanden": 150000,
        "Haarlemmerhouttuinen": 100000,
        "Other": 250000,
    }
    instance, _p = pabulib.read(pabulib_dir / "Poland_Warszawa_2026.pb")
    assert pabulib.score_threshold(instance) == 3000


@pytest.mark.parametrize("name", PARITY_FILES)
def test_it_agrees_with_pabutools(pabulib_dir, name):
    from pabutools.election import parse_pabulib

    path = pabulib_dir / name
    ref_instance, ref_profile = parse_pabulib(str(path))
    instance, profile = pabulib.read(path)
    assert Fraction(ref_instance.budget_limit) == instance.budget
    ref_costs = {p.name: Fraction(p.cost) for p in ref_instance}
    assert ref_costs == {pid: p.cost for pid, p in instance.projects.items()}
    assert len(ref_profile) == profile.n_voters
    ids = instance.project_ids()
    for v, ref_ballot in enumerate(ref_profile):
        mine = profile.ballot(v)
        if instance.vote_type in ("approval", "choose-1"):
            assert {p.name for p in ref_ballot} == set(mine), (name, v)
        elif instance.vote_type == "ordinal":
            assert [p.name for p in ref_ballot] == mine, (name, v)
        else:
            points = profile.ballot_points(v)
            assert {p.name: Fraction(s) for p, s in ref_ballot.items()} == dict(
                zip(mine, points, strict=True)
            ), (name, v)
        for key, value in ref_ballot.meta.items():
            if key == "points":  # ordinal files: pabutools keeps the column as ballot meta
                assert ",".join(map(str, profile.ballot_points(v))) == value, (name, v)
            elif key != "voter_id":
                assert profile.voter_fields[key][v] == value, (name, v, key)
        assert ref_ballot.meta.get("voter_id") == profile.voter_ids[v]
    assert ids == [p for p in instance.projects]
