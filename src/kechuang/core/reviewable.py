"""What the review app needs to know of anything it reviews (a challenge application, a platform's
evaluation entry, ...). The reviewed model implements these methods; review reaches it through a generic
link (content type + id), so there is one review code path for every kind of thing reviewed.
"""

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Person:
    """Someone named in a reviewed item: a user when known, else a name (and their unit's name)."""

    name: str
    user_id: int | None = None
    unit_id: int | None = None
    role: str = ""  # "leader", "member", ...


@dataclass(frozen=True)
class ReviewSubject:
    """The facts about one reviewed item that affinity and conflict rules use."""

    title: str
    title_en: str = ""  # a title the system made from names with English forms: its English form
    text: str = ""  # abstract, technical plan summary: what affinity reads
    keywords: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()  # discipline codes (GB/T 13745 or the programme's own)
    unit_ids: tuple[int, ...] = ()  # applicant / host / co-host units: same-unit conflicts
    people: tuple[Person, ...] = ()  # team leader and members: "the applicant themself", collaborators
    excluded_unit_ids: tuple[int, ...] = ()  # units the applicant asked to exclude (回避单位)
    excluded_names: tuple[str, ...] = ()  # persons the applicant asked to exclude
    city: str = ""
    extra: dict = field(default_factory=dict)


@runtime_checkable
class Reviewable(Protocol):
    def review_subject(self) -> ReviewSubject: ...
