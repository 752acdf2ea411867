"""A list with nothing to show says so in place of its table (people33): no headings over an empty body or over a
lone "nothing found" row, but one shared empty state (web/_empty.html, the `emptystate` tag) — what is empty,
why when the list is filtered (with a way to clear the filters) and what to do next."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from kechuang.core.roles import Role
from kechuang.core.templatetags.kechuang import filters_on

SRC = Path(__file__).resolve().parents[2]  # src/kechuang
# A table's row that says its list is empty: a cell spanning the row, or one marked empty, as the whole of a
# {% for %}'s {% empty %} branch (or of the branch shown when a list is empty).
EMPTY_ROW = re.compile(
    r'{%\s*empty\s*%}\s*<tr><td(?: colspan="[^"]*")?(?: class="empty")?>|<tr><td colspan="[^"]*" class="empty">'
)
# Where a row with an empty cell is no list's empty state, each with why.
KEPT = {
    # a subject of a round listed with no expert yet: the row is the subject's, among others
    "review/templates/review/round_detail.html",
    # printed documents (contract, acceptance certificate): a form's table keeps its headings, "无" in its row
    "documents/templates/documents/pdf/contract.html",
    "documents/templates/documents/pdf/acceptance.html",
}


def _templates():
    for path in sorted(SRC.rglob("templates/**/*.html")):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" not in f"/{rel}":
            yield rel, path


def test_no_list_template_shows_its_headings_over_a_nothing_found_row():
    found = [
        rel for rel, path in _templates() if rel not in KEPT and EMPTY_ROW.search(path.read_text("utf-8"))
    ]
    assert found == [], (
        "show the shared empty state ({% emptystate %}) in place of the table, or say why in KEPT"
    )


def test_every_template_using_the_empty_state_loads_it_and_compiles():
    django = engines["django"]
    using = [(rel, path) for rel, path in _templates() if "{% emptystate" in path.read_text("utf-8")]
    assert len(using) >= 60
    for _rel, path in using:
        django.from_string(path.read_text("utf-8"))  # raises on a tag not loaded or not closed


def test_filters_on_are_the_lists_own_not_its_paging_or_sorting():
    rf = RequestFactory()
    assert not filters_on(rf.get("/x/"))
    assert not filters_on(rf.get("/x/", {"page": "2", "sort": "name"}))
    assert not filters_on(rf.get("/x/", {"q": "  "}))
    assert filters_on(rf.get("/x/", {"q": "氢能"}))
    assert filters_on(rf.get("/x/", {"status": "operating", "page": "1"}))
    assert not filters_on(None)


def _render(source, request, **context):
    return engines["django"].from_string("{% load kechuang %}" + source).render({**context}, request)


def test_the_empty_state_says_what_why_and_what_next_in_the_readers_language():
    rf = RequestFactory()
    body = "{% emptystate create_url=url create_text=text %}暂无平台。{% endemptystate %}"
    with translation.override("zh-hans"):
        plain = _render(body, rf.get("/platforms/"), url="/platforms/new/", text="登记平台")
        assert "暂无平台。" in plain and 'href="/platforms/new/"' in plain and "清除筛选" not in plain
        filtered = _render(body, rf.get("/platforms/", {"q": "氢能"}), url="", text="")
        assert "清除筛选" in filtered and 'href="/platforms/"' in filtered
    with translation.override("en"):
        filtered = _render(body, rf.get("/platforms/", {"q": "x"}), url="", text="")
        assert "Clear filters" in filtered and not re.search(
            r"[\u4e00-\u9fff]", filtered.replace("暂无平台。", "")
        )
    # a body that offers its own way back is not told twice
    own = _render("{% emptystate clear=False %}没有。{% endemptystate %}", rf.get("/x/", {"q": "y"}))
    assert "清除筛选" not in own and "Clear filters" not in own


LISTS = [
    ("platforms:list", {}),
    ("platforms:list", {"q": "不存在的平台"}),
    ("accounts:unit-list", {"q": "不存在的单位"}),
    ("challenges:topic-list", {}),
    ("challenges:need-list", {}),
    ("indicators:indicator-list", {}),
    ("evaluation:list", {}),
    ("review:round-list", {}),
    ("core:job-list", {}),
    ("web:notifications", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "query"), LISTS)
def test_an_empty_list_page_shows_no_headings_but_the_empty_state(client_for, make_user, name, query):
    from django.urls import NoReverseMatch

    try:
        url = reverse(name)
    except NoReverseMatch:
        pytest.skip(f"{name} is not a list of this build")
    page = client_for(make_user(Role.STAFF)).get(url, query)
    assert page.status_code == 200
    html = page.content.decode()
    main = html[html.find("<main") :]
    assert 'class="empty-state"' in main, f"{url}: no empty state"
    assert "<tbody></tbody>" not in main and not re.search(r"<tbody>\s*</tbody>", main)
    if query:
        assert "清除筛选" in main or "清除查找" in main or "查看全部" in main


@pytest.mark.django_db
def test_an_empty_list_offers_its_create_button_to_who_may_create(client_for, make_user):
    staff = client_for(make_user(Role.STAFF)).get(reverse("platforms:list")).content.decode()
    empty = staff[staff.index('class="empty-state"') :]
    assert 'href="/platforms/new/"' in empty[: empty.index("</div>")]
    public = client_for(None).get(reverse("platforms:list")).content.decode()
    if 'class="empty-state"' in public:
        empty = public[public.index('class="empty-state"') :]
        assert "/platforms/new/" not in empty[: empty.index("</div>")]
