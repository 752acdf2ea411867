"""Pages and API as each role: who is refused where (403/404, never 500), search, export, reports."""

import datetime
import re

import pytest

from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.platforms import services
from kechuang.platforms.models import Operator, YearlyReport
from kechuang.platforms.tests.factories import MembershipFactory, PlatformFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def platforms(staff):
    q = services.platform_create(
        actor=staff,
        code="Q1",
        name="量子光学与光量子器件国家重点实验室",
        kind="national_key_lab",
        host=PlatformFactory().host,
        established=datetime.date(2001, 12, 1),
        industries=["量子信息"],
    )
    hidden = PlatformFactory(name="内部试点平台", unpublished=True)
    return q, hidden


def test_chinese_search_finds_words_inside_longer_words(client_for, platforms):
    q, hidden = platforms
    anon = client_for(None)
    for query in ("量子", "光学", "量子光学", "光量子 器件", "重点实验室"):
        body = anon.get("/platforms/", {"q": query}).content.decode()
        assert q.name in body, query
    assert q.name not in anon.get("/platforms/", {"q": "石墨烯"}).content.decode()
    assert client_for(None).get("/api/platforms/", {"host": "abc"}).json()["count"] == 0
    api = client_for(None).get("/api/platforms/", {"q": "量子"}).json()
    assert [r["code"] for r in api["results"]] == ["Q1"]


def test_public_sees_published_only(client_for, api_for, platforms, make_user):
    q, hidden = platforms
    for user in (None, make_user(Role.EXPERT), make_user(Role.APPLICANT), make_user(Role.OPERATOR)):
        assert client_for(user).get(hidden.get_absolute_url()).status_code == 404
        assert api_for(user).get(f"/api/platforms/{hidden.pk}/").status_code == 404
        assert client_for(user).get(q.get_absolute_url()).status_code == 200
        assert hidden.name not in client_for(user).get("/platforms/").content.decode()
    for role in (Role.STAFF, Role.COMMISSIONER):
        assert client_for(make_user(role)).get(hidden.get_absolute_url()).status_code == 200
    # The operator of an unpublished platform sees it.
    op = make_user(Role.OPERATOR)
    Operator.objects.create(platform=hidden, user=op)
    assert client_for(op).get(hidden.get_absolute_url()).status_code == 200


def test_registry_writes_refused_to_non_staff(client_for, api_for, platforms, make_user):
    q, _hidden = platforms
    for role in (Role.COMMISSIONER, Role.EXPERT, Role.APPLICANT, Role.OPERATOR):
        user = make_user(role)
        c = client_for(user)
        assert c.get("/platforms/new/").status_code == 403
        assert c.get("/platforms/import/").status_code == 403
        assert c.get("/platforms/overlap/").status_code == 403
        assert (
            c.post(
                f"/platforms/{q.pk}/transition/",
                {"action": "retire", "on": "2024-01-01", "reason": "x"},
            ).status_code
            == 403
        )
        api = api_for(user)
        assert (
            api.post(
                "/api/platforms/",
                {
                    "code": "Z",
                    "name": "Z",
                    "kind": "alliance",
                    "host": q.host_id,
                    "established": "2021-01-01",
                },
                format="json",
            ).status_code
            == 403
        )
        assert (
            api.patch(f"/api/platforms/{q.pk}/", {"name": "改", "version": 1}, format="json").status_code
            == 403
        )
        assert (
            api.post(
                f"/api/platforms/{q.pk}/transition/", {"confirm": True, "action": "retire"}, format="json"
            ).status_code
            == 403
        )
    assert client_for(None).get("/platforms/new/").status_code == 302
    assert api_for(None).post("/api/platforms/", {}, format="json").status_code in (401, 403)
    q.refresh_from_db()
    assert q.status == "operating" and q.name.startswith("量子")


