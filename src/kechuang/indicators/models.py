"""Indicators, regions, yearly values, targets, composite-index frameworks (as data) and index runs."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import when_text
from kechuang.core.display import figure
from kechuang.core.language import local_name
from kechuang.core.messages import render
from kechuang.core.models import BaseModel
from kechuang.core.units import local_unit

IMPORTED_FROM = gettext_noop("导入自 %(file)s")  # an imported indicator's source, kept in Chinese
_IMPORTED_FROM = re.compile(r"^(?:导入自|Imported from) (?P<file>\S.*)$")


def figure_text(value) -> str:
    """A stored double as a person writes it: 1.29, 420000000 (never 4.2e+08 or 23.0)."""
    if value is None:
        return "—"
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return text.removesuffix(".0")


def imported_from_text(source) -> str | None:
    """An import's source line (导入自 FILE, kept as written: in Chinese or, before, in the importer's language)
    in the reader's language; None for any other source."""
    m = _IMPORTED_FROM.match(source) if isinstance(source, str) else None
    return gettext(IMPORTED_FROM) % {"file": m["file"]} if m else None


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Indicator(BaseModel):
    """An indicator definition. Its `code` is what frameworks and imported tables match on."""

    code = models.CharField(
        _("指标代码"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[^/\s][^/]*$", _("指标代码不能为空、不能以空格开头，也不能含“/”。"))],
    )
    name_zh = models.CharField(_("中文名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    unit = models.CharField(_("计量单位"), max_length=40, blank=True)
    unit_en = models.CharField(_("计量单位（英文）"), max_length=80, blank=True)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    source = models.CharField(_("数据来源"), max_length=300, blank=True)
    source_en = models.CharField(_("数据来源（英文）"), max_length=300, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    published = models.BooleanField(_("公开"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction__in=["higher", "lower"]), name="indicator_direction_valid"
            )
        ]

    def __str__(self):
        # its name in the reader's language, as every picker shows it (never the code in front); where two
        # share a name, a list tells them apart (forms.indicator_choices)
        return local_name(self.name_zh, self.name_en)

    @property
    def local_name(self) -> str:
        """The name in the reader's language: the English name on English pages when there is one."""
        return local_name(self.name_zh, self.name_en)

    @property
    def local_unit(self) -> str:
        """The unit in the reader's language: on English pages its English form (`unit_en`), else the shared
        table's (core.units: 件 → items), else the Chinese."""
        return local_unit(self.unit, self.unit_en)

    @property
    def source_text(self) -> str:
        """The source as a person reads it: its English form (`source_en`) on English pages when there is one;
        an import's line (kept as written when imported, in Chinese or, before, in the importer's language) in
        the page's language; a typed source as typed."""
        return imported_from_text(self.source) or local_name(self.source, self.source_en)

    def get_absolute_url(self):
        return reverse("indicators:indicator-detail", args=[self.code])


# What the region sets the project ships are called (a set of one's own is shown by its name).
REGION_SET_NAMES = {"cn": _("中国各省（自治区、直辖市）"), "eis": _("欧洲创新记分牌（EIS）国家")}


def region_set_name(region_set: str) -> str:
    return str(REGION_SET_NAMES.get(region_set, region_set))


def region_names(codes) -> dict[str, str]:
    """{code: name in the reader's language} of the stored regions with these codes (one query): what a
    run kept as it was named then (its outputs' unit_names, in Chinese) is read in the page's language."""
    codes = {str(c) for c in codes or ()}
    if not codes:
        return {}
    rows = Region.objects.filter(code__in=codes).values_list("code", "name", "name_en")
    return {code: local_name(name, name_en) for code, name, name_en in rows}


class Region(BaseModel):
    """A unit that values are reported for: a country group, a country, a province or a city."""

    class Level(models.TextChoices):
        GROUP = "group", _("国家集团")
        COUNTRY = "country", _("国家")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")

    code = models.CharField(_("地区代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    # the official English form (甘肃省: Gansu) of a division the project knows, filled when the region is
    # made (accounts.regions.english_name) or typed by staff; blank: English pages show `name` as it is
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_set = models.CharField(_("地区集"), max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["region_set", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["group", "country", "province", "city"]),
                name="region_level_valid",
            )
        ]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        """Its name in the reader's language: the English name on an English page when it has one."""
        return local_name(self.name, self.name_en)

    @property
    def region_set_name(self) -> str:
        return region_set_name(self.region_set)


class Value(BaseModel):
    """One figure: an indicator's value for a region and year, in one edition, with where it came from.

    Policy: one value per indicator, region, year and edition. Recording it again replaces the figure
    (the audit trail keeps the old one); a published dataset (e.g. the EIS 2023 release) is its own
    edition so that releases never overwrite each other; the department's own figures use edition "".
    """

    class Source(models.TextChoices):
        TYPED = "typed", _("手工录入")
        IMPORTED = "imported", _("批量导入")
        REPORT = "report", _("报告采信")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="values"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    edition = models.CharField(_("版本"), max_length=40, blank=True, default="")
    value = models.FloatField(_("数值"))  # a double: imported figures round-trip exactly (ADR 0015)
    source = models.CharField(_("来源类型"), max_length=10, choices=Source.choices, default=Source.TYPED)
    provenance = models.JSONField(_("出处"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        ordering = ["indicator", "region", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "edition"], name="value_unique_per_edition"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["typed", "imported", "report"]), name="value_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1900, year__lte=2100), name="value_year_range"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="value_indicator_year_idx")]

    def __str__(self):
        return gettext("%(indicator)s · %(region)s · %(year)s年：%(value)s") % {
            "indicator": self.indicator,
            "region": self.region,
            "year": self.year,
            "value": figure_text(self.value),
        }


class Target(BaseModel):
    """A goal for an indicator in a region by a year, e.g. ≥ 65 by 2025."""

    class Comparator(models.TextChoices):
        AT_LEAST = ">=", _("不低于")
        AT_MOST = "<=", _("不高于")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("目标年份"))
    comparator = models.CharField(
        _("比较"), max_length=2, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    value = models.FloatField(_("目标值"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region", "year"], name="target_unique"),
            models.CheckConstraint(
                condition=models.Q(comparator__in=[">=", "<="]), name="target_comparator_valid"
            ),
        ]

    # How a person reads the comparator: ≥ 65 (the stored ">=" is a code).
    SYMBOLS = {">=": "≥", "<=": "≤"}

    @property
    def symbol(self) -> str:
        return self.SYMBOLS.get(self.comparator, self.comparator)

    @property
    def goal_text(self) -> str:
        """The goal as a sentence part: ≥ 65%（2025）/ ≥ 65% (2025)."""
        return gettext("%(cmp)s %(value)s%(unit)s（%(year)s）") % {
            "cmp": self.symbol,
            "value": figure(self.value),
            "unit": self.indicator.local_unit,
            "year": self.year,
        }

    def __str__(self):
        return f"{self.region.local_name} · {self.indicator.local_name} {self.goal_text}"


class Framework(BaseModel):
    """A composite index method as data: the tree, weights, standard values and steps in `spec` (JSON).

    A new edition is a new row with its own spec; the engine (formulas.compute_index) never changes.
    """

    code = models.CharField(_("框架代码"), max_length=40)
    edition = models.CharField(_("版本"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    spec = models.JSONField(_("框架定义"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("指数框架")
        verbose_name_plural = _("指数框架")
        ordering = ["code", "-edition"]
        constraints = [models.UniqueConstraint(fields=["code", "edition"], name="framework_unique_edition")]

    def __str__(self):
        return f"{self.local_name}{gettext('（')}{self.edition}{gettext('）')}"

    @property
    def local_name(self) -> str:
        """The name in the reader's language: the spec's English name on English pages (the EIS is the
        European Innovation Scoreboard there, not 欧洲创新记分牌), the Chinese one otherwise."""
        return local_name(self.name, str((self.spec or {}).get("name_en") or ""))

    def get_absolute_url(self):
        return reverse("indicators:framework-detail", args=[self.pk])


class FrameworkVersion(BaseModel):
    """One saved state of a framework: every save (structure, weights, methods) makes the next number.

    A run pins the version it was computed with, so its page can say which one and what changed since.
    """

    framework = models.ForeignKey(
        Framework, verbose_name=_("框架"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    spec = models.JSONField(_("框架定义"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("框架版本")
        verbose_name_plural = _("框架版本")
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_unique")
        ]

    def __str__(self):
        return _("第 %(n)s 版") % {"n": self.number}

    def get_absolute_url(self):
        return reverse("indicators:framework-version", args=[self.framework_id, self.number])

    @property
    def note_text(self) -> str:
        """The note in the reader's language when the system wrote it (安装 / installed, stored in whichever
        language the installer ran in); a person's own note as they wrote it."""
        source = SYSTEM_VERSION_NOTES.get(self.note.strip().lower())
        return gettext(source) if source else self.note


# The notes the system writes on a framework's versions (services.frameworks), by the stored text in either
# language (older rows hold the installer's language).
SYSTEM_VERSION_NOTES = {
    text: msgid
    for msgid, en in ((gettext_noop("安装"), "installed"), (gettext_noop("重新安装"), "reinstalled"))
    for text in (msgid, en)
}


class IndexRun(BaseModel):
    """One computation of a composite index, with everything needed to repeat it.

    `spec` is the framework as it was, `inputs` the values used ({unit|year|code: value}), `outputs` the
    rows computed; so a run can be recomputed and compared even after weights or values change.
    """

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("框架"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    framework_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("框架版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    framework_code = models.CharField(_("框架代码"), max_length=40)
    edition = models.CharField(_("版本"), max_length=20)
    spec = models.JSONField(_("框架快照"))
    method = models.TextField(_("方法说明"), blank=True)
    reference = models.CharField(_("参照"), max_length=80, blank=True)
    region_set = models.CharField(_("地区集"), max_length=40, blank=True)
    value_edition = models.CharField(_("数据版本"), max_length=40, blank=True)
    public = models.BooleanField(_("公开"), default=False, help_text=_("所用指标均已公开时为真。"))
    inputs = models.JSONField(_("输入数据"), default=dict)
    outputs = models.JSONField(_("计算结果"), default=dict)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("指数计算")
        verbose_name_plural = _("指数计算")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.framework_name} {self.edition} · {when_text(self.created_at)}"

    @property
    def framework_name(self) -> str:
        """The framework by its name in the reader's language (the snapshot's), not its code ("cn-csti")."""
        spec = self.spec or {}
        return local_name(str(spec.get("name") or ""), str(spec.get("name_en") or "")) or self.framework_code

    @property
    def node_names(self) -> dict[str, str]:
        """{code: name} of the run's inner nodes in the reader's language: the names the run kept (Chinese),
        each in English on English pages where the run's framework snapshot names it so (walked, session 21:
        the English run page's columns read 科技人力资源 though the framework gives "S&T human resources")."""
        names = dict((self.outputs or {}).get("node_names") or {})

        def walk(nodes):
            for node in nodes or ():
                if isinstance(node, dict):
                    code, name_en = str(node.get("code") or ""), str(node.get("name_en") or "")
                    if code in names and name_en:
                        names[code] = local_name(names[code], name_en)
                    walk(node.get("children"))

        walk((self.spec or {}).get("nodes"))
        return names

    @property
    def warnings_text(self) -> list[str]:
        """The run's notes in the active language (a run stored before they were kept as msgid and
        parameters shows its stored text)."""
        return [render(w, w if isinstance(w, str) else "") for w in (self.outputs or {}).get("warnings", [])]

    def get_absolute_url(self):
        return reverse("indicators:run-detail", args=[self.pk])
