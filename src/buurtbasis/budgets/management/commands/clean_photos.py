"""Re-encode every stored plan and progress photo without metadata (run once after
upgrading): photos uploaded before every image went through the upload service
may still carry EXIF with the GPS position of someone's home."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from buurtbasis.budgets.models import Plan
from buurtbasis.platform import uploads

FOLDERS = ("budgets/plans", "budgets/progress")


class Command(BaseCommand):
    help = "Re-encode stored plan and progress photos in place, without EXIF/GPS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list the files")

    def handle(self, *args, dry_run=False, **options):
        storage = Plan._meta.get_field("photo").storage
        done = failed = 0
        for folder in FOLDERS:
            if not storage.exists(folder):
                continue
            _dirs, files = storage.listdir(folder)
            for filename in sorted(files):
                name = f"{folder}/{filename}"
                if dry_run:
                    self.stdout.write(name)
                    continue
                try:
                    uploads.rewrite_stored_image(storage, name)
                    done += 1
                except ValidationError as exc:
                    failed += 1
                    self.stderr.write(f"{name}: {' '.join(exc.messages)}")
        self.stdout.write(f"{done} photos re-encoded, {failed} not readable (left as they were)")
        return None
