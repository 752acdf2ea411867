"""Uploads are bounded after decompression, and a report's analysis runs outside any write transaction
(issue #14.6): a small .docx that unpacks to 33 MB is refused before it is read, and while a report is
analysed the rest of the site can write."""

import io
import struct
import threading
import zipfile

import pytest
from django.db import connection

from kechuang.core.exceptions import ApplicationError
from kechuang.core.uploads import DOCUMENTS, REPORTS, TABLES, check_upload, check_zip_bounds


def _docx(body: bytes, part="word/document.xml") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr(part, body)
    return buf.getvalue()


def _xml(n: int) -> bytes:
    return (
        b"<w:document><w:body><w:p><w:r><w:t>"
        + "科创".encode() * (n // 6)
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )


BOMB = _docx(_xml(33 * 1024 * 1024))  # ~33 MB of text in a docx of some tens of KB


def test_the_bomb_is_small_and_would_unpack_to_33_mb():
    assert len(BOMB) < 200 * 1024
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(BOMB)).infolist()) > 33_000_000


@pytest.mark.parametrize(("name", "allowed"), [("报告.docx", REPORTS), ("附件.docx", DOCUMENTS)])
def test_a_docx_bomb_is_refused_by_its_ratio_before_it_is_read(name, allowed):
    with pytest.raises(ApplicationError) as refused:
        check_upload(BOMB, name, allowed=allowed)
    assert refused.value.code == "zip_bomb" and "压缩比" in str(refused.value.message)


def test_an_xlsx_over_the_total_is_refused(settings):
    settings.KECHUANG_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    data = _docx(b"<x>" + bytes(range(256)) * 30000 + b"</x>", part="xl/workbook.xml")  # ~7.7 MB, ratio low
    with pytest.raises(ApplicationError) as refused:
        check_upload(data, "表.xlsx", allowed=TABLES)
    assert refused.value.code == "zip_bomb" and "解压后" in str(refused.value.message)


def test_an_ordinary_docx_passes():
    assert check_upload(_docx(_xml(200_000)), "报告.docx", allowed=REPORTS).name == "docx"


def test_a_central_directory_that_understates_sizes_yields_an_unreadable_file_not_a_larger_one():
    data = bytearray(_docx(_xml(10_000_000)))
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = z.getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header: uncompressed size
    directory = bytes(data).rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, directory + 24, 1000)  # central directory: uncompressed size
    check_zip_bounds(bytes(data), "说谎.docx")  # the directory says 1000 bytes: passes the bound
    with (
        zipfile.ZipFile(io.BytesIO(bytes(data))) as lying,
        lying.open("word/document.xml") as fh,
        pytest.raises(zipfile.BadZipFile),
    ):
        while fh.read(65536):
            pass


@pytest.mark.django_db
def test_ingesting_a_bomb_writes_nothing(staff):
    from kechuang.ingest.models import Document
    from kechuang.ingest.services import document_ingest

    with pytest.raises(ApplicationError):
        document_ingest(actor=staff, data=BOMB, filename="炸弹.docx")
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_analysis_runs_outside_any_transaction_and_the_site_writes_meanwhile(make_user, monkeypatch):
    """The analysis (mocked to wait) runs with no transaction open; meanwhile another connection writes.
    On a SQLite file (KECHUANG_TEST_SQLITE_FILE) or PostgreSQL the write would wait for, or fail on, the
    upload's write lock if the analysis were inside the transaction."""
    from kechuang.accounts.services import unit_create
    from kechuang.core.roles import Role
    from kechuang.ingest.models import Document
    from kechuang.ingest.services import analysis, document_ingest

    staff = make_user(Role.STAFF, username="ingeststaff")
    real = analysis._analyse_text
    seen = {}
    started, release = threading.Event(), threading.Event()

    def slow_analysis(*args, **kwargs):
        seen["in_atomic"] = connection.in_atomic_block
        started.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "_analyse_text", slow_analysis)
    outcome = {}

    def upload():
        try:
            outcome["doc"] = document_ingest(
                actor=staff, data="2023年全省研发投入增长12%。".encode(), filename="r.txt"
            )
        except Exception as exc:  # pragma: no cover - reported below
            outcome["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=upload)
    worker.start()
    assert started.wait(30)
    try:
        if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
            # Another person's write while the report is being analysed: it goes through at once.
            unit_create(actor=staff, name="分析期间新建的单位", kind="university", city="兰州")
    finally:
        release.set()
        worker.join(60)
    assert "error" not in outcome, outcome.get("error")
    assert seen["in_atomic"] is False
    assert Document.objects.count() == 1
