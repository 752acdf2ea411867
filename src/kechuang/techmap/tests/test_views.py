import datetime
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.core.excel import xlsx_bytes
from kechuang.core.models import AuditEvent
from kechuang.techmap.importer import COLUMNS
from kechuang.techmap.models import Chain, Coverage, Technology

from .factories import ChainFactory, CoverageFactory, LinkFactory, TechnologyFactory

# Tests that reach the database through factories or role fixtures fetched on the fly (the `nodb` mark of
# src/kechuang/conftest.py reads fixtures, not function bodies).
pytestmark = pytest.mark.django_db


def has(body: str, text: str) -> bool:
    """Text in the page, as HTML or inside a json_script block (which escapes non-ASCII)."""
    return text in body or json.dumps(text)[1:-1] in body


PUBLIC_PAGES = ["techmap:index", "techmap:graph", "techmap:tree", "techmap:matrix", "techmap:technology-list"]


@pytest.fixture
def world(coverable):
    pub = ChainFactory(name="新能源", internal_note="链内部备注")
    draft = ChainFactory(name="集成电路封装", draft=True)
    gap = TechnologyFactory(
        link=LinkFactory(chain=pub, name="光伏装备"), name="异质结磁控溅射", bottleneck=True
    )
    covered = TechnologyFactory(link=gap.link, name="正极材料", bottleneck=True, internal_note="秘密路线")
    CoverageFactory(technology=covered, target=coverable("电池材料联合体"), platform=True, note="覆盖备注")
    hidden = TechnologyFactory(
        link=LinkFactory(chain=draft, name="封装材料"), name="环氧塑封料", bottleneck=True
    )
    return {"pub": pub, "draft": draft, "gap": gap, "covered": covered, "hidden": hidden}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_show_the_published_map_only(client_for, world, name):
    r = client_for(None).get(reverse(name))
    assert r.status_code == 200
    body = r.content.decode()
    shown = "光伏装备" if name == "techmap:matrix" else "异质结磁控溅射"  # the matrix names links
    assert has(body, shown) or name == "techmap:index"
    assert not has(body, "环氧塑封料") and not has(body, "集成电路封装")
    assert not has(body, "秘密路线") and not has(body, "链内部备注") and not has(body, "电池材料联合体")


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_internal_readers_see_everything(client_for, commissioner, world, name):
    body = client_for(commissioner).get(reverse(name)).content.decode()
    if name != "techmap:index":
        assert has(body, "封装材料" if name == "techmap:matrix" else "环氧塑封料")
    assert has(body, "集成电路封装")


def test_graph_colours_gaps_for_staff(client_for, staff, world):
    r = client_for(staff).get(reverse("techmap:graph"))
    graph = r.context["graph"]
    by_name = {n["name"]: n for n in graph["nodes"]}
    assert by_name["异质结磁控溅射"]["category"] == 2  # gap
    assert by_name["正极材料"]["category"] == 3  # covered bottleneck
    assert by_name["电池材料联合体"]["category"] == 6
    tree = client_for(staff).get(reverse("techmap:tree")).context["tree"]
    assert [c["name"] for c in tree["children"]] == ["新能源", "集成电路封装"]


def test_technology_detail_permissions(client_for, staff, expert, applicant, world):
    hidden = reverse("techmap:technology-detail", args=[world["hidden"].pk])
    assert client_for(None).get(hidden).status_code == 404
    assert client_for(applicant).get(hidden).status_code == 404
    assert client_for(expert).get(hidden).status_code == 200
    url = reverse("techmap:technology-detail", args=[world["covered"].pk])
    public = client_for(None).get(url).content.decode()
    assert (
        "正极材料" in public
        and "秘密路线" not in public
        and "覆盖备注" not in public
        and "操作记录" not in public
    )
    internal = client_for(expert).get(url).content.decode()
    assert "秘密路线" in internal and "电池材料联合体" in internal and "操作记录" in internal
    edit_url = reverse("techmap:technology-edit", args=[world["covered"].pk])
    assert edit_url not in internal
    staff_page = client_for(staff).get(url).content.decode()
    assert edit_url in staff_page


