"""The rest of a challenge's lifecycle through the API: the review hand-off, the decision, publicity and
objections, the award's down-select, application edits and attachments, the contract's commissioner,
signing, edits, mid-term check and acceptance (issue #17.5).

Each view is thin: it checks the role and the object as the matching page does (kechuang.challenges.views),
reads its input through a serializer (a bad input is a 400 that says which field), and calls the same
service, which checks the permission again, audits and runs in one transaction.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, parsers, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.accounts.models import User
from kechuang.core.api import (
    FORM_JSON_MAX,
    REASON_MAX,
    TEXT_MAX,
    BoundedTextSerializer,
    ConfirmField,
    discipline_codes,
    free_text,
    id_list,
)
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.permissions import HasRole, get_visible_or_404, refuse_unless
from kechuang.core.roles import Role, has_role
from kechuang.core.services import expected_version
from kechuang.core.uploads import uploaded_file_response
from kechuang.review import selectors as review_selectors
from kechuang.review import services as review_services

from .. import permissions, programme, selectors, services
from ..files import max_bytes
from ..models import (
    Acceptance,
    Application,
    Attachment,
    Challenge,
    DownSelect,
    MidtermCheck,
    Objection,
    Publicity,
)
from ..services.applications import MSG_NOT_YOURS
from ..services.projects import MSG_NOT_TRACKER
from .serializers import (
    ApplicationPartnerSerializer,
    ApplicationSerializer,
    ChallengeSerializer,
    ContractSerializer,
    check_partners,
)

# an objection's contact, as its column (it was cut there without a word)
CONTACT_MAX = Objection._meta.get_field("contact").max_length
# a down-selection's outcome for one project: keep, stop or merge:<contract id>
OUTCOME_MAX = 30


def _refuse(message: str, code: str = "bad_input", fields: dict | None = None, status: int = 400):
    raise ApplicationError(message, code=code, fields=fields or {}, status=status)


# The review hand-off ------------------------------------------------------------------------------------


class ReviewHandOffSerializer(serializers.Serializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    mode = serializers.ChoiceField(
        choices=[
            ("round", _("创建评审轮次")),
            ("manual", _("线下评审")),
            ("scores", _("录入评审得分")),
            ("assign", _("手工分配专家")),
            ("import", _("读取评审结果")),
            ("defence_round", _("创建答辩评审轮次")),
            ("defence_scores", _("录入答辩得分")),
            ("defence_import", _("读取答辩结果")),
        ]
    )
    shortlist = id_list(required=False)
    k = serializers.IntegerField(required=False, min_value=1, max_value=20, default=3)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)
    scores = serializers.DictField(
        child=serializers.FloatField(allow_null=True, min_value=0, max_value=100), required=False
    )
    application = serializers.IntegerField(required=False)
    expert = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)


class ReviewStateSerializer(serializers.Serializer):
    round = serializers.IntegerField(allow_null=True)
    defence_round = serializers.IntegerField(allow_null=True)
    round_status = serializers.CharField(allow_blank=True, read_only=True)
    ranking = serializers.ListField(child=serializers.DictField())


def _review_state(ch) -> dict:
    rnd = services.review_round_of(ch)
    ranking = selectors.review_ranking(ch, rnd) or []
    return {
        "round": rnd.pk if rnd else None,
        "defence_round": ch.defence_round_id,
        "round_status": rnd.status if rnd else "",
        "ranking": [
            {
                "application": a.pk,
                "title": a.title,
                "status": a.status,
                "review_score": str(a.review_score) if a.review_score is not None else None,
                "review_rank": a.review_rank,
                "defence_score": str(a.defence_score) if a.defence_score is not None else None,
                "defence_rank": a.defence_rank,
                "trimmed_mean": getattr(r, "trimmed_mean", None),
            }
            for a, r in ranking
        ],
    }


class ChallengeReview(APIView):
    """Expert review of a closed list (staff): `round` creates the review app's round over the formally
    passed applications (then assign it under /api/review/rounds/), `manual` reviews outside it, `scores`
    records typed scores {application id: score}, `assign` puts one expert on one application by hand,
    `import` reads the round's trimmed means as the scores. GET: the round and the ranking."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=ReviewStateSerializer)
    def get(self, request, pk):
        ch = get_object_or_404(Challenge, pk=pk)
        return Response(_review_state(ch))

    @extend_schema(request=ReviewHandOffSerializer, responses=ReviewStateSerializer)
    def post(self, request, pk):
        ch = get_object_or_404(Challenge, pk=pk)
        ser = ReviewHandOffSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d, user = ser.validated_data, request.user
        mode = d["mode"]
        if mode == "round":
            services.review_round_start(actor=user, challenge=ch, k=d["k"])
        elif mode == "manual":
            services.review_start_manual(actor=user, challenge=ch, note=d["note"])
        elif mode == "scores":
            if "scores" not in d:
                _refuse(_("请填写评审得分。"), fields={"scores": [_("请填写评审得分。")]})
            under = set(ch.applications.filter(status="under_review").values_list("pk", flat=True))
            scores = {}
            for key, value in d["scores"].items():
                if not str(key).isdecimal() or int(key) not in under:
                    _refuse(
                        _("申请 %(k)s 不在本榜单的评审中。") % {"k": key},
                        code="not_under_review",
                        fields={"scores": [_("申请 %(k)s 不在本榜单的评审中。") % {"k": key}]},
                    )
                scores[int(key)] = value
            services.review_scores_record(actor=user, challenge=ch, scores=scores)
        elif mode == "assign":
            app = get_object_or_404(Application, pk=d.get("application") or 0, challenge=ch)
            expert = get_object_or_404(User, pk=d.get("expert") or 0)
            rnd = services.review_round_of(ch)
            if rnd is None:
                _refuse(_("请先创建评审轮次。"), code="no_round")
            review_services.assignment_create_manual(
                actor=user, round=rnd, subject=app, expert=expert, reason=d["reason"]
            )
        elif mode == "defence_round":  # 答辩: a second review round over the shortlist
            shortlist = list(Application.objects.filter(pk__in=d.get("shortlist") or [], challenge=ch))
            services.defence_round_start(actor=user, challenge=ch, applications=shortlist, k=d["k"])
        elif mode == "defence_scores":
            if "scores" not in d:
                _refuse(_("请填写答辩得分。"), fields={"scores": [_("请填写答辩得分。")]})
            scores = {}
            for key, value in d["scores"].items():
                if not str(key).isdecimal():
                    _refuse(_("申请 %(k)s 不在答辩名单中。") % {"k": key}, code="not_shortlisted")
                scores[int(key)] = value
            services.defence_scores_record(actor=user, challenge=ch, scores=scores)
        elif mode == "defence_import":
            services.defence_scores_record(actor=user, challenge=ch, scores=selectors.defence_means(ch))
        else:  # import
            ranking = selectors.review_ranking(ch, services.review_round_of(ch)) or []
            scores = {
                a.pk: getattr(r, "trimmed_mean", None) for a, r in ranking if a.status == "under_review"
            }
            services.review_scores_record(actor=user, challenge=ch, scores=scores)
        return Response(_review_state(ch))


