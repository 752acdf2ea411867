"""An expert's reviews: the list, the scoring page and its actions."""

from django import forms as forms_lib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.decided import decided_page, moved_on
from kechuang.core.display import choice_labels, pk_url
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.formkinds import RowsWidget, rows_post
from kechuang.core.language import local_name
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.resubmit import keep_for_resubmit, set_version
from kechuang.core.roles import Role
from kechuang.core.services import posted_version
from kechuang.core.uploads import uploaded_file_response
from kechuang.programmes.filefields import upload_bytes

from .. import forms, permissions, selectors, services, sheet, workflow
from ..models import Review, ReviewFile, Round


@role_required(Role.EXPERT)
def my_assignments(request):
    # Row values computed once per list (labels, URL prefix): no gettext or reverse() per row (issue #19.4);
    # only the six shown values of each row, as tuples (60 assignments built 300 model objects: assignment,
    # round, form, subject, review).
    round_labels = choice_labels(Round.Status)
    review_labels = choice_labels(Review.Status)
    review_url = pk_url("review:review-detail")
    rows = [
        {
            "round": local_name(round_title, round_title_en),
            "round_badge": round_labels.get(round_status, round_status)
            if round_status != Round.Status.REVIEWING
            else "",
            "title": local_name(subject_title, subject_title_en),
            "declined": review_status == Review.Status.DECLINED,
            "url": review_url(review_pk) if review_pk else "",
            "due": due,
            "status": review_status or "",
            "status_label": review_labels.get(review_status, review_status or ""),
        }
        for (
            round_title,
            round_title_en,
            round_status,
            due,
            subject_title,
            subject_title_en,
            review_pk,
            review_status,
        ) in selectors.my_assignments(user=request.user).values_list(
            "round__title",
            "round__title_en",
            "round__status",
            "round__due",
            "subject__title",
            "subject__title_en",
            "review__pk",
            "review__status",
        )
    ]
    return render(request, "review/my_assignments.html", {"assignments": rows})


