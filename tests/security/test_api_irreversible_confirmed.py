"""The API asks before a step that cannot be undone, as the pages do (docs/security.md §42).

The rule: during an API call, a workflow transition in its machine's `irreversible()` (the same set the pages
ask first for — a ticked box, a confirmation page: tests/test_crawl.py's walk) is refused with 400
(`code: "confirm"`, the field `confirm`, the step named with the state it leaves and reaches and that it cannot
be undone) unless the body says `"confirm": true`; nothing is written or audited then. Reversible steps are taken
as before. The check sits in `StateMachine.check`, the one check every step of every machine passes."""

import contextlib
import datetime
import importlib

import pytest
import time_machine
from django.apps import apps

from kechuang.challenges.tests.factories import CRITERIA
from kechuang.core import context
from kechuang.core.confirming import ConfirmRequired
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.core.workflow import MACHINES

TZ = datetime.timezone(datetime.timedelta(hours=8))


def _machines():
    for config in apps.get_app_configs():
        if config.name.startswith("kechuang."):
            for module in ("workflow", "models"):
                with contextlib.suppress(ModuleNotFoundError):
                    importlib.import_module(f"{config.name}.{module}")
    return sorted(MACHINES.items())


class _Request:
    def __init__(self, path, body):
        self.path_info = self.path = path
        self.kechuang_json = body
        self.method = "POST"


def _in_call(path, body):
    return context.set_current(context.RequestContext(request=_Request(path, body)))


STEPS = [(name, t.name) for name, m in _machines() for t in m.transitions.values()]


@pytest.mark.parametrize(("machine", "step"), STEPS, ids=[f"{m}.{s}" for m, s in STEPS])
def test_every_step_of_every_machine_follows_the_rule(machine, step, monkeypatch):
    """Each registered machine's each transition, taken through `check` (the state, roles and guards passed)
    in an API call without `confirm`, with it, and outside the API (a page, a command)."""
    m = MACHINES[machine]
    t = m.transitions[step]
    monkeypatch.setattr(m, "reasons_refused", lambda *a, **k: [])
    source = sorted(t.sources)[0]
    final = step in m.irreversible()
    for path, body, refused in [
        ("/api/x/1/transition/", {"action": step}, final),
        ("/api/x/1/transition/", {"action": step, "confirm": True}, False),
        ("/api/x/1/transition/", {"action": step, "confirm": "true"}, False),
        ("/api/x/1/transition/", {"action": step, "confirm": False}, final),
        ("/api/x/1/transition/", {"action": step, "confirm": "no"}, final),
        ("/x/1/do/publish/", {}, False),  # a page asks in its own way (its box, its confirmation page)
    ]:
        token = _in_call(path, body)
        try:
            if refused:
                with pytest.raises(ConfirmRequired) as exc:
                    m.check(source, step, t.roles)
                assert exc.value.status == 400 and exc.value.code == "confirm"
                assert str(t.label) in str(exc.value.message) and '"confirm": true' in str(exc.value.message)
                assert exc.value.fields["confirm"]
            else:
                assert m.check(source, step, t.roles) is t
        finally:
            context.reset(token)
    # a command or a job, outside any request
    assert m.check(source, step, t.roles) is t


def test_the_irreversible_set_is_the_pages(monkeypatch):
    """The rule reads the very set the pages ask first for (StateMachine.irreversible), so the two agree."""
    challenge = MACHINES["challenge"]
    assert {"publish", "close", "cancel", "finish", "award"} <= challenge.irreversible()
    assert "submit" not in MACHINES["application"].irreversible()  # returned for revision: not final


def _challenge(S):
    topic = S.post(
        "/api/challenges/topics/", {"title": "碳化硅衬底", "track": "industrialisation"}, format="json"
    )
    ch = S.post(
        "/api/challenges/",
        {
            "code": "JB-2026-142",
            "topic": topic.json()["id"],
            "year": 2026,
            "title": "8英寸碳化硅单晶衬底",
            "problem": "突破8英寸碳化硅单晶生长",
            "budget_ceiling": "1000",
            "deadline": datetime.datetime(2026, 4, 1, 17, tzinfo=TZ).isoformat(),
            "criteria": CRITERIA,
            "indicators": [{"name": "晶圆直径", "unit": "英寸", "baseline": 6, "target": 8}],
        },
        format="json",
    )
    assert ch.status_code == 201, ch.content
    return ch.json()["id"]


