"""Pages of the technology map. Thin: reads through selectors, writes through services."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from kechuang.core.attempts import attempt, form_errors_text
from kechuang.core.dates import DateFilter, date_filter, when_text
from kechuang.core.display import actor_words
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.filters import choice_filter
from kechuang.core.jobs import job_submit
from kechuang.core.limits import search_words
from kechuang.core.messages import Message
from kechuang.core.models import AuditEvent
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.redirects import back_or
from kechuang.core.roles import Role
from kechuang.core.services import posted_version

from . import charts, importer, permissions, selectors, services
from .forms import (
    ChainForm,
    CoverageEndForm,
    CoverageForm,
    GapTopicForm,
    ImportForm,
    LinkForm,
    TechnologyDeleteForm,
    TechnologyForm,
    TrlForm,
)
from .models import Chain, ChainLink, Coverage, Technology

INTERNAL = (Role.STAFF, Role.COMMISSIONER, Role.EXPERT)


def _as_of(request):
    """?as_of= (core.dates.date_filter): the date the map is shown for, and why a value typed was not read."""
    return date_filter(request)


def _chain_filter(request):
    """?chain= one of the chains the reader may see (all when blank); another is said beside the list."""
    chains = permissions.chains_visible_to(request.user).order_by("order", "name")
    return choice_filter(
        request, "chain", [(c.pk, c.local_name) for c in chains], label=_("产业链"), everything=True
    )


def _ctx(request, **extra) -> dict:
    return {
        "can_edit": permissions.can_edit_map(request.user),
        "internal": permissions.can_read_internal(request.user),
        "chains": permissions.chains_visible_to(request.user).order_by("order", "name"),
        **extra,
    }


# Overview and views of the whole map ----------------------------------------------------------------


def index(request):
    return render(
        request,
        "techmap/index.html",
        _ctx(request, tab="index", chain_rows=selectors.chain_list(user=request.user)),
    )


def graph(request):
    f, chain = _as_of(request), _chain_filter(request)
    tree = selectors.map_tree(user=request.user, as_of=f.date, chain=chain.value)
    return render(
        request,
        "techmap/graph.html",
        _ctx(
            request,
            tab="graph",
            as_of=f.date,
            as_of_filter=f,
            chain_filter=chain,
            graph=charts.graph_data(tree),
        ),
    )


def tree(request):
    f, chain = _as_of(request), _chain_filter(request)
    data = selectors.map_tree(user=request.user, as_of=f.date, chain=chain.value)
    n = sum(len(lk["technologies"]) for ch in data for lk in ch["links"])
    return render(
        request,
        "techmap/tree.html",
        _ctx(
            request,
            tab="tree",
            as_of=f.date,
            as_of_filter=f,
            chain_filter=chain,
            tree=charts.tree_data(data, _("攻坚图谱")),
            height=max(500, 24 * n),
        ),
    )


def matrix(request):
    f = _as_of(request)
    return render(
        request,
        "techmap/matrix.html",
        _ctx(
            request,
            tab="matrix",
            as_of=f.date,
            as_of_filter=f,
            matrix=selectors.map_matrix(user=request.user, as_of=f.date),
        ),
    )


def _bool_param(raw: str) -> bool | None:
    return {"1": True, "0": False}.get(raw)


def technology_table(request):
    # the lists' values only; another (an old link, a typo) is said beside its list, never silently ignored
    shown = {
        "chain": _chain_filter(request),
        "stage": choice_filter(
            request, "stage", ChainLink.Stage.choices, label=_("环节位置"), everything=True
        ),
        "bottleneck": choice_filter(
            request, "bottleneck", [("1", _("是")), ("0", _("否"))], label=_("卡脖子"), everything=True
        ),
        "level": choice_filter(
            request, "level", Technology.Level.choices, label=_("技术水平"), everything=True
        ),
        "substitution": choice_filter(
            request, "substitution", Technology.Substitution.choices, label=_("进口替代"), everything=True
        ),
    }
    qs = selectors.technology_list(
        user=request.user,
        chain=shown["chain"].value,
        stage=shown["stage"].value or "",
        bottleneck=_bool_param(shown["bottleneck"].value or ""),
        level=shown["level"].value or "",
        substitution=shown["substitution"].value or "",
        q=search_words(request),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    states = {}
    if permissions.can_read_internal(request.user):
        states = selectors.coverage_states([t.pk for t in page])
    rows = [(t, states.get(t.pk)) for t in page]
    return render(
        request,
        "techmap/technology_list.html",
        _ctx(
            request,
            tab="table",
            page=page,
            rows=rows,
            filters=shown,
        ),
    )


def export(request):
    """The map as the import reads it, headed in the reader's language (a file headed in either is read)."""
    return xlsx_response(
        "攻坚图谱.xlsx",
        list(importer.headings().values()),
        selectors.export_rows(user=request.user),
        sheet_title=str(_("攻坚图谱")),
    )


