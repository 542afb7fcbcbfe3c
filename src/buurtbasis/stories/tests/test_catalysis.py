"""Making sense together: the figures against hand-computed fixtures, who sees them,
withdrawn stories and consent, the minimum group size, sessions, and the story cards."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.organisations.models import OrganisationKind
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.testing import run_queued_tasks
from buurtbasis.platform.uploads import private_storage

from .. import catalysis, services
from ..catalysis import StoryRow
from ..models import QuestionKind, StoryTheme
from ..models_catalysis import SenseMakingSession, StoryCards
from .factories import area, open_round, tell, worker_for

# --- pure figures, computed by hand ----------------------------------------------------

GREEN, TRAFFIC = 1, 2
THEMES = [(GREEN, "Groen"), (TRAFFIC, "Verkeer")]


def _rows():
    """Twelve stories: eight in Noord (six about traffic), four in Zuid (none about traffic)."""
    rows = []
    for i in range(8):
        themes = {TRAFFIC} if i < 6 else {GREEN}
        rows.append(StoryRow(i, area="Noord", age_band="25-44", themes=frozenset(themes)))
    for i in range(8, 12):
        rows.append(StoryRow(i, area="Zuid", age_band="65+", themes=frozenset({GREEN})))
    return rows


def test_themes_by_area_show_big_groups_and_add_up_small_ones():
    table = catalysis.theme_table(_rows(), THEMES, "area")
    # Noord: 8 stories, 2 green (25%), 6 traffic (75%); Zuid has 4 < 5 stories: not shown,
    # and on its own too small for the "smaller groups" row as well.
    assert [(r["label"], r["n"]) for r in table["rows"]] == [("Noord", 8)]
    assert [(c["n"], c["share"]) for c in table["rows"][0]["cells"]] == [(2, 25), (6, 75)]
    assert table["small"] is None and table["hidden"] == 4
    # the whole round: 6 green of 12 (50%), 6 traffic of 12 (50%)
    assert [(c["n"], c["share"]) for c in table["total"]["cells"]] == [(6, 50), (6, 50)]


def test_small_groups_together_are_shown_once_they_reach_the_minimum():
    rows = _rows() + [StoryRow(20, area="West", themes=frozenset({TRAFFIC}))]
    table = catalysis.theme_table(rows, THEMES, "area")
    assert table["small"]["n"] == 5  # Zuid (4) + West (1)
    assert [c["n"] for c in table["small"]["cells"]] == [4, 1]
    assert table["hidden"] == 0
    assert "West" not in [r["label"] for r in table["rows"]]


def test_stories_without_a_group_are_never_a_group_of_their_own():
    rows = [StoryRow(i, age_band="") for i in range(6)]
    table = catalysis.theme_table(rows, THEMES, "age_band")
    assert table["rows"] == [] and table["small"]["n"] == 6


def test_a_theme_that_differs_enough_in_a_big_group_is_a_pattern():
    patterns = catalysis.theme_patterns(_rows(), THEMES, points=20)
    # Noord: traffic 75% vs 50% (+25), green 25% vs 50% (-25); by age the same group
    # (25-44) again. Zuid is too small to be compared.
    found = {(p["grouping"], p["group_key"], p["theme"], p["difference"]) for p in patterns}
    assert found == {
        ("area", "Noord", TRAFFIC, 25),
        ("area", "Noord", GREEN, -25),
        ("age_band", "25-44", TRAFFIC, 25),
        ("age_band", "25-44", GREEN, -25),
    }
    assert catalysis.theme_patterns(_rows(), THEMES, points=26) == []


def test_pattern_quotes_are_only_from_stories_that_allow_a_quote():
    rows = [
        StoryRow(1, area="Noord", themes=frozenset({TRAFFIC}), quote="Te hard gereden."),
        StoryRow(2, area="Noord", themes=frozenset({TRAFFIC}), quote=""),
        StoryRow(3, area="Noord", themes=frozenset({GREEN}), quote="Mooi park."),
    ]
    pattern = {"theme": TRAFFIC, "grouping": "area", "group_key": "Noord"}
    assert catalysis.pattern_quotes(rows, pattern) == ["Te hard gereden."]


def test_dyad_histogram_and_a_cluster_at_a_pole():
    values = [0.0, 0.1, 0.15, 0.2, 0.9, None, 0.5]
    rows = [StoryRow(i, answers={7: v}) for i, v in enumerate(values)]
    rows.append(StoryRow(99))  # did not answer at all: not counted
    h = catalysis.dyad_histogram(rows, 7)
    # bins of 0.2: [0, .2) -> 0, .1, .15; [.2, .4) -> .2; [.4, .6) -> .5; [.8, 1] -> .9
    assert h["counts"] == [3, 1, 1, 0, 1]
    assert (h["answered"], h["not_applicable"]) == (6, 1)
    # 4 of 6 answers (0, .1, .15, .2) lie within 0.2 of the left pole: 67% >= 60%
    assert h["left_share"] == 0.667 and h["pole"] == "left"
    few = catalysis.dyad_histogram(rows[:4], 7)
    assert few["pole"] == ""  # fewer than five answers never make a pattern


def test_triad_summary_by_hand():
    rows = [
        StoryRow(1, answers={3: [0.8, 0.1, 0.1]}),
        StoryRow(2, answers={3: [0.6, 0.2, 0.2]}),
        StoryRow(3, answers={3: [0.1, 0.1, 0.8]}),
        StoryRow(4, answers={3: [0.4, 0.4, 0.2]}),
        StoryRow(5, answers={3: None}),
        StoryRow(6, answers={3: "rubbish"}),
    ]
    s = catalysis.triad_summary(rows, 3)
    assert s["mostly"] == [2, 0, 1] and s["mixed"] == 1
    assert (s["answered"], s["not_applicable"]) == (4, 2)
    assert s["mean"] == [0.475, 0.2, 0.325]


# --- from the database ---------------------------------------------------------------


@pytest.fixture
def story_round(db):
    return open_round()


def _label(story, theme):
    StoryTheme.objects.create(story=story, theme=theme, score=1.0, source="professional")


def _fill(story_round, n, *, wijk=None, consent="public_anon", theme=None, text="Verhaal"):
    stories = []
    for i in range(n):
        story, _ = tell(
            story_round,
            f"{text} {i}: mijn buurman Jan Jansen belt op 06-12345678.",
            consent=consent,
            area=wijk,
            age_band="25-44",
        )
        if theme is not None:
            _label(story, theme)
        stories.append(story)
    return stories


@pytest.mark.django_db
def test_withdrawn_stories_and_rejected_themes_do_not_count(story_round):
    green = story_round.themes.get(label="Groen")
    stories = _fill(story_round, 3, theme=green)
    services.withdraw_story(story=stories[0], origin=Origin.system(), reason="code")
    StoryTheme.objects.filter(story=stories[1]).update(rejected=True)
    rows = catalysis.story_rows(story_round)
    assert [r.id for r in rows] == [stories[1].pk, stories[2].pk]
    assert [r.themes for r in rows] == [frozenset(), frozenset({green.pk})]


@pytest.mark.django_db
def test_every_consent_counts_but_only_quotable_ones_give_a_masked_quote(story_round):
    public = _fill(story_round, 1, consent="public_anon")[0]
    pro = _fill(story_round, 1, consent="professionals")[0]
    analysis = _fill(story_round, 1, consent="analysis")[0]
    rows = {r.id: r for r in catalysis.story_rows(story_round)}
    assert set(rows) == {public.pk, pro.pk, analysis.pk}
    assert rows[analysis.pk].quote == ""
    for pk in (public.pk, pro.pk):
        assert rows[pk].quote and "06-12345678" not in rows[pk].quote
        assert "Jan Jansen" not in rows[pk].quote


@pytest.mark.django_db
def test_round_figures_use_the_rounds_questions(story_round):
    dyad = story_round.questions.get(kind=QuestionKind.DYAD)
    triad = story_round.questions.get(kind=QuestionKind.TRIAD)
    for value in (0.0, 0.1, 0.9):
        tell(
            story_round,
            "Het park in onze buurt is mooi.",
            answers={dyad.pk: value, triad.pk: [1, 0, 0]},
        )
    figures = catalysis.round_catalysis(story_round)
    assert figures["n"] == 3
    assert figures["dyads"][0]["counts"] == [2, 0, 0, 0, 1]
    assert figures["triads"][0]["mostly"] == [3, 0, 0]


# --- the page ------------------------------------------------------------------------


def _url(name, story_round):
    return reverse(f"stories:{name}", kwargs={"slug": story_round.slug})


@pytest.mark.django_db
def test_only_professionals_of_the_round_see_the_catalysis_page(client, story_round):
    url = _url("catalysis", story_round)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    other_round = open_round("WK059901")
    client.force_login(worker_for(other_round))
    assert client.get(url).status_code == 403
    client.force_login(worker_for(story_round))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_round_of_another_municipality_is_not_found(client, story_round):
    other_round = open_round("WK059901")
    client.force_login(worker_for(story_round))
    assert client.get(_url("catalysis", other_round)).status_code == 404


@pytest.mark.django_db
def test_the_page_draws_charts_with_tables_and_hides_small_groups(client, story_round):
    green = story_round.themes.get(label="Groen")
    traffic = story_round.themes.get(label="Verkeer")
    dyad = story_round.questions.get(kind=QuestionKind.DYAD)
    triad = story_round.questions.get(kind=QuestionKind.TRIAD)
    noord, klein = story_round.areas.order_by("code")
    for i in range(6):
        tell(
            story_round,
            f"Er wordt te hard gereden in de straat {i}.",
            area=noord,
            answers={dyad.pk: 0.05, triad.pk: [1, 1, 0]},
        )
    for story in story_round.stories.all():
        _label(story, traffic)
    _fill(story_round, 6, theme=green, text="Het park")
    _fill(story_round, 2, wijk=klein, theme=green, text="Kleine wijk")
    client.force_login(worker_for(story_round))
    html = client.get(_url("catalysis", story_round)).content.decode()
    assert html.count("<svg") >= 3 and "bb-chart__bar" in html and "bb-chart__dot" in html
    assert html.count("<caption") >= html.count('class="bb-chart__svg"')
    # SVG numbers are never written the Dutch way (150,5 is not a coordinate)
    assert re.search(r'<circle class="bb-chart__dot" cx="\d+(\.\d+)?" cy="\d+(\.\d+)?"', html)
    assert not re.search(r'(cx|cy|x|y)="\d+,\d', html)
    assert "Thema’s per wijk" in html and "Thema’s per leeftijd" in html
    # the small wijk (2 stories) is never a row of its own: it is added up with the six
    # stories without an area into one row
    assert klein.name not in html
    assert "Kleinere groepen samen" in html
    # a pattern: traffic in Noord is 100% against 43% in the round
    assert "komt vaker voor in" in html and "Verkeer" in html
    # all six slider answers lie close to "slecht"
    assert "liggen de meeste antwoorden aan één kant: 100% van 6 antwoorden" in html
    assert "06-12345678" not in html and "Jan Jansen" not in html
    assert " je " not in html and " jij " not in html


@pytest.mark.django_db
def test_withdrawn_stories_are_absent_from_the_page(client, story_round):
    story, _ = tell(
        story_round, "Een uniek verhaal over de zeepkistenrace.", consent="professionals"
    )
    _label(story, story_round.themes.get(label="Groen"))
    client.force_login(worker_for(story_round))
    assert "gemaakt van 1 verhaal" in client.get(_url("catalysis", story_round)).content.decode()
    services.withdraw_story(story=story, origin=Origin.system(), reason="code")
    assert "gemaakt van 0 verhalen" in client.get(_url("catalysis", story_round)).content.decode()


# --- sensemaking sessions ------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_records_a_session_with_its_conclusions(client, story_round):
    worker = worker_for(story_round)
    client.force_login(worker)
    response = client.post(
        _url("sensemaking", story_round),
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "Buurthuis De Brug",
            "participants": "14",
            "conclusions": "Bewoners herkennen het hard rijden; we vragen drempels aan.",
        },
    )
    assert response.status_code == 302
    session = SenseMakingSession.objects.get(round=story_round)
    assert session.participants == 14 and session.recorded_by == worker
    assert AuditEvent.objects.filter(action="stories.sensemaking_recorded").count() == 1
    html = client.get(_url("catalysis", story_round)).content.decode()
    assert "we vragen drempels aan" in html and "Buurthuis De Brug" in html


@pytest.mark.django_db
def test_a_session_in_the_future_gets_a_clear_dutch_error(client, story_round):
    client.force_login(worker_for(story_round))
    response = client.post(
        _url("sensemaking", story_round),
        {
            "held_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "place": "Buurthuis",
            "participants": "5",
            "conclusions": "Nog niets.",
        },
    )
    assert response.status_code == 400
    assert "Een bijeenkomst die nog moet komen" in response.content.decode()
    assert not SenseMakingSession.objects.exists()


@pytest.mark.django_db
def test_a_civil_servant_sees_the_page_but_does_not_record_sessions(client, story_round):
    gemeente = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
    gemeente.areas.set([area().parent])
    civil = UserFactory(roles=[("civil_servant", gemeente)])
    client.force_login(civil)
    page = client.get(_url("catalysis", story_round))
    assert page.status_code == 200 and "Bijeenkomst vastleggen" not in page.content.decode()
    response = client.post(
        _url("sensemaking", story_round),
        {"held_on": "2026-01-01", "place": "x", "participants": "3", "conclusions": "x"},
    )
    assert response.status_code == 403


# --- story cards ---------------------------------------------------------------------


def _cards(client, story_round):
    return client.get(_url("story-cards", story_round))


def _pdf_text(response):
    import pypdf

    content = b"".join(response.streaming_content)
    reader = pypdf.PdfReader(io.BytesIO(content))
    return reader, re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.mark.django_db
def test_story_cards_are_a_pdf_of_public_masked_stories_only(client, story_round):
    green = story_round.themes.get(label="Groen")
    dyad = story_round.questions.get(kind=QuestionKind.DYAD)
    public, _ = tell(
        story_round,
        "Het nieuwe park is prachtig, bel Jan Jansen op 06-12345678.",
        consent="public_anon",
        answers={dyad.pk: 0.8},
        area=story_round.areas.order_by("code").first(),
    )
    _label(public, green)
    _fill(story_round, 4, consent="public_anon", text="Openbaar")
    tell(story_round, "Alleen voor professionals: de speeltuin.", consent="professionals")
    tell(story_round, "Alleen voor analyse: de bibliotheek.", consent="analysis")
    client.force_login(worker_for(story_round))
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = _cards(client, story_round)
    assert first.status_code == 200 and "worden gemaakt" in first.content.decode()
    run_queued_tasks()
    response = _cards(client, story_round)
    assert response["Content-Type"] == "application/pdf"
    reader, text = _pdf_text(response)
    # four A6 cards on each A4 page: five cards, two A4 pages
    assert len(reader.pages) == 2
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert round(width) == 595 and round(height) == 842
    assert "Het nieuwe park is prachtig" in text and "Groen" in text
    assert "80 / 100 (slecht → goed)" in text
    assert "06-12345678" not in text and "Jan Jansen" not in text
    assert "speeltuin" not in text and "bibliotheek" not in text
    assert StoryCards.objects.get(round=story_round).cards == 5


@pytest.mark.django_db
def test_a_withdrawn_story_makes_the_cards_stale_and_they_are_made_again(client, story_round):
    story, _ = tell(story_round, "Een verhaal over de zeepkistenrace.", consent="public_anon")
    client.force_login(worker_for(story_round))
    with TestCase.captureOnCommitCallbacks(execute=True):
        _cards(client, story_round)
    run_queued_tasks()
    first_file = StoryCards.objects.get(round=story_round).file
    assert "zeepkistenrace" in _pdf_text(_cards(client, story_round))[1]
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.withdraw_story(story=story, origin=Origin.system(), reason="code")
    # the file that held the story is deleted at once, not only when cards are asked again
    assert not private_storage().exists(first_file)
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = _cards(client, story_round)
    assert "worden gemaakt" in again.content.decode()  # the old file is never served
    run_queued_tasks()
    text = _pdf_text(_cards(client, story_round))[1]
    assert "zeepkistenrace" not in text


@pytest.mark.django_db
def test_story_cards_are_for_professionals_of_the_round_only(client, story_round):
    client.force_login(UserFactory())
    assert _cards(client, story_round).status_code == 403


@pytest.mark.django_db
def test_the_figures_take_the_same_number_of_queries_for_more_stories(story_round):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..models import Answer

    green = story_round.themes.get(label="Groen")
    dyad = story_round.questions.get(kind=QuestionKind.DYAD)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            catalysis.round_catalysis(story_round)
        return len(ctx.captured_queries)

    _fill(story_round, 3, theme=green)
    few = queries()
    _fill(story_round, 20, theme=green)
    assert Answer.objects.filter(question=dyad).count() == 23
    assert queries() == few <= 6


# --- properties ----------------------------------------------------------------------

_row = st.builds(
    StoryRow,
    id=st.integers(0, 10_000),
    area=st.sampled_from(["", "Noord", "Zuid", "West", "Oost"]),
    age_band=st.sampled_from(["", "15-24", "25-44", "65+"]),
    teller_role=st.sampled_from(["resident", "volunteer", "professional"]),
    themes=st.frozensets(st.sampled_from([GREEN, TRAFFIC]), max_size=2),
)


@given(st.lists(_row, max_size=60), st.sampled_from(catalysis.GROUPINGS))
def test_no_small_group_is_ever_shown_and_every_story_is_accounted_for(rows, grouping):
    table = catalysis.theme_table(rows, THEMES, grouping)
    assert all(r["n"] >= catalysis.MIN_GROUP and r["key"] for r in table["rows"])
    assert table["small"] is None or table["small"]["n"] >= catalysis.MIN_GROUP
    small = table["small"]["n"] if table["small"] else 0
    assert sum(r["n"] for r in table["rows"]) + small + table["hidden"] == len(rows)
    for pattern in catalysis.theme_patterns(rows, THEMES):
        assert pattern["group_n"] >= catalysis.PATTERN_MIN_STORIES
        assert abs(pattern["difference"]) >= catalysis.PATTERN_POINTS


@pytest.mark.django_db
def test_a_round_without_stories_themes_or_questions_has_a_calm_page(client):
    story_round = open_round(themes=[], questions=[])
    client.force_login(worker_for(story_round))
    response = client.get(_url("catalysis", story_round))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Er valt nog niets op." in html and "gemaakt van 0 verhalen" in html


@pytest.mark.django_db
def test_the_page_is_in_english_in_the_english_interface(client, story_round):
    from django.conf import settings

    client.force_login(worker_for(story_round))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(_url("catalysis", story_round)).content.decode()
    assert "Making sense together" in html and "Patterns that stand out" in html
    assert "Samen duiden" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"place": "  "}, "place"),
        ({"conclusions": ""}, "conclusions"),
        ({"participants": 0}, "participants"),
        ({"participants": 10_001}, "participants"),
        ({"held_on": dt.date(2000, 1, 1)}, "held_on_early"),
    ],
)
def test_a_session_with_bad_values_is_refused_with_its_reason(story_round, changes, code):
    from ..services import StoryError
    from ..services_catalysis import record_session

    values = {
        "held_on": timezone.localdate(),
        "place": "Buurthuis",
        "participants": 8,
        "conclusions": "Meer bankjes in het park.",
    }
    values.update(changes)
    with pytest.raises(StoryError) as caught:
        record_session(
            story_round=story_round, origin=Origin(actor=worker_for(story_round)), **values
        )
    assert caught.value.code == code
    assert not SenseMakingSession.objects.exists()
