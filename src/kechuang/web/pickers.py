"""The search endpoints of the pickers (kechuang.core.pickers): what a person finds by typing part of a name.

Each checks the role (who may choose such rows at all) and answers only rows the person may see, at most 20,
as `{"results": [{"value": id, "text": ...}]}`. What they answer is read by people: names, units, cities,
disciplines, never a login name or a code standing for a word.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.functions import Least, Length
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kechuang.accounts.models import Unit, User
from kechuang.accounts.selectors import unit_order, units_named
from kechuang.challenges.models import Topic
from kechuang.challenges.permissions import contracts_visible_to
from kechuang.core import bigram, divisions
from kechuang.core import disciplines as discipline_table
from kechuang.core.language import name_order, shown_name
from kechuang.core.lists import listed
from kechuang.core.permissions import role_required
from kechuang.core.pickers import MAX_RESULTS, kind_of, kind_rows, picker_response, search_text
from kechuang.core.roles import ALL_ROLES, Role
from kechuang.core.titles import title_text
from kechuang.indicators.permissions import indicators_visible_to
from kechuang.platforms.permissions import platforms_visible_to
from kechuang.review.models import ExpertProfile, ReviewForm


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


@require_GET
@login_required
def units(request):
    """Active units by name, short name, English name or credit code: anyone signed in chooses units (an
    applicant its units to avoid, staff a co-funder or a partner). The closest match of any of the names first
    (equal, then starting with the text, then holding it), the shortest first, then by the name the reader
    reads."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    found = units_named(q).values("pk")
    rows = (
        Unit.objects.filter(is_active=True)
        .filter(Q(pk__in=found) | Q(credit_code__iexact=q))
        .only("pk", "name", "name_en", "kind", "city")
        .annotate(
            _rank=Least(bigram.rank("name", q), bigram.rank("short_name", q), bigram.rank("name_en", q))
        )
        .order_by("_rank", Length(shown_name("name", "name_en")), *unit_order(), "pk")[:MAX_RESULTS]
    )
    return picker_response(
        ((u.pk, _join(u.local_name, u.get_kind_display(), divisions.city_label(u.city))) for u in rows),
        request=request,
    )


@require_GET
@role_required(Role.STAFF, Role.COMMISSIONER)
def experts(request):
    """Experts of the pool (入库) by name, unit, discipline or research keyword: for staff and commissioners,
    who assign and replace them. The value is the expert's user."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    users = User.objects.filter(bigram.matches("search_bigrams", q, "full_name")).values("pk")
    units = units_named(q).values("pk")
    by_words = bigram.matches("search_bigrams", q, "disciplines", "keywords")
    code = discipline_table.resolve(q)  # a discipline typed by name (材料科学) finds its experts by code
    if code:
        by_words |= bigram.matches("search_bigrams", code, "disciplines")
    profiles = ExpertProfile.objects.filter(by_words).values("pk")
    rows = bigram.ranked(
        ExpertProfile.objects.filter(status=ExpertProfile.Status.APPROVED)
        .filter(
            Q(user__in=users)
            | Q(user__in=User.objects.filter(unit__in=units).values("pk"))
            | Q(pk__in=profiles)
        )
        .select_related("user", "user__unit"),
        "user__full_name",
        q,
        "user__full_name",
        "pk",
    )[:MAX_RESULTS]
    return picker_response(
        (
            (
                p.user_id,
                _join(
                    str(p.user),
                    title_text(p.title),
                    p.user.unit,
                    listed(str(d) for d in (p.keywords or [])[:3]),
                ),
            )
            for p in rows
        ),
        request=request,
    )


@require_GET
@login_required
def disciplines(request):
    """GB/T 13745 disciplines (core.disciplines) by name, English name, pinyin (full or initials) or code: for
    anyone signed in (applicants, experts and staff all name disciplines; the table is public). The value is
    the code, stored; the text the path of names ("数学 › 代数学")."""
    q = search_text(request)
    return picker_response(
        ((d.code, discipline_table.label(d.code)) for d in discipline_table.search(q)), request=request
    )


@require_GET
@role_required(Role.STAFF)
def users(request):
    """People by name or unit: for staff only (who manage people). `role` narrows to the holders of a role
    (the operators a platform may have)."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    people = User.objects.filter(is_active=True)
    role = request.GET.get("role", "")
    if role in ALL_ROLES:
        people = people.filter(groups__name=role)
    found = User.objects.filter(bigram.matches("search_bigrams", q, "full_name")).values("pk")
    units = units_named(q).values("pk")
    rows = bigram.ranked(
        people.filter(Q(pk__in=found) | Q(unit__in=units)).select_related("unit"),
        "full_name",
        q,
        "full_name",
        "pk",
    )[:MAX_RESULTS]
    # A nameless account's public name already is its unit and role (User.named): the unit once, not twice.
    return picker_response(
        ((u.pk, _join(str(u), u.unit) if u.has_name else str(u)) for u in rows), request=request
    )


