"""Load the demo municipality (Zwolle). Running it twice changes nothing."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from buurtbasis.areas.services import load_bundled_zwolle
from buurtbasis.portal.demo import budgets as budgets_demo
from buurtbasis.portal.demo import initiatives as demo


class Command(BaseCommand):
    help = "Load the demo municipality (Zwolle). Running it twice changes nothing."

    def handle(self, *args, **options):
        gemeente = load_bundled_zwolle()
        self.stdout.write(
            _("Areas: %(name)s with %(n)d wijken (source: CBS).")
            % {"name": gemeente.name, "n": gemeente.children.count()}
        )
        result = demo.load_people_and_initiatives(gemeente=gemeente)
        if result.created:
            labels = {
                "organisations": _("organisations"),
                "users": _("users"),
                "memberships": _("memberships"),
                "initiatives": _("initiatives"),
            }
            made = ", ".join(
                f"{n} {labels.get(key, key)}" for key, n in sorted(result.created.items())
            )
            self.stdout.write(_("Created: %(list)s.") % {"list": made})
        else:
            self.stdout.write(_("The demo data was already there; nothing has changed."))

        budgets_demo.load_demo_rounds(stdout=self.stdout)

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo log-ins (one per role):")))
        for role, email in result.logins:
            self.stdout.write(f"  {role:<40} {email}")
        self.stdout.write(
            _("  Password for all of them: %(password)s") % {"password": demo.DEMO_PASSWORD}
        )
