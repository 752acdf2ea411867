"""JSON API of programmes as data: a submission's values by the fields' stable keys (with its version's
fields), and a programme version as its definition document (docs/programmes.md). Read-only."""

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.api import ACTION_MAX, REASON_MAX, id_list
from kechuang.core.permissions import HasRole, refuse_unless
from kechuang.core.roles import Role, has_role

from . import filefields, permissions, selectors, services, transfer, workflow
from .models import Call, Objection, ProgrammeVersion, Submission


class FieldOut(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    label_en = serializers.CharField(help_text="the label's English form ('' when staff gave none)")
    required = serializers.BooleanField()


class ObjectionAgainstOut(serializers.Serializer):
    """A 公示 objection against the submission, as its applicant sees it on the page: never its objector."""

    id = serializers.IntegerField()
    reason = serializers.CharField()
    file = serializers.CharField(help_text="the evidence file's name ('' when none)")
    file_url = serializers.CharField(help_text="where the applicant fetches the file ('' when none)")
    status = serializers.CharField(help_text="open, upheld, dismissed or withdrawn (by the objector)")
    status_label = serializers.CharField()
    answer = serializers.CharField(help_text="staff's answer ('' until answered)")
    lodged_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class SubmissionOut(serializers.Serializer):
    id = serializers.IntegerField()
    form = serializers.CharField()
    version = serializers.IntegerField()
    call = serializers.IntegerField(allow_null=True)
    stage = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    fields = FieldOut(many=True)
    values = serializers.DictField(help_text="The values by the fields' stable keys (docs/programmes.md).")
    objections = ObjectionAgainstOut(
        many=True, help_text="the objections lodged against it at a 公示 (as on its page: never the objector)"
    )


def _objection_against(o) -> dict:
    file = (o.evidence or {}).get("file") or {}
    return {
        "id": o.pk,
        "reason": o.reason,
        "file": file.get("name", ""),
        "file_url": reverse("programmes:objection-file", args=[o.call_id, o.pk]) if file else "",
        "status": o.status,
        "status_label": str(o.get_status_display()),
        "answer": o.answer,
        "lodged_at": o.created_at,
        "answered_at": o.answered_at,
    }


class SubmissionDetail(APIView):
    """A submission: its values by stable key, with the fields of the version it was made with, and the
    objections lodged against it at a 公示 (reason, file, outcome and staff's answer; never the objector)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.APPLICANT)

    @extend_schema(responses=SubmissionOut)
    def get(self, request, pk):
        sub = Submission.objects.select_related("version__definition").filter(pk=pk).first()
        if sub is None or not permissions.can_view_submission(request.user, sub):
            raise NotFound()
        fields = [
            {
                "key": f["key"],
                "kind": f["kind"],
                "label": f.get("label", ""),
                "label_en": f.get("label_en", ""),
                "required": bool(f.get("required")),
            }
            for f in sub.version.fields
        ]
        return Response(
            SubmissionOut(
                {
                    "id": sub.pk,
                    "form": sub.version.definition.name,
                    "version": sub.version.number,
                    "call": sub.call_id,
                    "stage": sub.stage_key,
                    "submitted_at": sub.created_at,
                    "fields": fields,
                    "values": sub.data,
                    "objections": [_objection_against(o) for o in selectors.objections_against(sub)],
                }
            ).data
        )


class DefinitionOut(serializers.Serializer):
    format = serializers.CharField()
    format_version = serializers.IntegerField()
    programme = serializers.DictField()
    version = serializers.DictField()
    forms = serializers.ListField(child=serializers.DictField())
    stages = serializers.ListField(child=serializers.DictField())


class ProgrammeVersionDefinition(APIView):
    """A programme version as its definition document (the export file)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=DefinitionOut)
    def get(self, request, pk):
        version = ProgrammeVersion.objects.select_related("programme").filter(pk=pk).first()
        if version is None:
            raise NotFound()
        return Response(transfer.export_version(version))


class ChecklistOut(serializers.Serializer):
    rule = serializers.CharField()
    ok = serializers.BooleanField(
        allow_null=True, help_text="true met, false not met, null: left to the checker"
    )
    words = serializers.CharField()


