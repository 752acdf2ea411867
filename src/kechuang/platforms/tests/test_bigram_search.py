"""The platform list's word search goes through the bigram index and answers what the word test answered."""

import random

import pytest

from kechuang.platforms import search
from kechuang.platforms.models import Platform
from kechuang.platforms.selectors import platform_list

from .factories import PlatformFactory

pytestmark = pytest.mark.django_db

PARTS = [
    "量子",
    "精密",
    "测量",
    "光学",
    "工程",
    "技术",
    "研究",
    "中心",
    "重点",
    "实验室",
    "材料",
    "煤化工",
    "教授",
]


def _old_answer(q: str) -> set[int]:
    qs = Platform.objects.all()
    for term in search.query_terms(q):
        qs = qs.filter(search_text__icontains=term)
    return set(qs.values_list("pk", flat=True))


def test_platform_search_same_rows_as_the_word_test_ranked_by_name(staff):
    rng = random.Random(19)
    for _ in range(30):
        name = "".join(rng.sample(PARTS, rng.randint(2, 4)))
        p = PlatformFactory(name=name, mission="".join(rng.sample(PARTS, 3)))
        p.search_text = search.search_text(p.name, p.mission)
        p.save(update_fields=["search_text"])
    # Queries of one, two and more characters, none chosen from the rows above.
    for q in ["量", "教授", "量子", "子精", "光学工程", "实验", "煤化工 材料", "学工", "不存在"]:
        found = list(platform_list(user=staff, filters={"q": q}))
        assert {p.pk for p in found} == _old_answer(q), q
        keys = [
            (0 if p.name == q else 1 if p.name.startswith(q) else 2 if q in p.name else 3, len(p.name))
            for p in found
        ]
        assert keys == sorted(keys), q
    exact = PlatformFactory(name="量子")
    exact.search_text = search.search_text(exact.name)
    exact.save(update_fields=["search_text"])
    assert list(platform_list(user=staff, filters={"q": "量子"}))[0] == exact


def test_services_keep_the_column(staff):
    from kechuang.platforms.services import platform_update

    p = PlatformFactory(name="煤化工中心")
    p = platform_update(actor=staff, platform=p, expected_version=p.version, name="量子精密测量中心")
    assert [x.pk for x in platform_list(user=staff, filters={"q": "精密"})] == [p.pk]
    assert not platform_list(user=staff, filters={"q": "煤化"}).exists()


STATUSES = ["operating", "building", "retired", "merged"]


def _ranked_world():
    rng = random.Random(7)
    for i in range(23):
        name = "".join(rng.sample(PARTS, rng.randint(2, 4)))
        p = PlatformFactory(name=name, mission="".join(rng.sample(PARTS, 3)), status=STATUSES[i % 4])
        p.search_text = search.search_text(p.name, p.mission)
        p.save(update_fields=["search_text"])


@pytest.mark.parametrize("keys_at_once", [10_000, 5])
def test_the_narrow_paginator_gives_the_same_pages_as_the_paginator(
    staff, django_assert_num_queries, keys_at_once
):
    """Sorting and cutting on the keys, then loading the rows (issue #19): the same rows in the same order,
    the same count, and the same answer to page numbers out of range or malformed; whether the keys are
    counted and cut in Python (every key in one query) or, for more matches than `keys_at_once`, in the
    database (one query more: the keys up to the limit)."""
    from django.core.paginator import Paginator

    from kechuang.core.pagination import NarrowPaginator

    class Narrow(NarrowPaginator):
        pass

    Narrow.keys_at_once = keys_at_once
    _ranked_world()
    for q in ["实验", "量子", "中心", "不存在", ""]:
        qs = platform_list(user=staff, filters={"q": q})
        for number in ["1", "2", "3", "4", "99", "abc", "0", "-1", None]:
            old, new = Paginator(qs, 7).get_page(number), Narrow(qs, 7).get_page(number)
            assert [p.pk for p in new] == [p.pk for p in old], (q, number)
            assert (new.number, new.paginator.count, new.paginator.num_pages) == (
                old.number,
                old.paginator.count,
                old.paginator.num_pages,
            )
    # the rows keep the list's joins: the host is loaded with them. Up to `keys_at_once` matches: every key
    # in order, then the page's rows (two queries, the text test once); above: the keys up to the limit,
    # then count, keys, rows as `Paginator` (four).
    qs = platform_list(user=staff, filters={"q": "实验"})
    assert qs.count() > 7
    with django_assert_num_queries(2 if qs.count() <= keys_at_once else 4):
        names = [p.host.name for p in Narrow(qs, 7).get_page(1)]
    assert len(names) == 7


def test_the_list_page_rows_are_the_per_row_template_rows(client, staff):
    """The list page builds its rows once per list (labels, links): the same HTML as the template that called
    get_FOO_display and get_absolute_url per row."""
    import re

    from django.core.paginator import Paginator
    from django.template import Context, Template

    _ranked_world()
    PlatformFactory(name="演示实验平台", is_demo=True, co_built=True)
    old_rows = Template(
        """{% load i18n %}{% for p in page %}
    <tr><td>{{ p.code }}</td><td><a href="{{ p.get_absolute_url }}">{{ p.name }}</a>{% if p.is_demo %} <span class="badge">{% translate "演示" %}</span>{% endif %}</td>
      <td>{{ p.get_kind_display }}{% if p.co_built %}（{% translate "省部共建" %}）{% endif %}</td><td>{{ p.get_level_display }}</td><td>{{ p.host.name }}</td><td>{{ p.city }}</td><td>{{ p.established|date }}</td>
      <td><span class="badge {% if p.coverage_active %}ok{% else %}warn{% endif %}">{{ p.get_status_display }}</span></td></tr>
  {% endfor %}"""
    )
    client.force_login(staff)
    for query in ["", "?q=实验", "?q=中心&status=retired"]:
        body = client.get("/platforms/" + query).content.decode()
        rows = re.search(r"<tbody>(.*)</tbody>", body, re.S).group(1)
        filters = dict(x.split("=") for x in query[1:].split("&")) if query else {}
        qs = platform_list(user=staff, filters=filters)
        assert rows.count("<tr>") == min(50, qs.count()) > 0, query
        assert rows.strip() == old_rows.render(Context({"page": Paginator(qs, 50).get_page(1)})).strip()
        if not query:  # every branch of the row: demo, co-built, live and not
            assert '<span class="badge">演示</span>' in rows and "（省部共建）" in rows
            assert 'class="badge ok"' in rows and 'class="badge warn"' in rows
