"""The pages and the API, as each role: staff work, everyone else is refused (403/404/login, never 500)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.models import AuditEvent, Job
from kechuang.ingest import services
from kechuang.ingest.models import Document, Fact

from .factories import FactFactory
from .golden import SAMPLE

pytestmark = pytest.mark.django_db
OTHERS = ["applicant", "expert", "commissioner", "operator"]


@pytest.fixture
def document(staff):
    from kechuang.ingest.services import document_ingest

    return document_ingest(actor=staff, data=SAMPLE.read_bytes(), filename=SAMPLE.name)[0]


def test_staff_pages_render(client_for, staff, document):
    c = client_for(staff)
    fact = document.facts.first()
    for url in [
        reverse("ingest:document-list"),
        reverse("ingest:upload"),
        document.get_absolute_url(),
        reverse("ingest:fact-queue"),
        reverse("ingest:fact-queue") + "?status=accepted&kind=money",
        fact.get_absolute_url(),
    ]:
        assert c.get(url).status_code == 200, url
    page = c.get(document.get_absolute_url()).content.decode()
    # side by side, changes highlighted in both texts, the facts listed
    assert 'class="chg mojibake uncertain"' in page
    assert (
        "<code>!靶⌒突仉x</code>" in page and "<code>。“小型〔存疑：化重〕離</code>" in page
    )  # the change list
    assert 'title="乱码修复：GBK 字节错位' in page
    assert page.count('class="chg reading_aids"') > 100
    assert "〔缺失759字〕" in page and "国产替代技术" in page
    original = c.get(reverse("ingest:document-original", args=[document.pk]))
    assert original.content == SAMPLE.read_bytes()


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_are_refused_everywhere(request, client_for, role, document):
    c = client_for(request.getfixturevalue(role))
    fact = document.facts.first()
    for url in [
        reverse("ingest:document-list"),
        reverse("ingest:upload"),
        document.get_absolute_url(),
        reverse("ingest:document-original", args=[document.pk]),
        reverse("ingest:fact-queue"),
        fact.get_absolute_url(),
    ]:
        assert c.get(url).status_code == 403, url
    assert c.post(reverse("ingest:fact-action", args=[fact.pk, "accept"])).status_code == 403
    assert (
        c.post(reverse("ingest:upload"), {"files": SimpleUploadedFile("a.txt", "甲".encode())}).status_code
        == 403
    )
    fact.refresh_from_db()
    assert fact.status == "proposed"


def test_anonymous_is_sent_to_login(client_for, document):
    response = client_for(None).get(document.get_absolute_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_missing_objects_are_404(client_for, staff):
    c = client_for(staff)
    assert c.get(reverse("ingest:document-detail", args=[999])).status_code == 404
    assert c.get(reverse("ingest:fact-detail", args=[999])).status_code == 404
    assert c.post(reverse("ingest:change-revert", args=[999])).status_code == 404


def test_upload_one_file_goes_to_its_page_and_again_creates_nothing(client_for, staff):
    from kechuang.indicators.tests.factories import RegionFactory

    RegionFactory(name="甘肃")
    c = client_for(staff)
    data = "甲省科技厅报告\n建成12个国家重点实验室,获批经费3.5亿元。".encode("gb18030")
    r = c.post(
        reverse("ingest:upload"), {"files": SimpleUploadedFile("r.txt", data), "year": 2022, "region": "甘肃"}
    )
    document = Document.objects.get()
    assert r.status_code == 302 and r["Location"] == document.get_absolute_url()
    assert document.encoding == "gb18030" and document.year == 2022
    assert document.repaired_text == "甲省科技厅报告\n建成12个国家重点实验室，获批经费3.5亿元。"
    c.post(reverse("ingest:upload"), {"files": SimpleUploadedFile("copy.txt", data)})
    assert Document.objects.count() == 1
    # the file's SHA-256 is provenance, not a headline: under 技术信息 with a plain label and what it is for
    html = c.get(document.get_absolute_url()).content.decode()
    block = html[html.index('<details class="technical">') :]
    block = block[: block.index("</details>")]
    assert (
        "<dt>文件指纹（SHA-256）</dt>" in block
        and f'<code class="fingerprint">{document.sha256}</code>' in block
    )
    # once on the page: the audit trail keeps it in its record but shows no line for a digest
    assert html.count(document.sha256) == 1 and "<dt>SHA-256</dt>" not in html and "SHA-256：" not in html


def test_upload_of_an_unsupported_file_shows_the_reason(client_for, staff):
    r = client_for(staff).post(
        reverse("ingest:upload"), {"files": SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0....")}
    )
    assert r.status_code == 400  # refused: the page again (usable12)
    assert "不支持的文件类型" in r.content.decode()
    assert Document.objects.count() == 0


def test_upload_of_a_pdf_over_pypdfs_bounds_says_so_in_a_sentence(client_for, staff, monkeypatch):
    """The upload page shows the plain sentence, not pypdf's exception class (docs/security.md §20)."""
    import zlib

    from kechuang.ingest.parsers import decode

    monkeypatch.setattr(decode, "PDF_STREAM_WORK", 100)
    packed = zlib.compress(b"BT /F1 12 Tf 72 712 Td (A) Tj ET\n" * 1_000)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    data, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objs):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % (i + 1) + obj + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    r = client_for(staff).post(reverse("ingest:upload"), {"files": SimpleUploadedFile("报告.pdf", data)})
    page = r.content.decode()
    assert "超出了本站能读取的范围" in page and "LimitReachedError" not in page
    assert Document.objects.count() == 0


