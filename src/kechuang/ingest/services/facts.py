"""Reviewing facts: accept, edit, reject, reopen."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import roles_of
from kechuang.core.services import optimistic_save, transition_apply
from kechuang.indicators.selectors import region_find

from .. import permissions
from ..models import Fact
from ..workflow import FACT_MACHINE
from .common import EDITABLE_FIELDS, NOT_ALLOWED, _user
from .recording import fact_record


def _decide(*, actor, fact: Fact, action: str, reason: str = "") -> Fact:
    if not permissions.can_review_fact(actor, fact):
        raise PermissionDenied(NOT_ALLOWED)
    transition_apply(
        obj=fact,
        machine=FACT_MACHINE,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        extra_updates={"reviewed_by": _user(actor), "reviewed_at": timezone.now()},
    )
    fact.refresh_from_db()
    return fact


@transaction.atomic
def fact_accept(*, actor, fact: Fact, reason: str = "") -> Fact:
    """Accept a proposed fact as stated and hand it to the app that records it (or keep it pending)."""
    fact = _decide(actor=actor, fact=fact, action="accept", reason=reason)
    return fact_record(actor=actor, fact=fact)


@transaction.atomic
def fact_edit(*, actor, fact: Fact, expected_version: int, reason: str = "", **fields) -> Fact:
    """Correct a fact's fields and accept it. Refuses (Conflict) if someone changed it meanwhile."""
    if not permissions.can_review_fact(actor, fact):
        raise PermissionDenied(NOT_ALLOWED)
    FACT_MACHINE.check(fact.status, "edit", roles_of(actor), obj=fact, ctx={"reason": reason})
    if "place" in fields:
        fields["place"] = _place_picked(fact, fields["place"])
    before = snapshot(fact, EDITABLE_FIELDS)
    changed = []
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ApplicationError(_("不能修改字段“%(name)s”。") % {"name": name}, code="bad_field")
        setattr(fact, name, value)
        changed.append(name)
    if "value" in changed:
        fact.value_text = (
            ""
            if fact.value is None
            else str(fact.value.normalize() if isinstance(fact.value, Decimal) else fact.value)
        )
        changed.append("value_text")
    fact.full_clean()
    optimistic_save(obj=fact, expected_version=expected_version, update_fields=changed)
    audit_record(
        actor=actor,
        action="fact.update",
        obj=fact,
        before=before,
        after=snapshot(fact, EDITABLE_FIELDS),
        reason=reason,
    )
    fact = _decide(actor=actor, fact=fact, action="edit", reason=reason)
    return fact_record(actor=actor, fact=fact)


def _place_picked(fact: Fact, text) -> str:
    """The region a fact is about, as an edit gives it: "" (or the report's own region) for the report's own; a
    registered region (its name, code or English name) for another; the fact's present place kept as it is
    (岱沄省、翡岭省, as the extraction found it). Anything else is refused: a fact is never recorded against a
    region the registry does not hold."""
    text = str(text or "").strip()
    if not text or text == fact.place:
        return text
    region = region_find(text)
    if region is None:
        raise ApplicationError(
            _("“%(place)s”不是已登记的地区；请从地区列表中选择，或留空表示本报告地区。") % {"place": text},
            code="validation_error",
            fields={"place": [_("不是已登记的地区。")]},
        )
    return "" if region.name == fact.document.region else region.name


@transaction.atomic
def fact_reject(*, actor, fact: Fact, reason: str = "") -> Fact:
    """Reject a fact (a misreading, or nothing worth recording)."""
    if fact.record_status == Fact.RecordStatus.RECORDED:
        raise ApplicationError(_("该事实已入库，请先在对应模块中处理记录。"), code="already_recorded")
    return _decide(actor=actor, fact=fact, action="reject", reason=reason)


@transaction.atomic
def fact_reopen(*, actor, fact: Fact, reason: str) -> Fact:
    """Send a decided fact back to the queue (a reason is required)."""
    if fact.record_status == Fact.RecordStatus.RECORDED:
        raise ApplicationError(_("该事实已入库，不能退回。"), code="already_recorded")
    return _decide(actor=actor, fact=fact, action="reopen", reason=reason)
