"""Reads of units and users."""

from django.db.models import Count, Q, QuerySet

from .models import Unit, User


def unit_list(*, kind: str = "", city: str = "", q: str = "") -> QuerySet[Unit]:
    """Active units, filtered, with their user counts."""
    qs = Unit.objects.filter(is_active=True).select_related("parent").annotate(user_count=Count("users"))
    if kind:
        qs = qs.filter(kind=kind)
    if city:
        qs = qs.filter(city=city)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(credit_code__iexact=q))
    return qs.order_by("name")


def user_list(*, role: str = "", unit: Unit | None = None) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True).select_related("unit").prefetch_related("groups")
    if role:
        qs = qs.filter(groups__name=role)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("username")


def users_with_role(role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=role).select_related("unit").distinct()
