"""API fuzzing: schemathesis drives every operation of the OpenAPI schema as every role, in-process (WSGI).

The schema is the one the app serves (`/api/schema/`, drf-spectacular, with the error answers that
`kechuang.core.schema` documents). For each role (anonymous, applicant, expert, commissioner, operator,
staff, signed in by API token) and each operation, hypothesis draws requests from the schema: valid ones
(positive) and ones that break it (negative: wrong types, missing fields, out-of-range values). Path ids are
drawn from the objects of the seeded world as well as from ids that do not exist, so detail, transition and
nested endpoints are reached with real objects. Every answer must:

- not be a server error (no 5xx);
- have a documented status code, content type, and a body that matches the documented schema (a 4xx the
  `Error` body).

The world is the demo province (`kechuang demo`), loaded once for the module: it is built by the apps' own
services and holds every kind of object the API names (rounds, reviews, milestones, change requests, index
runs, jobs...) with the role users linked to them, which the factories alone do not. Each role's pass runs
in its own transaction, rolled back after it, so every role starts from the same world; the requests are
drawn once, from that world, and every role sends them all, with its own token.

Examples per operation, mode and role: KECHUANG_FUZZ_EXAMPLES (default 1, which keeps the suite's pass near a
minute of CPU on SQLite and on PostgreSQL alike, so the same pass runs on both). `tools/fuzz_api.py` runs a
deeper pass and prints the counts. The run is derandomised (same requests every time) unless KECHUANG_FUZZ_SEED is set.
"""

import os
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.internal.reflection import function_digest

from kechuang.core import dbtemplate

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = {
    "anonymous": None,
    "applicant": "applicant",
    "expert": "expert1",
    "commissioner": "commissioner",
    "operator": "operator",
    "staff": "staff",
}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MISSING_ID = 987_654_321

