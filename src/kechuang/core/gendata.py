"""The bulk dataset generator's shared machinery: the plan of each scale, the context every app's
`gendata.py` writes through, and a writer that loads rows in batches (COPY on PostgreSQL, executemany
INSERT on SQLite).

Each app's `gendata.py` has `generate(ctx: Context) -> None` and is run in the order of
`kechuang.web.loaders.GENDATA_ORDER` by `kechuang gendata`. Rows are written as plain values (never through
services or model instances) because a national dataset has millions of rows; the generators keep the
domain's rules themselves (state machines, conflicts, checksums) and the tests check them.

Determinism: every row gets an explicit primary key from the writer and every value comes from
`random.Random` seeded with the run's seed and the app's name, timestamps from `as_of`; so one seed and one
`as_of` date give the same database, table by table (`core.backup.database_digest`).
"""

import contextlib
import datetime
import decimal
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

from kechuang.core.bigram import BigramIndexed

# The national programme's size (issue #8); other scales are a fraction of it, with small floors so that
# the tiny test scale still has every state of every lifecycle.
NATIONAL = {
    "units": 50_000,
    "platforms": 5_000,
    "experts": 20_000,
    "challenges": 2_000,
    "applications": 60_000,
    "reviews": 300_000,
    "audit_events": 1_000_000,
}
SCALES = {"national": 1.0, "province": 0.1, "test": 0.001}
FLOORS = {
    "units": 120,
    "platforms": 20,
    "experts": 40,
    "challenges": 24,
    "applications": 150,
    "reviews": 500,
    "audit_events": 3_000,
}
GENDATA_PASSWORD = "kechuang-gendata"
BATCH = 5_000