class FormalRowOut(serializers.Serializer):
    submission = serializers.IntegerField()
    title = serializers.CharField()
    applicant = serializers.CharField()
    status = serializers.CharField(help_text="pending, passed, returned or failed")
    reason = serializers.CharField()
    correct_by = serializers.DateField(allow_null=True)
    checklist = ChecklistOut(many=True)
    meets_all = serializers.BooleanField()


class FormalIn(serializers.Serializer):
    action = serializers.CharField(
        max_length=ACTION_MAX, help_text="pass, return (reason and correct_by) or fail (reason)"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)
    correct_by = serializers.DateField(required=False, allow_null=True, default=None)


class FormalBatchIn(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="true: pass every pending application meeting every rule")


class MyFormalOut(serializers.Serializer):
    submission = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField()
    correct_by = serializers.DateField(allow_null=True)
    can_correct = serializers.BooleanField()
    why = serializers.CharField(help_text="why the applicant cannot correct now ('' when they can)")


def _call_at(pk, stage_of):
    """The call and its stage of one kind (`stage_of`, a selector), or 404: no such call, or none of that stage."""
    call = Call.objects.select_related("version").filter(pk=pk).first()
    stage = stage_of(call) if call else None
    if stage is None:
        raise NotFound()
    return call, stage


def _record_row(r, record: str = "decision", **more) -> dict:
    """An application's row in a list of its records (形式审查, 立项, 入围, 预申报遴选): the application, its
    applicant, the status and the record's reason (`record`: the row's key of the record; none yet: '')."""
    d = r[record]
    return {
        "submission": r["submission"].pk,
        "title": r["submission"].title,
        "applicant": str(r["submission"].submitted_by),
        "status": r["status"],
        "reason": d.reason if d else "",
        **more,
    }


def _mine(mine, record: str = "decision", **more) -> dict:
    """What an applicant's own record says (the `applicant_*` selectors' dict): status, its label, the
    reason (none yet: '') and why there is no outcome or what it means."""
    d = mine[record]
    return {
        "submission": mine["submission"].pk,
        "status": mine["status"],
        "status_label": str(mine["status_label"]),
        "reason": d.reason if d else "",
        "why": str(mine["why"]),
        **more,
    }


def _confirm_missing(message: str) -> Response:
    return Response({"error": {"code": "confirm", "message": message, "fields": {}}}, status=400)


def _record_post(request, *, call, stage, sub_pk, data_in, decide, rows, row, out, confirm="", **where):
    """Decide one application's record (staff): the call's application (`where`: further filters) or 404,
    the input checked, the decision confirmed when it is final (`confirm`: the message without it, 400), then
    the service `decide` (with the input but its confirmation) and the application's row as its list (`rows`)
    now reads it."""
    sub = Submission.objects.filter(pk=sub_pk, call=call, **where).first()
    if sub is None:
        raise NotFound()
    data = data_in(data=request.data)
    data.is_valid(raise_exception=True)
    if confirm and not data.validated_data["confirm"]:
        return _confirm_missing(confirm)
    decide(
        actor=request.user,
        call=call,
        submission=sub,
        **{k: v for k, v in data.validated_data.items() if k != "confirm"},
    )
    found = next(r for r in rows(call, stage) if r["submission"].pk == sub.pk)
    return Response(out(row(found)).data)


def _formal_call(pk):
    return _call_at(pk, selectors.formal_stage)


def _row(r) -> dict:
    return _record_row(
        r,
        "check",
        correct_by=r["check"].correct_by if r["check"] else None,
        checklist=[{"rule": c.rule, "ok": c.ok, "words": c.words} for c in r["checklist"]],
        meets_all=r["meets_all"],
    )


