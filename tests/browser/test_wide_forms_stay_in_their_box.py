"""A table too wide for the screen scrolls in its own box and the page does not (people38: the framework
builder's indicator rows made the whole page 1,971 px wide at 1,280: the rows' visually hidden labels,
absolutely positioned, escaped the table's `.scroll-x` box, which now positions them)."""

import pytest

from kechuang.core.roles import Role
from kechuang.indicators.tests.factories import FrameworkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_framework_builder_scrolls_its_rows_not_the_page(pages, make_user):
    make_user(Role.STAFF, username="builder")
    framework = FrameworkFactory()
    p = pages
    p.login("builder")
    p.goto(f"/indicators/frameworks/{framework.pk}/edit/", "framework-builder")
    f = p.page
    assert f.evaluate("document.scrollingElement.scrollWidth") <= 1280
    assert f.evaluate("document.querySelector('#outline').closest('.scroll-x').scrollWidth") > 1280
