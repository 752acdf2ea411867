"""Targets: an indicator's value to reach in a region by a year."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError
from kechuang.core.services import optimistic_save

from .. import permissions
from ..models import Target
from ._common import TARGET_FIELDS, _clean, _number, _require
from .catalogue import _indicator_get, _region_get


@transaction.atomic
def target_set(
    *,
    actor,
    indicator_code: str,
    region,
    year: int,
    value,
    comparator: str = ">=",
    note: str = "",
    reason: str = "",
) -> Target:
    """Set the target for an indicator in a region and year (creating it, or changing it, audited)."""
    _require(permissions.can_edit_target(actor))
    if comparator not in Target.Comparator.values:
        raise ApplicationError(_("比较符号只能是 >= 或 <=。"), fields={"comparator": [comparator]})
    indicator, reg, number = _indicator_get(indicator_code), _region_get(region), _number(value)
    target = (
        Target.objects.select_for_update().filter(indicator=indicator, region=reg, year=int(year)).first()
    )
    if target is None:
        target = Target(
            indicator=indicator, region=reg, year=int(year), comparator=comparator, value=number, note=note
        )
        _clean(target)
        target.save()
        audit_record(
            actor=actor,
            action="target.create",
            obj=target,
            after=snapshot(target, TARGET_FIELDS + ["year"]),
            reason=reason,
        )
        return target
    return target_update(
        actor=actor, target=target, value=number, comparator=comparator, note=note, reason=reason
    )


@transaction.atomic
def target_update(
    *, actor, target: Target, expected_version: int | None = None, reason: str = "", **fields
) -> Target:
    """Change a target's value, comparator or note; a concurrent edit is refused, not lost."""
    _require(permissions.can_edit_target(actor, target))
    before = snapshot(target, TARGET_FIELDS)
    if "value" in fields:
        fields["value"] = _number(fields["value"])
    changed = [k for k, v in fields.items() if k in TARGET_FIELDS and getattr(target, k) != v]
    for k in changed:
        setattr(target, k, fields[k])
    _clean(target)
    if not changed:
        return target
    optimistic_save(
        obj=target,
        expected_version=target.version if expected_version is None else expected_version,
        update_fields=changed,
    )
    after = snapshot(target, TARGET_FIELDS)
    audit_record(
        actor=actor,
        action="target.update",
        obj=target,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        reason=reason,
    )
    return target
