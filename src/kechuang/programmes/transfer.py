"""A programme type as a shareable JSON file (issue #18.5; the format is in docs/programmes.md): one
version's stages with the forms they use, embedded by content. `export_version` reads; `import_programme`
checks every part, then writes a new programme type (or a new version of the one with that name) with its
forms, published, in one transaction, audited."""

from __future__ import annotations

import json
import re

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.accounts.models import Unit
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role

from . import names, services
from .models import FormDefinition, FormPurpose, FormVersion, ProgrammeType, ProgrammeVersion

FORMAT = "kechuang-programme"
FORMAT_VERSION = 1
MAX_BYTES = 1024 * 1024
STAGE_KEYS = ("key", "kind", "name", "name_en", "days", "role", "form", "rules")


def export_version(version: ProgrammeVersion) -> dict:
    """The document of one programme version."""
    ids = [s["form"] for s in version.stages if s.get("form")]
    forms = {f.pk: f for f in FormVersion.objects.filter(pk__in=ids).select_related("definition")}
    refs = {pk: f"form{n}" for n, pk in enumerate(dict.fromkeys(ids), start=1) if pk in forms}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "programme": {
            "name": version.programme.name,
            "name_en": version.programme.name_en,
            "description": version.programme.description,
        },
        "version": {"number": version.number, "note": version.note},
        "forms": [
            {
                "ref": ref,
                "name": forms[pk].definition.name,
                "name_en": forms[pk].definition.name_en,
                "purpose": forms[pk].definition.purpose,
                "fields": forms[pk].fields,
            }
            for pk, ref in refs.items()
        ],
        "stages": [
            {**{k: s.get(k) for k in STAGE_KEYS if k in s}, "form": refs.get(s.get("form"))}
            for s in version.stages
        ],
    }


def export_bytes(version: ProgrammeVersion) -> bytes:
    return json.dumps(export_version(version), ensure_ascii=False, indent=2).encode()


def _key_number(key: str, prefix: str) -> int:
    m = re.fullmatch(rf"{prefix}(\d+)", key or "")
    return int(m.group(1)) if m else 0


# A field key is the builder's `f<n>`, or a name (a programme defined by the code keeps its fields' names,
# e.g. 揭榜挂帅's application form keys are the challenges app's field names, so its exports and API keep
# their keys).
NAMED_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def field_key_ok(key) -> bool:
    return isinstance(key, str) and bool(_key_number(key, "f") or NAMED_KEY.fullmatch(key))


