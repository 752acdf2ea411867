"""Import of experts from Excel/CSV: every row checked, then all written in one transaction.

The format has its headings in both languages (`COLUMNS`, `COLUMNS_EN`, fixed here, not through the
catalogue, so a changed translation never breaks a file): a file is read by either, column by column; the
template, the import page and the refusals use the reader's (`headings()`, docs/adr/0019).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.models import Unit, User, fold_email
from kechuang.accounts.services import user_create, username_for_email
from kechuang.accounts.validators import PHONE_INVALID, is_valid_phone
from kechuang.core import disciplines, divisions
from kechuang.core.excel import Headings, ImportReport, RowError, read_table, validation_row_errors
from kechuang.core.messages import Message
from kechuang.core.roles import Role, require_role

from ..models import ExpertProfile
from ._common import ONLY_STAFF, _list_of_str
from .experts import expert_profile_create, expert_profile_transition, expert_profile_update

# Experts are people, found by what people know of them: their e-mail address, else their phone number, else
# their name at their unit. Nobody types a login name: a new expert's is made from the address (as an
# invitation's is). Files made for earlier versions have a 用户名 column first: it is read past and ignored, and
# the report says so.
# 城市: a prefecture-level division by name in any form (太原, 太原市, Taiyuan), stored as its Chinese name; 省份
# (optional) tells two cities of one name apart (泰州/台州: Taizhou) and is checked against the city.
COLUMNS = {
    "name": "姓名",
    "unit": "单位",
    "email": "邮箱",
    "phone": "联系电话",
    "title": "职称",
    "disciplines": "学科",
    "keywords": "关键词",
    "province": "省份",
    "city": "城市",
    "cap": "年度上限",
}
COLUMNS_EN = {
    "name": "Name",
    "unit": "Unit",
    "email": "E-mail",
    "phone": "Phone",
    "title": "Title",
    "disciplines": "Disciplines",
    "keywords": "Keywords",
    "province": "Province",
    "city": "City",
    "cap": "Yearly limit",
}
IMPORT_COLUMNS = tuple(COLUMNS.values())  # the Chinese file's header row
REQUIRED = ("name", "unit")
IGNORED_COLUMNS = ("用户名",)
# Files made for earlier versions name the column 学科代码; either header is read (names or codes in it).
DISCIPLINE_HEADERS = ("学科", "学科代码", "Disciplines")


HEADINGS = Headings(COLUMNS, COLUMNS_EN)
# The columns' headings in the reader's language (`english` overrides it), by field: the template's header row
# and the names the refusals give.
headings = HEADINGS.local


def _values(row) -> dict:
    """A row's cells by field, under either language's heading (the Chinese where a file has both); the
    disciplines are read under DISCIPLINE_HEADERS."""
    return HEADINGS.cells(row, leave=("disciplines",))


IGNORED_NOTE = gettext_noop(
    "文件中的“用户名”列已不再使用，已忽略：专家按邮箱（其次联系电话，再次姓名和单位）与已有用户对应，"
    "新专家的登录用户名由邮箱生成。"
)


def _discipline_cell(value) -> str:
    """A 学科 cell as text: Excel types 460.30 as the number 460.3, which is 460.30 (a second-level code
    has two digits after the dot, a third-level one four)."""
    if isinstance(value, float):
        return f"{value:.2f}" if round(value, 2) == value else f"{value:.4f}"
    return "" if value is None else str(value)


def _user_field_errors(line: int, name: str, email: str, phone: str) -> list:
    """The account's own rules (name length, e-mail form, phone length) checked on the row, so that a bad row
    is reported with its line instead of failing the whole import at the write."""
    from django.core.exceptions import ValidationError

    named = headings()
    labels = {"full_name": named["name"], "email": named["email"], "phone": named["phone"]}
    candidate = User(full_name=name, email=email, phone=phone)
    try:
        candidate.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in labels])
    except ValidationError as exc:
        return validation_row_errors(exc, line, labels)
    return []


def _profile_field_errors(line: int, **fields) -> list:
    """The profile's own columns (职称, 城市), checked by the model on the row (one longer than it keeps)."""
    from django.core.exceptions import ValidationError

    candidate = ExpertProfile(**fields)
    try:
        candidate.clean_fields(exclude=[f.name for f in ExpertProfile._meta.fields if f.name not in fields])
    except ValidationError as exc:
        named = headings()
        return validation_row_errors(exc, line, {"title": named["title"], "city": named["city"]})
    return []


