import io
import json

import pytest
from django.core.management import CommandError, call_command

from kechuang.ingest.models import Document

from .golden import EXPECTED, SAMPLE


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_repair_prints_the_repaired_text():
    out, _ = run("repair", str(SAMPLE))
    assert out == EXPECTED.read_text(encoding="utf-8")


def test_repair_changes_are_json_lines():
    out, err = run("repair", str(SAMPLE), "--changes")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) > 600 and "changes" in err
    assert {"step": "notices", "after": "〔缺失759字〕"}.items() <= next(
        x for x in lines if x["step"] == "notices"
    ).items()


def test_facts_are_json_lines():
    out, _ = run("facts", str(SAMPLE), "--year", "2023")
    facts = [json.loads(line) for line in out.splitlines()]
    assert len(facts) == 30
    assert {"kind": "money", "value": "420000000", "unit": "元", "subject": "经费"}.items() <= facts[
        21
    ].items()
    assert set(facts[0]) >= {
        "subject",
        "predicate",
        "value",
        "unit",
        "qualifier",
        "period",
        "quote",
        "start",
        "end",
        "orig_start",
        "orig_end",
    }


def test_pure_commands_refuse_bad_files(tmp_path):
    bad = tmp_path / "x.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError, match="不支持"):
        run("repair", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        run("facts", str(tmp_path / "missing.txt"))


@pytest.mark.django_db
def test_ingest_command_stores_files_once(tmp_path):
    (tmp_path / "a.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "b.txt").write_bytes("報告：簽約7臺裝置訂單。".encode("big5"))
    (tmp_path / "c.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="refused by the upload checks"):  # exit status 1 (security.md §43)
        call_command("ingest", str(tmp_path), "--year", "2023", stdout=out, stderr=err)
    assert "2 created, 0 already there, 1 failed" in out.getvalue()
    assert "c.xls" in err.getvalue()
    out, _ = run("ingest", str(tmp_path / "a.txt"))
    assert "0 created, 1 already there" in out
    assert Document.objects.count() == 2
    with pytest.raises(CommandError):
        run("ingest", str(tmp_path / "c.xls"))


@pytest.mark.django_db
def test_demo_loader_is_idempotent():
    from kechuang.accounts.demo import load as accounts_load
    from kechuang.ingest.demo import load

    accounts_load()
    out = io.StringIO()
    load(stdout=out)
    load(stdout=out)
    assert Document.objects.count() == 1
    assert "报告：已有" in out.getvalue()  # the second load's progress line, in the site's language
