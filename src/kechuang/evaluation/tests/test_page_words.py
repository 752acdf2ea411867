"""An evaluation's page as a newcomer reads it (people38): the computation's method in words, not its code
(weighted-tree-v2); a column counted in 万元 says so in its heading; a published evaluation's action panel
says why it offers nothing."""

import pytest
from django.urls import reverse

from kechuang.evaluation import services

from .test_projects import accepted, project_campaign  # noqa: F401  (two accepted projects)

pytestmark = pytest.mark.django_db


def test_a_published_evaluation_reads_in_words_and_says_why_no_action(
    staff,
    accepted,  # noqa: F811
    client_for,
    english_client_for,
):
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=list(accepted))
    services.campaign_transition(actor=staff, campaign=c, action="open")
    services.campaign_collect(actor=staff, campaign=c)
    services.campaign_compute(actor=staff, campaign=c)
    page = client_for(staff).get(c.get_absolute_url()).content.decode()
    assert "weighted-tree" not in page and "计算方法 加权指标树（项目的任务书考核指标逐项计分）" in page
    assert "<th>成果转化金额（万元）</th>" in page
    assert "评估活动到此结束" not in page
    client_for(staff).post(reverse("evaluation:publish", args=[c.pk]), {"missing": "leave_out"})
    c.refresh_from_db()
    assert c.status == "published"
    page = client_for(staff).get(c.get_absolute_url()).content.decode()
    assert "结果已发布，评估活动到此结束：没有可做的操作" in page
    en = english_client_for(staff).get(c.get_absolute_url()).content.decode()
    assert "weighted-tree" not in en and "the evaluation is over" in en