# Which objects a path's parameters name: (pattern on the schema path, {parameter: "app_label.Model" or a
# list of literal values}). The first match wins. A path with a parameter that no entry names fails
# test_every_path_parameter_has_a_source, so a new endpoint needs an entry here.
PATH_SOURCES = [
    (r"^/api/units/\{id\}/", {"id": "accounts.Unit"}),
    # Ids of no token: a DELETE of the role's own fuzz token would sign it out for the rest of its pass.
    (r"^/api/auth/tokens/\{id\}/", {"id": [0, 999999]}),
    (r"^/api/jobs/\{id\}/", {"id": "core.Job"}),
    (r"^/api/funds/applications/\{id\}/", {"id": "challenges.Application"}),
    (r"^/api/funds/payments/\{id\}/", {"id": "funds.Payment"}),
    (r"^/api/funds/projects/\{id\}/", {"id": "challenges.Contract"}),
    (r"^/api/programmes/submissions/\{id\}/", {"id": "programmes.Submission"}),
    (r"^/api/programmes/versions/\{id\}/", {"id": "programmes.ProgrammeVersion"}),
    (
        r"^/api/programmes/calls/\{id\}/formal/\{sub_pk\}/",
        {"id": "programmes.Call", "sub_pk": "programmes.Submission"},
    ),
    (r"^/api/programmes/calls/\{id\}/formal/", {"id": "programmes.Call"}),
    (
        r"^/api/programmes/calls/\{id\}/award/\{sub_pk\}/",
        {"id": "programmes.Call", "sub_pk": "programmes.Submission"},
    ),
    (r"^/api/programmes/calls/\{id\}/award/", {"id": "programmes.Call"}),
    (
        r"^/api/programmes/calls/\{id\}/shortlist/\{sub_pk\}/",
        {"id": "programmes.Call", "sub_pk": "programmes.Submission"},
    ),
    (r"^/api/programmes/calls/\{id\}/shortlist/", {"id": "programmes.Call"}),
    (
        r"^/api/programmes/calls/\{id\}/invitation/\{sub_pk\}/",
        {"id": "programmes.Call", "sub_pk": "programmes.Submission"},
    ),
    (r"^/api/programmes/calls/\{id\}/invitation/", {"id": "programmes.Call"}),
    (
        r"^/api/programmes/calls/\{id\}/publicity/\{sub_pk\}/",
        {"id": "programmes.Call", "sub_pk": "programmes.Submission"},
    ),
    (r"^/api/programmes/calls/\{id\}/publicity/", {"id": "programmes.Call"}),
    (r"^/api/programmes/objections/\{id\}/", {"id": "programmes.Objection"}),
    (r"^/api/funds/adjustments/\{id\}/", {"id": "funds.BudgetAdjustment"}),
    (r"^/api/funds/final/\{id\}/", {"id": "funds.FinalAccount"}),
    (r"^/api/integrity/records/\{id\}/", {"id": "integrity.Record"}),
    (r"^/api/challenges/duplicates/\{id\}/", {"id": "challenges.DuplicatePair"}),
    (r"^/api/challenges/applications/\{id\}/", {"id": "challenges.Application"}),
    (r"^/api/challenges/changes/\{id\}/", {"id": "challenges.ChangeRequest"}),
    (r"^/api/challenges/attachments/\{id\}/", {"id": "challenges.Attachment"}),
    (r"^/api/challenges/objections/\{id\}/", {"id": "challenges.Objection"}),
    (r"^/api/challenges/pre-applications/\{id\}/", {"id": "challenges.PreApplication"}),
    (r"^/api/challenges/contracts/\{id\}/", {"id": "challenges.Contract"}),
    (r"^/api/challenges/milestones/\{id\}/", {"id": "challenges.Milestone"}),
    (r"^/api/challenges/results/\{id\}/", {"id": "challenges.Result"}),
    (r"^/api/challenges/\{id\}/", {"id": "challenges.Challenge"}),
    (r"^/api/registry/results/\{id\}/", {"id": "registry.ResultRegistration"}),
    (r"^/api/registry/contracts/\{id\}/", {"id": "registry.TechContract"}),
    (r"^/api/documents/\{id\}/download/", {"id": "documents.OfficialDocument"}),
    (r"^/api/documents/archives/\{id\}/", {"id": "documents.ProjectArchive"}),
    (r"^/api/documents/projects/\{id\}/", {"id": "challenges.Contract"}),
    (r"^/api/documents/verify/\{code\}/", {"code": "documents.OfficialDocument.code"}),
    (r"^/api/evaluation/campaigns/\{id\}/", {"id": "evaluation.Campaign"}),
    (r"^/api/evaluation/computations/\{id\}/", {"id": "evaluation.Computation"}),
    (r"^/api/indicators/indicators/\{code\}/", {"code": "indicators.Indicator.code"}),
    (r"^/api/indicators/runs/\{id\}/", {"id": "indicators.IndexRun"}),
    (r"^/api/ingest/documents/\{id\}/", {"id": "ingest.Document"}),
    (
        r"^/api/ingest/facts/\{id\}/",
        {"id": "ingest.Fact", "action": ["accept", "reject", "reopen", "edit", "nonsense"]},
    ),
    (r"^/api/platforms/memberships/\{id\}/", {"id": "platforms.Membership"}),
    (r"^/api/platforms/reports/\{id\}/", {"id": "platforms.YearlyReport"}),
    (r"^/api/platforms/\{id\}/", {"id": "platforms.Platform"}),
    (r"^/api/review/reviews/\{id\}/files/", {"id": "review.Review", "key": ["f1", "tech", "nonsense"]}),
    (
        r"^/api/review/reviews/\{id\}/",
        {"id": "review.Review", "action": ["open", "decline", "submit", "reopen", "release", "nonsense"]},
    ),
    (r"^/api/review/rounds/\{id\}/", {"id": "review.Round"}),
    (r"^/api/techmap/chains/\{id\}/", {"id": "techmap.Chain"}),
    (r"^/api/techmap/links/\{id\}/", {"id": "techmap.ChainLink"}),
    (r"^/api/techmap/technologies/\{id\}/", {"id": "techmap.Technology"}),
    (r"^/api/techmap/coverage/\{id\}/", {"id": "techmap.Coverage"}),
]


def _examples() -> int:
    return int(os.environ.get("KECHUANG_FUZZ_EXAMPLES", 1))


def _sources_for(path: str) -> dict | None:
    for pattern, sources in PATH_SOURCES:
        if re.search(pattern, path):
            return sources
    return None


def _values(source) -> list:
    """The real values a parameter can take (a sample of the world's objects) plus ones that exist nowhere."""
    if isinstance(source, list):
        return source
    from django.apps import apps

    label, _, field = source.partition(".")
    model_name, _, field = field.partition(".")
    model = apps.get_model(label, model_name)
    if field:
        return [*model.objects.order_by("pk").values_list(field, flat=True)[:40], "no-such-code"]
    return [*model.objects.order_by("pk").values_list("pk", flat=True)[:40], MISSING_ID]


def _negatable(raw: dict) -> bool:
    """Whether a request of this operation can break its schema: a body, a query parameter or a typed path
    parameter (any text fits a text path parameter, so hypothesis would search in vain)."""
    params = raw.get("parameters", [])
    return (
        "requestBody" in raw
        or any(p["in"] == "query" for p in params)
        or any(p["in"] == "path" and p.get("schema", {}).get("type") != "string" for p in params)
    )


