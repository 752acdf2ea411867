"""`kechuang counters rebuild|check`: the counts kept by the writes (core.counters) against the tables.

`check` lists every kept count that differs from a count of its table (exit status 1 if any); `rebuild`
counts every table again and stores the counts (after a restore, a bulk load or a change made by hand in the
database), listing what had drifted.
"""

from django.core.management.base import BaseCommand, CommandError

from kechuang.core import counters


class Command(BaseCommand):
    help = "核对或重建计数（仪表盘和列表的统计数）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])

    def handle(self, *args, **options):
        if options["action"] == "rebuild":
            drifted = counters.rebuild()
        else:
            drifted = counters.drift()
        for name, scope, kept, real in drifted:
            self.stdout.write(f"{name}{f'[{scope}]' if scope else ''}: kept {kept}, counted {real}")
        self.stdout.write(f"{len(counters.registered())} counts, {len(drifted)} drifted")
        if drifted and options["action"] == "check":
            raise CommandError("counts drifted: run `kechuang counters rebuild`")
