"""The permission matrix: every URL pattern × every role × method, with the expected outcome.

The URL patterns are walked from `django.urls.get_resolver()` (API routes included), so a new endpoint
without an entry in `MATRIX` below fails `test_every_url_has_an_entry`, naming the pattern and the place to
add it. Each entry says how to fill the pattern's arguments from one shared scenario world (built once per
module from the apps' factories and services) and what each role gets for a GET and, on the endpoints that
change state, what each refused role gets for a write — a refusal must also change nothing (no new audit
event, the target row unchanged).

How to add an entry, and what each outcome means: docs/security.md, "Permission matrix".
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Roles ------------------------------------------------------------------------------------------------

ROLES = (
    "anonymous",
    "applicant",  # a unit user of the unit that applied (unit A)
    "applicant_other",  # a unit user of another unit (unit B)
    "expert_assigned",  # assigned to review unit A's application
    "expert_unassigned",  # in the pool, not assigned to it
    "expert_declared",  # was assigned, then declared a conflict of interest (declined)
    "expert_detected",  # works at unit A: a conflict the rules detect, so never assigned
    "commissioner",  # commissioner of unit A's project
    "commissioner_other",  # commissioner of another project
    "operator",  # operator of the (unpublished) platform P
    "staff",  # department staff
)
EXPERTS = ("expert_assigned", "expert_unassigned", "expert_declared", "expert_detected")


pytestmark = pytest.mark.slow  # scheduled first: tools/runtests.py, conftest


# Outcomes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a role gets: a status code, and for some the kind of redirect or what the page must hold."""

    status: int
    label: str
    login: str = ""  # a redirect to this sign-in page
    secret: bool | None = None  # True: the entry's secret text is in the answer; False: it is absent

    def __repr__(self) -> str:
        return self.label


OK = Outcome(200, "200")
SEES = Outcome(200, "200 showing the secret", secret=True)
BLIND = Outcome(200, "200 without the secret", secret=False)
CREATED = Outcome(201, "201")
MOVED = Outcome(302, "302 (not to sign in)")
# The lifecycle's table refuses this action to this role, which may otherwise act on the object: a page
# sends it back to the object with the reason as a message, the API answers 409 with the reason.
REASON = Outcome(302, "302 back with the reason")
CONFLICT = Outcome(409, "409 with the reason")
# The same refusal on a page with forms on it (a project's money): the page itself again, 400, with the
# reason and what was typed (issue #13.4).
SHOWN = Outcome(400, "400 on the page with the reason")
LOGIN = Outcome(302, "302 to sign in", login="/accounts/login/")
ADMIN_LOGIN = Outcome(302, "302 to the admin sign-in", login="/admin/login/")
UNAUTHORISED = Outcome(401, "401")
DENIED = Outcome(403, "403")
HIDDEN = Outcome(404, "404")
NOT_ALLOWED = Outcome(405, "405")
GATE = Outcome(0, "the sign-in gate")  # LOGIN for a page, UNAUTHORISED for the API
ALLOWED = Outcome(0, "allowed (write not tried)")  # a role that may write: not part of the refusal check
REFUSALS = {302, 400, 401, 403, 404, 405, 409}

GROUPS = {
    "applicants": ("applicant", "applicant_other"),
    "experts": EXPERTS,
    "commissioners": ("commissioner", "commissioner_other"),
}


def by(default: Outcome, **roles: Outcome) -> dict[str, Outcome]:
    """An outcome for every role: `default`, except the roles (or groups: applicants, experts,
    commissioners) named. Later keywords win over the groups they refine."""
    out = dict.fromkeys(ROLES, default)
    for name, outcome in roles.items():
        for role in GROUPS.get(name, (name,)):
            assert role in ROLES, f"unknown role {role!r}"
            out[role] = outcome
    for name, outcome in roles.items():  # a single role named beside its group wins
        if name in ROLES:
            out[name] = outcome
    return out


PUBLIC = by(OK)
SIGNED_IN = by(OK, anonymous=GATE)
STAFF = by(DENIED, anonymous=GATE, staff=OK)
STAFF_WRITES = by(DENIED, anonymous=GATE, staff=ALLOWED)
POST_ONLY_STAFF = by(DENIED, anonymous=GATE, staff=NOT_ALLOWED)  # GET on a staff-only POST endpoint
INSIDE = by(DENIED, anonymous=GATE, commissioners=OK, staff=OK)  # staff and commissioners read


@dataclass
class Entry:
    """One URL name (or a variant of it): how to fill its arguments, and what each role gets."""

    name: str
    kwargs: Callable = lambda w: {}
    get: dict = field(default_factory=dict)  # role → Outcome for GET
    writes: dict = field(default_factory=dict)  # method → (role → Outcome); only refusals are tried
    data: Callable = lambda w: {}  # the body of a write: what an allowed role would send
    # The keys of `data` that say which step or which object a write is about: all a role refused by who it
    # is gets sent (see BARE below).
    routes: tuple = ("action",)
    target: Callable | None = None  # the row a refused write must leave unchanged
    secret: Callable | None = None  # text that SEES/BLIND look for in the answer
    variant: str = ""
    query: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def E(name, kwargs=None, get=None, variant="", **rest) -> Entry:
    return Entry(name=name, kwargs=kwargs or (lambda w: {}), get=get or {}, variant=variant, **rest)


def post(outcomes: dict) -> dict:
    return {"POST": outcomes}


# The scenario world -----------------------------------------------------------------------------------


