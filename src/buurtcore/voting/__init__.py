"""Participatory-budgeting voting engine (framework-free).

Read an election with :func:`buurtcore.voting.pabulib.read`, then count it with
:func:`tally`. Every rule is registered in :data:`RULES` under a stable id.

Examples
--------
>>> from buurtcore.voting import pabulib, tally
>>> text = '''META
... key;value
... budget;100
... vote_type;approval
... num_projects;3
... num_votes;4
... PROJECTS
... project_id;cost
... a;60
... b;50
... c;40
... VOTES
... voter_id;vote
... 1;a,c
... 2;a
... 3;a,b
... 4;b
... '''
>>> inst, prof = pabulib.read(text)
>>> tally(inst, prof, rule="greedy").selected
['a', 'c']
>>> tally(inst, prof, rule="mes").selected
['a']
>>> tally(inst, prof, rule="mes", completion="add1u").selected
['a', 'c']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from buurtcore.voting.model import Instance, Profile
from buurtcore.voting.outcome import Outcome, fmt
from buurtcore.voting.rules._data import SATS, Prepared, RuleError, natural_sat, prepare
from buurtcore.voting.rules.completion import ADD1_STOPS, run_add1
from buurtcore.voting.rules.equal_shares import run_mes
from buurtcore.voting.rules.greedy import run_greedy
from buurtcore.voting.rules.phragmen import run_phragmen
from buurtcore.voting.tiebreak import TIE_BREAKS, TieBreak

__all__ = [
    "COMPLETIONS",
    "RULES",
    "RuleError",
    "RuleInfo",
    "SATS",
    "TIE_BREAKS",
    "Outcome",
    "tally",
]

COMPLETIONS = ("none", "add1", "add1u")


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A registered rule: stable id, names and what it supports."""

    id: str
    title: str
    title_nl: str
    description: str
    sats: tuple[str, ...]
    completions: tuple[str, ...] = ("none",)
    vote_types: tuple[str, ...] = ("approval", "choose-1", "cumulative", "scoring", "ordinal")


RULES: dict[str, RuleInfo] = {
    info.id: info
    for info in (
        RuleInfo(
            "greedy",
            "Greedy (most votes first)",
            "Meeste stemmen eerst",
            "Projects in order of score (votes with cost satisfaction, votes per "
            "currency unit with cardinality); a project that no longer fits is skipped. "
            "Optional per-category and per-neighbourhood budgets (Amsterdam).",
            SATS,
        ),
        RuleInfo(
            "greedy-threshold",
            "Greedy with a minimum score",
            "Meeste stemmen eerst, met een drempel",
            "Greedy, but only projects with at least the threshold score "
            "(META min_project_score_threshold by default; Warsaw).",
            SATS,
        ),
        RuleInfo(
            "greedy-no-skip",
            "Greedy without skipping",
            "Meeste stemmen eerst, stoppen bij het eerste dat niet past",
            "Greedy that stops at the first project that does not fit (Wrocław).",
            SATS,
        ),
        RuleInfo(
            "mes",
            "Method of Equal Shares",
            "Methode van Gelijke Delen",
            "Every voter gets an equal share of the budget and projects are bought "
            "by their supporters, cheapest per unit of satisfaction first; completion "
            "by Add1 (raise every share by 1) and optionally a greedy fill.",
            SATS,
            COMPLETIONS,
        ),
        RuleInfo(
            "phragmen",
            "Sequential Phragmén",
            "Sequentiële Phragmén",
            "Projects are bought so that the highest load (money paid) of any voter "
            "stays as small as possible; approval ballots only.",
            ("cost",),
            ("none",),
            ("approval", "choose-1"),
        ),
    )
}


def _err(msg: str, msg_nl: str) -> RuleError:
    return RuleError(msg, msg_nl)


