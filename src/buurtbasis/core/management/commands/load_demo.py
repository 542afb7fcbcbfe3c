"""Load the demo municipality (Zwolle). Running it twice changes nothing."""

import importlib
import importlib.util

from django.core.management.base import BaseCommand

from buurtbasis.areas.services import load_bundled_zwolle
from buurtbasis.initiatives import demo


class Command(BaseCommand):
    help = "Load the demo municipality (Zwolle). Running it twice changes nothing."

    def handle(self, *args, **options):
        gemeente = load_bundled_zwolle()
        self.stdout.write(
            f"Gebieden: {gemeente.name} met {gemeente.children.count()} wijken (Bron: CBS)."
        )
        result = demo.load_people_and_initiatives(gemeente=gemeente)
        if result.created:
            made = ", ".join(f"{n} {label}" for label, n in sorted(result.created.items()) if n)
            self.stdout.write(f"Aangemaakt: {made}.")
        else:
            self.stdout.write("De demo-gegevens waren er al; er is niets veranderd.")

        # The buurtbudget helper adds budgets/demo.py with load_demo_rounds().
        if importlib.util.find_spec("buurtbasis.budgets.demo") is not None:
            budgets_demo = importlib.import_module("buurtbasis.budgets.demo")
            summary = budgets_demo.load_demo_rounds()
            if summary:
                self.stdout.write(str(summary))

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo-inloggegevens (wachtwoord voor allemaal):"))
        self.stdout.write(f"  wachtwoord: {demo.DEMO_PASSWORD}")
        for role, email in result.logins:
            self.stdout.write(f"  {role:<55} {email}")