def plan(scale: str) -> dict[str, int]:
    """The target row counts of a scale: the national size times the scale's factor (with floors)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: one of {', '.join(SCALES)}")
    factor = SCALES[scale]
    return {k: max(FLOORS[k], round(v * factor)) for k, v in NATIONAL.items()}


class _Table:
    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.index = {a: i for i, a in enumerate(self.attnames)}
        # Django's own defaults ("" for text, None otherwise); timestamps must be given or take the clock.
        self.defaults = [
            _MISSING
            if getattr(f, "auto_now", False)
            or getattr(f, "auto_now_add", False)
            or (
                isinstance(f, models.DateTimeField) and f.has_default() and callable(f.default)
            )  # AuditEvent.at: the clock's
            else f.get_default()
            for f in self.fields
        ]
        self.json_cols = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.dt_cols = [i for i, f in enumerate(self.fields) if isinstance(f, models.DateTimeField)]
        self.date_cols = [
            i
            for i, f in enumerate(self.fields)
            if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
        ]
        self.dec_cols = [i for i, f in enumerate(self.fields) if isinstance(f, models.DecimalField)]
        self.rows: list[list] = []
        self.written = 0


_MISSING = object()


class Writer:
    """Buffers rows per table and loads them in batches. Primary keys are allocated here, from 1 (or after
    the largest existing id), so that references can be built without reading anything back."""

    def __init__(self, batch: int = BATCH, on_write: Callable[[int], None] | None = None):
        self.batch = batch
        self.on_write = on_write
        self.tables: dict[type[models.Model], _Table] = {}
        self.next_ids: dict[type[models.Model], int] = {}
        self.clock: datetime.datetime | None = None
        self.vendor = connection.vendor
        self.chain = None  # core.auditchain.ChainState while audit events are being added

    def _link(self, t: _Table, row: list) -> None:
        """Give an audit event its place in the hash chain (core.auditchain), as AuditEvent.save would."""
        from .auditchain import FIELDS, ChainState

        if self.chain is None:
            self.chain = ChainState()
        values = {name: row[t.index[name]] for name in FIELDS if name not in ("seq", "prev_hash")}
        for name, value in self.chain.link(values).items():
            row[t.index[name]] = value

    def _save_chain(self) -> None:
        if self.chain is not None:
            self.chain.save()
            self.chain = None  # read again after the apps' own services have appended through the ORM

    def _table(self, model) -> _Table:
        t = self.tables.get(model)
        if t is None:
            t = self.tables[model] = _Table(model)
        return t

    def next_id(self, model) -> int:
        n = self.next_ids.get(model)
        if n is None:
            n = (model._base_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.next_ids[model] = n + 1
        return n

    def add(self, model, **values) -> int:
        """Queue one row; returns its primary key. Unknown field names raise (a typo must not pass)."""
        t = self._table(model)
        pk = model._meta.pk.attname
        if values.get(pk) is None:
            values[pk] = self.next_id(model)
        if issubclass(model, BigramIndexed) and "search_bigrams" not in values:
            # What the model's save() would keep (core.bigram), from the same values.
            inst = model(**{f: values[f] for f in model.BIGRAM_SOURCES if f in values})
            inst.refresh_bigrams()
            values["search_bigrams"] = inst.search_bigrams
        row = list(t.defaults)
        for key, value in values.items():
            try:
                row[t.index[key]] = value
            except KeyError:
                raise TypeError(f"{model.__name__} has no column {key!r}") from None
        for name in ("created_at", "updated_at", "at"):
            i = t.index.get(name)
            if i is not None and row[i] is _MISSING:
                row[i] = values.get("created_at") or self.clock
        missing = [t.attnames[i] for i, v in enumerate(row) if v is _MISSING]
        if missing:
            raise TypeError(f"{model.__name__}: no value for {', '.join(missing)}")
        if model._meta.label_lower == "core.auditevent":
            self._link(t, row)
        t.rows.append(row)
        if len(t.rows) >= self.batch:
            self._flush(t)
        return values[pk]

    def _flush(self, t: _Table) -> None:
        if not t.rows:
            return
        rows = t.rows
        t.rows = []
        for row in rows:
            for i in t.json_cols:
                if row[i] is not None:
                    row[i] = json.dumps(row[i], cls=DjangoJSONEncoder, ensure_ascii=False)
        table = connection.ops.quote_name(t.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(f.column) for f in t.fields)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                ops = connection.ops
                for row in rows:
                    for i in t.dt_cols:
                        if row[i] is not None:
                            row[i] = ops.adapt_datetimefield_value(row[i])
                    for i in t.date_cols:
                        if row[i] is not None:
                            row[i] = row[i].isoformat()
                    for i in t.dec_cols:
                        if row[i] is not None:
                            row[i] = str(row[i])
                marks = ", ".join(["%s"] * len(t.fields))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        t.written += len(rows)
        if self.on_write:
            self.on_write(len(rows))

    def flush_all(self) -> None:
        for t in self.tables.values():
            self._flush(t)

    def sync(self) -> None:
        """Write what is left and set every table's id sequence to follow its largest id, so that code
        saving rows through the ORM (a service) can run, with the same ids on every run (a sequence is not
        rolled back with a transaction on PostgreSQL); ids are read again afterwards."""
        from .backup import backed_up_models

        self.flush_all()
        self._save_chain()
        sql = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
        self.next_ids.clear()

    def finish(self) -> dict[str, int]:
        """Write what is left, move the id sequences past the written ids; returns rows per table."""
        self.flush_all()
        self._save_chain()
        written = [t.model for t in self.tables.values() if t.written]
        sql = connection.ops.sequence_reset_sql(no_style(), written)
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
        return {t.model._meta.db_table: t.written for t in self.tables.values()}


@contextlib.contextmanager
def foreign_keys_checked_at_end():
    """On PostgreSQL, drop the project's foreign-key constraints for the load and add them back after it,
    as pg_restore does: adding a constraint checks every row in one join, where a kept constraint queues
    and runs one check per inserted row (40% of the load time at province scale). Inside the caller's
    transaction, so a failed load leaves the schema as it was; a row that breaks a key fails the re-add.
    Elsewhere (SQLite) it does nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    from .backup import backed_up_models

    tables = [m._meta.db_table for m in backed_up_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


@dataclass
class Context:
    """What every app's generator shares: the scale's plan, the seed, the date the world is "as of", the
    writer, and the facts earlier apps leave for later ones (in `shared`)."""

    scale: str
    seed: int
    as_of: datetime.date
    writer: Writer
    password_hash: str
    stdout: object = None
    shared: dict = field(default_factory=dict)

    def __post_init__(self):
        self.plan = plan(self.scale)
        self._ct: dict[type, int] = {}

    def rng(self, name: str) -> random.Random:
        """A random stream of its own for each part, so one app's changes leave the others' data alone."""
        return random.Random(f"kechuang-gendata:{self.seed}:{name}")

    def add(self, model, **values) -> int:
        return self.writer.add(model, **values)

    def actor(self, user_id: int) -> tuple[int, str]:
        """(id, public name) of a generated user, as the audit trail names its actors (audit_record: `str(user)`)."""
        return (user_id, self.shared["actor_names"][user_id])

    def ct(self, model) -> int:
        if model not in self._ct:
            self._ct[model] = ContentType.objects.get_for_model(model).pk
        return self._ct[model]

    def at(self, day: datetime.date, minutes: int = 0) -> datetime.datetime:
        """A working-day time on `day` (UTC): 01:00 UTC is 09:00 in China, plus `minutes`."""
        return datetime.datetime.combine(day, datetime.time(1, 0), tzinfo=datetime.UTC) + datetime.timedelta(
            minutes=minutes
        )

    def day(self, days_ago: int) -> datetime.date:
        return self.as_of - datetime.timedelta(days=days_ago)

    @contextlib.contextmanager
    def services_at(self, at: datetime.datetime):
        """Run the apps' own services, on a clock stopped at `at` (so their timestamps, like every generated
        one, come from as_of and the run stays deterministic). Used where a service computes what the data
        would otherwise have to imitate (an evaluation's scores and grades)."""
        self.writer.sync()
        with mock.patch("django.utils.timezone.now", return_value=at):
            yield
        self.writer.next_ids.clear()

    def audit(
        self,
        *,
        action: str,
        model,
        obj_id: int,
        obj_repr: str,
        at: datetime.datetime,
        actor: tuple[int | None, str] = (None, "system"),
        before: dict | None = None,
        after: dict | None = None,
        reason: str = "",
    ) -> None:
        """One audit event, shaped as core.audit.audit_record would write it."""
        from .models import AuditEvent

        self.writer.add(
            AuditEvent,
            at=at,
            actor_id=actor[0],
            actor_repr=actor[1],
            action=action,
            content_type_id=self.ct(model),
            object_id=str(obj_id),
            object_repr=obj_repr[:300],
            before=before,
            after=after,
            reason=reason,
        )

    def transition(self, machine: str, model, obj_id, obj_repr, at, actor, before, after, reason="", **extra):
        """The audit event of one state-machine transition (as core.services.transition_apply writes it)."""
        self.audit(
            action=f"{machine}",
            model=model,
            obj_id=obj_id,
            obj_repr=obj_repr,
            at=at,
            actor=actor,
            before={"status": before},
            after={"status": after, **extra},
            reason=reason,
        )


def money(x: float) -> decimal.Decimal:
    return decimal.Decimal(f"{x:.2f}")


def spread(total: int, n: int, rng: random.Random, lo: float = 0.5, hi: float = 1.5) -> list[int]:
    """`total` split into `n` positive-ish integer parts that vary between lo and hi times the mean."""
    if n <= 0:
        return []
    weights = [rng.uniform(lo, hi) for _ in range(n)]
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    for i in range(total - sum(parts)):
        parts[i % n] += 1
    return parts
