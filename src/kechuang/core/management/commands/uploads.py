from django.core.management.base import BaseCommand

from kechuang.core.roles import SYSTEM
from kechuang.core.services import uploads_rename_guessable


class Command(BaseCommand):
    help = (
        "uploads rename [--dry-run]: move files stored before names on disk were random (their original "
        "names) to <prefix>/<year>/<random token>/<name>, and point their rows there (audited)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        rename = sub.add_parser("rename", help="give every upload with a guessable name an unguessable one")
        rename.add_argument("--dry-run", action="store_true", help="list what would move; change nothing")

    def handle(self, *args, verb, dry_run=False, **options):
        done = uploads_rename_guessable(actor=SYSTEM, dry_run=dry_run)
        moved = [d for d in done if not d.missing]
        for d in done:
            if d.missing:
                self.stderr.write(f"missing: {d.model} #{d.pk} {d.field}: {d.old} (left as it is)")
            else:
                self.stdout.write(f"{d.model} #{d.pk} {d.field}: {d.old} -> {d.new}")
        verb_done = "would move" if dry_run else "moved"
        self.stdout.write(
            self.style.SUCCESS(f"{verb_done} {len(moved)} files; {len(done) - len(moved)} missing")
        )