class FormalList(APIView):
    """A call's formal check (staff): every formal application with its outcome and its checklist. POST:
    batch pass of the pending ones meeting every rule (`confirm`: true)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=FormalRowOut(many=True))
    def get(self, request, pk):
        call, stage = _formal_call(pk)
        return Response(FormalRowOut([_row(r) for r in selectors.formal_rows(call, stage)], many=True).data)

    @extend_schema(request=FormalBatchIn, responses=FormalRowOut(many=True))
    def post(self, request, pk):
        call, stage = _formal_call(pk)
        data = FormalBatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            return _confirm_missing("请确认批量通过。")
        services.formal_check_batch_pass(actor=request.user, call=call)
        return Response(FormalRowOut([_row(r) for r in selectors.formal_rows(call, stage)], many=True).data)


class FormalRecord(APIView):
    """Record one formal application's outcome (staff): pass, return for correction, fail."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(operation_id="programmes_calls_formal_record", request=FormalIn, responses=FormalRowOut)
    def post(self, request, pk, sub_pk):
        call, stage = _formal_call(pk)
        return _record_post(
            request,
            call=call,
            stage=stage,
            sub_pk=sub_pk,
            data_in=FormalIn,
            decide=services.formal_check_record,
            rows=selectors.formal_rows,
            row=_row,
            out=FormalRowOut,
        )


class MyFormal(APIView):
    """The applicant's own formal application's outcome in a call, and whether they can correct it."""

    permission_classes = [HasRole]
    roles = (Role.APPLICANT,)

    @extend_schema(responses=MyFormalOut)
    def get(self, request, pk):
        call, _stage = _formal_call(pk)
        mine = selectors.applicant_formal(call, request.user)
        if mine is None:
            raise NotFound()
        check = mine["check"]
        return Response(
            MyFormalOut(
                _mine(
                    mine,
                    "check",
                    correct_by=check.correct_by if check else None,
                    can_correct=mine["can_correct"],
                )
            ).data
        )


class AwardRowOut(serializers.Serializer):
    submission = serializers.IntegerField()
    title = serializers.CharField()
    applicant = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True, help_text="place in the last expert review's ranking")
    mean = serializers.FloatField(allow_null=True)
    status = serializers.CharField(help_text="pending, awarded or rejected")
    reason = serializers.CharField()


class AwardIn(serializers.Serializer):
    action = serializers.CharField(max_length=ACTION_MAX, help_text="award, or reject (reason)")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)
    confirm = serializers.BooleanField(help_text="true: the decision is final")


class MyAwardOut(serializers.Serializer):
    submission = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField()
    why = serializers.CharField(help_text="why there is no decision yet ('' once decided)")


def _decision_call(pk):
    return _call_at(pk, selectors.decision_stage)


def _award_row(r) -> dict:
    return _record_row(r, rank=r["rank"], mean=r["mean"])


class AwardList(APIView):
    """A call's decision per application (staff): each application that went through the checks, by its
    place in the last expert review's ranking, with its decision."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=AwardRowOut(many=True))
    def get(self, request, pk):
        call, stage = _decision_call(pk)
        return Response(
            AwardRowOut([_award_row(r) for r in selectors.award_rows(call, stage)], many=True).data
        )


class AwardRecord(APIView):
    """Decide one application (staff): award, or reject with a reason; final (`confirm`: true)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(request=AwardIn, responses=AwardRowOut)
    def post(self, request, pk, sub_pk):
        call, stage = _decision_call(pk)
        return _record_post(
            request,
            call=call,
            stage=stage,
            sub_pk=sub_pk,
            data_in=AwardIn,
            confirm="请确认立项决定。",
            decide=services.award_decide,
            rows=selectors.award_rows,
            row=_award_row,
            out=AwardRowOut,
        )


class MyAward(APIView):
    """The decision on the applicant's own formal application in a call, or why there is none yet."""

    permission_classes = [HasRole]
    roles = (Role.APPLICANT,)

    @extend_schema(responses=MyAwardOut)
    def get(self, request, pk):
        call, _stage = _decision_call(pk)
        mine = selectors.applicant_award(call, request.user)
        if mine is None:
            raise NotFound()
        return Response(MyAwardOut(_mine(mine)).data)


class ShortlistRowOut(serializers.Serializer):
    submission = serializers.IntegerField()
    title = serializers.CharField()
    applicant = serializers.CharField()
    rank = serializers.IntegerField(
        allow_null=True, help_text="place in the ranking of the review before the 答辩"
    )
    mean = serializers.FloatField(allow_null=True)
    status = serializers.CharField(help_text="pending, shortlisted or not_shortlisted")
    reason = serializers.CharField()


