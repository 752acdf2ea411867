"""The demo province's registries: the projects' results filed on the national registration form (two
registered with their numbers, one waiting for staff), and technology contracts between demo units (three
registered, one waiting). Gives the registry pages, its statistics and the open-data export something to
show. Idempotent: skipped once any registration or contract exists. Runs after challenges and funds."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from kechuang.accounts.models import Unit, User
from kechuang.challenges.models import Result
from kechuang.core.commands import say

from . import services
from .models import ResultRegistration, TechContract

R = ResultRegistration
# result kind → (category, evaluation, stage, industry, IP kind, IP numbers, keywords, DOI)
FORMS = {
    "patent": (R.Category.APPLIED, R.Evaluation.ACCEPTANCE, R.Stage.MIDDLE, "C", R.IP.INVENTION,
               "ZL202510123456.7", "石墨烯，导热膜，卷对卷", "10.1000/kc-demo.2026.001"),
    "product": (R.Category.APPLIED, R.Evaluation.MARKET, R.Stage.MATURE, "C", R.IP.NONE, "",
                "产品，样机，产业化", ""),
    "standard": (R.Category.APPLIED, R.Evaluation.OTHER, R.Stage.MATURE, "M", R.IP.NONE, "",
                 "团体标准，检测方法", ""),
}  # fmt: skip


def _registrations(staff, today) -> int:
    done = 0
    results = list(Result.objects.select_related("contract__unit", "contract__leader").order_by("pk")[:3])
    for i, result in enumerate(results):
        category, evaluation, stage, industry, ip_kind, ip_numbers, keywords, doi = FORMS.get(
            result.kind, FORMS["product"]
        )
        contract = result.contract
        people = [contract.leader] if getattr(contract, "leader", None) else []
        reg = services.registration_create(
            actor=staff,
            result=result,
            units=[contract.unit],
            people=people or [staff],
            name=result.title,
            category=category,
            evaluation=evaluation,
            evaluated_on=min(result.achieved_on or today, today),
            stage=stage,
            industry=industry,
            keywords=keywords,
            ip_kind=ip_kind,
            ip_numbers=ip_numbers,
            doi=doi,
            summary=f"{contract.title}的成果：{result.title}。",
        )
        services.registration_transition(actor=staff, registration=reg, action="submit")
        if i < 2:  # the third waits for staff's review
            services.registration_transition(actor=staff, registration=reg, action="approve")
        done += 1
    return done


def _contracts(staff, today) -> int:
    result = Result.objects.select_related("contract__unit").order_by("pk").first()
    seller = result.contract.unit if result else Unit.objects.filter(status="verified").order_by("pk").first()
    buyers = list(
        Unit.objects.filter(status="verified").exclude(pk=getattr(seller, "pk", None)).order_by("pk")[:4]
    )
    if seller is None or not buyers:
        return 0
    rows = [
        (
            "石墨烯导热膜制备技术许可",
            TechContract.Kind.LICENCE,
            TechContract.Field.MATERIALS,
            "300",
            "280",
            120,
        ),
        (
            "宽幅导热膜产线工艺开发",
            TechContract.Kind.DEVELOPMENT,
            TechContract.Field.MATERIALS,
            "850",
            "620",
            90,
        ),
        ("导热膜可靠性检测服务", TechContract.Kind.SERVICE, TechContract.Field.ELECTRONICS, "45", "45", 60),
        (
            "氢燃料机车热管理技术咨询",
            TechContract.Kind.CONSULTING,
            TechContract.Field.TRANSPORT,
            "28",
            "28",
            20,
        ),
    ]
    for n, (title, kind, field, amount, tech, days_ago) in enumerate(rows):
        c = services.contract_create(
            actor=staff,
            seller=seller,
            buyer=buyers[n % len(buyers)],
            title=title,
            kind=kind,
            field=field,
            amount=Decimal(amount),
            tech_amount=Decimal(tech),
            signed_on=today - datetime.timedelta(days=days_ago),
            result=result if n == 0 else None,
        )
        services.contract_transition(actor=staff, contract=c, action="submit")
        if n < 3:
            services.contract_transition(actor=staff, contract=c, action="register")
    return len(rows)


@transaction.atomic
def load(*, stdout=None) -> None:
    staff = User.objects.filter(username="staff").first()
    if staff is None or ResultRegistration.objects.exists() or TechContract.objects.exists():
        return
    today = timezone.localdate()
    regs = _registrations(staff, today)
    contracts = _contracts(staff, today)
    say(
        stdout,
        gettext_noop("成果登记：%(regs)s 项成果（2 项已登记），%(contracts)s 份技术合同（3 份已登记）"),
        regs=regs,
        contracts=contracts,
    )
