"""The ground floor's models, one module per concern."""

from .audit import AuditEvent, AuditLogIsAppendOnly
from .schedule import ScheduledJobRun
from .tasks import FailedTask

__all__ = ["AuditEvent", "AuditLogIsAppendOnly", "FailedTask", "ScheduledJobRun"]
