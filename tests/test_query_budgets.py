"""Query-count budgets: no page or API endpoint makes more queries as the data grows.

The pages come from the URL configuration: every named URL pattern must have an entry in PAGES (how to
visit it: as whom, with which object and filters, and its budget) or in NOT_MEASURED (why not), so a new
page without an entry fails `test_every_url_pattern_has_a_budget_or_a_reason`. Every nav entry of every
role must be measured as that role (`test_every_nav_entry_is_measured`).

`test_queries_do_not_grow_with_data` builds a world with every app's factories (kechuang.web.tests.world)
with SMALL clusters, visits every page, grows the world to BIG clusters (more rows in every list and more
children on every detail page's object) and visits again: the counts must be equal, and within the
page's budget. A failure lists every page that broke, with its counts; `-s` prints the whole table.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kechuang.web.tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SMALL, BIG = 2, 6


@dataclass(frozen=True)
class Visit:
    role: str
    budget: int
    args: Callable[[World], list] = lambda w: []
    query: str | Callable[[World], str] = ""
    method: str = "get"
    data: Callable[[World], dict] | None = None  # POST/PATCH body
    status: tuple[int, ...] = (200,)
    tags: tuple[str, ...] = field(default_factory=tuple)
    # An audit trail reads the rows its events name by name, one query per kind of row (core.display's
    # refs, generic keys, review saves): a page of the bigger world with more kinds of event on it may take
    # up to `kinds` queries more. Bounded by the kinds registered, not by the rows.
    kinds: int = 0


def V(role, budget, args=None, query="", **kw) -> Visit:
    return Visit(role, budget, args or (lambda w: []), query, **kw)


def _ct(app_label: str, model: str) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_by_natural_key(app_label, model).pk


def _after(_made) -> list:
    """No URL arguments: the call only made sure the list has a row on the first visit too."""
    return []


def _official_document(w: World):
    """A superseded document of the named contract (made on the first visit, the same one after): its page
    follows the chain to the version in force."""
    from django.core.files.base import ContentFile

    from kechuang.documents.models import OfficialDocument

    old = OfficialDocument.objects.filter(contract=w.contract, version=1).first()
    if old is None:
        made = []
        for version in (1, 2):
            doc = OfficialDocument(
                contract=w.contract,
                kind="notice",
                title="立项通知",
                version=version,
                code=f"TEST-0000-0000-000{version}",
                sha256="0" * 64,
                size=9,
            )
            doc.file.save("n.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
            doc.save()
            made.append(doc)
        OfficialDocument.objects.filter(pk=made[0].pk).update(superseded_by=made[1])
        old = made[0]
    return old


def _final_account(w: World):
    """The named project's final accounts in draft (made on the first visit, the same one after)."""
    from kechuang.funds.models import FinalAccount

    return FinalAccount.objects.get_or_create(contract=w.contract)[0]


def _unit_change(w: World):
    """Unit A's user's pending change request (made on the first visit, the same one after)."""
    from kechuang.accounts.models import UnitChangeRequest
    from kechuang.accounts.services import unit_change_request_create

    return UnitChangeRequest.objects.filter(unit=w.unit).first() or unit_change_request_create(
        actor=w.applicant, unit=w.unit, changes={"city": "长治"}, reason="搬迁"
    )


def _failed_email(w: World):
    """A failed notification e-mail per cluster (the list grows with the world)."""
    from kechuang.core.models import OutboundEmail

    n = OutboundEmail.objects.count()
    for i in range(n, w.clusters + 1):
        OutboundEmail.objects.create(
            recipient=w.applicant, address=f"w{i}@example.org", subject="预算", status="failed", attempts=4
        )
    return None


def _token(w: World):
    from kechuang.accounts.models import ApiToken
    from kechuang.accounts.services import token_issue

    return (
        ApiToken.objects.filter(user=w.applicant, name="budget").first()
        or token_issue(actor=w.applicant, user=w.applicant, access="write", name="budget")[0]
    )


def _review_form(w: World) -> dict:
    w.review.refresh_from_db()
    return {
        # the sheet of the list's 揭榜挂帅 review form (#18): criteria and 推荐意见 by their keys
        "tech": "36",
        "team": "25",
        "f4": "推荐",
        "comments": "方案可行。",
        "opinion": "建议加强中试验证。",
        "version": w.review.version,
    }


def _review_api(w: World) -> dict:
    w.review.refresh_from_db()
    return {"version": w.review.version, "scores": {"tech": "35", "team": "22"}, "comments": "可行。"}


def _searchable_platforms(query: str) -> str:
    """Every platform's segmented search text (services write it; the factories do not), so that the search
    finds every platform of the world: a page of rows."""
    from kechuang.platforms import search
    from kechuang.platforms.models import Platform

    for p in Platform.objects.all():
        p.search_text = search.search_text(p.name, p.mission)
        p.save(update_fields=["search_text"])
    return query


def _audit_cursor(w: World) -> str:
    from kechuang.core.models import AuditEvent

    return f"after={AuditEvent.objects.order_by('-at', '-id').values_list('pk', flat=True)[2]}"


