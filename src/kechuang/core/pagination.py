"""Keyset pagination for long, newest-first lists (the audit trail has a million rows at national size).

`Paginator` counts every row on every page view and reads `OFFSET n` rows before the page it shows, so a
deep page of a big table costs a scan of everything before it. A keyset page instead starts at the row
the link names: `?after=<id>` shows the rows after that row in the list's order, `?before=<id>` the rows
before it; each page is one indexed range read of size + 1 rows (the extra one tells whether there is a
next page), plus one primary-key read for the cursor row. There is no page count and no "jump to page n".

`NarrowPaginator` (numbered pages) is for ranked searches: it sorts and cuts the page on the keys, then loads
the page's rows.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: int | None
    previous_cursor: int | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _cursor(raw) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isdecimal() and len(raw) < 19 else None


def keyset_page(qs: QuerySet, *, field: str, size: int, after=None, before=None) -> KeysetPage:
    """One page of `qs` ordered by `field` then primary key, both descending (newest first).

    `after`/`before` are primary keys of rows of the list (strings from the query string are accepted;
    anything that is not a row's key gives the first page, never an error).
    """
    after, before = _cursor(after), _cursor(before)
    pivot_id = after or before
    pivot = (
        qs.model._default_manager.filter(pk=pivot_id).values_list(field, flat=True).first()
        if pivot_id
        else None
    )
    if pivot is None:
        after = before = None
    if before:
        # Rows newer than the pivot, nearest first, then put back in the list's order. `field >= pivot`
        # is the index condition; the tie-break on the key only filters rows with the pivot's value.
        rows = list(
            qs.filter(
                Q(**{f"{field}__gte": pivot}) & (Q(**{f"{field}__gt": pivot}) | Q(pk__gt=before))
            ).order_by(field, "pk")[: size + 1]
        )
        if not rows:  # nothing newer: the first page
            return keyset_page(qs, field=field, size=size)
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        has_next = True
    else:
        if after:
            qs = qs.filter(Q(**{f"{field}__lte": pivot}) & (Q(**{f"{field}__lt": pivot}) | Q(pk__lt=after)))
        rows = list(qs.order_by(f"-{field}", "-pk")[: size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        has_previous = after is not None
    return KeysetPage(
        object_list=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=rows[-1].pk if rows else None,
        previous_cursor=rows[0].pk if rows else None,
    )


class NarrowPaginator(Paginator):
    """A numbered `Paginator` that sorts, counts and cuts the page on the primary keys alone, then loads the
    page's rows by key (issue #19).

    A ranked search sorts every matching row before it can cut a page; with the list's joins and wide rows in
    that query the database builds the whole joined row for every match (2,223 platforms joined to their
    host units for a page of 50 at national size). Here the count and the page's keys come from `qs` with only
    its primary key selected (its filters, annotations and order as given, no joins for display), and the
    page's rows from `rows` (default: the model's manager with `qs`'s `select_related` and
    `prefetch_related`) by key, in the list's order: the same rows in the same order as `Paginator(qs)`, one
    query more (the page's rows by key). `qs`'s annotations are not on the loaded rows; a page that shows an
    annotation passes `rows` that adds it. (A window `COUNT(*) OVER ()` in the keys' query instead of the
    COUNT measured no faster on PostgreSQL: the window buffers every match.)

    When the search matches at most `keys_at_once` rows, the count and the page come from one query: every
    matching key, in order (a few kB), counted and cut here, so the search's text test runs once per page
    view instead of twice (once for the COUNT, once for the page's keys). Above that it counts and cuts in
    the database as `Paginator` does.
    """

    keys_at_once = 10_000  # the national dataset has 5,000 platforms

    def __init__(self, qs: QuerySet, per_page: int, *, rows: QuerySet | None = None, **kwargs):
        if rows is None:
            rows = qs.model._default_manager.all()
            if qs.query.select_related:
                rows.query.select_related = qs.query.select_related
            rows = rows.prefetch_related(*qs._prefetch_related_lookups)
        self.rows = rows
        super().__init__(qs.values_list("pk", flat=True), per_page, **kwargs)

    @cached_property
    def _keys(self) -> list | None:
        """Every matching key in the list's order, or None when there are more than `keys_at_once`."""
        keys = list(self.object_list[: self.keys_at_once + 1])
        return keys if len(keys) <= self.keys_at_once else None

    @cached_property
    def count(self) -> int:
        return len(self._keys) if self._keys is not None else super().count

    def page(self, number):
        if self._keys is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._keys[bottom:top], number, self)

    def _get_page(self, keys, number, paginator):
        keys = list(keys)
        by_key = self.rows.in_bulk(keys) if keys else {}
        return super()._get_page([by_key[k] for k in keys if k in by_key], number, paginator)
