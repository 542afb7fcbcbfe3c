"""The ground floor's models, one module per concern."""

from .audit import AuditEvent, AuditLogIsAppendOnly

__all__ = ["AuditEvent", "AuditLogIsAppendOnly"]
