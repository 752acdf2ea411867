"""Every list a department hands on exports to Excel (issue #13 part 7): the list page's 导出 Excel button
gives an .xlsx with Chinese headers, labels not codes, money as people write it, the page's filters and its
visibility (core.exports). The query budgets of the exports are in tests/test_query_budgets.py."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.web.tests.world import World

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")

# url name, role, query: every list the issue names
LISTS = [
    ("accounts:unit-list", "staff", ""),
    ("challenges:need-list", "staff", ""),
    ("challenges:topic-list", "staff", ""),
    ("challenges:application-list", "staff", ""),
    ("challenges:contract-list", "staff", ""),
    ("challenges:results", "anonymous", ""),
    ("review:expert-list", "staff", ""),
    ("review:round-list", "staff", ""),
    ("platforms:reorganisations", "staff", ""),
    ("platforms:list", "staff", ""),
    ("core:audit-log", "staff", ""),
    ("ingest:fact-queue", "staff", ""),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module (it takes long to build), rolled back at the end."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = World().grow(2)
            # a public (stage) result with a transfer, for the results list
            from kechuang.challenges.models import Contract, Result, Transfer

            Contract.objects.filter(pk=w.contract.pk).update(status="in_progress")
            Result.objects.filter(pk=w.result.pk).update(is_stage_result=True)
            Transfer.objects.create(
                result=w.result,
                kind=Transfer.Kind.choices[0][0],
                counterparty="太原某公司",
                amount=Decimal("12500"),
                transferred_on=datetime.date(2026, 7, 1),
            )
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(world, role) -> Client:
    c = Client()
    if role != "anonymous":
        c.force_login(world.users[role])
    return c


def _sheet(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


# Choice codes that must never reach a cell: a cell equal to one of them is a code, not a label.
CODES = {
    "enterprise",
    "draft",
    "submitted",
    "published",
    "proposed",
    "accepted",
    "merge",
    "approved",
    "optimal",
    "active",
    "signed",
    "patent",
    "high",
    "medium",
    "low",
    "True",
    "False",
    "None",
}


@pytest.mark.parametrize(("name", "role", "query"), LISTS, ids=[n for n, _r, _q in LISTS])
def test_every_list_exports_with_chinese_headers_and_labels(world, name, role, query):
    page = _client(world, role).get(reverse(name) + ("?" + query if query else ""))
    assert page.status_code == 200
    html = page.content.decode()
    assert "export=xlsx" in html or 'name="export" value="xlsx"' in html, "the list has no 导出 Excel button"
    rows = _sheet(_client(world, role).get(reverse(name), {"export": "xlsx"}))
    header, body = rows[0], rows[1:]
    assert all(h and CJK.search(str(h)) for h in header), header
    assert body, "the export is empty"
    codes = {str(v) for r in body for v in r if v is not None} & CODES
    assert not codes, f"choice codes in the export: {codes}"
    assert not any(
        isinstance(v, str) and ("{'" in v or "<" in v and "object at" in v) for r in body for v in r
    )


def test_money_as_people_write_it(world):
    rows = _sheet(_client(world, "staff").get(reverse("challenges:contract-list"), {"export": "xlsx"}))
    col = rows[0].index("财政经费")
    assert all(str(r[col]).endswith(("万元", "亿元")) for r in rows[1:] if r[col])


def test_results_carry_their_transfers_in_yi_yuan(world):
    rows = _sheet(_client(world, "anonymous").get(reverse("challenges:results"), {"export": "xlsx"}))
    row = next(r for r in rows[1:] if r[0] == world.result.title)
    assert row[rows[0].index("转化金额合计")] == "1.25 亿元"
    assert "太原某公司" in row[rows[0].index("转化情况（日期 方式 受让方 金额）")]


def test_the_export_has_the_page_filters(world):
    c = _client(world, "staff")
    rows = _sheet(c.get(reverse("challenges:application-list"), {"export": "xlsx", "status": "submitted"}))
    status = rows[0].index("状态")
    assert rows[1:] and {r[status] for r in rows[1:]} == {"已提交"}
    everything = _sheet(c.get(reverse("challenges:application-list"), {"export": "xlsx"}))
    assert len(everything) > len(rows)


def test_the_export_has_the_page_visibility(world):
    """An applicant's export holds its unit's applications only, as its list does."""
    staff = _sheet(_client(world, "staff").get(reverse("challenges:application-list"), {"export": "xlsx"}))
    mine = _sheet(_client(world, "applicant").get(reverse("challenges:application-list"), {"export": "xlsx"}))
    unit = mine[0].index("揭榜单位")
    assert {r[unit] for r in mine[1:]} == {world.unit.name}
    assert len(staff) > len(mine)


def test_a_list_refused_to_the_role_refuses_its_export(world):
    assert _client(world, "applicant").get(reverse("core:audit-log"), {"export": "xlsx"}).status_code == 403
    assert (
        _client(world, "applicant").get(reverse("review:expert-list"), {"export": "xlsx"}).status_code == 403
    )


def test_the_button_keeps_the_filters_and_drops_the_page(world):
    html = (
        _client(world, "staff")
        .get(reverse("challenges:application-list"), {"status": "submitted", "page": "1"})
        .content.decode()
    )
    href = re.search(r'href="\?([^"]*export=xlsx[^"]*)"', html).group(1)
    assert "status=submitted" in href and "page=" not in href


def test_the_audit_log_export_reads_in_words(world):
    rows = _sheet(_client(world, "staff").get(reverse("core:audit-log"), {"export": "xlsx"}))
    assert rows[0] == ["时间", "操作人", "操作", "对象", "变更", "理由"]
    assert len(rows) > 1
