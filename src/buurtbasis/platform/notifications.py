"""Notifications: one ``notify(recipient, kind, context)`` for the whole platform.

Apps register their kinds in ``AppConfig.ready``::

    from buurtbasis.platform.notifications import register_kind

    register_kind(
        "initiatives.status_changed",
        label=_("The status of an initiative I follow changes"),
        subject="initiatives/notifications/status_changed_subject.txt",
        text="initiatives/notifications/status_changed_body.txt",
        line="initiatives/notifications/status_changed_line.txt",
    )

and call ``notify(user, "initiatives.status_changed", {"initiative": ..., "link": path})``
inside their service. What happens then:

- The templates are rendered at once, in the recipient's language
  (``NotificationSettings.language``; the site's language when none is stored).
- A kind with a ``line`` template adds a row to the person's in-app list
  (``/meldingen/``); a kind without one is mail-only (links with secrets,
  invitations to an address).
- The person's preference for the kind decides the e-mail: immediately (one mail
  through the queue after the transaction commits), daily digest (the row waits
  for ``send_daily_digests``), or off (the in-app row only). A ``required`` kind
  (verification, password reset, e-mail change) ignores preferences and is always
  mailed at once. A mail-only kind that is not required is mailed at once unless
  the person turned it off (there is no row to put in a digest).
- Nothing is sent when the transaction rolls back: the row goes with it and the
  mail is only enqueued ``on_commit``.

A recipient that is not (yet) a person with an account is an ``Address(email,
language)``; only mail-only kinds can go there.

Every e-mail of the platform leaves through one task, ``send_email``.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, models, transaction
from django.template import Context, loader
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .forms import parse_id
from .models.notifications import (
    Delivery,
    Follow,
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutgoingEmail,
)
from .tasks import background

logger = logging.getLogger(__name__)

__all__ = [
    "is_quiet",
    "quiet",
    "Address",
    "Delivery",
    "Kind",
    "UnknownKind",
    "delivery_for",
    "follow",
    "followers_of",
    "is_following",
    "kinds",
    "language_of",
    "mark_all_read",
    "mark_read",
    "notify",
    "notify_followers",
    "register_followable",
    "register_kind",
    "send_daily_digests",
    "send_email",
    "set_language",
    "set_preferences",
    "unfollow",
    "unread_count",
]

#: Inside :func:`quiet`: nobody is told anything (no in-app rows, no e-mails).
_QUIET: contextvars.ContextVar[bool] = contextvars.ContextVar("notifications_quiet", default=False)


@contextlib.contextmanager
def quiet():
    """Tell nobody about what happens inside the block: for replaying the past (the demo
    loader builds a year of history through the real services; nobody needs to hear of
    it now)."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def is_quiet() -> bool:
    """Whether notifications are switched off here (:func:`quiet`)."""
    return _QUIET.get()


# --- The registry of kinds ------------------------------------------------------------


class UnknownKind(LookupError):
    """``notify`` was called with a kind no app registered."""


@dataclass(frozen=True)
class Kind:
    """One kind of notification and how it is rendered and delivered."""

    key: str
    label: Any  # shown on the preferences page (lazy translation)
    subject: str  # template of the e-mail subject; also the title in the in-app list
    text: str  # template of the plain-text e-mail
    html: str = ""  # optional template of the HTML e-mail
    line: str = ""  # template of the in-app line; empty: a mail-only kind
    default: str = Delivery.IMMEDIATELY
    required: bool = False  # transactional: always mailed at once, preferences ignored

    @property
    def in_app(self) -> bool:
        return bool(self.line)

    @property
    def choices(self) -> list[tuple[str, Any]]:
        """The deliveries a person may choose for this kind."""
        if self.in_app:
            return list(Delivery.choices)
        return [(Delivery.IMMEDIATELY, Delivery.IMMEDIATELY.label), (Delivery.OFF, _("Off"))]


_KINDS: dict[str, Kind] = {}


