"""Pages of the registries: the public results search, a registration's form and review, the technology
contracts and their statistics (with the Excel a report takes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kechuang.accounts.models import User
from kechuang.challenges import permissions as challenge_permissions
from kechuang.challenges.models import Result, Transfer
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.exports import wants_export
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.pickers import MAX_RESULTS, picker_response, search_text
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.core.services import posted_version

from . import exports, selectors, services
from .forms import RegistrationForm, TechContractForm
from .models import Industry, ResultRegistration, TechContract
from .workflow import RESULT_REGISTRATION, TECH_CONTRACT


def attempt(request, fn, *, success: str = "", form=None) -> bool:
    try:
        fn()
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        if form is not None:
            form.add_error(None, error_text(exc))
        else:
            messages.error(request, error_text(exc))
        return False
    if success:
        messages.success(request, success)
    return True


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


def result_detail(request, pk):
    reg = get_visible_or_404(selectors.registration_get, pk=pk, user=request.user)
    roles = roles_of(request.user)
    ctx = {"missing": services.missing_fields(reg)}
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
        },
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
        raise Refused("not editable")
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


@require_POST
@login_required
def result_action(request, pk, action):
    reg = get_visible_or_404(selectors.registration_get, pk=pk, user=request.user)
    if action not in RESULT_REGISTRATION.transitions:
        raise Http404
    if action in ("approve", "revoke") and request.POST.get("confirm") != "1":
        messages.error(request, _("请勾选确认后再提交。"))
        return redirect(reg)
    attempt(
        request,
        lambda: services.registration_transition(
            actor=request.user, registration=reg, action=action, reason=request.POST.get("reason", "")
        ),
        success=_("操作已完成。"),
    )
    return redirect(reg)


@require_GET
@login_required
def pick_people(request):
    """Completing people by name: staff find anyone; a unit user or commissioner people of the units of
    the projects they see (their own unit's people, the project's)."""
    q = search_text(request)
    if not q:
        return picker_response([])
    people = User.objects.filter(is_active=True, full_name__icontains=q)
    if not has_role(request.user, Role.STAFF):
        units = challenge_permissions.contracts_visible_to(request.user).values("unit_id")
        own = getattr(request.user, "unit_id", None)
        people = people.filter(Q(unit__in=units) | Q(unit_id=own)) if own else people.filter(unit__in=units)
    rows = people.select_related("unit").order_by("full_name", "pk")[:MAX_RESULTS]
    return picker_response((u.pk, " · ".join(str(p) for p in (u, u.unit) if p)) for u in rows)


# Technology contracts --------------------------------------------------------------------------------------


@login_required
def contract_list(request):
    if not has_role(request.user, Role.STAFF, Role.APPLICANT):
        raise Refused("role")
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
        raise Refused("role")
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
def contract_detail(request, pk):
    c = get_visible_or_404(selectors.tech_contract_get, pk=pk, user=request.user)
    roles = roles_of(request.user)
    ctx = {"amount": c.amount, "tech_amount": c.tech_amount, "same_party": c.seller_id == c.buyer_id}
    return render(
        request,
        "registry/contract_detail.html",
        {
            "c": c,
            "actions": TECH_CONTRACT.available(c.status, roles, obj=c, ctx=ctx),
            "blocked": TECH_CONTRACT.unavailable(c.status, roles, obj=c, ctx=ctx),
            "can_edit": c.status == "draft",
        },
    )


@login_required
def contract_edit(request, pk):
    c = get_visible_or_404(selectors.tech_contract_get, pk=pk, user=request.user)
    if c.status != "draft":
        raise Refused("not editable")
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


@require_POST
@login_required
def contract_action(request, pk, action):
    c = get_visible_or_404(selectors.tech_contract_get, pk=pk, user=request.user)
    if action not in TECH_CONTRACT.transitions:
        raise Http404
    if action in ("register", "refuse") and request.POST.get("confirm") != "1":
        messages.error(request, _("请勾选确认后再提交。"))
        return redirect(c)
    attempt(
        request,
        lambda: services.contract_transition(
            actor=request.user, contract=c, action=action, reason=request.POST.get("reason", "")
        ),
        success=_("操作已完成。"),
    )
    return redirect(c)


@role_required(Role.STAFF)
def stats(request):
    """The statistics a report quotes, from the registered contracts; `?export=xlsx` as Excel."""
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and len(raw) == 4 else None
    data = selectors.contract_stats(year=year)
    if wants_export(request):
        return exports.stats_xlsx(data)
    years = sorted(
        {d.year for d in TechContract.objects.filter(status="registered").dates("registered_at", "year")},
        reverse=True,
    )
    return render(request, "registry/stats.html", {"s": data, "years": years})
