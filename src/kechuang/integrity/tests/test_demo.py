import io

from kechuang.integrity.models import Record
from kechuang.review.models import Assignment, Round


def test_demo_loads_twice_and_the_barred_expert_is_left_out(db):
    from kechuang.accounts import demo as accounts_demo
    from kechuang.integrity import demo
    from kechuang.review import demo as review_demo

    accounts_demo.load()
    demo.load(stdout=io.StringIO())
    assert Record.objects.count() == 5
    demo.load(stdout=io.StringIO())
    assert Record.objects.count() == 5
    assert set(Record.objects.values_list("status", flat=True)) == {"in_force", "appealed", "revoked"}
    review_demo.load(stdout=io.StringIO())
    rnd = Round.objects.get(title=review_demo.ROUND_TITLE)
    barred = [reason for _uid, reason in rnd.solver_result["barred"]]
    assert len(barred) == 1 and barred[0].startswith("孙晓燕受科研诚信处理")
    assert not Assignment.objects.filter(expert__full_name="孙晓燕").exists()
