"""Writes of programmes as data: keyword-only, one transaction each, audited; the actor's role checked here.

Forms and programme types are edited as drafts; publishing freezes a version (nothing changes it after);
editing a published one means a new draft copied from it, with the same stable keys. A call pins the
programme version it opened with (and through its stages the form versions); moving it to another version
is `call_migrate`, audited with its stage mapping and refused where a stage would be skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.limits import checked_text
from kechuang.core.lists import listed
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, has_role, require_role, roles_of
from kechuang.core.services import english_name_set, transition_apply
from kechuang.core.workflow import StateMachine

from . import fieldkinds, filefields, names, permissions, reviews, rules, selectors, workflow
from .models import (
    OBJECTION_FILE_KEY,
    AwardDecision,
    Call,
    CallStatus,
    FormalCheck,
    FormDefinition,
    FormVersion,
    InvitationDecision,
    Objection,
    ObjectionFile,
    ProgrammeType,
    ProgrammeVersion,
    ShortlistDecision,
    Submission,
    SubmissionFile,
    VersionStatus,
)

# a programme version's revision note (修订说明), as its column: the builder's input says it too
VERSION_NOTE_MAX = ProgrammeVersion._meta.get_field("note").max_length


def _refuse(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code)


def _draft(version) -> None:
    if version.status != VersionStatus.DRAFT:
        raise _refuse(_("已发布的版本不能修改，请先生成新版本。"), "published")


def _freeze(version, *, actor, action: str, also: tuple[str, ...] = ()):
    """Publish a checked draft (a form's or a programme type's version): from now on nothing changes it.
    Audited as `action`; `also` names further fields the caller set on it."""
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", *also, "updated_at"])
    audit_record(actor=actor, action=action, obj=version, after={"status": version.status})
    return version


# --- forms ---------------------------------------------------------------------------------------------------


@transaction.atomic
def form_create(*, actor, name: str, purpose: str, description: str = "", name_en: str = "") -> FormVersion:
    """A new form with its first (draft) version."""
    require_role(actor, Role.STAFF)
    definition = FormDefinition.objects.create(
        name=name.strip(),
        name_en=name_en.strip(),
        purpose=purpose,
        description=description,
        created_by=_person(actor),
    )
    version = FormVersion.objects.create(definition=definition, number=1)
    audit_record(
        actor=actor, action="programmes.form_create", obj=definition, after={"name": definition.name}
    )
    return version


def _person(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def field_problems(spec: dict, others: list[dict]) -> list[str]:
    """Why a field spec cannot be saved (its settings against its kind; a condition on an earlier choice)."""
    out = []
    kind = fieldkinds.KINDS.get(spec.get("kind"))
    if kind is None:
        return [_("请选择字段类型。")]
    if not (spec.get("label") or "").strip():
        out.append(_("请填写字段名称。"))
    if names.problems(spec):
        out.append(_("英文名称格式有误或过长。"))
    if spec["kind"] in ("choice", "multi_choice"):
        options = spec.get("options") or []
        if not options:
            out.append(_("单选、多选字段至少需要一个选项。"))
        if len(set(options)) != len(options):
            out.append(_("选项不能重复。"))
    if spec["kind"] == "table" and not spec.get("columns"):
        out.append(_("表格至少需要一列。"))
    lo, hi = fieldkinds._dec(spec.get("min")), fieldkinds._dec(spec.get("max"))
    if lo is not None and hi is not None and lo > hi:
        out.append(_("最小值不能大于最大值。"))
    if spec["kind"] == "file" and not (1 <= int(spec.get("max_mb") or 10) <= fieldkinds.MAX_MB):
        out.append(_("附件大小上限须在 1 到 %(n)d MB 之间。") % {"n": fieldkinds.MAX_MB})
    cond = spec.get("show_if")
    if cond:
        source = next((o for o in others if o["key"] == cond.get("field")), None)
        if (
            source is None
            or source["kind"] != "choice"
            or cond.get("equals") not in (source.get("options") or [])
        ):
            out.append(_("显示条件须是本字段之前某个单选字段的一个选项。"))
    return out


@transaction.atomic
def form_field_save(*, actor, version: FormVersion, spec: dict, key: str | None = None) -> dict:
    """Add a field (key None: it gets the next free key) or replace the field `key` of a draft version."""
    require_role(actor, Role.STAFF)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    fields = list(version.fields)
    at = next((i for i, f in enumerate(fields) if f["key"] == key), None) if key else None
    if key and at is None:
        raise _refuse(_("该字段不在此版本中。"), "unknown_field")
    before = fields[at] if at is not None else None
    spec = {k: v for k, v in spec.items() if v not in (None, "", [], {})}
    spec["required"] = bool(spec.get("required"))
    if at is None:
        if len(fields) >= fieldkinds.MAX_FIELDS:
            raise _refuse(_("一个表单最多 %(n)d 个字段。") % {"n": fieldkinds.MAX_FIELDS}, "too_many")
        spec["key"] = f"f{version.next_key}"
        version.next_key += 1
    else:
        spec["key"] = key
    if isinstance(spec.get("columns"), list):
        spec["columns"] = [
            {k: v for k, v in c.items() if not (names.is_text(k) and not v)} if isinstance(c, dict) else c
            for c in spec["columns"]
        ]
    earlier = fields[:at] if at is not None else fields
    found = field_problems(spec, earlier)
    if found:
        raise ApplicationError(" ".join(found), code="invalid_field")
    if at is None:
        fields.append(spec)
    else:
        fields[at] = spec
    version.fields = fields
    version.save(update_fields=["fields", "next_key", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.form_field_save",
        obj=version,
        before=before and {"field": before},
        after={"field": spec},
    )
    return spec


@transaction.atomic
def form_field_remove(*, actor, version: FormVersion, key: str) -> None:
    require_role(actor, Role.STAFF)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    gone = next((f for f in version.fields if f["key"] == key), None)
    if gone is None:
        raise _refuse(_("该字段不在此版本中。"), "unknown_field")
    users = [f["label"] for f in version.fields if (f.get("show_if") or {}).get("field") == key]
    if users:
        raise _refuse(
            _("“%(fields)s”的显示条件引用了此字段，请先修改它们。") % {"fields": listed(users)}, "in_use"
        )
    version.fields = [f for f in version.fields if f["key"] != key]
    version.save(update_fields=["fields", "updated_at"])
    audit_record(actor=actor, action="programmes.form_field_remove", obj=version, before={"field": gone})


def _move(items: list[dict], key: str, step: int) -> list[dict]:
    i = next((n for n, x in enumerate(items) if x["key"] == key), None)
    if i is None:
        raise _refuse(_("该项不在此版本中。"), "unknown_item")
    j = i + step
    if not 0 <= j < len(items):
        return items
    items = list(items)
    items[i], items[j] = items[j], items[i]
    return items


@transaction.atomic
def form_field_move(*, actor, version: FormVersion, key: str, step: int) -> None:
    require_role(actor, Role.STAFF)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    moved = _move(version.fields, key, step)
    # a condition must name an earlier field
    for i, f in enumerate(moved):
        cond = f.get("show_if")
        if cond and cond["field"] not in {g["key"] for g in moved[:i]}:
            raise _refuse(_("“%(label)s”的显示条件须在其所依据的字段之后。") % {"label": f["label"]}, "order")
    version.fields = moved
    version.save(update_fields=["fields", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.form_field_move",
        obj=version,
        after={"order": [f["key"] for f in moved]},
    )


@transaction.atomic
def form_version_publish(*, actor, version: FormVersion) -> FormVersion:
    require_role(actor, Role.STAFF)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    if not version.fields:
        raise _refuse(_("表单至少需要一个字段才能发布。"), "empty")
    return _freeze(version, actor=actor, action="programmes.form_publish")


@transaction.atomic
def form_version_new(*, actor, definition: FormDefinition) -> FormVersion:
    """A new draft copied from the newest version (the same keys); the draft if one is open already."""
    require_role(actor, Role.STAFF)
    definition = FormDefinition.objects.select_for_update().get(pk=definition.pk)
    latest = definition.versions.order_by("-number").first()
    if latest.status == VersionStatus.DRAFT:
        return latest
    version = FormVersion.objects.create(
        definition=definition, number=latest.number + 1, fields=latest.fields, next_key=latest.next_key
    )
    audit_record(
        actor=actor, action="programmes.form_version_new", obj=version, after={"number": version.number}
    )
    return version


def submission_facts(*, actor, call: Call, stage: dict, form) -> workflow.Facts:
    """What the stage's deadline and rules are judged on (workflow.rule_refusals): the unit's kind, the
    answers of the eligibility rules' checkers (rules.py; integrity answers its own), the person's projects
    in flight, the files given, today and the stage's last day."""
    unit = getattr(actor, "unit", None)
    stage_rules = stage.get("rules") or {}
    given = form.files_by_key()
    return workflow.Facts(
        unit_kind=unit.kind if unit is not None else "",
        unit_kind_labels=selectors.unit_kind_labels() if stage_rules.get("unit_kinds") else {},
        eligibility=rules.answers(stage_rules.get("eligibility") or [], user=actor, unit=unit, call=call),
        in_flight=selectors.projects_in_flight(actor, call=call) if stage_rules.get("max_concurrent") else 0,
        attachments=frozenset(s.get("label") for s in form.specs if s["key"] in given),
        file_specs=names.file_specs(form.specs),
        today=timezone.localdate(),
        closes_on=call.stage_closes_on,
    )


