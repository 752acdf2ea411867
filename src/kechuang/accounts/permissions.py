"""The accounts policy (units). The role checks every app's views and API use are in `core.roles`.

Predicates are `rules` predicates so that `user.has_perm("accounts.change_unit", unit)` works too.
A denied object answers 404 where its existence is not public, 403 where the page itself is refused.
"""

import rules

from kechuang.core.roles import Role, has_role


@rules.predicate
def is_staff_member(user) -> bool:
    return has_role(user, Role.STAFF)


@rules.predicate
def is_commissioner(user) -> bool:
    return has_role(user, Role.COMMISSIONER)


@rules.predicate
def is_expert(user) -> bool:
    return has_role(user, Role.EXPERT)


@rules.predicate
def is_applicant(user) -> bool:
    return has_role(user, Role.APPLICANT)


@rules.predicate
def is_operator(user) -> bool:
    return has_role(user, Role.OPERATOR)


@rules.predicate
def belongs_to_unit(user, obj) -> bool:
    """The object belongs to the user's own unit (obj is a Unit, or has `unit_id`)."""
    if obj is None or not getattr(user, "unit_id", None):
        return False
    unit_id = obj.pk if obj.__class__.__name__ == "Unit" else getattr(obj, "unit_id", None)
    return unit_id == user.unit_id


def can_edit_unit(user, unit) -> bool:
    """Staff edit any unit; a unit user edits their own unit's profile."""
    if is_staff_member(user):
        return True
    if not is_applicant(user):
        return False
    return belongs_to_unit(user, unit)


def can_view_unit(user, unit) -> bool:
    """Units are listed publicly only by name; their profile page is for signed-in users."""
    return bool(getattr(user, "is_authenticated", False))


rules.add_perm("accounts.change_unit", rules.predicate(can_edit_unit))
rules.add_perm("accounts.view_unit", rules.predicate(can_view_unit))
