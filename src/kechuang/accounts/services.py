"""Every write to units and users. Each is audited."""

from django.contrib.auth.models import Group
from django.db import transaction

from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import PermissionDenied

from . import permissions
from .models import Unit, User
from .roles import Role

UNIT_FIELDS = (
    "name",
    "name_en",
    "short_name",
    "kind",
    "credit_code",
    "province",
    "city",
    "region_code",
    "parent",
)


def roles_sync() -> list[Group]:
    """Create the role groups if missing. Idempotent."""
    return [Group.objects.get_or_create(name=r.value)[0] for r in Role]


@transaction.atomic
def unit_create(*, actor, **fields) -> Unit:
    """Create a validated unit and audit it."""
    unit = Unit(**{k: v for k, v in fields.items() if k in UNIT_FIELDS or k == "is_active"})
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, reason: str = "", **fields) -> Unit:
    """Change a unit's profile. Staff change any unit, a unit user their own."""
    if not permissions.can_edit_unit(actor, unit):
        raise PermissionDenied("您无权修改此单位。")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit)
    changed = []
    for name, value in fields.items():
        if name not in UNIT_FIELDS:
            continue
        attr = "parent_id" if name == "parent" and not isinstance(value, Unit | type(None)) else name
        setattr(unit, attr, value)
        changed.append(name)
    unit.full_clean()
    unit.save(update_fields=[*changed, "updated_at"] if changed else None)
    b, a = diff(before, snapshot(unit))
    if a:
        audit_record(actor=actor, action="unit.update", obj=unit, before=b, after=a, reason=reason)
    return unit


@transaction.atomic
def user_create(
    *, actor, username: str, password: str | None, roles=(), unit: Unit | None = None, **fields
) -> User:
    """Create a user with roles. A None password makes an account that cannot sign in until one is set."""
    user = User(username=username, unit=unit, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    groups = [Group.objects.get_or_create(name=str(r))[0] for r in roles]
    user.groups.set(groups)
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        after={
            "username": username,
            "roles": sorted(str(r) for r in roles),
            "unit": unit.pk if unit else None,
        },
    )
    return user


@transaction.atomic
def user_set_roles(*, actor, user: User, roles, reason: str = "") -> User:
    """Replace a user's roles. Staff only."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied("只有科技厅工作人员可以分配角色。")
    before = sorted(user.groups.values_list("name", flat=True))
    user.groups.set([Group.objects.get_or_create(name=str(r))[0] for r in roles])
    user._kechuang_roles = None
    audit_record(
        actor=actor,
        action="user.set_roles",
        obj=user,
        before={"roles": before},
        after={"roles": sorted(str(r) for r in roles)},
        reason=reason,
    )
    return user
