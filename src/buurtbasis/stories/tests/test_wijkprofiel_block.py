"""The stories' block on the wijkprofiel: per theme its most characteristic public quote,
and the words that stand out in the area's stories of the last days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from .. import blocks
from ..models import Story, StoryTheme, Theme, ThemeSource
from .factories import open_round, tell

pytestmark = pytest.mark.django_db

PLAYGROUND = [
    ("De speeltuin is kapot en de schommel hangt scheef.", 0.9, "public_anon"),
    ("De speeltuin is vies, kinderen spelen er niet meer.", 0.5, "public_anon"),
    ("Bij de speeltuin liggen scherven, de speeltuin is gevaarlijk.", 0.95, "professionals"),
]
BUS = [
    ("De bus rijdt op zondag niet, de bus is altijd laat.", 0.4, "public_anon"),
    ("Geen bus meer naar het ziekenhuis, de bus is weg.", 0.7, "public_anon"),
]


@pytest.fixture
def profile():
    cache.clear()
    story_round = open_round()
    wijk = story_round.areas.order_by("code").first()
    themes = {
        label: Theme.objects.create(round=story_round, label=label, order=i)
        for i, label in enumerate(["Spelen", "Vervoer"])
    }
    for label, rows in (("Spelen", PLAYGROUND), ("Vervoer", BUS)):
        for text, score, consent in rows:
            story, _ = tell(story_round, text, area=wijk, consent=consent)
            StoryTheme.objects.filter(story=story).delete()
            StoryTheme.objects.create(
                story=story, theme=themes[label], score=score, source=ThemeSource.AUTO
            )
    # An older story elsewhere in time: not in the keywords of the last days.
    old, _ = tell(story_round, "Het park en het park en het park.", area=wijk)
    Story.objects.filter(pk=old.pk).update(told_at=timezone.now() - dt.timedelta(days=200))
    blocks.stories_changed()
    return wijk


def test_each_theme_shows_its_most_characteristic_public_quote(profile):
    block = blocks.wijkprofiel_block(None, area=profile)
    quotes = {t["label"]: t["quote"] for t in block["themes"]}
    # The best-scoring story of "Spelen" is for professionals only: the next one is shown.
    assert quotes == {"Spelen": PLAYGROUND[0][0], "Vervoer": BUS[1][0]}
    assert block["quotes"] == []  # not also the newest three


def test_a_withdrawn_characteristic_quote_is_gone_at_once_though_counts_are_cached(profile):
    blocks.wijkprofiel_block(None, area=profile)
    Story.objects.filter(masked_text=BUS[1][0]).update(withdrawn_at=timezone.now())
    block = blocks.wijkprofiel_block(None, area=profile)
    assert {t["label"]: t["quote"] for t in block["themes"]}["Vervoer"] == BUS[0][0]


def test_the_keywords_are_those_of_the_area_in_the_last_days(profile):
    story_round = Story.objects.filter(area=profile).first().round
    elsewhere = story_round.areas.exclude(pk=profile.pk).get()
    for text in ["Het park is mooi.", "In het park is het rustig.", "Het park en de bomen."]:
        tell(story_round, text + " De bus is er ook.", area=elsewhere)
    words = blocks.keywords_for(profile)
    assert words[0] == "speeltuin"
    assert "park" not in words  # told 200 days ago here, and elsewhere now


def test_the_block_shows_the_keywords_of_the_profile_snapshot_and_never_computes_them(
    profile, monkeypatch
):
    def computed(*args, **kwargs):
        raise AssertionError("keywords are computed by the background refresh, not per request")

    monkeypatch.setattr(blocks, "keywords_for", computed)
    block = blocks.wijkprofiel_block(None, area=profile, profile={"story_keywords": ["speeltuin"]})
    assert block["keywords"] == ["speeltuin"]
    assert blocks.wijkprofiel_block(None, area=profile)["keywords"] == []  # no snapshot yet


def test_the_page_shows_the_quote_per_theme_and_the_keywords(client, profile):
    from django.urls import reverse

    story_round = Story.objects.filter(area=profile).first().round
    elsewhere = story_round.areas.exclude(pk=profile.pk).get()
    for text in ["Het park is mooi en groen.", "In het park is het rustig."]:
        tell(story_round, text + " De bus is er ook.", area=elsewhere)

    text = client.get(reverse("areas:profile", args=[profile.slug])).content.decode()
    assert PLAYGROUND[0][0] in text
    assert PLAYGROUND[2][0] not in text  # for professionals only
    # the first view computed the snapshot, with the keywords of the recent stories
    keywords = text.split('class="profile-keywords">', 1)[1].split("</ul>", 1)[0]
    assert keywords.startswith("<li>speeltuin</li>"), keywords


def test_many_strong_stories_of_one_theme_do_not_crowd_out_another_themes_quote(profile):
    story_round = Story.objects.filter(area=profile).first().round
    playing = Theme.objects.get(round=story_round, label="Spelen")
    for i in range(blocks.QUOTE_CANDIDATES + 3):
        story, _ = tell(story_round, f"De speeltuin is een feest, nummer {i}.", area=profile)
        StoryTheme.objects.filter(story=story).delete()
        StoryTheme.objects.create(story=story, theme=playing, score=0.99, source=ThemeSource.AUTO)
    block = blocks.wijkprofiel_block(None, area=profile)
    assert {t["label"]: t["quote"] for t in block["themes"]}["Vervoer"] == BUS[1][0]


def test_with_stored_candidates_the_request_only_reads_them_again(profile, monkeypatch):
    stored = {"profile": {"story_quote_candidates": blocks.quote_candidates(profile)}}
    assert stored["profile"]["story_quote_candidates"]["Vervoer"][0] == (
        Story.objects.get(masked_text=BUS[1][0]).pk
    )

    def searched(*args, **kwargs):
        raise AssertionError("the candidates are found by the background refresh")

    monkeypatch.setattr(blocks, "_candidate_rows", searched)
    block = blocks.wijkprofiel_block(None, area=profile, **stored)
    assert {t["label"]: t["quote"] for t in block["themes"]}["Vervoer"] == BUS[1][0]
    # withdrawn after the snapshot was made: the next candidate, at once
    Story.objects.filter(masked_text=BUS[1][0]).update(withdrawn_at=timezone.now())
    block = blocks.wijkprofiel_block(None, area=profile, **stored)
    assert {t["label"]: t["quote"] for t in block["themes"]}["Vervoer"] == BUS[0][0]