IMPORT_IN_BACKGROUND_ABOVE = 150  # rows; about 3 s of writing on this hardware


def _import_job(request, data: bytes, filename: str):
    folder = Path(settings.MEDIA_ROOT) / "techmap" / "incoming" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(filename).name
    target.write_bytes(data)
    return job_submit(
        kind="techmap.import",
        params={"path": str(target), "filename": Path(filename).name},
        actor=request.user,
        title=Message(gettext_noop("导入攻坚图谱：%(name)s"), name=Path(filename).name),
    )


@role_required(Role.STAFF)
def import_view(request):
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        # the empty template, headed in the reader's language
        return importer.HEADINGS.template(_("攻坚图谱导入模板") + ".xlsx", sheet_title=str(_("攻坚图谱")))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        data = f.read()
        commit = form.cleaned_data["commit"]
        try:
            # Always check first; a clean large file is then written in the background.
            report = importer.map_import(actor=request.user, data=data, filename=f.name, dry_run=True)
            if commit and report.ok and report.total > IMPORT_IN_BACKGROUND_ABOVE:
                return redirect(_import_job(request, data, f.name).get_absolute_url())
            if commit and report.ok:
                report = importer.map_import(actor=request.user, data=data, filename=f.name, dry_run=False)
        except (ApplicationError, ValidationError) as exc:
            form.add_error("file", error_text(exc))
        else:
            if report.committed:
                messages.success(
                    request,
                    _("已导入：新增 %(c)d 项，更新 %(u)d 项。") % {"c": report.created, "u": report.updated},
                )
                return redirect("techmap:technology-list")
    return render(
        request,
        "techmap/import.html",
        _ctx(request, tab="table", form=form, report=report, columns=importer.headings()),
    )


# Chains and links ------------------------------------------------------------------------------------


def chain_detail(request, pk, *, link_form=None, status: int = 200):
    """A chain's page; after a refused link, its form again with the input and why (400)."""
    chain = get_visible_or_404(selectors.chain_detail, user=request.user, pk=pk)
    if not permissions.can_edit_map(request.user):
        link_form = None
    elif link_form is None:
        link_form = LinkForm()
    return render(
        request, "techmap/chain_detail.html", _ctx(request, chain=chain, link_form=link_form), status=status
    )


def _edit_form(request, form_class, model, obj):
    """The form editing `obj` (a fresh instance, so a refused save shows what was typed over what is stored),
    with the version read required: an edit without it could overwrite another's."""
    form = form_class(
        request.POST or None, instance=model.objects.get(pk=obj.pk), initial={"version": obj.version}
    )
    form.fields["version"].required = True
    return form


def _form_page(request, form, save, *, success: str, title: str, obj=None):
    """A staff form of the map, new (`obj` None) or editing `obj`: valid, `save` is given what was filled in
    (or, editing, what was changed), without the version read, and the saved object's page follows; refused
    or invalid, the form again as typed, with why (400)."""
    if request.method == "POST" and form.is_valid():
        keys = form.cleaned_data if obj is None else form.changed_data
        data = {k: form.cleaned_data[k] for k in keys if k != "version"}
        saved = attempt(request, lambda: save(data), success=success, form=form)
        if saved:
            return redirect(saved if obj is None else obj)
    ctx = (
        _ctx(request, form=form, title=title)
        if obj is None
        else _ctx(request, form=form, title=title, obj=obj)
    )
    return render(request, "techmap/form.html", ctx, status=400 if form.errors else 200)


