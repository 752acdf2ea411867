"""A project's page never shows a table's headings over no rows: where a project has no official document yet,
no indicators or no milestones, a line says so in the reader's language (tests/test_crawl.py walks the demo's
pages for the same)."""

import re

import pytest

from kechuang.accounts.models import Role

from .factories import ContractFactory

pytestmark = pytest.mark.django_db

TABLE = re.compile(r"<table\b.*?</table>", re.S)
HEAD = re.compile(r"<thead\b.*?</thead>", re.S)


def _headings_over_nothing(page: str) -> list[str]:
    return [t[:120] for t in TABLE.findall(page) if HEAD.search(t) and "<tr" not in HEAD.sub("", t)]


def test_a_project_with_nothing_yet_says_so_in_each_language(make_user, client_for, english_client_for):
    contract = ContractFactory(running=True, with_milestones=False)
    staff = make_user(Role.STAFF)
    zh = client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert not _headings_over_nothing(zh)
    for words in (
        "还没有出具公文：工作人员出具立项通知书、任务书等公文后，列在这里。",
        "任务书没有考核指标。",
        "任务书没有里程碑。",
    ):
        assert f'<p class="empty">{words}</p>' in zh, words
    assert "<th>文书</th>" not in zh
    en = english_client_for(staff).get(contract.get_absolute_url()).content.decode()
    assert not _headings_over_nothing(en)
    for words in (
        "No documents issued yet: once staff issue the award notice, the contract book and other documents, they are listed here.",
        "The contract has no indicators.",
        "The contract has no milestones.",
    ):
        assert f'<p class="empty">{words}</p>' in en, words


def test_a_project_with_indicators_and_milestones_shows_their_tables(make_user, client_for):
    contract = ContractFactory(running=True)
    body = client_for(make_user(Role.STAFF)).get(contract.get_absolute_url()).content.decode()
    assert "任务书没有考核指标。" not in body and "任务书没有里程碑。" not in body
    assert ">中试线</a>" in body and "晶圆直径" in body and not _headings_over_nothing(body)
