"""Registrations for taking part (supporting, comments): notification kinds and the
privacy exporter and eraser. Called from ``BudgetsConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from buurtbasis.platform.notifications import register_kind
    from buurtbasis.platform.privacy import register_eraser, register_exporter

    from . import participation_privacy

    folder = "budgets/notifications/"
    register_kind(
        "budgets.plan_support_reached",
        label=_("My plan has the supporters the round asks for"),
        subject=folder + "plan_support_reached_subject.txt",
        text=folder + "plan_support_reached_body.txt",
        line=folder + "plan_support_reached_line.txt",
    )
    register_kind(
        "budgets.plan_commented",
        label=_("A plan I follow has a new comment"),
        subject=folder + "plan_commented_subject.txt",
        text=folder + "plan_commented_body.txt",
        line=folder + "plan_commented_line.txt",
    )
    register_exporter("budgets_participation", participation_privacy.export_participation)
    register_eraser("budgets_participation", participation_privacy.erase_participation)
