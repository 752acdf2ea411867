"""Platforms on dashboards: reports to review (staff) or to file (operators); registry figures."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core import counters, divisions
from kechuang.core.roles import Role, has_role
from kechuang.core.ui import Card, Task

from . import permissions, selectors
from .models import Platform, YearlyReport


def tasks_for(user) -> list[Task]:
    """Staff: submitted reports waiting; operators: last year's reports not yet filed, returned ones."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    tasks = []
    if has_role(user, Role.STAFF):
        n = counters.read("platforms.reports_submitted", memo=user)["platforms.reports_submitted"]
        if n:
            tasks.append(
                Task(
                    _("待审核的平台年度报告"),
                    reverse("platforms:reports") + "?status=submitted",
                    "platforms.report",
                    count=n,
                )
            )
    if has_role(user, Role.OPERATOR):
        year = timezone.localdate().year - 1
        for p in Platform.objects.filter(operators__user=user).exclude(reports__year=year):
            tasks.append(
                Task(
                    _("填报 %(y)s 年度报告：%(p)s") % {"y": year, "p": p.local_name},
                    reverse("platforms:report-create") + f"?platform={p.pk}",
                    "platforms.report",
                )
            )
        for r in YearlyReport.objects.filter(
            platform__operators__user=user, status=YearlyReport.Status.RETURNED
        ).select_related("platform"):
            tasks.append(
                Task(
                    _("修改被退回的年度报告：%(p)s %(y)s") % {"p": r.platform.local_name, "y": r.year},
                    r.get_absolute_url(),
                    "platforms.report",
                )
            )
    return tasks


def cards_for(user) -> list[Card]:
    """Live platforms the user may see (the public: published ones) of the department's own province (the
    deployment's KECHUANG_HOME_REGION; the other provinces' only as a count beside them), and consortia. The
    same for everyone who sees all platforms, and for everyone who sees the published ones: kept in the cache
    under the platforms' version (platforms.counted), so a platform's write shows at once; an operator's own
    unpublished platforms make their cards their own."""
    internal = permissions.can_view_internal(user)
    if not internal and getattr(user, "is_authenticated", False) and has_role(user, Role.OPERATOR):
        return _cards(user)
    who = "internal" if internal else "public"
    home = divisions.home_code()
    key = f"platforms.cards:{who}:{home}:{timezone.localdate().isoformat()}"
    return counters.cached(key, "platforms.version", lambda: _cards(user), memo=user)


def _cards(user) -> list[Card]:
    """Counted in the department's own province when the deployment names one of the provincial-level
    divisions (the dashboard had counted every province's platforms as the department's: 131 in the demo, both
    provinces'); every province's, said so, when it names none."""
    home = divisions.home_code()
    home = home if divisions.get(home) else ""
    qs = permissions.platforms_visible_to(user).filter(status__in=["building", "trial", "operating"])
    agg = qs.aggregate(
        total=Count("pk"),
        home=Count("pk", filter=Q(province=home)),
        consortia=Count("pk", filter=Q(kind="consortium")),
        home_consortia=Count("pk", filter=Q(kind="consortium", province=home)),
    )
    if not agg["total"]:
        return []
    counts = selectors.platform_counts_as_of(
        date=timezone.localdate(),
        by="level",
        province=home,
        published_only=not permissions.can_view_internal(user),
    )
    words = {"n": counts.get("national", 0), "p": counts.get("provincial", 0)}
    where = f"&province={home}" if home else ""
    # The big number is the home province's: the title says whose (as the indicators' cards do, "山西省 · …"),
    # and the other provinces' count reads as left out (the note had read "山西省 · 国家级 2 · 省级 51 · 外省 78"
    # under a title naming no province, people34).
    live, consortia = _("在运行创新平台"), _("企业创新联合体")
    if home:
        province = divisions.name(home)
        live, consortia = (
            _("%(province)s · %(title)s") % {"province": province, "title": t} for t in (live, consortia)
        )
        note = _("国家级 %(n)s · 省级 %(p)s · 不含外省 %(others)s 个") % {
            **words,
            "others": agg["total"] - agg["home"],
        }
    else:
        note = _("全部省份（未设置本厅所在省份） · 国家级 %(n)s · 省级 %(p)s") % words
    return [
        Card(
            live,
            str(agg["home"] if home else agg["total"]),
            reverse("platforms:list") + "?status=live" + where,
            note=note,
        ),
        Card(
            consortia,
            str(agg["home_consortia"] if home else agg["consortia"]),
            reverse("platforms:list") + "?kind=consortium&status=live" + where,
            note=_("不含外省 %(others)s 个") % {"others": agg["consortia"] - agg["home_consortia"]}
            if home
            else "",
        ),
    ]
