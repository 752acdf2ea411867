"""Query helpers shared by the apps' selectors."""

from __future__ import annotations

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
