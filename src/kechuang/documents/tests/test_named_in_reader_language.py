"""A document's name, `title（kind 第N版）`, is written as the reader writes it: （…） and 第N版 on Chinese pages,
"title (kind, version N)" on English ones (as an application's unit is: fd4c24d3)."""

from django.utils import translation

from kechuang.documents.models import DocumentKind, OfficialDocument


def test_a_documents_name_in_each_language():
    doc = OfficialDocument(title="揭榜挂帅项目任务书", kind=DocumentKind.CONTRACT, version=2)
    with translation.override("zh-hans"):
        assert str(doc) == f"揭榜挂帅项目任务书（{doc.get_kind_display()} 第2版）"
    with translation.override("en"):
        kind = doc.get_kind_display()
        assert str(doc) == f"揭榜挂帅项目任务书 ({kind}, version 2)"
        assert "（" not in str(doc) and "第" not in str(doc)
