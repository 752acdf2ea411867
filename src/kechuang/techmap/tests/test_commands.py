import io
import re

import pytest
from django.core.management import CommandError, call_command

from kechuang.core.excel import xlsx_bytes
from kechuang.techmap.importer import COLUMNS
from kechuang.techmap.models import Technology


def sheet(tmp_path, rows, name="map.xlsx"):
    data = []
    for r in rows:
        values = dict.fromkeys(COLUMNS, "")
        values.update(r)
        data.append([values[c] for c in COLUMNS])
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(COLUMNS, data))
    return path


ROW = {"产业链": "核技术", "环节位置": "上游", "环节": "同位素", "技术名称": "氪-85 提取", "卡脖子": "是"}


def test_import_check_then_commit_then_gaps_and_export(tmp_path, staff):
    path = sheet(tmp_path, [ROW])
    out = io.StringIO()
    call_command("techmap", "import", str(path), "--user", staff.username, "--language", "en", stdout=out)
    assert "Checked (nothing written)" in out.getvalue() and Technology.objects.count() == 0
    call_command("techmap", "import", str(path), "--commit", "--user", staff.username, stdout=out)
    assert Technology.objects.get().name == "氪-85 提取"
    out = io.StringIO()
    call_command("techmap", "gaps", stdout=out)
    assert "氪-85 提取" in out.getvalue() and "共 1 项缺口。" in out.getvalue()
    target = tmp_path / "out.xlsx"
    call_command("techmap", "export", str(target), stdout=out)
    assert target.stat().st_size > 0


def test_import_errors_fail_the_command(tmp_path, staff, commissioner):
    path = sheet(tmp_path, [{**ROW, "当前TRL": 15}])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("techmap", "import", str(path), "--commit", "--user", staff.username, stdout=out)
    assert "第2行" in out.getvalue() and Technology.objects.count() == 0
    with pytest.raises(CommandError):
        call_command(
            "techmap", "import", str(sheet(tmp_path, [ROW])), "--commit", "--user", commissioner.username
        )
    with pytest.raises(CommandError):
        call_command("techmap", "gaps", "--as-of", "2025-13-01")


def test_the_command_speaks_the_operators_language(tmp_path, staff):
    path = sheet(tmp_path, [ROW])
    said = {}
    for language in ("zh-hans", "en"):
        out = io.StringIO()
        call_command("techmap", "import", str(path), "--user", staff.username, language=language, stdout=out)
        call_command("techmap", "export", str(tmp_path / "o.xlsx"), language=language, stdout=out)
        with pytest.raises(CommandError) as refused:
            call_command("techmap", "gaps", "--as-of", "2025-13-01", "--language", language)
        said[language] = [*out.getvalue().replace(str(tmp_path), "").splitlines(), str(refused.value)]
    assert said["zh-hans"] == [
        "已检查（未写入）：1 行，新增 1，更新 0，错误 0。",
        "已写入 /o.xlsx。",
        "--as-of 须为 YYYY-MM-DD 格式。",
    ]
    assert said["en"] == [
        "Checked (nothing written): 1 rows, 1 new, 0 updated, 0 errors.",
        "Wrote /o.xlsx.",
        "--as-of must be YYYY-MM-DD.",
    ]
    words = " ".join(said["zh-hans"])
    for name in ("YYYY-MM-DD", "--as-of", "/o.xlsx"):  # an option, a format and a path, not words
        words = words.replace(name, "")
    assert not re.search("[a-zA-Z]", words)
    assert not re.search("[\u4e00-\u9fff]", " ".join(said["en"]))
