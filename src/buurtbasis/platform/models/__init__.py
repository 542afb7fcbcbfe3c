"""The ground floor's models, one module per concern."""

from .audit import AuditEvent, AuditLogIsAppendOnly
from .notifications import (
    Delivery,
    Follow,
    Notification,
    NotificationPreference,
    NotificationSettings,
)

__all__ = [
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "Delivery",
    "Follow",
    "Notification",
    "NotificationPreference",
    "NotificationSettings",
]
