"""Views of the challenges API. Reads are scoped by the same policy as the pages; every write goes
through the services (which check permissions again)."""

import hashlib

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core import counters
from kechuang.core.api import ACTION_MAX, FORM_JSON_MAX, REASON_MAX, TEXT_MAX, ConfirmField, free_text
from kechuang.core.permissions import HasRole, refuse_unless
from kechuang.core.roles import Role, has_role

from .. import permissions, programme, selectors, services
from ..models import Challenge, ChangeRequest, Milestone, Topic
from ..services.applications import MSG_NOT_YOURS
from ..services.changes import MSG_NOT_CONTRACTOR
from ..services.tracking import MSG_NOT_RECORDER, MSG_NOT_TRANSFER_RECORDER
from .serializers import (
    ActionSerializer,
    ApplicationPartnerSerializer,
    ApplicationSerializer,
    ChallengeSerializer,
    ChallengeTopicSerializer,
    ChangeRequestSerializer,
    ContractSerializer,
    PartnersWriteSerializer,
    ProjectMilestoneSerializer,
    ProjectResultSerializer,
    ResultCreateSerializer,
    TechNeedSerializer,
    TransferCreateSerializer,
    check_partners,
)

# Views ---------------------------------------------------------------------------------------------------


class ChallengeFilter(django_filters.FilterSet):
    track = django_filters.CharFilter(field_name="topic__track")

    class Meta:
        model = Challenge
        fields = ["status", "year", "track"]


