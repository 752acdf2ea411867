"""Staff build and adjust frameworks on the web: outline rows ↔ spec, versions on every save, runs pinned
to their version, differences in words; staff only, audited, refusals re-shown with the reason."""

import pytest
from django.urls import reverse

from kechuang.core.exceptions import Conflict, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.indicators import builder, services
from kechuang.indicators.models import Framework, FrameworkVersion
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory

NAMES = {"A.x": "研发投入强度", "A.y": "发明专利密度", "B.z": "单位产值能耗", "C.w": "技术合同成交额"}


# --- pure: rows and specs ---


def test_rows_round_trip_a_spec():
    spec = FrameworkFactory.build().spec
    rows = builder.rows_from_spec(spec)
    assert [(r.depth, r.code or r.indicator) for r in rows] == [
        (1, "A"),
        (2, "A.x"),
        (2, "A.y"),
        (1, "B"),
        (2, "B.z"),
    ]
    again = builder.spec_from_rows(rows, spec, spec["method"], indicator_names={}, directions={})
    assert [c["code"] for c in again["nodes"][0]["children"]] == ["A.x", "A.y"]
    assert again["nodes"][1]["children"][0]["direction"] == "lower"  # kept from the row
    assert builder.spec_diff(spec, again) == []


def test_new_rows_get_codes_and_the_outline_gives_parents():
    rows = [
        builder.Row(depth=1, name="创新投入"),
        builder.Row(depth=2, name="经费"),
        builder.Row(depth=3, indicator="A.x", weight=2),
        builder.Row(depth=3, indicator="A.y"),
        builder.Row(depth=1, name="创新产出"),
        builder.Row(depth=2, indicator="B.z", standard=5),
    ]
    spec = builder.spec_from_rows(
        rows,
        {"code": "c", "edition": "1", "name": "n"},
        {},
        indicator_names=NAMES,
        directions={"B.z": "lower"},
    )
    top = spec["nodes"]
    assert [n["code"] for n in top] == ["N1", "N2"]
    assert top[0]["children"][0]["code"] == "N1.1"
    assert [c["code"] for c in top[0]["children"][0]["children"]] == ["A.x", "A.y"]
    assert top[0]["children"][0]["children"][0] == {
        "weight": 2.0,
        "code": "A.x",
        "name": "研发投入强度",
        "direction": "higher",
    }
    assert top[1]["children"][0]["direction"] == "lower" and top[1]["children"][0]["standard"] == 5.0


def test_bad_outlines_are_refused_row_by_row():
    def problems(rows):
        with pytest.raises(builder.BuildError) as e:
            builder.spec_from_rows(rows, {}, {}, indicator_names=NAMES, directions={})
        return e.value.problems

    assert problems([builder.Row(depth=2, name="x"), builder.Row(depth=3, indicator="A.x")]) == [
        "第 1 行：比上一行深了不止一级。"
    ]
    assert "第 1 行：指标必须放在某个分项之下。" in problems([builder.Row(depth=1, indicator="A.x")])
    assert "第 2 行：指标下面不能再有下级。" in problems(
        [
            builder.Row(depth=1, name="x"),
            builder.Row(depth=2, indicator="A.x"),
            builder.Row(depth=3, indicator="A.y"),
        ]
    )
    assert "第 3 行：指标“研发投入强度”在第 2 行已经出现。" in problems(
        [
            builder.Row(depth=1, name="x"),
            builder.Row(depth=2, indicator="A.x"),
            builder.Row(depth=2, indicator="A.x"),
        ]
    )
    assert "分项“空”下面没有指标。" in problems([builder.Row(depth=1, name="空")])
    assert "第 1 行：分项要有名称（或选择一个指标）。" in problems(
        [builder.Row(depth=1, name=" "), builder.Row(depth=2, indicator="A.x")]
    )
    assert "第 2 行：权重不能为负数或空白。" in problems(
        [builder.Row(depth=1, name="x"), builder.Row(depth=2, indicator="A.x", weight=-1)]
    )


