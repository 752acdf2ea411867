"""揭榜挂帅 as one programme type defined as data (issue #18.1): the seeded definition
(`programmes/definitions/jiebang.json`), the version a challenge list pins, and the forms of that version
the challenges app renders.

The definition chooses and orders the stages and their forms; what must always hold stays in this app's
code (workflow.py's machines and guards, eligibility, conflict of interest, integrity, permissions, the
audit trail). A list runs the stages of its own version: the optional ones (`OPTIONAL_KINDS`: pre-application,
publicity with objections, mid-term check, racing down-select) are skipped when the version leaves them out; the
others (`REQUIRED_KINDS` and one expert review) every version keeps, and a version that drops one, or has a
kind the lists cannot run (`UNSUPPORTED_KINDS`), is not published (`definition_problems`, registered with
programmes' publish check). The application form's fields whose keys are this app's field names (`BUILTIN_KEYS`) are
asked by the code's own widgets; any other field of the pinned form version (a staff-added field) is asked
from its spec and stored on the application by key (`Application.extra`)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.attempts import form_errors_text
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import SYSTEM
from kechuang.programmes import definitions, fieldkinds, names, transfer, workflow
from kechuang.programmes.models import FormVersion, ProgrammeVersion, VersionStatus

PROGRAMME_NAME = "揭榜挂帅"
DEFINITION_FILE = "jiebang.json"
# 揭榜挂帅 with every optional stage a list can run (预申报, 函评 then 答辩, 绩效评价), as its own programme type
# so that a list may pin it (the demo's JB-<year>-009) while new lists keep pinning 揭榜挂帅's newest version.
SHOWCASE_NAME = "揭榜挂帅（预申报、答辩、绩效评价）"
SHOWCASE_FILE = "jiebang_full.json"
# The challenge lifecycle's stage kinds, in order (the test of this module walks them on workflow.py).
STAGE_KINDS = (
    "call",
    "application",
    "formal_check",
    "panel_review",
    "publicity",
    "decision",
    "contract",
    "mid_term",
    "racing",
    "acceptance",
)
# What a list does with each stage kind of its version. REQUIRED: every list runs it (the machines have no
# way round it; the formal check and the expert review are what an award rests on). OPTIONAL: the list's
# machine skips it when the version has none (pre_application: any unit applies formally at once; publicity:
# the award follows the decision, no objections are taken; mid_term: no mid-term check is recorded; racing:
# no down-select; performance: no performance evaluation after acceptance). UNSUPPORTED: lists cannot run it.
REQUIRED_KINDS = ("call", "application", "formal_check", "decision", "contract", "acceptance")
# At least one: the list's expert review (a review round or a panel convened by hand, with the conflict of
# interest checks of kechuang.review). A second review stage (答辩 after 函评) is the list's defence round
# over the shortlisted applications (services.defence_round_start); a third is refused.
REVIEW_KINDS = ("letter_review", "panel_review")
OPTIONAL_KINDS = ("pre_application", "publicity", "mid_term", "racing", "performance")
# Every stage kind programmes provides is run by the lists (绩效评价 since issue #18: PerformanceEvaluation).
UNSUPPORTED_KINDS: tuple[str, ...] = ()
WHY_REQUIRED = {
    "call": _("榜单须先发榜"),
    "application": _("揭榜方须提交揭榜申请"),
    "formal_check": _("立项前须经形式审查"),
    "decision": _("揭榜方由立项决定确定"),
    "contract": _("立项后须签订任务书"),
    "acceptance": _("项目须经验收结题"),
}


def definition_problems(stages: list[dict]) -> list[str]:
    """Why a version of 揭榜挂帅 with these stages cannot run a challenge list ([] when it can), in words:
    a stage every list runs is missing, there is no expert review, or a stage kind lists
    cannot run yet. (The order and the publicity a decision promises are programmes' own checks.)"""
    kinds = [s.get("kind") for s in stages]
    out: list[str] = []
    for kind in REQUIRED_KINDS:
        if kind not in kinds:
            out.append(
                gettext("揭榜挂帅的榜单不能没有“%(kind)s”环节：%(why)s。")
                % {"kind": workflow.kind_label(kind), "why": WHY_REQUIRED[kind]}
            )
    reviews = [k for k in kinds if k in REVIEW_KINDS]
    if not reviews:
        out.append(
            gettext(
                "揭榜挂帅的榜单须有一个专家评审环节（函评或会评/答辩）：立项前须经专家评审和利益冲突回避。"
            )
        )
    if len(reviews) > 2:
        out.append(
            gettext(
                "揭榜挂帅的榜单最多两轮专家评审（一轮评审和其后的一轮答辩）：第三轮评审的排名无处可用，"
                "立项决定只看评审和答辩两个排名。"
            )
        )
    for kind in UNSUPPORTED_KINDS:
        if kind in kinds:
            out.append(
                gettext("揭榜挂帅的榜单暂不能运行“%(kind)s”环节。") % {"kind": workflow.kind_label(kind)}
            )
    pre = next((s for s in stages if s.get("kind") == "pre_application"), None)
    if pre is not None and not isinstance(pre.get("form"), str):
        # (a definition file names its forms by reference, "form6": their content is checked when the
        # imported version is published, with the forms' ids)
        form = FormVersion.objects.filter(pk=pre.get("form")).first() if pre.get("form") else None
        if form is None:
            out.append(
                gettext("揭榜挂帅的“预申报”环节须选择一张预申报表：申报单位在此环节填写它，科技厅据此遴选。")
            )
        elif any(f.get("kind") == "file" for f in form.fields):
            out.append(
                gettext(
                    "揭榜挂帅的预申报表不能有附件栏目：预申报只收简表，附件请放在正式申报的揭榜申请书中。"
                )
            )
    return out


# The application form's fields the code asks with its own widgets (keys = the form's and the API's names).
BUILTIN_KEYS = frozenset(
    {
        "title",
        "plan",
        "keywords",
        "disciplines",
        "budget_requested",
        "budget_self",
        "avoid_names",
        "members",
        "milestones",
    }
)


# The project report forms (issue #18): by their form purpose, the fields the code asks itself (keys = the
# services' and the API's names). Any other field of the pinned version is asked from its spec and stored on
# the report by key (`extra`), with the report's `form_version`.
YEARLY_REPORT, MID_TERM, ACCEPTANCE = "yearly_report", "mid_term", "acceptance"
PERFORMANCE = "performance"
REPORT_BUILTIN_KEYS = {
    YEARLY_REPORT: frozenset({"report", "values"}),  # Milestone.report, MilestoneValue.reported
    MID_TERM: frozenset({"conclusion", "notes"}),  # MidtermCheck
    ACCEPTANCE: frozenset({"achieved", "verdict", "conditions", "panel", "opinion"}),  # Acceptance(+Item)
    PERFORMANCE: frozenset({"grade"}),  # PerformanceEvaluation (its answers: `values`, not `extra`)
}
# A file field of a report form is answered with a ReportFile of the project (private storage): the
# report's `extra[key]` is `{"name", "file"}` (services.report_field_file_set).


def runs_performance(challenge) -> bool:
    """The list's version has a performance evaluation stage (绩效评价): after acceptance each project's
    commissioner or staff fill its form and a grade. A list without a version has none (as before versions)."""
    return "performance" in challenge.stage_kinds


def current_version() -> ProgrammeVersion | None:
    """The newest published version of 揭榜挂帅 (None before it is seeded)."""
    return (
        ProgrammeVersion.objects.filter(programme__name=PROGRAMME_NAME, status=VersionStatus.PUBLISHED)
        .select_related("programme")
        .order_by("-number")
        .first()
    )


@transaction.atomic
def seed(*, actor=SYSTEM) -> ProgrammeVersion:
    """The newest published 揭榜挂帅 version; imported from its definition file (audited) when there is
    none yet. Run by the demo, by challenge_create and (for lists made before) by migration 0007."""
    version = current_version()
    if version is None:
        version = transfer.import_programme(actor=actor, raw=definitions.read(DEFINITION_FILE))
    return version


@transaction.atomic
def showcase_version(*, actor=SYSTEM) -> ProgrammeVersion:
    """The newest published version of the showcase type (SHOWCASE_NAME), imported from its definition file
    (audited) when there is none; checked at publish by the same `definition_problems` as 揭榜挂帅."""
    version = (
        ProgrammeVersion.objects.filter(programme__name=SHOWCASE_NAME, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if version is None:
        version = transfer.import_programme(actor=actor, raw=definitions.read(SHOWCASE_FILE))
    return version


def stage_form(version: ProgrammeVersion | None, kind: str) -> FormVersion | None:
    """The form version of the first stage of `kind` in `version` (None when it has none)."""
    if version is None:
        return None
    form_id = next((s.get("form") for s in version.stages if s.get("kind") == kind and s.get("form")), None)
    return FormVersion.objects.filter(pk=form_id).first() if form_id else None


def extra_fields(form_version: FormVersion | None) -> list[dict]:
    """The fields of an application form version that the code does not ask itself (staff-added). A file
    field among them is answered with an attachment of the application (`Application.extra[key]` is
    `{"name", "attachment"}`: the file name and the attachment's id; services.application_field_file_set)."""
    if form_version is None:
        return []
    return [f for f in form_version.fields if f.get("key") not in BUILTIN_KEYS]


def runs_pre_application(challenge) -> bool:
    """The list's version has a pre-application stage (预申报): units pre-apply, staff shortlist, and only
    invited units submit the formal application. A list without a version has none (as before versions)."""
    return "pre_application" in challenge.stage_kinds


def pre_application_stage(challenge) -> dict | None:
    version = challenge.programme_version
    if version is None:
        return None
    return next((s for s in version.stages if s.get("kind") == "pre_application"), None)


def pre_closes_on(challenge):
    """The last day of the list's pre-application stage: the stage's days from the day the list was
    published (None: no time limit of its own, it closes with the list's deadline; or not published)."""
    from django.utils import timezone

    stage = pre_application_stage(challenge)
    if stage is None or challenge.published_at is None:
        return None
    return workflow.closes_on(stage, timezone.localdate(challenge.published_at))


def pre_form(challenge) -> FormVersion | None:
    """The pre-application form version of the list's version (the stage's form, stored with each
    pre-application)."""
    return stage_form(challenge.programme_version, "pre_application")


def pre_application_rows(pre) -> list[dict]:
    """A pre-application's answers with the labels of its own form version (as text or a table)."""
    return _rows(pre.form_version.fields if pre.form_version else [], pre.values)


def report_form(version: ProgrammeVersion | None, purpose: str) -> FormVersion | None:
    """The form version of `purpose` (yearly_report, mid_term, acceptance) among the stages of `version`:
    the first stage whose form is of that purpose (None when none is). A project's reports use its list's
    version (Challenge.programme_version), so a project pins the forms of its list."""
    if version is None:
        return None
    ids = [s["form"] for s in version.stages if s.get("form")]
    forms = {f.pk: f for f in FormVersion.objects.filter(pk__in=ids, definition__purpose=purpose)}
    return next((forms[i] for i in ids if i in forms), None)


def project_form(contract, purpose: str) -> FormVersion | None:
    """The `purpose` report form of a project: that of its list's pinned 揭榜挂帅 version (one query when
    the contract's challenge and its programme_version are loaded)."""
    return report_form(contract.challenge.programme_version, purpose)


def report_extra_fields(form_version: FormVersion | None, purpose: str) -> list[dict]:
    """The staff-added fields of a report form version (not the code's own; file fields included)."""
    if form_version is None:
        return []
    builtin = REPORT_BUILTIN_KEYS[purpose]
    return [f for f in form_version.fields if f.get("key") not in builtin]


def report_file_keys(form_version: FormVersion | None, purpose: str) -> set[str]:
    """The keys of the staff-added file fields of a report form version."""
    return {f["key"] for f in report_extra_fields(form_version, purpose) if f.get("kind") == "file"}


def report_file_url(value: dict) -> str:
    """The download link of a report's stored file answer ({"name", "file"})."""
    return reverse("challenges:report-file-download", args=[value["file"]])


def report_extra_rows(form_version: FormVersion | None, purpose: str, values: dict) -> list[dict]:
    """A report's staff-added fields with their stored values, with the report's own version's labels; a
    file field's row has its download link (`url`)."""
    return _rows(
        report_extra_fields(form_version, purpose),
        values,
        file_url=lambda v: report_file_url(v) if v.get("file") else None,
    )


def clean_report_extra(form_version: FormVersion | None, purpose: str, values) -> dict:
    """The API's `extra` of a report checked as the web form checks it (required flags, limits, options,
    conditions): the JSON-safe values by key, or ApplicationError with every field's reason. File fields are
    uploaded on the web form, not through `extra`."""
    specs = [s for s in report_extra_fields(form_version, purpose) if s["kind"] != "file"]
    return _clean_extra(specs, values)


def clean_application_extra(form_version: FormVersion | None, values) -> dict:
    """The API's `extra` of an application checked as the web form checks it (required flags, limits,
    options, conditions) against the staff-added fields of its form version other than file fields (those
    are uploaded on the web form and kept as stored): the JSON-safe values by key, or ApplicationError with
    every field's reason."""
    specs = [s for s in extra_fields(form_version) if s["kind"] != "file"]
    return _clean_extra(specs, values)


def _clean_extra(specs: list[dict], values) -> dict:
    if values is not None and not isinstance(values, dict):
        values = {}
    form = fieldkinds.build_form(specs, data=dict(values or {}))
    if not form.is_valid():
        raise ApplicationError(
            gettext("其他填报内容有误：%(e)s") % {"e": form_errors_text(form)},
            code="invalid_extra",
            fields={k: list(v) for k, v in form.errors.items()},
        )
    return form.json_values()


def report_extra(form_version: FormVersion | None, purpose: str, values, *, stored=None) -> dict:
    """The values of the staff-added fields of a report form version, by key (others dropped). A file
    field's value is kept as `stored` had it: only services.report_field_file_set changes it."""
    files_ = report_file_keys(form_version, purpose)
    keys = {f["key"] for f in report_extra_fields(form_version, purpose)} - files_
    kept = {k: v for k, v in (stored or {}).items() if k in files_}
    return {k: v for k, v in (values or {}).items() if k in keys} | kept


def file_keys(form_version: FormVersion | None) -> set[str]:
    """The keys of the staff-added file fields of an application form version."""
    return {f["key"] for f in extra_fields(form_version) if f.get("kind") == "file"}


def field_attachments(application) -> dict[int, str]:
    """{attachment id: the label of the staff-added file field it answers} of an application (no query)."""
    labels = {f["key"]: names.local(f, "label") for f in extra_fields(application.form_version)}
    return {
        v["attachment"]: labels[k]
        for k, v in (application.extra or {}).items()
        if k in labels and isinstance(v, dict) and v.get("attachment")
    }


def extra_rows(form_version: FormVersion | None, values: dict, *, file_url=None) -> list[dict]:
    """The staff-added fields with their stored values, as text or a table, for the pages; a file field's
    row has `url` (file_url(stored value), e.g. the attachment's download link) when it has a file."""
    return _rows(extra_fields(form_version), values, file_url=file_url)


def _rows(specs: list[dict], values: dict, *, file_url=None) -> list[dict]:
    out = []
    for spec in specs:
        value = (values or {}).get(spec["key"])
        row = {
            "key": spec["key"],
            "label": names.local(spec, "label"),
            "text": fieldkinds.display(spec, value, with_unit=True),
        }
        kind = fieldkinds.KINDS.get(spec["kind"])
        if kind and kind.rows:
            row["headers"], row["rows"] = fieldkinds.display_rows(spec, value or [])
        if spec["kind"] == "file" and isinstance(value, dict) and file_url is not None:
            row["url"] = file_url(value)
        out.append(row)
    return out


# What a list's review criteria start from when there is no 揭榜挂帅 version yet (the seeded review form's).
DEFAULT_CRITERIA = (
    {"code": "tech", "name": "技术先进性", "name_en": "Technical advancement", "weight": Decimal("0.4")},
    {"code": "team", "name": "团队能力", "name_en": "Team capability", "weight": Decimal("0.3")},
    {"code": "plan", "name": "实施方案", "name_en": "Implementation plan", "weight": Decimal("0.3")},
)


def _dec(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def review_stages(version: ProgrammeVersion | None) -> list[dict]:
    """The expert review stages of `version` in order (函评, 会评/答辩): the first is the list's review round,
    a second one its 答辩 (defence) round over the shortlisted applications."""
    return [s for s in (version.stages if version else []) if s.get("kind") in REVIEW_KINDS]


def _form_of(stage: dict | None) -> FormVersion | None:
    return FormVersion.objects.filter(pk=stage["form"]).first() if stage and stage.get("form") else None


def review_form(version: ProgrammeVersion | None) -> FormVersion | None:
    """The review form version of `version`: the experts' scoring sheet of a list's review round
    (kechuang.review renders it, review/sheet.py). With one review stage, its form (as before); with a
    函评 and a 答辩 stage, the first one's (the 答辩 round has its own, `defence_form`)."""
    stages = review_stages(version)
    if len(stages) >= 2:
        return _form_of(stages[0])
    form = None
    for kind in ("panel_review", "letter_review"):
        form = form or stage_form(version, kind)
    return form


def defence_form(version: ProgrammeVersion | None) -> FormVersion | None:
    """The review form version of the 答辩 (second review) stage of `version` (None when it has none or no
    form: the round is then scored on the list's criteria alone)."""
    stages = review_stages(version)
    return _form_of(stages[1]) if len(stages) >= 2 else None


def scored_maxima(form: FormVersion | None) -> dict[str, int]:
    """The maximum of each scored number field of a review form version, by key (whole points)."""
    out = {}
    for f in form.fields if form else []:
        top = _dec(f.get("max")) if f.get("kind") == "number" else None
        if top is not None and top >= 1:
            out[f["key"]] = int(top.to_integral_value(rounding="ROUND_CEILING"))
    return out


def criteria_defaults(version: ProgrammeVersion | None) -> list[dict]:
    """A new list's review criteria from the review form of `version` (issue #18): each scored number field
    with a maximum is a criterion (its key the code, its label the name), weighted by its maximum's share.
    Staff still adjust a list's criteria on its form; the code checks that the weights sum to 1."""
    form = review_form(version)
    scored = [
        (f["key"], f.get("label", ""), f.get("label_en", ""), _dec(f.get("max")))
        for f in (form.fields if form else [])
        if f.get("kind") == "number" and _dec(f.get("max"))
    ]
    total = sum((m for _k, _l, _e, m in scored), Decimal(0))
    if not scored or total <= 0:
        return [dict(c) for c in DEFAULT_CRITERIA]
    rows = [
        {"code": k, "name": label, "weight": (m / total).quantize(Decimal("0.01"))}
        | ({"name_en": label_en} if label_en else {})
        for k, label, label_en, m in scored
    ]
    # the rounding remainder goes to the first criterion, so the weights still sum to 1
    rows[0]["weight"] += Decimal(1) - sum(r["weight"] for r in rows)
    return rows


# --- the list's stages on its pages -----------------------------------------------------------------------


def list_stages(challenge) -> list[dict]:
    """The stages the list runs, in order: its own version's (the seeded kinds for a list without one), less
    the racing down-select (赛马制择优) for a list of one winner — that stage runs only when several teams race
    (Challenge.has_downselect), so a single-winner list's timeline does not promise it."""
    version = challenge.programme_version
    stages = (
        list(version.stages)
        if version is not None
        else [
            {"key": f"s{i}", "kind": k, "name": workflow.kind_label(k), "days": 0}
            for i, k in enumerate(STAGE_KINDS, 1)
        ]
    )
    return stages if challenge.is_racing else [s for s in stages if s.get("kind") != "racing"]


def _current_kind(challenge, today) -> str | None:
    """The kind of stage the list stands at, read from its own fields (no query): a draft at its call, a
    published list at the application, a closed one at the formal check, the expert review (a review round
    made), the publicity (opened) or the decision (publicity over, or skipped with winners proposed), an
    awarded one at its contracts; None when finished or cancelled."""
    status = challenge.status
    if status == "draft":
        return "call"
    if status == "published":
        if "pre_application" in (challenge.stage_kinds or ()):
            closes = pre_closes_on(challenge)
            if closes is None or today <= closes:
                return "pre_application"
        return "application"
    if status == "closed":
        pub = getattr(challenge, "publicity", None)
        if pub is not None:
            return "decision" if pub.ends_on < today else "publicity"
        kinds = challenge.stage_kinds or STAGE_KINDS
        review = next((k for k in kinds if k in REVIEW_KINDS), "panel_review")
        return review if challenge.review_round_id else "formal_check"
    if status == "awarded":
        return "contract"
    return None


def schedule_rows(challenge, *, today=None) -> list[dict]:
    """The list's stages with their planned dates, for its page: the call closes when the list is
    published, the application at the list's deadline, and each later stage is planned from the deadline by
    the days its stage gives (`workflow.schedule`); the publicity's own dates once it is open. Each row:
    name, kind label, days, state (done / current / planned / "" when the list was cancelled) and the
    opening and closing dates in words."""
    from django.utils import timezone

    today = today or timezone.localdate()
    stages = list_stages(challenge)
    kinds = [s.get("kind") for s in stages]
    at = kinds.index("application") if "application" in kinds else 0
    opened = timezone.localdate(challenge.published_at) if challenge.published_at else None
    closes = timezone.localdate(challenge.deadline) if challenge.deadline else None
    dates = workflow.schedule(stages, at, opened, closes)
    if at and opened:
        dates[kinds.index("call") if "call" in kinds else at - 1] = (None, opened)
    if "pre_application" in kinds and opened:
        # the pre-application opens with the list, for its own days (or until the list's deadline)
        dates[kinds.index("pre_application")] = (opened, pre_closes_on(challenge) or closes)
    pub = getattr(challenge, "publicity", None)
    current = _current_kind(challenge, today)
    index = (
        kinds.index(current) if current in kinds else (len(stages) if challenge.status == "finished" else -1)
    )
    rows = []
    for i, (stage, (opens, ends)) in enumerate(zip(stages, dates, strict=True)):
        if stage.get("kind") == "publicity" and pub is not None:
            opens, ends = pub.starts_on, pub.ends_on
        rows.append(
            {
                "name": workflow.stage_name(stage),
                "kind_label": workflow.kind_label(stage.get("kind", "")),
                "days": int(stage.get("days") or 0),
                "state": "" if index < 0 else "done" if i < index else "current" if i == index else "planned",
                "opens_words": workflow.date_words(opens) if opens else "",
                "closes_words": workflow.date_words(ends) if ends else "",
            }
        )
    return rows


def publicity_days(challenge) -> int:
    """The publicity period the decision page proposes: the days of the list's publicity stage (at least
    the 5 days the code requires), 7 when its stage gives none."""
    days = next((int(s.get("days") or 0) for s in list_stages(challenge) if s.get("kind") == "publicity"), 0)
    return max(days, 5) if days else 7
