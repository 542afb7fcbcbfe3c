"""Story rows <-> buurtcore.text: masking, theme assignment and similar stories.

The only module of the app that imports ``buurtcore``. Analysis reads visible stories
only (``Story.objects.visible()``): a withdrawn story never feeds a theme model, an
example, a vector or a neighbour list.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from buurtcore.text.mask import mask
from buurtcore.text.similar import LexicalEncoder, nearest
from buurtcore.text.themes import Theme as CoreTheme
from buurtcore.text.themes import ThemeModel, discover_themes
from buurtcore.text.tokens import lemmas

from .models import Story, StoryRound, StoryTheme, ThemeSource

#: How many similar stories are kept per story, and the lowest cosine that counts.
SIMILAR_K = 5
SIMILAR_MIN = 0.12


def place_names(story_round: StoryRound) -> list[str]:
    """Names of the round's areas (and their short names), kept unmasked."""
    names: list[str] = []
    for area in story_round.areas.all():
        names += [area.name, area.short_name]
    return names


def mask_story(text: str, story_round: StoryRound) -> str:
    """The text with personal data masked; the round's place names stay."""
    return mask(text, keep=place_names(story_round))


def _assign_themes(story_round: StoryRound, stories: list[Story]) -> int:
    themes = list(story_round.themes.all())
    if not themes or not stories:
        StoryTheme.objects.filter(story__round=story_round, source=ThemeSource.AUTO).delete()
        return 0
    labelled = StoryTheme.objects.filter(
        story__in=stories, source=ThemeSource.PROFESSIONAL
    ).values_list("story_id", "theme_id", "rejected")
    professional: dict[int, set[int]] = {}
    decided: set[tuple[int, int]] = set()
    for story_id, theme_id, rejected in labelled:
        decided.add((story_id, theme_id))
        if not rejected:
            professional.setdefault(story_id, set()).add(theme_id)
    by_id = {s.pk: s for s in stories}
    examples = [
        (lemmas(by_id[sid].text), [str(t) for t in tids]) for sid, tids in professional.items()
    ]
    model = ThemeModel([CoreTheme(str(t.pk), t.label, t.description) for t in themes])
    corpus = [lemmas(s.text) for s in stories]
    model.fit(corpus, examples)
    assigned = model.assign(model.scores(corpus))
    rows = [
        StoryTheme(story=story, theme_id=int(tid), score=score, source=ThemeSource.AUTO)
        for story, chosen in zip(stories, assigned, strict=True)
        for tid, score in chosen
        if (story.pk, int(tid)) not in decided
    ]
    StoryTheme.objects.filter(story__round=story_round, source=ThemeSource.AUTO).delete()
    StoryTheme.objects.bulk_create(rows)
    return len(rows)


def _similar(stories: list[Story]) -> None:
    if len(stories) < 2:
        for story in stories:
            story.similar = []
        return
    vectors = LexicalEncoder().fit([s.text for s in stories]).encode([s.text for s in stories])
    for i, story in enumerate(stories):
        idx, cos = nearest(vectors, vectors[i], SIMILAR_K, exclude=i)
        story.similar = [stories[j].pk for j, c in zip(idx, cos, strict=True) if c >= SIMILAR_MIN]


def _discover(story_round: StoryRound, stories: list[Story]) -> None:
    """Themes nobody listed, in the visible stories that have no (accepted) theme."""
    themed = set(
        StoryTheme.objects.filter(story__in=stories, rejected=False).values_list(
            "story_id", flat=True
        )
    )
    rest = [s for s in stories if s.pk not in themed]
    found = discover_themes([str(s.pk) for s in rest], [lemmas(s.text) for s in rest])
    story_round.discovered_themes = [
        {"label": t.label, "keywords": t.keywords, "stories": [int(i) for i in t.stories]}
        for t in found
    ]
    story_round.save(update_fields=["discovered_themes"])


@transaction.atomic
def analyse_round(story_round: StoryRound) -> dict:
    """Assign themes to the round's visible stories and find similar ones.

    Professional labels are kept and used as examples; automatic labels are replaced.
    Returns a small summary (kept as the task's result).
    """
    stories = list(story_round.stories.visible().order_by("pk"))
    assigned = _assign_themes(story_round, stories)
    _similar(stories)
    _discover(story_round, stories)
    now = timezone.now()
    for story in stories:
        story.analysed_at = now
    Story.objects.bulk_update(stories, ["similar", "analysed_at"], batch_size=500)
    # Withdrawn stories keep nothing of the analysis.
    story_round.stories.filter(withdrawn_at__isnull=False).exclude(similar=[]).update(similar=[])
    return {"stories": len(stories), "themes_assigned": assigned}
