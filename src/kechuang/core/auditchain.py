"""The audit trail's hash chain: each event's hash covers its own fields and the hash of the event before it.

    hash(n) = HMAC-SHA256( key, canonical JSON of ["kechuang-audit/2", seq, at, actor, ..., hash(n-1)] )

The key is `KECHUANG_AUDIT_KEY` (or, when that is empty, a key derived from `SECRET_KEY`): it is not in the
database, so someone who can write the database but has not got the key cannot compute a hash that verifies,
and recomputing the chain after a change no longer hides it. Chains of the first, unkeyed scheme
("kechuang-audit/1", plain SHA-256) are re-sealed under the key by migration core/0006; a key change is
`kechuang audit reseal --previous-key-env VAR` (`chain_reseal`), which re-seals only a chain that verifies
under the old key.

`seq` numbers the events 1, 2, 3, ... in the order they were appended; `AuditChainHead` holds the last
`seq` and hash. Appending takes a lock first (PostgreSQL: a transaction-level advisory lock; SQLite: every
write transaction already holds the database's one write lock, Kechuang opens them IMMEDIATE), so two
writers cannot both append after the same event; `seq` is unique as a second guard. The lock is held until
the surrounding transaction ends, and a rolled-back transaction takes its events and the head with it.

`chain_verify()` reads the events in `seq` order, streamed in chunks, and names the first broken link: an
event changed (its hash no longer matches its fields), deleted (a gap in `seq`, a link to a hash that is
not the one before, or the head pointing past the last event) or inserted behind the app (no chain fields,
or fields that do not match). What it cannot see: someone who can write the database and recomputes every
hash after the change, head included, with the key. Against that, keep the head hash that `audit verify` prints (and the
daily check logs) somewhere else, and compare (docs/security.md).

Content types are hashed by their natural key ("app_label.model"), so a backup restored into another
database (where content-type ids differ) keeps a valid chain.
"""

import contextlib
import datetime
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

VERSION = "kechuang-audit/2"  # HMAC-SHA256 under the audit key
UNKEYED_VERSION = "kechuang-audit/1"  # the first scheme: plain SHA-256 (re-sealed by migration core/0006)
UNKEYED = b""  # the `key` that asks event_hash for the first, unkeyed scheme
GENESIS = ""  # the "previous hash" of the first event
ADVISORY_LOCK_KEY = 0x6B656368_61756469  # "kechaudi"
CHUNK = 2000
# The fields hashed, in order. A new field of AuditEvent is outside the hash until a new VERSION adds it.
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_repr",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "ip_address",
    "request_id",
    "prev_hash",
)


def _canonical_json(value):
    """A JSON value as the database gives it back: through JSON text once, whole floats as integers
    (PostgreSQL's jsonb returns 1e20 as 100000000000000000000), keys sorted when serialised."""
    if value is None:
        return None
    value = json.loads(json.dumps(value, cls=DjangoJSONEncoder))

    def norm(v):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    return norm(value)


def _canonical_at(at) -> str | None:
    if at is None:
        return None
    if isinstance(at, str):
        at = datetime.datetime.fromisoformat(at)
    if at.tzinfo is not None:
        at = at.astimezone(datetime.UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canonical_ip(ip) -> str | None:
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(str(ip)))
    except ValueError:
        return str(ip)


def audit_key() -> bytes:
    """The chain's key: KECHUANG_AUDIT_KEY, or one derived from SECRET_KEY (never SECRET_KEY itself)."""
    from django.conf import settings
    from django.utils.crypto import salted_hmac

    configured = getattr(settings, "KECHUANG_AUDIT_KEY", "")
    if configured:
        return configured.encode("utf-8")
    if not settings.SECRET_KEY:
        raise RuntimeError("the audit chain needs KECHUANG_AUDIT_KEY or SECRET_KEY")
    return salted_hmac("kechuang.core.auditchain", "audit-chain-key", algorithm="sha256").digest()


