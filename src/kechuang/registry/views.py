"""Pages of the registries: the public results search, a registration's form and review, the technology
contracts and their statistics (with the Excel a report takes)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kechuang.accounts.models import User
from kechuang.challenges import permissions as challenge_permissions
from kechuang.challenges.models import Result, Transfer
from kechuang.core.attempts import attempt
from kechuang.core.dates import year_filter
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.exports import wants_export
from kechuang.core.limits import text_checked
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.pickers import MAX_RESULTS, picker_response, search_text
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.core.services import posted_version

from . import exports, selectors, services
from .forms import RegistrationForm, TechContractForm
from .models import Industry, ResultRegistration, TechContract
from .workflow import RESULT_REGISTRATION, TECH_CONTRACT


def _fileable_results(user):
    """The results this person may register that have no registration yet (a short list per unit)."""
    visible = challenge_permissions.results_visible_to(user).filter(registration__isnull=True)
    return Result.objects.filter(
        pk__in=[r.pk for r in visible.select_related("contract") if services.can_file_registration(user, r)]
    ).order_by("-achieved_on")


# Results registration ---------------------------------------------------------------------------------------


def result_search(request):
    """The public search of registered results."""
    g = request.GET
    qs = selectors.registration_search(
        q=(g.get("q") or "").strip()[:100],
        category=g.get("category", ""),
        industry=g.get("industry", ""),
        year=g.get("year", ""),
    )
    page = Paginator(qs, 30).get_page(g.get("page"))
    mine = []
    if request.user.is_authenticated and not has_role(request.user, Role.STAFF):
        mine = selectors.registrations_visible_to(request.user).exclude(status="registered")[:50]
    queue = (
        ResultRegistration.objects.filter(status="submitted").order_by("updated_at")[:100]
        if has_role(request.user, Role.STAFF)
        else []
    )
    return render(
        request,
        "registry/result_search.html",
        {
            "page": page,
            "categories": ResultRegistration.Category.choices,
            "industries": Industry.choices,
            "mine": mine,
            "queue": queue,
            "can_file": request.user.is_authenticated
            and has_role(request.user, Role.STAFF, Role.APPLICANT, Role.COMMISSIONER),
        },
    )


def result_detail(request, pk, *, refused: dict | None = None, status: int = 200):
    """A registration's page; `refused`: a step refused (its name, the reason as typed, why), its form shown
    again with them (400)."""
    reg = get_visible_or_404(selectors.registration_get, pk=pk, user=request.user)
    roles = roles_of(request.user)
    ctx = _result_ctx(reg)
    filer = request.user.is_authenticated and services.can_file_registration(request.user, reg.result)
    shown = [t for t in RESULT_REGISTRATION.available(reg.status, roles, obj=reg, ctx=ctx)]
    blocked = RESULT_REGISTRATION.unavailable(reg.status, roles, obj=reg, ctx=ctx)
    if not filer:
        shown = [t for t in shown if t.name != "submit"]
        blocked = [(t, why) for t, why in blocked if t.name != "submit"]
    return render(
        request,
        "registry/result_detail.html",
        {
            "reg": reg,
            "actions": shown,
            "blocked": blocked,
            "can_edit": filer and reg.status in services.EDITABLE,
            "show_trail": has_role(request.user, Role.STAFF) or filer,
            "refused": refused or {},
        },
        status=status,
    )


@login_required
def result_create(request):
    choices = _fileable_results(request.user)
    initial = {}
    chosen = choices.filter(pk=request.GET.get("result") or 0).first() if request.GET.get("result") else None
    if chosen is not None:
        initial = {"result": chosen.pk, "name": chosen.title, "doi": ""}
        if chosen.identifier.startswith("10."):
            initial["doi"] = chosen.identifier
    form = RegistrationForm(request.POST or None, initial=initial, result_choices=choices)
    if request.method == "POST" and form.is_valid():
        holder = {}

        def do():
            holder["reg"] = services.registration_create(
                actor=request.user, result=form.cleaned_data["result"], **form.parties(), **form.values()
            )

        if attempt(request, do, success=_("登记表已保存为草稿，核对后请提交。"), form=form):
            return redirect(holder["reg"])
    status = 400 if request.method == "POST" else 200
    return render(request, "registry/result_form.html", {"form": form, "empty": not choices}, status=status)


@login_required
def result_edit(request, pk):
    reg = get_visible_or_404(selectors.registration_get, pk=pk, user=request.user)
    if not services.can_file_registration(request.user, reg.result) or reg.status not in services.EDITABLE:
        raise Refused(
            _("只有成果的承担单位、项目专员或科技厅工作人员可以修改登记，且仅限草稿或被退回的登记。")
        )
    form = RegistrationForm(request.POST or None, instance=ResultRegistration.objects.get(pk=reg.pk))
    if request.method == "POST" and form.is_valid():
        version = posted_version(request)

        def do():
            services.registration_update(
                actor=request.user,
                registration=reg,
                expected_version=version,
                **form.parties(),
                **form.values(),
            )

        if attempt(request, do, success=_("登记表已保存。"), form=form):
            return redirect(reg)
    status = 400 if request.method == "POST" else 200
    return render(request, "registry/result_form.html", {"form": form, "reg": reg}, status=status)


# The irreversible steps, taken only from their confirmation page (which says what will happen).
RESULT_CONFIRMED = ("approve", "revoke")
CONTRACT_CONFIRMED = ("register", "refuse")


def _result_effects(reg, action: str) -> list[str]:
    from django.conf import settings

    if action == "approve":
        return [
            _(
                "按登记年度顺序分配成果登记号（形如 CG-%(region)s-年度-序号）；登记号一经分配不再收回，撤销后也保留。"
            )
            % {"region": settings.KECHUANG_REGION_CODE},
            _("状态变为“已登记”：成果出现在公开的科技成果检索中，并进入开放数据（CERIF-XML）。"),
            _("审核意见写入登记表；此操作记入操作日志，不能撤回（只能另行撤销登记）。"),
        ]
    return [
        _("状态变为“已撤销”：成果不再出现在公开检索和开放数据中。"),
        _("登记号 %(number)s 保留在本登记上，不会分配给其他成果；撤销不能恢复。")
        % {"number": reg.number or "—"},
        _("撤销理由写入登记表，并记入操作日志。"),
    ]


def _contract_effects(c, action: str) -> list[str]:
    if action == "register":
        return [
            _("按登记年度顺序分配技术合同登记号（形如 JS-行政区划代码-年度-序号）；一经分配不再收回。"),
            _("状态变为“已登记”：合同成交额和技术交易额计入技术合同统计。"),
            _("此操作记入操作日志，不能撤回。"),
        ]
    return [
        _("状态变为“不予登记”：合同不计入技术合同统计，也不能再提交认定。"),
        _("理由写入合同记录，双方可见；此操作记入操作日志，不能撤回。"),
    ]


def _role_check(request, machine, action) -> list[str]:
    """Refuse (403) a person whose roles may never take `action`, before anything else is read or shown;
    their roles otherwise."""
    roles = roles_of(request.user)
    t = machine.get(action)
    if not set(roles) & t.roles:
        raise Refused(_("您的角色无权执行“%(action)s”。") % {"action": t.label})
    return roles


def _confirm_page(request, *, obj, machine, action, effects, action_url, back_url, ctx, error="", status=200):
    """The confirmation page of an irreversible registry step: what will happen, why it cannot happen yet
    (a missing button says why), the reason field; after a refused submit the refusal and what was typed
    (answering 400)."""
    roles = _role_check(request, machine, action)
    t = machine.get(action)
    reason = request.POST.get("reason", "") if request.method == "POST" else ""
    refused = (
        []
        if error
        else [
            r for r in machine.reasons_refused(obj.status, action, roles, obj=obj, ctx=ctx | {"reason": "x"})
        ]
    )
    return render(
        request,
        "registry/confirm.html",
        {
            "obj": obj,
            "label": t.label,
            "effects": effects,
            "refused": refused,
            "error": error,
            "needs_reason": t.needs_reason,
            "reason": reason,
            "action_url": action_url,
            "back_url": back_url,
        },
        status=status,
    )


def _refused_reason(request, fn) -> str | None:
    try:
        fn()
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        return error_text(exc)
    messages.success(request, _("操作已完成。"))
    return None


def _decided(request, obj, machine, action: str) -> bool:
    """Whether the step was already taken or overtaken (a second click, a stale tab) by someone whose role
    may take it on this object (a filer of this result or contract, or staff): the state no longer allows it.
    Anyone else's attempt is refused as before (403): a registered result is public, but who registered it
    and when is its filer's and staff's to read (the trail beside it is theirs; docs/security.md §17)."""
    user = request.user
    if not set(roles_of(user)) & machine.get(action).roles:
        return False
    if not has_role(user, Role.STAFF):
        if isinstance(obj, TechContract):
            may = services.can_file_contract(user, seller=obj.seller, buyer=obj.buyer)
        else:
            may = services.can_file_registration(user, obj.result)
        if not may:
            return False
    return moved_on(machine, obj, action)


def _result_ctx(reg) -> dict:
    return {"missing": services.missing_fields(reg)}


def _contract_ctx(c) -> dict:
    return {"amount": c.amount, "tech_amount": c.tech_amount, "same_party": c.seller_id == c.buyer_id}


@dataclass(frozen=True)
class _Steps:
    """What tells a result registration's irreversible steps from a contract's: its machine, the steps that
    ask for a confirmation first, how it is read, the service that takes a step, its url names and its page."""

    machine: object
    confirmed: tuple[str, ...]
    get: Callable
    transition: Callable  # (actor, obj, action, reason)
    confirm_name: str
    action_name: str
    effects: Callable  # (obj, action) -> list[str]
    ctx: Callable  # obj -> dict
    detail: Callable  # the object's page, answering again with `refused` and `status`


def _steps_confirm_page(request, obj, action, steps: _Steps, *, error="", status=200):
    return _confirm_page(
        request,
        obj=obj,
        machine=steps.machine,
        action=action,
        effects=steps.effects(obj, action),
        action_url=reverse(steps.action_name, args=[obj.pk, action]),
        back_url=obj.get_absolute_url(),
        ctx=steps.ctx(obj),
        error=error,
        status=status,
    )


def _step_confirm(request, pk, action, steps: _Steps):
    obj = get_visible_or_404(steps.get, pk=pk, user=request.user)
    if action not in steps.confirmed:
        raise Http404
    return _steps_confirm_page(request, obj, action, steps)


def _step_action(request, pk, action, steps: _Steps):
    """Take `action` on the registration or contract `pk`: a confirmed step not sent from its confirmation
    page goes there first; a second click or a stale tab gets the decided page; a refusal keeps the reason as
    typed and says why beside it, on the object's page or the confirmation page again (400)."""
    obj = get_visible_or_404(steps.get, pk=pk, user=request.user)
    if action not in steps.machine.transitions:
        raise Http404
    _role_check(request, steps.machine, action)
    reason = request.POST.get("reason", "")
    confirmed = action in steps.confirmed
    if confirmed and request.POST.get("confirm") != "1":  # not sent from the confirmation page: show it first
        return redirect(steps.confirm_name, obj.pk, action)
    if _decided(request, obj, steps.machine, action):  # a second click, a stale tab
        return decided_page(request, obj=obj, back_url=obj.get_absolute_url(), typed={_("理由"): reason})
    error = _refused_reason(
        request,
        text_checked(request, lambda: steps.transition(request.user, obj, action, reason), label=_("理由")),
    )
    if error is None:
        return redirect(obj)
    if _decided(request, obj, steps.machine, action):
        return decided_page(request, obj=obj, back_url=obj.get_absolute_url(), typed={_("理由"): reason})
    if not confirmed:  # the page again, the reason as typed and why beside it (400)
        return steps.detail(
            request, pk, refused={"action": action, "reason": reason, "error": error}, status=400
        )
    return _steps_confirm_page(request, obj, action, steps, error=error, status=400)