# url name -> visits; budgets are the maximum number of queries the request may make (SQLite and
# PostgreSQL count the same here), measured after the fixes of issue #8.
# #19: a signed-in request loads its user with the roles and the unread count in one query
# (accounts.backends): -1 (groups) on every signed-in visit, -2 (and the unread count) where the page renders
# the layout.
PAGES: dict[str, list[Visit]] = {
    # shell
    "web:healthz": [V("anonymous", 0)],
    "web:home": [V("anonymous", 8), V("staff", 8)],
    "web:dashboard": [
        # one count query per app (core.counts), shared by its tasks and cards; was 42/15/22/20/15
        # + 1: core's count of failed notification e-mails (core.dashboard); + 3: funds' payable tranches,
        # adjustments and final accounts awaiting staff (#16); the commissioner's + 1: their adjustments.
        # Staff's - 3 (#19): the counts of core, challenges, review and platforms are counter rows read in
        # one query (core.counters), where each app counted its tables; everyone's - 2: the platforms' cards
        # are a fragment cached per role under a version in those counter rows (#19).
        V("staff", 24),
        V("applicant", 9),
        V("commissioner", 17),
        V("expert", 14),
        V("operator", 11),
    ],
    # found by words of the title or text (people22): the same queries, the words in the page's one
    "web:notifications": [V("staff", 3), V("staff", 3, query="q=%E9%80%9A%E7%9F%A5")],
    # the pickers' searches: one query for the rows (plus the session and the user with its roles)
    "web:pick-units": [V("applicant", 4, query="q=测试")],
    "web:pick-experts": [V("staff", 3, query="q=测试")],
    # the discipline table is read from the file once per process: only the session and the user
    "web:pick-disciplines": [V("expert", 2, query="q=代数")],
    "web:pick-users": [V("staff", 3, query="q=测试&role=operator")],
    "web:pick-platforms": [V("operator", 3, query="q=测试")],
    "web:pick-indicators": [V("staff", 3, query="q=测试")],
    "web:notice-settings": [V("applicant", 3)],
    "web:email-list": [
        V("staff", 4, lambda w: _after(_failed_email(w))),
        # found by address, subject or recipient's name within a status (people22): the names through the
        # users' name index in the page's query, no query more
        V("staff", 4, lambda w: _after(_failed_email(w)), query="q=%E9%A2%84%E7%AE%97&status=failed"),
    ],
    "web:pick-topics": [V("staff", 3, query="q=测试")],
    "web:pick-review-forms": [V("staff", 3, query="q=测试")],
    "web:pick-projects": [V("staff", 3, query="q=测试")],
    # + the kind's content type
    "web:pick-objects": [V("staff", 4, query=lambda w: f"q=测试&kind={_ct('challenges', 'application')}")],
    # accounts
    "accounts:login": [V("anonymous", 0)],
    "accounts:profile": [V("applicant", 5)],
    "accounts:token-issue": [V("applicant", 3)],
    "accounts:unit-list": [
        V("staff", 6),
        V("staff", 6, query="q=测试&kind=enterprise"),
        V("staff", 3, query="export=xlsx"),
    ],
    # + 1: the unit's project performance record (evaluation's panel, #16)
    "accounts:unit-detail": [
        V("staff", 9, lambda w: [w.unit.pk]),
        V("applicant", 8, lambda w: [w.unit.pk]),
    ],
    "accounts:unit-edit": [V("staff", 5, lambda w: [w.unit.pk])],
    "accounts:register": [V("anonymous", 3)],
    "accounts:unit-import": [V("staff", 2)],
    "accounts:change-request-list": [
        V("staff", 4, lambda w: _after(_unit_change(w))),
        V("staff", 4, lambda w: _after(_unit_change(w)), query="status="),
    ],
    "accounts:change-request-detail": [
        V("staff", 4, lambda w: [_unit_change(w).pk]),
        V("applicant", 4, lambda w: [_unit_change(w).pk]),
    ],
    "accounts:password-change": [V("applicant", 2)],
    "accounts:otp-verify": [V("applicant", 4, status=(302,))],
    # the key offered waits in the session, no device row: the first visit saves the session (6, then 3);
    # + 1: the count of the person's tokens issued with the password alone, which turning it on revokes
    "accounts:otp-setup": [V("applicant", 7)],
    "accounts:user-list": [V("staff", 5), V("staff", 5, query="q=w_&role=applicant&active=all")],
    "accounts:user-invite": [V("staff", 2)],
    "accounts:user-duplicates": [V("staff", 3)],  # the shared keys, then their accounts with units
    # unconfirmed registrations with their units, when each one's mail was last held back, the registrations kept
    # apart (§30) and when theirs was held back (one query each, none per row), + 2 the page
    "accounts:registration-list": [V("staff", 6)],
    "accounts:user-detail": [V("staff", 8, lambda w: [w.applicant.pk])],  # + 1: the leader's record
    "accounts:password-reset": [V("anonymous", 0)],
    "accounts:password-reset-done": [V("anonymous", 0)],
    "accounts:password-reset-confirm": [V("anonymous", 1, lambda w: ["MQ", "not-a-token"], status=(400,))],
    "accounts:register-confirm": [V("anonymous", 0, lambda w: ["not-a-token"], status=(400,))],
    "accounts:email-change-confirm": [V("applicant", 2, lambda w: ["not-a-token"], status=(400,))],
    "accounts:password-reset-complete": [V("anonymous", 0)],
    "api:token-list": [V("applicant", 4, lambda w: _after(_token(w)))],
    "api:token-detail": [V("applicant", 4, lambda w: [_token(w).pk])],
    "api:me": [V("applicant", 3)],
    "api:unit-list": [V("staff", 4), V("staff", 4, query="search=测试")],
    "api:unit-detail": [V("staff", 3, lambda w: [w.unit.pk])],
    # core
    "core:job-list": [V("staff", 4)],  # + the page count
    "core:job-detail": [V("staff", 3, lambda w: [w.job.pk])],
    # +5: the programmes' events name five more models; +1 the registries' (#17.2); +1 a call's review
    # round's events (the review form and round made for a programme call, #18)
    "core:audit-log": [
        # + 2-3 (session 11): the rows the events name read by name, one query per kind on the page
        # - 2 (session 12): a form version's or programme version's name read with it (core.display's
        # NAME_JOINS), not in a query per row
        # + 2-4 (usable12): the events' objects of a kind with English names (a challenge, a unit, a round …)
        # read once per kind on the page, to name them in the reader's language (core.display._object_names)
        # + 1 (usable14): the world's challenge indicators named in English, one more such kind on the page
        # - 2-3 (people17): the events' objects read with the rows their payloads name, one query per model
        # (a call an event is about and a call another names; a form named both ways), not one more each
        V("staff", 11, kinds=2),
        V("staff", 4, query="action=test", kinds=1),
        V("staff", 12, query=_audit_cursor, kinds=2),
        V("staff", 13, query="export=xlsx", kinds=2),
        # found by the object's name through the events' name index (people22): as the action's filter
        V("staff", 4, query=lambda w: "object=" + quote(str(w.contract)[:4]), kinds=1),
    ],
    "api:job-list": [V("staff", 4)],
    "api:job-detail": [V("staff", 3, lambda w: [w.job.pk])],
    "api:audit-list": [V("staff", 3), V("staff", 3, query="action=test.grow")],
    # platforms
    "platforms:list": [
        # +1: the city filter lists the cities that occur (walker7; it was a text box)
        V("anonymous", 3),
        V("staff", 5),
        # a ranked search (the world's platforms made searchable, so it has rows): every match's key in order
        # from the platform table alone (counted and cut in Python: the text test once, not twice), then the
        # page's rows with their hosts (#19: at national size 2,223 matches were joined to their units to
        # sort them; then counted and ranked in two queries: 3 -> 2)
        V("anonymous", 3, query=lambda w: _searchable_platforms("q=测试平台&kind=consortium")),
    ],
    "platforms:create": [V("staff", 2)],
    "platforms:statistics": [V("anonymous", 22), V("staff", 24)],
    "platforms:import": [V("staff", 2)],
    "platforms:detail": [
        # +1 (#19): the lineage first finds its reorganisations from ids (one query), then loads only those
        # with their platforms, instead of every reorganisation of the province (platform detail at
        # national size: 56-76 ms warm before, 11-16 ms after, benchmarks/load/queries.py)
        V("anonymous", 12, lambda w: [w.platform.pk]),
        V("staff", 19, lambda w: [w.platform.pk]),
    ],
    "platforms:edit": [V("staff", 5, lambda w: [w.platform.pk])],
    "platforms:reports": [V("staff", 5), V("operator", 5)],
    # + 1 (people38): whether the operator has one platform, then chosen for them
    "platforms:report-create": [V("operator", 4)],
    "platforms:report-detail": [
        V("staff", 5, lambda w: [w.report.pk]),
        V("operator", 8, lambda w: [w.report.pk]),
    ],
    "platforms:report-edit": [V("operator", 6, lambda w: [w.report.pk])],
    "platforms:reorganisations": [V("staff", 6), V("staff", 5, query="export=xlsx")],
    "platforms:reorganisation-create": [V("staff", 2)],
    "platforms:reorganisation-detail": [V("staff", 9, lambda w: [w.reorganisation.pk])],
    "platforms:lineage": [V("staff", 6)],
    "platforms:overlap": [V("staff", 4)],
    "api:platforms-list": [V("anonymous", 2), V("staff", 4, query="search=测试&kind=consortium")],
    "api:platforms-detail": [V("anonymous", 1, lambda w: [w.platform.pk])],
    "api:platforms-members": [V("staff", 5, lambda w: [w.platform.pk])],
    "api:platforms-achievements": [V("staff", 5, lambda w: [w.platform.pk])],
    "api:platforms-counts": [V("anonymous", 1)],
    "api:platforms-reports": [V("staff", 4), V("operator", 4)],
    "api:platforms-report": [V("staff", 3, lambda w: [w.report.pk])],
    "api:platforms-reorganisations": [V("staff", 6)],
    "api:platforms-lineage": [V("staff", 5)],
    "api:platforms-overlap": [V("staff", 4)],
    # challenges
    "challenges:challenge-list": [
        V("anonymous", 4),
        V("staff", 6),
        V("anonymous", 4, query="q=榜单&status=published"),
    ],
    "challenges:challenge-detail": [
        V("anonymous", 2, lambda w: [w.challenge.pk]),
        V("staff", 9, lambda w: [w.challenge.pk]),  # + its indicators' trail (their English, usable14)
        V("applicant", 5, lambda w: [w.challenge.pk]),
    ],
    "challenges:awards": [V("anonymous", 3)],  # + the page count
    "challenges:results": [
        V("anonymous", 1),
        V("anonymous", 2, query="export=xlsx"),
    ],  # + the transfers, when there are results
    "challenges:result-detail": [V("staff", 6, lambda w: [w.result.pk])],
    # + 1: django-otp's middleware loads the signed-in user even where the page itself does not.
    "challenges:export-list-xlsx": [V("staff", 3)],
    "challenges:export-list-print": [V("staff", 4)],
    "challenges:export-awards-xlsx": [V("staff", 2)],  # + 1: django-otp's middleware (above)
    "challenges:export-awards-print": [V("staff", 3)],
    "challenges:publicity": [V("anonymous", 4, lambda w: [w.challenge.pk])],
    "challenges:need-list": [
        V("staff", 4),
        V("applicant", 4),
        V("staff", 4, query="q=技术需求"),
        V("applicant", 4, query="export=xlsx"),
    ],
    "challenges:need-create": [V("applicant", 2)],
    "challenges:need-detail": [V("staff", 5, lambda w: [w.need.pk])],
    "challenges:need-group": [V("staff", 3)],
    "challenges:need-import": [V("staff", 2)],
    "challenges:topic-list": [V("staff", 4), V("staff", 3, query="export=xlsx")],  # + the page count
    "challenges:topic-create": [V("staff", 2)],
    "challenges:topic-detail": [V("staff", 7, lambda w: [w.topic.pk])],
    "challenges:topic-edit": [V("staff", 4, lambda w: [w.topic.pk])],
    # + 2: the review criteria start from the 揭榜挂帅 version's review form (#18)
    # + 1 (people38): the challenges' codes, for the next free code the form proposes
    "challenges:challenge-create": [V("staff", 5)],
    "challenges:challenge-edit": [V("staff", 6, lambda w: [w.draft_challenge.pk])],
    # a published list's English names and units: the list, its indicators, whether it has contracts
    "challenges:challenge-english": [V("staff", 5, lambda w: [w.challenge.pk])],
    "challenges:challenge-review": [V("staff", 5, lambda w: [w.challenge.pk])],
    "challenges:challenge-decision": [V("staff", 5, lambda w: [w.challenge.pk])],
    "challenges:challenge-confirm": [V("staff", 6, lambda w: [w.challenge.pk, "close"])],
    "challenges:downselect": [V("staff", 5, lambda w: [w.challenge.pk])],
    # the pre-application stage (预申报, #18): the unit's own, and staff's shortlist of every one
    "challenges:pre-apply": [V("applicant", 9, lambda w: [w.pre_challenge.pk])],
    "challenges:pre-application-list": [V("staff", 5, lambda w: [w.pre_challenge.pk])],
    # +1 on the application pages and API: the partner units of a joint application (联合揭榜, #13.11)
    # + 1: the application form version of the list's 揭榜挂帅 version (#18)
    "challenges:application-create": [V("applicant", 7, lambda w: [w.open_challenge.pk])],
    "challenges:application-list": [
        V("staff", 4),
        V("applicant", 4),
        V("staff", 4, query="status=submitted"),
        V("applicant", 5, query="export=xlsx"),  # + 1: the form versions' staff-added fields (#18)
    ],
    # +3: the funds panel (visibility, the budget lines, the rules); -1 (#19): the panel's visibility for staff
    # and the lead unit from the loaded row (challenges.permissions.can_view_application); -1 (#19): the
    # project the page links to is read with the application (and the team with their units, one query);
    # -1 (#19): not the list's indicators (only a draft's eligibility check reads them)
    # -1 (people17): no objections read before the application was proposed (none can be lodged before)
    # +1 (people35): the list's indicators once when a milestone has stage targets, for their units and English
    # names (challenges.selectors.milestone_targets_shown; a draft's eligibility check reads the same rows)
    "challenges:application-detail": [
        V("staff", 13, lambda w: [w.application.pk]),
        V("applicant", 12, lambda w: [w.application.pk]),
    ],
    "challenges:application-edit": [V("applicant", 9, lambda w: [w.draft_application.pk])],
    "challenges:contract-list": [
        V("staff", 4),
        V("commissioner", 4),
        V("commissioner", 3, query="flagged=1"),
        # +3: the form versions of the yearly reports, mid-term checks and acceptances, for their columns (#18);
        # +1: the performance evaluations' form versions, for theirs (绩效评价, #18)
        V("staff", 7, query="export=xlsx"),
    ],
    # +2: the funds panel (visibility, the tranches); +2 the documents panel (visibility, the documents),
    # +2 more for staff (the approved tranches to issue notices for, the archives); +1: the performance
    # evaluation panel (#16); +1: the mid-term check form of the list's programme version (#18)
    "challenges:contract-detail": [  # -4 (#19): the panels' visibility from the loaded row, the progress
        # from the loaded milestones, the acceptance items with their indicators
        V("staff", 20, lambda w: [w.contract.pk]),  # + its indicators' trail (their English, usable15)
        V("commissioner", 16, lambda w: [w.contract.pk]),
        V("applicant", 15, lambda w: [w.contract.pk]),
    ],
    "challenges:contract-edit": [V("staff", 9, lambda w: [w.draft_contract.pk])],
    # +1: the acceptance form of the list's programme version (#18)
    "challenges:acceptance": [V("staff", 11, lambda w: [w.contract.pk])],
    # the performance evaluation (绩效评价, #18): the form of the list's version (none: why not yet)
    "challenges:performance": [V("commissioner", 11, lambda w: [w.contract.pk])],
    "challenges:transfer-add": [V("applicant", 3, lambda w: [w.result.pk])],
    # -1 (#19): challenges.permissions.can_view_contract reads the loaded row, no query; + 1: the earlier
    # submissions of a report sent back, each with its own form version (#18)
    "challenges:milestone-detail": [V("commissioner", 8, lambda w: [w.milestone.pk])],
    # +1 (#19): the challenges' version (core.counters), under which the page is cached per query string;
    # a repeated request is that one query (challenges/tests/views/test_api_list_cache.py)
    "api:challenges-challenge-list": [
        V("anonymous", 4),
        V("anonymous", 4, query="search=榜单&status=published"),
    ],
    "api:challenges-challenge-detail": [V("anonymous", 2, lambda w: [w.challenge.pk])],
    "api:challenges-need-list": [V("staff", 4)],
    "api:challenges-topic-list": [V("staff", 5)],
    "api:challenges-application-list": [V("staff", 7), V("applicant", 7)],
    "api:challenges-application-detail": [V("applicant", 6, lambda w: [w.application.pk])],
    "api:challenges-application-partners": [V("applicant", 4, lambda w: [w.application.pk])],
    "api:challenges-contract-list": [V("staff", 8), V("commissioner", 8)],
    # funds
    "challenges:duplicate-list": [V("staff", 4)],
    "challenges:duplicate-detail": [V("staff", 7, lambda w: [w.duplicate.pk])],
    "api:challenges-application-duplicates": [V("staff", 4, lambda w: [w.application.pk])],
    "integrity:record-list": [V("staff", 4), V("staff", 4, query="q=测试")],
    "integrity:record-create": [V("staff", 2)],
    "integrity:record-import": [V("staff", 2)],
    "integrity:record-detail": [V("staff", 5, lambda w: [w.integrity_record.pk])],
    "api:integrity-record-list": [V("staff", 4)],
    "api:integrity-record-detail": [V("staff", 3, lambda w: [w.integrity_record.pk])],
    "accounts:register-units": [V("anonymous", 1, query="q=测试")],
    "documents:verify-file": [V("anonymous", 0)],
    "documents:verify": [V("anonymous", 2, lambda w: [_official_document(w).code])],
    "documents:issue": [V("staff", 4, lambda w: [w.contract.pk, "notice"])],
    "documents:issue-payment": [V("staff", 4, lambda w: [w.payment.pk])],
    "documents:archive-build": [V("staff", 3, lambda w: [w.contract.pk])],
    "documents:opendata": [V("anonymous", 1), V("staff", 3)],
    # -3 (#19): the project's and each document's visibility from the loaded rows (can_view_contract)
    "api:documents-of-project": [V("staff", 5, lambda w: [_official_document(w).contract_id])],
    "api:documents-verify": [V("anonymous", 2, lambda w: [_official_document(w).code])],
    "documents:opendata-build": [V("staff", 2)],
    "documents:opendata-vocab": [V("anonymous", 0, lambda w: ["industry"])],
    "documents:opendata-oai": [
        V("anonymous", 2, query="verb=Identify"),
        V("anonymous", 2, query="verb=ListRecords&metadataPrefix=oai_cerif_openaire"),
    ],
    "funds:overview": [
        V("staff", 5),
        V("staff", 6, query="by=unit"),
        V("staff", 6, query="by=project&year=2026"),
    ],
    "funds:contract": [
        V("staff", 16, lambda w: [w.contract.pk]),
        V("commissioner", 16, lambda w: [w.contract.pk]),
        V("applicant", 16, lambda w: [w.contract.pk]),
    ],
    "funds:contract-budget": [V("staff", 5, lambda w: [w.contract.pk])],
    "funds:application-budget": [V("applicant", 5, lambda w: [w.draft_application.pk])],  # -1 (#19)
    "funds:rules": [V("staff", 4, lambda w: [w.challenge.pk])],
    "api:funds-project": [V("commissioner", 16, lambda w: [w.contract.pk])],
    "api:funds-spending": [V("commissioner", 7, lambda w: [w.contract.pk])],
    "api:funds-adjustments": [V("commissioner", 7, lambda w: [w.contract.pk])],
    "api:funds-final-account": [V("commissioner", 7, lambda w: [_final_account(w).contract_id])],
    "api:funds-application-budget": [V("applicant", 4, lambda w: [w.draft_application.pk])],  # -1 (#19)
    "api:challenges-contract-detail": [V("commissioner", 7, lambda w: [w.contract.pk])],
    "api:challenges-contract-changes": [V("commissioner", 5, lambda w: [w.contract.pk])],
    "api:challenges-result-list": [V("anonymous", 1)],
    # the registries (#17.2)
    "registry:result-search": [V("anonymous", 4), V("staff", 7, query="q=碳化硅")],
    "registry:result-detail": [V("anonymous", 6, lambda w: [w.registration.pk])],
    "registry:result-create": [V("applicant", 3)],
    "registry:result-edit": [V("staff", 8, lambda w: [w.registration.pk], status=(403,))],
    "registry:pick-people": [V("staff", 3, query="q=王")],
    "registry:contract-list": [V("staff", 4), V("applicant", 4)],
    "registry:contract-create": [V("applicant", 5)],
    "registry:contract-detail": [V("staff", 6, lambda w: [w.tech_contract.pk])],
    "registry:result-confirm": [V("staff", 8, lambda w: [w.registration.pk, "approve"])],
    "registry:contract-confirm": [V("staff", 3, lambda w: [w.tech_contract.pk, "register"])],
    "registry:contract-edit": [V("staff", 3, lambda w: [w.tech_contract.pk], status=(403,))],
    # the export reads the year list too: a ?year= it does not hold is refused, not read as all years
    "registry:stats": [V("staff", 8), V("staff", 8, query="export=xlsx")],
    "api:registry-result-list": [V("anonymous", 6)],
    "api:registry-result-detail": [V("anonymous", 8, lambda w: [w.registration.pk])],
    "api:registry-contract-list": [V("staff", 4)],
    "api:registry-contract-detail": [V("staff", 3, lambda w: [w.tech_contract.pk])],
    "api:registry-contract-stats": [V("staff", 7)],
    # the lifecycle's API (#17.5)
    "api:challenges-challenge-review": [V("staff", 4, lambda w: [w.challenge.pk])],
    "api:challenges-challenge-publicity": [V("anonymous", 6, lambda w: [w.challenge.pk])],
    "api:challenges-challenge-downselect": [V("staff", 4, lambda w: [w.challenge.pk])],
    "api:challenges-challenge-pre-applications": [
        V("staff", 5, lambda w: [w.pre_challenge.pk]),
        V("applicant", 6, lambda w: [w.pre_challenge.pk]),
    ],
    "api:challenges-application-attachments": [V("applicant", 10, lambda w: [w.application.pk])],
    "api:challenges-contract-midterm": [V("commissioner", 4, lambda w: [w.contract.pk])],
    "api:challenges-contract-acceptance": [V("staff", 4, lambda w: [w.contract.pk], status=(404,))],
    "api:challenges-contract-performance": [V("commissioner", 6, lambda w: [w.contract.pk], status=(404,))],
    "api:notification-list": [V("staff", 4)],
    # review
    "review:expert-list": [
        # +1: the city filter lists the cities that occur (walker7; it was a text box)
        V("staff", 5),
        V("staff", 4, query="q=用户&city=太原"),
        V("staff", 3, query="export=xlsx"),
    ],
    "review:expert-import": [V("staff", 2)],
    "review:expert-detail": [V("staff", 11, lambda w: [w.expert_profile.pk])],
    "review:my-profile": [V("expert", 10)],
    "review:my-assignments": [V("expert", 3)],
    "review:review-detail": [
        # + 3: the reviewed object (generic link), and its files listed for the expert (review_documents);
        # -1 (#19): the visibility check reads the review with what the page shows, in one query
        V("expert", 8, lambda w: [w.review.pk]),
        # + 2 (session 11): its audit trail's review saves read by criterion (2 queries when a save is shown)
        V("staff", 12, lambda w: [w.review.pk], kinds=2),
        # + 6: the audit chain (core.auditchain) reads and moves its head for each of the two events, and
        # takes its lock on PostgreSQL; -13 (#19): the scores that change in one UPDATE and the new ones in
        # one INSERT (was a SELECT and an UPDATE or INSERT per criterion, each in a savepoint), the audit
        # event's name from the loaded review, one read of the review for the check and the form
        V("expert", 19, lambda w: [w.review.pk], method="post", data=_review_form, status=(302,)),
    ],
    "review:round-list": [V("staff", 4), V("staff", 3, query="export=xlsx")],  # + the page count
    "review:round-create": [V("staff", 6)],  # + 1: programme submissions are reviewable too (#18)
    "review:round-detail": [V("staff", 13, lambda w: [w.round.pk])],  # + subjects count, any active
    "review:round-panel": [V("staff", 6, lambda w: [w.round.pk])],
    "review:round-settings": [V("staff", 3, lambda w: [w.round.pk])],  # + the round
    "api:review-expert-list": [V("staff", 4), V("staff", 4, query="search=碳化硅")],
    "api:review-my-profile": [V("expert", 5)],
    "api:review-round-list": [V("staff", 4)],
    "api:review-round-detail": [V("staff", 3, lambda w: [w.round.pk])],
    "api:review-round-assignments": [V("staff", 5, lambda w: [w.round.pk])],
    "api:review-round-ranking": [V("staff", 6, lambda w: [w.round.pk])],
    "api:review-my-assignments": [V("expert", 4)],
    "api:review-review-detail": [
        V("expert", 4, lambda w: [w.review.pk]),
        # + 6: the audit chain; -12 (#19): the scores written as on the page (review:review-detail)
        V("expert", 18, lambda w: [w.review.pk], method="patch", data=_review_api),
    ],
    # evaluation
    "evaluation:list": [V("staff", 4), V("anonymous", 1)],  # + the page count
    "evaluation:create": [V("staff", 2)],
    "evaluation:detail": [V("staff", 14, lambda w: [w.campaign.pk])],
    "evaluation:entry": [V("staff", 7, lambda w: [w.entry.pk])],  # + 1: the entry's result
    "evaluation:publish": [V("staff", 6, lambda w: [w.campaign.pk])],
    "api:evaluation-campaigns": [V("staff", 5)],
    "api:evaluation-campaign": [V("staff", 5, lambda w: [w.campaign.pk])],
    "api:evaluation-results": [V("staff", 5, lambda w: [w.campaign.pk])],
    "api:evaluation-entries": [V("staff", 4)],
    # techmap
    "techmap:index": [V("anonymous", 1), V("staff", 3)],
    "techmap:graph": [V("anonymous", 4)],
    "techmap:tree": [V("anonymous", 4)],
    "techmap:matrix": [V("anonymous", 3)],
    "techmap:technology-list": [V("staff", 10), V("anonymous", 3, query="bottleneck=1&q=关键技术")],
    "techmap:technology-create": [V("staff", 3)],
    "techmap:technology-detail": [
        V("anonymous", 2, lambda w: [w.technology.pk]),
        # +1 (session 13): which coverage targets the reader may open, one query per kind of target
        V("staff", 12, lambda w: [w.technology.pk]),
    ],
    "techmap:technology-edit": [V("staff", 5, lambda w: [w.technology.pk])],
    "techmap:chain-create": [V("staff", 2)],
    "techmap:chain-detail": [
        V("anonymous", 3, lambda w: [w.chain.pk]),
        V("staff", 7, lambda w: [w.chain.pk]),
    ],
    "techmap:chain-edit": [V("staff", 4, lambda w: [w.chain.pk])],
    "techmap:link-edit": [V("staff", 4, lambda w: [w.link.pk])],
    "techmap:gaps": [V("staff", 9)],
    "techmap:export": [V("staff", 3)],
    "techmap:import": [V("staff", 2)],
    "api:techmap-chain-list": [V("anonymous", 2)],
    "api:techmap-chain-detail": [V("anonymous", 1, lambda w: [w.chain.pk])],
    "api:techmap-link-list": [V("anonymous", 2)],
    "api:techmap-link-detail": [V("anonymous", 1, lambda w: [w.link.pk])],
    "api:techmap-technology-list": [V("anonymous", 2), V("staff", 4, query="search=关键技术")],
    "api:techmap-technology-detail": [V("anonymous", 1, lambda w: [w.technology.pk])],
    "api:techmap-trl-list": [V("anonymous", 3, lambda w: [w.technology.pk])],
    "api:techmap-coverage-list": [V("staff", 8)],
    "api:techmap-gaps": [V("staff", 8)],
    "api:techmap-tree": [V("anonymous", 3)],
    # indicators
    "indicators:dashboard": [V("anonymous", 6), V("staff", 8)],
    "indicators:indicator-list": [V("staff", 3), V("anonymous", 1, query="q=测试")],
    "indicators:indicator-create": [V("staff", 2)],
    # + 1: the indicator's one precision, read from all its values (people37)
    "indicators:indicator-detail": [V("anonymous", 9, lambda w: [w.indicator.code])],
    "indicators:indicator-edit": [V("staff", 4, lambda w: [w.indicator.code])],
    "indicators:region-list": [V("staff", 6)],  # + the region sets its form offers by name, the pager's count
    "indicators:value-create": [V("staff", 4)],
    "indicators:import": [V("staff", 4)],  # + the editions and region sets held (the two lists)
    "indicators:import-template": [V("staff", 3)],  # + the indicators on its second sheet
    "indicators:target-list": [V("staff", 5)],  # + 1: each indicator's one precision (people37)
    "indicators:target-create": [V("staff", 4)],
    "indicators:framework-list": [V("staff", 4)],
    # +1: the run form lists the regions to pick the reference from (one query for regions and sets)
    "indicators:framework-detail": [V("staff", 8, lambda w: [w.framework.pk])],
    "indicators:run-detail": [V("staff", 5, lambda w: [w.run.pk])],
    "indicators:run-analysis": [V("staff", 6, lambda w: [w.run.pk])],
    "indicators:framework-new": [V("staff", 3)],
    "indicators:framework-edit": [
        V("staff", 5, lambda w: [w.framework.pk])
    ],  # + the regions to pick a reference from
    "indicators:framework-version": [V("anonymous", 5, lambda w: [w.framework.pk, w.framework.version])],
    "indicators:contribution": [V("anonymous", 2)],  # + the indicators one may choose
    "api:indicators-indicator-list": [V("anonymous", 2)],
    "api:indicators-indicator-detail": [V("anonymous", 1, lambda w: [w.indicator.code])],
    "api:indicators-value-list": [V("anonymous", 2), V("staff", 4, query="year=2022")],
    "api:indicators-target-list": [V("staff", 4)],
    "api:indicators-run-list": [V("staff", 4)],
    "api:indicators-run-detail": [V("staff", 3, lambda w: [w.run.pk])],
    # ingest
    "ingest:document-list": [V("staff", 4), V("staff", 4, query="q=测试&status=pending")],
    "ingest:upload": [V("staff", 3)],
    "ingest:document-detail": [V("staff", 10, lambda w: [w.document.pk])],
    "ingest:document-original": [V("staff", 3, lambda w: [w.document.pk])],
    "ingest:fact-queue": [
        V("staff", 4),
        V("staff", 4, query="kind=count"),
        V("staff", 3, query="export=xlsx"),
        V("staff", 4, query="kind=count&q=%E5%AE%9E%E9%AA%8C%E5%AE%A4"),  # found by words (people22)
    ],
    # 6: the edit form's 所属地区 lists the registered regions (one query, however many facts or regions)
    "ingest:fact-detail": [V("staff", 6, lambda w: [w.fact.pk])],
    "api:ingest-document-list": [V("staff", 4)],
    "api:ingest-document-detail": [V("staff", 6, lambda w: [w.document.pk])],
    "api:ingest-fact-list": [V("staff", 4)],
    # programmes
    # +2: the programme versions and the form versions their stages use (each form names its programme types)
    # + 2 (people22): each of its two lists found by a name and paged, a count for each pager
    "programmes:index": [V("staff", 8), V("staff", 8, query="q=%E8%A1%A8")],
    "programmes:form-create": [V("staff", 2)],
    "programmes:form-detail": [V("staff", 5, lambda w: [w.form_version.definition_id])],
    "programmes:form-version": [V("staff", 4, lambda w: [w.form_version.pk])],
    "programmes:field-add": [V("staff", 3, lambda w: [w.draft_form_version.pk])],
    "programmes:field-edit": [V("staff", 3, lambda w: [w.draft_form_version.pk, "f3"])],
    "programmes:form-preview": [V("staff", 3, lambda w: [w.form_version.pk])],
    "programmes:form-diff": [V("staff", 4, lambda w: [w.draft_form_version.pk])],
    "programmes:submission": [  # + 1: the objections against the application, shown to its applicant (#18)
        V("staff", 4, lambda w: [w.submission.pk]),
        V("applicant", 4, lambda w: [w.submission.pk]),
    ],
    "programmes:type-create": [V("staff", 2)],
    "programmes:type-detail": [V("staff", 5, lambda w: [w.programme_version.programme_id])],
    "programmes:version": [
        V("staff", 6, lambda w: [w.programme_version.pk]),
        V("staff", 6, lambda w: [w.draft_programme_version.pk]),
    ],
    "programmes:stage-add": [V("staff", 4, lambda w: [w.draft_programme_version.pk])],
    "programmes:stage-edit": [V("staff", 4, lambda w: [w.draft_programme_version.pk, "s2"])],
    "programmes:version-diff": [V("staff", 6, lambda w: [w.draft_programme_version.pk])],
    "programmes:version-export": [V("staff", 4, lambda w: [w.programme_version.pk])],
    "programmes:call": [
        # + 1: the review rounds of the call's stages (none at its pre-application; #18); + 2 (staff): the
        # 形式审查 counts (the formal applications, their outcomes); + 1 (applicant): their own application
        # + 4: the 预申报 invitation (the pre-applications and their outcomes, for the counts and for the
        # refusal to close while one is undecided; the applicant's own outcome)
        V("staff", 14, lambda w: [w.programme_call.pk]),
        V("applicant", 11, lambda w: [w.programme_call.pk]),
        # a call at its 函评 with a review round: its progress, the reviews owed, the ranking (#18)
        V("staff", 20, lambda w: [w.review_call.pk]),
        # a call at its 形式审查: staff's counts; the applicant's outcome and why they can or cannot correct
        V("staff", 14, lambda w: [w.formal_call.pk]),
        V("applicant", 11, lambda w: [w.formal_call.pk]),
        # a call at its 立项决定: staff's refusal naming the undecided (the applications that passed, the
        # ranking, the decisions); the applicant's outcome and why there is none yet; + 2 (staff): the 答辩
        # shortlist's counts and the shortlist the decision rests on; + 5 (applicant): their 答辩 shortlist
        # outcome (the applications that passed, its row) and the shortlist the decision rests on
        V("staff", 18, lambda w: [w.decision_call.pk]),
        V("applicant", 22, lambda w: [w.decision_call.pk]),
        # a call at its 答辩 after the 函评 (#18): staff's refusal naming the undecided and the shortlist's
        # counts (the applications that passed, the 函评 ranking, the outcomes); the applicant's outcome
        V("staff", 20, lambda w: [w.shortlist_call.pk]),
        V("applicant", 16, lambda w: [w.shortlist_call.pk]),
        # a call at its 公示: why it cannot close (the open objections), the link to the list; the applicant's
        # 答辩 shortlist outcome; the 预申报 invitation's panel (staff's counts, the applicant's outcome)
        V("staff", 15, lambda w: [w.publicity_call.pk]),
        V("applicant", 13, lambda w: [w.publicity_call.pk]),
    ],
    "programmes:call-fill": [V("applicant", 4, lambda w: [w.programme_call.pk])],
    "programmes:call-extend": [V("staff", 3, lambda w: [w.programme_call.pk])],
    # the objections against it: one query when it belongs to a call
    "api:programmes-submission": [V("applicant", 4, lambda w: [w.submission.pk])],
    # the per-application 形式审查 (#18): one application's checklist; the applicant's correction and outcome
    "programmes:formal-check": [V("staff", 13, lambda w: [w.formal_call.pk, w.formal_submission.pk])],
    "programmes:call-correct": [V("applicant", 5, lambda w: [w.formal_call.pk])],
    "api:programmes-formal-mine": [V("applicant", 5, lambda w: [w.formal_call.pk])],
    # the 形式审查 list (each cluster adds an application): every applicant's rules judged in bulk
    # (rules.answers_many: a fixed number of queries per rule's checkers, projects in flight)
    "programmes:formal-list": [V("staff", 12, lambda w: [w.formal_call.pk])],
    "api:programmes-formal": [V("staff", 10, lambda w: [w.formal_call.pk])],
    # the per-application 立项 (#18): the applications that passed, the ranking beside each, the decisions;
    # + 1: the 答辩 shortlist they went through (+ 1 on the list and the applicant's: each review stage's
    # ranking, where the last one's was read; the applicant's: the applications in the running)
    "programmes:award-list": [V("staff", 13, lambda w: [w.decision_call.pk])],
    "programmes:award-decide": [V("staff", 8, lambda w: [w.decision_call.pk, w.decision_submission.pk])],
    "api:programmes-award": [V("staff", 8, lambda w: [w.decision_call.pk])],
    "api:programmes-award-mine": [V("applicant", 8, lambda w: [w.decision_call.pk])],
    # the 函评 → 答辩 shortlist (#18): the applications that passed, the 函评 ranking, the outcomes
    "programmes:shortlist-list": [
        V("staff", 13, lambda w: [w.shortlist_call.pk]),
        V("staff", 13, lambda w: [w.shortlist_call.pk], query="top_n=1"),
        V("staff", 10, lambda w: [w.shortlist_call.pk], query="export=xlsx"),
    ],
    "programmes:shortlist-decide": [
        V("staff", 10, lambda w: [w.shortlist_call.pk, w.shortlist_submission.pk])
    ],
    "api:programmes-shortlist": [V("staff", 8, lambda w: [w.shortlist_call.pk])],
    "api:programmes-shortlist-mine": [V("applicant", 8, lambda w: [w.shortlist_call.pk])],
    # the 预申报 invitation (#18): the pre-applications with their outcomes; one pre-application; the applicant's
    "programmes:invitation-list": [V("staff", 9, lambda w: [w.programme_call.pk])],
    "programmes:invitation-decide": [V("staff", 7, lambda w: [w.programme_call.pk, w.submission.pk])],
    "api:programmes-invitation": [V("staff", 6, lambda w: [w.programme_call.pk])],
    "api:programmes-invitation-mine": [V("applicant", 6, lambda w: [w.programme_call.pk])],
    # 公示 with objections (#18): the list (the applications that passed and were shortlisted, the ranking,
    # the objections); the objection form; one objection
    "programmes:publicity": [
        V("staff", 10, lambda w: [w.publicity_call.pk]),
        V("expert", 10, lambda w: [w.publicity_call.pk]),
    ],
    "programmes:objection-lodge": [
        V("commissioner", 10, lambda w: [w.publicity_call.pk, w.publicity_submission.pk])
    ],
    "programmes:objection": [
        V("staff", 7, lambda w: [w.publicity_call.pk, w.objection.pk]),
        V("expert", 6, lambda w: [w.publicity_call.pk, w.objection.pk]),
    ],
    "api:programmes-publicity": [V("staff", 9, lambda w: [w.publicity_call.pk])],
    # the expert review of a call's review stage (#18): the formal applications listed (+ 1: only those the
    # 形式审查 passed), and one assignment
    "review:call-review-open": [V("staff", 5, lambda w: [w.review_call.pk])],
    "review:assignment-release": [
        V(
            "staff",
            4,
            lambda w: [w.review_call_round.assignments.filter(status="active").order_by("pk").first().pk],
        )
    ],
    "api:programmes-version": [V("staff", 4, lambda w: [w.programme_version.pk])],
}

