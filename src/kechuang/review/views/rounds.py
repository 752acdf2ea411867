"""The review rounds: list, creation, the round page, assignment and its swaps, the panel."""

from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.accounts.models import User
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.exports import wants_export
from kechuang.core.limits import posted_text
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role, roles_of

from .. import exports, forms, selectors, services, workflow
from ..models import Assignment, Review, Round


def reviewable_types() -> list[tuple[str, str]]:
    """Content types whose model implements review_subject()."""
    out = []
    for model in apps.get_models():
        if hasattr(model, "review_subject"):
            ct = ContentType.objects.get_for_model(model)
            out.append((str(ct.pk), str(model._meta.verbose_name)))
    return out


@role_required(Role.STAFF)
def round_list(request):
    rounds = Round.objects.select_related("form", "subject_type").order_by("-created_at", "-pk")
    if wants_export(request):
        return exports.rounds_xlsx(rounds)
    # the mean match of the experts now assigned, what a person reads (the solver's sum, 17.6765, said nothing)
    rounds = rounds.annotate(mean_match=Avg("assignments__affinity", filter=Q(assignments__status="active")))
    page = Paginator(rounds, 50).get_page(request.GET.get("page"))
    return render(request, "review/round_list.html", {"page": page})


@role_required(Role.STAFF)
def round_create(request):
    types = reviewable_types()
    form = forms.RoundForm(request.POST or None, type_choices=types, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        model = ContentType.objects.get_for_id(int(d["subject_type"])).model_class()
        # the objects chosen (visible to the person, of that type: the form checked), else all of the type
        subjects = d["subjects"] or list(model.objects.order_by("pk"))
        try:
            rnd = services.round_create(
                actor=request.user,
                title=d["title"],
                subjects=subjects,
                form=d["form"],
                settings=services.RoundSettings(
                    k=d["k"],
                    min_load=d["min_load"],
                    max_load=d["max_load"],
                    mode=d["mode"],
                    conflict_years=d["conflict_years"],
                    same_city_rule=d["same_city_rule"],
                    seed=d["seed"],
                    leximin_depth=d["leximin_depth"],
                ),
            )
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("评审轮次已创建。"))
            return redirect(rnd)
    # a refused submit answers 400 with what was typed and chosen (issue #13.4)
    status = 400 if request.method == "POST" else 200
    return render(request, "review/round_form.html", {"form": form}, status=status)


@role_required(Role.STAFF)
def round_detail(request, pk, *, refused: dict | None = None, status: int = 200):
    """A round's page; `refused`: a step refused (its name, the reason as typed, why), its form shown again
    with them (400)."""
    rnd = get_object_or_404(Round.objects.select_related("form", "subject_type"), pk=pk)
    # The subjects are paged (a round may hold thousands); assignments are read for the page's subjects only.
    page = Paginator(rnd.subjects.order_by("order", "pk"), 50).get_page(request.GET.get("page"))
    subjects = list(page)
    assignments = list(selectors.round_assignments(round=rnd).filter(subject__in=subjects))
    by_subject: dict = {}
    for a in assignments:
        by_subject.setdefault(a.subject, []).append(a)
    # The pool is offered once (a datalist the swap fields share), not as a select per row; very large pools
    # get the bare number field.
    experts = list(rnd.experts.select_related("user").order_by("user__username")[:301])
    if len(experts) > 300:
        experts = []
    active = rnd.assignments.filter(status=Assignment.Status.ACTIVE).aggregate(
        n=Count("pk"), mean=Avg("affinity"), least=Min("affinity")
    )
    has_active = active["n"] > 0
    ctx = {
        "round": rnd,
        "match": active,
        "page": page,
        "rows": [(s, by_subject.get(s, [])) for s in subjects],
        "conflicts": list(selectors.round_conflicts(round=rnd)[:500]),
        "n_conflicts": rnd.conflicts.count(),
        "progress": selectors.round_progress(round=rnd),
        "actions": _round_actions(request.user, rnd, has_active),
        "blocked": [
            (t, why)
            for t, why in workflow.ROUND.unavailable(
                rnd.status, roles_of(request.user), rnd, ctx={"has_active_assignments": has_active}
            )
            if t.name != "assign"
        ],
        "experts": experts,
        "can_assign": rnd.status in (Round.Status.DRAFT, Round.Status.ASSIGNED),
        "can_swap": rnd.status in (Round.Status.ASSIGNED, Round.Status.REVIEWING),
        "stats": (rnd.solver_result or {}).get("stats", {}),
        "seconds": (rnd.solver_result or {}).get("seconds"),
        **selectors.round_solver_words(round=rnd),
        "refused": refused or {},
    }
    # a step refused whose form is not on this page now (a transition not offered, a swap on another page of
    # subjects) still says why, above the buttons
    shown = {t.name for t in ctx["actions"]} | {f"swap-{a.pk}" for a in assignments}
    if ctx["can_assign"]:
        shown.add("solver")  # the assign button's own refusal beside it
    ctx["refused_apart"] = bool(refused) and refused["action"] not in shown
    ctx["assignment_reason_max"] = forms.ASSIGNMENT_REASON_MAX
    return render(request, "review/round_detail.html", ctx, status=status)


