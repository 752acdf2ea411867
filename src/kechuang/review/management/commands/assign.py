"""`kechuang assign ROUND` (a round in the database, as a job with a progress bar) or
`kechuang assign --scores S.csv [--constraints C.csv] --k 3 --max-load 3 --out A.csv` (files in the
OpenReview matcher's format, solved without touching the database)."""

import json
import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.models import User
from kechuang.core.jobs import job_run_with_bar

MODES = ("optimal", "fair", "random")


class Command(BaseCommand):
    help = "Assign experts to a review round, or solve an OpenReview-format round given as CSV files."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("round", nargs="?", type=int, help="the id of a review round in the database")
        parser.add_argument("--scores", help="OpenReview scores CSV: application,expert,score")
        parser.add_argument("--constraints", help="OpenReview constraints CSV: application,expert,-1")
        parser.add_argument("--k", type=int, default=3, help="experts per application")
        parser.add_argument("--max-load", type=int, default=3)
        parser.add_argument("--min-load", type=int, default=0)
        parser.add_argument("--mode", choices=MODES, default="optimal")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--leximin-depth",
            type=int,
            default=1,
            help="(fair) after the worst-off, the next worst and so on, this many levels deep",
        )
        parser.add_argument("--default-score", type=float, default=0.0, help="score of pairs not in the file")
        parser.add_argument(
            "--out",
            help="where to write application,expert,score rows (for programs: OpenReview ids as read; any "
            "other id that starts like a formula gets a leading ')",
        )
        parser.add_argument("--stats", help="write timings, memory and objective as JSON here")
        parser.add_argument(
            "--verify", action="store_true", help="(ROUND) re-solve from the stored input and compare"
        )
        parser.add_argument("--actor", default="", help="(ROUND) username recorded as the actor")

    def handle(self, *args, **opts):
        if opts["scores"]:
            return self._files(opts)
        if opts["round"] is None:
            raise CommandError("give a ROUND id, or --scores (and --out) for the file mode")
        return self._round(opts)

    def _files(self, opts):
        # The file mode must not touch the database: only pure modules are imported here.
        from tqdm import tqdm

        from kechuang.review import interchange, solver

        if not opts["out"]:
            raise CommandError("--out is required with --scores")
        t0 = time.perf_counter()
        try:
            data = interchange.read(
                opts["scores"],
                opts["constraints"],
                k=opts["k"],
                max_load=opts["max_load"],
                min_load=opts["min_load"],
                default=opts["default_score"],
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc))
        t_read = time.perf_counter() - t0
        bar = tqdm(total=100, desc=f"assign ({opts['mode']})", unit="%", file=sys.stderr, leave=False)

        def progress(pct, msg):
            bar.n = int(pct)
            bar.set_postfix_str(str(msg)[:40], refresh=False)
            bar.refresh()

        t1 = time.perf_counter()
        try:
            sol = solver.solve(
                data.problem,
                mode=opts["mode"],
                seed=opts["seed"],
                progress=progress,
                options={"leximin_depth": opts["leximin_depth"]},
            )
        except solver.InfeasibleError as exc:
            bar.close()
            detail = exc.diagnosis.text(names=data.subjects) if exc.diagnosis is not None else str(exc)
            raise CommandError(f"infeasible: {detail}")
        bar.close()
        t_solve = time.perf_counter() - t1
        rows = interchange.write(opts["out"], data, sol)
        stats = {
            "applications": data.problem.n_subjects,
            "experts": data.problem.n_experts,
            "mode": opts["mode"],
            "objective": sol.objective,
            "worst_off": sol.worst_off,
            "assignment_digest": sol.assignment_digest(),
            "rows": rows,
            "read_seconds": round(t_read, 3),
            "solve_seconds": round(t_solve, 3),
            "total_seconds": round(time.perf_counter() - t0, 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            **{f"solver_{k}": v for k, v in sol.stats.items()},
        }
        if opts["stats"]:
            with open(opts["stats"], "w") as fh:
                json.dump(stats, fh, indent=2)
        self.stdout.write(
            f"{rows} rows → {opts['out']}  objective {sol.objective:.6f}  worst-off {sol.worst_off:.6f}  "
            f"solve {t_solve:.2f}s  total {stats['total_seconds']:.2f}s  peak {stats['peak_rss_mb']} MB"
        )

    def _round(self, opts):
        from kechuang.review import services
        from kechuang.review.models import Round

        rnd = Round.objects.filter(pk=opts["round"]).first()
        if rnd is None:
            raise CommandError(f"no review round {opts['round']}")
        if opts["verify"]:
            self.stdout.write(json.dumps(services.round_rerun_check(round=rnd), ensure_ascii=False, indent=2))
            return
        actor = User.objects.filter(username=opts["actor"]).first() if opts["actor"] else None
        if actor is None:
            actor = (
                User.objects.filter(is_superuser=True).order_by("pk").first()
                or User.objects.filter(groups__name="staff").order_by("pk").first()
            )
        if actor is None:
            raise CommandError("no staff user to act as; pass --actor USERNAME")
        job = job_run_with_bar(
            kind="review.assign", params={"round_id": rnd.pk}, actor=actor, stream=sys.stderr
        )
        if job.state != job.State.SUCCEEDED:
            raise CommandError(job.error_text)
        self.stdout.write(json.dumps(job.result, ensure_ascii=False))