# url name (or prefix ending in ":") -> why it is not measured here.
NOT_MEASURED = {
    "admin:": "Django's admin (staff tooling, not part of the platform's pages)",
    "set_language": "a redirect that sets a cookie",
    "schema": "the OpenAPI schema, generated from code, not from data",
    "swagger-ui": "static API docs",
    "redoc": "static API docs",
    "accounts:logout": "POST only; ends the session",
    "programmes:call-migrate": "one call's mapping onto one other version: a form over the two versions' stages, "
    "nothing that grows with the data (programmes/tests/test_views.py)",
    "ingest:fact-accept-many": "POST only; its queries do not grow with the facts ticked: "
    "test_bulk_accepts_do_not_grow_with_the_facts_chosen below",
    "api:ingest-fact-accept-many": "POST only; as ingest:fact-accept-many (measured below)",
}
# State changes by POST on one object each (a transition, an action, a file): each runs one service on
# one row, with no list to grow; the apps' own tests cover them. The review submission is measured above.
ACTIONS = {
    "challenges:challenge-name-en",
    "evaluation:name-en",
    "programmes:call-name-en",
    "programmes:form-version-action",
    "programmes:version-action",
    "programmes:call-action",
    "programmes:submission-file",
    "api:programmes-formal-record",
    "api:programmes-award-record",
    "api:programmes-shortlist-record",
    "api:programmes-invitation-record",
    "programmes:objection-file",
    "programmes:objection-withdraw",
    "api:programmes-objection-lodge",
    "api:programmes-objection-answer",
    "api:programmes-objection-withdraw",
    "challenges:duplicate-decide",
    "api:challenges-duplicate-decide",
    "integrity:record-transition",
    "api:integrity-record-transition",
    "documents:download",
    "documents:archive-download",
    "documents:opendata-download",
    "api:documents-download",
    "api:documents-archive-download",
    "api:documents-archive-request",
    "accounts:profile-orcid",
    "accounts:profile-language",
    "funds:ledger-open",
    "funds:cofunding",
    "funds:spending",
    "funds:adjustment-create",
    "funds:adjustment-decide",
    "funds:final-account",
    "funds:final-action",
    "funds:payment-action",
    "funds:voucher",
    "api:funds-payment-action",
    "api:funds-adjustment-decide",
    "api:funds-final-action",
    "platforms:achievement-evidence",
    "ingest:document-edit",
    "techmap:link-create",
    "techmap:coverage-add",
    "techmap:trl-add",
    "api:evaluation-nodes",
    "evaluation:entries",
    "api:challenges-result-transfers",
    "api:challenges-contract-results",
    "challenges:result-add",
    "challenges:midterm",
    "challenges:change-create",
    "challenges:contract-commissioner",
    "challenges:challenge-award",
    "platforms:operator-assign",
    "platforms:achievement-add",
    "platforms:membership-add",
    "platforms:host-change",
    "platforms:transition",
    "api:token",
    "web:email-resend",
    "accounts:unit-verify",
    "accounts:unit-reject",
    "accounts:token-revoke",
    "accounts:user-active",
    "accounts:otp-disable",
    "accounts:user-otp-reset",
    "accounts:registration-resend",
    "accounts:registration-withdraw",
    "accounts:registration-claim-resend",
    "accounts:registration-claim-withdraw",
    "platforms:membership-end",
    "platforms:report-transition",
    "platforms:overlap-decide",
    "api:platforms-transition",
    "api:platforms-host",
    "api:platforms-membership-end",
    "api:platforms-report-transition",
    "api:platforms-import",
    "challenges:challenge-action",
    "challenges:objection-answer",
    "challenges:application-action",
    "challenges:attachment-upload",
    "challenges:attachment-download",
    "challenges:report-file-download",
    "review:review-file-download",
    "api:review-review-file",
    "challenges:attachment-delete",
    "challenges:flag-run",
    "challenges:contract-action",
    "challenges:change-decide",
    "api:challenges-challenge-transition",
    "api:challenges-challenge-edit",
    "api:challenges-challenge-decision",
    "api:challenges-challenge-objections",
    "api:challenges-objection-answer",
    "challenges:pre-application-shortlist",
    "challenges:performance-decide",
    "api:challenges-pre-application-shortlist",
    "api:challenges-application-edit",
    "api:challenges-attachment-detail",
    "api:challenges-contract-edit",
    "api:challenges-contract-commissioner",
    "api:challenges-contract-transition",
    "api:notification-read",
    "registry:result-action",
    "registry:contract-action",
    "api:registry-result-transition",
    "api:registry-contract-transition",
    "api:challenges-application-transition",
    "api:challenges-change-decide",
    "api:challenges-milestone-action",
    "review:expert-credit",
    "review:expert-transition",
    "review:review-action",
    "review:round-assign",
    "review:round-transition",
    "review:assignment-swap",
    "api:review-form-create",
    "api:review-round-assign",
    "api:review-review-action",
    "evaluation:node-add",
    "evaluation:node-weight",
    "evaluation:node-remove",
    "evaluation:tree-default",
    "evaluation:action",
    "api:evaluation-entries-set",
    "api:evaluation-contracts-set",
    "api:evaluation-action",
    "api:evaluation-score",
    "api:evaluation-computation",
    "techmap:technology-delete",
    "techmap:gap-topic",
    "techmap:coverage-end",
    "api:techmap-gap-topic",
    "api:techmap-coverage-detail",
    "indicators:value-delete",
    "indicators:target-edit",
    "indicators:framework-node",
    "indicators:framework-run",
    "ingest:document-action",
    "ingest:change-revert",
    "ingest:fact-action",
    "ingest:fact-check",
    "api:ingest-document-upload",
    "api:ingest-fact-action",
}


