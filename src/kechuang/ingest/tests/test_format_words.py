"""The report list and page give a file's kind in words, a text file's encoding as people name it, never the
codec's spelling "utf-8" (session 14, walker4)."""

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "txt", "gb", "docx"),
    [
        ("zh-hans", "文本（UTF-8 编码）", "文本（GB18030 编码）", "Word 文档"),
        ("en", "Text (UTF-8 encoding)", "Text (GB18030 encoding)", "Word document"),
    ],
)
def test_the_report_list_and_page_name_the_format_and_encoding_in_words(
    client_for, staff, language, txt, gb, docx
):
    utf8 = DocumentFactory(encoding="utf-8")
    DocumentFactory(encoding="gb18030")
    DocumentFactory(format="docx", encoding="")
    c = client_for(staff)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = c.get(reverse("ingest:document-list")).content.decode()
    for words in (txt, gb, docx):
        assert f"<td>{words}</td>" in page
    assert "<td>utf-8</td>" not in page and "<td>gb18030</td>" not in page
    detail = c.get(utf8.get_absolute_url()).content.decode()
    assert txt in detail and " utf-8 " not in detail
