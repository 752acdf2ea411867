"""`kechuang platforms ...` and `kechuang evaluation ...` commands."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.models import Job
from kechuang.platforms.models import Platform
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def test_import_command_dry_run_then_commit(tmp_path, staff):
    host = UnitFactory(name="山西大学")
    path = tmp_path / "p.csv"
    path.write_text(
        f"编号,名称,类型,依托单位,成立日期\nC1,平台C,省实验室,{host.name},2021-05-24\nC2,平台D,未知,{host.name},2021-05-24\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 行有错误"):
        call_command(
            "platforms",
            "import",
            str(path),
            "--commit",
            f"--user={staff.username}",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert "第3行" in out.getvalue() and not Platform.objects.exists()
    path.write_text(
        f"编号,名称,类型,依托单位,成立日期\nC1,平台C,省实验室,{host.name},2021-05-24\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command(
        "platforms",
        "import",
        str(path),
        "--commit",
        f"--user={staff.username}",
        "--language=en",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "Imported: 1 rows, 1 new" in out.getvalue() and Platform.objects.filter(code="C1").exists()
    # Both runs are recorded as jobs; only the clean one committed.
    jobs = Job.objects.filter(kind="platforms.import", state="succeeded").order_by("created_at")
    assert [j.result["committed"] for j in jobs] == [False, True]


def test_counts_and_figures_commands():
    PlatformFactory(established=datetime.date(2020, 1, 1))
    out = io.StringIO()
    call_command("platforms", "counts", "--date=2020-01-01", "--by=level", stdout=out)
    assert out.getvalue().strip() == "provincial\t1"
    out = io.StringIO()
    call_command("platforms", "figures", language="en", stdout=out)
    assert "MISMATCH" in out.getvalue()  # an empty registry does not reproduce the report
    with pytest.raises(CommandError):
        call_command("platforms", "counts", "--date=2020-13-01")


def test_the_commands_speak_the_operators_language():
    said = {}
    for language in ("zh-hans", "en"):
        with pytest.raises(CommandError) as refused:
            call_command("platforms", "counts", "--date=2020-13-01", language=language)
        out = io.StringIO()
        call_command("platforms", "--language", language, "figures", stdout=out)
        words = [cell for line in out.getvalue().splitlines() for cell in line.split("\t")[3:]]
        said[language] = [str(refused.value), *words]
    assert said["zh-hans"][:3] == ["日期须为 YYYY-MM-DD 格式。", "（报告：1）", "不一致"]
    assert said["en"][:3] == ["The date must be YYYY-MM-DD.", "(report: 1)", "MISMATCH"]
    assert not re.search("[a-zA-Z]", " ".join(said["zh-hans"]).replace("YYYY-MM-DD", ""))
    assert not re.search("[\u4e00-\u9fff（）：]", " ".join(said["en"]))


@pytest.mark.parametrize(
    ("language", "reason", "column", "other"),
    [
        ("zh-hans", "未知的平台类型：未知", "[类型]", "[Type]"),
        ("en", "Unknown platform type: 未知", "[Type]", "[类型]"),
    ],
)
def test_a_kept_imports_row_errors_read_in_the_readers_language(
    tmp_path, staff, client_for, language, reason, column, other
):
    """The import runs in the site's language and keeps each row error as msgid and parameters: the command's
    lines follow --language, and the job's page reads them in the page's language."""
    from django.conf import settings

    host = UnitFactory(name="山西大学")
    path = tmp_path / "p.csv"
    path.write_text(
        f"编号,名称,类型,依托单位,成立日期\nC2,平台D,未知,{host.name},2021-05-24\n", encoding="utf-8"
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "platforms", "import", str(path), f"--user={staff.username}", f"--language={language}", stdout=out
        )
    assert reason in out.getvalue()
    # the column too, by its heading in the reader's language (it was kept as the worker's named it)
    assert column in out.getvalue() and other not in out.getvalue()
    job = Job.objects.get(kind="platforms.import")
    (error,) = job.result["errors"]
    assert error["message"] == "未知的平台类型：未知"  # as stored, in the site's language
    c = client_for(staff)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = c.get(job.get_absolute_url()).content.decode()
    assert reason in page and column in page and other not in page
