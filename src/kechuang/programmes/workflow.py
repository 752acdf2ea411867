"""Programme types as data (issue #18.1, 3, 4): the stage kinds the code provides, the rules every
definition must keep, a call's progression through its stages, and the check on moving a call in flight to
another version. Pure Python: no models, no queries (import-linter's pure-modules contract).

A definition is an ordered list of stage dicts (stored as JSON on `ProgrammeVersion.stages`, documented in
docs/programmes.md): `key` (`s1`, `s2`…, made by the builder, kept across versions), `kind` (one of
`STAGE_KINDS`), `name`, `days`, `role`, `form` (a published form version) and `rules` (`eligibility`,
`max_concurrent`, `attachments`, and for a decision `requires_publicity`).

What cannot be configured away stays here: each kind's order among the others (`rank`), the checks it
proves, the checks every award needs (`AWARD_NEEDS`: a formal check, an expert review with its
conflict-of-interest check), and a decision's promise of publicity with objections answered.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.dates import date_text
from kechuang.core.lists import listed
from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

from . import names, statuses

# The checks stages prove. Conflict of interest travels with every expert review (review's own rules); it
# is listed so that an award can name it among what it rests on.
FORMAL = "formal"
EXPERT = "expert_review"
COI = "conflict_of_interest"
PUBLICITY = "publicity"
OBJECTIONS = "objections_answered"
CHECK_LABELS = {
    FORMAL: _("形式审查"),
    EXPERT: _("专家评审"),
    COI: _("利益冲突回避"),
    PUBLICITY: _("公示"),
    OBJECTIONS: _("异议处理"),
}
AWARD_NEEDS = frozenset({FORMAL, EXPERT, COI})


@dataclass(frozen=True)
class StageKind:
    key: str
    label: object
    rank: int  # stages run in non-decreasing rank
    role: str  # who acts, unless the stage says otherwise
    checks: frozenset[str] = frozenset()
    once: bool = True  # at most one stage of this kind
    after: tuple[str, ...] = ()  # at least one of these kinds must come before
    form_purpose: str = ""  # the form purpose a stage of this kind takes, if any


STAGE_KINDS: dict[str, StageKind] = {
    k.key: k
    for k in (
        StageKind("call", _("发布申报指南"), 0, Role.STAFF),
        StageKind(
            "pre_application", _("预申报"), 1, Role.APPLICANT, after=("call",), form_purpose="application"
        ),
        StageKind(
            "application", _("正式申报"), 2, Role.APPLICANT, after=("call",), form_purpose="application"
        ),
        StageKind("formal_check", _("形式审查"), 3, Role.STAFF, frozenset({FORMAL}), after=("application",)),
        StageKind(
            "letter_review",
            _("函评"),
            4,
            Role.EXPERT,
            frozenset({EXPERT, COI}),
            once=False,
            after=("formal_check",),
            form_purpose="review_form",
        ),
        StageKind(
            "panel_review",
            _("会评/答辩"),
            4,
            Role.EXPERT,
            frozenset({EXPERT, COI}),
            once=False,
            after=("formal_check",),
            form_purpose="review_form",
        ),
        StageKind(
            "publicity",
            _("公示（受理异议）"),
            5,
            Role.STAFF,
            frozenset({PUBLICITY, OBJECTIONS}),
            after=("letter_review", "panel_review"),
        ),
        StageKind("decision", _("立项决定"), 6, Role.STAFF, after=("letter_review", "panel_review")),
        StageKind("contract", _("签订任务书"), 7, Role.STAFF, after=("decision",)),
        StageKind(
            "mid_term",
            _("中期检查"),
            8,
            Role.COMMISSIONER,
            once=False,
            after=("contract",),
            form_purpose="mid_term",
        ),
        StageKind("racing", _("赛马制择优"), 8, Role.STAFF, once=False, after=("contract",)),
        StageKind("acceptance", _("验收"), 9, Role.STAFF, after=("contract",), form_purpose="acceptance"),
        StageKind(
            "performance", _("绩效评价"), 10, Role.STAFF, after=("acceptance",), form_purpose="performance"
        ),
    )
}
STAGE_KIND_CHOICES = [(k.key, k.label) for k in STAGE_KINDS.values()]
REVIEW_KINDS = ("letter_review", "panel_review")

# Eligibility rules a stage may carry: the code checks them, staff choose them.
ELIGIBILITY = {
    "unit_verified": _("申报单位信息已核实"),
    "no_integrity_record": _("申报单位和负责人无在查的科研诚信记录"),
    "no_overdue_project": _("申报单位无逾期未验收的项目"),
}


# The rules a stage may carry (`stage["rules"]`), checked when a submission is submitted (`rule_refusals`).
RULE_KEYS = ("unit_kinds", "eligibility", "max_concurrent", "attachments")


def date_words(day: datetime.date) -> str:
    """A date as people write it, as every page writes dates: 2027年3月1日, "1 Mar 2027" (not "1/3/2027")."""
    return date_text(day)


def has_rules(stage: dict) -> bool:
    rules = stage.get("rules") or {}
    return any(rules.get(k) for k in RULE_KEYS)


def takes_submissions(stage: dict) -> bool:
    """Applicants submit at this stage: a kind that takes an application form, with a form chosen."""
    kind = STAGE_KINDS.get(stage.get("kind", ""))
    return bool(kind and kind.form_purpose == "application" and stage.get("form"))


class DefinitionError(Exception):
    """A definition that cannot run, with every reason (`problems`)."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def kind_label(kind: str) -> str:
    k = STAGE_KINDS.get(kind)
    return str(k.label) if k else gettext("未知环节")


def stage_name(stage: dict) -> str:
    """A stage's name in the active language (names.local: its English form on an English page, else the
    Chinese), or its kind's name when it has none."""
    return names.local(stage, "name") or kind_label(stage.get("kind", ""))


_name = stage_name


def requires_publicity(stage: dict) -> bool:
    return bool((stage.get("rules") or {}).get("requires_publicity", True))


