"""Demo budget rounds for the Zwolle demo: one round in each phase, with realistic plans.

``load_demo_rounds()`` is idempotent: a round that already exists (by slug) is left
as it is. The voting round gets fixed, publicly known demo voting codes so that
anyone can try voting; the results and execution rounds get ballots and a computed
outcome through the same services the site uses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area
from buurtbasis.ballots import services as ballot_services
from buurtbasis.budgets import services
from buurtbasis.budgets.models import BudgetRound, FundedPlan, PhaseKind, Plan
from buurtbasis.budgets.services import PlanData, RoundData
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Membership, Organisation, OrganisationKind, Role

DEMO_PASSWORD = "Fietsbel-Zwolle-2024"  # noqa: S105 - published demo log-in
DEMO_CIVIL_SERVANT = "ambtenaar@zwolle.example"
DEMO_ACCOUNT_VOTER = "bewoner1@zwolle.example"  # lives in Assendorp: may vote with an account
#: Log-ins of the platform demo (initiatives app), used when they exist.
PLATFORM_DEMO_PEOPLE = ["bewoner@demo.buurtbasis.nl", "initiatiefnemer@demo.buurtbasis.nl"]
#: Fixed, public demo codes for the voting round (valid Crockford base-32 symbols).
DEMO_VOTING_CODES = [f"DEM0-2026-{n:04d}" for n in range(1, 11)]
RESULT_CODES = [f"DEM1-2026-{n:04d}" for n in range(1, 121)]
EXECUTION_CODES = [f"DEM2-2025-{n:04d}" for n in range(1, 91)]

# Zwolle wijken (CBS 2024 codes); names as CBS gives them without the "Wijk NN" prefix.
ZWOLLE_WIJKEN = {
    "WK019310": "Binnenstad",
    "WK019311": "Diezerpoort",
    "WK019313": "Assendorp",
    "WK019322": "Stadshagen",
    "WK019330": "Holtenbroek",
    "WK019331": "Aa-landen",
    "WK019350": "Schelle",
    "WK019351": "Ittersum",
}


@dataclass(frozen=True)
class DemoPlan:
    title: str
    summary: str
    description: str
    lines: tuple[tuple[str, int], ...]  # (what, euros)
    wijk: str | None = None
    point: tuple[str, str] | None = None
    joint: bool = False


SUBMISSION_PLANS = [
    DemoPlan(
        "Pluktuin bij de Gele Vijver",
        "Een pluktuin met fruitstruiken waar iedereen mag plukken.",
        "Langs het pad bij de vijver is veel gras en weinig groen om te beleven. We willen "
        "bessenstruiken en twee appelbomen planten. Kinderen van de basisschool helpen mee.",
        (("Fruitstruiken en bomen", 2400), ("Grond en houtsnippers", 600), ("Bordjes", 250)),
        "WK019322",
        ("52.532100", "6.061900"),
    ),
    DemoPlan(
        "Jeu-de-boulesbaan bij het Stadshagenplein",
        "Een baan voor jeu de boules, voor jong en oud.",
        "Ouderen in de buurt zoeken een plek om elkaar te zien. Een boulesbaan is goedkoop en "
        "iedereen kan meedoen. De bewonersvereniging zorgt voor ballen en een kist.",
        (("Aanleg baan (12 x 3 meter)", 5200), ("Bank en afvalbak", 1400)),
        "WK019322",
    ),
    DemoPlan(
        "Buurtkast met boeken en spelletjes",
        "Een kast op het plein waar u boeken en spellen kunt ruilen.",
        "Een weerbestendige kast, gemaakt door jongeren van het jongerenwerk. Iedereen kan er "
        "iets in zetten of uit halen.",
        (("Hout en verf", 450), ("Begeleiding bouwen", 300)),
        "WK019322",
        joint=True,
    ),
]

ASSESSMENT_PLANS = [
    DemoPlan(
        "Speelplek Rode Torenplein opknappen",
        "Nieuwe speeltoestellen voor kinderen van 4 tot 12 jaar.",
        "De speeltoestellen zijn oud en een glijbaan is kapot. Wij willen een klimrek, twee "
        "schommels en een zandbak met een afdekking.",
        (("Klimrek", 9500), ("Schommels", 4200), ("Zandbak met afdekking", 2300)),
        "WK019330",
    ),
    DemoPlan(
        "Nieuwe speeltoestellen Rode Torenplein",
        "Een klimtoestel op het Rode Torenplein.",
        "Kinderen hebben nu niets om op te klimmen. Een klimtoestel maakt het plein weer leuk.",
        (("Klimtoestel", 8800),),
        "WK019330",
    ),
    DemoPlan(
        "Verlichting fietspad langs de Vecht",
        "Ledverlichting op het donkere fietspad.",
        "Veel scholieren fietsen hier in het donker naar huis. Met lampen voelt het veiliger.",
        (("Twaalf lantaarnpalen met led", 31000),),
        "WK019330",
    ),
    DemoPlan(
        "Kookcafé in het wijkcentrum",
        "Eén keer per week samen koken en eten voor €3.",
        "Bewoners koken samen in het wijkcentrum. Vooral ouderen die alleen wonen komen graag. "
        "Het geld is voor pannen, een koelkast en de eerste drie maanden boodschappen.",
        (("Keukenspullen", 1200), ("Koelkast", 650), ("Boodschappen (3 maanden)", 1800)),
        "WK019330",
        joint=True,
    ),
    DemoPlan(
        "Bloembakken in de Kamillestraat",
        "Twintig grote bloembakken met vaste planten.",
        "De straat is grijs. Bewoners adopteren elk een bak en geven water.",
        (("20 bloembakken", 3000), ("Planten en aarde", 900)),
        "WK019330",
    ),
]

VOTING_PLANS = [
    DemoPlan(
        "Moestuin Assendorp",
        "Een moestuin voor de buurt met 12 bakken.",
        "Op het braakliggende stuk bij de Assendorperstraat maken we een moestuin. Bewoners "
        "krijgen een bak; de oogst delen we met de voedselbank.",
        (("Bakken en grond", 3800), ("Gereedschap en schuurtje", 1700)),
        "WK019313",
        ("52.506900", "6.100300"),
        joint=True,
    ),
    DemoPlan(
        "Huiswerkklas in de bibliotheek",
        "Twee middagen per week hulp bij huiswerk.",
        "Vrijwilligers en studenten helpen kinderen van groep 7 tot de tweede klas. Het geld is "
        "voor materiaal en een vergoeding voor de coördinator.",
        (("Vergoeding coördinator (1 jaar)", 6000), ("Laptops (tweedehands)", 2400)),
        "WK019311",
    ),
    DemoPlan(
        "Bankjes langs de Thorbeckegracht",
        "Vijf bankjes om even uit te rusten.",
        "Ouderen wandelen graag langs het water, maar er is nergens een plek om te zitten.",
        (("Vijf bankjes inclusief plaatsing", 7500),),
        "WK019313",
    ),
    DemoPlan(
        "Repair Café Diezerpoort",
        "Elke maand spullen repareren in plaats van weggooien.",
        "Vrijwilligers repareren fietsen, kleding en apparaten. We hebben gereedschap en een "
        "vaste plek nodig.",
        (("Gereedschap", 2200), ("Huur ruimte (1 jaar)", 1800)),
        "WK019311",
    ),
    DemoPlan(
        "Zomerfeest Assendorp",
        "Een gratis straatfeest voor de hele wijk.",
        "Met muziek, spelletjes en eten uit verschillende keukens. Zo leren nieuwe en oude "
        "bewoners elkaar kennen.",
        (("Podium en geluid", 3500), ("Spelletjes en springkussen", 1200), ("Eten", 2000)),
        "WK019313",
    ),
    DemoPlan(
        "Watertappunt op het Assendorperplein",
        "Gratis drinkwater voor iedereen op het plein.",
        "In warme zomers is drinkwater belangrijk. Een tappunt helpt ook tegen plastic flesjes.",
        (("Watertappunt met aansluiting", 9000),),
        "WK019313",
    ),
]

RESULT_PLANS = [
    DemoPlan(
        "Kunstgrasveldje Schelle",
        "Een klein voetbalveld met kunstgras voor de jeugd.",
        "Het grasveld is vaak een modderpoel. Jongeren vragen al jaren om een beter veld.",
        (("Kunstgras en aanleg", 21000), ("Twee doeltjes en hekwerk", 4000)),
        "WK019350",
    ),
    DemoPlan(
        "Buurtbus voor ouderen",
        "Vrijwilligers rijden ouderen naar de markt en de dokter.",
        "Veel ouderen in Schelle en Ittersum komen moeilijk de wijk uit. Het geld is voor de "
        "lease van een elektrische bus voor één jaar.",
        (("Lease elektrische bus (1 jaar)", 14000), ("Verzekering", 1500)),
        "WK019351",
        joint=True,
    ),
    DemoPlan(
        "Speeltuin Ittersum: schaduwdoeken",
        "Schaduwdoeken boven de speeltuin.",
        "In de zomer is de speeltuin te heet. Schaduwdoeken zijn snel te plaatsen.",
        (("Drie schaduwdoeken met palen", 6500),),
        "WK019351",
    ),
    DemoPlan(
        "Taalcafé Schelle",
        "Elke week Nederlands oefenen met buren.",
        "Nieuwkomers oefenen Nederlands in een gezellige sfeer. Het geld is voor koffie, "
        "materiaal en een training voor vrijwilligers.",
        (("Materiaal en koffie (1 jaar)", 1500), ("Training vrijwilligers", 1000)),
        "WK019350",
    ),
    DemoPlan(
        "Fietsenstalling bij de school",
        "Een overdekte stalling voor 60 fietsen.",
        "Fietsen staan nu op de stoep. Een stalling maakt het veiliger en netter.",
        (("Overdekte stalling", 12000),),
        "WK019350",
    ),
    DemoPlan(
        "Insectenhotels en bloemenweide",
        "Een bloemenweide met insectenhotels langs de Wetering.",
        "Meer bloemen voor bijen en vlinders. Schoolkinderen bouwen de insectenhotels.",
        (("Zaad en inzaaien", 1800), ("Materiaal insectenhotels", 700)),
        "WK019351",
    ),
]

EXECUTION_PLANS = [
    DemoPlan(
        "Buurtmoestuin Aa-landen",
        "Een moestuin met 10 bakken achter het wijkcentrum.",
        "Bewoners kweken samen groente. De tuin is ook een plek om elkaar te ontmoeten.",
        (("Bakken en grond", 3200), ("Schuurtje", 1300)),
        "WK019331",
        joint=True,
    ),
    DemoPlan(
        "Pannakooi bij de Aa-landenlaan",
        "Een pannakooi voor straatvoetbal.",
        "Jongeren spelen nu op straat. Een pannakooi is veiliger en minder overlast.",
        (("Pannakooi inclusief plaatsing", 16000),),
        "WK019331",
    ),
    DemoPlan(
        "Seniorengym in het park",
        "Buitenfitness voor ouderen met drie toestellen.",
        "Bewegen in de buitenlucht, samen met anderen. Een fysiotherapeut geeft de eerste lessen.",
        (("Drie toestellen", 8500), ("Lessen fysiotherapeut", 900)),
        "WK019331",
    ),
    DemoPlan(
        "Kerstverlichting Aa-landen",
        "Lichtjes in de bomen van de winkelstraat.",
        "In de donkere maanden maakt verlichting de wijk gezelliger.",
        (("Verlichting en ophangen", 5500),),
        "WK019331",
    ),
]


def _log(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _municipality() -> Organisation:
    org = (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, name__icontains="zwolle")
        .order_by("pk")
        .first()
    )
    if org is None:
        org, _ = Organisation.objects.get_or_create(
            slug="gemeente-zwolle",
            defaults={"name": "Gemeente Zwolle", "kind": OrganisationKind.MUNICIPALITY},
        )
    return org


def _civil_servant(org: Organisation) -> User:
    membership = (
        Membership.objects.filter(organisation=org, role=Role.CIVIL_SERVANT)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    user = User.objects.filter(email=DEMO_CIVIL_SERVANT).first()
    if user is None:
        user = User.objects.create_user(
            email=DEMO_CIVIL_SERVANT,
            password=DEMO_PASSWORD,
            display_name="Sanne de Vries (gemeente)",
            email_verified=True,
        )
    Membership.objects.get_or_create(user=user, organisation=org, role=Role.CIVIL_SERVANT)
    return user


def _area(code: str) -> Area:
    area = Area.objects.filter(code=code).order_by("-year").first()
    if area is None:
        area = Area.objects.create(
            year=2024,
            code=code,
            name=ZWOLLE_WIJKEN.get(code, code),
            level="wijk",
            slug=ZWOLLE_WIJKEN.get(code, code).lower(),
        )
    return area


def _residents(n: int) -> list[User]:
    names = [
        "Fatma Yilmaz",
        "Jan Bosman",
        "Ingrid Hofstede",
        "Mohamed El Amrani",
        "Lotte Kramer",
        "Piet van der Veen",
        "Sevda Kaya",
        "Wim Jansen",
    ]
    users = []
    # the platform demo's resident and initiator (when present) submit the first plans,
    # so that their dashboards show plans with a status and a reason
    for email in PLATFORM_DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is not None:
            users.append(user)
    home = _area("WK019313")
    for i in range(n - len(users)):
        email = f"bewoner{i + 1}@zwolle.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                display_name=names[i % len(names)],
                email_verified=True,
                birth_date=date(1960 + 5 * (i % 8), 1 + i % 12, 1 + i % 28),
                home_area=home,
            )
        users.append(user)
    return users


def _joint_partners(author: User) -> tuple[Initiative | None, Organisation | None]:
    """An initiative the author belongs to and a welfare organisation (for joint plans).

    A public initiative beyond the idea stage, when the author has one: a funded plan's
    money is public (its ledger is linked from the plan page), so its initiative must be
    visible too."""
    mine = Initiative.objects.filter(members=author).order_by("pk")
    initiative = mine.filter(is_public=True).exclude(status="idea").first() or mine.first()
    if initiative is None:
        initiative = Initiative.objects.order_by("pk").first()
        if initiative is None:
            initiative = Initiative.objects.create(
                name="Samen in de Buurt",
                slug="samen-in-de-buurt-demo",
                pitch="Bewoners die samen iets moois maken voor de wijk.",
                contact_email="samen@zwolle.example",
                status="active",
            )
        initiative.members.add(author)
    partner = (
        Organisation.objects.filter(kind=OrganisationKind.WELFARE).order_by("pk").first()
        or Organisation.objects.get_or_create(
            slug="stichting-welzijn-zwolle-demo",
            defaults={"name": "Stichting Welzijn Zwolle", "kind": OrganisationKind.WELFARE},
        )[0]
    )
    return initiative, partner


def _round_data(org, areas, *, title, description, budget_euros, schedule, **extra) -> RoundData:
    return RoundData(
        title=title,
        description=description,
        areas=areas,
        organisation=org,
        budget_cents=budget_euros * 100,
        schedule=schedule,
        **extra,
    )


def _schedule(now, current: str) -> dict:
    """Dates around now: the current phase started a few days ago, later phases follow."""
    index = [k.value for k in PhaseKind].index(current)
    out = {}
    for i, kind in enumerate(PhaseKind):
        start = now + timedelta(days=21 * (i - index) - 3)
        end = start + timedelta(days=21) if kind != PhaseKind.EXECUTION else None
        out[kind.value] = (
            start.replace(second=0, microsecond=0),
            end and end.replace(second=0, microsecond=0),
        )
    return out


def _submit(budget_round, demo: DemoPlan, author) -> Plan:
    initiative = partner = None
    if demo.joint:
        # a joint plan is submitted by an initiator of an existing initiative when there is one
        member_of = Initiative.objects.filter(members__isnull=False).order_by("pk").first()
        if member_of is not None:
            author = member_of.members.order_by("pk").first()
        initiative, partner = _joint_partners(author)
    # plans are submitted through the service, so the deadline check needs an open phase
    return services.submit_plan(
        budget_round=budget_round,
        author=author,
        data=PlanData(
            title=demo.title,
            summary=demo.summary,
            description=demo.description,
            area=_area(demo.wijk) if demo.wijk else None,
            latitude=demo.point[0] if demo.point else None,
            longitude=demo.point[1] if demo.point else None,
            initiative=initiative,
            partner_organisation=partner,
            cost_lines=[(what, euros * 100) for what, euros in demo.lines],
        ),
    )


def _make_round(slug, org, officer, *, areas, plans, current, **round_kwargs):
    """Create a round, submit its plans while submission is open, then date it for ``current``."""
    now = timezone.now()
    budget_round = services.create_round(
        data=_round_data(org, areas, schedule=_schedule(now, PhaseKind.SUBMISSION), **round_kwargs),
        actor=officer,
        slug=slug,
    )
    residents = _residents(8)
    made = [_submit(budget_round, demo, residents[i % 8]) for i, demo in enumerate(plans)]
    if current != PhaseKind.SUBMISSION:
        services.reschedule_round(budget_round=budget_round, schedule=_schedule(now, current))
    return budget_round, made


def _assess_all(budget_round, plans, officer, *, not_feasible=(), reasons=None):
    for i, plan in enumerate(plans):
        ok = i not in not_feasible
        services.assess_plan(
            notify=False,
            plan=plan,
            assessor=officer,
            feasible=ok,
            public_reason=(reasons or {}).get(i)
            or ("Het plan past binnen de regels en de gemeente kan het uitvoeren." if ok else ""),
        )


def _add_codes(budget_round, plain_codes, officer) -> list[str]:
    add_known = getattr(ballot_services, "add_known_codes", None)
    if add_known is not None:
        add_known(budget_round=budget_round, plain_codes=plain_codes, actor=officer)
        return list(plain_codes)
    return ballot_services.generate_codes(budget_round, len(plain_codes), actor=officer)


def _count_now(budget_round, officer) -> None:
    """The demo's closed rounds are counted at once (a real close enqueues the count)."""
    from buurtbasis.ballots import counting

    counting.count_now(budget_round=budget_round, actor=officer)


