"""The indicator list and the targets export name an indicator in the reader's language, Chinese where it has no
English name (session 14, walker4)."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.indicators.tests.factories import IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("zh-hans", "研发投入强度", '<div class="meta" lang="en">R&amp;D intensity</div>'),
        ("en", "R&amp;D intensity", ""),
    ],
)
def test_the_indicator_list_names_it_in_the_readers_language_first(
    client_for, staff, language, first, second
):
    """A Chinese page gives the English name beneath; an English page the English name once (people36: the
    Chinese slot of an indicator named only in English had repeated it)."""
    rd = IndicatorFactory(code="C2.1.1", name_zh="研发投入强度", name_en="R&D intensity")
    only = IndicatorFactory(code="C9.9", name_zh="只有中文名的指标")
    page = _in(client_for(staff), language).get(reverse("indicators:indicator-list")).content.decode()
    url = rd.get_absolute_url()
    assert f'<tr>\n<td><a href="{url}">{first}</a>{second}</td>' in page
    # no English name: the Chinese, on either page
    assert f'<td><a href="{only.get_absolute_url()}">只有中文名的指标</a></td>' in page
    # the name is the list's first column and its link; the code is not shown on the list
    assert ">C2.1.1<" not in page and ">C9.9<" not in page


def test_the_indicator_page_keeps_its_code_under_technical_details(client_for, staff):
    rd = IndicatorFactory(code="C2.1.1", name_zh="研发投入强度")
    page = client_for(staff).get(rd.get_absolute_url()).content.decode()
    assert '<details class="technical"><summary>技术信息</summary><dl class="props"><dt>指标代码</dt>' in page
    assert '<code class="fingerprint">C2.1.1</code>' in page


@pytest.mark.parametrize(
    ("language", "names"),
    [("zh-hans", {"研发投入强度", "只有中文名的指标"}), ("en", {"R&D intensity", "只有中文名的指标"})],
)
def test_the_targets_export_names_the_indicator_in_the_readers_language(client_for, staff, language, names):
    TargetFactory(indicator=IndicatorFactory(name_zh="研发投入强度", name_en="R&D intensity"))
    TargetFactory(indicator=IndicatorFactory(name_zh="只有中文名的指标"))
    x = _in(client_for(staff), language).get(reverse("indicators:target-list") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == names


def test_a_frameworks_tree_names_its_indicators_not_their_codes(client_for, staff):
    from kechuang.indicators.tests.factories import FrameworkFactory

    fw = FrameworkFactory()
    page = client_for(staff).get(reverse("indicators:framework-detail", args=[fw.pk])).content.decode()
    rows = [r.strip() for r in re.findall(r'<td class="indent-wide d\d">([^<]*)', page)]
    assert rows[:3] == ["甲", "x", "y"] and "<th>代码</th>" not in page  # the tree by name (was A, A.x, A.y)
    assert not {"A", "A.x", "A.y", "B", "B.z"} & set(rows), rows
