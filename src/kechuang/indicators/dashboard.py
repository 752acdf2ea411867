"""What the indicators app adds to the dashboards: target progress cards and at-risk targets to look at."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kechuang.core.display import fixed
from kechuang.core.roles import Role, has_role
from kechuang.core.ui import Card, Task


def _progress(user):
    """The home region's target progress, read once per request: the cards and the tasks both use it (kept
    on the user object, which lives for one request)."""
    cached = getattr(user, "_kc_indicator_progress", None)
    if cached is not None:
        return cached
    from .selectors import home_region, target_progress_list

    region = home_region()
    result = (None, []) if region is None else (region, target_progress_list(user=user, region=region))
    if user is not None:
        user._kc_indicator_progress = result
    return result


def cards_for(user) -> list[Card]:
    """One card per target of the home province: latest value against the target (public ones for guests)."""
    region, items = _progress(user)
    if region is None:
        return []
    url = reverse("indicators:dashboard")
    cards = []
    from .selectors import places_by_indicator

    places_of_indicator = places_by_indicator(i.target.indicator_id for i in items[:4])
    for item in items[:4]:
        p = item.progress
        # the figure with its unit, as the target beside it is written (65.8 read bare under "≥ 65%", people34)
        unit = item.target.indicator.local_unit
        gap = " " if unit[:1].isascii() and unit[:1].isalpha() else ""  # 65.8%, 3.1 件 / 3.1 items
        # written with the places the indicator's page writes its values with (58.3, never 5.83e+01)
        places = places_of_indicator[item.target.indicator_id]
        value = "—" if p.latest_value is None else f"{fixed(p.latest_value, places)}{gap}{unit}"
        note = _("目标 %(goal)s · %(status)s") % {
            "goal": item.target.goal_text,
            "status": {"met": _("已达成"), "on_track": _("按期可达"), "at_risk": _("存在风险")}.get(
                p.status, _("暂无数据")
            ),
        }
        cards.append(
            Card(
                title=f"{region.local_name} · {item.target.indicator.local_name}",
                value=value,
                url=url,
                note=note,
            )
        )
    return cards


def tasks_for(user) -> list[Task]:
    """Staff: the targets at risk, to review or act on."""
    if not has_role(user, Role.STAFF):
        return []
    _region, items = _progress(user)
    at_risk = [i for i in items if i.progress.status == "at_risk"]
    if not at_risk:
        return []
    return [
        Task(
            title=ngettext(
                "%(n)d 项指标目标存在未按期达成的风险", "%(n)d 项指标目标存在未按期达成的风险", len(at_risk)
            )
            % {"n": len(at_risk)},
            url=reverse("indicators:target-list"),
            kind="indicators",
            count=len(at_risk),
        )
    ]
