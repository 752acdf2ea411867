import datetime

import pytest

from kechuang.core.models import AuditEvent
from kechuang.techmap.models import Chain, Coverage, Technology

from .factories import ChainFactory, CoverageFactory, LinkFactory, TechnologyFactory

# Tests that reach the database through factories or role fixtures fetched on the fly (the `nodb` mark of
# src/kechuang/conftest.py reads fixtures, not function bodies).
pytestmark = pytest.mark.django_db

API = "/api/techmap/"


@pytest.fixture
def world(coverable):
    pub = ChainFactory(name="新材料")
    draft = ChainFactory(name="核技术", draft=True)
    gap = TechnologyFactory(link=LinkFactory(chain=pub), name="碳化硅单晶衬底", bottleneck=True)
    covered = TechnologyFactory(link=gap.link, name="超高分子量聚乙烯", bottleneck=True)
    CoverageFactory(technology=covered, target=coverable("聚乙烯项目"))
    hidden = TechnologyFactory(link=LinkFactory(chain=draft), name="锶-90萃取剂", bottleneck=True)
    return {"pub": pub, "draft": draft, "gap": gap, "covered": covered, "hidden": hidden}


def test_public_reads_published_without_internal_notes(api_for, world):
    r = api_for(None).get(API + "technologies/")
    assert r.status_code == 200
    names = sorted(t["name"] for t in r.json()["results"])
    assert names == ["碳化硅单晶衬底", "超高分子量聚乙烯"]
    assert all("internal_note" not in t for t in r.json()["results"])
    chains = api_for(None).get(API + "chains/").json()["results"]
    assert [c["name"] for c in chains] == ["新材料"] and "internal_note" not in chains[0]
    assert api_for(None).get(API + f"technologies/{world['hidden'].pk}/").status_code == 404
    assert api_for(None).get(API + f"chains/{world['draft'].pk}/").status_code == 404


def test_internal_readers_see_all_with_notes(api_for, expert, world):
    r = api_for(expert).get(API + "technologies/")
    assert r.json()["count"] == 3
    assert r.json()["results"][0]["internal_note"] == "内部备注：技术路线存疑"


@pytest.mark.parametrize("role", ["applicant", "operator", None])
def test_coverage_and_gaps_are_internal(api_for, request, world, role):
    user = request.getfixturevalue(role) if role else None
    for path in ("coverage/", "gaps/"):
        r = api_for(user).get(API + path)
        assert r.status_code in (401, 403)
        assert "error" in r.json()


def test_gap_report_endpoint(api_for, commissioner, world):
    r = api_for(commissioner).get(API + "gaps/")
    assert r.status_code == 200
    assert sorted(g["name"] for g in r.json()["results"]) == ["碳化硅单晶衬底", "锶-90萃取剂"]
    r = api_for(commissioner).get(API + "gaps/", {"as_of": "2021-01-01"})  # before the project started
    assert r.json()["count"] == 3
    r = api_for(commissioner).get(API + "gaps/", {"as_of": "not-a-date"})
    assert r.status_code == 400 and r.json()["error"]["fields"]["as_of"]


@pytest.mark.parametrize("role", ["commissioner", "expert", "applicant"])
def test_writes_refused_to_non_staff(api_for, request, world, role):
    c = api_for(request.getfixturevalue(role))
    assert c.post(API + "chains/", {"name": "新链"}).status_code == 403
    assert c.patch(API + f"technologies/{world['gap'].pk}/", {"is_bottleneck": False}).status_code in (
        403,
        404,
    )
    assert c.post(
        API + f"technologies/{world['gap'].pk}/trl/", {"kind": "current", "value": 7}
    ).status_code in (
        403,
        404,
    )
    assert c.post(API + f"technologies/{world['gap'].pk}/gap-topic/", {}).status_code == 403
    assert not Chain.objects.filter(name="新链").exists()
    world["gap"].refresh_from_db()
    assert world["gap"].is_bottleneck and world["gap"].trl_current == 5


def test_anonymous_writes_are_401(api_for, world):
    r = api_for(None).post(API + "chains/", {"name": "新链"})
    assert r.status_code == 401


