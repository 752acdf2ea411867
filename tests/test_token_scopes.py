"""API token scopes (finding: a token could do whatever its owner could, on every endpoint; docs/security.md,
"API token scopes"). A token is read only or read and write, in every area of the API or only in some; the
scope is applied where a token is accepted (accounts.authentication), so every API view has it; a session is
not affected. Tokens issued before scopes are read and write in every area (migration 0009)."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph
from django.urls import URLPattern, URLResolver
from django.utils import translation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from kechuang.accounts import scopes, services
from kechuang.accounts.models import ApiToken
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

PASSWORD = "correct-horse-battery"


def _client(key: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


def _key(user, access="write", areas=()) -> str:
    return services.token_issue(actor=user, user=user, access=access, areas=areas, name="t")[1]


def _error(response) -> tuple[str, str]:
    body = response.json()["error"]
    return body["code"], body["message"]


# --- enforcement ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_read_only_token_reads_and_is_refused_every_write_with_the_reason(make_user):
    user = make_user(Role.APPLICANT)
    c = _client(_key(user, access="read"))
    assert c.get("/api/me/").status_code == 200
    assert c.get("/api/platforms/").status_code == 200
    assert c.options("/api/me/").status_code == 200
    for method, url in (("patch", "/api/me/"), ("post", "/api/notifications/read/"), ("post", "/api/units/")):
        r = getattr(c, method)(url, {}, format="json")
        assert r.status_code == 403, (method, url, r.content)
        code, message = _error(r)
        assert code == "token_read_only" and "只读" in message and method.upper() in message
    token = ApiToken.objects.get(user=user)
    assert c.delete(f"/api/auth/tokens/{token.pk}/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None  # refused before the view ran


@pytest.mark.django_db
def test_a_token_limited_to_areas_is_refused_outside_them_with_the_reason(make_user):
    user = make_user(Role.APPLICANT)
    c = _client(_key(user, areas=["platforms", "indicators"]))
    assert c.get("/api/platforms/").status_code == 200
    assert c.get("/api/indicators/indicators/").status_code == 200
    for url in ("/api/me/", "/api/challenges/", "/api/notifications/", "/api/techmap/chains/"):
        r = c.get(url)
        assert r.status_code == 403, (url, r.content)
        code, message = _error(r)
        assert code == "token_area" and "创新平台、创新指标" in message
    assert "「单位与用户" in _error(c.get("/api/me/"))[1]


@pytest.mark.django_db
def test_a_read_and_write_token_limited_to_an_area_writes_in_it(make_user):
    user = make_user(Role.APPLICANT)
    c = _client(_key(user, areas=["accounts"]))
    r = c.patch("/api/me/", {"language": "en"}, format="json")
    assert r.status_code == 200, r.content
    assert c.post("/api/notifications/read/", {}, format="json").status_code == 403


@pytest.mark.django_db
def test_a_session_is_not_affected(make_user, client_for):
    user = make_user(Role.APPLICANT)
    _key(user, access="read", areas=["platforms"])  # the person's tokens say nothing about their session
    c = client_for(user)
    assert c.get("/api/me/").status_code == 200
    r = c.patch("/api/me/", {"language": "en"}, content_type="application/json")
    assert r.status_code == 200, r.content


@pytest.mark.django_db
def test_a_view_no_router_knows_and_its_own_permissions_cannot_skip_the_scope(make_user):
    """A new endpoint that names its own permission classes (here: anyone) still has the scope applied:
    a read-only token cannot write through it; a token limited to areas cannot reach an area-less view."""

    class Open(APIView):
        permission_classes = [AllowAny]

        def get(self, request):
            return Response({"ok": True})

        def post(self, request):
            return Response({"ok": True})

    user = make_user(Role.APPLICANT)
    factory, view = APIRequestFactory(), Open.as_view()

    def call(method, key):
        return view(getattr(factory, method)("/x/", HTTP_AUTHORIZATION=f"Token {key}"))

    read, full, limited = _key(user, access="read"), _key(user), _key(user, areas=["platforms"])
    assert call("get", read).status_code == 200 and call("post", full).status_code == 200
    assert call("post", read).status_code == 403
    assert call("get", limited).status_code == 403


def test_refusal_rules_without_a_database():
    class FakeView:
        __module__ = "kechuang.platforms.api.registry"

    assert scopes.refusal(access="write", areas=[], method="DELETE", view=FakeView()) is None
    assert scopes.refusal(access="read", areas=[], method="head", view=FakeView()) is None
    assert scopes.refusal(access="read", areas=[], method="PUT", view=FakeView())[0] == "token_read_only"
    assert scopes.refusal(access="write", areas=["platforms"], method="POST", view=FakeView()) is None
    assert scopes.refusal(access="write", areas=["ingest"], method="GET", view=FakeView())[0] == "token_area"
    assert scopes.refusal(access="write", areas=["ingest"], method="GET", view=None)[0] == "token_area"
    assert scopes.clean_areas(["ingest", "platforms", "ingest"]) == ["platforms", "ingest"]
    with pytest.raises(ValueError):
        scopes.clean_areas(["nope"])


# --- the areas are the API's routers ----------------------------------------------------------------------


def _views(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _views(p.url_patterns)
        elif isinstance(p, URLPattern):
            cls = getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None)
            if cls is not None:
                yield str(p.pattern), cls


def test_the_areas_are_the_api_routers_and_every_view_is_in_its_routers_area():
    from kechuang import api_urls

    routers, wrong = [], []
    for include in api_urls.urlpatterns:
        app = include.urlconf_module.__name__.split(".")[1]
        routers.append(app)
        wrong += [
            (route, cls, app) for route, cls in _views(include.url_patterns) if scopes.area_of(cls) != app
        ]
    assert list(dict.fromkeys(routers)) == list(scopes.AREAS), "AREAS: one per router of api_urls, same order"
    assert wrong == []


# --- issuing: the API, the page, the audit ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_token_endpoint_takes_a_scope_and_defaults_to_read_only_everywhere(make_user):
    user = make_user(Role.APPLICANT)
    c = APIClient()
    r = c.post(
        "/api/auth/token/",
        {"username": user.username, "password": PASSWORD, "access": "read", "areas": ["ingest", "core"]},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["access"] == "read" and r.json()["areas"] == ["core", "ingest"]
    assert "只读" in r.json()["scope"]
    # No scope named (an old script): read only in every area, the safe choice (docs/adr/0016); the answer says
    # so, and a write with it is refused with the way to a read and write token.
    r = c.post("/api/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    token = ApiToken.objects.get(pk=r.json()["id"])
    assert (token.access, token.areas) == ("read", [])
    assert r.json()["access"] == "read" and r.json()["scope"] == "只读 · 全部领域"
    refused = _client(r.json()["token"]).patch("/api/me/", {}, format="json")
    assert refused.status_code == 403 and "access=write" in _error(refused)[1]
    r = c.post(
        "/api/auth/token/",
        {"username": user.username, "password": PASSWORD, "access": "write"},
        format="json",
    )
    assert ApiToken.objects.get(pk=r.json()["id"]).access == "write"
    r = c.post(
        "/api/auth/token/",
        {"username": user.username, "password": PASSWORD, "areas": ["everything"]},
        format="json",
    )
    assert r.status_code == 400 and "areas" in r.json()["error"]["fields"]
    listed = _client(_key(user)).get("/api/auth/tokens/").json()["results"]
    assert {t["scope"] for t in listed} >= {"只读 · 通知、后台任务与审计日志、报告导入", "读写 · 全部领域"}


@pytest.mark.django_db
def test_the_issue_page_shows_the_scope_as_words_to_tick_and_issues_it(make_user, client_for):
    user = make_user(Role.APPLICANT)
    c = client_for(user)
    page = c.get("/accounts/tokens/new/").content.decode()
    assert 'type="radio" name="access" value="read"' in page and "只读" in page and "读写" in page
    # read only is the one preselected
    radios = re.findall(r'<input type="radio" name="access" value="(\w+)"[^>]*>', page)
    checked = re.findall(r'<input type="radio" name="access" value="(\w+)"[^>]*\bchecked\b[^>]*>', page)
    assert set(radios) == {"read", "write"} and checked == ["read"]
    no_access = {"name": "x", "password": PASSWORD}
    assert c.post("/accounts/tokens/new/", no_access).status_code == 400  # the page never guesses
    assert page.count('type="checkbox" name="areas"') == len(scopes.AREAS)
    assert "创新平台" in page and "揭榜挂帅" in page and "报告导入" in page
    form = {"name": "同步", "access": "read", "areas": ["platforms", "indicators"], "password": "wrong"}
    r = c.post("/accounts/tokens/new/", form)
    assert r.status_code == 400 and "密码不正确" in r.content.decode()
    assert not ApiToken.objects.filter(user=user).exists()
    r = c.post("/accounts/tokens/new/", {**form, "areas": ["nowhere"], "password": PASSWORD})
    assert r.status_code == 400 and not ApiToken.objects.filter(user=user).exists()
    r = c.post("/accounts/tokens/new/", {**form, "password": PASSWORD})
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=user)
    assert (token.access, token.areas, token.name) == ("read", ["platforms", "indicators"], "同步")
    key = r.context["key"]
    assert key.startswith(token.prefix) and key in r.content.decode()
    assert _client(key).get("/api/platforms/").status_code == 200
    assert _client(key).get("/api/me/").status_code == 403
    profile = c.get("/accounts/profile/").content.decode()
    assert "只读 · 创新平台、创新指标" in profile and key not in profile
    with translation.override("en"):
        c.cookies.load({"django_language": "en"})
        english = c.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Read only · Innovation platforms" in english


@pytest.mark.django_db
def test_issue_and_revoke_are_audited_with_the_scope_in_words(make_user):
    from kechuang.core.display import audit_lines

    user = make_user(Role.APPLICANT)
    token, _key_ = services.token_issue(actor=user, user=user, access="read", areas=["techmap"], name="图谱")
    services.token_revoke(actor=user, token=token, reason="owner")
    issue = AuditEvent.objects.get(action="token.issue", object_id=str(user.pk))
    revoke = AuditEvent.objects.get(action="token.revoke", object_id=str(user.pk))
    assert issue.after["access"] == "read" and issue.after["areas"] == ["techmap"]
    assert revoke.after == {"token": token.prefix, "access": "read", "areas": ["techmap"]}
    with translation.override("zh-hans"):
        lines = audit_lines([issue, revoke])
    words = [f"{c.label}={c.new}" for line in lines for c in line.changes]
    assert words.count("权限与领域=只读 · 产业技术图谱") == 2, words


@pytest.mark.django_db
def test_losing_a_role_revokes_the_tokens_audited_and_gaining_one_does_not(make_user, staff):
    user = make_user(Role.EXPERT)
    key = _key(user, access="read")
    services.user_set_roles(actor=staff, user=user, roles=[Role.EXPERT, Role.APPLICANT])
    assert _client(key).get("/api/me/").status_code == 200
    services.user_set_roles(actor=staff, user=user, roles=[Role.APPLICANT])
    assert _client(key).get("/api/me/").status_code == 401
    token = ApiToken.objects.get(user=user)
    assert token.revoke_reason == "role_removed"
    event = AuditEvent.objects.get(action="token.revoke", object_id=str(user.pk))
    assert event.actor == staff and event.reason == "role_removed"
    assert event.after["scopes"] == {token.prefix: {"access": "read", "areas": []}}
    key = _key(user)
    services.user_update(actor=staff, user=user, roles=[])
    assert _client(key).get("/api/me/").status_code == 401


# --- the migration: tokens issued before scopes keep their whole owner's rights --------------------------


def _executor() -> MigrationExecutor:
    """An executor over the migrations that stand on accounts 0009 and what they stand on, no others (48 of the
    131): going back to 0008 unapplies those that stand on 0009 (accounts 0009-0017, review 0009-0011), and
    Django works out the state before each by replaying the plan's applied migrations before it, re-rendering
    the models at every step — 20 s of CPU over the whole plan, for models that no migration unapplied here
    uses."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    keep = set().union(
        *(graph.forwards_plan(node) for node in graph.backwards_plan(("accounts", "0009_apitoken_scope")))
    )
    pruned = MigrationGraph()
    for key in keep:
        pruned.add_node(key, graph.nodes[key])
    for key in keep:
        for parent in graph.node_map[key].parents:
            pruned.add_dependency(None, key, parent.key)
    executor.loader.graph = pruned
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_old_tokens_read_and_write_in_every_area(make_user):
    user = make_user(Role.APPLICANT)
    before = ("accounts", "0008_apitoken_second_factor")
    executor = _executor()
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps
        import datetime

        from django.utils import timezone

        old.get_model("accounts", "ApiToken").objects.create(
            user_id=user.pk,
            prefix="0ld70ken",
            digest="d" * 64,
            auth_hash="x",
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )
    finally:
        executor = _executor()
        executor.migrate(executor.loader.graph.leaf_nodes())
    whole = MigrationExecutor(connection)
    assert not whole.migration_plan(whole.loader.graph.leaf_nodes())  # the whole plan applied again
    token = ApiToken.objects.get(prefix="0ld70ken")
    assert (token.access, token.areas) == ("write", [])
    assert token.scope_words == "读写 · 全部领域"


