"""Evaluation campaigns of platforms and of projects (项目绩效评价, mid-term or after acceptance): an indicator
tree with weights and scoring rules, the platforms or projects evaluated (entries), the raw values collected
(from yearly reports, from the project's contract — its own target indicators, milestones, results — and
expert scores), and each computation with the exact inputs it used, so a result can always be reproduced."""

import re
from dataclasses import replace

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kechuang.core import disciplines as discipline_table
from kechuang.core.language import local_name
from kechuang.core.messages import in_both
from kechuang.core.models import BaseModel
from kechuang.core.reviewable import ReviewSubject

from .workflow import CampaignStatus


class Campaign(BaseModel):
    Status = CampaignStatus

    class Grading(models.TextChoices):
        THRESHOLDS = "thresholds", _("按分数线")
        QUOTAS = "quotas", _("按比例")

    class Subject(models.TextChoices):
        PLATFORM = "platform", _("平台评估")
        PROJECT = "project", _("项目绩效评价")

    class Stage(models.TextChoices):
        NONE = "", _("—")
        MIDTERM = "midterm", _("中期绩效评价")
        ACCEPTANCE = "acceptance", _("验收后绩效评价")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    # Optional: shown on English pages; the Chinese name when empty (`local_name`).
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("数据年度"))
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    subject = models.CharField(
        _("评估对象"), max_length=10, choices=Subject.choices, default=Subject.PLATFORM, db_index=True
    )
    stage = models.CharField(_("评价阶段"), max_length=12, choices=Stage.choices, default="", blank=True)
    grading = models.CharField(
        _("定级方式"), max_length=12, choices=Grading.choices, default=Grading.THRESHOLDS
    )
    grade_params = models.JSONField(
        _("定级参数"), default=dict, blank=True, help_text=_('如 {"excellent": 85, "good": 75, "pass": 60}')
    )
    review_form_id = models.PositiveIntegerField(_("评审表"), null=True, blank=True)
    review_round_id = models.PositiveIntegerField(_("评审轮次"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("评估活动")
        verbose_name_plural = _("评估活动")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "collecting", "computed", "published"]),
                name="campaign_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(grading__in=["thresholds", "quotas"]), name="campaign_grading_valid"
            ),
            # A platform campaign has no stage; a project campaign is mid-term or after acceptance.
            models.CheckConstraint(
                condition=Q(subject="platform", stage="")
                | Q(subject="project", stage__in=["midterm", "acceptance"]),
                name="campaign_subject_stage_valid",
            ),
        ]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the reader's language: the English name on English pages when staff gave one."""
        return local_name(self.name, self.name_en)

    @property
    def is_project(self) -> bool:
        return self.subject == self.Subject.PROJECT

    def get_absolute_url(self):
        return reverse("evaluation:detail", args=[self.pk])