@transaction.atomic
def submission_create(*, actor, version: FormVersion, form, call: Call | None = None) -> Submission:
    """Store a valid form built from `version` (fieldkinds.build_form): its values by key and its files."""
    if version.status != VersionStatus.PUBLISHED:
        raise _refuse(_("表单尚未发布，不能填报。"), "not_published")
    stage_key = ""
    if call is not None:
        call = Call.objects.select_for_update().select_related("version").get(pk=call.pk)
        stage = call.stage or {}
        if stage.get("form") != version.pk:
            raise _refuse(_("该批次当前环节不使用此表单。"), "wrong_form")
        stage_key = call.stage_key
    if not form.is_valid():
        raise ApplicationError(_("表单有误，请按提示修改。"), code="invalid")
    if call is not None:
        # at a 正式申报 stage of a call whose 预申报 decides who is invited: only an invited applicant submits
        refusals = selectors.invitation_refusals(call, actor)
        if refusals:
            raise ApplicationError(" ".join(refusals), code="not_invited")
        refusals = workflow.rule_refusals(
            stage, submission_facts(actor=actor, call=call, stage=stage, form=form)
        )
        if refusals:
            raise ApplicationError(" ".join(refusals), code="rules")
    submission = Submission.objects.create(
        version=version, call=call, stage_key=stage_key, submitted_by=actor, data=form.json_values()
    )
    data = dict(submission.data)
    for key, upload in form.files_by_key().items():
        stored = SubmissionFile.objects.create(submission=submission, key=key, file=upload, name=upload.name)
        data[key] = {"name": upload.name, "file": stored.pk}
    if data != submission.data:
        submission.data = data
        submission.save(update_fields=["data", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.submit",
        obj=submission,
        after={"version": version.pk, "call": call and call.pk},
    )
    return submission


# --- programme types -------------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor, name: str, description: str = "", name_en: str = "") -> ProgrammeVersion:
    require_role(actor, Role.STAFF)
    name = name.strip()
    if ProgrammeType.objects.filter(name=name).exists():
        raise ApplicationError(
            _("已有同名的计划类别。"), code="duplicate", fields={"name": [_("已有同名的计划类别。")]}
        )
    programme = ProgrammeType.objects.create(name=name, name_en=name_en.strip(), description=description)
    version = ProgrammeVersion.objects.create(programme=programme, number=1)
    audit_record(actor=actor, action="programmes.programme_create", obj=programme, after={"name": name})
    return version


def _form_ok(form_id) -> None:
    if form_id and not FormVersion.objects.filter(pk=form_id, status=VersionStatus.PUBLISHED).exists():
        raise _refuse(_("环节只能使用已发布的表单版本。"), "form_not_published")


@transaction.atomic
def stage_save(*, actor, version: ProgrammeVersion, spec: dict, key: str | None = None) -> dict:
    """Add a stage at the end (key None) or replace the stage `key` of a draft version. The order is checked
    on publishing (a draft may be unfinished)."""
    require_role(actor, Role.STAFF)
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    if spec.get("kind") not in workflow.STAGE_KINDS:
        raise _refuse(_("请选择环节类型。"), "kind")
    _form_ok(spec.get("form"))
    stages = list(version.stages)
    at = next((i for i, s in enumerate(stages) if s["key"] == key), None) if key else None
    if key and at is None:
        raise _refuse(_("该环节不在此版本中。"), "unknown_stage")
    before = stages[at] if at is not None else None
    spec = {k: v for k, v in spec.items() if not (names.is_text(k) and not v)}
    spec["name"] = (spec.get("name") or "").strip() or workflow.kind_label(spec["kind"])
    if names.problems(spec):
        raise _refuse(_("英文名称格式有误或过长。"), "invalid_english")
    if at is None:
        spec["key"] = f"s{version.next_key}"
        version.next_key += 1
        stages.append(spec)
    else:
        spec["key"] = key
        stages[at] = spec
    version.stages = stages
    version.save(update_fields=["stages", "next_key", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.stage_save",
        obj=version,
        before=before and {"stage": before},
        after={"stage": spec},
    )
    return spec


@transaction.atomic
def stage_remove(*, actor, version: ProgrammeVersion, key: str) -> None:
    require_role(actor, Role.STAFF)
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    gone = next((s for s in version.stages if s["key"] == key), None)
    if gone is None:
        raise _refuse(_("该环节不在此版本中。"), "unknown_stage")
    version.stages = [s for s in version.stages if s["key"] != key]
    version.save(update_fields=["stages", "updated_at"])
    audit_record(actor=actor, action="programmes.stage_remove", obj=version, before={"stage": gone})


@transaction.atomic
def stage_move(*, actor, version: ProgrammeVersion, key: str, step: int) -> None:
    require_role(actor, Role.STAFF)
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    version.stages = _move(version.stages, key, step)
    version.save(update_fields=["stages", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.stage_move",
        obj=version,
        after={"order": [s["key"] for s in version.stages]},
    )


def file_labels(stages: list[dict]) -> dict[int, set[str]]:
    """{form version id: the labels of its file fields} for the forms the stages use."""
    ids = [s.get("form") for s in stages if s.get("form")]
    return {
        fv.pk: {f.get("label") for f in fv.fields if f.get("kind") == "file"}
        for fv in FormVersion.objects.filter(pk__in=ids)
    }


@transaction.atomic
def programme_version_publish(*, actor, version: ProgrammeVersion, note: str = "") -> ProgrammeVersion:
    """Freeze a draft whose stages can run (workflow.problems lists every reason it cannot). A revision
    `note` longer than its column is refused, not cut (nor a database error)."""
    require_role(actor, Role.STAFF)
    checked_text(note, "note", label=_("修订说明"), max_length=VERSION_NOTE_MAX)
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    for s in version.stages:
        _form_ok(s.get("form"))
    found = version_problems(version.programme.name, version.stages)
    if found:
        raise ApplicationError(" ".join(found), code="invalid_definition")
    version.note = note or version.note
    return _freeze(version, actor=actor, action="programmes.programme_publish", also=("note",))


def version_problems(programme_name: str, stages: list[dict], labels: dict | None = None) -> list[str]:
    """Every reason a programme type's stages cannot be published: the rules every definition keeps
    (`workflow.problems`) and those of the app that runs this programme type
    (`rules.definition_problems`, e.g. challenges for 揭榜挂帅). `labels`: the file fields of the forms the
    stages use (found from the stages when not given)."""
    labels = file_labels(stages) if labels is None else labels
    return workflow.problems(stages, file_labels=labels) + rules.definition_problems(programme_name, stages)


@transaction.atomic
def programme_version_new(*, actor, programme: ProgrammeType) -> ProgrammeVersion:
    require_role(actor, Role.STAFF)
    programme = ProgrammeType.objects.select_for_update().get(pk=programme.pk)
    latest = programme.versions.order_by("-number").first()
    if latest.status == VersionStatus.DRAFT:
        return latest
    version = ProgrammeVersion.objects.create(
        programme=programme, number=latest.number + 1, stages=latest.stages, next_key=latest.next_key
    )
    audit_record(
        actor=actor, action="programmes.programme_version_new", obj=version, after={"number": version.number}
    )
    return version


# --- English names ---------------------------------------------------------------------------------------------

# What `version_translate` may set on a stage and on a field (the English forms only).
STAGE_ENGLISH = ("name_en",)
FIELD_ENGLISH = ("label_en", "help_en", "unit_en")


@transaction.atomic
def version_translate(*, actor, version, key: str, texts: dict) -> dict:
    """Add, correct or clear the English forms of one stage of a programme version or one field of a form
    version — a published version too. Only the English forms change (`names`): a stage's `name_en`; a
    field's `label_en`, `help_en`, `options_en` (one per option, in order) and its table columns' `label_en`
    (`columns_en`, one per column, in order); an empty text clears one. The version is proved otherwise
    unchanged (`names.strip` equal before and after), so the calls and submissions on it read the same
    programme: answers are stored by key and choices by their Chinese options, attachment rules name the
    Chinese labels (docs/programmes.md “English names”). Audited as `programmes.translate` with the English
    forms before and after."""
    require_role(actor, Role.STAFF)
    model = type(version)
    version = model.objects.select_for_update().get(pk=version.pk)
    attr = "stages" if model is ProgrammeVersion else "fields"
    items = [dict(i) for i in getattr(version, attr)]
    at = next((n for n, i in enumerate(items) if i["key"] == key), None)
    if at is None:
        raise _refuse(_("该项不在此版本中。"), "unknown_item")
    item = dict(items[at])
    allowed = STAGE_ENGLISH if attr == "stages" else FIELD_ENGLISH

    def put(target: dict, name: str, value) -> None:
        value = (value or "").strip() if isinstance(value, str) or value is None else value
        if value:
            target[name] = value
        else:
            target.pop(name, None)

    for name, value in texts.items():
        if name in allowed:
            put(item, name, value)
        elif attr == "fields" and name == "options_en" and item.get("options"):
            given = [(o or "").strip() for o in value or []][: len(item["options"])]
            item.pop("options_en", None)
            if any(given):
                item["options_en"] = given + [""] * (len(item["options"]) - len(given))
        elif attr == "fields" and name == "columns_en" and item.get("columns"):
            columns = [dict(c) for c in item["columns"]]
            for column, text in zip(columns, value or [], strict=False):
                put(column, "label_en", text)
            item["columns"] = columns
        else:
            raise _refuse(_("只能填写英文名称。"), "not_english")
    if names.problems(item):
        raise _refuse(_("英文名称格式有误或过长。"), "invalid_english")
    before = items[at]
    items[at] = item
    if names.strip(items) != names.strip(getattr(version, attr)):  # the programme itself never changes here
        raise _refuse(_("只能填写英文名称。"), "not_english")
    if item == before:
        return item
    setattr(version, attr, items)
    version.save(update_fields=[attr, "updated_at"])

    def english(i: dict) -> dict:
        out = {k: v for k, v in i.items() if names.is_text(k)}
        if i.get("columns"):
            out["columns"] = [c.get("label_en", "") for c in i["columns"] if isinstance(c, dict)]
        return out

    audit_record(
        actor=actor,
        action="programmes.translate",
        obj=version,
        before={"key": key, "english": english(before)},
        after={"key": key, "english": english(item)},
    )
    return item


def name_translate(*, actor, obj, name_en: str):
    """Set or clear the English name of a programme type or a form (`name_en`; not versioned, like the English
    forms of a version: services.version_translate). Audited as `programmes.name_translate`
    (core.services.english_name_set; a name longer than the field is refused, not cut)."""
    require_role(actor, Role.STAFF)
    if not isinstance(obj, ProgrammeType | FormDefinition):
        raise _refuse(_("只能填写英文名称。"), "not_english")
    return english_name_set(actor=actor, obj=obj, text=name_en, action="programmes.name_translate")


def call_translate(*, actor, call: Call, title_en: str) -> Call:
    """Set or clear a call's English name at any stage (a rendering of its title for English pages). Staff
    only; audited as `programmes.call_translate` (core.services.english_name_set)."""
    require_role(actor, Role.STAFF)
    return english_name_set(
        actor=actor, obj=call, field="title_en", text=title_en, action="programmes.call_translate"
    )


# --- calls ----------------------------------------------------------------------------------------------------


@transaction.atomic
def call_open(*, actor, version: ProgrammeVersion, title: str, year: int, title_en: str = "") -> Call:
    """A call of a published version, at its first stage; pinned to that version."""
    require_role(actor, Role.STAFF)
    if version.status != VersionStatus.PUBLISHED:
        raise _refuse(_("只能用已发布的版本开启申报批次。"), "not_published")
    today = timezone.localdate()
    call = Call.objects.create(
        version=version,
        title=title.strip(),
        title_en=(title_en or "").strip()[:300],
        year=year,
        stage_key=version.stages[0]["key"],
        stage_opened_on=today,
        stage_closes_on=workflow.closes_on(version.stages[0], today),
    )
    audit_record(
        actor=actor,
        action="programmes.call_open",
        obj=call,
        after={"version": version.pk, "stage": call.stage_key},
    )
    return call


def call_run(call: Call, *, early: bool = False) -> workflow.Run:
    """Where `call` stands; at a review stage, whether its expert reviews are complete (the review app
    answers through `reviews.py`, with every reason they are not); at its publicity stage, why it cannot
    close (an open objection; the period not over, unless staff confirm `early`)."""
    run = workflow.run_at(call.version.stages, call.stage_key)
    run.awarded = run.awarded or call.awarded
    stage = run.current
    if call.status == CallStatus.RUNNING and stage and stage.get("kind") in workflow.REVIEW_KINDS:
        # a 答辩 after a 函评: every application it chooses from shortlisted or not, then its reviews
        waiting = (
            selectors.shortlist_close_refusals(call, stage)
            if stage["key"] in workflow.shortlist_stage_keys(call.version.stages)
            else []
        ) or reviews.stage_refusals(call=call, stage=stage)
        if waiting:
            run.waiting = waiting
        else:
            run.complete_review()
    pre = workflow.invitation_stage(call.version.stages)
    if call.status == CallStatus.RUNNING and stage and pre and stage["key"] == pre["key"]:
        # every pre-application invited or declined (the stored outcomes)
        waiting = selectors.invitation_close_refusals(call, stage)
        if waiting:
            run.waiting = waiting
        else:
            run.complete_invitation()
    if call.status == CallStatus.RUNNING and stage and stage.get("kind") == "formal_check":
        # every formal application passed or failed (the stored outcomes; none unchecked or at 补正)
        waiting = selectors.formal_close_refusals(call, stage)
        if waiting:
            run.waiting = waiting
        else:
            run.complete_formal_check()
    if call.status == CallStatus.RUNNING and stage and stage.get("kind") == "publicity":
        run.waiting = selectors.publicity_close_refusals(call, stage, early=early)
    return run


def call_award_refusals(call: Call, run: workflow.Run) -> list[str]:
    """Why the call's decision cannot be made now: a check the award rests on not done, or an application
    that went through the checks still undecided (the stored decisions)."""
    refusals = run.award_refusals()
    stage = run.current
    if not refusals and stage is not None:
        refusals = selectors.award_close_refusals(call, stage)
    return refusals


@transaction.atomic
def call_award(*, actor, call: Call) -> Call:
    """The decision at a decision stage: refused unless every check the award rests on is done and every
    application that went through them is awarded or rejected (`award_decide`)."""
    require_role(actor, Role.STAFF)
    call = Call.objects.select_for_update().select_related("version").get(pk=call.pk)
    run = call_run(call)
    refusals = call_award_refusals(call, run)
    if refusals:
        raise ApplicationError(" ".join(refusals), code="award_refused")
    call.awarded = True
    call.save(update_fields=["awarded", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.call_award",
        obj=call,
        after={"stage": call.stage_key, "checks": sorted(run.done)},
    )
    return call


@transaction.atomic
def call_advance(*, actor, call: Call, early: bool = False) -> Call:
    """Close the current stage and open the next (never skipping one); the last closes the call. A
    publicity stage closes only with every objection answered, and before its last day has passed only
    when staff confirm `early` (audited)."""
    require_role(actor, Role.STAFF)
    call = Call.objects.select_for_update().select_related("version").get(pk=call.pk)
    if call.status != CallStatus.RUNNING:
        raise _refuse(_("该批次已完成。"), "finished")
    run = call_run(call, early=early)
    closed_early = bool(
        early
        and (call.stage or {}).get("kind") == "publicity"
        and call.stage_closes_on
        and timezone.localdate() <= call.stage_closes_on
    )
    before = call.stage_key
    closing = run.current
    try:
        nxt = run.advance()
    except workflow.DefinitionError as exc:
        raise ApplicationError(" ".join(exc.problems), code="advance_refused") from exc
    if closing.get("kind") in workflow.REVIEW_KINDS:
        reviews.stage_closed(actor=actor, call=call, stage=closing)
    if nxt is None:
        call.status = CallStatus.FINISHED
        call.stage_closes_on = None
    else:
        call.stage_key = nxt["key"]
        call.stage_opened_on = timezone.localdate()
        call.stage_closes_on = workflow.closes_on(nxt, call.stage_opened_on)
    call.save(update_fields=["stage_key", "status", "stage_opened_on", "stage_closes_on", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.call_advance",
        obj=call,
        before={"stage": before},
        after={
            "stage": call.stage_key,
            "status": call.status,
            "closes_on": call.stage_closes_on and call.stage_closes_on.isoformat(),
            **({"publicity_closed_early": True} if closed_early else {}),
        },
    )
    return call


@transaction.atomic
def call_extend(*, actor, call: Call, closes_on, reason: str) -> Call:
    """Staff move the current stage's last day later (never earlier, never into the past); audited with
    both dates and the reason. The later stages' planned dates follow."""
    require_role(actor, Role.STAFF)
    call = Call.objects.select_for_update().select_related("version").get(pk=call.pk)
    if call.status != CallStatus.RUNNING:
        raise _refuse(_("该批次已完成。"), "finished")
    if not reason.strip():
        raise ApplicationError(
            _("请填写延期理由。"), code="reason", fields={"reason": [_("请填写延期理由。")]}
        )
    before = call.stage_closes_on
    if before is None:
        raise _refuse(_("当前环节不限时间，无需延期。"), "no_deadline")
    if closes_on <= before:
        msg = _("新的截止日期须晚于原截止日期（%(date)s）。") % {"date": workflow.date_words(before)}
        raise ApplicationError(msg, code="not_later", fields={"closes_on": [msg]})
    if closes_on < timezone.localdate():
        msg = _("新的截止日期不能早于今天。")
        raise ApplicationError(msg, code="past", fields={"closes_on": [msg]})
    call.stage_closes_on = closes_on
    call.save(update_fields=["stage_closes_on", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.call_extend",
        obj=call,
        before={"stage": call.stage_key, "closes_on": before.isoformat()},
        after={"stage": call.stage_key, "closes_on": closes_on.isoformat()},
        reason=reason,
    )
    return call


@transaction.atomic
def call_migrate(
    *, actor, call: Call, version: ProgrammeVersion, mapping: dict[str, str], reason: str
) -> Call:
    """Move a call in flight to another published version of its programme, with a mapping of its stages;
    refused (with every reason) where a stage would be skipped. Audited with the mapping."""
    require_role(actor, Role.STAFF)
    call = Call.objects.select_for_update().select_related("version").get(pk=call.pk)
    version = ProgrammeVersion.objects.get(pk=version.pk)
    if not reason.strip():
        raise ApplicationError(
            _("请填写迁移理由。"), code="reason", fields={"reason": [_("请填写迁移理由。")]}
        )
    if version.programme_id != call.version.programme_id or version.pk == call.version_id:
        raise _refuse(_("只能迁移到同一计划类别的另一个版本。"), "wrong_version")
    if version.status != VersionStatus.PUBLISHED:
        raise _refuse(_("只能迁移到已发布的版本。"), "not_published")
    if call.status != CallStatus.RUNNING:
        raise _refuse(_("该批次已完成，不能迁移。"), "finished")
    found = workflow.migration_problems(call.version.stages, version.stages, mapping, call.stage_key)
    if found:
        raise ApplicationError(" ".join(found), code="migration_refused")
    before = {"version": call.version_id, "stage": call.stage_key}
    call.version = version
    call.stage_key = mapping[call.stage_key]
    call.save(update_fields=["version", "stage_key", "updated_at"])
    # The submissions in flight move with their call: each to its stage's counterpart. One made at a stage
    # with no counterpart keeps its stage key (of the old version, named in the audit); every submission
    # keeps its form version for ever.
    changed = {k: v for k, v in mapping.items() if k != v}
    by_target: dict[str, list[int]] = {}
    for pk, key in call.submissions.filter(stage_key__in=list(changed)).values_list("pk", "stage_key"):
        by_target.setdefault(changed[key], []).append(pk)  # read first: a chain s2→s3, s3→s4 moves once
    moved = 0
    for new_key, pks in by_target.items():
        moved += Submission.objects.filter(pk__in=pks).update(stage_key=new_key, updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="programmes.call_migrate",
        obj=call,
        before=before,
        after={
            "version": version.pk,
            "stage": call.stage_key,
            "mapping": mapping,
            "submissions_moved": moved,
        },
        reason=reason,
    )
    return call


# --- the per-application records (形式审查, 预申报遴选, 入围, 立项, 公示异议): one way to decide them -------------------


@dataclass(frozen=True)
class RecordKind:
    """How staff decide one kind of a call's per-application record (models.ApplicationRecord): its model and
    machine, the actions staff take and what each needs ((input, message) pairs: refused before anything is
    read), and the notice the applicant gets (`titles` by action, with the application's title `%(t)s` and
    the stage's name `%(stage)s`). `per_applicant`: one record per applicant at a stage, made on the first
    decision and following their latest application (`submission`); else the record is there already and
    its caller tells whom it concerns. `keeps_reason`: the actions whose reason is recorded and sent (None:
    every one; the audit keeps it always)."""

    model: type
    machine: StateMachine
    actions: tuple[str, ...]
    unknown: Promise
    needs: Mapping[str, tuple[tuple[str, Promise], ...]]
    titles: Mapping[str, Promise] = field(default_factory=dict)
    notice: str = ""
    per_applicant: bool = True
    keeps_reason: frozenset[str] | None = None


def _locked(call_pk) -> Call:
    return Call.objects.select_for_update().select_related("version").get(pk=call_pk)


def _record_for(kind: RecordKind, *, call: Call, stage: dict, submission: Submission):
    """The applicant's record of `kind` at `stage` (made, pending, the first time), on `submission` (their
    latest application, written with the transition)."""
    record, _created = kind.model.objects.get_or_create(
        call=call,
        stage_key=stage["key"],
        applicant=submission.submitted_by,
        defaults={"submission": submission},
    )
    record.submission = submission
    return record


def _record_move(
    *, kind: RecordKind, actor, call, stage, record, action, reason="", ctx=None, updates=None, body=None
):
    """Move `record` through its kind's machine by `action` (refused: InvalidTransition with every reason in
    words; nothing written), audited by transition_apply. A staff action (one of `kind.actions`) records who
    decided, when and why under the model's own field names; the applicant is told when the kind has a
    notice for it (`body`: instead of the reason)."""
    kept = reason if kind.keeps_reason is None or action in kind.keeps_reason else ""
    extra = {"submission": record.submission} if kind.per_applicant else {}
    if action in kind.actions:
        extra.update({record.REASON: kept, record.DECIDED_BY: actor, record.DECIDED_AT: timezone.now()})
    transition_apply(
        obj=record,
        machine=kind.machine,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        ctx=ctx(record) if callable(ctx) else (ctx or {}),
        extra_updates={**extra, **(updates or {})},
    )
    if kind.per_applicant and action in kind.titles:
        sub = record.submission
        notify(
            recipients=[sub.submitted_by],
            title=Message(kind.titles[action], t=sub.title, stage=stage.get("name", "")),
            body=kept if body is None else body,
            url=call.get_absolute_url(),
            kind=kind.notice,
        )
    return record


@transaction.atomic
def record_decide(
    *,
    actor,
    kind: RecordKind,
    call_pk: int,
    action: str,
    reason: str = "",
    admit: Callable[[Call], tuple[dict, object]],
    inputs: Mapping | None = None,
    ctx=None,
    updates: Mapping | None = None,
    body: str | None = None,
):
    """Staff decide one per-application record of `kind`, in one transaction: the action and what it needs
    checked (`reason`, and the kind's other `inputs`), the call locked (select_for_update), then
    `admit(call)`, the kind's own rules, refuses (ApplicationError) or gives the stage and the record (for a
    per-applicant kind, `_record_for` the applicant's latest application); the record moves through the
    kind's machine (audited, `_record_move`) and the applicant is told. Returns the record."""
    require_role(actor, Role.STAFF)
    if action not in kind.actions:
        raise _refuse(str(kind.unknown), "unknown_action")
    reason = (reason or "").strip()
    given = {"reason": reason, **(inputs or {})}
    for name, message in kind.needs.get(action, ()):
        if given.get(name) in (None, ""):
            raise ApplicationError(str(message), code=name, fields={name: [str(message)]})
    call = _locked(call_pk)
    stage, record = admit(call)
    return _record_move(
        kind=kind,
        actor=actor,
        call=call,
        stage=stage,
        record=record,
        action=action,
        reason=reason,
        ctx=ctx,
        updates=updates,
        body=body,
    )


# --- the formal check (形式审查) -----------------------------------------------------------------------------------

_REASON_FORMAL = gettext_lazy("退回补正或不通过须填写理由。")
FORMAL = RecordKind(
    model=FormalCheck,
    machine=workflow.FORMAL_CHECK,
    actions=("pass", "return", "fail"),
    unknown=gettext_lazy("未知的审查操作。"),
    needs={
        "return": (("reason", _REASON_FORMAL), ("correct_by", gettext_lazy("退回补正须填写补正截止日期。"))),
        "fail": (("reason", _REASON_FORMAL),),
    },
    titles={
        "pass": gettext_lazy("形式审查通过：%(t)s"),
        "return": gettext_lazy("形式审查退回补正：%(t)s"),
        "fail": gettext_lazy("形式审查未通过：%(t)s"),
    },
    notice="programmes.formal_check",
)
FORMAL_ACTIONS = FORMAL.actions


def _at_formal_check(call: Call) -> dict:
    stage = call.stage or {}
    if call.status != CallStatus.RUNNING or stage.get("kind") != "formal_check":
        raise _refuse(_("该批次当前不在形式审查环节。"), "not_formal_check")
    return stage


def _current_application(call: Call, submission: Submission) -> Submission:
    current = next(
        (s for s in selectors.call_applications(call) if s.submitted_by_id == submission.submitted_by_id),
        None,
    )
    if current is None or current.pk != submission.pk:
        raise _refuse(_("这不是该申报方在本批次的最新正式申报材料，请刷新后再审查。"), "not_current")
    return current


def _formal_ctx(action, correct_by=None):
    """What the formal check's guards read: the deadline (given when returning, else the record's), today
    and the state it leaves."""
    return lambda check: {
        "correct_by": correct_by if action == "return" else check.correct_by,
        "today": timezone.localdate(),
        "from_state": check.status,
    }


def formal_check_record(
    *, actor, call: Call, submission: Submission, action: str, reason: str = "", correct_by=None
) -> FormalCheck:
    """Staff record one formal application's outcome at the call's formal check stage: `pass` (refused
    while a rule the code judges is not met: the reasons in words), `return` for correction (补正: a reason
    and a deadline not in the past) or `fail` (a reason; an application at 补正 only after its deadline).
    Audited through the state machine; the applicant is told."""

    def admit(call):
        stage = _at_formal_check(call)
        current = _current_application(call, submission)
        if action == "pass":
            unmet = [r for r in selectors.formal_checklist(call, current) if r.ok is False]
            if unmet:
                raise ApplicationError(
                    _("不能通过形式审查：%(why)s") % {"why": " ".join(f"{r.rule}——{r.words}" for r in unmet)},
                    code="rules_unmet",
                )
        return stage, _record_for(FORMAL, call=call, stage=stage, submission=current)

    body = None
    if action == "return" and correct_by is not None:
        body = _("%(reason)s 请于%(date)s前修改后重新提交。") % {
            "reason": (reason or "").strip(),
            "date": workflow.date_words(correct_by),
        }
    return record_decide(
        actor=actor,
        kind=FORMAL,
        call_pk=call.pk,
        action=action,
        reason=reason,
        admit=admit,
        inputs={"correct_by": correct_by},
        ctx=_formal_ctx(action, correct_by),
        updates={"correct_by": correct_by if action == "return" else None},
        body=body,
    )


@transaction.atomic
def formal_check_batch_pass(*, actor, call: Call) -> list[FormalCheck]:
    """Pass every unchecked formal application that meets every rule the code judges (a rule left to the
    checker keeps it out of the batch). Returns those passed; audited as one batch and each one."""
    require_role(actor, Role.STAFF)
    call = _locked(call.pk)
    stage = _at_formal_check(call)
    rows = [
        r
        for r in selectors.formal_rows(call, stage)
        if r["status"] == workflow.FormalStatus.PENDING and r["meets_all"]
    ]
    if not rows:
        raise _refuse(_("没有可批量通过的申报：须是待审查、且各项条件均已自动核验通过的申报。"), "none")
    passed = [
        _record_move(
            kind=FORMAL,
            actor=actor,
            call=call,
            stage=stage,
            record=_record_for(FORMAL, call=call, stage=stage, submission=r["submission"]),
            action="pass",
            reason=_("批量通过：各项条件均已核验通过。"),
            ctx=_formal_ctx("pass"),
            updates={"correct_by": None},
            body="",
        )
        for r in rows
    ]
    audit_record(
        actor=actor,
        action="programmes.formal_batch_pass",
        obj=call,
        after={"stage": stage["key"], "submissions": [r["submission"].pk for r in rows]},
    )
    return passed


def correction_form(*, submission: Submission, data=None, files=None):
    """The form of a formal application's own version, filled with what it holds (its files kept unless a
    new one is given)."""
    fields = submission.version.fields
    initial = {
        spec["key"]: fieldkinds.initial_for(spec, submission.data.get(spec["key"]))
        for spec in fields
        if submission.data.get(spec["key"]) is not None
    }
    return fieldkinds.build_form(fields, data=data, files=files, initial=initial)


@transaction.atomic
def submission_correct(*, actor, call: Call, form) -> Submission:
    """The applicant's correction of a formal application returned for 补正, before its deadline: a new
    submission of the same form version at the same stage (the one before stays as it was), its files kept
    unless replaced, checked against the stage's rules again; the application goes back to the check."""
    call = _locked(call.pk)
    stage = _at_formal_check(call)
    check = (
        FormalCheck.objects.select_related("submission__version")
        .filter(call=call, stage_key=stage["key"], applicant=actor)
        .first()
    )
    if check is None or check.status != workflow.FormalStatus.RETURNED:
        raise _refuse(_("您的申报没有被退回补正，不能修改。"), "not_returned")
    before = check.submission
    if not form.is_valid():
        raise ApplicationError(_("表单有误，请按提示修改。"), code="invalid")
    app_stage = next((s for s in call.version.stages if s["key"] == before.stage_key), {})
    uploads = {k: v for k, v in form.files_by_key().items() if not isinstance(v, dict)}
    kept = {
        k: v
        for k, v in form.files_by_key().items()
        if isinstance(v, dict) and isinstance(before.data.get(k), dict)
    }
    facts = submission_facts(actor=actor, call=call, stage=app_stage, form=form)
    facts = workflow.Facts(
        **{
            **facts.__dict__,
            "attachments": frozenset(
                s.get("label") for s in form.specs if s["key"] in uploads or s["key"] in kept
            ),
            "closes_on": check.correct_by,
        }
    )
    refusals = workflow.rule_refusals(app_stage, facts)
    if refusals:
        raise ApplicationError(" ".join(refusals), code="rules")
    sub = Submission.objects.create(
        version=before.version,
        call=call,
        stage_key=before.stage_key,
        submitted_by=actor,
        data=form.json_values(),
    )
    data = dict(sub.data)
    for key, upload in uploads.items():
        stored = SubmissionFile.objects.create(submission=sub, key=key, file=upload, name=upload.name)
        data[key] = {"name": upload.name, "file": stored.pk}
    old_files = {f.key: f for f in before.files.all()}
    for key in kept:
        old = old_files.get(key)
        if old is not None:
            stored = SubmissionFile.objects.create(submission=sub, key=key, file=old.file.name, name=old.name)
            data[key] = {"name": old.name, "file": stored.pk}
    sub.data = data
    sub.save(update_fields=["data", "updated_at"])
    _record_move(  # the applicant's: no decision recorded, nobody told
        kind=FORMAL,
        actor=actor,
        call=call,
        stage=stage,
        record=_record_for(FORMAL, call=call, stage=stage, submission=sub),
        action="resubmit",
        ctx=_formal_ctx("resubmit"),
    )
    audit_record(
        actor=actor,
        action="programmes.submission_correct",
        obj=sub,
        after={"call": call.pk, "replaces": before.pk, "kept_files": sorted(kept)},
    )
    return sub


# --- the decision on each application (立项) ---------------------------------------------------------------------------

AWARD = RecordKind(
    model=AwardDecision,
    machine=workflow.AWARD_DECISION,
    actions=("award", "reject"),
    unknown=gettext_lazy("未知的立项操作。"),
    needs={"reject": (("reason", gettext_lazy("不予立项须填写理由。")),)},
    titles={"award": gettext_lazy("予以立项：%(t)s"), "reject": gettext_lazy("不予立项：%(t)s")},
    notice="programmes.award_decision",
)
AWARD_ACTIONS = AWARD.actions


def award_decide(
    *, actor, call: Call, submission: Submission, action: str, reason: str = ""
) -> AwardDecision:
    """Staff decide one application at the call's decision stage: `award` (予以立项) or `reject` (不予立项,
    with a reason). Refused unless the call stands at its decision stage with every check the award rests
    on done and the call's decision not yet made, and unless the application is the applicant's latest
    formal one and went through those checks (with a formal check, passed it). Final; audited through the
    state machine; the applicant is told."""

    def admit(call):
        stage = call.stage or {}
        if call.status != CallStatus.RUNNING or stage.get("kind") != "decision":
            raise _refuse(_("该批次当前不在立项决定环节。"), "not_decision")
        if call.awarded:
            raise _refuse(_("本批次已作出立项决定。"), "awarded")
        missing = call_run(call).award_refusals()  # the pure run holds no applications: only the checks
        if missing:
            raise ApplicationError(" ".join(missing), code="award_refused")
        current = _current_application(call, submission)
        applicant = current.submitted_by_id
        if applicant not in {s.submitted_by_id for s in selectors.passed_applications(call)}:
            raise _refuse(_("该申报未通过形式审查，不能立项。"), "not_passed")
        if applicant not in {s.submitted_by_id for s in selectors.award_candidates(call, stage)}:
            raise _refuse(_("该申报未入围答辩，不能立项。"), "not_shortlisted")
        if Objection.objects.filter(
            call=call, applicant_id=applicant, status=workflow.ObjectionStatus.OPEN
        ).exists():
            raise _refuse(_("该申报尚有未处理的公示异议，不能作出立项决定。"), "objection_open")
        return stage, _record_for(AWARD, call=call, stage=stage, submission=current)

    return record_decide(actor=actor, kind=AWARD, call_pk=call.pk, action=action, reason=reason, admit=admit)


# --- the 函评 → 答辩 shortlist ----------------------------------------------------------------------------------------

SHORTLIST = RecordKind(
    model=ShortlistDecision,
    machine=workflow.SHORTLIST,
    actions=("shortlist", "exclude"),
    unknown=gettext_lazy("未知的入围操作。"),
    needs={"exclude": (("reason", gettext_lazy("不入围须填写理由。")),)},
    titles={
        "shortlist": gettext_lazy("入围%(stage)s：%(t)s"),
        "exclude": gettext_lazy("未入围%(stage)s：%(t)s"),
    },
    notice="programmes.shortlist",
    keeps_reason=frozenset({"exclude"}),
)
SHORTLIST_ACTIONS = SHORTLIST.actions


def _at_shortlist(call: Call) -> dict:
    stage = call.stage or {}
    if call.status != CallStatus.RUNNING or stage.get("key") not in workflow.shortlist_stage_keys(
        call.version.stages
    ):
        raise _refuse(_("该批次当前不在需确定入围名单的答辩环节。"), "not_shortlist_stage")
    return stage


def shortlist_record(
    *, actor, call: Call, submission: Submission, action: str, reason: str = ""
) -> ShortlistDecision:
    """Staff decide whether one application goes on to the call's current 答辩 (a 会评/答辩 after a 函评):
    `shortlist` (入围) or `exclude` (未入围, with a reason the applicant sees). Refused unless the call stands at
    such a stage and the application is the applicant's latest formal one, still in the running (through the
    formal check and every shortlist before). Final; audited through the state machine; the applicant is
    told. The stage's expert review opens once every such application is decided."""

    def admit(call):
        stage = _at_shortlist(call)
        current = _current_application(call, submission)
        index = [s["key"] for s in call.version.stages].index(stage["key"])
        if current.submitted_by_id not in {s.submitted_by_id for s in selectors.candidates(call, index)}:
            raise _refuse(_("该申报未通过此前各环节，不参加入围遴选。"), "not_candidate")
        return stage, _record_for(SHORTLIST, call=call, stage=stage, submission=current)

    return record_decide(
        actor=actor, kind=SHORTLIST, call_pk=call.pk, action=action, reason=reason, admit=admit
    )


@transaction.atomic
def shortlist_batch(*, actor, call: Call, shortlisted, reason: str) -> list[ShortlistDecision]:
    """Staff confirm the shortlist of the call's current 答辩 at once: each undecided application whose
    submission is in `shortlisted` (submission pks; e.g. the suggested cut of the 函评 ranking) 入围, every
    other undecided one 未入围 with `reason` (required when any is left out). Decided ones stay as they are.
    One transaction; each transition audited, and the batch (`programmes.shortlist_batch`)."""
    require_role(actor, Role.STAFF)
    call = _locked(call.pk)
    stage = _at_shortlist(call)
    chosen = {int(pk) for pk in shortlisted}
    pending = [
        r["submission"]
        for r in selectors.shortlist_rows(call, stage)
        if r["status"] == workflow.ShortlistStatus.PENDING
    ]
    if not pending:
        raise _refuse(_("没有待确定是否入围的申报。"), "nothing_pending")
    unknown = chosen - {s.pk for s in pending}
    if unknown:
        raise _refuse(_("所选申报不在待确定的名单中，请刷新后再确认。"), "not_candidate")
    left_out = [s for s in pending if s.pk not in chosen]
    if left_out and not reason.strip():
        msg = _("未入围的申报须填写理由。")
        raise ApplicationError(msg, code="reason", fields={"reason": [msg]})
    out = [
        _record_move(
            kind=SHORTLIST,
            actor=actor,
            call=call,
            stage=stage,
            record=_record_for(SHORTLIST, call=call, stage=stage, submission=sub),
            action="shortlist" if sub.pk in chosen else "exclude",
            reason="" if sub.pk in chosen else reason.strip(),
        )
        for sub in pending
    ]
    audit_record(
        actor=actor,
        action="programmes.shortlist_batch",
        obj=call,
        after={
            "stage": stage["key"],
            "shortlisted": sorted(s.pk for s in pending if s.pk in chosen),
            "not_shortlisted": sorted(s.pk for s in left_out),
        },
        reason=reason.strip(),
    )
    return out


# --- the 预申报 invitation ----------------------------------------------------------------------------------------

INVITATION = RecordKind(
    model=InvitationDecision,
    machine=workflow.INVITATION,
    actions=("invite", "decline"),
    unknown=gettext_lazy("未知的遴选操作。"),
    needs={"decline": (("reason", gettext_lazy("不予邀请须填写理由。")),)},
    titles={
        "invite": gettext_lazy("预申报获邀请正式申报：%(t)s"),
        "decline": gettext_lazy("预申报未获邀请：%(t)s"),
    },
    notice="programmes.invitation",
)
INVITATION_ACTIONS = INVITATION.actions


def _at_invitation(call: Call) -> dict:
    stage = call.stage or {}
    pre = workflow.invitation_stage(call.version.stages)
    if call.status != CallStatus.RUNNING or pre is None or stage.get("key") != pre["key"]:
        raise _refuse(_("该批次当前不在预申报环节。"), "not_pre_application")
    return stage


def _current_pre_application(call: Call, stage: dict, submission: Submission) -> Submission:
    current = next(
        (
            s
            for s in selectors.pre_applications(call, stage)
            if s.submitted_by_id == submission.submitted_by_id
        ),
        None,
    )
    if current is None or current.pk != submission.pk:
        raise _refuse(_("这不是该申报方在本批次的最新预申报材料，请刷新后再决定。"), "not_current")
    return current


def invitation_decide(
    *, actor, call: Call, submission: Submission, action: str, reason: str = ""
) -> InvitationDecision:
    """Staff decide one pre-application at the call's 预申报 stage: `invite` (邀请正式申报) or `decline`
    (不予邀请, with a reason the applicant sees). Refused unless the call stands at its inviting 预申报
    stage and the submission is the applicant's latest pre-application; final. Audited through the state
    machine; the applicant is told."""

    def admit(call):
        stage = _at_invitation(call)
        current = _current_pre_application(call, stage, submission)
        return stage, _record_for(INVITATION, call=call, stage=stage, submission=current)

    return record_decide(
        actor=actor, kind=INVITATION, call_pk=call.pk, action=action, reason=reason, admit=admit
    )


@transaction.atomic
def invitation_batch_invite(*, actor, call: Call, submissions: list[Submission]) -> list[InvitationDecision]:
    """Invite each of the chosen pre-applications still pending (staff, confirmed on the page); refused as a
    whole when one is not pending or not the applicant's latest. Audited as one batch and each one."""
    require_role(actor, Role.STAFF)
    call = _locked(call.pk)
    stage = _at_invitation(call)
    if not submissions:
        raise _refuse(_("请至少选择一份待遴选的预申报。"), "none")
    rows = {r["submission"].pk: r for r in selectors.invitation_rows(call, stage)}
    chosen = []
    for sub in submissions:
        row = rows.get(sub.pk)
        if row is None or row["status"] != workflow.InvitationStatus.PENDING:
            raise _refuse(
                _("“%(t)s”不是待遴选的最新预申报，请刷新后重新选择。") % {"t": sub.title}, "not_pending"
            )
        chosen.append(row["submission"])
    done = [
        _record_move(
            kind=INVITATION,
            actor=actor,
            call=call,
            stage=stage,
            record=_record_for(INVITATION, call=call, stage=stage, submission=sub),
            action="invite",
            reason=_("批量邀请正式申报。"),
        )
        for sub in chosen
    ]
    audit_record(
        actor=actor,
        action="programmes.invitation_batch_invite",
        obj=call,
        after={"stage": stage["key"], "submissions": [s.pk for s in chosen]},
    )
    return done


# --- publicity with objections (公示、异议) ------------------------------------------------------------------------------

# The file an objector may give (证明材料): a document or a picture, at most 10 MB, checked by core.uploads.
OBJECTION_FILE_SPEC = {
    "key": OBJECTION_FILE_KEY,
    "kind": "file",
    "label": gettext_lazy("证明材料"),
    "file_kinds": ["pdf", "docx", "png", "jpeg"],
    "max_mb": 10,
}


def _at_publicity(call: Call) -> dict:
    stage = call.stage or {}
    if call.status != CallStatus.RUNNING or stage.get("kind") != "publicity":
        raise _refuse(_("该批次当前不在公示期，不受理异议。"), "not_publicity")
    return stage


@transaction.atomic
def objection_lodge(
    *,
    actor,
    call: Call,
    submission: Submission,
    reason: str,
    file_data: bytes | None = None,
    filename: str = "",
) -> Objection:
    """A real-name objection (实名异议) against an application on the call's publicity list, while its
    publicity runs (not after its last day): a reason, optionally a file (checked for its kinds and size;
    refused: nothing stored). Refused to staff (they answer objections), to a person without a platform
    role and to the application's own applicant. Audited; staff are told."""
    if not permissions.can_view_publicity(actor) or has_role(actor, Role.STAFF):
        raise PermissionDenied(permissions.why_not_object(actor, submission))
    call = _locked(call.pk)
    stage = _at_publicity(call)
    why = selectors.why_not_lodge(call, stage)
    if why:
        raise _refuse(why, "publicity_over")
    listed = {s.submitted_by_id: s for s in selectors.publicity_candidates(call, stage)}
    current = listed.get(submission.submitted_by_id)
    if current is None or current.pk != submission.pk:
        raise _refuse(_("该申报不在公示名单中。"), "not_listed")
    why = permissions.why_not_object(actor, current)
    if why:
        raise _refuse(why, "own_application")
    if not (reason or "").strip():
        msg = _("请写明异议理由。")
        raise ApplicationError(msg, code="reason", fields={"reason": [msg]})
    decision_stage = selectors.decision_stage(call)
    if (
        decision_stage
        and AwardDecision.objects.filter(
            call=call,
            stage_key=decision_stage["key"],
            applicant_id=current.submitted_by_id,
            status=workflow.AwardStatus.REJECTED,
        ).exists()
    ):
        raise _refuse(_("该申报已因异议成立不予立项，不再受理异议。"), "withdrawn")
    objection = Objection(
        call=call,
        stage_key=stage["key"],
        applicant=current.submitted_by,
        submission=current,
        lodged_by=actor,
        reason=reason.strip(),
    )
    objection.full_clean()
    objection.save()
    audit_record(
        actor=actor,
        action="programmes.objection_lodge",
        obj=objection,
        after={"call": call.pk, "submission": current.pk, "reason": objection.reason},
    )
    if file_data is not None:
        filefields.store(
            actor=actor,
            owner=objection,
            values_attr="evidence",
            key=OBJECTION_FILE_KEY,
            spec=OBJECTION_FILE_SPEC,
            data=file_data,
            filename=filename or "file",
            new_row=lambda **facts: ObjectionFile(objection=objection, **facts),
            rows=ObjectionFile.objects.filter(objection=objection),
            id_name="file",
            action="programmes.objection_file",
        )
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(gettext_noop("公示异议待处理：%(t)s"), t=current.title),
        body=objection.reason[:500],
        url=objection.get_absolute_url(),
        kind="programmes.objection_lodged",
    )
    return objection


_ANSWER_NEEDED = (("reason", gettext_lazy("请填写处理意见。")),)
OBJECTION = RecordKind(
    model=Objection,
    machine=workflow.OBJECTION,
    actions=workflow.OBJECTION_ACTIONS,
    unknown=gettext_lazy("未知的异议处理操作。"),
    needs={"uphold": _ANSWER_NEEDED, "dismiss": _ANSWER_NEEDED},
    per_applicant=False,
)


@transaction.atomic
def objection_answer(*, actor, objection: Objection, action: str, reason: str) -> Objection:
    """Staff answer an objection once, with a reason, while the call's publicity runs: `uphold` (异议成立:
    the application's decision goes to 不予立项 through the decision's own machine, with the reason, so it
    cannot be awarded) or `dismiss` (异议不成立). Audited through the machines; the objector and, when
    upheld, the applicant are told."""

    def admit(call):
        stage = _at_publicity(call)
        found = Objection.objects.select_related("submission__version", "lodged_by").get(pk=objection.pk)
        if found.stage_key != stage["key"]:
            raise _refuse(_("该异议不属于本批次当前的公示。"), "not_publicity")
        found.call = call  # the locked one
        return stage, found

    objection = record_decide(
        actor=actor, kind=OBJECTION, call_pk=objection.call_id, action=action, reason=reason, admit=admit
    )
    reason = objection.answer
    call, sub = objection.call, objection.submission
    decision_stage = selectors.decision_stage(call)
    if action == "uphold" and decision_stage is not None:
        decision, _created = AwardDecision.objects.get_or_create(
            call=call,
            stage_key=decision_stage["key"],
            applicant_id=objection.applicant_id,
            defaults={"submission": sub},
        )
        if decision.status == workflow.AwardStatus.PENDING:
            why = workflow.upheld_reason(reason)
            transition_apply(
                obj=decision,
                machine=workflow.AWARD_DECISION,
                action="reject",
                actor=actor,
                roles=roles_of(actor),
                reason=why,
                extra_updates={"reason": why, "decided_by": actor, "decided_at": timezone.now()},
            )
            notify(
                recipients=[sub.submitted_by],
                title=Message(AWARD.titles["reject"], t=sub.title),
                # workflow.upheld_reason's words, read in the applicant's language (`why` is the actor's)
                body=Message(gettext_noop("公示异议成立：%(answer)s"), answer=reason.strip()),
                url=call.get_absolute_url(),
                kind="programmes.award_decision",
            )
    notify(
        recipients=[objection.lodged_by],
        title=Message(
            gettext_noop("您提出的公示异议已处理：%(outcome)s"),
            outcome=workflow.ObjectionStatus(objection.status).label,
        ),
        body=reason,
        url=objection.get_absolute_url(),
        kind="programmes.objection_answered",
    )
    return objection


@transaction.atomic
def objection_withdraw(*, actor, objection: Objection) -> Objection:
    """The objector withdraws their own objection while it is open (confirmed on the page): 已撤回, through
    its machine (`call_objection.withdraw`, audited); it no longer holds the publicity or the decision. Staff
    are told; the record stays, shown to staff as withdrawn."""
    why = permissions.why_not_withdraw_objection(actor, objection)
    if why:
        raise PermissionDenied(why)
    call = _locked(objection.call_id)
    _at_publicity(call)
    objection = Objection.objects.select_related("submission__version").get(pk=objection.pk)
    objection.call = call
    _record_move(
        kind=OBJECTION,
        actor=actor,
        call=call,
        stage=call.stage or {},
        record=objection,
        action="withdraw",
    )
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(gettext_noop("公示异议已撤回：%(t)s"), t=objection.submission.title),
        url=objection.get_absolute_url(),
        kind="programmes.objection_withdrawn",
    )
    return objection
