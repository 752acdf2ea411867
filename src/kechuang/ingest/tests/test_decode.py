import io

import pytest

from kechuang.ingest.parsers import UnsupportedDocument, decode_document
from kechuang.ingest.parsers.decode import decode_text

TEXT = "省科技厅坚持把重要讲话精神作为全部工作的纲和魂，推动全省科技创新工作取得新成效。"
TRAD = "省科技廳堅持把重要講話精神作為全部工作的綱和魂，推動全省科技創新工作取得新成效。"


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (TEXT.encode("utf-8"), "utf-8", TEXT),
        (TEXT.encode("gb18030"), "gb18030", TEXT),
        (TRAD.encode("gb18030"), "gb18030", TRAD),
        (TRAD.encode("big5"), "big5", TRAD),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8", TEXT),
        (TEXT.encode("utf-16"), "utf-16", TEXT),
    ],
)
def test_encodings_are_detected(data, encoding, text):
    decoded, enc = decode_text(data)
    assert (decoded, enc) == (text, encoding)


def test_a_file_mixing_encodings_is_decoded_line_by_line():
    data = TEXT.encode("utf-8") + b"\n" + TEXT.encode("gb18030") + b"\n" + TRAD.encode("big5")
    text, enc = decode_text(data)
    assert enc == "mixed"
    assert text.split("\n")[:2] == [TEXT, TEXT]


def test_html_text_and_declared_charset():
    html = f'<html><head><meta charset="gbk"><style>p{{}}</style><script>var a=1</script></head><body><p>{TEXT}</p><div>第二段</div></body></html>'
    doc = decode_document(html.encode("gbk"), "report.html")
    assert doc.format == "html"
    assert doc.text.split("\n") == [TEXT, "第二段"]


def test_docx_paragraphs_and_tables():
    import docx

    d = docx.Document()
    d.add_paragraph(TEXT)
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "实验室"
    table.rows[0].cells[1].text = "12个"
    buf = io.BytesIO()
    d.save(buf)
    doc = decode_document(buf.getvalue(), "report.docx")
    assert doc.format == "docx"
    assert doc.text.splitlines() == [TEXT, "实验室\t12个"]


def _pdf(text_ops: bytes) -> bytes:
    """A one-page PDF; `text_ops` is its content stream (empty: a page without a text layer)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text_ops) + text_ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def test_pdf_with_a_text_layer():
    doc = decode_document(_pdf(b"BT /F1 12 Tf 20 100 Td (Annual report 2023: 704 projects) Tj ET"), "r.pdf")
    assert doc.format == "pdf"
    assert "704 projects" in doc.text


def test_pdf_without_a_text_layer_is_refused_with_a_reason():
    with pytest.raises(UnsupportedDocument, match="文字层"):
        decode_document(_pdf(b""), "scan.pdf")


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.doc", "不支持"),
        (b"PK\x03\x04broken", "x.docx", "docx"),
        (b"%PDF-1.4 garbage", "x.pdf", "PDF"),
        (b"\x00\x01\x02binary" * 10, "blob.txt", "二进制"),
    ],
)
def test_unsupported_files_get_a_clear_error(data, name, reason):
    with pytest.raises(UnsupportedDocument, match=reason):
        decode_document(data, name)


def test_the_refusal_lists_the_supported_types():
    with pytest.raises(UnsupportedDocument) as exc:
        decode_document(b"x", "sheet.xls")
    assert "支持：.csv、.docx、.htm、.html" in exc.value.message
