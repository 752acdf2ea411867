"""Open data: the CERIF-XML dump validates against the OpenAIRE CRIS profile 1.2, carries the identifiers
(统一社会信用代码, ORCID, DOI), leaks nothing private, is built by a job and served publicly; OAI-PMH; ORCID."""

import datetime
import hashlib
import io
import json
import re
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from kechuang.accounts.models import User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.accounts.validators import is_valid_orcid, normalize_orcid, orcid_check_char
from kechuang.challenges import services as ch
from kechuang.challenges.models import Application
from kechuang.challenges.tests.factories import ApplicationFactory, ContractFactory
from kechuang.core.dates import date_text
from kechuang.core.models import AuditEvent, Job
from kechuang.core.roles import Role
from kechuang.documents import cerif, oai
from kechuang.documents.models import OpenDataDump
from kechuang.documents.opendata import opendata_build
from kechuang.platforms.tests.factories import PlatformFactory
from kechuang.registry import services as registry

from .world import reviewed

ORCID = "0000-0002-1825-0097"
CREDIT_CODE = "91140100MA0GTB7X34"  # pragma: allowlist secret (a made-up credit code with a valid check char)
DOI = "10.1000/sic.2026.1"


@pytest.fixture
def world(make_user, staff):
    unit = UnitFactory(name="山西碳化硅材料有限公司", kind="enterprise", credit_code=CREDIT_CODE)
    leader = make_user(
        Role.APPLICANT, unit=unit, full_name="欧阳明", username="login-leader-zq7", orcid=ORCID
    )
    leader.email, leader.phone = "leader-zq7@example.cn", "13900001111"
    leader.save()
    contract = ContractFactory(running=True, application__unit=unit, application__leader=leader)
    challenge = contract.challenge
    challenge.status = "awarded"
    challenge.save(update_fields=["status"])
    experts = reviewed(contract.application)
    # an application that was not awarded and a draft call: never exported
    ApplicationFactory(challenge=challenge, status=Application.Status.REJECTED, title="未立项的申报zq7")
    draft = ApplicationFactory(title="草稿榜单的申报zq7").challenge
    draft.status, draft.title = "draft", "草稿榜单zq7"
    draft.save(update_fields=["status", "title"])
    result = ch.result_record(
        actor=leader,
        contract=contract,
        kind="product",
        title="8英寸碳化硅衬底",
        achieved_on=datetime.date(2026, 1, 5),
    )
    form = {
        "name": "8英寸导电型碳化硅衬底",
        "category": "applied",
        "evaluation": "acceptance",
        "stage": "mature",
        "industry": "C",
        "keywords": "碳化硅，衬底",
        "ip_kind": "invention",
        "ip_numbers": "ZL202610000001.X",
        "doi": DOI,
        "summary": "突破8英寸碳化硅单晶生长关键工艺。",
    }
    reg = registry.registration_create(actor=leader, result=result, units=[unit], people=[leader], **form)
    registry.registration_transition(actor=leader, registration=reg, action="submit")
    registry.registration_transition(actor=staff, registration=reg, action="approve")
    r2 = ch.result_record(
        actor=leader,
        contract=contract,
        kind="patent",
        title="未登记成果zq7",
        achieved_on=datetime.date(2026, 2, 1),
    )
    registry.registration_create(
        actor=leader, result=r2, units=[unit], people=[leader], **form | {"name": "未登记成果zq7", "doi": ""}
    )
    PlatformFactory(name="碳化硅省重点实验室", host=unit)
    PlatformFactory(name="未公开平台zq7", published=False)
    return {"unit": unit, "leader": leader, "contract": contract, "experts": experts, "registration": reg}


def _members(dump: OpenDataDump) -> dict[str, bytes]:
    with dump.file.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == dump.sha256 and len(data) == dump.size
    z = zipfile.ZipFile(io.BytesIO(data))
    return {name: z.read(name) for name in z.namelist()}


