"""Words that read one way in Chinese and two ways in English (walked, session 14): 批量导入 is the import
button on the platform and need lists, and also the "imported" source of an indicator value; the buttons
read "Imported" on English pages. The button has its own context."""

import pytest
from django.conf import settings

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/platforms/", "/challenges/needs/"])
def test_the_import_button_reads_import_in_english(make_user, client_for, path, english):
    c = client_for(make_user(Role.STAFF))
    english(c)
    body = c.get(path).content.decode()
    assert ">Import</a>" in body and ">Imported</a>" not in body
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert ">批量导入</a>" in c.get(path).content.decode()


def test_buttons_say_what_they_do_in_english(make_user, client_for, english):
    """创建 (a review round's submit button; also a job's "Created" column), 确认重复 (the button; also the
    state "Confirmed duplicate"), 地区 (the link to the list of regions)."""
    from django.utils import translation

    from kechuang.challenges.workflow_dedup import DUPLICATE, DuplicateStatus

    c = client_for(make_user(Role.STAFF))
    english(c)
    assert '<button type="submit">Create</button>' in c.get("/review/rounds/new/").content.decode()
    assert "Regions</a>" in c.get("/indicators/list/").content.decode()
    with translation.override("en"):
        confirm = DUPLICATE.transitions["confirm"]
        assert str(confirm.label) == "Confirm the duplicate"
        assert str(DuplicateStatus.CONFIRMED.label) == "Confirmed duplicate"
    with translation.override("zh-hans"):
        assert str(confirm.label) == "确认重复"


@pytest.mark.parametrize("path", ["/platforms/statistics/", "/indicators/targets/"])
def test_no_table_column_is_left_without_a_name(make_user, client_for, path):
    """axe (walked, session 14): empty-table-header on the statistics' check column and the targets' actions."""
    body = client_for(make_user(Role.STAFF)).get(path).content.decode()
    assert "<th></th>" not in body
