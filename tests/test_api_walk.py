"""One challenge from publication to acceptance through the API alone (issue #17.5): every step a page
offers has an endpoint, refused with a reason and the same role and object checks, and audited."""

import datetime

import pytest
import time_machine

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.models import Application, Contract
from kechuang.challenges.tests.factories import CRITERIA
from kechuang.core.models import AuditEvent, Job, Notification
from kechuang.core.roles import Role

TZ = datetime.timezone(datetime.timedelta(hours=8))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:500]
    return response.json() if response.content and "json" in response.get("Content-Type", "") else None


def refused(response, status=400):
    assert response.status_code == status, response.content.decode()[:500]
    body = response.json()["error"]
    assert body["message"]  # a reason a person can read
    return body


@pytest.mark.django_db
def test_publication_to_acceptance_through_the_api(api_for, make_user):
    staff = make_user(Role.STAFF)
    firm = UnitFactory(name="山西碳化硅材料有限公司")
    applicant = make_user(Role.APPLICANT, unit=firm)
    outsider = make_user(Role.APPLICANT)
    commissioner = make_user(Role.COMMISSIONER)
    S, A, X, C = api_for(staff), api_for(applicant), api_for(outsider), api_for(commissioner)
    base = "/api/challenges/"

    with time_machine.travel(at(2026, 3, 1), tick=False):
        topic = ok(
            S.post(f"{base}topics/", {"title": "碳化硅衬底", "track": "industrialisation"}, format="json"),
            201,
        )
        ch = ok(
            S.post(
                base,
                {
                    "code": "JB-2026-101",
                    "topic": topic["id"],
                    "year": 2026,
                    "title": "8英寸碳化硅单晶衬底",
                    "problem": "突破8英寸碳化硅单晶生长",
                    "budget_ceiling": "1000",
                    "deadline": at(2026, 4, 1, 17).isoformat(),
                    "criteria": CRITERIA,
                    "indicators": [{"name": "晶圆直径", "unit": "英寸", "baseline": 6, "target": 8}],
                },
                format="json",
            ),
            201,
        )
        pk = ch["id"]
        # A draft is edited with the version read; a stale version is refused.
        ok(S.patch(f"{base}{pk}/edit/", {"version": ch["version"], "goal": "量产"}, format="json"))
        refused(S.patch(f"{base}{pk}/edit/", {"version": ch["version"], "goal": "再改"}, format="json"), 409)
        refused(A.post(f"{base}{pk}/transition/", {"confirm": True, "action": "publish"}, format="json"), 403)
        assert ok(S.post(f"{base}{pk}/transition/", {"confirm": True, "action": "publish"}, format="json"))[
            "status"
        ] == ("published")

        app = ok(
            A.post(
                f"{base}applications/",
                {
                    "challenge": pk,
                    "title": "8英寸SiC衬底产业化",
                    "plan": "PVT法温场优化",
                    "budget_requested": "800",
                    "milestones": [
                        {"title": "中试线", "month": 12, "tranche": "800", "targets": {"晶圆直径": "8"}}
                    ],
                },
                format="json",
            ),
            201,
        )
        apk = app["id"]
        app = ok(
            A.patch(
                f"{base}applications/{apk}/edit/",
                {
                    "version": app["version"],
                    "budget_requested": "700",
                    "members": [{"name": "王工", "title": "高工"}],
                    "milestones": [
                        {"title": "中试线", "month": 12, "tranche": "700", "targets": {"晶圆直径": "8"}}
                    ],
                },
                format="json",
            )
        )
        assert app["budget_requested"] == "700.00" and app["members"][0]["name"] == "王工"
        refused(X.patch(f"{base}applications/{apk}/edit/", {"version": app["version"]}, format="json"), 404)

        # Attachments: uploaded by content type, listed, read; a text file named .pdf is refused.
        from django.core.files.uploadedfile import SimpleUploadedFile

        att = ok(
            A.post(
                f"{base}applications/{apk}/attachments/",
                {"file": SimpleUploadedFile("方案.pdf", PDF), "kind": "plan"},
                format="multipart",
            ),
            201,
        )
        refused(
            A.post(
                f"{base}applications/{apk}/attachments/",
                {"file": SimpleUploadedFile("假的.pdf", b"just text"), "kind": "plan"},
                format="multipart",
            )
        )
        assert [a["original_name"] for a in ok(A.get(f"{base}applications/{apk}/attachments/"))] == [
            "方案.pdf"
        ]
        got = A.get(f"/api/challenges/attachments/{att['id']}/")
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
        assert X.get(f"/api/challenges/attachments/{att['id']}/").status_code == 404
        assert X.delete(f"/api/challenges/attachments/{att['id']}/").status_code == 404

        ok(
            A.post(
                f"{base}applications/{apk}/transition/", {"confirm": True, "action": "submit"}, format="json"
            )
        )

    with time_machine.travel(at(2026, 4, 2), tick=False):
        ok(S.post(f"{base}{pk}/transition/", {"confirm": True, "action": "close"}, format="json"))
        refused(
            A.post(
                f"{base}applications/{apk}/transition/",
                {"confirm": True, "action": "pass_formal"},
                format="json",
            ),
            403,
        )
        ok(
            S.post(
                f"{base}applications/{apk}/transition/",
                {"confirm": True, "action": "pass_formal", "reason": "齐全"},
                format="json",
            )
        )
        # Review: a panel convened by hand, scores typed in; an application not under review is refused.
        refused(A.post(f"{base}{pk}/review/", {"confirm": True, "mode": "manual"}, format="json"), 403)
        refused(S.post(f"{base}{pk}/review/", {"confirm": True, "mode": "guess"}, format="json"))
        ok(
            S.post(
                f"{base}{pk}/review/",
                {"confirm": True, "mode": "manual", "note": "线下专家组"},
                format="json",
            )
        )
        refused(
            S.post(
                f"{base}{pk}/review/",
                {"confirm": True, "mode": "scores", "scores": {"999999": 80}},
                format="json",
            )
        )
        state = ok(
            S.post(
                f"{base}{pk}/review/",
                {"confirm": True, "mode": "scores", "scores": {str(apk): 86.5}},
                format="json",
            )
        )
        assert state["round"] is None  # reviewed outside the review app
        assert [(r["application"], r["review_score"]) for r in state["ranking"]] == [(apk, "86.50")]
        assert ok(S.get(f"{base}applications/{apk}/"))["review_score"] == "86.50"

    with time_machine.travel(at(2026, 4, 5), tick=False):
        refused(
            S.post(f"{base}{pk}/decision/", {"confirm": True, "winners": [apk], "days": 1}, format="json")
        )
        pub = ok(
            S.post(f"{base}{pk}/decision/", {"confirm": True, "winners": [apk], "days": 7}, format="json")
        )
        assert pub["ends_on"] == "2026-04-11" and [w["application"] for w in pub["winners"]] == [apk]
        refused(X.post(f"{base}{pk}/objections/", {"application": apk}, format="json"))
        objection = ok(
            X.post(f"{base}{pk}/objections/", {"application": apk, "text": "团队资质存疑"}, format="json"),
            201,
        )
        # The public sees the notice but not the open objection; staff do.
        assert ok(api_for(None).get(f"{base}{pk}/publicity/"))["objections"] == []
        assert [o["id"] for o in ok(S.get(f"{base}{pk}/publicity/"))["objections"]] == [objection["id"]]

    with time_machine.travel(at(2026, 4, 12), tick=False):
        assert refused(
            S.post(f"{base}{pk}/transition/", {"confirm": True, "action": "award"}, format="json"), 409
        )
        refused(
            S.post(
                f"{base}objections/{objection['id']}/answer/", {"confirm": True, "answer": "x"}, format="json"
            )
        )
        refused(
            X.post(
                f"{base}objections/{objection['id']}/answer/",
                {"confirm": True, "upheld": False, "answer": "x"},
                format="json",
            ),
            403,
        )
        ok(
            S.post(
                f"{base}objections/{objection['id']}/answer/",
                {"confirm": True, "upheld": False, "answer": "经核实符合要求"},
                format="json",
            )
        )
        assert (
            ok(S.post(f"{base}{pk}/transition/", {"confirm": True, "action": "award"}, format="json"))[
                "status"
            ]
            == "awarded"
        )
        contract = Contract.objects.get(application_id=apk)
        cpk = contract.pk
        # The contract: edited while a draft, a commissioner named, signed.
        c = ok(S.get(f"{base}contracts/{cpk}/"))
        ok(
            S.patch(
                f"{base}contracts/{cpk}/edit/",
                {"version": c["version"], "title": "8英寸SiC衬底", "reason": "规范名称"},
                format="json",
            )
        )
        assert (
            "专员"
            in refused(
                S.post(
                    f"{base}contracts/{cpk}/transition/", {"confirm": True, "action": "sign"}, format="json"
                ),
                409,
            )["message"]
        )
        refused(S.post(f"{base}contracts/{cpk}/commissioner/", {"commissioner": outsider.pk}, format="json"))
        ok(S.post(f"{base}contracts/{cpk}/commissioner/", {"commissioner": commissioner.pk}, format="json"))
        c = ok(
            S.post(f"{base}contracts/{cpk}/transition/", {"confirm": True, "action": "sign"}, format="json")
        )
        assert c["status"] == "in_progress"
        assert X.get(f"{base}contracts/{cpk}/").status_code == 404

    with time_machine.travel(at(2027, 4, 20), tick=False):
        (ms,) = c["milestones"]
        ok(
            A.post(
                f"{base}milestones/{ms['id']}/",
                {"confirm": True, "action": "report", "report": "中试线建成", "values": {"晶圆直径": "8"}},
                format="json",
            )
        )
        ok(C.post(f"{base}milestones/{ms['id']}/", {"confirm": True, "action": "verify"}, format="json"))
        refused(C.post(f"{base}contracts/{cpk}/midterm/", {"conclusion": "maybe"}, format="json"))
        mc = ok(
            C.post(
                f"{base}contracts/{cpk}/midterm/",
                {"conclusion": "continue", "notes": "按计划"},
                format="json",
            ),
            201,
        )
        assert mc["score"] == "100.00"
        refused(A.post(f"{base}contracts/{cpk}/midterm/", {"conclusion": "continue"}, format="json"), 403)
        ok(
            A.post(
                f"{base}contracts/{cpk}/transition/",
                {"confirm": True, "action": "request_acceptance"},
                format="json",
            )
        )
        refused(
            C.post(
                f"{base}contracts/{cpk}/acceptance/",
                {"confirm": True, "achieved": {}, "verdict": "passed"},
                format="json",
            ),
            403,
        )
        assert (
            "晶圆直径"
            in refused(
                S.post(
                    f"{base}contracts/{cpk}/acceptance/",
                    {"confirm": True, "achieved": {"晶圆直径": "7"}, "verdict": "passed"},
                    format="json",
                )
            )["message"]
        )
        acc = ok(
            S.post(
                f"{base}contracts/{cpk}/acceptance/",
                {"confirm": True, "achieved": {"晶圆直径": "8"}, "verdict": "passed", "opinion": "达标"},
                format="json",
            ),
            201,
        )
        assert [(i["indicator"], i["met"]) for i in acc["items"]] == [("晶圆直径", True)]
        assert ok(S.get(f"{base}contracts/{cpk}/"))["status"] == "finished"

    # The project's documents and its archive (一项目一档) through the API: the unit and staff list them, an
    # outsider finds no such project; staff request the archive (a job), the unit may not.
    docs = f"/api/documents/projects/{cpk}/documents/"
    assert ok(A.get(docs))["archives"] == [] and ok(S.get(docs))["documents"] == []
    assert X.get(docs).status_code == 404
    refused(A.post(f"/api/documents/projects/{cpk}/archive/"), 403)
    job = ok(S.post(f"/api/documents/projects/{cpk}/archive/"), 202)
    assert Job.objects.get(pk=job["job"]).kind == "documents.archive"

    # The applicant was told along the way, and reads and clears the notices through the API.
    notes = ok(A.get("/api/notifications/?unread=1"))["results"]
    assert any(n["kind"] == "application.awarded" for n in notes)
    refused(A.post("/api/notifications/read/", {"ids": "all"}, format="json"))
    assert ok(X.post("/api/notifications/read/", {"ids": [notes[0]["id"]]}, format="json"))["marked"] == 0
    marked = ok(A.post("/api/notifications/read/", {"ids": [notes[0]["id"]]}, format="json"))["marked"]
    assert marked == 1
    ok(A.post("/api/notifications/read/", {}, format="json"))
    assert not Notification.objects.filter(recipient=applicant, read_at__isnull=True).exists()
    theirs = {n["id"] for n in ok(X.get("/api/notifications/"))["results"]}
    assert theirs.isdisjoint({n["id"] for n in notes})  # each reads only their own

    assert Application.objects.get(pk=apk).status == "awarded"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    for expected in [
        "challenge.create",
        "challenge.update",
        "challenge.publish",
        "application.create",
        "attachment.add",
        "application.submit",
        "application.pass_formal",
        "application.start_review",
        "application.propose",
        "objection.lodge",
        "objection.answer",
        "challenge.award",
        "contract.update",
        "contract.assign_commissioner",
        "contract.sign",
        "milestone.report",
        "milestone.verify",
        "midterm_check.record",
        "contract.request_acceptance",
    ]:
        assert expected in actions, expected
