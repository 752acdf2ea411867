"""The duplicate check on the database: pairs found on submission (this call, earlier calls, by text or by
team), the job and the rebuild, the decision (audited), the pages and the roles refused."""

import pytest
from django.urls import reverse

from kechuang.challenges import services
from kechuang.challenges.models import ApplicationMember, DuplicateIndexEntry, DuplicatePair
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory
from kechuang.core.exceptions import InvalidTransition, PermissionDenied
from kechuang.core.jobs import job_run
from kechuang.core.models import AuditEvent, Job
from kechuang.core.roles import Role, SystemActor

PLAN = (
    "采用物理气相传输法生长8英寸碳化硅单晶，优化热场与温度梯度设计。"
    "建立微管与位错缺陷的在线检测方法，形成衬底加工与抛光工艺包。"
    "建成年产五万片的中试线，良率达到百分之七十以上。"
)
COPY = PLAN.replace("优化", "改进").replace("五万", "六万")
OTHER = "研制连续变量量子密钥分发系统，提升成码率与传输距离，完成城域网络示范与标准制定。"


@pytest.fixture
def apps(db):
    first = ApplicationFactory(plan=PLAN, title="碳化硅衬底产业化", submitted=True)
    other = ApplicationFactory(plan=OTHER, title="量子密钥分发", submitted=True)
    later = ChallengeFactory(published=True)
    copy = ApplicationFactory(challenge=later, plan=COPY, title="碳化硅衬底产业化项目", submitted=True)
    return first, other, copy


def test_a_near_copy_in_another_call_is_found(staff, apps):
    first, other, copy = apps
    for a in (first, other):
        services.dedup_index(actor=staff, application=a)
    assert not DuplicatePair.objects.exists()
    [pair] = services.dedup_index(actor=staff, application=copy)
    assert (pair.left_id, pair.right_id) == (first.pk, copy.pk) and pair.text_score >= 0.6
    assert pair.status == "open"
    assert AuditEvent.objects.filter(action="duplicate_pair.found").count() == 1
    # re-indexing keeps one pair and its decision
    services.duplicate_decide(actor=staff, pair=pair, action="confirm", note="同一研究内容重复申报")
    services.dedup_index(actor=staff, application=copy)
    pair.refresh_from_db()
    assert DuplicatePair.objects.count() == 1 and pair.status == "confirmed"


def test_the_same_team_is_a_pair_whatever_the_text(staff, apps):
    first, other, _copy = apps
    ApplicationMember.objects.create(application=first, name="钱七")
    ApplicationMember.objects.create(application=other, name="钱七", unit=first.unit)
    ApplicationMember.objects.create(application=other, name=str(first.leader), unit=first.unit)
    ApplicationMember.objects.create(application=other, name="孙八")  # another unit's 孙八 is someone else
    ApplicationMember.objects.create(application=first, name="孙八")
    services.dedup_index(actor=staff, application=first)
    [pair] = services.dedup_index(actor=staff, application=other)
    assert pair.people_score >= 0.5 and "钱七" in pair.shared_people and pair.text_score < 0.6
    assert "孙八" not in pair.shared_people


def test_drafts_are_not_compared(staff, apps):
    first, _other, _copy = apps
    draft = ApplicationFactory(plan=PLAN, title="碳化硅衬底产业化")
    services.dedup_index(actor=staff, application=first)
    assert services.dedup_index(actor=staff, application=draft) == []
    assert DuplicateIndexEntry.objects.filter(application=first).exists()


