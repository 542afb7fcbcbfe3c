"""Practice pages ("wat werkt"): what an initiative learned, reviewed before it is public.

One practice per initiative. Every save is kept as a version (who, when, what), so the
edit history can be read back; the practice row holds the current text. The stored
vectors of initiatives and published practices ("initiatives like mine") are in
``SimilarItem``; ``SimilarIndex`` counts their changes so each process knows when its
cached matrix is old.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PracticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    CHANGES_ASKED = "changes_asked", _("Changes asked")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Taken offline")


#: The text fields of a practice, in the order of the page (kept in every version).
TEXT_FIELDS = (
    "title",
    "what_it_does",
    "for_whom",
    "took_money",
    "took_volunteers",
    "took_rooms",
    "took_partners",
    "went_well",
    "went_less_well",
    "who_to_ask",
)
#: The figures of a practice (None: not known).
FIGURE_FIELDS = ("money_received_cents", "money_spent_cents", "volunteers", "volunteer_hours")


class PracticeQuerySet(models.QuerySet):
    def published(self):
        """Practices the public sees (their last published text)."""
        return self.filter(published_content__isnull=False)

    def in_municipality(self, code: str):
        return self.filter(municipality_code=code)


class Practice(models.Model):
    initiative = models.OneToOneField(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="practice",
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=PracticeState.choices,
        default=PracticeState.DRAFT,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=150)
    what_it_does = models.TextField(_("what it does"), blank=True)
    for_whom = models.TextField(_("for whom"), blank=True)
    themes = models.ManyToManyField(
        "initiatives.Theme", verbose_name=_("themes"), related_name="practices", blank=True
    )
    target_groups = models.ManyToManyField(
        "initiatives.TargetGroup",
        verbose_name=_("target groups"),
        related_name="practices",
        blank=True,
    )
    took_money = models.TextField(_("money"), blank=True)
    took_volunteers = models.TextField(_("volunteers"), blank=True)
    took_rooms = models.TextField(_("rooms and places"), blank=True)
    took_partners = models.TextField(_("partners"), blank=True)
    money_received_cents = models.BigIntegerField(_("money received (cents)"), null=True)
    money_spent_cents = models.BigIntegerField(_("money spent (cents)"), null=True)
    volunteers = models.PositiveIntegerField(_("number of volunteers"), null=True)
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours"), null=True)
    went_well = models.TextField(_("what went well"), blank=True)
    went_less_well = models.TextField(_("what did not go well"), blank=True)
    who_to_ask = models.TextField(_("who to ask"), blank=True)
    # Where: the municipality and wijk of the initiative (kept for the filters).
    municipality_code = models.CharField(_("municipality"), max_length=8, db_index=True)
    district = models.ForeignKey(
        "areas.Area",
        verbose_name=_("wijk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
    )
    #: The words of the text and their lemmas, space-separated and padded, for search.
    search_lemmas = models.TextField(blank=True, editable=False)
    #: What the draft was made from (the facts, with their source), for the editors.
    drafted_facts = models.JSONField(default=list, blank=True, editable=False)
    #: The text as it was published (what the public sees while a new edit waits for
    #: review); None while the practice is not public.
    published_content = models.JSONField(null=True, blank=True, editable=False)
    review_comment = models.TextField(_("comment of the reviewer"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.published_content is not None


class PracticeVersion(models.Model):
    """One saved state of a practice: the edit history (who, when, which text)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=PracticeState.choices)
    what = models.CharField(max_length=32)  # drafted, edited, submitted, published, …
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_versions",
    )
    content = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice version")
        verbose_name_plural = _("practice versions")
        ordering = ["practice_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="practice_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} v{self.number}"


class ItemKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    PRACTICE = "practice", _("Practice")


class SimilarItem(models.Model):
    """The stored vector of a public initiative or a published practice.

    Dense vectors (embeddings) are float32 bytes in ``values``; sparse ones (lexical,
    hashed features) are int32 column numbers in ``indices`` and float32 weights in
    ``values``. Written by the background task only. ``seq`` is the index's version of
    the last change, so a process reads only the rows changed since it last looked; a
    row that no longer belongs in the index is kept ``removed`` (without its vector) so
    that processes learn it is gone."""

    backend = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    object_id = models.PositiveBigIntegerField()
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    municipality_code = models.CharField(max_length=8)
    indices = models.BinaryField(blank=True, default=b"")
    values = models.BinaryField(default=b"")
    seq = models.PositiveBigIntegerField(default=0, db_index=True)
    removed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["backend", "kind", "object_id"], name="practices_similar_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.backend} {self.kind} {self.object_id}"


def _new_token() -> str:
    return uuid.uuid4().hex


class SimilarIndex(models.Model):
    """One row per backend: a version that every change of its items raises, and a token
    made with the row, so a process never takes another database's index (a restored
    backup, a test database made again) with the same version for its own."""

    backend = models.CharField(max_length=16, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=32, default=_new_token, editable=False)

    def __str__(self) -> str:
        return f"{self.backend} v{self.version}"
