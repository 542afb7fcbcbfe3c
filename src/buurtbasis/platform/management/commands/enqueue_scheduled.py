from django.core.management.base import BaseCommand
from django.utils import timezone

from buurtbasis.platform import schedule
from buurtbasis.platform.models import ScheduledJobRun


class Command(BaseCommand):
    help = (
        "Enqueue the scheduled jobs that are due (the workers run them). Run it every few "
        "minutes from cron or a systemd timer; each job is enqueued once per its interval."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="show the jobs and when they were last enqueued"
        )

    def handle(self, *args, list=False, **options):  # noqa: A002 (the option's name)
        if list:
            last = {run.name: run for run in ScheduledJobRun.objects.all()}
            for job in schedule.registered():
                run = last.get(job.name)
                when = run.last_enqueued_at.isoformat() if run and run.last_enqueued_at else "never"
                self.stdout.write(f"{job.name}  every {job.every}  last enqueued: {when}")
            return
        enqueued = schedule.enqueue_due(timezone.now())
        for name, result_id in enqueued:
            self.stdout.write(f"{name}: enqueued ({result_id})")
        if not enqueued:
            self.stdout.write("Nothing due.")
