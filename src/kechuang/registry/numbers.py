"""Registration numbers (登记号) of the two registries — the documented scheme (docs/registry.md):

    CG-<region>-<year>-<seq>   科技成果登记号, e.g. CG-140000-2026-00017
    JS-<region>-<year>-<seq>   技术合同登记号, e.g. JS-140000-2026-00342

<region> is the registering office's six-digit administrative division code (settings
KECHUANG_REGION_CODE, 140000 = 山西省), <year> the year of the approval, <seq> the approval's place in that
year's series for that registry, five digits, from 00001. A number is assigned once, when staff approve
(register), inside the approval's transaction from a locked counter row — never reused, even if the
registration is later revoked — and is unique in the database.
"""

import re

PREFIX = {"result": "CG", "contract": "JS"}
PATTERN = re.compile(r"^(CG|JS)-(\d{6})-(\d{4})-(\d{5})$")


def format_number(kind: str, region: str, year: int, seq: int) -> str:
    if kind not in PREFIX:
        raise ValueError(f"unknown registry {kind!r}")
    if not (len(region) == 6 and region.isdecimal()):
        raise ValueError("region must be a six-digit division code")
    if not 1 <= seq <= 99999:
        raise ValueError("sequence out of range")
    return f"{PREFIX[kind]}-{region}-{year:04d}-{seq:05d}"


def parse_number(number: str) -> tuple[str, str, int, int] | None:
    """(kind, region, year, seq) of a well-formed number, else None."""
    m = PATTERN.match(number.strip())
    if not m:
        return None
    kind = {v: k for k, v in PREFIX.items()}[m.group(1)]
    return kind, m.group(2), int(m.group(3)), int(m.group(4))