# The decision, publicity and objections ----------------------------------------------------------------


class DecisionSerializer(serializers.Serializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    winners = id_list(allow_empty=True)
    days = serializers.IntegerField(min_value=5, max_value=30, default=7)
    notice = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)


class ObjectionSerializer(BoundedTextSerializer):
    application_title = serializers.CharField(source="application.title", read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "application", "application_title", "text", "status", "answer", "answered_at"]
        read_only_fields = ["status", "answer", "answered_at"]
        text_bounds = {"text": REASON_MAX}  # as ObjectionForm's


class PublicitySerializer(BoundedTextSerializer):
    winners = serializers.SerializerMethodField()
    objections = serializers.SerializerMethodField()

    class Meta:
        model = Publicity
        fields = ["challenge", "starts_on", "ends_on", "notice", "winners", "objections"]
        text_bounds = {"notice": REASON_MAX}

    def get_winners(self, obj) -> list[dict]:
        apps = obj.challenge.applications.filter(status__in=["proposed", "awarded"]).select_related("unit")
        return [
            {
                "application": a.pk,
                "title": a.title,
                "unit": a.unit.name,
                "unit_en": a.unit.name_en,
                "status": a.status,
            }
            for a in apps
        ]

    def get_objections(self, obj) -> list[dict]:
        qs = obj.objections.select_related("application")
        user = self.context["request"].user
        if not has_role(user, Role.STAFF):  # an open objection is staff's until answered (as on the page)
            qs = qs.exclude(status="open")
        return ObjectionSerializer(qs, many=True).data


