"""The dependency audit (tools/audit_deps.py, a step of tools/runtests.py): the real pip-audit, against the
committed advisory snapshot served as a local OSV service, fails on a deliberately vulnerable pin and passes
on ours. (With api.osv.dev reachable the step uses the live service; here it is not.)"""

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "audit_deps.py"
spec = importlib.util.spec_from_file_location("audit_deps", TOOL)
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


def _run(*args, **env):
    return subprocess.run(
        [sys.executable, str(TOOL), "--offline", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_a_deliberately_vulnerable_pin_fails_the_audit(tmp_path):
    requirements = tmp_path / "old.txt"
    requirements.write_text("Django==4.2.0\nrequests==2.34.2\n")
    proc = _run(str(requirements))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "PYSEC-2024-70" in proc.stdout  # the JSONField SQL injection, fixed in 4.2.15
    assert "4.2.15" in proc.stdout


def test_our_pinned_versions_pass():
    proc = _run()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No known vulnerabilities found" in proc.stdout + proc.stderr
    assert "advisory snapshot" in proc.stdout and "days old" in proc.stdout


def test_a_stale_snapshot_says_so_and_can_be_made_to_fail(tmp_path):
    snapshot = json.loads(audit_deps.SNAPSHOT.read_text())
    age = audit_deps.snapshot_age(snapshot)
    proc = _run(KECHUANG_AUDIT_REQUIRE_FRESH="1")
    if age > audit_deps.STALE_AFTER_DAYS:
        assert "WARNING: the advisory snapshot is" in proc.stdout
        assert proc.returncode == 2
    else:
        assert proc.returncode == 0
    old = {**snapshot, "source": {**snapshot["source"], "date": "2020-01-01"}}
    assert audit_deps.snapshot_age(old, dt.date(2020, 4, 1)) == 91


@pytest.mark.parametrize(
    ("version", "expected"),
    [("4.2", True), ("4.2.14", True), ("4.2.15", False), ("5.0.7", True), ("5.0.8", False), ("4.1.9", False)],
)
def test_osv_ranges_are_read_as_osv_defines_them(version, expected):
    affected = {
        "package": {"name": "django", "ecosystem": "PyPI"},
        "ranges": [
            {
                "type": "ECOSYSTEM",
                "events": [
                    {"introduced": "5.0"},
                    {"fixed": "5.0.8"},
                    {"introduced": "4.2"},
                    {"fixed": "4.2.15"},
                ],
            }
        ],
    }
    assert audit_deps.affects(affected, version) is expected


def test_last_affected_and_listed_versions():
    affected = {"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "1.2"}]}]}
    assert audit_deps.affects(affected, "1.2") and not audit_deps.affects(affected, "1.2.1")
    assert audit_deps.affects({"versions": ["0.9b1"]}, "0.9b1")


def test_the_snapshot_names_its_source_and_covers_every_pinned_package():
    snapshot = json.loads(audit_deps.SNAPSHOT.read_text())
    assert snapshot["source"]["name"] == "pypa/advisory-database" and len(snapshot["source"]["commit"]) == 40
    listed = set(snapshot["vulns"]) | set(snapshot["no_advisories"])
    assert set(audit_deps.pinned(audit_deps.CONSTRAINTS)) <= listed, (
        "re-run --refresh-from after adding a pin"
    )
