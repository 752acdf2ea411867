"""Official documents' PDFs load no URL (session 11's attacker review, defence in depth): their templates
escape every value and name no resource, but WeasyPrint's default fetcher reads file:// and http:// URLs
into the PDF, so one unescaped value would have read the server's files (or cloud metadata) into a
document a person downloads. render_pdf now passes a fetcher that refuses every URL."""

import pytest

from kechuang.documents import pdf

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def planted(tmp_path):
    path = tmp_path / "secret.png"
    path.write_bytes(PNG)
    return path


def test_a_file_url_in_a_document_is_not_read_into_the_pdf(monkeypatch, planted):
    if pdf.unavailable_reason():
        pytest.skip(pdf.unavailable_reason())
    html = f'<html><body><p>公文</p><img src="{planted.as_uri()}" width="50" height="50"></body></html>'
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: html)
    data = pdf.render_pdf("documents/pdf/base.html", {})
    assert data.startswith(b"%PDF") and b"/Image" not in data


def test_the_fetcher_refuses_every_url():
    if pdf.unavailable_reason():
        pytest.skip(pdf.unavailable_reason())
    fetcher = pdf.fetch_nothing()
    for url in [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/x.png",
    ]:
        with pytest.raises(ValueError):
            fetcher(url)
