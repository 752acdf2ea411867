"""Reads of programmes as data, and the answers programmes gives to its own stage rules."""

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.roles import Role

from . import fieldkinds, reviews, rules, workflow
from .models import (
    AwardDecision,
    Call,
    CallStatus,
    FormalCheck,
    FormDefinition,
    FormVersion,
    ProgrammeType,
    ProgrammeVersion,
    Submission,
)


def form_list():
    return FormDefinition.objects.annotate(n_versions=Count("versions", distinct=True)).order_by("name", "pk")


def programme_list():
    return ProgrammeType.objects.annotate(n_versions=Count("versions", distinct=True)).order_by("name")


def form_versions(definition):
    return definition.versions.annotate(n_submissions=Count("submissions")).order_by("-number")


def programme_detail(pk):
    return ProgrammeType.objects.prefetch_related(
        Prefetch(
            "versions", queryset=ProgrammeVersion.objects.annotate(n_calls=Count("calls")).order_by("-number")
        )
    ).get(pk=pk)


def previous(version):
    model = type(version)
    parent = (
        {"definition_id": version.definition_id}
        if model is FormVersion
        else {"programme_id": version.programme_id}
    )
    return model.objects.filter(number__lt=version.number, **parent).order_by("-number").first()


def stage_rows(stages: list[dict]) -> list[dict]:
    """Stages as people read them: kind, form and rules named."""
    forms = {
        f.pk: f
        for f in FormVersion.objects.filter(
            pk__in=[s.get("form") for s in stages if s.get("form")]
        ).select_related("definition")
    }
    from kechuang.core.roles import Role

    roles = dict(Role.choices)
    out = []
    for s in stages:
        rules = s.get("rules") or {}
        out.append(
            {
                **s,
                "kind_label": workflow.kind_label(s.get("kind", "")),
                "role_label": roles.get(s.get("role"), ""),
                "form_obj": forms.get(s.get("form")),
                "unit_kind_labels": [
                    str(unit_kind_labels().get(k, k)) for k in rules.get("unit_kinds") or []
                ],
                "eligibility_labels": [
                    str(workflow.ELIGIBILITY.get(e, e)) for e in rules.get("eligibility") or []
                ],
                "max_concurrent": rules.get("max_concurrent"),
                "attachments": rules.get("attachments") or [],
                "requires_publicity": workflow.requires_publicity(s) if s.get("kind") == "decision" else None,
            }
        )
    return out


def field_rows(fields: list[dict]) -> list[dict]:
    labels = {f["key"]: f.get("label", "") for f in fields}
    return [
        {
            **f,
            "kind_label": fieldkinds.kind_label(f.get("kind", "")),
            "condition": (
                {"field": labels.get(f["show_if"]["field"], ""), "equals": f["show_if"].get("equals")}
                if f.get("show_if")
                else None
            ),
        }
        for f in fields
    ]


def submissions_of(definition):
    return (
        Submission.objects.filter(version__definition=definition)
        .select_related("version", "submitted_by", "call")
        .order_by("-created_at", "-pk")
    )


def submission_rows(submission) -> list[dict]:
    """A submission shown with its own version's fields, for ever."""
    out = []
    for spec in submission.version.fields:
        value = submission.data.get(spec["key"])
        row = {"label": spec.get("label", ""), "kind": spec["kind"], "text": fieldkinds.display(spec, value)}
        if fieldkinds.KINDS.get(spec["kind"]) and fieldkinds.KINDS[spec["kind"]].rows:
            row["headers"], row["rows"] = fieldkinds.display_rows(spec, value or [])
        if spec["kind"] == "file" and isinstance(value, dict):
            row["file_id"] = value.get("file")
        out.append(row)
    return out


def calls_of(programme):
    return (
        Call.objects.filter(version__programme=programme).select_related("version").order_by("-year", "title")
    )


# --- stage rules (rules.answers asks these for programmes' own eligibility rules) --------------------------------


def unit_kind_labels() -> dict:
    from kechuang.accounts.models import Unit

    return dict(Unit.Kind.choices)


