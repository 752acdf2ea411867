"""The OpenAPI schema is generated once per process and language, not on every request."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from kechuang.core.api_views import CachedSchemaView

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    CachedSchemaView._generated.clear()
    CachedSchemaView._rendered.clear()
    yield
    CachedSchemaView._generated.clear()
    CachedSchemaView._rendered.clear()


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


def test_each_format_is_rendered_once_and_served_as_rendered(client, monkeypatch):
    """The YAML (the default) and the JSON are each rendered on their first request only, with their own
    content type; a later request gets the same bytes (testtime11: YAML was 0.6 s of CPU a request)."""
    from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer

    rendered = []
    for renderer in (OpenApiJsonRenderer, OpenApiYamlRenderer):
        real = renderer.render

        def counting(self, *args, _real=real, **kwargs):
            rendered.append(type(self).__name__)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(renderer, "render", counting)
    yaml_first, yaml_again = client.get("/api/schema/"), client.get("/api/schema/")
    json_first, json_again = client.get("/api/schema/?format=json"), client.get("/api/schema/?format=json")
    assert rendered == ["OpenApiYamlRenderer", "OpenApiJsonRenderer"]
    assert yaml_first.status_code == yaml_again.status_code == json_again.status_code == 200
    assert yaml_first.content == yaml_again.content and json_first.content == json_again.content
    assert yaml_again["Content-Type"].startswith("application/vnd.oai.openapi")
    assert json_again["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert yaml_again.content.startswith(b"openapi:") and json_again.json()["openapi"]
    assert yaml_again["Content-Disposition"] == yaml_first["Content-Disposition"]
