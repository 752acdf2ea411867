"""A world of every app's records, built with the apps' factories, that can grow by whole clusters.

`World()` makes the named objects the budget test and the load benchmark visit (one signed-in user per
role and one of each detail page's object); `world.grow(n)` adds n clusters, each a unit with its
applicant, a platform, a need, a challenge, applications, a contract, an expert with assignments and
reviews, an evaluation entry, a technology, indicator values, a report with facts, audit events, jobs and
notifications, and also hangs children on the named objects (applications to the named challenge,
milestones to the named contract, assignments to the named expert, members to the named platform, ...),
so that every list and every detail page has more rows after each growth.
"""

import datetime
import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.challenges.models import (
    Application,
    ChallengeIndicator,
    ChangeRequest,
    Contract,
    DuplicatePair,
    Milestone,
    Objection,
    PreApplication,
    Publicity,
)
from kechuang.challenges.models import Result as ChallengeResult
from kechuang.challenges.tests.factories import (
    ApplicationFactory,
    ChallengeFactory,
    ContractFactory,
    NeedFactory,
    TopicFactory,
)
from kechuang.core.models import AuditEvent, Job, Notification
from kechuang.core.roles import Role
from kechuang.core.services import english_name_set
from kechuang.evaluation.models import Entry
from kechuang.evaluation.tests.factories import CampaignFactory
from kechuang.funds import services as funds
from kechuang.funds.models import BudgetAdjustment, CofundingReceipt, SpendingLine, SpendingReport
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
from kechuang.integrity.models import Record as IntegrityRecord
from kechuang.platforms.models import Achievement, Operator, Reorganisation
from kechuang.platforms.tests.factories import MembershipFactory, PlatformFactory, YearlyReportFactory
from kechuang.programmes.models import FormVersion
from kechuang.review.models import Assignment, Review, Round, RoundSubject
from kechuang.review.tests.factories import ExpertProfileFactory, ReviewFormFactory
from kechuang.techmap.tests.factories import (
    ChainFactory,
    CoverageFactory,
    LinkFactory,
    TechnologyFactory,
    TrlRecordFactory,
)


