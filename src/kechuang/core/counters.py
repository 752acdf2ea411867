"""Counts kept by the writes that change them (issue #19): dashboards and lists read a `Counter` row instead of
counting a large table on every request.

Each app declares its counts in `counted.py` (collected at start-up by core's AppConfig):

- `Counted(name, model, where, scope="")`: the rows of one model whose own fields match `where`
  ({"status": ("failed",)}, None for NULL). Every save and delete of that model moves the counter by ±1 with
  an `F()` increment, in the write's own transaction (the services write in one), so two writers never lose
  each other's step. With `scope` (a field's attname, e.g. "challenge_id") there is one row per value.
- `Recounted(name, query, watch)`: a count that joins tables (a submitted application of a closed challenge):
  recounted in full, in the same transaction, when a watched field of a watched model changes (or a row is
  added or deleted). Writes are rare next to the reads of the pages that show these.
- `Versioned(name, models)`: a number stepped by every write of the models, under which `cached` keeps a
  page fragment that is the same for everyone in a role (the platforms' dashboard cards).

Saves and deletes go through model signals, so services, factories and the admin all keep the counts;
`QuerySet.update()` and `bulk_create()` bypass them: code doing that on a counted model calls
`recount(name)` (or `touched(model)`) itself. A count nobody has written yet is counted on its first read.
`kechuang counters rebuild` recounts everything (after a restore or a bulk load such as gendata) and reports
the counts that had drifted; `kechuang counters check` only reports them.
"""

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, F, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Greatest
from django.db.models.signals import post_delete, post_init, post_save

from .models import Counter


@dataclass(frozen=True)
class Counted:
    name: str
    model: str  # "app_label.ModelName"
    where: dict[str, tuple] = field(default_factory=dict)
    scope: str = ""  # an attname; one counter row per value

    def queryset(self) -> QuerySet:
        q = Q()
        for attname, values in self.where.items():
            allowed = [v for v in values if v is not None]
            part = Q(**{f"{attname}__in": allowed}) if allowed else Q(pk__in=[])
            if None in values:
                part |= Q(**{f"{attname}__isnull": True})
            q &= part
        return apps.get_model(self.model)._base_manager.filter(q)

    def matches(self, values: dict) -> bool:
        return all(values.get(a) in allowed for a, allowed in self.where.items())

    def fields(self) -> set[str]:
        return set(self.where) | ({self.scope} if self.scope else set())

    def real(self) -> dict[str, int]:
        """scope -> the count in the tables now."""
        qs = self.queryset().order_by()
        if not self.scope:
            return {"": qs.count()}
        return {str(k): n for k, n in qs.values_list(self.scope).annotate(n=Count("pk")) if k is not None}


@dataclass(frozen=True)
class Recounted:
    name: str
    query: Callable[[], QuerySet]
    watch: dict[str, tuple[str, ...]]  # "app_label.ModelName" -> attnames whose change recounts

    def real(self) -> dict[str, int]:
        return {"": self.query().order_by().count()}


@dataclass(frozen=True)
class Versioned:
    """Not a count: a number stepped by every save and delete of `models`, the version of the page fragments
    computed from them (`cached`): a fragment cached under an older version is never read again."""

    name: str
    models: tuple[str, ...]

    def real(self) -> dict[str, int]:
        return {"": 0}


_COUNTS: dict[str, Counted | Recounted | Versioned] = {}
_WATCHED: dict[type, set[str]] = defaultdict(set)  # model -> attnames snapshotted at load
_UNKNOWN = object()


def register(*counts: Counted | Recounted) -> None:
    for c in counts:
        if c.name in _COUNTS and _COUNTS[c.name] != c:
            raise ValueError(f"counter {c.name!r} registered twice")
        _COUNTS[c.name] = c
        if isinstance(c, Counted):
            _watch(apps.get_model(c.model), c.fields())
        elif isinstance(c, Versioned):
            for label in c.models:
                _watch(apps.get_model(label), set())
        else:
            for label, attnames in c.watch.items():
                _watch(apps.get_model(label), set(attnames))


def registered() -> dict[str, Counted | Recounted]:
    return dict(_COUNTS)


def _watch(model: type, attnames: set[str]) -> None:
    first = model not in _WATCHED
    _WATCHED[model] |= attnames
    if first:
        uid = f"kc-counters-{model._meta.label}"
        post_init.connect(_snapshot, sender=model, dispatch_uid=uid + "-init", weak=False)
        post_save.connect(_saved, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "-delete", weak=False)


