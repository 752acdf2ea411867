"""Reads of programmes as data, and the answers programmes gives to its own stage rules."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.roles import Role

from . import fieldkinds, names, reviews, rules, workflow
from .models import (
    AwardDecision,
    Call,
    CallStatus,
    FormalCheck,
    FormDefinition,
    FormVersion,
    InvitationDecision,
    Objection,
    ProgrammeType,
    ProgrammeVersion,
    ShortlistDecision,
    Submission,
)


def _named(qs, q: str):
    """`qs` whose Chinese or English name holds `q` (all of it when `q` is empty)."""
    return qs.filter(Q(name__icontains=q) | Q(name_en__icontains=q)) if q else qs


def form_list(*, q: str = ""):
    """Form definitions by name (whose Chinese or English name holds `q` when given), with their versions
    counted."""
    return (
        _named(FormDefinition.objects, q)
        .annotate(n_versions=Count("versions", distinct=True))
        .order_by("name", "pk")
    )


def form_uses() -> dict[int, list[str]]:
    """{form id: "计划类别 · 环节" for each stage of a programme version that fills one of its versions}: what
    tells apart two forms of one name on the list (walked, session 20: 揭榜挂帅专家评审表 twice, nothing more)."""
    versions = list(
        ProgrammeVersion.objects.select_related("programme").order_by("programme__name", "number")
    )
    ids = {s.get("form") for v in versions for s in v.stages or [] if s.get("form")}
    definition_of = dict(FormVersion.objects.filter(pk__in=ids).values_list("pk", "definition_id"))
    uses: dict[int, list[str]] = {}
    for v in versions:
        for stage in v.stages or []:
            d = definition_of.get(stage.get("form"))
            if d is None:
                continue
            text = _("%(programme)s · %(stage)s") % {
                "programme": v.programme,
                "stage": workflow.stage_name(stage),
            }
            if text not in uses.setdefault(d, []):
                uses[d].append(text)
    return uses


def programme_list(*, q: str = ""):
    """Programme types by name (whose Chinese or English name holds `q` when given), with their versions
    counted."""
    return (
        _named(ProgrammeType.objects, q)
        .annotate(n_versions=Count("versions", distinct=True))
        .order_by("name", "pk")
    )


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
                "attachment_labels": _attachment_labels(
                    rules.get("attachments") or [], forms.get(s.get("form"))
                ),
                "requires_publicity": workflow.requires_publicity(s) if s.get("kind") == "decision" else None,
            }
        )
    return out


def _attachment_labels(attachments: list[str], form) -> list[str]:
    """A stage's required attachments as shown: each names a file field of the stage's form by its Chinese
    label; on an English page that field's English label when it has one."""
    specs = {f.get("label"): f for f in (form.fields if form is not None else []) if f.get("kind") == "file"}
    return [names.local(specs[a], "label") if a in specs else a for a in attachments]


def field_rows(fields: list[dict]) -> list[dict]:
    by_key = {f["key"]: f for f in fields}
    return [
        {
            **f,
            "kind_label": fieldkinds.kind_label(f.get("kind", "")),
            "unit_local": names.local(f, "unit"),  # the unit in the reader's language ("分", points)
            "condition": (
                {
                    "field": names.local(by_key.get(f["show_if"]["field"]), "label"),
                    "equals": names.option_label(
                        by_key.get(f["show_if"]["field"]) or {}, f["show_if"].get("equals")
                    ),
                }
                if f.get("show_if")
                else None
            ),
        }
        for f in fields
    ]


def submissions_of(definition):
    return (
        Submission.objects.filter(version__definition=definition)
        .select_related("version__definition", "submitted_by", "call")
        .order_by("-created_at", "-pk")
    )


def submission_rows(submission) -> list[dict]:
    """A submission shown with its own version's fields, for ever."""
    out = []
    for spec in submission.version.fields:
        value = submission.data.get(spec["key"])
        row = {
            "label": names.local(spec, "label"),
            "kind": spec["kind"],
            "text": fieldkinds.display(spec, value, with_unit=True),
        }
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
        return [_("申报单位“%(unit)s”的信息尚未经管理部门核实。") % {"unit": unit}]
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
            "call": c.local_title,
            "stage": (c.stage or {}).get("name", ""),
            "date": workflow.date_words(c.stage_closes_on),
        }
        for c in late.select_related("version")
    ]


