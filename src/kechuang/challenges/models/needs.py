"""Needs (需求) submitted by enterprises, and the topics (课题) staff condense from them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.challenges import industries
from kechuang.core.models import BaseModel

MONEY = {"max_digits": 12, "decimal_places": 2}  # 万元


class Need(BaseModel):
    """A technology need an enterprise or industry submits, which may be grouped into a topic."""

    class Urgency(models.TextChoices):
        LOW = "low", _("一般")
        MEDIUM = "medium", _("较急")
        HIGH = "high", _("紧急")

    title = models.CharField(_("需求名称"), max_length=200)
    problem = models.TextField(_("技术难题描述"))
    indicators_wanted = models.TextField(_("期望技术指标"), blank=True)
    cofund_budget = models.DecimalField(
        _("拟投入配套经费（万元）"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    # an entry of the industry list (challenges.industries); a value stored before it that no entry matched is
    # kept as typed, shown as it is, until someone picks an entry
    industry = models.CharField(
        _("所属产业"), max_length=60, blank=True, db_index=True, choices=industries.CHOICES
    )
    urgency = models.CharField(_("紧迫程度"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("需求单位"), on_delete=models.PROTECT, related_name="needs"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.ForeignKey(
        "challenges.Topic",
        verbose_name=_("归入课题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )

    class Meta:
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(urgency__in=["low", "medium", "high"]), name="need_urgency_valid"
            ),
            models.CheckConstraint(condition=models.Q(cofund_budget__gte=0), name="need_cofund_nonneg"),
        ]

    def __str__(self):
        return self.title

    @property
    def industry_label(self) -> str:
        """The industry in the reader's language (a value stored before the list, matching none, as typed)."""
        return industries.label(self.industry)

    def get_absolute_url(self):
        return reverse("challenges:need-detail", args=[self.pk])


class Topic(BaseModel):
    """A condensed topic (课题): similar needs grouped, graded by TRL into a track."""

    class Track(models.TextChoices):
        INDUSTRIALISATION = "industrialisation", _("成熟技术产业化")
        PILOT = "pilot", _("中试放大攻关")
        FRONTIER = "frontier", _("前沿技术")
        CARBON = "carbon", _("碳达峰碳中和")

    title = models.CharField(_("课题名称"), max_length=200, unique=True)
    description = models.TextField(_("课题说明"), blank=True)
    # an entry of the industry list (challenges.industries); a value stored before it that no entry matched is
    # kept as typed, shown as it is, until someone picks an entry
    industry = models.CharField(
        _("所属产业"), max_length=60, blank=True, db_index=True, choices=industries.CHOICES
    )
    track = models.CharField(_("赛道"), max_length=20, choices=Track.choices, blank=True, db_index=True)
    trl_baseline = models.PositiveSmallIntegerField(
        _("现有技术成熟度（TRL）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    trl_target = models.PositiveSmallIntegerField(
        _("目标技术成熟度（TRL）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )

    class Meta:
        verbose_name = _("课题")
        verbose_name_plural = _("课题")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(track__in=["", "industrialisation", "pilot", "frontier", "carbon"]),
                name="topic_track_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(trl_baseline__isnull=True)
                | models.Q(trl_baseline__gte=1, trl_baseline__lte=9),
                name="topic_trl_baseline_range",
            ),
            models.CheckConstraint(
                condition=models.Q(trl_target__isnull=True) | models.Q(trl_target__gte=1, trl_target__lte=9),
                name="topic_trl_target_range",
            ),
            models.CheckConstraint(
                condition=models.Q(trl_baseline__isnull=True)
                | models.Q(trl_target__isnull=True)
                | models.Q(trl_baseline__lte=models.F("trl_target")),
                name="topic_trl_baseline_lte_target",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def industry_label(self) -> str:
        """The industry in the reader's language (a value stored before the list, matching none, as typed)."""
        return industries.label(self.industry)

    def get_absolute_url(self):
        return reverse("challenges:topic-detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.trl_baseline and self.trl_target and self.trl_baseline > self.trl_target:
            raise ValidationError({"trl_target": _("目标技术成熟度不能低于现有技术成熟度。")})

    def coverage_active(self) -> bool:
        """True while a challenge of this topic is open or one of its projects is under way."""
        return self.pk in Topic.coverage_active_among([self.pk])

    @classmethod
    def coverage_active_among(cls, pks) -> set[int]:
        """The topics of `pks` whose `coverage_active()` is true, in two queries however many."""
        from ..workflow import CONTRACT_ACTIVE, ChallengeStatus
        from .calls import Challenge
        from .projects import Contract

        pks = list(pks)
        open_states = [ChallengeStatus.PUBLISHED, ChallengeStatus.CLOSED, ChallengeStatus.AWARDED]
        active = set(
            Challenge.objects.filter(topic_id__in=pks, status__in=open_states).values_list(
                "topic_id", flat=True
            )
        )
        rest = [pk for pk in pks if pk not in active]
        if rest:
            active |= set(
                Contract.objects.filter(
                    challenge__topic_id__in=rest, status__in=list(CONTRACT_ACTIVE)
                ).values_list("challenge__topic_id", flat=True)
            )
        return active
