"""Demo social map and warm referrals in both municipalities.

Per municipality: a social map of about a dozen services (invented organisations and
names, no real phone numbers: intake addresses are on example.org), a volunteer who
refers, professionals of the receiving organisations, and referrals in every state
(sent to the intake, accepted, declined, first contact made, help started, ended, and
one without first contact in time). Idempotent: services are keyed on their name, and
referrals are only made when the demo volunteer has none yet.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE
from buurtbasis.organisations.models import Membership, Organisation, OrganisationKind, Role
from buurtbasis.platform import notifications
from buurtbasis.platform.audit import Origin
from buurtbasis.referrals import services
from buurtbasis.referrals.models import Referral, Service

from .initiatives import DEMO_DOMAIN, Result, _user

#: Receiving organisations made for the social map: (slug, name, kind).
ORGANISATIONS = {
    ZWOLLE_CODE: [
        ("geldzorg-zwolle", "Stichting Geldzorg Zwolle", OrganisationKind.OTHER),
        ("wijkteams-zwolle", "Stichting Sociale Wijkteams Zwolle", OrganisationKind.CARE),
        ("opvoedpunt-de-vlinder", "Opvoedpunt De Vlinder", OrganisationKind.OTHER),
        ("werkpunt-ijssel", "Werkpunt IJssel", OrganisationKind.OTHER),
    ],
    ROTTERDAM_CODE: [
        ("geldwijs-rotterdam", "Stichting Geldwijs Rotterdam", OrganisationKind.OTHER),
        ("wijkteams-maasstad", "Stichting Wijkteams Maasstad", OrganisationKind.CARE),
        ("opvoedhuis-maasstad", "Opvoedhuis Maasstad", OrganisationKind.OTHER),
        ("woonstichting-maaskant", "Woonstichting Maaskant", OrganisationKind.HOUSING),
    ],
}

#: (organisation slug, name, domain, description in B1, wijk codes or None, days or None)
SERVICES = {
    ZWOLLE_CODE: [
        (
            "geldzorg-zwolle",
            "Schuldhulpverlening Geldzorg",
            "debt",
            "Heeft u schulden of komt u niet rond? Wij zoeken samen met u naar een oplossing en "
            "praten met de mensen aan wie u geld moet betalen.",
            None,
            5,
        ),
        (
            "geldzorg-zwolle",
            "Budgetcoach aan huis",
            "debt",
            "Een budgetcoach komt bij u thuis. Samen maken we uw post en rekeningen "
            "overzichtelijk.",
            None,
            10,
        ),
        (
            "wijkwijs-noord",
            "Thuisadministratie door vrijwilligers",
            "debt",
            "Een vrijwilliger helpt u één keer per week met formulieren en betalingen.",
            ["WK019321", "WK019322", "WK019330", "WK019331", "WK019332"],
            None,
        ),
        (
            "wijkteams-zwolle",
            "Wijkteam Centrum en Assendorp",
            "care",
            "Het wijkteam helpt bij zorg, ondersteuning thuis en zorgen over een naaste.",
            ["WK019310", "WK019311", "WK019312", "WK019313"],
            3,
        ),
        (
            "wijkteams-zwolle",
            "Wijkteam Holtenbroek en Aa-landen",
            "care",
            "Het wijkteam helpt bij zorg, ondersteuning thuis en zorgen over een naaste.",
            ["WK019330", "WK019331", "WK019332"],
            3,
        ),
        (
            "wijkteams-zwolle",
            "Jeugd- en gezinscoach",
            "parenting",
            "Een coach denkt met u mee over opvoeden, school en ruzie thuis.",
            None,
            5,
        ),
        (
            "opvoedpunt-de-vlinder",
            "Opvoedspreekuur",
            "parenting",
            "Elke week een spreekuur voor ouders met vragen over opvoeden. Gratis en zonder "
            "afspraak.",
            None,
            None,
        ),
        (
            "opvoedpunt-de-vlinder",
            "Oudergroep Samen Opvoeden",
            "parenting",
            "Ouders leren van elkaar in een groep van zes avonden.",
            None,
            10,
        ),
        (
            "woonstichting-ijsselhof",
            "Woonconsulent IJsselhof",
            "housing",
            "De woonconsulent helpt bij problemen met uw huurwoning, overlast of een "
            "huurachterstand.",
            None,
            5,
        ),
        (
            "zorggroep-vechtzicht",
            "Dagbesteding Vechtzicht",
            "care",
            "Een plek om overdag samen te zijn, met activiteiten en begeleiding.",
            ["WK019330", "WK019331", "WK019332"],
            10,
        ),
        (
            "samenkracht-centrum",
            "Maatjesproject Samen op Pad",
            "loneliness",
            "Een vrijwilliger komt regelmatig langs voor een praatje of een wandeling.",
            ["WK019310", "WK019311", "WK019312", "WK019313"],
            10,
        ),
        (
            "samenkracht-centrum",
            "Taalcafé Assendorp",
            "other",
            "Oefen Nederlands praten met buren, elke dinsdagmiddag.",
            ["WK019313"],
            None,
        ),
        (
            "werkpunt-ijssel",
            "Werkcoach",
            "work",
            "Een werkcoach helpt u op weg naar werk of vrijwilligerswerk.",
            None,
            5,
        ),
    ],
    ROTTERDAM_CODE: [
        (
            "geldwijs-rotterdam",
            "Schuldhulpverlening Geldwijs",
            "debt",
            "Heeft u schulden of komt u niet rond? Wij zoeken samen met u naar een oplossing.",
            None,
            5,
        ),
        (
            "geldwijs-rotterdam",
            "Budgetcoaching Geldwijs",
            "debt",
            "Samen uw inkomsten en uitgaven op een rij zetten, bij u thuis of in het wijkcentrum.",
            None,
            10,
        ),
        (
            "buurtwerk-maasoever",
            "Formulierenbrigade",
            "debt",
            "Vrijwilligers helpen met brieven en formulieren van de gemeente en instanties.",
            ["WK059901", "WK059903", "WK059905"],
            None,
        ),
        (
            "wijkteams-maasstad",
            "Wijkteam Kaap en Feijenoord",
            "care",
            "Het wijkteam helpt bij zorg, ondersteuning thuis en zorgen over een naaste.",
            ["WK059910", "WK059912", "WK059915"],
            3,
        ),
        (
            "wijkteams-maasstad",
            "Wijkteam Centrum",
            "care",
            "Het wijkteam helpt bij zorg, ondersteuning thuis en zorgen over een naaste.",
            ["WK059901", "WK059903"],
            3,
        ),
        (
            "opvoedhuis-maasstad",
            "Opvoedondersteuning",
            "parenting",
            "Een pedagoog denkt met u mee over opvoeden en helpt bij ruzie thuis.",
            None,
            5,
        ),
        (
            "opvoedhuis-maasstad",
            "Jongerencoach",
            "parenting",
            "Een coach voor jongeren van 12 tot 23 jaar die vastlopen op school of thuis.",
            None,
            5,
        ),
        (
            "woonstichting-maaskant",
            "Woonconsulent Maaskant",
            "housing",
            "De woonconsulent helpt bij problemen met uw huurwoning of een huurachterstand.",
            None,
            5,
        ),
        (
            "woonstichting-maaskant",
            "Buurtbemiddeling",
            "housing",
            "Last van de buren? Bemiddelaars helpen u om samen in gesprek te gaan.",
            None,
            10,
        ),
        (
            "buurtwerk-maasoever",
            "Koffieochtend Samen",
            "loneliness",
            "Elke woensdag koffie en een praatje in het wijkcentrum.",
            ["WK059901", "WK059903", "WK059905"],
            None,
        ),
        (
            "welzijn-verbindt",
            "Maatje voor ouderen",
            "loneliness",
            "Een vrijwilliger bezoekt ouderen die weinig mensen zien.",
            ["WK059910", "WK059912", "WK059915"],
            10,
        ),
        (
            "buurtwerk-maasoever",
            "Werkcafé",
            "work",
            "Hulp bij solliciteren en het zoeken naar werk, elke donderdag.",
            None,
            None,
        ),
    ],
}

#: (e-mail local part, name, municipality, organisation slug, role)
PEOPLE = [
    ("doorverwijzer", "Lotte Mulder", ZWOLLE_CODE, "samenkracht-centrum", Role.VOLUNTEER),
    ("schuldhulp", "Bram Smit", ZWOLLE_CODE, "geldzorg-zwolle", Role.PROFESSIONAL),
    ("schuldhulp2", "Ilse Kramer", ZWOLLE_CODE, "geldzorg-zwolle", Role.PROFESSIONAL),
    ("wijkteam", "Hatice Demir", ZWOLLE_CODE, "wijkteams-zwolle", Role.PROFESSIONAL),
    (
        "doorverwijzer.rotterdam",
        "Rachid Amrani",
        ROTTERDAM_CODE,
        "buurtwerk-maasoever",
        Role.VOLUNTEER,
    ),
    (
        "schuldhulp.rotterdam",
        "Esther van Dam",
        ROTTERDAM_CODE,
        "geldwijs-rotterdam",
        Role.PROFESSIONAL,
    ),
    ("wijkteam.rotterdam", "Tom de Graaf", ROTTERDAM_CODE, "wijkteams-maasstad", Role.PROFESSIONAL),
]

#: One named professional for every other organisation with a service on the social map, so
#: every demo service can take referrals: (e-mail local part, name, municipality, slug).
RECEIVING = [
    ("opvoedpunt", "Sanne Visser", ZWOLLE_CODE, "opvoedpunt-de-vlinder"),
    ("samenkracht", "Joost Bakker", ZWOLLE_CODE, "samenkracht-centrum"),
    ("werkcoach", "Fleur de Wit", ZWOLLE_CODE, "werkpunt-ijssel"),
    ("thuisadministratie", "Gerard Kok", ZWOLLE_CODE, "wijkwijs-noord"),
    ("woonconsulent", "Noor Hendriks", ZWOLLE_CODE, "woonstichting-ijsselhof"),
    ("dagbesteding", "Anouk Peters", ZWOLLE_CODE, "zorggroep-vechtzicht"),
    ("buurtwerk.rotterdam", "Mohamed El Idrissi", ROTTERDAM_CODE, "buurtwerk-maasoever"),
    ("opvoedhuis.rotterdam", "Lisa Verbeek", ROTTERDAM_CODE, "opvoedhuis-maasstad"),
    ("maatje.rotterdam", "Kees Jansen", ROTTERDAM_CODE, "welzijn-verbindt"),
    ("woonconsulent.rotterdam", "Samira Bouali", ROTTERDAM_CODE, "woonstichting-maaskant"),
]

#: Referrals per municipality: (service name, person, contact, reason, steps, report back).
#: A step is a status, or (status, category); "overdue" moves the sending back in time.
REFERRALS = {
    ZWOLLE_CODE: [
        (
            "Schuldhulpverlening Geldzorg",
            "Ria",
            "06-00000001",
            "Ik krijg steeds aanmaningen en durf de post niet meer open te maken.",
            [],
            "status",
        ),
        (
            "Schuldhulpverlening Geldzorg",
            "M.K.",
            "m.k@example.org",
            "Na de scheiding lukt het niet meer om rond te komen.",
            ["accepted"],
            "status",
        ),
        (
            "Budgetcoach aan huis",
            "Johan",
            "06-00000002",
            "Wil graag overzicht in de rekeningen.",
            [("declined", "no_capacity")],
            "status",
        ),
        (
            "Schuldhulpverlening Geldzorg",
            "Fatima",
            "06-00000003",
            "Huurachterstand van drie maanden.",
            ["accepted", "first_contact"],
            "status",
        ),
        (
            "Wijkteam Centrum en Assendorp",
            "Henk",
            "06-00000004",
            "Redt het niet meer alleen thuis sinds zijn vrouw overleed.",
            ["accepted", "first_contact", "started"],
            "status",
        ),
        (
            "Schuldhulpverlening Geldzorg",
            "A.",
            "a.demo@example.org",
            "Wil een betalingsregeling met de energieleverancier.",
            ["accepted", "first_contact", "started", ("ended", "helped")],
            "status",
        ),
        (
            "Wijkteam Centrum en Assendorp",
            "Kees",
            "06-00000005",
            "Zorgen over zijn moeder die steeds vergeetachtiger wordt.",
            ["accepted"],
            "nothing",
        ),
        (
            "Schuldhulpverlening Geldzorg",
            "Noor",
            "06-00000006",
            "Weet niet waar ze moet beginnen met de schulden.",
            ["overdue"],
            "status",
        ),
    ],
    ROTTERDAM_CODE: [
        (
            "Schuldhulpverlening Geldwijs",
            "Daan",
            "06-00000011",
            "Heeft schulden bij meerdere winkels.",
            [],
            "status",
        ),
        (
            "Schuldhulpverlening Geldwijs",
            "S.",
            "06-00000012",
            "Komt elke maand tekort.",
            ["accepted"],
            "status",
        ),
        (
            "Budgetcoaching Geldwijs",
            "Priya",
            "priya.demo@example.org",
            "Wil leren budgetteren.",
            [("declined", "already_known")],
            "status",
        ),
        (
            "Wijkteam Kaap en Feijenoord",
            "Mo",
            "06-00000013",
            "Heeft hulp nodig bij de zorg voor zijn vader.",
            ["accepted", "first_contact"],
            "status",
        ),
        (
            "Wijkteam Kaap en Feijenoord",
            "Lies",
            "06-00000014",
            "Voelt zich alleen en komt de deur niet meer uit.",
            ["accepted", "first_contact", "started"],
            "status",
        ),
        (
            "Schuldhulpverlening Geldwijs",
            "J.B.",
            "06-00000015",
            "Wil van de deurwaarder af.",
            ["accepted", "first_contact", "started", ("ended", "referred_on")],
            "status",
        ),
        (
            "Schuldhulpverlening Geldwijs",
            "Yusuf",
            "06-00000016",
            "Rekeningen stapelen zich op na ontslag.",
            ["overdue"],
            "status",
        ),
    ],
}

NOTES = {
    "Henk": "Eerste gesprek thuis gehad. Dochter helpt met boodschappen; huishoudelijke hulp "
    "aangevraagd.",
    "Lies": "Samen naar de koffieochtend geweest. Volgende week weer.",
}


def _organisations(code: str, gemeente: Area, result: Result) -> None:
    for slug, name, kind in ORGANISATIONS[code]:
        org, created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "email": f"info@{slug}.example.org"},
        )
        if created:
            org.areas.set([gemeente])
            result.add("organisations")


def _services(code: str, maintainer: User, result: Result) -> None:
    wijken = {
        a.code: a for a in Area.objects.in_municipality(code).filter(level=AreaLevel.DISTRICT)
    }
    for slug, name, domain, description, codes, days in SERVICES[code]:
        if Service.objects.filter(municipality_code=code, name=name).exists():
            continue
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        services.save_service(
            code=code,
            organisation=organisation,
            name=name,
            domain=domain,
            description=description,
            areas=[wijken[c] for c in codes or () if c in wijken],
            professional_contact=f"intake@{slug}.example.org",
            how_to_refer="Verwijs door via Buurtbasis, met toestemming van de persoon. De "
            "intake neemt binnen de afgesproken werkdagen contact op.",
            first_contact_days=days,
            origin=Origin(actor=maintainer),
        )
        result.add("services")


def _people(result: Result) -> dict[str, User]:
    people = {}
    for local, name, _code, slug, role in PEOPLE:
        email = f"{local}@{DEMO_DOMAIN}"
        user = _user(email, name, result)
        organisation = Organisation.objects.get(slug=slug)
        _m, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        result.add("memberships", int(created))
        people[local] = user
    for local, name, _code, slug in RECEIVING:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:  # made by another part of the demo that did not run
            continue
        user = _user(f"{local}@{DEMO_DOMAIN}", name, result)
        _m, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=Role.PROFESSIONAL
        )
        result.add("memberships", int(created))
    return people


def _referrals(code: str, volunteer: User, result: Result) -> None:
    if Referral.objects.filter(referrer=volunteer, municipality_code=code).exists():
        return
    today = timezone.localdate()
    for name, person, contact, reason, steps, report_back in REFERRALS[code]:
        service = Service.objects.get(municipality_code=code, name=name)
        professional = services.professionals_of(service.organisation).first()
        referral = services.make_referral(
            service=service,
            person_name=person,
            contact=contact,
            reason=reason,
            shared=["name", "contact", "reason"],
            consent_until=today + datetime.timedelta(days=120),
            consent_method="in_person",
            report_back=report_back,
            origin=Origin(actor=volunteer),
        )
        result.add("referrals")
        for step in steps:
            if step == "overdue":
                sent = timezone.now() - datetime.timedelta(days=12)
                Referral.objects.filter(pk=referral.pk).update(
                    sent_at=sent,
                    first_contact_due=services.add_working_days(
                        timezone.localdate(sent), service.contact_days()
                    ),
                )
                referral.steps.update(at=sent)
                continue
            status, category = step if isinstance(step, tuple) else (step, "")
            referral = services.take_step(
                referral,
                to_status=status,
                category=category,
                origin=Origin(actor=professional),
            )
        if person in NOTES:
            services.add_note(referral, text=NOTES[person], origin=Origin(actor=professional))


@transaction.atomic
def load_demo_referrals(stdout=None) -> Result:
    """The social maps, the demo volunteers and professionals, and their referrals."""
    result = Result()
    people = _people_after_organisations(result)
    for code, maintainer_email, volunteer in (
        (ZWOLLE_CODE, f"ambtenaar@{DEMO_DOMAIN}", "doorverwijzer"),
        (ROTTERDAM_CODE, f"ambtenaar.rotterdam@{DEMO_DOMAIN}", "doorverwijzer.rotterdam"),
    ):
        maintainer = User.objects.filter(email=maintainer_email).first()
        if maintainer is None:
            continue
        _services(code, maintainer, result)
        with notifications.quiet():  # nobody needs to hear of the demo's history
            _referrals(code, people[volunteer], result)
    if stdout is not None:
        made = ", ".join(f"{n} {label}" for label, n in result.created.items()) or "nothing new"
        stdout.write(f"Social map and warm referral: {made}.")
    return result


def _people_after_organisations(result: Result) -> dict[str, User]:
    for code in (ZWOLLE_CODE, ROTTERDAM_CODE):
        gemeente = Area.objects.municipalities().filter(code=code).order_by("-year").first()
        if gemeente is not None:
            _organisations(code, gemeente, result)
    return _people(result)
