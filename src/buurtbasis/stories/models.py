"""Story rounds: residents tell what the figures miss, and answer questions about their story.

A community worker sets up a round (prompt, areas, period, themes, self-signification
questions); residents tell stories, anonymously or signed in, or a worker records one
on their behalf. A withdrawn story is gone from every view, analysis, export and index:
every query that shows, counts or analyses stories starts from ``Story.objects.visible()``.
Everything that leaves the professionals uses ``Story.masked_text``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for stories")
    CLOSED = "closed", _("Closed")


class StoryRoundQuerySet(models.QuerySet):
    def in_municipality(self, code: str):
        """Rounds of the municipality with this CBS code (taken from their areas)."""
        return self.filter(municipality_code=code)


class StoryRound(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    prompt = models.TextField(_("prompt"))
    description = models.TextField(_("description"), blank=True)
    #: Shown on the thank-you page: what happens with the stories of this round.
    next_steps = models.TextField(_("what happens next"), blank=True)
    #: CBS code of the gemeente all areas of the round lie in (set from the areas).
    municipality_code = models.CharField(_("municipality CBS code"), max_length=16, db_index=True)
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas"), related_name="story_rounds"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(
        _("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="story_rounds",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_story_rounds",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: Themes nobody listed, found in the stories that fit no theme (set by the analysis
    #: task): ``[{"label", "keywords", "stories": [story ids]}]``.
    discovered_themes = models.JSONField(
        _("discovered themes"), default=list, blank=True, editable=False
    )
    #: How the last analysis found similar stories: "embeddings" (by meaning, the
    #: multilingual model) or "lexical" (by shared words); empty before the first analysis.
    similar_backend = models.CharField(
        _("similar stories found with"), max_length=16, blank=True, default="", editable=False
    )

    objects = StoryRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("story round")
        verbose_name_plural = _("story rounds")
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="story_round_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_accepting(self, now=None) -> bool:
        """Open, and now lies within the period."""
        now = now or timezone.now()
        return self.status == RoundStatus.OPEN and self.opens_at <= now < self.closes_at


class Theme(models.Model):
    round = models.ForeignKey(
        StoryRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="themes"
    )
    label = models.CharField(_("label"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["round", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "label"], name="unique_story_theme_label")
        ]

    def __str__(self) -> str:
        return self.label


class QuestionKind(models.TextChoices):
    DYAD = "dyad", _("Slider between two poles")
    TRIAD = "triad", _("Triangle between three forces")
    CHOICE = "choice", _("Multiple choice")


class Question(models.Model):
    """A self-signification question the teller answers about their own story.

    ``labels`` holds the two poles of a dyad, the three corners of a triad or the
    options of a choice, as a list of strings.
    """

    round = models.ForeignKey(
        StoryRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    labels = models.JSONField(_("poles, corners or options"), default=list)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["round", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(kind="triad"),
                name="at_most_one_triad_per_round",
            )
        ]

    def __str__(self) -> str:
        return self.text


class Consent(models.TextChoices):
    PUBLIC_ANON = "public_anon", _("May be shown in public, without names")
    PROFESSIONALS_ONLY = "professionals", _("Only for the professionals of this round")
    ANALYSIS_ONLY = "analysis", _("Only for analysis, never shown as a quote")


class ConsentHow(models.TextChoices):
    """How consent was given (recorded with every story)."""

    ONLINE = "online", _("By the teller, online")
    SPOKEN = "spoken", _("Spoken, to the worker who recorded the story")
    PAPER = "paper", _("On a signed paper form")


class ContactChannel(models.TextChoices):
    NONE = "", _("No contact")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    VIA_WORKER = "worker", _("Through the community worker")


class AgeBand(models.TextChoices):
    """The CBS age groups of the key figures, so participation can be set against them."""

    UNKNOWN = "", _("Rather not say")
    A0_14 = "0-14", _("Under 15")
    A15_24 = "15-24", _("15 to 24")
    A25_44 = "25-44", _("25 to 44")
    A45_64 = "45-64", _("45 to 64")
    A65 = "65+", _("65 or older")


class TellerRole(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    VOLUNTEER = "volunteer", _("Volunteer")
    PROFESSIONAL = "professional", _("Professional")


class StoryQuerySet(models.QuerySet):
    def visible(self):
        """Stories that are not withdrawn: the start of every view, analysis and export."""
        return self.filter(withdrawn_at__isnull=True)

    def in_municipality(self, code: str):
        return self.filter(round__municipality_code=code)

    def public(self):
        """Visible stories whose teller allowed an anonymised quote in public."""
        return self.visible().filter(consent=Consent.PUBLIC_ANON)


class Story(models.Model):
    round = models.ForeignKey(
        StoryRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="stories"
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    text = models.TextField(_("story"))
    #: The text with names, e-mail addresses, phone numbers, addresses and postcodes
    #: masked: the only text that leaves the professionals.
    masked_text = models.TextField(_("masked story"), blank=True)
    told_at = models.DateTimeField(_("told"), default=timezone.now, db_index=True)
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teller"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="told_stories",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_stories",
    )
    consent = models.CharField(_("consent"), max_length=16, choices=Consent.choices)
    consent_how = models.CharField(
        _("how consent was given"),
        max_length=8,
        choices=ConsentHow.choices,
        default=ConsentHow.ONLINE,
    )
    consent_at = models.DateTimeField(_("consent given"), default=timezone.now)
    may_contact = models.BooleanField(_("may be contacted about this story"), default=False)
    contact_channel = models.CharField(
        _("contact by"), max_length=8, choices=ContactChannel.choices, blank=True, default=""
    )
    contact_detail = models.CharField(
        _("e-mail address or phone number"), max_length=120, blank=True
    )
    age_band = models.CharField(
        _("age"), max_length=8, choices=AgeBand.choices, blank=True, default=""
    )
    teller_role = models.CharField(
        _("teller is a"), max_length=16, choices=TellerRole.choices, default=TellerRole.RESIDENT
    )
    #: SHA-256 of the one-time withdrawal code shown on the thank-you page.
    withdrawal_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, db_index=True)
    #: Stored vectors for "similar stories" per backend, set by the analysis task:
    #: ``{"embeddings": [384 floats]}`` (computed once per story; the lexical vectors are
    #: refitted on each analysis and not kept).
    vector = models.JSONField(_("vector"), null=True, blank=True, editable=False)
    analysed_at = models.DateTimeField(_("analysed"), null=True, blank=True)
    #: Ids of the most similar visible stories of the round, most similar first (set by
    #: the analysis task; "dit wordt vaker gezegd").
    similar = models.JSONField(_("similar stories"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-told_at", "-pk"]
        indexes = [models.Index(fields=["round", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Answer(models.Model):
    """The teller's answer to one question.

    ``value``: a dyad is a number 0..1 or null ("n.v.t."); a triad is a list of three
    weights summing to one or null; a choice is the chosen option's index or null.
    """

    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.JSONField(_("value"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["story", "question"], name="unique_story_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value!r}"


class ThemeSource(models.TextChoices):
    AUTO = "auto", _("Assigned by the analysis")
    PROFESSIONAL = "professional", _("Labelled by a professional")


class StoryTheme(models.Model):
    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="story_themes"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="story_themes"
    )
    score = models.FloatField(_("score"), default=0.0)
    source = models.CharField(_("source"), max_length=16, choices=ThemeSource.choices)
    #: A professional said "not this theme": the analysis never assigns it again.
    rejected = models.BooleanField(_("rejected by a professional"), default=False)
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("labelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("story theme")
        verbose_name_plural = _("story themes")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["story", "theme"], name="unique_story_theme")
        ]

    def __str__(self) -> str:
        return f"{self.story_id} -> {self.theme_id} ({self.source})"


from .models_catalysis import SenseMakingSession, StoryCards  # noqa: E402, F401
