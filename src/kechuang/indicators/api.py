"""API of the indicators app: indicators, values, targets and index runs (/api/indicators/...).

Reading: the public sees published indicators and their values; staff and commissioners see all.
Writing: staff only, through the services (so every change is validated and audited).
"""

from django.utils.translation import gettext, gettext_noop
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from kechuang.core.api import BoundedTextSerializer, Pagination
from kechuang.core.filters import choice_filter
from kechuang.core.permissions import HasRole, get_visible_or_404
from kechuang.core.roles import Role
from kechuang.core.services import expected_version

from . import permissions, selectors, services
from .models import Framework, IndexRun, Indicator, Region, Target, Value
from .services._common import INDICATOR_FIELDS

# a value's or a target's indicator and region, named by their codes (as their columns)
_INDICATOR_CODE = Indicator._meta.get_field("code").max_length
_REGION_CODE = Region._meta.get_field("code").max_length


class IndicatorSerializer(BoundedTextSerializer):
    class Meta:
        model = Indicator
        fields = [*INDICATOR_FIELDS, "version"]
        read_only_fields = ["version"]
        extra_kwargs = {"code": {"validators": []}}


class ValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", max_length=_INDICATOR_CODE)
    region = serializers.CharField(source="region.code", max_length=_REGION_CODE)
    # In the caller's language (the language the API answers in: the site's language cookie, Chinese by
    # default), as every text of the API; both names are also given as they are stored, whatever the language.
    region_name = serializers.CharField(
        source="region.local_name",
        read_only=True,
        help_text="The region's name in the caller's language (Chinese unless English was chosen; the "
        "English name when the region has one).",
    )
    region_name_zh = serializers.CharField(source="region.name", read_only=True, help_text="Chinese name")
    region_name_en = serializers.CharField(
        source="region.name_en", read_only=True, help_text="Official English name; empty when none is known"
    )

    class Meta:
        model = Value
        fields = [
            "id",
            "indicator",
            "region",
            "region_name",
            "region_name_zh",
            "region_name_en",
            "year",
            "edition",
            "value",
            "source",
            "provenance",
        ]
        read_only_fields = ["id", "edition"]


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", max_length=_INDICATOR_CODE)
    region = serializers.CharField(source="region.code", max_length=_REGION_CODE)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ["id", "indicator", "region", "year", "comparator", "value", "note", "version", "progress"]
        read_only_fields = ["id", "version", "progress"]

    def get_progress(self, obj) -> str:
        return getattr(obj, "_progress", "")


class IndexRunSerializer(serializers.ModelSerializer):
    def to_representation(self, instance):
        data = super().to_representation(instance)
        if isinstance(data.get("outputs"), dict) and "warnings" in data["outputs"]:
            # the notes as sentences in the caller's language, not their stored msgid and parameters
            data["outputs"] = {**data["outputs"], "warnings": instance.warnings_text}
        return data

    class Meta:
        model = IndexRun
        fields = [
            "id",
            "framework",
            "framework_code",
            "edition",
            "method",
            "reference",
            "value_edition",
            "created_at",
            "outputs",
        ]


class IndexRunBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndexRun
        fields = [
            "id",
            "framework",
            "framework_code",
            "edition",
            "method",
            "reference",
            "value_edition",
            "created_at",
        ]


class IndexRunCreateSerializer(serializers.Serializer):
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.all())
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=IndexRun._meta.get_field("reference").max_length,
    )
    region_set = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=IndexRun._meta.get_field("region_set").max_length,
    )


UNKNOWN_REGION = gettext_noop("没有登记名为“%(region)s”的地区：请用指标“地区”列表中的名称（中文或英文）。")
NOT_A_YEAR = gettext_noop("“%(value)s”不是年份：请写四位数字的年份，如 2023。")


class ValueFilter(filters.FilterSet):
    indicator = filters.CharFilter(field_name="indicator__code")
    region = filters.CharFilter(
        method="by_region",
        help_text="A registered region by its Chinese or English name (甘肃省, Gansu) or its code; 400 naming an "
        "unknown one.",
    )
    region_set = filters.CharFilter(field_name="region__region_set")
    edition = filters.CharFilter(
        method="by_edition",
        help_text="An edition the values are in (EIS2023); 400 naming one no value is in, never all editions.",
    )
    year = filters.CharFilter(
        method="by_year",
        help_text="A year as four digits (2023): the values of that year, none when it has none; 400 naming "
        "anything else (2023.5, 23, abc), never read as another year.",
    )

    class Meta:
        model = Value
        fields = ["indicator", "region", "region_set", "year", "edition", "source"]

    def by_year(self, queryset, name, value):
        text = value.strip()
        if not (text.isdecimal() and len(text) == 4):
            raise serializers.ValidationError({"year": [gettext(NOT_A_YEAR) % {"value": value[:40]}]})
        return queryset.filter(year=int(text))

    def by_edition(self, queryset, name, value):
        editions = sorted(set(Value.objects.values_list("edition", flat=True).distinct().order_by()) - {""})
        choice_filter(self.request, name, [(e, e) for e in editions], label=gettext("数据版本")).refuse()
        return queryset.filter(edition=value.strip())

    def by_region(self, queryset, name, value):
        region = selectors.region_find(value)
        if region is None:
            raise serializers.ValidationError({"region": [gettext(UNKNOWN_REGION) % {"region": value}]})
        return queryset.filter(region=region)