def register_kind(
    key: str,
    *,
    label,
    subject: str,
    text: str,
    html: str = "",
    line: str = "",
    default: str = Delivery.IMMEDIATELY,
    required: bool = False,
) -> Kind:
    """Register a kind (call from ``AppConfig.ready``); registering the same key again
    replaces it, so a reloaded app does not fail."""
    if default not in Delivery.values:
        raise ValueError(f"unknown delivery {default!r} for notification kind {key!r}")
    kind = Kind(
        key=key,
        label=label,
        subject=subject,
        text=text,
        html=html,
        line=line,
        default=default,
        required=required,
    )
    _KINDS[key] = kind
    return kind


def get_kind(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownKind(f"no notification kind {key!r} is registered") from None


def kinds(*, configurable: bool = False) -> list[Kind]:
    """All registered kinds (``configurable``: only those a person may change), by label."""
    found = [k for k in _KINDS.values() if not (configurable and k.required)]
    return sorted(found, key=lambda k: (k.key.split(".")[0], str(k.label)))


# --- Language and preferences -------------------------------------------------------


def _valid_language(code: str | None) -> str:
    codes = {c for c, _name in settings.LANGUAGES}
    code = (code or "").lower()
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else settings.LANGUAGE_CODE


def language_of(user, fallback: str = "") -> str:
    """The language of a person's e-mails: the stored one, else ``fallback`` (e.g. the
    language of the request), else the site's language."""
    return _stored_language(user) or _valid_language(fallback)


def set_language(user, language: str, *, only_if_unset: bool = False) -> str:
    """Store the language of a person's e-mails; returns the language stored."""
    language = _valid_language(language)
    if only_if_unset:
        try:
            with transaction.atomic():
                NotificationSettings.objects.get_or_create(
                    user=user, defaults={"language": language}
                )
        except IntegrityError:  # a concurrent request stored one first
            pass
        return language_of(user)
    NotificationSettings.objects.update_or_create(user=user, defaults={"language": language})
    return language


def delivery_for(user, kind: Kind | str) -> str:
    """How ``user`` wants to hear about ``kind`` (required kinds: always immediately)."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    if kind.required:
        return Delivery.IMMEDIATELY
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind.key)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen if chosen in dict(kind.choices) else kind.default


def preferences_of(user) -> dict[str, str]:
    """Every configurable kind's delivery for ``user`` (one query)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    result = {}
    for kind in kinds(configurable=True):
        chosen = stored.get(kind.key)
        result[kind.key] = chosen if chosen in dict(kind.choices) else kind.default
    return result


@transaction.atomic
def set_preferences(user, deliveries: dict[str, str]) -> None:
    """Store a person's choices per kind; required kinds and unknown values are refused."""
    for key, delivery in deliveries.items():
        kind = get_kind(key)
        if kind.required:
            raise ValueError(f"{key} is a required kind and cannot be changed")
        if delivery not in dict(kind.choices):
            raise ValueError(f"{delivery!r} is not a delivery for {key}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=key, defaults={"delivery": delivery}
        )


# --- notify ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    """A recipient without an account (yet): an e-mail address and a language."""

    email: str
    language: str = ""


def _site_url() -> str:
    return (getattr(settings, "SITE_URL", "") or "").rstrip("/")


def _split_link(link: str) -> tuple[str, str]:
    """(path for the in-app list, absolute URL for e-mail) of a link in the context.

    Only links to this site go into the in-app list; anything else is dropped there.
    """
    link = str(link or "").strip()
    if not link:
        return "", ""
    site = _site_url()
    if link.startswith("/") and not link.startswith("//"):
        return link, site + link
    if site and link.startswith(site + "/"):
        return link[len(site) :], link
    return "", link


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """A plain-text template without HTML escaping (a name with "&" stays "&"); the
    in-app list escapes the title and line when it shows them."""
    return loader.get_template(name).template.render(Context(context, autoescape=False))


def _render(kind: Kind, context: dict[str, Any], language: str) -> dict[str, str]:
    with translation.override(language):
        rendered = {
            "subject": " ".join(_render_plain(kind.subject, context).split()),
            "text": _render_plain(kind.text, context),
            "html": render_to_string(kind.html, context) if kind.html else "",
            "line": " ".join(_render_plain(kind.line, context).split()) if kind.line else "",
        }
    return rendered


def _tenant_link(link: str, municipality: str) -> tuple[str, str]:
    """(in-app link, absolute URL) of a path on this site, inside ``municipality``.

    A background task reverses URLs without the ``/g/<slug>/`` prefix of the request
    that caused it, so the link would open the default municipality, where the page
    is a 404. The municipality's own address (its host name, or ``/g/<slug>``) is put
    in front instead. The in-app link stays a path when that address is on the site's
    own host, and is the absolute URL when the municipality has a host name of its own.
    """
    from .tenancy import path_without_prefix, site_url

    link = str(link or "").strip()
    if not link.startswith("/") or link.startswith("//"):
        return _split_link(link)
    base = site_url(municipality)
    absolute = base + path_without_prefix(link)
    own = urlsplit(_site_url())
    there = urlsplit(base)
    if (there.scheme, there.netloc) == (own.scheme, own.netloc):
        return there.path.rstrip("/") + path_without_prefix(link), absolute
    return absolute, absolute


def _base_context(
    context: dict[str, Any] | None, recipient, email: str, municipality: str | None = None
) -> tuple[dict, str]:
    context = dict(context or {})
    if municipality:
        path, absolute = _tenant_link(context.get("link", ""), municipality)
    else:
        path, absolute = _split_link(context.get("link", ""))
    context.update(
        {
            "link": absolute,
            "site_name": "Buurtbasis",
            "site_url": _site_url(),
            "recipient": recipient,
            "recipient_email": email,
            "preferences_url": _site_url() + reverse("platform:notification-preferences"),
        }
    )
    return context, path


def _stored_language(user) -> str | None:
    if user is None or not getattr(user, "pk", None):
        return None
    stored = (
        NotificationSettings.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return _valid_language(stored) if stored else None


def _language_of_address(email: str, fallback: str) -> str:
    """The stored language of the active account with this address, else ``fallback``."""
    User = get_user_model()
    field = User.get_email_field_name()
    user = User.objects.filter(is_active=True, **{f"{field}__iexact": email}).first()
    return _stored_language(user) or _valid_language(fallback)


def notify(
    recipient,
    kind: str,
    context: dict[str, Any] | None = None,
    *,
    language: str = "",
    municipality: str | None = None,
) -> Notification | None:
    """Tell ``recipient`` (a person, or an ``Address``) about something of ``kind``.

    ``context`` is passed to the kind's templates; its ``link`` (a path on this site,
    or an absolute URL) becomes the in-app row's link and an absolute URL in the
    e-mail; with ``municipality`` (a CBS code) the link opens in that municipality,
    also when a background task sends it. ``language`` is used when the recipient has
    not stored one (e.g. the language of the request, ``Origin.language``); the site's
    language otherwise.
    Returns the in-app row, if one was made. Call it inside the transaction that
    makes the change: a rollback takes the row and the e-mail with it.
    """
    kind_obj = get_kind(kind)
    if _QUIET.get():
        return None
    if isinstance(recipient, str):
        recipient = Address(recipient, language)
    if isinstance(recipient, Address):
        if kind_obj.in_app:
            raise ValueError(f"{kind} has an in-app line; only a person can receive it")
        email = recipient.email.strip()
        if not email:
            return None
        full, _path = _base_context(context, None, email, municipality)
        lang = _language_of_address(email, recipient.language or language)
        _enqueue_mail(email, _render(kind_obj, full, lang))
        return None

    if not getattr(recipient, "is_active", False):
        return None  # a deleted (anonymised) account hears nothing
    email = getattr(recipient, "email", "") or ""
    delivery = delivery_for(recipient, kind_obj)
    full, path = _base_context(context, recipient, email, municipality)
    lang = _stored_language(recipient) or _valid_language(language)
    rendered = _render(kind_obj, full, lang)
    row = None
    if kind_obj.in_app:
        row = Notification.objects.create(
            recipient=recipient,
            kind=kind_obj.key,
            title=rendered["subject"][:200],
            text=rendered["line"],
            link=path[:500],
            digest_pending=delivery == Delivery.DIGEST and bool(email),
        )
    elif delivery == Delivery.DIGEST:
        delivery = Delivery.IMMEDIATELY  # nothing to put in a digest
    if delivery == Delivery.IMMEDIATELY and email:
        _enqueue_mail(email, rendered)
    return row


def _outbox_row(email: str, rendered: dict[str, str]) -> OutgoingEmail:
    return OutgoingEmail(
        to=email,
        subject=rendered["subject"][:300],
        text=rendered["text"],
        html=rendered["html"],
    )


def _enqueue_mail(email: str, rendered: dict[str, str]) -> None:
    """Keep the rendered mail in the outbox and enqueue its id once the transaction commits.

    The queue (and the admin's view of it, and a failed task) only ever holds ids:
    the text, which may carry a secret link (verification, password reset), lives
    in the outbox row until it is sent, and is deleted then.
    """
    mail = _outbox_row(email, rendered)
    mail.save()
    _enqueue_after_commit([mail.pk])


#: Mails per ``send_email`` task when many are sent at once (followers).
BATCH_SIZE = 100


def _enqueue_mails(mails: list[OutgoingEmail]) -> None:
    created = OutgoingEmail.objects.bulk_create(mails)
    _enqueue_after_commit([mail.pk for mail in created])


def _enqueue(ids: list[int]) -> None:
    """Enqueue ``send_email`` for these outbox rows in batches and note when.

    A failing queue (Redis down) is logged, not raised: the change that caused the
    mail is committed already, and :func:`sweep_outbox` enqueues the rows later.
    """
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        try:
            send_email.enqueue(mail_ids=batch)
        except Exception:
            logger.exception("enqueueing %d outbox mails failed; the sweep retries", len(batch))
            continue
        OutgoingEmail.objects.filter(pk__in=batch).update(enqueued_at=timezone.now())


def _enqueue_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))


