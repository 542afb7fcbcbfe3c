"""Strain warnings: initiatives that rest on one person, for their community workers.

Two findings per initiative:

- ``carried_by_one``: an active initiative carried by one person for a long time;
- ``single_person_role:<role>``: a key role that has no second person.

Both come from the volunteer load records (``volunteering.load``), read in ``findings``.
The weekly job tells each community worker about new findings of the initiatives their
organisation hosts, once per finding (``StrainWarning`` remembers what was sent).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import Membership, Role
from buurtbasis.platform.notifications import notify
from buurtbasis.platform.tasks import background
from buurtbasis.volunteering import load

from .models import StrainWarning

#: How long one person carrying an initiative counts as "long".
CARRIED_DAYS = 365


@dataclass(frozen=True)
class Finding:
    initiative: Initiative
    key: str
    text: str


def findings(initiatives, today: datetime.date | None = None) -> list[Finding]:
    """The findings for these initiatives, in a stable order, from the volunteer load
    records (``volunteering.load``: hours and key roles, with the hosting treasurer).
    A fixed number of queries however many initiatives."""
    initiatives = list(initiatives)
    by_id = {i.pk: i for i in initiatives}
    found = []
    for pk, info in load.carried_by_one(initiatives, days=CARRIED_DAYS, today=today).items():
        if info.by_hours:
            text = _("carried by one person for a year: %(percent)s%% of the hours") % {
                "percent": info.percent
            }
        else:
            text = _("carried by one person for a year: nobody else holds a key role")
        found.append(Finding(by_id[pk], "carried_by_one", text))
    for pk, gaps in load.single_person_roles(initiatives, today=today).items():
        for gap in gaps:
            found.append(
                Finding(
                    by_id[pk],
                    f"single_person_role:{gap.role}",
                    _("the role “%(role)s” has no second person") % {"role": gap.role_label},
                )
            )
    return sorted(found, key=lambda f: (f.initiative.name, f.initiative.pk, f.key))


def hosted_by(org_ids) -> list[Initiative]:
    return list(
        Initiative.objects.filter(
            host_organisation_id__in=org_ids, status__in=[Status.ACTIVE, Status.PAUSED]
        ).order_by("name")
    )


def send_weekly_warnings() -> int:
    """Tell community workers about findings not reported before; return how many were new."""
    new_by_org: dict[int, list[Finding]] = {}
    workers: dict[int, list] = {}
    for m in Membership.objects.filter(
        role=Role.COMMUNITY_WORKER, user__is_active=True
    ).select_related("user"):
        workers.setdefault(m.organisation_id, []).append(m.user)
    initiatives = hosted_by(list(workers))
    sent = set(StrainWarning.objects.values_list("initiative_id", "finding"))
    new = 0
    for finding in findings(initiatives):
        if (finding.initiative.pk, finding.key) in sent:
            continue
        try:
            with transaction.atomic():
                StrainWarning.objects.create(initiative=finding.initiative, finding=finding.key)
        except IntegrityError:  # another run reported it meanwhile
            continue
        new += 1
        new_by_org.setdefault(finding.initiative.host_organisation_id, []).append(finding)
    for org_id, found in new_by_org.items():
        for worker in workers.get(org_id, []):
            notify(
                worker,
                "continuity.strain_warning",
                {
                    "count": len({f.initiative.pk for f in found}),
                    "findings": found,
                    "link": reverse("portal:dashboard"),
                },
                municipality=found[0].initiative.municipality_code(),
            )
    return new


@background(retries=2, backoff=60)
def weekly_strain_warnings() -> int:
    return send_weekly_warnings()
