"""The duplicate check's API (staff): an application's pairs, and the decision on a pair."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.api import REASON_MAX
from kechuang.core.permissions import HasRole
from kechuang.core.roles import Role

from .. import services
from ..models import Application, DuplicatePair
from ..views.dedup import pairs_of
from ..workflow_dedup import DUPLICATE


class DuplicatePairSerializer(serializers.ModelSerializer):
    left_title = serializers.CharField(source="left.title", read_only=True)
    right_title = serializers.CharField(source="right.title", read_only=True)

    class Meta:
        model = DuplicatePair
        fields = [
            "id",
            "left",
            "left_title",
            "right",
            "right_title",
            "text_score",
            "people_score",
            "shared_people",
            "status",
            "note",
            "decided_at",
        ]
        read_only_fields = fields


class DecideSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(DUPLICATE.transitions))
    note = serializers.CharField(allow_blank=True, default="", max_length=REASON_MAX)


class ApplicationDuplicates(APIView):
    """The pairs the duplicate check found for an application, best first (staff)."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=DuplicatePairSerializer(many=True))
    def get(self, request, pk):
        app = get_object_or_404(Application, pk=pk)
        return Response(DuplicatePairSerializer(pairs_of(app), many=True).data)


class DuplicateDecide(APIView):
    """Record the decision on a pair: clear, confirm or reopen, with a note (staff; 409 with the reason)."""

    permission_classes = [IsAuthenticated, HasRole]
    roles = (Role.STAFF,)

    @extend_schema(request=DecideSerializer, responses=DuplicatePairSerializer)
    def post(self, request, pk):
        pair = get_object_or_404(DuplicatePair, pk=pk)
        ser = DecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        pair = services.duplicate_decide(actor=request.user, pair=pair, **ser.validated_data)
        return Response(DuplicatePairSerializer(pair).data)
