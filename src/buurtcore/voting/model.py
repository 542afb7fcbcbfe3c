"""Plain data types for a participatory-budgeting election.

An election is an :class:`Instance` (the budget and the projects) plus a
:class:`Profile` (the ballots). The types mirror the three sections of a
Pabulib ``.pb`` file (META, PROJECTS, VOTES) and keep every column verbatim,
so that a file read and written back is the same election.

Money is exact: costs and budgets are :class:`fractions.Fraction`, never float.
Ballots are stored in compressed sparse row (CSR) form: the ballot of voter
``v`` is ``project_index[indptr[v]:indptr[v + 1]]``, where each entry is an
index into :meth:`Instance.project_ids`.

Examples
--------
>>> from fractions import Fraction
>>> import numpy as np
>>> inst = Instance(
...     meta={"budget": "100", "vote_type": "approval"},
...     projects={
...         "1": Project("1", Fraction(60), "Speeltuin", {"category": "jeugd,groen"}),
...         "2": Project("2", Fraction(50), "Bankjes"),
...     },
...     budget=Fraction(100),
...     vote_type="approval",
...     project_columns=["project_id", "cost", "name", "category"],
... )
>>> prof = Profile(
...     voter_ids=["a", "b", "c"],
...     indptr=np.array([0, 2, 3, 4], dtype=np.int64),
...     project_index=np.array([0, 1, 0, 1], dtype=np.int32),
...     points=None,
...     voter_fields={},
...     vote_columns=["voter_id", "vote"],
...     project_ids=inst.project_ids(),
... )
>>> prof.n_voters
3
>>> prof.ballot(0)
['1', '2']
>>> prof.approval_counts().tolist()
[2, 2]
>>> inst.projects["1"].categories
('jeugd', 'groen')
>>> inst.total_cost()
Fraction(110, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

__all__ = ["VOTE_TYPES", "Instance", "Profile", "Project"]

#: The ballot types of the Pabulib format.
VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")


@dataclass(frozen=True, slots=True)
class Project:
    """One project on the ballot.

    Parameters
    ----------
    id : str
        The ``project_id`` exactly as in the file (always a string).
    cost : Fraction
        The exact cost.
    name : str
        The project's name ("" when the file has none).
    fields : Mapping[str, str]
        Every other PROJECTS column, verbatim (``votes``, ``score``,
        ``category``, ``target``, ``neighborhood``, ``latitude``, ...).
    """

    id: str
    cost: Fraction
    name: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories from the comma-separated ``category`` column.

        >>> Project("7", Fraction(5), fields={"category": "sport, groen"}).categories
        ('sport', 'groen')
        >>> Project("7", Fraction(5)).categories
        ()
        """
        raw = self.fields.get("category", "")
        return tuple(part.strip() for part in raw.split(",") if part.strip())

    @property
    def score(self) -> str | None:
        """The ``score`` column verbatim, or None when absent or empty.

        >>> Project("7", Fraction(5), fields={"score": "312"}).score
        '312'
        """
        value = self.fields.get("score")
        return value if value else None


@dataclass(slots=True)
class Instance:
    """The election without its ballots: META and PROJECTS.

    Parameters
    ----------
    meta : dict[str, str]
        The META section verbatim, in file order.
    projects : dict[str, Project]
        The projects in file order, keyed by id.
    budget : Fraction
        The META ``budget``, exact.
    vote_type : str
        One of :data:`VOTE_TYPES`.
    project_columns : list[str]
        The PROJECTS header in file order (for writing the file back).
    """

    meta: dict[str, str]
    projects: dict[str, Project]
    budget: Fraction
    vote_type: str
    project_columns: list[str]

    def project_ids(self) -> list[str]:
        """Project ids in file order; index ``i`` in a profile means ``project_ids()[i]``."""
        return list(self.projects)

    def total_cost(self) -> Fraction:
        """The sum of the costs of all projects."""
        return sum((p.cost for p in self.projects.values()), Fraction(0))