def test_differences_in_words():
    old = FrameworkFactory.build().spec
    new = builder.spec_from_rows(
        [
            builder.Row(depth=1, name="甲", code="A", weight=0.6),
            builder.Row(depth=2, indicator="A.x", weight=0.7, standard=10),
            builder.Row(depth=1, name="丙", weight=0.4),
            builder.Row(depth=2, indicator="C.w"),
        ],
        old,
        {**old["method"], "normalise": {"method": "minmax"}, "weights": {"method": "optimal"}},
        indicator_names={**NAMES, "A.x": "x"},
        directions={},
    )
    rows = {(d["what"], d["change"]): d for d in builder.spec_diff(old, new)}
    assert rows[("方法：标准化", "修改")]["before"] == "与标准值之比"
    assert rows[("方法：标准化", "修改")]["after"] == "最小—最大值标准化"
    assert rows[("方法：权重方案", "修改")]["after"] == "相关性优化"
    assert (
        rows[("甲 › x", "修改")]["before"] == "权重 0.5" and rows[("甲 › x", "修改")]["after"] == "权重 0.7"
    )
    assert ("甲 › y", "删除") in rows and ("乙", "删除") in rows and ("乙 › z", "删除") in rows
    assert rows[("丙 › 技术合同成交额", "新增")]["after"].startswith("权重 1")
    assert all("A.x" not in str(d) for d in rows.values())


# --- services and pages ---

pytestmark_db = pytest.mark.django_db


def _post_body(framework, rows, bands=None, **method):
    from kechuang.indicators.forms import FrameworkReferenceForm

    settings = {
        k: ("" if v is None else v)
        for k, v in FrameworkReferenceForm.initial_from(framework.spec.get("method", {})).items()
    }
    bands = (
        bands
        if bands is not None
        else (framework.spec.get("method", {}).get("groups") or {}).get("bands", [])
    )
    body = {
        **settings,
        "bands-TOTAL_FORMS": len(bands),
        "bands-INITIAL_FORMS": 0,
        "bands-MIN_NUM_FORMS": 0,
        "bands-MAX_NUM_FORMS": 1000,
        "name": framework.spec["name"],
        "transform": "none",
        "normalise": "ratio",
        "cap": "100",
        "aggregate": "arithmetic",
        "level_0": "",
        "level_1": "",
        "level_2": "",
        "level_3": "",
        "over": "tree",
        "impute": "none",
        "outliers": "none",
        "weights": "hand",
        "note": "调整结构",
        "version": framework.version,
        **method,
        "rows-TOTAL_FORMS": len(rows),
        "rows-INITIAL_FORMS": 0,
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }
    for i, r in enumerate(rows):
        for k, v in r.items():
            body[f"rows-{i}-{k}"] = v
        body.setdefault(f"rows-{i}-ORDER", i + 1)
    for i, b in enumerate(bands):
        for k, v in b.items():
            body[f"bands-{i}-{k}"] = "" if v is None else v
    return body


@pytest.fixture
def fw(db):
    for code, name in NAMES.items():
        IndicatorFactory(code=code, name_zh=name, public=True)
    return FrameworkFactory()


ROWS = [
    {"depth": 1, "name": "甲", "code": "A", "weight": "0.6"},
    {"depth": 2, "indicator": "A.x", "weight": "0.5", "standard": "10"},
    {"depth": 2, "indicator": "A.y", "weight": "0.5", "standard": "4"},
    {"depth": 1, "name": "乙", "code": "B", "weight": "0.4"},
    {"depth": 2, "indicator": "B.z", "weight": "1", "standard": "2"},
]


