"""The project archive (一项目一档): one zip with every document, attachment, anonymised review, decision,
payment and the audit trail of a project, a manifest and SHA-256 digests. Layout: docs/archive.md.

`archive_build` writes the zip to a temporary file, stores it as a ProjectArchive and audits it; the job
`documents.archive` (jobs.py) runs it with progress. Experts are never named: reviews carry 专家一, 专家二, …
and the audit events of an expert of the project carry that label instead of the account.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.challenges.models import Contract
from kechuang.core.audit import audit_record
from kechuang.core.display import actor_name
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.uploads import is_quarantined
from kechuang.funds.models import (
    BudgetAdjustment,
    BudgetLine,
    CofundingReceipt,
    FinalAccount,
    Payment,
    SpendingReport,
)
from kechuang.review.models import Assignment

from . import content, permissions
from .models import OfficialDocument, ProjectArchive
from .services import file_sha256

FORMAT = "kechuang-project-archive"
FORMAT_VERSION = 1
# Fields never written into the archive's records: people's accounts stand as names, files as archive paths.
SKIP_FIELDS = frozenset(
    {"created_by", "requested_by", "decided_by", "recorded_by", "submitted_by", "uploaded_by"}
)


def _value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return str(value)


def record(obj: models.Model, *, skip: frozenset[str] = frozenset()) -> dict:
    """An object's fields as JSON: a related object as its text (a person's name, a unit's name), a choice
    with its label beside the code, files left out (they are archive members of their own)."""
    out: dict = {"id": obj.pk}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in SKIP_FIELDS or f.name in skip or isinstance(f, models.FileField):
            continue
        if f.is_relation:
            related = getattr(obj, f.name)
            out[f.name] = str(related) if related is not None else None
            continue
        value = getattr(obj, f.attname)
        out[f.name] = _value(value)
        if f.choices and value not in (None, ""):
            out[f"{f.name}_label"] = str(dict(f.flatchoices).get(value, value))
    return out


def _json(data) -> bytes:
    return (json.dumps(_value(data), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _safe_name(name: str) -> str:
    name = (name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch not in '<>:"|?*\x00') or "file"


class _Writer:
    """Adds members to the zip and remembers each one's digest for the manifest."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.files: list[dict] = []
        self.withheld: list[dict] = []  # files in quarantine, named in the manifest, not in the zip

    def add(self, path: str, data: bytes, *, kind: str, description: str, **extra) -> None:
        info = zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zf.writestr(info, data)
        self.files.append(
            {
                "path": path,
                "kind": kind,
                "description": description,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                **extra,
            }
        )

    def add_file(self, path: str, field_file, **kw) -> None:
        if is_quarantined(field_file.name):  # held for staff's review (docs/security.md §39): not copied out
            self.withheld.append({"path": path, "kind": kw.get("kind", ""), "withheld": "quarantined"})
            return
        with field_file.open("rb") as fh:
            data = fh.read()
        self.add(path, data, **kw)


def _audit_events(
    contract: Contract, objects: list[models.Model], expert_labels: dict[int, str]
) -> list[dict]:
    by_type: dict[int, set[str]] = {}
    for obj in objects:
        ct = ContentType.objects.get_for_model(obj.__class__)
        by_type.setdefault(ct.pk, set()).add(str(obj.pk))
    q = Q(pk__in=[])
    for ct_id, ids in by_type.items():
        q |= Q(content_type_id=ct_id, object_id__in=sorted(ids))
    events = AuditEvent.objects.filter(q).select_related("content_type", "actor__unit").order_by("at", "id")
    out = []
    for e in events:
        actor = expert_labels.get(e.actor_id) if e.actor_id else None
        out.append(
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "actor": actor or actor_name(e),  # the public name, not the login name old rows store
                "action": e.action,
                "object_type": f"{e.content_type.app_label}.{e.content_type.model}" if e.content_type else "",
                "object_id": e.object_id,
                "object": e.object_repr,
                "before": e.before,
                "after": e.after,
                "reason": e.reason,
                "hash": e.hash,
                "prev_hash": e.prev_hash,
            }
        )
    return out