def _cast_ballots(budget_round, plans, codes, *, seed: int, popularity: list[float]) -> None:
    """Realistic ballots: each voter approves plans with the given popularity (probabilities)."""
    rng = random.Random(seed)
    k = budget_round.max_choices or len(plans)
    for code in codes:
        chosen = [p.pk for p, share in zip(plans, popularity, strict=True) if rng.random() < share]
        if not chosen:
            chosen = [rng.choice(plans).pk]
        rng.shuffle(chosen)
        chosen = chosen[:k]
        ballot_services.submit_ballot_with_code(
            budget_round=budget_round, code=code, choices={pk: 1 for pk in chosen}
        )


@transaction.atomic
def load_demo_rounds(*, stdout=None) -> dict:
    """Create the demo rounds that do not exist yet. Returns {"voting_codes": [...], ...}."""
    org = _municipality()
    officer = _civil_servant(org)
    report = DemoReport(
        civil_servant=officer.email,
        own_login=officer.email == DEMO_CIVIL_SERVANT,
        voting_codes=DEMO_VOTING_CODES,
        created=[],
    )

    # 1. submission: plans can still be submitted
    if not BudgetRound.objects.filter(slug="buurtbudget-stadshagen-2026").exists():
        _make_round(
            "buurtbudget-stadshagen-2026",
            org,
            officer,
            areas=[_area("WK019322")],
            plans=SUBMISSION_PLANS,
            current=PhaseKind.SUBMISSION,
            title="Buurtbudget Stadshagen 2026",
            description=(
                "Stadshagen krijgt €40.000 voor plannen van bewoners. Heeft u een idee voor "
                "meer groen, ontmoeting of spelen? Dien uw plan in."
            ),
            budget_euros=40_000,
            max_choices=3,
        )
        report["created"].append("submission")

    # 2. assessment: the municipality checks the plans (some done, one merged, some open)
    if not BudgetRound.objects.filter(slug="wijkbudget-holtenbroek-2026").exists():
        budget_round, plans = _make_round(
            "wijkbudget-holtenbroek-2026",
            org,
            officer,
            areas=[_area("WK019330")],
            plans=ASSESSMENT_PLANS,
            current=PhaseKind.ASSESSMENT,
            title="Wijkbudget Holtenbroek 2026",
            description="Holtenbroek verdeelt €35.000. De gemeente toetst nu de plannen.",
            budget_euros=35_000,
            ballot_type="knapsack",
            min_spend_cents=None,
        )
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)
        services.assess_plan(
            notify=False,
            plan=plans[0],
            assessor=officer,
            feasible=True,
            public_reason="Haalbaar. De gemeente plaatst de toestellen zelf.",
            cost_cents=1_750_000,
            cost_explanation="Plaatsing en valondergrond kosten €1.500 extra.",
        )
        services.merge_plans(
            notify=False,
            duplicate=plans[1],
            keep=plans[0],
            assessor=officer,
            public_reason="Dit plan gaat over dezelfde speelplek als “Speelplek Rode Torenplein "
            "opknappen”. Het klimtoestel zit in dat plan.",
        )
        services.assess_plan(
            notify=False,
            plan=plans[2],
            assessor=officer,
            feasible=False,
            public_reason="Verlichting langs het fietspad valt onder het onderhoudsbudget van de "
            "gemeente. De gemeente plaatst de lampen in 2027 zelf.",
        )
        report["created"].append("assessment")

    # 3. voting: try it with a demo code
    if not BudgetRound.objects.filter(slug="buurtbudget-assendorp-diezerpoort-2026").exists():
        budget_round, plans = _make_round(
            "buurtbudget-assendorp-diezerpoort-2026",
            org,
            officer,
            areas=[_area("WK019313"), _area("WK019311")],
            plans=VOTING_PLANS,
            current=PhaseKind.VOTING,
            title="Buurtbudget Assendorp en Diezerpoort 2026",
            description=(
                "€25.000 voor Assendorp en Diezerpoort. Kies tot drie plannen. We verdelen het "
                "geld met gelijke delen: zo krijgen zoveel mogelijk groepen een plan dat ze willen."
            ),
            budget_euros=25_000,
            max_choices=3,
            allow_account_voting=True,
        )
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)
        _assess_all(budget_round, plans, officer)
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)
        report["created"].append("voting")
    voting_round = BudgetRound.objects.get(slug="buurtbudget-assendorp-diezerpoort-2026")
    if voting_round.is_voting_open():
        report["voting_codes"] = _add_codes(voting_round, DEMO_VOTING_CODES, officer)

    # 4. results: votes counted with equal shares, explained per plan
    if not BudgetRound.objects.filter(slug="buurtbudget-schelle-ittersum-2025").exists():
        budget_round, plans = _make_round(
            "buurtbudget-schelle-ittersum-2025",
            org,
            officer,
            areas=[_area("WK019350"), _area("WK019351")],
            plans=RESULT_PLANS,
            current=PhaseKind.VOTING,
            title="Buurtbudget Schelle en Ittersum 2025",
            description="Bewoners van Schelle en Ittersum verdeelden €40.000.",
            budget_euros=40_000,
            max_choices=3,
        )
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)
        _assess_all(budget_round, plans, officer)
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)
        codes = _add_codes(budget_round, RESULT_CODES, officer)
        # the football pitch is popular with one large group; the others with smaller groups
        _cast_ballots(
            budget_round, plans, codes, seed=2025, popularity=[0.55, 0.4, 0.3, 0.25, 0.2, 0.35]
        )
        services.reschedule_round(
            budget_round=budget_round, schedule=_schedule(timezone.now(), PhaseKind.RESULTS)
        )
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)  # → results
        _count_now(budget_round, officer)
        report["created"].append("results")

    # 5. execution: funded plans with progress updates
    if not BudgetRound.objects.filter(slug="buurtbudget-aa-landen-2025").exists():
        budget_round, plans = _make_round(
            "buurtbudget-aa-landen-2025",
            org,
            officer,
            areas=[_area("WK019331")],
            plans=EXECUTION_PLANS,
            current=PhaseKind.VOTING,
            title="Buurtbudget Aa-landen 2025",
            description="De gekozen plannen worden nu uitgevoerd. Volg hier de voortgang.",
            budget_euros=30_000,
            max_choices=2,
            rule="greedy",
            completion="none",
        )
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)
        _assess_all(budget_round, plans, officer)
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)
        codes = _add_codes(budget_round, EXECUTION_CODES, officer)
        _cast_ballots(budget_round, plans, codes, seed=2024, popularity=[0.5, 0.45, 0.4, 0.2])
        services.reschedule_round(
            budget_round=budget_round, schedule=_schedule(timezone.now(), PhaseKind.EXECUTION)
        )
        budget_round = services.advance_phase(budget_round=budget_round, actor=officer)  # → results
        _count_now(budget_round, officer)
        budget_round = services.advance_phase(
            budget_round=budget_round, actor=officer
        )  # → execution
        _progress(budget_round, officer)
        report["created"].append("execution")

    _log(stdout, str(report))
    return report


