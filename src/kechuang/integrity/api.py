"""The integrity API (staff only): list and record findings, read one, and record an appeal or its outcome.
The same services and checks as the pages; refusals in the one error body."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.accounts.models import Unit, User
from kechuang.core.api import REASON_MAX, BoundedTextSerializer, ConfirmField
from kechuang.core.permissions import HasRole
from kechuang.core.roles import Role

from . import selectors, services
from .models import Record
from .workflow import RECORD


class RecordSerializer(BoundedTextSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_name_en = serializers.CharField(
        source="unit.name_en",
        read_only=True,
        help_text="the unit's English name; empty where none is recorded",
    )
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    restrictions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Record
        fields = [
            "id",
            "subject_kind",
            "unit",
            "unit_name",
            "unit_name_en",
            "person_name",
            "person",
            "source",
            "finding",
            "decision",
            "decided_on",
            "bars_applying",
            "bars_expert_work",
            "bars_awards",
            "restrictions",
            "starts_on",
            "ends_on",
            "status",
            "appeal_outcome",
            "appeal_grounds",
            "appeal_lodged_on",
            "appeal_note",
            "appeal_decided_on",
        ]
        text_bounds = {"finding": REASON_MAX}  # as RecordForm's
        read_only_fields = [
            "id",
            "unit_name",
            "unit_name_en",
            "restrictions",
            "status",
            "appeal_outcome",
            "appeal_grounds",
            "appeal_lodged_on",
            "appeal_note",
            "appeal_decided_on",
        ]
        # The model's checks are the service's: its refusal names every field at fault.
        validators = []


class RecordList(generics.ListCreateAPIView):
    """Integrity records (staff): GET lists (`q`, `status`, `current=1`); POST records a finding."""

    serializer_class = RecordSerializer
    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.record_list(
            q=p.get("q", ""), status=p.get("status", ""), current=p.get("current") == "1"
        )

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        record = services.record_create(actor=request.user, **ser.validated_data)
        return Response(RecordSerializer(record).data, status=status.HTTP_201_CREATED)


class RecordDetail(generics.RetrieveAPIView):
    serializer_class = RecordSerializer
    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)
    queryset = Record.objects.select_related("unit")


class TransitionSerializer(serializers.Serializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    action = serializers.ChoiceField(choices=sorted(RECORD.transitions))
    reason = serializers.CharField(allow_blank=True, default="", max_length=REASON_MAX)
    on = serializers.DateField(required=False, allow_null=True)


class RecordTransition(APIView):
    """Record an appeal (`appeal`, the grounds as `reason`), its outcome (`dismiss`, `grant`) or a revocation
    (`revoke`). Staff; 409 with every reason when the record's state refuses it."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)

    @extend_schema(request=TransitionSerializer, responses=RecordSerializer)
    def post(self, request, pk):
        record = get_object_or_404(Record, pk=pk)
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.record_transition(actor=request.user, record=record, **ser.validated_data)
        record.refresh_from_db()
        return Response(RecordSerializer(record).data)


urlpatterns = [
    path("records/", RecordList.as_view(), name="integrity-record-list"),
    path("records/<int:pk>/", RecordDetail.as_view(), name="integrity-record-detail"),
    path("records/<int:pk>/transition/", RecordTransition.as_view(), name="integrity-record-transition"),
]
