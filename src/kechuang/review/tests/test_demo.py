import io

import pytest

from kechuang.core import dbtemplate
from kechuang.review.models import Assignment, ExpertProfile, Review, Round

pytestmark = pytest.mark.slow  # scheduled first: tools/runtests.py, conftest


@pytest.fixture(scope="module")
def demo_province(django_db_setup, django_db_blocker):
    """The whole demo province as `kechuang demo` loads it, review's part in its place (dbtemplate.demo_load:
    the run's demo template, else the command run here); taken away after the module. Each test here loaded
    accounts' and review's parts itself (three first loads, about 20 s of CPU a run); a test's second load of
    review's part, in its own transaction, is rolled back with it."""
    with django_db_blocker.unblock():
        yield dbtemplate.demo_load()
        dbtemplate.demo_unload()


def test_demo_loads_twice_without_duplicates(demo_province, db):
    from kechuang.review import demo

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


def test_demo_has_a_provincial_call_with_its_letter_review_finished(demo_province, db):
    from kechuang.programmes.models import Call
    from kechuang.review import demo, selectors
    from kechuang.review.models import CallStageRound

    demo.load(stdout=io.StringIO())  # loaded again: still one call, its review closed
    call = Call.objects.get(title=demo.PROGRAMME_CALL)
    assert call.stage["name"] == "答辩"
    link = CallStageRound.objects.get(call=call)
    assert link.stage_key == "s5" and link.round.status == "closed"
    assert link.form_version.definition.name == "重点研发计划专家评审表"
    rows = selectors.mean_ranking(round=link.round)
    assert [r["rank"] for r in rows] == [1, 2] and all(r["n"] == 3 for r in rows)
    assert rows[0]["subject"].title.startswith("8 英寸碳化硅")


def test_the_demo_call_shows_its_formal_check_to_staff_and_to_each_applicant(demo_province, db, client):
    """The 省重点研发计划 demo as a browser sees it (#18): staff see both applications passed at 形式审查 with
    their checklists; each applicant sees their own outcome and why they can no longer change it."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from kechuang.programmes.models import Call
    from kechuang.review import demo

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
