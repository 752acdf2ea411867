from django.core.management.base import BaseCommand, CommandError

from kechuang.core.auditchain import chain_verify


class Command(BaseCommand):
    help = (
        "audit verify: check the audit trail's hash chain; exits 1 and names the first broken link when an "
        "event was changed, deleted or inserted behind the app's back."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="check the whole chain (streamed; prints the head to keep elsewhere)")

    def handle(self, *args, verb, **options):
        if verb != "verify":  # pragma: no cover - argparse refuses other verbs
            raise CommandError(f"unknown verb {verb}")

        def progress(n):
            self.stderr.write(f"... {n} events")

        result = chain_verify(progress=progress)
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN: {result.problem} ({result.checked} events checked before it)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"audit chain ok: {result.checked} events; head seq {result.head_seq} hash {result.head_hash}"
            )
        )
