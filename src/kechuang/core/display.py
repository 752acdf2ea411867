"""Showing stored values in the reader's words (issue #13 part 2): audit entries as "who, when, what: field
label old → new", choice codes by their labels, JSON payloads as sentences, money in 万元/亿元.

Pure presentation: nothing here writes, and the stored values stay exact. The audit helper reads the
events' models through the content types and the state machines' registry (`core.workflow.MACHINES`), so
it knows no app by name.
"""

import datetime
import decimal
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import divisions, language
from .dates import date_text, when_text
from .messages import render as render_message
from .workflow import MACHINES

# The last word of an audit action ("challenge.update", "membership.add") in words, when the action is not a
# state machine's transition (those have their own labels).
VERBS = {
    "create": pgettext_lazy("审计", "创建"),
    "update": pgettext_lazy("审计", "修改"),
    "delete": pgettext_lazy("审计", "删除"),
    "add": pgettext_lazy("审计", "添加"),
    "remove": pgettext_lazy("审计", "移除"),
    "end": pgettext_lazy("审计", "结束"),
    "record": pgettext_lazy("审计", "登记"),
    "set": pgettext_lazy("审计", "设置"),
    "resend": pgettext_lazy("审计", "重新发送"),
    "import": pgettext_lazy("审计", "导入"),
    "submit": pgettext_lazy("审计", "提交"),
    "approve": pgettext_lazy("审计", "批准"),
    "accept": pgettext_lazy("审计", "采纳"),
    "dismiss": pgettext_lazy("审计", "驳回"),
    "revert": pgettext_lazy("审计", "撤销"),
    "replace": pgettext_lazy("审计", "替换"),
    "rename": pgettext_lazy("审计", "转存"),
    "quarantine": pgettext_lazy("审计", "隔离"),  # upload.quarantine: a stored file that fails a check now
    "action": pgettext_lazy(
        "审计", "在管理后台批量操作"
    ),  # admin.action (core.admin_audit)  # upload.rename: a stored file moved to an unguessable name
    "release": pgettext_lazy("审计", "发布"),
    "save": pgettext_lazy("审计", "保存"),
    "start": pgettext_lazy("审计", "开始"),
    "close": pgettext_lazy("审计", "关闭"),
    "publish": pgettext_lazy("审计", "发布"),
    "reject": pgettext_lazy("审计", "不予立项"),
    "decide": pgettext_lazy("审计", "审批"),
    "lodge": pgettext_lazy("审计", "提出"),
    "answer": pgettext_lazy("审计", "答复"),
    "verify": pgettext_lazy("审计", "核验"),
    "flag": pgettext_lazy("审计", "标记预警"),
    "reschedule": pgettext_lazy("审计", "调整日期"),
    "values": pgettext_lazy("审计", "填报完成值"),
    "change": pgettext_lazy("审计", "变更"),
    "assign": pgettext_lazy("审计", "分配"),
    "ingest": pgettext_lazy("审计", "导入"),
    "collect": pgettext_lazy("审计", "采集数据"),
    "compute": pgettext_lazy("审计", "计算结果"),
    "fail": pgettext_lazy("审计", "失败"),
    "lost": pgettext_lazy("审计", "进程丢失"),
    "rerun": pgettext_lazy("审计", "重新运行"),
    "succeed": pgettext_lazy("审计", "完成"),
    "group": pgettext_lazy("审计", "归并"),
    "panel": pgettext_lazy("审计", "组建专家组"),
    "downselect": pgettext_lazy("审计", "赛马择优"),
    "decision_publish": pgettext_lazy("审计", "公布立项结果"),
    "review_start": pgettext_lazy("审计", "启动评审"),
    "review_score": pgettext_lazy("审计", "记录评审得分"),
    "team_set": pgettext_lazy("审计", "设置团队成员"),
    "milestones_set": pgettext_lazy("审计", "设置里程碑"),
    "entries_set": pgettext_lazy("审计", "设置参评平台"),
    "node_add": pgettext_lazy("审计", "添加指标"),
    "node_remove": pgettext_lazy("审计", "移除指标"),
    "node_update": pgettext_lazy("审计", "修改指标"),
    "assign_commissioner": pgettext_lazy("审计", "指派项目专员"),
    "create_manual": pgettext_lazy("审计", "手工分配"),
    "declare_no_conflict": pgettext_lazy("审计", "声明无利益冲突"),
    "host_change": pgettext_lazy("审计", "变更依托单位"),
    "cohost_add": pgettext_lazy("审计", "添加共建单位"),
    "operator_assign": pgettext_lazy("审计", "指定运营人员"),
    "operator_remove": pgettext_lazy("审计", "移除运营人员"),
    "count_record": pgettext_lazy("审计", "登记成果数"),
    "count_update": pgettext_lazy("审计", "修改成果数"),
    "gap_topic_create": pgettext_lazy("审计", "生成攻关选题"),
    "trl_record": pgettext_lazy("审计", "登记成熟度"),
    "found": pgettext_lazy("审计", "查出"),
    "call_open": pgettext_lazy("审计", "开放"),
    "call_advance": pgettext_lazy("审计", "推进"),
    "call_review_open": pgettext_lazy("审计", "开启评审"),
    "programme_import": pgettext_lazy("审计", "导入"),
    "programme_publish": pgettext_lazy("审计", "发布"),
    "form_publish": pgettext_lazy("审计", "发布"),
    "change_request": pgettext_lazy("审计", "申请变更"),
    "register": pgettext_lazy("审计", "注册"),
    "create_admin": pgettext_lazy("审计", "创建管理员"),
}

# Whole actions in words, for those whose words already name their object (user.orcid: 填写ORCID iD), so
# that no noun is joined to them; an app registers its own (register_words(actions=...)). Wins over VERBS.
ACTIONS: dict[str, object] = {
    # signing in and out (core.signals): what the person did, not a verb joined to "用户" ("Sign in Users")
    "auth.login": pgettext_lazy("审计", "登录平台"),
    "auth.logout": pgettext_lazy("审计", "退出平台"),
    # a deploy's data migration that changed records (core.migrating, docs/security.md §48)
    "core.data_migration": pgettext_lazy("审计", "数据迁移"),
}