def problems(stages: list[dict], file_labels: dict | None = None) -> list[str]:
    """Every reason a definition cannot run; empty when it can. The orders the code refuses: a stage of an
    unknown kind, the call not first, a kind twice that happens once, a stage before the kinds it needs
    (a review before the formal check, a decision before any review, a contract before the decision …),
    a stage out of rank order, a decision without the publicity it promises. Rules (eligibility, the
    concurrent-project limit, required attachments) only on a stage where applicants submit a form, so that
    each rule a stage promises is checked; with `file_labels` ({form: the labels of its file fields}), each
    required attachment must be a file field of the stage's form."""
    out: list[str] = []
    if not stages:
        return [gettext("至少需要一个环节。")]
    keys = [s.get("key") for s in stages]
    if len(set(keys)) != len(keys) or not all(keys):
        out.append(gettext("环节标识重复或缺失。"))
    seen: list[str] = []
    top_rank = -1
    top_name = ""
    for i, stage in enumerate(stages):
        kind = STAGE_KINDS.get(stage.get("kind", ""))
        if kind is None:
            out.append(gettext("第 %(n)d 个环节的类型未知。") % {"n": i + 1})
            continue
        name = _name(stage)
        if i == 0 and kind.key != "call":
            out.append(gettext("第一个环节必须是“%(call)s”。") % {"call": kind_label("call")})
        if kind.once and kind.key in seen:
            out.append(gettext("“%(kind)s”只能有一个。") % {"kind": kind.label})
        if kind.after and not any(a in seen for a in kind.after):
            out.append(
                gettext("“%(name)s”之前须有“%(needs)s”。")
                % {"name": name, "needs": gettext("”或“").join(kind_label(a) for a in kind.after)}
            )
        elif kind.rank < top_rank:
            out.append(gettext("“%(name)s”不能排在“%(prev)s”之后。") % {"name": name, "prev": top_name})
        if kind.rank >= top_rank:
            top_rank, top_name = kind.rank, name
        if kind.key == "decision" and requires_publicity(stage) and "publicity" not in seen:
            out.append(gettext("“%(name)s”要求先公示，但之前没有“公示”环节。") % {"name": name})
        unknown = [e for e in (stage.get("rules") or {}).get("eligibility") or [] if e not in ELIGIBILITY]
        if unknown:
            out.append(gettext("“%(name)s”的申报资格条件未知。") % {"name": name})
        if has_rules(stage) and not takes_submissions(stage):
            out.append(
                gettext("“%(name)s”设置了申报条件，但申报方不在此环节提交表单，条件无从核验。")
                % {"name": name}
            )
        if file_labels is not None and stage.get("form") is not None:
            have = file_labels.get(stage.get("form"), set())
            for wanted in (stage.get("rules") or {}).get("attachments") or []:
                if wanted not in have:
                    out.append(
                        gettext("“%(name)s”要求的附件“%(file)s”在其表单中没有同名的附件字段。")
                        % {"name": name, "file": wanted}
                    )
        seen.append(kind.key)
    if "application" not in seen:
        out.append(gettext("须有“正式申报”环节。"))
    return out


def check(stages: list[dict]) -> None:
    found = problems(stages)
    if found:
        raise DefinitionError(found)


def promised_before(stages: list[dict], index: int) -> frozenset[str]:
    """The checks the stages before `index` prove."""
    out: set[str] = set()
    for s in stages[:index]:
        kind = STAGE_KINDS.get(s.get("kind", ""))
        if kind:
            out |= kind.checks
    return frozenset(out)


def award_needs(stage: dict) -> frozenset[str]:
    """What an award at this decision stage rests on: the checks every award needs, and the publicity with
    objections answered when the stage promises it."""
    needs = set(AWARD_NEEDS)
    if requires_publicity(stage):
        needs |= {PUBLICITY, OBJECTIONS}
    return frozenset(needs)


