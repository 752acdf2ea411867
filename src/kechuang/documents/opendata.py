"""Open data (issue #17.3): the public records exported as CERIF-XML (OpenAIRE CRIS profile 1.2). Layout and
rules: docs/opendata.md.

Only what is already public leaves: published calls (not drafts, not cancelled ones), awards (立项 decided),
the projects of those awards, registered results (科技成果登记, 已登记), published platforms, the units these
name and the people they name (a project's leader, a result's completing people) — by name, with the ORCID
they chose to give, never a login name, an e-mail address, a phone number, a review, an application's plan or
amounts of technology contracts.

`collect()` reads the records into CERIF elements, one list per OAI-PMH set; `opendata_build` writes the zip
(one ListRecords document per set, manifest.json, SHA256SUMS), checks every file against the guidelines'
schema before it is stored, and audits `opendata.build`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.accounts.models import Unit, User
from kechuang.challenges.models import Application, Challenge, Contract
from kechuang.challenges.statuses import ApplicationStatus, ChallengeStatus, ContractStatus
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import SYSTEM, Role, has_role
from kechuang.platforms.models import Kind as PlatformKind
from kechuang.platforms.models import Platform
from kechuang.registry.models import Industry, RegistrationPerson, ResultRegistration
from kechuang.registry.workflow import RegistrationStatus

from . import cerif
from .models import OpenDataDump
from .services import file_sha256

FORMAT = "kechuang-opendata-cerif"
FORMAT_VERSION = 1
PROFILE = (
    "OpenAIRE Guidelines for CRIS Managers 1.2 (CERIF XML profile https://www.openaire.eu/cerif-profile/1.2/)"
)
FILES = {key: f"cerif/{key}.xml" for key in cerif.SETS}

# The site's own classification schemes (their pages list the codes: documents:opendata-vocab).
VOCABULARIES = {
    "unit-kind": (gettext_lazy("单位类型"), Unit.Kind),
    "platform-kind": (gettext_lazy("创新平台类型"), PlatformKind),
    "project-status": (gettext_lazy("项目状态"), ContractStatus),
    "industry": (gettext_lazy("国民经济行业分类（GB/T 4754-2017 门类）"), Industry),
}
# 科技成果登记's IP form → the COAR product type the guidelines' vocabulary has for it (else "other").
COAR_OTHER = "http://purl.org/coar/resource_type/c_1843"
COAR_BY_IP = {
    "software": "http://purl.org/coar/resource_type/c_5ce6",  # software
    "layout": "http://purl.org/coar/resource_type/BW7T-YM2G",  # layout design
    "design": "http://purl.org/coar/resource_type/JBNF-DYAD",  # industrial design
}
CALL_STATUSES = (
    ChallengeStatus.PUBLISHED,
    ChallengeStatus.CLOSED,
    ChallengeStatus.AWARDED,
    ChallengeStatus.FINISHED,
)


def site_url() -> str:
    return settings.KECHUANG_SITE_URL.rstrip("/")


def scheme(name: str) -> str:
    return f"{site_url()}/documents/opendata/vocab/{name}/"


def oai_prefix() -> str:
    return f"oai:{urlsplit(site_url()).hostname or 'kechuang'}:"


def oai_base_url() -> str:
    return f"{site_url()}/documents/opendata/oai/"


class _Refs:
    """The units and people the exported records name, collected while the records are built."""

    def __init__(self):
        self.units: dict[int, Unit] = {}
        self.people: dict[int, User] = {}

    def unit(self, unit: Unit) -> dict:
        self.units[unit.pk] = unit
        return _unit_ref(unit)

    def person(self, user: User) -> dict:
        self.people[user.pk] = user
        return {"id": f"Persons/{user.pk}", "name": _public_name(user), "orcid": user.orcid}


def _unit_ref(unit: Unit) -> dict:
    return {"id": f"OrgUnits/U{unit.pk}", "name": unit.name, "acronym": unit.short_name}


def issuer() -> dict:
    return {"id": "OrgUnits/issuer", "name": settings.KECHUANG_ISSUER}


def _public_name(user: User) -> str:
    # The public-name rule (accounts.models.public_name): never the login name or the address.
    return user.public_name


def _keywords(text: str) -> list[str]:
    import re

    return [k for k in re.split(r"[,，、;；\s]+", text or "") if k][:10]


def collect() -> dict[str, list[tuple[str, datetime.datetime, object]]]:
    """The records of each set as (id, datestamp, CERIF element), and the counts by kind of record."""
    refs = _Refs()
    out: dict[str, list] = {key: [] for key in cerif.SETS}
    counts = dict.fromkeys(("calls", "awards", "projects", "results", "platforms", "units", "persons"), 0)
    fund = issuer()

    calls = {}
    for ch in Challenge.objects.filter(status__in=CALL_STATUSES).select_related("cofunder").order_by("code"):
        funders = [fund] + ([refs.unit(ch.cofunder)] if ch.cofunder_id else [])
        calls[ch.pk] = {"id": f"Fundings/C{ch.pk}", "kind": "Call", "name": ch.title}
        record = {
            **calls[ch.pk],
            "acronym": ch.code,
            "amount": ch.budget_ceiling * 10000 if ch.budget_ceiling else None,
            "description": ch.problem,
            "funders": funders,
            "start": timezone.localdate(ch.published_at) if ch.published_at else None,
            "end": timezone.localdate(ch.deadline),
        }
        out["funding"].append((record["id"], ch.updated_at, cerif.funding(record)))
        counts["calls"] += 1

    awards = {}
    for app in (
        Application.objects.filter(status=ApplicationStatus.AWARDED, challenge_id__in=list(calls))
        .select_related("challenge", "unit", "leader", "contract")
        .order_by("challenge__code", "pk")
    ):
        contract = getattr(app, "contract", None)
        awards[app.pk] = {"id": f"Fundings/A{app.pk}", "kind": "Award", "name": app.title}
        record = {
            **awards[app.pk],
            "reference": contract.code if contract else "",
            "amount": contract.budget * 10000 if contract else None,
            "keywords": _keywords(app.keywords),
            "funders": [fund],
            "part_of": calls[app.challenge_id],
            "start": contract.start_date if contract else None,
            "end": contract.end_date if contract else None,
        }
        refs.unit(app.unit)
        refs.person(app.leader)
        out["funding"].append((record["id"], app.updated_at, cerif.funding(record)))
        counts["awards"] += 1

    projects = {}
    for c in (
        Contract.objects.filter(application_id__in=list(awards))
        .select_related("unit", "leader", "application")
        .order_by("code")
    ):
        projects[c.pk] = {"id": f"Projects/{c.pk}", "title": c.title}
        record = {
            **projects[c.pk],
            "code": c.code,
            "start": c.start_date,
            "end": c.end_date,
            "unit": refs.unit(c.unit),
            "leader": refs.person(c.leader),
            "funder": fund,
            "award": awards[c.application_id],
            "keywords": _keywords(c.application.keywords),
            "status": (scheme("project-status"), c.status),
        }
        out["projects"].append((record["id"], c.updated_at, cerif.project(record)))
        counts["projects"] += 1

    registrations = (
        ResultRegistration.objects.filter(status=RegistrationStatus.REGISTERED)
        .select_related("result")
        .prefetch_related(
            "unit_rows__unit",
            Prefetch(
                "person_rows", queryset=RegistrationPerson.objects.select_related("person").order_by("seq")
            ),
        )
        .order_by("number")
    )
    for reg in registrations:
        record = {
            "id": f"Products/{reg.pk}",
            "coar_type": COAR_BY_IP.get(reg.ip_kind, COAR_OTHER),
            "name": reg.name,
            "number": reg.number,
            "doi": reg.doi,
            "url": f"{site_url()}{reg.get_absolute_url()}",
            "persons": [refs.person(row.person) for row in reg.person_rows.all()],
            "units": [refs.unit(row.unit) for row in reg.unit_rows.all()],
            "summary": reg.summary,
            "subject": (scheme("industry"), reg.industry),
            "keywords": reg.keyword_list(),
            "project": projects.get(reg.result.contract_id),
        }
        out["products"].append((record["id"], reg.updated_at, cerif.product(record)))
        counts["results"] += 1

    for pf in Platform.objects.filter(published=True).select_related("host").order_by("code"):
        record = {
            "id": f"OrgUnits/PF{pf.pk}",
            "type": (scheme("platform-kind"), pf.kind),
            "acronym": pf.short_name,
            "name": pf.name,
            "name_en": pf.name_en,
            "url": f"{site_url()}{pf.get_absolute_url()}",
            "part_of": refs.unit(pf.host),
        }
        out["orgunits"].append((record["id"], pf.updated_at, cerif.orgunit(record)))
        counts["platforms"] += 1

    first = timezone.now()
    out["orgunits"].insert(0, (fund["id"], first, cerif.orgunit(fund)))
    units = sorted(refs.units.values(), key=lambda u: u.pk)
    for unit in units:
        record = {
            **_unit_ref(unit),
            "type": (scheme("unit-kind"), unit.kind),
            "name_en": unit.name_en,
            "credit_code": unit.credit_code,
            "part_of": _unit_ref(unit.parent) if unit.parent_id and unit.parent_id in refs.units else None,
        }
        out["orgunits"].append((record["id"], unit.updated_at, cerif.orgunit(record)))
        counts["units"] += 1

    for user in sorted(refs.people.values(), key=lambda u: u.pk):
        affiliations = [_unit_ref(refs.units[user.unit_id])] if user.unit_id in refs.units else []
        record = {"id": f"Persons/{user.pk}", "name": _public_name(user), "orcid": user.orcid}
        out["persons"].append(
            (record["id"], user.date_joined, cerif.person({**record, "affiliations": affiliations}))
        )
        counts["persons"] += 1
    return {"sets": out, "counts": counts}


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def opendata_build(*, actor=SYSTEM, progress: Callable[[int, str], None] | None = None) -> OpenDataDump:
    """Build the bulk download (zip of CERIF-XML files, manifest, SHA256SUMS), check it, store it, audit it.

    `actor` is staff, or the system (the nightly schedule, the command line)."""
    if not has_role(actor, Role.STAFF):
        raise PermissionDenied(_("只有科技厅工作人员可以生成开放数据包。"))
    step = progress or (lambda pct, message: None)
    step(5, "读取公开记录")
    collected = collect()
    now = timezone.now()
    files = []
    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for i, (key, records) in enumerate(collected["sets"].items()):
                step(20 + 60 * i // len(cerif.SETS), FILES[key])
                root = cerif.list_records(
                    base_url=oai_base_url(),
                    set_key=key,
                    records=records,
                    now=now,
                    identifier_prefix=oai_prefix(),
                )
                errors = cerif.validate(root)
                if errors:
                    raise ApplicationError(
                        f"{FILES[key]} does not validate: {errors[:3]}", code="cerif_invalid"
                    )
                data = cerif.to_bytes(root)
                zf.writestr(FILES[key], data)
                files.append(
                    {
                        "path": FILES[key],
                        "set": cerif.SETS[key],
                        "records": len(records),
                        "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
                )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "generated_at": now.isoformat(),
                "publisher": settings.KECHUANG_ISSUER,
                "profile": PROFILE,
                "metadata_prefix": cerif.METADATA_PREFIX,
                "oai_identifier_prefix": oai_prefix(),
                "counts": collected["counts"],
                "vocabularies": {name: scheme(name) for name in VOCABULARIES},
                "files": files,
            }
            manifest_bytes = _json(manifest)
            zf.writestr("manifest.json", manifest_bytes)
            sums = [(f["sha256"], f["path"]) for f in files]
            sums.append((hashlib.sha256(manifest_bytes).hexdigest(), "manifest.json"))
            zf.writestr("SHA256SUMS", "".join(f"{h}  {p}\n" for h, p in sums).encode("utf-8"))
        step(90, "保存")
        sha256, size = file_sha256(tmp)
        with transaction.atomic():
            dump = OpenDataDump(
                sha256=sha256,
                size=size,
                counts=collected["counts"],
                built_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            dump.file.save("opendata.zip", File(tmp), save=False)
            dump.save()
            audit_record(
                actor=actor,
                action="opendata.build",
                obj=dump,
                after={"counts": collected["counts"], "sha256": dump.sha256, "size": size},
            )
    step(100, "完成")
    return dump


def latest_dump() -> OpenDataDump | None:
    return OpenDataDump.objects.order_by("-created_at", "-id").first()


def dump_member(dump: OpenDataDump, path: str) -> bytes:
    """One file of a stored dump (the OAI-PMH endpoint answers from the latest dump)."""
    with dump.file.open("rb") as fh, zipfile.ZipFile(fh) as zf:
        return zf.read(path)
