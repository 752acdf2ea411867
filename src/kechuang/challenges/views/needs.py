"""Needs (需求) and topics (课题): enterprises submit needs; staff confirm the proposed groups as topics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kechuang.core import uploads
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.exports import wants_export
from kechuang.core.limits import search_words
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role

from .. import exports, industries, permissions, selectors, services
from ..forms import NeedForm, TopicForm
from ..models import Need, Topic
from ._util import attempt


def _industry_asked(request) -> str:
    """The industry a list is filtered by: an entry of the list (by its key, or its name in either language),
    else none."""
    return industries.parse(request.GET.get("industry", "")) or ""


@login_required
def need_list(request):
    if not (permissions.can_submit_need(request.user) or permissions.can_manage_topics(request.user)):
        raise PermissionDenied(_("技术需求只对提交需求的单位用户和管理课题的科技厅工作人员开放。"))
    qs = selectors.need_list(
        user=request.user,
        q=search_words(request),
        ungrouped=request.GET.get("ungrouped") == "1",
        industry=_industry_asked(request),
    )
    if wants_export(request):
        return exports.needs_xlsx(qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/need_list.html",
        {
            "page": page,
            "can_group": permissions.can_manage_topics(request.user),
            "industries": industries.CHOICES,
        },
    )


@login_required
def need_create(request):
    if not permissions.can_submit_need(request.user):
        raise PermissionDenied(_("只有单位用户可以提交技术需求。"))
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holder = {}

        def do():
            holder["need"] = services.need_submit(actor=request.user, **form.cleaned_data)

        if attempt(request, do, success=_("需求已提交。"), form=form):
            return redirect(holder["need"])
    return render(request, "challenges/need_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def need_detail(request, pk):
    need = get_object_or_404(
        permissions.needs_visible_to(request.user).select_related("unit", "topic"), pk=pk
    )
    return render(request, "challenges/need_detail.html", {"need": need})


@role_required(Role.STAFF)
def need_group(request):
    """The platform's proposed groups of ungrouped needs (jieba + TF-IDF cosine); staff confirm each as a topic."""
    try:
        threshold = float(request.GET.get("threshold", "0.25"))
    except ValueError:
        threshold = 0.25
    threshold = min(max(threshold, 0.05), 0.95)
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("need") if x.isdecimal()]
        needs = list(Need.objects.filter(pk__in=ids, topic__isnull=True))
        form = TopicForm(request.POST)
        if form.is_valid() and needs:
            holder = {}

            def do():
                holder["topic"] = services.topic_create(actor=request.user, needs=needs, **form.cleaned_data)

            if attempt(
                request,
                do,
                success=ngettext(
                    "课题已创建，%(n)d 项需求已归入。", "课题已创建，%(n)d 项需求已归入。", len(needs)
                )
                % {"n": len(needs)},
                form=form,
            ):
                return redirect(holder["topic"])
        elif not needs:
            form.add_error(None, _("请至少选择一项需求。"))
        # Refused: the proposal posted is shown again as it was sent (the needs ticked, the name and TRLs
        # typed) with the reasons in words beside it, answering 400 (nothing typed is lost).
        groups = selectors.need_groups_propose(threshold=threshold)
        posted = set(ids)
        refused_at = next((i for i, (_g, ns) in enumerate(groups) if posted & {n.pk for n in ns}), None)
        return render(
            request,
            "challenges/need_group.html",
            {
                "groups": groups,
                "threshold": threshold,
                "error_form": form,
                "errors": _errors_in_words(form),
                "refused_at": refused_at,
                "posted": posted,
                "tracks": Topic.Track.choices,
                "industries": industries.CHOICES,
            },
            status=400,
        )
    groups = selectors.need_groups_propose(threshold=threshold)
    return render(
        request,
        "challenges/need_group.html",
        {"groups": groups, "threshold": threshold, "tracks": Topic.Track.choices},
    )


