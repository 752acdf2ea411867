"""Macro-enabled Office files (.xlsm, .docm, .xltm, .dotm, .pptm) are refused by what they hold, whatever their
name (docs/security.md §39): the macro-enabled content types in `[Content_Types].xml`, a VBA project however
its part is called (by its relationship's type), with the XML's character references read as Office reads
them; and by their extension with the macro's reason, not "unsupported type". The zips are built by hand."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kechuang.core.exceptions import ApplicationError
from kechuang.core.uploads import DOCUMENTS, EVIDENCE, REPORTS, TABLES, check_upload

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

MAIN = {  # format: (main part, its macro-enabled content type, the plain one)
    "xlsm": (
        "xl/workbook.xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "xltm": (
        "xl/workbook.xml",
        "application/vnd.ms-excel.template.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "docm": (
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "dotm": (
        "word/document.xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "pptm": (
        "ppt/presentation.xml",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}


def _package(
    main: str,
    main_type: str,
    *,
    defaults: str = "",
    overrides: str = "",
    parts: dict[str, bytes] | None = None,
    main_rels: str = "",
    entries: list[tuple[str, bytes]] | None = None,
) -> bytes:
    """An Office package written entry by entry: `[Content_Types].xml`, the root relationships, the main part
    and its relationships, `parts`, then `entries` as they are (duplicates allowed)."""
    folder, base = main.rsplit("/", 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT_NS}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{defaults}'
            f'<Override PartName="/{main}" ContentType="{main_type}"/>{overrides}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" '
            f'Type="{OFFICE_REL}/officeDocument" Target="{main}"/></Relationships>',
        )
        z.writestr(main, "<root/>")
        if main_rels:
            z.writestr(
                f"{folder}/_rels/{base}.rels", f'<Relationships xmlns="{REL_NS}">{main_rels}</Relationships>'
            )
        for name, body in (parts or {}).items():
            z.writestr(name, body)
        for name, body in entries or []:
            z.writestr(name, body)
    return buf.getvalue()


def _macro_enabled(fmt: str) -> bytes:
    """The format's package as Office saves it: the macro-enabled main type and a VBA project."""
    main, macro_type, _plain = MAIN[fmt]
    folder = main.split("/", 1)[0]
    return _package(
        main,
        macro_type,
        defaults='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
        parts={f"{folder}/vbaProject.bin": OLE_HEADER},
        main_rels=f'<Relationship Id="rId9" Type="{VBA_REL}" Target="vbaProject.bin"/>',
    )


def _refused(data: bytes, name: str, allowed=DOCUMENTS) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        check_upload(data, name, allowed=allowed)
    return refused.value


@pytest.mark.parametrize("fmt", sorted(MAIN))
@pytest.mark.parametrize(
    "name", ["{fmt}-file.{fmt}", "renamed.xlsx", "renamed.docx", "renamed.pdf", "no-extension"]
)
def test_a_macro_enabled_package_is_refused_for_its_macros_whatever_its_name(fmt, name):
    refusal = _refused(_macro_enabled(fmt), name.format(fmt=fmt))
    assert refusal.code == "office_macro", (fmt, name, refusal.code)
    assert "宏" in str(refusal.message)


@pytest.mark.parametrize("fmt", sorted(MAIN))
def test_the_macro_enabled_main_type_alone_is_refused_under_a_plain_name(fmt):
    main, macro_type, _plain = MAIN[fmt]
    assert _refused(_package(main, macro_type), "plain.docx").code == "office_macro"


def test_a_vba_project_under_another_name_is_found_by_its_relationship():
    main, _macro, plain = MAIN["xlsm"]
    data = _package(
        main,
        plain,
        defaults='<Default Extension="dat" ContentType="application/octet-stream"/>',
        parts={"xl/printerSettings7.dat": OLE_HEADER},
        main_rels=f'<Relationship Id="rId9" Type="{VBA_REL}" Target="printerSettings7.dat"/>',
    )
    assert _refused(data, "表.xlsx", TABLES).code == "office_macro"


