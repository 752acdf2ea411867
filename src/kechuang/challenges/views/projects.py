"""Project pages: the contract (任务书), milestones, changes, mid-term check, acceptance, performance
evaluation, results."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from kechuang.accounts.models import User
from kechuang.accounts.selectors import users_with_role
from kechuang.core import ui
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.exceptions import ApplicationError
from kechuang.core.exports import wants_export
from kechuang.core.formcache import empty_form_html
from kechuang.core.jobs import job_submit
from kechuang.core.limits import search_words, text_checked
from kechuang.core.messages import Message
from kechuang.core.permissions import get_visible_or_404, refuse_unless, role_required
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.core.services import posted_version
from kechuang.core.uploads import uploaded_file_response
from kechuang.programmes.filefields import upload_bytes

from .. import exports, permissions, programme, selectors, services
from ..forms import (
    AcceptanceForm,
    ChangeRequestForm,
    ContractForm,
    MidtermForm,
    MilestoneReportForm,
    PerformanceForm,
    ResultForm,
    TransferForm,
)
from ..models import ChangeRequest, Milestone, ReportFile
from ..services.changes import MSG_NOT_CONTRACTOR
from ..services.projects import MSG_NOT_TRACKER
from ..workflow import CHANGE_REQUEST, CONTRACT, MILESTONE, PERFORMANCE, ContractStatus
from ._util import attempt, done, refused_reason, step


@login_required
def contract_list(request):
    if not has_role(request.user, Role.STAFF, Role.COMMISSIONER, Role.APPLICANT):
        raise PermissionDenied(_("项目只对科技厅工作人员、项目专员和单位用户开放。"))
    q = search_words(request)
    qs = selectors.contract_list(
        user=request.user,
        status=request.GET.get("status", ""),
        flagged=request.GET.get("flagged") == "1",
        q=q,
    )
    if wants_export(request):
        return exports.contracts_xlsx(qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/contract_list.html",
        {
            "page": page,
            "statuses": ContractStatus.choices,
            "is_staff": has_role(request.user, Role.STAFF),
            "is_commissioner": has_role(request.user, Role.COMMISSIONER),
            "q": q,
            "filtered": bool(q or request.GET.get("status") or request.GET.get("flagged")),
        },
    )


@login_required
def contract_detail(request, pk):
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    return _contract_page(request, c)


def _midterm_specs(c) -> list[dict]:
    return programme.report_extra_fields(programme.project_form(c, programme.MID_TERM), programme.MID_TERM)


def _contract_page(
    request,
    c,
    *,
    change_form=None,
    midterm_form=None,
    result_form=None,
    decision_refused: dict | None = None,
    step_refused: dict | None = None,
    status: int = 200,
):
    """The project's page; `change_form` / `midterm_form` / `result_form` is a refused form shown again with
    its input; `decision_refused` a refused step (its kind — change, confirm, send_back or a lifecycle
    action —, what was typed and chosen, and why), shown beside that step's form."""
    user = request.user
    can_track = permissions.can_track_contract(user, c)
    progress = selectors.indicator_progress(c)
    facts = {
        "milestone_count": len(c.milestones.all()),
        "unverified_milestones": sum(1 for m in c.milestones.all() if m.status != "verified"),
    }
    shown = ("sign", "request_acceptance", "terminate")
    actions = [t for t in CONTRACT.available(c.status, roles_of(user), obj=c, ctx=facts) if t.name in shown]
    blocked = [
        (t, why)
        for t, why in CONTRACT.unavailable(c.status, roles_of(user), obj=c, ctx=facts)
        if t.name in shown
    ]
    if not permissions.can_track_contract(user, c) and not permissions.can_request_change(user, c):
        actions = [t for t in actions if t.name != "request_acceptance"]
        blocked = [(t, why) for t, why in blocked if t.name != "request_acceptance"]
    return render(
        request,
        "challenges/contract_detail.html",
        {
            "contract": c,
            # sections of higher apps (funds: the project's money)
            "panels": ui.panels_for("challenges.contract_detail", contract=c, user=user),
            "actions": actions,
            "tick": {"terminate": _("确认：终止后项目不能恢复。")},
            "blocked": blocked,
            "progress": progress,
            # drawn only for the indicators with a verified value: before any, the page says so in words (an
            # empty chart of 0 % bars read as no progress made, people34)
            "chart": {
                "names": [r["indicator"].local_name for r in progress if r["value"] is not None],  # reader's
                "values": [round(100 * r["progress"], 1) for r in progress if r["value"] is not None],
            },
            "is_staff": has_role(user, Role.STAFF),
            # the indicators' English names and units are audited on their own rows (as on the challenge's
            # page): staff's trail of the project shows them with its own
            "indicator_trail": selectors.contract_indicator_trail(c) if has_role(user, Role.STAFF) else None,
            "refused": decision_refused or {},
            "step_refused": dict(step_refused, apart=step_refused["action"] not in {t.name for t in actions})
            if step_refused
            else {},
            "can_track": permissions.can_track_contract(user, c),
            "can_edit": permissions.can_edit_contract(user, c) and c.status == "draft",
            "can_request_change": permissions.can_request_change(user, c),
            "can_record_result": permissions.can_record_result(user, c)
            and c.status not in ("draft", "terminated"),
            "commissioners": users_with_role(Role.COMMISSIONER) if has_role(user, Role.STAFF) else [],
            # Three forms on one page: ids of their own, so that no two fields share an id (and a label).
            "change_form": change_form or ChangeRequestForm(auto_id="change_%s", contract=c),
            # the mid-term check's staff-added fields of the list's version (issue #18), asked when it is
            # recorded; each recorded check shows its own version's
            "midterm_form": midterm_form
            or (
                MidtermForm(auto_id="midterm_%s", extra_specs=_midterm_specs(c))
                if can_track and c.status == "in_progress"
                else None
            ),
            "midterm_rows": [
                (mc, programme.report_extra_rows(mc.form_version, programme.MID_TERM, mc.extra))
                for mc in c.midterm_checks.all()
            ],
            # the performance evaluation (绩效评价, issue #18) when the list's version has the stage: its
            # answers with its own form version, and why there is no button to fill it
            "runs_performance": programme.runs_performance(c.challenge),
            "performance": getattr(c, "performance", None),
            "performance_rows": programme.report_extra_rows(
                c.performance.form_version, programme.PERFORMANCE, c.performance.values
            )
            if hasattr(c, "performance")
            else [],
            "performance_why_not": services.why_no_performance(user, c),
            "acceptance_rows": programme.report_extra_rows(
                c.acceptance.form_version, programme.ACCEPTANCE, c.acceptance.extra
            )
            if hasattr(c, "acceptance")
            else [],
            # empty and the same for everyone: rendered once per process and language (#19)
            "result_form_html": render_to_string("web/_form.html", {"form": result_form}, request)
            if result_form is not None
            else empty_form_html(ResultForm, auto_id="result_%s", template="web/_form.html"),
            "result_refused": result_form is not None,
            "midterm_preview": services.midterm_score(c, timezone.localdate())
            if c.status == "in_progress"
            else None,
        },
        status=status,
    )


