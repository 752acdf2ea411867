"""JSON API of the money: a project's budget and payments, a payment's actions, an application's budget.
Amounts are strings of 元 to the fen (never floats). The same policy and services as the pages."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.challenges.models import Application
from kechuang.core.api import REASON_MAX, ConfirmField, JSONParser
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.permissions import HasRole
from kechuang.core.roles import Role

from . import money, permissions, selectors, services
from .models import BudgetAdjustment, FinalAccount, Line, Payment, SpendingReport
from .services._common import NOT_ALLOWED
from .workflow import FINAL_ACCOUNT

YUAN = {"max_digits": 16, "decimal_places": 2}


class BudgetLineSerializer(serializers.Serializer):
    line = serializers.ChoiceField(choices=Line.choices)
    line_label = serializers.CharField(read_only=True, source="label")
    fiscal = serializers.DecimalField(min_value=0, **YUAN)
    self_raised = serializers.DecimalField(min_value=0, default=0, **YUAN)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PaymentSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    milestone_title = serializers.CharField(source="milestone.title", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "milestone",
            "milestone_title",
            "amount",
            "status",
            "status_label",
            "approved_at",
            "paid_on",
            "paid_amount",
            "withheld_reason",
        ]


class ProjectFundsSerializer(serializers.Serializer):
    budget = BudgetLineSerializer(many=True)
    payments = PaymentSerializer(many=True)
    planned = serializers.DecimalField(**YUAN)
    received = serializers.DecimalField(**YUAN)
    spent = serializers.DecimalField(**YUAN)


class ProjectFunds(APIView):
    """A project's budget by line and its payments (who may see the project)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.COMMISSIONER, Role.APPLICANT)

    @extend_schema(responses=ProjectFundsSerializer)
    def get(self, request, pk):
        try:
            contract = selectors.contract_get(pk=pk, user=request.user)
        except Exception as exc:
            raise NotFound() from exc
        data = selectors.funds_page(contract)
        return Response(ProjectFundsSerializer(data).data)


