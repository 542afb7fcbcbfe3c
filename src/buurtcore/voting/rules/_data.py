"""Ballots turned into the arrays the rules work on (internal).

Every rule sees an election as *voter groups* (voters with identical ballots,
merged with a weight) and, per project, its supporters: the groups that get a
positive satisfaction from it, with an integer *unit* of satisfaction ``u``.
A supporter's satisfaction from project ``p`` is ``u * scale[p]``:

=============  =============================  ===============
sat            u                              scale[p]
=============  =============================  ===============
cost           1 for every project on ballot  cost of p
cardinality    1 for every project on ballot  1
points         the points given (> 0 only)    1
borda          ``len(ballot) - position - 1``  1
=============  =============================  ===============

These are pabutools' ``Cost_Sat``, ``Cardinality_Sat``,
``Additive_Cardinal_Sat`` and ``Additive_Borda_Sat``. Keeping ``u`` integral
keeps every later computation exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from buurtcore.voting.model import Instance, Profile

__all__ = ["NATURAL_SAT", "SATS", "Prepared", "RuleError", "natural_sat", "prepare"]

#: Satisfaction functions by id.
SATS = ("cost", "cardinality", "points", "borda")

#: The natural satisfaction of each ballot type.
NATURAL_SAT = {
    "approval": "cost",
    "choose-1": "cost",
    "cumulative": "points",
    "scoring": "points",
    "ordinal": "borda",
}


class RuleError(ValueError):
    """A rule cannot be applied as asked (English message; ``message_nl`` in Dutch)."""

    def __init__(self, message: str, message_nl: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_nl = message_nl or message


def natural_sat(vote_type: str) -> str:
    """The satisfaction that fits ballot type ``vote_type``.

    >>> natural_sat("approval"), natural_sat("cumulative"), natural_sat("ordinal")
    ('cost', 'points', 'borda')
    """
    try:
        return NATURAL_SAT[vote_type]
    except KeyError:
        raise RuleError(
            f"unknown vote type {vote_type!r}", f"onbekend soort stembiljet {vote_type!r}"
        ) from None


@dataclass(slots=True)
class Prepared:
    """An election as arrays (see the module docstring)."""

    ids: list[str]
    costs: list[Fraction]
    budget: Fraction
    n_voters: int
    sat: str
    vote_type: str
    weights: np.ndarray  # int64 (G,) voters per group
    sup_ptr: np.ndarray  # int64 (P+1,) project-major supporters
    sup_group: np.ndarray  # int64 group of each supporter entry
    sup_u: np.ndarray  # int64 unit of each supporter entry (> 0)
    grp_ptr: np.ndarray  # int64 (G+1,) group-major entries (u > 0 only)
    grp_proj: np.ndarray  # int64
    entry_group: np.ndarray  # int64 group of each group-major entry
    units: list[int]  # per project: sum of weight * u over supporters
    supporters: list[int]  # per project: voters with u > 0
    votes: list[int]  # per project: ballots naming it (any points)
    scale: list[Fraction]  # per project: cost (cost sat) or 1
    uniform: bool  # every u == 1
    max_u: int
    neighbours: list[list[int]]  # per project: projects sharing a supporter (itself included)

    @property
    def n_projects(self) -> int:
        return len(self.ids)

    def total_sat(self, p: int) -> Fraction:
        """Total satisfaction of all voters from project ``p``."""
        return self.units[p] * self.scale[p]


def prepare(instance: Instance, profile: Profile, sat: str) -> Prepared:
    """Group identical ballots and index the supporters of every project."""
    if sat not in SATS:
        raise RuleError(
            f"unknown satisfaction {sat!r}; choose one of {', '.join(SATS)}",
            f"onbekende tevredenheidsmaat {sat!r}; kies uit {', '.join(SATS)}",
        )
    vote_type = instance.vote_type
    if sat == "points" and vote_type not in ("cumulative", "scoring"):
        raise RuleError(
            "points satisfaction needs cumulative or scoring ballots",
            "tevredenheid in punten kan alleen bij stemmen met punten",
        )
    if sat == "borda" and vote_type != "ordinal":
        raise RuleError(
            "Borda satisfaction needs ordinal (ranked) ballots",
            "Borda-tevredenheid kan alleen bij rangschikkingen",
        )
    ids = instance.project_ids()
    n_proj = len(ids)
    costs = [instance.projects[i].cost for i in ids]
    n = profile.n_voters
    indptr = np.asarray(profile.indptr, dtype=np.int64)
    proj = np.asarray(profile.project_index, dtype=np.int64)
    lengths = np.diff(indptr)
    voter = np.repeat(np.arange(n, dtype=np.int64), lengths)
    if sat == "points":
        units = np.asarray(profile.points, dtype=np.int64)
    elif sat == "borda":
        pos = np.arange(len(proj), dtype=np.int64) - indptr[voter]
        units = lengths[voter] - pos - 1
    else:
        units = np.ones(len(proj), dtype=np.int64)
    # sort every ballot by project, drop repeated projects (first one counts)
    order = np.lexsort((np.arange(len(proj)), proj, voter))
    voter, proj, units = voter[order], proj[order], units[order]
    if len(proj) > 1:
        keep = np.ones(len(proj), dtype=bool)
        keep[1:] = (voter[1:] != voter[:-1]) | (proj[1:] != proj[:-1])
        if not keep.all():
            voter, proj, units = voter[keep], proj[keep], units[keep]
    votes = np.bincount(proj, minlength=n_proj).astype(np.int64)
    pos_mask = units > 0
    voter, proj, units = voter[pos_mask], proj[pos_mask], units[pos_mask]
    max_u = int(units.max()) if len(units) else 1
    # group identical ballots
    row_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(voter, minlength=n), out=row_ptr[1:])
    codes = (proj * (max_u + 1) + units).astype(np.int64)
    raw = codes.tobytes()
    offs = (row_ptr * 8).tolist()
    group_of: dict[bytes, int] = {}
    gid = np.empty(n, dtype=np.int64)
    first: list[int] = []
    setdefault = group_of.setdefault
    for v in range(n):
        key = raw[offs[v] : offs[v + 1]]
        g = setdefault(key, len(first))
        if g == len(first):
            first.append(v)
        gid[v] = g
    n_groups = len(first)
    weights = np.bincount(gid, minlength=n_groups).astype(np.int64)
    first_arr = np.asarray(first, dtype=np.int64)
    g_len = row_ptr[first_arr + 1] - row_ptr[first_arr]
    grp_ptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(g_len, out=grp_ptr[1:])
    entry_group = np.repeat(np.arange(n_groups, dtype=np.int64), g_len)
    src = row_ptr[first_arr][entry_group] + (
        np.arange(len(entry_group), dtype=np.int64) - grp_ptr[entry_group]
    )
    grp_proj = proj[src]
    grp_u = units[src]
    by_proj = np.argsort(grp_proj, kind="stable")
    sup_group = entry_group[by_proj]
    sup_u = grp_u[by_proj]
    sup_ptr = np.zeros(n_proj + 1, dtype=np.int64)
    np.cumsum(np.bincount(grp_proj, minlength=n_proj), out=sup_ptr[1:])
    w_entry = weights[sup_group]
    unit_tot = np.bincount(grp_proj[by_proj], weights=None, minlength=n_proj)
    units_list = [0] * n_proj
    supporters = [0] * n_proj
    for p in range(n_proj):
        a, b = int(sup_ptr[p]), int(sup_ptr[p + 1])
        units_list[p] = int(np.dot(w_entry[a:b], sup_u[a:b]))
        supporters[p] = int(w_entry[a:b].sum())
    del unit_tot
    scale = list(costs) if sat == "cost" else [Fraction(1)] * n_proj
    # projects sharing a supporter: OR of the supporters' ballots as bit sets
    words = max(1, (n_proj + 63) // 64)
    bits = np.zeros((n_groups, words), dtype=np.uint64)
    np.bitwise_or.at(
        bits,
        (entry_group, grp_proj // 64),
        np.left_shift(np.uint64(1), (grp_proj % 64).astype(np.uint64)),
    )
    neighbours = []
    for p in range(n_proj):
        a, b = int(sup_ptr[p]), int(sup_ptr[p + 1])
        row = np.bitwise_or.reduce(bits[sup_group[a:b]], axis=0) if b > a else bits[:0].sum(0)
        flags = np.unpackbits(row.astype("<u8").view(np.uint8), bitorder="little")[:n_proj]
        neighbours.append(np.flatnonzero(flags).tolist())
    del bits
    return Prepared(
        ids=ids,
        costs=costs,
        budget=Fraction(instance.budget),
        n_voters=n,
        sat=sat,
        vote_type=vote_type,
        weights=weights,
        sup_ptr=sup_ptr,
        sup_group=sup_group,
        sup_u=sup_u,
        grp_ptr=grp_ptr,
        grp_proj=grp_proj,
        entry_group=entry_group,
        units=units_list,
        supporters=supporters,
        votes=[int(x) for x in votes.tolist()],
        scale=scale,
        uniform=bool(len(sup_u) == 0 or (max_u == 1)),
        max_u=max_u,
        neighbours=neighbours,
    )