# Keys of payloads that are not fields of the event's model.
KEYS = {
    "name": gettext_lazy("名称"),
    "title": gettext_lazy("标题"),
    "code": gettext_lazy("编号"),
    "status": gettext_lazy("状态"),
    "members": gettext_lazy("团队成员"),
    "milestones": gettext_lazy("里程碑"),
    "role": gettext_lazy("分工"),
    "unit": gettext_lazy("单位"),
    "file": gettext_lazy("文件"),
    "rows": gettext_lazy("行数"),
    "migration": gettext_lazy("迁移"),
    "changed": gettext_lazy("改动的记录"),
    "created": gettext_lazy("新增"),
    "updated": gettext_lazy("更新"),
    "errors": gettext_lazy("错误"),
    "count": gettext_lazy("数量"),
    "total": gettext_lazy("合计"),
    "kind": gettext_lazy("类别"),
    "id": gettext_lazy("编号"),
    "due": gettext_lazy("到期日"),
    "due_on": gettext_lazy("到期日"),
    "value": gettext_lazy("数值"),
    "year": gettext_lazy("年度"),
    "min": gettext_lazy("最小值"),
    "max": gettext_lazy("最大值"),
    "steps": gettext_lazy("档位"),
    "excellent": gettext_lazy("优秀"),
    "good": gettext_lazy("良好"),
    "pass": gettext_lazy("合格"),
    "fail": gettext_lazy("不合格"),
    "reason": gettext_lazy("理由"),
    "verdict": gettext_lazy("结论"),
    "flag": gettext_lazy("预警"),
    "index": gettext_lazy("指数"),
    "baseline": gettext_lazy("现有水平"),
    "target": gettext_lazy("目标值"),
    "weight": gettext_lazy("权重"),
    "higher_is_better": gettext_lazy("越高越好"),
    "direction": gettext_lazy("方向"),
    "month": gettext_lazy("第几个月"),
    "tranche": gettext_lazy("拨付（万元）"),
    "targets": gettext_lazy("指标阶段目标"),
    "duty": gettext_lazy("分工"),
    "criteria": gettext_lazy("评审指标"),
    "indicators": gettext_lazy("考核指标"),
    "seq": gettext_lazy("序号"),
    "achieved": gettext_lazy("实际值"),
    "missed": gettext_lazy("未达标"),
    "outcomes": gettext_lazy("结果"),
    "winners": gettext_lazy("拟立项"),
    "deadline": gettext_lazy("截止时间"),
    "publicity_ends": gettext_lazy("公示截止"),
    "amount": gettext_lazy("金额（万元）"),
    "email_off": gettext_lazy("不接收的邮件通知"),
    "counterparty": gettext_lazy("对方"),
    "conclusion": gettext_lazy("结论"),
    "score": gettext_lazy("得分"),
    "date": gettext_lazy("日期"),
    "edition": gettext_lazy("版本"),
    "framework": gettext_lazy("指标体系"),
    "reference": gettext_lazy("参照"),
    # background jobs' results and import reports
    "documents": gettext_lazy("文档数"),
    "challenges_closed": gettext_lazy("已截止的榜单"),
    "checked": gettext_lazy("检查数"),
    "overdue": gettext_lazy("已逾期"),
    "at_risk": gettext_lazy("临近到期"),
    "newly_flagged": gettext_lazy("新增预警"),
    "cleared": gettext_lazy("解除预警"),
    "computation": gettext_lazy("计算记录"),
    "entries": gettext_lazy("参评平台数"),
    "run": gettext_lazy("测算记录"),
    "existing": gettext_lazy("已存在"),
    "failed": gettext_lazy("失败"),
    "files": gettext_lazy("文件数"),
    "round": gettext_lazy("评审轮次"),
    "objective": gettext_lazy("分配目标值"),
    "worst_off": gettext_lazy("最低匹配度"),
    "assignments": gettext_lazy("分配数"),
    "dry_run": gettext_lazy("试运行"),
    "committed": gettext_lazy("已写入"),
    "line": gettext_lazy("行"),
    "field": gettext_lazy("列"),
    "message": gettext_lazy("原因"),
    # audit payloads' own keys (found by tests/test_crawl.py's walk of the demo's audit trail)
    "publicity": gettext_lazy("公示期"),
    "applications": gettext_lazy("申请数"),
    "manual": gettext_lazy("手工分配"),
    "contract": gettext_lazy("任务书"),
    "facts": gettext_lazy("提取的事实数"),
    "mentions": gettext_lazy("提及的平台数"),
    "uncertain": gettext_lazy("存疑数"),
    "version": gettext_lazy("版本"),
    "start": gettext_lazy("起始日期"),
    "end": gettext_lazy("终止日期"),
    "unit_name": gettext_lazy("单位"),
    "joined": gettext_lazy("加入日期"),
    "left": gettext_lazy("退出日期"),
    "cohosts": gettext_lazy("共建单位"),
    "closes_on": gettext_lazy("截止日期"),
    "demo": gettext_lazy("演示数据"),
}

# A key with no words above, no field and only letters, digits and underscores is the machine's own
# (a solver's statistics, another row's id, a form field's code): what a person reads leaves it out; the
# stored payload keeps it (the admin, the API).
MACHINE_KEY = re.compile(r"[a-z][a-z0-9_]*")


