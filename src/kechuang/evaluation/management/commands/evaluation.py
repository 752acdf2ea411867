"""`kechuang evaluation compute ID [--no-collect]`, `kechuang evaluation verify ID` (re-run every stored
computation of a campaign from its input snapshot and compare)."""

from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.models import User
from kechuang.core.jobs import job_run_with_bar


class Command(BaseCommand):
    help = "Evaluation campaigns: compute results (with a progress bar), verify stored computations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        comp = sub.add_parser("compute", help="collect the raw values and compute totals, ranks and grades")
        comp.add_argument("campaign", type=int)
        comp.add_argument("--no-collect", action="store_true")
        comp.add_argument("--user", default="staff")
        ver = sub.add_parser("verify", help="re-run stored computations from their input snapshots")
        ver.add_argument("campaign", type=int)

    def handle(self, *args, action, **opts):
        from kechuang.evaluation.models import Campaign
        from kechuang.evaluation.services import computation_verify

        campaign = Campaign.objects.filter(pk=opts["campaign"]).first()
        if campaign is None:
            raise CommandError(f"no campaign {opts['campaign']}")
        if action == "compute":
            user = User.objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {opts['user']!r}")
            job = job_run_with_bar(
                kind="evaluation.compute",
                params={"campaign_id": campaign.pk, "collect": not opts["no_collect"]},
                actor=user,
                stream=self.stderr,
            )
            if job.state != "succeeded":
                raise CommandError(job.error_text)
            self.stdout.write(f"computation {job.result['computation']}: {job.result['entries']} entries")
        else:
            bad = 0
            for comp in campaign.computations.all():
                ok = computation_verify(computation=comp)
                bad += not ok
                self.stdout.write(
                    f"computation {comp.pk} ({comp.method}, {comp.created_at:%Y-%m-%d %H:%M}): {'reproduced' if ok else 'DIFFERS'}"
                )
            if bad:
                raise CommandError(f"{bad} computation(s) do not reproduce")