#: How long an outbox row may wait for its enqueue before the sweep takes it.
SWEEP_AFTER = datetime.timedelta(minutes=10)


def sweep_outbox(now: datetime.datetime | None = None) -> int:
    """Enqueue the outbox rows whose enqueue failed; returns how many.

    A row enqueued once is never swept again (its task retries and ends as a failed
    task an admin can enqueue again), so no mail is sent twice by the sweep.
    """
    now = now or timezone.now()
    ids = list(
        OutgoingEmail.objects.filter(enqueued_at__isnull=True, created_at__lt=now - SWEEP_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:10_000]
    )
    _enqueue(ids)
    return len(ids)


@background(retries=0)
def sweep_outbox_task() -> int:
    """The scheduled task around :func:`sweep_outbox`."""
    return sweep_outbox()


@background(retries=5, backoff=60)
def send_email(*, mail_ids: list[int]) -> int:
    """The one task that sends the platform's e-mail: the outbox rows ``mail_ids``, each
    deleted once it is sent. Returns the number sent (a mail sent already is skipped).

    When a mail fails, the others are still tried, then the first error is raised:
    the attempt is recorded and the task retried five times (after 1, 2, 4, 8 and
    16 minutes) for the mails still in the outbox, and then kept as a failed task
    that admins see and can enqueue again.
    """
    # No transaction around the SMTP conversation: on SQLite it would lock every
    # writer out meanwhile. One worker claims a task, so one worker sends its mails.
    errors: list[Exception] = []
    sent = 0
    with get_connection() as connection:
        for mail in OutgoingEmail.objects.filter(pk__in=mail_ids).order_by("pk"):
            message = EmailMultiAlternatives(
                subject=mail.subject,
                body=mail.text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[mail.to],
                headers={"Auto-Submitted": "auto-generated"},
                connection=connection,
            )
            if mail.html:
                message.attach_alternative(mail.html, "text/html")
            try:
                sent += message.send()
            except Exception as exc:  # try the others, then fail the task (retried)
                logger.warning("mail %s not sent: %s", mail.pk, exc)
                errors.append(exc)
                continue
            mail.delete()
    if errors:
        raise errors[0]
    return sent


