"""Every page of the demo province, per role: queries, server time as a ratio to /healthz/ in the same run,
CPU time, Python function calls; one checkout, or two side by side (before/after, paired in the same run).

    PYTHONPATH=src .venv/bin/python benchmarks/pages/bench_pages.py [--db demo.sqlite3] \
        [--src OTHER/src --src src] [--repeat 5] [--only REGEX | --page ROLE:PATH ...] [--json out.json]
        [--md out.md]

Without --db the demo province is loaded first (`kechuang demo` into a temporary SQLite file, about 3.5
minutes on the 2-core machine); --keep-db PATH keeps that file for the next run. Each --src (this checkout's
src by default) gets a worker process of its own, on its own copy of the database migrated by its own code,
with production settings (inprocess.py: no HTTPS redirect, no second factor) and Django's test client signed
in as the demo's staff, commissioner, expert1, applicant and operator, and one anonymous.

The pages are found as tests/test_crawl.py finds them: from every URL pattern without arguments and the
links each page shows (same site, GET), one URL per shape (numbers folded), per role, up to --max-pages per
role; every page that answers 200 with HTML is measured. Per page: a warm-up request in each worker, the
queries of one request and the Python calls (cProfile) of another (these do not move with the machine's
load), then --repeat timed requests, the workers' requests in turn (the first one alternating, so each sees
the same moments of the machine's load), each right after a /healthz/ request (the whole middleware stack,
no database or template). The ratio is the median page time over the median /healthz/ time of the same
worker and page. CPU time is the worker's (time.process_time: SQLite runs in the process, so it includes
the database's work).
"""

import argparse
import cProfile
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ROLES = {"anonymous": None, "staff": "staff", "commissioner": "commissioner", "expert": "expert1"}
ROLES |= {"applicant": "applicant", "operator": "operator"}
SKIP = re.compile(
    r"^/(admin/|i18n/|static/|media/|accounts/logout/|api/|healthz)|[?&](format|export|download)="
)
HREF = re.compile(r'href="([^"#]*)')


def shape(path: str) -> str:
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/", "/<uuid>/", path)
    path = re.sub(r"/\d+/", "/<n>/", path)
    return re.sub(r"\?.*$", "", path)


# ---------------------------------------------------------------- the worker (one per --src)


def _routes():
    """kechuang.core.routes of this checkout, by its file: the pages every worker starts from are found the same
    way (as tests/test_crawl.py finds them), under each --src's own URL conf, even where that --src predates
    the module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_routes", ROOT / "src" / "kechuang" / "core" / "routes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worker(src: str, db: str) -> None:
    """Answers the parent's requests, one JSON line each on stdin/stdout."""
    sys.path.insert(0, str(ROOT / "benchmarks" / "load"))
    import inprocess

    inprocess.setup(f"sqlite:///{db}", src=src)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connection
    from django.test import Client

    from kechuang.accounts.models import User

    argless_paths = _routes().argless_paths
    clients = {}
    for role, username in ROLES.items():
        clients[role] = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if username:
            clients[role].force_login(User.objects.get(username=username))
    count = {"n": 0}

    def counting(execute, sql, params, many, context):
        count["n"] += 1
        return execute(sql, params, many, context)

    wrapper = connection.execute_wrapper(counting)  # for the whole process (kept: its exit removes it)
    wrapper.__enter__()

    def crawl(role: str, limit: int) -> list[str]:
        client, seen, found = clients[role], set(), []
        queue = ["/", "/dashboard/", *argless_paths(SKIP)]
        while queue and len(seen) < limit:
            path = queue.pop(0)
            if shape(path) in seen or SKIP.search(path):
                continue
            seen.add(shape(path))
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            found.append(path)
            for href in HREF.findall(response.content.decode("utf-8", "replace")):
                url = urlparse(urldefrag(urljoin(path, href.replace("&amp;", "&")))[0])
                if url.scheme in ("", "http") and url.netloc in ("", "testserver"):
                    target = url.path + (f"?{url.query}" if url.query else "")
                    if shape(target) not in seen:
                        queue.append(target)
        return found

    def timed(client, path):
        w, c = time.perf_counter(), time.process_time()
        response = client.get(path)
        return time.perf_counter() - w, time.process_time() - c, response

    def once(role: str, path: str) -> dict:
        """/healthz/ (anonymous), then the page: wall and CPU seconds."""
        base = timed(clients["anonymous"], "/healthz/")[0]
        wall, cpu, response = timed(clients[role], path)
        return {"healthz": base, "wall": wall, "cpu": cpu, "status": response.status_code}

    def counted(role: str, path: str) -> dict:
        """A warm-up request, then the queries of one request and the Python calls of another."""
        client = clients[role]
        client.get(path)
        count["n"] = 0
        response = client.get(path)
        queries = count["n"]
        profile = cProfile.Profile()
        profile.runcall(client.get, path)
        calls = sum(row[1] for row in profile.getstats())  # primitive and recursive calls, as pstats' total
        return {
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": queries,
            "calls": calls,
        }

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        if ask["do"] == "crawl":
            answer = {role: crawl(role, ask["limit"]) for role in ROLES}
        elif ask["do"] == "count":
            answer = counted(ask["role"], ask["path"])
        else:
            answer = once(ask["role"], ask["path"])
        print(json.dumps(answer), flush=True)