# --- stage rules and deadlines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What is known of a submission when it is submitted; the services gather it, `rule_refusals` judges.
    `eligibility`: {rule: the reasons it bars this submission ([] when it does not)}; a rule missing from it
    could not be checked, and refuses (a promised check is never skipped)."""

    unit_kind: str = ""
    unit_kind_labels: dict = field(default_factory=dict)
    eligibility: dict = field(default_factory=dict)
    in_flight: int = 0  # projects the person leads in other running calls
    attachments: frozenset = frozenset()  # the labels of the file fields given a file
    # the file fields' specs by their Chinese label, for the names shown (their English form on an English page)
    file_specs: dict = field(default_factory=dict)
    today: datetime.date | None = None
    closes_on: datetime.date | None = None
    # who submits (the pure model's key of the 预申报 invitation; the services pass the user's id)
    applicant: object = None


def rule_refusals(stage: dict, facts: Facts) -> list[str]:
    """Every reason a submission with `facts` is refused at `stage` (its deadline and its rules), in words;
    [] when it is admitted."""
    rules = stage.get("rules") or {}
    name = _name(stage)
    out: list[str] = []
    if facts.closes_on and facts.today and facts.today > facts.closes_on:
        out.append(
            gettext("“%(name)s”已于%(date)s截止，不能再提交。")
            % {"name": name, "date": date_words(facts.closes_on)}
        )
    kinds = list(rules.get("unit_kinds") or [])
    if kinds and facts.unit_kind not in kinds:
        labels = facts.unit_kind_labels
        allowed = listed(str(labels.get(k, k)) for k in kinds)
        out.append(
            gettext("“%(name)s”仅限%(kinds)s申报，您的单位类型是“%(kind)s”。")
            % {"name": name, "kinds": allowed, "kind": labels.get(facts.unit_kind, gettext("未登记"))}
            if facts.unit_kind
            else gettext("“%(name)s”仅限%(kinds)s申报，您尚未隶属任何单位。")
            % {"name": name, "kinds": allowed}
        )
    for rule in rules.get("eligibility") or []:
        if rule not in facts.eligibility:
            out.append(
                gettext("申报资格“%(rule)s”目前无法核验，暂不能提交。")
                % {"rule": ELIGIBILITY.get(rule, gettext("未知条件"))}
            )
        else:
            out.extend(str(r) for r in facts.eligibility[rule])
    limit = rules.get("max_concurrent")
    if limit and facts.in_flight >= int(limit):
        out.append(
            gettext("每位负责人最多同时承担 %(n)d 个在研项目，您已有 %(m)d 个。")
            % {"n": int(limit), "m": facts.in_flight}
        )
    missing = [a for a in rules.get("attachments") or [] if a not in facts.attachments]
    if missing:
        shown = gettext("、").join(_file_name(facts, a) for a in missing)
        out.append(gettext("须上传附件：%(files)s。") % {"files": shown})
    return out


def _file_name(facts: Facts, label: str) -> str:
    """A required attachment (named by its file field's Chinese label) in the page's language."""
    return names.local(facts.file_specs.get(label) or {"label": label}, "label")


def closes_on(stage: dict, opened_on: datetime.date | None) -> datetime.date | None:
    """The last day of a stage opened on `opened_on` ("days" long; 0: no time limit)."""
    days = int(stage.get("days") or 0)
    return opened_on + datetime.timedelta(days=days) if opened_on and days else None


def schedule(
    stages: list[dict], index: int, opened_on: datetime.date | None, current_closes_on: datetime.date | None
) -> list[tuple[datetime.date | None, datetime.date | None]]:
    """(opens, closes) of each stage: None for the stages done; the current one's as stored (an extension
    included); each later one opens the day after the one before closes and lasts its days. A stage
    without a time limit leaves the dates after it unknown (None)."""
    out: list[tuple[datetime.date | None, datetime.date | None]] = [(None, None)] * min(index, len(stages))
    opens = opened_on
    for i in range(index, len(stages)):
        close = current_closes_on if i == index else closes_on(stages[i], opens)
        out.append((opens, close))
        opens = close + datetime.timedelta(days=1) if close else None
    return out


# --- the formal check of each application (形式审查) -------------------------------------------------------------


FormalStatus = statuses.FormalStatus


def _g_correct_by(obj, ctx):
    """Returning for correction names a deadline, not in the past."""
    by, today = ctx.get("correct_by"), ctx.get("today")
    if by is None:
        return gettext("退回补正须填写补正截止日期。")
    if today is not None and by < today:
        return gettext("补正截止日期不能早于今天。")
    return None


def _g_within_correction(obj, ctx):
    """The applicant resubmits a correction no later than its deadline."""
    by, today = ctx.get("correct_by"), ctx.get("today")
    if by is not None and today is not None and today > by:
        return gettext("补正已于%(date)s截止，不能再提交。") % {"date": date_words(by)}
    return None


def _g_correction_lapsed(obj, ctx):
    """An application returned for correction fails only once its correction deadline has passed."""
    if ctx.get("from_state") != FormalStatus.RETURNED:
        return None
    by, today = ctx.get("correct_by"), ctx.get("today")
    if by is not None and today is not None and today <= by:
        return gettext("补正期限（%(date)s）未到，申报方仍可修改后重新提交。") % {"date": date_words(by)}
    return None


_STAFF = frozenset({Role.STAFF.value})
_APPLICANT = frozenset({Role.APPLICANT.value})

FORMAL_CHECK = StateMachine(
    "formal_check",
    FormalStatus,
    [
        Transition("pass", frozenset({FormalStatus.PENDING}), FormalStatus.PASSED, _STAFF, _("形式审查通过")),
        Transition(
            "return",
            frozenset({FormalStatus.PENDING}),
            FormalStatus.RETURNED,
            _STAFF,
            _("退回补正"),
            guards=(_g_correct_by,),
            needs_reason=True,
        ),
        Transition(
            "fail",
            frozenset({FormalStatus.PENDING, FormalStatus.RETURNED}),
            FormalStatus.FAILED,
            _STAFF,
            _("形式审查不通过"),
            guards=(_g_correction_lapsed,),
            needs_reason=True,
        ),
        Transition(
            "resubmit",
            frozenset({FormalStatus.RETURNED}),
            FormalStatus.PENDING,
            _APPLICANT,
            _("补正后重新提交"),
            guards=(_g_within_correction,),
        ),
    ],
)
FORMAL_FINAL = frozenset({FormalStatus.PASSED, FormalStatus.FAILED})


def formal_close_refusals(stage: dict, rows: Iterable[tuple[str, str, datetime.date | None]]) -> list[str]:
    """Why a formal check stage cannot close, in words: `rows` are (title, status, correct_by) of every
    formal application; each must be passed or failed. [] when none is unchecked or awaiting correction."""
    pending, returned = [], []
    for title, status, by in rows:
        if status == FormalStatus.PENDING:
            pending.append(title)
        elif status == FormalStatus.RETURNED:
            returned.append(
                gettext("%(t)s（补正截止%(d)s）") % {"t": title, "d": date_words(by)} if by else title
            )

    def names(items):
        return listed(items, limit=5)

    out = []
    if pending:
        out.append(
            gettext("“%(name)s”还有 %(n)d 份申报未审查：%(titles)s。")
            % {"name": _name(stage), "n": len(pending), "titles": names(pending)}
        )
    if returned:
        out.append(
            gettext("%(n)d 份申报退回补正，须等申报方修改后重新审查（或补正期满后判为不通过）：%(titles)s。")
            % {"n": len(returned), "titles": names(returned)}
        )
    return out


@dataclass(frozen=True)
class ChecklistRow:
    """One rule of the stage a formal application was made at, judged for the checker: `ok` True (met),
    False (not met) or None (the code cannot judge it: the checker does), with the words."""

    rule: str
    ok: bool | None
    words: str


def formal_checklist(stage: dict, facts: Facts) -> list[ChecklistRow]:
    """The rules of the application stage `stage` (unit kinds, eligibility, the concurrent-project limit,
    required attachments) as a checklist for the formal check, each judged on `facts` as they stand now
    (a restriction may have begun since the application came in). An eligibility rule nobody answers is
    left to the checker (ok None). The stage's deadline is not a rule here: the application came in."""
    rules = stage.get("rules") or {}
    out: list[ChecklistRow] = []
    kinds = list(rules.get("unit_kinds") or [])
    if kinds:
        labels = facts.unit_kind_labels
        allowed = listed(str(labels.get(k, k)) for k in kinds)
        ok = facts.unit_kind in kinds
        have = str(labels.get(facts.unit_kind, facts.unit_kind)) if facts.unit_kind else gettext("未登记")
        out.append(
            ChecklistRow(
                gettext("申报单位类型限%(kinds)s") % {"kinds": allowed},
                ok,
                gettext("申报单位类型：%(kind)s。") % {"kind": have},
            )
        )
    for rule in rules.get("eligibility") or []:
        label = str(ELIGIBILITY.get(rule, gettext("未知条件")))
        if rule not in facts.eligibility:
            out.append(ChecklistRow(label, None, gettext("系统无法自动核验，请人工核对。")))
        else:
            reasons = [str(r) for r in facts.eligibility[rule]]
            out.append(ChecklistRow(label, not reasons, " ".join(reasons) or gettext("符合。")))
    limit = rules.get("max_concurrent")
    if limit:
        out.append(
            ChecklistRow(
                ngettext("负责人在研项目不超过 %(n)d 个", "负责人在研项目不超过 %(n)d 个", int(limit))
                % {"n": int(limit)},
                facts.in_flight < int(limit),
                gettext("负责人已有其他在研项目 %(m)d 个。") % {"m": facts.in_flight},
            )
        )
    for wanted in rules.get("attachments") or []:
        given = wanted in facts.attachments
        out.append(
            ChecklistRow(
                gettext("附件：%(file)s") % {"file": _file_name(facts, wanted)},
                given,
                gettext("已上传。") if given else gettext("未上传。"),
            )
        )
    return out


