"""Import of experts from Excel/CSV: every row checked, then all written in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.models import Unit, User
from kechuang.accounts.services import user_create
from kechuang.core import disciplines
from kechuang.core.excel import ImportReport, RowError, read_table
from kechuang.core.messages import Message
from kechuang.core.roles import Role, require_role

from ..models import ExpertProfile
from ._common import ONLY_STAFF, _list_of_str
from .experts import expert_profile_create, expert_profile_transition, expert_profile_update

IMPORT_COLUMNS = ("用户名", "姓名", "单位", "职称", "学科", "关键词", "城市", "年度上限", "邮箱")
# Files made for earlier versions name the column 学科代码; either header is read (names or codes in it).
DISCIPLINE_HEADERS = ("学科", "学科代码")


def _discipline_cell(value) -> str:
    """A 学科 cell as text: Excel types 460.30 as the number 460.3, which is 460.30 (a second-level code
    has two digits after the dot, a third-level one four)."""
    if isinstance(value, float):
        return f"{value:.2f}" if round(value, 2) == value else f"{value:.4f}"
    return "" if value is None else str(value)


def _user_field_errors(line: int, username: str, name: str, email: str) -> list:
    """The account's own rules (user name characters and length, name length, e-mail form) checked on the
    row, so that a bad row is reported with its line instead of failing the whole import at the write."""
    from django.core.exceptions import ValidationError

    labels = {"username": "用户名", "full_name": "姓名", "email": "邮箱"}
    candidate = User(username=username, full_name=name, email=email)
    try:
        candidate.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in labels])
    except ValidationError as exc:
        return [
            RowError(line, "；".join(str(m) for m in messages), labels[field])
            for field, messages in exc.message_dict.items()
        ]
    return []


def expert_import(*, actor, data: bytes, filename: str, dry_run: bool = True):
    """Import experts from Excel/CSV (columns: IMPORT_COLUMNS). Every bad row is reported with its
    line; nothing is written unless the whole file is clean, and then all in one transaction.
    Existing users (by username) get their profile updated; new ones are created with the expert role."""
    require_role(actor, Role.STAFF, message=_(ONLY_STAFF))
    rows = read_table(data, filename, required=("用户名", "姓名", "单位"))
    report = ImportReport(total=len(rows), dry_run=dry_run)
    units = {u.name: u for u in Unit.objects.all()}
    seen = set()
    clean = []
    for row in rows:
        v = row.values
        username = str(v.get("用户名") or "").strip()
        name = str(v.get("姓名") or "").strip()
        unit_name = str(v.get("单位") or "").strip()
        errs = []
        if not username:
            errs.append(RowError(row.line, Message(gettext_noop("用户名不能为空。")), "用户名"))
        elif username in seen:
            errs.append(RowError(row.line, Message(gettext_noop("用户名在文件中重复。")), "用户名"))
        else:
            errs.extend(_user_field_errors(row.line, username, name, str(v.get("邮箱") or "").strip()))
        if not name:
            errs.append(RowError(row.line, Message(gettext_noop("姓名不能为空。")), "姓名"))
        if unit_name and unit_name not in units:
            errs.append(
                RowError(
                    row.line, Message(gettext_noop("单位“%(unit)s”不在单位库中。"), unit=unit_name), "单位"
                )
            )
        cap_raw = v.get("年度上限")
        cap = 30
        if cap_raw not in (None, ""):
            try:
                cap = int(float(cap_raw))
                if cap < 0 or cap > 1000:
                    raise ValueError
            except (TypeError, ValueError, OverflowError):  # OverflowError: "inf", "1e999"
                errs.append(
                    RowError(row.line, Message(gettext_noop("年度上限应为0到1000之间的整数。")), "年度上限")
                )
        header = next((h for h in DISCIPLINE_HEADERS if v.get(h) not in (None, "")), "学科")
        discs, bad = disciplines.parse_list(_discipline_cell(v.get(header)))
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
                    header,
                )
            )
        seen.add(username)
        if errs:
            report.errors.extend(errs)
            continue
        existing = User.objects.filter(username=username).first()
        if existing is not None and ExpertProfile.objects.filter(user=existing).exists():
            report.updated += 1
        else:
            report.created += 1
        clean.append(
            {
                "username": username,
                "name": name,
                "unit": units.get(unit_name),
                "title": str(v.get("职称") or "").strip(),
                "disciplines": discs,
                "keywords": _list_of_str(v.get("关键词")),
                "city": str(v.get("城市") or "").strip(),
                "cap": cap,
                "email": str(v.get("邮箱") or "").strip(),
            }
        )
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        for c in clean:
            user = User.objects.filter(username=c["username"]).first()
            if user is None:
                user = user_create(
                    actor=actor,
                    username=c["username"],
                    password=None,
                    roles=[Role.EXPERT],
                    unit=c["unit"],
                    full_name=c["name"],
                    email=c["email"],
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
            if profile.status != ExpertProfile.Status.APPROVED:
                expert_profile_transition(
                    actor=actor, profile=profile, action="approve", reason=_("批量导入")
                )
    report.committed = True
    return report
