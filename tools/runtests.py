"""The whole check behind `make test`: ruff, migrations, then the suite on SQLite and on PostgreSQL.

PostgreSQL runs when KECHUANG_TEST_POSTGRES_URL is set and reachable. With KECHUANG_REQUIRE_POSTGRES=1
(as .ci/run sets) an unreachable PostgreSQL is a failure, not a skip. The broker path (a real Redis and a
real Celery worker), with the fault tests that kill a worker or a server mid-write, runs when
KECHUANG_TEST_BROKER_URL is set; KECHUANG_REQUIRE_BROKER=1 makes it required. With PostgreSQL it runs beside
the PostgreSQL pass (its runs mostly wait on a worker, a server or a kill) and is reported after it.
Extra arguments go to pytest, e.g. `python tools/runtests.py -k audit`.

The steps overlap where one would leave a core idle: the SQLite pass starts while its template database still
migrates (Template), and the PostgreSQL pass with the broker step when the SQLite pass's first worker has finished
(postgres_beside). Each step's output is printed whole and in order all the same (Step), the later ones' kept until
the earlier ones' have been shown.

The PostgreSQL pass leaves out the browser tests (templates and scripts, not the database) and the tests
marked `nodb` at collection (src/kechuang/conftest.py): those ask for no database fixture and no django_db
mark, and run with the database refused, so they answer the same on either database (parsers, properties,
layer and catalogue checks...). A test that touched the database while marked `nodb` would fail on SQLite
("Database access not allowed"), not pass unseen; one that looks at `connection` is kept on both.
"""

import os
import queue
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

# The test modules' worlds built once a run, beside the demo, as templates (kechuang.core.dbtemplate `--world`):
# the permission matrix's, restored by both of its modules in each pass instead of built by each (~33 s of CPU
# apiece on SQLite).
WORLDS = ["--world", "matrix=tests.test_permission_matrix:build_world"]

SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|errors?)")
TOTALS = {"passed": 0, "failed": 0, "skipped": 0}
RUNNING: list[subprocess.Popen] = []  # every step started, ended at exit if still running
STARTING = threading.Lock()
ENDED = threading.Event()
TEMPLATES: list["Template"] = []  # the migrated template databases of this run, dropped at exit
PG_TEMPLATE: list["Template"] = []  # PostgreSQL's, started once SQLite's is built
# Touched by the SQLite pass's xdist controller when its first worker has finished (src/kechuang/conftest.py).
WORKER_DONE = ROOT / "var" / "test-template" / f"{os.getpid()}-sqlite-worker-done"


def run(
    cmd: list[str], env: dict | None = None, title: str = "", templates: tuple["Template", ...] = ()
) -> None:
    """Run one step, echoing its output; add pytest's closing counts to the totals; stop on failure."""
    Step(cmd, env, title, templates).show()


class Step:
    """One step's process, started now; its output kept (in order) until `show` prints it, then shown as it
    comes. A step started before its `templates` were built is stopped if a build fails, and that build's
    failure is reported first."""

    def __init__(self, cmd: list[str], env: dict | None, title: str, templates: tuple["Template", ...] = ()):
        self.cmd, self.title, self.templates = cmd, title or " ".join(cmd), templates
        self.started = time.monotonic()
        self.proc = start(cmd, env)
        for template in templates:
            template.waiting.append(self.proc)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def show(self, note: str = "") -> None:
        """Print the output so far and the rest as it comes; add the closing counts; stop the check on failure."""
        print(f"\n=== {self.title}{f' ({note})' if note else ''}", flush=True)
        last = ""
        while (line := self.lines.get()) is not None:
            sys.stdout.write(line)
            sys.stdout.flush()
            if line.strip():
                last = line
        self.proc.wait()
        for template in self.templates:
            if template.failed:  # the step stopped for it: the build's failure, not the step's, is the news
                template.ready()
        finish(self.cmd, self.title, self.proc.returncode, last, time.monotonic() - self.started)
        for template in self.templates:
            template.ready()


def start(cmd: list[str], env: dict | None = None) -> subprocess.Popen:
    with STARTING:  # none once the check has ended (a step a thread started as it stopped)
        if ENDED.is_set():
            raise SystemExit(1)
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

    def __init__(self, steps: list[tuple[list[str], dict, str, tuple["Template", ...]]]):
        self.steps = steps
        self.done: list[Step] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for cmd, env, title, templates in self.steps:
            step = Step(cmd, env, title, templates)
            self.done.append(step)
            if step.proc.wait() != 0:
                return

    def report(self) -> None:
        """Wait for the steps, then print each one's output and ending as `run` would have."""
        self.thread.join()
        for step in self.done:
            step.show("run beside the PostgreSQL pass; its output follows")