def _progress(budget_round, officer) -> None:
    today = timezone.localdate()
    steps = [
        (
            "planned",
            60,
            "De plannenmakers en de gemeente hebben afspraken gemaakt over de uitvoering.",
        ),
        ("in_progress", 35, "Het materiaal is besteld. De eerste bewoners helpen mee."),
        ("done", 7, "Klaar! Op zaterdag was de feestelijke opening met koffie en taart."),
    ]
    for n, funded in enumerate(
        FundedPlan.objects.filter(budget_round=budget_round).select_related("plan")
    ):
        for status, days_ago, text in steps[: 3 - n % 3]:
            services.add_progress_update(
                funded_plan=funded,
                author=officer,
                happened_on=today - timedelta(days=days_ago + n),
                text=text,
                status=status,
            )


class DemoReport(dict):
    """What ``load_demo_rounds`` did; ``str()`` gives the summary for the console."""

    def __str__(self) -> str:
        return _summary(self)


def _summary(report: dict) -> str:
    lines = ["Buurtbudget demo rounds:"]
    for budget_round in BudgetRound.objects.filter(slug__in=DEMO_SLUGS).order_by("created_at"):
        lines.append(
            f"  - {budget_round.title}: {budget_round.get_phase_display()} "
            f"(/buurtbudget/{budget_round.slug}/)"
        )
    password = f" (password {DEMO_PASSWORD})" if report.get("own_login") else ""
    lines.append(f"  Civil servant who manages the rounds: {report['civil_servant']}{password}")
    lines.append(
        "  Demo voting codes for Assendorp en Diezerpoort: " + ", ".join(report["voting_codes"])
    )
    lines.append(
        f"  Or vote there with the account {DEMO_ACCOUNT_VOTER} (password {DEMO_PASSWORD})"
    )
    return "\n".join(lines)


