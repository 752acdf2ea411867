"""Conflict-of-interest rules (回避), as pure functions over plain facts.

Each rule returns the reason a person can read; `conflict_reasons` returns every rule that fires for
one subject-expert pair. A pair with any reason can never be assigned (solver, random draw or by hand).
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from kechuang.core.dates import date_text
from kechuang.core.divisions import city_normalise
from kechuang.core.reviewable import ReviewSubject

RULE_SELF = "self"
RULE_SAME_UNIT = "same_unit"
RULE_PAST_UNIT = "past_unit"
RULE_COLLABORATOR = "collaborator"
RULE_EXCLUDED_UNIT = "excluded_unit"
RULE_EXCLUDED_PERSON = "excluded_person"
RULE_DECLARED = "declared"
RULE_SAME_CITY = "same_city"

RULES = {
    RULE_SELF: gettext_lazy("申报人本人"),
    RULE_SAME_UNIT: gettext_lazy("同一单位"),
    RULE_PAST_UNIT: gettext_lazy("近年曾在同一单位"),
    RULE_COLLABORATOR: gettext_lazy("团队成员的合作者"),
    RULE_EXCLUDED_UNIT: gettext_lazy("申报方要求回避的单位"),
    RULE_EXCLUDED_PERSON: gettext_lazy("申报方要求回避的专家"),
    RULE_DECLARED: gettext_lazy("专家自行声明回避"),
    RULE_SAME_CITY: gettext_lazy("同城回避"),
}


def normalise_name(name: str) -> str:
    """Names compare without spaces, dots or case (张 三 = 张三; Li Wei = li wei)."""
    return re.sub(r"[\s.·•]", "", (name or "")).lower()


@dataclass(frozen=True)
class PastUnit:
    unit_id: int | None
    unit_name: str
    start: datetime.date | None
    end: datetime.date | None  # None: still there


@dataclass(frozen=True)
class ExpertFacts:
    """What the conflict rules need to know of an expert."""

    user_id: int
    name: str
    unit_id: int | None = None
    unit_name: str = ""
    city: str = ""
    past_units: tuple[PastUnit, ...] = ()
    collaborator_names: tuple[str, ...] = ()
    collaborator_user_ids: tuple[int, ...] = ()
    declared_unit_ids: tuple[int, ...] = ()
    declared_names: tuple[str, ...] = ()
    declared_subject_keys: tuple[str, ...] = ()  # "<content_type_id>:<object_id>" declared per subject
    extra: dict = field(default_factory=dict)


def conflict_reasons(
    subject: ReviewSubject,
    expert: ExpertFacts,
    *,
    today: datetime.date,
    conflict_years: int = 5,
    same_city_rule: bool = False,
    subject_key: str = "",
    unit_names: dict[int, str] | None = None,
) -> list[tuple[str, str]]:
    """Every (rule, reason) that forbids this pair; [] when the expert is free to review the subject."""
    names = unit_names or {}
    out: list[tuple[str, str]] = []
    people_ids = {p.user_id for p in subject.people if p.user_id}
    people_names = {normalise_name(p.name) for p in subject.people if p.name}
    me = normalise_name(expert.name)
    if expert.user_id in people_ids or (me and me in people_names):
        out.append((RULE_SELF, _("专家本人是该申报的团队成员或申报人。")))
    subject_units = set(subject.unit_ids) | {p.unit_id for p in subject.people if p.unit_id}
    if expert.unit_id and expert.unit_id in subject_units:
        out.append(
            (
                RULE_SAME_UNIT,
                _("专家现在所在单位“%(unit)s”是申报单位或团队成员单位。")
                % {"unit": expert.unit_name or names.get(expert.unit_id, str(expert.unit_id))},
            )
        )
    cutoff_year = today.year - conflict_years
    for past in expert.past_units:
        if not past.unit_id or past.unit_id not in subject_units or past.unit_id == expert.unit_id:
            continue
        if past.end is None or past.end.year >= cutoff_year:
            out.append(
                (
                    RULE_PAST_UNIT,
                    _("专家%(years)d年内曾在“%(unit)s”工作（至%(end)s）。")
                    % {
                        "years": conflict_years,
                        "unit": past.unit_name or names.get(past.unit_id, str(past.unit_id)),
                        "end": date_text(past.end) if past.end else _("今"),
                    },
                )
            )
            break
    collab_names = {normalise_name(n) for n in expert.collaborator_names if n}
    for person in subject.people:
        if (person.user_id and person.user_id in expert.collaborator_user_ids) or (
            person.name and normalise_name(person.name) in collab_names
        ):
            out.append(
                (RULE_COLLABORATOR, _("团队成员“%(name)s”是专家登记的合作者。") % {"name": person.name})
            )
            break
    if expert.unit_id and expert.unit_id in set(subject.excluded_unit_ids):
        out.append((RULE_EXCLUDED_UNIT, _("申报方要求回避专家所在单位。")))
    excluded = {normalise_name(n) for n in subject.excluded_names if n}
    if me and me in excluded:
        out.append((RULE_EXCLUDED_PERSON, _("申报方要求该专家回避。")))
    declared = set(expert.declared_unit_ids)
    declared_names = {normalise_name(n) for n in expert.declared_names if n}
    hit = ""
    if subject_key and subject_key in expert.declared_subject_keys:
        hit = _("专家对该申报声明了利益冲突。")
    elif subject_units & declared:
        hit = _("专家声明与申报单位存在利益冲突。")
    elif people_names & declared_names:
        hit = _("专家声明与团队成员存在利益冲突。")
    if hit:
        out.append((RULE_DECLARED, hit))
    if same_city_rule and same_city(expert.city, subject.city):
        out.append(
            (RULE_SAME_CITY, _("本轮要求同城回避：专家与申报方同在%(city)s。") % {"city": subject.city})
        )
    return out


@functools.lru_cache(maxsize=4096)
def _city_key(value: str) -> str:
    return city_normalise(value)


def same_city(a: str, b: str) -> bool:
    """Two stored cities name the same place: a unit's or platform's city is stored as the division's full name
    (太原市) while an expert's may be typed (太原, Taiyuan); both are read as the division they name, and a value
    naming none is compared as typed."""
    a, b = (a or "").strip(), (b or "").strip()
    return bool(a and b) and (a == b or _city_key(a) == _city_key(b))


# A stored reason (Conflict.reason, written in Chinese when the round was assigned) read in the page's
# language: the rules' own sentences are put into it, their data (a unit, a name, a city) as stored; any
# other reason (typed by an expert declining) is shown as typed.
FIXED_REASONS = frozenset(
    {
        gettext_noop("专家本人是该申报的团队成员或申报人。"),
        gettext_noop("申报方要求回避专家所在单位。"),
        gettext_noop("申报方要求该专家回避。"),
        gettext_noop("专家对该申报声明了利益冲突。"),
        gettext_noop("专家声明与申报单位存在利益冲突。"),
        gettext_noop("专家声明与团队成员存在利益冲突。"),
    }
)
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _end_text(end: str) -> str:
    if end == "今":
        return gettext("今")
    m = _CN_DATE.match(end)
    if m:
        try:
            return date_text(datetime.date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            return end
    return end


PATTERNED_REASONS = (  # (the reason as stored, its msgid, how each parameter is read)
    (
        re.compile(r"^专家现在所在单位“(?P<unit>.*)”是申报单位或团队成员单位。$", re.S),
        gettext_noop("专家现在所在单位“%(unit)s”是申报单位或团队成员单位。"),
        {},
    ),
    (
        re.compile(r"^专家(?P<years>\d+)年内曾在“(?P<unit>.*)”工作（至(?P<end>[^）]*)）。$", re.S),
        gettext_noop("专家%(years)d年内曾在“%(unit)s”工作（至%(end)s）。"),
        {"years": int, "end": _end_text},
    ),
    (
        re.compile(r"^团队成员“(?P<name>.*)”是专家登记的合作者。$", re.S),
        gettext_noop("团队成员“%(name)s”是专家登记的合作者。"),
        {},
    ),
    (
        re.compile(r"^本轮要求同城回避：专家与申报方同在(?P<city>.*)。$", re.S),
        gettext_noop("本轮要求同城回避：专家与申报方同在%(city)s。"),
        {},
    ),
)


def reason_text(reason: str) -> str:
    """A stored conflict reason in the page's language (see FIXED_REASONS)."""
    if reason in FIXED_REASONS:
        return gettext(reason)
    for pattern, msgid, readers in PATTERNED_REASONS:
        m = pattern.match(reason)
        if m:
            params = {k: readers.get(k, str)(v) for k, v in m.groupdict().items()}
            return gettext(msgid) % params
    return reason
