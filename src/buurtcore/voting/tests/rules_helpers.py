"""Small hand-made elections for the rule tests (not collected by pytest)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from buurtcore.voting.model import Instance, Profile, Project


def election(budget, costs, ballots, *, vote_type="approval", points=None, fields=None):
    """Build an election: ``costs`` maps id -> cost, ``ballots`` lists project ids per voter.

    ``points`` (cumulative) lists the points per ballot, aligned with ``ballots``.
    """
    fields = fields or {}
    projects = {
        str(pid): Project(str(pid), Fraction(c), "", fields.get(str(pid), {}))
        for pid, c in costs.items()
    }
    ids = list(projects)
    index = {pid: i for i, pid in enumerate(ids)}
    indptr = [0]
    flat: list[int] = []
    flat_points: list[int] = []
    for v, ballot in enumerate(ballots):
        flat.extend(index[str(p)] for p in ballot)
        if points is not None:
            flat_points.extend(points[v])
        indptr.append(len(flat))
    inst = Instance(
        meta={"budget": str(budget), "vote_type": vote_type},
        projects=projects,
        budget=Fraction(budget),
        vote_type=vote_type,
        project_columns=["project_id", "cost"],
    )
    prof = Profile(
        voter_ids=[str(v) for v in range(len(ballots))],
        indptr=np.array(indptr, dtype=np.int64),
        project_index=np.array(flat, dtype=np.int32),
        points=np.array(flat_points, dtype=np.int64) if points is not None else None,
        voter_fields={},
        vote_columns=["voter_id", "vote"],
        project_ids=ids,
    )
    return inst, prof
