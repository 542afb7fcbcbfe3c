"""Every write of a practice page: start from a draft, edit, submit, review, take offline.

States: draft → submitted → published, or changes asked (with a comment) → edited and
submitted again. An edit of a published practice is a new draft: the public keeps
seeing the published text (``published_content``) until a reviewer publishes the new
one. Each step is a version (the edit history), an audit event and, where someone else
must act or hear about it, a notification. Services take plain values and an
``Origin``; access is checked by the caller (``access.py``) and again here for the
decisions.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.areas.models import AreaLevel
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.notifications import notify
from buurtbasis.platform.tasks import enqueue_on_commit

from . import access, adapters, drafting
from .models import FIGURE_FIELDS, TEXT_FIELDS, Practice, PracticeState, PracticeVersion

#: Longest text of one field.
MAX_TEXT = 5000
MAX_TITLE = 150
MAX_COMMENT = 2000


class PracticeError(Exception):
    """A step that is not allowed now; the message is for the person (translated)."""


def _where(initiative: Initiative):
    """The municipality code and wijk of the initiative (its first area; a buurt's wijk)."""
    area = initiative.areas.select_related("parent").order_by("pk").first()
    if area is None:
        return "", None
    district = area
    if area.level == AreaLevel.NEIGHBOURHOOD:
        district = area.parent
    elif area.level == AreaLevel.MUNICIPALITY:
        district = None
    return area.municipality_code, district


def content_of(practice: Practice) -> dict:
    """The text, figures, themes and target groups of the practice (one version)."""
    return {
        **{f: getattr(practice, f) for f in TEXT_FIELDS},
        **{f: getattr(practice, f) for f in FIGURE_FIELDS},
        "themes": sorted(practice.themes.values_list("pk", flat=True)),
        "target_groups": sorted(practice.target_groups.values_list("pk", flat=True)),
    }


def _version(practice: Practice, what: str, origin: Origin, comment: str = "") -> PracticeVersion:
    last = practice.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return PracticeVersion.objects.create(
        practice=practice,
        number=last + 1,
        state=practice.state,
        what=what,
        author=origin.actor,
        content=content_of(practice),
        comment=comment,
    )


def _reindex(practice: Practice) -> None:
    from .tasks import index_practice

    enqueue_on_commit(index_practice, practice_id=practice.pk)


def _notify_initiators(practice: Practice, what: str, origin: Origin) -> None:
    for member in practice.initiative.members.all():
        if origin.actor is not None and member.pk == origin.actor.pk:
            continue
        notify(
            member,
            "practices.reviewed",
            {
                "practice": practice.title,
                "what": what,
                "comment": practice.review_comment,
                "link": practice.get_absolute_url(),
            },
            language=origin.language,
            municipality=practice.municipality_code or None,
        )


@transaction.atomic
def start_practice(initiative: Initiative, *, origin: Origin) -> Practice:
    """The initiative's practice, drafted from what the platform knows (once per
    initiative: a second call returns the existing one)."""
    existing = Practice.objects.filter(initiative=initiative).first()
    if existing is not None:
        return existing
    if not access.can_edit(origin.actor, initiative):
        raise PracticeError(_("Only the initiators of this initiative can write its practice."))
    made = drafting.draft(initiative)
    code, district = _where(initiative)
    practice = Practice.objects.create(
        initiative=initiative,
        municipality_code=code,
        district=district,
        drafted_facts=[{"field": f.field, "text": f.text, "source": f.source} for f in made.facts],
        **{k: v[: MAX_TITLE if k == "title" else MAX_TEXT] for k, v in made.fields.items()},
        **{k: v for k, v in made.figures.items() if k in FIGURE_FIELDS},
    )
    practice.themes.set(initiative.themes.all())
    practice.target_groups.set(initiative.target_groups.all())
    _version(practice, "drafted", origin)
    record_event(
        action="practices.drafted",
        target=practice,
        details={"facts": len(made.facts)},
        origin=origin,
    )
    return practice


def _clean_values(values: dict) -> dict:
    cleaned = {}
    for name in TEXT_FIELDS:
        if name not in values:
            continue
        text = (values[name] or "").strip()
        limit = MAX_TITLE if name == "title" else MAX_TEXT
        if len(text) > limit:
            raise PracticeError(
                ngettext(
                    "A text may have at most %(n)d character.",
                    "A text may have at most %(n)d characters.",
                    limit,
                )
                % {"n": limit}
            )
        cleaned[name] = text
    if "title" in cleaned and not cleaned["title"]:
        raise PracticeError(_("Give the practice a title."))
    for name in FIGURE_FIELDS:
        if name in values:
            value = values[name]
            if value is not None and (not isinstance(value, int) or value < 0):
                raise PracticeError(_("Figures are whole numbers of zero or more."))
            cleaned[name] = value
    return cleaned


@transaction.atomic
def edit_practice(
    practice: Practice,
    values: dict,
    *,
    themes=None,
    target_groups=None,
    origin: Origin,
) -> Practice:
    """Change the working copy. A submitted practice can no longer be edited until the
    reviewer answers; a published one becomes a new draft (the public keeps the
    published text)."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if not access.can_edit(origin.actor, practice.initiative):
        raise PracticeError(_("Only the initiators of this initiative can edit its practice."))
    if practice.state == PracticeState.SUBMITTED:
        raise PracticeError(
            _("The practice waits for review. You can edit it again after the review.")
        )
    for name, value in _clean_values(values).items():
        setattr(practice, name, value)
    if practice.state in (PracticeState.PUBLISHED, PracticeState.UNPUBLISHED):
        practice.state = PracticeState.DRAFT
    practice.save()
    if themes is not None:
        practice.themes.set(themes)
    if target_groups is not None:
        practice.target_groups.set(target_groups)
    _version(practice, "edited", origin)
    return practice


@transaction.atomic
def submit_practice(practice: Practice, *, origin: Origin) -> Practice:
    """Ask a community worker to review the practice; the reviewers hear about it."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if not access.can_edit(origin.actor, practice.initiative):
        raise PracticeError(_("Only the initiators of this initiative can submit its practice."))
    if practice.state not in (
        PracticeState.DRAFT,
        PracticeState.CHANGES_ASKED,
        PracticeState.UNPUBLISHED,
    ):
        raise PracticeError(_("This practice has been submitted already."))
    if not practice.what_it_does.strip():
        raise PracticeError(_("Describe what the initiative does before you submit it."))
    practice.state = PracticeState.SUBMITTED
    practice.submitted_at = timezone.now()
    practice.save(update_fields=["state", "submitted_at", "updated_at"])
    _version(practice, "submitted", origin)
    record_event(action="practices.submitted", target=practice, origin=origin)
    for reviewer in access.reviewers(practice):
        notify(
            reviewer,
            "practices.submitted",
            {
                "practice": practice.title,
                "link": practice.get_absolute_url(),
            },
            language=origin.language,
            municipality=practice.municipality_code or None,
        )
    return practice


def _decide(practice: Practice, origin: Origin) -> Practice:
    practice = Practice.objects.select_for_update().select_related("initiative").get(pk=practice.pk)
    if not access.can_review(origin.actor, practice):
        raise PracticeError(
            _("Only a community worker who works with this initiative can review it.")
        )
    return practice


@transaction.atomic
def publish_practice(practice: Practice, *, origin: Origin) -> Practice:
    """Publish the submitted text (a reviewer)."""
    practice = _decide(practice, origin)
    if practice.state != PracticeState.SUBMITTED:
        raise PracticeError(_("Only a submitted practice can be published."))
    content = content_of(practice)
    practice.state = PracticeState.PUBLISHED
    practice.published_content = content
    practice.published_at = practice.reviewed_at = timezone.now()
    practice.reviewed_by = origin.actor
    practice.review_comment = ""
    practice.search_lemmas = adapters.search_lemmas(" ".join(str(content[f]) for f in TEXT_FIELDS))
    practice.save()
    _version(practice, "published", origin)
    record_event(action="practices.published", target=practice, origin=origin)
    _notify_initiators(practice, "published", origin)
    _reindex(practice)
    return practice


@transaction.atomic
def ask_changes(practice: Practice, comment: str, *, origin: Origin) -> Practice:
    """Send the practice back to its initiators with a comment (a reviewer)."""
    comment = (comment or "").strip()
    if not comment:
        raise PracticeError(_("Write what should change."))
    if len(comment) > MAX_COMMENT:
        raise PracticeError(
            ngettext(
                "A comment may have at most %(n)d character.",
                "A comment may have at most %(n)d characters.",
                MAX_COMMENT,
            )
            % {"n": MAX_COMMENT}
        )
    practice = _decide(practice, origin)
    if practice.state != PracticeState.SUBMITTED:
        raise PracticeError(_("Only a submitted practice can be sent back."))
    practice.state = PracticeState.CHANGES_ASKED
    practice.review_comment = comment
    practice.reviewed_at = timezone.now()
    practice.reviewed_by = origin.actor
    practice.save()
    _version(practice, "changes_asked", origin, comment=comment)
    record_event(
        action="practices.changes_asked",
        target=practice,
        details={"comment": comment},
        origin=origin,
    )
    _notify_initiators(practice, "changes_asked", origin)
    return practice


@transaction.atomic
def unpublish_practice(practice: Practice, reason: str = "", *, origin: Origin) -> Practice:
    """Take the practice offline (its initiators or a reviewer); the text stays."""
    practice = Practice.objects.select_for_update().select_related("initiative").get(pk=practice.pk)
    if not (
        access.can_edit(origin.actor, practice.initiative)
        or access.can_review(origin.actor, practice)
    ):
        raise PracticeError(_("You may not take this practice offline."))
    if not practice.is_public:
        raise PracticeError(_("This practice is not online."))
    reason = (reason or "").strip()[:MAX_COMMENT]
    practice.state = PracticeState.UNPUBLISHED
    practice.published_content = None
    practice.search_lemmas = ""
    practice.save()
    _version(practice, "unpublished", origin, comment=reason)
    record_event(
        action="practices.unpublished",
        target=practice,
        details={"reason": reason},
        origin=origin,
    )
    _notify_initiators(practice, "unpublished", origin)
    _reindex(practice)
    return practice
