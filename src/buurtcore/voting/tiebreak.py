"""Tie-breaking between projects that a rule values exactly the same.

Two rules are available (parameter ``tie_break`` of :func:`buurtcore.voting.tally`):

``"lexico"``
    pabutools' default: the project whose id is smallest *as a string* wins
    (so ``"10"`` beats ``"9"``).
``"cost-votes"``
    The equalshares.net recommendation: the lowest cost wins; among equal costs
    the project named on most ballots; among those a lot. The lot is one random
    order of all projects drawn once from ``seed`` (and reused in every Add1
    round), so the outcome is reproducible from the recorded seed.

Examples
--------
>>> from fractions import Fraction
>>> ids = ["9", "10", "11"]
>>> costs = [Fraction(5), Fraction(5), Fraction(3)]
>>> votes = [4, 7, 1]
>>> lex = TieBreak.make("lexico", ids, costs, votes)
>>> lex.winner([0, 1, 2])
1
>>> cv = TieBreak.make("cost-votes", ids, costs, votes, seed=1)
>>> cv.winner([0, 1, 2]), cv.winner([0, 1])
(2, 1)
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["TIE_BREAKS", "TieBreak", "draw_seed"]

#: The available tie-breaking rules.
TIE_BREAKS = ("lexico", "cost-votes")


def draw_seed() -> int:
    """A fresh seed for the lot (recorded in the outcome's params)."""
    return random.SystemRandom().randrange(2**31)


@dataclass(frozen=True, slots=True)
class TieBreak:
    """A total order on projects used to settle exact ties.

    ``keys[i]`` is the sort key of project ``i``; the smallest key wins.
    """

    name: str
    keys: tuple
    seed: int | None = None

    @classmethod
    def make(
        cls,
        name: str,
        ids: Sequence[str],
        costs: Sequence[Fraction],
        votes: Sequence[int],
        *,
        seed: int | None = None,
    ) -> TieBreak:
        """Build the tie-breaking rule ``name`` for projects ``ids``.

        ``votes[i]`` is the number of ballots naming project ``i``.
        For ``"cost-votes"`` without a seed, a seed is drawn (see :attr:`seed`).
        """
        if name == "lexico":
            return cls(name, tuple(ids), None)
        if name == "cost-votes":
            if seed is None:
                seed = draw_seed()
            order = sorted(range(len(ids)), key=lambda i: ids[i])
            random.Random(seed).shuffle(order)
            lot = [0] * len(ids)
            for rank, i in enumerate(order):
                lot[i] = rank
            keys = tuple((Fraction(costs[i]), -int(votes[i]), lot[i]) for i in range(len(ids)))
            return cls(name, keys, seed)
        raise ValueError(f"unknown tie-breaking rule {name!r}; choose one of {TIE_BREAKS}")

    def key(self, i: int):
        """The sort key of project ``i`` (smaller wins)."""
        return self.keys[i]

    def winner(self, tied: Iterable[int]) -> int:
        """The project that wins the tie among the indices ``tied``."""
        return min(tied, key=self.keys.__getitem__)

    def order(self, items: Iterable[int]) -> list[int]:
        """The indices ``items`` from winner to loser."""
        return sorted(items, key=self.keys.__getitem__)
