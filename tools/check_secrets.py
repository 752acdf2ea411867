"""No secret in the repository: scan every tracked file with detect-secrets and fail on one the committed
baseline (.secrets.baseline) does not already hold.

The baseline lists what was looked at and judged not secret (demo passwords printed in the README, the test
settings' fixed keys, placeholders in .env.example), each with "is_secret": false. A finding is matched by
file, type and the hash of the string, not by line, so moving code does not disturb it.

    python tools/check_secrets.py            # exit 1 and list each new finding
    python tools/check_secrets.py --update   # after reviewing: rewrite the baseline with today's findings

`tools/runtests.py` runs it before the tests (docs/security.md).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from detect_secrets.core import baseline as ds_baseline
from detect_secrets.core.secrets_collection import SecretsCollection
from detect_secrets.settings import default_settings, get_settings

ROOT = Path(__file__).resolve().parent.parent
# The scan is regular expressions over ~15 MB of text (~40 s of CPU): one process per core.
PROCESSES = os.cpu_count() or 1
BASELINE = ROOT / ".secrets.baseline"
# Binary and vendored files: nothing of ours to find there. The advisory snapshot is third-party data.
EXCLUDE = re.compile(
    r"(\.mo|\.min\.js|\.map|\.xlsx|\.pdf|\.docx|\.png|\.jpg|\.svg|\.zip|\.gz)$|/vendor/"
    r"|^\.secrets\.baseline$|^requirements/advisories/"  # the baseline itself; advisories (commit hashes)
)


def tracked_files(root: Path = ROOT) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    return sorted(p for p in out.decode().split("\0") if p and not EXCLUDE.search(p) and (root / p).is_file())


def scan(files: list[str], root: Path, baseline_path: Path) -> tuple[SecretsCollection, SecretsCollection]:
    """Today's findings in `files` and the baseline's, with the baseline's plugins and filters."""

    here = os.getcwd()
    os.chdir(root)  # detect-secrets names files relative to the working directory
    try:
        if baseline_path.exists():
            data = json.loads(baseline_path.read_text())
            ds_baseline.configure_settings_from_baseline(data, str(baseline_path))
            if not get_settings().plugins:
                raise SystemExit(f"{baseline_path.name} names no detector: the scan would find nothing")
            known = ds_baseline.load(data, str(baseline_path))
            found = SecretsCollection()
            found.scan_files(*files, num_processors=PROCESSES)
        else:
            known = SecretsCollection()
            with default_settings():
                found = SecretsCollection()
                found.scan_files(*files, num_processors=PROCESSES)
    finally:
        os.chdir(here)
    return found, known


def new_secrets(
    root: Path = ROOT, baseline_path: Path = BASELINE, files: list[str] | None = None
) -> list[str]:
    """Each finding the baseline does not hold, as 'file:line: type'."""
    found, known = scan(files if files is not None else tracked_files(root), root, baseline_path)
    fresh = found - known
    return [
        f"{name}:{s.line_number}: {s.type}"
        for name, secrets in fresh.data.items()
        for s in sorted(secrets, key=lambda s: s.line_number or 0)
    ]


def update(root: Path = ROOT, baseline_path: Path = BASELINE) -> int:
    """Rewrite the baseline with today's findings (detect-secrets' default detectors and filters)."""
    old = json.loads(baseline_path.read_text()) if baseline_path.exists() else {"results": {}}
    verdicts = {(f, x["hashed_secret"]): x.get("is_secret") for f, xs in old["results"].items() for x in xs}
    here = os.getcwd()
    os.chdir(root)
    try:
        with default_settings():
            found = SecretsCollection()
            found.scan_files(*tracked_files(root), num_processors=PROCESSES)
            output = ds_baseline.format_for_output(found)
    finally:
        os.chdir(here)
    # Keep the verdicts already given; a new finding stays unaudited until someone reviews it.
    for name, secrets in output["results"].items():
        for x in secrets:
            if verdicts.get((name, x["hashed_secret"])) is not None:
                x["is_secret"] = verdicts[(name, x["hashed_secret"])]
    output.pop("generated_at", None)
    baseline_path.write_text(json.dumps(output, indent=2, sort_keys=True) + "\n")
    return sum(len(v) for v in output["results"].values())


def main(argv: list[str]) -> int:
    if "--update" in argv:
        print(f"{update()} findings written to {BASELINE.name}; review each and set is_secret")
        return 0
    fresh = new_secrets()
    if fresh:
        print("Possible secrets not in .secrets.baseline (remove them, or if they are not secret, review and")
        print("run `python tools/check_secrets.py --update`, then set is_secret false for each):")
        for line in fresh:
            print(f"  {line}")
        return 1
    print(f"No new secret in {len(tracked_files())} tracked files (baseline: {BASELINE.name}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
