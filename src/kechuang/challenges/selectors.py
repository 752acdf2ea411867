"""Every non-trivial read of the open-challenge programme, with its joins done here (no N+1 in views)."""

import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kechuang.accounts.selectors import unit_order
from kechuang.core import counters, hooks
from kechuang.core.audit import PartTrail, audit_trail_for_rows
from kechuang.core.lists import listed
from kechuang.core.queries import CompiledOne, CompiledRows, one, set_prefetched
from kechuang.integrity import selectors as integrity_selectors
from kechuang.integrity.models import Restriction
from kechuang.programmes.workflow import date_words as workflow_date_words
from kechuang.review import selectors as review_selectors

from . import permissions
from .models import (
    AcceptanceItem,
    Application,
    ApplicationMember,
    ApplicationMilestone,
    ApplicationPartner,
    Attachment,
    Challenge,
    ChallengeIndicator,
    ChangeRequest,
    Contract,
    ContractIndicator,
    MidtermCheck,
    Milestone,
    MilestoneValue,
    Need,
    Objection,
    PreApplication,
    Result,
    Topic,
    Transfer,
)
from .workflow import CONTRACT_ACTIVE, ChallengeStatus, ContractStatus, MilestoneStatus

AT_RISK_DAYS = 30  # a milestone not yet reported within this many days of its due date is at risk


# Needs and topics -------------------------------------------------------------------------------------


def need_list(*, user, q: str = "", ungrouped: bool = False, industry: str = "") -> QuerySet[Need]:
    """The needs the user may see, newest first, with unit and topic."""
    qs = permissions.needs_visible_to(user).select_related("unit", "topic")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(problem__icontains=q))
    if ungrouped:
        qs = qs.filter(topic__isnull=True)
    if industry:
        qs = qs.filter(industry=industry)
    return qs


def need_groups_propose(*, threshold: float = 0.25, needs=None):
    """Proposed groups of ungrouped needs by text similarity: [(Group, [Need, ...])], best first."""
    from .similarity import propose_groups

    pool = list(
        needs if needs is not None else Need.objects.filter(topic__isnull=True).select_related("unit")
    )
    by_id = {n.pk: n for n in pool}
    items = [(n.pk, f"{n.title} {n.problem} {n.indicators_wanted} {n.industry_label}") for n in pool]
    return [(g, [by_id[i] for i in g.ids]) for g in propose_groups(items, threshold=threshold)]


def topic_list(*, track: str = "", industry: str = "") -> QuerySet[Topic]:
    """Topics with their need and challenge counts (of a track, of an industry)."""
    qs = Topic.objects.annotate(
        need_count=Count("needs", distinct=True), challenge_count=Count("challenges", distinct=True)
    )
    if track:
        qs = qs.filter(track=track)
    if industry:
        qs = qs.filter(industry=industry)
    return qs.order_by("track", "title")


# Challenges -------------------------------------------------------------------------------------------


def challenge_list(
    *, user, status: str = "", year: int | None = None, track: str = "", q: str = ""
) -> QuerySet[Challenge]:
    """The challenges the user may see, with topic, co-funder and application counts (applications past the
    draft, from the counter rows the application services keep: challenges.counted)."""
    qs = (
        permissions.challenges_visible_to(user)
        .select_related("topic", "cofunder")
        .annotate(application_count=counters.scoped("challenges.applications", OuterRef("pk")))
    )
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    if track:
        qs = qs.filter(topic__track=track)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q) | Q(problem__icontains=q))
    return qs.order_by("-year", "code")


def challenge_get(*, pk: int, user) -> Challenge:
    """One challenge the user may see, with its indicators (404 otherwise, via DoesNotExist)."""
    return one(
        permissions.challenges_visible_to(user)
        .select_related("topic", "cofunder", "publicity", "programme_version__programme")
        .prefetch_related("indicators")
        .filter(pk=pk)
    )