def overdue_reasons_many(*, pairs, call) -> list[list[str]]:
    """`overdue_reasons` for each (user, unit) of `pairs`, in their order, in two queries."""
    unit_ids = {unit.pk for _user, unit in pairs if unit is not None}
    late_of: dict[int, set[int]] = {}
    if unit_ids:
        for unit_id, call_id in (
            Submission.objects.filter(
                submitted_by__unit_id__in=unit_ids,
                call__status=CallStatus.RUNNING,
                call__awarded=True,
                call__stage_closes_on__lt=timezone.localdate(),
            )
            .exclude(call_id=call.pk)
            .values_list("submitted_by__unit_id", "call_id")
            .distinct()
        ):
            late_of.setdefault(unit_id, set()).add(call_id)
    ids = set().union(*late_of.values()) if late_of else set()
    late = (
        list(Call.objects.filter(pk__in=ids).select_related("version").order_by("stage_closes_on", "pk"))
        if ids
        else []
    )
    return [
        [
            _("本单位的“%(call)s”逾期未完成“%(stage)s”（应于%(date)s前完成）。")
            % {
                "call": c.local_title,
                "stage": (c.stage or {}).get("name", ""),
                "date": workflow.date_words(c.stage_closes_on),
            }
            for c in late
            if c.pk in late_of.get(unit.pk, ())
        ]
        if unit is not None
        else []
        for _user, unit in pairs
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


def projects_in_flight_many(users, *, call) -> list[int]:
    """`projects_in_flight` for each of `users`, in their order, in a fixed number of queries."""
    users = list(users)
    own = dict(
        Submission.objects.filter(call__status=CallStatus.RUNNING, submitted_by_id__in=[u.pk for u in users])
        .exclude(call_id=call.pk)
        .values("submitted_by_id")
        .annotate(n=Count("call_id", distinct=True))
        .values_list("submitted_by_id", "n")
        if users
        else []
    )
    elsewhere = rules.in_flight_elsewhere_many(users=users, call=call)
    return [own.get(u.pk, 0) + n for u, n in zip(users, elsewhere, strict=True)]


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
        file_specs=names.file_specs(submission.version.fields),
    )


def stored_facts_many(call, submissions) -> list[workflow.Facts]:
    """`stored_facts` for each of `submissions`, in their order: each rule asked once for all the
    applicants of a stage (`rules.answers_many`), so the queries do not grow with the applications."""
    submissions = list(submissions)
    out: list[workflow.Facts | None] = [None] * len(submissions)
    by_stage: dict[str, list[int]] = {}
    for i, sub in enumerate(submissions):
        by_stage.setdefault(sub.stage_key, []).append(i)
    for stage_key, indexes in by_stage.items():
        stage = next((s for s in call.version.stages if s["key"] == stage_key), {})
        stage_rules = stage.get("rules") or {}
        users = [submissions[i].submitted_by for i in indexes]
        eligibility = rules.answers_many(
            stage_rules.get("eligibility") or [], pairs=[(u, u.unit) for u in users], call=call
        )
        in_flight = (
            projects_in_flight_many(users, call=call)
            if stage_rules.get("max_concurrent")
            else [0] * len(users)
        )
        labels = unit_kind_labels() if stage_rules.get("unit_kinds") else {}
        for j, i in enumerate(indexes):
            sub, unit = submissions[i], users[j].unit
            out[i] = workflow.Facts(
                unit_kind=unit.kind if unit is not None else "",
                unit_kind_labels=labels,
                eligibility=eligibility[j],
                in_flight=in_flight[j],
                attachments=frozenset(
                    spec.get("label")
                    for spec in sub.version.fields
                    if spec.get("kind") == "file" and isinstance(sub.data.get(spec["key"]), dict)
                ),
                file_specs=names.file_specs(sub.version.fields),
            )
    return out


def formal_checklist(call, submission) -> list[workflow.ChecklistRow]:
    """The rules of the stage the application was made at, judged now, for the checker."""
    stage = next((s for s in call.version.stages if s["key"] == submission.stage_key), {})
    return workflow.formal_checklist(stage, stored_facts(call, submission))


