"""A refused proposal on 凝练课题 (needs/group/) comes back as it was sent, with its reasons in words: the
needs ticked, the name and TRLs typed, the field's label before its reason, never the field's key (`title`,
`__all__`: the page once rendered the form's error dict); 400, not 200 (found walking the demo as staff)."""

import re

import pytest

from kechuang.challenges.models import Need, Topic

from ..factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(db):
    return [
        NeedFactory(title="煤层气水平井压裂增产", problem="低渗煤层气水平井分段压裂增产技术"),
        NeedFactory(title="低渗煤层气水平井分段压裂", problem="煤层气水平井分段压裂增产关键技术"),
    ]


def test_a_refused_proposal_keeps_what_was_typed_and_says_why_in_words(needs, staff, client_for):
    c = client_for(staff)
    page = c.get("/challenges/needs/group/?threshold=0.1").content.decode()
    assert "煤层气水平井压裂增产" in page
    first = needs[0]
    r = c.post(
        "/challenges/needs/group/?threshold=0.1",
        {"need": [first.pk], "title": "", "industry": "能源（手填）", "trl_baseline": "3", "trl_target": "7"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "__all__" not in text and not re.search(r"(?<![\w-])title(?![\w-])", text)
    assert "该字段是必填项" in text or "这个字段是必填项" in text
    assert "能源（手填）" in page and 'value="3"' in page and 'value="7"' in page
    # the need ticked stays ticked, the other is not ticked again
    assert re.search(rf'value="{first.pk}" checked', page)
    assert not re.search(rf'value="{needs[1].pk}" checked', page)
    assert not Topic.objects.exists()


def test_no_need_chosen_is_said_in_words(needs, staff, client_for):
    r = client_for(staff).post("/challenges/needs/group/", {"title": "新课题"})
    assert r.status_code == 400
    text = re.sub(r"<[^>]+>", " ", r.content.decode())
    assert "请至少选择一项需求" in text and "__all__" not in text
    assert Need.objects.filter(topic__isnull=True).count() == 2
