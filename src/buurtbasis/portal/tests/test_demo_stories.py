"""The demo story rounds: two per demo municipality, about 300 stories over their wijken,
varied answers and dates, each round analysed once, idempotent."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE, load_bundled_municipality
from buurtbasis.portal.demo import initiatives as demo
from buurtbasis.portal.demo.stories import ROUNDS, load_demo_stories
from buurtbasis.stories.models import Answer, Story, StoryRound, StoryTheme
from buurtbasis.stories.tasks import analyse_round

pytestmark = pytest.mark.django_db


def test_demo_story_rounds(django_capture_on_commit_callbacks):
    zwolle = load_bundled_municipality(ZWOLLE_CODE)
    rotterdam = load_bundled_municipality(ROTTERDAM_CODE)
    demo.load_people_and_initiatives(gemeente=zwolle)
    demo.load_second_municipality(gemeente=rotterdam, zwolle=zwolle)
    with django_capture_on_commit_callbacks(execute=True):
        assert load_demo_stories() == [spec["slug"] for spec in ROUNDS]
    now = timezone.now()
    for code in (ZWOLLE_CODE, ROTTERDAM_CODE):
        rounds = StoryRound.objects.in_municipality(code)
        assert sorted(r.status for r in rounds) == ["closed", "open"]
        wijken = {a.pk for a in rotterdam.children.all()} | {a.pk for a in zwolle.children.all()}
        for story_round in rounds:
            visible = story_round.stories.visible()
            assert visible.count() == 76
            assert story_round.themes.count() >= 12
            # every wijk of the round has stories; all lie in the round's wijken
            assert set(story_round.areas.values_list("pk", flat=True)) <= set(
                visible.values_list("area", flat=True)
            )
            assert set(visible.exclude(area=None).values_list("area", flat=True)) <= wijken
            told = [s.told_at for s in visible]
            assert story_round.opens_at <= min(told)
            assert max(told) <= min(now, story_round.closes_at)
            assert (max(told) - min(told)).days >= 40
            assert story_round.is_accepting() == (story_round.status == "open")
    stories = Story.objects.visible()
    assert stories.count() == 304
    assert len(set(stories.values_list("text", flat=True))) == 304
    assert {"public_anon", "professionals", "analysis"} <= set(
        stories.values_list("consent", flat=True)
    )
    assert len(set(stories.values_list("age_band", flat=True))) >= 4
    assert {"resident", "volunteer", "professional"} <= set(
        stories.values_list("teller_role", flat=True)
    )
    assert stories.exclude(recorded_by=None).exists()  # some from a kitchen table
    assert stories.filter(area=None).exists()  # a few without a wijk
    contact = stories.filter(may_contact=True)
    assert contact.exists() and set(contact.values_list("contact_channel", flat=True)) == {"worker"}
    assert not stories.exclude(contact_detail="").exists()
    dyads = [a.value for a in Answer.objects.filter(question__kind="dyad")]
    assert len({round(v, 1) for v in dyads if v is not None}) >= 8
    assert None in dyads  # n.v.t.
    triads = [a.value for a in Answer.objects.filter(question__kind="triad")]
    triads = [t for t in triads if t is not None]
    assert len(triads) > 200 and all(abs(sum(t) - 1) < 1e-3 for t in triads)
    assert StoryTheme.objects.count() > 100
    assert Story.objects.exclude(similar=[]).count() > 200
    # one analysis request per round, and it finds the round already analysed
    requests = DBTaskResult.objects.filter(task_path__endswith="analyse_round")
    assert requests.count() == len(ROUNDS)
    run = analyse_round.func.__wrapped__
    assert all(run(**r.args_kwargs["kwargs"]) == {"skipped": True} for r in requests)

    assert load_demo_stories() == []
    assert Story.objects.count() == 304
