from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Refused
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kechuang.core.roles import Role, has_role

from . import bigram
from .audit import audit_events_named
from .decided import decided_page
from .display import audit_lines
from .exceptions import ApplicationError, PermissionDenied, error_text
from .exports import audit_xlsx, wants_export
from .jobs import can_rerun, job_rerun
from .limits import SEARCH_MAX
from .models import AuditEvent, Job
from .pagination import keyset_page
from .permissions import jobs_visible_to, role_required


@login_required
def job_list(request):
    """The jobs the user may see, newest first, 50 a page (jobs have UUID keys, so no keyset cursor)."""
    qs = jobs_visible_to(request.user).select_related("started_by").order_by("-created_at", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page})


@login_required
def job_detail(request, pk):
    """A job's progress page. While it runs, HTMX polls the progress fragment every second.

    POST `rerun` queues a failed job again (its starter or staff), e.g. after its worker was lost."""
    job = get_object_or_404(jobs_visible_to(request.user).select_related("started_by"), pk=pk)
    if request.method == "POST" and "rerun" in request.POST:
        # A job no longer failed (re-run meanwhile from another tab, a second click): a page saying who re-ran
        # it and when and what it is now (409; it was a message after a redirect); one who may not: 403.
        try:
            job_rerun(actor=request.user, job=job)
        except PermissionDenied as exc:
            raise Refused(error_text(exc)) from exc
        except ApplicationError as exc:
            job.refresh_from_db()
            if job.state == Job.State.FAILED:  # refused for another reason: the page again with why (400)
                return _job_page(request, job, rerun_error=error_text(exc), status=400)
            return decided_page(
                request,
                obj=job,
                back_url=job.get_absolute_url(),
                trail=AuditEvent.objects.for_object(job).filter(action="job.rerun"),
                now=_("现为“%(state)s”。") % {"state": job.get_state_display()},
            )
        messages.success(request, _("任务已重新排队。"))
        return redirect(job)
    return _job_page(request, job)


def _job_page(request, job, *, rerun_error: str = "", status: int = 200):
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    # The traceback of an unexpected failure is for staff (everyone else reads a sentence, Job.error_text).
    detail = job.error_detail if job.error_detail and has_role(request.user, Role.STAFF) else ""
    ctx = {
        "job": job,
        "can_rerun": can_rerun(request.user, job),
        "error_detail": detail,
        "rerun_error": rerun_error,
    }
    return render(request, template, ctx, status=status)


@role_required(Role.STAFF)
def audit_log(request):
    """The whole audit trail, newest first, filterable by action, actor and the name of the object changed;
    paged by keyset (no row count, no OFFSET), since the trail grows without bound."""
    qs = AuditEvent.objects.select_related("content_type", "actor__unit")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    # the object's name as the event recorded it, through the events' name index (core.bigram), not a scan
    named = request.GET.get("object", "").strip()[:SEARCH_MAX]
    if named:
        qs = audit_events_named(qs, named)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:  # by name as the trail shows it (or the login name, for those who know it)
        # The names through the users' bigram index (core.bigram), not a scan of the trail joined to them.
        named = get_user_model().objects.filter(bigram.matches("search_bigrams", actor, "full_name"))
        # actor_repr: a command's name, or the public name new rows store; the login name through the user.
        qs = qs.filter(
            Q(actor__in=named.values("pk")) | Q(actor_repr=actor) | Q(actor__username__iexact=actor)
        )
    if wants_export(request):
        return audit_xlsx(qs.order_by("-at", "-pk"))
    # What the rows show (display.audit_lines): the event without its chain's hashes and request, each actor's
    # name (User.__str__) and unit (Unit.__str__); the user's other 11 columns (the name index's text among
    # them) and the unit's other 22 are neither read nor made into fields (issue #19).
    qs = qs.only(
        *("at", "actor", "actor_repr", "action", "content_type", "object_id", "object_repr"),
        *("before", "after", "reason"),
        "content_type__app_label",
        "content_type__model",
        "actor__username",
        "actor__first_name",
        "actor__last_name",
        "actor__full_name",
        "actor__unit__name",
        "actor__unit__name_en",
    )
    page = keyset_page(
        qs, field="at", size=100, after=request.GET.get("after"), before=request.GET.get("before")
    )
    lines = audit_lines(page.object_list)
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "lines": lines, "action": action, "actor": actor, "object": named},
    )