def _values(instance) -> dict:
    d = instance.__dict__
    return {a: d.get(a, _UNKNOWN) for a in _WATCHED[type(instance)]}


def _snapshot(sender, instance, **kwargs):
    instance.__dict__["_kc_counted"] = _values(instance)


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loaddata: `counters rebuild` afterwards
        return
    old = None if created else instance.__dict__.get("_kc_counted", {})
    new = _values(instance)
    label = sender._meta.label
    for c in _COUNTS.values():
        if isinstance(c, Counted) and c.model == label:
            if old is not None and any(old.get(a, _UNKNOWN) is _UNKNOWN for a in c.fields()):
                _recount(c)  # loaded with a deferred field: the old state is unknown
                continue
            _step(c, old, new)
        elif (isinstance(c, Recounted) and label in c.watch) and (
            old is None or any(old.get(a, _UNKNOWN) != new.get(a) for a in c.watch[label])
        ):
            _recount(c)
        elif isinstance(c, Versioned) and label in c.models:
            _next_version(c)
    instance.__dict__["_kc_counted"] = new


def _deleted(sender, instance, **kwargs):
    old = instance.__dict__.get("_kc_counted") or _values(instance)
    label = sender._meta.label
    for c in _COUNTS.values():
        if isinstance(c, Counted) and c.model == label:
            if any(old.get(a) is _UNKNOWN for a in c.fields()):
                transaction.on_commit(lambda c=c: _recount(c))
                continue
            _step(c, old, None)
        elif isinstance(c, Recounted) and label in c.watch:
            # The row is still there until the delete's statement runs: recount when it is gone.
            transaction.on_commit(lambda c=c: _recount(c))
        elif isinstance(c, Versioned) and label in c.models:
            _next_version(c)


def _scope_of(c: Counted, values: dict) -> str | None:
    if not c.scope:
        return ""
    v = values.get(c.scope)
    return None if v is None else str(v)


def _step(c: Counted, old: dict | None, new: dict | None) -> None:
    was = old is not None and c.matches(old)
    now = new is not None and c.matches(new)
    s_old = _scope_of(c, old) if was else None
    s_new = _scope_of(c, new) if now else None
    if was and now and s_old == s_new:
        return
    if was and s_old is not None:
        _bump(c, s_old, -1)
    if now and s_new is not None:
        _bump(c, s_new, +1)


def _bump(c: Counted, scope: str, delta: int) -> None:
    if Counter.objects.filter(name=c.name, scope=scope).update(value=F("value") + delta):
        return
    # The first write of this count: count the tables (this write included) and keep the row.
    real = c.queryset().filter(**({c.scope: scope} if c.scope else {})).order_by().count()
    try:
        with transaction.atomic():
            Counter.objects.create(name=c.name, scope=scope, value=real)
    except IntegrityError:  # another writer created it first: step it
        Counter.objects.filter(name=c.name, scope=scope).update(value=F("value") + delta)


