"""Lists built in Python join as the reader's language does (people24): a refused call's several reasons, a stale
save's differing fields, the audit export's changes — "；" on Chinese pages, "; " on English ones."""

from django.core.exceptions import ValidationError
from django.utils import translation

from kechuang.core.exceptions import error_text


def test_a_refusals_reasons_join_in_the_readers_language():
    exc = ValidationError(["甲", "乙"])
    with translation.override("zh-hans"):
        assert error_text(exc) == "甲；乙"
    with translation.override("en"):
        assert error_text(exc) == "甲; 乙"
