"""An application's page names each milestone's stage target with the indicator's unit, in the reader's
language (walked, session 34, people35: the "指标阶段目标" column read 晶圆直径：8 — eight what? — and on the
English page the Chinese name and no unit)."""

from decimal import Decimal

import pytest

from kechuang.challenges.models import ChallengeIndicator

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_stage_targets_carry_the_indicators_unit_in_both_languages(client_for, english):
    app = ApplicationFactory()  # its list's indicators: 晶圆直径（英寸）, 微管密度（个/cm²）
    ChallengeIndicator.objects.filter(challenge=app.challenge, name="晶圆直径").update(
        name_en="Wafer diameter"
    )
    app.milestones.create(
        seq=8, title="样品", month=12, tranche=Decimal("0"), targets={"晶圆直径": "8.000", "微管密度": "1"}
    )
    app.milestones.create(seq=9, title="验收", month=24, tranche=Decimal("0"), targets={})
    c = client_for(app.leader)
    page = c.get(app.get_absolute_url()).content.decode()
    assert "晶圆直径（英寸）：8；微管密度（个/cm²）：1" in page
    english(c)
    page = c.get(app.get_absolute_url()).content.decode()
    assert "Wafer diameter (inches): 8; 微管密度 (per cm²): 1" in page
    assert "晶圆直径" not in page


def test_the_report_form_writes_a_percentage_target_without_a_space(client_for, english):
    from django.utils import translation

    from kechuang.challenges.forms import MilestoneReportForm
    from kechuang.challenges.models import MilestoneValue
    from kechuang.challenges.tests.factories import ContractFactory

    c = ContractFactory(running=True)
    m = c.milestones.first()
    v = MilestoneValue.objects.filter(milestone=m).select_related("indicator").first()
    v.indicator.unit, v.indicator.unit_en = "%", ""
    v.indicator.save(update_fields=["unit", "unit_en"])
    with translation.override("en"):
        label = str(MilestoneReportForm(milestone=m).fields[f"value_{v.indicator_id}"].label)
    assert f"(stage target {v.target.normalize():f}%)" in label, label
