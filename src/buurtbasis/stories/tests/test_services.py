"""Services of the stories app: rounds, telling, recording on behalf, withdrawal, labels."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .. import adapters, services
from ..models import Answer, Question, QuestionKind, Story, StoryTheme, ThemeSource
from ..services import StoryError
from .factories import area, make_worker, open_round, round_data, tell, welfare_org, worker_for

pytestmark = pytest.mark.django_db

LONELY = "Sinds mijn man overleden is voel ik me vaak alleen. Niemand om mee te praten op zondag."
GREEN = "In het park zijn alle bomen gekapt en het grasveld is een hondentoilet geworden."


# ----------------------------------------------------------------------------- rounds


def test_a_community_worker_sets_up_a_round_with_themes_and_questions():
    story_round = open_round()
    assert story_round.municipality_code == "GM0193"
    assert [t.label for t in story_round.themes.all()] == ["Eenzaamheid", "Groen", "Verkeer"]
    assert [q.kind for q in story_round.questions.all()] == ["dyad", "triad", "choice"]
    assert AuditEvent.objects.filter(action="stories.round_created").count() == 1


def test_a_resident_or_a_worker_without_a_welfare_organisation_may_not_set_up_a_round():
    wijk = area()
    org = welfare_org(wijk)
    for person in (UserFactory(), UserFactory(roles=["civil_servant"])):
        with pytest.raises(StoryError) as exc:
            services.create_round(
                data=round_data([wijk], org), origin=Origin(actor=person), municipality="GM0193"
            )
        assert exc.value.code == "forbidden"


def test_areas_must_lie_in_one_municipality():
    wijk, elsewhere = area(), area("WK036301", "Centrum")
    org = welfare_org(wijk)
    with pytest.raises(StoryError) as exc:
        services.create_round(
            data=round_data([wijk, elsewhere], org),
            origin=Origin(actor=make_worker(org)),
            municipality="GM0193",
        )
    assert exc.value.field == "areas"


def test_at_most_one_triad_per_round_in_the_service_and_in_the_database():
    wijk = area()
    org = welfare_org(wijk)
    triad = services.QuestionData(QuestionKind.TRIAD, "Wie?", ["a", "b", "c"])
    with pytest.raises(StoryError) as exc:
        services.create_round(
            data=round_data([wijk], org, questions=[triad, triad]),
            origin=Origin(actor=make_worker(org)),
            municipality="GM0193",
        )
    assert exc.value.code == "triad"
    story_round = open_round()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(
            round=story_round, kind="triad", text="Nog een", labels=["a", "b", "c"]
        )


def test_parse_themes_and_questions_give_specific_errors():
    assert services.parse_themes("Wonen: huur, onderhoud\nZorg") == [
        ("Wonen", "huur, onderhoud"),
        ("Zorg", ""),
    ]
    with pytest.raises(StoryError, match="twice|twee"):
        services.parse_themes("Zorg\nzorg: dubbel")
    with pytest.raises(StoryError, match="Line 1|Regel 1"):
        services.parse_questions("Alleen een vraag | een pool", "dyad")
    with pytest.raises(StoryError):
        services.parse_questions("Vraag | a | b", "triad")


def test_questions_are_locked_once_stories_exist_but_themes_may_change():
    story_round = open_round()
    tell(story_round, LONELY)
    worker = worker_for(story_round)
    changed = round_data(
        list(story_round.areas.all()),
        story_round.organisation,
        questions=[services.QuestionData("dyad", "Anders?", ["nee", "ja"])],
    )
    with pytest.raises(StoryError) as exc:
        services.update_round(story_round=story_round, data=changed, origin=Origin(actor=worker))
    assert exc.value.code == "questions_locked"
    same = round_data(
        list(story_round.areas.all()),
        story_round.organisation,
        themes=[("Eenzaamheid", "alleen"), ("Armoede", "geld")],
        questions=[
            services.QuestionData(q.kind, q.text, q.labels) for q in story_round.questions.all()
        ],
    )
    services.update_round(story_round=story_round, data=same, origin=Origin(actor=worker))
    assert [t.label for t in story_round.themes.all()] == ["Eenzaamheid", "Armoede"]


# ----------------------------------------------------------------------------- telling


def _questions(story_round):
    return {q.kind: q for q in story_round.questions.all()}


def test_telling_a_story_masks_it_and_normalises_the_answers():
    story_round = open_round()
    q = _questions(story_round)
    story, code = tell(
        story_round,
        "Mijn buurvrouw Fatima (06-12345678, fatima@example.nl) woont op de Kerkstraat 12 "
        "in Wijk 01 Binnenstad en helpt mij elke week.",
        answers={q["dyad"].pk: 0.75, q["triad"].pk: [60, 30, 30], q["choice"].pk: 1},
        age_band="65+",
    )
    assert "Fatima" not in story.masked_text and "12345678" not in story.masked_text
    assert "example.nl" not in story.masked_text and "Kerkstraat 12" not in story.masked_text
    assert "Wijk 01 Binnenstad" in story.masked_text  # the round's own place names stay
    values = {a.question.kind: a.value for a in story.answers.select_related("question")}
    assert values == {"dyad": 0.75, "triad": [0.5, 0.25, 0.25], "choice": 1}
    assert sum(values["triad"]) == pytest.approx(1)
    assert len(code) == 14 and story.withdrawal_code_hash and code not in story.withdrawal_code_hash


def test_not_applicable_answers_are_stored_as_null():
    story_round = open_round()
    q = _questions(story_round)
    story, _code = tell(story_round, LONELY, answers={q["dyad"].pk: None, q["triad"].pk: None})
    assert set(Answer.objects.filter(story=story).values_list("value", flat=True)) == {None}


@pytest.mark.parametrize(
    ("kind", "raw"),
    [("dyad", 1.5), ("dyad", "abc"), ("triad", [0, 0, 0]), ("triad", [1, -1, 1]), ("choice", 7)],
)
def test_bad_answers_get_a_specific_error(kind, raw):
    story_round = open_round()
    q = _questions(story_round)[kind]
    with pytest.raises(StoryError) as exc:
        tell(story_round, LONELY, answers={q.pk: raw})
    assert exc.value.field == f"q{q.pk}"
    assert Story.objects.count() == 0


def test_a_closed_or_draft_round_refuses_stories():
    for status in ("closed", "draft"):
        story_round = open_round(status=status)
        with pytest.raises(StoryError) as exc:
            tell(story_round, LONELY)
        assert exc.value.code == "closed"
    late = open_round(
        closes_at=timezone.now() - timedelta(minutes=1), opens_at=timezone.now() - timedelta(days=2)
    )
    with pytest.raises(StoryError):
        tell(late, LONELY)


def test_contact_details_are_kept_only_when_contact_is_allowed():
    story_round = open_round()
    story, _ = tell(
        story_round, LONELY, may_contact=False, contact_channel="email", contact_detail="a@b.nl"
    )
    assert (story.may_contact, story.contact_channel, story.contact_detail) == (False, "", "")
    with pytest.raises(StoryError) as exc:
        tell(
            story_round,
            LONELY,
            may_contact=True,
            contact_channel="email",
            contact_detail="geen mail",
        )
    assert exc.value.field == "contact_detail"
    story, _ = tell(
        story_round, LONELY, may_contact=True, contact_channel="worker", contact_detail="x"
    )
    assert story.contact_detail == ""


def test_a_worker_records_a_story_on_behalf_with_consent_audited():
    story_round = open_round()
    worker = worker_for(story_round)
    data = services.StoryData(text=LONELY, consent="professionals", consent_how="spoken")
    story, _ = services.tell_story(
        story_round=story_round, data=data, origin=Origin(actor=worker), on_behalf=True
    )
    assert story.teller is None and story.recorded_by == worker
    assert story.consent_how == "spoken" and story.consent_at is not None
    event = AuditEvent.objects.get(action="stories.story_recorded_on_behalf")
    assert event.actor == worker and event.details["consent_how"] == "spoken"
    with pytest.raises(StoryError) as exc:
        services.tell_story(
            story_round=story_round,
            data=services.StoryData(text=LONELY, consent="analysis", consent_how="online"),
            origin=Origin(actor=worker),
            on_behalf=True,
        )
    assert exc.value.code == "consent_how"
    with pytest.raises(StoryError) as exc:
        services.tell_story(
            story_round=story_round, data=data, origin=Origin(actor=UserFactory()), on_behalf=True
        )
    assert exc.value.code == "forbidden"


# ----------------------------------------------------------------------------- withdrawal


def test_withdrawing_with_the_code_removes_the_content_for_good():
    story_round = open_round()
    q = _questions(story_round)
    story, code = tell(
        story_round,
        LONELY,
        answers={q["dyad"].pk: 0.5},
        may_contact=True,
        contact_channel="phone",
        contact_detail="06 12345678",
    )
    adapters.analyse_round(story_round)
    services.withdraw_with_code(code=code.lower().replace("-", " "), origin=Origin.system())
    story.refresh_from_db()
    assert story.withdrawn_at is not None
    assert (story.text, story.masked_text, story.contact_detail) == ("", "", "")
    assert not story.answers.exists() and not story.story_themes.exists()
    assert not Story.objects.visible().filter(pk=story.pk).exists()
    assert AuditEvent.objects.filter(action="stories.story_withdrawn").count() == 1
    with pytest.raises(StoryError) as exc:
        services.withdraw_with_code(code="AAAA-BBBB-CCCC", origin=Origin.system())
    assert exc.value.field == "code"


def test_only_the_signed_in_teller_withdraws_without_a_code():
    story_round = open_round()
    teller = UserFactory()
    story, _ = services.tell_story(
        story_round=story_round,
        data=services.StoryData(text=LONELY, consent="public_anon"),
        origin=Origin(actor=teller),
    )
    with pytest.raises(StoryError):
        services.withdraw_story(story=story, origin=Origin(actor=UserFactory()))
    services.withdraw_story(story=story, origin=Origin(actor=teller))
    assert Story.objects.visible().count() == 0


# ----------------------------------------------------------------------------- analysis


def test_analysis_assigns_themes_and_similar_stories_from_visible_stories_only():
    story_round = open_round()
    lonely, _ = tell(story_round, LONELY)
    lonely2, code = tell(
        story_round, "Ik ben vaak alleen en heb niemand om mee te praten, ook op zondag."
    )
    green, _ = tell(story_round, GREEN)
    adapters.analyse_round(story_round)
    themes = dict(StoryTheme.objects.values_list("story_id", "theme__label"))
    assert themes[lonely.pk] == "Eenzaamheid" and themes[green.pk] == "Groen"
    lonely.refresh_from_db()
    assert lonely.similar[0] == lonely2.pk
    services.withdraw_with_code(code=code, origin=Origin.system())
    adapters.analyse_round(story_round)
    lonely.refresh_from_db()
    assert lonely2.pk not in lonely.similar
    assert not StoryTheme.objects.filter(story=lonely2).exists()


def test_a_professional_label_overrides_the_analysis_and_survives_it():
    story_round = open_round()
    lonely, _ = tell(story_round, LONELY)
    tell(story_round, GREEN)
    adapters.analyse_round(story_round)
    worker = worker_for(story_round)
    eenzaam = story_round.themes.get(label="Eenzaamheid")
    verkeer = story_round.themes.get(label="Verkeer")
    services.label_theme(story=lonely, theme=eenzaam, on=False, origin=Origin(actor=worker))
    services.label_theme(story=lonely, theme=verkeer, on=True, origin=Origin(actor=worker))
    adapters.analyse_round(story_round)
    links = {st.theme.label: st for st in lonely.story_themes.select_related("theme")}
    assert links["Eenzaamheid"].rejected and links["Eenzaamheid"].source == ThemeSource.PROFESSIONAL
    assert not links["Verkeer"].rejected and links["Verkeer"].labelled_by == worker
    with pytest.raises(StoryError):
        services.label_theme(
            story=lonely, theme=verkeer, on=True, origin=Origin(actor=UserFactory())
        )


def test_the_analysis_task_runs_for_a_round():
    from ..tasks import analyse_round

    story_round = open_round()
    tell(story_round, LONELY)
    assert analyse_round.func.__wrapped__(round_id=story_round.pk)["stories"] == 1


# ----------------------------------------------------------------------------- export


def test_the_researcher_export_is_masked_anonymous_without_withdrawn_stories_and_audited():
    story_round = open_round()
    q = _questions(story_round)
    tell(
        story_round,
        "Bel Jan op 06-12345678 over het park, de bomen zijn weg.",
        answers={q["triad"].pk: [1, 1, 2]},
        age_band="25-44",
    )
    _gone, code = tell(story_round, "Deze tekst trek ik later weer in, dat is mijn goed recht.")
    services.withdraw_with_code(code=code, origin=Origin.system())
    worker = worker_for(story_round)
    content, count = services.export_round(
        story_round=story_round, fmt="jsonl", origin=Origin(actor=worker)
    )
    records = [json.loads(line) for line in content.decode().splitlines()]
    assert count == 1 and len(records) == 1
    assert "06-12345678" not in records[0]["text"] and "Jan" not in records[0]["text"]
    assert records[0]["answers"]["Wie maakte het verschil?"] == [0.25, 0.25, 0.5]
    assert set(records[0]) == {
        "story",
        "area_code",
        "area",
        "month",
        "age_band",
        "teller_role",
        "consent",
        "text",
        "themes",
        "answers",
        "generalised",
    }
    # One story is a group of one: its age band and role are left out.
    assert records[0]["age_band"] == records[0]["teller_role"] == ""
    assert "age_band" in records[0]["generalised"]
    csv_content, _ = services.export_round(
        story_round=story_round, fmt="csv", origin=Origin(actor=worker)
    )
    assert b"12345678" not in csv_content and b"trek ik later" not in csv_content
    assert AuditEvent.objects.filter(action="stories.round_exported").count() == 2
    with pytest.raises(StoryError):
        services.export_round(
            story_round=story_round, fmt="csv", origin=Origin(actor=UserFactory())
        )


def test_themes_nobody_listed_are_discovered_among_visible_stories():
    from ..queries import discovered_themes

    story_round = open_round()
    codes = []
    for text in [
        "De bibliotheek gaat dicht, waar moet ik nu boeken lenen?",
        "Zonder bibliotheek kan mijn zoon geen boeken meer lenen voor school.",
        "Ik leende elke week boeken in de bibliotheek, die gaat nu dicht.",
        "De bibliotheek sluit en de boeken gaan weg uit de wijk.",
    ]:
        story, code = tell(story_round, text)
        codes.append((story.pk, code))
    adapters.analyse_round(story_round)
    found = discovered_themes(story_round)
    assert found and "bibliotheek" in found[0]["keywords"] and found[0]["n"] >= 3
    before = found[0]["n"]
    member = found[0]["examples"][0].pk
    services.withdraw_with_code(code=dict(codes)[member], origin=Origin.system())
    assert discovered_themes(story_round)[0]["n"] == before - 1  # also before the next analysis
    adapters.analyse_round(story_round)
    story_round.refresh_from_db()
    assert all(member not in t["stories"] for t in story_round.discovered_themes)


def test_a_burst_of_analysis_requests_analyses_the_round_once(django_capture_on_commit_callbacks):
    from ..tasks import analyse_round

    story_round = open_round()
    with django_capture_on_commit_callbacks() as callbacks:
        tell(story_round, LONELY)
        tell(story_round, GREEN)
    assert len(callbacks) == 2  # one request per story
    requested = timezone.now().isoformat()
    run = analyse_round.func.__wrapped__
    assert run(round_id=story_round.pk, requested_at=requested)["stories"] == 2
    assert run(round_id=story_round.pk, requested_at=requested) == {"skipped": True}
    # a later change (a withdrawal) is analysed again
    story = story_round.stories.first()
    later = timezone.now().isoformat()
    Story.objects.filter(pk=story.pk).update(analysed_at=None)
    assert run(round_id=story_round.pk, requested_at=later)["stories"] == 2


def test_bulk_entry_asks_for_one_analysis_per_round_dated_at_the_first_story(
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    def enqueued():
        rows = DBTaskResult.objects.filter(task_path__endswith="analyse_round").order_by("pk")
        return [row.args_kwargs["kwargs"] for row in rows]

    first, second = open_round(), open_round()
    before = timezone.now().isoformat()
    with django_capture_on_commit_callbacks(execute=True), services.one_analysis_per_round():
        tell(first, LONELY)
        with services.one_analysis_per_round():  # nested blocks join the outer one
            tell(second, GREEN)
        tell(first, GREEN)
        tell(second, LONELY)
        assert enqueued() == []
    assert sorted(e["round_id"] for e in enqueued()) == sorted([first.pk, second.pk])
    assert all(before <= e["requested_at"] <= timezone.now().isoformat() for e in enqueued())
    stamps = {e["round_id"]: e["requested_at"] for e in enqueued()}
    assert stamps[first.pk] < stamps[second.pk]  # the first request of each round
    # outside a block every story asks again
    with django_capture_on_commit_callbacks(execute=True):
        tell(first, LONELY)
    assert len(enqueued()) == 3


def test_stories_saved_before_an_error_in_bulk_entry_are_still_analysed(
    django_capture_on_commit_callbacks,
):
    story_round = open_round()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        services.one_analysis_per_round(),
    ):
        tell(story_round, LONELY)
        raise RuntimeError("stop")
    assert len(callbacks) == 1
    # the block is gone afterwards: each story asks again
    with django_capture_on_commit_callbacks() as callbacks:
        tell(story_round, GREEN)
        tell(story_round, LONELY)
    assert len(callbacks) == 2


def test_a_story_withdrawn_while_the_analysis_runs_gets_nothing_of_it_back():
    story_round = open_round()
    lonely, _ = tell(story_round, LONELY)
    lonely2, code = tell(
        story_round, "Ik ben vaak alleen en heb niemand om mee te praten, ook op zondag."
    )
    tell(story_round, GREEN)
    # The analysis reads the stories without a lock ...
    stories = list(story_round.stories.visible().order_by("pk"))
    adapters._assign_themes(story_round, stories)
    adapters._similar(stories, "lexical")
    for story in stories:  # as the embeddings backend leaves them
        story.vector = {"embeddings": [0.5, 0.5]}
    read_lonely = next(s for s in stories if s.pk == lonely.pk)
    assert lonely2.pk in read_lonely.similar
    # ... a teller withdraws meanwhile ...
    services.withdraw_with_code(code=code, origin=Origin.system())
    # ... and the write comes after.
    kept = adapters._save_results(story_round, stories, timezone.now())
    assert lonely2.pk not in {s.pk for s in kept}
    lonely2.refresh_from_db()
    assert lonely2.vector is None and lonely2.similar == [] and lonely2.analysed_at is None
    assert not StoryTheme.objects.filter(story=lonely2).exists()
    lonely.refresh_from_db()
    assert lonely.vector == {"embeddings": [0.5, 0.5]} and lonely2.pk not in lonely.similar
