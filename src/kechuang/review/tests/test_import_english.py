"""The expert import in English (people25, docs/adr/0019): its template, the import page and the refusals name
the columns in the reader's language; a file headed in English is read as one headed in Chinese, by either
reader; the template from either page, filled in, imports under either reader."""

import pytest
from django.utils import translation

from kechuang.accounts.models import User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError
from kechuang.core.tests.workbooks import filled, template_of
from kechuang.review import services
from kechuang.review.models import ExpertProfile

pytestmark = pytest.mark.django_db

ZH_HEADER = "姓名,单位,邮箱,联系电话,职称,学科,关键词,省份,城市,年度上限\n"
EN_HEADER = "Name,Unit,E-mail,Phone,Title,Disciplines,Keywords,Province,City,Yearly limit\n"
ROWS = (
    "张三,山西大学,zhang@example.org,,教授,机械工程,刀具,,太原,20",  # 2: fine
    ",山西大学,li@example.org,,,,,,,",  # 3: no name
    "王五,不存在的单位,wang@example.org,,,,,,,abc",  # 4: unknown unit, bad cap
    "赵六,山西大学,zhao@example.org,,,量子玄学,,火星,,",  # 5: unknown discipline and province
    "钱七,山西大学,,,,,,,,",  # 6: a new expert without an address
)


def _import(data: bytes, actor, language: str, filename="e.csv", dry_run=True):
    with translation.override(language):
        return services.expert_import(actor=actor, data=data, filename=filename, dry_run=dry_run)


@pytest.mark.parametrize("header", [EN_HEADER, ZH_HEADER], ids=["english-headed", "chinese-headed"])
def test_either_file_is_refused_row_by_row_in_the_readers_language(staff, header):
    UnitFactory(name="山西大学")
    data = (header + "\n".join(ROWS) + "\n").encode()
    en = _import(data, staff, "en")
    assert [(e.line, e.field) for e in en.errors] == [
        (3, "Name"),
        (4, "Unit"),
        (4, "Yearly limit"),
        (5, "Disciplines"),
        (5, "Province"),
        (6, "E-mail"),
    ]
    assert en.errors[0].message == "The name cannot be empty."
    zh = _import(data, staff, "zh-hans")
    assert [(e.line, e.field) for e in zh.errors] == [
        (3, "姓名"),
        (4, "单位"),
        (4, "年度上限"),
        (5, "学科"),
        (5, "省份"),
        (6, "邮箱"),
    ]
    assert zh.errors[0].message == "姓名不能为空。"
    assert not ExpertProfile.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_english_headed_file_is_written_like_a_chinese_one(staff, language):
    UnitFactory(name="山西大学")
    data = (EN_HEADER + ROWS[0] + "\n").encode()
    report = _import(data, staff, language, dry_run=False)
    assert report.committed and report.created == 1, report.errors
    profile = ExpertProfile.objects.get(user__email="zhang@example.org")
    assert (profile.title, profile.city, profile.yearly_cap, profile.keywords) == (
        "教授",
        "太原市",
        20,
        ["刀具"],
    )
    assert profile.disciplines and profile.status == ExpertProfile.Status.APPROVED


def test_a_missing_column_is_named_in_the_readers_words(staff):
    data = "Name,E-mail\n张三,zhang@example.org\n".encode()
    with pytest.raises(ApplicationError) as en:
        _import(data, staff, "en")
    assert "Unit" in str(en.value.message) and "单位" not in str(en.value.message)
    with pytest.raises(ApplicationError) as zh:
        _import(data, staff, "zh-hans")
    assert "单位" in str(zh.value.message)


@pytest.mark.parametrize("in_english", [True, False], ids=["english-page", "chinese-page"])
def test_the_template_is_headed_in_the_readers_language_and_imports_back(
    staff, english_client_for, client_for, in_english
):
    UnitFactory(name="山西大学")
    client = english_client_for(staff) if in_english else client_for(staff)
    header, book = template_of(client, "/review/experts/import/?template=xlsx")
    assert header == list(services.expert_import_headings(english=in_english).values())
    assert header[:3] == (["Name", "Unit", "E-mail"] if in_english else ["姓名", "单位", "邮箱"])
    data = filled(book, ROWS[0].split(","))
    for language in ("en", "zh-hans"):
        report = _import(data, staff, language, filename="e.xlsx", dry_run=True)
        assert report.ok and report.created == 1, report.errors
    assert _import(data, staff, "en", filename="e.xlsx", dry_run=False).committed
    assert User.objects.filter(email="zhang@example.org").exists()


def test_the_import_page_lists_the_columns_in_the_readers_language(staff, english_client_for, client_for):
    page = english_client_for(staff).get("/review/experts/import/").content.decode()
    assert "Columns: Name, Unit, E-mail, Phone" in page and "Download the import template" in page
    assert "姓名" not in page
    assert "姓名、单位、邮箱、联系电话" in client_for(staff).get("/review/experts/import/").content.decode()
