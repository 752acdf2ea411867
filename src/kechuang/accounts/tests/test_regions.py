"""A unit's administrative division (行政区划代码) is never typed: it is read from the unit's unified social
credit code (characters 3-8) when it has one, else staff pick it by name from a list; the units import reads
it from the code too, and an explicit column still imports, six digits that agree with the code."""

import pytest
from django.utils import translation

from kechuang.accounts import importer, services
from kechuang.accounts.forms import UnitForm
from kechuang.accounts.models import Unit
from kechuang.accounts.regions import region_choices, region_from_credit_code, region_name
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.accounts.validators import credit_code_check_char
from kechuang.core.models import AuditEvent


def code_in(region: str, n: int = 1) -> str:
    """A valid credit code registered in `region`."""
    body = f"91{region}{n:09d}"
    return body + credit_code_check_char(body)


# The pure part: no database.


def test_the_division_is_characters_3_to_8_of_a_valid_credit_code():
    assert region_from_credit_code(code_in("140700")) == "140700"
    assert region_from_credit_code(" " + code_in("620100").lower()) == "620100"
    assert region_from_credit_code("91140700000000001X") == ""  # a wrong check character: nothing read
    assert region_from_credit_code("") == ""


def test_a_division_is_named_as_near_as_the_list_knows_it():
    assert region_name("140100") == "山西省太原市"
    assert region_name("140105") == "山西省太原市"  # a district of Taiyuan
    assert region_name("140000") == "山西省"
    assert region_name("320583") == "江苏省苏州市"  # a county-level city under Suzhou
    assert region_name("110105") == "北京市"  # a municipality's district
    assert region_name("990000") == region_name("") == region_name("14010") == ""
    with translation.override("en"):
        assert region_name("140100") == "Taiyuan, Shanxi"


def test_the_list_groups_cities_under_their_province_by_name():
    groups = dict(region_choices()[1:])
    shanxi = dict(groups["山西省"])
    assert shanxi["140000"] == "山西省（省级）" and shanxi["140700"] == "晋中市" and len(shanxi) == 12
    assert dict(groups["甘肃省"])["620100"] == "兰州市"
    assert dict(groups["北京市"]) == {"110000": "北京市（省级）"}


# Model, services, forms, pages.

pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_a_unit_with_a_credit_code_takes_its_division_from_it(staff):
    unit = services.unit_create(
        actor=staff,
        name="晋中传感公司",
        kind="enterprise",
        credit_code=code_in("140700"),
        region_code="620100",
    )
    assert unit.region_code == "140700"
    services.unit_update(actor=staff, unit=unit, credit_code=code_in("140200", 2))
    unit.refresh_from_db()
    assert unit.region_code == "140200"


@pytestmark_db
def test_an_approved_change_of_credit_code_brings_its_division(staff, make_user):
    unit = services.unit_create(
        actor=staff, name="朔州煤机公司", kind="enterprise", credit_code=code_in("140600")
    )
    user = make_user("applicant", unit=unit)
    _unit, cr = services.unit_update_or_request(
        actor=user, unit=unit, fields={"credit_code": code_in("140800", 4)}
    )
    services.unit_change_request_decide(actor=staff, change_request=cr, approve=True)
    unit.refresh_from_db()
    assert unit.region_code == "140800"


@pytestmark_db
def test_a_unit_without_a_credit_code_keeps_the_division_staff_picked(staff):
    unit = services.unit_create(actor=staff, name="晋中学院", kind="university", region_code="140700")
    assert unit.region_code == "140700" and unit.region_name == "山西省晋中市"


@pytestmark_db
def test_the_forms_offer_a_list_by_name_never_a_box_to_type_in(client):
    page = client.get("/accounts/register/").content.decode()
    assert '<select name="region_code"' in page and 'name="region_code" type="text"' not in page
    assert '<optgroup label="山西省">' in page and ">晋中市</option>" in page


@pytestmark_db
def test_a_code_not_on_the_list_is_refused_and_the_form_kept():
    form = UnitForm(data={"name": "某研究院", "kind": "institute", "region_code": "999999"})
    assert not form.is_valid() and "region_code" in form.errors
    assert form["name"].value() == "某研究院"


@pytestmark_db
def test_the_edit_form_shows_the_division_read_from_the_code_and_ignores_a_posted_one(staff, client_for):
    unit = services.unit_create(
        actor=staff, name="大同装备公司", kind="enterprise", credit_code=code_in("140200")
    )
    form = UnitForm(instance=unit)
    assert form.fields["region_code"].disabled
    page = client_for(staff).get(f"/accounts/units/{unit.pk}/edit/").content.decode()
    assert "由统一社会信用代码第3至8位得出" in page
    data = {"name": unit.name, "kind": "enterprise", "credit_code": unit.credit_code, "region_code": "620100"}
    r = client_for(staff).post(f"/accounts/units/{unit.pk}/edit/", data)
    assert r.status_code == 302
    unit.refresh_from_db()
    assert unit.region_code == "140200"


