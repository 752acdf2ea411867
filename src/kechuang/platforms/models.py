"""The platform registry, modelled CERIF-style: entities (Platform, Unit) joined by typed, dated links
(Affiliation host/co-host, Membership lead/member, StatusPeriod) so that any count "as of a date" is exact.

Also the platform's yearly reports, achievements, reorganisations (merge/split/upgrade/retire, a lineage
graph) and the staff decisions on merge candidates proposed by the overlap analysis.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core import divisions
from kechuang.core.bigram import BigramField, BigramIndexed
from kechuang.core.jsontext import UnicodeJSONEncoder
from kechuang.core.language import local_name
from kechuang.core.messages import InBoth
from kechuang.core.models import BaseModel
from kechuang.core.uploads import UnguessablePath
from kechuang.core.validators import validate_past_year

from .workflow import ReportStatus, Status


class Kind(models.TextChoices):
    NATIONAL_LAB = "national_lab", _("国家实验室")
    NATIONAL_KEY_LAB = "national_key_lab", _("全国重点实验室")
    NATIONAL_ENGINEERING_CENTRE = "national_engineering_centre", _("国家工程(技术)研究中心")
    NATIONAL_INFRASTRUCTURE = "national_infrastructure", _("国家科教基础设施")
    PROVINCIAL_LAB = "provincial_lab", _("省实验室")
    PROVINCIAL_KEY_LAB = "provincial_key_lab", _("省重点实验室")
    PROVINCIAL_ENGINEERING_CENTRE = "provincial_engineering_centre", _("省工程(技术)研究中心")
    BASIC_DISCIPLINE_CENTRE = "basic_discipline_centre", _("省基础学科研究中心")
    NEW_RD_INSTITUTE = "new_rd_institute", _("新型研发机构")
    ALLIANCE = "alliance", _("产业技术联盟")
    CONSORTIUM = "consortium", _("企业创新联合体")


NATIONAL_KINDS = frozenset(
    {Kind.NATIONAL_LAB, Kind.NATIONAL_KEY_LAB, Kind.NATIONAL_ENGINEERING_CENTRE, Kind.NATIONAL_INFRASTRUCTURE}
)
MEMBER_KINDS = frozenset({Kind.ALLIANCE, Kind.CONSORTIUM})


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")


LIVE_STATUSES = frozenset({Status.BUILDING, Status.TRIAL, Status.OPERATING})


def _choices_q(field: str, choices) -> Q:
    return Q(**{f"{field}__in": [c.value for c in choices]})


class Platform(BigramIndexed, BaseModel):
    """An innovation platform of any kind and level. `status` is the current state (changed only by the
    state machine in workflow.py); its dated history is in StatusPeriod."""

    BIGRAM_SOURCES = ("search_text",)
    # The audit trail names a platform by its current name in the reader's language while it exists, whatever
    # name the event stored (core.display._object_names), as it does a unit (docs/adr/0018, 0019).
    AUDIT_NAMED_NOW = ()

    code = models.CharField(_("平台编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    short_name = models.CharField(_("简称"), max_length=80, blank=True)
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices, db_index=True)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, db_index=True)
    co_built = models.BooleanField(_("省部共建"), default=False)
    host = models.ForeignKey(
        "accounts.Unit", verbose_name=_("依托单位"), on_delete=models.PROTECT, related_name="hosted_platforms"
    )
    province = models.CharField(_("省份"), max_length=40, blank=True, db_index=True)
    city = models.CharField(_("城市"), max_length=40, blank=True, db_index=True)
    disciplines = models.JSONField(_("学科领域"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    industries = models.JSONField(_("服务产业"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    mission = models.TextField(_("定位与任务"), blank=True)
    established = models.DateField(_("成立日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.BUILDING)
    published = models.BooleanField(_("公开"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    search_text = models.TextField(_("分词检索文本"), blank=True, editable=False)
    search_bigrams = BigramField(_("检索字对"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("创新平台")
        verbose_name_plural = _("创新平台")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=_choices_q("kind", Kind), name="platform_kind_valid"),
            models.CheckConstraint(condition=_choices_q("level", Level), name="platform_level_valid"),
            models.CheckConstraint(condition=_choices_q("status", Status), name="platform_status_valid"),
        ]

    def clean(self):
        super().clean()
        # A province named in any form (山西, 山西省, Shanxi, 140000) is stored as its GB/T 2260 code; a value
        # from before the list that names no division is kept as it was (shown flagged for staff to fix).
        self.province = divisions.normalise(self.province)
        # A city named in any form (太原, Taiyuan, 140100) is stored as the division's Chinese name (太原市);
        # a value that names none is kept as typed (shown flagged).
        self.city = divisions.city_normalise(
            self.city, self.province if divisions.get(self.province) else None
        )

    def bigram_texts(self) -> list:
        # The segmented words one by one: a query word is matched inside one of them (selectors.platform_list).
        return (self.search_text or "").split()

    def __str__(self):
        # The reader's language, as a unit's (docs/adr/0019): pages, pickers, form choices, list exports and the
        # audit trail's names read it; official files and imports name `name` itself.
        return self.local_name

    @property
    def local_name(self) -> str:
        """The platform's name in the reader's language: its English name on an English page where one is
        recorded, else the Chinese (its approved, official name)."""
        return local_name(self.name, self.name_en)

    @property
    def both_names(self) -> InBoth:
        """The name in both languages, for words stored now and read later (a notification's title)."""
        return InBoth(self.name, local_name(self.name, self.name_en, english=True))

    def get_absolute_url(self):
        return reverse("platforms:detail", args=[self.pk])

    def coverage_active(self) -> bool:
        """True while the platform works (building, trial operation or operating)."""
        return self.status in LIVE_STATUSES

    @property
    def has_members(self) -> bool:
        return self.kind in MEMBER_KINDS


class StatusPeriod(BaseModel):
    """The platform held `status` from `start` (inclusive) to `end` (exclusive; open when null)."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("平台"), on_delete=models.CASCADE, related_name="periods"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("状态期间")
        verbose_name_plural = _("状态期间")
        ordering = ["platform", "start", "pk"]
        constraints = [
            models.CheckConstraint(condition=_choices_q("status", Status), name="period_status_valid"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="period_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["platform"], condition=Q(end__isnull=True), name="period_one_open_per_platform"
            ),
        ]

    def __str__(self):
        return f"{self.platform_id} {self.status} {self.start}–{self.end or ''}"


class Affiliation(BaseModel):
    """A unit hosts (依托) or co-hosts a platform from `start` to `end` (exclusive)."""

    # named by its unit and platform: read back by their current names in the reader's language (docs/adr/0019)
    AUDIT_NAMED_NOW = ("unit", "platform")

    class Role(models.TextChoices):
        HOST = "host", _("依托单位")
        COHOST = "cohost", _("共建单位")

    platform = models.ForeignKey(
        Platform, verbose_name=_("平台"), on_delete=models.CASCADE, related_name="affiliations"
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="platform_affiliations",
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("依托/共建关系")
        verbose_name_plural = _("依托/共建关系")
        ordering = ["platform", "role", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["host", "cohost"]), name="affiliation_role_valid"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="affiliation_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_role_display()} {self.platform}"


class Membership(BaseModel):
    """A unit is a member (or the lead) of an alliance or consortium from `joined` until `left` (exclusive)."""

    # named by its unit and platform: read back by their current names in the reader's language (docs/adr/0019)
    AUDIT_NAMED_NOW = ("unit", "platform")

    class Role(models.TextChoices):
        LEAD = "lead", _("牵头单位")
        MEMBER = "member", _("成员单位")

    platform = models.ForeignKey(
        Platform, verbose_name=_("平台"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("成员单位"),
        on_delete=models.PROTECT,
        related_name="platform_memberships",
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined = models.DateField(_("加入日期"))
    left = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("成员关系")
        verbose_name_plural = _("成员关系")
        ordering = ["platform", "-role", "joined", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["lead", "member"]), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["platform", "unit"],
                condition=Q(left__isnull=True),
                name="membership_one_open_per_unit",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.platform}"


class Achievement(BaseModel):
    """An achievement of a platform (one record with evidence), or a count fact taken from a report
    (count > 1, with provenance) when the report gives only a number."""

    class Kind(models.TextChoices):
        IMPORT_SUBSTITUTION = "import_substitution", _("进口替代")
        LEADING = "leading", _("国际国内领先技术")
        INDUSTRY_NEED = "industry_need", _("解决产业重大需求")
        OTHER = "other", _("其他")

    class Source(models.TextChoices):
        TYPED = "typed", _("录入")
        IMPORTED = "imported", _("导入")
        REPORT = "report", _("报告抽取")

    platform = models.ForeignKey(
        Platform,
        verbose_name=_("平台"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="achievements",
    )
    kind = models.CharField(_("成果类型"), max_length=30, choices=Kind.choices, db_index=True)
    title = models.CharField(_("成果名称"), max_length=300)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    count = models.PositiveIntegerField(_("数量"), default=1)
    period = models.CharField(_("统计期"), max_length=40, blank=True)
    evidence = models.TextField(_("佐证说明"), blank=True)
    evidence_file = models.FileField(
        _("佐证材料"), upload_to=UnguessablePath("platforms/evidence"), max_length=255, blank=True
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.TYPED)
    provenance = models.JSONField(_("出处"), default=dict, blank=True)

    class Meta:
        verbose_name = _("成果")
        verbose_name_plural = _("成果")
        ordering = ["-year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["import_substitution", "leading", "industry_need", "other"]),
                name="achievement_kind_valid",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="achievement_count_positive"),
        ]

    def __str__(self):
        return self.title


class Operator(BaseModel):
    """A user who operates (reports for) a platform. Explicit links, so a host unit with many platforms
    can name a different operator for each."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("平台"), on_delete=models.CASCADE, related_name="operators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("运营人员"),
        on_delete=models.CASCADE,
        related_name="operated_platforms",
    )

    class Meta:
        verbose_name = _("平台运营人员")
        verbose_name_plural = _("平台运营人员")
        constraints = [models.UniqueConstraint(fields=["platform", "user"], name="operator_unique")]

    def __str__(self):
        return f"{self.user} @ {self.platform}"


