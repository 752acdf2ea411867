"""The demo's integrity records (科研诚信): one of each kind and state, entered through the services so each
has its audit trail. Idempotent by (subject, decision date, decision).

Loaded after challenges and before review: the review demo's rounds are assigned with these in force, so
the round page names the expert left out of the pool and why."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from kechuang.accounts.models import Unit, User
from kechuang.core.commands import say

from . import services
from .models import Record

# (kind, name, unit, source, decision, finding, decided (years ago, month, day), restrictions, years, appeal)
RECORDS = [
    (
        "person",
        "孙晓燕",  # demo_expert03 of the review demo (中北大学): barred from expert work
        "中北大学",
        "科技部科研诚信建设办公室通报",
        "取消评审专家资格三年",
        "评审中收受申报单位礼金，未主动申明利益冲突。",
        (1, 3, 15),
        ("expert",),
        3,
        ("dismiss", "本人申诉称礼金为会务费，经核查不属实。", "经复核，原处理决定事实清楚，维持原决定。"),
    ),
    (
        "unit",
        "",
        "白银新能源电池材料有限公司",
        "省科技厅科研诚信案件处理决定书",
        "三年内不得申报省级科技计划项目，不得立项",
        "项目申报材料中伪造检测报告。",
        (0, 1, 10),
        ("apply", "award"),
        3,
        None,
    ),
    (
        "person",
        "马腾",
        "山西异质结光伏装备有限公司",
        "省科技厅通报",
        "两年内不得申报项目",
        "重复申报：同一研究内容在两个计划中申请财政资金。",
        (0, 2, 20),
        ("apply",),
        2,
        ("appeal", "本人称两项申报内容不同，附技术路线对照表。", ""),
    ),
    (
        "person",
        "高远",
        "中北大学",
        "省科技厅通报",
        "一年内不得立项或获奖",
        "论文署名争议。",
        (1, 9, 1),
        ("award",),
        1,
        ("grant", "署名争议已由期刊更正，本人非责任人。", "经调查本人不是责任人，撤销处理。"),
    ),
    (
        "unit",
        "",
        "天水星火数控机床有限公司",
        "省科技厅科研诚信案件处理决定书",
        "三年内不得申报项目（已期满）",
        "项目验收材料虚报设备购置。",
        (6, 5, 8),
        ("apply",),
        3,
        None,
    ),
]


def _actor():
    return User.objects.filter(username="staff").first()


@transaction.atomic
def load(*, stdout=None) -> None:
    actor = _actor()
    if actor is None:
        if stdout:
            say(stdout, gettext_noop("科研诚信：没有工作人员账号，已跳过"))
        return
    today = timezone.localdate()
    made = 0
    for kind, name, unit_name, source, decision, finding, when, bars, years, appeal in RECORDS:
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        ago, month, day = when
        decided = datetime.date(today.year - ago, month, day)
        if decided > today:
            decided = datetime.date(decided.year - 1, month, day)
        exists = Record.objects.filter(
            subject_kind=kind, unit=unit, person_name=name, decided_on=decided, decision=decision
        ).exists()
        if exists:
            continue
        record = services.record_create(
            actor=actor,
            subject_kind=kind,
            unit=unit,
            person_name=name,
            source=source,
            decision=decision,
            finding=finding,
            decided_on=decided,
            starts_on=decided,
            ends_on=datetime.date(decided.year + years, decided.month, decided.day)
            - datetime.timedelta(days=1),
            bars_applying="apply" in bars,
            bars_expert_work="expert" in bars,
            bars_awards="award" in bars,
        )
        if appeal:
            outcome, grounds, note = appeal
            lodged = min(today, decided + datetime.timedelta(days=20))
            services.record_transition(actor=actor, record=record, action="appeal", reason=grounds, on=lodged)
            if outcome != "appeal":
                services.record_transition(
                    actor=actor,
                    record=record,
                    action=outcome,
                    reason=note,
                    on=min(today, decided + datetime.timedelta(days=60)),
                )
        made += 1
    if stdout:
        say(stdout, gettext_noop("科研诚信：%(n)s 条记录"), n=made)