# ---------------------------------------------------------------- the parent


def load_demo(path: Path) -> None:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{path}", DJANGO_SETTINGS_MODULE="kechuang.settings.dev")
    env["PYTHONPATH"] = str(ROOT / "src")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "kechuang.cli", "demo"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"demo loaded in {time.monotonic() - started:.0f} s", file=sys.stderr)


class Worker:
    def __init__(self, src: str, db: Path, tmp: Path, n: int):
        own = tmp / f"worker{n}.sqlite3"
        shutil.copyfile(db, own)
        self.src = src
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", "--src", src, "--db", str(own)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ, PYTHONPATH=src),
        )
        assert self.ask(None)["ready"]

    def ask(self, question):
        if question is not None:
            self.proc.stdin.write(json.dumps(question) + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the worker for {self.src} stopped")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", help="a database with the demo province (SQLite file); loaded when absent")
    ap.add_argument("--keep-db", help="where to keep the demo database loaded for this run")
    ap.add_argument("--src", action="append", help="the code to measure (repeat for before/after)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--max-pages", type=int, default=160, help="pages per role, as the crawl test's")
    ap.add_argument("--only", help="measure only the pages whose path matches this regular expression")
    ap.add_argument("--page", action="append", help="ROLE:PATH to measure, instead of the crawl (repeatable)")
    ap.add_argument("--json", help="write every row here")
    ap.add_argument("--md", help="write the table here")
    args = ap.parse_args()
    if args.worker:
        return worker(args.src[0], args.db)
    srcs = [str(Path(s).resolve()) for s in (args.src or [str(ROOT / "src")])]
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kc-pages-") as tmp:
        tmp = Path(tmp)
        db = Path(args.db) if args.db else Path(args.keep_db or tmp / "demo.sqlite3")
        if not args.db:
            load_demo(db)
        workers = [Worker(src, db, tmp, n) for n, src in enumerate(srcs)]
        if args.page:
            todo = [tuple(page.split(":", 1)) for page in args.page]
        else:
            pages = workers[0].ask({"do": "crawl", "limit": args.max_pages})
            todo = [(role, path) for role, paths in pages.items() for path in paths]
        if args.only:
            todo = [(r, p) for r, p in todo if re.search(args.only, p)]
        print(f"{len(todo)} pages; load average {load_start[0]:.1f}", file=sys.stderr)
        rows = []
        for i, (role, path) in enumerate(todo):
            ask = {"role": role, "path": path}
            runs = [w.ask({"do": "count", **ask}) for w in workers]
            timings = [[] for _ in workers]
            for r in range(args.repeat):  # request by request, the first worker alternating
                order = list(range(len(workers)))
                if (i + r) % 2:
                    order.reverse()
                for n in order:
                    timings[n].append(workers[n].ask({"do": "time", **ask}))
            for run, times in zip(runs, timings, strict=True):
                for key in ("wall", "cpu", "healthz"):
                    run[key] = statistics.median(t[key] for t in times)
            rows.append({"role": role, "path": path, "runs": runs})
        for w in workers:
            w.close()
    load_end = os.getloadavg()
    for row in rows:
        for run in row["runs"]:
            run["ratio"] = run["wall"] / run["healthz"]
            run["cpu_ms"] = run["cpu"] * 1000
    rows.sort(key=lambda r: -r["runs"][-1]["ratio"])
    table = report(rows, srcs, load_start, load_end)
    print(table)
    if args.md:
        Path(args.md).write_text(table + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"srcs": srcs, "load": [load_start, load_end], "rows": rows}, indent=1),
            encoding="utf-8",
        )


def report(rows, srcs, load_start, load_end) -> str:
    def each(row, key, fmt):
        return " → ".join(fmt.format(run[key]) for run in row["runs"])

    healthz = [statistics.median(row["runs"][n]["healthz"] for row in rows) * 1000 for n in range(len(srcs))]
    lines = [
        f"code: {' → '.join(srcs)}",
        f"load average (1 min) {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end; "
        f"/healthz/ median {' → '.join(f'{h:.2f}' for h in healthz)} ms",
        "",
        "| role | page | queries | time ÷ /healthz/ | CPU ms | Python calls | KB |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['role']} | `{row['path']}` | {each(row, 'queries', '{}')} | {each(row, 'ratio', '{:.0f}')} "
            f"| {each(row, 'cpu_ms', '{:.1f}')} | {each(row, 'calls', '{:,}')} "
            f"| {row['runs'][-1]['bytes'] / 1024:.0f} |"
        )
    lines.append("")
    lines.append(
        "CPU ms: the median per request of the worker's time.process_time; sorted by the last code's ratio."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
