"""The awarded project: its contract (任务书) and everything that tracks it to results and transfers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.language import local_name
from kechuang.core.models import BaseModel
from kechuang.core.units import local_unit
from kechuang.core.uploads import UnguessablePath
from kechuang.core.validators import validate_not_future

from ..workflow import (
    CONTRACT_ACTIVE,
    ChangeRequestStatus,
    ContractStatus,
    MilestoneStatus,
    PerformanceGrade,
    PerformanceStatus,
)
from .needs import MONEY

VALUE = {"max_digits": 16, "decimal_places": 4}


class Contract(BaseModel):
    """The contract (任务书) of an awarded application: indicators, milestones, commissioner."""

    Status = ContractStatus

    code = models.CharField(_("任务书编号"), max_length=40, unique=True)
    application = models.OneToOneField(
        "challenges.Application",
        verbose_name=_("揭榜申请"),
        on_delete=models.PROTECT,
        related_name="contract",
    )
    challenge = models.ForeignKey(
        "challenges.Challenge", verbose_name=_("榜单"), on_delete=models.PROTECT, related_name="contracts"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("承担单位"), on_delete=models.PROTECT, related_name="contracts"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("挂帅人"),
        on_delete=models.PROTECT,
        related_name="led_contracts",
    )
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("项目专员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissioned_contracts",
    )
    title = models.CharField(_("项目名称"), max_length=200)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    budget = models.DecimalField(_("财政经费（万元）"), validators=[MinValueValidator(0)], **MONEY)
    budget_self = models.DecimalField(
        _("自筹经费（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    team = models.JSONField(_("团队"), default=list, blank=True, help_text=_("[{name, title, duty}]"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT, db_index=True
    )
    signed_at = models.DateTimeField(_("签订时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("任务书")
        verbose_name_plural = _("任务书")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ContractStatus.values), name="contract_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="contract_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("challenges:contract-detail", args=[self.pk])

    def coverage_active(self) -> bool:
        """True from award until the project is accepted, failed, stopped, merged or terminated."""
        return self.status in CONTRACT_ACTIVE


class ContractIndicator(BaseModel):
    """A contracted indicator: what acceptance checks, and what milestones report against."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="indicators")
    seq = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("指标名称"), max_length=120)
    # optional, a rendering for English pages (from the challenge's indicator; the contract's term is `name`)
    name_en = models.CharField(_("指标名称（英文）"), max_length=200, blank=True)
    unit = models.CharField(_("计量单位"), max_length=30, blank=True)
    # optional, as name_en: shown on English pages; empty: the shared table's (core.units), else the Chinese
    unit_en = models.CharField(_("计量单位（英文）"), max_length=80, blank=True)
    baseline = models.DecimalField(_("现有水平"), null=True, blank=True, **VALUE)
    target = models.DecimalField(_("考核目标"), **VALUE)
    higher_is_better = models.BooleanField(_("越大越好"), default=True)

    class Meta:
        verbose_name = _("任务书指标")
        verbose_name_plural = _("任务书指标")
        ordering = ["contract", "seq", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="contract_indicator_name_unique")
        ]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the reader's language (its English name on English pages when there is one)."""
        return local_name(self.name, self.name_en)

    @property
    def local_unit(self) -> str:
        """The unit in the reader's language (core.units.local_unit: its English form, the table's, the Chinese)."""
        return local_unit(self.unit, self.unit_en)

    def met_by(self, value) -> bool:
        """Whether `value` reaches the target in the indicator's direction."""
        if value is None:
            return False
        return value >= self.target if self.higher_is_better else value <= self.target


