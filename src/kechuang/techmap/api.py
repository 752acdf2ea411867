"""The technology map's JSON API: chains, links, technologies (with TRL records), coverage and the gap
report. Reading follows `permissions` (the public sees published chains without internal notes);
every write is staff-only and goes through `services`."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.api import REASON_MAX, BoundedTextSerializer, free_text
from kechuang.core.filters import choice_filter
from kechuang.core.permissions import HasRole, get_visible_or_404
from kechuang.core.roles import Role
from kechuang.core.services import expected_version

from . import permissions, selectors, services
from .models import Chain, ChainLink, Coverage, Technology, TrlRecord

# a coverage's target type as sent ("platforms", "platform"): ContentType's own columns
_CT_APP_LABEL = ContentType._meta.get_field("app_label").max_length
_CT_MODEL = ContentType._meta.get_field("model").max_length

STAFF = (Role.STAFF,)
INTERNAL = (Role.STAFF, Role.COMMISSIONER, Role.EXPERT)


class _InternalFieldsMixin:
    """Drops `internal_fields` from the output for readers who may not see internal notes."""

    internal_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not permissions.can_read_internal(request.user):
            for f in self.internal_fields:
                data.pop(f, None)
        return data


class ChainSerializer(_InternalFieldsMixin, BoundedTextSerializer):
    internal_fields = ("internal_note",)

    class Meta:
        model = Chain
        fields = [
            "id",
            "name",
            "name_en",
            "description",
            "description_en",
            "internal_note",
            "published",
            "order",
            "version",
        ]
        read_only_fields = ["version"]
        text_bounds = {"internal_note": REASON_MAX}  # as ChainForm's


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChainLink
        fields = ["id", "chain", "stage", "name", "name_en", "order"]


class TechnologySerializer(_InternalFieldsMixin, BoundedTextSerializer):
    internal_fields = ("internal_note",)
    chain = serializers.IntegerField(source="link.chain_id", read_only=True)

    class Meta:
        model = Technology
        fields = [
            "id",
            "link",
            "chain",
            "name",
            "name_en",
            "description",
            "internal_note",
            "trl_baseline",
            "trl_baseline_on",
            "trl_current",
            "trl_current_on",
            "trl_target",
            "trl_target_on",
            "is_bottleneck",
            "substitution",
            "level",
            "local_supply_pct",
            "version",
        ]
        read_only_fields = [
            "trl_baseline",
            "trl_baseline_on",
            "trl_current",
            "trl_current_on",
            "trl_target",
            "trl_target_on",
        ]
        extra_kwargs = {"version": {"required": False}}
        text_bounds = {"internal_note": REASON_MAX}  # as TechnologyForm's


class TrlRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrlRecord
        fields = ["id", "kind", "value", "as_of", "note"]
        extra_kwargs = {"as_of": {"required": False}}


class CoverageSerializer(BoundedTextSerializer):
    model = serializers.CharField(write_only=True, required=False, max_length=_CT_MODEL)
    target_type = serializers.SerializerMethodField()
    app_label = serializers.CharField(write_only=True, required=False, max_length=_CT_APP_LABEL)
    active = serializers.SerializerMethodField()

    class Meta:
        model = Coverage
        fields = [
            "id",
            "technology",
            "kind",
            "target_type",
            "app_label",
            "model",
            "object_id",
            "target_repr",
            "since",
            "until",
            "note",
            "active",
        ]
        read_only_fields = ["target_repr"]
        extra_kwargs = {"since": {"required": False}}
        text_bounds = {"note": REASON_MAX}  # as CoverageForm's

    def get_target_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_active(self, obj) -> bool:
        from .coverage import coverage_is_active

        return coverage_is_active(obj)

    def validate(self, attrs):
        # The type is given as "app_label" + "model", e.g. challenges / topic.
        model = attrs.pop("model", "").strip().lower()
        app_label = attrs.pop("app_label", "").strip().lower()
        if self.instance is None:
            if not model or not app_label:
                raise serializers.ValidationError({"model": ["请同时给出 app_label 和 model。"]})
            ct = ContentType.objects.filter(app_label=app_label, model=model).first()
            if ct is None:
                raise serializers.ValidationError({"model": ["未知的对象类型。"]})
            attrs["content_type"] = ct
        return attrs


class TechnologyFilter(filters.FilterSet):
    chain = filters.NumberFilter(field_name="link__chain")
    stage = filters.ChoiceFilter(field_name="link__stage", choices=ChainLink.Stage.choices)

    class Meta:
        model = Technology
        fields = ["chain", "link", "stage", "is_bottleneck", "substitution", "level"]


class ChainList(generics.ListCreateAPIView):
    """Chains: the public lists published ones; staff create."""

    serializer_class = ChainSerializer
    permission_classes = [HasRole]
    write_roles = STAFF
    filterset_fields = ["published"]
    search_fields = ["name", "name_en"]

    def get_queryset(self):
        return permissions.chains_visible_to(self.request.user).order_by("order", "name")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        serializer.instance = services.chain_create(actor=self.request.user, **data)


class ChainDetail(generics.RetrieveUpdateAPIView):
    """One chain; staff change it with the `version` they read (a stale one answers 409, none 400)."""

    serializer_class = ChainSerializer
    permission_classes = [HasRole]
    write_roles = STAFF

    def get_queryset(self):
        return permissions.chains_visible_to(self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.chain_update(
            actor=self.request.user,
            chain=serializer.instance,
            expected_version=expected_version(self.request.data),
            **serializer.validated_data,
        )


class LinkList(generics.ListCreateAPIView):
    """Links of the visible chains; staff create."""

    serializer_class = LinkSerializer
    permission_classes = [HasRole]
    write_roles = STAFF
    filterset_fields = ["chain", "stage"]

    def get_queryset(self):
        return permissions.links_visible_to(self.request.user).select_related("chain")

    def perform_create(self, serializer):
        serializer.instance = services.link_create(actor=self.request.user, **serializer.validated_data)


class LinkDetail(generics.RetrieveUpdateAPIView):
    serializer_class = LinkSerializer
    permission_classes = [HasRole]
    write_roles = STAFF

    def get_queryset(self):
        return permissions.links_visible_to(self.request.user).select_related("chain")

    def perform_update(self, serializer):
        serializer.instance = services.link_update(
            actor=self.request.user, link=serializer.instance, **serializer.validated_data
        )


class TechnologyList(generics.ListCreateAPIView):
    """Technologies of the visible chains, filterable; staff create (TRL values via /trl/)."""

    serializer_class = TechnologySerializer
    permission_classes = [HasRole]
    write_roles = STAFF
    filterset_class = TechnologyFilter
    search_fields = ["name", "name_en", "description"]

    def get_queryset(self):
        return selectors.technology_list(user=self.request.user)

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        serializer.instance = services.technology_create(actor=self.request.user, **data)


class TechnologyDetail(generics.RetrieveUpdateAPIView):
    """One technology; staff change it with the `version` they read (a stale one answers 409, none 400)."""

    serializer_class = TechnologySerializer
    permission_classes = [HasRole]
    write_roles = STAFF

    def get_queryset(self):
        return selectors.technology_list(user=self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.technology_update(
            actor=self.request.user,
            technology=serializer.instance,
            expected_version=expected_version(self.request.data),
            **data,
        )


class TrlList(generics.ListCreateAPIView):
    """The dated TRL history of one technology; staff add a record."""

    serializer_class = TrlRecordSerializer
    permission_classes = [HasRole]
    write_roles = STAFF

    def _technology(self):
        tech = get_visible_or_404(selectors.technology_get, user=self.request.user, pk=self.kwargs["pk"])
        return tech

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no pk
            return TrlRecord.objects.none()
        return self._technology().trl_records.order_by("as_of", "kind", "id")

    def perform_create(self, serializer):
        serializer.instance = services.trl_record(
            actor=self.request.user, technology=self._technology(), **serializer.validated_data
        )


class CoverageList(generics.ListCreateAPIView):
    """Coverage links (internal readers); staff create one: technology, kind, app_label + model
    (e.g. challenges / topic), object_id, since, until, note."""

    serializer_class = CoverageSerializer
    permission_classes = [HasRole]
    roles = INTERNAL
    write_roles = STAFF
    filterset_fields = ["technology", "kind"]

    def get_queryset(self):
        return (
            permissions.coverages_visible_to(self.request.user)
            .select_related("content_type")
            .prefetch_related("target")
            .order_by("technology", "-since", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.coverage_create(actor=self.request.user, **data)


class CoverageDetail(generics.RetrieveUpdateAPIView):
    """One coverage link; staff end it by sending `until` (other fields are fixed once created)."""

    serializer_class = CoverageSerializer
    permission_classes = [HasRole]
    roles = INTERNAL
    write_roles = STAFF
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return permissions.coverages_visible_to(self.request.user).select_related("content_type")

    def perform_update(self, serializer):
        until = serializer.validated_data.get("until")
        if until is None:
            raise serializers.ValidationError({"until": ["请给出截止日期。"]})
        serializer.instance = services.coverage_end(
            actor=self.request.user,
            coverage=serializer.instance,
            until=until,
            reason=free_text(self.request.data, "reason", REASON_MAX),  # as CoverageEndForm's
        )


class GapSerializer(serializers.Serializer):
    technology = serializers.IntegerField(source="technology.pk")
    name = serializers.CharField(source="technology.name")
    chain = serializers.CharField(source="technology.link.chain.name")
    link = serializers.CharField(source="technology.link.name")
    name_en = serializers.CharField(source="technology.name_en", help_text="English name; empty when none")
    chain_en = serializers.CharField(source="technology.link.chain.name_en", help_text="empty when none")
    link_en = serializers.CharField(source="technology.link.name_en", help_text="empty when none")
    stage = serializers.CharField(source="technology.link.stage")
    trl_current = serializers.IntegerField(source="technology.trl_current", allow_null=True)
    trl_target = serializers.IntegerField(source="technology.trl_target", allow_null=True)
    planned = serializers.SerializerMethodField()

    def get_planned(self, obj) -> list[dict]:
        return [{"kind": c.kind, "name": c.target_repr, "coverage": c.pk} for c in obj.planned]


class GapReport(APIView):
    """Bottleneck technologies no active project, platform or consortium covers on `as_of` (today)."""

    permission_classes = [HasRole]
    roles = INTERNAL

    @extend_schema(
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="YYYY-MM-DD, default today"),
            OpenApiParameter(
                "chain",
                OpenApiTypes.INT,
                description="A chain's id (from the chains list): its gaps only; 400 naming one not listed",
            ),
        ],
        responses=inline_serializer(
            "GapReport",
            {
                "as_of": serializers.DateField(),
                "count": serializers.IntegerField(),
                "results": GapSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        raw = request.query_params.get("as_of", "")
        try:
            as_of = datetime.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise serializers.ValidationError({"as_of": ["日期格式应为 YYYY-MM-DD。"]})
        # a chain the caller may not see or that is not one: 400 naming it and the chains, never all chains
        chain = None
        if request.query_params.get("chain", "").strip():
            chains = permissions.chains_visible_to(request.user).order_by("order", "name")
            asked = choice_filter(request, "chain", [(c.pk, c.local_name) for c in chains], label=_("产业链"))
            asked.refuse()
            chain = asked.value
        rows = selectors.gap_report(user=request.user, as_of=as_of, chain=chain)
        return Response(
            {"as_of": as_of.isoformat(), "count": len(rows), "results": GapSerializer(rows, many=True).data}
        )


class GapTopicInput(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class GapTopic(APIView):
    """Turn a bottleneck gap into a topic (challenges) and link it as coverage, in one step. Staff only."""

    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(request=GapTopicInput, responses={201: CoverageSerializer})
    def post(self, request, pk):
        tech = get_object_or_404(Technology, pk=pk)
        data = GapTopicInput(data=request.data)
        data.is_valid(raise_exception=True)
        coverage = services.gap_topic_create(
            actor=request.user, technology=tech, title=data.validated_data.get("title", "")
        )
        return Response(
            CoverageSerializer(coverage, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class TreeCoverageSerializer(serializers.Serializer):
    """The shapes of `selectors.map_tree`, for the schema."""

    key = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    closing = serializers.BooleanField()


class TreeTechnologySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True, help_text="English name; empty when staff gave none")
    url = serializers.CharField()
    bottleneck = serializers.BooleanField()
    covered = serializers.BooleanField(allow_null=True, help_text="null for public readers")
    gap = serializers.BooleanField(allow_null=True, help_text="null for public readers")
    trl = serializers.ListField(
        child=serializers.IntegerField(allow_null=True), help_text="baseline, current, target"
    )
    level = serializers.CharField(allow_blank=True)
    substitution = serializers.CharField(allow_blank=True)
    coverage = TreeCoverageSerializer(many=True)


class TreeLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True, help_text="English name; empty when staff gave none")
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    technologies = TreeTechnologySerializer(many=True)


class TreeChainSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True, help_text="English name; empty when staff gave none")
    published = serializers.BooleanField()
    links = TreeLinkSerializer(many=True)


class MapTree(APIView):
    """The map as a nested tree (chain → links → technologies → covering items for internal readers)."""

    permission_classes = [HasRole]

    @extend_schema(responses=TreeChainSerializer(many=True))
    def get(self, request):
        return Response(selectors.map_tree(user=request.user))


urlpatterns = [
    path("chains/", ChainList.as_view(), name="techmap-chain-list"),
    path("chains/<int:pk>/", ChainDetail.as_view(), name="techmap-chain-detail"),
    path("links/", LinkList.as_view(), name="techmap-link-list"),
    path("links/<int:pk>/", LinkDetail.as_view(), name="techmap-link-detail"),
    path("technologies/", TechnologyList.as_view(), name="techmap-technology-list"),
    path("technologies/<int:pk>/", TechnologyDetail.as_view(), name="techmap-technology-detail"),
    path("technologies/<int:pk>/trl/", TrlList.as_view(), name="techmap-trl-list"),
    path("technologies/<int:pk>/gap-topic/", GapTopic.as_view(), name="techmap-gap-topic"),
    path("coverage/", CoverageList.as_view(), name="techmap-coverage-list"),
    path("coverage/<int:pk>/", CoverageDetail.as_view(), name="techmap-coverage-detail"),
    path("gaps/", GapReport.as_view(), name="techmap-gaps"),
    path("tree/", MapTree.as_view(), name="techmap-tree"),
]
