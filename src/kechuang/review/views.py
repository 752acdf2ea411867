"""Pages of the review app: the expert pool, my profile, my reviews, rounds and the panel."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.accounts.models import Unit, User
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.exports import wants_export
from kechuang.core.permissions import role_required
from kechuang.core.resubmit import keep_for_resubmit, set_version
from kechuang.core.roles import Role, roles_of
from kechuang.integrity import panels as integrity_panels

from . import exports, forms, permissions, selectors, services, workflow
from .models import Assignment, ExpertProfile, Review, Round


def reviewable_types() -> list[tuple[str, str]]:
    """Content types whose model implements review_subject()."""
    out = []
    for model in apps.get_models():
        if hasattr(model, "review_subject"):
            ct = ContentType.objects.get_for_model(model)
            out.append((str(ct.pk), f"{model._meta.app_label} · {model._meta.verbose_name}"))
    return out


# --- pool --------------------------------------------------------------------------------------------


@role_required(Role.STAFF)
def expert_list(request):
    qs = selectors.expert_list(
        q=request.GET.get("q", "").strip(),
        status=request.GET.get("status", ""),
        discipline=request.GET.get("discipline", "").strip(),
        city=request.GET.get("city", "").strip(),
    )
    if wants_export(request):
        return exports.experts_xlsx(qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "review/expert_list.html", {"page": page, "statuses": ExpertProfile.Status.choices}
    )


@role_required(Role.STAFF)
def expert_import(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            report = services.expert_import(
                actor=request.user, data=f.read(), filename=f.name, dry_run=not form.cleaned_data["commit"]
            )
        except ApplicationError as exc:
            form.add_error("file", error_text(exc))
        else:
            if report.committed:
                messages.success(request, _("已导入%(n)d位专家。") % {"n": report.created + report.updated})
                return redirect("review:expert-list")
    return render(request, "review/expert_import.html", {"form": form, "report": report})


@login_required
def expert_detail(request, pk):
    profile = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk)
    if not permissions.can_view_profile(request.user, profile):
        raise Http404
    profile = selectors.expert_profile_get(pk=pk)
    ctx = {
        "profile": profile,
        "actions": workflow.PROFILE.available(profile.status, roles_of(request.user), profile),
        "credit_form": forms.CreditForm() if permissions.can_manage_pool(request.user) else None,
        "reason_form": forms.ReasonForm(),
        "credit_total": sum(c.points for c in profile.credits.all()),
        # The credit record and the integrity records are for staff only, not for the expert themself.
        "staff_view": permissions.can_manage_pool(request.user),
    }
    if ctx["staff_view"]:
        ctx["integrity"] = integrity_panels.user_panel(user=request.user, person=profile.user)
    return render(request, "review/expert_detail.html", ctx)


@require_POST
@login_required
def expert_transition(request, pk, action):
    profile = get_object_or_404(ExpertProfile, pk=pk)
    if not permissions.can_view_profile(request.user, profile):
        raise Http404
    try:
        services.expert_profile_transition(
            actor=request.user, profile=profile, action=action, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已完成。"))
    return redirect(profile)


@require_POST
@role_required(Role.STAFF)
def expert_credit(request, pk):
    profile = get_object_or_404(ExpertProfile, pk=pk)
    form = forms.CreditForm(request.POST)
    if form.is_valid():
        services.expert_credit_record(actor=request.user, profile=profile, **form.cleaned_data)
        messages.success(request, _("已记录。"))
    else:
        messages.error(request, _("信用记录填写有误。"))
    return redirect(profile)


def _my_profile_new(request):
    """An expert without a profile: the page offers to create one; the POST creates it (a draft, in the
    city of the user's unit), so reading the page writes nothing."""
    if request.method == "POST":
        try:
            services.expert_profile_create(
                actor=request.user, user=request.user, city=getattr(request.user.unit, "city", "")
            )
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("专家档案已建立，请填写后提交审核。"))
        return redirect("review:my-profile")
    return render(request, "review/my_profile_new.html")


