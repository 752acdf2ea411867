"""Reads of units and users."""

from django.db.models import Count, Max, Q, QuerySet

from kechuang.core import bigram, divisions
from kechuang.core.language import local_name, name_order

from . import permissions
from .models import ApiToken, RegistrationClaim, Unit, UnitChangeRequest, User


def units_named(q: str) -> QuerySet[Unit]:
    """Units whose name, short name or English name holds `q` (letter case ignored), found through the units'
    bigram index (core.bigram): what every picker and list search that finds a unit by its name asks, so a
    unit is found by any name a page shows it by (docs/adr/0018). Use as `unit__in=units_named(q).values("pk")`."""
    return Unit.objects.filter(
        bigram.matches("search_bigrams", q, "name", "short_name", "name_en")
    ).order_by()


def unit_order(path: str = "", *, english: bool | None = None) -> list:
    """`order_by` terms sorting by a unit's name as the reader reads it (`Unit.local_name`): the Chinese name on
    a Chinese page, the English name where recorded (else the Chinese) on an English one; `path` leads to the
    unit ("unit__", "" for units themselves)."""
    return name_order(f"{path}name", f"{path}name_en", english=english)


def unit_list(*, kind: str = "", city: str = "", q: str = "", status: str = "") -> QuerySet[Unit]:
    """Active units, filtered, with their user counts, by the name the reader reads."""
    qs = Unit.objects.filter(is_active=True).select_related("parent").annotate(user_count=Count("users"))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if city:
        qs = qs.filter(city=city)
    if q:
        qs = qs.filter(Q(pk__in=units_named(q).values("pk")) | Q(credit_code__iexact=q))
    return qs.order_by(*unit_order())


def user_list(*, role: str = "", unit: Unit | None = None) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True).select_related("unit").prefetch_related("groups")
    if role:
        qs = qs.filter(groups__name=role)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("username")


def users_with_role(role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=role).select_related("unit").distinct()


def unit_pending_count() -> int:
    return Unit.objects.filter(status=Unit.Status.PENDING).count()


def change_request_pending_count() -> int:
    return UnitChangeRequest.objects.filter(status=UnitChangeRequest.Status.PENDING).count()