def _named_patterns() -> set[str]:
    names = set()

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(ns + p.name)

    walk(get_resolver().url_patterns)
    return names


def _excluded(name: str) -> bool:
    return any(name == k or (k.endswith(":") and name.startswith(k)) for k in NOT_MEASURED)


def test_every_url_pattern_has_a_budget_or_a_reason():
    names = {n for n in _named_patterns() if not _excluded(n)}
    missing = sorted(names - set(PAGES) - ACTIONS)
    assert not missing, f"URL patterns with no query budget (add them to PAGES or ACTIONS): {missing}"
    stale = sorted((set(PAGES) | ACTIONS) - names)
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"
    assert not set(PAGES) & ACTIONS


def test_every_nav_entry_is_measured():
    from kechuang.core.roles import PUBLIC
    from kechuang.core.ui import nav_entries

    role_of = {"anonymous": PUBLIC, "staff": "staff", "applicant": "applicant"}
    missing = []
    for _app, item in nav_entries():
        visits = PAGES.get(item.url_name, [])
        if not visits:
            missing.append(item.url_name)
            continue
        measured_roles = {role_of.get(v.role, v.role) for v in visits}
        if not (set(map(str, item.roles)) & measured_roles) and "staff" not in measured_roles:
            missing.append(f"{item.url_name} as {sorted(map(str, item.roles))}")
    assert not missing, f"nav entries without a measured visit: {missing}"


