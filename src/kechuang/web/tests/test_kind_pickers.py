"""Pickers whose rows depend on a kind chosen in another field (issue #13.1): a review round's subjects by
their type, a coverage's object by its type. The search (`web:pick-objects?kind=`) answers only rows of a
registered kind the person may see; the form accepts only such rows and shows the chosen ones by name."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kechuang.challenges.models import Application
from kechuang.challenges.tests.factories import ApplicationFactory
from kechuang.core.roles import Role
from kechuang.platforms.models import Platform
from kechuang.platforms.tests.factories import PlatformFactory
from kechuang.review.forms import RoundForm
from kechuang.review.models import ExternalSubject, ReviewForm
from kechuang.review.tests.factories import ExternalSubjectFactory
from kechuang.review.views import reviewable_types
from kechuang.techmap.forms import CoverageForm

pytestmark = pytest.mark.django_db


def _ct(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def _texts(response) -> list[str]:
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_the_search_answers_rows_of_the_kind_the_person_may_see(client_for, staff, make_user, client):
    mine = ApplicationFactory(title="碳化硅衬底量产")
    other = ApplicationFactory(title="碳化硅外延")
    url = reverse("web:pick-objects")
    texts = _texts(client_for(staff).get(url, {"kind": _ct(Application), "q": "碳化硅"}))
    assert len(texts) == 2 and any(t.startswith("碳化硅衬底量产 · ") and mine.unit.name in t for t in texts)
    # an applicant finds its own unit's application, not another unit's
    applicant = make_user(Role.APPLICANT, unit=mine.unit)
    c = client_for(applicant)
    assert [t.split(" · ")[0] for t in _texts(c.get(url, {"kind": _ct(Application), "q": "碳化硅"}))] == [
        "碳化硅衬底量产"
    ]
    assert other.title not in str(c.get(url, {"kind": _ct(Application), "q": "外延"}).content, "utf-8")
    # unregistered or missing kinds answer nothing; anonymous visitors are sent to sign in
    for kind in (_ct(ReviewForm), "", "x", "99999999"):
        assert _texts(client_for(staff).get(url, {"kind": kind, "q": "碳化硅"})) == []
    assert client.get(url, {"kind": _ct(Application), "q": "碳化硅"}).status_code == 302


def _round_data(**over):
    data = {
        "title": "轮次",
        "subject_type": str(_ct(ExternalSubject)),
        "k": "1",
        "min_load": "0",
        "max_load": "2",
        "mode": "random",
        "conflict_years": "5",
        "leximin_depth": "1",
    }
    data.update(over)
    return data


def test_round_subjects_are_picked_of_the_chosen_type_only(staff, applicant):
    subjects = [ExternalSubjectFactory(title=f"外部项目{i}") for i in range(3)]
    app = ApplicationFactory()
    types = reviewable_types()
    assert all("·" not in label and "challenges" not in label for _pk, label in types)  # no app codes
    ok = RoundForm(_round_data(subjects=[subjects[2].pk, subjects[0].pk]), type_choices=types, user=staff)
    ok.is_valid()  # (no scoring form given: only the subjects are read here)
    assert "subjects" not in ok.errors, ok.errors
    assert ok.cleaned_data["subjects"] == [subjects[2], subjects[0]]
    # an application's id under the external type, an id that is no row, an external proposal an applicant
    # may not see: refused, in words
    for data, user in (
        (_round_data(subjects=[app.pk + 1000]), staff),
        (_round_data(subjects=[subjects[0].pk]), applicant),
        (_round_data(subject_type=str(_ct(Application)), subjects=[subjects[0].pk + 5000]), staff),
    ):
        form = RoundForm(data, type_choices=types, user=user)
        assert not form.is_valid() and "没有找到所选对象" in form.errors["subjects"][0]
    # the chosen rows are shown by name (a refused form keeps them), with the kind the search is told
    shown = RoundForm(_round_data(subjects=[subjects[1].pk], k="0"), type_choices=types, user=staff)
    html = str(shown["subjects"])
    assert "外部项目1" in html and 'data-picker-kind="id_subject_type"' in html
    assert f'data-picker="{reverse("web:pick-objects")}"' in html
    assert "编号" not in str(shown["subjects"].help_text)


def test_the_round_page_creates_a_round_over_the_picked_subjects(staff, client_for):
    from kechuang.review.models import Round
    from kechuang.review.tests.factories import ReviewFormFactory

    form = ReviewFormFactory()
    subjects = [ExternalSubjectFactory(title=f"外部项目{i}") for i in range(3)]
    c = client_for(staff)
    r = c.post(
        reverse("review:round-create"),
        _round_data(form=form.pk, subjects=[subjects[1].pk], title="挑选的轮次"),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    rnd = Round.objects.get(title="挑选的轮次")
    assert [s.title for s in rnd.subjects.all()] == ["外部项目1"]
    refused = c.post(reverse("review:round-create"), _round_data(form=form.pk, subjects=["abc"], title="拒"))
    assert refused.status_code == 400 and "没有找到所选对象" in refused.content.decode()


def test_a_coverage_target_is_picked_of_the_chosen_type(staff, commissioner):
    platform = PlatformFactory(name="碳化硅中试平台", published=False)
    ct = _ct(Platform)
    data = {"kind": "platform", "content_type": ct, "target": platform.pk, "since": "2025-01-01"}
    form = CoverageForm(data, user=staff)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target"] == platform
    label = dict(form.fields["content_type"].choices)
    assert all("(" not in str(v) for v in label.values())  # the type by its name, no app code
    assert not CoverageForm({**data, "target": platform.pk + 999}, user=staff).is_valid()
    assert not CoverageForm({**data, "content_type": ""}, user=staff).is_valid()
    assert "碳化硅中试平台" in str(CoverageForm(data, user=staff)["target"])