def event_hash(values: dict, ct_labels: dict[int, str], key: bytes | None = None) -> str:
    """The hash of one event from its field values (a dict over FIELDS; content_type_id as stored):
    HMAC-SHA256 under `key` (the settings' audit key when None); `key=UNKEYED` gives the first scheme."""
    if key is None:
        key = audit_key()
    ct = values.get("content_type_id")
    payload = [
        VERSION if key else UNKEYED_VERSION,
        values["seq"],
        _canonical_at(values["at"]),
        values.get("actor_id"),
        values.get("actor_repr") or "",
        values.get("action") or "",
        ct_labels.get(ct, f"#{ct}") if ct is not None else None,
        values.get("object_id") or "",
        values.get("object_repr") or "",
        _canonical_json(values.get("before")),
        _canonical_json(values.get("after")),
        values.get("reason") or "",
        _canonical_ip(values.get("ip_address")),
        values.get("request_id") or "",
        values.get("prev_hash") or "",
    ]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    if not key:
        return hashlib.sha256(text).hexdigest()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def content_type_labels(using: str = "default") -> dict[int, str]:
    from django.contrib.contenttypes.models import ContentType

    return {
        pk: f"{a}.{m}"
        for pk, a, m in ContentType.objects.using(using).values_list("pk", "app_label", "model")
    }


class ChainState:
    """The chain's end while appending: read from the head under the lock, advanced per event, written back."""

    def __init__(self, using: str = "default"):
        from .models import AuditChainHead

        self.using = using
        lock(using)
        head = AuditChainHead.objects.using(using).filter(pk=1).first()
        self.seq = head.seq if head else 0
        self.hash = head.hash if head else GENESIS
        self.key = audit_key()
        self._ct_labels: dict[int, str] | None = None

    def ct_labels(self, ct_id) -> dict[int, str]:
        """The label of `ct_id`, from Django's content-type cache (no query once a type is known)."""
        from django.contrib.contenttypes.models import ContentType

        if self._ct_labels is None:
            self._ct_labels = {}
        if ct_id is not None and ct_id not in self._ct_labels:
            ct = ContentType.objects.db_manager(self.using).get_for_id(ct_id)
            self._ct_labels[ct_id] = f"{ct.app_label}.{ct.model}"
        return self._ct_labels

    def link(self, values: dict) -> dict:
        """Give one event (a dict of its values) its seq, prev_hash and hash; returns those three."""
        values["seq"] = self.seq + 1
        values["prev_hash"] = self.hash
        values["hash"] = event_hash(values, self.ct_labels(values.get("content_type_id")), self.key)
        self.seq, self.hash = values["seq"], values["hash"]
        return {"seq": values["seq"], "prev_hash": values["prev_hash"], "hash": values["hash"]}

    def save(self) -> None:
        from .models import AuditChainHead

        updated = AuditChainHead.objects.using(self.using).filter(pk=1).update(seq=self.seq, hash=self.hash)
        if not updated:
            AuditChainHead.objects.using(self.using).create(pk=1, seq=self.seq, hash=self.hash)


