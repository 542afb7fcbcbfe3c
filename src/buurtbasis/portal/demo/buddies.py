"""Demo buddy households (maatjes) in both municipalities.

A programme per municipality (Samenkracht Centrum in Zwolle, Buurtwerk Maasoever in
Rotterdam), a matcher in each (in Zwolle a former newcomer who became a peer matcher),
and about 30 households: some in intake, some waiting, active pairs with check-ins done
and overdue, and one pair that ended early (its households wait again). A newcomer
household in Zwolle has its own account (``nieuwkomer@…``), so it can accept a proposal
itself. Everything goes through the real services, quietly (nobody is notified of the
past). Idempotent: a programme that exists already is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.buddies import services
from buurtbasis.buddies.models import Household, HouseholdStatus, Programme
from buurtbasis.organisations.models import Membership, Organisation, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.notifications import quiet

from .initiatives import DEMO_DOMAIN, Result, _user

SEED = 20250614

#: (municipality, organisation slug, programme name, matcher login, matcher name)
PROGRAMMES = [
    (ZWOLLE_CODE, "samenkracht-centrum", "Maatjes Zwolle", "matcher", "Rahaf Al-Masri"),
    (
        ROTTERDAM_CODE,
        "buurtwerk-maasoever",
        "Nieuwe Buren Rotterdam",
        "matcher.rotterdam",
        "Bram Kuipers",
    ),
]
#: The account of one Zwolle newcomer household (it accepts a proposal itself).
NEWCOMER_LOGIN = ("nieuwkomer", "Samir Haddad")

NEWCOMER_LANGUAGES = [
    [("ar", "native"), ("nl", "basic")],
    [("ti", "native"), ("en", "basic")],
    [("uk", "native"), ("en", "good"), ("nl", "basic")],
    [("fa", "native"), ("en", "good")],
    [("so", "native"), ("nl", "basic")],
    [("ar", "native"), ("en", "basic")],
    [("tr", "native"), ("nl", "good")],
]
LOCAL_LANGUAGES = [
    [("nl", "native"), ("en", "good")],
    [("nl", "native"), ("ar", "good")],
    [("nl", "native")],
    [("nl", "native"), ("en", "good"), ("de", "basic")],
    [("nl", "native"), ("tr", "native")],
]
NEWCOMER_NAMES = ["H.", "T.", "K.", "R.", "M.", "A.", "Y.", "S.", "D.", "N.", "F.", "B."]
LOCAL_NAMES = ["de Vries", "Jansen", "Bakker", "Smit", "Mulder", "de Boer", "Visser", "Bos"]
INTERESTS = [
    "koken",
    "sport",
    "voetbal",
    "wandelen",
    "fietsen",
    "muziek",
    "tuinieren",
    "spelletjes",
]
SLOTS = ["wed-afternoon", "sat-morning", "sat-afternoon", "sun-afternoon", "thu-evening"]

#: Households per municipality: (newcomers, locals); then how many are in intake, how
#: many active pairs, one ended early (both households wait again).
PLAN = {ZWOLLE_CODE: (10, 10), ROTTERDAM_CODE: (6, 6)}
INTAKE = 2
ACTIVE = {ZWOLLE_CODE: 4, ROTTERDAM_CODE: 2}


def _household_data(rng: random.Random, kind: str, i: int, wijken: list[Area]) -> dict:
    languages = (NEWCOMER_LANGUAGES if kind == "newcomer" else LOCAL_LANGUAGES)[
        i % (len(NEWCOMER_LANGUAGES) if kind == "newcomer" else len(LOCAL_LANGUAGES))
    ]
    n_children = rng.choice([0, 1, 2, 2, 3])
    if kind == "newcomer":
        label = f"Familie {NEWCOMER_NAMES[i % len(NEWCOMER_NAMES)]}"
    else:
        label = f"Familie {LOCAL_NAMES[i % len(LOCAL_NAMES)]}"
    if i >= len(NEWCOMER_NAMES if kind == "newcomer" else LOCAL_NAMES):
        label += f" ({i + 1})"
    return {
        "kind": kind,
        "label": label,
        "adults": rng.choice([1, 2, 2]),
        "children_ages": sorted(rng.randint(1, 15) for _ in range(n_children)),
        "languages": [{"code": c, "level": lv} for c, lv in languages],
        "interests": sorted(rng.sample(INTERESTS, 2)),
        "availability": sorted(rng.sample(SLOTS, 2)),
        "area": wijken[rng.randrange(min(len(wijken), 6))],
        "wishes": ["children"] if n_children and rng.random() < 0.5 else [],
        "sensitive": {},
        "consent_sensitive": False,
    }


def _load_programme(code, org_slug, name, login, matcher_name, result: Result) -> None:
    organisation = Organisation.objects.filter(slug=org_slug).first()
    gemeente = (
        Area.objects.filter(code=code, level=AreaLevel.MUNICIPALITY).order_by("-year").first()
    )
    if organisation is None or gemeente is None:
        return
    matcher = _user(f"{login}@{DEMO_DOMAIN}", matcher_name, result)
    _, created = Membership.objects.get_or_create(
        user=matcher, organisation=organisation, role=Role.MATCHER
    )
    result.add("memberships", int(created))
    programme, created = Programme.objects.get_or_create(
        organisation=organisation, municipality_code=code, defaults={"name": name}
    )
    if not created:
        return
    result.add("programmes")
    wijken = list(
        Area.objects.filter(parent=gemeente, level=AreaLevel.DISTRICT)
        .exclude(boundary__isnull=True)
        .order_by("code")
    )
    rng = random.Random(f"{SEED}-{code}")
    origin = Origin(actor=matcher)
    newcomers, locals_ = PLAN[code]
    rows: dict[str, list[Household]] = {"newcomer": [], "local": []}
    for kind, n in (("newcomer", newcomers), ("local", locals_)):
        for i in range(n):
            data = _household_data(rng, kind, i, wijken)
            if code == ZWOLLE_CODE and kind == "newcomer" and i == INTAKE:
                data["contact"] = _user(
                    f"{NEWCOMER_LOGIN[0]}@{DEMO_DOMAIN}", NEWCOMER_LOGIN[1], result
                )
                data["label"] = "Familie Haddad"
            household = services.create_household(
                programme=programme, data=data, origin=origin, ready=i >= INTAKE
            )
            rows[kind].append(household)
            result.add("buddy households")
    today = timezone.localdate()
    # Active pairs, started some weeks ago: the older ones have check-ins done and overdue.
    n_active = ACTIVE[code]
    for k in range(n_active + 1):
        newcomer = rows["newcomer"][-1 - k]
        local = rows["local"][-1 - k]
        pair = services.propose_pair(newcomer=newcomer, local=local, origin=origin, score=0.6)
        start = today - datetime.timedelta(weeks=3 + 4 * k)
        services.accept(pair=pair, side="newcomer", origin=origin, on_behalf=True)
        services.accept(pair=pair, side="local", origin=origin, on_behalf=True, start=start)
        checkins = list(pair.checkins.order_by("due_on"))
        if checkins and checkins[0].due_on < today and k % 2 == 0:
            services.record_checkin(
                checkin=checkins[0],
                origin=origin,
                note="Samen gekookt, het klikt goed.",
                done_on=checkins[0].due_on,
            )
        if k == n_active:  # the last one ended early: both households wait again
            services.end_early(
                pair=pair,
                reason="Het lokale gezin is verhuisd naar een andere stad.",
                origin=origin,
            )
        result.add("buddy pairs")
    # Rescore the proposed pairs with the real matching for an honest explanation.
    from buurtbasis.buddies import adapters
    from buurtbasis.buddies.models import Pair

    for pair in Pair.objects.filter(programme=programme).select_related("newcomer", "local"):
        scored = adapters.pair_score(pair.newcomer, pair.local)
        Pair.objects.filter(pk=pair.pk).update(
            score=round(scored["score"], 6), explanation=scored["explanation"][:500]
        )


@transaction.atomic
def load_demo_buddies(stdout=None):
    """Load the demo's buddy programmes and households (once)."""
    result = Result()
    with quiet():
        for spec in PROGRAMMES:
            _load_programme(*spec, result)
    waiting = Household.objects.filter(status=HouseholdStatus.WAITING).count()
    if stdout is not None:
        made = ", ".join(f"{n} {label}" for label, n in result.created.items()) or "nothing new"
        logins = ", ".join(f"{login}@{DEMO_DOMAIN}" for *_x, login, _n in PROGRAMMES)
        stdout.write(
            f"Buddy households: {made} ({waiting} waiting); matchers {logins}, "
            f"household contact {NEWCOMER_LOGIN[0]}@{DEMO_DOMAIN}.\n"
        )
