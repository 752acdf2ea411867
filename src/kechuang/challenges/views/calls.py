"""Staff pages of a challenge's lifecycle: drafting, publishing, review hand-off, decision, publicity, award,
down-select."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.accounts.models import User
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.review import services as review_services
from kechuang.review.models import Review

from .. import permissions, selectors, services
from ..forms import ChallengeForm, DecisionForm, DownSelectForm, ObjectionForm
from ..models import Application, Challenge, Objection
from ..workflow import CHALLENGE, ChallengeStatus
from ._util import attempt, get_or_404


def challenge_context(request, ch, machine) -> dict:
    """What the challenge page shows besides the challenge: buttons, applications, the user's own one."""
    user = request.user
    ctx = {
        "can_apply": permissions.can_apply(user, ch) and timezone.now() < ch.deadline,
        "my_application": None,
    }
    if getattr(user, "unit_id", None) and has_role(user, Role.APPLICANT):
        ctx["my_application"] = ch.applications.filter(unit_id=user.unit_id).first()
    ctx["is_staff"] = has_role(user, Role.STAFF)
    ctx["apply_why"] = _why_not_apply(user, ch, ctx)
    if ctx["is_staff"]:
        facts = {"indicator_count": ch.indicators.count()}
        shown = ("publish", "close", "cancel", "finish")
        ctx["actions"] = [
            t for t in machine.available(ch.status, roles_of(user), obj=ch, ctx=facts) if t.name in shown
        ]
        ctx["confirm"] = CONFIRMED
        ctx["blocked"] = [
            (t, why)
            for t, why in machine.unavailable(ch.status, roles_of(user), obj=ch, ctx=facts)
            if t.name in shown
        ]
        ctx["applications"] = selectors.application_list(user=user, challenge=ch).exclude(status="draft")
        ctx["can_edit"] = permissions.can_edit_challenge(user, ch)
        ctx["contracts"] = ch.contracts.select_related("unit", "commissioner")
    return ctx


def _why_not_apply(user, ch, ctx) -> str:
    """Why a unit cannot apply to this list now, for the people who would look for the button."""
    if ctx["can_apply"] or ctx["my_application"] or ctx["is_staff"] or ch.status == ChallengeStatus.DRAFT:
        return ""
    if ch.status != ChallengeStatus.PUBLISHED:
        return _("本榜单%(s)s，不再接受申请。") % {"s": ch.get_status_display()}
    if timezone.now() >= ch.deadline:
        return _("揭榜已于 %(d)s 截止，不再接受申请。") % {"d": _when(ch.deadline)}
    if user.is_authenticated:
        return _("只有揭榜单位的用户可以揭榜。")
    return ""


@role_required(Role.STAFF)
def challenge_create(request):
    initial = {"year": timezone.localdate().year, "topic": request.GET.get("topic") or None}
    form = ChallengeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("indicators_text", "criteria_text")}
        holder = {}

        def do():
            holder["ch"] = services.challenge_create(
                actor=request.user,
                indicators=form.cleaned_data["indicators_text"],
                criteria=form.cleaned_data["criteria_text"],
                **data,
            )

        if attempt(request, do, success=_("榜单草稿已保存。"), form=form):
            return redirect(holder["ch"])
    return render(request, "challenges/challenge_form.html", {"form": form})


@role_required(Role.STAFF)
def challenge_edit(request, pk):
    ch = get_object_or_404(Challenge, pk=pk)
    if not permissions.can_edit_challenge(request.user, ch):
        raise PermissionDenied("not a draft")
    form = ChallengeForm(request.POST or None, instance=Challenge.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("indicators_text", "criteria_text")}
        raw = request.POST.get("version", "")
        # No version, no save: an edit made on an unknown version could overwrite another's.
        version = int(raw) if raw.isdigit() else -1

        def do():
            services.challenge_update(
                actor=request.user,
                challenge=ch,
                expected_version=version,
                indicators=form.cleaned_data["indicators_text"],
                criteria=form.cleaned_data["criteria_text"],
                **data,
            )

        if attempt(request, do, success=_("榜单已保存。"), form=form):
            return redirect(ch)
    return render(request, "challenges/challenge_form.html", {"form": form, "challenge": ch})


@require_POST
@role_required(Role.STAFF)
def challenge_action(request, pk, action):
    ch = get_object_or_404(Challenge, pk=pk)
    reason = request.POST.get("reason", "")
    calls = {
        "publish": lambda: services.challenge_publish(actor=request.user, challenge=ch),
        "close": lambda: services.challenge_close(actor=request.user, challenge=ch),
        "cancel": lambda: services.challenge_cancel(actor=request.user, challenge=ch, reason=reason),
        "finish": lambda: services.challenge_finish(actor=request.user, challenge=ch),
    }
    if action not in calls:
        raise PermissionDenied("unknown action")
    attempt(request, calls[action], success=_("操作已完成。"))
    return redirect(ch)


