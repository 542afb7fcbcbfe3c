"""Every write to accounts goes through a function here."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from buurtbasis.platform.ratelimit import client_ip

from .models import AuditEvent, User


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


# --- Registration and e-mail verification -----------------------------------------


class EmailAlreadyUsed(Exception):
    pass


@transaction.atomic
def register_user(*, email: str, password: str, display_name: str = "", request=None) -> User:
    """Create an account that can log in at once; its e-mail is confirmed later."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise EmailAlreadyUsed(email)
    user = User.objects.create_user(email=email, password=password, display_name=display_name)
    record_event(actor=user, action="accounts.registered", target=user, request=request)
    return user


def send_verification_email(*, user: User, request) -> None:
    """Mail a link that confirms the address (printed on the console by default)."""
    from .tokens import make_verification_token, max_age

    link = request.build_absolute_uri(
        reverse("accounts:verify", kwargs={"token": make_verification_token(user)})
    )
    context = {"user": user, "link": link, "days": max_age() // 86400, "site_name": "Buurtbasis"}
    with translation.override(translation.get_language()):
        subject = render_to_string("accounts/email/verify_subject.txt", context).strip()
        body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(subject, body, None, [user.email])


def verify_email(*, token: str, request=None) -> User:
    """Mark the address in the token as confirmed; raises tokens.InvalidToken."""
    from .tokens import InvalidToken, read_verification_token

    user_id, email = read_verification_token(token)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email.lower() != email:
        raise InvalidToken("stale")
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        record_event(actor=user, action="accounts.email_verified", target=user, request=request)
    return user


def send_email_change(*, user: User, new_email: str, request) -> None:
    """Mail a link to ``new_email`` that makes it the account's address, and tell the old one.

    Nothing changes until the link is used (``confirm_email_change``), so a typo
    or somebody else's address cannot take over the account.
    """
    from .tokens import make_change_token, max_age

    link = request.build_absolute_uri(
        reverse(
            "accounts:email_change_confirm", kwargs={"token": make_change_token(user, new_email)}
        )
    )
    context = {
        "user": user,
        "link": link,
        "new_email": new_email,
        "days": max_age() // 86400,
        "site_name": "Buurtbasis",
    }
    with translation.override(translation.get_language()):
        subject = render_to_string("accounts/email/change_subject.txt", context).strip()
        body = render_to_string("accounts/email/change_body.txt", context)
        notice = render_to_string("accounts/email/change_notice_body.txt", context)
    send_mail(subject, body, None, [new_email])
    send_mail(subject, notice, None, [user.email])
    record_event(actor=user, action="accounts.email_change_requested", target=user, request=request)


@transaction.atomic
def confirm_email_change(*, token: str, request=None) -> User:
    """Make the new address in a change token the account's (confirmed) address.

    Raises ``tokens.InvalidToken`` for a broken, old or stale link (the address
    changed since it was sent) and ``EmailAlreadyUsed`` when another account
    took the new address in the meantime.
    """
    from .tokens import InvalidToken, read_change_token

    user_id, current, new_email = read_change_token(token)
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.email.lower() != current:
        raise InvalidToken("stale")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailAlreadyUsed(new_email)
    user.email = new_email
    user.email_verified = True
    user.save(update_fields=["email", "email_verified"])
    record_event(actor=user, action="accounts.email_changed", target=user, request=request)
    return user


# --- Deleting an account (AVG art. 17) --------------------------------------------


def anonymous_email(user_id: int) -> str:
    """The placeholder address of a deleted account (never deliverable).

    >>> anonymous_email(42)
    'verwijderd-42@invalid.invalid'
    """
    return f"verwijderd-{user_id}@invalid.invalid"


@transaction.atomic
def delete_account(*, user: User, request=None) -> None:
    """Remove a person's personal data but keep the records that refer to them.

    Other apps' erasers run first (see ``privacy.register_eraser``). The account is
    then anonymised rather than deleted, so votes, initiatives and audit entries keep
    their meaning and counts; memberships and initiative memberships end. The audit
    entry holds no personal data.
    """
    from . import privacy
    from .access import forget_roles

    erased = privacy.run_erasers(user)
    memberships = user.memberships.count()
    user.memberships.all().delete()
    joined = getattr(user, "initiatives", None)
    if joined is not None:
        joined.clear()
    user.email = anonymous_email(user.pk)
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.birth_date = None
    user.home_area = None
    user.email_verified = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    forget_roles(user)
    record_event(
        actor=None,
        action="accounts.deleted",
        target=user,
        details={"memberships_ended": memberships, "erasers": erased},
        request=request,
    )