def test_staff_api_writes_with_locking_and_reasons(api_for, staff, platforms):
    q, _hidden = platforms
    api = api_for(staff)
    r = api.patch(f"/api/platforms/{q.pk}/", {"name": "新名称", "version": q.version}, format="json")
    assert r.status_code == 200 and r.json()["version"] == 2
    stale = api.patch(f"/api/platforms/{q.pk}/", {"name": "旧", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    refused = api.post(
        f"/api/platforms/{q.pk}/transition/",
        {"confirm": True, "action": "retire", "on": "2024-01-01"},
        format="json",
    )
    assert refused.status_code == 409 and "理由" in refused.json()["error"]["message"]
    ok = api.post(
        f"/api/platforms/{q.pk}/transition/",
        {"confirm": True, "action": "retire", "on": "2024-01-01", "reason": "撤销"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "retired"
    counts = api.get("/api/platforms/counts/", {"date": "2023-12-31", "by": "status"}).json()
    # Staff count Q1 (retired only from 2024), the hidden platform and the one made for its host unit.
    assert counts["counts"]["operating"] == 3
    assert api_for(None).get("/api/platforms/counts/", {"date": "2023-13-01"}).status_code == 400
    created = api.post(
        "/api/platforms/",
        {"code": "N1", "name": "新平台", "kind": "alliance", "host": q.host_id, "established": "2021-05-24"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["level"] == "provincial"
    dup = api.post(
        "/api/platforms/",
        {"code": "N1", "name": "新平台", "kind": "alliance", "host": q.host_id, "established": "2021-05-24"},
        format="json",
    )
    assert dup.status_code == 400


def test_members_as_of_via_api(api_for):
    m = MembershipFactory(joined=datetime.date(2021, 5, 24))
    url = f"/api/platforms/{m.platform_id}/members/"
    assert api_for(None).get(url, {"as_of": "2021-05-23"}).json()["count"] == 0
    assert api_for(None).get(url, {"as_of": "2021-05-24"}).json()["count"] == 1


def test_yearly_report_flow_operators_edit_only_their_own(client_for, api_for, staff, make_user):
    p, other = PlatformFactory(), PlatformFactory()
    op, op2 = make_user(Role.OPERATOR), make_user(Role.OPERATOR)
    services.operator_assign(actor=staff, platform=p, user=op)
    services.operator_assign(actor=staff, platform=other, user=op2)
    api = api_for(op)
    r = api.post(
        "/api/platforms/reports/",
        {"platform": p.pk, "year": 2023, "staff": 62, "doctorates": 16, "funding": "3200.00"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    rid = r.json()["id"]
    # Another platform's operator: neither sees nor edits it; nor files for a platform not theirs.
    assert api_for(op2).get(f"/api/platforms/reports/{rid}/").status_code == 404
    assert (
        api_for(op2)
        .patch(f"/api/platforms/reports/{rid}/", {"staff": 1, "version": 1}, format="json")
        .status_code
        == 404
    )
    assert (
        api_for(op2)
        .post("/api/platforms/reports/", {"platform": p.pk, "year": 2022, "staff": 1}, format="json")
        .status_code
        == 403
    )
    assert client_for(op2).get(f"/platforms/reports/{rid}/").status_code == 404
    for role in (Role.EXPERT, Role.APPLICANT):
        assert api_for(make_user(role)).get(f"/api/platforms/reports/{rid}/").status_code == 403
    bad = api.patch(f"/api/platforms/reports/{rid}/", {"doctorates": 100, "version": 1}, format="json")
    assert bad.status_code == 400
    assert (
        api.post(
            f"/api/platforms/reports/{rid}/transition/", {"confirm": True, "action": "accept"}, format="json"
        ).status_code
        == 409
    )
    assert (
        api.post(
            f"/api/platforms/reports/{rid}/transition/", {"confirm": True, "action": "submit"}, format="json"
        ).status_code
        == 200
    )
    # Submitted: the operator can no longer edit it.
    assert (
        api.patch(f"/api/platforms/reports/{rid}/", {"staff": 70, "version": 1}, format="json").status_code
        == 403
    )
    s = api_for(staff)
    assert (
        s.post(
            f"/api/platforms/reports/{rid}/transition/", {"confirm": True, "action": "return"}, format="json"
        ).status_code
        == 409
    )
    assert (
        s.post(
            f"/api/platforms/reports/{rid}/transition/",
            {"confirm": True, "action": "return", "reason": "经费口径有误"},
            format="json",
        ).status_code
        == 200
    )
    report = YearlyReport.objects.get(pk=rid)
    assert report.status == "returned" and report.return_reason == "经费口径有误"
    assert op.notifications.filter(title__contains="退回").exists()
    assert client_for(staff).get("/platforms/reports/", {"year": "abc"}).status_code == 200
    assert api_for(staff).get("/api/platforms/reports/", {"year": "abc"}).json()["count"] == 0
    export = client_for(staff).get("/platforms/reports/", {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client_for(op).get(f"/platforms/reports/{rid}/edit/")
    assert page.status_code == 200
    resp = client_for(op).post(
        f"/platforms/reports/{rid}/edit/",
        {
            "staff": 62,
            "doctorates": 16,
            "funding": "3300",
            "projects": 3,
            "papers": 4,
            "patents": 1,
            "transferred": 0,
            "shared_hours": 100,
            "summary": "改",
            "version": report.version,
        },
    )
    assert resp.status_code == 302
    assert (
        client_for(op)
        .post(f"/platforms/reports/{rid}/transition/", {"action": "submit", "confirm": "1"})
        .status_code
        == 302
    )
    assert (
        client_for(staff)
        .post(f"/platforms/reports/{rid}/transition/", {"action": "accept", "confirm": "1"})
        .status_code
        == 302
    )
    report.refresh_from_db()
    assert report.status == "accepted" and str(report.funding) == "3300.00"
    actions = set(AuditEvent.objects.for_object(report).values_list("action", flat=True))
    assert {
        "yearly_report.create",
        "yearly_report.submit",
        "yearly_report.return",
        "yearly_report.update",
        "yearly_report.accept",
    } <= actions


def test_pages_render_for_each_role(client_for, make_user, platforms, staff):
    q, _ = platforms
    YearlyReportFactory(platform=q, accepted=True)
    urls = [
        "/platforms/",
        "/platforms/statistics/",
        q.get_absolute_url(),
        "/platforms/lineage/",
        "/platforms/reorganisations/",
        f"/platforms/lineage/?platform={q.pk}",
    ]
    for user in (None, staff, make_user(Role.COMMISSIONER), make_user(Role.EXPERT), make_user(Role.OPERATOR)):
        for url in urls:
            assert client_for(user).get(url).status_code == 200, (user, url)
    for url in (
        "/platforms/new/",
        "/platforms/import/",
        "/platforms/overlap/",
        "/platforms/reports/",
        "/platforms/reorganisations/new/",
        f"/platforms/{q.pk}/edit/",
    ):
        assert client_for(staff).get(url).status_code == 200, url
    export = client_for(None).get("/platforms/", {"kind": "national_key_lab", "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(None).get("/platforms/reports/").status_code == 302
    assert client_for(make_user(Role.EXPERT)).get("/platforms/reports/").status_code == 403


def test_import_page_dry_run_then_commit(client_for, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    host = PlatformFactory().host
    content = f"编号,名称,类型,依托单位,成立日期\nW1,平台W,省重点实验室,{host.name},2021-02-02\nW2,,省重点实验室,{host.name},2021-02-02\n".encode()
    c = client_for(staff)
    r = c.post("/platforms/import/", {"file": SimpleUploadedFile("w.csv", content)})
    assert r.status_code == 200
    assert "名称不能为空" in r.content.decode()
    r = c.post("/platforms/import/", {"file": SimpleUploadedFile("w.csv", content), "commit": "on"})
    assert "名称不能为空" in r.content.decode()
    from kechuang.platforms.models import Platform

    assert not Platform.objects.filter(code="W1").exists()


def test_reorganisation_and_overlap_pages(client_for, staff, make_user):
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.platforms.models import Platform, Reorganisation

    host = UnitFactory()
    kw = {
        "host": host,
        "disciplines": ["材料科学"],
        "industries": ["新材料"],
        "mission": "煤基石墨烯材料制备与应用。",
    }
    a, b = PlatformFactory(**kw), PlatformFactory(**kw)
    c = client_for(staff)
    assert c.get("/platforms/overlap/?min=abc").status_code == 200
    page = c.get("/platforms/overlap/").content.decode()
    assert a.name in page and "同一依托单位" in page
    r = c.post(
        "/platforms/overlap/decide/",
        {
            "decision": "accept",
            "a": a.pk,
            "b": b.pk,
            "code": "M1",
            "name": "合并后平台",
            "date": "2024-01-01",
            "confirmed": "1",  # after the page that says what the merge does (see below)
        },
    )
    reorg = Reorganisation.objects.get()
    assert r.status_code == 302 and r["Location"] == reorg.get_absolute_url()
    assert c.get(reorg.get_absolute_url()).status_code == 200
    graph = c.get("/platforms/lineage/").context["graph"]
    assert {(link["source"], link["target"]) for link in graph["links"]} == {
        (str(a.pk), str(reorg.targets.get().pk)),
        (str(b.pk), str(reorg.targets.get().pk)),
    }
    d = PlatformFactory()
    retire = {"kind": "retire", "date": "2024-02-01", "sources": [d.pk], "note": "撤销"}
    # irreversible: first a page saying which platforms leave service (issue #13.3), nothing written yet
    r = c.post("/platforms/reorganisations/new/", retire)
    html = r.content.decode()
    assert r.status_code == 200 and "将会发生" in html and d.name in html and "记录后不能撤回" in html
    assert f'name="sources" value="{d.pk}"' in html
    assert Platform.objects.get(pk=d.pk).status != "retired"
    r = c.post("/platforms/reorganisations/new/", {**retire, "confirmed": "1"})
    assert r.status_code == 302
    assert Platform.objects.get(pk=d.pk).status == "retired"
    bad = c.post(
        "/platforms/reorganisations/new/",
        {
            "kind": "merge",
            "date": "2024-02-01",
            "sources": [Platform.objects.get(code="M1").pk],
            "confirmed": "1",
        },
    )
    assert bad.status_code == 400 and "数量不符" in bad.content.decode()
    assert "merge" in bad.content.decode()  # the kind chosen is kept (the select holds it)
    assert (
        client_for(make_user(Role.OPERATOR))
        .post("/platforms/overlap/decide/", {"decision": "dismiss", "a": 1, "b": 2, "reason": "x"})
        .status_code
        == 403
    )


def test_dashboard_tasks_for_operators_and_staff(staff, make_user):
    from kechuang.platforms import dashboard

    op = make_user(Role.OPERATOR)
    p = PlatformFactory(name="运营的平台")
    services.operator_assign(actor=staff, platform=p, user=op)
    assert any("运营的平台" in t.title for t in dashboard.tasks_for(op))
    YearlyReportFactory(platform=p, year=2025, submitted=True)
    assert any(t.count == 1 for t in dashboard.tasks_for(staff))
    assert dashboard.tasks_for(None) == [] and dashboard.tasks_for(make_user(Role.EXPERT)) == []
    assert dashboard.cards_for(None)[0].value == "1"


def test_staff_edit_pages_members_achievements_and_operator_report_page(client_for, staff, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.platforms.models import Platform

    host = UnitFactory()
    c = client_for(staff)
    r = c.post(
        "/platforms/new/",
        {
            "code": "W1",
            "name": "网页登记联合体",
            "kind": "consortium",
            "host": host.pk,
            "established": "2021-03-10",
            "status": "operating",
            "disciplines": "材料科学，化学",
            "industries": "新材料",
            "published": "on",
        },
    )
    p = Platform.objects.get(code="W1")
    assert r.status_code == 302 and p.disciplines == ["材料科学", "化学"] and p.level == "provincial"
    dup = c.post(
        "/platforms/new/",
        {
            "code": "W1",
            "name": "重复",
            "kind": "consortium",
            "host": host.pk,
            "established": "2021-03-10",
            "status": "operating",
        },
    )
    assert dup.status_code == 400 and Platform.objects.filter(code="W1").count() == 1
    form = {
        "name": "改名联合体",
        "kind": "consortium",
        "level": "provincial",
        "established": "2021-03-10",
        "published": "on",
    }
    assert c.post(f"/platforms/{p.pk}/edit/", {**form, "version": 1}).status_code == 302
    stale = c.post(f"/platforms/{p.pk}/edit/", {**form, "name": "旧表单", "version": 1})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    unit = UnitFactory()
    c.post(f"/platforms/{p.pk}/members/", {"unit": unit.pk, "role": "lead", "joined": "2021-03-10"})
    m = p.memberships.get()
    c.post(f"/platforms/{p.pk}/members/{m.pk}/end/", {"left": "2022-01-01", "reason": "退出", "confirm": "1"})
    m.refresh_from_db()
    assert m.left.isoformat() == "2022-01-01"
    early = c.post(
        f"/platforms/{p.pk}/members/",
        {"unit": unit.pk, "role": "member", "joined": "2020-01-01"},
    )
    # refused: the page again (400) with the date as typed beside the reason (walker6)
    assert early.status_code == 400
    assert "不能早于平台成立日期" in early.content.decode() and 'value="2020-01-01"' in early.content.decode()
    c.post(
        f"/platforms/{p.pk}/achievements/",
        {
            "kind": "leading",
            "title": "领先技术一",
            "year": 2022,
            "evidence": "鉴定意见",
            "evidence_file": SimpleUploadedFile("e.txt", b"evidence"),
        },
    )
    a = p.achievements.get()
    assert a.title == "领先技术一" and a.evidence_file.name.startswith("platforms/evidence/")
    # refused (no kind, a year that is no number): the page again (400) with the title and the evidence
    # typed, the file's name and a request to choose it again, each field's message (no field's code name)
    r = c.post(
        f"/platforms/{p.pk}/achievements/",
        {
            "kind": "",
            "title": "领先技术二",
            "year": "x",
            "evidence": "很长的鉴定意见",
            "evidence_file": SimpleUploadedFile("鉴定.txt", b"evidence"),
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and 'value="领先技术二"' in page and "很长的鉴定意见</textarea>" in page
    assert "“鉴定.txt”未保存" in page and "msg-error" not in page and p.achievements.count() == 1
    op = make_user(Role.OPERATOR)
    c.post(f"/platforms/{p.pk}/operators/", {"user": op.pk})
    oc = client_for(op)
    assert oc.get(f"/platforms/reports/new/?platform={p.pk}").status_code == 200
    r = oc.post(
        "/platforms/reports/new/",
        {
            "platform": p.pk,
            "year": 2022,
            "staff": 10,
            "doctorates": 2,
            "funding": "5",
            "projects": 1,
            "papers": 1,
            "patents": 0,
            "transferred": 0,
            "shared_hours": 0,
        },
    )
    assert r.status_code == 302 and p.reports.count() == 1
    again = oc.post(
        "/platforms/reports/new/",
        {
            "platform": p.pk,
            "year": 2022,
            "staff": 10,
            "doctorates": 2,
            "funding": "5",
            "projects": 1,
            "papers": 1,
            "patents": 0,
            "transferred": 0,
            "shared_hours": 0,
        },
    )
    assert again.status_code == 400 and "存在" in again.content.decode() and p.reports.count() == 1
    other = PlatformFactory()
    refused = oc.post("/platforms/reports/new/", {"platform": other.pk, "year": 2022, "staff": 1})
    assert refused.status_code == 400 and not other.reports.exists()


def test_public_counts_leave_out_unpublished_platforms(api_for, staff, applicant):
    PlatformFactory.create_batch(2)
    PlatformFactory(unpublished=True)
    url = "/api/platforms/counts/?date=2024-01-01&by=kind"
    assert api_for(None).get(url).json()["counts"] == {"provincial_key_lab": 2}
    assert api_for(applicant).get(url).json()["counts"] == {"provincial_key_lab": 2}
    assert api_for(staff).get(url).json()["counts"] == {"provincial_key_lab": 3}


def test_staff_change_the_host_on_the_page_and_others_are_refused(client_for, staff, applicant):
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.platforms.models import Affiliation

    platform = PlatformFactory()
    old_host, new_host = platform.host, UnitFactory(university=True)
    data = {"unit": new_host.pk, "on": "2025-03-01", "reason": "依托单位调整"}
    assert client_for(applicant).post(f"/platforms/{platform.pk}/host/", data).status_code == 403
    platform.refresh_from_db()
    assert platform.host == old_host
    page = client_for(staff).get(platform.get_absolute_url()).content.decode()
    assert "变更依托单位" in page
    response = client_for(staff).post(f"/platforms/{platform.pk}/host/", data)
    assert response.status_code == 302
    platform.refresh_from_db()
    assert platform.host == new_host
    host_links = Affiliation.objects.filter(platform=platform, role=Affiliation.Role.HOST, unit=new_host)
    assert host_links.get().start.isoformat() == "2025-03-01"
    event = AuditEvent.objects.get(action="platform.host_change", object_id=str(platform.pk))
    assert event.reason == "依托单位调整"
    again = client_for(staff).post(f"/platforms/{platform.pk}/host/", data)
    # refused: the page again (400) with the reason typed and why, not a message after a redirect (walker6)
    assert again.status_code == 400
    page = again.content.decode()
    assert "已是此平台的依托单位" in page and 'value="依托单位调整"' in page and 'value="2025-03-01"' in page
    nobody = client_for(staff).post(f"/platforms/{platform.pk}/operators/", {})
    assert nobody.status_code == 400  # it said nothing
    # why beside the picker it is about (its error list, which the picker names by aria-describedby)
    page = nobody.content.decode()
    assert re.search(r'id="id_user_error"[^>]*>\s*<li>(该|这个)字段是必填项', page)
    picker = re.search(r'<select[^>]*name="user"[^>]*>', page).group(0)
    assert re.search(r'aria-describedby="[^"]*id_user_error', picker), picker
    bad = client_for(staff).post(
        f"/platforms/{platform.pk}/host/", {"on": "2025-13-45", "reason": "理由留着"}
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert 'value="理由留着"' in page and 'value="2025-13-45"' in page and "新依托单位" in page


def test_merging_two_platforms_goes_through_a_page_that_says_what_will_happen(client, staff):
    from kechuang.platforms.models import Platform, Reorganisation

    a = PlatformFactory(name="晋中碳化硅材料重点实验室", status="operating")
    b = PlatformFactory(name="晋中宽禁带半导体重点实验室", host=a.host, status="operating")
    client.force_login(staff)
    data = {"decision": "accept", "a": a.pk, "b": b.pk, "code": "SX-M-001", "name": "晋中第三代半导体实验室"}
    data["date"] = "2026-06-30"
    r = client.post("/platforms/overlap/decide/", data)
    html = r.content.decode()
    assert r.status_code == 200 and "将会发生" in html and "合并后不能撤回" in html
    assert a.name in html and b.name in html and "SX-M-001" in html
    assert not Reorganisation.objects.exists() and not Platform.objects.filter(code="SX-M-001").exists()
    r = client.post("/platforms/overlap/decide/", {**data, "confirmed": "1"})
    assert r.status_code == 302
    assert Reorganisation.objects.get().kind == "merge" and Platform.objects.filter(code="SX-M-001").exists()


def test_a_refused_merge_shows_the_pair_form_again_with_the_input(client, staff):
    """Issue #13.4: a merge refused (a field missing, or the service's reason) answers 400 with the pair's
    form, what was typed and why; 返回修改 on the confirmation page brings the values back."""
    from kechuang.platforms.models import Reorganisation

    a = PlatformFactory(name="晋中碳化硅材料重点实验室", status="operating")
    b = PlatformFactory(name="晋中宽禁带半导体重点实验室", host=a.host, status="operating")
    client.force_login(staff)
    data = {"decision": "accept", "a": a.pk, "b": b.pk, "code": "SX-M-002", "date": "2026-06-30"}
    r = client.post("/platforms/overlap/decide/", {**data, "reason": "方向重叠"})  # 新平台名称 missing
    html = r.content.decode()
    assert r.status_code == 400 and a.name in html and b.name in html
    assert 'value="SX-M-002"' in html and 'value="方向重叠"' in html and "errorlist" in html
    back = client.post(
        "/platforms/overlap/decide/", {**data, "name": "新平台", "step": "edit", "confirmed": "1"}
    )
    assert back.status_code == 200 and 'value="新平台"' in back.content.decode()
    gone = PlatformFactory(status="retired", host=a.host)  # a platform no longer in service cannot merge
    r = client.post("/platforms/overlap/decide/", {**data, "b": gone.pk, "name": "新平台", "confirmed": "1"})
    assert r.status_code in (400, 404) and not Reorganisation.objects.exists()
    dismiss = client.post("/platforms/overlap/decide/", {"decision": "dismiss", "a": a.pk, "b": b.pk})
    assert dismiss.status_code == 400 and "不合并的理由" in dismiss.content.decode()
