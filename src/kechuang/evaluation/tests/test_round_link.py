"""An evaluation's page links its expert review round only for whom the round's page opens (staff): the
project's commissioner, who reads the evaluation, sees the round's name, not a link that answers 403 (found
walking the demo as 项目专员: /evaluation/1/ → /review/rounds/4/ refused)."""

import pytest
from django.urls import reverse

from kechuang.challenges.tests.factories import ContractFactory
from kechuang.evaluation import services
from kechuang.evaluation.tests.test_projects import accept, project_campaign
from kechuang.review.models import ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def test_the_round_is_a_link_for_staff_and_a_name_for_the_commissioner(staff, client_for):
    a = ContractFactory(title="碳化硅单晶衬底")
    accept(a, {"晶圆直径": "8", "微管密度": "0.8"})
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[a])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    experts = [ExpertProfileFactory() for _ in range(2)]
    rnd = services.campaign_review_start(
        actor=staff, campaign=c, k=1, experts=ExpertProfile.objects.filter(pk__in=[e.pk for e in experts])
    )
    round_url = reverse("review:round-detail", args=[rnd.pk])
    page = reverse("evaluation:detail", args=[c.pk])

    staff_page = client_for(staff).get(page).content.decode()
    assert f'href="{round_url}"' in staff_page

    commissioner = client_for(a.commissioner)
    r = commissioner.get(page)
    assert r.status_code == 200
    html = r.content.decode()
    assert str(rnd) in html and f'href="{round_url}"' not in html
    assert commissioner.get(round_url).status_code == 403
