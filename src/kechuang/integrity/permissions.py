"""Who may see and change integrity records: staff only. The records, the restrictions and the expert
credit record are shown on people's and units' pages to staff alone."""

from kechuang.core.roles import Role, actor_roles


def can_manage(user) -> bool:
    return Role.STAFF.value in actor_roles(user)


can_view = can_manage