DEMO_SLUGS = [
    "buurtbudget-stadshagen-2026",
    "wijkbudget-holtenbroek-2026",
    "buurtbudget-assendorp-diezerpoort-2026",
    "buurtbudget-schelle-ittersum-2025",
    "buurtbudget-aa-landen-2025",
]

# -- the second demo municipality (Rotterdam) ----------------------------------------------------

ROTTERDAM_PUBLIC_ROUND = "buurtbudget-feijenoord-charlois-2026"
ROTTERDAM_DRAFT_ROUND = "wijkbudget-delfshaven-2027"
ROTTERDAM_PLANS = [
    DemoPlan(
        "Bankjes langs de Maashaven",
        "Zes bankjes langs de kade, zodat ouderen onderweg kunnen rusten.",
        "Langs de Maashaven lopen veel mensen, maar er is bijna geen plek om te zitten. Wij "
        "willen zes stevige bankjes, met een leuning voor wie moeilijk opstaat.",
        (("Zes bankjes", 7200), ("Plaatsen", 1800)),
        "WK059910",
    ),
    DemoPlan(
        "Kinderkookles in het buurthuis",
        "Kinderen leren gezond koken met groente uit de buurttuin.",
        "Elke woensdagmiddag koken tien kinderen samen met twee vrijwilligers. Het geld is "
        "voor pannen, schorten en de boodschappen van een half jaar.",
        (("Keukenspullen", 900), ("Boodschappen (6 maanden)", 2100)),
        "WK059915",
    ),
]