def _review_round(request, ch) -> None:
    """Create the review app's round over the formally passed applications."""
    attempt(
        request,
        lambda: services.review_round_start(
            actor=request.user, challenge=ch, k=int(request.POST.get("k") or 3)
        ),
        success=_("评审轮次已创建，请分配专家。"),
    )


def _review_manual(request, ch) -> None:
    """Review outside the review app: the applications go under review, scores are typed in later."""
    attempt(
        request,
        lambda: services.review_start_manual(
            actor=request.user, challenge=ch, note=request.POST.get("note", "")
        ),
        success=_("已进入专家评审。"),
    )


def _review_scores(request, ch) -> None:
    """Record the typed scores of the applications under review."""
    scores = {}
    for app in ch.applications.filter(status="under_review"):
        raw = request.POST.get(f"score_{app.pk}", "").strip()
        try:
            scores[app.pk] = float(raw) if raw else None
        except ValueError:
            messages.error(request, _("评审得分必须是数字。"))
            return
    attempt(
        request,
        lambda: services.review_scores_record(actor=request.user, challenge=ch, scores=scores),
        success=_("评审得分已保存。"),
    )


def _review_assign(request, ch) -> None:
    """Assign one expert to one application by hand, in the challenge's review round."""

    app = get_object_or_404(Application, pk=request.POST.get("application") or 0, challenge=ch)
    # Typed as a username (or an id): a <select> would list all 20,000 experts (see core.fields).
    typed = (request.POST.get("expert") or "").strip()
    expert = User.objects.filter(username=typed).first()
    if expert is None and typed.isdigit() and len(typed) < 19:
        expert = User.objects.filter(pk=int(typed)).first()
    rnd = services.review_round_of(ch)
    if expert is None:
        messages.error(request, _("没有找到“%(value)s”，请填写完整名称。") % {"value": typed})
    elif rnd is None:
        messages.error(request, _("请先创建评审轮次。"))
    else:
        attempt(
            request,
            lambda: review_services.assignment_create_manual(
                actor=request.user,
                round=rnd,
                subject=app,
                expert=expert,
                reason=request.POST.get("reason", ""),
            ),
            success=_("已分配专家。"),
        )


def _review_import(request, ch) -> None:
    """Read the review app's trimmed means as the recorded scores."""
    ranking = selectors.review_ranking(ch, services.review_round_of(ch)) or []
    scores = {a.pk: getattr(r, "trimmed_mean", None) for a, r in ranking if a.status == "under_review"}
    attempt(
        request,
        lambda: services.review_scores_record(actor=request.user, challenge=ch, scores=scores),
        success=_("已读取专家评审结果。"),
    )


# The review page's forms post their `mode`; each mode is one action. An unknown mode does nothing.
REVIEW_ACTIONS = {
    "round": _review_round,
    "manual": _review_manual,
    "scores": _review_scores,
    "assign": _review_assign,
    "import": _review_import,
}


@role_required(Role.STAFF)
def challenge_review(request, pk):
    """Hand the formally passed applications to expert review, and read the review app's ranking.
    A POST runs the action its `mode` names (REVIEW_ACTIONS) and comes back here."""
    ch = get_object_or_404(Challenge.objects.select_related("topic"), pk=pk)
    if request.method == "POST":
        action = REVIEW_ACTIONS.get(request.POST.get("mode"))
        if action is not None:
            action(request, ch)
        return redirect("challenges:challenge-review", pk=ch.pk)
    rnd = services.review_round_of(ch)
    ranking = selectors.review_ranking(ch, rnd)
    why = []  # why no review can be organised now, and what unlocks it
    if rnd is None and ch.status != ChallengeStatus.CLOSED:
        why.append(_("榜单截止后才能组织专家评审。"))
        if ch.status == ChallengeStatus.PUBLISHED:
            close = [
                r
                for t, rs in CHALLENGE.unavailable(ch.status, {Role.STAFF}, obj=ch)
                for r in rs
                if t.name == "close"
            ]
            why.extend(close or [_("截止时间已过：请先在榜单页“截止揭榜”。")])
    elif rnd is None and not ch.applications.filter(status="formal_passed").exists():
        why.append(_("没有通过形式审查的申请：请先在各申请页作形式审查。"))

    return render(
        request,
        "challenges/challenge_review.html",
        {
            "challenge": ch,
            "applications": selectors.application_list(user=request.user, challenge=ch).exclude(
                status__in=["draft", "withdrawn"]
            ),
            "ranking": ranking,
            "review_available": ranking is not None,
            "round": rnd,
            "why": why,
        },
    )


