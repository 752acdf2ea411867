"""The reorganisation pages: reorganisations, the lineage graph and the overlap check."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.attempts import attempt
from kechuang.core.exports import wants_export
from kechuang.core.limits import search_words
from kechuang.core.permissions import get_visible_or_404, role_required

from .. import exports, permissions, selectors, services
from ..forms import (
    MergeAcceptForm,
    MergeDismissForm,
    ReorganisationForm,
)
from ..models import Platform, Reorganisation
from ._common import STAFF


def reorganisation_list(request):
    q = search_words(request)
    qs = selectors.reorganisation_list(user=request.user, q=q)
    if wants_export(request):
        return exports.reorganisations_xlsx(qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "platforms/reorganisations.html",
        {"page": page, "q": q, "can_edit": permissions.can_edit_platform(request.user)},
    )


def reorganisation_detail(request, pk):
    reorg = get_object_or_404(
        Reorganisation.objects.prefetch_related("sources__host", "targets__host"), pk=pk
    )
    if not permissions.can_view_internal(request.user) and not reorg.sources.filter(published=True).exists():
        raise Http404
    return render(request, "platforms/reorganisation_detail.html", {"reorg": reorg})


@role_required(STAFF)
def reorganisation_create(request):
    form = ReorganisationForm(request.POST or None)
    title = _("记录优化重组")
    if request.method == "POST" and request.POST.get("step") == "edit":
        # 返回修改 on the confirmation page: the form again, with what was typed (nothing refused yet).
        return render(request, "platforms/form.html", {"form": form, "title": title})
    if request.method == "POST" and form.is_valid() and request.POST.get("confirmed") != "1":
        # Irreversible (issue #13.3): the sources leave service; first a page that says so, values carried.
        return render(request, "platforms/reorganisation_confirm.html", {"d": form.cleaned_data})
    if request.method == "POST" and form.is_valid():
        reorg = attempt(
            request,
            lambda: services.reorganisation_create(actor=request.user, **form.cleaned_data),
            success=_("已记录重组。"),
            form=form,
        )
        if reorg:
            return redirect(reorg)
    # A refused submit (invalid, or refused by the service after its confirmation) answers 400 with the
    # person's input and the reason (issue #13.4).
    status = 400 if request.method == "POST" else 200
    return render(request, "platforms/form.html", {"form": form, "title": title}, status=status)


def lineage(request):
    batch = request.GET.get("batch", "")
    platform = None
    if request.GET.get("platform", "").isdecimal():
        platform = get_visible_or_404(
            selectors.platform_get,
            user=request.user,
            visible=permissions.can_view_platform,
            pk=int(request.GET["platform"]),
        )
    graph = selectors.lineage(platform=platform, batch=batch)
    internal = permissions.can_view_internal(request.user)
    retired = {e["source"] for e in graph["edges"]}
    nodes = [
        {
            "id": str(pk),
            "name": p.short_name or p.local_name,
            "full": p.local_name,
            "status": p.get_status_display(),
            "category": 0 if pk in retired else 1,
        }
        for pk, p in graph["nodes"].items()
        if internal or p.published
    ]
    ids = {n["id"] for n in nodes}
    edges = [
        {"source": str(e["source"]), "target": str(e["target"]), "label": e["kind"], "date": e["date"]}
        for e in graph["edges"]
        if e["target"] is not None and str(e["source"]) in ids and str(e["target"]) in ids
    ]
    batches = (
        Reorganisation.objects.exclude(batch="").order_by("batch").values_list("batch", flat=True).distinct()
    )
    return render(
        request,
        "platforms/lineage.html",
        {
            "graph": {"nodes": nodes, "links": edges},
            "platform": platform,
            "batch": batch,
            "batches": batches,
            "height": max(500, 14 * len(nodes)),
        },
    )


@role_required(STAFF)
def overlap(request):
    try:
        min_score = min(1.0, max(0.0, float(request.GET.get("min", "") or 0.35)))
    except ValueError:
        min_score = 0.35
    candidates = selectors.merge_candidates(min_score=min_score)[:100]
    # each pair's new platform: the next free code of its first platform's series, proposed and editable
    codes = dict(Platform.objects.filter(pk__in={c.a.id for c in candidates}).values_list("pk", "code"))
    proposed = {}
    shown = [
        (c, proposed.setdefault(codes.get(c.a.id, ""), selectors.next_code(codes.get(c.a.id, ""))))
        for c in candidates
    ]
    return render(
        request,
        "platforms/overlap.html",
        {"candidates": shown, "today": timezone.localdate(), "merge_form": MergeAcceptForm()},
    )


@role_required(STAFF)
@require_POST
def overlap_decide(request):
    decision = request.POST.get("decision")
    form = (MergeAcceptForm if decision == "accept" else MergeDismissForm)(request.POST)
    if not form.is_valid():
        if form.has_error("a") or form.has_error("b"):
            raise Http404
        return _merge_form(request, form, decision)
    data = form.cleaned_data
    a = get_object_or_404(Platform, pk=data["a"])
    b = get_object_or_404(Platform, pk=data["b"])
    if request.POST.get("step") == "edit":  # 返回修改 on the confirmation page: the values typed, again
        return _merge_form(request, form, decision, status=200)
    if decision == "accept" and request.POST.get("confirmed") != "1":
        # Irreversible (issue #13.3): first a page that says what the merge does, the values carried along.
        return render(
            request,
            "platforms/merge_confirm.html",
            {"a": a, "b": b, "data": data, "fields": form.cleaned_data},
        )
    if decision == "accept":
        reorg = attempt(
            request,
            lambda: services.merge_candidate_accept(
                actor=request.user,
                a=a,
                b=b,
                code=data["code"],
                name=data["name"],
                date=data["date"],
                reason=data["reason"],
            ),
            success=_("已合并，并记录重组。"),
            form=form,
        )
        return redirect(reorg) if reorg else _merge_form(request, form, decision)
    if attempt(
        request,
        lambda: services.merge_candidate_dismiss(actor=request.user, a=a, b=b, reason=data["reason"]),
        success=_("已记录不合并的决定。"),
        form=form,
    ):
        return redirect("platforms:overlap")
    return _merge_form(request, form, decision)


def _merge_form(request, form, decision: str, *, status: int = 400):
    """A merge or dismissal refused (a field missing, the service's reason): the pair's form again with
    what was typed and why (issue #13.4), answering 400."""
    pks = [form.data.get(k, "") for k in ("a", "b")]
    pair = {p.pk: p for p in Platform.objects.filter(pk__in=[int(x) for x in pks if str(x).isdecimal()])}
    if len(pair) != 2:
        raise Http404
    a, b = (pair[int(x)] for x in pks)
    return render(
        request,
        "platforms/merge_form.html",
        {"a": a, "b": b, "form": form, "decision": "accept" if decision == "accept" else "dismiss"},
        status=status,
    )
