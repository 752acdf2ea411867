"""Pages of ingest (department staff only): documents, upload, side-by-side repair view, fact review."""

import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from django.views.decorators.http import require_POST

from kechuang.core.dates import when_text
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.display import actor_words
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.exports import wants_export
from kechuang.core.filters import choice_filter
from kechuang.core.jobs import job_submit
from kechuang.core.limits import checked_text, search_words
from kechuang.core.messages import Message
from kechuang.core.models import AuditEvent
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.redirects import back_or
from kechuang.core.roles import Role, roles_of
from kechuang.core.services import posted_version

from . import exports, selectors, services
from .display import record_shown
from .forms import DocumentForm, FactCheckForm, FactEditForm, ReasonForm, UploadForm
from .highlight import highlight
from .models import STEP_REASON_MAX, Change, Document, Fact
from .parsers.repair import STEP_LABELS, note_text
from .permissions import documents_visible_to, facts_visible_to
from .workflow import DOCUMENT_MACHINE, FACT_MACHINE

SYNC_LIMIT = 512 * 1024  # one file this small is ingested at once; anything more runs as a job


@role_required(Role.STAFF)
def document_list(request):
    # ?status= from the page's list; anything else is said beside the list, never silently read as all
    shown = choice_filter(request, "status", Document.Status.choices, label=_("状态"), everything=True)
    q = search_words(request)
    page = Paginator(selectors.document_list(user=request.user, q=q, status=shown.value or ""), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "ingest/document_list.html", {"page": page, "q": q, "status_filter": shown})


@role_required(Role.STAFF)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["files"]
        year, region = form.cleaned_data["year"], form.cleaned_data["region"] or ""
        if len(files) == 1 and files[0].size <= SYNC_LIMIT:
            f = files[0]
            try:
                document, created = services.document_ingest(
                    actor=request.user, data=f.read(), filename=f.name, year=year, region=region
                )
            except ApplicationError as exc:
                form.add_error("files", str(exc.message))
            else:
                if created:
                    messages.success(request, _("已导入：%(title)s") % {"title": document.title})
                else:
                    messages.info(request, _("该文件已导入过，未重复创建。"))
                return redirect(document)
        else:
            folder = Path(settings.MEDIA_ROOT) / "ingest" / "incoming" / uuid.uuid4().hex
            folder.mkdir(parents=True, exist_ok=True)
            paths = []
            for i, f in enumerate(files):
                target = folder / f"{i:04d}_{Path(f.name).name}"
                with open(target, "wb") as out:
                    for chunk in f.chunks():
                        out.write(chunk)
                paths.append(str(target))
            job = job_submit(
                kind="ingest.batch",
                params={"paths": paths, "year": year, "region": region, "remove_after": True},
                actor=request.user,
                title=Message(gettext_noop("导入 %(n)d 份报告"), n=len(paths)),
            )
            return redirect(job.get_absolute_url())
    # refused: the page again (400) with the year and region as chosen and the files named to choose again
    refused = request.method == "POST" and bool(form.errors)
    return render(request, "ingest/upload.html", {"form": form}, status=400 if refused else 200)


CONTEXT_CHARS = 12  # characters of the line shown on each side of a change


