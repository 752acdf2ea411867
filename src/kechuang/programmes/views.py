"""The builder and the calls: staff build forms and programme types, preview a form as the applicant sees
it, compare versions side by side, export and import definitions, open, advance and move calls; unit users
fill the current stage's form. Thin: each view checks role and object, a selector reads, a service writes;
a refused input re-renders with 400 and everything typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kechuang.core.attempts import attempt as _attempt
from kechuang.core.attempts import english_name_post, english_name_saved, names_saved
from kechuang.core.decided import decided_page
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.limits import search_words
from kechuang.core.lists import listed
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role, has_role
from kechuang.core.uploads import uploaded_file_response

from . import (
    fieldkinds,
    filefields,
    forms,
    permissions,
    reviews,
    rules,
    selectors,
    services,
    transfer,
    workflow,
)
from .models import (
    Call,
    FormDefinition,
    FormVersion,
    Objection,
    ObjectionFile,
    ProgrammeType,
    ProgrammeVersion,
    Submission,
    SubmissionFile,
)

STAFF = Role.STAFF


def _page(request, template, context, form=None):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


# --- the overview ---------------------------------------------------------------------------------------------


def _with_uses(definitions: list) -> list:
    uses = selectors.form_uses()
    for d in definitions:
        d.uses = uses.get(d.pk, [])
    return definitions


@role_required(STAFF)
def index(request):
    form = forms.ImportForm()
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read(transfer.MAX_BYTES + 1)
            try:
                version = transfer.import_programme(actor=request.user, raw=raw)
            except PermissionDenied as exc:
                raise Refused(error_text(exc)) from exc
            except (ApplicationError, ValidationError) as exc:  # the file's reason by the file (it was above)
                form.add_error("file", error_text(exc))
            else:
                messages.success(request, _("已导入计划类别定义。"))
                return redirect(version)
    # both lists found by a name (Chinese or English) and paged, each with its own page number
    q = search_words(request)
    programmes = Paginator(selectors.programme_list(q=q), 50).get_page(request.GET.get("ppage"))
    forms_page = Paginator(selectors.form_list(q=q), 50).get_page(request.GET.get("fpage"))
    forms_page.object_list = _with_uses(list(forms_page.object_list))
    return _page(
        request,
        "programmes/index.html",
        {"programmes": programmes, "forms": forms_page, "q": q, "import_form": form},
        form,
    )


# --- forms ---------------------------------------------------------------------------------------------------


@role_required(STAFF)
def form_create(request):
    form = forms.FormCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = _attempt(
            request, lambda: services.form_create(actor=request.user, **form.cleaned_data), form=form
        )
        if version:
            return redirect(version)
    return _page(request, "programmes/simple_form.html", {"form": form, "heading": _("新建表单")}, form)


@role_required(STAFF)
def form_detail(request, pk):
    definition = get_object_or_404(FormDefinition, pk=pk)
    subs = selectors.submissions_of(definition)
    if request.GET.get("export") == "xlsx":
        return _export(definition, subs)
    name_form, done = _name_en(request, definition)
    if done:
        return redirect(definition)
    return _page(
        request,
        "programmes/form_detail.html",
        {
            "definition": definition,
            "versions": selectors.form_versions(definition),
            "submissions": subs[:50],
            "name_form": name_form,
        },
        name_form,
    )


def _name_en(request, obj):
    """The English name form of a programme type's or a form's page; (form, saved)."""
    form = forms.NameEnForm(request.POST or None, initial={"name_en": obj.name_en})
    done = request.method == "POST" and english_name_saved(
        request, form, lambda d: services.name_translate(actor=request.user, obj=obj, name_en=d["name_en"])
    )
    return form, done


def _export(definition, subs):
    """One row per submission, one column per stable key of any version (labelled by its newest label)."""
    columns: dict[str, dict] = {}
    for version in definition.versions.order_by("number"):
        for spec in version.fields:
            columns[spec["key"]] = spec
    keys = sorted(columns, key=lambda k: int(k[1:]) if k[1:].isdecimal() else 0)
    # A field by its label; its stable key in brackets only where two fields share a label or one has none
    # (as the review sheets' export: a person reads names, not keys).
    labels = [str(columns[k].get("label", "") or "") for k in keys]
    headers = [_("填报编号"), _("表单版本"), _("提交人"), _("提交时间")] + [
        f"{label} [{k}]" if not label or labels.count(label) > 1 else label
        for k, label in zip(keys, labels, strict=True)
    ]

    def rows():
        for s in subs.iterator():
            by_key = {f["key"]: f for f in s.version.fields}
            yield [s.pk, s.version.number, str(s.submitted_by), s.created_at] + [
                fieldkinds.display(by_key[k], s.data.get(k)) if k in by_key else "" for k in keys
            ]

    return xlsx_response(
        _("%(name)s-填报.xlsx") % {"name": definition.name}, headers, rows(), sheet_title=_("填报")
    )


@role_required(STAFF)
def form_version(request, pk):
    version = get_object_or_404(FormVersion.objects.select_related("definition"), pk=pk)
    return _form_version_page(request, version)


def _form_version_page(request, version, *, refused=None, status: int = 200):
    """A form version's page; `refused`: a builder's button refused (its action and item, why) beside it."""
    return render(
        request,
        "programmes/form_version.html",
        {
            "version": version,
            "fields": selectors.field_rows(version.fields),
            "previous": selectors.previous(version),
            "refused": refused or {},
        },
        status=status,
    )


@role_required(STAFF)
def field_edit(request, pk, key=None):
    version = get_object_or_404(FormVersion.objects.select_related("definition"), pk=pk)
    spec = next((f for f in version.fields if f["key"] == key), None) if key else None
    if key and spec is None:
        raise Http404
    if version.is_published:
        if spec is None:
            raise Refused(_("已发布的版本不能修改，请先生成新版本。"))
        return _translate(request, version, spec, stage=False)
    earlier = version.fields[: version.fields.index(spec)] if spec else version.fields
    initial = forms.FieldForm.initial_of(spec) if spec else {"required": True}
    form = forms.FieldForm(request.POST or None, earlier=earlier, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.form_field_save(actor=request.user, version=version, spec=form.spec(), key=key),
            form=form,
        )
        if done:
            return redirect(version)
    return _page(
        request,
        "programmes/field_form.html",
        {"version": version, "form": form, "spec": spec, "kinds": fieldkinds.KINDS},
        form,
    )


def _translate(request, version, item, *, stage: bool):
    """A published version's stage or field: only its English names may be added or corrected (they do not
    change the programme: services.version_translate)."""
    form = forms.TranslationForm(request.POST or None, item=item, stage=stage)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.version_translate(
                actor=request.user, version=version, key=item["key"], texts=form.texts()
            ),
            success=names_saved(len(form.fields)),  # one input an English name
            form=form,
        )
        if done:
            return redirect(version)
    return _page(request, "programmes/translate.html", {"version": version, "form": form}, form)


def _version_action(request, version, *, publish, new, move, remove, page):
    """The builder's buttons on a draft version page (a form's or a programme type's): 发布 (ticked
    confirmation), 生成新版本, 上移/下移 and 删除 of one item. The services check the role and the draft.
    Refused (not ticked, the service's reasons): the version's page again (`page(refused=…)`) with why beside
    the button, the revision note typed kept (400). Publishing or editing a version published meanwhile (a
    second click, a stale tab): who published it and when (409)."""
    action, key = request.POST.get("action", ""), request.POST.get("key", "")
    if action not in ("publish", "new", "up", "down", "remove"):
        raise Http404
    if action != "new" and version.is_published:
        return decided_page(request, obj=version, back_url=version.get_absolute_url())
    refused = {"action": action, "key": key, "note": request.POST.get("note", "")}
    if action == "publish" and not request.POST.get("confirm"):
        return page(refused={**refused, "error": _("请勾选确认：发布后此版本不能再修改。")})
    if action == "remove" and not request.POST.get("confirm"):
        shown = _remove_confirm_page(request, version, key)
        if shown is not None:
            return shown
    calls = {
        "publish": publish,
        "new": new,
        "up": lambda: move(key=key, step=-1),
        "down": lambda: move(key=key, step=1),
        "remove": lambda: remove(key=key),
    }
    try:
        made = calls[action]()
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        if action != "new" and type(version).objects.filter(pk=version.pk, status="published").exists():
            return decided_page(request, obj=version, back_url=version.get_absolute_url())
        return page(refused={**refused, "error": error_text(exc)})
    if action == "publish":
        messages.success(request, _("已发布。"))
    if action == "new" and made:
        return redirect(made)
    return redirect(version)


def _remove_confirm_page(request, version, key: str):
    """删除 of a field or a stage of a draft is asked again on a page of its own: what goes with it (its
    settings, named), that it cannot be undone, and (a field a later field's condition names) why it cannot
    go yet. None when the draft has no such item (the service refuses it on the version's page)."""
    is_form = isinstance(version, FormVersion)
    items = selectors.field_rows(version.fields) if is_form else selectors.stage_rows(version.stages)
    item = next((x for x in items if x["key"] == key), None)
    if item is None:
        return None
    parts, blocked = [], []
    if is_form:
        what = _("字段“%(name)s”") % {"name": item["label"]}
        parts.append(_("类型（%(kind)s）") % {"kind": item["kind_label"]})
        parts.append(_("必填") if item.get("required") else _("选填"))
        if item.get("help"):
            parts.append(_("字段的填写说明"))
        if item.get("options"):
            parts.append(
                _("%(n)d 个选项（%(options)s）")
                % {"n": len(item["options"]), "options": listed(item["options"])}
            )
        if item.get("condition"):
            parts.append(_("字段的显示条件"))
        users = [f["label"] for f in version.fields if (f.get("show_if") or {}).get("field") == key]
        if users:
            blocked.append(
                _("“%(fields)s”的显示条件引用了此字段，请先修改它们。") % {"fields": listed(users)}
            )
    else:
        what = _("环节“%(name)s”") % {"name": item["name"]}
        parts.append(_("类型（%(kind)s）") % {"kind": item["kind_label"]})
        if item.get("days"):
            parts.append(ngettext("时长 %(n)s 天", "时长 %(n)s 天", item["days"]) % {"n": item["days"]})
        if item.get("role_label"):
            parts.append(_("办理角色（%(role)s）") % {"role": item["role_label"]})
        if item.get("form_obj"):
            parts.append(_("所用表单“%(form)s”（表单本身保留）") % {"form": item["form_obj"]})
        if item.get("unit_kind_labels") or item.get("eligibility_labels") or item.get("attachments"):
            parts.append(_("申报条件与须上传的材料"))
    if any(item.get(k) for k in ("label_en", "name_en", "help_en", "options_en")):
        parts.append(_("英文名称"))
    effects = [
        _("从此草稿中删除%(what)s，连同它的设置：%(parts)s。") % {"what": what, "parts": listed(parts)},
        _("删除后不能撤销；要恢复，须重新添加并重新填写这些设置。"),
    ]
    return render(
        request,
        "programmes/remove_confirm.html",
        {
            "version": version,
            "key": key,
            "what": what,
            "effects": effects,
            "blocked": blocked,
            "action_url": request.path,
            "back_url": version.get_absolute_url(),
        },
    )


@require_POST
@role_required(STAFF)
def form_version_action(request, pk):
    version = get_object_or_404(FormVersion.objects.select_related("definition"), pk=pk)
    actor = request.user
    return _version_action(
        request,
        version,
        publish=lambda: services.form_version_publish(actor=actor, version=version),
        new=lambda: services.form_version_new(actor=actor, definition=version.definition),
        move=lambda **kw: services.form_field_move(actor=actor, version=version, **kw),
        remove=lambda **kw: services.form_field_remove(actor=actor, version=version, **kw),
        page=lambda refused: _form_version_page(request, version, refused=refused, status=400),
    )


@role_required(STAFF)
def form_preview(request, pk):
    """The form as the applicant will see it; a POST checks what was typed without saving anything."""
    version = get_object_or_404(FormVersion.objects.select_related("definition"), pk=pk)
    form = fieldkinds.build_form(version.fields, data=request.POST or None, files=request.FILES or None)
    ok = request.method == "POST" and form.is_valid()
    return _page(request, "programmes/preview.html", {"version": version, "form": form, "ok": ok}, form)


@role_required(STAFF)
def form_diff(request, pk):
    version = get_object_or_404(FormVersion.objects.select_related("definition"), pk=pk)
    previous = selectors.previous(version)
    old = selectors.field_rows(previous.fields) if previous else []
    rows = workflow.diff(old, selectors.field_rows(version.fields), ignore=("key", "kind_label", "condition"))
    return render(
        request,
        "programmes/diff.html",
        {"version": version, "previous": previous, "rows": rows, "what": "fields", "back": version},
    )


# --- submissions ------------------------------------------------------------------------------------------------


@login_required
def call_fill(request, pk):
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk, status="running")
    why = permissions.why_not_fill(request.user, call)
    if why:
        raise Refused(why)
    uninvited = selectors.invitation_refusals(call, request.user)
    if (
        uninvited and request.method != "POST"
    ):  # back to the call page, which says why (only the invited apply)
        messages.error(request, " ".join(uninvited))
        return redirect(call)
    version = get_object_or_404(FormVersion.objects.select_related("definition"), pk=call.stage["form"])
    form = fieldkinds.build_form(version.fields, data=request.POST or None, files=request.FILES or None)
    if uninvited:  # declined while filling (another tab): the page again with what was typed and why (403)
        for why_not in uninvited:
            form.add_error(None, why_not)
        closes = workflow.date_words(call.stage_closes_on) if call.stage_closes_on else ""
        context = {"call": call, "version": version, "form": form, "closes": closes}
        return render(request, "programmes/fill.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        sub = _attempt(
            request,
            lambda: services.submission_create(actor=request.user, version=version, form=form, call=call),
            form=form,
            success=_("已提交。"),
        )
        if sub:
            return redirect(sub)
    closes = workflow.date_words(call.stage_closes_on) if call.stage_closes_on else ""
    return _page(
        request,
        "programmes/fill.html",
        {"call": call, "version": version, "form": form, "closes": closes},
        form,
    )


@login_required
def submission_detail(request, pk):
    sub = get_visible_or_404(
        Submission.objects.select_related("version__definition", "call", "submitted_by"),
        user=request.user,
        visible=permissions.can_view_submission,
        pk=pk,
    )
    objections = [
        {"objection": o, "file": (o.evidence or {}).get("file")} for o in selectors.objections_against(sub)
    ]
    return render(
        request,
        "programmes/submission.html",
        {"sub": sub, "rows": selectors.submission_rows(sub), "objections": objections},
    )


@login_required
def submission_file(request, pk, file_pk):
    sub = get_visible_or_404(Submission, user=request.user, visible=permissions.can_view_submission, pk=pk)
    stored = get_object_or_404(SubmissionFile, pk=file_pk, submission=sub)
    return uploaded_file_response(stored.file, stored.name)


# --- programme types ------------------------------------------------------------------------------------------------


@role_required(STAFF)
def programme_create(request):
    form = forms.ProgrammeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = _attempt(
            request, lambda: services.programme_create(actor=request.user, **form.cleaned_data), form=form
        )
        if version:
            return redirect(version)
    return _page(request, "programmes/simple_form.html", {"form": form, "heading": _("新建计划类别")}, form)


@role_required(STAFF)
def programme_detail(request, pk):
    try:
        programme = selectors.programme_detail(pk)
    except ProgrammeType.DoesNotExist:
        raise Http404 from None
    name_form, done = _name_en(request, programme)
    if done:
        return redirect(programme)
    return _page(
        request,
        "programmes/programme_detail.html",
        {"programme": programme, "calls": selectors.calls_of(programme), "name_form": name_form},
        name_form,
    )


def _version_page(request, version, *, call_form=None, refused=None, status=200):
    published = [v for v in version.programme.versions.all() if v.is_published]
    return render(
        request,
        "programmes/version.html",
        {
            "version": version,
            "stages": selectors.stage_rows(version.stages),
            "problems": (
                workflow.problems(version.stages)
                + rules.definition_problems(version.programme.name, version.stages)
                if version.stages
                else []
            ),
            "previous": selectors.previous(version),
            # a new batch is for this year unless staff say otherwise; a refused post keeps what was typed
            "call_form": call_form or forms.CallOpenForm(initial={"year": timezone.localdate().year}),
            "n_published": len(published),
            "refused": refused or {},
            "note_max": services.VERSION_NOTE_MAX,
        },
        status=status,
    )


@role_required(STAFF)
def programme_version(request, pk):
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=pk)
    if request.method == "POST":  # open a call
        form = forms.CallOpenForm(request.POST)
        if form.is_valid():
            call = _attempt(
                request,
                lambda: services.call_open(actor=request.user, version=version, **form.cleaned_data),
                form=form,
            )
            if call:
                return redirect(call)
        return _version_page(request, version, call_form=form, status=400)
    return _version_page(request, version)


@role_required(STAFF)
def stage_edit(request, pk, key=None):
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=pk)
    stage = next((s for s in version.stages if s["key"] == key), None) if key else None
    if key and stage is None:
        raise Http404
    if version.is_published:
        if stage is None:
            raise Refused(_("已发布的版本不能修改，请先生成新版本。"))
        return _translate(request, version, stage, stage=True)
    initial = forms.StageForm.initial_of(stage) if stage else {"requires_publicity": True}
    form = forms.StageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.stage_save(actor=request.user, version=version, spec=form.spec(), key=key),
            form=form,
        )
        if done:
            return redirect(version)
    return _page(
        request,
        "programmes/stage_form.html",
        {"version": version, "form": form, "stage": stage, "kinds": workflow.STAGE_KINDS.values()},
        form,
    )


