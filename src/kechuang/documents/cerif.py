"""CERIF-XML in the OpenAIRE Guidelines for CRIS Managers 1.2 profile: element builders and the schema check.

Pure XML (lxml): the builders take plain dicts (built by opendata.py from the records) and return elements;
`schema()` loads the guidelines' official XSD copied into schemas/openaire-cerif-1.2/ (see SOURCE.md there)
together with the OAI-PMH schema the records are wrapped in, and `validate()` checks a whole document.

libxml2 cannot load the profile as published: its includes are chameleon schemas (no target namespace)
included several times over, which libxml2 reads as duplicate declarations. `schema()` therefore merges the
includes into one document itself (each file once, in the profile's namespace) and points the imports at the
local copies; the components are the official ones, unchanged.
"""

import datetime
import functools
from pathlib import Path

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
CERIF = "https://www.openaire.eu/cerif-profile/1.2/"
FUNDING_TYPES = "https://www.openaire.eu/cerif-profile/vocab/OpenAIRE_Funding_Types"
PRODUCT_TYPES = "https://www.openaire.eu/cerif-profile/vocab/COAR_Product_Types"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XS = "http://www.w3.org/2001/XMLSchema"
METADATA_PREFIX = "oai_cerif_openaire"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "openaire-cerif-1.2"
PROFILE = SCHEMA_DIR / "openaire-cerif-profile.xsd"
PROJECT_REFERENCE = "https://w3id.org/cerif/vocab/IdentifierTypes#ProjectReference"
# The unified social credit code has no type in the CERIF identifier vocabulary: it is named by its standard.
CREDIT_CODE_TYPE = "urn:gb:32100-2015"

# The OAI-PMH sets of the guidelines, one file of the dump each.
SETS = {
    "orgunits": "openaire_cris_orgunits",
    "persons": "openaire_cris_persons",
    "funding": "openaire_cris_funding",
    "projects": "openaire_cris_projects",
    "products": "openaire_cris_products",
}


# The schema ----------------------------------------------------------------------------------------------


def _merged_profile() -> etree._Element:
    """The profile with its includes merged in once each and its imports pointing at the local copies."""
    root = etree.parse(str(PROFILE)).getroot()
    seen = {PROFILE.resolve()}
    imports: dict[str, str] = {}
    body: list = []

    def walk(node, base: Path) -> None:
        for child in node:
            if child.tag == f"{{{XS}}}include":
                path = (base / child.get("schemaLocation")).resolve()
                if path not in seen:
                    seen.add(path)
                    walk(etree.parse(str(path)).getroot(), path.parent)
            elif child.tag == f"{{{XS}}}import":
                location = child.get("schemaLocation")
                if location.startswith("http"):  # the W3C's xml.xsd: the local copy
                    path = SCHEMA_DIR / "cached" / location.rsplit("/", 1)[1]
                else:
                    path = (base / location).resolve()
                imports.setdefault(child.get("namespace"), path.as_uri())
            elif isinstance(child.tag, str) and child.tag != f"{{{XS}}}annotation":
                body.append(child)

    walk(root, PROFILE.parent)
    imports[OAI] = (SCHEMA_DIR / "cached" / "OAI-PMH.xsd").as_uri()
    merged = etree.Element(root.tag, nsmap=root.nsmap, attrib=dict(root.attrib))
    for namespace, location in imports.items():
        etree.SubElement(merged, f"{{{XS}}}import", namespace=namespace, schemaLocation=location)
    for child in body:
        merged.append(child)
    return merged


@functools.cache
def schema() -> etree.XMLSchema:
    """The OpenAIRE CERIF profile 1.2 with OAI-PMH 2.0 (records are checked inside their envelope)."""
    return etree.XMLSchema(_merged_profile())


def validate(doc) -> list[str]:
    """The schema errors of a document (an element tree or bytes), as "line N: message"; [] when valid."""
    if isinstance(doc, bytes | str):
        doc = etree.fromstring(doc.encode() if isinstance(doc, str) else doc)
    s = schema()
    if s.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in s.error_log]


# Builders ------------------------------------------------------------------------------------------------


def _c(tag: str) -> str:
    return f"{{{CERIF}}}{tag}"


def _sub(parent, tag: str, text=None, lang: str = "", **attrib):
    el = etree.SubElement(parent, _c(tag), **{k: str(v) for k, v in attrib.items()})
    if lang:
        el.set(XML_LANG, lang)
    if text is not None:
        el.text = str(text)
    return el


def _names(parent, tag: str, zh: str, en: str = "") -> None:
    if zh:
        _sub(parent, tag, zh, lang="zh")
    if en:
        _sub(parent, tag, en, lang="en")


def _classification(parent, tag: str, scheme: str, value: str) -> None:
    _sub(parent, tag, f"{scheme}#{value}", scheme=scheme)


