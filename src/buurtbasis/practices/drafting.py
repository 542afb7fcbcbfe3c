"""A first draft of a practice page from what the platform already knows.

``FACTS`` is a list of small functions. Each reads one source (the initiative, its
status history, the buurtbudget, the host's ledger, …) and returns ``Fact``s: a line
of text for one field of the practice, the source it came from and, where it has
them, figures. Add a source by adding a function to the list. The draft is only a
start: the initiators edit every word before a community worker reviews it.

Sources are read only, through their own query functions (hosting: ``books``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.platform.money import format_euros


@dataclass
class Fact:
    """One thing the platform knows, for one field of the practice."""

    field: str
    text: str
    source: str
    figures: dict[str, int] = field(default_factory=dict)


def initiative_facts(initiative: Initiative) -> list[Fact]:
    """What it does and for whom: the pitch, the description, target groups and themes."""
    source = _("The initiative's page")
    what = "\n\n".join(p for p in (initiative.pitch, initiative.description.strip()) if p)
    facts = [Fact("what_it_does", what, source)] if what else []
    groups = [str(g) for g in initiative.target_groups.all()]
    if groups:
        facts.append(
            Fact("for_whom", _("For: %(groups)s.") % {"groups": ", ".join(groups)}, source)
        )
    needs = {key for key, _label in initiative.needs}
    if "volunteers" in needs:
        facts.append(Fact("took_volunteers", _("The initiative asked for volunteers."), source))
    if "room" in needs:
        facts.append(Fact("took_rooms", _("The initiative looked for a room or place."), source))
    if initiative.host_organisation_id:
        facts.append(
            Fact(
                "took_partners",
                _("Hosted by %(host)s, which holds and pays out its money.")
                % {"host": initiative.host_organisation.name},
                source,
            )
        )
    return facts


def history_facts(initiative: Initiative) -> list[Fact]:
    """How it went: the steps of its lifecycle, with their dates."""
    steps = []
    for change in initiative.status_changes.all():
        day = date_format(change.changed_on, "j F Y")
        if not change.from_status:
            steps.append(_("started as an idea on %(day)s") % {"day": day})
        elif change.to_status == Status.ACTIVE:
            steps.append(_("active from %(day)s") % {"day": day})
        elif change.to_status == Status.PAUSED:
            steps.append(_("paused on %(day)s") % {"day": day})
        elif change.to_status == Status.HANDED_OVER:
            steps.append(_("handed over on %(day)s") % {"day": day})
        elif change.to_status == Status.ENDED:
            steps.append(_("ended on %(day)s") % {"day": day})
    if not steps:
        return []
    text = _("Timeline: %(steps)s.") % {"steps": "; ".join(steps)}
    return [Fact("what_it_does", text, _("The initiative's history"))]


def budget_facts(initiative: Initiative) -> list[Fact]:
    """Plans of the initiative that won money in a buurtbudget round."""
    from buurtbasis.budgets.models import FundedPlan

    funded = list(
        FundedPlan.objects.filter(initiative=initiative)
        .select_related("plan", "budget_round")
        .order_by("pk")
    )
    source = _("Buurtbudget")
    facts = [
        Fact(
            "took_money",
            _("Buurtbudget %(round)s: the plan “%(plan)s” received %(amount)s.")
            % {
                "round": f.budget_round.title,
                "plan": f.plan.title,
                "amount": format_euros(f.amount_cents),
            },
            source,
        )
        for f in funded
    ]
    if funded:
        facts[0].figures["money_received_cents"] = sum(f.amount_cents for f in funded)
    return facts


def ledger_facts(initiative: Initiative) -> list[Fact]:
    """Money received and spent per category, from the host's ledger (hosted only)."""
    from buurtbasis.hosting.queries import books

    result = books(initiative)
    if not result.grants:
        return []
    spent: dict[str, int] = {}
    for grant in result.grants:
        for label, cents in grant.rows:
            spent[str(label)] = spent.get(str(label), 0) + cents
    lines = [
        _("Received %(received)s and spent %(spent)s through the host.")
        % {"received": format_euros(result.received), "spent": format_euros(result.spent)}
    ]
    if spent:
        lines.append(
            _("Spent on: %(rows)s.")
            % {"rows": "; ".join(f"{k} {format_euros(v)}" for k, v in spent.items() if v)}
        )
    return [
        Fact(
            "took_money",
            " ".join(lines),
            _("The host's ledger"),
            {"money_received_cents": result.received, "money_spent_cents": result.spent},
        )
    ]


