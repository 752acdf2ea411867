"""Every text an API client writes is bounded, as a web form's is (docs/security.md §36; people23).

The reasons and notes the API reads were bounded in session 28 (people17), but a challenge's problem, an
application's plan, a platform's mission, a report's summary … went into their rows as sent, bounded only by
the 5 MB body, while the page's form field stops at `core.limits.TEXT_MAX`. Now every writable `CharField` of a
serializer the API reads carries a `max_length` (`REASON_MAX`, `TEXT_MAX`, or the model's own length), so the
OpenAPI schema says it and a longer value is a 400 naming the field, in the caller's language, before anything
is written or audited.

The walker fails on any future writable text field without a bound, in any serializer the API reads:
- the request body of every write operation reachable from the API's URLs (drf-spectacular's generator: a
  view's `serializer_class`, or `@extend_schema(request=…)`), nested serializers and lists' items included;
- every serializer the product's code constructs with `data=` itself (a view that validates with one
  serializer and documents another, `ObjectionSerializer(data=request.data)`), found in the source."""

import inspect
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers

from kechuang.core.limits import REASON_MAX, TEXT_MAX
from kechuang.core.models import AuditEvent

from .product import product_modules

# Typed text a serializer reads without a bound, and why: none is stored.
NOT_STORED = {
    # the token endpoint's credentials: checked against the account, never stored (Django's own form bounds
    # the page's; a password's hash is what is kept)
    ("kechuang.accounts.api.ObtainTokenSerializer", "username"),
    ("kechuang.accounts.api.ObtainTokenSerializer", "password"),
}

_CONSTRUCTED = re.compile(r"\b([A-Z]\w*)\((?:[^()]*?,\s*)?data=")


def _request_serializers():
    """(name, serializer instance, where) for each request body of each write operation of the API."""
    gen = SchemaGenerator()
    gen._initialise_endpoints()
    for path, _regex, method, view in gen._get_paths_and_endpoints():
        if method not in ("POST", "PUT", "PATCH", "DELETE"):
            continue
        found = view.schema.get_request_serializer()
        for one in found.values() if isinstance(found, dict) else [found]:
            if one is None or not isinstance(force_instance(one), serializers.BaseSerializer):
                continue
            ser = force_instance(one)
            yield f"{type(ser).__module__}.{type(ser).__name__}", ser, f"{method} {path}"


def _constructed_serializers():
    """Serializer classes the product's modules construct with `data=` (they validate input with them)."""
    for name, module in product_modules():
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            continue
        for cls_name in set(_CONSTRUCTED.findall(source)):
            cls = getattr(module, cls_name, None)
            if isinstance(cls, type) and issubclass(cls, serializers.BaseSerializer):
                yield f"{cls.__module__}.{cls.__name__}", cls(), name


def _unbounded(field, path, out):
    if getattr(field, "read_only", False):
        return
    if isinstance(field, (serializers.ListSerializer, serializers.ListField, serializers.DictField)):
        _unbounded(field.child, f"{path}[]", out)
    elif isinstance(field, serializers.Serializer):
        for name, sub in field.fields.items():
            _unbounded(sub, f"{path}.{name}" if path else name, out)
    elif isinstance(field, serializers.CharField) and field.max_length is None:
        out.append(path)


def _walked():
    seen = {}
    for name, ser, where in [*_request_serializers(), *_constructed_serializers()]:
        seen.setdefault(name, (ser, where))
    return seen


def test_the_walker_finds_the_api_serializers_and_those_validated_past_the_schema():
    seen = _walked()
    assert len(seen) > 60
    assert "kechuang.challenges.api.serializers.ChallengeSerializer" in seen  # a viewset's serializer_class
    assert "kechuang.funds.api.AdjustmentIn" in seen  # an @extend_schema(request=…)
    assert "kechuang.challenges.api.lifecycle.ObjectionSerializer" in seen  # documented as another


def test_no_serializer_the_api_reads_has_a_writable_text_field_without_a_bound():
    """A new serializer (or field) whose writable text has no `max_length` fails here: give it REASON_MAX or
    TEXT_MAX from core.api (a ModelSerializer's model `TextField`s: inherit `core.api.BoundedTextSerializer`),
    or its model's length."""
    unbounded = []
    for name, (ser, where) in sorted(_walked().items()):
        out = []
        _unbounded(ser, "", out)
        unbounded += [f"{name}.{f} ({where})" for f in out if (name, f) not in NOT_STORED]
    assert not unbounded, "\n".join(unbounded)


# End to end: a refusal names the field in the caller's language, nothing is written or audited; at the bound,
# taken.


def _field_said(r, field):
    assert r.status_code == 400, r.content[:300]
    said = r.json()["error"]["fields"][field]
    return " ".join(said)


@pytest.mark.django_db
def test_a_topics_description_past_text_max(api_for, staff, english):
    from kechuang.challenges.models import Topic

    api = api_for(staff)
    url = "/api/challenges/topics/"
    body = {"title": "碳化硅衬底", "track": "industrialisation", "description": "述" * (TEXT_MAX + 1)}
    before = AuditEvent.objects.count()
    said = _field_said(api.post(url, body, format="json"), "description")
    assert str(TEXT_MAX) in said and "characters" not in said  # 请确保这个字段不能超过 20000 个字符。
    said = _field_said(english(api_for(staff)).post(url, body, format="json"), "description")
    assert f"no more than {TEXT_MAX} characters" in said  # the language the reader chose
    assert not Topic.objects.exists() and AuditEvent.objects.count() == before
    body["description"] = "述" * TEXT_MAX
    assert api.post(url, body, format="json").status_code == 201
    assert Topic.objects.get().description == "述" * TEXT_MAX


@pytest.mark.django_db
def test_a_platforms_mission_past_text_max(api_for, staff):
    from kechuang.platforms.tests.factories import PlatformFactory

    p = PlatformFactory(mission="原使命")
    api = api_for(staff)
    before = AuditEvent.objects.count()
    r = api.patch(
        f"/api/platforms/{p.pk}/", {"mission": "使" * (TEXT_MAX + 1), "version": p.version}, format="json"
    )
    assert str(TEXT_MAX) in _field_said(r, "mission")
    p.refresh_from_db()
    assert p.mission == "原使命" and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_an_objections_contact_and_answer(api_for, staff, make_user):
    """The contact was cut at its column's 100 characters without a word, the answer not bounded at all."""
    import datetime

    from django.utils import timezone

    from kechuang.challenges.models import Objection, Publicity
    from kechuang.challenges.tests.factories import ApplicationFactory
    from kechuang.core.roles import Role

    app = ApplicationFactory()
    today = timezone.localdate()
    pub = Publicity.objects.create(
        challenge=app.challenge, starts_on=today, ends_on=today + datetime.timedelta(days=7)
    )
    person = make_user(Role.APPLICANT)
    url = f"/api/challenges/{app.challenge_id}/objections/"
    lodge = {"application": app.pk, "text": "异议", "contact": "电" * 101}
    assert "100" in _field_said(api_for(person).post(url, lodge, format="json"), "contact")
    assert not Objection.objects.exists()
    obj = Objection.objects.create(publicity=pub, application=app, text="异议")
    url = f"/api/challenges/objections/{obj.pk}/answer/"
    before = AuditEvent.objects.count()
    r = api_for(staff).post(url, {"upheld": False, "answer": "答" * (REASON_MAX + 1)}, format="json")
    assert str(REASON_MAX) in _field_said(r, "answer")
    obj.refresh_from_db()
    assert obj.status == Objection.Status.OPEN and AuditEvent.objects.count() == before
