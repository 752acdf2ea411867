"""The challenge forms take their repeating parts as rows (core.formkinds): typed cells in, clean rows or
the reason beside the cell out."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.challenges import files
from kechuang.challenges.forms import ApplicationForm, ChallengeForm
from kechuang.core.formkinds import rows_post

# The forms' choice fields read the database for some drawn rows (a challenge form's rows of indicators did
# once in ~60 examples): the database stays open for every test here (see the `nodb` mark, conftest.py).
pytestmark = pytest.mark.django_db

BASE = {"title": "项目", "plan": "方案", "budget_requested": "100", "budget_self": "0"}


def team(*rows):
    return rows_post("team_text", [dict(zip(("name", "title", "duty"), r, strict=False)) for r in rows])


def milestones(*rows):
    return rows_post(
        "milestones_text", [dict(zip(("title", "month", "tranche"), r, strict=False)) for r in rows]
    )


def test_milestones_and_team_as_rows():
    form = ApplicationForm(
        {
            **BASE,
            **team(("王工", "高工", "工艺"), ("", "", ""), ("李工",)),
            **milestones(("中试", "12", "60"), ("量产", "24", "40")),
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["team_text"] == [
        {"name": "王工", "title": "高工", "duty": "工艺", "unit_id": None},  # no unit: the lead unit's
        {"name": "李工", "title": "", "duty": "", "unit_id": None},
    ]
    assert form.cleaned_data["milestones_text"] == [
        {"title": "中试", "month": 12, "tranche": Decimal("60"), "targets": {}},
        {"title": "量产", "month": 24, "tranche": Decimal("40"), "targets": {}},
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("中试", "十二", "60"),), "第 1 行"),
        ((("中试", "12", "60"), ("量产", "24", "四十")), "第 2 行"),
        ((), None),  # required
    ],
)
def test_milestone_errors_name_the_row(rows, message):
    form = ApplicationForm({**BASE, **milestones(*rows)})
    assert not form.is_valid()
    assert "milestones_text" in form.errors
    if message:
        assert message in " ".join(form.errors["milestones_text"])
    # every row is shown again as typed
    html = str(form["milestones_text"])
    for row in rows:
        for cell in row:
            assert f'value="{cell}"' in html


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=8), st.text(alphabet="0123456789.-x", max_size=4)), max_size=4))
def test_milestone_rows_never_crash(rows):
    form = ApplicationForm({**BASE, **milestones(*[(t, m, "0") for t, m in rows])})
    if form.is_valid():
        for row in form.cleaned_data["milestones_text"]:
            assert isinstance(row["month"], int) and row["title"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=6), st.text(alphabet="0123456789.-x", max_size=5)), max_size=3))
def test_indicator_rows_never_crash(rows):
    data = rows_post("indicators_text", [{"name": n, "target": t, "direction": "higher"} for n, t in rows])
    data |= rows_post("criteria_text", [{"name": "甲", "weight": "1"}])
    form = ChallengeForm(data)
    form.is_valid()
    if "indicators_text" in form.cleaned_data:
        assert all(r["name"] and r["target"] is not None for r in form.cleaned_data["indicators_text"])


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_are_never_an_office_file(data):
    kind = files.sniff(data)
    assert kind is None or data.startswith(b"%PDF-")


@pytest.mark.django_db
def test_avoided_units_are_typed_by_name_or_id_not_listed():
    from kechuang.accounts.tests.factories import UnitFactory

    a, b, unlisted = UnitFactory(name="回避甲"), UnitFactory(name="回避乙"), UnitFactory(name="不相干单位")
    data = {**BASE, **milestones(("中试", "12", "60"))}
    form = ApplicationForm({**data, "avoid_units": f"回避甲\n{b.pk}"})
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["avoid_units"]) == {a, b}
    bad = ApplicationForm({**data, "avoid_units": "回避甲，查无此单位"})
    assert not bad.is_valid() and "查无此单位" in " ".join(bad.errors["avoid_units"])
    # the picker holds only the chosen units (searched as the person types: web:pick-units)
    shown = ApplicationForm(initial={"avoid_units": [a, b]}).as_p()
    assert f'value="{a.pk}" selected>回避甲' in shown and f'value="{b.pk}" selected>回避乙' in shown
    assert unlisted.name not in shown
