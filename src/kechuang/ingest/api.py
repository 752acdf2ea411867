"""JSON API of ingest (staff only): documents (list, detail, upload) and the fact review queue."""

import django_filters
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core import uploads
from kechuang.core.api import Pagination
from kechuang.core.exceptions import ApplicationError
from kechuang.core.permissions import HasRole
from kechuang.core.roles import Role
from kechuang.indicators.selectors import region_find

from . import services
from .models import Change, Document, Fact, Mention
from .permissions import documents_visible_to, facts_visible_to

STAFF = (Role.STAFF,)


class ChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Change
        fields = [
            "id",
            "seq",
            "step",
            "orig_start",
            "orig_end",
            "rep_start",
            "rep_end",
            "before",
            "after",
            "note",
            "uncertain",
            "reverted",
        ]


class FactSerializer(serializers.ModelSerializer):
    shown_value = serializers.CharField(
        read_only=True,
        help_text=_lazy("报告书写的数值（1800亿元中的1800）；value 为按基本单位（元）存储的数值。"),
    )
    shown_unit = serializers.CharField(
        read_only=True, help_text=_lazy("报告书写的单位（亿元）；unit 为存储单位。")
    )

    class Meta:
        model = Fact
        fields = [
            "id",
            "document",
            "kind",
            "subject",
            "predicate",
            "value",
            "value_text",
            "unit",
            "scale",
            "shown_value",
            "shown_unit",
            "qualifier",
            "period",
            "place",
            "quote",
            "start",
            "end",
            "orig_start",
            "orig_end",
            "status",
            "record_status",
            "record_kind",
            "record_ref",
            "record_note",
            "version",
        ]
        read_only_fields = fields


class MentionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mention
        fields = ["id", "kind", "text", "start", "end", "target_id", "target_name", "score", "is_new"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "filename",
            "sha256",
            "size",
            "format",
            "encoding",
            "year",
            "region",
            "status",
            "stats",
            "created_at",
        ]


class DocumentDetailSerializer(DocumentSerializer):
    changes = ChangeSerializer(many=True, read_only=True)
    facts = FactSerializer(many=True, read_only=True)
    mentions = MentionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [
            *DocumentSerializer.Meta.fields,
            "original_text",
            "repaired_text",
            "changes",
            "facts",
            "mentions",
        ]


class DocumentFilter(django_filters.FilterSet):
    class Meta:
        model = Document
        fields = ["status", "format", "year"]


class DocumentList(generics.ListAPIView):
    permission_classes = [HasRole]
    roles = STAFF
    serializer_class = DocumentSerializer
    pagination_class = Pagination
    filterset_class = DocumentFilter

    def get_queryset(self):
        return (
            documents_visible_to(self.request.user)
            .defer("original", "original_text", "repaired_text")
            .order_by("-created_at", "-id")
        )


def _region(text) -> str:
    """The registered region an upload names (its name, English name, code or id) as documents store it
    (its Chinese name, as the upload page's list gives it); 400 naming it when no region is registered so."""
    text = str(text or "").strip()
    if not text:
        return ""
    region = region_find(text)
    if region is None:
        message = _("没有登记名为“%(region)s”的地区：请用指标“地区”列表中的名称（中文或英文）。") % {
            "region": text
        }
        raise ApplicationError(message, code="unknown_region", fields={"region": [message]})
    return region.name


