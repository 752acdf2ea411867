"""The review round of one expert-review stage (函评, 会评/答辩) of a programme call (issue #18): programmes
knows nothing of review; this link, on review's side, says which round reviews which call stage, on which
review form version the stage named."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import BaseModel

from .rounds import Round


class CallStageRound(BaseModel):
    call = models.ForeignKey(
        "programmes.Call", verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name="+"
    )
    stage_key = models.CharField(_("环节"), max_length=20)
    round = models.OneToOneField(
        Round, verbose_name=_("评审轮次"), on_delete=models.PROTECT, related_name="call_stage"
    )
    form_version = models.ForeignKey(
        "programmes.FormVersion", verbose_name=_("评审表版本"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("批次环节评审")
        verbose_name_plural = _("批次环节评审")
        ordering = ["call", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "stage_key"], name="call_stage_round_unique"),
        ]

    def __str__(self):
        return str(self.round)
