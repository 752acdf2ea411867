"""揭榜挂帅 as a programme type defined as data (issue #18): the seeded definition describes the lifecycle
workflow.py actually has, a challenge list pins the version it was drafted on, and migration 0007 pins the
lists made before."""

import importlib
import io

import openpyxl
import pytest
from django.apps import apps as global_apps
from django.urls import reverse

from kechuang.challenges import programme, services
from kechuang.challenges.models import Challenge
from kechuang.challenges.tests.factories import ChallengeFactory, TopicFactory
from kechuang.core.audit import AuditEvent
from kechuang.programmes import workflow
from kechuang.programmes.models import ProgrammeType, ProgrammeVersion, VersionStatus
from kechuang.programmes.tests.test_jiebang import REALISED_BY, walk

pytestmark = pytest.mark.django_db


def test_the_seed_is_imported_once_published_and_audited():
    first = programme.seed()
    again = programme.seed()
    assert first == again and first.status == VersionStatus.PUBLISHED
    assert ProgrammeType.objects.filter(name=programme.PROGRAMME_NAME).count() == 1
    assert AuditEvent.objects.filter(action="programmes.programme_import").count() == 1


def test_the_seeded_stages_are_the_lifecycle_of_workflow_py():
    stages = programme.seed().stages
    kinds = [s["kind"] for s in stages]
    assert kinds == list(programme.STAGE_KINDS) == list(REALISED_BY)
    # walked on challenges' own machines from their initial states, in the definition's order
    assert walk(kinds) is None
    assert workflow.problems(stages) == []
    # a stage order the machines do not have would not walk
    swapped = list(kinds)
    swapped[2], swapped[3] = swapped[3], swapped[2]
    assert walk(swapped) is not None


def test_the_application_form_keys_are_the_fields_of_the_form_and_api():
    form = programme.stage_form(programme.seed(), "application")
    assert form is not None and form.is_published
    assert {f["key"] for f in form.fields} == programme.BUILTIN_KEYS
    assert programme.extra_fields(form) == []


def test_a_new_list_pins_the_newest_published_version(staff):
    v1 = programme.seed()
    ch = services.challenge_create(
        actor=staff,
        code="JB-PIN-1",
        year=2026,
        topic=TopicFactory(),
        title="钉住版本",
        problem="p",
        budget_ceiling=100,
        duration_months=12,
        max_active_per_leader=2,
        deadline=ChallengeFactory.build().deadline,
        criteria=[{"code": "a", "name": "A", "weight": 1}],
    )
    assert ch.programme_version == v1
    v2 = ProgrammeVersion.objects.create(
        programme=v1.programme, number=2, stages=v1.stages, status=VersionStatus.PUBLISHED
    )
    assert programme.current_version() == v2
    ch.refresh_from_db()
    assert ch.programme_version == v1  # a list in flight stays on its version
    event = AuditEvent.objects.get(action="challenge.create")
    assert event.after["programme_version"] == v1.pk


def test_the_migration_pins_lists_made_before():
    ch = ChallengeFactory()
    Challenge.objects.filter(pk=ch.pk).update(programme_version=None)
    migration = importlib.import_module("kechuang.challenges.migrations.0007_challenge_programme_version")
    # the version exists (the factory seeded it): it is reused, not imported again
    count = ProgrammeVersion.objects.count()
    migration.pin_existing(global_apps, None)
    ch.refresh_from_db()
    assert ch.programme_version == programme.current_version()
    assert ProgrammeVersion.objects.count() == count


def test_the_migration_seeds_when_there_is_no_version():
    ch = ChallengeFactory()
    Challenge.objects.update(programme_version=None)
    ProgrammeVersion.objects.all().delete()
    migration = importlib.import_module("kechuang.challenges.migrations.0007_challenge_programme_version")
    migration.pin_existing(global_apps, None)
    ch.refresh_from_db()
    assert ch.programme_version is not None
    assert [s["kind"] for s in ch.programme_version.stages] == list(programme.STAGE_KINDS)
    form = programme.stage_form(ch.programme_version, "application")
    assert {f["key"] for f in form.fields} == programme.BUILTIN_KEYS


def test_the_version_is_shown_to_staff_on_the_list_page(client, staff):
    ch = ChallengeFactory(published=True)
    client.force_login(staff)
    r = client.get(ch.get_absolute_url())
    assert "揭榜挂帅 第1版" in r.content.decode()
    assert ch.programme_version.get_absolute_url() in r.content.decode()


# --- the application form rendered from the pinned form version (staff-added fields in `extra`) ---------


def _version_with_fields(staff):
    """A second 揭榜挂帅 version whose application form has two staff-added fields: a required choice and a
    text asked only when 是 is chosen."""
    from kechuang.programmes import services as ps

    v1 = programme.seed()
    form1 = programme.stage_form(v1, "application")
    draft = ps.form_version_new(actor=staff, definition=form1.definition)
    choice = ps.form_field_save(
        actor=staff,
        version=draft,
        spec={"kind": "choice", "label": "是否产学研联合", "required": True, "options": ["是", "否"]},
    )
    ps.form_field_save(
        actor=staff,
        version=draft,
        spec={
            "kind": "short_text",
            "label": "联合高校",
            "required": True,
            "show_if": {"field": choice["key"], "equals": "是"},
        },
    )
    ps.form_version_publish(actor=staff, version=draft)
    pdraft = ps.programme_version_new(actor=staff, programme=v1.programme)
    stage = next(s for s in pdraft.stages if s["kind"] == "application")
    ps.stage_save(actor=staff, version=pdraft, spec={**stage, "form": draft.pk}, key=stage["key"])
    ps.programme_version_publish(actor=staff, version=pdraft, note="增加产学研字段")
    draft.refresh_from_db()
    return v1, ProgrammeVersion.objects.get(pk=pdraft.pk), draft


