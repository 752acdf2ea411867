"""The duplicate check's pages (staff): the pairs waiting for a decision, one pair with the matching passages
side by side and the decision. The application page lists its pairs at the formal check."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kechuang.core.decided import decided_page, moved_on
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.filters import choice_filter
from kechuang.core.limits import REASON_MAX
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role, roles_of

from .. import dedup, services
from ..models import DuplicatePair
from ..services.dedup import application_text
from ..workflow_dedup import DUPLICATE, DuplicateStatus


class DecisionForm(forms.Form):
    note = forms.CharField(
        max_length=REASON_MAX, label=gettext_lazy("核查意见"), widget=forms.Textarea(attrs={"rows": 3})
    )


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


ALL = "all"  # the status list's 全部 entry (blank is the default: the pairs waiting for a decision)


@role_required(Role.STAFF)
def duplicate_list(request):
    # ?status= from the page's list (the pairs waiting for a decision by default; "all" its 全部 entry): anything
    # else is said beside the list, never silently read as all
    shown = choice_filter(
        request,
        "status",
        [(ALL, _("全部")), *DuplicateStatus.choices],
        DuplicateStatus.OPEN,
        label=_("状态"),
    )
    qs = DuplicatePair.objects.select_related("left__unit", "right__unit").order_by("-text_score", "pk")
    if shown.value != ALL:
        qs = qs.filter(status=shown.value)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/duplicate_list.html",
        {"page": page, "status_filter": shown, "threshold": dedup.THRESHOLD},
    )


@role_required(Role.STAFF)
def duplicate_detail(request, pk):
    return _detail_page(request, pk)


def _detail_page(request, pk, *, refused: tuple[str, DecisionForm] | None = None, status: int = 200):
    """One pair's page; `refused`: a decision refused (the action's name and its form as sent, with why),
    shown again in that action's form."""
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
        (t, refused[1] if refused and refused[0] == t.name else DecisionForm(auto_id=f"id_{t.name}_%s"))
        for t in DUPLICATE.available(pair.status, roles_of(request.user))
    ]
    return render(
        request,
        "challenges/duplicate_detail.html",
        {"pair": pair, "passages": dedup.passages(left, right), "actions": actions},
        status=status,
    )


@require_POST
@role_required(Role.STAFF)
def duplicate_decide(request, pk, action):
    """Staff decide a pair. Refused (no note): the pair's page again, the note as typed and why beside it
    (400; it was a message after a redirect, the note lost); decided meanwhile (a second click, another
    staff member's tab): a page saying by whom and when, the note kept to copy (409)."""
    pair = get_object_or_404(DuplicatePair, pk=pk)
    note = request.POST.get("note", "")
    if action not in DUPLICATE.transitions:
        raise Http404
    if moved_on(DUPLICATE, pair, action):
        return decided_page(request, obj=pair, back_url=pair.get_absolute_url(), typed={_("核查意见"): note})
    form = DecisionForm(request.POST, auto_id=f"id_{action}_%s")
    if form.is_valid():
        try:
            services.duplicate_decide(actor=request.user, pair=pair, action=action, note=note)
        except PermissionDenied as exc:
            raise Refused(error_text(exc)) from exc
        except ApplicationError as exc:
            if moved_on(DUPLICATE, pair, action):
                return decided_page(
                    request, obj=pair, back_url=pair.get_absolute_url(), typed={_("核查意见"): note}
                )
            form.add_error("note" if not note.strip() else None, error_text(exc))
        else:
            messages.success(request, _("已记录查重结论。"))
            return redirect(pair)
    return _detail_page(request, pk, refused=(action, form), status=400)
