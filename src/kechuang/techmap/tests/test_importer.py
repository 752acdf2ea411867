import datetime
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kechuang.core.excel import Row, xlsx_bytes
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.techmap import importer, selectors
from kechuang.techmap.importer import COLUMNS, map_import, parse_date, parse_row, parse_trl
from kechuang.techmap.models import Chain, ChainLink, Technology, TrlRecord

TODAY = datetime.date(2025, 6, 1)


def row(line=2, **values):
    base = {"产业链": "新材料", "环节位置": "上游", "环节": "衬底", "技术名称": "碳化硅单晶衬底"}
    base.update(values)
    return Row(line, base)


def test_parse_row_reads_every_column():
    p, errors = parse_row(
        row(
            卡脖子="是",
            进口替代状态="依赖进口，待替代",
            技术水平="跟跑",
            **{"本地配套率(%)": "77%", "基线TRL": "TRL5", "基线日期": "2021/1/1", "目标TRL": 8.0},
        ),
        today=TODAY,
    )
    assert errors == []
    assert (p.stage, p.is_bottleneck, p.substitution, p.level) == ("upstream", True, "needed", "following")
    assert str(p.local_supply_pct) == "77.0"
    assert p.trl == {"baseline": (5, datetime.date(2021, 1, 1)), "target": (8, TODAY)}


def test_parse_row_lists_every_error_with_its_column():
    p, errors = parse_row(
        Row(
            7,
            {
                "产业链": "",
                "环节位置": "左游",
                "环节": "x",
                "技术名称": "y",
                "卡脖子": "也许",
                "当前TRL": "12",
                "目标日期": "明年",
                "基线日期": "2021-01-01",
                "技术水平": "世界第一",
            },
        ),
        today=TODAY,
    )
    assert p is None
    assert {(e.line, e.field) for e in errors} == {
        (7, "产业链"),
        (7, "环节位置"),
        (7, "卡脖子"),
        (7, "当前TRL"),
        (7, "目标日期"),  # not a date
        (7, "基线TRL"),  # a date without a value
        (7, "技术水平"),
    }


def test_parse_row_refuses_target_below_baseline():
    _, errors = parse_row(row(**{"基线TRL": 6, "目标TRL": 4}), today=TODAY)
    assert [e.field for e in errors] == ["目标TRL"]


@given(st.integers(min_value=1, max_value=9))
def test_parse_trl_accepts_1_to_9_in_every_spelling(n):
    assert parse_trl(n) == parse_trl(str(n)) == parse_trl(float(n)) == parse_trl(f"TRL{n}") == n


@given(
    st.one_of(st.integers(max_value=0), st.integers(min_value=10), st.floats(min_value=1.01, max_value=8.99))
)
def test_parse_trl_refuses_everything_else(v):
    if isinstance(v, float) and v.is_integer():
        return
    with pytest.raises(ValueError):
        parse_trl(v)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_parse_date_round_trips(d):
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}/{d.month}/{d.day}") == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d
    assert parse_date(datetime.datetime(d.year, d.month, d.day, 8, tzinfo=datetime.UTC)) == d


@given(st.text(max_size=12))
def test_parse_date_gives_a_date_or_a_value_error(text):
    try:
        result = parse_date(text)
    except ValueError:
        return
    assert result is None or isinstance(result, datetime.date)


def sheet(rows, header=COLUMNS) -> bytes:
    return xlsx_bytes(header, rows)


def line(**kw):
    values = dict.fromkeys(COLUMNS, "")
    values.update({"产业链": "新材料", "环节位置": "上游", "环节": "衬底", "卡脖子": "否"})
    values.update(kw)
    return [values[c] for c in COLUMNS]


def test_bad_file_writes_nothing_and_reports_lines(staff):
    data = sheet(
        [
            line(技术名称="碳化硅单晶衬底", 当前TRL=6, 当前日期="2024-06-30"),
            line(技术名称="石墨烯散热膜", 当前TRL=11),
            line(技术名称="碳化硅单晶衬底"),
            line(技术名称="导电胶", 环节位置="中游"),  # same link, other stage
        ]
    )
    for dry_run in (True, False):
        report = map_import(actor=staff, data=data, filename="map.xlsx", dry_run=dry_run)
        assert [(e.line, e.field) for e in report.errors] == [
            (3, "当前TRL"),
            (4, "技术名称"),
            (5, "环节位置"),
        ]
        assert not report.committed
    assert Chain.objects.count() == Technology.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="technology").exists()