# Reasons the machine writes into an audit event (a token revoked because its owner was deactivated, an upload
# renamed), as words; a reason a person typed is shown as typed.
MACHINE_REASONS = {
    "owner": gettext_lazy("本人撤销"),
    "deactivation": gettext_lazy("账号停用"),
    "role_removed": gettext_lazy("角色被收回"),
    "password_change": gettext_lazy("修改了密码"),
    "password_reset": gettext_lazy("重置了密码"),
    "otp_enable": gettext_lazy("启用了双因素认证"),
    "unguessable_name": gettext_lazy("改为不可猜测的文件名"),
    # upload.quarantine (`kechuang uploads recheck --apply`): the check a stored file fails today
    "recheck_office_macro": gettext_lazy("安全复查未通过：含有宏"),
    "recheck_office_active_content": gettext_lazy("安全复查未通过：含有 ActiveX 控件或 OLE 对象"),
    "recheck_office_external_link": gettext_lazy("安全复查未通过：含有打开时访问外部地址的链接"),
    "recheck_office_unchecked": gettext_lazy("安全复查未通过：无法检查其内容"),
    "recheck_zip_bomb": gettext_lazy("安全复查未通过：解压后过大"),
    "recheck_executable_file": gettext_lazy("安全复查未通过：可执行程序"),
    "recheck_file_type_mismatch": gettext_lazy("安全复查未通过：内容与扩展名不符"),
    "recheck_bad_file_type": gettext_lazy("安全复查未通过：不接受的文件类型"),
    "recheck_empty_file": gettext_lazy("安全复查未通过：空文件"),
}


def reason_text(reason: str) -> str:
    """An audit event's reason in words: the machine's own reasons through MACHINE_REASONS, any other as written."""
    words = MACHINE_REASONS.get(reason)
    return str(words) if words is not None else reason


def _machine_value(text: str) -> bool:
    """A background job's kind ("challenges.dedup_index"): the machine's name of a task, which the job's
    title already says in words; a change to it is left out of what a person reads."""
    from .jobs import registered_kinds

    return text in registered_kinds()


def key_words(key) -> str | None:
    """A payload key in words, or None for a key only the machine reads."""
    words = KEYS.get(key)
    if words is not None:
        return str(words)
    return None if MACHINE_KEY.fullmatch(str(key)) else str(key)


SYSTEM_ACTORS = {
    "system": gettext_lazy("系统"),
    "": gettext_lazy("系统"),
    "demo": gettext_lazy("演示数据"),
    "dedup": gettext_lazy("查重"),
    "selftest": gettext_lazy("系统自检"),
    "migrate": gettext_lazy("数据库迁移"),
}


def system_actor_words(actor_repr: str) -> str:
    """Who acted when no person did (core.roles.SystemActor: a command, a job, the demo loader), in words: the
    name it is audited under is a code ("demo", "cli:root" with the operating system's login), never shown
    (walked, session 31: the demo's rows read "demo" in every trail). A name that is not a command's (a row
    whose person was removed keeps their public name) is shown as stored."""
    if actor_repr in SYSTEM_ACTORS:
        return str(SYSTEM_ACTORS[actor_repr])
    if actor_repr.startswith("cli:"):
        return str(_("命令行"))
    return actor_repr


def _model_of(event) -> type[models.Model] | None:
    """The event's model: from its content type where the list read it with the event (select_related),
    else from the content types' cache (`event.content_type` unread is one query per event)."""
    from django.contrib.contenttypes.models import ContentType

    if not event.content_type_id:
        return None
    if type(event).content_type.is_cached(event):
        return event.content_type.model_class()
    return ContentType.objects.get_for_id(event.content_type_id).model_class()


def _field(model, key: str):
    if model is None:
        return None
    try:
        f = model._meta.get_field(key)
    except Exception:
        f = next((f for f in model._meta.concrete_fields if f.attname == key), None)
    # A reverse relation (another model's key to this one) is no field of this row.
    return f if f is not None and hasattr(f, "verbose_name") else None


def yes_no(value: bool) -> str:
    return _("是") if value else _("否")


ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def plain(value, key: str = "") -> str:
    """A stored JSON value in words: None as —, booleans as 是/否, lists joined by 、 (parts by ；), mappings
    as "label：value，…" (keys by their labels where known)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, decimal.Decimal | float):
        return number_format(value)
    if isinstance(value, list | tuple):
        joiner = _("；") if any(isinstance(v, dict) for v in value) else _("、")
        return joiner.join(plain(v) for v in value) or "—"
    if isinstance(value, dict) and "m" in value:
        # words kept as msgid and parameters (core.messages.encode): in the reader's language
        return render_message(value)
    if isinstance(value, dict):
        # A part with a name is read by its name: its code, if any, is for the machine.
        items = [
            (words, v)
            for k, v in value.items()
            if not (k == "code" and value.get("name")) and (words := key_words(k)) is not None
        ]
        colon = _("：")
        return _("，").join(f"{words}{colon}{plain(v)}" for words, v in items) or "—"
    if isinstance(value, str) and ISO_DATETIME.match(value):
        # A moment stored as ISO 8601 (JSON has no datetime): local time, to the minute, as pages show it.
        moment = parse_datetime(value)
        if moment is not None:
            return when_text(moment)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        # a date stored as ISO text (JSON has no date): as pages write dates
        try:
            return date_text(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, datetime.date):
        return when_text(value)
    return str(value)


def result_rows(result) -> list[tuple[str, str]]:
    """A job's result (or an import report) as rows of (what, value in words); links left out, import
    errors as "第 N 行 列：原因"."""
    if not isinstance(result, dict):
        return [("", plain(result))] if result not in (None, "") else []
    rows = []
    for key, value in result.items():
        if key == "url":
            continue
        if key == "errors" and isinstance(value, list):
            value = [
                # kept as words (core.excel.ImportReport.as_dict with the format's headings): the column by its
                # heading in the reader's language
                render_message(e["words"])
                if isinstance(e, dict) and e.get("words")
                else _("第 %(line)s 行 %(field)s：%(message)s")
                % {
                    "line": e.get("line", ""),
                    "field": e.get("field", ""),
                    # kept as msgid and parameters (core.excel.RowError): in the reader's language
                    "message": render_message(e.get("said") or None, str(e.get("message", ""))),
                }
                if isinstance(e, dict)
                else e
                for e in value
            ]
        if key in REFS and isinstance(value, int) and not isinstance(value, bool):
            value = _ref_name(
                key, value
            )  # a row a job names (review.assign's round): by its name, not its id
        words = key_words(key)
        if words is not None:
            rows.append((words, plain(value)))
    return rows


def _ref_name(key: str, pk: int) -> str:
    """The name of the row a result's key names (REFS), or — when it is gone."""
    model = _ref_model(None, key)
    obj = model._default_manager.filter(pk=pk).first() if model is not None else None
    return str(obj) if obj is not None else "—"  # gone: as the audit trail shows a row no longer there


