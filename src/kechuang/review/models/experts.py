"""The expert pool: profiles, past units, collaborators, declared conflicts, credits."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core import divisions
from kechuang.core.bigram import BigramField, BigramIndexed
from kechuang.core.jsontext import UnicodeJSONEncoder
from kechuang.core.models import BaseModel

from ..workflow import ProfileStatus

# A reason or note kept in a review row's own column: a profile's review note (a rejection's reason), a declared
# conflict's, a credit's note, a conflict's and an assignment's reason. One line where lists show them; the
# forms, the API and the services hold the same bound, and a longer one is refused, never cut.
REASON_LENGTH = 300


class ExpertProfile(BigramIndexed, BaseModel):
    """An expert in the pool: what they know, where they worked, whom they work with, their cap."""

    BIGRAM_SOURCES = ("keywords", "disciplines")

    Status = ProfileStatus

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    title = models.CharField(_("职称"), max_length=60, blank=True)
    disciplines = models.JSONField(
        _("学科代码"), default=list, blank=True, help_text=_("GB/T 13745 学科代码")
    )
    keywords = models.JSONField(_("研究方向关键词"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    city = models.CharField(_("所在城市"), max_length=40, blank=True)
    region = models.CharField(_("所在地区"), max_length=40, blank=True)
    publications = models.TextField(_("代表性论文与项目"), blank=True)
    available = models.BooleanField(_("可参加评审"), default=True)
    yearly_cap = models.PositiveSmallIntegerField(_("年度评审上限"), default=30)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_note = models.CharField(_("审核意见"), max_length=REASON_LENGTH, blank=True)
    search_bigrams = BigramField(_("检索字对"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家库")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "approved", "rejected"]),
                name="expert_profile_status_valid",
            ),
        ]

    def __str__(self):
        return str(self.user)

    def clean(self):
        super().clean()
        # A city named in any form (太原, Taiyuan, 140100) is stored as the division's Chinese name (太原市), as
        # units' and platforms' are; a value that names none is kept as typed (shown flagged to staff).
        self.city = divisions.city_normalise(self.city)

    def get_absolute_url(self):
        return reverse("review:expert-detail", args=[self.pk])


class ExpertUnit(BaseModel):
    """A unit the expert worked at, with dates (end empty: still there)."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="past_units")
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_name = models.CharField(_("单位名称"), max_length=200)
    start = models.DateField(_("起"), null=True, blank=True)
    end = models.DateField(_("止"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="expert_unit_dates_ordered",
            )
        ]

    def __str__(self):
        return self.unit_name


class Collaborator(BaseModel):
    """A person the expert works with (co-author, co-investigator): a conflict for their applications."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="collaborators")
    name = models.CharField(_("姓名"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit_name = models.CharField(_("单位"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("合作者")
        verbose_name_plural = _("合作者")
        constraints = [models.UniqueConstraint(fields=["profile", "name"], name="collaborator_unique_name")]

    def __str__(self):
        return self.name


class DeclaredConflict(BaseModel):
    """A conflict the expert declares: a unit, a person, or one reviewed subject."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="declared_conflicts")
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    person_name = models.CharField(_("人员"), max_length=100, blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=REASON_LENGTH)

    class Meta:
        verbose_name = _("声明回避")
        verbose_name_plural = _("声明回避")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(unit__isnull=True, person_name="", object_id__isnull=True),
                name="declared_conflict_names_something",
            )
        ]

    def __str__(self):
        return self.reason


class ExpertCredit(BaseModel):
    """A mark on an expert's record: a late or careless review (negative points) or a commendation."""

    class Kind(models.TextChoices):
        LATE = "late", _("逾期评审")
        CARELESS = "careless", _("评审敷衍")
        NO_SHOW = "no_show", _("无故缺席")
        COMMENDED = "commended", _("评审认真")

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="credits")
    round = models.ForeignKey("Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    points = models.SmallIntegerField(_("分值"), default=-1)
    note = models.CharField(_("说明"), max_length=REASON_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("专家信用记录")
        verbose_name_plural = _("专家信用记录")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["late", "careless", "no_show", "commended"]),
                name="expert_credit_kind_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.points}"
