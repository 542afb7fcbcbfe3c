"""Every write of partnerships: plain values and an ``Origin`` in, never a request."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.organisations.models import Membership
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.notifications import notify

from . import access
from .models import Agreement, FollowUpAction, Partnership, PulseAnswer, PulseRound, Side
from .pulse import STATEMENT_KEYS, aspect_means

#: A pulse every quarter; a round stays open four weeks.
PULSE_EVERY = datetime.timedelta(days=91)
PULSE_OPEN_DAYS = 28


class PartnershipError(Exception):
    """A write that breaks a rule; the message is for the person (translated)."""


def participants(partnership, *, sides=None) -> list:
    """Everyone who may answer the pulse: initiators and the partner roles of confirmed
    partner organisations. Two queries."""
    sides = list(partnership.sides.all()) if sides is None else sides
    org_ids = [s.organisation_id for s in sides if s.organisation_id and s.confirmed_at]
    people = {u.pk: u for u in partnership.initiative.members.filter(is_active=True)}
    for m in Membership.objects.filter(
        organisation_id__in=org_ids, role__in=access.PARTNER_ROLES, user__is_active=True
    ).select_related("user"):
        people.setdefault(m.user_id, m.user)
    return list(people.values())


def _notify_many(people, kind: str, context: dict, *, partnership, skip=None) -> None:
    for person in people:
        if skip is not None and person.pk == skip.pk:
            continue
        notify(person, kind, context, municipality=partnership.municipality_code)


@transaction.atomic
def create_partnership(
    *,
    initiative,
    title: str,
    purpose: str,
    initiator_tasks: str,
    organisations,
    plans=(),
    grants=(),
    origin: Origin,
) -> Partnership:
    organisations = list(organisations)
    if not organisations:
        raise PartnershipError(_("Choose at least one partner organisation."))
    code = initiative.municipality_code()
    if not code:
        raise PartnershipError(_("The initiative has no area, so it has no municipality."))
    plan_ids = {p.pk for p in plans}
    if plan_ids - set(initiative.budget_plans.values_list("pk", flat=True)):
        raise PartnershipError(_("Only plans of this initiative can be linked."))
    grant_ids = {g.pk for g in grants}
    if grant_ids - set(initiative.grants.values_list("pk", flat=True)):
        raise PartnershipError(_("Only grants of this initiative can be linked."))
    partnership = Partnership.objects.create(
        initiative=initiative,
        municipality_code=code,
        title=title,
        purpose=purpose,
        created_by=origin.actor,
    )
    Side.objects.create(partnership=partnership, tasks=initiator_tasks)
    for organisation in organisations:
        Side.objects.create(partnership=partnership, organisation=organisation)
    partnership.plans.set(plan_ids)
    partnership.grants.set(grant_ids)
    record_event(
        action="partnerships.created",
        target=partnership,
        details={"organisations": [o.pk for o in organisations], "initiative": initiative.pk},
        origin=origin,
    )
    contacts = (
        Membership.objects.filter(
            organisation__in=organisations, role__in=access.PARTNER_ROLES, user__is_active=True
        )
        .select_related("user", "organisation")
        .order_by("pk")
    )
    seen = set()
    for m in contacts:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        notify(
            m.user,
            "partnerships.confirm",
            {
                "partnership": partnership.title,
                "initiative": initiative.name,
                "organisation": m.organisation.name,
                "link": partnership.get_absolute_url(),
            },
            municipality=code,
        )
    return partnership


@transaction.atomic
def confirm_side(*, side: Side, tasks: str, origin: Origin) -> Side:
    if side.organisation_id is None:
        raise PartnershipError(_("The initiators take part already."))
    if not access.can_confirm(origin.actor, side):
        raise PartnershipError(_("Only people of this organisation can confirm."))
    side.tasks = tasks
    if side.confirmed_at is None:
        side.confirmed_at = timezone.now()
        side.confirmed_by = origin.actor
    side.save(update_fields=["tasks", "confirmed_at", "confirmed_by"])
    record_event(
        action="partnerships.side_confirmed",
        target=side.partnership,
        details={"organisation": side.organisation_id},
        origin=origin,
    )
    return side


@transaction.atomic
def set_side_tasks(*, side: Side, tasks: str, origin: Origin) -> Side:
    """Change what a side does: by the people of that side (initiators: also those who
    manage the initiative)."""
    partnership = side.partnership
    mine = access.side_of(origin.actor, partnership)
    allowed = (mine is not None and mine.pk == side.pk) or (
        side.is_initiators and access.can_create_for(origin.actor, partnership.initiative)
    )
    if not allowed:
        raise PartnershipError(_("Only people of this side can change what it does."))
    side.tasks = tasks
    side.save(update_fields=["tasks"])
    record_event(
        action="partnerships.side_tasks_changed",
        target=partnership,
        details={"side": side.pk},
        origin=origin,
    )
    return side


@transaction.atomic
def add_agreement(
    *, partnership, text: str, side: Side, due_on: datetime.date | None, origin: Origin
) -> Agreement:
    if side.partnership_id != partnership.pk:
        raise PartnershipError(_("Choose a side of this partnership."))
    agreement = Agreement.objects.create(
        partnership=partnership, text=text, side=side, due_on=due_on
    )
    record_event(
        action="partnerships.agreement_added",
        target=partnership,
        details={"agreement": agreement.pk, "side": side.pk, "due_on": due_on},
        origin=origin,
    )
    return agreement


def _mark_done(obj, action: str, origin: Origin) -> None:
    if obj.done_at is None:
        obj.done_at = timezone.now()
        obj.save(update_fields=["done_at"])
        record_event(
            action=action,
            target=obj.partnership,
            details={"id": obj.pk},
            origin=origin,
        )


@transaction.atomic
def complete_agreement(*, agreement: Agreement, origin: Origin) -> None:
    _mark_done(agreement, "partnerships.agreement_done", origin)


@transaction.atomic
def add_action(
    *, partnership, text: str, owner, due_on: datetime.date, origin: Origin
) -> FollowUpAction:
    if owner.pk not in {p.pk for p in participants(partnership)}:
        raise PartnershipError(_("The owner must be a person of one of the sides."))
    action = FollowUpAction.objects.create(
        partnership=partnership, text=text, owner=owner, due_on=due_on, created_by=origin.actor
    )
    record_event(
        action="partnerships.action_added",
        target=partnership,
        details={"action": action.pk, "due_on": due_on},
        origin=origin,
    )
    if origin.actor is None or owner.pk != origin.actor.pk:
        notify(
            owner,
            "partnerships.action",
            {
                "partnership": partnership.title,
                "what": text,
                "due_on": due_on,
                "link": partnership.get_absolute_url(),
            },
            municipality=partnership.municipality_code,
        )
    return action


@transaction.atomic
def complete_action(*, action: FollowUpAction, origin: Origin) -> None:
    _mark_done(action, "partnerships.action_done", origin)


def open_round(*, partnership, origin: Origin, today: datetime.date | None = None) -> PulseRound:
    """Open the next pulse round now and tell the participants. Refused while a round is
    still open."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # lock the partnership so two starts at once make one round
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        latest = partnership.pulse_rounds.order_by("-number").first()
        if latest is not None and latest.closes_on >= today:
            raise PartnershipError(_("A pulse is open already."))
        sides = list(partnership.sides.select_related("organisation"))
        if not any(s.confirmed_at for s in sides if s.organisation_id):
            raise PartnershipError(_("No partner has confirmed yet."))
        number = (partnership.pulse_rounds.aggregate(n=Max("number"))["n"] or 0) + 1
        pulse_round = PulseRound.objects.create(
            partnership=partnership,
            number=number,
            opens_on=today,
            closes_on=today + datetime.timedelta(days=PULSE_OPEN_DAYS),
        )
        record_event(
            action="partnerships.pulse_opened",
            target=partnership,
            details={"round": number},
            origin=origin,
        )
        _notify_many(
            participants(partnership, sides=sides),
            "partnerships.pulse",
            {
                "partnership": partnership.title,
                "closes_on": pulse_round.closes_on,
                "link": partnership.get_absolute_url(),
            },
            partnership=partnership,
            skip=origin.actor,
        )
    return pulse_round


