"""The pages and the API: staff enter, import and appeal; every other role is refused; the restrictions and
the expert credit record show on profiles to staff only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role
from kechuang.integrity.models import Record
from kechuang.review import services as rv
from kechuang.review.tests.factories import ExpertProfileFactory

from .factories import RecordFactory

PAGES = ["integrity:record-list", "integrity:record-create", "integrity:record-import"]


@pytest.mark.parametrize("name", PAGES)
def test_staff_pages(client_for, staff, name):
    RecordFactory()
    assert client_for(staff).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.COMMISSIONER, Role.OPERATOR])
def test_other_roles_are_refused(client_for, make_user, role):
    record = RecordFactory()
    c = client_for(make_user(role))
    for name in PAGES:
        assert c.get(reverse(name)).status_code == 403
    assert c.get(record.get_absolute_url()).status_code == 403
    r = c.post(
        reverse("integrity:record-transition", args=[record.pk, "revoke"]), {"reason": "x", "confirm": "1"}
    )
    assert r.status_code == 403
    record.refresh_from_db()
    assert record.status == "in_force"


def test_staff_enter_a_finding_picking_the_unit_by_name(client_for, staff):
    unit = UnitFactory(name="甲研究院")
    today = timezone.localdate()
    data = {
        "subject_kind": "person",
        "unit": "甲研究院",
        "person_name": "周八",
        "source": "科技部通报",
        "decision": "取消评审专家资格",
        "decided_on": today.isoformat(),
        "restrictions": ["expert", "award"],
        "starts_on": today.isoformat(),
        "ends_on": "",
    }
    r = client_for(staff).post(reverse("integrity:record-create"), data)
    record = Record.objects.get()
    assert r.status_code == 302 and r.url == record.get_absolute_url()
    assert (record.unit, record.person_name, record.bars_expert_work, record.bars_awards) == (
        unit,
        "周八",
        True,
        True,
    )


def test_a_refused_finding_is_shown_again_with_the_reason(client_for, staff):
    UnitFactory(name="甲公司")
    today = timezone.localdate().isoformat()
    data = {
        "subject_kind": "unit",
        "unit": "甲公司",
        "source": "通报",
        "decision": "决定",
        "decided_on": today,
        "restrictions": ["expert"],
        "starts_on": today,
    }
    r = client_for(staff).post(reverse("integrity:record-create"), data)
    assert r.status_code == 400
    assert "只能针对个人" in r.content.decode() and 'value="决定"' in r.content.decode()
    assert not Record.objects.exists()


def test_appeal_steps_on_the_record_page(client_for, staff):
    record = RecordFactory()
    c = client_for(staff)
    page = c.get(record.get_absolute_url()).content.decode()
    assert "登记申诉" in page and "撤销处理" in page
    r = c.post(reverse("integrity:record-transition", args=[record.pk, "appeal"]), {"reason": "不服"})
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.status == "appealed"
    # refused: the page again, the date as typed kept and the reason's box marked (400; it was a message
    # after a redirect, and what was typed was lost)
    url = reverse("integrity:record-transition", args=[record.pk, "dismiss"])
    r = c.post(url, {"reason": "", "on": "2026-03-04"})
    assert r.status_code == 400
    body = r.content.decode()
    assert 'id="id_dismiss_reason_error"' in body and 'value="2026-03-04"' in body
    record.refresh_from_db()
    assert record.status == "appealed"
    assert c.post(url, {"reason": "维持原决定"}).status_code == 302
    # granted from a stale tab after it was dismissed: the page says it was decided, by whom, and keeps the text
    r = c.post(
        reverse("integrity:record-transition", args=[record.pk, "grant"]),
        {"reason": "查实不是本人", "confirm": "1"},
    )
    assert r.status_code == 409
    body = r.content.decode()
    assert "此事项已由" in body
    assert "查实不是本人" in body
    record.refresh_from_db()
    assert record.appeal_outcome == "dismissed"


def test_import_page_dry_run_lists_bad_lines(client_for, staff):
    body = "对象类型,姓名,单位,来源,处理决定,决定日期,限制事项\n单位,,无此单位,通报,决定,2025-01-01,不得申报项目\n"
    f = SimpleUploadedFile("r.csv", body.encode(), content_type="text/csv")
    r = client_for(staff).post(reverse("integrity:record-import"), {"file": f})
    page = r.content.decode()
    assert r.status_code == 200 and "不在单位库中" in page and "未写入任何数据" in page


def test_profiles_show_credit_and_restrictions_to_staff_only(client_for, staff):
    profile = ExpertProfileFactory()
    rv.expert_credit_record(actor=staff, profile=profile, kind="late", note="迟交评审意见")
    RecordFactory(
        person=profile.user, bars_applying=False, bars_expert_work=True, decision="取消专家资格三年"
    )
    url = profile.get_absolute_url()
    staff_page = client_for(staff).get(url).content.decode()
    assert "迟交评审意见" in staff_page and "取消专家资格三年" in staff_page and "今日受限" in staff_page
    own_page = client_for(profile.user).get(url).content.decode()
    assert "迟交评审意见" not in own_page and "取消专家资格三年" not in own_page
    user_page = (
        client_for(staff).get(reverse("accounts:user-detail", args=[profile.user.pk])).content.decode()
    )
    assert "取消专家资格三年" in user_page


def test_unit_page_shows_the_unit_records_to_staff_only(client_for, staff, make_user):
    unit = UnitFactory()
    RecordFactory(unit=unit, decision="三年内不得申报省级项目")
    assert "三年内不得申报省级项目" in client_for(staff).get(unit.get_absolute_url()).content.decode()
    own = make_user(Role.APPLICANT, unit=unit)
    assert "三年内不得申报省级项目" not in client_for(own).get(unit.get_absolute_url()).content.decode()


# API ------------------------------------------------------------------------------------------------------


def test_api_create_list_and_appeal(api_for, staff):
    unit = UnitFactory()
    c = api_for(staff)
    today = timezone.localdate().isoformat()
    r = c.post(
        "/api/integrity/records/",
        {
            "subject_kind": "unit",
            "unit": unit.pk,
            "source": "通报",
            "decision": "不得申报",
            "decided_on": today,
            "starts_on": today,
            "bars_applying": True,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["restrictions"] == ["apply"]
    assert c.get("/api/integrity/records/?current=1").json()["count"] == 1
    r = c.post(
        f"/api/integrity/records/{pk}/transition/",
        {"confirm": True, "action": "grant", "reason": "x"},
        format="json",
    )
    assert r.status_code == 409 and "不能执行" in r.json()["error"]["message"]
    r = c.post(
        f"/api/integrity/records/{pk}/transition/",
        {"confirm": True, "action": "appeal", "reason": "不服"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "appealed"


def test_api_refuses_a_bad_record_with_the_reason(api_for, staff):
    unit = UnitFactory()
    day = timezone.localdate()
    r = api_for(staff).post(
        "/api/integrity/records/",
        {
            "subject_kind": "unit",
            "unit": unit.pk,
            "source": "通报",
            "decision": "d",
            "decided_on": day.isoformat(),
            "starts_on": day.isoformat(),
            "ends_on": (day - datetime.timedelta(days=1)).isoformat(),
            "bars_applying": True,
        },
        format="json",
    )
    assert r.status_code == 400 and "不能早于起始日" in r.json()["error"]["message"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.COMMISSIONER, Role.OPERATOR])
def test_api_refuses_other_roles(api_for, make_user, role):
    record = RecordFactory()
    c = api_for(make_user(role))
    assert c.get("/api/integrity/records/").status_code == 403
    assert c.get(f"/api/integrity/records/{record.pk}/").status_code == 403
    r = c.post(
        f"/api/integrity/records/{record.pk}/transition/",
        {"confirm": True, "action": "revoke", "reason": "x"},
    )
    assert r.status_code == 403
    assert api_for(None).get("/api/integrity/records/").status_code in (401, 403)
