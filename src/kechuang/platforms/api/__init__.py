"""The platforms API (/api/platforms/), by concern: registry.py, reports.py, reorganisation.py; urls.py routes them (included as kechuang.platforms.api)."""

from ._common import INTERNAL, STAFF, _date
from .registry import (
    AchievementList,
    AchievementSerializer,
    Counts,
    HostChange,
    Import,
    MemberList,
    MembershipEnd,
    MembershipSerializer,
    PlatformDetail,
    PlatformList,
    PlatformSerializer,
    PlatformTransition,
    TransitionIn,
)
from .reorganisation import Lineage, Overlap, ReorganisationList, ReorganisationSerializer
from .reports import ReportDetail, ReportList, ReportSerializer, ReportTransition
from .urls import urlpatterns

__all__ = [
    "INTERNAL",
    "STAFF",
    "_date",
    "AchievementList",
    "AchievementSerializer",
    "Counts",
    "HostChange",
    "Import",
    "MemberList",
    "MembershipEnd",
    "MembershipSerializer",
    "PlatformDetail",
    "PlatformList",
    "PlatformSerializer",
    "PlatformTransition",
    "TransitionIn",
    "ReportDetail",
    "ReportList",
    "ReportSerializer",
    "ReportTransition",
    "Lineage",
    "Overlap",
    "ReorganisationList",
    "ReorganisationSerializer",
    "urlpatterns",
]
