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
import math
import os
import re
import subprocess
import sys
from pathlib import Path

from detect_secrets.__version__ import VERSION
from detect_secrets.core import baseline as ds_baseline
from detect_secrets.core import scan as ds_scan
from detect_secrets.core.secrets_collection import SecretsCollection
from detect_secrets.plugins import keyword as ds_keyword
from detect_secrets.plugins.base import BasePlugin, RegexBasedDetector
from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.settings import default_settings, get_settings
from detect_secrets.util.filetype import determine_file_type

ROOT = Path(__file__).resolve().parent.parent
# The scan is regular expressions over ~15 MB of text, one process per core; each line is first screened (below).
PROCESSES = os.cpu_count() or 1
BASELINE = ROOT / ".secrets.baseline"
# Binary and vendored files: nothing of ours to find there. The advisory snapshot is third-party data.
EXCLUDE = re.compile(
    r"(\.mo|\.min\.js|\.map|\.xlsx|\.pdf|\.docx|\.png|\.jpg|\.svg|\.zip|\.gz)$|/vendor/"
    r"|^\.secrets\.baseline$|^requirements/advisories/"  # the baseline itself; advisories (commit hashes)
)


# The screen. detect-secrets hands every line to each of its 27 detectors through a generic call that inspects
# the function's signature (~94 s of CPU for the whole repository, 2026-12-06), and all but about one line in 180
# can give no finding. A line goes to the detectors only if one of the expressions a detector finds its
# candidates with matches it: a regex detector's denylist, the keyword detector's expressions for the file's type,
# a high-entropy detector's quoted string — of at least the length whose entropy can pass its limit (a string of n
# characters has at most log2(n) bits a character, and a finding needs more than the limit: 23 characters for
# base64's 4.5, 9 for hex's 3.0). A line none of them matches yields nothing from any detector, so the findings are
# the same (tests/security/test_secrets.py compares them with an unscreened scan's). A detector of another kind,
# or another detect-secrets than the 1.5.0 read for this, leaves every line to the detectors.
SCREENED_VERSION = "1.5.0"


def _screen(filename: str) -> list[re.Pattern] | None:
    """The expressions one of which a line of `filename` must match to give a finding; None: no screen."""
    patterns: list[re.Pattern] = []
    for plugin in ds_scan.get_plugins():
        kind = type(plugin)
        if isinstance(plugin, RegexBasedDetector) and kind.analyze_line is BasePlugin.analyze_line:
            if kind.analyze_string not in (
                RegexBasedDetector.analyze_string,
                JwtTokenDetector.analyze_string,
            ):
                return None
            patterns.extend(plugin.denylist)
        elif (
            isinstance(plugin, HighEntropyStringsPlugin)
            and kind.analyze_line is HighEntropyStringsPlugin.analyze_line
            and kind.analyze_string is HighEntropyStringsPlugin.analyze_string
        ):
            shortest = math.floor(2**plugin.entropy_limit) + 1
            charset = re.escape(plugin.charset)
            patterns.append(re.compile(rf"([\'\"])([{charset}]{{{shortest},}})(\1)"))
        elif kind is ds_keyword.KeywordDetector:
            by_type = ds_keyword.REGEX_BY_FILETYPE.get(
                determine_file_type(filename), ds_keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP
            )
            patterns.extend(by_type)
        else:
            return None
    return patterns


def _screened_lines(lines: list, filename: str):
    """detect-secrets 1.5.0's `_process_line_based_plugins`, the lines no detector can find anything in left out
    (their text still the context of the others)."""
    patterns = _screen(filename)
    line_content = [line[1] for line in lines]
    for line_number, line in lines:
        line = line.rstrip()
        if patterns is not None and not any(p.search(line) for p in patterns):
            continue
        code_snippet = ds_scan.get_code_snippet(lines=line_content, line_number=line_number)
        if ds_scan._is_filtered_out(
            required_filter_parameters=["line"], filename=filename, line=line, context=code_snippet
        ):
            continue
        yield from (
            secret
            for plugin in ds_scan.get_plugins()
            for secret in ds_scan._scan_line(
                plugin=plugin, filename=filename, line=line, line_number=line_number, context=code_snippet
            )
            if not ds_scan._is_filtered_out(
                required_filter_parameters=["context"],
                filename=secret.filename,
                secret=secret.secret_value,
                plugin=plugin,
                line=line,
                context=code_snippet,
            )
        )


UNSCREENED = ds_scan._process_line_based_plugins
if VERSION == SCREENED_VERSION:
    # scan_file calls it by its module's name; the scan's processes are forked after this.
    ds_scan._process_line_based_plugins = _screened_lines


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
