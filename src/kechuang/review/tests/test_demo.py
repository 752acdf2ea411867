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
