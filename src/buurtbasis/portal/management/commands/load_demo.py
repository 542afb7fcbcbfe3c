"""Load the demo municipalities (Zwolle and Rotterdam). Running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.areas.services import ROTTERDAM_CODE, ZWOLLE_CODE, load_bundled_municipality
from buurtbasis.platform import ratelimit
from buurtbasis.platform.tenancy import ensure_tenant, tenant_home_url
from buurtbasis.portal.demo import buddies as buddies_demo
from buurtbasis.portal.demo import budgets as budgets_demo
from buurtbasis.portal.demo import continuity as continuity_demo
from buurtbasis.portal.demo import exchange as exchange_demo
from buurtbasis.portal.demo import hosting as hosting_demo
from buurtbasis.portal.demo import initiatives as demo
from buurtbasis.portal.demo import logbook as logbook_demo
from buurtbasis.portal.demo import partnerships as partnerships_demo
from buurtbasis.portal.demo import practices as practices_demo
from buurtbasis.portal.demo import referrals as referrals_demo
from buurtbasis.portal.demo import rooms as rooms_demo
from buurtbasis.portal.demo import stories as stories_demo
from buurtbasis.portal.demo import volunteering as volunteering_demo

# The two demo tenants: Zwolle on 127.0.0.1 (the address `make run` prints) and
# Rotterdam on localhost; both also under /g/<slug>/ on any host name.
DEMO_TENANTS = [
    {
        "cbs_code": ZWOLLE_CODE,
        "name": "Zwolle",
        "slug": "zwolle",
        "hosts": ["127.0.0.1"],
        "primary_colour": "#00689e",
    },
    {
        "cbs_code": ROTTERDAM_CODE,
        "name": "Rotterdam",
        "slug": "rotterdam",
        "hosts": ["localhost"],
        "primary_colour": "#00811f",
    },
]


class Command(BaseCommand):
    help = "Load the demo municipalities (Zwolle and Rotterdam). Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8000, help="the port to print in the addresses"
        )

    def handle(self, *args, **options):
        # The demo is made through the services, which limit what one person may do per
        # hour; a second load_demo (or the tests) would run into those limits.
        with ratelimit.suspended():
            self._load(options)

    def _load(self, options):
        gemeente = load_bundled_municipality(ZWOLLE_CODE)
        rotterdam = load_bundled_municipality(ROTTERDAM_CODE)
        for area in (gemeente, rotterdam):
            self.stdout.write(
                ngettext(
                    "Areas: %(name)s with %(n)d wijk (source: CBS).",
                    "Areas: %(name)s with %(n)d wijken (source: CBS).",
                    area.children.count(),
                )
                % {"name": area.name, "n": area.children.count()}
            )
        result = demo.load_people_and_initiatives(gemeente=gemeente)
        second = demo.load_second_municipality(gemeente=rotterdam, zwolle=gemeente)
        for label, n in second.created.items():
            result.add(label, n)
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
        budgets_demo.load_second_municipality_rounds(stdout=self.stdout)
        self.stdout.write("")
        hosting_demo.load_demo_hosting(stdout=self.stdout)
        self.stdout.write("")
        stories_demo.load_demo_stories(stdout=self.stdout)
        self.stdout.write("")
        logbook_demo.load_demo_logbook(stdout=self.stdout)
        self.stdout.write("")
        volunteering_demo.load_demo_volunteering(stdout=self.stdout)
        self.stdout.write("")
        rooms_demo.load_demo_rooms(stdout=self.stdout)
        self.stdout.write("")
        buddies_demo.load_demo_buddies(stdout=self.stdout)
        self.stdout.write("")
        referrals_demo.load_demo_referrals(stdout=self.stdout)
        self.stdout.write("")
        partnerships_demo.load_demo_partnerships(stdout=self.stdout)
        self.stdout.write("")
        exchange_demo.load_demo_exchange(stdout=self.stdout)
        self.stdout.write("")
        practices_demo.load_demo_practices(stdout=self.stdout)
        self.stdout.write("")
        continuity_demo.load_demo_continuity(stdout=self.stdout)

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Municipalities (tenants):")))
        allowed = set(settings.ALLOWED_HOSTS)
        for spec in DEMO_TENANTS:
            tenant = ensure_tenant(**spec)
            hosts = [h for h in spec["hosts"] if h in allowed or "*" in allowed]
            url = tenant_home_url(tenant, port=options["port"]) if hosts else ""
            self.stdout.write(
                _("  %(name)s: %(url)s or http://127.0.0.1:%(port)d/g/%(slug)s/")
                % {
                    "name": tenant.name,
                    "url": url or "-",
                    "port": options["port"],
                    "slug": tenant.slug,
                }
            )

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo log-ins (one per role):")))
        for role, email in result.logins:
            self.stdout.write(f"  {role:<40} {email}")
        self.stdout.write(_("Rotterdam, and the social-work organisation that works in both:"))
        for role, email in second.logins:
            self.stdout.write(f"  {role:<40} {email}")
        self.stdout.write(_("Learning, matching and working together (Zwolle):"))
        for role, local in (
            (_("Buddy matcher"), "matcher"),
            (_("Partner contact of a school (rooms)"), "school"),
            (_("Partner contact (pulse)"), "partner.school"),
            (_("Volunteer who refers"), "doorverwijzer"),
            (_("Professional receiving referrals"), "schuldhulp"),
            (_("Volunteer who carries too much"), "vrijwilliger"),
            (_("Resident who takes over a role"), "opvolger"),
        ):
            self.stdout.write(f"  {role:<40} {local}@{demo.DEMO_DOMAIN}")
        self.stdout.write(
            _("  Password for all of them: %(password)s") % {"password": demo.DEMO_PASSWORD}
        )