def challenge_indicator_trail(challenge: Challenge, *, limit: int = 200) -> PartTrail:
    """The audit events of a challenge's target indicators (their English names and units are audited on the
    indicator rows, not on the challenge), for the challenge page's trail beside its own: one query whatever
    the number of indicators or events (the indicators as challenge_get prefetched them)."""
    rows = list(challenge.indicators.all())
    if not rows:
        return PartTrail(rows=[], events=[])
    events = audit_trail_for_rows(ChallengeIndicator, [r.pk for r in rows])[:limit]
    return PartTrail(rows=rows, events=list(events))


def contract_indicator_trail(contract: Contract, *, limit: int = 200) -> PartTrail:
    """The audit events of a project's indicators (their English names and units, audited on the indicator
    rows as the challenge's are), for staff's trail on the project page beside the contract's own: one query
    (the indicators as contract_get prefetched them)."""
    rows = list(contract.indicators.all())
    if not rows:
        return PartTrail(rows=[], events=[])
    events = audit_trail_for_rows(ContractIndicator, [r.pk for r in rows])[:limit]
    return PartTrail(rows=rows, events=list(events))


def challenges_for_export(*, year: int | None = None, status: str = "") -> QuerySet[Challenge]:
    """Published challenges for the official list (Excel and print), in code order."""
    qs = Challenge.objects.exclude(status__in=[ChallengeStatus.DRAFT, ChallengeStatus.CANCELLED])
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("topic", "cofunder").prefetch_related("indicators").order_by("code")


def awards_for_export(*, year: int | None = None) -> QuerySet[Application]:
    """Awarded applications (the award list), by challenge code."""
    qs = Application.objects.filter(status=Application.Status.AWARDED)
    if year:
        qs = qs.filter(challenge__year=year)
    return qs.select_related("challenge", "unit", "leader", "contract").order_by(
        "challenge__code", "unit__name"
    )


def challenge_years() -> list[int]:
    """The years that have published challenge lists, newest first (for the year filter)."""
    return sorted(
        set(Challenge.objects.exclude(status=ChallengeStatus.DRAFT).values_list("year", flat=True)),
        reverse=True,
    )


# Applications -----------------------------------------------------------------------------------------


def application_list(*, user, challenge: Challenge | None = None, status: str = "") -> QuerySet[Application]:
    """Applications the user may see, with challenge, unit and leader."""
    qs = permissions.applications_visible_to(user).select_related("challenge", "unit", "leader")
    if challenge is not None:
        qs = qs.filter(challenge=challenge)
    if status:
        qs = qs.filter(status=status)
    # ties by the unit's name as the reader reads it (docs/adr/0018)
    return qs.order_by("challenge__code", "review_rank", *unit_order("unit__"), "pk")


def _application_query(pk):
    return Application.objects.select_related(
        "challenge",
        "challenge__topic",
        "challenge__programme_version",
        "unit",
        "leader",
        "form_version",
        "contract",
    ).filter(pk=pk)


# the SQL of the application's eight-table join and of its team, milestones, attachments and partners built
# once per process (#19); each list as prefetch_related would leave it
_APPLICATION = CompiledOne(_application_query)
_APPLICATION_MEMBERS = CompiledRows(
    lambda pk: ApplicationMember.objects.filter(application_id=pk).select_related("unit")
)
_APPLICATION_MILESTONES = CompiledRows(lambda pk: ApplicationMilestone.objects.filter(application_id=pk))
_APPLICATION_ATTACHMENTS = CompiledRows(lambda pk: Attachment.objects.filter(application_id=pk))
_APPLICATION_PARTNERS = CompiledRows(
    lambda pk: ApplicationPartner.objects.filter(application_id=pk).select_related("unit")
)


