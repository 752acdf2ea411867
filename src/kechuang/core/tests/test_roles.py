"""One actor concept: a user's roles come from their groups, a SystemActor's are explicit, nothing else has any."""

import pytest

from kechuang.core.exceptions import PermissionDenied, error_text
from kechuang.core.roles import Role, SystemActor, actor_roles, require_role


def test_a_system_actor_acts_with_exactly_its_roles():
    job = SystemActor("nightly", frozenset({Role.STAFF}))
    assert actor_roles(job) == {"staff"} and str(job) == "nightly"
    require_role(job, Role.STAFF)
    with pytest.raises(PermissionDenied):
        require_role(SystemActor("reader"), Role.STAFF)


@pytest.mark.parametrize("actor", ["system", "demo", None])
def test_a_name_or_nobody_holds_no_role(actor):
    assert actor_roles(actor) == frozenset()
    with pytest.raises(PermissionDenied, match="只有"):
        require_role(actor, Role.STAFF, message="只有工作人员")


@pytest.mark.django_db
def test_users_act_with_their_groups(make_user):
    staff, expert = make_user(Role.STAFF), make_user(Role.EXPERT)
    require_role(staff, Role.STAFF, Role.COMMISSIONER)
    with pytest.raises(PermissionDenied) as refused:
        require_role(expert, Role.STAFF)
    assert refused.value.status == 403


def test_error_text_reads_business_and_validation_errors():
    from django.core.exceptions import ValidationError

    from kechuang.core.exceptions import ApplicationError

    assert error_text(ApplicationError("不行")) == "不行"
    assert error_text(ValidationError(["一", "二"])) == "一；二"
    assert error_text(ValueError("x")) == "x"