def choice_label(model, key: str, value) -> str | None:
    """The label of a stored code of a model's choice field, or None when the field has no choices."""
    f = _field(model, key)
    choices = getattr(f, "flatchoices", None) if f is not None else None
    if not choices:
        return None
    for code, label in choices:
        if code == value:
            return str(label)
    return None


@dataclass
class Change:
    label: str
    old: str
    new: str
    has_old: bool


@dataclass
class AuditLine:
    """One audit event in words."""

    at: datetime.datetime
    who: str
    what: str
    object: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    is_transition: bool = False
    # the part of the page's object the event is about, by name (a challenge's indicator on the challenge's
    # page: `audit_lines(parts=…)`); "" for the object itself
    part: str = ""

    # The time as the `date` filter writes DATETIME_FORMAT (with seconds for the audit log), in the current
    # time zone and language, by core.dates: 100 rows of the audit log through the filter's formatter cost more
    # than the rest of a row.
    @property
    def at_seconds(self) -> str:
        return when_text(self.at, seconds=True)

    @property
    def at_minutes(self) -> str:
        return when_text(self.at)


def action_label(action: str, model=None) -> tuple[str, bool]:
    """The action in words and whether it is a state machine's transition."""
    prefix, _dot, verb = action.rpartition(".")
    machine = MACHINES.get(prefix)
    if machine is not None and verb in machine.transitions:
        return str(machine.transitions[verb].label), True
    if (whole := ACTIONS.get(action)) is not None:
        return str(whole), False
    words = VERBS.get(verb)
    if words is None:
        return action, False
    if model is None:
        return str(words), False
    # Chinese joins the verb and its object (创建合同); English needs a space between them.
    return _("%(verb)s%(noun)s") % {"verb": words, "noun": audit_noun(model)}, False


# Models whose name is also a menu's or a list's heading ("指标": "Indicators"), named as the object of one
# audit action ("Created indicator"), keyed by the model's verbose name as written (Chinese).
NOUNS = {
    "用户": pgettext_lazy("审计对象", "用户"),
    "创新平台": pgettext_lazy("审计对象", "创新平台"),
    "指标": pgettext_lazy("审计对象", "指标"),
    "团队成员": pgettext_lazy("审计对象", "团队成员"),
    "榜单指标": pgettext_lazy("审计对象", "榜单指标"),
    "里程碑": pgettext_lazy("审计对象", "里程碑"),
    "里程碑指标": pgettext_lazy("审计对象", "里程碑指标"),
    "验收指标": pgettext_lazy("审计对象", "验收指标"),
    "后台任务": pgettext_lazy("审计对象", "后台任务"),
    "通知": pgettext_lazy("审计对象", "通知"),
    "合作者": pgettext_lazy("审计对象", "合作者"),
    "评分指标": pgettext_lazy("审计对象", "评分指标"),
    "评审对象": pgettext_lazy("审计对象", "评审对象"),
    "指标得分": pgettext_lazy("审计对象", "指标得分"),
    "指标值": pgettext_lazy("审计对象", "指标值"),
    "经费拨付": pgettext_lazy("审计对象", "经费拨付"),
    "公示异议": pgettext_lazy("审计对象", "公示异议"),
    "公文": pgettext_lazy("审计对象", "公文"),
    "技术合同": pgettext_lazy("审计对象", "技术合同"),
    "预申报遴选": pgettext_lazy("审计对象", "预申报遴选"),
}


def audit_noun(model) -> str:
    """A model's name as the object of an audit action: in Chinese its verbose name; in English one of it,
    lower-case ("Created indicator", not "Created Indicators"), an initialism kept ("API token")."""
    raw = str(model._meta.verbose_name_raw)
    noun = str(NOUNS.get(raw, model._meta.verbose_name))
    if language.english() and noun[:2] != noun[:2].upper():
        noun = noun[0].lower() + noun[1:]
    return noun


def _related_names(
    events, rows_read: list | None = None, also: dict[type, set] | None = None
) -> dict[tuple[type, str], str]:
    """The names of the objects the events' foreign keys point at: one query per related model. `also`: more
    rows to read with them (the events' own objects, by model: `audit_lines`), in the same query per model;
    the rows read are added to `rows_read` when given."""
    wanted: dict[type, set] = {model: set(keys) for model, keys in (also or {}).items()}
    for e in events:
        model = _model_of(e)
        for payload in (e.before, e.after):
            if not isinstance(payload, dict):
                continue
            for key, value in payload.items():
                if (ref := _ref_model(model, key, e.action)) is not None:
                    for v in value if isinstance(value, list | tuple) else [value]:
                        if isinstance(v, int) and not isinstance(v, bool):
                            wanted.setdefault(ref, set()).add(v)
                    continue
                f = _field(model, key)
                if (
                    f is not None
                    and f.is_relation
                    and (f.many_to_one or f.one_to_one)
                    and f.related_model is not None  # a generic key names no one model
                    and value not in (None, "")
                ):
                    try:  # some payloads name the related row by its code, not its key
                        key_value = f.related_model._meta.pk.to_python(value)
                    except (TypeError, ValueError, ValidationError):
                        continue
                    wanted.setdefault(f.related_model, set()).add(key_value)
                elif f is not None and f.is_relation and f.many_to_one and f.related_model is None and value:
                    # a generic key ("platforms.platform:217"): read with the others of its model
                    generic = _generic_key(value)
                    if generic is not None:
                        wanted.setdefault(generic[0], set()).add(generic[1])
    names = {}
    for related, pks in wanted.items():
        # No ordering (a model's own may join for nothing); the rows its name reads, in the same query.
        rows = related._default_manager.filter(pk__in=pks).order_by()
        if joins := NAME_JOINS.get(related._meta.label):
            rows = rows.select_related(*joins)
        pair = _bilingual_pair(related)
        for obj in rows:
            if rows_read is not None:
                rows_read.append(obj)
            names[(related, str(obj.pk))] = str(obj)
            if pair is not None:  # its name in both languages: a payload's stored name matched against it
                names[(related, str(obj.pk), "both")] = (
                    str(getattr(obj, pair[0]) or ""),
                    str(getattr(obj, pair[1]) or ""),
                )
    return names