def formal_rows(call, stage: dict, *, checklists: bool = True) -> list[dict]:
    """The formal check page: each formal application with its outcome (unchecked when no row), its
    checklist and whether it meets every rule (batch pass takes those)."""
    checks = formal_checks(call, stage["key"])
    apps = call_applications(call)
    facts = stored_facts_many(call, apps) if checklists else []
    out = []
    for i, sub in enumerate(apps):
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
            sub_stage = next((s for s in call.version.stages if s["key"] == sub.stage_key), {})
            row["checklist"] = workflow.formal_checklist(sub_stage, facts[i])
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
    passed; with a 答辩 after a 函评, those shortlisted), its decision (undecided when no row), its place in
    the last review stage's ranking (ranked first, unranked last) and in each review stage's."""
    decisions = award_decisions(call, stage["key"])
    by_stage = review_rankings(call)
    last = by_stage[-1] if by_stage else {"ranking": {}, "stage_name": ""}
    ranking = {pk: {**row, "stage_name": last["stage_name"]} for pk, row in last["ranking"].items()}
    out = []
    for sub in award_candidates(call, stage):
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
                # its place in each review stage's ranking (函评, then 答辩), beside the decision
                "rankings": [
                    {"stage_name": r["stage_name"], **(r["ranking"].get(sub.pk) or {})} for r in by_stage
                ],
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
        passed = passed_applications(call)
        in_running = candidates(call, _stage_index(call, stage["key"]), passed=passed)
        if mine[0].submitted_by_id not in {s.submitted_by_id for s in passed}:
            why = _("申报未通过形式审查，不参加立项决定。")
        elif mine[0].submitted_by_id not in {s.submitted_by_id for s in in_running}:
            why = _("申报未入围答辩，不参加立项决定。")
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


# --- the 函评 → 答辩 shortlist ----------------------------------------------------------------------------------------


def _stage_index(call, key: str) -> int:
    keys = [s["key"] for s in call.version.stages]
    return keys.index(key) if key in keys else len(keys)


def shortlist_stages(call) -> list[dict]:
    """The call's review stages that review only a shortlist (each 会评/答辩 with a 函评 before it)."""
    keys = set(workflow.shortlist_stage_keys(call.version.stages))
    return [s for s in call.version.stages if s["key"] in keys]


def candidates(call, index: int, *, passed: list[Submission] | None = None) -> list[Submission]:
    """The applications still in the running after the call's stages before `index`: passed the formal check
    (when there is one; `passed`, when the caller has them) and shortlisted at every shortlisting stage among
    them."""
    apps = passed_applications(call) if passed is None else passed
    keys = workflow.shortlist_stage_keys(call.version.stages[:index])
    if not keys:
        return apps
    chosen: dict[str, set[int]] = {k: set() for k in keys}
    for key, applicant in ShortlistDecision.objects.filter(
        call=call, stage_key__in=keys, status=workflow.ShortlistStatus.SHORTLISTED
    ).values_list("stage_key", "applicant_id"):
        chosen[key].add(applicant)
    return [s for s in apps if all(s.submitted_by_id in chosen[k] for k in keys)]


def review_subjects(call, stage: dict) -> list[Submission]:
    """What a review stage of the call reviews (the review app asks): the applications through every check
    before it and, at a 答辩 after a 函评, only those shortlisted for it."""
    return candidates(call, _stage_index(call, stage["key"]) + 1)


def award_candidates(call, stage: dict) -> list[Submission]:
    """What a decision stage decides: the applications through every check and shortlist before it."""
    return candidates(call, _stage_index(call, stage["key"]))


def shortlist_stage(call) -> dict | None:
    """The shortlisting stage the call's pages show: the current stage when it is one, else the last one the
    call has reached, else the first (still to come); None when the definition has none."""
    stages = shortlist_stages(call)
    if not stages:
        return None
    at = _stage_index(call, call.stage_key) if call.status == CallStatus.RUNNING else len(call.version.stages)
    reached = [s for s in stages if _stage_index(call, s["key"]) <= at]
    return reached[-1] if reached else stages[0]


def previous_review_stage(call, stage: dict) -> dict | None:
    """The review stage just before `stage` (the 函评 whose ranking a 答辩's shortlist is chosen from)."""
    before = call.version.stages[: _stage_index(call, stage["key"])]
    return next((s for s in reversed(before) if s.get("kind") in workflow.REVIEW_KINDS), None)


