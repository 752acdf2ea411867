"""The whole check behind `make test`: ruff, migrations, then the suite on SQLite and on PostgreSQL.

PostgreSQL runs when KECHUANG_TEST_POSTGRES_URL is set and reachable. With KECHUANG_REQUIRE_POSTGRES=1
(as .ci/run sets) an unreachable PostgreSQL is a failure, not a skip. The broker path (a real Redis and a
real Celery worker), with the fault tests that kill a worker or a server mid-write, runs when
KECHUANG_TEST_BROKER_URL is set; KECHUANG_REQUIRE_BROKER=1 makes it required. With PostgreSQL it runs beside
the PostgreSQL pass (its runs mostly wait on a worker, a server or a kill) and is reported after it.
Extra arguments go to pytest, e.g. `python tools/runtests.py -k audit`.

The PostgreSQL pass leaves out the browser tests (templates and scripts, not the database) and the tests
marked `nodb` at collection (src/kechuang/conftest.py): those ask for no database fixture and no django_db
mark, and run with the database refused, so they answer the same on either database (parsers, properties,
layer and catalogue checks...). A test that touched the database while marked `nodb` would fail on SQLite
("Database access not allowed"), not pass unseen; one that looks at `connection` is kept on both.
"""

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "screenshots"  # written by tests/browser/conftest.py
BIN = Path(sys.executable).parent


# Tests that need a real broker, worker or server process and a file database (the broker step).
FAULT_TESTS = ["tests/test_broker.py", "tests/test_faults_worker.py", "tests/test_faults_server.py"]

SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|errors?)")
TOTALS = {"passed": 0, "failed": 0, "skipped": 0}
RUNNING: list[subprocess.Popen] = []  # every step started, ended at exit if still running
TEMPLATES: list["Template"] = []  # the migrated template databases of this run, dropped at exit


def run(cmd: list[str], env: dict | None = None, title: str = "") -> None:
    """Run one step, echoing its output; add pytest's closing counts to the totals; stop on failure."""
    print(f"\n=== {title or ' '.join(cmd)}", flush=True)
    started = time.monotonic()
    proc = start(cmd, env)
    last = ""
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.strip():
            last = line
    proc.wait()
    finish(cmd, title, proc.returncode, last, time.monotonic() - started)


def start(cmd: list[str], env: dict | None = None) -> subprocess.Popen:
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    RUNNING.append(proc)
    return proc


def finish(cmd: list[str], title: str, returncode: int, last: str, seconds: float) -> None:
    """Count a finished step's pytest totals, say how it ended, stop the check on its failure."""
    if cmd[1:3] == ["-m", "pytest"]:
        for count, word in SUMMARY.findall(last):
            TOTALS["failed" if word.startswith("error") else word] += int(count)
    print(f"=== {title or cmd[0]}: exit {returncode} in {seconds:.0f}s", flush=True)
    if returncode != 0:
        closing()
        sys.exit(returncode)


class Background:
    """Steps run one after another in a thread while the check goes on, their output kept until `report`.

    The broker step runs beside the PostgreSQL pass: its pytest runs are one process each that mostly waits
    for a worker, a server or a kill (about 90 s of CPU in two minutes on a quiet 2-core machine), so beside
    the pass's two workers they cost that pass about half their CPU time instead of their whole wall time.
    """

    def __init__(self, steps: list[tuple[list[str], dict, str]]):
        self.steps = steps
        self.done: list[tuple[list[str], str, int, str, str, float]] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        for cmd, env, title in self.steps:
            started = time.monotonic()
            proc = start(cmd, env)
            output = proc.stdout.read()
            proc.wait()
            lines = [line for line in output.splitlines() if line.strip()]
            self.done.append(
                (cmd, title, proc.returncode, output, lines[-1] if lines else "", time.monotonic() - started)
            )
            if proc.returncode != 0:
                return

    def report(self) -> None:
        """Wait for the steps, then print each one's output and ending as `run` would have."""
        self.thread.join()
        for cmd, title, returncode, output, last, seconds in self.done:
            print(f"\n=== {title} (run beside the PostgreSQL pass; its output follows)", flush=True)
            sys.stdout.write(output)
            finish(cmd, title, returncode, last, seconds)