def _twin_name(model, key: str, payload: dict, names, action: str = "") -> str | None:
    """A payload's stored name of a row (`unit_name` beside `unit`: the name it had when the event was
    written) in the reader's language, where the row is still there under that name (in either language) and
    has an English name beside its Chinese one; else None (shown as stored: renamed since, or gone)."""
    if not key.endswith("_name") or not isinstance(payload.get(key), str):
        return None
    base = key[: -len("_name")]
    pk = payload.get(base)
    if isinstance(pk, bool) or not isinstance(pk, int):
        return None
    ref = _ref_model(model, base, action)
    if ref is None:
        f = _field(model, base)
        ref = f.related_model if f is not None and f.is_relation and f.many_to_one else None
    both = names.get((ref, str(pk), "both")) if ref is not None else None
    if both is None or payload[key].strip() not in {both[0].strip(), both[1].strip()} - {""}:
        return None
    return language.local_name(*both)


def _app_choice_label(model, key: str, value) -> str | None:
    """A payload key that is no field of the event's model (an indicator's `rule` in its campaign's event):
    the label of that code in a field of the same name with choices in the model's app."""
    if model is None or not isinstance(value, str):
        return None
    from django.apps import apps

    for other in apps.get_app_config(model._meta.app_label).get_models():
        label = choice_label(other, key, value)
        if label is not None:
            return label
    return None


def _value(model, key, value, names, action: str = "") -> str:
    if (ref := _ref_model(model, key, action)) is not None and value not in (None, ""):
        values = value if isinstance(value, list | tuple) else [value]
        return _("、").join(names.get((ref, str(v)), "—") for v in values) or "—"
    label = choice_label(model, key, value)
    if label is not None:
        return label
    f = _field(model, key)
    # a code of a field of the same name in another model of the app (a transfer's kind in its result's event)
    if (f is None or f.choices) and (label := _app_choice_label(model, key, value)) is not None:
        return label
    if f is not None and f.is_relation and f.many_to_one and f.related_model is None:
        generic = _generic_key(value)
        if generic is not None and (generic[0], str(generic[1])) in names:
            return names[generic[0], str(generic[1])]
        return _generic_name(value)
    if f is not None and f.is_relation and (f.many_to_one or f.one_to_one) and value not in (None, ""):
        return names.get((f.related_model, str(value)), "—" if str(value).isdecimal() else str(value))
    if f is not None and isinstance(f, models.BooleanField):
        return yes_no(bool(value))
    if (unit := money_unit(f)) and value not in (None, ""):
        return _money_or_figure(value, unit)  # 850 万元 / CNY 8.5 million, not 850 under "（万元）"
    if f is not None and isinstance(f, models.DecimalField) and value not in (None, ""):
        return figure(value)
    if key in DIVISION_FIELDS and re.fullmatch(r"\d{6}", str(value or "")):
        return divisions.division_name(value) or str(value)  # a GB/T 2260 code by its name
    if key == "city" and isinstance(value, str) and value:
        # a city kept by its Chinese name (太原市), in the reader's language
        return divisions.city_shown(value)
    return plain(value, key)


# A money field's unit, from the end of its Chinese label (合同成交额（万元）, 计划金额（元）): the trail writes the
# amount as people write it (28 万元, CNY 280,000) under the label without the unit (walked, session 34, people35:
# "Contract amount (10,000 yuan): 28", a funds payment's "Planned amount (yuan): 6,000,000").
MONEY_SUFFIXES = (("（万元）", "万元"), ("（元）", "元"))
# the unit in the label in either language, taken off when the amount carries its own
UNIT_IN_LABEL = re.compile(r"\s*[（(](?:万元|元|CNY 10,000|10,000 yuan|yuan|CNY)[）)]\s*$")
_money_units: dict = {}


def money_unit(f) -> str:
    """The unit ("万元" or "元") a decimal field stores money in, by its Chinese label; "" if it is no money."""
    if f is None or not isinstance(f, models.DecimalField):
        return ""
    key = (getattr(f, "model", None), f.name)
    if key not in _money_units:
        from django.utils import translation

        with translation.override("zh-hans"):
            raw = str(f.verbose_name)
        _money_units[key] = next((unit for suffix, unit in MONEY_SUFFIXES if raw.endswith(suffix)), "")
    return _money_units[key]


def label_without_unit(label: str) -> str:
    """A money field's label without the unit its amounts now carry (合同成交额（万元） → 合同成交额)."""
    return UNIT_IN_LABEL.sub("", label) or label


def _money_or_figure(value, unit: str) -> str:
    try:
        return money(value, unit=unit)
    except (decimal.InvalidOperation, ValueError, TypeError):
        return str(value)


# Fields that store a GB/T 2260 division code (a unit's or a platform's province, a unit's region).
DIVISION_FIELDS = frozenset({"province", "region_code"})


def figure(value) -> str:
    """A stored decimal as people write it: thousands grouped, no zeros the column pads it with
    (9,000,000 and 12.5, not 9000000.00 and 12.5000)."""
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.quantize(decimal.Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number, force_grouping=True)


def share(value) -> str:
    """A stored percentage as people write it: 30%, 12.5% (never 30.00%); "—" for none."""
    if value is None or value == "":
        return "—"
    return f"{figure(value)}%"


def unstated_money(value, unit: str = "万元") -> str:
    """An amount whose 0 is what the form and the importer store when nothing was said (a need's matching
    funding): 未说明 then, else the amount as `money` writes it."""
    if value in (None, "") or decimal.Decimal(str(value)) == 0:
        return _("未说明")
    return money(value, unit=unit)


