"""The ground floor's models, one module per concern."""

from .audit import AuditEvent, AuditLogIsAppendOnly
from .notifications import (
    Delivery,
    Follow,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from .schedule import ScheduledJobRun
from .tasks import FailedTask
from .tenancy import Tenant, TenantHost

__all__ = [
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "Delivery",
    "FailedTask",
    "Follow",
    "Notification",
    "NotificationPreference",
    "NotificationSettings",
    "ScheduledJobRun",
    "Tenant",
    "TenantHost",
]
