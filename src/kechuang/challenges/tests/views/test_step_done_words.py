"""After a lifecycle step goes through, the message names it (walked, session 20: an applicant submitting, a staff
member returning an application, read a bare "操作已完成。" that said nothing of what was done)."""

import pytest
from django.urls import reverse

from kechuang.challenges.models import Application
from kechuang.core.roles import Role

from ..factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", "已完成：形式审查退回修改。"), ("en", "Done: Return for revision (formal check).")],
)
def test_returning_an_application_says_which_step_was_done(client_for, make_user, language, words):
    app = ApplicationFactory(submitted=True)
    s = client_for(make_user(Role.STAFF))
    s.cookies["django_language"] = language
    url = reverse("challenges:application-action", args=[app.pk, "return"])
    r = s.post(url, {"reason": "缺少合作协议"}, follow=True)
    assert Application.objects.get(pk=app.pk).status == "returned"
    page = r.content.decode()
    assert words in page
    assert "操作已完成" not in page and ">Done.<" not in page


def test_the_rounds_list_names_its_experts_per_item_column(client_for, make_user):
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.review import services as review_services
    from kechuang.review.tests.factories import ExternalSubjectFactory, ReviewFormFactory

    staff = make_user(Role.STAFF)
    review_services.round_create(  # an empty list shows the shared empty state, not the table's headings
        actor=staff,
        title="测试轮次",
        subjects=[ExternalSubjectFactory(unit=UnitFactory())],
        form=ReviewFormFactory(),
        k=1,
        max_load=1,
    )
    page = client_for(staff).get(reverse("review:round-list")).content.decode()
    assert "每项专家数" in page
    assert '<th class="num">k</th>' not in page


def test_a_reported_milestone_says_what_verifying_does_and_labels_its_two_boxes(
    client_for, english_client_for
):
    """Walked (session 20): two unlabelled boxes (placeholders only) beside 核验通过 and 退回补充, and nothing
    said that verifying makes the tranche payable."""
    from kechuang.challenges.models import Contract, Milestone

    from ..factories import ContractFactory

    c = ContractFactory()
    Contract.objects.filter(pk=c.pk).update(status="in_progress")
    ms = c.milestones.get(seq=1)
    Milestone.objects.filter(pk=ms.pk).update(status="reported", tranche=650)
    page = client_for(c.commissioner).get(ms.get_absolute_url()).content.decode()
    assert (
        '<label for="verify-reason">核验意见（可不填）</label><input id="verify-reason" name="reason"' in page
    )
    assert (
        '<label for="send-back-reason">退回理由 *</label><input id="send-back-reason" name="reason" maxlength="2000" required'
        in page
    )
    assert "本期拨款 650 万元转为可拨付" in page
    en = english_client_for(c.commissioner)
    english = en.get(ms.get_absolute_url()).content.decode()
    assert '<button type="submit">Verify</button>' in english  # a button, not the step's name "Verified"
    r = client_for(c.commissioner).post(ms.get_absolute_url(), {"op": "send_back", "reason": " "})
    assert r.status_code == 400 and 'aria-describedby="refused-send_back"' in r.content.decode()
