"""Topics' and needs' industry (所属产业) is a choice from a list named in both languages (people33): it had been
free text, so an English page showed the Chinese typed. Stored text becomes its closest entry; text no entry fits
stays visible; the forms pick, the lists filter, the API takes an entry, imports read a name in either language
and refuse an unknown one with its line."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.urls import reverse
from django.utils import translation

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import industries, services
from kechuang.challenges.forms import NeedForm, TopicForm
from kechuang.challenges.models import Need, Topic
from kechuang.challenges.tests.factories import NeedFactory, TopicFactory


def test_a_name_in_either_language_names_its_entry_and_free_text_its_closest():
    assert industries.parse("新材料") == industries.parse("New materials") == "new_materials"
    assert (
        industries.parse("new materials") == "new_materials"
        and industries.parse("新材料产业") == "new_materials"
    )
    assert industries.parse("") == "" and industries.parse("火星采矿") is None
    assert industries.closest("煤化工") == "chemicals"
    assert industries.closest("高端装备制造业") == "high_end_equipment"
    assert industries.closest("碳化硅外延片") == "semiconductors"  # holds an entry's other name
    assert industries.closest("火星采矿") == "火星采矿"  # kept as typed
    with translation.override("en"):
        assert industries.label("quantum") == "Quantum information"
        assert industries.label("火星采矿") == "火星采矿"
    with translation.override("zh-hans"):
        assert industries.label("quantum") == "量子信息"


@pytest.mark.django_db
def test_the_data_migration_turns_free_text_into_entries_and_keeps_the_rest():
    migration = importlib.import_module("kechuang.challenges.migrations.0018_industry_choice")
    known, other = NeedFactory(), NeedFactory()
    topic = TopicFactory()
    Need.objects.filter(pk=known.pk).update(industry="生物医药")
    Need.objects.filter(pk=other.pk).update(industry="火星采矿")
    Topic.objects.filter(pk=topic.pk).update(industry="Quantum information")
    migration.to_entries(global_apps, None)
    known.refresh_from_db(), other.refresh_from_db(), topic.refresh_from_db()
    assert (known.industry, other.industry, topic.industry) == ("biomedicine", "火星采矿", "quantum")
    with translation.override("en"):
        assert other.industry_label == "火星采矿"  # visible, as typed


@pytest.mark.django_db
def test_the_form_picks_an_entry_and_keeps_a_stored_unknown_value_offered():
    with translation.override("en"):
        choices = dict(NeedForm().fields["industry"].choices)
        assert choices["new_materials"] == "New materials" and "火星采矿" not in choices
    need = NeedFactory()
    Need.objects.filter(pk=need.pk).update(industry="火星采矿")
    need.refresh_from_db()
    assert ("火星采矿", "火星采矿") in NeedForm(instance=need).fields["industry"].choices
    form = TopicForm({"title": "课题", "industry": "不在列表", "description": ""})
    assert not form.is_valid() and "industry" in form.errors


@pytest.mark.django_db
def test_english_pages_name_the_industry_in_english_and_lists_filter_by_it(
    english_client_for, client_for, staff
):
    TopicFactory(title="量子课题", industry="quantum")
    TopicFactory(title="材料课题", industry="new_materials")
    english = english_client_for(staff)
    page = english.get(reverse("challenges:topic-list")).content.decode()
    assert "Quantum information" in page and "量子信息" not in page
    chinese = client_for(staff)
    page = chinese.get(reverse("challenges:topic-list"), {"industry": "quantum"}).content.decode()
    assert "量子课题" in page and "材料课题" not in page
    # the filter takes a name too (a link written by a person)
    page = chinese.get(reverse("challenges:topic-list"), {"industry": "新材料"}).content.decode()
    assert "材料课题" in page and "量子课题" not in page


@pytest.mark.django_db
def test_the_api_takes_an_entry_and_refuses_free_text(client_for, make_user):
    from kechuang.core.roles import Role

    user = make_user(Role.APPLICANT)
    client = client_for(user)
    url = reverse("api:challenges-need-list")
    ok = client.post(
        url,
        {"title": "需求甲", "problem": "难题", "industry": "new_materials"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["industry"] == "new_materials" and ok.json()["industry_label"]
    bad = client.post(
        url, {"title": "需求乙", "problem": "难题", "industry": "火星采矿"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "industry" in bad.content.decode()


@pytest.mark.django_db
def test_an_import_reads_an_industry_in_either_language_and_refuses_an_unknown_one_by_line(staff):
    UnitFactory(name="甲公司")
    data = (
        "需求名称,需求单位,技术难题,期望指标,配套经费,产业,紧迫程度\n"
        "碳化硅衬底,甲公司,良率低,,0,New materials,一般\n"
        "量子芯片,甲公司,保真度低,,0,量子信息,一般\n"
        "火星矿,甲公司,运不回来,,0,火星采矿,一般\n"
    ).encode()
    report = services.needs_import(actor=staff, data=data, filename="needs.csv", dry_run=False)
    assert [(e.line, e.field) for e in report.errors] == [(4, "产业")]
    assert "火星采矿" in report.errors[0].text and not report.committed
    with translation.override("en"):
        assert "not in the industry list" in report.errors[0].text
    fixed = data.replace("火星采矿".encode(), "新能源".encode())
    report = services.needs_import(actor=staff, data=fixed, filename="needs.csv", dry_run=False)
    assert report.committed and sorted(Need.objects.values_list("industry", flat=True)) == [
        "new_energy",
        "new_materials",
        "quantum",
    ]