def _find_person(line: int, *, name: str, unit, email: str, phone: str):
    """(the existing user this row is, or None for a new one; errors). By e-mail when given, else by phone,
    else an expert of that name at that unit; more than one match is the row's error (the file should say
    which one by a fuller detail), and a new expert needs an e-mail address (to set a password and be told)."""
    named = headings()
    if email:
        found, field = list(User.objects.filter(email_key=fold_email(email))[:2]), named["email"]
    elif phone:
        found, field = list(User.objects.filter(phone=phone)[:2]), named["phone"]
    else:
        found = list(User.objects.filter(full_name=name, unit=unit, expert_profile__isnull=False)[:2])
        field = named["name"]
    if len(found) > 1:
        return None, [
            RowError(
                line,
                Message(gettext_noop("有多个用户与此行的%(what)s相符：请填写该专家的邮箱。"), what=field),
                field,
            )
        ]
    if found:
        return found[0], []
    if not email:
        return None, [
            RowError(
                line,
                Message(gettext_noop("新专家须填写邮箱（用于设置密码和接收通知）。")),
                named["email"],
            )
        ]
    return None, []


def expert_import(*, actor, data: bytes, filename: str, dry_run: bool = True):
    """Import experts from Excel/CSV (columns: COLUMNS or COLUMNS_EN). Every bad row is reported with its
    line; nothing is written unless the whole file is clean, and then all in one transaction.
    A row is an existing person when its e-mail (else phone, else name at the unit) matches one: their
    profile is created or updated; otherwise a new user with the expert role is made from the e-mail."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    named = headings()
    # each required column under either heading; a missing one is named in the reader's language
    rows = read_table(data, filename, required=HEADINGS.required(REQUIRED))
    report = ImportReport(total=len(rows), dry_run=dry_run)
    if any(any(h in row.values for h in IGNORED_COLUMNS) for row in rows[:1]):
        report.notes.append(Message(IGNORED_NOTE))
    units = {u.name: u for u in Unit.objects.all()}
    seen = set()
    clean = []
    incomplete = []  # lines of rows with neither a discipline nor a keyword: imported, not approved
    for row in rows:
        v = _values(row)
        name = str(v["name"] or "").strip()
        unit_name = str(v["unit"] or "").strip()
        email = str(v["email"] or "").strip()
        phone = str(v["phone"] or "").strip()
        errs = []
        if not name:
            errs.append(RowError(row.line, Message(gettext_noop("姓名不能为空。")), named["name"]))
        if unit_name and unit_name not in units:
            errs.append(
                RowError(
                    row.line,
                    Message(gettext_noop("单位“%(unit)s”不在单位库中。"), unit=unit_name),
                    named["unit"],
                )
            )
        field_errs = _user_field_errors(row.line, name, email, phone)
        errs.extend(field_errs)
        key = ("email", email.lower()) if email else ("phone", phone) if phone else ("name", name, unit_name)
        user = None
        if key in seen:
            errs.append(RowError(row.line, Message(gettext_noop("此专家在文件中重复。")), named["name"]))
        elif name and not field_errs and not (unit_name and unit_name not in units):
            user, found_errs = _find_person(
                row.line, name=name, unit=units.get(unit_name), email=email, phone=phone
            )
            errs.extend(found_errs)
        if phone and not field_errs and not is_valid_phone(phone) and (user is None or user.phone != phone):
            # as the forms check it; the phone an existing person holds from before the check still finds them
            errs.append(RowError(row.line, Message(PHONE_INVALID), named["phone"]))
        seen.add(key)
        cap_raw = v["cap"]
        cap = 30
        if cap_raw not in (None, ""):
            try:
                cap = int(float(cap_raw))
                if cap < 0 or cap > 1000:
                    raise ValueError
            except (TypeError, ValueError, OverflowError):  # OverflowError: "inf", "1e999"
                errs.append(
                    RowError(row.line, Message(gettext_noop("年度上限应为0到1000之间的整数。")), named["cap"])
                )
        header = next((h for h in DISCIPLINE_HEADERS if row.values.get(h) not in (None, "")), "学科")
        discs, bad = disciplines.parse_list(_discipline_cell(row.values.get(header)))
        if bad:
            errs.append(
                RowError(
                    row.line,
                    Message(
                        gettext_noop(
                            "学科“%(items)s”不在学科分类表（GB/T 13745）中：请写学科名称，如“机械工程”或“材料科学/复合材料”。"
                        ),
                        items=bad,
                    ),
                    # the old files' 学科代码 as they head it; else in the reader's language
                    header if header == "学科代码" else named["disciplines"],
                )
            )
        keywords = _list_of_str(v["keywords"])
        city = str(v["city"] or "").strip()
        province = str(v["province"] or "").strip()
        if province and divisions.resolve(province) is None:
            errs.append(
                RowError(row.line, Message(divisions.UNKNOWN_MSGID, value=province), named["province"])
            )
            province = ""
        problem = divisions.city_problem(
            city,
            province,
            # a city the expert's profile already holds from before the list, as exported, is kept
            held=lambda value, user=user: (
                user is not None and ExpertProfile.objects.filter(user=user, city=value).exists()
            ),
        )
        if problem is not None:
            errs.append(RowError(row.line, problem, named["city"]))
        city = divisions.city_normalise(city, province or None)
        checked = {"title": str(v["title"] or "").strip()}
        if problem is None:
            checked["city"] = city  # a city that names none is said once, not also as too long
        errs.extend(_profile_field_errors(row.line, **checked))
        if errs:
            report.errors.extend(errs)
            continue
        held = (
            ExpertProfile.objects.filter(user=user).values_list("status", flat=True).first()
            if user is not None
            else None
        )  # the status of the profile the person already has, if any: one query per row
        if not discs and not keywords and held != ExpertProfile.Status.APPROVED:
            incomplete.append(row.line)
        if held is not None:
            report.updated += 1
        else:
            report.created += 1
        clean.append(
            {
                "user": user,
                "name": name,
                "unit": units.get(unit_name),
                "title": checked["title"],
                "disciplines": discs,
                "keywords": keywords,
                "city": city,
                "cap": cap,
                "email": email,
                "phone": phone,
            }
        )
    if incomplete and not report.errors:
        # approval asks for a discipline or a keyword (review.workflow._profile_complete): such a row's profile
        # is imported as a draft, said before the import and after it, with its lines
        report.notes.append(
            Message(
                gettext_noop(
                    "第%(lines)s行没有学科和研究方向关键词：这些专家档案导入后为草稿，补充学科或关键词后才能审核入库。"
                ),
                lines=incomplete,  # shown as the reader lists things (2、5 / 2, 5)
            )
        )
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        for c in clean:
            user = c["user"]
            if user is None:
                user = user_create(
                    actor=actor,
                    username=username_for_email(c["email"]),
                    password=None,
                    roles=[Role.EXPERT],
                    unit=c["unit"],
                    full_name=c["name"],
                    email=c["email"],
                    phone=c["phone"],
                )
            fields = {
                "title": c["title"],
                "disciplines": c["disciplines"],
                "keywords": c["keywords"],
                "city": c["city"] or (c["unit"].city if c["unit"] else ""),
                "yearly_cap": c["cap"],
            }
            profile = ExpertProfile.objects.filter(user=user).first()
            if profile is None:
                profile = expert_profile_create(actor=actor, user=user, **fields)
            else:
                profile = expert_profile_update(
                    actor=actor, profile=profile, expected_version=profile.version, **fields
                )
            if profile.status != ExpertProfile.Status.APPROVED and (c["disciplines"] or c["keywords"]):
                expert_profile_transition(
                    actor=actor, profile=profile, action="approve", reason=_("批量导入")
                )
    report.committed = True
    return report
