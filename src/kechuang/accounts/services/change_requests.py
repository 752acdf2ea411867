"""A unit's change requests: a change to a verified field waits for staff to approve it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, actor_roles

from .. import permissions
from ..models import Unit, UnitChangeRequest, User
from ..workflow import CHANGE_REQUEST
from .units import (
    FREE_FIELDS,
    VERIFIED_FIELDS,
    _current,
    _set_field,
    check_names,
    unit_names_lock,
    unit_update,
    verified_changes,
)

CHANGE_NOTHING = gettext_lazy("申请的值与当前已核验的值相同，无需变更。")


CHANGE_PENDING = gettext_lazy("本单位已有一项待审核的变更申请，请等待科技厅审核后再提交。")


CHANGE_DECIDED = gettext_lazy("此变更申请已审核。")


@transaction.atomic
def unit_change_request_create(*, actor, unit: Unit, changes: dict, reason: str = "") -> UnitChangeRequest:
    """Ask staff to change verified fields of the actor's own unit. The proposed values are validated as the
    unit would be (a bad credit code or a taken name is refused now, not at approval); the unit is unchanged."""
    if not permissions.can_edit_unit(actor, unit):
        raise PermissionDenied(_("您无权修改此单位。"))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    proposed = verified_changes(unit, {k: v for k, v in changes.items() if k in VERIFIED_FIELDS})
    if not proposed:
        raise ApplicationError(CHANGE_NOTHING, code="no_change")
    if UnitChangeRequest.objects.filter(unit=unit, status=UnitChangeRequest.Status.PENDING).exists():
        raise ApplicationError(CHANGE_PENDING, code="change_request_pending", status=409)
    check_names(unit, proposed, by_staff=False)  # a short name that names no unit alone (§27)
    trial = Unit.objects.get(pk=unit.pk)
    for name, value in proposed.items():
        _set_field(trial, name, value)
    trial.full_clean()
    cr = UnitChangeRequest(
        unit=unit,
        changes=proposed,
        before={name: _current(unit, name) for name in proposed},
        reason=reason,
        requested_by=actor,
    )
    cr.full_clean()
    cr.save()
    audit_record(
        actor=actor, action="unit.change_request", obj=unit, before=cr.before, after=cr.changes, reason=reason
    )
    notify(
        recipients=User.objects.filter(is_active=True, groups__name=Role.STAFF).distinct(),
        title=Message(gettext_noop("单位信息变更申请：%(unit)s"), unit=unit.both_names),
        url=cr.get_absolute_url(),
        kind="accounts.change_request",
        email=False,
    )
    return cr


@transaction.atomic
def unit_change_request_decide(
    *, actor, change_request: UnitChangeRequest, approve: bool, note: str = ""
) -> UnitChangeRequest:
    """Staff approve (the unit takes the requested values, validated again) or reject (note required)."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以审核单位信息变更。"))
    # the units' names before any row (§33): an approved name is checked against the others' committed ones
    unit_names_lock()
    cr = UnitChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    action = "approve" if approve else "reject"
    if cr.status not in CHANGE_REQUEST.get(action).sources:
        raise InvalidTransition(CHANGE_DECIDED)
    if not approve and not note.strip():
        raise ValidationError({"note": _("驳回时请写明理由。")})
    t = CHANGE_REQUEST.check(cr.status, action, actor_roles(actor), obj=cr, ctx={"reason": note})
    unit = Unit.objects.select_for_update().get(pk=cr.unit_id)
    if approve:
        check_names(unit, cr.changes, by_staff=True)  # another unit may have taken the name meanwhile
        before = snapshot(unit)
        for name, value in cr.changes.items():
            _set_field(unit, name, value)
        unit.full_clean()
        # A credit code brings its division (Unit.clean): saved as the audit says.
        extra = ["region_code"] if unit.region_code != before.get("region_code") else []
        unit.save(update_fields=list(dict.fromkeys([*cr.changes, *extra, "updated_at"])))
        b, a = diff(before, snapshot(unit))
        audit_record(actor=actor, action="unit.update", obj=unit, before=b, after=a, reason=note or cr.reason)
    cr.status = t.target
    cr.decided_by, cr.decided_at, cr.decision_note = actor, timezone.now(), note
    cr.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit_record(
        actor=actor,
        action="unit.change_request.approve" if approve else "unit.change_request.reject",
        obj=unit,
        after={"change_request": cr.pk, "changes": cr.changes},
        reason=note,
    )
    notify(
        recipients=[cr.requested_by],
        title=Message(
            gettext_noop("单位信息变更已批准：%(unit)s")
            if approve
            else gettext_noop("单位信息变更被驳回：%(unit)s"),
            unit=unit.both_names,
        ),
        body=note,
        url=unit.get_absolute_url(),
        kind="accounts.change_request",
    )
    return cr


@transaction.atomic
def unit_update_or_request(
    *, actor, unit: Unit, fields: dict, reason: str = ""
) -> tuple[Unit, UnitChangeRequest | None]:
    """What a unit's edit page and `PATCH /api/units/<id>/` do: staff (and the users of a unit not verified
    yet) change the unit at once; a unit user of a verified unit changes its free fields at once and asks for
    the verified ones in one change request. Returns the unit and the change request, if one was made."""
    if permissions.is_staff_member(actor) or not unit.is_verified:
        return unit_update(actor=actor, unit=unit, reason=reason, **fields), None
    requested = verified_changes(unit, fields)
    free = {k: v for k, v in fields.items() if k in FREE_FIELDS}
    if free:
        unit = unit_update(actor=actor, unit=unit, reason=reason, **free)
    cr = (
        unit_change_request_create(actor=actor, unit=unit, changes=requested, reason=reason)
        if requested
        else None
    )
    return unit, cr