def _as_fraction(value, what: str) -> Fraction:
    try:
        return Fraction(str(value).strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise _err(f"{what}: not a number: {value!r}", f"{what}: geen getal: {value!r}") from None


def _meta_list(instance: Instance, key: str) -> list[str]:
    raw = instance.meta.get(key, "")
    return [part.strip() for part in raw.split(",") if part.strip()]


def _limits_from(
    instance: Instance, spec, names_key: str, budgets_key: str, field: str, what: str
) -> tuple[dict[int, tuple[str, ...]], dict[str, Fraction]] | None:
    if spec is None or spec is False:
        return None
    if spec == "meta" or spec is True:
        names = _meta_list(instance, names_key)
        amounts = _meta_list(instance, budgets_key)
        if not amounts:
            raise _err(f"META has no {budgets_key}", f"META heeft geen {budgets_key}")
        if len(names) != len(amounts):
            raise _err(
                f"META {names_key} and {budgets_key} have different lengths",
                f"META {names_key} en {budgets_key} zijn niet even lang",
            )
        caps = {n: _as_fraction(a, budgets_key) for n, a in zip(names, amounts, strict=True)}
    elif isinstance(spec, Mapping):
        caps = {str(k): _as_fraction(v, what) for k, v in spec.items()}
    else:
        raise _err(f"{what}: expected 'meta' or a mapping", f"{what}: verwacht 'meta' of een tabel")
    labels: dict[int, tuple[str, ...]] = {}
    for i, pid in enumerate(instance.project_ids()):
        raw = instance.projects[pid].fields.get(field, "")
        labels[i] = tuple(x.strip() for x in raw.split(",") if x.strip())
    return labels, caps


def _threshold_scores(prep: Prepared, profile: Profile) -> list[int]:
    if prep.vote_type in ("cumulative", "scoring") and profile.points is not None:
        totals = profile.point_totals(prep.n_projects)
        return [Fraction(t) for t in totals]
    return list(prep.votes)


def tally(
    instance: Instance,
    profile: Profile,
    *,
    rule: str = "greedy",
    sat: str | None = None,
    completion: str = "none",
    add1_stop: str = "exhaustive",
    tie_break: str = "lexico",
    seed: int | None = None,
    threshold: int | Fraction | str | None = None,
    category_budgets: Mapping[str, object] | str | None = None,
    neighborhood_budgets: Mapping[str, object] | str | None = None,
    progress: Callable[[int, Fraction], None] | None = None,
    trace: bool = True,
) -> Outcome:
    """Count an election with a registered rule.

    Parameters
    ----------
    instance, profile : Instance, Profile
        The election (see :mod:`buurtcore.voting.model`).
    rule : str
        A key of :data:`RULES`: ``"greedy"``, ``"greedy-threshold"``,
        ``"greedy-no-skip"``, ``"mes"`` or ``"phragmen"``.
    sat : str, optional
        ``"cost"``, ``"cardinality"``, ``"points"`` or ``"borda"``; default the
        ballot type's natural satisfaction (approval and choose-1: cost;
        cumulative and scoring: points; ordinal: Borda as pabutools defines it,
        ``len(ballot) - position - 1``).
    completion : str
        MES only: ``"none"``, ``"add1"`` or ``"add1u"`` (Add1, then greedy).
    add1_stop : str
        ``"exhaustive"`` (first exhaustive outcome) or ``"budget"`` (raise while
        the outcome stays within the budget).
    tie_break : str
        ``"lexico"`` (smallest project id as a string wins) or ``"cost-votes"``
        (lowest cost, most votes, then a lot drawn from ``seed``).
    seed : int, optional
        Seed of the lot for ``"cost-votes"``; drawn and recorded when missing.
    threshold : number or "meta", optional
        Minimum score (votes; total points for cumulative/scoring ballots) for
        greedy; ``"greedy-threshold"`` defaults to META
        ``min_project_score_threshold``.
    category_budgets, neighborhood_budgets : mapping or "meta", optional
        Greedy only: the most that may be spent per category (project column
        ``category``) or neighbourhood (column ``neighborhood``); ``"meta"``
        reads META ``categories``/``budget_per_category`` or
        ``neighborhoods``/``budget_per_neighborhood``. What is left afterwards is
        spent in score order without these limits.
    progress : callable, optional
        Called after every Add1 run with ``(run, endowment)``.
    trace : bool
        MES only: ``False`` leaves out the purchases and unfunded projects of
        the trace (the same selection; Add1 then saves a final run in Python).

    Returns
    -------
    Outcome
        Selected projects in order, total cost, parameters and trace.

    Raises
    ------
    RuleError
        Unknown rule or parameter, or a rule that does not fit the ballots.

    Examples
    --------
    >>> from buurtcore.voting import pabulib
    >>> inst, prof = pabulib.read(
    ...     "META\\nkey;value\\nbudget;10\\nvote_type;approval\\nnum_projects;3\\nnum_votes;3\\n"
    ...     "PROJECTS\\nproject_id;cost\\n1;6\\n2;5\\n3;4\\n"
    ...     "VOTES\\nvoter_id;vote\\nv1;1,3\\nv2;1\\nv3;2\\n")
    >>> tally(inst, prof).selected
    ['1', '3']
    >>> tally(inst, prof, rule="mes").selected
    ['1']
    >>> tally(inst, prof, rule="mes", completion="add1").final_endowment
    Fraction(13, 3)
    """
    if rule not in RULES:
        raise _err(
            f"unknown rule {rule!r}; choose one of {', '.join(RULES)}",
            f"onbekende regel {rule!r}; kies uit {', '.join(RULES)}",
        )
    if completion not in COMPLETIONS:
        raise _err(
            f"unknown completion {completion!r}; choose one of {', '.join(COMPLETIONS)}",
            f"onbekende aanvulling {completion!r}; kies uit {', '.join(COMPLETIONS)}",
        )
    if add1_stop not in ADD1_STOPS:
        raise _err(
            f"unknown add1_stop {add1_stop!r}; choose one of {', '.join(ADD1_STOPS)}",
            f"onbekende add1-stop {add1_stop!r}; kies uit {', '.join(ADD1_STOPS)}",
        )
    if tie_break not in TIE_BREAKS:
        raise _err(
            f"unknown tie-breaking {tie_break!r}; choose one of {', '.join(TIE_BREAKS)}",
            f"onbekende loting {tie_break!r}; kies uit {', '.join(TIE_BREAKS)}",
        )
    if completion != "none" and rule != "mes":
        raise _err(
            f"completion {completion!r} only applies to rule 'mes'",
            f"aanvulling {completion!r} kan alleen bij regel 'mes'",
        )
    info = RULES[rule]
    if instance.vote_type not in info.vote_types:
        raise _err(
            f"rule {rule!r} does not apply to {instance.vote_type} ballots"
            f" (only {', '.join(info.vote_types)})",
            f"regel {rule!r} past niet bij stemmen van het soort {instance.vote_type}"
            f" (alleen {', '.join(info.vote_types)})",
        )
    sat_used = sat or natural_sat(instance.vote_type)
    if rule == "phragmen" and sat is not None and sat != "cost":
        raise _err(
            "sequential Phragmén has no satisfaction parameter",
            "sequentiële Phragmén heeft geen tevredenheidsmaat",
        )
    prep = prepare(instance, profile, sat_used)
    tie = TieBreak.make(tie_break, prep.ids, prep.costs, prep.votes, seed=seed)
    params: dict[str, object] = {
        "rule": rule,
        "sat": sat_used if rule != "phragmen" else None,
        "completion": completion,
        "add1_stop": add1_stop if completion != "none" else None,
        "tie_break": tie_break,
        "seed": tie.seed,
    }
    ids = prep.ids
    if rule.startswith("greedy"):
        thr = None
        if threshold is not None or rule == "greedy-threshold":
            if threshold is None or threshold == "meta":
                raw = instance.meta.get("min_project_score_threshold")
                if raw is None:
                    raise _err(
                        "no threshold given and META has no min_project_score_threshold",
                        "geen drempel opgegeven en META heeft geen min_project_score_threshold",
                    )
                thr = _as_fraction(raw, "min_project_score_threshold")
            else:
                thr = _as_fraction(threshold, "threshold")
        limits = []
        cat = _limits_from(
            instance,
            category_budgets,
            "categories",
            "budget_per_category",
            "category",
            "category_budgets",
        )
        if cat is not None:
            limits.append(cat)
            params["category_budgets"] = {k: fmt(v) for k, v in cat[1].items()}
        nbh = _limits_from(
            instance,
            neighborhood_budgets,
            "neighborhoods",
            "budget_per_neighborhood",
            "neighborhood",
            "neighborhood_budgets",
        )
        if nbh is not None:
            limits.append(nbh)
            params["neighborhood_budgets"] = {k: fmt(v) for k, v in nbh[1].items()}
        params["threshold"] = fmt(thr)
        chosen, steps = run_greedy(
            prep,
            tie,
            threshold=thr,
            threshold_scores=_threshold_scores(prep, profile) if thr is not None else None,
            skip=rule != "greedy-no-skip",
            limits=limits,
        )
        total = sum((prep.costs[p] for p in chosen), Fraction(0))
        return Outcome([ids[p] for p in chosen], total, prep.budget, params, list(steps))
    if rule == "phragmen":
        chosen, steps = run_phragmen(prep, tie)
        total = sum((prep.costs[p] for p in chosen), Fraction(0))
        return Outcome([ids[p] for p in chosen], total, prep.budget, params, list(steps))
    # MES
    if threshold is not None or category_budgets is not None or neighborhood_budgets is not None:
        raise _err(
            "threshold and category/neighbourhood budgets only apply to greedy rules",
            "drempel en budget per categorie/buurt kunnen alleen bij de greedy-regels",
        )
    steps: list = []
    if completion == "none":
        endowment = prep.budget / prep.n_voters if prep.n_voters else Fraction(0)
        res = run_mes(prep, tie, endowment, trace=trace)
    else:
        res, rounds = run_add1(prep, tie, stop=add1_stop, progress=progress, trace=trace)
        steps.extend(rounds)
        params["add1_runs"] = len(rounds)
    steps.extend(res.steps)
    steps.extend(res.unfunded)
    chosen = list(res.selected)
    total = res.total_cost
    if completion == "add1u":
        extra, gsteps = run_greedy(prep, tie, initial=chosen)
        steps.extend(
            type(s)(s.project, s.score, s.cost, s.action, "add1u", s.remaining, s.category)
            for s in gsteps
        )
        chosen.extend(extra)
        total += sum((prep.costs[p] for p in extra), Fraction(0))
    params["endowment"] = fmt(res.endowment)
    return Outcome([ids[p] for p in chosen], total, prep.budget, params, steps, res.endowment)
