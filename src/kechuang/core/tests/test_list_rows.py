"""The audit log's rows with the changes list inlined (issue #19.4: an {% include %} per row cost a template
context push and a node walk each) are the same as the rows rendered through the old per-row include."""

import re

from django.template import Context, Engine

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.audit import audit_record
from kechuang.core.display import audit_lines
from kechuang.core.models import AuditEvent

# web/_audit_changes.html and the rows of core/audit_log.html before issue #19.
OLD = Engine(
    loaders=[
        (
            "django.template.loaders.locmem.Loader",
            {
                "web/_audit_changes.html": '{% if changes %}<ul class="changes">{% for c in changes %}<li>'
                '{{ c.label }}：{% if c.has_old %}<span class="before">{{ c.old }}</span> → {% endif %}'
                '<span class="after">{{ c.new }}</span></li>{% endfor %}</ul>{% endif %}\n',
                "rows": '{% for e in lines %}<tr><td>{{ e.at|date:"DATETIME_FORMAT" }}:{{ e.at|date:"s" }}</td><td>{{ e.who }}</td>'
                "<td>{{ e.what }}</td><td>{{ e.object }}</td><td>"
                '{% include "web/_audit_changes.html" with changes=e.changes %}</td><td>{{ e.reason }}</td></tr>\n'
                "{% endfor %}",
            },
        )
    ]
).get_template("rows")


def test_audit_log_rows_match_the_per_row_include(staff, client_for):
    unit = UnitFactory(name="日志单位")
    audit_record(
        actor=staff, action="unit.update", obj=unit, before={"kind": "enterprise"}, after={"kind": "other"}
    )
    audit_record(actor=staff, action="unit.create", obj=unit, after={"name": "日志单位"}, reason="新建")
    audit_record(actor=staff, action="unit.delete", obj=unit)
    page = client_for(staff).get("/jobs/audit/").content.decode()
    body = re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1)
    events = AuditEvent.objects.select_related("content_type", "actor__unit").order_by("-at", "-pk")[:100]
    assert body == OLD.render(Context({"lines": audit_lines(list(events))}))
    assert 'class="before"' in body and "新建" in body


def test_audit_log_rows_escape_as_the_template_did_and_an_empty_page_says_so(staff, client_for):
    unit = UnitFactory(name="<b>单位</b> & \"引号\" 'x'")
    audit_record(
        actor=staff,
        action="unit.update",
        obj=unit,
        before={"name": "<i>旧</i>"},
        after={"name": "A&B"},
        reason="<script>x</script>",
    )
    page = client_for(staff).get("/jobs/audit/").content.decode()
    body = re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1)
    events = AuditEvent.objects.select_related("content_type", "actor__unit").order_by("-at", "-pk")[:100]
    assert body == OLD.render(Context({"lines": audit_lines(list(events))}))
    assert "&lt;script&gt;" in body and "<script>" not in body and "&lt;i&gt;旧" in body
    empty = client_for(staff).get("/jobs/audit/?action=nothing.such").content.decode()
    # nothing found: the shared empty state in place of the table, not its headings over a "nothing" row
    assert 'class="empty-state"' in empty and '<td colspan="6" class="empty">' not in empty


# the rows of web/_audit_trail.html before issue #19's audit_trail_rows
OLD_TRAIL = Engine(
    libraries={"i18n": "django.templatetags.i18n"},
    loaders=[
        (
            "django.template.loaders.locmem.Loader",
            {
                "rows": "{% load i18n %}"
                + (
                    "{% for e in audit_lines %}<tr><td>{{ e.at_minutes }}</td><td>{{ e.who }}</td><td>{{ e.what }}</td>\n"
                    '  <td>{% if e.changes %}<ul class="changes">{% for c in e.changes %}<li>{{ c.label }}{% translate "：" %}'
                    '{% if c.has_old %}<span class="before">{{ c.old }}</span> → {% endif %}<span class="after">{{ c.new }}'
                    "</span></li>{% endfor %}</ul>{% endif %}\n</td><td>{{ e.reason }}</td></tr>{% endfor %}"
                )
            },
        )
    ],
).get_template("rows")


def test_an_object_pages_trail_rows_match_the_old_template_and_read_the_objects_own_events(staff, client_for):
    from kechuang.core.templatetags.kechuang import _trail_rows, audit_trail_rows

    unit = UnitFactory(name="<b>单位</b>")
    other = UnitFactory(name="别的单位")
    audit_record(
        actor=staff, action="unit.update", obj=unit, before={"name": "<i>旧</i>"}, after={"name": "A&B"}
    )
    audit_record(
        actor=staff, action="unit.create", obj=unit, after={"name": "x"}, reason="<script>x</script>"
    )
    audit_record(actor=staff, action="unit.create", obj=other, after={"name": "别的"})
    events = _trail_rows(unit, 200)
    assert [e.action for e in events] == ["unit.create", "unit.update"]  # newest first, only its own
    assert events[0].actor == staff and events[0].content_type.model == "unit"
    assert len(_trail_rows(other, 200)) == 1 and len(_trail_rows(unit, 1)) == 1
    lines = audit_lines(events)
    html = audit_trail_rows(lines)
    assert html == OLD_TRAIL.render(Context({"audit_lines": lines}))
    assert "&lt;script&gt;" in html and "&lt;i&gt;旧" in html
    assert audit_trail_rows([]) == ""


def test_a_line_about_a_part_of_the_pages_object_names_it_escaped():
    # a challenge's indicator on the challenge's page (audit_trail's `parts`; usable14)
    import datetime

    from kechuang.core.display import AuditLine
    from kechuang.core.templatetags.kechuang import audit_trail_rows

    at = datetime.datetime(2026, 12, 6, 8, 0, tzinfo=datetime.UTC)
    html = audit_trail_rows(
        [AuditLine(at=at, who="王", what="设置指标英文名称", object="", part="<b>直径</b>")]
    )
    assert "<td>设置指标英文名称（&lt;b&gt;直径&lt;/b&gt;）</td>" in html