@pytest.mark.django_db
def test_staff_save_makes_a_version_and_runs_pin_it(client_for, staff, fw):
    url = reverse("indicators:framework-edit", args=[fw.pk])
    page = client_for(staff).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "研发投入强度" in html and 'name="rows-0-depth"' in html and "添加一行" in html
    for i, unit in enumerate(("U", "V", "W")):
        RegionFactory(code=unit, name=f"{'甲乙丙'[i]}省")
        for j, code in enumerate(NAMES):
            services.value_record(
                actor=staff, indicator_code=code, region=unit, year=2020, value=1 + i * (j + 1) + j
            )
    run1 = services.index_run_create(actor=staff, framework=fw)
    assert run1.framework_version.number == 1

    rows = [*ROWS[:3], {"depth": 2, "indicator": "C.w", "weight": "1", "standard": "3"}, *ROWS[3:]]
    rows[1] = {**rows[1], "weight": "0.3"}
    r = client_for(staff).post(url, _post_body(fw, rows, weights="optimal", level_0="geometric"))
    fw.refresh_from_db()
    assert fw.version == 2
    v2 = fw.versions.get(number=2)
    assert r.status_code == 302 and r["Location"] == v2.get_absolute_url()
    leaves = [c["code"] for c in fw.spec["nodes"][0]["children"]]
    assert leaves == ["A.x", "A.y", "C.w"] and fw.spec["nodes"][0]["children"][0]["weight"] == 0.3
    assert fw.spec["method"]["weights"]["method"] == "optimal"
    assert fw.spec["method"]["aggregate"]["levels"] == {"0": "geometric"}
    assert fw.spec["method"]["published_rounding"] == {"index": 2, "nodes": 2}  # kept, under today's name
    assert v2.spec == fw.spec and v2.note == "调整结构" and v2.created_by == staff
    event = AuditEvent.objects.filter(action="framework.save").get()
    assert event.after["version"] == 2 and any("技术合同成交额" in c for c in event.after["changes"])

    run2 = services.index_run_create(actor=staff, framework=fw)
    assert run2.framework_version == v2
    run1.refresh_from_db()
    assert run1.framework_version.number == 1  # an old run keeps its version
    old = client_for(staff).get(run1.get_absolute_url()).content.decode()
    assert "第 1 版" in old and "框架此后已修改" in old
    assert "与标准值之比" in old and "normalise=" not in old  # the method in words, not its summary line
    assert "第 2 版" in client_for(staff).get(run2.get_absolute_url()).content.decode()

    diff = client_for(staff).get(v2.get_absolute_url())
    changes = {(c["what"], c["change"]) for c in diff.context["changes"]}
    assert ("甲 › 技术合同成交额", "新增") in changes and ("方法：权重方案", "修改") in changes
    assert ("方法：综合指数的汇总", "修改") in changes
    text = diff.content.decode()
    assert "第 1 版" in text and "相关性优化" in text and "C.w" not in text

    # saving the same again makes no new version
    r = client_for(staff).post(url, _post_body(fw, rows, weights="optimal", level_0="geometric"))
    fw.refresh_from_db()
    assert fw.version == 2 and fw.versions.count() == 2


@pytest.mark.django_db
def test_refusals_are_shown_with_the_reason_and_nothing_is_saved(client_for, staff, fw):
    url = reverse("indicators:framework-edit", args=[fw.pk])
    r = client_for(staff).post(url, _post_body(fw, [ROWS[0], ROWS[1], {**ROWS[1], "depth": 3}]))
    assert r.status_code == 400 and "第 2 行：指标下面不能再有下级。" in r.content.decode()
    stale = _post_body(fw, ROWS, version=fw.version)
    services.framework_node_update(
        actor=staff, framework=fw, node_code="A.x", expected_version=1, weight=0.9, reason="改"
    )
    assert fw.versions.count() == 2  # a node edit is a version too
    r = client_for(staff).post(url, stale)
    assert r.status_code == 400 and "已被他人修改" in r.content.decode()
    fw.refresh_from_db()
    assert fw.version == 2 and not AuditEvent.objects.filter(action="framework.save").exists()
    # removing a row: the DELETE box
    rows = [*ROWS[:2], {**ROWS[2], "DELETE": "on"}, *ROWS[3:]]
    r = client_for(staff).post(url, _post_body(fw, rows))
    fw.refresh_from_db()
    assert [c["code"] for c in fw.spec["nodes"][0]["children"]] == ["A.x"] and fw.version == 3


