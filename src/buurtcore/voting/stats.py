"""Descriptive statistics of an election, as JSON-able data.

Amounts are exact and written as strings (``"1234"``, ``"2469/2"``), so that
nothing is rounded; averages, which decide nothing, are floats rounded to two
decimals.

Examples
--------
>>> from buurtcore.voting import pabulib
>>> inst, prof = pabulib.read(
...     "META\\nkey;value\\nbudget;100\\nvote_type;approval\\nnum_projects;3\\nnum_votes;3\\n"
...     "PROJECTS\\nproject_id;cost;name\\n1;60;Speeltuin\\n2;50;Bankjes\\n3;20;Moestuin\\n"
...     "VOTES\\nvoter_id;vote\\nv1;1,3\\nv2;1\\nv3;2,3,1\\n")
>>> s = instance_stats(inst, prof)
>>> s["n_projects"], s["n_voters"], s["n_entries"], s["budget"], s["total_cost"]
(3, 3, 6, '100', '130')
>>> s["cost"]["min"], s["cost"]["median"], s["cost_over_budget"]
('20', '50', 1.3)
>>> s["ballot_length"]["histogram"]
{'1': 1, '2': 1, '3': 1}
>>> [(p["id"], p["votes"]) for p in s["projects"]]
[('1', 3), ('2', 1), ('3', 2)]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .model import Instance, Profile

__all__ = ["instance_stats"]


def _exact(value: Fraction | int) -> str:
    return str(Fraction(value))


def _median(sorted_values: list[Fraction]) -> Fraction:
    n = len(sorted_values)
    mid = n // 2
    if n % 2:
        return sorted_values[mid]
    return (sorted_values[mid - 1] + sorted_values[mid]) / 2


def _quantile(sorted_values: list[Fraction], q: Fraction) -> Fraction:
    """Linear interpolation between closest ranks (numpy's default method), exact."""
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def instance_stats(instance: Instance, profile: Profile) -> dict[str, Any]:
    """Summarise an election: sizes, budget, costs, ballot lengths and votes per project.

    Returns
    -------
    dict
        ``vote_type``, ``description``, ``currency``, ``rule`` (META, as
        recorded in the file), ``n_projects``, ``n_voters``, ``n_entries``
        (approvals, ranked or pointed projects over all ballots), ``budget``,
        ``total_cost`` (all projects), ``cost_over_budget`` (float), ``cost``
        (min, q1, median, q3, max exact; mean float), ``ballot_length`` (min,
        max, mean, median, ``histogram`` {length: number of ballots}),
        ``points`` (total points, cumulative/scoring/ordinal files with a points
        column), ``meta_limits`` (threshold and per-category/neighbourhood
        budgets present in META) and ``projects`` (id, name, cost, votes =
        ballots naming it, points when present; in file order).
    """
    costs = sorted(p.cost for p in instance.projects.values())
    total_cost = sum(costs, Fraction(0))
    n_projects = len(costs)
    lengths = np.diff(profile.indptr)
    n_voters = profile.n_voters
    counts = profile.approval_counts(n_projects).tolist()
    hist_values, hist_counts = np.unique(lengths, return_counts=True)
    point_totals = profile.point_totals(n_projects).tolist() if profile.points is not None else None

    projects = []
    for i, (pid, project) in enumerate(instance.projects.items()):
        item: dict[str, Any] = {
            "id": pid,
            "name": project.name,
            "cost": _exact(project.cost),
            "votes": int(counts[i]),
        }
        if point_totals is not None:
            item["points"] = _exact(point_totals[i])
        if project.categories:
            item["categories"] = list(project.categories)
        projects.append(item)

    meta = instance.meta
    result: dict[str, Any] = {
        "vote_type": instance.vote_type,
        "description": meta.get("description", ""),
        "currency": meta.get("currency", ""),
        "rule": meta.get("rule", ""),
        "n_projects": n_projects,
        "n_voters": n_voters,
        "n_entries": int(len(profile.project_index)),
        "budget": _exact(instance.budget),
        "total_cost": _exact(total_cost),
        "cost_over_budget": round(float(total_cost / instance.budget), 3)
        if instance.budget
        else None,
        "cost": {
            "min": _exact(costs[0]) if costs else None,
            "q1": _exact(_quantile(costs, Fraction(1, 4))) if costs else None,
            "median": _exact(_median(costs)) if costs else None,
            "q3": _exact(_quantile(costs, Fraction(3, 4))) if costs else None,
            "max": _exact(costs[-1]) if costs else None,
            "mean": round(float(total_cost / n_projects), 2) if n_projects else None,
        },
        "ballot_length": {
            "min": int(lengths.min()) if n_voters else 0,
            "max": int(lengths.max()) if n_voters else 0,
            "mean": round(float(lengths.mean()), 2) if n_voters else 0.0,
            "median": float(np.median(lengths)) if n_voters else 0.0,
            "histogram": {
                str(int(v)): int(c) for v, c in zip(hist_values, hist_counts, strict=True)
            },
        },
        "projects": projects,
    }
    if point_totals is not None:
        result["points"] = {"total": _exact(sum(point_totals, Fraction(0)))}
    limits = {
        key: meta[key]
        for key in (
            "min_project_score_threshold",
            "categories",
            "budget_per_category",
            "neighborhoods",
            "budget_per_neighborhood",
            "max_length",
            "min_length",
            "max_sum_points",
        )
        if key in meta
    }
    if limits:
        result["meta_limits"] = limits
    return result
