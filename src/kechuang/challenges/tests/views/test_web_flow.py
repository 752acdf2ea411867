"""The same lifecycle through the web, as each role: the public, applicants, staff, an expert (through the
review app's services) and commissioners. Refusals are 403/404 or a readable message, never a 500."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.models import Application, Challenge, Contract, Milestone, Result
from kechuang.challenges.tests.factories import TopicFactory
from kechuang.core.formkinds import rows_post
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

TZ = datetime.timezone(datetime.timedelta(hours=8))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def post(client, name, *args, data=None, files=None, follow=False):
    payload = dict(data or {})
    if files:
        payload.update(files)
    return client.post(reverse(f"challenges:{name}", args=args), payload, follow=follow)


def msgs(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.mark.django_db
def test_challenge_through_the_web(make_user, client_for, client):
    from kechuang.review import services as review_services
    from kechuang.review.models import Review
    from kechuang.review.tests.factories import ExpertProfileFactory

    staff = make_user(Role.STAFF)
    firm = UnitFactory(name="大同高速飞车科技有限公司")
    applicant = make_user(Role.APPLICANT, unit=firm)
    applicant2 = make_user(Role.APPLICANT)
    commissioner = make_user(Role.COMMISSIONER)
    commissioner2 = make_user(Role.COMMISSIONER)
    expert = ExpertProfileFactory().user
    topic = TopicFactory(title="低真空管道磁悬浮", track="pilot")
    s, a, a2, c1, c2, ex = (
        client_for(u) for u in (staff, applicant, applicant2, commissioner, commissioner2, expert)
    )

    with time_machine.travel(at(2026, 3, 1), tick=False):
        # Staff draft and publish; the draft is invisible to the public.
        r = post(
            s,
            "challenge-create",
            data={
                "code": "JB-2026-007",
                "year": 2026,
                "topic": topic.pk,
                "title": "低真空管道高速磁浮试验线关键技术",
                "problem": "低真空管道内高速磁浮的悬浮导向与牵引",
                "budget_ceiling": "2000",
                "cofund_share": "0",
                "duration_months": 24,
                "max_active_per_leader": 2,
                "deadline": "2026-04-01T17:00",
                "max_winners": 1,
                **rows_post(
                    "indicators_text",
                    [
                        {"name": "试验速度", "unit": "km/h", "baseline": "200", "target": "600"},
                        {
                            "name": "管道真空度",
                            "unit": "kPa",
                            "baseline": "10",
                            "target": "1",
                            "direction": "lower",
                        },
                    ],
                ),
                **rows_post(
                    "criteria_text",
                    [
                        {"code": "tech", "name": "技术先进性", "weight": "0.5"},
                        {"code": "team", "name": "团队能力", "weight": "0.2"},
                        {"code": "plan", "name": "实施方案", "weight": "0.3"},
                    ],
                ),
            },
        )
        ch = Challenge.objects.get(code="JB-2026-007")
        assert r.status_code == 302 and ch.status == "draft" and ch.indicators.count() == 2
        assert client.get(ch.get_absolute_url()).status_code == 404
        assert post(a, "challenge-action", ch.pk, "publish").status_code == 403  # applicants cannot publish
        # The page asks first: what publishing does, with the deadline (issue #13.3).
        detail = s.get(ch.get_absolute_url()).content.decode()
        assert reverse("challenges:challenge-confirm", args=[ch.pk, "publish"]) in detail
        asks = s.get(reverse("challenges:challenge-confirm", args=[ch.pk, "publish"])).content.decode()
        assert "将会发生" in asks and "前揭榜" in asks and "/do/publish/" in asks
        assert a.get(reverse("challenges:challenge-confirm", args=[ch.pk, "publish"])).status_code == 403
        post(s, "challenge-action", ch.pk, "publish")
        ch.refresh_from_db()
        assert ch.status == "published"
        page = client.get(reverse("challenges:challenge-list"))
        assert page.status_code == 200 and "低真空管道高速磁浮试验线关键技术" in page.content.decode()
        assert "600" in client.get(ch.get_absolute_url()).content.decode()

        # The applicant applies, uploads files (content-sniffed), submits.
        r = post(
            a,
            "application-create",
            ch.pk,
            data={
                "title": "600公里低真空管道磁浮",
                "plan": "高温超导电动悬浮方案",
                "budget_requested": "1500",
                "budget_self": "500",
                **rows_post("team_text", [{"name": "钱工", "title": "研究员", "duty": "悬浮导向"}]),
                # a stage target per indicator of the call: 试验速度 (target_0), 管道真空度 (target_1)
                **rows_post(
                    "milestones_text",
                    [
                        {"title": "试验线贯通", "month": "12", "tranche": "800", "target_0": "300"},
                        {
                            "title": "600公里试验",
                            "month": "24",
                            "tranche": "700",
                            "target_0": "600",
                            "target_1": "1",
                        },
                    ],
                ),
            },
        )
        app = Application.objects.get(challenge=ch)
        assert r.status_code == 302 and app.members.count() == 1 and app.milestones.count() == 2
        fake = io.BytesIO(PDF)
        fake.name = "计划.docx"  # a PDF renamed .docx: refused by content
        # refused: the application's page again, why beside the file and the kind kept (400; it was a message)
        r = post(a, "attachment-upload", app.pk, data={"kind": "plan"}, files={"file": fake})
        assert r.status_code == 400 and "不符" in r.content.decode() and app.attachments.count() == 0
        exe = io.BytesIO(b"MZ\x90\x00binary")
        exe.name = "方案.pdf"
        r = post(a, "attachment-upload", app.pk, data={"kind": "plan"}, files={"file": exe})
        assert r.status_code == 400 and "可执行程序" in r.content.decode()
        good = io.BytesIO(docx_bytes())
        good.name = "方案.docx"
        post(a, "attachment-upload", app.pk, data={"kind": "plan"}, files={"file": good})
        assert app.attachments.count() == 1
        att = app.attachments.get()
        assert a.get(reverse("challenges:attachment-download", args=[att.pk])).status_code == 200
        assert a2.get(reverse("challenges:attachment-download", args=[att.pk])).status_code == 404
        assert a2.get(app.get_absolute_url()).status_code == 404  # another unit's application
        assert ex.get(reverse("challenges:application-list")).status_code == 403
        post(a, "application-action", app.pk, "submit")
        app.refresh_from_db()
        assert app.status == "submitted"
        # an applicant cannot pass their own formal check: refused (403), not a form error
        assert post(a, "application-action", app.pk, "pass_formal", follow=True).status_code == 403
        app.refresh_from_db()
        assert app.status == "submitted"

    with time_machine.travel(at(2026, 4, 2), tick=False):
        r = post(a, "application-action", app.pk, "withdraw")  # refused on the page (400), not a message
        assert r.status_code == 400 and "截止" in r.content.decode()
        asks = s.get(reverse("challenges:challenge-confirm", args=[ch.pk, "close"])).content.decode()
        assert "不再接受新的申请" in asks and "现在还不能执行" not in asks
        assert "截止，不再接受申请" in client.get(ch.get_absolute_url()).content.decode()  # says when
        post(s, "challenge-action", ch.pk, "close")
        assert "本榜单已截止，不再接受申请" in client.get(ch.get_absolute_url()).content.decode()
        post(s, "application-action", app.pk, "pass_formal", data={"reason": "材料齐全"})
        app.refresh_from_db()
        assert (app.status, app.formal_note) == ("formal_passed", "材料齐全")

        # Expert review through the review app: a round, an expert assigned by hand, a submitted review.
        post(s, "challenge-review", ch.pk, data={"mode": "round", "k": 1})
        app.refresh_from_db()
        assert app.status == "under_review"
        from kechuang.challenges.services import review_round_of

        ch.refresh_from_db()
        rnd = review_round_of(ch)
        assert rnd is not None
        r = post(
            s, "challenge-review", ch.pk, data={"mode": "round", "k": 1}
        )  # on the page (400), not a message
        assert r.status_code == 400 and "已创建评审轮次" in r.content.decode()
        post(
            s,
            "challenge-review",
            ch.pk,
            data={"mode": "assign", "application": app.pk, "expert": expert.pk, "reason": "领域匹配"},
        )
        review_services.round_transition(actor=staff, round=rnd, action="assign")
        review_services.round_transition(actor=staff, round=rnd, action="start")
        review = Review.objects.get(assignment__expert=expert)
        review = review_services.review_open(actor=expert, review=review)
        review = review_services.review_save(
            actor=expert,
            review=review,
            expected_version=review.version,
            # the sheet is the 揭榜挂帅 review form's: 技术先进性 40, 团队能力 30, 实施方案 30 分 (#18)
            scores={"tech": 36, "team": 24, "plan": "25.5"},
            comments="方案可行",
            opinion="建议支持",
            recommendation="support",
        )
        review_services.review_submit(actor=expert, review=review)
        assert s.get(reverse("challenges:challenge-review", args=[ch.pk])).status_code == 200
        post(s, "challenge-review", ch.pk, data={"mode": "import"})
        app.refresh_from_db()
        # 0.5*36/40 + 0.2*24/30 + 0.3*25.5/30 = 0.865 of a 100-point form
        assert app.review_rank == 1 and app.review_score == Decimal("86.50")
        decision = s.get(reverse("challenges:challenge-decision", args=[ch.pk])).content.decode()
        assert "86.50（1）" in decision and "推荐 1 位" in decision

    with time_machine.travel(at(2026, 4, 5), tick=False):
        # The first button shows who is proposed and until when, and changes nothing.
        review = post(s, "challenge-decision", ch.pk, data={"winner": [app.pk], "days": 7, "step": "review"})
        app.refresh_from_db()
        assert app.status == "under_review" and "公示期至 2026年4月11日" in review.content.decode()
        post(s, "challenge-decision", ch.pk, data={"winner": [app.pk], "days": 7})
        app.refresh_from_db()
        assert app.status == "proposed"
        assert "600公里低真空管道磁浮" in client.get(reverse("challenges:awards")).content.decode()
        post(a2, "publicity", ch.pk, data={"application": app.pk, "text": "质疑试验速度指标"})
        objection = app.objections.get()
        # Refused after its confirmation: the confirmation page again with the reason, answering 400.
        r = post(s, "challenge-award", ch.pk)
        assert r.status_code == 400 and "公示期尚未结束" in r.content.decode()
        # The publicity page says why the award is not offered yet, and from when it is.
        notice = s.get(reverse("challenges:publicity", args=[ch.pk])).content.decode()
        assert "公示期至 2026年4月11日，次日起可确定揭榜方" in notice and "还有未答复的异议" in notice

    with time_machine.travel(at(2026, 4, 12), tick=False):
        post(s, "objection-answer", objection.pk, data={"upheld": "0", "answer": "指标经专家论证"})
        post(s, "challenge-award", ch.pk)
        contract = Contract.objects.get(application=app)
        assert contract.status == "draft"
        assert c1.get(contract.get_absolute_url()).status_code == 404  # not yet their project
        post(s, "contract-commissioner", contract.pk, data={"commissioner": commissioner.pk})
        post(s, "contract-action", contract.pk, "sign")
        contract.refresh_from_db()
        assert contract.status == "in_progress"
        assert c1.get(contract.get_absolute_url()).status_code == 200
        assert c2.get(contract.get_absolute_url()).status_code == 404

    m1 = contract.milestones.get(seq=1)
    with time_machine.travel(at(2027, 4, 1), tick=False):
        # Sessions last 8 hours: sign in again after travelling a year.
        a, c1, c2 = (client_for(u) for u in (applicant, commissioner, commissioner2))
        v = m1.values.get()
        r = post(
            a,
            "milestone-detail",
            m1.pk,
            data={"op": "report", "report": "试验线贯通", f"value_{v.indicator_id}": "320"},
        )
        assert r.status_code == 302
        m1.refresh_from_db()
        assert m1.status == "reported"
        assert c2.get(m1.get_absolute_url()).status_code == 404
        assert post(c2, "milestone-detail", m1.pk, data={"op": "verify", "confirm": "1"}).status_code == 404
        r = post(a, "milestone-detail", m1.pk, data={"op": "verify", "confirm": "1"}, follow=True)
        assert "专员" in msgs(r)
        post(c1, "milestone-detail", m1.pk, data={"op": "verify", "reason": "现场核查", "confirm": "1"})
        m1.refresh_from_db()
        assert m1.status == "verified" and m1.verified_by == commissioner
        dash = c1.get(reverse("web:dashboard"))
        assert dash.status_code == 200

    # The rest of the project through the services, then what the public sees.
    from kechuang.challenges import services

    m2 = contract.milestones.get(seq=2)
    with time_machine.travel(at(2028, 4, 1), tick=False):
        s, a = client_for(staff), client_for(applicant)
        services.milestone_report(
            actor=applicant, milestone=m2, report="600公里试验", values={"试验速度": 610, "管道真空度": "0.9"}
        )
        services.milestone_verify(actor=commissioner, milestone=m2)
        post(a, "contract-action", contract.pk, "request_acceptance")
        contract.refresh_from_db()
        assert contract.status == "acceptance"
        assert a.get(reverse("challenges:acceptance", args=[contract.pk])).status_code == 403
        inds = list(contract.indicators.order_by("seq"))
        post(
            s,
            "acceptance",
            contract.pk,
            data={
                "verdict": "passed",
                f"ind_{inds[0].pk}": "610",
                f"ind_{inds[1].pk}": "0.9",
                "opinion": "达标",
            },
        )
        contract.refresh_from_db()
        assert contract.status == "finished"
        post(
            a,
            "result-add",
            contract.pk,
            data={"kind": "product", "title": "600公里级低真空管道磁浮样车", "achieved_on": "2028-03-30"},
        )
        res = Result.objects.get(contract=contract)
        a.post(
            reverse("challenges:transfer-add", args=[res.pk]),
            {
                "kind": "licence",
                "counterparty": "某轨道交通集团",
                "amount": "3000",
                "transferred_on": "2028-04-01",
            },
        )
        assert res.transfers.count() == 1
        public = client.get(reverse("challenges:results")).content.decode()
        assert "600公里级低真空管道磁浮样车" in public and "3000" in public
        assert client.get(res.get_absolute_url()).status_code == 200
        xlsx = client.get(reverse("challenges:export-list-xlsx") + "?year=2026")
        assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        printed = client.get(reverse("challenges:export-list-print")).content.decode()
        assert "JB-2026-007" in printed and "试验速度≥600km/h" in printed
        awards = client.get(reverse("challenges:export-awards-print")).content.decode()
        assert "600公里低真空管道磁浮" in awards

    assert AuditEvent.objects.filter(action="milestone.verify", object_id=str(m1.pk)).exists()
    assert AuditEvent.objects.filter(action="challenge.publish", actor=staff).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 302), (Role.EXPERT, 403), (Role.COMMISSIONER, 403), (Role.APPLICANT, 403), (Role.OPERATOR, 403)],
)
def test_staff_pages_refused(make_user, client_for, role, expected):
    from kechuang.challenges.tests.factories import ChallengeFactory

    ch = ChallengeFactory(published=True)
    c = client_for(make_user(role) if role else None)
    for name, args in [
        ("challenge-create", []),
        ("challenge-review", [ch.pk]),
        ("challenge-decision", [ch.pk]),
        ("need-group", []),
        ("downselect", [ch.pk]),
    ]:
        assert c.get(reverse(f"challenges:{name}", args=args)).status_code == expected, name
    assert (
        c.post(reverse("challenges:challenge-action", args=[ch.pk, "cancel"]), {"reason": "x"}).status_code
        == expected
    )
    ch.refresh_from_db()
    assert ch.status == "published"


@pytest.mark.django_db
def test_public_pages_render(client, make_user, client_for):
    from kechuang.challenges.tests.factories import ChallengeFactory, ContractFactory

    ChallengeFactory(published=True, title="公开榜单")
    ContractFactory(running=True)
    for name in ["challenge-list", "awards", "results", "export-list-print", "export-awards-print"]:
        assert client.get(reverse(f"challenges:{name}")).status_code == 200, name
    staff = client_for(make_user(Role.STAFF))
    for name in [
        "challenge-list",
        "need-list",
        "topic-list",
        "application-list",
        "contract-list",
        "need-group",
        "challenge-create",
        "topic-create",
    ]:
        assert staff.get(reverse(f"challenges:{name}")).status_code == 200, name
    for c in Contract.objects.all():
        assert staff.get(c.get_absolute_url()).status_code == 200
    for m in Milestone.objects.all():
        assert staff.get(m.get_absolute_url()).status_code == 200
    assert client.get(reverse("web:home")).status_code == 200
    assert staff.get(reverse("web:dashboard")).status_code == 200


@pytest.mark.django_db
def test_staff_group_needs_into_a_topic_and_edit_a_draft(make_user, client_for):
    from kechuang.challenges.models import Need, Topic
    from kechuang.challenges.tests.factories import ChallengeFactory, NeedFactory

    staff = make_user(Role.STAFF)
    s = client_for(staff)
    n1 = NeedFactory(title="碳化硅衬底", problem="8英寸碳化硅单晶衬底生长工艺，降低微管密度")
    n2 = NeedFactory(title="碳化硅良率", problem="碳化硅单晶生长微管密度高，衬底良率低")
    NeedFactory(title="胶原蛋白", problem="重组人源胶原蛋白规模化发酵与纯化")
    page = s.get(reverse("challenges:need-group") + "?threshold=0.2").content.decode()
    assert "碳化硅衬底" in page and "确认创建课题" in page
    r = s.post(
        reverse("challenges:need-group"),
        {
            "need": [n1.pk, n2.pk],
            "title": "碳化硅课题",
            "track": "industrialisation",
            "trl_baseline": 5,
            "trl_target": 8,
            "description": "",
        },
    )
    topic = Topic.objects.get(title="碳化硅课题")
    assert r.status_code == 302 and set(topic.needs.all()) == {n1, n2}
    assert Need.objects.filter(topic__isnull=True).count() == 1
    # TRL target below baseline: a form error, nothing written.
    r = s.post(reverse("challenges:topic-create"), {"title": "倒挂课题", "trl_baseline": 7, "trl_target": 3})
    assert r.status_code == 400 and not Topic.objects.filter(title="倒挂课题").exists()

    ch = ChallengeFactory()
    form = s.get(reverse("challenges:challenge-edit", args=[ch.pk])).context["form"]
    rows = ("indicators_text", "criteria_text")
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in ("unit_kinds", "cofunder", *rows)
    }
    for name in rows:  # the rows as the edit form shows them (core.formkinds)
        data.update(rows_post(name, form.initial[name], initial=len(form.initial[name])))
    data.update(
        {"topic": ch.topic_id, "deadline": "2030-01-01T10:00", "title": "改过的标题", "version": ch.version}
    )
    r = s.post(reverse("challenges:challenge-edit", args=[ch.pk]), data)
    ch.refresh_from_db()
    assert r.status_code == 302 and ch.title == "改过的标题" and ch.version == 2
    data["title"] = "过期版本的修改"  # the page still holds version 1
    r = s.post(reverse("challenges:challenge-edit", args=[ch.pk]), data)
    # refused as stale: 400, the page again with the reason and what was typed (#13.4)
    assert r.status_code == 400 and "已被他人修改" in r.content.decode()
    assert "过期版本的修改" in r.content.decode()
    ch.refresh_from_db()
    assert ch.title == "改过的标题"
    r = s.post(reverse("challenges:challenge-action", args=[ch.pk, "cancel"]), {"reason": ""})
    assert r.status_code == 400 and "理由" in r.content.decode()  # the confirmation again, with why
    s.post(reverse("challenges:challenge-action", args=[ch.pk, "cancel"]), {"reason": "需求方撤回"})
    ch.refresh_from_db()
    assert ch.status == "cancelled"
    assert s.get(reverse("challenges:challenge-edit", args=[ch.pk])).status_code == 403


@pytest.mark.django_db
def test_flag_job_from_the_page_and_the_celery_task(make_user, client_for):
    from kechuang.challenges.tasks import flag_milestones_daily
    from kechuang.challenges.tests.factories import ContractFactory
    from kechuang.core.models import Job

    ContractFactory(running=True)
    r = client_for(make_user(Role.STAFF)).post(reverse("challenges:flag-run"))
    job = Job.objects.get(kind="challenges.flag_milestones")
    assert r.status_code == 302 and r["Location"] == job.get_absolute_url()
    assert client_for(make_user(Role.COMMISSIONER)).post(reverse("challenges:flag-run")).status_code == 403
    with time_machine.travel(datetime.datetime(2027, 1, 5, 9, tzinfo=datetime.UTC), tick=False):
        assert flag_milestones_daily() == "succeeded"
    done = Job.objects.filter(kind="challenges.flag_milestones", state="succeeded").get()
    assert done.result["overdue"] == 1 and done.result["checked"] == 2


@pytest.mark.django_db
def test_track_chart_counts_only_what_the_user_sees(client, make_user, client_for):
    from kechuang.challenges.selectors import challenge_stats
    from kechuang.challenges.tests.factories import ChallengeFactory

    ChallengeFactory(published=True, topic=TopicFactory(track="carbon"))
    ChallengeFactory(published=True, topic=TopicFactory(track="carbon"))
    ChallengeFactory(topic=TopicFactory(track="frontier"))  # a draft
    public = challenge_stats(user=None)
    assert public["tracks"] == ["成熟技术产业化", "中试放大攻关", "前沿技术", "碳达峰碳中和"]
    assert public["series"] == [{"name": "已发榜", "data": [0, 0, 0, 2]}]
    staff = challenge_stats(user=make_user(Role.STAFF))
    assert {s["name"]: s["data"] for s in staff["series"]} == {"草稿": [0, 0, 1, 0], "已发榜": [0, 0, 0, 2]}
    page = client.get(reverse("challenges:challenge-list")).content.decode()
    assert 'id="track-data"' in page and "echarts.min.js" in page
