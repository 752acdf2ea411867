"""The secret scan (tools/check_secrets.py, a step of tools/runtests.py): a new secret in a tracked file
fails it; findings reviewed into the baseline do not."""

import importlib.util
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_secrets", ROOT / "tools" / "check_secrets.py")
check_secrets = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_secrets)

# Built from pieces so that this file itself holds no key the scan would find.
AWS_KEY = "AKIA" + "Q4NWJ7TZ" + "3XRB5VYM"
AWS_SECRET = "wJalrXUtnFEMI" + "/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"  # pragma: allowlist secret
DEMO_LINE = 'DEMO_PASSWORD = "kechuang-demo-2026"\n'  # pragma: allowlist secret


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    return tmp_path


def test_a_new_secret_in_a_tracked_file_is_found_with_its_line(tmp_path):
    repo = _repo(tmp_path, {"settings.py": "DEBUG = False\n", "README.md": "# demo\n"})
    baseline = repo / ".secrets.baseline"
    check_secrets.update(repo, baseline)
    assert check_secrets.new_secrets(repo, baseline) == []

    (repo / "deploy.py").write_text(
        f'import os\n\nAWS_ACCESS_KEY_ID = "{AWS_KEY}"\naws_secret_access_key = "{AWS_SECRET}"\n'
    )
    subprocess.run(["git", "-C", str(repo), "add", "deploy.py"], check=True)
    found = check_secrets.new_secrets(repo, baseline)
    assert any(f.startswith("deploy.py:3: AWS Access Key") for f in found), found


def test_reviewed_findings_in_the_baseline_do_not_fail_the_scan(tmp_path):
    repo = _repo(tmp_path, {"demo.py": DEMO_LINE})
    baseline = repo / ".secrets.baseline"
    assert check_secrets.new_secrets(repo, baseline)  # found while nobody has reviewed it
    check_secrets.update(repo, baseline)
    assert check_secrets.new_secrets(repo, baseline) == []
    (repo / "demo.py").write_text('"""Demo."""\n\n\n' + DEMO_LINE)  # the same finding on another line
    assert check_secrets.new_secrets(repo, baseline) == []


def test_the_committed_baseline_runs_every_detector_and_every_finding_was_reviewed():
    data = json.loads((ROOT / ".secrets.baseline").read_text())
    assert len(data["plugins_used"]) >= 20
    entries = [s for secrets in data["results"].values() for s in secrets]
    assert entries and all(s["is_secret"] is False for s in entries)
