"""The routes of the platforms API."""

from django.urls import path

from .registry import (
    AchievementList,
    Counts,
    HostChange,
    Import,
    MemberList,
    MembershipEnd,
    PlatformDetail,
    PlatformList,
    PlatformTransition,
)
from .reorganisation import Lineage, Overlap, ReorganisationList
from .reports import ReportDetail, ReportList, ReportTransition

urlpatterns = [
    path("", PlatformList.as_view(), name="platforms-list"),
    path("<int:pk>/", PlatformDetail.as_view(), name="platforms-detail"),
    path("<int:pk>/transition/", PlatformTransition.as_view(), name="platforms-transition"),
    path("<int:pk>/host/", HostChange.as_view(), name="platforms-host"),
    path("<int:pk>/members/", MemberList.as_view(), name="platforms-members"),
    path("memberships/<int:pk>/end/", MembershipEnd.as_view(), name="platforms-membership-end"),
    path("<int:pk>/achievements/", AchievementList.as_view(), name="platforms-achievements"),
    path("counts/", Counts.as_view(), name="platforms-counts"),
    path("reports/", ReportList.as_view(), name="platforms-reports"),
    path("reports/<int:pk>/", ReportDetail.as_view(), name="platforms-report"),
    path("reports/<int:pk>/transition/", ReportTransition.as_view(), name="platforms-report-transition"),
    path("reorganisations/", ReorganisationList.as_view(), name="platforms-reorganisations"),
    path("lineage/", Lineage.as_view(), name="platforms-lineage"),
    path("import/", Import.as_view(), name="platforms-import"),
    path("overlap/", Overlap.as_view(), name="platforms-overlap"),
]
