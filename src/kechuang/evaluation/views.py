"""Pages of evaluation campaigns. Thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.challenges.permissions import can_view_contract
from kechuang.core.attempts import english_name_post
from kechuang.core.dates import when_text
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.display import actor_words
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError
from kechuang.core.limits import text_checked
from kechuang.core.models import AuditEvent
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role, has_role
from kechuang.core.workflow import done
from kechuang.platforms.models import Platform
from kechuang.platforms.selectors import accepted_report

from . import permissions, selectors, services
from .display import METHODS, leaf_head
from .forms import CampaignForm, CampaignNameEnForm, ContractsForm, EntriesForm, NodeForm
from .models import Campaign, Entry, IndicatorNode
from .workflow import CAMPAIGN_MACHINE


def _err(exc) -> str:
    return (
        str(exc.message)
        if isinstance(exc, ApplicationError)
        else _("；").join(getattr(exc, "messages", [str(exc)]))
    )


def campaign_list(request):
    return render(
        request,
        "evaluation/list.html",
        {
            "page": Paginator(selectors.campaign_list(user=request.user), 50).get_page(
                request.GET.get("page")
            ),
            "can_manage": permissions.can_manage_campaign(request.user),
        },
    )


@role_required(Role.STAFF)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.campaign_create(actor=request.user, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, _err(exc))
        else:
            return redirect(c)
    # Refused: the form again as typed, with why (400).
    return render(
        request,
        "evaluation/form.html",
        {"form": form, "title": _("新建评估活动")},
        status=400 if form.errors else 200,
    )


def campaign_detail(request, pk):
    return _detail_page(
        request, get_visible_or_404(Campaign, user=request.user, visible=permissions.can_view_campaign, pk=pk)
    )


@role_required(Role.STAFF)
@require_POST
def campaign_name_en(request, pk):
    """Save a campaign's English name (any status); refused: the campaign page with the name as typed (400)."""
    c = get_object_or_404(Campaign, pk=pk)
    return english_name_post(
        request,
        c,
        form=CampaignNameEnForm(request.POST),
        save=lambda d: services.campaign_translate(actor=request.user, campaign=c, name_en=d["name_en"]),
        refused=lambda form: _detail_page(request, c, name_form=form, status=400),
    )


def _round(pk):
    """The campaign's expert review round, named on its page by its title (never its id)."""
    from kechuang.review.models import Round

    return Round.objects.filter(pk=pk).first()


def _detail_page(
    request,
    c,
    *,
    node_form=None,
    entries_form=None,
    contracts_form=None,
    name_form=None,
    refused=None,
    status: int = 200,
):
    """The campaign's page; a refused indicator or entries form is shown again as typed (issue #13.4), and a
    refused step (`refused`: where — "action", "weight", "remove", "tree" —, the action or node, what was typed,
    why) beside its form, what was typed kept (400)."""
    internal = permissions.can_view_internal(request.user, c)
    manage = permissions.can_manage_campaign(request.user, c)
    show_results = internal or c.status == Campaign.Status.PUBLISHED
    results = list(selectors.results(campaign=c)) if show_results else []
    if request.GET.get("export") == "xlsx" and show_results:
        rows = [
            [
                r.rank,
                r.entry.subject_code,
                r.entry.subject_name,
                str(r.entry.subject_unit),
                float(r.total),
                r.get_grade_display(),
            ]
            for r in results
        ]
        headers = (
            [_("排名"), _("任务书编号"), _("项目"), _("承担单位"), _("总分"), _("等级")]
            if c.is_project
            else [_("排名"), _("平台编号"), _("平台"), _("依托单位"), _("总分"), _("等级")]
        )
        return xlsx_response(
            "evaluation-results.xlsx",
            headers,
            rows,
            sheet_title=str(_("项目绩效评价结果")) if c.is_project else _("评估结果"),
        )
    comp = selectors.latest_computation(campaign=c) if internal else None
    leaves = list(selectors.leaves(campaign=c))
    table = selectors.score_table(campaign=c) if internal else {}
    entries = list(selectors.entries(campaign=c, user=request.user))
    # A project's contract indicators (its own leaves) summed up in one column: how many lack a value.
    tree = selectors.tree(campaign=c)
    groups = [n for n in tree if n["node"].expands] if c.is_project else []
    missing = selectors.missing_indicators(campaign=c) if internal and groups and table else {}
    rows = [
        {
            "entry": e,
            "values": [table.get(e.pk, {}).get(n.code) for n in leaves],
            "missing": missing.get(e.pk),
        }
        for e in entries
    ]
    grades = {}
    for r in results:
        grades[r.get_grade_display()] = grades.get(r.get_grade_display(), 0) + 1
    facts = selectors.campaign_facts(c) if manage else None
    return render(
        request,
        "evaluation/detail.html",
        {
            "campaign": c,
            "review_round": _round(c.review_round_id) if internal and c.review_round_id else None,
            # the round's page is staff's (review.round_detail): others read its name, not a link that refuses
            "round_link": has_role(request.user, Role.STAFF),
            "internal": internal,
            "manage": manage,
            "tree": tree,
            "leaves": leaves,
            "leaf_heads": [leaf_head(n) for n in leaves],
            "own_groups": bool(groups) and bool(table),
            "rows": rows,
            "results": results,
            "computation": comp,
            # the method in words, not its code (people38: the page read “计算方法 weighted-tree-v2”)
            "computation_method": METHODS.get(comp.method, comp.method) if comp else "",
            "reproducible": services.computation_verify(computation=comp) if comp else None,
            "transitions": [
                t
                for t in CAMPAIGN_MACHINE.available(
                    c.status, {Role.STAFF} if manage else set(), obj=c, ctx=facts
                )
                if t.name != "computed"
            ],
            "blocked": [
                (t, why)
                for t, why in CAMPAIGN_MACHINE.unavailable(
                    c.status, {Role.STAFF} if manage else set(), obj=c, ctx=facts
                )
                if t.name != "computed"
            ],
            "node_form": node_form or NodeForm(campaign=c),
            "name_form": (name_form or CampaignNameEnForm(initial={"name_en": c.name_en}))
            if manage
            else None,
            "refused": refused or {},
            "entries_form": (
                entries_form or EntriesForm(initial={"platforms": [e.platform for e in entries]})
            )
            if not c.is_project
            else None,
            "contracts_form": (
                contracts_form or ContractsForm(initial={"contracts": [e.contract for e in entries]})
            )
            if c.is_project
            else None,
            "chart": {
                "names": [r.entry.subject_short for r in results],
                "totals": [float(r.total) for r in results],
                "grades": [{"name": k, "value": v} for k, v in grades.items()],
            },
        },
        status=status,
    )