def _round_actions(user, rnd: Round, has_active: bool) -> list:
    """The round's transition buttons. The bare "assign" transition only confirms experts assigned by hand
    (the solver's 分配专家 button moves the round itself), so it shows only on a draft that has some, under
    its own label; otherwise the page would offer two 分配专家 buttons doing different things."""
    return [
        t
        for t in workflow.ROUND.available(
            rnd.status, roles_of(user), rnd, ctx={"has_active_assignments": has_active}
        )
        if t.name != "assign" or (rnd.status == Round.Status.DRAFT and has_active)
    ]


@role_required(Role.STAFF)
def round_settings(request, pk):
    """Change how a round still to be assigned assigns (mode, the fair mode's levels). Refused input is
    kept and answered with 400; a round already under review says why it cannot change."""
    rnd = get_object_or_404(Round, pk=pk)
    editable = rnd.status in services.rounds.SETTINGS_EDITABLE
    initial = {"mode": rnd.mode, "leximin_depth": rnd.leximin_depth}
    form = forms.RoundSettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not editable:
            form.add_error(None, _("评审已开始，分配设置不能再修改。"))
        elif form.is_valid():
            try:
                services.round_settings_update(actor=request.user, round=rnd, **form.cleaned_data)
            except (ApplicationError, ValidationError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("分配设置已保存，下次分配时使用。"))
                return redirect(rnd)
        status = 400
    return render(
        request,
        "review/round_settings.html",
        {"form": form, "round": rnd, "editable": editable},
        status=status,
    )


@require_POST
@role_required(Role.STAFF)
def round_assign(request, pk):
    """Assign the round's experts (the solver, as a job). 重新分配 (the round assigned already) replaces the
    experts' assignments and cannot be undone: the box ticked first; not ticked, the round's page again with
    why beside the button (400), nothing changed."""
    rnd = get_object_or_404(Round, pk=pk)
    if rnd.status == Round.Status.ASSIGNED and request.POST.get("confirm") != "1":
        error = _("没有重新分配：请勾选确认（重新分配将替换现有的专家分配，不能撤销）。")
        return round_detail(request, pk, refused={"action": "solver", "error": error}, status=400)
    try:
        job = services.round_assign(actor=request.user, round=rnd, as_job=True)
    except (
        ApplicationError
    ) as exc:  # the round's page again with why (400; it was a message after a redirect)
        return round_detail(request, pk, refused={"action": "solver", "error": error_text(exc)}, status=400)
    return redirect(job.get_absolute_url())