def application_get(*, pk: int, user, indicators: bool = True) -> Application:
    """One application the user may see, with team, milestones and attachments (and its project, in the same
    query: the page links to it), and the list's indicators unless `indicators` is False (the page reads
    them only to check a draft). DoesNotExist when it is not visible (`can_view_application`:
    applications_visible_to's rules, from the loaded row for staff and the lead unit)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Application.DoesNotExist("no such application") from None
    application = _APPLICATION.get(pk)
    if not permissions.can_view_application(user, application):
        raise Application.DoesNotExist("no such application")
    for name, rows in (
        ("members", _APPLICATION_MEMBERS),
        ("milestones", _APPLICATION_MILESTONES),
        ("attachments", _APPLICATION_ATTACHMENTS),
        ("partners", _APPLICATION_PARTNERS),
    ):
        set_prefetched([application], name, rows.rows(pk), key="application_id")
    prefetch_related_objects([application], "avoid_units")
    if indicators:
        prefetch_related_objects([application.challenge], "indicators")
    return application


def milestone_targets_shown(application: Application) -> dict[int, list[dict]]:
    """Each proposed milestone's stage targets as the page shows them, by milestone id: the indicator's name
    and unit in the reader's language beside the value typed (the page had shown 发酵表达量：12 without the
    unit the list measures it in). The list's indicators read once, and only when a milestone has targets
    (no query per row); a target naming no indicator of the list is shown by the name stored."""
    milestones = application.milestones.all()
    if not any(m.targets for m in milestones):
        return {}
    prefetch_related_objects([application.challenge], "indicators")
    by_name = {i.name: i for i in application.challenge.indicators.all()}
    # in the list's order (PostgreSQL's jsonb keeps a dict's keys in its own order, not the order typed)
    rank = {name: n for n, name in enumerate(by_name)}
    shown = {}
    for m in milestones:
        rows = []
        targets = m.targets.items() if isinstance(m.targets, dict) else ()
        for name, value in sorted(targets, key=lambda kv: rank.get(kv[0], len(rank))):
            indicator = by_name.get(name)
            rows.append(
                {
                    "name": indicator.local_name if indicator else name,
                    "unit": indicator.local_unit if indicator else "",
                    "value": _as_decimal(value),
                }
            )
        shown[m.pk] = rows
    return shown


def _as_decimal(value):
    """A stored target ("12.500") as a number the page writes without trailing zeros; as stored if not one."""
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return value


def leader_active_projects(*, leader_id: int, exclude_contract: int | None = None) -> int:
    """How many active projects (contracts not yet closed) the person leads."""
    qs = Contract.objects.filter(leader_id=leader_id, status__in=list(CONTRACT_ACTIVE))
    if exclude_contract:
        qs = qs.exclude(pk=exclude_contract)
    return qs.count()


def projects_in_flight_for_programmes(*, user, call) -> int:
    """The 揭榜挂帅 projects under way (signed and running, not yet at their acceptance) a person
    leads, counted by the programmes app towards a stage's concurrent-project limit (registered in
    apps.py; `programmes.rules`)."""
    if not getattr(user, "pk", None):
        return 0
    return Contract.objects.filter(leader_id=user.pk, status=ContractStatus.IN_PROGRESS).count()


def projects_in_flight_for_programmes_many(*, users, call) -> list[int]:
    """`projects_in_flight_for_programmes` for each of `users`, in their order, in one query."""
    ids = [u.pk for u in users if getattr(u, "pk", None)]
    counts = dict(
        Contract.objects.filter(leader_id__in=ids, status=ContractStatus.IN_PROGRESS)
        .values("leader_id")
        .annotate(n=Count("pk"))
        .values_list("leader_id", "n")
        if ids
        else []
    )
    return [counts.get(getattr(u, "pk", None), 0) for u in users]


def _overdue_reason(contract: Contract) -> str:
    return _("本单位的揭榜挂帅项目“%(title)s”已于%(date)s到期，尚未通过验收。") % {
        "title": contract.title,
        "date": workflow_date_words(contract.end_date),
    }


def overdue_project_reasons_many(*, pairs, call) -> list[list[str]]:
    """`overdue_project_reasons` for each (user, unit) of `pairs`, in their order, in one query."""
    unit_ids = {unit.pk for _user, unit in pairs if unit is not None}
    by_unit: dict[int, list[str]] = {}
    if unit_ids:
        late = Contract.objects.filter(
            unit_id__in=unit_ids,
            status__in=[ContractStatus.IN_PROGRESS, ContractStatus.ACCEPTANCE],
            end_date__lt=timezone.localdate(),
        ).order_by("end_date", "pk")
        for c in late:
            by_unit.setdefault(c.unit_id, []).append(_overdue_reason(c))
    return [list(by_unit.get(unit.pk, [])) if unit is not None else [] for _user, unit in pairs]


def overdue_project_reasons(*, user, unit, call) -> list[str]:
    """The unit's 揭榜挂帅 projects past their end date and not yet accepted (running, or waiting for the
    acceptance), as reasons for the programmes rule `no_overdue_project` (registered in apps.py)."""
    if unit is None:
        return []
    late = Contract.objects.filter(
        unit=unit,
        status__in=[ContractStatus.IN_PROGRESS, ContractStatus.ACCEPTANCE],
        end_date__lt=timezone.localdate(),
    ).order_by("end_date", "pk")
    return [_overdue_reason(c) for c in late]


def integrity_problems(application: Application, restriction: str) -> list[str]:
    """Every reason a current research-integrity restriction (kechuang.integrity) bars the application's
    unit, a partner unit, the leader or a team member from `restriction` (apply, award) today; [] when none does."""
    people = [
        integrity_selectors.Who(
            name=str(application.leader),
            user_id=application.leader_id,
            unit_id=application.leader.unit_id,
            role=_("挂帅人"),
        )
    ]
    for m in application.members.all():
        people.append(
            integrity_selectors.Who(
                name=m.name, user_id=m.user_id, unit_id=m.unit_id or application.unit_id, role=_("团队成员")
            )
        )
    units = [(application.unit_id, _("揭榜单位“%(unit)s”") % {"unit": application.unit})]
    # A joint application (联合揭榜) is barred by a restriction on any partner unit as by one on the lead.
    for p in application.partners.all():
        units.append((p.unit_id, _("合作单位“%(unit)s”") % {"unit": p.unit}))
    return integrity_selectors.reasons(restriction=restriction, units=units, people=people)


def eligibility_problems(application: Application) -> list[str]:
    """Every automatic eligibility rule the application breaks, as readable reasons ([] when eligible)."""
    ch = application.challenge
    unit = application.unit
    problems = []
    if not unit.is_active:
        problems.append(_("揭榜单位“%(unit)s”不是有效的注册单位。") % {"unit": unit})
    # The unit's kind (and every field eligibility reads) counts only once staff verified it: a verified
    # unit's users cannot change these fields except by a change request staff approve (accounts.services).
    if not unit.is_verified:
        problems.append(_("揭榜单位“%(unit)s”尚未通过科技厅核验。") % {"unit": unit})
    elif ch.unit_kinds and unit.kind not in ch.unit_kinds:
        problems.append(_("本榜单不接受此类单位揭榜。"))
    if application.leader.unit_id != application.unit_id:
        problems.append(_("挂帅人须为揭榜单位的人员。"))
    active = leader_active_projects(leader_id=application.leader_id)
    if active >= ch.max_active_per_leader:
        problems.append(
            _("挂帅人已主持 %(n)d 项在研项目，达到本榜单上限 %(max)d 项。")
            % {"n": active, "max": ch.max_active_per_leader}
        )
    if application.budget_requested > ch.budget_ceiling:
        problems.append(
            _("申请经费 %(req)s 万元超过榜单上限 %(max)s 万元。")
            % {"req": application.budget_requested, "max": ch.budget_ceiling}
        )
    milestones = list(application.milestones.all())
    tranche_sum = sum((m.tranche for m in milestones), Decimal(0))
    if milestones and tranche_sum != application.budget_requested:
        problems.append(
            _("里程碑拨付经费合计 %(sum)s 万元，与申请经费 %(req)s 万元不一致。")
            % {"sum": tranche_sum, "req": application.budget_requested}
        )
    late = [m for m in milestones if m.month > ch.duration_months]
    if late:
        problems.append(
            _("里程碑 M%(seq)d 超出榜单实施周期（%(months)d 个月）。")
            % {"seq": late[0].seq, "months": ch.duration_months}
        )
    names = {i.name for i in ch.indicators.all()}
    unknown = sorted({k for m in milestones for k in (m.targets or {}) if k not in names})
    if unknown:
        problems.append(_("里程碑中有榜单未列出的指标：%(names)s。") % {"names": listed(unknown)})
    partners = list(application.partners.all())
    shared = sum((p.budget for p in partners), Decimal(0))
    total = application.budget_requested + application.budget_self
    if partners and shared > total:
        problems.append(
            _("合作单位承担经费合计 %(sum)s 万元，超过项目总经费 %(total)s 万元。")
            % {"sum": shared, "total": total}
        )
    for p in partners:
        if not p.unit.is_active:
            problems.append(_("合作单位“%(unit)s”不是有效的注册单位。") % {"unit": p.unit})
    problems.extend(integrity_problems(application, Restriction.APPLY))
    # Rules of higher apps (funds: the budget lines keep the call's caps and add up to the request).
    problems.extend(hooks.collect("challenges.application_problems", application=application))
    return problems


def pre_application_problems(pre: PreApplication) -> list[str]:
    """Why the unit may not pre-apply (预申报, issue #18), as readable reasons ([] when it may): the unit is
    not an active, verified unit of a kind the list admits, or a research-integrity restriction bars the unit
    or its leader from applying."""
    ch, unit = pre.challenge, pre.unit
    problems = []
    if not unit.is_active:
        problems.append(_("揭榜单位“%(unit)s”不是有效的注册单位。") % {"unit": unit})
    if not unit.is_verified:
        problems.append(_("揭榜单位“%(unit)s”尚未通过科技厅核验。") % {"unit": unit})
    elif ch.unit_kinds and unit.kind not in ch.unit_kinds:
        problems.append(_("本榜单不接受此类单位揭榜。"))
    people = [
        integrity_selectors.Who(
            name=str(pre.leader), user_id=pre.leader_id, unit_id=pre.leader.unit_id, role=_("负责人")
        )
    ]
    units = [(pre.unit_id, _("揭榜单位“%(unit)s”") % {"unit": unit})]
    problems.extend(integrity_selectors.reasons(restriction=Restriction.APPLY, units=units, people=people))
    return problems


def pre_application_of(challenge: Challenge, unit_id) -> PreApplication | None:
    """The unit's pre-application to the list (None when it has none or no unit)."""
    if not unit_id:
        return None
    return PreApplication.objects.filter(challenge=challenge, unit_id=unit_id).first()


def pre_applications(challenge: Challenge) -> QuerySet[PreApplication]:
    """The list's submitted pre-applications (drafts are nobody's business but their unit's), first
    submitted first, with their unit and leader."""
    return (
        PreApplication.objects.filter(challenge=challenge)
        .exclude(status="draft")
        .select_related("unit", "leader", "form_version")
        .order_by("submitted_at", "pk")
    )


def review_ranking(challenge: Challenge, rnd=None):
    """[(application, SubjectResult | None)] for the challenge's reviewed applications, best first.

    Reads kechuang.review: the round's ranking when a round is given, else each application's latest
    results.
    """
    if rnd is not None:
        ranked = [
            (subj, res)
            for subj, res in review_selectors.round_ranking(round=rnd)
            if isinstance(subj, Application)
        ]
        seen = {a.pk for a, _r in ranked}
        rest = Application.objects.filter(challenge=challenge, status="under_review").exclude(pk__in=seen)
        return ranked + [(a, None) for a in rest.select_related("unit", "leader")]
    apps = list(
        Application.objects.filter(
            challenge=challenge,
            status__in=["under_review", "proposed", "awarded", "rejected", "formal_passed"],
        ).select_related("unit", "leader")
    )
    out = [(app, review_selectors.subject_results(subject=app)) for app in apps]

    def key(pair):
        res = pair[1]
        score = getattr(res, "trimmed_mean", None) if res is not None else None
        return (score is None, -(score or 0))

    out.sort(key=key)
    return out


# Publicity --------------------------------------------------------------------------------------------


def defence_means(challenge: Challenge) -> dict[int, float | None]:
    """{application id: its trimmed mean in the list's 答辩 round} for the shortlisted applications still
    under review (None: no score yet)."""
    from kechuang.review.models import Round

    rnd = Round.objects.filter(pk=challenge.defence_round_id).first() if challenge.defence_round_id else None
    if rnd is None:
        return {}
    return {
        subj.pk: getattr(res, "trimmed_mean", None)
        for subj, res in review_selectors.round_ranking(round=rnd)
        if isinstance(subj, Application) and subj.status == "under_review"
    }


def objections_open(challenge: Challenge) -> int:
    """How many objections to the challenge's proposed award wait for an answer."""
    return Objection.objects.filter(publicity__challenge=challenge, status=Objection.Status.OPEN).count()


def objections_open_for(application: Application) -> int:
    """How many objections against this application wait for an answer."""
    return Objection.objects.filter(application=application, status=Objection.Status.OPEN).count()


def publicity_list_public() -> QuerySet[Challenge]:
    """Challenges with a publicity notice, for the public award-results page."""
    return (
        Challenge.objects.filter(publicity__isnull=False)
        .select_related("publicity", "topic")
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.filter(status__in=["proposed", "awarded"]).select_related(
                    "unit", "leader"
                ),
                to_attr="winners",
            )
        )
        .order_by("-publicity__starts_on", "-pk")
    )


