"""The challenge pages after the call closes: expert review, the decision, publicity and objections, award and down-selection."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.decided import decided_page
from kechuang.core.limits import text_checked
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role, has_role
from kechuang.review import services as review_services
from kechuang.review.forms import ASSIGNMENT_REASON_MAX
from kechuang.review.models import Review
from kechuang.review.pickers import expert_field

from .. import programme, selectors, services
from ..forms import DecisionForm, DownSelectForm, ObjectionForm
from ..models import Application, Challenge, Objection
from ..workflow import CHALLENGE, ChallengeStatus
from ._util import attempt, refused_reason
from .calls import confirm_page

# Each of the review page's actions runs its service and answers None when done (its success said as a
# message), else why it was refused: the page then comes back with what was typed and chosen and the reason
# inside the form that was sent (400; it was a message after a redirect, the scores typed lost).


def _review_round(request, ch) -> str | None:
    """Create the review app's round over the formally passed applications."""
    return refused_reason(
        request,
        lambda: services.review_round_start(actor=request.user, challenge=ch, k=_k(request)),
        success=_("评审轮次已创建，请分配专家。"),
    )


def _k(request) -> int:
    raw = (request.POST.get("k") or "3").strip()
    return int(raw) if raw.isdecimal() and len(raw) < 3 else 0


def _review_manual(request, ch) -> str | None:
    """Review outside the review app: the applications go under review, scores are typed in later."""
    return refused_reason(
        request,
        text_checked(
            request,
            lambda: services.review_start_manual(
                actor=request.user, challenge=ch, note=request.POST.get("note", "")
            ),
            "note",
            label=_("说明"),
        ),
        success=_("已进入专家评审。"),
    )


def _review_scores(request, ch) -> str | None:
    """Record the typed scores of the applications under review."""
    scores = {}
    for app in ch.applications.filter(status="under_review"):
        raw = request.POST.get(f"score_{app.pk}", "").strip()
        try:
            scores[app.pk] = float(raw) if raw else None
        except ValueError:
            return _("评审得分必须是数字。") + _("（%(title)s：%(value)s）") % {
                "title": app.title,
                "value": raw,
            }
    return refused_reason(
        request,
        lambda: services.review_scores_record(actor=request.user, challenge=ch, scores=scores),
        success=_("评审得分已保存。"),
    )


def _review_assign(request, ch) -> str | None:
    """Assign one expert, chosen with the experts' picker, to one application in the challenge's round."""
    app = get_object_or_404(Application, pk=request.POST.get("application") or 0, challenge=ch)
    field = expert_field(label=_("专家"))
    try:
        expert = field.clean(request.POST.get("expert"))
    except ValidationError as exc:
        return " ".join(exc.messages)
    rnd = services.review_round_of(ch)
    if rnd is None:
        return _("请先创建评审轮次。")
    return refused_reason(
        request,
        text_checked(
            request,
            lambda: review_services.assignment_create_manual(
                actor=request.user,
                round=rnd,
                subject=app,
                expert=expert,
                reason=request.POST.get("reason", ""),
            ),
            label=_("理由"),
            max_length=ASSIGNMENT_REASON_MAX,
        ),
        success=_("已分配专家。"),
    )


def _review_import(request, ch) -> str | None:
    """Read the review app's trimmed means as the recorded scores."""
    ranking = selectors.review_ranking(ch, services.review_round_of(ch)) or []
    scores = {a.pk: getattr(r, "trimmed_mean", None) for a, r in ranking if a.status == "under_review"}
    return refused_reason(
        request,
        lambda: services.review_scores_record(actor=request.user, challenge=ch, scores=scores),
        success=_("已读取专家评审结果。"),
    )


def _defence_round(request, ch) -> str | None:
    """答辩: a second review round over the applications ticked for the shortlist."""
    if not request.POST.get("confirm"):  # the shortlist cannot be changed once its round exists
        return _("请勾选确认：答辩名单确定后不能更改。")
    ids = [int(x) for x in request.POST.getlist("shortlist") if x.isdecimal() and len(x) < 19]
    shortlist = list(Application.objects.filter(pk__in=ids, challenge=ch))
    return refused_reason(
        request,
        lambda: services.defence_round_start(
            actor=request.user, challenge=ch, applications=shortlist, k=_k(request)
        ),
        success=_("答辩评审轮次已创建，请分配专家。"),
    )


