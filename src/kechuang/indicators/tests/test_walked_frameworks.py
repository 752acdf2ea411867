"""A composite index framework as a newcomer reads it (session 13, helper walker): by its name, not its code;
its groups' basis as one phrase ("relative to the reference unit, same year", never "unitsame year"); a
reference unit by its name; regions with their set's name, not the set's code."""

import re

import pytest

from kechuang.core.roles import Role
from kechuang.indicators import builder
from kechuang.indicators.models import IndexRun

from .factories import FrameworkFactory, RegionFactory

BANDS = {
    "bands": [{"code": "1", "label": "第一梯队", "above": 120}, {"code": "4", "label": "第四梯队"}],
    "year": "same",
}


@pytest.mark.django_db
def test_a_framework_page_reads_its_name_and_its_groups_in_the_readers_words(make_user, client_for, english):
    fw = FrameworkFactory(code="cn-test", name="综合科技创新水平指数")
    fw.spec = {**fw.spec, "name_en": "Comprehensive S&T Innovation Index"}
    fw.spec["method"]["groups"] = BANDS
    fw.save()
    staff = client_for(make_user(Role.STAFF))
    page = staff.get(fw.get_absolute_url()).content.decode()
    assert "cn-test" not in page.split("<h1>")[0].split("</header>")[-1]
    assert "综合科技创新水平指数</p>" in page
    assert "（相对参照单位同年）" in page
    english(staff)
    page = staff.get(fw.get_absolute_url()).content.decode()
    assert "unitsame" not in page and "(relative to the reference unit, same year)" in page
    assert "<h1>Comprehensive S&amp;T Innovation Index (2024)</h1>" in page


def test_groups_compared_with_a_unit_name_the_unit_and_read_in_english():
    method = {"groups": {**BANDS, "reference": {"unit": "CN"}}}
    from django.utils import translation

    with translation.override("zh-hans"):
        grouping = dict(builder.setting_items(method, {"CN": "全国"}))["绩效分组"]
        assert grouping.endswith("（同年比较，与全国比较）")
    with translation.override("en"):
        grouping = dict((str(k), v) for k, v in builder.setting_items(method, {"CN": "全国"}))
        assert "对比" not in str(grouping) and "compared with 全国" in str(grouping)


@pytest.mark.django_db
def test_region_choices_name_their_set_and_a_run_names_its_framework(make_user, client_for):
    fw = FrameworkFactory(code="cn-test", name="综合科技创新水平指数")
    RegionFactory(code="140000", name="山西省", region_set="cn")
    page = client_for(make_user(Role.STAFF)).get(f"/indicators/frameworks/{fw.pk}/edit/").content.decode()
    assert "山西省（cn）" not in page and "山西省 · 中国各省（自治区、直辖市）" in page
    run = IndexRun.objects.create(framework=fw, framework_code="cn-test", edition="2024", spec=fw.spec)
    assert str(run).startswith("测试框架 2024") and "cn-test" not in str(run)  # the snapshot's name


@pytest.mark.django_db
def test_a_version_written_by_the_system_reads_in_english_and_a_target_note_stands_apart(
    make_user, client_for, english
):
    from .factories import IndicatorFactory, TargetFactory

    fw = FrameworkFactory()  # its first version's note: 安装, as the installer writes it
    staff = client_for(make_user(Role.STAFF))
    english(staff)
    page = staff.get(fw.get_absolute_url()).content.decode()
    assert "安装" not in page and " · installed" in page
    indicator = IndicatorFactory(unit="%")
    TargetFactory(indicator=indicator, note="十四五目标")
    page = staff.get(indicator.get_absolute_url()).content.decode()
    assert ") · 十四五目标</li>" in page


@pytest.mark.django_db
def test_a_frameworks_sub_indices_read_by_their_english_names_on_english_pages(
    make_user, client_for, english
):
    fw = FrameworkFactory()
    fw.spec["nodes"][0]["name_en"] = "Human resources"
    fw.save()
    staff = client_for(make_user(Role.STAFF))

    # The tree's name cell is the first, indented by depth (usable9: no code column before it).
    def cell(name, page):
        return re.search(rf'<td class="indent-wide d\d+">{name}', page) is not None

    assert cell("甲", staff.get(fw.get_absolute_url()).content.decode())
    english(staff)
    page = staff.get(fw.get_absolute_url()).content.decode()
    assert cell("Human resources", page) and not cell("甲", page)
    assert cell("乙", page)  # no English name given: the Chinese one