# Contracts and tracking -------------------------------------------------------------------------------


def contract_list(*, user, status: str = "", flagged: bool = False, q: str = "") -> QuerySet[Contract]:
    """Projects the user may see, with unit, leader, commissioner and their milestone flags counted; `q`: those
    whose name, number, unit (either language) or leader holds the words."""
    qs = (
        permissions.contracts_visible_to(user)
        .select_related("challenge", "unit", "leader", "commissioner")
        .annotate(
            overdue_count=Count("milestones", filter=Q(milestones__flag="overdue"), distinct=True),
            at_risk_count=Count("milestones", filter=Q(milestones__flag="at_risk"), distinct=True),
            verified_count=Count("milestones", filter=Q(milestones__status="verified"), distinct=True),
            milestone_count=Count("milestones", distinct=True),
        )
    )
    if status:
        qs = qs.filter(status=status)
    if flagged:
        qs = qs.filter(Q(overdue_count__gt=0) | Q(at_risk_count__gt=0))
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(code__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(unit__name_en__icontains=q)
            | Q(leader__full_name__icontains=q)
        )
    return qs.order_by("challenge__code", "code")


def _contract_query(pk):
    return Contract.objects.select_related(
        "challenge__programme_version",
        "unit",
        "leader",
        "commissioner",
        "application",
        "acceptance__form_version",
        "performance__form_version",
        "merged_into",
    ).filter(pk=pk)


