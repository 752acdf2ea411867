"""The expert's own profile page shows, under 操作记录, what the expert did themself (a past unit added, a
collaborator, a declared conflict, the profile saved) by their own name and in words — not an empty 暂无记录
right after they added something — and, as for anyone outside the department, the profile's state changes.
What staff did besides (a credit record) stays theirs; a line under the heading says what the section holds."""

import re

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.review import services
from kechuang.review.models import ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def _trail(html: str) -> str:
    """The 操作记录 section of a page, its tags dropped."""
    section = html[html.index('<section class="audit"') :]
    section = section[: section.index("</section>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def test_the_expert_reads_their_own_events_on_their_profile_in_words(client_for, staff, english):
    profile = ExpertProfileFactory(status=ExpertProfile.Status.DRAFT, user__full_name="林晓岚")
    login = profile.user.username
    unit = UnitFactory(name="太原理工大学")
    c = client_for(profile.user)
    before = _trail(c.get(reverse("review:my-profile")).content.decode())
    assert "您本人" in before  # what the section holds, said before there is anything in it
    url = reverse("review:my-profile")
    assert (
        c.post(url, {"add_unit": "1", "u-unit": "岱沄某某研究院", "u-start": "2001-09-01"}).status_code == 302
    )
    assert c.post(url, {"add_collab": "1", "c-name": "王立新", "c-unit": unit.pk}).status_code == 302
    assert c.post(url, {"declare": "1", "d-unit": unit.pk, "d-reason": "曾任职"}).status_code == 302
    services.expert_credit_record(actor=staff, profile=profile, kind="commended", note="评审认真负责")
    profile.refresh_from_db()
    services.expert_profile_update(
        actor=profile.user, profile=profile, expected_version=profile.version, disciplines=["520.10"]
    )
    trail = _trail(c.get(url).content.decode())
    print(trail)
    assert "暂无记录" not in trail
    assert "岱沄某某研究院" in trail and "王立新" in trail and "曾任职" in trail
    for words in ("添加工作经历", "添加合作者", "声明回避"):  # what was added, not "添加专家"
        assert words in trail, words
    assert "添加专家" not in trail and "用户" not in trail  # no empty account line for a collaborator
    # the disciplines changed by their names, never the stored codes
    assert "修改专家档案" in trail and "学科： 材料科学 › 材料检测与分析技术 →" in trail
    assert "430.25" not in trail and "520.10" not in trail and "学科代码" not in trail
    assert trail.count("林晓岚") >= 3  # each of the expert's own events by their name
    assert (
        login not in trail and "评审认真负责" not in trail
    )  # no login name; staff's credit record stays theirs
    assert str(staff) not in trail
    english(c)
    en = _trail(c.get(url).content.decode())
    print(en)
    assert "yourself" in en and "岱沄某某研究院" in en and login not in en
    page = c.get(url).content.decode()
    assert (
        "<dt>Name</dt><dd>林晓岚</dd>" in page and "<dt>Users</dt>" not in page
    )  # the expert's name, so headed
    assert "Added a past unit" in en and "Added a collaborator" in en and "Declared a conflict" in en
    # staff read every event, the credit record too, with no line about the reader's own
    s = _trail(client_for(staff).get(reverse("review:expert-detail", args=[profile.pk])).content.decode())
    assert "评审认真负责" in s and "登记信用记录" in s and "您本人" not in s