class ChallengeDecision(APIView):
    """Publish the decision (staff): the chosen applications under review become proposed, the others not
    awarded, and the publicity period opens for `days` days."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(request=DecisionSerializer, responses=PublicitySerializer)
    def post(self, request, pk):
        ch = get_object_or_404(Challenge, pk=pk)
        ser = DecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        winners = list(Application.objects.filter(pk__in=d["winners"], challenge=ch))
        if len(winners) != len(set(d["winners"])):
            msg = _("所选申请不都属于本榜单。")
            _refuse(msg, code="not_in_challenge", fields={"winners": [msg]})
        pub = services.decision_publish(
            actor=request.user, challenge=ch, winners=winners, days=d["days"], notice=d["notice"]
        )
        return Response(PublicitySerializer(pub, context={"request": request}).data)


class ChallengePublicity(APIView):
    """The publicity notice of a list (public, as its page): the proposed winners and the answered
    objections (staff also see the open ones)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=PublicitySerializer)
    def get(self, request, pk):
        ch = get_visible_or_404(selectors.challenge_get, pk=pk, user=request.user)
        pub = get_object_or_404(Publicity, challenge=ch)
        return Response(PublicitySerializer(pub, context={"request": request}).data)


class ChallengeObjections(APIView):
    """Lodge an objection to a proposed winner during publicity (any signed-in person)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=inline_serializer(
            "ObjectionLodge",
            {
                "application": serializers.IntegerField(),
                "text": serializers.CharField(max_length=REASON_MAX),
                "contact": serializers.CharField(required=False, max_length=CONTACT_MAX),
            },
        ),
        responses={201: ObjectionSerializer},
    )
    def post(self, request, pk):
        ch = get_visible_or_404(selectors.challenge_get, pk=pk, user=request.user)
        ser = ObjectionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        app = ser.validated_data["application"]
        if app.challenge_id != ch.pk:
            msg = _("所选申请不属于本榜单。")
            _refuse(msg, code="not_in_challenge", fields={"application": [msg]})
        contact = free_text(request.data, "contact", CONTACT_MAX)
        obj = services.objection_lodge(
            actor=request.user, application=app, text=ser.validated_data["text"], contact=contact
        )
        return Response(ObjectionSerializer(obj).data, status=201)


class ObjectionAnswer(APIView):
    """Answer an objection (staff): upheld or dismissed, with the answer made public."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        request=inline_serializer(
            "ObjectionAnswer",
            {
                "confirm": ConfirmField(),
                "upheld": serializers.BooleanField(),
                "answer": serializers.CharField(max_length=REASON_MAX),
            },
        ),
        responses=ObjectionSerializer,
    )
    def post(self, request, pk):
        obj = get_object_or_404(Objection, pk=pk)
        upheld = request.data.get("upheld")
        if not isinstance(upheld, bool):
            msg = _("请说明异议是否成立。")
            _refuse(msg, fields={"upheld": [msg]})
        obj = services.objection_answer(
            actor=request.user, objection=obj, upheld=upheld, answer=free_text(request.data, "answer")
        )
        return Response(ObjectionSerializer(obj).data)