def review_rankings(call) -> list[dict]:
    """Each review stage's ranking, in the definition's order: [{"stage_key", "stage_name", "ranking": {submission
    pk: {"rank", "mean", "n"}}}] for the stages the review app has a ranking of."""
    by_key = reviews.call_rankings(call=call)
    return [
        {
            "stage_key": s["key"],
            "stage_name": workflow.stage_name(s),
            "ranking": by_key[s["key"]],
        }
        for s in call.version.stages
        if s["key"] in by_key
    ]


def shortlist_decisions(call, stage_key: str) -> dict[int, ShortlistDecision]:
    """{applicant id: the shortlist row} at the stage (an applicant without a row is undecided)."""
    return {
        d.applicant_id: d
        for d in ShortlistDecision.objects.filter(call=call, stage_key=stage_key).select_related("decided_by")
    }


def shortlist_rows(call, stage: dict) -> list[dict]:
    """The shortlist page: each application the stage chooses from (through every check and shortlist before
    it), its place in the ranking of the review stage before it, and its outcome (待确定 when no row); ranked
    first, unranked last."""
    decisions = shortlist_decisions(call, stage["key"])
    prev = previous_review_stage(call, stage)
    ranking = reviews.call_rankings(call=call).get(prev["key"], {}) if prev else {}
    out = []
    for sub in candidates(call, _stage_index(call, stage["key"])):
        decision = decisions.get(sub.submitted_by_id)
        status = decision.status if decision else workflow.ShortlistStatus.PENDING
        place = ranking.get(sub.pk) or {}
        out.append(
            {
                "submission": sub,
                "decision": decision,
                "status": status,
                "status_label": workflow.ShortlistStatus(status).label,
                "rank": place.get("rank"),
                "mean": place.get("mean"),
                "n_reviews": place.get("n"),
            }
        )
    out.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["submission"].pk))
    return out


def shortlist_counts(call, stage: dict) -> dict[str, int]:
    """{status: how many applications} recorded at the shortlisting stage (one query)."""
    counts = {s: 0 for s in workflow.ShortlistStatus.values}
    for row in (
        ShortlistDecision.objects.filter(call=call, stage_key=stage["key"])
        .values("status")
        .annotate(n=Count("pk"))
    ):
        counts[row["status"]] = row["n"]
    return counts


def shortlist_close_refusals(call, stage: dict) -> list[str]:
    """Why the shortlisting stage can neither open its review nor close: an application is undecided."""
    return workflow.shortlist_close_refusals(
        stage,
        [
            r["submission"].title
            for r in shortlist_rows(call, stage)
            if r["status"] == workflow.ShortlistStatus.PENDING
        ],
    )


def applicant_shortlist(call, user) -> dict | None:
    """What the applicant sees of the shortlist for the 答辩, from that stage on: 入围, or 未入围 with the
    reason, or why there is none yet. None before the stage, when the definition has no shortlisting stage,
    or when they made no application that went through the checks before it."""
    stage = shortlist_stage(call)
    if stage is None or not getattr(user, "pk", None):
        return None
    reached = call.status != CallStatus.RUNNING or _stage_index(call, call.stage_key) >= _stage_index(
        call, stage["key"]
    )
    if not reached:
        return None
    mine = [s for s in candidates(call, _stage_index(call, stage["key"])) if s.submitted_by_id == user.pk]
    if not mine:
        return None
    decision = ShortlistDecision.objects.filter(call=call, stage_key=stage["key"], applicant=user).first()
    status = decision.status if decision else workflow.ShortlistStatus.PENDING
    why = ""
    if status == workflow.ShortlistStatus.PENDING:
        why = (
            _("“%(name)s”的入围名单尚未确定。") % {"name": stage.get("name", "")}
            if call.status == CallStatus.RUNNING and call.stage_key == stage["key"]
            else _("本批次未对该申报确定是否入围。")
        )
    return {
        "stage": stage,
        "submission": mine[0],
        "decision": decision,
        "status": status,
        "status_label": workflow.ShortlistStatus(status).label,
        "why": why,
    }


# --- the 预申报 invitation ----------------------------------------------------------------------------------------


def invitation_stage(call) -> dict | None:
    """The call's 预申报 stage that decides who is invited to the formal application (one with a form), or None."""
    return workflow.invitation_stage(call.version.stages)


