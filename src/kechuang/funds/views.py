"""Money pages: the department overview, a project's money, an application's budget. Thin: each view checks
the role and the object, then a selector reads or a service writes."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.exceptions import PermissionDenied as Refused
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kechuang.challenges.models import Application, Challenge
from kechuang.core.attempts import attempt as _attempt
from kechuang.core.dates import year_filter
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.filters import choice_filter
from kechuang.core.limits import text_checked
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role, actor_roles
from kechuang.core.uploads import uploaded_file_response

from . import forms, money, permissions, selectors, services
from .models import BudgetAdjustment, FinalAccount, FundingRules, Payment
from .workflow import FINAL_ACCOUNT, PAYMENT


def _funds_visible(user, obj) -> bool:
    """A payment, adjustment or final account is visible with its contract's money."""
    return permissions.can_view_funds(user, obj.contract)


# --- the department view --------------------------------------------------------------------------------

HEADERS = [
    gettext_lazy("分组"),
    gettext_lazy("项目数"),
    gettext_lazy("已承诺（万元）"),
    gettext_lazy("可拨付（万元）"),
    gettext_lazy("已审批（万元）"),
    gettext_lazy("已拨付（万元）"),
    gettext_lazy("暂缓（万元）"),
]


@role_required(Role.STAFF)
def overview(request):
    # ?by= and ?year= from the page's lists; anything else is said beside the list, never silently ignored
    by_shown = choice_filter(request, "by", selectors.DIMENSIONS.items(), "programme", label=_("分组"))
    year_shown = year_filter(request, selectors.overview_years(), label=_("年度"), everything=True)
    by, year_n = by_shown.value, year_shown.value
    rows = selectors.overview(by=by, year=year_n)
    export = request.GET.get("export") == "xlsx"
    refused = bool(by_shown.error or year_shown.error)  # an export asked for a value the lists do not hold
    if export and not refused:
        return xlsx_response(
            _("经费拨付情况-%(by)s.xlsx") % {"by": selectors.DIMENSIONS[by]},
            [selectors.DIMENSIONS[by], *HEADERS[1:]],
            (
                [
                    r.label,
                    r.projects,
                    *(money.yuan_to_wan(v) for v in (r.committed, r.payable, r.approved, r.paid, r.withheld)),
                ]
                for r in rows
            ),
            sheet_title=str(_("经费拨付")),
        )
    totals = {
        k: sum((getattr(r, k) for r in rows), money.ZERO)
        for k in ("committed", "payable", "approved", "paid", "withheld")
    }
    # each project falls in exactly one group whatever the grouping (its track, year, unit or itself)
    totals["projects"] = sum(r.projects for r in rows)
    return render(
        request,
        "funds/overview.html",
        {
            "rows": rows[:500],
            "by": by,
            "year": year_n,
            "by_filter": by_shown,
            "year_filter": year_shown,
            "dimensions": selectors.DIMENSIONS,
            "totals": totals,
        },
        status=400 if export and refused else 200,
    )


# --- an application's budget ---------------------------------------------------------------------------


def _rules_attempt(request, fn, *, success: str, place):
    """core.attempts.attempt for the money forms: a permission refusal answers 403; a rule refusal is put where
    it belongs by `place(exc)` — each reason beside the field it concerns (`_beside`, `_beside_lines`), not
    atop the page — and gives None, the form re-shown as typed; done, `success` as a message and the result."""
    try:
        result = fn()
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        place(exc)
        return None
    if success:
        messages.success(request, success)
    return True if result is None else result


def _beside(form, exc) -> None:
    """A refusal's reasons beside the fields they concern (the error's `fields`); the whole above the form when
    it names none, or names one the form does not show (then the fields it shows have theirs beside them too)."""
    named = getattr(exc, "fields", None) or {}
    shown = {k: v for k, v in named.items() if k in form.fields and not form.fields[k].widget.is_hidden}
    whole = named.get(NON_FIELD_ERRORS, [])
    for name, errors in shown.items():
        form.add_error(name, list(errors) if isinstance(errors, list | tuple) else [errors])
    if not named or set(named) - set(shown) - {NON_FIELD_ERRORS}:
        form.add_error(None, error_text(exc))
    elif whole:
        form.add_error(None, list(whole))


