"""The challenge list (榜单): one published call with measurable indicators, and its award publicity."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Unit
from kechuang.core.language import local_name
from kechuang.core.lists import listed
from kechuang.core.models import BaseModel
from kechuang.core.units import local_unit

from ..workflow import ChallengeStatus, ObjectionStatus
from .needs import MONEY


class Challenge(BaseModel):
    """A challenge list entry (榜单): problem, target indicators, budget, eligibility, deadline, winners."""

    Status = ChallengeStatus

    code = models.CharField(_("榜单编号"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    topic = models.ForeignKey(
        "challenges.Topic", verbose_name=_("课题"), on_delete=models.PROTECT, related_name="challenges"
    )
    title = models.CharField(_("榜单名称"), max_length=200)
    # Optional: shown on English pages; the Chinese title when empty (`local_title`).
    title_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    problem = models.TextField(_("攻关任务与问题"))
    goal = models.TextField(_("攻关目标"), blank=True)
    budget_ceiling = models.DecimalField(
        _("财政经费上限（万元）"), validators=[MinValueValidator(0)], default=0, **MONEY
    )
    cofunder = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("联合出资单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cofunded_challenges",
    )
    cofund_share = models.DecimalField(
        _("联合出资比例（%）"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    ip_terms = models.TextField(_("知识产权约定"), blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("实施周期（月）"), default=24, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    eligibility = models.TextField(_("揭榜条件"), blank=True)
    unit_kinds = models.JSONField(
        _("允许揭榜的单位类型"), default=list, blank=True, help_text=_("留空表示不限。")
    )
    max_active_per_leader = models.PositiveSmallIntegerField(
        _("挂帅人在研项目上限"), default=2, validators=[MinValueValidator(1)]
    )
    deadline = models.DateTimeField(_("揭榜截止时间"))
    max_winners = models.PositiveSmallIntegerField(
        _("揭榜方数量"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("大于 1 表示赛马制。"),
    )
    downselect_on = models.DateField(_("赛马阶段评估日期"), null=True, blank=True)
    criteria = models.JSONField(
        _("评审指标及权重"),
        default=list,
        blank=True,
        help_text=_('如 [{"code": "tech", "name": "技术先进性", "weight": 0.4}]，权重之和为 1。'),
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ChallengeStatus.choices,
        default=ChallengeStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("发榜时间"), null=True, blank=True)
    # The kechuang.review Round of this challenge's applications (challenges sits above review).
    review_round = models.ForeignKey(
        "review.Round",
        verbose_name=_("评审轮次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The second expert review (答辩, panel defence) of a list whose version has a second review stage after
    # the letter review (issue #18): a kechuang.review Round over the shortlisted applications, scored on
    # that stage's review form version.
    defence_round = models.ForeignKey(
        "review.Round",
        verbose_name=_("答辩评审轮次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The 揭榜挂帅 programme version this list runs on (issue #18; challenges.programme): pinned when the
    # list is drafted, kept for ever; its stages and forms are the ones the list's applications use.
    programme_version = models.ForeignKey(
        "programmes.ProgrammeVersion",
        verbose_name=_("计划类别版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("榜单")
        verbose_name_plural = _("榜单")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ChallengeStatus.values), name="challenge_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(cofund_share__gte=0, cofund_share__lte=100), name="challenge_share_range"
            ),
            models.CheckConstraint(condition=models.Q(max_winners__gte=1), name="challenge_winners_gte_1"),
        ]

    def __str__(self):
        return f"{self.code} {self.local_title}"

    @property
    def local_title(self) -> str:
        """The title in the reader's language: the English name on English pages when staff gave one."""
        return local_name(self.title, self.title_en)

    def get_absolute_url(self):
        return reverse("challenges:challenge-detail", args=[self.pk])

    @property
    def is_racing(self) -> bool:
        return self.max_winners > 1

    @property
    def stage_kinds(self) -> tuple[str, ...]:
        """The stage kinds of the programme version this list runs on, in order (issue #18); empty for a
        list without one (it runs every stage, as before versions)."""
        version = self.programme_version
        return tuple(s.get("kind", "") for s in version.stages) if version else ()

    def runs_stage(self, kind: str) -> bool:
        """Whether this list's version has a stage of `kind` (challenges.programme.OPTIONAL_KINDS are
        skipped when it has not)."""
        kinds = self.stage_kinds
        return not kinds or kind in kinds

    @property
    def has_downselect(self) -> bool:
        """A racing down-select (赛马制择优) runs: several winners and a racing stage in the version."""
        return self.is_racing and self.runs_stage("racing")

    @property
    def has_defence(self) -> bool:
        """The version has a second expert review stage (答辩 after 函评): the decision rests on both."""
        return sum(1 for k in self.stage_kinds if k in ("letter_review", "panel_review")) >= 2

    @property
    def has_publicity(self) -> bool:
        return self.runs_stage("publicity")

    @property
    def has_midterm(self) -> bool:
        return self.runs_stage("mid_term")

    @property
    def is_public(self) -> bool:
        return self.status not in (ChallengeStatus.DRAFT,)

    def clean(self):
        super().clean()

        bad = [k for k in (self.unit_kinds or []) if k not in Unit.Kind.values]
        if bad:
            raise ValidationError({"unit_kinds": _("未知的单位类型：%(k)s") % {"k": listed(bad)}})
        if self.cofund_share and not self.cofunder_id:
            raise ValidationError({"cofunder": _("填写了联合出资比例，须指定联合出资单位。")})
        for c in self.criteria or []:
            if not isinstance(c, dict) or not c.get("code") or not c.get("name"):
                raise ValidationError({"criteria": _("每项评审指标须有代码和名称。")})
            try:
                w = float(c.get("weight"))
            except (TypeError, ValueError):
                raise ValidationError({"criteria": _("评审指标权重必须是数字。")})
            if not 0 < w <= 1:
                raise ValidationError({"criteria": _("评审指标权重须在 0 到 1 之间。")})

    def coverage_active(self) -> bool:
        """True from publication until the challenge is finished or cancelled."""
        return self.status in (ChallengeStatus.PUBLISHED, ChallengeStatus.CLOSED, ChallengeStatus.AWARDED)