@pytest.mark.django_db
def test_others_cannot_build(client, client_for, fw, commissioner, expert, applicant):
    for name, args in (("framework-edit", [fw.pk]), ("framework-new", [])):
        url = reverse(f"indicators:{name}", args=args)
        assert client.get(url).status_code == 302
        for user in (commissioner, expert, applicant):
            assert client_for(user).get(url).status_code == 403
            assert client_for(user).post(url, _post_body(fw, ROWS)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.framework_save(actor=expert, framework=fw, expected_version=1, spec=fw.spec)
    with pytest.raises(PermissionDenied):
        services.framework_create(actor=expert, name="x", edition="1")
    assert Framework.objects.count() == 1 and FrameworkVersion.objects.count() == 1


@pytest.mark.django_db
def test_staff_create_a_framework_from_a_copy(client_for, staff, fw):
    r = client_for(staff).post(
        reverse("indicators:framework-new"), {"name": "本省指数", "edition": "2025", "base": fw.pk}
    )
    new = Framework.objects.exclude(pk=fw.pk).get()
    assert r.status_code == 302 and r["Location"] == reverse("indicators:framework-edit", args=[new.pk])
    assert new.spec["nodes"] == fw.spec["nodes"] and new.name == "本省指数" and new.code.startswith("custom-")
    assert new.versions.get().number == 1
    assert AuditEvent.objects.filter(action="framework.create", object_id=str(new.pk)).exists()
    r = client_for(staff).post(reverse("indicators:framework-new"), {"name": "", "edition": "2025"})
    assert r.status_code == 400 and Framework.objects.count() == 2  # refused: the form again (400)


def test_a_stale_service_save_is_a_conflict(db, staff):
    fw = FrameworkFactory()
    spec = {**fw.spec, "name": "新名称"}
    services.framework_save(actor=staff, framework=fw, expected_version=1, spec=spec)
    with pytest.raises(Conflict):
        services.framework_save(
            actor=staff,
            framework=Framework.objects.get(pk=fw.pk),
            expected_version=1,
            spec={**spec, "name": "再改"},
        )


@pytest.mark.django_db
def test_staff_set_the_reference_groups_rounding_and_deeper_levels_without_typing_codes(
    client_for, staff, fw
):
    """The reference (picked by name), the groups (rows: name and threshold), the published decimals and
    the aggregation of the third level are all set on the builder and land in the next version."""
    RegionFactory(code="EU27_2020", name="欧盟平均", region_set="EIS")
    RegionFactory(code="ZJ", name="浙江省", region_set="CN")
    url = reverse("indicators:framework-edit", args=[fw.pk])
    page = client_for(staff).get(url).content.decode()
    assert "欧盟平均 · EIS" in page and 'name="bands-0-label"' in page and 'name="level_3"' in page
    bands = [
        {"label": "领先", "above": "125"},
        {"label": "较强", "above": "100"},
        {"label": "其他", "above": ""},
    ]
    body = _post_body(fw, ROWS, bands=bands, level_3="geometric")
    body.update(
        reference_unit="EU27_2020",
        reference_year="2018",
        group_year_mode="same",
        group_compare="published",
        index_decimals="3",
        node_decimals="",
    )
    r = client_for(staff).post(url, body)
    assert r.status_code == 302, r.content.decode()[:2000]
    fw.refresh_from_db()
    method = fw.spec["method"]
    assert method["reference"] == {"unit": "EU27_2020", "year": 2018}
    assert method["published_rounding"] == {"index": 3} and "rounding" not in method
    assert method["aggregate"]["levels"] == {"3": "geometric"}
    groups = method["groups"]
    assert groups["year"] == "same" and groups["compare"] == "published" and "reference" not in groups
    assert [(b["label"], b["above"]) for b in groups["bands"]] == [
        ("领先", 125.0),
        ("较强", 100.0),
        ("其他", None),
    ]
    assert len({b["code"] for b in groups["bands"]}) == 3
    # the engine reads what the form wrote
    from kechuang.indicators import formulas

    assert formulas.reference_text(method) == "EU27_2020 2018 = 100"
    assert formulas.published_rounding(method) == {"index": 3}
    changes = {
        c["what"]
        for c in client_for(staff).get(fw.versions.get(number=2).get_absolute_url()).context["changes"]
    }
    assert {"方法：参照单位", "方法：绩效分组", "方法：发布表的小数位"} <= changes

    # the page shows them back as chosen; codes of existing groups are kept on the next save
    again = client_for(staff).get(url)
    assert again.context["reference_form"].initial["reference_unit"] == "EU27_2020"
    codes = [b["code"] for b in groups["bands"]]
    kept = [{**b, "code": c} for b, c in zip(bands, codes, strict=True)]
    kept[0]["label"] = "创新领先"
    body = _post_body(fw, ROWS, bands=kept, level_3="geometric")
    r = client_for(staff).post(url, body)
    assert r.status_code == 302
    fw.refresh_from_db()
    assert [b["code"] for b in fw.spec["method"]["groups"]["bands"]] == codes
    assert fw.spec["method"]["groups"]["bands"][0]["label"] == "创新领先"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bands, changes, message",
    [
        ([{"label": "甲", "above": ""}, {"label": "乙", "above": "100"}], {}, "只有最后一组"),
        (
            [{"label": "甲", "above": "100"}, {"label": "乙", "above": "120"}, {"label": "丙", "above": ""}],
            {},
            "从高到低",
        ),
        ([], {"group_year_mode": "fixed", "group_year": ""}, "请填写分组比较的年份"),
        ([], {"reference_year": "2016", "reference_unit": ""}, "请同时选择参照单位"),
        ([], {"group_compare": "published", "index_decimals": ""}, "需要设定发布表的小数位"),
    ],
)
def test_bad_group_settings_are_refused_with_the_input_kept(client_for, staff, fw, bands, changes, message):
    url = reverse("indicators:framework-edit", args=[fw.pk])
    body = _post_body(fw, ROWS, bands=bands)
    body.update(changes)
    r = client_for(staff).post(url, body)
    html = r.content.decode()
    assert r.status_code == 400 and message in html
    for b in bands:
        assert f'value="{b["label"]}"' in html  # what was typed is shown again
    fw.refresh_from_db()
    assert fw.version == 1


