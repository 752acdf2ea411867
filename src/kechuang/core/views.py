from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from kechuang.accounts.permissions import role_required
from kechuang.accounts.roles import Role

from .models import AuditEvent
from .pagination import keyset_page
from .permissions import jobs_visible_to


@login_required
def job_list(request):
    jobs = jobs_visible_to(request.user).select_related("started_by")[:200]
    return render(request, "core/job_list.html", {"jobs": jobs})


@login_required
def job_detail(request, pk):
    """A job's progress page. While it runs, HTMX polls the progress fragment every second."""
    job = get_object_or_404(jobs_visible_to(request.user).select_related("started_by"), pk=pk)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@role_required(Role.STAFF)
def audit_log(request):
    """The whole audit trail, newest first, filterable by action and actor; paged by keyset (no row count,
    no OFFSET), since the trail grows without bound."""
    qs = AuditEvent.objects.select_related("content_type")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_repr=actor)
    page = keyset_page(
        qs, field="at", size=100, after=request.GET.get("after"), before=request.GET.get("before")
    )
    return render(request, "core/audit_log.html", {"page": page, "action": action, "actor": actor})