class IndicatorList(generics.ListCreateAPIView):
    serializer_class = IndicatorSerializer
    permission_classes = [HasRole]
    write_roles = (Role.STAFF,)
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]
    filterset_fields = ["published", "direction"]

    def get_queryset(self):
        return permissions.indicators_visible_to(self.request.user).order_by("code")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.indicator_create(actor=self.request.user, **data)


class IndicatorDetail(generics.RetrieveUpdateAPIView):
    serializer_class = IndicatorSerializer
    permission_classes = [HasRole]
    write_roles = (Role.STAFF,)
    lookup_field = "code"

    def get_queryset(self):
        return permissions.indicators_visible_to(self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("code", None)
        serializer.instance = services.indicator_update(
            actor=self.request.user,
            indicator=serializer.instance,
            expected_version=expected_version(self.request.data),
            **data,
        )


class ValueList(generics.ListCreateAPIView):
    serializer_class = ValueSerializer
    permission_classes = [HasRole]
    write_roles = (Role.STAFF,)
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ValueFilter

    def get_queryset(self):
        return (
            permissions.values_visible_to(self.request.user)
            .select_related("indicator", "region")
            .order_by("indicator__code", "region__code", "year")
        )

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.value_record(
            actor=self.request.user,
            indicator_code=d["indicator"]["code"],
            region=d["region"]["code"],
            year=d["year"],
            value=d["value"],
            source=d.get("source", "typed"),
            provenance=d.get("provenance") or None,
        )


class TargetList(generics.ListCreateAPIView):
    serializer_class = TargetSerializer
    permission_classes = [HasRole]
    write_roles = (Role.STAFF,)
    pagination_class = Pagination

    def list(self, request, *args, **kwargs):
        items = selectors.target_progress_list(user=request.user)
        targets = []
        for item in items:
            item.target._progress = item.progress.status
            targets.append(item.target)
        page = self.paginate_queryset(targets)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_queryset(self):
        return Target.objects.filter(indicator__in=permissions.indicators_visible_to(self.request.user))

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.target_set(
            actor=self.request.user,
            indicator_code=d["indicator"]["code"],
            region=d["region"]["code"],
            year=d["year"],
            value=d["value"],
            comparator=d.get("comparator", ">="),
            note=d.get("note", ""),
        )


class IndexRunList(generics.ListCreateAPIView):
    permission_classes = [HasRole]
    write_roles = (Role.STAFF,)
    pagination_class = Pagination

    def get_serializer_class(self):
        return IndexRunCreateSerializer if self.request.method == "POST" else IndexRunBriefSerializer

    def get_queryset(self):
        return selectors.index_run_list(user=self.request.user)

    @extend_schema(request=IndexRunCreateSerializer, responses={201: IndexRunSerializer})
    def post(self, request, *args, **kwargs):
        ser = IndexRunCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        run = services.index_run_create(
            actor=request.user, framework=d["framework"], reference=d["reference"], region_set=d["region_set"]
        )
        return Response(IndexRunSerializer(run).data, status=status.HTTP_201_CREATED)


class IndexRunDetail(generics.RetrieveAPIView):
    serializer_class = IndexRunSerializer
    permission_classes = [HasRole]

    def get_object(self):
        run = get_visible_or_404(selectors.index_run_get, user=self.request.user, pk=self.kwargs["pk"])
        return run


from django.urls import path  # noqa: E402

urlpatterns = [
    path("indicators/", IndicatorList.as_view(), name="indicators-indicator-list"),
    path("indicators/<str:code>/", IndicatorDetail.as_view(), name="indicators-indicator-detail"),
    path("values/", ValueList.as_view(), name="indicators-value-list"),
    path("targets/", TargetList.as_view(), name="indicators-target-list"),
    path("runs/", IndexRunList.as_view(), name="indicators-run-list"),
    path("runs/<int:pk>/", IndexRunDetail.as_view(), name="indicators-run-detail"),
]
