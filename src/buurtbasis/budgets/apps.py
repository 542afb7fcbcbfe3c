from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "buurtbasis.budgets"
    verbose_name = _("Budgets")

    def ready(self):
        from buurtbasis.platform import schedule
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_followable, register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import access, dashboard, privacy, privacy_assessment, todo
        from .models import BudgetRound, Plan
        from .tasks import advance_phases

        register_exporter("budgets", privacy.export_budgets)
        register_eraser("budgets", privacy.erase_budgets)
        register_exporter("budgets_assessment", privacy_assessment.export_assessment)
        register_eraser("budgets_assessment", privacy_assessment.erase_assessment)
        register_block(
            "dashboard",
            key="budgets.plans",
            template="budgets/_dashboard.html",
            context=dashboard.my_budget_block,
            order=40,
        )
        register_block(
            "dashboard",
            key="budgets.todo",
            template="budgets/_todo.html",
            context=todo.civil_servant_todo,
            order=10,
        )
        # Phases start at their set time: manage.py enqueue_scheduled (cron, every few
        # minutes) enqueues the task that moves the rounds every five minutes.
        schedule.register("budgets.advance_phases", advance_phases, every=timedelta(minutes=5))
        register_followable(BudgetRound, can_follow=access.can_view_round)
        register_followable(Plan, can_follow=access.can_view_plan)
        folder = "budgets/notifications/"
        register_kind(
            "budgets.phase_changed",
            label=_("A neighbourhood budget round I follow moves to its next phase"),
            subject=folder + "phase_changed_subject.txt",
            text=folder + "phase_changed_body.txt",
            line=folder + "phase_changed_line.txt",
        )
        register_kind(
            "budgets.plan_status_changed",
            label=_("The status of a plan I follow changes"),
            subject=folder + "plan_status_changed_subject.txt",
            text=folder + "plan_status_changed_body.txt",
            line=folder + "plan_status_changed_line.txt",
        )
        register_kind(
            "budgets.plan_assessed",
            label=_("The municipality has assessed my plan"),
            subject=folder + "plan_assessed_subject.txt",
            text="budgets/email/plan_assessed.txt",
            line=folder + "plan_assessed_line.txt",
        )
        from . import participation_setup

        participation_setup.register()
        register_kind(
            "budgets.plan_question",
            label=_("The municipality asks a question about my plan"),
            subject=folder + "plan_question_subject.txt",
            text=folder + "plan_question_body.txt",
            line=folder + "plan_question_line.txt",
        )
