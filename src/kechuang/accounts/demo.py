"""The demo province's units and one user per role. Idempotent: units and users are matched by name."""

from django.db import transaction

from kechuang.core.roles import DEMO, Role

from .models import Unit, UnitChangeRequest, User
from .services import roles_sync, unit_change_request_create, unit_create, unit_register, user_create
from .validators import credit_code_check_char

DEMO_PASSWORD = "kechuang-demo-2026"
DEMO_PASSWORD_NOTE = (
    "Demo users staff, commissioner, commissioner2, expert1..expert8, applicant, applicant2, operator "
    f"share the password {DEMO_PASSWORD}"
)


def demo_credit_code(seq: int, region: str = "140100") -> str:
    """A well-formed (checksummed) unified social credit code for demo enterprise number `seq`."""
    body = f"91{region}{seq:09d}"[:17]
    return body + credit_code_check_char(body)


# name, kind, city, province, region code, short name, English name
UNITS = [
    (
        "山西省科学技术厅",
        "government",
        "太原",
        "山西",
        "140100",
        "省科技厅",
        "Shanxi Provincial Department of Science and Technology",
    ),
    ("山西大学", "university", "太原", "山西", "140100", "山大", "Shanxi University"),
    ("太原理工大学", "university", "太原", "山西", "140100", "太理工", "Taiyuan University of Technology"),
    ("中北大学", "university", "太原", "山西", "140100", "中北", "North University of China"),
    ("山西农业大学", "university", "晋中", "山西", "140700", "山西农大", "Shanxi Agricultural University"),
    ("兰州大学", "university", "兰州", "甘肃", "620100", "兰大", "Lanzhou University"),
    (
        "中国科学院近代物理研究所",
        "institute",
        "兰州",
        "甘肃",
        "620100",
        "近代物理所",
        "Institute of Modern Physics, CAS",
    ),
    (
        "中国科学院兰州化学物理研究所",
        "institute",
        "兰州",
        "甘肃",
        "620100",
        "兰州化物所",
        "Lanzhou Institute of Chemical Physics, CAS",
    ),
    ("山西省医学科学院", "hospital", "太原", "山西", "140100", "", ""),
    (
        "大同高速飞车科技有限公司",
        "enterprise",
        "大同",
        "山西",
        "140200",
        "高速飞车",
        "Datong High-Speed Flying Train Co.",
    ),
    ("山西碳化硅材料有限公司", "enterprise", "太原", "山西", "140100", "", ""),
    ("山西锦波生物医药股份有限公司", "enterprise", "太原", "山西", "140100", "锦波生物", ""),
    ("中车大同电力机车有限公司", "enterprise", "大同", "山西", "140200", "中车大同", "CRRC Datong"),
    ("山西石墨烯新材料有限公司", "enterprise", "太原", "山西", "140100", "", ""),
    ("甘肃重离子医疗装备有限公司", "enterprise", "兰州", "甘肃", "620100", "", ""),
    ("金川镍钴新材料有限公司", "enterprise", "金昌", "甘肃", "620300", "", ""),
    ("白银新能源电池材料有限公司", "enterprise", "白银", "甘肃", "620400", "", ""),
    ("天水星火数控机床有限公司", "enterprise", "天水", "甘肃", "620500", "", ""),
    ("山西量子通信技术有限公司", "enterprise", "太原", "山西", "140100", "", ""),
    ("山西异质结光伏装备有限公司", "enterprise", "晋中", "山西", "140700", "", ""),
    ("大同市科学技术局", "government", "大同", "山西", "140200", "大同市科技局", ""),
]
# Endorsing departments (推荐单位/主管部门) of some demo units.
ENDORSERS = {"大同高速飞车科技有限公司": "大同市科学技术局", "中车大同电力机车有限公司": "大同市科学技术局"}
# A unit that registered itself and waits for staff, and a unit user's pending change of a verified field.
REGISTRATION = {
    "unit_fields": {
        "name": "晋中智能传感科技有限公司",
        "kind": "enterprise",
        "province": "山西",
        "city": "晋中",
        "region_code": "140700",
        "address": "晋中市榆次区汇通路 88 号",
        "contact_name": "韩经理",
        "contact_phone": "0354-1234567",
        "contact_email": "register@example.org",
    },
    "full_name": "韩经理",
    "email": "register@example.org",
}
CHANGE = ("applicant2", {"city": "晋中"}, "公司注册地址迁至晋中市，营业执照已变更。")

# username, full name, roles, unit name
USERS = [
    ("staff", "王处长", [Role.STAFF], "山西省科学技术厅"),
    ("commissioner", "李专员", [Role.COMMISSIONER], "山西省科学技术厅"),
    ("commissioner2", "赵专员", [Role.COMMISSIONER], "山西省科学技术厅"),
    ("expert1", "张教授", [Role.EXPERT], "山西大学"),
    ("expert2", "刘研究员", [Role.EXPERT], "中国科学院近代物理研究所"),
    ("expert3", "陈教授", [Role.EXPERT], "兰州大学"),
    ("expert4", "杨教授", [Role.EXPERT], "太原理工大学"),
    ("expert5", "黄研究员", [Role.EXPERT], "中国科学院兰州化学物理研究所"),
    ("expert6", "周教授", [Role.EXPERT], "山西农业大学"),
    ("expert7", "吴教授", [Role.EXPERT], "中北大学"),
    ("expert8", "孙高工", [Role.EXPERT], "山西省医学科学院"),
    ("applicant", "郑总工", [Role.APPLICANT], "大同高速飞车科技有限公司"),
    ("applicant2", "冯博士", [Role.APPLICANT], "山西碳化硅材料有限公司"),
    ("operator", "钱主任", [Role.OPERATOR], "中北大学"),
]


def units_by_name() -> dict[str, Unit]:
    return {u.name: u for u in Unit.objects.all()}


@transaction.atomic
def load(*, stdout=None) -> None:
    roles_sync()
    existing = units_by_name()
    seq = 1
    for name, kind, city, province, region, short, name_en in UNITS:
        if name not in existing:
            code = demo_credit_code(seq, region) if kind == "enterprise" else ""
            existing[name] = unit_create(
                actor=DEMO,
                name=name,
                kind=kind,
                city=city,
                province=province,
                region_code=region,
                short_name=short,
                name_en=name_en,
                credit_code=code,
            )
        seq += 1
    for username, full_name, roles, unit_name in USERS:
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=DEMO,
                username=username,
                password=DEMO_PASSWORD,
                roles=roles,
                unit=existing[unit_name],
                full_name=full_name,
                email=f"{username}@example.org",
            )
    for name, endorser in ENDORSERS.items():
        Unit.objects.filter(name=name, endorser__isnull=True).update(endorser=existing[endorser])
    if not Unit.objects.filter(name=REGISTRATION["unit_fields"]["name"]).exists():
        fields = {**REGISTRATION["unit_fields"], "endorser": existing["山西省科学技术厅"]}
        fields["credit_code"] = demo_credit_code(99, "140700")
        unit_register(
            unit_fields=fields,
            full_name=REGISTRATION["full_name"],
            email=REGISTRATION["email"],
            password=DEMO_PASSWORD,
            address_confirmed=True,  # a made-up address: no mailbox to open the link in
        )
    username, changes, reason = CHANGE
    requester = User.objects.select_related("unit").get(username=username)
    if not UnitChangeRequest.objects.filter(unit=requester.unit).exists():
        unit_change_request_create(actor=requester, unit=requester.unit, changes=changes, reason=reason)
