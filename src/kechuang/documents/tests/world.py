"""A project with everything its documents state: signed contract, budget, reviews, acceptance, payments."""

import datetime
import hashlib
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from kechuang.accounts.tests.factories import UserFactory
from kechuang.challenges.models import Acceptance, AcceptanceItem, Application, Attachment
from kechuang.challenges.tests.factories import ContractFactory
from kechuang.core.roles import Role
from kechuang.funds.models import BudgetLine, Payment
from kechuang.review.models import Assignment, CriterionScore, Review, Round, RoundSubject
from kechuang.review.tests.factories import ReviewFormFactory

PDF_ATTACHMENT = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def reviewed(application, *, experts=2):
    """`experts` submitted reviews of the application, with scores and opinions; returns the expert users."""
    form = ReviewFormFactory()
    rnd = Round.objects.create(
        title="揭榜评审", form=form, subject_type=ContentType.objects.get_for_model(Application)
    )
    subject = RoundSubject.objects.create(
        round=rnd,
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
        title=application.title,
    )
    users = []
    for i in range(experts):
        user = UserFactory(roles=[Role.EXPERT], first_name="", last_name=f"评审人{i}")
        users.append(user)
        a = Assignment.objects.create(round=rnd, subject=subject, expert=user, source="solver")
        r = Review.objects.create(
            assignment=a,
            status=Review.Status.SUBMITTED,
            comments=f"内部意见{i}，仅供工作人员",
            opinion=f"技术路线可行，建议加强中试验证{i}",
            recommendation="support",
            total=Decimal("86.5") + i,
            submitted_at=timezone.now() + datetime.timedelta(minutes=i),
        )
        for c in form.criteria.all():
            CriterionScore.objects.create(review=r, criterion=c, score=Decimal("40") + i)
    return users


def project(*, reviews=2, acceptance=True, payment_status=Payment.Status.APPROVED):
    """A running project with two indicators and milestones, budget lines, an attachment, reviews, an
    acceptance (passed) and its first tranche approved."""
    c = ContractFactory(
        running=True, signed_at=timezone.now(), team=[{"name": "李工", "title": "高工", "duty": "工艺"}]
    )
    c.unit.name = "晋阳碳化硅材料有限公司"
    c.unit.save(update_fields=["name"])
    app = c.application
    app.decision_note = "同意立项，重点考核 8 英寸衬底量产。"
    app.save(update_fields=["decision_note"])
    BudgetLine.objects.create(
        contract=c, line="equipment", fiscal=Decimal("3000000"), self_raised=Decimal("1000000")
    )
    BudgetLine.objects.create(contract=c, line="business", fiscal=Decimal("2500000"), note="材料、测试")
    att = Attachment(
        application=app,
        kind="plan",
        original_name="技术方案.pdf",
        content_type="application/pdf",
        size=len(PDF_ATTACHMENT),
        sha256=hashlib.sha256(PDF_ATTACHMENT).hexdigest(),
    )
    att.file.save("技术方案.pdf", ContentFile(PDF_ATTACHMENT), save=False)
    att.save()
    experts = reviewed(app, experts=reviews) if reviews else []
    if acceptance:
        acc = Acceptance.objects.create(
            contract=c,
            accepted_on=datetime.date(2027, 12, 20),
            verdict="passed",
            panel="验收专家组五人",
            opinion="各项指标均已完成，同意通过验收。",
        )
        for ind in c.indicators.all():
            AcceptanceItem.objects.create(acceptance=acc, indicator=ind, achieved=ind.target, met=True)
    m1 = c.milestones.get(seq=1)
    payment = Payment.objects.create(
        contract=c, milestone=m1, amount=Decimal("3000000"), status=payment_status
    )
    return c, payment, experts