def _clients(world: World) -> dict:
    clients = {}
    for role, user in world.users.items():
        c = Client(raise_request_exception=True)
        if user is not None:
            c.force_login(user)
        clients[role] = c
    return clients


def _measure(world: World, clients: dict, warm: bool = False) -> dict[tuple[str, int], tuple[int, int, str]]:
    """(url name, visit index) -> (queries, status, url)."""
    out = {}
    for name, visits in PAGES.items():
        for i, v in enumerate(visits):
            query = v.query(world) if callable(v.query) else v.query
            url = reverse(name, args=v.args(world)) + (f"?{query}" if query else "")
            if v.method != "get" and warm:
                _request(clients[v.role], v, url, world)  # the first save creates rows later ones update
            # Content types are cached per process: start every request cold, so counts do not depend on
            # which page happened to be visited first.
            ContentType.objects.clear_cache()
            with CaptureQueriesContext(connection) as ctx:
                response = _request(clients[v.role], v, url, world)
            out[(name, i)] = (len(ctx.captured_queries), response.status_code, url)
    return out


def _request(client: Client, v: Visit, url: str, world: World):
    data = v.data(world) if v.data else None
    if v.method == "patch":
        return client.patch(url, json.dumps(data), content_type="application/json")
    if v.method == "post":
        return client.post(url, data)
    return client.get(url)