@require_POST
@role_required(Role.STAFF)
def round_transition(request, pk, action):
    """A round's step. Refused: the round's page again with the reason as typed and why (400; it was a
    message after a redirect); already taken (a second click, a stale tab): by whom and when (409)."""
    rnd = get_object_or_404(Round, pk=pk)
    if action not in workflow.ROUND.transitions:
        raise Http404
    reason = request.POST.get("reason", "")
    if moved_on(workflow.ROUND, rnd, action):
        return decided_page(request, obj=rnd, back_url=rnd.get_absolute_url(), typed={_("理由"): reason})
    try:
        posted_text(request, label=_("理由"))  # bounded before anything is written
        services.round_transition(actor=request.user, round=rnd, action=action, reason=reason)
    except ApplicationError as exc:
        if moved_on(workflow.ROUND, rnd, action):
            return decided_page(request, obj=rnd, back_url=rnd.get_absolute_url(), typed={_("理由"): reason})
        refused = {"action": action, "reason": reason, "error": error_text(exc)}
        return round_detail(request, pk, refused=refused, status=400)
    return redirect(rnd)


@require_POST
@role_required(Role.STAFF)
def assignment_swap(request, pk):
    """Staff replace an assigned expert. Refused (no expert chosen, a conflict, no reason): the round's page
    again with the expert as chosen, the reason as typed and why beside them (400; it was a message after a
    redirect, and the reason typed was lost)."""
    old = get_object_or_404(Assignment.objects.select_related("round", "subject"), pk=pk)
    reason = request.POST.get("reason", "")
    raw = request.POST.get("expert", "")
    expert = User.objects.filter(pk=int(raw)).first() if raw.isdecimal() and len(raw) < 19 else None
    if expert is None:
        error = _("请选择专家。")
    else:
        try:
            posted_text(request, label=_("理由"), max_length=forms.ASSIGNMENT_REASON_MAX)
            services.assignment_create_manual(
                actor=request.user,
                round=old.round,
                subject=old.subject,
                expert=expert,
                reason=reason,
                replace=old,
            )
        except ApplicationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("已调整专家。"))
            return redirect(old.round)
    refused = {
        "action": f"swap-{old.pk}",
        "pk": old.pk,
        "reason": reason,
        "expert": (expert.pk, str(expert)) if expert is not None else None,
        "error": error,
    }
    return round_detail(request, old.round_id, refused=refused, status=400)


@role_required(Role.STAFF)
def round_panel(request, pk):
    rnd = get_object_or_404(Round.objects.select_related("form"), pk=pk)
    if request.GET.get("format") == "reviews":  # every review's sheet, values by key (#18)
        return exports.reviews_xlsx(rnd)
    results = selectors.round_results(round=rnd)
    subjects = {s.pk: s for s in rnd.subjects.all()}
    rows = [(subjects[sid], res) for sid, res in results.items()]
    unreviewed = [s for sid, s in subjects.items() if sid not in results]
    if request.GET.get("format") == "xlsx":
        headers = [
            _("排名"),
            _("评审对象"),
            _("评审数"),
            _("平均分"),
            _("去极值平均"),
            _("标准化得分"),
            _("分歧"),
            _("推荐意见"),
        ]
        data = [
            [
                r.rank,
                s.local_title,
                r.n_reviews,
                r.mean,
                r.trimmed_mean,
                r.normalised,
                _("是") if r.disagreement else "",
                _("；").join(
                    f"{Review.Recommendation(k).label if k in Review.Recommendation.values else k} {v}"
                    for k, v in r.recommendations.items()
                ),
            ]
            for s, r in rows
        ]
        return xlsx_response(f"review-round-{rnd.pk}.xlsx", headers, data, sheet_title=_("会评排名"))
    chart = {
        "titles": [s.local_title[:20] for s, _r in rows],
        "mean": [r.mean for _s, r in rows],
        "normalised": [r.normalised for _s, r in rows],
    }
    return render(
        request,
        "review/round_panel.html",
        {
            "round": rnd,
            "rows": rows,
            "unreviewed": unreviewed,
            "chart": chart,
            "criteria_names": {c.code: str(c) for c in rnd.form.criteria.all()} if rnd.form_id else {},
        },
    )
