"""JSON API of ingest (staff only): documents (list, detail, upload) and the fact review queue."""

import django_filters
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.api import Pagination, free_text
from kechuang.core.exceptions import ApplicationError
from kechuang.core.lists import listed
from kechuang.core.permissions import HasRole
from kechuang.core.roles import Role
from kechuang.core.workflow import unknown_action
from kechuang.indicators.models import Region
from kechuang.indicators.selectors import region_find

from . import services
from .models import STEP_REASON_MAX, Change, Document, Fact, Mention
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
        help_text=gettext_lazy("报告书写的数值（1800亿元中的1800）；value 为按基本单位（元）存储的数值。"),
    )
    shown_unit = serializers.CharField(
        read_only=True, help_text=gettext_lazy("报告书写的单位（亿元）；unit 为存储单位。")
    )
    qualifier_label = serializers.CharField(
        source="qualifier_local",
        read_only=True,
        help_text=gettext_lazy(
            "限定词（qualifier：余、以上、近、约等）在请求语言中的写法（英文：or more、nearly、about）；"
            "qualifier 为报告原文的写法。"
        ),
    )
    figure = serializers.CharField(
        source="figure_local",
        read_only=True,
        help_text=gettext_lazy(
            "带限定词的数值，按请求语言的写法与词序（1200余家 / over 1,200 organisations，6级以上 / level 6 or above）。"
        ),
    )
    uncertain = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy(
            "数值或其单位、期间、地区读自修复时无法确定的文字（存疑处），或原句中数值之前有隐去或缺失的内容"
            "（redacted_near）：不能批量采纳；单条采纳须 checked=true（已对照原文核对）或更正读自存疑处的字段"
            "（redacted_near 时另须更正 place、period 或 subject 之一）。"
        ),
    )
    redacted_near = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy(
            "原句中数值之前有网站隐去的地名（〔隐去〕市）或缺失的文字（〔缺失N字〕）：地区、期间或对象可能随之丢失。"
        ),
    )
    uncertain_parts = serializers.ListField(
        child=serializers.ChoiceField(choices=Fact.UncertainPart.choices),
        read_only=True,
        help_text=gettext_lazy(
            "读自存疑处的部分：value（数值）、unit（单位）、period（期间）、place（地区）。"
        ),
    )
    uncertain_spans = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        read_only=True,
        help_text=gettext_lazy("存疑文字在 quote 中的起止位置 [start, end)。"),
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
            "qualifier_label",
            "figure",
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
            "uncertain",
            "uncertain_parts",
            "uncertain_spans",
            "redacted_near",
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


# an upload's region as sent: a registered region's name, English name, code or id (the longest are the names)
_REGION_MAX = max(Region._meta.get_field(f).max_length for f in ("name", "name_en", "code"))


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
                    max_length=_REGION_MAX,
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
        region = _region(free_text(request.data, "region", _REGION_MAX))
        data = services.report_read(f)
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
        fields = ["status", "kind", "document", "record_status", "uncertain"]


class FactList(generics.ListAPIView):
    permission_classes = [HasRole]
    roles = STAFF
    serializer_class = FactSerializer
    pagination_class = Pagination
    filterset_class = FactFilter

    def get_queryset(self):
        return facts_visible_to(self.request.user).order_by("document_id", "start", "id")


class FactActionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=STEP_REASON_MAX)
    checked = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy(
            "采纳或修改读自存疑处的事实时：已对照原文核对（未核对且未更正读自存疑处的字段时拒绝，400）。"
        ),
    )
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
        help_text=gettext_lazy(
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
        checked = data.pop("checked", False)
        if action == "accept":
            fact = services.fact_accept(actor=request.user, fact=fact, reason=reason, checked=checked)
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
                actor=request.user,
                fact=fact,
                expected_version=version,
                reason=reason,
                checked=checked,
                **data,
            )
        else:
            # named back only when it is a plain short name (core.workflow.unknown_action)
            raise ApplicationError(unknown_action(action), code="unknown_action", status=404)
        return Response(FactSerializer(fact).data)


# the reason is written into the audit event of every fact accepted (up to 500): bounded, so one request
# cannot write 500 copies of a 5 MB text into the trail (docs/security.md §35)
BULK_REASON_MAX = STEP_REASON_MAX


class FactAcceptManySerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=BULK_REASON_MAX,
        help_text=gettext_lazy("理由，写入每条采纳的事实的审计记录；至多 500 字。"),
    )


class FactAcceptMany(APIView):
    """POST {"ids": [...]}: accept these proposed facts at once. Refused whole (400, code
    `uncertain_facts`, nothing accepted) when any was read across an uncertain span (or stands after a
    redaction or a gap, `redacted_near`): those are accepted one by one (`accept` with `checked`); facts
    already decided are left as they are and named. Its queries do not grow with the ids."""

    permission_classes = [HasRole]
    roles = STAFF
    write_roles = STAFF

    @extend_schema(
        request=FactAcceptManySerializer,
        responses={
            200: inline_serializer(
                "FactAcceptManyResult",
                {
                    "accepted": FactSerializer(many=True),
                    "decided": serializers.ListField(child=serializers.IntegerField()),
                },
            )
        },
    )
    def post(self, request):
        s = FactAcceptManySerializer(data=request.data)
        s.is_valid(raise_exception=True)
        ids = s.validated_data["ids"]
        facts = list(facts_visible_to(request.user).filter(pk__in=ids))
        missing = sorted(set(ids) - {f.pk for f in facts})
        if missing:
            message = _("没有这些事实：%(ids)s。") % {"ids": listed(missing)}
            raise ApplicationError(
                message, code="unknown_facts", fields={"ids": [message]}
            )  # in the body: 400
        done = services.fact_accept_many(
            actor=request.user, facts=facts, reason=s.validated_data["reason"], strict=True
        )
        return Response(
            {
                "accepted": FactSerializer(done.accepted, many=True).data,
                "decided": [f.pk for f in done.decided],
            }
        )


urlpatterns = [
    path("documents/", DocumentList.as_view(), name="ingest-document-list"),
    path("documents/upload/", DocumentUpload.as_view(), name="ingest-document-upload"),
    path("documents/<int:pk>/", DocumentDetail.as_view(), name="ingest-document-detail"),
    path("facts/", FactList.as_view(), name="ingest-fact-list"),
    path("facts/accept/", FactAcceptMany.as_view(), name="ingest-fact-accept-many"),
    path("facts/<int:pk>/<str:action>/", FactAction.as_view(), name="ingest-fact-action"),
]