def entry_detail(request, pk):
    entry = get_visible_or_404(
        Entry.objects.select_related(
            "campaign", "platform", "platform__host", "contract", "contract__unit", "contract__leader"
        ),
        pk=pk,
        user=request.user,
        visible=permissions.can_view_entry,
    )
    return _entry_page(request, entry)


def _entry_page(request, entry, *, weight_error=None, status: int = 200):
    """An entry's page; a refused weight is shown again as typed with why (400)."""
    scores = list(
        entry.scores.filter(node__entry__isnull=True).select_related("node").order_by("node__order")
    )
    internal = permissions.can_view_internal(request.user, entry.campaign)
    published = entry.campaign.status == Campaign.Status.PUBLISHED
    sees_project = bool(entry.contract_id) and can_view_contract(request.user, entry.contract)
    return render(
        request,
        "evaluation/entry.html",
        {
            "entry": entry,
            "report": None
            if entry.contract_id
            else accepted_report(platform_id=entry.platform_id, year=entry.campaign.year),
            "internal": internal,
            "scores": scores,
            # A project's contract indicators, one leaf each (target, reached or missing, direction, degree,
            # score, weight): for those who see the project itself (staff, its commissioner, its unit).
            "own": selectors.own_leaves(entry=entry)
            if entry.contract_id and (sees_project or internal)
            else [],
            # An evaluation made before the indicators were leaves: the averaged leaf's detail as collected.
            "indicators": selectors.collected_indicators(scores) if sees_project else [],
            "can_weigh": entry.campaign.status == Campaign.Status.DRAFT
            and permissions.can_manage_campaign(request.user, entry.campaign),
            "weight_error": weight_error,
            "result": selectors.results(campaign=entry.campaign).filter(entry=entry).first()
            if internal or published
            else None,
        },
        status=status,
    )


@role_required(Role.STAFF)
@require_POST
def node_weight(request, pk, node_pk):
    """Staff change one indicator's weight before the evaluation opens (a project's contract indicator on
    its entry page, or a node of the common tree on the campaign page); a refusal keeps the typed weight."""
    node = get_object_or_404(
        IndicatorNode.objects.select_related("campaign", "entry", "entry__contract"),
        pk=node_pk,
        campaign_id=pk,
    )
    typed = request.POST.get("weight", "")
    try:
        services.node_weight_set(actor=request.user, node=node, weight=typed)
    except (ApplicationError, ValidationError) as exc:
        if node.entry_id is None:  # the campaign's page again, the weight as typed beside its row (400)
            refused = {"where": "weight", "node": node.pk, "value": typed, "error": _err(exc)}
            return _detail_page(request, node.campaign, refused=refused, status=400)
        entry = get_object_or_404(
            Entry.objects.select_related(
                "campaign", "platform", "platform__host", "contract", "contract__unit", "contract__leader"
            ),
            pk=node.entry_id,
        )
        return _entry_page(
            request, entry, weight_error={"node": node.pk, "value": typed, "message": _err(exc)}, status=400
        )
    messages.success(request, _("权重已修改。"))
    return redirect(node.entry.get_absolute_url() if node.entry_id else node.campaign.get_absolute_url())