def load_second_municipality_rounds(*, stdout=None) -> dict:
    """Two Rotterdam rounds: a public one open for plans and a draft (not public) that only
    Rotterdam's civil servants see. Idempotent. Needs Gemeente Rotterdam and its civil
    servant (``portal.demo.initiatives.load_second_municipality``)."""
    org = Organisation.objects.filter(slug="gemeente-rotterdam").first()
    officer = (
        User.objects.filter(
            memberships__organisation=org, memberships__role=Role.CIVIL_SERVANT
        ).first()
        if org is not None
        else None
    )
    report = {"created": []}
    if org is None or officer is None:
        return report
    author = User.objects.filter(email="bewoner.rotterdam@demo.buurtbasis.nl").first()
    with transaction.atomic():
        if not BudgetRound.objects.filter(slug=ROTTERDAM_PUBLIC_ROUND).exists():
            budget_round = services.create_round(
                data=_round_data(
                    org,
                    [_area("WK059910"), _area("WK059915")],
                    title="Buurtbudget Feijenoord en Charlois 2026",
                    description=(
                        "Feijenoord en Charlois krijgen €25.000 voor plannen van bewoners. "
                        "Dien uw plan in."
                    ),
                    budget_euros=25_000,
                    schedule=_schedule(timezone.now(), PhaseKind.SUBMISSION),
                    max_choices=3,
                ),
                actor=officer,
                slug=ROTTERDAM_PUBLIC_ROUND,
            )
            if author is not None:
                for demo in ROTTERDAM_PLANS:
                    _submit(budget_round, demo, author)
            report["created"].append(ROTTERDAM_PUBLIC_ROUND)
        if not BudgetRound.objects.filter(slug=ROTTERDAM_DRAFT_ROUND).exists():
            services.create_round(
                data=_round_data(
                    org,
                    [_area("WK059903")],
                    title="Wijkbudget Delfshaven 2027 (concept)",
                    description="Nog in voorbereiding: alleen zichtbaar voor de gemeente.",
                    budget_euros=30_000,
                    schedule=_schedule(timezone.now() + timedelta(days=120), PhaseKind.SUBMISSION),
                    max_choices=3,
                    is_public=False,
                ),
                actor=officer,
                slug=ROTTERDAM_DRAFT_ROUND,
            )
            report["created"].append(ROTTERDAM_DRAFT_ROUND)
    _log(stdout, f"Rotterdam rounds: /buurtbudget/{ROTTERDAM_PUBLIC_ROUND}/ (open for plans)")
    return report


__all__ = [
    "DEMO_SLUGS",
    "DEMO_VOTING_CODES",
    "load_demo_rounds",
    "load_second_municipality_rounds",
]