def test_submission_queues_the_index_job(django_capture_on_commit_callbacks, staff):
    ApplicationFactory(plan=PLAN, title="碳化硅衬底产业化", submitted=True)
    services.dedup_rebuild(actor=staff)
    app = ApplicationFactory(plan=COPY, title="碳化硅衬底")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=app.leader, application=app)
    job = Job.objects.get(kind="challenges.dedup_index")
    job_run(job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result == {"pairs": 1}
    assert DuplicatePair.objects.filter(right=app).exists()


def test_rebuild_compares_everything_and_keeps_decisions(staff, apps):
    services.dedup_rebuild(actor=staff)
    pair = DuplicatePair.objects.get()
    services.duplicate_decide(actor=staff, pair=pair, action="clear", note="不同企业的独立方案")
    result = services.dedup_rebuild(actor=staff)
    assert result["pairs"] == 1 and DuplicatePair.objects.get().status == "cleared"
    with pytest.raises(PermissionDenied):
        services.dedup_rebuild(actor=SystemActor("someone"))


def test_decisions_need_a_note_and_staff(staff, make_user, apps):
    services.dedup_rebuild(actor=staff)
    pair = DuplicatePair.objects.get()
    with pytest.raises(InvalidTransition, match="需要填写理由"):
        services.duplicate_decide(actor=staff, pair=pair, action="confirm", note="")
    with pytest.raises(PermissionDenied):
        services.duplicate_decide(actor=make_user(Role.APPLICANT), pair=pair, action="clear", note="x")
    services.duplicate_decide(actor=staff, pair=pair, action="confirm", note="重复")
    with pytest.raises(InvalidTransition, match="不能执行"):
        services.duplicate_decide(actor=staff, pair=pair, action="clear", note="x")
    services.duplicate_decide(actor=staff, pair=pair, action="reopen", note="新材料")
    pair.refresh_from_db()
    assert pair.status == "open" and pair.decided_at is None
    actions = set(AuditEvent.objects.for_object(pair).values_list("action", flat=True))
    assert {"duplicate_pair.confirm", "duplicate_pair.reopen"} <= actions


def test_pages_for_staff_and_refused_to_others(client_for, staff, make_user, apps):
    first, _other, copy = apps
    services.dedup_rebuild(actor=staff)
    pair = DuplicatePair.objects.get()
    c = client_for(staff)
    page = c.get(reverse("challenges:duplicate-detail", args=[pair.pk])).content.decode()
    assert "采用物理气相传输法生长8英寸碳化硅单晶，优化热场与温度梯度设计。" in page
    assert "采用物理气相传输法生长8英寸碳化硅单晶，改进热场与温度梯度设计。" in page
    assert first.title in c.get(reverse("challenges:duplicate-list")).content.decode()
    assert pair.get_absolute_url() in c.get(copy.get_absolute_url()).content.decode()
    r = c.post(reverse("challenges:duplicate-decide", args=[pair.pk, "clear"]), {"note": "独立方案"})
    assert r.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "cleared"
    # the applicant sees no pair on their own application, and no duplicate page
    own = client_for(copy.leader)
    assert pair.get_absolute_url() not in own.get(copy.get_absolute_url()).content.decode()
    for role in (Role.APPLICANT, Role.EXPERT, Role.COMMISSIONER, Role.OPERATOR):
        rc = client_for(make_user(role))
        assert rc.get(reverse("challenges:duplicate-list")).status_code == 403
        assert rc.get(pair.get_absolute_url()).status_code == 403
        r = rc.post(reverse("challenges:duplicate-decide", args=[pair.pk, "reopen"]), {"note": "x"})
        assert r.status_code == 403
    pair.refresh_from_db()
    assert pair.status == "cleared"


def test_api_lists_pairs_and_decides(api_for, staff, make_user, apps):
    services.dedup_rebuild(actor=staff)
    pair = DuplicatePair.objects.get()
    c = api_for(staff)
    r = c.get(f"/api/challenges/applications/{pair.right_id}/duplicates/")
    assert r.status_code == 200 and r.json()[0]["id"] == pair.pk
    r = c.post(
        f"/api/challenges/duplicates/{pair.pk}/decide/", {"action": "confirm", "note": ""}, format="json"
    )
    assert r.status_code == 409 and "需要填写理由" in r.json()["error"]["message"]
    r = c.post(
        f"/api/challenges/duplicates/{pair.pk}/decide/", {"action": "confirm", "note": "重复"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    other = api_for(make_user(Role.APPLICANT))
    assert other.get(f"/api/challenges/applications/{pair.right_id}/duplicates/").status_code == 403
    assert (
        other.post(
            f"/api/challenges/duplicates/{pair.pk}/decide/", {"action": "reopen", "note": "x"}
        ).status_code
        == 403
    )


def test_a_refused_decision_keeps_the_note_and_a_second_one_says_who_decided(
    client_for, staff, make_user, apps
):
    services.dedup_rebuild(actor=staff)
    pair = DuplicatePair.objects.get()
    url = reverse("challenges:duplicate-decide", args=[pair.pk, "clear"])
    s = client_for(staff)
    # no note: the pair's page again, why beside the note (400; it was a message after a redirect)
    r = s.post(url, {"note": "  "})
    assert r.status_code == 400
    body = r.content.decode()
    assert 'aria-invalid="true"' in body and 'id="id_clear_note"' in body
    assert s.post(url, {"note": "独立方案"}).status_code == 302
    # another staff member's stale tab confirms it a copy: already decided, by whom and when, note kept
    r = client_for(make_user(Role.STAFF)).post(
        reverse("challenges:duplicate-decide", args=[pair.pk, "confirm"]), {"note": "两份方案雷同"}
    )
    assert r.status_code == 409
    main = r.content.decode().split("<main", 1)[1]
    assert "此事项已由" in main and "两份方案雷同" in main and "不构成重复" in main
    pair.refresh_from_db()
    assert pair.status == "cleared" and pair.note == "独立方案"