@role_required(Role.STAFF)
def challenge_decision(request, pk):
    """Choose the winners among the reviewed applications and open the publicity period."""
    ch = get_object_or_404(Challenge, pk=pk)
    candidates = selectors.application_list(user=request.user, challenge=ch, status="under_review")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = [int(x) for x in request.POST.getlist("winner") if x.isdigit()]
        winners = list(Application.objects.filter(pk__in=ids, challenge=ch))
        if request.POST.get("step") == "review":  # the page's first button: say what will happen first
            chosen = {w.pk for w in winners}
            missing = []
            if not winners:
                missing.append(_("没有选中任何申请：全部评审中的申请将标记为未立项。"))
            if len(winners) > ch.max_winners:
                missing.append(
                    _("选中 %(n)s 项，超过本榜单最多 %(m)s 个揭榜方，发布将被拒绝。")
                    % {"n": len(winners), "m": ch.max_winners}
                )
            return render(
                request,
                "challenges/decision_confirm.html",
                {
                    "challenge": ch,
                    "form": form,
                    "winners": winners,
                    "others": [a for a in candidates if a.pk not in chosen],
                    "missing": missing,
                    "ends": timezone.localdate() + datetime.timedelta(days=form.cleaned_data["days"] - 1),
                },
            )

        def do():
            services.decision_publish(
                actor=request.user,
                challenge=ch,
                winners=winners,
                days=form.cleaned_data["days"],
                notice=form.cleaned_data["notice"],
            )

        if attempt(request, do, success=_("拟立项名单已公示。"), form=form):
            return redirect("challenges:publicity", pk=ch.pk)
    # The review app's live results beside the recorded score, so the decision reads both.
    ranking = selectors.review_ranking(ch, services.review_round_of(ch)) or []
    results = {a.pk: r for a, r in ranking if r is not None}
    rows = [(a, results.get(a.pk), _recommendations(results.get(a.pk))) for a in candidates]
    return render(
        request, "challenges/challenge_decision.html", {"challenge": ch, "rows": rows, "form": form}
    )


def _recommendations(result) -> str:
    """The experts' recommendations in words, e.g. "推荐 2 位，强烈推荐 1 位" (codes of kechuang.review)."""
    if result is None:
        return ""
    labels = dict(Review.Recommendation.choices)
    return "，".join(
        _("%(what)s %(n)s 位") % {"what": labels.get(k, k), "n": n}
        for k, n in (result.recommendations or {}).items()
        if n
    )


def publicity(request, pk):
    """The publicity notice (public); signed-in people may lodge objections, staff answer them."""
    ch = get_or_404(selectors.challenge_get, pk=pk, user=request.user)
    pub = getattr(ch, "publicity", None)
    if pub is None:
        from django.http import Http404

        raise Http404
    form = ObjectionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            app = get_object_or_404(Application, pk=form.cleaned_data["application"], challenge=ch)
            if attempt(
                request,
                lambda: services.objection_lodge(
                    actor=request.user,
                    application=app,
                    text=form.cleaned_data["text"],
                    contact=form.cleaned_data["contact"],
                ),
                success=_("异议已提交，工作人员将予答复。"),
                form=form,
            ):
                return redirect("challenges:publicity", pk=ch.pk)
    today = timezone.localdate()
    is_staff = has_role(request.user, Role.STAFF)
    objections = (
        pub.objections.select_related("application")
        if is_staff
        else pub.objections.exclude(status="open").select_related("application")
    )
    winners = ch.applications.filter(status__in=["proposed", "awarded"]).select_related("unit", "leader")
    blocked = []
    if is_staff and ch.status == ChallengeStatus.CLOSED:
        facts = {
            "publicity_ends": pub.ends_on,
            "open_objections": sum(1 for o in objections if o.status == "open"),
            "proposed_count": sum(1 for w in winners if w.status == "proposed"),
        }
        blocked = [
            (t, why)
            for t, why in CHALLENGE.unavailable(ch.status, {Role.STAFF}, ch, facts)
            if t.name == "award"
        ]
    return render(
        request,
        "challenges/publicity.html",
        {
            "challenge": ch,
            "publicity": pub,
            "winners": winners,
            "blocked": blocked,
            "open": pub.starts_on <= today <= pub.ends_on,
            "over": today > pub.ends_on,
            "form": form,
            "objections": objections,
            "is_staff": is_staff,
            # The award button says "publicity over": offer it only then (before, it could only fail).
            "can_award": is_staff and ch.status == ChallengeStatus.CLOSED and today > pub.ends_on,
        },
    )