def test_staff_crud_and_version_conflict(api_for, staff, world):
    c = api_for(staff)
    r = c.post(API + "chains/", {"name": "装备制造", "published": True})
    assert r.status_code == 201
    chain_id = r.json()["id"]
    r = c.post(API + "links/", {"chain": chain_id, "stage": "midstream", "name": "数控机床"})
    assert r.status_code == 201
    r = c.post(
        API + "technologies/", {"link": r.json()["id"], "name": "五轴联动数控机床", "is_bottleneck": True}
    )
    assert r.status_code == 201
    tid = r.json()["id"]
    r = c.post(API + f"technologies/{tid}/trl/", {"kind": "current", "value": 6, "as_of": "2024-12-31"})
    assert r.status_code == 201
    r = c.get(API + f"technologies/{tid}/")
    assert (r.json()["trl_current"], r.json()["trl_current_on"]) == (6, "2024-12-31")
    assert c.patch(API + f"technologies/{tid}/", {"level": "following", "version": 1}).status_code == 200
    r = c.patch(API + f"technologies/{tid}/", {"level": "domestic_leading", "version": 1})
    assert r.status_code == 409 and r.json()["error"]["code"] == "stale"
    assert Technology.objects.get(pk=tid).level == "following"
    r = c.post(API + f"technologies/{tid}/trl/", {"kind": "current", "value": 10})
    assert r.status_code == 400 and "value" in r.json()["error"]["fields"]
    assert AuditEvent.objects.filter(action="technology.update").count() == 1


def test_coverage_create_and_end(api_for, staff, world, coverable):
    unit = coverable("碳化硅联合体")
    c = api_for(staff)
    body = {
        "technology": world["gap"].pk,
        "kind": "consortium",
        "app_label": "accounts",
        "model": "unit",
        "object_id": unit.pk,
        "since": "2024-01-01",
    }
    r = c.post(API + "coverage/", body)
    assert r.status_code == 201, r.json()
    assert r.json()["active"] is True and r.json()["target_type"] == "accounts.unit"
    assert c.post(API + "coverage/", body).status_code == 409
    r = c.post(API + "coverage/", {**body, "model": "nosuch"})
    assert r.status_code == 400
    r = c.post(
        API + "coverage/", {**body, "app_label": "techmap", "model": "chain", "object_id": world["pub"].pk}
    )
    assert r.status_code == 400 and "coverage_active" in r.json()["error"]["message"]
    assert sorted(g["name"] for g in c.get(API + "gaps/").json()["results"]) == ["锶-90萃取剂"]
    cid = Coverage.objects.get(technology=world["gap"]).pk
    r = c.patch(API + f"coverage/{cid}/", {"until": "2024-06-30", "reason": "联合体解散"})
    assert r.status_code == 200 and r.json()["active"] is False
    assert len(c.get(API + "gaps/").json()["results"]) == 2


def test_gap_topic_endpoint(api_for, staff, world, time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC))
    r = api_for(staff).post(API + f"technologies/{world['gap'].pk}/gap-topic/", {"title": "碳化硅衬底攻关"})
    assert r.status_code == 201
    assert r.json()["kind"] == "topic" and r.json()["target_repr"] == "碳化硅衬底攻关"
    r = api_for(staff).post(API + f"technologies/{world['gap'].pk}/gap-topic/", {})
    assert r.status_code == 409
    r = api_for(staff).post(
        API + f"technologies/{world['covered'].pk}/gap-topic/", {"title": "碳化硅衬底攻关"}
    )
    assert r.status_code == 400  # the title is taken: challenges refuses, nothing is linked
    assert Coverage.objects.filter(kind="topic").count() == 1


def test_tree_endpoint(api_for, world):
    r = api_for(None).get(API + "tree/")
    assert [c["name"] for c in r.json()] == ["新材料"]


def test_schema_builds(api_for, staff):
    r = api_for(staff).get("/api/schema/")
    assert r.status_code == 200
    assert b"/api/techmap/gaps/" in r.content
