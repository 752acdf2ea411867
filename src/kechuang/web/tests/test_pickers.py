"""The search-as-you-type pickers (issue #13.1): each search endpoint checks the role and answers only rows
the person may see, by words a person reads; the picker fields render only the chosen rows and accept what
the select submits (an id) as well as the full name older links send."""

import pytest
from django import forms
from django.urls import reverse

from kechuang.accounts.pickers import unit_field, user_field
from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.core.roles import Role
from kechuang.indicators.tests.factories import IndicatorFactory
from kechuang.platforms.tests.factories import PlatformFactory
from kechuang.review.pickers import expert_field
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def _texts(response) -> list[str]:
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_units_are_found_by_part_of_their_name_by_anyone_signed_in(client_for, applicant, client):
    UnitFactory(name="太原理工大学", city="太原")
    UnitFactory(name="中北大学")
    UnitFactory(name="太原停用研究所", is_active=False)
    c = client_for(applicant)
    texts = _texts(c.get(reverse("web:pick-units"), {"q": "太原"}))
    assert len(texts) == 1 and texts[0].startswith("太原理工大学") and "太原" in texts[0]
    assert _texts(c.get(reverse("web:pick-units"), {"q": ""})) == []
    # Anonymous visitors are sent to sign in.
    assert client.get(reverse("web:pick-units"), {"q": "太原"}).status_code == 302


def test_experts_are_found_by_name_unit_or_keyword_by_staff_and_commissioners_only(
    client_for, staff, commissioner, applicant, expert
):
    unit = UnitFactory(name="山西大学")
    p = ExpertProfileFactory(user__full_name="王建国", user__unit=unit, keywords=["煤化工"])
    ExpertProfileFactory(user__full_name="王草稿", draft=True)
    for who in (staff, commissioner):
        c = client_for(who)
        for q in ("王", "山西大学", "煤化工"):
            texts = _texts(c.get(reverse("web:pick-experts"), {"q": q}))
            assert len(texts) == 1 and "王建国" in texts[0] and "山西大学" in texts[0], q
        answer = c.get(reverse("web:pick-experts"), {"q": "王"}).json()["results"]
        assert answer[0]["value"] == str(p.user_id)
        # no login name in what a person reads
        assert p.user.username not in answer[0]["text"]
    for who in (applicant, expert):
        assert client_for(who).get(reverse("web:pick-experts"), {"q": "王"}).status_code == 403


def test_users_are_found_by_staff_only_and_narrowed_by_role(client_for, staff, commissioner):
    op = UserFactory(full_name="李运营", roles=[Role.OPERATOR])
    UserFactory(full_name="李申报", roles=[Role.APPLICANT])
    c = client_for(staff)
    assert len(_texts(c.get(reverse("web:pick-users"), {"q": "李"}))) == 2
    answer = c.get(reverse("web:pick-users"), {"q": "李", "role": Role.OPERATOR}).json()["results"]
    assert [r["value"] for r in answer] == [str(op.pk)]
    assert op.username not in answer[0]["text"]
    assert client_for(commissioner).get(reverse("web:pick-users"), {"q": "李"}).status_code == 403


def test_platforms_answer_only_what_the_person_may_see(client_for, staff, applicant):
    PlatformFactory(name="公开实验室", published=True)
    PlatformFactory(name="未公开实验室", published=False)
    assert len(_texts(client_for(staff).get(reverse("web:pick-platforms"), {"q": "实验室"}))) == 2
    seen = _texts(client_for(applicant).get(reverse("web:pick-platforms"), {"q": "实验室"}))
    assert len(seen) == 1 and seen[0].startswith("公开实验室")


def test_indicators_answer_only_what_the_person_may_see(client_for, staff, applicant):
    IndicatorFactory(name_zh="研发投入强度", published=True)
    IndicatorFactory(name_zh="研发内部指标", published=False)
    assert len(_texts(client_for(staff).get(reverse("web:pick-indicators"), {"q": "研发"}))) == 2
    assert len(_texts(client_for(applicant).get(reverse("web:pick-indicators"), {"q": "研发"}))) == 1