@require_POST
@role_required(Role.STAFF)
def objection_answer(request, pk):
    obj = get_object_or_404(Objection.objects.select_related("publicity"), pk=pk)
    upheld = request.POST.get("upheld") == "1"
    attempt(
        request,
        lambda: services.objection_answer(
            actor=request.user, objection=obj, upheld=upheld, answer=request.POST.get("answer", "")
        ),
        success=_("异议已答复。"),
    )
    return redirect("challenges:publicity", pk=obj.publicity.challenge_id)


@require_POST
@role_required(Role.STAFF)
def award(request, pk):
    ch = get_object_or_404(Challenge, pk=pk)
    if attempt(
        request,
        lambda: services.award_confirm(actor=request.user, challenge=ch),
        success=_("已立项，任务书草稿已生成。"),
    ):
        return redirect(ch)
    return redirect("challenges:publicity", pk=ch.pk)


@role_required(Role.STAFF)
def downselect(request, pk):
    """The down-select gate of a racing challenge."""
    ch = get_object_or_404(Challenge, pk=pk)
    running = list(ch.contracts.filter(status="in_progress").select_related("unit"))
    form = DownSelectForm(request.POST or None, contracts=running)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.downselect_record(
                actor=request.user, challenge=ch, note=form.cleaned_data["note"], outcomes=form.outcomes()
            ),
            success=_("赛马评估结论已记录。"),
            form=form,
        )
    ):
        return redirect(ch)
    return render(
        request,
        "challenges/downselect.html",
        {"challenge": ch, "form": form, "history": ch.downselects.prefetch_related("outcomes__contract")},
    )


# What each irreversible or public step of a list does, said before it is taken (issue #13.3).
CONFIRMED = ("publish", "close", "cancel", "award")


@role_required(Role.STAFF)
def challenge_confirm(request, pk, action):
    """The confirmation page of publishing, closing, cancelling or awarding a list: what will happen, what
    is missing (the reasons the step is refused now, the applications it leaves behind), and the button
    that takes it (posting to the step's own URL)."""
    if action not in CONFIRMED:
        raise PermissionDenied("unknown action")
    ch = get_object_or_404(Challenge.objects.select_related("topic"), pk=pk)
    counts = dict(
        ch.applications.values_list("status").annotate(n=models.Count("id")).values_list("status", "n")
    )
    facts = {"indicator_count": ch.indicators.count()}
    pub = getattr(ch, "publicity", None) if action == "award" else None
    if action == "award" and pub is not None:
        facts.update(
            publicity_ends=pub.ends_on,
            open_objections=pub.objections.filter(status="open").count(),
            proposed_count=counts.get("proposed", 0),
        )
    # The reason a cancel needs is typed on this page: do not count it as missing.
    refused = CHALLENGE.reasons_refused(
        ch.status, action, roles_of(request.user), obj=ch, ctx={**facts, "reason": "-"}
    )
    drafts = sum(counts.get(s, 0) for s in ("draft", "returned", "withdrawn"))
    submitted = sum(n for s, n in counts.items() if s not in ("draft", "returned", "withdrawn"))
    effects = {
        "publish": [
            _("榜单向社会公开，各单位可在 %(d)s 前揭榜。") % {"d": _when(ch.deadline)},
            _("发榜后榜单内容不能再修改；如需停止，只能撤榜。"),
        ],
        "close": [
            _("截止揭榜：不再接受新的申请，已提交的 %(n)s 份申请进入形式审查。") % {"n": submitted},
            _("截止后可组织专家评审。"),
        ],
        "cancel": [
            _("撤榜：榜单终止并公开撤榜理由，已提交的 %(n)s 份申请不再评审。") % {"n": submitted},
            _("撤榜不能撤回。"),
        ],
        "award": [
            _("拟立项的 %(n)s 份申请立项，并生成任务书草稿；其余申请为未立项。")
            % {"n": counts.get("proposed", 0)},
            _("立项结果向社会公开，不能撤回。"),
        ],
    }[action]
    missing = []
    if action in ("close", "cancel") and drafts:
        missing.append(_("还有 %(n)s 份申请未提交（草稿、退回或撤回），截止后不能再提交。") % {"n": drafts})
    target = reverse("challenges:challenge-award", args=[ch.pk]) if action == "award" else None
    return render(
        request,
        "challenges/confirm.html",
        {
            "challenge": ch,
            "action": action,
            "label": CHALLENGE.get(action).label,
            "effects": effects,
            "missing": missing,
            "refused": refused,
            "needs_reason": CHALLENGE.get(action).needs_reason,
            "target": target or reverse("challenges:challenge-action", args=[ch.pk, action]),
        },
    )


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"
