"""Every change to an initiative goes through a function here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from buurtbasis.platform.audit import Origin, absolute_url, record_event
from buurtbasis.platform.notifications import Address, notify, notify_followers

from . import vocabulary
from .models import NEEDS, Initiative, Status, StatusChange, TargetGroup, Theme

# Which lifecycle steps are possible from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.IDEA: (Status.ACTIVE, Status.ENDED),
    Status.ACTIVE: (Status.PAUSED, Status.HANDED_OVER, Status.ENDED),
    Status.PAUSED: (Status.ACTIVE, Status.HANDED_OVER, Status.ENDED),
    Status.HANDED_OVER: (Status.ACTIVE, Status.ENDED),
    Status.ENDED: (Status.ACTIVE,),
}

NEED_FIELDS = {key: field for key, field, _label in NEEDS}


def ensure_vocabulary() -> int:
    """Create the standard themes and target groups that are missing; return how many.

    The data migration does this too; tests that flush the database and the demo
    loader call it to be sure.
    """
    created = 0
    for model, items in ((Theme, vocabulary.THEMES), (TargetGroup, vocabulary.TARGET_GROUPS)):
        for slug, name in items:
            created += model.objects.get_or_create(slug=slug, defaults={"name": name})[1]
    return created


class InitiativeError(Exception):
    """A change to an initiative that is not allowed; the message is for the user."""


def unique_slug(name: str) -> str:
    """A free slug for `name`: slugify it and add -2, -3… when it is taken."""
    base = slugify(name)[:150].strip("-") or "initiatief"
    taken = set(Initiative.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _needs_from_keys(keys: Iterable[str]) -> dict[str, bool]:
    keys = set(keys)
    unknown = keys - NEED_FIELDS.keys()
    if unknown:
        raise InitiativeError(_("Unknown need: %(need)s") % {"need": ", ".join(sorted(unknown))})
    return {field: key in keys for key, field in NEED_FIELDS.items()}


def start_initiative(
    *,
    creator,
    name: str,
    pitch: str,
    areas: Iterable,
    contact_email: str,
    description: str = "",
    themes: Iterable = (),
    target_groups: Iterable = (),
    needs: Iterable[str] = (),
    contact_name: str = "",
    contact_phone: str = "",
    is_public: bool = True,
    today: datetime.date | None = None,
) -> Initiative:
    """Create an initiative as an idea; the creator becomes its first member."""
    fields = {
        "name": name.strip(),
        "pitch": pitch.strip(),
        "description": description.strip(),
        "contact_email": contact_email.strip(),
        "contact_name": contact_name.strip(),
        "contact_phone": contact_phone.strip(),
        "is_public": is_public,
        "status": Status.IDEA,
        "created_by": creator,
        **_needs_from_keys(needs),
    }
    for attempt in range(3):
        slug = unique_slug(fields["name"])
        if attempt:
            slug = f"{slug}-{get_random_string(4).lower()}"
        try:
            with transaction.atomic():
                initiative = Initiative.objects.create(slug=slug, **fields)
                initiative.areas.set(areas)
                initiative.themes.set(themes)
                initiative.target_groups.set(target_groups)
                initiative.members.add(creator)
                StatusChange.objects.create(
                    initiative=initiative,
                    from_status="",
                    to_status=Status.IDEA,
                    changed_on=today or timezone.localdate(),
                    changed_by=creator,
                )
                return initiative
        except IntegrityError:  # two people took the same slug at the same moment
            continue
    raise InitiativeError(_("Could not save the initiative. Please try again."))


_UNCHANGED = object()

EDITABLE_FIELDS = (
    "name",
    "pitch",
    "description",
    "contact_email",
    "contact_name",
    "contact_phone",
    "is_public",
)


@transaction.atomic
def update_initiative(
    *,
    initiative: Initiative,
    editor,
    needs: Iterable[str] | None = None,
    areas: Iterable | None = None,
    themes: Iterable | None = None,
    target_groups: Iterable | None = None,
    host_organisation=_UNCHANGED,
    **changes,
) -> Initiative:
    """Change the texts, contact details, needs, tags and host. The slug stays the same.

    Choosing a host organisation means the initiative no longer asks for one.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(initiative, field, value.strip() if isinstance(value, str) else value)
    if needs is not None:
        for field, value in _needs_from_keys(needs).items():
            setattr(initiative, field, value)
    if host_organisation is not _UNCHANGED:
        initiative.host_organisation = host_organisation
        if host_organisation is not None:
            initiative.needs_host = False
    initiative.save()
    if areas is not None:
        initiative.areas.set(areas)
    if themes is not None:
        initiative.themes.set(themes)
    if target_groups is not None:
        initiative.target_groups.set(target_groups)
    return initiative


def allowed_statuses(initiative: Initiative) -> tuple[str, ...]:
    return TRANSITIONS[initiative.status]


@transaction.atomic
def change_status(
    *,
    initiative: Initiative,
    to_status: str,
    by,
    note: str = "",
    on: datetime.date | None = None,
) -> StatusChange:
    """Move the initiative one step in its lifecycle and keep the step as history.

    Becoming active sets `started_on` (the first time); ending sets `ended_on`;
    starting again after an end clears `ended_on`.
    """
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if to_status not in TRANSITIONS.get(initiative.status, ()):
        raise InitiativeError(
            _("An initiative with status “%(from)s” cannot become “%(to)s”.")
            % {
                "from": Status(initiative.status).label,
                "to": Status(to_status).label if to_status in Status.values else to_status,
            }
        )
    on = on or timezone.localdate()
    change = StatusChange.objects.create(
        initiative=initiative,
        from_status=initiative.status,
        to_status=to_status,
        changed_on=on,
        changed_by=by,
        note=note.strip(),
    )
    initiative.status = to_status
    update = ["status", "updated_at"]
    if to_status == Status.ACTIVE:
        if initiative.started_on is None:
            initiative.started_on = on
            update.append("started_on")
        if initiative.ended_on is not None:
            initiative.ended_on = None
            update.append("ended_on")
    elif to_status == Status.ENDED:
        initiative.ended_on = on
        update.append("ended_on")
    initiative.save(update_fields=update)
    notify_followers(
        initiative,
        "initiatives.status_changed",
        {
            "initiative": initiative,
            "old_status": Status(change.from_status).label,
            "status": Status(to_status).label,
            "note": change.note,
            "link": initiative.get_absolute_url(),
        },
        exclude=[by],
        municipality=initiative.municipality_code(),
    )
    return change