def places_of(values: Iterable, cap: int = 3) -> int:
    """How many decimal places a set of figures needs to be shown alike (52.5 and 54 both with one: 52.5,
    54.0): the most any of them has, rounded to `cap` places, trailing zeros dropped."""
    most = 0
    for v in values:
        if v is None or v == "":
            continue
        try:
            d = decimal.Decimal(repr(float(v))).quantize(decimal.Decimal(1).scaleb(-cap)).normalize()
        except (decimal.InvalidOperation, TypeError, ValueError):
            continue
        if d.is_finite():
            most = max(most, -d.as_tuple().exponent)
    return min(most, cap)


def fixed(value, places: int) -> str:
    """A figure with exactly `places` decimals, thousands grouped (58.3, 54.0 and 1,250.0 in one column):
    the one way an indicator's values are written beside each other; "—" for none."""
    if value is None or value == "":
        return "—"
    try:
        d = decimal.Decimal(repr(float(value)))
    except (decimal.InvalidOperation, TypeError, ValueError):
        return str(value)
    if not d.is_finite():
        return str(value)
    places = max(0, int(places))
    d = d.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    return number_format(d, decimal_pos=places, force_grouping=True)


def _machine_field(f) -> bool:
    """A field a person never reads: the row's key, its timestamps, a search index or a digest."""
    if f is None or f.is_relation:
        return False
    if f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return True
    return not f.editable and isinstance(f, models.CharField | models.TextField)


def _generic_key(value) -> tuple[type[models.Model], object] | None:
    """A generic key's value as audit payloads store it ("platforms.platform:217") as (model, key), or None."""
    from django.apps import apps

    app_model, _sep, pk = str(value or "").partition(":")
    try:
        model = apps.get_model(app_model)
        return model, model._meta.pk.to_python(pk)
    except (LookupError, ValueError, TypeError, ValidationError):
        return None


def _generic_name(value) -> str:
    """A generic key's value as audit payloads store it ("platforms.platform:217") by the row's name."""
    from django.apps import apps

    app_model, _sep, pk = str(value or "").partition(":")
    try:
        model = apps.get_model(app_model)
        return str(model._default_manager.get(pk=pk))
    except (LookupError, ValueError, ObjectDoesNotExist):
        return "—"


def _bilingual_pair(model) -> tuple[str, str] | None:
    """The model's name field with an English twin ("name"/"name_en", "title"/"title_en", "name_zh"/"name_en"),
    or None (a model whose only English twins are of other fields: an indicator's unit or source)."""
    names = {f.name for f in model._meta.concrete_fields}
    for base, english in (("name", "name_en"), ("title", "title_en"), ("name_zh", "name_en")):
        if base in names and english in names:
            return base, english
    return None


def _named_now(model) -> tuple[str, ...] | None:
    """For a model the trail names by its current name (`AUDIT_NAMED_NOW` on the model: a unit, and a row
    named by its unit — an application, a pre-application), the related rows its `str()` reads (joined when
    the rows are read); None for every other model."""
    return getattr(model, "AUDIT_NAMED_NOW", None) if model is not None else None


def _named(model) -> bool:
    """The trail names an event's object of this model at read time (`_object_names`)."""
    return model is not None and (_bilingual_pair(model) is not None or _named_now(model) is not None)


def _object_keys(events) -> dict[type, set]:
    """The keys of the events' objects `_object_names` reads, by model."""
    wanted: dict[type, set] = {}
    for e in events:
        model = _model_of(e) if e.object_id and e.object_repr else None
        if _named(model):
            try:
                wanted.setdefault(model, set()).add(model._meta.pk.to_python(e.object_id))
            except (ValidationError, ValueError, TypeError):
                continue
    return wanted


def _object_names(events, known: Iterable = ()) -> dict[int, str]:
    """The objects of audit events named in the reader's language at read time, by event id: the trail stores
    the name an object had when it was changed (`object_repr`, in the language of the person who changed it)
    and is never rewritten (append-only). Where the event still points at a row of a model that has an
    English name beside its Chinese one (name/name_en, title/title_en) and the stored name is that row's
    name in either language (as a field pair or as `str()`), the row's name in the reader's language is
    shown; a row renamed since, deleted, or of a model without English names keeps the name as written.
    A unit and a row named by its unit (`_named_now`: their names change — an English name recorded later, a
    unit renamed) are shown by their current name in the reader's language while the row exists, whatever
    the stored name; deleted, by the name as written. One query per such model, none for the rows in `known`
    (the page's own object)."""
    from django.utils import translation

    wanted = _object_keys(events)
    rows: dict[tuple[type, str], models.Model] = {
        (type(o), str(o.pk)): o for o in known if o is not None and _named(type(o))
    }
    for model, keys in wanted.items():
        keys = {k for k in keys if (model, str(k)) not in rows}
        if not keys:
            continue
        manager = model._default_manager
        if related := _named_now(model):
            manager = manager.select_related(*related)
        for pk, obj in manager.in_bulk(list(keys)).items():
            rows[model, str(pk)] = obj
    forms: dict[tuple[type, str], list[tuple[str, str, str]]] = {}
    out: dict[int, str] = {}
    for e in events:
        key = (_model_of(e), str(e.object_id)) if e.object_id else None
        obj = rows.get(key) if key else None
        if obj is None:
            continue
        if _named_now(type(obj)) is not None:  # its current name, in the reader's language
            if key not in forms:
                forms[key] = [("", "", str(obj))]
            out[e.pk] = forms[key][0][2] or e.object_repr
            continue
        if key not in forms:
            base, english = _bilingual_pair(type(obj))
            pair = (str(getattr(obj, base) or ""), str(getattr(obj, english) or ""))
            with translation.override("zh-hans"):
                zh = str(obj)
            with translation.override("en"):
                en = str(obj)
            forms[key] = [
                (*pair, language.local_name(*pair)),
                (zh, en, en if language.english() else zh),
            ]
        for zh, en, shown in forms[key]:
            if e.object_repr in (zh[:300], en[:300]) and shown:
                out[e.pk] = shown
                break
    return out


