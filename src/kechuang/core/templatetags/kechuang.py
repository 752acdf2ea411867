from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from kechuang.core import display
from kechuang.core.audit import audit_trail_for_key
from kechuang.core.display import audit_lines, choice_label, money, plain, result_rows
from kechuang.core.queries import CompiledRows
from kechuang.core.roles import Role, has_role

register = template.Library()


@register.inclusion_tag("web/_audit_trail.html", takes_context=True)
def audit_trail(context, obj, limit=200, empty="", own=False, note="", parts=None):
    """The object's audit trail in words, newest first (every object page shows it). Department staff read
    every event with names; anyone else only the state changes, people outside their unit by unit, and with
    `own` (a page of the person's own: their expert profile) also every event they did themself. `note`: a
    line under the heading saying what the section holds for this reader. `parts`: a core.audit.PartTrail
    from the app's selector (a challenge's target indicators and their events): those events among the
    object's own, newest first, each line naming its part."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    internal = has_role(viewer, Role.STAFF)
    events = _trail_rows(obj, limit)
    rows = ()
    if parts is not None and parts.events:
        events = sorted([*events, *parts.events], key=lambda e: (e.at, e.pk), reverse=True)[:limit]
        rows = parts.rows
    # `empty`: what the page says while there is no line yet (a draft: what will be written here), else 暂无记录
    return {
        "audit_lines": audit_lines(
            events, internal=internal, viewer=viewer, own=own and not internal, known=(obj,), parts=rows
        ),
        "internal": internal,
        "empty": empty,
        "note": "" if internal else note,
    }


# (content type, limit) -> the trail's query of that kind of object, its SQL built once per process (#19)
_TRAILS: dict[tuple, CompiledRows] = {}


def _trail_rows(obj, limit: int) -> list:
    """audit_trail_for(obj) with the actor's unit and the content type, newest first, at most `limit`: the SQL
    of that six-table query built once per process for each kind of object (~3,500 Python calls of Django's
    compiler per page otherwise), run with the object's key."""
    ct = ContentType.objects.get_for_model(obj.__class__)
    key = (ct.pk, limit)
    rows = _TRAILS.get(key)
    if rows is None:
        rows = _TRAILS[key] = CompiledRows(
            lambda marker, ct=ct: audit_trail_for_key(ct, marker).select_related(
                "actor__unit", "content_type"
            )[:limit]
        )
    return rows.rows(str(obj.pk))


@register.filter
def chosen_files(field) -> str:
    """The names of the files chosen for a file field of a refused form ("" for any other field, or none
    chosen): a browser never refills a file input, so the form says which to choose again (one file, several
    from a multiple input, or a form's stored-file input alike)."""
    from django import forms

    if not isinstance(getattr(field.field, "widget", None), forms.FileInput):
        return ""
    data = field.data
    files = data if isinstance(data, list | tuple) else [data]
    names = [getattr(f, "name", "") for f in files if f]
    return gettext("、").join(n for n in names if n)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def wan(value):
    """An amount stored in 万元, as people write it (850 万元, 1.25 亿元)."""
    return money(value)


@register.filter
def yuan(value):
    """An amount stored in 元, as people write it (in 万元 or 亿元)."""
    return money(value, unit="元")


@register.filter
def unstated_wan(value):
    """An amount stored in 万元 whose 0 means nothing was said (a need's matching funding): 未说明, not 0 万元."""
    return display.unstated_money(value)


@register.filter
def share(value):
    """A stored percentage as people write it: 30%, 12.5% (not 30.00%)."""
    return display.share(value)


@register.filter
def disciplines_named(values):
    """Disciplines typed by name (a platform's) in the reader's language, joined with 、 (化学工程 reads
    Chemical Engineering on an English page); "—" for none."""
    from kechuang.core.disciplines import names_shown

    return gettext("、").join(names_shown(values)) or "—"


