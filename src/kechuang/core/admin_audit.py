"""Every change made through the Django admin goes to the audit trail (issue #14.4).

`audit_admin_site()` (called once the admin has collected every app's ModelAdmin) gives each registered
ModelAdmin the `AuditedAdminMixin`. The mixin records, with the signed-in person as actor:

- `admin.add` / `admin.change`: the fields that changed, old → new, many-to-many fields included (a role
  given is the user's `groups` changing), inline rows added, changed and deleted;
- `admin.delete`: the object, and one `admin.delete_cascade` event for every row deleted with it (the rows
  the admin's confirmation page listed), each with its values before;
- `admin.action`: every other bulk action of the change list (any ModelAdmin's, third-party ones too), one
  event per selected row with its fields before → after (none when the action left the row as it was), the
  action's name as the reason, in one transaction with the action;
- any other change the admin logs (a password set on the admin's password page) as `admin.change` with the
  admin's own message.

Passwords are never written to the trail: a changed password shows as "（已更改）".
"""

import functools

from django.contrib.admin.utils import NestedObjects
from django.db import router, transaction
from django.utils.translation import gettext as _

from .audit import audit_record, diff, snapshot

SECRET_FIELDS = frozenset({"password"})
CHANGED = "（已更改）"


def _state(obj) -> dict:
    """Concrete fields and many-to-many fields (as sorted names) of a saved object, read from the database."""
    if obj.pk is None:
        return {}
    fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return {}
    values = snapshot(fresh)
    for field in fresh._meta.many_to_many:
        values[field.name] = sorted(str(o) for o in getattr(fresh, field.name).all())
    return values


def _masked(before: dict, after: dict) -> tuple[dict, dict]:
    for name in SECRET_FIELDS:
        if name in before:
            before[name] = CHANGED if name in after else "-"
        if name in after:
            after[name] = CHANGED
    return before, after


def _pending(request) -> dict:
    if not hasattr(request, "_kechuang_admin_audit"):
        request._kechuang_admin_audit = {}
    return request._kechuang_admin_audit


def audited_action(func, name: str, description):
    """An admin action that writes one `admin.action` event per selected row (state before → after)."""
    if getattr(func, "_kechuang_audited", False):
        return func

    @functools.wraps(func)
    def action(modeladmin, request, queryset):
        rows = list(queryset)
        before = {(type(o), o.pk): _state(o) for o in rows}
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            response = func(modeladmin, request, queryset)
            for o in rows:
                was, now = before[(type(o), o.pk)], _state(o)
                old, new = diff(was, now) if now else (dict(was), {})  # {}: the action deleted the row
                old, new = _masked(old, new)
                audit_record(
                    actor=request.user,
                    action="admin.action",
                    obj=o,
                    object_repr=str(o),
                    before=old or None,
                    after=new or None,
                    reason=str(description or name),
                )
        return response

    action._kechuang_audited = True
    return action


class AuditedAdminMixin:
    def get_actions(self, request):
        """Every bulk action audited: delete_selected through delete_queryset (below), the others wrapped."""
        actions = super().get_actions(request)
        for key, (func, name, description) in list(actions.items()):
            if name != "delete_selected":
                actions[key] = (audited_action(func, name, description), name, description)
        return actions

    def save_model(self, request, obj, form, change):
        before = _state(obj) if change else {}
        super().save_model(request, obj, form, change)
        _pending(request)[(type(obj), obj.pk)] = (before, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before, change = _pending(request).get((type(obj), obj.pk), ({}, change))
        after = _state(obj)
        old, new = diff(before, after) if change else ({}, after)
        old, new = _masked(old, new)
        if old or new or not change:
            audit_record(
                actor=request.user,
                action="admin.change" if change else "admin.add",
                obj=obj,
                before=old or None,
                after=new,
            )
        _pending(request)[(type(obj), obj.pk)] = "done"
        for formset in formsets:
            self._audit_formset(request, obj, formset)

    def _audit_formset(self, request, parent, formset):
        reason = _("在 %(parent)s 的管理页面中") % {"parent": parent}
        for child in getattr(formset, "new_objects", []):
            audit_record(
                actor=request.user, action="admin.add", obj=child, after=snapshot(child), reason=reason
            )
        for child, fields in getattr(formset, "changed_objects", []):
            form = next((f for f in formset.forms if f.instance.pk == child.pk), None)
            old = {name: form.initial.get(name) if form else None for name in fields}
            new = {
                name: snapshot(child, [child._meta.get_field(name).attname]).popitem()[1] for name in fields
            }
            audit_record(
                actor=request.user, action="admin.change", obj=child, before=old, after=new, reason=reason
            )
        for child in getattr(formset, "deleted_objects", []):
            audit_record(
                actor=request.user,
                action="admin.delete",
                obj=child,
                object_repr=str(child),
                before=snapshot(child),
                reason=reason,
            )

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if _pending(request).get((type(obj), obj.pk)) != "done":
            # A change the admin made without save_model (the user's password page).
            text = entry.get_change_message() if entry is not None else str(message)
            audit_record(actor=request.user, action="admin.change", obj=obj, after={"admin": text})
        return entry

    def _audit_deletion(self, request, objs) -> list:
        """What deleting `objs` takes with it, as the confirmation page lists it: [(obj, before, repr, is_root)]
        (names are taken now: a row's name may follow a relation that is gone after the delete)."""
        objs = list(objs)
        if not objs:
            return []
        collector = NestedObjects(using=router.db_for_write(type(objs[0])))
        collector.collect(objs)
        roots = {(type(o), o.pk) for o in objs}
        out = [(o, snapshot(o), str(o), True) for o in objs]
        for model, instances in collector.data.items():
            for instance in instances:
                if (model, instance.pk) not in roots:
                    out.append((instance, snapshot(instance), str(instance), False))
        return out

    def _record_deletion(self, request, planned, parent_repr):
        for obj, before, name, is_root in planned:
            pk = before.get(obj._meta.pk.attname)
            obj.pk = pk  # deleted instances lose their pk; the trail names the row they were
            audit_record(
                actor=request.user,
                action="admin.delete" if is_root else "admin.delete_cascade",
                obj=obj,
                object_repr=name,
                before=_masked(before, {})[0],
                reason="" if is_root else _("随 %(parent)s 一并删除") % {"parent": parent_repr},
            )

    def delete_model(self, request, obj):
        planned = self._audit_deletion(request, [obj])
        parent = str(obj)
        super().delete_model(request, obj)
        self._record_deletion(request, planned, parent)

    def delete_queryset(self, request, queryset):
        objs = list(queryset)
        planned = self._audit_deletion(request, objs)
        parent = "、".join(str(o) for o in objs[:5])
        super().delete_queryset(request, queryset)
        self._record_deletion(request, planned, parent)


def audit_admin_site(site=None) -> None:
    """Give every registered ModelAdmin the audit mixin (once; a class registered later gets it too)."""
    from django.contrib import admin

    site = site or admin.site
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdminMixin):
            continue
        cls = type(model_admin)
        audited = type(f"Audited{cls.__name__}", (AuditedAdminMixin, cls), {"__module__": cls.__module__})
        site._registry[model] = audited(model, site)
