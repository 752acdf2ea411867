"""Joint applications (联合揭榜, issue #13.11): partner units with their roles, team members from any of the
application's units, who sees and who edits, the conflict rules and integrity restrictions seeing the
partners, the form (refused input kept, 400), the export and the API."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import selectors, services
from kechuang.challenges.models import Application, ApplicationPartner
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.formkinds import rows_post
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

from .factories import ApplicationFactory, ChallengeFactory

pytestmark = pytest.mark.django_db


def _partner(unit, role="participant", **kw):
    return {"unit": unit, "role": role, **kw}


# --- model and services --------------------------------------------------------------------------------


def test_partners_are_set_in_order_with_roles_and_audited_in_words():
    app = ApplicationFactory()
    a, b = UnitFactory(name="甲研究院"), UnitFactory(name="乙公司")
    services.application_partners_set(
        actor=app.leader,
        application=app,
        partners=[_partner(a, duty="晶体生长", budget="120"), _partner(b.pk, "demonstration")],
    )
    rows = list(app.partners.all())
    assert [(p.unit, p.role, p.seq, p.budget) for p in rows] == [
        (a, "participant", 1, Decimal("120")),
        (b, "demonstration", 2, Decimal("0")),
    ]
    assert app.units_with_roles() == [(app.unit, "牵头单位"), (a, "参与单位"), (b, "应用示范单位")]
    event = AuditEvent.objects.filter(action="application.partners_set").get()
    assert event.after["partners"] == ["甲研究院（参与单位，120 万元）", "乙公司（应用示范单位，0 万元）"]


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ("lead", "partner_is_lead"),
        ("twice", "partner_duplicate"),
        ("inactive", "partner_unit"),
        ("role", "partner_role"),
    ],
)
def test_refused_partner_lists_change_nothing(bad, code):
    app = ApplicationFactory()
    kept = UnitFactory()
    services.application_partners_set(actor=app.leader, application=app, partners=[_partner(kept)])
    other = UnitFactory()
    partners = {
        "lead": [_partner(app.unit)],
        "twice": [_partner(other), _partner(other.pk, "support")],
        "inactive": [_partner(UnitFactory(is_active=False))],
        "role": [_partner(other, "boss")],
    }[bad]
    with pytest.raises(ApplicationError) as exc:
        services.application_partners_set(actor=app.leader, application=app, partners=partners)
    assert exc.value.code == code and str(exc.value)
    assert [p.unit for p in app.partners.all()] == [kept]


def test_members_belong_to_the_lead_or_a_partner():
    app = ApplicationFactory()
    partner, stranger = UnitFactory(), UnitFactory()
    services.application_partners_set(
        actor=app.leader,
        application=app,
        partners=[_partner(partner)],
        members=[{"name": "王工", "unit_id": partner.pk}, {"name": "李工", "unit_id": app.unit_id}],
    )
    assert {m.name: m.unit_id for m in app.members.all()} == {"王工": partner.pk, "李工": None}
    with pytest.raises(ApplicationError) as exc:
        services.application_team_set(
            actor=app.leader, application=app, members=[{"name": "赵工", "unit": stranger}]
        )
    assert exc.value.code == "member_unit" and "赵工" in str(exc.value)
    # A partner its members still belong to is not removed alone; with the team replaced it is.
    with pytest.raises(ApplicationError) as exc:
        services.application_partners_set(actor=app.leader, application=app, partners=[])
    assert exc.value.code == "partner_has_members" and "王工" in str(exc.value)
    services.application_partners_set(
        actor=app.leader, application=app, partners=[], members=[{"name": "王工"}]
    )
    assert not app.partners.exists() and app.members.get().unit_id is None


def test_only_the_lead_unit_edits_the_partners_and_only_before_submission(make_user):
    app = ApplicationFactory()
    partner = UnitFactory()
    services.application_partners_set(actor=app.leader, application=app, partners=[_partner(partner)])
    partner_user = make_user(Role.APPLICANT, unit=partner)
    for actor in (partner_user, make_user(Role.STAFF), make_user(Role.APPLICANT)):
        with pytest.raises(PermissionDenied):
            services.application_partners_set(actor=actor, application=app, partners=[])
    Application.objects.filter(pk=app.pk).update(status="submitted")
    app.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.application_partners_set(actor=app.leader, application=app, partners=[])
    assert app.partners.count() == 1


def test_create_with_partners_is_one_transaction(make_user):
    ch = ChallengeFactory(published=True)
    user = make_user(Role.APPLICANT, unit=UnitFactory())
    with pytest.raises(ApplicationError):
        services.application_create(
            actor=user, challenge=ch, title="联合", partners=[_partner(UnitFactory()), _partner(user.unit)]
        )
    assert not Application.objects.filter(challenge=ch).exists()
    app = services.application_create(
        actor=user, challenge=ch, title="联合", partners=[_partner(UnitFactory())]
    )
    assert app.partners.count() == 1


# --- who sees ------------------------------------------------------------------------------------------


def test_a_partner_unit_reads_the_application_but_cannot_edit_or_submit(make_user, client_for):
    app = ApplicationFactory()
    partner = UnitFactory(name="合作研究所")
    services.application_partners_set(
        actor=app.leader, application=app, partners=[_partner(partner, "support", duty="检测")]
    )
    c = client_for(make_user(Role.APPLICANT, unit=partner))
    r = c.get(app.get_absolute_url())
    assert r.status_code == 200
    html = r.content.decode()
    assert "合作研究所" in html and "协作单位" in html and "牵头单位" in html
    assert f"申请由牵头单位“{app.unit}”修改和提交" in html  # why there is no button to change it
    assert reverse("challenges:application-edit", args=[app.pk]) not in html
    assert not r.context["actions"]
    assert c.get(reverse("challenges:application-edit", args=[app.pk])).status_code == 403
    r = c.post(reverse("challenges:application-action", args=[app.pk, "submit"]))
    assert r.status_code == 403
    app.refresh_from_db()
    assert app.status == "draft"
    assert app in selectors.application_list(user=c.session and make_user(Role.APPLICANT, unit=partner))
    assert client_for(make_user(Role.APPLICANT)).get(app.get_absolute_url()).status_code == 404


# --- conflict rules ------------------------------------------------------------------------------------


def test_the_review_subject_counts_partner_units_as_applicant_units():
    app = ApplicationFactory()
    partner = UnitFactory()
    services.application_partners_set(actor=app.leader, application=app, partners=[_partner(partner)])
    assert set(app.review_subject().unit_ids) == {app.unit_id, partner.pk}


def test_an_expert_from_a_partner_unit_is_never_assigned(make_user, client_for):
    from kechuang.review import services as rv
    from kechuang.review.models import Assignment
    from kechuang.review.tests.factories import ExpertProfileFactory

    staff = make_user(Role.STAFF)
    ch = ChallengeFactory(closed=True)
    app = ApplicationFactory(challenge=ch, status="formal_passed")
    partner = UnitFactory()
    ApplicationPartner.objects.create(application=app, unit=partner, role="participant")
    insider = ExpertProfileFactory(user__unit=partner).user
    outsider = ExpertProfileFactory().user
    # Two experts are wanted and the pool has two: the solver counts only one free of conflict.
    services.review_round_start(actor=staff, challenge=ch, k=2)
    ch.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        rv.round_assign(actor=staff, round=ch.review_round)
    assert exc.value.code == "infeasible" and f"{app.title} 只有 1 位" in str(exc.value)
    assert not Assignment.objects.filter(round_id=ch.review_round_id).exists()
    # One wanted: the outsider is assigned, never the partner unit's expert.
    ch.review_round.__class__.objects.filter(pk=ch.review_round_id).update(k=1)
    ch.refresh_from_db()
    rv.round_assign(actor=staff, round=ch.review_round)
    assigned = set(Assignment.objects.filter(round_id=ch.review_round_id).values_list("expert_id", flat=True))
    assert assigned == {outsider.pk}
    # By hand: refused with the reason.
    url = reverse("challenges:challenge-review", args=[ch.pk])
    r = client_for(staff).post(
        url, {"mode": "assign", "application": app.pk, "expert": insider.pk, "reason": "试试"}
    )
    assert r.status_code == 400 and "回避" in r.content.decode()
    assert not Assignment.objects.filter(expert=insider).exists()


def test_conflict_reasons_name_the_partner_unit():
    import datetime

    from kechuang.review.conflicts import (
        RULE_PAST_UNIT,
        RULE_SAME_UNIT,
        ExpertFacts,
        PastUnit,
        conflict_reasons,
    )

    app = ApplicationFactory()
    partner = UnitFactory(name="伙伴大学")
    ApplicationPartner.objects.create(application=app, unit=partner)
    subject = app.review_subject()
    today = datetime.date(2026, 6, 1)
    now_there = ExpertFacts(user_id=0, name="某专家", unit_id=partner.pk, unit_name="伙伴大学")
    was_there = ExpertFacts(
        user_id=0,
        name="某专家",
        unit_id=UnitFactory().pk,
        past_units=(PastUnit(partner.pk, "伙伴大学", datetime.date(2019, 1, 1), datetime.date(2024, 1, 1)),),
    )
    assert [r for r, _ in conflict_reasons(subject, now_there, today=today)] == [RULE_SAME_UNIT]
    assert [r for r, _ in conflict_reasons(subject, was_there, today=today)] == [RULE_PAST_UNIT]


# --- integrity -----------------------------------------------------------------------------------------


def test_a_restriction_on_a_partner_unit_blocks_as_on_the_lead(make_user):
    from kechuang.integrity.tests.factories import RecordFactory

    app = ApplicationFactory()
    partner = UnitFactory(name="失信单位")
    ApplicationPartner.objects.create(application=app, unit=partner)
    assert selectors.eligibility_problems(app) == []
    RecordFactory(unit=partner)
    assert any(p.startswith("合作单位“失信单位”受科研诚信处理") for p in selectors.eligibility_problems(app))
    with pytest.raises(InvalidTransition) as exc:
        services.application_submit(actor=app.leader, application=app)
    assert "合作单位“失信单位”" in str(exc.value)
    # … and at the formal check, when it began after submission.
    other = ApplicationFactory(submitted=True)
    later = UnitFactory(name="后来受限单位")
    ApplicationPartner.objects.create(application=other, unit=later)
    RecordFactory(unit=later)
    with pytest.raises(ApplicationError) as exc:
        services.formal_check(actor=make_user(Role.STAFF), application=other, passed=True)
    assert "后来受限单位" in str(exc.value)


def test_partner_budgets_beyond_the_total_make_it_ineligible():
    app = ApplicationFactory(budget_requested=Decimal("600"), budget_self=Decimal("100"))
    ApplicationPartner.objects.create(application=app, unit=UnitFactory(), budget=Decimal("500"))
    assert selectors.eligibility_problems(app) == []
    ApplicationPartner.objects.create(application=app, unit=UnitFactory(), budget=Decimal("201"))
    assert any("合作单位承担经费合计 701" in p for p in selectors.eligibility_problems(app))


# --- the form ------------------------------------------------------------------------------------------


def _form_post(app, *, partners=(), team=()):
    data = {
        "title": app.title,
        "plan": app.plan,
        "budget_requested": "600",
        "budget_self": "0",
        "version": str(app.version),
    }
    data |= rows_post(
        "milestones_text",
        [{"title": m.title, "month": m.month, "tranche": m.tranche} for m in app.milestones.all()],
    )
    data |= rows_post("partners_text", list(partners))
    data |= rows_post("team_text", list(team))
    return data


def test_the_form_takes_partners_and_a_member_of_a_partner_in_one_post(client_for):
    app = ApplicationFactory()
    partner = UnitFactory(name="联合实验室")
    url = reverse("challenges:application-edit", args=[app.pk])
    c = client_for(app.leader)
    page = c.get(url).content.decode()
    assert "合作单位（联合揭榜）" in page and "data-picker" in page and "所属单位" in page
    r = c.post(
        url,
        _form_post(
            app,
            partners=[{"unit": partner.pk, "role": "demonstration", "duty": "示范应用", "budget": "50"}],
            team=[{"name": "周工", "unit": partner.pk, "title": "研究员"}, {"name": "吴工", "unit": ""}],
        ),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    p = app.partners.get()
    assert (p.unit, p.role, p.duty, p.budget) == (partner, "demonstration", "示范应用", Decimal("50"))
    assert {m.name: m.unit_id for m in app.members.all()} == {"周工": partner.pk, "吴工": None}
    # Shown again on the edit page: the partner chosen in its picker, the member's unit selected.
    page = c.get(url).content.decode()
    assert f'<option value="{partner.pk}" selected>联合实验室</option>' in page


def test_a_refused_form_keeps_the_input_and_answers_400(client_for):
    app = ApplicationFactory()
    partner = UnitFactory(name="某合作单位")
    c = client_for(app.leader)
    url = reverse("challenges:application-edit", args=[app.pk])
    # The lead unit as its own partner, and a member of a unit that is not a partner.
    r = c.post(
        url,
        _form_post(
            app,
            partners=[{"unit": app.unit_id, "role": "participant", "duty": "自己"}, {"unit": partner.pk}],
            team=[{"name": "郑工", "unit": partner.pk, "title": "高工"}],
        ),
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "是牵头单位（本单位），不必列为合作单位" in html
    assert 'value="郑工"' in html and 'value="自己"' in html and "某合作单位" in html
    assert not app.partners.exists() and not app.members.exists()
    # A member whose unit was dropped from the partners in the same post: refused, said why.
    r = c.post(url, _form_post(app, partners=[], team=[{"name": "郑工", "unit": partner.pk}]))
    assert r.status_code == 400


def test_the_create_page_answers_400_with_the_input_kept(make_user, client_for):
    ch = ChallengeFactory(published=True)
    user = make_user(Role.APPLICANT, unit=UnitFactory())
    data = rows_post("partners_text", [{"unit": user.unit_id, "role": "participant"}])
    data |= {"title": "我的联合申请", "plan": "方案", "budget_requested": "10", "budget_self": "0"}
    data |= rows_post("milestones_text", [{"title": "M1", "month": "6", "tranche": "10"}])
    r = client_for(user).post(reverse("challenges:application-create", args=[ch.pk]), data)
    assert r.status_code == 400 and 'value="我的联合申请"' in r.content.decode()
    assert not Application.objects.filter(challenge=ch).exists()


# --- export and API ------------------------------------------------------------------------------------


def test_the_export_carries_the_partner_units(make_user, client_for):
    app = ApplicationFactory()
    ApplicationPartner.objects.create(application=app, unit=UnitFactory(name="出口合作单位"), role="support")
    r = client_for(make_user(Role.STAFF)).get(reverse("challenges:application-list") + "?export=xlsx")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    col = rows[0].index("合作单位（角色）")
    assert [row[col] for row in rows[1:] if row[2] == app.title] == ["出口合作单位（协作单位）"]


def api_url(name, *args):
    return reverse(f"api:challenges-{name}", args=args)


def test_the_api_reads_and_writes_partners_with_reasons(api_for, make_user):
    ch = ChallengeFactory(published=True, with_indicators=True)
    user = make_user(Role.APPLICANT, unit=UnitFactory())
    a, b = UnitFactory(name="API 甲"), UnitFactory(name="API 乙")
    client = api_for(user)
    body = {"challenge": ch.pk, "title": "API 联合揭榜", "plan": "方案", "budget_requested": "100"}
    for partners, word in (
        ([{"unit": user.unit_id, "role": "participant"}], "牵头单位"),
        ([{"unit": a.pk}, {"unit": a.pk}], "只能填一次"),
        ([{"unit": 999999}], "有效注册单位"),
        ([{"unit": a.pk, "role": "boss"}], "boss"),
    ):
        r = client.post(api_url("application-list"), {**body, "partners": partners}, format="json")
        assert r.status_code == 400 and word in str(r.json()["error"]), r.json()
    assert not Application.objects.filter(challenge=ch).exists()
    r = client.post(
        api_url("application-list"),
        {**body, "partners": [{"unit": a.pk, "role": "demonstration", "budget": "30"}]},
        format="json",
    )
    assert r.status_code == 201, r.json()
    app_id = r.json()["id"]
    [p] = r.json()["partners"]
    assert (p["unit"], p["unit_name"], p["role"], p["role_label"], p["seq"]) == (
        a.pk,
        "API 甲",
        "demonstration",
        "应用示范单位",
        1,
    )
    # The partner list is replaced whole (PUT), refused with the reason, read by the partner unit too.
    purl = api_url("application-partners", app_id)
    r = client.put(purl, {"partners": [{"unit": b.pk}, {"unit": a.pk, "role": "support"}]}, format="json")
    assert r.status_code == 200 and [x["unit_name"] for x in r.json()] == ["API 乙", "API 甲"]
    r = client.put(purl, {"partners": [{"unit": user.unit_id}]}, format="json")
    assert r.status_code == 400 and "牵头单位" in str(r.json()["error"])
    partner_client = api_for(make_user(Role.APPLICANT, unit=b))
    assert partner_client.get(purl).status_code == 200
    assert (
        partner_client.get(api_url("application-detail", app_id)).json()["partners"][0]["unit_name"]
        == "API 乙"
    )
    r = partner_client.put(purl, {"partners": []}, format="json")
    assert r.status_code == 403 and r.json()["error"]["message"]
    assert api_for(make_user(Role.APPLICANT)).get(purl).status_code == 404
    assert Application.objects.get(pk=app_id).partners.count() == 2


def test_the_api_edit_sets_partners_and_a_member_of_one_in_one_patch(api_for):
    app = ApplicationFactory()
    partner = UnitFactory(name="补丁合作单位")
    client = api_for(app.leader)
    edit = api_url("application-edit", app.pk)
    body = {
        "version": app.version,
        "partners": [{"unit": partner.pk, "role": "support"}],
        "members": [{"name": "钱工", "unit": partner.pk}],
    }
    r = client.patch(edit, {**body, "partners": [{"unit": app.unit_id}]}, format="json")
    assert r.status_code == 400 and "牵头单位" in str(r.json()["error"])
    r = client.patch(edit, {**body, "partners": []}, format="json")  # the member's unit is no partner
    assert r.status_code == 400 and "钱工" in r.json()["error"]["message"]
    assert not app.partners.exists() and not app.members.exists()
    r = client.patch(edit, body, format="json")
    assert r.status_code == 200, r.json()
    assert [m["unit_name"] for m in r.json()["members"]] == ["补丁合作单位"]
    assert r.json()["partners"][0]["role_label"] == "协作单位"


@pytest.mark.parametrize(("language", "lead"), [("zh-hans", "（牵头单位）"), ("en", " (Lead unit)")])
def test_the_team_members_unit_list_names_the_lead_unit_in_the_pages_language(
    make_user, client_for, language, lead
):
    """Walked (session 20): the English page offered "山西碳化硅材料有限公司（Lead unit）", Chinese brackets."""
    ch = ChallengeFactory(published=True)
    unit = UnitFactory(name="某牵头公司", name_en="")
    c = client_for(make_user(Role.APPLICANT, unit=unit))
    c.cookies["django_language"] = language
    html = c.get(reverse("challenges:application-create", args=[ch.pk])).content.decode()
    assert f"某牵头公司{lead}</option>" in html