class Template:
    """One migrated template database (kechuang.core.dbtemplate), built beside the checks: each pass's workers,
    and the broker step, clone it instead of migrating one database each (about 24 s of CPU apiece). Beside it
    a copy with the demo province loaded, which the test modules on the demo restore instead of loading it
    (about 23 s of CPU each: six modules on SQLite, four on PostgreSQL, web's test of the demo among them, which
    reads the output of the template's load as its first)."""

    def __init__(self, vendor: str, env: dict):
        self.vendor = vendor
        self.directory = ROOT / "var" / "test-template" / f"{os.getpid()}-{vendor}"
        self.env = env
        TEMPLATES.append(self)
        self.started = time.monotonic()
        self.proc = start(
            [str(BIN / "python"), "-m", "kechuang.core.dbtemplate", "build", str(self.directory)], env
        )

    def ready(self) -> dict:
        """Wait for the build; the environment that has a test process clone it. A failed build stops the check."""
        if self.proc.returncode is None:
            output = self.proc.stdout.read()
            self.proc.wait()
            print(f"\n=== {self.vendor} template database (built beside the steps above)", flush=True)
            sys.stdout.write(output)
            finish(
                self.proc.args,
                f"{self.vendor} template database",
                self.proc.returncode,
                "",
                time.monotonic() - self.started,
            )
        return {"KECHUANG_TEST_TEMPLATE": str(self.directory)}

    def drop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        subprocess.run(
            [str(BIN / "python"), "-m", "kechuang.core.dbtemplate", "drop", str(self.directory)],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def closing() -> None:
    """The plain closing line over every pytest run of this check."""
    print(f"\n{TOTALS['passed']} passed, {TOTALS['failed']} failed, {TOTALS['skipped']} skipped", flush=True)


def reachable(url: str, timeout: float = 3.0) -> bool:
    import socket

    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), timeout=timeout):
            return True
    except OSError:
        return False