class YearlyReport(BaseModel):
    """A platform's data for one year, filed by its operator and accepted (or returned) by staff."""

    # named by its platform: read back by its current name in the reader's language (docs/adr/0019)
    AUDIT_NAMED_NOW = ("platform",)

    Status = ReportStatus

    platform = models.ForeignKey(
        Platform, verbose_name=_("平台"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[validate_past_year])
    staff = models.PositiveIntegerField(_("固定人员数"), default=0)
    doctorates = models.PositiveIntegerField(_("博士人数"), default=0)
    funding = models.DecimalField(_("经费（万元）"), max_digits=14, decimal_places=2, default=0)
    projects = models.PositiveIntegerField(_("承担项目数"), default=0)
    papers = models.PositiveIntegerField(_("论文数"), default=0)
    patents = models.PositiveIntegerField(_("专利数"), default=0)
    transferred = models.PositiveIntegerField(_("成果转化数"), default=0)
    shared_hours = models.PositiveIntegerField(_("仪器设备开放共享机时"), default=0)
    summary = models.TextField(_("年度工作总结"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("退回理由"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "year"], name="report_one_per_year"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "accepted"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(doctorates__lte=models.F("staff")), name="report_doctorates_lte_staff"
            ),
        ]

    def __str__(self):
        return f"{self.platform} {self.year}"

    def get_absolute_url(self):
        return reverse("platforms:report-detail", args=[self.pk])


REPORT_NUMBERS = (
    "staff",
    "doctorates",
    "funding",
    "projects",
    "papers",
    "patents",
    "transferred",
    "shared_hours",
)


class Reorganisation(BaseModel):
    """A merge (n→1), split (1→n), upgrade (1→1, e.g. a provincial lab becoming a national key lab) or
    retirement (n→0) on `date`. Sources and targets form the lineage graph."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("合并")
        SPLIT = "split", _("拆分")
        UPGRADE = "upgrade", _("升级/重组")
        RETIRE = "retire", pgettext_lazy("重组类型", "撤销")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("日期"))
    sources = models.ManyToManyField(Platform, verbose_name=_("原平台"), related_name="reorganised_into")
    targets = models.ManyToManyField(
        Platform, verbose_name=_("新平台"), related_name="reorganised_from", blank=True
    )
    note = models.TextField(_("说明"), blank=True)
    batch = models.CharField(_("批次"), max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = _("优化重组")
        verbose_name_plural = _("优化重组")
        ordering = ["-date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["merge", "split", "upgrade", "retire"]),
                name="reorganisation_kind_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"

    def get_absolute_url(self):
        return reverse("platforms:reorganisation-detail", args=[self.pk])


class MergeDecision(BaseModel):
    """Staff's decision on a merge candidate pair proposed by the overlap analysis (a < b by id)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("已采纳")
        DISMISSED = "dismissed", _("不合并")

    platform_a = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    platform_b = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("决定"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("理由"), blank=True)
    reorganisation = models.ForeignKey(Reorganisation, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("合并建议决定")
        verbose_name_plural = _("合并建议决定")
        constraints = [
            models.UniqueConstraint(fields=["platform_a", "platform_b"], name="merge_decision_unique"),
            models.CheckConstraint(
                condition=Q(decision__in=["accepted", "dismissed"]), name="merge_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(platform_a__lt=models.F("platform_b")), name="merge_decision_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.platform_a_id}+{self.platform_b_id}: {self.decision}"
