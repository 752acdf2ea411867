"""Serializers of the challenges API."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from .. import permissions
from ..models import (
    Application,
    ApplicationMilestone,
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
        fields = ["name", "unit", "baseline", "target", "higher_is_better"]


class ChallengeSerializer(serializers.ModelSerializer):
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


class TechNeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "problem",
            "indicators_wanted",
            "cofund_budget",
            "industry",
            "urgency",
            "unit",
            "topic",
            "created_at",
        ]
        read_only_fields = ["unit", "topic", "created_at"]


class ChallengeTopicSerializer(serializers.ModelSerializer):
    needs = serializers.PrimaryKeyRelatedField(many=True, queryset=Need.objects.all(), required=False)

    class Meta:
        model = Topic
        fields = ["id", "title", "description", "industry", "track", "trl_baseline", "trl_target", "needs"]


class ApplicationMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationMilestone
        fields = ["seq", "title", "month", "tranche", "targets"]
        read_only_fields = ["seq"]


class ApplicationSerializer(serializers.ModelSerializer):
    milestones = ApplicationMilestoneSerializer(many=True, required=False)
    members = serializers.SerializerMethodField()

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
            "members",
        ]
        read_only_fields = [
            "unit",
            "leader",
            "status",
            "submitted_at",
            "formal_note",
            "review_score",
            "review_rank",
            "version",
        ]

    def get_members(self, obj) -> list[dict]:
        return [{"name": m.name, "title": m.title, "duty": m.duty} for m in obj.members.all()]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not permissions.can_see_review_result(request.user, instance):
            data["review_score"] = data["review_rank"] = None  # not until the results are released (#14.9)
        return data


class ProjectMilestoneValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.name")
    indicator_id = serializers.IntegerField()

    class Meta:
        model = MilestoneValue
        fields = ["indicator_id", "indicator", "target", "reported"]


class ProjectMilestoneSerializer(serializers.ModelSerializer):
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
        ]


class ContractIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractIndicator
        fields = ["id", "name", "unit", "baseline", "target", "higher_is_better"]


class ContractSerializer(serializers.ModelSerializer):
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

    class Meta:
        model = Result
        fields = [
            "id",
            "contract_code",
            "unit",
            "kind",
            "title",
            "identifier",
            "achieved_on",
            "is_stage_result",
            "transfers",
        ]


ActionSerializer = inline_serializer(
    "TransitionAction", {"action": serializers.CharField(), "reason": serializers.CharField(required=False)}
)


class ChangeRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeRequest
        fields = ["id", "contract", "kind", "reason", "payload", "status", "decision_note", "decided_at"]
        read_only_fields = ["contract", "status", "decision_note", "decided_at"]


class ResultCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Result
        fields = ["id", "kind", "title", "identifier", "achieved_on", "description", "is_stage_result"]


class TransferCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transfer
        fields = ["id", "kind", "counterparty", "amount", "transferred_on", "note"]
