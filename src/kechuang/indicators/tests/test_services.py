"""Services: permissions re-checked, every change audited, imports all-or-nothing, runs reproducible."""

from decimal import Decimal

import pytest
from django.utils import translation

from kechuang.core.exceptions import ApplicationError, Conflict, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.indicators import formulas, selectors, services
from kechuang.indicators.models import IndexRun, Indicator, Region, Target, Value
from kechuang.indicators.tests.factories import (
    FrameworkFactory,
    IndicatorFactory,
    RegionFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def _events(action):
    return AuditEvent.objects.filter(action=action)


def test_value_record_creates_then_replaces_and_audits_both(staff):
    IndicatorFactory(code="RD")
    region = RegionFactory(code="620000", name="甘肃省")
    v = services.value_record(actor=staff, indicator_code="RD", region="甘肃省", year=2022, value=1.29)
    assert v.value == 1.29 and v.source == "typed" and v.region == region
    v2 = services.value_record(
        actor=staff,
        indicator_code="RD",
        region="620000",
        year=2022,
        value=Decimal("1.3"),
        source="report",
        provenance={"document": 7, "start": 10, "end": 20, "quote": "1.3%"},
    )
    assert v2.pk == v.pk and v2.value == 1.3 and v2.source == "report"
    assert Value.objects.count() == 1
    assert _events("value.create").count() == 1
    update = _events("value.update").get()
    assert update.before["value"] == 1.29 and update.after["source"] == "report"
    # the same figure again changes nothing and audits nothing
    services.value_record(
        actor=staff,
        indicator_code="RD",
        region="620000",
        year=2022,
        value=Decimal("1.3"),
        source="report",
        provenance={"document": 7, "start": 10, "end": 20, "quote": "1.3%"},
    )
    assert _events("value.update").count() == 1


@pytest.mark.parametrize("role", ["commissioner", "expert", "applicant", "operator"])
def test_only_staff_write(request, role):
    user = request.getfixturevalue(role)
    IndicatorFactory(code="RD")
    RegionFactory(code="620000")
    with pytest.raises(PermissionDenied):
        services.value_record(actor=user, indicator_code="RD", region="620000", year=2022, value=1)
    with pytest.raises(PermissionDenied):
        services.indicator_create(actor=user, code="N", name_zh="新")
    with pytest.raises(PermissionDenied):
        services.target_set(actor=user, indicator_code="RD", region="620000", year=2025, value=65)
    assert not Value.objects.exists() and not Target.objects.exists()


def test_value_record_refuses_unknowns_with_reasons(staff):
    IndicatorFactory(code="RD")
    RegionFactory(code="620000")
    with pytest.raises(ApplicationError, match="未知的指标"):
        services.value_record(actor=staff, indicator_code="NOPE", region="620000", year=2022, value=1)
    with pytest.raises(ApplicationError, match="未知的地区"):
        services.value_record(actor=staff, indicator_code="RD", region="火星", year=2022, value=1)
    with pytest.raises(ApplicationError, match="数值无效"):
        services.value_record(actor=staff, indicator_code="RD", region="620000", year=2022, value="abc")
    with pytest.raises(ApplicationError, match="来源类型"):
        services.value_record(
            actor=staff, indicator_code="RD", region="620000", year=2022, value=1, source="x"
        )


def test_indicator_update_optimistic_lock(staff):
    ind = services.indicator_create(actor=staff, code="RD", name_zh="研发强度")
    services.indicator_update(actor=staff, indicator=ind, expected_version=1, published=True, reason="公开")
    stale = Indicator.objects.get(pk=ind.pk)
    stale.version = 1
    with pytest.raises(Conflict):
        services.indicator_update(actor=staff, indicator=stale, expected_version=1, name_zh="改名")
    assert Indicator.objects.get(pk=ind.pk).name_zh == "研发强度"
    ev = _events("indicator.update").get()
    assert ev.before == {"published": False} and ev.after == {"published": True} and ev.reason == "公开"
    with pytest.raises(ApplicationError, match="已存在"):
        services.indicator_create(actor=staff, code="RD", name_zh="重复")


def test_target_set_and_update_audited(staff):
    IndicatorFactory(code="KJ")
    RegionFactory(code="620000")
    t = services.target_set(actor=staff, indicator_code="KJ", region="620000", year=2025, value=65)
    t2 = services.target_set(
        actor=staff, indicator_code="KJ", region="620000", year=2025, value=66, note="上调"
    )
    assert t2.pk == t.pk and t2.value == 66.0 and t2.version == 2
    assert _events("target.create").count() == 1
    assert _events("target.update").get().after == {"value": 66.0, "note": "上调"}
    with pytest.raises(ApplicationError):
        services.target_set(
            actor=staff, indicator_code="KJ", region="620000", year=2025, value=1, comparator="=="
        )


CSV = (
    "unit_code,unit_name,year,indicator_code,indicator_name,value\n"
    "620000,甘肃省,2022,RD,研发强度,1.29\n"
    "620000,甘肃省,2023,RD,研发强度,1.33\n"
)


def test_import_dry_run_writes_nothing_then_commits(staff):
    report = services.values_import(actor=staff, data=CSV.encode(), filename="v.csv", dry_run=True)
    assert report.ok and report.created == 2 and not report.committed
    assert not Value.objects.exists() and not Region.objects.exists()
    report = services.values_import(actor=staff, data=CSV.encode(), filename="v.csv", dry_run=False)
    assert report.committed
    assert list(Value.objects.order_by("year").values_list("year", "value", "source")) == [
        (2022, 1.29, "imported"),
        (2023, 1.33, "imported"),
    ]
    assert Value.objects.first().provenance == {"file": "v.csv", "line": 2}
    assert _events("value.import").get().after["created"] == 2
    again = services.values_import(actor=staff, data=CSV.encode(), filename="v.csv", dry_run=False)
    assert again.updated == 2 and again.created == 0 and Value.objects.count() == 2


def test_import_keeps_every_digit_a_double_holds_and_says_which_it_cannot(staff):
    fine = (
        CSV
        + "620000,甘肃省,2024,RD,研发强度,1.1234567891\n620000,甘肃省,2025,RD,研发强度,0.12345678901234567891\n"
    )
    report = services.values_import(actor=staff, data=fine.encode(), filename="v.csv", dry_run=True)
    assert report.ok
    assert any("1 个数值的有效数字超过双精度所能保存的位数（如第 5 行）" in str(n) for n in report.notes)
    plain = services.values_import(actor=staff, data=CSV.encode(), filename="v.csv", dry_run=True)
    assert not any("双精度" in str(n) for n in plain.notes)
    services.values_import(actor=staff, data=fine.encode(), filename="v.csv", dry_run=False)
    assert Value.objects.get(year=2024).value == 1.1234567891  # ten decimals: no longer cut to six
    assert Value.objects.get(year=2025).value == float("0.12345678901234567891")  # the nearest double


def test_import_refuses_a_figure_beyond_a_double(staff):
    huge = CSV + "620000,甘肃省,2024,RD,研发强度,1e400\n"
    report = services.values_import(actor=staff, data=huge.encode(), filename="v.csv", dry_run=False)
    assert not report.ok and not Value.objects.exists()
    IndicatorFactory(code="RD")
    RegionFactory(code="620000")
    with pytest.raises(ApplicationError, match="数值无效"):
        services.value_record(actor=staff, indicator_code="RD", region="620000", year=2022, value="1e400")


def test_import_with_one_bad_row_writes_nothing(staff):
    bad = CSV + "620000,甘肃省,2024,RD,研发强度,n.a.x\n"
    report = services.values_import(actor=staff, data=bad.encode(), filename="v.csv", dry_run=False)
    assert not report.committed and [e.line for e in report.errors] == [4]
    assert not Value.objects.exists() and not Indicator.objects.exists()


def test_import_refused_to_non_staff(applicant):
    with pytest.raises(PermissionDenied):
        services.values_import(actor=applicant, data=CSV.encode(), filename="v.csv", dry_run=True)


def _seed_framework_values(staff):
    fw = FrameworkFactory()
    for code in ("A.x", "A.y", "B.z"):
        IndicatorFactory(code=code)
    RegionFactory(code="U", name="甲省")
    RegionFactory(code="V", name="乙省")
    for region, code, value in [
        ("U", "A.x", 5),
        ("U", "A.y", 6),
        ("U", "B.z", 4),
        ("V", "A.x", 10),
        ("V", "B.z", 1),
    ]:
        services.value_record(actor=staff, indicator_code=code, region=region, year=2020, value=value)
    return fw


def test_index_run_from_stored_values_is_reproducible(staff):
    fw = _seed_framework_values(staff)
    run = services.index_run_create(actor=staff, framework=fw)
    rows = {(r["unit"], r["year"]): r for r in run.outputs["rows"]}
    assert rows[("U", 2020)]["index"] == 65.0 and rows[("V", 2020)]["index"] == 100.0
    assert run.outputs["unit_names"]["U"] == "甲省"
    again = formulas.compute_index(run.spec, services.run_inputs(run))
    assert [r.index for r in again.rows] == [r["index"] for r in run.outputs["rows"]]
    assert _events("index_run.create").filter(object_id=str(run.pk)).exists()


EVERY_METHOD = {
    "impute": "previous_year",
    "outliers": {"method": "winsorise", "skew": 2, "kurtosis": 3.5, "max_points": 5},
    "transform": "sqrt",
    "normalise": {"method": "frontier"},
    "weights": {"method": "pca"},
    "aggregate": {"method": "arithmetic", "over": "tree", "levels": {"0": "harmonic", "1": "geometric"}},
    "reference": {"unit": "EU", "aliases": ["EU27_2020"], "year": 2020},
    "groups": {
        "bands": [
            {"code": "L", "label": "领先", "above": 110},
            {"code": "S", "label": "较强", "above": 90},
            {"code": "M", "label": "一般"},
        ]
    },
    "published_rounding": {"index": 3, "nodes": 3},
}


def test_a_stored_run_with_every_method_re_runs_byte_identically(staff):
    """Each method choice is kept with the run (its spec) and so are its inputs and reference: computing
    it again gives the same outputs, JSON byte for byte, even after the framework has changed."""
    import json

    spec = {
        "code": "every",
        "name": "全部方法",
        "method": EVERY_METHOD,
        "nodes": [
            {"code": "A", "name": "甲", "children": [{"code": "A.x"}, {"code": "A.y"}, {"code": "A.w"}]},
            {"code": "B", "name": "乙", "weight": 2, "children": [{"code": "B.z", "direction": "lower"}]},
        ],
    }
    fw = FrameworkFactory(code="every", spec=spec)
    for code in ("A.x", "A.y", "A.w", "B.z"):
        IndicatorFactory(code=code)
    units = ["EU27_2020", "U1", "U2", "U3", "U4", "U5"]
    for unit in units:
        RegionFactory(code=unit, name=f"单位{unit}")
    for i, unit in enumerate(units):
        for year in (2020, 2021, 2022):
            values = {
                "A.x": 1.0 + i + 0.37 * (year - 2020),
                "A.y": 2.0 + (i * 7 % 5) / 3 + 0.11 * (year - 2020),
                "A.w": 500.0 if (unit, year) == ("U5", 2022) else 1.0 + 0.1 * i,  # one far outlier
                "B.z": 9.0 - i / 2 + 0.05 * year % 1,
            }
            if (unit, year) == ("U3", 2022):
                del values["A.y"]  # a gap filled with 2021's value
            for code, value in values.items():
                services.value_record(
                    actor=staff, indicator_code=code, region=unit, year=year, value=round(value, 6)
                )
    run = services.index_run_create(actor=staff, framework=fw)
    steps = run.outputs["steps"]
    assert steps["imputed"] == 1 and steps["treated"] == {"A.w": "winsorised:1"}
    assert set(steps["weights"]) == {"A", "B", "A.x", "A.y", "A.w", "B.z"}
    assert {r["group"] for r in run.outputs["rows"]} > {""}

    def as_stored(outputs):
        kept = {k: v for k, v in outputs.items() if k not in ("unit_names", "analysis")}
        return json.dumps(kept, sort_keys=True, ensure_ascii=False)

    run.refresh_from_db()  # through the database's JSON
    assert as_stored(services.run_recompute(run)) == as_stored(run.outputs)
    version = run.framework_version.number

    services.framework_node_update(actor=staff, framework=fw, node_code="B", expected_version=1, weight=0.5)
    fw.refresh_from_db()
    fw.spec["method"] = {**fw.spec["method"], "weights": {"method": "equal"}, "impute": "none"}
    fw.save()
    run.refresh_from_db()
    assert run.framework_version.number == version  # pinned to the version it was made with
    assert as_stored(services.run_recompute(run)) == as_stored(run.outputs)
    assert as_stored(services.run_recompute(services.index_run_create(actor=staff, framework=fw))) != (
        as_stored(run.outputs)
    )


def test_framework_weights_edited_by_staff_change_the_next_run(staff, commissioner):
    fw = _seed_framework_values(staff)
    services.framework_node_update(
        actor=staff, framework=fw, node_code="A", expected_version=1, weight=0.2, reason="调整"
    )
    services.framework_node_update(actor=staff, framework=fw, node_code="B", expected_version=2, weight=0.8)
    run = services.index_run_create(actor=staff, framework=fw)
    u = next(r for r in run.outputs["rows"] if r["unit"] == "U")
    assert u["index"] == 55.0  # 0.2×75 + 0.8×50
    ev = _events("framework.node_update").first()
    assert ev.after["weight"] == 0.8
    with pytest.raises(Conflict):
        services.framework_node_update(
            actor=staff, framework=fw, node_code="A", expected_version=1, weight=0.5
        )
    with pytest.raises(ApplicationError, match="标准值"):
        services.framework_node_update(
            actor=staff, framework=fw, node_code="A.x", expected_version=3, standard=-1
        )
    with pytest.raises(PermissionDenied):
        services.framework_node_update(
            actor=commissioner, framework=fw, node_code="A", expected_version=3, weight=1
        )
    assert not IndexRun.objects.filter(started_by=commissioner).exists()


def test_index_run_without_data_refused(staff):
    fw = FrameworkFactory()
    with pytest.raises(ApplicationError, match="没有该框架"):
        services.index_run_create(actor=staff, framework=fw)
    assert not IndexRun.objects.exists()


def test_indicator_lookup_for_ingest(staff):
    services.indicator_create(
        actor=staff, code="RD", name_zh="研发经费投入强度", aliases=["R&D经费投入强度", "研发强度"]
    )
    assert selectors.indicator_lookup() == [("RD", "研发经费投入强度", ["R&D经费投入强度", "研发强度"])]


def test_target_progress_list_uses_department_values(staff):
    import datetime

    ind = IndicatorFactory(code="KJ", public=True)
    region = RegionFactory(code="620000")
    for y, v in [(2019, 52.5), (2020, 54.0), (2021, 55.6), (2022, 57.0), (2023, 58.3)]:
        services.value_record(actor=staff, indicator_code="KJ", region=region, year=y, value=v)
    TargetFactory(indicator=ind, region=region)
    [item] = selectors.target_progress_list(user=None, region=region, today=datetime.date(2024, 5, 1))
    assert item.progress.status == "at_risk" and item.progress.projected == pytest.approx(61.32)


def test_value_record_accepts_a_short_region_name_only_when_unambiguous(staff):
    IndicatorFactory(code="RD")
    RegionFactory(code="620000", name="甘肃省")
    RegionFactory(code="X1", name="江苏省")
    RegionFactory(code="X2", name="江西省")
    v = services.value_record(
        actor=staff, indicator_code="RD", region="甘肃", year=2022, value=1, source="report"
    )
    assert v.region.code == "620000"
    with pytest.raises(ApplicationError, match="未知的地区"):
        services.value_record(actor=staff, indicator_code="RD", region="江", year=2022, value=1)


def test_eis_download_imports_as_its_own_edition(staff):
    from kechuang.indicators import specs

    report = services.values_import(
        actor=staff, data=specs.EIS_DATA.read_bytes(), filename=specs.EIS_DATA.name, dry_run=True
    )
    assert report.ok and report.created == 14674 and not Value.objects.exists()
    assert any("IE" in n for n in report.notes)
    report = services.values_import(
        actor=staff, data=specs.EIS_DATA.read_bytes(), filename=specs.EIS_DATA.name, dry_run=False
    )
    assert report.committed
    assert set(Value.objects.values_list("edition", flat=True)) == {"EIS2023"}
    assert Region.objects.get(code="EU Average").level == "group"
    assert Region.objects.filter(region_set="eis").count() == 39


def test_indicator_code_with_a_slash_is_refused(staff):
    with pytest.raises(ApplicationError):
        services.indicator_create(actor=staff, code="a/b", name_zh="坏代码")
    bad = "unit_code,unit_name,year,indicator_code,indicator_name,value\nA,甲,2022,a/b,x,1\n"
    report = services.values_import(actor=staff, data=bad.encode(), filename="v.csv", dry_run=False)
    # the column named in the reader's language (the tests read Chinese), not as the file heads it
    assert [(e.line, e.field) for e in report.errors] == [(2, "指标代码")] and not report.committed


def test_the_inexact_note_lists_its_lines_as_an_english_reader_writes_a_list(staff):
    rows = "".join(f"620000,甘肃省,{y},RD,研发强度,0.12345678901234567891\n" for y in (2024, 2025))
    with translation.override("en"):
        report = services.values_import(
            actor=staff, data=(CSV + rows).encode(), filename="v.csv", dry_run=True
        )
        (note,) = [str(n) for n in report.notes if "double" in str(n)]
    assert "lines 4, 5" in note or "4, 5" in note
    assert "、" not in note