def orgunit_ref(parent, unit: dict) -> None:
    """A link to an OrgUnit: its id and name (the full record is in orgunits.xml)."""
    el = _sub(parent, "OrgUnit", id=unit["id"])
    if unit.get("acronym"):
        _sub(el, "Acronym", unit["acronym"])
    _names(el, "Name", unit["name"])


def person_ref(parent, person: dict, tag: str = "Person") -> None:
    el = _sub(parent, tag, id=person["id"])
    _person_name(el, person["name"])
    if person.get("orcid"):
        _sub(el, "ORCID", f"https://orcid.org/{person['orcid']}")


COMPOUND_SURNAMES = [
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "令狐",
    "夏侯",
    "轩辕",
    "端木",
    "西门",
    "独孤",
    "南宫",
    "呼延",
    "闻人",
    "万俟",
    "澹台",
    "公冶",
    "太史",
    "申屠",
    "钟离",
    "赫连",
    "百里",
]


def split_chinese_name(name: str) -> tuple[str, str]:
    """(family name, given names) of a Chinese name of two to four characters; ("", name) otherwise."""
    name = (name or "").strip()
    if 2 <= len(name) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in name):
        cut = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[:cut], name[cut:]
    return "", name


def _person_name(parent, name: str) -> None:
    family, given = split_chinese_name(name)
    el = _sub(parent, "PersonName")
    if family:
        _sub(el, "FamilyNames", family)
        _sub(el, "FirstNames", given)
    else:
        _sub(el, "OtherNames", given)


def orgunit(unit: dict):
    """An OrgUnit: a unit (with its unified social credit code) or a platform (part of its host unit)."""
    el = etree.Element(_c("OrgUnit"), nsmap={None: CERIF}, id=unit["id"])
    if unit.get("type"):
        _classification(el, "Type", unit["type"][0], unit["type"][1])
    if unit.get("acronym"):
        _sub(el, "Acronym", unit["acronym"])
    _names(el, "Name", unit["name"], unit.get("name_en", ""))
    if unit.get("credit_code"):
        _sub(el, "Identifier", unit["credit_code"], type=CREDIT_CODE_TYPE)
    if unit.get("url"):
        _sub(el, "ElectronicAddress", unit["url"])
    if unit.get("part_of"):
        orgunit_ref(_sub(el, "PartOf"), unit["part_of"])
    return el


def person(p: dict):
    el = etree.Element(_c("Person"), nsmap={None: CERIF}, id=p["id"])
    _person_name(el, p["name"])
    if p.get("orcid"):
        _sub(el, "ORCID", f"https://orcid.org/{p['orcid']}")
    for unit in p.get("affiliations", []):
        orgunit_ref(_sub(el, "Affiliation"), unit)
    return el


def _funding_type(parent, kind: str) -> None:
    t = etree.SubElement(parent, f"{{{FUNDING_TYPES}}}Type", nsmap={None: FUNDING_TYPES})
    t.text = f"{FUNDING_TYPES}#{kind}"


def _funding_ref(parent, f: dict) -> None:
    el = _sub(parent, "Funding", id=f["id"])
    _funding_type(el, f["kind"])
    _names(el, "Name", f["name"])


def funding(f: dict):
    """A Funding: a call (榜单, type Call) or an award (立项, type Award, part of its call)."""
    el = etree.Element(_c("Funding"), nsmap={None: CERIF}, id=f["id"])
    _funding_type(el, f["kind"])
    if f.get("acronym"):
        _sub(el, "Acronym", f["acronym"])
    _names(el, "Name", f["name"])
    if f.get("amount") is not None:
        _sub(el, "Amount", f"{f['amount']:.2f}", currency="CNY")
    if f.get("reference"):
        _sub(el, "Identifier", f["reference"], type=PROJECT_REFERENCE)
    if f.get("description"):
        _sub(el, "Description", f["description"], lang="zh")
    for keyword in f.get("keywords", []):
        _sub(el, "Keyword", keyword, lang="zh")
    for funder in f.get("funders", []):
        link = _sub(el, "Funder")
        _sub(link, "DisplayName", funder["name"])
        orgunit_ref(link, funder)
    if f.get("part_of"):
        _funding_ref(_sub(el, "PartOf"), f["part_of"])
    if f.get("start") or f.get("end"):
        attrib = {}
        if f.get("start"):
            attrib["startDate"] = f["start"].isoformat()
        if f.get("end"):
            attrib["endDate"] = f["end"].isoformat()
        _sub(el, "Duration", **attrib)
    return el