class ShortlistIn(serializers.Serializer):
    action = serializers.CharField(max_length=ACTION_MAX, help_text="shortlist, or exclude (reason)")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)
    confirm = serializers.BooleanField(help_text="true: the outcome is final")


class ShortlistBatchIn(serializers.Serializer):
    shortlisted = id_list(help_text="submission ids that go on; every other undecided one does not")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="why the others are not shortlisted",
        max_length=REASON_MAX,
    )
    confirm = serializers.BooleanField(help_text="true: the shortlist is final")


class MyShortlistOut(serializers.Serializer):
    submission = serializers.IntegerField()
    stage = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField()
    why = serializers.CharField(help_text="why there is no outcome yet ('' once decided)")


def _shortlist_call(pk):
    return _call_at(pk, selectors.shortlist_stage)


_shortlist_row = _award_row  # the same row: an application with its ranking, its status and reason


class ShortlistList(APIView):
    """A call's 答辩 shortlist (staff): the applications it chooses from, by their place in the 函评 ranking,
    with their outcome. POST: confirm the shortlist at once (`shortlisted`: those that go on; every other
    undecided one not, with `reason`; `confirm`: true)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=ShortlistRowOut(many=True))
    def get(self, request, pk):
        call, stage = _shortlist_call(pk)
        rows = selectors.shortlist_rows(call, stage)
        return Response(ShortlistRowOut([_shortlist_row(r) for r in rows], many=True).data)

    @extend_schema(
        operation_id="programmes_calls_shortlist_batch",
        request=ShortlistBatchIn,
        responses=ShortlistRowOut(many=True),
    )
    def post(self, request, pk):
        call, stage = _shortlist_call(pk)
        data = ShortlistBatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            return _confirm_missing("请确认入围名单。")
        services.shortlist_batch(
            actor=request.user,
            call=call,
            shortlisted=data.validated_data["shortlisted"],
            reason=data.validated_data["reason"],
        )
        rows = selectors.shortlist_rows(call, stage)
        return Response(ShortlistRowOut([_shortlist_row(r) for r in rows], many=True).data)


class ShortlistRecord(APIView):
    """Decide one application's place in the 答辩 (staff): shortlist, or exclude with a reason; final."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        operation_id="programmes_calls_shortlist_record", request=ShortlistIn, responses=ShortlistRowOut
    )
    def post(self, request, pk, sub_pk):
        call, stage = _shortlist_call(pk)
        return _record_post(
            request,
            call=call,
            stage=stage,
            sub_pk=sub_pk,
            data_in=ShortlistIn,
            confirm="请确认入围结果。",
            decide=services.shortlist_record,
            rows=selectors.shortlist_rows,
            row=_shortlist_row,
            out=ShortlistRowOut,
        )


class MyShortlist(APIView):
    """Whether the applicant's own application goes on to the 答辩, with the reason, or why not yet."""

    permission_classes = [HasRole]
    roles = (Role.APPLICANT,)

    @extend_schema(responses=MyShortlistOut)
    def get(self, request, pk):
        call, _stage = _shortlist_call(pk)
        mine = selectors.applicant_shortlist(call, request.user)
        if mine is None:
            raise NotFound()
        return Response(MyShortlistOut(_mine(mine, stage=workflow.stage_name(mine["stage"]))).data)


class InvitationRowOut(serializers.Serializer):
    submission = serializers.IntegerField()
    title = serializers.CharField()
    applicant = serializers.CharField()
    status = serializers.CharField(help_text="pending, invited or declined")
    reason = serializers.CharField()


class InvitationIn(serializers.Serializer):
    action = serializers.CharField(max_length=ACTION_MAX, help_text="invite, or decline (reason)")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)
    confirm = serializers.BooleanField(help_text="true: the outcome is final")


class InvitationBatchIn(serializers.Serializer):
    submissions = id_list(help_text="the pending pre-applications to invite")
    confirm = serializers.BooleanField(help_text="true: the invitations are final")


class MyInvitationOut(serializers.Serializer):
    submission = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField()
    why = serializers.CharField()


def _invitation_call(pk):
    return _call_at(pk, selectors.invitation_stage)


_invitation_row = _record_row


