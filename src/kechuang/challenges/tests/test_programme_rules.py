"""Challenge projects count in the rules of any programme's stages (issue #18): a person's running
揭榜挂帅 projects count towards a stage's concurrent-project limit, and a unit's 揭榜挂帅 project past its end
date and not accepted bars a stage that asks for no overdue project (challenges registers both with
programmes.rules from its AppConfig.ready)."""

import datetime

import pytest
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.models import Contract
from kechuang.challenges.tests.factories import ContractFactory
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role
from kechuang.programmes.tests.test_rules import form, open_at_application, programme, submit  # noqa: F401

pytestmark = pytest.mark.django_db


def test_running_challenge_projects_count_towards_the_concurrent_limit(staff, make_user, form):  # noqa: F811
    leader = make_user(Role.APPLICANT, unit=UnitFactory())
    version = programme(staff, form, max_concurrent=2)
    first, second = (open_at_application(staff, version, title=f"批次{n}") for n in (1, 2))
    contract = ContractFactory(leader=leader, running=True)
    submit(leader, first)  # one call + one challenge project: 2, the limit
    with pytest.raises(ApplicationError, match="最多同时承担 2 个在研项目，您已有 2 个"):
        submit(leader, second)
    Contract.objects.filter(pk=contract.pk).update(status="finished")  # accepted: no longer in flight
    assert submit(leader, second)


def test_an_overdue_challenge_project_of_the_unit_bars_a_new_application(staff, make_user, form):  # noqa: F811
    unit = UnitFactory()
    applicant = make_user(Role.APPLICANT, unit=unit)
    version = programme(staff, form, eligibility=["no_overdue_project"])
    call = open_at_application(staff, version)
    late = ContractFactory(
        unit=unit,
        running=True,
        title="碳化硅衬底",
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(ApplicationError, match="揭榜挂帅项目“碳化硅衬底”已于.*到期，尚未通过验收"):
        submit(applicant, call)
    Contract.objects.filter(pk=late.pk).update(end_date=timezone.localdate() + datetime.timedelta(days=30))
    assert submit(applicant, call)
