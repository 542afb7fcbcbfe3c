"""The wijkprofiel: figures against hand-computed fixtures, the minimum cell size, the
tenancy, the query count of the page, the refresh through the task, and the PDF."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area, AreaLevel, Indicator, IndicatorValue
from buurtbasis.ballots.models import Ballot
from buurtbasis.budgets.models import FundedPlan
from buurtbasis.budgets.tests.factories import BudgetRoundFactory, PlanFactory
from buurtbasis.hosting import services as hosting_services
from buurtbasis.hosting.models import Category, GrantSource
from buurtbasis.hosting.tests.factories import hosted
from buurtbasis.organisations.models import OrganisationKind, Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import ensure_tenant
from buurtbasis.platform.testing import run_queued_tasks
from buurtbasis.portal import profile
from buurtbasis.portal.models import WijkProfileSnapshot, WijkReport
from buurtbasis.stories import services as story_services
from buurtbasis.stories.models import Consent

pytestmark = pytest.mark.django_db

AGES = {  # CBS shares of the wijk and of the municipality, in percent
    "percentagePersonen0Tot15Jaar": (10, 16),
    "percentagePersonen15Tot25Jaar": (18, 12),
    "percentagePersonen25Tot45Jaar": (30, 27),
    "percentagePersonen45Tot65Jaar": (25, 26),
    "percentagePersonen65JaarEnOuder": (17, 19),
}


def _indicator(key, kind="rate", unit="%", position=0):
    return Indicator.objects.create(
        key=key,
        title_nl=key,
        title_en=key,
        unit_nl=unit,
        unit_en=unit,
        kind=kind,
        position=position,
    )


def _value(area, indicator, value):
    return IndicatorValue.objects.create(
        area=area, indicator=indicator, year=area.year, value=Decimal(value), source="CBS 85984NED"
    )


def _town(code="GM0193", name="Zwolle"):
    city = Area.objects.create(
        year=2024, code=code, name=name, level=AreaLevel.MUNICIPALITY, slug=name.lower()
    )
    wijk = Area.objects.create(
        year=2024,
        code=f"WK{code[2:]}01",
        name=f"Centrum {name}",
        level=AreaLevel.DISTRICT,
        parent=city,
        slug=f"centrum-{name.lower()}",
    )
    buurt = Area.objects.create(
        year=2024,
        code=f"BU{code[2:]}0101",
        name=f"Binnenstad {name}",
        level=AreaLevel.NEIGHBOURHOOD,
        parent=wijk,
        slug=f"binnenstad-{name.lower()}",
    )
    other = Area.objects.create(
        year=2024,
        code=f"WK{code[2:]}02",
        name=f"Noord {name}",
        level=AreaLevel.DISTRICT,
        parent=city,
        slug=f"noord-{name.lower()}",
    )
    gemeente = OrganisationFactory(
        name=f"Gemeente {name}", kind=OrganisationKind.MUNICIPALITY, areas=[city]
    )
    servant = UserFactory(roles=[(Role.CIVIL_SERVANT, gemeente)])
    return city, wijk, buurt, other, gemeente, servant


def _born(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=30)


@pytest.fixture
def world():
    city, wijk, buurt, other, gemeente, servant = _town()
    inhabitants = _indicator("AantalInwoners_5", kind="count", unit="aantal")
    _value(wijk, inhabitants, 5000)
    _value(city, inhabitants, 133141)
    density = _indicator("Bevolkingsdichtheid_34", unit="aantal inwoners per km²", position=1)
    _value(wijk, density, 4000)
    _value(city, density, 1203)
    for i, (key, (here, there)) in enumerate(AGES.items()):
        indicator = _indicator(key, position=2 + i)
        _value(wijk, indicator, here)
        _value(city, indicator, there)

    # Voters living in the wijk (its buurt), by age: 12 of 25-44, 10 of 45-64, 3 of 65+.
    budget_round = BudgetRoundFactory(areas=[wijk], phase="results", organisation=gemeente)
    n = 0
    for age, count in ((30, 12), (50, 10), (70, 3)):
        for _i in range(count):
            n += 1
            voter = UserFactory(birth_date=_born(age), home_area=buurt)
            Ballot.objects.create(
                budget_round=budget_round, channel="account", voter=voter, receipt=f"R{n:05d}"
            )
    # Not counted: a voter without a date of birth, a voter from another wijk.
    for i, (born, home) in enumerate(((None, buurt), (_born(20), other))):
        voter = UserFactory(birth_date=born, home_area=home)
        Ballot.objects.create(
            budget_round=budget_round, channel="account", voter=voter, receipt=f"X{i:05d}"
        )

    # A funded plan here and one elsewhere.
    here = PlanFactory(budget_round=budget_round, area=buurt, title="Bankjes", cost_cents=250_000)
    there = PlanFactory(budget_round=budget_round, area=other, title="Elders", cost_cents=99_000)
    FundedPlan.objects.create(plan=here, budget_round=budget_round, amount_cents=250_000)
    FundedPlan.objects.create(plan=there, budget_round=budget_round, amount_cents=99_000)

    # A hosted initiative here: received 1.000,00, spent 250,00.
    h = hosted()
    h.initiative.areas.set([buurt])
    grant = hosting_services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds",
        amount_cents=100_000,
        date=datetime.date(2026, 3, 1),
        origin=h.as_officer,
    )
    hosting_services.record_expense(
        grant=grant,
        category=Category.MATERIALS,
        amount_cents=25_000,
        date=datetime.date(2026, 3, 1),
        description="Zaden",
        origin=h.as_officer,
    )
    return {
        "city": city,
        "wijk": wijk,
        "buurt": buurt,
        "other": other,
        "servant": servant,
        "gemeente": gemeente,
        "initiative": h.initiative,
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _tell(world, bands, consent=Consent.ANALYSIS_ONLY, text=None):
    welfare = OrganisationFactory(kind=OrganisationKind.WELFARE, areas=[world["wijk"]])
    worker = UserFactory(roles=[(Role.COMMUNITY_WORKER, welfare)])
    now = timezone.now()
    story_round = story_services.create_round(
        data=story_services.RoundData(
            title="Thuis in de wijk",
            prompt="Vertel over een moment dat u zich thuis voelde.",
            areas=[world["wijk"], world["buurt"]],
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=10),
            organisation=welfare,
        ),
        origin=Origin(actor=worker),
        municipality="GM0193",
    )
    story_services.set_round_status(
        story_round=story_round, status="open", origin=Origin(actor=worker)
    )
    told = []
    for band in bands:
        story, _code = story_services.tell_story(
            story_round=story_round,
            data=story_services.StoryData(
                text=text or "Op het plein groeten de buren elkaar altijd.",
                consent=consent,
                area=world["buurt"],
                age_band=band,
            ),
            origin=Origin.system(),
        )
        told.append(story)
    return story_round, told


def test_the_figures_match_the_hand_computed_fixture(world):
    data = profile.compute(world["wijk"])
    rows = {r["key"]: r for r in data["figures"]["rows"]}
    assert rows["AantalInwoners_5"]["value"] == "5000"
    assert rows["AantalInwoners_5"]["municipal"] == "133141"
    assert rows["percentagePersonen15Tot25Jaar"]["value"] == "18"
    assert data["figures"]["year"] == 2024
    assert data["rounds"] == [
        {
            "title": data["rounds"][0]["title"],
            "slug": data["rounds"][0]["slug"],
            "plans": [{"title": "Bankjes", "amount": 250_000, "status": "planned"}],
            "total": 250_000,
        }
    ]
    assert data["money"]["received"] == 100_000
    assert data["money"]["spent"] == 25_000
    assert data["money"]["left"] == 75_000
    assert data["money"]["initiatives"] == 1
    voters = data["participation"]["groups"]["voters"]
    # 25 voters: 12 of 25-44 (48%); 65+ has 3 (hidden), so the next smallest, 45-64 with
    # 10, is hidden too, else it would follow from the total.
    assert voters["total"] == 25
    assert voters["shares"] == {"0-14": 0, "15-24": 0, "25-44": 48, "45-64": None, "65+": None}
    assert data["participation"]["cbs"]["15-24"] == 18
    # Initiators with a known age and storytellers: fewer than ten, not shown at all.
    assert data["participation"]["groups"]["initiators"]["total"] is None
    assert data["participation"]["groups"]["tellers"]["total"] is None


def test_the_other_wijk_counts_only_its_own(world):
    data = profile.compute(world["other"])
    assert data["rounds"][0]["plans"][0]["title"] == "Elders"
    assert data["money"]["grants"] == 0
    assert data["participation"]["groups"]["voters"]["total"] is None  # one voter


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"25-44": 9}, None),  # fewer than ten people: nothing
        ({"25-44": 10}, {"0-14": 0, "15-24": 0, "25-44": 100, "45-64": 0, "65+": 0}),
        ({"25-44": 20, "65+": 9}, {"0-14": 0, "15-24": 0, "25-44": None, "45-64": 0, "65+": None}),
        (
            {"25-44": 20, "65+": 9, "0-14": 5},
            {"0-14": None, "15-24": 0, "25-44": 59, "45-64": 0, "65+": None},
        ),
    ],
)
def test_small_cells_are_not_shown(counts, expected):
    from collections import Counter

    result = profile.suppress(Counter(counts))
    assert (result["shares"] if result["total"] is not None else None) == expected


def test_the_page_shows_figures_gaps_and_money(client, world):
    response = client.get(reverse("areas:profile", args=[world["wijk"].slug]))
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "Bron: CBS" in text and "2024" in text
    assert "5.000" in text and "133.141" in text
    assert (
        "Jongeren van 15 tot en met 24 jaar zijn 18% van Centrum Zwolle, maar 0% van de stemmers."
        in text
    )
    assert "Bankjes" in text and "Elders" not in text
    assert "€ 1.000" in text and "€ 750" in text and "€ 2.500" in text
    assert "minder dan 10" in text
    assert "<svg" in text
    # the wijk page leads to it
    page = client.get(world["wijk"].get_absolute_url()).content.decode()
    assert reverse("areas:profile", args=[world["wijk"].slug]) in page


def test_stories_count_once_there_are_ten(client, world):
    _tell(world, ["65+"] * 6 + ["15-24"] * 4)
    data = profile.compute(world["wijk"])
    tellers = data["participation"]["groups"]["tellers"]
    assert tellers["total"] == 10
    # 4 of 15-24 is hidden, and then the next smallest (65+: 6) too
    assert tellers["shares"] == {"0-14": 0, "15-24": None, "25-44": 0, "45-64": 0, "65+": None}


def test_a_buurt_has_a_profile_too(client, world):
    response = client.get(reverse("areas:profile", args=[world["buurt"].slug]))
    assert response.status_code == 200
    assert "Bankjes" in response.content.decode()


def test_another_municipality_does_not_know_the_wijk(client, world):
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam", hosts=[])
    _town("GM0599", "Rotterdam")
    url = reverse("areas:profile", args=[world["wijk"].slug])
    assert client.get("/g/rotterdam" + url).status_code == 404
    assert client.get(
        "/g/rotterdam" + reverse("areas:profile-pdf", args=[world["wijk"].slug])
    ).status_code in (302, 404)


def test_the_page_reads_one_snapshot(client, world, django_assert_max_num_queries):
    url = reverse("areas:profile", args=[world["wijk"].slug])
    client.get(url)  # the first visit computes and stores the snapshot
    assert WijkProfileSnapshot.objects.filter(area=world["wijk"]).count() == 1
    # the tenant, the area, the snapshot, and one query per block that reads live data
    # (the stories' quotes, the social map, initiatives looking for successors)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_a_change_refreshes_the_snapshot_through_the_task(
    world, django_capture_on_commit_callbacks
):
    profile.refresh(world["wijk"].pk)
    budget_round = BudgetRoundFactory(areas=[world["wijk"]], phase="results")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(11):
            voter = UserFactory(birth_date=_born(20), home_area=world["buurt"])
            Ballot.objects.create(
                budget_round=budget_round, channel="account", voter=voter, receipt=f"N{i:05d}"
            )
    run_queued_tasks()
    data = WijkProfileSnapshot.objects.get(area=world["wijk"]).data
    voters = data["participation"]["groups"]["voters"]
    assert voters["total"] == 36
    # 11 of 36 is 31%; 65+ (3) is hidden, and with it the next smallest, 45-64 (10)
    assert voters["shares"] == {"0-14": 0, "15-24": 31, "25-44": 33, "45-64": None, "65+": None}


def test_the_nightly_refresh_is_scheduled_and_computes_every_wijk(world):
    from buurtbasis.platform import schedule
    from buurtbasis.portal.tasks import refresh_all_profiles

    assert "portal.refresh_wijkprofielen" in {job.name for job in schedule.registered()}
    profile.refresh(world["buurt"].pk)
    assert refresh_all_profiles.call() == 3  # both wijken and the buurt shown before
    assert set(WijkProfileSnapshot.objects.values_list("area__slug", flat=True)) == {
        world["wijk"].slug,
        world["other"].slug,
        world["buurt"].slug,
    }


def _pdf_text(content: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_wijkanalyse_pdf_for_civil_servants(client, world, django_capture_on_commit_callbacks):
    url = reverse("areas:profile-pdf", args=[world["wijk"].slug])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404  # not a civil servant
    client.force_login(world["servant"])
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url)
    assert waiting.status_code == 200 and "text/html" in waiting["Content-Type"]
    run_queued_tasks()
    assert WijkReport.objects.get(area=world["wijk"]).status == "done"
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(response.streaming_content))
    assert "Centrum Zwolle" in text
    assert "133.141" in text
    assert "18%" in text


def test_the_stories_block_shows_themes_with_trend_and_only_public_quotes(client, world):
    from buurtbasis.stories.models import StoryTheme, Theme

    story_round, public = _tell(
        world, ["65+"] * 2, consent=Consent.PUBLIC_ANON, text="Het plein is gezellig."
    )
    _round, private = _tell(world, ["25-44"], text="Mijn buurman Jansen is ziek.")
    theme = Theme.objects.create(round=story_round, label="Ontmoeten")
    for story in public + private:
        StoryTheme.objects.create(story=story, theme=theme, source="auto", score=1.0)
    old = public[0]
    Story = type(old)
    Story.objects.filter(pk=old.pk).update(told_at=timezone.now() - datetime.timedelta(days=120))
    text = client.get(reverse("areas:profile", args=[world["wijk"].slug])).content.decode()
    assert "Wat mensen vertellen" in text
    assert "Ontmoeten" in text
    # 3 stories about it, 2 in the last 90 days and 1 in the 90 days before: more lately
    assert "3 verhalen" in text and "vaker" in text
    assert "Het plein is gezellig." in text
    assert "Jansen" not in text  # told for the professionals only


def test_a_failing_enqueue_never_stops_the_change(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from buurtbasis.portal import tasks

    class Unreachable:
        def enqueue(self, **kwargs):
            raise ConnectionError("queue unreachable")

    monkeypatch.setattr(tasks, "refresh_profiles", Unreachable())
    initiative = world["initiative"]
    with django_capture_on_commit_callbacks(execute=True):
        initiative.name = "Nieuwe naam"
        initiative.save()
    initiative.refresh_from_db()
    assert initiative.name == "Nieuwe naam"


# -- the signals block (logbook) and the printed blocks ------------------------------------------


def _signals(world, n=1, answered=0, title="Donkere bushalte"):
    """``n`` signals from a story told in the buurt, the first ``answered`` of them answered."""
    from buurtbasis.logbook import services_signals
    from buurtbasis.logbook.models import Department

    story_round, (story,) = _tell(world, ["25-44"], text="Bij de halte is het donker.")
    worker = UserFactory(roles=[(Role.COMMUNITY_WORKER, story_round.organisation)])
    department, _new = Department.objects.get_or_create(
        municipality_code="GM0193", name="Openbare ruimte"
    )
    made = []
    for i in range(n):
        signal = services_signals.make_signal(
            area=world["buurt"],
            title=title if i == 0 else f"{title} {i}",
            description="Bewoners voelen zich er onveilig.",
            urgency="normal",
            department=department,
            stories=[story],
            origin=Origin(actor=worker),
        )
        if i < answered:
            services_signals.answer(
                signal=signal,
                text="In maart komt er extra verlichting.",
                origin=Origin(actor=world["servant"]),
            )
        made.append(signal)
    return made


def test_the_signals_block_shows_professionals_signals_and_answers(client, world):
    made = _signals(world, n=2, answered=1)
    url = reverse("areas:profile", args=[world["wijk"].slug])
    public = client.get(url).content.decode()
    assert "Signalen aan de gemeente" in public
    assert "Afgehandeld: 1" in public and "Gemeld: 1" in public
    # what the signals are about and the answers stay with the professionals
    assert "Donkere bushalte" not in public
    assert "extra verlichting" not in public

    client.force_login(world["servant"])
    text = client.get(url).content.decode()
    assert "Donkere bushalte" in text and "Donkere bushalte 1" in text
    assert "Openbare ruimte" in text
    assert "1 verhaal zegt dit" in text
    assert "In maart komt er extra verlichting." in text

    # a withdrawn story no longer counts
    story_services.withdraw_story(
        story=made[0].stories.get(), origin=Origin.system(), reason="code"
    )
    assert "0 verhalen zeggen dit" in client.get(url).content.decode()


def test_the_signals_block_is_left_out_without_signals(client, world):
    text = client.get(reverse("areas:profile", args=[world["wijk"].slug])).content.decode()
    assert "Signalen aan de gemeente" not in text


def test_the_page_with_signals_stays_within_its_queries(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _signals(world, n=2, answered=1)
    url = reverse("areas:profile", args=[world["wijk"].slug])
    client.get(url)  # computes the snapshot and warms the blocks' caches
    # one snapshot read, plus one query per block that reads live data
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200  # anonymous: still one snapshot read

    client.force_login(world["servant"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _signals(world, n=12, answered=6, title="Losliggende stoeptegels")
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        assert "Losliggende stoeptegels" in client.get(url).content.decode()
    assert len(many) == len(few)  # one query for the list, however many signals
    assert len(many) <= 14  # the blocks of the new apps read one query each


def test_the_wijkanalyse_pdf_has_the_stories_and_the_signals(
    client, world, django_capture_on_commit_callbacks
):
    from buurtbasis.stories.models import StoryTheme, Theme

    story_round, told = _tell(
        world, ["65+"], consent=Consent.PUBLIC_ANON, text="Het plein is gezellig."
    )
    _round, private = _tell(world, ["25-44"], text="Mijn buurman Jansen is ziek.")
    theme = Theme.objects.create(round=story_round, label="Ontmoeten")
    for story in told + private:
        StoryTheme.objects.create(story=story, theme=theme, source="auto", score=1.0)
    _signals(world, answered=1)

    url = reverse("areas:profile-pdf", args=[world["wijk"].slug])
    client.force_login(world["servant"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    run_queued_tasks()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(response.streaming_content))
    assert "133.141" in text  # a CBS figure
    assert "Ontmoeten" in text  # a theme
    assert "Het plein is gezellig." in text  # a public quote
    assert "Jansen" not in text  # told for the professionals only
    assert "Donkere bushalte" in text  # a signal
    assert "extra verlichting" in text  # and its answer


def test_a_new_signal_has_the_wijkanalyse_made_again(
    client, world, django_capture_on_commit_callbacks
):
    url = reverse("areas:profile-pdf", args=[world["wijk"].slug])
    client.force_login(world["servant"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    run_queued_tasks()
    assert client.get(url)["Content-Type"] == "application/pdf"
    _signals(world)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url)
    assert "text/html" in waiting["Content-Type"]  # being made again
    run_queued_tasks()
    text = _pdf_text(b"".join(client.get(url).streaming_content))
    assert "Donkere bushalte" in text