def _k(raw) -> int:
    raw = str(raw or "3").strip()
    if not raw.isdecimal() or not 1 <= int(raw) <= 20:
        raise ApplicationError(_("每个平台的专家数应为 1–20 的整数。"), code="invalid")
    return int(raw)


def _post_action(request, pk, func, *, refused: dict, transition: str = ""):
    """Run a step on the campaign. Refused: the campaign's page again with why beside the step's form and what
    was typed kept (`refused`: where and what; 400). A lifecycle `transition` someone already took (a second
    click, a stale tab): who took it and when, the reason typed kept (409)."""
    c = get_object_or_404(Campaign, pk=pk)
    typed = {_("理由"): refused.get("reason", "")}
    if transition and moved_on(CAMPAIGN_MACHINE, c, transition):
        return decided_page(request, obj=c, back_url=c.get_absolute_url(), typed=typed)
    try:
        func(c)
    except (ApplicationError, ValidationError) as exc:
        if transition and moved_on(CAMPAIGN_MACHINE, c, transition):
            return decided_page(request, obj=c, back_url=c.get_absolute_url(), typed=typed)
        c.refresh_from_db()
        return _detail_page(request, c, refused={**refused, "error": _err(exc)}, status=400)
    messages.success(request, done(CAMPAIGN_MACHINE, transition) if transition else _("操作已完成。"))
    return redirect(c)


@role_required(Role.STAFF)
@require_POST
def node_add(request, pk):
    c = get_object_or_404(Campaign, pk=pk)
    form = NodeForm(request.POST, campaign=c)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["parent"] = data["parent"] or None
        try:
            services.node_add(actor=request.user, campaign=c, **data)
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, _err(exc))
        else:
            messages.success(request, _("操作已完成。"))
            return redirect(c)
    # Refused: the page again with the indicator as typed and why.
    return _detail_page(request, c, node_form=form, status=400)


@role_required(Role.STAFF)
@require_POST
def node_remove(request, pk, node_pk):
    """Removing an indicator (its parameters and its sub-indicators) cannot be undone: the page asks first (删除
    opens 确认删除“…”); a post without that answer removes nothing and says so beside the row (400). An
    indicator already removed (a second click, a stale tab): who removed it and when (409)."""
    node = IndicatorNode.objects.filter(pk=node_pk, campaign_id=pk).first()
    if node is None:
        return _node_gone(request, get_object_or_404(Campaign, pk=pk), request.POST.get("code", ""))
    refused = {"where": "remove", "node": node.pk}
    if request.POST.get("confirm") != "1":
        c = node.campaign
        return _detail_page(
            request, c, refused={**refused, "error": _("指标没有删除：请在“删除”下确认。")}, status=400
        )
    return _post_action(
        request, pk, lambda c: services.node_remove(actor=request.user, node=node), refused=refused
    )


def _node_gone(request, campaign, code: str):
    """An indicator removed meanwhile: by whom and when, from the campaign's trail (the removal names the codes
    it took); an indicator the trail does not name as removed: 404."""
    event = next(
        (
            e
            for e in AuditEvent.objects.for_object(campaign)
            .filter(action="campaign.node_remove")
            .select_related("actor__unit")
            .order_by("-at", "-id")
            if code and code in ((e.before or {}).get("codes") or [])
        ),
        None,
    )
    if event is None:
        raise Http404
    who = actor_words(event, request.user.unit_id, True) if event.actor_id else _("系统")
    return render(
        request,
        "web/decided.html",
        {
            "obj": campaign,
            "text": _("这个指标已由%(who)s于%(when)s删除。") % {"who": who, "when": when_text(event.at)},
            "back_url": campaign.get_absolute_url(),
            "typed": [],
        },
        status=409,
    )


@role_required(Role.STAFF)
@require_POST
def tree_default(request, pk):
    return _post_action(
        request,
        pk,
        lambda c: services.tree_add_default(actor=request.user, campaign=c),
        refused={"where": "tree"},
    )


