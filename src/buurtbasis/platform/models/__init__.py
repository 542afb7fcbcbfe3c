"""The ground floor's models, one module per concern."""

from .notifications import (
    Delivery,
    Follow,
    Notification,
    NotificationPreference,
    NotificationSettings,
)

__all__ = [
    "Delivery",
    "Follow",
    "Notification",
    "NotificationPreference",
    "NotificationSettings",
]
