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
