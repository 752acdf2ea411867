import io

import pytest

from kechuang.review.models import Assignment, ExpertProfile, Review, Round

pytestmark = pytest.mark.slow  # scheduled first: tools/runtests.py, conftest


def test_demo_loads_twice_without_duplicates(db):
    from kechuang.accounts import demo as accounts_demo
    from kechuang.review import demo

    accounts_demo.load()
    out = io.StringIO()
    demo.load(stdout=out)
    counts = (ExpertProfile.objects.count(), Round.objects.count(), Assignment.objects.count())
    demo.load(stdout=io.StringIO())
    assert (ExpertProfile.objects.count(), Round.objects.count(), Assignment.objects.count()) == counts
    assert ExpertProfile.objects.filter(status="approved").count() == 38
    rnd = Round.objects.get(title=demo.ROUND_TITLE)
    assert rnd.status == "reviewing" and rnd.assignments.count() == 24
    # named in English too: the round, its form and its criteria (english9)
    assert (rnd.title_en, rnd.form.name_en) == (demo.ROUND_TITLE_EN, demo.FORM_NAME_EN)
    assert not rnd.form.criteria.filter(name_en="").exists()
    assert Review.objects.filter(assignment__round=rnd, status="submitted").count() == 6
    # expert7 worked at the maglev applicant until 2023: never assigned to its proposal.
    maglev = rnd.subjects.get(title__startswith="低真空管道")
    assert not Assignment.objects.filter(subject=maglev, expert__username="expert7").exists()
    assert rnd.conflicts.filter(subject=maglev, expert__username="expert7", rule="past_unit").exists()
    # expert1 named the maglev team leader as a collaborator.
    assert rnd.conflicts.filter(subject=maglev, expert__username="expert1", rule="collaborator").exists()


def test_demo_has_a_provincial_call_with_its_letter_review_finished(db):
    from kechuang.accounts import demo as accounts_demo
    from kechuang.programmes.models import Call
    from kechuang.review import demo, selectors
    from kechuang.review.models import CallStageRound

    accounts_demo.load()
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    call = Call.objects.get(title=demo.PROGRAMME_CALL)
    assert call.stage["name"] == "答辩"
    link = CallStageRound.objects.get(call=call)
    assert link.stage_key == "s5" and link.round.status == "closed"
    assert link.form_version.definition.name == "重点研发计划专家评审表"
    rows = selectors.mean_ranking(round=link.round)
    assert [r["rank"] for r in rows] == [1, 2] and all(r["n"] == 3 for r in rows)
    assert rows[0]["subject"].title.startswith("8 英寸碳化硅")


def test_the_demo_call_shows_its_formal_check_to_staff_and_to_each_applicant(db, client):
    """The 省重点研发计划 demo as a browser sees it (#18): staff see both applications passed at 形式审查 with
    their checklists; each applicant sees their own outcome and why they can no longer change it."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from kechuang.accounts import demo as accounts_demo
    from kechuang.programmes.models import Call
    from kechuang.review import demo

    accounts_demo.load()
    demo.load(stdout=io.StringIO())
    call = Call.objects.get(title=demo.PROGRAMME_CALL)
    users = get_user_model().objects
    client.force_login(users.get(username="staff"))
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "正式申报 2 份：待审查 0，通过 2，退回补正 0，不通过 0。" in page
    listing = client.get(reverse("programmes:formal-list", args=[call.pk]))
    assert listing.status_code == 200 and "结果只能查看" in listing.content.decode()
    for username, title in demo.PROGRAMME_PROJECTS:
        client.force_login(users.get(username=username))
        page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
        assert title in page and "形式审查通过" in page and "已通过形式审查，材料不能再修改。" in page
