from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo municipality (Zwolle). Running it twice changes nothing."

    def handle(self, *args, **options):
        self.stdout.write("The demo data is not built yet.")
