"""Staff give a chain its English name where they give the Chinese one, switch the page to English and read the
map in it; a link given no English name reads in Chinese (english9)."""

import pytest

from kechuang.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_name_a_chain_in_english_and_read_the_map_in_english(pages, make_user):
    p = pages
    make_user(Role.STAFF, username="en_staff", full_name="王处长")
    p.who = "staff"
    p.login("en_staff")
    p.goto("/techmap/chains/new/", "chain-new")
    p.page.get_by_label("产业链").fill("新能源")
    p.page.get_by_label("英文名称").fill("New energy")
    p.page.get_by_label("已公开").check()
    p.click("main button[type=submit]", "chain-saved")
    assert p.page.locator("h1").inner_text().startswith("新能源")
    chain_path = p.path()
    # a link given no English name
    add = p.page.locator("section.panel", has=p.page.locator("h2", has_text="添加环节"))
    add.get_by_label("环节位置").select_option("upstream")
    add.get_by_label("环节名称").fill("电池材料")
    p.click(add.locator("button[type=submit]"), "link-added")
    # the page in English, as a person switches it: the language menu in the top bar
    with p.page.expect_navigation():
        p.page.select_option("#lang-select", "en")
    p.page.wait_for_load_state()
    p.shot("chain-en")
    assert p.path() == chain_path
    assert p.page.locator("h1").inner_text().startswith("New energy")
    assert "电池材料" in p.page.locator("main").inner_text()  # no English name: the Chinese one
    p.goto("/techmap/", "map-en")
    card = p.page.locator("main .card").first.inner_text()
    assert "New energy" in card and "新能源" not in card
    p.goto("/techmap/matrix/", "matrix-en")
    assert "New energy" in p.page.locator("main table").inner_text()