def project(p: dict):
    el = etree.Element(_c("Project"), nsmap={None: CERIF}, id=p["id"])
    _names(el, "Title", p["title"])
    _sub(el, "Identifier", p["code"], type=PROJECT_REFERENCE)
    _sub(el, "StartDate", p["start"].isoformat())
    _sub(el, "EndDate", p["end"].isoformat())
    consortium = _sub(el, "Consortium")
    coordinator = _sub(consortium, "Coordinator")
    _sub(coordinator, "DisplayName", p["unit"]["name"])
    orgunit_ref(coordinator, p["unit"])
    if p.get("leader"):
        pi = _sub(_sub(el, "Team"), "PrincipalInvestigator")
        _sub(pi, "DisplayName", p["leader"]["name"])
        person_ref(pi, p["leader"])
        orgunit_ref(_sub(pi, "Affiliation"), p["unit"])
    funded = _sub(el, "Funded")
    by = _sub(funded, "By")
    _sub(by, "DisplayName", p["funder"]["name"])
    orgunit_ref(by, p["funder"])
    _funding_ref(_sub(funded, "As"), p["award"])
    for keyword in p.get("keywords", []):
        _sub(el, "Keyword", keyword, lang="zh")
    if p.get("status"):
        _classification(el, "Status", p["status"][0], p["status"][1])
    return el


def product(r: dict):
    """A Product: a registered result (科技成果登记), with its DOI when it has one."""
    el = etree.Element(_c("Product"), nsmap={None: CERIF}, id=r["id"])
    t = etree.SubElement(el, f"{{{PRODUCT_TYPES}}}Type", nsmap={None: PRODUCT_TYPES})
    t.text = r["coar_type"]
    _sub(el, "Language", "zh")
    _names(el, "Name", r["name"])
    if r.get("doi"):
        _sub(el, "DOI", r["doi"])
    if r.get("url"):
        _sub(el, "URL", r["url"])
    creators = _sub(el, "Creators")
    for p in r.get("persons", []):
        c = _sub(creators, "Creator")
        _sub(c, "DisplayName", p["name"])
        person_ref(c, p)
    for u in r.get("units", []):
        c = _sub(creators, "Creator")
        _sub(c, "DisplayName", u["name"])
        orgunit_ref(c, u)
    if not len(creators):
        el.remove(creators)
    # The registration number has no identifier element of its own in the profile: it opens the description
    # (and the URL is the result's public page, which shows it).
    _sub(el, "Description", f"登记号 {r['number']}。{r.get('summary', '')}", lang="zh")
    if r.get("subject"):
        _classification(el, "Subject", r["subject"][0], r["subject"][1])
    for keyword in r.get("keywords", []):
        _sub(el, "Keyword", keyword, lang="zh")
    if r.get("project"):
        origin = _sub(el, "OriginatesFrom")
        p = _sub(origin, "Project", id=r["project"]["id"])
        _names(p, "Title", r["project"]["title"])
    return el


# The OAI-PMH envelope ------------------------------------------------------------------------------------


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def oai_document(*, base_url: str, verb: str, now: datetime.datetime, request_args: dict | None = None):
    """An empty OAI-PMH response: (root, the element the verb's answer goes in)."""
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI})
    etree.SubElement(root, f"{{{OAI}}}responseDate").text = _stamp(now)
    request = etree.SubElement(root, f"{{{OAI}}}request")
    request.text = base_url
    if verb:
        request.set("verb", verb)
    for k, v in (request_args or {}).items():
        request.set(k, v)
    return root


def oai_record(parent, *, identifier: str, datestamp: datetime.datetime, set_spec: str, metadata):
    record = etree.SubElement(parent, f"{{{OAI}}}record")
    header = etree.SubElement(record, f"{{{OAI}}}header")
    etree.SubElement(header, f"{{{OAI}}}identifier").text = identifier
    etree.SubElement(header, f"{{{OAI}}}datestamp").text = _stamp(datestamp)
    etree.SubElement(header, f"{{{OAI}}}setSpec").text = set_spec
    etree.SubElement(record, f"{{{OAI}}}metadata").append(metadata)
    return record


def oai_error(root, code: str, message: str = "") -> None:
    el = etree.SubElement(root, f"{{{OAI}}}error", code=code)
    el.text = message


def list_records(
    *, base_url: str, set_key: str, records: list, now: datetime.datetime, identifier_prefix: str
):
    """A ListRecords response of one set: `records` are (id, datestamp, element) triples."""
    set_spec = SETS[set_key]
    root = oai_document(
        base_url=base_url,
        verb="ListRecords",
        now=now,
        request_args={"metadataPrefix": METADATA_PREFIX, "set": set_spec},
    )
    if not records:
        oai_error(root, "noRecordsMatch", "no records in this set")
        return root
    parent = etree.SubElement(root, f"{{{OAI}}}ListRecords")
    for rid, stamp, element in records:
        oai_record(
            parent,
            identifier=f"{identifier_prefix}{rid}",
            datestamp=stamp,
            set_spec=set_spec,
            metadata=element,
        )
    return root


def to_bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