class DownSelectSerializer(BoundedTextSerializer):
    outcomes = serializers.SerializerMethodField()

    class Meta:
        model = DownSelect
        fields = ["id", "decided_on", "note", "outcomes"]
        text_bounds = {"note": REASON_MAX}

    def get_outcomes(self, obj) -> list[dict]:
        return [
            {"contract": o.contract_id, "outcome": o.outcome, "merge_into": o.merge_into_id}
            for o in obj.outcomes.all()
        ]


class ChallengeDownSelect(APIView):
    """The down-select gate of a racing list (staff). `outcomes`: {contract id: "keep" | "stop" |
    "merge:<kept contract id>"} for every running contract. GET: the gates recorded so far."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=DownSelectSerializer(many=True))
    def get(self, request, pk):
        ch = get_object_or_404(Challenge, pk=pk)
        rows = ch.downselects.prefetch_related("outcomes").order_by("decided_on", "id")
        return Response(DownSelectSerializer(rows, many=True).data)

    @extend_schema(
        request=inline_serializer(
            "DownSelectRecord",
            {
                "confirm": ConfirmField(),
                "note": serializers.CharField(max_length=REASON_MAX),
                "outcomes": serializers.DictField(child=serializers.CharField(max_length=OUTCOME_MAX)),
            },
        ),
        responses=DownSelectSerializer,
    )
    def post(self, request, pk):
        ch = get_object_or_404(Challenge, pk=pk)
        raw = request.data.get("outcomes")
        if not isinstance(raw, dict) or not raw:
            msg = _("请为每个实施中的项目给出结论。")
            _refuse(msg, fields={"outcomes": [msg]})
        running = set(ch.contracts.filter(status="in_progress").values_list("pk", flat=True))
        outcomes = {}
        for key, value in raw.items():
            value = str(value)
            ok = str(key).isdecimal() and int(key) in running
            if value.startswith("merge:"):
                target = value[6:]
                ok = ok and target.isdecimal() and int(target) in running
                parsed = ("merge", int(target)) if ok else None
            else:
                ok = ok and value in ("keep", "stop")
                parsed = value
            if not ok:
                msg = _("“%(k)s: %(v)s”不是本榜单实施中项目的结论。") % {"k": key, "v": value}
                _refuse(msg, fields={"outcomes": [msg]})
            outcomes[int(key)] = parsed
        ds = services.downselect_record(
            actor=request.user, challenge=ch, note=free_text(request.data, "note"), outcomes=outcomes
        )
        return Response(DownSelectSerializer(ds).data)


# Applications: edits and attachments ---------------------------------------------------------------------


class ApplicationEditSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField(required=False, max_length=200)
    plan = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    keywords = serializers.CharField(
        required=False, allow_blank=True, max_length=Application._meta.get_field("keywords").max_length
    )
    disciplines = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX)
    budget_requested = serializers.DecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)
    budget_self = serializers.DecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)
    avoid_names = serializers.CharField(
        required=False, allow_blank=True, max_length=Application._meta.get_field("avoid_names").max_length
    )
    members = serializers.ListField(child=serializers.DictField(), required=False)

    def validate_disciplines(self, value):
        return ", ".join(discipline_codes(value))

    milestones = serializers.ListField(child=serializers.DictField(), required=False)
    partners = ApplicationPartnerSerializer(many=True, required=False)
    extra = serializers.DictField(required=False)


class ApplicationEdit(APIView):
    """Change a draft (or returned) application: its fields, team (`members`: [{name, title, duty, unit?}],
    a member's unit the lead's or a partner's), partner units (`partners`: [{unit, role, duty, budget}], joint
    applications), milestones ([{title, month, tranche, targets: {indicator name: value}}]) and `extra`
    (the staff-added fields of its application form version by key, checked as the web form checks them;
    file fields are uploaded on the web form and kept); send the `version` read."""

    json_body_max = FORM_JSON_MAX  # a programme form's answers (core.limits)

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ApplicationEditSerializer, responses=ApplicationSerializer)
    def patch(self, request, pk):
        app = get_visible_or_404(selectors.application_get, pk=pk, user=request.user)
        refuse_unless(permissions.can_edit_application(request.user, app), MSG_NOT_YOURS)
        version = expected_version(request.data)
        ser = ApplicationEditSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d.pop("version")
        members, milestones = d.pop("members", None), d.pop("milestones", None)
        partners = d.pop("partners", None)
        if partners is not None:
            partners = [dict(p) for p in check_partners(partners, app.unit_id)]
        if "extra" in d:
            d["extra"] = programme.clean_application_extra(app.form_version, d["extra"])
        with transaction.atomic():
            services.application_update(actor=request.user, application=app, expected_version=version, **d)
            if partners is not None:  # with the team, so a member may belong to a partner sent with it
                services.application_partners_set(
                    actor=request.user, application=app, partners=partners, members=members
                )
            elif members is not None:
                services.application_team_set(actor=request.user, application=app, members=members)
            if milestones is not None:
                services.application_milestones_set(
                    actor=request.user, application=app, milestones=milestones
                )
        app = selectors.application_get(pk=app.pk, user=request.user)
        return Response(ApplicationSerializer(app, context={"request": request}).data)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "created_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices, default=Attachment.Kind.OTHER)


class ApplicationAttachments(generics.ListAPIView):
    """An application's attachments; POST (multipart: file, kind) uploads one to an editable application.
    The type is read from the content (PDF, DOCX, XLSX), not the name."""

    serializer_class = AttachmentSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    pagination_class = None

    def application(self):
        return get_visible_or_404(selectors.application_get, pk=self.kwargs["pk"], user=self.request.user)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return self.application().attachments.order_by("id")

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    def post(self, request, pk):
        app = self.application()
        if not permissions.can_edit_application(request.user, app):  # before the body is read
            raise PermissionDenied(_("只有申请单位可以在申请可修改时上传附件。"))
        ser = AttachmentUploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        f = ser.validated_data["file"]
        att = services.attachment_add(
            actor=request.user,
            application=app,
            data=f.read(max_bytes() + 1),
            filename=f.name,
            kind=ser.validated_data["kind"],
        )
        return Response(AttachmentSerializer(att).data, status=201)


class AttachmentDetail(APIView):
    """GET downloads the file (the application's readers, and an expert reviewing it); DELETE removes it
    from an editable application."""

    permission_classes = [IsAuthenticated]

    def attachment(self, request, pk):
        att = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
        return att

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="the file")})
    def get(self, request, pk):
        att = self.attachment(request, pk)
        if not (
            permissions.can_view_application(request.user, att.application)
            or review_selectors.expert_may_read(user=request.user, subject=att.application)
        ):
            return Response(
                {"error": {"code": "not_found", "message": _("未找到。"), "fields": {}}}, status=404
            )
        return uploaded_file_response(att.file, att.original_name)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        att = self.attachment(request, pk)
        if not permissions.can_view_application(request.user, att.application):
            return Response(
                {"error": {"code": "not_found", "message": _("未找到。"), "fields": {}}}, status=404
            )
        services.attachment_remove(actor=request.user, attachment=att)
        return Response(status=204)


# Contracts: commissioner, signing, edits, mid-term check, acceptance --------------------------------------


def _contract(request, pk):
    # the bare row: each answer reads what it shows (_contract_out, the checks' own lists)
    return get_visible_or_404(permissions.contracts_visible_to(request.user), user=request.user, pk=pk)


def _contract_out(request, c):
    return Response(ContractSerializer(selectors.contract_get(pk=c.pk, user=request.user)).data)


class ContractCommissioner(APIView):
    """Name the project's commissioner (staff): `commissioner` is the id of a user with that role."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        request=inline_serializer("CommissionerAssign", {"commissioner": serializers.IntegerField()}),
        responses=ContractSerializer,
    )
    def post(self, request, pk):
        c = _contract(request, pk)
        raw = request.data.get("commissioner")
        person = User.objects.filter(pk=raw).first() if isinstance(raw, int) else None
        if person is None or not has_role(person, Role.COMMISSIONER):
            msg = _("请选择一位项目专员。")
            _refuse(msg, fields={"commissioner": [msg]})
        services.contract_assign_commissioner(actor=request.user, contract=c, commissioner=person)
        return _contract_out(request, c)