class InvitationList(APIView):
    """A call's 预申报 invitation (staff): every pre-application with its outcome. POST: invite the chosen
    pending ones (`confirm`: true)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(operation_id="programmes_calls_invitation_list", responses=InvitationRowOut(many=True))
    def get(self, request, pk):
        call, stage = _invitation_call(pk)
        rows = selectors.invitation_rows(call, stage)
        return Response(InvitationRowOut([_invitation_row(r) for r in rows], many=True).data)

    @extend_schema(
        operation_id="programmes_calls_invitation_batch_invite",
        request=InvitationBatchIn,
        responses=InvitationRowOut(many=True),
    )
    def post(self, request, pk):
        call, stage = _invitation_call(pk)
        data = InvitationBatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            return _confirm_missing("请确认批量邀请。")
        picked = set(data.validated_data["submissions"])
        chosen = [
            r["submission"] for r in selectors.invitation_rows(call, stage) if r["submission"].pk in picked
        ]
        if len(chosen) != len(picked):
            raise NotFound()
        services.invitation_batch_invite(actor=request.user, call=call, submissions=chosen)
        rows = selectors.invitation_rows(call, stage)
        return Response(InvitationRowOut([_invitation_row(r) for r in rows], many=True).data)


class InvitationRecord(APIView):
    """Decide one pre-application (staff): invite, or decline with a reason; final (`confirm`: true)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        operation_id="programmes_calls_invitation_record", request=InvitationIn, responses=InvitationRowOut
    )
    def post(self, request, pk, sub_pk):
        call, stage = _invitation_call(pk)
        return _record_post(
            request,
            call=call,
            stage=stage,
            sub_pk=sub_pk,
            stage_key=stage["key"],
            data_in=InvitationIn,
            confirm="请确认遴选结果。",
            decide=services.invitation_decide,
            rows=selectors.invitation_rows,
            row=_invitation_row,
            out=InvitationRowOut,
        )


class MyInvitation(APIView):
    """The outcome of the applicant's own pre-application in a call, and what it means for them."""

    permission_classes = [HasRole]
    roles = (Role.APPLICANT,)

    @extend_schema(operation_id="programmes_calls_invitation_mine", responses=MyInvitationOut)
    def get(self, request, pk):
        call, _stage = _invitation_call(pk)
        mine = selectors.applicant_invitation(call, request.user)
        if mine is None:
            raise NotFound()
        return Response(MyInvitationOut(_mine(mine)).data)


class PublicityRowOut(serializers.Serializer):
    submission = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    unit_en = serializers.CharField(help_text="the unit's English name; empty where none is recorded")
    applicant = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True, help_text="place in the last expert review's ranking")
    n_open = serializers.IntegerField()
    n_upheld = serializers.IntegerField(
        help_text="> 0: an objection was upheld, the application is not awarded"
    )
    n_dismissed = serializers.IntegerField()


class ObjectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    submission = serializers.IntegerField()
    title = serializers.CharField()
    reason = serializers.CharField()
    file = serializers.CharField(help_text="the file's name ('' when none)")
    status = serializers.CharField(help_text="open, upheld, dismissed or withdrawn (by the objector)")
    status_label = serializers.CharField()
    answer = serializers.CharField()
    lodged_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class StaffObjectionOut(ObjectionOut):
    lodged_by = serializers.CharField(help_text="the objector (real name): staff only")


class PublicityOut(serializers.Serializer):
    stage = serializers.CharField()
    current = serializers.BooleanField(help_text="the call stands at its publicity stage")
    closes_on = serializers.DateField(allow_null=True)
    why_not_lodge = serializers.CharField(help_text="why no objection is taken now ('' while it runs)")
    applications = PublicityRowOut(many=True)
    objections = StaffObjectionOut(many=True, help_text="every objection (staff; [] for others)")
    mine = ObjectionOut(many=True, help_text="the objections the caller lodged ([] for staff)")


class ObjectionIn(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=5000)
    file = serializers.FileField(
        required=False,
        help_text="optional evidence (multipart/form-data): PDF, Word, PNG or JPEG, at most 10 MB, checked as on the page",
    )
    confirm = serializers.BooleanField(help_text="true: lodged under the caller's real name")


