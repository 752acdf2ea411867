"""Public pages: open challenge lists, award results, results of projects, and the official exports."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kechuang.core.dates import year_filter
from kechuang.core.excel import xlsx_response
from kechuang.core.exports import wants_export
from kechuang.core.filters import ChoiceFilter, choice_filter
from kechuang.core.language import english
from kechuang.core.limits import search_words
from kechuang.core.permissions import get_visible_or_404
from kechuang.core.roles import Role, has_role

from .. import exports, permissions, programme, selectors
from ..models import Challenge, Result, Topic


def challenge_list(request):
    """The challenge lists: open ones first; anyone may see published lists, staff also drafts."""
    # ?status=, ?track=, ?year= from the page's lists; anything else is said beside the list, never ignored
    shown = {
        "status": choice_filter(
            request,
            "status",
            permissions.challenge_statuses_visible_to(request.user),
            label=_("状态"),
            everything=True,
        ),
        "track": choice_filter(request, "track", Topic.Track.choices, label=_("赛道"), everything=True),
        "year": year_filter(request, selectors.challenge_years(), label=_("年度"), everything=True),
    }
    qs = selectors.challenge_list(
        user=request.user,
        status=shown["status"].value or "",
        year=shown["year"].value,
        track=shown["track"].value or "",
        q=search_words(request),
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/challenge_list.html",
        {
            "page": page,
            "filters": shown,
            "now": timezone.now(),
            "stats": selectors.challenge_stats(user=request.user),
            "is_staff": has_role(request.user, Role.STAFF),
        },
    )


def challenge_detail(request, pk, *, step_refused: dict | None = None, name_form=None, status: int = 200):
    """A challenge's page: its terms and indicators for everyone; the lifecycle buttons for staff; after a
    refused step (`step_refused`: its action and why), that reason beside it (400); after a refused English
    name (`name_form`), that form as typed with why (400)."""
    from ..workflow import CHALLENGE
    from .calls import challenge_context

    ch = get_visible_or_404(selectors.challenge_get, pk=pk, user=request.user)
    ctx = {"challenge": ch, "now": timezone.now(), "stages": programme.schedule_rows(ch)}
    ctx.update(challenge_context(request, ch, CHALLENGE))
    if name_form is not None and ctx.get("is_staff"):
        ctx["name_form"] = name_form
    if step_refused:
        offered = {t.name for t in ctx.get("actions", [])}
        ctx["step_refused"] = dict(step_refused, apart=step_refused["action"] not in offered)
    return render(request, "challenges/challenge_detail.html", ctx, status=status)


def awards(request):
    """Public award results: every publicity notice with its proposed or awarded teams."""
    page = Paginator(selectors.publicity_list_public(), 30).get_page(request.GET.get("page"))
    return render(request, "challenges/awards.html", {"page": page})


def results(request):
    """Public results of accepted projects (and published stage results), with their transfers."""
    qs = selectors.results_public_list(kind=request.GET.get("kind", ""))
    if wants_export(request):
        return exports.results_xlsx(qs)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "challenges/results.html", {"page": page, "kinds": Result.Kind.choices})


def result_detail(request, pk):
    res = get_object_or_404(
        permissions.results_visible_to(request.user).select_related(
            "contract", "contract__unit", "contract__challenge"
        ),
        pk=pk,
    )
    ctx = {
        "result": res,
        "transfers": res.transfers.all(),
        # the button only for those who may register a transfer (the unit, its commissioner, staff)
        "can_transfer": request.user.is_authenticated
        and permissions.can_record_result(request.user, res.contract),
    }
    return render(request, "challenges/result_detail.html", ctx)


def _year(request):
    """The exports' ?year= (the challenge list's year list passes it on): one of the list's years, or None for
    all; anything else is a ChoiceFilter whose error the challenge list shows beside its year list (400). No
    year asked: all, without looking the years up."""
    if not request.GET.get("year", "").strip():
        return ChoiceFilter("year", None)
    return year_filter(request, selectors.challenge_years(), label=_("年度"), everything=True)


def _year_refused(request):
    """The challenge list, its year list saying why the year an export was asked for is not one it holds."""
    response = challenge_list(request)
    response.status_code = 400
    return response


def _indicator_text(ch: Challenge) -> str:
    """A list's target indicators in one cell, in the reader's language: 晶圆直径≥8英寸；微管密度≤1个/cm² on
    Chinese requests, "Wafer diameter ≥ 8 inches; Micropipe density ≤ 1 per cm²" on English ones (each name and
    unit as English pages show them: the English typed, the common-unit table's, else the Chinese)."""
    if not english():
        return "；".join(
            f"{i.name}{'≥' if i.higher_is_better else '≤'}{i.target.normalize():f}{i.unit}"
            for i in ch.indicators.all()
        )
    parts = []
    for i in ch.indicators.all():
        unit = i.local_unit
        gap = "" if not unit or unit in ("%", "‰", "°") else " "
        parts.append(
            f"{i.local_name} {'≥' if i.higher_is_better else '≤'} {i.target.normalize():f}{gap}{unit}"
        )
    return "; ".join(parts)


def _title_cells(ch: Challenge) -> tuple[str, str]:
    """A list's name in the exports (the challenge list's and the award list's): its Chinese title, the official
    one, and beside it its English name (empty where staff gave none), in both languages' files alike."""
    return ch.title, ch.title_en


def _title_headers() -> list[str]:
    # The English file's header says the cell is the Chinese, official title (it read "Challenge title" above
    # a Chinese name); the Chinese file's is 榜单名称 as before.
    return [pgettext("正式名称", "榜单名称"), _("英文名称")]


def export_list_xlsx(request):
    """The challenge list as Excel (published lists only)."""
    year = _year(request)
    if year.error:
        return _year_refused(request)
    year = year.value
    rows = [
        (
            ch.code,
            *_title_cells(ch),
            ch.topic.get_track_display(),
            ch.goal or ch.problem,
            _indicator_text(ch),
            float(ch.budget_ceiling),
            ch.cofunder.name if ch.cofunder_id else "",  # the registered name: the file is the official list
            float(ch.cofund_share),
            ch.duration_months,
            ch.deadline,
            ch.max_winners,
            ch.eligibility,
            ch.get_status_display(),
        )
        for ch in selectors.challenges_for_export(year=year)
    ]
    headers = [
        _("榜单编号"),
        *_title_headers(),
        _("赛道"),
        _("攻关目标"),
        _("考核指标"),
        _("财政经费上限（万元）"),
        _("联合出资单位"),
        _("联合出资比例（%）"),
        _("实施周期（月）"),
        _("揭榜截止时间"),
        _("揭榜方数量"),
        _("揭榜条件"),
        _("状态"),
    ]
    name = _("揭榜挂帅榜单") + (f"{year}" if year else "") + ".xlsx"
    return xlsx_response(name, headers, rows, sheet_title=_("榜单"))


def export_list_print(request):
    """The challenge list as a printable page in the official layout."""
    year = _year(request)
    if year.error:
        return _year_refused(request)
    year = year.value
    items = [(ch, _indicator_text(ch)) for ch in selectors.challenges_for_export(year=year)]
    return render(
        request, "challenges/print_list.html", {"items": items, "year": year, "today": timezone.localdate()}
    )


def export_awards_xlsx(request):
    """The award list (立项名单) as Excel, an official record: the list's Chinese title and its English name
    beside it, as the challenge list's file gives them (`_title_cells`), and so the winning unit's registered
    (Chinese) name and its English name beside it (empty where none is recorded), in both languages' files."""
    year = _year(request)
    if year.error:
        return _year_refused(request)
    year = year.value
    rows = [
        (
            a.challenge.code,
            *_title_cells(a.challenge),
            a.title,
            a.unit.name,
            a.unit.name_en,
            str(a.leader),
            float(a.budget_requested),
            getattr(getattr(a, "contract", None), "code", ""),
        )
        for a in selectors.awards_for_export(year=year)
    ]
    headers = [
        _("榜单编号"),
        *_title_headers(),
        _("项目名称"),
        pgettext("正式名称", "揭榜单位"),
        _("揭榜单位英文名称"),
        _("挂帅人"),
        _("财政经费（万元）"),
        _("任务书编号"),
    ]
    return xlsx_response(
        _("揭榜挂帅立项名单") + (f"{year}" if year else "") + ".xlsx",
        headers,
        rows,
        sheet_title=_("立项名单"),
    )


def export_awards_print(request):
    """The award list as a printable page in the official layout."""
    year = _year(request)
    if year.error:
        return _year_refused(request)
    year = year.value
    return render(
        request,
        "challenges/print_awards.html",
        {"awards": selectors.awards_for_export(year=year), "year": year, "today": timezone.localdate()},
    )
