"""What the platform services share: the staff-only message, list parsing, the search text."""

import re

from django.utils.translation import gettext as _

from kechuang.core.exceptions import ApplicationError

from .. import search
from ..models import NATIONAL_KINDS, Level, Platform

NOT_STAFF = "只有科技厅工作人员可以修改平台登记信息。"


def refuse_unless_live(platform: Platform) -> None:
    """A merged, reorganised or retired platform keeps its record as it ended: no new host unit, operator or
    member unit (its history, achievements and members' exits are still recorded)."""
    if not platform.coverage_active():
        raise ApplicationError(
            _("该平台状态为“%(status)s”，依托单位、运营人员和成员单位不再变更。")
            % {"status": platform.get_status_display()},
            code="invalid_state",
        )


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,，;；、\n]", value) if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def default_level(kind: str) -> str:
    """National kinds are national; everything else is provincial."""
    return Level.NATIONAL if kind in NATIONAL_KINDS else Level.PROVINCIAL


def _refresh_search(platform: Platform) -> None:
    platform.search_text = search.search_text(
        platform.name,
        platform.short_name,
        platform.name_en,
        platform.mission,
        platform.disciplines,
        platform.industries,
        platform.city,
        platform.host.name if platform.host_id else "",
        platform.host.short_name if platform.host_id else "",
    )