def _expert_labels(application) -> dict[int, str]:
    """Every expert ever assigned to the application (any round, any state) → 专家一, 专家二, … in the
    order of the reviews' sheet, then the others."""
    ct = ContentType.objects.get_for_model(application)
    ids = list(
        Assignment.objects.filter(subject__content_type=ct, subject__object_id=application.pk)
        .order_by("review__submitted_at", "pk")
        .values_list("expert_id", flat=True)
    )
    labels: dict[int, str] = {}
    for expert_id in ids:
        if expert_id not in labels:
            labels[expert_id] = str(content.expert_label(len(labels)))
    return labels


def archive_build(
    *, actor, contract: Contract, progress: Callable[[int, str], None] | None = None
) -> ProjectArchive:
    """Build and store the archive of `contract`; returns it (audited `archive.build`)."""
    if not permissions.can_build_archive(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以生成项目档案。"))
    step = progress or (lambda pct, msg: None)
    contract = Contract.objects.select_related("application", "unit", "challenge", "leader").get(
        pk=contract.pk
    )
    application = contract.application
    expert_labels = _expert_labels(application)

    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            w = _Writer(zf)
            audited: list[models.Model] = [contract, application]

            step(5, "公文")
            docs = list(
                OfficialDocument.objects.filter(contract=contract)
                .select_related("payment__milestone", "superseded_by")
                .order_by("kind", "payment_id", "version")
            )
            for d in docs:
                w.add_file(
                    f"documents/{d.filename()}",
                    d.file,
                    kind="document",
                    description=d.title,
                    code=d.code,
                    version=d.version,
                    current=d.is_current,
                    registered_sha256=d.sha256,
                )
            audited += docs
            w.add(
                "records/documents.json",
                _json([{**record(d), "file": f"documents/{d.filename()}"} for d in docs]),
                kind="record",
                description="公文登记（核验码、版本、摘要、替代关系）",
            )

            step(20, "申报材料与附件")
            attachments = list(application.attachments.all().order_by("pk"))
            for a in attachments:
                w.add_file(
                    f"attachments/{a.pk}-{_safe_name(a.original_name)}",
                    a.file,
                    kind="attachment",
                    description=a.get_kind_display(),
                )
            audited += attachments
            w.add(
                "records/application.json",
                _json(
                    {
                        "application": record(application),
                        "members": [record(m) for m in application.members.all()],
                        "milestones": [record(m) for m in application.milestones.all()],
                        "attachments": [
                            {**record(a), "file": f"attachments/{a.pk}-{_safe_name(a.original_name)}"}
                            for a in attachments
                        ],
                    }
                ),
                kind="record",
                description="揭榜申请",
            )

            step(35, "评审与立项决定")
            w.add(
                "records/reviews.json",
                _json(content.anonymous_reviews(application)),
                kind="record",
                description="评审意见（匿名：专家以编号表示）",
            )
            publicity = getattr(contract.challenge, "publicity", None)
            w.add(
                "records/decision.json",
                _json(
                    {
                        "application_status": application.status,
                        "application_status_label": application.get_status_display(),
                        "review_score": _value(application.review_score),
                        "review_rank": application.review_rank,
                        "formal_note": application.formal_note,
                        "decision_note": application.decision_note,
                        "publicity": record(publicity) if publicity else None,
                    }
                ),
                kind="record",
                description="形式审查、评审结果、立项意见与公示",
            )

            step(50, "项目执行")
            milestones = list(contract.milestones.prefetch_related("values").all())
            children = {
                "indicators": list(contract.indicators.all()),
                "milestones": milestones,
                "milestone_values": [v for m in milestones for v in m.values.all()],
                "change_requests": list(contract.change_requests.all()),
                "midterm_checks": list(contract.midterm_checks.all()),
                "results": list(contract.results.all()),
                "transfers": [t for r in contract.results.all() for t in r.transfers.all()],
            }
            acceptance = getattr(contract, "acceptance", None)
            acceptance_items = list(acceptance.items.all()) if acceptance else []
            w.add(
                "records/project.json",
                _json(
                    {
                        "contract": record(contract),
                        **{k: [record(o) for o in v] for k, v in children.items()},
                        "acceptance": record(acceptance) if acceptance else None,
                        "acceptance_items": [record(i) for i in acceptance_items],
                    }
                ),
                kind="record",
                description="任务书、指标、里程碑、变更、中期检查、验收、成果与转化",
            )
            for v in children.values():
                audited += v
            if acceptance:
                audited.append(acceptance)

            step(65, "经费")
            payments = list(Payment.objects.filter(contract=contract).select_related("milestone"))
            for p in payments:
                if p.voucher:
                    w.add_file(
                        f"payments/vouchers/{p.pk}-{_safe_name(p.voucher_name or p.voucher.name)}",
                        p.voucher,
                        kind="voucher",
                        description=str(p),
                    )
            money = {
                "payments": [record(p) for p in payments],
                "budget_lines": [record(b) for b in BudgetLine.objects.filter(contract=contract)],
                "adjustments": [record(a) for a in BudgetAdjustment.objects.filter(contract=contract)],
                "cofunding_receipts": [record(c) for c in CofundingReceipt.objects.filter(contract=contract)],
                "spending_reports": [
                    {**record(s), "lines": [record(x) for x in s.lines.all()]}
                    for s in SpendingReport.objects.filter(contract=contract).prefetch_related("lines")
                ],
                "final_account": [record(f) for f in FinalAccount.objects.filter(contract=contract)],
            }
            w.add(
                "records/payments.json",
                _json(money),
                kind="record",
                description="经费：预算、拨付、调整、执行、决算",
            )
            audited += payments
            audited += list(BudgetLine.objects.filter(contract=contract))
            audited += list(BudgetAdjustment.objects.filter(contract=contract))
            audited += list(FinalAccount.objects.filter(contract=contract))
            audited += list(CofundingReceipt.objects.filter(contract=contract))
            audited += list(SpendingReport.objects.filter(contract=contract))

            step(80, "操作日志")
            w.add(
                "records/audit.json",
                _json(_audit_events(contract, audited, expert_labels)),
                kind="audit",
                description="操作日志（与审计链同序号、同校验值；评审专家以编号表示）",
            )

            built_at = timezone.now()
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "project": {"code": contract.code, "title": contract.title, "unit": contract.unit.name},
                "built_at": built_at.isoformat(),
                "built_by": str(actor) if getattr(actor, "is_authenticated", False) else "system",
                "digest": "sha256",
                "files": w.files,
                **({"withheld": w.withheld} if w.withheld else {}),
            }
            manifest_bytes = _json(manifest)
            zf.writestr("manifest.json", manifest_bytes)
            sums = [(f["sha256"], f["path"]) for f in w.files]
            sums.append((hashlib.sha256(manifest_bytes).hexdigest(), "manifest.json"))
            zf.writestr("SHA256SUMS", "".join(f"{h}  {p}\n" for h, p in sums).encode("utf-8"))
            entries = len(w.files) + 2

        step(95, "保存")
        sha256, size = file_sha256(tmp)
        with transaction.atomic():
            archive = ProjectArchive(
                contract=contract,
                sha256=sha256,
                size=size,
                entries=entries,
                built_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            archive.file.save(f"{contract.code}.zip", File(tmp), save=False)
            archive.save()
            audit_record(
                actor=actor,
                action="archive.build",
                obj=archive,
                after={"contract": contract.code, "files": entries, "sha256": archive.sha256, "size": size},
            )
    step(100, "完成")
    return archive
