from django.core.management.base import BaseCommand

from kechuang.accounts.services import roles_sync


class Command(BaseCommand):
    help = "Create the role groups (staff, commissioner, expert, applicant, operator) if missing."

    def handle(self, *args, **options):
        groups = roles_sync()
        self.stdout.write(", ".join(g.name for g in groups))