@require_POST
@role_required(STAFF)
def programme_version_action(request, pk):
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=pk)
    actor = request.user
    return _version_action(
        request,
        version,
        publish=lambda: services.programme_version_publish(
            actor=actor, version=version, note=request.POST.get("note", "")
        ),
        new=lambda: services.programme_version_new(actor=actor, programme=version.programme),
        move=lambda **kw: services.stage_move(actor=actor, version=version, **kw),
        remove=lambda **kw: services.stage_remove(actor=actor, version=version, **kw),
        page=lambda refused: _version_page(request, version, refused=refused, status=400),
    )


@role_required(STAFF)
def programme_diff(request, pk):
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=pk)
    previous = selectors.previous(version)
    ignore = (
        "key",
        "kind_label",
        "role_label",
        "form_obj",
        "eligibility_labels",
        "max_concurrent",
        "attachments",
        "attachment_labels",
        "requires_publicity",
    )
    rows = workflow.diff(
        selectors.stage_rows(previous.stages) if previous else [],
        selectors.stage_rows(version.stages),
        ignore=ignore,
    )
    return render(
        request,
        "programmes/diff.html",
        {"version": version, "previous": previous, "rows": rows, "what": "stages", "back": version},
    )


@role_required(STAFF)
def programme_export(request, pk):
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=pk)
    from urllib.parse import quote

    response = HttpResponse(transfer.export_bytes(version), content_type="application/json; charset=utf-8")
    name = f"{version.programme.name}-v{version.number}.json"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- calls ----------------------------------------------------------------------------------------------------------


