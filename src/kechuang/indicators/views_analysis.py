"""The analysis page of an index run (staff): statistics, correlations, Monte Carlo and what it would take."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop

from kechuang.core import divisions
from kechuang.core.jobs import job_submit
from kechuang.core.messages import Message
from kechuang.core.models import Job
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role

from . import exports, permissions, selectors
from .analysis_tables import RunAnalysis
from .forms import AnalysisForm
from .views import _renderer


@role_required(Role.STAFF)
def run_analysis(request, pk):
    run = selectors.index_run_get(user=request.user, pk=pk)
    if run is None or not permissions.can_analyse_run(request.user, run):
        raise Http404
    an = RunAnalysis(run, selectors.indicator_names(run.outputs.get("indicators", [])))
    if request.GET.get("format") == "xlsx":
        return exports.analysis_xlsx(run, an)
    years = sorted({int(r["year"]) for r in run.outputs.get("rows", [])}, reverse=True)
    units = sorted({r["unit"] for r in run.outputs.get("rows", [])}, key=an.unit)
    stored = an.stored or {}
    home = divisions.home_code()  # the department's own province, preselected when the run has it
    initial = {
        "year": stored.get("year") or (years[0] if years else None),
        "unit": stored.get("unit", home if home in units else ""),
        "vary": stored.get("assumptions", {}).get("vary", "nodes"),
    }
    nodes, depth = an.sub_indices()
    form = AnalysisForm(
        request.POST or None,
        initial=initial,
        years=years,
        units=[(u, an.unit(u)) for u in units],
        nodes=nodes,
        depth=depth,
    )
    if request.method == "POST" and form.is_valid():
        job = job_submit(
            kind="indicators.run_analysis",
            params={"run_id": run.pk, **form.cleaned_data},
            actor=request.user,
            title=Message(gettext_noop("指数分析：%(name)s"), name=run.spec.get("name", run.framework_code)),
        )
        return redirect(job.get_absolute_url())
    pending = (
        Job.objects.filter(
            kind="indicators.run_analysis", params__run_id=run.pk, state__in=["queued", "running"]
        )
        .order_by("-created_at")
        .first()
    )
    return render(
        request,
        "indicators/run_analysis.html",
        {
            "run": run,
            "form": form,
            "pending": pending,
            "statistics": an.statistics(),
            "cross": an.cross_level(),
            "assumptions": an.assumptions(),
            "intervals": an.intervals(),
            "factors": an.factors(),
            "wwit": an.what_would_it_take(),
            "stored": an.stored,
            "charts": an.charts(),
            "renderer": _renderer(request),
        },
        status=400 if request.method == "POST" else 200,
    )
