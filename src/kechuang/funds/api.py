"""JSON API of the money: a project's budget and payments, a payment's actions, an application's budget.
Amounts are strings of 元 to the fen (never floats). The same policy and services as the pages."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.challenges.models import Application
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.permissions import HasRole
from kechuang.core.roles import Role

from . import permissions, selectors, services
from .models import Line, Payment
from .services._common import NOT_ALLOWED

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
    action = serializers.ChoiceField(choices=["approve", "pay", "withhold", "reinstate"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
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


urlpatterns = [
    path("projects/<int:pk>/", ProjectFunds.as_view(), name="funds-project"),
    path("payments/<int:pk>/actions/", PaymentAction.as_view(), name="funds-payment-action"),
    path("applications/<int:pk>/budget/", ApplicationBudget.as_view(), name="funds-application-budget"),
]