@login_required
@role_required(Role.STAFF)
@require_POST
def call_name_en(request, pk):
    """Save a call's English name (any stage); refused: the call's page with the name as typed (400)."""
    call = get_object_or_404(Call, pk=pk)
    return english_name_post(
        request,
        call,
        form=forms.CallNameEnForm(request.POST),
        save=lambda d: services.call_translate(actor=request.user, call=call, title_en=d["title_en"]),
        refused=lambda form: call_detail(request, pk, name_form=form, status=400),
    )


@login_required
def call_detail(request, pk, *, refused=None, name_form=None, status: int = 200):
    """A call's page; `refused`: a refused 办理 step (why, the ticks as sent) beside its form (400); `name_form`:
    a refused English name as typed (400)."""
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk)
    staff = permissions.can_build(request.user)
    if not staff and not has_role(request.user, Role.APPLICANT):
        raise Http404
    why_fill = permissions.why_not_fill(request.user, call)
    if not why_fill and not staff:  # at 正式申报 after a 预申报 that decides who is invited: only the invited
        why_fill = " ".join(selectors.invitation_refusals(call, request.user))
    invitation = selectors.invitation_stage(call)
    run = services.call_run(call) if call.status == "running" else None
    stages = selectors.call_schedule(call)
    formal = selectors.formal_stage(call)
    decision = selectors.decision_stage(call)
    shortlist = selectors.shortlist_stage(call)
    is_decision = bool(run and (call.stage or {}).get("kind") == "decision")
    publicity = selectors.publicity_stage(call)
    period = selectors.publicity_period(call, publicity) if publicity else None
    advance_refusals = run.advance_refusals() if run else []
    # at the publicity, only its period not over: staff may close it early, with a ticked confirmation;
    # while an objection is open, only that reason (no box to tick)
    early_close = False
    if staff and period and period["early"] and advance_refusals:
        blocking = selectors.publicity_close_refusals(call, publicity, early=True)
        early_close = not blocking
        if blocking:
            advance_refusals = blocking
    award_refusals = services.call_award_refusals(call, run) if is_decision else []
    return render(
        request,
        "programmes/call.html",
        {
            "call": call,
            "name_form": (name_form or forms.CallNameEnForm(initial={"title_en": call.title_en}))
            if staff
            else None,
            "stages": stages,
            "index": run.index if run else len(stages),
            "staff": staff,
            "why_fill": why_fill,
            "award_refusals": award_refusals,
            "advance_refusals": advance_refusals,
            "early_close": early_close,
            # the 办理 buttons; the confirmations show only above a button
            "can_award": bool(is_decision and not award_refusals and not call.awarded),
            "can_advance": bool(run and (not advance_refusals or early_close)),
            # the publicity list (公示): a link for everyone who may see it, once the call has reached it
            "publicity_stage": publicity if period and period["reached"] else None,
            "publicity_period": period,
            "is_decision": is_decision,
            "others": call.version.programme.versions.filter(status="published").exclude(pk=call.version_id),
            "can_extend": bool(staff and run and call.stage_closes_on),
            # the expert reviews of the call's review stages, as the review app shows them (reviews.py)
            "review_panels": reviews.call_panels(call=call, user=request.user),
            # the formal check: staff's progress; the applicant's own outcome and why they cannot correct
            "formal_stage": formal,
            "formal_summary": _formal_summary(call, formal) if staff and formal else None,
            "my_formal": None if staff else selectors.applicant_formal(call, request.user),
            # the decision on each application: staff's link; the applicant's own outcome and its reason
            "decision_stage": decision,
            "my_award": None if staff else selectors.applicant_award(call, request.user),
            # the 函评 → 答辩 shortlist: staff's link and counts; the applicant's own outcome and its reason
            "shortlist_stage": shortlist,
            "shortlist_summary": _shortlist_summary(call, shortlist) if staff and shortlist else None,
            "my_shortlist": None if staff else selectors.applicant_shortlist(call, request.user),
            # the 预申报 invitation: staff's progress; the applicant's own outcome and its reason
            "invitation_stage": invitation,
            "invitation_summary": _invitation_summary(call, invitation) if staff and invitation else None,
            "my_invitation": None if staff else selectors.applicant_invitation(call, request.user),
            "refused": refused or {},
        },
        status=status,
    )


