"""The application's milestone rows head each indicator's stage target in the reader's language (walked, session
31, people28: the English application form read "发酵表达量 stage target" though the indicator had its English
name); the rows keep the indicator's stored (Chinese) name as the target's key."""

import pytest
from django.utils import translation

from kechuang.challenges.forms import ApplicationForm
from kechuang.challenges.models import ChallengeIndicator

from .factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_stage_targets_are_headed_by_the_english_name_on_english_pages():
    ch = ChallengeFactory(status="published")  # 晶圆直径 and 微管密度, without English names
    ChallengeIndicator.objects.filter(challenge=ch, name="晶圆直径").update(name_en="Wafer diameter")
    with translation.override("en"):
        html = str(ApplicationForm(challenge=ch)["milestones_text"])
        # with the indicator's unit (people34: a target column without its unit)
        assert "Stage target: Wafer diameter (inches)" in html and "晶圆直径" not in html
        assert "Stage target: 微管密度 (per cm²)" in html  # no English name: the Chinese, as entered
    with translation.override("zh-hans"):
        html = str(ApplicationForm(challenge=ch)["milestones_text"])
        assert "晶圆直径（英寸） 阶段目标" in html
    field = ApplicationForm(challenge=ch).fields["milestones_text"]
    assert field.row_kwargs["indicators"][:1] == ["晶圆直径"]
