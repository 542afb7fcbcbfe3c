"""Every write to accounts goes through a function here."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from buurtbasis.core.ratelimit import client_ip

from .models import AuditEvent


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


def _json_safe(details: dict[str, Any] | None) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


def record_event(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    request=None,
) -> AuditEvent:
    """Append one entry to the audit trail.

    ``actor`` is a user (or None / AnonymousUser for the system), ``action`` a dotted
    name such as ``"budgets.round_closed"``, ``target`` the object acted on, and
    ``details`` anything JSON-serialisable (dates and Decimals are converted).
    Pass ``request`` to store a keyed hash of the client address.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    object_type = object_id = object_repr = ""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
        # A person's name or e-mail address does not belong in an append-only log.
        object_repr = "" if isinstance(target, AbstractBaseUser) else str(target)[:200]
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        details=_json_safe(details),
        ip_hash=hash_client_address(client_ip(request)) if request is not None else "",
    )
