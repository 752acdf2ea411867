from kechuang.accounts.roles import Role, roles_of

from .registry import nav_items_for


def navigation(request):
    """The navigation and the user's roles, for the base layout."""
    user = getattr(request, "user", None)
    roles = roles_of(user)
    return {
        "nav_items": nav_items_for(user),
        "user_roles": roles,
        "user_role_labels": [Role(r).label for r in sorted(roles)],
    }
