"""Explain an outcome: why each project was or was not funded.

:func:`explain` turns an :class:`~buurtcore.voting.outcome.Outcome` (with its
``steps`` trace) into plain data that can be stored as JSON: every number that
is a :class:`~fractions.Fraction` becomes a string (``"1250"``, ``"2500/3"``),
so nothing is rounded in the data. Every project gets a ``reason`` code and the
figures behind it, plus a sentence in plain Dutch (B1 level) under ``text``.
:func:`explain_text` renders the whole explanation as Dutch text,
:func:`compare` puts two outcomes side by side.

Reason codes (``project["reason"]``):

``greedy_selected``
    Greedy: the project's turn came (``rank``) and it still fitted.
``greedy_no_fit``
    Greedy: at its turn only ``budget_left`` was left, less than its cost.
``below_threshold``
    Greedy with a minimum score: its score stayed under ``threshold``.
``category_budget_exhausted``
    Greedy with budgets per category or neighbourhood: that part was used up.
``leftover_selected``
    Greedy with such budgets: funded afterwards from what was left overall.
``greedy_stopped``
    Greedy without skipping: it stopped at a project that did not fit.
``mes_bought``
    Equal shares: bought in ``round``; ``payments`` says who paid what.
``mes_not_affordable``
    Equal shares: its ``supporters`` had ``supporters_budget_left`` together,
    less than its ``cost``.
``completion_selected``
    Added by the greedy fill after equal shares (completion ``add1u``).
``phragmen_bought``
    Phragmén: bought at ``time`` (the voters' load).
``no_votes``
    Nobody voted for it.
``not_selected`` / ``selected``
    Fallback when the outcome carries no trace for this project.

The web app can translate these codes itself; ``text`` is the ready-made Dutch.

Example (a hand-made election; the outcome is written out by hand here, a real
one comes from :func:`buurtcore.voting.tally`):

>>> from fractions import Fraction
>>> from types import SimpleNamespace as NS
>>> import numpy as np
>>> from buurtcore.voting.model import Instance, Profile, Project
>>> inst = Instance(meta={"currency": "EUR"}, projects={
...     "1": Project("1", Fraction(60), "Speeltuin"),
...     "2": Project("2", Fraction(50), "Bankjes")},
...     budget=Fraction(100), vote_type="approval", project_columns=[])
>>> prof = Profile(voter_ids=["a", "b", "c"], indptr=np.array([0, 1, 2, 3]),
...     project_index=np.array([0, 0, 1], dtype=np.int32), points=None,
...     voter_fields={}, vote_columns=[], project_ids=["1", "2"])
>>> steps = [NS(project="1", score=Fraction(2), cost=Fraction(60), action="selected"),
...          NS(project="2", score=Fraction(1), cost=Fraction(50), action="skipped_no_fit")]
>>> out = NS(selected=["1"], total_cost=Fraction(60), budget=Fraction(100),
...          params={"rule": "greedy"}, steps=steps, final_endowment=None)
>>> data = explain(inst, prof, out)
>>> data["summary"]["leftover"], data["summary"]["satisfied_voters"]
('40', 2)
>>> [p["reason"] for p in data["projects"]]
['greedy_selected', 'greedy_no_fit']
>>> import textwrap
>>> print(textwrap.fill(data["projects"][1]["text"], 78))
Bankjes (€ 50) kreeg 1 stem en stond op plaats 2. Toen dit project aan de
beurt was, was er nog € 40 over. Dat is te weinig, dus dit project krijgt geen
geld.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from .model import Instance, Profile

__all__ = [
    "compare",
    "rule_name",
    "compare_text",
    "explain",
    "explain_text",
    "format_money",
    "satisfied_voters",
]

_CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£"}

_RULE_NAMES_NL = {
    "greedy": "meeste stemmen eerst",
    "greedy-threshold": "meeste stemmen eerst, met een ondergrens",
    "greedy-no-skip": "meeste stemmen eerst, stoppen bij het eerste project dat niet past",
    "mes": "gelijke delen (Method of Equal Shares)",
    "phragmen": "Phragmén",
}
_COMPLETION_NL = {
    "add1": ", aangevuld met Add1",
    "add1u": ", aangevuld met Add1 en daarna meeste stemmen eerst",
}


def rule_name(params: Mapping[str, Any]) -> str:
    """The rule in plain Dutch, with its completion.

    >>> rule_name({"rule": "mes", "completion": "add1u"})
    'gelijke delen (Method of Equal Shares), aangevuld met Add1 en daarna meeste stemmen eerst'
    >>> rule_name({"rule": "greedy", "completion": "none"})
    'meeste stemmen eerst'
    """
    rule = str(params.get("rule", ""))
    name = _RULE_NAMES_NL.get(rule, rule)
    if rule == "mes":
        name += _COMPLETION_NL.get(str(params.get("completion")), "")
    return name


# ----------------------------------------------------------------------------- helpers


def _jsonable(value: Any) -> Any:
    """Fractions (and other numbers numpy hands out) as JSON-safe values.

    >>> _jsonable({"a": Fraction(5, 2), "b": [Fraction(4)], "c": np.int64(3)})
    {'a': '5/2', 'b': ['4'], 'c': 3}
    """
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, bool | str | int | float) or value is None:
        return value
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_jsonable(v) for v in value]
    return str(value)


def _frac(value: Any) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str):
        return Fraction(value)
    return Fraction(value)


def format_money(amount: Fraction | int | str, currency: str = "EUR") -> str:
    """An amount the Dutch way, rounded to cents; whole amounts without cents.

    >>> format_money(Fraction(1234567, 10))
    '€ 123.456,70'
    >>> format_money(2500)
    '€ 2.500'
    >>> format_money(Fraction(100, 3), "PLN")
    '33,33 PLN'
    >>> format_money(Fraction(-1, 2))
    '-€ 0,50'
    """
    value = _frac(amount)
    cents = (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    whole, rest = divmod(cents, 100)
    text = f"{whole:,}".replace(",", ".")
    if rest:
        text += f",{rest:02d}"
    symbol = _CURRENCY_SIGNS.get(currency.upper())
    if symbol:
        return f"{sign}{symbol} {text}"
    return f"{sign}{text} {currency.upper()}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _percent(part: int, whole: int) -> str:
    if whole == 0:
        return "0%"
    pct = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{pct}%"


def satisfied_voters(instance: Instance, profile: Profile, selected: Iterable[str]) -> int:
    """How many voters have at least one funded project on their ballot.

    A project counts as "on the ballot" when the voter approved it, ranked it
    or gave it points (an entry with 0 points does not count).

    >>> from buurtcore.voting.model import Project
    >>> inst = Instance(meta={}, projects={"1": Project("1", Fraction(1)),
    ...     "2": Project("2", Fraction(1))}, budget=Fraction(1), vote_type="approval",
    ...     project_columns=[])
    >>> prof = Profile(voter_ids=["a", "b", "c"], indptr=np.array([0, 2, 3, 3]),
    ...     project_index=np.array([0, 1, 1], dtype=np.int32), points=None,
    ...     voter_fields={}, vote_columns=[])
    >>> satisfied_voters(inst, prof, ["1"]), satisfied_voters(inst, prof, ["2"])
    (1, 2)
    """
    ids = instance.project_ids()
    chosen = set(selected)
    mask = np.fromiter((pid in chosen for pid in ids), dtype=bool, count=len(ids))
    if profile.n_voters == 0:
        return 0
    hit = mask[profile.project_index] if len(profile.project_index) else np.zeros(0, bool)
    if profile.points is not None and instance.vote_type in ("cumulative", "scoring"):
        hit = hit & (profile.points > 0)
    cum = np.concatenate(([0], np.cumsum(hit, dtype=np.int64)))
    per_voter = cum[profile.indptr[1:]] - cum[profile.indptr[:-1]]
    return int(np.count_nonzero(per_voter))


def _supporter_counts(instance: Instance, profile: Profile) -> dict[str, int]:
    ids = instance.project_ids()
    if profile.points is not None and instance.vote_type in ("cumulative", "scoring"):
        idx = profile.project_index[profile.points > 0]
    else:
        idx = profile.project_index
    counts = np.bincount(idx, minlength=len(ids)) if len(idx) else np.zeros(len(ids), int)
    return {pid: int(counts[i]) for i, pid in enumerate(ids)}


def _point_totals(instance: Instance, profile: Profile) -> dict[str, Fraction] | None:
    if profile.points is None or instance.vote_type not in ("cumulative", "scoring"):
        return None
    ids = instance.project_ids()
    totals = profile.point_totals(len(ids))
    return {pid: Fraction(totals[i]) for i, pid in enumerate(ids)}


def _step_kind(step: Any) -> str:
    if isinstance(step, Mapping):
        return str(step.get("kind") or step.get("type") or "")
    return type(step).__name__


def _get(step: Any, name: str, default: Any = None) -> Any:
    if isinstance(step, Mapping):
        return step.get(name, default)
    return getattr(step, name, default)


def _is_greedy_step(step: Any) -> bool:
    return _get(step, "action") is not None and _get(step, "project") is not None


def _payment_groups(payments: Any) -> list[dict[str, Any]]:
    """Normalise ``payments`` to ``[{"amount": Fraction, "voters": int}]``, largest first.

    The trace stores ``{"<amount>": count}``; a mapping from voter id to amount is
    accepted too and grouped here.
    """
    groups: dict[Fraction, int] = {}
    if not payments:
        return []
    items = payments.items() if isinstance(payments, Mapping) else payments
    for key, value in items:
        try:
            amount, count = _frac(key), int(value)
            if isinstance(value, Fraction) and value.denominator != 1:
                raise ValueError
        except (ValueError, TypeError, ZeroDivisionError):
            amount, count = _frac(value), 1  # voter id -> amount
        groups[amount] = groups.get(amount, 0) + count
    return [
        {"amount": amount, "voters": count}
        for amount, count in sorted(groups.items(), key=lambda kv: (-kv[0], kv[1]))
    ]


# ----------------------------------------------------------------------------- explain


def explain(instance: Instance, profile: Profile, outcome: Any) -> dict[str, Any]:
    """Why each project was or was not funded, as JSON-able data with Dutch text.

    Returns a dict with ``params`` (the rule used), ``summary`` (budget, total
    cost, leftover, number of voters, voters with at least one funded project
    and their share), ``projects`` (one entry per project: funded ones in the
    order they were chosen, then the others by number of votes) and, for equal
    shares, ``endowment`` (the budget per voter). See the module docstring for
    the reason codes.
    """
    currency = instance.meta.get("currency", "EUR") or "EUR"
    params = dict(getattr(outcome, "params", {}) or {})
    rule = str(params.get("rule", ""))
    selected = [str(p) for p in outcome.selected]
    selected_set = set(selected)
    budget = _frac(getattr(outcome, "budget", None) or instance.budget)
    total = sum((instance.projects[p].cost for p in selected), Fraction(0))
    supporters = _supporter_counts(instance, profile)
    points = _point_totals(instance, profile)
    n_voters = profile.n_voters
    happy = satisfied_voters(instance, profile, selected)
    steps = list(getattr(outcome, "steps", None) or [])
    endowment = getattr(outcome, "final_endowment", None)

    entries: dict[str, dict[str, Any]] = {}
    for pid, project in instance.projects.items():
        entry: dict[str, Any] = {
            "id": pid,
            "name": project.name,
            "cost": project.cost,
            "votes": supporters.get(pid, 0),
            "funded": pid in selected_set,
            "reason": "selected" if pid in selected_set else "not_selected",
        }
        if points is not None:
            entry["points"] = points[pid]
        entries[pid] = entry

    # Walk the trace. Greedy steps are in the order considered, so their rank follows.
    rank = 0
    spent = Fraction(0)
    add1_rounds: list[dict[str, Any]] = []
    after_mes = False
    for step in steps:
        kind = _step_kind(step)
        pid = _get(step, "project")
        pid = str(pid) if pid is not None else None
        if kind == "Add1Round" or (pid is None and _get(step, "endowment") is not None):
            add1_rounds.append(
                {
                    "endowment": _frac(_get(step, "endowment")),
                    "selected": [str(x) for x in (_get(step, "selected") or [])],
                    "total_cost": _frac(_get(step, "total_cost") or 0),
                    "exhaustive": bool(_get(step, "exhaustive")),
                    "repeated": int(_get(step, "repeated", 0) or 0),
                }
            )
            continue
        if pid is None or pid not in entries:
            continue
        entry = entries[pid]
        if kind == "MesPurchase" or (
            _get(step, "rho") is not None and _get(step, "payments") is not None
        ):
            after_mes = True
            groups = _payment_groups(_get(step, "payments"))
            entry.update(
                reason="mes_bought",
                round=_get(step, "round"),
                rho=_get(step, "rho"),
                supporters=_get(step, "supporters", entry["votes"]),
                payments=groups,
            )
            spent += instance.projects[pid].cost
        elif kind == "MesUnfunded" or _get(step, "supporters_budget_left") is not None:
            after_mes = True
            if entry["funded"]:
                continue  # bought later by a completion step
            entry.update(
                reason="mes_not_affordable" if entry["votes"] else "no_votes",
                supporters=_get(step, "supporters", entry["votes"]),
                supporters_budget_left=_frac(_get(step, "supporters_budget_left")),
            )
        elif kind == "PhragmenPurchase" or _get(step, "load") is not None:
            entry.update(
                reason="phragmen_bought",
                time=_get(step, "time"),
                load=_get(step, "load"),
            )
            spent += instance.projects[pid].cost
        elif _is_greedy_step(step):
            action = str(_get(step, "action"))
            if after_mes:  # greedy fill after equal shares (add1u)
                if action == "selected":
                    entry["reason"] = "completion_selected"
                    entry["budget_left"] = budget - spent
                    spent += instance.projects[pid].cost
                continue
            if _get(step, "phase", "main") == "leftover":
                # second pass over what is left, without category/neighbourhood limits
                if action == "selected":
                    entry["reason"] = "leftover_selected"
                    entry["budget_left"] = budget - spent
                    spent += instance.projects[pid].cost
                continue
            rank += 1
            entry["rank"] = rank
            entry["score"] = _get(step, "score")
            if action == "selected":
                entry["reason"] = "greedy_selected"
                entry["budget_left"] = budget - spent
                spent += instance.projects[pid].cost
            elif action == "skipped_no_fit":
                entry["reason"] = "greedy_no_fit"
                entry["budget_left"] = budget - spent
            elif action == "below_threshold":
                entry["reason"] = "below_threshold"
                threshold = params.get("threshold")
                if threshold is not None:
                    entry["threshold"] = _frac(threshold)
            elif action == "stopped":
                entry["reason"] = "greedy_stopped"
                entry["budget_left"] = budget - spent
            elif action == "category_budget_exhausted":
                entry["reason"] = "category_budget_exhausted"
                for key in ("category", "group", "part"):
                    if _get(step, key) is not None:
                        entry["category"] = _get(step, key)
            else:
                entry["reason"] = action

    for entry in entries.values():
        if entry["votes"] == 0 and not entry["funded"]:
            entry["reason"] = "no_votes"
        elif entry["reason"] == "not_selected" and rule == "phragmen":
            entry["reason"] = "phragmen_stopped"
        elif entry["reason"] == "not_selected" and rule == "mes":
            entry["reason"] = "mes_not_affordable"
        if not entry["funded"] and "fits_leftover" not in entry:
            entry["fits_leftover"] = instance.projects[entry["id"]].cost <= budget - total

    order = {pid: i for i, pid in enumerate(selected)}
    projects = sorted(
        entries.values(),
        key=lambda e: (
            0 if e["funded"] else 1,
            order.get(e["id"], 0),
            -(e.get("points") or e["votes"]),
            e.get("rank") or 0,
        ),
    )
    for entry in projects:
        entry["text"] = _project_text(entry, rule, currency, instance.vote_type)

    summary = {
        "budget": budget,
        "total_cost": total,
        "leftover": budget - total,
        "n_projects": len(instance.projects),
        "n_funded": len(selected),
        "n_voters": n_voters,
        "satisfied_voters": happy,
        "satisfied_share": Fraction(happy, n_voters) if n_voters else Fraction(0),
        "satisfied_percent": _percent(happy, n_voters),
    }
    result: dict[str, Any] = {
        "params": params,
        "rule_name": rule_name(params),
        "currency": currency,
        "vote_type": instance.vote_type,
        "summary": summary,
        "projects": projects,
    }
    if endowment is not None:
        result["endowment"] = _frac(endowment)
        result["initial_endowment"] = budget / n_voters if n_voters else Fraction(0)
    if add1_rounds:
        result["add1_rounds"] = add1_rounds
        result["add1_runs"] = len(add1_rounds)
        result["add1_skipped"] = sum(r["repeated"] for r in add1_rounds)
    result["summary"]["text"] = _summary_text(result)
    return _jsonable(result)


def _votes_phrase(entry: Mapping[str, Any], vote_type: str) -> str:
    if "points" in entry:
        return f"kreeg {_count(int(_frac(entry['points'])), 'punt', 'punten')}"
    if vote_type == "ordinal":
        n = entry["votes"]
        return f"stond op de lijst van {_count(n, 'persoon', 'mensen')}"
    return f"kreeg {_count(entry['votes'], 'stem', 'stemmen')}"


def _project_text(entry: Mapping[str, Any], rule: str, currency: str, vote_type: str) -> str:
    """One plain Dutch (B1) sentence or two about one project."""
    money = lambda x: format_money(x, currency)  # noqa: E731
    label = entry["name"] or f"Project {entry['id']}"
    head = f"{label} ({money(entry['cost'])}) {_votes_phrase(entry, vote_type)}"
    reason = entry["reason"]
    if reason == "greedy_selected":
        return (
            f"{head} en stond op plaats {entry['rank']}. Er was toen nog "
            f"{money(entry['budget_left'])} over. Dat is genoeg, dus dit project krijgt geld."
        )
    if reason == "greedy_no_fit":
        return (
            f"{head} en stond op plaats {entry['rank']}. Toen dit project aan de beurt was, "
            f"was er nog {money(entry['budget_left'])} over. Dat is te weinig, "
            "dus dit project krijgt geen geld."
        )
    if reason == "greedy_stopped":
        return (
            f"{head} en stond op plaats {entry['rank']}. Een project met meer stemmen paste "
            "niet meer in het budget. Volgens de regels stopte de verdeling daar, "
            "dus dit project krijgt geen geld."
        )
    if reason == "leftover_selected":
        return (
            f"{head}. Eerst was het geld voor zijn onderwerp of buurt op. Daarna bleef er "
            f"nog {money(entry['budget_left'])} over, en daar paste dit project in. "
            "Daarom krijgt het toch geld."
        )
    if reason == "below_threshold":
        limit = entry.get("threshold")
        limit_text = f" van {_frac(limit)}" if limit is not None else ""
        return (
            f"{head}. Dat is minder dan de ondergrens{limit_text}. "
            "Daarom krijgt dit project geen geld."
        )
    if reason == "category_budget_exhausted":
        part = entry.get("category")
        where = f" voor '{part}'" if part else " voor dit onderwerp of deze buurt"
        return f"{head}. Het geld{where} was al op. Daarom krijgt dit project geen geld."
    if reason == "mes_bought":
        groups = entry.get("payments") or []
        n_sup = entry.get("supporters", entry["votes"])
        parts = [
            f"{_count(g['voters'], 'persoon', 'mensen')} "
            f"{'betaalde' if g['voters'] == 1 else 'betaalden'} {money(g['amount'])}"
            for g in groups
        ]
        if len(parts) == 1:
            paid = f"Ieder van hen betaalde {money(groups[0]['amount'])}."
        elif parts:
            paid = "Zo betaalden ze: " + "; ".join(parts) + "."
        else:
            paid = ""
        rnd = entry.get("round")
        when = f" in ronde {rnd}" if rnd is not None else ""
        if n_sup == 1:
            who = "De enige persoon die ervoor stemde, betaalde het uit haar of zijn deel"
        else:
            who = f"De {n_sup} mensen die ervoor stemden, betaalden het samen uit hun deel"
        return f"{head}. Dit project is gekozen{when}. {who} van het budget. {paid}".rstrip()
    if reason == "mes_not_affordable":
        left = entry.get("supporters_budget_left")
        n_sup = entry.get("supporters", entry["votes"])
        if left is None:
            return f"{head}. De mensen die ervoor stemden, hadden samen te weinig geld over."
        if n_sup == 1:
            who = f"De enige persoon die ervoor stemde, had nog {money(left)} over."
        else:
            who = f"De {n_sup} mensen die ervoor stemden, hadden samen nog {money(left)} over."
        text = (
            f"{head}. {who} Het project kost {money(entry['cost'])}. "
            "Dat is te weinig, dus dit project krijgt geen geld."
        )
        if not entry.get("fits_leftover", True):
            text += " Het past ook niet meer in het geld dat over is."
        return text
    if reason == "completion_selected":
        return (
            f"{head}. Na de verdeling in gelijke delen was er nog "
            f"{money(entry['budget_left'])} over. Dit project paste daarin en had de meeste "
            "stemmen van de projecten die nog over waren. Daarom krijgt het geld."
        )
    if reason == "phragmen_bought":
        nth = f" als nummer {entry['time']}" if entry.get("time") is not None else ""
        return (
            f"{head}. Dit project is{nth} gekozen: de mensen die ervoor stemden, "
            "konden het samen betalen."
        )
    if reason == "phragmen_stopped":
        return (
            f"{head}. Het volgende project paste niet meer in het budget, "
            "daarom stopte de verdeling. Dit project krijgt geen geld."
        )
    if reason == "no_votes":
        return f"{label} ({money(entry['cost'])}) kreeg geen stemmen en krijgt geen geld."
    if entry["funded"]:
        return f"{head}. Dit project krijgt geld."
    return f"{head}. Dit project krijgt geen geld."


def _summary_text(data: Mapping[str, Any]) -> str:
    s = data["summary"]
    money = lambda x: format_money(x, data["currency"])  # noqa: E731
    lines = [
        f"Er was {money(s['budget'])} te verdelen.",
        f"{_count(s['n_funded'], 'project krijgt', 'projecten krijgen')} samen "
        f"{money(s['total_cost'])}. Er blijft {money(s['leftover'])} over.",
        f"{_count(s['n_voters'], 'persoon heeft', 'mensen hebben')} gestemd. "
        f"{s['satisfied_voters']} van hen ({s['satisfied_percent']}) "
        f"{'stemde' if s['satisfied_voters'] == 1 else 'stemden'} op minstens één project "
        "dat geld krijgt.",
    ]
    if "endowment" in data:
        start, end = data["initial_endowment"], data["endowment"]
        line = f"Bij gelijke delen kreeg iedereen eerst {money(start)} om mee te betalen."
        if _frac(end) != _frac(start):
            line += (
                " Omdat er dan geld overbleef, is dat bedrag steeds een beetje verhoogd, "
                f"tot {money(end)} per persoon."
            )
        runs, skipped = data.get("add1_runs"), data.get("add1_skipped", 0)
        if runs:
            line += f" De verdeling is {_count(runs, 'keer', 'keer')} uitgerekend."
        if skipped:
            line += (
                f" Bij {skipped} {'bedrag' if skipped == 1 else 'bedragen'} daartussen stond "
                "vooraf vast dat de uitkomst hetzelfde bleef. Die zijn niet apart uitgerekend."
            )
        lines.append(line)
    return " ".join(lines)


def explain_text(instance: Instance, profile: Profile, outcome: Any) -> str:
    """The explanation as plain Dutch text: the summary, then one line per project.

    >>> from types import SimpleNamespace as NS
    >>> from buurtcore.voting.model import Project
    >>> inst = Instance(meta={}, projects={"A": Project("A", Fraction(30), "Moestuin")},
    ...     budget=Fraction(40), vote_type="approval", project_columns=[])
    >>> prof = Profile(voter_ids=["v"], indptr=np.array([0, 1]),
    ...     project_index=np.array([0], dtype=np.int32), points=None,
    ...     voter_fields={}, vote_columns=[])
    >>> out = NS(selected=["A"], budget=Fraction(40), params={"rule": "greedy"},
    ...     steps=[], final_endowment=None)
    >>> import textwrap
    >>> for line in explain_text(inst, prof, out).splitlines():
    ...     print(textwrap.fill(line, 78) or "")
    Uitslag volgens de regel: meeste stemmen eerst.
    Er was € 40 te verdelen. 1 project krijgt samen € 30. Er blijft € 10 over. 1
    persoon heeft gestemd. 1 van hen (100%) stemde op minstens één project dat
    geld krijgt.
    <BLANKLINE>
    Projecten die geld krijgen:
    - Moestuin (€ 30) kreeg 1 stem. Dit project krijgt geld.
    """
    data = explain(instance, profile, outcome)
    return render_text(data)


def render_text(data: Mapping[str, Any]) -> str:
    """Render the result of :func:`explain` as Dutch text."""
    lines = []
    if data.get("rule_name"):
        lines.append(f"Uitslag volgens de regel: {data['rule_name']}.")
    lines.append(data["summary"]["text"])
    funded = [p for p in data["projects"] if p["funded"]]
    other = [p for p in data["projects"] if not p["funded"]]
    if funded:
        lines += ["", "Projecten die geld krijgen:"] + [f"- {p['text']}" for p in funded]
    if other:
        lines += ["", "Projecten die geen geld krijgen:"] + [f"- {p['text']}" for p in other]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- compare


def _side(instance: Instance, profile: Profile, outcome: Any) -> dict[str, Any]:
    selected = [str(p) for p in outcome.selected]
    total = sum((instance.projects[p].cost for p in selected), Fraction(0))
    budget = _frac(getattr(outcome, "budget", None) or instance.budget)
    happy = satisfied_voters(instance, profile, selected)
    n = profile.n_voters
    return {
        "params": dict(getattr(outcome, "params", {}) or {}),
        "rule_name": rule_name(getattr(outcome, "params", {}) or {}),
        "selected": selected,
        "total_cost": total,
        "leftover": budget - total,
        "satisfied_voters": happy,
        "satisfied_share": Fraction(happy, n) if n else Fraction(0),
        "satisfied_percent": _percent(happy, n),
    }


def compare(instance: Instance, profile: Profile, outcome_a: Any, outcome_b: Any) -> dict[str, Any]:
    """Two outcomes side by side: what differs, what it costs, how many voters are served.

    ``only_a`` and ``only_b`` list the projects that only one outcome funds (with
    cost and votes), ``both`` those both fund; ``a`` and ``b`` carry each
    outcome's totals and share of satisfied voters; ``text`` says it in Dutch.
    """
    a = _side(instance, profile, outcome_a)
    b = _side(instance, profile, outcome_b)
    supporters = _supporter_counts(instance, profile)

    def rows(ids: Iterable[str]) -> list[dict[str, Any]]:
        return [
            {
                "id": pid,
                "name": instance.projects[pid].name,
                "cost": instance.projects[pid].cost,
                "votes": supporters.get(pid, 0),
            }
            for pid in ids
        ]

    set_a, set_b = set(a["selected"]), set(b["selected"])
    order = instance.project_ids()
    result = {
        "a": a,
        "b": b,
        "both": rows(p for p in order if p in set_a and p in set_b),
        "only_a": rows(p for p in order if p in set_a and p not in set_b),
        "only_b": rows(p for p in order if p in set_b and p not in set_a),
        "n_voters": profile.n_voters,
        "currency": instance.meta.get("currency", "EUR") or "EUR",
    }
    result["same"] = not result["only_a"] and not result["only_b"]
    result["text"] = _compare_text(result)
    return _jsonable(result)


def _compare_text(c: Mapping[str, Any]) -> str:
    money = lambda x: format_money(x, c["currency"])  # noqa: E731
    name_a = c["a"]["rule_name"] or "regel A"
    name_b = c["b"]["rule_name"] or "regel B"
    lines = []
    if c["same"]:
        lines.append(f"Beide regels ({name_a} en {name_b}) kiezen dezelfde projecten.")
    else:
        lines.append(f"Regel A ({name_a}) en regel B ({name_b}) kiezen niet dezelfde projecten.")
        for key, who in (("only_a", "Alleen regel A"), ("only_b", "Alleen regel B")):
            if c[key]:
                names = ", ".join(
                    f"{r['name'] or 'project ' + r['id']} ({money(r['cost'])})" for r in c[key]
                )
                lines.append(f"{who} kiest: {names}.")
    for side, label in (("a", "Regel A"), ("b", "Regel B")):
        s = c[side]
        lines.append(
            f"{label} geeft {money(s['total_cost'])} uit en houdt {money(s['leftover'])} over. "
            f"{s['satisfied_voters']} van de {c['n_voters']} mensen ({s['satisfied_percent']}) "
            "stemden op minstens één gekozen project."
        )
    return "\n".join(lines)


def compare_text(instance: Instance, profile: Profile, outcome_a: Any, outcome_b: Any) -> str:
    """The comparison of :func:`compare` as Dutch text."""
    return compare(instance, profile, outcome_a, outcome_b)["text"]
