"""Staff pages of a challenge's lifecycle: drafting, publishing, review hand-off, decision, publicity, award,
down-select."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.accounts.models import public_name
from kechuang.accounts.selectors import unit_order
from kechuang.core.attempts import english_name_post
from kechuang.core.dates import when_text
from kechuang.core.display import choice_labels, pk_url
from kechuang.core.language import local_name
from kechuang.core.limits import text_checked
from kechuang.core.permissions import role_required
from kechuang.core.resubmit import keep_for_resubmit
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.core.services import posted_version

from .. import permissions, programme, selectors, services
from ..forms import ChallengeEnglishForm, ChallengeForm, ChallengeNameEnForm
from ..models import Application, Challenge
from ..workflow import CHALLENGE, ChallengeStatus
from ._util import attempt, done, refused_reason, step


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
    # A list with a pre-application stage (预申报): units pre-apply first; only invited ones apply formally,
    # and the page says why the button is missing ("未获邀请正式申报 …").
    ctx["runs_pre_application"] = programme.runs_pre_application(ch)
    ctx["can_pre_apply"] = False
    if ctx["runs_pre_application"] and not ctx["is_staff"] and getattr(user, "unit_id", None):
        ctx["my_pre_application"] = selectors.pre_application_of(ch, user.unit_id)
        ctx["can_pre_apply"] = permissions.can_pre_apply(user, ch)
        if ctx["can_apply"] and not ctx["my_application"]:
            not_invited = services.preapplications.why_not_invited(ch, user.unit_id)
            if not_invited:
                ctx["can_apply"] = False
                ctx["pre_why"] = not_invited
    ctx["apply_why"] = ctx.get("pre_why") or _why_not_apply(user, ch, ctx)
    # The indicators' English names and units are audited on their own rows: staff's trail of the list shows
    # them with its own (no state changes: no one else's trail would show them, so no one else's reads them).
    ctx["indicator_trail"] = selectors.challenge_indicator_trail(ch) if ctx["is_staff"] else None
    if ctx["is_staff"]:
        facts = {"indicator_count": ch.indicators.count()}
        shown = ("publish", "close", "cancel", "finish")
        ctx["actions"] = [
            t for t in machine.available(ch.status, roles_of(user), obj=ch, ctx=facts) if t.name in shown
        ]
        ctx["confirm"] = CONFIRMED
        # the English name, at any status (a draft's also on its edit form)
        ctx["name_form"] = ChallengeNameEnForm(initial={"title_en": ch.title_en})
        # … and the indicators' English names and units on a page of their own once published
        ctx["can_translate"] = permissions.can_translate_challenge(user, ch)
        ctx["translate_why"] = "" if ctx["can_translate"] else services.calls.MSG_ENGLISH_DRAFT
        ctx["blocked"] = [
            (t, why)
            for t, why in machine.unavailable(ch.status, roles_of(user), obj=ch, ctx=facts)
            if t.name in shown
        ]
        # Rows built once per list (issue #19): status labels translated once, one reverse() per list.
        labels = choice_labels(Application.Status)
        url = pk_url("challenges:application-detail")
        # Only the shown columns, as tuples (#19): no model rows for 3 × the applications, no join of the
        # challenge to order by its code (one challenge here).
        leader = _("负责人")  # what a nameless leader is named by, with the unit (the public-name rule)
        ctx["applications"] = [
            {
                "url": url(pk),
                "title": title,
                "unit": local_name(unit, unit_en),
                "leader": public_name(
                    full_name, f"{first} {last}", local_name(unit, unit_en), leader
                ),  # str(User)
                "budget_requested": budget,
                "status": labels.get(status, status),
                "review_score": score,
            }
            for pk, title, unit, unit_en, full_name, first, last, budget, status, score in (
                selectors.application_list(user=user, challenge=ch)
                .exclude(status="draft")
                .order_by("review_rank", *unit_order("unit__"), "pk")
                .values_list(
                    "pk",
                    "title",
                    "unit__name",
                    "unit__name_en",
                    "leader__full_name",
                    "leader__first_name",
                    "leader__last_name",
                    "budget_requested",
                    "status",
                    "review_score",
                )
            )
        ]
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
    year = timezone.localdate().year
    # the next free code proposed, editable (people38: an empty 榜单编号 asked staff to make one up)
    initial = {
        "year": year,
        "topic": request.GET.get("topic") or None,
        "code": selectors.next_challenge_code(year),
    }
    form = ChallengeForm(request.POST or None, initial=initial)
    form.fields["code"].help_text = _("已按本年度的编号顺序填好下一个未用的编号，可以修改。")
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
    return render(
        request, "challenges/challenge_form.html", {"form": form}, status=400 if form.errors else 200
    )


@role_required(Role.STAFF)
@require_POST
def challenge_name_en(request, pk):
    """Save a challenge's English name (any status); refused: the challenge page with the name as typed (400)."""
    from .public import challenge_detail

    ch = get_object_or_404(Challenge, pk=pk)
    return english_name_post(
        request,
        ch,
        form=ChallengeNameEnForm(request.POST),
        save=lambda d: services.challenge_translate(actor=request.user, challenge=ch, title_en=d["title_en"]),
        refused=lambda form: challenge_detail(request, pk, name_form=form, status=400),
    )


