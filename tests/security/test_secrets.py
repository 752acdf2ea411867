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


def _findings(found) -> set[tuple]:
    return {
        (name, s.type, s.secret_hash, s.line_number) for name, secrets in found.data.items() for s in secrets
    }


def test_the_screened_scan_finds_what_every_detector_finds_line_by_line(tmp_path, monkeypatch):
    """The screen (check_secrets._screened_lines) leaves out only lines no detector finds anything in: on keys of
    many detectors planted among ordinary lines, and on the repository's files the baseline holds findings of,
    the findings (file, type, hash, line) are those of detect-secrets' own line loop."""
    assert check_secrets.VERSION != check_secrets.SCREENED_VERSION or (
        check_secrets.ds_scan._process_line_based_plugins is check_secrets._screened_lines
    )
    b64 = "Zm9vYmFy" + "QmF6cXV4" + "MTIzNDU2Nzg5" + "0ab"  # 31 characters, above base64's entropy limit
    hexes = "9f86d081" + "884c7d65" + "9a2feaa0"
    # At the screen's shortest lengths: 23 different characters (log2 23 = 4.52 > 4.5), 9 different hex ones.
    edge_b64, edge_hex = "Q7mZp2Xr9Kd" + "T4wLc8NvB3hY", "abcdef" + "123"
    planted = {
        "deploy.py": (
            "import os\n\n"
            f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\naws_secret_access_key = "{AWS_SECRET}"\n'
            f'SESSION = "{b64}"\nDIGEST = "{hexes}"\nshort = "ab12"\n'
            f'EDGE = ["{edge_b64}", "{edge_hex}", "{edge_b64[1:]}", "{edge_hex[1:]}"]\n'
            'db_password = "correct-horse-battery"\nname = "kechuang"\n'  # pragma: allowlist secret
        ),
        "notes.md": (
            "# Notes\n\nSome prose, and a link: https://admin:" + "s3cr3tpass" + "@db.example.org/\n"
            "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEow\n\n"
            "slack: xoxb-"
            + "123456789012-"
            + "123456789012-"
            + "abcdefghijABCDEFGHIJklmn\n"  # pragma: allowlist secret
            "server 203.0." + "113.77 and 8.8." + "4.4\n"
        ),
        "settings.ini": "[db]\npassword = " + "hunter2-was-here" + "\nhost = localhost\n",
    }
    repo = _repo(tmp_path, planted)
    baseline = repo / ".secrets.baseline"
    check_secrets.update(repo, baseline)  # the default detectors, as the committed baseline has
    screened, _ = check_secrets.scan(list(planted), repo, baseline)
    monkeypatch.setattr(check_secrets.ds_scan, "_process_line_based_plugins", check_secrets.UNSCREENED)
    plain, _ = check_secrets.scan(list(planted), repo, baseline)
    assert _findings(screened) == _findings(plain)
    assert {name for name, *_ in _findings(plain)} == set(planted)  # every file had something to find
    assert len(_findings(plain)) >= 8, _findings(plain)
    edge = {h for _, _, h, line in _findings(plain) if line == 8}  # the shortest pass, one shorter does not
    assert edge == {check_secrets.ds_scan.PotentialSecret.hash_secret(x) for x in (edge_b64, edge_hex)}

    reviewed = sorted(json.loads((ROOT / ".secrets.baseline").read_text())["results"])
    plain, _ = check_secrets.scan(reviewed, ROOT, ROOT / ".secrets.baseline")
    monkeypatch.undo()
    screened, _ = check_secrets.scan(reviewed, ROOT, ROOT / ".secrets.baseline")
    assert _findings(screened) == _findings(plain) and _findings(plain)