class ObjectionWithdrawIn(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="true: withdrawn for good (staff see it withdrawn)")


class ObjectionAnswerIn(serializers.Serializer):
    action = serializers.CharField(
        max_length=ACTION_MAX, help_text="uphold (the application is not awarded) or dismiss"
    )
    reason = serializers.CharField(allow_blank=True, max_length=5000)
    confirm = serializers.BooleanField(help_text="true: the answer is final")


def _objection(o, *, staff: bool) -> dict:
    out = {
        "id": o.pk,
        "submission": o.submission_id,
        "title": o.submission.title,
        "reason": o.reason,
        "file": ((o.evidence or {}).get("file") or {}).get("name", ""),
        "status": o.status,
        "status_label": str(o.get_status_display()),
        "answer": o.answer,
        "lodged_at": o.created_at,
        "answered_at": o.answered_at,
    }
    if staff:
        out["lodged_by"] = str(o.lodged_by)
    return out


def _publicity_call(request, pk):
    call = Call.objects.select_related("version").filter(pk=pk).first()
    stage = selectors.publicity_stage(call) if call else None
    if stage is None or not (
        selectors.publicity_period(call, stage)["reached"] or permissions.can_build(request.user)
    ):
        raise NotFound()
    return call, stage


class Publicity(APIView):
    """A call's publicity list (公示): the applications that went through the checks, ranked, with the
    counts of objections against each; staff get every objection with its objector, others their own."""

    permission_classes = [HasRole]
    roles = permissions.PUBLICITY_ROLES

    @extend_schema(responses=PublicityOut)
    def get(self, request, pk):
        call, stage = _publicity_call(request, pk)
        staff = permissions.can_build(request.user)
        objections = list(selectors.objections_of(call, stage["key"]))
        rows = selectors.publicity_rows(call, stage, objections=objections)
        current = selectors.publicity_open(call, stage)
        return Response(
            PublicityOut(
                {
                    "stage": workflow.stage_name(stage),
                    "current": current,
                    "closes_on": call.stage_closes_on if current else None,
                    "why_not_lodge": str(selectors.why_not_lodge(call, stage)),
                    "applications": [
                        {
                            "submission": r["submission"].pk,
                            "title": r["submission"].title,
                            "unit": r["unit"].name if r["unit"] else "",
                            "unit_en": r["unit"].name_en if r["unit"] else "",
                            "applicant": str(r["submission"].submitted_by),
                            "rank": r["rank"],
                            "n_open": r["n_open"],
                            "n_upheld": r["n_upheld"],
                            "n_dismissed": r["n_dismissed"],
                        }
                        for r in rows
                    ],
                    "objections": [_objection(o, staff=True) for o in objections] if staff else [],
                    "mine": []
                    if staff
                    else [
                        _objection(o, staff=False) for o in objections if o.lodged_by_id == request.user.pk
                    ],
                }
            ).data
        )