def _shortlist_summary(call, stage) -> dict | None:
    """Staff's counts of the shortlist, once the call has reached its stage (None before)."""
    keys = [s["key"] for s in call.version.stages]
    if call.status == "running" and keys.index(call.stage_key) < keys.index(stage["key"]):
        return None
    if call.status == "running" and call.stage_key == stage["key"]:
        rows = selectors.shortlist_rows(call, stage)
        counts = {s: 0 for s in workflow.ShortlistStatus.values}
        for r in rows:
            counts[r["status"]] += 1
        return {"total": len(rows), **counts, "current": True}
    return {
        "total": None,
        **selectors.shortlist_counts(call, stage),
        "current": False,
    }  # decided: counts only


def _invitation_summary(call, stage) -> dict:
    rows = selectors.invitation_rows(call, stage)
    counts = {s: 0 for s in workflow.InvitationStatus.values}
    for r in rows:
        counts[r["status"]] += 1
    return {"total": len(rows), **counts, "current": call.stage_key == stage["key"]}


def _formal_summary(call, stage) -> dict:
    rows = selectors.formal_rows(call, stage, checklists=False)
    counts = {s: 0 for s in workflow.FormalStatus.values}
    for r in rows:
        counts[r["status"]] += 1
    return {"total": len(rows), **counts, "current": call.stage_key == stage["key"]}


@require_POST
@role_required(STAFF)
def call_action(request, pk):
    """End the current stage or make the award decision (neither can be undone: a ticked confirmation).
    Refused (not ticked, the service's reasons): the call's page again with why above the buttons and the ticks
    kept (400). Taken already (a second click, a stale tab: the stage the page showed has ended, the award is
    made): who took it and when (409)."""
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk)
    action = request.POST.get("action")
    if action not in ("advance", "award"):
        raise Http404
    early = bool(request.POST.get("early"))
    shown = request.POST.get("stage", "")  # the stage the page showed
    if (action == "award" and call.awarded) or (
        action == "advance" and (call.status != "running" or (shown and shown != call.stage_key))
    ):
        return decided_page(request, obj=call, back_url=call.get_absolute_url())
    refused = {"action": action, "early": early, "confirm": bool(request.POST.get("confirm"))}
    if not request.POST.get("confirm"):
        refused["error"] = _("请勾选确认后再提交。")
        return call_detail(request, call.pk, refused=refused, status=400)
    try:
        if action == "advance":
            services.call_advance(actor=request.user, call=call, early=early)
        else:
            services.call_award(actor=request.user, call=call)
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        refused["error"] = error_text(exc)
        return call_detail(request, call.pk, refused=refused, status=400)
    messages.success(request, _("已进入下一环节。") if action == "advance" else _("已作出立项决定。"))
    return redirect(call)