@pytest.mark.parametrize(
    "spelled",
    [
        "application/vnd.ms-office.vba&#80;roject",
        "application/vnd.ms-office.vba&#x50;roject",
        "application/vnd.ms-excel.sheet.macro&#69;nabled.main+xml",
    ],
)
def test_a_content_type_spelled_with_character_references_is_read_as_office_reads_it(spelled):
    main, _macro, plain = MAIN["xlsm"]
    data = _package(
        main,
        plain,
        overrides=f'<Override PartName="/xl/data7.bin" ContentType="{spelled}"/>',
        parts={"xl/data7.bin": OLE_HEADER},
    )
    assert _refused(data, "表.xlsx", TABLES).code == "office_macro"


def test_a_relationship_type_spelled_with_character_references_counts_too():
    main, _macro, plain = MAIN["docm"]
    data = _package(
        main,
        plain,
        parts={"word/settings9.bin": OLE_HEADER},
        main_rels=(
            '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/'
            'vba&#x50;roject" Target="settings9.bin"/>'
        ),
    )
    assert _refused(data, "报告.docx", REPORTS).code == "office_macro"


def test_a_package_naming_its_content_types_twice_is_not_stored():
    """Office and the check could read different copies of a part named twice (OPC: case-insensitive)."""
    main, macro, plain = MAIN["xlsm"]
    twice = (
        f'<Types xmlns="{CT_NS}"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main}" ContentType="{plain}"/></Types>'
    ).encode()
    with pytest.warns(UserWarning):  # zipfile warns on a duplicate name
        data = _package(main, macro, entries=[("[Content_Types].xml", twice)])
    assert _refused(data, "表.xlsx", TABLES).code == "office_unchecked"
    with pytest.warns(UserWarning, match="Duplicate"):
        data = _package(
            main, plain, entries=[("XL/WORKBOOK.XML", b"<root/>"), ("xl/workbook.xml", b"<root/>")]
        )
    assert _refused(data, "表.xlsx", TABLES).code == "office_unchecked"


@pytest.mark.parametrize("ext", [".xlsm", ".docm", ".xltm", ".dotm", ".pptm", ".XLSM"])
def test_a_macro_enabled_extension_is_refused_with_the_macros_reason(ext):
    """Even when the bytes hold no macro (a plain workbook renamed): the name says what Office will do."""
    main, _macro, plain = MAIN["xlsm"]
    refusal = _refused(_package(main, plain), f"数据{ext}", EVIDENCE)
    assert refusal.code == "office_macro"
    message = str(refusal.message)
    assert "启用宏" in message and ext.lower() in message and ".xlsx" in message


def test_the_reason_is_in_the_readers_language():
    with translation.override("en"):
        by_content = _refused(_macro_enabled("xlsm"), "book.xlsx")
        by_name = _refused(_package(MAIN["docm"][0], MAIN["docm"][2]), "report.docm")
    assert "macro" in str(by_content.message) and "宏" not in str(by_content.message)
    assert "macro" in str(by_name.message) and "宏" not in str(by_name.message)


def test_plain_packages_still_pass():
    for fmt, name, allowed in (("xlsm", "表.xlsx", TABLES), ("docm", "报告.docx", REPORTS)):
        main, _macro, plain = MAIN[fmt]
        hyperlink = (
            f'<Relationship Id="rId3" Type="{OFFICE_REL}/hyperlink" Target="https://www.example.cn/" '
            'TargetMode="External"/>'
        )
        assert check_upload(_package(main, plain, main_rels=hyperlink), name, allowed=allowed)


@pytest.mark.django_db
def test_the_evidence_page_says_why_a_xlsm_is_refused(staff, client_for):
    from kechuang.platforms.tests.factories import PlatformFactory

    platform = PlatformFactory()
    r = client_for(staff).post(
        f"/platforms/{platform.pk}/achievements/",
        {
            "kind": "other",
            "title": "成果",
            "year": 2024,
            "evidence": "",
            "evidence_file": SimpleUploadedFile("台账.pdf", _macro_enabled("xlsm")),
        },
        follow=True,
    )
    page = r.content.decode()
    assert "台账.pdf" in page and "含有宏" in page
    assert not platform.achievements.exists()
