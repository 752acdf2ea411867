"""Forms and programme types as versioned data: drafts edited, published versions frozen, calls pinned,
migrations audited and refused where a stage would be skipped, submissions kept with their version, and the
definition files round-tripping."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.programmes import definitions, services, transfer, workflow
from kechuang.programmes.fieldkinds import build_form
from kechuang.programmes.models import Call, FormVersion, ProgrammeVersion

PDF = b"%PDF-1.4\n% test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def form(staff):
    v = services.form_create(actor=staff, name="申报书", purpose="application")
    services.form_field_save(
        actor=staff, version=v, spec={"kind": "short_text", "label": "项目名称", "required": True}
    )
    services.form_field_save(
        actor=staff, version=v, spec={"kind": "choice", "label": "类型", "options": ["甲", "乙"]}
    )
    return v


def test_fields_get_stable_keys_that_are_never_reused(staff, form):
    assert [f["key"] for f in FormVersion.objects.get(pk=form.pk).fields] == ["f1", "f2"]
    services.form_field_remove(actor=staff, version=form, key="f2")
    spec = services.form_field_save(actor=staff, version=form, spec={"kind": "date", "label": "开始"})
    assert spec["key"] == "f3"


def test_a_published_version_cannot_change_and_a_new_version_keeps_the_keys(staff, form):
    services.form_version_publish(actor=staff, version=form)
    with pytest.raises(ApplicationError, match="已发布"):
        services.form_field_save(actor=staff, version=form, spec={"kind": "date", "label": "开始"})
    with pytest.raises(ApplicationError):
        services.form_field_move(actor=staff, version=form, key="f2", step=-1)
    v2 = services.form_version_new(actor=staff, definition=form.definition)
    assert v2.number == 2 and [f["key"] for f in v2.fields] == ["f1", "f2"]
    services.form_field_save(
        actor=staff, version=v2, key="f1", spec={"kind": "long_text", "label": "项目名称（全称）"}
    )
    assert FormVersion.objects.get(pk=form.pk).fields[0]["kind"] == "short_text"


def test_field_settings_are_checked(staff, form):
    with pytest.raises(ApplicationError, match="选项"):
        services.form_field_save(actor=staff, version=form, spec={"kind": "choice", "label": "x"})
    with pytest.raises(ApplicationError, match="显示条件"):
        services.form_field_save(
            actor=staff,
            version=form,
            spec={"kind": "money", "label": "x", "show_if": {"field": "f2", "equals": "丙"}},
        )
    services.form_field_save(
        actor=staff,
        version=form,
        spec={"kind": "money", "label": "x", "show_if": {"field": "f2", "equals": "乙"}},
    )
    with pytest.raises(ApplicationError, match="显示条件"):
        services.form_field_remove(actor=staff, version=form, key="f2")


def test_only_staff_build_forms(applicant):
    with pytest.raises(PermissionDenied):
        services.form_create(actor=applicant, name="x", purpose="application")


def test_a_submission_keeps_its_version_and_its_file(staff, applicant, form):
    services.form_field_save(
        actor=staff,
        version=form,
        spec={"kind": "file", "label": "承诺书", "file_kinds": ["pdf"], "max_mb": 1},
    )
    form = services.form_version_publish(actor=staff, version=form)
    f = build_form(
        form.fields, data={"f1": "新材料", "f2": "甲"}, files={"f3": SimpleUploadedFile("c.pdf", PDF)}
    )
    sub = services.submission_create(actor=applicant, version=form, form=f)
    assert sub.data["f1"] == "新材料" and sub.data["f3"]["name"] == "c.pdf"
    assert sub.files.get().key == "f3"
    v2 = services.form_version_new(actor=staff, definition=form.definition)
    services.form_field_remove(actor=staff, version=v2, key="f1")
    services.form_version_publish(actor=staff, version=v2)
    sub.refresh_from_db()
    assert sub.version_id == form.pk and sub.version.fields[0]["label"] == "项目名称"
    assert AuditEvent.objects.filter(action="programmes.submit").count() == 1


def test_a_draft_form_takes_no_submissions(staff, applicant, form):
    with pytest.raises(ApplicationError):
        services.submission_create(
            actor=applicant, version=form, form=build_form(form.fields, data={"f1": "x"})
        )


# --- programme types, calls, migrations ---------------------------------------------------------------------


@pytest.fixture
def provincial(staff):
    return transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))


def test_the_definition_files_import_as_published_versions_with_their_forms(staff, provincial):
    assert provincial.is_published and provincial.programme.name == "省重点研发计划"
    kinds = [s["kind"] for s in provincial.stages]
    assert kinds == [
        "call",
        "pre_application",
        "application",
        "formal_check",
        "letter_review",
        "panel_review",
        "publicity",
        "decision",
    ]
    pre = FormVersion.objects.get(pk=provincial.stages[1]["form"])
    assert pre.is_published and pre.definition.name == "重点研发计划预申报书"
    jb = transfer.import_programme(actor=staff, raw=definitions.read("jiebang.json"))
    assert jb.programme.name == "揭榜挂帅"


def test_export_then_import_gives_the_same_definition_as_a_new_version(staff, provincial):
    doc = transfer.export_version(provincial)
    again = transfer.import_programme(actor=staff, raw=json.dumps(doc).encode())
    assert again.programme_id == provincial.programme_id and again.number == 2
    back = transfer.export_version(again)
    assert back["stages"] == doc["stages"] and back["forms"] == doc["forms"]


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda d: d.update(format="other"), "不是 Kechuang"),
        (lambda d: d["stages"].reverse(), "第一个环节"),
        (lambda d: d["stages"][2].update(form="form9"), "不在文件中"),
        (lambda d: d["forms"][0]["fields"][1].update(options=[]), "选项"),
        (lambda d: d["forms"][0].update(purpose="nonsense"), "用途"),
    ],
)
def test_a_broken_definition_file_is_refused_with_the_reason(staff, change, why):
    doc = json.loads(definitions.read("provincial_rd.json"))
    change(doc)
    with pytest.raises(ApplicationError, match=why):
        transfer.import_programme(actor=staff, raw=json.dumps(doc).encode())
    assert not ProgrammeVersion.objects.exists()


def test_a_version_with_an_impossible_order_is_not_published(staff):
    v = services.programme_create(actor=staff, name="成果转化引导")
    services.stage_save(actor=staff, version=v, spec={"kind": "call"})
    services.stage_save(actor=staff, version=v, spec={"kind": "decision"})
    with pytest.raises(ApplicationError, match="之前须有"):
        services.programme_version_publish(actor=staff, version=v)
    assert ProgrammeVersion.objects.get(pk=v.pk).status == "draft"


def _at(call, kind, staff):
    while call.stage["kind"] != kind:
        if call.stage["kind"] == "decision":
            call = services.call_award(actor=staff, call=call)
        # a 公示 (no objections) closed before its last day: staff confirm it
        call = services.call_advance(actor=staff, call=call, early=call.stage["kind"] == "publicity")
    return call


def test_a_call_is_pinned_to_its_version_while_the_type_changes(staff, provincial, reviews_complete):
    call = services.call_open(actor=staff, version=provincial, title="2027 年度", year=2027)
    call = _at(call, "letter_review", staff)
    v2 = services.programme_version_new(actor=staff, programme=provincial.programme)
    services.stage_remove(actor=staff, version=v2, key="s6")
    services.programme_version_publish(actor=staff, version=v2)
    call.refresh_from_db()
    assert call.version_id == provincial.pk
    call = services.call_advance(actor=staff, call=call)
    assert call.stage["name"] == "答辩"  # still the old version's stages


def test_award_is_refused_before_the_decision_stage_and_given_there(staff, provincial, reviews_complete):
    call = services.call_open(actor=staff, version=provincial, title="2027", year=2027)
    with pytest.raises(ApplicationError):
        services.call_award(actor=staff, call=call)
    call = _at(call, "decision", staff)
    with pytest.raises(ApplicationError, match="立项决定"):
        services.call_advance(actor=staff, call=call)
    call = services.call_award(actor=staff, call=call)
    call = services.call_advance(actor=staff, call=call)
    assert call.status == "finished"


def test_migration_is_audited_with_its_mapping_and_refused_where_a_stage_would_be_skipped(
    staff, provincial, reviews_complete
):
    call = _at(
        services.call_open(actor=staff, version=provincial, title="2027", year=2027), "publicity", staff
    )
    v2 = services.programme_version_new(actor=staff, programme=provincial.programme)
    services.stage_save(actor=staff, version=v2, spec={"kind": "panel_review", "name": "现场考察"})
    services.stage_move(actor=staff, version=v2, key="s9", step=-1)
    services.stage_move(actor=staff, version=v2, key="s9", step=-1)  # before publicity
    services.programme_version_publish(actor=staff, version=v2)
    mapping = {s["key"]: s["key"] for s in provincial.stages}
    with pytest.raises(ApplicationError, match="跳过"):
        services.call_migrate(actor=staff, call=call, version=v2, mapping=mapping, reason="新增现场考察")
    call.refresh_from_db()
    assert call.version_id == provincial.pk
    assert not AuditEvent.objects.filter(action="programmes.call_migrate").exists()
    # a call still at the letter review moves: the new stage is ahead of it
    early = _at(
        services.call_open(actor=staff, version=provincial, title="2027 二批", year=2027),
        "letter_review",
        staff,
    )
    with pytest.raises(ApplicationError, match="理由"):
        services.call_migrate(actor=staff, call=early, version=v2, mapping=mapping, reason=" ")
    early = services.call_migrate(actor=staff, call=early, version=v2, mapping=mapping, reason="新增现场考察")
    assert early.version_id == v2.pk and early.stage_key == "s5"
    event = AuditEvent.objects.get(action="programmes.call_migrate")
    assert event.after["mapping"] == mapping and event.reason == "新增现场考察"
    assert workflow.run_at(v2.stages, "s5").index == 4


def test_a_call_opens_only_on_a_published_version(staff):
    v = services.programme_create(actor=staff, name="创新平台建设")
    with pytest.raises(ApplicationError):
        services.call_open(actor=staff, version=v, title="x", year=2027)
    assert not Call.objects.exists()


def test_a_stage_takes_only_a_published_form(staff, form):
    v = services.programme_create(actor=staff, name="自然科学基金")
    with pytest.raises(ApplicationError, match="已发布的表单"):
        services.stage_save(actor=staff, version=v, spec={"kind": "application", "form": form.pk})


def test_a_call_stage_takes_submissions_only_in_its_form(staff, applicant, provincial):
    call = _at(
        services.call_open(actor=staff, version=provincial, title="2027", year=2027), "pre_application", staff
    )
    pre = FormVersion.objects.get(pk=call.stage["form"])
    other = FormVersion.objects.get(pk=provincial.stages[2]["form"])
    f = build_form(pre.fields, data={"f1": "高熵合金", "f2": "高等院校", "f4": "摘要"})
    sub = services.submission_create(actor=applicant, version=pre, form=f, call=call)
    assert sub.stage_key == call.stage_key and "f3" not in sub.data
    with pytest.raises(ApplicationError, match="不使用此表单"):
        services.submission_create(
            actor=applicant, version=other, form=build_form(other.fields, data={}), call=call
        )


def test_a_review_stage_does_not_close_before_its_expert_reviews(staff, provincial):
    call = _at(
        services.call_open(actor=staff, version=provincial, title="2027", year=2027), "formal_check", staff
    )
    call = services.call_advance(actor=staff, call=call)
    assert call.stage["kind"] == "letter_review"
    with pytest.raises(ApplicationError, match="尚未开启专家评审"):
        services.call_advance(actor=staff, call=call)
    call.refresh_from_db()
    assert call.stage["kind"] == "letter_review"


def test_without_a_review_app_a_review_stage_never_closes(staff, provincial, monkeypatch):
    from kechuang.programmes import reviews

    monkeypatch.setattr(reviews, "_PROVIDERS", [])
    call = _at(
        services.call_open(actor=staff, version=provincial, title="2027", year=2027), "formal_check", staff
    )
    call = services.call_advance(actor=staff, call=call)
    with pytest.raises(ApplicationError, match="无法核验"):
        services.call_advance(actor=staff, call=call)