@role_required(STAFF)
def call_migrate(request, pk, version_pk):
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk)
    target = get_object_or_404(
        ProgrammeVersion, pk=version_pk, programme_id=call.version.programme_id, status="published"
    )
    form = forms.MigrateForm(
        request.POST or None, old=call.version.stages, new=target.stages, upto=call.stage_key
    )
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.call_migrate(
                actor=request.user,
                call=call,
                version=target,
                mapping=form.mapping(),
                reason=form.cleaned_data["reason"],
            ),
            form=form,
            success=_("已迁移到新版本。"),
        )
        if done:
            return redirect(call)
    return _page(request, "programmes/migrate.html", {"call": call, "target": target, "form": form}, form)


@role_required(STAFF)
def call_extend(request, pk):
    """Staff move the current stage's deadline later, with a reason (audited)."""
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk, status="running")
    form = forms.ExtendForm(request.POST or None, initial={"closes_on": call.stage_closes_on})
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.call_extend(actor=request.user, call=call, **form.cleaned_data),
            form=form,
            success=_("已延长截止日期。"),
        )
        if done:
            return redirect(call)
    closes = workflow.date_words(call.stage_closes_on) if call.stage_closes_on else ""
    return _page(request, "programmes/extend.html", {"call": call, "form": form, "closes": closes}, form)


# --- the per-application records' pages (形式审查, 立项, 入围, 预申报遴选) ---------------------------------------------


def _stage_call(pk, stage_of):
    """The call and its stage of one kind (`stage_of`, a selector), or 404; and whether the call stands at
    that stage now."""
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk)
    stage = stage_of(call)
    if stage is None:
        raise Http404
    return call, stage, call.status == "running" and call.stage_key == stage["key"]


def _row_of(rows, sub_pk) -> dict:
    """The list's row of one application, or 404."""
    row = next((r for r in rows if r["submission"].pk == sub_pk), None)
    if row is None:
        raise Http404
    return row


def _record_page(request, *, call, submission, form, decide, success, back, template, context, decided=None):
    """One application's record page (staff): a valid POST decides through the service `decide` (with the
    form's input but its confirmation) and goes `back` to the list; else the page (`context()`, read only
    then), a refusal with the form again (400), everything typed kept and the refusal in words. `decided`:
    the application's record once decided (final): a POST on it (a second click, a stale tab) is answered by
    who decided it and when, the reason typed kept (409)."""
    if request.method == "POST" and decided is not None:
        return decided_page(
            request, obj=decided, back_url=back, typed={_("理由"): request.POST.get("reason", "")}
        )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        done = _attempt(
            request,
            lambda: decide(actor=request.user, call=call, submission=submission, **data),
            form=form,
            success=success,
        )
        if done:
            return redirect(back)
    return _page(request, template, {**context(), "form": form}, form)


# --- the formal check (形式审查) ------------------------------------------------------------------------------------


@role_required(STAFF)
def formal_list(request, pk):
    """Every formal application with its outcome and its checklist; batch pass for those meeting every rule
    (confirmed)."""
    call, stage, current = _stage_call(pk, selectors.formal_stage)
    error = ""
    if request.method == "POST":  # refused: the list again with why beside the batch's button (400)
        if not request.POST.get("confirm"):
            error = _("请勾选确认后再批量通过。")
        else:
            try:
                passed = services.formal_check_batch_pass(actor=request.user, call=call)
            except PermissionDenied as exc:
                raise Refused(error_text(exc)) from exc
            except (ApplicationError, ValidationError) as exc:
                error = error_text(exc)
            else:
                messages.success(
                    request,
                    ngettext("已批量通过 %(n)d 份申报。", "已批量通过 %(n)d 份申报。", len(passed))
                    % {"n": len(passed)},
                )
                return redirect("programmes:formal-list", pk=call.pk)
    rows = selectors.formal_rows(call, stage)
    return render(
        request,
        "programmes/formal_list.html",
        {
            "call": call,
            "stage": stage,
            "rows": rows,
            "current": current,
            "batch": [r for r in rows if r["status"] == workflow.FormalStatus.PENDING and r["meets_all"]],
            "refusals": selectors.formal_close_refusals(call, stage) if current else [],
            "error": error,
        },
        status=400 if error else 200,
    )


@role_required(STAFF)
def formal_check(request, pk, sub_pk):
    """One formal application: its checklist and the outcome staff record (pass, 补正, fail)."""
    call, stage, open_now = _stage_call(pk, selectors.formal_stage)
    sub = get_object_or_404(Submission.objects.select_related("submitted_by"), pk=sub_pk, call=call)
    current = next(
        (s for s in selectors.call_applications(call) if s.submitted_by_id == sub.submitted_by_id), None
    )
    if current is None:
        raise Http404
    if current.pk != sub.pk:  # a correction replaced it: the check reads the latest
        return redirect("programmes:formal-check", pk=call.pk, sub_pk=current.pk)

    def context():
        check = selectors.formal_checks(call, stage["key"]).get(sub.submitted_by_id)
        status = check.status if check else workflow.FormalStatus.PENDING
        return {
            "call": call,
            "stage": stage,
            "sub": sub,
            "check": check,
            "status_label": workflow.FormalStatus(status).label,
            "checklist": selectors.formal_checklist(call, sub),
            "can_record": open_now and status == workflow.FormalStatus.PENDING,
            "can_fail_lapsed": open_now and status == workflow.FormalStatus.RETURNED,
            "why_not": "" if open_now else _("该批次当前不在形式审查环节。"),
        }

    return _record_page(
        request,
        call=call,
        submission=sub,
        form=forms.FormalCheckForm(request.POST or None),
        decide=services.formal_check_record,
        success=_("已记录形式审查结果。"),
        back=reverse("programmes:formal-list", args=[call.pk]),
        template="programmes/formal_check.html",
        context=context,
        decided=_formal_decided(call, stage, sub, request.POST.get("action", ""))
        if request.method == "POST"
        else None,
    )


