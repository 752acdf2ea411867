"""The performance evaluation (绩效评价, issue #18) of a project through the API: read it (whoever sees the
project), save the draft or submit it (the project's commissioner or staff, after acceptance), confirm it or
send it back (staff). Thin: the same services as the page (permission, workflow, audit, one transaction)."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.api import REASON_MAX, ConfirmField
from kechuang.core.exceptions import ApplicationError
from kechuang.core.permissions import get_visible_or_404

from .. import permissions, services
from ..models import PerformanceEvaluation


class PerformanceSerializer(serializers.ModelSerializer):
    """`values`: the answers of the performance form version (`form_version`) by field key; a file field's
    answer is {"name", "file"} (uploaded on the web page)."""

    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PerformanceEvaluation
        fields = [
            "id",
            "contract",
            "grade",
            "grade_label",
            "status",
            "status_label",
            "form_version",
            "values",
            "submitted_at",
            "confirmed_at",
            "note",
        ]
        read_only_fields = fields


class PerformanceWriteSerializer(serializers.Serializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    action = serializers.ChoiceField(
        choices=[
            ("save", _("保存草稿")),
            ("submit", _("提交绩效评价")),
            ("confirm", _("确认绩效评价")),
            ("send_back", _("退回绩效评价")),
        ]
    )
    grade = serializers.ChoiceField(
        choices=[("", "")] + list(PerformanceEvaluation.Grade.choices), required=False, allow_blank=True
    )
    values = serializers.DictField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX)


class ContractPerformance(APIView):
    """GET: the project's performance evaluation (404 when none yet). POST `action`: `save` the draft with
    `grade` and `values` (by the form's keys), `submit` (saves what is sent, then submits; refused before
    acceptance, without a grade or with a required field empty), `confirm` or `send_back` with `reason`
    (staff)."""

    permission_classes = [IsAuthenticated]

    def _contract(self, request, pk):
        return get_visible_or_404(permissions.contracts_visible_to(request.user), user=request.user, pk=pk)

    @extend_schema(responses=PerformanceSerializer)
    def get(self, request, pk):
        c = self._contract(request, pk)
        ev = PerformanceEvaluation.objects.filter(contract=c).first()
        if ev is None:
            raise ApplicationError(
                services.why_no_performance(request.user, c) or _("本项目尚未填写绩效评价。"),
                code="not_found",
                status=404,
            )
        return Response(PerformanceSerializer(ev).data)

    @extend_schema(request=PerformanceWriteSerializer, responses=PerformanceSerializer)
    def post(self, request, pk):
        c = self._contract(request, pk)
        ser = PerformanceWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        action = d["action"]
        if action in ("save", "submit"):
            with transaction.atomic():  # a refused submission keeps nothing of what was sent
                ev = services.performance_save(
                    actor=request.user, contract=c, grade=d.get("grade", ""), values=d.get("values")
                )
                if action == "submit":
                    services.performance_submit(actor=request.user, evaluation=ev)
        else:
            ev = PerformanceEvaluation.objects.filter(contract=c).first()
            if ev is None:
                raise ApplicationError(_("本项目尚未填写绩效评价。"), code="not_found", status=404)
            services.performance_confirm(
                actor=request.user,
                evaluation=ev,
                confirm=action == "confirm",
                reason=d.get("reason", ""),
            )
        ev.refresh_from_db()
        return Response(PerformanceSerializer(ev).data)