@role_required(Role.EXPERT)
def my_profile(request):
    profile = ExpertProfile.objects.filter(user=request.user).first()
    if profile is None:
        return _my_profile_new(request)
    form = forms.ProfileForm.for_profile(
        profile, request.POST if request.method == "POST" and "save" in request.POST else None
    )
    side = {
        "unit_form": forms.PastUnitForm(prefix="u"),
        "collab_form": forms.CollaboratorForm(prefix="c"),
        "declare_form": forms.DeclaredConflictForm(prefix="d"),
    }
    if request.method == "POST":
        try:
            if "save" in request.POST and form.is_valid():
                data = dict(form.cleaned_data)
                version = data.pop("version")
                services.expert_profile_update(
                    actor=request.user, profile=profile, expected_version=version, **data
                )
                messages.success(request, _("档案已保存。"))
                return redirect("review:my-profile")
            if "add_unit" in request.POST:
                side["unit_form"] = f = forms.PastUnitForm(request.POST, prefix="u")
                if f.is_valid():
                    unit = Unit.objects.filter(name=f.cleaned_data["unit_name"]).first()
                    services.expert_unit_add(actor=request.user, profile=profile, unit=unit, **f.cleaned_data)
                    return redirect("review:my-profile")
            if "add_collab" in request.POST:
                side["collab_form"] = f = forms.CollaboratorForm(request.POST, prefix="c")
                if f.is_valid():
                    services.collaborator_add(actor=request.user, profile=profile, **f.cleaned_data)
                    return redirect("review:my-profile")
            if "declare" in request.POST:
                side["declare_form"] = f = forms.DeclaredConflictForm(request.POST, prefix="d")
                if f.is_valid():
                    unit = (
                        Unit.objects.filter(name=f.cleaned_data["unit_name"]).first()
                        if f.cleaned_data["unit_name"]
                        else None
                    )
                    if f.cleaned_data["unit_name"] and unit is None:
                        f.add_error("unit_name", _("单位库中没有这个单位。"))
                    else:
                        services.declared_conflict_add(
                            actor=request.user,
                            profile=profile,
                            unit=unit,
                            person_name=f.cleaned_data["person_name"],
                            reason=f.cleaned_data["reason"],
                        )
                        return redirect("review:my-profile")
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, error_text(exc))
    profile = selectors.expert_profile_get(pk=profile.pk)
    return render(
        request,
        "review/my_profile.html",
        {
            "profile": profile,
            "form": form,
            "actions": workflow.PROFILE.available(profile.status, roles_of(request.user), profile),
            **side,
        },
    )


# --- expert's reviews --------------------------------------------------------------------------------


@role_required(Role.EXPERT)
def my_assignments(request):
    return render(
        request, "review/my_assignments.html", {"assignments": selectors.my_assignments(user=request.user)}
    )


@login_required
def review_detail(request, pk):
    review = get_object_or_404(Review.objects.select_related("assignment"), pk=pk)
    if not permissions.can_view_review(request.user, review):
        raise Http404
    review = selectors.review_with_scores(pk=pk)
    criteria = list(review.assignment.round.form.criteria.all())
    is_own = review.assignment.expert_id == request.user.pk
    form = None
    stale_rows = []
    if is_own and review.status == Review.Status.OPENED:
        initial = {f"c_{s.criterion.code}": s.score for s in review.scores.all()}
        initial.update(
            comments=review.comments,
            opinion=review.opinion,
            recommendation=review.recommendation,
            version=review.version,
        )
        form = forms.ScoreForm(request.POST or None, criteria=criteria, initial=initial)
        if request.method == "POST" and form.is_valid():
            scores = {c.code: form.cleaned_data.get(f"c_{c.code}") for c in criteria}
            saved = False
            try:
                services.review_save(
                    actor=request.user,
                    review=review,
                    expected_version=form.cleaned_data["version"],
                    scores={k: v for k, v in scores.items() if v is not None},
                    comments=form.cleaned_data["comments"],
                    opinion=form.cleaned_data["opinion"],
                    recommendation=form.cleaned_data["recommendation"],
                )
                saved = True
                if "submit" in request.POST:
                    services.review_submit(actor=request.user, review=review)
                    messages.success(request, _("评审已提交。"))
                else:
                    messages.success(request, _("已保存草稿。"))
                return redirect(review)
            except ApplicationError as exc:
                form.add_error(None, error_text(exc))
                for field, errs in exc.fields.items():
                    if f"c_{field}" in form.fields:
                        form.add_error(f"c_{field}", errs)
                current = selectors.review_with_scores(pk=pk)
                if saved:
                    # The draft was saved (version +1) but not submitted: the form takes the new version,
                    # so that the corrected submit is not refused as stale (issue #13.4).
                    set_version(form, current.version)
                    form.add_error(None, _("草稿已保存，但未能提交；请补全后再次提交。"))
                elif getattr(exc, "code", "") == "stale":
                    stored = {f"c_{s.criterion.code}": s.score for s in current.scores.all()}
                    stored.update(
                        comments=current.comments,
                        opinion=current.opinion,
                        recommendation=current.recommendation,
                    )
                    stale_rows = keep_for_resubmit(form, version=current.version, saved=stored)
    ctx = {
        "review": review,
        "assignment": review.assignment,
        "subject": review.assignment.subject,
        "form": form,
        "is_own": is_own,
        "is_staff": permissions.is_staff(request.user),
        "criteria": criteria,
        "reason_form": forms.ReasonForm(),
        "documents": _documents(review.assignment.subject.subject),
        "stale_rows": stale_rows,
    }
    return render(
        request, "review/review_detail.html", ctx, status=400 if form is not None and form.errors else 200
    )


