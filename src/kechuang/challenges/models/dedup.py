"""The duplicate check's records (查重): the LSH index of every submitted application's text (one row per
band key, kept as applications are submitted) and the pairs found above the threshold, with the decision."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import BaseModel

from ..workflow_dedup import DuplicateStatus


class DuplicateIndexEntry(models.Model):
    """One LSH band key of one application's MinHash signature (challenges.dedup)."""

    application = models.ForeignKey(
        "challenges.Application", on_delete=models.CASCADE, related_name="dedup_keys"
    )
    key = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("查重索引")
        verbose_name_plural = _("查重索引")
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="dedup_key_once")]

    def __str__(self):
        return f"{self.application_id}:{self.key}"


class DuplicatePair(BaseModel):
    """Two applications whose texts or teams overlap above the thresholds; `left` is the earlier one."""

    Status = DuplicateStatus

    left = models.ForeignKey(
        "challenges.Application", verbose_name=_("申请一"), on_delete=models.CASCADE, related_name="+"
    )
    right = models.ForeignKey(
        "challenges.Application", verbose_name=_("申请二"), on_delete=models.CASCADE, related_name="+"
    )
    text_score = models.FloatField(_("文本相似度"))
    people_score = models.FloatField(_("人员重合度"), default=0)
    shared_people = models.JSONField(_("共同人员"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN, db_index=True
    )
    note = models.TextField(_("核查意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("疑似重复申请")
        verbose_name_plural = _("疑似重复申请")
        ordering = ["-text_score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="duplicate_pair_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DuplicateStatus.values), name="duplicate_pair_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.left.title} ↔ {self.right.title}"

    def get_absolute_url(self):
        return reverse("challenges:duplicate-detail", args=[self.pk])

    def other(self, application_id: int):
        return self.right if self.left_id == application_id else self.left
