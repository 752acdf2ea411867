"""The generated dataset's units and users (see core.gendata): units with valid GB 32100 credit codes,
one user per person the other apps need (staff, commissioners, experts, applicants, operators) and the
known logins gd_staff, gd_operator, gd_commissioner, gd_expert, gd_applicant."""

from django.contrib.auth.models import Group

from kechuang.core import divisions
from kechuang.core.gendata import Context
from kechuang.core.gendata_words import (
    BRAND,
    ENTERPRISE_SUFFIX,
    FIELDS,
    GIVEN,
    HOSPITAL_NAMES,
    INSTITUTE_NAMES,
    PROVINCES,
    SURNAMES,
    UNIVERSITY_NAMES,
    province_name,
)
from kechuang.core.roles import Role

from .models import Unit, User, fold_email
from .services import roles_sync
from .validators import credit_code_check_char

KNOWN_LOGINS = ("gd_staff", "gd_operator", "gd_commissioner", "gd_expert", "gd_applicant")
KIND_SHARES = [
    ("enterprise", 0.70),
    ("university", 0.08),
    ("institute", 0.12),
    ("hospital", 0.05),
    ("government", 0.02),
    ("other", 0.03),
]
CREDIT_PREFIX = {
    "enterprise": "91",
    "university": "12",
    "institute": "12",
    "hospital": "12",
    "government": "11",
}


def person_name(rng) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def credit_code(kind: str, region_code: str, seq: int) -> str:
    """A unified social credit code whose check character is right (GB 32100-2015)."""
    body = f"{CREDIT_PREFIX[kind]}{region_code}{seq:09d}"
    return body + credit_code_check_char(body)


def cities_for(scale: str) -> list[tuple[str, str, str]]:
    """(province, city, region code) of the generated world: one province, or the whole country."""
    provinces = PROVINCES if scale == "national" else PROVINCES[:1]
    return [(p, c, f"{prefix}{i + 1:02d}00") for p, prefix, cities in provinces for i, c in enumerate(cities)]


def _unit_name(rng, kind: str, province: str, city: str) -> str:
    industry = rng.choice(FIELDS)
    brand = rng.choice(BRAND) + rng.choice(BRAND)
    if kind == "enterprise":
        word = rng.choice([industry[0], rng.choice(industry[1])])
        return f"{city}{brand}{word}{rng.choice(ENTERPRISE_SUFFIX)}"
    if kind == "university":
        return f"{province}{brand}{rng.choice(UNIVERSITY_NAMES)}"
    if kind == "institute":
        return f"{province}{brand}{industry[0]}{rng.choice(INSTITUTE_NAMES)}"
    if kind == "hospital":
        return f"{city}{brand}{rng.choice(HOSPITAL_NAMES)}"
    if kind == "government":
        return f"{city}{brand}区科学技术局"
    return f"{city}{brand}{industry[0]}促进会"