# --- The daily digest ---------------------------------------------------------------

DIGEST_SUBJECT = "platform/notifications/digest_subject.txt"
DIGEST_TEXT = "platform/notifications/digest_body.txt"
DIGEST_HTML = "platform/notifications/digest_body.html"


def deliver_digests() -> int:
    """Mail each person one summary of their pending digest items; returns the mails sent.

    Items of a kind the person has since turned off are dropped from the e-mail
    (they stay in the in-app list). Safe to run twice: an item is in one digest only.
    """
    User = get_user_model()
    user_ids = (
        Notification.objects.filter(digest_pending=True)
        .order_by()  # the default ordering would make DISTINCT one row per notification
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        with transaction.atomic():
            user = User.objects.filter(pk=user_id).first()
            # Locked, so two overlapping runs never put one item in two digests.
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient_id=user_id, digest_pending=True)
                .order_by("created_at", "pk")
            )
            claimed = Notification.objects.filter(
                pk__in=[n.pk for n in pending], digest_pending=True
            ).update(digest_pending=False)
            if not claimed or user is None or not user.is_active or not user.email:
                continue
            wanted = preferences_of(user)
            items = [n for n in pending if wanted.get(n.kind, Delivery.DIGEST) != Delivery.OFF]
            if not items:
                continue
            for item in items:
                item.absolute_link = (
                    (item.link if "://" in item.link else _site_url() + item.link)
                    if item.link
                    else ""
                )
            context, _path = _base_context(
                {"items": items, "link": reverse("platform:notifications")}, user, user.email
            )
            digest = Kind(
                key="platform.digest",
                label="",
                subject=DIGEST_SUBJECT,
                text=DIGEST_TEXT,
                html=DIGEST_HTML,
            )
            _enqueue_mail(user.email, _render(digest, context, language_of(user)))
            sent += 1
    return sent