# the project with what its page shows: the SQL of its nine-table join and of its eight lists of rows built
# once per process (#19); each list as prefetch_related would leave it
_CONTRACT = CompiledOne(_contract_query)
_CONTRACT_INDICATORS = CompiledRows(lambda pk: ContractIndicator.objects.filter(contract_id=pk))
_CONTRACT_MILESTONES = CompiledRows(lambda pk: Milestone.objects.filter(contract_id=pk))
_CONTRACT_VALUES = CompiledRows(
    lambda pk: MilestoneValue.objects.filter(milestone__contract_id=pk).select_related("indicator")
)
_CONTRACT_CHANGES = CompiledRows(lambda pk: ChangeRequest.objects.filter(contract_id=pk))
_CONTRACT_MIDTERMS = CompiledRows(
    lambda pk: MidtermCheck.objects.filter(contract_id=pk).select_related("form_version")
)
_CONTRACT_RESULTS = CompiledRows(lambda pk: Result.objects.filter(contract_id=pk))
_CONTRACT_TRANSFERS = CompiledRows(lambda pk: Transfer.objects.filter(result__contract_id=pk))
_CONTRACT_ITEMS = CompiledRows(
    lambda pk: AcceptanceItem.objects.filter(acceptance__contract_id=pk).select_related("indicator")
)


