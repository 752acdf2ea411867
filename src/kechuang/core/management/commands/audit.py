import os

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.auditchain import UNKEYED, chain_reseal, chain_verify


class Command(BaseCommand):
    help = (
        "audit verify: check the audit trail's hash chain; exits 1 and names the first broken link when an "
        "event was changed, deleted or inserted behind the app's back. audit reseal: after the audit key "
        "changed, re-seal a chain that verifies under the previous key."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="check the whole chain (streamed; prints the head to keep elsewhere)")
        reseal = sub.add_parser(
            "reseal", help="re-seal the chain under the current key; it must verify under the previous one"
        )
        old = reseal.add_mutually_exclusive_group(required=True)
        old.add_argument(
            "--previous-key-env",
            metavar="VAR",
            help="the environment variable holding the previous KECHUANG_AUDIT_KEY (never on the command line)",
        )
        old.add_argument(
            "--from-unkeyed", action="store_true", help="the chain is of the first, unkeyed scheme"
        )

    def handle(self, *args, verb, **options):
        if verb == "reseal":
            return self.reseal(options)

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

    def reseal(self, options):
        if options["from_unkeyed"]:
            old_key = UNKEYED
        else:
            value = os.environ.get(options["previous_key_env"], "")
            if not value:
                raise CommandError(f"the environment variable {options['previous_key_env']} is empty")
            old_key = value.encode("utf-8")
        result = chain_reseal(old_key=old_key)
        if result.problem:
            raise CommandError(f"audit chain NOT re-sealed, nothing written: {result.problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"audit chain re-sealed: {result.resealed} events; head hash {result.old_head} -> "
                f"{result.new_head} (keep the new head elsewhere)"
            )
        )