def meets_every_rule(checklist: Iterable[ChecklistRow]) -> bool:
    """Batch pass takes an application only when the code judged every rule met."""
    return all(row.ok is True for row in checklist)


# --- the 预申报 invitation ----------------------------------------------------------------------------------------


InvitationStatus = statuses.InvitationStatus

INVITATION = StateMachine(
    "invitation",
    InvitationStatus,
    [
        Transition(
            "invite",
            frozenset({InvitationStatus.PENDING}),
            InvitationStatus.INVITED,
            _STAFF,
            _("邀请正式申报"),
        ),
        Transition(
            "decline",
            frozenset({InvitationStatus.PENDING}),
            InvitationStatus.DECLINED,
            _STAFF,
            _("不予邀请"),
            needs_reason=True,
        ),
    ],
)


def invitation_stage(stages: list[dict]) -> dict | None:
    """The 预申报 stage whose pre-applications decide who is invited to the formal application: one where applicants
    submit a form. None: anyone may apply formally (a definition without one behaves as before)."""
    return next((s for s in stages if s.get("kind") == "pre_application" and takes_submissions(s)), None)


def invitation_refusals(stages: list[dict], stage: dict, status: str | None, reason: str = "") -> list[str]:
    """Why an applicant whose pre-application stands at `status` (None: they made none) cannot submit at
    `stage`: at a 正式申报 stage of a definition with a inviting 预申报, only an invited applicant
    submits. [] when they may."""
    pre = invitation_stage(stages)
    if pre is None or stage.get("kind") != "application" or status == InvitationStatus.INVITED:
        return []
    name = _name(pre)
    if status is None:
        return [
            gettext("本批次须先在“%(name)s”环节提交并获邀请，才能正式申报；您没有预申报。") % {"name": name}
        ]
    if status == InvitationStatus.DECLINED:
        why = gettext("您的预申报未获邀请正式申报，不能正式申报。")
        return [why + (gettext("理由：%(reason)s") % {"reason": reason} if reason else "")]
    return [gettext("您的预申报尚未遴选，获邀请后才能正式申报。")]


def invitation_close_refusals(stage: dict, titles_undecided: list[str]) -> list[str]:
    """Why a 预申报 stage cannot close: every pre-application must first be invited or declined."""
    if not titles_undecided:
        return []
    names = listed(titles_undecided, limit=5)
    return [
        gettext("“%(name)s”还有 %(n)d 份预申报未决定是否邀请正式申报：%(titles)s。")
        % {"name": _name(stage), "n": len(titles_undecided), "titles": names}
    ]


# --- the decision on each application (立项) ----------------------------------------------------------------------


AwardStatus = statuses.AwardStatus


AWARD_DECISION = StateMachine(
    "award_decision",
    AwardStatus,
    [
        Transition("award", frozenset({AwardStatus.PENDING}), AwardStatus.AWARDED, _STAFF, _("予以立项")),
        Transition(
            "reject",
            frozenset({AwardStatus.PENDING}),
            AwardStatus.REJECTED,
            _STAFF,
            _("不予立项"),
            needs_reason=True,
        ),
    ],
)


def award_close_refusals(titles_undecided: list[str]) -> list[str]:
    """Why the call's decision cannot be made yet: every application that went through the checks must
    first be awarded or rejected."""
    if not titles_undecided:
        return []
    names = listed(titles_undecided, limit=5)
    return [
        gettext("还有 %(n)d 份申报未作立项决定：%(titles)s。") % {"n": len(titles_undecided), "titles": names}
    ]


# --- the 函评 → 答辩 shortlist ------------------------------------------------------------------------------------------


ShortlistStatus = statuses.ShortlistStatus

SHORTLIST = StateMachine(
    "shortlist",
    ShortlistStatus,
    [
        Transition(
            "shortlist", frozenset({ShortlistStatus.PENDING}), ShortlistStatus.SHORTLISTED, _STAFF, _("入围")
        ),
        Transition(
            "exclude",
            frozenset({ShortlistStatus.PENDING}),
            ShortlistStatus.NOT_SHORTLISTED,
            _STAFF,
            _("不入围"),
            needs_reason=True,
        ),
    ],
)


def shortlist_stage_keys(stages: list[dict]) -> list[str]:
    """The review stages that review only a shortlist: each 会评/答辩 with a 函评 before it. Its applications
    are chosen from the ranking of the review before it (入围 / 未入围 with a reason), and only those chosen are
    reviewed there and may be awarded after it."""
    out: list[str] = []
    letter = False
    for s in stages:
        if s.get("kind") == "letter_review":
            letter = True
        elif s.get("kind") == "panel_review" and letter:
            out.append(s["key"])
    return out


