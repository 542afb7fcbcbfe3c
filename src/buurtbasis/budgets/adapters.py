"""ORM rows ↔ voting-engine types (the only place the two meet).

Project ids are ``str(plan.pk)``; costs and the budget are exact euros
(``Fraction(cents, 100)``), so a Pabulib file written from these types shows
ordinary euro amounts and any tool can recompute the outcome.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping
from fractions import Fraction

import numpy as np

from buurtcore import voting
from buurtcore.voting import explain, pabulib
from buurtcore.voting.model import Instance, Profile, Project

from .models import BallotType, BudgetRound, PhaseKind, Plan

RULE_META = {
    ("greedy", "none"): "greedy",
    ("mes", "none"): "equalshares",
    ("mes", "add1"): "equalshares/add1",
    ("mes", "add1u"): "equalshares/add1u",
}


def cents_to_fraction(cents: int) -> Fraction:
    """Exact euros from cents.

    >>> cents_to_fraction(123450)
    Fraction(2469, 2)
    """
    return Fraction(int(cents), 100)


def fraction_to_cents(amount: Fraction) -> int:
    """Exact cents from euros (raises when the amount is not whole cents).

    >>> fraction_to_cents(Fraction(2469, 2))
    123450
    """
    cents = Fraction(amount) * 100
    if cents.denominator != 1:
        raise ValueError(f"{amount} is not a whole number of cents")
    return int(cents)


def fraction_to_text(amount: Fraction) -> str:
    """Euros as a plain decimal string for META and PROJECTS.

    >>> fraction_to_text(Fraction(2469, 2))
    '1234.5'
    >>> fraction_to_text(Fraction(25000))
    '25000'
    """
    cents = fraction_to_cents(amount)
    euros, rest = divmod(cents, 100)
    if not rest:
        return str(euros)
    return f"{euros}.{rest:02d}".rstrip("0")


def ballot_plans(budget_round: BudgetRound) -> list[Plan]:
    """The plans on the ballot, in a stable order (by id)."""
    return list(budget_round.plans.on_ballot().select_related("area").order_by("pk"))


def round_meta(budget_round: BudgetRound, *, n_projects: int, n_votes: int) -> dict[str, str]:
    areas = ", ".join(a.name for a in budget_round.areas.all())
    voting = next((p for p in budget_round.phases.all() if p.kind == PhaseKind.VOTING), None)
    meta = {
        "description": budget_round.title,
        "country": "Netherlands",
        "unit": areas or budget_round.organisation.name,
        "instance": budget_round.slug,
        "num_projects": str(n_projects),
        "num_votes": str(n_votes),
        "budget": fraction_to_text(cents_to_fraction(budget_round.budget_cents)),
        "vote_type": budget_round.engine_vote_type(),
        "rule": RULE_META.get((budget_round.rule, budget_round.completion), budget_round.rule),
        "currency": "EUR",
        "language": "nl",
    }
    if voting is not None:
        meta["date_begin"] = voting.starts_at.date().isoformat()
        if voting.ends_at:
            meta["date_end"] = voting.ends_at.date().isoformat()
    if budget_round.ballot_type == BallotType.APPROVAL and budget_round.max_choices:
        meta["max_length"] = str(budget_round.max_choices)
    if budget_round.ballot_type == BallotType.KNAPSACK:
        meta["max_sum_cost"] = meta["budget"]
        if budget_round.min_spend_cents:
            meta["min_sum_cost"] = fraction_to_text(cents_to_fraction(budget_round.min_spend_cents))
    limits = sorted((c.category, c.amount_cents) for c in budget_round.category_budgets.all())
    if limits and budget_round.rule == "greedy":
        meta["categories"] = ",".join(name for name, _cents in limits)
        meta["budget_per_category"] = ",".join(
            fraction_to_text(cents_to_fraction(cents)) for _name, cents in limits
        )
    if budget_round.ballot_type == BallotType.POINTS and budget_round.points_total:
        meta["max_sum_points"] = str(budget_round.points_total)
        if budget_round.max_points_per_plan:
            meta["max_points"] = str(budget_round.max_points_per_plan)
    return meta


def round_instance(
    budget_round: BudgetRound, *, plans: Iterable[Plan] | None = None, n_votes: int = 0
) -> Instance:
    """The engine instance of a round: its feasible plans and its budget."""
    plans = list(plans) if plans is not None else ballot_plans(budget_round)
    projects: dict[str, Project] = {}
    for plan in plans:
        fields = {"name": plan.title}
        if plan.area_id:
            fields["neighborhood"] = plan.area.name
        if plan.category:
            fields["category"] = plan.category
        if plan.latitude is not None and plan.longitude is not None:
            fields["latitude"] = str(plan.latitude)
            fields["longitude"] = str(plan.longitude)
        pid = str(plan.pk)
        projects[pid] = Project(
            pid,
            cents_to_fraction(plan.cost_cents),
            plan.title,
            {k: v for k, v in fields.items() if k != "name"},
        )
    columns = ["project_id", "cost", "name"]
    if any("neighborhood" in p.fields for p in projects.values()):
        columns.append("neighborhood")
    if any("category" in p.fields for p in projects.values()):
        columns.append("category")
    if any("latitude" in p.fields for p in projects.values()):
        columns += ["latitude", "longitude"]
    return Instance(
        meta=round_meta(budget_round, n_projects=len(projects), n_votes=n_votes),
        projects=projects,
        budget=cents_to_fraction(budget_round.budget_cents),
        vote_type=budget_round.engine_vote_type(),
        project_columns=columns,
    )


def ballots_profile(
    instance: Instance,
    ballots: Iterable[Mapping[int | str, int]],
    *,
    voter_fields: Mapping[str, list[str]] | None = None,
) -> Profile:
    """A profile from ballots given as ``{plan_id: points}`` (points ignored for approval).

    Plans not on the ballot (for instance merged ones) are dropped from a ballot.

    >>> from fractions import Fraction
    >>> inst = Instance({}, {"3": Project("3", Fraction(5)), "7": Project("7", Fraction(9))},
    ...                 Fraction(10), "approval", ["project_id", "cost"])
    >>> prof = ballots_profile(inst, [{7: 1, 3: 1}, {3: 1}, {99: 1}])
    >>> [prof.ballot(v) for v in range(prof.n_voters)]
    [['3', '7'], ['3'], []]
    """
    ids = instance.project_ids()
    index = {pid: i for i, pid in enumerate(ids)}
    cumulative = instance.vote_type in ("cumulative", "scoring")
    indptr = [0]
    project_index: list[int] = []
    points: list[int] = []
    voter_ids: list[str] = []
    for n, ballot in enumerate(ballots, start=1):
        entries = sorted(
            (index[str(pid)], int(p))
            for pid, p in ballot.items()
            if str(pid) in index and (not cumulative or int(p) > 0)
        )
        for i, p in entries:
            project_index.append(i)
            points.append(p)
        indptr.append(len(project_index))
        voter_ids.append(str(n))
    columns = ["voter_id", "vote"] + (["points"] if cumulative else [])
    fields = {k: list(v) for k, v in (voter_fields or {}).items()}
    columns += list(fields)
    return Profile(
        voter_ids=voter_ids,
        indptr=np.array(indptr, dtype=np.int64),
        project_index=np.array(project_index, dtype=np.int32),
        points=np.array(points, dtype=np.int64) if cumulative else None,
        voter_fields=fields,
        vote_columns=columns,
        project_ids=ids,
    )


def pabulib_bytes(
    budget_round: BudgetRound,
    ballots: list[Mapping[int | str, int]],
    *,
    voting_methods: list[str] | None = None,
) -> bytes:
    """The round's Pabulib file for these ballots, in the order given (UTF-8 bytes).

    The caller decides the order of the ballots (``ballots.services.export_pabulib``
    shuffles them deterministically, so the file says nothing about who voted when).
    """
    plans = ballot_plans(budget_round)
    instance = round_instance(budget_round, plans=plans, n_votes=len(ballots))
    fields = {"voting_method": list(voting_methods)} if voting_methods is not None else None
    profile = ballots_profile(instance, ballots, voter_fields=fields)
    out = io.StringIO()
    pabulib.write(
        instance,
        profile,
        out,
        extra_meta={
            "completion": budget_round.completion,
            "tie_break": budget_round.tie_break,
            "tie_break_seed": budget_round.tie_break_seed,
        },
    )
    return out.getvalue().encode("utf-8")


def engine_version() -> str:
    import buurtcore

    return getattr(buurtcore, "__version__", "") or _package_version()


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"buurtbasis {version('buurtbasis')}"
    except PackageNotFoundError:  # pragma: no cover
        return "buurtbasis"


def outcome_values(data: bytes, *, params: Mapping, compare_with_greedy: bool) -> dict:
    """Count a Pabulib file with the engine; the :class:`Outcome` fields as plain values.

    The file is exactly what is counted and published: its bytes are hashed, read back
    with the engine's reader and tallied with ``params`` (see
    ``services.engine_params``). With ``compare_with_greedy`` the outcome of "most votes
    first" is computed too, for the comparison on the results page.
    """
    text = data.decode("utf-8")
    instance, profile = pabulib.read(text)
    outcome = voting.tally(instance, profile, **params)
    explanation = explain.explain(instance, profile, outcome)
    greedy_ids = None
    if compare_with_greedy:
        greedy = voting.tally(
            instance, profile, rule="greedy", tie_break=params["tie_break"], seed=params["seed"]
        )
        greedy_ids = [int(pid) for pid in greedy.selected]
        explanation["compare"] = explain.compare(instance, profile, outcome, greedy)
    return {
        "funded_plan_ids": [int(pid) for pid in outcome.selected],
        "total_cost_cents": fraction_to_cents(outcome.total_cost),
        "budget_cents": fraction_to_cents(instance.budget),
        "n_ballots": profile.n_voters,
        "params": _jsonable(dict(outcome.params)),
        "engine_version": engine_version(),
        "pabulib_sha256": hashlib.sha256(data).hexdigest(),
        "pabulib_text": text,
        "explanation": _jsonable(explanation),
        "greedy_plan_ids": greedy_ids,
    }


NO_VOTES_TEXT = "Niemand heeft gestemd. Geen plan krijgt geld; het hele budget blijft over."


def no_votes_values(data: bytes, *, plans: Iterable[Plan], budget_cents: int, params) -> dict:
    """The :class:`Outcome` fields of a round in which nobody voted: nothing is chosen.

    The engine's reader refuses a file without votes (there is nothing to count), so
    this outcome is written here: every plan on the ballot with 0 votes, not funded,
    and the whole budget left. The published file is still the one hashed.
    """
    text = data.decode("utf-8")
    projects = [
        {
            "id": str(plan.pk),
            "name": plan.title,
            "cost": str(Fraction(plan.cost_cents, 100)),  # euros, as the engine stores them
            "votes": 0,
            "funded": False,
            "reason": "no_votes",
            "text": f"{plan.title}: niemand heeft gestemd.",
        }
        for plan in plans
    ]
    return {
        "funded_plan_ids": [],
        "total_cost_cents": 0,
        "budget_cents": budget_cents,
        "n_ballots": 0,
        "params": _jsonable(dict(params)),
        "engine_version": engine_version(),
        "pabulib_sha256": hashlib.sha256(data).hexdigest(),
        "pabulib_text": text,
        "explanation": {
            "projects": projects,
            "summary": {"text": NO_VOTES_TEXT, "no_votes": True},
        },
        "greedy_plan_ids": None,
    }


def _jsonable(value):
    """Engine values (fractions, tuples) as JSON.

    >>> _jsonable({"a": (Fraction(1, 3), 2)})
    {'a': ['1/3', 2]}
    """
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


#: The rules the civil servant's preview compares (rule, completion).
PREVIEW_RULES = [("greedy", "none"), ("mes", "add1"), ("mes", "add1u")]


def preview_outcomes(
    budget_round: BudgetRound,
    plans: list[Plan],
    support: Mapping[int, Iterable],
    *,
    rules: Iterable[tuple[str, str]] = PREVIEW_RULES,
) -> list[dict]:
    """What each rule would fund if ``support`` (plan id -> supporter ids) were the votes.

    Every supporter counts as an approval ballot of the plans they support (also for a
    points round: support has no points). Plain values per rule: ``rule``,
    ``completion``, ``selected`` (plan ids in the order chosen), ``total_cost_cents``
    and ``satisfied`` (supporters with at least one chosen plan), with ``n_supporters``.
    """
    instance = round_instance(budget_round, plans=plans)
    instance.vote_type = "approval"
    instance.meta["vote_type"] = "approval"
    known = {plan.pk for plan in plans}
    ballots: dict[str, dict[int, int]] = {}
    for plan_id, supporters in support.items():
        if int(plan_id) not in known:
            continue
        for supporter in supporters:
            ballots.setdefault(str(supporter), {})[int(plan_id)] = 1
    ordered = [ballots[key] for key in sorted(ballots)]
    instance.meta["num_votes"] = str(len(ordered))
    profile = ballots_profile(instance, ordered)
    results = []
    for rule, completion in rules:
        outcome = voting.tally(
            instance,
            profile,
            rule=rule,
            completion=completion,
            tie_break=budget_round.tie_break,
            seed=budget_round.tie_break_seed,
        )
        results.append(
            {
                "rule": rule,
                "completion": completion,
                "selected": [int(pid) for pid in outcome.selected],
                "total_cost_cents": fraction_to_cents(outcome.total_cost),
                "satisfied": explain.satisfied_voters(instance, profile, outcome.selected),
                "n_supporters": profile.n_voters,
            }
        )
    return results
