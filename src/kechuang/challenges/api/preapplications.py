"""The pre-application stage (预申报, issue #18) through the API: a unit submits its pre-application to a
list whose version has the stage (answers by the keys of the stage's form version), reads its status and
staff's reason; staff read a list's pre-applications and shortlist each (invite or decline with a reason).
Thin views: the role and the object checked as on the pages, the same services (audited, one transaction)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.api import FORM_JSON_MAX, REASON_MAX, ConfirmField, free_text
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.permissions import HasRole, get_visible_or_404, refuse_unless
from kechuang.core.roles import Role, has_role

from .. import permissions, programme, selectors, services
from ..models import PreApplication
from ..services.preapplications import MSG_NOT_PRE_APPLICANT


class PreApplicationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True)
    unit_en = serializers.CharField(
        source="unit.name_en",
        read_only=True,
        help_text="the unit's English name; empty where none is recorded",
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PreApplication
        fields = [
            "id",
            "challenge",
            "unit",
            "unit_en",
            "status",
            "status_label",
            "form_version",
            "values",
            "submitted_at",
            "decision_note",
            "decided_at",
        ]
        read_only_fields = fields


def _list_with_stage(request, pk):
    ch = get_visible_or_404(selectors.challenge_get, pk=pk, user=request.user)
    if not programme.runs_pre_application(ch):
        raise ApplicationError(_("本榜单没有预申报环节。"), code="no_pre_application_stage", status=404)
    return ch


class ChallengePreApplications(APIView):
    """GET: staff see the list's submitted pre-applications; a unit user sees their unit's own (a list of at
    most one). POST (a unit user): submit the unit's pre-application, `values` by the keys of the stage's
    form version; refused in words outside the stage's dates, for an ineligible unit, or with a field's
    reason."""

    json_body_max = FORM_JSON_MAX  # a programme form's answers (core.limits)

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PreApplicationSerializer(many=True))
    def get(self, request, pk):
        ch = _list_with_stage(request, pk)
        if has_role(request.user, Role.STAFF):
            rows = list(selectors.pre_applications(ch))
        elif has_role(request.user, Role.APPLICANT) and request.user.unit_id:
            own = selectors.pre_application_of(ch, request.user.unit_id)
            rows = [own] if own else []
        else:
            raise PermissionDenied(_("只有科技厅工作人员和申报单位可以查看预申报。"))
        return Response(PreApplicationSerializer(rows, many=True).data)

    @extend_schema(
        request=inline_serializer(
            "PreApplicationSubmit", {"values": serializers.DictField(), "confirm": ConfirmField()}
        ),
        responses={201: PreApplicationSerializer},
    )
    def post(self, request, pk):
        ch = _list_with_stage(request, pk)
        refuse_unless(permissions.can_pre_apply(request.user, ch), MSG_NOT_PRE_APPLICANT)
        values = request.data.get("values") if isinstance(request.data, dict) else None
        if not isinstance(values, dict):
            msg = _("请按预申报表的字段标识填写 values。")
            raise ApplicationError(msg, code="bad_input", fields={"values": [msg]})
        pre = services.pre_application_submit(actor=request.user, challenge=ch, values=values)
        return Response(PreApplicationSerializer(pre).data, status=201)


class PreApplicationShortlist(APIView):
    """Staff: invite the pre-application's unit to the formal application, or decline it with `reason`."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        request=inline_serializer(
            "PreApplicationShortlist",
            {
                "confirm": ConfirmField(),
                "action": serializers.ChoiceField(choices=["invite", "decline"]),
                "reason": serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX),
            },
        ),
        responses=PreApplicationSerializer,
    )
    def post(self, request, pk):
        pre = get_object_or_404(PreApplication.objects.select_related("challenge", "leader"), pk=pk)
        action = request.data.get("action") if isinstance(request.data, dict) else None
        if action not in ("invite", "decline"):
            msg = _("请选择邀请正式申报（invite）或不予邀请（decline）。")
            raise ApplicationError(msg, code="bad_input", fields={"action": [msg]})
        if not permissions.can_shortlist(request.user, pre.challenge):
            raise PermissionDenied(_("只有科技厅工作人员可以遴选预申报。"))
        pre = services.pre_application_shortlist(
            actor=request.user,
            pre_application=pre,
            invite=action == "invite",
            reason=free_text(request.data, "reason"),
        )
        return Response(PreApplicationSerializer(pre).data)
