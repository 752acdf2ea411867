"""JSON API of the platform registry. Reads follow `permissions` (the public sees published platforms;
operators their own platforms' reports); registry writes are staff-only, report writes are for the
platform's operators, and every write goes through `services`."""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.accounts.models import Unit
from kechuang.core import uploads
from kechuang.core.permissions import HasRole
from kechuang.core.roles import Role

from . import importer, permissions, selectors, services
from .models import REPORT_NUMBERS, Achievement, Membership, Platform, Reorganisation, YearlyReport

STAFF = (Role.STAFF,)
INTERNAL = (Role.STAFF, Role.COMMISSIONER)


def _date(raw: str | None, name: str = "date") -> datetime.date:
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: ["日期格式应为 YYYY-MM-DD。"]})


class PlatformSerializer(serializers.ModelSerializer):
    host_name = serializers.CharField(source="host.name", read_only=True)

    class Meta:
        model = Platform
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "short_name",
            "kind",
            "level",
            "co_built",
            "host",
            "host_name",
            "province",
            "city",
            "disciplines",
            "industries",
            "mission",
            "established",
            "status",
            "published",
            "version",
        ]
        read_only_fields = ["status", "version"]
        extra_kwargs = {"level": {"required": False}, "code": {"validators": []}}


class PlatformList(generics.ListCreateAPIView):
    """Filters: kind, level, status, city, province, host, industry, discipline, q (Chinese full text)."""

    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = PlatformSerializer

    def get_queryset(self):
        keys = ("kind", "level", "status", "city", "province", "host", "industry", "discipline", "q")
        return selectors.platform_list(
            user=self.request.user, filters={k: self.request.query_params.get(k, "") for k in keys}
        )

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        d.pop("status", None)
        serializer.instance = services.platform_create(
            actor=self.request.user, status=self.request.data.get("status", "operating"), **d
        )


class PlatformDetail(generics.RetrieveUpdateAPIView):
    """PATCH with `version` (the one read): a stale version answers 409 and changes nothing."""

    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = PlatformSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        p = Platform.objects.select_related("host").filter(pk=self.kwargs["pk"]).first()
        if p is None or not permissions.can_view_platform(self.request.user, p):
            raise NotFound()
        return p

    def perform_update(self, serializer):
        version = self.request.data.get("version")
        if not isinstance(version, int):
            raise ValidationError({"version": ["请提供读取时的 version。"]})
        fields = {k: v for k, v in serializer.validated_data.items() if k not in ("code", "host")}
        serializer.instance = services.platform_update(
            actor=self.request.user, platform=serializer.instance, expected_version=version, **fields
        )


class TransitionIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=["trial", "operate", "reorganise", "merge", "retire"])
    on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PlatformTransition(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(request=TransitionIn, responses=PlatformSerializer)
    def post(self, request, pk):
        p = get_object_or_404(Platform, pk=pk)
        s = TransitionIn(data=request.data)
        s.is_valid(raise_exception=True)
        services.platform_transition(actor=request.user, platform=p, **s.validated_data)
        p.refresh_from_db()
        return Response(PlatformSerializer(p).data)


class HostChange(APIView):
    """The platform moves to another host unit from `on`: the old host link ends, a new one opens."""

    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(
        request=inline_serializer(
            "HostChangeIn",
            {
                "unit": serializers.IntegerField(),
                "on": serializers.DateField(),
                "reason": serializers.CharField(required=False),
            },
        ),
        responses=PlatformSerializer,
    )
    def post(self, request, pk):

        p = get_object_or_404(Platform, pk=pk)
        unit = Unit.objects.filter(
            pk=request.data.get("unit") if str(request.data.get("unit", "")).isdigit() else 0
        ).first()
        if unit is None:
            raise ValidationError({"unit": ["单位不存在。"]})
        on = _date(request.data.get("on"), "on") if request.data.get("on") else None
        if on is None:
            raise ValidationError({"on": ["请填写变更日期。"]})
        services.platform_host_change(
            actor=request.user, platform=p, unit=unit, on=on, reason=request.data.get("reason", "")
        )
        p.refresh_from_db()
        return Response(PlatformSerializer(p).data)


class MembershipSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "platform", "unit", "unit_name", "role", "joined", "left"]
        read_only_fields = ["platform", "left"]


