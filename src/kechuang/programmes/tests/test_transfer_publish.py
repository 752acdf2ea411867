"""An imported definition is published by the builder's own path (issue #18.5): each form and the version
are drafts published by `form_version_publish` / `programme_version_publish` — the same checks, the same
freeze, the same audit events — so it is published exactly as the same definition built by hand, and
refused with the same reasons."""

import json

import pytest

from kechuang.core.audit import AuditEvent
from kechuang.core.exceptions import ApplicationError
from kechuang.programmes import definitions, services, transfer
from kechuang.programmes.models import FormVersion, VersionStatus

pytestmark = pytest.mark.django_db


def _events(obj):
    return list(AuditEvent.objects.for_object(obj).order_by("pk").values_list("action", flat=True))


def test_an_imported_definition_publishes_as_one_built_by_hand(staff):
    imported = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    assert imported.status == VersionStatus.PUBLISHED and imported.published_at is not None
    assert _events(imported) == ["programmes.programme_publish", "programmes.programme_import"]
    form_ids = [s["form"] for s in imported.stages if s.get("form")]
    for fv in FormVersion.objects.filter(pk__in=form_ids):
        assert fv.status == VersionStatus.PUBLISHED and fv.published_at is not None
        assert _events(fv) == ["programmes.form_publish"]

    # the same stages, on the same published forms, built in the builder and published there
    built = services.programme_create(actor=staff, name="省重点研发计划（手工）")
    for stage in imported.stages:
        services.stage_save(actor=staff, version=built, spec={k: v for k, v in stage.items() if k != "key"})
    built = services.programme_version_publish(actor=staff, version=built, note=imported.note)
    assert built.status == imported.status and built.note == imported.note
    assert transfer.export_version(built)["stages"] == transfer.export_version(imported)["stages"]
    assert transfer.export_version(built)["forms"] == transfer.export_version(imported)["forms"]
    publish = AuditEvent.objects.for_object(built).get(action="programmes.programme_publish")
    assert publish.after == AuditEvent.objects.for_object(imported).get(action=publish.action).after


def test_an_import_is_refused_with_the_builder_s_reasons(staff):
    doc = json.loads(definitions.read("jiebang.json"))
    doc["stages"] = [s for s in doc["stages"] if s["kind"] != "formal_check"]
    with pytest.raises(ApplicationError) as imported:
        transfer.import_programme(actor=staff, raw=json.dumps(doc, ensure_ascii=False).encode())
    # the same stages in the builder: the same reasons, from the same check
    version = services.programme_create(actor=staff, name="揭榜挂帅").programme.versions.get()
    forms = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json")).stages
    application_form = next(s["form"] for s in forms if s["kind"] == "application")
    for stage in doc["stages"]:
        spec = {k: v for k, v in stage.items() if k != "key"}
        spec["form"] = application_form if stage["kind"] == "application" else None
        services.stage_save(actor=staff, version=version, spec=spec)
    with pytest.raises(ApplicationError) as built:
        services.programme_version_publish(actor=staff, version=version)
    for reason in ("揭榜挂帅的榜单不能没有“形式审查”环节", "“专家评审”之前须有“形式审查”"):
        assert reason in str(imported.value) and reason in str(built.value)
