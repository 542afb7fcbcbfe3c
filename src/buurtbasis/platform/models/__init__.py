"""The ground floor's models, one module per concern."""

from buurtbasis.platform.models.schedule import ScheduledJobRun
from buurtbasis.platform.models.tasks import FailedTask

__all__ = ["FailedTask", "ScheduledJobRun"]
