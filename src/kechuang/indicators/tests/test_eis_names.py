"""The EIS file names its indicators and countries in English only: a Chinese reader sees them in Chinese
(kechuang.indicators.eis_names), an English reader as the file names them; data imported before keeps working."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse

from kechuang.indicators import eis_names, services
from kechuang.indicators.models import Indicator, Region
from kechuang.indicators.specs import EIS_DATA
from kechuang.indicators.tables import read_records

pytestmark = pytest.mark.django_db

HEADER = "Column1,Indicator,Column2,Perf,Year,Zone,Country,CountryName,Region,RegionName,Level,Value\n"


def _eis_csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_every_indicator_and_unit_of_the_shipped_file_has_a_chinese_name():
    parsed = read_records(EIS_DATA.read_bytes(), EIS_DATA.name)
    for name in set(parsed.indicator_names().values()):
        assert eis_names.indicator_zh(name) != name, name
    for name in set(parsed.unit_names().values()):
        assert eis_names.unit_zh(name) != name, name


def test_an_eis_import_names_indicators_and_countries_in_both_languages(staff):
    data = _eis_csv(
        ",1.1.1 New doctorate graduates,,Strong,2023,EU,SE,Sweden,SE,Sweden,0,150.5",
        ",1.1.1 New doctorate graduates,,EU,2023,EU,EU Average,EU,EU,European Union,0,100",
        ",9.9.9 Quantum readiness,,Strong,2023,EU,SE,Sweden,SE,Sweden,0,80",
        ",5.5.2 Greenhouse gas emissions intensity of energy consumption  (SD),,Strong,2023,EU,SE,Sweden,SE,Sweden,0,1",
    )
    report = services.values_import(actor=staff, data=data, filename="eis.csv", dry_run=False)
    assert report.committed
    doctorates = Indicator.objects.get(code="1.1.1")
    assert (doctorates.name_zh, doctorates.name_en) == ("新增博士毕业生", "New doctorate graduates")
    assert Indicator.objects.get(code="5.5.2").name_zh == "能源消费温室气体排放强度（结构指标）"
    unknown = Indicator.objects.get(code="9.9.9")  # a later edition's indicator: kept as the file names it
    assert (unknown.name_zh, unknown.name_en) == ("Quantum readiness", "Quantum readiness")
    sweden = Region.objects.get(code="SE")
    assert (sweden.name, sweden.name_en) == ("瑞典", "Sweden")
    assert Region.objects.get(code="EU Average").name == "欧盟"


@pytest.mark.parametrize(
    "language, shown", [("zh-hans", "新增博士毕业生"), ("en", "New doctorate graduates")]
)
def test_the_catalogue_reads_in_the_pages_language(client, staff, language, shown):
    data = _eis_csv(",1.1.1 New doctorate graduates,,Strong,2023,EU,SE,Sweden,SE,Sweden,0,150.5")
    services.values_import(actor=staff, data=data, filename="eis.csv", dry_run=False, publish_new=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("indicators:indicator-list")).content.decode()
    assert shown in page


def test_data_imported_before_gets_its_chinese_names_and_a_changed_name_is_kept():
    Indicator.objects.create(
        code="1.1.1", name_zh="New doctorate graduates", name_en="New doctorate graduates"
    )
    Indicator.objects.create(
        code="1.1.2", name_zh="高学历人口（自定）", name_en="Population with tertiary education"
    )
    Indicator.objects.create(
        code="5.5.2",
        name_zh="Greenhouse gas emissions intensity of energy consumption  (SD)",
        name_en="Greenhouse gas emissions intensity of energy consumption  (SD)",
    )
    Region.objects.create(code="SE", name="Sweden", name_en="Sweden", level="country", region_set="eis")
    Region.objects.create(code="XX", name="Sweden", name_en="Sweden", level="country", region_set="cn")
    migration = importlib.import_module("kechuang.indicators.migrations.0006_eis_chinese_names")
    migration.forwards(django_apps, None)
    assert Indicator.objects.get(code="1.1.1").name_zh == "新增博士毕业生"
    assert Indicator.objects.get(code="1.1.2").name_zh == "高学历人口（自定）"
    assert Indicator.objects.get(code="5.5.2").name_zh == "能源消费温室气体排放强度（结构指标）"
    assert Region.objects.get(code="SE").name == "瑞典"
    assert Region.objects.get(code="XX").name == "Sweden"  # not an EIS unit: untouched