def _documents(target) -> list[tuple[str, str]]:
    """The reviewed object's own files (label, URL), when its app offers them (`review_documents`)."""
    documents = getattr(target, "review_documents", None)
    return documents() if callable(documents) else []


@require_POST
@login_required
def review_action(request, pk, action):
    review = get_object_or_404(Review.objects.select_related("assignment"), pk=pk)
    if not permissions.can_view_review(request.user, review):
        raise Http404
    reason = request.POST.get("reason", "")
    try:
        if action == "open":
            services.review_open(actor=request.user, review=review)
        elif action == "decline":
            services.review_decline(actor=request.user, review=review, reason=reason)
            messages.success(request, _("已声明回避，工作人员将另行安排专家。"))
            return redirect("review:my-assignments")
        elif action == "reopen":
            services.review_reopen(actor=request.user, review=review, reason=reason)
        elif action in ("release", "withdraw"):
            services.review_release(actor=request.user, review=review, released=action == "release")
        else:
            raise Http404
    except PermissionDenied as exc:  # not this person's review to act on: refused, not a form error
        raise DjangoPermissionDenied(error_text(exc)) from exc
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect(review)


# --- rounds ------------------------------------------------------------------------------------------


@role_required(Role.STAFF)
def round_list(request):
    rounds = Round.objects.select_related("form", "subject_type").order_by("-created_at", "-pk")
    if wants_export(request):
        return exports.rounds_xlsx(rounds)
    page = Paginator(rounds, 50).get_page(request.GET.get("page"))
    return render(request, "review/round_list.html", {"page": page})


@role_required(Role.STAFF)
def round_create(request):
    types = reviewable_types()
    form = forms.RoundForm(request.POST or None, type_choices=types)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        model = ContentType.objects.get_for_id(int(d["subject_type"])).model_class()
        qs = model.objects.all()
        if d["ids"]:
            qs = qs.filter(pk__in=d["ids"])
        subjects = list(qs.order_by("pk"))
        missing = set(d["ids"]) - {s.pk for s in subjects}
        if missing:
            form.add_error(
                "subject_ids", _("找不到编号：%(ids)s") % {"ids": ", ".join(map(str, sorted(missing)))}
            )
        else:
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
    return render(request, "review/round_form.html", {"form": form})


@role_required(Role.STAFF)
def round_detail(request, pk):
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
    has_active = rnd.assignments.filter(status=Assignment.Status.ACTIVE).exists()
    ctx = {
        "round": rnd,
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
    }
    return render(request, "review/round_detail.html", ctx)


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


@require_POST
@role_required(Role.STAFF)
def round_assign(request, pk):
    rnd = get_object_or_404(Round, pk=pk)
    try:
        job = services.round_assign(actor=request.user, round=rnd, as_job=True)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return redirect(rnd)
    return redirect(job.get_absolute_url())


@require_POST
@role_required(Role.STAFF)
def round_transition(request, pk, action):
    rnd = get_object_or_404(Round, pk=pk)
    try:
        services.round_transition(
            actor=request.user, round=rnd, action=action, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect(rnd)


@require_POST
@role_required(Role.STAFF)
def assignment_swap(request, pk):
    old = get_object_or_404(Assignment.objects.select_related("round", "subject"), pk=pk)

    try:
        expert = User.objects.get(pk=int(request.POST.get("expert", "0")))
    except (User.DoesNotExist, ValueError):
        messages.error(request, _("请选择专家。"))
        return redirect(old.round)
    try:
        services.assignment_create_manual(
            actor=request.user,
            round=old.round,
            subject=old.subject,
            expert=expert,
            reason=request.POST.get("reason", ""),
            replace=old,
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已调整专家。"))
    return redirect(old.round)


@role_required(Role.STAFF)
def round_panel(request, pk):
    rnd = get_object_or_404(Round.objects.select_related("form"), pk=pk)
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
                s.title,
                r.n_reviews,
                r.mean,
                r.trimmed_mean,
                r.normalised,
                _("是") if r.disagreement else "",
                "；".join(
                    f"{Review.Recommendation(k).label if k in Review.Recommendation.values else k} {v}"
                    for k, v in r.recommendations.items()
                ),
            ]
            for s, r in rows
        ]
        return xlsx_response(f"review-round-{rnd.pk}.xlsx", headers, data, sheet_title=_("会评排名"))
    chart = {
        "titles": [s.title[:20] for s, _r in rows],
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
            "criteria_names": {c.code: c.name for c in rnd.form.criteria.all()} if rnd.form_id else {},
        },
    )
