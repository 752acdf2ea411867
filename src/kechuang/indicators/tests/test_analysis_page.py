"""The analysis page of an index run: staff only; statistics and correlations at once; the Monte Carlo job
stores its outputs with the run and the page reads them back; every table exports to Excel."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.core.models import AuditEvent, Job
from kechuang.indicators import services
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory

pytestmark = pytest.mark.django_db

VALUES = {  # unit: (A.x, A.y, B.z); 甲省 is far ahead on every indicator
    "U1": (9.0, 3.9, 2.0),
    "U2": (4.0, 1.0, 6.0),
    "U3": (3.0, 2.0, 5.0),
    "U4": (2.0, 1.5, 7.0),
    "U5": (1.0, 0.5, 9.0),
}


@pytest.fixture
def run(staff):
    fw = FrameworkFactory()
    for code, name in (("A.x", "研发投入强度"), ("A.y", "发明专利密度"), ("B.z", "单位产值能耗")):
        IndicatorFactory(code=code, name_zh=name, public=True)
    for i, unit in enumerate(VALUES, start=1):
        RegionFactory(code=unit, name=f"{'甲乙丙丁戊'[i - 1]}省")
    for unit, vals in VALUES.items():
        for year, bump in ((2022, 0.0), (2023, 0.1)):
            for code, v in zip(("A.x", "A.y", "B.z"), vals, strict=True):
                services.value_record(
                    actor=staff, indicator_code=code, region=unit, year=year, value=v + bump
                )
    return services.index_run_create(actor=staff, framework=fw)


def test_only_staff_see_the_analysis(client, client_for, run, commissioner, expert, applicant):
    url = reverse("indicators:run-analysis", args=[run.pk])
    assert client.get(url).status_code == 302
    for user in (commissioner, expert, applicant):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"year": 2023}).status_code == 403
    assert not Job.objects.exists()


def test_statistics_and_correlations_in_words(client_for, staff, run):
    r = client_for(staff).get(reverse("indicators:run-analysis", args=[run.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    stats = {s["name"]: s for s in r.context["statistics"]}
    assert set(stats) == {"研发投入强度", "发明专利密度", "单位产值能耗"}
    assert stats["研发投入强度"]["n"] == 10 and stats["研发投入强度"]["availability"] == 100.0
    assert stats["研发投入强度"]["mean"] == pytest.approx(3.85)
    cross = {c["name"]: c for c in r.context["cross"]}
    assert cross["研发投入强度"]["node"] == "甲"
    assert "indicator-heatmap" in html and "echarts.min.js" in html
    assert "A.x" not in html.split('id="analysis-data"')[0]  # names, never codes, in the tables
    assert 'id="no-analysis"' in html and r.context["stored"] is None


def test_refused_assumptions_are_shown_with_the_reason(client_for, staff, run):
    url = reverse("indicators:run-analysis", args=[run.pk])
    body = {"year": 2023, "vary": "nodes", "weight_range": "0.25", "n": 64}
    r = client_for(staff).post(url, {**body, "normalisations": ["zscore"], "aggregations": ["geometric"]})
    assert r.status_code == 400 and "不能与几何平均" in r.content.decode()
    assert re.search(r'value="zscore"[^>]*checked', r.content.decode())  # the choice kept
    r = client_for(staff).post(url, {**body, "target_rank": 1})
    assert r.status_code == 400 and "请先选择分析对象" in r.content.decode()
    assert not Job.objects.exists()


def test_the_job_stores_the_analysis_and_the_page_reads_it(
    client_for, staff, run, django_capture_on_commit_callbacks
):
    url = reverse("indicators:run-analysis", args=[run.pk])
    body = {
        "year": 2023,
        "unit": "U3",
        "vary": "leaves",
        "weight_range": "0.25",
        "n": 64,
        "normalisations": ["ratio", "rank"],
        "aggregations": ["arithmetic", "geometric"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(staff).post(url, body)
    job = Job.objects.get(kind="indicators.run_analysis")
    assert r.status_code == 302 and r["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.progress == 100 and job.result["url"] == url
    run.refresh_from_db()
    stored = run.outputs["analysis"]  # kept with the run
    assert stored["year"] == 2023 and stored["unit"] == "U3"
    assert stored["runs"] == 64 * (3 + 2 + 2)  # 3 leaf weights + normalisation + aggregation, N (k + 2)
    intervals = {i["unit"]: i for i in stored["intervals"]}
    assert intervals["U1"]["p5"] == intervals["U1"]["p95"] == 1  # far ahead: width 0
    assert stored["what_would_it_take"]["target_rank"] == stored["what_would_it_take"]["rank"] - 1
    assert AuditEvent.objects.filter(action="index_run.analyse", object_id=str(run.pk)).exists()

    page = client_for(staff).get(url)
    html = page.content.decode()
    assert page.context["stored"] == stored
    units = [r["unit"] for r in page.context["intervals"]]
    assert units[0] == "甲省" and "丙省" in units
    names = {f["name"] for f in page.context["factors"]}
    assert names == {
        "权重：研发投入强度",
        "权重：发明专利密度",
        "权重：单位产值能耗",
        "标准化方法",
        "汇总方法",
    }
    assert page.context["wwit"]["unit"] == "丙省" and len(page.context["wwit"]["rows"]) == 3
    assert "interval-chart" in html and "factor-chart" in html and "wwit-chart" in html
    assert "百分位排名" in html and "weight:" not in html

    x = client_for(staff).get(url + "?format=xlsx")
    assert x.status_code == 200
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == [
        "指标统计",
        "指标间相关",
        "分项与指数相关",
        "跨层级相关",
        "分析假设",
        "排名区间",
        "敏感性指数",
        "达标所需",
    ]
    assert wb["排名区间"]["A2"].value == "甲省" and wb["敏感性指数"]["A1"].value == "假设"
    assert wb["指标统计"]["A2"].value in {"研发投入强度", "发明专利密度", "单位产值能耗"}


def test_the_run_page_links_the_analysis_for_staff_only(client_for, staff, commissioner, run):
    url = reverse("indicators:run-analysis", args=[run.pk])
    assert url in client_for(staff).get(run.get_absolute_url()).content.decode()
    assert url not in client_for(commissioner).get(run.get_absolute_url()).content.decode()


def test_the_export_keeps_full_precision_where_the_page_rounds(
    client_for, staff, run, django_capture_on_commit_callbacks
):
    """Rounding is for display only: the workbook's statistics, correlations, sensitivity indices and
    changes are the engine's figures, not the page's rounded ones (to the 15 significant digits an Excel
    number holds)."""
    from kechuang.indicators.engine import analysis as engine

    url = reverse("indicators:run-analysis", args=[run.pk])
    body = {"year": 2023, "unit": "U4", "vary": "leaves", "weight_range": "0.25", "n": 64}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(url, body)
    run.refresh_from_db()
    stored = run.outputs["analysis"]
    wb = load_workbook(io.BytesIO(client_for(staff).get(url + "?format=xlsx").content))
    stats = {s["code"]: s for s in engine.indicator_statistics(services.run_inputs(run))}
    sheet = {row[0]: row for row in wb["指标统计"].iter_rows(min_row=2, values_only=True)}

    def full(x):
        return pytest.approx(x, rel=1e-14, abs=0)

    assert sheet["发明专利密度"][5] == full(stats["A.y"]["mean"])
    assert sheet["发明专利密度"][6] == full(stats["A.y"]["sd"])  # 1.17307288776103, not 1.1731
    assert sheet["发明专利密度"][7] == full(stats["A.y"]["skew"])
    factors = {row[0]: row for row in wb["敏感性指数"].iter_rows(min_row=2, values_only=True)}
    first = {f["factor"]: f for f in stored["factors"]}
    assert factors["权重：研发投入强度"][1] == full(first["weight:A.x"]["first"])
    assert factors["权重：研发投入强度"][2] == full(first["weight:A.x"]["total"])
    changes = {row[0]: row for row in wb["达标所需"].iter_rows(min_row=2, values_only=True)}
    reachable = [r for r in stored["what_would_it_take"]["rows"] if r["change"] is not None]
    names = {"A.x": "研发投入强度", "A.y": "发明专利密度", "B.z": "单位产值能耗"}
    assert reachable
    for r in reachable:
        assert changes[names[r["code"]]][3] == full(r["change"])
    cross = {row[0]: row for row in wb["跨层级相关"].iter_rows(min_row=2, values_only=True)}
    assert len(str(cross["研发投入强度"][3])) > 6  # a correlation at full precision, not 3 decimals


def test_what_it_would_take_to_reach_a_target_index_value(
    client_for, staff, run, django_capture_on_commit_callbacks
):
    """The page asks for a target rank or a target index value (not both); with a value, each
    indicator's change brings the unit's index to it, shown and exported with the target in words."""
    from kechuang.indicators.engine import analysis as engine

    url = reverse("indicators:run-analysis", args=[run.pk])
    body = {"year": 2023, "unit": "U4", "vary": "nodes", "weight_range": "0.25", "n": 64}
    r = client_for(staff).post(url, {**body, "target_rank": 1, "target_value": "50"})
    assert r.status_code == 400 and "只填一项" in r.content.decode()
    assert 'value="50"' in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(url, {**body, "target_value": "50"})
    run.refresh_from_db()
    wwit = run.outputs["analysis"]["what_would_it_take"]
    assert wwit["target_value"] == 50.0 and "target_rank" not in wwit
    rows = {r["code"]: r for r in wwit["rows"]}
    reach = [c for c, r in rows.items() if r["change"] is not None]
    assert reach
    data = services.run_inputs(run)
    for code in reach:  # the change found reaches 50, and barely (bisection)
        again = engine.Evaluator(run.spec, {**data, ("U4", 2023, code): rows[code]["new_value"]})
        index = again.rebased(again.index())[again.row[("U4", 2023)]]
        assert 50.0 <= index < 50.0 + 1e-6
    page = client_for(staff).get(url)
    assert "的指数从" in page.content.decode() and page.context["wwit"]["target_value"] == 50.0
    wb = load_workbook(io.BytesIO(client_for(staff).get(url + "?format=xlsx").content))
    assumptions = dict(wb["分析假设"].iter_rows(min_row=2, values_only=True))
    assert assumptions["达标目标"] == "指数达到 50"


@pytest.mark.django_db
def test_imputation_outlier_treatment_and_weighting_sampled_from_the_page(
    client_for, staff, run, django_capture_on_commit_callbacks
):
    url = reverse("indicators:run-analysis", args=[run.pk])
    body = {
        "year": 2023,
        "unit": "U3",
        "vary": "nodes",
        "weight_range": "0.25",
        "n": 64,
        "imputations": ["none", "previous_year"],
        "outlier_treatments": ["none", "log"],
        "weightings": ["framework", "equal"],
    }
    page = client_for(staff).get(url).content.decode()
    assert "缺失值处理候选" in page and "等权（各级每项权重为 1）" in page
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(url, body)
    job = Job.objects.get(kind="indicators.run_analysis")
    job.refresh_from_db()
    assert job.state == "succeeded", job.result
    run.refresh_from_db()
    stored = run.outputs["analysis"]
    assert stored["assumptions"]["imputations"] == ["none", "previous_year"]
    assert stored["assumptions"]["weightings"] == ["framework", "equal"]
    page = client_for(staff).get(url)
    names = {f["name"] for f in page.context["factors"]}
    assert {"缺失值处理方法", "异常值处理方法", "权重方案"} <= names
    html = page.content.decode()
    assert "不填补、上一年的值" in html and "框架的权重、等权（各级每项权重为 1）" in html


def test_per_level_choices_and_pca_or_optimised_weights_drawn_from_the_page(
    client_for, staff, run, django_capture_on_commit_callbacks
):
    """The form offers each sub-index (by name) and each level for a separate draw, and the PCA and
    correlation-optimised weights as schemes; the job keeps them and the page names them in words."""
    url = reverse("indicators:run-analysis", args=[run.pk])
    page = client_for(staff).get(url).content.decode()
    assert "一级分项：甲" in page and "相关性优化权重" in page and "距目标值" in page
    body = {"year": 2023, "unit": "U3", "vary": "nodes", "weight_range": "0.25", "n": 64}
    refused = client_for(staff).post(url, {**body, "level_normalisations": ["A"]})
    assert refused.status_code == 400 and "至少选两种" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(staff).post(
            url,
            {
                **body,
                "normalisations": ["ratio", "target"],
                "aggregations": ["arithmetic", "harmonic"],
                "level_normalisations": ["A"],
                "level_aggregations": ["0", "1"],
                "weightings": ["framework", "pca", "optimal"],
            },
        )
    assert r.status_code == 302
    run.refresh_from_db()
    stored = run.outputs["analysis"]
    assert stored["assumptions"]["level_normalisations"] == {"A": ["ratio", "target"]}
    assert stored["assumptions"]["level_aggregations"] == {
        "0": ["arithmetic", "harmonic"],
        "1": ["arithmetic", "harmonic"],
    }
    assert {f["factor"] for f in stored["factors"]} >= {
        "weights",
        "normalise:A",
        "aggregate:0",
        "aggregate:1",
    }
    intervals = {i["unit"]: i for i in stored["intervals"]}
    assert intervals["U1"]["p5"] == intervals["U1"]["p95"] == 1  # far ahead under every choice
    page = client_for(staff).get(url)
    names = {f["name"] for f in page.context["factors"]}
    assert {"标准化方法：甲", "汇总方法：综合指数", "汇总方法：一级分项", "权重方案"} <= names
    assumptions = dict(page.context["assumptions"])
    assert assumptions["单独抽取标准化方法：甲"] == "与标准值之比、距目标值"
    assert "主成分权重" in assumptions["权重方案候选"]
