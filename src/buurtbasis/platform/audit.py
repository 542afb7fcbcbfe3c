"""The audit trail for money and decisions, and who acted from where.

Services take an :class:`Origin` instead of a request, so the same service runs
from a view, a management command or a background task::

    services.close_round(budget_round=r, origin=Origin.from_request(request))
    services.close_round(budget_round=r, origin=Origin.system())
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import translation

from .models import AuditEvent
from .ratelimit import client_ip

__all__ = [
    "Origin",
    "absolute_url",
    "audit_event",
    "hash_client_address",
    "record_event",
    "record_events",
]


def hash_client_address(address: str) -> str:
    """A keyed hash of a client address: linkable, but not reversible without the key.

    >>> len(hash_client_address("192.0.2.1"))
    64
    >>> hash_client_address("") == ""
    True
    """
    if not address:
        return ""
    key = f"audit-ip:{settings.SECRET_KEY}".encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Origin:
    """Who acts, from which (hashed) address, on which site, in which language.

    ``actor`` is a user or None for the system. ``ip_hash`` is a keyed hash of the
    client address (never the address itself). ``base_url`` is where links in
    mails point (scheme and host of the request; ``SITE_URL`` otherwise).

    >>> Origin.system().actor is None
    True
    """

    actor: Any = None
    ip_hash: str = ""
    base_url: str = ""
    language: str = ""

    @classmethod
    def from_request(cls, request) -> Origin:
        user = getattr(request, "user", None)
        return cls(
            actor=user if getattr(user, "is_authenticated", False) else None,
            ip_hash=hash_client_address(client_ip(request)),
            base_url=request.build_absolute_uri("/").rstrip("/"),
            language=getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or "",
        )

    @classmethod
    def system(cls) -> Origin:
        return cls()

    def with_actor(self, actor) -> Origin:
        """The same origin, acting as ``actor`` (e.g. just after registration)."""
        return Origin(actor, self.ip_hash, self.base_url, self.language)


def absolute_url(path: str, origin: Origin | None = None) -> str:
    """``path`` on the site the origin came from, or on ``SITE_URL``."""
    base = (origin.base_url if origin and origin.base_url else settings.SITE_URL).rstrip("/")
    return f"{base}{path}"


def _json_safe(details: dict[str, Any] | None) -> dict[str, Any]:
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


_FROM_ORIGIN = object()


def audit_event(
    *,
    action: str,
    actor: Any = _FROM_ORIGIN,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    origin: Origin | None = None,
) -> AuditEvent:
    """One entry of the audit trail, not yet stored (see :func:`record_event`)."""
    if actor is _FROM_ORIGIN:
        actor = origin.actor if origin is not None else None
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    object_type = object_id = object_repr = ""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
        # A person's name or e-mail address does not belong in an append-only log.
        object_repr = "" if isinstance(target, AbstractBaseUser) else str(target)[:200]
    return AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        details=_json_safe(details),
        ip_hash=origin.ip_hash if origin is not None else "",
    )


def record_event(
    *,
    action: str,
    actor: Any = _FROM_ORIGIN,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    origin: Origin | None = None,
) -> AuditEvent:
    """Append one entry to the audit trail.

    ``action`` is a dotted name such as ``"budgets.round_closed"``, ``actor`` a user
    (None or AnonymousUser for the system; when not given, the origin's actor),
    ``target`` the object acted on, and ``details`` anything JSON-serialisable
    (dates and Decimals are converted). The origin's hashed client address is stored.
    """
    event = audit_event(action=action, actor=actor, target=target, details=details, origin=origin)
    event.save()
    return event


def record_events(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append many entries at once (made with :func:`audit_event`), for a change of many
    objects in one go: one INSERT per thousand entries instead of one each."""
    for event in events:
        if event.pk is not None:
            raise ValueError("audit events are appended once")
    return AuditEvent.objects.bulk_create(events, batch_size=1000)
