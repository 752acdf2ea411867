"""Background jobs of the indicators app."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.jobs import JobContext, job_handler


@job_handler("indicators.index_run", title=_("计算综合指数"))
def index_run(job: JobContext, *, framework_id: int, reference: str = "", region_set: str = "") -> dict:
    """Compute a framework's index from the stored values and keep the run; the result links to it."""
    from .models import Framework
    from .services import index_run_create

    job.progress(10, _("读取数据"))
    framework = Framework.objects.get(pk=framework_id)
    run = index_run_create(actor=job.user, framework=framework, reference=reference, region_set=region_set)
    job.progress(100, _("完成"))
    return {"run": run.pk, "url": run.get_absolute_url(), "rows": len(run.outputs.get("rows", []))}


@job_handler("indicators.run_analysis", title=_("指数不确定性与敏感性分析"))
def run_analysis(job: JobContext, *, run_id: int, **options) -> dict:
    """Monte Carlo uncertainty and sensitivity of an index run, kept with the run; the result links to it."""
    from django.urls import reverse

    from .models import IndexRun
    from .services import run_analysis as analyse

    job.progress(1, _("读取数据"))
    run = IndexRun.objects.get(pk=run_id)
    run = analyse(
        actor=job.user,
        run=run,
        progress=lambda done, total: job.progress(1 + 98 * done / max(total, 1), f"{done}/{total}"),
        **options,
    )
    job.progress(100, _("完成"))
    analysis = run.outputs["analysis"]
    return {"url": reverse("indicators:run-analysis", args=[run.pk]), "runs": analysis["runs"]}