@background(retries=2, backoff=300)
def send_daily_digests() -> int:
    """The scheduled task: one summary e-mail per person with pending digest items."""
    return deliver_digests()


# --- The in-app list ----------------------------------------------------------------


def unread_count(user) -> int:
    """The number of unread notifications of ``user`` (one COUNT query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, notification_id: int) -> bool:
    """Mark one of ``user``'s own notifications read; False when it is not theirs."""
    updated = Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(updated) or Notification.objects.filter(pk=notification_id, recipient=user).exists()


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Following ----------------------------------------------------------------------

_FOLLOWABLE: dict[str, Any] = {}


def register_followable(model: type[models.Model], *, can_follow=None) -> None:
    """Let people follow objects of ``model``; ``can_follow(user, obj)`` decides who may
    (default: every logged-in person)."""
    _FOLLOWABLE[model._meta.label_lower] = can_follow or (lambda user, obj: True)


def followable_key(obj: models.Model) -> str:
    """``app_label.model:pk``, the value the follow button posts."""
    return f"{obj._meta.label_lower}:{obj.pk}"


class NotFollowable(LookupError):
    """The object does not exist, is not of a followable model, or may not be followed."""


def resolve_followable(key: str, user) -> models.Model:
    """The object behind a ``followable_key`` that ``user`` may follow."""
    label, _sep, raw_pk = (key or "").partition(":")
    check = _FOLLOWABLE.get(label)
    pk = parse_id(raw_pk)
    if check is None or pk is None:
        raise NotFollowable(key)
    app_label, _dot, model_name = label.partition(".")
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    except ContentType.DoesNotExist:
        raise NotFollowable(key) from None
    obj = model._default_manager.filter(pk=pk).first() if model else None
    if obj is None or not check(user, obj):
        raise NotFollowable(key)
    return obj


def _target(obj: models.Model) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}


def follow(*, user, obj: models.Model) -> bool:
    """Start following ``obj``; False when ``user`` already did."""
    if obj._meta.label_lower not in _FOLLOWABLE:
        raise NotFollowable(obj._meta.label_lower)
    try:
        with transaction.atomic():
            _row, created = Follow.objects.get_or_create(user=user, **_target(obj))
    except IntegrityError:  # a double click from two tabs
        return False
    return created


def unfollow(*, user, obj: models.Model) -> bool:
    deleted, _rows = Follow.objects.filter(user=user, **_target(obj)).delete()
    return bool(deleted)


def is_following(user, obj: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, **_target(obj)).exists()


