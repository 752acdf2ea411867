from kechuang.core.notifications import notifications_unread
from kechuang.core.roles import Role, roles_of
from kechuang.core.ui import nav_items_for, nav_menus_for


def navigation(request):
    """The navigation and the user's roles, for the base layout."""
    user = getattr(request, "user", None)
    roles = roles_of(user)
    unread = 0
    if getattr(user, "is_authenticated", False):
        # read with the user by the sign-in backend (accounts.backends), else counted here
        unread = getattr(user, "_kechuang_unread", None)
        if unread is None:
            unread = notifications_unread(user).count()
    items = nav_items_for(user)
    return {
        "unread_notifications": unread,
        "nav_items": items,
        "nav_menus": nav_menus_for(user, items),
        "user_roles": roles,
        "user_role_labels": [Role(r).label for r in sorted(roles)],
    }