# --- last use: when and from where, in the list ------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_when_and_from_where_a_token_was_last_used(make_user, client_for):
    import datetime

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    user = make_user(Role.APPLICANT)
    key = _key(user, access="read")
    assert "从未使用" in client_for(user).get("/accounts/profile/").content.decode()
    c = _client(key)
    assert c.get("/api/me/", REMOTE_ADDR="203.0.113.7").status_code == 200
    token = ApiToken.objects.get(user=user)
    assert token.last_used_from == "203.0.113.7" and token.last_used_at is not None
    with CaptureQueriesContext(connection) as queries:  # a burst from the same address: no write
        c.get("/api/me/", REMOTE_ADDR="203.0.113.7")
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    first = token.last_used_at
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert c.post("/api/notifications/read/", {}, REMOTE_ADDR="198.51.100.2").status_code == 403
    token.refresh_from_db()  # a refused call is a use too: the list shows a token being tried
    assert token.last_used_from == "198.51.100.2" and token.last_used_at > first
    page = client_for(user).get("/accounts/profile/").content.decode()
    assert "198.51.100.2" in page
    listed = c.get("/api/auth/tokens/", REMOTE_ADDR="198.51.100.2").json()["results"]
    assert listed[0]["last_used_from"] == "198.51.100.2"