def _defence_import(request, ch) -> str | None:
    """Read the 答辩 round's trimmed means as the recorded defence scores."""
    return refused_reason(
        request,
        lambda: services.defence_scores_record(
            actor=request.user, challenge=ch, scores=selectors.defence_means(ch)
        ),
        success=_("已读取答辩评审结果。"),
    )


# The review page's forms post their `mode`; each mode is one action. An unknown mode does nothing.
REVIEW_ACTIONS = {
    "defence_round": _defence_round,
    "defence_import": _defence_import,
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
    ch = get_object_or_404(Challenge.objects.select_related("topic", "programme_version"), pk=pk)
    refused: dict = {}
    if request.method == "POST":
        mode = request.POST.get("mode")
        action = REVIEW_ACTIONS.get(mode)
        error = action(request, ch) if action is not None else None
        if error is None:
            return redirect("challenges:challenge-review", pk=ch.pk)
        refused = _refused_review(request, mode, error)
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

    applications = list(
        selectors.application_list(user=request.user, challenge=ch).exclude(status__in=["draft", "withdrawn"])
    )
    if refused:  # its form not on the page now (the round made meanwhile): why, above the page's forms
        defence = services.defence_round_of(ch) if ch.defence_round_id else None
        shown = {
            "assign": rnd is not None,
            "import": rnd is not None,
            "round": rnd is None and not why,
            "manual": rnd is None and not why,
            "scores": True,
            "defence_round": ch.has_defence and defence is None,
            "defence_import": ch.has_defence and defence is not None,
        }
        refused["apart"] = not shown.get(refused["mode"], False)
    # the score box of each application: as typed when the scores were refused, else as recorded
    for a in [*applications, *(a for a, _r in ranking or [])]:
        typed = refused.get("scores", {}).get(a.pk)
        a.score_shown = typed if typed is not None else ("" if a.review_score is None else a.review_score)
    return render(
        request,
        "challenges/challenge_review.html",
        {
            "challenge": ch,
            "applications": applications,
            # the 答辩 shortlist's candidates in the order of the review ranking (unranked last)
            "defence_candidates": sorted(
                (a for a in applications if a.status == "under_review"),
                key=lambda a: (a.review_rank is None, a.review_rank or 0, a.pk),
            ),
            "ranking": ranking,
            "review_available": ranking is not None,
            "round": rnd,
            "why": why,
            "defence_round": services.defence_round_of(ch) if ch.defence_round_id else None,
            "refused": refused,
            "assignment_reason_max": ASSIGNMENT_REASON_MAX,
        },
        status=400 if refused else 200,
    )


def _refused_review(request, mode: str, error: str) -> dict:
    """What a refused action of the review page had typed and chosen, to show again with why."""
    post = request.POST
    refused = {
        "mode": mode,
        "error": error,
        "k": post.get("k", ""),
        "note": post.get("note", ""),
        "reason": post.get("reason", ""),
        "application": post.get("application", ""),
        "shortlist": post.getlist("shortlist"),
        "confirm": bool(post.get("confirm")),
    }
    if mode == "scores":
        refused["scores"] = {
            int(k[6:]): v
            for k, v in post.items()
            if k.startswith("score_") and k[6:].isdecimal() and len(k) < 25
        }
    if mode == "assign":
        field = expert_field(label=_("专家"))
        rows = field.rows_for(post.get("expert") or "")
        refused["expert"] = (rows[0].pk, field.label_from_instance(rows[0])) if rows else None
    return refused


@role_required(Role.STAFF)
def challenge_decision(request, pk):
    """Choose the winners among the reviewed applications and open the publicity period."""
    ch = get_object_or_404(Challenge.objects.select_related("programme_version"), pk=pk)
    candidates = selectors.application_list(user=request.user, challenge=ch, status="under_review")
    form = DecisionForm(request.POST or None, initial={"days": programme.publicity_days(ch)})
    chosen = {int(x) for x in request.POST.getlist("winner") if x.isdecimal()}
    if request.method == "POST" and form.is_valid() and request.POST.get("step") != "edit":
        winners = list(Application.objects.filter(pk__in=chosen, challenge=ch))
        if request.POST.get("step") == "review":  # the page's first button: say what will happen first
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
                    "others": [a for a in candidates if a.pk not in {w.pk for w in winners}],
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

        if not ch.has_publicity:  # the list's version has no publicity stage: the award may follow
            if attempt(request, do, success=_("拟立项名单已确定。"), form=form):
                return redirect(ch)
        elif attempt(request, do, success=_("拟立项名单已公示。"), form=form):
            return redirect("challenges:publicity", pk=ch.pk)
    # The review app's live results beside the recorded score, so the decision reads both.
    ranking = selectors.review_ranking(ch, services.review_round_of(ch)) or []
    results = {a.pk: r for a, r in ranking if r is not None}
    rows = [(a, results.get(a.pk), _recommendations(results.get(a.pk))) for a in candidates]
    # After 返回修改 or a refused submit, the applications the person chose stay chosen (issue #13.4); a
    # refused submit answers 400.
    posted = request.method == "POST"
    status = 400 if posted and request.POST.get("step") != "edit" else 200
    return render(
        request,
        "challenges/challenge_decision.html",
        {"challenge": ch, "rows": rows, "form": form, "posted": posted, "chosen": chosen},
        status=status,
    )


def _recommendations(result) -> str:
    """The experts' recommendations in words, e.g. "推荐 2 位，强烈推荐 1 位" (codes of kechuang.review)."""
    if result is None:
        return ""
    labels = dict(Review.Recommendation.choices)
    return _("，").join(
        _("%(what)s %(n)s 位") % {"what": labels.get(k, k), "n": n}
        for k, n in (result.recommendations or {}).items()
        if n
    )


def publicity(request, pk):
    """The publicity notice (public); signed-in people may lodge objections, staff answer them."""
    ch = get_visible_or_404(selectors.challenge_get, pk=pk, user=request.user)
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
    # a refused objection, shown again with its text
    return _publicity_page(request, ch, form=form, status=400 if request.method == "POST" else 200)


def _publicity_page(request, ch, *, form, answer: dict | None = None, status: int = 200):
    """The publicity page; `answer`: a refused answer to one objection (its pk, the text and choice as sent,
    and why), shown again in that objection's form."""
    pub = getattr(ch, "publicity", None)
    if pub is None:
        from django.http import Http404

        raise Http404
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
            "answer": answer or {},
            "is_staff": is_staff,
            # The award button says "publicity over": offer it only then (before, it could only fail).
            "can_award": is_staff and ch.status == ChallengeStatus.CLOSED and today > pub.ends_on,
        },
        status=status,
    )


