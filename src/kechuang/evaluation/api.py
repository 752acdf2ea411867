"""JSON API of evaluation campaigns. Reads follow `permissions` (the public sees published results,
experts the entries they score); every write is staff-only and goes through `services`."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.challenges.models import Contract
from kechuang.core.api import REASON_MAX, BoundedTextSerializer, ConfirmField, free_text, id_list
from kechuang.core.permissions import HasRole, get_visible_or_404
from kechuang.core.roles import Role
from kechuang.platforms.models import Platform

from . import permissions, selectors, services
from .models import Campaign, Computation, Entry, IndicatorNode, Result, Score

STAFF = (Role.STAFF,)


class NodeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = IndicatorNode
        # entry: the project whose own leaf this is (one of its contract's indicators), null for the
        # campaign's common tree
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "parent",
            "weight",
            "rule",
            "source",
            "params",
            "order",
            "entry",
        ]


class NodeInSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    weight = serializers.DecimalField(max_digits=8, decimal_places=4, min_value=0)
    parent = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=IndicatorNode._meta.get_field("code").max_length,
    )
    rule = serializers.ChoiceField(choices=IndicatorNode.Rule.choices, default="group")
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=IndicatorNode._meta.get_field("source").max_length,
    )
    params = serializers.JSONField(required=False, default=dict)


class CampaignSerializer(BoundedTextSerializer):
    nodes = NodeSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "name_en",
            "subject",
            "stage",
            "year",
            "description",
            "status",
            "grading",
            "grade_params",
            "review_round_id",
            "nodes",
            "version",
        ]
        read_only_fields = ["status", "review_round_id", "nodes", "version"]


class EntrySerializer(serializers.ModelSerializer):
    """A platform's entry (platform set, contract null) or a project's (contract set, platform null)."""

    platform_name = serializers.CharField(
        source="platform.name", read_only=True, allow_null=True, default=None
    )
    platform_name_en = serializers.CharField(
        source="platform.name_en",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="the platform's English name; empty where none is recorded",
    )
    name = serializers.CharField(source="subject_name_zh", read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "campaign", "platform", "platform_name", "platform_name_en", "contract", "name"]


class ResultSerializer(serializers.ModelSerializer):
    platform = serializers.IntegerField(source="entry.platform_id", allow_null=True)
    platform_name = serializers.CharField(source="entry.platform.name", allow_null=True, default=None)
    platform_name_en = serializers.CharField(
        source="entry.platform.name_en",
        allow_null=True,
        default=None,
        help_text="the platform's English name; empty where none is recorded",
    )
    contract = serializers.IntegerField(source="entry.contract_id", allow_null=True)
    name = serializers.CharField(source="entry.subject_name_zh")
    unit_name = serializers.CharField(source="entry.subject_unit.name")
    unit_name_en = serializers.CharField(
        source="entry.subject_unit.name_en", help_text="the unit's English name; empty where none is recorded"
    )

    class Meta:
        model = Result
        fields = [
            "entry",
            "platform",
            "platform_name",
            "platform_name_en",
            "contract",
            "name",
            "unit_name",
            "unit_name_en",
            "total",
            "rank",
            "grade",
        ]


class CampaignList(generics.ListCreateAPIView):
    permission_classes = [HasRole]
    write_roles = STAFF
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user).prefetch_related("nodes__parent")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.campaign_create(
            actor=self.request.user,
            name=d["name"],
            name_en=d.get("name_en", ""),
            year=d["year"],
            grading=d.get("grading", "thresholds"),
            grade_params=d.get("grade_params") or None,
            description=d.get("description", ""),
            subject=d.get("subject", Campaign.Subject.PLATFORM),
            stage=d.get("stage", ""),
        )


class CampaignDetail(generics.RetrieveAPIView):
    serializer_class = CampaignSerializer

    def get_object(self):
        return get_visible_or_404(
            Campaign, user=self.request.user, visible=permissions.can_view_campaign, pk=self.kwargs["pk"]
        )


class NodeCreate(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(request=NodeInSerializer, responses={201: NodeSerializer})
    def post(self, request, pk):
        c = get_object_or_404(Campaign, pk=pk)
        s = NodeInSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        d["parent"] = d.get("parent") or None
        node = services.node_add(actor=request.user, campaign=c, **d)
        return Response(NodeSerializer(node).data, status=201)


MAX_ID = 2**63 - 1  # a bigger number is no id of any row (and overflows the database's integer)


class EntriesInSerializer(serializers.Serializer):
    platforms = id_list(serializers.IntegerField(min_value=1, max_value=MAX_ID))


class EntriesSet(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(request=EntriesInSerializer, responses=EntrySerializer(many=True))
    def put(self, request, pk):
        c = get_object_or_404(Campaign, pk=pk)
        data = EntriesInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["platforms"]
        platforms = list(Platform.objects.filter(pk__in=ids))
        if len(platforms) != len(set(ids)):
            raise serializers.ValidationError({"platforms": ["有平台不存在。"]})
        entries = services.entries_set(actor=request.user, campaign=c, platforms=platforms)
        return Response(EntrySerializer(entries, many=True).data)


class ContractsInSerializer(serializers.Serializer):
    contracts = id_list(serializers.IntegerField(min_value=1, max_value=MAX_ID))


class ContractsSet(APIView):
    """The projects of a performance evaluation (draft only; each must fit the stage). Staff only."""

    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(request=ContractsInSerializer, responses=EntrySerializer(many=True))
    def put(self, request, pk):
        c = get_object_or_404(Campaign, pk=pk)
        data = ContractsInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["contracts"]
        contracts = list(Contract.objects.filter(pk__in=ids))
        if len(contracts) != len(set(ids)):
            raise serializers.ValidationError({"contracts": ["有项目不存在。"]})
        entries = services.contracts_set(actor=request.user, campaign=c, contracts=contracts)
        return Response(EntrySerializer(entries, many=True).data)


class CampaignAction(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(
        request=inline_serializer(
            "CampaignActionIn",
            {
                "confirm": ConfirmField(),
                "action": serializers.ChoiceField(
                    choices=["open", "review", "collect", "compute", "publish", "reopen"]
                ),
                "reason": serializers.CharField(required=False, max_length=REASON_MAX),
                "k": serializers.IntegerField(required=False),
                "missing": serializers.ChoiceField(choices=["grade", "leave_out"], required=False),
            },
        ),
        responses=CampaignSerializer,
    )
    def post(self, request, pk):
        c = get_object_or_404(Campaign, pk=pk)
        action = request.data.get("action", "")
        if action == "collect":
            services.campaign_collect(actor=request.user, campaign=c)
        elif action == "compute":
            services.campaign_compute(actor=request.user, campaign=c)
        elif action == "review":
            k = str(request.data.get("k") or 3)
            if not k.isdecimal() or not 1 <= int(k) <= 20:
                raise serializers.ValidationError({"k": ["每个平台的专家数应为 1–20 的整数。"]})
            services.campaign_review_start(actor=request.user, campaign=c, k=int(k))
        else:
            services.campaign_transition(
                actor=request.user,
                campaign=c,
                action=action,
                reason=free_text(request.data, "reason"),
                missing=str(request.data.get("missing", "")),
            )
        c.refresh_from_db()
        return Response(CampaignSerializer(c).data)


class ScoreInSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    node = serializers.CharField(max_length=IndicatorNode._meta.get_field("code").max_length)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    note = serializers.CharField(allow_blank=True, max_length=Score._meta.get_field("note").max_length)


class ScoreSet(APIView):
    """Staff correct one raw value by hand while collecting (a note saying why is required)."""

    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(
        request=ScoreInSerializer,
        responses=inline_serializer(
            "ScoreOut",
            {
                "entry": serializers.IntegerField(),
                "node": serializers.CharField(),
                "value": serializers.CharField(allow_null=True),
                "source": serializers.CharField(),
            },
        ),
    )
    def post(self, request, pk):
        c = get_object_or_404(Campaign, pk=pk)
        data = ScoreInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        entry = c.entries.filter(pk=d["entry"]).first()
        node = c.nodes.exclude(rule="group").filter(code=d["node"]).first()
        if entry is None or node is None:
            raise serializers.ValidationError({"entry": ["参评平台或指标不存在。"]})
        score = services.score_set(
            actor=request.user, entry=entry, node=node, value=d["value"], note=d["note"]
        )
        return Response(
            {
                "entry": entry.pk,
                "node": node.code,
                "value": None if score.value is None else str(score.value),
                "source": score.source,
            }
        )


class ResultList(generics.ListAPIView):
    """The latest results: for everyone once published, for staff and commissioners always."""

    serializer_class = ResultSerializer
    queryset = Result.objects.none()  # for the schema; get_queryset scopes the real one

    def get_queryset(self):
        c = get_visible_or_404(
            Campaign, user=self.request.user, visible=permissions.can_view_campaign, pk=self.kwargs["pk"]
        )
        if c.status != Campaign.Status.PUBLISHED and not permissions.can_view_internal(self.request.user, c):
            return Result.objects.none()
        return selectors.results(campaign=c)


class EntryList(generics.ListAPIView):
    """Entries the user may see: an expert only those they score (plus published campaigns)."""

    serializer_class = EntrySerializer

    def get_queryset(self):
        return (
            permissions.entries_visible_to(self.request.user)
            .select_related("platform", "contract")
            .order_by("campaign", "pk")
        )


class ComputationDetail(APIView):
    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.COMMISSIONER)

    @extend_schema(
        responses=inline_serializer(
            "ComputationOut",
            {
                "id": serializers.IntegerField(),
                "method": serializers.CharField(),
                "inputs": serializers.JSONField(),
                "outputs": serializers.JSONField(),
                "reproducible": serializers.BooleanField(),
            },
        )
    )
    def get(self, request, pk):
        comp = get_object_or_404(Computation, pk=pk)
        return Response(
            {
                "id": comp.pk,
                "method": comp.method,
                "inputs": comp.inputs,
                "outputs": comp.outputs,
                "reproducible": services.computation_verify(computation=comp),
            }
        )


urlpatterns = [
    path("campaigns/", CampaignList.as_view(), name="evaluation-campaigns"),
    path("campaigns/<int:pk>/", CampaignDetail.as_view(), name="evaluation-campaign"),
    path("campaigns/<int:pk>/nodes/", NodeCreate.as_view(), name="evaluation-nodes"),
    path("campaigns/<int:pk>/entries/", EntriesSet.as_view(), name="evaluation-entries-set"),
    path("campaigns/<int:pk>/contracts/", ContractsSet.as_view(), name="evaluation-contracts-set"),
    path("campaigns/<int:pk>/actions/", CampaignAction.as_view(), name="evaluation-action"),
    path("campaigns/<int:pk>/scores/", ScoreSet.as_view(), name="evaluation-score"),
    path("campaigns/<int:pk>/results/", ResultList.as_view(), name="evaluation-results"),
    path("entries/", EntryList.as_view(), name="evaluation-entries"),
    path("computations/<int:pk>/", ComputationDetail.as_view(), name="evaluation-computation"),
]
