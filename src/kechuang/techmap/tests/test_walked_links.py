"""A reader of the map is sent only where they may go (session 13, helper walker): an expert reads the gap
report and a technology's coverage, but the department's topics and other units' projects are not theirs to
open, so those are named without a link (a link answered 403 or 404)."""

import pytest

from kechuang.challenges.tests.factories import ContractFactory, TopicFactory
from kechuang.core.roles import Role

from .factories import CoverageFactory, TechnologyFactory


@pytest.mark.django_db
def test_an_expert_reads_coverage_by_name_where_the_target_is_not_theirs_to_open(make_user, client_for):
    tech = TechnologyFactory(bottleneck=True)
    topic = TopicFactory(title="碳化硅衬底攻关课题")
    CoverageFactory(technology=tech, target=topic, topic=True)
    other = TechnologyFactory()
    contract = ContractFactory(running=True, title="大尺寸碳化硅项目")
    CoverageFactory(technology=other, target=contract)

    expert = client_for(make_user(Role.EXPERT))
    staff = client_for(make_user(Role.STAFF))
    for url, target in (
        (tech.get_absolute_url(), topic),
        ("/techmap/gaps/", topic),
        (other.get_absolute_url(), contract),
    ):
        page = expert.get(url).content.decode()
        assert str(target.title) in page
        assert f'href="{target.get_absolute_url()}"' not in page, url
        assert f'href="{target.get_absolute_url()}"' in staff.get(url).content.decode(), url
    assert expert.get(topic.get_absolute_url()).status_code == 403
    assert expert.get(contract.get_absolute_url()).status_code == 404
