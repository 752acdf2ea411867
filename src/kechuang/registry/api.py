"""The registries' API, mounted at /api/registry/ (docs/registry.md): thin views over the services, the
same visibility as the pages."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.accounts.models import Unit, User
from kechuang.challenges import permissions as challenge_permissions
from kechuang.challenges.models import Result, Transfer
from kechuang.core.api import (
    ACTION_MAX,
    REASON_MAX,
    BoundedTextSerializer,
    ConfirmField,
    RelatedIds,
    free_text,
    unchangeable,
)
from kechuang.core.exceptions import ApplicationError
from kechuang.core.permissions import HasRole, get_visible_or_404
from kechuang.core.roles import Role
from kechuang.core.services import expected_version

from . import selectors, services
from .models import ResultRegistration, TechContract


class RegistrationSerializer(serializers.ModelSerializer):
    units = serializers.SerializerMethodField()
    people = serializers.SerializerMethodField()

    class Meta:
        model = ResultRegistration
        fields = [
            "id",
            "result",
            "number",
            "status",
            "name",
            "category",
            "evaluation",
            "evaluated_on",
            "stage",
            "industry",
            "keywords",
            "ip_kind",
            "ip_numbers",
            "doi",
            "summary",
            "registered_at",
            "version",
            "units",
            "people",
        ]
        read_only_fields = ["number", "status", "registered_at", "version"]

    def get_units(self, obj) -> list[dict]:
        return [
            {
                "id": r.unit_id,
                "name": r.unit.name,
                "name_en": r.unit.name_en,
                "credit_code": r.unit.credit_code,
            }
            for r in obj.unit_rows.all()  # prefetched, in order
        ]

    def get_people(self, obj) -> list[dict]:
        return [{"id": r.person_id, "name": str(r.person)} for r in obj.person_rows.all()]


class RegistrationWriteSerializer(BoundedTextSerializer):
    result = serializers.PrimaryKeyRelatedField(queryset=Result.objects.all(), required=False)
    unit_ids = RelatedIds(
        source="units", many=True, queryset=Unit.objects.filter(is_active=True), required=False
    )
    person_ids = RelatedIds(
        source="people", many=True, queryset=User.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = ResultRegistration
        fields = [
            "result",
            "name",
            "category",
            "evaluation",
            "evaluated_on",
            "stage",
            "industry",
            "keywords",
            "ip_kind",
            "ip_numbers",
            "doi",
            "summary",
            "unit_ids",
            "person_ids",
        ]


class RegistrationList(generics.ListCreateAPIView):
    """Registrations the caller may see (registered ones are public; `q` searches them); a filer creates one
    for a project's result (`unit_ids`, `person_ids` in order)."""

    serializer_class = RegistrationSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["status", "category", "industry"]
    search_fields = ["name", "keywords", "number"]

    def get_queryset(self):
        return (
            selectors.registrations_visible_to(self.request.user)
            .prefetch_related("unit_rows__unit", "person_rows__person")
            .order_by("-registered_at", "-id")
        )

    @extend_schema(request=RegistrationWriteSerializer, responses={201: RegistrationSerializer})
    def post(self, request):
        if not request.user.is_authenticated:
            from rest_framework.exceptions import NotAuthenticated

            raise NotAuthenticated()
        raw = request.data.get("result") if hasattr(request.data, "get") else None
        if raw in (None, ""):
            raise ApplicationError(
                _("请选择要登记的项目成果。"), fields={"result": [_("请选择要登记的项目成果。")]}
            )
        visible = challenge_permissions.results_visible_to(request.user)
        if not str(raw).isdecimal() or not visible.filter(pk=int(str(raw)[:18])).exists():
            # a result the caller may not see answers as one that does not exist, before the form is read
            raise ApplicationError(_("未找到。"), code="not_found", status=404)
        ser = RegistrationWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        result = d.pop("result")
        reg = services.registration_create(
            actor=request.user, result=result, units=d.pop("units", []), people=d.pop("people", []), **d
        )
        return Response(RegistrationSerializer(reg).data, status=201)


class RegistrationDetail(APIView):
    """One registration; PATCH changes a draft or returned one (send the `version` read)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=RegistrationSerializer)
    def get(self, request, pk):
        reg = get_visible_or_404(selectors.registration_get, pk=pk, user=request.user)
        return Response(RegistrationSerializer(reg).data)

    @extend_schema(request=RegistrationWriteSerializer, responses=RegistrationSerializer)
    def patch(self, request, pk):
        if not request.user.is_authenticated:
            from rest_framework.exceptions import NotAuthenticated

            raise NotAuthenticated()
        reg = get_visible_or_404(selectors.registration_get, pk=pk, user=request.user)
        version = expected_version(request.data)
        ser = RegistrationWriteSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        unchangeable(d, reg, ["result"])  # said, not dropped (docs/security.md §44)
        d.pop("result", None)
        services.registration_update(
            actor=request.user,
            registration=reg,
            expected_version=version,
            units=d.pop("units", None),
            people=d.pop("people", None),
            **d,
        )
        return Response(RegistrationSerializer(ResultRegistration.objects.get(pk=reg.pk)).data)


ACTION = inline_serializer(
    "RegistryAction",
    {
        "confirm": ConfirmField(),
        "action": serializers.CharField(max_length=ACTION_MAX),
        "reason": serializers.CharField(required=False, max_length=REASON_MAX),
    },
)


class RegistrationTransition(APIView):
    """submit (the filer), return {reason} / approve / revoke {reason} (staff)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ACTION, responses=RegistrationSerializer)
    def post(self, request, pk):
        reg = get_visible_or_404(selectors.registration_get, pk=pk, user=request.user)
        services.registration_transition(
            actor=request.user,
            registration=reg,
            action=str(request.data.get("action", "")),
            reason=free_text(request.data, "reason"),
        )
        return Response(RegistrationSerializer(reg).data)