@pytest.mark.django_db
def test_staff_choose_the_weighting_scheme_per_level(client_for, staff, fw):
    """PCA weights for the indicators while the sub-indices keep their hand weights: chosen from lists,
    kept on the page, named in words in the version's changes and recorded with the run."""
    url = reverse("indicators:framework-edit", args=[fw.pk])
    html = client_for(staff).get(url).content.decode()
    assert 'name="weights_level_0"' in html and "按权重方案" in html
    for i, unit in enumerate(("U", "V", "W", "X")):
        RegionFactory(code=unit, name=f"{'甲乙丙丁'[i]}省")
        for j, code in enumerate(("A.x", "A.y", "B.z")):
            services.value_record(
                actor=staff, indicator_code=code, region=unit, year=2020, value=1 + (i * (j + 2)) % 5 + j
            )
    r = client_for(staff).post(url, _post_body(fw, ROWS, weights="pca", weights_level_0="hand"))
    assert r.status_code == 302
    fw.refresh_from_db()
    assert fw.spec["method"]["weights"] == {"method": "pca", "levels": {"0": "hand"}}
    page = client_for(staff).get(url)
    assert page.context["method_form"].initial["weights_level_0"] == "hand"
    diff = client_for(staff).get(fw.versions.get(number=2).get_absolute_url())
    changes = {(c["what"], c["change"]): c for c in diff.context["changes"]}
    assert changes[("方法：综合指数汇总时的权重", "修改")]["after"] == "按设定的权重"
    run = services.index_run_create(actor=staff, framework=fw)
    weights = run.outputs["steps"]["weights"]
    assert (weights["A"], weights["B"]) == (0.6, 0.4)  # hand, kept at the index's level
    assert weights["A.x"] + weights["A.y"] == pytest.approx(1.0)  # PCA within 甲
    assert "综合指数汇总时的权重" in client_for(staff).get(run.get_absolute_url()).content.decode()
    # back to the scheme for every level: the level is dropped
    r = client_for(staff).post(url, _post_body(fw, ROWS, weights="pca", weights_level_0=""))
    fw.refresh_from_db()
    assert fw.spec["method"]["weights"] == {"method": "pca"}