class MemberList(generics.ListCreateAPIView):
    """Members in force on `as_of` (default today). POST adds a member (staff)."""

    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # for the schema; get_queryset scopes the real one

    def platform(self) -> Platform:
        p = Platform.objects.filter(pk=self.kwargs["pk"]).first()
        if p is None or not permissions.can_view_platform(self.request.user, p):
            raise NotFound()
        return p

    @extend_schema(parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.members_as_of(
            platform=self.platform(), date=_date(self.request.query_params.get("as_of"), "as_of")
        )

    def perform_create(self, serializer):
        serializer.instance = services.membership_add(
            actor=self.request.user, platform=self.platform(), **serializer.validated_data
        )


class MembershipEnd(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(
        request=inline_serializer(
            "MembershipEndIn",
            {"left": serializers.DateField(), "reason": serializers.CharField(required=False)},
        ),
        responses=MembershipSerializer,
    )
    def post(self, request, pk):
        m = get_object_or_404(Membership, pk=pk)
        left = _date(request.data.get("left"), "left") if request.data.get("left") else None
        if left is None:
            raise ValidationError({"left": ["请填写退出日期。"]})
        m = services.membership_end(
            actor=request.user, membership=m, left=left, reason=request.data.get("reason", "")
        )
        return Response(MembershipSerializer(m).data)


class AchievementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Achievement
        fields = ["id", "platform", "kind", "title", "year", "count", "period", "evidence", "source"]
        read_only_fields = ["platform", "count", "period", "source"]


class AchievementList(generics.ListCreateAPIView):
    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = AchievementSerializer
    queryset = Achievement.objects.none()  # for the schema; get_queryset scopes the real one

    def platform(self) -> Platform:
        p = Platform.objects.filter(pk=self.kwargs["pk"]).first()
        if p is None or not permissions.can_view_platform(self.request.user, p):
            raise NotFound()
        return p

    def get_queryset(self):
        return self.platform().achievements.order_by("-year", "kind", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.achievement_create(
            actor=self.request.user, platform=self.platform(), **serializer.validated_data
        )


class Counts(APIView):
    """Exact counts on a date: live platforms by kind|level|city|province, or all by status.

    The public and external roles count published platforms only; staff and commissioners count all.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE),
            OpenApiParameter("by", str, enum=["kind", "level", "status", "city", "province"]),
            OpenApiParameter("province", str),
        ],
        responses=inline_serializer(
            "CountsOut",
            {
                "date": serializers.DateField(),
                "by": serializers.CharField(),
                "counts": serializers.DictField(child=serializers.IntegerField()),
            },
        ),
    )
    def get(self, request):
        day = _date(request.query_params.get("date"))
        by = request.query_params.get("by", "kind")
        if by not in selectors.BY_FIELDS:
            raise ValidationError({"by": ["by 只能是 kind、level、status、city 或 province。"]})
        counts = selectors.platform_counts_as_of(
            date=day,
            by=by,
            province=request.query_params.get("province", ""),
            published_only=not permissions.can_view_internal(request.user),
        )
        return Response({"date": day, "by": by, "counts": counts})


class ReportSerializer(serializers.ModelSerializer):
    platform_name = serializers.CharField(source="platform.name", read_only=True)

    class Meta:
        model = YearlyReport
        fields = [
            "id",
            "platform",
            "platform_name",
            "year",
            *REPORT_NUMBERS,
            "summary",
            "status",
            "return_reason",
            "version",
        ]
        read_only_fields = ["status", "return_reason", "version"]
        validators = []


class ReportList(generics.ListCreateAPIView):
    """Staff/commissioners see every report, operators their platforms'; operators file new ones."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.COMMISSIONER, Role.OPERATOR)
    write_roles = (Role.OPERATOR,)
    serializer_class = ReportSerializer

    def get_queryset(self):
        q = self.request.query_params
        return selectors.reports_for(
            user=self.request.user, filters={k: q.get(k, "") for k in ("year", "status", "platform")}
        )

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        serializer.instance = services.report_create(
            actor=self.request.user, platform=d.pop("platform"), year=d.pop("year"), **d
        )


class ReportDetail(generics.RetrieveUpdateAPIView):
    """PATCH (the platform's operator, draft or returned reports) with `version`."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.COMMISSIONER, Role.OPERATOR)
    write_roles = (Role.OPERATOR,)
    serializer_class = ReportSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        r = YearlyReport.objects.select_related("platform").filter(pk=self.kwargs["pk"]).first()
        if r is None or not permissions.can_view_report(self.request.user, r):
            raise NotFound()
        return r

    def perform_update(self, serializer):
        version = self.request.data.get("version")
        if not isinstance(version, int):
            raise ValidationError({"version": ["请提供读取时的 version。"]})
        fields = {k: v for k, v in serializer.validated_data.items() if k in (*REPORT_NUMBERS, "summary")}
        serializer.instance = services.report_update(
            actor=self.request.user, report=serializer.instance, expected_version=version, **fields
        )


class ReportTransition(APIView):
    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.OPERATOR)

    @extend_schema(
        request=inline_serializer(
            "ReportTransitionIn",
            {
                "action": serializers.ChoiceField(choices=["submit", "return", "accept", "reopen"]),
                "reason": serializers.CharField(required=False),
            },
        ),
        responses=ReportSerializer,
    )
    def post(self, request, pk):
        r = YearlyReport.objects.select_related("platform").filter(pk=pk).first()
        if r is None or not permissions.can_view_report(request.user, r):
            raise NotFound()
        r = services.report_transition(
            actor=request.user,
            report=r,
            action=request.data.get("action", ""),
            reason=request.data.get("reason", ""),
        )
        r.refresh_from_db()
        return Response(ReportSerializer(r).data)


class ReorganisationSerializer(serializers.ModelSerializer):
    sources = serializers.PrimaryKeyRelatedField(many=True, queryset=Platform.objects.all())
    targets = serializers.PrimaryKeyRelatedField(many=True, queryset=Platform.objects.all(), required=False)

    class Meta:
        model = Reorganisation
        fields = ["id", "kind", "date", "sources", "targets", "note", "batch"]


class ReorganisationList(generics.ListCreateAPIView):
    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = ReorganisationSerializer

    def get_queryset(self):
        qs = Reorganisation.objects.prefetch_related("sources", "targets").order_by("-date", "pk")
        if not permissions.can_view_internal(self.request.user):
            qs = qs.filter(sources__published=True).distinct()
        return qs

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.reorganisation_create(
            actor=self.request.user,
            kind=d["kind"],
            date=d["date"],
            sources=d["sources"],
            targets=d.get("targets", []),
            note=d.get("note", ""),
            batch=d.get("batch", ""),
        )


class Lineage(APIView):
    """The lineage graph: of one platform (`platform`), of a batch (`batch`), or of everything."""

    @extend_schema(
        parameters=[OpenApiParameter("platform", int), OpenApiParameter("batch", str)],
        responses={
            200: inline_serializer(
                "LineageOut", {"nodes": serializers.ListField(), "edges": serializers.ListField()}
            ),
            404: OpenApiResponse(description="No such platform (or not visible to the user)."),
        },
    )
    def get(self, request):
        platform = None
        raw = request.query_params.get("platform", "")
        if raw and not raw.isdigit():
            raise serializers.ValidationError({"platform": [_("平台编号应为整数。")]})
        if raw:
            platform = Platform.objects.filter(pk=int(raw)).first()
            if platform is None or not permissions.can_view_platform(request.user, platform):
                raise NotFound()
        g = selectors.lineage(platform=platform, batch=request.query_params.get("batch", ""))
        internal = permissions.can_view_internal(request.user)
        nodes = [
            {"id": p.pk, "name": p.name, "status": p.status}
            for p in g["nodes"].values()
            if internal or p.published
        ]
        ids = {n["id"] for n in nodes}
        edges = [e for e in g["edges"] if e["source"] in ids and (e["target"] is None or e["target"] in ids)]
        return Response({"nodes": nodes, "edges": edges})


class Import(APIView):
    """Upload a .xlsx/.csv; `dry_run` (default true) only checks. Nothing is written unless every row is clean."""

    throttle_scope = "expensive"
    permission_classes = [HasRole]
    roles = STAFF
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ImportIn",
                {"file": serializers.FileField(), "dry_run": serializers.BooleanField(required=False)},
            )
        },
        responses=inline_serializer(
            "ImportOut",
            {
                "total": serializers.IntegerField(),
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
                "dry_run": serializers.BooleanField(),
                "committed": serializers.BooleanField(),
                "errors": serializers.ListField(),
            },
        ),
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["请上传文件。"]})
        dry_run = str(request.data.get("dry_run", "true")).lower() not in ("false", "0", "no")
        data = uploads.read_upload(
            upload, allowed=uploads.TABLES, limit=uploads.max_bytes("KECHUANG_MAX_IMPORT_BYTES")
        )
        report = importer.platform_import(
            actor=request.user, data=data, filename=upload.name, dry_run=dry_run
        )
        return Response(report.as_dict(), status=200 if report.ok else 400)


class Overlap(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(responses=inline_serializer("OverlapOut", {"candidates": serializers.ListField()}))
    def get(self, request):
        out = [
            {
                "a": c.a.id,
                "a_name": c.a.name,
                "b": c.b.id,
                "b_name": c.b.name,
                "score": c.score,
                "reasons": c.reasons,
                "discipline_overlap": c.discipline_overlap,
                "industry_overlap": c.industry_overlap,
                "mission_similarity": c.mission_similarity,
            }
            for c in selectors.merge_candidates()
        ]
        return Response({"candidates": out})


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
