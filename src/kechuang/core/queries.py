"""Query helpers shared by the apps' selectors."""

from __future__ import annotations

from django.db import connections
from django.db.models import Model, QuerySet


def one(qs: QuerySet) -> Model:
    """The single row of a queryset filtered on a unique key (a primary key), as `.get()` gives it (DoesNotExist,
    MultipleObjectsReturned) but without the `LIMIT 21` that `.get()` adds. With a LIMIT, PostgreSQL's planner
    also weighs fast-start plans for every join order: a detail page's wide `select_related` (a dozen tables
    for a project) took 9–12 ms to plan a query that runs in 0.4 ms, 1.9 ms without it (issue #19,
    benchmarks/RESULTS.md §14d). Prefetches run as with `.get()`."""
    rows = list(qs.order_by())  # as .get(): no ordering (the model's own may join other tables)
    if not rows:
        raise qs.model.DoesNotExist(f"{qs.model._meta.object_name} matching query does not exist.")
    if len(rows) > 1:
        raise qs.model.MultipleObjectsReturned(f"get() returned more than one {qs.model._meta.object_name}")
    return rows[0]


class Compiled:
    """A fixed-shape query of one model's own rows whose SQL Django builds once per process and database, then
    runs again with another value in one place: `build(marker)` returns the queryset with `marker` where the
    value goes (in a filter), and `rows(value)` runs its SQL with `value` there, as the model's rows with
    the queryset's annotations as attributes (a raw query: no select_related, no prefetches).

    For the query every signed-in request makes (the person with their roles and unread count, issue #19):
    building its SQL took ~7,800 Python calls of the ORM's compiler each time, running the built SQL
    ~900 (benchmarks/RESULTS.md §14h). The queryset's shape must not depend on anything but `marker`."""

    _MARKER = -7_301_249_117  # an integer no key takes

    def __init__(self, build):
        self._build = build
        self._model = None
        self._compiled: dict[str, tuple] = {}

    def _sql(self, alias: str | None) -> tuple:
        from django.db import router

        if alias is None:
            if self._model is None:
                self._model = self._build(self._MARKER).model
            alias = router.db_for_read(self._model)
        if alias not in self._compiled:
            qs = self._build(self._MARKER)
            sql, params = qs.query.get_compiler(using=alias).as_sql()
            at = [i for i, p in enumerate(params) if p == self._MARKER]
            if len(at) != 1:
                raise ValueError("Compiled: the marker must be in the query's parameters exactly once")
            self._compiled[alias] = (qs.model, alias, sql, tuple(params), at[0])
        return self._compiled[alias]

    def rows(self, value, *, using: str | None = None) -> list[Model]:
        model, alias, sql, params, at = self._sql(using)
        params = list(params)
        params[at] = value
        return list(model._default_manager.db_manager(alias).raw(sql, params))


class CompiledRows:
    """The rows of a fixed-shape query with its `select_related` objects and annotations, from SQL and a
    column map that Django's compiler builds once per process and database: `build(marker)` returns the
    queryset with `marker` where the value goes (in a filter); `rows(value)` runs it with `value` there,
    in the queryset's order; `prefetch()` gives the prefetch lookups to run on the rows each time (they
    build their own small queries).

    A detail page's wide `select_related` took 6,000–9,500 Python calls of the compiler per request to build
    the same SQL again (issue #19, benchmarks/RESULTS.md §14h). The queryset's shape must depend on nothing
    but `marker`: no per-user filter (check the rows with the app's object predicate, or keep one
    CompiledRows per shape)."""

    _ordered = True

    def __init__(self, build, prefetch=None):
        self._build = build
        self._prefetch = prefetch
        self._model = None
        self._compiled: dict[str, tuple] = {}

    def _entry(self, alias: str | None) -> tuple:
        from django.db import router

        if alias is None:
            if self._model is None:
                self._model = self._build(Compiled._MARKER).model
            alias = router.db_for_read(self._model)
        if alias not in self._compiled:
            qs = self._build(Compiled._MARKER)
            if not self._ordered:
                qs = qs.order_by()
            compiler = qs.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            # the marker as it comes, or as the text a text column's filter makes of it (an object_id)
            at = [i for i, p in enumerate(params) if p == Compiled._MARKER or p == str(Compiled._MARKER)]
            if len(at) != 1:
                raise ValueError("CompiledRows: the marker must be in the query's parameters exactly once")
            select = compiler.select
            start, end = compiler.klass_info["select_fields"][0], compiler.klass_info["select_fields"][-1] + 1
            init_list = [f[0].target.attname for f in select[start:end]]
            converters = compiler.get_converters([s[0] for s in select])
            self._compiled[alias] = (
                alias,
                compiler,
                sql,
                tuple(params),
                at[0],
                converters,
                init_list,
                start,
                end,
            )
        return self._compiled[alias]

    def rows(self, value, *, using: str | None = None) -> list[Model]:
        from django.db.models import prefetch_related_objects
        from django.db.models.query import get_related_populators

        alias, compiler, sql, params, at, converters, init_list, start, end = self._entry(using)
        params = list(params)
        params[at] = value
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        model = compiler.klass_info["model"]
        populators = get_related_populators(compiler.klass_info, compiler.select, alias) if rows else []
        annotations = compiler.annotation_col_map.items()
        out = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr, at_col in annotations:
                setattr(obj, attr, row[at_col])
            out.append(obj)
        if out and self._prefetch is not None:
            prefetch_related_objects(out, *self._prefetch())
        return out


class CompiledOne(CompiledRows):
    """CompiledRows of a query on a unique key: the one row, as `one()` gives it (DoesNotExist,
    MultipleObjectsReturned, no ordering, no LIMIT)."""

    _ordered = False

    def get(self, value, *, using: str | None = None) -> Model:
        rows = self.rows(value, using=using)
        model = self._model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        if len(rows) > 1:
            raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}")
        return rows[0]


def set_prefetched(parents, name: str, rows, *, key: str) -> None:
    """Give each of `parents` the `rows` whose `key` attribute is its pk as its prefetched reverse relation
    `name`, as `prefetch_related(name)` leaves it (`parent.name.all()` reads them without a query, each
    row's link to its parent is set) — for rows a CompiledRows read (#19). Rows keep their order."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    for parent in parents:
        manager = getattr(parent, name)
        field = manager.field
        qs = manager.get_queryset()
        mine = groups.get(parent.pk, [])
        for row in mine:
            field.set_cached_value(row, parent)
        qs._result_cache = mine
        qs._prefetch_done = True
        if not hasattr(parent, "_prefetched_objects_cache"):
            parent._prefetched_objects_cache = {}
        parent._prefetched_objects_cache[field.remote_field.cache_name] = qs
