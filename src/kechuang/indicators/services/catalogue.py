"""Regions and indicators: the catalogue values are recorded against."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.accounts.regions import english_name
from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError
from kechuang.core.services import optimistic_save

from .. import permissions
from ..models import Indicator, Region
from ._common import INDICATOR_FIELDS, _clean, _require


@transaction.atomic
def region_ensure(
    *,
    actor,
    code: str,
    name: str = "",
    name_en: str = "",
    level: str = Region.Level.PROVINCE,
    region_set: str = "",
    parent=None,
) -> Region:
    """The region with `code`, created (and audited) when it does not exist yet. Existing rows are kept.
    Without an English name, a division the project knows gets its official one (accounts.regions); any
    other keeps none and is shown by its name."""
    _require(permissions.can_edit_value(actor) or actor is None)
    code = (code or "").strip()
    if not code:
        raise ApplicationError(_("地区代码不能为空。"))
    region = Region.objects.filter(code=code).first()
    if region:
        return region
    name = (name or code).strip()
    name_en = (name_en or "").strip() or english_name(code, name)
    region = Region(code=code, name=name, name_en=name_en, level=level, region_set=region_set, parent=parent)
    _clean(region)
    region.save()
    audit_record(actor=actor, action="region.create", obj=region, after=snapshot(region))
    return region


def _region_get(region) -> Region:
    if isinstance(region, Region):
        return region
    text = str(region or "").strip()
    found = Region.objects.filter(code=text).first() or Region.objects.filter(name=text).first()
    if not found and len(text) >= 2:
        # A report says 甘肃 or 甘肃省; accept a short name when exactly one region starts with it.
        candidates = list(Region.objects.filter(name__startswith=text)[:2])
        found = candidates[0] if len(candidates) == 1 else None
    if not found:
        raise ApplicationError(_("未知的地区：%(region)s") % {"region": text}, code="unknown_region")
    return found


# --- indicators ----------------------------------------------------------------------------------


@transaction.atomic
def indicator_create(*, actor, code: str, name_zh: str, **fields) -> Indicator:
    """A new indicator definition; refuses a duplicate code with a readable message."""
    _require(permissions.can_edit_indicator(actor))
    code = (code or "").strip()
    if Indicator.objects.filter(code=code).exists():
        raise ApplicationError(
            _("指标代码 %(code)s 已存在。") % {"code": code}, code="duplicate", fields={"code": []}
        )
    indicator = Indicator(
        code=code, name_zh=name_zh, **{k: v for k, v in fields.items() if k in INDICATOR_FIELDS}
    )
    _clean(indicator)
    indicator.save()
    audit_record(
        actor=actor, action="indicator.create", obj=indicator, after=snapshot(indicator, INDICATOR_FIELDS)
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, actor, indicator: Indicator, expected_version: int | None = None, reason: str = "", **fields
) -> Indicator:
    """Change an indicator's definition; with `expected_version`, a concurrent edit is refused, not lost."""
    _require(permissions.can_edit_indicator(actor, indicator))
    before = snapshot(indicator, INDICATOR_FIELDS)
    changed = [k for k, v in fields.items() if k in INDICATOR_FIELDS and getattr(indicator, k) != v]
    for k in changed:
        setattr(indicator, k, fields[k])
    _clean(indicator)
    if not changed:
        return indicator
    version = indicator.version if expected_version is None else expected_version
    optimistic_save(obj=indicator, expected_version=version, update_fields=changed)
    after = snapshot(indicator, INDICATOR_FIELDS)
    b, a = (
        {k: before[k] for k in changed},
        {k: after[k] for k in changed},
    )
    audit_record(actor=actor, action="indicator.update", obj=indicator, before=b, after=a, reason=reason)
    return indicator


def _indicator_get(code: str) -> Indicator:
    found = Indicator.objects.filter(code=str(code).strip()).first()
    if not found:
        raise ApplicationError(_("未知的指标代码：%(code)s") % {"code": code}, code="unknown_indicator")
    return found
