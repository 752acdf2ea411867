"""Serializers of the challenges API."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from kechuang.accounts.models import Unit
from kechuang.core.api import (
    ACTION_MAX,
    REASON_MAX,
    BoundedTextSerializer,
    ConfirmField,
    DisciplineNamesField,
    RelatedIds,
    discipline_codes,
)

from .. import permissions
from ..models import (
    Application,
    ApplicationMilestone,
    ApplicationPartner,
    Challenge,
    ChallengeIndicator,
    ChangeRequest,
    Contract,
    ContractIndicator,
    Milestone,
    MilestoneValue,
    Need,
    Result,
    Topic,
    Transfer,
)

# Serializers ---------------------------------------------------------------------------------------------


class ChallengeIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChallengeIndicator
        fields = ["name", "name_en", "unit", "unit_en", "baseline", "target", "higher_is_better"]


class ChallengeSerializer(BoundedTextSerializer):
    indicators = ChallengeIndicatorSerializer(many=True)
    topic_title = serializers.CharField(source="topic.title", read_only=True)
    track = serializers.CharField(source="topic.track", read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "code",
            "year",
            "topic",
            "topic_title",
            "track",
            "title",
            "title_en",
            "problem",
            "goal",
            "budget_ceiling",
            "cofunder",
            "cofund_share",
            "ip_terms",
            "duration_months",
            "eligibility",
            "unit_kinds",
            "max_active_per_leader",
            "deadline",
            "max_winners",
            "downselect_on",
            "criteria",
            "status",
            "published_at",
            "version",
            "indicators",
        ]
        read_only_fields = ["status", "published_at", "version"]


class TechNeedSerializer(BoundedTextSerializer):
    industry_label = serializers.CharField(read_only=True, help_text="The industry in the reader's language.")

    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "problem",
            "indicators_wanted",
            "cofund_budget",
            "industry",
            "industry_label",
            "urgency",
            "unit",
            "topic",
            "created_at",
        ]
        read_only_fields = ["unit", "topic", "created_at"]


class ChallengeTopicSerializer(BoundedTextSerializer):
    industry_label = serializers.CharField(read_only=True, help_text="The industry in the reader's language.")
    needs = RelatedIds(many=True, queryset=Need.objects.all(), required=False)

    class Meta:
        model = Topic
        fields = [
            "id",
            "title",
            "description",
            "industry",
            "industry_label",
            "track",
            "trl_baseline",
            "trl_target",
            "needs",
        ]


class ApplicationMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationMilestone
        fields = ["seq", "title", "month", "tranche", "targets"]
        read_only_fields = ["seq"]


class ApplicationPartnerSerializer(serializers.ModelSerializer):
    """A partner unit of a joint application (联合揭榜); the application's own unit is the lead."""

    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True),
        error_messages={"does_not_exist": "没有编号为 {pk_value} 的有效注册单位。"},
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_name_en = serializers.CharField(
        source="unit.name_en",
        read_only=True,
        help_text="the unit's English name; empty where none is recorded",
    )
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = ApplicationPartner
        fields = ["seq", "unit", "unit_name", "unit_name_en", "role", "role_label", "duty", "budget"]
        read_only_fields = ["seq"]


def check_partners(partners, lead_unit_id) -> list:
    """Refuse a partner list naming a unit twice or naming the lead unit (400 with the reason)."""
    units = [p["unit"].pk for p in partners]
    if len(set(units)) != len(units):
        raise serializers.ValidationError("同一合作单位只能填一次。")
    if lead_unit_id and lead_unit_id in units:
        raise serializers.ValidationError("申请单位是牵头单位，不能同时作为合作单位。")
    return partners


class ApplicationMemberSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    duty = serializers.CharField(read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    unit_name_en = serializers.CharField(
        source="unit.name_en",
        read_only=True,
        default="",
        help_text="the unit's English name; empty where none is recorded",
    )


class ApplicationSerializer(BoundedTextSerializer):
    hidden_from_some = ("review_score", "review_rank")  # blanked below: no sort key either (core.api)
    milestones = ApplicationMilestoneSerializer(many=True, required=False)
    partners = ApplicationPartnerSerializer(many=True, required=False)
    members = ApplicationMemberSerializer(many=True, read_only=True)
    discipline_names = DisciplineNamesField()

    class Meta:
        model = Application
        fields = [
            "id",
            "challenge",
            "unit",
            "leader",
            "title",
            "plan",
            "keywords",
            "disciplines",
            "discipline_names",
            "budget_requested",
            "budget_self",
            "avoid_names",
            "status",
            "submitted_at",
            "formal_note",
            "review_score",
            "review_rank",
            "version",
            "milestones",
            "partners",
            "members",
            "form_version",
            "extra",
        ]
        read_only_fields = [
            "unit",
            "leader",
            "form_version",
            "extra",
            "status",
            "submitted_at",
            "formal_note",
            "review_score",
            "review_rank",
            "version",
        ]

    def validate_disciplines(self, value):
        return ", ".join(discipline_codes(value))

    def validate_partners(self, partners):
        request = self.context.get("request")
        lead = (
            self.instance.unit_id
            if self.instance
            else getattr(getattr(request, "user", None), "unit_id", None)
        )
        return check_partners(partners, lead)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not permissions.can_see_review_result(request.user, instance):
            data["review_score"] = data["review_rank"] = None  # not until the results are released (#14.9)
        for m in data.get("members") or []:
            if m["unit"] is None:  # a member without a unit belongs to the lead (the applicant) unit
                m["unit"], m["unit_name"] = instance.unit_id, instance.unit.name
                m["unit_name_en"] = instance.unit.name_en
        return data


class ProjectMilestoneValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.name", read_only=True)
    indicator_id = serializers.IntegerField()

    class Meta:
        model = MilestoneValue
        fields = ["indicator_id", "indicator", "target", "reported"]


class ProjectMilestoneSerializer(BoundedTextSerializer):
    values = ProjectMilestoneValueSerializer(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "seq",
            "title",
            "due_date",
            "tranche",
            "status",
            "flag",
            "report",
            "reported_at",
            "verified_at",
            "values",
            "form_version",
            "extra",
        ]


class ContractIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractIndicator
        fields = ["id", "name", "name_en", "unit", "unit_en", "baseline", "target", "higher_is_better"]


class ContractSerializer(BoundedTextSerializer):
    indicators = ContractIndicatorSerializer(many=True, read_only=True)
    milestones = ProjectMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "code",
            "challenge",
            "application",
            "unit",
            "leader",
            "commissioner",
            "title",
            "start_date",
            "end_date",
            "budget",
            "budget_self",
            "team",
            "status",
            "signed_at",
            "version",
            "indicators",
            "milestones",
        ]


class ResultTransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transfer
        fields = ["kind", "counterparty", "amount", "transferred_on"]


class ProjectResultSerializer(serializers.ModelSerializer):
    transfers = ResultTransferSerializer(many=True, read_only=True)
    contract_code = serializers.CharField(source="contract.code", read_only=True)
    unit = serializers.CharField(source="contract.unit.name", read_only=True)
    unit_en = serializers.CharField(
        source="contract.unit.name_en",
        read_only=True,
        help_text="the unit's English name; empty where none is recorded",
    )

    class Meta:
        model = Result
        fields = [
            "id",
            "contract_code",
            "unit",
            "unit_en",
            "kind",
            "title",
            "identifier",
            "achieved_on",
            "is_stage_result",
            "transfers",
        ]


class PartnersWriteSerializer(serializers.Serializer):
    """The whole partner list of a joint application, in order (replaces the one stored)."""

    partners = ApplicationPartnerSerializer(many=True)


ActionSerializer = inline_serializer(
    "TransitionAction",
    {
        "confirm": ConfirmField(),
        "action": serializers.CharField(max_length=ACTION_MAX),
        "reason": serializers.CharField(required=False, max_length=REASON_MAX),
    },
)


class ChangeRequestSerializer(BoundedTextSerializer):
    class Meta:
        model = ChangeRequest
        fields = ["id", "contract", "kind", "reason", "payload", "status", "decision_note", "decided_at"]
        read_only_fields = ["contract", "status", "decision_note", "decided_at"]
        extra_kwargs = {"reason": {"max_length": REASON_MAX}}


class ResultCreateSerializer(BoundedTextSerializer):
    class Meta:
        model = Result
        fields = ["id", "kind", "title", "identifier", "achieved_on", "description", "is_stage_result"]


class TransferCreateSerializer(BoundedTextSerializer):
    class Meta:
        model = Transfer
        fields = ["id", "kind", "counterparty", "amount", "transferred_on", "note"]
        text_bounds = {"note": REASON_MAX}  # as TransferForm's
