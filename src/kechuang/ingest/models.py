"""Ingested reports: the original bytes, the repaired text, every change, the facts and the mentions."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.language import english
from kechuang.core.lists import listed
from kechuang.core.models import BaseModel
from kechuang.core.units import local_unit

from .figures import figure_words, qualifier_words
from .workflow import DocumentStatus, FactStatus

SCALE_HELP = _(
    "报告书写数值所用的数量级（万、亿、千亿等；空为不带数量级）。数值按基本单位（金额为元）存储，按此数量级显示。"
)


class ShownFigure:
    """A stored figure shown as the report wrote it: `value` is in the base unit (yuan for money), `scale`
    the scale word the report used (1800亿元: value 180000000000, scale 亿, shown 1800 亿元)."""

    def _scale_factor(self) -> Decimal | None:
        """What the scale word multiplies by (亿: 10⁸); None without a scale word or a number."""
        if not self.scale or self.value is None:
            return None
        from .parsers.numbers import SCALES  # on use: the parsers are not loaded with the models

        return SCALES.get(self.scale)

    @property
    def shown_value(self) -> str:
        """The number as the report wrote it (1800 for 1800亿元); the stored text when there is no scale."""
        factor = self._scale_factor()
        if factor is None:
            return self.value_text
        from .parsers.numbers import plain

        return str(plain(Decimal(self.value) / factor))

    @property
    def shown_unit(self) -> str:
        """The unit as the report wrote it (亿元, 万项)."""
        return self.unit if self._scale_factor() is None else f"{self.scale}{self.unit}"

    @property
    def shown(self) -> str:
        return f"{self.shown_value}{self.shown_unit}"

    @property
    def shown_unit_local(self) -> str:
        """The unit as the report wrote it, in the reader's language (百分点 / percentage points, 级 / level,
        亿元 / 100 million yuan, 千瓦时 / kWh; core.units): the Chinese where no English form is known."""
        return local_unit(self.shown_unit)

    @property
    def unit_local(self) -> str:
        """The stored (base) unit in the reader's language (元 / yuan)."""
        return local_unit(self.unit)

    @property
    def shown_local(self) -> str:
        """The figure as the report wrote it, in the reader's language: 0.26百分点 / 0.26 percentage points,
        6级 / level 6 (without its qualifier: `figure_local` says it)."""
        return self._figure(qualifier="")

    @property
    def figure_local(self) -> str:
        """The figure with its qualifier, in the reader's language and word order (ingest.figures): 1200余家 /
        over 1,200 organisations, 6级以上 / level 6 or above, 近100项 / nearly 100 items."""
        return self._figure(qualifier=self.qualifier)

    @property
    def qualifier_local(self) -> str:
        """The qualifier alone in the reader's language (以上 / or more; of a level, or above)."""
        ranked = english() and self.shown_unit_local in ("level", "rank")
        return qualifier_words(self.qualifier, english=english(), ranked=ranked)

    def _figure(self, *, qualifier: str) -> str:
        return figure_words(
            self.shown_value,
            self.shown_unit,
            qualifier,
            english=english(),
            unit_local=self.shown_unit_local,
            group=getattr(self, "kind", "") != "date",
        )

    @property
    def stored_value(self) -> str:
        """The value in its base unit as people read a number: grouped, no trailing zeros (420,000,000)."""
        if self.value is None:
            return self.value_text
        value = Decimal(self.value)
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        return number_format(value, force_grouping=True)


# the codecs a report is decoded with (core.uploads.TEXT_ENCODINGS) by the names people know them by
# a reason or note given with a review step (finishing or reopening a document, accepting, rejecting, editing,
# checking or reopening a fact, undoing a change of the repair): written into the step's audit event; one bound
# on the pages and in the API alike, as the bulk accept's (api.BULK_REASON_MAX, written into up to 500 events)
STEP_REASON_MAX = 500

ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030", "gbk": "GBK", "big5": "Big5"}