@require_POST
@role_required(Role.STAFF)
def contract_commissioner(request, pk):
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)

    person = User.objects.filter(pk=request.POST.get("commissioner") or 0).first()
    if person is None:
        raise Http404
    error = refused_reason(
        request,
        lambda: services.contract_assign_commissioner(actor=request.user, contract=c, commissioner=person),
        success=_("已指定项目专员。"),
    )
    if error is None:
        return redirect(c)
    # refused (not a commissioner, the project closed): the project's page again with the person chosen and
    # why beside the choice (400; it was a message after a redirect)
    refused = {"kind": "commissioner", "pk": person.pk, "error": error}
    return _contract_page(request, c, decision_refused=refused, status=400)


@require_POST
@login_required
def contract_action(request, pk, action):
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    reason = request.POST.get("reason", "")
    may = (
        bool(CONTRACT.transitions[action].roles & set(roles_of(request.user)))
        if action in CONTRACT.transitions
        else False
    )

    def terminate():
        # Terminating ends the project for good (no step leads back): ticked first, by one who may take it.
        if may and request.POST.get("confirm") != "1":
            raise ApplicationError(_("终止后项目不能恢复：请勾选确认后再提交。"))
        return services.contract_terminate(actor=request.user, contract=c, reason=reason)

    calls = {
        "sign": lambda: services.contract_sign(actor=request.user, contract=c),
        "terminate": terminate,
        "request_acceptance": lambda: services.acceptance_request(actor=request.user, contract=c),
    }
    if action not in calls:
        raise Http404
    # Refused (terminating without a reason, a step not open now): the project's page again, the reason typed
    # and why beside the step (400; it was a message after a redirect); taken meanwhile: by whom and when.
    answer = step(
        request,
        text_checked(request, calls[action], label=_("理由")),
        machine=CONTRACT,
        obj=c,
        action=action,
        may=may,
        typed={_("理由"): reason},
        back_url=c.get_absolute_url(),
        success=done(CONTRACT, action),
    )
    if answer is None:
        return redirect(c)
    if not isinstance(answer, str):
        return answer
    return _contract_page(
        request, c, step_refused={"action": action, "text": reason, "error": answer}, status=400
    )