def pre_applications(call, stage: dict) -> list[Submission]:
    """Each applicant's latest submission at the 预申报 stage, in the order they first came in."""
    latest: dict[int, Submission] = {}
    first: dict[int, tuple] = {}
    rows = (
        Submission.objects.filter(call=call, stage_key=stage["key"])
        .select_related("version__definition", "submitted_by__unit")
        .order_by("created_at", "pk")
    )
    for sub in rows:
        latest[sub.submitted_by_id] = sub
        first.setdefault(sub.submitted_by_id, (sub.created_at, sub.pk))
    return sorted(latest.values(), key=lambda s: first[s.submitted_by_id])


def invitation_rows(call, stage: dict) -> list[dict]:
    """The invitation page: each pre-application with its outcome (待遴选 when no row)."""
    decisions = {
        d.applicant_id: d
        for d in InvitationDecision.objects.filter(call=call, stage_key=stage["key"]).select_related(
            "decided_by"
        )
    }
    out = []
    for sub in pre_applications(call, stage):
        decision = decisions.get(sub.submitted_by_id)
        status = decision.status if decision else workflow.InvitationStatus.PENDING
        out.append(
            {
                "submission": sub,
                "decision": decision,
                "status": status,
                "status_label": workflow.InvitationStatus(status).label,
            }
        )
    return out


def invitation_close_refusals(call, stage: dict) -> list[str]:
    """Why the call's 预申报 stage cannot close: a pre-application not yet invited or declined."""
    return workflow.invitation_close_refusals(
        stage,
        [
            r["submission"].title
            for r in invitation_rows(call, stage)
            if r["status"] == workflow.InvitationStatus.PENDING
        ],
    )


def invitation_standing(call, user) -> tuple[str | None, str]:
    """(status, reason) of the user's pre-application in the call's invitation: None when they made none."""
    stage = invitation_stage(call)
    if stage is None or not getattr(user, "pk", None):
        return None, ""
    decision = InvitationDecision.objects.filter(call=call, stage_key=stage["key"], applicant=user).first()
    if decision is not None:
        return decision.status, decision.reason
    if Submission.objects.filter(call=call, stage_key=stage["key"], submitted_by=user).exists():
        return workflow.InvitationStatus.PENDING, ""
    return None, ""


def invitation_refusals(call, user) -> list[str]:
    """Why the user cannot submit at the call's current stage for want of an invitation (a 正式申报 stage of
    a call whose 预申报 decides who is invited); [] otherwise."""
    stage = call.stage or {}
    if stage.get("kind") != "application" or invitation_stage(call) is None:
        return []
    status, reason = invitation_standing(call, user)
    return workflow.invitation_refusals(call.version.stages, stage, status, reason)


def applicant_invitation(call, user) -> dict | None:
    """What the applicant sees of their pre-application's outcome: invited, declined with the reason, or
    pending (and why). None when the call has no inviting 预申报 or they made no pre-application."""
    stage = invitation_stage(call)
    if stage is None or not getattr(user, "pk", None):
        return None
    mine = [s for s in pre_applications(call, stage) if s.submitted_by_id == user.pk]
    if not mine:
        return None
    decision = InvitationDecision.objects.filter(call=call, stage_key=stage["key"], applicant=user).first()
    status = decision.status if decision else workflow.InvitationStatus.PENDING
    why = ""
    if status == workflow.InvitationStatus.PENDING:
        if call.status == CallStatus.RUNNING and call.stage_key == stage["key"]:
            why = _("预申报正在遴选，获邀请后才能正式申报。")
        else:
            why = _("“%(name)s”环节已结束，未对您的预申报作出决定。") % {"name": stage.get("name", "")}
    elif status == workflow.InvitationStatus.INVITED:
        why = _("已获邀请，可在“正式申报”环节提交申报书。")
    else:
        why = _("未获邀请，不能正式申报。")
    return {
        "stage": stage,
        "submission": mine[-1],
        "decision": decision,
        "status": status,
        "status_label": workflow.InvitationStatus(status).label,
        "why": why,
    }


# --- publicity with objections (公示、异议) ------------------------------------------------------------------------------


def publicity_stage(call) -> dict | None:
    """The call's publicity stage (公示, at most one per definition), or None."""
    return next((s for s in call.version.stages if s.get("kind") == "publicity"), None)


def publicity_open(call, stage) -> bool:
    """The call stands at its publicity stage."""
    return call.status == CallStatus.RUNNING and call.stage_key == stage["key"]