def test_unpublished_chain_is_404_for_public(client_for, commissioner, world):
    url = reverse("techmap:chain-detail", args=[world["draft"].pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for(commissioner).get(url).status_code == 200


@pytest.mark.parametrize(
    "name,args",
    [
        ("techmap:chain-create", []),
        ("techmap:technology-create", []),
        ("techmap:import", []),
    ],
)
@pytest.mark.parametrize("role", ["commissioner", "expert", "applicant", "operator"])
def test_edit_pages_refused_to_non_staff(client_for, request, name, args, role):
    assert client_for(request.getfixturevalue(role)).get(reverse(name, args=args)).status_code == 403


def test_edit_pages_send_anonymous_to_login(client_for, world):
    r = client_for(None).get(reverse("techmap:technology-edit", args=[world["gap"].pk]))
    assert r.status_code == 302 and "login" in r["Location"]


@pytest.mark.parametrize(
    "role,status", [("applicant", 403), ("operator", 403), ("expert", 200), ("commissioner", 200)]
)
def test_gap_report_page(client_for, request, world, role, status):
    r = client_for(request.getfixturevalue(role)).get(reverse("techmap:gaps"))
    assert r.status_code == status
    if status == 200:
        body = r.content.decode()
        assert "异质结磁控溅射" in body and "环氧塑封料" in body and "正极材料" not in body
        assert "一键生成课题" not in body  # only staff may


def test_gap_report_export(client_for, staff, world):
    r = client_for(staff).get(reverse("techmap:gaps") + "?format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert sorted(row[2] for row in ws.iter_rows(min_row=2, values_only=True)) == [
        "异质结磁控溅射",
        "环氧塑封料",
    ]


def test_gap_to_topic_in_one_click(client_for, staff, world, time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC))
    c = client_for(staff)
    assert "一键生成课题" in c.get(reverse("techmap:gaps")).content.decode()
    r = c.post(reverse("techmap:gap-topic", args=[world["gap"].pk]), {"title": "异质结电池磁控溅射装备攻关"})
    assert r.status_code == 302
    cov = Coverage.objects.get(technology=world["gap"], kind="topic")
    assert cov.target.title == "异质结电池磁控溅射装备攻关"
    # The topic is planned work: still a gap (no project yet), but no second button.
    page = c.get(reverse("techmap:gaps")).content.decode()
    assert "异质结电池磁控溅射装备攻关" in page
    # a second click (another tab): who made the topic and when (409), not a message after a redirect
    r = c.post(reverse("techmap:gap-topic", args=[world["gap"].pk]), {"next": reverse("techmap:gaps")})
    assert r.status_code == 409 and "这项技术的课题已由" in r.content.decode()
    assert Coverage.objects.filter(kind="topic").count() == 1
    # not a bottleneck: the gap report again with why (400)
    plain = TechnologyFactory(link=world["gap"].link, name="普通技术")
    r = c.post(reverse("techmap:gap-topic", args=[plain.pk]), {"next": reverse("techmap:gaps")})
    body = r.content.decode()
    assert r.status_code == 400 and "只有卡脖子技术" in body and "缺口报告" in body
    r = c.post(reverse("techmap:gap-topic", args=[plain.pk]))  # from its own page: that page again
    assert (
        r.status_code == 400 and "只有卡脖子技术" in r.content.decode() and "普通技术" in r.content.decode()
    )


def test_gap_topic_refused_to_commissioner(client_for, commissioner, world):
    r = client_for(commissioner).post(reverse("techmap:gap-topic", args=[world["gap"].pk]))
    assert r.status_code == 403
    assert not Coverage.objects.filter(kind="topic").exists()


def test_staff_edits_technology_with_stale_version_refused(client_for, staff, world):
    tech = world["gap"]
    url = reverse("techmap:technology-edit", args=[tech.pk])
    form = {
        "link": tech.link_id,
        "name": tech.name,
        "description": "新描述",
        "internal_note": "",
        "is_bottleneck": "on",
        "substitution": "needed",
        "level": "",
        "local_supply_pct": "",
        "version": 1,
    }
    assert client_for(staff).post(url, form).status_code == 302
    tech.refresh_from_db()
    assert tech.description == "新描述" and tech.version == 2
    r = client_for(staff).post(url, {**form, "description": "旧页面上的修改"})
    assert r.status_code == 400 and "已被他人修改" in r.content.decode()
    assert "旧页面上的修改" in r.content.decode()  # what was typed is kept (#13.4)
    tech.refresh_from_db()
    assert tech.description == "新描述"


def test_staff_records_trl_and_coverage_through_pages(client_for, staff, world, coverable):
    tech = world["gap"]
    c = client_for(staff)
    c.post(reverse("techmap:trl-add", args=[tech.pk]), {"kind": "current", "value": 7, "as_of": "2025-05-01"})
    tech.refresh_from_db()
    assert (tech.trl_current, tech.trl_current_on) == (7, datetime.date(2025, 5, 1))
    r = c.post(
        reverse("techmap:trl-add", args=[tech.pk]),
        {"kind": "current", "value": 12, "as_of": "2025-05-02"},
    )
    # refused: the page again (400) with the form open, what was typed and why, no field's code name
    page = r.content.decode()
    assert r.status_code == 400 and 'value="12"' in page and 'value="2025-05-02"' in page
    assert (
        "<details open><summary>" in page and "msg-error" not in page  # on the form, not a message
    )
    tech.refresh_from_db()
    assert tech.trl_current == 7
    unit = coverable("异质结联合体")
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(type(unit))
    picker = c.get(reverse("web:pick-objects"), {"kind": ct.pk, "q": "异质结"})
    assert picker.json()["results"] == [{"value": str(unit.pk), "text": "异质结联合体"}]
    # refused (no object chosen): the page again with the form open and the choices kept (issue #13.4)
    r = c.post(
        reverse("techmap:coverage-add", args=[tech.pk]),
        {"kind": "consortium", "content_type": ct.pk, "since": "2025-01-01", "note": "联合攻关"},
    )
    assert (
        r.status_code == 400 and "联合攻关" in r.content.decode() and "<details open>" in r.content.decode()
    )
    c.post(
        reverse("techmap:coverage-add", args=[tech.pk]),
        {"kind": "consortium", "content_type": ct.pk, "target": unit.pk, "since": "2025-01-01"},
    )
    cov = Coverage.objects.get(technology=tech)
    assert cov.kind == "consortium"
    gaps = c.get(reverse("techmap:gaps")).content.decode()
    assert "异质结磁控溅射" not in gaps
    # an end before its start: refused beside the row's button on the technology's page (400; it was a message
    # after a redirect)
    r = c.post(reverse("techmap:coverage-end", args=[cov.pk]), {"until": "2024-12-01"})
    assert r.status_code == 400 and 'class="form-errors"' in r.content.decode()
    cov.refresh_from_db()
    assert cov.until is None
    c.post(reverse("techmap:coverage-end", args=[cov.pk]), {"until": "2025-02-01"})
    cov.refresh_from_db()
    assert cov.until == datetime.date(2025, 2, 1)
    assert AuditEvent.objects.filter(action="coverage.end").count() == 1
    # ended already (a second click, a stale tab): who ended it and when, nothing changed (409)
    r = c.post(reverse("techmap:coverage-end", args=[cov.pk]), {"until": "2025-03-01"})
    assert r.status_code == 409 and "这项覆盖已由" in r.content.decode()
    cov.refresh_from_db()
    assert cov.until == datetime.date(2025, 2, 1)


def test_chain_and_link_create_pages(client_for, staff):
    c = client_for(staff)
    r = c.post(reverse("techmap:chain-create"), {"name": "核技术", "order": 10, "published": "on"})
    chain = Chain.objects.get(name="核技术")
    assert r.status_code == 302 and chain.published
    c.post(
        reverse("techmap:link-create", args=[chain.pk]), {"stage": "upstream", "name": "同位素", "order": 1}
    )
    assert chain.links.get().name == "同位素"
    # a link refused (no position in the chain): the chain's page again with the name typed and why
    r = c.post(
        reverse("techmap:link-create", args=[chain.pk]), {"stage": "", "name": "分离提取", "order": "x"}
    )
    page = r.content.decode()
    assert r.status_code == 400 and 'value="分离提取"' in page and "msg-error" not in page
    assert chain.links.count() == 1
    r = c.post(reverse("techmap:chain-create"), {"name": "核技术", "order": 10})
    assert r.status_code == 400 and Chain.objects.filter(name="核技术").count() == 1


def test_import_page_dry_run_then_commit(client_for, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    row = dict.fromkeys(COLUMNS, "")
    row.update(
        {"产业链": "新能源", "环节位置": "上游", "环节": "电池材料", "技术名称": "正极材料", "卡脖子": "否"}
    )
    bad = {**row, "技术名称": "负极材料", "当前TRL": 0}
    data = xlsx_bytes(COLUMNS, [[row[c] for c in COLUMNS], [bad[c] for c in COLUMNS]])
    c = client_for(staff)
    r = c.post(reverse("techmap:import"), {"file": SimpleUploadedFile("m.xlsx", data), "commit": "on"})
    assert r.status_code == 200 and r.context["report"].errors[0].line == 3
    assert Technology.objects.count() == 0
    good = xlsx_bytes(COLUMNS, [[row[c] for c in COLUMNS]])
    r = c.post(reverse("techmap:import"), {"file": SimpleUploadedFile("m.xlsx", good), "commit": "on"})
    assert r.status_code == 302 and Technology.objects.get().name == "正极材料"
    r = c.post(reverse("techmap:import"), {"file": SimpleUploadedFile("m.pdf", b"%PDF")})
    assert r.status_code == 200 and "不支持的文件类型" in r.content.decode()


def test_export_download(client_for, world):
    r = client_for(None).get(reverse("techmap:export"))
    ws = load_workbook(io.BytesIO(r.content)).active
    names = [row[COLUMNS.index("技术名称")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["异质结磁控溅射", "正极材料"]


def test_bad_as_of_is_not_a_500(client_for, staff, world):
    assert client_for(staff).get(reverse("techmap:gaps") + "?as_of=yesterday").status_code == 200
    assert client_for(staff).get(reverse("techmap:graph") + "?chain=abc").status_code == 200


def test_a_bad_as_of_is_named_beside_the_date_box_and_the_page_shown_for_today(client_for, staff, world):
    """A date that is not one: why beside the filter's date box on the page itself (it was a flash message
    apart from it), what was typed named, the page shown for today (200, as the other GET filters)."""
    c = client_for(staff)
    for name in ("techmap:gaps", "techmap:graph", "techmap:tree", "techmap:matrix"):
        r = c.get(reverse(name), {"as_of": "2026-13-40"})
        body = r.content.decode()
        assert r.status_code == 200, name
        assert 'aria-describedby="as_of-error"' in body and 'id="as_of-error"' in body, name
        assert "“2026-13-40”不是有效的日期" in body and 'value="2026-13-40"' in body, name
        assert not list(r.context["messages"]), name  # not a message apart from the box
    good = c.get(reverse("techmap:gaps"), {"as_of": "2026-01-31"}).content.decode()
    assert 'value="2026-01-31"' in good and "as_of-error" not in good


def test_dashboard_tasks_and_cards(world, staff, expert, applicant):
    from kechuang.techmap import dashboard

    tasks = dashboard.tasks_for(staff)
    assert [(t.kind, t.count) for t in tasks] == [("techmap.gap", 2)]  # 异质结磁控溅射 and 环氧塑封料
    assert dashboard.tasks_for(expert) == [] and dashboard.tasks_for(None) == []
    cards = {c.title: c.value for c in dashboard.cards_for(expert)}
    assert cards == {"攻坚图谱关键技术": "3", "卡脖子技术": "3", "无人覆盖的卡脖子技术": "2"}
    public = {c.title: c.value for c in dashboard.cards_for(None)}
    assert public == {"攻坚图谱关键技术": "2", "卡脖子技术": "2"}
    assert {c.title for c in dashboard.cards_for(applicant)} == set(public)


def test_nav_entries(client_for, applicant, commissioner):
    from kechuang.core.ui import nav_items_for

    assert "技术缺口" not in [i["label"] for i in nav_items_for(applicant)]
    labels = [str(i["label"]) for i in nav_items_for(commissioner)]
    assert "攻坚图谱" in labels and "技术缺口" in labels


def test_link_edit_page(client_for, staff, commissioner, world):
    link = world["gap"].link
    url = reverse("techmap:link-edit", args=[link.pk])
    assert client_for(commissioner).get(url).status_code == 403
    r = client_for(staff).post(url, {"stage": "midstream", "name": "", "order": 5})  # refused: 400, kept
    assert r.status_code == 400 and 'value="5"' in r.content.decode()
    r = client_for(staff).post(url, {"stage": "midstream", "name": "光伏电池装备", "order": 5})
    assert r.status_code == 302
    link.refresh_from_db()
    assert (link.stage, link.name, link.order) == ("midstream", "光伏电池装备", 5)
    assert AuditEvent.objects.filter(action="link.update").count() == 1


def test_date_inputs_carry_iso_values(client_for, staff, world, time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC))
    body = (
        client_for(staff).get(reverse("techmap:technology-detail", args=[world["gap"].pk])).content.decode()
    )
    assert 'type="date" name="as_of" value="2025-03-01"' in body  # the browser's date picker needs ISO


def test_graph_has_one_node_per_covering_object(staff, coverable):
    from kechuang.techmap import charts, selectors

    link = LinkFactory()
    a = TechnologyFactory(link=link, bottleneck=True)
    b = TechnologyFactory(link=link, bottleneck=True)
    lab = coverable("实验室")
    twin = coverable("实验室2")
    for tech in (a, b):
        CoverageFactory(technology=tech, target=lab, platform=True)
    CoverageFactory(technology=b, target=twin, platform=True, target_repr="实验室")  # same name, other object
    graph = charts.graph_data(selectors.map_tree(user=staff))
    labs = [n for n in graph["nodes"] if n["name"] == "实验室"]
    assert len(labs) == 2
    edges_to_first = [e for e in graph["links"] if e["target"] == labs[0]["id"]]
    assert len(edges_to_first) == 2


def test_large_import_runs_as_a_job(client_for, staff, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.core.models import Job
    from kechuang.techmap import views

    monkeypatch.setattr(views, "IMPORT_IN_BACKGROUND_ABOVE", 1)
    rows = []
    for i in range(3):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            {
                "产业链": "新能源",
                "环节位置": "上游",
                "环节": "电池材料",
                "技术名称": f"技术{i}",
                "卡脖子": "否",
            }
        )
        rows.append([row[c] for c in COLUMNS])
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(staff).post(
            reverse("techmap:import"),
            {"file": SimpleUploadedFile("big.xlsx", xlsx_bytes(COLUMNS, rows)), "commit": "on"},
        )
    job = Job.objects.get(kind="techmap.import")
    assert r.status_code == 302 and r["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    assert job.result["created"] == 3 and job.result["committed"]
    assert Technology.objects.count() == 3
    assert not list(Path(job.params["path"]).parent.iterdir())  # the upload is removed


def test_import_job_with_a_bad_file_fails_and_writes_nothing(staff, tmp_path):
    from kechuang.core.jobs import job_run
    from kechuang.core.models import Job

    row = dict.fromkeys(COLUMNS, "")
    row.update({"产业链": "新能源", "环节位置": "旁游", "环节": "电池材料", "技术名称": "x"})
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes(COLUMNS, [[row[c] for c in COLUMNS]]))
    job = Job.objects.create(
        kind="techmap.import", params={"path": str(path), "filename": "bad.xlsx"}, started_by=staff
    )
    job = job_run(job.pk)
    assert job.state == "failed" and "第2行" in job.error and "环节位置" in job.error
    assert Technology.objects.count() == 0 and not path.exists()


def test_import_job_refusal_reads_in_its_readers_language(staff, tmp_path):
    """A worker runs in its own language; the refused rows (line, column, why) are kept as words and
    parameters, so the uploader — and any reader — reads them in their language, the column by its heading."""
    import re

    from django.utils import translation

    from kechuang.core.jobs import job_run
    from kechuang.core.models import Job

    row = dict.fromkeys(COLUMNS, "")
    row.update({"产业链": "新能源", "环节位置": "旁游", "环节": "电池材料", "技术名称": "x"})
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes(COLUMNS, [[row[c] for c in COLUMNS]]))
    job = Job.objects.create(
        kind="techmap.import", params={"path": str(path), "filename": "bad.xlsx"}, started_by=staff
    )
    with translation.override("zh-hans"):  # the worker's language
        job = job_run(job.pk)
    assert job.state == "failed"
    with translation.override("en"):
        text = job.error_text
    assert "Line 2" in text and "[Position]" in text and "Upstream" in text, text
    assert not re.search(r"[\u4e00-\u9fff]", text.replace("旁游", "")), text
    with translation.override("zh-hans"):
        text = job.error_text
    assert "第2行" in text and "[环节位置]" in text and "上游" in text, text


def test_technology_delete_needs_staff_and_a_reason(client_for, staff, commissioner, world):
    tech = world["covered"]
    url = reverse("techmap:technology-delete", args=[tech.pk])
    assert client_for(commissioner).post(url, {"reason": "x", "confirm": "1"}).status_code == 403
    # refused: the technology's page again, the deletion open, the reason typed and why beside it (400)
    r = client_for(staff).post(url, {"reason": "", "confirm": "1"})
    body = r.content.decode()
    assert r.status_code == 400 and "删除须填写理由" in body and '<details id="delete" open>' in body
    r = client_for(staff).post(url, {"reason": "重复录入"})  # cannot be undone: not without the tick
    body = r.content.decode()
    assert r.status_code == 400 and "请勾选确认" in body and 'value="重复录入"' in body
    assert Technology.objects.filter(pk=tech.pk).exists()
    r = client_for(staff).post(url, {"reason": "重复录入", "confirm": "1"})
    assert r.status_code == 302 and not Technology.objects.filter(pk=tech.pk).exists()
    # a second click: who deleted it and when, the reason typed kept (409)
    r = client_for(staff).post(url, {"reason": "又一次", "confirm": "1"})
    body = r.content.decode()
    assert r.status_code == 409 and "这项技术已由" in body and "又一次" in body
    assert not Coverage.objects.filter(technology_id=tech.pk).exists()
    ev = AuditEvent.objects.get(action="technology.delete")
    assert ev.reason == "重复录入" and ev.before["name"] == "正极材料"
    assert ev.before["coverage"][0][1] == "电池材料联合体"