def people_facts(initiative: Initiative) -> list[Fact]:
    """Who to ask: the initiators, by role (never names or e-mail addresses)."""
    n = initiative.members.count()
    if not n:
        return []
    text = ngettext(
        "The initiator of %(name)s answers questions through the button on this page.",
        "The %(n)d initiators of %(name)s answer questions through the button on this page.",
        n,
    ) % {"n": n, "name": initiative.name}
    return [Fact("who_to_ask", text, _("The initiative's initiators"))]


def logbook_facts(initiative: Initiative) -> list[Fact]:
    """How often the neighbourhood logbook mentions the initiative (public entries)."""
    from django.contrib.contenttypes.models import ContentType

    from buurtbasis.logbook.models import LogEntry

    kind = ContentType.objects.get_for_model(Initiative)
    n = LogEntry.objects.public().filter(source_type=kind, source_id=initiative.pk).count()
    if not n:
        return []
    text = ngettext(
        "The neighbourhood logbook has %(n)d entry about it.",
        "The neighbourhood logbook has %(n)d entries about it.",
        n,
    ) % {"n": n}
    return [Fact("what_it_does", text, _("The neighbourhood logbook"))]


def volunteer_facts(initiative: Initiative) -> list[Fact]:
    """How many people gave how many hours (hours the initiative confirmed)."""
    from buurtbasis.volunteering.models import HoursEntry, HoursState

    totals = HoursEntry.objects.filter(initiative=initiative, state=HoursState.CONFIRMED).aggregate(
        minutes=Sum("minutes"), people=Count("user", distinct=True)
    )
    minutes = totals["minutes"] or 0
    if not minutes:
        return []
    hours, people = round(minutes / 60), totals["people"]
    text = ngettext(
        "%(people)d volunteer gave %(hours)d hours (confirmed by the initiative).",
        "%(people)d volunteers gave %(hours)d hours (confirmed by the initiative).",
        people,
    ) % {"people": people, "hours": hours}
    return [
        Fact(
            "took_volunteers",
            text,
            _("Volunteer hours"),
            {"volunteers": people, "volunteer_hours": hours},
        )
    ]


def room_facts(initiative: Initiative) -> list[Fact]:
    """The rooms of partners it used (accepted bookings), how often."""
    from buurtbasis.rooms.models import Booking, BookingStatus

    rows = (
        Booking.objects.filter(initiative=initiative, status=BookingStatus.ACCEPTED)
        .values("room__name", "room__organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "room__name")[:5]
    )
    return [
        Fact(
            "took_rooms",
            ngettext(
                "%(n)d booking of %(room)s (%(partner)s).",
                "%(n)d bookings of %(room)s (%(partner)s).",
                row["n"],
            )
            % {
                "room": row["room__name"],
                "partner": row["room__organisation__name"],
                "n": row["n"],
            },
            _("Room bookings"),
        )
        for row in rows
    ]


def partner_facts(initiative: Initiative) -> list[Fact]:
    """Partnerships with organisations that confirmed their side, and what they do."""
    from buurtbasis.partnerships.models import Side

    sides = (
        Side.objects.filter(
            partnership__initiative=initiative,
            organisation__isnull=False,
            confirmed_at__isnull=False,
        )
        .select_related("organisation", "partnership")
        .order_by("partnership__title", "organisation__name")
    )
    facts = []
    for side in sides:
        text = _("Partnership “%(title)s” with %(partner)s.") % {
            "title": side.partnership.title,
            "partner": side.organisation.name,
        }
        if side.tasks:
            text += " " + _("They do: %(tasks)s") % {"tasks": side.tasks}
        facts.append(Fact("took_partners", text, _("Partnerships")))
    return facts


#: The sources of a draft, in order. Each takes an initiative and returns facts.
FACTS: list[Callable[[Initiative], list[Fact]]] = [
    initiative_facts,
    history_facts,
    budget_facts,
    ledger_facts,
    volunteer_facts,
    room_facts,
    partner_facts,
    people_facts,
    logbook_facts,
]


@dataclass
class Draft:
    fields: dict[str, str]
    figures: dict[str, int]
    facts: list[Fact]


def draft(initiative: Initiative) -> Draft:
    """The draft of a practice for the initiative: every fact's text joined per field;
    a later figure of the same name wins (the ledger over the buurtbudget amount)."""
    facts: list[Fact] = []
    for source in FACTS:
        facts += source(initiative)
    fields: dict[str, list[str]] = {}
    figures: dict[str, int] = {}
    for fact in facts:
        if fact.text:
            fields.setdefault(fact.field, []).append(fact.text)
        figures.update(fact.figures)
    joined = {name: "\n\n".join(texts) for name, texts in fields.items()}
    joined["title"] = initiative.name
    return Draft(joined, figures, facts)