class Template:
    """One migrated template database (kechuang.core.dbtemplate), built beside the checks: each pass's workers,
    and the broker step, clone it instead of migrating one database each (about 24 s of CPU apiece). Beside it
    a copy with the demo province loaded, which the test modules on the demo restore instead of loading it
    (about 23 s of CPU each: every module on the demo, eleven on SQLite, fewer on PostgreSQL, web's test of the
    demo among them, which reads the output of the template's load as its first). And a copy with the permission
    matrix's world (WORLDS), built in a process of its own beside the demo's load, which both of the matrix's
    modules restore instead of each building it.

    A pass may start before its template is built (`early`): the build's process id is written in the template's
    directory (dbtemplate.BUILDING), and a worker that reaches its first database test before the build is over
    waits for it there — collecting the suite, some 15-20 s of CPU a worker, is done beside the build instead of
    after it. A build that fails stops the passes waiting on it; its output is shown first."""

    def __init__(self, vendor: str, env: dict, then=None):
        self.vendor = vendor
        self.then = then  # called once the build has succeeded
        self.directory = ROOT / "var" / "test-template" / f"{os.getpid()}-{vendor}"
        self.env = env
        TEMPLATES.append(self)
        self.started = time.monotonic()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.proc = start(
            [str(BIN / "python"), "-m", "kechuang.core.dbtemplate", "build", str(self.directory), *WORLDS],
            # The run its databases belong to (dbtemplate.RUN_PID, not imported: no Django here): a later run's
            # build drops them once this process is gone (dbtemplate.sweep), never while it runs.
            {**env, "KECHUANG_TEST_RUN_PID": str(os.getpid())},
        )
        self.marker = self.directory / "building.pid"  # dbtemplate.BUILDING (not imported: no Django here)
        self.marker.write_text(str(self.proc.pid))
        self.output = ""
        self.seconds = 0.0
        self.waiting: list[subprocess.Popen] = []  # the passes started early, stopped if the build fails
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        self.output = self.proc.stdout.read()
        self.proc.wait()
        self.seconds = time.monotonic() - self.started
        self.marker.unlink(missing_ok=True)
        if self.proc.returncode == 0 and self.then:
            self.then()
        if self.proc.returncode != 0:
            for proc in self.waiting:
                if proc.poll() is None:
                    proc.terminate()

    @property
    def failed(self) -> bool:
        return self.proc.poll() not in (None, 0)

    def early(self) -> dict:
        """The environment that has a test process clone the template, waiting for its build if need be."""
        return {"KECHUANG_TEST_TEMPLATE": str(self.directory)}

    def ready(self) -> dict:
        """Wait for the build; the environment that has a test process clone it. A failed build stops the check."""
        if self.thread.is_alive() or self.output is not None:
            self.thread.join()
            print(f"\n=== {self.vendor} template database (built beside the steps above)", flush=True)
            sys.stdout.write(self.output)
            self.output = None  # reported
            finish(self.proc.args, f"{self.vendor} template database", self.proc.returncode, "", self.seconds)
        return self.early()

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


def broker_steps(
    sqlite_template: "Template", pg_template: "Template | None", env_test: dict, pg_url: str, broker: str
) -> list[tuple[list[str], dict, str, tuple["Template", ...]]]:
    """The broker step's pytest runs (none without a broker): jobs through Redis and a real worker, workers and
    servers killed mid-write, on PostgreSQL when there is one; the server's crash on a file SQLite database too."""
    if not broker:
        return []
    broker_env = {
        **env_test,
        "CELERY_BROKER_URL": broker,
        # A queue of this run's own, so that a stale message from another run is never consumed.
        "CELERY_TASK_DEFAULT_QUEUE": f"kechuang-test-{os.getpid()}",
        "KECHUANG_TEST_SQLITE_FILE": str(ROOT / "var" / "test-broker.sqlite3"),
        **sqlite_template.early(),
    }
    if pg_template is None:
        return [
            (
                [str(BIN / "python"), "-m", "pytest", "-q", "-m", "broker or crash", *FAULT_TESTS],
                broker_env,
                "pytest: jobs through a real broker and worker; workers and servers killed mid-write",
                (sqlite_template,),
            )
        ]
    return [
        (
            [str(BIN / "python"), "-m", "pytest", "-q", "-m", "broker or crash", *FAULT_TESTS],
            {**broker_env, "DATABASE_URL": pg_url, **pg_template.early()},
            "pytest: jobs through a real broker and worker; workers and servers killed mid-write",
            (pg_template,),
        ),
        # The crash of a server mid-write on the embedded default too (SQLite's own recovery).
        (
            [str(BIN / "python"), "-m", "pytest", "-q", "-m", "crash", "tests/test_faults_server.py"],
            broker_env,
            "pytest: server killed mid-write, on a file SQLite database",
            (sqlite_template,),
        ),
    ]


