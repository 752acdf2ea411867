"""One actor concept: a user's roles come from their groups, a SystemActor's are explicit, nothing else has any."""

import pytest

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import PermissionDenied, error_text
from kechuang.core.roles import (
    ALL_ROLES,
    DEMO,
    SYSTEM,
    Role,
    SystemActor,
    actor_roles,
    is_system,
    require_role,
)


def test_a_system_actor_acts_with_exactly_its_roles():
    job = SystemActor("nightly", frozenset({Role.STAFF}))
    assert actor_roles(job) == {"staff"} and str(job) == "nightly"
    require_role(job, Role.STAFF)
    with pytest.raises(PermissionDenied):
        require_role(SystemActor("reader"), Role.STAFF)


def test_nobody_holds_no_role():
    assert actor_roles(None) == frozenset()
    with pytest.raises(PermissionDenied, match="只有"):
        require_role(None, Role.STAFF, message="只有工作人员")


@pytest.mark.parametrize("name", ["system", "demo", ""])
def test_a_name_is_not_an_actor(name):
    """A command or loader acts as a SystemActor; a bare name passed as the actor is a programming error."""
    with pytest.raises(TypeError):
        actor_roles(name)
    with pytest.raises(TypeError):
        require_role(name, Role.STAFF)


def test_the_shared_system_actors():
    assert actor_roles(SYSTEM) == {"staff"} and str(SYSTEM) == "system"
    assert actor_roles(DEMO) == ALL_ROLES and str(DEMO) == "demo"
    assert is_system(SYSTEM) and is_system(DEMO) and not is_system(None)


@pytest.mark.django_db
def test_services_refuse_a_name_and_audit_a_system_actor_by_its_name(make_user):
    from kechuang.accounts.models import Unit
    from kechuang.accounts.services import unit_create
    from kechuang.challenges import services as challenges
    from kechuang.core.models import AuditEvent
    from kechuang.platforms import services as platforms
    from kechuang.review import services as review

    with pytest.raises(TypeError):
        unit_create(actor="demo", name="某大学", kind="university", city="太原", province="山西")
    with pytest.raises(TypeError):
        platforms.achievement_count_record(
            actor="system", platform_id=None, kind="领先技术", count=1, period="2021", provenance={}
        )
    with pytest.raises(TypeError):
        challenges.challenges_close_due(actor="system")
    with pytest.raises(TypeError):
        review.form_create(actor="system", name="表", criteria=[])
    with pytest.raises(TypeError):
        audit_record(actor="system", action="x.y")
    assert not Unit.objects.exists() and not AuditEvent.objects.exists()
    unit = unit_create(actor=SYSTEM, name="某大学", kind="university", city="太原", province="山西")
    assert AuditEvent.objects.get(object_id=str(unit.pk)).actor_repr == "system"


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