@pytest.mark.django_db
def test_the_job_builds_a_dump_that_validates_carries_identifiers_and_leaks_nothing(
    world, staff, client_for, django_capture_on_commit_callbacks
):
    c = client_for(staff)
    assert "确认生成" in c.get(reverse("documents:opendata-build")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("documents:opendata-build"))
    job = Job.objects.get(kind="documents.opendata")
    assert r.status_code == 302 and r["Location"] == reverse("core:job-detail", args=[job.pk])
    assert job.state == Job.State.SUCCEEDED and job.progress == 100, job.error
    dump = OpenDataDump.objects.get()
    assert AuditEvent.objects.filter(action="opendata.build").count() == 1
    files = _members(dump)
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "kechuang-opendata-cerif" and manifest["generated_at"]
    assert set(files) == {f["path"] for f in manifest["files"]} | {"manifest.json", "SHA256SUMS"}
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    for f in manifest["files"]:
        assert hashlib.sha256(files[f["path"]]).hexdigest() == f["sha256"] == sums[f["path"]]
        assert cerif.validate(files[f["path"]]) == [], f["path"]
    assert (
        manifest["counts"]
        == dump.counts
        == {
            "calls": 1,
            "awards": 1,
            "projects": 1,
            "results": 1,
            "platforms": 1,
            "units": 1,
            "persons": 1,
        }
    )
    ns = {"o": cerif.OAI, "c": cerif.CERIF}
    orgunits = etree.fromstring(files["cerif/orgunits.xml"])
    unit = orgunits.xpath(f"//o:metadata/c:OrgUnit[@id='OrgUnits/U{world['unit'].pk}']", namespaces=ns)[0]
    assert unit.findtext(f"{{{cerif.CERIF}}}Identifier") == CREDIT_CODE
    assert unit.find(f"{{{cerif.CERIF}}}Identifier").get("type") == cerif.CREDIT_CODE_TYPE
    persons = etree.fromstring(files["cerif/persons.xml"])
    assert persons.xpath("//c:Person/c:ORCID/text()", namespaces=ns) == [f"https://orcid.org/{ORCID}"]
    assert persons.xpath("//c:FamilyNames/text()", namespaces=ns) == ["欧阳"]
    products = etree.fromstring(files["cerif/products.xml"])
    assert products.xpath("//c:Product/c:DOI/text()", namespaces=ns) == [DOI]
    assert world["registration"].number in products.xpath("string(//c:Product/c:Description)", namespaces=ns)
    projects = etree.fromstring(files["cerif/projects.xml"])
    assert projects.xpath("//c:Project/c:Identifier/text()", namespaces=ns) == [world["contract"].code]
    funding = etree.fromstring(files["cerif/funding.xml"])
    kinds = [
        t.split("#")[1]
        for t in funding.xpath("//o:metadata/c:Funding/*[local-name()='Type']/text()", namespaces=ns)
    ]
    assert sorted(kinds) == ["Award", "Call"]
    everything = b"".join(files.values()).decode()
    leader = world["leader"]
    for private in (
        leader.username,
        leader.email,
        leader.phone,
        "未立项的申报zq7",
        "草稿榜单zq7",
        "未登记成果zq7",
        "未公开平台zq7",
        "内部意见",
    ):
        assert private not in everything, private
    for expert in world["experts"]:
        assert expert.username not in everything and expert.last_name not in everything
    # the public page says when it was made and serves it to anyone
    anon = client_for(None)
    page = anon.get(reverse("documents:opendata")).content.decode()
    assert date_text(dump.created_at) in page and "下载最新数据包" in page
    r = anon.get(reverse("documents:opendata-download"))
    assert r.status_code == 200 and b"".join(r.streaming_content)[:2] == b"PK"


@pytest.mark.django_db
def test_no_dump_yet_and_who_may_build(client_for, make_user):
    anon = client_for(None)
    assert "尚未生成" in anon.get(reverse("documents:opendata")).content.decode()
    assert anon.get(reverse("documents:opendata-download")).status_code == 404
    applicant = client_for(make_user(Role.APPLICANT))
    assert applicant.post(reverse("documents:opendata-build")).status_code == 403
    assert not Job.objects.filter(kind="documents.opendata").exists()
    vocab = anon.get(reverse("documents:opendata-vocab", args=["industry"])).content.decode()
    assert "制造业" in vocab
    assert anon.get(reverse("documents:opendata-vocab", args=["nothing"])).status_code == 404


def _project_element():
    fund = {"id": "OrgUnits/issuer", "name": "省科学技术厅"}
    unit = {"id": "OrgUnits/U1", "name": "某单位"}
    record = {
        "id": "Projects/1",
        "title": "项目",
        "code": "RW-1",
        "start": datetime.date(2026, 1, 1),
        "end": datetime.date(2027, 1, 1),
        "unit": unit,
        "leader": {"id": "Persons/1", "name": "王工", "orcid": ORCID},
        "funder": fund,
        "award": {"id": "Fundings/A1", "kind": "Award", "name": "项目"},
    }
    return cerif.project(record)


def _envelope(element):
    return cerif.list_records(
        base_url="http://x/oai",
        set_key="projects",
        records=[("1", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), element)],
        now=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
        identifier_prefix="oai:x:",
    )


def test_the_schema_check_fails_on_a_wrong_element():
    assert cerif.validate(_envelope(_project_element())) == []
    wrong_order = _project_element()
    wrong_order.append(wrong_order.find(f"{{{cerif.CERIF}}}Title"))  # Title after everything: not allowed
    assert any("Title" in e for e in cerif.validate(_envelope(wrong_order)))
    unknown = _project_element()
    etree.SubElement(unknown, f"{{{cerif.CERIF}}}Budget").text = "1"
    assert any("Budget" in e for e in cerif.validate(_envelope(unknown)))
    bad_orcid = _project_element()
    bad_orcid.find(f".//{{{cerif.CERIF}}}ORCID").text = "https://orcid.org/1234-5678-9012-3456"
    assert cerif.validate(_envelope(bad_orcid))