def followers_of(obj: models.Model):
    """The active people who follow ``obj`` (a queryset of users)."""
    target = _target(obj)
    return get_user_model().objects.filter(
        is_active=True,
        follows__content_type=target["content_type"],
        follows__object_id=target["object_id"],
    )


def notify_followers(
    obj: models.Model,
    kind: str,
    context: dict[str, Any] | None = None,
    *,
    exclude: Iterable = (),
    municipality: str | None = None,
) -> int:
    """Notify every follower of ``obj`` who may still follow it, except the people in
    ``exclude``; returns how many.

    The same as ``notify`` for each of them, in a few queries whatever their number:
    the templates are rendered once per language (so they get no ``recipient``),
    the rows and the outbox are written in bulk, and the mails go in batches.
    """
    kind_obj = get_kind(kind)
    if _QUIET.get():
        return 0
    skip = {getattr(person, "pk", person) for person in exclude if person is not None}
    may_follow = _FOLLOWABLE.get(obj._meta.label_lower, lambda user, obj: True)
    people = [
        person
        for person in followers_of(obj).exclude(pk__in=skip)
        if may_follow(person, obj)  # e.g. the object is no longer visible to them
    ]
    if not people:
        return 0
    ids = [person.pk for person in people]
    chosen = {}
    if not kind_obj.required:
        chosen = dict(
            NotificationPreference.objects.filter(user_id__in=ids, kind=kind_obj.key).values_list(
                "user_id", "delivery"
            )
        )
    languages = dict(
        NotificationSettings.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    full, path = _base_context(context, None, "", municipality)
    rendered_in: dict[str, dict[str, str]] = {}
    rows, mails = [], []
    for person in people:
        delivery = chosen.get(person.pk)
        if kind_obj.required or delivery not in dict(kind_obj.choices):
            delivery = Delivery.IMMEDIATELY if kind_obj.required else kind_obj.default
        language = _valid_language(languages.get(person.pk))
        if language not in rendered_in:
            rendered_in[language] = _render(kind_obj, full, language)
        rendered = rendered_in[language]
        email = person.email or ""
        if kind_obj.in_app:
            rows.append(
                Notification(
                    recipient=person,
                    kind=kind_obj.key,
                    title=rendered["subject"][:200],
                    text=rendered["line"],
                    link=path[:500],
                    digest_pending=delivery == Delivery.DIGEST and bool(email),
                )
            )
        elif delivery == Delivery.DIGEST:
            delivery = Delivery.IMMEDIATELY
        if delivery == Delivery.IMMEDIATELY and email:
            mails.append(_outbox_row(email, rendered))
    Notification.objects.bulk_create(rows)
    _enqueue_mails(mails)
    return len(people)


# --- Privacy (export and erase; registered with the privacy registry) ----------------


def export_person(user) -> dict[str, Any]:
    """What the notification tables hold about ``user``."""
    by_type: dict[int, str] = {}
    follows = []
    for row in Follow.objects.filter(user=user).select_related("content_type"):
        label = by_type.setdefault(
            row.content_type_id, f"{row.content_type.app_label}.{row.content_type.model}"
        )
        follows.append({"object": f"{label}:{row.object_id}"})
    grouped: dict[str, list] = defaultdict(list)
    for n in Notification.objects.filter(recipient=user).order_by("created_at"):
        grouped["notifications"].append(
            {
                "kind": n.kind,
                "title": n.title,
                "text": n.text,
                "link": n.link,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
        )
    return {
        "language": NotificationSettings.objects.filter(user=user)
        .values_list("language", flat=True)
        .first(),
        "preferences": dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")
        ),
        "follows": follows,
        "notifications": grouped["notifications"],
    }


def erase_person(user) -> int:
    """Delete every notification row, preference, language and follow of ``user``, and
    the mails to their address that are still waiting."""
    total = 0
    for queryset in (
        Notification.objects.filter(recipient=user),
        Follow.objects.filter(user=user),
        NotificationPreference.objects.filter(user=user),
        NotificationSettings.objects.filter(user=user),
        OutgoingEmail.objects.filter(to__iexact=getattr(user, "email", "") or "-"),
    ):
        deleted, _rows = queryset.delete()
        total += deleted
    return total
