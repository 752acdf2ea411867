"""A unit's short name that names no place (省科技厅) links only in a report of the unit's own province (issue #15:
a unit of another province is never matched to this department's own). The demo's sample report is 甘肃's; the
department is 山西's: its 省科技厅 had been linked to 山西省科学技术厅 at 100."""

import pytest

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.ingest import services
from kechuang.ingest.services.analysis import for_report, registry_snapshot, report_province

pytestmark = pytest.mark.django_db

TEXT = "省科技厅会同兰州大学、中北大学召开推进会，省科技厅印发实施方案，新建重点实验室12个。".encode()


@pytest.fixture
def units(settings):
    settings.KECHUANG_HOME_REGION = "山西"
    department = UnitFactory(
        name="山西省科学技术厅",
        short_name="省科技厅",
        kind=Unit.Kind.GOVERNMENT,
        credit_code="",
        region_code="140100",
        status=Unit.Status.VERIFIED,
    )
    zhongbei = UnitFactory(
        name="中北大学", short_name="中北", university=True, region_code="140100", status=Unit.Status.VERIFIED
    )
    return department, zhongbei


def _linked(document):
    return {(m.text, m.target_id) for m in document.mentions.all() if m.target_id}


@pytest.mark.parametrize(
    ("region", "province"),
    [
        ("甘肃", "620000"),
        ("Gansu", "620000"),
        ("兰州", "620000"),
        ("", "140000"),
        ("山西省", "140000"),
        ("EU Average", None),
    ],
)
def test_the_report_province_is_its_region_or_the_department_own(settings, region, province):
    settings.KECHUANG_HOME_REGION = "山西"
    assert report_province(region) == province


def test_another_province_report_does_not_link_its_department_to_ours(units, staff):
    department, zhongbei = units
    document, _ = services.document_ingest(actor=staff, data=TEXT, filename="gansu.txt", region="甘肃")
    linked = _linked(document)
    assert ("省科技厅", department.pk) not in linked
    assert all(target != department.pk for _text, target in linked)
    assert zhongbei.pk in {target for _text, target in linked}  # a name of its own still links


@pytest.mark.parametrize("region", ["", "山西"])
def test_own_province_report_links_the_department(units, staff, region):
    department, _ = units
    document, _ = services.document_ingest(actor=staff, data=TEXT, filename="own.txt", region=region)
    assert ("省科技厅", department.pk) in _linked(document)


def test_a_region_that_names_no_province_links_no_place_less_short_name(units):
    department, zhongbei = units
    entries = {
        pk: aliases for pk, _name, aliases in for_report(registry_snapshot(), "EU Average", "")["unit"]
    }
    assert entries[department.pk] == [] and entries[zhongbei.pk] == ["中北"]


def test_with_no_region_the_places_the_report_names_decide(settings):
    settings.KECHUANG_HOME_REGION = "山西"
    assert report_province("", "兰州、天水、定西三市联合攻关，省科技厅支持。") == "620000"
    assert report_province("", "太原、大同两市与兰州合作。") == "140000"
    assert report_province("", "兰州与太原合作。") == "140000"  # a tie: the department's own
    assert report_province("", "全省新建重点实验室12个。") == "140000"


def test_the_sample_report_uploaded_with_no_region_keeps_its_department_unlinked(units, staff):
    from .golden import SAMPLE

    department, _ = units
    document, _ = services.document_ingest(actor=staff, data=SAMPLE.read_bytes(), filename=SAMPLE.name)
    assert not document.mentions.filter(target_id=department.pk).exists()


def test_changing_the_region_links_the_mentions_afresh(units, staff):
    department, _ = units
    document, _ = services.document_ingest(actor=staff, data=TEXT, filename="later.txt", region="甘肃")
    assert ("省科技厅", department.pk) not in _linked(document)
    services.document_update(actor=staff, document=document, title=document.title, year=None, region="山西")
    document.refresh_from_db()
    assert ("省科技厅", department.pk) in _linked(document)
    services.document_update(actor=staff, document=document, title=document.title, year=None, region="甘肃")
    assert ("省科技厅", department.pk) not in _linked(document)


def test_the_document_page_names_its_region_in_the_reader_language(units, staff, english_client_for):
    from kechuang.indicators.tests.factories import RegionFactory

    RegionFactory(code="620000", name="甘肃", name_en="Gansu")
    document, _ = services.document_ingest(actor=staff, data=TEXT, filename="gansu.txt", region="甘肃")
    page = english_client_for(staff).get(document.get_absolute_url()).content.decode()
    assert "Gansu" in page and "/ 甘肃" not in page