def lock(using: str = "default") -> None:
    """Serialise appends until the current transaction ends (PostgreSQL; SQLite writes are serial anyway)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def chain_append(events: Iterable, *, using: str = "default") -> None:
    """Link unsaved AuditEvent instances to the chain, in order (the caller saves them in the same
    transaction, which must be open: the lock and the head update end with it)."""
    if not connections[using].in_atomic_block:
        raise RuntimeError("chain_append must run inside a transaction")
    state = ChainState(using)
    for event in events:
        values = {name: getattr(event, name) for name in FIELDS if name not in ("seq", "prev_hash")}
        for name, value in state.link(values).items():
            setattr(event, name, value)
    state.save()


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str = ""
    event_id: int | None = None


def _stream(using: str, head_seq: int) -> Iterator[dict]:
    from .models import AuditEvent

    names = ("id", *FIELDS, "hash")
    qs = (
        AuditEvent.objects.using(using)
        .filter(seq__isnull=False, seq__lte=head_seq)
        .order_by("seq")
        .values_list(*names)
    )
    for row in qs.iterator(chunk_size=CHUNK):
        yield dict(zip(names, row, strict=True))


def _broken(checked, seq, hash_, problem, event_id) -> VerifyResult:
    return VerifyResult(False, checked, seq, hash_, problem, event_id)


def chain_verify(*, using: str = "default", progress=None, key: bytes | None = None) -> VerifyResult:
    """Check the whole chain (under `key`, the settings' audit key when None); stops at the first broken
    link and names it.

    Reads the head first and the events up to it, so events appended while it runs (they come after the
    head it read) are not half-seen. It takes no lock and writes nothing: the site keeps working."""
    from django.db.models import Q, Subquery

    from .models import AuditChainHead, AuditEvent

    events = AuditEvent.objects.using(using)
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    # The app never writes an event without its chain fields.
    outside = (
        events.filter(Q(seq__isnull=True) | Q(hash="")).order_by("id").values_list("id", flat=True).first()
    )
    if outside is not None:
        return _broken(
            0, 0, "", _("审计事件 #%(id)s 不在链中：它是在应用之外写入的。") % {"id": outside}, outside
        )
    ct_labels = content_type_labels(using)
    if key is None:
        key = audit_key()
    expected_seq, prev_hash, prev_id, checked = 1, GENESIS, None, 0
    for row in _stream(using, head_seq):
        if row["seq"] != expected_seq:
            return _broken(
                checked,
                expected_seq - 1,
                prev_hash,
                _("审计事件 #%(id)s 之前缺少链序号 %(a)s–%(b)s 的事件：它们被删除了。")
                % {"id": row["id"], "a": expected_seq, "b": row["seq"] - 1},
                row["id"],
            )
        if row["prev_hash"] != prev_hash:
            return _broken(
                checked,
                expected_seq - 1,
                prev_hash,
                _("审计事件 #%(id)s 与前一条（%(prev)s）的链接断开：前一条被改动、替换或删除了。")
                % {"id": row["id"], "prev": f"#{prev_id}" if prev_id else "-"},
                row["id"],
            )
        if not hmac.compare_digest(event_hash(row, ct_labels, key), row["hash"]):
            return _broken(
                checked,
                expected_seq - 1,
                prev_hash,
                _("审计事件 #%(id)s（链序号 %(seq)s）的内容与其校验值不符：它被改动了。")
                % {"id": row["id"], "seq": row["seq"]},
                row["id"],
            )
        expected_seq, prev_hash, prev_id = row["seq"] + 1, row["hash"], row["id"]
        checked += 1
        if progress and checked % 100_000 == 0:
            progress(checked)
    last_seq = expected_seq - 1
    if last_seq != head_seq:
        return _broken(
            checked,
            last_seq,
            prev_hash,
            _("链末端记录到链序号 %(head)s，最后一条却是 %(last)s：最新的事件被删除了。")
            % {"head": head_seq, "last": last_seq},
            prev_id,
        )
    if prev_hash != head_hash:
        return _broken(
            checked,
            last_seq,
            prev_hash,
            _("链末端的校验值与最后一条事件（%(id)s）不符：链被改写了。")
            % {"id": f"#{prev_id}" if prev_id else "-"},
            prev_id,
        )
    # One statement (one snapshot): events numbered past the head as it is now were not appended by the app.
    beyond = (
        events.filter(seq__gt=Subquery(AuditChainHead.objects.using(using).filter(pk=1).values("seq")[:1]))
        .order_by("seq")
        .values_list("id", flat=True)
        .first()
    )
    if beyond is None and head is None:
        beyond = events.filter(seq__isnull=False).order_by("seq").values_list("id", flat=True).first()
    if beyond is not None:
        return _broken(
            checked,
            last_seq,
            prev_hash,
            _("审计事件 #%(id)s 的链序号在链末端之后：它是在应用之外写入的。") % {"id": beyond},
            beyond,
        )
    return VerifyResult(True, checked, last_seq, prev_hash)


SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
)


@contextlib.contextmanager
def update_trigger_off(using: str = "default"):
    """The append-only UPDATE trigger (migration core/0002) out of the way, for re-sealing only: disabled
    on PostgreSQL (as the table owner), dropped and created again on SQLite, inside the caller's transaction."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update")
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_TRIGGER)


@dataclass
class ResealResult:
    resealed: int
    old_head: str
    new_head: str
    problem: str = ""  # empty when the whole chain verified under the old key and was re-sealed


