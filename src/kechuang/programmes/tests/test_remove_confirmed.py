"""删除 of a draft's field or stage is asked again on a page of its own (it was one unconfirmed click): what
goes with it, that it cannot be undone, and why it cannot go yet when a later field's condition names it."""

from django.urls import reverse

from kechuang.core.formkinds import rows_post
from kechuang.programmes.models import FormVersion, ProgrammeVersion

from .test_views import field_post


def test_removing_a_field_is_confirmed_on_a_page_that_says_what_goes(client, staff):
    client.force_login(staff)
    client.post(reverse("programmes:form-create"), {"name": "申报书", "purpose": "application"})
    version = FormVersion.objects.get(definition__name="申报书")
    add = reverse("programmes:field-add", args=[version.pk])
    client.post(
        add,
        field_post(
            label="单位类型", kind="choice", required="on", options=[{"text": "企业"}, {"text": "高校"}]
        ),
    )
    client.post(add, field_post(label="自筹经费", kind="money", show_if="f1::企业"))
    action = reverse("programmes:form-version-action", args=[version.pk])
    # one click: the confirmation page, nothing removed yet
    r = client.post(action, {"action": "remove", "key": "f2"})
    body = r.content.decode()
    assert r.status_code == 200 and "确认删除字段“自筹经费”" in body
    assert "字段的显示条件" in body and "不能撤销" in body and 'name="confirm"' in body
    version.refresh_from_db()
    assert [f["key"] for f in version.fields] == ["f1", "f2"]
    # a field a later condition names: why it cannot go yet, no button to confirm
    r = client.post(action, {"action": "remove", "key": "f1"})
    body = r.content.decode()
    assert "2 个选项（企业、高校）" in body and 'id="remove-refused"' in body
    assert "“自筹经费”的显示条件引用了此字段" in body and "确认删除</button>" not in body
    # confirmed: removed, back on the version's page
    r = client.post(action, {"action": "remove", "key": "f2", "confirm": "1"})
    assert r.status_code == 302 and r["Location"] == version.get_absolute_url()
    version.refresh_from_db()
    assert [f["key"] for f in version.fields] == ["f1"]


def test_removing_a_stage_is_confirmed_on_a_page_that_says_what_goes(client, staff):
    client.force_login(staff)
    client.post(reverse("programmes:type-create"), {"name": "成果转化引导"})
    version = ProgrammeVersion.objects.get(programme__name="成果转化引导")
    add = reverse("programmes:stage-add", args=[version.pk])
    base = {"days": "10", "role": "staff", "form": ""} | rows_post("attachments", [])
    client.post(add, {**base, "name": "发布指南", "kind": "call", "requires_publicity": ""})
    client.post(add, {**base, "name": "专家会评", "kind": "panel_review", "requires_publicity": ""})
    action = reverse("programmes:version-action", args=[version.pk])
    r = client.post(action, {"action": "remove", "key": "s2"})
    body = r.content.decode()
    assert r.status_code == 200 and "确认删除环节“专家会评”" in body and "时长 10 天" in body
    version.refresh_from_db()
    assert len(version.stages) == 2
    assert client.post(action, {"action": "remove", "key": "s2", "confirm": "1"}).status_code == 302
    version.refresh_from_db()
    assert [s["name"] for s in version.stages] == ["发布指南"]
