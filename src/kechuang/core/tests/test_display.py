"""Stored values in the reader's words (issue #13 part 2): audit entries, choice labels, money."""

import decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.audit import audit_record, audit_trail_for
from kechuang.core.display import action_label, audit_lines, money, plain
from kechuang.core.models import Job
from kechuang.core.roles import SYSTEM, Role
from kechuang.core.workflow import StateMachine, Transition

pytestmark = pytest.mark.django_db

MACHINE = StateMachine(
    "display_test",
    Job.State,
    [Transition("run", frozenset({Job.State.QUEUED}), Job.State.RUNNING, frozenset({"staff"}), "开始运行")],
)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_an_audit_entry_reads_who_when_what_field_label_old_new(staff):
    parent = UnitFactory(name="省科技厅")
    unit = UnitFactory(name="太原示范企业")
    audit_record(
        actor=staff,
        action="unit.update",
        obj=unit,
        before={"kind": "enterprise", "parent_id": None, "is_active": True},
        after={"kind": "university", "parent_id": parent.pk, "is_active": False},
    )
    [line] = audit_lines(audit_trail_for(unit))
    assert line.who == staff.full_name and staff.username not in line.who
    assert line.what == "修改单位"
    changes = {c.label: (c.old, c.new) for c in line.changes}
    assert changes == {"单位类型": ("企业", "高等院校"), "上级单位": ("—", "省科技厅"), "有效": ("是", "否")}


def test_a_transition_reads_as_its_label_with_state_labels(staff):
    job = Job.objects.create(kind="test", title="t")
    audit_record(
        actor=staff,
        action="display_test.run",
        obj=job,
        before={"state": "queued"},
        after={"state": "running"},
    )
    [line] = audit_lines(audit_trail_for(job))
    assert (line.what, line.is_transition) == ("开始运行", True)
    assert [(c.label, c.old, c.new) for c in line.changes] == [("状态", "排队中", "运行中")]
    assert action_label("display_test.nope")[0] == "display_test.nope"  # unknown: shown as stored


def test_outside_the_department_only_state_changes_and_no_names(staff, applicant):
    job = Job.objects.create(kind="test", title="t")
    audit_record(actor=staff, action="job.rerun", obj=job, after={"params": {"a": 1}})
    audit_record(
        actor=staff,
        action="display_test.run",
        obj=job,
        before={"state": "queued"},
        after={"state": "running"},
    )
    audit_record(actor=SYSTEM, action="display_test.run", obj=job)
    public = audit_lines(audit_trail_for(job).select_related("actor__unit"), internal=False, viewer=applicant)
    assert [line.what for line in public] == ["开始运行", "开始运行"]
    assert {line.who for line in public} == {str(staff.unit), "系统"}
    assert len(audit_lines(audit_trail_for(job))) == 3


def test_the_trail_tag_shows_no_dicts_and_no_login_names(staff, applicant, django_assert_max_num_queries):
    unit = UnitFactory()
    audit_record(
        actor=staff, action="unit.update", obj=unit, before={"kind": "enterprise"}, after={"kind": "other"}
    )
    template = Template("{% load kechuang %}{% audit_trail unit %}")
    for viewer, shows_change in ((staff, True), (applicant, False)):
        request = RequestFactory().get("/")
        request.user = viewer
        with django_assert_max_num_queries(6):
            html = template.render(Context({"unit": unit, "request": request}))
        assert "{" not in html and staff.username not in html
        assert ("企业" in html and "其他" in html) is shows_change
    assert Role.STAFF


def test_plain_values_and_money():
    assert (
        plain({"name": "甲", "members": ["张三", "李四"], "ok": None, "objective_int": 4050909})
        == "名称：甲，团队成员：张三、李四"
    )  # a key with no words is the machine's: left out (core.display.MACHINE_KEY)
    assert plain({"objective_int": 4050909}) == "—"
    criteria = [
        {"code": "tech", "name": "技术先进性", "weight": 0.5},
        {"code": "team", "name": "团队", "weight": 0.5},
    ]
    assert (
        plain(criteria) == "名称：技术先进性，权重：0.5；名称：团队，权重：0.5"
    )  # codes left to the machine
    assert plain(True) == "是"
    # a moment stored as ISO text reads as local time to the minute (Asia/Shanghai: +8), not as the machine's
    assert plain("2026-12-03T17:19:12.881095+00:00") == "2026年12月4日 01:19"
    assert plain("2026-12-03") == "2026年12月3日"  # a date as pages write dates
    assert money(decimal.Decimal("850")) == "850 万元"
    assert money(decimal.Decimal("850.50")) == "850.5 万元"
    assert money(decimal.Decimal("12500")) == "1.25 亿元"
    assert money(decimal.Decimal("3500000"), unit="元") == "350 万元"
    assert money(None) == "—"
    assert Unit.Kind.ENTERPRISE.label == "企业"


def test_the_audit_log_reads_in_words_and_filters_by_name(staff, client_for):
    unit = UnitFactory(name="日志单位")
    audit_record(
        actor=staff, action="unit.update", obj=unit, before={"kind": "enterprise"}, after={"kind": "other"}
    )
    page = client_for(staff).get("/jobs/audit/", {"actor": staff.full_name[1:]}).content.decode()
    assert "修改单位" in page and "企业" in page and "其他" in page and "{'" not in page
    assert "日志单位" not in client_for(staff).get("/jobs/audit/", {"actor": "没有这个人"}).content.decode()


