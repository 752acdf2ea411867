"""公示 objections, the leftovers of #18: the objected applicant sees each objection on their application's page
(reason, file, outcome and staff's answer; never the objector), the objector withdraws an open one
(confirmed, audited, a state of its machine; staff see it withdrawn), the API takes the objection's file
(multipart, checked as on the page, stored privately) and the page says so when the real-name box is not
ticked, the typed reason kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import services
from kechuang.programmes.models import Objection, ObjectionFile
from kechuang.programmes.workflow import OBJECTION

from .test_publicity import EXE, at_publicity, publicity_programme  # noqa: F401 (at_publicity: a fixture)
from .test_rules import PDF, form  # noqa: F401 (form: a fixture)


def test_the_machine_lets_only_the_objector_withdraw_an_open_objection():
    class Record:
        lodged_by_id = 7

    class Who:
        def __init__(self, pk):
            self.pk = pk

    objector = [Role.EXPERT]
    assert OBJECTION.reasons_refused("open", "withdraw", objector, obj=Record(), ctx={"actor": Who(7)}) == []
    assert OBJECTION.reasons_refused("open", "withdraw", objector, obj=Record(), ctx={"actor": Who(8)})
    assert OBJECTION.reasons_refused("open", "withdraw", [Role.STAFF], obj=Record(), ctx={"actor": Who(7)})
    for done in ("upheld", "dismissed", "withdrawn"):
        assert OBJECTION.reasons_refused(done, "withdraw", objector, obj=Record(), ctx={"actor": Who(7)})
    assert OBJECTION.reasons_refused("withdrawn", "uphold", [Role.STAFF], ctx={"reason": "属实"})


def test_the_objected_applicant_sees_the_objection_but_not_its_objector(
    client,
    staff,
    make_user,
    at_publicity,  # noqa: F811
):
    call, subs, users = at_publicity
    expert = make_user(Role.EXPERT, first_name="", last_name="", username="objector_zhang")
    o = services.objection_lodge(
        actor=expert, call=call, submission=subs[0], reason="论文数据造假", file_data=PDF, filename="证据.pdf"
    )
    page_url = reverse("programmes:submission", args=[subs[0].pk])
    file_url = reverse("programmes:objection-file", args=[call.pk, o.pk])
    client.force_login(users[0])
    page = client.get(page_url).content.decode()
    assert "论文数据造假" in page and "证据.pdf" in page and "待处理" in page and file_url in page
    assert str(expert) not in page and "objector_zhang" not in page
    assert client.get(file_url).status_code == 200
    services.objection_answer(actor=staff, objection=o, action="dismiss", reason="经核查数据真实")
    page = client.get(page_url).content.decode()
    assert "异议不成立" in page and "经核查数据真实" in page and str(expert) not in page
    # another applicant: neither the page nor the file; the objection's own page stays staff's and the objector's
    client.force_login(users[1])
    assert client.get(page_url).status_code == 404 and client.get(file_url).status_code == 404
    client.force_login(users[0])
    assert client.get(reverse("programmes:objection", args=[call.pk, o.pk])).status_code == 404
    # an application without objections says nothing of them
    assert "公示异议" not in client.get(reverse("programmes:submission", args=[subs[1].pk])).content.decode()


def test_an_objector_withdraws_an_open_objection_and_staff_see_it_withdrawn(
    client,
    staff,
    make_user,
    at_publicity,  # noqa: F811
):
    call, subs, users = at_publicity
    expert, other = make_user(Role.EXPERT), make_user(Role.EXPERT)
    o = services.objection_lodge(actor=expert, call=call, submission=subs[0], reason="论文造假")
    with pytest.raises(ApplicationError):
        services.objection_withdraw(actor=other, objection=o)
    with pytest.raises(ApplicationError):
        services.objection_withdraw(actor=staff, objection=o)
    detail = reverse("programmes:objection", args=[call.pk, o.pk])
    withdraw = reverse("programmes:objection-withdraw", args=[call.pk, o.pk])
    # the page: the objector's form, a ticked confirmation
    client.force_login(expert)
    assert withdraw in client.get(detail).content.decode()
    r = client.post(withdraw, {})  # not ticked: the objection's page again with why (400)
    assert r.status_code == 400 and "请勾选确认后再撤回异议" in r.content.decode()
    assert 'id="withdraw-refused"' in r.content.decode()
    assert Objection.objects.get(pk=o.pk).status == "open"
    client.force_login(other)
    assert client.post(withdraw, {"confirm": "1"}).status_code == 404
    client.force_login(staff)
    assert client.post(withdraw, {"confirm": "1"}).status_code == 403
    assert withdraw not in client.get(detail).content.decode()
    client.force_login(expert)
    r = client.post(withdraw, {"confirm": "1"})
    assert r.status_code == 302 and r["Location"] == detail
    o.refresh_from_db()
    assert o.status == "withdrawn"
    event = AuditEvent.objects.get(action="call_objection.withdraw")
    assert event.after["status"] == "withdrawn"
    assert staff.notifications.filter(title__contains="公示异议已撤回").exists()
    page = client.get(detail).content.decode()
    assert "已撤回" in page and withdraw not in page
    r = client.post(withdraw, {"confirm": "1"})  # a second click: withdrawn already, by whom and when (409)
    assert r.status_code == 409 and "此事项已由" in r.content.decode()
    with pytest.raises(ApplicationError):
        services.objection_withdraw(actor=expert, objection=o)
    with pytest.raises(ApplicationError):
        services.objection_answer(actor=staff, objection=o, action="uphold", reason="属实")
    # the API: the same, confirmed; staff 403, others 404
    o2 = services.objection_lodge(actor=other, call=call, submission=subs[1], reason="团队重复申报")
    api = f"/api/programmes/objections/{o2.pk}/withdraw/"
    client.force_login(expert)
    assert client.post(api, {"confirm": True}, content_type="application/json").status_code == 404
    client.force_login(staff)
    assert client.post(api, {"confirm": True}, content_type="application/json").status_code == 403
    client.force_login(other)
    assert client.post(api, {"confirm": False}, content_type="application/json").status_code == 400
    r = client.post(api, {"confirm": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "withdrawn" and "lodged_by" not in r.json()
    # staff see it withdrawn; it no longer holds the publicity (only its period does)
    client.force_login(staff)
    listing = client.get(reverse("programmes:publicity", args=[call.pk])).content.decode()
    assert "已撤回" in listing and str(expert) in listing
    assert "异议人已撤回该异议" in client.get(detail).content.decode()
    with pytest.raises(ApplicationError) as refused:
        services.call_advance(actor=staff, call=call)
    assert "异议未处理" not in str(refused.value) and "尚未期满" in str(refused.value)
    assert services.call_advance(actor=staff, call=call, early=True).stage["kind"] == "decision"


def test_the_api_takes_the_objections_file_checked_and_stored_privately(
    api_for,
    make_user,
    at_publicity,  # noqa: F811
):
    call, subs, users = at_publicity
    api = api_for(make_user(Role.EXPERT))
    url = reverse("api:programmes-objection-lodge", args=[call.pk, subs[0].pk])
    r = api.post(
        url,
        {"reason": "论文造假", "confirm": "true", "file": SimpleUploadedFile("证据.pdf", EXE)},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "executable_file"
    assert not Objection.objects.exists() and not ObjectionFile.objects.exists()
    big = SimpleUploadedFile("证据.pdf", PDF + b"0" * (10 * 1024 * 1024))
    r = api.post(url, {"reason": "论文造假", "confirm": "true", "file": big}, format="multipart")
    assert r.status_code == 400 and not ObjectionFile.objects.exists()
    r = api.post(
        url,
        {"reason": "论文造假", "confirm": "true", "file": SimpleUploadedFile("证据.pdf", PDF)},
        format="multipart",
    )
    assert r.status_code == 201 and r.json()["file"] == "证据.pdf" and "lodged_by" not in r.json()
    stored = ObjectionFile.objects.get()
    assert ObjectionFile._meta.get_field("file").upload_to.is_unguessable(stored.file.name)
    assert stored.file.name.startswith("programmes/objections/")
    # JSON without a file, as before
    r = api.post(url, {"reason": "另一条", "confirm": True}, format="json")
    assert r.status_code == 201 and r.json()["file"] == ""


def test_an_unticked_real_name_box_is_said_on_the_page_with_the_reason_kept(
    client,
    make_user,
    at_publicity,  # noqa: F811
):
    call, subs, users = at_publicity
    client.force_login(make_user(Role.EXPERT))
    url = reverse("programmes:objection-lodge", args=[call.pk, subs[0].pk])
    r = client.post(url, {"reason": "论文造假，数据不实"})
    page = r.content.decode()
    assert r.status_code == 400 and "请勾选确认以实名提出异议" in page and "论文造假，数据不实" in page
    r = client.post(url, {"reason": "论文造假", "file": SimpleUploadedFile("证据.pdf", PDF)})
    page = r.content.decode()
    assert r.status_code == 400 and "请重新选择文件" in page and "论文造假" in page
    assert not Objection.objects.exists()


def test_the_api_shows_the_objected_applicant_their_objections_but_never_the_objector(
    api_for,
    staff,
    make_user,
    at_publicity,  # noqa: F811
):
    call, subs, users = at_publicity
    expert = make_user(Role.EXPERT, first_name="", last_name="", username="objector_li")
    o = services.objection_lodge(
        actor=expert, call=call, submission=subs[0], reason="论文数据造假", file_data=PDF, filename="证据.pdf"
    )
    url = reverse("api:programmes-submission", args=[subs[0].pk])
    r = api_for(users[0]).get(url)
    assert r.status_code == 200
    (shown,) = r.json()["objections"]
    assert shown["reason"] == "论文数据造假" and shown["file"] == "证据.pdf" and shown["status"] == "open"
    assert shown["file_url"] == reverse("programmes:objection-file", args=[call.pk, o.pk])
    assert "objector_li" not in r.content.decode() and str(expert) not in r.content.decode()
    assert "lodged_by" not in shown
    services.objection_answer(actor=staff, objection=o, action="dismiss", reason="经核查数据真实")
    shown = api_for(users[0]).get(url).json()["objections"][0]
    assert shown["status"] == "dismissed" and shown["answer"] == "经核查数据真实" and shown["answered_at"]
    # staff see the same (the objector's identity is on the objection's own page and the publicity list)
    assert "objector_li" not in api_for(staff).get(url).content.decode()
    # another applicant and the objector (who is not the applicant): not found, nothing of it
    assert api_for(users[1]).get(url).status_code == 404
    assert api_for(expert).get(url).status_code in (403, 404)
    # an application without objections: an empty list
    assert (
        api_for(users[1]).get(reverse("api:programmes-submission", args=[subs[1].pk])).json()["objections"]
        == []
    )
