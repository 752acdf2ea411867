"""Pages of the integrity records (staff only): the list, a new finding, the import, a record with its
appeal, and the appeal's steps. Thin: the services check and write, the selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.decided import decided_page, moved_on
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.importpage import dry_run_import_page
from kechuang.core.limits import search_words
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role, roles_of

from . import forms, selectors, services
from .models import Record
from .workflow import RECORD, RecordStatus


@role_required(Role.STAFF)
def record_list(request):
    qs = selectors.record_list(
        q=search_words(request),
        status=request.GET.get("status", ""),
        current=request.GET.get("current") == "1",
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "integrity/record_list.html", {"page": page, "statuses": RecordStatus.choices})


@role_required(Role.STAFF)
def record_create(request):
    form = forms.RecordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record = services.record_create(actor=request.user, **form.service_kwargs())
            except (ApplicationError, PermissionDenied) as exc:
                for name, errors in (getattr(exc, "fields", None) or {}).items():
                    target = "restrictions" if name.startswith("bars_") else name
                    for e in errors:
                        form.add_error(target if target in form.fields else None, e)
                if not getattr(exc, "fields", None):
                    form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("已记录。"))
                return redirect(record)
        status = 400
    return render(request, "integrity/record_form.html", {"form": form}, status=status)


@role_required(Role.STAFF)
def record_import(request):
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        return services.IMPORT_HEADINGS.template(
            _("科研诚信记录导入模板") + ".xlsx", sheet_title=str(_("科研诚信记录"))
        )
    return dry_run_import_page(
        request,
        form=forms.ImportForm(request.POST or None, request.FILES or None),
        run=services.record_import,
        done=lambda r: _("已导入%(n)d条记录。") % {"n": r.created},
        template="integrity/record_import.html",
        context={"columns": services.IMPORT_HEADINGS.local()},
        done_url=reverse("integrity:record-list"),
    )


def _detail(request, record, status=200, refused=None):
    """A record's page; `refused`: an action's form refused, shown again with what was typed and why (400)."""
    roles = roles_of(request.user)
    # One form per action, each with its own ids (two forms on a page must not share one).
    actions = [
        (
            t,
            refused
            if refused is not None and refused.action == t.name
            else forms.ReasonForm(auto_id=f"id_{t.name}_%s", action=t.name),
        )
        for t in RECORD.available(record.status, roles, record)
    ]
    ctx = {"record": record, "actions": actions}
    return render(request, "integrity/record_detail.html", ctx, status=status)


@role_required(Role.STAFF)
def record_detail(request, pk):
    record = get_object_or_404(Record.objects.select_related("unit", "person"), pk=pk)
    return _detail(request, record)


@require_POST
@role_required(Role.STAFF)
def record_transition(request, pk, action):
    """An appeal, its outcome or a revocation. Refused (no reason, a bad date): the record's page again with
    the reason and date as typed and why beside them (400); already decided (a second click, a stale tab): by
    whom and when, with the text typed (409)."""
    record = get_object_or_404(Record.objects.select_related("unit", "person"), pk=pk)
    if action not in RECORD.transitions:
        raise Http404
    form = forms.ReasonForm(request.POST, auto_id=f"id_{action}_%s", action=action)
    typed = {_("理由或意见"): request.POST.get("reason", "")}
    if moved_on(RECORD, record, action):
        return decided_page(request, obj=record, back_url=record.get_absolute_url(), typed=typed)
    if form.is_valid():
        try:
            services.record_transition(
                actor=request.user,
                record=record,
                action=action,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data.get("on"),
            )
        except PermissionDenied as exc:
            raise Refused(error_text(exc)) from exc
        except ApplicationError as exc:
            if moved_on(RECORD, record, action):
                return decided_page(request, obj=record, back_url=record.get_absolute_url(), typed=typed)
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已完成。"))
            return redirect(record)
    return _detail(request, record, status=400, refused=form)
