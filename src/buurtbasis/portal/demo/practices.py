"""Demo data for what works: practice pages in both municipalities, drafted from what the
demo knows about their initiatives, completed by their initiators and (most of them)
published by a community worker; one under review and two drafts. A Rotterdam buurtkoor
is added so the Zwolle initiator's buurtkoor has a like-minded initiative in the other
municipality. Idempotent: an initiative that has a practice is left alone.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from buurtbasis.accounts.models import User
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.areas.services import ROTTERDAM_CODE
from buurtbasis.exchange.models import QuestionSettings
from buurtbasis.initiatives.models import Initiative, StatusChange, TargetGroup, Theme
from buurtbasis.initiatives.models import Status as InitiativeStatus
from buurtbasis.organisations.models import Organisation
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.notifications import quiet
from buurtbasis.practices import access, services, similarity
from buurtbasis.practices.models import Practice, SimilarItem

from .initiatives import DEMO_DOMAIN

PUBLISHED, SUBMITTED, DRAFT = "published", "submitted", "draft"

#: What went well and what did not, per kind of initiative (matched on the slug).
LESSONS = {
    "moestuin": (
        "Vaste tuinochtenden werkten: mensen weten wanneer ze kunnen aansluiten. De oogst "
        "delen met de buren bracht nieuwe deelnemers.",
        "Water was in de zomer een probleem. Regel vooraf een kraan of regenton, en spreek "
        "af wie in de vakantie water geeft.",
        "Vraag naar de coördinator van de tuin of de penningmeester.",
    ),
    "buurttuin": (
        "Samen met de school kweken: kinderen nemen hun ouders mee naar de tuin. Groente "
        "kweken op een braakliggend veld kan met bakken, zonder de grond te gebruiken.",
        "De eerste bakken waren te laag voor ouderen. Maak ze op tafelhoogte.",
        "Vraag naar de tuincoördinator.",
    ),
    "samen-eten": (
        "Een vaste avond en een klein bedrag per maaltijd. Ouderen die vaak alleen eten "
        "komen terug als ze iemand kennen: bel ze de eerste keer op.",
        "Koken in een keuken zonder vergunning mag niet overal. Vraag het buurthuis eerst.",
        "Vraag naar de kok of de penningmeester.",
    ),
    "kookclub": (
        "Elke week samen koken met buren uit de straat. De boodschappenlijst samen maken "
        "houdt de kosten laag.",
        "Niet iedereen eet alles: vraag vooraf naar dieetwensen.",
        "Vraag naar de coördinator van de kookclub.",
    ),
    "repair": (
        "Een vaste dag in de maand en koffie bij binnenkomst. Vrijwilligers met een "
        "technisch beroep achter de rug zijn goud waard.",
        "Elektrische apparaten vragen kennis van veiligheid: test ze na de reparatie.",
        "Vraag naar de gastvrouw of de coördinator.",
    ),
}
#: (initiative slug, state)
PRACTICES = [
    ("buurtmoestuin-wipstrik", PUBLISHED),
    ("samen-eten-in-ittersum", PUBLISHED),
    ("repair-cafe-diezerpoort", PUBLISHED),
    ("buurtmoestuin-ittersum", SUBMITTED),
    ("buurtkoor-schelle", DRAFT),
    ("buurttuin-feijenoord", PUBLISHED),
    ("kookclub-delfshaven", PUBLISHED),
    ("taalmaatjes-charlois", DRAFT),
]
#: A Rotterdam initiative like the Zwolle initiator's buurtkoor (found by "like mine").
ROTTERDAM_CHOIR = (
    "buurtkoor-delfshaven",
    "Buurtkoor Delfshaven",
    "Zingen zonder auditie: iedereen uit de buurt die graag zingt is welkom.",
    "Wij zingen Nederlandse liedjes en popsongs, noten lezen hoeft niet. We repeteren op "
    "donderdagavond in het wijkcentrum.",
    "WK059903",
    "buurtwerk-maasoever",
)


def _choir() -> int:
    slug, name, pitch, text, wijk_code, host = ROTTERDAM_CHOIR
    if Initiative.objects.filter(slug=slug).exists():
        return 0
    wijk = (
        Area.objects.in_municipality(ROTTERDAM_CODE)
        .filter(level=AreaLevel.DISTRICT, code=wijk_code)
        .order_by("-year")
        .first()
    )
    creator = User.objects.filter(email=f"bewoner.rotterdam@{DEMO_DOMAIN}").first()
    if wijk is None or creator is None:
        return 0
    initiative = Initiative.objects.create(
        name=name,
        slug=slug,
        pitch=pitch,
        description=text,
        contact_name=creator.display_name,
        contact_email=creator.email,
        host_organisation=Organisation.objects.filter(slug=host).first(),
        created_by=creator,
        status=InitiativeStatus.ACTIVE,
        started_on=datetime.date(2025, 2, 6),
        needs_room=True,
    )
    initiative.areas.set([wijk])
    initiative.members.set([creator])
    initiative.themes.set(Theme.objects.filter(slug__in=["culture", "meeting"]))
    initiative.target_groups.set(TargetGroup.objects.filter(slug__in=["everyone", "lonely"]))
    # Like every public demo initiative (portal/demo/exchange.py), it accepts questions.
    QuestionSettings.objects.get_or_create(
        initiative=initiative, defaults={"accepts_questions": True}
    )
    StatusChange.objects.create(
        initiative=initiative,
        to_status=InitiativeStatus.IDEA,
        changed_on=datetime.date(2024, 11, 20),
        changed_by=creator,
    )
    StatusChange.objects.create(
        initiative=initiative,
        from_status=InitiativeStatus.IDEA,
        to_status=InitiativeStatus.ACTIVE,
        changed_on=datetime.date(2025, 2, 6),
        changed_by=creator,
    )
    return 1


def _lessons(slug: str) -> tuple[str, str, str] | None:
    for key, lessons in LESSONS.items():
        if key in slug:
            return lessons
    return None


def _practice(initiative: Initiative, state: str) -> Practice | None:
    initiator = initiative.members.order_by("pk").first()
    if initiator is None:
        return None
    origin = Origin.system().with_actor(initiator)
    practice = services.start_practice(initiative, origin=origin)
    lessons = _lessons(initiative.slug)
    if lessons:
        well, less_well, who = lessons
        services.edit_practice(
            practice,
            {
                "went_well": well,
                "went_less_well": less_well,
                "who_to_ask": f"{practice.who_to_ask}\n\n{who}".strip(),
            },
            origin=origin,
        )
    if state == DRAFT:
        return practice
    services.submit_practice(practice, origin=origin)
    if state == PUBLISHED:
        practice.refresh_from_db()
        reviewer = access.reviewers(practice).order_by("pk").first()
        if reviewer is None:
            return practice
        services.publish_practice(practice, origin=Origin.system().with_actor(reviewer))
    return practice


def load_demo_practices(stdout=None):
    """Practices of demo initiatives in Zwolle and Rotterdam, and the stored vectors of
    "initiatives like mine" (computed here, not by a worker, so the demo works at once)."""
    with transaction.atomic(), quiet():
        choirs = _choir()
        made = {PUBLISHED: 0, SUBMITTED: 0, DRAFT: 0}
        existing = set(Practice.objects.values_list("initiative__slug", flat=True))
        initiatives = {
            i.slug: i for i in Initiative.objects.filter(slug__in=[s for s, _ in PRACTICES])
        }
        for slug, state in PRACTICES:
            initiative = initiatives.get(slug)
            if initiative is None or slug in existing:
                continue
            if _practice(initiative, state) is not None:
                made[state] += 1
    indexed = 0
    if choirs or any(made.values()) or not SimilarItem.objects.exists():
        indexed = similarity.rebuild()["stored"]
    if stdout is not None and not (choirs or any(made.values())):
        stdout.write("What works: nothing changed.")
    elif stdout is not None:
        stdout.write(
            f"What works: {made[PUBLISHED]} practices published, {made[SUBMITTED]} under "
            f"review, {made[DRAFT]} drafts, {choirs} initiative added; {indexed} texts indexed "
            "for 'initiatives like mine'."
        )
