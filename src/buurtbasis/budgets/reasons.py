"""The results in words, in the language of the page.

The engine stores its explanation as data (``Outcome.explanation``): per plan a reason
code with the figures behind it, and ready-made Dutch sentences. The pages and the
council report render the sentences here, from the codes and figures, through gettext
(English msgids, Dutch translations), so the English interface explains in English.
A reason this module does not know falls back to the engine's Dutch text.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from buurtbasis.platform.money import format_euros


def euro_cents(value: Any) -> int:
    """Euros as stored by the engine ("1250", "2500/3") to whole cents, half up.

    >>> euro_cents("2500/3"), euro_cents("40"), euro_cents(None)
    (83333, 4000, 0)
    """
    if value in (None, ""):
        return 0
    amount = Fraction(str(value)) * 100
    return int(
        (Decimal(amount.numerator) / Decimal(amount.denominator)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    )


def money(value: Any) -> str:
    """An engine amount in euros as the page shows money."""
    return format_euros(euro_cents(value), language=get_language() or "nl")


def whole(value: Any) -> int:
    try:
        return int(Fraction(str(value)))
    except (TypeError, ValueError, ZeroDivisionError):
        return 0


def score_sentence(entry: Mapping[str, Any], title: str) -> str:
    """The first sentence: the plan, its cost and its votes (or points)."""
    cost = money(entry.get("cost"))
    if entry.get("points") is not None:
        n = whole(entry["points"])
        return ngettext(
            "%(title)s (%(cost)s) got %(n)s point.",
            "%(title)s (%(cost)s) got %(n)s points.",
            n,
        ) % {"title": title, "cost": cost, "n": n}
    n = int(entry.get("votes") or 0)
    return ngettext(
        "%(title)s (%(cost)s) got %(n)s vote.",
        "%(title)s (%(cost)s) got %(n)s votes.",
        n,
    ) % {"title": title, "cost": cost, "n": n}


#: Up to this many different amounts are listed one by one; more are given as a range.
MAX_PAYMENT_GROUPS = 3


def _mes_paid(entry: Mapping[str, Any]) -> str:
    n_sup = int(entry.get("supporters", entry.get("votes")) or 0)
    who = ngettext(
        "The one person who voted for it paid for it from their share of the budget.",
        "The %(n)s people who voted for it paid for it together from their shares of the budget.",
        n_sup,
    ) % {"n": n_sup}
    groups = entry.get("payments") or []
    if len(groups) == 1 and n_sup > 1:
        who += " " + _("Each of them paid %(amount)s.") % {"amount": money(groups[0]["amount"])}
    elif 1 < len(groups) <= MAX_PAYMENT_GROUPS:
        parts = [
            ngettext(
                "%(n)s person paid %(amount)s",
                "%(n)s people paid %(amount)s",
                int(g["voters"]),
            )
            % {"n": int(g["voters"]), "amount": money(g["amount"])}
            for g in groups
        ]
        who += " " + _("This is how they paid: %(parts)s.") % {"parts": "; ".join(parts)}
    elif groups:
        amounts = [Fraction(str(g["amount"])) for g in groups]
        who += " " + _("Each of them paid between %(low)s and %(high)s.") % {
            "low": money(min(amounts)),
            "high": money(max(amounts)),
        }
    return who + " " + _("So this plan gets money.")


def reason_sentence(entry: Mapping[str, Any]) -> str | None:
    """Why this plan was or was not chosen (None for a reason code this module does not know)."""
    reason = entry.get("reason")
    rank = entry.get("rank")
    left = money(entry.get("budget_left"))
    if reason == "greedy_selected":
        return _(
            "It was number %(rank)s in the order of votes. At its turn %(left)s was still "
            "left. That was enough, so this plan gets the money."
        ) % {"rank": rank, "left": left}
    if reason == "greedy_no_fit":
        return _(
            "It was number %(rank)s in the order of votes. At its turn only %(left)s was "
            "left. That was not enough, so this plan gets no money."
        ) % {"rank": rank, "left": left}
    if reason == "greedy_stopped":
        return _(
            "It was number %(rank)s in the order of votes. A plan with more votes no longer "
            "fitted in the budget, and the rules say the sharing out stops there. So this "
            "plan gets no money."
        ) % {"rank": rank}
    if reason == "leftover_selected":
        return _(
            "First the money for its subject or neighbourhood ran out. Afterwards %(left)s "
            "was still left, and this plan fitted in it. So it gets money after all."
        ) % {"left": left}
    if reason == "below_threshold":
        if entry.get("threshold") is not None:
            return _(
                "That is less than the minimum of %(threshold)s. So this plan gets no money."
            ) % {"threshold": whole(entry["threshold"])}
        return _("That is less than the minimum. So this plan gets no money.")
    if reason == "category_budget_exhausted":
        if entry.get("category"):
            return _("The money for “%(part)s” had run out. So this plan gets no money.") % {
                "part": entry["category"]
            }
        return _(
            "The money for this subject or neighbourhood had run out. So this plan gets no money."
        )
    if reason == "mes_bought":
        return _mes_paid(entry)
    if reason == "mes_not_affordable":
        n_sup = int(entry.get("supporters", entry.get("votes")) or 0)
        if entry.get("supporters_budget_left") is None:
            return _(
                "The people who voted for it had too little money left together. "
                "So this plan gets no money."
            )
        text = ngettext(
            "The one person who voted for it had %(left)s left.",
            "The %(n)s people who voted for it had %(left)s left together.",
            n_sup,
        ) % {"n": n_sup, "left": money(entry["supporters_budget_left"])}
        text += " " + _(
            "The plan costs %(cost)s. That is not enough, so this plan gets no money."
        ) % {"cost": money(entry.get("cost"))}
        if not entry.get("fits_leftover", True):
            text += " " + _("It does not fit in the money that is left over either.")
        return text
    if reason == "completion_selected":
        return _(
            "After sharing out in equal parts, %(left)s was left. This plan fitted in it and "
            "had the most votes of the plans that were left. So it gets money."
        ) % {"left": left}
    if reason == "phragmen_bought":
        return _("The people who voted for it could pay for it together. So it gets money.")
    if reason == "phragmen_stopped":
        return _(
            "The next plan no longer fitted in the budget, so the sharing out stopped. "
            "This plan gets no money."
        )
    if reason in ("selected", "not_selected"):
        return _("This plan gets money.") if entry.get("funded") else _("This plan gets no money.")
    return None


def plan_text(entry: Mapping[str, Any], title: str) -> str:
    """The whole "why" of one plan: its votes and cost, then the reason."""
    if entry.get("reason") == "no_votes":
        return _("%(title)s (%(cost)s) got no votes and gets no money.") % {
            "title": title,
            "cost": money(entry.get("cost")),
        }
    reason = reason_sentence(entry)
    if reason is None:
        return str(entry.get("text", ""))
    return f"{score_sentence(entry, title)} {reason}"


def rule_label(params: Mapping[str, Any]) -> str:
    """The rule with its technical name (for the details part)."""
    rule = str(params.get("rule", ""))
    completion = str(params.get("completion") or "none")
    if rule == "mes":
        name = _("Method of Equal Shares")
        if completion == "add1":
            return _("%(rule)s, completed with Add1") % {"rule": name}
        if completion == "add1u":
            return _("%(rule)s, completed with Add1 and then most votes first") % {"rule": name}
        return name
    names = {
        "greedy": _("most votes first (greedy)"),
        "greedy-threshold": _("most votes first, with a minimum"),
        "greedy-no-skip": _("most votes first, stopping at the first plan that does not fit"),
        "phragmen": _("sequential Phragmén"),
    }
    return names.get(rule, rule)


def endowment_sentences(explanation: Mapping[str, Any]) -> list[str]:
    """Equal shares: the budget per voter at the start and at the end, and the Add1 runs."""
    if "endowment" not in explanation:
        return []
    start, end = explanation.get("initial_endowment"), explanation["endowment"]
    lines = [
        _("Endowment: with equal shares every voter first got %(start)s of the budget to pay with.")
        % {"start": money(start)}
    ]
    if start is not None and Fraction(str(end)) != Fraction(str(start)):
        lines.append(
            _(
                "Add1: because money was left over, that amount was raised step by step, "
                "to %(end)s per voter."
            )
            % {"end": money(end)}
        )
    runs = int(explanation.get("add1_runs") or 0)
    if runs:
        lines.append(
            ngettext(
                "The sharing out was computed %(n)s time.",
                "The sharing out was computed %(n)s times.",
                runs,
            )
            % {"n": runs}
        )
    skipped = int(explanation.get("add1_skipped") or 0)
    if skipped:
        lines.append(
            ngettext(
                "For %(n)s amount in between it was known in advance that the outcome "
                "stayed the same, so it was not computed separately.",
                "For %(n)s amounts in between it was known in advance that the outcome "
                "stayed the same, so they were not computed separately.",
                skipped,
            )
            % {"n": skipped}
        )
    return lines


def compare_sentences(compare: Mapping[str, Any]) -> list[str]:
    """Rule A (the round's rule) against rule B (most votes first), for the details part."""
    if not compare:
        return []
    a, b = compare.get("a") or {}, compare.get("b") or {}
    name_a, name_b = rule_label(a.get("params") or {}), rule_label(b.get("params") or {})
    lines = []
    if compare.get("same"):
        lines.append(
            _("Both rules (rule A: %(a)s; rule B: %(b)s) choose the same plans.")
            % {"a": name_a, "b": name_b}
        )
    else:
        lines.append(
            _("Rule A (%(a)s) and rule B (%(b)s) do not choose the same plans.")
            % {"a": name_a, "b": name_b}
        )
        only = (("only_a", _("Only rule A chooses")), ("only_b", _("Only rule B chooses")))
        for key, label in only:
            rows = compare.get(key) or []
            if rows:
                names = ", ".join(
                    f"{r.get('name') or r.get('id')} ({money(r.get('cost'))})" for r in rows
                )
                lines.append(f"{label}: {names}.")
    n = int(compare.get("n_voters") or 0)
    for side, label in ((a, _("Rule A")), (b, _("Rule B"))):
        if not side:
            continue
        lines.append(
            ngettext(
                "%(rule)s: %(spent)s spent, %(left)s left. %(happy)s of the %(n)s voter "
                "(%(pct)s) voted for at least one chosen plan.",
                "%(rule)s: %(spent)s spent, %(left)s left. %(happy)s of the %(n)s voters "
                "(%(pct)s) voted for at least one chosen plan.",
                n,
            )
            % {
                "rule": label,
                "spent": money(side.get("total_cost")),
                "left": money(side.get("leftover")),
                "happy": side.get("satisfied_voters", 0),
                "n": n,
                "pct": side.get("satisfied_percent", ""),
            }
        )
    return lines
