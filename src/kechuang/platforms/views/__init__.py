"""The platform pages, by concern: registry.py (platforms, members, achievements, operators, statistics, import), reports.py (yearly reports), reorganisation.py (reorganisations, lineage, overlap). urls.py names them as views.<name>."""

from ._common import STAFF, _date_param
from .registry import (
    achievement_add,
    achievement_evidence,
    import_view,
    membership_add,
    membership_end,
    operator_assign,
    platform_create,
    platform_detail,
    platform_edit,
    platform_host_change,
    platform_list,
    platform_transition,
    statistics,
)
from .reorganisation import (
    lineage,
    overlap,
    overlap_decide,
    reorganisation_create,
    reorganisation_detail,
    reorganisation_list,
)
from .reports import _REPORTS, report_create, report_detail, report_edit, report_list, report_transition

__all__ = [
    "STAFF",
    "_date_param",
    "achievement_add",
    "achievement_evidence",
    "import_view",
    "membership_add",
    "membership_end",
    "operator_assign",
    "platform_create",
    "platform_detail",
    "platform_edit",
    "platform_host_change",
    "platform_list",
    "platform_transition",
    "statistics",
    "_REPORTS",
    "report_create",
    "report_detail",
    "report_edit",
    "report_list",
    "report_transition",
    "lineage",
    "overlap",
    "overlap_decide",
    "reorganisation_create",
    "reorganisation_detail",
    "reorganisation_list",
]