@role_required(Role.STAFF)
def chain_create(request):
    return _form_page(
        request,
        ChainForm(request.POST or None),
        lambda data: services.chain_create(actor=request.user, **data),
        success=_("产业链已创建。"),
        title=_("新建产业链"),
    )


@role_required(Role.STAFF)
def chain_edit(request, pk):
    chain = get_object_or_404(Chain, pk=pk)
    return _form_page(
        request,
        _edit_form(request, ChainForm, Chain, chain),
        lambda data: services.chain_update(
            actor=request.user, chain=chain, expected_version=posted_version(request), **data
        ),
        success=_("产业链已保存。"),
        title=_("编辑产业链"),
        obj=chain,
    )


@role_required(Role.STAFF)
@require_POST
def link_create(request, pk):
    chain = get_object_or_404(Chain, pk=pk)
    form = LinkForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.link_create(actor=request.user, chain=chain, **form.cleaned_data),
        success=_("环节已添加。"),
        form=form,
    ):
        return redirect(chain)
    # Refused: the page again with what was typed and why
    return chain_detail(request, chain.pk, link_form=form, status=400)


@role_required(Role.STAFF)
def link_edit(request, pk):
    link = get_object_or_404(ChainLink.objects.select_related("chain"), pk=pk)
    form = LinkForm(request.POST or None, instance=ChainLink.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        if attempt(
            request,
            lambda: services.link_update(actor=request.user, link=link, **changed),
            success=_("环节已保存。"),
            form=form,
        ):
            return redirect(link.chain)
    return render(
        request,
        "techmap/form.html",
        _ctx(request, form=form, title=_("编辑环节"), obj=link.chain),
        status=400 if form.errors else 200,  # refused: the form again as typed, with why (400)
    )


# Technologies ---------------------------------------------------------------------------------------


def technology_detail(request, pk):
    tech = get_visible_or_404(selectors.technology_get, user=request.user, pk=pk)
    return _technology_page(request, tech)


def _technology_page(
    request, tech, *, coverage_form=None, trl_form=None, delete_form=None, refused=None, status: int = 200
):
    """A key technology's page; after a refused coverage, TRL or deletion, its form again (open) with the input
    and why (400); `refused`: a refused coverage end or topic (where, the coverage, why) beside its button."""
    editable = permissions.can_edit_map(request.user)
    state = selectors.technology_coverage(user=request.user, technology=tech)
    history = selectors.trl_history(technology=tech)
    chart = {
        kind: [[r.as_of.isoformat(), r.value] for r in history if r.kind == kind]
        for kind in ("baseline", "current", "target")
    }
    # Hold the baseline and current values up to today so the step lines read as "still at".
    today = timezone.localdate().isoformat()
    for kind in ("baseline", "current"):
        if chart[kind] and chart[kind][-1][0] < today:
            chart[kind].append([today, chart[kind][-1][1]])
    return render(
        request,
        "techmap/technology_detail.html",
        _ctx(
            request,
            tech=tech,
            state=state,
            history=history,
            trl_chart=chart,
            trl_form=(trl_form or TrlForm()) if editable else None,
            trl_open=trl_form is not None,
            coverage_form=(coverage_form or CoverageForm(user=request.user)) if editable else None,
            coverage_open=coverage_form is not None,
            end_form=CoverageEndForm() if editable else None,
            delete_form=(delete_form or TechnologyDeleteForm()) if editable else None,
            delete_open=delete_form is not None,
            refused=refused or {},
            can_gap_topic=permissions.can_create_topic_from_gap(request.user, tech)
            and not state.covered
            and not any(c.kind == Coverage.Kind.TOPIC for c in state.planned),
        ),
        status=status,
    )


@role_required(Role.STAFF)
def technology_create(request):
    initial = {"link": request.GET.get("link")} if request.GET.get("link") else {}
    return _form_page(
        request,
        TechnologyForm(request.POST or None, initial=initial),
        lambda data: services.technology_create(actor=request.user, **data),
        success=_("关键技术已创建，请在详情页登记 TRL。"),
        title=_("新建关键技术"),
    )


@role_required(Role.STAFF)
def technology_edit(request, pk):
    tech = get_object_or_404(Technology, pk=pk)
    return _form_page(
        request,
        _edit_form(request, TechnologyForm, Technology, tech),
        lambda data: services.technology_update(
            actor=request.user, technology=tech, expected_version=posted_version(request), **data
        ),
        success=_("关键技术已保存。"),
        title=_("编辑关键技术"),
        obj=tech,
    )


@role_required(Role.STAFF)
@require_POST
def technology_delete(request, pk):
    """Deleting a technology with its TRL history and coverage cannot be undone: a reason and a tick. Refused:
    the technology's page again with the deletion open, the reason typed and why beside it (400). Deleted
    already (a second click, a stale tab): who deleted it and when, the reason typed kept (409)."""
    tech = Technology.objects.select_related("link__chain").filter(pk=pk).first()
    if tech is None:
        return _gone(request, Technology, pk, "technology.delete", _("这项技术已由%(who)s于%(when)s删除。"))
    form = TechnologyDeleteForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.technology_delete(
            actor=request.user, technology=tech, reason=form.cleaned_data["reason"]
        ),
        form=form,
    ):
        messages.success(request, _("关键技术已删除。"))
        return redirect(tech.link.chain)
    return _technology_page(
        request, selectors.technology_get(user=request.user, pk=pk), delete_form=form, status=400
    )


