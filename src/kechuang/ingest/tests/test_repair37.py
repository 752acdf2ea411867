"""Report repair (issue #15.3, session 35 `repair37`).

1. The page's uncertain count is the number of `〔存疑：…〕` marks its repaired text shows (one source of truth:
   `RepairResult.uncertain_count`, stored in the document's stats, shown on the page and given by the API). It
   counted uncertain *edits* before: one edit may show two marks, and a guess of punctuation none.

Pages are made with the forward model (benchmarks/ingest/forward.py) from sentences written for these tests.
"""

import functools
import re

import pytest
from django.core.management import call_command

from kechuang.core.models import AuditEvent
from kechuang.core.roles import SYSTEM
from kechuang.ingest import services
from kechuang.ingest.models import Document
from kechuang.ingest.parsers import repair
from kechuang.ingest.parsers.repair import marks_shown
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")

_MARK = re.compile(r"〔存疑：[^〕\n]*〕")

# a report of a fictional city, written for these tests
_CLEAN = (
    "湄川市二〇二五年科技工作总结\n"
    "今年以来，全市深入实施创新驱动发展战略，高校和科研院所合作项目新增四十二项，技术合同成交额达到三十八亿元。"
    "市科技局组织开展科技成果转化对接活动十五场次，促成高校与企业合作协议一百二十份。"
    "新认定高新技术企业二百一十家，科技型中小企业入库九百六十家，研发投入强度提高零点三个百分点。\n"
    "下一步，我们将继续加强基础研究，推动重点实验室建设，培育新质生产力。\n"
) * 2


@functools.cache
def _page_with_more_marks_than_edits() -> str:
    """A damaged page whose repair shows more marks than it has uncertain edits (an edit holding two marks)."""
    for seed in range(40, 80):
        page = forward.corrupt(_CLEAN, seed, commas=False).text
        result = repair(page)
        if result.uncertain_count > result.uncertain_edit_count > 0:
            return page
    raise AssertionError("no seed gives an edit with two marks")


# ----------------------------------------------------------------------------- 1. the count is the marks shown


def test_the_count_is_the_marks_the_repaired_text_shows():
    page = _page_with_more_marks_than_edits()
    result = repair(page)
    assert result.uncertain_count == len(_MARK.findall(result.text)) == marks_shown(result.text)
    assert (
        result.uncertain_count > result.uncertain_edit_count
    )  # what the page said before: fewer than it showed


def test_a_clean_text_counts_none():
    result = repair(_CLEAN)
    assert result.uncertain_count == 0 == marks_shown(result.text)


@pytest.mark.django_db
def test_the_page_and_the_api_give_the_marks_shown(client_for, api_for, staff):
    page = _page_with_more_marks_than_edits()
    document, _created = services.document_ingest(
        actor=staff, data=page.encode("utf-8"), filename="humei-2025.txt", year=2025
    )
    shown = len(_MARK.findall(document.repaired_text))
    assert shown >= 2 and document.stats["uncertain"] == shown
    assert document.changes.filter(uncertain=True).count() < shown  # the edits: not what the page counts
    html = client_for(staff).get(document.get_absolute_url()).content.decode()
    assert f"存疑 {shown} 处<" in html
    api = api_for(staff)
    assert api.get(f"/api/ingest/documents/{document.pk}/").json()["stats"]["uncertain"] == shown
    listed = api.get("/api/ingest/documents/").json()["results"]
    assert [d["stats"]["uncertain"] for d in listed] == [shown]
    event = AuditEvent.objects.get(action="document.ingest")
    assert event.after["uncertain"] == shown


@pytest.mark.django_db
def test_an_undone_change_recounts_the_marks(staff):
    page = _page_with_more_marks_than_edits()
    document, _created = services.document_ingest(actor=staff, data=page.encode("utf-8"), filename="r.txt")
    change = document.changes.filter(uncertain=True, after__contains="〔存疑：").first()
    document = services.change_revert(actor=staff, change=change, reason="对照原文")
    assert document.stats["uncertain"] == len(_MARK.findall(document.repaired_text))


@pytest.mark.django_db
def test_stored_counts_are_recounted_through_the_service_with_an_audit_event(staff):
    page = _page_with_more_marks_than_edits()
    document, _created = services.document_ingest(actor=staff, data=page.encode("utf-8"), filename="r.txt")
    shown = document.stats["uncertain"]
    rest = {k: v for k, v in document.stats.items() if k != "uncertain"}
    edits = document.changes.filter(uncertain=True).count()
    # as a report stored before repair37 was counted: its uncertain edits
    Document.objects.filter(pk=document.pk).update(stats={**document.stats, "uncertain": edits})
    clean, _ = services.document_ingest(actor=staff, data=_CLEAN.encode("utf-8"), filename="clean.txt")
    assert services.documents_recount_uncertain(actor=SYSTEM) == 1
    document.refresh_from_db()
    clean.refresh_from_db()
    assert document.stats["uncertain"] == shown and clean.stats["uncertain"] == 0
    assert {k: v for k, v in document.stats.items() if k != "uncertain"} == rest  # the rest kept
    event = AuditEvent.objects.get(action="document.recount")
    assert event.object_id == str(document.pk)
    assert (event.before, event.after) == ({"uncertain": edits}, {"uncertain": shown})
    assert services.documents_recount_uncertain(actor=SYSTEM) == 0  # nothing left to change, nothing audited
    assert AuditEvent.objects.filter(action="document.recount").count() == 1


@pytest.mark.django_db
def test_the_recount_is_refused_to_a_non_staff_user(applicant):
    from kechuang.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.documents_recount_uncertain(actor=applicant)


@pytest.mark.django_db
def test_the_command_recounts(staff, capsys):
    page = _page_with_more_marks_than_edits()
    document, _created = services.document_ingest(actor=staff, data=page.encode("utf-8"), filename="r.txt")
    Document.objects.filter(pk=document.pk).update(stats={**document.stats, "uncertain": 0})
    call_command("ingest", "--recount-uncertain")
    assert "recounted 1 documents" in capsys.readouterr().out
    document.refresh_from_db()
    assert document.stats["uncertain"] == len(_MARK.findall(document.repaired_text))


# ----------------------------------------------------------------------------- 2. a lettered label after its count


@pytest.mark.parametrize(
    "text",
    [
        "分为两类,B类企业12家。",
        "企业分两级,A级达到10家。",
        "项目分三档,A档资助20万元。",
        "成果分为两种,B种由企业承担。",
    ],
)
def test_a_label_naming_the_class_the_clause_before_counted_is_left_alone(text):
    # the clause before the mark ends on the word the label names: the letter is a label, not a trail byte
    # (`分为两类。〔存疑：瑶鸟〕类`: three bytes filled around one letter)
    out = repair(text).text
    assert out == text.replace(",", "，"), out


@pytest.mark.parametrize("decoder", ["drop", "qmark", "replace"])
@pytest.mark.parametrize("clean", ["两市合作项目分为两类。現階段共立项十二项。", "资金分三档。現按A档拨付。"])
def test_a_replaced_mark_after_such_a_word_is_still_read(clean, decoder):
    # 。現 = A1 A3 AC 46 with ， = A3 AC written `,` reads `,F`: the letter is 現's trail
    page = forward.site_decode(clean.encode("gbk").replace("，".encode("gbk"), b","), decoder)
    assert "F" in page.replace("A档", "")
    out = repair(page).text
    assert "。现" in out and "F" not in out.replace("A档", ""), out