def shortlist_close_refusals(stage: dict, titles_undecided: list[str]) -> list[str]:
    """Why a shortlisting stage can neither open its review nor close: every application it chooses from
    must first be shortlisted or not."""
    if not titles_undecided:
        return []
    names = listed(titles_undecided, limit=5)
    return [
        gettext("“%(name)s”还有 %(n)d 份申报未确定是否入围：%(titles)s。")
        % {"name": _name(stage), "n": len(titles_undecided), "titles": names}
    ]


def suggest_shortlist(rows: Iterable[tuple], *, top_n: int | None = None, min_mean=None) -> set:
    """A suggested cut of a ranking: `rows` are (id, rank, mean); the ids ranked within the first `top_n`
    and/or with a mean of at least `min_mean` (both given: both hold). Unranked rows are never suggested;
    no criterion suggests nothing. A person confirms the shortlist; this only proposes it."""
    if top_n is None and min_mean is None:
        return set()
    out = set()
    for ident, rank, mean in rows:
        if rank is None or mean is None:
            continue
        if top_n is not None and rank > top_n:
            continue
        if min_mean is not None and mean < min_mean:
            continue
        out.add(ident)
    return out


# --- publicity with objections (公示、异议) -------------------------------------------------------------------------


ObjectionStatus = statuses.ObjectionStatus

# Who may object (every platform role but staff: they answer) and so withdraw their own objection while open.
_OBJECTORS = frozenset(r.value for r in Role if r != Role.STAFF)


def _g_own_objection(obj, ctx):
    """Only the objector withdraws an objection."""
    if obj is not None and getattr(ctx.get("actor"), "pk", None) != obj.lodged_by_id:
        return gettext("只有提出异议的本人可以撤回。")
    return None


# An objection is answered once, by staff, with a reason: upheld (the application is then not awarded: its
# decision goes to 不予立项 through AWARD_DECISION) or dismissed. The machine's name is not challenges'
# "objection" (core.workflow.MACHINES is keyed by name; audit actions are "<machine>.<transition>").
OBJECTION = StateMachine(
    "call_objection",
    ObjectionStatus,
    [
        Transition(
            "uphold",
            frozenset({ObjectionStatus.OPEN}),
            ObjectionStatus.UPHELD,
            _STAFF,
            _("异议成立"),
            needs_reason=True,
        ),
        Transition(
            "dismiss",
            frozenset({ObjectionStatus.OPEN}),
            ObjectionStatus.DISMISSED,
            _STAFF,
            _("异议不成立"),
            needs_reason=True,
        ),
        Transition(
            "withdraw",
            frozenset({ObjectionStatus.OPEN}),
            ObjectionStatus.WITHDRAWN,
            _OBJECTORS,
            _("撤回异议"),
            guards=(_g_own_objection,),
        ),
    ],
)
OBJECTION_ACTIONS = ("uphold", "dismiss")  # staff's answers; "withdraw" is the objector's


def upheld_reason(answer: str) -> str:
    """The reason the decision records when an objection against the application is upheld."""
    return gettext("公示异议成立：%(answer)s") % {"answer": answer.strip()}


def publicity_close_refusals(
    stage: dict,
    open_titles: list[str],
    *,
    closes_on: datetime.date | None,
    today: datetime.date | None,
    early: bool = False,
) -> list[str]:
    """Why a publicity stage cannot close, in words: an objection still open (never closes over one), or
    the publicity period not over (closes before its last day has passed only when staff confirm `early`).
    [] when it may close."""
    out = []
    if open_titles:
        names = listed(open_titles, limit=5)
        out.append(
            ngettext(
                "“%(name)s”还有 %(n)d 条异议未处理（%(titles)s），处理完毕前不能结束公示。",
                "“%(name)s”还有 %(n)d 条异议未处理（%(titles)s），处理完毕前不能结束公示。",
                len(open_titles),
            )
            % {"name": _name(stage), "n": len(open_titles), "titles": names}
        )
    if closes_on is not None and today is not None and today <= closes_on and not early:
        out.append(
            gettext("公示期至%(date)s，尚未期满；如需提前结束，请勾选确认提前结束公示。")
            % {"date": date_words(closes_on)}
        )
    return out


# --- a call's progression -----------------------------------------------------------------------------------