class ContractTransition(APIView):
    """sign (staff, with a commissioner named), terminate {reason} (staff), request_acceptance (the unit or
    its commissioner, once every milestone is verified)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=inline_serializer(
            "ContractAction",
            {
                "confirm": ConfirmField(),
                "action": serializers.ChoiceField(choices=["sign", "terminate", "request_acceptance"]),
                "reason": serializers.CharField(required=False, max_length=REASON_MAX),
            },
        ),
        responses=ContractSerializer,
    )
    def post(self, request, pk):
        c = _contract(request, pk)
        action, reason = request.data.get("action", ""), free_text(request.data, "reason")
        calls = {
            "sign": lambda: services.contract_sign(actor=request.user, contract=c),
            "terminate": lambda: services.contract_terminate(actor=request.user, contract=c, reason=reason),
            "request_acceptance": lambda: services.acceptance_request(actor=request.user, contract=c),
        }
        if not isinstance(action, str) or action not in calls:  # a JSON structure is no name (and unhashable)
            _refuse(_("未知操作。"), code="unknown_action")
        calls[action]()
        return _contract_out(request, c)


class ContractEditSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)
    title = serializers.CharField(required=False, max_length=200)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    budget = serializers.DecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)
    budget_self = serializers.DecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)


class ContractEdit(APIView):
    """Edit a draft contract's terms (staff or its commissioner); send the `version` read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ContractEditSerializer, responses=ContractSerializer)
    def patch(self, request, pk):
        c = _contract(request, pk)
        if not permissions.can_edit_contract(request.user, c):
            raise PermissionDenied(_("您无权修改此任务书。"))
        if c.status != "draft":
            _refuse(_("只有未签订的任务书可以修改。"), code="not_editable", status=409)
        version = expected_version(request.data)
        ser = ContractEditSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d.pop("version")
        reason = d.pop("reason")
        services.contract_update(actor=request.user, contract=c, expected_version=version, reason=reason, **d)
        return _contract_out(request, c)