@require_GET
@login_required
def platforms(request):
    """Platforms the person may see (published ones for everyone; staff all) by name or short name."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    rows = (
        platforms_visible_to(request.user)
        .filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(name_en__icontains=q) | Q(code__iexact=q)
        )
        .select_related("host")
        .order_by(*name_order("name", "name_en"), "pk")[:MAX_RESULTS]
    )
    return picker_response(
        ((p.pk, _join(p.local_name, p.get_kind_display(), divisions.city_label(p.city))) for p in rows),
        request=request,
    )


@require_GET
@login_required
def indicators(request):
    """Indicators the person may see (published ones; staff and commissioners all) by name."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    rows = (
        indicators_visible_to(request.user)
        .filter(Q(name_zh__icontains=q) | Q(name_en__icontains=q) | Q(code__iexact=q))
        .order_by("name_zh", "pk")[:MAX_RESULTS]
    )
    return picker_response(
        ((i.pk, _join(str(i), i.local_unit)) for i in rows), request=request
    )  # its name in the page's language


@require_GET
@role_required(Role.STAFF, Role.COMMISSIONER)
def topics(request):
    """Topics (课题) by title, industry or track: for staff and commissioners, who read and use them."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    from kechuang.challenges.industries import matching

    # the industry by its name in either language (an entry's key is stored), or as typed before the list
    rows = Topic.objects.filter(
        Q(title__icontains=q) | Q(industry__icontains=q) | Q(industry__in=matching(q))
    ).order_by("title", "pk")[:MAX_RESULTS]
    return picker_response(
        ((t.pk, _join(t.title, t.industry_label, t.get_track_display())) for t in rows), request=request
    )


@require_GET
@role_required(Role.STAFF)
def review_forms(request):
    """Scoring forms (评分表) by name: for staff, who set up review rounds."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    rows = ReviewForm.objects.filter(name__icontains=q).order_by("name", "pk")[:MAX_RESULTS]
    return picker_response(
        ((f.pk, _join(f.name, _("满分 %(n)s") % {"n": f.scale})) for f in rows), request=request
    )


@require_GET
@role_required(Role.STAFF, Role.COMMISSIONER)
def projects(request):
    """Projects (contracts) the person may see, by title, contract number or unit: for staff (performance
    evaluations) and commissioners."""
    q = search_text(request)
    if not q:
        return picker_response([], request=request)
    rows = (
        contracts_visible_to(request.user)
        .filter(
            Q(title__icontains=q)
            | Q(code__iexact=q)
            # the unit's names through the units' bigram index, not a join to all 50,000 of them
            | Q(unit__in=units_named(q).values("pk"))
        )
        .select_related("unit")
        .order_by("title", "pk")[:MAX_RESULTS]
    )
    return picker_response(
        ((c.pk, _join(c.title, c.unit, c.get_status_display())) for c in rows), request=request
    )


@require_GET
@login_required
def objects(request):
    """Rows of the kind `kind` names (a content type registered with core.pickers.register_kind: a review
    round's subjects, a coverage's object) by their words, only those the person may see (each kind's own
    visibility rule). An unknown kind answers nothing."""
    q = search_text(request)
    raw = request.GET.get("kind", "")
    ct = ContentType.objects.filter(pk=int(raw)).first() if raw.isdecimal() and len(raw) < 10 else None
    if not q or kind_of(ct) is None:
        return picker_response([], request=request)
    return picker_response(kind_rows(ct, request.user, q), request=request)