class PaymentActionIn(serializers.Serializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    action = serializers.ChoiceField(choices=["approve", "pay", "withhold", "reinstate"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)
    paid_amount = serializers.DecimalField(required=False, allow_null=True, default=None, **YUAN)
    voucher = serializers.FileField(required=False, allow_null=True, default=None)


class PaymentAction(APIView):
    """Approve, pay (date, amount in 元, voucher file), withhold or reinstate a payment. Staff only."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.COMMISSIONER, Role.APPLICANT)
    write_roles = (Role.STAFF, Role.COMMISSIONER, Role.APPLICANT)
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=PaymentActionIn, responses=PaymentSerializer)
    def post(self, request, pk):
        payment = get_object_or_404(Payment.objects.select_related("contract", "milestone"), pk=pk)
        if not permissions.can_view_funds(request.user, payment.contract):
            raise NotFound()
        if not permissions.can_manage_payments(request.user):
            raise PermissionDenied(NOT_ALLOWED)
        s = PaymentActionIn(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        f = d.get("voucher")
        services.payment_transition(
            actor=request.user,
            payment=payment,
            action=d["action"],
            reason=d["reason"],
            paid_on=d["paid_on"],
            paid_amount=d["paid_amount"],
            voucher=(f.read(), f.name) if f else None,
        )
        return Response(PaymentSerializer(payment).data)


class ApplicationBudget(APIView):
    """An application's budget by line: read by whoever sees the application, replaced by its unit."""

    permission_classes = [HasRole]
    roles = tuple(Role)  # signed in with any role; the application's own policy decides the rest
    json_body_list = True  # PUT takes the budget's lines as a JSON array (core.api.JSONParser)

    @extend_schema(responses=BudgetLineSerializer(many=True))
    def get(self, request, pk):
        application = get_object_or_404(Application, pk=pk)
        if not permissions.can_view_budget(request.user, application):
            raise NotFound()
        return Response(BudgetLineSerializer(selectors.budget_rows(application=application), many=True).data)

    @extend_schema(request=BudgetLineSerializer(many=True), responses=BudgetLineSerializer(many=True))
    def put(self, request, pk):
        application = get_object_or_404(Application, pk=pk)
        if not permissions.can_view_budget(request.user, application):
            raise NotFound()
        s = BudgetLineSerializer(data=request.data, many=True)
        s.is_valid(raise_exception=True)
        services.application_budget_set(actor=request.user, application=application, lines=s.validated_data)
        return Response(BudgetLineSerializer(selectors.budget_rows(application=application), many=True).data)


# --- the unit's side: spending reports, budget adjustments, final accounts (issue #16) ----------------------


def _contract(request, pk):
    """The project, if the user may see its money (404 otherwise, as on the pages)."""
    try:
        return selectors.contract_get(pk=pk, user=request.user)
    except ObjectDoesNotExist as exc:
        raise NotFound() from exc


def _money_row(request, queryset, pk):
    """A row of a project's money (an adjustment, a final account), if the user may see that money."""
    row = get_object_or_404(queryset, pk=pk)
    if not permissions.can_view_funds(request.user, row.contract):
        raise NotFound()
    return row


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


class SpendingReportSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="__str__", read_only=True)
    lines = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    class Meta:
        model = SpendingReport
        fields = ["id", "year", "quarter", "period", "note", "lines", "total"]

    @extend_schema_field(serializers.DictField(child=serializers.DecimalField(**YUAN)))
    def get_lines(self, obj) -> dict:
        return {x.line: str(x.amount) for x in obj.lines.all()}

    @extend_schema_field(serializers.DecimalField(**YUAN))
    def get_total(self, obj) -> str:
        return str(sum((x.amount for x in obj.lines.all()), money.ZERO))


class SpendingIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    lines = serializers.DictField(child=serializers.DecimalField(min_value=0, **YUAN), allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)

    def validate_lines(self, value):
        unknown = sorted(set(value) - set(money.LINES))
        if unknown:
            raise serializers.ValidationError(_("未知的预算科目。"))
        return value


class ContractMoneyView(APIView):
    """The shape a project's spending reports, budget adjustments and final accounts share: read by whoever
    sees the project's money (404 otherwise, as on the pages); written by whom `may_write` lets (the refusal
    says why), the body checked by `body`, the change made by `write` (a service: the same rule and audit as
    the money page) and answered with `out`."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.COMMISSIONER, Role.APPLICANT)
    write_roles = (Role.APPLICANT,)
    out: type[serializers.Serializer]
    body: type[serializers.Serializer]
    many = True  # what `read` returns: a list (many) or one object
    write_status = 201

    @staticmethod
    def may_write(user, contract) -> bool:
        raise NotImplementedError

    def read(self, contract):
        raise NotImplementedError

    def write(self, request, contract, data):
        raise NotImplementedError

    def answer_read(self, request, pk) -> Response:
        return Response(self.out(self.read(_contract(request, pk)), many=self.many).data)

    def answer_write(self, request, pk) -> Response:
        contract = _contract(request, pk)
        _refuse_unless(self.may_write(request.user, contract))
        s = self.body(data=request.data)
        s.is_valid(raise_exception=True)
        return Response(
            self.out(self.write(request, contract, s.validated_data)).data, status=self.write_status
        )


class Spending(ContractMoneyView):
    """A project's spending reports by quarter and line (元); the contracted unit reports or corrects one
    quarter (the same rule and audit as the money page)."""

    out, body = SpendingReportSerializer, SpendingIn
    may_write = staticmethod(permissions.can_report_spending)

    def read(self, contract):
        return SpendingReport.objects.filter(contract=contract).prefetch_related("lines")

    def write(self, request, contract, d):
        report = services.spending_report_set(
            actor=request.user,
            contract=contract,
            year=d["year"],
            quarter=d["quarter"],
            lines=d["lines"],
            note=d["note"],
        )
        return self.read(contract).get(pk=report.pk)

    @extend_schema(responses=SpendingReportSerializer(many=True))
    def get(self, request, pk):
        return self.answer_read(request, pk)

    @extend_schema(request=SpendingIn, responses=SpendingReportSerializer)
    def post(self, request, pk):
        return self.answer_write(request, pk)


class AdjustmentSerializer(serializers.ModelSerializer):
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    target_label = serializers.CharField(source="get_target_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    amount = serializers.DecimalField(read_only=True, **YUAN)

    class Meta:
        model = BudgetAdjustment
        fields = [
            "id",
            "contract",
            "source",
            "source_label",
            "target",
            "target_label",
            "amount",
            "reason",
            "large",
            "status",
            "status_label",
            "decided_at",
            "decision_note",
        ]


class AdjustmentIn(serializers.Serializer):
    source = serializers.ChoiceField(choices=Line.choices)
    target = serializers.ChoiceField(choices=Line.choices)
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **YUAN)
    reason = serializers.CharField(allow_blank=True, max_length=REASON_MAX)


class Adjustments(ContractMoneyView):
    """A project's budget adjustment requests; the contracted unit asks for one (amount in 元)."""

    out, body = AdjustmentSerializer, AdjustmentIn
    may_write = staticmethod(permissions.can_request_adjustment)

    def read(self, contract):
        return BudgetAdjustment.objects.filter(contract=contract)

    def write(self, request, contract, d):
        return services.adjustment_request(
            actor=request.user,
            contract=contract,
            source=d["source"],
            target=d["target"],
            amount_yuan=d["amount"],
            reason=d["reason"],
        )

    @extend_schema(responses=AdjustmentSerializer(many=True))
    def get(self, request, pk):
        return self.answer_read(request, pk)

    @extend_schema(request=AdjustmentIn, responses=AdjustmentSerializer)
    def post(self, request, pk):
        return self.answer_write(request, pk)


class DecideIn(serializers.Serializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)


class AdjustmentDecide(APIView):
    """Staff (any), or the project's commissioner (the small ones), approve or reject an adjustment."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.COMMISSIONER, Role.APPLICANT)
    write_roles = (Role.STAFF, Role.COMMISSIONER)

    @extend_schema(request=DecideIn, responses=AdjustmentSerializer)
    def post(self, request, pk):
        adj = _money_row(request, BudgetAdjustment.objects.select_related("contract__challenge"), pk)
        _refuse_unless(permissions.can_decide_adjustment(request.user, adj.contract))
        s = DecideIn(data=request.data)
        s.is_valid(raise_exception=True)
        services.adjustment_decide(
            actor=request.user,
            adjustment=adj,
            approve=s.validated_data["approve"],
            note=s.validated_data["note"],
        )
        return Response(AdjustmentSerializer(adj).data)


class FinalAccountSerializer(serializers.ModelSerializer):
    handling_label = serializers.CharField(source="get_handling_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = FinalAccount
        fields = [
            "id",
            "contract",
            "received",
            "spent",
            "balance",
            "handling",
            "handling_label",
            "note",
            "status",
            "status_label",
            "version",
        ]


class FinalAccountIn(serializers.Serializer):
    handling = serializers.ChoiceField(choices=FinalAccount.Handling.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)


class FinalAccountView(ContractMoneyView):
    """A project's final accounts (决算): read by whoever sees its money (404 until drawn up); drawn up or
    redrawn by the contracted unit from the ledger (received, spent and balance are computed, not sent)."""

    out, body = FinalAccountSerializer, FinalAccountIn
    may_write = staticmethod(permissions.can_edit_final_account)
    many, write_status = False, 200

    def read(self, contract):
        fa = FinalAccount.objects.filter(contract=contract).first()
        if fa is None:
            raise NotFound(_("尚未编制决算。"))
        return fa

    def write(self, request, contract, d):
        return services.final_account_draft(
            actor=request.user, contract=contract, handling=d["handling"], note=d["note"]
        )

    @extend_schema(responses=FinalAccountSerializer)
    def get(self, request, pk):
        return self.answer_read(request, pk)

    @extend_schema(request=FinalAccountIn, responses=FinalAccountSerializer)
    def put(self, request, pk):
        return self.answer_write(request, pk)


class FinalActionIn(serializers.Serializer):
    confirm = ConfirmField()  # a step that cannot be undone: true (docs/security.md §42)
    action = serializers.ChoiceField(choices=sorted(FINAL_ACCOUNT.transitions))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)


class FinalAccountAction(APIView):
    """Submit (the unit, once the project is under acceptance), confirm or return (staff, with a reason)."""

    permission_classes = [HasRole]
    roles = (Role.STAFF, Role.COMMISSIONER, Role.APPLICANT)
    write_roles = (Role.STAFF, Role.APPLICANT)

    @extend_schema(request=FinalActionIn, responses=FinalAccountSerializer)
    def post(self, request, pk):
        fa = _money_row(request, FinalAccount.objects.select_related("contract"), pk)
        s = FinalActionIn(data=request.data)
        s.is_valid(raise_exception=True)
        services.final_account_transition(
            actor=request.user,
            account=fa,
            action=s.validated_data["action"],
            reason=s.validated_data["reason"],
        )
        return Response(FinalAccountSerializer(fa).data)


urlpatterns = [
    path("projects/<int:pk>/", ProjectFunds.as_view(), name="funds-project"),
    path("projects/<int:pk>/spending/", Spending.as_view(), name="funds-spending"),
    path("projects/<int:pk>/adjustments/", Adjustments.as_view(), name="funds-adjustments"),
    path("projects/<int:pk>/final/", FinalAccountView.as_view(), name="funds-final-account"),
    path("adjustments/<int:pk>/decide/", AdjustmentDecide.as_view(), name="funds-adjustment-decide"),
    path("final/<int:pk>/actions/", FinalAccountAction.as_view(), name="funds-final-action"),
    path("payments/<int:pk>/actions/", PaymentAction.as_view(), name="funds-payment-action"),
    path("applications/<int:pk>/budget/", ApplicationBudget.as_view(), name="funds-application-budget"),
]