def _errors_in_words(form) -> list[str]:
    """A form's errors as a person reads them: the field's label before its reason, never the field's key."""
    lines = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name in form.fields:
            lines += [f"{form.fields[name].label}{_('：')}{e}" for e in errors]
    return lines


@role_required(Role.STAFF, Role.COMMISSIONER)
def topic_list(request):
    qs = selectors.topic_list(track=request.GET.get("track", ""), industry=_industry_asked(request))
    if wants_export(request):
        return exports.topics_xlsx(qs)
    return render(
        request,
        "challenges/topic_list.html",
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "tracks": Topic.Track.choices,
            "industries": industries.CHOICES,
            "can_manage": permissions.can_manage_topics(request.user),
        },
    )


@role_required(Role.STAFF, Role.COMMISSIONER)
def topic_detail(request, pk):
    topic = get_object_or_404(Topic, pk=pk)
    return render(
        request,
        "challenges/topic_detail.html",
        {
            "topic": topic,
            "needs": topic.needs.select_related("unit"),
            # a need is linked only for those who may open it (a commissioner reads its title here); staff
            # open every need (None: no query)
            "visible_needs": None
            if permissions.can_manage_topics(request.user)
            else set(
                permissions.needs_visible_to(request.user).filter(topic=topic).values_list("pk", flat=True)
            ),
            "challenges": topic.challenges.all(),
            "can_edit": permissions.can_manage_topics(request.user),
        },
    )


@role_required(Role.STAFF)
def topic_edit(request, pk=None):
    topic = get_object_or_404(Topic, pk=pk) if pk else None
    form = TopicForm(request.POST or None, instance=Topic.objects.get(pk=pk) if pk else None)
    if request.method == "POST" and form.is_valid():
        holder = {}

        def do():
            if topic:
                holder["topic"] = services.topic_update(actor=request.user, topic=topic, **form.cleaned_data)
            else:
                holder["topic"] = services.topic_create(actor=request.user, **form.cleaned_data)

        if attempt(request, do, success=_("课题已保存。"), form=form):
            return redirect(holder["topic"])
    return render(
        request,
        "challenges/topic_form.html",
        {"form": form, "topic": topic},
        status=400 if form.errors else 200,
    )


@role_required(Role.STAFF)
def need_import(request):
    """Import needs from Excel/CSV: a dry run lists every bad row; the real import writes all or nothing.
    `?template=xlsx`: the empty template, headed in the reader's language."""
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        return services.NEEDS_IMPORT_HEADINGS.template(
            _("技术需求导入模板") + ".xlsx", sheet_title=str(_("技术需求"))
        )
    report, error, chosen = None, "", ""
    if request.method == "POST" and request.FILES.get("file"):
        f = request.FILES["file"]
        chosen = f.name
        dry_run = request.POST.get("commit") != "1"
        try:
            data = uploads.read_upload(
                f, allowed=uploads.TABLES, limit=uploads.max_bytes("KECHUANG_MAX_IMPORT_BYTES")
            )
            report = services.needs_import(actor=request.user, data=data, filename=f.name, dry_run=dry_run)
        except ApplicationError as exc:
            # a file not taken (its kind, its size, not a table): why beside the file field (400; it was a
            # message above the page, answered 200)
            error = error_text(exc)
        else:
            if report.committed:
                messages.success(
                    request,
                    ngettext("已导入 %(n)d 项需求。", "已导入 %(n)d 项需求。", report.created)
                    % {"n": report.created},
                )
    elif request.method == "POST":
        error = _("请选择要导入的文件。")
    return render(
        request,
        "challenges/need_import.html",
        # a refused file is named and asked for again: the browser does not keep it (as web/_form.html does)
        {
            "report": report,
            "error": error,
            "chosen": chosen if error else "",
            "columns": services.NEEDS_IMPORT_HEADINGS.local(),
        },
        status=400 if error else 200,
    )
