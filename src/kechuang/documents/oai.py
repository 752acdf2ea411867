"""A small OAI-PMH 2.0 endpoint over the latest open-data dump (docs/opendata.md).

Identify, ListMetadataFormats (oai_cerif_openaire), ListSets, ListIdentifiers, ListRecords and GetRecord,
answered from the stored dump's files, so the harvest is exactly what the bulk download holds. Every answer
is complete (no resumption tokens); `from` and `until` filter on the records' datestamps.
"""

import datetime
import re

from lxml import etree

from . import cerif

VERBS = {
    "Identify": set(),
    "ListMetadataFormats": {"identifier"},
    "ListSets": set(),
    "ListIdentifiers": {"metadataPrefix", "set", "from", "until"},
    "ListRecords": {"metadataPrefix", "set", "from", "until"},
    "GetRecord": {"identifier", "metadataPrefix"},
}
REQUIRED = {
    "ListIdentifiers": {"metadataPrefix"},
    "ListRecords": {"metadataPrefix"},
    "GetRecord": {"identifier", "metadataPrefix"},
}
SCHEMA_URL = "https://www.openaire.eu/schema/cris/current/openaire-cerif-profile.xsd"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")
NS = f"{{{cerif.OAI}}}"


def respond(
    *,
    args: dict[str, str],
    base_url: str,
    now: datetime.datetime,
    set_files: dict[str, bytes],
    repository_name: str,
    admin_email: str,
    earliest: datetime.datetime | None,
) -> bytes:
    """The OAI-PMH answer to one request. `set_files` maps a set spec to its ListRecords document (the dump)."""
    verb = args.get("verb", "")
    known = verb in VERBS
    echo = {k: v for k, v in args.items() if k != "verb"} if known else {}
    root = cerif.oai_document(base_url=base_url, verb=verb if known else "", now=now, request_args=echo)

    def error(code, message=""):
        cerif.oai_error(root, code, message)
        return cerif.to_bytes(root)

    if not known:
        return error("badVerb", "unknown or missing verb")
    extra = set(args) - {"verb"} - VERBS[verb]
    missing = REQUIRED.get(verb, set()) - set(args)
    if extra or missing:
        return error("badArgument", f"illegal: {sorted(extra)}; missing: {sorted(missing)}")
    for key in ("from", "until"):
        if key in args and not DATE.match(args[key]):
            return error("badArgument", f"{key} is not a date")
    if "metadataPrefix" in args and args["metadataPrefix"] != cerif.METADATA_PREFIX:
        return error("cannotDisseminateFormat", f"only {cerif.METADATA_PREFIX}")

    if verb == "Identify":
        el = etree.SubElement(root, NS + "Identify")
        for tag, text in (
            ("repositoryName", repository_name),
            ("baseURL", base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", admin_email),
            ("earliestDatestamp", cerif._stamp(earliest or now)),
            ("deletedRecord", "no"),
            ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ):
            etree.SubElement(el, NS + tag).text = text
        return cerif.to_bytes(root)
    if verb == "ListMetadataFormats":
        if "identifier" in args and _find(set_files, args["identifier"]) is None:
            return error("idDoesNotExist")
        fmt = etree.SubElement(etree.SubElement(root, NS + "ListMetadataFormats"), NS + "metadataFormat")
        etree.SubElement(fmt, NS + "metadataPrefix").text = cerif.METADATA_PREFIX
        etree.SubElement(fmt, NS + "schema").text = SCHEMA_URL
        etree.SubElement(fmt, NS + "metadataNamespace").text = cerif.CERIF
        return cerif.to_bytes(root)
    if verb == "ListSets":
        sets = etree.SubElement(root, NS + "ListSets")
        for spec in cerif.SETS.values():
            s = etree.SubElement(sets, NS + "set")
            etree.SubElement(s, NS + "setSpec").text = spec
            etree.SubElement(s, NS + "setName").text = spec.removeprefix("openaire_cris_")
        return cerif.to_bytes(root)
    if verb == "GetRecord":
        record = _find(set_files, args["identifier"])
        if record is None:
            return error("idDoesNotExist")
        etree.SubElement(root, NS + "GetRecord").append(record)
        return cerif.to_bytes(root)

    if "set" in args and args["set"] not in set_files:
        return error("noRecordsMatch", "no such set")
    specs = [args["set"]] if "set" in args else list(set_files)
    records = [r for spec in specs for r in _records(set_files[spec])]
    lo, hi = args.get("from", ""), args.get("until", "")
    records = [r for r in records if _in_range(r.findtext(f"{NS}header/{NS}datestamp"), lo, hi)]
    if not records:
        return error("noRecordsMatch")
    parent = etree.SubElement(root, NS + verb)
    for r in records:
        parent.append(r.find(NS + "header") if verb == "ListIdentifiers" else r)
    return cerif.to_bytes(root)


def _records(document: bytes) -> list:
    return etree.fromstring(document).findall(f"{NS}ListRecords/{NS}record")


def _find(set_files: dict[str, bytes], identifier: str):
    for document in set_files.values():
        for record in _records(document):
            if record.findtext(f"{NS}header/{NS}identifier") == identifier:
                return record
    return None


def _in_range(stamp: str, lo: str, hi: str) -> bool:
    # Datestamps share one granularity, so their text orders as the times do; a bare date covers its day.
    if lo and stamp < (lo if "T" in lo else lo + "T00:00:00Z"):
        return False
    return not (hi and stamp > (hi if "T" in hi else hi + "T23:59:59Z"))
