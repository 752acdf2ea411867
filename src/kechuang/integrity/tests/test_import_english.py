"""The integrity findings import in English (people26, docs/adr/0019): a file headed in English is read as one
headed in Chinese (its subject types and restrictions by their labels in either language); a refused row
names its column in the reader's language, with its line; the template is headed in the reader's language and,
filled in, imports under either reader; the page lists the columns and offers the template."""

import pytest
from django.utils import translation

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError
from kechuang.core.tests.workbooks import filled, template_of
from kechuang.integrity import services
from kechuang.integrity.models import Record

pytestmark = pytest.mark.django_db

ZH_HEADER = "对象类型,姓名,单位,来源,处理决定,决定日期,限制事项,限制起始日,限制截止日,查实的问题\n"
EN_HEADER = (
    "Subject type,Name,Unit,Source,Decision,Date of decision,Restrictions,Restrictions from,"
    "Restrictions until,Findings\n"
)
ROWS_ZH = (
    "单位,,甲公司,省科技厅通报,三年内不得申报,2025-01-10,不得申报项目、不得立项或获奖,,2028-01-09,伪造报告\n"
    "个人,赵六,甲公司,科技部通报,取消专家资格,2024/06/01,不得担任评审专家,2024-06-01,,\n"
)
ROWS_EN = (
    "Unit,,甲公司,省科技厅通报,三年内不得申报,2025-01-10,No applications; No awards,,2028-01-09,伪造报告\n"
    "Person,赵六,甲公司,科技部通报,取消专家资格,2024/06/01,No expert work,2024-06-01,,\n"
)
BAD = (
    "团体,,甲公司,通报,决定,2025-01-10,不得申报项目,,,\n"  # 2: subject type
    "单位,,甲公司,通报,决定2,明年,不得申报项目,,,\n"  # 3: date
    "单位,,甲公司,通报,决定3,2025-01-10,禁止出国,,,\n"  # 4: restriction
)


def _import(data: bytes, actor, language: str, filename="r.csv", dry_run=True):
    with translation.override(language):
        return services.record_import(actor=actor, data=data, filename=filename, dry_run=dry_run)


def _written():
    return sorted(
        (r.subject_kind, r.person_name, r.decision, r.bars_applying, r.bars_expert_work, r.bars_awards)
        for r in Record.objects.all()
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_english_headed_file_imports_the_same_rows_as_a_chinese_one(staff, language):
    UnitFactory(name="甲公司")
    report = _import((ZH_HEADER + ROWS_ZH).encode(), staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    chinese = _written()
    Record.objects.all().delete()
    report = _import((EN_HEADER + ROWS_EN).encode(), staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    assert _written() == chinese
    assert ("unit", "", "三年内不得申报", True, False, True) in chinese


@pytest.mark.parametrize("header", [EN_HEADER, ZH_HEADER], ids=["english-headed", "chinese-headed"])
def test_a_refused_row_names_its_column_in_the_readers_language(staff, header):
    UnitFactory(name="甲公司")
    data = (header + BAD).encode()
    en = _import(data, staff, "en")
    assert [(e.line, e.field) for e in en.errors] == [
        (2, "Subject type"),
        (3, "Date of decision"),
        (4, "Restrictions"),
    ]
    assert "Person" in en.errors[0].message and "个人" not in en.errors[0].message
    assert "No applications" in en.errors[2].message and "不得申报项目" not in en.errors[2].message
    zh = _import(data, staff, "zh-hans")
    assert [(e.line, e.field) for e in zh.errors] == [(2, "对象类型"), (3, "决定日期"), (4, "限制事项")]
    assert "个人" in zh.errors[0].message
    assert not Record.objects.exists()


def test_a_missing_column_is_named_in_the_readers_words(staff):
    data = "Subject type,Unit\nUnit,甲公司\n".encode()
    with pytest.raises(ApplicationError) as en:
        _import(data, staff, "en")
    assert "Decision" in str(en.value.message) and "处理决定" not in str(en.value.message)
    with pytest.raises(ApplicationError) as zh:
        _import(data, staff, "zh-hans")
    assert "处理决定" in str(zh.value.message)


def test_restrictions_separated_by_spaces_are_still_read(staff):
    UnitFactory(name="甲公司")
    data = (ZH_HEADER + "单位,,甲公司,通报,决定,2025-01-10,不得申报项目 不得立项或获奖,,,\n").encode()
    report = _import(data, staff, "zh-hans", dry_run=False)
    assert report.committed, report.errors
    record = Record.objects.get()
    assert record.bars_applying and record.bars_awards


@pytest.mark.parametrize("in_english", [True, False], ids=["english-page", "chinese-page"])
def test_the_template_is_headed_in_the_readers_language_and_imports_back(
    staff, english_client_for, client_for, in_english
):
    UnitFactory(name="甲公司")
    client = english_client_for(staff) if in_english else client_for(staff)
    header, book = template_of(client, "/integrity/import/?template=xlsx")
    assert header == list(services.headings(english=in_english).values())
    assert header[:2] == (["Subject type", "Name"] if in_english else ["对象类型", "姓名"])
    data = filled(book, (ROWS_EN if in_english else ROWS_ZH).splitlines()[0].split(","))
    for language in ("en", "zh-hans"):
        report = _import(data, staff, language, filename="r.xlsx")
        assert report.ok and report.created == 1, report.errors


def test_the_import_page_lists_the_columns_and_offers_the_template(staff, english_client_for, client_for):
    page = english_client_for(staff).get("/integrity/import/").content.decode()
    assert "Columns: Subject type, Name, Unit" in page and "?template=xlsx" in page
    assert "对象类型" not in page
    assert "对象类型、姓名、单位" in client_for(staff).get("/integrity/import/").content.decode()
