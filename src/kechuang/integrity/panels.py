"""The integrity panel on a person's and a unit's page (accounts), for staff only: the records and whether a
restriction binds today. Registered in `apps.IntegrityConfig.ready` through core.ui."""

from django.utils import timezone

from kechuang.core.ui import Panel

from . import permissions, selectors


def _panel(records, user) -> Panel | None:
    if not permissions.can_view(user):
        return None
    today = timezone.localdate()
    rows = list(records)
    for r in rows:
        r.binding_today = [
            label for code, label in zip(r.restrictions, r.restriction_labels) if r.binds_on(today, code)
        ]
    return Panel(template="integrity/_panel.html", context={"records": rows}, order=50)


def user_panel(*, user, person=None, **kwargs) -> Panel | None:
    if person is None:
        return None
    return _panel(selectors.records_for_user(person), user)


def unit_panel(*, user, unit=None, **kwargs) -> Panel | None:
    if unit is None:
        return None
    return _panel(selectors.records_for_unit(unit), user)
