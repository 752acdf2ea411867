"""The API's `confirm` read from every kind of body, and the jobs that overwrite asked too (docs/security.md §46,
§47).

§42's rule: a step that cannot be undone is taken through the API only with `"confirm": true`. A form body
(multipart or urlencoded, which every endpoint accepts) said it with `confirm` sent twice — `confirm=false` then
`confirm=1` was read as yes (the last one), as was JSON `1.0`. Now a form's `confirm` counts only when sent once,
and JSON says yes only with `true` or 1; `"false"`, a list, an object, the query string, a file named
`confirm` are no. A refused call writes nothing and audits nothing.

Two calls that start work that cannot be undone asked nothing: assigning an assigned round's experts again
(every assignment replaced, the manual swaps too: the round's page asks with a ticked box) and an import that
commits (`dry_run` false: the platforms the file names overwritten). Both now need `confirm` as §42's steps do."""

import datetime
import json
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from kechuang.core.models import AuditEvent, Job
from kechuang.core.roles import Role

from .test_api_irreversible_confirmed import TZ, _challenge

pytestmark = pytest.mark.django_db

REFUSED = [
    ("multipart", {"confirm": "false"}),
    ("multipart", {"confirm": "0"}),
    ("multipart", {"confirm": ""}),
    ("multipart", {"confirm": ["false", "1"]}),  # read as yes before: QueryDict.get gives the last
    ("multipart", {"confirm": ["1", "1"]}),
    ("urlencoded", {"confirm": ["false", "true"]}),
    ("urlencoded", {"confirm": "False"}),
    ("json", {"confirm": "false"}),
    ("json", {"confirm": False}),
    ("json", {"confirm": [True]}),
    ("json", {"confirm": {"confirm": True}}),
    ("json", {"confirm": 1.0}),
    ("json", {"confirm": 2}),
    ("json", {"confirm": None}),
    ("json", {}),
    ("query", {}),  # ?confirm=true is never read
    ("file", {}),  # a file field named confirm
]
TAKEN = [
    ("multipart", {"confirm": "true"}),
    ("multipart", {"confirm": "1"}),
    ("urlencoded", {"confirm": "on"}),
    ("json", {"confirm": True}),
    ("json", {"confirm": 1}),
]


def _post(S, url, kind, body):
    if kind == "multipart":
        return S.post(url, encode_multipart(BOUNDARY, body), content_type=MULTIPART_CONTENT)
    if kind == "urlencoded":
        return S.post(url, urlencode(body, doseq=True), content_type="application/x-www-form-urlencoded")
    if kind == "query":
        return S.post(url + "?confirm=true", json.dumps(body), content_type="application/json")
    if kind == "file":
        upload = SimpleUploadedFile("confirm.txt", b"true")
        return S.post(url, {**body, "confirm": upload}, format="multipart")
    return S.post(url, json.dumps(body), content_type="application/json")


def _publish(api_for, make_user, kind, body):
    S = api_for(make_user(Role.STAFF))
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=TZ), tick=False):
        pk = _challenge(S)
        events = AuditEvent.objects.count()
        r = _post(S, f"/api/challenges/{pk}/transition/", kind, {"action": "publish", **body})
        return r, S.get(f"/api/challenges/{pk}/").json()["status"], AuditEvent.objects.count() - events


@pytest.mark.parametrize("kind,body", REFUSED, ids=[f"{k}-{b}" for k, b in REFUSED])
def test_anything_but_one_yes_is_no_and_nothing_is_written(api_for, make_user, kind, body):
    r, status, audited = _publish(api_for, make_user, kind, body)
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == "confirm"
    assert status == "draft" and audited == 0


@pytest.mark.parametrize("kind,body", TAKEN, ids=[f"{k}-{b}" for k, b in TAKEN])
def test_one_yes_in_any_body_takes_the_step(api_for, make_user, kind, body):
    r, status, audited = _publish(api_for, make_user, kind, body)
    assert r.status_code == 200, r.content
    assert status == "published" and audited >= 1


# --- jobs started through the API (§47) ---------------------------------------------------------------------


def _round(staff):
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.review import services
    from kechuang.review.tests.factories import (
        ExpertProfileFactory,
        ExternalSubjectFactory,
        ReviewFormFactory,
    )

    for _ in range(4):
        ExpertProfileFactory()
    subjects = [ExternalSubjectFactory(unit=UnitFactory()) for _ in range(2)]
    return services.round_create(
        actor=staff, title="确认轮次", subjects=subjects, form=ReviewFormFactory(), k=1, max_load=2
    )


@pytest.fixture
def assigned_round(staff):
    from kechuang.review import services

    return services.round_assign(actor=staff, round=_round(staff))


def test_assigning_an_assigned_round_again_needs_confirm(api_for, staff, assigned_round):
    from kechuang.review.models import Assignment

    S = api_for(staff)
    url = f"/api/review/rounds/{assigned_round.pk}/assign/"
    pairs = sorted(Assignment.objects.filter(round=assigned_round).values_list("pk", flat=True))
    jobs, events = Job.objects.count(), AuditEvent.objects.count()
    for body in ({}, {"confirm": False}, {"confirm": "false"}):
        r = S.post(url, body, format="json")
        assert r.status_code == 400, r.content
        error = r.json()["error"]
        assert error["code"] == "confirm" and "不能撤销" in error["message"] and error["fields"]["confirm"]
    assert Job.objects.count() == jobs and AuditEvent.objects.count() == events
    assert sorted(Assignment.objects.filter(round=assigned_round).values_list("pk", flat=True)) == pairs
    r = S.post(url, {"confirm": True}, format="json")
    assert r.status_code == 202, r.content


def test_a_draft_rounds_first_assignment_needs_no_confirm(api_for, staff):
    rnd = _round(staff)
    assert api_for(staff).post(f"/api/review/rounds/{rnd.pk}/assign/").status_code == 202


def test_a_committing_platform_import_needs_confirm(api_for, staff):
    from kechuang.platforms.models import Platform
    from kechuang.platforms.tests.factories import PlatformFactory

    platform = PlatformFactory()
    content = (
        f"编号,名称,类型,依托单位,成立日期\n{platform.code},改过的名称,省重点实验室,{platform.host.name},2021-02-02\n"
    ).encode()
    S = api_for(staff)

    def post(**extra):
        return S.post(
            "/api/platforms/import/",
            {"file": SimpleUploadedFile("p.csv", content), **extra},
            format="multipart",
        )

    events = AuditEvent.objects.count()
    r = post()  # a dry run (the default) asks nothing
    assert r.status_code == 200 and r.json()["committed"] is False, r.content
    for extra in ({"dry_run": "false"}, {"dry_run": "false", "confirm": "false"}):
        r = post(**extra)
        assert r.status_code == 400 and r.json()["error"]["code"] == "confirm", r.content
    assert Platform.objects.get(pk=platform.pk).name == platform.name
    assert AuditEvent.objects.count() == events
    r = post(dry_run="false", confirm="true")
    assert r.status_code == 200 and r.json()["committed"] is True, r.content
    assert Platform.objects.get(pk=platform.pk).name == "改过的名称"


def test_the_schema_says_confirm_on_both():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path in ("/api/review/rounds/{id}/assign/", "/api/platforms/import/"):
        for media in schema["paths"][path]["post"]["requestBody"]["content"].values():
            ref = media["schema"]["$ref"].rsplit("/", 1)[-1]
            assert "confirm" in components[ref]["properties"], path
