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
