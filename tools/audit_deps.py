"""Dependency audit: pip-audit over the pinned versions (requirements/constraints.txt); exit 1 on a known
vulnerability. A step of tools/runtests.py. The decision and its limits: docs/adr/0008-dependency-audit.md.

pip-audit asks an OSV service which advisories affect each pinned version:

- the live service (https://api.osv.dev) when this machine can reach it;
- otherwise a local OSV service started on 127.0.0.1 over the advisory snapshot committed in
  requirements/advisories/pypi-osv.json (the PyPA advisory database, filtered to our packages, with its
  source commit and date). The audit then says how old the snapshot is, and warns loudly past 90 days;
  KECHUANG_AUDIT_REQUIRE_FRESH=1 makes a stale snapshot a failure.

    python tools/audit_deps.py [REQUIREMENTS]          # default: requirements/constraints.txt
    python tools/audit_deps.py --offline [REQUIREMENTS] # the snapshot even when the live service answers
    python tools/audit_deps.py --refresh-from DIR       # rebuild the snapshot from a pypa/advisory-database
                                                        # checkout (DIR/vulns/<package>/*.yaml)
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
SNAPSHOT = ROOT / "requirements" / "advisories" / "pypi-osv.json"
LIVE_HOST = "api.osv.dev"
STALE_AFTER_DAYS = 90
BIN = Path(sys.executable).parent
print = functools.partial(print, flush=True)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(requirements: Path) -> dict[str, str]:
    out = {}
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[canonical(name.split("[", 1)[0])] = version.strip()
    return out


# --- matching an OSV record against a version (the part the OSV service does server-side) -------------


def _v(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def affects(affected: dict, version: str) -> bool:
    """OSV semantics for one `affected` entry of the PyPI ecosystem: listed versions, or ECOSYSTEM ranges
    (introduced <= v < fixed, or <= last_affected)."""
    if version in affected.get("versions", []):
        return True
    v = _v(version)
    if v is None:
        return False
    for rng in affected.get("ranges", []):
        if rng.get("type") != "ECOSYSTEM":
            continue
        # Events in version order (OSV's evaluation); "0" is before every version.
        events = []
        for event in rng.get("events", []):
            ((kind, text),) = event.items()
            at = Version("0") if text == "0" else _v(text)
            if at is not None:
                events.append((at, kind))
        inside = False
        for at, kind in sorted(events, key=lambda e: e[0]):
            if kind == "introduced" and at <= v:
                inside = True
            elif kind == "fixed" and at <= v or kind == "last_affected" and at < v:
                inside = False
        if inside:
            return True
    return False


def matching(records: list[dict], name: str, version: str) -> list[dict]:
    name = canonical(name)
    return [
        r
        for r in records
        if not r.get("withdrawn")
        and any(
            canonical(a["package"]["name"]) == name
            and a["package"].get("ecosystem") == "PyPI"
            and affects(a, version)
            for a in r.get("affected", [])
        )
    ]


# --- the local OSV service over the snapshot ----------------------------------------------------------


def serve_snapshot(snapshot: dict) -> tuple[ThreadingHTTPServer, str]:
    """An OSV-API-compatible endpoint (POST /v1/query) on 127.0.0.1, answering from the snapshot."""
    vulns = snapshot["vulns"]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            query = json.loads(self.rfile.read(length) or b"{}")
            package = query.get("package", {})
            name = canonical(package.get("name", ""))
            found = matching(vulns.get(name, []), name, query.get("version", ""))
            body = json.dumps({"vulns": found} if found else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1/query"


def live_reachable(timeout: float = 3.0) -> bool:
    try:
        with socket.create_connection((LIVE_HOST, 443), timeout=timeout):
            return True
    except OSError:
        return False


def snapshot_age(snapshot: dict, today: dt.date | None = None) -> int:
    taken = dt.date.fromisoformat(snapshot["source"]["date"][:10])
    return ((today or dt.datetime.now(dt.UTC).date()) - taken).days


def run_pip_audit(requirements: Path, osv_url: str | None) -> int:
    cmd = [
        str(BIN / "pip-audit"),
        "-r",
        str(requirements),
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--desc",
        "off",
        "-s",
        "osv",
    ]
    if osv_url:
        cmd += ["--osv-url", osv_url]
    env = {**os.environ, "PIP_AUDIT_CACHE_DIR": str(ROOT / "var" / "pip-audit-cache")}
    return subprocess.run(cmd, env=env).returncode


def audit(requirements: Path = CONSTRAINTS, *, offline: bool = False, snapshot_path: Path = SNAPSHOT) -> int:
    """0 when no pinned version has a known vulnerability; 1 otherwise (pip-audit's own answer)."""
    if not offline and live_reachable():
        print(f"Auditing {requirements.name} with pip-audit against the live OSV service ({LIVE_HOST}).")
        return run_pip_audit(requirements, None)
    snapshot = json.loads(snapshot_path.read_text())
    src, age = snapshot["source"], snapshot_age(snapshot)
    covered = set(snapshot["vulns"])
    missing = sorted(set(pinned(requirements)) - covered - set(snapshot.get("no_advisories", [])))
    print(
        f"Auditing {requirements.name} with pip-audit against the committed advisory snapshot "
        f"({src['name']} at {src['commit'][:12]}, {src['date'][:10]}, {age} days old"
        + (f"; {LIVE_HOST} is not reachable" if not offline else "")
        + ")."
    )
    if missing:
        print(f"  (not in the snapshot's package list, audited as having no advisory: {', '.join(missing)})")
    stale = age > STALE_AFTER_DAYS
    if stale:
        print(
            f"WARNING: the advisory snapshot is {age} days old (more than {STALE_AFTER_DAYS}): vulnerabilities "
            f"published after {src['date'][:10]} are unknown to this audit. Refresh it: "
            "python tools/audit_deps.py --refresh-from <checkout of pypa/advisory-database>"
        )
    server, url = serve_snapshot(snapshot)
    try:
        code = run_pip_audit(requirements, url)
    finally:
        server.shutdown()
    if code == 0 and stale and os.environ.get("KECHUANG_AUDIT_REQUIRE_FRESH") == "1":
        print("KECHUANG_AUDIT_REQUIRE_FRESH=1: a stale snapshot fails the audit.")
        return 2
    return code


def refresh(source_dir: Path, requirements: Path = CONSTRAINTS, snapshot_path: Path = SNAPSHOT) -> int:
    """Rebuild the snapshot from a pypa/advisory-database checkout, keeping the records of our packages."""
    import yaml

    names = set(pinned(requirements))
    vulns: dict[str, list[dict]] = {}
    for folder in sorted((source_dir / "vulns").iterdir()):
        if canonical(folder.name) not in names:
            continue
        for path in sorted(folder.glob("*.yaml")):
            record = yaml.safe_load(path.read_text())
            for key in ("published", "modified", "withdrawn"):
                stamp = record.get(key)
                if isinstance(stamp, dt.datetime):  # RFC 3339 in UTC, as the OSV API writes it
                    stamp = stamp.replace(tzinfo=stamp.tzinfo or dt.UTC).astimezone(dt.UTC)
                    record[key] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
                elif isinstance(stamp, dt.date):
                    record[key] = f"{stamp.isoformat()}T00:00:00Z"
            record.pop("details", None) if record.get("summary") else None
            vulns.setdefault(canonical(folder.name), []).append(record)
    commit = subprocess.run(
        ["git", "-C", str(source_dir), "log", "-1", "--format=%H %cI"], capture_output=True, text=True
    )
    sha, date = (commit.stdout.split() + ["unknown", dt.datetime.now(dt.UTC).date().isoformat()])[:2]
    snapshot = {
        "source": {
            "name": "pypa/advisory-database",
            "url": "https://github.com/pypa/advisory-database",
            "licence": "CC-BY-4.0",
            "commit": sha,
            "date": date,
        },
        "packages": sorted(names),
        "no_advisories": sorted(names - set(vulns)),
        "vulns": {k: vulns[k] for k in sorted(vulns)},
    }
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    snapshot_path.write_text(json.dumps(snapshot, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(
        f"{sum(len(v) for v in vulns.values())} advisories for {len(vulns)} of {len(names)} packages -> {snapshot_path}"
    )
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--refresh-from"]:
        return refresh(Path(argv[1]))
    offline = "--offline" in argv
    rest = [a for a in argv if a != "--offline"]
    return audit(Path(rest[0]) if rest else CONSTRAINTS, offline=offline)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