class ChallengeIndicator(BaseModel):
    """One measurable target indicator of a challenge: name, unit, baseline, target."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("榜单"), on_delete=models.CASCADE, related_name="indicators"
    )
    seq = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("指标名称"), max_length=120)
    # optional, a rendering for English pages (copied into the contract at award; not a term of the list)
    name_en = models.CharField(_("指标名称（英文）"), max_length=200, blank=True)
    unit = models.CharField(_("计量单位"), max_length=30, blank=True)
    # optional, as name_en: shown on English pages; empty: the shared table's (core.units), else the Chinese
    unit_en = models.CharField(_("计量单位（英文）"), max_length=80, blank=True)
    baseline = models.DecimalField(_("现有水平"), max_digits=16, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("目标值"), max_digits=16, decimal_places=4)
    higher_is_better = models.BooleanField(_("越大越好"), default=True)

    class Meta:
        verbose_name = _("榜单指标")
        verbose_name_plural = _("榜单指标")
        ordering = ["challenge", "seq", "id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "name"], name="challenge_indicator_name_unique")
        ]

    def __str__(self):
        return (
            f"{self.local_name} ≥ {self.target}{self.local_unit}"
            if self.higher_is_better
            else self.local_name
        )

    @property
    def local_name(self) -> str:
        """The name in the reader's language (its English name on English pages when there is one)."""
        return local_name(self.name, self.name_en)

    @property
    def local_unit(self) -> str:
        """The unit in the reader's language (core.units.local_unit: its English form, the table's, the Chinese)."""
        return local_unit(self.unit, self.unit_en)


class Publicity(BaseModel):
    """The publicity period (公示) of a challenge's proposed award, in which objections may be lodged."""

    challenge = models.OneToOneField(
        Challenge, verbose_name=_("榜单"), on_delete=models.CASCADE, related_name="publicity"
    )
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    notice = models.TextField(_("公示内容"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("拟立项公示")
        verbose_name_plural = _("拟立项公示")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="publicity_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.challenge.code} {self.starts_on}–{self.ends_on}"

    def get_absolute_url(self):
        return reverse("challenges:publicity", args=[self.challenge_id])


class Objection(BaseModel):
    """An objection (异议) to a proposed award, lodged during publicity and answered by staff."""

    Status = ObjectionStatus

    publicity = models.ForeignKey(
        Publicity, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="objections"
    )
    application = models.ForeignKey(
        "challenges.Application",
        verbose_name=_("针对的揭榜申请"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    text = models.TextField(_("异议内容"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "upheld", "dismissed"]), name="objection_status_valid"
            )
        ]

    def __str__(self):
        return _("关于%(app)s的异议") % {"app": self.application}
