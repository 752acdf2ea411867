"""`kechuang index compute|import` on the command line."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from kechuang.indicators import specs
from kechuang.indicators.models import Value

pytestmark = pytest.mark.django_db


def test_compute_from_a_file_touches_no_database(tmp_path, django_assert_num_queries):
    out = tmp_path / "eis.csv"
    with django_assert_num_queries(0):
        call_command(
            "index",
            "compute",
            "--framework",
            "eis",
            "--edition",
            "2023",
            "--data",
            str(specs.EIS_DATA),
            "--csv",
            str(out),
            stderr=io.StringIO(),
        )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:6] == ["unit", "year", "index", "published", "group", "1"]
    assert "1.1" in rows[0] and "4.3" in rows[0]
    se = next(r for r in rows if r["unit"] == "SE" and r["year"] == "2023")
    assert abs(float(se["published"]) - 145.921) <= 0.001  # published SE 2023: 145.921
    assert se["group"] == "Leader"
    assert len(se["index"].split(".")[1]) > 3  # the result itself is not rounded
    assert float(se["published"]) == round(float(se["index"]), 3)
    eu = next(r for r in rows if r["unit"] == "EU Average" and r["year"] == "2016")
    assert float(eu["index"]) == 100.0


def test_compute_with_another_reference(tmp_path):
    out = tmp_path / "x.csv"
    call_command(
        "index",
        "compute",
        "--framework",
        "eis",
        "--data",
        str(specs.EIS_DATA),
        "--reference",
        "SE:2023",
        "--csv",
        str(out),
        stderr=io.StringIO(),
    )
    se = next(
        r for r in csv.DictReader(out.open(encoding="utf-8")) if r["unit"] == "SE" and r["year"] == "2023"
    )
    assert float(se["index"]) == 100.0


def test_compute_errors_are_readable(tmp_path):
    with pytest.raises(CommandError, match="没有框架"):
        call_command(
            "index", "compute", "--framework", "nope", "--data", str(specs.EIS_DATA), stderr=io.StringIO()
        )
    with pytest.raises(CommandError, match="参照单位"):
        call_command(
            "index",
            "compute",
            "--framework",
            "eis",
            "--data",
            str(specs.EIS_DATA),
            "--reference",
            "XX:1999",
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError, match="不存在"):
        call_command("index", "compute", "--framework", "eis", "--data", str(tmp_path / "missing.csv"))


def test_import_dry_run_then_real(tmp_path, make_user):
    make_user("staff", username="boss")
    f = tmp_path / "v.csv"
    f.write_text(
        "地区代码,地区名称,年份,指标代码,指标名称,数值\n620000,甘肃省,2022,RD,研发强度,1.29\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("index", "import", str(f), "--dry-run", "--user", "boss", stdout=out, stderr=io.StringIO())
    assert "新增 1" in out.getvalue() and not Value.objects.exists()
    call_command("index", "import", str(f), "--user", "boss", stdout=io.StringIO(), stderr=io.StringIO())
    assert Value.objects.get().value == 1.29  # the figure as written, as a double (ADR 0015)
    f.write_text(
        "地区代码,地区名称,年份,指标代码,指标名称,数值\n620000,甘肃省,20x2,RD,研发强度,1\n", encoding="utf-8"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 行有错误"):
        call_command("index", "import", str(f), "--user", "boss", stdout=out, stderr=io.StringIO())
    assert "第2行" in out.getvalue()


def test_compute_from_the_database_keeps_a_run(make_user, staff):
    from kechuang.indicators import services
    from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory

    fw = FrameworkFactory(code="t")
    IndicatorFactory(code="A.x")
    RegionFactory(code="U")
    services.value_record(actor=staff, indicator_code="A.x", region="U", year=2020, value=5)
    out = io.StringIO()
    call_command(
        "index", "compute", "--framework", "t", "--user", staff.username, stdout=out, stderr=io.StringIO()
    )
    assert out.getvalue().splitlines()[1].startswith("U,2020,50.0")
    assert fw.runs.count() == 1


def test_install_a_new_framework_edition_from_data(tmp_path, staff):
    import json

    from kechuang.indicators.models import Framework

    spec = specs.shipped_spec("eis", "2023")
    spec["edition"] = "2025"
    f = tmp_path / "eis-2025.json"
    f.write_text(json.dumps(spec), encoding="utf-8")
    call_command("index", "framework", str(f), "--user", staff.username, stdout=io.StringIO())
    assert Framework.objects.filter(code="eis", edition="2025").exists()
    f.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="code 和 edition"):
        call_command("index", "framework", str(f), "--user", staff.username)


def test_import_maps_the_editions_reference_aliases(tmp_path, make_user):
    from kechuang.indicators.models import Region

    make_user("staff", username="boss")
    f = tmp_path / "long.csv"
    f.write_text("unit,year,indicator,value\nEU27_2020,2022,1.1.1,1.2\nAT,2022,1.1.1,1.5\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "index",
        "import",
        str(f),
        "--framework",
        "eis:2023",
        "--user",
        "boss",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "EU27_2020" in out.getvalue()
    assert set(Region.objects.values_list("code", flat=True)) >= {"EU", "AT"}
    assert not Region.objects.filter(code="EU27_2020").exists()
    with pytest.raises(CommandError, match="nope"):
        call_command("index", "import", str(f), "--framework", "nope", "--user", "boss", stdout=io.StringIO())


def test_the_index_command_speaks_the_operators_language(tmp_path, make_user):
    """`--language` (before or after the sub-command) sets the messages; the import itself is the same."""
    make_user("staff", username="boss")
    f = tmp_path / "v.csv"
    f.write_text(
        "地区代码,地区名称,年份,指标代码,指标名称,数值\n620000,甘肃省,20x2,RD,研发强度,1\n", encoding="utf-8"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 row"):
        call_command("index", "import", str(f), "--user", "boss", "--language", "en", stdout=out)
    assert "Line 2" in out.getvalue() and "Invalid year" in out.getvalue() and "第" not in out.getvalue()
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 行有错误"):
        call_command("index", "--language", "zh-hans", "import", str(f), "--user", "boss", stdout=out)
    assert "第2行" in out.getvalue() and "年份无效" in out.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command(
            "index", "compute", "--framework", "eis", "--data", str(tmp_path / "no.csv"), language="en"
        )
    assert not Value.objects.exists()
