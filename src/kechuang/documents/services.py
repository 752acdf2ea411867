"""Issuing official documents: render, hash, store, supersede the version before. Every issue audited.

`document_issue` is the one way a document comes to exist: staff press a button and confirm; issuing again
(a correction, a changed contract) makes a new version and marks the old one superseded, with a reason.
Nothing is generated behind anyone's back.
"""

from __future__ import annotations

import hashlib
import secrets
import string

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kechuang.challenges.models import Contract
from kechuang.core import ratelimit
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied

from . import content, pdf, permissions
from .models import DocumentKind, OfficialDocument

# Crockford's base-32 alphabet: no I, L, O, U, so a code read aloud or off paper is not misread.
CODE_ALPHABET = string.digits + "".join(c for c in string.ascii_uppercase if c not in "ILOU")


def new_code() -> str:
    """A fresh verification code: 16 random characters (80 bits) in groups of four, e.g. 7K2Q-M9XD-4PRA-TF3B."""
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(16))
        code = "-".join(raw[i : i + 4] for i in range(0, 16, 4))
        if not OfficialDocument.objects.filter(code=code).exists():
            return code


def normalise_code(text: str) -> str:
    """A code as printed, whatever case or separators a scanner or a person used."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def verify_url(code: str) -> str:
    """The absolute address of a code's public verification page (on KECHUANG_SITE_URL)."""
    return settings.KECHUANG_SITE_URL.rstrip("/") + reverse("documents:verify", args=[code])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(f) -> tuple[str, int]:
    """The SHA-256 and the size of a file read from its start in 1 MiB chunks (a zip being stored, a PDF
    sent for verification); the file is left at its start."""
    f.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: f.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    f.seek(0)
    return digest.hexdigest(), size


def verify_wait(request) -> int | None:
    """The public verification's limit per client address, shared by its page and its API: None, or the
    seconds to wait."""
    return ratelimit.hit(
        "documents.verify",
        ratelimit.client_ip(request) or "unknown",
        limit=int(settings.KECHUANG_VERIFY_RATE),
        window=int(settings.KECHUANG_VERIFY_WINDOW),
    )


def current_document(*, contract: Contract, kind: str, payment=None) -> OfficialDocument | None:
    return (
        OfficialDocument.objects.filter(
            contract=contract, kind=kind, payment=payment, superseded_by__isnull=True
        )
        .order_by("-version")
        .first()
    )


@transaction.atomic
def document_issue(
    *, actor, contract: Contract, kind: str, payment=None, reason: str = ""
) -> OfficialDocument:
    """Issue the `kind` document of `contract` (the 拨付通知 of `payment`): a new version when one exists.

    Re-issuing needs a reason; the previous version is then superseded and points to the new one. Refused
    (ApplicationError) when the project lacks what the document states, or when PDFs cannot be made here."""
    if not permissions.can_issue(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以出具公文。"))
    if kind not in DocumentKind.values:
        raise ApplicationError(_("未知的文书类别。"), code="bad_kind")
    if kind != DocumentKind.PAYMENT:
        payment = None
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    previous = current_document(contract=contract, kind=kind, payment=payment)
    reason = (reason or "").strip()
    if previous is not None and not reason:
        raise ApplicationError(
            _("此文书已出具（第%(v)s版）；重新出具须说明理由，原版本将标为已作废。")
            % {"v": previous.version},
            code="reason_required",
            fields={"reason": [_("请填写重新出具的理由。")]},
        )
    builder, template = content.BUILDERS[DocumentKind(kind)]
    # An official document is in the site's language (Chinese), whatever language the issuer reads pages in.
    with translation.override(settings.LANGUAGE_CODE):
        title, ctx = builder(contract, payment)
        kind_label = str(DocumentKind(kind).label)
    version = (previous.version + 1) if previous else 1
    last = (
        OfficialDocument.objects.filter(contract=contract, kind=kind, payment=payment)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    if last is not None:
        version = last + 1
    code = new_code()
    url = verify_url(code)
    ctx.update(
        {
            "title": title,
            "kind_label": kind_label,
            "code": code,
            "verify_url": url,
            "qr": pdf.qr_svg(url),
            "version": version,
            "issued_on": timezone.localdate(),
            "supersedes": previous,
        }
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = str(title)
        data = pdf.render_pdf(template, ctx)
    document = OfficialDocument(
        contract=contract,
        kind=kind,
        payment=payment,
        title=title[:300],
        version=version,
        code=code,
        sha256=sha256(data),
        size=len(data),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason if previous else "",
    )
    document.file.save(f"{code}.pdf", ContentFile(data), save=False)
    document.save()
    if previous is not None:
        OfficialDocument.objects.filter(pk=previous.pk).update(
            superseded_by=document, superseded_at=timezone.now(), updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="document.supersede",
            obj=previous,
            before={"current": True},
            after={"current": False, "superseded_by": document.code},
            reason=reason,
        )
    audit_record(
        actor=actor,
        action="document.issue",
        obj=document,
        after={"kind": kind, "version": version, "code": code, "sha256": document.sha256},
        reason=reason,
    )
    return document
