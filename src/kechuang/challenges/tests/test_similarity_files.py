"""Pure parts: need grouping by text similarity, and attachment checks by content."""

import io
import math
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.challenges import files, similarity
from kechuang.core.exceptions import ApplicationError


def test_tfidf_by_hand():
    # Two documents: ["a", "b"] and ["a"]. n=2; idf(a) = ln(3/3)+1 = 1, idf(b) = ln(3/2)+1.
    m, vocab = similarity.tfidf_matrix([["a", "b"], ["a"]])
    assert vocab == ["a", "b"]
    idf_b = math.log(3 / 2) + 1
    norm = math.sqrt(1 + idf_b**2)
    assert np.allclose(m[0], [1 / norm, idf_b / norm])
    assert np.allclose(m[1], [1, 0])
    # cosine = 1/sqrt(1 + (1 + ln 1.5)^2) = 1/sqrt(2.9753) ≈ 0.5797
    assert float(m[0] @ m[1]) == pytest.approx(1 / norm)
    assert round(1 / norm, 4) == 0.5797


def test_propose_groups_links_similar_needs_only():
    items = [
        (1, "8英寸碳化硅单晶衬底生长工艺，降低微管密度"),
        (2, "碳化硅单晶生长微管密度高，衬底良率低"),
        (3, "重组人源胶原蛋白规模化发酵与纯化"),
        (4, "低渗透煤层气水平井分段压裂"),
        (5, "煤层气水平井分段压裂增产工艺"),
    ]
    groups = similarity.propose_groups(items, threshold=0.2)
    assert sorted(sorted(g.ids) for g in groups) == [[1, 2], [4, 5]]
    assert all(0.2 <= g.cohesion <= 1 for g in groups)
    assert "碳化硅" in next(g for g in groups if 1 in g.ids).keywords
    # A threshold of 1 links nothing; fewer than two items are never a group.
    assert similarity.propose_groups(items, threshold=1.01) == []
    assert similarity.propose_groups(items[:1]) == []


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.text(alphabet="碳化硅胶原蛋白煤层气压裂量子 ab", min_size=0, max_size=20), min_size=0, max_size=8
    )
)
def test_groups_partition_the_input(texts):
    items = list(enumerate(texts))
    groups = similarity.propose_groups(items, threshold=0.3)
    seen = [i for g in groups for i in g.ids]
    assert len(seen) == len(set(seen))  # a need is in at most one group
    assert all(len(g.ids) >= 2 for g in groups)


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


def office(kind: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "a.pdf", files.PDF),
        (office("docx"), "b.DOCX", files.DOCX),
        (office("xlsx"), "c.xlsx", files.XLSX),
    ],
)
def test_accepted_uploads(data, name, expected):
    assert files.check_upload(data, name) == expected


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.pdf", "empty_file"),
        (PDF, "a.exe", "bad_file_type"),
        (PDF, "noext", "bad_file_type"),
        (b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00", "a.pdf", "executable_file"),
        (b"plain text", "a.pdf", "file_type_mismatch"),
        (office("docx"), "a.xlsx", "file_type_mismatch"),
        (PDF, "a.docx", "file_type_mismatch"),
        (b"PK\x03\x04garbage", "a.docx", "file_type_mismatch"),
    ],
)
def test_refused_uploads(data, name, code):
    with pytest.raises(ApplicationError) as exc:
        files.check_upload(data, name)
    assert exc.value.code == code


def test_size_limit(settings):
    settings.KECHUANG_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ApplicationError) as exc:
        files.check_upload(PDF + b"x" * 100, "a.pdf")
    assert exc.value.code == "file_too_large"
    assert files.check_upload(PDF, "a.pdf") == files.PDF
