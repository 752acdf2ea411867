"""已入库 says two things: an expert in the pool (review) and a fact written into its module (ingest). One English
word for both had the expert pool read "Stored" for every approved expert."""

from django.utils import translation

from kechuang.ingest.models import Fact
from kechuang.review.workflow import ProfileStatus


def test_an_approved_expert_is_in_the_pool_and_a_recorded_fact_recorded():
    with translation.override("en"):
        assert str(ProfileStatus.APPROVED.label) == "In the expert pool"
        assert str(Fact.RecordStatus.RECORDED.label) == "Recorded"
    with translation.override("zh-hans"):
        assert str(ProfileStatus.APPROVED.label) == str(Fact.RecordStatus.RECORDED.label) == "已入库"
