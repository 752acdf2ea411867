"""The project report forms of 揭榜挂帅 as data (issue #18.2): the yearly report (年度报告, a milestone's report),
the mid-term check (中期检查) and the acceptance (验收) are form versions on the stages of the list's 揭榜挂帅
version. The seeded forms' keys are the code's own fields (today's pages, unchanged); a field staff add in the
builder to a newer version is asked on the project's pages, stored on the report by key with its form
version, shown with that version for ever, exported and in the API."""

import importlib
import io

import openpyxl
import pytest
from django.apps import apps as global_apps
from django.urls import reverse

from kechuang.challenges import programme
from kechuang.challenges.models import Contract, MidtermCheck
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory, ContractFactory
from kechuang.challenges.tests.test_programme_forms import build_on_the_web
from kechuang.core.audit import AuditEvent
from kechuang.programmes import definitions, transfer
from kechuang.programmes.models import FormVersion, ProgrammeVersion

pytestmark = pytest.mark.django_db


def _contract(version, **kw):
    app = ApplicationFactory(
        challenge=ChallengeFactory(published=True, programme_version=version),
        status="awarded",
        with_milestones=False,
    )
    return ContractFactory(application=app, running=True, **kw)


def test_the_seeded_report_forms_ask_the_code_fields_only():
    v1 = programme.seed()
    for purpose, stage_kind in (
        ("yearly_report", "mid_term"),
        ("mid_term", "racing"),
        ("acceptance", "acceptance"),
    ):
        form = programme.report_form(v1, purpose)
        assert form is not None and form.is_published and form.definition.purpose == purpose
        assert {f["key"] for f in form.fields} == programme.REPORT_BUILTIN_KEYS[purpose]
        assert programme.report_extra_fields(form, purpose) == []
        stage = next(s for s in v1.stages if s["kind"] == stage_kind)
        assert stage["form"] == form.pk


def test_a_yearly_report_field_staff_add_is_asked_stored_and_rendered_with_its_version(client_for, staff):
    old = _contract(programme.seed())
    s = client_for(staff)
    v2 = build_on_the_web(
        s,
        stage_kind="mid_term",
        fields=[{"label": "本年度发表论文数", "kind": "number", "required": "on", "min": "0", "unit": "篇"}],
    )
    form2 = programme.report_form(v2, "yearly_report")
    key = programme.report_extra_fields(form2, "yearly_report")[0]["key"]
    c = _contract(v2)
    ms = c.milestones.get(seq=1)
    leader = client_for(c.leader)
    page = leader.get(ms.get_absolute_url()).content.decode()
    assert "本年度发表论文数（篇）" in page
    # the old project's list pinned the seeded version: not asked
    assert (
        "本年度发表论文数"
        not in client_for(old.leader).get(old.milestones.get(seq=1).get_absolute_url()).content.decode()
    )
    ind = ms.values.get().indicator_id
    post = {"op": "report", "report": "中试线已建成", f"value_{ind}": "6"}
    r = leader.post(ms.get_absolute_url(), post)
    assert r.status_code == 400 and "中试线已建成" in r.content.decode()
    r = leader.post(ms.get_absolute_url(), post | {key: "-1"})
    assert r.status_code == 400  # its limit
    r = leader.post(ms.get_absolute_url(), post | {key: "3"})
    assert r.status_code == 302
    ms.refresh_from_db()
    assert ms.status == "reported" and ms.form_version == form2 and ms.extra == {key: "3"}
    assert AuditEvent.objects.filter(action="milestone.values", after__extra={key: "3"}).exists()
    # a later version renames the field: the report keeps rendering with its own version's label
    build_on_the_web(s, stage_kind="mid_term", fields=[{"label": "专利数", "kind": "number"}])
    latest = programme.report_form(programme.current_version(), "yearly_report")
    assert latest != form2
    FormVersion.objects.filter(pk=latest.pk).update(
        fields=[{**f, "label": "论文数（改）"} if f["key"] == key else f for f in latest.fields]
    )
    commissioner = client_for(c.commissioner)
    page = commissioner.get(ms.get_absolute_url()).content.decode()
    assert "本年度发表论文数" in page and "论文数（改）" not in page and "专利数" not in page
    # the API and the export carry it by key
    data = commissioner.get(reverse("api:challenges-contract-detail", args=[c.pk])).json()
    m1 = next(m for m in data["milestones"] if m["id"] == ms.pk)
    assert m1["extra"] == {key: "3"} and m1["form_version"] == form2.pk
    r = s.get(reverse("challenges:contract-list") + "?export=xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True)
    )
    header = list(rows[0])
    col = header.index(f"年度报告：本年度发表论文数 [{key}]")
    assert "M1：3 篇" in [row[col] for row in rows[1:]]
    # the API asks it too: refused without it, stored with it
    ms2 = c.milestones.get(seq=2)
    url = reverse("api:challenges-milestone-action", args=[ms2.pk])
    body = {
        "action": "report",
        "report": "量产",
        "values": {str(v.indicator_id): "8" for v in ms2.values.all()},
    }
    r = leader.post(url, body, content_type="application/json")
    assert r.status_code == 400 and key in r.content.decode()
    r = leader.post(url, body | {"extra": {key: "5"}, "confirm": True}, content_type="application/json")
    assert r.status_code == 200, r.content.decode()
    ms2.refresh_from_db()
    assert ms2.extra == {key: "5"} and ms2.form_version == form2