class Document(BaseModel):
    """One report file as it was found, decoded and repaired. Unique by the SHA-256 of its bytes."""

    Status = DocumentStatus

    class Format(models.TextChoices):
        TXT = "txt", _("文本")
        HTML = "html", _("网页")
        DOCX = "docx", _("Word 文档")
        PDF = "pdf", _("PDF")

    title = models.CharField(_("标题"), max_length=300)
    filename = models.CharField(_("文件名"), max_length=300, blank=True)
    original = models.BinaryField(_("原始字节"))
    # a digest, never edited: the audit trail keeps it and shows no line for it (core.display._machine_field)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    size = models.PositiveIntegerField(_("字节数"), default=0)
    format = models.CharField(_("格式"), max_length=8, choices=Format.choices, default=Format.TXT)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    original_text = models.TextField(_("原文"), blank=True)
    repaired_text = models.TextField(_("修复后文本"), blank=True)
    year = models.PositiveSmallIntegerField(_("报告年份"), null=True, blank=True)
    region = models.CharField(_("地区"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    stats = models.JSONField(_("统计"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # the refusal's code (office_macro, file_type_mismatch, …) when `kechuang uploads recheck --apply` found the
    # original bytes failing today's upload checks: "" = not in quarantine. A document in quarantine keeps its
    # bytes for staff's review on the server but is never downloaded or analysed again (docs/security.md §40).
    quarantine = models.CharField(_("隔离原因"), max_length=40, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "reviewed"]), name="ingest_document_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=["txt", "html", "docx", "pdf"]),
                name="ingest_document_format_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def format_words(self) -> str:
        """The file's kind in words, a text file's encoding named as people name it ("文本（GB18030 编码）"),
        never the codec's spelling ("gb18030")."""
        kind = self.get_format_display()
        if not self.encoding:
            return str(kind)
        name = ENCODING_NAMES.get(self.encoding.lower(), self.encoding.upper())
        return _("%(kind)s（%(encoding)s 编码）") % {"kind": kind, "encoding": name}

    def get_absolute_url(self):
        return reverse("ingest:document-detail", args=[self.pk])

    @property
    def quarantine_text(self) -> str:
        """Why the original is held, in the reader's language ("" when it is not): the sentence a download or a
        new analysis is refused with."""
        if not self.quarantine:
            return ""
        from kechuang.core.display import reason_text

        return _("此报告的原始文件已隔离（%(reason)s），等待工作人员审查：不能下载，也不能重新分析。") % {
            "reason": reason_text(f"recheck_{self.quarantine}")
        }


class Change(BaseModel):
    """One edit made by one repair step, placed in both the original and the repaired text."""

    document = models.ForeignKey(
        Document, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="changes"
    )
    seq = models.PositiveIntegerField(_("序号"))
    step = models.CharField(_("步骤"), max_length=20, db_index=True)
    orig_start = models.PositiveIntegerField(_("原文起点"))
    orig_end = models.PositiveIntegerField(_("原文终点"))
    rep_start = models.PositiveIntegerField(_("修复后起点"))
    rep_end = models.PositiveIntegerField(_("修复后终点"))
    before = models.TextField(_("修改前"), blank=True)
    after = models.TextField(_("修改后"), blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uncertain = models.BooleanField(_("存疑"), default=False)
    reverted = models.BooleanField(_("已撤销"), default=False)

    class Meta:
        verbose_name = _("修改")
        verbose_name_plural = _("修改")
        ordering = ["document", "seq"]
        constraints = [models.UniqueConstraint(fields=["document", "seq"], name="ingest_change_seq_unique")]

    def __str__(self):
        return f"“{self.before}” → “{self.after}”"


class FactKind(models.TextChoices):
    """What a fact's figure is: the kinds the extractor reads (parsers), one list for the field's choices and
    its check constraint (a kind added here is allowed by the database once its migration has run)."""

    # a count (1200余家): "Count" in English, the 物理量 kind being the "Quantity" (one word read for both in
    # English before, in the kind filter too)
    COUNT = "count", pgettext_lazy("fact kind", "数量")
    MONEY = "money", _("金额")
    PERCENT = "percent", _("百分比")
    POINTS = "points", _("百分点")
    RANK = "rank", _("排名")
    DATE = "date", _("日期")
    # a level on a scale (technology readiness 6级, a typhoon's 17级): its unit 级 reads "level" too, not the
    # 等级 (grade) an evaluation gives (优秀、良好)
    LEVEL = "level", pgettext_lazy("fact kind", "等级")
    QUANTITY = "quantity", _("物理量")
    TARGET = "target", _("目标")


class Fact(ShownFigure, BaseModel):
    """A figure stated in a report, with what it counts, where it is, and a person's decision on it."""

    Kind = FactKind
    Status = FactStatus

    class RecordStatus(models.TextChoices):
        NONE = "", _("未入库")
        PENDING = "pending", _("待入库")
        RECORDED = "recorded", pgettext_lazy("事实入库", "已入库")

    class RecordKind(models.TextChoices):
        NONE = "", _("未入库")  # a fact not stored yet (the API's enum holds "" too)
        INDICATOR = "indicator", _("指标值")
        ACHIEVEMENT = "achievement", _("平台成果")
        EVENT = "event", _("事件记录")

    class UncertainPart(
        models.TextChoices
    ):  # the parts of a fact read across an uncertain span (in a sentence)
        VALUE = "value", pgettext_lazy("part of a fact", "数值")
        UNIT = "unit", pgettext_lazy("part of a fact", "单位")
        PERIOD = "period", pgettext_lazy("part of a fact", "期间")
        PLACE = "place", pgettext_lazy("part of a fact", "地区")

    document = models.ForeignKey(
        Document, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="facts"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("对象"), max_length=200, blank=True)
    predicate = models.CharField(_("谓词"), max_length=60, blank=True)
    value = models.DecimalField(
        _("数值"),
        max_digits=24,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("按基本单位（金额为元）计。"),
    )
    value_text = models.CharField(_("数值文本"), max_length=40, blank=True)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    scale = models.CharField(_("数量级"), max_length=4, blank=True, help_text=SCALE_HELP)
    qualifier = models.CharField(_("限定"), max_length=10, blank=True)
    period = models.CharField(_("期间"), max_length=20, blank=True)
    place = models.CharField(
        _("所属地区"),
        max_length=40,
        blank=True,
        help_text=_("句中主语为另一地区（省份、城市，或其科技部门）时的该地区；空为本报告地区。"),
    )
    quote = models.TextField(_("原句"))
    start = models.PositiveIntegerField(_("修复后起点"))
    end = models.PositiveIntegerField(_("修复后终点"))
    orig_start = models.PositiveIntegerField(_("原文起点"), null=True, blank=True)
    orig_end = models.PositiveIntegerField(_("原文终点"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    record_status = models.CharField(
        _("入库状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.NONE, blank=True
    )
    record_kind = models.CharField(_("入库类型"), max_length=20, choices=RecordKind.choices, blank=True)
    record_ref = models.CharField(_("入库记录"), max_length=100, blank=True)
    record_note = models.CharField(_("入库说明"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # read across or right beside a span the repair could not decide, or after a redaction or a gap
    # (parsers/doubt.py): set by the extraction; a careful look first, never accepted in bulk
    uncertain = models.BooleanField(
        _("读自存疑处"),
        default=False,
        db_index=True,
        help_text=_(
            "数值或其单位、期间、地区读自修复时无法确定的文字（存疑处），或原句中数值之前有隐去或缺失的内容，"
            "可能有误，须对照原文核对。"
        ),
    )
    uncertain_parts = models.JSONField(
        _("存疑部分"),
        default=list,
        blank=True,
        help_text=_("value、unit、period、place 中读自存疑处的部分。"),
    )
    uncertain_spans = models.JSONField(
        _("原句中的存疑处"), default=list, blank=True, help_text=_("存疑文字在原句中的起止位置。")
    )
    # a redaction standing for a place name (〔隐去〕市) or a gap (〔缺失N字〕) in the sentence before the figure:
    # its place, period or subject may have been taken with it (factflag2)
    redacted_near = models.BooleanField(
        _("附近有隐去的内容"),
        default=False,
        help_text=_(
            "原句中数值之前有网站隐去的地名或缺失的文字，事实的地区、期间或对象可能随之丢失，须对照原文核对。"
        ),
    )

    @property
    def uncertain_words(self) -> str:
        """The parts read across an uncertain span, in words (数值、期间)."""
        labels = dict(self.UncertainPart.choices)
        return listed(str(labels[p]) for p in self.uncertain_parts if p in labels)

    @property
    def doubt_words(self) -> str:
        """Why the fact needs a careful look, in words (the export's column): the parts read across an
        uncertain span (数值、期间), and the redaction or gap before it."""
        if self.uncertain_parts and self.redacted_near:
            return _("%(parts)s；附近有隐去的内容") % {"parts": self.uncertain_words}
        if self.uncertain_parts:
            return self.uncertain_words
        return str(_("附近有隐去的内容")) if self.redacted_near else ""

    @property
    def quote_marked(self) -> list[tuple[str, bool]]:
        """The quote in pieces, each with whether it lies in an uncertain span (for the page to highlight)."""
        text, out, pos = self.quote, [], 0
        for start, end in sorted((int(s), int(e)) for s, e in self.uncertain_spans or ()):
            start, end = max(pos, min(start, len(text))), max(pos, min(end, len(text)))
            if start > pos:
                out.append((text[pos:start], False))
            if end > start:
                out.append((text[start:end], True))
            pos = max(pos, end)
        if pos < len(text):
            out.append((text[pos:], False))
        return out

    @property
    def other_place(self) -> str:
        """The other region this fact is about ("" when it is the report's own): never recorded against the
        report's region (issue #15: a fact's subject links to the report's own region only when it is its)."""
        return self.place if self.place and self.place != self.document.region else ""

    class Meta:
        verbose_name = _("事实")
        verbose_name_plural = _("事实")
        ordering = ["document", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=FactStatus.values),
                name="ingest_fact_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=FactKind.values),
                name="ingest_fact_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(record_status__in=["", "pending", "recorded"]),
                name="ingest_fact_record_status_valid",
            ),
            models.UniqueConstraint(
                fields=["document", "kind", "start", "end", "subject"], name="ingest_fact_unique"
            ),
        ]

    def __str__(self):
        # the figure with its qualifier in the reader's language (1200余家 / over 1,200 organisations), as the pages
        return f"{self.subject} {self.figure_local}"

    def get_absolute_url(self):
        return reverse("ingest:fact-detail", args=[self.pk])

    @property
    def provenance(self) -> dict:
        return {"document": self.document_id, "start": self.start, "end": self.end, "quote": self.quote}

    @property
    def is_decided(self) -> bool:
        return self.status != self.Status.PROPOSED


class Mention(BaseModel):
    """A platform, unit, place or programme named in a report, linked to the registry or proposed as new."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("平台")
        UNIT = "unit", _("单位")
        PLACE = "place", _("地区")
        PROGRAMME = "programme", _("计划/行动")

    document = models.ForeignKey(
        Document, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="mentions"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("文本"), max_length=200)
    start = models.PositiveIntegerField(_("起点"))
    end = models.PositiveIntegerField(_("终点"))
    target_id = models.PositiveBigIntegerField(_("关联对象编号"), null=True, blank=True)
    target_name = models.CharField(_("关联对象"), max_length=200, blank=True)
    score = models.FloatField(_("匹配度"), default=0)
    is_new = models.BooleanField(_("建议新增"), default=False)

    class Meta:
        verbose_name = _("实体提及")
        verbose_name_plural = _("实体提及")
        ordering = ["document", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["platform", "unit", "place", "programme"]),
                name="ingest_mention_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["document", "kind", "start", "end"], name="ingest_mention_unique"
            ),
        ]

    def __str__(self):
        return self.text


class Event(ShownFigure, BaseModel):
    """The record of an accepted fact that no other app keeps (e.g. an order count, a sales figure)."""

    fact = models.OneToOneField(Fact, verbose_name=_("事实"), on_delete=models.PROTECT, related_name="event")
    kind = models.CharField(_("类型"), max_length=10)
    subject = models.CharField(_("对象"), max_length=200)
    predicate = models.CharField(_("谓词"), max_length=60, blank=True)
    value = models.DecimalField(
        _("数值"),
        max_digits=24,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("按基本单位（金额为元）计。"),
    )
    value_text = models.CharField(_("数值文本"), max_length=40, blank=True)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    scale = models.CharField(_("数量级"), max_length=4, blank=True, help_text=SCALE_HELP)
    qualifier = models.CharField(_("限定"), max_length=10, blank=True)
    period = models.CharField(_("期间"), max_length=20, blank=True)
    provenance = models.JSONField(_("出处"), default=dict)

    class Meta:
        verbose_name = _("事件记录")
        verbose_name_plural = _("事件记录")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} {self.shown}"