def _who(event, viewer_unit_id, internal: bool, viewer_id=None) -> str:
    actor = event.actor
    if actor is None:
        return system_actor_words(event.actor_repr)
    if (
        internal
        or (viewer_unit_id and actor.unit_id == viewer_unit_id)
        or (viewer_id and actor.pk == viewer_id)
    ):
        return str(actor)
    # Outside the department, a person of another unit is shown by their unit, never by name or login: by
    # its English name on an English page where it has one (read now, from the unit; the trail holds its id).
    if not actor.unit_id:
        return _("工作人员")
    unit = actor.unit
    return language.local_name(unit.name, getattr(unit, "name_en", ""))


def actor_name(event) -> str:
    """Who did an audit event, for staff and records: a person by the public-name rule through `actor` (rows
    written before session 18 store the login name in `actor_repr`, which is never shown), a command or job
    by its name in words."""
    if event.actor_id is not None and event.actor is not None:
        return str(event.actor)
    return system_actor_words(event.actor_repr)


def actor_words(event, viewer_unit_id, internal: bool) -> str:
    """Who did an audit event, in words, as the trail shows them to a viewer of that unit (core.decided)."""
    return _who(event, viewer_unit_id, internal)


def audit_lines(
    events: Iterable,
    *,
    internal: bool = True,
    viewer=None,
    own: bool = False,
    known: Iterable = (),
    parts: Iterable = (),
) -> list[AuditLine]:
    """Audit events in words. `internal` (department staff) shows every event with names; otherwise only
    state changes, each person outside the viewer's unit shown by their unit — and, with `own` (a person's
    page of their own: the expert profile), every event the viewer did themself, by their own name. Each
    event's object by its name in the reader's language where it still has the name stored (`_object_names`;
    `known`: rows the caller holds, not read again). `parts`: rows that are parts of the page's object (a
    challenge's target indicators on its page): an event about one of them names it (`AuditLine.part`, in the
    reader's language), as the page's own object needs no name."""
    events = list(events)
    parts = list(parts)
    # The events' objects are read with the rows their payloads name, one query per model (a call an event is
    # about and a call another names: one query), but a model named by its related rows (`_named_now`: an
    # application by its unit), which `_object_names` reads with them; the page's own rows not at all.
    held = {(type(o), str(o.pk)) for o in [*known, *parts] if o is not None}
    also = {
        model: {k for k in keys if (model, str(k)) not in held}
        for model, keys in _object_keys(events).items()
        if not _named_now(model)
    }
    read: list = []
    names = _related_names(events, read, {m: keys for m, keys in also.items() if keys})
    objects = _object_names(events, [*known, *parts, *(r for r in read if not _named_now(type(r)))])
    part_names = {(type(r), str(r.pk)): _row_name(r) for r in parts}
    for action, prepare in PAYLOAD_PREPARES.items():
        batch = [e for e in events if e.action == action]
        if batch:
            prepare(batch)
    viewer_unit_id = getattr(viewer, "unit_id", None)
    own_id = getattr(viewer, "pk", None) if own else None
    # A page's rows repeat a few actions, fields and stored codes: each put in words once per call (the same
    # words — one call runs in one language), not per row (issue #19: ~470 gettext calls per audit page).
    actions: dict = {}
    labels: dict = {}
    values: dict = {}

    def value(model, key, v, action) -> str:
        if not isinstance(v, str | int | bool) and v is not None:  # lists, mappings, numbers: as they come
            return _value(model, key, v, names, action)
        # the type too: True == 1 and hash alike; the action where its own refs read the key
        memo = (model, key, type(v), v, action if (action, key) in ACTION_REFS else "")
        if memo not in values:
            values[memo] = _value(model, key, v, names, action)
        return values[memo]

    lines = []
    for e in events:
        model = _model_of(e)
        if (e.action, model) not in actions:
            actions[e.action, model] = action_label(e.action, model)
        what, is_transition = actions[e.action, model]
        if not internal and not is_transition and not (own_id and e.actor_id == own_id):
            continue
        before = e.before if isinstance(e.before, dict) else {}
        after = e.after if isinstance(e.after, dict) else {}
        reword = PAYLOADS.get(e.action)
        if reword is not None:  # an app's payload in its own words (register_payload)
            before, after = reword(e, before), reword(e, after)
        changes = []
        for key in list(after) + [k for k in before if k not in after]:
            own = (e.action, key) in ACTION_REFS
            memo = (model, key, e.action) if own else (model, key)
            if own and memo not in labels and (ref := _ref_model(model, key, e.action)) is not None:
                labels[memo] = str(ref._meta.verbose_name)  # the action's own ref: named by its model
            if memo not in labels:
                f = _field(model, key)
                if _machine_field(f):
                    labels[memo] = None
                    continue
                named = f is not None and str(f.verbose_name) != f.name.replace("_", " ")
                if f is not None and f.is_relation and f.many_to_one and f.related_model is None:
                    labels[memo] = _("关联对象")  # a generic key: the row it names
                elif named and money_unit(f):
                    labels[memo] = label_without_unit(str(f.verbose_name))  # the amount says its unit
                else:
                    labels[memo] = str(f.verbose_name) if named else key_words(key)
            if labels[memo] is None or f"{key}_name" in after or f"{key}_name" in before:
                continue  # the machine's own key (MACHINE_KEY), or a key whose name is there too
            if e.reason and isinstance(after.get(key), str) and after[key].strip() == e.reason.strip():
                continue  # the event's reason stored on the row too (a formal check's comment): said once
            twin_old = _twin_name(model, key, before, names, e.action) if names else None
            twin_new = _twin_name(model, key, after, names, e.action) if names else None
            change = Change(
                label=labels[memo],
                old=twin_old or value(model, key, before.get(key), e.action),
                new=twin_new or (value(model, key, after.get(key), e.action) if key in after else "—"),
                has_old=key in before,
            )
            if change.new == "—" and after.get(key) not in (None, "") and change.old == "—":
                continue  # nothing a person reads (every part of it the machine's)
            if _machine_value(change.new) and (change.old == "—" or _machine_value(change.old)):
                continue  # nothing a person reads (every part of it the machine's)
            changes.append(change)
        lines.append(
            AuditLine(
                at=e.at,
                who=_who(e, viewer_unit_id, internal, own_id),
                what=what,
                object=objects.get(e.pk, e.object_repr),
                changes=changes,
                reason=reason_text(e.reason),
                is_transition=is_transition,
                part=part_names.get((model, str(e.object_id)), "") if part_names else "",
            )
        )
    return lines