@given(st.integers(min_value=15_000_000, max_value=34_999_999), st.integers(0, 14), st.integers(1, 9))
def test_orcid_checksum_accepts_its_own_and_catches_a_changed_digit(serial, position, delta):
    digits = f"0000000{serial:08d}"
    full = digits + orcid_check_char(digits)
    formatted = "-".join(full[i : i + 4] for i in range(0, 16, 4))
    assert (
        is_valid_orcid(formatted)
        and is_valid_orcid(full)
        and normalize_orcid(f"https://orcid.org/{full}") == formatted
    )
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    assert not is_valid_orcid(changed + full[15])  # MOD 11-2 catches every single-digit error


@pytest.mark.django_db
def test_a_person_gives_their_orcid_on_their_profile(make_user, client_for):
    user = make_user(Role.APPLICANT)
    c = client_for(user)
    r = c.post(reverse("accounts:profile-orcid"), {"orcid": "0000-0002-1825-0098"})
    assert r.status_code == 400 and "0000-0002-1825-0098" in r.content.decode()  # refused, input kept
    r = c.post(reverse("accounts:profile-orcid"), {"orcid": "https://orcid.org/0000000218250097"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.orcid == ORCID
    assert AuditEvent.objects.filter(action="user.orcid", object_id=str(user.pk)).exists()
    assert ORCID in c.get(reverse("accounts:profile")).content.decode()
    c.post(reverse("accounts:profile-orcid"), {"orcid": ""})
    assert User.objects.get(pk=user.pk).orcid == ""


@pytest.mark.django_db
def test_oai_pmh_answers_from_the_latest_dump(world, client_for, settings):
    opendata_build()
    anon = client_for(None)
    url = reverse("documents:opendata-oai")

    def ask(**args):
        r = anon.get(url, args)
        assert r.status_code == 200 and r["Content-Type"].startswith("text/xml")
        assert cerif.validate(r.content) == [], r.content.decode()[:2000]
        return etree.fromstring(r.content)

    o = {"o": cerif.OAI, "c": cerif.CERIF}
    assert ask(verb="Identify").xpath("string(//o:protocolVersion)", namespaces=o) == "2.0"
    assert (
        ask(verb="ListMetadataFormats").xpath("string(//o:metadataPrefix)", namespaces=o)
        == "oai_cerif_openaire"
    )
    assert len(ask(verb="ListSets").xpath("//o:set", namespaces=o)) == len(cerif.SETS)
    listed = ask(verb="ListRecords", metadataPrefix="oai_cerif_openaire", set="openaire_cris_products")
    ids = listed.xpath("//o:header/o:identifier/text()", namespaces=o)
    assert len(ids) == 1
    got = ask(verb="GetRecord", metadataPrefix="oai_cerif_openaire", identifier=ids[0])
    assert got.xpath("//c:Product/c:DOI/text()", namespaces=o) == [DOI]
    everything = ask(verb="ListIdentifiers", metadataPrefix="oai_cerif_openaire")
    assert (
        len(everything.xpath("//o:header", namespaces=o)) == 1 + 1 + 1 + 2 + 1 + 1 + 1
    )  # issuer+unit+platform…
    for args, code in (
        ({"verb": "Nope"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_cerif_openaire", "identifier": "oai:x:none"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_cerif_openaire", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
    ):
        assert ask(**args).xpath("string(//o:error/@code)", namespaces=o) == code, args


def test_oai_respond_without_a_dump():
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    body = oai.respond(
        args={"verb": "ListRecords", "metadataPrefix": "oai_cerif_openaire"},
        base_url="http://x/oai",
        now=now,
        set_files={},
        repository_name="x",
        admin_email="a@example.org",
        earliest=None,
    )
    assert b'code="noRecordsMatch"' in body and cerif.validate(body) == []


@pytest.mark.django_db
def test_the_command_and_the_nightly_task_export(world, tmp_path, capsys):
    from kechuang.documents.schedule import SCHEDULE
    from kechuang.documents.tasks import opendata_export_nightly

    call_command("opendata", "export", language="en")
    out = capsys.readouterr().out
    assert "results 1" in out and re.fullmatch(r"Exported: [a-z ,0-9]+; \d+ bytes", out.strip())
    assert opendata_export_nightly() == "succeeded"
    assert OpenDataDump.objects.count() == 2
    assert SCHEDULE["documents-opendata-export"]["task"] == "kechuang.documents.opendata_export"
    path = tmp_path / "dump.zip"
    dump = OpenDataDump.objects.first()
    with dump.file.open("rb") as fh:
        path.write_bytes(fh.read())
    call_command("opendata", "check", str(path), "--language", "en")
    assert capsys.readouterr().out == "Valid.\n"
    call_command("opendata", "check", str(path))
    assert capsys.readouterr().out == "有效。\n"


@pytest.mark.django_db
def test_the_classification_schemes_are_named_in_the_readers_language(client, english):
    english(client)
    page = client.get(reverse("documents:opendata"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Unit type" in page and "Project status" in page and "单位类型" not in page
    vocab = client.get(reverse("documents:opendata-vocab", args=["platform-kind"])).content.decode()
    assert "Innovation platform type" in vocab and "创新平台类型" not in vocab