@require_POST
@role_required(Role.STAFF)
def objection_answer(request, pk):
    """Staff answer an objection. Refused (no answer): the publicity page again with the answer and the
    choice as sent and why beside the field (400); already answered (a second click, a stale tab): a page
    saying by whom and when, with the text typed (409)."""
    obj = get_object_or_404(Objection.objects.select_related("publicity__challenge"), pk=pk)
    ch = obj.publicity.challenge
    text = request.POST.get("answer", "")
    upheld = request.POST.get("upheld") == "1"
    confirmed = request.POST.get("confirm") == "1"
    if upheld and not confirmed and text.strip() and obj.status == Objection.Status.OPEN:
        # Upholding declines the application's proposed award and cannot be undone: ticked first.
        error = _("“异议成立”将取消该申请的拟立项，且不能撤销：请勾选确认后再提交。")
        answer = {"pk": obj.pk, "text": text, "upheld": upheld, "error": error}
        return _publicity_page(request, ch, form=ObjectionForm(), answer=answer, status=400)
    error = refused_reason(
        request,
        text_checked(
            request,
            lambda: services.objection_answer(actor=request.user, objection=obj, upheld=upheld, answer=text),
            "answer",
            label=_("答复意见"),
        ),
        success=_("异议已答复。"),
    )
    if error is None:
        return redirect("challenges:publicity", pk=ch.pk)
    obj.refresh_from_db(fields=["status"])
    if obj.status != Objection.Status.OPEN:
        return decided_page(
            request,
            obj=obj,
            back_url=reverse("challenges:publicity", args=[ch.pk]),
            typed={_("答复意见"): text},
        )
    answer = {"pk": obj.pk, "text": text, "upheld": upheld, "error": error}
    return _publicity_page(request, ch, form=ObjectionForm(), answer=answer, status=400)


@require_POST
@role_required(Role.STAFF)
def award(request, pk):
    ch = get_object_or_404(Challenge, pk=pk)
    error = refused_reason(
        request,
        lambda: services.award_confirm(actor=request.user, challenge=ch),
        success=_("已立项，任务书草稿已生成。"),
    )
    if error is None:
        return redirect(ch)
    # Refused after its confirmation (issue #13.4): the confirmation page again, with the reason.
    return confirm_page(request, ch, "award", error=error, status=400)


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