@role_required(Role.STAFF)
@require_POST
def entries_set(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    if campaign.is_project:
        return _contracts_set(request, campaign)
    form = EntriesForm(request.POST)
    kind = request.POST.get("kind", "")
    if kind:
        platforms = list(Platform.objects.filter(kind=kind, status__in=["trial", "operating"]))
    elif form.is_valid() and form.cleaned_data["platforms"]:
        platforms = list(form.cleaned_data["platforms"])
    else:
        if not form.errors:
            form.add_error("platforms", _("请选择参评平台。"))
        return _detail_page(request, get_object_or_404(Campaign, pk=pk), entries_form=form, status=400)
    try:
        services.entries_set(actor=request.user, campaign=campaign, platforms=platforms)
    except (ApplicationError, ValidationError) as exc:  # the picked platforms kept, why above them (400)
        form.add_error(None, _err(exc))
        return _detail_page(request, campaign, entries_form=form, status=400)
    messages.success(request, _("操作已完成。"))
    return redirect(campaign)


def _contracts_set(request, campaign):
    """The projects of a performance evaluation, picked; a refusal (a project not fitting the stage) is
    shown on the page again with the picked projects kept (400)."""
    form = ContractsForm(request.POST)
    if form.is_valid():
        try:
            services.contracts_set(
                actor=request.user, campaign=campaign, contracts=list(form.cleaned_data["contracts"])
            )
        except (ApplicationError, ValidationError) as exc:
            form.add_error("contracts" if getattr(exc, "fields", None) else None, _err(exc))
        else:
            messages.success(request, _("操作已完成。"))
            return redirect(campaign)
    return _detail_page(request, campaign, contracts_form=form, status=400)


@role_required(Role.STAFF)
@require_POST
def campaign_action(request, pk):
    action = request.POST.get("action", "")
    if action == "publish":  # publishing asks first (campaign_publish_confirm)
        return redirect("evaluation:publish", pk=pk)
    reason = request.POST.get("reason", "")
    k = request.POST.get("k", "")
    if action == "review" and Campaign.objects.filter(pk=pk, review_round_id__isnull=False).exists():
        c = get_object_or_404(Campaign, pk=pk)  # started meanwhile (a second click, a stale tab): by whom
        return decided_page(request, obj=c, back_url=c.get_absolute_url())
    handlers = {
        "collect": lambda c: services.campaign_collect(actor=request.user, campaign=c),
        "compute": lambda c: services.campaign_compute(actor=request.user, campaign=c),
        "review": lambda c: services.campaign_review_start(
            actor=request.user, campaign=c, k=_k(request.POST.get("k"))
        ),
    }
    func = handlers.get(action) or (
        lambda c: text_checked(
            request,
            lambda: services.campaign_transition(
                actor=request.user, campaign=c, action=action, reason=reason
            ),
            label=_("理由"),
        )()
    )
    refused = {"where": "action", "action": action, "reason": reason, "k": k}
    transition = action if action in CAMPAIGN_MACHINE.transitions else ""
    return _post_action(request, pk, func, refused=refused, transition=transition)


@role_required(Role.STAFF)
def campaign_publish_confirm(request, pk):
    """Publishing results, asked first (issue #13.3): what becomes public, who is told, and which platforms
    have no yearly report of the campaign's year, with the choice of grading them 不合格 or leaving them
    out (or cancelling)."""
    c = get_object_or_404(Campaign, pk=pk)
    lacking = selectors.entries_without_data(campaign=c) if c.status == Campaign.Status.COMPUTED else []
    if c.is_project and lacking:  # which of each project's contract indicators lack a value reached
        names = selectors.missing_indicators(campaign=c)
        for e in lacking:
            e.missing_names = names.get(e.pk)
    error = ""
    if request.method == "POST" and moved_on(CAMPAIGN_MACHINE, c, "publish"):  # published meanwhile
        return decided_page(request, obj=c, back_url=c.get_absolute_url())
    if request.method == "POST":
        missing = request.POST.get("missing", "")
        try:
            services.campaign_publish(actor=request.user, campaign=c, missing=missing)
        except (ApplicationError, ValidationError) as exc:
            error = _err(exc)
        else:
            messages.success(request, _("评估结果已发布。"))
            return redirect(c)
    blocked = CAMPAIGN_MACHINE.unavailable(c.status, {Role.STAFF}, obj=c, ctx=selectors.campaign_facts(c))
    return render(
        request,
        "evaluation/publish_confirm.html",
        {
            "campaign": c,
            "lacking": lacking,
            "entry_count": c.entries.count(),
            "can_publish": c.status == Campaign.Status.COMPUTED,
            "blocked": [(t, why) for t, why in blocked if t.name == "publish"],
            "error": error,
            "missing": request.POST.get("missing", ""),
        },
        status=400 if error else 200,  # a refused publish answers 400, the choice kept (issue #13.4)
    )