def build_world() -> SimpleNamespace:
    """One small province holding, for every URL argument, an object whose visibility differs by role."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from kechuang.accounts.services import roles_sync, token_issue, unit_change_request_create
    from kechuang.accounts.tests.factories import UnitFactory, UserFactory
    from kechuang.challenges import services as ch
    from kechuang.challenges.models import (
        Application,
        Attachment,
        ChangeRequest,
        PreApplication,
        ReportFile,
        Result,
        Transfer,
    )
    from kechuang.challenges.tests.factories import (
        ApplicationFactory,
        ChallengeFactory,
        ContractFactory,
        NeedFactory,
        TopicFactory,
    )
    from kechuang.core.models import Job
    from kechuang.core.roles import Role
    from kechuang.evaluation import scoring
    from kechuang.evaluation import services as ev
    from kechuang.evaluation.models import Computation
    from kechuang.evaluation.tests.factories import CampaignFactory, EntryFactory
    from kechuang.funds import services as fu
    from kechuang.funds.models import BudgetAdjustment, FinalAccount, Payment
    from kechuang.indicators.models import IndexRun
    from kechuang.indicators.tests.factories import (
        FrameworkFactory,
        IndicatorFactory,
        RegionFactory,
        TargetFactory,
        ValueFactory,
    )
    from kechuang.ingest.models import Change
    from kechuang.ingest.tests.factories import DocumentFactory, FactFactory
    from kechuang.platforms import services as pl
    from kechuang.platforms.models import Achievement
    from kechuang.platforms.tests.factories import MembershipFactory, PlatformFactory, YearlyReportFactory
    from kechuang.review import services as rv
    from kechuang.review.models import Assignment, ExpertProfile, ReviewFile
    from kechuang.review.selectors import conflicts_for
    from kechuang.review.tests.factories import ExpertProfileFactory
    from kechuang.techmap.tests.factories import ChainFactory, CoverageFactory, LinkFactory, TechnologyFactory

    roles_sync()
    w = SimpleNamespace()
    w.unit_a, w.unit_b = UnitFactory(name="甲单位"), UnitFactory(name="乙单位")
    w.unit_pending = UnitFactory(name="待核验单位", status="pending")
    u = {
        "applicant": UserFactory(roles=[Role.APPLICANT], unit=w.unit_a),
        "applicant_other": UserFactory(roles=[Role.APPLICANT], unit=w.unit_b),
        "commissioner": UserFactory(roles=[Role.COMMISSIONER]),
        "commissioner_other": UserFactory(roles=[Role.COMMISSIONER]),
        "operator": UserFactory(roles=[Role.OPERATOR]),
        "staff": UserFactory(roles=[Role.STAFF]),
    }
    for name in EXPERTS:
        u[name] = ExpertProfileFactory().user
    detected = u["expert_detected"]
    get_user_model().objects.filter(pk=detected.pk).update(unit=w.unit_a)
    detected.unit = w.unit_a
    w.users = u
    staff = u["staff"]
    # a unit's registration whose address is not confirmed yet (staff resend its link or withdraw it)
    w.registrant = UserFactory(
        roles=[Role.APPLICANT],
        unit=UnitFactory(name="注册中单位", status="pending"),
        is_active=False,
        email_unconfirmed=True,
    )
    # a second registration for its address, kept apart (§28; staff resend its link or void it, §30)
    from kechuang.accounts.models import RegistrationClaim

    w.registration_claim = RegistrationClaim.objects.create(
        email=w.registrant.email, full_name="另一注册人", password="!", unit_fields={"name": "另一注册单位"}
    )

    # Programmes as data (#18): the 省重点研发计划 definition imported (its forms published), a call at its
    # pre-application where unit A's user submitted (with a file), a second published version to move the
    # call to, and a draft form version and a draft programme version to edit. Made before the challenge
    # projects below: unit A's user leads two of them, and running 揭榜挂帅 projects count towards the
    # pre-application's limit of two projects in flight.
    from kechuang.programmes import definitions as pg_definitions
    from kechuang.programmes import services as pg
    from kechuang.programmes import transfer as pg_transfer
    from kechuang.programmes.fieldkinds import build_form
    from kechuang.programmes.models import FormVersion, SubmissionFile

    w.pg_version = pg_transfer.import_programme(
        actor=u["staff"], raw=pg_definitions.read("provincial_rd.json")
    )
    w.pg_form = FormVersion.objects.get(pk=w.pg_version.stages[1]["form"])
    w.pg_call = pg.call_advance(
        actor=u["staff"],
        call=pg.call_open(actor=u["staff"], version=w.pg_version, title="矩阵申报批次", year=2027),
    )
    w.pg_submission = pg.submission_create(
        actor=u["applicant"],
        version=w.pg_form,
        form=build_form(w.pg_form.fields, data={"f1": "矩阵填报项目", "f2": "高等院校", "f4": "摘要"}),
        call=w.pg_call,
    )
    w.pg_file = SubmissionFile.objects.create(
        submission=w.pg_submission, key="f9", file=ContentFile(b"%PDF-1.4\n", name="m.pdf"), name="m.pdf"
    )
    # A second call at its 形式审查, unit A's formal application returned for correction (补正).
    from django.utils import timezone

    from kechuang.programmes.models import FormalCheck, Submission

    w.pg_formal_call = pg.call_open(actor=u["staff"], version=w.pg_version, title="矩阵形式审查", year=2027)
    while w.pg_formal_call.stage["kind"] != "application":
        w.pg_formal_call = pg.call_advance(actor=u["staff"], call=w.pg_formal_call)
    w.pg_formal_sub = Submission.objects.create(
        version=FormVersion.objects.get(pk=w.pg_formal_call.stage["form"]),
        call=w.pg_formal_call,
        stage_key=w.pg_formal_call.stage_key,
        submitted_by=u["applicant"],
        data={"f1": "矩阵正式申报"},
    )
    w.pg_formal_call = pg.call_advance(actor=u["staff"], call=w.pg_formal_call)
    w.pg_formal_check = FormalCheck.objects.create(
        call=w.pg_formal_call,
        stage_key=w.pg_formal_call.stage_key,
        applicant=u["applicant"],
        submission=w.pg_formal_sub,
        status="returned",
        reason="矩阵补正理由",
        correct_by=timezone.localdate() + datetime.timedelta(days=30),
    )
    # A third call at its 立项决定, unit A's formal application passed the 形式审查 and undecided (the earlier
    # stages taken as done: the call is moved to the decision stage directly).
    from kechuang.programmes.models import Call as PgCall

    w.pg_award_call = pg.call_open(actor=u["staff"], version=w.pg_version, title="矩阵立项", year=2027)
    while w.pg_award_call.stage["kind"] != "application":
        w.pg_award_call = pg.call_advance(actor=u["staff"], call=w.pg_award_call)
    w.pg_award_sub = Submission.objects.create(
        version=FormVersion.objects.get(pk=w.pg_award_call.stage["form"]),
        call=w.pg_award_call,
        stage_key=w.pg_award_call.stage_key,
        submitted_by=u["applicant"],
        data={"f1": "矩阵待立项"},
    )
    pg_stages = w.pg_version.stages
    FormalCheck.objects.create(
        call=w.pg_award_call,
        stage_key=next(s["key"] for s in pg_stages if s["kind"] == "formal_check"),
        applicant=u["applicant"],
        submission=w.pg_award_sub,
        status="passed",
    )
    # … and shortlisted for the 答辩 that follows the 函评 (only the shortlisted are decided)
    from kechuang.programmes.models import ShortlistDecision

    defence_key = next(s["key"] for s in pg_stages if s["kind"] == "panel_review")
    ShortlistDecision.objects.create(
        call=w.pg_award_call,
        stage_key=defence_key,
        applicant=u["applicant"],
        submission=w.pg_award_sub,
        status="shortlisted",
    )
    PgCall.objects.filter(pk=w.pg_award_call.pk).update(
        stage_key=next(s["key"] for s in pg_stages if s["kind"] == "decision")
    )
    w.pg_award_call.refresh_from_db()
    # A fourth call at its 答辩 after the 函评, unit A's formal application passed and not yet shortlisted.
    w.pg_short_call = pg.call_open(actor=u["staff"], version=w.pg_version, title="矩阵答辩", year=2027)
    while w.pg_short_call.stage["kind"] != "application":
        w.pg_short_call = pg.call_advance(actor=u["staff"], call=w.pg_short_call)
    w.pg_short_sub = Submission.objects.create(
        version=FormVersion.objects.get(pk=w.pg_short_call.stage["form"]),
        call=w.pg_short_call,
        stage_key=w.pg_short_call.stage_key,
        submitted_by=u["applicant"],
        data={"f1": "矩阵待入围"},
    )
    FormalCheck.objects.create(
        call=w.pg_short_call,
        stage_key=next(s["key"] for s in pg_stages if s["kind"] == "formal_check"),
        applicant=u["applicant"],
        submission=w.pg_short_sub,
        status="passed",
    )
    PgCall.objects.filter(pk=w.pg_short_call.pk).update(stage_key=defence_key)
    w.pg_short_call.refresh_from_db()
    # A fourth call at its 公示, unit A's formal application passed and listed; unit B's user lodged a real-name
    # objection (with a file) that staff have not answered.
    from kechuang.programmes.models import Objection, ObjectionFile

    w.pg_pub_call = pg.call_open(actor=u["staff"], version=w.pg_version, title="矩阵公示", year=2027)
    while w.pg_pub_call.stage["kind"] != "application":
        w.pg_pub_call = pg.call_advance(actor=u["staff"], call=w.pg_pub_call)
    w.pg_pub_sub = Submission.objects.create(
        version=FormVersion.objects.get(pk=w.pg_pub_call.stage["form"]),
        call=w.pg_pub_call,
        stage_key=w.pg_pub_call.stage_key,
        submitted_by=u["applicant"],
        data={"f1": "矩阵公示项目"},
    )
    FormalCheck.objects.create(
        call=w.pg_pub_call,
        stage_key=next(s["key"] for s in pg_stages if s["kind"] == "formal_check"),
        applicant=u["applicant"],
        submission=w.pg_pub_sub,
        status="passed",
    )
    ShortlistDecision.objects.create(
        call=w.pg_pub_call,
        stage_key=defence_key,
        applicant=u["applicant"],
        submission=w.pg_pub_sub,
        status="shortlisted",
    )
    pub_key = next(s["key"] for s in pg_stages if s["kind"] == "publicity")
    PgCall.objects.filter(pk=w.pg_pub_call.pk).update(
        stage_key=pub_key,
        stage_opened_on=timezone.localdate(),
        stage_closes_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    w.pg_pub_call.refresh_from_db()
    w.pg_objection = Objection.objects.create(
        call=w.pg_pub_call,
        stage_key=pub_key,
        applicant=u["applicant"],
        submission=w.pg_pub_sub,
        lodged_by=u["applicant_other"],
        reason="矩阵异议理由",
    )
    w.pg_objection_file = ObjectionFile.objects.create(
        objection=w.pg_objection,
        file=ContentFile(b"%PDF-1.4\n", name="o.pdf"),
        original_name="o.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    Objection.objects.filter(pk=w.pg_objection.pk).update(
        evidence={"file": {"name": "o.pdf", "file": w.pg_objection_file.pk}}
    )
    w.pg_objector = u["applicant_other"]
    w.pg_version_2 = pg.programme_version_new(actor=u["staff"], programme=w.pg_version.programme)
    pg.programme_version_publish(actor=u["staff"], version=w.pg_version_2)
    w.pg_draft = pg.programme_version_new(actor=u["staff"], programme=w.pg_version.programme)
    w.pg_draft_form = pg.form_version_new(actor=u["staff"], definition=w.pg_form.definition)

    # Challenges: a draft call, an open call with unit A's draft application, a closed call under review,
    # a call in publicity with an objection, and two running projects (one per commissioner).
    w.need = NeedFactory(unit=w.unit_a)
    w.topic = TopicFactory()
    w.ch_draft = ChallengeFactory(topic=w.topic)
    w.ch_open = ChallengeFactory(published=True)
    w.app_draft = ApplicationFactory(challenge=w.ch_open, unit=w.unit_a, leader=u["applicant"])
    w.attachment = Attachment.objects.create(
        application=w.app_draft,
        file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=13,
        sha256="0" * 64,
        uploaded_by=u["applicant"],
    )
    # a list whose version has a pre-application stage (预申报, issue #18), with unit A's pre-application
    w.ch_pre = ChallengeFactory(published=True, programme_version=w.pg_version)
    w.pre = PreApplication.objects.create(
        challenge=w.ch_pre,
        unit=w.unit_a,
        leader=u["applicant"],
        form_version=w.pg_form,
        values={"f1": "甲单位预申报简介"},
        status="submitted",
    )
    w.ch_review = ChallengeFactory(closed=True)
    w.app = ApplicationFactory(
        challenge=w.ch_review, unit=w.unit_a, leader=u["applicant"], status=Application.Status.FORMAL_PASSED
    )
    w.app_attachment = Attachment.objects.create(
        application=w.app,
        file=ContentFile(b"%PDF-1.4 plan under review", name="plan-review.pdf"),
        original_name="plan-review.pdf",
        content_type="application/pdf",
        size=26,
        sha256="1" * 64,
        uploaded_by=u["applicant"],
    )
    w.app_rival = ApplicationFactory(
        challenge=w.ch_review,
        unit=w.unit_b,
        leader=u["applicant_other"],
        status=Application.Status.FORMAL_PASSED,
    )
    experts = ExpertProfile.objects.filter(user__in=[u[n] for n in EXPERTS])
    w.round = ch.review_round_start(actor=staff, challenge=w.ch_review, k=1, experts=experts)
    for name in ("expert_assigned", "expert_declared"):
        rv.assignment_create_manual(
            actor=staff, round=w.round, subject=w.app, expert=u[name], reason="矩阵测试"
        )
    rv.round_transition(actor=staff, round=w.round, action="assign")
    rv.round_transition(actor=staff, round=w.round, action="start")
    w.assignment = Assignment.objects.get(round=w.round, expert=u["expert_assigned"])
    w.review = w.assignment.review
    w.review_declined = Assignment.objects.get(round=w.round, expert=u["expert_declared"]).review
    rv.review_decline(actor=u["expert_declared"], review=w.review_declined, reason="曾与申报单位合作")
    # a file answering a file field of the review's sheet (issue #18): its expert and staff only
    w.review_file = ReviewFile.objects.create(
        review=w.review,
        key="f9",
        file=ContentFile(b"%PDF-1.4 expert notes", name="notes.pdf"),
        original_name="notes.pdf",
        content_type="application/pdf",
        size=21,
        sha256="3" * 64,
        uploaded_by=u["expert_assigned"],
    )
    assert conflicts_for(subject=w.app, expert=detected, round=w.round), "unit A's expert must be conflicted"

    w.ch_pub = ChallengeFactory(closed=True)
    w.app_pub = ApplicationFactory(
        challenge=w.ch_pub, unit=w.unit_b, leader=u["applicant_other"], status=Application.Status.UNDER_REVIEW
    )
    ch.decision_publish(actor=staff, challenge=w.ch_pub, winners=[w.app_pub])
    w.objection = ch.objection_lodge(actor=u["applicant"], application=w.app_pub, text="资质存疑")

    w.contract = ContractFactory(
        running=True,
        application__unit=w.unit_a,
        application__leader=u["applicant"],
        commissioner=u["commissioner"],
    )
    w.contract_other = ContractFactory(
        running=True,
        application__unit=w.unit_b,
        application__leader=u["applicant_other"],
        commissioner=u["commissioner_other"],
    )
    w.contract_draft = ContractFactory(
        application__unit=w.unit_a, application__leader=u["applicant"], commissioner=u["commissioner"]
    )
    w.milestone = w.contract.milestones.get(seq=1)
    # a file answering a report form's file field (issue #18): the project's unit, commissioner and staff
    w.report_file = ReportFile.objects.create(
        contract=w.contract,
        report="yearly_report",
        key="f9",
        file=ContentFile(b"%PDF-1.4 yearly audit", name="audit.pdf"),
        original_name="audit.pdf",
        content_type="application/pdf",
        size=21,
        sha256="2" * 64,
        uploaded_by=u["applicant"],
    )
    w.change = ChangeRequest.objects.create(
        contract=w.contract,
        kind="budget",
        reason="设备涨价",
        payload={"budget": "700"},
        requested_by=u["applicant"],
    )
    w.result = Result.objects.create(
        contract=w.contract,
        kind=Result.Kind.choices[0][0],
        title="未公开的成果",
        achieved_on=datetime.date(2026, 6, 1),
        recorded_by=u["applicant"],
    )
    w.transfer = Transfer.objects.create(
        result=w.result,
        kind=Transfer.Kind.choices[0][0],
        counterparty="某公司",
        amount=Decimal("10"),
        transferred_on=datetime.date(2026, 7, 1),
        recorded_by=u["applicant"],
    )
    from kechuang.registry import services as rg

    w.registration = rg.registration_create(
        actor=u["applicant"],
        result=w.result,
        units=[w.unit_a],
        people=[u["applicant"]],
        name="矩阵成果登记",
        category="applied",
        evaluation="acceptance",
        stage="mature",
        industry="C",
        keywords="碳化硅",
        summary="简介",
    )
    w.tech_contract = rg.contract_create(
        actor=u["applicant"],
        seller=w.unit_a,
        buyer=UnitFactory(name="丙单位"),
        title="矩阵技术合同",
        kind="licence",
        field="materials",
        amount=Decimal("10"),
        tech_amount=Decimal("8"),
        signed_on=datetime.date(2026, 7, 1),
    )

    # Funds: unit A's project's ledger (planned tranches; the first with a voucher on file), a budget
    # adjustment it asked for and its final accounts in draft.
    fu.ledger_open(actor=staff, contract=w.contract)
    w.payment = Payment.objects.get(contract=w.contract, milestone=w.milestone)
    w.payment.voucher.save("拨付凭证.pdf", ContentFile(b"%PDF-1.4 voucher"), save=False)
    w.payment.voucher_name = "拨付凭证.pdf"
    w.payment.save()
    w.adjustment = BudgetAdjustment.objects.create(
        contract=w.contract,
        source="business",
        target="equipment",
        amount=Decimal("1"),
        reason="涨价",
        requested_by=u["applicant"],
    )
    w.final_account = FinalAccount.objects.create(contract=w.contract)

    # Documents: an issued 任务书 of unit A's project (its bytes stand in for the PDF: downloads serve
    # the stored file whatever it holds) and a built archive of the same project.
    from kechuang.documents.models import DocumentKind, OfficialDocument, ProjectArchive
    from kechuang.documents.services import new_code

    pdf_bytes = b"%PDF-1.4 task book"
    w.official = OfficialDocument(
        contract=w.contract,
        kind=DocumentKind.CONTRACT,
        title="项目任务书",
        code=new_code(),
        sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        size=len(pdf_bytes),
        issued_by=staff,
    )
    w.official.file.save("任务书.pdf", ContentFile(pdf_bytes), save=False)
    w.official.save()
    w.archive = ProjectArchive(contract=w.contract, sha256="0" * 64, size=2, entries=1, built_by=staff)
    w.archive.file.save("档案.zip", ContentFile(b"PK"), save=False)
    w.archive.save()

    # Platforms: a published one, and an unpublished one run by the operator with a member and a report.
    w.platform_pub = PlatformFactory()
    w.platform = PlatformFactory(unpublished=True, host=w.unit_a)
    pl.operator_assign(actor=staff, platform=w.platform, user=u["operator"])
    w.membership = MembershipFactory(platform=w.platform)
    w.report = YearlyReportFactory(platform=w.platform)
    w.achievement = Achievement.objects.create(
        platform=w.platform,
        kind=Achievement.Kind.OTHER,
        title="未公开平台的成果",
        year=2024,
        evidence_file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"),
    )
    w.reorganisation = pl.reorganisation_create(
        actor=staff, kind="retire", date=datetime.date(2024, 1, 1), sources=[PlatformFactory()]
    )

    # Evaluation: a draft campaign (internal) with one indicator and one entry, and a stored computation.
    w.campaign = CampaignFactory()
    w.node = ev.node_add(actor=staff, campaign=w.campaign, code="A", name="创新能力", weight=1, rule="expert")
    w.entry = EntryFactory(campaign=w.campaign, platform=w.platform_pub)
    inputs = ev.campaign_inputs(w.campaign)
    outputs = scoring.evaluate(inputs)
    w.computation = Computation.objects.create(
        campaign=w.campaign, method=outputs["method"], inputs=inputs, outputs=outputs, created_by=staff
    )

    # Technology map: an unpublished chain with a bottleneck technology covered by unit A's project.
    w.chain = ChainFactory(draft=True)
    w.link = LinkFactory(chain=w.chain)
    w.technology = TechnologyFactory(link=w.link, bottleneck=True)
    w.coverage = CoverageFactory(technology=w.technology, target=w.contract)
    w.chain_pub = ChainFactory()

    # Indicators: an unpublished indicator with a value and a target, a published one, a framework and an
    # internal index run.
    region = RegionFactory()
    w.indicator = IndicatorFactory(code="MX01")
    w.indicator_pub = IndicatorFactory(code="MX02", public=True)
    w.value = ValueFactory(indicator=w.indicator, region=region)
    ValueFactory(indicator=w.indicator_pub, region=region)
    w.target = TargetFactory(indicator=w.indicator, region=region)
    w.framework = FrameworkFactory()
    w.run = IndexRun.objects.create(
        framework=w.framework,
        framework_code=w.framework.code,
        edition=w.framework.edition,
        spec=w.framework.spec,
        public=False,
        started_by=staff,
    )

    # Report ingestion: one document with a fact and a repair change.
    w.document = DocumentFactory()
    w.fact = FactFactory(document=w.document)
    w.ingest_change = Change.objects.create(
        document=w.document,
        seq=1,
        step="punct",
        orig_start=0,
        orig_end=1,
        rep_start=0,
        rep_end=1,
        before=",",
        after="，",
    )

    # The open data's bulk download, built from the world's public records.
    from kechuang.documents.opendata import opendata_build

    w.opendata = opendata_build()

    # A job started by the applicant.
    w.job = Job.objects.create(kind="matrix.test", title="矩阵测试任务", started_by=u["applicant"])
    w.ct_contract = ContentType.objects.get_for_model(w.contract)

    # Unit A's user asks to change a verified field; the same user's spare API token.
    w.unit_change = unit_change_request_create(
        actor=u["applicant"], unit=w.unit_a, changes={"city": "长治"}, reason="搬迁"
    )
    w.token_spare = token_issue(actor=u["applicant"], user=u["applicant"], access="write", name="spare")[0]

    # The duplicate check found unit A's and unit B's applications to the reviewed challenge alike.
    from kechuang.challenges.models import DuplicatePair

    w.duplicate = DuplicatePair.objects.create(
        left=w.app, right=w.app_rival, text_score=0.91, shared_people=[], people_score=0
    )

    # An integrity record against the assigned expert (awards only: the world's flows stay as they are).
    from kechuang.integrity.tests.factories import RecordFactory

    w.integrity = RecordFactory(
        person=u["expert_assigned"], bars_applying=False, bars_awards=True, decision="矩阵诚信记录"
    )

    # One session cookie per role for the pages, one token per role for the API.
    w.sessions, w.tokens = {}, {}
    for name, user in u.items():
        c = Client()
        c.force_login(user)
        w.sessions[name] = c.cookies[settings.SESSION_COOKIE_NAME].value
        w.tokens[name] = token_issue(actor=user, user=user, access="write", name="matrix")[1]
    return w


# The URL configuration --------------------------------------------------------------------------------

# Patterns with no entry, each with its reason. Nothing else may be left out. (There is no media/ pattern in any
# mode: uploaded files go out only through the permission-checked views; tests/security/test_media.py.)
IGNORED: dict[str, str] = {}


@dataclass(frozen=True)
class Pattern:
    key: str  # the namespaced URL name, or the route itself for an unnamed pattern
    route: str
    callback: Callable


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, depth first, with its namespaced name (or route)."""
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                key = f"{namespace}{p.name}" if p.name else route
                found.append(Pattern(key, route, p.callback))

    walk(get_resolver().url_patterns, "", "")
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The scenario world for this module, taken away after it, so no other test sees it. Built once a run,
    beside the demo, as a template of the run's (tools/runtests.py: `dbtemplate build --world
    matrix=tests.test_permission_matrix:build_world`): each of the matrix's two modules restores its process's
    database from that template and unpickles the objects `build_world` returned there — the same rows, ids,
    sessions and tokens, the world's stored files written back (dbtemplate.world_load). Without the run's
    template (a module run on its own) it is built here and flushed after, as before."""
    from kechuang.core import dbtemplate

    with django_db_blocker.unblock():
        w = dbtemplate.world_load("matrix", build_world)
        w.handler = ClientHandler(enforce_csrf_checks=False)  # shared by client_as's clients
        yield w
        dbtemplate.world_unload("matrix", build_world)


def client_as(w, role: str, api: bool = False) -> Client:
    """A fresh client (its own cookies) as `role`, on the world's one request handler: a new client builds its
    handler's middleware chain on its first request (1.5 of a healthz request's 2.0 ms of CPU, on every one of
    the matrix's ~6,000 clients; testtime10). The chain holds no state between requests, and nothing in this
    module changes the settings it reads."""
    c = Client(raise_request_exception=False)
    c.handler = w.handler
    if role == "anonymous":
        return c
    if api:
        c.defaults["HTTP_AUTHORIZATION"] = f"Token {w.tokens[role]}"
    else:
        c.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[role]
    return c


# The matrix -------------------------------------------------------------------------------------------
# One entry per URL name (a name may have variants: the same page over differently visible objects).
# `get` is every role's outcome for a GET; `writes` lists, for the methods that change state, what each
# refused role gets (ALLOWED marks the roles that may write; their writes are not tried here).

W_SIGNED_IN = by(ALLOWED, anonymous=GATE)


def _failed_email():
    """A notification e-mail that could not be sent (staff may send it again)."""
    from kechuang.core.models import OutboundEmail

    return OutboundEmail.objects.get_or_create(
        address="matrix@example.org",
        subject="矩阵测试邮件",
        defaults={"status": OutboundEmail.Status.FAILED, "attempts": 4, "last_error": "连接被拒绝"},
    )[0]


INTERNAL_MAP_INDEX = by(BLIND, experts=SEES, commissioners=SEES, staff=SEES)

MATRIX: list[Entry] = [
    # web, accounts, core ------------------------------------------------------------------------------
    E("web:home", get=PUBLIC),
    E("web:healthz", get=PUBLIC),  # the load balancer's probe: public by design
    E("web:dashboard", get=SIGNED_IN),
    E("web:notifications", get=SIGNED_IN, writes=post(W_SIGNED_IN)),
    # The pickers' searches (what each finds is tested in web/tests/test_pickers.py).
    E("web:pick-units", get=SIGNED_IN),
    E("web:pick-experts", get=INSIDE),
    E("web:pick-disciplines", get=SIGNED_IN),  # the GB/T 13745 table: public data, read by everyone
    E("web:pick-users", get=STAFF),
    E("web:pick-platforms", get=SIGNED_IN),
    E("web:pick-indicators", get=SIGNED_IN),
    E("web:pick-projects", get=INSIDE),
    E("web:pick-objects", get=SIGNED_IN),  # each kind answers only the rows its own rule lets one see
    E("web:notice-settings", get=SIGNED_IN, writes=post(W_SIGNED_IN)),
    E("web:email-list", get=STAFF),
    E(
        "web:email-resend",
        lambda w: {"pk": _failed_email().pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: _failed_email(),
    ),
    E("web:pick-topics", get=INSIDE),
    E("web:pick-review-forms", get=STAFF),
    E(
        "accounts:login",
        get=by(MOVED, anonymous=OK),  # a signed-in user goes to the dashboard
        writes={"POST": by(ALLOWED), "PUT": by(ALLOWED)},  # signing in is open to all
    ),
    E("accounts:logout", get=by(NOT_ALLOWED), writes=post(by(ALLOWED))),  # POST only; anyone may sign out
    E("accounts:profile", get=SIGNED_IN, writes=post(W_SIGNED_IN)),
    # One's own ORCID (POST only; the signed-in person changes only their own).
    E("accounts:profile-orcid", get=by(NOT_ALLOWED, anonymous=GATE), writes=post(W_SIGNED_IN)),
    # One's own language (POST only; the signed-in person changes only their own).
    E("accounts:profile-language", get=by(NOT_ALLOWED, anonymous=GATE), writes=post(W_SIGNED_IN)),
    E("accounts:unit-list", get=INSIDE),
    E("accounts:unit-detail", lambda w: {"pk": w.unit_a.pk}, get=SIGNED_IN),
    E(
        "accounts:unit-edit",
        lambda w: {"pk": w.unit_a.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"name": "改名单位", "kind": "enterprise", "credit_code": w.unit_a.credit_code},
        target=lambda w: w.unit_a,
    ),
    E("accounts:register", get=PUBLIC, writes=post(by(ALLOWED))),  # a unit registers itself; staff verify it
    E("accounts:register-units", get=PUBLIC),  # the registration's parent search: verified unit names only
    E(
        "accounts:register-confirm",
        lambda w: {"token": "not-a-token"},
        get=by(Outcome(400, "400: the link is invalid")),  # a good one: test_registration_address.py
        writes={m: by(Outcome(400, "400: the link is invalid")) for m in ("POST", "PUT")},
    ),
    E(
        "accounts:email-change-confirm",  # a good link, for its person only: test_address_change_confirmed.py
        lambda w: {"token": "not-a-token"},
        get=by(Outcome(400, "400: the link is invalid"), anonymous=GATE),
        writes={
            "POST": by(Outcome(400, "400: the link is invalid"), anonymous=GATE),
            "PUT": by(NOT_ALLOWED, anonymous=GATE),
        },
    ),
    E("accounts:unit-import", get=STAFF, writes=post(STAFF_WRITES)),
    *[
        E(
            f"accounts:unit-{name}",
            lambda w: {"pk": w.unit_pending.pk},
            get=POST_ONLY_STAFF,
            writes=post(STAFF_WRITES),
            data=lambda w: {"reason": "材料不全"},
            target=lambda w: w.unit_pending,
        )
        for name in ("verify", "reject")
    ],
    E("accounts:change-request-list", get=STAFF),
    E("accounts:user-list", get=STAFF),
    # The second factor: a person without a device is sent from the code page to the setup page.
    E("accounts:otp-verify", get=by(MOVED, anonymous=GATE), writes=post(W_SIGNED_IN)),
    E("accounts:otp-setup", get=SIGNED_IN, writes=post(W_SIGNED_IN)),
    E("accounts:otp-disable", get=by(NOT_ALLOWED, anonymous=GATE), writes=post(W_SIGNED_IN)),
    E(
        "accounts:user-otp-reset",
        lambda w: {"pk": w.users["applicant_other"].pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"confirm": "1"},
        target=lambda w: w.users["applicant_other"],
    ),
    E("accounts:user-duplicates", get=STAFF),  # accounts sharing an address, to resolve by hand
    E("accounts:registration-list", get=STAFF),  # registrations whose address is not confirmed yet
    *[
        E(
            f"accounts:registration-{name}",
            lambda w: {"pk": w.registrant.pk},
            get=POST_ONLY_STAFF,
            writes=post(STAFF_WRITES),
            data=lambda w: {"confirm": "1", "reason": "非本人注册"},
            target=lambda w: w.registrant,
        )
        for name in ("resend", "withdraw")
    ],
    *[
        E(
            f"accounts:registration-claim-{name}",
            lambda w: {"pk": w.registration_claim.pk},
            get=POST_ONLY_STAFF,
            writes=post(STAFF_WRITES),
            data=lambda w: {"confirm": "1", "reason": "非本人注册"},
            target=lambda w: w.registration_claim,
        )
        for name in ("resend", "withdraw")
    ],
    E(
        "accounts:user-invite",
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"email": "invited@example.org", "full_name": "受邀人", "roles": ["expert"]},
    ),
    E(
        "accounts:user-detail",
        lambda w: {"pk": w.users["applicant_other"].pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"full_name": "改名", "email": "x@example.org", "roles": ["staff"]},
        target=lambda w: w.users["applicant_other"],
    ),
    E(
        "accounts:user-active",
        lambda w: {"pk": w.users["applicant_other"].pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"active": "0", "reason": "离职"},
        target=lambda w: w.users["applicant_other"],
    ),
    E(
        "accounts:change-request-detail",
        lambda w: {"pk": w.unit_change.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        # Unit A's user sees the request but may not decide it.
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, staff=ALLOWED)),
        data=lambda w: {"decision": "approve", "note": "同意", "confirm": "1"},
        target=lambda w: w.unit_change,
    ),
    # One's own new API token, its scope ticked, the password again (each person issues only their own).
    E("accounts:token-issue", get=SIGNED_IN, writes=post(W_SIGNED_IN)),
    E(
        "accounts:token-revoke",
        lambda w: {"pk": w.token_spare.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED)),  # the owner only
        target=lambda w: w.token_spare,
    ),
    E("accounts:password-change", get=SIGNED_IN, writes={m: W_SIGNED_IN for m in ("POST", "PUT")}),
    E("accounts:password-reset", get=PUBLIC, writes={"POST": by(ALLOWED), "PUT": by(ALLOWED)}),
    E("accounts:password-reset-done", get=PUBLIC),
    E(
        "accounts:password-reset-confirm",
        lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        get=by(Outcome(400, "400: the link is invalid")),  # the page that says so
        writes={m: by(Outcome(400, "400: the link is invalid")) for m in ("POST", "PUT")},
    ),
    E("accounts:password-reset-complete", get=PUBLIC),
    E(
        "core:job-list",
        get=by(BLIND, anonymous=GATE, applicant=SEES, staff=SEES),
        secret=lambda w: w.job.title,
    ),
    E("core:audit-log", get=STAFF),
    E(
        "core:job-detail",
        lambda w: {"pk": w.job.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
    ),
    # platforms (w.platform is unpublished and run by the operator) -------------------------------------
    E(
        "platforms:list",
        get=by(BLIND, commissioners=SEES, operator=SEES, staff=SEES),
        secret=lambda w: w.platform.name,
    ),
    E("platforms:create", get=STAFF, writes=post(STAFF_WRITES)),
    E("platforms:statistics", get=PUBLIC),  # public platform statistics, by design
    E("platforms:import", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "platforms:detail",
        lambda w: {"pk": w.platform.pk},
        get=by(HIDDEN, commissioners=OK, operator=OK, staff=OK),
        variant="unpublished",
    ),
    E("platforms:detail", lambda w: {"pk": w.platform_pub.pk}, get=PUBLIC, variant="published"),
    E(
        "platforms:edit",
        lambda w: {"pk": w.platform.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"name": "改名平台"},
        target=lambda w: w.platform,
    ),
    *[
        E(
            f"platforms:{name}",
            lambda w: {"pk": w.platform.pk},
            get=POST_ONLY_STAFF,
            writes=post(STAFF_WRITES),
            target=lambda w: w.platform,
        )
        for name in ("transition", "host-change", "membership-add", "achievement-add", "operator-assign")
    ],
    E(
        "platforms:membership-end",
        lambda w: {"pk": w.platform.pk, "membership_pk": w.membership.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"left": "2025-01-01"},
        target=lambda w: w.membership,
    ),
    E(
        "platforms:reports",
        get=by(DENIED, anonymous=GATE, commissioners=OK, operator=OK, staff=OK),
    ),
    E(
        "platforms:report-create",
        get=by(DENIED, anonymous=GATE, operator=OK),  # only a platform's operator files its report
        writes=post(by(DENIED, anonymous=GATE, operator=ALLOWED)),
        data=lambda w: {"platform": w.platform.pk, "year": 2023},
    ),
    E(
        "platforms:report-detail",
        lambda w: {"pk": w.report.pk},
        get=by(DENIED, anonymous=GATE, commissioners=OK, operator=OK, staff=OK),
    ),
    E(
        "platforms:report-edit",
        lambda w: {"pk": w.report.pk},
        get=by(DENIED, anonymous=GATE, operator=OK),
        writes=post(by(DENIED, anonymous=GATE, operator=ALLOWED)),
        data=lambda w: {"staff": 99, "version": w.report.version},
        target=lambda w: w.report,
    ),
    E(
        "platforms:report-transition",
        lambda w: {"pk": w.report.pk},
        get=by(DENIED, anonymous=GATE, operator=NOT_ALLOWED, staff=NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, operator=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"action": "submit", "confirm": "1"},
        target=lambda w: w.report,
    ),
    E(
        "platforms:achievement-evidence",
        lambda w: {"pk": w.achievement.pk},
        get=by(HIDDEN, commissioners=OK, operator=OK, staff=OK),  # as its (unpublished) platform
    ),
    E("platforms:reorganisations", get=PUBLIC),
    E("platforms:reorganisation-create", get=STAFF, writes=post(STAFF_WRITES)),
    E("platforms:reorganisation-detail", lambda w: {"pk": w.reorganisation.pk}, get=PUBLIC),
    E("platforms:lineage", get=PUBLIC),
    E("platforms:overlap", get=STAFF),
    E("platforms:overlap-decide", get=POST_ONLY_STAFF, writes=post(STAFF_WRITES)),
    # challenges ---------------------------------------------------------------------------------------
    E(
        "challenges:challenge-list",
        get=by(BLIND, staff=SEES),  # drafts are invisible to everyone but staff
        secret=lambda w: w.ch_draft.title,
    ),
    E(
        "challenges:challenge-detail",
        lambda w: {"pk": w.ch_draft.pk},
        get=by(HIDDEN, staff=OK),
        variant="draft",
    ),
    E("challenges:challenge-detail", lambda w: {"pk": w.ch_open.pk}, get=PUBLIC, variant="published"),
    E("challenges:awards", get=PUBLIC),
    E(
        "challenges:results",
        get=by(BLIND),  # only finished projects' results and running projects' stage results are public
        secret=lambda w: w.result.title,
    ),
    E(
        "challenges:result-detail",
        lambda w: {"pk": w.result.pk},
        get=by(HIDDEN, applicant=OK, commissioner=OK, staff=OK),
    ),
    E("challenges:export-list-xlsx", get=PUBLIC),
    E("challenges:export-list-print", get=by(BLIND), secret=lambda w: w.ch_draft.title),
    E("challenges:export-awards-xlsx", get=PUBLIC),
    E("challenges:export-awards-print", get=PUBLIC),
    E(
        "challenges:publicity",
        lambda w: {"pk": w.ch_pub.pk},
        get=PUBLIC,
        writes=post(W_SIGNED_IN),  # any signed-in person may lodge an objection
        data=lambda w: {"application": w.app_pub.pk, "text": "匿名异议"},
    ),
    E(
        "challenges:need-list",
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=BLIND, staff=SEES),
        secret=lambda w: w.need.title,
    ),
    E(
        "challenges:need-create",
        get=by(DENIED, anonymous=GATE, applicants=OK, staff=OK),
        writes=post(by(DENIED, anonymous=GATE, applicants=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"title": "新需求", "problem": "问题", "industry": "新材料"},
    ),
    E(
        "challenges:need-detail",
        lambda w: {"pk": w.need.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
    ),
    E("challenges:need-group", get=STAFF, writes=post(STAFF_WRITES)),
    E("challenges:need-import", get=STAFF, writes=post(STAFF_WRITES)),
    E("challenges:topic-list", get=INSIDE),
    E("challenges:topic-create", get=STAFF, writes=post(STAFF_WRITES), data=lambda w: {"title": "新课题"}),
    E("challenges:topic-detail", lambda w: {"pk": w.topic.pk}, get=INSIDE),
    E(
        "challenges:topic-edit",
        lambda w: {"pk": w.topic.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"title": "改名课题", "reason": "x"},
        target=lambda w: w.topic,
    ),
    E("challenges:challenge-create", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "challenges:challenge-edit",
        lambda w: {"pk": w.ch_draft.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.ch_draft,
    ),
    E(
        "challenges:challenge-name-en",  # a published list's English name (any status)
        lambda w: {"pk": w.ch_review.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"title_en": "An English name"},
        target=lambda w: w.ch_review,
    ),
    E(
        "challenges:challenge-english",  # a published list's English names and units (any status after)
        lambda w: {"pk": w.ch_review.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"title_en": "An English name", "version": w.ch_review.version},
        target=lambda w: w.ch_review,
    ),
    E(
        "challenges:challenge-action",
        lambda w: {"pk": w.ch_draft.pk, "action": "publish"},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        target=lambda w: w.ch_draft,
    ),
    E(
        "challenges:challenge-confirm",  # a page that asks first; the step itself posts to challenge-action
        lambda w: {"pk": w.ch_draft.pk, "action": "publish"},
        get=STAFF,
    ),
    E("challenges:challenge-review", lambda w: {"pk": w.ch_review.pk}, get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "challenges:challenge-decision",
        lambda w: {"pk": w.ch_review.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"winners": [w.app.pk], "days": 7},
        target=lambda w: w.ch_review,
    ),
    E(
        "challenges:challenge-award",
        lambda w: {"pk": w.ch_pub.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        target=lambda w: w.ch_pub,
    ),
    E("challenges:downselect", lambda w: {"pk": w.ch_review.pk}, get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "challenges:objection-answer",
        lambda w: {"pk": w.objection.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        data=lambda w: {"upheld": "", "answer": "驳回"},
        target=lambda w: w.objection,
    ),
    E(
        "challenges:application-create",
        lambda w: {"challenge_pk": w.ch_open.pk},
        get=by(DENIED, anonymous=GATE, applicant=MOVED, applicant_other=OK),  # unit A's draft exists
        writes=post(by(DENIED, anonymous=GATE, applicants=ALLOWED)),
        data=lambda w: {"title": "申请", "plan": "方案", "budget_requested": "100"},
    ),
    E(
        "challenges:pre-apply",
        lambda w: {"pk": w.ch_pre.pk},
        # unit A sees its own; unit B gets the form; staff are sent to the shortlist
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=BLIND, staff=MOVED),
        writes=post(by(DENIED, anonymous=GATE, applicant_other=ALLOWED, staff=MOVED)),
        data=lambda w: {"f1": "乙单位预申报"},
        secret=lambda w: "甲单位预申报简介",
        target=lambda w: w.pre,
    ),
    E(
        "challenges:pre-application-list",
        lambda w: {"pk": w.ch_pre.pk},
        get=by(DENIED, anonymous=GATE, staff=SEES),
        secret=lambda w: "甲单位预申报简介",
    ),
    E(
        "challenges:pre-application-shortlist",
        lambda w: {"pk": w.pre.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        data=lambda w: {"action": "invite", "confirm": "1"},
        target=lambda w: w.pre,
    ),
    E(
        "challenges:application-list",
        get=by(
            DENIED,
            anonymous=GATE,
            applicant=SEES,
            applicant_other=BLIND,
            commissioners=BLIND,
            staff=SEES,
        ),
        secret=lambda w: w.app.title,
    ),
    E(
        "challenges:application-detail",
        lambda w: {"pk": w.app.pk},
        # under review: the applicant sees it, never who reviews it
        get=by(HIDDEN, anonymous=GATE, applicant=BLIND, staff=OK),
        secret=lambda w: w.users["expert_assigned"].full_name,
        variant="under-review",
    ),
    E(
        "challenges:application-detail",
        lambda w: {"pk": w.app_draft.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        variant="draft",
    ),
    E(
        "challenges:application-edit",
        lambda w: {"pk": w.app_draft.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=DENIED),  # staff read, never edit, a draft
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)),
        data=lambda w: {
            "title": "改名申请",
            "plan": "x",
            "budget_requested": "600",
            "version": w.app_draft.version,
        },
        target=lambda w: w.app_draft,
    ),
    E(
        "challenges:application-action",
        lambda w: {"pk": w.app_draft.pk, "action": "submit"},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=SHOWN)),  # only the unit submits
        target=lambda w: w.app_draft,
    ),
    E(
        "challenges:attachment-upload",
        lambda w: {"pk": w.app_draft.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)),
        data=lambda w: {"kind": "plan", "file": ContentFile(b"%PDF-1.4\n%%EOF\n", name="x.pdf")},
    ),
    E(
        "challenges:attachment-download",
        lambda w: {"pk": w.attachment.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        variant="draft",
    ),
    E(
        "challenges:attachment-download",
        lambda w: {"pk": w.app_attachment.pk},
        # under review: an assigned expert reads the dossier once they declare no conflict (this world's
        # assigned expert has not yet: hidden, as the proposal text is; the opened case is
        # challenges/tests/test_review_subject.py); never once declared, nor for experts not assigned
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        variant="under-review",
    ),
    E(
        "challenges:attachment-delete",
        lambda w: {"pk": w.attachment.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)),
        target=lambda w: w.attachment,
    ),
    E(
        "challenges:contract-list",
        get=by(
            DENIED,
            anonymous=GATE,
            applicant=SEES,
            applicant_other=BLIND,
            commissioner=SEES,
            commissioner_other=BLIND,
            staff=SEES,
        ),
        secret=lambda w: w.contract.code,
    ),
    E(
        "challenges:flag-run",
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
    ),
    E(
        "challenges:contract-detail",
        lambda w: {"pk": w.contract.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
    ),
    E(
        "challenges:contract-edit",
        lambda w: {"pk": w.contract_draft.pk},
        # a commissioner edits only their own projects' terms; the unit reads them
        get=by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {
            "title": "改名任务书",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
            "budget": "600",
            "budget_self": "0",
            "version": w.contract_draft.version,
            "reason": "x",
        },
        target=lambda w: w.contract_draft,
    ),
    E(
        "challenges:contract-commissioner",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        writes=post(STAFF_WRITES),  # the staff-only gate comes before the object
        data=lambda w: {"commissioner": w.users["commissioner_other"].pk},
        target=lambda w: w.contract,
    ),
    E(
        "challenges:contract-action",
        lambda w: {"pk": w.contract.pk, "action": "terminate"},
        get=by(NOT_ALLOWED),
        # the unit and its commissioner see the project; only staff terminate it
        writes=post(by(HIDDEN, anonymous=GATE, applicant=SHOWN, commissioner=SHOWN, staff=ALLOWED)),
        data=lambda w: {"reason": "终止", "confirm": "1"},
        target=lambda w: w.contract,
    ),
    E(
        "challenges:change-create",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        # the contracted unit asks for changes; its commissioner and staff decide, they do not ask
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=DENIED, staff=DENIED)),
        data=lambda w: {"kind": "budget", "reason": "涨价", "budget": "700"},
    ),
    E(
        "challenges:change-decide",
        lambda w: {"pk": w.change.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        data=lambda w: {"approve": "1", "note": "同意"},
        target=lambda w: w.change,
    ),
    E(
        "challenges:midterm",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"conclusion": "continue", "notes": "x"},
    ),
    E(
        "challenges:acceptance",
        lambda w: {"pk": w.contract.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"verdict": "passed"},
        target=lambda w: w.contract,
    ),
    E(
        "challenges:performance",
        lambda w: {"pk": w.contract.pk},
        # the project's commissioner and staff (the page says why before acceptance); the unit sees the
        # project, not this form
        get=by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"save": "1", "grade": "good"},
        target=lambda w: w.contract,
    ),
    E(
        "challenges:performance-decide",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        writes=post(STAFF_WRITES),
        data=lambda w: {"decision": "confirm", "confirm": "1"},
        target=lambda w: w.contract,
    ),
    E(
        "challenges:result-add",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"kind": w.result.kind, "title": "新成果", "achieved_on": "2026-06-01"},
    ),
    E(
        "challenges:transfer-add",
        lambda w: {"pk": w.result.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {
            "kind": w.transfer.kind,
            "counterparty": "某公司",
            "amount": "5",
            "transferred_on": "2026-08-01",
        },
    ),
    E(
        "challenges:milestone-detail",
        lambda w: {"pk": w.milestone.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"op": "verify", "confirm": "1"},
        target=lambda w: w.milestone,
    ),
    E(
        "challenges:report-file-download",
        lambda w: {"pk": w.report_file.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
    ),
    # review -------------------------------------------------------------------------------------------
    E("review:expert-list", get=STAFF),
    E("review:expert-import", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "review:expert-detail",
        lambda w: {"pk": w.users["expert_assigned"].expert_profile.pk},
        get=by(HIDDEN, anonymous=GATE, expert_assigned=OK, staff=OK),  # own profile only
    ),
    E(
        "review:expert-detail",
        lambda w: {"pk": w.users["expert_assigned"].expert_profile.pk},
        # the integrity records (and the credit record) on the profile: staff only, not the expert
        get=by(HIDDEN, anonymous=GATE, expert_assigned=BLIND, staff=SEES),
        secret=lambda w: w.integrity.decision,
        variant="integrity",
    ),
    # the duplicate check ----------------------------------------------------------------------------
    E("challenges:duplicate-list", get=STAFF),
    E("challenges:duplicate-detail", lambda w: {"pk": w.duplicate.pk}, get=STAFF),
    E(
        "challenges:duplicate-decide",
        lambda w: {"pk": w.duplicate.pk, "action": "clear"},
        get=by(NOT_ALLOWED),
        writes=post(STAFF_WRITES),
        data=lambda w: {"note": "独立方案"},
        target=lambda w: w.duplicate,
    ),
    # integrity --------------------------------------------------------------------------------------
    E("integrity:record-list", get=STAFF),
    E("integrity:record-create", get=STAFF, writes=post(STAFF_WRITES)),
    E("integrity:record-import", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "integrity:record-detail",
        lambda w: {"pk": w.integrity.pk},
        get=by(DENIED, anonymous=GATE, staff=SEES),
        secret=lambda w: w.integrity.decision,
    ),
    E(
        "integrity:record-transition",
        lambda w: {"pk": w.integrity.pk, "action": "appeal"},
        get=by(NOT_ALLOWED),
        writes=post(STAFF_WRITES),
        data=lambda w: {"reason": "申诉"},
        target=lambda w: w.integrity,
    ),
    E(
        "review:expert-credit",
        lambda w: {"pk": w.users["expert_assigned"].expert_profile.pk},
        get=by(NOT_ALLOWED),
        writes=post(STAFF_WRITES),
        data=lambda w: {"kind": "praise", "note": "x"},
    ),
    E(
        "review:expert-transition",
        lambda w: {"pk": w.users["expert_assigned"].expert_profile.pk, "action": "approve"},
        get=by(NOT_ALLOWED),
        # own: not approve — the profile's page again with why (400; it was a message after a redirect)
        writes=post(by(HIDDEN, anonymous=GATE, expert_assigned=SHOWN, staff=ALLOWED)),
        target=lambda w: w.users["expert_assigned"].expert_profile,
    ),
    E(
        "review:my-profile",
        get=by(DENIED, anonymous=GATE, experts=OK),
        writes=post(by(DENIED, anonymous=GATE, experts=ALLOWED)),
    ),
    E(
        "review:my-assignments",
        # the expert who declared a conflict keeps the line (marked declined) in their own list; the
        # proposal itself is closed to them (review:review-detail[declined])
        get=by(DENIED, anonymous=GATE, experts=BLIND, expert_assigned=SEES, expert_declared=SEES),
        secret=lambda w: w.app.title,
    ),
    E(
        "review:review-detail",
        lambda w: {"pk": w.review.pk},
        get=by(HIDDEN, anonymous=GATE, expert_assigned=OK, staff=OK),
        variant="assigned",
    ),
    E(
        "review:review-detail",
        lambda w: {"pk": w.review_declined.pk},
        # once an expert declares a conflict the proposal is closed to them
        get=by(HIDDEN, anonymous=GATE, staff=OK),
        variant="declined",
    ),
    E(
        "review:review-action",
        lambda w: {"pk": w.review.pk, "action": "open"},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, expert_assigned=ALLOWED, staff=DENIED)),
        data=lambda w: {"confirm": "1"},  # the no-conflict declaration's box (security §40)
        target=lambda w: w.review,
        variant="open",
    ),
    E(
        "review:review-action",
        lambda w: {"pk": w.review_declined.pk, "action": "open"},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, staff=DENIED)),
        target=lambda w: w.review_declined,
        variant="declined",
    ),
    E(
        "review:review-file-download",
        lambda w: {"pk": w.review_file.pk},
        # as the review itself: never the applicant, nor another expert
        get=by(HIDDEN, anonymous=GATE, expert_assigned=OK, staff=OK),
    ),
    E("review:round-list", get=STAFF),
    E("review:round-create", get=STAFF, writes=post(STAFF_WRITES)),
    E("review:round-detail", lambda w: {"pk": w.round.pk}, get=STAFF),
    E("review:round-settings", lambda w: {"pk": w.round.pk}, get=STAFF),
    E(
        "review:round-assign",
        lambda w: {"pk": w.round.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        data=lambda w: {"confirm": "1"},
        target=lambda w: w.round,
    ),
    E("review:round-panel", lambda w: {"pk": w.round.pk}, get=STAFF),
    E(
        "review:round-transition",
        lambda w: {"pk": w.round.pk, "action": "panel"},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        target=lambda w: w.round,
    ),
    E(
        "review:assignment-swap",
        lambda w: {"pk": w.assignment.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        data=lambda w: {"expert": w.users["expert_unassigned"].pk, "reason": "x"},
        target=lambda w: w.assignment,
    ),
    # the expert review of a programme call's 函评/会评 stage (#18): staff open it from the call page and release an
    # expert from one review (with a reason); experts reach their reviews through review:review-detail only
    E(
        "review:call-review-open",
        lambda w: {"pk": w.pg_call.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"k": "1", "max_load": "3", "mode": "optimal"},
        target=lambda w: w.pg_call,
    ),
    E(
        "review:assignment-release",
        lambda w: {"pk": w.assignment.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"reason": "矩阵", "confirm": "1"},
        target=lambda w: w.assignment,
    ),
    # evaluation (w.campaign is a draft: internal) ------------------------------------------------------
    E("evaluation:list", get=by(BLIND, commissioners=SEES, staff=SEES), secret=lambda w: w.campaign.name),
    E("evaluation:create", get=STAFF, writes=post(STAFF_WRITES)),
    E("evaluation:detail", lambda w: {"pk": w.campaign.pk}, get=by(HIDDEN, commissioners=OK, staff=OK)),
    *[
        E(
            f"evaluation:{name}",
            lambda w: {"pk": w.campaign.pk},
            get=POST_ONLY_STAFF,
            writes=post(STAFF_WRITES),
            target=lambda w: w.campaign,
        )
        for name in ("node-add", "tree-default", "entries", "action", "name-en")
    ],
    E(
        "evaluation:node-remove",
        lambda w: {"pk": w.campaign.pk, "node_pk": w.node.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"confirm": "1"},
        target=lambda w: w.node,
    ),
    E(
        "evaluation:node-weight",
        lambda w: {"pk": w.campaign.pk, "node_pk": w.node.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"weight": "2"},
        target=lambda w: w.node,
    ),
    E(
        "evaluation:publish",  # the draft campaign cannot be published: staff see why, nothing changes
        lambda w: {"pk": w.campaign.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.campaign,
    ),
    E("evaluation:entry", lambda w: {"pk": w.entry.pk}, get=by(HIDDEN, commissioners=OK, staff=OK)),
    # technology map (w.chain is unpublished: internal to staff, commissioners and experts) -------------
    *[
        E(
            f"techmap:{name}",
            get=by(BLIND, experts=SEES, commissioners=SEES, staff=SEES),
            secret=lambda w: w.technology.name,
        )
        for name in ("technology-list",)
    ],
    # the charts' pages (their data comes from techmap:technology-list's JSON and api:techmap-tree)
    *[E(f"techmap:{name}", get=PUBLIC) for name in ("graph", "tree", "matrix")],
    *[
        E("techmap:index", get=INTERNAL_MAP_INDEX, secret=lambda w: w.chain.name),
    ],
    E("techmap:technology-create", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "techmap:technology-detail",
        lambda w: {"pk": w.technology.pk},
        get=by(HIDDEN, experts=OK, commissioners=OK, staff=OK),
    ),
    E(
        "techmap:technology-edit",
        lambda w: {"pk": w.technology.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.technology,
    ),
    *[
        E(
            f"techmap:{name}",
            lambda w: {"pk": w.technology.pk},
            get=POST_ONLY_STAFF,
            writes=post(STAFF_WRITES),
            target=lambda w: w.technology,
        )
        for name in ("technology-delete", "trl-add", "coverage-add", "gap-topic")
    ],
    E(
        "techmap:coverage-end",
        lambda w: {"pk": w.coverage.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.coverage,
    ),
    E("techmap:chain-create", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "techmap:chain-detail",
        lambda w: {"pk": w.chain.pk},
        get=by(HIDDEN, experts=OK, commissioners=OK, staff=OK),
        variant="unpublished",
    ),
    E("techmap:chain-detail", lambda w: {"pk": w.chain_pub.pk}, get=PUBLIC, variant="published"),
    E(
        "techmap:chain-edit",
        lambda w: {"pk": w.chain.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.chain,
    ),
    E("techmap:link-create", lambda w: {"pk": w.chain.pk}, get=POST_ONLY_STAFF, writes=post(STAFF_WRITES)),
    E(
        "techmap:link-edit",
        lambda w: {"pk": w.link.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.link,
    ),
    E("techmap:gaps", get=by(DENIED, anonymous=GATE, experts=OK, commissioners=OK, staff=OK)),
    E("techmap:export", get=PUBLIC),
    E("techmap:import", get=STAFF, writes=post(STAFF_WRITES)),
    # indicators (w.indicator is unpublished) -------------------------------------------------------------
    E("indicators:dashboard", get=PUBLIC),
    E(
        "indicators:indicator-list",
        get=by(BLIND, commissioners=SEES, staff=SEES),
        secret=lambda w: w.indicator.name_zh,
    ),
    E("indicators:indicator-create", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "indicators:indicator-detail",
        lambda w: {"code": w.indicator.code},
        get=by(HIDDEN, commissioners=OK, staff=OK),
        variant="unpublished",
    ),
    E(
        "indicators:indicator-detail",
        lambda w: {"code": w.indicator_pub.code},
        get=PUBLIC,
        variant="published",
    ),
    E(
        "indicators:indicator-edit",
        lambda w: {"code": w.indicator.code},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.indicator,
    ),
    E(
        "indicators:region-list",
        get=PUBLIC,
        writes=post(by(DENIED, staff=ALLOWED)),
        data=lambda w: {"code": "ZZ99", "name": "新地区", "level": "province"},
    ),
    E("indicators:value-create", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "indicators:value-delete",
        lambda w: {"pk": w.value.pk},
        get=STAFF,  # the confirmation page
        writes=post(STAFF_WRITES),
        target=lambda w: w.value,
    ),
    E("indicators:import", get=STAFF, writes=post(STAFF_WRITES)),
    E("indicators:import-template", get=STAFF),
    E(
        "indicators:target-list",
        get=by(BLIND, commissioners=SEES, staff=SEES),
        secret=lambda w: w.indicator.name_zh,
    ),
    E("indicators:target-create", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "indicators:target-edit",
        lambda w: {"pk": w.target.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.target,
    ),
    E("indicators:framework-list", get=PUBLIC),
    E("indicators:framework-detail", lambda w: {"pk": w.framework.pk}, get=PUBLIC),
    E("indicators:framework-new", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "indicators:framework-edit",
        lambda w: {"pk": w.framework.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.framework,
    ),
    E(
        "indicators:framework-version",
        lambda w: {"pk": w.framework.pk, "number": w.framework.version},
        get=PUBLIC,
    ),
    E(
        "indicators:framework-node",
        lambda w: {"pk": w.framework.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
        target=lambda w: w.framework,
    ),
    E(
        "indicators:framework-run",
        lambda w: {"pk": w.framework.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, staff=ALLOWED)),
    ),
    E("indicators:run-detail", lambda w: {"pk": w.run.pk}, get=by(HIDDEN, commissioners=OK, staff=OK)),
    E(
        "indicators:run-analysis",
        lambda w: {"pk": w.run.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.run,
    ),
    E("indicators:contribution", get=PUBLIC),
    # report ingestion: staff only ------------------------------------------------------------------------
    E("ingest:document-list", get=STAFF),
    E("ingest:upload", get=STAFF, writes=post(STAFF_WRITES)),
    E("ingest:document-detail", lambda w: {"pk": w.document.pk}, get=STAFF),
    E("ingest:document-original", lambda w: {"pk": w.document.pk}, get=STAFF),
    E(
        "ingest:document-edit",
        lambda w: {"pk": w.document.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.document,
    ),
    E(
        "ingest:document-action",
        lambda w: {"pk": w.document.pk, "action": "finish"},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.document,
    ),
    E(
        "ingest:change-revert",
        lambda w: {"pk": w.ingest_change.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.ingest_change,
    ),
    E("ingest:fact-queue", get=STAFF),
    E("ingest:fact-detail", lambda w: {"pk": w.fact.pk}, get=STAFF),
    E(
        "ingest:fact-action",
        lambda w: {"pk": w.fact.pk, "action": "accept"},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.fact,
    ),
    E(
        "ingest:fact-check",
        lambda w: {"pk": w.fact.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {
            "value": "12",
            "unit": "个",
            "period": "",
            "checked": "on",
            "version": w.fact.version,
        },
        target=lambda w: w.fact,
    ),
    E(
        "ingest:fact-accept-many",
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"fact": [w.fact.pk], "confirm": "1"},
        target=lambda w: w.fact,
    ),
    E("set_language", get=by(MOVED)),  # anyone may switch language
]

API_STAFF_POST = by(DENIED, anonymous=GATE, staff=NOT_ALLOWED)  # GET on a staff-only POST endpoint
INTERNAL_MAP = by(BLIND, experts=SEES, commissioners=SEES, staff=SEES)
MAP_DETAIL = by(HIDDEN, experts=OK, commissioners=OK, staff=OK)

MATRIX += [
    # the JSON API ---------------------------------------------------------------------------------------
    E(
        "api:token", get=by(NOT_ALLOWED), writes=post(by(ALLOWED))
    ),  # anyone may ask for a token with a password
    E("api:me", get=SIGNED_IN, writes={"PATCH": W_SIGNED_IN}),  # each user's own language
    E("api:token-list", get=SIGNED_IN),  # each user's own tokens
    E(
        "api:token-detail",
        lambda w: {"pk": w.token_spare.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK),
        writes={"DELETE": by(HIDDEN, anonymous=GATE, applicant=ALLOWED)},
        target=lambda w: w.token_spare,
    ),
    E(
        "api:unit-list",
        get=SIGNED_IN,
        writes=post(STAFF_WRITES),
        data=lambda w: {"name": "新单位", "kind": "enterprise", "province": "山西", "city": "太原"},
    ),
    E(
        "api:unit-detail",
        lambda w: {"pk": w.unit_a.pk},
        get=SIGNED_IN,
        writes={m: by(DENIED, anonymous=GATE, applicant=ALLOWED, staff=ALLOWED) for m in ("PUT", "PATCH")},
        data=lambda w: {"name": "改名单位", "kind": "enterprise", "province": "山西", "city": "太原"},
        target=lambda w: w.unit_a,
    ),
    E(
        "api:job-list",
        get=by(BLIND, anonymous=GATE, applicant=SEES, staff=SEES),
        secret=lambda w: w.job.title,
    ),
    E("api:job-detail", lambda w: {"pk": w.job.pk}, get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK)),
    E("api:audit-list", get=STAFF),
    E(
        "api:platforms-list",
        get=by(BLIND, commissioners=SEES, operator=SEES, staff=SEES),
        secret=lambda w: w.platform.name,
        writes=post(STAFF_WRITES),
    ),
    E(
        "api:platforms-detail",
        lambda w: {"pk": w.platform.pk},
        get=by(HIDDEN, commissioners=OK, operator=OK, staff=OK),
        writes={"PATCH": STAFF_WRITES},
        data=lambda w: {"name": "改名平台"},
        target=lambda w: w.platform,
    ),
    *[
        E(
            f"api:platforms-{name}",
            lambda w: {"pk": w.platform.pk},
            get=API_STAFF_POST,
            writes=post(STAFF_WRITES),
            target=lambda w: w.platform,
        )
        for name in ("transition", "host")
    ],
    *[
        E(
            f"api:platforms-{name}",
            lambda w: {"pk": w.platform.pk},
            get=by(HIDDEN, commissioners=OK, operator=OK, staff=OK),
            writes=post(STAFF_WRITES),
        )
        for name in ("members", "achievements")
    ],
    E(
        "api:platforms-membership-end",
        lambda w: {"pk": w.membership.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"left": "2025-01-01"},
        target=lambda w: w.membership,
    ),
    E("api:platforms-counts", get=PUBLIC),  # public platform statistics, by design
    E(
        "api:platforms-reports",
        get=by(DENIED, anonymous=GATE, commissioners=OK, operator=OK, staff=OK),
        writes=post(by(DENIED, anonymous=GATE, operator=ALLOWED)),
        data=lambda w: {"platform": w.platform.pk, "year": 2023},
    ),
    E(
        "api:platforms-report",
        lambda w: {"pk": w.report.pk},
        get=by(DENIED, anonymous=GATE, commissioners=OK, operator=OK, staff=OK),
        writes={m: by(DENIED, anonymous=GATE, operator=ALLOWED) for m in ("PUT", "PATCH")},
        data=lambda w: {"staff": 99, "version": w.report.version},
        target=lambda w: w.report,
    ),
    E(
        "api:platforms-report-transition",
        lambda w: {"pk": w.report.pk},
        get=by(DENIED, anonymous=GATE, operator=NOT_ALLOWED, staff=NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, operator=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"action": "submit", "confirm": "1"},
        target=lambda w: w.report,
    ),
    E("api:platforms-reorganisations", get=PUBLIC, writes=post(STAFF_WRITES)),
    E("api:platforms-lineage", get=PUBLIC),
    E("api:platforms-import", get=API_STAFF_POST, writes=post(STAFF_WRITES)),
    E("api:platforms-overlap", get=STAFF),
    E(
        "api:challenges-challenge-list",
        get=by(BLIND, staff=SEES),  # published challenges are public, by design; drafts are not
        secret=lambda w: w.ch_draft.title,
        writes=post(STAFF_WRITES),
    ),
    E(
        "api:challenges-challenge-detail",
        lambda w: {"pk": w.ch_draft.pk},
        get=by(HIDDEN, staff=OK),
        variant="draft",
    ),
    E("api:challenges-challenge-detail", lambda w: {"pk": w.ch_open.pk}, get=PUBLIC, variant="published"),
    E(
        "api:challenges-challenge-transition",
        lambda w: {"pk": w.ch_draft.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "publish"},
        target=lambda w: w.ch_draft,
    ),
    E(
        "api:challenges-need-list",
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=BLIND, staff=SEES),
        secret=lambda w: w.need.title,
        writes=post(by(DENIED, anonymous=GATE, applicants=ALLOWED, staff=ALLOWED)),
    ),
    E("api:challenges-topic-list", get=STAFF, writes=post(STAFF_WRITES)),
    E(
        "api:challenges-application-list",
        get=by(
            DENIED, anonymous=GATE, applicant=SEES, applicant_other=BLIND, commissioners=BLIND, staff=SEES
        ),
        secret=lambda w: w.app.title,
        writes=post(by(DENIED, anonymous=GATE, applicants=ALLOWED)),
    ),
    E(
        "api:challenges-application-detail",
        lambda w: {"pk": w.app.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=BLIND, staff=OK),
        secret=lambda w: w.users["expert_assigned"].full_name,
    ),
    E(
        "api:challenges-application-transition",
        lambda w: {"pk": w.app_draft.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=CONFLICT)),  # only the unit submits
        data=lambda w: {"action": "submit", "confirm": "1"},
        target=lambda w: w.app_draft,
    ),
    # Official documents (#17): verification is public; issuing and archives are staff's; a document
    # downloads for whoever may read its project.
    E("documents:verify-file", get=PUBLIC),
    E("documents:verify", lambda w: {"code": w.official.code}, get=PUBLIC),
    E(
        "documents:issue",
        lambda w: {"pk": w.contract.pk, "kind": "task_book"},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"reason": "重新出具"},
        target=lambda w: w.official,
    ),
    E(
        "documents:issue-payment",
        lambda w: {"pk": w.payment.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"reason": ""},
        target=lambda w: w.payment,
    ),
    E(
        "documents:download",
        lambda w: {"pk": w.official.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
    ),
    E(
        "documents:archive-build",
        lambda w: {"pk": w.contract.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.contract,
    ),
    E("documents:archive-download", lambda w: {"pk": w.archive.pk}, get=STAFF),
    # The documents API (#17.5): the pages' checks.
    E(
        "api:documents-of-project",
        lambda w: {"pk": w.contract.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
    ),
    E(
        "api:documents-download",
        lambda w: {"pk": w.official.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
    ),
    # public; POST compares a digest and changes nothing, so it is open to all as well
    E("api:documents-verify", lambda w: {"code": w.official.code}, get=PUBLIC, writes=post(by(ALLOWED))),
    E(
        "api:documents-archive-request",
        lambda w: {"pk": w.contract.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.contract,
    ),
    E("api:documents-archive-download", lambda w: {"pk": w.archive.pk}, get=STAFF),
    E("funds:overview", get=STAFF),
    E(
        "funds:application-budget",
        lambda w: {"pk": w.app_draft.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=DENIED),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)),
        data=lambda w: {"budget-TOTAL_FORMS": "0", "budget-INITIAL_FORMS": "0"},
    ),
    E(
        "funds:rules",
        lambda w: {"pk": w.ch_open.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"indirect_max_pct": "10", "adjust_small_pct": "5", "adjust_small_amount": "1"},
    ),
    E(
        "funds:contract",
        lambda w: {"pk": w.contract.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
    ),
    E(
        "funds:contract-budget",
        lambda w: {"pk": w.contract.pk},
        get=STAFF,  # the staff-only gate comes before the object
        writes=post(STAFF_WRITES),
        data=lambda w: {"budget-TOTAL_FORMS": "0", "budget-INITIAL_FORMS": "0"},
    ),
    E(
        "funds:ledger-open",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        writes=post(STAFF_WRITES),
        target=lambda w: w.payment,
    ),
    E(
        "funds:cofunding",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        writes=post(STAFF_WRITES),
        data=lambda w: {"amount": "1", "received_on": "2026-01-01"},
    ),
    E(
        "funds:spending",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        # the contracted unit reports its spending; its commissioner and staff read it
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=DENIED, staff=DENIED)),
        data=lambda w: {"year": "2026", "quarter": "1", "line_business": "1"},
    ),
    E(
        "funds:adjustment-create",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=DENIED, staff=DENIED)),
        data=lambda w: {"source": "business", "target": "labour", "amount": "1", "reason": "x"},
    ),
    E(
        "funds:final-account",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=DENIED, staff=DENIED)),
        data=lambda w: {"handling": "no_balance"},
        target=lambda w: w.final_account,
    ),
    E(
        "funds:voucher",
        lambda w: {"pk": w.payment.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
    ),
    E(
        "funds:payment-action",
        lambda w: {"pk": w.payment.pk, "action": "approve"},
        get=by(NOT_ALLOWED),
        # only staff move money; a planned tranche (its milestone not verified) is refused with the reason
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=DENIED, staff=SHOWN)),
        target=lambda w: w.payment,
    ),
    E(
        "funds:adjustment-decide",
        lambda w: {"pk": w.adjustment.pk},
        get=by(NOT_ALLOWED),
        # the project's own commissioner decides small adjustments, staff any
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"approve": "0", "note": "x"},
        target=lambda w: w.adjustment,
    ),
    E(
        "funds:final-action",
        lambda w: {"pk": w.final_account.pk, "action": "confirm"},
        get=by(NOT_ALLOWED),
        # staff confirm; a draft not yet submitted is refused with the reason
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=DENIED, staff=SHOWN)),
        target=lambda w: w.final_account,
    ),
    E(
        "api:funds-project",
        lambda w: {"pk": w.contract.pk},
        get=by(
            HIDDEN, anonymous=GATE, experts=DENIED, operator=DENIED, applicant=OK, commissioner=OK, staff=OK
        ),
    ),
    E(
        "api:funds-payment-action",
        lambda w: {"pk": w.payment.pk},
        get=by(NOT_ALLOWED, anonymous=GATE, experts=DENIED, operator=DENIED),
        writes=post(
            by(
                HIDDEN,
                anonymous=GATE,
                experts=DENIED,
                operator=DENIED,
                applicant=DENIED,
                commissioner=DENIED,
                staff=CONFLICT,
            )
        ),
        data=lambda w: {"action": "approve"},
        target=lambda w: w.payment,
    ),
    # the unit's side of the money (issue #16): the project's readers read; its unit writes; a reader who
    # may not see the project gets 404, a role that may not write 403 before the object is looked at
    *[
        E(
            f"api:funds-{name}",
            lambda w: {"pk": w.contract.pk},
            get=by(
                HIDDEN,
                anonymous=GATE,
                experts=DENIED,
                operator=DENIED,
                applicant=OK,
                commissioner=OK,
                staff=OK,
            ),
            writes={method: by(DENIED, anonymous=GATE, applicant=ALLOWED, applicant_other=HIDDEN)},
            data=data,
            target=lambda w: w.contract,
        )
        for name, method, data in (
            ("spending", "POST", lambda w: {"year": 2026, "quarter": 1, "lines": {"business": "1"}}),
            (
                "adjustments",
                "POST",
                lambda w: {"source": "business", "target": "labour", "amount": "1", "reason": "x"},
            ),
            ("final-account", "PUT", lambda w: {"handling": "no_balance"}),
        )
    ],
    E(
        "api:funds-adjustment-decide",
        lambda w: {"pk": w.adjustment.pk},
        get=by(NOT_ALLOWED, anonymous=GATE, experts=DENIED, operator=DENIED),
        # the project's own commissioner decides small adjustments, staff any
        writes=post(
            by(DENIED, anonymous=GATE, commissioner=ALLOWED, commissioner_other=HIDDEN, staff=ALLOWED)
        ),
        data=lambda w: {"approve": False, "note": "x"},
        target=lambda w: w.adjustment,
    ),
    E(
        "api:funds-final-action",
        lambda w: {"pk": w.final_account.pk},
        get=by(NOT_ALLOWED, anonymous=GATE, experts=DENIED, operator=DENIED),
        # the unit may not confirm; staff may, but a draft not yet submitted is refused with the reason
        writes=post(by(DENIED, anonymous=GATE, applicant_other=HIDDEN, staff=CONFLICT)),
        data=lambda w: {"action": "confirm"},
        target=lambda w: w.final_account,
    ),
    E(
        "api:funds-application-budget",
        lambda w: {"pk": w.app_draft.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        writes={"PUT": by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)},
        data=lambda w: [],
    ),
    E(
        "api:challenges-contract-list",
        get=by(
            DENIED,
            anonymous=GATE,
            applicant=SEES,
            applicant_other=BLIND,
            experts=BLIND,
            operator=BLIND,
            commissioner=SEES,
            commissioner_other=BLIND,
            staff=SEES,
        ),
        secret=lambda w: w.contract.code,
    ),
    E(
        "api:challenges-contract-detail",
        lambda w: {"pk": w.contract.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
    ),
    E(
        "api:challenges-contract-changes",
        lambda w: {"pk": w.contract.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=DENIED, staff=DENIED)),
        data=lambda w: {"kind": "budget", "reason": "涨价", "payload": {"budget": "700"}},
    ),
    E(
        "api:challenges-change-decide",
        lambda w: {"pk": w.change.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"approve": True, "note": "同意"},
        target=lambda w: w.change,
    ),
    E(
        "api:challenges-contract-results",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"kind": w.result.kind, "title": "新成果", "achieved_on": "2026-06-01"},
    ),
    E(
        "api:challenges-result-transfers",
        lambda w: {"pk": w.result.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {
            "kind": w.transfer.kind,
            "counterparty": "某公司",
            "amount": "5",
            "transferred_on": "2026-08-01",
        },
    ),
    E(
        "api:challenges-milestone-action",
        lambda w: {"pk": w.milestone.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"action": "verify"},
        target=lambda w: w.milestone,
    ),
    E(
        "api:challenges-result-list",
        get=by(BLIND),  # the public list: finished projects' results and running projects' stage results
        secret=lambda w: w.result.title,
    ),
    E("api:review-expert-list", get=STAFF),
    E("api:challenges-application-duplicates", lambda w: {"pk": w.app.pk}, get=STAFF),
    # the registries (#17.2)
    E("registry:result-search", get=PUBLIC),
    E(
        "registry:result-create",
        get=SIGNED_IN,
        writes=post(by(ALLOWED, anonymous=GATE)),  # only the person's own results are offered
    ),
    E(
        "registry:result-detail",
        lambda w: {"pk": w.registration.pk},
        get=by(HIDDEN, applicant=OK, commissioner=OK, staff=OK),  # a draft: its filers and staff
    ),
    E(
        "registry:result-edit",
        lambda w: {"pk": w.registration.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {
            "name": "改",
            "category": "applied",
            "evaluation": "acceptance",
            "stage": "mature",
            "industry": "C",
            "keywords": "甲",
            "summary": "简介",
            "units": [w.unit_a.pk],
            "people": [w.users["applicant"].pk],
            "version": w.registration.version,
        },
        target=lambda w: w.registration,
    ),
    E(
        "registry:result-action",
        lambda w: {"pk": w.registration.pk, "action": "approve"},
        get=by(NOT_ALLOWED),
        # only staff approve, and not a draft: every role that sees it is told why
        # only staff approve, and not a draft: staff are shown the confirmation page with why (400); the
        # filers, whose role never approves, are refused
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=DENIED, staff=SHOWN)),
        data=lambda w: {"confirm": "1"},
        target=lambda w: w.registration,
    ),
    E(
        "registry:result-confirm",
        lambda w: {"pk": w.registration.pk, "action": "approve"},
        # staff see what approval does and why a draft cannot be approved yet; filers may not approve
        get=by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=DENIED, staff=OK),
    ),
    E("registry:pick-people", get=SIGNED_IN, query="?q=王"),
    E(
        "registry:contract-list",
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=BLIND, staff=SEES),
        secret=lambda w: w.tech_contract.title,
    ),
    E(
        "registry:contract-create",
        get=by(DENIED, anonymous=GATE, applicants=OK, staff=OK),
        writes=post(by(DENIED, anonymous=GATE, applicants=ALLOWED, staff=ALLOWED)),
    ),
    E(
        "registry:contract-detail",
        lambda w: {"pk": w.tech_contract.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),  # the parties and staff only
    ),
    E(
        "registry:contract-edit",
        lambda w: {"pk": w.tech_contract.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=ALLOWED)),
        target=lambda w: w.tech_contract,
    ),
    E(
        "registry:contract-action",
        lambda w: {"pk": w.tech_contract.pk, "action": "register"},
        get=by(NOT_ALLOWED),
        # a draft is not registered: staff see why on the confirmation page (400); a party may not register
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, staff=SHOWN)),
        data=lambda w: {"confirm": "1"},
        target=lambda w: w.tech_contract,
    ),
    E(
        "registry:contract-confirm",
        lambda w: {"pk": w.tech_contract.pk, "action": "register"},
        get=by(HIDDEN, anonymous=GATE, applicant=DENIED, staff=OK),
    ),
    E("registry:stats", get=STAFF),
    # Programmes as data (#18): the builder is staff's (role_required before any lookup); a unit user sees a
    # call, fills its current stage's form and reads their own submission (get_visible_or_404).
    E("programmes:index", get=STAFF, writes=post(STAFF_WRITES)),  # POST: import a definition file
    E("programmes:form-create", get=STAFF, writes=post(STAFF_WRITES)),
    E(  # POST: its English name
        "programmes:form-detail",
        lambda w: {"pk": w.pg_form.definition_id},
        get=STAFF,
        writes=post(STAFF_WRITES),
    ),
    E("programmes:form-version", lambda w: {"pk": w.pg_form.pk}, get=STAFF),
    E(
        "programmes:field-add",
        lambda w: {"pk": w.pg_draft_form.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.pg_draft_form,
    ),
    E(
        "programmes:field-edit",
        lambda w: {"pk": w.pg_draft_form.pk, "key": "f1"},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.pg_draft_form,
    ),
    E(
        "programmes:form-version-action",
        lambda w: {"pk": w.pg_draft_form.pk},
        get=by(NOT_ALLOWED),  # require_POST answers a GET first
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "publish", "confirm": "1"},
        target=lambda w: w.pg_draft_form,
    ),
    E(
        "programmes:form-preview",
        lambda w: {"pk": w.pg_form.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),  # checks what was typed, saves nothing
    ),
    E("programmes:form-diff", lambda w: {"pk": w.pg_draft_form.pk}, get=STAFF),
    E(
        "programmes:submission",
        lambda w: {"pk": w.pg_submission.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=SEES, staff=SEES),
        secret=lambda w: "矩阵填报项目",
    ),
    E(
        "programmes:submission-file",
        lambda w: {"pk": w.pg_submission.pk, "file_pk": w.pg_file.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
    ),
    E("programmes:type-create", get=STAFF, writes=post(STAFF_WRITES)),
    E(  # POST: its English name
        "programmes:type-detail",
        lambda w: {"pk": w.pg_version.programme_id},
        get=STAFF,
        writes=post(STAFF_WRITES),
    ),
    E(
        "programmes:version",
        lambda w: {"pk": w.pg_version.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),  # POST: open a call
        data=lambda w: {"title": "矩阵新批次", "year": "2027"},
    ),
    E(
        "programmes:stage-add",
        lambda w: {"pk": w.pg_draft.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.pg_draft,
    ),
    E(
        "programmes:stage-edit",
        lambda w: {"pk": w.pg_draft.pk, "key": "s2"},
        get=STAFF,
        writes=post(STAFF_WRITES),
        target=lambda w: w.pg_draft,
    ),
    E(
        "programmes:version-action",
        lambda w: {"pk": w.pg_draft.pk},
        get=by(NOT_ALLOWED),  # require_POST answers a GET first
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "publish", "confirm": "1"},
        target=lambda w: w.pg_draft,
    ),
    E("programmes:version-diff", lambda w: {"pk": w.pg_draft.pk}, get=STAFF),
    E("programmes:version-export", lambda w: {"pk": w.pg_version.pk}, get=STAFF),
    E(
        "programmes:call",
        lambda w: {"pk": w.pg_call.pk},
        get=by(HIDDEN, anonymous=GATE, applicants=OK, staff=OK),
    ),
    E(
        "programmes:call-fill",
        lambda w: {"pk": w.pg_call.pk},
        get=by(DENIED, anonymous=GATE, applicants=OK),  # staff fill nothing: the applicants' stage
        writes=post(by(DENIED, anonymous=GATE, applicants=ALLOWED)),
    ),
    E(
        "programmes:call-action",
        lambda w: {"pk": w.pg_call.pk},
        get=by(NOT_ALLOWED),  # require_POST answers a GET first
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "advance", "confirm": "1"},
        target=lambda w: w.pg_call,
    ),
    E(
        "programmes:call-name-en",  # a call's English name (any stage)
        lambda w: {"pk": w.pg_call.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"title_en": "An English name"},
        target=lambda w: w.pg_call,
    ),
    E(
        "programmes:call-extend",
        lambda w: {"pk": w.pg_call.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"closes_on": "2099-01-01", "reason": "矩阵"},
        target=lambda w: w.pg_call,
    ),
    E(
        "programmes:call-migrate",
        lambda w: {"pk": w.pg_call.pk, "version_pk": w.pg_version_2.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"map_s1": "s1", "map_s2": "s2", "reason": "矩阵"},
        target=lambda w: w.pg_call,
    ),
    E(
        "api:programmes-submission",
        lambda w: {"pk": w.pg_submission.pk},
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=HIDDEN, staff=SEES),
        secret=lambda w: "矩阵填报项目",
    ),
    E("api:programmes-version", lambda w: {"pk": w.pg_version.pk}, get=STAFF),
    # The per-application 形式审查 (#18): staff list, check one, batch pass; the applicant corrects their own.
    E(
        "programmes:formal-list",
        lambda w: {"pk": w.pg_formal_call.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"confirm": "1"},
        target=lambda w: w.pg_formal_check,
    ),
    E(
        "programmes:formal-check",
        lambda w: {"pk": w.pg_formal_call.pk, "sub_pk": w.pg_formal_sub.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "fail", "reason": "矩阵"},
        target=lambda w: w.pg_formal_check,
    ),
    E(
        "programmes:call-correct",
        lambda w: {"pk": w.pg_formal_call.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK),  # only the applicant whose application was returned
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED)),
        data=lambda w: {"f1": "矩阵修改"},
        target=lambda w: w.pg_formal_check,
    ),
    E(
        "api:programmes-formal",
        lambda w: {"pk": w.pg_formal_call.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"confirm": True},
        target=lambda w: w.pg_formal_check,
    ),
    E(
        "api:programmes-formal-mine",
        lambda w: {"pk": w.pg_formal_call.pk},
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=HIDDEN),
        secret=lambda w: "矩阵补正理由",
    ),
    E(
        "api:programmes-formal-record",
        lambda w: {"pk": w.pg_formal_call.pk, "sub_pk": w.pg_formal_sub.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "fail", "reason": "矩阵"},
        target=lambda w: w.pg_formal_check,
    ),
    # The per-application 立项 (#18): staff list and decide one (confirmed, final); the applicant sees theirs.
    E("programmes:award-list", lambda w: {"pk": w.pg_award_call.pk}, get=STAFF),
    E(
        "programmes:award-decide",
        lambda w: {"pk": w.pg_award_call.pk, "sub_pk": w.pg_award_sub.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "reject", "reason": "矩阵不予立项", "confirm": "1"},
        target=lambda w: w.pg_award_call,
    ),
    E("api:programmes-award", lambda w: {"pk": w.pg_award_call.pk}, get=STAFF),
    E(
        "api:programmes-award-mine",
        lambda w: {"pk": w.pg_award_call.pk},
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=HIDDEN),
        secret=lambda w: "待决定",
    ),
    E(
        "api:programmes-award-record",
        lambda w: {"pk": w.pg_award_call.pk, "sub_pk": w.pg_award_sub.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "reject", "reason": "矩阵", "confirm": True},
        target=lambda w: w.pg_award_call,
    ),
    # The 函评 → 答辩 shortlist (#18): staff list, confirm the batch, decide one (confirmed, final); the
    # applicant sees theirs.
    E(
        "programmes:shortlist-list",
        lambda w: {"pk": w.pg_short_call.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"chosen": [w.pg_short_sub.pk], "confirm": "1"},
        target=lambda w: w.pg_short_call,
    ),
    E(
        "programmes:shortlist-decide",
        lambda w: {"pk": w.pg_short_call.pk, "sub_pk": w.pg_short_sub.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "exclude", "reason": "矩阵未入围", "confirm": "1"},
        target=lambda w: w.pg_short_call,
    ),
    E(
        "api:programmes-shortlist",
        lambda w: {"pk": w.pg_short_call.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"shortlisted": [w.pg_short_sub.pk], "confirm": True},
        target=lambda w: w.pg_short_call,
    ),
    E(
        "api:programmes-shortlist-mine",
        lambda w: {"pk": w.pg_short_call.pk},
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=HIDDEN),
        secret=lambda w: "待确定",
    ),
    E(
        "api:programmes-shortlist-record",
        lambda w: {"pk": w.pg_short_call.pk, "sub_pk": w.pg_short_sub.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "exclude", "reason": "矩阵", "confirm": True},
        target=lambda w: w.pg_short_call,
    ),
    # The 预申报 invitation (#18): staff list, decide one and batch invite (confirmed, final); the applicant
    # sees their own outcome.
    E(
        "programmes:invitation-list",
        lambda w: {"pk": w.pg_call.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"confirm": "1", "submission": [w.pg_submission.pk]},
        target=lambda w: w.pg_call,
    ),
    E(
        "programmes:invitation-decide",
        lambda w: {"pk": w.pg_call.pk, "sub_pk": w.pg_submission.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "decline", "reason": "矩阵不予邀请", "confirm": "1"},
        target=lambda w: w.pg_call,
    ),
    E(
        "api:programmes-invitation",
        lambda w: {"pk": w.pg_call.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"submissions": [w.pg_submission.pk], "confirm": True},
        target=lambda w: w.pg_call,
    ),
    E(
        "api:programmes-invitation-mine",
        lambda w: {"pk": w.pg_call.pk},
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=HIDDEN),
        secret=lambda w: "待遴选",
    ),
    E(
        "api:programmes-invitation-record",
        lambda w: {"pk": w.pg_call.pk, "sub_pk": w.pg_submission.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "decline", "reason": "矩阵", "confirm": True},
        target=lambda w: w.pg_call,
    ),
    # 公示 with objections (#18): every signed-in role sees the list and may object (not staff, not to their
    # own); the objector's identity and the objection itself are seen by staff and the objector only (the
    # objected applicant sees it on their application's page, without its objector, and may fetch its file).
    E(
        "programmes:publicity",
        lambda w: {"pk": w.pg_pub_call.pk},
        get=by(BLIND, anonymous=GATE, applicant_other=OK, staff=SEES),
        secret=lambda w: str(w.pg_objector),
    ),
    E(
        "programmes:objection-lodge",
        lambda w: {"pk": w.pg_pub_call.pk, "sub_pk": w.pg_pub_sub.pk},
        get=by(OK, anonymous=GATE, applicant=DENIED, staff=DENIED),
        writes=post(by(ALLOWED, anonymous=GATE, applicant=DENIED, staff=DENIED)),
        data=lambda w: {"reason": "矩阵", "confirm": "1"},
        target=lambda w: w.pg_pub_call,
    ),
    E(
        "programmes:objection",
        lambda w: {"pk": w.pg_pub_call.pk, "obj_pk": w.pg_objection.pk},
        get=by(HIDDEN, anonymous=GATE, applicant_other=SEES, staff=SEES),
        writes=post(by(HIDDEN, anonymous=GATE, applicant_other=DENIED, staff=ALLOWED)),
        data=lambda w: {"action": "uphold", "reason": "矩阵", "confirm": "1"},
        target=lambda w: w.pg_objection,
        secret=lambda w: "矩阵异议理由",
    ),
    E(
        "programmes:objection-file",
        lambda w: {"pk": w.pg_pub_call.pk, "obj_pk": w.pg_objection.pk},
        # the objected applicant too: they see the objection (not its objector) on their application's page
        get=by(HIDDEN, anonymous=GATE, applicant=OK, applicant_other=OK, staff=OK),
    ),
    E(
        "programmes:objection-withdraw",
        lambda w: {"pk": w.pg_pub_call.pk, "obj_pk": w.pg_objection.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        # the objector only; staff see the objection but do not withdraw it
        writes=post(by(HIDDEN, anonymous=GATE, applicant_other=ALLOWED, staff=DENIED)),
        data=lambda w: {"confirm": "1"},
        target=lambda w: w.pg_objection,
    ),
    E(
        "api:programmes-publicity",
        lambda w: {"pk": w.pg_pub_call.pk},
        get=by(BLIND, anonymous=GATE, applicant_other=SEES, staff=SEES),
        secret=lambda w: "矩阵异议理由",
    ),
    E(
        "api:programmes-objection-lodge",
        lambda w: {"pk": w.pg_pub_call.pk, "sub_pk": w.pg_pub_sub.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(ALLOWED, anonymous=GATE, applicant=SHOWN, staff=DENIED)),
        data=lambda w: {"reason": "矩阵", "confirm": True},
        target=lambda w: w.pg_pub_call,
    ),
    E(
        "api:programmes-objection-withdraw",
        lambda w: {"pk": w.pg_objection.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(HIDDEN, anonymous=GATE, applicant_other=ALLOWED, staff=DENIED)),
        data=lambda w: {"confirm": True},
        target=lambda w: w.pg_objection,
    ),
    E(
        "api:programmes-objection-answer",
        lambda w: {"pk": w.pg_objection.pk},
        get=POST_ONLY_STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "uphold", "reason": "矩阵", "confirm": True},
        target=lambda w: w.pg_objection,
    ),
    # Open data (#17.3): public pages and download, OAI-PMH (GET only); staff refresh the dump (confirmed).
    E("documents:opendata", get=PUBLIC),
    E("documents:opendata-download", get=PUBLIC),
    E("documents:opendata-build", get=STAFF, writes=post(STAFF_WRITES)),
    E("documents:opendata-vocab", lambda w: {"name": "industry"}, get=PUBLIC),
    E(
        "documents:opendata-oai",
        get=PUBLIC,
        query="?verb=Identify",
        writes=post(by(NOT_ALLOWED)),
    ),
    E(
        "api:registry-result-list",
        get=by(BLIND, applicant=SEES, commissioner=SEES, staff=SEES),
        secret=lambda w: w.registration.name,
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"result": w.result.pk, "name": "x"},
        routes=("result",),
    ),
    E(
        "api:registry-result-detail",
        lambda w: {"pk": w.registration.pk},
        get=by(HIDDEN, applicant=OK, commissioner=OK, staff=OK),
        writes={"PATCH": by(HIDDEN, anonymous=GATE, applicant=ALLOWED, commissioner=ALLOWED, staff=ALLOWED)},
        data=lambda w: {"name": "改", "version": w.registration.version},
        target=lambda w: w.registration,
    ),
    E(
        "api:registry-result-transition",
        lambda w: {"pk": w.registration.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=CONFLICT, commissioner=CONFLICT, staff=CONFLICT)),
        data=lambda w: {"action": "approve"},
        target=lambda w: w.registration,
    ),
    E(
        "api:registry-contract-list",
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=BLIND, staff=SEES),
        secret=lambda w: w.tech_contract.title,
        writes=post(by(DENIED, anonymous=GATE, applicants=ALLOWED, staff=ALLOWED)),
    ),
    E(
        "api:registry-contract-detail",
        lambda w: {"pk": w.tech_contract.pk},
        get=by(DENIED, anonymous=GATE, applicant=OK, applicant_other=HIDDEN, staff=OK),
        writes={
            "PATCH": by(DENIED, anonymous=GATE, applicant=ALLOWED, applicant_other=HIDDEN, staff=ALLOWED)
        },
        data=lambda w: {"title": "改", "version": w.tech_contract.version},
        target=lambda w: w.tech_contract,
    ),
    E(
        "api:registry-contract-transition",
        lambda w: {"pk": w.tech_contract.pk},
        get=by(DENIED, anonymous=GATE, applicants=NOT_ALLOWED, staff=NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, applicant=CONFLICT, applicant_other=HIDDEN, staff=CONFLICT)),
        data=lambda w: {"action": "register"},
        target=lambda w: w.tech_contract,
    ),
    E("api:registry-contract-stats", get=STAFF),
    # the lifecycle's API (#17.5): the same role and object checks as the pages above
    E(
        "api:challenges-challenge-edit",
        lambda w: {"pk": w.ch_draft.pk},
        get=API_STAFF_POST,
        writes={"PATCH": STAFF_WRITES},
        data=lambda w: {"goal": "改", "version": w.ch_draft.version},
        target=lambda w: w.ch_draft,
    ),
    E(
        "api:challenges-challenge-review",
        lambda w: {"pk": w.ch_review.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"mode": "manual"},
        target=lambda w: w.ch_review,
    ),
    E(
        "api:challenges-challenge-decision",
        lambda w: {"pk": w.ch_review.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"winners": [w.app.pk], "days": 7},
        target=lambda w: w.ch_review,
    ),
    E(
        "api:challenges-challenge-publicity",
        lambda w: {"pk": w.ch_pub.pk},
        get=by(BLIND, staff=SEES),  # the notice is public; an objection not yet answered is staff's
        secret=lambda w: w.objection.text,
    ),
    E(
        "api:challenges-challenge-objections",
        lambda w: {"pk": w.ch_pub.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(ALLOWED, anonymous=GATE)),  # any signed-in person may lodge an objection
        data=lambda w: {"application": w.app_pub.pk, "text": "匿名异议"},
    ),
    E(
        "api:challenges-challenge-pre-applications",
        lambda w: {"pk": w.ch_pre.pk},
        # staff see every one, a unit its own (unit B: an empty list); other roles are refused
        get=by(DENIED, anonymous=GATE, applicant=SEES, applicant_other=BLIND, staff=SEES),
        # unit A already pre-applied (400, nothing changes); unit B may
        writes=post(by(DENIED, anonymous=GATE, applicant=Outcome(400, "400"), applicant_other=ALLOWED)),
        data=lambda w: {"values": {"f1": "乙单位预申报"}},
        secret=lambda w: "甲单位预申报简介",
        target=lambda w: w.pre,
    ),
    E(
        "api:challenges-pre-application-shortlist",
        lambda w: {"pk": w.pre.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "invite"},
        target=lambda w: w.pre,
    ),
    E(
        "api:challenges-objection-answer",
        lambda w: {"pk": w.objection.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"upheld": False, "answer": "驳回"},
        target=lambda w: w.objection,
    ),
    E(
        "api:challenges-challenge-downselect",
        lambda w: {"pk": w.ch_review.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"note": "评估", "outcomes": {}},
    ),
    E(
        "api:challenges-application-edit",
        lambda w: {"pk": w.app_draft.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes={"PATCH": by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)},  # staff never edit
        data=lambda w: {"title": "改名申请", "version": w.app_draft.version},
        target=lambda w: w.app_draft,
    ),
    E(  # joint applications (#13.11): read by whoever sees the application, replaced by the lead unit only
        "api:challenges-application-partners",
        lambda w: {"pk": w.app_draft.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        writes={"PUT": by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)},  # staff never edit
        data=lambda w: {"partners": []},
        target=lambda w: w.app_draft,
    ),
    E(
        "api:challenges-application-attachments",
        lambda w: {"pk": w.app_draft.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)),
    ),
    E(
        "api:challenges-attachment-detail",
        lambda w: {"pk": w.attachment.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),
        writes={"DELETE": by(HIDDEN, anonymous=GATE, applicant=ALLOWED, staff=DENIED)},
        target=lambda w: w.attachment,
        variant="draft",
    ),
    E(
        "api:challenges-attachment-detail",
        lambda w: {"pk": w.app_attachment.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, staff=OK),  # as the page: not before declaring
        variant="under-review",
    ),
    E(
        "api:challenges-contract-edit",
        lambda w: {"pk": w.contract_draft.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes={"PATCH": by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=ALLOWED, staff=ALLOWED)},
        data=lambda w: {"title": "改名任务书", "version": w.contract_draft.version, "reason": "x"},
        target=lambda w: w.contract_draft,
    ),
    E(
        "api:challenges-contract-commissioner",
        lambda w: {"pk": w.contract.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"commissioner": w.users["commissioner_other"].pk},
        target=lambda w: w.contract,
    ),
    E(
        "api:challenges-contract-transition",
        lambda w: {"pk": w.contract.pk},
        get=by(NOT_ALLOWED, anonymous=GATE),
        # the unit and its commissioner see the project; only staff terminate it
        writes=post(by(HIDDEN, anonymous=GATE, applicant=CONFLICT, commissioner=CONFLICT, staff=ALLOWED)),
        data=lambda w: {"action": "terminate", "reason": "终止"},
        target=lambda w: w.contract,
    ),
    E(
        "api:challenges-contract-midterm",
        lambda w: {"pk": w.contract.pk},
        get=by(HIDDEN, anonymous=GATE, applicant=OK, commissioner=OK, staff=OK),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"conclusion": "continue", "notes": "x"},
    ),
    E(
        "api:challenges-contract-acceptance",
        lambda w: {"pk": w.contract.pk},
        get=by(DENIED, anonymous=GATE, staff=HIDDEN),  # staff only; none recorded yet for this project
        writes=post(STAFF_WRITES),
        data=lambda w: {"verdict": "passed", "achieved": {}},
        target=lambda w: w.contract,
    ),
    E(
        "api:challenges-contract-performance",
        lambda w: {"pk": w.contract.pk},
        # whoever sees the project reads it (none filled yet for this project: 404 for them too)
        get=by(HIDDEN, anonymous=GATE),
        writes=post(by(HIDDEN, anonymous=GATE, applicant=DENIED, commissioner=ALLOWED, staff=ALLOWED)),
        data=lambda w: {"action": "save", "grade": "good"},
        target=lambda w: w.contract,
    ),
    E("api:notification-list", get=SIGNED_IN),
    E(
        "api:notification-read",
        get=by(NOT_ALLOWED, anonymous=GATE),
        writes=post(by(ALLOWED, anonymous=GATE)),  # each marks only their own
    ),
    E(
        "api:challenges-duplicate-decide",
        lambda w: {"pk": w.duplicate.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "clear", "note": "独立方案"},
        target=lambda w: w.duplicate,
    ),
    E(
        "api:integrity-record-list",
        get=by(DENIED, anonymous=GATE, staff=SEES),
        secret=lambda w: w.integrity.decision,
        writes=post(STAFF_WRITES),
    ),
    E("api:integrity-record-detail", lambda w: {"pk": w.integrity.pk}, get=STAFF),
    E(
        "api:integrity-record-transition",
        lambda w: {"pk": w.integrity.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"action": "appeal", "reason": "申诉"},
        target=lambda w: w.integrity,
    ),
    E(
        "api:review-my-profile",
        get=by(DENIED, anonymous=GATE, experts=OK),
        writes={"PATCH": by(DENIED, anonymous=GATE, experts=ALLOWED)},
        data=lambda w: {"title": "研究员"},
    ),
    E("api:review-form-create", get=API_STAFF_POST, writes=post(STAFF_WRITES)),
    E(
        "api:review-round-list",
        get=by(DENIED, anonymous=GATE, experts=BLIND, expert_assigned=SEES, expert_declared=SEES, staff=SEES),
        secret=lambda w: w.round.title,
    ),
    E(
        "api:review-round-detail",
        lambda w: {"pk": w.round.pk},
        get=STAFF,
        writes={"PATCH": STAFF_WRITES},
        data=lambda w: {"leximin_depth": 2},
        target=lambda w: w.round,
    ),
    E(
        "api:review-round-assign",
        lambda w: {"pk": w.round.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        target=lambda w: w.round,
    ),
    E(
        "api:review-round-assignments",
        lambda w: {"pk": w.round.pk},
        get=STAFF,
        writes=post(STAFF_WRITES),
        data=lambda w: {"subject": w.app_rival.pk, "expert": w.users["expert_unassigned"].pk, "reason": "x"},
    ),
    E("api:review-round-ranking", lambda w: {"pk": w.round.pk}, get=STAFF),
    E(
        "api:review-my-assignments",
        get=by(DENIED, anonymous=GATE, experts=BLIND, expert_assigned=SEES, expert_declared=SEES, staff=SEES),
        secret=lambda w: w.app.title,
    ),
    E(
        "api:review-review-detail",
        lambda w: {"pk": w.review.pk},
        get=by(DENIED, anonymous=GATE, experts=HIDDEN, expert_assigned=OK, staff=OK),
        # staff read reviews, never write them
        writes={"PATCH": by(DENIED, anonymous=GATE, experts=HIDDEN, expert_assigned=ALLOWED, staff=DENIED)},
        data=lambda w: {"scores": {"tech": 30}, "version": w.review.version},
        target=lambda w: w.review,
        variant="assigned",
    ),
    E(
        "api:review-review-detail",
        lambda w: {"pk": w.review_declined.pk},
        get=by(DENIED, anonymous=GATE, experts=HIDDEN, staff=OK),
        writes={"PATCH": by(DENIED, anonymous=GATE, experts=HIDDEN, staff=DENIED)},
        data=lambda w: {"scores": {"tech": 30}, "version": w.review_declined.version},
        target=lambda w: w.review_declined,
        variant="declined",
    ),
    E(
        "api:review-review-file",
        lambda w: {"pk": w.review.pk, "key": "f9"},
        get=by(DENIED, anonymous=GATE, experts=NOT_ALLOWED, staff=NOT_ALLOWED),
        # only the review's expert uploads (staff read reviews, never write them)
        writes=post(by(DENIED, anonymous=GATE, experts=HIDDEN, expert_assigned=ALLOWED, staff=DENIED)),
        data=lambda w: {"clear": True, "version": w.review.version},
        target=lambda w: w.review,
    ),
    E(
        "api:review-review-action",
        lambda w: {"pk": w.review.pk, "action": "open"},
        get=by(DENIED, anonymous=GATE, experts=NOT_ALLOWED, staff=NOT_ALLOWED),
        writes=post(by(DENIED, anonymous=GATE, experts=HIDDEN, expert_assigned=ALLOWED, staff=DENIED)),
        data=lambda w: {"confirm": True},  # the no-conflict declaration (security §40)
        target=lambda w: w.review,
    ),
    E(
        "api:evaluation-campaigns",
        get=by(BLIND, commissioners=SEES, staff=SEES),
        secret=lambda w: w.campaign.name,
        writes=post(STAFF_WRITES),
    ),
    E("api:evaluation-campaign", lambda w: {"pk": w.campaign.pk}, get=by(HIDDEN, commissioners=OK, staff=OK)),
    *[
        E(
            f"api:evaluation-{name}",
            lambda w: {"pk": w.campaign.pk},
            get=API_STAFF_POST,
            writes=post(STAFF_WRITES),
            target=lambda w: w.campaign,
        )
        for name in ("nodes", "action", "score")
    ],
    E(
        "api:evaluation-entries-set",
        lambda w: {"pk": w.campaign.pk},
        get=API_STAFF_POST,
        writes={"PUT": STAFF_WRITES},
        data=lambda w: {"platforms": [w.platform_pub.pk, w.platform.pk]},
        target=lambda w: w.campaign,
    ),
    E(
        "api:evaluation-contracts-set",
        lambda w: {"pk": w.campaign.pk},
        get=API_STAFF_POST,
        writes={"PUT": STAFF_WRITES},
        data=lambda w: {"contracts": [w.contract.pk]},
        target=lambda w: w.campaign,
    ),
    E("api:evaluation-results", lambda w: {"pk": w.campaign.pk}, get=by(HIDDEN, commissioners=OK, staff=OK)),
    E("api:evaluation-entries", get=PUBLIC),
    E("api:evaluation-computation", lambda w: {"pk": w.computation.pk}, get=INSIDE),
    E("api:techmap-chain-list", get=INTERNAL_MAP, secret=lambda w: w.chain.name, writes=post(STAFF_WRITES)),
    E(
        "api:techmap-chain-detail",
        lambda w: {"pk": w.chain.pk},
        get=MAP_DETAIL,
        writes=dict.fromkeys(("PUT", "PATCH"), STAFF_WRITES),
        data=lambda w: {"name": "改名"},
        target=lambda w: w.chain,
    ),
    E("api:techmap-link-list", get=INTERNAL_MAP, secret=lambda w: w.link.name, writes=post(STAFF_WRITES)),
    E(
        "api:techmap-link-detail",
        lambda w: {"pk": w.link.pk},
        get=MAP_DETAIL,
        writes=dict.fromkeys(("PUT", "PATCH"), STAFF_WRITES),
        data=lambda w: {"name": "改名"},
        target=lambda w: w.link,
    ),
    E(
        "api:techmap-technology-list",
        get=INTERNAL_MAP,
        secret=lambda w: w.technology.name,
        writes=post(STAFF_WRITES),
    ),
    E(
        "api:techmap-technology-detail",
        lambda w: {"pk": w.technology.pk},
        get=MAP_DETAIL,
        writes=dict.fromkeys(("PUT", "PATCH"), STAFF_WRITES),
        data=lambda w: {"name": "改名"},
        target=lambda w: w.technology,
    ),
    E(
        "api:techmap-trl-list",
        lambda w: {"pk": w.technology.pk},
        get=MAP_DETAIL,
        writes=post(STAFF_WRITES),
        target=lambda w: w.technology,
    ),
    E(
        "api:techmap-gap-topic",
        lambda w: {"pk": w.technology.pk},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        target=lambda w: w.technology,
    ),
    E(
        "api:techmap-coverage-list",
        get=by(DENIED, anonymous=GATE, experts=OK, commissioners=OK, staff=OK),
        writes=post(STAFF_WRITES),
    ),
    E(
        "api:techmap-coverage-detail",
        lambda w: {"pk": w.coverage.pk},
        get=by(DENIED, anonymous=GATE, experts=OK, commissioners=OK, staff=OK),
        writes={"PATCH": STAFF_WRITES},
        data=lambda w: {"until": "2025-12-31"},
        target=lambda w: w.coverage,
    ),
    E("api:techmap-gaps", get=by(DENIED, anonymous=GATE, experts=OK, commissioners=OK, staff=OK)),
    E("api:techmap-tree", get=INTERNAL_MAP, secret=lambda w: w.technology.name),
    E(
        "api:indicators-indicator-list",
        get=by(BLIND, commissioners=SEES, staff=SEES),  # published indicators are public, by design
        secret=lambda w: w.indicator.name_zh,
        writes=post(STAFF_WRITES),
    ),
    E(
        "api:indicators-indicator-detail",
        lambda w: {"code": w.indicator.code},
        get=by(HIDDEN, commissioners=OK, staff=OK),
        # writes are gated by role before the object is looked up: 403 for any code, nothing revealed
        writes=dict.fromkeys(("PUT", "PATCH"), STAFF_WRITES),
        data=lambda w: {"name_zh": "改名指标"},
        target=lambda w: w.indicator,
        variant="unpublished",
    ),
    E(
        "api:indicators-indicator-detail",
        lambda w: {"code": w.indicator_pub.code},
        get=PUBLIC,
        writes=dict.fromkeys(("PUT", "PATCH"), STAFF_WRITES),
        data=lambda w: {"name_zh": "改名指标"},
        target=lambda w: w.indicator_pub,
        variant="published",
    ),
    E(
        "api:indicators-value-list",
        get=by(BLIND, commissioners=SEES, staff=SEES),  # values of published indicators are public
        secret=lambda w: w.indicator.code,
        writes=post(STAFF_WRITES),
    ),
    E(
        "api:indicators-target-list",
        get=by(BLIND, commissioners=SEES, staff=SEES),
        secret=lambda w: w.indicator.code,
        writes=post(STAFF_WRITES),
    ),
    E(
        "api:indicators-run-list",
        get=by(BLIND, commissioners=SEES, staff=SEES),
        secret=lambda w: w.framework.code,
        writes=post(STAFF_WRITES),
    ),
    E("api:indicators-run-detail", lambda w: {"pk": w.run.pk}, get=by(HIDDEN, commissioners=OK, staff=OK)),
    E("api:ingest-document-list", get=STAFF),
    E("api:ingest-document-upload", get=API_STAFF_POST, writes=post(STAFF_WRITES)),
    E("api:ingest-document-detail", lambda w: {"pk": w.document.pk}, get=STAFF),
    E("api:ingest-fact-list", get=STAFF),
    E(
        "api:ingest-fact-action",
        lambda w: {"pk": w.fact.pk, "action": "accept"},
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        target=lambda w: w.fact,
    ),
    E(
        "api:ingest-fact-accept-many",
        get=API_STAFF_POST,
        writes=post(STAFF_WRITES),
        data=lambda w: {"ids": [w.fact.pk]},
        target=lambda w: w.fact,
    ),
    E("schema", get=PUBLIC),  # the API's description is public
    E("swagger-ui", get=PUBLIC),
]


# The admin site: every view goes through `AdminSite.admin_view`, which sends anyone who is not a Django
# `is_staff` user to the admin sign-in page — and none of the roles is (department staff work in the
# platform's own pages; only a superuser created by `kechuang demo`/`createsuperuser` enters the admin).
# The entries of each registered model are therefore generated from the admin registry; a URL the admin
# gains any other way (a ModelAdmin.get_urls addition) still needs its own entry.

ADMIN_SITE = {
    "admin:index": {},
    "admin:login": {},
    "admin:logout": {},
    "admin:password_change": {},
    "admin:password_change_done": {},
    "admin:autocomplete": {},
    "admin:jsi18n": {},
    "admin:view_on_site": {"content_type_id": "1", "object_id": "1"},
    "admin:app_list": {"app_label": "accounts"},
    "admin:auth_user_password_change": {"id": "1"},
    "admin/(?P<url>.*)$": {"url": "no/such/page/"},
}


def admin_entries() -> list[Entry]:
    admin_post = post(by(ADMIN_LOGIN))
    entries = [
        E(name, lambda w, kw=kw: kw, get=by(ADMIN_LOGIN), writes=admin_post if name != "admin:login" else {})
        for name, kw in ADMIN_SITE.items()
    ]
    entries[1].get = by(OK)  # the admin's sign-in page itself answers everyone
    entries[2].get = by(MOVED)  # signing out of the admin: back to its index
    entries[2].writes = post(by(MOVED))
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = {"object_id": "1"}
        entries += [
            E(f"{info}_changelist", get=by(ADMIN_LOGIN), writes=admin_post),
            E(f"{info}_add", get=by(ADMIN_LOGIN), writes=admin_post),
            E(f"{info}_history", lambda w, kw=obj: kw, get=by(ADMIN_LOGIN)),
            E(f"{info}_delete", lambda w, kw=obj: kw, get=by(ADMIN_LOGIN), writes=admin_post),
            E(f"{info}_change", lambda w, kw=obj: kw, get=by(ADMIN_LOGIN), writes=admin_post),
            E(
                f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/",
                lambda w, kw=obj: kw,
                get=by(ADMIN_LOGIN),
            ),
        ]
    return entries


ADMIN_ENTRIES = admin_entries()
ALL_ENTRIES = MATRIX + ADMIN_ENTRIES


# The checks -------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _roles():
    """The world synced the role groups once; skip the per-test sync of the shared conftest."""


@pytest.fixture(autouse=True)
def _media():
    """Test storage is in memory (settings.test); the world's attachment lives there for the module."""


@pytest.fixture
def db(world):
    """pytest-django's `db` for this module's tests, in the few lines of it they use: each test in a transaction
    rolled back after it, with the deferred constraints checked first (what django's TestCase does at a test's
    end). The world's fixture holds the database open for the module. pytest-django's made a TestCase class, set
    it up and tore it down for each of the ~5,500 cases: about 0.6 ms of CPU a test more (testtime12)."""
    with transaction.atomic():
        yield
        if connection.features.can_defer_constraint_checks and not connection.needs_rollback:
            connection.check_constraints()
        transaction.set_rollback(True)


def _patterns_by_key() -> dict[str, Pattern]:
    return {p.key: p for p in url_patterns()}


def test_every_url_has_an_entry():
    """Generated from the URL configuration: a new endpoint without an entry fails here."""
    covered = {e.name for e in ALL_ENTRIES}
    missing = [
        f"{p.key}  ({p.route})" for p in url_patterns() if p.key not in covered and p.key not in IGNORED
    ]
    assert not missing, (
        "URL patterns without an entry in the permission matrix — add one to MATRIX in "
        "tests/test_permission_matrix.py (see docs/security.md, 'Permission matrix'):\n  "
        + "\n  ".join(missing)
    )


def test_every_entry_names_a_url():
    known = _patterns_by_key()
    stale = sorted({e.name for e in ALL_ENTRIES} - set(known))
    assert not stale, f"entries for URL names that no longer exist: {stale}"
    for e in ALL_ENTRIES:
        assert set(e.get) == set(ROLES), f"{e.id}: GET outcome missing for {set(ROLES) - set(e.get)}"
        for method, outcomes in e.writes.items():
            assert set(outcomes) == set(ROLES), f"{e.id} {method}: outcome missing for some roles"


def test_every_write_method_has_an_entry():
    """A class-based view (every API view) that accepts a write must say who is refused it."""
    known = _patterns_by_key()
    gaps = []
    for e in MATRIX:  # the admin's views are function views behind admin_view (see admin_entries)
        view_class = getattr(known[e.name].callback, "view_class", None)
        if view_class is None:
            continue
        allowed = set(getattr(view_class, "http_method_names", ()))
        accepts = {
            m.upper() for m in ("post", "put", "patch", "delete") if m in allowed and hasattr(view_class, m)
        }
        declared = {m for e2 in ALL_ENTRIES if e2.name == e.name for m in e2.writes}
        if accepts - declared:
            gaps.append(f"{e.id} accepts {sorted(accepts - declared)}")
    assert not gaps, "write methods with no refusal entry:\n  " + "\n  ".join(sorted(set(gaps)))


def _snapshot(w, entry: Entry):
    """The number of audit events and the entry's target row as stored (every column), in one query. (Through the
    ORM, a count and a `values().first()`: 1.2 ms of CPU a snapshot, two for each refused write; testtime12.)"""
    from kechuang.core.models import AuditEvent

    quote = connection.ops.quote_name
    events = f"SELECT COUNT(*) FROM {quote(AuditEvent._meta.db_table)}"
    if entry.target is None:
        with connection.cursor() as cursor:
            cursor.execute(events)
            return cursor.fetchone()[0], None
    obj = entry.target(w)
    meta = type(obj)._meta.concrete_model._meta
    assert not meta.parents, f"{entry.id}: the target's model inherits a table; its row is more than one"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({events}), t.* FROM {quote(meta.db_table)} t WHERE t.{quote(meta.pk.column)} = %s",
            [meta.pk.get_db_prep_value(obj.pk, connection)],
        )
        found = cursor.fetchone()
        if found is None:  # the row is gone: still count the events
            cursor.execute(events)
            return cursor.fetchone()[0], None
        columns = [c[0] for c in cursor.description[1:]]
    return found[0], dict(zip(columns, found[1:], strict=True))


def _check(response, expected: Outcome, secret: str | None, api: bool) -> str:
    """'' when the answer matches the expected outcome, else what went wrong."""
    if expected is GATE:
        expected = UNAUTHORISED if api else LOGIN
    got = response.status_code
    if got != expected.status:
        where = f" → {response['Location']}" if got in (301, 302) else ""
        return f"expected {expected!r}, got {got}{where}"
    if expected.login and not response["Location"].startswith(expected.login):
        return f"expected {expected!r}, redirected to {response['Location']}"
    if expected is MOVED and "/login/" in response["Location"]:
        return f"expected {expected!r}, redirected to sign in"
    if expected.secret is not None:
        assert secret, "SEES/BLIND need the entry's secret"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        shown = secret in body.decode("utf-8", "replace")
        if shown != expected.secret:
            return f"expected {expected!r}, the answer {'shows' if shown else 'lacks'} {secret!r}"
    return ""


def _send(client: Client, method: str, url: str, data: dict, api: bool):
    if api:
        return client.generic(method, url, json.dumps(data, default=str), content_type="application/json")
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url, urlencode(data), content_type="application/x-www-form-urlencoded")


def _url(w, entry: Entry) -> str:
    if "/" not in entry.name:  # a URL name; an unnamed pattern's entry is keyed by its route
        return reverse(entry.name, kwargs=entry.kwargs(w)) + entry.query
    return "/" + _fill(entry.name, entry.kwargs(w)) + entry.query


# A GET changes nothing (a link, an image or a prefetch on another site can make a browser GET any URL in its
# person's name, with no CSRF token to stop it): every GET below writes no row; only the session may change (a
# message shown, a key kept for a form). It found the second-factor setup page making a device row on every
# first visit. (This was tests/security/test_get_writes_nothing.py, which fetched the same URLs as six of the
# roles a second time.)
# A call with an API token also notes when and from where the token was last used (accounts.services.token_used):
# the credential's own bookkeeping, like the session's row.
GET_MAY_WRITE = ("django_session", "accounts_apitoken")


def _watch_writes(seen: list[str]) -> Callable:
    def watch(execute, sql, params, many, context):
        head = sql.lstrip()[:6].upper()
        if head in ("INSERT", "UPDATE", "DELETE") and not any(t in sql for t in GET_MAY_WRITE):
            seen.append(sql[:100])
        return execute(sql, params, many, context)

    return watch


# A role refused for who it is (or for not seeing the object) is refused before its body is read: it gets
# the body's routing keys only (the step, the object named in the body), and must still get 403/404/the
# sign-in gate, not a 400 about the missing fields — a 400 would tell a stranger the object exists and what a
# write to it needs, and would make the order of a view's checks (permission, then input) untested.
BARE = (DENIED, HIDDEN, UNAUTHORISED, GATE, LOGIN, ADMIN_LOGIN)


def _plain_refusals(real_error: Callable) -> Callable:
    """web.views._error for the matrix: a refused page (403, 404) with its status and the refusal's sentence,
    without the whole page around it (base.html: about 20 ms of CPU a request, a quarter of the matrix's time;
    2026-12-06, testtime7). The matrix checks a refusal's status, redirect and the rows it left alone, never
    a refused page's body (DENIED and HIDDEN hold no secret); tests/test_refusal_reasons.py renders the pages
    themselves, in both languages. The API's answers (JSON), 400 and 500 go through the real one."""
    from django.http import HttpResponse

    from kechuang.core.exceptions import refusal_reason

    def error(request, template, status, exception=None):
        if status not in (403, 404) or request.path.startswith("/api/"):
            return real_error(request, template, status, exception)
        return HttpResponse(str(refusal_reason(exception)) if status == 403 else "", status=status)

    return error


def run_entry(w, entry: Entry, role: str) -> list[str]:
    """Every way the answers to `role` differ from the entry: its GET (which must write no row), then each
    write it must be refused (refused, and nothing changed: no new audit event, the target row as it was).
    Writes roll back."""
    from kechuang.web import views

    with mock.patch.object(views, "_error", _plain_refusals(views._error)):
        return _run_entry(w, entry, role)


def _run_entry(w, entry: Entry, role: str) -> list[str]:
    url = _url(w, entry)
    api = url.startswith("/api/")
    client = client_as(w, role, api)
    secret = entry.secret(w) if entry.secret else None
    problems = []
    writes: list[str] = []
    with connection.execute_wrapper(_watch_writes(writes)):
        response = client.get(url)
    problem = _check(response, entry.get[role], secret, api)
    if problem:
        problems.append(f"{entry.id} × {role} × GET {url}: {problem}")
    if writes:
        problems.append(f"{entry.id} × {role} × GET {url}: a GET wrote {writes[0]}")
    for method, outcomes in entry.writes.items():
        expected = outcomes[role]
        if expected is ALLOWED:
            continue
        data = entry.data(w)
        if expected in BARE:
            data = {k: v for k, v in data.items() if k in entry.routes} if isinstance(data, dict) else []
        before = _snapshot(w, entry)
        with transaction.atomic():
            response = _send(client, method, url, data, api)
            after = _snapshot(w, entry)
            transaction.set_rollback(True)
        where = f"{entry.id} × {role} × {method} {url}"
        problem = _check(response, expected, None, api)
        if problem:
            problems.append(f"{where}: {problem}")
        elif response.status_code not in REFUSALS:
            problems.append(f"{where}: {response.status_code} is not a refusal")
        if before[0] != after[0]:
            problems.append(f"{where}: refused, yet wrote an audit event")
        if before[1] != after[1]:
            problems.append(f"{where}: refused, yet changed {before[1]} → {after[1]}")
    return problems


# The cases, in two halves: this module checks every other one (`[0::2]`), tests/test_permission_matrix_b.py the
# rest, each module with its own world. `--dist loadfile` (tools/runtests.py) gives a file to one worker: as one
# file the matrix (two thirds of the SQLite pass's tests, three quarters of PostgreSQL's) ran on one worker
# while the other ran everything else and then stood idle; as two, each worker starts with half of it.
MATRIX_CASES = [pytest.param(e, r, id=f"{e.id}-{r}") for e in MATRIX for r in ROLES]
ADMIN_CASES = [pytest.param(e, id=e.id) for e in ADMIN_ENTRIES]


@pytest.mark.parametrize("entry,role", MATRIX_CASES[0::2])
def test_permission(world, db, entry: Entry, role: str):
    """One URL × one role: GET and every refused write answer as the matrix says."""
    problems = run_entry(world, entry, role)
    assert not problems, "\n".join(problems)


# Every admin view sits behind the one gate, `AdminSite.admin_view` (is_staff): the site's own pages and the
# first registered model's pages are checked for every role; every other admin URL for the three roles that
# differ most (anonymous, the department's staff — the most trusted role — and an applicant). That keeps the
# same proof of the gate at a third of the requests (the admin is half of all URL patterns).
ADMIN_FULL = {e.name for e in ADMIN_ENTRIES if not e.name.startswith("admin:") or "_" not in e.name[6:]}
ADMIN_FULL |= {e.name for e in ADMIN_ENTRIES[:20]}
ADMIN_ROLES = ("anonymous", "staff", "applicant")


@pytest.mark.parametrize("entry", ADMIN_CASES[0::2])
def test_admin_permission(world, db, entry: Entry):
    """One admin URL × the roles (one gate, `admin_view`, so one test a URL; failures name the role)."""
    problems = check_admin_entry(world, entry)
    assert not problems, "\n".join(problems)


def check_admin_entry(w, entry: Entry) -> list[str]:
    """Every way an admin URL's answers differ from the entry, for every role (ADMIN_FULL) or the three."""
    roles = ROLES if entry.name in ADMIN_FULL else ADMIN_ROLES
    return [p for role in roles for p in run_entry(w, entry, role)]


def test_the_admin_sample_checks_every_role_on_a_model_and_the_site():
    full = [e for e in ADMIN_ENTRIES if e.name in ADMIN_FULL]
    assert any(e.name.endswith("_changelist") for e in full) and any(e.name.endswith("_change") for e in full)
    assert {"admin:index", "admin:login", "admin:logout"} <= ADMIN_FULL


def _fill(route: str, kwargs: dict) -> str:
    """An unnamed pattern's route with its arguments filled in (`<path:x>` or `(?P<x>...)`)."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), path)
    return path.lstrip("^").rstrip("$")