@dataclass
class Run:
    """Where a call stands in its definition: the current stage and the checks done so far. `advance` closes
    the current stage (its checks done) and opens the next; `award` is only possible at a decision stage
    whose needs are met. A run never skips a stage."""

    stages: list[dict]
    index: int = 0
    done: set[str] = field(default_factory=set)
    awarded: bool = False
    finished: bool = False
    admitted: list = field(default_factory=list)  # (stage index, Facts) of each submission let in
    # The review stages (keys) whose expert reviews are complete: every assignment scored or released. The
    # review app says so (programmes/reviews.py); a review stage closes only when it is here.
    reviewed: set[str] = field(default_factory=set)
    waiting: list = field(default_factory=list)  # why the current review or formal stage cannot close
    # The formal check stages (keys) whose every formal application is passed or failed; the services say
    # so from the stored outcomes (`formal_close_refusals`), the pure model from `formal` below.
    checked: set[str] = field(default_factory=set)
    # The pure model's outcomes at the formal check: {index in `admitted`: FormalStatus} of the applications
    # admitted at a 正式申报 stage (no entry: pending).
    formal: dict = field(default_factory=dict)
    # The pure model's decisions: {index in `admitted`: AwardStatus} of the applications decided at the
    # decision stage (no entry: pending).
    decisions: dict = field(default_factory=dict)
    # The pure model's shortlists: {stage key: {index in `admitted`: ShortlistStatus}} at each 会评/答辩 that
    # follows a 函评 (`shortlist_stage_keys`; no entry: pending).
    shortlists: dict = field(default_factory=dict)
    # The applications each review stage reviewed ({stage key: [indices]}), recorded when it completes.
    reviewed_apps: dict = field(default_factory=dict)
    # The pure model's objections at the publicity stage: [application index, ObjectionStatus] each. An
    # upheld one sets the application's decision to rejected (AWARD_DECISION's own `reject`).
    objections: list = field(default_factory=list)
    # The pure model's 预申报 invitation: {applicant: InvitationStatus} of those who pre-applied and were
    # decided (no entry: pending); and the 预申报 stages (keys) closed with every pre-application decided.
    invitation: dict = field(default_factory=dict)
    invitations_closed: set[str] = field(default_factory=set)

    @classmethod
    def start(cls, stages: list[dict]) -> Run:
        check(stages)
        return cls(stages=list(stages))

    @property
    def current(self) -> dict | None:
        return None if self.finished else self.stages[self.index]

    def award_refusals(self) -> list[str]:
        stage = self.current
        if stage is None or stage.get("kind") != "decision":
            return [gettext("当前环节不是“立项决定”。")]
        missing = award_needs(stage) - self.done
        if missing:
            return [
                gettext("立项前须完成：%(checks)s。")
                % {"checks": listed(str(CHECK_LABELS[c]) for c in sorted(missing))}
            ]
        return award_close_refusals(
            [
                gettext("第 %(n)d 份申报") % {"n": n + 1}
                for n in self.award_candidates()
                if self.decisions.get(n, AwardStatus.PENDING) == AwardStatus.PENDING
            ]
        )

    def decide_refusals(self, n: int) -> list[str]:
        """Why application `n` cannot be decided now: only at a decision stage whose checks are done, not
        yet awarded, and only an application that went through every check before it."""
        stage = self.current
        if stage is None or stage.get("kind") != "decision":
            return [gettext("当前环节不是“立项决定”。")]
        if self.awarded:
            return [gettext("本批次已作出立项决定。")]
        missing = award_needs(stage) - self.done
        if missing:
            return [
                gettext("立项前须完成：%(checks)s。")
                % {"checks": listed(str(CHECK_LABELS[c]) for c in sorted(missing))}
            ]
        if n not in self.award_candidates():
            return [gettext("该申报未通过此前各环节，不能立项。")]
        if any(m == n and st == ObjectionStatus.OPEN for m, st in self.objections):
            return [gettext("该申报尚有未处理的公示异议，不能作出立项决定。")]
        return []

    def decide(self, n: int, action: str, **ctx) -> str:
        """A decision (`AWARD_DECISION`: award, or reject with a reason) on application `n`."""
        refusals = self.decide_refusals(n)
        if not refusals:
            current = self.decisions.get(n, AwardStatus.PENDING)
            refusals = AWARD_DECISION.reasons_refused(current, action, _STAFF, ctx={"reason": "", **ctx})
        if refusals:
            raise DefinitionError(refusals)
        target = AWARD_DECISION.get(action).target
        self.decisions[n] = target
        return target

    def award(self) -> None:
        refusals = self.award_refusals()
        if refusals:
            raise DefinitionError(refusals)
        self.awarded = True

    def publicised(self) -> list[int]:
        """The applications on the publicity list: those through every check and shortlist before it."""
        return self.candidates(self.index)

    def lodge(self, n: int) -> int:
        """An objection against application `n`, only while the call stands at its publicity stage and only
        against a listed application not already refused; returns the objection's index."""
        stage = self.current
        if stage is None or stage.get("kind") != "publicity":
            raise DefinitionError([gettext("当前不在公示期，不能提出异议。")])
        if n not in self.publicised():
            raise DefinitionError([gettext("该申报不在公示名单中。")])
        if self.decisions.get(n) == AwardStatus.REJECTED:
            raise DefinitionError([gettext("该申报已因异议成立不予立项。")])
        self.objections.append([n, ObjectionStatus.OPEN])
        return len(self.objections) - 1

    def answer(self, i: int, action: str, **ctx) -> str:
        """Staff answer objection `i` at the publicity stage (`OBJECTION`: uphold or dismiss, with a reason).
        Upheld: the application's decision becomes 不予立项 through `AWARD_DECISION`."""
        stage = self.current
        if stage is None or stage.get("kind") != "publicity":
            raise DefinitionError([gettext("当前不在公示期，不能处理异议。")])
        if not 0 <= i < len(self.objections):
            raise DefinitionError([gettext("该异议不存在。")])
        n, current = self.objections[i]
        ctx = {"reason": "", **ctx}
        refusals = OBJECTION.reasons_refused(current, action, _STAFF, ctx=ctx)
        decision = self.decisions.get(n, AwardStatus.PENDING)
        if not refusals and action == "uphold" and decision == AwardStatus.PENDING:
            refusals = AWARD_DECISION.reasons_refused(
                decision, "reject", _STAFF, ctx={"reason": upheld_reason(ctx["reason"])}
            )
        if refusals:
            raise DefinitionError(refusals)
        target = OBJECTION.get(action).target
        self.objections[i] = [n, target]
        if action == "uphold" and decision == AwardStatus.PENDING:
            self.decisions[n] = AwardStatus.REJECTED
        return target

    def open_objections(self) -> list[int]:
        return [n for n, st in self.objections if st == ObjectionStatus.OPEN]

    def submit_refusals(self, facts: Facts) -> list[str]:
        stage = self.current
        if stage is None or not takes_submissions(stage):
            return [gettext("当前环节不收申报材料。")]
        status = self.invitation.get(facts.applicant, InvitationStatus.PENDING)
        if facts.applicant not in self.pre_applicants():
            status = None
        return invitation_refusals(self.stages, stage, status) + rule_refusals(stage, facts)

    def submit(self, facts: Facts) -> None:
        """A submission at the current stage: admitted only when the stage's deadline and rules let it in."""
        refusals = self.submit_refusals(facts)
        if refusals:
            raise DefinitionError(refusals)
        self.admitted.append((self.index, facts))
        pre = invitation_stage(self.stages)
        if pre is not None and self.current["key"] == pre["key"]:
            # a pre-application after every earlier one was decided opens the decisions again: the services
            # judge the stored outcomes when the call advances, so a late one is never left undecided
            self.invitations_closed.discard(pre["key"])

    def complete_review(self) -> None:
        """The current review stage's expert reviews are complete (every assignment scored or released)."""
        stage = self.current
        if stage is None or stage.get("kind") not in REVIEW_KINDS:
            raise DefinitionError([gettext("当前环节不是专家评审环节。")])
        undecided = self.shortlist_undecided()
        if undecided:
            self.waiting = undecided
            raise DefinitionError(undecided)
        self.reviewed.add(stage["key"])
        self.reviewed_apps[stage["key"]] = self.candidates(self.index + 1)
        self.waiting = []

    def formal_applications(self) -> list[int]:
        """The indices (in `admitted`) of the applications made at a 正式申报 stage (with a inviting
        预申报, only by invited applicants: the others are refused at submission already)."""
        invitations = invitation_stage(self.stages) is not None
        return [
            n
            for n, (i, f) in enumerate(self.admitted)
            if self.stages[i].get("kind") == "application"
            and (not invitations or self.invitation.get(f.applicant) == InvitationStatus.INVITED)
        ]

    def pre_applicants(self) -> list:
        """Who pre-applied at the inviting 预申报 stage, in the order they first came in."""
        pre = invitation_stage(self.stages)
        out: list = []
        for i, f in self.admitted:
            if pre is not None and self.stages[i]["key"] == pre["key"] and f.applicant not in out:
                out.append(f.applicant)
        return out

    def invitation_decide(self, who, action: str, **ctx) -> str:
        """An invitation decision (`INVITATION`: invite, or decline with a reason) on `who`'s pre-application,
        only while the call stands at its inviting 预申报 stage."""
        stage = self.current
        pre = invitation_stage(self.stages)
        if stage is None or pre is None or stage["key"] != pre["key"]:
            raise DefinitionError([gettext("当前环节不是“预申报”。")])
        if who not in self.pre_applicants():
            raise DefinitionError([gettext("该申报方没有预申报。")])
        current = self.invitation.get(who, InvitationStatus.PENDING)
        refusals = INVITATION.reasons_refused(current, action, _STAFF, ctx={"reason": "", **ctx})
        if refusals:
            raise DefinitionError(refusals)
        self.invitation[who] = INVITATION.get(action).target
        return self.invitation[who]

    def complete_invitation(self) -> None:
        """The current 预申报 stage is complete: every pre-application invited or declined."""
        stage = self.current
        pre = invitation_stage(self.stages)
        if stage is None or pre is None or stage["key"] != pre["key"]:
            raise DefinitionError([gettext("当前环节不是“预申报”。")])
        refusals = invitation_close_refusals(
            stage,
            [
                gettext("第 %(n)d 位预申报方") % {"n": n + 1}
                for n, who in enumerate(self.pre_applicants())
                if self.invitation.get(who, InvitationStatus.PENDING) == InvitationStatus.PENDING
            ],
        )
        if refusals:
            self.waiting = refusals
            raise DefinitionError(refusals)
        self.invitations_closed.add(stage["key"])
        self.waiting = []

    def passed_applications(self) -> list[int]:
        """The formal applications that go on to the expert review and the award: with a formal check
        among the stages, only those it passed."""
        apps = self.formal_applications()
        if not any(s.get("kind") == "formal_check" for s in self.stages):
            return apps
        return [n for n in apps if self.formal.get(n) == FormalStatus.PASSED]

    def candidates(self, index: int) -> list[int]:
        """The applications still in the running after the stages before `index`: those that passed the
        formal check and were shortlisted at every shortlisting stage among them."""
        keys = set(shortlist_stage_keys(self.stages[:index]))
        return [
            n
            for n in self.passed_applications()
            if all(self.shortlists.get(k, {}).get(n) == ShortlistStatus.SHORTLISTED for k in keys)
        ]

    def award_candidates(self) -> list[int]:
        """What a decision stage decides: the applications through every check and shortlist before it."""
        return self.candidates(self.index)

    def shortlist_undecided(self) -> list[str]:
        """At a shortlisting stage, why it cannot review or close: an application it chooses from is not yet
        shortlisted or excluded."""
        stage = self.current
        if stage is None or stage["key"] not in shortlist_stage_keys(self.stages):
            return []
        mine = self.shortlists.get(stage["key"], {})
        return shortlist_close_refusals(
            stage,
            [
                gettext("第 %(n)d 份申报") % {"n": n + 1}
                for n in self.candidates(self.index)
                if mine.get(n, ShortlistStatus.PENDING) == ShortlistStatus.PENDING
            ],
        )

    def shortlist(self, n: int, action: str, **ctx) -> str:
        """A shortlist decision (`SHORTLIST`: shortlist, or exclude with a reason) on application `n`, only at
        a shortlisting stage before its review completes, and only on an application still in the running."""
        stage = self.current
        if stage is None or stage["key"] not in shortlist_stage_keys(self.stages):
            raise DefinitionError([gettext("当前环节不需要确定入围名单。")])
        if stage["key"] in self.reviewed:
            raise DefinitionError([gettext("“%(name)s”的专家评审已完成。") % {"name": _name(stage)}])
        if n not in self.candidates(self.index):
            raise DefinitionError([gettext("该申报未通过此前各环节，不参加入围遴选。")])
        mine = self.shortlists.setdefault(stage["key"], {})
        current = mine.get(n, ShortlistStatus.PENDING)
        refusals = SHORTLIST.reasons_refused(current, action, _STAFF, ctx={"reason": "", **ctx})
        if refusals:
            raise DefinitionError(refusals)
        target = SHORTLIST.get(action).target
        mine[n] = target
        return target

    def check_application(self, n: int, action: str, **ctx) -> str:
        """A formal check action (`FORMAL_CHECK`: pass, return, fail as staff; resubmit as the applicant)
        on the formal application `n`, only while the call stands at its formal check stage."""
        stage = self.current
        if stage is None or stage.get("kind") != "formal_check":
            raise DefinitionError([gettext("当前环节不是“形式审查”。")])
        if n not in self.formal_applications():
            raise DefinitionError([gettext("该申报不是本批次的正式申报。")])
        t = FORMAL_CHECK.get(action)
        current = self.formal.get(n, FormalStatus.PENDING)
        refusals = FORMAL_CHECK.reasons_refused(
            current, action, t.roles, ctx={"from_state": current, "reason": "", **ctx}
        )
        if refusals:
            raise DefinitionError(refusals)
        self.formal[n] = t.target
        return t.target

    def complete_formal_check(self) -> None:
        """The current formal check stage is complete: every formal application passed or failed."""
        stage = self.current
        if stage is None or stage.get("kind") != "formal_check":
            raise DefinitionError([gettext("当前环节不是“形式审查”。")])
        rows = [
            (gettext("第 %(n)d 份申报") % {"n": n + 1}, self.formal.get(n, FormalStatus.PENDING), None)
            for n in self.formal_applications()
        ]
        refusals = formal_close_refusals(stage, rows)
        if refusals:
            self.waiting = refusals
            raise DefinitionError(refusals)
        self.checked.add(stage["key"])
        self.waiting = []

    def advance_refusals(self) -> list[str]:
        stage = self.current
        if stage is None:
            return [gettext("所有环节已完成。")]
        pre = invitation_stage(self.stages)
        if pre is not None and stage["key"] == pre["key"] and stage["key"] not in self.invitations_closed:
            return list(self.waiting) or [
                gettext("“%(name)s”尚未决定所有预申报是否邀请正式申报。") % {"name": _name(stage)}
            ]
        if stage.get("kind") == "formal_check" and stage["key"] not in self.checked:
            return list(self.waiting) or [gettext("“%(name)s”尚未审查完所有申报。") % {"name": _name(stage)}]
        if stage.get("kind") == "decision" and not self.awarded:
            return [gettext("须先作出立项决定。")]
        if stage.get("kind") in REVIEW_KINDS and stage["key"] not in self.reviewed:
            undecided = self.shortlist_undecided()
            if undecided:
                return undecided
            return list(self.waiting) or [gettext("“%(name)s”的专家评审尚未完成。") % {"name": _name(stage)}]
        if stage.get("kind") == "publicity":
            # the services put the stored objections and the period's end in `waiting`; the pure model
            # holds its own objections
            titles = [gettext("第 %(n)d 份申报") % {"n": n + 1} for n in self.open_objections()]
            return list(self.waiting) or publicity_close_refusals(stage, titles, closes_on=None, today=None)
        return []

    def advance(self) -> dict | None:
        refusals = self.advance_refusals()
        if refusals:
            raise DefinitionError(refusals)
        kind = STAGE_KINDS[self.current["kind"]]
        self.done |= kind.checks
        if self.index + 1 >= len(self.stages):
            self.finished = True
            return None
        self.index += 1
        return self.current