@require_POST
@login_required
def change_create(request, pk):
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    refuse_unless(permissions.can_request_change(request.user, c), MSG_NOT_CONTRACTOR)
    form = ChangeRequestForm(request.POST, auto_id="change_%s", contract=c)
    if form.is_valid() and attempt(
        request,
        lambda: services.change_request_create(
            actor=request.user,
            contract=c,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            payload=form.payload(),
        ),
        success=_("变更申请已提交，等待审批。"),
        form=form,
    ):
        return redirect(c)
    # Refused: the project's page again, the request as typed and why (issue #13.4).
    return _contract_page(request, c, change_form=form, status=400)


@require_POST
@role_required(Role.STAFF)
def change_decide(request, pk):
    """Staff approve or decline a change request. Refused (declined without a reason): the project's page
    again, the note and choice as sent and why beside them (400; it was a message after a redirect, the note
    lost); decided meanwhile (a second click, another staff member's tab): by whom and when (409)."""
    cr = get_object_or_404(ChangeRequest.objects.select_related("contract"), pk=pk)
    approve = request.POST.get("approve") == "1"
    note = request.POST.get("note", "")
    answer = step(
        request,
        text_checked(
            request,
            lambda: services.change_request_decide(
                actor=request.user, change_request=cr, approve=approve, note=note
            ),
            "note",
            label=_("审批意见"),
        ),
        machine=CHANGE_REQUEST,
        obj=cr,
        action="approve" if approve else "reject",
        may=True,
        typed={_("审批意见"): note},
        back_url=cr.contract.get_absolute_url(),
        success=_("已审批。"),
    )
    if answer is None:
        return redirect(cr.contract)
    if not isinstance(answer, str):
        return answer
    refused = {"kind": "change", "pk": cr.pk, "text": note, "approve": approve, "error": answer}
    return _contract_page(request, cr.contract, decision_refused=refused, status=400)


@require_POST
@login_required
def midterm(request, pk):
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    refuse_unless(permissions.can_track_contract(request.user, c), MSG_NOT_TRACKER)
    form = MidtermForm(request.POST, request.FILES, auto_id="midterm_%s", extra_specs=_midterm_specs(c))
    if form.is_valid() and attempt(
        request,
        lambda: _with_files(
            request,
            form,
            programme.MID_TERM,
            lambda: services.midterm_check_record(
                actor=request.user,
                contract=c,
                conclusion=form.cleaned_data["conclusion"],
                notes=form.cleaned_data["notes"],
                extra=form.extra_values(),
            ),
        ),
        success=_("中期检查已记录。"),
        form=form,
    ):
        return redirect(c)
    # Refused: the project's page again, the check as typed and why.
    return _contract_page(request, c, midterm_form=form, status=400)