class ChallengeList(generics.ListCreateAPIView):
    """Challenge lists: published ones are public; staff also see and create drafts."""

    serializer_class = ChallengeSerializer
    permission_classes = [HasRole]
    roles = ()
    write_roles = (Role.STAFF,)
    filterset_class = ChallengeFilter
    search_fields = ["title", "code", "problem"]
    ordering_fields = ["deadline", "code", "year"]

    def get_queryset(self):
        return (
            permissions.challenges_visible_to(self.request.user)
            .select_related("topic")
            .prefetch_related("indicators")
            .order_by("-year", "code")
        )

    def list(self, request, *args, **kwargs):
        # The same for everyone who sees the published challenges, and for all staff: the page's data cached
        # per query string (host included: the page links are absolute) under the challenges' version,
        # which every write of a challenge, its indicators or its topic steps in its transaction (#19).
        who = "staff" if has_role(request.user, Role.STAFF) else "public"
        asked = hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}".encode()).hexdigest()
        data = counters.cached(
            f"challenges.api-list:{who}:{asked}",
            "challenges.version",
            lambda: super(ChallengeList, self).list(request, *args, **kwargs).data,
            memo=request.user,
        )
        return Response(data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        indicators = data.pop("indicators", [])
        serializer.instance = services.challenge_create(
            actor=self.request.user, indicators=indicators, **data
        )


class ChallengeDetail(generics.RetrieveAPIView):
    serializer_class = ChallengeSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return (
            permissions.challenges_visible_to(self.request.user)
            .select_related("topic")
            .prefetch_related("indicators")
        )


class ChallengeTransition(APIView):
    """Run a lifecycle action on a challenge: publish, close, cancel (reason), finish, award. Staff only."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(request=ActionSerializer, responses=ChallengeSerializer)
    def post(self, request, pk):
        ch = get_object_or_404(Challenge, pk=pk)
        action, reason = request.data.get("action", ""), free_text(request.data, "reason")
        calls = {
            "publish": lambda: services.challenge_publish(actor=request.user, challenge=ch),
            "close": lambda: services.challenge_close(actor=request.user, challenge=ch),
            "cancel": lambda: services.challenge_cancel(actor=request.user, challenge=ch, reason=reason),
            "finish": lambda: services.challenge_finish(actor=request.user, challenge=ch),
            "award": lambda: services.award_confirm(actor=request.user, challenge=ch),
        }
        if not isinstance(action, str) or action not in calls:  # a JSON structure is no name (and unhashable)
            return Response(
                {"error": {"code": "unknown_action", "message": _("未知操作。"), "fields": {}}}, status=400
            )
        calls[action]()
        ch.refresh_from_db()
        return Response(ChallengeSerializer(ch).data)


class NeedList(generics.ListCreateAPIView):
    """Technology needs: a unit user sees and submits their unit's; staff see all."""

    serializer_class = TechNeedSerializer
    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.APPLICANT)
    filterset_fields = ["industry", "urgency", "topic"]

    def get_queryset(self):
        return (
            permissions.needs_visible_to(self.request.user)
            .select_related("unit")
            .order_by("-created_at", "-id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.need_submit(actor=self.request.user, **serializer.validated_data)


class TopicList(generics.ListCreateAPIView):
    """Topics (staff): list, and create one grouping needs."""

    serializer_class = ChallengeTopicSerializer
    permission_classes = [HasRole]
    roles = (Role.STAFF,)
    filterset_fields = ["track", "industry"]

    def get_queryset(self):
        return Topic.objects.prefetch_related("needs").order_by("title")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.topic_create(
            actor=self.request.user, needs=data.pop("needs", []), **data
        )


class ApplicationList(generics.ListCreateAPIView):
    """Applications the user may see; a unit user creates one (a draft) with its milestones."""

    json_body_max = FORM_JSON_MAX  # an application with its milestones and long texts (core.limits)

    serializer_class = ApplicationSerializer
    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.APPLICANT, Role.COMMISSIONER)
    write_roles = (Role.APPLICANT,)
    filterset_fields = ["challenge", "status"]

    def get_queryset(self):
        return (
            permissions.applications_visible_to(self.request.user)
            .select_related("challenge", "unit")
            .prefetch_related("milestones", "members__unit", "partners__unit")
            .order_by("challenge", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        milestones = data.pop("milestones", [])
        partners = [dict(p) for p in data.pop("partners", [])]
        challenge = data.pop("challenge")
        # One service, one transaction: a refused milestone or partner leaves no draft behind (issue #14.7).
        serializer.instance = services.application_create(
            actor=self.request.user, challenge=challenge, milestones=milestones, partners=partners, **data
        )


class ApplicationDetail(generics.RetrieveAPIView):
    serializer_class = ApplicationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return (
            permissions.applications_visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related("milestones", "members__unit", "partners__unit")
        )


class ApplicationPartners(APIView):
    """A joint application's partner units (联合揭榜): anyone who sees the application reads them; the lead
    unit's users replace them (PUT, the whole list in order) while the application is editable."""

    permission_classes = [IsAuthenticated]

    def _app(self, request, pk):
        return get_object_or_404(
            permissions.applications_visible_to(request.user).select_related("unit"), pk=pk
        )

    @extend_schema(responses=ApplicationPartnerSerializer(many=True))
    def get(self, request, pk):
        app = self._app(request, pk)
        return Response(ApplicationPartnerSerializer(app.partners.select_related("unit"), many=True).data)

    @extend_schema(request=PartnersWriteSerializer, responses=ApplicationPartnerSerializer(many=True))
    def put(self, request, pk):
        app = self._app(request, pk)
        refuse_unless(permissions.can_edit_application(request.user, app), MSG_NOT_YOURS)
        body = PartnersWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partners = check_partners(body.validated_data["partners"], app.unit_id)
        services.application_partners_set(
            actor=request.user, application=app, partners=[dict(p) for p in partners]
        )
        return Response(ApplicationPartnerSerializer(app.partners.select_related("unit"), many=True).data)


class ApplicationTransition(APIView):
    """submit / withdraw (the applicant unit), pass_formal / return / reject (staff, with reasons)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ActionSerializer, responses=ApplicationSerializer)
    def post(self, request, pk):
        app = get_object_or_404(permissions.applications_visible_to(request.user), pk=pk)
        action, reason = request.data.get("action", ""), free_text(request.data, "reason")
        calls = {
            "submit": lambda: services.application_submit(actor=request.user, application=app),
            "withdraw": lambda: services.application_withdraw(
                actor=request.user, application=app, reason=reason
            ),
            "pass_formal": lambda: services.formal_check(
                actor=request.user, application=app, passed=True, reasons=reason
            ),
            "return": lambda: services.formal_check(
                actor=request.user, application=app, passed=False, reasons=reason
            ),
            "reject": lambda: services.formal_check(
                actor=request.user, application=app, passed=False, reasons=reason, final=True
            ),
        }
        if not isinstance(action, str) or action not in calls:  # a JSON structure is no name (and unhashable)
            return Response(
                {"error": {"code": "unknown_action", "message": _("未知操作。"), "fields": {}}}, status=400
            )
        calls[action]()
        app.refresh_from_db()
        return Response(ApplicationSerializer(app, context={"request": request}).data)


class ContractList(generics.ListAPIView):
    """Projects: staff all, a commissioner their own, a unit user their unit's."""

    serializer_class = ContractSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "challenge"]

    def get_queryset(self):
        return (
            permissions.contracts_visible_to(self.request.user)
            .prefetch_related("indicators", "milestones__values__indicator")
            .order_by("code")
        )


class ContractDetail(generics.RetrieveAPIView):
    serializer_class = ContractSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return permissions.contracts_visible_to(self.request.user).prefetch_related(
            "indicators", "milestones__values__indicator"
        )


class MilestoneAction(APIView):
    """report {report, values: {indicator id: value}, extra: {key: value}} (the unit; `extra` answers the
    staff-added fields of the list's yearly-report form version); verify / send_back {reason} (its
    commissioner)."""

    json_body_max = FORM_JSON_MAX  # a programme form's answers (core.limits)

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=inline_serializer(
            "MilestoneAction",
            {
                "confirm": ConfirmField(),
                "action": serializers.CharField(max_length=ACTION_MAX),
                "report": serializers.CharField(required=False, max_length=TEXT_MAX),
                "values": serializers.DictField(required=False),
                "extra": serializers.DictField(required=False),
                "reason": serializers.CharField(required=False, max_length=REASON_MAX),
            },
        ),
        responses=ProjectMilestoneSerializer,
    )
    def post(self, request, pk):
        ms = get_object_or_404(
            Milestone.objects.filter(contract__in=permissions.contracts_visible_to(request.user)), pk=pk
        )
        action = request.data.get("action", "")
        reason = free_text(request.data, "reason")
        calls = {
            "report": lambda: services.milestone_report(
                actor=request.user,
                milestone=ms,
                report=free_text(request.data, "report", TEXT_MAX),
                values=request.data.get("values") or {},
                extra=programme.clean_report_extra(
                    programme.project_form(ms.contract, programme.YEARLY_REPORT),
                    programme.YEARLY_REPORT,
                    request.data.get("extra"),
                ),
            ),
            "verify": lambda: services.milestone_verify(actor=request.user, milestone=ms, note=reason),
            "send_back": lambda: services.milestone_send_back(
                actor=request.user, milestone=ms, reason=reason
            ),
        }
        if not isinstance(action, str) or action not in calls:  # a JSON structure is no name (and unhashable)
            return Response(
                {"error": {"code": "unknown_action", "message": _("未知操作。"), "fields": {}}}, status=400
            )
        calls[action]()
        ms.refresh_from_db()
        return Response(ProjectMilestoneSerializer(ms).data, status=status.HTTP_200_OK)


class ResultList(generics.ListAPIView):
    """Public results of accepted projects (and stage results), with their transfers."""

    serializer_class = ProjectResultSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.results_public_list()


class ContractChangeRequests(generics.ListCreateAPIView):
    """A project's change requests; the contracted unit files one (team, budget, dates)."""

    serializer_class = ChangeRequestSerializer
    permission_classes = [IsAuthenticated]

    def contract(self):
        return get_object_or_404(permissions.contracts_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no pk
            return ChangeRequest.objects.none()
        return self.contract().change_requests.order_by("-created_at", "-id")

    def create(self, request, *args, **kwargs):
        # The contract (404) and who may file (403) before the body is read.
        self._contract = self.contract()
        refuse_unless(permissions.can_request_change(request.user, self._contract), MSG_NOT_CONTRACTOR)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.change_request_create(
            actor=self.request.user,
            contract=self._contract,
            kind=d["kind"],
            reason=d["reason"],
            payload=d.get("payload", {}),
        )


class ChangeRequestDecide(APIView):
    """Staff approve (applied to the contract) or reject (with a note) a change request."""

    permission_classes = [HasRole]
    roles = (Role.STAFF,)

    @extend_schema(
        request=inline_serializer(
            "ChangeDecision",
            {
                "confirm": ConfirmField(),
                "approve": serializers.BooleanField(),
                "note": serializers.CharField(required=False, max_length=REASON_MAX),
            },
        ),
        responses=ChangeRequestSerializer,
    )
    def post(self, request, pk):
        cr = get_object_or_404(ChangeRequest, pk=pk)
        cr = services.change_request_decide(
            actor=request.user,
            change_request=cr,
            approve=bool(request.data.get("approve")),
            note=free_text(request.data, "note"),
        )
        return Response(ChangeRequestSerializer(cr).data)


class ContractResults(generics.CreateAPIView):
    """Record a result of a project (the unit, its commissioner or staff)."""

    serializer_class = ResultCreateSerializer
    permission_classes = [IsAuthenticated]

    def create(self, request, *args, **kwargs):
        # The contract (404) and who may record (403) before the body is read.
        self._contract = get_object_or_404(
            permissions.contracts_visible_to(request.user), pk=self.kwargs["pk"]
        )
        refuse_unless(permissions.can_record_result(request.user, self._contract), MSG_NOT_RECORDER)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.result_record(
            actor=self.request.user, contract=self._contract, **serializer.validated_data
        )


class ResultTransfers(generics.CreateAPIView):
    """Record a transfer (licence, sale, equity) of a result."""

    serializer_class = TransferCreateSerializer
    permission_classes = [IsAuthenticated]

    def create(self, request, *args, **kwargs):
        # The result (404) and who may record its transfers (403) before the body is read.
        self._result = get_object_or_404(
            permissions.results_visible_to(request.user).select_related("contract"), pk=self.kwargs["pk"]
        )
        refuse_unless(
            permissions.can_record_result(request.user, self._result.contract), MSG_NOT_TRANSFER_RECORDER
        )
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.transfer_record(
            actor=self.request.user, result=self._result, **serializer.validated_data
        )
