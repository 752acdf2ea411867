"""The registry entry of a platform: create, edit, move through its lifecycle, change or add host units."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.models import Unit
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role, roles_of
from kechuang.core.services import optimistic_save, transition_apply

from ..models import Affiliation, Platform, Status, StatusPeriod
from ..workflow import PLATFORM_MACHINE
from ._common import NOT_STAFF, _as_list, _refresh_search, default_level, refuse_unless_live

EDITABLE = (
    "name",
    "name_en",
    "short_name",
    "kind",
    "level",
    "co_built",
    "province",
    "city",
    "disciplines",
    "industries",
    "mission",
    "established",
    "published",
)


@transaction.atomic
def platform_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    host: Unit,
    established: datetime.date,
    status: str = Status.OPERATING,
    level: str = "",
    cohosts: Sequence[Unit] = (),
    **fields,
) -> Platform:
    """A validated platform with its opening status period and host (and co-host) links from
    `established`, audited. A platform may be registered directly in any live status."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    if status not in (Status.BUILDING, Status.TRIAL, Status.OPERATING):
        raise ApplicationError(_("新登记的平台只能处于建设中、试运行或运行中。"), code="invalid")
    platform = Platform(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        level=level or default_level(kind),
        host=host,
        established=established,
        status=status,
        **{k: v for k, v in fields.items() if k in EDITABLE or k == "is_demo"},
    )
    platform.disciplines = _as_list(platform.disciplines)
    platform.industries = _as_list(platform.industries)
    if not platform.city:
        platform.city = host.city
    if not platform.province:
        platform.province = host.province
    _refresh_search(platform)
    platform.full_clean()
    platform.save()
    StatusPeriod.objects.create(platform=platform, status=status, start=established)
    Affiliation.objects.create(platform=platform, unit=host, role=Affiliation.Role.HOST, start=established)
    for unit in cohosts:
        Affiliation.objects.create(
            platform=platform, unit=unit, role=Affiliation.Role.COHOST, start=established
        )
    audit_record(
        actor=actor,
        action="platform.create",
        obj=platform,
        after={
            **snapshot(platform, ["code", "name", "kind", "level", "status", "established", "host_id"]),
            "cohosts": [u.pk for u in cohosts],
        },
    )
    return platform


@transaction.atomic
def platform_update(
    *, actor, platform: Platform, expected_version: int, reason: str = "", **fields
) -> Platform:
    """Change a platform's descriptive fields under optimistic locking (a stale version raises Conflict
    and saves nothing). Status and host change through their own services, with dates."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    platform = Platform.objects.select_related("host").get(pk=platform.pk)
    before = snapshot(platform, EDITABLE)
    for name, value in fields.items():
        if name not in EDITABLE:
            continue
        if name in ("disciplines", "industries"):
            value = _as_list(value)
        setattr(platform, name, value)
    _refresh_search(platform)
    platform.full_clean(exclude=["code"])
    b, a = diff(before, snapshot(platform, EDITABLE))
    optimistic_save(obj=platform, expected_version=expected_version, update_fields=[*EDITABLE, "search_text"])
    if a:
        audit_record(actor=actor, action="platform.update", obj=platform, before=b, after=a, reason=reason)
    return platform


@transaction.atomic
def platform_transition(
    *, actor, platform: Platform, action: str, on: datetime.date | None = None, reason: str = ""
) -> Platform:
    """Move a platform to a new status from date `on` (default today): the current status period ends on
    `on` and the new one starts there. `on` may not precede the current period's start."""
    on = on or timezone.localdate()
    current = StatusPeriod.objects.select_for_update().filter(platform=platform, end__isnull=True).first()
    if current is not None and on < current.start:
        raise ApplicationError(
            _("状态变更日期不能早于当前状态的开始日期（%(start)s）。") % {"start": current.start},
            code="invalid_date",
        )
    transition_apply(
        obj=platform,
        machine=PLATFORM_MACHINE,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        ctx={"on": on},
    )
    if current is not None:
        current.end = on
        current.save(update_fields=["end", "updated_at"])
    StatusPeriod.objects.create(platform=platform, status=platform.status, start=on, note=reason[:300])
    return platform


@transaction.atomic
def platform_host_change(
    *, actor, platform: Platform, unit: Unit, on: datetime.date, reason: str = ""
) -> Platform:
    """The platform moves to a new host unit from `on`: the old host link ends, a new one opens."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    refuse_unless_live(platform)
    old = Affiliation.objects.filter(platform=platform, role=Affiliation.Role.HOST, end__isnull=True).first()
    if old is not None:
        if old.unit_id == unit.pk:
            raise ApplicationError(_("该单位已是此平台的依托单位。"), code="invalid")
        if on < old.start:
            raise ApplicationError(_("变更日期不能早于现依托关系的开始日期。"), code="invalid_date")
        old.end = on
        old.save(update_fields=["end", "updated_at"])
    Affiliation.objects.create(platform=platform, unit=unit, role=Affiliation.Role.HOST, start=on)
    before = platform.host_id
    platform.host = unit
    _refresh_search(platform)
    platform.save(update_fields=["host", "search_text", "updated_at"])
    audit_record(
        actor=actor,
        action="platform.host_change",
        obj=platform,
        before={"host_id": before},
        after={"host_id": unit.pk, "on": on},
        reason=reason,
    )
    return platform


@transaction.atomic
def cohost_add(*, actor, platform: Platform, unit: Unit, start: datetime.date) -> Affiliation:
    """A co-host (共建单位) link from `start`."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    link = Affiliation(platform=platform, unit=unit, role=Affiliation.Role.COHOST, start=start)
    link.full_clean()
    link.save()
    audit_record(
        actor=actor, action="platform.cohost_add", obj=platform, after={"unit": unit.pk, "start": start}
    )
    return link
