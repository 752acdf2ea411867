"""Review rounds: scoring forms and criteria, rounds, their subjects, conflicts and assignments, external subjects."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core import divisions
from kechuang.core.language import local_name
from kechuang.core.messages import InBoth
from kechuang.core.models import BaseModel
from kechuang.core.reviewable import Person, ReviewSubject

from ..workflow import AssignmentStatus, RoundStatus
from .experts import REASON_LENGTH, ExpertProfile

LEXIMIN_DEPTH_MAX = 20  # a round's fair mode lifts at most this many worst-off levels (Round.leximin_depth)


class ReviewForm(BaseModel):
    """A scoring form: weighted criteria, each with anchors telling what a score means."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    name_en = models.CharField(_("名称（英文）"), max_length=200, blank=True)
    description = models.TextField(_("说明"), blank=True)
    scale = models.PositiveSmallIntegerField(_("总分满分"), default=100)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["name"]

    def __str__(self):
        return local_name(self.name, self.name_en)


class Criterion(BaseModel):
    form = models.ForeignKey(ReviewForm, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("名称（英文）"), max_length=200, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=4)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=100)
    anchors = models.TextField(_("评分锚点"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("评分指标")
        verbose_name_plural = _("评分指标")
        ordering = ["form", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return local_name(self.name, self.name_en)


class Round(BaseModel):
    """One review round over subjects of one kind (applications, evaluation entries, ...)."""

    class Mode(models.TextChoices):
        OPTIMAL = "optimal", _("最优匹配")
        FAIR = "fair", _("公平匹配")
        RANDOM = "random", _("随机抽取")

    Status = RoundStatus

    title = models.CharField(_("名称"), max_length=200)
    title_en = models.CharField(_("名称（英文）"), max_length=200, blank=True)
    form = models.ForeignKey(
        ReviewForm, verbose_name=_("评分表"), on_delete=models.PROTECT, related_name="rounds"
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("评审对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    k = models.PositiveSmallIntegerField(_("每项专家数"), default=3)
    min_load = models.PositiveSmallIntegerField(_("专家最少评审数"), default=0)
    max_load = models.PositiveSmallIntegerField(_("专家最多评审数"), default=6)
    mode = models.CharField(_("分配方式"), max_length=10, choices=Mode.choices, default=Mode.OPTIMAL)
    conflict_years = models.PositiveSmallIntegerField(_("同单位回避年限"), default=5)
    same_city_rule = models.BooleanField(_("同城回避"), default=False)
    seed = models.BigIntegerField(_("随机种子"), null=True, blank=True)
    leximin_depth = models.PositiveSmallIntegerField(
        _("公平优先层数"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(LEXIMIN_DEPTH_MAX)],
        help_text=_(
            "公平匹配时依次提高得分最低的几项：1 只提高最低的一项，2 在保住最低一项的同时再提高次低的一项，"
            "以此类推（最多 20 层；层数越多，求解越慢）。其他分配方式不用此项。"
        ),
    )
    experts = models.ManyToManyField(
        ExpertProfile, verbose_name=_("专家范围"), related_name="rounds", blank=True
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # a digest, never edited: the audit trail keeps it and shows no line for it (core.display._machine_field)
    input_hash = models.CharField(_("分配输入指纹（SHA-256）"), max_length=64, blank=True, editable=False)
    solver_input = models.JSONField(_("求解输入"), null=True, blank=True)
    solver_result = models.JSONField(_("求解结果"), null=True, blank=True)
    objective = models.FloatField(_("总匹配度"), null=True, blank=True)
    worst_off = models.FloatField(_("最低匹配度"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("分配时间"), null=True, blank=True)
    due = models.DateField(_("评审截止"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The review form version (kechuang.programmes) the experts' scoring sheet is rendered from (issue #18;
    # review/sheet.py): e.g. a challenge list's 揭榜挂帅 version's 专家评审表. None: the code's own sheet
    # (the form's criteria, a recommendation, comments and an opinion).
    sheet = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("评审表版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("评审轮次")
        verbose_name_plural = _("评审轮次")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "assigned", "reviewing", "panel", "closed"]),
                name="round_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=["optimal", "fair", "random"]), name="round_mode_valid"
            ),
            models.CheckConstraint(condition=models.Q(k__gte=1), name="round_k_positive"),
            models.CheckConstraint(
                condition=models.Q(leximin_depth__gte=1, leximin_depth__lte=LEXIMIN_DEPTH_MAX),
                name="round_leximin_depth_range",
            ),
            models.CheckConstraint(
                condition=models.Q(min_load__lte=models.F("max_load")), name="round_loads_ordered"
            ),
        ]

    def __str__(self):
        return self.local_title

    @property
    def local_title(self) -> str:
        """The title in the active language (a title the system made has an English form beside it)."""
        return local_name(self.title, self.title_en)

    def get_absolute_url(self):
        return reverse("review:round-detail", args=[self.pk])


class RoundSubject(BaseModel):
    """One reviewed thing in a round, through the generic link, with the facts the round used."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="subjects")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("标题"), max_length=300)
    # A title the system made from names with English forms (an evaluation entry: its platform and campaign)
    # has its English form beside it, made at the same time (ADR 0019); other subjects' titles are as typed.
    title_en = models.CharField(_("标题（英文）"), max_length=300, blank=True)
    facts = models.JSONField(_("评审用信息"), default=dict)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("评审对象")
        verbose_name_plural = _("评审对象")
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "content_type", "object_id"], name="round_subject_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="round_subject_target_idx")]

    def __str__(self):
        return self.local_title

    @property
    def local_title(self) -> str:
        """The title in the reader's language (its English form where the system made one)."""
        return local_name(self.title, self.title_en)

    @property
    def both_titles(self):
        """The title in both languages, for words stored now and read later (a notification's title)."""
        return InBoth(self.title, local_name(self.title, self.title_en, english=True))

    @property
    def key(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


class Conflict(BaseModel):
    """A rule that forbids an expert for a subject in a round, with its reason (kept for audit)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="conflicts")
    subject = models.ForeignKey(RoundSubject, on_delete=models.CASCADE, related_name="conflicts")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("规则"), max_length=20)
    reason = models.CharField(_("理由"), max_length=REASON_LENGTH)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        constraints = [
            models.UniqueConstraint(fields=["subject", "expert", "rule"], name="conflict_unique_rule"),
            models.CheckConstraint(
                condition=models.Q(
                    rule__in=[
                        "self",
                        "same_unit",
                        "past_unit",
                        "collaborator",
                        "excluded_unit",
                        "excluded_person",
                        "declared",
                        "same_city",
                    ]
                ),
                name="conflict_rule_valid",
            ),
        ]

    def __str__(self):
        return self.reason_text

    @property
    def rule_label(self) -> str:
        from ..conflicts import RULES

        return RULES.get(self.rule, self.rule)

    @property
    def reason_text(self) -> str:
        """The reason in the page's language (the rules' sentences are stored in Chinese)."""
        from ..conflicts import reason_text

        return reason_text(self.reason)


class Assignment(BaseModel):
    """An expert asked to review one subject of a round."""

    class Source(models.TextChoices):
        SOLVER = "solver", _("算法匹配")
        RANDOM = "random", _("随机抽取")
        MANUAL = "manual", _("人工调整")

    Status = AssignmentStatus

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    subject = models.ForeignKey(RoundSubject, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    affinity = models.FloatField(_("匹配度"), default=0.0)
    explanation = models.JSONField(_("匹配说明"), default=dict, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reason = models.CharField(_("调整理由"), max_length=REASON_LENGTH, blank=True)

    class Meta:
        verbose_name = _("专家分配")
        verbose_name_plural = _("专家分配")
        ordering = ["round", "subject", "-affinity"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "expert"],
                condition=models.Q(status="active"),
                name="assignment_active_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["solver", "random", "manual"]), name="assignment_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "replaced", "released"]),
                name="assignment_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="manual", reason=""), name="assignment_manual_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.subject} ← {self.expert}"


class ExternalSubject(BaseModel):
    """A reviewed item entered directly in review (e.g. an outside programme's proposals imported from a
    spreadsheet), for rounds that review something no other app models. Implements Reviewable."""

    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("摘要"), blank=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    disciplines = models.JSONField(_("学科代码"), default=list, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("申报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leader_name = models.CharField(_("负责人姓名"), max_length=100, blank=True)
    members = models.JSONField(_("团队成员"), default=list, blank=True, help_text=_("姓名列表"))
    excluded_units = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("要求回避的单位"), blank=True, related_name="+"
    )
    excluded_names = models.JSONField(_("要求回避的专家"), default=list, blank=True)
    city = models.CharField(_("所在城市"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("外部评审对象")
        verbose_name_plural = _("外部评审对象")
        ordering = ["pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # The city as experts', units' and platforms' are stored (太原, Taiyuan, 140100 → 太原市; a name two
        # provinces share read within the unit's province): the same-city rule compares them, and a city
        # written otherwise (太原 beside an expert's 太原市) never matched. One that names no division is
        # refused (the rows from before were mapped by review.0010, the rest kept and flagged).
        province = getattr(self.unit, "province", "") if self.unit_id else ""
        self.city = divisions.city_normalise(self.city, province if divisions.get(province) else None)
        if divisions.city_is_flagged(self.city):
            raise ValidationError({"city": divisions.UNKNOWN_CITY % {"value": self.city}})

    def review_subject(self):

        people = []
        if self.leader_id or self.leader_name:
            people.append(
                Person(
                    name=self.leader_name or str(self.leader),
                    user_id=self.leader_id,
                    unit_id=self.unit_id,
                    role="leader",
                )
            )
        people += [Person(name=n, role="member") for n in self.members]
        return ReviewSubject(
            title=self.title,
            text=self.text,
            keywords=tuple(self.keywords),
            disciplines=tuple(self.disciplines),
            unit_ids=(self.unit_id,) if self.unit_id else (),
            people=tuple(people),
            excluded_unit_ids=tuple(self.excluded_units.values_list("pk", flat=True)) if self.pk else (),
            excluded_names=tuple(self.excluded_names),
            city=self.city or (self.unit.city if self.unit_id else ""),
        )