def _formal_decided(call, stage, sub, action: str):
    """The application's formal check once decided for this step: passed or failed (final), or returned
    for 补正 (then only a 不通过 after the deadline is still a step; anything else was decided)."""
    check = selectors.formal_checks(call, stage["key"]).get(sub.submitted_by_id)
    if check is None or check.status == workflow.FormalStatus.PENDING:
        return None
    if check.status == workflow.FormalStatus.RETURNED and action == "fail":
        return None
    return check


@login_required
def call_correct(request, pk):
    """The applicant corrects a formal application returned for 补正: its own form version, filled with what
    it holds; files kept unless replaced."""
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk)
    mine = selectors.applicant_formal(call, request.user)
    if mine is None:
        raise Http404
    if not mine["can_correct"]:
        raise Refused(mine["why"])
    sub = mine["submission"]
    form = services.correction_form(submission=sub, data=request.POST or None, files=request.FILES or None)
    if request.method == "POST" and form.is_valid():
        new = _attempt(
            request,
            lambda: services.submission_correct(actor=request.user, call=call, form=form),
            form=form,
            success=_("已重新提交，等待形式审查。"),
        )
        if new:
            return redirect(call)
    kept = [
        {"label": spec.get("label", ""), "name": sub.data[spec["key"]].get("name", "")}
        for spec in sub.version.fields
        if spec.get("kind") == "file" and isinstance(sub.data.get(spec["key"]), dict)
    ]
    return _page(
        request,
        "programmes/correct.html",
        {"call": call, "sub": sub, "version": sub.version, "form": form, "mine": mine, "kept": kept},
        form,
    )


# --- the decision on each application (立项) ---------------------------------------------------------------------------


def _decision_call(pk):
    call, stage, at = _stage_call(pk, selectors.decision_stage)
    return call, stage, at and not call.awarded


@role_required(STAFF)
def award_list(request, pk):
    """Every application that went through the checks, by its place in the last expert review's ranking,
    with its decision; each decided on its own page (confirmed)."""
    call, stage, open_now = _decision_call(pk)
    return render(
        request,
        "programmes/award_list.html",
        {
            "call": call,
            "stage": stage,
            "rows": selectors.award_rows(call, stage),
            "current": open_now,
            "refusals": selectors.award_close_refusals(call, stage) if open_now else [],
        },
    )


@role_required(STAFF)
def award_decide(request, pk, sub_pk):
    """One application's decision (award, or reject with a reason), its review ranking beside it."""
    call, stage, open_now = _decision_call(pk)
    rows = selectors.award_rows(call, stage)
    row = _row_of(rows, sub_pk)
    why_not = ""
    if not open_now:
        why_not = _("本批次已作出立项决定。") if call.awarded else _("该批次当前不在立项决定环节。")
    return _record_page(
        request,
        call=call,
        submission=row["submission"],
        form=forms.AwardDecisionForm(request.POST or None),
        decide=services.award_decide,
        success=_("已记录立项决定。"),
        back=reverse("programmes:award-list", args=[call.pk]),
        template="programmes/award_decide.html",
        decided=row["decision"]
        if row["decision"] is not None and row["status"] != workflow.AwardStatus.PENDING
        else None,
        context=lambda: {
            "call": call,
            "stage": stage,
            "row": row,
            "rows": rows,
            "can_decide": open_now and row["status"] == workflow.AwardStatus.PENDING,
            "why_not": why_not,
        },
    )


# --- the 函评 → 答辩 shortlist ----------------------------------------------------------------------------------------


def _shortlist_why_not(call, stage, open_now) -> str:
    """Why the shortlist cannot be recorded now (no button), in words."""
    if open_now:
        return ""
    keys = [s["key"] for s in call.version.stages]
    if call.status == "running" and keys.index(call.stage_key) < keys.index(stage["key"]):
        return _("入围名单在“%(name)s”环节确定，该批次尚未到此环节。") % {"name": stage.get("name", "")}
    return _("“%(name)s”环节已结束，入围名单只能查看。") % {"name": stage.get("name", "")}


def _shortlist_export(call, stage, rows):
    headers = [
        _("排名"),
        _("申报"),
        _("申报人"),
        _("申报单位"),
        _("评审均分"),
        _("评审份数"),
        _("入围结果"),
        _("理由"),
    ]
    data = (
        [
            r["rank"] or "",
            r["submission"].title,
            str(r["submission"].submitted_by),
            str(r["submission"].submitted_by.unit or ""),
            "" if r["mean"] is None else round(float(r["mean"]), 2),
            r["n_reviews"] or "",
            str(r["status_label"]),
            r["decision"].reason if r["decision"] else "",
        ]
        for r in rows
    )
    return xlsx_response(
        _("%(call)s-%(stage)s入围名单.xlsx") % {"call": call.title, "stage": stage.get("name", "")},
        headers,
        data,
        sheet_title=_("入围名单"),
    )


@role_required(STAFF)
def shortlist_list(request, pk):
    """The applications a 答辩 after a 函评 chooses from, by their place in the 函评 ranking, with their
    outcome; a suggested cut (top n, a score threshold) ticks the boxes, staff confirm the shortlist."""
    call, stage, open_now = _stage_call(pk, selectors.shortlist_stage)
    rows = selectors.shortlist_rows(call, stage)
    if request.GET.get("export") == "xlsx":
        return _shortlist_export(call, stage, rows)
    pending = [r for r in rows if r["status"] == workflow.ShortlistStatus.PENDING]
    suggest = forms.ShortlistSuggestForm(request.GET if {"top_n", "min_mean"} & set(request.GET) else None)
    suggested: set = set()
    if suggest.is_bound and suggest.is_valid():
        suggested = workflow.suggest_shortlist(
            [(r["submission"].pk, r["rank"], r["mean"]) for r in pending],
            top_n=suggest.cleaned_data["top_n"],
            min_mean=suggest.cleaned_data["min_mean"],
        )
    choices = [(r["submission"].pk, r["submission"].title) for r in pending]
    batch = forms.ShortlistBatchForm(
        request.POST if request.method == "POST" else None, choices=choices, initial_chosen=suggested
    )
    if request.method == "POST" and open_now and batch.is_valid():
        done = _attempt(
            request,
            lambda: services.shortlist_batch(
                actor=request.user,
                call=call,
                shortlisted=[int(c) for c in batch.cleaned_data["chosen"]],
                reason=batch.cleaned_data["reason"],
            ),
            form=batch,
            success=_("已确定入围名单。"),
        )
        if done:
            return redirect("programmes:shortlist-list", pk=call.pk)
    elif request.method == "POST" and not open_now:
        batch.is_valid()
        batch.add_error(None, _shortlist_why_not(call, stage, open_now))
    prev = selectors.previous_review_stage(call, stage)
    return _page(
        request,
        "programmes/shortlist_list.html",
        {
            "call": call,
            "stage": stage,
            "prev": prev,
            "rows": rows,
            "suggested": suggested,
            "suggest": suggest,
            "batch": batch,
            "can_record": open_now and bool(pending),
            "why_not": _shortlist_why_not(call, stage, open_now),
            "refusals": selectors.shortlist_close_refusals(call, stage) if open_now else [],
        },
        batch,
    )


