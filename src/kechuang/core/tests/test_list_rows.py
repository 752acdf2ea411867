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
    assert '<tbody><tr><td colspan="6" class="empty">' in empty
