"""Reviewing facts: accept, edit, reject, reopen; accepting many at once (never a fact read across an
uncertain span: one by one, its figure checked against the original or corrected)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record, audit_record_many, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.lists import listed
from kechuang.core.roles import roles_of
from kechuang.core.services import changed_fields, optimistic_save, transition_apply
from kechuang.indicators.selectors import region_find

from .. import permissions
from ..models import Fact
from ..workflow import FACT_MACHINE
from .common import EDITABLE_FIELDS, NOT_ALLOWED, _user
from .recording import fact_record, facts_record_many

# A fact read across a span the repair could not decide (Fact.uncertain) is accepted only by a person who
# checked its figure against the original (`checked`) or corrected what was read there.
UNCHECKED = gettext_lazy(
    "这个数值读自修复时无法确定的文字（存疑处），可能有误：请对照原文核对后勾选确认，或更正后采纳。"
)
# A fact after a redaction standing for a place name, or a gap (Fact.redacted_near): its place, period or
# subject may have been taken with it; accepted so only checked, or with one of those corrected.
REDACTED_UNCHECKED = gettext_lazy(
    "这条事实的原句中数值之前有隐去或缺失的内容，其地区、期间或对象可能随之丢失：请对照原文核对后勾选确认，"
    "或更正后采纳。"
)
# the fields a part read across an uncertain span is corrected in
PART_FIELDS = {"value": "value", "unit": "unit", "period": "period", "place": "place"}
# the fields a redaction or a gap may have taken
REDACTION_FIELDS = frozenset({"place", "period", "subject"})


def _check_uncertain(fact: Fact, *, checked: bool, corrected=()) -> None:
    """Refuse to accept a fact read across an uncertain span, or after a redaction or a gap, unless the
    reviewer checked it or corrected each part read there (and, after a redaction, its place, period or
    subject)."""
    if not fact.uncertain or checked:
        return
    flagged = {PART_FIELDS[p] for p in fact.uncertain_parts if p in PART_FIELDS}
    corrected = set(corrected)
    if (
        (flagged or fact.redacted_near)
        and flagged <= corrected
        and (not fact.redacted_near or REDACTION_FIELDS & corrected)
    ):
        return
    why = REDACTED_UNCHECKED if fact.redacted_near and not flagged else UNCHECKED
    raise ApplicationError(str(why), code="uncertain_unchecked", fields={"checked": [str(why)]})


def _doubt_payload(fact: Fact) -> dict:
    """Why the fact needed a check, for its audit event (fact.check, fact.correct)."""
    out = {"uncertain_parts": list(fact.uncertain_parts)}
    if fact.redacted_near:
        out["redacted_near"] = True
    return out


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
            after={**_doubt_payload(fact), **snapshot(fact, EDITABLE_FIELDS)},
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
    "其中 %(n)d 条事实（编号 %(ids)s）读自修复时无法确定的文字（存疑处）或附近有隐去的内容，不能批量采纳："
    "请逐条对照原文核对后采纳，或不选它们。未采纳任何事实。"
)


@transaction.atomic
def fact_accept_many(*, actor, facts, reason: str = "", strict: bool = False) -> ManyAccepted:
    """Accept many proposed facts at once, each as `fact_accept` does. A fact read across an uncertain span
    is never accepted so: it is left (in `uncertain`) to be checked one by one, or, with `strict` (the API),
    the whole request is refused (UNCERTAIN_IN_BULK, code `uncertain_facts`) and nothing accepted. A fact
    decided meanwhile is left as it is (in `decided`).

    In a number of queries that does not grow with the facts (factflag2): the rows locked and read in one
    query, the state machine checked on each, the new state written by one update, each fact's transition
    audited (`fact.accept`, the event `transition_apply` writes) by one bulk append to the chain, then
    recorded as `facts_record_many` does (events in bulk; a fact an indicator or a platform records goes
    through that app's service, one by one)."""
    if not permissions.can_review_fact(actor):
        raise PermissionDenied(NOT_ALLOWED)
    done = ManyAccepted()
    ids = [f.pk for f in facts]
    waiting = []
    locked = (
        Fact.objects.select_for_update(of=("self",))
        .select_related("document")
        .filter(pk__in=ids)
        .order_by("document_id", "start", "id")
    )
    for fact in locked:
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
    if not waiting:
        return done
    roles = roles_of(actor)
    context = {"reason": reason, "actor": actor}
    transition = None
    for fact in waiting:  # every refusal raised before anything is written (as transition_apply, per fact)
        transition = FACT_MACHINE.check(fact.status, "accept", roles, obj=fact, ctx=context)
    user, now = _user(actor), timezone.now()
    before = str(Fact.Status.PROPOSED.value)
    Fact.objects.filter(pk__in=[f.pk for f in waiting]).update(
        status=transition.target, reviewed_by=user, reviewed_at=now, updated_at=now
    )
    extra = {"reviewed_by": user, "reviewed_at": now}
    rows = []
    for f in waiting:  # each row's event as transition_apply writes one fact's: the extra fields it changed
        was, changed = changed_fields(f, extra)
        rows.append((f, {"status": before, **was}, {"status": transition.target, **changed}))
    audit_record_many(
        actor=actor, action=f"{FACT_MACHINE.name}.{transition.event or 'accept'}", rows=rows, reason=reason
    )
    for fact in waiting:
        fact.status, fact.reviewed_by, fact.reviewed_at, fact.updated_at = transition.target, user, now, now
    done.accepted = facts_record_many(actor=actor, facts=waiting)
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
        after={**after, **_doubt_payload(fact)} if fact.uncertain else after,
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
