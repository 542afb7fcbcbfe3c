"""Every write to accounts goes through a function here."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from buurtbasis.platform import privacy
from buurtbasis.platform.audit import Origin, absolute_url, record_event
from buurtbasis.platform.notifications import Address, language_of, notify, set_language

from .models import User

# --- Registration and e-mail verification -----------------------------------------


class EmailAlreadyUsed(Exception):
    pass


@transaction.atomic
def register_user(
    *, email: str, password: str, display_name: str = "", origin: Origin | None = None
) -> User:
    """Create an account that can log in at once; its e-mail is confirmed later."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise EmailAlreadyUsed(email)
    user = User.objects.create_user(email=email, password=password, display_name=display_name)
    if origin is not None and origin.language:
        set_language(user, origin.language)  # the language of the person's e-mails
    record_event(actor=user, action="accounts.registered", target=user, origin=origin)
    return user


def send_verification_email(*, user: User, origin: Origin | None = None) -> None:
    """Mail a link that confirms the address (printed on the console by default)."""
    from .tokens import make_verification_token, max_age

    link = absolute_url(
        reverse("accounts:verify", kwargs={"token": make_verification_token(user)}), origin
    )
    notify(
        user,
        "accounts.verify_email",
        {"user": user, "link": link, "days": max_age() // 86400},
        language=origin.language if origin else "",
    )


def verify_email(*, token: str, origin: Origin | None = None) -> User:
    """Mark the address in the token as confirmed; raises tokens.InvalidToken."""
    from .tokens import InvalidToken, read_verification_token

    user_id, email = read_verification_token(token)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email.lower() != email:
        raise InvalidToken("stale")
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        record_event(actor=user, action="accounts.email_verified", target=user, origin=origin)
    return user


def send_email_change(*, user: User, new_email: str, origin: Origin | None = None) -> None:
    """Mail a link to ``new_email`` that makes it the account's address, and tell the old one.

    Nothing changes until the link is used (``confirm_email_change``), so a typo
    or somebody else's address cannot take over the account.
    """
    from .tokens import make_change_token, max_age

    link = absolute_url(
        reverse(
            "accounts:email_change_confirm", kwargs={"token": make_change_token(user, new_email)}
        ),
        origin,
    )
    context = {"user": user, "link": link, "new_email": new_email, "days": max_age() // 86400}
    language = language_of(user, origin.language if origin else "")
    # The new address has no account yet: it gets the person's language.
    notify(Address(new_email, language), "accounts.email_change", context)
    notify(user, "accounts.email_change_notice", context, language=language)
    record_event(actor=user, action="accounts.email_change_requested", target=user, origin=origin)


@transaction.atomic
def confirm_email_change(*, token: str, origin: Origin | None = None) -> User:
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
    record_event(actor=user, action="accounts.email_changed", target=user, origin=origin)
    return user


# --- Deleting an account (AVG art. 17) --------------------------------------------


def anonymous_email(user_id: int) -> str:
    """The placeholder address of a deleted account (never deliverable).

    >>> anonymous_email(42)
    'verwijderd-42@invalid.invalid'
    """
    return f"verwijderd-{user_id}@invalid.invalid"


@transaction.atomic
def delete_account(*, user: User, origin: Origin | None = None) -> None:
    """Remove a person's personal data but keep the records that refer to them.

    Every app's eraser runs first (``platform.privacy.register_eraser``): memberships
    and initiative memberships end, ballots let go of the account, and so on. The
    account is then anonymised rather than deleted, so votes, initiatives and audit
    entries keep their meaning and counts. The audit entry holds no personal data.
    """
    erased = privacy.run_erasers(user)
    user.email = anonymous_email(user.pk)
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.birth_date = None
    user.home_area = None
    user.last_login = None  # no time left to match with an erased ballot's time
    user.email_verified = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    record_event(
        actor=None,
        action="accounts.deleted",
        target=user,
        details={"erasers": erased},
        origin=origin,
    )


# --- What a person states about themselves to vote with their account -------------

_UNSET = object()


def set_voter_details(
    *, user: User, birth_date=_UNSET, home_area=_UNSET, origin: Origin | None = None
) -> User:
    """Store the date of birth and/or the area where ``user`` lives (as they state them).

    Only the values passed are changed. Voting with an account relies on what the
    person declares; the audit trail notes that the details changed, not the values.
    """
    fields = []
    if birth_date is not _UNSET:
        user.birth_date = birth_date
        fields.append("birth_date")
    if home_area is not _UNSET:
        user.home_area = home_area
        fields.append("home_area")
    if fields:
        user.save(update_fields=fields)
        record_event(
            actor=user,
            action="accounts.voter_details_changed",
            target=user,
            details={"fields": fields},
            origin=origin,
        )
    return user