@pytestmark_db
def test_a_district_read_from_a_code_stays_selectable_when_the_code_is_cleared(staff):
    unit = services.unit_create(
        actor=staff, name="小店研究院", kind="institute", credit_code=code_in("140105")
    )
    assert unit.region_code == "140105"
    form = UnitForm(
        instance=unit,
        data={"name": unit.name, "kind": "institute", "credit_code": "", "region_code": "140105"},
    )
    assert form.is_valid(), form.errors
    assert ("140105", "山西省太原市") in form.fields["region_code"].choices  # by name, never the code


@pytestmark_db
def test_the_unit_page_names_the_division(staff, client_for):
    unit = services.unit_create(
        actor=staff, name="兰州材料公司", kind="enterprise", credit_code=code_in("620100")
    )
    page = client_for(staff).get(unit.get_absolute_url()).content.decode()
    assert "<dd>甘肃省兰州市</dd>" in page  # the name only, no code beside it


@pytestmark_db
def test_the_api_refuses_a_division_that_contradicts_the_credit_code(staff, api_for):
    api = api_for(staff)
    body = {
        "name": "白银电池公司",
        "kind": "enterprise",
        "credit_code": code_in("620400"),
        "region_code": "140100",
    }
    r = api.post("/api/units/", body, format="json")
    assert r.status_code == 400 and "region_code" in r.json()["error"]["fields"]
    said = str(r.json()["error"]["fields"]["region_code"])
    assert "山西省太原市" in said and "甘肃省白银市" in said and "140100" not in said
    del body["region_code"]
    r = api.post("/api/units/", body, format="json")
    assert r.status_code == 201 and r.json()["region_code"] == "620400"
    r = api.post("/api/units/", {"name": "某医院", "kind": "hospital", "region_code": "62010"}, format="json")
    assert r.status_code == 400 and "region_code" in r.json()["error"]["fields"]


# The units import.

HEADER = "单位名称,单位类型,统一社会信用代码,省份,城市,行政区划代码\n"


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(lines) + "\n").encode()


@pytestmark_db
def test_the_import_reads_the_division_from_the_credit_code_without_the_column(staff):
    data = _csv(
        f"天水机床公司,企业,{code_in('620500')},甘肃,天水",
        header="单位名称,单位类型,统一社会信用代码,省份,城市\n",
    )
    report = importer.unit_import(actor=staff, data=data, filename="units.csv", dry_run=False)
    assert report.committed, report.errors
    assert Unit.objects.get(name="天水机床公司").region_code == "620500"


@pytestmark_db
def test_the_import_takes_an_explicit_column_checked(staff):
    good = _csv(
        f"天水机床公司,企业,{code_in('620500')},甘肃,天水,620500",  # the same as the code: fine
        f"金昌镍业公司,企业,{code_in('620300', 2)},甘肃,金昌,",  # empty: from the code
        "晋中学院,高等院校,,山西,晋中,140700",  # no code: the column
    )
    report = importer.unit_import(actor=staff, data=good, filename="units.csv", dry_run=False)
    assert report.committed, report.errors
    got = dict(
        Unit.objects.filter(name__in=["天水机床公司", "金昌镍业公司", "晋中学院"]).values_list(
            "name", "region_code"
        )
    )
    assert got == {"天水机床公司": "620500", "金昌镍业公司": "620300", "晋中学院": "140700"}

    bad = _csv(
        f"白银电池公司,企业,{code_in('620400', 3)},甘肃,白银,140100",  # contradicts the code
        "吕梁学院,高等院校,,山西,吕梁,14110",  # not six digits
    )
    report = importer.unit_import(actor=staff, data=bad, filename="units.csv", dry_run=False)
    assert not report.committed
    errors = {(e.line, e.field): e.message for e in report.errors}
    said = errors[2, "行政区划代码"]
    assert "山西省太原市" in said and "甘肃省白银市" in said and "不一致" in said and "620400" not in said
    with translation.override("en"):  # read later in English: the divisions by their English names
        said = next(e.text for e in report.errors if e.line == 2)
        assert "Taiyuan, Shanxi" in said and "Baiyin, Gansu" in said
    assert "6位数字" in errors[3, "行政区划代码"]


@pytestmark_db
def test_an_export_imports_back_with_its_divisions(staff):
    UnitFactory(name="旧数据公司", credit_code=code_in("140400"), region_code="140400")
    UnitFactory(name="旧数据学院", kind="university", credit_code="", region_code="140400")
    units = Unit.objects.filter(name__in=["旧数据公司", "旧数据学院"]).order_by("name")
    header = ",".join(importer.EXPORT_HEADERS) + "\n"
    rows = "\n".join(",".join(str(c) for c in row) for row in importer.export_rows(units))
    report = importer.unit_import(actor=staff, data=(header + rows + "\n").encode(), filename="u.csv")
    assert report.ok, report.errors


@pytestmark_db
def test_an_older_unit_gets_the_division_of_its_code_at_its_next_change_saved_as_audited(staff):
    unit = UnitFactory(name="旧数据单位", credit_code=code_in("140900"), region_code="")  # stored before
    services.unit_update(actor=staff, unit=unit, address="忻州市某路1号")
    unit.refresh_from_db()
    assert unit.region_code == "140900" and unit.address == "忻州市某路1号"
    event = AuditEvent.objects.get(action="unit.update", object_id=str(unit.pk))
    assert event.before["region_code"] == "" and event.after["region_code"] == "140900"