def test_queries_do_not_grow_with_data(capsys):
    world = World().grow(SMALL)
    clients = _clients(world)
    small = _measure(world, clients, warm=True)
    world.grow(BIG - SMALL)
    big = _measure(world, clients)

    problems, rows = [], []
    for name, visits in PAGES.items():
        for i, v in enumerate(visits):
            (n_small, st_small, url), (n_big, st_big, _u) = small[(name, i)], big[(name, i)]
            label = f"{name} [{v.role}{' ' + v.method.upper() if v.method != 'get' else ''}] {url}"
            rows.append(
                f"| `{name}` | {v.role} {v.method.upper()} `{url}` | {n_small} | {n_big} | {v.budget} |"
            )
            if st_small not in v.status or st_big not in v.status:
                problems.append(f"{label}: status {st_small}/{st_big}, expected {v.status}")
            # Growth is the failure: a page of the audit log with fewer kinds of record on it (one lookup of
            # the objects per kind) may take a query less in the bigger world; never more than its `kinds`.
            if n_big > n_small + v.kinds:
                problems.append(f"{label}: {n_small} queries with {SMALL} clusters, {n_big} with {BIG}")
            if max(n_small, n_big) > v.budget:
                problems.append(f"{label}: {max(n_small, n_big)} queries, budget {v.budget}")
    with capsys.disabled():
        print(f"\n| page | visit | queries ({SMALL} clusters) | queries ({BIG} clusters) | budget |")
        print("|---|---|---|---|---|")
        print("\n".join(rows))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# The bulk accepts (the review queue's and the API's) in queries that do not grow with the facts chosen
