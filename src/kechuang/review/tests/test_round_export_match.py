"""The review rounds' Excel says the match as the page does (people37): the mean match of the active
assignments as a whole percentage, not the solver's raw total."""

import io

import openpyxl
import pytest
from django.db.models import Avg
from django.urls import reverse

from kechuang.review.models import Assignment

pytestmark = pytest.mark.django_db


def test_the_rounds_excel_writes_the_mean_match_as_the_page(client_for, staff, reviewing_round):
    rnd, _subjects, _experts = reviewing_round
    c = client_for(staff)
    r = c.get(reverse("review:round-list") + "?export=xlsx")
    data = b"".join(r.streaming_content) if r.streaming else r.content
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    col = rows[0].index("平均匹配度（%）")
    assert "总匹配度" not in rows[0]
    mean = Assignment.objects.filter(round=rnd, status="active").aggregate(m=Avg("affinity"))["m"]
    shown = round(float(mean) * 100)
    assert rows[1][col] == shown
    assert f"{shown}%" in c.get(reverse("review:round-list")).content.decode()