def _gone(request, model, pk, action: str, sentence: str, *, back_url: str = ""):
    """Something removed meanwhile (a second click, a stale tab): by whom and when from the audit trail, nothing
    changed, the reason typed kept (409); something the trail never removed: 404."""
    event = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk), action=action
        )
        .select_related("actor__unit")
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        raise Http404
    return _decided(
        request, event, sentence, obj=event.object_repr, back_url=back_url or reverse("techmap:index")
    )


def _decided(request, event, sentence: str, *, obj, back_url: str):
    who = actor_words(event, request.user.unit_id, True) if event.actor_id else _("系统")
    typed = request.POST.get("reason", "")
    return render(
        request,
        "web/decided.html",
        {
            "obj": obj,
            "text": sentence % {"who": who, "when": when_text(event.at)},
            "back_url": back_url,
            "typed": [(_("理由"), typed)] if typed.strip() else [],
        },
        status=409,
    )


@role_required(Role.STAFF)
@require_POST
def trl_add(request, pk):
    tech = get_object_or_404(Technology, pk=pk)
    form = TrlForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.trl_record(actor=request.user, technology=tech, **form.cleaned_data),
        success=_("TRL 已登记。"),
        form=form,
    ):
        return redirect(tech)
    # Refused: the page again with the form open, what was typed and why
    return _technology_page(
        request, selectors.technology_get(user=request.user, pk=pk), trl_form=form, status=400
    )


@role_required(Role.STAFF)
@require_POST
def coverage_add(request, pk):
    tech = get_object_or_404(Technology, pk=pk)
    form = CoverageForm(request.POST, user=request.user)
    if form.is_valid() and attempt(
        request,
        lambda: services.coverage_create(actor=request.user, technology=tech, **form.cleaned_data),
        success=_("覆盖关系已添加。"),
        form=form,
    ):
        return redirect(tech)
    # Refused: the page again with the form open, what was chosen and why (issue #13.4)
    return _technology_page(
        request, selectors.technology_get(user=request.user, pk=pk), coverage_form=form, status=400
    )


