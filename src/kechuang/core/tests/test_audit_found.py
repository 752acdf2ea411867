"""The audit trail is found by the name of the object changed, as the event recorded it (walk-through of
session 29: the trail pages without scanning, and had no way to find an object's events but its own page).
The name is read through the events' bigram index (`object_bigrams`, written with each event, single and in
bulk), kept with the action and actor filters and across the pager, and an empty result says how to widen it."""

import pytest
from django.urls import reverse

from kechuang.core.audit import audit_record, audit_record_many
from kechuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_events_are_found_by_the_objects_name(staff, client_for, english_client_for, make_user):
    unit_a = make_user(full_name="张三")
    audit_record(actor=staff, action="test.edit", obj=unit_a, object_repr="碳化硅衬底项目")
    audit_record(actor=staff, action="test.edit", object_repr="量子计算平台")
    audit_record_many(actor=staff, action="test.bulk", rows=[(make_user(full_name="李四"), None, {"a": 1})])
    event = AuditEvent.objects.get(action="test.bulk")
    assert event.object_bigrams and event.object_repr == "李四"
    c = client_for(staff)
    url = reverse("core:audit-log")

    def found(**query):
        return [e.object_repr for e in c.get(url, query).context["page"]]

    assert found(object="碳化硅") == ["碳化硅衬底项目"]
    assert found(object="量子") == ["量子计算平台"]
    assert found(object="李四") == ["李四"]
    assert found(object="子计") == ["量子计算平台"]  # two characters: the index's pairs
    assert found(object="碳平") == []  # its pairs in no one name: found only where the name holds the words
    assert found(object="项目", action="test.bulk") == []  # the action kept with the name
    assert found(object="项目", action="test.edit") == ["碳化硅衬底项目"]
    body = c.get(url, {"object": "碳化硅", "action": "test"}).content.decode()
    assert 'name="object" value="碳化硅"' in body and 'name="action" value="test"' in body
    body = c.get(url, {"object": "不存在的名称"}).content.decode()
    assert "没有符合这些条件的记录。对象名称按记录时的名称查找" in body
    body = english_client_for(staff).get(url, {"object": "不存在的名称"}).content.decode()
    assert "No record meets these conditions." in body


def test_the_name_is_kept_across_the_pager(staff, client_for):
    for i in range(105):
        audit_record(actor=staff, action="test.grow", object_repr=f"中期检查{i:03}")
    audit_record(actor=staff, action="test.grow", object_repr="其他")
    c = client_for(staff)
    url = reverse("core:audit-log")
    first = c.get(url, {"object": "中期检查"})
    assert "object=%E4%B8%AD%E6%9C%9F%E6%A3%80%E6%9F%A5&amp;after=" in first.content.decode()
    after = c.get(url, {"object": "中期检查", "after": first.context["page"].next_cursor}).context["page"]
    assert len(first.context["page"]) == 100 and len(after) == 5


def test_the_index_is_outside_the_chain_and_the_trail_stays_append_only(staff):
    from django.db import connection

    from kechuang.core.auditchain import chain_verify

    event = audit_record(actor=staff, action="test.edit", object_repr="碳化硅衬底项目")
    assert chain_verify().ok
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET object_bigrams = '' WHERE id = %s", [event.pk])


def test_the_migration_indexes_the_events_already_there(staff):
    """core/0014's fill: events written before the column (no words) get their names' words, and the trail is
    append-only again after it."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    fill = importlib.import_module("kechuang.core.migrations.0014_auditevent_object_bigrams").fill
    old = AuditEvent(action="test.old", object_repr="旧的重点实验室")  # as a row written before 0014
    AuditEvent.objects.bulk_create([old])
    assert AuditEvent.objects.get(action="test.old").object_bigrams == ""

    class Editor:  # what fill uses of a schema editor
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cur:
                cur.execute(sql)

    # the models as the migration sees them (a plain manager, as in `migrate`)
    apps = MigrationLoader(connection).project_state(("core", "0014_auditevent_object_bigrams")).apps
    fill(apps, Editor())
    assert list(
        AuditEvent.objects.filter(object_bigrams__bigram="重点实验").values_list("action", flat=True)
    ) == ["test.old"]
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET object_bigrams = '' WHERE action = 'test.old'")


def test_the_api_finds_events_by_the_objects_name_as_the_page_does(staff, api_for):
    """`/api/audit/?search=` (people26): the name the event recorded, through the same index
    (core.audit.audit_events_named), kept with the API's other filters and its cursor."""
    audit_record(actor=staff, action="test.edit", object_repr="碳化硅衬底项目")
    audit_record(actor=staff, action="test.edit", object_repr="量子计算平台")
    audit_record(actor=staff, action="test.other", object_repr="碳化硅外延片")
    client = api_for(staff)

    def found(**query):
        response = client.get("/api/audit/", query)
        assert response.status_code == 200, response.content
        return sorted(e["object_repr"] for e in response.json()["results"])

    assert found(search="碳化硅") == ["碳化硅外延片", "碳化硅衬底项目"]
    assert found(search="  量子 ") == ["量子计算平台"]  # as typed, without the spaces around
    assert found(search="子计") == ["量子计算平台"]
    assert found(search="碳平") == []
    assert found(search="碳化硅", action="test.edit") == ["碳化硅衬底项目"]
    assert len(found()) >= 3


def test_the_apis_search_is_bounded_with_a_reason_and_checked_for_role(staff, applicant, api_for):
    from kechuang.core.limits import SEARCH_MAX

    client = api_for(staff)
    assert client.get("/api/audit/", {"search": "碳" * SEARCH_MAX}).status_code == 200
    response = client.get("/api/audit/", {"search": "碳" * (SEARCH_MAX + 1)})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "search" in error["fields"] and str(SEARCH_MAX) in error["message"]
    assert "碳" * 20 not in response.content.decode()  # the words are not echoed back
    # the role is checked before the words: another role is refused as without them
    refused = api_for(applicant).get("/api/audit/", {"search": "碳" * (SEARCH_MAX + 1)})
    assert refused.status_code == 403
    assert api_for(None).get("/api/audit/", {"search": "碳化硅"}).status_code == 401


def test_the_schema_documents_the_search(api_for, staff):
    schema = api_for(staff).get("/api/schema/", {"format": "json"}).json()
    params = {p["name"]: p for p in schema["paths"]["/api/audit/"]["get"]["parameters"]}
    assert "object_repr" in params["search"]["description"] and "400" in params["search"]["description"]