def unit_verified_reasons(*, user, unit, call) -> list[str]:
    if unit is None:
        return [_("您尚未隶属任何单位，不能申报。")]
    if not unit.is_verified:
        return [_("申报单位“%(unit)s”的信息尚未经管理部门核实。") % {"unit": unit.name}]
    return []


def overdue_reasons(*, user, unit, call) -> list[str]:
    """The unit's awarded calls still running whose current stage closed before today (one query)."""
    if unit is None:
        return []
    late = (
        Call.objects.filter(
            status=CallStatus.RUNNING,
            awarded=True,
            stage_closes_on__lt=timezone.localdate(),
            submissions__submitted_by__unit=unit,
        )
        .exclude(pk=call.pk)
        .distinct()
        .order_by("stage_closes_on", "pk")
    )
    return [
        _("本单位的“%(call)s”逾期未完成“%(stage)s”（应于%(date)s前完成）。")
        % {
            "call": c.title,
            "stage": (c.stage or {}).get("name", ""),
            "date": workflow.date_words(c.stage_closes_on),
        }
        for c in late.select_related("version")
    ]


def projects_in_flight(user, *, call) -> int:
    """The other running calls in which this person has submitted (each is a project they lead), and the
    projects the apps above count for them (`rules.register_in_flight`: challenges' running contracts)."""
    own = (
        Call.objects.filter(status=CallStatus.RUNNING, submissions__submitted_by=user)
        .exclude(pk=call.pk)
        .distinct()
        .count()
    )
    return own + rules.in_flight_elsewhere(user=user, call=call)


def call_schedule(call) -> list[dict]:
    """The call's stages (as `stage_rows`) with their dates: done, current (its deadline) or planned."""
    stages = stage_rows(call.version.stages)
    keys = [s["key"] for s in stages]
    index = (
        keys.index(call.stage_key)
        if call.status == CallStatus.RUNNING and call.stage_key in keys
        else len(keys)
    )
    dates = workflow.schedule(call.version.stages, index, call.stage_opened_on, call.stage_closes_on)
    for i, (row, (opens, closes)) in enumerate(zip(stages, dates, strict=True)):
        row["state"] = "done" if i < index else "current" if i == index else "planned"
        row["opens_words"] = workflow.date_words(opens) if opens else ""
        row["closes_words"] = workflow.date_words(closes) if closes else ""
    return stages


# --- the formal check (形式审查) -------------------------------------------------------------------------------------


def call_applications(call) -> list[Submission]:
    """The call's formal applications: each applicant's latest submission at a 正式申报 stage (a correction
    after 补正 is a new submission and replaces the one before), in the order they first came in."""
    keys = [s["key"] for s in call.version.stages if s.get("kind") == "application"]
    latest: dict[int, Submission] = {}
    first: dict[int, tuple] = {}
    rows = (
        Submission.objects.filter(call=call, stage_key__in=keys)
        .select_related("version__definition", "submitted_by__unit")
        .order_by("created_at", "pk")
    )
    for sub in rows:
        latest[sub.submitted_by_id] = sub
        first.setdefault(sub.submitted_by_id, (sub.created_at, sub.pk))
    return sorted(latest.values(), key=lambda s: first[s.submitted_by_id])


def formal_stage(call) -> dict | None:
    """The call's formal check stage (at most one per definition), or None."""
    return next((s for s in call.version.stages if s.get("kind") == "formal_check"), None)


def formal_checks(call, stage_key: str) -> dict[int, FormalCheck]:
    """{applicant id: the formal check row} at the stage (an applicant without a row is unchecked)."""
    return {
        c.applicant_id: c
        for c in FormalCheck.objects.filter(call=call, stage_key=stage_key).select_related("checked_by")
    }


def passed_applications(call) -> list[Submission]:
    """What goes on to the expert review: the formal applications, and with a formal check stage in the
    call's definition only those it passed."""
    apps = call_applications(call)
    stage = formal_stage(call)
    if stage is None:
        return apps
    passed = {
        a
        for a, status in FormalCheck.objects.filter(call=call, stage_key=stage["key"]).values_list(
            "applicant_id", "status"
        )
        if status == workflow.FormalStatus.PASSED
    }
    return [s for s in apps if s.submitted_by_id in passed]


