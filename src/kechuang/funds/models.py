"""Money of the projects: budgets by standard line, payments (tranches), co-funding receipts, spending
reports, budget adjustments and final accounts. Amounts are 元 to the fen (Decimal, two places)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import date_text
from kechuang.core.models import BaseModel
from kechuang.core.uploads import UnguessablePath

from . import money
from .workflow import AdjustmentStatus, FinalAccountStatus, PaymentStatus

YUAN = {"max_digits": 16, "decimal_places": 2}


class Line(models.TextChoices):
    """The standard budget lines (国办发〔2021〕32号): three direct lines and the indirect costs."""

    EQUIPMENT = money.EQUIPMENT, _("设备费")
    BUSINESS = money.BUSINESS, _("业务费")
    LABOUR = money.LABOUR, _("劳务费")
    INDIRECT = money.INDIRECT, _("间接费用")


class FundingRules(BaseModel):
    """A call's budget rules, set by staff; a call without a row keeps the defaults of `money.Rules`."""

    challenge = models.OneToOneField(
        "challenges.Challenge", verbose_name=_("榜单"), on_delete=models.CASCADE, related_name="funding_rules"
    )
    indirect_max_pct = models.DecimalField(
        _("间接费用上限（占直接费用 %）"),
        max_digits=5,
        decimal_places=2,
        default=money.Rules.indirect_max_pct,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    adjust_small_pct = models.DecimalField(
        _("专员可批调整比例（占调出科目 %）"),
        max_digits=5,
        decimal_places=2,
        default=money.Rules.adjust_small_pct,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    adjust_small_amount = models.DecimalField(
        _("专员可批调整金额（元）"),
        default=money.Rules.adjust_small_amount,
        validators=[MinValueValidator(0)],
        **YUAN,
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("经费规则")
        verbose_name_plural = _("经费规则")

    def __str__(self):
        return str(self.challenge)

    def as_rules(self) -> money.Rules:
        return money.Rules(self.indirect_max_pct, self.adjust_small_pct, self.adjust_small_amount)


class BudgetLine(BaseModel):
    """One line of a budget: of an application (what was asked) or of a contract (what was agreed)."""

    application = models.ForeignKey(
        "challenges.Application",
        verbose_name=_("揭榜申请"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    contract = models.ForeignKey(
        "challenges.Contract",
        verbose_name=_("任务书"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    line = models.CharField(_("预算科目"), max_length=12, choices=Line.choices)
    fiscal = models.DecimalField(_("财政经费（元）"), default=0, validators=[MinValueValidator(0)], **YUAN)
    self_raised = models.DecimalField(
        _("自筹经费（元）"), default=0, validators=[MinValueValidator(0)], **YUAN
    )
    note = models.CharField(_("测算依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("预算科目")
        verbose_name_plural = _("预算科目")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(line__in=money.LINES), name="budget_line_valid"),
            models.CheckConstraint(
                condition=models.Q(application__isnull=True, contract__isnull=False)
                | models.Q(application__isnull=False, contract__isnull=True),
                name="budget_line_one_owner",
            ),
            models.UniqueConstraint(fields=["application", "line"], name="budget_line_app_unique"),
            models.UniqueConstraint(fields=["contract", "line"], name="budget_line_contract_unique"),
            models.CheckConstraint(
                condition=models.Q(fiscal__gte=0, self_raised__gte=0), name="budget_line_gte_0"
            ),
        ]

    def __str__(self):
        return self.get_line_display()


class Payment(BaseModel):
    """A tranche of a contract as a payment: planned → payable → approved → paid, or withheld."""

    Status = PaymentStatus
    # the audit trail names a payment as it is named now, in the reader's language ("JB-2025-001-01 tranche
    # 2", not the Chinese its writer read: core.display._object_names)
    AUDIT_NAMED_NOW = ("contract", "milestone")

    contract = models.ForeignKey(
        "challenges.Contract", verbose_name=_("任务书"), on_delete=models.PROTECT, related_name="payments"
    )
    milestone = models.OneToOneField(
        "challenges.Milestone", verbose_name=_("依据里程碑"), on_delete=models.PROTECT, related_name="payment"
    )
    amount = models.DecimalField(_("计划金额（元）"), validators=[MinValueValidator(0)], **YUAN)
    status = models.CharField(
        _("状态"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PLANNED, db_index=True
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("拨付金额（元）"), null=True, blank=True, **YUAN)
    voucher = models.FileField(
        _("拨付凭证"), upload_to=UnguessablePath("funds/vouchers"), max_length=255, blank=True
    )
    voucher_name = models.CharField(_("凭证文件名"), max_length=200, blank=True)
    withheld_reason = models.TextField(_("暂缓原因"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("经费拨付")
        verbose_name_plural = _("经费拨付")
        ordering = ["contract", "milestone__seq"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PaymentStatus.values), name="payment_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_gte_0"),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | models.Q(paid_on__isnull=False, paid_amount__gt=0),
                name="payment_paid_has_facts",
            ),
        ]

    def __str__(self):
        return _("%(contract)s 第%(seq)s期拨付") % {"contract": self.contract.code, "seq": self.milestone.seq}


class CofundingReceipt(BaseModel):
    """Money the co-funder (联合出资单位) paid into a project, as staff recorded it."""

    AUDIT_NAMED_NOW = ("cofunder",)

    contract = models.ForeignKey(
        "challenges.Contract", verbose_name=_("任务书"), on_delete=models.PROTECT, related_name="cofunding"
    )
    cofunder = models.ForeignKey(
        "accounts.Unit", verbose_name=_("联合出资单位"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("到账金额（元）"), validators=[MinValueValidator(0.01)], **YUAN)
    received_on = models.DateField(_("到账日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("联合出资到账")
        verbose_name_plural = _("联合出资到账")
        ordering = ["contract", "received_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="cofunding_amount_gt_0")]

    def __str__(self):
        return _("%(unit)s %(date)s 到账") % {"unit": self.cofunder, "date": date_text(self.received_on)}


class SpendingReport(BaseModel):
    """The unit's spending in one quarter, by budget line (its `lines`)."""

    contract = models.ForeignKey(
        "challenges.Contract",
        verbose_name=_("任务书"),
        on_delete=models.PROTECT,
        related_name="spending_reports",
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    note = models.TextField(_("执行情况说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("经费执行报告")
        verbose_name_plural = _("经费执行报告")
        ordering = ["contract", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year", "quarter"], name="spending_report_period_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="spending_quarter_1_4"
            ),
        ]

    def __str__(self):
        return _("%(year)s年第%(q)s季度") % {"year": self.year, "q": self.quarter}


class SpendingLine(BaseModel):
    report = models.ForeignKey(SpendingReport, on_delete=models.CASCADE, related_name="lines")
    line = models.CharField(_("预算科目"), max_length=12, choices=Line.choices)
    amount = models.DecimalField(_("支出金额（元）"), default=0, validators=[MinValueValidator(0)], **YUAN)

    class Meta:
        verbose_name = _("支出科目")
        verbose_name_plural = _("支出科目")
        ordering = ["report", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "line"], name="spending_line_unique"),
            models.CheckConstraint(condition=models.Q(line__in=money.LINES), name="spending_line_valid"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="spending_amount_gte_0"),
        ]

    def __str__(self):
        return self.get_line_display()


class BudgetAdjustment(BaseModel):
    """A request to move fiscal money from one budget line to another; small ones the commissioner decides."""

    Status = AdjustmentStatus

    contract = models.ForeignKey(
        "challenges.Contract",
        verbose_name=_("任务书"),
        on_delete=models.PROTECT,
        related_name="budget_adjustments",
    )
    source = models.CharField(_("调出科目"), max_length=12, choices=Line.choices)
    target = models.CharField(_("调入科目"), max_length=12, choices=Line.choices)
    amount = models.DecimalField(_("调整金额（元）"), validators=[MinValueValidator(0.01)], **YUAN)
    reason = models.TextField(_("调整理由"))
    large = models.BooleanField(_("须科技厅审批"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("预算调整")
        verbose_name_plural = _("预算调整")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AdjustmentStatus.values), name="adjustment_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="adjustment_lines_differ"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="adjustment_amount_gt_0"),
        ]

    def __str__(self):
        return _("%(src)s → %(dst)s") % {"src": self.get_source_display(), "dst": self.get_target_display()}


class FinalAccount(BaseModel):
    """The final accounts (决算) of a project at acceptance: received, spent, the balance and its handling."""

    Status = FinalAccountStatus

    class Handling(models.TextChoices):
        RETURN = "return_fund", _("收回财政")
        KEEP = "keep_balance", _("结余留用（用于后续科研）")
        NONE = "no_balance", _("无结余")

    contract = models.OneToOneField(
        "challenges.Contract",
        verbose_name=_("任务书"),
        on_delete=models.PROTECT,
        related_name="final_account",
    )
    received = models.DecimalField(_("到位经费（元）"), default=0, **YUAN)
    spent = models.DecimalField(_("支出合计（元）"), default=0, **YUAN)
    balance = models.DecimalField(_("结余（元）"), default=0, **YUAN)
    handling = models.CharField(_("结余处理"), max_length=12, choices=Handling.choices, default=Handling.NONE)
    note = models.TextField(_("决算说明"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=FinalAccountStatus.choices,
        default=FinalAccountStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("项目决算")
        verbose_name_plural = _("项目决算")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=FinalAccountStatus.values), name="final_account_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(handling__in=["return_fund", "keep_balance", "no_balance"]),
                name="final_account_handling_valid",
            ),
        ]

    def __str__(self):
        return _("%(contract)s 决算") % {"contract": self.contract.code}