def test_staff_added_fields_are_asked_stored_shown_exported_and_in_the_api(client_for, staff):
    from kechuang.challenges.tests.factories import ApplicationFactory
    from kechuang.challenges.tests.test_joint import _form_post

    v1, v2, form2 = _version_with_fields(staff)
    keys = [f["key"] for f in programme.extra_fields(form2)]
    assert len(keys) == 2 and not set(keys) & programme.BUILTIN_KEYS
    old = ApplicationFactory(challenge=ChallengeFactory(published=True, programme_version=v1))
    app = ApplicationFactory(challenge=ChallengeFactory(published=True, programme_version=v2))
    assert app.form_version == form2 and old.form_version != form2
    c = client_for(app.leader)
    url = reverse("challenges:application-edit", args=[app.pk])
    assert "是否产学研联合" in c.get(url).content.decode()
    assert (
        "是否产学研联合"
        not in client_for(old.leader)
        .get(reverse("challenges:application-edit", args=[old.pk]))
        .content.decode()
    )
    # refused: the required choice missing; and 是 without the conditional text — 400, input kept
    r = c.post(url, _form_post(app) | {"plan": "新的技术方案"})
    assert r.status_code == 400 and "新的技术方案" in r.content.decode()
    r = c.post(url, _form_post(app) | {keys[0]: "是"})
    assert r.status_code == 400
    # accepted: 否 drops the conditional field
    r = c.post(url, _form_post(app) | {keys[0]: "否", keys[1]: "不该保存"})
    assert r.status_code == 302, r.content.decode()[:3000]
    app.refresh_from_db()
    assert app.extra == {keys[0]: "否"}
    r = c.post(url, _form_post(app) | {keys[0]: "是", keys[1]: "某大学"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.extra == {keys[0]: "是", keys[1]: "某大学"}
    event = AuditEvent.objects.filter(action="application.update").order_by("-pk").first()
    assert event.after["extra"] == app.extra
    # the detail page shows them with the version's labels
    page = c.get(app.get_absolute_url()).content.decode()
    assert "其他填报内容" in page and "联合高校" in page and "某大学" in page
    # the API carries them by their stable keys
    data = c.get(reverse("api:challenges-application-detail", args=[app.pk])).json()
    assert data["extra"] == {keys[0]: "是", keys[1]: "某大学"} and data["form_version"] == form2.pk
    # the export: a column per staff-added field, headed “label [key]”
    s = client_for(staff)
    r = s.get(reverse("challenges:application-list") + "?export=xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    header = list(rows[0])
    assert f"联合高校 [{keys[1]}]" in header
    col = header.index(f"联合高校 [{keys[1]}]")
    assert "某大学" in [row[col] for row in rows[1:]]


def test_the_service_keeps_only_the_form_versions_added_keys(staff):
    from kechuang.challenges.tests.factories import ApplicationFactory

    _v1, v2, form2 = _version_with_fields(staff)
    key = programme.extra_fields(form2)[0]["key"]
    app = ApplicationFactory(challenge=ChallengeFactory(published=True, programme_version=v2))
    services.application_update(
        actor=app.leader,
        application=app,
        expected_version=app.version,
        extra={key: "否", "title": "冒充", "zz": 1},
    )
    app.refresh_from_db()
    assert app.extra == {key: "否"} and app.title != "冒充"


# --- review criteria from the programme version's review form -------------------------------------------------


def test_the_seeded_review_form_gives_the_criteria_lists_had_before():
    assert programme.criteria_defaults(programme.seed()) == [dict(c) for c in programme.DEFAULT_CRITERIA]
    assert programme.criteria_defaults(None) == [dict(c) for c in programme.DEFAULT_CRITERIA]


def test_a_new_review_form_version_changes_a_new_lists_criteria(client_for, staff):
    from kechuang.programmes import services as ps

    v1 = programme.seed()
    review = programme.stage_form(v1, "panel_review")
    draft = ps.form_version_new(actor=staff, definition=review.definition)
    ps.form_field_save(
        actor=staff,
        version=draft,
        spec={"kind": "number", "label": "经济效益", "required": True, "min": "0", "max": "30", "unit": "分"},
    )
    ps.form_version_publish(actor=staff, version=draft)
    pdraft = ps.programme_version_new(actor=staff, programme=v1.programme)
    stage = next(s for s in pdraft.stages if s["kind"] == "panel_review")
    ps.stage_save(actor=staff, version=pdraft, spec={**stage, "form": draft.pk}, key=stage["key"])
    ps.programme_version_publish(actor=staff, version=pdraft)
    rows = programme.criteria_defaults(programme.current_version())
    assert [r["name"] for r in rows] == ["技术先进性", "团队能力", "实施方案", "经济效益"]
    assert sum(r["weight"] for r in rows) == 1
    page = client_for(staff).get(reverse("challenges:challenge-create")).content.decode()
    assert "经济效益" in page
    # a list already drafted keeps its own criteria
    ch = ChallengeFactory()
    page = client_for(staff).get(reverse("challenges:challenge-edit", args=[ch.pk])).content.decode()
    assert "经济效益" not in page