def stored_facts(call, submission) -> workflow.Facts:
    """The facts a stored formal application's stage rules are judged on now (for the checklist): its
    applicant's unit and its kind, the eligibility answers as they stand today, the applicant's projects
    in flight elsewhere, the attachments it carries."""
    stage = next((s for s in call.version.stages if s["key"] == submission.stage_key), {})
    stage_rules = stage.get("rules") or {}
    user = submission.submitted_by
    unit = user.unit
    files = {
        spec.get("label")
        for spec in submission.version.fields
        if spec.get("kind") == "file" and isinstance(submission.data.get(spec["key"]), dict)
    }
    return workflow.Facts(
        unit_kind=unit.kind if unit is not None else "",
        unit_kind_labels=unit_kind_labels() if stage_rules.get("unit_kinds") else {},
        eligibility=rules.answers(stage_rules.get("eligibility") or [], user=user, unit=unit, call=call),
        in_flight=projects_in_flight(user, call=call) if stage_rules.get("max_concurrent") else 0,
        attachments=frozenset(files),
    )


def formal_checklist(call, submission) -> list[workflow.ChecklistRow]:
    """The rules of the stage the application was made at, judged now, for the checker."""
    stage = next((s for s in call.version.stages if s["key"] == submission.stage_key), {})
    return workflow.formal_checklist(stage, stored_facts(call, submission))


def formal_rows(call, stage: dict, *, checklists: bool = True) -> list[dict]:
    """The formal check page: each formal application with its outcome (unchecked when no row), its
    checklist and whether it meets every rule (batch pass takes those)."""
    checks = formal_checks(call, stage["key"])
    out = []
    for sub in call_applications(call):
        check = checks.get(sub.submitted_by_id)
        status = check.status if check else workflow.FormalStatus.PENDING
        row = {
            "submission": sub,
            "check": check,
            "status": status,
            "status_label": workflow.FormalStatus(status).label,
            # a row back at pending: the applicant corrected it after 补正
            "corrected": bool(check and status == workflow.FormalStatus.PENDING),
        }
        if checklists:
            row["checklist"] = formal_checklist(call, sub)
            row["meets_all"] = workflow.meets_every_rule(row["checklist"])
        out.append(row)
    return out


def formal_close_refusals(call, stage: dict) -> list[str]:
    """Why the call's formal check stage cannot close (every application must be passed or failed)."""
    return workflow.formal_close_refusals(
        stage,
        [
            (r["submission"].title, r["status"], r["check"].correct_by if r["check"] else None)
            for r in formal_rows(call, stage, checklists=False)
        ],
    )


def applicant_formal(call, user) -> dict | None:
    """What the applicant sees of their formal application's check: the outcome, the reason, the
    correction deadline, and whether they can correct now (else why not, in words). None when the call
    has no formal check stage or they made no formal application."""
    stage = formal_stage(call)
    if stage is None or not getattr(user, "pk", None):
        return None
    mine = [s for s in call_applications(call) if s.submitted_by_id == user.pk]
    if not mine:
        return None
    keys = [s["key"] for s in call.version.stages]
    at = keys.index(call.stage_key) if call.stage_key in keys else len(keys)
    reached = call.status != CallStatus.RUNNING or at >= keys.index(stage["key"])
    check = FormalCheck.objects.filter(call=call, stage_key=stage["key"], applicant=user).first()
    status = check.status if check else workflow.FormalStatus.PENDING
    why = ""
    can_correct = False
    if status == workflow.FormalStatus.RETURNED:
        if call.status != CallStatus.RUNNING or call.stage_key != stage["key"]:
            why = _("形式审查环节已结束，不能再补正。")
        else:
            lapsed = workflow.FORMAL_CHECK.reasons_refused(
                status,
                "resubmit",
                [Role.APPLICANT],
                ctx={"correct_by": check.correct_by, "today": timezone.localdate()},
            )
            why = " ".join(lapsed)
            can_correct = not lapsed
    elif status == workflow.FormalStatus.PENDING:
        why = (
            _("申报材料正在形式审查，审查期间不能修改。")
            if reached
            else _("申报材料已提交，待“%(name)s”环节审查。") % {"name": stage.get("name", "")}
        )
    elif status == workflow.FormalStatus.PASSED:
        why = _("已通过形式审查，材料不能再修改。")
    else:
        why = _("未通过形式审查，不能再修改。")
    return {
        "stage": stage,
        "submission": mine[0],
        "check": check,
        "status": status,
        "status_label": workflow.FormalStatus(status).label,
        "reached": reached,
        "can_correct": can_correct,
        "why": why,
        "correct_by_words": workflow.date_words(check.correct_by) if check and check.correct_by else "",
    }


