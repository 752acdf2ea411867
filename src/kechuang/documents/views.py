"""Official documents: issue (staff, confirmed), download (permission-checked), verify (public, rate-limited);
the project archive: build (a job) and download. Thin: checks, then a service or a selector."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Refused
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.challenges.models import Contract
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.jobs import job_submit
from kechuang.core.messages import Message
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role
from kechuang.core.uploads import uploaded_file_response
from kechuang.funds.models import Payment

from . import content, pdf, permissions, selectors, services
from .forms import IssueForm, VerifyFileForm
from .models import DocumentKind, OfficialDocument, ProjectArchive

# --- issuing ---------------------------------------------------------------------------------------------


def _issue_page(request, contract, kind, payment, *, form=None, error="", status=200):
    current = services.current_document(contract=contract, kind=kind, payment=payment)
    refused = []
    if not error:
        builder, _template = content.BUILDERS[DocumentKind(kind)]
        try:
            builder(contract, payment)
        except ApplicationError as exc:
            refused.append(str(exc.message))
        problem = pdf.unavailable_reason()
        if problem:
            refused.append(problem)
    label = DocumentKind(kind).label
    if payment is not None:
        label = _("%(label)s（第%(seq)s期）") % {"label": label, "seq": payment.milestone.seq}
    effects = [
        _("按项目现有记录生成《%(label)s》PDF，带核验码和二维码，存入项目档案。") % {"label": label},
        _("核验页面据此 PDF 的 SHA-256 摘要判断文件是否为原件。"),
    ]
    if current is not None:
        effects.append(
            _("现行的第%(v)s版（核验码 %(code)s）将标为已作废，核验时指向新版本。")
            % {"v": current.version, "code": current.code}
        )
    return render(
        request,
        "documents/issue_confirm.html",
        {
            "contract": contract,
            "label": label,
            "effects": effects,
            "refused": refused,
            "error": error,
            "current": current,
            "form": form or IssueForm(),
            "target": request.path,
        },
        status=status,
    )


def _issue(request, contract, kind, payment):
    if request.method != "POST":
        return _issue_page(request, contract, kind, payment)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return _issue_page(
            request, contract, kind, payment, form=form, error=_("请检查填写内容。"), status=400
        )
    try:
        document = services.document_issue(
            actor=request.user,
            contract=contract,
            kind=kind,
            payment=payment,
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except ApplicationError as exc:
        for field, errs in exc.fields.items():
            if field in form.fields:
                for e in errs:
                    form.add_error(field, e)
        return _issue_page(request, contract, kind, payment, form=form, error=error_text(exc), status=400)
    messages.success(
        request, _("已出具《%(title)s》第%(v)s版。") % {"title": document.title, "v": document.version}
    )
    return redirect(contract.get_absolute_url() + "#documents")


@role_required(Role.STAFF)
def issue(request, pk, kind):
    contract = get_object_or_404(Contract.objects.select_related("application", "unit", "challenge"), pk=pk)
    if kind not in DocumentKind.values or kind == DocumentKind.PAYMENT:
        raise Http404
    return _issue(request, contract, kind, None)


@role_required(Role.STAFF)
def issue_payment(request, pk):
    payment = get_object_or_404(Payment.objects.select_related("contract", "milestone"), pk=pk)
    return _issue(request, payment.contract, DocumentKind.PAYMENT, payment)


@login_required
def download(request, pk):
    document = get_visible_or_404(
        OfficialDocument.objects.select_related("contract__application", "payment__milestone"),
        user=request.user,
        visible=permissions.can_read_document,
        pk=pk,
    )
    return uploaded_file_response(document.file, document.filename())


# --- public verification ---------------------------------------------------------------------------------


def _throttled(request):
    wait = services.verify_wait(request)
    if wait is None:
        return None
    response = render(
        request,
        "documents/verify.html",
        {"throttled": _("核验请求过于频繁，请 %(s)d 秒后再试。") % {"s": wait}, "form": None},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _digest(upload) -> str:
    return services.file_sha256(upload)[0]


def verify(request, code):
    """What a QR code opens: whether the document with this code exists and is the version in force; a PDF
    uploaded here is compared byte for byte (by SHA-256) with the one registered under the code."""
    throttled = _throttled(request)
    if throttled:
        return throttled
    normal = services.normalise_code(code)
    if normal and normal != code:
        return redirect("documents:verify", code=normal)
    verdict = selectors.verdict_for_code(code)
    form = VerifyFileForm()
    match = None
    status = 200 if verdict.found else 404
    if request.method == "POST" and verdict.found:
        form = VerifyFileForm(request.POST, request.FILES)
        if form.is_valid():
            match = _digest(form.cleaned_data["file"]) == verdict.document.sha256
        else:
            status = 400
    return render(
        request,
        "documents/verify.html",
        {"verdict": verdict, "code": code, "form": form if verdict.found else None, "match": match},
        status=status,
    )


def verify_file(request):
    """Check a PDF without its code: is a document with exactly these bytes registered, and is it current?"""
    throttled = _throttled(request)
    if throttled:
        return throttled
    form = VerifyFileForm()
    verdict = None
    status = 200
    if request.method == "POST":
        form = VerifyFileForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = selectors.verdict_for_digest(_digest(form.cleaned_data["file"]))
        else:
            status = 400
    return render(
        request,
        "documents/verify.html",
        {"verdict": verdict, "by_file": True, "form": form, "match": verdict.found if verdict else None},
        status=status,
    )


# --- the project archive ---------------------------------------------------------------------------------


@role_required(Role.STAFF)
def archive_build(request, pk):
    contract = get_object_or_404(Contract, pk=pk)
    if request.method != "POST":
        return render(request, "documents/archive_confirm.html", {"contract": contract})
    if not permissions.can_build_archive(request.user):
        raise Refused(_("只有科技厅工作人员可以生成项目档案。"))
    job = job_submit(
        kind="documents.archive",
        params={"contract": contract.pk},
        actor=request.user,
        title=Message(gettext_noop("生成项目档案：%(code)s"), code=contract.code),
    )
    return redirect(reverse("core:job-detail", args=[job.pk]))


@role_required(Role.STAFF)
def archive_download(request, pk):
    archive = get_visible_or_404(
        ProjectArchive.objects.select_related("contract"),
        user=request.user,
        visible=lambda user, _a: permissions.can_read_archive(user),
        pk=pk,
    )
    return uploaded_file_response(archive.file, archive.filename())


# --- open data (CERIF-XML) -------------------------------------------------------------------------------


def opendata(request):
    """The public open-data page: what the bulk download holds, when it was made, the link to it."""
    from . import opendata as od

    dump = od.latest_dump()
    return render(
        request,
        "documents/opendata.html",
        {
            "dump": dump,
            "files": od.FILES,
            "vocabularies": [(name, label) for name, (label, _c) in od.VOCABULARIES.items()],
            "can_build": permissions.can_build_opendata(request.user),
            "oai_url": reverse("documents:opendata-oai"),
        },
    )


def opendata_download(request):
    """The latest bulk download (public, no sign-in)."""
    from . import opendata as od

    dump = od.latest_dump()
    if dump is None:
        raise Http404(_("尚未生成开放数据包。"))
    return uploaded_file_response(dump.file, dump.filename())


@login_required
def opendata_build(request):
    """Staff refresh the bulk download now (a job; the nightly schedule does it anyway)."""
    if not permissions.can_build_opendata(request.user):
        raise Refused(_("只有科技厅工作人员可以生成开放数据包。"))
    if request.method != "POST":
        return render(request, "documents/opendata_confirm.html")
    job = job_submit(
        kind="documents.opendata", actor=request.user, title=Message(gettext_noop("生成开放数据包"))
    )
    return redirect(reverse("core:job-detail", args=[job.pk]))


def opendata_vocab(request, name):
    """One of the site's classification schemes used in the CERIF records: its codes and their meaning."""
    from . import opendata as od

    if name not in od.VOCABULARIES:
        raise Http404(_("没有这个分类表。"))
    label, choices = od.VOCABULARIES[name]
    return render(
        request,
        "documents/opendata_vocab.html",
        {"label": label, "uri": od.scheme(name), "rows": [(value, text) for value, text in choices.choices]},
    )


def opendata_oai(request):
    """OAI-PMH 2.0 over the latest dump (GET, public): docs/opendata.md."""
    from django.http import HttpResponse, HttpResponseNotAllowed

    from . import cerif, oai
    from . import opendata as od

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    args = {k: v for k, v in request.GET.items()}
    dump = od.latest_dump()
    set_files = {}
    if dump is not None:
        for key, path in od.FILES.items():
            set_files[cerif.SETS[key]] = od.dump_member(dump, path)
    earliest = od.OpenDataDump.objects.order_by("created_at").values_list("created_at", flat=True).first()
    body = oai.respond(
        args=args,
        base_url=od.oai_base_url(),
        now=timezone.now(),
        set_files=set_files,
        repository_name=f"{settings.KECHUANG_ISSUER} Kechuang",
        admin_email=settings.KECHUANG_OAI_ADMIN_EMAIL,
        earliest=earliest,
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
