"""The expert review of programme calls' review stages (issue #18): staff open a stage's round from the call
page and release an expert from a review. Thin: role and object checked here, the services write; a refused
form answers 400 with what was typed."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role
from kechuang.programmes import selectors as programme_selectors
from kechuang.programmes import workflow as programme_workflow
from kechuang.programmes.models import Call

from .. import forms, services
from ..models import Assignment, CallStageRound


@role_required(Role.STAFF)
def call_review_open(request, pk):
    call = get_object_or_404(Call.objects.select_related("version__programme"), pk=pk)
    form = forms.CallReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.call_review_open(
                actor=request.user,
                call=call,
                k=d["k"],
                max_load=d["max_load"],
                mode=d["mode"],
                experts=list(d["experts"]) or None,
            )
        except ApplicationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已开启专家评审，并已通知分配到的专家。"))
            return redirect(call)
    status = 400 if request.method == "POST" else 200
    stage = call.stage or {}
    # a 答辩 after a 函评 opens once its shortlist is decided: no button until then, and why (issue #18)
    shortlisting = call.status == "running" and stage.get("key") in programme_workflow.shortlist_stage_keys(
        call.version.stages
    )
    waiting = programme_selectors.shortlist_close_refusals(call, stage) if shortlisting else []
    return render(
        request,
        "review/call_review_open.html",
        {
            "call": call,
            "stage": call.stage,
            "form": form,
            "subjects": services.call_review_subjects(call),
            "shortlisting": shortlisting,
            "waiting": waiting,
        },
        status=status,
    )


@role_required(Role.STAFF)
def assignment_release(request, pk):
    assignment = get_object_or_404(
        Assignment.objects.select_related("round", "subject", "expert"),
        pk=pk,
        status=Assignment.Status.ACTIVE,
    )
    link = CallStageRound.objects.filter(round=assignment.round).select_related("call").first()
    back = link.call if link else assignment.round
    form = forms.ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_release(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已免除该专家的此项评审。"))
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "review/assignment_release.html",
        {"assignment": assignment, "form": form, "back": back},
        status=status,
    )