class ObjectionLodge(APIView):
    """Lodge a real-name objection against a listed application while the publicity runs (`confirm`:
    true), with an optional file (multipart/form-data `file`: its kinds and size checked as on the page;
    refused, nothing stored)."""

    permission_classes = [HasRole]
    roles = permissions.PUBLICITY_ROLES

    @extend_schema(
        operation_id="programmes_publicity_objection_lodge",
        request=ObjectionIn,
        responses={201: ObjectionOut},
    )
    def post(self, request, pk, sub_pk):
        call, _stage = _publicity_call(request, pk)
        sub = Submission.objects.filter(pk=sub_pk, call=call).first()
        if sub is None:
            raise NotFound()
        # Who may object at all (403) before the body is read; objecting to one's own application is the
        # service's refusal in words (400), like the publicity's dates.
        refuse_unless(
            permissions.can_view_publicity(request.user) and not has_role(request.user, Role.STAFF),
            permissions.why_not_object(request.user, sub),
        )
        data = ObjectionIn(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            return _confirm_missing("请确认以实名提出异议。")
        upload = data.validated_data.get("file")
        o = services.objection_lodge(
            actor=request.user,
            call=call,
            submission=sub,
            reason=data.validated_data["reason"],
            file_data=filefields.upload_bytes(upload) if upload else None,
            filename=upload.name if upload else "",
        )
        return Response(ObjectionOut(_objection(o, staff=False)).data, status=201)


class ObjectionAnswer(APIView):
    """Answer an objection (staff): uphold (the application's decision becomes 不予立项) or dismiss, with a
    reason; final (`confirm`: true)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        operation_id="programmes_objection_answer", request=ObjectionAnswerIn, responses=StaffObjectionOut
    )
    def post(self, request, pk):
        objection = Objection.objects.filter(pk=pk).first()
        if objection is None:
            raise NotFound()
        data = ObjectionAnswerIn(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            return _confirm_missing("请确认处理结果。")
        services.objection_answer(
            actor=request.user,
            objection=objection,
            action=data.validated_data["action"],
            reason=data.validated_data["reason"],
        )
        objection = Objection.objects.select_related("submission__version", "lodged_by").get(pk=pk)
        return Response(StaffObjectionOut(_objection(objection, staff=True)).data)


class ObjectionWithdraw(APIView):
    """The objector withdraws their open objection while the publicity runs (`confirm`: true); it no longer
    holds the stage or the decision, and staff see it withdrawn. Others: 404 (staff: 403)."""

    permission_classes = [HasRole]
    roles = permissions.PUBLICITY_ROLES

    @extend_schema(
        operation_id="programmes_objection_withdraw", request=ObjectionWithdrawIn, responses=ObjectionOut
    )
    def post(self, request, pk):
        objection = Objection.objects.filter(pk=pk).first()
        if objection is None or not permissions.can_view_objection(request.user, objection):
            raise NotFound()
        why = permissions.why_not_withdraw_objection(request.user, objection)
        refuse_unless(not why, why)
        data = ObjectionWithdrawIn(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            return _confirm_missing("请确认撤回异议。")
        services.objection_withdraw(actor=request.user, objection=objection)
        objection = Objection.objects.select_related("submission__version").get(pk=pk)
        return Response(ObjectionOut(_objection(objection, staff=False)).data)


urlpatterns = [
    path("submissions/<int:pk>/", SubmissionDetail.as_view(), name="programmes-submission"),
    path("versions/<int:pk>/", ProgrammeVersionDefinition.as_view(), name="programmes-version"),
    path("calls/<int:pk>/formal/", FormalList.as_view(), name="programmes-formal"),
    path("calls/<int:pk>/formal/mine/", MyFormal.as_view(), name="programmes-formal-mine"),
    path("calls/<int:pk>/formal/<int:sub_pk>/", FormalRecord.as_view(), name="programmes-formal-record"),
    path("calls/<int:pk>/award/", AwardList.as_view(), name="programmes-award"),
    path("calls/<int:pk>/award/mine/", MyAward.as_view(), name="programmes-award-mine"),
    path("calls/<int:pk>/award/<int:sub_pk>/", AwardRecord.as_view(), name="programmes-award-record"),
    path("calls/<int:pk>/shortlist/", ShortlistList.as_view(), name="programmes-shortlist"),
    path("calls/<int:pk>/shortlist/mine/", MyShortlist.as_view(), name="programmes-shortlist-mine"),
    path(
        "calls/<int:pk>/shortlist/<int:sub_pk>/",
        ShortlistRecord.as_view(),
        name="programmes-shortlist-record",
    ),
    path("calls/<int:pk>/invitation/", InvitationList.as_view(), name="programmes-invitation"),
    path("calls/<int:pk>/invitation/mine/", MyInvitation.as_view(), name="programmes-invitation-mine"),
    path(
        "calls/<int:pk>/invitation/<int:sub_pk>/",
        InvitationRecord.as_view(),
        name="programmes-invitation-record",
    ),
    path("calls/<int:pk>/publicity/", Publicity.as_view(), name="programmes-publicity"),
    path(
        "calls/<int:pk>/publicity/<int:sub_pk>/objections/",
        ObjectionLodge.as_view(),
        name="programmes-objection-lodge",
    ),
    path("objections/<int:pk>/answer/", ObjectionAnswer.as_view(), name="programmes-objection-answer"),
    path("objections/<int:pk>/withdraw/", ObjectionWithdraw.as_view(), name="programmes-objection-withdraw"),
]