def test_clean_file_imports_in_one_go_then_updates(staff):
    data = sheet(
        [
            line(
                技术名称="碳化硅单晶衬底",
                卡脖子="是",
                基线TRL=5,
                基线日期="2021-01-01",
                当前TRL=6,
                当前日期="2024-06-30",
                目标TRL=8,
                目标日期="2025-12-31",
                内部备注="长晶良率低",
            ),
            line(技术名称="石墨烯散热膜", 环节="膜材料", 环节位置="中游", 技术水平="国内领先"),
        ]
    )
    dry = map_import(actor=staff, data=data, filename="map.xlsx")
    assert (dry.created, dry.updated, dry.committed) == (2, 0, False)
    assert Technology.objects.count() == 0
    report = map_import(actor=staff, data=data, filename="map.xlsx", dry_run=False)
    assert report.committed and report.errors == []
    sic = Technology.objects.get(name="碳化硅单晶衬底")
    assert (sic.trl_baseline, sic.trl_current, sic.trl_target) == (5, 6, 8)
    assert sic.is_bottleneck and sic.internal_note == "长晶良率低"
    assert not Chain.objects.get(name="新材料").published  # imported chains start unpublished
    assert ChainLink.objects.get(name="膜材料").stage == "midstream"
    # A new current TRL on a later date becomes a new dated record; unchanged values add nothing.
    again = sheet(
        [
            line(
                技术名称="碳化硅单晶衬底",
                卡脖子="是",
                基线TRL=5,
                基线日期="2021-01-01",
                当前TRL=7,
                当前日期="2025-05-01",
                目标TRL=8,
                目标日期="2025-12-31",
                内部备注="长晶良率低",
            )
        ]
    )
    report = map_import(actor=staff, data=again, filename="map.xlsx", dry_run=False)
    assert (report.created, report.updated) == (0, 1)
    sic.refresh_from_db()
    assert (sic.trl_current, sic.trl_current_on) == (7, datetime.date(2025, 5, 1))
    assert list(
        TrlRecord.objects.filter(technology=sic, kind="current")
        .order_by("as_of")
        .values_list("value", flat=True)
    ) == [6, 7]
    assert TrlRecord.objects.filter(technology=sic).count() == 4


def test_export_then_import_changes_nothing(staff):
    data = sheet(
        [
            line(
                技术名称="碳化硅单晶衬底",
                卡脖子="是",
                基线TRL=5,
                基线日期="2021-01-01",
                进口替代状态="替代攻关中",
                **{"本地配套率(%)": 40},
            )
        ]
    )
    map_import(actor=staff, data=data, filename="map.xlsx", dry_run=False)
    exported = xlsx_bytes(COLUMNS, selectors.export_rows(user=staff))
    before = AuditEvent.objects.count()
    report = map_import(actor=staff, data=exported, filename="export.xlsx", dry_run=False)
    assert report.errors == [] and (report.created, report.updated) == (0, 0)
    assert AuditEvent.objects.count() == before  # nothing changed, nothing audited


def test_csv_and_missing_columns(staff):
    csv = "产业链,环节位置,环节,技术名称,卡脖子\n新能源,上游,电池材料,正极材料,否\n".encode()
    assert map_import(actor=staff, data=csv, filename="m.csv", dry_run=False).committed
    from kechuang.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        map_import(actor=staff, data="产业链,技术名称\n新能源,x\n".encode(), filename="m.csv")
    assert exc.value.code == "missing_columns"


def test_import_refused_for_non_staff(commissioner):
    with pytest.raises(PermissionDenied):
        map_import(actor=commissioner, data=sheet([line(技术名称="x")]), filename="m.xlsx", dry_run=False)
    assert Technology.objects.count() == 0


def test_export_hides_internal_notes_from_public(staff, applicant):
    map_import(
        actor=staff, data=sheet([line(技术名称="x", 内部备注="机密")]), filename="m.xlsx", dry_run=False
    )
    Chain.objects.update(published=True)
    assert selectors.export_rows(user=staff)[0][-1] == "机密"
    assert selectors.export_rows(user=applicant)[0][-1] == ""
    wb = load_workbook(io.BytesIO(xlsx_bytes(COLUMNS, selectors.export_rows(user=applicant))))
    assert [c.value for c in wb.active[1]] == COLUMNS
    assert [importer.FIELDS_ZH[f] for f in importer.REQUIRED] == ["产业链", "环节位置", "环节", "技术名称"]
    assert Workbook  # openpyxl available


@pytest.mark.parametrize(("reader", "written"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_stage_and_level_read_in_either_language(reader, written):
    """A link's stage and a technology's level named in any of the site's languages (matched in the active
    language only, a Chinese file failed on an English page)."""
    from django.utils import translation

    with translation.override(written):
        stage, level = str(ChainLink.Stage.UPSTREAM.label), str(Technology.Level.FOLLOWING.label)
    with translation.override(reader):
        p, errors = parse_row(row(环节位置=stage, 技术水平=level), today=TODAY)
    assert errors == [] and (p.stage, p.level) == ("upstream", "following")