def place_in_text(text: str, start: int, end: int) -> tuple[int, str, str]:
    """A place in `text` as a person finds it: its line (from 1) and up to CONTEXT_CHARS characters of that
    line before and after it (the offsets stay in the API, for programs)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - CONTEXT_CHARS) : start]
    after = text[end : min(line_end, end + CONTEXT_CHARS)]
    return text.count("\n", 0, start) + 1, before, after


@role_required(Role.STAFF)
def document_detail(request, pk, *, form=None, refused=None, status: int = 200):
    """Original and repaired text side by side, every change highlighted in both, the facts found; after a
    refused edit, its form again with the input and why (400); after a refused step (`refused`: the action,
    the reason typed, why), why beside its button and the reason kept (400)."""
    document = get_visible_or_404(selectors.document_get, user=request.user, pk=pk)
    changes = selectors.document_changes(document=document)
    facts = selectors.document_facts(document=document)
    places = selectors.places_shown(
        f.other_place for f in facts
    )  # another region's, in the reader's language
    for f in facts:
        f.place_shown = places.get(f.other_place, "")
    # A report has hundreds of changes and a few kinds of step and note: each label is worded once (the
    # step's is a lazy translation, which the page would translate again on every row and in every span).
    steps = {step: str(STEP_LABELS.get(step, step)) for step in {c.step for c in changes}}
    notes = {note: note_text(note) for note in {c.note for c in changes}}
    for c in changes:  # the step and its note in the page's language (both are kept in Chinese or as a key)
        c.step_label, c.note_label = steps[c.step], notes[c.note]
        # where it is in words (the line of the original and the text around it), not character offsets
        c.line, c.context_before, c.context_after = place_in_text(
            document.original_text, c.orig_start, c.orig_end
        )
    live = [c for c in changes if not c.reverted]
    colon = _("：")
    orig_spans = [
        (
            c.orig_start,
            c.orig_end,
            f"chg {c.step}{' uncertain' if c.uncertain else ''}",
            f"{c.step_label}{colon}{c.note_label}",
            f"o{c.seq}",
        )
        for c in live
    ]
    rep_spans = [
        (
            c.rep_start,
            c.rep_end,
            f"chg {c.step}{' uncertain' if c.uncertain else ''}",
            f"{c.step_label}{colon}{c.note_label}",
            f"r{c.seq}",
        )
        for c in live
    ]
    rep_spans += [
        (f.start, f.end, "fact", f"{f.get_kind_display()}{_('：')}{f.subject}", f"f{f.pk}") for f in facts
    ]
    step_counts = {}
    for c in live:
        step_counts[c.step] = step_counts.get(c.step, 0) + 1
    roles = roles_of(request.user)
    facts_ctx = {"open_facts": any(f.status == Fact.Status.PROPOSED for f in facts)}
    return render(
        request,
        "ingest/document_detail.html",
        {
            "document": document,
            "region_shown": selectors.region_shown(document.region),
            "original_html": highlight(document.original_text, orig_spans),
            "repaired_html": highlight(document.repaired_text, rep_spans),
            "changes": changes,
            "facts": facts,
            # beside the repair's 乱码/存疑 counts: the facts read across an uncertain span, and those still open
            "uncertain_facts": selectors.uncertain_fact_count(facts),
            "uncertain_open": selectors.uncertain_fact_count(
                f for f in facts if f.status == Fact.Status.PROPOSED
            ),
            "mentions": selectors.document_mentions(document=document),
            "reason_max": STEP_REASON_MAX,
            "step_counts": [(STEP_LABELS.get(k, k), k, v) for k, v in step_counts.items()],
            "document_actions": DOCUMENT_MACHINE.available(
                document.status, roles, obj=document, ctx=facts_ctx
            ),
            "blocked": DOCUMENT_MACHINE.unavailable(document.status, roles, obj=document, ctx=facts_ctx),
            "refused": refused or {},
            # the token itself, not the lazy one of the context processor: every change's row has a form,
            # and each {% csrf_token %} asked the lazy object again, through its proxy
            "csrf_token": get_token(request),
            "form": form
            or DocumentForm(
                initial={"title": document.title, "year": document.year, "region": document.region}
            ),
        },
        status=status,
    )


@role_required(Role.STAFF)
def document_original(request, pk):
    document = get_visible_or_404(selectors.document_get, user=request.user, pk=pk)
    if document.quarantine:  # failed `uploads recheck` (docs/security.md §40): kept for review, not served
        raise Refused(document.quarantine_text)
    response = HttpResponse(bytes(document.original), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="document-{document.pk}-original"'
    # as every stored upload is served (core.uploads.uploaded_file_response): never sniffed, nothing run
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@role_required(Role.STAFF)
@require_POST
def document_edit(request, pk):
    document = get_visible_or_404(selectors.document_get, user=request.user, pk=pk)
    form = DocumentForm(request.POST, initial={"region": document.region})  # its earlier region stays valid
    if form.is_valid():
        try:
            services.document_update(
                actor=request.user,
                document=document,
                title=form.cleaned_data["title"],
                year=form.cleaned_data["year"],
                region=form.cleaned_data["region"] or "",
            )
        except PermissionDenied as exc:  # a new year on a report in quarantine: not analysed again (403)
            raise Refused(error_text(exc)) from exc
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已保存。"))
            return redirect(document)
    # Refused: the page again with what was typed and why
    return document_detail(request, document.pk, form=form, status=400)


@role_required(Role.STAFF)
@require_POST
def document_action(request, pk, action):
    """Finish or reopen a document's review. Refused (facts still open, no reason): the document's page again
    with why beside the button and the reason typed kept (400); taken already (a second click, a stale tab):
    who took it and when (409)."""
    document = get_visible_or_404(selectors.document_get, user=request.user, pk=pk)
    steps = {"finish": services.document_finish, "reopen": services.document_reopen}
    if action not in steps:
        raise Http404
    reason = request.POST.get("reason", "")
    typed = {_("理由"): reason}
    if moved_on(DOCUMENT_MACHINE, document, action):
        return decided_page(request, obj=document, back_url=document.get_absolute_url(), typed=typed)
    try:
        checked_text(reason, "reason", label=_("理由"), max_length=STEP_REASON_MAX)
        steps[action](actor=request.user, document=document, reason=reason)
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except ApplicationError as exc:
        if moved_on(DOCUMENT_MACHINE, document, action):
            return decided_page(request, obj=document, back_url=document.get_absolute_url(), typed=typed)
        refused = {"action": action, "reason": reason, "error": error_text(exc)}
        return document_detail(request, document.pk, refused=refused, status=400)
    messages.success(request, _("已完成。"))
    return redirect(document)


@role_required(Role.STAFF)
@require_POST
def change_revert(request, pk):
    """Undo one change of a document's repair (cannot be re-applied): a confirmation first; refused, that page
    again with why and the reason kept (400). Undone already, or the page out of date (every undo repairs the
    text again and renumbers its changes): who undid one and when, nothing changed (409)."""
    form = ReasonForm(request.POST)
    form.is_valid()
    reason = request.POST.get("reason", "")
    visible = Change.objects.filter(document__in=documents_visible_to(request.user))
    change = visible.select_related("document").filter(pk=pk).first()
    if change is None:  # gone with an undo made meanwhile (the form names its document), else never was
        posted = request.POST.get("document", "")
        document = (
            documents_visible_to(request.user).filter(pk=int(posted)).first() if posted.isdecimal() else None
        )
        if document is None or not AuditEvent.objects.for_object(document).filter(action="change.revert"):
            raise Http404
        return _change_reverted(request, document, None, reason)
    if change.reverted:  # undone already (a second click, a stale tab): by whom and when (409)
        return _change_reverted(request, change.document, change, reason)
    if request.POST.get("confirm") != "1":
        # An undone change cannot be re-applied: the row's button asks first (this page); the page's form
        # posted without its box ticked is refused (400), the reason kept.
        asked = request.POST.get("asked") == "1"
        change.step_label, change.note_label = (
            STEP_LABELS.get(change.step, change.step),
            note_text(change.note),
        )
        return render(
            request,
            "ingest/change_confirm.html",
            {
                "change": change,
                "document": change.document,
                "reason": request.POST.get("reason", ""),
                "error": _("请勾选确认后再撤销。") if asked else "",
                "reason_max": STEP_REASON_MAX,
            },
            status=400 if asked else 200,
        )
    try:
        # a reason past its bound was dropped (the form's error unread, the undo made without it): refused now
        checked_text(reason, "reason", label=_("理由"), max_length=STEP_REASON_MAX)
        document = services.change_revert(
            actor=request.user, change=change, reason=form.cleaned_data.get("reason", "")
        )
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except ApplicationError as exc:
        if not Change.objects.filter(pk=change.pk, reverted=False).exists():
            return _change_reverted(request, change.document, None, reason)
        change.step_label, change.note_label = (
            STEP_LABELS.get(change.step, change.step),
            note_text(change.note),
        )
        return render(  # the confirmation again with why and the reason kept (400)
            request,
            "ingest/change_confirm.html",
            {
                "change": change,
                "document": change.document,
                "reason": reason,
                "error": error_text(exc),
                "reason_max": STEP_REASON_MAX,
            },
            status=400,
        )
    messages.success(request, _("已撤销这处修改，文本已重新修复。"))
    return redirect(document)


def _change_reverted(request, document, change, reason: str):
    """The page answering an undo of a change someone already undid (`change`: the trail names its step and
    text), or one whose page is out of date (None: the document's latest undo): by whom and when, nothing
    changed, the reason typed kept (409)."""
    events = (
        AuditEvent.objects.for_object(document)
        .filter(action="change.revert")
        .select_related("actor__unit")
        .order_by("-at", "-id")
    )
    if change is not None:
        events = (
            e
            for e in events
            if (e.before or {}).get("step") == change.step and (e.before or {}).get("text") == change.after
        )
    event = next(iter(events), None)
    if event is None:
        text = _("这处修改已经撤销。")
    else:
        who = actor_words(event, request.user.unit_id, True) if event.actor_id else _("系统")
        sentence = (
            _("这处修改已由%(who)s于%(when)s撤销。")
            if change is not None
            else _("这份报告已由%(who)s于%(when)s撤销一处修改并重新修复，您打开的页面已过期。")
        )
        text = sentence % {"who": who, "when": when_text(event.at)}
    return render(
        request,
        "web/decided.html",
        {
            "obj": document,
            "text": text,
            "back_url": document.get_absolute_url(),
            "typed": [(_("理由"), reason)] if reason.strip() else [],
        },
        status=409,
    )


UNCERTAIN_CHOICES = [("yes", gettext_lazy("需仔细核对（读自存疑处）")), ("no", gettext_lazy("无存疑"))]
ORDER_CHOICES = [("uncertain", gettext_lazy("需仔细核对的在前")), ("reading", gettext_lazy("按报告阅读顺序"))]


@role_required(Role.STAFF)
def fact_queue(request):
    # ?status= (the facts waiting for a decision by default) and ?kind= from the page's lists; anything else is
    # said beside the list, never silently read as another
    shown = {
        "status": choice_filter(
            request, "status", Fact.Status.choices, Fact.Status.PROPOSED, label=_("状态")
        ),
        "kind": choice_filter(request, "kind", Fact.Kind.choices, label=_("类型"), everything=True),
        # read across a span the repair could not decide: a careful look (parsers/doubt.py)
        "uncertain": choice_filter(request, "uncertain", UNCERTAIN_CHOICES, label=_("存疑"), everything=True),
        "order": choice_filter(request, "order", ORDER_CHOICES, "uncertain", label=_("排序")),
    }
    status, kind = shown["status"].value, shown["kind"].value or ""
    uncertain = {"yes": True, "no": False}.get(shown["uncertain"].value or "")
    # ?document= (a report's link to its facts, no list): one not found (not a number, another's, deleted) is
    # said as the lists say theirs, and the facts of every report shown — never silently ignored (usable10)
    raw = request.GET.get("document", "").strip()
    document = (
        documents_visible_to(request.user).only("pk", "title").filter(pk=int(raw)).first()
        if raw.isdecimal()
        else None
    )
    document_error = (
        _("“%(value)s”不是可查看的报告；下面显示全部。") % {"value": raw[:40]} if raw and not document else ""
    )
    # found by words of its subject, its sentence or its report's title (the queue grows with every report)
    q = search_words(request)
    qs = selectors.fact_queue(
        user=request.user,
        status=status,
        kind=kind,
        document=document.pk if document else None,
        uncertain=uncertain,
        order=shown["order"].value,
        q=q,
    )
    refused = any(f.error for f in shown.values()) or bool(document_error)
    if wants_export(request) and not refused:
        return exports.facts_xlsx(qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ingest/fact_queue.html",
        {
            "page": page,
            "filters": shown,
            "status": status,
            "document": document,
            "document_error": document_error,
            "q": q,
            # the same filters without the words (the empty result's way to widen it)
            "unsearched": urlencode([(k, v) for k, v in request.GET.items() if k not in ("q", "page")]),
        },
        status=400 if refused and wants_export(request) else 200,  # an export asked for with a value not held
    )


@role_required(Role.STAFF)
def fact_detail(request, pk, *, refused=None, check_form=None, status: int = 200):
    """A fact, its steps and its edit form. A refused edit: the form again as typed with why (400); a refused
    step (`refused`: the action, the reason typed, why): why beside its button, the reason kept (400). A
    proposed fact read across an uncertain span has a check form instead of a plain accept (`check_form`: a
    refused one, as typed)."""
    fact = get_visible_or_404(
        facts_visible_to(request.user).select_related("document", "reviewed_by"), user=request.user, pk=pk
    )
    form = FactEditForm(instance=fact, initial={"version": fact.version})
    if check_form is None and fact.uncertain and fact.status == Fact.Status.PROPOSED:
        check_form = FactCheckForm(instance=fact, initial={"version": fact.version})
    if request.method == "POST" and refused is None:
        form = FactEditForm(request.POST, instance=Fact.objects.get(pk=fact.pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.fact_edit(
                    actor=request.user,
                    fact=fact,
                    expected_version=posted_version(request),
                    reason=data.get("reason", ""),
                    checked=data.get("checked", False),
                    **{k: data[k] for k in services.EDITABLE_FIELDS},
                )
                messages.success(request, _("已修改并采纳。"))
                return redirect(fact)
            except ApplicationError as exc:
                unchecked = exc.code == "uncertain_unchecked" and "checked" in form.fields
                form.add_error("checked" if unchecked else None, str(exc.message))
        status = 400
    # where it was recorded, by the record's name and page (never its stored key)
    record_name, record_url = record_shown(fact.record_ref) if fact.record_ref else ("", "")
    return render(
        request,
        "ingest/fact_detail.html",
        {
            "fact": fact,
            "place_shown": selectors.places_shown([fact.other_place]).get(fact.other_place, ""),
            "form": form,
            "actions": FACT_MACHINE.available(fact.status, roles_of(request.user), obj=fact),
            "check_form": check_form,
            "reason_max": STEP_REASON_MAX,
            "record_name": record_name,
            "record_url": record_url,
            "refused": refused or {},
        },
        status=status,
    )


@role_required(Role.STAFF)
@require_POST
def fact_action(request, pk, action):
    fact = get_visible_or_404(
        facts_visible_to(request.user).select_related("document", "reviewed_by"), user=request.user, pk=pk
    )
    reason = request.POST.get("reason", "")
    handlers = {
        "accept": services.fact_accept,
        "reject": services.fact_reject,
        "reopen": services.fact_reopen,
    }
    if action not in handlers:
        raise Http404
    typed = {_("理由"): reason}
    back = request.POST.get("next", "")  # the queue it came from, only on this site (as back_or)
    back_url = (
        back
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        else fact.get_absolute_url()
    )
    if moved_on(FACT_MACHINE, fact, action):  # a second click, a stale queue: by whom and when (409)
        return decided_page(request, obj=fact, back_url=back_url, typed=typed)
    try:
        checked_text(reason, "reason", label=_("理由"), max_length=STEP_REASON_MAX)
        fact = handlers[action](actor=request.user, fact=fact, reason=reason)
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except ApplicationError as exc:
        if moved_on(FACT_MACHINE, fact, action):
            return decided_page(request, obj=fact, back_url=back_url, typed=typed)
        refused = {"action": action, "reason": reason, "error": error_text(exc)}
        return fact_detail(request, fact.pk, refused=refused, status=400)
    messages.success(request, _("已处理：%(fact)s") % {"fact": fact})
    return back_or(request, fact.get_absolute_url())


@role_required(Role.STAFF)
@require_POST
def fact_check(request, pk):
    """Accept one fact read across an uncertain span: its figure confirmed against the original (the box
    ticked) or corrected (a correction: accepted as edited, audited as one). Refused (neither, or a value
    that is no number): the fact's page again with why and what was typed kept (400)."""
    fact = get_visible_or_404(
        facts_visible_to(request.user).select_related("document", "reviewed_by"), user=request.user, pk=pk
    )
    if moved_on(FACT_MACHINE, fact, "accept"):  # decided meanwhile (a second click, a stale tab): 409
        return decided_page(request, obj=fact, back_url=fact.get_absolute_url(), typed={})
    form = FactCheckForm(request.POST, instance=Fact.objects.get(pk=fact.pk))
    if form.is_valid():
        data = form.cleaned_data
        corrected = {k: data[k] for k in FactCheckForm.CHECKED_FIELDS if form.changed(k)}
        try:
            if corrected:
                services.fact_edit(
                    actor=request.user,
                    fact=fact,
                    expected_version=posted_version(request),
                    reason=data.get("reason", ""),
                    checked=data["checked"],
                    **corrected,
                )
                messages.success(request, _("已更正并采纳：%(fact)s") % {"fact": fact})
            else:
                services.fact_accept(
                    actor=request.user, fact=fact, reason=data.get("reason", ""), checked=data["checked"]
                )
                messages.success(request, _("已核对并采纳：%(fact)s") % {"fact": fact})
            return redirect(fact)
        except PermissionDenied as exc:
            raise Refused(error_text(exc)) from exc
        except ApplicationError as exc:
            form.add_error("checked" if exc.code == "uncertain_unchecked" else None, error_text(exc))
    return fact_detail(request, fact.pk, check_form=form, status=400)


BULK_UNCONFIRMED = gettext_lazy(
    "没有采纳任何事实：批量采纳须先勾选确认。采纳的事实随即入库，入库后不能退回审核。"
)


@role_required(Role.STAFF)
@require_POST
def fact_accept_many(request):
    """Accept the facts ticked in the queue (or every proposed one on its page), once the page's box is
    ticked (`confirm`): each accepted fact is recorded at once, and a recorded fact is not sent back
    (docs/security.md §34); unticked, nothing is accepted and the message says why. Facts read across an
    uncertain span are left for one-by-one checking and the message says how many and why; facts decided
    meanwhile are left as they are."""
    ids = [int(x) for x in request.POST.getlist("fact") if x.isdecimal()]
    if request.POST.get("all") == "1":
        ids += [int(x) for x in request.POST.getlist("page_fact") if x.isdecimal()]
    facts = list(facts_visible_to(request.user).filter(pk__in=ids).only("pk"))
    back = request.POST.get("next", "")  # the queue it came from, only on this site (as back_or)
    fact_queue_url = (
        back
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        else reverse("ingest:fact-queue")
    )
    if not facts:
        messages.error(request, _("没有勾选事实：请先勾选要采纳的事实。"))
        return redirect(fact_queue_url)
    if request.POST.get("confirm") != "1":  # accepted facts are recorded, and a recorded one is not sent back
        messages.error(request, BULK_UNCONFIRMED)
        return redirect(fact_queue_url)
    try:
        done = services.fact_accept_many(actor=request.user, facts=facts)
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    if done.accepted:
        n = len(done.accepted)
        messages.success(request, ngettext("已采纳 %(n)d 条事实。", "已采纳 %(n)d 条事实。", n) % {"n": n})
    redacted = [f for f in done.uncertain if f.redacted_near and not f.uncertain_parts]
    if len(redacted) < len(done.uncertain):
        n = len(done.uncertain) - len(redacted)
        messages.warning(
            request,
            ngettext(
                "%(n)d 条事实读自修复时无法确定的文字（存疑处），未批量采纳：请逐条对照原文核对后采纳。",
                "%(n)d 条事实读自修复时无法确定的文字（存疑处），未批量采纳：请逐条对照原文核对后采纳。",
                n,
            )
            % {"n": n},
        )
    if redacted:
        n = len(redacted)
        messages.warning(
            request,
            ngettext(
                "%(n)d 条事实的原句中数值之前有隐去或缺失的内容，未批量采纳：请逐条对照原文核对后采纳。",
                "%(n)d 条事实的原句中数值之前有隐去或缺失的内容，未批量采纳：请逐条对照原文核对后采纳。",
                n,
            )
            % {"n": n},
        )
    if done.decided:
        n = len(done.decided)
        messages.info(
            request,
            ngettext("%(n)d 条事实已有人处理，未改动。", "%(n)d 条事实已有人处理，未改动。", n) % {"n": n},
        )
    return redirect(fact_queue_url)
