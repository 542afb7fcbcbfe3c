"""Test data for hand-over and continuity: the logbook's two-municipality town, an
initiative hosted by the town's welfare organisation, and a search with one open role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.continuity import services
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.logbook.tests.helpers import Town, initiative, town
from buurtbasis.platform.audit import Origin

__all__ = ["Setup", "holds_role", "origin", "setup", "town"]


def holds_role(s: Setup, role: str = "coordinator", user=None):
    """Record in the volunteer load records that the initiator holds the role (so the
    hand-over proposes them as the outgoing person)."""
    from buurtbasis.volunteering.models import KeyRole

    return KeyRole.objects.create(
        initiative=s.initiative,
        role=role,
        user=user or s.initiator,
        since=datetime.date.today() - datetime.timedelta(days=365),
    )


def origin(user) -> Origin:
    return Origin(actor=user)


@dataclass
class Setup:
    t: Town
    initiative: object
    initiator: object
    search: object
    role: object
    candidate: object


def setup(
    code: str = "GM0193", name: str = "Zwolle", *, t: Town | None = None, suffix: str = ""
) -> Setup:
    t = t or town(code, name)
    initiator = UserFactory(display_name=f"Initiatiefnemer {name}{suffix}")
    made = initiative(t, creator=initiator, name=f"Moestuin {name}{suffix}")
    made = initiative_services.update_initiative(
        initiative=made,
        editor=initiator,
        host_organisation=t.welfare,
        contact_email=initiator.email,
        contact_name=initiator.display_name,
    )
    initiative_services.change_status(
        initiative=made, to_status="active", by=initiator, on=datetime.date(2023, 1, 1)
    )
    search = services.start_search(initiative=made, reason="Ik verhuis.", origin=origin(initiator))
    role = services.add_role(
        search=search,
        kind="coordinator",
        title="Coördinator",
        hours_per_month=8,
        skills="Plannen",
        origin=origin(initiator),
    )
    return Setup(
        t, made, initiator, search, role, UserFactory(display_name=f"Kandidaat {name}{suffix}")
    )
