"""`kechuang gendata`: a national- or province-size dataset, deterministic from a seed (see core.gendata and
each app's gendata.py, run in the order of loaders.GENDATA_ORDER). It lives in web, like the demo loader,
because it strings every app together; the machinery the apps share is in core."""

import datetime
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core import counters
from kechuang.core.backup import backed_up_models
from kechuang.core.exceptions import ApplicationError
from kechuang.core.gendata import GENDATA_PASSWORD, Context, Writer, foreign_keys_checked_at_end

from .loaders import gendata_generators

# Rows that a freshly migrated database may already hold (the role groups come from sync_roles).
ALLOWED_BEFORE = {"auth_group"}


def busy_tables() -> list[str]:
    """The tables that hold data (a generated dataset goes only into an empty database)."""
    return [
        m._meta.db_table
        for m in backed_up_models()
        if m._meta.db_table not in ALLOWED_BEFORE and m._base_manager.exists()
    ]


def dataset_generate(
    *,
    scale: str,
    seed: int = 1,
    as_of: datetime.date | None = None,
    password: str = GENDATA_PASSWORD,
    flush: bool = False,
    on_part: Callable[[str, float], None] | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> dict:
    """Generate the dataset of `scale` into this database; returns {"tables": {table: rows}, "known": ...}.

    Refuses a database that holds data unless `flush` (which empties it first). Every generated user gets
    the same password hash, computed once with a salt derived from the seed (hashing 50,000 passwords
    would take longer than the rest; a fixed salt keeps the database identical for one seed).
    """
    if flush:
        call_command("flush", interactive=False, verbosity=0)
    busy = busy_tables()
    if busy:
        raise ApplicationError(
            _("数据库中已有数据（例如 %(tables)s）：请在空数据库上生成，或加 --flush 先清空。")
            % {"tables": ", ".join(busy[:3])},
            code="not_empty",
        )
    as_of = as_of or timezone.localdate()
    password_hash = make_password(password, salt=f"kcgendata{seed}")
    writer = Writer(on_write=on_rows)
    ctx = Context(scale=scale, seed=seed, as_of=as_of, writer=writer, password_hash=password_hash)
    writer.clock = ctx.at(as_of)
    # E-mail stays in memory: the evaluation, run through its services, notifies the operators on publishing.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
        foreign_keys_checked_at_end(),
    ):
        for app, generate in gendata_generators():
            started = time.monotonic()
            generate(ctx)
            writer.flush_all()
            if on_part:
                on_part(app, time.monotonic() - started)
        tables = writer.finish()
        # The rows went in by bulk insert, past the signals that keep the counts: count them once.
        counters.rebuild()
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner at once (autovacuum would take its time after a bulk load).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    known = {name: uid for name, uid in ctx.shared["known"].items()}
    return {"tables": tables, "known": known, "plan": ctx.plan, "as_of": as_of.isoformat()}
