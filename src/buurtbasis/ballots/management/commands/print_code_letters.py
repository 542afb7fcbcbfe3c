"""Make voting codes and print them as letters, for runs too large for the web form.

    python manage.py print_code_letters ROUND-SLUG --addresses adressen.csv --out brieven.pdf
    python manage.py print_code_letters ROUND-SLUG --count 1000 --out brieven.pdf

The address file is read, printed and forgotten (nothing of it is stored); the plain
codes exist only in the PDF. If printing fails, no codes are kept. The letters are
rendered in chunks, so memory stays bounded however many there are. The web page
(voting management of the round) does the same in the background.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from buurtbasis.ballots import letters, services
from buurtbasis.budgets.models import BudgetRound


class Command(BaseCommand):
    help = "Make voting codes for a round and print them as letters (PDF)."

    def add_arguments(self, parser):
        parser.add_argument("round", help="the round's slug")
        parser.add_argument("--addresses", type=Path, help="CSV: name, street, postcode, place")
        parser.add_argument("--count", type=int, help="letters without an address")
        parser.add_argument("--out", type=Path, required=True, help="where to write the PDF")

    def handle(self, *args, **options):
        budget_round = BudgetRound.objects.filter(slug=options["round"]).first()
        if budget_round is None:
            raise CommandError(f"no round with slug {options['round']!r}")
        addresses = None
        if options["addresses"]:
            try:
                addresses = letters.read_addresses(options["addresses"].read_bytes())
            except (OSError, letters.AddressFileError) as exc:
                raise CommandError(getattr(exc, "message", str(exc))) from exc
        n = len(addresses) if addresses else options["count"]
        if not n:
            raise CommandError("give --addresses or --count")
        batch, plain = services.make_code_batch(budget_round, n, with_addresses=bool(addresses))
        try:
            with options["out"].open("wb") as out:
                letters.write_letters_pdf(out, budget_round, plain, addresses)
        except BaseException:
            # nobody has seen these codes: they go again
            batch.codes.filter(used_at__isnull=True).delete()
            batch.delete()
            options["out"].unlink(missing_ok=True)
            raise
        self.stdout.write(f"{n} letters written to {options['out']}")