def run_at(stages: list[dict], key: str) -> Run:
    """The run of a call standing at stage `key`, every earlier stage done (a decision before it awarded)."""
    run = Run(stages=list(stages))
    for i, s in enumerate(stages):
        if s["key"] == key:
            return run
        if s.get("kind") == "decision":
            run.awarded = True
        if s.get("kind") in REVIEW_KINDS:
            run.reviewed.add(s["key"])
        if s.get("kind") == "formal_check":
            run.checked.add(s["key"])
        if s.get("kind") == "pre_application":
            run.invitations_closed.add(s["key"])
        run.done |= STAGE_KINDS[s["kind"]].checks
        run.index = i + 1
    raise DefinitionError([gettext("该环节不在此版本中。")])


# --- moving a call to another version -------------------------------------------------------------------------


def migration_problems(old: list[dict], new: list[dict], mapping: dict[str, str], current: str) -> list[str]:
    """Why a call standing at `current` of `old` cannot move to `new` with `mapping` (old stage key → new
    stage key); empty when it can. Refused: the new definition cannot run; the current stage is not
    mapped or mapped to a stage that is not in the new version; the done stages mapped out of order; and a
    new stage before the call's new place that no done stage maps to (it would be skipped)."""
    out = [gettext("新版本：%(p)s") % {"p": p} for p in problems(new)]
    if out:
        return out
    new_index = {s["key"]: i for i, s in enumerate(new)}
    old_keys = [s["key"] for s in old]
    if current not in old_keys:
        return [gettext("当前环节不在原版本中。")]
    target = mapping.get(current)
    if target not in new_index:
        return [
            gettext("须为当前环节“%(name)s”选择新版本中的对应环节。")
            % {"name": _name(old[old_keys.index(current)])}
        ]
    done = old[: old_keys.index(current)]
    covered: set[str] = set()
    last = -1
    for s in done:
        to = mapping.get(s["key"])
        if to is None:
            continue
        if to not in new_index:
            out.append(gettext("“%(name)s”对应的环节不在新版本中。") % {"name": _name(s)})
            continue
        if new_index[to] < last:
            out.append(gettext("“%(name)s”的对应环节顺序颠倒。") % {"name": _name(s)})
        last = max(last, new_index[to])
        covered.add(to)
    if last > new_index[target]:
        out.append(gettext("已完成的环节不能对应到当前环节之后。"))
    for s in new[: new_index[target]]:
        if s["key"] not in covered:
            out.append(gettext("将跳过新版本的“%(name)s”环节，不能迁移。") % {"name": _name(s)})
    return out