@role_required(Role.STAFF)
@require_POST
def coverage_end(request, pk):
    """End a coverage link. Refused (a bad date, an end before its start): the technology's page again with why
    beside that row's button (400). Ended already (a second click, a stale tab): who ended it and when (409)."""
    coverage = get_object_or_404(Coverage.objects.select_related("technology"), pk=pk)
    tech = coverage.technology
    if coverage.until is not None and coverage.until <= timezone.localdate():
        event = (
            AuditEvent.objects.for_object(coverage)
            .filter(action="coverage.end")
            .order_by("-at", "-id")
            .first()
        )
        if event is not None:
            return _decided(
                request,
                event,
                _("这项覆盖已由%(who)s于%(when)s结束。"),
                obj=tech,
                back_url=tech.get_absolute_url(),
            )
    form = CoverageEndForm(request.POST)
    error = form_errors_text(form) if not form.is_valid() else ""
    if not error:
        try:
            services.coverage_end(actor=request.user, coverage=coverage, **form.cleaned_data)
        except PermissionDenied as exc:
            raise Refused(error_text(exc)) from exc
        except (ApplicationError, ValidationError) as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("覆盖关系已结束。"))
            return redirect(tech)
    refused = {"where": "end", "coverage": coverage.pk, "error": error}
    return _technology_page(
        request, selectors.technology_get(user=request.user, pk=tech.pk), refused=refused, status=400
    )


# Gap report -----------------------------------------------------------------------------------------


@role_required(*INTERNAL)
def gaps(request, *, refused=None, status: int = 200):
    """The gap report; `refused`: a topic refused for a technology (its row, why; 400)."""
    f = _as_of(request) if request.method == "GET" else DateFilter("as_of", timezone.localdate())
    as_of = f.date
    chain = _chain_filter(request)
    rows = selectors.gap_report(
        user=request.user, as_of=as_of, chain=chain.value if request.method == "GET" else None
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "攻坚图谱缺口.xlsx",
            [
                _("产业链"),
                _("环节"),
                _("关键技术"),
                _("当前TRL"),
                _("目标TRL"),
                _("计划中的课题/榜单"),
                _("已结束的覆盖"),
            ],
            [
                [
                    r.technology.link.chain.local_name,
                    r.technology.link.local_name,
                    r.technology.local_name,
                    r.technology.trl_current,
                    r.technology.trl_target,
                    _("、").join(c.target_repr for c in r.planned),
                    _("、").join(c.target_repr for c in r.ended),
                ]
                for r in rows
            ],
            sheet_title=_("缺口"),
        )
    return render(
        request,
        "techmap/gaps.html",
        _ctx(
            request,
            tab="gaps",
            as_of=as_of,
            as_of_filter=f,
            is_today=as_of == timezone.localdate(),
            rows=rows,
            chain_filter=chain,
            can_topic=permissions.can_create_topic_from_gap(request.user),
            refused=refused or {},
        ),
        status=status,
    )


@role_required(Role.STAFF)
@require_POST
def gap_topic(request, pk):
    """A topic from a gap in one click. Refused (not a bottleneck): the page it was asked from (the gap report
    or the technology's page) again with why beside the button (400). A topic made already (a second click, a
    stale tab): who made it and when (409)."""
    tech = get_object_or_404(Technology, pk=pk)
    form = GapTopicForm(request.POST)
    form.is_valid()
    try:
        coverage = services.gap_topic_create(
            actor=request.user, technology=tech, title=form.cleaned_data.get("title", "")
        )
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        made = (
            AuditEvent.objects.for_object(tech)
            .filter(action="technology.gap_topic_create")
            .select_related("actor__unit")
            .order_by("-at", "-id")
            .first()
        )
        if getattr(exc, "code", "") == "already_covered" and made is not None:
            return _decided(
                request,
                made,
                _("这项技术的课题已由%(who)s于%(when)s生成。"),
                obj=tech,
                back_url=tech.get_absolute_url(),
            )
        refused = {"where": "topic", "name": tech.local_name, "error": error_text(exc)}
        if request.POST.get("next", "").startswith(reverse("techmap:gaps")):
            return gaps(request, refused=refused, status=400)
        return _technology_page(
            request, selectors.technology_get(user=request.user, pk=pk), refused=refused, status=400
        )
    messages.success(request, _("已生成课题“%(t)s”，并登记为该技术的覆盖。") % {"t": coverage.target_repr})
    return back_or(request, tech.get_absolute_url())