def open_due_rounds(*, today: datetime.date | None = None) -> int:
    """Open a round for each partnership whose last round opened a quarter ago (or that
    never had one) and has a confirmed partner. Returns how many were opened."""
    today = today or timezone.localdate()
    latest = dict(PulseRound.objects.values_list("partnership_id").annotate(last=Max("opens_on")))
    due = (
        Partnership.objects.filter(sides__confirmed_at__isnull=False)
        .distinct()
        .select_related("initiative")
    )
    opened = 0
    for partnership in due:
        last = latest.get(partnership.pk)
        if last is not None and last + PULSE_EVERY > today:
            continue
        try:
            open_round(partnership=partnership, origin=Origin.system(), today=today)
        except PartnershipError:
            continue
        opened += 1
    return opened


def answer_pulse(
    *,
    pulse_round: PulseRound,
    scores: dict[str, int],
    open_text: str,
    show_name: bool,
    origin: Origin,
    today: datetime.date | None = None,
) -> PulseAnswer:
    person = origin.actor
    partnership = pulse_round.partnership
    side = access.side_of(person, partnership)
    if not access.can_answer(person, partnership, side):
        raise PartnershipError(_("Only people of a side of this partnership can answer."))
    if not pulse_round.is_open(today):
        raise PartnershipError(_("This pulse is closed."))
    if set(scores) != set(STATEMENT_KEYS) or any(
        not isinstance(v, int) or not 1 <= v <= 5 for v in scores.values()
    ):
        raise PartnershipError(_("Choose a score from 1 to 5 for every statement."))
    try:
        with transaction.atomic():
            answer = PulseAnswer.objects.create(
                pulse_round=pulse_round,
                side=side,
                person=person,
                scores=scores,
                open_text=open_text.strip(),
                show_name=show_name,
                **aspect_means(scores),
            )
    except IntegrityError:
        raise PartnershipError(_("You have answered this pulse already.")) from None
    return answer


def erase_answers(user) -> int:
    """Keep the numbers anonymously; remove the person, the name and the open text."""
    return PulseAnswer.objects.filter(person=user).update(
        person=None, open_text="", show_name=False
    )


def erase_actions(user) -> int:
    return FollowUpAction.objects.filter(owner=user).update(owner=None)
