import json

from django.core.management.base import BaseCommand

from ._common import read_and_repair


class Command(BaseCommand):
    help = "Print the repaired text of a report file (no database). --changes lists every change instead."

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .txt/.html/.docx/.pdf file, or - for standard input")
        parser.add_argument("--changes", action="store_true", help="print the changes as JSON lines")

    def handle(self, *args, file, changes=False, **options):
        decoded, result = read_and_repair(file)
        if changes:
            for c in result.changes():
                self.stdout.write(
                    json.dumps(
                        {
                            "seq": c.seq,
                            "step": c.step,
                            "orig_start": c.orig_start,
                            "orig_end": c.orig_end,
                            "rep_start": c.rep_start,
                            "rep_end": c.rep_end,
                            "before": c.before,
                            "after": c.after,
                            "note": c.note,
                            "uncertain": c.uncertain,
                        },
                        ensure_ascii=False,
                    )
                )
            self.stderr.write(f"{result.edit_count} changes; encoding {decoded.encoding or decoded.format}")
            return
        self.stdout.write(result.text, ending="" if result.text.endswith("\n") else "\n")
