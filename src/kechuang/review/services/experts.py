"""Expert pool: profiles, their units, collaborators, declared conflicts and credit records."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.services import unit_propose
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.limits import checked_text
from kechuang.core.messages import Message, label
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, person, require_role, roles_of
from kechuang.core.services import optimistic_save, transition_apply

from .. import permissions, workflow
from ..models import REASON_LENGTH, Collaborator, DeclaredConflict, ExpertCredit, ExpertProfile, ExpertUnit
from ._common import ONLY_STAFF, _list_of_str

PROFILE_FIELDS = (
    "title",
    "disciplines",
    "keywords",
    "city",
    "region",
    "publications",
    "available",
    "yearly_cap",
)


@transaction.atomic
def expert_profile_create(*, actor, user, **fields) -> ExpertProfile:
    """Create a user's expert profile (the user themself, or staff). Starts as a draft."""
    if not (permissions.is_staff(actor) or getattr(actor, "pk", None) == user.pk):
        raise PermissionDenied(_("只能为本人创建专家档案。"))
    if ExpertProfile.objects.filter(user=user).exists():
        raise ApplicationError(_("该用户已有专家档案。"), code="exists")
    profile = ExpertProfile(user=user)
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(profile, name, _list_of_str(value) if name in ("disciplines", "keywords") else value)
    profile.full_clean()
    profile.save()
    audit_record(actor=actor, action="expert_profile.create", obj=profile, after=snapshot(profile))
    return profile


@transaction.atomic
def expert_profile_update(
    *, actor, profile: ExpertProfile, expected_version: int, reason: str = "", **fields
) -> ExpertProfile:
    """Change a profile's fields. An expert edits their own; an approved profile edited by its expert
    goes back to staff for approval. Refuses a stale version (someone saved in between)."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权修改此专家档案。"))
    before = snapshot(profile, PROFILE_FIELDS)
    changed = []
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(profile, name, _list_of_str(value) if name in ("disciplines", "keywords") else value)
            changed.append(name)
    profile.full_clean()
    optimistic_save(obj=profile, expected_version=expected_version, update_fields=changed)
    b, a = diff(before, snapshot(profile, PROFILE_FIELDS))
    if a:
        audit_record(
            actor=actor, action="expert_profile.update", obj=profile, before=b, after=a, reason=reason
        )
    if a and profile.status == ExpertProfile.Status.APPROVED and not permissions.is_staff(actor):
        expert_profile_transition(actor=actor, profile=profile, action="submit", reason=_("专家修改了档案"))
    return profile


@transaction.atomic
def expert_profile_transition(
    *, actor, profile: ExpertProfile, action: str, reason: str = ""
) -> ExpertProfile:
    """Submit (the expert), approve or reject (staff) a profile."""
    if action == "submit" and not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权提交此专家档案。"))
    if action == "reject":  # kept as the profile's review note, whole (it was cut at 300 without a word)
        checked_text(reason, "reason", label=_("理由"), max_length=REASON_LENGTH)
    transition_apply(
        obj=profile,
        machine=workflow.PROFILE,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        extra_updates={"review_note": reason} if action == "reject" else None,
    )
    if action in ("approve", "reject"):
        notify(
            recipients=[profile.user],
            title=Message(gettext_noop("您的专家档案已审核：%(result)s"), result=label(profile, "status")),
            body=reason,
            url=profile.get_absolute_url(),
            kind="review.profile",
        )
    return profile


@transaction.atomic
def expert_unit_add(
    *, actor, profile: ExpertProfile, unit_name: str = "", unit=None, new_unit: str = "", start=None, end=None
) -> ExpertUnit:
    """Record a past (or current) unit of the expert, with dates. `new_unit`: the full name of a unit not in
    the library, added waiting for staff verification (accounts.services.unit_propose) and recorded as it."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权修改此专家档案。"))
    if new_unit:
        unit = unit_propose(actor=actor, name=new_unit)
        unit_name = unit.name
    row = ExpertUnit(
        profile=profile, unit=unit, unit_name=unit_name or (unit.name if unit else ""), start=start, end=end
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="expert_unit.add",
        obj=profile,
        after=snapshot(row, ["unit_id", "unit_name", "start", "end"]),
    )
    return row


@transaction.atomic
def collaborator_add(
    *, actor, profile: ExpertProfile, name: str, user=None, unit_name: str = ""
) -> Collaborator:
    """Record a collaborator: their applications will be a conflict for this expert."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权修改此专家档案。"))
    row = Collaborator(profile=profile, name=name.strip(), user=user, unit_name=unit_name)
    row.full_clean()
    row.save()
    audit_record(
        actor=actor, action="collaborator.add", obj=profile, after={"name": row.name, "user": row.user_id}
    )
    return row


@transaction.atomic
def declared_conflict_add(
    *, actor, profile: ExpertProfile, reason: str, unit=None, person_name: str = "", subject=None
) -> DeclaredConflict:
    """The expert declares a conflict with a unit, a person or one subject."""
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied(_("您无权修改此专家档案。"))
    row = DeclaredConflict(profile=profile, unit=unit, person_name=person_name.strip(), reason=reason.strip())
    if subject is not None:
        row.content_type = ContentType.objects.get_for_model(subject)
        row.object_id = subject.pk
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ApplicationError(_("请指明回避的单位、人员或评审对象。"), code="invalid")
    audit_record(
        actor=actor,
        action="declared_conflict.add",
        obj=profile,
        after={"unit": row.unit_id, "person": row.person_name, "object": row.object_id},
        reason=row.reason,
    )
    return row


@transaction.atomic
def expert_credit_record(
    *, actor, profile: ExpertProfile, kind: str, note: str, points: int | None = None, round=None
) -> ExpertCredit:
    """Staff mark an expert's record (late, careless, no-show: negative; commended: positive)."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    if points is None:
        points = 1 if kind == ExpertCredit.Kind.COMMENDED else -1
    row = ExpertCredit(
        profile=profile, kind=kind, note=note, points=points, round=round, recorded_by=person(actor)
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="expert_credit.record",
        obj=profile,
        after={"kind": kind, "points": points},
        reason=note,
    )
    return row