def _row_name(row) -> str:
    """A row by its name in the reader's language (its name/name_en or title/title_en pair), else `str()`."""
    pair = _bilingual_pair(type(row))
    if pair is None:
        return str(row)
    return language.local_name(getattr(row, pair[0]), getattr(row, pair[1]))


def money(value, unit: str = "万元") -> str:
    """An amount stored in 万元 (or 元) as people write it: 850 万元, 1.25 亿元. The stored value stays exact."""
    if value is None or value == "":
        return "—"
    amount = decimal.Decimal(str(value))
    if unit == "元":
        amount = amount / 10000
    if language.english():
        return _money_en(amount * 10000)
    if abs(amount) >= 10000:
        yi = (amount / 10000).quantize(decimal.Decimal("0.01")).normalize()
        return _("%(n)s 亿元") % {"n": number_format(yi, force_grouping=True)}
    wan = amount.quantize(decimal.Decimal("0.01")).normalize()
    if wan == wan.to_integral():
        wan = wan.quantize(decimal.Decimal("1"))
    return _("%(n)s 万元") % {"n": number_format(wan, force_grouping=True)}


def _money_en(yuan: decimal.Decimal) -> str:
    """An amount in 元 as English readers count it: CNY 49 million, CNY 1.25 billion, CNY 350,000 (万 and 亿 are
    Chinese units: "CNY 4,900 ten thousand" reads as a riddle)."""
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if abs(yuan) >= size:
            n = (yuan / size).quantize(decimal.Decimal("0.01")).normalize()
            n = n.quantize(decimal.Decimal("1")) if n == n.to_integral() else n
            return f"CNY {number_format(n, force_grouping=True)} {word}"
    n = yuan.quantize(decimal.Decimal("0.01")).normalize()
    n = n.quantize(decimal.Decimal("1")) if n == n.to_integral() else n
    return f"CNY {number_format(n, force_grouping=True)}"


# payload key -> the model ("app_label.Model") whose row(s) its key(s) name, for a key that is no field of the
# event's own model (a platform's membership.end names its `unit`): read by the row's name, not its key.
REFS: dict[str, str] = {}
# (action, payload key) -> model: a key one action uses for rows of a model the same key of other actions
# does not name (campaign.review_start's `form` is its review form; another action's `form` may be anything).
# Wins over REFS and over a field of the event's model; the change is labelled by the model's verbose name.
ACTION_REFS: dict[tuple[str, str], str] = {}
# model ("app_label.Model") -> the relations its name (str) reads ("definition" for a form version, named
# after its form): read with the rows an audit trail names, in one query, not one per row.
NAME_JOINS: dict[str, tuple[str, ...]] = {}


def register_words(
    *,
    verbs: dict | None = None,
    actions: dict | None = None,
    keys: dict | None = None,
    refs: dict[str, str] | None = None,
    action_refs: dict[str, dict[str, str]] | None = None,
    name_joins: dict[str, tuple[str, ...]] | None = None,
) -> None:
    """An app's own audit verbs and payload keys in words (call from AppConfig.ready): how a higher app's
    audit events read as sentences without core knowing the app; `actions`: {action: words}, a whole action
    whose words name their object; `refs`: keys naming rows of a model;
    `action_refs`: {action: {key: model}}, a key naming rows of a model in that action's payloads only;
    `name_joins`: {model: relations its name reads}, selected with it when a trail names its rows."""
    VERBS.update(verbs or {})
    ACTIONS.update(actions or {})
    KEYS.update(keys or {})
    REFS.update(refs or {})
    for action, keyed in (action_refs or {}).items():
        ACTION_REFS.update({(action, key): label for key, label in keyed.items()})
    NAME_JOINS.update({label: tuple(joins) for label, joins in (name_joins or {}).items()})


def _ref_model(model, key: str, action: str = ""):
    """The model a payload key names rows of: the action's own (ACTION_REFS), else the global one (REFS) when
    the key is no field of the event's model; or None."""
    label = ACTION_REFS.get((action, key))
    if label is None:
        if key not in REFS or _field(model, key) is not None:
            return None
        label = REFS[key]
    from django.apps import apps

    try:
        return apps.get_model(label)
    except LookupError:
        return None


# action -> fn(event, payload) -> payload: an app's audit payload rewritten for reading (its codes by their
# names, its keys in words), registered from AppConfig.ready like the words above.
PAYLOADS: dict = {}
# action -> prepare(events): reads what the action's payloads name for every event of a page at once (a few
# queries per page, not per row) and leaves it on each event for its `reword`.
PAYLOAD_PREPARES: dict = {}


def register_payload(action: str, reword, *, prepare=None) -> None:
    """How the payloads of one audit action read: `reword(event, payload) -> payload` (a new dict; keys may
    be words already, values what a person reads); `prepare(events)`, when given, is called once per list of
    events with those of this action, before any `reword`."""
    PAYLOADS[action] = reword
    if prepare is not None:
        PAYLOAD_PREPARES[action] = prepare


# --- list rows without per-row work (issue #19 item 4) -----------------------------------------------------

_PK_SENTINEL = 987654321


def choice_labels(choices) -> dict[str, str]:
    """A choices class's labels translated once per request: {value: label} for a list's rows, instead of a
    `get_FOO_display` (a lazy gettext cast) per row."""
    return {value: str(label) for value, label in choices.choices}


def pk_url(name: str):
    """`pk -> reverse(name, args=[pk])` with one reverse per list, not one per row (the URL must take the
    pk as its only argument)."""
    from django.urls import reverse

    head, _sep, tail = reverse(name, args=[_PK_SENTINEL]).partition(str(_PK_SENTINEL))
    return lambda pk: f"{head}{pk}{tail}"
