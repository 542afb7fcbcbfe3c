"""Read-only queries of the stories app (every one starts from ``Story.objects.visible()``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from buurtbasis.platform.forms import parse_id

from .models import AgeBand, Consent, Story, StoryRound, StoryTheme, TellerRole


@dataclass
class StoryFilters:
    area: int | None = None
    theme: int | None = None
    age_band: str | None = None
    teller_role: str | None = None
    consent: str | None = None

    @classmethod
    def from_query(cls, params) -> StoryFilters:
        def as_int(name):
            return parse_id(params.get(name, ""))

        def choice(name, values):
            value = params.get(name)
            return value if value in values else None

        return cls(
            area=as_int("wijk"),
            theme=as_int("thema"),
            age_band=choice("leeftijd", [v for v in AgeBand.values if v]),
            teller_role=choice("rol", TellerRole.values),
            consent=choice("toestemming", Consent.values),
        )


def _themes_prefetch():
    return Prefetch(
        "story_themes",
        queryset=StoryTheme.objects.filter(rejected=False).select_related("theme"),
        to_attr="shown_themes",
    )


def round_stories(story_round: StoryRound, filters: StoryFilters | None = None) -> QuerySet:
    """The visible stories of a round for its professionals, filtered."""
    qs = story_round.stories.visible().select_related("area").prefetch_related(_themes_prefetch())
    f = filters or StoryFilters()
    if f.area:
        qs = qs.filter(area_id=f.area)
    if f.theme:
        qs = qs.filter(story_themes__theme_id=f.theme, story_themes__rejected=False)
    if f.age_band:
        qs = qs.filter(age_band=f.age_band)
    if f.teller_role:
        qs = qs.filter(teller_role=f.teller_role)
    if f.consent:
        qs = qs.filter(consent=f.consent)
    return qs.distinct()


def public_stories(story_round: StoryRound) -> QuerySet:
    """Stories whose teller allowed an anonymised quote in public (shown masked)."""
    return story_round.stories.public().select_related("area").prefetch_related(_themes_prefetch())


def theme_counts(story_round: StoryRound, stories: QuerySet | None = None) -> list:
    """Each theme of the round with the number of visible stories about it."""
    visible = Q(story_themes__rejected=False, story_themes__story__withdrawn_at__isnull=True)
    if stories is not None:
        visible &= Q(story_themes__story__in=stories.values("pk"))
    return list(
        story_round.themes.annotate(
            n_stories=Count("story_themes__story", filter=visible, distinct=True)
        ).order_by("-n_stories", "order")
    )


def similar_stories(story: Story, *, public: bool = False) -> list[Story]:
    """The stored similar stories that are still visible (and public, when asked)."""
    ids = [i for i in (story.similar or []) if isinstance(i, int)]
    if not ids:
        return []
    qs = Story.objects.visible().filter(pk__in=ids, round_id=story.round_id)
    if public:
        qs = qs.filter(consent=Consent.PUBLIC_ANON)
    found = {s.pk: s for s in qs}
    return [found[i] for i in ids if i in found]


def discovered_themes(story_round: StoryRound, *, examples: int = 2) -> list[dict]:
    """The round's discovered themes with their still-visible stories (a few as examples)."""
    stored = story_round.discovered_themes or []
    ids = {i for t in stored for i in t.get("stories", []) if isinstance(i, int)}
    visible = {s.pk: s for s in story_round.stories.visible().filter(pk__in=ids)}
    out = []
    for t in stored:
        members = [visible[i] for i in t.get("stories", []) if i in visible]
        if members:
            out.append(
                {
                    "label": t.get("label", ""),
                    "keywords": t.get("keywords", []),
                    "n": len(members),
                    "examples": members[:examples],
                }
            )
    return out
