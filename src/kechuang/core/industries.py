"""The industries a technology need or a topic belongs to (所属产业): a fixed list, named in both languages.

It had been free text, so an English page showed whatever Chinese was typed. Now it is a choice: the stored value
is the entry's key (never shown), its name is read in the reader's language (`label`). A value stored before,
which no entry matched (`closest`), is kept as it was typed and shown as it is — visible, and offered as the
current choice until someone picks an entry. Imports and the API take an entry by its key or by its name (or a
usual other name) in either language (`parse`).

The entries follow the province's key industries (the strategic emerging industries of the national classification
of 2018, and the province's own: energy, coal, chemicals, metallurgy, rail transit).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# key, Chinese name (a msgid), English name, other names a person or an older record uses (either language)
INDUSTRIES = [
    (
        "next_gen_it",
        gettext_noop("新一代信息技术"),
        "Next-generation information technology",
        ["信息技术", "电子信息", "软件", "大数据", "云计算", "物联网", "IT", "information technology"],
    ),
    ("ai", gettext_noop("人工智能"), "Artificial intelligence", ["AI", "智能"]),
    (
        "semiconductors",
        gettext_noop("半导体与集成电路"),
        "Semiconductors and integrated circuits",
        ["半导体", "集成电路", "芯片", "碳化硅", "semiconductor", "integrated circuits", "chips"],
    ),
    ("quantum", gettext_noop("量子信息"), "Quantum information", ["量子", "量子科技", "quantum"]),
    ("new_materials", gettext_noop("新材料"), "New materials", ["材料", "石墨烯", "稀土", "materials"]),
    (
        "biomedicine",
        gettext_noop("生物医药"),
        "Biomedicine",
        ["医药", "生物", "生物技术", "中医药", "医疗器械", "pharmaceuticals", "biotechnology"],
    ),
    (
        "high_end_equipment",
        gettext_noop("高端装备制造"),
        "High-end equipment manufacturing",
        [
            "装备制造",
            "高端装备",
            "智能制造",
            "数控机床",
            "机械",
            "equipment manufacturing",
            "high-end equipment",
        ],
    ),
    ("rail_transit", gettext_noop("轨道交通"), "Rail transit", ["高速飞车", "磁浮", "铁路", "rail"]),
    ("aerospace", gettext_noop("航空航天"), "Aerospace", ["航空", "航天", "无人机"]),
    (
        "new_energy",
        gettext_noop("新能源"),
        "New energy",
        ["光伏", "风电", "氢能", "储能", "能源互联网", "地热", "地热与地质", "renewable energy"],
    ),
    (
        "new_energy_vehicles",
        gettext_noop("新能源汽车"),
        "New energy vehicles",
        ["汽车", "电动汽车", "electric vehicles"],
    ),
    (
        "energy",
        gettext_noop("能源"),
        "Energy",
        ["煤炭", "煤层气", "煤炭清洁利用", "电力", "石油", "天然气", "coal"],
    ),
    (
        "chemicals",
        gettext_noop("化工"),
        "Chemicals",
        ["煤化工", "精细化工", "石油化工", "化学工业", "chemical industry"],
    ),
    (
        "metallurgy",
        gettext_noop("冶金与有色金属"),
        "Metallurgy and non-ferrous metals",
        ["冶金", "钢铁", "有色金属", "不锈钢", "镍钴", "metallurgy"],
    ),
    (
        "energy_saving",
        gettext_noop("节能环保"),
        "Energy saving and environmental protection",
        ["环保", "节能", "生态环境", "环境保护", "environmental protection"],
    ),
    (
        "agriculture",
        gettext_noop("现代农业"),
        "Modern agriculture",
        ["农业", "种业", "食品", "林业", "agriculture"],
    ),
    ("digital_creative", gettext_noop("数字创意"), "Digital creative industries", ["文化", "文旅", "创意"]),
    (
        "tech_services",
        gettext_noop("科技服务"),
        "Science and technology services",
        ["技术服务", "检验检测", "科技服务业"],
    ),
]

KEYS = {key for key, *_rest in INDUSTRIES}
CHOICES = [(key, _(zh)) for key, zh, _en, _aliases in INDUSTRIES]
_ENGLISH = {key: en for key, _zh, en, _aliases in INDUSTRIES}


def _norm(text: str) -> str:
    return " ".join(str(text or "").replace("产业", "").replace("行业", "").split()).casefold()


# every name an entry is known by, in either language, normalised
_NAMES: dict[str, str] = {}
for _key, _zh, _en, _aliases in INDUSTRIES:
    for _name in (_key, _zh, _en, *_aliases):
        _NAMES.setdefault(_norm(_name), _key)


def label(value: str) -> str:
    """The industry a stored value names, in the reader's language; a value no entry holds (stored before the
    list, matching none) as it is; "" for none."""
    if not value:
        return ""
    for key, text in CHOICES:
        if key == value:
            return str(text)
    return value


def parse(text) -> str | None:
    """The entry's key a person's words name — its key, or a name or other name in either language; "" for
    nothing written; None when no entry is named (the caller refuses it, saying which)."""
    words = _norm(text)
    if not words:
        return ""
    return _NAMES.get(words)


def closest(text) -> str:
    """The entry closest to free text stored before the list (for the data migration): named exactly, or else the
    entry whose longest name the text holds; the text itself when none fits (kept visible, never dropped)."""
    exact = parse(text)
    if exact is not None:
        return exact
    words = _norm(text)
    best = ""
    for name, key in _NAMES.items():
        if len(name) >= 2 and name in words and len(name) > len(best):
            best, found = name, key
    return found if best else str(text).strip()


def choices_with(value: str = "") -> list[tuple[str, str]]:
    """The picker's choices: none, every entry, and a stored value no entry holds (as it was typed) while it is
    the record's, so an edit keeps it until someone picks an entry."""
    out = [("", _("请选择产业"))] + list(CHOICES)
    if value and value not in KEYS:
        out.append((value, value))
    return out


def english_name(key: str) -> str:
    return _ENGLISH.get(key, key)


def matching(words: str) -> list[str]:
    """The entries a search's words name part of (a name or other name in either language holding them): for a
    search box that looks in the industry too."""
    words = _norm(words)
    if not words:
        return []
    return sorted({key for name, key in _NAMES.items() if words in name})


def shown(words, *, english: bool | None = None) -> str:
    """An industry typed as free text (a platform's 服务产业) in the reader's language: a Chinese page keeps
    the words as typed (煤化工 says more than its entry); an English page writes the entry they name by its name
    or another name (新材料 → New materials, 煤化工 → Chemical industry), else the words as typed."""
    from . import language

    text = str(words or "").strip()
    if english is None:
        english = language.english()
    if not english:
        return text
    key = parse(text)
    return english_name(key) if key else text


def shown_list(values, *, english: bool | None = None) -> list[str]:
    """Each of `values` as `shown`, once (煤炭 and 能源 both read Energy on an English page)."""
    return list(dict.fromkeys(s for s in (shown(v, english=english) for v in values or ()) if s))
