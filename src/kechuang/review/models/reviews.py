"""An expert's review of one subject and its criterion scores."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import BaseModel
from kechuang.core.uploads import UnguessablePath

from ..workflow import ReviewStatus
from .rounds import Assignment, Criterion


class Review(BaseModel):
    """An expert's review of one assigned subject: scores per criterion, comments, a recommendation."""

    Status = ReviewStatus

    class Recommendation(models.TextChoices):
        STRONG = "strong", _("强烈推荐")
        SUPPORT = "support", _("推荐")
        REVISE = "revise", _("修改后推荐")
        REJECT = "reject", _("不推荐")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    comments = models.TextField(_("评审意见"), blank=True)
    opinion = models.TextField(_("可向申报方公开的意见"), blank=True)
    recommendation = models.CharField(
        _("推荐意见"), max_length=10, choices=Recommendation.choices, blank=True
    )
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=4, null=True, blank=True)
    declared_no_conflict_at = models.DateTimeField(_("声明无利益冲突时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released = models.BooleanField(_("意见已向申报方公开"), default=False)
    version = models.PositiveIntegerField(default=1)
    # The review form version the review is scored on (its round's sheet when opened; issue #18) and the
    # sheet's values by the fields' stable keys; the review is shown with this version for ever.
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("评审表版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sheet_values = models.JSONField(_("评审表填写内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("评审")
        verbose_name_plural = _("评审")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "opened", "submitted", "declined"]),
                name="review_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(recommendation__in=["", "strong", "support", "revise", "reject"]),
                name="review_recommendation_valid",
            ),
        ]

    def __str__(self):
        return str(self.assignment)

    def get_absolute_url(self):
        return reverse("review:review-detail", args=[self.pk])


class CriterionScore(BaseModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="criterion_score_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="criterion_score_nonnegative"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ReviewFile(BaseModel):
    """The file answering a file field of a review's scoring sheet (issue #18): private storage, downloaded
    only by those who may see the review (its expert and staff; views.reviews.review_file_download), never by
    the applicant. The review's `sheet_values[key]` is `{"name", "file"}`: the file name and this row's id.
    Stored and replaced through services.review_file_set (programmes.filefields)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(_("栏目"), max_length=60)
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("评审表版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("文件"), upload_to=UnguessablePath("review/sheets"), max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("评审表附件")
        verbose_name_plural = _("评审表附件")
        ordering = ["review", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("review:review-file-download", args=[self.pk])
