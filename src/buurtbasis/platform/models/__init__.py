"""The ground floor's models, one module per concern."""

from .tenancy import Tenant, TenantHost

__all__ = ["Tenant", "TenantHost"]