@role_required(Role.STAFF)
def acceptance(request, pk):
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    form = AcceptanceForm(
        request.POST or None,
        request.FILES or None,
        contract=c,
        extra_specs=programme.report_extra_fields(
            programme.project_form(c, programme.ACCEPTANCE), programme.ACCEPTANCE
        ),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if attempt(
            request,
            lambda: _with_files(
                request,
                form,
                programme.ACCEPTANCE,
                lambda: services.acceptance_record(
                    actor=request.user,
                    contract=c,
                    achieved=form.achieved(),
                    verdict=d["verdict"],
                    conditions=d["conditions"],
                    panel=d["panel"],
                    opinion=d["opinion"],
                    extra=form.extra_values(),
                ),
            ),
            success=_("验收结论已登记。"),
            form=form,
        ):
            return redirect(c)
    return render(
        request,
        "challenges/acceptance_form.html",
        {"contract": c, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _performance_specs(c, evaluation) -> list[dict]:
    form_version = evaluation.form_version if evaluation else services.performance_form(c)
    return programme.report_extra_fields(form_version, programme.PERFORMANCE)


@login_required
def performance(request, pk):
    """Fill the project's performance evaluation (绩效评价, issue #18): save the draft, or save and submit it.
    The project's commissioner or staff, after acceptance, on a list whose version has the stage."""
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    if not permissions.can_fill_performance(request.user, c):
        raise PermissionDenied(permissions.why_not_fill_performance(request.user, c))
    ev = getattr(c, "performance", None)
    why = services.why_no_performance(request.user, c)
    if ev is not None and ev.status != "draft":
        return redirect(c)
    form = PerformanceForm(
        request.POST or None,
        request.FILES or None,
        initial=PerformanceForm.initial_for(ev),
        extra_specs=_performance_specs(c, ev),
    )
    if request.method == "POST" and not why and form.is_valid():
        submit = "submit" in request.POST

        def save():
            with transaction.atomic():
                saved = _with_files(
                    request,
                    form,
                    programme.PERFORMANCE,
                    lambda: services.performance_save(
                        actor=request.user,
                        contract=c,
                        grade=form.cleaned_data["grade"],
                        values=form.extra_values(),
                    ),
                )
                if submit:
                    services.performance_submit(actor=request.user, evaluation=saved)

        if attempt(
            request,
            save,
            success=_("绩效评价已提交。") if submit else _("绩效评价草稿已保存。"),
            form=form,
        ):
            return redirect(c)
    return render(
        request,
        "challenges/performance_form.html",
        {"contract": c, "form": form, "evaluation": ev, "why_not": why},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(Role.STAFF)
def performance_decide(request, pk):
    """Staff confirm a submitted performance evaluation (final: the box ticked first), or send it back with a
    reason. Refused: the project's page again, the reason typed and why beside the step (400; it was a
    message after a redirect); decided meanwhile: by whom and when (409)."""
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    ev = getattr(c, "performance", None)
    if ev is None:
        raise Http404
    confirm = request.POST.get("decision") != "send_back"
    reason = request.POST.get("reason", "")
    action = "confirm" if confirm else "send_back"
    back = c.get_absolute_url() + "#performance"
    if confirm and not request.POST.get("confirm"):  # a confirmed evaluation is final
        if moved_on(PERFORMANCE, ev, action):
            return decided_page(request, obj=ev, back_url=back)
        answer = _("请勾选确认：绩效评价确认后不能再退回或修改。")
    else:
        answer = step(
            request,
            text_checked(
                request,
                lambda: services.performance_confirm(
                    actor=request.user, evaluation=ev, confirm=confirm, reason=reason
                ),
                label=_("退回理由"),
            ),
            machine=PERFORMANCE,
            obj=ev,
            action=action,
            may=True,
            typed={_("退回理由"): reason},
            back_url=back,
            success=_("绩效评价已确认。") if confirm else _("绩效评价已退回。"),
        )
    if answer is None:
        return redirect(back)
    if not isinstance(answer, str):
        return answer
    refused = {"kind": action, "text": reason, "error": answer}
    return _contract_page(request, c, decision_refused=refused, status=400)


@require_POST
@login_required
def result_add(request, pk):
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    if not permissions.can_record_result(request.user, c):
        raise PermissionDenied(_("您无权登记此项目的成果。"))
    form = ResultForm(request.POST, auto_id="result_%s")
    if form.is_valid() and attempt(
        request,
        lambda: services.result_record(actor=request.user, contract=c, **form.cleaned_data),
        success=_("成果已登记。"),
        form=form,
    ):
        return redirect(c)
    # Refused: the project's page again, the result as typed and why beside each field (it was a message
    # naming the fields' keys — “kind * 该字段是必填项。” — and what was typed was lost).
    return _contract_page(request, c, result_form=form, status=400)


@login_required
def transfer_add(request, pk):
    res = get_object_or_404(permissions.results_visible_to(request.user).select_related("contract"), pk=pk)
    if not permissions.can_record_result(request.user, res.contract):
        raise PermissionDenied(_("只有项目承担单位、本项目的项目专员或科技厅工作人员可以登记成果转化。"))
    form = TransferForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.transfer_record(actor=request.user, result=res, **form.cleaned_data),
            success=_("转化已登记。"),
            form=form,
        )
    ):
        return redirect(res)
    return render(request, "challenges/transfer_form.html", {"result": res, "form": form})


@login_required
def milestone_detail(request, pk):
    ms = get_object_or_404(
        Milestone.objects.select_related(
            "contract",
            "contract__unit",
            "contract__commissioner",
            "contract__challenge__programme_version",
            "form_version",
        ).prefetch_related("values__indicator"),
        pk=pk,
    )
    if not permissions.can_view_contract(request.user, ms.contract):
        raise Http404
    user = request.user
    may_report = permissions.can_report_milestone(user, ms)
    may_verify = permissions.can_verify_milestone(user, ms)
    can_report = may_report and ms.status == "target"
    can_verify = may_verify and ms.status == "reported"
    # a missing button says why: what the page waits for, and from whom
    waiting = ""
    if ms.status == "target" and may_verify and not may_report:
        waiting = _("等待承担单位报告完成情况；报告后由您核验或退回。")
    elif ms.status == "reported" and may_report and not may_verify:
        waiting = _("已报告，等待专员核验。")
    form = (
        MilestoneReportForm(
            request.POST or None,
            request.FILES or None,
            # a file the report had (a report sent back and reported again) is kept unless replaced
            initial=MilestoneReportForm.stored_files(ms.extra),
            milestone=ms,
            # the yearly-report form's staff-added fields of the list's version (issue #18)
            extra_specs=programme.report_extra_fields(
                programme.project_form(ms.contract, programme.YEARLY_REPORT), programme.YEARLY_REPORT
            ),
        )
        if can_report
        else None
    )
    refused: dict = {}
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "report" and form is not None and form.is_valid():
            if attempt(
                request,
                lambda: _with_files(
                    request,
                    form,
                    programme.YEARLY_REPORT,
                    lambda: services.milestone_report(
                        actor=user,
                        milestone=ms,
                        report=form.cleaned_data["report"],
                        values=form.values(),
                        extra=form.extra_values(),
                    ),
                ),
                success=_("已报告，等待专员核验。"),
                form=form,
            ):
                return redirect(ms)
        elif op in ("verify", "send_back"):
            # Refused (no reason to send it back): this page again, the text typed and why beside it (400;
            # it was a message after a redirect, the text lost); taken meanwhile: by whom and when (409).
            reason = request.POST.get("reason", "")
            call = services.milestone_verify if op == "verify" else services.milestone_send_back
            kwargs = {"note": reason} if op == "verify" else {"reason": reason}
            if op == "verify" and can_verify and request.POST.get("confirm") != "1":
                # 核验通过 makes the tranche payable and cannot be undone: the box ticked first (400, why
                # beside the button, the note kept)
                answer = _("没有核验：请勾选确认（核验通过后本期拨款转为可拨付，不能撤销）。")
            else:
                answer = step(
                    request,
                    text_checked(
                        request,
                        lambda: call(actor=user, milestone=ms, **kwargs),
                        label=_("核验意见") if op == "verify" else _("退回理由"),
                    ),
                    machine=MILESTONE,
                    obj=ms,
                    action=op,
                    may=may_verify,
                    typed={_("核验意见") if op == "verify" else _("退回理由"): reason},
                    back_url=ms.get_absolute_url(),
                    success=_("已核验。") if op == "verify" else _("已退回。"),
                )
            if answer is None:
                return redirect(ms)
            if not isinstance(answer, str):
                return answer
            refused = {"op": op, "reason": reason, "error": answer}
        elif op not in ("report",):
            raise PermissionDenied(_("里程碑没有这项操作。"))
    return render(
        request,
        "challenges/milestone_detail.html",
        {
            "milestone": ms,
            "contract": ms.contract,
            "form": form,
            "can_verify": can_verify,
            "waiting": waiting,
            "refused": refused,
            "machine_actions": MILESTONE.available(ms.status, roles_of(user)),
            # the report's staff-added fields, with its own form version's labels
            "extra_rows": programme.report_extra_rows(ms.form_version, programme.YEARLY_REPORT, ms.extra),
            # the reports sent back and reported again, each with its own form version (#18)
            "earlier_reports": selectors.earlier_reports(ms),
        },
        status=400 if request.method == "POST" else 200,
    )


def _with_files(request, form, purpose: str, record):
    """Record a report (`record()` returns it) and, in the same transaction, its staff-added file fields:
    each new file checked for the field's kinds and size and stored privately (services.report_field_file_set);
    a cleared (or hidden) field loses its file."""
    with transaction.atomic():
        report = record()
        for key, upload in form.extra_files().items():
            services.report_field_file_set(
                actor=request.user,
                report=report,
                purpose=purpose,
                key=key,
                data=None if upload is None else upload_bytes(upload),
                filename="" if upload is None else upload.name,
            )
    return report


@login_required
def report_file_download(request, pk):
    """A file answering a report form's file field: the project's unit, its commissioner and staff only."""
    rf = get_object_or_404(ReportFile.objects.select_related("contract"), pk=pk)
    if not permissions.can_view_contract(request.user, rf.contract):
        raise Http404
    return uploaded_file_response(rf.file, rf.original_name)


@require_POST
@role_required(Role.STAFF)
def flag_run(request):
    """Run the daily overdue / at-risk check now, as a background job with a progress page."""
    job = job_submit(
        kind="challenges.flag_milestones",
        params={},
        actor=request.user,
        title=Message(gettext_noop("里程碑逾期预警检查")),
    )
    return redirect(job.get_absolute_url())


@login_required
def contract_edit(request, pk):
    """Edit a contract's terms before signing: staff, or the project's own commissioner (optimistic lock)."""
    c = get_visible_or_404(selectors.contract_get, pk=pk, user=request.user)
    if not permissions.can_edit_contract(request.user, c) or c.status != "draft":
        raise PermissionDenied(_("只有科技厅工作人员或本项目的项目专员可以修改合同，且仅限签订前的草稿。"))
    initial = {
        f: getattr(c, f) for f in ("title", "start_date", "end_date", "budget", "budget_self", "version")
    }
    form = ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {f: d[f] for f in ("title", "start_date", "end_date", "budget", "budget_self")}

        def do():
            services.contract_update(
                actor=request.user,
                contract=c,
                expected_version=posted_version(request),
                reason=d["reason"],
                **fields,
            )

        if attempt(request, do, success=_("任务书已保存。"), form=form):
            return redirect(c)
    return render(request, "challenges/contract_form.html", {"contract": c, "form": form})
