"""Official documents (公文) issued for a project, and the project's archive (一项目一档).

A document is a stored PDF with a verification code and the SHA-256 of its bytes. Generating it again makes a
new version; the one before is marked superseded and points to it. Nothing is ever overwritten: the public
verification page answers for every version ever issued.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import when_text
from kechuang.core.models import BaseModel
from kechuang.core.uploads import UnguessablePath


class DocumentKind(models.TextChoices):
    NOTICE = "notice", _("立项通知书")
    CONTRACT = "task_book", _("项目任务书")
    REVIEW = "review_sheet", _("评审意见表")
    ACCEPTANCE = "acceptance", _("验收意见")
    PAYMENT = "payment", _("经费拨付通知")


class OfficialDocument(BaseModel):
    """One version of one official document of a project."""

    Kind = DocumentKind

    contract = models.ForeignKey(
        "challenges.Contract",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="official_documents",
    )
    kind = models.CharField(_("文书类别"), max_length=12, choices=DocumentKind.choices)
    # The payment a 拨付通知 is about (one notice series per tranche); empty for the other kinds.
    payment = models.ForeignKey(
        "funds.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="official_documents"
    )
    title = models.CharField(_("标题"), max_length=300)
    version = models.PositiveIntegerField(_("版本"), default=1)
    code = models.CharField(_("核验码"), max_length=24, unique=True)
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("大小（字节）"))
    file = models.FileField(_("文件"), upload_to=UnguessablePath("documents/official"), max_length=255)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("重新生成理由"), blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["contract", "kind", "payment", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="official_document_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="payment", payment__isnull=False)
                | (~models.Q(kind="payment") & models.Q(payment__isnull=True)),
                name="official_document_payment_only_for_payment_notice",
            ),
            models.UniqueConstraint(
                fields=["contract", "kind", "payment", "version"], name="official_document_version_unique"
            ),
        ]

    def __str__(self):
        # （…） and 第N版 on Chinese pages, "(kind, version N)" on English ones; official files render under the
        # site language (documents.services), so they read as before
        return gettext("%(title)s（%(kind)s 第%(n)s版）") % {
            "title": self.title,
            "kind": self.get_kind_display(),
            "n": self.version,
        }

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    def get_absolute_url(self):
        return reverse("documents:verify", args=[self.code])

    def filename(self) -> str:
        """The download name: 任务书编号-文书类别[-第n期]-v版本.pdf."""
        part = f"-第{self.payment.milestone.seq}期" if self.payment_id else ""
        return f"{self.contract.code}-{self.get_kind_display()}{part}-v{self.version}.pdf"


class ProjectArchive(BaseModel):
    """A built archive of a project (一项目一档): a zip with a manifest and SHA-256 digests (docs/archive.md)."""

    contract = models.ForeignKey(
        "challenges.Contract", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="archives"
    )
    file = models.FileField(_("文件"), upload_to=UnguessablePath("documents/archives"), max_length=255)
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    entries = models.PositiveIntegerField(_("文件数"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("项目档案")
        verbose_name_plural = _("项目档案")
        ordering = ["contract", "-created_at", "-id"]

    def __str__(self):
        return f"{self.contract.code} {when_text(self.created_at)}"

    def filename(self) -> str:
        return f"{self.contract.code}-项目档案-{self.created_at:%Y%m%d%H%M%S}.zip"


class OpenDataDump(BaseModel):
    """One bulk download of the open data: a zip of CERIF-XML files with a manifest (docs/opendata.md).

    Built by the job `documents.opendata` (nightly, or by staff, or `kechuang opendata export`); the public
    page serves the latest one. Earlier dumps are kept."""

    file = models.FileField(_("文件"), upload_to=UnguessablePath("documents/opendata"), max_length=255)
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    counts = models.JSONField(_("记录数"), default=dict)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("开放数据包")
        verbose_name_plural = _("开放数据包")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{_('开放数据包')} {when_text(self.created_at)}"

    def filename(self) -> str:
        return f"kechuang-opendata-cerif-{self.created_at:%Y%m%d%H%M%S}.zip"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