def _contract_lists(c: Contract) -> None:
    """contract_get's prefetches: indicators, milestones with their values, change requests, mid-term
    checks, results with their transfers, the acceptance's items (a list's query only when it has parents,
    as prefetch_related)."""
    set_prefetched([c], "indicators", _CONTRACT_INDICATORS.rows(c.pk), key="contract_id")
    milestones = _CONTRACT_MILESTONES.rows(c.pk)
    set_prefetched([c], "milestones", milestones, key="contract_id")
    if milestones:
        set_prefetched(milestones, "values", _CONTRACT_VALUES.rows(c.pk), key="milestone_id")
    set_prefetched([c], "change_requests", _CONTRACT_CHANGES.rows(c.pk), key="contract_id")
    set_prefetched([c], "midterm_checks", _CONTRACT_MIDTERMS.rows(c.pk), key="contract_id")
    results = _CONTRACT_RESULTS.rows(c.pk)
    set_prefetched([c], "results", results, key="contract_id")
    if results:
        set_prefetched(results, "transfers", _CONTRACT_TRANSFERS.rows(c.pk), key="result_id")
    acceptance = getattr(c, "acceptance", None)
    if acceptance is not None:
        set_prefetched([acceptance], "items", _CONTRACT_ITEMS.rows(c.pk), key="acceptance_id")