def main() -> None:
    extra = sys.argv[1:]
    # Compiled modules kept (__pycache__/, ignored by git), pytest's rewritten test modules with them: with
    # PYTHONDONTWRITEBYTECODE set, every process of the run (the templates' builds, each pass's workers, the
    # broker step's) compiled the project from source and each worker rewrote every test module's asserts again —
    # about two thirds of a worker's ~20 s of CPU collecting. Now the first process to load a module writes it.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    env_test = {"DJANGO_SETTINGS_MODULE": "kechuang.settings.test"}
    workers = os.environ.get("KECHUANG_TEST_WORKERS", "2")
    pytest = [
        str(BIN / "python"),
        "-m",
        "pytest",
        "-q",
        "-n",
        workers,
        "--dist",
        "loadfile",
        # Files in the order conftest's heaviest_files_first gives (the slow ones first), not xdist's own.
        "--no-loadscope-reorder",
    ]
    sqlite_env = {**env_test, "DATABASE_URL": "sqlite:///:memory:"}
    pg_url = os.environ.get("KECHUANG_TEST_POSTGRES_URL", "")
    require_pg = os.environ.get("KECHUANG_REQUIRE_POSTGRES") == "1"
    on_pg = bool(pg_url) and reachable(pg_url)
    # The SQLite template migrates while the checks below run (mostly one core's work); its pass waits for it.
    sqlite_template = Template("sqlite", {**sqlite_env, "PYTHONPATH": str(ROOT / "src")})
    if not extra:
        run([str(BIN / "ruff"), "check", "src", "tests", "tools", "benchmarks"], title="ruff check")
        run(
            [str(BIN / "ruff"), "format", "--check", "src", "tests", "tools", "benchmarks"],
            title="ruff format",
        )
        # The layers of docs/architecture.md ([tool.importlinter] in pyproject.toml): a backward import fails.
        run(
            [str(BIN / "lint-imports"), "--no-cache"],
            env={"PYTHONPATH": str(ROOT / "src")},
            title="import layers (lint-imports)",
        )
        run([str(BIN / "python"), "tools/check_secrets.py"], title="secret scan (detect-secrets)")
        run([str(BIN / "python"), "tools/audit_deps.py"], title="dependency audit (pip-audit)")
        run(
            [str(BIN / "python"), "manage.py", "makemigrations", "--check", "--dry-run"],
            env={**env_test, "DATABASE_URL": "sqlite:///:memory:"},
            title="makemigrations --check",
        )
    # The browser tests' screenshots (artifacts/screenshots/, kept by CI) are this run's only.
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    # Broker and crash tests need a file database and child processes: they run in the broker step below.
    sqlite_ready = sqlite_template.ready()
    # The PostgreSQL template is built beside the SQLite pass, not beside the checks: there it competed with the
    # secret scan and the SQLite template for the two cores while the SQLite pass waited (2026-12-06 04:28: checks
    # 115 s); beside the pass it is ready long before the pass ends (~66 s of CPU against the pass's ~8 minutes).
    pg_template = (
        Template("postgresql", {**env_test, "DATABASE_URL": pg_url, "PYTHONPATH": str(ROOT / "src")})
        if on_pg
        else None
    )
    run(
        [*pytest, "-m", "not broker and not crash", *extra],
        env={**sqlite_env, **sqlite_ready},
        title="pytest on SQLite",
    )
    shots = sorted(ARTIFACTS.glob("*.png")) if ARTIFACTS.is_dir() else []
    print(f"=== screenshots: {len(shots)} in {ARTIFACTS.relative_to(ROOT)}/", flush=True)
    if not extra and not shots and os.environ.get("KECHUANG_REQUIRE_BROWSER") == "1":
        print("The browser tests are required (KECHUANG_REQUIRE_BROWSER=1) but left no screenshot")
        closing()
        sys.exit(1)

    if not on_pg and require_pg:
        print(
            f"PostgreSQL is required (KECHUANG_REQUIRE_POSTGRES=1) but not reachable at {pg_url or '(unset)'}"
        )
        sys.exit(1)

    broker = os.environ.get("KECHUANG_TEST_BROKER_URL", "")
    require_broker = os.environ.get("KECHUANG_REQUIRE_BROKER") == "1"
    broker_steps = []
    if broker and reachable(broker):
        db_env = {"DATABASE_URL": pg_url, **pg_template.ready()} if pg_template else {}
        broker_env = {
            **env_test,
            "CELERY_BROKER_URL": broker,
            # A queue of this run's own, so that a stale message from another run is never consumed.
            "CELERY_TASK_DEFAULT_QUEUE": f"kechuang-test-{os.getpid()}",
            "KECHUANG_TEST_SQLITE_FILE": str(ROOT / "var" / "test-broker.sqlite3"),
            **sqlite_template.ready(),
        }
        broker_steps.append(
            (
                [str(BIN / "python"), "-m", "pytest", "-q", "-m", "broker or crash", *FAULT_TESTS],
                {**broker_env, **db_env},
                "pytest: jobs through a real broker and worker; workers and servers killed mid-write",
            )
        )
        if db_env:
            # The crash of a server mid-write on the embedded default too (SQLite's own recovery).
            broker_steps.append(
                (
                    [str(BIN / "python"), "-m", "pytest", "-q", "-m", "crash", "tests/test_faults_server.py"],
                    broker_env,
                    "pytest: server killed mid-write, on a file SQLite database",
                )
            )
    elif require_broker:
        print(
            f"The broker is required (KECHUANG_REQUIRE_BROKER=1) but not reachable at {broker or '(unset)'}"
        )
        sys.exit(1)

    if on_pg:
        # Browser tests exercise templates and scripts, not the database, and `nodb` tests never reach it:
        # once, on SQLite, is enough. The broker step (its own database, test_<name> without a worker's
        # suffix, and its own SQLite file) runs beside this pass (Background) and is reported after it.
        beside = Background(broker_steps)
        beside.thread.start()
        run(
            [*pytest, "-m", "not broker and not crash and not browser and not nodb", *extra],
            env={**env_test, "DATABASE_URL": pg_url, **pg_template.ready()},
            title="pytest on PostgreSQL",
        )
        beside.report()
    else:
        print(
            "\n=== PostgreSQL run skipped: set KECHUANG_TEST_POSTGRES_URL=postgres://USER@HOST:5432/DB to include it"
        )
        for cmd, env, title in broker_steps:
            run(cmd, env=env, title=title)
    if not broker_steps:
        print("=== broker run skipped: set KECHUANG_TEST_BROKER_URL=redis://127.0.0.1:6379/15 to include it")
    print("\nAll checks passed.")
    closing()


if __name__ == "__main__":
    try:
        main()
    finally:
        for proc in RUNNING:  # a step still running when the check stops (a failure beside it)
            if proc.poll() is None:
                proc.terminate()
        for template in TEMPLATES:
            template.drop()