@role_required(STAFF)
def shortlist_decide(request, pk, sub_pk):
    """One application's place in the 答辩 (入围, or 不入围 with a reason), the 函评 ranking beside it."""
    call, stage, open_now = _stage_call(pk, selectors.shortlist_stage)
    rows = selectors.shortlist_rows(call, stage)
    row = _row_of(rows, sub_pk)
    return _record_page(
        request,
        call=call,
        submission=row["submission"],
        form=forms.ShortlistDecisionForm(request.POST or None),
        decide=services.shortlist_record,
        success=_("已记录入围结果。"),
        back=reverse("programmes:shortlist-list", args=[call.pk]),
        template="programmes/shortlist_decide.html",
        decided=row["decision"]
        if row["decision"] is not None and row["status"] != workflow.ShortlistStatus.PENDING
        else None,
        context=lambda: {
            "call": call,
            "stage": stage,
            "prev": selectors.previous_review_stage(call, stage),
            "row": row,
            "rows": rows,
            "can_decide": open_now and row["status"] == workflow.ShortlistStatus.PENDING,
            "why_not": _shortlist_why_not(call, stage, open_now),
        },
    )


# --- the 预申报 invitation ----------------------------------------------------------------------------------------


@role_required(STAFF)
def invitation_list(request, pk):
    """Every pre-application with its outcome; each decided on its own page, or the chosen pending ones
    invited together (confirmed). `?export=xlsx`: the list as a spreadsheet."""
    call, stage, open_now = _stage_call(pk, selectors.invitation_stage)
    error, picked = "", set()
    if (
        request.method == "POST"
    ):  # refused: the list again, the picked ones still ticked, why beside the button
        picked = {int(x) for x in request.POST.getlist("submission") if x.isdecimal()}
        if not request.POST.get("confirm"):
            error = _("请勾选确认后再批量邀请。")
        else:
            chosen = [
                r["submission"]
                for r in selectors.invitation_rows(call, stage)
                if r["submission"].pk in picked
            ]
            try:
                done = services.invitation_batch_invite(actor=request.user, call=call, submissions=chosen)
            except PermissionDenied as exc:
                raise Refused(error_text(exc)) from exc
            except (ApplicationError, ValidationError) as exc:
                error = error_text(exc)
            else:
                messages.success(
                    request,
                    ngettext("已邀请 %(n)d 份预申报正式申报。", "已邀请 %(n)d 份预申报正式申报。", len(done))
                    % {"n": len(done)},
                )
                return redirect("programmes:invitation-list", pk=call.pk)
    rows = selectors.invitation_rows(call, stage)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            _("%(call)s-预申报遴选.xlsx") % {"call": call.title},
            [_("预申报"), _("申报人"), _("申报单位"), _("提交时间"), _("遴选结果"), _("遴选意见")],
            (
                [
                    r["submission"].title,
                    str(r["submission"].submitted_by),
                    str(r["submission"].submitted_by.unit or ""),
                    r["submission"].created_at,
                    str(r["status_label"]),
                    r["decision"].reason if r["decision"] else "",
                ]
                for r in rows
            ),
            sheet_title=_("预申报遴选"),
        )
    return render(
        request,
        "programmes/invitation_list.html",
        {
            "call": call,
            "stage": stage,
            "rows": rows,
            "current": open_now,
            "pending": [r for r in rows if r["status"] == workflow.InvitationStatus.PENDING],
            "refusals": selectors.invitation_close_refusals(call, stage) if open_now else [],
            "error": error,
            "picked": picked,
        },
        status=400 if error else 200,
    )


@role_required(STAFF)
def invitation_decide(request, pk, sub_pk):
    """One pre-application: invite to the formal application, or decline with a reason (confirmed)."""
    call, stage, open_now = _stage_call(pk, selectors.invitation_stage)
    row = _row_of(selectors.invitation_rows(call, stage), sub_pk)
    return _record_page(
        request,
        call=call,
        submission=row["submission"],
        form=forms.InvitationDecisionForm(request.POST or None),
        decide=services.invitation_decide,
        success=_("已记录遴选结果。"),
        back=reverse("programmes:invitation-list", args=[call.pk]),
        template="programmes/invitation_decide.html",
        decided=row["decision"]
        if row["decision"] is not None and row["status"] != workflow.InvitationStatus.PENDING
        else None,
        context=lambda: {
            "call": call,
            "stage": stage,
            "row": row,
            "can_decide": open_now and row["status"] == workflow.InvitationStatus.PENDING,
            "why_not": "" if open_now else _("该批次当前不在预申报环节，遴选结果只能查看。"),
        },
    )


# --- publicity with objections (公示、异议) ------------------------------------------------------------------------------


def _publicity_call(request, pk):
    """The call and its publicity stage, for a person who may see the publicity list once the call has
    reached it (others, and a call without one or not there yet: 404)."""
    if not permissions.can_view_publicity(request.user):
        raise Http404
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk)
    stage = selectors.publicity_stage(call)
    if stage is None:
        raise Http404
    period = selectors.publicity_period(call, stage)
    if not period["reached"] and not permissions.can_build(request.user):
        raise Http404
    return call, stage, period


def _objections_export(call, stage, objections):
    headers = [
        _("申报"),
        _("申报人"),
        _("异议人"),
        _("提出时间"),
        _("异议理由"),
        _("证明材料"),
        _("处理结果"),
        _("处理意见"),
        _("处理人"),
        _("处理时间"),
    ]

    def rows():
        for o in objections:
            yield [
                o.submission.title,
                str(o.submission.submitted_by),
                str(o.lodged_by),
                o.created_at,
                o.reason,
                (o.evidence.get("file") or {}).get("name", ""),
                str(workflow.ObjectionStatus(o.status).label),
                o.answer,
                str(o.answered_by or ""),
                o.answered_at,
            ]

    return xlsx_response(
        _("%(call)s-公示异议.xlsx") % {"call": call.title}, headers, rows(), sheet_title=_("公示异议")
    )


