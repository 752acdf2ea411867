"""A filter list's value that the list does not hold (an old or edited link) is said beside the list, and the
person picks one of the list's values instead (core.filters.choice_filter): the dashboard's 地区."""

import pytest

from kechuang.indicators.tests.factories import RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_region_the_dashboard_does_not_list_is_said_beside_the_list(pages, settings):
    settings.KECHUANG_HOME_REGION = "620000"  # the page falls back to the department's own province (home32)
    RegionFactory(code="620000", name="甘肃省", level="province")
    RegionFactory(code="140000", name="山西省", level="province")
    p = pages
    p.goto("/indicators/?region=火星省", "region-not-listed")
    said = p.page.locator("#region-error")
    assert said.inner_text() == "“火星省”不在“地区”的列表中，请在列表中选择；下面显示甘肃省。"
    box = p.page.locator("select[name=region]")
    assert (
        box.get_attribute("aria-invalid") == "true"
        and box.get_attribute("aria-describedby") == "region-error"
    )
    assert box.input_value() == "甘肃省" and "甘肃省" in p.page.locator("h1").inner_text()
    box.select_option(label="山西省")
    p.click("form.filters button[type=submit]", "region-picked")
    assert p.page.locator("#region-error").count() == 0 and "山西省" in p.page.locator("h1").inner_text()
