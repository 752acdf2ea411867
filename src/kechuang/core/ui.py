"""How apps plug into the shared UI without editing it: the registry web reads.

An app may define:
- `nav.py` with `ITEMS: list[NavItem]`: its entries in the navigation, each for some roles or the public;
- `dashboard.py` with `tasks_for(user) -> list[Task]`: what the user has to do ("my tasks"), and optionally
  `cards_for(user) -> list[Card]`: figures for the user's dashboard;
- panels on another app's pages: `register_panel(slot, provider)` from its AppConfig.ready(), where the page
  (an app lower down) renders `panels_for(slot, ...)` without knowing who filled them (platforms' detail
  page shows evaluation's results this way).
Apps import this module (core), never web: the shell (web) sits on top and reads what the apps registered.
"""

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import PUBLIC, roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] = field(default_factory=lambda: frozenset({PUBLIC}))
    order: int = 100
    group: str = ""  # the key of another area's menu (see NAV_GROUPS); by default the app's own area

    def visible_to(self, roles: frozenset[str]) -> bool:
        return PUBLIC in self.roles or bool(self.roles & roles)


@dataclass(frozen=True)
class Task:
    title: str
    url: str
    kind: str = ""
    due: datetime.date | None = None
    overdue: bool = False
    count: int | None = None


@dataclass(frozen=True)
class Card:
    title: str
    value: str
    url: str = ""
    note: str = ""


def kechuang_apps() -> list[str]:
    return [a.split(".")[-1] for a in settings.INSTALLED_APPS if a.startswith("kechuang.")]


