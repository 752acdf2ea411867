from decimal import Decimal

from django import template
from django.template.base import render_value_in_context

register = template.Library()


@register.filter
def num(value):
    """A decimal without trailing zeros (99.5000 → 99.5, 8.0000 → 8); "—" for None."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return value


# --- list rows written by one tag (issue #19, as core's audit_log_rows): the template engine's lookup,
# localisation and escaping per cell, a get_FOO_display per row (Django rebuilds the field's choices as a
# dict of lazy labels each call) and a reverse() per link cost most of these pages. Each value is written
# as the template wrote it (render_value_in_context: localised, escaped); the same bytes
# (challenges/tests/test_list_rows.py).


@register.simple_tag(takes_context=True)
def challenge_rows(context, page, now):
    """The rows of the challenge lists' table (challenges/challenge_list.html)."""
    from django.utils.html import conditional_escape as esc
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from kechuang.core.dates import when_text
    from kechuang.core.display import choice_labels, money, pk_url

    from ..models import Topic
    from ..workflow import ChallengeStatus

    rows = list(page)
    if not rows:
        return mark_safe(f'<tr><td colspan="8" class="empty">{esc(gettext("暂无榜单。"))}</td></tr>')
    value = lambda v: render_value_in_context(v, context)  # noqa: E731
    url = pk_url("challenges:challenge-detail")
    tracks = choice_labels(Topic.Track)
    statuses = choice_labels(ChallengeStatus)
    open_label = esc(gettext("揭榜中"))  # outside the f-string, where makemessages finds it
    open_badge = f' <span class="badge ok">{open_label}</span>'
    racing = gettext("赛马制 %(n)s 家")
    out = []
    for c in rows:
        out += [
            "<tr><td>",
            esc(c.code),
            '</td><td><a href="',
            esc(url(c.pk)),
            '">',
            esc(c.local_title),
            "</a></td>",
        ]
        track = c.topic.track
        out += ["<td>", esc(tracks.get(track, track)), '</td><td class="num">', esc(money(c.budget_ceiling))]
        out += ["</td>\n<td>", esc(when_text(c.deadline))]
        if c.status == "published" and c.deadline > now:
            out.append(open_badge)
        out.append("</td>\n<td>")
        if c.is_racing:
            out += ['<span class="badge warn">', racing % {"n": value(c.max_winners)}, "</span>"]
        else:
            out.append("1")
        status = statuses.get(c.status, c.status)
        out += ['</td>\n<td><span class="badge">', esc(status), '</span></td><td class="num">']
        out += [value(c.application_count), "</td></tr>\n"]
    return mark_safe("".join(out))  # every value above is escaped


@register.simple_tag(takes_context=True)
def milestone_rows(context, milestones):
    """The rows of a project's milestone table (challenges/contract_detail.html)."""
    from django.utils.html import conditional_escape as esc
    from django.utils.safestring import mark_safe

    from kechuang.core.dates import date_text
    from kechuang.core.display import choice_labels, money, pk_url

    from ..models import Milestone

    rows = list(milestones)
    if not rows:
        return ""
    url = pk_url("challenges:milestone-detail")
    statuses = choice_labels(Milestone.Status)
    flags = choice_labels(Milestone.Flag)
    out = []
    for m in rows:
        out += [
            "<tr><td>M",
            render_value_in_context(m.seq, context),
            '</td><td><a href="',
            esc(url(m.pk)),
            '">',
        ]
        out += [esc(m.title), "</a></td><td>", esc(date_text(m.due_date)), '</td><td class="num">']
        out += [esc(money(m.tranche)), '</td><td><span class="badge ']
        if m.status == "verified":
            out.append("ok")
        out += ['">', esc(statuses.get(m.status, m.status)), "</span></td><td>"]
        if m.flag:
            out += ['<span class="badge ', "bad" if m.flag == "overdue" else "warn", '">']
            out += [esc(flags.get(m.flag, m.flag)), "</span>"]
        out.append("</td></tr>")
    return mark_safe("".join(out))  # every value above is escaped


@register.filter
def change_lines(change_request) -> list[str]:
    """What a change request asks for, in words (not its stored payload): 调整后经费 850 万元, a milestone's new
    due date by its title, the new team by names."""
    import datetime

    from django.utils.translation import gettext as _

    from kechuang.core.dates import date_text
    from kechuang.core.display import money

    def day(text):
        try:
            return date_text(datetime.date.fromisoformat(str(text)))
        except ValueError:
            return str(text)

    p = change_request.payload if isinstance(change_request.payload, dict) else {}
    lines = []
    if "budget" in p and p["budget"] not in (None, ""):
        lines.append(_("调整后经费：%(m)s") % {"m": money(p["budget"])})
    if p.get("end_date"):
        lines.append(_("调整后结束日期：%(d)s") % {"d": day(p["end_date"])})
    if isinstance(p.get("milestones"), dict):
        titles = {str(m.seq): m.title for m in change_request.contract.milestones.all()}
        for seq, due in p["milestones"].items():
            title = titles.get(str(seq))
            name = f"M{seq} {title}" if title else f"M{seq}"
            lines.append(_("%(m)s 新到期日：%(d)s") % {"m": name, "d": day(due)})
    if isinstance(p.get("team"), list):
        names = [str(m.get("name", "")).strip() for m in p["team"] if isinstance(m, dict)]
        lines.append(_("变更后团队：%(n)s") % {"n": _("、").join(n for n in names if n) or "—"})
    return lines
