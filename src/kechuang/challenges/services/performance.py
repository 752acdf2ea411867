"""Writes for the performance evaluation stage (绩效评价, issue #18) of a project whose list's programme version
has one: after acceptance its commissioner or staff fill the stage's form version and a grade (a draft kept
as typed), submit it, and staff confirm it or send it back with a reason. Who may act and when is in
permissions.can_fill_performance and workflow.PERFORMANCE (no evaluation before acceptance)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import Role, has_role
from kechuang.programmes import fieldkinds

from .. import permissions, programme
from ..models import Contract, PerformanceEvaluation
from ..workflow import PERFORMANCE, PerformanceGrade, PerformanceStatus, performance_blocker
from ._common import run


def performance_form(contract: Contract):
    """The performance evaluation form version of the project's list's pinned version (None: none)."""
    return programme.project_form(contract, programme.PERFORMANCE)


def _specs(form_version) -> list[dict]:
    return programme.report_extra_fields(form_version, programme.PERFORMANCE)


def _form_problems(form_version, values, *, draft: bool = False) -> tuple[dict, list[str]]:
    """The answers checked by the evaluation's form version (required flags unless a `draft`, limits,
    options, conditions; file fields are checked on upload and kept as stored): (the JSON-safe values by
    key, every reason)."""
    specs = [s for s in _specs(form_version) if s["kind"] != "file"]
    if draft:
        specs = [{**s, "required": False} for s in specs]
    if values is not None and not isinstance(values, dict):
        values = {}
    form = fieldkinds.build_form(specs, data=dict(values or {}))
    if form.is_valid():
        return form.json_values(), []
    labels = {f["key"]: f.get("label", f["key"]) for f in specs}
    return dict(values or {}), [f"“{labels.get(k, k)}”：{v[0]}" for k, v in form.errors.items()]


def _missing_files(form_version, values) -> list[str]:
    """The required file fields of the form left without a file."""
    return [
        _("“%(label)s”：请上传文件。") % {"label": s.get("label", s["key"])}
        for s in _specs(form_version)
        if s["kind"] == "file" and s.get("required") and not (values or {}).get(s["key"])
    ]


def _ctx(contract: Contract) -> dict:
    return {
        "has_stage": programme.runs_performance(contract.challenge),
        "contract_status": contract.status,
    }


def why_no_performance(user, contract: Contract) -> str:
    """Why `user` has no button to fill the project's performance evaluation, in words ("" when they have)."""
    blocker = performance_blocker(**_ctx(contract))
    if blocker:
        return blocker
    return permissions.why_not_fill_performance(user, contract)


@transaction.atomic
def performance_save(*, actor, contract: Contract, grade: str = "", values: dict | None = None):
    """Create or update the project's performance evaluation draft: the grade (may be left empty in a draft)
    and the answers of the list version's performance form by key (kept with its form version; file fields
    keep their stored files). Only after acceptance, by the project's commissioner or staff, while a draft.
    Audited (create / update with before and after)."""
    if not permissions.can_fill_performance(actor, contract):
        raise PermissionDenied(permissions.why_not_fill_performance(actor, contract))
    blocker = performance_blocker(**_ctx(contract))
    if blocker:
        raise ApplicationError(blocker, code="performance_not_open")
    grade = (grade or "").strip()
    if grade and grade not in PerformanceGrade.values:
        raise ApplicationError(_("未知的绩效评价等级。"), code="bad_grade")
    ev = PerformanceEvaluation.objects.select_for_update().filter(contract=contract).first()
    if ev is not None and ev.status != PerformanceStatus.DRAFT:
        raise ApplicationError(_("绩效评价已提交，不能再修改。"), code="not_draft")
    form_version = ev.form_version if ev is not None else performance_form(contract)
    clean, problems = _form_problems(form_version, values, draft=True)
    if problems:
        raise ApplicationError(
            _("绩效评价填报内容有误：%(e)s") % {"e": _("；").join(problems)}, code="invalid_values"
        )
    files_ = programme.report_file_keys(form_version, programme.PERFORMANCE)
    keys = {s["key"] for s in _specs(form_version)} - files_
    kept = {k: v for k, v in ((ev.values if ev else None) or {}).items() if k in files_}
    new_values = {k: v for k, v in clean.items() if k in keys} | kept
    if ev is None:
        ev = PerformanceEvaluation(
            contract=contract, form_version=form_version, grade=grade, values=new_values, filled_by=actor
        )
        ev.full_clean()
        ev.save()
        audit_record(
            actor=actor,
            action="performance.create",
            obj=ev,
            after={"contract": contract.pk, "grade": grade, "form_version": ev.form_version_id},
        )
        return ev
    before = {"grade": ev.grade, "values": ev.values}
    ev.grade, ev.values, ev.filled_by = grade, new_values, actor
    ev.full_clean()
    ev.save(update_fields=["grade", "values", "filled_by", "updated_at"])
    audit_record(
        actor=actor,
        action="performance.update",
        obj=ev,
        before=before,
        after={"grade": ev.grade, "values": ev.values},
    )
    return ev


@transaction.atomic
def performance_submit(*, actor, evaluation: PerformanceEvaluation) -> PerformanceEvaluation:
    """Submit the draft: refused (nothing written) before acceptance, without a grade, or with a form answer
    its version refuses (a required field empty, a limit passed). Audited."""
    contract = evaluation.contract
    if not permissions.can_fill_performance(actor, contract):
        raise PermissionDenied(permissions.why_not_fill_performance(actor, contract))
    _clean, problems = _form_problems(evaluation.form_version, evaluation.values)
    problems += _missing_files(evaluation.form_version, evaluation.values)
    run(
        obj=evaluation,
        machine=PERFORMANCE,
        action="submit",
        actor=actor,
        ctx={**_ctx(contract), "form_problems": problems},
        extra={"submitted_at": timezone.now(), "note": ""},
    )
    return evaluation


@transaction.atomic
def performance_confirm(
    *, actor, evaluation: PerformanceEvaluation, confirm: bool = True, reason: str = ""
) -> PerformanceEvaluation:
    """Staff confirm a submitted evaluation, or send it back to draft with `reason` (required). Audited."""
    if not has_role(actor, Role.STAFF):
        raise PermissionDenied(_("只有科技厅工作人员可以确认绩效评价。"))
    reason = (reason or "").strip()
    if confirm:
        run(
            obj=evaluation,
            machine=PERFORMANCE,
            action="confirm",
            actor=actor,
            ctx=_ctx(evaluation.contract),
            extra={"confirmed_at": timezone.now()},
        )
    else:
        run(
            obj=evaluation,
            machine=PERFORMANCE,
            action="send_back",
            actor=actor,
            reason=reason,
            extra={"note": reason, "submitted_at": None},
        )
    return evaluation