# --- the decision on each application (立项) ---------------------------------------------------------------------------


def decision_stage(call) -> dict | None:
    """The call's first decision stage (立项决定), or None."""
    return next((s for s in call.version.stages if s.get("kind") == "decision"), None)


def award_decisions(call, stage_key: str) -> dict[int, AwardDecision]:
    """{applicant id: the decision row} at the stage (an applicant without a row is undecided)."""
    return {
        d.applicant_id: d
        for d in AwardDecision.objects.filter(call=call, stage_key=stage_key).select_related("decided_by")
    }


def award_rows(call, stage: dict) -> list[dict]:
    """The decision page: each application that went through the checks (with a formal check, those it
    passed), its decision (undecided when no row) and its place in the last expert review's ranking, ranked
    first, unranked last."""
    decisions = award_decisions(call, stage["key"])
    ranking = reviews.call_ranking(call=call)
    out = []
    for sub in passed_applications(call):
        decision = decisions.get(sub.submitted_by_id)
        status = decision.status if decision else workflow.AwardStatus.PENDING
        place = ranking.get(sub.pk) or {}
        out.append(
            {
                "submission": sub,
                "decision": decision,
                "status": status,
                "status_label": workflow.AwardStatus(status).label,
                "rank": place.get("rank"),
                "mean": place.get("mean"),
                "n_reviews": place.get("n"),
                "ranking_stage": place.get("stage_name", ""),
            }
        )
    out.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    return out


def award_close_refusals(call, stage: dict) -> list[str]:
    """Why the call's decision cannot be made yet: an application that went through the checks is still
    undecided."""
    return workflow.award_close_refusals(
        [
            r["submission"].title
            for r in award_rows(call, stage)
            if r["status"] == workflow.AwardStatus.PENDING
        ]
    )


def applicant_award(call, user) -> dict | None:
    """What the applicant sees of the decision on their formal application, from the decision stage on: the
    outcome and its reason, or why there is none (undecided yet, or the application did not go through the
    checks before it). None before that stage, when the call has no decision stage or they made no formal
    application."""
    stage = decision_stage(call)
    if stage is None or not getattr(user, "pk", None):
        return None
    keys = [s["key"] for s in call.version.stages]
    reached = call.status != CallStatus.RUNNING or (
        call.stage_key in keys and keys.index(call.stage_key) >= keys.index(stage["key"])
    )
    if not reached:  # before the decision stage the formal check's outcome says where it stands
        return None
    mine = [s for s in call_applications(call) if s.submitted_by_id == user.pk]
    if not mine:
        return None
    decision = AwardDecision.objects.filter(call=call, stage_key=stage["key"], applicant=user).first()
    status = decision.status if decision else workflow.AwardStatus.PENDING
    why = ""
    if status == workflow.AwardStatus.PENDING:
        if mine[0].submitted_by_id not in {s.submitted_by_id for s in passed_applications(call)}:
            why = _("申报未通过形式审查，不参加立项决定。")
        elif call.status == CallStatus.RUNNING and call.stage_key == stage["key"]:
            why = _("申报正在“%(name)s”环节，尚未作出决定。") % {"name": stage.get("name", "")}
        else:
            why = _("本批次已结束，未对该申报作出立项决定。")
    return {
        "stage": stage,
        "submission": mine[0],
        "decision": decision,
        "status": status,
        "status_label": workflow.AwardStatus(status).label,
        "why": why,
    }
