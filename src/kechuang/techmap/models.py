"""The technology breakthrough map (攻坚图谱): chains → links → key technologies → coverage.

Coverage points at other apps' models (topics, challenges, contracts, platforms) through a generic
content-type link, so this app has no migration dependency on them.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.language import local_name
from kechuang.core.models import BaseModel

TRL_MIN, TRL_MAX = 1, 9
TRL_VALIDATORS = [MinValueValidator(TRL_MIN), MaxValueValidator(TRL_MAX)]


class Chain(BaseModel):
    """An industry chain (产业链), e.g. 新能源. Only published chains are shown to the public."""

    name = models.CharField(_("产业链"), max_length=100, unique=True)
    # Optional: shown on English pages; the Chinese name when empty (`local_name`).
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    # Optional: shown on English pages; the Chinese description when empty (`local_description`).
    description_en = models.TextField(_("英文简介"), blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)
    published = models.BooleanField(_("已公开"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["order", "name"]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the reader's language: the English name on English pages when staff gave one."""
        return local_name(self.name, self.name_en)

    @property
    def local_description(self) -> str:
        """The description in the reader's language: the English one on English pages when staff gave one."""
        return local_name(self.description, self.description_en)

    def get_absolute_url(self):
        return reverse("techmap:chain-detail", args=[self.pk])


class ChainLink(BaseModel):
    """A link (环节) of a chain: upstream, midstream or downstream, with a name and an order."""

    class Stage(models.TextChoices):
        UPSTREAM = "upstream", _("上游")
        MIDSTREAM = "midstream", _("中游")
        DOWNSTREAM = "downstream", _("下游")

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="links")
    stage = models.CharField(_("环节位置"), max_length=16, choices=Stage.choices)
    name = models.CharField(_("环节名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["chain__order", "chain__name", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="techmap_link_unique_name"),
            models.CheckConstraint(
                condition=models.Q(stage__in=["upstream", "midstream", "downstream"]),
                name="techmap_link_stage_valid",
            ),
        ]

    def __str__(self):
        return f"{self.chain.local_name} · {self.get_stage_display()} · {self.local_name}"

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_en)


class Technology(BaseModel):
    """A key technology of a link. The three TRL fields hold the latest dated value of each kind;
    every value ever set is kept in TrlRecord."""

    class Substitution(models.TextChoices):
        NOT_APPLICABLE = "na", _("不涉及")
        NEEDED = "needed", _("依赖进口，待替代")
        IN_PROGRESS = "in_progress", _("替代攻关中")
        ACHIEVED = "achieved", _("已实现进口替代")

    class Level(models.TextChoices):
        INTERNATIONAL_LEADING = "international_leading", _("国际领先")
        DOMESTIC_LEADING = "domestic_leading", _("国内领先")
        FOLLOWING = "following", _("跟跑")

    link = models.ForeignKey(
        ChainLink, verbose_name=_("环节"), on_delete=models.CASCADE, related_name="technologies"
    )
    name = models.CharField(_("技术名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    description = models.TextField(_("描述"), blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)
    trl_baseline = models.PositiveSmallIntegerField(
        _("基线TRL"), null=True, blank=True, validators=TRL_VALIDATORS
    )
    trl_baseline_on = models.DateField(_("基线日期"), null=True, blank=True)
    trl_current = models.PositiveSmallIntegerField(
        _("当前TRL"), null=True, blank=True, validators=TRL_VALIDATORS
    )
    trl_current_on = models.DateField(_("当前TRL日期"), null=True, blank=True)
    trl_target = models.PositiveSmallIntegerField(
        _("目标TRL"), null=True, blank=True, validators=TRL_VALIDATORS
    )
    trl_target_on = models.DateField(_("目标日期"), null=True, blank=True)
    is_bottleneck = models.BooleanField(_("卡脖子"), default=False, db_index=True)
    substitution = models.CharField(
        _("进口替代状态"), max_length=16, choices=Substitution.choices, default=Substitution.NOT_APPLICABLE
    )
    level = models.CharField(_("技术水平"), max_length=24, choices=Level.choices, blank=True)
    local_supply_pct = models.DecimalField(
        _("本地配套率(%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("关键技术")
        verbose_name_plural = _("关键技术")
        ordering = ["link__chain__order", "link__chain__name", "link__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["link", "name"], name="techmap_tech_unique_name"),
            models.CheckConstraint(
                condition=models.Q(substitution__in=["na", "needed", "in_progress", "achieved"]),
                name="techmap_tech_substitution_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=["", "international_leading", "domestic_leading", "following"]),
                name="techmap_tech_level_valid",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__isnull": True})
                    | models.Q(**{f"{f}__gte": TRL_MIN, f"{f}__lte": TRL_MAX}),
                    name=f"techmap_tech_{f}_range",
                )
                for f in ("trl_baseline", "trl_current", "trl_target")
            ],
        ]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_en)

    def get_absolute_url(self):
        return reverse("techmap:technology-detail", args=[self.pk])


class TrlRecord(BaseModel):
    """One dated TRL value of a technology (append-only history): baseline, current or target."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("基线")
        CURRENT = "current", _("当前")
        TARGET = "target", _("目标")

    technology = models.ForeignKey(
        Technology, verbose_name=_("关键技术"), on_delete=models.CASCADE, related_name="trl_records"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    value = models.PositiveSmallIntegerField(_("TRL"), validators=TRL_VALIDATORS)
    as_of = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("TRL记录")
        verbose_name_plural = _("TRL记录")
        ordering = ["technology", "kind", "-as_of", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["baseline", "current", "target"]), name="techmap_trl_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=TRL_MIN, value__lte=TRL_MAX), name="techmap_trl_value_range"
            ),
        ]

    def __str__(self):
        return f"{self.technology} {self.get_kind_display()} TRL{self.value} ({self.as_of})"


class Coverage(BaseModel):
    """A typed, dated link from a technology to the work on it: a topic, challenge, project (contract),
    platform or consortium. Active on a day when since ≤ day ≤ until (open-ended when until is empty)
    and, for today, when the linked object says its work is going on (`coverage_active()`)."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("课题")
        CHALLENGE = "challenge", _("揭榜挂帅榜单")
        PROJECT = "project", _("项目（任务书）")
        PLATFORM = "platform", _("创新平台")
        CONSORTIUM = "consortium", _("创新联合体/联盟")

    # Kinds whose active coverage closes a gap: work is going on, not merely planned.
    CLOSING_KINDS = frozenset({Kind.PROJECT, Kind.PLATFORM, Kind.CONSORTIUM})

    technology = models.ForeignKey(
        Technology, verbose_name=_("关键技术"), on_delete=models.CASCADE, related_name="coverages"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    target = GenericForeignKey("content_type", "object_id")
    target_repr = models.CharField(_("对象名称"), max_length=300, blank=True)
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.TextField(_("内部备注"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("覆盖关系")
        verbose_name_plural = _("覆盖关系")
        ordering = ["technology", "-since", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="techmap_cov_target_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["topic", "challenge", "project", "platform", "consortium"]),
                name="techmap_cov_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="techmap_cov_until_after_since",
            ),
            models.UniqueConstraint(
                fields=["technology", "content_type", "object_id", "since"], name="techmap_cov_unique"
            ),
        ]

    def __str__(self):
        return f"{self.technology} ← {self.get_kind_display()} {self.target_repr}"

    def dated_active(self, day) -> bool:
        """True when `day` lies in [since, until]. Small property, no relations followed."""
        return self.since <= day and (self.until is None or self.until >= day)
