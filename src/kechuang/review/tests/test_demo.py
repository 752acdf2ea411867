import io

from kechuang.review.models import Assignment, ExpertProfile, Review, Round


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