def contract_get(*, pk: int, user) -> Contract:
    """One project the user may see, with everything its page shows (DoesNotExist when it is not visible:
    `can_view_contract`, contracts_visible_to's rules on the loaded row)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Contract.DoesNotExist("no such project") from None
    contract = _CONTRACT.get(pk)
    if not permissions.can_view_contract(user, contract):
        raise Contract.DoesNotExist("no such project")
    _contract_lists(contract)
    return contract


def milestone_flags(milestone: Milestone, today: datetime.date) -> str:
    """The flag a milestone deserves today: overdue, at risk, or none. Pure."""
    if milestone.status != MilestoneStatus.TARGET:
        return ""
    if milestone.due_date < today:
        return "overdue"
    if (milestone.due_date - today).days <= AT_RISK_DAYS:
        return "at_risk"
    return ""


def milestones_flagged(*, user=None, flag: str = "") -> QuerySet[Milestone]:
    """Flagged milestones of running projects the user may see (for dashboards)."""
    qs = Milestone.objects.filter(contract__status=ContractStatus.IN_PROGRESS).exclude(flag="")
    if user is not None:
        qs = qs.filter(contract__in=permissions.contracts_visible_to(user))
    if flag:
        qs = qs.filter(flag=flag)
    return qs.select_related("contract", "contract__unit", "contract__commissioner").order_by("due_date")


def indicator_progress(contract: Contract) -> list[dict]:
    """For each contracted indicator: baseline, target, the latest verified value and progress in [0, 1].

    Progress is (value - baseline) / (target - baseline), clipped to [0, 1]; without a baseline, value / target.
    """
    latest: dict[int, Decimal] = {}
    if "milestones" in getattr(contract, "_prefetched_objects_cache", {}):
        # contract_get loaded the milestones with their values: the same answer without a query (#19)
        verified = sorted(
            (m for m in contract.milestones.all() if m.status == MilestoneStatus.VERIFIED),
            key=lambda m: (m.due_date, m.seq, m.pk),
        )
        values = [v for m in verified for v in m.values.all() if v.reported is not None]
    else:
        values = (
            MilestoneValue.objects.filter(
                milestone__contract=contract, milestone__status=MilestoneStatus.VERIFIED
            )
            .exclude(reported__isnull=True)
            .order_by("milestone__due_date", "milestone__seq", "milestone_id")
        )
    for v in values:
        latest[v.indicator_id] = v.reported
    rows = []
    for ind in contract.indicators.all():
        value = latest.get(ind.pk)
        rows.append(
            {"indicator": ind, "value": value, "progress": progress_ratio(ind.baseline, ind.target, value)}
        )
    return rows


def progress_ratio(baseline, target, value) -> float:
    """How far `value` has moved from `baseline` towards `target`, clipped to [0, 1]. Pure."""
    if value is None:
        return 0.0
    base = baseline if baseline is not None else Decimal(0)
    span = Decimal(target) - Decimal(base)
    if span == 0:
        return 1.0 if value == target else 0.0
    return float(max(Decimal(0), min(Decimal(1), (Decimal(value) - Decimal(base)) / span)))


def results_public_list(*, kind: str = "") -> QuerySet[Result]:
    """Public results with their project and transfers."""
    qs = permissions.results_public().select_related("contract", "contract__unit", "contract__challenge")
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.prefetch_related("transfers")
        .annotate(transfer_total=Sum("transfers__amount"))
        .order_by("-achieved_on", "id")
    )


def challenge_stats(*, user) -> dict:
    """Counts of the challenges the user may see, by track (rows) and status (series), for the list's chart."""
    rows = (
        permissions.challenges_visible_to(user)
        .values("topic__track", "status")
        .annotate(n=Count("pk"))
        .order_by("topic__track", "status")
    )
    tracks = [t for t, _label in Topic.Track.choices]
    labels = dict(Topic.Track.choices)
    statuses = [s for s in ChallengeStatus.values if any(r["status"] == s for r in rows)]
    status_labels = dict(ChallengeStatus.choices)
    table = {(r["topic__track"], r["status"]): r["n"] for r in rows}
    return {
        "tracks": [str(labels[t]) for t in tracks],
        "series": [
            {"name": str(status_labels[s]), "data": [table.get((t, s), 0) for t in tracks]} for s in statuses
        ],
    }