@register.filter
def industries_named(values):
    """Industries typed as words (a platform's) in the reader's language, joined with 、; "—" for none."""
    from kechuang.core.industries import shown_list

    return gettext("、").join(shown_list(values)) or "—"


@register.filter
def job_title(value):
    """A professional title (职称) in the reader's language: 教授 reads Professor on an English page
    (core.titles)."""
    from kechuang.core.titles import title_text

    return title_text(value)


@register.filter
def as_percent(value):
    """A fraction of one (a match of 0.7833) as a whole percentage people read: 78%; "—" for none."""
    if value is None or value == "":
        return "—"
    return display.share(round(float(value) * 100))


@register.filter
def figure(value):
    """A figure as people write it, no zeros padding it: a target of 65 (not 65.00), 12.5; "—" for none."""
    if value is None or value == "":
        return "—"
    return display.figure(value)


@register.filter
def fixed(value, places=0):
    """A figure with exactly `places` decimals, thousands grouped: an indicator's values written alike
    (`{{ v|fixed:places }}`, the places from core.display.places_of over what the page shows)."""
    return display.fixed(value, places)


@register.filter
def in_words(value):
    """A stored JSON value (a job's result, a payload) as words: no braces, quotes or None."""
    return plain(value)


@register.filter
def label_of(value, model_field):
    """The label of a choice code read from a JSON payload: `{{ code|label_of:"challenges.Challenge.status" }}`."""
    from django.apps import apps

    app_label, model_name, field_name = model_field.split(".")
    label = choice_label(apps.get_model(app_label, model_name), field_name, value)
    return label if label is not None else value


@register.filter
def counted(counts, model_field):
    """Counts by choice code in words, by label: `{{ progress|counted:"review.Review.status" }}` →
    "待评审 3，评审中 0，已提交 2" (never "pending: 3")."""
    return gettext("，").join(f"{label_of(code, model_field)} {n}" for code, n in (counts or {}).items())


@register.filter
def as_rows(result):
    """A job's result or an import report as (what, value) rows for a table."""
    return result_rows(result)