@dataclass(slots=True)
class Profile:
    """The VOTES section in compact CSR form.

    Parameters
    ----------
    voter_ids : list[str]
        Voter ids in file order.
    indptr : numpy.ndarray
        int64, length ``n_voters + 1``; the ballot of voter ``v`` is
        ``project_index[indptr[v]:indptr[v + 1]]``.
    project_index : numpy.ndarray
        int32 indices into :meth:`Instance.project_ids`. For ordinal ballots the
        entries of one ballot are in preference order (most preferred first).
    points : numpy.ndarray or None
        int64 points aligned with ``project_index`` when the VOTES section has a
        ``points`` column (always for cumulative and scoring; ordinal files may
        carry one too and it is kept for the round trip); None otherwise.
        Scoring files with fractional points are scaled by
        ``points_denominator`` so that the array stays integral.
    voter_fields : dict[str, list[str]]
        Every other VOTES column verbatim (``age``, ``sex``, ``voting_method``,
        ``neighborhood``, ...), one entry per voter.
    vote_columns : list[str]
        The VOTES header in file order.
    project_ids : list[str]
        The instance's project ids, so that :meth:`ballot` can name projects.
        Filled by the reader; optional when building a profile by hand.
    points_denominator : int
        The true points are ``points / points_denominator`` (1 except for
        scoring files with fractional points).
    """

    voter_ids: list[str]
    indptr: np.ndarray
    project_index: np.ndarray
    points: np.ndarray | None
    voter_fields: dict[str, list[str]]
    vote_columns: list[str]
    project_ids: list[str] = field(default_factory=list)
    points_denominator: int = 1

    def __eq__(self, other: object) -> bool:
        """Equal when the ballots, points and every column are equal (arrays compared by value)."""
        if not isinstance(other, Profile):
            return NotImplemented
        return (
            self.voter_ids == other.voter_ids
            and np.array_equal(self.indptr, other.indptr)
            and np.array_equal(self.project_index, other.project_index)
            and (
                (self.points is None and other.points is None)
                or (
                    self.points is not None
                    and other.points is not None
                    and self.points_denominator == other.points_denominator
                    and np.array_equal(self.points, other.points)
                )
            )
            and self.voter_fields == other.voter_fields
            and self.vote_columns == other.vote_columns
            and self.project_ids == other.project_ids
        )

    @property
    def n_voters(self) -> int:
        """The number of ballots."""
        return len(self.voter_ids)

    def approval_counts(self, n_projects: int | None = None) -> np.ndarray:
        """How many ballots name each project (int64, one entry per project)."""
        if n_projects is None:
            n_projects = len(self.project_ids) or (
                int(self.project_index.max()) + 1 if len(self.project_index) else 0
            )
        return np.bincount(self.project_index, minlength=n_projects).astype(np.int64)

    def point_totals(self, n_projects: int | None = None) -> np.ndarray:
        """Total points per project as exact Fractions (approval counts without points)."""
        if self.points is None:
            return np.array(
                [Fraction(int(c)) for c in self.approval_counts(n_projects)], dtype=object
            )
        if n_projects is None:
            n_projects = len(self.project_ids) or (
                int(self.project_index.max()) + 1 if len(self.project_index) else 0
            )
        totals = np.zeros(n_projects, dtype=object)
        np.add.at(totals, self.project_index, self.points.astype(object))
        return np.array([Fraction(int(t), self.points_denominator) for t in totals], dtype=object)

    def ballot_indices(self, v: int) -> np.ndarray:
        """The project indices on ballot ``v`` (a view, in file order)."""
        return self.project_index[self.indptr[v] : self.indptr[v + 1]]

    def ballot(self, v: int) -> list[str]:
        """The project ids on ballot ``v`` in file order (preference order for ordinal)."""
        if not self.project_ids:
            raise ValueError("Profile.project_ids is empty; pass them when building the profile")
        ids = self.project_ids
        return [ids[i] for i in self.ballot_indices(v).tolist()]

    def ballot_points(self, v: int) -> list[Fraction] | None:
        """The exact points on ballot ``v``, aligned with :meth:`ballot`, or None."""
        if self.points is None:
            return None
        d = self.points_denominator
        return [Fraction(p, d) for p in self.points[self.indptr[v] : self.indptr[v + 1]].tolist()]
