"""An expert's reviews: the list, the scoring page and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.display import choice_labels, pk_url
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.resubmit import keep_for_resubmit, set_version
from kechuang.core.roles import Role
from kechuang.core.services import posted_version

from .. import forms, permissions, selectors, services
from ..models import Review, Round


@role_required(Role.EXPERT)
def my_assignments(request):
    # Row values computed once per list (labels, URL prefix): no gettext or reverse() per row (issue #19.4).
    round_labels = choice_labels(Round.Status)
    review_labels = choice_labels(Review.Status)
    review_url = pk_url("review:review-detail")
    rows = [
        {
            "round": a.round.title,
            "round_badge": round_labels.get(a.round.status, a.round.status)
            if a.round.status != Round.Status.REVIEWING
            else "",
            "title": a.subject.title,
            "declined": review.status == Review.Status.DECLINED,
            "url": review_url(review.pk) if review.pk else "",
            "due": a.round.due,
            "status": review.status,
            "status_label": review_labels.get(review.status, review.status),
        }
        for a in selectors.my_assignments(user=request.user)
        for review in [getattr(a, "review", None) or Review(status="")]
    ]
    return render(request, "review/my_assignments.html", {"assignments": rows})


@login_required
def review_detail(request, pk):
    review = get_visible_or_404(
        Review.objects.select_related("assignment"),
        pk=pk,
        user=request.user,
        visible=permissions.can_view_review,
    )
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
                    expected_version=posted_version(request),
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
    review = get_visible_or_404(
        Review.objects.select_related("assignment"),
        pk=pk,
        user=request.user,
        visible=permissions.can_view_review,
    )
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
