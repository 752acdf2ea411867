"""Entering, importing and appealing integrity records; the selectors' reasons; who may do it."""

import datetime

import pytest
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.integrity import selectors, services
from kechuang.integrity.models import Record, Restriction

from .factories import RecordFactory

# Tests that reach the database through factories or role fixtures fetched on the fly (the `nodb` mark of
# src/kechuang/conftest.py reads fixtures, not function bodies).
pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _create(actor, **kw):
    base = {
        "subject_kind": "person",
        "unit": kw.pop("unit", None) or UnitFactory(),
        "person_name": "张三",
        "source": "科技部通报",
        "decision": "三年内不得担任评审专家",
        "decided_on": TODAY() - datetime.timedelta(days=10),
        "starts_on": TODAY() - datetime.timedelta(days=10),
        "ends_on": TODAY() + datetime.timedelta(days=1000),
        "bars_expert_work": True,
    }
    base.update(kw)
    return services.record_create(actor=actor, **base)


def test_a_person_record_links_the_account_of_that_name_at_that_unit(staff):
    unit = UnitFactory()
    user = UserFactory(unit=unit, full_name="张三")
    record = _create(staff, unit=unit)
    assert record.person == user and record.status == "in_force"
    event = AuditEvent.objects.for_object(record).get()
    assert event.action == "integrity_record.create" and event.after["person_name"] == "张三"


def test_without_a_unique_account_the_record_stands_by_name(staff):
    unit = UnitFactory()
    UserFactory(unit=unit, full_name="张三")
    UserFactory(unit=unit, full_name="张 三")
    record = _create(staff, unit=unit)
    assert record.person is None and record.person_name == "张三"


@pytest.mark.parametrize(
    "change,field,reason",
    [
        ({"subject_kind": "unit", "bars_expert_work": True}, "bars_expert_work", "只能针对个人"),
        ({"bars_expert_work": False}, "bars_applying", "至少选择一项限制"),
        ({"ends_on": TODAY() - datetime.timedelta(days=30)}, "ends_on", "不能早于起始日"),
        ({"person_name": ""}, "person_name", "须填写姓名"),
        ({"decided_on": TODAY() + datetime.timedelta(days=1)}, "decided_on", "不能晚于今天"),
    ],
)
def test_refused_records_say_why(staff, change, field, reason):
    with pytest.raises(ApplicationError, match=reason) as exc:
        _create(staff, **change)
    assert field in exc.value.fields
    assert not Record.objects.exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.COMMISSIONER, Role.OPERATOR])
def test_only_staff_record_findings(make_user, role):
    with pytest.raises(PermissionDenied):
        _create(make_user(role))
    assert not Record.objects.exists()


def test_appeal_dismissed_keeps_the_restriction_and_granted_lifts_it(staff):
    user = UserFactory(full_name="李四")
    record = _create(staff, unit=user.unit, person_name="李四")
    reasons = lambda: selectors.user_reasons(restriction=Restriction.EXPERT, user=user)  # noqa: E731
    assert reasons()
    services.record_transition(actor=staff, record=record, action="appeal", reason="事实有误")
    record.refresh_from_db()
    assert (record.status, record.appeal_outcome, record.appeal_grounds) == (
        "appealed",
        "pending",
        "事实有误",
    )
    assert reasons(), "an appeal does not suspend the restriction"
    services.record_transition(actor=staff, record=record, action="dismiss", reason="维持原决定")
    record.refresh_from_db()
    assert (record.status, record.appeal_outcome, record.appeal_note) == (
        "in_force",
        "dismissed",
        "维持原决定",
    )
    assert reasons()
    with pytest.raises(InvalidTransition, match="已经申诉过一次"):
        services.record_transition(actor=staff, record=record, action="appeal", reason="再次申诉")
    actions = list(AuditEvent.objects.for_object(record).values_list("action", flat=True))
    assert "integrity_record.appeal" in actions and "integrity_record.dismiss" in actions

    other = _create(staff, unit=user.unit, person_name="李四", decision="另一决定")
    services.record_transition(actor=staff, record=other, action="revoke", reason="原决定机关撤销")
    services.record_transition(actor=staff, record=record, action="revoke", reason="复查撤销")
    assert reasons() == []


def test_granted_appeal_revokes(staff):
    record = _create(staff)
    services.record_transition(actor=staff, record=record, action="appeal", reason="不是本人")
    services.record_transition(actor=staff, record=record, action="grant", reason="查实不是本人")
    record.refresh_from_db()
    assert (record.status, record.appeal_outcome) == ("revoked", "granted")


def test_appeal_refused_to_other_roles(make_user):
    record = RecordFactory()
    with pytest.raises(PermissionDenied):
        services.record_transition(
            actor=make_user(Role.APPLICANT), record=record, action="appeal", reason="x"
        )
    record.refresh_from_db()
    assert record.status == "in_force"


def test_reasons_name_who_what_and_until_when():
    unit = UnitFactory(name="甲公司")
    RecordFactory(unit=unit, bars_awards=True, decision="取消申报资格")
    text = selectors.reasons(restriction=Restriction.APPLY, units=[(unit.pk, "揭榜单位“甲公司”")])
    assert len(text) == 1
    assert "揭榜单位“甲公司”受科研诚信处理" in text[0] and "取消申报资格" in text[0]
    assert "不得申报项目" in text[0] and "至" in text[0]
    assert selectors.reasons(restriction=Restriction.EXPERT, units=[(unit.pk, "x")]) == []


