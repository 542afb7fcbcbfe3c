"""The demo municipality's people, organisations and initiatives (Zwolle).

Everything is generated from a fixed seed with hand-written Dutch templates and
Faker's nl_NL locale, so every run produces the same content. Rows are keyed on
natural keys (e-mail, slug) and only created when missing: running the loader
twice changes nothing. Organisation names are invented, except Gemeente Zwolle.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative, Status, StatusChange, TargetGroup, Theme
from buurtbasis.initiatives.services import ensure_vocabulary
from buurtbasis.organisations.models import Membership, Organisation, OrganisationKind, Role

SEED = 20241124
DEMO_PASSWORD = "Fietsbel-Zwolle-2024"  # noqa: S105 (demo accounts, printed on purpose)
DEMO_DOMAIN = "demo.buurtbasis.nl"
N_INITIATIVES = 60

# (slug, name, kind, wijk numbers it works in; None = the whole gemeente)
ORGANISATIONS = [
    ("gemeente-zwolle", "Gemeente Zwolle", OrganisationKind.MUNICIPALITY, None),
    ("wijkwijs-noord", "Stichting Wijkwijs Noord", OrganisationKind.WELFARE, [21, 22, 30, 31, 32]),
    (
        "samenkracht-centrum",
        "Stichting Samenkracht Centrum",
        OrganisationKind.WELFARE,
        [10, 11, 12, 13, 14, 20],
    ),
    (
        "welzijnshuis-zuidoever",
        "Welzijnshuis Zuidoever",
        OrganisationKind.WELFARE,
        [40, 41, 50, 51, 52],
    ),
    ("woonstichting-ijsselhof", "Woonstichting IJsselhof", OrganisationKind.HOUSING, None),
    ("basisschool-de-vlieger", "Basisschool De Vlieger", OrganisationKind.SCHOOL, [13]),
    ("zorggroep-vechtzicht", "Zorggroep Vechtzicht", OrganisationKind.CARE, [30, 31, 32]),
    (
        "bewonersgroep-assendorp-zuid",
        "Bewonersgroep Assendorp-Zuid",
        OrganisationKind.RESIDENT_GROUP,
        [13],
    ),
]

# One account per role; printed at the end of load_demo.
DEMO_LOGINS = [
    ("bewoner", Role.RESIDENT, "Sanne de Boer", []),
    (
        "initiatiefnemer",
        Role.INITIATOR,
        "Ahmed El Amrani",
        [("bewonersgroep-assendorp-zuid", Role.INITIATOR)],
    ),
    (
        "opbouwwerker",
        Role.COMMUNITY_WORKER,
        "Marieke Jansen",
        [("samenkracht-centrum", Role.COMMUNITY_WORKER)],
    ),
    (
        "penningmeester",
        Role.FINANCE_OFFICER,
        "Joost Visser",
        [("samenkracht-centrum", Role.FINANCE_OFFICER)],
    ),
    ("ambtenaar", Role.CIVIL_SERVANT, "Fatma Yilmaz", [("gemeente-zwolle", Role.CIVIL_SERVANT)]),
    ("beheerder", Role.PLATFORM_ADMIN, "Peter Bakker", [("gemeente-zwolle", Role.PLATFORM_ADMIN)]),
]
# Colleagues so that every welfare organisation has a community worker.
EXTRA_STAFF = [
    ("opbouwwerker.noord", "Lotte Mulder", [("wijkwijs-noord", Role.COMMUNITY_WORKER)]),
    ("opbouwwerker.zuid", "Bram Smit", [("welzijnshuis-zuidoever", Role.COMMUNITY_WORKER)]),
    ("gebiedsmakelaar.zuid", "Ingrid Hoekstra", [("gemeente-zwolle", Role.CIVIL_SERVANT)]),
]


@dataclass(frozen=True)
class Kind:
    """A hand-written template for one kind of initiative."""

    name: str  # "{wijk}" becomes the wijk's short name
    pitch: str
    paragraphs: tuple[str, ...]
    themes: tuple[str, ...]
    groups: tuple[str, ...]
    needs: tuple[str, ...]  # the needs it usually has; some are dropped at random


KINDS = [
    Kind(
        "Buurtmoestuin {wijk}",
        "Samen groente en kruiden kweken op een stuk grond in de buurt.",
        (
            "Op het veldje aan de {street} liggen nu alleen gras en stenen. Wij willen er "
            "bakken neerzetten en samen groente kweken.",
            "Iedereen mag meedoen, ook als u nog nooit getuinierd heeft. We werken elke "
            "{day}ochtend in de tuin en delen de oogst.",
        ),
        ("greenery", "meeting", "sustainability"),
        ("everyone", "older-people"),
        ("money", "volunteers", "knowledge"),
    ),
    Kind(
        "Taalcafé {wijk}",
        "Elke week Nederlands oefenen in een gezellige sfeer, met koffie en thee.",
        (
            "Nieuwe Zwollenaren oefenen met vrijwilligers in kleine groepjes. We praten over "
            "gewone dingen: boodschappen, school, de buurt.",
            "We zitten elke {day} van 10 tot 12 uur in {place}.",
        ),
        ("language", "meeting"),
        ("newcomers",),
        ("volunteers", "room"),
    ),
    Kind(
        "Samen eten in {wijk}",
        "Een warme maaltijd voor ouderen die vaak alleen eten.",
        (
            "Eén keer per maand koken buurtbewoners een driegangenmenu. Ouderen uit de "
            "buurt eten mee voor een klein bedrag.",
            "We zoeken koks, mensen die willen rijden en een keuken. Nu koken we in {place}.",
        ),
        ("food", "loneliness", "meeting"),
        ("older-people", "lonely"),
        ("money", "volunteers", "room"),
    ),
    Kind(
        "Huiswerkklas {wijk}",
        "Hulp bij huiswerk voor kinderen uit groep 6 tot en met de brugklas.",
        (
            "Veel kinderen in de buurt hebben thuis geen rustige plek of niemand die kan "
            "helpen. Bij ons kunnen ze na school terecht.",
            "Vrijwilligers (studenten en gepensioneerde leraren) helpen op {day}middag.",
        ),
        ("youth", "learning"),
        ("children", "young-people"),
        ("volunteers", "room", "knowledge"),
    ),
    Kind(
        "Klussendienst {wijk}",
        "Buren helpen buren met kleine klussen in en om het huis.",
        (
            "Een lamp ophangen, een kraan die lekt, de heg snoeien: voor sommige buren is "
            "dat te zwaar. Onze klussers helpen gratis.",
            "Bel of mail ons. We komen meestal binnen een week.",
        ),
        ("care", "repair"),
        ("older-people", "disability", "low-income"),
        ("volunteers", "money"),
    ),
    Kind(
        "Repair Café {wijk}",
        "Kapotte spullen samen repareren in plaats van weggooien.",
        (
            "Neem uw kapotte broodrooster, fiets of broek mee. Onze vrijwilligers kijken "
            "samen met u wat er mis is.",
            "Elke eerste {day} van de maand in {place}. Koffie staat klaar.",
        ),
        ("repair", "sustainability", "meeting"),
        ("everyone",),
        ("volunteers", "knowledge", "room"),
    ),
    Kind(
        "Wandelgroep {wijk}",
        "Samen wandelen door de wijk: goed voor uw gezondheid en leuk voor contact.",
        (
            "We lopen elke {day} een rondje van ongeveer een uur. Het tempo is rustig.",
            "We starten bij de {street} en sluiten af met koffie.",
        ),
        ("health", "meeting", "loneliness"),
        ("older-people", "lonely"),
        ("volunteers",),
    ),
    Kind(
        "Speelstraat {wijk}",
        "Een middag per week wordt de straat een speelplek voor kinderen.",
        (
            "De {street} gaat op {day}middag dicht voor auto's. Kinderen spelen buiten, "
            "ouders leren elkaar kennen.",
            "We hebben spelmateriaal nodig en ouders die helpen opletten.",
        ),
        ("sport", "youth", "meeting"),
        ("children", "parents"),
        ("money", "volunteers"),
    ),
    Kind(
        "Ouderkamer {wijk}",
        "Een plek waar ouders elkaar ontmoeten en tips delen over opvoeden.",
        (
            "Ouders drinken samen koffie na het brengen naar school. Soms komt er iemand "
            "iets vertellen, bijvoorbeeld over slapen of schermtijd.",
        ),
        ("youth", "meeting", "care"),
        ("parents",),
        ("room", "knowledge", "host"),
    ),
    Kind(
        "Geldcafé {wijk}",
        "Hulp bij post, rekeningen en formulieren, zonder oordeel.",
        (
            "Veel mensen schamen zich voor geldzorgen. In ons geldcafé helpen getrainde "
            "vrijwilligers met brieven, toeslagen en een overzicht van de uitgaven.",
            "Elke {day} in {place}. U hoeft geen afspraak te maken.",
        ),
        ("money", "care"),
        ("low-income", "everyone"),
        ("knowledge", "volunteers", "host"),
    ),
    Kind(
        "Zwerfafvalploeg {wijk}",
        "Eén keer per maand ruimen we samen het zwerfafval in de wijk op.",
        (
            "Met grijpers en vuilniszakken lopen we door de straten en langs het water.",
            "Na afloop drinken we iets bij iemand in de tuin aan de {street}.",
        ),
        ("liveability", "sustainability"),
        ("everyone",),
        ("money", "volunteers"),
    ),
    Kind(
        "Buurtkoor {wijk}",
        "Zingen zonder auditie: iedereen die graag zingt is welkom.",
        (
            "We zingen Nederlandse liedjes en popsongs. Noten lezen hoeft niet.",
            "We repeteren op {day}avond in {place}.",
        ),
        ("culture", "meeting"),
        ("everyone", "lonely"),
        ("room", "money"),
    ),
    Kind(
        "Energiecoaches {wijk}",
        "Buren helpen buren om energie te besparen en de rekening te verlagen.",
        (
            "Onze energiecoaches komen langs met tips en kleine spullen, zoals tochtstrips "
            "en ledlampen.",
        ),
        ("sustainability", "money"),
        ("low-income", "everyone"),
        ("knowledge", "money", "host"),
    ),
    Kind(
        "Mantelzorgcafé {wijk}",
        "Even op adem komen met andere mantelzorgers.",
        (
            "Zorgen voor een naaste is mooi, maar ook zwaar. In het mantelzorgcafé deelt u "
            "ervaringen en krijgt u tips.",
            "Elke tweede {day} van de maand in {place}.",
        ),
        ("care", "meeting"),
        ("carers",),
        ("room", "host"),
    ),
    Kind(
        "Jongerenpodium {wijk}",
        "Jongeren maken muziek, dans en theater en laten het zien aan de buurt.",
        (
            "Jongeren uit de wijk organiseren zelf een avond vol optredens.",
            "We zoeken een zaal en iemand die helpt met licht en geluid.",
        ),
        ("culture", "youth"),
        ("young-people",),
        ("room", "money", "knowledge"),
    ),
]

DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"]
PLACES = [
    "het buurthuis",
    "de bibliotheek",
    "de kantine van de voetbalclub",
    "de aula van de school",
    "het wijkcentrum",
    "de kerkzaal",
]
# How many initiatives end up in each status (out of 60): realistic, mostly active.
STATUS_PLAN = (
    [Status.IDEA] * 12
    + [Status.ACTIVE] * 30
    + [Status.PAUSED] * 6
    + [Status.HANDED_OVER] * 5
    + [Status.ENDED] * 7
)
STATUS_NOTES = {
    Status.ACTIVE: ["We zijn begonnen!", "De eerste keer was een succes.", ""],
    Status.PAUSED: ["Even geen ruimte meer.", "Te weinig vrijwilligers deze zomer.", ""],
    Status.HANDED_OVER: ["De bewonersvereniging neemt het over.", "Verder in de wijkraad."],
    Status.ENDED: ["Het doel is bereikt.", "Niemand kon het overnemen.", ""],
}
# The step that leads to each final status.
PATHS = {
    Status.IDEA: [],
    Status.ACTIVE: [Status.ACTIVE],
    Status.PAUSED: [Status.ACTIVE, Status.PAUSED],
    Status.HANDED_OVER: [Status.ACTIVE, Status.HANDED_OVER],
    Status.ENDED: [Status.ACTIVE, Status.ENDED],
}


@dataclass
class Result:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    password_hash: str | None = None

    def add(self, label: str, n: int = 1) -> None:
        if n:
            self.created[label] = self.created.get(label, 0) + n


def _wijk_number(area: Area) -> int:
    return int(area.code[-2:])


def _short_name(area: Area) -> str:
    # "Wijk 13 Assendorp" -> "Assendorp"
    parts = area.name.split(" ", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "Wijk" else area.name


def _user(email: str, name: str, result: Result, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        if result.password_hash is None:  # hash once: hashing is slow on purpose
            result.password_hash = make_password(DEMO_PASSWORD)
        user = User.objects.create(
            email=email,
            password=result.password_hash,
            display_name=name,
            email_verified=True,
            **extra,
        )
        result.add("users")
    return user


@transaction.atomic
def load_people_and_initiatives(*, gemeente: Area) -> Result:
    """Create the demo organisations, people and initiatives that are missing."""
    rng = random.Random(SEED)
    fake = Faker("nl_NL")
    fake.seed_instance(SEED)
    result = Result()
    wijken = list(Area.objects.filter(parent=gemeente, level=AreaLevel.DISTRICT).order_by("code"))
    by_number = {_wijk_number(w): w for w in wijken}

    orgs: dict[str, Organisation] = {}
    for slug, name, kind, numbers in ORGANISATIONS:
        org, created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "email": f"info@{slug}.example.org",
                "description": "",
            },
        )
        if created:
            result.add("organisations")
            areas = (
                [gemeente] if numbers is None else [by_number[n] for n in numbers if n in by_number]
            )
            org.areas.set(areas)
        orgs[slug] = org

    logins = []
    for local, role, name, grants in DEMO_LOGINS:
        email = f"{local}@{DEMO_DOMAIN}"
        extra = {"home_area": by_number.get(13)}
        if local == "beheerder":
            extra.update(is_staff=True, is_superuser=True)
        user = _user(email, name, result, **extra)
        for org_slug, granted in grants:
            _, created = Membership.objects.get_or_create(
                user=user, organisation=orgs[org_slug], role=granted
            )
            result.add("memberships", int(created))
        logins.append((str(role.label), email))
    for local, name, grants in EXTRA_STAFF:
        user = _user(f"{local}@{DEMO_DOMAIN}", name, result)
        for org_slug, role in grants:
            _, created = Membership.objects.get_or_create(
                user=user, organisation=orgs[org_slug], role=role
            )
            result.add("memberships", int(created))

    # Residents who start initiatives (generated names, invented addresses).
    residents = []
    for i in range(36):
        first, last = fake.first_name(), fake.last_name()
        local = f"{slugify(first)}.{slugify(last)}".replace("-", "")
        residents.append(_user(f"{local}.{i}@{DEMO_DOMAIN}", f"{first} {last}", result))
    initiator = User.objects.get(email=f"initiatiefnemer@{DEMO_DOMAIN}")

    ensure_vocabulary()
    themes = {t.slug: t for t in Theme.objects.all()}
    groups = {g.slug: g for g in TargetGroup.objects.all()}
    welfare_for = {}
    for slug, _name, kind, numbers in ORGANISATIONS:
        if kind == OrganisationKind.WELFARE:
            for n in numbers:
                welfare_for[n] = orgs[slug]

    pairs = [(k, w) for k in range(len(KINDS)) for w in sorted(by_number)]
    rng.shuffle(pairs)
    # Every wijk gets at least two initiatives; the rest is spread at random.
    chosen, per_wijk = [], {n: 0 for n in by_number}
    for k, w in pairs:
        if per_wijk[w] < 2:
            chosen.append((k, w))
            per_wijk[w] += 1
    for pair in pairs:
        if len(chosen) >= N_INITIATIVES:
            break
        if pair not in chosen:
            chosen.append(pair)
    statuses = list(STATUS_PLAN)
    rng.shuffle(statuses)

    for index, ((k, w), status) in enumerate(zip(chosen, statuses, strict=False)):
        kind, wijk = KINDS[k], by_number[w]
        # Draw every random value before touching the database, so that the stream
        # (and thus the content) is the same whether or not the row already exists.
        name = kind.name.format(wijk=_short_name(wijk))
        slug = slugify(name)
        text = "\n\n".join(
            p.format(street=fake.street_name(), day=rng.choice(DAYS), place=rng.choice(PLACES))
            for p in kind.paragraphs
        )
        needs = {n for n in kind.needs if rng.random() < 0.75}
        if status in (Status.ENDED, Status.HANDED_OVER):
            needs = set()
        creator = initiator if index < 3 else residents[index % len(residents)]
        helpers = rng.sample(residents, k=rng.randint(0, 2))
        hosted = status != Status.IDEA and rng.random() < 0.7
        if not hosted and status in (Status.IDEA, Status.ACTIVE) and rng.random() < 0.6:
            needs.add("host")
        if hosted:
            needs.discard("host")
        start = datetime.date(2023, 1, 9) + datetime.timedelta(days=rng.randint(0, 900))
        gaps = [rng.randint(14, 200) for _ in PATHS[status]]
        notes = [rng.choice(STATUS_NOTES[s]) for s in PATHS[status]]
        phone = fake.phone_number() if rng.random() < 0.4 else ""
        contact_name = creator.display_name
        if index == 0:  # one initiative is a private idea, to show that it exists
            status, is_public = Status.IDEA, False
        else:
            is_public = True

        if Initiative.objects.filter(slug=slug).exists():
            continue
        initiative = Initiative.objects.create(
            name=name,
            slug=slug,
            pitch=kind.pitch,
            description=text,
            contact_name=contact_name,
            contact_email=creator.email,
            contact_phone=phone,
            host_organisation=welfare_for.get(w) if hosted else None,
            created_by=creator,
            is_public=is_public,
            status=Status.IDEA,
            **{f"needs_{n}": True for n in needs},
        )
        initiative.areas.set([wijk])
        initiative.themes.set([themes[s] for s in kind.themes if s in themes])
        initiative.target_groups.set([groups[s] for s in kind.groups if s in groups])
        initiative.members.set({creator, *helpers})
        StatusChange.objects.create(
            initiative=initiative, to_status=Status.IDEA, changed_on=start, changed_by=creator
        )
        day, previous = start, Status.IDEA
        for step, gap, note in zip(PATHS[status] if index else [], gaps, notes, strict=False):
            day = day + datetime.timedelta(days=gap)
            StatusChange.objects.create(
                initiative=initiative,
                from_status=previous,
                to_status=step,
                changed_on=day,
                changed_by=creator,
                note=note,
            )
            if step == Status.ACTIVE and initiative.started_on is None:
                initiative.started_on = day
            if step == Status.ENDED:
                initiative.ended_on = day
            previous = step
        initiative.status = previous
        initiative.save(update_fields=["status", "started_on", "ended_on"])
        moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        Initiative.objects.filter(pk=initiative.pk).update(
            created_at=datetime.datetime.combine(start, datetime.time(12), tzinfo=datetime.UTC),
            updated_at=moment,
        )
        result.add("initiatives")
    result.logins = logins
    return result


# --- The second demo municipality (Rotterdam) ------------------------------------------------

#: A welzijnsorganisatie that works in both demo municipalities (invented), with the
#: Zwolle wijk numbers and Rotterdam wijk codes it serves.
SHARED_WELFARE = (
    "welzijn-verbindt",
    "Stichting Welzijn Verbindt",
    [40, 41],
    ["WK059910", "WK059915", "WK059912"],
)
# (slug, name, kind, Rotterdam wijk codes; None = the whole gemeente)
SECOND_ORGANISATIONS = [
    ("gemeente-rotterdam", "Gemeente Rotterdam", OrganisationKind.MUNICIPALITY, None),
    (
        "buurtwerk-maasoever",
        "Stichting Buurtwerk Maasoever",
        OrganisationKind.WELFARE,
        ["WK059901", "WK059903", "WK059905"],
    ),
    (
        "bewonersgroep-kaap",
        "Bewonersgroep Kaap",
        OrganisationKind.RESIDENT_GROUP,
        ["WK059910"],
    ),
]
# (local part, name, grants) — printed by load_demo.
SECOND_LOGINS = [
    ("ambtenaar.rotterdam", "Noor Bakker", [("gemeente-rotterdam", Role.CIVIL_SERVANT)]),
    ("opbouwwerker.rotterdam", "Kees de Wit", [("buurtwerk-maasoever", Role.COMMUNITY_WORKER)]),
    (
        "opbouwwerker.beide",
        "Yara Haddad",
        [("welzijn-verbindt", Role.COMMUNITY_WORKER)],
    ),
    ("bewoner.rotterdam", "Daan Verbeek", []),
]
# (slug, name, pitch, wijk code, status, host slug or None, is_public, needs)
SECOND_INITIATIVES = [
    (
        "buurttuin-feijenoord",
        "Buurttuin Feijenoord",
        "Samen groente kweken op het braakliggende veld achter de school.",
        "WK059910",
        Status.ACTIVE,
        "welzijn-verbindt",
        True,
        ("volunteers",),
    ),
    (
        "taalmaatjes-charlois",
        "Taalmaatjes Charlois",
        "Nieuwe Rotterdammers oefenen Nederlands met een vaste buur.",
        "WK059915",
        Status.ACTIVE,
        "welzijn-verbindt",
        True,
        ("volunteers", "room"),
    ),
    (
        "repair-cafe-ijsselmonde",
        "Repair Café IJsselmonde",
        "Kapotte spullen samen repareren in plaats van weggooien.",
        "WK059912",
        Status.IDEA,
        None,
        True,
        ("knowledge", "host"),
    ),
    (
        "kookclub-delfshaven",
        "Kookclub Delfshaven",
        "Elke week samen koken en eten met buren uit de straat.",
        "WK059903",
        Status.ACTIVE,
        "buurtwerk-maasoever",
        True,
        ("money",),
    ),
    (
        "speelstraat-noord",
        "Speelstraat Noord",
        "Een middag per week wordt de straat een speelplek voor kinderen.",
        "WK059905",
        Status.PAUSED,
        "buurtwerk-maasoever",
        True,
        (),
    ),
    (
        "wandelgroep-centrum",
        "Wandelgroep Rotterdam Centrum",
        "Samen wandelen langs de Maas: goed voor uw gezondheid en leuk voor contact.",
        "WK059901",
        Status.ACTIVE,
        None,
        True,
        ("volunteers",),
    ),
    (
        "buurtkeuken-kaap",
        "Buurtkeuken op de Kaap",
        "Een keuken waar buren samen koken voor wie het moeilijk heeft.",
        "WK059910",
        Status.IDEA,
        None,
        False,  # a private idea: only its initiators and the platform admins see it
        ("room", "money"),
    ),
]
# Initiatives in Zwolle hosted by the organisation that works in both municipalities.
SHARED_ZWOLLE_INITIATIVES = [
    (
        "burenhulp-schelle",
        "Burenhulp Schelle",
        "Buren helpen elkaar met boodschappen en kleine klussen.",
        40,
        Status.ACTIVE,
        "welzijn-verbindt",
        True,
        ("volunteers",),
    ),
    (
        "fietsles-ittersum",
        "Fietsles Ittersum",
        "Vrijwilligers leren volwassenen fietsen, in een rustig tempo.",
        41,
        Status.ACTIVE,
        "welzijn-verbindt",
        True,
        ("money", "volunteers"),
    ),
]


@transaction.atomic
def load_second_municipality(*, gemeente: Area, zwolle: Area | None = None) -> Result:
    """Rotterdam's demo organisations, people and initiatives, and a welzijnsorganisatie
    that works in both Rotterdam and Zwolle. Idempotent: only missing rows are created."""
    result = Result()
    wijken = {w.code: w for w in Area.objects.filter(parent=gemeente, level=AreaLevel.DISTRICT)}
    zwolle_wijken = {}
    if zwolle is not None:
        zwolle_wijken = {
            _wijk_number(w): w for w in Area.objects.filter(parent=zwolle, level=AreaLevel.DISTRICT)
        }
    orgs: dict[str, Organisation] = {}
    slug, name, zwolle_numbers, rotterdam_codes = SHARED_WELFARE
    specs = [
        *SECOND_ORGANISATIONS,
        (slug, name, OrganisationKind.WELFARE, rotterdam_codes),
    ]
    for org_slug, org_name, kind, codes in specs:
        org, created = Organisation.objects.get_or_create(
            slug=org_slug,
            defaults={
                "name": org_name,
                "kind": kind,
                "email": f"info@{org_slug}.example.org",
                "description": "",
            },
        )
        if created:
            result.add("organisations")
            areas = [gemeente] if codes is None else [wijken[c] for c in codes if c in wijken]
            if org_slug == slug:
                areas += [zwolle_wijken[n] for n in zwolle_numbers if n in zwolle_wijken]
            org.areas.set(areas)
        orgs[org_slug] = org

    for local, display_name, grants in SECOND_LOGINS:
        email = f"{local}@{DEMO_DOMAIN}"
        user = _user(email, display_name, result, home_area=wijken.get("WK059910"))
        for org_slug, role in grants:
            _, created = Membership.objects.get_or_create(
                user=user, organisation=orgs[org_slug], role=role
            )
            result.add("memberships", int(created))
        label = ", ".join(str(r.label) for _o, r in grants) or str(Role.RESIDENT.label)
        if any(org_slug == slug for org_slug, _r in grants):
            label += " (Zwolle + Rotterdam)"
        result.logins.append((label, email))

    ensure_vocabulary()
    creator = User.objects.get(email=f"bewoner.rotterdam@{DEMO_DOMAIN}")
    rows = [(*row, wijken.get(row[3])) for row in SECOND_INITIATIVES] + [
        (*row, zwolle_wijken.get(row[3])) for row in SHARED_ZWOLLE_INITIATIVES
    ]
    for slug_, name_, pitch, _where, status, host, is_public, needs, wijk in rows:
        if wijk is None or Initiative.objects.filter(slug=slug_).exists():
            continue
        initiative = Initiative.objects.create(
            name=name_,
            slug=slug_,
            pitch=pitch,
            contact_name=creator.display_name,
            contact_email=creator.email,
            host_organisation=orgs.get(host) if host else None,
            created_by=creator,
            is_public=is_public,
            status=status,
            started_on=datetime.date(2025, 3, 1) if status != Status.IDEA else None,
            **{f"needs_{n}": True for n in needs},
        )
        initiative.areas.set([wijk])
        initiative.members.set([creator])
        StatusChange.objects.create(
            initiative=initiative,
            to_status=Status.IDEA,
            changed_on=datetime.date(2025, 1, 15),
            changed_by=creator,
        )
        if status != Status.IDEA:
            StatusChange.objects.create(
                initiative=initiative,
                from_status=Status.IDEA,
                to_status=Status.ACTIVE,
                changed_on=datetime.date(2025, 3, 1),
                changed_by=creator,
            )
        if status == Status.PAUSED:
            StatusChange.objects.create(
                initiative=initiative,
                from_status=Status.ACTIVE,
                to_status=Status.PAUSED,
                changed_on=datetime.date(2025, 9, 1),
                changed_by=creator,
            )
        result.add("initiatives")
    return result