def generate(ctx: Context) -> None:
    rng = ctx.rng("accounts")
    w = ctx.writer
    w.sync()  # the role groups are made by the ORM: from the same sequence value on every run
    roles_sync()
    groups = {g.name: g.pk for g in Group.objects.filter(name__in=[r.value for r in Role])}
    cities = cities_for(ctx.scale)
    province0, city0, region0 = cities[0]
    n_units = ctx.plan["units"]
    units: list[tuple] = []  # (id, kind, province, city, region_code, name)
    names: set[str] = set()

    def add_unit(name, kind, province, city, region, short="", created=None) -> int:
        seq = len(units) + 1
        created = created or ctx.at(ctx.day(rng.randint(400, 2400)), rng.randint(0, 480))
        uid = ctx.add(
            Unit,
            name=name,
            short_name=short,
            kind=kind,
            credit_code=credit_code(kind, region, seq) if kind in CREDIT_PREFIX else "",
            province=divisions.resolve(province) or province,  # stored as its GB/T 2260 code
            city=city,
            region_code=region,
            created_at=created,
            updated_at=created,
        )
        units.append((uid, kind, province, city, region, name))
        names.add(name)
        ctx.audit(
            action="unit.create",
            model=Unit,
            obj_id=uid,
            obj_repr=name,
            at=created,
            actor=(None, "gendata"),
            after={"name": name, "kind": kind, "city": city},
        )
        return uid

    w.clock = ctx.at(ctx.day(2500))
    dept = add_unit(
        f"{province_name(province0)}科学技术厅", "government", province0, city0, region0, "省科技厅", w.clock
    )
    kinds = [k for k, _s in KIND_SHARES]
    weights = [s for _k, s in KIND_SHARES]
    while len(units) < n_units:
        kind = rng.choices(kinds, weights)[0]
        province, city, region = rng.choice(cities)
        name = _unit_name(rng, kind, province, city)
        if name in names:
            continue
        add_unit(name, kind, province, city, region)
    by_kind: dict[str, list[tuple]] = {}
    for u in units:
        by_kind.setdefault(u[1], []).append(u)

    # Users ------------------------------------------------------------------------------------------
    users: dict[str, list[tuple]] = {r.value: [] for r in Role}  # role -> (id, unit_id, full_name, username)
    unit_of = {u[0]: u for u in units}
    joined_base = ctx.day(1500)

    def add_user(username, role, unit_id, full_name=None) -> int:
        full_name = full_name or person_name(rng)
        joined = ctx.at(joined_base, rng.randint(0, 1400 * 24 * 60))
        uid = ctx.add(
            User,
            password=ctx.password_hash,
            username=username,
            email=f"{username}@example.org",
            email_key=fold_email(
                f"{username}@example.org"
            ),  # User.save keeps it; the writer does not call it
            date_joined=joined,
            full_name=full_name,
            unit_id=unit_id,
            is_superuser=False,
            is_staff=False,
            is_active=True,
            first_name="",
            last_name="",
            phone="",
        )
        ctx.add(User.groups.through, user_id=uid, group_id=groups[role])
        users[role].append((uid, unit_id, full_name, username))
        ctx.audit(
            action="user.create",
            model=User,
            obj_id=uid,
            obj_repr=full_name,
            at=joined,
            actor=(None, "gendata"),
            after={"username": username, "roles": [role], "unit": unit_id},
        )
        return uid

    scale = ctx.plan["platforms"] / 5000
    n_staff = max(6, round(60 * scale))
    n_comm = max(6, round(200 * scale))
    for i in range(n_staff):
        add_user(f"gd_staff_{i + 1}", Role.STAFF, dept)
    for i in range(n_comm):
        add_user(f"gd_commissioner_{i + 1}", Role.COMMISSIONER, dept)
    expert_units = by_kind["university"] + by_kind["institute"] + by_kind["hospital"]
    for i in range(ctx.plan["experts"]):
        pool = expert_units if rng.random() < 0.8 else by_kind["enterprise"]
        add_user(f"gd_expert_{i + 1}", Role.EXPERT, rng.choice(pool)[0])
    # Applicants: one or two people in most units that apply (enterprises, universities, institutes).
    applying = by_kind["enterprise"] + by_kind["university"] + by_kind["institute"]
    n_app_users = max(40, ctx.plan["applications"] // 2)
    applicant_units = sorted(rng.sample(applying, min(len(applying), n_app_users * 3 // 4)))
    for i in range(n_app_users):
        unit = applicant_units[i % len(applicant_units)]
        add_user(f"gd_applicant_{i + 1}", Role.APPLICANT, unit[0])
    for i in range(ctx.plan["platforms"]):
        add_user(f"gd_operator_{i + 1}", Role.OPERATOR, None)

    # The known logins of the load benchmark (printed by the command).
    known = {}
    known["gd_staff"] = add_user("gd_staff", Role.STAFF, dept, "高处长")
    known["gd_commissioner"] = add_user("gd_commissioner", Role.COMMISSIONER, dept, "钟专员")
    known["gd_expert"] = add_user("gd_expert", Role.EXPERT, expert_units[0][0], "骆教授")
    known["gd_applicant"] = add_user("gd_applicant", Role.APPLICANT, by_kind["enterprise"][0][0], "韩总工")
    known["gd_operator"] = add_user("gd_operator", Role.OPERATOR, None, "甄主任")

    ctx.shared.update(
        units=units,
        unit_of=unit_of,
        units_by_kind=by_kind,
        dept_unit=dept,
        users=users,
        user_name={u[0]: u[2] for role in users.values() for u in role},
        actor_names={u[0]: u[2] for role in users.values() for u in role},  # the public name (full name)
        user_unit={u[0]: u[1] for role in users.values() for u in role},
        known=known,
        cities=cities,
    )
