"""The registry endpoints: platforms, their status and host, members, achievements, counts and the import."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.accounts.models import Unit
from kechuang.core import uploads
from kechuang.core.api import (
    REASON_MAX,
    BoundedTextSerializer,
    ConfirmField,
    ProvinceCodeField,
    ProvinceField,
    free_text,
    province_param,
)
from kechuang.core.confirming import require_api_confirm
from kechuang.core.permissions import HasRole, get_visible_or_404

from .. import importer, permissions, selectors, services
from ..models import Achievement, Membership, Platform
from ._common import STAFF, _date


class PlatformSerializer(BoundedTextSerializer):
    host_name = serializers.CharField(source="host.name", read_only=True)
    province = ProvinceField()
    province_code = ProvinceCodeField()

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
            "province_code",
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


def _province_held(value: str) -> bool:
    """A platform holds `value` as its province as stored before the list (a filter on it still works)."""
    return Platform.objects.filter(province=value).exists()


class PlatformList(generics.ListCreateAPIView):
    """Filters: kind, level, status, city, province, host, industry, discipline, q (Chinese full text)."""

    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = PlatformSerializer

    def get_queryset(self):
        keys = ("kind", "level", "status", "city", "province", "host", "industry", "discipline", "q")
        filters = {k: self.request.query_params.get(k, "") for k in keys}
        filters["province"] = province_param(filters["province"], held=_province_held)
        return selectors.platform_list(user=self.request.user, filters=filters)

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
        p = get_visible_or_404(
            Platform.objects.select_related("host"),
            user=self.request.user,
            visible=permissions.can_view_platform,
            pk=self.kwargs["pk"],
        )
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
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    action = serializers.ChoiceField(choices=["trial", "operate", "reorganise", "merge", "retire"])
    on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)


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
                "reason": serializers.CharField(required=False, max_length=REASON_MAX),
            },
        ),
        responses=PlatformSerializer,
    )
    def post(self, request, pk):

        p = get_object_or_404(Platform, pk=pk)
        unit = Unit.objects.filter(
            pk=request.data.get("unit") if str(request.data.get("unit", "")).isdecimal() else 0
        ).first()
        if unit is None:
            raise ValidationError({"unit": ["单位不存在。"]})
        on = _date(request.data.get("on"), "on") if request.data.get("on") else None
        if on is None:
            raise ValidationError({"on": ["请填写变更日期。"]})
        services.platform_host_change(
            actor=request.user, platform=p, unit=unit, on=on, reason=free_text(request.data, "reason")
        )
        p.refresh_from_db()
        return Response(PlatformSerializer(p).data)


class MembershipSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_name_en = serializers.CharField(
        source="unit.name_en",
        read_only=True,
        help_text="the unit's English name; empty where none is recorded",
    )

    class Meta:
        model = Membership
        fields = ["id", "platform", "unit", "unit_name", "unit_name_en", "role", "joined", "left"]
        read_only_fields = ["platform", "left"]


class MemberList(generics.ListCreateAPIView):
    """Members in force on `as_of` (default today). POST adds a member (staff)."""

    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # for the schema; get_queryset scopes the real one

    def platform(self) -> Platform:
        p = get_visible_or_404(
            Platform.objects,
            user=self.request.user,
            visible=permissions.can_view_platform,
            pk=self.kwargs["pk"],
        )
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
            {
                "left": serializers.DateField(),
                "reason": serializers.CharField(required=False, max_length=REASON_MAX),
            },
        ),
        responses=MembershipSerializer,
    )
    def post(self, request, pk):
        m = get_object_or_404(Membership, pk=pk)
        left = _date(request.data.get("left"), "left") if request.data.get("left") else None
        if left is None:
            raise ValidationError({"left": ["请填写退出日期。"]})
        m = services.membership_end(
            actor=request.user, membership=m, left=left, reason=free_text(request.data, "reason")
        )
        return Response(MembershipSerializer(m).data)


class AchievementSerializer(BoundedTextSerializer):
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
        p = get_visible_or_404(
            Platform.objects,
            user=self.request.user,
            visible=permissions.can_view_platform,
            pk=self.kwargs["pk"],
        )
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
            province=province_param(request.query_params.get("province", ""), held=_province_held),
            published_only=not permissions.can_view_internal(request.user),
        )
        return Response({"date": day, "by": by, "counts": counts})


class Import(APIView):
    """Upload a .xlsx/.csv; `dry_run` (default true) only checks. Nothing is written unless every row is clean.
    A committing run (`dry_run` false) overwrites the platforms the file names: only with `"confirm": true`
    (docs/security.md §47), asked once the file has passed the upload checks, before a row is written."""

    throttle_scope = "expensive"
    permission_classes = [HasRole]
    roles = STAFF
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ImportIn",
                {
                    "file": serializers.FileField(),
                    "dry_run": serializers.BooleanField(required=False),
                    "confirm": ConfirmField(),
                },
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
            raise ValidationError({"file": [_("请上传文件。")]})
        dry_run = str(request.data.get("dry_run", "true")).lower() not in ("false", "0", "no")
        data = uploads.read_upload(
            upload, allowed=uploads.TABLES, limit=uploads.max_bytes("KECHUANG_MAX_IMPORT_BYTES")
        )
        if not dry_run:  # a committing import overwrites the platforms the file names (docs/security.md §47)
            require_api_confirm(
                _(
                    "导入将按文件覆盖已登记平台的信息，不能撤销。"
                    '先用 dry_run 检查；确认执行请在请求中附上 "confirm": true。'
                )
            )
        report = importer.platform_import(
            actor=request.user, data=data, filename=upload.name, dry_run=dry_run
        )
        return Response(report.as_dict(), status=200 if report.ok else 400)
