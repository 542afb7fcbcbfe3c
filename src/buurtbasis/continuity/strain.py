"""Strain warnings: initiatives that rest on one person, for their community workers.

Two findings per initiative:

- ``carried_by_one``: an active initiative carried by one person for a long time;
- ``single_person_role:<role>``: a key role that has no second person.

``_load_findings`` is the one place that reads where these come from (switch it when
the volunteer load records are merged; see the module docstring of ``findings``).
The weekly job tells each community worker about new findings of the initiatives their
organisation hosts, once per finding (``StrainWarning`` remembers what was sent).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.models import Membership, Role
from buurtbasis.platform.notifications import notify
from buurtbasis.platform.tasks import background

from .models import StrainWarning

#: How long one person carrying an initiative counts as "long".
CARRIED_DAYS = 365


@dataclass(frozen=True)
class Finding:
    initiative: Initiative
    key: str
    text: str


def carried_by_one(initiatives, days: int = CARRIED_DAYS, today: datetime.date | None = None):
    """Active initiatives with one initiator, active for at least ``days`` days.

    Built on what ``initiatives`` knows (its initiators and when it started), until the
    volunteer load records are available. One query.
    """
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days)
    return list(
        Initiative.objects.filter(pk__in=[i.pk for i in initiatives], status=Status.ACTIVE)
        .annotate(n_members=Count("members"))
        .filter(n_members=1, started_on__lte=since)
        .order_by("name")
    )


def single_person_roles(initiatives) -> dict[int, list[str]]:
    """Per initiative id, the key roles that have no second person.

    Without the volunteer load records this knows no roles: it returns nothing.
    """
    return {}


def findings(initiatives) -> list[Finding]:
    """The findings for these initiatives, in a stable order."""
    initiatives = list(initiatives)
    by_id = {i.pk: i for i in initiatives}
    found = [
        Finding(
            by_id[i.pk],
            "carried_by_one",
            _("carried by one person for more than a year"),
        )
        for i in carried_by_one(initiatives)
    ]
    for pk, roles in sorted(single_person_roles(initiatives).items()):
        for role in roles:
            found.append(
                Finding(
                    by_id[pk],
                    f"single_person_role:{role}"[:80],
                    _("the role “%(role)s” has no second person") % {"role": role},
                )
            )
    return sorted(found, key=lambda f: (f.initiative.name, f.key))


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