def test_a_mid_term_field_staff_add_is_asked_on_the_project_page(client_for, staff):
    s = client_for(staff)
    v2 = build_on_the_web(
        s,
        stage_kind="racing",
        fields=[
            {
                "label": "经费执行率",
                "kind": "choice",
                "required": "on",
                "options": [{"text": "低于50%"}, {"text": "50%以上"}],
            }
        ],
    )
    form2 = programme.report_form(v2, "mid_term")
    key = programme.report_extra_fields(form2, "mid_term")[0]["key"]
    c = _contract(v2)
    com = client_for(c.commissioner)
    assert "经费执行率" in com.get(c.get_absolute_url()).content.decode()
    url = reverse("challenges:midterm", args=[c.pk])
    r = com.post(url, {"conclusion": "continue", "notes": "进展顺利"})
    assert r.status_code == 400 and "进展顺利" in r.content.decode()
    assert not MidtermCheck.objects.exists()
    r = com.post(url, {"conclusion": "continue", "notes": "进展顺利", key: "50%以上"})
    assert r.status_code == 302
    mc = MidtermCheck.objects.get()
    assert mc.form_version == form2 and mc.extra == {key: "50%以上"}
    page = com.get(c.get_absolute_url()).content.decode()
    assert "经费执行率" in page and "50%以上" in page
    data = com.get(reverse("api:challenges-contract-midterm", args=[c.pk])).json()
    assert data[0]["extra"] == {key: "50%以上"} and data[0]["form_version"] == form2.pk
    r = com.post(
        reverse("api:challenges-contract-midterm", args=[c.pk]),
        {"conclusion": "continue", "extra": {key: "不在选项中"}},
        content_type="application/json",
    )
    assert r.status_code == 400 and MidtermCheck.objects.count() == 1


def test_an_acceptance_field_staff_add_is_asked_and_kept(client_for, staff):
    s = client_for(staff)
    v2 = build_on_the_web(
        s,
        stage_kind="acceptance",
        fields=[{"label": "审计结论", "kind": "long_text", "required": "on"}],
    )
    form2 = programme.report_form(v2, "acceptance")
    key = programme.report_extra_fields(form2, "acceptance")[0]["key"]
    c = _contract(v2)
    Contract.objects.filter(pk=c.pk).update(status="acceptance")
    url = reverse("challenges:acceptance", args=[c.pk])
    assert "审计结论" in s.get(url).content.decode()
    post = {"verdict": "passed", "panel": "张三、李四"} | {
        f"ind_{i.pk}": str(i.target) for i in c.indicators.all()
    }
    r = s.post(url, post)
    assert r.status_code == 400 and "张三、李四" in r.content.decode()
    r = s.post(url, post | {key: "经费使用合规"})
    assert r.status_code == 302, r.content.decode()[:2000]
    c.refresh_from_db()
    assert c.status == "finished"
    acc = c.acceptance
    assert acc.form_version == form2 and acc.extra == {key: "经费使用合规"}
    page = s.get(c.get_absolute_url()).content.decode()
    assert "审计结论" in page and "经费使用合规" in page
    data = s.get(reverse("api:challenges-contract-acceptance", args=[c.pk])).json()
    assert data["extra"] == {key: "经费使用合规"} and data["form_version"] == form2.pk


def test_migration_0009_adds_the_report_forms_to_a_version_seeded_before_them(staff):
    raw = definitions.read("jiebang.json")
    import json

    doc = json.loads(raw)
    doc["forms"] = [f for f in doc["forms"] if f["purpose"] in ("application", "review_form")]
    doc["stages"] = [
        {**st, "form": st["form"] if st["form"] in ("form1", "form2") else None} for st in doc["stages"]
    ]
    old = transfer.import_programme(actor=staff, raw=json.dumps(doc).encode())
    assert programme.report_form(old, "yearly_report") is None
    lst = ChallengeFactory(programme_version=old)
    migration = importlib.import_module("kechuang.challenges.migrations.0009_report_form_versions")
    migration.seed_report_forms(global_apps, None)
    new = programme.current_version()
    assert new.number == old.number + 1 and new.is_published
    for purpose in ("yearly_report", "mid_term", "acceptance"):
        form = programme.report_form(new, purpose)
        assert {f["key"] for f in form.fields} == programme.REPORT_BUILTIN_KEYS[purpose]
    lst.refresh_from_db()
    assert lst.programme_version == old  # a list keeps the version it pinned
    count = ProgrammeVersion.objects.count()
    migration.seed_report_forms(global_apps, None)  # once only
    assert ProgrammeVersion.objects.count() == count