def _beside_lines(formset, exc) -> None:
    """A budget's refusal on its table: a line's reason beside that line's fiscal amount, the sum's beside the
    total (`formset.total_errors`), the rest above the table (`formset.refusals`)."""
    named = getattr(exc, "fields", None) or {}
    rows = {f.line_code(): f for f in formset.forms}
    formset.total_errors, formset.refusals = [], []
    unplaced = not named
    for where, errors in named.items():
        errors = list(errors) if isinstance(errors, list | tuple) else [errors]
        if where in rows:
            rows[where].add_error("fiscal", errors)
        elif where == money.TOTAL:
            formset.total_errors += errors
        elif where == NON_FIELD_ERRORS:
            formset.refusals += errors
        else:
            unplaced = True
    if unplaced:
        formset.refusals = [error_text(exc)]


@login_required
def application_budget(request, pk):
    application = get_visible_or_404(
        Application.objects.select_related("challenge", "unit"),
        user=request.user,
        visible=permissions.can_view_budget,
        pk=pk,
    )
    if not permissions.can_edit_budget(request.user, application):
        raise Refused(_("只有揭榜单位可在申请提交前填写经费预算。"))
    rows = selectors.budget_rows(application=application)
    if request.method == "POST":
        formset = forms.BudgetLinesFormSet(request.POST, prefix="budget")
        if formset.is_valid():
            lines = [
                {
                    **f.cleaned_data,
                    "fiscal": f.cleaned_data.get("fiscal") or 0,
                    "self_raised": f.cleaned_data.get("self_raised") or 0,
                }
                for f in formset.forms
                if f.cleaned_data.get("fiscal") or f.cleaned_data.get("self_raised")
            ]
            # the lines saved (an empty list when every line was cleared) or None when refused
            saved = _rules_attempt(
                request,
                lambda: services.application_budget_set(
                    actor=request.user, application=application, lines=lines
                ),
                success=_("经费预算已保存。"),
                place=lambda exc: _beside_lines(formset, exc),
            )
            if saved is not None:
                return redirect(application.get_absolute_url())
    else:
        formset = forms.BudgetLinesFormSet(initial=forms.budget_initial(rows), prefix="budget")
    rules = selectors.rules_for(application.challenge)
    return render(
        request,
        "funds/budget_form.html",
        {
            "back": application,
            "back_url": application.get_absolute_url(),
            "total": application.budget_requested,
            "formset": formset,
            "rules": rules,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.STAFF)
def contract_budget(request, pk):
    contract = get_visible_or_404(selectors.contract_get, user=request.user, pk=pk)
    if request.method == "POST":
        formset = forms.BudgetLinesFormSet(request.POST, prefix="budget")
        if formset.is_valid():
            lines = [
                {
                    **f.cleaned_data,
                    "fiscal": f.cleaned_data.get("fiscal") or 0,
                    "self_raised": f.cleaned_data.get("self_raised") or 0,
                }
                for f in formset.forms
                if f.cleaned_data.get("fiscal") or f.cleaned_data.get("self_raised")
            ]
            saved = _rules_attempt(  # as above: [] is saved, None refused
                request,
                lambda: services.contract_budget_set(actor=request.user, contract=contract, lines=lines),
                success=_("任务书预算已保存。"),
                place=lambda exc: _beside_lines(formset, exc),
            )
            if saved is not None:
                return redirect("funds:contract", pk=contract.pk)
    else:
        formset = forms.BudgetLinesFormSet(
            initial=forms.budget_initial(selectors.budget_rows(contract=contract)), prefix="budget"
        )
    return render(
        request,
        "funds/budget_form.html",
        {
            "back": contract,
            "back_url": reverse("funds:contract", args=[contract.pk]),
            "total": contract.budget,
            "formset": formset,
            "rules": selectors.rules_for(contract.challenge),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.STAFF)
def rules(request, pk):
    challenge = get_object_or_404(Challenge, pk=pk)
    row = FundingRules.objects.filter(challenge=challenge).first()
    current = row.as_rules() if row else money.Rules()
    if request.method == "POST":
        form = forms.RulesForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            ok = _attempt(
                request,
                lambda: services.rules_set(
                    actor=request.user,
                    challenge=challenge,
                    indirect_max_pct=d["indirect_max_pct"],
                    adjust_small_pct=d["adjust_small_pct"],
                    adjust_small_amount=d["adjust_small_amount"],
                    expected_version=d.get("version"),
                ),
                success=_("经费规则已保存。"),
                form=form,
            )
            if ok:
                return redirect(challenge.get_absolute_url())
    else:
        form = forms.RulesForm(
            initial={
                "indirect_max_pct": current.indirect_max_pct,
                "adjust_small_pct": current.adjust_small_pct,
                "adjust_small_amount": money.yuan_to_wan(current.adjust_small_amount),
                "version": row.version if row else None,
            }
        )
    return render(
        request,
        "funds/rules_form.html",
        {"challenge": challenge, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- a project's money ------------------------------------------------------------------------------------


@login_required
def contract_funds(request, pk):
    contract = get_visible_or_404(selectors.contract_get, user=request.user, pk=pk)
    return _contract_page(request, contract)


def _contract_page(request, contract, *, kept=None):
    """A project's money page. `kept`: what a refused submit re-shows (issue #13.4) — the bound form under
    its context name (its panel opens with the person's input and the reasons), or the reason or note typed
    into a row's action (with the row's payment or adjustment and the action); the page then answers 400."""
    kept = kept or {}
    user = request.user
    data = selectors.funds_page(contract)
    roles = actor_roles(user)
    payments = [
        {
            "p": p,
            "actions": [
                t
                for t in PAYMENT.available(
                    p.status,
                    roles,
                    obj=p,
                    ctx={
                        "milestone_verified": p.milestone.status == "verified",
                        "contract_status": contract.status,
                    },
                )
                if t.name not in ("pay", "due")
            ],
            "can_pay": p.status == "approved" and permissions.can_manage_payments(user),
        }
        for p in data["payments"]
    ]
    manages = permissions.can_manage_payments(user)
    for row in payments:  # a missing button says why: a tranche waits for its milestone's verification
        p = row["p"]
        row["why"] = ""
        if manages and p.milestone.status != "verified":
            if p.status == "withheld":
                row["why"] = _("里程碑核验通过后方可恢复拨付。")
            elif p.status == "planned":
                row["why"] = _("里程碑核验通过后转为可拨付。")
    fa = data["final_account"]
    # a row action refused whose button the page no longer shows (a tranche not yet reinstatable, a decided
    # adjustment): why, in that row
    refused = kept.get("error", "")
    for row in payments:
        mine = kept.get("payment") == row["p"].pk and kept.get("action") not in {
            t.name for t in row["actions"]
        }
        row["refused"] = refused if mine else ""
    final_actions = (
        FINAL_ACCOUNT.available(fa.status, roles, obj=fa, ctx={"contract_status": contract.status})
        if fa
        else []
    )
    final_refused = (
        refused
        if not kept.get("payment") and kept.get("action") not in {None, *(t.name for t in final_actions)}
        else ""
    )
    can_decide = permissions.can_decide_adjustment(user, contract)
    adjustment_refused = {
        a.pk: refused
        for a in data["adjustments"]
        if kept.get("adjustment") == a.pk
        and not (
            can_decide
            and a.status == "pending"
            and not (a.large and not permissions.can_manage_payments(user))
        )
    }
    forms_shown = {
        "pay_form": forms.ConfirmPayForm(auto_id="pay_%s"),
        "reason_form": forms.ReasonForm(auto_id="reason_%s"),
        "cofunding_form": forms.CofundingForm(auto_id="co_%s"),
        "spending_form": forms.SpendingForm(auto_id="sp_%s"),
        "adjustment_form": forms.AdjustmentForm(auto_id="adj_%s"),
        "final_form": forms.FinalAccountForm(
            auto_id="fa_%s",
            initial={"handling": fa.handling if fa else "no_balance", "note": fa.note if fa else ""},
        ),
    }
    forms_shown.update({k: v for k, v in kept.items() if k.endswith("_form")})
    return render(
        request,
        "funds/contract.html",
        {
            "contract": contract,
            **data,
            "payments": payments,
            "is_staff": permissions.can_manage_payments(user),
            **forms_shown,
            "kept": kept,
            "can_report": permissions.can_report_spending(user, contract),
            "can_adjust": permissions.can_request_adjustment(user, contract),
            "can_decide": can_decide,
            "final_refused": final_refused,
            "adjustment_refused": adjustment_refused,
            "can_final": permissions.can_edit_final_account(user, contract)
            and contract.status in ("acceptance", "finished", "failed"),
            "final_actions": final_actions,
            "can_open": permissions.can_manage_payments(user)
            and not data["payments"]
            and contract.status != "draft",
        },
        status=400 if kept else 200,
    )


def _submit(request, contract, name, form, fn, *, success, **row):
    """One refused-or-done answer for the money page's forms: an invalid form or a refused write re-shows
    the page with the form as typed and the reasons beside it (400), once: not again in a message."""
    if form.is_valid() and _rules_attempt(
        request, lambda: fn(form.cleaned_data), success=success, place=lambda exc: _beside(form, exc)
    ):
        return redirect("funds:contract", pk=contract.pk)
    return _contract_page(request, contract, kept={name: form, **row})


def _row_action(request, contract, fn, *, success, **typed):
    """A row's action (a payment's or the final account's transition, an adjustment's decision): refused,
    the page comes back with the reason or note as typed in that row's field and why beside it (400), not in
    the page's messages at its top."""
    refusal = RowRefusal({})  # bound, empty: it holds only the refusal
    if _attempt(request, fn, success=success, form=refusal):
        return redirect("funds:contract", pk=contract.pk)
    return _contract_page(request, contract, kept={**typed, "error": refusal.said()})


class RowRefusal(django_forms.Form):
    """Holds a row action's refusal for `attempt` (it has no form of its own): the reasons, said by the row."""

    def said(self) -> str:
        return " ".join(str(e) for e in self.non_field_errors())


@require_POST
@role_required(Role.STAFF)
def ledger_open(request, pk):
    contract = get_visible_or_404(selectors.contract_get, user=request.user, pk=pk)
    _attempt(
        request,
        lambda: services.ledger_open(actor=request.user, contract=contract),
        success=_("经费台账已建立。"),
    )
    return redirect("funds:contract", pk=contract.pk)


# A tranche's actions that ask for the box on the page ticked, each with why when it is not.
UNCONFIRMED = {
    "approve": gettext_lazy("请勾选确认：审批后本期经费即可登记拨付。"),
    "withhold": gettext_lazy("请勾选确认：暂缓后本期经费停止拨付，恢复后方可继续。"),
}


@require_POST
@login_required
def payment_action(request, pk, action):
    payment = get_visible_or_404(
        Payment.objects.select_related("contract", "milestone"),
        user=request.user,
        visible=_funds_visible,
        pk=pk,
    )
    if not permissions.can_manage_payments(request.user):
        raise Refused(_("您无权处理此项目的经费。"))
    if action not in PAYMENT.transitions or action == "due":
        raise Http404
    success = _("已%(action)s。") % {"action": PAYMENT.get(action).label}
    if action == "pay":
        form = forms.ConfirmPayForm(request.POST, request.FILES, auto_id="pay_%s")

        def pay(d):
            f = d["voucher"]
            services.payment_transition(
                actor=request.user,
                payment=payment,
                action=action,
                reason="",
                paid_on=d["paid_on"],
                paid_amount=d["paid_amount"],
                voucher=(f.read(), f.name),
            )

        return _submit(
            request, payment.contract, "kept_pay_form", form, pay, success=success, payment=payment.pk
        )
    reason = request.POST.get("reason", "")

    def act():
        # approving or withholding a tranche moves money or stops it: the box ticked, as for a final account
        if action in UNCONFIRMED and not request.POST.get("confirm"):
            raise ApplicationError(UNCONFIRMED[action], code="unconfirmed")
        return services.payment_transition(actor=request.user, payment=payment, action=action, reason=reason)

    return _row_action(
        request,
        payment.contract,
        text_checked(request, act, label=_("理由")),
        success=success,
        payment=payment.pk,
        action=action,
        reason=reason,
    )


@login_required
def voucher(request, pk):
    payment = get_visible_or_404(
        Payment.objects.select_related("contract"),
        user=request.user,
        visible=lambda user, p: permissions.can_read_voucher(user, p.contract),
        pk=pk,
    )
    if not payment.voucher:
        raise Http404
    return uploaded_file_response(payment.voucher, payment.voucher_name or payment.voucher.name)


@require_POST
@role_required(Role.STAFF)
def cofunding(request, pk):
    contract = get_visible_or_404(selectors.contract_get, user=request.user, pk=pk)
    return _submit(
        request,
        contract,
        "cofunding_form",
        forms.CofundingForm(request.POST, auto_id="co_%s"),
        lambda d: services.cofunding_record(
            actor=request.user,
            contract=contract,
            amount_yuan=d["amount"],
            received_on=d["received_on"],
            note=d["note"],
        ),
        success=_("联合出资到账已登记。"),
    )


@require_POST
@login_required
def spending(request, pk):
    contract = get_visible_or_404(selectors.contract_get, user=request.user, pk=pk)
    if not permissions.can_report_spending(request.user, contract):
        raise Refused(_("您无权处理此项目的经费。"))
    form = forms.SpendingForm(request.POST, auto_id="sp_%s")
    return _submit(
        request,
        contract,
        "spending_form",
        form,
        lambda d: services.spending_report_set(
            actor=request.user,
            contract=contract,
            year=d["year"],
            quarter=d["quarter"],
            lines=form.lines(),
            note=d["note"],
        ),
        success=_("经费执行情况已报告。"),
    )


@require_POST
@login_required
def adjustment_create(request, pk):
    contract = get_visible_or_404(selectors.contract_get, user=request.user, pk=pk)
    if not permissions.can_request_adjustment(request.user, contract):
        raise Refused(_("您无权处理此项目的经费。"))
    return _submit(
        request,
        contract,
        "adjustment_form",
        forms.AdjustmentForm(request.POST, auto_id="adj_%s"),
        lambda d: services.adjustment_request(
            actor=request.user,
            contract=contract,
            source=d["source"],
            target=d["target"],
            amount_yuan=d["amount"],
            reason=d["reason"],
        ),
        success=_("预算调整申请已提交。"),
    )


@require_POST
@login_required
def adjustment_decide(request, pk):
    adj = get_visible_or_404(
        BudgetAdjustment.objects.select_related("contract", "contract__challenge"),
        user=request.user,
        visible=_funds_visible,
        pk=pk,
    )
    if not permissions.can_decide_adjustment(request.user, adj.contract):
        raise Refused(_("您无权处理此项目的经费。"))
    note = request.POST.get("note", "")
    return _row_action(
        request,
        adj.contract,
        text_checked(
            request,
            lambda: services.adjustment_decide(
                actor=request.user, adjustment=adj, approve=request.POST.get("approve") == "1", note=note
            ),
            "note",
            label=_("审批意见"),
        ),
        success=_("预算调整已审批。"),
        adjustment=adj.pk,
        note=note,
    )


@require_POST
@login_required
def final_account(request, pk):
    contract = get_visible_or_404(selectors.contract_get, user=request.user, pk=pk)
    if not permissions.can_edit_final_account(request.user, contract):
        raise Refused(_("您无权处理此项目的经费。"))
    return _submit(
        request,
        contract,
        "final_form",
        forms.FinalAccountForm(request.POST, auto_id="fa_%s"),
        lambda d: services.final_account_draft(
            actor=request.user, contract=contract, handling=d["handling"], note=d["note"]
        ),
        success=_("决算已保存。"),
    )


@require_POST
@login_required
def final_action(request, pk, action):
    fa = get_visible_or_404(
        FinalAccount.objects.select_related("contract"), user=request.user, visible=_funds_visible, pk=pk
    )
    if action not in FINAL_ACCOUNT.transitions:
        raise Http404
    reason = request.POST.get("reason", "")

    def act():
        # a confirmed final account is final: the box ticked (after the permission: others are refused as such)
        if (
            action == "confirm"
            and not request.POST.get("confirm")
            and permissions.can_confirm_final_account(request.user)
        ):
            raise ApplicationError(_("请勾选确认：决算确认后不能再退回或修改。"), code="unconfirmed")
        return services.final_account_transition(actor=request.user, account=fa, action=action, reason=reason)

    return _row_action(
        request,
        fa.contract,
        text_checked(request, act, label=_("理由")),
        success=_("已%(action)s。") % {"action": FINAL_ACCOUNT.get(action).label},
        action=action,
        reason=reason,
    )