MIDTERM_NOTHING_DUE = gettext_lazy("尚无到期的里程碑，里程碑不计分。")


class MidtermSerializer(BoundedTextSerializer):
    # the staff-added fields of the list's mid-term form version, by key (issue #18)
    extra = serializers.DictField(required=False)
    milestone_note = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "milestone_score 为空时的说明（检查日之前没有到期的里程碑，不计分；总分即指标进度得分），"
            "按请求语言；有得分时为空字符串。"
        )
    )

    def get_milestone_note(self, obj) -> str:
        return str(MIDTERM_NOTHING_DUE) if obj.milestone_score is None else ""

    class Meta:
        model = MidtermCheck
        fields = [
            "id",
            "checked_on",
            "indicator_score",
            "milestone_score",
            "milestone_note",
            "score",
            "detail",
            "conclusion",
            "notes",
            "form_version",
            "extra",
        ]
        text_bounds = {"notes": REASON_MAX}  # as MidtermForm's
        read_only_fields = [
            "checked_on",
            "indicator_score",
            "milestone_score",
            "score",
            "detail",
            "form_version",
        ]
        extra_kwargs = {"notes": {"max_length": REASON_MAX}}


class ContractMidterm(APIView):
    """The mid-term check (中期检查) of a running project: GET lists the checks, POST records one
    {conclusion, notes, extra} scored against the contract (staff or the project's commissioner); `extra`
    answers the staff-added fields of the list's mid-term form version by key, checked as on the web."""

    json_body_max = FORM_JSON_MAX  # a programme form's answers (core.limits)

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MidtermSerializer(many=True))
    def get(self, request, pk):
        c = _contract(request, pk)
        return Response(MidtermSerializer(c.midterm_checks.order_by("checked_on", "id"), many=True).data)

    @extend_schema(request=MidtermSerializer, responses={201: MidtermSerializer})
    def post(self, request, pk):
        c = _contract(request, pk)
        refuse_unless(permissions.can_track_contract(request.user, c), MSG_NOT_TRACKER)
        ser = MidtermSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        mc = services.midterm_check_record(
            actor=request.user,
            contract=c,
            conclusion=ser.validated_data["conclusion"],
            notes=ser.validated_data.get("notes", ""),
            extra=programme.clean_report_extra(
                programme.project_form(c, programme.MID_TERM),
                programme.MID_TERM,
                ser.validated_data.get("extra"),
            ),
        )
        return Response(MidtermSerializer(mc).data, status=201)


