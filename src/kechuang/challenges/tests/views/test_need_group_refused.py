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


def test_a_refused_result_comes_back_on_the_project_page_with_what_was_typed(client_for):
    """登记成果 refused (no type, no date): the project's page again (400) with the title typed and the
    reasons beside the fields; it was a message naming the fields' keys (“kind * 该字段是必填项。”) after a
    redirect, the title lost (found walking the demo as the commissioner)."""
    from kechuang.challenges.models import Contract, Result

    from ..factories import ContractFactory

    contract = ContractFactory()
    Contract.objects.filter(pk=contract.pk).update(status="in_progress")
    c = client_for(contract.commissioner)
    r = c.post(
        f"/challenges/projects/{contract.pk}/result/", {"title": "样机一台", "description": "中试样机"}
    )
    assert r.status_code == 400
    page = r.content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "样机一台" in page and "中试样机" in page
    assert not re.search(r"(?<![\w-])(kind|achieved_on|title)(?![\w-])", text)
    assert re.search(r'<details class="panel" open><summary>登记成果', page)
    assert not Result.objects.exists()
    ok = c.post(
        f"/challenges/projects/{contract.pk}/result/",
        {"kind": Result.Kind.choices[0][0], "title": "样机一台", "achieved_on": "2026-06-01"},
    )
    assert ok.status_code == 302 and Result.objects.filter(title="样机一台").exists()
