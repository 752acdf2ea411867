"""Full precision in storage (issue #20 item 3, ADR 0015): a published series keeps every digit through import,
the database, the Excel export and the API, on SQLite and PostgreSQL (run this file with DATABASE_URL set to a
PostgreSQL database for the second); the EIS 2023 index computed from the stored values equals the unrounded
computation from the file; the migration from the old decimal column keeps the figures."""

import io
import json

import openpyxl
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from kechuang.indicators import formulas, selectors, services, specs
from kechuang.indicators.models import Framework, Indicator, Target, Value
from kechuang.indicators.tables import read_records
from kechuang.indicators.tests.test_eis_reproduction import reference_sii

# As a statistics office publishes them: more than six decimals, up to fifteen significant digits, tiny and large.
SERIES = {
    2019: "0.123456789012345",
    2020: "12345.6789012345",
    2021: "0.000000123456789012345",
    2022: "-3.14159265358979",
    2023: "98765432109.8765",
}
CSV = "unit_code,unit_name,year,indicator_code,indicator_name,value\n" + "".join(
    f"620000,甘肃省,{y},RD,研发强度,{v}\n" for y, v in SERIES.items()
)


@pytest.mark.django_db
def test_a_full_precision_series_round_trips_through_import_storage_export_and_api(
    staff, client_for, api_for
):
    report = services.values_import(actor=staff, data=CSV.encode(), filename="v.csv", dry_run=False)
    assert report.committed and not report.notes  # fifteen significant digits: a double holds them all
    Indicator.objects.filter(code="RD").update(published=True)
    # storage: read back from the database (a fresh query, not the objects written)
    stored = dict(Value.objects.filter(indicator__code="RD").values_list("year", "value"))
    assert stored == {y: float(v) for y, v in SERIES.items()}
    assert {y: repr(v) for y, v in stored.items()} == {
        y: repr(float(v)) for y, v in SERIES.items()
    }  # the shortest decimal of each double is the published text itself
    assert repr(stored[2019]) == "0.123456789012345"
    # export: the regions × years workbook carries the same doubles
    r = client_for(staff).get(reverse("indicators:indicator-detail", args=["RD"]), {"format": "table.xlsx"})
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    # region name first, the years, the code last (for machines; names since walker7's exports change)
    header, gansu = rows[0], next(row for row in rows[1:] if row[-1] == "620000")
    exported = {int(y): v for y, v in zip(header[1:-1], gansu[1:-1], strict=True)}
    assert exported == stored
    # API: JSON numbers whose text is the published figure
    r = api_for(staff).get("/api/indicators/values/", {"indicator": "RD", "page_size": 50})
    assert r.status_code == 200
    body = json.loads(r.content)
    results = body["results"] if isinstance(body, dict) else body
    assert {row["year"]: row["value"] for row in results} == stored
    assert all(isinstance(row["value"], float) for row in results)
    assert '"value":0.123456789012345' in r.content.decode().replace(" ", "")
    # and a figure typed through the API comes back as sent
    r = api_for(staff).post(
        "/api/indicators/values/",
        {"indicator": "RD", "region": "620000", "year": 2018, "value": 0.987654321098765},
        format="json",
    )
    assert r.status_code == 201 and r.json()["value"] == 0.987654321098765
    assert Value.objects.get(indicator__code="RD", year=2018).value == 0.987654321098765


@pytest.mark.django_db
def test_a_target_keeps_its_digits(staff):
    Indicator.objects.create(code="KJ", name_zh="科技")
    services.values_import(actor=staff, data=CSV.encode(), filename="v.csv", dry_run=False)
    services.target_set(
        actor=staff, indicator_code="RD", region="620000", year=2025, value="2.718281828459045"
    )
    assert Target.objects.values_list("value", flat=True).get() == 2.718281828459045


@pytest.mark.django_db
def test_eis_2023_from_the_stored_values_equals_the_unrounded_computation(staff):
    raw = specs.EIS_DATA.read_bytes()
    parsed = read_records(raw, specs.EIS_DATA.name)
    report = services.values_import(actor=staff, data=raw, filename=specs.EIS_DATA.name, dry_run=False)
    assert report.committed and report.created == len(parsed.records)
    fw = services.framework_install(actor=staff, spec=specs.shipped_spec("eis", "2023"))
    data, edition = selectors.framework_input(framework=Framework.objects.get(pk=fw.pk))
    assert edition == "EIS2023"
    codes = {c for (_, _, c) in data}
    assert data == {k: v for k, v in parsed.data().items() if k[2] in codes}  # every figure exactly as filed
    expected = reference_sii(parsed.data())
    run = services.index_run_create(actor=staff, framework=fw)
    rows = run.outputs["rows"]
    assert len(rows) == len(expected) == 39 * 8
    worst = max(abs(r["index"] - expected[(r["unit"], r["year"])]) for r in rows)
    assert worst < 1e-9, worst
    # the published three decimals are there too, and the stored run re-computes identically
    assert all(r["published"] == formulas.round_half_up(r["index"], 3) for r in rows)
    assert services.run_recompute(run)["rows"] == rows


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_doubles_keeps_the_figures():
    executor = MigrationExecutor(connection)
    before, after = ("indicators", "0002_framework_versions"), ("indicators", "0003_values_as_doubles")
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    ind = old.get_model("indicators", "Indicator").objects.create(code="RD", name_zh="研发")
    reg = old.get_model("indicators", "Region").objects.create(code="620000", name="甘肃省")
    OldValue, OldTarget = old.get_model("indicators", "Value"), old.get_model("indicators", "Target")
    from decimal import Decimal

    figures = ["1.120000", "0.123457", "-42.5", "12345678901234.123456", "0"]
    for year, text in enumerate(figures, start=2015):
        OldValue.objects.create(indicator=ind, region=reg, year=year, value=Decimal(text))
    OldTarget.objects.create(indicator=ind, region=reg, year=2025, value=Decimal("65.5"))
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    new = executor.loader.project_state([after]).apps
    kept = dict(new.get_model("indicators", "Value").objects.values_list("year", "value"))
    assert kept == {2015 + i: float(t) for i, t in enumerate(figures)}
    assert new.get_model("indicators", "Target").objects.get().value == 65.5
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM indicators_value WHERE year = 2016")
        assert cursor.fetchone()[0] == 0.123457  # a double in the column itself, not text or a decimal
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("indicators"))