class TechContractSerializer(serializers.ModelSerializer):
    seller_name = serializers.CharField(source="seller.name", read_only=True)
    buyer_name = serializers.CharField(source="buyer.name", read_only=True)
    buyer_kind = serializers.CharField(source="buyer.kind", read_only=True)
    transfer = serializers.PrimaryKeyRelatedField(
        queryset=Transfer.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = TechContract
        fields = [
            "id",
            "number",
            "status",
            "title",
            "kind",
            "field",
            "seller",
            "seller_name",
            "buyer",
            "buyer_name",
            "buyer_kind",
            "amount",
            "tech_amount",
            "signed_on",
            "result",
            "transfer",
            "registered_at",
            "version",
        ]
        read_only_fields = ["number", "status", "registered_at", "version"]


class TechContractList(generics.ListCreateAPIView):
    """Technology contracts the caller may see (staff all, a unit user their unit's); create one (a draft)."""

    serializer_class = TechContractSerializer
    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.APPLICANT)
    filterset_fields = ["status", "kind", "field"]

    def get_queryset(self):
        return selectors.tech_contracts_visible_to(self.request.user).select_related("seller", "buyer")

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        serializer.instance = services.contract_create(actor=self.request.user, **d)


class TechContractDetail(APIView):
    """One technology contract; PATCH changes a draft (send the `version` read)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.APPLICANT)

    @extend_schema(responses=TechContractSerializer)
    def get(self, request, pk):
        return Response(
            TechContractSerializer(
                get_visible_or_404(selectors.tech_contract_get, pk=pk, user=request.user)
            ).data
        )

    @extend_schema(request=TechContractSerializer, responses=TechContractSerializer)
    def patch(self, request, pk):
        c = get_visible_or_404(selectors.tech_contract_get, pk=pk, user=request.user)
        version = expected_version(request.data)
        ser = TechContractSerializer(c, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        services.contract_update(
            actor=request.user, contract=c, expected_version=version, **ser.validated_data
        )
        return Response(TechContractSerializer(selectors.tech_contract_get(pk=c.pk, user=request.user)).data)


class TechContractTransition(APIView):
    """submit (a party), register / refuse {reason} (staff)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.APPLICANT)

    @extend_schema(request=ACTION, responses=TechContractSerializer)
    def post(self, request, pk):
        c = get_visible_or_404(selectors.tech_contract_get, pk=pk, user=request.user)
        services.contract_transition(
            actor=request.user,
            contract=c,
            action=str(request.data.get("action", "")),
            reason=free_text(request.data, "reason"),
        )
        return Response(TechContractSerializer(c).data)


class StatsRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    tech_amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class StatsSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    tech_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_kind = StatsRowSerializer(many=True)
    by_buyer_kind = StatsRowSerializer(many=True)
    by_field = StatsRowSerializer(many=True)
    by_year = StatsRowSerializer(many=True)


class TechContractStats(APIView):
    """The statistics of registered contracts (staff): 成交额 and 技术交易额 in total, by type, by the buyer's
    kind of unit, by field and by year (`year` narrows to one year)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=StatsSerializer)
    def get(self, request):
        raw = request.query_params.get("year", "")
        if raw and not (raw.isdecimal() and len(raw) == 4):
            raise ApplicationError(_("年份应为四位数字。"), fields={"year": [_("年份应为四位数字。")]})
        data = selectors.contract_stats(year=int(raw) if raw else None)
        for rows in ("by_kind", "by_buyer_kind", "by_field", "by_year"):
            for r in data[rows]:
                r["key"] = str(r["key"])
        return Response(StatsSerializer(data).data)


urlpatterns = [
    path("results/", RegistrationList.as_view(), name="registry-result-list"),
    path("results/<int:pk>/", RegistrationDetail.as_view(), name="registry-result-detail"),
    path("results/<int:pk>/transition/", RegistrationTransition.as_view(), name="registry-result-transition"),
    path("contracts/", TechContractList.as_view(), name="registry-contract-list"),
    path("contracts/stats/", TechContractStats.as_view(), name="registry-contract-stats"),
    path("contracts/<int:pk>/", TechContractDetail.as_view(), name="registry-contract-detail"),
    path(
        "contracts/<int:pk>/transition/",
        TechContractTransition.as_view(),
        name="registry-contract-transition",
    ),
]
