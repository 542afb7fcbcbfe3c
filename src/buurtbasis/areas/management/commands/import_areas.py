from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.areas.services import import_area_files


class Command(BaseCommand):
    help = (
        "Import CBS areas and key figures: the variables dictionary (…_variabelen.csv), "
        "GeoJSON boundaries of gemeenten, wijken or buurten, and key-figure CSVs "
        "(kwb…csv). Each file is atomic: a broken file is reported and nothing of it "
        "is imported. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="CSV and GeoJSON files")
        parser.add_argument(
            "--year",
            type=int,
            help="the CBS classification year (default: the year in each file name)",
        )
        parser.add_argument(
            "--gemeente",
            metavar="GMxxxx",
            help="only import this municipality (e.g. GM0193 for Zwolle)",
        )

    def handle(self, *args, **options):
        gemeente = options["gemeente"]
        if gemeente is not None:
            gemeente = gemeente.strip().upper()
            if len(gemeente) != 6 or not gemeente.startswith("GM") or not gemeente[2:].isdigit():
                raise CommandError(
                    _("--gemeente needs a CBS municipality code such as GM0193, not “%(code)s”.")
                    % {"code": options["gemeente"]}
                )
        report = import_area_files(paths=options["files"], year=options["year"], gemeente=gemeente)
        for item in report.imported:
            line = _(
                "%(file)s: areas added: %(created)s, updated: %(updated)s; "
                "key figures: %(figures)s; indicators: %(indicators)s."
            ) % {
                "file": item.name,
                "created": item.created,
                "updated": item.updated,
                "figures": item.figures,
                "indicators": item.indicators,
            }
            if item.skipped:
                line += " " + ngettext(
                    "%(count)s row or feature of another municipality skipped.",
                    "%(count)s rows or features of other municipalities skipped.",
                    item.skipped,
                ) % {"count": item.skipped}
            self.stdout.write(self.style.SUCCESS(line))
            if item.unknown_keys:
                self.stdout.write(
                    self.style.WARNING(
                        _(
                            "%(file)s: figures without a known CBS key were not imported "
                            "(import the variables file first): %(keys)s"
                        )
                        % {"file": item.name, "keys": ", ".join(sorted(item.unknown_keys))}
                    )
                )
        if report.errors:
            lines = [_("Nothing was imported from these files:")]
            lines += [f"- {error}" for error in report.errors]
            raise CommandError("\n".join(lines))
