"""The needs import in English (people26, docs/adr/0019): a file headed in English imports the same rows as one
headed in Chinese (urgency by its label in either language); a refused row names its column in the reader's
language with its line, never a field's own name; the template is headed in the reader's language and, filled
in, imports under either reader; the page lists the columns and offers the template."""

import pytest
from django.utils import translation

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import services
from kechuang.challenges.models import Need
from kechuang.core.exceptions import ApplicationError
from kechuang.core.tests.workbooks import filled, template_of

pytestmark = pytest.mark.django_db

ZH_HEADER = "需求名称,需求单位,技术难题,期望指标,配套经费,产业,紧迫程度\n"
EN_HEADER = (
    "Need title,Requesting unit,Technical problem,Expected indicators,Matching funding,Industry,Urgency\n"
)
ROWS_ZH = "碳化硅衬底,甲公司,良率低,8英寸,500,新材料,紧急\n石墨烯膜,甲公司,导热差,,,新材料,\n"
ROWS_EN = "碳化硅衬底,甲公司,良率低,8英寸,500,新材料,Very urgent\n石墨烯膜,甲公司,导热差,,,新材料,\n"
BAD = (
    "胶原蛋白,乙公司,产量低,,0,生物医药,一般\n"  # 2: unknown unit
    "石墨烯膜,甲公司,导热差,,五百,新材料,较急\n"  # 3: budget not a number
    "量子芯片,甲公司,保真度低,,0,,非常急\n"  # 4: urgency
    ",甲公司,没有名称,,0,,\n"  # 5: no title (the model's own rule)
)


def _import(data: bytes, actor, language: str, filename="n.csv", dry_run=True):
    with translation.override(language):
        return services.needs_import(actor=actor, data=data, filename=filename, dry_run=dry_run)


def _written():
    return sorted((n.title, n.problem, n.urgency, n.cofund_budget) for n in Need.objects.all())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_english_headed_file_imports_the_same_rows_as_a_chinese_one(staff, language):
    UnitFactory(name="甲公司")
    report = _import((ZH_HEADER + ROWS_ZH).encode(), staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    chinese = _written()
    Need.objects.all().delete()
    report = _import((EN_HEADER + ROWS_EN).encode(), staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    assert _written() == chinese
    assert [u for _t, _p, u, _b in chinese] == ["medium", "high"]


@pytest.mark.parametrize("header", [EN_HEADER, ZH_HEADER], ids=["english-headed", "chinese-headed"])
def test_a_refused_row_names_its_column_in_the_readers_language(staff, header):
    UnitFactory(name="甲公司")
    data = (header + BAD).encode()
    en = _import(data, staff, "en")
    assert [(e.line, e.field) for e in en.errors] == [
        (2, "Requesting unit"),
        (3, "Matching funding"),
        (4, "Urgency"),
        (5, "Need title"),
    ]
    assert "Normal" in en.errors[2].message and "一般" not in en.errors[2].message
    zh = _import(data, staff, "zh-hans")
    assert [(e.line, e.field) for e in zh.errors] == [
        (2, "需求单位"),
        (3, "配套经费"),
        (4, "紧迫程度"),
        (5, "需求名称"),
    ]
    assert not Need.objects.exists()


def test_a_missing_column_is_named_in_the_readers_words(staff):
    data = "Need title,Requesting unit\nx,甲公司\n".encode()
    with pytest.raises(ApplicationError) as en:
        _import(data, staff, "en")
    assert "Technical problem" in str(en.value.message) and "技术难题" not in str(en.value.message)
    with pytest.raises(ApplicationError) as zh:
        _import(data, staff, "zh-hans")
    assert "技术难题" in str(zh.value.message)


@pytest.mark.parametrize("in_english", [True, False], ids=["english-page", "chinese-page"])
def test_the_template_is_headed_in_the_readers_language_and_imports_back(
    staff, english_client_for, client_for, in_english
):
    UnitFactory(name="甲公司")
    client = english_client_for(staff) if in_english else client_for(staff)
    header, book = template_of(client, "/challenges/needs/import/?template=xlsx")
    assert header == list(services.NEEDS_IMPORT_HEADINGS.local(english=in_english).values())
    assert header[:2] == (["Need title", "Requesting unit"] if in_english else ["需求名称", "需求单位"])
    data = filled(book, (ROWS_EN if in_english else ROWS_ZH).splitlines()[0].split(","))
    for language in ("en", "zh-hans"):
        report = _import(data, staff, language, filename="n.xlsx")
        assert report.ok and report.created == 1, report.errors


def test_the_import_page_lists_the_columns_and_offers_the_template(staff, english_client_for, client_for):
    page = english_client_for(staff).get("/challenges/needs/import/").content.decode()
    assert "Columns: Need title, Requesting unit, Technical problem" in page and "?template=xlsx" in page
    assert "需求名称" not in page
    assert (
        "需求名称、需求单位、技术难题" in client_for(staff).get("/challenges/needs/import/").content.decode()
    )
