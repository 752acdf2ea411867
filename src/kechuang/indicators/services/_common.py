"""What the indicator services share: the field lists, the staff check, numbers, validation."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kechuang.core.exceptions import ApplicationError, PermissionDenied

INDICATOR_FIELDS = [
    "code",
    "name_zh",
    "name_en",
    "unit",
    "unit_en",
    "direction",
    "source",
    "source_en",
    "notes",
    "aliases",
    "published",
]
TARGET_FIELDS = ["comparator", "value", "note"]
NOT_STAFF = "只有科技厅工作人员可以修改指标数据。"


def _require(ok: bool, message: str = NOT_STAFF) -> None:
    if not ok:
        raise PermissionDenied(message)


def _decimal(value) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("数值无效：%(value)s") % {"value": value}, fields={"value": [str(value)]})
    if not d.is_finite():
        raise ApplicationError(_("数值无效：%(value)s") % {"value": value}, fields={"value": [str(value)]})
    return d


def _number(value) -> float:
    """A figure as stored: the double nearest to the number written (ADR 0015), which is the figure itself
    for anything of up to 15 significant digits, so a published series round-trips exactly."""
    if isinstance(value, float):
        number = value
    else:
        number = float(_decimal(value))
    if not math.isfinite(number):  # finite as a decimal but beyond a double (e.g. 1e400)
        raise ApplicationError(_("数值无效：%(value)s") % {"value": value}, fields={"value": [str(value)]})
    return number


def _clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="validation_error", fields=exc.message_dict)
