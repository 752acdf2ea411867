"""A many-to-many field's list of ids an API call writes is bounded (docs/security.md §40): at most
`core.limits.IDS_MAX` (10,000), as `core.api.id_list` bounds the plain lists (§39).

DRF's `PrimaryKeyRelatedField(many=True)` takes no `max_length`: a topic's `needs`, a reorganisation's
`sources`/`targets`, a registered result's `unit_ids`/`person_ids` took as many ids as the 1 MB body carries
(about 170,000), each looked up by its own query. Now `core.api.RelatedIds(many=True, …)` refuses more than
IDS_MAX with a 400 naming the field before any is looked up, reads the rows in one query, and the OpenAPI schema
says `maxItems`. The walker fails on any writable many-to-many field without the bound, in every serializer
the product defines (and those the API reads), so a new one cannot slip through."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from kechuang.core.api import BoundedManyRelatedField
from kechuang.core.limits import IDS_MAX
from kechuang.core.models import AuditEvent

from .product import product_subclasses
from .test_api_serializers_bounded import _walked

TOO_MANY = list(range(1, IDS_MAX + 2))


def _many(field, path, out):
    if getattr(field, "read_only", False):
        return
    if isinstance(field, serializers.ManyRelatedField):
        out.append((path, field))
    elif isinstance(field, (serializers.ListSerializer, serializers.ListField, serializers.DictField)):
        _many(field.child, f"{path}[]", out)
    elif isinstance(field, serializers.Serializer):
        for name, sub in field.fields.items():
            _many(sub, f"{path}.{name}" if path else name, out)


def _every_serializer():
    """(name, instance) of every serializer the API reads and every Serializer class the product defines that
    can be built without arguments."""
    seen = {name: ser for name, (ser, _where) in _walked().items()}
    for cls in product_subclasses(serializers.Serializer):
        name = f"{cls.__module__}.{cls.__name__}"
        if name in seen:
            continue
        try:
            seen[name] = cls()
            seen[name].fields  # noqa: B018  (building the fields is what may fail)
        except Exception:  # a serializer that needs its context: the API's walk has it
            seen.pop(name, None)
    return seen


def test_every_writable_many_to_many_id_field_is_bounded():
    found, unbounded = [], []
    for name, ser in sorted(_every_serializer().items()):
        out = []
        _many(ser, "", out)
        for path, field in out:
            found.append(f"{name}.{path}")
            if not isinstance(field, BoundedManyRelatedField) or not 0 < field.max_length <= IDS_MAX:
                unbounded.append(f"{name}.{path}")
    assert not unbounded, "many-to-many id fields without a bound (core.api.RelatedIds):\n" + "\n".join(
        unbounded
    )
    # the walker finds the ones there are (a walker finding none would pass anything)
    for known in (
        "kechuang.challenges.api.serializers.ChallengeTopicSerializer.needs",
        "kechuang.platforms.api.reorganisation.ReorganisationSerializer.sources",
        "kechuang.platforms.api.reorganisation.ReorganisationSerializer.targets",
        "kechuang.registry.api.RegistrationWriteSerializer.unit_ids",
        "kechuang.registry.api.RegistrationWriteSerializer.person_ids",
    ):
        assert known in found, known


def test_the_schema_says_the_bound():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for component, field in [
        ("ChallengeTopicRequest", "needs"),
        ("ReorganisationRequest", "sources"),
        ("RegistrationWriteRequest", "person_ids"),
    ]:
        prop = components[component]["properties"][field]
        assert prop["type"] == "array" and prop["maxItems"] == IDS_MAX, (component, prop)


@pytest.mark.django_db
def test_a_topic_refuses_too_many_needs_and_writes_nothing(api_for, staff, english):
    from kechuang.challenges.models import Topic

    body = {"title": "碳化硅衬底", "track": "industrialisation", "description": "述", "needs": TOO_MANY}
    api = api_for(staff)
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        r = api.post("/api/challenges/topics/", body, format="json")
    assert r.status_code == 400, r.content[:300]
    assert r.json()["error"]["fields"]["needs"] == [f"最多 {IDS_MAX} 个编号。"]
    assert len(queries) < 20  # refused before any id was looked up
    said = english(api_for(staff)).post("/api/challenges/topics/", body, format="json").json()
    assert said["error"]["fields"]["needs"] == [f"At most {IDS_MAX} ids."]
    assert not Topic.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_ids_are_read_in_one_query_and_a_missing_or_odd_one_is_named(api_for, staff):
    from kechuang.challenges.models import Topic
    from kechuang.challenges.tests.factories import NeedFactory

    needs = [NeedFactory() for _ in range(30)]
    api = api_for(staff)
    url = "/api/challenges/topics/"
    body = {"title": "碳化硅衬底", "track": "industrialisation", "description": "述"}
    missing = api.post(url, {**body, "needs": [needs[0].pk, 999_999]}, format="json")
    assert missing.status_code == 400 and "999999" in missing.json()["error"]["fields"]["needs"][0]
    for odd in ([True], [{"a": 1}], ["x"], "1,2", 5):
        r = api.post(url, {**body, "needs": odd}, format="json")
        assert r.status_code == 400 and "needs" in r.json()["error"]["fields"], (odd, r.content[:200])
    assert not Topic.objects.exists()
    ids = [n.pk for n in needs] + [str(needs[0].pk)]  # a string id, and one twice: taken as DRF takes them
    from kechuang.challenges.api.serializers import ChallengeTopicSerializer

    ser = ChallengeTopicSerializer(data={**body, "needs": ids})
    with CaptureQueriesContext(connection) as queries:
        assert ser.is_valid(), ser.errors
    assert len([q for q in queries if '"challenges_need"' in q["sql"]]) == 1  # one query, not one per id
    assert [n.pk for n in ser.validated_data["needs"]] == [n.pk for n in needs] + [needs[0].pk]  # in order
    ok = api.post(url, {**body, "needs": ids}, format="json")
    assert ok.status_code == 201, ok.content[:300]
    assert set(Topic.objects.get().needs.values_list("pk", flat=True)) == {n.pk for n in needs}


@pytest.mark.django_db
def test_a_registered_results_people_and_units_are_bounded():
    """The API reads a registration's result first (404 for one the caller may not see); the serializer it
    then validates with refuses too many ids for either list."""
    from kechuang.registry.api import RegistrationWriteSerializer

    for field in ("person_ids", "unit_ids"):
        ser = RegistrationWriteSerializer(data={field: TOO_MANY})
        with CaptureQueriesContext(connection) as queries:
            assert not ser.is_valid()
        assert [str(e) for e in ser.errors[field]] == [f"最多 {IDS_MAX} 个编号。"]
        assert len(queries) < 5


@pytest.mark.django_db
def test_a_reorganisation_refuses_too_many_sources(api_for, staff):
    r = api_for(staff).post(
        "/api/platforms/reorganisations/",
        {"confirm": True, "kind": "merge", "date": "2026-01-01", "sources": TOO_MANY, "targets": [1]},
        format="json",
    )
    assert r.status_code == 400, r.content[:300]
    assert r.json()["error"]["fields"]["sources"] == [f"最多 {IDS_MAX} 个编号。"]
