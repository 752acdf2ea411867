"""The indicator and index-run pages walked in both languages (session 20): the region sets chosen by name,
the sub-indices headed by name, the run's framework named in its trail — no stored key shown — and one
heading over the audit trail, not two."""

import re

import pytest
from django.urls import reverse

from kechuang.indicators import services
from kechuang.indicators.tests.factories import (
    FrameworkFactory,
    IndicatorFactory,
    RegionFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_region_sets_are_chosen_by_name(client, english):
    ind = IndicatorFactory(code="PUB", public=True)
    ValueFactory(
        indicator=ind, region=RegionFactory(code="620000", name="甘肃省", region_set="cn"), year=2022
    )
    se = RegionFactory(code="SE", name="瑞典", region_set="eis", level="country")
    ValueFactory(indicator=ind, region=se, year=2022)
    html = client.get(reverse("indicators:indicator-detail", args=["PUB"])).content.decode()
    assert '<option value="cn" selected>中国各省（自治区、直辖市）</option>' in html
    assert '<option value="eis">欧洲创新记分牌（EIS）国家</option>' in html
    assert " cn " not in _text(html) and " eis " not in _text(html)
    assert _text(html).count("操作记录") == 1 and "变更记录" not in _text(html)
    english(client)
    assert (
        _text(client.get(reverse("indicators:indicator-detail", args=["PUB"])).content.decode()).count(
            "Audit trail"
        )
        == 1
    )


def test_a_runs_page_heads_its_sub_indices_and_names_its_framework_in_words(client, staff):
    fw = FrameworkFactory(code="fw-secret-key", name="岱沄创新指数")
    for code in ("A.x", "A.y", "B.z"):
        IndicatorFactory(code=code, public=True)
    RegionFactory(code="U", name="甲省")
    services.value_record(actor=staff, indicator_code="A.x", region="U", year=2020, value=5)
    run = services.index_run_create(actor=staff, framework=fw)
    for lang in ("zh-hans", "en"):
        client.cookies["django_language"] = lang
        html = client.get(reverse("indicators:run-detail", args=[run.pk])).content.decode()
        head = re.search(r"<thead>(.*?)</thead>", html, re.S)[1]
        assert '<th class="num">甲</th><th class="num">乙</th>' in head, (
            head
        )  # the sub-indices' names, not A, B
        assert "fw-secret-key" not in _text(html)
    # staff read the whole trail: the run's framework by its name
    client.force_login(staff)
    client.cookies["django_language"] = "zh-hans"
    page = _text(client.get(reverse("indicators:run-detail", args=[run.pk])).content.decode())
    assert "框架： 岱沄创新指数" in page and "fw-secret-key" not in page
