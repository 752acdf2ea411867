"""The spending form offers its quarters in the reader's language (walked, session 31, people28: the English
form offered 第1季度…第4季度, formatted once at import)."""

from django.utils import translation

from kechuang.funds.forms import SpendingForm


def test_the_quarters_read_in_the_pages_language():
    with translation.override("en"):
        assert [str(label) for _q, label in SpendingForm().fields["quarter"].choices] == [
            "Q1",
            "Q2",
            "Q3",
            "Q4",
        ]
    with translation.override("zh-hans"):
        html = str(SpendingForm()["quarter"])
        assert ">第1季度</option>" in html and ">第4季度</option>" in html
