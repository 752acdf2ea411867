"""Reviewing facts: accept, edit, reject, reopen; accepting many at once (never a fact read across an
uncertain span: one by one, its figure checked against the original or corrected)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.lists import listed
from kechuang.core.roles import roles_of
from kechuang.core.services import optimistic_save, transition_apply
from kechuang.indicators.selectors import region_find

from .. import permissions
from ..models import Fact
from ..workflow import FACT_MACHINE
from .common import EDITABLE_FIELDS, NOT_ALLOWED, _user
from .recording import fact_record

# A fact read across a span the repair could not decide (Fact.uncertain) is accepted only by a person who
# checked its figure against the original (`checked`) or corrected what was read there.
UNCHECKED = gettext_lazy(
    "这个数值读自修复时无法确定的文字（存疑处），可能有误：请对照原文核对后勾选确认，或更正后采纳。"
)
# the fields a part read across an uncertain span is corrected in
PART_FIELDS = {"value": "value", "unit": "unit", "period": "period", "place": "place"}


def _check_uncertain(fact: Fact, *, checked: bool, corrected=()) -> None:
    """Refuse to accept a fact read across an uncertain span unless the reviewer checked it or corrected
    each part read there."""
    if not fact.uncertain or checked:
        return
    flagged = {PART_FIELDS[p] for p in fact.uncertain_parts if p in PART_FIELDS}
    if flagged and flagged <= set(corrected):
        return
    raise ApplicationError(str(UNCHECKED), code="uncertain_unchecked", fields={"checked": [str(UNCHECKED)]})


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
def fact_accept(*, actor, fact: Fact, reason: str = "", checked: bool = False) -> Fact:
    """Accept a proposed fact as stated and hand it to the app that records it (or keep it pending). A fact
    read across an uncertain span needs `checked` (the reviewer compared its figure with the original):
    refused without it (UNCHECKED), the check audited (fact.check)."""
    if not permissions.can_review_fact(actor, fact):
        raise PermissionDenied(NOT_ALLOWED)
    _check_uncertain(fact, checked=checked)
    fact = _decide(actor=actor, fact=fact, action="accept", reason=reason)
    if fact.uncertain:
        audit_record(
            actor=actor,
            action="fact.check",
            obj=fact,
            after={"uncertain_parts": list(fact.uncertain_parts), **snapshot(fact, EDITABLE_FIELDS)},
            reason=reason,
        )
    return fact_record(actor=actor, fact=fact)


@dataclass
class ManyAccepted:
    """What `fact_accept_many` did: the facts accepted, those left for one-by-one review because they were
    read across an uncertain span, and those already decided (by someone else meanwhile)."""

    accepted: list = field(default_factory=list)
    uncertain: list = field(default_factory=list)
    decided: list = field(default_factory=list)


UNCERTAIN_IN_BULK = gettext_lazy(
    "其中 %(n)d 条事实（编号 %(ids)s）读自修复时无法确定的文字（存疑处），不能批量采纳：请逐条对照原文核对后"
    "采纳，或不选它们。未采纳任何事实。"
)


@transaction.atomic
def fact_accept_many(*, actor, facts, reason: str = "", strict: bool = False) -> ManyAccepted:
    """Accept many proposed facts at once, each as `fact_accept` does. A fact read across an uncertain span
    is never accepted so: it is left (in `uncertain`) to be checked one by one, or, with `strict` (the API),
    the whole request is refused (UNCERTAIN_IN_BULK, code `uncertain_facts`) and nothing accepted. A fact
    decided meanwhile is left as it is (in `decided`)."""
    if not permissions.can_review_fact(actor):
        raise PermissionDenied(NOT_ALLOWED)
    done = ManyAccepted()
    ids = [f.pk for f in facts]
    waiting = []
    for fact in Fact.objects.select_for_update().filter(pk__in=ids).order_by("document_id", "start", "id"):
        if fact.status != Fact.Status.PROPOSED:
            done.decided.append(fact)
        elif fact.uncertain:
            done.uncertain.append(fact)
        else:
            waiting.append(fact)
    if strict and done.uncertain:
        message = str(UNCERTAIN_IN_BULK) % {
            "n": len(done.uncertain),
            "ids": listed(f.pk for f in done.uncertain),
        }
        raise ApplicationError(message, code="uncertain_facts", fields={"ids": [message]})
    done.accepted = [fact_accept(actor=actor, fact=fact, reason=reason) for fact in waiting]
    return done


@transaction.atomic
def fact_edit(
    *, actor, fact: Fact, expected_version: int, reason: str = "", checked: bool = False, **fields
) -> Fact:
    """Correct a fact's fields and accept it. Refuses (Conflict) if someone changed it meanwhile. A fact read
    across an uncertain span is accepted so only when `checked` or each part read there is corrected; its
    change is audited as a correction (fact.correct)."""
    if not permissions.can_review_fact(actor, fact):
        raise PermissionDenied(NOT_ALLOWED)
    FACT_MACHINE.check(fact.status, "edit", roles_of(actor), obj=fact, ctx={"reason": reason})
    if "place" in fields:
        fields["place"] = _place_picked(fact, fields["place"])
    before = snapshot(fact, EDITABLE_FIELDS)
    corrected = [name for name, value in fields.items() if _differs(getattr(fact, name, None), value)]
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
    after = snapshot(fact, EDITABLE_FIELDS)
    _check_uncertain(fact, checked=checked, corrected=corrected)
    optimistic_save(obj=fact, expected_version=expected_version, update_fields=changed)
    audit_record(
        actor=actor,
        action="fact.correct" if fact.uncertain else "fact.update",
        obj=fact,
        before=before,
        after={**after, "uncertain_parts": list(fact.uncertain_parts)} if fact.uncertain else after,
        reason=reason,
    )
    fact = _decide(actor=actor, fact=fact, action="edit", reason=reason)
    return fact_record(actor=actor, fact=fact)


def _differs(old, new) -> bool:
    """Whether an edit changes a field (23 and 23.0000 are the same value)."""
    if old is None or new is None:
        return (old in (None, "")) != (new in (None, ""))
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        try:
            return Decimal(old) != Decimal(new)
        except (ArithmeticError, TypeError, ValueError):
            return True
    return (old or "") != (new or "")


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
