"""The expert-assignment job's result (review.jobs.assign_round) reads the round by its name on the job page,
never by its id (core.display.result_rows reads the keys that name rows, REFS, as the audit trail does)."""

from django.utils import translation

from kechuang.core.display import result_rows


def test_a_job_result_names_its_round_by_the_round_s_name_not_its_id(reviewing_round):
    rnd, _subjects, _experts = reviewing_round
    rnd.title, rnd.title_en = "第九十九轮评审", "Round ninety-nine"
    rnd.save(update_fields=["title", "title_en"])
    result = {"round": rnd.pk, "objective": 3, "assignments": 12, "url": "/x/"}
    with translation.override("zh-hans"):
        rows = dict(result_rows(result))
    assert rows["评审轮次"] == "第九十九轮评审"
    with translation.override("en"):
        rows = dict(result_rows(result))
    assert "Round ninety-nine" in rows.values()
    assert str(rnd.pk) not in rows.values()


def test_a_round_deleted_since_reads_as_a_dash(reviewing_round):
    rnd, _subjects, _experts = reviewing_round
    with translation.override("zh-hans"):
        rows = dict(result_rows({"round": rnd.pk + 10_000}))
    assert rows == {"评审轮次": "—"}