class Milestone(BaseModel):
    """A contracted milestone: due date, tranche, per-indicator targets; target → reported → verified."""

    Status = MilestoneStatus

    class Flag(models.TextChoices):
        NONE = "", _("正常")
        AT_RISK = "at_risk", _("临近到期")
        OVERDUE = "overdue", _("已逾期")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("阶段目标"), max_length=200)
    due_date = models.DateField(_("到期日"), db_index=True)
    tranche = models.DecimalField(
        _("拨付经费（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.TARGET,
        db_index=True,
    )
    report = models.TextField(_("完成情况报告"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flag = models.CharField(
        _("预警"), max_length=10, choices=Flag.choices, default="", blank=True, db_index=True
    )
    flagged_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    # The yearly-report form version of the project's list's 揭榜挂帅 version this was submitted with (issue #18),
    # and the values of its staff-added fields by stable key (challenges.programme.REPORT_BUILTIN_KEYS are
    # the code's own fields above). Rendered with this version for ever.
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("表单版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extra = models.JSONField(_("其他填报内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        ordering = ["contract", "seq", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MilestoneStatus.values), name="milestone_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(flag__in=["", "at_risk", "overdue"]), name="milestone_flag_valid"
            ),
            models.UniqueConstraint(fields=["contract", "seq"], name="milestone_seq_unique"),
        ]

    def __str__(self):
        return f"{self.contract.code} M{self.seq} {self.title}"

    def get_absolute_url(self):
        return reverse("challenges:milestone-detail", args=[self.pk])


class MilestoneValue(BaseModel):
    """One indicator's target at a milestone and the value reported for it."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        ContractIndicator, on_delete=models.CASCADE, related_name="milestone_values"
    )
    target = models.DecimalField(_("阶段目标值"), **VALUE)
    reported = models.DecimalField(_("报告值"), null=True, blank=True, **VALUE)

    class Meta:
        verbose_name = _("里程碑指标")
        verbose_name_plural = _("里程碑指标")
        ordering = ["milestone", "indicator__seq"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "indicator"], name="milestone_value_unique")
        ]

    def __str__(self):
        return f"{self.indicator.name}: {self.reported} / {self.target}"


class ChangeRequest(BaseModel):
    """A requested change of team, budget or dates; staff approve it and only then is it applied."""

    class Kind(models.TextChoices):
        TEAM = "team", _("团队变更")
        BUDGET = "budget", _("经费调整")
        DATES = "dates", _("时间调整")

    Status = ChangeRequestStatus

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("变更类型"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("变更理由"))
    payload = models.JSONField(_("变更内容"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("变更申请")
        verbose_name_plural = _("变更申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["team", "budget", "dates"]), name="change_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]), name="change_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.contract.code} {self.get_kind_display()}"


class MidtermCheck(BaseModel):
    """A mid-term check (中期检查) scored against the contract's indicators and milestones."""

    class Conclusion(models.TextChoices):
        CONTINUE = "continue", _("继续实施")
        ADJUST = "adjust", _("调整后实施")
        STOP = "stop", _("建议终止")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="midterm_checks")
    checked_on = models.DateField(_("检查日期"))
    indicator_score = models.DecimalField(_("指标进度得分"), max_digits=5, decimal_places=2)
    # None: no milestone was due by the check's day, nothing to score (services.tracking.midterm_score)
    milestone_score = models.DecimalField(
        _("里程碑得分"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("检查日之前没有到期的里程碑时为空（不计分）。"),
    )
    score = models.DecimalField(
        _("综合得分"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    detail = models.JSONField(_("计分明细"), default=dict)
    conclusion = models.CharField(_("结论"), max_length=10, choices=Conclusion.choices)
    notes = models.TextField(_("意见"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The mid-term check form version of the project's list's 揭榜挂帅 version this was submitted with (issue #18),
    # and the values of its staff-added fields by stable key (challenges.programme.REPORT_BUILTIN_KEYS are
    # the code's own fields above). Rendered with this version for ever.
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("表单版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extra = models.JSONField(_("其他填报内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("中期检查")
        verbose_name_plural = _("中期检查")
        ordering = ["contract", "-checked_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conclusion__in=["continue", "adjust", "stop"]),
                name="midterm_conclusion_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="midterm_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.contract.code} {self.checked_on} {self.score}"


class DownSelect(BaseModel):
    """The down-select gate (赛马阶段评估) of a racing challenge: which teams go on, stop or merge."""

    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.PROTECT, related_name="downselects"
    )
    decided_on = models.DateField(_("评估日期"))
    note = models.TextField(_("评估意见"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("赛马阶段评估")
        verbose_name_plural = _("赛马阶段评估")
        ordering = ["-decided_on"]

    def __str__(self):
        return f"{self.challenge.code} {self.decided_on}"


class DownSelectOutcome(BaseModel):
    """What a down-select decided for one racing team."""

    class Outcome(models.TextChoices):
        KEEP = "keep", _("继续支持")
        STOP = "stop", _("终止")
        MERGE = "merge", _("合并")

    downselect = models.ForeignKey(DownSelect, on_delete=models.CASCADE, related_name="outcomes")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="downselect_outcomes")
    outcome = models.CharField(_("结论"), max_length=6, choices=Outcome.choices)
    merge_into = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("赛马评估结论")
        verbose_name_plural = _("赛马评估结论")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["keep", "stop", "merge"]), name="downselect_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="merge") | models.Q(merge_into__isnull=False),
                name="downselect_merge_has_target",
            ),
            models.UniqueConstraint(fields=["downselect", "contract"], name="downselect_outcome_unique"),
        ]

    def __str__(self):
        return f"{self.contract.code}: {self.get_outcome_display()}"


class Acceptance(BaseModel):
    """Acceptance (验收) of a contract, indicator by indicator, with a verdict."""

    class Verdict(models.TextChoices):
        PASSED = "passed", _("通过")
        CONDITIONAL = "conditional", _("有条件通过")
        FAILED = "failed", _("不通过")

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="acceptance")
    accepted_on = models.DateField(_("验收日期"))
    verdict = models.CharField(_("验收结论"), max_length=12, choices=Verdict.choices)
    conditions = models.TextField(_("整改条件"), blank=True)
    panel = models.TextField(_("验收专家组"), blank=True)
    opinion = models.TextField(_("验收意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The acceptance form version of the project's list's 揭榜挂帅 version this was submitted with (issue #18),
    # and the values of its staff-added fields by stable key (challenges.programme.REPORT_BUILTIN_KEYS are
    # the code's own fields above). Rendered with this version for ever.
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("表单版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extra = models.JSONField(_("其他填报内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("验收")
        verbose_name_plural = _("验收")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict__in=["passed", "conditional", "failed"]),
                name="acceptance_verdict_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(verdict="conditional") | ~models.Q(conditions=""),
                name="acceptance_conditional_has_conditions",
            ),
        ]

    def __str__(self):
        return f"{self.contract.code} {self.get_verdict_display()}"


class AcceptanceItem(BaseModel):
    """One contracted indicator checked at acceptance: the achieved value and whether it meets the target."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(ContractIndicator, on_delete=models.CASCADE, related_name="+")
    achieved = models.DecimalField(_("实际达到值"), **VALUE)
    met = models.BooleanField(_("是否达标"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("验收指标")
        verbose_name_plural = _("验收指标")
        ordering = ["acceptance", "indicator__seq"]
        constraints = [
            models.UniqueConstraint(fields=["acceptance", "indicator"], name="acceptance_item_unique")
        ]

    def __str__(self):
        return f"{self.indicator.name}: {self.achieved}"


class Result(BaseModel):
    """A result (成果) of a project: patent, product, standard or paper."""

    class Kind(models.TextChoices):
        PATENT = "patent", _("专利")
        PRODUCT = "product", _("产品")
        STANDARD = "standard", _("标准")
        PAPER = "paper", _("论文")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="results")
    kind = models.CharField(_("成果类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("成果名称"), max_length=200)
    identifier = models.CharField(
        _("编号"), max_length=100, blank=True, help_text=_("专利号、标准号、DOI 等")
    )
    achieved_on = models.DateField(_("取得日期"), validators=[validate_not_future])
    description = models.TextField(_("说明"), blank=True)
    is_stage_result = models.BooleanField(_("阶段性成果"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("成果")
        verbose_name_plural = _("成果")
        ordering = ["-achieved_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["patent", "product", "standard", "paper"]),
                name="result_kind_valid",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("challenges:result-detail", args=[self.pk])


class Transfer(BaseModel):
    """A transfer (转化) of a result: licence, sale or equity, with its amount."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("许可")
        SALE = "sale", _("转让")
        EQUITY = "equity", _("作价入股")

    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("转化方式"), max_length=10, choices=Kind.choices)
    counterparty = models.CharField(_("受让方"), max_length=200)
    amount = models.DecimalField(_("金额（万元）"), validators=[MinValueValidator(0)], **MONEY)
    transferred_on = models.DateField(_("转化日期"), validators=[validate_not_future])
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("成果转化")
        verbose_name_plural = _("成果转化")
        ordering = ["-transferred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["licence", "sale", "equity"]), name="transfer_kind_valid"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="transfer_amount_nonneg"),
        ]

    def __str__(self):
        return f"{self.result.title} {self.get_kind_display()} {self.amount}"


class ReportFile(BaseModel):
    """The file answering a staff-added file field of a project's report form (issue #18): a milestone's
    yearly report, a mid-term check or the acceptance; private storage, downloaded only by the project's
    unit, its commissioner and staff (views.projects.report_file_download). The report's `extra[key]` is
    `{"name", "file"}`: the file name and this row's id."""

    class Report(models.TextChoices):
        YEARLY_REPORT = "yearly_report", _("年度报告")
        MID_TERM = "mid_term", _("中期检查")
        ACCEPTANCE = "acceptance", _("验收")
        PERFORMANCE = "performance", _("绩效评价")

    contract = models.ForeignKey(
        Contract, verbose_name=_("攻关项目"), on_delete=models.CASCADE, related_name="report_files"
    )
    report = models.CharField(_("报告"), max_length=20, choices=Report.choices)
    key = models.CharField(_("栏目"), max_length=60)
    file = models.FileField(_("文件"), upload_to=UnguessablePath("challenges/reports"), max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("报告附件")
        verbose_name_plural = _("报告附件")
        ordering = ["contract", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__in=["yearly_report", "mid_term", "acceptance", "performance"]),
                name="reportfile_report_valid",
            )
        ]

    def __str__(self):
        return self.original_name


class PerformanceEvaluation(BaseModel):
    """The performance evaluation (绩效评价, issue #18) of a project whose list's programme version has a
    performance stage: after acceptance, its commissioner or staff fill the stage's form version (answers by
    key in `values`, with the `form_version` they were given on, rendered with it for ever; file fields
    answered with a ReportFile of the project) and a grade; draft → submitted → confirmed by staff
    (workflow.PERFORMANCE; staff may send a submitted one back with a reason)."""

    Status = PerformanceStatus
    Grade = PerformanceGrade

    contract = models.OneToOneField(
        Contract, verbose_name=_("攻关项目"), on_delete=models.CASCADE, related_name="performance"
    )
    grade = models.CharField(_("评价等级"), max_length=10, choices=PerformanceGrade.choices, blank=True)
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("表单版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    values = models.JSONField(_("填报内容"), default=dict, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=PerformanceStatus.choices,
        default=PerformanceStatus.DRAFT,
        db_index=True,
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("绩效评价")
        verbose_name_plural = _("绩效评价")
        ordering = ["contract"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "confirmed"]),
                name="performance_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(grade__in=["", "excellent", "good", "pass", "fail"]),
                name="performance_grade_valid",
            ),
        ]

    def __str__(self):
        return f"{self.contract.code} {self.get_grade_display()}" if self.contract_id else "-"

    def get_absolute_url(self):
        return reverse("challenges:performance", args=[self.contract_id])