@pytest.mark.django_db
def test_staff_give_one_indicator_its_own_methods_and_runs_record_them(client_for, staff, fw):
    """Per-indicator imputation, outlier treatment and normalisation, chosen by name in the builder, saved
    as a version, applied by the engine, recorded with the run and shown in words on its page and export."""
    import io

    import openpyxl

    from kechuang.indicators import formulas

    for i, unit in enumerate(("U", "V", "W")):
        RegionFactory(code=unit, name=f"{'甲乙丙'[i]}省")
        for j, code in enumerate(NAMES):
            for year in (2020, 2021):
                if unit == "W" and code == "A.x" and year == 2021:
                    continue  # a gap for imputation
                services.value_record(
                    actor=staff,
                    indicator_code=code,
                    region=unit,
                    year=year,
                    value=1 + i * (j + 1) + j + year % 2,
                )
    url = reverse("indicators:framework-edit", args=[fw.pk])
    page = client_for(staff).get(url).content.decode()
    assert "本行的标准化" in page and "按上级分项或框架的方法" in page and "百分位排名" in page
    rows = [dict(r) for r in ROWS]
    rows[1].update(impute="previous_year", outliers="winsorise", normalise="rank")
    r = client_for(staff).post(url, _post_body(fw, rows))
    assert r.status_code == 302
    fw.refresh_from_db()
    leaf = fw.spec["nodes"][0]["children"][0]
    assert (leaf["code"], leaf["impute"], leaf["outliers"], leaf["normalise"]) == (
        "A.x",
        "previous_year",
        "winsorise",
        "rank",
    )
    assert "impute" not in fw.spec["nodes"][0]["children"][1]  # A.y keeps the framework's methods
    diff = client_for(staff).get(fw.versions.get(number=2).get_absolute_url()).content.decode()
    assert "百分位排名" in diff and "上一年的值" in diff

    run = services.index_run_create(actor=staff, framework=fw)
    assert run.spec["nodes"][0]["children"][0]["normalise"] == "rank"
    assert "indicator_methods=A.x impute=previous_year,outliers=winsorise,normalise=rank" in run.method
    assert services.run_recompute(run)["rows"] == run.outputs["rows"]  # re-runs identically
    # the engine applied them: without the indicator's own methods the result differs (W 2021 has no A.x)
    plain = {**fw.spec, "nodes": json_copy(fw.spec["nodes"])}
    for k in ("impute", "outliers", "normalise"):
        plain["nodes"][0]["children"][0].pop(k)
    other = formulas.compute_index(plain, services.run_inputs(run))
    assert other.row("W", 2021).n_indicators == 2 and _row(run, "W", 2021)["n"] == 3
    assert run.outputs["steps"]["imputed"] == 1
    page = client_for(staff).get(run.get_absolute_url()).content.decode()
    assert (
        "单独的方法" in page
        and "缺失值：上一年的值；异常值：按偏度和峰度缩尾（不足时取对数）；标准化：百分位排名" in page
    )
    xlsx = client_for(staff).get(run.get_absolute_url(), {"year": 2021, "format": "xlsx"})
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    methods_sheet = [tuple(r) for r in wb["方法"].iter_rows(values_only=True)]
    assert any("单独的方法" in str(w) and "百分位排名" in str(v) for w, v in methods_sheet)
    assert wb["2021"].cell(1, 4).value == "指数"

    # a sub-index row sets a default for the indicators beneath it; an indicator's own choice wins
    rows = [dict(r) for r in ROWS]
    rows[0]["normalise"] = "frontier"  # 甲 (A.x, A.y): distance to the frontier
    rows[1]["normalise"] = "rank"  # A.x keeps its own
    r = client_for(staff).post(url, _post_body(fw, rows))
    assert r.status_code == 302
    fw.refresh_from_db()
    assert fw.version == 3 and fw.spec["nodes"][0]["normalise"] == "frontier"
    tree = formulas.framework_tree(fw.spec)
    got = {leaf.code: leaf.normalise for n in tree.walk() for leaf in n.leaves}
    assert got == {"A.x": "rank", "A.y": "frontier", "B.z": ""}  # B.z: the framework's (ratio)
    page = client_for(staff).get(fw.get_absolute_url()).content.decode()
    assert "分项“甲”及其下指标的方法" in page and "标准化：距前沿" in page
    run = services.index_run_create(actor=staff, framework=fw)
    assert "A normalise=frontier" in run.method
    assert "分项“甲”及其下指标的方法" in client_for(staff).get(run.get_absolute_url()).content.decode()
    xlsx = client_for(staff).get(run.get_absolute_url(), {"year": 2021, "format": "xlsx"})
    methods_sheet = [
        tuple(r) for r in openpyxl.load_workbook(io.BytesIO(xlsx.content))["方法"].iter_rows(values_only=True)
    ]
    assert ("分项“甲”及其下指标的方法", "标准化：距前沿") in methods_sheet
    # the builder shows the sub-index's choice again
    assert 'value="frontier" selected' in client_for(staff).get(url).content.decode()


