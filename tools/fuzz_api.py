"""A deeper API fuzzing pass than the test suite's: `python tools/fuzz_api.py [--examples N] [--seed S]`.

It runs tests/test_api_fuzz.py with KECHUANG_FUZZ_EXAMPLES=N (examples per operation, generation mode and
role; default 25) and prints each role's counts (operations, requests, answers by class, time). With
--seed the requests differ from the suite's derandomised ones (each seed gives another sample). Extra
arguments go to pytest (e.g. `-k staff`, or `-n 2`). Uses DATABASE_URL like the suite (SQLite in memory
by default).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=None)
    args, rest = parser.parse_known_args(argv)
    env = {**os.environ, "KECHUANG_FUZZ_EXAMPLES": str(args.examples)}
    if args.seed is not None:
        env["KECHUANG_FUZZ_SEED"] = str(args.seed)
    cmd = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:logging", "tests/test_api_fuzz.py", *rest]
    return subprocess.call(cmd, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
