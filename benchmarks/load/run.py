"""Load benchmark: the platform under gunicorn against PostgreSQL, driven by wrk from a second process.

    PYTHONPATH=src .venv/bin/python benchmarks/load/run.py --database-url postgres://postgres@127.0.0.1:5432/kc_load

The database must hold a dataset with the logins gd_staff, gd_operator, gd_commissioner, gd_expert and
gd_applicant (password `kechuang-gendata`): `kechuang gendata --scale national`, or benchmarks/load/seed.py
for a smaller one. Every endpoint is driven for --duration seconds by wrk (C threads, one connection each),
and the trivial view /healthz/ is measured before the first endpoint, after every few and after the last;
each endpoint's p50 and throughput are given as ratios to the median of those trivial runs. Prints a table
and writes JSON and markdown next to --out.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PASSWORD = "kechuang-gendata"
ROLES = ("staff", "operator", "commissioner", "expert", "applicant")


@dataclass
class Endpoint:
    key: str
    role: str  # anonymous or one of ROLES
    path: str
    what: str
    post: dict | None = None  # {"path": ".../{id}/", "body": "...{version}...", "ids": [(id, version), ...]}
    result: dict = field(default_factory=dict)


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="kechuang.settings.prod",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=args.database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        API_THROTTLE_ANON="100000000/minute",
        API_THROTTLE_USER="100000000/minute",
        # The pages are measured, not the second factor prod asks of staff (a gd_staff login has no device).
        KECHUANG_OTP_REQUIRED_FOR_STAFF="0",
        PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""),
    )
    if args.conn_max_age is not None:
        env["CONN_MAX_AGE"] = str(args.conn_max_age)
    return env


def http(method, url, *, data=None, headers=None, follow=False):
    """One request without redirects: (status, headers, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with opener.open(req, timeout=120) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def cookies_of(headers) -> dict:
    out = {}
    for h in headers.get_all("Set-Cookie") or []:
        name, _, rest = h.partition("=")
        out[name.strip()] = rest.split(";", 1)[0]
    return out


def login(base: str, username: str) -> tuple[str, str]:
    """Sign in through the login form; returns (Cookie header, CSRF token)."""
    status, headers, body = http("GET", f"{base}/accounts/login/")
    jar = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, _ = http(
        "POST",
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    jar.update(cookies_of(headers))
    if status != 302 or "sessionid" not in jar:
        sys.exit(f"login as {username} failed ({status}); is the dataset loaded (see README)?")
    return "; ".join(f"{k}={v}" for k, v in jar.items()), jar.get("csrftoken", "")


def pick_endpoints(env: dict) -> list[Endpoint]:
    """Choose the objects to visit from the database (the same choice before and after a fix)."""
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL")})
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from kechuang.accounts.models import User
    from kechuang.challenges.models import Application, Challenge, Contract
    from kechuang.core.models import AuditEvent
    from kechuang.platforms.models import Platform
    from kechuang.review import services as review_services
    from kechuang.review.models import Review
    from kechuang.techmap.models import Technology

    users = {r: User.objects.get(username=f"gd_{r}") for r in ROLES}
    platform = Platform.objects.filter(published=True).order_by("pk")[
        Platform.objects.filter(published=True).count() // 2
    ]
    challenge = Challenge.objects.exclude(status="draft").order_by("-applications__id").first()
    application = Application.objects.filter(unit=users["applicant"].unit).order_by("-pk").first()
    contract = Contract.objects.filter(commissioner=users["commissioner"]).order_by("-pk").first()
    technology = Technology.objects.order_by("pk").first()
    n_audit = AuditEvent.objects.count()

    # The expert's reviews that can be saved: opened (declared free of conflict) first if pending.
    expert = users["expert"]
    reviews = list(
        Review.objects.filter(assignment__expert=expert, status__in=["pending", "opened"]).order_by("pk")[:40]
    )
    for r in reviews:
        if r.status == "pending":
            review_services.review_open(actor=expert, review=r)
    reviews = list(Review.objects.filter(pk__in=[r.pk for r in reviews], status="opened").order_by("pk"))
    if len(reviews) < 4:
        sys.exit("gd_expert needs at least 4 pending or opened reviews for the review-save endpoint")
    review = reviews[0]
    criteria = list(review.assignment.round.form.criteria.order_by("order"))
    body = "&".join(f"c_{c.code}={int(c.max_score) * 8 // 10}" for c in criteria)
    body += "&comments=%E6%96%B9%E6%A1%88%E5%8F%AF%E8%A1%8C&opinion=&recommendation=support&version={version}"

    # Half-way down the trail: page n of the numbered pages (before the keyset fix), or the cursor of the
    # event at the same depth (after it); each view ignores the other's parameter.
    audit_page = max(1, n_audit // 100 // 2)
    audit_cursor = AuditEvent.objects.order_by("-at", "-id").values_list("pk", flat=True)[
        (audit_page - 1) * 100 - 1
    ]
    eps = [
        Endpoint("healthz", "anonymous", "/healthz/", "trivial view (baseline)"),
        Endpoint("home", "anonymous", "/", "public home page"),
        Endpoint("platform_list", "anonymous", "/platforms/", "platform list"),
        Endpoint(
            "platform_search",
            "anonymous",
            "/platforms/?q=%E5%AE%9E%E9%AA%8C%E5%AE%A4&kind=provincial_key_lab",
            "platform search 实验室 + kind",
        ),
        Endpoint("platform_detail", "anonymous", f"/platforms/{platform.pk}/", "platform detail"),
        Endpoint(
            "api_platforms",
            "anonymous",
            "/api/platforms/?search=%E5%AE%9E%E9%AA%8C%E5%AE%A4",
            "API platform search",
        ),
        Endpoint("challenge_list", "anonymous", "/challenges/?status=published", "challenge list, filtered"),
        Endpoint("challenge_detail", "staff", f"/challenges/{challenge.pk}/", "challenge detail (staff)"),
        Endpoint("api_challenges", "anonymous", "/api/challenges/", "API challenge list"),
        Endpoint("application_list", "applicant", "/challenges/applications/", "applicant's applications"),
        Endpoint(
            "application_detail",
            "applicant",
            f"/challenges/applications/{application.pk}/",
            "application detail",
        ),
        Endpoint("contract_list", "commissioner", "/challenges/projects/", "commissioner's projects"),
        Endpoint("contract_detail", "commissioner", f"/challenges/projects/{contract.pk}/", "project detail"),
        Endpoint(
            "expert_search", "staff", "/review/experts/?q=%E6%95%99%E6%8E%88", "expert pool search 教授"
        ),
        Endpoint("my_assignments", "expert", "/review/my/", "expert's assignments"),
        Endpoint("review_detail", "expert", f"/review/reviews/{review.pk}/", "review form (GET)"),
        Endpoint(
            "review_save",
            "expert",
            f"/review/reviews/{review.pk}/",
            "review form POST (save scores)",
            post={"path": "/review/reviews/{id}/", "body": body, "ids": [(r.pk, r.version) for r in reviews]},
        ),
        Endpoint("api_my_assignments", "expert", "/api/review/assignments/", "API expert's assignments"),
        Endpoint(
            "technology_list", "anonymous", "/techmap/technologies/?bottleneck=1", "technologies, bottlenecks"
        ),
        Endpoint("indicators", "anonymous", "/indicators/", "indicator dashboard"),
        Endpoint("audit_log", "staff", "/jobs/audit/", "audit log, first page"),
        Endpoint("audit_filtered", "staff", "/jobs/audit/?action=review", "audit log filtered by action"),
        Endpoint(
            "audit_deep",
            "staff",
            f"/jobs/audit/?page={audit_page}&after={audit_cursor}",
            f"audit log page {audit_page}",
        ),
        Endpoint("api_audit", "staff", "/api/audit/", "API audit list"),
    ]
    if technology:  # the generated dataset has no technology map yet
        eps.append(
            Endpoint(
                "technology_detail",
                "anonymous",
                f"/techmap/technologies/{technology.pk}/",
                "technology detail",
            )
        )
    eps += [Endpoint(f"dashboard_{r}", r, "/dashboard/", f"{r}'s dashboard") for r in ROLES]
    from django.db import connections

    connections.close_all()
    return eps


def run_wrk(base: str, ep: Endpoint, cookie: str, csrf: str, args) -> dict:
    env = dict(os.environ, COOKIE=cookie, CSRF=csrf)
    if ep.post:
        ids = ep.post["ids"]
        per = [ids[i :: args.connections] for i in range(args.connections)]
        env.update(
            POST_PATH=ep.post["path"],
            POST_BODY=ep.post["body"],
            POST_IDS="|".join(",".join(f"{i}:{v}" for i, v in p) for p in per),
        )
    cmd = [
        args.wrk,
        f"-t{args.connections}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "60s",
        "-s",
        str(HERE / "wrk_report.lua"),
        base + ep.path,
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("WRKJSON "))
    r = json.loads(line[8:])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def check(base: str, ep: Endpoint, cookie: str, csrf: str):
    """One request first: a page that redirects to the login or fails would measure the wrong thing."""
    if ep.post:
        rid, version = ep.post["ids"][0]
        body = ep.post["body"].replace("{version}", str(version)).encode()
        status, _, _ = http(
            "POST",
            base + ep.post["path"].replace("{id}", str(rid)),
            data=body,
            headers={
                "Cookie": cookie,
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        ep.post["ids"][0] = (rid, version + 1)
        expected = 302
    else:
        status, _, _ = http("GET", base + ep.path, headers={"Cookie": cookie} if cookie else {})
        expected = 200
    if status != expected:
        sys.exit(f"{ep.key} {ep.path}: {status}, expected {expected}")


TARGET_P95_MS = {2: 50.0, 8: 150.0}  # issue #19: p95 at 2 connections, and at 8
TARGET_P50_RATIO = 40.0  # p50 at most 40 x /healthz/ in the same run (2 connections)


def _ints(text: str) -> list[int]:
    return [int(x) for x in str(text).split(",") if x.strip()]


def refresh_versions(endpoints: list[Endpoint]) -> None:
    """The review save's versions as stored now (an earlier run of the matrix saved them)."""
    from django.db import connections

    from kechuang.review.models import Review

    for ep in endpoints:
        if ep.post:
            ids = [i for i, _v in ep.post["ids"]]
            versions = dict(Review.objects.filter(pk__in=ids).values_list("pk", "version"))
            ep.post["ids"] = [(i, versions[i]) for i in ids]
    connections.close_all()


def measure(args, endpoints: list[Endpoint], env: dict, workers: int) -> tuple[list[dict], dict]:
    """One run: gunicorn with `workers`, wrk with args.connections, every endpoint; (rows, meta)."""
    started = time.monotonic()
    refresh_versions(endpoints)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", args.port or 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kechuang.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(120):
            if server.poll() is not None:
                sys.exit("gunicorn exited")
            try:
                if http("GET", base + "/healthz/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            sys.exit("gunicorn did not answer /healthz/")
        sessions = {"anonymous": ("", "")} | {r: login(base, f"gd_{r}") for r in ROLES}
        trivial_ep = endpoints[0]
        for ep in endpoints:
            t0 = time.perf_counter()
            check(base, ep, *sessions[ep.role])
            print(f"  {ep.key:22} first request {1000 * (time.perf_counter() - t0):8.1f} ms", flush=True)
        if args.check_only:
            return [], {}
        baseline_runs = []
        results: list[Endpoint] = []
        for i, ep in enumerate(endpoints[1:]):
            if i % args.baseline_every == 0:
                baseline_runs.append(run_wrk(base, trivial_ep, *sessions["anonymous"], args))
            ep.result = run_wrk(base, ep, *sessions[ep.role], args)
            results.append(ep)
            print(
                f"  {ep.key:22} p50 {ep.result['p50'] / 1000:8.1f} ms  p95 {ep.result['p95'] / 1000:8.1f} ms"
                f"  {ep.result['rps']:7.1f} req/s",
                flush=True,
            )
        baseline_runs.append(run_wrk(base, trivial_ep, *sessions["anonymous"], args))
    finally:
        server.terminate()
        server.wait(timeout=30)

    base_p50 = statistics.median(r["p50"] for r in baseline_runs)
    base_rps = statistics.median(r["rps"] for r in baseline_runs)
    target_p95 = TARGET_P95_MS[2] if args.connections <= 2 else TARGET_P95_MS[8]
    rows = []
    for ep in results:
        r = ep.result
        bad = sum(n for code, n in r["statuses"].items() if not code.startswith(("2", "3"))) + r["errors"]
        rows.append(
            {
                "key": ep.key,
                "role": ep.role,
                "what": ep.what,
                "method": "POST" if ep.post else "GET",
                "path": ep.post["path"] if ep.post else ep.path,
                "p50_ms": r["p50"] / 1000,
                "p95_ms": r["p95"] / 1000,
                "p99_ms": r["p99"] / 1000,
                "rps": r["rps"],
                "p50_ratio": r["p50"] / base_p50,
                "rps_ratio": base_rps / r["rps"] if r["rps"] else float("inf"),
                "requests": r["requests"],
                "failed": bad,
                "statuses": r["statuses"],
                "target_p95_ms": target_p95,
                "miss_p95_ms": max(0.0, r["p95"] / 1000 - target_p95),
                "miss_p50_ratio": max(0.0, r["p50"] / base_p50 - TARGET_P50_RATIO)
                if args.connections <= 2
                else 0.0,
            }
        )
    meta = {
        "label": args.label,
        "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "duration_s": args.duration,
        "connections": args.connections,
        "workers": workers,
        "conn_max_age": args.conn_max_age,
        "baseline": {"p50_ms": base_p50 / 1000, "rps": base_rps, "runs": baseline_runs},
        "load_average": os.getloadavg(),
        "total_s": round(time.monotonic() - started),
    }
    return rows, meta


def table(rows: list[dict], meta: dict) -> list[str]:
    base = meta["baseline"]
    md = [
        f"{meta['label']} — {meta['when']}, {meta['workers']} gunicorn workers, wrk {meta['connections']} "
        f"connections, {meta['duration_s']} s per endpoint; trivial view /healthz/: p50 {base['p50_ms']:.2f} ms, "
        f"{base['rps']:.0f} req/s (median of {len(base['runs'])} runs); load average "
        f"{meta['load_average'][0]:.1f}",
        "",
        "| endpoint | role | p50 ms | p95 ms | p99 ms | req/s | p50 / trivial | trivial req/s / req/s | failed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        md.append(
            f"| {r['what']} (`{r['method']} {r['path']}`) | {r['role']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['rps']:.1f} | {r['p50_ratio']:.1f} | {r['rps_ratio']:.1f} | {r['failed']} |"
        )
    return md


def misses(rows: list[dict], meta: dict) -> list[str]:
    """The endpoints that miss issue #19's targets in this run, and by how much."""
    missed = [r for r in rows if r["miss_p95_ms"] > 0 or r["miss_p50_ratio"] > 0]
    head = (
        f"Targets ({meta['workers']} workers, {meta['connections']} connections): p95 <= "
        f"{rows[0]['target_p95_ms']:.0f} ms"
        + (f", p50 <= {TARGET_P50_RATIO:.0f} x /healthz/" if meta["connections"] <= 2 else "")
        + f": {len(rows) - len(missed)} of {len(rows)} met"
    )
    out = [head]
    if missed:
        out += ["", "| endpoint | p95 ms | over by ms | p50 / trivial | over by |", "|---|---|---|---|---|"]
        for r in sorted(missed, key=lambda r: -r["miss_p95_ms"]):
            out.append(
                f"| {r['key']} | {r['p95_ms']:.1f} | {r['miss_p95_ms']:+.1f} | {r['p50_ratio']:.1f} | "
                f"{r['miss_p50_ratio']:+.1f} |"
            )
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kc_load")
    ap.add_argument("--duration", type=int, default=5, help="seconds per endpoint (default 5)")
    ap.add_argument(
        "--connections", default="2", help="wrk threads = connections, or a list: 2,8 (default 2)"
    )
    ap.add_argument("--workers", default="2", help="gunicorn workers, or a list: 2,4,8 (default 2)")
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    ap.add_argument("--conn-max-age", type=int, default=None, help="CONN_MAX_AGE for the server")
    ap.add_argument("--only", default="", help="regex on endpoint keys")
    ap.add_argument("--baseline-every", type=int, default=8, help="measure /healthz/ again after N endpoints")
    ap.add_argument("--label", default="")
    ap.add_argument("--check-only", action="store_true", help="time one request per endpoint and stop")
    ap.add_argument("--out", default=str(HERE / "results" / "latest"), help="path prefix for .json and .md")
    ap.add_argument("--no-vacuum", action="store_true", help="measure without VACUUM ANALYZE first")
    ap.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    args = ap.parse_args()

    env = server_env(args)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    endpoints = pick_endpoints(env)
    if not args.no_vacuum:
        # The state a production database is in after autovacuum: statistics current, GIN pending lists
        # merged. A dataset just loaded (or a database just restored) is measured otherwise on its planner's
        # guesses; --no-vacuum measures it as it is.
        from django.db import connection

        started_vacuum = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE: {time.monotonic() - started_vacuum:.1f} s", flush=True)
    if args.only:
        endpoints = [e for e in endpoints if e.key == "healthz" or re.search(args.only, e.key)]
    worker_list, connection_list = _ints(args.workers), _ints(args.connections)
    runs = []
    for connections in connection_list:
        for workers in worker_list:
            print(f"\n== {workers} gunicorn workers, {connections} connections ==", flush=True)
            one = argparse.Namespace(**vars(args))
            one.connections = connections
            rows, meta = measure(one, endpoints, env, workers)
            if args.check_only:
                return
            runs.append((rows, meta))

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    md: list[str] = []
    for rows, meta in runs:
        md += table(rows, meta) + [""] + misses(rows, meta) + [""]
    if len(runs) > 1:
        # Throughput per endpoint for every run of the matrix (req/s).
        heads = [f"{m['workers']}w/{m['connections']}c" for _r, m in runs]
        md += ["Throughput (req/s)", "", "| endpoint | " + " | ".join(heads) + " |"]
        md.append("|---|" + "---|" * len(heads))
        md.append("| /healthz/ | " + " | ".join(f"{m['baseline']['rps']:.0f}" for _r, m in runs) + " |")
        for i, r in enumerate(runs[0][0]):
            md.append(f"| {r['key']} | " + " | ".join(f"{rows[i]['rps']:.1f}" for rows, _m in runs) + " |")
        md.append("")
        md += ["Misses, every run", ""]
        for rows, meta in runs:
            md.append("- " + misses(rows, meta)[0])
    text = "\n".join(md)
    print()
    print(text)
    out.with_suffix(".json").write_text(
        json.dumps(
            [{"meta": m, "rows": r} for r, m in runs]
            if len(runs) > 1
            else {"meta": runs[0][1], "rows": runs[0][0]},
            indent=1,
            ensure_ascii=False,
        )
    )
    out.with_suffix(".md").write_text(text + "\n")
    print(
        f"\nwrote {out.with_suffix('.json')} and {out.with_suffix('.md')} ({round(time.monotonic() - started)} s)"
    )
    if any(r["failed"] for rows, _m in runs for r in rows):
        sys.exit("some requests failed (see the failed column)")


if __name__ == "__main__":
    main()