@role_required(Role.STAFF)
def challenge_english(request, pk):
    """A published challenge's English name and its indicators' English names and units on one page (at any
    status after publication; services.challenge_english_set). Refused: the page again with what was typed and
    why (400); stale: the typed values beside the saved ones, the form taking the stored version."""
    ch = get_object_or_404(Challenge, pk=pk)
    if not permissions.can_translate_challenge(request.user, ch):
        raise PermissionDenied(services.calls.MSG_ENGLISH_DRAFT)
    indicators = list(ch.indicators.all())
    form = ChallengeEnglishForm(request.POST or None, challenge=ch, indicators=indicators)
    stale_rows = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changed = attempt(
            request,
            lambda: services.challenge_english_set(
                actor=request.user,
                challenge=ch,
                expected_version=d["version"],
                title_en=d["title_en"],
                indicators=form.posted(),
            ),
            form=form,
        )
        if changed is not None:
            if changed:
                messages.success(request, _("已保存英文名称和单位。"))
            else:
                messages.info(request, _("英文名称和单位没有改动。"))
            return redirect(ch)
        current = Challenge.objects.get(pk=pk)
        if current.version != d["version"]:
            saved = {"title_en": current.title_en}
            for i in current.indicators.all():
                saved[f"name_en_{i.pk}"] = i.name_en
                saved[f"unit_en_{i.pk}"] = i.unit_en
            stale_rows = keep_for_resubmit(form, version=current.version, saved=saved)
    has_contracts = ch.contracts.exists()
    return render(
        request,
        "challenges/challenge_english.html",
        {"challenge": ch, "form": form, "stale_rows": stale_rows, "has_contracts": has_contracts},
        status=400 if form.errors else 200,
    )


@role_required(Role.STAFF)
def challenge_edit(request, pk):
    ch = get_object_or_404(Challenge, pk=pk)
    if not permissions.can_edit_challenge(request.user, ch):
        raise PermissionDenied(_("只有草稿状态的榜单可以修改；已发布的榜单不能再改。"))
    form = ChallengeForm(request.POST or None, instance=Challenge.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("indicators_text", "criteria_text")}
        version = posted_version(request)  # none posted: refused, it could overwrite another's edit

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
    return render(
        request,
        "challenges/challenge_form.html",
        {"form": form, "challenge": ch},
        status=400 if form.errors else 200,  # refused: the form again with what was typed (#13.4)
    )


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
        raise PermissionDenied(_("榜单没有这项操作。"))
    if action not in CONFIRMED:
        # refused (finishing with projects still running): the list's page again with why beside the step
        # (400; it was a message after a redirect); finished meanwhile: by whom and when (409)
        answer = step(
            request,
            calls[action],
            machine=CHALLENGE,
            obj=ch,
            action=action,
            may=True,
            typed={},
            back_url=ch.get_absolute_url(),
            success=done(CHALLENGE, action),
        )
        if answer is None:
            return redirect(ch)
        if not isinstance(answer, str):
            return answer
        from .public import challenge_detail

        return challenge_detail(
            request, ch.pk, step_refused={"action": action, "text": "", "error": answer}, status=400
        )
    error = refused_reason(
        request, text_checked(request, calls[action], label=_("理由")), success=done(CHALLENGE, action)
    )
    if error is None:
        return redirect(ch)
    # Refused after its confirmation (issue #13.4): the page again, with the reason and the reason typed.
    return confirm_page(request, ch, action, error=error, reason=reason, status=400)


# What each irreversible or public step of a list does, said before it is taken (issue #13.3).
CONFIRMED = ("publish", "close", "cancel", "award")


@role_required(Role.STAFF)
def challenge_confirm(request, pk, action):
    """The confirmation page of publishing, closing, cancelling or awarding a list: what will happen, what
    is missing (the reasons the step is refused now, the applications it leaves behind), and the button
    that takes it (posting to the step's own URL)."""
    if action not in CONFIRMED:
        raise PermissionDenied(_("榜单没有这项操作。"))
    ch = get_object_or_404(Challenge.objects.select_related("topic"), pk=pk)
    return confirm_page(request, ch, action)


def confirm_page(request, ch, action: str, *, error: str = "", reason: str = "", status: int = 200):
    """The confirmation page of `action` on `ch`; after a refused submit also the reason it was refused
    and what the person typed (answering 400)."""
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
    elif action == "award" and not ch.has_publicity:  # the list's version has no publicity stage
        facts.update(publicity_required=False, proposed_count=counts.get("proposed", 0))
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
            "error": error,
            "reason": reason,
        },
        status=status,
    )


def _when(value) -> str:
    return when_text(value) or "—"
