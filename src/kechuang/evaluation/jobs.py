"""Background jobs of evaluation: collect and compute a campaign with progress."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.jobs import JobContext, job_handler
from kechuang.core.roles import SYSTEM


@job_handler("evaluation.compute", title=_("计算评估结果"))
def compute_job(job: JobContext, *, campaign_id: int, collect: bool = True) -> dict:
    """Optionally re-collect the raw values, then compute; the result names the computation."""
    from .models import Campaign
    from .services import campaign_collect, campaign_compute

    campaign = Campaign.objects.get(pk=campaign_id)
    actor = job.user or SYSTEM
    if collect and campaign.status == Campaign.Status.COLLECTING:
        job.progress(10, _("采集数据"))
        campaign_collect(actor=actor, campaign=campaign)
    job.progress(60, _("计算中"))
    comp = campaign_compute(actor=actor, campaign=campaign)
    job.progress(100, _("完成"))
    return {"computation": comp.pk, "entries": len(comp.outputs["results"])}
