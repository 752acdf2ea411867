"""Reads of ingest: document lists, a document with its changes, facts and mentions, the review queue."""

from django.db.models import Count, Q, QuerySet

from .models import Change, Document, Fact, Mention
from .permissions import documents_visible_to, facts_visible_to


def document_list(*, user, q: str = "", status: str = "") -> QuerySet[Document]:
    """The documents `user` may see, newest first, with counts of facts by status (no original bytes)."""
    qs = documents_visible_to(user).defer("original", "original_text", "repaired_text")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(filename__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return (
        qs.annotate(
            fact_count=Count("facts", distinct=True),
            open_count=Count("facts", filter=Q(facts__status=Fact.Status.PROPOSED), distinct=True),
        )
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")
    )


def document_get(*, user, pk: int) -> Document:
    """One document `user` may see (Document.DoesNotExist otherwise)."""
    return documents_visible_to(user).select_related("uploaded_by").get(pk=pk)


def document_changes(*, document: Document) -> list[Change]:
    """Every change of the document in pipeline order, the undone ones included."""
    return list(document.changes.order_by("seq"))


def document_facts(*, document: Document) -> list[Fact]:
    """The document's facts in reading order, with their reviewers."""
    return list(document.facts.select_related("reviewed_by").order_by("start", "id"))


def document_has_open_facts(*, document: Document) -> bool:
    """Whether any fact of the document is still proposed (undecided): the document cannot be finished."""
    return document.facts.filter(status=Fact.Status.PROPOSED).exists()


def document_mentions(*, document: Document) -> list[Mention]:
    """The document's entity mentions in reading order."""
    return list(document.mentions.order_by("start"))


QUEUE_ORDERS = ("uncertain", "reading")


def fact_queue(
    *,
    user,
    status: str = Fact.Status.PROPOSED,
    kind: str = "",
    document: int | None = None,
    uncertain: bool | None = None,
    order: str = "uncertain",
    q: str = "",
) -> QuerySet[Fact]:
    """Facts to review (by default the proposed ones), with their documents: those read across an uncertain
    span first (`order="uncertain"`, a careful look first), else in reading order; `uncertain` True or False
    keeps only those read (or not read) across one; `q` those whose subject, sentence or report title holds
    it."""
    qs = (
        facts_visible_to(user)
        .select_related("document", "reviewed_by")
        .defer("document__original", "document__original_text", "document__repaired_text")
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if document:
        qs = qs.filter(document_id=document)
    if uncertain is not None:
        qs = qs.filter(uncertain=uncertain)
    if q:
        qs = qs.filter(Q(subject__icontains=q) | Q(quote__icontains=q) | Q(document__title__icontains=q))
    if order == "uncertain":
        return qs.order_by("-uncertain", "document_id", "start", "id")
    return qs.order_by("document_id", "start", "id")


def uncertain_fact_count(facts) -> int:
    """How many of `facts` (a document's, already read) were read across an uncertain span."""
    return sum(1 for f in facts if f.uncertain)


def open_fact_count(*, user) -> int:
    """How many facts `user` may see that still wait for a decision."""
    return facts_visible_to(user).filter(status=Fact.Status.PROPOSED).count()


def region_shown(name: str) -> str:
    """A document's region (stored as the indicators' region name, 甘肃) in the reader's language (Gansu), as
    `places_shown` names a fact's other region; a name no registered region has is shown as stored."""
    return places_shown([name]).get(name, "")


def places_shown(names) -> dict[str, str]:
    """{stored place: the place in the reader's language} for the other regions facts are about (one query):
    a region of the regions list by its English name on English pages (甘肃省 → Gansu), a place of several
    (甲省、乙省) each, a province whose name the website redacted (〔隐去〕省) in words; a place the list does not
    hold (a city, a made-up name) as stored — the report's own words."""
    from django.db.models import Q
    from django.utils.translation import gettext as _

    from kechuang.core import divisions
    from kechuang.core.language import local_name
    from kechuang.indicators.models import Region
    from kechuang.ingest.parsers.extract import REDACTED_REGION

    names = {n for n in names or () if n}
    parts = {p for n in names for p in n.split("、") if p}
    # a province by its short name too (甘肃, as a report writes it, where the list holds 甘肃省: the English page
    # had read "— / 甘肃"), through the divisions' code: the same one query
    codes = {p: divisions.resolve(p) for p in parts}
    english, by_code = {}, {}
    if parts:
        rows = Region.objects.filter(Q(name__in=parts) | Q(code__in={c for c in codes.values() if c}))
        for name, code, name_en in rows.values_list("name", "code", "name_en"):
            english[name], by_code[code] = name_en, name_en

    def one(part: str) -> str:
        if part == REDACTED_REGION:
            return _("名称被隐去的另一省份")
        code = codes.get(part)
        en = (
            english.get(part)
            or (by_code.get(code) if code else "")
            or (divisions.name(code, english=True) if code else "")
        )
        return local_name(part, en or "")

    return {n: _("、").join(one(p) for p in n.split("、") if p) for n in names}