class AcceptanceSerializer(BoundedTextSerializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    achieved = serializers.DictField(write_only=True)
    items = serializers.SerializerMethodField()
    # the staff-added fields of the list's acceptance form version, by key (issue #18)
    extra = serializers.DictField(required=False)

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "accepted_on",
            "verdict",
            "conditions",
            "panel",
            "opinion",
            "achieved",
            "items",
            "form_version",
            "extra",
            "confirm",
        ]
        read_only_fields = ["accepted_on", "items", "form_version"]
        text_bounds = {
            "conditions": REASON_MAX,
            "panel": REASON_MAX,
            "opinion": REASON_MAX,
        }  # AcceptanceForm's

    def get_items(self, obj) -> list[dict]:
        return [
            {"indicator": i.indicator.name, "achieved": str(i.achieved), "met": i.met}
            for i in obj.items.select_related("indicator").order_by("indicator__seq")
        ]


class ContractAcceptance(APIView):
    """Record the acceptance (验收) of a project in acceptance (staff): `achieved` {indicator id or name:
    value} for every indicator, and the verdict; "passed" is refused when an indicator misses its target.
    `extra` answers the staff-added fields of the list's acceptance form version by key."""

    json_body_max = FORM_JSON_MAX  # a programme form's answers (core.limits)

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(responses=AcceptanceSerializer)
    def get(self, request, pk):
        c = _contract(request, pk)
        return Response(AcceptanceSerializer(get_object_or_404(Acceptance, contract=c)).data)

    @extend_schema(request=AcceptanceSerializer, responses={201: AcceptanceSerializer})
    def post(self, request, pk):
        c = _contract(request, pk)
        ser = AcceptanceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        acc = services.acceptance_record(
            actor=request.user,
            contract=c,
            achieved=d["achieved"],
            verdict=d["verdict"],
            conditions=d.get("conditions", ""),
            panel=d.get("panel", ""),
            opinion=d.get("opinion", ""),
            extra=programme.clean_report_extra(
                programme.project_form(c, programme.ACCEPTANCE), programme.ACCEPTANCE, d.get("extra")
            ),
        )
        return Response(AcceptanceSerializer(acc).data, status=201)


class ChallengeEdit(APIView):
    """Edit a draft list (staff); send the `version` read. Indicators, when sent, replace the list's."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(request=ChallengeSerializer, responses=ChallengeSerializer)
    def patch(self, request, pk):
        ch = get_object_or_404(Challenge, pk=pk)
        version = expected_version(request.data)
        ser = ChallengeSerializer(ch, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d.pop("version", None)
        indicators = d.pop("indicators", None)
        kwargs = {"indicators": indicators} if indicators is not None else {}
        services.challenge_update(actor=request.user, challenge=ch, expected_version=version, **kwargs, **d)
        ch = Challenge.objects.prefetch_related("indicators").select_related("topic").get(pk=ch.pk)
        return Response(ChallengeSerializer(ch).data)