def _next_version(c: Versioned) -> None:
    """Step the number past both its last value and the clock (microseconds): a number is then never
    handed out twice, not after a backup is restored (the row goes back, the cache does not) nor after a
    test database is rolled back, so a fragment cached under it before can never be read for new data."""
    step = Greatest(F("value") + 1, Value(time.time_ns() // 1000))
    if not Counter.objects.filter(name=c.name, scope="").update(value=step):
        Counter.objects.bulk_create([Counter(name=c.name, value=0)], ignore_conflicts=True)
        Counter.objects.filter(name=c.name, scope="").update(value=step)


def _recount(c: Counted | Recounted | Versioned) -> None:
    if isinstance(c, Versioned):
        _next_version(c)  # a rebuild forgets every fragment cached before it
        return
    _store(c.name, c.real(), replace=isinstance(c, Counted) and bool(c.scope))


def _store(name: str, values: dict[str, int], *, replace: bool) -> None:
    with transaction.atomic():
        if replace:
            Counter.objects.filter(name=name).exclude(scope__in=list(values)).delete()
        for scope, n in values.items():
            Counter.objects.update_or_create(name=name, scope=scope, defaults={"value": n})


def recount(*names: str) -> None:
    """Count these again from the tables (after a `QuerySet.update()` or `bulk_create()` on their model)."""
    for name in names:
        _recount(_COUNTS[name])


def touched(model: type) -> None:
    """Recount every count over `model` (after writes that bypassed its signals)."""
    label = model._meta.label
    for c in _COUNTS.values():
        if (isinstance(c, Counted) and c.model == label) or (isinstance(c, Recounted) and label in c.watch):
            _recount(c)


def read(*names: str, memo=None) -> dict[str, int]:
    """The unscoped counts. With `memo` (the request's user), every unscoped count is read in one query the
    first time and kept on it, so a dashboard's apps share one query. A count without a row (a database
    flushed by hand) is counted now and kept."""
    got = getattr(memo, "_kc_counters", None)
    if got is None:
        qs = Counter.objects.filter(scope="")
        got = dict((qs if memo is not None else qs.filter(name__in=names)).values_list("name", "value"))
        if memo is not None:
            memo._kc_counters = got
    for name in names:
        if name not in got:
            got[name] = _COUNTS[name].real().get("", 0)
            Counter.objects.bulk_create([Counter(name=name, value=got[name])], ignore_conflicts=True)
    return {n: int(got[n]) for n in names}


def scoped(name: str, outer_ref) -> Coalesce:
    """An annotation of a scoped count for each row of a list, from its counter row (0 without one):
    `qs.annotate(n=counters.scoped("challenges.applications", OuterRef("pk")))` — a subquery on the
    counter's unique key in the list's own query, whatever the number of counted rows."""
    kept = Counter.objects.filter(name=name, scope=Cast(outer_ref, CharField())).values("value")[:1]
    return Coalesce(Subquery(kept), Value(0))


def read_scoped(name: str, scopes: Iterable) -> dict[str, int]:
    """One scoped count for each of `scopes` (keys as str), one query; a scope without a row counts 0 (every
    count is established when the database is migrated, `establish`, and a scope's row is made by its first
    counted write)."""
    scopes = [str(s) for s in scopes]
    if not scopes:
        return {}
    got = dict(Counter.objects.filter(name=name, scope__in=scopes).values_list("scope", "value"))
    return {s: int(got.get(s, 0)) for s in scopes}


def cached(key: str, version: str, compute: Callable[[], object], *, memo=None, seconds: int = 600):
    """A page fragment that is the same for everyone in a role (`key` names the role and what else it
    depends on), cached under the current number of the `Versioned` count `version`: any save or delete of
    its models steps the number in the write's transaction, so the next request computes it again, in every
    process (the number is a database row, read with the other counts of the request: `memo`)."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    number = read(version, memo=memo)[version]
    full = f"kc:fragment:{key}:{number}:{get_language()}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, seconds)
    return value


def establish(**kwargs) -> None:
    """After `migrate`: count every registered count that has no row yet (a new count, or a database that
    had rows before the counts were kept). Counts already kept are left alone: one query."""
    present = set(Counter.objects.order_by().values_list("name", flat=True).distinct())
    for name, c in _COUNTS.items():
        if name not in present:
            _recount(c)


def drift() -> list[tuple[str, str, int, int]]:
    """(name, scope, kept, real) for every kept count that differs from the tables. A count without a row is
    not drifted: it is counted on its first read."""
    out = []
    for name, c in sorted(_COUNTS.items()):
        if isinstance(c, Versioned):
            continue
        real = c.real()
        for scope, kept in Counter.objects.filter(name=name).order_by("scope").values_list("scope", "value"):
            if kept != real.get(scope, 0):
                out.append((name, scope, kept, real.get(scope, 0)))
    return out


def note_synced(instance) -> None:
    """`instance` was brought in step with its row, which another instance saved (core.services'
    transition_apply saves a locked copy): its later saves step the counts from the row's state."""
    if type(instance) in _WATCHED:
        instance.__dict__["_kc_counted"] = _values(instance)


def note_updated(instance) -> None:
    """`instance` was written with `QuerySet.update()` (core.services.optimistic_save): step its counts as a
    save would have."""
    if type(instance) in _WATCHED:
        _saved(type(instance), instance, created=False)


def rebuild() -> list[tuple[str, str, int | None, int]]:
    """Count everything again from the tables; returns what had drifted."""
    drifted = drift()
    with transaction.atomic():
        for c in _COUNTS.values():
            _recount(c)
    return drifted