def test_only_current_binding_records_bar():
    unit = UnitFactory()
    today = TODAY()
    RecordFactory(unit=unit, starts_on=today + datetime.timedelta(days=1), decided_on=today)  # not yet
    RecordFactory(
        unit=unit,
        decided_on=today - datetime.timedelta(days=900),
        starts_on=today - datetime.timedelta(days=900),
        ends_on=today - datetime.timedelta(days=1),
    )  # over
    RecordFactory(unit=unit, status="revoked")
    assert selectors.reasons(restriction=Restriction.APPLY, units=[(unit.pk, "u")]) == []
    RecordFactory(unit=unit, status="appealed", ends_on=None)
    assert len(selectors.reasons(restriction=Restriction.APPLY, units=[(unit.pk, "u")])) == 1


def test_people_match_by_account_or_by_name_at_their_unit():
    unit = UnitFactory()
    user = UserFactory(unit=unit, full_name="王五")
    RecordFactory(subject_kind="person", unit=unit, person_name="王 五", person=None, bars_expert_work=True)
    assert selectors.barred_users(restriction="expert", users=[user]).keys() == {user.pk}
    elsewhere = UserFactory(full_name="王五")  # the same name at another unit is someone else
    assert selectors.barred_users(restriction="expert", users=[elsewhere]) == {}
    member = selectors.Who(name="王五", unit_id=unit.pk, role="团队成员")
    assert "团队成员王五" in selectors.reasons(restriction="apply", people=[member])[0]


# Import ---------------------------------------------------------------------------------------------------

HEADER = "对象类型,姓名,单位,来源,处理决定,决定日期,限制事项,限制起始日,限制截止日,查实的问题\n"


def test_import_dry_run_then_commit_then_skip(staff):
    UnitFactory(name="甲公司")
    UnitFactory(name="乙大学")
    data = (
        HEADER
        + "单位,,甲公司,省科技厅通报,三年内不得申报,2025-01-10,不得申报项目、不得立项或获奖,,2028-01-09,伪造报告\n"
        + "个人,赵六,乙大学,科技部通报,取消专家资格,2024/06/01,不得担任评审专家,2024-06-01,,\n"
    ).encode()
    report = services.record_import(actor=staff, data=data, filename="r.csv", dry_run=True)
    assert report.ok and report.created == 2 and not report.committed
    assert not Record.objects.exists()
    report = services.record_import(actor=staff, data=data, filename="r.csv", dry_run=False)
    assert report.committed and Record.objects.count() == 2
    unit_record = Record.objects.get(subject_kind="unit")
    assert unit_record.bars_applying and unit_record.bars_awards and not unit_record.bars_expert_work
    assert unit_record.starts_on == datetime.date(2025, 1, 10), "the period starts at the decision by default"
    person = Record.objects.get(subject_kind="person")
    assert person.person_name == "赵六" and person.ends_on is None and person.bars_expert_work
    again = services.record_import(actor=staff, data=data, filename="r.csv", dry_run=False)
    assert again.skipped == 2 and again.created == 0 and Record.objects.count() == 2


def test_import_names_every_bad_row_and_writes_nothing(staff):
    UnitFactory(name="甲公司")
    data = (
        HEADER
        + "单位,,甲公司,通报,决定,2025-01-10,不得申报项目,,,\n"  # line 2: fine
        + "团体,,甲公司,通报,决定,2025-01-10,不得申报项目,,,\n"  # 3: kind
        + "个人,,甲公司,通报,决定,2025-01-10,不得申报项目,,,\n"  # 4: no name
        + "单位,,丙公司,通报,决定,2025-01-10,不得申报项目,,,\n"  # 5: unknown unit
        + "单位,,甲公司,通报,决定,明年,不得申报项目,,,\n"  # 6: date
        + "单位,,甲公司,通报,决定2,2025-01-10,禁止出国,,,\n"  # 7: restriction
        + "单位,,甲公司,通报,决定3,2025-01-10,不得担任评审专家,,,\n"  # 8: unit as expert
        + "单位,,甲公司,通报,决定4,2025-01-10,不得申报项目,2025-01-10,2024-01-01,\n"  # 9: period
        + "单位,,甲公司,通报,决定,2025-01-10,不得申报项目,,,\n"  # 10: repeats line 2
    ).encode()
    report = services.record_import(actor=staff, data=data, filename="r.csv", dry_run=False)
    where = {(e.line, e.field) for e in report.errors}
    assert where == {
        (3, "对象类型"),
        (4, "姓名"),
        (5, "单位"),
        (6, "决定日期"),
        (7, "限制事项"),
        (8, "限制事项"),
        (9, "限制截止日"),
        (10, "处理决定"),
    }
    assert not report.committed and not Record.objects.exists()


def test_import_refused_to_other_roles(make_user):
    with pytest.raises(PermissionDenied):
        services.record_import(actor=make_user(Role.APPLICANT), data=HEADER.encode(), filename="r.csv")
