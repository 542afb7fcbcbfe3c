"""The demo story rounds: one per demo municipality, fifty stories each, analysed, idempotent."""

import pytest

from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE, load_bundled_municipality
from buurtbasis.portal.demo import initiatives as demo
from buurtbasis.portal.demo.stories import load_demo_stories
from buurtbasis.stories.models import Story, StoryRound, StoryTheme

pytestmark = pytest.mark.django_db


def test_demo_story_rounds():
    zwolle = load_bundled_municipality(ZWOLLE_CODE)
    rotterdam = load_bundled_municipality(ROTTERDAM_CODE)
    demo.load_people_and_initiatives(gemeente=zwolle)
    demo.load_second_municipality(gemeente=rotterdam, zwolle=zwolle)
    assert load_demo_stories() == ["verhalen-zwolle-centrum-2026", "verhalen-maasoever-2026"]
    assert StoryRound.objects.in_municipality(ZWOLLE_CODE).count() == 1
    assert StoryRound.objects.in_municipality(ROTTERDAM_CODE).count() == 1
    for story_round in StoryRound.objects.all():
        assert story_round.status == "open" and story_round.is_accepting()
        assert story_round.stories.visible().count() == 50
        assert story_round.themes.count() >= 12
    assert StoryTheme.objects.count() > 30
    assert Story.objects.exclude(similar=[]).count() > 50
    assert load_demo_stories() == []
    assert Story.objects.count() == 100