def change_request_list(*, status: str = "") -> QuerySet[UnitChangeRequest]:
    qs = UnitChangeRequest.objects.select_related("unit", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def change_requests_visible_to(user) -> QuerySet[UnitChangeRequest]:
    """Staff see every change request; a unit user those of their own unit."""
    qs = UnitChangeRequest.objects.select_related("unit", "requested_by", "decided_by")
    if permissions.is_staff_member(user):
        return qs
    if permissions.is_applicant(user) and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def change_requests_of(unit: Unit) -> list[UnitChangeRequest]:
    return list(
        unit.change_requests.select_related("requested_by", "decided_by").order_by("-created_at")[:20]
    )


def change_request_rows(cr: UnitChangeRequest) -> list[tuple[str, str, str, str]]:
    """(field label, value when requested, requested value, current value) in the reader's words."""
    unit = cr.unit
    ids = {v for k, v in {**cr.before, **cr.changes}.items() if k in ("parent", "endorser") and v}
    if unit.parent_id:
        ids.add(unit.parent_id)
    if unit.endorser_id:
        ids.add(unit.endorser_id)
    names = {
        pk: local_name(name, name_en)
        for pk, name, name_en in Unit.objects.filter(pk__in=ids).values_list("pk", "name", "name_en")
    }
    kinds = dict(Unit.Kind.choices)

    def show(field, value):
        if value in (None, ""):
            return "—"
        if field in ("parent", "endorser"):
            return names.get(value, "—")
        if field == "kind":
            return str(kinds.get(value, value))
        if field == "province":
            return divisions.label(value)  # stored as its GB/T 2260 code, read by name
        if field == "city":
            return divisions.city_shown(value)  # a division's Chinese name (太原市): Taiyuan on English pages
        return str(value)

    rows = []
    for field, new in cr.changes.items():
        current = getattr(unit, f"{field}_id") if field in ("parent", "endorser") else getattr(unit, field)
        rows.append(
            (
                str(Unit._meta.get_field(field).verbose_name),
                show(field, cr.before.get(field)),
                show(field, new),
                show(field, current),
            )
        )
    return rows


def tokens_of(user, limit: int = 50) -> list[ApiToken]:
    """The user's API tokens, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")[:limit])


def user_search(*, q: str = "", role: str = "", active: str = "1") -> QuerySet[User]:
    """People for staff: by name, login name or e-mail, role, and active ("1"), deactivated ("0") or all."""
    qs = User.objects.select_related("unit").prefetch_related("groups")
    if active in ("0", "1"):
        qs = qs.filter(is_active=active == "1")
    if role:
        qs = qs.filter(groups__name=role)
    if q:
        qs = qs.filter(
            Q(full_name__icontains=q)
            | Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(unit__in=units_named(q).values("pk"))
        )
    return qs.distinct().order_by("username")


def unit_awaiting_registration(name: str) -> Unit | None:
    """The unit named `name` that a person added where they chose a unit (an expert's past unit:
    services.unit_propose) and that nobody has registered: waiting for staff, no account at it. The unit's own
    registration takes it over (services.unit_register), so a name added first never keeps the unit itself
    from registering (docs/security.md §22)."""
    name = " ".join((name or "").split())
    if not name:
        return None
    return Unit.objects.filter(name=name, status=Unit.Status.PENDING, users__isnull=True).first()


def verified_units_named(q: str, limit: int = 20) -> QuerySet[Unit]:
    """Verified, active units whose name, short name or English name holds `q` (the registration's parent
    search), by the name the reader reads."""
    return (
        Unit.objects.filter(is_active=True, status=Unit.Status.VERIFIED)
        .filter(pk__in=units_named(q).values("pk"))
        .only("pk", "name", "name_en", "kind", "city")
        .order_by(*unit_order())[:limit]
    )


def duplicate_email_accounts() -> list[tuple[str, list[User]]]:
    """Every e-mail address held by more than one account (any letter case: `User.email_key`), with the
    accounts, oldest first. Such accounts sign in by neither the address nor, for a person, anything they know
    (docs/adr/0017): staff resolve each by giving one account another address (or deactivating it); nothing
    is merged here."""

    keys = (
        User.objects.exclude(email_key="")
        .values("email_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("email_key", flat=True)
    )
    groups: dict[str, list[User]] = {}
    for user in (
        User.objects.filter(email_key__in=list(keys)).select_related("unit").order_by("email_key", "pk")
    ):
        groups.setdefault(user.email_key, []).append(user)
    return list(groups.items())


def pending_registrations() -> list[User]:
    """Registrations whose address is not confirmed yet (the account inactive, never signed in, holding an
    address), oldest first, with their units; each with `sent` (the link last mailed, or None: never mailed),
    `expires` and `lapsed` (its link's lifetime passed: the address is free for a new registration, §20), and
    `held` (when the link was last held back, the address having had its share of mail, §22, if not mailed
    since; else None)."""
    from django.utils import timezone

    now = timezone.now()
    rows = list(
        User.objects.filter(email_unconfirmed=True, last_login__isnull=True, is_active=False)
        .exclude(email="")
        .select_related("unit")
        .order_by("date_joined", "pk")
    )
    held = _last_held(rows)  # the last time the link was not mailed: the address had its share of mail (§22)
    for user in rows:
        user.sent = user.email_confirm_sent_at
        user.expires = confirmation_expires(user)
        user.lapsed = user.expires <= now
        last = held.get(str(user.pk))
        user.held = last if last and (user.sent is None or last > user.sent) else None
    return rows


def _last_held(objs) -> dict:
    """object id → when the link was last held back by the per-address mail limit (§22), in one query."""
    from django.contrib.contenttypes.models import ContentType

    from kechuang.core.models import AuditEvent

    if not objs:
        return {}
    events = AuditEvent.objects.filter(
        action="user.registration_mail_held",
        content_type=ContentType.objects.get_for_model(objs[0]),  # a claim's id may be an account's too
        object_id__in=[str(o.pk) for o in objs],
    )
    return dict(events.values_list("object_id").annotate(last=Max("at")))


CLAIMS_SHOWN = 20


def registration_claims(registrations: list[User]) -> list[RegistrationClaim]:
    """The registrations kept apart (docs/security.md §28) for staff's page: each set on the pending
    registration it contends with (`registration.claims`, oldest first); returned, those whose address no
    registration in `registrations` holds (withdrawn or lapsed meanwhile). Each claim has `sent` (when its
    link was last mailed, or None), `held` (when it was last held back by the mail limit, §22, if not mailed
    since: its first post's time when it was never mailed), `expires` and `lapsed`. At most CLAIMS_SHOWN of each
    (the oldest: the address's owner's own among them unless a stranger posted first); `claims_more` says how
    many more an address has — anyone may post them, so a flood must not make the page unusable. Each claim's
    `holder` is the pending registration in `registrations` whose unit holds one of its unit's names (as
    `services.registrations.names_held` reads them: kept apart for that, §35), or None: staff's page points
    at it."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    now = timezone.now()
    lifetime = datetime.timedelta(seconds=settings.KECHUANG_INVITATION_TIMEOUT)
    claims = list(RegistrationClaim.objects.defer("password").order_by("created_at", "pk"))
    held = _last_held(claims)
    for claim in claims:
        claim.unit_name = claim.unit_fields.get("name", "")
        claim.sent = claim.sent_at
        last = held.get(str(claim.pk)) or (claim.created_at if claim.sent_at is None else None)
        claim.held = last if last and (claim.sent is None or last > claim.sent) else None
        claim.expires = claim.created_at + lifetime
        claim.lapsed = claim.expires <= now
    holders = _name_holders(registrations)
    for claim in claims:
        claim.holder = _holder_of(claim.unit_fields, holders, claim.email_key)
    beside: dict[str, list[RegistrationClaim]] = {}
    for registration in registrations:
        registration.claims = beside.setdefault(registration.email_key, [])
    alone: list[RegistrationClaim] = []
    for claim in claims:
        beside.get(claim.email_key, alone).append(claim)
    for registration in registrations:  # anyone may post them: the page shows so many per address (§30)
        registration.claims_more = max(0, len(registration.claims) - CLAIMS_SHOWN)
        registration.claims = registration.claims[:CLAIMS_SHOWN]
    return alone[:CLAIMS_SHOWN]


def _name_holders(registrations: list[User]) -> dict[tuple[str, str], User]:
    """The names the pending units of `registrations` hold, as `names_held` compares them, each to the first
    registration (oldest) holding it: ("name", name), ("code", credit code), ("short", a name or short name in
    lower case), ("en", an English name in lower case, its spaces as one)."""
    out: dict[tuple[str, str], User] = {}
    for registration in registrations:
        unit = registration.unit
        if unit is None or unit.status != Unit.Status.PENDING:
            continue
        keys = [("name", unit.name), ("code", unit.credit_code), ("short", unit.name.lower())]
        keys += [("short", unit.short_name.lower()), ("en", " ".join(unit.name_en.split()).lower())]
        for key in keys:
            if key[1]:
                out.setdefault(key, registration)
    return out


def _holder_of(fields: dict, holders: dict, email_key: str) -> User | None:
    """The registration holding one of a kept-apart registration's unit's names (`_name_holders`), not its own
    address's; None when none does."""
    name, code = str(fields.get("name") or "").strip(), str(fields.get("credit_code") or "").strip().upper()
    short, en = str(fields.get("short_name") or "").strip().lower(), str(fields.get("name_en") or "")
    for key in (("name", name), ("code", code), ("short", short), ("en", " ".join(en.split()).lower())):
        holder = holders.get(key) if key[1] else None
        if holder is not None and holder.email_key != email_key:
            return holder
    return None


def confirmation_expires(user: User):
    """When an unconfirmed registration lapses: KECHUANG_INVITATION_HOURS after its link was last mailed (the
    registration's time for rows from before docs/security.md §20)."""
    import datetime

    from django.conf import settings

    sent = user.email_confirm_sent_at or user.date_joined
    return sent + datetime.timedelta(seconds=settings.KECHUANG_INVITATION_TIMEOUT)
