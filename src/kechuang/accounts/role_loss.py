"""A role taken away, by any path, revokes the person's API tokens (audited `token.revoke`, reason `role_removed`).

A token issued for what a role did (a staff script) should not carry on as whatever the person still is. The
services (`user_set_roles`, `user_update`) are one path; the Django admin is others: the user form's groups
and superuser status, a group's members, a role group renamed or deleted. So the rule sits on the models'
signals, the one place every path goes through:

- `m2m_changed` on `User.groups` (either side: `user.groups.remove(g)`, `group.user_set.remove(u)`, `set`,
  `clear`): a role group removed from a person;
- `pre_save` of a `Group`: a role group renamed (its members no longer hold the role);
- `pre_delete` of a `Group`: a role group deleted (the admin's delete page and bulk action);
- `pre_save` of a `User`: superuser status taken away from a person who is not in the staff group (a
  superuser acts as staff, `core.roles.roles_of`).

A role given keeps the tokens. Groups that are not roles, and Django's model permissions (which no role and no
token reads: roles are group names, object rules are `rules` predicates), revoke nothing.

Who acted: the actor a service names (`roles_changed_by`), else the signed-in person of the request being
answered (the admin), else the system actor (a command).
"""

import contextlib
from contextvars import ContextVar

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_init, pre_delete, pre_save

from kechuang.core import context
from kechuang.core.roles import ALL_ROLES, SYSTEM, Role

REASON = "role_removed"

_acting: ContextVar = ContextVar("kechuang_roles_changed_by", default=None)


@contextlib.contextmanager
def roles_changed_by(actor):
    """Role changes made inside the block are `actor`'s (the audit event of a revocation names them)."""
    token = _acting.set(actor)
    try:
        yield
    finally:
        _acting.reset(token)


def _actor():
    actor = _acting.get()
    if actor is not None:
        return actor
    request = context.current().request
    user = getattr(request, "user", None) if request is not None else None
    return user if getattr(user, "is_authenticated", False) else SYSTEM


def revoke_for(user_ids) -> None:
    """Revoke the live tokens of each person in `user_ids` (one `token.revoke` event each that had any)."""
    from .models import ApiToken, User
    from .services.tokens import tokens_revoke_all

    ids = set(
        ApiToken.objects.filter(user_id__in=set(user_ids), revoked_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    if not ids:
        return
    actor = _actor()
    for user in User.objects.filter(pk__in=ids).order_by("pk"):
        tokens_revoke_all(actor=actor, user=user, reason=REASON)


def _role_group_ids(pks) -> set:
    return set(Group.objects.filter(pk__in=pks, name__in=ALL_ROLES).values_list("pk", flat=True))


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # What a clear takes away is only known before it.
        if reverse:  # group.user_set.clear()
            instance._kechuang_cleared = (
                list(instance.user_set.values_list("pk", flat=True)) if instance.name in ALL_ROLES else []
            )
        else:  # user.groups.clear()
            instance._kechuang_cleared = list(
                instance.groups.filter(name__in=ALL_ROLES).values_list("pk", flat=True)
            )
    elif action == "post_clear":
        cleared = getattr(instance, "_kechuang_cleared", [])
        instance._kechuang_cleared = []
        if cleared:
            revoke_for(cleared if reverse else [instance.pk])
    elif action == "post_remove" and pk_set:
        if reverse:  # group.user_set.remove(users)
            if instance.name in ALL_ROLES:
                revoke_for(pk_set)
        elif _role_group_ids(pk_set):  # user.groups.remove(groups) or set()
            revoke_for([instance.pk])


def _group_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    if old in ALL_ROLES and old != instance.name:
        revoke_for(Group.objects.get(pk=instance.pk).user_set.values_list("pk", flat=True))


def _group_deleting(sender, instance, **kwargs):
    if instance.name in ALL_ROLES:
        revoke_for(instance.user_set.values_list("pk", flat=True))


def _user_loaded(sender, instance, **kwargs):
    # None when the field was deferred (.only("id", "name") on the audit log, say): reading it here would cost
    # a query per person loaded; the save asks the database instead, once, if it ever comes to that.
    instance._kechuang_was_superuser = instance.__dict__.get("is_superuser")


def _user_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or instance.is_superuser:
        return
    if update_fields is not None and "is_superuser" not in update_fields:
        return
    was = getattr(instance, "_kechuang_was_superuser", False)
    if was is None:
        was = type(instance).objects.filter(pk=instance.pk, is_superuser=True).exists()
    if was:
        instance._kechuang_was_superuser = False
        if not instance.groups.filter(name=Role.STAFF.value).exists():
            revoke_for([instance.pk])


def connect() -> None:
    from .models import User

    uid = "kechuang.accounts.role_loss"
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid=uid + ".groups")
    pre_save.connect(_group_saving, sender=Group, dispatch_uid=uid + ".group_save")
    pre_delete.connect(_group_deleting, sender=Group, dispatch_uid=uid + ".group_delete")
    post_init.connect(_user_loaded, sender=User, dispatch_uid=uid + ".user_init")
    pre_save.connect(_user_saving, sender=User, dispatch_uid=uid + ".user_save")