# (factflag2): one bulk update and one bulk append to the audit trail per step, whatever the number of facts.
BULK_ACCEPT_BUDGET = 25  # 23 queries measured by the page, 21 by the API (factflag2)


def _bulk_accept(client, api, facts, which: str) -> tuple[int, int]:
    ids = [f.pk for f in facts]
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as ctx:
        if which == "page":
            r = client.post(reverse("ingest:fact-accept-many"), {"fact": ids, "confirm": "1"})
        else:
            r = api.post(reverse("api:ingest-fact-accept-many"), {"ids": ids}, format="json")
    return len(ctx.captured_queries), r.status_code


@pytest.mark.parametrize("which", ["page", "api"])
def test_bulk_accepts_do_not_grow_with_the_facts_chosen(which, staff, client_for, api_for):
    from kechuang.core.models import AuditEvent
    from kechuang.ingest.models import Event, Fact
    from kechuang.ingest.tests.factories import DocumentFactory, FactFactory

    document = DocumentFactory()
    client, api = client_for(staff), api_for(staff)
    counts = {}
    for n in (1, 2, 12):  # the first request warms the session and the caches: not compared
        facts = FactFactory.create_batch(n, document=document, subject="订单")
        events_before = AuditEvent.objects.filter(action__in=("fact.accept", "fact.record")).count()
        counts[n], status = _bulk_accept(client, api, facts, which)
        assert status == (302 if which == "page" else 200)
        assert (
            Fact.objects.filter(
                pk__in=[f.pk for f in facts], status="accepted", record_status="recorded"
            ).count()
            == n
        )
        assert Event.objects.filter(fact__in=facts).count() == n
        # every state change still in the append-only trail: an acceptance and a record per fact
        assert (
            AuditEvent.objects.filter(action__in=("fact.accept", "fact.record")).count()
            == events_before + 2 * n
        )
    assert counts[12] == counts[2] <= BULK_ACCEPT_BUDGET, counts
