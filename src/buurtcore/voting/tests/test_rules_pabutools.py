"""Quick live comparison with pabutools on the small real files.

E3's ``test_reference*.py`` holds the systematic parity tests; this one keeps
the rules owner honest while editing. pabutools is a test-only dependency.
"""

import pytest

from buurtcore.voting import pabulib, tally

pabutools = pytest.importorskip("pabutools")

from pabutools.election import (  # noqa: E402
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    Cardinality_Sat,
    Cost_Sat,
    parse_pabulib,
)
from pabutools.rules import (  # noqa: E402
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)

SAT = {
    "cost": Cost_Sat,
    "cardinality": Cardinality_Sat,
    "points": Additive_Cardinal_Sat,
    "borda": Additive_Borda_Sat,
}
NATURAL = {"approval": "cost", "choose-1": "cost", "cumulative": "points", "ordinal": "borda"}

FILES = [
    "Netherlands_Assen_2024.pb",
    "Netherlands_Amsterdam_643.pb",
    "Netherlands_Amsterdam_588.pb",
    "Poland_Zabrze_2020_Biskupice.pb",
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
    "Switzerland_Zurich_D10.pb",
    "US_Stanford_Dataset_Your_Voice_Your_Choice_Parks_and_Streets-_Seattle_2019_District_5_vote_rankings.pb",
]


@pytest.mark.parametrize("name", FILES)
def test_it_selects_what_pabutools_selects(pabulib_file, name):
    path = pabulib_file(name)
    inst, prof = pabulib.read(path)
    p_inst, p_prof = parse_pabulib(str(path))
    natural = NATURAL[inst.vote_type]
    for sat in dict.fromkeys([natural, "cost", "cardinality"]):
        ref = greedy_utilitarian_welfare(p_inst, p_prof, sat_class=SAT[sat])
        ours = tally(inst, prof, rule="greedy", sat=sat)
        assert sorted(ours.selected) == sorted(p.name for p in ref), ("greedy", sat)
        ref = method_of_equal_shares(p_inst, p_prof, sat_class=SAT[sat])
        ours = tally(inst, prof, rule="mes", sat=sat)
        assert sorted(ours.selected) == sorted(p.name for p in ref), ("mes", sat)
    if inst.vote_type in ("approval", "choose-1"):
        ref = sequential_phragmen(p_inst, p_prof)
        ours = tally(inst, prof, rule="phragmen")
        assert sorted(ours.selected) == sorted(p.name for p in ref), "phragmen"
    if prof.n_voters < 500:
        ref = method_of_equal_shares(
            p_inst, p_prof, sat_class=SAT[natural], voter_budget_increment=1
        )
        ours = tally(inst, prof, rule="mes", completion="add1")
        assert sorted(ours.selected) == sorted(p.name for p in ref), "mes add1"