@login_required
def publicity(request, pk):
    """The call's publicity list (公示): the applications that went through the checks, ranked; everyone
    who may see it may object (real name); staff see every objection with its objector and answer it, and
    export them; others see the objections they lodged and their outcome."""
    call, stage, period = _publicity_call(request, pk)
    staff = permissions.can_build(request.user)
    objections = list(selectors.objections_of(call, stage["key"]))
    if staff and request.GET.get("export") == "xlsx":
        return _objections_export(call, stage, objections)
    rows = selectors.publicity_rows(call, stage, objections=objections)
    why_lodge = selectors.why_not_lodge(call, stage)
    for r in rows:
        r["why_not"] = why_lodge or permissions.why_not_object(request.user, r["submission"])
        if not r["why_not"] and r["n_upheld"]:
            r["why_not"] = _("该申报已因异议成立不予立项，不再受理异议。")
    return render(
        request,
        "programmes/publicity.html",
        {
            "call": call,
            "stage": stage,
            "period": period,
            "rows": rows,
            "staff": staff,
            "objections": objections if staff else [],
            "mine": [] if staff else [o for o in objections if o.lodged_by_id == request.user.pk],
            "why_lodge": why_lodge,
            "n_open": sum(r["n_open"] for r in rows),
        },
    )


@login_required
def objection_lodge(request, pk, sub_pk):
    """A real-name objection against one listed application: a reason, optionally a file, confirmed."""
    call, stage, period = _publicity_call(request, pk)
    row = next(
        (r for r in selectors.publicity_rows(call, stage) if r["submission"].pk == sub_pk),
        None,
    )
    if row is None:
        raise Http404
    why = selectors.why_not_lodge(call, stage) or permissions.why_not_object(request.user, row["submission"])
    if why:
        raise Refused(why)
    form = forms.ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        done = _attempt(
            request,
            lambda: services.objection_lodge(
                actor=request.user,
                call=call,
                submission=row["submission"],
                reason=form.cleaned_data["reason"],
                file_data=filefields.upload_bytes(upload) if upload else None,
                filename=upload.name if upload else "",
            ),
            form=form,
            success=_("已提出异议，处理结果将通知您。"),
        )
        if done:
            return redirect("programmes:objection", pk=call.pk, obj_pk=done.pk)
    return _page(
        request,
        "programmes/objection_lodge.html",
        {"call": call, "stage": stage, "row": row, "form": form},
        form,
    )


@login_required
def objection_detail(request, pk, obj_pk, *, withdraw_error: str = ""):
    """One objection: staff see it in full with its objector and answer it (confirmed); the objector sees
    it with its outcome. Others: 404."""
    call, stage, period = _publicity_call(request, pk)
    objection = get_visible_or_404(
        Objection.objects.select_related(
            "submission__version", "submission__submitted_by__unit", "lodged_by", "answered_by"
        ),
        user=request.user,
        visible=permissions.can_view_objection,
        pk=obj_pk,
        call=call,
    )
    staff = permissions.can_build(request.user)
    form = forms.ObjectionAnswerForm(request.POST or None) if staff else None
    if request.method == "POST" and not withdraw_error:  # (a refused withdrawal is shown, not answered)
        if not staff:
            raise Refused(_("只有科技厅工作人员可以处理异议。"))
        if form.is_valid():
            done = _attempt(
                request,
                lambda: services.objection_answer(
                    actor=request.user,
                    objection=objection,
                    action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                ),
                form=form,
                success=_("已记录异议处理结果。"),
            )
            if done:
                return redirect("programmes:publicity", pk=call.pk)
    is_open = objection.status == workflow.ObjectionStatus.OPEN
    mine = objection.lodged_by_id == request.user.pk
    why_not = ""
    if staff and is_open and not period["current"]:
        why_not = _("该批次已不在公示环节，不能处理异议。")
    elif staff and objection.status == workflow.ObjectionStatus.WITHDRAWN:
        why_not = _("异议人已撤回该异议，无需处理。")
    elif staff and not is_open:
        why_not = _("该异议已处理，不能更改。")
    response = _page(
        request,
        "programmes/objection.html",
        {
            "call": call,
            "stage": stage,
            "objection": objection,
            "status_label": workflow.ObjectionStatus(objection.status).label,
            "staff": staff,
            "form": form,
            "can_answer": staff and is_open and period["current"],
            "can_withdraw": mine and is_open and period["current"],
            "why_not": why_not,
            "file": (objection.evidence or {}).get("file"),
            "withdraw_error": withdraw_error,
        },
        form,
    )
    if withdraw_error:  # a refused withdrawal (objection_withdraw): 400
        response.status_code = 400
    return response


@login_required
def objection_file(request, pk, obj_pk):
    """The objection's file, for staff and the objector only."""
    call, stage, period = _publicity_call(request, pk)
    objection = get_visible_or_404(
        Objection, user=request.user, visible=permissions.can_view_objection_file, pk=obj_pk, call=call
    )
    file_id = filefields.stored_id((objection.evidence or {}).get("file"), "file")
    stored = get_object_or_404(ObjectionFile, pk=file_id, objection=objection)
    return uploaded_file_response(stored.file, stored.original_name)


@login_required
@require_POST
def objection_withdraw(request, pk, obj_pk):
    """The objector withdraws their open objection (a ticked confirmation); others: 404, or 403 for staff."""
    call, stage, period = _publicity_call(request, pk)
    objection = get_visible_or_404(
        Objection, user=request.user, visible=permissions.can_view_objection, pk=obj_pk, call=call
    )
    if objection.lodged_by_id != request.user.pk:
        raise Refused(_("只有提出异议的本人可以撤回。"))
    back = reverse("programmes:objection", args=[call.pk, objection.pk])
    if objection.status != workflow.ObjectionStatus.OPEN:  # withdrawn or answered meanwhile: by whom (409)
        return decided_page(request, obj=objection, back_url=back)
    error = ""
    if not request.POST.get("confirm"):
        error = _("请勾选确认后再撤回异议。")
    else:
        try:
            services.objection_withdraw(actor=request.user, objection=objection)
        except PermissionDenied as exc:
            raise Refused(error_text(exc)) from exc
        except (ApplicationError, ValidationError) as exc:
            if (
                Objection.objects.filter(pk=objection.pk)
                .exclude(status=workflow.ObjectionStatus.OPEN)
                .exists()
            ):
                return decided_page(request, obj=objection, back_url=back)
            error = error_text(exc)
    if error:  # the objection's page again with why beside the box (400)
        return objection_detail(request, call.pk, objection.pk, withdraw_error=error)
    messages.success(request, _("已撤回异议。"))
    return redirect(back)