def json_copy(x):
    import json

    return json.loads(json.dumps(x))


def _row(run, unit, year):
    return next(r for r in run.outputs["rows"] if r["unit"] == unit and r["year"] == year)


@pytest.mark.django_db
def test_staff_divide_an_indicator_by_a_series_picked_by_name_and_the_export_shows_each_stage(
    client_for, staff, fw
):
    """Denomination in the builder: the denominator is picked from the stored series by name, with a scale;
    saved as a version, recorded with the run (its series among the inputs), a missing denominator named
    on the run's page, and the Excel export gives raw, denominated and normalised values."""
    import io

    import openpyxl

    IndicatorFactory(code="POP", name_zh="常住人口", public=True)
    for i, unit in enumerate(("U", "V", "W")):
        RegionFactory(code=unit, name=f"{'甲乙丙'[i]}省")
        for j, code in enumerate(NAMES):
            services.value_record(actor=staff, indicator_code=code, region=unit, year=2021, value=2 + i + j)
        if unit != "W":  # 丙省 has no population figure
            services.value_record(
                actor=staff, indicator_code="POP", region=unit, year=2021, value=1000 * (i + 1)
            )
    url = reverse("indicators:framework-edit", args=[fw.pk])
    page = client_for(staff).get(url).content.decode()
    assert "除以（分母）" in page and "常住人口" in page and "不除以分母" in page
    rows = [dict(r) for r in ROWS]
    rows[1].update(denominator="POP", denominator_scale="1000")
    bad = [dict(r) for r in ROWS]
    bad[0].update(denominator="POP")  # a sub-index cannot be divided
    refused = client_for(staff).post(url, _post_body(fw, bad))
    assert refused.status_code == 400 and "只有指标可以除以分母" in refused.content.decode()
    assert client_for(staff).post(url, _post_body(fw, rows)).status_code == 302
    fw.refresh_from_db()
    leaf = fw.spec["nodes"][0]["children"][0]
    assert (leaf["denominator"], leaf["denominator_scale"], leaf["denominator_name"]) == (
        "POP",
        1000.0,
        "常住人口",
    )
    diff = client_for(staff).get(fw.versions.get(number=2).get_absolute_url()).content.decode()
    assert "除以“常住人口”，再乘以 1000" in diff
    assert 'value="POP" selected' in client_for(staff).get(url).content.decode()

    run = services.index_run_create(actor=staff, framework=fw)
    assert run.inputs["V|2021|POP"] == 2000.0
    page = client_for(staff).get(run.get_absolute_url()).content.decode()
    assert "常住人口" in page and "W 2021" in page  # the gap, named on the run's page
    xlsx = client_for(staff).get(run.get_absolute_url(), {"year": 2021, "format": "xlsx"})
    sheet = [
        tuple(r)
        for r in openpyxl.load_workbook(io.BytesIO(xlsx.content))["指标值"].iter_rows(values_only=True)
    ]
    assert sheet[0][3:] == ("原始值", "分母", "除以分母后", "插补和异常值处理后", "标准化得分")
    by = {(r[0], r[2]): r for r in sheet[1:]}
    # 乙省's A.x: 3 / 2000 * 1000 = 1.5; ratio to the standard 10: 15
    assert by[("乙省", "研发投入强度")][3:] == (3, 2000, 1.5, 1.5, 15.0)
    assert by[("丙省", "研发投入强度")][3:] == (4, None, None, None, None)
    assert by[("乙省", "发明专利密度")][3:6] == (4, None, 4)
