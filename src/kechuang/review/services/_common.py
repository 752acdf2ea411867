"""What every review service shares: the staff check and the list parser."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from kechuang.core.roles import Role, require_role

ONLY_STAFF = "只有科技厅工作人员可以执行此操作。"


def _require_staff(actor) -> None:
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))


def _list_of_str(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        # a spreadsheet cell: text, or a number or date that Excel typed (one value)
        value = re.split(r"[,，;；、\s]+", str(value))
    return [str(v).strip() for v in value if str(v).strip()]