def test_upload_of_several_files_runs_a_job(client_for, staff, django_capture_on_commit_callbacks):
    c = client_for(staff)

    def files():
        return [
            SimpleUploadedFile("a.txt", "报告甲：攻克技术74项。".encode()),
            SimpleUploadedFile("b.txt", "報告乙：簽約7臺裝置訂單。".encode("big5")),
        ]

    # One unacceptable file refuses the whole batch before anything is stored, naming the file.
    r = c.post(
        reverse("ingest:upload"), {"files": [*files(), SimpleUploadedFile("c.xls", b"\xd0\xcf\x11\xe0....")]}
    )
    assert r.status_code == 400 and "c.xls" in r.content.decode() and not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("ingest:upload"), {"files": files()})
    job = Job.objects.get(kind="ingest.batch")
    assert r.status_code == 302 and r["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    assert len(job.result["created"]) == 2 and not job.result["failed"]
    assert Document.objects.filter(repaired_text="报告乙：签约7台装置订单。").exists()
    assert c.get(job.get_absolute_url()).status_code == 200


def test_the_batch_page_names_files_not_server_paths(
    client_for, staff, django_capture_on_commit_callbacks, monkeypatch
):
    """The job's result names a page upload's files by name, not by the server's upload folder, and a file the
    system could not read by a sentence, not the operating system's text (docs/security.md §49)."""
    from kechuang.core.messages import render
    from kechuang.ingest import jobs

    real = services.report_read

    def unreadable(source):
        if isinstance(source, str) and source.endswith("b.txt"):  # the job's copy, not the page's upload
            raise PermissionError(13, "Permission denied", str(source))
        return real(source)

    monkeypatch.setattr(services, "report_read", unreadable)
    c = client_for(staff)
    files = [
        SimpleUploadedFile("a.txt", "报告甲：攻克技术74项。".encode()),
        SimpleUploadedFile("b.txt", b"x"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("ingest:upload"), {"files": files})
    job = Job.objects.get(kind="ingest.batch")
    assert job.state == "succeeded", job.error
    # the copies' names (numbered in the batch's own folder), never the folder
    [created] = [f["path"] for f in job.result["created"]]
    assert created.endswith("a.txt") and "/" not in created
    (failed,) = job.result["failed"]
    assert failed["path"].endswith("b.txt") and "/" not in failed["path"]
    assert "无法读取该文件" in render(failed["error"])
    page = c.get(job.get_absolute_url()).content.decode()
    assert "Errno" not in page and "Permission denied" not in page and "Errno" not in str(job.result)
    assert jobs.os.sep not in str(job.result)


def test_review_through_the_pages(client_for, staff, document):
    c = client_for(staff)
    fact = document.facts.get(kind="count", unit="台")
    r = c.post(
        reverse("ingest:fact-action", args=[fact.pk, "accept"]), {"next": reverse("ingest:fact-queue")}
    )
    assert r.status_code == 302
    fact.refresh_from_db()
    assert fact.status == "accepted" and fact.record_status == "recorded"
    other = document.facts.get(kind="money", value=420_000_000)
    r = c.post(
        other.get_absolute_url(),
        {
            "subject": "国家自然科学基金经费",
            "predicate": "获批",
            "value": "420000000",
            "unit": "元",
            "qualifier": "",
            "period": "",
            "version": other.version,
        },
    )
    assert r.status_code == 302
    other.refresh_from_db()
    assert other.status == "edited" and other.subject == "国家自然科学基金经费"
    # a stale form is refused with the reason (400), nothing saved
    r = c.post(other.get_absolute_url(), {"subject": "别的", "value": "1", "unit": "元", "version": 1})
    assert r.status_code == 400 and "已被他人修改" in r.content.decode()
    other.refresh_from_db()
    assert other.subject == "国家自然科学基金经费"
    assert c.post(reverse("ingest:fact-action", args=[fact.pk, "bogus"])).status_code == 404
    # the queue's accept again (a stale queue, another tab): who accepted it and when (409), back to the queue
    r = c.post(
        reverse("ingest:fact-action", args=[fact.pk, "accept"]), {"next": reverse("ingest:fact-queue")}
    )
    body = r.content.decode()
    assert r.status_code == 409 and "此事项已由" in body and reverse("ingest:fact-queue") in body
    r = c.post(reverse("ingest:fact-action", args=[fact.pk, "accept"]), {"next": "/\\evil.example/"})
    assert r.status_code == 409 and "evil.example" not in r.content.decode()  # a link only on this site
    # sending back to review without a reason: the fact's page again with why beside the button (400)
    r = c.post(reverse("ingest:fact-action", args=[fact.pk, "reopen"]), {"reason": " "})
    body = r.content.decode()
    assert r.status_code == 400 and 'aria-describedby="step-refused"' in body and 'id="step-refused"' in body
    fact.refresh_from_db()
    assert fact.status == "accepted"


def test_revert_a_change_through_the_page(client_for, staff, document):
    change = document.changes.get(step="notices", orig_start=717)
    r = client_for(staff).post(
        reverse("ingest:change-revert", args=[change.pk]), {"reason": "看原文", "confirm": "1"}
    )
    assert r.status_code == 302
    document.refresh_from_db()
    assert "省略759字" in document.repaired_text
    assert AuditEvent.objects.filter(action="change.revert").count() == 1
    # the same undo again (a second click, another tab; the undo renumbered the changes): who undid one and
    # when, the page out of date, the reason typed kept (409)
    r = client_for(staff).post(
        reverse("ingest:change-revert", args=[change.pk]),
        {"reason": "再看一次", "confirm": "1", "document": document.pk},
    )
    body = r.content.decode()
    assert r.status_code == 409 and "这份报告已由" in body and "再看一次" in body
    # the undone change's own row (kept, marked undone): who undid it
    undone = document.changes.get(reverted=True)
    r = client_for(staff).post(reverse("ingest:change-revert", args=[undone.pk]), {"confirm": "1"})
    assert r.status_code == 409 and "这处修改已由" in r.content.decode()
    assert AuditEvent.objects.filter(action="change.revert").count() == 1


def test_finish_is_refused_while_facts_are_open(client_for, staff, document):
    c = client_for(staff)
    r = c.post(reverse("ingest:document-action", args=[document.pk, "finish"]))
    assert r.status_code == 400 and 'id="step-refused"' in r.content.decode()
    assert "还有待审核的事实" in r.content.decode()
    document.refresh_from_db()
    assert document.status == "pending"
    for fact in document.facts.all():
        services.fact_reject(actor=staff, fact=fact, reason="演示")
    assert c.post(reverse("ingest:document-action", args=[document.pk, "finish"])).status_code == 302
    # a reopen without a reason: the page again with why, the button's reason box marked (400)
    r = c.post(reverse("ingest:document-action", args=[document.pk, "reopen"]), {"reason": ""})
    assert r.status_code == 400 and 'aria-describedby="step-refused"' in r.content.decode()
    # finishing again (a second click): who finished it and when (409)
    r = client_for(staff).post(reverse("ingest:document-action", args=[document.pk, "finish"]))
    assert r.status_code == 409 and "此事项已由" in r.content.decode()


# ---------------------------------------------------------------- API


def test_api_lists_and_details_for_staff(api_for, staff, document):
    api = api_for(staff)
    r = api.get("/api/ingest/documents/")
    assert r.status_code == 200 and r.json()["count"] == 1
    r = api.get(f"/api/ingest/documents/{document.pk}/")
    body = r.json()
    assert len(body["facts"]) == 30 and body["changes"][0]["step"]
    r = api.get("/api/ingest/facts/?kind=money")
    assert r.json()["count"] == 3


@pytest.mark.parametrize("role", [*OTHERS, None])
def test_api_refuses_other_roles(request, api_for, role, document):
    api = api_for(request.getfixturevalue(role) if role else None)
    fact = document.facts.first()
    assert api.get("/api/ingest/documents/").status_code in (401, 403)
    assert api.get(f"/api/ingest/documents/{document.pk}/").status_code in (401, 403)
    assert api.post(f"/api/ingest/facts/{fact.pk}/accept/").status_code in (401, 403)
    assert api.post(
        "/api/ingest/documents/upload/", {"file": SimpleUploadedFile("a.txt", b"x")}
    ).status_code in (401, 403)


def test_api_review_and_upload(api_for, staff):
    api = api_for(staff)
    r = api.post(
        "/api/ingest/documents/upload/",
        {"file": SimpleUploadedFile("a.txt", "建成6个研究中心。".encode())},
        format="multipart",
    )
    assert r.status_code == 201
    r2 = api.post(
        "/api/ingest/documents/upload/",
        {"file": SimpleUploadedFile("b.txt", "建成6个研究中心。".encode())},
        format="multipart",
    )
    assert r2.status_code == 200 and r2.json()["id"] == r.json()["id"]
    bad = api.post(
        "/api/ingest/documents/upload/",
        {"file": SimpleUploadedFile("b.exe", b"MZ\x00\x00")},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "executable_file"
    fact = Fact.objects.get()
    r = api.post(f"/api/ingest/facts/{fact.pk}/edit/", {"subject": "国家工程研究中心"}, format="json")
    assert r.status_code == 400 and "version" in r.json()["error"]["fields"]
    r = api.post(
        f"/api/ingest/facts/{fact.pk}/edit/",
        {"subject": "国家工程研究中心", "version": fact.version},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "edited"
    r = api.post(f"/api/ingest/facts/{fact.pk}/accept/", {}, format="json")
    assert r.status_code == 409  # already decided
    assert api.post("/api/ingest/facts/999/accept/", {}, format="json").status_code == 404


def test_dashboard_task_and_nav(client_for, staff, applicant):
    FactFactory()
    from kechuang.ingest.dashboard import cards_for, tasks_for

    assert tasks_for(staff)[0].count == 1
    assert tasks_for(applicant) == [] and cards_for(applicant) == [] and cards_for(None) == []
    assert "报告导入" in client_for(staff).get(reverse("web:dashboard")).content.decode()


def test_change_notes_and_steps_in_the_pages_language(client_for, staff, document, english):
    """The steps and their notes are kept in Chinese (or as a key) with each change: the English page reads
    them in English, the Chinese page as before."""

    c = client_for(staff)
    zh = c.get(document.get_absolute_url()).content.decode()
    assert 'title="乱码修复：GBK 字节错位：去掉插入字节后重新对齐解码' in zh
    assert "<td>乱码修复</td>" in zh
    english(c)
    en = c.get(document.get_absolute_url()).content.decode()
    assert (
        'title="Garbled text repaired: GBK bytes out of step: decoded again after removing the inserted byte'
        in en
    )
    assert "<td>Garbled text repaired</td>" in en
    assert "GBK 字节错位" not in en and "<td>mojibake</td>" not in en


def test_undoing_a_change_asks_first_and_keeps_the_reason(client_for, staff, document):
    """An undone change cannot be re-applied: the row's button opens a confirmation, and the confirmation
    posted without its box ticked is refused (400) with the reason kept; nothing is undone until confirmed."""
    change = document.changes.get(step="notices", orig_start=717)
    url = reverse("ingest:change-revert", args=[change.pk])
    c = client_for(staff)
    r = c.post(url)
    page = r.content.decode()
    assert r.status_code == 200 and 'name="confirm"' in page and "撤销后不能恢复这处修改" in page
    r = c.post(url, {"asked": "1", "reason": "看原文再说"})
    assert r.status_code == 400 and "看原文再说" in r.content.decode()
    document.refresh_from_db()
    assert "省略759字" not in document.repaired_text and not document.changes.filter(reverted=True).exists()
    assert AuditEvent.objects.filter(action="change.revert").count() == 0
    assert c.post(url, {"asked": "1", "reason": "看原文", "confirm": "1"}).status_code == 302
    document.refresh_from_db()
    assert "省略759字" in document.repaired_text


@pytest.mark.parametrize("uncertain,words", [(1, "1 uncertain place<"), (3, "3 uncertain places<")])
def test_document_page_counts_changes_in_correct_english(
    client_for, staff, document, uncertain, words, english
):
    """The repairs are "Changes" and the uncertain places a plural with its count; the Chinese is as before."""

    Document.objects.filter(pk=document.pk).update(stats={**document.stats, "uncertain": uncertain})
    c = client_for(staff)
    zh = c.get(document.get_absolute_url()).content.decode()
    assert "<dt>修改</dt>" in zh and f"存疑 {uncertain} 处<" in zh
    english(c)
    en = c.get(document.get_absolute_url()).content.decode()
    assert "<dt>Changes</dt>" in en and words in en
    assert "<dt>Change</dt>" not in en


def test_fact_form_shows_the_value_without_trailing_zeros(client_for, staff, document):
    """The value box reads 420000000 and 23, not the column's 420000000.0000; a refused form keeps the typed text."""
    c = client_for(staff)
    money = document.facts.get(kind="money", value=420_000_000)
    page = c.get(money.get_absolute_url()).content.decode()
    assert 'name="value" value="420000000"' in page and "420000000.0000" not in page
    small = FactFactory(document=document, value="23.0000", value_text="23")
    share = FactFactory(document=document, value="0.3500", value_text="35%")
    assert 'name="value" value="23"' in c.get(small.get_absolute_url()).content.decode()
    assert 'name="value" value="0.35"' in c.get(share.get_absolute_url()).content.decode()
    r = c.post(small.get_absolute_url(), {"subject": "别的", "value": "23.50", "unit": "元", "version": 99})
    page = r.content.decode()
    assert "已被他人修改" in page and 'name="value" value="23.50"' in page


@pytest.mark.parametrize(("language", "line"), [("zh-hans", "第 {n} 行"), ("en", "Line {n}")])
def test_the_change_list_counts_from_one_and_places_each_change_in_words(
    client_for, staff, document, language, line
):
    """The list numbers its changes 1, 2, … (not from #0) and says where each is as the line of the original
    and the text around it, not as character offsets (the API keeps the offsets, for programs)."""
    import re

    from django.conf import settings

    from kechuang.ingest.views import place_in_text

    c = client_for(staff)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = c.get(document.get_absolute_url()).content.decode()
    start = page.index('<a href="#o')
    listed = page[page.rindex("<table", 0, start) : page.index("</table>", start)]
    numbers = [int(n) for n in re.findall(r'<tr[^>]*><td><a href="#o\d+">(\d+)</a></td>', listed)]
    changes = list(document.changes.order_by("seq"))
    assert numbers == list(range(1, len(changes) + 1)) and len(changes) > 3
    first = changes[0]
    assert f"{first.orig_start}–{first.orig_end}" not in listed
    n, before, after = place_in_text(document.original_text, first.orig_start, first.orig_end)
    assert n == document.original_text.count("\n", 0, first.orig_start) + 1
    assert line.format(n=n) in listed
    assert f"{before}<mark>" in listed.replace("&quot;", '"') or not before
    assert place_in_text("甲乙\n丙丁戊己\n庚", 4, 5) == (2, "丙", "戊己")
    api = c.get(f"/api/ingest/documents/{document.pk}/")
    if api.status_code == 200:
        assert "orig_start" in api.content.decode()


def test_an_undo_with_a_reason_past_its_bound_is_refused_not_made_without_it(client_for, staff, document):
    """The form's error was unread: the change was undone and the reason dropped (people23)."""
    from kechuang.ingest.models import STEP_REASON_MAX

    change = document.changes.get(step="notices", orig_start=717)
    over = "看" * (STEP_REASON_MAX + 1)
    r = client_for(staff).post(
        reverse("ingest:change-revert", args=[change.pk]), {"reason": over, "confirm": "1"}
    )
    body = r.content.decode()
    assert r.status_code == 400 and over in body and str(STEP_REASON_MAX) in body
    assert f'maxlength="{STEP_REASON_MAX}"' in body
    change.refresh_from_db()
    assert not change.reverted and not AuditEvent.objects.filter(action="change.revert").exists()
