"""The duplicate check's pages (staff): the pairs waiting for a decision, one pair with the matching passages
side by side and the decision. The application page lists its pairs at the formal check."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role, roles_of

from .. import dedup, services
from ..models import DuplicatePair
from ..services.dedup import application_text
from ..workflow_dedup import DUPLICATE, DuplicateStatus


class DecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("核查意见"), widget=forms.Textarea(attrs={"rows": 3}))


def pairs_of(application) -> list[DuplicatePair]:
    """The pairs an application is in, best first, each with `other` (the other application)."""
    from django.db.models import Q

    pairs = list(
        DuplicatePair.objects.filter(Q(left=application) | Q(right=application))
        .select_related("left__unit", "right__unit", "left__challenge", "right__challenge")
        .order_by("-text_score", "-people_score", "pk")
    )
    for p in pairs:
        p.other_app = p.other(application.pk)
    return pairs


@role_required(Role.STAFF)
def duplicate_list(request):
    status = request.GET.get("status", DuplicateStatus.OPEN)
    qs = DuplicatePair.objects.select_related("left__unit", "right__unit").order_by("-text_score", "pk")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/duplicate_list.html",
        {"page": page, "statuses": DuplicateStatus.choices, "status": status, "threshold": dedup.THRESHOLD},
    )


@role_required(Role.STAFF)
def duplicate_detail(request, pk):
    pair = get_object_or_404(
        DuplicatePair.objects.select_related(
            "left__unit",
            "right__unit",
            "left__challenge",
            "right__challenge",
            "left__leader",
            "right__leader",
        ),
        pk=pk,
    )
    left, right = application_text(pair.left), application_text(pair.right)
    actions = [
        (t, DecisionForm(auto_id=f"id_{t.name}_%s"))
        for t in DUPLICATE.available(pair.status, roles_of(request.user))
    ]
    return render(
        request,
        "challenges/duplicate_detail.html",
        {"pair": pair, "passages": dedup.passages(left, right), "actions": actions},
    )


@require_POST
@role_required(Role.STAFF)
def duplicate_decide(request, pk, action):
    pair = get_object_or_404(DuplicatePair, pk=pk)
    try:
        services.duplicate_decide(
            actor=request.user, pair=pair, action=action, note=request.POST.get("note", "")
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已记录查重结论。"))
    return redirect(pair)