_RESULT_STEPS = _Steps(
    machine=RESULT_REGISTRATION,
    confirmed=RESULT_CONFIRMED,
    get=selectors.registration_get,
    transition=lambda actor, obj, action, reason: services.registration_transition(
        actor=actor, registration=obj, action=action, reason=reason
    ),
    confirm_name="registry:result-confirm",
    action_name="registry:result-action",
    effects=_result_effects,
    ctx=_result_ctx,
    detail=result_detail,
)


@require_GET
@login_required
def result_confirm(request, pk, action):
    return _step_confirm(request, pk, action, _RESULT_STEPS)


@require_POST
@login_required
def result_action(request, pk, action):
    return _step_action(request, pk, action, _RESULT_STEPS)


@require_GET
@login_required
def pick_people(request):
    """Completing people by name: staff find anyone; a unit user or commissioner people of the units of
    the projects they see (their own unit's people, the project's)."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    people = User.objects.filter(is_active=True, full_name__icontains=q)
    if not has_role(request.user, Role.STAFF):
        units = challenge_permissions.contracts_visible_to(request.user).values("unit_id")
        own = getattr(request.user, "unit_id", None)
        people = people.filter(Q(unit__in=units) | Q(unit_id=own)) if own else people.filter(unit__in=units)
    rows = people.select_related("unit").order_by("full_name", "pk")[:MAX_RESULTS]
    return picker_response(
        ((u.pk, " · ".join(str(p) for p in (u, u.unit) if p)) for u in rows), request=request
    )


# Technology contracts --------------------------------------------------------------------------------------


@login_required
def contract_list(request):
    if not has_role(request.user, Role.STAFF, Role.APPLICANT):
        raise Refused(_("技术合同登记只对科技厅工作人员和单位用户开放。"))
    qs = selectors.tech_contracts_visible_to(request.user).select_related("seller", "buyer")
    status = request.GET.get("status", "")
    if status in TechContract.Status.values:
        qs = qs.filter(status=status)
    if wants_export(request):
        return exports.contracts_xlsx(qs)
    page = Paginator(qs.order_by("-signed_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/contract_list.html",
        {
            "page": page,
            "statuses": TechContract.Status.choices,
            "is_staff": has_role(request.user, Role.STAFF),
        },
    )


def _transfers_open(user):
    """Transfers recorded on results this person may register, not yet filed as a contract."""
    results = challenge_permissions.results_visible_to(user)
    transfers = Transfer.objects.filter(result__in=results, tech_contract__isnull=True).select_related(
        "result__contract"
    )
    return [t for t in transfers[:200] if challenge_permissions.can_record_result(user, t.result.contract)]


@login_required
def contract_create(request):
    if not has_role(request.user, Role.STAFF, Role.APPLICANT):
        raise Refused(_("技术合同登记只对科技厅工作人员和单位用户开放。"))
    open_transfers = _transfers_open(request.user)
    transfer = None
    if request.GET.get("transfer") or request.POST.get("transfer"):
        wanted = request.GET.get("transfer") or request.POST.get("transfer")
        transfer = next((t for t in open_transfers if str(t.pk) == wanted), None)
        if transfer is None:
            raise Http404
    results = _fileable_results(request.user) | Result.objects.filter(
        pk__in=[t.result_id for t in open_transfers]
    )
    initial = services.contract_initial_from_transfer(transfer) if transfer else {}
    if not initial and getattr(request.user, "unit_id", None):
        initial = {"seller": request.user.unit_id}
    form = TechContractForm(request.POST or None, initial=initial, result_choices=results.distinct())
    if request.method == "POST" and form.is_valid():
        holder = {}
        values = form.values()

        def do():
            holder["c"] = services.contract_create(actor=request.user, transfer=transfer, **values)

        if attempt(request, do, success=_("技术合同已保存为草稿，核对后请提交认定。"), form=form):
            return redirect(holder["c"])
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "registry/contract_form.html",
        {"form": form, "transfer": transfer, "open_transfers": open_transfers if not transfer else []},
        status=status,
    )


@login_required
def contract_detail(request, pk, *, refused: dict | None = None, status: int = 200):
    """A contract's page; `refused`: a step refused, its form shown again with why (400)."""
    c = get_visible_or_404(selectors.tech_contract_get, pk=pk, user=request.user)
    roles = roles_of(request.user)
    ctx = _contract_ctx(c)
    return render(
        request,
        "registry/contract_detail.html",
        {
            "c": c,
            "actions": TECH_CONTRACT.available(c.status, roles, obj=c, ctx=ctx),
            "blocked": TECH_CONTRACT.unavailable(c.status, roles, obj=c, ctx=ctx),
            "can_edit": c.status == "draft",
            "refused": refused or {},
        },
        status=status,
    )


