"""What every review service shares: the staff-only message and the list parser."""

from __future__ import annotations

import re

ONLY_STAFF = "只有科技厅工作人员可以执行此操作。"


def _list_of_str(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        # a spreadsheet cell: text, or a number or date that Excel typed (one value)
        value = re.split(r"[,，;；、\s]+", str(value))
    return [str(v).strip() for v in value if str(v).strip()]
