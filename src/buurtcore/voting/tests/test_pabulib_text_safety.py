"""The writer never produces a file its own reader refuses, whatever text the names hold.

Plan titles, round titles, area names and other free text come from people (and from old
data or the admin, which do not pass the forms' checks). A Pabulib file is line based, so
a line break inside a name cannot be written as such; the writer turns every line break
(anything ``str.splitlines`` splits on) and NUL into a space and drops the spaces around a
value (the reader drops those anyway). Everything else (``;``, quotes, tabs, commas in
names, any other unicode) is kept exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from buurtcore.voting import pabulib
from buurtcore.voting.model import Instance, Profile, Project

# Any unicode, with the awkward characters made likely.
_NASTY = st.sampled_from(
    list(';",\n\r\t\x00\x0b\x0c\x1c\x1d\x1e\x1f\x7f\x85\u2028\u2029\ufeff \u00a0')
    + ["META", "PROJECTS", "VOTES", ";VOTES;", '""', "\r\n"]
)
_ANY_TEXT = st.lists(st.one_of(st.text(max_size=4), st.characters(), _NASTY), max_size=10).map(
    "".join
)


def _election(
    names: list[str], title: str, area: str, voter_field: str
) -> tuple[Instance, Profile]:
    projects = {
        str(i + 1): Project(str(i + 1), Fraction(100 * (i + 1)), name, {"neighborhood": area})
        for i, name in enumerate(names)
    }
    instance = Instance(
        meta={"description": title, "unit": area, "budget": "1000"},
        projects=projects,
        budget=Fraction(1000),
        vote_type="approval",
        project_columns=["project_id", "cost", "name", "neighborhood"],
    )
    profile = Profile(
        voter_ids=["v1", "v2"],
        indptr=np.array([0, 1, 2], dtype=np.int64),
        project_index=np.array([0, len(names) - 1], dtype=np.int32),
        points=None,
        voter_fields={"buurt": [voter_field, area]},
        vote_columns=["voter_id", "vote", "buurt"],
        project_ids=list(projects),
        points_denominator=1,
    )
    return instance, profile


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(_ANY_TEXT, min_size=1, max_size=4),
    title=_ANY_TEXT,
    area=_ANY_TEXT,
    voter_field=_ANY_TEXT,
    extra=_ANY_TEXT,
)
@example(
    names=["Bankjes\nbij de speeltuin"],
    title="Buurtbudget\r\n2026",
    area="a",
    voter_field="",
    extra="",
)
@example(
    names=["a\u2028b", 'x";y'], title=";VOTES;", area="\x00", voter_field="\x85", extra="\ufeff"
)
def test_whatever_the_text_the_file_reads_back(names, title, area, voter_field, extra):
    instance, profile = _election(names, title, area, voter_field)
    text = pabulib.write(instance, profile, extra_meta={"note": extra})
    for source in (text, text.encode("utf-8")):
        back, back_profile = pabulib.read(source)
        assert [p.name for p in back.projects.values()] == [pabulib.clean_text(n) for n in names]
        assert back.meta["description"] == pabulib.clean_text(title)
        assert back.meta["unit"] == pabulib.clean_text(area)
        assert back.meta["note"] == pabulib.clean_text(extra)
        assert all(
            p.fields["neighborhood"] == pabulib.clean_text(area) for p in back.projects.values()
        )
        assert back_profile.voter_fields["buurt"] == [
            pabulib.clean_text(voter_field),
            pabulib.clean_text(area),
        ]
        assert back_profile.ballot(1) == [str(len(names))]


def _unwritable(c: str) -> bool:
    return c == "\x00" or len(f"a{c}b".splitlines()) > 1 or "\ud800" <= c <= "\udfff"


@given(_ANY_TEXT)
def test_clean_text_only_touches_what_a_line_cannot_hold(value):
    cleaned = pabulib.clean_text(value)
    assert pabulib.clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert not any(_unwritable(c) for c in cleaned)
    if value == value.strip() and not any(_unwritable(c) for c in value):
        assert cleaned == value


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Bankjes\nbij de speeltuin", "Bankjes bij de speeltuin"),
        ('  Groen ;\t"dak"\r\n', 'Groen ;\t"dak"'),
        ("a\u2028b\u2029c\x85d", "a b c d"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ('Speeltuin "De Wip" Noord', 'Speeltuin "De Wip" Noord'),
    ],
)
def test_clean_text_examples(raw, cleaned):
    assert pabulib.clean_text(raw) == cleaned


def test_a_lone_surrogate_in_a_name_still_writes_utf8():
    instance, profile = _election(["x\udc80y"], "t", "a", "")
    data = pabulib.write(instance, profile).encode("utf-8")
    back, _ = pabulib.read(data)
    assert back.projects["1"].name == "x\ufffdy"
