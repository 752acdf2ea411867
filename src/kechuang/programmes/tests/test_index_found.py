"""The programmes page finds programme types and forms (its two lists) by a Chinese or English name, pages
each list on its own with the words kept, and says so when a list has none (walk-through of session 29)."""

import pytest
from django.urls import reverse

from kechuang.programmes.models import FormDefinition, ProgrammeType

pytestmark = pytest.mark.django_db


def test_both_lists_are_found_by_a_name_in_either_language(staff, client_for, english_client_for):
    ProgrammeType.objects.create(name="揭榜挂帅", name_en="Open competition")
    ProgrammeType.objects.create(name="重点研发计划", name_en="Key R&D programme")
    FormDefinition.objects.create(
        name="揭榜挂帅申报书", name_en="Open competition application", purpose="application"
    )
    FormDefinition.objects.create(name="结题报告", name_en="Final report", purpose="acceptance")
    c = client_for(staff)
    url = reverse("programmes:index")
    for q in ("揭榜", "open comp"):
        r = c.get(url, {"q": q})
        assert [str(p) for p in r.context["programmes"]] == ["揭榜挂帅"], q
        assert [str(f) for f in r.context["forms"]] == ["揭榜挂帅申报书"], q
    r = c.get(url, {"q": "结题"})
    assert list(r.context["programmes"]) == [] and [str(f) for f in r.context["forms"]] == ["结题报告"]
    body = r.content.decode()
    assert "没有名称含“结题”的计划类别。换个词或少写几个字再找，或" in body and 'value="结题"' in body
    body = english_client_for(staff).get(url, {"q": "量子"}).content.decode()
    assert "No programme type has “量子” in its name." in body and "No form has “量子” in its name." in body


def test_each_list_has_its_own_pager_keeping_the_words(staff, client_for):
    ProgrammeType.objects.bulk_create(ProgrammeType(name=f"测试计划{i:02}") for i in range(55))
    FormDefinition.objects.bulk_create(
        FormDefinition(name=f"测试表单{i:02}", purpose="application") for i in range(52)
    )
    c = client_for(staff)
    url = reverse("programmes:index")
    body = c.get(url, {"q": "测试"}).content.decode()
    assert "q=%E6%B5%8B%E8%AF%95&amp;ppage=2" in body and "q=%E6%B5%8B%E8%AF%95&amp;fpage=2" in body
    r = c.get(url, {"q": "测试", "ppage": 2, "fpage": 1})
    assert len(r.context["programmes"]) == 5 and len(r.context["forms"]) == 50
    assert "ppage=2&amp;fpage=2" in r.content.decode()