def app_module(app: str, name: str):
    """`kechuang.<app>.<name>` if the app has that module, else None."""
    try:
        return importlib.import_module(f"kechuang.{app}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"kechuang.{app}.{name}":
            return None
        raise


# The menus of the top bar, in this order; an app's items go under its area unless an item names a group.
NAV_GROUPS = [
    ("platforms", _("创新平台")),
    ("challenges", _("揭榜挂帅")),
    ("review", _("专家评审")),
    ("techmap", _("攻坚图谱")),
    ("indicators", _("科技指标")),
    ("ingest", pgettext_lazy("列表", "报告")),
    ("system", _("系统管理")),
]
APP_GROUP = {"evaluation": "platforms", "accounts": "system", "core": "system", "web": "system"}
NAV_KEYS = frozenset(key for key, _label in NAV_GROUPS)


_NAV_CACHE: dict[tuple, list[dict]] = {}


def nav_items_for(user) -> list[dict]:
    """The navigation entries a user sees: resolved and ordered, each with the menu it belongs to.

    The same for every user with the same roles: resolved once per process for each set of roles (and URL
    prefix), instead of ~30 reverse() calls on every page; labels stay lazy, translated when rendered."""
    from django.urls import get_script_prefix, get_urlconf

    roles = frozenset(roles_of(user) | {PUBLIC})
    key = (roles, get_script_prefix(), get_urlconf())
    cached = _NAV_CACHE.get(key)
    if cached is None:
        cached = _NAV_CACHE[key] = _nav_items(roles)
    return [dict(item) for item in cached]


def _nav_items(roles: frozenset[str]) -> list[dict]:
    items = []
    for app in kechuang_apps():
        mod = app_module(app, "nav")
        for item in getattr(mod, "ITEMS", []) if mod else []:
            if not item.visible_to(roles):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            # The app's area decides the menu; an item may move to another area by naming its key.
            group = str(item.group) if str(item.group) in NAV_KEYS else APP_GROUP.get(app, app)
            items.append({"label": item.label, "url": url, "order": item.order, "group": group})
    return sorted(items, key=lambda i: (i["order"], str(i["label"])))


def nav_menus_for(user, items: list[dict] | None = None) -> list[dict]:
    """The entries grouped into the top bar's menus; a menu with a single entry is shown as a plain link.

    Pass the user's `items` (from nav_items_for) when already computed, so they are resolved once a request.
    """
    if items is None:
        items = nav_items_for(user)
    labels = dict(NAV_GROUPS)
    order = [key for key, _label in NAV_GROUPS]
    menus: dict[str, dict] = {}
    for item in items:
        key = item["group"] if item["group"] in labels else "system"
        menus.setdefault(key, {"key": key, "label": labels[key], "items": []})["items"].append(item)
    return [menus[k] for k in order if k in menus]


def tasks_for(user) -> list[Task]:
    tasks: list[Task] = []
    for app in kechuang_apps():
        mod = app_module(app, "dashboard")
        if mod and hasattr(mod, "tasks_for"):
            tasks.extend(mod.tasks_for(user))
    return sorted(tasks, key=lambda t: (not t.overdue, t.due or datetime.date.max, str(t.title)))


def cards_for(user) -> list[Card]:
    """Every app's cards for `user`. The public's cards (the home page for anonymous visitors) are the same
    for everyone: they are kept in the cache for KECHUANG_PUBLIC_CARDS_SECONDS (per language), since their
    counts over the whole registry were most of an anonymous home page's time at national size."""
    seconds = getattr(settings, "KECHUANG_PUBLIC_CARDS_SECONDS", 0)
    public = seconds > 0 and not getattr(user, "is_authenticated", False)
    if public:
        from django.core.cache import cache
        from django.utils.translation import get_language

        key = f"web:public-cards:{get_language()}"
        cached = cache.get(key)
        if cached is not None:
            return list(cached)
    cards: list[Card] = []
    for app in kechuang_apps():
        mod = app_module(app, "dashboard")
        if mod and hasattr(mod, "cards_for"):
            cards.extend(mod.cards_for(user))
    if public:
        cache.set(key, [Card(str(c.title), str(c.value), str(c.url), str(c.note)) for c in cards], seconds)
    return cards


def dashboard_for(user) -> tuple[list[Task], list[Card], datetime.datetime | None]:
    """A signed-in person's tasks and cards, and when they were counted (None: just now).

    Kept in the cache for KECHUANG_DASHBOARD_SECONDS (0 turns it off) per person and language under the
    audit trail's newest event and today's date: every service that changes state writes an audit event in
    its own transaction, so any change anyone makes gives the next dashboard a new key and it is counted
    afresh; a day's turn does the same for what falls due. Between two changes every visit is one cache read
    instead of some twenty-five counts and lists (issue #19). What no service writes (a bulk load, a restore)
    shows after the time above, and the page says when its figures were counted."""
    seconds = getattr(settings, "KECHUANG_DASHBOARD_SECONDS", 0)
    if seconds <= 0 or not getattr(user, "is_authenticated", False):
        return tasks_for(user), cards_for(user), None
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language

    from .models import AuditEvent

    newest = AuditEvent.objects.order_by("-pk").values_list("pk", "at").first()
    # The event's time as well as its id: after a restore, ids are handed out again for other events.
    epoch = f"{newest[0]}.{newest[1].timestamp():.6f}" if newest else "0"
    key = f"web:dashboard:{user.pk}:{get_language()}:{timezone.localdate().isoformat()}:{epoch}"
    hit = cache.get(key)
    if hit is not None:
        tasks, cards, at = hit
        return list(tasks), list(cards), at
    tasks = [Task(str(t.title), str(t.url), t.kind, t.due, t.overdue, t.count) for t in tasks_for(user)]
    cards = [Card(str(c.title), str(c.value), str(c.url), str(c.note)) for c in cards_for(user)]
    cache.set(key, (tasks, cards, timezone.now()), seconds)
    return tasks, cards, None


def nav_entries():
    """Every app's registered navigation entries, as (app, NavItem), whoever may see them."""
    for app in kechuang_apps():
        mod = app_module(app, "nav")
        for item in getattr(mod, "ITEMS", []) if mod else []:
            yield app, item


# --- panels: one app's section on another app's page ------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A section an app adds to another app's page: its template, rendered with `panel` in the context."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_PANELS: dict[str, list[Callable[..., Panel | None]]] = {}


def register_panel(slot: str, provider: Callable[..., Panel | None]) -> None:
    """Add `provider(**kwargs) -> Panel | None` to the pages that render `slot` (call from AppConfig.ready)."""
    providers = _PANELS.setdefault(slot, [])
    if provider not in providers:
        providers.append(provider)


def panels_for(slot: str, **kwargs) -> list[Panel]:
    """The panels registered for `slot`, each given the page's objects (e.g. `platform=`, `user=`)."""
    panels = [panel for provider in _PANELS.get(slot, []) if (panel := provider(**kwargs)) is not None]
    return sorted(panels, key=lambda p: p.order)
