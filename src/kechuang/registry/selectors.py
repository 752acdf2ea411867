"""Reads of the two registries: who sees what, the public search, and the statistics a report quotes."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from kechuang.accounts.models import Unit
from kechuang.accounts.selectors import units_named
from kechuang.challenges import permissions as challenge_permissions
from kechuang.core.roles import Role, has_role

from .models import ResultRegistration, TechContract
from .workflow import ContractStatus, RegistrationStatus


def registrations_visible_to(user) -> QuerySet[ResultRegistration]:
    """Registered results are public; staff see every registration; a filer those of the projects they see."""
    qs = ResultRegistration.objects.all()
    if has_role(user, Role.STAFF):
        return qs
    public = Q(status=RegistrationStatus.REGISTERED)
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    return qs.filter(public | Q(result__contract__in=challenge_permissions.contracts_visible_to(user)))


def registration_search(*, q: str = "", category: str = "", industry: str = "", year: str = ""):
    """The public search: registered results by words of name, keywords, summary, number or completing unit."""
    qs = ResultRegistration.objects.filter(status=RegistrationStatus.REGISTERED)
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(keywords__icontains=q)
            | Q(summary__icontains=q)
            | Q(number__iexact=q)
            | Q(unit_rows__unit__in=units_named(q).values("pk"))  # any of its names (docs/adr/0018)
        ).distinct()
    if category:
        qs = qs.filter(category=category)
    if industry:
        qs = qs.filter(industry=industry)
    if year.isdecimal():
        qs = qs.filter(registered_at__year=int(year))
    return qs.prefetch_related("unit_rows__unit").order_by("-registered_at", "-id")


def registration_get(*, pk: int, user) -> ResultRegistration:
    return (
        registrations_visible_to(user)
        .select_related("result__contract__unit")
        .prefetch_related("unit_rows__unit", "person_rows__person__unit")
        .get(pk=pk)
    )


def tech_contracts_visible_to(user) -> QuerySet[TechContract]:
    """Staff see every contract; a unit user those their unit is a party to; nobody else (amounts are not
    public — only the statistics are)."""
    qs = TechContract.objects.all()
    if has_role(user, Role.STAFF):
        return qs
    unit_id = getattr(user, "unit_id", None)
    if not unit_id or not has_role(user, Role.APPLICANT):
        return qs.none()
    return qs.filter(Q(seller_id=unit_id) | Q(buyer_id=unit_id))


def tech_contract_get(*, pk: int, user) -> TechContract:
    return tech_contracts_visible_to(user).select_related("seller", "buyer", "result", "transfer").get(pk=pk)


def _rows(qs, key: str, labels: dict) -> list[dict]:
    out = []
    for r in (
        qs.values(key).annotate(n=Count("id"), amount=Sum("amount"), tech=Sum("tech_amount")).order_by(key)
    ):
        out.append(
            {
                "key": r[key],
                "label": str(labels.get(r[key], r[key])),
                "count": r["n"],
                "amount": r["amount"] or Decimal("0"),
                "tech_amount": r["tech"] or Decimal("0"),
            }
        )
    return out


def contract_stats(*, year: int | None = None) -> dict:
    """What a report quotes, from registered contracts only: 成交额 and 技术交易额 in total, by contract type, by
    the buyer's kind of unit, by technical field and by year of registration (amounts in 万元)."""
    qs = TechContract.objects.filter(status=ContractStatus.REGISTERED)
    if year:
        qs = qs.filter(registered_at__year=year)
    total = qs.aggregate(n=Count("id"), amount=Sum("amount"), tech=Sum("tech_amount"))
    by_year = qs.annotate(y=ExtractYear("registered_at"))
    return {
        "year": year,
        "count": total["n"],
        "amount": total["amount"] or Decimal("0"),
        "tech_amount": total["tech"] or Decimal("0"),
        "by_kind": _rows(qs, "kind", dict(TechContract.Kind.choices)),
        "by_buyer_kind": _rows(qs, "buyer__kind", dict(Unit.Kind.choices)),
        "by_field": _rows(qs, "field", dict(TechContract.Field.choices)),
        "by_year": _rows(by_year, "y", {}),
    }
