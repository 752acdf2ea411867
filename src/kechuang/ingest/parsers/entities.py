"""Entity mentions: platforms, units, places and programmes named in a report, linked to a registry by
fuzzy match or proposed as new. Pure: the registry is passed in.

A registry is `{kind: [(id, name, aliases), ...]}` for kinds "platform" and "unit"; places and
programmes come from the built-in gazetteer below.
"""

import re
from dataclasses import asdict, dataclass

from .charsets import HAN

# Source: administrative divisions (provinces, and the prefecture-level cities of the two demo
# provinces), written down by hand for the demo regions.
PLACES = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "兰州",
    "嘉峪关",
    "金昌",
    "白银",
    "天水",
    "武威",
    "张掖",
    "平凉",
    "酒泉",
    "庆阳",
    "定西",
    "陇南",
    "临夏",
    "甘南",
    "太原",
    "大同",
    "阳泉",
    "长治",
    "晋城",
    "朔州",
    "晋中",
    "运城",
    "忻州",
    "临汾",
    "吕梁",
    "兰白",
]
PROGRAMMES = [
    "国家自然科学基金",
    "国家重点研发计划",
    "国家科技重大专项",
    "强科技行动",
    "揭榜挂帅",
    "一室一策",
    "科技创新2030",
    "优化营商环境攻坚突破年",
    "省重点研发计划",
    "省自然科学基金",
    "中央引导地方科技发展资金",
]

_PLATFORM_SUFFIX = (
    r"(?:国家实验室|全国重点实验室|重点实验室|实验室|工程(?:（技术）)?研究中心|技术创新中心|研究中心|创新联合体|产业技术联盟|"
    r"联盟|研发平台|测试平台|基础设施|研究院|加速器|熔盐堆|授时系统)"
)
_PLATFORM = re.compile(rf"[{HAN}（）]{{2,24}}?{_PLATFORM_SUFFIX}")
_UNIT = re.compile(
    rf"[{HAN}（）]{{2,16}}?(?:大学|学院|研究所|中国科学院|科学院|医院|有限公司|股份有限公司|集团)"
)
# words after which a name starts: verbs, counts, particles
_BOUNDARY = re.compile(
    r"(?:建成|新获批|获批|打造|布局建设|新建|组建|建设|通过|依托|基于|争取|推进|采取|一批|[\d一二两三四五六七八九十]+[个家项所座台种]|"
    r"[的等在为对把将])"
)
# names of whole categories, not of one platform
GENERIC = set(
    [
        "国家重点实验室",
        "国家实验室",
        "全国重点实验室",
        "重点实验室",
        "实验室",
        "省重点实验室",
        "国家工程（技术）研究中心",
        "研究中心",
        "创新联合体",
        "企业创新联合体",
        "国家科教基础设施",
        "基础设施",
        "研发平台",
        "测试平台",
        "科技创新平台",
        "创新平台",
        "国家级创新平台",
        "省基础学科研究中心",
        "国家战略科技平台",
        "战略科技平台",
        "重点产业技术攻坚图谱",
        "加速器",
    ]
)
LINK_THRESHOLD = 85.0


@dataclass
class Mention:
    kind: str  # platform | unit | place | programme
    text: str
    start: int
    end: int
    target_id: int | None = None
    target_name: str = ""
    score: float = 0.0

    @property
    def linked(self) -> bool:
        return self.target_id is not None or self.kind in ("place", "programme")

    def as_json(self) -> dict:
        return asdict(self)


def _trim(name: str) -> tuple[str, int]:
    """Cut the words in front of a name (verbs, counts, particles); returns (name, characters cut)."""
    cut = 0
    for m in _BOUNDARY.finditer(name):
        if len(name) - m.end() >= 3:
            cut = m.end()
    if name[cut : cut + 1] in set("个家项所座台种") and len(name) - cut > 3:
        cut += 1
    return name[cut:], cut


def _score(a: str, b: str, **kwargs) -> float:
    """Similarity of two names: whole-name ratio, or (a little lower) one name inside the other, so that
    重离子加速器 finds 强流重离子加速器装置 but 实验室 does not find every laboratory."""
    from rapidfuzz import fuzz

    whole = fuzz.ratio(a, b)
    if min(len(a), len(b)) < 4:
        return whole
    return max(whole, 0.9 * fuzz.partial_ratio(a, b))


def _choices(entries) -> dict:
    """Every name and alias of the registry's entries -> (id, name): what a mention is matched against."""
    choices = {}
    for entry_id, entry_name, aliases in entries:
        for n in [entry_name, *aliases]:
            if n:
                choices[n] = (entry_id, entry_name)
    return choices


