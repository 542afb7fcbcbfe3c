"""Ranked suggestions for one household, and a batch proposal for all of them.

Both are proposals for a matcher, never decisions: the JSON says so
(``"decision": false`` and a notice in Dutch and English).

The batch proposal maximises the total score of the pairs under the hard
constraints (one partner per household, maximum distance, must-have language,
excluded pairs, households already paired), and any household may stay
unmatched. It is an optimal assignment by ``scipy.optimize.linear_sum_assignment``
on the newcomer × local gain matrix in which blocked pairs (and pairs at or below
``min_score``) have gain 0: any partial matching extends to a full assignment
by filling it up with gain-0 entries, and dropping the gain-0 entries of an
optimal full assignment leaves a partial matching with the same total, so the
two optima are equal and no blocked pair is ever proposed. Households are sorted
by id before the matrix is built, so the outcome does not depend on the order of
the input (deterministic tie-breaking).

Examples
--------
>>> from buurtcore.matching.model import household_from_dict, Options
>>> hs = [household_from_dict({"id": i, "kind": k, "languages": l,
...        "location": {"lat": 52.09 + d, "lon": 5.12}})
...       for i, k, l, d in [("n1", "newcomer", ["ar"], 0), ("n2", "newcomer", ["ti"], 0.01),
...                          ("l1", "local", ["ar", "nl"], 0.005), ("l2", "local", ["nl"], 0.5)]]
>>> result = Matcher(hs, Options(max_km=10, require_language=True)).propose()
>>> [(p["newcomer"], p["local"]) for p in result["pairs"]]
[('n1', 'l1')]
>>> [(u["id"], u["reason"]) for u in result["unmatched"]]
[('l2', 'no_feasible_partner'), ('n2', 'no_feasible_partner')]
>>> result["decision"]
False
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from .model import Household, MatchingError, Options
from .scoring import REASON_TEXT, REASONS, Block, encode, pair_dict, pair_from_block, score_block

__all__ = ["NOTICE", "Matcher", "propose", "suggest"]

NOTICE = {
    "nl": "Dit is een voorstel, geen besluit. Een matcher bekijkt elk paar en beide "
    "huishoudens moeten akkoord gaan.",
    "en": "This is a proposal, not a decision. A matcher reviews every pair and both "
    "households must agree.",
}

UNMATCHED_TEXT = {
    "already_paired": ("already has a buddy household", "heeft al een maatje"),
    "no_feasible_partner": (
        "no household on the other side fits the rules",
        "geen huishouden aan de andere kant past binnen de regels",
    ),
    "below_min_score": (
        "every allowed pair scores too low",
        "elk toegestaan paar scoort te laag",
    ),
    "not_chosen": (
        "its possible partners fit better with others",
        "de mogelijke maatjes passen beter bij anderen",
    ),
}


class Matcher:
    """Households encoded once; then many :meth:`suggest` calls, or one :meth:`propose`."""

    def __init__(self, households: Sequence[Household], options: Options | None = None):
        self.options = options or Options()
        self.households = sorted(households, key=lambda h: h.id)
        self.enc = encode(self.households, self.options)
        self._other = {
            0: np.flatnonzero(self.enc.kind == 1),
            1: np.flatnonzero(self.enc.kind == 0),
        }

    def _index(self, hid: str) -> int:
        try:
            return self.enc.index[hid]
        except KeyError:
            raise MatchingError(
                f"unknown household id {hid!r}", f"onbekend huishouden {hid!r}"
            ) from None

    def suggest_indices(self, hid: str, top: int = 10) -> tuple[Block, np.ndarray]:
        """The block (1 × candidates) and the column positions of the top feasible ones."""
        i = self._index(hid)
        cols = self._other[int(self.enc.kind[i])]
        block = score_block(self.enc, np.array([i]), cols, self.options)
        scores = block.score[0]
        feasible = np.flatnonzero(block.reason[0] == 0)
        if len(feasible) > top > 0:
            s = scores[feasible]
            kth = np.partition(-s, top - 1)[top - 1]
            feasible = feasible[-s <= kth]
        # Highest score first; equal scores by id (columns are in id order).
        order = np.lexsort((feasible, -scores[feasible]))[: max(top, 0)]
        return block, feasible[order]

    def suggest(self, hid: str, top: int = 10) -> dict[str, Any]:
        """Top ``top`` candidates for household ``hid``, with scores and explanations."""
        block, best = self.suggest_indices(hid, top)
        counts = Counter(REASONS[c] for c in block.reason[0].tolist() if c)
        candidates = []
        for rank, j in enumerate(best.tolist(), start=1):
            pair = pair_from_block(self.enc, block, 0, j, self.options)
            candidates.append({"rank": rank, "id": pair.b, **pair_dict(pair, self.options)})
        me = self.households[self._index(hid)]
        return {
            "command": "suggest",
            "decision": False,
            "notice": dict(NOTICE),
            "for": hid,
            "kind": me.kind,
            "options": self.options.as_dict(),
            "n_candidates": int(block.score.shape[1]),
            "n_feasible": int(block.score.shape[1] - sum(counts.values())),
            "infeasible": {
                reason: {
                    "count": n,
                    "en": REASON_TEXT[reason][0],
                    "nl": REASON_TEXT[reason][1],
                }
                for reason, n in sorted(counts.items())
            },
            "candidates": candidates,
        }

    # ----------------------------------------------------------------- batch

    def batch(self) -> tuple[Block, list[tuple[int, int]], np.ndarray]:
        """The optimal assignment: (block, [(row, col) positions], gain matrix)."""
        enc = self.enc
        rows = np.flatnonzero((enc.kind == 0) & ~enc.paired)
        cols = np.flatnonzero((enc.kind == 1) & ~enc.paired)
        block = score_block(enc, rows, cols, self.options)
        gain = np.where(block.feasible & (block.score > self.options.min_score), block.score, 0.0)
        chosen: list[tuple[int, int]] = []
        if gain.size and gain.any():
            r, c = linear_sum_assignment(gain, maximize=True)
            chosen = [(int(i), int(j)) for i, j in zip(r, c, strict=True) if gain[i, j] > 0]
        return block, chosen, gain

    def propose(self) -> dict[str, Any]:
        """The batch proposal: pairs (best first), total score and unmatched households."""
        enc = self.enc
        block, chosen, gain = self.batch()
        pairs = []
        for i, j in chosen:
            p = pair_from_block(enc, block, i, j, self.options)
            pairs.append({"newcomer": p.a, "local": p.b, **pair_dict(p, self.options)})
        pairs.sort(key=lambda p: (-p["score"], p["newcomer"], p["local"]))
        total = float(sum(block.score[i, j] for i, j in chosen))
        matched_r = {i for i, _ in chosen}
        matched_c = {j for _, j in chosen}
        unmatched = []
        for h in self.households:
            if h.paired:
                unmatched.append(self._unmatched(h, "already_paired", None))
        for axis, positions, matched in ((0, block.rows, matched_r), (1, block.cols, matched_c)):
            reason_line = block.reason if axis == 0 else block.reason.T
            gain_line = gain if axis == 0 else gain.T
            for k, idx in enumerate(positions.tolist()):
                if k in matched:
                    continue
                codes = reason_line[k]
                if gain_line[k].any():
                    reason, counts = "not_chosen", None
                elif (codes == 0).any():
                    reason, counts = "below_min_score", None
                else:
                    reason = "no_feasible_partner"
                    counts = Counter(REASONS[c] for c in codes.tolist())
                unmatched.append(self._unmatched(enc.households[idx], reason, counts))
        unmatched.sort(key=lambda u: u["id"])
        return {
            "command": "propose",
            "decision": False,
            "notice": dict(NOTICE),
            "options": self.options.as_dict(),
            "n_newcomers": int(len(block.rows)),
            "n_locals": int(len(block.cols)),
            "total_score": round(total, 6),
            "pairs": pairs,
            "unmatched": unmatched,
        }

    @staticmethod
    def _unmatched(h: Household, reason: str, counts: Counter | None) -> dict[str, Any]:
        en, nl = UNMATCHED_TEXT[reason]
        out: dict[str, Any] = {"id": h.id, "kind": h.kind, "reason": reason, "nl": nl, "en": en}
        if counts is not None:
            out["blocked_by"] = dict(sorted(counts.items()))
        return out


def suggest(
    households: Sequence[Household], hid: str, options: Options | None = None, top: int = 10
) -> dict[str, Any]:
    """Shortcut for ``Matcher(households, options).suggest(hid, top)``."""
    return Matcher(households, options).suggest(hid, top)


def propose(households: Sequence[Household], options: Options | None = None) -> dict[str, Any]:
    """Shortcut for ``Matcher(households, options).propose()``."""
    return Matcher(households, options).propose()
