"""A serving process loads the word segmentation and the URLs before its first request (issue #19)."""

import gc

import jieba
from django.urls import get_resolver

from kechuang.core.warmup import warm_up


def test_warm_up_loads_the_dictionary_and_the_urls_then_freezes_what_it_built():
    gc.unfreeze()  # what the test process froze (src/kechuang/conftest.py): the count below is warm_up's own
    assert gc.get_freeze_count() == 0
    try:
        warm_up()
        assert jieba.dt.initialized
        assert get_resolver()._populated
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # frozen again by the test process after this module (src/kechuang/conftest.py)


def test_the_serving_entry_points_warm_up():
    from pathlib import Path

    import kechuang

    root = Path(kechuang.__file__).parent
    for entry in ("wsgi.py", "asgi.py"):
        assert "warm_up()" in (root / entry).read_text(encoding="utf-8"), entry
