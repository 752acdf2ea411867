"""A challenge list whose programme version has a pre-application stage (预申报, issue #18): units submit the
stage's short form within its days; staff invite some to the formal application and decline others with a
reason the applicant sees; only an invited unit opens and submits the formal application; the pages and the
API say why a button is missing. A version without the stage: unchanged (every other test of the app)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.challenges import programme, services
from kechuang.challenges.models import PreApplication
from kechuang.challenges.tests.factories import CRITERIA, TopicFactory
from kechuang.challenges.tests.test_programme_stages import (
    PRE_FIELDS,
    PRE_VALUES,
    at,
    pre_form,
    publish,
    variant,
)
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

FIELDS = PRE_FIELDS


def with_pre(staff, *, days=10, form=True, fields=FIELDS):
    stages = variant()
    stage = {"key": "s20", "kind": "pre_application", "name": "预申报", "days": days, "rules": {}}
    stage["form"] = pre_form(staff, fields).pk if form else None
    stages.insert(1, stage)
    return stages


def new_list(staff, code="JB-PRE-001"):
    with time_machine.travel(at(2027, 3, 1), tick=False):
        ch = services.challenge_create(
            actor=staff,
            code=code,
            year=2027,
            topic=TopicFactory(),
            title="预申报榜单",
            problem="突破8英寸碳化硅单晶生长",
            budget_ceiling=Decimal("1000"),
            deadline=at(2027, 4, 1, 17),
            criteria=[dict(c) for c in CRITERIA],
            indicators=[{"name": "晶圆直径", "unit": "英寸", "baseline": 6, "target": 8}],
        )
        services.challenge_publish(actor=staff, challenge=ch)
    ch.refresh_from_db()
    return ch


def unit_user():
    return UserFactory(roles=[Role.APPLICANT], unit=UnitFactory())


def formal(user, ch):
    app = services.application_create(
        actor=user, challenge=ch, title="8英寸SiC衬底", plan="PVT法", budget_requested=Decimal("700")
    )
    services.application_milestones_set(
        actor=user,
        application=app,
        milestones=[{"title": "中试线", "month": 12, "tranche": "700", "targets": {"晶圆直径": "8"}}],
    )
    return services.application_submit(actor=user, application=app)


GOOD = PRE_VALUES


def test_the_kind_is_no_longer_refused_but_a_stage_without_its_form_or_with_a_file_field_is(staff):
    version = publish(staff, with_pre(staff))
    assert "pre_application" in [s["kind"] for s in version.stages]
    with pytest.raises(ApplicationError, match="“预申报”环节须选择一张预申报表"):
        publish(staff, with_pre(staff, form=False))
    upload = {"kind": "file", "label": "证明", "required": False}
    with pytest.raises(ApplicationError, match="预申报表不能有附件栏目"):
        publish(staff, with_pre(staff, fields=[*FIELDS, upload]))


def test_the_journey_pre_apply_shortlist_then_only_the_invited_apply_formally(staff):
    publish(staff, with_pre(staff, days=10))
    ch = new_list(staff)
    assert programme.runs_pre_application(ch) and programme.pre_closes_on(ch) == datetime.date(2027, 3, 11)
    a, b, late = unit_user(), unit_user(), unit_user()
    with time_machine.travel(at(2027, 3, 5), tick=False):
        # not yet invited: no formal application
        with pytest.raises(ApplicationError, match="未获邀请正式申报：本榜单先预申报"):
            formal(a, ch)
        with pytest.raises(InvalidTransition, match="项目简介"):
            services.pre_application_submit(actor=a, challenge=ch, values={"f2": "700"})
        assert not PreApplication.objects.exists()  # a refused submission keeps nothing
        pa = services.pre_application_submit(actor=a, challenge=ch, values=GOOD)
        pb = services.pre_application_submit(actor=b, challenge=ch, values=GOOD)
        assert pa.status == "submitted" and pa.form_version == programme.pre_form(ch)
        assert pa.values == GOOD
        with pytest.raises(ApplicationError, match="已提交过"):
            services.pre_application_submit(actor=a, challenge=ch, values=GOOD)
        with pytest.raises(ApplicationError, match="预申报已提交，等待科技厅遴选"):
            formal(a, ch)
        with pytest.raises(PermissionDenied):
            services.pre_application_shortlist(actor=b, pre_application=pa, invite=True)
        with pytest.raises(InvalidTransition, match="理由"):
            services.pre_application_shortlist(actor=staff, pre_application=pb, invite=False)
        services.pre_application_shortlist(actor=staff, pre_application=pa, invite=True)
        services.pre_application_shortlist(
            actor=staff, pre_application=pb, invite=False, reason="技术路线与榜单需求不符"
        )
        with pytest.raises(InvalidTransition):  # decided once
            services.pre_application_shortlist(actor=staff, pre_application=pb, invite=True)
    with time_machine.travel(at(2027, 3, 12), tick=False):
        with pytest.raises(InvalidTransition, match="预申报已于2027年3月11日截止"):
            services.pre_application_submit(actor=late, challenge=ch, values=GOOD)
        app = formal(a, ch)
        assert app.status == "submitted"
        with pytest.raises(ApplicationError, match="未获邀请正式申报：技术路线与榜单需求不符"):
            formal(b, ch)
    trail = set(AuditEvent.objects.for_object(pa).values_list("action", flat=True))
    assert {"pre_application.create", "pre_application.submit", "pre_application.shortlist"} <= trail


def test_the_submit_guard_holds_even_for_a_draft_made_before_the_stage_rules(staff):
    """A formal application of a uninvited unit cannot be submitted, however it came to exist."""
    publish(staff, with_pre(staff, days=0))
    ch = new_list(staff, code="JB-PRE-002")
    a = unit_user()
    with time_machine.travel(at(2027, 3, 5), tick=False):
        pa = services.pre_application_submit(actor=a, challenge=ch, values=GOOD)
        services.pre_application_shortlist(actor=staff, pre_application=pa, invite=True)
        app = services.application_create(actor=a, challenge=ch, title="t", plan="p", budget_requested=0)
        PreApplication.objects.filter(pk=pa.pk).update(status="declined", decision_note="撤销邀请")
        with pytest.raises(InvalidTransition, match="未获邀请正式申报"):
            services.application_submit(actor=a, application=app)


def test_the_pages_say_why_a_button_is_missing_and_staff_shortlist_on_the_web(staff, client_for):
    publish(staff, with_pre(staff, days=10))
    ch = new_list(staff, code="JB-PRE-003")
    a = unit_user()
    with time_machine.travel(at(2027, 3, 5), tick=False):
        web = client_for(a)
        page = web.get(ch.get_absolute_url()).content.decode()
        assert (
            "未获邀请正式申报：本榜单先预申报" in page
            and reverse("challenges:pre-apply", args=[ch.pk]) in page
        )
        assert "我要揭榜" not in page
        create = web.get(reverse("challenges:application-create", args=[ch.pk]))
        assert create.status_code == 302 and create.url == reverse("challenges:pre-apply", args=[ch.pk])
        url = reverse("challenges:pre-apply", args=[ch.pk])
        form = web.get(url).content.decode()
        assert "项目简介" in form and "预申报截止 2027年3月11日" in form
        bad = web.post(url, {"f2": "700"})
        assert bad.status_code == 400 and "700" in bad.content.decode()  # the input kept
        assert web.post(url, GOOD).status_code == 302
        mine = web.get(url).content.decode()
        assert "已提交预申报" in mine and GOOD["f1"] in mine and "等待科技厅遴选" in mine
        pre = PreApplication.objects.get(challenge=ch)
        desk = client_for(staff)
        listing = desk.get(reverse("challenges:pre-application-list", args=[ch.pk])).content.decode()
        assert GOOD["f1"] in listing and "邀请正式申报" in listing
        shortlist = reverse("challenges:pre-application-shortlist", args=[pre.pk])
        assert web.post(shortlist, {"action": "invite", "confirm": "1"}).status_code == 403
        # decided once: not without the ticked confirmation, and the reason typed is kept on the page
        unticked = desk.post(shortlist, {"action": "decline", "reason": "与榜单需求不符"})
        assert unticked.status_code == 400
        assert (
            "请勾选确认" in unticked.content.decode()
            and 'value="与榜单需求不符"' in unticked.content.decode()
        )
        no_reason = desk.post(shortlist, {"action": "decline", "confirm": "1"})  # refused, nothing changes
        assert no_reason.status_code == 400 and "理由" in no_reason.content.decode()
        pre.refresh_from_db()
        assert pre.status == "submitted"
        desk.post(shortlist, {"action": "decline", "reason": "与榜单需求不符", "confirm": "1"})
        pre.refresh_from_db()
        assert pre.status == "declined"
        mine = web.get(url).content.decode()
        assert "未获邀请正式申报" in mine and mine.count("与榜单需求不符") == 1  # the reason said once
        page = web.get(ch.get_absolute_url()).content.decode()
        assert "未获邀请正式申报：与榜单需求不符" in page


def test_the_api_submits_lists_and_shortlists(staff, client_for):
    publish(staff, with_pre(staff, days=10))
    ch = new_list(staff, code="JB-PRE-004")
    a, other = unit_user(), unit_user()
    url = reverse("api:challenges-challenge-pre-applications", args=[ch.pk])
    with time_machine.travel(at(2027, 3, 5), tick=False):
        api = client_for(a)
        bad = api.post(url, {"values": {"f2": "700"}}, content_type="application/json")
        assert bad.status_code == 409 and "项目简介" in bad.json()["error"]["message"]
        assert api.post(url, {"values": "x"}, content_type="application/json").status_code == 400
        made = api.post(url, {"values": GOOD, "confirm": True}, content_type="application/json")
        assert made.status_code == 201 and made.json()["status"] == "submitted"
        assert client_for(other).get(url).json() == []  # another unit sees none of it
        assert [p["unit"] for p in client_for(staff).get(url).json()] == [a.unit.name]
        shortlist = reverse("api:challenges-pre-application-shortlist", args=[made.json()["id"]])
        assert (
            api.post(
                shortlist, {"action": "invite", "confirm": True}, content_type="application/json"
            ).status_code
            == 403
        )
        done = client_for(staff).post(
            shortlist, {"action": "invite", "confirm": True}, content_type="application/json"
        )
        assert done.status_code == 200 and done.json()["status"] == "invited"
        assert api.get(url).json()[0]["status_label"] == "已获邀请正式申报"
