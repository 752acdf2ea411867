"""File fields on the project report forms of 揭榜挂帅 (issue #18.2): a file field staff add in the builder to
a newer yearly-report, mid-term or acceptance form version is asked on the project's pages (multipart; kinds
and size checked by core.uploads as on the application form; 400 with the other input kept), stored as a
private ReportFile of the project that only its unit, its commissioner and staff download, and kept on the
report by key (`extra[key] = {"name", "file"}`), shown with its link, exported and in the API."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.challenges import programme, selectors, services
from kechuang.challenges.models import Contract, MidtermCheck, ReportFile
from kechuang.challenges.tests.test_programme_forms import EXE, PDF, build_on_the_web
from kechuang.challenges.tests.test_programme_reports import _contract
from kechuang.core.audit import AuditEvent

pytestmark = pytest.mark.django_db


def _keys(form, purpose):
    return {f["label"]: f["key"] for f in programme.report_extra_fields(form, purpose)}


def test_a_yearly_report_file_field_is_uploaded_checked_kept_private_shown_and_exported(
    client_for, staff, client
):
    s = client_for(staff)
    v2 = build_on_the_web(
        s,
        stage_kind="mid_term",
        fields=[
            {"label": "年度审计报告", "kind": "file", "required": "on", "file_kinds": ["pdf"], "max_mb": "1"},
            {"label": "佐证材料", "kind": "file", "file_kinds": ["pdf", "docx"], "max_mb": "2"},
        ],
    )
    form2 = programme.report_form(v2, "yearly_report")
    keys = _keys(form2, "yearly_report")
    audit, proof = keys["年度审计报告"], keys["佐证材料"]
    c = _contract(v2)  # a new list pinned to the new version
    ms = c.milestones.get(seq=1)
    leader = client_for(c.leader)
    page = leader.get(ms.get_absolute_url()).content.decode()
    assert 'enctype="multipart/form-data"' in page and "年度审计报告" in page and "不超过 1 MB" in page
    ind = ms.values.get().indicator_id
    post = {"op": "report", "report": "中试线已建成", f"value_{ind}": "6"}
    # required: missing → 400 with the input kept
    r = leader.post(ms.get_absolute_url(), post)
    assert r.status_code == 400 and "中试线已建成" in r.content.decode()
    # a program renamed to .pdf, a file too large, a DOCX where only PDF is allowed: 400, reason, input kept
    for name, data, reason in (
        ("审计.pdf", EXE, "可执行程序"),
        ("审计.pdf", PDF + b"0" * (1024 * 1024), "过大"),
        ("审计.docx", PDF, "不支持的文件类型"),
    ):
        r = leader.post(ms.get_absolute_url(), post | {audit: SimpleUploadedFile(name, data)})
        body = r.content.decode()
        assert r.status_code == 400 and reason in body and "中试线已建成" in body, name
        # the file's name and a request to choose it again (a browser never refills a file input; usable12)
        assert f"已选的文件“{name}”未保存" in body and "请重新选择后再提交" in body, name
    assert not ReportFile.objects.exists()
    ms.refresh_from_db()
    assert ms.status == "target"
    # accepted: both stored privately, by key in `extra`, audited
    r = leader.post(
        ms.get_absolute_url(),
        post
        | {
            audit: SimpleUploadedFile("审计报告.pdf", PDF),
            proof: SimpleUploadedFile("佐证.pdf", PDF + b"%p"),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    ms.refresh_from_db()
    rf = ReportFile.objects.get(key=audit)
    rp = ReportFile.objects.get(key=proof)
    assert ms.status == "reported" and ms.form_version == form2
    assert ms.extra == {
        audit: {"name": "审计报告.pdf", "file": rf.pk},
        proof: {"name": "佐证.pdf", "file": rp.pk},
    }
    assert rf.contract == c and rf.report == "yearly_report"
    assert re.fullmatch(r"challenges/reports/\d{4}/[\w-]{16}/审计报告\.pdf", rf.file.name), rf.file.name
    assert AuditEvent.objects.filter(action="report.field_file", object_id=str(ms.pk)).count() == 2
    # shown with its download link; the unit, its commissioner and staff fetch it; nobody else
    download = reverse("challenges:report-file-download", args=[rf.pk])
    commissioner = client_for(c.commissioner)
    page = commissioner.get(ms.get_absolute_url()).content.decode()
    assert "审计报告.pdf" in page and download in page
    for who in (leader, commissioner, s):
        r = who.get(download)
        assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    other = _contract(v2)
    assert client_for(other.leader).get(download).status_code in (403, 404)
    assert client_for(other.commissioner).get(download).status_code in (403, 404)
    assert client.get(download).status_code == 302  # to the login page
    # the API carries it by key; the export has the file name
    data = commissioner.get(reverse("api:challenges-contract-detail", args=[c.pk])).json()
    m1 = next(m for m in data["milestones"] if m["id"] == ms.pk)
    assert m1["extra"][audit] == {"name": "审计报告.pdf", "file": rf.pk}
    r = s.get(reverse("challenges:contract-list") + "?export=xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True)
    )
    col = list(rows[0]).index(f"年度报告：年度审计报告 [{audit}]")
    assert "M1：审计报告.pdf" in [row[col] for row in rows[1:]]
    # sent back and reported again: no new file keeps the required one; the optional one cleared is removed
    services.milestone_send_back(actor=c.commissioner, milestone=ms, reason="补充说明")
    page = leader.get(ms.get_absolute_url()).content.decode()
    assert "审计报告.pdf" in page
    r = leader.post(ms.get_absolute_url(), post | {"report": "补充后的报告", f"{proof}-clear": "on"})
    assert r.status_code == 302, r.content.decode()[:3000]
    ms.refresh_from_db()
    assert ms.report == "补充后的报告" and ms.extra == {audit: {"name": "审计报告.pdf", "file": rf.pk}}
    assert not ReportFile.objects.filter(pk=rp.pk).exists()
    assert ReportFile.objects.filter(pk=rf.pk).exists()


def test_mid_term_and_acceptance_file_fields_are_uploaded_and_stored(client_for, staff):
    s = client_for(staff)
    build_on_the_web(
        s,
        stage_kind="racing",
        fields=[
            {"label": "中期审计", "kind": "file", "required": "on", "file_kinds": ["pdf"], "max_mb": "1"}
        ],
    )
    v3 = build_on_the_web(
        s,
        stage_kind="acceptance",
        fields=[
            {"label": "验收报告", "kind": "file", "required": "on", "file_kinds": ["pdf"], "max_mb": "1"}
        ],
    )
    mkey = _keys(programme.report_form(v3, "mid_term"), "mid_term")["中期审计"]
    akey = _keys(programme.report_form(v3, "acceptance"), "acceptance")["验收报告"]
    c = _contract(v3)
    com = client_for(c.commissioner)
    assert 'enctype="multipart/form-data"' in com.get(c.get_absolute_url()).content.decode()
    url = reverse("challenges:midterm", args=[c.pk])
    r = com.post(url, {"conclusion": "continue", "notes": "进展顺利", mkey: SimpleUploadedFile("x.pdf", EXE)})
    assert r.status_code == 400 and "进展顺利" in r.content.decode()
    assert not MidtermCheck.objects.exists() and not ReportFile.objects.exists()
    r = com.post(
        url, {"conclusion": "continue", "notes": "进展顺利", mkey: SimpleUploadedFile("中期.pdf", PDF)}
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    mc = MidtermCheck.objects.get()
    rf = ReportFile.objects.get(report="mid_term")
    assert mc.extra == {mkey: {"name": "中期.pdf", "file": rf.pk}}
    page = com.get(c.get_absolute_url()).content.decode()
    assert reverse("challenges:report-file-download", args=[rf.pk]) in page
    Contract.objects.filter(pk=c.pk).update(status="acceptance")
    url = reverse("challenges:acceptance", args=[c.pk])
    assert 'enctype="multipart/form-data"' in s.get(url).content.decode()
    post = {"verdict": "passed", "panel": "张三、李四"} | {
        f"ind_{i.pk}": str(i.target) for i in c.indicators.all()
    }
    r = s.post(url, post | {akey: SimpleUploadedFile("验收.docx", PDF)})
    assert r.status_code == 400 and "张三、李四" in r.content.decode()
    r = s.post(url, post | {akey: SimpleUploadedFile("验收.pdf", PDF)})
    assert r.status_code == 302, r.content.decode()[:3000]
    c.refresh_from_db()
    ra = ReportFile.objects.get(report="acceptance")
    assert c.status == "finished" and c.acceptance.extra == {akey: {"name": "验收.pdf", "file": ra.pk}}
    data = s.get(reverse("api:challenges-contract-acceptance", args=[c.pk])).json()
    assert data["extra"] == {akey: {"name": "验收.pdf", "file": ra.pk}}


def test_a_report_sent_back_and_reported_on_a_version_without_the_file_field_keeps_the_earlier_file(
    client_for, staff
):
    """Every submission renders with its version for ever (#18): a yearly report reported with a file, sent
    back, then reported again after the list moved to a version whose form has no such field keeps the
    earlier submission — its version's labels, its file stored and downloadable — on the milestone page;
    only the new submission is on the new version, without the field."""
    s = client_for(staff)
    v1 = programme.seed()
    v2 = build_on_the_web(
        s,
        stage_kind="mid_term",
        fields=[{"label": "年度审计报告", "kind": "file", "file_kinds": ["pdf"], "max_mb": "1"}],
    )
    form2 = programme.report_form(v2, "yearly_report")
    audit = _keys(form2, "yearly_report")["年度审计报告"]
    c = _contract(v2)
    ms = c.milestones.get(seq=1)
    leader = client_for(c.leader)
    ind = ms.values.get().indicator_id
    post = {"op": "report", "report": "第一次报告", f"value_{ind}": "6"}
    r = leader.post(ms.get_absolute_url(), post | {audit: SimpleUploadedFile("审计报告.pdf", PDF)})
    assert r.status_code == 302, r.content.decode()[:3000]
    rf = ReportFile.objects.get()
    services.milestone_send_back(actor=c.commissioner, milestone=ms, reason="补充说明")
    # the list moves to a version whose yearly report has no file field (the audited migration, here direct)
    type(c.challenge).objects.filter(pk=c.challenge_id).update(programme_version=v1)
    page = leader.get(ms.get_absolute_url()).content.decode()
    assert f'name="{audit}"' not in page  # the new version does not ask it
    r = leader.post(ms.get_absolute_url(), post | {"report": "第二次报告"})
    assert r.status_code == 302, r.content.decode()[:3000]
    ms.refresh_from_db()
    form1 = programme.report_form(v1, "yearly_report")
    assert ms.form_version == form1 and ms.extra == {} and ms.report == "第二次报告"
    # the file is kept for the earlier submission: stored, downloadable by the project's people ...
    rf.refresh_from_db()
    assert rf.file.storage.exists(rf.file.name)
    download = reverse("challenges:report-file-download", args=[rf.pk])
    r = client_for(c.commissioner).get(download)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    # ... and rendered with its own version on the milestone page
    earlier = selectors.earlier_reports(ms)
    assert [(e["version"], e["report"]) for e in earlier] == [(form2, "第一次报告")]
    assert earlier[0]["rows"][0]["label"] == "年度审计报告" and earlier[0]["rows"][0]["url"] == download
    page = client_for(c.commissioner).get(ms.get_absolute_url()).content.decode()
    section = page.split("earlier-reports")[1]
    assert "第一次报告" in section and "年度审计报告" in section and download in section
    assert str(form2) in section
    # the current submission shows the new version's fields only
    assert programme.report_extra_rows(ms.form_version, "yearly_report", ms.extra) == []