class World:
    def __init__(self):
        self.clusters = 0
        self.staff = UserFactory(username="w_staff", roles=[Role.STAFF])
        self.unit = UnitFactory()
        self.applicant = UserFactory(username="w_applicant", unit=self.unit, roles=[Role.APPLICANT])
        self.commissioner = UserFactory(username="w_commissioner", roles=[Role.COMMISSIONER])
        self.operator = UserFactory(username="w_operator", roles=[Role.OPERATOR])
        self.expert_profile = ExpertProfileFactory(user__username="w_expert")
        self.expert = self.expert_profile.user

        self.platform = PlatformFactory(consortium=True, host=self.unit)
        Operator.objects.create(platform=self.platform, user=self.operator)
        self.report = YearlyReportFactory(platform=self.platform, year=2022, returned=True)
        self.reorganisation = Reorganisation.objects.create(kind="merge", date=datetime.date(2023, 1, 1))
        self.reorganisation.targets.add(self.platform)

        self.topic = TopicFactory()
        self.need = NeedFactory(unit=self.unit, topic=self.topic)
        self.challenge = ChallengeFactory(topic=self.topic, published=True)
        self.application = ApplicationFactory(
            challenge=self.challenge, unit=self.unit, leader=self.applicant, submitted=True
        )
        self.contract = ContractFactory(
            application__challenge=ChallengeFactory(published=True),
            application__unit=self.unit,
            application__leader=self.applicant,
            commissioner=self.commissioner,
            running=True,
        )
        self.milestone = self.contract.milestones.order_by("seq").first()
        funds.ledger_open(actor=self.staff, contract=self.contract)
        self.payment = self.contract.payments.order_by("pk").first()
        # drafts, for the edit pages (published or running records are no longer editable)
        self.draft_challenge = ChallengeFactory(topic=self.topic)
        self.open_challenge = ChallengeFactory(published=True)
        self.draft_application = ApplicationFactory(unit=self.unit, leader=self.applicant)
        self.draft_contract = ContractFactory(
            application__unit=self.unit, application__leader=self.applicant, commissioner=self.commissioner
        )
        self.result = ChallengeResult.objects.create(
            contract=self.contract,
            kind="patent",
            title="一种碳化硅衬底",
            achieved_on=datetime.date(2026, 6, 1),
        )
        self._registries()
        self.publicity = Publicity.objects.create(
            challenge=self.challenge,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + datetime.timedelta(days=7),
            published_by=self.staff,
        )

        self.form = ReviewFormFactory()
        self.round = Round.objects.create(
            title="测试轮次",
            form=self.form,
            subject_type=ContentType.objects.get_for_model(Application),
            status=Round.Status.REVIEWING,
            created_by=self.staff,
        )
        self.review = self._assign(self.application, self.expert)

        self.campaign = CampaignFactory(collecting=True)
        self.entry = Entry.objects.create(campaign=self.campaign, platform=self.platform)

        self.chain = ChainFactory()
        self.link = LinkFactory(chain=self.chain)
        self.technology = TechnologyFactory(link=self.link, bottleneck=True)

        self.indicator = IndicatorFactory(public=True)
        self.framework = FrameworkFactory()
        self.run = IndexRun.objects.create(
            framework=self.framework,
            framework_code=self.framework.code,
            edition=self.framework.edition,
            spec=self.framework.spec,
            inputs={},
            outputs={"rows": []},
            started_by=self.staff,
        )

        self.document = DocumentFactory(uploaded_by=self.staff)
        self.integrity_record = self._integrity_record(self.unit)
        self.duplicate = DuplicatePair.objects.create(
            left=self.application, right=self.draft_application, text_score=0.8
        )
        self.fact = FactFactory(document=self.document)
        self.job = Job.objects.create(kind="test", title="测试任务", started_by=self.staff)
        self._programmes()

    def _programmes(self):
        """A programme type imported from its file, a call at its pre-application with a unit's submission,
        a draft form version and a draft programme version."""
        from kechuang.programmes import definitions, transfer
        from kechuang.programmes import services as programmes

        self.programme_version = transfer.import_programme(
            actor=self.staff, raw=definitions.read("provincial_rd.json")
        )
        call = programmes.call_open(
            actor=self.staff, version=self.programme_version, title="2027 年度", year=2027
        )
        self.programme_call = programmes.call_advance(actor=self.staff, call=call)
        self.form_version = FormVersion.objects.get(pk=self.programme_call.stage["form"])
        # a challenge list on a version with a pre-application stage (预申报) and the named unit's one
        self.pre_challenge = ChallengeFactory(published=True, programme_version=self.programme_version)
        self.pre_application = PreApplication.objects.create(
            challenge=self.pre_challenge,
            unit=self.unit,
            leader=self.applicant,
            form_version=self.form_version,
            values={"f1": "预申报"},
            status="submitted",
            submitted_at=timezone.now(),
        )
        self.submission = self._submission()
        self.draft_form_version = programmes.form_version_new(
            actor=self.staff, definition=self.form_version.definition
        )
        self.draft_programme_version = programmes.programme_version_new(
            actor=self.staff, programme=self.programme_version.programme
        )
        self._programme_review()
        self._formal_call()
        self._decision_call()
        self._publicity_call()

    def _decision_call(self):
        """A fourth call at its 立项决定 (#18): the applicant's formal application passed the 形式审查 and is
        undecided (the earlier stages taken as done: the call is moved to the decision stage directly)."""
        from kechuang.programmes import services as programmes
        from kechuang.programmes.models import Call, FormalCheck, ShortlistDecision, Submission

        call = programmes.call_open(
            actor=self.staff, version=self.programme_version, title="2024 年度", year=2024
        )
        while call.stage["kind"] != "application":
            call = programmes.call_advance(actor=self.staff, call=call)
        self.decision_submission = Submission.objects.create(
            version=FormVersion.objects.get(pk=call.stage["form"]),
            call=call,
            stage_key=call.stage_key,
            submitted_by=self.applicant,
            data={"f1": "待立项的项目"},
        )
        stages = call.version.stages
        formal = next(s["key"] for s in stages if s["kind"] == "formal_check")
        FormalCheck.objects.create(
            call=call,
            stage_key=formal,
            applicant=self.applicant,
            submission=self.decision_submission,
            status="passed",
        )
        # … and shortlisted for the 答辩 after the 函评 (only the shortlisted are decided)
        defence = next(s["key"] for s in stages if s["kind"] == "panel_review")
        ShortlistDecision.objects.create(
            call=call,
            stage_key=defence,
            applicant=self.applicant,
            submission=self.decision_submission,
            status="shortlisted",
        )
        Call.objects.filter(pk=call.pk).update(
            stage_key=next(s["key"] for s in stages if s["kind"] == "decision")
        )
        self.decision_call = Call.objects.get(pk=call.pk)
        # A fifth call at its 答辩 after the 函评: the applicant's application passed, not yet shortlisted.
        call = programmes.call_open(
            actor=self.staff, version=self.programme_version, title="2023 年度", year=2023
        )
        while call.stage["kind"] != "application":
            call = programmes.call_advance(actor=self.staff, call=call)
        self.shortlist_submission = Submission.objects.create(
            version=FormVersion.objects.get(pk=call.stage["form"]),
            call=call,
            stage_key=call.stage_key,
            submitted_by=self.applicant,
            data={"f1": "待入围的项目"},
        )
        FormalCheck.objects.create(
            call=call,
            stage_key=formal,
            applicant=self.applicant,
            submission=self.shortlist_submission,
            status="passed",
        )
        Call.objects.filter(pk=call.pk).update(stage_key=defence)
        self.shortlist_call = Call.objects.get(pk=call.pk)

    def _publicity_call(self):
        """A fifth call at its 公示 (#18): the applicant's formal application passed and listed, and the expert's
        real-name objection against it, not yet answered (the earlier stages taken as done)."""
        import datetime

        from django.utils import timezone

        from kechuang.programmes import services as programmes
        from kechuang.programmes.models import Call, FormalCheck, Objection, ShortlistDecision, Submission

        call = programmes.call_open(
            actor=self.staff, version=self.programme_version, title="2023 年度", year=2023
        )
        while call.stage["kind"] != "application":
            call = programmes.call_advance(actor=self.staff, call=call)
        self.publicity_submission = Submission.objects.create(
            version=FormVersion.objects.get(pk=call.stage["form"]),
            call=call,
            stage_key=call.stage_key,
            submitted_by=self.applicant,
            data={"f1": "公示中的项目"},
        )
        stages = call.version.stages
        FormalCheck.objects.create(
            call=call,
            stage_key=next(s["key"] for s in stages if s["kind"] == "formal_check"),
            applicant=self.applicant,
            submission=self.publicity_submission,
            status="passed",
        )
        # … and shortlisted for the 答辩 after the 函评 (only the shortlisted are publicised)
        ShortlistDecision.objects.create(
            call=call,
            stage_key=next(s["key"] for s in stages if s["kind"] == "panel_review"),
            applicant=self.applicant,
            submission=self.publicity_submission,
            status="shortlisted",
        )
        key = next(s["key"] for s in stages if s["kind"] == "publicity")
        Call.objects.filter(pk=call.pk).update(
            stage_key=key,
            stage_opened_on=timezone.localdate(),
            stage_closes_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        self.publicity_call = Call.objects.get(pk=call.pk)
        self.objection = Objection.objects.create(
            call=self.publicity_call,
            stage_key=key,
            applicant=self.applicant,
            submission=self.publicity_submission,
            lodged_by=self.expert,
            reason="公示异议理由",
        )

    def _formal_call(self):
        """A third call at its 形式审查: the applicant's formal application returned for correction (#18)."""
        import datetime

        from django.utils import timezone

        from kechuang.programmes import services as programmes
        from kechuang.programmes.models import FormalCheck, Submission

        call = programmes.call_open(
            actor=self.staff, version=self.programme_version, title="2025 年度", year=2025
        )
        while call.stage["kind"] != "application":
            call = programmes.call_advance(actor=self.staff, call=call)
        self.formal_submission = Submission.objects.create(
            version=FormVersion.objects.get(pk=call.stage["form"]),
            call=call,
            stage_key=call.stage_key,
            submitted_by=self.applicant,
            data={"f1": "形式审查中的项目"},
        )
        self.formal_call = programmes.call_advance(actor=self.staff, call=call)
        FormalCheck.objects.create(
            call=self.formal_call,
            stage_key=self.formal_call.stage_key,
            applicant=self.applicant,
            submission=self.formal_submission,
            status="returned",
            reason="缺单位承诺书",
            correct_by=timezone.localdate() + datetime.timedelta(days=10),
        )

    def _programme_review(self):
        """A second call at its 函评 with the review app's round over its formal applications (#18); each
        cluster adds a formal application, reviewed and scored by the named expert."""
        from kechuang.programmes import services as programmes
        from kechuang.review import services as review
        from kechuang.review.models import CallStageRound

        call = programmes.call_open(
            actor=self.staff, version=self.programme_version, title="2026 年度", year=2026
        )
        while call.stage["kind"] != "letter_review":
            call = programmes.call_advance(actor=self.staff, call=call)
        self.review_call = call
        self.review_app_form = FormVersion.objects.get(
            pk=next(s["form"] for s in call.version.stages if s["kind"] == "application")
        )
        review_form_version = FormVersion.objects.get(pk=call.stage["form"])
        first = self._formal_application(self.applicant, "高熵合金")
        self.review_call_round = review.round_create(
            actor=self.staff,
            title="2026 年度 · 函评",
            subjects=[first],
            form=review.review_form_for(actor=self.staff, version=review_form_version),
            k=1,
        )
        CallStageRound.objects.create(
            call=call,
            stage_key=call.stage_key,
            round=self.review_call_round,
            form_version=review_form_version,
        )
        self._scored(first, self.expert)

    def _formal_application(self, user, title):
        """A formal application that passed the call's 形式审查 (stored directly, as the call stands past it)."""
        from kechuang.programmes.models import FormalCheck, Submission

        stages = self.review_call.version.stages
        sub = Submission.objects.create(
            version=self.review_app_form,
            call=self.review_call,
            stage_key=next(s["key"] for s in stages if s["kind"] == "application"),
            submitted_by=user,
            data={"f1": title},
        )
        FormalCheck.objects.create(
            call=self.review_call,
            stage_key=next(s["key"] for s in stages if s["kind"] == "formal_check"),
            applicant=user,
            submission=sub,
            status="passed",
        )
        return sub

    def _scored(self, submission, expert_user):
        subject, _made = RoundSubject.objects.get_or_create(
            round=self.review_call_round,
            content_type=ContentType.objects.get_for_model(submission),
            object_id=submission.pk,
            defaults={"title": submission.title, "order": submission.pk},
        )
        assignment = Assignment.objects.create(
            round=self.review_call_round, subject=subject, expert=expert_user, affinity=0.5, source="solver"
        )
        Review.objects.create(assignment=assignment, status=Review.Status.SUBMITTED, total=80)
        # and one still owed (listed on the call page)
        Review.objects.create(
            assignment=Assignment.objects.create(
                round=self.review_call_round,
                subject=subject,
                expert=ExpertProfileFactory().user,
                affinity=0.4,
                source="solver",
            )
        )

    def _submission(self, actor=None):
        from kechuang.programmes import services as programmes
        from kechuang.programmes.fieldkinds import build_form

        form = build_form(
            self.form_version.fields, data={"f1": "高熵合金", "f2": "企业", "f3": "300", "f4": "摘要"}
        )
        return programmes.submission_create(
            actor=actor or self.applicant, version=self.form_version, form=form, call=self.programme_call
        )

    def _assign(self, application, expert_user) -> Review:
        subject, _created = RoundSubject.objects.get_or_create(
            round=self.round,
            content_type=ContentType.objects.get_for_model(Application),
            object_id=application.pk,
            defaults={"title": application.title},
        )
        self.round.experts.add(expert_user.expert_profile)
        assignment = Assignment.objects.create(
            round=self.round, subject=subject, expert=expert_user, affinity=0.5, source="solver"
        )
        return Review.objects.create(assignment=assignment, status=Review.Status.OPENED)

    def _integrity_record(self, unit):
        return IntegrityRecord.objects.create(
            subject_kind=IntegrityRecord.Subject.UNIT,
            unit=unit,
            source="某部通报",
            decision="通报批评",
            decided_on=datetime.date(2025, 3, 1),
            starts_on=datetime.date(2025, 3, 1),
            ends_on=datetime.date(2025, 9, 1),
            bars_awards=True,
        )

    def _registries(self):
        """A registered result registration (the public search's row) and a registered contract."""
        from decimal import Decimal

        from kechuang.registry import services as rg

        self.registration = rg.registration_create(
            actor=self.applicant,
            result=self.result,
            units=[self.unit],
            people=[self.applicant],
            name="碳化硅衬底成果登记",
            category="applied",
            evaluation="acceptance",
            stage="mature",
            industry="C",
            keywords="碳化硅",
            summary="简介",
        )
        rg.registration_transition(actor=self.applicant, registration=self.registration, action="submit")
        rg.registration_transition(actor=self.staff, registration=self.registration, action="approve")
        self.tech_contract = rg.contract_create(
            actor=self.applicant,
            seller=self.unit,
            buyer=UnitFactory(),
            title="碳化硅衬底技术许可",
            kind="licence",
            field="materials",
            amount=Decimal("100"),
            tech_amount=Decimal("80"),
            signed_on=datetime.date(2026, 7, 1),
        )
        rg.contract_transition(actor=self.applicant, contract=self.tech_contract, action="submit")
        rg.contract_transition(actor=self.staff, contract=self.tech_contract, action="register")

    def _registries_grow(self, i, unit, applicant, paper):
        """registry: the paper registered (search rows), a completing person more on the named registration,
        a registered contract of the named unit (list rows, statistics)."""
        from decimal import Decimal

        from kechuang.registry import services as rg
        from kechuang.registry.models import RegistrationPerson, RegistrationUnit

        reg = rg.registration_create(
            actor=self.staff,
            result=paper,
            units=[unit, self.unit],
            people=[applicant],
            name=f"碳化硅论文成果{i}",
            category="basic",
            evaluation="other",
            stage="early",
            industry="M",
            keywords="碳化硅",
            summary="简介",
        )
        rg.registration_transition(actor=self.staff, registration=reg, action="submit")
        rg.registration_transition(actor=self.staff, registration=reg, action="approve")
        RegistrationPerson.objects.create(registration=self.registration, seq=10 + i, person=applicant)
        RegistrationUnit.objects.create(registration=self.registration, seq=10 + i, unit=unit)
        c = rg.contract_create(
            actor=self.staff,
            seller=self.unit,
            buyer=unit,
            title=f"技术服务{i}",
            kind=["development", "transfer", "licence", "consulting", "service"][i % 5],
            field="materials",
            amount=Decimal("10"),
            tech_amount=Decimal("5"),
            signed_on=datetime.date(2026, 7, 1),
        )
        rg.contract_transition(actor=self.staff, contract=c, action="submit")
        rg.contract_transition(actor=self.staff, contract=c, action="register")

    def grow(self, n: int = 1) -> "World":
        for _ in range(n):
            self._cluster()
        return self

    def _cluster(self):
        i = self.clusters = self.clusters + 1
        unit = UnitFactory()
        applicant = UserFactory(unit=unit, roles=[Role.APPLICANT])
        UserFactory(unit=self.unit, roles=[Role.APPLICANT])  # the named unit grows too

        # integrity: a finding (lapsed) against the new unit
        self._integrity_record(unit)

        # platforms: one more platform, a member and an achievement of the named one, reports
        platform = PlatformFactory(host=unit)
        Operator.objects.create(platform=platform, user=self.operator)
        YearlyReportFactory(platform=platform, year=2022, submitted=True)
        MembershipFactory(platform=self.platform, unit=unit)
        self.reorganisation.sources.add(platform)
        Achievement.objects.create(platform=self.platform, kind="leading", title=f"成果{i}", year=2022)

        # challenges: a need and a topic, a challenge the named applicant applies to, an application to
        # the named challenge, a contract under the named commissioner, a milestone and a change request
        topic = TopicFactory()
        NeedFactory(unit=unit, topic=topic)
        NeedFactory(unit=self.unit, topic=self.topic)
        challenge = ChallengeFactory(topic=topic, published=True)
        ApplicationFactory(challenge=challenge, unit=self.unit, leader=self.applicant, submitted=True)
        application = ApplicationFactory(
            challenge=self.challenge, unit=unit, leader=applicant, submitted=True
        )
        Objection.objects.create(
            publicity=self.publicity, application=application, text=f"异议{i}", lodged_by=applicant
        )
        PreApplication.objects.create(
            challenge=self.pre_challenge,
            unit=unit,
            leader=applicant,
            form_version=self.form_version,
            values={"f1": f"预申报{i}"},
            status="submitted",
            submitted_at=timezone.now(),
        )
        # duplicate check: the named application and this cluster's look alike
        DuplicatePair.objects.create(left=self.application, right=application, text_score=0.7)
        contract = ContractFactory(
            application__challenge=challenge,
            application__unit=unit,
            application__leader=applicant,
            commissioner=self.commissioner,
            running=True,
        )
        Milestone.objects.create(
            contract=self.contract,
            seq=10 + i,
            title=f"节点{i}",
            due_date=datetime.date(2027, 6, 30),
            tranche=Decimal("10"),
        )
        # a target indicator of the named challenge named in English by staff: its page's trail reads the
        # indicators' events too (audited on the indicator rows)
        extra = ChallengeIndicator.objects.create(
            challenge=self.challenge, seq=10 + i, name=f"指标{i}", unit="平方厘米", target=i + 1
        )
        for field, text in (("name_en", f"Indicator {i}"), ("unit_en", "sq cm")):
            english_name_set(
                actor=self.staff,
                obj=extra,
                field=field,
                text=text,
                action=f"challenge.indicator_{field[:4]}_translate",
            )
        ChangeRequest.objects.create(
            contract=self.contract,
            kind=ChangeRequest.Kind.DATES,
            reason=f"调整{i}",
            payload={"end_date": "2028-06-30"},
            requested_by=self.applicant,
        )
        paper = ChallengeResult.objects.create(
            contract=contract, kind="paper", title=f"论文{i}", achieved_on=datetime.date(2026, 6, 1)
        )
        self._registries_grow(i, unit, applicant, paper)
        # funds: the new project's ledger, the named project's new tranche, a spending report, an
        # adjustment and a co-funding receipt of the named project
        funds.ledger_open(actor=self.staff, contract=contract)
        funds.ledger_open(actor=self.staff, contract=self.contract)
        report = SpendingReport.objects.create(contract=self.contract, year=2026 + i, quarter=1)
        SpendingLine.objects.create(report=report, line="business", amount=Decimal("1000"))
        BudgetAdjustment.objects.create(
            contract=self.contract,
            source="business",
            target="labour",
            amount=Decimal("1"),
            reason=f"调整{i}",
            requested_by=self.applicant,
        )
        CofundingReceipt.objects.create(
            contract=self.contract,
            cofunder=unit,
            amount=Decimal("100"),
            received_on=datetime.date(2026, 2, 1),
        )

        # review: an expert on the named application, the named expert on this cluster's application
        profile = ExpertProfileFactory()
        self._assign(self.application, profile.user)
        self._assign(application, self.expert)
        self._scored(self._formal_application(applicant, f"项目{i}"), self.expert)
        # programmes: an application to the call at its 形式审查 (the list judges its rules)
        from kechuang.programmes.models import Submission

        Submission.objects.create(
            version=self.formal_submission.version,
            call=self.formal_call,
            stage_key=self.formal_submission.stage_key,
            submitted_by=applicant,
            data={"f1": f"项目{i}"},
        )

        # evaluation, techmap, indicators, ingest
        Entry.objects.create(campaign=self.campaign, platform=platform)
        technology = TechnologyFactory(link=self.link, bottleneck=True)
        TrlRecordFactory(technology=self.technology, as_of=datetime.date(2020 + i % 5, 1 + i % 12, 1))
        CoverageFactory(technology=self.technology, target=contract)
        CoverageFactory(technology=technology, target=platform, platform=True)
        LinkFactory(chain=self.chain)
        ChainFactory()
        region = RegionFactory()
        ValueFactory(indicator=self.indicator, region=region)
        TargetFactory(indicator=self.indicator, region=region)
        IndicatorFactory(public=True)
        document = DocumentFactory(uploaded_by=self.staff)
        FactFactory(document=document)
        FactFactory(document=self.document)
        Change.objects.create(
            document=self.document,
            seq=i,
            step="punct",
            orig_start=i,
            orig_end=i + 1,
            rep_start=i,
            rep_end=i + 1,
            before=",",
            after="，",
        )

        # programmes: another programme type with its forms, another call and submission of the named ones
        from kechuang.programmes import definitions, transfer
        from kechuang.programmes import services as programmes

        doc = json.loads(definitions.read("jiebang.json"))
        doc["programme"]["name"] = f"揭榜挂帅{i}"
        transfer.import_programme(actor=self.staff, raw=json.dumps(doc).encode())
        programmes.call_open(
            actor=self.staff, version=self.programme_version, title=f"{2027 + i} 年度", year=2027 + i
        )
        # by a colleague of the named applicant: the named one leads two running 揭榜挂帅 projects, which
        # count towards the pre-application's limit of two projects in flight (#18)
        self._submission(actor=UserFactory(roles=[Role.APPLICANT], unit=self.unit))

        # core: audit events by several actors, jobs and notifications of every named user
        for actor in (self.staff, applicant, self.commissioner):
            AuditEvent.objects.create(
                actor=actor,
                actor_repr=str(actor),
                action="test.grow",
                content_type=ContentType.objects.get_for_model(Contract),
                object_id=str(contract.pk),
                object_repr=str(contract),
            )
        Job.objects.create(kind="test", title=f"任务{i}", started_by=self.staff)
        for user in (self.staff, self.applicant, self.commissioner, self.expert, self.operator):
            Notification.objects.create(recipient=user, title=f"通知{i}", url="/")

    @property
    def users(self) -> dict:
        return {
            "anonymous": None,
            "staff": self.staff,
            "applicant": self.applicant,
            "commissioner": self.commissioner,
            "expert": self.expert,
            "operator": self.operator,
        }
