"""Each step on an integrity record's page says what it will do before its button (issue: irreversible
actions are confirmed with what will happen): revoking lifts the restrictions at once and cannot be undone;
dismissing an appeal keeps them to the end of the period; granting it lifts them."""

import pytest

from kechuang.integrity import services

from .factories import RecordFactory

pytestmark = pytest.mark.django_db


def _before_button(html: str, label: str) -> str:
    """The panel of one step: from its heading to its button."""
    start = html.index(f"<h3>{label}</h3>")
    return html[start : html.index("</form>", start)]


def test_each_step_says_what_will_happen(client_for, staff):
    record = RecordFactory()
    c = client_for(staff)
    page = c.get(record.get_absolute_url()).content.decode()
    assert "限制立即解除" in _before_button(page, "撤销处理") and "不能撤回" in _before_button(
        page, "撤销处理"
    )
    assert "只能申诉一次" in _before_button(page, "登记申诉")
    services.record_transition(actor=staff, record=record, action="appeal", reason="不服")
    page = c.get(record.get_absolute_url()).content.decode()
    assert "限制继续有效到限制期满" in _before_button(page, "驳回申诉")
    assert "限制立即解除" in _before_button(page, "申诉成立")