class IndicatorNode(BaseModel):
    """One indicator of a campaign's tree. Leaves have a scoring rule and a data source: a yearly-report
    field or a project figure (threshold/linear) or an expert score (the campaign's review form criterion of
    the same code). In a project campaign a group with source "indicators" takes, for each project, one leaf
    per target indicator of its contract (`entry` and `contract_indicator` set, rule "completion": the
    achieved value scored by its degree of completion; name, unit, target, baseline and direction copied into
    `params` when made), weights equal until staff change them before the campaign opens."""

    class Rule(models.TextChoices):
        GROUP = "group", _("分组（无评分规则）")
        THRESHOLD = "threshold", _("阈值分档")
        LINEAR = "linear", _("线性")
        EXPERT = "expert", _("专家评分")
        COMPLETION = "completion", _("按完成度")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=200)
    # Optional: shown on English pages, the Chinese name when empty (`local_name`).
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=8, decimal_places=4)
    rule = models.CharField(_("评分规则"), max_length=10, choices=Rule.choices, default=Rule.GROUP)
    source = models.CharField(_("数据来源字段"), max_length=40, blank=True)
    params = models.JSONField(_("规则参数"), default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)
    # A project's own leaf (one of its contract's target indicators); null for the campaign's common tree.
    entry = models.ForeignKey(
        "Entry", null=True, blank=True, on_delete=models.CASCADE, related_name="own_nodes"
    )
    contract_indicator = models.ForeignKey(
        "challenges.ContractIndicator",
        verbose_name=_("任务书指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标")
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="node_code_unique"),
            models.CheckConstraint(
                condition=Q(rule__in=["group", "threshold", "linear", "expert", "completion"]),
                name="node_rule_valid",
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="node_weight_nonnegative"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def local_name(self) -> str:
        """The indicator's name in the reader's language: its English name on English pages when given."""
        return local_name(self.name, self.name_en)

    @property
    def expands(self) -> bool:
        """A group taking each project's contract indicators as its leaves."""
        return self.rule == self.Rule.GROUP and self.source == "indicators" and self.entry_id is None


class Entry(BaseModel):
    """A platform or a project (its contract) taking part in a campaign. Reviewable: for a platform, experts
    from its host or co-host units conflict; for a project, the review rules of its application (its units,
    leader and team members, the units it asked to avoid)."""

    # The audit trail names an entry by its platform's (or project's) and campaign's current names, in the
    # reader's language (ADR 0019), while it exists.
    AUDIT_NAMED_NOW = ("platform", "contract", "campaign")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    platform = models.ForeignKey(
        "platforms.Platform",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_entries",
    )
    contract = models.ForeignKey(
        "challenges.Contract",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_entries",
    )

    class Meta:
        verbose_name = _("参评对象")
        verbose_name_plural = _("参评对象")
        ordering = ["campaign", "platform__code", "contract__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "platform"], name="entry_unique"),
            models.UniqueConstraint(fields=["campaign", "contract"], name="entry_contract_unique"),
            models.CheckConstraint(
                condition=Q(platform__isnull=False, contract__isnull=True)
                | Q(platform__isnull=True, contract__isnull=False),
                name="entry_platform_xor_contract",
            ),
        ]

    def __str__(self):
        return f"{self.subject_name} · {self.campaign}"

    def get_absolute_url(self):
        return reverse("evaluation:entry", args=[self.pk])

    # What pages, exports and the API show of the evaluated platform or project.
    @property
    def subject_code(self) -> str:
        return self.platform.code if self.platform_id else self.contract.code

    @property
    def subject_name(self) -> str:
        """The platform's name in the reader's language (ADR 0019), or the project's title (kept as typed)."""
        return self.platform.local_name if self.platform_id else self.contract.title

    @property
    def subject_name_zh(self) -> str:
        """The platform's approved Chinese name, or the project's title: for the API and audit payloads."""
        return self.platform.name if self.platform_id else self.contract.title

    @property
    def subject_short(self) -> str:
        """The chart's label: the short name (Chinese), or the English name on an English page where one is
        recorded."""
        if not self.platform_id:
            return self.contract.title
        p = self.platform
        return local_name(p.short_name or p.name, p.name_en)

    @property
    def subject_unit(self):
        return self.platform.host if self.platform_id else self.contract.unit

    @property
    def subject_url(self) -> str:
        return self.platform.get_absolute_url() if self.platform_id else self.contract.get_absolute_url()

    def review_subject(self) -> ReviewSubject:
        if self.contract_id:
            s = self.contract.application.review_subject()
            title, title_en = in_both(
                gettext_noop("%(s)s（%(c)s）"),
                s=self.contract.title,
                c=(self.campaign.name, self.campaign.name_en),
            )
            return replace(
                s,
                title=title,
                title_en=title_en,
                extra={**s.extra, "contract": self.contract.code},
            )
        p = self.platform
        units = [p.host_id, *p.affiliations.filter(end__isnull=True).values_list("unit_id", flat=True)]
        # A platform's 学科领域 are names as typed (交通运输工程); the review reads GB/T 13745 codes: a name of
        # the table becomes its code (it was shown to the expert as 未知学科（交通运输工程）), any other stays a
        # keyword.
        named = [(d, discipline_table.resolve(d)) for d in p.disciplines or ()]
        title, title_en = in_both(
            gettext_noop("%(s)s（%(c)s）"),
            s=(p.name, p.name_en),
            c=(self.campaign.name, self.campaign.name_en),
        )
        return ReviewSubject(
            title=title,
            title_en=title_en,
            text=p.mission,
            keywords=tuple(dict.fromkeys([*(p.industries or ()), *(d for d, code in named if not code)])),
            disciplines=tuple(dict.fromkeys(code for _d, code in named if code)),
            unit_ids=tuple(dict.fromkeys(units)),
            city=p.city,
        )


# The notes the collection writes with a raw value, kept in Chinese (services.collect) and read in the page's
# language by `collected_note_text`; any other note (typed by staff with a correction) is shown as typed.
COLLECTED_NOTES = frozenset(
    {
        gettext_noop("项目尚未验收"),
        gettext_noop("验收未记录该指标的达到值"),
        gettext_noop("尚无里程碑报告值"),
        gettext_noop("里程碑尚未报告该指标的值"),
        gettext_noop("任务书没有考核指标"),
        gettext_noop("尚无到期的里程碑"),
        gettext_noop("尚无提交的专家评分"),
        gettext_noop("该指标已不在任务书中"),
    }
)
COUNTED_NOTES = (  # (the note as kept, its msgid, the msgid's parameters in order)
    (re.compile(r"^(\d+)/(\d+) 个里程碑已核验$"), gettext_noop("%(d)d/%(n)d 个里程碑已核验"), ("d", "n")),
    (re.compile(r"^(\d+)/(\d+) 项达到目标$"), gettext_noop("%(m)d/%(n)d 项达到目标"), ("m", "n")),
    (re.compile(r"^(\d+) 年度报告未接收$"), gettext_noop("%(y)s 年度报告未接收"), ("y",)),
)


def collected_note_text(note: str) -> str:
    """A raw value's note in the page's language (see COLLECTED_NOTES)."""
    if note in COLLECTED_NOTES:
        return gettext(note)
    for pattern, msgid, names in COUNTED_NOTES:
        m = pattern.match(note)
        if m:
            return gettext(msgid) % {k: int(v) for k, v in zip(names, m.groups(), strict=True)}
    return note


class Score(BaseModel):
    """The raw value of one leaf indicator for one entry, with where it came from."""

    class Source(models.TextChoices):
        REPORT = "report", _("年度报告")
        PROJECT = "project", _("项目任务书与执行")
        EXPERT = "expert", _("专家评分")
        MISSING = "missing", _("缺失")
        # Mid-term: a contract indicator none of whose milestones with a target is due yet; left out of
        # the score (its siblings' weights renormalise), not missing.
        NOT_DUE = "not_due", _("未到期")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    node = models.ForeignKey(IndicatorNode, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("原始值"), max_digits=14, decimal_places=4, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    # For a project's contract indicators: each target indicator with its target, the value reached and
    # its degree of completion (0–100), as collected.
    detail = models.JSONField(_("明细"), default=list, blank=True)

    class Meta:
        verbose_name = _("指标原始值")
        verbose_name_plural = _("指标原始值")
        constraints = [
            models.UniqueConstraint(fields=["entry", "node"], name="score_unique"),
            models.CheckConstraint(
                condition=Q(source__in=["report", "project", "expert", "missing", "not_due"]),
                name="score_source_valid",
            ),
        ]

    def __str__(self):
        return f"{self.entry_id}/{self.node_id}={self.value}"

    @property
    def note_text(self) -> str:
        """The note in the page's language: a note the collection wrote (kept in Chinese) is put into it; a
        note typed by hand is shown as typed."""
        return collected_note_text(self.note)


class Computation(BaseModel):
    """One run of the scoring method: the exact input snapshot, the method and the outputs."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="computations")
    method = models.CharField(_("计算方法"), max_length=40)
    inputs = models.JSONField(_("输入快照"))
    outputs = models.JSONField(_("计算结果"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("计算记录")
        verbose_name_plural = _("计算记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.campaign} #{self.pk}"


class Result(BaseModel):
    """An entry's total, rank and grade in one computation."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("良好")
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    computation = models.ForeignKey(Computation, on_delete=models.CASCADE, related_name="results")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="results")
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("排名"))
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices)

    class Meta:
        verbose_name = _("评估结果")
        verbose_name_plural = _("评估结果")
        ordering = ["computation", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["computation", "entry"], name="result_unique"),
            models.CheckConstraint(
                condition=Q(grade__in=["excellent", "good", "pass", "fail"]), name="result_grade_valid"
            ),
        ]

    def __str__(self):
        return f"{self.entry} {self.total} {self.grade}"