def publicity_period(call, stage) -> dict:
    """The publicity's dates in words and where it stands: `current` (the call is at the stage), `ended`
    (its last day has passed), `reached` (the call is at it or past it)."""
    keys = [s["key"] for s in call.version.stages]
    current = publicity_open(call, stage)
    reached = call.status != CallStatus.RUNNING or (
        call.stage_key in keys and keys.index(call.stage_key) >= keys.index(stage["key"])
    )
    closes = call.stage_closes_on if current else None
    today = timezone.localdate()
    return {
        "current": current,
        "reached": reached,
        "opens_words": workflow.date_words(call.stage_opened_on) if current and call.stage_opened_on else "",
        "closes_words": workflow.date_words(closes) if closes else "",
        "ended": bool(current and closes and today > closes),
        "early": bool(current and closes and today <= closes),  # closing now would be early
    }


def objections_of(call, stage_key: str):
    """The objections lodged at the call's publicity stage, oldest first, with their application and people."""
    return (
        Objection.objects.filter(call=call, stage_key=stage_key)
        .select_related("submission__version", "submission__submitted_by", "lodged_by", "answered_by")
        .order_by("pk")
    )


def publicity_candidates(call, stage: dict) -> list[Submission]:
    """The applications on the publicity list: those through every check and shortlist before the stage
    (with a formal check, those it passed; after a 答辩 shortlist, those shortlisted)."""
    return candidates(call, _stage_index(call, stage["key"]))


def publicity_rows(call, stage: dict, *, objections=None) -> list[dict]:
    """The publicity list (`publicity_candidates`), in the order of the last expert review's ranking, with
    the counts of the objections against each and whether one was upheld (then it is not awarded)."""
    objections = list(objections_of(call, stage["key"]) if objections is None else objections)
    ranking = reviews.call_ranking(call=call)
    out = []
    for sub in publicity_candidates(call, stage):
        mine = [o for o in objections if o.applicant_id == sub.submitted_by_id]
        place = ranking.get(sub.pk) or {}
        out.append(
            {
                "submission": sub,
                "unit": sub.submitted_by.unit,
                "rank": place.get("rank"),
                "mean": place.get("mean"),
                "n_open": sum(1 for o in mine if o.status == workflow.ObjectionStatus.OPEN),
                "n_upheld": sum(1 for o in mine if o.status == workflow.ObjectionStatus.UPHELD),
                "n_dismissed": sum(1 for o in mine if o.status == workflow.ObjectionStatus.DISMISSED),
                "objections": mine,
            }
        )
    out.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    return out


def publicity_close_refusals(call, stage: dict, *, early: bool = False) -> list[str]:
    """Why the call's publicity stage cannot close: an objection still open, or the period not over
    (unless staff confirm `early`)."""
    titles = [
        o.submission.title
        for o in Objection.objects.filter(
            call=call, stage_key=stage["key"], status=workflow.ObjectionStatus.OPEN
        ).select_related("submission__version")
    ]
    return workflow.publicity_close_refusals(
        stage,
        titles,
        closes_on=call.stage_closes_on if publicity_open(call, stage) else None,
        today=timezone.localdate(),
        early=early,
    )


def why_not_lodge(call, stage: dict) -> str:
    """Why nobody can lodge an objection in this call now ('' while its publicity runs)."""
    if not publicity_open(call, stage):
        period = publicity_period(call, stage)
        if period["reached"]:
            return _("公示已结束，不再受理异议。")
        return _("本批次尚未进入“%(name)s”环节。") % {"name": stage.get("name", "")}
    closes = call.stage_closes_on
    if closes and timezone.localdate() > closes:
        return _("公示期已于%(date)s届满，不再受理异议。") % {"date": workflow.date_words(closes)}
    return ""


def my_objections(call, user) -> list[Objection]:
    """The objections the user lodged in this call, with their outcome."""
    if not getattr(user, "pk", None):
        return []
    return list(
        Objection.objects.filter(call=call, lodged_by=user)
        .select_related("submission__version", "submission__submitted_by")
        .order_by("pk")
    )


def objections_against(submission) -> list[Objection]:
    """The objections lodged against an application (its applicant sees them on its page: the reason, the
    file, the outcome and staff's answer; never the objector), oldest first."""
    if submission.call_id is None:
        return []
    return list(Objection.objects.filter(submission=submission).order_by("pk"))