class _Form(forms.Form):
    unit = unit_field(label="单位")
    units = unit_field(label="单位们", multiple=True, required=False)
    person = user_field(label="人员", required=False, role=Role.OPERATOR)
    expert = expert_field(label="专家", required=False)


def test_picker_fields_render_only_the_chosen_rows_and_the_search_address():
    chosen = UnitFactory(name="已选单位")
    UnitFactory(name="未选单位")
    html = str(_Form(initial={"unit": chosen})["unit"])
    assert 'data-picker="/pick/units/"' in html
    assert "已选单位" in html and "未选单位" not in html
    assert f'value="{chosen.pk}" selected' in html
    assert 'data-picker="/pick/users/?role=operator"' in str(_Form()["person"])
    assert "multiple" in str(_Form()["units"])


def test_picker_fields_accept_ids_and_full_names_and_refuse_the_unknown_with_the_input_kept():
    a, b = UnitFactory(name="甲单位"), UnitFactory(name="乙单位")
    f = _Form(data={"unit": str(a.pk), "units": [str(a.pk), "乙单位"]})
    assert f.is_valid(), f.errors
    assert f.cleaned_data["unit"] == a and set(f.cleaned_data["units"]) == {a, b}
    # older clients: names one a line
    f = _Form(data={"unit": "甲单位", "units": "甲单位\n乙单位"})
    assert f.is_valid(), f.errors
    assert f.cleaned_data["unit"] == a and set(f.cleaned_data["units"]) == {a, b}
    f = _Form(data={"unit": "丙单位", "units": [str(b.pk)]})
    assert not f.is_valid()
    assert "丙单位" in f.errors["unit"][0]
    # the refused form still shows the valid choice made in the other field
    assert "乙单位" in str(f["units"])


def test_expert_field_refuses_a_person_who_is_not_an_approved_expert():
    ok = ExpertProfileFactory().user
    draft = ExpertProfileFactory(draft=True).user
    assert _Form(data={"unit": "", "expert": str(ok.pk)}).errors.get("expert") is None
    assert "expert" in _Form(data={"expert": str(draft.pk)}).errors


def test_topics_and_scoring_forms_are_found_by_name_by_staff(client_for, staff, commissioner, applicant):
    from kechuang.challenges.tests.factories import TopicFactory
    from kechuang.review.tests.factories import ReviewFormFactory

    TopicFactory(title="碳化硅衬底课题")
    ReviewFormFactory(name="揭榜评分表甲")
    assert _texts(client_for(staff).get(reverse("web:pick-topics"), {"q": "碳化硅"}))[0].startswith(
        "碳化硅衬底课题"
    )
    assert len(_texts(client_for(commissioner).get(reverse("web:pick-topics"), {"q": "碳化硅"}))) == 1
    assert client_for(applicant).get(reverse("web:pick-topics"), {"q": "碳化硅"}).status_code == 403
    assert _texts(client_for(staff).get(reverse("web:pick-review-forms"), {"q": "评分表"}))[0].startswith(
        "揭榜评分表甲"
    )
    assert client_for(commissioner).get(reverse("web:pick-review-forms"), {"q": "评分表"}).status_code == 403


def test_a_picker_searched_by_too_many_words_says_it_searched_the_first_ones(client_for, applicant, english):
    """A picker cuts the words typed at core.limits.SEARCH_MAX as every list's search does, and its answer
    says so (`note`, shown over the rows) in the reader's language; words within the limit, no note."""
    from django.conf import settings
    from django.utils import translation

    from kechuang.core.limits import SEARCH_MAX

    UnitFactory(name="太原理工大学")
    c = client_for(applicant)
    url = reverse("web:pick-units")
    long_words = "太原" + "学" * (SEARCH_MAX + 20)
    answer = c.get(url, {"q": long_words}).json()
    assert answer["note"] == f"搜索词过长，只按前 {SEARCH_MAX} 个字搜索。"
    assert "note" not in c.get(url, {"q": "太原"}).json()
    english(c)
    try:
        note = c.get(url, {"q": long_words}).json()["note"]
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert note == f"The search words are too long: only the first {SEARCH_MAX} characters are searched."