class _App:
    """Django's WSGI handler, with each request in a savepoint: a request that fails with a database error
    answers 500 (and is reported) without poisoning the test's transaction for the requests after it."""

    def __init__(self):
        from django.core.wsgi import get_wsgi_application

        self.handler = get_wsgi_application()
        self.errors: list[str] = []
        self.schema = None  # the schema it serves (_schema), loaded once
        self.requests = None  # every operation's requests (_requests), drawn once

    def __call__(self, environ, start_response):
        with transaction.atomic():
            status_box = {}

            def start(status, headers, exc_info=None):
                status_box["status"] = status
                return start_response(status, headers, exc_info)

            body = list(self.handler(environ, start))
            if status_box.get("status", "").startswith("5"):
                transaction.set_rollback(True)
        return body


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo province (dbtemplate.demo_load) and an API token per role user; taken away after the module so
    no other test sees it."""
    with django_db_blocker.unblock():
        dbtemplate.demo_load()
        from kechuang.accounts.models import User
        from kechuang.accounts.services import token_issue

        def key(name):
            user = User.objects.get(username=name)
            return token_issue(actor=user, user=user, access="write", name="fuzz")[1]

        tokens = {role: (key(name) if name else None) for role, name in ROLES.items()}
        yield tokens
        dbtemplate.demo_unload()


@pytest.fixture(scope="module")
def wsgi_app():
    """One WSGI app for the module: the schema loaded through it (_schema), the request strategies built on
    that schema (_Operation) and the requests drawn from them (_requests) are built once, for every role's
    pass."""
    return _App()


@pytest.fixture
def app(wsgi_app):
    """The WSGI app, sharing the test's database connection (Django's request signals would close it); the
    errors it records are this test's only."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    application = wsgi_app
    application.errors.clear()

    def record(sender, request=None, **kwargs):
        application.errors.append(f"{request.method} {request.get_full_path()}\n{traceback.format_exc()}")

    signals.got_request_exception.connect(record)
    try:
        yield application
    finally:
        signals.got_request_exception.disconnect(record)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _schema(app):
    """The schema the app serves: the same for every role (anonymous too), loaded on the module's first ask."""
    if app.schema is None:
        app.schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    return app.schema


# Hypothesis derives a derandomised run's seed, and its example database key, from a digest of the test
# function's source (function_digest: inspect.getsource, tokenising this file, twice per operation and mode).
# Every `draw` below has the same source and signature, so the same digest: worked out once, given to each, the
# same requests are drawn as when each worked it out itself (as long as the lines of `draw` and its decorators
# are not edited: the digest, so the requests, change with them).
_DIGEST: list[bytes] = []


class _Operation:
    """An operation of the schema whose request strategy, per generation mode, is built once for every role's
    pass: hypothesis validates a strategy (and works out which parts can be empty) on its first draw, a good
    part of a pass's CPU when each role built its own. The strategy draws requests only; the role's token goes
    in at the call."""

    def __init__(self, operation):
        self.operation = operation
        self.strategies = {}

    def __getattr__(self, name):
        return getattr(self.operation, name)

    def as_strategy(self, generation_mode: GenerationMode):
        if generation_mode not in self.strategies:
            self.strategies[generation_mode] = self.operation.as_strategy(generation_mode=generation_mode)
        return self.strategies[generation_mode]


def _operations(schema):
    """The schema's operations, listed once for the schema (with the strategies they build: _Operation)."""
    if not hasattr(schema, "kechuang_operations"):
        schema.kechuang_operations = [_Operation(result.ok()) for result in schema.get_all_operations()]
    return schema.kechuang_operations


def _draw(operation, mode: GenerationMode, ids: dict, *, examples: int, seed: int | None) -> list:
    """`examples` requests of `operation` in `mode` (each case hypothesis's run reached), path ids drawn from
    `ids` (a negative case keeps its own broken path parameter half the time)."""
    drawn = []

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=seed is None,
        phases=[Phase.generate],  # report every failure, do not spend the budget shrinking one
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def draw(case, data):
        for name, values in ids.items():
            if name in case.path_parameters and not (mode.is_negative and data.draw(st.booleans())):
                case.path_parameters[name] = data.draw(st.sampled_from(values))
        drawn.append(case)

    if not _DIGEST:
        _DIGEST.append(function_digest(draw.hypothesis.inner_test))
    draw._hypothesis_internal_database_key = _DIGEST[0]
    # derandomised, the seed hypothesis would derive from the digest (core.get_random_for_wrapped_test)
    draw = hypothesis_seed(seed if seed is not None else int.from_bytes(_DIGEST[0], "big"))(draw)
    draw()
    return drawn


