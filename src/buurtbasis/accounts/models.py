from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    """Users log in with their e-mail address; the username mirrors it."""

    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        return super()._create_user(email, email, password, **extra_fields)

    def get_by_natural_key(self, username):
        """Log-in ignores the case of the e-mail address."""
        return self.get(email__iexact=username)

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_superuser(email, email, password, **extra_fields)


class User(AbstractUser):
    """A person using Buurtbasis. Roles come from memberships of organisations."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    home_area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("neighbourhood"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        self.username = self.email
        super().save(*args, **kwargs)


class AuditEventQuerySet(models.QuerySet):
    """Audit events are append-only: no bulk updates or deletes."""

    def update(self, **kwargs):
        # Deleting a user sets ``actor`` to NULL (on_delete=SET_NULL); nothing else may change.
        if kwargs != {"actor": None}:
            raise AuditLogIsAppendOnly("audit events cannot be changed")
        return super().update(**kwargs)

    def delete(self):
        raise AuditLogIsAppendOnly("audit events cannot be deleted")


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    """Who did what, to which object, when. Written through ``services.record_event``.

    Used for decisions and money (budgets, rounds, payouts) and for account events.
    Rows are never changed or deleted. The client address is stored only as a keyed
    hash, so that repeated events from one address can be linked without storing it.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_hash = models.CharField(_("client address (hashed)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditLogIsAppendOnly("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be deleted")
