"""Reads of the integrity records: which restrictions bind whom on a day, each with its reason in words.

The enforcing apps (challenges: eligibility, award; review: expert assignment by solver, draw and hand) ask
here; nothing here knows them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.selectors import units_named
from kechuang.core.dates import date_text

from .models import Record, Restriction
from .workflow import BINDING

FIELD = {
    Restriction.APPLY.value: "bars_applying",
    Restriction.EXPERT.value: "bars_expert_work",
    Restriction.AWARD.value: "bars_awards",
}


def normalise_name(name: str) -> str:
    """Names compare without spaces, dots or case (张 三 = 张三)."""
    return re.sub(r"[\s.·•]", "", (name or "")).lower()


@dataclass(frozen=True)
class Who:
    """A person to check: a platform user, or a name at a unit (a team member without an account)."""

    name: str
    user_id: int | None = None
    unit_id: int | None = None
    role: str = ""  # how the reason names them: 挂帅人, 团队成员, 专家…


def binding(restriction: str, day: datetime.date | None = None) -> QuerySet[Record]:
    """Records that bar `restriction` on `day` (today by default)."""
    day = day or timezone.localdate()
    return Record.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        status__in=list(BINDING),
        starts_on__lte=day,
        **{FIELD[restriction]: True},
    ).select_related("unit")


def reason_text(record: Record, restriction: str, who: str = "") -> str:
    """The reason a person reads: who, what was decided, by whom and when, and what is barred until when."""
    end = date_text(record.ends_on) if record.ends_on else _("长期")
    return _("%(who)s受科研诚信处理（%(source)s，%(date)s：%(decision)s），%(start)s至%(end)s%(what)s。") % {
        "who": who or record.subject_label,
        "source": record.source,
        "date": date_text(record.decided_on),
        "decision": record.decision,
        "start": date_text(record.starts_on),
        "end": end,
        "what": Restriction(restriction).label,
    }


def _matches(record: Record, who: Who) -> bool:
    if record.subject_kind != Record.Subject.PERSON:
        return False
    if record.person_id is not None:
        return who.user_id is not None and record.person_id == who.user_id
    return (
        bool(who.name)
        and normalise_name(record.person_name) == normalise_name(who.name)
        and who.unit_id is not None
        and record.unit_id == who.unit_id
    )


def reasons(
    *,
    restriction: str,
    units: Iterable[tuple[int, str]] = (),
    people: Iterable[Who] = (),
    day: datetime.date | None = None,
) -> list[str]:
    """Every reason `restriction` bars one of `units` ((id, how to name it)) or `people` on `day`; [] when
    none is barred. One query."""
    units = [(uid, label) for uid, label in units if uid]
    people = list(people)
    if not units and not people:
        return []
    return _reasons_from(_binding_for(restriction, units, people, day), restriction, units, people)


def _binding_for(restriction: str, units, people, day) -> list[Record]:
    """The records binding `restriction` on `day` that may concern `units` or `people` (one query)."""
    unit_ids = {uid for uid, _label in units}
    user_ids = {p.user_id for p in people if p.user_id}
    person_units = {p.unit_id for p in people if p.unit_id}
    cond = Q(subject_kind=Record.Subject.UNIT, unit_id__in=unit_ids)
    if user_ids:
        cond |= Q(subject_kind=Record.Subject.PERSON, person_id__in=user_ids)
    if person_units:
        cond |= Q(subject_kind=Record.Subject.PERSON, person__isnull=True, unit_id__in=person_units)
    return list(binding(restriction, day).filter(cond).order_by("decided_on", "pk"))


def _reasons_from(records: list[Record], restriction: str, units, people) -> list[str]:
    """`reasons` over records already read (those of other units and people are passed over)."""
    out: list[str] = []
    for record in records:
        if record.subject_kind == Record.Subject.UNIT:
            for uid, label in units:
                if uid == record.unit_id:
                    out.append(reason_text(record, restriction, label))
            continue
        for who in people:
            if _matches(record, who):
                label = f"{who.role}{who.name}" if who.role else who.name
                out.append(reason_text(record, restriction, label))
    # A person listed twice (leader and member) is named once per record.
    return list(dict.fromkeys(out))


def barred_users(*, restriction: str, users: Iterable, day: datetime.date | None = None) -> dict[int, str]:
    """{user id: the first reason} for the users (objects with pk, unit_id and a name) `restriction` bars
    on `day`. Two queries at most, whatever the number of users (for the solver's expert pool)."""
    users = list(users)
    if not users:
        return {}
    by_id = {u.pk: u for u in users}
    out: dict[int, str] = {}
    qs = binding(restriction, day).filter(subject_kind=Record.Subject.PERSON)
    for record in qs.filter(person_id__in=list(by_id)).order_by("decided_on", "pk"):
        out.setdefault(record.person_id, reason_text(record, restriction, str(by_id[record.person_id])))
    by_name_unit: dict[tuple[str, int], list[int]] = {}
    for u in users:
        if u.unit_id:
            by_name_unit.setdefault((normalise_name(str(u)), u.unit_id), []).append(u.pk)
    units = {key[1] for key in by_name_unit}
    if units:
        for record in qs.filter(person__isnull=True, unit_id__in=units).order_by("decided_on", "pk"):
            for uid in by_name_unit.get((normalise_name(record.person_name), record.unit_id), []):
                out.setdefault(uid, reason_text(record, restriction, str(by_id[uid])))
    return out


def user_reasons(*, restriction: str, user, day: datetime.date | None = None) -> list[str]:
    """Every reason `restriction` bars this user (an expert, a leader) on `day`."""
    if user is None:
        return []
    return reasons(
        restriction=restriction,
        people=[Who(name=str(user), user_id=user.pk, unit_id=getattr(user, "unit_id", None))],
        day=day,
    )


def programme_applicant_reasons(*, user, unit, call=None, day: datetime.date | None = None) -> list[str]:
    """The programmes stage rule "no_integrity_record" (registered in apps.py): every reason a binding
    record bars the submitting person or their unit from applying."""
    units, people = _applicant(user, unit)
    return reasons(restriction=Restriction.APPLY, units=units, people=people, day=day)


def _applicant(user, unit) -> tuple[list[tuple[int, str]], list[Who]]:
    units = [(unit.pk, str(unit))] if unit is not None and unit.pk else []
    return units, [Who(name=str(user), user_id=user.pk, unit_id=getattr(unit, "pk", None), role=_("负责人"))]


def programme_applicant_reasons_many(
    *, pairs, call=None, day: datetime.date | None = None
) -> list[list[str]]:
    """`programme_applicant_reasons` for each (user, unit) of `pairs`, in their order, in one query."""
    asked = [_applicant(user, unit) for user, unit in pairs]
    if not asked:
        return []
    records = _binding_for(
        Restriction.APPLY,
        [u for units, _people in asked for u in units],
        [p for _units, people in asked for p in people],
        day,
    )
    return [_reasons_from(records, Restriction.APPLY, units, people) for units, people in asked]


def records_for_user(user) -> QuerySet[Record]:
    """Every record against this person (any state): by account, or by name at their unit."""
    cond = Q(subject_kind=Record.Subject.PERSON, person=user)
    if getattr(user, "unit_id", None) and str(user):
        cond |= Q(
            subject_kind=Record.Subject.PERSON,
            person__isnull=True,
            unit_id=user.unit_id,
            person_name=str(user),
        )
    return Record.objects.filter(cond).select_related("unit").order_by("-decided_on", "-pk")


def records_for_unit(unit) -> QuerySet[Record]:
    """Every record against the unit itself (any state)."""
    return Record.objects.filter(subject_kind=Record.Subject.UNIT, unit=unit).order_by("-decided_on", "-pk")


def record_list(*, q: str = "", status: str = "", current: bool = False) -> QuerySet[Record]:
    qs = Record.objects.select_related("unit", "person")
    if q:
        qs = qs.filter(
            Q(person_name__icontains=q)
            | Q(unit__in=units_named(q).values("pk"))  # any name the unit is shown by (docs/adr/0018)
            | Q(decision__icontains=q)
        )
    if status:
        qs = qs.filter(status=status)
    if current:
        day = timezone.localdate()
        qs = qs.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day), status__in=list(BINDING), starts_on__lte=day
        )
    return qs.order_by("-decided_on", "-pk")
