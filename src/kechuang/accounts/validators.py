"""Validation of the unified social credit code (统一社会信用代码, GB 32100-2015), of administrative division
codes (GB/T 2260) and of ORCID iDs."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 are given."""
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    code = (code or "").strip().upper()
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARS for c in code):
        return False
    if not code[2:8].isdecimal():  # the administrative division code
        return False
    return credit_code_check_char(code[:17]) == code[17]


def validate_credit_code(value: str) -> None:
    if not is_valid_credit_code(value):
        raise ValidationError(
            _("统一社会信用代码无效：应为18位（数字或大写字母，不含I、O、Z、S、V），且校验位正确。"),
            code="invalid_credit_code",
        )


# An administrative division code (行政区划代码, GB/T 2260): six digits.
REGION_CODE = re.compile(r"^\d{6}$")

REGION_CODE_INVALID = _("行政区划代码应为6位数字。")


def validate_region_code(value: str) -> None:
    if not REGION_CODE.match(value or ""):
        raise ValidationError(REGION_CODE_INVALID, code="invalid_region_code")


# ORCID iD (https://orcid.org): 16 characters in four groups, the last one a check character computed with
# ISO 7064 MOD 11-2 over the first fifteen digits. Only the blocks ORCID assigns are accepted (the same
# ranges the OpenAIRE CERIF profile's ORCID type allows), so an accepted iD is also valid in the open data.
ORCID_RE = re.compile(
    r"^0000-000((1-[5-9]|2-[0-9]|3-[0-4])[0-9]{3}-[0-9]{3}[0-9X]|3-5000-0001)$"
    r"|^0009-00(0[0-9]-[0-9]{4}-[0-9]{3}[0-9X]|10-0000-0000)$"
)


def orcid_check_char(base_digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first fifteen digits of an ORCID iD."""
    total = 0
    for d in base_digits:
        total = (total + int(d)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(value: str) -> str:
    """`https://orcid.org/0000-0002-1825-0097`, `0000000218250097` or with spaces → `0000-0002-1825-0097`."""
    v = (value or "").strip().upper()
    for prefix in ("HTTPS://ORCID.ORG/", "HTTP://ORCID.ORG/", "ORCID.ORG/"):
        if v.startswith(prefix):
            v = v[len(prefix) :]
    v = re.sub(r"[\s-]", "", v)
    if len(v) == 16:
        v = "-".join(v[i : i + 4] for i in range(0, 16, 4))
    return v


def is_valid_orcid(value: str) -> bool:
    v = normalize_orcid(value)
    if not ORCID_RE.match(v):
        return False
    digits = v.replace("-", "")
    return orcid_check_char(digits[:15]) == digits[15]


def validate_orcid(value: str) -> None:
    if not is_valid_orcid(value):
        raise ValidationError(
            _("ORCID 无效：应为 16 位（如 0000-0002-1825-0097），且末位校验码正确。"), code="invalid_orcid"
        )


# A contact phone typed on a form (the registration's): a mainland mobile (1 and ten digits, +86 allowed), a
# landline with its area code (0354-1234567, (0354)1234567; 0 and 2-3 digits, then 7-8 digits) or a 400/800
# service line, each with an optional extension (转/分机/ext/-/#, up to 6 digits). Spaces and hyphens
# between groups are allowed. Stored as typed (stripped). Checked wherever a phone is entered (forms.PhoneField,
# the unit and expert imports); a phone stored before the check is kept until someone changes it.
_EXT = r"(?:\s*(?:转|分机|ext\.?|x|#|-)\s*\d{1,6})?"
PHONE_RE = re.compile(
    r"^(?:"
    r"(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}"  # mobile
    r"|(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})[\s-]?\d{3,4}[\s-]?\d{4}"
    + _EXT
    + r"|[48]00[\s-]?\d{3}[\s-]?\d{4}"
    + _EXT
    + r")$",
    re.IGNORECASE,
)
PHONE_INVALID = _(
    "联系电话格式不正确：请填写手机号（如 13812345678），或带区号的固定电话（如 0354-1234567，分机可写作 0354-1234567-8001）。"
)


def is_valid_phone(value: str) -> bool:
    return bool(PHONE_RE.match((value or "").strip()))


def validate_phone(value: str) -> None:
    """A blank phone is left to the field's `required`; anything typed must be a phone number."""
    if (value or "").strip() and not is_valid_phone(value):
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