def parse(raw: bytes) -> dict:
    """The document, checked: every reason it cannot be imported, in one ApplicationError."""
    if len(raw) > MAX_BYTES:
        raise ApplicationError(_("文件过大（上限 1 MB）。"), code="too_large")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        raise ApplicationError(_("文件不是有效的计划类别定义（JSON）。"), code="not_json") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ApplicationError(_("文件不是 Kechuang 导出的计划类别定义。"), code="format")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ApplicationError(_("不支持此版本的定义文件。"), code="format_version")
    problems: list[str] = []
    programme = doc.get("programme")
    if not isinstance(programme, dict) or not str(programme.get("name") or "").strip():
        problems.append(_("缺少计划类别名称。"))
    elif not isinstance(programme.get("name_en", ""), str) or len(programme.get("name_en") or "") > 200:
        problems.append(_("计划类别的英文名称格式有误或过长。"))
    forms = doc.get("forms") or []
    refs = set()
    if not isinstance(forms, list):
        forms = []
        problems.append(_("表单列表格式有误。"))
    for form in forms:
        if not isinstance(form, dict) or not form.get("ref") or not isinstance(form.get("fields"), list):
            problems.append(_("表单格式有误。"))
            continue
        refs.add(form["ref"])
        if not isinstance(form.get("name_en", ""), str) or len(form.get("name_en") or "") > 200:
            problems.append(_("表单“%(name)s”的英文名称格式有误或过长。") % {"name": form.get("name")})
        if form.get("purpose") not in FormPurpose.values:
            problems.append(_("表单“%(name)s”的用途未知。") % {"name": form.get("name")})
        seen: list[dict] = []
        for spec in form["fields"]:
            if not isinstance(spec, dict) or not field_key_ok(spec.get("key")):
                problems.append(_("表单“%(name)s”有字段缺少标识。") % {"name": form.get("name")})
                continue
            for p in services.field_problems(spec, seen):
                problems.append(f"{form.get('name')}·{spec.get('label')}：{p}")
            seen.append(spec)
    stages = doc.get("stages")
    if not isinstance(stages, list) or not all(isinstance(s, dict) for s in stages):
        problems.append(_("环节列表格式有误。"))
    else:
        labels = {
            f["ref"]: {x.get("label") for x in f["fields"] if isinstance(x, dict) and x.get("kind") == "file"}
            for f in forms
            if isinstance(f, dict) and f.get("ref") and isinstance(f.get("fields"), list)
        }
        name = str(programme.get("name") or "") if isinstance(programme, dict) else ""
        problems += services.version_problems(name, stages, labels)
        kinds = set(Unit.Kind.values)
        for s in stages:
            wanted = (s.get("rules") or {}).get("unit_kinds") or []
            if not isinstance(wanted, list) or not set(wanted) <= kinds:
                problems.append(_("环节“%(name)s”限定的单位类型未知。") % {"name": s.get("name")})
            if s.get("form") and s["form"] not in refs:
                problems.append(_("环节“%(name)s”引用的表单不在文件中。") % {"name": s.get("name")})
            if names.problems(s):
                problems.append(_("环节“%(name)s”的英文名称格式有误或过长。") % {"name": s.get("name")})
            if not _key_number(s.get("key", ""), "s"):
                problems.append(_("环节“%(name)s”缺少标识。") % {"name": s.get("name")})
    if problems:
        raise ApplicationError(" ".join(str(p) for p in problems), code="invalid_definition")
    return doc


@transaction.atomic
def import_programme(*, actor, raw: bytes) -> ProgrammeVersion:
    """Import a definition file: its forms as new published forms, its stages as a published version of
    the programme type of that name (a new type, or the next version of the existing one). Each form and the
    version are created as drafts and published by the builder's own services (`form_version_publish`,
    `programme_version_publish`: the same checks, the same freeze, the same audit events), so an imported
    definition is published exactly as one built by hand."""
    require_role(actor, Role.STAFF)
    doc = parse(raw)
    form_ids = {}
    for form in doc.get("forms") or []:
        definition = FormDefinition.objects.create(
            name=form.get("name") or form["ref"],
            name_en=form.get("name_en") or "",
            purpose=form["purpose"],
            created_by=services._person(actor),
        )
        fv = FormVersion.objects.create(
            definition=definition,
            number=1,
            fields=form["fields"],
            next_key=max((_key_number(f["key"], "f") for f in form["fields"]), default=0) + 1,
        )
        form_ids[form["ref"]] = services.form_version_publish(actor=actor, version=fv).pk
    name = doc["programme"]["name"].strip()
    programme, created = ProgrammeType.objects.get_or_create(
        name=name,
        defaults={
            "description": doc["programme"].get("description") or "",
            "name_en": doc["programme"].get("name_en") or "",
        },
    )
    if not created:
        programme = ProgrammeType.objects.select_for_update().get(pk=programme.pk)
    number = (programme.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    stages = [{**s, "form": form_ids.get(s.get("form"))} for s in doc["stages"]]
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=number,
        stages=stages,
        next_key=max(_key_number(s["key"], "s") for s in stages) + 1,
    )
    note = str((doc.get("version") or {}).get("note") or "")[:300]
    version = services.programme_version_publish(actor=actor, version=version, note=note)
    audit_record(
        actor=actor,
        action="programmes.programme_import",
        obj=version,
        after={"programme": programme.name, "number": number, "forms": len(form_ids)},
    )
    return version