# --- differences between versions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    change: str  # "same", "changed", "added", "removed"
    left: dict | None
    right: dict | None
    attrs: tuple[str, ...] = ()  # the keys that differ


def diff(old: Iterable[dict], new: Iterable[dict], *, ignore: Iterable[str] = ("key",)) -> list[DiffRow]:
    """Two lists of keyed items (stages or form fields) side by side: matched by their stable key, in the
    new order, a removed item after the item that preceded it."""
    old, new = list(old), list(new)
    old_by = {o["key"]: o for o in old}
    new_keys = {n["key"] for n in new}
    skip = set(ignore)
    rows: list[DiffRow] = []
    for n in new:
        o = old_by.get(n["key"])
        if o is None:
            rows.append(DiffRow("added", None, n))
            continue
        attrs = tuple(sorted(k for k in set(o) | set(n) if k not in skip and o.get(k) != n.get(k)))
        rows.append(DiffRow("changed" if attrs else "same", o, n, attrs))
    for i, o in enumerate(old):
        if o["key"] in new_keys:
            continue
        prev = next((p["key"] for p in reversed(old[:i]) if p["key"] in new_keys), None)
        at = next((j + 1 for j, r in enumerate(rows) if r.right and r.right["key"] == prev), 0) if prev else 0
        while at < len(rows) and rows[at].change == "removed":
            at += 1
        rows.insert(at, DiffRow("removed", o, None))
    return rows
