"""What each official document says: the context its PDF template is rendered with, read from the project.

One function per kind; each returns (title, context) or raises ApplicationError saying why the document cannot
be issued yet (e.g. no acceptance recorded). Read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.challenges.models import Contract
from kechuang.core.exceptions import ApplicationError
from kechuang.funds import selectors as funds_selectors
from kechuang.funds.models import Payment
from kechuang.review.models import Review

from .models import DocumentKind

CHINESE_NUMERALS = "一二三四五六七八九十"


def issuer() -> str:
    return settings.KECHUANG_ISSUER


def expert_label(index: int) -> str:
    """专家一, 专家二, … (专家11 past ten): the anonymous name of the index-th reviewer (0-based)."""
    n = index + 1
    return _("专家%(n)s") % {"n": CHINESE_NUMERALS[index] if n <= len(CHINESE_NUMERALS) else n}


def _base(contract: Contract) -> dict:
    # The challenge (and the project, the unit) by its Chinese name, `challenge.title`, never its English
    # `title_en` nor `local_title`, whatever language the issuer reads pages in: an official document is the
    # department's Chinese document (issued, numbered, verified by its hash and archived as issued), not a page
    # rendered for a reader; an English rendering would be another document than the one signed
    # (services.document_issue renders it in settings.LANGUAGE_CODE; usable10).
    return {
        "contract": contract,
        "challenge": contract.challenge,
        "unit": contract.unit,
        "issuer": issuer(),
        "today": timezone.localdate(),
    }


def notice(contract: Contract, payment=None) -> tuple[str, dict]:
    application = contract.application
    if application.status != "awarded":
        raise ApplicationError(_("申请尚未立项，不能出具立项通知书。"), code="not_awarded")
    title = _("关于“%(title)s”项目立项的通知") % {"title": contract.title}
    return title, {**_base(contract), "application": application}


def contract_book(contract: Contract, payment=None) -> tuple[str, dict]:
    indicators = list(contract.indicators.all())
    milestones = list(contract.milestones.prefetch_related("values__indicator").all())
    rows = funds_selectors.budget_rows(contract=contract)
    title = _("“%(title)s”项目任务书") % {"title": contract.title}
    return title, {
        **_base(contract),
        "indicators": indicators,
        "milestones": milestones,
        "budget_rows": rows,
        "budget_fiscal": sum((r["fiscal"] for r in rows), 0),
        "budget_self": sum((r["self_raised"] for r in rows), 0),
        "team": [m for m in contract.team or [] if isinstance(m, dict)],
    }


def anonymous_reviews(application) -> list[dict]:
    """The submitted reviews of an application under active assignments, as 专家一, 专家二, …: scores,
    recommendation and the opinion meant for the applicant — never who wrote it nor the internal comments."""
    reviews = (
        Review.objects.filter(
            assignment__subject__content_type=ContentType.objects.get_for_model(application),
            assignment__subject__object_id=application.pk,
            assignment__status="active",
            status=Review.Status.SUBMITTED,
        )
        .select_related("assignment__round")
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "pk")
    )
    out = []
    for i, r in enumerate(reviews):
        out.append(
            {
                "label": expert_label(i),
                "round": r.assignment.round.title,
                "total": r.total,
                "recommendation": r.get_recommendation_display() if r.recommendation else "",
                "scores": [
                    {"criterion": s.criterion.name, "score": s.score, "max": s.criterion.max_score}
                    for s in sorted(r.scores.all(), key=lambda s: (s.criterion.order, s.criterion_id))
                ],
                "opinion": r.opinion,
                "submitted_at": r.submitted_at,
            }
        )
    return out


def review_sheet(contract: Contract, payment=None) -> tuple[str, dict]:
    application = contract.application
    reviews = anonymous_reviews(application)
    if not reviews:
        raise ApplicationError(
            _("该项目的申请还没有已提交的专家评审，不能出具评审意见表。"), code="no_reviews"
        )
    title = _("“%(title)s”评审意见表") % {"title": application.title}
    return title, {**_base(contract), "application": application, "reviews": reviews}


def acceptance(contract: Contract, payment=None) -> tuple[str, dict]:
    record = getattr(contract, "acceptance", None)
    if record is None:
        raise ApplicationError(_("该项目还没有验收结论，不能出具验收意见。"), code="no_acceptance")
    certificate = record.verdict in ("passed", "conditional")
    if certificate:
        title = _("“%(title)s”项目验收证书") % {"title": contract.title}
    else:
        title = _("“%(title)s”项目验收意见") % {"title": contract.title}
    items = list(record.items.select_related("indicator").all())
    return title, {
        **_base(contract),
        "acceptance": record,
        "items": items,
        "certificate": certificate,
    }


def payment_notice(contract: Contract, payment: Payment | None = None) -> tuple[str, dict]:
    if payment is None or payment.contract_id != contract.pk:
        raise ApplicationError(_("请选择本项目的一期拨付。"), code="no_payment")
    if payment.status not in (Payment.Status.APPROVED, Payment.Status.PAID):
        raise ApplicationError(
            _("第%(seq)s期经费尚未审批（当前：%(status)s），不能出具拨付通知。")
            % {"seq": payment.milestone.seq, "status": payment.get_status_display()},
            code="payment_not_approved",
        )
    title = _("关于拨付“%(title)s”项目第%(seq)s期经费的通知") % {
        "title": contract.title,
        "seq": payment.milestone.seq,
    }
    return title, {**_base(contract), "payment": payment, "milestone": payment.milestone}


BUILDERS = {
    DocumentKind.NOTICE: (notice, "documents/pdf/notice.html"),
    DocumentKind.CONTRACT: (contract_book, "documents/pdf/contract.html"),
    DocumentKind.REVIEW: (review_sheet, "documents/pdf/review.html"),
    DocumentKind.ACCEPTANCE: (acceptance, "documents/pdf/acceptance.html"),
    DocumentKind.PAYMENT: (payment_notice, "documents/pdf/payment.html"),
}
