"""A yearly report's page says which actions are not possible yet and what unlocks them (issue #13.5)."""

import pytest

from kechuang.platforms.models import Operator
from kechuang.platforms.tests.factories import YearlyReportFactory

pytestmark = pytest.mark.django_db


def _why(page: str) -> str:
    assert 'class="why"' in page, "the page does not say why"
    return page.split('class="why"')[1].split("</ul>")[0]


def test_a_draft_report_tells_staff_it_must_be_submitted_first(client_for, staff):
    report = YearlyReportFactory(status="draft")
    why = _why(client_for(staff).get(report.get_absolute_url()).content.decode())
    assert "接收" in why and "须先“提交”" in why and "草稿" in why


def test_a_report_without_staff_numbers_tells_its_operator_what_to_fill(client_for, operator):
    report = YearlyReportFactory(status="draft", staff=0, doctorates=0)
    Operator.objects.create(platform=report.platform, user=operator)
    why = _why(client_for(operator).get(report.get_absolute_url()).content.decode())
    assert "提交" in why and "请先填写固定人员数" in why
