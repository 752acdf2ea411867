"""An expert's city is picked by name from the chosen province's prefecture-level divisions (core.divisions), as
a unit's and a platform's are, never typed: the profile form offers the province and the narrowed city list,
stores the division's Chinese name (太原市), refuses a city of another province; a value from before the list is
kept and shown flagged; the import reads a city by name (省份 optional) and refuses one that names none; the
migration maps the usual forms and keeps the rest; the expert list filters by a list of the cities that occur."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.review import services
from kechuang.review.conflicts import same_city
from kechuang.review.forms import ProfileForm
from kechuang.review.models import ExpertProfile

from .factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def _data(profile, **over):
    return {
        "title": "教授",
        "keywords": "碳化硅",
        "yearly_cap": "30",
        "version": str(profile.version),
        "save": "1",
        **over,
    }


def test_the_profile_form_picks_the_city_in_the_province_and_stores_its_name(client_for):
    profile = ExpertProfileFactory(city="", user__unit=UnitFactory(province="140000"))
    c = client_for(profile.user)
    page = c.get(reverse("review:my-profile")).content.decode()
    select = re.search(r'<select name="city"([^>]*)>(.*?)</select>', page, re.S)
    assert 'data-narrow-by="province"' in select.group(1) and '<option value="晋中市">' in select.group(2)
    assert re.search(r'<option value="140000" selected>山西省</option>', page)  # the unit's province first
    r = c.post(reverse("review:my-profile"), _data(profile, province="140000", city="晋中市"))
    assert r.status_code == 302
    profile.refresh_from_db()
    assert profile.city == "晋中市"
    # a city of another province: refused on the page, naming both, everything typed kept (400)
    r = c.post(reverse("review:my-profile"), _data(profile, province="140000", city="兰州市", title="研究员"))
    body = r.content.decode()
    assert r.status_code == 400 and "兰州市不在山西省" in body and 'value="研究员"' in body
    # the province is read back from the city
    assert ProfileForm.for_profile(profile).initial["province"] == "140000"


def test_a_city_from_before_the_list_is_kept_flagged_and_the_same_city_rule_reads_names():
    profile = ExpertProfileFactory(city="")
    ExpertProfile.objects.filter(pk=profile.pk).update(city="某开发区")
    profile.refresh_from_db()
    form = ProfileForm.for_profile(profile)
    assert ("某开发区", "某开发区（未识别的城市，请更正）") in form.fields["city"].choices
    assert (
        same_city("太原市", "太原") and same_city("太原市", "Taiyuan") and not same_city("太原市", "大同市")
    )


def test_the_profile_page_shows_an_unlisted_city_flagged(client_for, staff):
    profile = ExpertProfileFactory()
    ExpertProfile.objects.filter(pk=profile.pk).update(city="某开发区")
    page = client_for(staff).get(profile.get_absolute_url()).content.decode()
    assert 'class="badge warn"' in page and "某开发区" in page


def test_the_migration_maps_the_usual_forms_and_keeps_the_rest():
    migration = importlib.import_module("kechuang.review.migrations.0009_expert_city_names")
    rows = {
        ("140000", "太原"): "太原市",
        ("140000", "Taiyuan"): "太原市",
        ("140000", "兰州"): "兰州市",  # outside the unit's province: still a city
        ("330000", "Taizhou"): "台州市",  # two of one name: the unit's province tells them apart
        ("", "北京"): "北京市",
        ("140000", "某开发区"): "某开发区",  # names none: kept, for staff to look at
    }
    made = {}
    for (province, city), _want in rows.items():
        p = ExpertProfileFactory(user__unit=UnitFactory(province=province))
        ExpertProfile.objects.filter(pk=p.pk).update(city=city)
        made[(province, city)] = p.pk
    migration.to_names(apps, None)
    assert {k: ExpertProfile.objects.get(pk=pk).city for k, pk in made.items()} == rows


def test_the_import_reads_a_city_by_name_and_refuses_one_that_names_none(staff):
    UnitFactory(name="山西大学", kind="university", credit_code="")
    header = "姓名,单位,邮箱,省份,城市\n"
    bad = (
        header
        + "张三,山西大学,a@sxu.cn,,火星城\n李四,山西大学,b@sxu.cn,山西,兰州\n王五,山西大学,c@sxu.cn,,\n"
    )
    report = services.expert_import(actor=staff, data=bad.encode(), filename="e.csv")
    assert [(e.line, e.field) for e in report.errors] == [(2, "城市"), (3, "城市")]
    header = "姓名,单位,邮箱,关键词,省份,城市\n"
    good = header + "张三,山西大学,a@sxu.cn,碳化硅,,Taiyuan\n李四,山西大学,b@sxu.cn,碳化硅,江苏,Taizhou\n"
    done = services.expert_import(actor=staff, data=good.encode(), filename="e.csv", dry_run=False)
    assert done.committed
    assert ExpertProfile.objects.get(user__email="a@sxu.cn").city == "太原市"
    assert ExpertProfile.objects.get(user__email="b@sxu.cn").city == "泰州市"


def test_the_expert_list_filters_by_a_list_of_the_cities_that_occur(client_for, staff):
    ExpertProfileFactory(city="太原市")
    ExpertProfileFactory(city="大同市")
    c = client_for(staff)
    page = c.get(reverse("review:expert-list")).content.decode()
    select = re.search(r'<select name="city"([^>]*)>(.*?)</select>', page, re.S).group(2)
    assert '<optgroup label="山西省">' in select and '<option value="大同市">' in select
    assert "晋中市" not in select  # only the cities that occur
    page = c.get(reverse("review:expert-list"), {"city": "Taiyuan"}).content.decode()  # an old link
    assert '<option value="太原市" selected>' in page


def test_the_expert_export_names_the_city_in_the_readers_language(staff, english_client_for):
    import io

    from openpyxl import load_workbook

    ExpertProfileFactory(city="太原市")
    c = english_client_for(staff)
    r = c.get(reverse("review:expert-list"), {"export": "xlsx"})
    data = b"".join(r.streaming_content) if r.streaming else r.content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    column = [str(h) for h in rows[0]].index("City")
    assert rows[1][column] == "Taiyuan"


def test_a_refused_profile_step_keeps_the_reason_and_a_stale_one_says_who_decided(
    client_for, staff, make_user
):
    """(Not a city: the profile's steps were a message after a redirect, the reason typed lost.)"""
    from kechuang.core.roles import Role

    profile = ExpertProfileFactory(submitted=True)
    c = client_for(staff)
    url = reverse("review:expert-transition", args=[profile.pk, "reject"])
    r = c.post(url, {"reason": " "})
    assert r.status_code == 400 and 'aria-invalid="true"' in r.content.decode()
    assert c.post(url, {"reason": "请补充代表性论文"}).status_code == 302
    r = client_for(make_user(Role.STAFF)).post(
        reverse("review:expert-transition", args=[profile.pk, "approve"]), {"reason": "同意入库"}
    )
    body = r.content.decode()
    assert r.status_code == 409 and "此事项已由" in body and "同意入库" in body
    profile.refresh_from_db()
    assert profile.status == "rejected"