def postgres_beside(sqlite, sqlite_template, pytest, extra, env_test, pg_url, broker, beside: dict) -> None:
    """Start the PostgreSQL pass, and the broker step beside it, once a SQLite worker has finished (or the
    SQLite pass has ended, passed); nothing when the SQLite pass or a template's build failed."""
    while not WORKER_DONE.exists() and sqlite.proc.poll() is None:
        time.sleep(0.5)
    if sqlite.proc.poll() not in (None, 0):
        return
    sqlite_template.thread.join()  # the PostgreSQL template's build starts when SQLite's has succeeded
    if not PG_TEMPLATE:
        return
    pg_template = PG_TEMPLATE[0]
    # Browser tests exercise templates and scripts, not the database, and `nodb` tests never reach it: once, on
    # SQLite, is enough. The broker step (its own database, test_<name> without a worker's suffix, and its own
    # SQLite file) runs beside this pass (Background) and is reported after it.
    beside["broker"] = Background(broker_steps(sqlite_template, pg_template, env_test, pg_url, broker))
    beside["postgresql"] = Step(
        [*pytest, "-m", "not broker and not crash and not browser and not nodb", *extra],
        {**env_test, "DATABASE_URL": pg_url, **pg_template.early()},
        "pytest on PostgreSQL",
        (pg_template,),
    )


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
    # The SQLite template migrates while the checks below run (mostly one core's work). The PostgreSQL template
    # is built when it is done, beside the SQLite pass, not beside the checks: there it competed with the secret
    # scan and the SQLite template for the two cores while the SQLite pass waited (2026-12-06 04:28: checks 115 s);
    # beside the pass it is ready long before the pass ends (~66 s of CPU against the pass's ~8 minutes).
    pg_env = {**env_test, "DATABASE_URL": pg_url, "PYTHONPATH": str(ROOT / "src")}
    sqlite_template = Template(
        "sqlite",
        {**sqlite_env, "PYTHONPATH": str(ROOT / "src")},
        then=(lambda: PG_TEMPLATE.append(Template("postgresql", pg_env))) if on_pg else None,
    )
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
    broker = os.environ.get("KECHUANG_TEST_BROKER_URL", "")
    on_broker = bool(broker) and reachable(broker)
    # The SQLite pass starts while its template still migrates (Template: its workers collect meanwhile, then
    # wait for the build); its template's output is reported after it. Broker and crash tests need a file
    # database and child processes: they run in the broker step below.
    sqlite = Step(
        [*pytest, "-m", "not broker and not crash", *extra],
        {**sqlite_env, **sqlite_template.early(), "KECHUANG_TEST_WORKER_DONE": str(WORKER_DONE)},
        "pytest on SQLite",
        (sqlite_template,),
    )
    beside: dict = {}
    if on_pg:
        # The PostgreSQL pass (and the broker step beside it) starts as soon as one of the SQLite pass's workers
        # has no file left to take (src/kechuang/conftest.py touches WORKER_DONE): the two cores run the SQLite
        # pass's last files and the PostgreSQL pass's start together, instead of one core standing idle until
        # the slower SQLite worker ends. Its output is kept until the SQLite pass's has been shown.
        overlap = threading.Thread(
            target=postgres_beside,
            args=(
                sqlite,
                sqlite_template,
                pytest,
                extra,
                env_test,
                pg_url,
                broker if on_broker else "",
                beside,
            ),
            daemon=True,
        )
        overlap.start()
    sqlite.show()
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
    if not on_broker and os.environ.get("KECHUANG_REQUIRE_BROKER") == "1":
        print(
            f"The broker is required (KECHUANG_REQUIRE_BROKER=1) but not reachable at {broker or '(unset)'}"
        )
        sys.exit(1)

    if on_pg:
        overlap.join()
        if "postgresql" not in beside:
            print("The PostgreSQL pass did not start (its template's build did not)")
            closing()
            sys.exit(1)
        # A failed build of the PostgreSQL template stopped that pass: its output is shown here, before the pass's.
        PG_TEMPLATE[0].ready()
        beside["postgresql"].show("started when the first SQLite worker had no file left; its output follows")
        beside["broker"].report()
    else:
        print(
            "\n=== PostgreSQL run skipped: set KECHUANG_TEST_POSTGRES_URL=postgres://USER@HOST:5432/DB to include it"
        )
        for cmd, env, title, templates in broker_steps(
            sqlite_template, None, env_test, "", broker if on_broker else ""
        ):
            run(cmd, env=env, title=title, templates=templates)
    if not on_broker:
        print("=== broker run skipped: set KECHUANG_TEST_BROKER_URL=redis://127.0.0.1:6379/15 to include it")
    print("\nAll checks passed.")
    closing()


if __name__ == "__main__":
    try:
        main()
    finally:
        with STARTING:
            ENDED.set()
        for proc in RUNNING:  # a step still running when the check stops (a failure beside it)
            if proc.poll() is None:
                proc.terminate()
        for template in TEMPLATES:
            template.drop()
        WORKER_DONE.unlink(missing_ok=True)