@login_required
def review_detail(request, pk, decline_form=None, reopen_form=None, declare_refused=""):
    """The review's page; `decline_form`: a refused declaration of a conflict, `reopen_form`: a refused
    sending back (退回修改), each shown again with its reason as typed and why (400); `declare_refused`: the
    no-conflict declaration posted without its box ticked, why beside the box (400)."""
    # one query for the check and the page (issue #19): the review with what the page shows
    review = get_visible_or_404(
        selectors.review_with_scores, pk=pk, user=request.user, visible=permissions.can_view_review
    )
    criteria = list(review.assignment.round.form.criteria.all())
    specs = services.review_specs(review, criteria)
    is_own = review.assignment.expert_id == request.user.pk
    form = None
    stale_rows = []
    submit_refused = ""
    if is_own and review.status == Review.Status.OPENED:
        form = _score_form(
            request.POST or None, request.FILES or None, review=review, criteria=criteria, specs=specs
        )
        if request.method == "POST" and "submit" in request.POST and request.POST.get("confirm") != "1":
            # A submitted review cannot be changed: the box ticked first. Not ticked: nothing saved, the page
            # again (400) with every score and comment as typed and why beside the button.
            form.is_valid()  # the typed values' own errors shown too
            submit_refused = _("评审没有提交：请勾选确认（提交后评分和意见不能再修改）。")
        elif request.method == "POST" and form.is_valid():
            saved = False
            try:
                services.review_save(
                    actor=request.user,
                    review=review,
                    expected_version=posted_version(request),
                    **_posted(form, criteria=criteria, specs=specs),
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
                    name = field if specs is not None else f"c_{field}"
                    if name in form.fields:
                        form.add_error(name, errs)
                current = selectors.review_with_scores(pk=pk)
                if saved:
                    # The draft was saved (version +1) but not submitted: the form takes the new version,
                    # so that the corrected submit is not refused as stale (issue #13.4).
                    set_version(form, current.version)
                    form.add_error(None, _("草稿已保存，但未能提交；请补全后再次提交。"))
                    if specs is None:
                        # which score is missing, at its box (walked, session 23: only "some criteria are
                        # not scored" above the sheet, the expert hunting for the empty one)
                        for c in criteria:
                            name = f"c_{c.code}"
                            if (
                                name in form.fields
                                and not form.errors.get(name)
                                and form.cleaned_data.get(name) is None
                            ):
                                form.add_error(name, _("此项未打分。"))
                elif getattr(exc, "code", "") == "stale":
                    stored = _stored(current, specs=specs)
                    stored.pop("version", None)
                    for key in sheet.file_keys(specs or []):
                        stored.pop(key, None)  # a file is not compared: the sheet shows the stored one
                    stale_rows = keep_for_resubmit(form, version=current.version, saved=stored)
    ctx = {
        "review": review,
        "assignment": review.assignment,
        "subject": review.assignment.subject,
        "form": form,
        "is_own": is_own,
        "is_staff": permissions.is_staff(request.user),
        "criteria": criteria,
        "sheet_rows": sheet.rows(specs, review.sheet_values, files=_files(review, specs))
        if specs is not None
        else None,
        "reopen_form": reopen_form or forms.ReasonForm(auto_id="id_reopen_%s"),
        "decline_form": decline_form or forms.DeclineForm(),
        "documents": _documents(review.assignment.subject.subject),
        "parties": selectors.subject_parties(review.assignment.subject.facts),
        "stale_rows": stale_rows,
        "submit_refused": submit_refused,
        "declare_refused": declare_refused,
    }
    refused = (
        declare_refused
        or submit_refused
        or (form is not None and form.errors)
        or (decline_form is not None and decline_form.errors)
        or (reopen_form is not None and reopen_form.errors)
    )
    return render(request, "review/review_detail.html", ctx, status=400 if refused else 200)


def _stored(review: Review, *, specs) -> dict:
    """The review's stored values as the scoring form's initial values (field name -> value)."""
    if specs is not None:
        values = dict(review.sheet_values or {})
        for s in review.scores.all():
            values.setdefault(s.criterion.code, str(s.score))
        out = sheet.initial(specs, values, files=_files(review, specs))
    else:
        out = {f"c_{s.criterion.code}": s.score for s in review.scores.all()}
    out.update(
        comments=review.comments,
        opinion=review.opinion,
        recommendation=review.recommendation,
        version=review.version,
    )
    return out


def _files(review: Review, specs) -> dict:
    """The review's stored sheet files by id (one query, none when its sheet has no file field)."""
    if not sheet.file_keys(specs or []):
        return {}
    if getattr(review, "_sheet_files", None) is None:
        review._sheet_files = {f.pk: f for f in review.files.all()}
    return review._sheet_files


def _score_form(data, files=None, *, review: Review, criteria, specs):
    """The expert's scoring sheet: rendered from the round's review form version (review/sheet.py), or the
    code's own criteria form when the round has none.

    The page's own form posts every field with its marker `whole_form` (an unchecked box or an emptied
    multiple choice sends nothing, and means empty). A post without the marker (an autosave of one field,
    HTMX) carries only what changed: every field it does not carry takes its stored value, so the save
    blanks nothing else, conditions are judged on the whole sheet, and a refused save shows the whole
    sheet with the person's input."""
    initial = _stored(review, specs=specs)

    def make(d, f):
        if specs is not None:
            return sheet.SheetForm(d, f, specs=specs, initial=initial)
        return forms.ScoreForm(d, criteria=criteria, initial=initial)

    if data is not None and not data.get(sheet.WHOLE_FORM):
        data = _with_stored(make(None, None), data, files or {}, initial)
    return make(data, files)


def _with_stored(form, data, files, initial: dict):
    """`data` with the stored value of every field it omits, as the browser would post it."""
    data = data.copy()
    for name, field in form.fields.items():
        value = initial.get(name)
        widget = field.widget
        if value is None or isinstance(value, sheet.StoredFile):  # a stored file stays by itself
            continue
        if isinstance(widget, forms_lib.CheckboxInput | forms_lib.CheckboxSelectMultiple):
            omitted = name not in data  # these widgets never count as omitted
        else:
            omitted = widget.value_omitted_from_data(data, files, name)
        if not omitted:
            continue
        if isinstance(widget, RowsWidget):
            data.update(rows_post(name, value))
        elif isinstance(value, list | tuple):
            data.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def _posted(form, *, criteria, specs) -> dict:
    """review_save's keywords from a valid scoring form."""
    d = form.cleaned_data
    out = {"comments": d["comments"], "opinion": d["opinion"], "recommendation": d.get("recommendation", "")}
    if specs is not None:
        out["values"] = form.sheet_values()
        out["files"] = {
            key: None if upload is None else (upload_bytes(upload), upload.name)
            for key, upload in form.sheet_files().items()
        }
    else:
        scores = {c.code: d.get(f"c_{c.code}") for c in criteria}
        out["scores"] = {k: v for k, v in scores.items() if v is not None}
    return out


def _documents(target) -> list[tuple[str, str]]:
    """The reviewed object's own files (label, URL), when its app offers them (`review_documents`)."""
    documents = getattr(target, "review_documents", None)
    return documents() if callable(documents) else []


@login_required
def review_file_download(request, pk):
    """A file answering a file field of a review's sheet: those who may see the review (its expert, staff),
    never the applicant nor another expert."""
    rf = get_visible_or_404(
        ReviewFile.objects.select_related("review__assignment"),
        pk=pk,
        user=request.user,
        visible=lambda user, f: permissions.can_view_review(user, f.review),
    )
    return uploaded_file_response(rf.file, rf.original_name)


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
            if services.declaration_missing(review, request.user, request.POST):
                return review_detail(request, pk, declare_refused=str(services.DECLARATION_REQUIRED))
            services.review_open(actor=request.user, review=review)
        elif action == "decline":
            decline = forms.DeclineForm(request.POST)
            if not decline.is_valid():  # refused: the page again, the reason kept, and why (400)
                return review_detail(request, pk, decline_form=decline)
            try:
                services.review_decline(
                    actor=request.user, review=review, reason=decline.cleaned_data["reason"]
                )
            except PermissionDenied:
                raise
            except ApplicationError as exc:  # refused by a rule: the page again, the reason as typed and why
                decline.add_error("reason", error_text(exc))
                return review_detail(request, pk, decline_form=decline)
            messages.success(request, _("已声明回避，工作人员将另行安排专家。"))
            return redirect("review:my-assignments")
        elif action == "reopen":
            # refused: the page again with the reason as typed and why beside it (400); sent back already
            # (a second click, a stale tab): who did and when (409)
            if not permissions.is_staff(request.user):
                raise DjangoPermissionDenied(_("只有科技厅工作人员可以退回评审。"))
            typed = {_("退回理由"): reason}
            if moved_on(workflow.REVIEW, review, "reopen"):
                return decided_page(request, obj=review, back_url=review.get_absolute_url(), typed=typed)
            reopen = forms.ReasonForm(request.POST, auto_id="id_reopen_%s")
            if not reopen.is_valid():
                return review_detail(request, pk, reopen_form=reopen)
            try:
                services.review_reopen(
                    actor=request.user, review=review, reason=reopen.cleaned_data["reason"]
                )
            except PermissionDenied:
                raise
            except ApplicationError as exc:
                if moved_on(workflow.REVIEW, review, "reopen"):
                    return decided_page(request, obj=review, back_url=review.get_absolute_url(), typed=typed)
                reopen.add_error("reason", error_text(exc))
                return review_detail(request, pk, reopen_form=reopen)
            messages.success(request, _("已退回专家修改。"))
        elif action in ("release", "withdraw"):
            services.review_release(actor=request.user, review=review, released=action == "release")
        else:
            raise Http404
    except PermissionDenied as exc:  # not this person's review to act on: refused, not a form error
        raise DjangoPermissionDenied(error_text(exc)) from exc
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect(review)