class DocumentUpload(APIView):
    throttle_scope = "expensive"
    permission_classes = [HasRole]
    roles = STAFF
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer(
            "DocumentUpload",
            {
                "file": serializers.FileField(),
                "year": serializers.IntegerField(required=False),
                "region": serializers.CharField(
                    required=False,
                    help_text="A registered region (indicators' regions) by its Chinese or English name, code "
                    "or id; an unknown one is refused (400, naming it). Stored as its Chinese name.",
                ),
            },
        ),
        responses={201: DocumentSerializer, 200: DocumentSerializer},
    )
    def post(self, request):
        f = request.FILES.get("file")
        if f is None:
            raise ApplicationError(
                _("请上传文件（字段 file）。"), code="no_file", fields={"file": [_("必填。")]}
            )
        year = request.data.get("year") or None
        if year is not None:
            try:
                year = int(year)
            except ValueError:
                raise ApplicationError(
                    _("年份必须是整数。"), code="validation_error", fields={"year": [_("必须是整数。")]}
                )
        region = _region(request.data.get("region", ""))
        data = uploads.read_upload(f, allowed=uploads.REPORTS)
        document, created = services.document_ingest(
            actor=request.user, data=data, filename=f.name, year=year, region=region
        )
        return Response(
            DocumentSerializer(document).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class DocumentDetail(generics.RetrieveAPIView):
    permission_classes = [HasRole]
    roles = STAFF
    serializer_class = DocumentDetailSerializer

    def get_queryset(self):
        return documents_visible_to(self.request.user).prefetch_related("changes", "facts", "mentions")


class FactFilter(django_filters.FilterSet):
    class Meta:
        model = Fact
        fields = ["status", "kind", "document", "record_status"]


class FactList(generics.ListAPIView):
    permission_classes = [HasRole]
    roles = STAFF
    serializer_class = FactSerializer
    pagination_class = Pagination
    filterset_class = FactFilter

    def get_queryset(self):
        return facts_visible_to(self.request.user).order_by("document_id", "start", "id")


class FactActionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)
    subject = serializers.CharField(required=False, max_length=200)
    predicate = serializers.CharField(required=False, max_length=60, allow_blank=True)
    value = serializers.DecimalField(required=False, max_digits=24, decimal_places=4, allow_null=True)
    unit = serializers.CharField(required=False, max_length=10, allow_blank=True)
    qualifier = serializers.CharField(required=False, max_length=10, allow_blank=True)
    period = serializers.CharField(required=False, max_length=20, allow_blank=True)
    place = serializers.CharField(
        required=False,
        max_length=40,
        allow_blank=True,
        help_text=_lazy(
            "事实所说的另一地区：已登记地区的名称、代码或英文名；空为本报告地区（与页面的“所属地区”相同）。"
        ),
    )


class FactAction(APIView):
    """POST accept | reject | reopen | edit (edit needs `version` and the corrected fields; `place` is picked
    from the registered regions as on the page)."""

    permission_classes = [HasRole]
    roles = STAFF
    write_roles = STAFF

    @extend_schema(request=FactActionSerializer, responses=FactSerializer)
    def post(self, request, pk, action):
        from django.shortcuts import get_object_or_404

        fact = get_object_or_404(facts_visible_to(request.user), pk=pk)
        s = FactActionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        reason = data.pop("reason", "")
        if action == "accept":
            fact = services.fact_accept(actor=request.user, fact=fact, reason=reason)
        elif action == "reject":
            fact = services.fact_reject(actor=request.user, fact=fact, reason=reason)
        elif action == "reopen":
            fact = services.fact_reopen(actor=request.user, fact=fact, reason=reason)
        elif action == "edit":
            if "version" not in data:
                raise ApplicationError(
                    _("修改需要提供 version。"), code="validation_error", fields={"version": [_("必填。")]}
                )
            version = data.pop("version")
            fact = services.fact_edit(
                actor=request.user, fact=fact, expected_version=version, reason=reason, **data
            )
        else:
            raise ApplicationError(
                _("未知操作：%(action)s") % {"action": action}, code="unknown_action", status=404
            )
        return Response(FactSerializer(fact).data)


urlpatterns = [
    path("documents/", DocumentList.as_view(), name="ingest-document-list"),
    path("documents/upload/", DocumentUpload.as_view(), name="ingest-document-upload"),
    path("documents/<int:pk>/", DocumentDetail.as_view(), name="ingest-document-detail"),
    path("facts/", FactList.as_view(), name="ingest-fact-list"),
    path("facts/<int:pk>/<str:action>/", FactAction.as_view(), name="ingest-fact-action"),
]