# --- Co-initiators ------------------------------------------------------------------
#
# An initiative should not depend on one person. Its initiators (and the host's
# community workers) invite others by e-mail; the link works only for an account
# with that address, for INVITE_DAYS days, and as long as the inviter may still
# manage the initiative. Nothing is stored until the invitation is accepted.

INVITE_SALT = "buurtbasis.initiatives.invite"
INVITE_DAYS = 14


class InvitationInvalid(Exception):
    """The link is broken, too old, no longer valid, or for another address."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def make_invitation(initiative: Initiative, email: str, inviter) -> str:
    data = {"i": initiative.pk, "e": email.strip().lower(), "by": inviter.pk}
    return signing.dumps(data, salt=INVITE_SALT, compress=True)


def read_invitation(token: str) -> tuple[int, str, int]:
    """(initiative id, invited address, inviter id); raises InvitationInvalid."""
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_DAYS * 24 * 3600)
        return int(data["i"]), str(data["e"]), int(data["by"])
    except signing.SignatureExpired:
        raise InvitationInvalid("expired") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvitationInvalid("invalid") from None


def _audit(**kwargs) -> None:
    record_event(**kwargs)


def invite_coinitiator(
    *, initiative: Initiative, email: str, inviter, origin: Origin | None = None
) -> None:
    """Mail an invitation to become an initiator of ``initiative`` to ``email``."""
    email = email.strip().lower()
    if initiative.members.filter(email__iexact=email).exists():
        raise InitiativeError(_("This person is already an initiator."))
    link = absolute_url(
        reverse(
            "initiatives:invitation",
            kwargs={
                "slug": initiative.slug,
                "token": make_invitation(initiative, email, inviter),
            },
        ),
        origin,
    )
    context = {
        "initiative": initiative,
        "inviter": inviter.display_name or inviter.email,
        "link": link,
        "days": INVITE_DAYS,
    }
    # An address, maybe without an account: the account's language if there is one,
    # else the language the inviter uses.
    notify(
        Address(email, origin.language if origin else ""),
        "initiatives.coinitiator_invitation",
        context,
    )
    _audit(
        actor=inviter, action="initiatives.coinitiator_invited", target=initiative, origin=origin
    )


@transaction.atomic
def accept_invitation(*, token: str, user, origin: Origin | None = None) -> Initiative:
    """Make ``user`` an initiator; raises InvitationInvalid (reason "other-address" when
    the invitation was sent to another address than the account's)."""
    from .access import can_manage_initiative

    initiative_id, email, inviter_id = read_invitation(token)
    initiative = Initiative.objects.select_for_update().filter(pk=initiative_id).first()
    if initiative is None:
        raise InvitationInvalid("invalid")
    if user.email.lower() != email:
        raise InvitationInvalid("other-address")
    if initiative.members.filter(pk=user.pk).exists():
        return initiative
    inviter = get_user_model().objects.filter(pk=inviter_id).first()
    if inviter is None or not can_manage_initiative(inviter, initiative):
        raise InvitationInvalid("withdrawn")
    initiative.members.add(user)
    _audit(actor=user, action="initiatives.coinitiator_joined", target=initiative, origin=origin)
    return initiative


@transaction.atomic
def leave_initiative(*, initiative: Initiative, user, origin: Origin | None = None) -> bool:
    """Stop being an initiator; False when ``user`` was none. The last initiator
    cannot leave: hand over first."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    members = list(initiative.members.values_list("pk", flat=True))
    if user.pk not in members:
        return False
    if len(members) == 1:
        raise InitiativeError(
            _(
                "You are the only initiator. Invite someone to take over first, "
                "or change the status to ended."
            )
        )
    initiative.members.remove(user)
    _audit(actor=user, action="initiatives.coinitiator_left", target=initiative, origin=origin)
    return True


# --- Initiators changed by a hand-over (used by the continuity app) ------------------


@transaction.atomic
def add_initiator(*, initiative: Initiative, user, origin: Origin | None = None) -> bool:
    """Make ``user`` an initiator (a hand-over chose them); False when they were one."""
    if initiative.members.filter(pk=user.pk).exists():
        return False
    initiative.members.add(user)
    _audit(
        action="initiatives.initiator_added",
        target=initiative,
        details={"user": user.pk},
        origin=origin,
    )
    return True


@transaction.atomic
def remove_initiator(*, initiative: Initiative, user, origin: Origin | None = None) -> bool:
    """Stop ``user`` being an initiator after a hand-over; the last one cannot go."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    members = set(initiative.members.values_list("pk", flat=True))
    if user.pk not in members:
        return False
    if len(members) == 1:
        raise InitiativeError(_("An initiative needs at least one initiator."))
    initiative.members.remove(user)
    _audit(
        action="initiatives.initiator_removed",
        target=initiative,
        details={"user": user.pk},
        origin=origin,
    )
    return True