@pytest.mark.django_db
def test_publishing_a_challenge_through_the_api_needs_confirm(api_for, make_user):
    S = api_for(make_user(Role.STAFF))
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=TZ), tick=False):
        pk = _challenge(S)
        events = AuditEvent.objects.count()
        r = S.post(f"/api/challenges/{pk}/transition/", {"action": "publish"}, format="json")
        assert r.status_code == 400, r.content
        error = r.json()["error"]
        assert error["code"] == "confirm" and "不能撤销" in error["message"] and "发榜" in error["message"]
        assert error["fields"]["confirm"]
        assert S.get(f"/api/challenges/{pk}/").json()["status"] == "draft"
        assert AuditEvent.objects.count() == events  # nothing written, nothing audited
        # a form post says it as a page would
        r = S.post(f"/api/challenges/{pk}/transition/", {"action": "publish", "confirm": "1"})
        assert r.status_code == 200, r.content
        assert r.json()["status"] == "published"


def test_the_english_refusal():
    from django.utils import translation

    from kechuang.core.confirming import refusal

    m = MACHINES["challenge"]
    with translation.override("en"):
        text = refusal(m, m.transitions["publish"], "draft")
    assert "cannot be undone" in text and '"confirm": true' in text


def test_the_schema_names_confirm_where_a_step_cannot_be_undone():
    """Each API operation that can take such a step says `confirm` in its request body (drf-spectacular)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    missing = []
    for path, method in ASKING:
        op = schema["paths"][path][method]
        content = op["requestBody"]["content"]
        for media in content.values():
            ref = media["schema"].get("$ref", "")
            props = components[ref.rsplit("/", 1)[-1]]["properties"] if ref else media["schema"]["properties"]
            if "confirm" not in props:
                missing.append(f"{method.upper()} {path}")
                break
    assert not missing


# The operations that can take a step some machine's irreversible() names (found by following each API view's
# service calls to `transition_apply` or a machine's `check`, session 34); a new one is added here and
# `core.api.ConfirmField()` to its request body. The rule holds without it (the check is the machine's); the
# schema is what tells a client.
ASKING = [
    ("/api/challenges/{id}/transition/", "post"),
    ("/api/challenges/{id}/review/", "post"),
    ("/api/challenges/{id}/decision/", "post"),
    ("/api/challenges/objections/{id}/answer/", "post"),
    ("/api/challenges/{id}/downselect/", "post"),
    ("/api/challenges/{id}/pre-applications/", "post"),
    ("/api/challenges/pre-applications/{id}/shortlist/", "post"),
    ("/api/challenges/applications/{id}/transition/", "post"),
    ("/api/challenges/contracts/{id}/transition/", "post"),
    ("/api/challenges/contracts/{id}/acceptance/", "post"),
    ("/api/challenges/contracts/{id}/performance/", "post"),
    ("/api/challenges/changes/{id}/decide/", "post"),
    ("/api/challenges/milestones/{id}/", "post"),
    ("/api/evaluation/campaigns/{id}/actions/", "post"),
    ("/api/funds/payments/{id}/actions/", "post"),
    ("/api/funds/adjustments/{id}/decide/", "post"),
    ("/api/funds/final/{id}/actions/", "post"),
    ("/api/integrity/records/{id}/transition/", "post"),
    ("/api/platforms/{id}/transition/", "post"),
    ("/api/platforms/reorganisations/", "post"),
    ("/api/platforms/reports/{id}/transition/", "post"),
    ("/api/registry/results/{id}/transition/", "post"),
    ("/api/registry/contracts/{id}/transition/", "post"),
    ("/api/review/rounds/{id}/assignments/", "post"),
    ("/api/review/reviews/{id}/{action}/", "post"),
]
