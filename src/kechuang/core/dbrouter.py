"""Reads on PostgreSQL read replicas, writes and read-after-write on the primary (docs/deployment.md).

With `DATABASE_REPLICA_URLS` set (one URL or several, comma-separated) the settings add the aliases
`replica1`, `replica2`, … and this router sends a request's reads to one of them when all of these hold:

- the request reads only (GET, HEAD, OPTIONS) — `ReplicaReadMiddleware` marks it;
- the person has not written in the last `KECHUANG_REPLICA_PIN_SECONDS` (a write sets a short cookie, so the
  page that follows a save reads what was saved, even while the replica lags);
- the request has not written yet, and no transaction is open on the primary (a read inside a service's
  transaction belongs with its writes);
- the queryset is not marked for write (`select_for_update`, `get_or_create` go to the primary anyway).

Everything else — writes, jobs, commands, migrations, the shell, every request that changes something —
stays on the primary (`default`). Without replicas the router answers None and Django uses `default`.
Migrations run on the primary only: replicas get the schema by replication.
"""

from __future__ import annotations

import contextvars
import itertools

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PIN_COOKIE = "kc_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Whether this request may read from a replica, and whether it has written (then it no longer may).
_may_read_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("kc_may_read_replica", default=False)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("kc_wrote", default=False)
_turn = itertools.count()


def replica_aliases() -> list[str]:
    """The configured replica aliases (settings.DATABASES keys), in order; [] without replicas."""
    return list(getattr(settings, "KECHUANG_READ_REPLICAS", ()))


def _on_primary_transaction() -> bool:
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    """Django database router: see the module's docstring."""

    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or not _may_read_replica.get() or _wrote.get() or _on_primary_transaction():
            return None
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return None  # a related object of one read from (or written to) the primary
        return replicas[next(_turn) % len(replicas)]

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        allowed = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in allowed and obj2._state.db in allowed:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db in replica_aliases():
            return False
        return None


class ReplicaReadMiddleware:
    """Lets a reading request read from a replica unless its person wrote a moment ago; pins the person to
    the primary for `KECHUANG_REPLICA_PIN_SECONDS` after any request that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        may = request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        read_token = _may_read_replica.set(may)
        wrote_token = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() or request.method not in SAFE_METHODS:
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=int(getattr(settings, "KECHUANG_REPLICA_PIN_SECONDS", 10)),
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        finally:
            _may_read_replica.reset(read_token)
            _wrote.reset(wrote_token)