def _requests(app, *, examples: int, seed: int | None) -> list[tuple]:
    """Every operation's requests, per generation mode, drawn once for every role's pass: (operation, mode,
    cases). Drawn with the same seed and strategies, each role's pass drew the same requests as the others
    (path ids from the same world: each pass starts from it), and the drawing was over half of a pass's CPU.
    Drawn on the first pass's ask, before any request, from the module's world; only the token differs at the
    call. A positive request per operation, and a negative one where a request can break the schema."""
    if app.requests is None or app.requests[0] != (examples, seed):
        schema = _schema(app)
        drawn = []
        for operation in _operations(schema):
            sources = _sources_for(operation.path) or {}
            ids = {name: _values(source) for name, source in sources.items()}
            raw = schema.raw_schema["paths"][operation.path][operation.method.lower()]
            modes = (
                [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
                if _negatable(raw)
                else [GenerationMode.POSITIVE]
            )
            for mode in modes:
                drawn.append((operation, mode, _draw(operation, mode, ids, examples=examples, seed=seed)))
        app.requests = ((examples, seed), drawn)
    return app.requests[1]


@dataclass
class Run:
    """What one role's pass found: counts, failures (one per operation and kind of failure), timings."""

    headers: dict
    stats: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    timings: dict[str, float] = field(default_factory=dict)

    def send(self, operation, mode: GenerationMode, cases: list) -> None:
        started = time.perf_counter()
        for case in cases:
            self.stats["requests"] += 1
            response = case.call(headers=self.headers)
            self.stats[f"{response.status_code // 100}xx"] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=self.headers)
            except FailureGroup as group:
                titles = sorted({failure.title for failure in group.exceptions})
                if (key := f"{operation.label} {titles}") not in self.seen:
                    self.seen.add(key)
                    self.failures.append(
                        f"{operation.label} [{mode}] -> {response.status_code}: {titles}\n{group}"
                    )
        self.timings[f"{operation.label} [{mode}]"] = time.perf_counter() - started


def fuzz(app, token: str | None, *, examples: int, seed: int | None = None) -> Run:
    """Send every operation's `examples` positive and (where a request can break the schema) `examples`
    negative cases with the role's token; return the counts and every failure (operation, mode, checks
    failed, how to reproduce)."""
    run = Run(headers={"Authorization": f"Token {token}"} if token else {})
    operations = set()
    for operation, mode, cases in _requests(app, examples=examples, seed=seed):
        run.send(operation, mode, cases)
        run.stats[f"{mode}"] += 1
        operations.add(operation.label)
    run.stats["operations"] = len(operations)
    return run


def test_every_path_parameter_has_a_source(world, app):
    schema = _schema(app)
    missing = []
    for operation in _operations(schema):
        names = [p.name for p in operation.path_parameters]
        sources = _sources_for(operation.path) or {}
        missing += [f"{operation.path} {{{n}}}" for n in names if n not in sources]
        for source in sources.values():
            assert _values(source), source  # the model exists
    assert not missing, "add these to PATH_SOURCES: " + ", ".join(missing)


def test_every_operation_documents_its_errors(world, app):
    schema = _schema(app).raw_schema
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                codes = set(operation["responses"])
                assert {"401", "403", "429"} <= codes, f"{method} {path}: {codes}"
                assert any(c.startswith("2") for c in codes), f"{method} {path}: no success answer"


@pytest.mark.parametrize("role", list(ROLES))
def test_api_fuzz(world, app, role):
    started = time.perf_counter()
    seed = os.environ.get("KECHUANG_FUZZ_SEED")
    run = fuzz(app, world[role], examples=_examples(), seed=int(seed) if seed else None)
    stats, failures = run.stats, run.failures
    elapsed = time.perf_counter() - started
    slowest = sorted(run.timings.items(), key=lambda kv: -kv[1])[:3]
    print(
        f"\n{role}: {stats['operations']} operations, {stats['requests']} requests "
        f"({stats['2xx']} 2xx, {stats['4xx']} 4xx, {stats['5xx']} 5xx) in {elapsed:.1f} s; slowest: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in slowest)
    )
    assert stats["operations"] >= 100, stats
    assert stats["2xx"] > 0 and stats["4xx"] > 0, stats
    report = "\n\n".join(failures + app.errors)
    assert not failures and not app.errors, f"{len(failures)} failures as {role}:\n\n{report}"