@login_required
def contract_edit(request, pk):
    c = get_visible_or_404(selectors.tech_contract_get, pk=pk, user=request.user)
    if c.status != "draft":
        raise Refused(_("只有草稿状态的技术合同可以修改。"))
    results = _fileable_results(request.user) | Result.objects.filter(pk=c.result_id or 0)
    form = TechContractForm(
        request.POST or None, instance=TechContract.objects.get(pk=c.pk), result_choices=results.distinct()
    )
    if request.method == "POST" and form.is_valid():
        version = posted_version(request)
        values = form.values()
        if attempt(
            request,
            lambda: services.contract_update(
                actor=request.user, contract=c, expected_version=version, **values
            ),
            success=_("技术合同已保存。"),
            form=form,
        ):
            return redirect(c)
    status = 400 if request.method == "POST" else 200
    return render(request, "registry/contract_form.html", {"form": form, "c": c}, status=status)


_CONTRACT_STEPS = _Steps(
    machine=TECH_CONTRACT,
    confirmed=CONTRACT_CONFIRMED,
    get=selectors.tech_contract_get,
    transition=lambda actor, obj, action, reason: services.contract_transition(
        actor=actor, contract=obj, action=action, reason=reason
    ),
    confirm_name="registry:contract-confirm",
    action_name="registry:contract-action",
    effects=_contract_effects,
    ctx=_contract_ctx,
    detail=contract_detail,
)


@require_GET
@login_required
def contract_confirm(request, pk, action):
    return _step_confirm(request, pk, action, _CONTRACT_STEPS)


@require_POST
@login_required
def contract_action(request, pk, action):
    return _step_action(request, pk, action, _CONTRACT_STEPS)


@role_required(Role.STAFF)
def stats(request):
    """The statistics a report quotes, from the registered contracts; `?export=xlsx` as Excel."""
    years = sorted(
        {d.year for d in TechContract.objects.filter(status="registered").dates("registered_at", "year")},
        reverse=True,
    )
    # ?year= from the list; anything else is said beside it (all years shown), never silently ignored
    year = year_filter(request, years, label=_("登记年度"), everything=True)
    data = selectors.contract_stats(year=year.value)
    if wants_export(request):
        return exports.stats_xlsx(data)
    return render(request, "registry/stats.html", {"s": data, "year_filter": year})
