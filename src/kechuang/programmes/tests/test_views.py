"""The builder end to end on the web: a form built from rows and dropdowns (nobody types a key or JSON),
previewed, published, versioned and compared; a programme type built, refused while its order is impossible,
published, a call opened, filled by a unit and moved; definitions exported and imported; the API by keys."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.core.formkinds import rows_post
from kechuang.core.models import AuditEvent
from kechuang.programmes import definitions, services, transfer
from kechuang.programmes.models import Call, FormDefinition, FormVersion, ProgrammeVersion, Submission


def field_post(**kw):
    data = {"label": "", "kind": "", "help": "", "show_if": ""}
    data.update(rows_post("options", kw.pop("options", [])))
    data.update(rows_post("columns", kw.pop("columns", [])))
    data.update({k: v for k, v in kw.items()})
    return data


def test_staff_build_preview_publish_and_version_a_form(client, staff):
    client.force_login(staff)
    r = client.post(reverse("programmes:form-create"), {"name": "成果转化申报书", "purpose": "application"})
    version = FormVersion.objects.get(definition__name="成果转化申报书")
    assert r.status_code == 302 and r["Location"] == version.get_absolute_url()
    add = reverse("programmes:field-add", args=[version.pk])
    page = client.get(add).content.decode()
    assert "数字（带计量单位）" in page and "表格（自定义列）" in page  # kinds by their Chinese names
    client.post(
        add,
        field_post(
            label="单位类型", kind="choice", required="on", options=[{"text": "企业"}, {"text": "高校"}]
        ),
    )
    client.post(
        add,
        field_post(
            label="设备清单",
            kind="table",
            columns=[{"label": "设备", "kind": "text"}, {"label": "单价", "kind": "money"}],
        ),
    )
    # the condition is chosen from the earlier choice field's options, by name
    page = client.get(add).content.decode()
    assert "“单位类型”选“企业”时" in page
    client.post(add, field_post(label="自筹经费", kind="money", required="on", show_if="f1::企业"))
    bad = client.post(add, field_post(label="类型", kind="choice"))  # a choice without options
    assert bad.status_code == 400 and "至少需要一个选项" in bad.content.decode()
    version.refresh_from_db()
    assert [f["key"] for f in version.fields] == ["f1", "f2", "f3"]
    assert version.fields[1]["columns"][1] == {"key": "c2", "label": "单价", "kind": "money"}
    assert version.fields[2]["show_if"] == {"field": "f1", "equals": "企业"}
    # the preview: as the applicant sees it; a POST checks, saves nothing
    preview = reverse("programmes:form-preview", args=[version.pk])
    assert "设备清单" in client.get(preview).content.decode()
    r = client.post(preview, {"f1": "企业", "f3": "", **rows_post("f2", [])})
    assert r.status_code == 400
    r = client.post(preview, {"f1": "高校", **rows_post("f2", [{"c1": "光谱仪", "c2": "12.5"}])})
    assert r.status_code == 200 and "填写符合要求" in r.content.decode()
    assert not Submission.objects.exists()
    action = reverse("programmes:form-version-action", args=[version.pk])
    client.post(action, {"action": "up", "key": "f2"})
    version.refresh_from_db()
    assert [f["key"] for f in version.fields] == ["f2", "f1", "f3"]
    r = client.post(action, {"action": "publish"})  # not confirmed: the page again with why (400)
    assert r.status_code == 400 and 'aria-describedby="publish-refused"' in r.content.decode()
    assert FormVersion.objects.get(pk=version.pk).status == "draft"
    client.post(action, {"action": "publish", "confirm": "1"})
    assert FormVersion.objects.get(pk=version.pk).status == "published"
    # published already (a second click, a stale tab): who published it and when (409)
    r = client.post(action, {"action": "publish", "confirm": "1"})
    assert r.status_code == 409 and "此事项已由" in r.content.decode()
    assert client.post(action, {"action": "remove", "key": "f1"}).status_code == 409
    assert client.get(reverse("programmes:field-add", args=[version.pk])).status_code == 403
    r = client.post(action, {"action": "new"})
    v2 = FormVersion.objects.get(definition=version.definition, number=2)
    assert r["Location"] == v2.get_absolute_url()
    client.post(
        reverse("programmes:field-edit", args=[v2.pk, "f3"]),
        field_post(label="企业自筹经费", kind="money", required="on", show_if="f1::企业"),
    )
    diff = client.get(reverse("programmes:form-diff", args=[v2.pk])).content.decode()
    assert "自筹经费" in diff and "企业自筹经费" in diff and "修改" in diff


def test_a_field_added_in_a_browser_is_not_refused_for_the_blank_column_row(client, staff):
    """The builder's page sends the untouched blank row of 表格的列 with its select's first option (列类型
    文本): a short-text or file field is saved, the blank row left out (found by the browser journey)."""
    client.force_login(staff)
    client.post(reverse("programmes:form-create"), {"name": "评审表", "purpose": "review_form"})
    version = FormVersion.objects.get(definition__name="评审表")
    blank = rows_post("columns", [{"key": "", "label": "", "kind": "text"}])
    for post in (
        {"label": "现场考察结论", "kind": "short_text"},
        {"label": "评审佐证材料", "kind": "file", "file_kinds": ["pdf"], "max_mb": "2"},
    ):
        r = client.post(reverse("programmes:field-add", args=[version.pk]), field_post(**post) | blank)
        assert r.status_code == 302, r.content.decode()[:2000]
    version.refresh_from_db()
    assert [(f["label"], f["kind"]) for f in version.fields] == [
        ("现场考察结论", "short_text"),
        ("评审佐证材料", "file"),
    ]
    assert "columns" not in version.fields[0]
    # a column typed is still a table's column, and a table needs one
    r = client.post(
        reverse("programmes:field-add", args=[version.pk]),
        field_post(label="对比产品", kind="table") | blank,
    )
    assert r.status_code == 400


def test_a_programme_type_built_on_the_web_refuses_an_impossible_order(client, staff):
    client.force_login(staff)
    client.post(reverse("programmes:type-create"), {"name": "科技成果转化引导"})
    version = ProgrammeVersion.objects.get(programme__name="科技成果转化引导")
    add = reverse("programmes:stage-add", args=[version.pk])
    page = client.get(add).content.decode()
    assert "会评/答辩" in page and "赛马制择优" in page
    base = {"name": "", "days": "10", "role": "staff", "form": ""} | rows_post("attachments", [])
    for kind in ("call", "application", "decision", "formal_check", "panel_review"):
        client.post(add, {**base, "kind": kind, "requires_publicity": ""})
    page = client.get(version.get_absolute_url()).content.decode()
    assert "此版本还不能发布" in page and "之前须有" in page
    r = client.post(
        reverse("programmes:version-action", args=[version.pk]),
        {"action": "publish", "confirm": "1", "note": "调整环节顺序"},
    )
    # refused: the version's page again with why beside the button, the note typed kept (400)
    body = r.content.decode()
    assert r.status_code == 400 and 'id="publish-refused"' in body and 'value="调整环节顺序"' in body
    assert ProgrammeVersion.objects.get(pk=version.pk).status == "draft"
    for _ in range(2):
        client.post(reverse("programmes:version-action", args=[version.pk]), {"action": "down", "key": "s3"})
    client.post(
        reverse("programmes:version-action", args=[version.pk]), {"action": "publish", "confirm": "1"}
    )
    assert ProgrammeVersion.objects.get(pk=version.pk).status == "published"
    r = client.post(version.get_absolute_url(), {"title": "2027 年度成果转化引导", "year": "2027"})
    call = Call.objects.get()
    assert r["Location"] == call.get_absolute_url() and call.stage_key == "s1"


def test_a_unit_fills_the_stage_form_and_staff_export_it_by_stable_keys(client, staff, applicant):
    version = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    call = services.call_open(actor=staff, version=version, title="2027", year=2027)
    client.force_login(applicant)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "不需要填写表单" not in page  # the call stage has no form: nothing to say
    client.force_login(staff)
    shown = call.stage_key
    action = reverse("programmes:call-action", args=[call.pk])
    assert client.post(action, {"action": "advance", "confirm": "1", "stage": shown}).status_code == 302
    # the same click again (a stale tab, a second click): the stage it showed has ended; who ended it and when
    # (409), not a second advance
    moved = Call.objects.get(pk=call.pk).stage_key
    again = client.post(action, {"action": "advance", "confirm": "1", "stage": shown})
    assert again.status_code == 409 and "此事项已由" in again.content.decode()
    assert Call.objects.get(pk=call.pk).stage_key == moved != shown
    client.force_login(applicant)
    fill = reverse("programmes:call-fill", args=[call.pk])
    assert "企业自筹经费" in client.get(fill).content.decode()
    r = client.post(fill, {"f1": "高熵合金", "f2": "企业", "f3": "", "f4": "摘要"})
    assert r.status_code == 400 and "f1" in r.content.decode() and "高熵合金" in r.content.decode()
    r = client.post(fill, {"f1": "高熵合金", "f2": "企业", "f3": "300", "f4": "摘要"})
    sub = Submission.objects.get()
    assert r["Location"] == sub.get_absolute_url()
    assert sub.data == {"f1": "高熵合金", "f2": "企业", "f3": "300", "f4": "摘要"}
    page = client.get(sub.get_absolute_url()).content.decode()
    assert "企业自筹经费（万元）" not in page and "企业自筹经费" in page and "300" in page
    api = client.get(f"/api/programmes/submissions/{sub.pk}/").json()
    assert api["values"]["f3"] == "300" and [f["key"] for f in api["fields"]] == ["f1", "f2", "f3", "f4"]
    client.force_login(staff)
    x = client.get(reverse("programmes:form-detail", args=[sub.version.definition_id]) + "?export=xlsx")
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = list(ws.values)
    assert rows[0][4:] == ("项目名称", "申报单位类型", "企业自筹经费", "研究内容摘要")  # names, not keys
    assert rows[1][4:] == ("高熵合金", "企业", "300", "摘要")


def test_a_person_without_the_role_is_refused(client, applicant, expert):
    client.force_login(applicant)
    assert client.get(reverse("programmes:index")).status_code == 403
    assert client.get(reverse("programmes:form-create")).status_code == 403


def test_export_and_import_on_the_web_and_the_api(client, staff):
    version = transfer.import_programme(actor=staff, raw=definitions.read("jiebang.json"))
    client.force_login(staff)
    r = client.get(reverse("programmes:version-export", args=[version.pk]))
    doc = json.loads(r.content)
    assert doc["programme"]["name"] == "揭榜挂帅" and r["Content-Disposition"].startswith("attachment")
    assert client.get(f"/api/programmes/versions/{version.pk}/").json() == doc
    up = SimpleUploadedFile("jb.json", r.content, content_type="application/json")
    r = client.post(reverse("programmes:index"), {"file": up})
    assert r.status_code == 302 and ProgrammeVersion.objects.filter(programme=version.programme).count() == 2
    bad = SimpleUploadedFile("x.json", b"MZ\x90\x00", content_type="application/json")
    r = client.post(reverse("programmes:index"), {"file": bad})
    assert r.status_code == 400 and "不是有效的计划类别定义" in r.content.decode()
    diff = client.get(reverse("programmes:version-diff", args=[version.pk + 0])).content.decode()
    assert "没有可对比的上一版" in diff
    new = ProgrammeVersion.objects.get(programme=version.programme, number=2)
    assert "未变" in client.get(reverse("programmes:version-diff", args=[new.pk])).content.decode()


def test_a_migration_that_would_skip_a_stage_is_refused_on_the_page(client, staff, reviews_complete):
    old = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    call = services.call_open(actor=staff, version=old, title="2027", year=2027)
    for _ in range(6):
        call = services.call_advance(actor=staff, call=call)
    assert call.stage["kind"] == "publicity"
    v2 = services.programme_version_new(actor=staff, programme=old.programme)
    services.stage_save(
        actor=staff, version=v2, spec={"kind": "panel_review", "name": "现场考察", "role": "expert"}
    )
    for _ in range(2):
        services.stage_move(actor=staff, version=v2, key="s9", step=-1)
    services.programme_version_publish(actor=staff, version=v2)
    client.force_login(staff)
    url = reverse("programmes:call-migrate", args=[call.pk, v2.pk])
    page = client.get(url).content.decode()
    assert "现场考察" in page and "批次当前所在环节" in page
    data = {f"map_s{i}": f"s{i}" for i in range(1, 8)} | {"reason": "新增现场考察"}
    r = client.post(url, data)
    assert r.status_code == 400 and "跳过" in r.content.decode()
    assert Call.objects.get(pk=call.pk).version_id == old.pk
    assert not AuditEvent.objects.filter(action="programmes.call_migrate").exists()
    assert FormDefinition.objects.count() == 3  # application forms and the review form


def test_two_forms_of_one_name_are_told_apart_by_the_programmes_that_use_them(client, staff):
    """Walked (session 20): the demo's two programme types each bring a 揭榜挂帅专家评审表, and the list showed
    the name twice and nothing more. Each form's row names the programme types and stages that fill it."""
    import re

    transfer.import_programme(actor=staff, raw=definitions.read("jiebang.json"))
    transfer.import_programme(actor=staff, raw=definitions.read("jiebang_full.json"))
    services.form_create(actor=staff, name="未用表单", purpose="application")
    client.force_login(staff)
    page = client.get(reverse("programmes:index")).content.decode()
    rows = re.findall(r"<tr><td><a [^>]*>揭榜挂帅专家评审表</a></td>(.*?)</tr>", page, re.S)
    assert len(rows) == 2 and rows[0] != rows[1]
    assert any("揭榜挂帅 · 专家评审" in r for r in rows)
    assert any("揭榜挂帅（预申报、答辩、绩效评价） · 函评" in r for r in rows)
    unused = re.search(r"<tr><td><a [^>]*>未用表单</a></td>(.*?)</tr>", page, re.S).group(1)
    assert "尚无计划类别使用" in unused