@register.inclusion_tag("web/_export_button.html", takes_context=True)
def export_button(context, text=""):
    """The list's 导出 Excel button: the page's own filters (not its page number) plus export=xlsx, so the file
    holds what the list shows, every page of it (core.exports)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    query = ""
    if params is not None:
        for key in ("page", "after", "before", "export"):
            params.pop(key, None)
        params["export"] = "xlsx"
        query = params.urlencode()
    return {"query": query, "text": text}


def _changes_html(out: list, changes, colon: str) -> None:
    """An audit line's changes as the audit log and an object's trail show them, every value escaped."""
    out.append('<ul class="changes">')
    for c in changes:
        out += ["<li>", esc(c.label), colon]
        if c.has_old:
            out += ['<span class="before">', esc(c.old), "</span> → "]
        out += ['<span class="after">', esc(c.new), "</span></li>"]
    out.append("</ul>")


@register.simple_tag
def audit_log_rows(lines):
    """The audit log's rows (core/audit_log.html), written here rather than by a `{% for %}` of the template:
    the 100 rows of a page are some 1,500 values, and the template engine's lookup, localisation and escaping of
    each cost more than the rest of the page (issue #19, benchmarks/RESULTS.md §14f). Every value escaped as
    the template escapes it; the same bytes (core/tests/test_list_rows.py)."""
    out = []
    colon = gettext("：")
    for e in lines:
        out += ["<tr><td>", esc(e.at_seconds), "</td><td>", esc(e.who), "</td><td>", esc(e.what), "</td><td>"]
        out += [esc(e.object), "</td><td>"]
        if e.changes:
            _changes_html(out, e.changes, colon)
        out += ["\n</td><td>", esc(e.reason), "</td></tr>\n"]
    return mark_safe("".join(out))  # every value above is escaped


# (menus' entries, language, signed in, on the dashboard, the current entry's URL) -> the menus' HTML
_NAV_HTML: dict[tuple, tuple] = {}


def current_nav_url(path, urls) -> str | None:
    """The menu entry a page belongs to: the entry whose address the page's is, or else the longest entry
    address the page's starts with (a project's page, /challenges/projects/7/, is under "Challenge projects",
    /challenges/projects/, not under "Open challenges", /challenges/); the site root only itself."""
    if not path:
        return None
    best = None
    for url in urls:
        if url == path:
            return url
        if url != "/" and path.startswith(url) and (best is None or len(url) > len(best)):
            best = url
    return best


@register.simple_tag(takes_context=True)
def main_nav(context):
    """The top bar's menus (web/_mainnav.html), rendered once per process for each shape: the entries a set
    of roles sees (core.ui.nav_menus_for), the language, signed in or not, and which entry is the current page
    (if any). The template's for/if over ~15 entries and their lazy labels cost ~2,700 Python calls on every
    page (issue #19); what it writes depends on nothing else, so the same bytes."""
    from django.template import Context
    from django.utils.translation import get_language

    request = context.get("request")
    user = context.get("user")
    menus = context.get("nav_menus") or []
    path = getattr(request, "path", None)
    # the labels are the apps' module-level lazy strings: their identity names them (kept alive below)
    shape = tuple(
        (menu["key"], id(menu["label"]), tuple((item["url"], id(item["label"])) for item in menu["items"]))
        for menu in menus
    )
    current = current_nav_url(path, (item["url"] for menu in menus for item in menu["items"]))
    match = getattr(request, "resolver_match", None)
    # the person's own dashboard, by its namespaced name (the indicators' page is also called "dashboard")
    on_dashboard = getattr(match, "view_name", None) == "web:dashboard"
    exact = current is not None and current == path  # the entry's own page, or a page under it
    key = (
        shape,
        get_language(),
        bool(getattr(user, "is_authenticated", False)),
        on_dashboard,
        current,
        exact,
    )
    hit = _NAV_HTML.get(key)
    if hit is None:
        template = context.template.engine.get_template("web/_mainnav.html")
        html = template.render(
            Context(
                {
                    "user": user,
                    "nav_menus": menus,
                    "on_dashboard": on_dashboard,
                    "current": current,
                    "exact": exact,
                    "current_menu": next(
                        (m["key"] for m in menus if any(i["url"] == current for i in m["items"])), None
                    ),
                },
                autoescape=context.autoescape,
                use_l10n=context.use_l10n,
                use_tz=context.use_tz,
            )
        )
        hit = _NAV_HTML[key] = (html, menus)
    return hit[0]


@register.simple_tag
def audit_trail_rows(lines):
    """An object page's audit trail rows (web/_audit_trail.html), written as audit_log_rows writes the audit
    log's (issue #19): the same bytes as the `{% for %}` they replace (core/tests/test_list_rows.py)."""
    out = []
    colon = gettext("：")
    for e in lines:
        out += [
            "<tr><td>",
            esc(e.at_minutes),
            "</td><td>",
            esc(e.who),
            "</td><td>",
            esc(e.what),
        ]
        if e.part:  # an event about a part of the page's object (a challenge's indicator): which one
            out += [esc(gettext("（")), esc(e.part), esc(gettext("）"))]
        out += ["</td>\n  <td>"]
        if e.changes:
            _changes_html(out, e.changes, colon)
        out += ["\n</td><td>", esc(e.reason), "</td></tr>"]
    return mark_safe("".join(out))  # every value above is escaped


@register.filter
def discipline_names(codes, deepest=""):
    """Stored GB/T 13745 codes (a list, or a string split at commas) as their names ("数学 › 代数学"), joined
    with 、; a code not in the table reads 未知学科（code）, marked, with a hint to choose it again by name.
    `|discipline_names:"deepest"` drops a code another one in the list lies under (affinity's matched
    prefixes 430, 430.25 read once, as the path of 430.25)."""
    from kechuang.core import disciplines
    from kechuang.core.fields import SEPARATORS

    if isinstance(codes, str):
        codes = [c for c in SEPARATORS.split(codes) if c.strip()]
    if deepest:
        found = [disciplines.normalise(c) for c in codes or ()]
        codes = [c for c in found if not any(o != c and o.startswith(c) for o in found)]
    parts = []
    for code in codes or ():
        text = disciplines.label(code)
        if not text:
            continue
        if disciplines.path(code):
            parts.append(esc(text))
        else:
            hint = gettext("不在学科分类表中：请在档案或申报书中按名称重新选择。")
            parts.append(f'<span class="badge warn" title="{esc(hint)}">{esc(text)}</span>')
    return mark_safe(gettext("、").join(parts)) if parts else "—"


def _division_shown(value, *, label, flagged, hint: str):
    """A stored province or city as its name in the reader's language (`label`); a value kept from before the
    list that names no division (`flagged`) as stored, marked for staff to pick it again (`hint`)."""
    if not str(value or "").strip():
        return ""
    text = label(value)
    if not flagged(value):
        return text
    return mark_safe(f'<span class="badge warn" title="{esc(hint)}">{esc(text)}</span>')


@register.filter
def city_name(value):
    """A stored city (a prefecture-level division's Chinese name, 太原市) as its name in the reader's language
    (Taiyuan); a value kept from before the list that names no division is shown as stored, marked for staff
    to pick it again."""
    from kechuang.core import divisions

    return _division_shown(
        value,
        label=divisions.city_label,
        flagged=divisions.city_is_flagged,
        hint=gettext("不是地级行政区：请编辑并在列表中按名称重新选择城市。"),
    )


@register.filter
def province_name(value):
    """A stored province (GB/T 2260 code) as its name in the reader's language (山西省 / Shanxi); a value kept
    from before the list that names no division is shown as stored, marked for staff to pick it again."""
    from kechuang.core import divisions

    return _division_shown(
        value,
        label=divisions.label,
        flagged=divisions.is_flagged,
        hint=gettext("不是省级行政区：请编辑并在列表中按名称重新选择省份。"),
    )


# Query parameters that page, sort or export a list rather than filter it: not "filters on".
NOT_FILTERS = frozenset(
    {"page", "after", "before", "sort", "order", "o", "export", "per_page", "tab", "next"}
)


def filters_on(request) -> bool:
    """Whether the page's list is filtered (a search box or a choice set in its address)."""
    if request is None:
        return False
    return any(k not in NOT_FILTERS and any(v.strip() for v in request.GET.getlist(k)) for k in request.GET)


class EmptyStateNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        request = context.get("request")
        values = {k: v.resolve(context) for k, v in self.kwargs.items()}
        what = self.nodelist.render(context).strip()
        clear = values.get("clear", True) and filters_on(request)
        return template.loader.render_to_string(
            "web/_empty.html",
            {
                "what": mark_safe(what),  # the template's own words, escaped as it rendered them
                "filtered": clear,
                "clear_url": request.path if request is not None else "",
                "create_url": values.get("create_url") or "",
                "create_text": values.get("create_text") or "",
            },
            request=request,
        )


@register.tag
def emptystate(parser, token):
    """A list with nothing to show, in place of its table (no headings over an empty body): what is empty (the
    tag's body), why when the list is filtered (with a link clearing the filters) and what to do next — the
    create button when the page gives one (`create_url=… create_text=…`, only to a user who may). `clear=False`
    where the body already offers its own way back.

        {% emptystate create_url=new_url create_text=_("新建") %}{% translate "还没有评估活动：……" %}{% endemptystate %}
    """
    bits = token.split_contents()[1:]
    kwargs = template.base.token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError("emptystate takes only name=value arguments")
    nodelist = parser.parse(("endemptystate",))
    parser.delete_first_token()
    return EmptyStateNode(nodelist, kwargs)
