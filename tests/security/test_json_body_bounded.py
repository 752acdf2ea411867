"""A JSON body is bounded by what its endpoint takes (core.api.JSONParser, core.limits): 1 MB, 4 MB where a view
takes a programme form's answers. Before, only Django's DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB, a form's fields)
bounded it, answered with a bare 400 page. A larger body is refused with 413 and the bound in the reader's
language (over 5 MB as well); a file upload keeps its own limit (core.uploads)."""

import io
import json

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from kechuang.core import api
from kechuang.core.limits import FORM_JSON_MAX, JSON_BODY_MAX

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"


def _body(size: int) -> str:
    """A JSON object of about `size` bytes."""
    return json.dumps({"username": "nobody", "password": "x", "padding": "x" * size})


def test_a_json_body_over_the_bound_is_refused_with_the_reason_in_each_language(client):
    client.raise_request_exception = False
    r = client.post(TOKEN, _body(JSON_BODY_MAX), content_type="application/json")
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "request_too_large"
    assert "提交的 JSON 超过 1 MB 的上限" in r.json()["error"]["message"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.post(TOKEN, _body(JSON_BODY_MAX), content_type="application/json")
    assert r.status_code == 413 and "larger than the 1 MB" in r.json()["error"]["message"]


def test_a_json_body_under_the_bound_is_read(client):
    r = client.post(TOKEN, _body(JSON_BODY_MAX - 1000), content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] != "request_too_large"  # a wrong password


def test_a_body_without_a_length_is_read_no_further_than_the_bound():
    """A chunked body says no Content-Length: the parser reads one byte past the bound and refuses."""

    class Stream(io.BytesIO):
        read_sizes: list

        def read(self, size=-1):
            self.read_sizes.append(size)
            return super().read(size)

    stream = Stream(_body(2 * JSON_BODY_MAX).encode())
    stream.read_sizes = []
    request = APIRequestFactory().post(TOKEN)
    request.META.pop("CONTENT_LENGTH", None)
    with pytest.raises(api.JSONTooLarge):
        api.JSONParser().parse(stream, "application/json", {"request": request, "view": None})
    assert stream.read_sizes == [JSON_BODY_MAX + 1]


def test_an_endpoint_taking_a_forms_answers_takes_more(api_for, make_user):
    """The mid-term check takes its form's answers (`extra`): 2 MB passes the parser (and is then refused by the
    notes' own bound, 400), 5 MB does not."""
    from kechuang.accounts.models import Role
    from kechuang.challenges.api.lifecycle import ContractMidterm
    from kechuang.challenges.tests.factories import ContractFactory

    assert ContractMidterm.json_body_max == FORM_JSON_MAX
    contract = ContractFactory(running=True)
    staff = make_user(Role.STAFF)
    client = api_for(staff)
    url = reverse("api:challenges-contract-midterm", args=[contract.pk])
    body = json.dumps({"conclusion": "continue", "notes": "x" * (2 * JSON_BODY_MAX)})
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 400 and "notes" in r.json()["error"]["fields"], r.content[:300]
    body = json.dumps({"conclusion": "continue", "notes": "x" * (FORM_JSON_MAX + 10)})
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 413 and "4 MB" in r.json()["error"]["message"]


def test_the_endpoints_taking_a_forms_answers_say_so():
    from kechuang.challenges.api.lifecycle import ApplicationEdit, ContractAcceptance, ContractMidterm
    from kechuang.challenges.api.preapplications import ChallengePreApplications
    from kechuang.challenges.api.views import MilestoneAction
    from kechuang.review.api import ReviewDetail

    views = (ApplicationEdit, ContractAcceptance, ContractMidterm, ChallengePreApplications, MilestoneAction)
    assert {v.json_body_max for v in (*views, ReviewDetail)} == {FORM_JSON_MAX}
    assert FORM_JSON_MAX < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_body_over_djangos_bound_is_a_413_with_the_reason_too(client):
    client.raise_request_exception = False
    r = client.post(TOKEN, _body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), content_type="application/json")
    assert r.status_code == 413 and "5 MB" in r.json()["error"]["message"]


def test_a_file_upload_keeps_its_own_limit(api_for, make_user):
    """A file uploaded to ingest (multipart, over 1 MB) is not held to the JSON bound: refused for its kind (a
    file of no report format, so nothing is read), not for its size."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.accounts.models import Role

    client = api_for(make_user(Role.STAFF))
    data = b"\0" * (JSON_BODY_MAX + 1000)
    r = client.post(
        reverse("api:ingest-document-upload"),
        {"file": SimpleUploadedFile("r.bin", data, content_type="application/octet-stream")},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["error"]["code"] != "request_too_large", r.content[:300]
