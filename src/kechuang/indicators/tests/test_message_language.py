"""The formulas' refusals, an import's notes and the index command speak the reader's language."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from kechuang.indicators import formulas, services, specs
from kechuang.indicators.tables import read_records
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory


def test_a_formula_error_is_worded_when_read_not_when_raised():
    with translation.override("zh-hans"), pytest.raises(formulas.FormulaError) as caught:
        formulas.parse_reference("EU")
    with translation.override("en"):
        assert str(caught.value) == 'Write the reference unit as "UNIT:YEAR", e.g. EU:2016; received: EU'
    assert str(caught.value) == "参照单位应写作“单位:年份”，例如 EU:2016；收到：EU"


def test_a_list_in_a_formula_error_is_joined_as_the_language_lists():
    with pytest.raises(formulas.FormulaError) as caught:
        specs.shipped_spec("nope")
    with translation.override("en"):
        assert "(available: cn-csti, eis, " in str(caught.value)
    assert "（可用：cn-csti、eis、" in str(caught.value)


def test_the_contribution_page_in_english_refuses_in_english(client, english):
    english(client)
    params = {
        "mode": "rates",
        "output_growth": 0,
        "capital_growth": 1,
        "labour_growth": 1,
        "alpha": 0.3,
        "beta": 0.7,
    }
    page = client.get(reverse("indicators:contribution"), params).content.decode()
    assert "The contribution rate is undefined when output growth is zero." in page
    assert "无定义" not in page


@pytest.mark.django_db
def test_the_api_gives_a_formula_refusal_as_a_400_reason_in_the_requests_language(api_for, staff, english):
    fw = FrameworkFactory()
    IndicatorFactory(code="A.x")
    RegionFactory(code="U")
    services.value_record(actor=staff, indicator_code="A.x", region="U", year=2020, value=5)
    api = api_for(staff)
    english(api)
    r = api.post("/api/indicators/runs/", {"framework": fw.pk, "reference": "XX:2020"}, format="json")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "formula_error"
    assert r.json()["error"]["message"].startswith("The data have no reference unit XX (codes accepted: XX)")


def test_import_notes_and_row_errors_in_english():
    data = b"region,year,1.1 Doctorates,remarks\nU,2020,3,x\nU,20x0,4,y\n"
    with translation.override("en"):
        parsed = read_records(data, "wide.csv")
    assert parsed.notes == [
        'Column "remarks" is not an indicator column (its header should begin with an indicator code); ignored.'
    ]
    assert [e.message for e in parsed.errors] == ["Invalid year: 20x0"]


@pytest.mark.django_db
def test_the_index_command_speaks_english_when_english_is_named(tmp_path):
    # the language is the operator's (--language, as the other operator commands), not the one active
    with pytest.raises(CommandError, match=r"There is no framework nope"):
        call_command(
            "index",
            "compute",
            "--framework",
            "nope",
            "--data",
            str(specs.EIS_DATA),
            language="en",
            stderr=io.StringIO(),
        )
    out = tmp_path / "x.csv"
    err = io.StringIO()
    call_command(
        "index",
        "compute",
        "--framework",
        "eis",
        "--data",
        str(specs.EIS_DATA),
        "--csv",
        str(out),
        "--language",
        "en",
        stderr=err,
    )
    assert "Wrote " in err.getvalue() and "已写入" not in err.getvalue()
