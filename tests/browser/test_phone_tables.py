"""At phone width a table too wide for the screen scrolls in its own box, and a box that scrolls takes the
keyboard's focus (walked, session 14: the English platform statistics, whose report figures are named in
full, failed axe's scrollable-region-focusable, serious, at 390 px)."""

import pytest
from django.conf import settings

from .test_accessibility import AXE, FAILING, RUN_AXE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_wide_table_on_a_phone_can_be_scrolled_from_the_keyboard(pages):
    p = pages
    context = p.page.context
    context.add_init_script(path=str(AXE))
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": p.base_url}])
    p.page.set_viewport_size({"width": 390, "height": 844})
    p.goto("/platforms/statistics/", "statistics-phone-en")
    f = p.page
    scrolling = f.evaluate(
        "Array.from(document.querySelectorAll('table.table')).filter(t => t.scrollWidth > t.clientWidth + 1)"
        ".map(t => t.getAttribute('tabindex'))"
    )
    assert scrolling and set(scrolling) == {"0"}  # a table scrolls, and each one that does takes the focus
    failing = [v for v in f.evaluate(RUN_AXE) if v["impact"] in FAILING]
    assert failing == [], failing
    f.set_viewport_size({"width": 1280, "height": 900})
    f.wait_for_timeout(400)  # the resize handler waits 150 ms
    assert f.evaluate("document.querySelectorAll('table.table[data-kc-scroll]').length") == 0
