"""Background tasks that failed for good: kept with their arguments until someone acts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FailedTask(models.Model):
    """A task whose last attempt failed, with everything needed to enqueue it again.

    Written by :func:`buurtbasis.platform.tasks.background` tasks, on every task
    backend (the database, RQ, immediate), so nothing a task carried is lost when
    the backend prunes its own results.
    """

    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True, db_index=True)
    task_path = models.CharField(_("task"), max_length=255)
    args_kwargs = models.JSONField(_("arguments"))
    queue_name = models.CharField(_("queue"), max_length=32, default="default")
    backend_name = models.CharField(_("backend"), max_length=32, default="default")
    priority = models.IntegerField(_("priority"), default=0)
    attempts = models.PositiveIntegerField(_("attempts"))
    exception_class_path = models.CharField(_("exception"), max_length=255)
    message = models.TextField(_("message"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    requeued_at = models.DateTimeField(_("enqueued again at"), null=True, blank=True)
    requeued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enqueued again by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requeued_result_id = models.CharField(_("new task result"), max_length=64, blank=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        permissions = [("requeue_failedtask", _("Can enqueue a failed task again"))]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.exception_class_path.rsplit('.', 1)[-1]})"

    @property
    def task_name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]
