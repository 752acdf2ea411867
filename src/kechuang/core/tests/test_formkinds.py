"""The field kinds of repeating parts (core.formkinds): each a field of rows with add/remove, one typed field
per column, cleaning to structured rows; a refused form shows every row as typed with the reason."""

import datetime
from decimal import Decimal

from django import forms

from kechuang.core.formkinds import (
    BudgetLinesField,
    CriteriaField,
    MilestoneDatesField,
    MilestonesField,
    TargetIndicatorsField,
    TeamField,
    rows_post,
)


class KindsForm(forms.Form):
    team = TeamField(label="团队成员", required=False)
    indicators = TargetIndicatorsField(label="目标指标", required=False)
    criteria = CriteriaField(label="评审指标", required=False)
    milestones = MilestonesField(label="里程碑", required=False)
    budget = BudgetLinesField(label="预算", required=False)
    dates = MilestoneDatesField(label="到期日", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestones"].set_indicators(["良率", "直径"])
        self.fields["dates"].set_milestones([(1, "中试"), (2, "量产")])


def test_team_rows_clean_to_members_and_blank_and_deleted_rows_are_dropped():
    data = rows_post(
        "team",
        [
            {"name": "王工", "title": "高工", "duty": "工艺"},
            {"name": "", "title": "", "duty": ""},  # the spare row
            {"name": "删工", "title": "", "duty": "", "DELETE": "on"},  # removed by the person
            {"name": "李工"},
        ],
    )
    form = KindsForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["team"] == [
        {"name": "王工", "title": "高工", "duty": "工艺"},
        {"name": "李工", "title": "", "duty": ""},
    ]


def test_a_row_without_its_required_cell_is_refused_with_the_row_number_and_kept():
    form = KindsForm(rows_post("team", [{"name": "王工"}, {"title": "教授", "duty": "测试"}]))
    assert not form.is_valid()
    assert "第 2 行" in " ".join(form.errors["team"])
    html = str(form["team"])
    assert 'value="王工"' in html and 'value="教授"' in html and 'value="测试"' in html
    assert 'aria-invalid="true"' in html  # the empty name cell says it is wrong


def test_rows_render_with_add_and_remove_and_a_template_row():
    html = str(KindsForm(initial={"team": [{"name": "王工", "title": "高工", "duty": "工艺"}]})["team"])
    assert 'data-rows="team"' in html and "data-add-row" in html and "data-remove-row" in html
    assert "<template data-row-template>" in html and "team-__prefix__-name" in html
    assert 'name="team-TOTAL_FORMS" value="1"' in html  # the stored row, no spare (add-row makes one)
    assert 'aria-label="姓名"' in html
    empty = str(KindsForm()["team"])
    assert 'name="team-TOTAL_FORMS" value="1"' in empty  # one spare row to type in


def test_added_rows_beyond_the_first_are_read():
    rows = [{"name": f"成员{i}"} for i in range(5)]
    form = KindsForm(rows_post("team", rows))
    assert form.is_valid(), form.errors
    assert [r["name"] for r in form.cleaned_data["team"]] == [f"成员{i}" for i in range(5)]


def test_target_indicators_with_direction_and_no_duplicate_names():
    data = rows_post(
        "indicators",
        [
            {"name": "良率", "unit": "%", "baseline": "60", "target": "90", "direction": "higher"},
            {"name": "缺陷密度", "unit": "个/cm²", "baseline": "", "target": "1", "direction": "lower"},
        ],
    )
    form = KindsForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["indicators"] == [
        {
            "name": "良率",
            "unit": "%",
            "baseline": Decimal("60"),
            "target": Decimal("90"),
            "higher_is_better": True,
        },
        {
            "name": "缺陷密度",
            "unit": "个/cm²",
            "baseline": None,
            "target": Decimal("1"),
            "higher_is_better": False,
        },
    ]
    dup = KindsForm(
        rows_post("indicators", [{"name": "良率", "target": "1"}, {"name": "良率", "target": "2"}])
    )
    assert not dup.is_valid() and "不能重复" in " ".join(dup.errors["indicators"])
    bad = KindsForm(rows_post("indicators", [{"name": "良率", "target": "九十", "direction": "higher"}]))
    assert not bad.is_valid() and 'value="九十"' in str(bad["indicators"])
    # stored indicators shown again with their direction chosen
    shown = str(KindsForm(initial={"indicators": form.cleaned_data["indicators"]})["indicators"])
    assert '<option value="lower" selected>' in shown


def test_criteria_weights_sum_to_one_and_new_criteria_get_codes_nobody_types():
    form = KindsForm(
        rows_post(
            "criteria",
            [
                {"code": "tech", "name": "技术先进性", "weight": "0.5"},
                {"name": "团队能力", "weight": "0.3"},
                {"name": "实施方案", "weight": "0.2"},
            ],
        )
    )
    assert form.is_valid(), form.errors
    assert [(c["code"], c["weight"]) for c in form.cleaned_data["criteria"]] == [
        ("tech", 0.5),
        ("c1", 0.3),
        ("c2", 0.2),
    ]
    off = KindsForm(rows_post("criteria", [{"name": "甲", "weight": "0.5"}, {"name": "乙", "weight": "0.3"}]))
    assert not off.is_valid() and "0.8" in " ".join(off.errors["criteria"])
    html = str(off["criteria"])
    assert 'value="甲"' in html and 'value="0.3"' in html
    assert 'type="hidden" name="criteria-0-code"' in html  # the code is never a typed column


def test_milestones_carry_a_target_per_indicator():
    form = KindsForm(
        rows_post(
            "milestones",
            [
                {"title": "中试", "month": "12", "tranche": "60", "target_0": "70", "target_1": ""},
                {"title": "量产", "month": "24", "tranche": "", "target_0": "90", "target_1": "8"},
            ],
        )
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["milestones"] == [
        {"title": "中试", "month": 12, "tranche": Decimal("60"), "targets": {"良率": "70"}},
        {"title": "量产", "month": 24, "tranche": Decimal("0"), "targets": {"良率": "90", "直径": "8"}},
    ]
    html = str(KindsForm(initial={"milestones": form.cleaned_data["milestones"]})["milestones"])
    assert "良率 阶段目标" in html and 'name="milestones-1-target_1" value="8"' in html
    bad = KindsForm(rows_post("milestones", [{"title": "中试", "month": "0"}]))
    assert not bad.is_valid()


def test_budget_lines_and_their_total():
    form = KindsForm(
        rows_post(
            "budget",
            [{"item": "设备费", "amount": "120.50"}, {"item": "材料费", "amount": "30", "note": "耗材"}],
        )
    )
    assert form.is_valid(), form.errors
    rows = form.cleaned_data["budget"]
    assert rows[1] == {"item": "材料费", "amount": Decimal("30"), "note": "耗材"}
    assert BudgetLinesField.total(rows) == Decimal("150.50")
    bad = KindsForm(rows_post("budget", [{"item": "设备费", "amount": "-1"}]))
    assert not bad.is_valid() and 'value="-1"' in str(bad["budget"])


def test_milestone_dates_are_chosen_by_title_once_each():
    form = KindsForm(rows_post("dates", [{"seq": "2", "due": "2027-03-01"}]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["dates"] == [{"seq": 2, "due": datetime.date(2027, 3, 1)}]
    assert ">量产</option>" in str(form["dates"])
    twice = KindsForm(
        rows_post("dates", [{"seq": "1", "due": "2027-03-01"}, {"seq": "1", "due": "2027-04-01"}])
    )
    assert not twice.is_valid()
    unknown = KindsForm(rows_post("dates", [{"seq": "9", "due": "2027-03-01"}]))
    assert not unknown.is_valid()


def test_a_required_field_of_rows_refuses_none_and_a_missing_block():
    class Required(forms.Form):
        team = TeamField(label="团队", min_rows=1)

    assert not Required({}).is_valid()
    assert not Required(rows_post("team", [{"name": ""}])).is_valid()
    assert Required(rows_post("team", [{"name": "王工"}])).is_valid()


def test_the_fewest_rows_are_asked_for_in_the_readers_language_and_number():
    """The count in "Fill in at least 1 row." / "…2 rows.": in the reader's plural form, in both languages."""
    from django.utils import translation

    def refusal(least: int, language: str) -> str:
        class Required(forms.Form):
            team = TeamField(label="团队", min_rows=least)

        with translation.override(language):
            form = Required(rows_post("team", [{"name": ""}]))
            assert not form.is_valid()
            return " ".join(form.errors["team"])

    assert "Fill in at least 1 row." in refusal(1, "en")
    assert "Fill in at least 2 rows." in refusal(2, "en")
    assert "至少填写 1 行。" in refusal(1, "zh-hans")
    assert "至少填写 2 行。" in refusal(2, "zh-hans")
