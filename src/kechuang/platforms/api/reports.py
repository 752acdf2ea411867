"""The yearly report endpoints."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.api import REASON_MAX, BoundedTextSerializer, ConfirmField, free_text, unchangeable
from kechuang.core.permissions import HasRole, get_visible_or_404
from kechuang.core.roles import Role

from .. import permissions, selectors, services
from ..models import REPORT_NUMBERS, YearlyReport


class ReportSerializer(BoundedTextSerializer):
    platform_name = serializers.CharField(source="platform.name", read_only=True)
    platform_name_en = serializers.CharField(
        source="platform.name_en",
        read_only=True,
        help_text="the platform's English name; empty where none is recorded",
    )

    class Meta:
        model = YearlyReport
        fields = [
            "id",
            "platform",
            "platform_name",
            "platform_name_en",
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
        r = get_visible_or_404(
            YearlyReport.objects.select_related("platform"),
            user=self.request.user,
            visible=permissions.can_view_report,
            pk=self.kwargs["pk"],
        )
        return r

    def perform_update(self, serializer):
        version = self.request.data.get("version")
        if not isinstance(version, int):
            raise ValidationError({"version": ["请提供读取时的 version。"]})
        unchangeable(
            serializer.validated_data, serializer.instance, ["platform", "year"]
        )  # said, not dropped
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
                "confirm": ConfirmField(),
                "action": serializers.ChoiceField(choices=["submit", "return", "accept", "reopen"]),
                "reason": serializers.CharField(required=False, max_length=REASON_MAX),
            },
        ),
        responses=ReportSerializer,
    )
    def post(self, request, pk):
        r = get_visible_or_404(
            YearlyReport.objects.select_related("platform"),
            user=request.user,
            visible=permissions.can_view_report,
            pk=pk,
        )
        r = services.report_transition(
            actor=request.user,
            report=r,
            action=request.data.get("action", ""),
            reason=free_text(request.data, "reason"),
        )
        r.refresh_from_db()
        return Response(ReportSerializer(r).data)
