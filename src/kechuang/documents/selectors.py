"""Reads: a project's documents and archives, the verification answer for a code or a file's digest."""

from __future__ import annotations

from dataclasses import dataclass

from kechuang.core.queries import CompiledRows
from kechuang.core.ui import Panel
from kechuang.funds.models import Payment

from . import pdf, permissions
from .models import DocumentKind, OfficialDocument, ProjectArchive

# the SQL built once per process (#19)
_DOCUMENTS = CompiledRows(
    lambda pk: (
        OfficialDocument.objects.filter(contract_id=pk)
        .select_related("payment__milestone", "superseded_by")
        .order_by("kind", "payment__milestone__seq", "-version")
    )
)


def documents_of(contract) -> list[OfficialDocument]:
    """Every version of every document of a project, current ones first within each series (each with the
    project given, not read again)."""
    docs = _DOCUMENTS.rows(contract.pk)
    for d in docs:
        d.contract = contract
    return docs


def issuable(contract, docs: list[OfficialDocument] | None = None) -> list[dict]:
    """The documents staff may issue for a project: one row per kind (per approved or paid tranche for
    the 拨付通知), with the current version if any (`docs`: documents_of(contract), when already read)."""
    docs = documents_of(contract) if docs is None else docs
    current = {(d.kind, d.payment_id): d for d in docs if d.is_current}
    rows = []
    for kind in DocumentKind:
        if kind == DocumentKind.PAYMENT:
            payments = Payment.objects.filter(
                contract=contract, status__in=[Payment.Status.APPROVED, Payment.Status.PAID]
            ).select_related("milestone")
            for p in payments:
                rows.append({"kind": kind, "payment": p, "current": current.get((kind, p.pk))})
        else:
            rows.append({"kind": kind, "payment": None, "current": current.get((kind, None))})
    return rows


def contract_panel(*, contract=None, user=None, **kwargs):
    """The project page's section: its official documents (and, for staff, issuing and the archive)."""
    from kechuang.challenges import permissions as projects

    if contract is None or not projects.can_view_contract(user, contract):
        return None
    # the project is visible: only the review sheet has a rule of its own (no query per document)
    reviews_open = projects.can_see_review_result(user, contract.application)
    every = documents_of(contract)
    docs = [d for d in every if d.kind != DocumentKind.REVIEW or reviews_open]
    is_staff = permissions.can_issue(user)
    return Panel(
        "documents/_contract_panel.html",
        {
            "contract": contract,
            "documents": docs,
            "issuable": issuable(contract, every) if is_staff else [],
            "can_issue": is_staff,
            "pdf_problem": pdf.unavailable_reason() if is_staff else "",
            "can_archive": permissions.can_build_archive(user),
            "archives": list(ProjectArchive.objects.filter(contract=contract)[:5])
            if permissions.can_read_archive(user)
            else [],
        },
        order=60,
    )


@dataclass(frozen=True)
class Verdict:
    """The public answer about a code: found or not, and if found whether it is current."""

    document: OfficialDocument | None
    current: OfficialDocument | None  # the version now in force (the document itself when current)

    @property
    def found(self) -> bool:
        return self.document is not None

    @property
    def is_current(self) -> bool:
        return self.document is not None and self.document.superseded_by_id is None


def current_of(document: OfficialDocument) -> OfficialDocument:
    """The version in force of a document's series (follows the superseded_by chain)."""
    seen = set()
    doc = document
    while doc.superseded_by_id and doc.pk not in seen:
        seen.add(doc.pk)
        doc = OfficialDocument.objects.select_related("contract", "contract__unit").get(
            pk=doc.superseded_by_id
        )
    return doc


def verdict_for_code(code: str) -> Verdict:
    doc = OfficialDocument.objects.select_related("contract", "contract__unit").filter(code=code).first()
    if doc is None:
        return Verdict(None, None)
    return Verdict(doc, current_of(doc))


def verdict_for_digest(digest: str) -> Verdict:
    doc = OfficialDocument.objects.select_related("contract", "contract__unit").filter(sha256=digest).first()
    if doc is None:
        return Verdict(None, None)
    return Verdict(doc, current_of(doc))