def test_a_related_row_named_by_its_code_is_shown_as_stored(staff):
    """Some payloads name a related row by its code ("framework": "cn-csti"), not its key."""
    unit = UnitFactory()
    audit_record(actor=staff, action="unit.update", obj=unit, after={"parent": "cn-csti", "parent_id": 10**9})
    [line] = audit_lines(audit_trail_for(unit))
    # the key of a row that is gone reads nothing, so it is left out
    assert [(c.label, c.new) for c in line.changes] == [("上级单位", "cn-csti")]


def test_a_payload_key_of_another_model_of_the_app_reads_by_its_label(staff):
    job = Job.objects.create(kind="test", title="t")
    audit_record(actor=staff, action="job.rerun", obj=job, after={"kind": "x"})
    unit = UnitFactory()  # accounts: `kind` is Unit's; a User event naming a unit kind reads its label
    audit_record(actor=staff, action="user.update", obj=staff, after={"kind": "enterprise"})
    [line] = audit_lines(audit_trail_for(staff))
    assert [(c.label, c.new) for c in line.changes] == [("类别", "企业")]
    assert unit.kind == "enterprise"


def test_a_verb_and_its_object_read_as_two_words_in_english():
    assert action_label("unit.update", Unit)[0] == "修改单位"
    with translation.override("en"):
        what = action_label("unit.update", Unit)[0]
    assert what.count(" ") >= 1 and not what.endswith(" ")
    assert what.lower().endswith(" unit")


def test_a_rows_key_timestamps_and_machine_keys_are_left_out(staff):
    """A created row's whole snapshot reads as its fields a person knows: no ID, no created/updated times,
    no search index; a key whose name is in the payload too (unit and unit_name) by the name only."""
    from kechuang.core.audit import snapshot
    from kechuang.core.models import AuditEvent

    unit = UnitFactory(name="甲单位")
    audit_record(actor=staff, action="unit.create", obj=unit, after=snapshot(unit))
    audit_record(
        actor=staff,
        action="membership.add",
        obj=unit,
        after={"unit": unit.pk, "unit_name": "甲单位", "n_top": 3},
    )
    created, added = AuditEvent.objects.filter(object_id=str(unit.pk)).order_by("pk")
    (line,) = audit_lines([created])
    labels = [c.label for c in line.changes]
    assert "单位名称" in labels
    assert not {"ID", "创建时间", "更新时间", "检索字对"} & set(labels), labels
    (line,) = audit_lines([added])
    assert [(c.label, c.new) for c in line.changes] == [("单位", "甲单位")]


def test_generic_keys_are_named_in_one_query_per_model_however_many_events(db):
    """A payload's generic key ("accounts.unit:12", a technology coverage's target) reads as the row's name,
    the rows of a page read together (was one query per event)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.core.display import audit_lines
    from kechuang.core.models import AuditEvent
    from kechuang.techmap.models import Coverage

    ct = ContentType.objects.get_for_model(Coverage)
    units = [UnitFactory(name=f"单位{i}") for i in range(5)]

    def events(n):
        return [
            AuditEvent(
                action="coverage.create",
                content_type=ct,
                object_id=str(i),
                after={"target": f"accounts.unit:{u.pk}"},
            )
            for i, u in enumerate(units[:n])
        ]

    audit_lines(events(1))  # the content types' cache filled
    with CaptureQueriesContext(connection) as one:
        audit_lines(events(1))
    with CaptureQueriesContext(connection) as five:
        lines = audit_lines(events(5))
    assert len(five.captured_queries) == len(one.captured_queries)
    shown = " ".join(str(c.new) for line in lines for c in line.changes)
    assert all(f"单位{i}" in shown for i in range(5))


def test_money_in_english_counts_in_millions_not_ten_thousands():
    from django.utils import translation

    with translation.override("en"):
        assert money(decimal.Decimal("4900")) == "CNY 49 million"
        assert money(decimal.Decimal("12500")) == "CNY 125 million"
        assert money(decimal.Decimal("250000")) == "CNY 2.5 billion"
        assert money(decimal.Decimal("35")) == "CNY 350,000"
        assert money(decimal.Decimal("1234567.89"), unit="元") == "CNY 1.23 million"
        assert money(decimal.Decimal("0")) == "CNY 0"
    assert money(decimal.Decimal("4900")) == "4900 万元"


def test_counts_by_choice_read_with_the_readers_comma():
    """`counted` (review progress, recommendations) joins with the reader's comma: no "，" on English pages."""
    from django.utils import translation

    from kechuang.core.templatetags.kechuang import counted

    counts = {"pending": 3, "submitted": 2}
    with translation.override("en"):
        en = counted(counts, "review.Review.status")
    with translation.override("zh-hans"):
        zh = counted(counts, "review.Review.status")
    assert "，" not in en and en.count(", ") == 1, en
    assert "，" in zh, zh


@pytest.mark.parametrize(
    "reason, zh, en",
    [
        ("role_removed", "角色被收回", "role withdrawn"),
        ("deactivation", "账号停用", "account deactivated"),
        ("password_reset", "重置了密码", "password reset"),
        ("撤销：项目已结题", "撤销：项目已结题", "撤销：项目已结题"),
    ],
)
def test_a_reason_the_machine_wrote_reads_as_words_one_a_person_typed_as_typed(staff, reason, zh, en):
    unit = UnitFactory(name="太原示范企业")
    audit_record(actor=staff, action="token.revoke", obj=unit, after={"tokens": ["abc123"]}, reason=reason)
    [line] = audit_lines(audit_trail_for(unit))
    assert line.reason == zh
    with translation.override("en"):
        [line] = audit_lines(audit_trail_for(unit))
    assert line.reason == en