def chain_reseal(
    *,
    old_key: bytes,
    new_key: bytes | None = None,
    using: str = "default",
    whole_only: bool = True,
    event_model=None,
    head_model=None,
    ct_model=None,
) -> ResealResult:
    """Re-seal the chain under `new_key` (the settings' key when None): each event is checked under
    `old_key` (UNKEYED for the first scheme) exactly as `chain_verify` would, and only then given its new
    hash. At the first event that does not verify it stops: with `whole_only` (the command) nothing is
    written and the problem is returned; without (migration core/0006) the events before it are re-sealed
    and the rest keep their old hashes, so `audit verify` still names the same break. Runs in one
    transaction under the chain's lock. The models can be a migration's historical ones."""
    from django.db import transaction

    if event_model is None:
        from .models import AuditChainHead as head_model
        from .models import AuditEvent as event_model
    if ct_model is None:
        from django.contrib.contenttypes.models import ContentType as ct_model
    if new_key is None:
        new_key = audit_key()
    labels = {
        pk: f"{a}.{m}" for pk, a, m in ct_model.objects.using(using).values_list("pk", "app_label", "model")
    }
    names = ("id", *FIELDS, "hash")
    with transaction.atomic(using=using):
        lock(using)
        head = head_model.objects.using(using).filter(pk=1).first()
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
        rows = (
            event_model.objects.using(using)
            .filter(seq__isnull=False, seq__lte=head_seq)
            .order_by("seq")
            .values_list(*names)
        )
        expected, old_prev, new_prev, updates, problem = 1, GENESIS, GENESIS, [], ""
        for values in rows.iterator(chunk_size=CHUNK):
            row = dict(zip(names, values, strict=True))
            if (
                row["seq"] != expected
                or row["prev_hash"] != old_prev
                or not hmac.compare_digest(event_hash(row, labels, old_key), row["hash"])
            ):
                problem = _("审计事件 #%(id)s（链序号 %(seq)s）在旧的校验方式下不成立。") % {
                    "id": row["id"],
                    "seq": row["seq"],
                }
                break
            old_prev = row["hash"]
            row["prev_hash"] = new_prev
            new_prev = event_hash(row, labels, new_key)
            updates.append((row["prev_hash"], new_prev, row["id"]))
            expected += 1
        if not problem and (expected - 1 != head_seq or old_prev != head_hash):
            problem = _("链末端与最后一条事件不符。")
        if problem and whole_only:
            return ResealResult(0, head_hash, head_hash, problem)
        table = connections[using].ops.quote_name(event_model._meta.db_table)
        # Raw SQL: the model refuses updates (append-only), and so does the trigger, set aside meanwhile.
        with update_trigger_off(using), connections[using].cursor() as cursor:
            for start in range(0, len(updates), CHUNK):
                cursor.executemany(
                    f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",
                    updates[start : start + CHUNK],
                )
        new_head = head_hash
        if not problem and head is not None:
            head_model.objects.using(using).filter(pk=1).update(hash=new_prev)
            new_head = new_prev
        return ResealResult(len(updates), head_hash, new_head, problem)


def chain_check_and_alert() -> VerifyResult:
    """The daily check (`kechuang beat`): verify the chain, log its head, and tell staff when it is broken."""
    import logging

    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.urls import reverse

    from .messages import Message
    from .notifications import notify
    from .roles import Role

    log = logging.getLogger("kechuang.audit")
    result = chain_verify()
    if result.ok:
        log.info(
            "audit chain ok: %s events, head seq %s hash %s",
            result.checked,
            result.head_seq,
            result.head_hash,
        )
        return result
    log.error("audit chain broken: %s", result.problem)
    staff = (
        get_user_model()
        .objects.filter(Q(groups__name=Role.STAFF) | Q(is_superuser=True), is_active=True)
        .distinct()
    )
    notify(
        recipients=staff,
        title=Message(gettext_noop("审计记录的校验链断开：审计记录可能被篡改")),
        body=Message(
            gettext_noop("%(problem)s 请用 kechuang audit verify 复核，并与备份比对。"),
            problem=result.problem,
        ),
        url=reverse("core:audit-log"),
        kind="core.audit_chain",
    )
    return result