def earlier_reports(milestone) -> list[dict]:
    """The earlier submissions of a milestone's yearly report (sent back and reported again), oldest first,
    each shown with its own form version for ever (issue #18): [{"reported_at", "report", "version",
    "rows"}], `rows` as programme.report_extra_rows. A file of a field a later version dropped stays stored
    and linked; one replaced by a later upload to the same field is named without a link."""
    from kechuang.core.audit import AuditEvent
    from kechuang.programmes.models import FormVersion

    from . import programme
    from .models import ReportFile

    events = [
        e.before["submission"]
        for e in AuditEvent.objects.for_object(milestone).filter(action="milestone.values").order_by("pk")
        if isinstance(e.before, dict) and isinstance(e.before.get("submission"), dict)
    ]
    if not events:
        return []
    versions = FormVersion.objects.in_bulk({e.get("form_version") for e in events} - {None})
    ids = {
        v["file"]
        for e in events
        for v in (e.get("extra") or {}).values()
        if isinstance(v, dict) and v.get("file")
    }
    stored = set(
        ReportFile.objects.filter(pk__in=ids, contract_id=milestone.contract_id).values_list("pk", flat=True)
    )
    out = []
    for e in events:
        version = versions.get(e.get("form_version"))
        rows = programme.report_extra_rows(version, programme.YEARLY_REPORT, e.get("extra") or {})
        for row in rows:
            value = (e.get("extra") or {}).get(row["key"])
            if row.get("url") and not (isinstance(value, dict) and value.get("file") in stored):
                row.pop("url")
                row["replaced"] = True
        out.append(
            {
                "reported_at": parse_datetime(e["reported_at"]) if e.get("reported_at") else None,
                "report": e.get("report") or "",
                "version": version,
                "rows": rows,
            }
        )
    return out


def next_challenge_code(year: int) -> str:
    """The next free challenge code of `year`, in the series the department's latest challenge follows
    (JB-2025-009 → JB-2026-001 in a new year, JB-2026-010 after JB-2026-009): its prefix with `year` in place
    of its year, one above the highest number of that year, as many digits as it has; JB-<year>-001 before
    any challenge. What the new-challenge form proposes (people38: staff typed a code into an empty field)."""
    import re

    from .models import Challenge

    codes = list(Challenge.objects.order_by("-created_at", "-pk").values_list("code", flat=True))  # one query
    m = re.match(r"^(.*?)(\d{4})(\D+)(\d+)$", codes[0] if codes else "")
    prefix, width = (f"{m.group(1)}{year}{m.group(3)}", len(m.group(4))) if m else (f"JB-{year}-", 3)
    taken = [c for c in codes if c.startswith(prefix)]
    numbers = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdecimal()]
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"