def _link(name: str, entries, choices: dict | None = None) -> tuple[int | None, str, float]:
    """The entry `name` matches (`choices`: `_choices(entries)`, made once per report by the caller)."""
    from rapidfuzz import process

    if not entries:
        return None, "", 0.0
    if choices is None:
        choices = _choices(entries)
    hit = process.extractOne(name, list(choices), scorer=_score)
    if hit and hit[1] >= LINK_THRESHOLD:
        entry_id, entry_name = choices[hit[0]]
        if not _names_another_place(name, hit[0], entry_name):
            return entry_id, entry_name, float(hit[1])
        # the best name is this entry's in another place's words (漻州市科技局… is not 犨山市's 市科技局): the next
        # names that match closely enough and are not
        for choice, score, _i in process.extract(
            name, list(choices), scorer=_score, limit=8, score_cutoff=LINK_THRESHOLD
        ):
            entry_id, entry_name = choices[choice]
            if not _names_another_place(name, choice, entry_name):
                return entry_id, entry_name, float(score)
        return None, hit[0], float(hit[1])
    return None, (hit[0] if hit else ""), float(hit[1]) if hit else 0.0


# a place's name at the head of a unit's name: 犨山市 (犨山市科学技术局), 鄜漻省 (鄜漻省科学技术厅)
_PLACE_HEAD = re.compile(rf"[{HAN}]{{1,8}}?(?:省|自治区|市|自治州|县|区)")


def _names_another_place(name: str, choice: str, entry_name: str) -> bool:
    """Whether `name`, a mention found by pattern, matched `choice` (a name or short name of the entry
    `entry_name`) only in the words of a unit of another place (issue #15: a unit of another province is never
    matched to this department's own). Where the choice stands inside the mention, the words right before it
    must not continue a longer name (漻州市科技局组织漻州大学 holds 市科技局 as 漻州市's), unless they are the
    entry's own place, itself not continuing one (犨山市科技局); where the match is a near one, a place at the mention's head must be the
    entry's own (鄜州省科学技术厅 is not 鄜漻省科学技术厅)."""
    own = _PLACE_HEAD.match(entry_name)
    own_place = own.group(0) if own else ""
    if choice in name:
        for m in re.finditer(re.escape(choice), name):
            i = m.start()
            if not _continues_a_name(name, i):
                return False
            j = name.rfind(own_place, 0, i + len(own_place)) if own_place else -1
            if j >= 0 and j < i <= j + len(own_place) and not _continues_a_name(name, j):
                return False
        return True
    head = _PLACE_HEAD.match(name)
    return bool(head and own_place and head.group(0) != own_place and own_place not in name)


# what may stand right before a unit's short name (省科技厅) when it means this report's own unit: not a
# character of a longer name (东黎省科技厅 is another province's department)
_NAME_BOUNDARY = frozenset("的和与及同在由对向经将把被为是了并会我本、，。；：“”（）《》 \n")


def _registry_hits(text: str, entries, kind: str):
    """Every occurrence of a registry entry's name or alias, as a linked mention. A short name that
    continues a longer name (省科技厅 inside 东黎省科技厅, a unit of another province) is not this
    entry: it is left out."""
    for entry_id, entry_name, aliases in entries:
        for n in [entry_name, *aliases]:
            if len(n) < 2:
                continue
            for m in re.finditer(re.escape(n), text):
                if n != entry_name and _continues_a_name(text, m.start()):
                    continue
                yield Mention(kind, n, m.start(), m.end(), entry_id, entry_name, 100.0)


def _continues_a_name(text: str, start: int) -> bool:
    before = text[start - 1 : start]
    return bool(before) and before not in _NAME_BOUNDARY and bool(re.match(rf"[{HAN}]", before))


def _gazetteer_pattern(names: list[str]) -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))


_PLACE, _PROGRAMME = _gazetteer_pattern(PLACES), _gazetteer_pattern(PROGRAMMES)


def find_mentions(text: str, registry: dict | None = None) -> list[Mention]:
    """Every mention found, linked to the registry where a name matches closely enough."""
    registry = registry or {}
    out: list[Mention] = []
    seen: set[tuple[int, int]] = set()
    # the names to match against, made once per report (not once per mention)
    choices = {kind: _choices(registry.get(kind, [])) for kind in ("platform", "unit")}

    def add(kind, name, start):
        end = start + len(name)
        if (start, end) in seen or name in GENERIC:
            return
        seen.add((start, end))
        mention = Mention(kind, name, start, end)
        if kind in ("platform", "unit"):
            mention.target_id, mention.target_name, mention.score = _link(
                name, registry.get(kind, []), choices[kind]
            )
        else:
            mention.target_name, mention.score = name, 100.0
        out.append(mention)

    for kind, pattern in (("platform", _PLATFORM), ("unit", _UNIT)):
        for m in pattern.finditer(text):
            name, cut = _trim(m.group(0))
            add(kind, name, m.start() + cut)
    # exact names and aliases from the registry that the patterns did not catch: where the mentions so far lie
    # is marked once (testing each hit against every mention so far cost ~n² in a report repeating a name,
    # 。科技厅 × 13,000: 26 s; docs/security.md §18)
    covered = bytearray(len(text) + 1)
    for s, e in seen:
        covered[s:e] = b"\x01" * (e - s)
    for kind in ("unit", "platform"):
        for mention in _registry_hits(text, registry.get(kind, []), kind):
            if not covered[mention.start]:
                seen.add((mention.start, mention.end))
                covered[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
                out.append(mention)
    for kind, pattern in (("place", _PLACE), ("programme", _PROGRAMME)):
        for m in pattern.finditer(text):
            add(kind, m.group(0), m.start())
    return sorted(out, key=lambda x: (x.start, x.end))
