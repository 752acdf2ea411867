"""An expert's scoring form names each criterion in their language (session 13, helper walker): its weight
as written (0.3, not 0.3000) and its full marks, with no Chinese words on an English page."""

from decimal import Decimal

from django.utils import translation

from kechuang.review.forms import ScoreForm
from kechuang.review.models import Criterion


def test_a_criterion_reads_with_its_weight_and_full_marks_in_the_readers_language():
    criteria = [
        Criterion(code="tech", name="技术先进性", weight=Decimal("0.3000"), max_score=100),
        Criterion(code="team", name="团队能力", weight=Decimal("10.0000"), max_score=10),
    ]
    with translation.override("zh-hans"):
        labels = [f.label for f in ScoreForm(criteria=criteria).fields.values() if f.label]
        assert "技术先进性（权重 0.3，满分 100）" in labels
        assert "团队能力（权重 10，满分 10）" in labels
    with translation.override("en"):
        labels = [str(f.label) for f in ScoreForm(criteria=criteria).fields.values() if f.label]
        assert "技术先进性 (weight 0.3, out of 100)" in labels
        assert not any("分）" in label or "0.3000" in label for label in labels)
