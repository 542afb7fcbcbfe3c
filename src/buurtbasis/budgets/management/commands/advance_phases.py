from django.core.management.base import BaseCommand

from buurtbasis.budgets.services import advance_due_phases


class Command(BaseCommand):
    help = (
        "Move every budget round whose next phase has started to that phase (each step logged). "
        "Safe to run as often as you like, e.g. every few minutes from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        report = advance_due_phases()
        for budget_round, start, result in report:
            line = f"{budget_round.slug}: {start} -> {result}"
            if result.startswith("error"):
                self.stderr.write(line)
            else:
                self.stdout.write(line)
        if not report:
            self.stdout.write("No phase changes due.")
