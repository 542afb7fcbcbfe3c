from django.core.management.base import BaseCommand

from buurtbasis.portal.demo.budgets import load_demo_rounds


class Command(BaseCommand):
    help = "Create the demo budget rounds (one per phase) for Zwolle. Idempotent."

    def handle(self, *args, **options):
        load_demo_rounds(stdout=self.stdout)
