"""Research-integrity records (科研诚信): a finding against a person or a unit, its source and decision, and
the restrictions it imposes for a period — no applications, no expert work, no awards — with one appeal and
its outcome. Below review and challenges in the layers, so eligibility, expert assignment and award read it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import date_text
from kechuang.core.models import BaseModel

from .workflow import AppealOutcome, RecordStatus


class Restriction(models.TextChoices):
    APPLY = "apply", _("不得申报项目")
    EXPERT = "expert", _("不得担任评审专家")
    AWARD = "award", _("不得立项或获奖")


class Record(BaseModel):
    """One finding (处理决定) against one person or one unit."""

    class Subject(models.TextChoices):
        PERSON = "person", _("个人")
        UNIT = "unit", _("单位")

    Status = RecordStatus
    Outcome = AppealOutcome

    subject_kind = models.CharField(_("对象类型"), max_length=10, choices=Subject.choices)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="integrity_records",
        help_text=_("单位记录：被处理的单位；个人记录：其所在单位。"),
    )
    person_name = models.CharField(_("姓名"), max_length=100, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrity_records",
    )
    source = models.CharField(_("来源"), max_length=200, help_text=_("作出处理的机关及文件，如某部通报。"))
    finding = models.TextField(_("查实的问题"), blank=True)
    decision = models.CharField(_("处理决定"), max_length=300)
    decided_on = models.DateField(_("决定日期"))
    bars_applying = models.BooleanField(_("不得申报项目"), default=False)
    bars_expert_work = models.BooleanField(_("不得担任评审专家"), default=False)
    bars_awards = models.BooleanField(_("不得立项或获奖"), default=False)
    starts_on = models.DateField(_("限制起始日"))
    ends_on = models.DateField(_("限制截止日"), null=True, blank=True, help_text=_("留空表示长期。"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RecordStatus.choices, default=RecordStatus.IN_FORCE, db_index=True
    )
    appeal_outcome = models.CharField(
        _("申诉结果"), max_length=12, choices=AppealOutcome.choices, default="", blank=True
    )
    appeal_grounds = models.TextField(_("申诉理由"), blank=True)
    appeal_lodged_on = models.DateField(_("申诉日期"), null=True, blank=True)
    appeal_note = models.TextField(_("申诉处理意见"), blank=True)
    appeal_decided_on = models.DateField(_("申诉处理日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("科研诚信记录")
        verbose_name_plural = _("科研诚信记录")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RecordStatus.values), name="integrity_record_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="integrity_record_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(bars_applying=True)
                | models.Q(bars_expert_work=True)
                | models.Q(bars_awards=True),
                name="integrity_record_restricts_something",
            ),
        ]

    def __str__(self):
        return f"{self.subject_label}：{self.decision}"

    def get_absolute_url(self):
        return reverse("integrity:record-detail", args=[self.pk])

    @property
    def subject_label(self) -> str:
        if self.subject_kind == self.Subject.PERSON:
            if not self.unit_id:
                return self.person_name
            return gettext("%(person)s（%(unit)s）") % {"person": self.person_name, "unit": self.unit}
        return str(self.unit)

    @property
    def restrictions(self) -> list[str]:
        """The restriction codes this record imposes (Restriction values)."""
        out = []
        if self.bars_applying:
            out.append(Restriction.APPLY.value)
        if self.bars_expert_work:
            out.append(Restriction.EXPERT.value)
        if self.bars_awards:
            out.append(Restriction.AWARD.value)
        return out

    @property
    def restriction_labels(self) -> list[str]:
        return [str(Restriction(r).label) for r in self.restrictions]

    def period_text(self) -> str:
        end = date_text(self.ends_on) if self.ends_on else str(_("长期"))
        return f"{date_text(self.starts_on)} — {end}"

    def status_text(self) -> str:
        """The status as a reader takes it: a record in force (or under appeal) whose period is over says so
        (已期满), not 生效中 — it binds nothing any more."""
        from django.utils import timezone

        from .workflow import BINDING

        if self.status in BINDING and self.ends_on is not None and self.ends_on < timezone.localdate():
            return str(_("已期满"))
        return str(self.get_status_display())

    def binds_on(self, day, restriction: str) -> bool:
        """Whether this record bars `restriction` on `day` (status in force or under appeal, within the period)."""
        from .workflow import BINDING

        return (
            self.status in BINDING
            and restriction in self.restrictions
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )
