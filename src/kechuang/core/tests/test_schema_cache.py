"""The OpenAPI schema is generated once per process and language, not on every request."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from kechuang.core.api_views import CachedSchemaView

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    CachedSchemaView._generated.clear()
    yield
    CachedSchemaView._generated.clear()


def test_the_schema_is_generated_once_per_language(client, monkeypatch):
    calls = []
    real = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first = client.get("/api/schema/?format=json")
    second = client.get("/api/schema/?format=json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(calls) == 1
    english = client.get("/api/schema/?format=json&lang=en")
    assert english.status_code == 200 and len(calls) == 2
    assert english.content != first.content  # the descriptions follow the language


def test_the_cached_schema_is_the_same_for_every_caller(client, make_user):
    from kechuang.core.roles import Role

    anonymous = client.get("/api/schema/?format=json").content
    client.force_login(make_user(Role.STAFF, username="schema-staff"))
    assert client.get("/api/schema/?format=json").content == anonymous
