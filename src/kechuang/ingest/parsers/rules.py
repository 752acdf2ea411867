"""The extraction rules, one per form of fact. Each takes the pattern's match (`extract._PATTERN`) and the
sentence's context (`extract.Sentence`) and returns the facts it states (often one, none when the figure
is not a fact: an ordinal, a slogan in quotes, a code).

`RULES` maps each branch of the pattern to its rule; `figure` dispatches a number with a unit to the
rule of the unit's form (money, percent, points, level, quantity, count).
"""

import re
from dataclasses import replace
from decimal import Decimal

from .extract import (
    _PATTERN,
    DIGITS_ONLY_MEASURES,
    FOREIGN_CURRENCIES,
    KUAI_UNITS,
    MAO_UNITS,
    QUANTITY_UNITS,
    YI_UNITS,
    Fact,
)
from .numbers import SHARES, _scaled_value, cn_number, number_value, plain
from .subjects import AFTER as _AFTER
from .subjects import (
    LEADING,
    LIST_SPLIT,
    RANK_VERB,
    SUBJECT_STRIP,
    UP_TO_LAST_DELIM,
    after_phrase,
    before_phrase,
    strip_leading_verb,
    strip_trailing,
)

# (连续保持全市第一: 保持 a place, as 保持在 one)
_RANK_CUE = re.compile(
    r"(居|排名|排|位列|列|位居|升至|降至|前移至|后移至|升到|降到|前移到|后移到|提升到|提高到|回升到|回落到|保持|稳定在"
    r"|提到|进到|由|由上年的?|由20\d\d年的?|(?:比|较)(?:上年|去年|前年|20\d\d年)的"
    r"|(?:升|降|前移|后移|提升|提高|回升|回落)(?:至|到)20\d\d年(?:底|末|)的)[^，。；]{0,4}$"
)
# a short aside in brackets between the verb and the rank (居各县（市、区）首位) does not part them
_ASIDE = re.compile(r"[（(][^（()）]{1,8}[）)]")


def _rank_cue(head: str) -> bool:
    """A ranking verb close before the rank (居全省, 排名, 由上年的 …), an aside in brackets not counted."""
    return bool(
        _RANK_CUE.search(head)
        or (("）" in head[-16:] or ")" in head[-16:]) and _RANK_CUE.search(_ASIDE.sub("", head[-24:])))
    )


# 位列52家参评机构第三: a ranking verb of two characters reaches over the field it ranks in
_RANK_CUE_FAR = re.compile(r"(?:位列|位居|排名|名列|(?<![民定邻安])居(?![民住]))[^，。；]{5,12}$")
# 居全国第15位、中部地区第2位: a rank listed after a rank
_RANK_LISTED = re.compile(r"第[\d一二三四五六七八九十]{1,3}[位名]、[^，。；、]{0,8}$")
_FROM_RANK = re.compile(r"从(?:上年的?|去年的?|)(?:全国|全省|全市|)$")
# the figure a movement starts from (由上年的第19位, 由4级): the year before the report's
_MOVED_FROM = re.compile(r"[由从](?:上年的?|去年的?)?(?:全国|全省|全市)?(?:第)?$")
# the year before, said in the clause: 去年, 上年 (but not a comparison: 比上年, 较上年, 同比上年, nor 去年以来:
# since then, to now)
_LAST_YEAR = re.compile(r"(?<![比较])(?:去年|上一?年)(?!以来|来)")
_RELATIVE_YEARS = re.compile("年前|前年|上一年|上年度")
# the year before, said as 上一年(度) in the clause (not 比上一年, 较上一年度)
_PREVIOUS_YEAR = re.compile(r"(?<![比较与])上一年")
_RATE_BASE = ("按", "按其", "按照")
# some years back, said in the clause: 三年前还是2.05%, 五年前…不到四十家 (not 2020年前, 提前两年)
_YEARS_AGO = re.compile(
    r"(?<![\d〇零一二两三四五六七八九十几多])(\d{1,2}|[一二两三四五六七八九十]{1,2})年前(?![后])"
)
# some years back opening a sentence (after white space or an opening quotation mark): 五年前这里还是…
_OPENS_YEARS_AGO = re.compile(r"\s*[“\"]?(\d{1,2}|[一二两三四五六七八九十]{1,2})年前(?![后，,])")
_OPENS_YEARS_AGO_COMMA = re.compile(r"\s*[“\"]?(\d{1,2}|[一二两三四五六七八九十]{1,2})年前[，,]")
_MORE_BY = re.compile(r"(?:多|少|增加|减少|增长|提高|下降)了?(?:将近|近|约|超过|)$")
_STILL_THEN = re.compile(r"还(?:不到|不足|是|只有|仅有|只是|才)")
_NOW_SAID = re.compile(r"如今|这一届|这届|本届|这一次|这次")
_NOW_NEXT = re.compile(r"(?:而|但|)(?:今年|现在|如今|目前)")
# the year before said as the time of what follows in the paragraph: 会议指出，过去一年，… / 去年，…
_PAST_YEAR = re.compile(
    r"(?:过去一年|去年(?:一年|全年|)|上一年度?|上年度?)(?:中|里|内)?[，,]"
)  # not 去年以来: since then, to now
_LAST_YEAR_BARE = re.compile(r"去年(?:中|里|内)?[，,]")
_THIS_YEAR = re.compile(r"今年|本年|明年|(20\d\d)年")
# a year said right before a figure: 2020年的1.2%, 2023年底的120家
# (由2021年度的74.2分: a year said as 年度, the same year)
# (比2025年版的22.7%: a yearly edition's figure, of its year)
# (由2023年评价的第9位: the year's round of an evaluation, of that year)
_OWN_YEAR = re.compile(
    r"(20\d\d)年(?:度|底|末|版)?(?:(?:评价|评估|考核|监测|评比)(?=的)|)的?(?:全国|全省|全市|)(?:不足|超过|近|约|逾)?$"
)
# the ends of a movement each said with its year (由前年的…缩小到去年的…): of that year
_MOVED_WITH_ITS_YEAR = re.compile(r"(?:由|从|到|至)(去年|前年)的$")
# 由上届的每人100万元, 较上届的: the value of the session before (an annual one: the year before)
_LAST_SESSION = re.compile(r"(?:由|从|较|比)上届的(?:每人|每项|每家|)$")
# the value a figure is compared with, the year before's: 较上年的571.3亿元, 比去年同期的33.4亿元, 较上年末的
_COMPARED_LAST_YEAR = re.compile(r"(?:较|比|与)(?:上一?年度?|去年)(?:同期|全年|末|底|)的$")
# 比前年的第16位: the year before last
_COMPARED_YEAR_BEFORE_LAST = re.compile(r"(?:较|比|与)前年(?:同期|全年|末|底|)的$")
# the start of a movement at the time a project or body began (由立项时的不足30%, 从立项时的4级) ...
_AT_START = re.compile(
    r"(?:由|从|较|比)(?:(?P<y>20\d\d)年|)(?P<v>立项|启动|成立|组建|揭牌)(?:时|之时|之初)的?(?:不足|超过|近|约|逾|)$"
)
# 成立一周年, 组建三周年: the year it began, counted back from the report's
_YEARS_SINCE = re.compile(r"(?:立项|启动|成立|组建|揭牌)(?:满|)(?P<n>[一二两三四五六七八九十]|\d{1,2})周年")
# ... and the year it began, said before it in the report (该专项于2021年立项, 2021年12月立项)
# (2023年发布的首批12项“揭榜挂帅”项目 … 由立项时的4.3级: a list of projects is set up when published; 于2024年部署项目
# 24项 … 由立项时的4级: projects are set up when deployed)
_STARTED_IN = re.compile(r"(20\d\d)年[^。；]{0,12}?(?:立项|启动|成立|组建|揭牌|发布|部署项目)")
# (2024年度“揭榜挂帅”赛马制项目中期评估 … 由立项时的4级: a year's projects are set up that year)
_PROJECTS_OF = re.compile(r"(20\d\d)年度[^。；\d]{0,12}?(?:项目|榜单)")
# (按企业上年度研发费用增量的10%: the one whose year is named first)
_RATE_OF_LAST_YEAR = re.compile(r"按(?:其|照|企业|单位|)(?:上一?年度?|去年)[^，。；\d]{0,16}的$")
# a figure that is a share or multiple of last year's (为去年全年的九成, 是上年的1.3倍): this year's
# (相当于上年度享受企业的75.3%: last year's whole named with its noun)
_SHARE_OF_LAST_YEAR = re.compile(
    r"(?:为|是|相当于)(?:去年|上年度?)(?:同期|全年|)(?:[^，,。；;\d的比较由从]{1,8}|)的$"
)
# a movement's start (由20%提高到, 由每平方米20元提高至): under a later year it is the present value
# (由每平方米20元, 由不超过合同金额的40%: a few words between 由 and the figure, then a verb of change)
_MOVED_FROM_NOW = re.compile(r"(?:由|从)[^\d，。；、由从到至]{0,10}$")
_MOVED_TO = re.compile(
    r"[^，。；]{1,12}?(?:提高|增加|扩大|降低|下降|减少|提升|调整|上调|下调|缩短|延长|放宽|压缩|增)(?:到|至|为)"
)
# a figure's own year said right before it (the character before the figure ends one of these)
_OWN_YEAR_LAST = frozenset("的底末足过近约逾国省市")
# a year that ends a number of the Five-Year Plans: “十四五”末 is 2025
_FYP_END = {"三": "2020", "四": "2025", "五": "2030"}
# the first year of one (“十四五”开局那年 is 2021), opening a sentence
_FYP_START = {"三": "2016", "四": "2021", "五": "2026"}
_PLAN_START_OPENS = re.compile(
    r"\s*[“\"]?十([三四五])五[”\"]?(?:时期|规划|)的?(?:开局(?:那一?年|之年|年)|第一年|头一年)[，,]"
)
_DATE_YEAR = re.compile(r"((?:19|20)\d\d)年$")
_TRL = re.compile(r"成熟度|就绪度|TRL", re.IGNORECASE)
_YEAR_NUMBER = re.compile(r"1[89]\d\d|20\d\d")
_UNIT_ALIASES = {
    "℃": "摄氏度",
    "瓦时每千克": "瓦时/千克",
    "瓦时每公斤": "瓦时/公斤",
    "台(套)": "台（套）",
    "百分点": "百分点",
    "个百分点": "百分点",
    "个多百分点": "百分点",
    "个百分": "百分点",  # 3.2个百分面c (点 garbled)
    "个小时": "小时",
    "个多小时": "小时",
    "个多月": "个月",
}


# ---------------------------------------------------------------- markers: what later figures belong to


def target_marker(m, ctx) -> list:
    """到2025年: the figures after it in the sentence are the targets of that year. 2020年至2024年, a span of
    years ended by the report's year or before, is not a target: its end dates what follows (年均增长18.2%:
    2024, as 2021—2024年 does)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    said = m.group("tyear")
    if (
        ctx.year
        and int(said) <= ctx.year
        and _SPAN_YEAR_BEFORE.search(ctx.text, max(0, s - 6), s) is not None
    ):
        ctx.said_year, ctx.said_pos = said, e
        return []
    if ctx.year and _TERM_SPAN_BEFORE.search(ctx.text, max(0, s - 10), s) is not None:
        return []  # 实施期为2024年至2028年，…部署项目24项: a term's span says how long it runs, no target of its end
    ctx.target_year, ctx.target_pos = said, e
    return []


_SPAN_YEAR_BEFORE = re.compile(r"(?:19|20)\d\d年?$")
# the start of a term's span of years (实施期为2024年, 执行期：2025年, 建设周期为2024年)
_TERM_SPAN_BEFORE = re.compile(r"期(?:限|)(?:为|是|[：:]|)(?:19|20)\d\d年$")


def year_marker(m, ctx) -> list:
    """2023年，...: the figures after it belong to that year (a later one's are targets). A year later than
    the report's said anywhere before a figure (2024年重点做好以下工作：…, 力争2025年底…) makes the figures after
    it that year's targets; an earlier one without the comma (比2020年增长) dates nothing."""
    said = m.group("yyear")
    s, e = m.start() - ctx.base, m.end() - ctx.base
    if (
        ctx.text.startswith("度", e)
        and ctx.year
        and int(said) > ctx.year
        and m.group("ycomma") is None
        and not _PLAN_WORDS.search(ctx.text, e, e + 12)
        # 2027年度，省财政安排创新券资金2亿元 (a notice of 2026 about 2027): a year's 年度 opening its sentence with
        # a comma dates what follows, as 2027年， does
        and not (ctx.text.startswith(("度，", "度,"), e) and (not s or ctx.text[s - 1] in _CLAUSE_START))
    ):
        return []  # 2026年度重大科技攻关榜单二十项 in a 2025 call: the list's name, not a target
    if ctx.text.startswith(("目标", "的目标"), e) and ctx.text.endswith(("距", "离", "距离"), 0, s):
        return []  # 距2027年目标还差3.2个百分点: the year names which goal; the gap is measured now
    if _MONTH_AFTER.match(ctx.text, e) and ctx.year and int(said) > ctx.year:
        return []  # 将于2026年1月20日前公布: the date's year (date_rule reads it), not the clause's
    if ctx.year and int(said) > ctx.year and m.group("ycomma") is None and _EVENT_AFTER.match(ctx.text, e):
        return []  # 预计2026年投产后年新增产值1.9亿元: the year dates the event; what it brings after is a forecast
    if (
        m.group("ycomma") is not None
        or (ctx.year and int(said) > ctx.year)
        # 2024年全县茶产业综合产值达…, 截至2024年底…, 2023年分别为…: an earlier year that opens its clause
        # or is followed by 分别 dates what follows (比2020年增长, 是2021年的2.3倍 do not)
        or (
            (not s or ctx.text[s - 1] in _CLAUSE_START or ctx.text.endswith(("截至", "截止"), 0, s))
            and not ctx.text.startswith(_SINCE, e)  # 2023年以来: since then, to the report's time
        )
        or ctx.text.startswith("分别", e)
        # 该市2025年度享受…企业3410户, 全省2024年登记…: an earlier year right after the region that opens its clause
        # (not 比2020年, 是2021年的: those end in no region)
        or (
            (
                _REGION_OPENS.fullmatch(
                    ctx.text,
                    opens := max(ctx.text.rfind(c, 0, s) for c in "\n，,：:；。") + 1,
                    s,
                )
                is not None
                or _POINTED_SUBJECT_OPENS.fullmatch(ctx.text, opens, s) is not None
            )
            and not ctx.text.startswith(_SINCE, e)
            and not ctx.text.startswith(("度的", "的", "同期", "比", "较"), e)
        )
        # 县域研发投入强度2023年为1.12%: a year between the measure opening its clause and 为 and the figure
        or (
            _YEAR_THEN_IS.match(ctx.text, e) is not None
            and _MEASURE_OPENS.fullmatch(
                ctx.text, max(ctx.text.rfind(c, 0, s) for c in "\n，,：:；。") + 1, s
            )
            is not None
        )
        # 研发投入强度2024年比2020年提高0.63个百分点: the later year of a comparison of two dates the change
        or _COMPARED_WITH_YEAR.match(ctx.text, e) is not None
        # 2021—2024年年均增长23.4%: the end of a span of years dates the span's growth after it
        or (ctx.text.startswith("年均", e) and _SPAN_START.search(ctx.text, max(0, s - 6), s) is not None)
        # 2024年达到3.03%，预计2025年可达到3.12%: the report's own year said again, inside a clause
        # (比2026年度增加5000万元 after 2027年度，: a comparison's base dates nothing)
        or (
            ctx.year
            and int(said) == ctx.year
            and not ctx.text.startswith(_SINCE, e)
            and not ctx.text.endswith(("比", "较"), 0, s)
        )
    ):
        ctx.said_year, ctx.said_pos = said, e
        if (
            ctx.target_year
            and ctx.target_pos <= s
            and ctx.year
            and int(said) > ctx.year
            and (
                not s
                or ctx.text[s - 1] in _CLAUSE_START
                # 建议到2028年，…达到2.2%；…有望在2030年达到2.4%: a later year inside a clause after the target's
                # (not a comparison's base: 比2027年增长)
                or (
                    any(c in "，,；;" for c in ctx.text[ctx.target_pos : s])
                    and not ctx.text.endswith(("比", "较", "与", "和"), 0, s)
                )
            )
            and said != ctx.target_year
        ):
            # 到2027年，…达到40家；2026年重点完成…，力争…3000小时: a later year opening its own clause is the
            # target year of what follows, not the one said before it
            ctx.target_year, ctx.target_pos = said, e
        if int(said) < (ctx.year or 0) and (_founded_in(ctx.text, s, e) or _EVENT_CLAUSE.match(ctx.text, e)):
            # (…参与，2025年1月立项，执行期36个月，总预算1.26亿元: a clause of the year a project began, no figure in it,
            # dates that start only: the term and budget after it are the project's as it stands)
            # 创新中心成立于2021年，由…12家龙头企业共建，总投资18.5亿元: the year dates the founding only
            stop = _CLAUSE_END.search(ctx.text, e)
            ctx.said_until = stop.start() if stop else -1
        elif m.group("ycomma") is None and int(said) < (ctx.year or 0) and _ATTRIBUTIVE.match(ctx.text, e):
            # 2023年发布的首批12项项目…，其中5项: a year inside a noun phrase dates its own clause only
            stop = _CLAUSE_END.search(ctx.text, e)
            ctx.said_until = stop.start() if stop else -1
        elif ctx.year and int(said) < ctx.year and (now := _NOW_LATER.search(ctx.text, e)) is not None:
            # 二〇二〇年是102亿，今年预计超过一百八十亿 (2023年底…32家，目前已增加到41家): 今年 or now opening a
            # later clause is the report's year again
            ctx.said_until = now.start()
    return []


_SPAN_START = re.compile(r"(?:19|20)\d\d年?(?:—|－|~|～)$")
# a measure's name opening its clause before a year and 为 (县域研发投入强度2023年为1.12%)
_YEAR_THEN_IS = re.compile(r"(?:度|)(?:为|是|达到|达)(?:约|近|)[\d]")
_MEASURE_OPENS = re.compile(r"[\u4e00-\u9fff]{2,14}")
# the region opening a clause before a year (全市2025年, 该市2025年度, 岷州市2025年)
# (该省机构2025年平均研发投入7200万元: the bodies of the region named, 机构, 企业, 高校, between)
# (这六大产业2025年营业收入合计…, 这些企业2024年…: a subject pointed back at with its count opening the clause)
_POINTED_SUBJECT_OPENS = re.compile(
    r"(?:这|那|上述)(?:些|[一二两三四五六七八九十]{1,3}(?:大|个|类|家|条|所))(?:(?![于自在从由到至为对向])[\u4e00-\u9fff]){1,6}"
)
_REGION_OPENS = re.compile(
    r"(?:全|该|我|本|[\u4e00-\u9fff]{2})[省市县区](?:参评|)(?:机构|企业|高校|院所|单位|孵化器|园区|高新区|实验室|)"
)
_COMPARED_WITH_YEAR = re.compile(r"(?:底|末|)(?:比|较)(?:19|20)\d\d年")
# 今年 (本年; 目前, 现在, 如今: now) opening a later clause of the sentence
_NOW_LATER = re.compile(r"[，,；](?:[^，,；。]{0,6}?)(?:今年|本年|目前|现在|如今|现有)")


_MONTH_AFTER = re.compile(r"(?:1[0-2]|0?[1-9])月")
_EVENT_AFTER = re.compile(r"[^，。；\d年]{0,4}?(?:投产|建成|达产|竣工|投用|投运)后")
# the year a body was founded (成立于2021年, 于2022年12月揭牌): it dates the founding, not what the body is now
_FOUNDING = ("成立", "组建", "建成", "揭牌", "创建", "设立", "挂牌", "开办", "注册")
_FOUNDED_AFTER = re.compile(
    r"(?:(?:1[0-2]|0?[1-9])月(?:(?:3[01]|[12]\d|0?[1-9])日)?)?(?:正式)?(?:" + "|".join(_FOUNDING) + ")"
)


# a clause of nothing but the year's month and a project's or a body's start (2025年1月立项，2025年立项，)
_EVENT_CLAUSE = re.compile(
    r"(?:(?:1[0-2]|0?[1-9])月(?:(?:3[01]|[12]\d|0?[1-9])日)?)?(?:正式)?(?:立项|启动|获批立项|"
    + "|".join(_FOUNDING)
    + ")[，,]"
)


def _founded_in(text: str, s: int, e: int) -> bool:
    if not text.endswith("于", 0, s):
        return False
    return text.endswith(_FOUNDING, 0, s - 1) or _FOUNDED_AFTER.match(text, e) is not None


# a verb and 的 after a year: the year is said of a noun (2023年发布的首批项目, 2022年认定的企业)
_ATTRIBUTIVE = re.compile(r"(?:发布|认定|立项|启动|批复|遴选|确定|评定|公布|实施)的")
_CLAUSE_START = frozenset("，,：:；\n")
# words that make a later year's 年度 a plan's (2026年度目标, 2026年度力争…), not a name's (2026年度榜单)
_PLAN_WORDS = re.compile(r"目标|任务|计划|力争|预计|确保|要|将")
_SINCE = ("以来", "来", "至今", "起")


def plan_end_marker(m, ctx) -> list:
    """“十四五”末 (到“十四五”末, 十四五期末): the figures after it are that year's targets (2025). “十五五”时期
    (期间) in a report before 2026: the plan's end year (a plan under way or past says when, not a target)."""
    end = _FYP_END[m.group("fyn")]
    if m.group("fyspan") and not (ctx.year and int(end) - 4 > ctx.year):
        return []
    if ctx.year and int(end) < ctx.year:
        # 比“十三五”末的29家增加了1.2倍 in a 2025 report: a past plan's end dates the figure after it
        # (its own year, as 2020年的), not what follows as targets
        ctx.plan_end_year, ctx.plan_end_pos = end, m.end() - ctx.base
        return []
    ctx.target_year, ctx.target_pos = end, m.end() - ctx.base
    return []


# a past plan's end opening its clause (，“十三五”末还不到九百家)
_PLAN_END_OPENS = re.compile(r"(?:^|[，,；;：:\n])[“\"]?十[三四五]五[”\"]?(?:时期|)期?末$")
_IN_ITS_CLAUSE = re.compile(r"[^，,。；;：:\n\d]{0,8}")


def period_of(ctx, s: int, *, moved_from: bool = False, own_year: bool = True) -> tuple[str, bool]:
    """(period, is a target) of a figure starting at `s` in the sentence. `own_year=False`: a year said
    right before the figure is not its period (是2020年的2.4倍: a multiple of the report's year)."""
    if ctx.said_until >= 0 and s >= ctx.said_until:
        ctx.said_year, ctx.said_until = "", -1  # 这一年，…，今年增加到…: the report's year again
    if ctx.year and "届时" in ctx.text and (then := _then_year(ctx.text, s, ctx.year)) is not None:
        return then, True
    period, target = _period_of(ctx, s, moved_from, own_year)
    if period and ctx.year and period < ctx.period and not moved_from:
        goal = _goal_period(ctx, s)
        if goal is not None:
            return goal, True  # 2024年达到3.03%，规划目标为3.1%: the plan's target, not 2024's
    return period, target


_YEAR_IN = re.compile(r"(20\d\d)年")


def _then_year(text: str, s: int, year: int) -> str | None:
    """届时 (at that time) before the figure in its sentence: the last year said before 届时 in the sentence when it is
    later than the report's (…于2027年9月30日前接受第三节点验收，届时中试线年产量要达到600吨: a 2027 target)."""
    at = text.rfind("届时", 0, s)
    if at < 0:
        return None
    said = _YEAR_IN.findall(text, 0, at)
    return said[-1] if said and int(said[-1]) > year else None


def _period_of(ctx, s: int, moved_from: bool, own_year: bool) -> tuple[str, bool]:
    text = ctx.text
    if ctx.year and (text.endswith(_NOW_OF, 0, s) or text.endswith(_TO_THIS_YEAR, 0, s)):
        # 从三年前的20来个增加到现在的87人, 明年把团队从现在的60人扩充到100人: now, whatever the clause said before
        return str(ctx.year), False
    if (
        ctx.plan_end_year
        and own_year
        and 0 <= s - ctx.plan_end_pos <= 10
        and (
            (s - ctx.plan_end_pos <= 2 and text[s - 1] in "的时")
            # 全市高新技术企业达到一千九百八十家，“十三五”末还不到九百家: a past plan's end opening the figure's clause
            or (
                _PLAN_END_OPENS.search(text, 0, ctx.plan_end_pos)
                and _IN_ITS_CLAUSE.fullmatch(text, ctx.plan_end_pos, s)
            )
        )
    ):
        return ctx.plan_end_year, False  # “十三五”末的29家
    if (
        ctx.year
        and text.find("上届", max(0, s - 10), s) >= 0
        and _LAST_SESSION.search(text, max(0, s - 10), s)
    ):
        return str(
            ctx.year - 1
        ), False  # 由上届的每人100万元提高到: the session before (annual: the year before)
    if s and text[s - 1] in _OWN_YEAR_LAST:
        own = _OWN_YEAR.search(text, max(0, s - 12), s) if own_year else None
        if own:
            # 由2020年的1.2%提高到2023年的1.8%: each figure is of the year said right before it
            return own.group(1), bool(ctx.year) and int(own.group(1)) > ctx.year
        # (是上年全年的1.5倍 too: a multiple of last year's is this year's)
        if ctx.year and (
            text.find("年", max(0, s - 24), s) + text.find("时", max(0, s - 6), s) > -2
            or text.find("上一", max(0, s - 16), s) >= 0
        ):
            compared = _compared_with(ctx, s)
            if compared is not None:
                return compared, False
    if (
        ctx.year
        and ("立项" in text or "成立" in text or "启动" in text or "组建" in text or "揭牌" in text)
        and (at_start := _at_start_of(text, s)) is not None
    ):
        # “立项时我们的关键技术就绪度只有5级，…”: a clause opening on when the project began, that year
        said = _started_in(ctx, at_start.start(), at_start.group("v"))
        if said is not None:
            return said, False
    if ctx.year and ("刚来" in text or "刚到" in text or "初来" in text):
        came = _came_back_then(ctx, s)
        if came is not None:
            return came, False
    if (
        ctx.year
        and s
        and (
            text[s - 1] in "由从"
            or (text[s - 1] == "的" and text.endswith(_FIRST_OF, 0, s))
            or ("首届" in text and text.find("首届", max(0, s - 10), s) >= 0)
        )
        and (since := _since_said(ctx, s)) is not None
    ):
        return since, False  # 自2024年初开办以来，合作银行已从最初的5家扩展到23家: the start, that year's
    if (
        ctx.year
        and s
        and text[s - 1] in "由从"
        and "后" in text
        and "去年" in (ctx.whole or text)
        and _after_last_years_event(ctx, s)
    ):
        return str(ctx.year - 1), False  # “…就是在去年的对接会上找到的。”…合作后，纯度从99.99%提高到: then
    if (
        ctx.year
        and s
        and text[s - 1] in "由从"
        and "任务书" in text
        and (signed := _task_signed(ctx, s)) is not None
    ):
        return signed, False  # 去年…签了一份“里程碑任务书”。…任务书定的目标是从55%提高到70%: when it was set
    if (
        ctx.year
        and (
            (ctx.target_year and s >= ctx.target_pos)
            or (ctx.said_year and s >= ctx.said_pos and int(ctx.said_year) > ctx.year)
            or (ctx.section_year and not ctx.said_year)
        )
        and (text[s - 1 : s] in ("由", "从") or text.find("由", max(0, s - 12), s) >= 0)
        and _MOVED_FROM_NOW.search(text, max(0, s - 12), s)
        and _MOVED_TO.match(text, s)
    ):
        # 2025年起，…比例由20%提高到40%: a later year's change starts from the present, not a target
        return ctx.period, False
    if ctx.target_year and s >= ctx.target_pos:
        return ctx.target_year, True
    if moved_from and ctx.year:
        # 由上年的第9位: the year before the one the sentence is about
        # (under 一、2025年工作回顾 in a 2026 plan: the year before the one reviewed)
        said = (
            int(ctx.said_year)
            if ctx.said_year and s >= ctx.said_pos
            else int(ctx.review_year)
            if ctx.review_year
            else ctx.year
        )
        return str(said - 1), False
    if ctx.said_year and s >= ctx.said_pos:
        return ctx.said_year, bool(ctx.year) and int(ctx.said_year) > ctx.year
    if ctx.section_year:
        return ctx.section_year, True
    if (
        ctx.year
        and own_year
        and "开局" in text
        and (opening := _PLAN_START_OPENS.match(text)) is not None
        and opening.end() <= s
        and _THIS_YEAR.search(text, opening.end(), s) is None
        and _NOW_AGAIN.search(text, opening.end(), s) is None
    ):
        # “十四五”开局那年，全省研发经费投入不到三百亿元: a plan's first year opening the sentence dates its clauses
        first = _FYP_START[opening.group(1)]
        return first, int(first) > ctx.year
    if (
        ctx.year
        and ctx.text.find("明年", 0, s) >= 0
        and _next_year_holds(ctx.text, s)
        # 明年将把…推广到全部1800余名特派员: all of those there are now, not a target
        and not ctx.text.endswith("全部", 0, s)
    ):
        return str(ctx.year + 1), True  # 明年，力争…达到: next year's target
    # the two tests' common answers without a call: no 年 in the clause, no year marks in the paragraph
    if (
        ctx.year
        and _THRESHOLD.search(text, max(0, s - 4), s)
        and (_RULE_SAID.search(text) or _condition_listed(ctx))
    ):
        return ctx.period, False  # 上年度研发投入占比不低于3%的企业方可申报: a rule's threshold, now
    if (
        ctx.year
        and own_year
        and text[s - 1 : s] == "的"
        and (moved := _MOVED_WITH_ITS_YEAR.search(text, max(0, s - 6), s)) is not None
    ):
        # 差距由前年的零点五个百分点缩小到去年的零点三个百分点: each end of the movement of the year said with it
        return str(ctx.year - (2 if moved.group(1) == "前年" else 1)), False
    relative = ctx.relative_years
    if relative is None:  # once per sentence: does it say 三年前, 前年, 上一年 or 上年度 at all (most do not)
        relative = ctx.relative_years = _RELATIVE_YEARS.search(text) is not None
    if relative and ctx.year:
        if (
            text.startswith("超过", s)
            and (text.find("上年度", max(0, s - 16), s) >= 0 or text.find("上一年度", max(0, s - 18), s) >= 0)
            and (text[s - 1 : s] == "不" or _BOUND_OF_WHOM.match(text, text.find("元", s) + 1))
        ):
            # 上年度营业收入不超过2亿元, 对上年度研发投入超过500万元的企业: whom a rule covers, by a bound of now
            return ctx.period, False
        cs = text.rfind("，", 0, s) + 1
        if own_year and text.find("年前", max(0, s - 40), s) >= 0:
            ago = _YEARS_AGO.search(text, cs, s) if text.find("年前", max(0, s - 16), s) >= 0 else None
            if ago is None and cs > 1 and text.endswith(_WHEN_CLAUSE, 0, cs - 1):
                # 四年前首届大会表彰的时候，获奖项目只有三十一项: a clause of when, the time said in it
                ago = _YEARS_AGO.search(text, text.rfind("，", 0, cs - 1) + 1, cs - 1)
            if ago is not None and not (
                # 比五年前的六百五十个多了将近四百个: the figure compared is of then, the difference of now
                text[ago.start() - 1 : ago.start()] in ("比", "较")
                and _MORE_BY.search(text, ago.end(), s) is not None
            ):
                return str(ctx.year - cn_number(ago.group(1))), False  # 三年前还是2.05%
        if (
            own_year
            and (
                (ago := _OPENS_YEARS_AGO.match(text)) is not None
                # “五年前，我们的高新技术企业还不到五千家，现在…”: 年前， with a comma where the figure's clause
                # says how things still were then (还不到, 还是, 还只有), set against now
                or (
                    (ago := _OPENS_YEARS_AGO_COMMA.match(text)) is not None
                    and (
                        _STILL_THEN.search(text, cs, s) is not None
                        # 五年前，全市研发经费投入是六十一亿，今年预计达到一百二十亿: the clause right after it, set
                        # against now in the next (今年, 现在)
                        or (ago.end() == cs and _NOW_NEXT.match(text, text.find("，", s) + 1) is not None)
                    )
                )
            )
            and ago.end() <= cs
            and _NOW_AGAIN.search(text, ago.end(), s) is None
            and _NOW_SAID.search(text, ago.end(), s) is None
        ):
            # “五年前这里还是一片老厂房，整条街的企业加起来不到四十家。”: some years back opening the sentence dates
            # its later clauses, as 去年 opening one does, until now is said again (如今, 这一届); not 三年前， (a
            # time a story starts from: what follows may be of now)
            return str(ctx.year - cn_number(ago.group(1))), False
        if _YEAR_BEFORE_LAST.search(text, cs, s) and (own_year or not text.endswith("前年的", 0, s)):
            # (是前年的三倍: a multiple of the year before last's is of now)
            return str(ctx.year - 2), False  # 全市海洋生产总值前年突破了千亿元
        if _PREVIOUS_YEAR.search(text, cs, s):
            # 参评机构上一年度共实现技术性收入46.3亿元 (一年 is read as a figure first)
            return str(ctx.year - 1), False
        if (
            cs > 1
            and (said := _PREVIOUS_YEAR.search(text, 0, cs)) is not None
            and _THRESHOLD.search(text, max(0, s - 4), s) is None
            and _NOW_AGAIN.search(text, said.end(), s) is None
            # 按上一年度研发投入的20%给予补助，每家最高500万元: last year's base of a rule's rate dates nothing after it
            and not text.endswith(_RATE_BASE, 0, said.start())
        ):
            # 参评孵化器上一年度在孵企业2874家，当年新增毕业企业213家，…研发投入9.6亿元: the year the
            # sentence opened with holds in its later clauses
            return str(ctx.year - 1), False
    if ctx.year and text[s - 1 : s] in "这那" and s and (text.find("去年", 0, s) >= 0):
        # “去年我这五亩茶园卖了六万多块”: a figure after a demonstrative names the thing as it is, not last year's
        return ctx.review_year or ctx.period, False
    if ctx.year and ctx.text.find("年", ctx.last_end, s) >= 0 and _said_last_year(ctx, s):
        ctx.last_year_said = s  # 他去年促成合同32项，获得奖励18.6万元: the next clause goes on with it
        return str(ctx.year - 1), False
    if (
        ctx.year
        and ctx.last_year_said >= 0
        and ctx.last_year_said < ctx.last_end <= s
        and (_GOES_ON.fullmatch(text, ctx.last_end, s) or _LISTED_ON.fullmatch(text, ctx.last_end, s))
        # (上年为1655人次，增长12.4%，其中长期专家520人、短期专家1340人次: the figure right before, the one listed on
        # from, is not last year's — a figure of now came between)
        and _FIGURES_BETWEEN.search(text, ctx.last_year_said, ctx.last_end) is None
    ):
        ctx.last_year_said = s
        return str(ctx.year - 1), False
    if (
        ctx.year
        and (
            (opening := _OPENS_LAST_YEAR.match(text)) is not None
            # (我们和隔壁省的潟城比一比：潟城市去年的…: a colon opens what follows as a sentence's start does)
            or (
                "去年" in text
                and (colon := text.find("：", 0, s)) >= 0
                and (opening := _OPENS_LAST_YEAR.match(text, colon + 1)) is not None
                and opening.group("who")
            )
            # 茶农邹永福算了一笔账：“去年我这五亩茶园卖了六万多块，…”: the words quoted open on 去年
            or (
                text.find("：“去年", 0, s) >= 0
                and (opening := _QUOTE_OPENS_LAST_YEAR.search(text, 0, s)) is not None
                and text.find("”", opening.end(), s) < 0
            )
        )
        and opening.end() <= s
        and _THIS_YEAR.search(text, opening.end(), s) is None
        and _NOW_AGAIN.search(text, opening.end(), s) is None
        # (去年在这里认识的湓川大学团队，帮我们…提高了将近一成: 去年 in the words saying who is meant dates none of what
        # they did after, as 对去年评价为优秀的 selects)
        and _LAST_YEAR_SAYS_WHO.match(text, opening.start()) is None
        # (瀍峪省科学技术厅去年…，他们的…增速比我们高出五个百分点: a clause opening on 他们 says what they are now)
        and not (
            opening.re is _OPENS_LAST_YEAR and opening.group("who") and _THEY.search(text, opening.end(), s)
        )
    ):
        # 去年全县研发投入强度为1.38%，高新技术企业47家 / “去年拿到了…，贷了五百万，利息财政贴了一半。”: 去年 opening
        # the sentence, without a comma, dates its later clauses too, as a reader carries it (not 去年以来)
        return str(ctx.year - 1), False
    if (
        ctx.year
        and (c := max(text.rfind("，去年", 0, s), *(text.rfind(f"，{w}去年", 0, s) for w in _WE))) >= 0
        and ctx.whole
        and _SPEAKER_LABEL.match(ctx.whole, ctx.head_start) is not None
        and (opening := _CLAUSE_OPENS_LAST_YEAR.match(text, c + 1)) is not None
        and opening.end() <= s
        and _THIS_YEAR.search(text, opening.end(), s) is None
        and _NOW_AGAIN.search(text, opening.end(), s) is None
        and _NOW_SAID.search(text, opening.end(), s) is None
        and _THEY.search(text, opening.end(), s) is None
    ):
        # 主任：…我们有大型仪器三百二十台套，去年对外开放四万多机时，平均每台设备一年开放一千三百多个小时，服务了…九百多家
        # 企业 (an interview's answer): 去年 opening a clause, not the sentence, dates that clause and the later ones as
        # one opening the sentence does, until now is said again; the clauses before it stay the report's (in a
        # reporter's text, …说，去年合作社…，带动周边210户… the key keeps the later clause the report's)
        return str(ctx.year - 1), False
    if (
        ctx.year
        and "去年" in text
        and 0 < (i := text.find("，", s)) - s <= 12
        and _OURS_LAST_YEAR_NEXT.match(text, i) is not None
        and ctx.whole
        and _SPEAKER_LABEL.match(ctx.whole, ctx.head_start) is not None
        and _OURS_OR_NOW.search(text, max(text.rfind("，", 0, s), text.rfind("：", 0, s), 0), s) is None
    ):
        # 厅长：…瀼岵省的研发投入强度是百分之二点二七，我们去年是百分之一点八六 (an answer): the other side's figure set
        # against ours of 去年 in the next clause is of that year too
        return str(ctx.year - 1), False
    if ctx.year and (((marks := ctx.year_marks) is None or marks) and _sentence_last_year(ctx, s)):
        return str(ctx.year - 1), False
    if ctx.review_year:
        return ctx.review_year, False  # 一、2025年工作回顾 (a 2026 plan): the year reviewed
    return ctx.period, False


# since when, said in the sentence: 自2024年初开办以来, 2021年以来, 四年来, 近五年来 (not 去年以来: to now)
_SINCE_SAID = re.compile(
    r"(?:(?<!\d)(?P<y>20\d\d)年[^，。；\d]{0,8}?以来"
    # (一年多来: a year and more, counted from a year back)
    r"|(?<![\d〇零一二两三四五六七八九十几多])(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})年多?(?:以来|来))"
)
# the years past said opening a clause (过去五年，我们…的项目从七个增加到三十一个; 这三年里，): since then, as 五年来
_PAST_YEARS = re.compile(
    r"(?P<y>(?!))?(?:过去|这)的?(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})年(?:里|间|中|来|)[，,]"
)
# a movement's start (从最初的5家扩展到, 从1.2万平方米扩大到, 由19家增加到): a few words between 由/从 and the figure
_MOVED_START = re.compile(r"(?:由|从)(?:最初的|起初的|开始的|当初的|)$")
_MOVED_ON_TO = re.compile(
    r"[^，。；]{0,12}?(?:提高|增加|扩大|扩展|发展|增长|上升|提升|跃升|攀升|降低|下降|减少|缩短|延长|压缩|增)(?:到|至|为)"
)
_FIRST_OF = ("最初的", "起初的", "开始的", "当初的")
# the first session of an annual event, the time since said (四年来，…首届只有80多家单位参展)
_FIRST_SESSION = re.compile(r"首届[^，。；\d]{0,6}$")


_QUOTED = re.compile(r"“[^“”]*”")
# a paragraph opening on a since (一年来，, 五年来，, 2020年以来，)
_SINCE_OPENS = re.compile(
    r"[ \t\u3000]*(?:(?P<y>20\d\d)年以来|(?:近|)(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})年多?(?:以来|来))[，,]"
)
_OTHER_TIME = re.compile(r"今年|去年|本年|当年|目前|现在|如今|20\d\d年")


def _since_said(ctx, s: int) -> str | None:
    """The year a movement's start (or a first session's figure) is of when its paragraph says since when before
    it: 自2024年初开办以来，…从最初的5家扩展到23家 (2024), 四年来，…展览面积从1.2万平方米扩大到4.5万平方米 and
    首届只有80多家 (four years back); None otherwise."""
    text = ctx.text
    moved = _MOVED_START.search(text, max(0, s - 4), s) is not None and _MOVED_ON_TO.match(text, s)
    if not moved and _FIRST_SESSION.search(text, max(0, s - 10), s) is None:
        return None
    # (in the paragraph before it: 五年来新建…。省级以上孵化载体由19家增加到44家; a clause after ； too)
    whole = ctx.whole or text
    here = ctx.base + s if ctx.whole else s
    start = whole.rfind("\n", max(0, here - 300), here) + 1
    since = max(
        (*_SINCE_SAID.finditer(whole, start, here), *_PAST_YEARS.finditer(whole, start, here)),
        key=lambda m: m.start(),
        default=None,
    )
    if since is None and start > 1:
        # 一年来，联合体成员共同投入…。\n“…”秘书长介绍，电堆的能量效率由76%提升到82.5%: a since opening the paragraph
        # before goes on into this one (the next paragraph of the story), until another time is said
        before = whole.rfind("\n", max(0, start - 1 - 300), start - 1) + 1
        since = _SINCE_OPENS.match(whole, before, start - 1)
        # (过去单家企业啃不动…，现在几家一起啃: a time said in a quoted saying between is the saying's)
        if since is None or _OTHER_TIME.search(_QUOTED.sub("", whole[since.end() : here])) is not None:
            return None
    elif since is None or _OTHER_TIME.search(whole, since.end(), here) is not None:
        return None  # (今年…由X提高到Y after it: a time of its own)
    if since.group("y"):
        return since.group("y") if int(since.group("y")) < ctx.year else None
    n = cn_number(since.group("n"))
    return str(ctx.year - n) if 0 < n < 20 else None


# a clause of the sentence saying what the movement came after (企业与浈渠一所高校合作后，), before the figure's
_AFTER_AN_EVENT = re.compile(r"[^，,。；;\d]{1,20}(?:合作|引进|应用|落地|投产|改造|对接|转化)后[，,]")
# 去年 said of an event (在去年的对接会上找到的, 去年引进的): not a comparison (比去年, 较去年同期, 去年同期)
_LAST_YEAR_EVENT = re.compile(r"(?<![比较与同于])去年(?!同期|全年|底|末)")


def _after_last_years_event(ctx, s: int) -> bool:
    """Whether a movement's start (…合作后，石英砂纯度从99.99%提高到99.998%) is of the year before: its sentence says
    it came after an event, no time of its own between, and an earlier sentence of the paragraph dated such an event
    去年 (“我们的提纯技术，就是在去年的对接会上找到的。”), no other time said between."""
    text = ctx.text
    cs = max(text.rfind(c, 0, s) for c in "，,；;") + 1
    if cs <= 0 or _MOVED_START.search(text, max(0, s - 4), s) is None or not _MOVED_ON_TO.match(text, s):
        return False
    before = max(text.rfind(c, 0, cs - 1) for c in "，,；;。") + 1
    if _AFTER_AN_EVENT.fullmatch(text, before, cs) is None or _OTHER_TIME.search(text, 0, s) is not None:
        return False
    whole = ctx.whole or text
    start = ctx.base if ctx.whole else 0
    para = whole.rfind("\n", 0, start) + 1
    last = max(_LAST_YEAR_EVENT.finditer(whole, para, start), key=lambda m: m.start(), default=None)
    return last is not None and _OTHER_TIME.search(whole, last.end(), start) is None


# a movement a task book set, its start right after the words saying so (任务书定的目标是从55%提高到70%) …
_TASK_SET = re.compile(
    r"(?:任务书|合同书)(?:上|里|中|)(?:定|确定|约定|商定|写|写明|明确)(?:下|)的?(?:目标|指标|任务)?(?:是|为|)[由从]$"
)
# … and the year the report said it was signed (去年春天，…每个团队都和服务对象签了一份“里程碑任务书”)
_TASK_SIGNED = re.compile(r"(?:(去年)|(20\d\d)年)[^。；\n]{0,60}?签(?:了|订|署|)[^。；\n]{0,12}?任务书")


def _task_signed(ctx, s: int) -> str | None:
    """The year a movement a task book set starts at (任务书定的目标是从55%提高到70%: the state when it was set), when
    the report said before the sentence when the task book was signed (去年…签了一份“里程碑任务书”); None otherwise
    (a task set now starts from now, FACTS_KEY)."""
    text = ctx.text
    if _TASK_SET.search(text, max(0, s - 20), s) is None:
        return None
    whole = ctx.whole or text
    signed = max(
        _TASK_SIGNED.finditer(whole, 0, ctx.base if ctx.whole else 0), key=lambda m: m.start(), default=None
    )
    if signed is None:
        return None
    year = ctx.year - 1 if signed.group(1) else int(signed.group(2))
    return str(year) if year < ctx.year else None


# a clause opening on the time a project or body began (立项时…, “成立之初，…)
_OPENS_AT_START = re.compile(r"[“\"]?(?P<v>立项|启动|成立|组建|揭牌)(?:时|之时|之初)")


# a sentence opening on that time alone (“立项时，系统核心传感器的技术就绪度只有4级，…”): its later clauses, until
# now is said again
_OPENS_AT_START_ALONE = re.compile(r"\s*[“\"]?(?P<v>立项|启动|成立|组建|揭牌)(?:时|之时|之初)[，,]")
# a value of that time inside the clause, no figure between (是立项时国内同类设备30天的6倍: 30天 is of then, 6倍 of now;
# not 较立项时的国际先进水平提高约40%, 比立项时降低了两成: a change since then is of now)
_AT_START_IN_CLAUSE = re.compile(
    r"(?:是|为|相当于)(?P<v>立项|启动|成立|组建|揭牌)(?:时|之时|之初)[^\d，。；]{0,12}$"
)


# a sentence of a story opening on when someone first came (“刚来那会儿，这片茶园一亩地一年也就卖个三千来块。”) …
_CAME_OPENS = re.compile(
    r"\s*[“\"]?(?:刚来|刚到|初来)(?:[^，。；]{0,6}?)(?:那会儿|那时候|那时|的时候|时)[，,]"
)
# a clause of when someone first came, its year said in it (我2019年刚来的时候，): that year dates the clauses after it
_CAME_IN_YEAR = re.compile(
    r"(20\d\d)年(?:刚来|刚到|初来)[^，。；]{0,6}?(?:那会儿|那时候|那时|的时候|时)[，,]"
)
# … and when the story said they came (五年前，他从省农科院来到这里驻点)
_CAME_YEARS_AGO = re.compile(
    r"(?<![\d〇零一二两三四五六七八九十几多])(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})年前[，,]?[^。；]{0,24}?(?:来到|到了|来|派驻|进驻|驻)"
)


def _came_back_then(ctx, s: int) -> str | None:
    """The year someone first came, for a figure in a sentence opening on that time (刚来那会儿，…), the story having
    said it before (五年前，他…来到这里): counted back from the report's year; None when the sentence says now again
    before the figure or the story never said when."""
    text = ctx.text
    dated = _CAME_IN_YEAR.search(text, 0, s)
    if (
        dated is not None
        and _NOW_AGAIN.search(text, dated.end(), s) is None
        and _NOW_SAID.search(text, dated.end(), s) is None
    ):
        return dated.group(
            1
        )  # “我2019年刚来的时候，实验室只有三名研究人员，…”: the year said with the coming
    came = _CAME_OPENS.match(text)
    if came is None or came.end() > s:
        return None
    if (
        _NOW_AGAIN.search(text, came.end(), s) is not None
        or _NOW_SAID.search(text, came.end(), s) is not None
    ):
        return None
    whole = ctx.whole or text
    said = max(
        _CAME_YEARS_AGO.finditer(whole, 0, ctx.base if ctx.whole else 0),
        key=lambda m: m.start(),
        default=None,
    )
    if said is None:
        return None
    n = cn_number(said.group("n"))
    return str(ctx.year - n) if n and 0 < n < 30 else None


def _at_start_of(text: str, s: int):
    """The words saying a figure at `s` is of the time a project or body began, None when none do."""
    cs = _clause_start(text, s)
    at_start = _OPENS_AT_START.match(text, cs)
    if at_start is not None:
        return at_start
    alone = _OPENS_AT_START_ALONE.match(text)
    if (
        alone is not None
        and alone.end() <= cs
        and _NOW_AGAIN.search(text, alone.end(), s) is None
        and _NOW_SAID.search(text, alone.end(), s) is None
    ):
        return alone
    return _AT_START_IN_CLAUSE.search(text, cs, s)


def _clause_start(text: str, s: int) -> int:
    return max(text.rfind(c, 0, s) for c in "，,；：:") + 1


_NOW_OF = ("现在的", "目前的", "当前的", "现有的")
# 从五年前的三百多亿元增长到今年的九百一十多亿元: a movement's end said as this year's
_TO_THIS_YEAR = ("到今年的", "至今年的")
# 去年 opening a sentence (after white space or an opening quotation mark) without a comma; not 去年以来 (since
# then), not 去年10月， (a time the story starts from: what follows may be of now)
_OPENS_LAST_YEAR = re.compile(
    # (邻省浈渠省去年…: after a province named as the sentence's subject, its department perhaps; a city too,
    # 潟城市去年的研发投入强度…，高新技术企业三千二百多家)
    # (〔隐去〕省科学技术厅去年…: a name the page redacted, as named)
    # (值得一提的是，邻省…省科学技术厅去年发布了…: after a clause of the writer's that only leads in, a region named)
    r"\s*[“\"]?(?:(?:值得一提的是|值得注意的是|此外|另外|与此同时|同时)[，,]"
    r"(?=(?:邻省|我们的邻居|近邻)?(?:[\u4e00-\u9fff]{2}|〔隐去〕)[省市]))?"
    r"(?P<who>(?:邻省|我们的邻居|近邻)?(?:[\u4e00-\u9fff]{2}|〔隐去〕)(?:省(?:科学技术厅|科技厅)?|市(?:科学技术局|科技局)?))?"
    # (上年末，全市有效高新技术企业2960家: the end of last year, said 上年末 or 上年底, and 截至去年底 too)
    r"(?:截至|截止|)(?:去年(?![，,]|以来|来|\d|[一二三四五六七八九十]{1,2}月)|上年(?=[末底]))"
)
# a sentence's subject said with 去年 in the words describing it (去年在这里认识的湓川大学团队，), no figure in it
# (not 去年拿到了市里的“科技贷”，: a clause of what was done, 了 after its verb)
_LAST_YEAR_SAYS_WHO = re.compile(r"\s*[“\"]?去年[^，,。；;\d的了]{1,10}的[^，,。；;\d了]{1,12}[，,]")
# 去年 opening a clause after a comma (not 去年以来, 去年同期, 去年，: a time a later clause may be set against)
# an interview's answer: its paragraph opens on the speaker's label (主任：, 厅长：, 答：), not a quotation
_SPEAKER_LABEL = re.compile(r"[ \t\u3000]*[\u4e00-\u9fff]{1,6}：(?!“)")
_WE = ("我们", "我省", "我市")
# the next clause: ours of last year, the same measure said again by its figure (，我们去年是, ，我省去年只有)
_OURS_LAST_YEAR_NEXT = re.compile(r"，(?:我们|我省|我市)去年(?:是|为|只有|才|仅|也就)")
# a clause that is ours or says its own time (not the other side's figure set against ours)
_OURS_OR_NOW = re.compile(r"我们|我省|我市|今年|去年|现在|目前|明年|20\d\d年")
# (…，我们去年是百分之一点八六，差了零点四一个百分点: 去年 after ours as the clause's subject)
_CLAUSE_OPENS_LAST_YEAR = re.compile(
    r"(?:我们|我省|我市|)去年(?![，,]|以来|来|同期|底|末|\d|[一二三四五六七八九十]{1,2}月)"
)
_THEY = re.compile(r"[，,；;](?:他们|人家)")
_QUOTE_OPENS_LAST_YEAR = re.compile(r"(?<=[：:])“去年(?![，,]|以来|来|\d|[一二三四五六七八九十]{1,2}月)")


# what parts a figure of 去年 from the next one that goes on with it: a comma and a verb with its object, no other
# time, comparison or subject of its own said (获得奖励, 实现销售收入)
_GOES_ON = re.compile(
    r"[^，。；、\d年今本现目比较同占]{0,3}，(?:(?:获得|实现|完成|兑现)[^，。；、\d年今本现目比较同占]{0,6}"
    # 砚湄市去年技术合同成交额152.6亿元，在湍屏省排名第二: where that figure ranks (在全省排名, 居全市)
    r"|在[^，。；、\d年今本现目比较同占]{1,8}(?:排名|排在|位列|居)|(?:排名|位列|居)[^，。；、\d年今本现目比较同占]{0,6}"
    # 去年达到1168亿元，占全市地区生产总值的比重接近三分之一: the share that figure is of the whole
    r"|占[^，。；、\d年今本现目比较同]{1,14}?(?:比重|比例|份额)[^，。；、\d年今本现目比较同]{0,3}"
    r"|占[^，。；、\d年今本现目比较同]{1,12}?的"
    # 檫浦市去年研发投入强度已经是3.05%，比我们高出0.44个百分点: the difference of that figure from ours
    r"|(?:比|较|高于|低于)(?:我们|我省|我市)[^，。；、\d年今本现目比较同占]{0,4}"
    # …这个数字去年是一百一十个亿，是我们的两倍还多: that figure as a multiple of ours
    r"|(?:差不多|几乎|大约|约|将近|接近|)(?:是|为|相当于)(?:我们|我省|我市)的?"
    # 去年完成验证项目420项，转化率46%: the rate of what that figure counts
    r"|[^，。；、\d年今本现目比较同占]{1,4}率(?:为|达到|达|是|)(?:约|)"
    r")"
)


# a figure listed after one of 去年 in the same clause (去年拿出了全省四成的营业收入、一半以上的高新技术企业)
_FIGURES_BETWEEN = re.compile(r"[，,。；;、]")
_LISTED_ON = re.compile(r"[^，,。；;：:\d年今本现目比较同]{0,10}、[^，,。；;：:\d年今本现目比较同]{0,6}")


# a bound a rule sets (上年度…不低于3%, 低于3%的企业不得申报): the rule's, of the report's time
_THRESHOLD = re.compile(r"(?:不低于|低于|不少于|少于|不高于|高于|不超过|排名后|排名前|排在后|排在前)$")
# (…的规模以上工业企业，均可申请: who may apply)
_RULE_SAID = re.compile(r"应|须|不得|方可|申报|揭榜|条件|暂停|取消|不予|可申请|可以申请")
# an item of a list of conditions (…并同时符合以下条件：\n（二）上年度研发经费支出不低于500万元): a rule's threshold too
_LIST_ITEM = re.compile(r"\s*(?:[（(][一二三四五六七八九十]{1,2}[）)]|\d{1,2}[.、．])")
_CONDITIONS_SAID = re.compile(r"(?:以下|下列)条件[：:]")


def _condition_listed(ctx) -> bool:
    """The sentence is an item of a list opened by …符合以下条件： (within 400 characters before it)."""
    whole = ctx.whole
    return (
        bool(whole)
        and _LIST_ITEM.match(ctx.text) is not None
        and _CONDITIONS_SAID.search(whole, max(0, ctx.base - 400), ctx.base) is not None
    )


# the bodies a bound picks out (…超过500万元的企业)
_BOUND_OF_WHOM = re.compile(r"的(?:企业|单位|机构|项目|团队)")
_NOW_AGAIN = re.compile(r"今年|本年|目前|现在|截至|明年|以来")
# a clause that says when what follows was (…的时候，, …之时，)
_WHEN_CLAUSE = ("时候", "之时", "的时")
# the year before last, said in the clause (前年突破了千亿元; not 提前年底, 目前年产, 比前年的: a comparison)
_YEAR_BEFORE_LAST = re.compile(r"(?<![比较与提目当之])前年")


def _next_year_holds(text: str, s: int) -> bool:
    """明年 dates a figure after it in its own clause, or all after it when it opens a clause (明年，力争…;
    介绍，明年全市将…);
    not 今年订单已经排到明年二季度，全年营收预计能到五个亿 (a time inside a clause before)."""
    at = text.rfind("明年", 0, s)
    return (
        not at
        or text[at - 1] in "，,；：:“"
        # 到明年底，要达到三十五个，每个设区市至少两个: a target of next year opening its sentence or clause
        or (text[at - 1] == "到" and (at == 1 or text[at - 2] in "，,；：:“"))
        # 公司预计明年磨床产能将达到40台，销售收入突破2亿元: a forecast or plan of next year, said in the
        # sentence's first clause, holds for its later clauses
        or (text.endswith(_FORECAST, 0, at) and _CLAUSE_END.search(text, 0, at) is None)
        or text[at + 2 : at + 3] in ("，", ",")
        or _CLAUSE_END.search(text, at, s) is None
        # 从明年起，每个特派员每年…不少于九十天，…两年内不得重新选派: from next year on, opening its sentence or clause
        or (
            text[at + 2 : at + 3] == "起"
            and at
            and text[at - 1] in "从自"
            and (at == 1 or text[at - 2] in "，,；：:“")
        )
        # 省财政明年将新增…1.5亿元，…并设立青年科学家项目，每项资助100万元，支持期限为5年: a plan of next year said in the
        # sentence's first clause (明年 before 将, 要, 拟) holds for its later clauses
        or (text.startswith(_WILL, at + 2) and _CLAUSE_END.search(text, 0, at) is None)
        # 该省将在明年加入…网络，并组织30家左右企业参加…: a plan of next year goes on in a clause joined by 并/还
        or (
            text.endswith(_PLANNED_IN, 0, at)
            and _PLAN_GOES_ON.match(text, max(text.rfind(c, at, s) for c in "，,；;") + 1) is not None
        )
    )


_WILL = ("将", "要", "拟", "还将", "还要", "计划", "准备")
_PLANNED_IN = ("将在", "将于", "要在", "拟在", "拟于", "计划在", "计划于")
_PLAN_GOES_ON = re.compile(r"并|还|同时|也将|再")


_CLAUSE_END = re.compile("[，,；：:]")
_FORECAST = ("预计", "计划", "力争", "争取", "打算", "预测")


# the round before of an evaluation or a call (上一次的, 2023年上一轮评估的), before the figure
# (not a multiple's base: 是上一轮评估期的1.8倍 is of now)
_LAST_ROUND = re.compile(r"(?<![是为于])(?:(20\d\d)年)?上一?(?:次|轮)[^，,。；;\d的]{0,6}的$")
_LAST_ROUND_IN = re.compile(r"(20\d\d)年(?:的)?上一?(?:次|轮)")


def _compared_with(ctx, s: int) -> str | None:
    """The period of a figure after 的 (or 不足, 近 …) that a comparison or a start dates, None when none does:
    由立项时的不足30% (the year the report said the project began), 较上年的571.3亿元 (the year before),
    按其上年度…支出的30% and 为去年全年的九成 (the report's year: a rate, a share of last year's)."""
    text = ctx.text
    if text.find("时", max(0, s - 6), s) >= 0 or text.find("之初", max(0, s - 6), s) >= 0:
        at_start = _AT_START.search(text, max(0, s - 16), s)
        if at_start is not None:
            if at_start.group("y"):
                return at_start.group("y")  # 较2022年组建时的138人
            said = _started_in(ctx, at_start.start(), at_start.group("v"))
            if said is None and at_start.group("v") == "立项":
                # a movement from when the projects of a year were set up (2024年度…项目 … 由立项时的4级)
                of = _PROJECTS_OF.findall(ctx.whole or text, 0, ctx.base + at_start.start())
                return of[-1] if of else None
            return said
    if text[s - 1] != "的":
        return None
    if (last_round := _LAST_ROUND.search(text, max(0, s - 16), s)) is not None:
        # 比2023年上一轮评估的16.7%: the round before, in the year said with it; 由上一次的5家 after 比2024年上一次评价…:
        # the year the report said the round before was
        if last_round.group(1):
            return last_round.group(1)
        said = _LAST_ROUND_IN.findall(ctx.whole or text, 0, ctx.base + last_round.start())
        if said:
            return said[-1]
    if _COMPARED_LAST_YEAR.search(text, max(0, s - 10), s):
        return str(ctx.year - 1)
    if _COMPARED_YEAR_BEFORE_LAST.search(text, max(0, s - 10), s):
        return str(ctx.year - 2)
    if text.find("按", max(0, s - 24), s) >= 0 and _RATE_OF_LAST_YEAR.search(text, max(0, s - 24), s):
        # (2027年度，…按其上年度研发经费支出的10%给予补助: the rate of the year the sentence opened with)
        return ctx.said_year if ctx.said_year and s >= ctx.said_pos else ctx.period
    if _SHARE_OF_LAST_YEAR.search(text, max(0, s - 18), s):
        return ctx.period
    return None


def _started_in(ctx, at: int, verb: str) -> str | None:
    """The year a body or project began, for a figure at its start (从成立时的18家): the nearest year the
    report says it with the same verb, before or after (联合体于2023年组建), else one said with another
    verb before it (2021年12月立项 … 由立项时的), else counted back from 成立一周年."""
    whole = ctx.whole or ctx.text
    here = ctx.base + at
    same = [
        (abs(m.start() - here), m.group(1))
        for m in _STARTED_IN.finditer(whole)
        if m.group(0).endswith(verb) and not m.start() <= here < m.end()
    ]
    if same:
        return min(same)[1]
    said = _STARTED_IN.findall(whole, 0, here)
    if said:
        return said[-1]
    since = _YEARS_SINCE.search(whole)
    if since is not None and ctx.year:
        return str(ctx.year - cn_number(since.group("n")))
    return None


# a target itself, not a value measured against it: 规划目标为3.1%, 规划目标（4500家）, 年均增长12%的目标
_GOAL_BEFORE = re.compile(r"目标值?(?:为|是|)(?:[（(](?:[^，。；（）()]{1,12}[和、与及])?|)$")
_GOAL_AFTER = re.compile(r"[\d.]+[^\d，。；、（）()]{0,4}的(?:规划|)目标")
_PLAN_NAMED = re.compile(r"十([三四五])五")


def _goal_period(ctx, s: int) -> str | None:
    """The period of a figure that is a plan's target (规划目标为3.1%) in a sentence about an earlier year
    (2024年达到3.03%，规划目标为3.1%): the end of the plan the report names (“十四五”: 2025), or the report's
    year; None when the figure is not such a target."""
    text = ctx.text
    if not (_GOAL_BEFORE.search(text, max(0, s - 8), s) or _GOAL_AFTER.match(text, s)):
        return None
    ends = [int(_FYP_END[m.group(1)]) for m in _PLAN_NAMED.finditer(ctx.whole or text)]
    ends = [e for e in ends if e >= ctx.year]
    return str(min(ends)) if ends else str(ctx.year)


def _said_last_year(ctx, s: int) -> bool:
    """去年 / 上年 in the clause before the figure, after the sentence's previous figure."""
    if ctx.text.find("年", ctx.last_end, s) < 0:
        return False  # the common case, one C-level test
    head = ctx.text[ctx.last_end :]
    at = s - ctx.last_end
    if head[at - 1 : at] in ("（", "("):
        at -= 1  # 超过上年全年水平（4.6亿元）: the words before the bracket say whose figure it is
    if _SELECTED_BY_LAST_YEAR.search(head, max(0, at - 20), at) is not None:
        return False  # 对上年度考核优秀的100名科技特派员，每人奖励…: the year names the assessment that selects them
    phrase = before_phrase(head, at, keep_lists=True)
    last = _LAST_YEAR.search(phrase)
    # (对去年立项、今年提前完成节点任务的5个项目: 今年 said after it is the time of what the figure counts)
    return last is not None and _NOW_AFTER_LAST_YEAR.search(phrase, last.end()) is None


_NOW_AFTER_LAST_YEAR = re.compile(r"今年|本年")


# whom a rule selects by last year's assessment (对上年度考核优秀的, 对去年评价为优秀的)
_SELECTED_BY_LAST_YEAR = re.compile(r"对(?:去年|上一?年度?)(?:考核|评价|评估|绩效评价)[^，。；\d]{0,8}的$")


_PAST_WORDS = ("去年", "过去一年", "上年", "上一年")
# a span of years running up to now (一年来, 一年多来, 三年来, 近年来, 多年来)
_SPAN_TO_NOW = re.compile(r"(?:[一两二三四五六七八九十\d]{1,2}|近|多)年多?来")
_PAST_ANY = re.compile("|".join(_PAST_WORDS))


_DECIDED_NOW = re.compile(r"(?:每人|每家|每项|每个)奖励|予以(?:解聘|通报批评|撤销|取消|表彰)")


def _sentence_last_year(ctx, s: int) -> bool:
    """过去一年，… before the figure in its paragraph, no other year said between (今年, 2025年)."""
    marks = ctx.year_marks
    if marks is None:
        # once per sentence: where the paragraph so far says the year before (True) or another (False)
        text = ctx.text
        marks = []
        # a past word in the paragraph before the sentence or in the sentence (not across the two)
        if _PAST_ANY.search(ctx.whole, ctx.head_start, ctx.base) or _PAST_ANY.search(text):
            head = ctx.head
            both = head + text
            # (过去一年 under 一、2025年工作总结 in a 2025 report: the year summed up, the report's own)
            own_summary = _summing_up_the_year(ctx)
            marks = sorted(
                [
                    (m.end() - len(head), True)
                    for m in _PAST_YEAR.finditer(both)
                    if not (own_summary and m.group().startswith("过去一年"))
                    # (去年，省科技厅向浥水县选派了…特派团。团队一共九名专家: 去年 bare dates the event its sentence
                    # tells, not the sentences after it, unless one points back to it, 当年新增产值1.3亿元; 过去一年，…,
                    # 去年一年，… sum up the year the paragraph goes on with)
                    and not (
                        m.start() < len(head) and _LAST_YEAR_BARE.match(m.group()) and "当年" not in text
                    )
                ]
                + [
                    (m.end() - len(head), False)
                    for m in _THIS_YEAR.finditer(both)
                    # an earlier year is a comparison (是2021年的2.3倍), not the time of what follows
                    if not (m.group(1) and ctx.year and int(m.group(1)) < ctx.year)
                ]
                # 一年多来，他们推广技术十二项: a span running up to now, the report's time again
                + [(m.end() - len(head), False) for m in _SPAN_TO_NOW.finditer(both)]
                # 上年度，…。对上年度考核优秀的100名科技特派员，每人奖励5000元；考核不合格的23名，予以解聘: a sentence deciding
                # a reward or a sanction decides it now, whatever the paragraph summed up before it
                + ([(0, False)] if _DECIDED_NOW.search(text) is not None else [])
            )
        elif _REPORTED.match(ctx.whole, ctx.head_start) and _reported_past(ctx):
            # 会议指出，过去一年，…。\n会议介绍，…: a paragraph going on with what was said of the past year
            marks = [(-1, True)] + [
                (m.end() - (ctx.base - ctx.head_start), False)
                for m in _THIS_YEAR.finditer(ctx.head + text)
                if not (m.group(1) and ctx.year and int(m.group(1)) < ctx.year)
            ]
        ctx.year_marks = marks
    last = False
    for end, past in marks:
        if end > s:
            break
        last = past
    return last


# a paragraph reporting what a meeting or a speaker said (会议指出，…, 会议介绍，…)
_REPORTED = re.compile(r"[^，。：\n]{0,8}(?:指出|介绍|强调|表示|提到|通报)[，：]")
# ... or one whose first words say the year before right after its lead, its verb not read (会议指不，过去一年，: a
# character of 指出 the page damaged)
_REPORTED_PAST = re.compile(r"[^，。：\n]{2,8}[，：](?=过去一年|去年)")


def _reported_past(ctx) -> bool:
    """The paragraph before the sentence's also reports what was said, and the last time it names is the
    year before (过去一年, 去年)."""
    whole, start = ctx.whole, ctx.head_start
    if start < 2 or whole[start - 1] != "\n":  # not a paragraph's start: a long one read back in part
        return False
    prev = whole.rfind("\n", 0, start - 1) + 1
    if not _REPORTED.match(whole, prev) and not _REPORTED_PAST.match(whole, prev):
        return False
    marks = [(m.end(), True) for m in _PAST_YEAR.finditer(whole, prev, start - 1)]
    if not marks:
        return False
    marks += [
        (m.end(), False)
        for m in _THIS_YEAR.finditer(whole, prev, start - 1)
        if not (m.group(1) and ctx.year and int(m.group(1)) < ctx.year)
    ]
    return max(marks)[1]


_SUMMING_UP = re.compile(r"总结|回顾")


def _summing_up_the_year(ctx) -> bool:
    """The line before the sentence's paragraph is a heading (or the title) that sums up the report's own
    year (一、2025年工作总结): 过去一年 there is that year, not the one before."""
    whole, start = ctx.whole, ctx.head_start
    if not whole or not ctx.year or start < 2 or whole[start - 1] != "\n":
        return False
    line = whole[whole.rfind("\n", 0, start - 1) + 1 : start - 1]
    return len(line) <= 40 and f"{ctx.year}年" in line and _SUMMING_UP.search(line) is not None


def _in_quotes(sentence: str, s: int) -> bool:
    """A figure inside “…” is a name or a slogan (“四个面向”, “五大工程”), not a fact; inside a quoted speech
    (“……研发周期缩短了三分之一。”: a quote not closed in the sentence, or longer than a name) it is one."""
    head = sentence[:s]
    opened = head.rfind("“")
    if opened <= head.rfind("”"):
        return False
    closed = sentence.find("”", s)
    return 0 <= closed - opened <= _NAME_IN_QUOTES


_NAME_IN_QUOTES = 24  # the longest quoted name or slogan, with its quotes (“新一代高能量密度动力电池”)


# ---------------------------------------------------------------- dates and ranks


def date_rule(m, ctx) -> list:
    """5月24日 in the report's year (or the year the sentence says)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    month, day = int(m.group("month")), int(m.group("day"))
    said = (
        _DATE_YEAR.search(ctx.text, max(0, s - 5), s)
        or _SPAN_FROM_YEAR.search(ctx.text, max(0, s - 16), s)
        or _TIME_OF_THE_YEARS_ROUND.search(ctx.text, max(0, s - 32), s)
    )
    period = said.group(1) if said else period_of(ctx, s)[0]  # 2021年9月15日: the year said with it
    if not said and ctx.year and period == str(ctx.year + 1) and ctx.text.startswith("前", e):
        at = ctx.text.rfind("明年", 0, s)
        if ctx.text.startswith("的", at + 2) and _CLAUSE_END.search(ctx.text, at, s) is None:
            # 明年的选派方案在12月25日前报省科技厅: the deadline for next year's plan is this year's (明年 names the plan)
            period = str(ctx.year)
    value = f"{int(period):04d}-{month:02d}-{day:02d}" if period else f"--{month:02d}-{day:02d}"
    subject = after_phrase(ctx.text, e) or before_phrase(ctx.text, s)
    facts = [ctx.fact("date", subject, "", value, "date", "", period, s, e)]
    then = _DAY_AFTER.match(ctx.text, e)
    if then is not None and period:
        # 11月8日至10日: the last day of a span in the same month
        day = int(then.group(1))
        facts.append(
            ctx.fact(
                "date",
                subject,
                "",
                f"{int(period):04d}-{month:02d}-{day:02d}",
                "date",
                "",
                period,
                then.start(1),
                then.end(),
            )
        )
    return facts


# the time of a year's round said right before its dates (2027年度的申报时间为4月1日至5月31日): that year
_TIME_OF_THE_YEARS_ROUND = re.compile(
    r"((?:19|20)\d\d)年度?的?[^，,。；;\d]{0,8}?(?:时间|日期)(?:为|是|：|:)?"
    r"(?:(?:1[0-2]|0?[1-9])月(?:3[01]|[12]\d|0?[1-9])日(?:至|到|—|－|~|～))?$"
)


# the end of a span of dates whose start says its year (2026年1月5日至11月30日): that year
_SPAN_FROM_YEAR = re.compile(
    r"((?:19|20)\d\d)年(?:1[0-2]|0?[1-9])月(?:3[01]|[12]\d|0?[1-9])日(?:至|到|—|－|~|～)$"
)


# the end of a span of days in the month just said (11月8日至10日)
_DAY_AFTER = re.compile(r"(?:至|到|—|－|-|~|～)(3[01]|[12]\d|0?[1-9])日")


_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年$")
_CN_DIGIT = str.maketrans("〇零一二三四五六七八九", "00123456789")


def cn_date_rule(m, ctx) -> list:
    """四月十日 after 二〇二五年 (an official document's date in numerals), or in the report's year."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    month, day = cn_number(m.group("cmonth")), cn_number(m.group("cday"))
    said = _CN_YEAR.search(ctx.text, max(0, s - 5), s) or _DATE_YEAR.search(ctx.text, max(0, s - 5), s)
    period = said.group(1).translate(_CN_DIGIT) if said else period_of(ctx, s)[0]
    value = f"{int(period):04d}-{month:02d}-{day:02d}" if period else f"--{month:02d}-{day:02d}"
    subject = after_phrase(ctx.text, e) or before_phrase(ctx.text, s)
    return [ctx.fact("date", subject, "", value, "date", "", period, s, e)]


# 居全省第一方阵, 进入第一梯队: a group of places, not a rank
_RANK_GROUPS = frozenset(("方阵", "梯队", "序列", "档次"))


def first_rank_rule(m, ctx) -> list:
    """居全省首位, 位居首位: the first rank (not 首位度, a city's primacy)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    if ctx.text[e : e + 1] == "度" or not (
        _rank_cue(ctx.text[:s])
        # 居高校类机构首位: a ranking verb reaching over the field it ranks in, as before 第N位
        or _RANK_CUE_FAR.search(ctx.text, max(0, s - 14), s)
    ):
        return []
    phrase = before_phrase(ctx.text, s)
    cue = RANK_VERB.search(phrase)
    subject, predicate = (phrase[: cue.start()], phrase[cue.start() :]) if cue else (phrase, "")
    period, _t = period_of(ctx, s)
    return [
        ctx.fact("rank", x, predicate, Decimal(1), "位", "", period, s, e)
        for x in _each_listed(ctx.text, s, subject)
    ]


# a list's items before 均 (数量和增速均居全省第一, A、B两项指标均居全国第6位): the rank is each one's (FACTS_KEY: 各 and 均
# after a list give one fact per item)
_COUNT_OF_THE_LIST = re.compile(r"[两二三四五六七八九]项(?:指标|)$")


_EACH_RANKED = re.compile(r"([^，,；;。：:！？\n]+)均(?:稳居|位居|居|排名|位列|列|排)[^，,。；;\d]{0,8}$")


def _each_listed(text: str, s: int, subject: str) -> list[str]:
    if "均" not in text[max(0, s - 12) : s] or (m := _EACH_RANKED.search(text, max(0, s - 80), s)) is None:
        return [subject]
    listed = m.group(1)
    if "、" not in listed and "和" not in listed:
        return [subject]
    items = [x for x in LIST_SPLIT.split(_COUNT_OF_THE_LIST.sub("", listed)) if x]
    return items if len(items) > 1 else [subject]


def rank_rule(m, ctx) -> list:
    """居全国第23位, 稳居国内第一; 由上年的第19位升至第15位 gives both ranks (the first the year before)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    head = ctx.text[:s]
    num = cn_number(m.group("rnum"))
    if (
        num is None
        or not (
            _rank_cue(head)
            or _RANK_CUE_FAR.search(head, max(0, s - 14))
            or _RANK_LISTED.search(head, max(0, s - 16))
            # 从第二十一位提到了第十八位 (a movement's start: a place said with 位 or 名; not 从第一片样品, 从业第四年)
            or (m.group("runit") and _FROM_RANK.search(head, max(0, s - 12)))
            # 由2024年上一轮评价的第3位升至第2位: a movement's start said with the round or time it is of, 由 before it
            or (
                m.group("runit")
                and _FROM_A_ROUND.search(head, max(0, s - 18)) is not None
                and _RANK_MOVED_TO.match(ctx.text, e) is not None
            )
            # 由上年的第19位〔隐去〕第15位: a word the page redacted between two ranks (升至), the movement's verb
            or (head.endswith("〔隐去〕") and _RANK_THEN_REDACTED.search(head, max(0, s - 24)) is not None)
        )
        or ctx.text[e : e + 2] in _RANK_GROUPS
        or ctx.text[e : e + 1] == "档"  # 位列第二档: a tier
        or _ranked_one_compared(ctx.text, s, e)
        # 第一次, 第二批: not a place; 由第三方检测机构出具: a third party
        or (not m.group("runit") and ctx.text[e : e + 1] in ("次", "批", "届", "方"))
    ):
        return []
    phrase = before_phrase(ctx.text, s)
    cue = RANK_VERB.search(phrase)
    subject, predicate = (phrase[: cue.start()], phrase[cue.start() :]) if cue else (phrase, "")
    subject = subject.split("由", 1)[0]  # 指数由上年的第19位升至: the subject is before 由
    period, _t = period_of(ctx, s, moved_from=bool(_MOVED_FROM.search(head)))
    rated = _RATED_YEAR.search(head) if "年度" in head and ctx.year else None
    if rated is not None and int(rated.group(1)) < ctx.year:
        period = rated.group(1)  # 在2024年度省实验室绩效评价中，实验室居第一位: the year the evaluation rated
    return [
        ctx.fact("rank", x, predicate, Decimal(num), "位", "", period, s, e)
        for x in _each_listed(ctx.text, s, subject)
    ]


# the words naming the round or the time a movement's start is of, between 由 and 的 (由2024年上一轮评价的第3位, 由上次评估的第5名)
_FROM_A_ROUND = re.compile(r"由(?:20\d\d年(?:度|))?[^，,。；;\d由从]{1,10}的$")
# a rank's movement going on right after it (升至第2位, 降到第5位, 前移至)
_RANK_MOVED_TO = re.compile(r"(?:上升|下降|提升|提高|回升|回落|跃升|前移|后移|升|降)(?:至|到)")


# 综合得分92.35分，比排名第二的供应商高4.25分: the one a figure is compared with, named by its place (no rank of the subject)
_COMPARED_WITH_RANKED = re.compile(r"(?:比|较|高于|低于|超过|领先)(?:排名|排在|位列|)$")


# 该省排名第一的县综合指数为81.6: the one picked by its place, a noun after 的 (not 排名第一的是…, 居首位的143家)
_PICKED_BY_PLACE = re.compile(r"的[\u4e00-\u9fff](?<![是为有])")


def _ranked_one_compared(text: str, s: int, e: int) -> bool:
    """第二 in 比排名第二的供应商高…: a place naming the one set against (比 before it, 的 after), not a rank said;
    第一 in 该省排名第一的县综合指数为…: a single one picked by its place (排名 before it, a noun after 的)."""
    return text.startswith("的", e) and (
        _COMPARED_WITH_RANKED.search(text, max(0, s - 4), s) is not None
        or (
            text.endswith("排名", 0, s)
            and text.startswith("第", s)
            and _PICKED_BY_PLACE.match(text, e) is not None
        )
    )


_RANK_THEN_REDACTED = re.compile(
    r"[由从][^，,。；;\d]{0,8}第(?:\d+|[一二三四五六七八九十]{1,3})[位名]〔隐去〕$"
)


# a rank in an evaluation of a year, said right before its clause (在2024年度省实验室绩效评价中，实验室居第一位)
_RATED_YEAR = re.compile(
    r"在(20\d\d)年度[^，。；\d]{0,16}(?:评价|考核|评估|评比|监测)中[，,][^，。；\d]{0,10}$"
)


def top_rule(m, ctx) -> list:
    """荪州高新区进了前三十, 首次跻身前50: a place among the first so many, said without 位 or 名 (the rank
    bound, in 位; 进入前40名 is read by figure_rule)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    num = cn_number(m.group("topn"))
    if num is None or num < 2:
        return []
    if (
        ctx.text[s - 2 : s - 1] in "市区县"
        and not ctx.text.endswith(("全国前", "全省前", "全市前"), 0, s)
        and _INTO_CLASS_TOP.search(ctx.text, max(0, s - 20), s) is None
    ):
        return []  # 我们要进入全国创新型城市前四十 (a class named between 全国 and 前): not 全市前 or 本区前
    phrase = before_phrase(ctx.text, s - 1)
    cue = RANK_VERB.search(phrase)
    subject, predicate = (phrase[: cue.start()], phrase[cue.start() :]) if cue else (phrase, "")
    period, target = period_of(ctx, s)
    return [
        ctx.fact("target" if target else "rank", subject, predicate, Decimal(num), "位", "", period, s, e)
    ]


# ---------------------------------------------------------------- shares and counts in words


_RESTATED = re.compile(r"[，,]?(?:达到|达|为)\d")


def share_rule(m, ctx) -> list:
    """超过七成 (70 %), 超过一半 (50 %)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    if _in_quotes(ctx.text, s):
        return []
    if m.group("sval") == "过半" and _RESTATED.match(ctx.text, e):
        return []  # 占比首次过半，达52.6%: the share is the figure that follows
    if m.group("sval") == "过半" and (
        ctx.text.endswith("时间", 0, s)
        or (ctx.text.endswith("任务", 0, s) and ctx.text.find("时间过半", max(0, s - 8), s) >= 0)
    ):
        return []  # 达到了时间过半、任务过半的要求 (a half-year's saying: time half gone, tasks half done), no share
    subject, predicate, q = strip_trailing(before_phrase(ctx.text, s))
    period, target = period_of(ctx, s)
    value = SHARES[m.group("sval")]
    kind = "target" if target else "percent"
    return [ctx.fact(kind, subject, predicate, value, "%", m.group("sq") or q, period, s, e)]


_CN_TENTH = str.maketrans("一二三四五六七八九", "123456789")


def discount_rule(m, ctx) -> list:
    """按标准的八折收取 (80 %), 打八五折 (85 %): the price paid as a share of the full price."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    if _in_quotes(ctx.text, s):
        return []
    digits = (m.group("dn1") + m.group("dn2")).translate(_CN_TENTH)
    value = Decimal(digits) * (10 if len(digits) == 1 else 1)
    subject, predicate, q = strip_trailing(before_phrase(ctx.text, s))
    period, target = period_of(ctx, s)
    return [ctx.fact("target" if target else "percent", subject, predicate, value, "%", q, period, s, e)]


def big_count_rule(m, ctx) -> list:
    """五大领域, 五大新兴产业之一: a count of 个 (not inside quotes: “五大工程” is a name)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    if _in_quotes(ctx.text, s) or ctx.text[s - 1 : s] in _THESE:
        return []  # (这六大产业2025年营业收入…: the kinds just listed, pointed back at, as 这两个新兴领域)
    value = cn_number(m.group("bnum"))
    if value > 10:
        return []  # 二十大: a party congress
    subject = after_phrase(ctx.text, e)
    period, target = period_of(ctx, s)
    return [ctx.fact("target" if target else "count", subject, "", Decimal(value), "个", "", period, s, e)]


def fraction_rule(m, ctx) -> list:
    """三分之一 (33.33 %), 近四分之一, 千分之五 (0.5 %), 百分之三十: a share, in percent to two decimals."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    den, num = m.group("fden"), m.group("fnum")
    den = 10 ** (5 + "十百千".index(den[0])) if den[1:] == "万" else cn_number(den)  # 百万分之五
    if "点" in num:  # 百分之十三点四: a decimal in words
        whole, _dot, tail = num.partition("点")
        num = cn_number(whole)
        num = None if num is None else Decimal(f"{num}.{tail.translate(_CN_DIGIT)}")
    else:
        num = Decimal(num) if num[:1].isdigit() else cn_number(num)
    if not den or num is None or _in_quotes(ctx.text, s):
        return []
    value = Decimal(num) * 100 / den
    if den % 100 or value != value.quantize(Decimal("0.000001")):
        value = value.quantize(Decimal("0.01"))  # 三分之一: two decimals; 百万分之五 (0.0005) as it is
    subject, predicate, q = strip_trailing(before_phrase(ctx.text, s))
    period, target = period_of(ctx, s)
    q = m.group("fq") or m.group("fq2") or q
    kind = "target" if target else "percent"
    return [ctx.fact(kind, subject, predicate, plain(value), "%", q, period, s, e)]


def slash_fraction_rule(m, ctx) -> list:
    """约1/3, 占1/4: a share written with a slash (33.33 %, 25 %)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    value = (Decimal(m.group("sfn")) * 100 / Decimal(m.group("sfd"))).quantize(Decimal("0.01"))
    subject, predicate, q = strip_trailing(before_phrase(ctx.text, s))
    period, target = period_of(ctx, s)
    q = q or (ctx.text[s - 1] if ctx.text[s - 1] in "约近" else "")
    return [
        ctx.fact("target" if target else "percent", subject, predicate, plain(value), "%", q, period, s, e)
    ]


def doubling_rule(m, ctx) -> list:
    """翻一番 (2倍), 翻两番 (4倍): a multiple."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    value = Decimal(2 ** cn_number(m.group("dn")))
    subject, predicate, _q = strip_trailing(before_phrase(ctx.text, s))
    period, target = period_of(ctx, s, own_year=False)
    return [ctx.fact("target" if target else "quantity", subject, predicate, value, "倍", "", period, s, e)]


def range_rule(m, ctx) -> list:
    """3至5年, 2到3个团队, 5至8家: the first number of a range, in the second's unit and scale (the second
    is read where the scan finds it)."""
    second = _PATTERN.match(ctx.whole, m.end(), ctx.end) if ctx.whole else None
    if second is None or second.lastgroup != "fig":
        return []
    facts = figure_rule(second, ctx)
    raw = m.group("ra")
    value = _scaled_value(raw, m.group("rsc") or second.group("sc") or None)
    if value is None or not facts or (not raw[:1].isdigit() and value < 2):
        return []
    if facts[0].value < 0:
        value = -value  # 零下10至20摄氏度
    start = m.start()
    b = start - ctx.base
    if b and ctx.text[b - 1] in "-−" and not ctx.text[b - 2 : b - 1].isdigit() and value > 0:
        value = -value  # 工作温度范围为-40至125℃ (not 2024-2025)
    end = start + len(raw) + len(m.group("rsc"))
    return [replace(f, value=value, qualifier="", start=start, end=end) for f in facts]


# ---------------------------------------------------------------- a number with a unit


# a numeral in words of 亿 and then 万 (五十三亿六千万, speech): an amount as a bare 亿 is (五十八亿多一点)
_YI_THEN_WAN = re.compile(r"[一二两三四五六七八九十]+亿[零一二两三四五六七八九十百千]+$").match
# what a price ends on (四百元一台, 三块钱一斤, 两万元一套)
_PRICE_ENDS = ("元", "块", "块钱", "毛钱")


def figure_rule(m, ctx) -> list:
    """A number with its unit, read by the rule of the unit's form: a count (250余家科研单位, 攻克国产替代
    技术74项, 3.6万项, 分三批; 将82家基地优化重组为42家: the second count takes the first's subject), a
    percentage or points (77%, 提高0.26个百分点; in a target sentence one fact per subject listed: A、B和C
    均达到65%以上), money (1.5亿元, 200余万元, 突破千亿元: the value in yuan), a level or a quantity.

    The most frequent rule (nine figures in ten), so counts, percentages and money are read here in one
    function: the phrase helpers of `subjects` (`before_phrase`, `strip_leading_verb`), `period_of`'s
    answer without a date in sight and `Sentence.fact` are written out, the qualifier groups read only
    when the figure has one. A figure costs a few C-level calls, not ~15 Python ones."""
    raw, sc, u = m.group(_N, _SC, _U)
    unit = u.strip()
    form = _FORMS.get(unit, "count")
    if form is quantity_rule or form is level_rule:
        found = form(m, ctx, unit)
        if sc:  # 3万吨: the scale the report wrote
            for f in found:
                f.scale = sc
        return found
    base = ctx.base
    start, end = m.span()
    s, e = start - base, end - base
    text = ctx.text
    if (
        not unit
        and (sc or raw)[-1:] != "亿"
        and not (sc == "万" and _YI_THEN_WAN(raw))
        and not _wan_is_money(text, s, e)
    ):
        # 观众达3万， (people): 万 without 元 is an amount only where the clause speaks of money; so is a numeral
        # said short at a clause's end (一斤能卖三百八，: speech, 380 元)
        if sc or "万" not in raw or (unit := _noun_measure(ctx, s)) is None:
            return []
        # 高新技术企业要过一万六 (speech): a count whose measure word its noun took earlier in the text
        form = "count"
    if text[s - 2 : s] == "等于" and _SUM_EQUALS.search(text, max(0, s - 12), s) is not None:
        return []  # 注：占比数据经四舍五入，合计不等于100%: a note on rounding, nothing counted
    # numbers.number_value, inline
    value = Decimal(raw) if not sc and raw.isdigit() else _scaled_value(raw, sc)
    if value is None:
        return []
    kuai = unit == "块" and _kuai_is_money(text, s, e, sc)
    if kuai:
        # 一块五, 三块五 (yuan and jiao), 四万来块, 收购价涨了三块 (speech): an amount in yuan
        form = "money"
        if (jiao := _JIAO.match(text, e)) is not None:
            value += Decimal(jiao.group().translate(_CN_DIGIT)) / 10
            end, e = end + 1, e + 1
    if form != "count" and unit in _ODD_SCALES:
        value, sc = _ODD_SCALES[unit](value), sc or ("亿" if unit in YI_UNITS else "")
        if unit == "毛" and (fen := _JIAO.match(text, e)) is not None:
            # 六毛二 (speech): six jiao and two fen
            value += Decimal(fen.group().translate(_CN_DIGIT)) / 100
            end, e = end + 1, e + 1
    digits = raw[:1].isdigit()
    if form == "count":
        if unit == "类" and text.startswith(_REGISTERED_CLASSES, e):
            return []  # 1类创新药, 2类医疗器械: a class's name in the drug and device registers, not a count
        if unit == "个" and text.startswith("季度", e) and text.endswith("连续", 0, s):
            return []  # 连续三个季度居各类合同首位: quarters in a row before a state, as 连续5个月 (FACTS_KEY)
        if (
            not digits
            and (
                # 一批, 一个 are not counts (上升一位, 前进一个位次 are; nor is 新获批全国重点实验室一个， or
                # 其中国家级一个、: one, named after what it counts, ending the clause); “四个面向” is a slogan
                (
                    value < 2
                    # (比全省平均还低一点五件: a decimal in words is a figure, as in quantity_rule)
                    and "点" not in raw
                    and not (
                        (unit in "位名" or (unit == "个" and text.startswith("位次", e)))
                        and text.endswith(_MOVES, 0, s)
                    )
                    # (不超过一项。: the bound before the numeral is no part of what it counts)
                    and not _ONE_COUNTED(text, s + len(m.group("q1") or ""), e, unit)
                )
                # 从一千二百元一台降到四百元一台: the item a price is of, right after the price, not a count
                or (value == 1 and text.endswith(_PRICE_ENDS, 0, s))
                # 千家万户, 千方百计: a numeral and its measure word in a four-character saying
                or (raw in ("千", "百", "万") and text[e : e + 1] in ("千", "百", "万"))
                # 两三天, 三四家: about so many, not a figure
                or _ABOUT_SO_MANY(raw)
                # 这两个数字, 那三家企业: the few just named, referred to (这二十七家高新区 sums 6家 and 21家: a count)
                or (text[s - 1 : s] in _THESE and value <= 5)
                or _in_quotes(text, s)
                or unit == "市"  # 两市: where, not how many
                # 琨浔、蘅川两个市: the cities just named, where (as 两市), not how many (萩塘县等三个县 is a count)
                or (
                    unit == "个"
                    and text.startswith("市", e)
                    and _NAMES_BEFORE.search(text, max(0, s - 10), s) is not None
                )
                # 二期工程, 二十届三中全会: names (分两期, 分三轮: a count)
                # (一百五十余期: a count, 余 or 多 after the numeral)
                or (
                    unit in DIGITS_ONLY_MEASURES
                    and text[s - 1 : s] != "分"
                    and m.group(_Q0, _Q2) == ("", "")
                    # (每亩投放虾苗六千尾左右: a numeral of hundreds or more names no phase or session, it counts)
                    and not (sc or _HUNDREDS_IN_WORDS.search(raw))
                    # 可用于购买五类科技服务：检验检测、…: the kinds counted open the list after them
                    and not (unit == "类" and _LIST_AFTER.match(text, e) is not None)
                    # 博览会已连续举办六届: the sessions held, counted after the verb (not 第六届, 二十届三中全会)
                    and not (unit == "届" and text.endswith(_HELD, 0, s))
                    # 已连续举办对接会三届，: what was held named between the verb and the count ending the clause
                    and not (
                        unit == "届"
                        and text[e : e + 1] in _CLAUSE_ENDS
                        and _HELD_WHAT.search(text, max(0, s - 12), s) is not None
                    )
                    # 开设培训班五期，举办六期以上: sessions held, the clause ending on them (not 二期工程)
                    # (科学城二期: a phase of a place; a count of two is 两期)
                    and not (
                        unit in "期轮"
                        and (m.group(_Q3) or text[e : e + 1] in _CLAUSE_ENDS)
                        and raw != "二"
                        and text[s - 1 : s] not in _PHASED
                    )
                )
                # 两项合计, 上述三家: the items just listed, counted again to sum or refer to them
                or (
                    (
                        text[e : e + 2] in _SUMMED
                        or (text.find("计", e, e + 6) >= 0 and _SUMMED_AFTER.match(text, e))
                    )
                    # (基础研究和重点研发计划两项合计支出: right after the list it counts, in its clause, a count: facts23)
                    and _LISTED_IN_CLAUSE.search(text, max(0, s - 40), s) is None
                )
                or text[max(0, s - 2) : s] in _REFERRED
                # 我们两家去年签了合作协议 (speech): the speakers counted as who they are, pointing back, no count
                or (
                    text[max(0, s - 2) : s] in _US_TWO
                    and raw in ("两", "二", "三")
                    and unit in ("家", "个")
                    and _WE_DID.match(text, e) is not None
                )
                # 连续两次评为优秀的机构: the times describe which ones, not a count of what was done (but a rule's
                # condition, 连续两次评价为良好以上的，优先推荐…, counts the times as 连续两次评估不合格的 does)
                or (
                    unit in ("次", "轮")
                    and text.endswith("连续", 0, s)
                    and text.startswith(_RATED, e)
                    and _RULE_CONDITION.match(text, e) is None
                    # (对连续两次评价为合格的5家工作站予以警示: those a measure is taken on, as a rule's condition)
                    and not text.endswith(("对连续", "对于连续"), 0, s)
                )
                # 两个联合体互相开放试验台架: the two parties pointed back at, doing so to each other (no count)
                or (
                    raw in ("两", "二")
                    and unit in ("个", "家", "所", "支")
                    and _EACH_OTHER.match(text, e) is not None
                )
            )
        ):
            return []
        if (unit in "位名点" and text[max(0, s - 1) : s] == "第") or (
            unit == "位" and text[e : e + 1] == "数"
        ):
            return []  # 第1名; 两位数; 第三点意见
        if (
            unit in "位名"
            and text[s - 1 : s] == "前"
            and text.startswith(_IN_TURN, e + (text[e : e + 1] == "，"))
        ):
            return []  # 金额前三位依次为…, 居前三位，分别为…: the places listed after it are the facts
        if s and text[s - 1] == "每" and not (digits and not text.startswith("口", e)):
            # 每十万人口, 每万人口: the base of an indicator, not a count (每10万人口 too); in digits before what it counts the
            # base of an average is one (平均每10台（套）仪器仅配备…2.3人, 平均约每18万人拥有一个科普场馆: 10台（套）, 180000人)
            return []
    elif (
        not digits
        and (
            form != "money"
            or not (
                sc
                or _MONEY_IN_WORDS.fullmatch(raw)
                and text[s - 1 : s] != "每"
                or unit in KUAI_UNITS
                or unit in MAO_UNITS
                or kuai
                # 成本降到每瓦时零点六元 (speech): a decimal in words before 元
                or (unit == "元" and "点" in raw)
            )
        )
        and (form != "百分点" or _in_quotes(text, s))
        # 研发投入强度达到一点九二% (a county's report): a decimal in words before the sign is a percentage
        and not (unit in ("%", "％") and "点" in raw and not _in_quotes(text, s))
    ):
        # a percentage in words; 百元 (每百元营业收入; 三千万元, 一千二百元 are money); 提高五个百分点 is points
        return []
    # the words after the figure (counts and money) and the phrase before it (subjects.after_phrase and
    # before_phrase)
    after = _AFTER.match(text, e) if form == "count" or form == "money" else None
    after = after.group() if after is not None else ""
    d = _UP_TO_LAST_DELIM(text, 0, s)
    before = text[d.end() : s] if d is not None else text[:s]
    if (
        ctx.target_year
        or ctx.said_year
        or ctx.year
        or ctx.section_year
        or (s and text[s - 1] in _OWN_YEAR_LAST)
    ):
        # 与上年度相比，…由51.8万元提高到60.3万元: a movement's first value is the year before's
        moved = text[s - 1 : s] == "由" and _VS_LAST_YEAR.search(text, 0, s) is not None
        period, target = period_of(ctx, s, moved_from=moved)
        if text[e : e + 1] in "（(" and (said := _YEAR_IN_BRACKETS.match(text, e)):
            period, target = (
                said.group(1),
                bool(ctx.year) and int(said.group(1)) > ctx.year,
            )  # 46.2%（2024年）
    else:  # period_of's answer without a year in sight
        period, target = ctx.period, False
    # a target percentage: a fact per subject listed (A、B和C均达到65%), unless a figure stands before in the
    # clause (达到3.2%、基础研究经费占比达到10%: the 、 parts two targets, not two subjects)
    # (漹川高新区、磢原高新区得分率均超过90%: two named before 均, a share of each, of now as of a target)
    listed = (
        (form == "%" or form == "百分点")
        and (target or ("、" in before and _EACH_OF_THE_LISTED.search(before) is not None))
        and _HAS_DIGIT(before) is None
    )
    # 檀舟、峣阳两市各新建…3家: the same count for each place listed before 各, a fact for each
    # (荭阳市和椤州市各2个: two named with 和)
    listing = before
    if d is not None and "各" in before and text.endswith(_REDACTED, 0, d.end()) and form in _EACH_FORMS:
        # 〔隐去〕、蘅溪、〔隐去〕三个市要各建至少一家: a name a site redacted is a name of the list, not a clause's end
        r = d
        while r is not None and text.endswith(_REDACTED, 0, r.end()):
            r = _UP_TO_LAST_DELIM(text, 0, r.end() - len(_REDACTED))
        listing = text[r.end() : s] if r is not None else text[:s]
    each = (
        _EACH.match(listing.strip())
        if "各" in listing and ("、" in listing or "和" in listing) and form in _EACH_FORMS
        else None
    )
    if each is None and d is not None and form in _EACH_FORMS and before.lstrip().startswith("各"):
        # A公司、B公司两家单位同时揭榜，各支持600万元: 各 opening the clause, the list in the clause before
        p = _UP_TO_LAST_DELIM(text, 0, d.end() - 1)
        each = _EACH_BEFORE.search(text, p.end() if p is not None else 0, d.end() - 1)
    if not listed and "、" in before:
        before = before.rsplit("、", 1)[1]
    before = before.strip()
    q = ""
    if form == "count":
        previous = ctx.last_subject.get(unit, "")
        if previous and previous in before:  # 将82家创新基地|优化重组为|42家
            before = before.rsplit(previous, 1)[1]
            if after:
                subject, predicate = after, _LEADING(before).group("verb")
            else:
                subject, predicate = previous, before
        elif after:
            subject, predicate = after, _LEADING(before).group("verb")
        else:
            b_subject, b_pred, q = strip_trailing(before)
            lead = _LEADING(b_subject)
            subject, predicate = b_subject[lead.end() :] or previous, lead.group("verb") or b_pred
        if subject:
            ctx.last_subject[unit] = subject
        kind = "target" if target else "count"
        unit = "个" if unit == "市" else _UNIT_ALIASES.get(unit, unit)
        if unit == "个" and text[e : e + 1] == "人" and text[e + 1 : e + 2] not in _NOT_PEOPLE:
            unit = "人"  # 不少于3个人 (3个人才团队 are teams)
        elif unit == "个" and text.startswith(_TIMES_AFTER_GE, e):
            # 排名提升3个位次, 开展海试五个航次: 个 before a measure of times counts in that measure
            unit = text[e : e + 2]
        elif unit == "名" and text.endswith(_INTO_TOP, 0, s):
            unit, kind = "位", "target" if target else "rank"  # 进入前40名 (服务金额前10名的机构: a count)
        elif text[e : e + 1] == "/" and (per := _PER_UNIT.match(text, e + 1)) is not None:
            # 位错密度降至1000个/平方厘米以下: a density, the measure word over the unit it is counted in
            unit, kind, end = f"{unit}/{per.group()}", "target" if target else "quantity", base + per.end()
    elif form == "money":
        b_subject, b_pred, q = strip_trailing(before)
        lead = _LEADING(b_subject)
        verb, b_subject = lead.group("verb"), b_subject[lead.end() :]
        if after and not b_subject:
            subject, predicate = after, verb or b_pred
        elif after and verb and not b_pred:
            subject, predicate = after, verb
        else:
            subject, predicate = b_subject, b_pred or verb
        if text[e : e + 1] == "级":
            return []  # 亿元级企业, 百亿元级产业集群: a class, not an amount
        kind = "target" if target else "money"
        unit = u if u in FOREIGN_CURRENCIES else "元"
    else:  # a percentage ("%") or percentage points ("百分点")
        subject, predicate, q = strip_trailing(before)
        lead = _LEADING(subject)
        predicate = predicate or lead.group("verb")
        subject = subject[lead.end() :]
        unit = form
        kind = "target" if target else "percent" if unit == "%" else "points"
    # 超过, 近, 余, 以上: only read when the match is longer than its number, scale and unit
    if end - start != len(raw) + len(u) + (len(sc) if sc else 0):
        q1, q0, q2, q3 = m.group(_Q1, _Q0, _Q2, _Q3)
        q = q1 or q0 or q2 or q3 or q
    scale = sc or ""
    # Sentence.fact, inline; a listed subject (A、B和C) gives one fact for each
    subjects = ([x for x in LIST_SPLIT.split(subject) if x] or [subject]) if listed else (subject,)
    if (
        len(subjects) > 1
        and _MEASURE_END.search(subjects[0]) is None
        and _ALL_OF_THEM.search(text, max(0, s - 40), s) is None
    ):
        # 全省高校和三级医院科技伦理委员会备案率达到100%: the list names whose one measure it is (高校 is no measure), one
        # target (A、B和C均达到65%: a fact per measure listed)
        subjects = (subject,)
    if each is not None:
        subjects = tuple(f"{place}{subject}" for place in _LIST_SEP.split(each.group("list")))
    return [
        Fact(
            kind,
            sub.strip(SUBJECT_STRIP).removeprefix("了"),
            predicate,
            value,
            unit,
            q,
            period,
            ctx.quote,
            start,
            end,
            base,
            ctx.end,
            None,
            None,
            scale,
        )
        for sub in subjects
    ]


# what a measure's name ends with (研发投入强度, 覆盖率, 占比, 指数): a list of such names is a list of measures
_ALL_OF_THEM = re.compile(r"均|都|分别|各")
_MEASURE_END = re.compile(r"(?:率|比|比重|强度|占比|指数|水平|度|量|额|数|值|规模|收入|产值|人数|家数)$")
_IN_TURN = (
    "依次",
    "分别",
    "合计",
    "共计",
)  # (…居前三位，合计占比超过六成: the leading ones named before, summed)
_CLAUSE_ENDS = frozenset("，,。；;！？")
_PHASED = frozenset("城园区馆楼厂港站线路库场")  # 科学城三期, 产业园二期: a phase of what is built
# places listed at the clause's start, then 各 (not 各类, 各级, 各地; not a list in brackets: 县（市、区）各)
_EACH = re.compile(
    r"(?P<list>[^（(，；：、]{1,12}(?:[、和][^（(，；：、]{1,12})+?)(?:[两二三四五六七八九十][市县区省家所]|)各(?:有(?![^\d一二两三四五六七八九十])|(?![类级地项种有自方]))"
)
_EACH_FORMS = frozenset(("count", "money"))
_LIST_SEP = re.compile("[、和]")
# 万 without 元 (speech: 投入了300万，市里给了60万的补助，一台八十多万): money where the clause before the figure
# speaks of money (a verb of spending, earning, lending or a word of an amount), the clause is the price of
# one thing (一台…), or 的 and a word of money follow (60万的补助)
_MONEY_WORDS = re.compile(
    r"投入|投了|投资|花了|花费|花掉|贷了|贷款|借了|卖|买|补助|补贴|奖励|奖了|资助|给了|拨了|拨付|兑付|收入|收了|多收|"
    r"税|金额|资金|经费|成交额|赚|挣|钱|价|费|融资|营收|产值|销售额|利润|贴息|省了|省下|值|"
    r"财政拿出|财政出|财政安排|"  # 市财政拿出三千多万专门支持概念验证 (a budget's share said in speech)
    r"奖金|总额|支持|成本|年薪|月薪|薪酬|拿出|"  # 奖金总额四千三百多万, 每家省里支持两千万 (a prize, a total, a grant said in speech)
    # 合同额九亿七千万, 一次就分了八百多万, 一年就能省六千多万 (speech: a contract's sum, a share paid out, a saving
    # said with 省 alone after a modal or 就)
    r"合同额|交易额|营业额|分了|分到|分得|(?:能|就|可|可以|还|又)省$|"
    # 重大专项每项给到一千五百万, 暂停拨款两千三百万 (speech: a grant given, a payment stopped)
    r"给到|拨款"
)
_SUPPORT_AFTER = ("支持", "资助", "补助", "补贴", "扶持")
# (平均一个项目就三十来万: the average one's amount)
_PRICE_OF_ONE = re.compile(r"(?:平均|)[一每]个?[台套件个项辆吨斤亩]")
_MONEY_NOUN_AFTER = re.compile(
    r"的大?(?:补助|补贴|资金|奖励|经费|投入|贷款|投资|订单|收入|税|单子|合同|支持)|(?:贷款|补助资金|奖金)"
)
# 每家省里给一百万: a verb of giving or getting right before the figure (这个榜我们挂了八百万: a bounty posted)
# (对第一次认定的高新技术企业，市里奖二十万: an award)
_GIVEN = ("给", "给了", "拿到", "拿到了", "补了", "奖", "奖了", "挂了")
# 省里按购置额的20%给予补助，单家企业最多五百万 (一家最多三百万): the most one gets of what the clause before pays
_CAP_OF_ONE = re.compile(
    r"(?:单家|单个|单项|每家|每个|每项|一家|一个|一项)[^，。；\d]{0,6}(?:最多|最高|不超过)$"
)
_CLAUSE_MARKS = "，,。；;：:！？“”\n"


# 块五: the jiao after 块 (not 块五个, 五块五毛 reads as 5.5 too)
_JIAO = re.compile(r"[一二三四五六七八九](?![一二两三四五六七八九十百千万亿个家项人名位台块斤元])")


# the noun a short numeral of 万 is said of (高新技术企业要过一万六): the clause's words before a verb of reaching
_NOUN_BEFORE_REACH = re.compile(
    r"(?:^|[，,；;：:\n])(?:全省|全市|全县|全区|我们的|我们|)(?P<noun>[\u4e00-\u9fff]{2,10}?)(?:数量|总数|)"
    r"(?:要|将|力争|争取|预计|能|)(?:过|超过|突破|达到|达|到)$"
)
_NOUN_MEASURES = "家个项件名人台套所支座"
_NOUN_LOOKBACK = 3000  # characters before the sentence where the noun's count is looked for


def _noun_measure(ctx, s: int) -> str | None:
    """The measure word the noun of the clause before a short numeral of 万 took where the text counted it before
    (全省高新技术企业现在是一万四千六百家 … 高新技术企业要过一万六: 家), None when it did not."""
    said = _NOUN_BEFORE_REACH.search(ctx.text, max(0, s - 24), s)
    if said is None or not ctx.whole:
        return None
    noun = re.escape(said.group("noun"))
    counted = re.findall(
        rf"{noun}[^，。；\n\d]{{0,6}}?[\d〇零一二两三四五六七八九十百千万.]+(?:余|多|)([{_NOUN_MEASURES}])",
        ctx.whole[
            max(0, ctx.base - _NOUN_LOOKBACK) : ctx.base
        ],  # bounded: n such figures cost n × this, not n²
    )
    return counted[-1] if counted else None


# what the parts of a table add up to, said in a note (合计不等于100%, 各项之和不一定等于总数)
_SUM_EQUALS = re.compile(r"(?:合计|之和|总和|加总)[^，。；\d]{0,4}等于$")


def _kuai_is_money(text: str, s: int, e: int, sc: str) -> bool:
    """Whether 块 after a number is yuan (speech): 块 and a numeral of jiao (一块五), a scale before it with the
    clause ending (三万来块，), or a clause that speaks of money (鲜叶收购价一斤涨了三块); not 三块试验田."""
    if _JIAO.match(text, e) is not None:
        return True
    after = text[e : e + 1]
    if after in _ADVERBS_AFTER and _KUAI_SAID_BEFORE.search(text, 0, s) is not None:
        return True  # 一年卖八千来块，…，多出来的两千多块都是专家教出来的: 块 of money said before in the sentence
    if after and after not in _CLAUSE_ENDS and after not in "”\n":
        return False
    return bool(sc) or _wan_is_money(text, s, e)


_ADVERBS_AFTER = frozenset("都就也才还全")
_KUAI_SAID_BEFORE = re.compile(r"[\d一二两三四五六七八九十百千万](?:多|来|余|)块(?:钱|)[，,]")


def _wan_is_money(text: str, s: int, e: int) -> bool:
    """Whether a figure of 万 without 元 (四十多万，) is an amount of money: see _MONEY_WORDS."""
    c = max(text.rfind(ch, 0, s) for ch in _CLAUSE_MARKS) + 1
    clause = text[c:s]
    if (
        _MONEY_WORDS.search(clause) is not None
        or _PRICE_OF_ONE.match(clause) is not None
        or _MONEY_NOUN_AFTER.match(text, e) is not None
        or clause.endswith(_GIVEN)
        # 每家省财政给予最高五百万支持 (speech): the support the amount is, named right after it
        or text.startswith(_SUPPORT_AFTER, e)
    ):
        return True
    if c > 1 and _CAP_OF_ONE.search(clause) is not None:
        bc = max(text.rfind(ch, 0, c - 1) for ch in _CLAUSE_MARKS) + 1
        if text[c - 1] in "，," and _MONEY_WORDS.search(text, bc, c - 1) is not None:
            return True
    if c > 2 and text[c - 2 : c] in ("亿，", "亿,") and clause.startswith(("比", "较")):
        # 省里每年安排一点二亿，比今年增加两千万 (speech): the difference from an amount in 亿 said bare just before
        return True
    # 去年合作社卖茶卖了一百二十多万，今年估计能到两百万左右: an amount of 万 said before in the sentence, in a
    # clause of money, and this one goes on with it
    before = text.rfind("万", 0, c)
    if before < 0 or text[before + 1 : before + 2] not in ("，", ",", "元"):
        return False
    if text[before + 1 : before + 2] == "元":
        return True
    bc = max(text.rfind(ch, 0, before) for ch in _CLAUSE_MARKS) + 1
    return _MONEY_WORDS.search(text, bc, before) is not None


# a list of two or more named with how many it is (A公司、B公司两家单位): the clause before 各 opening the next
_EACH_BEFORE = re.compile(
    r"(?P<list>[^（(，；：、]{2,20}(?:、[^（(，；：、]{2,20})+?)[两二三四五六七八九十](?:家|所|个|支|位|名)"
)
# measures of times or places that 个 may stand before (3个位次, 五个航次, 两个批次)
_TIMES_AFTER_GE = ("位次", "航次", "批次", "架次", "班次", "轮次")
# a rank's movement by places: 上升一位, 前进一个位次 (one is a count here)
_MOVES = ("上升", "下降", "前进", "后退", "提升", "前移", "后移", "跃升", "攀升")
# an amount in words without a scale word: a numeral of hundreds or thousands with its digit (一千二百元, 三百元)
_MONEY_IN_WORDS = re.compile(r"[一二两三四五六七八九][百千万亿][零一二两三四五六七八九十百千万亿]*")
_INTO_TOP = ("进入前", "跻身前", "进前", "位居前", "位列前")
# entering the first so many of a class of places named after the country or the province (进入全国创新型城市前四十,
# 跻身全省县域经济强县前十)
_INTO_CLASS_TOP = re.compile(r"(?:进入|进到|跻身|迈入|挺进|进)(?:全国|全省|全市)[^，。；\d]{1,10}[市区县]前$")
# 3个人才团队, 3个人工智能项目, 两个人民团体: 个 counts what follows, not people
_NOT_PEOPLE = frozenset("才员民工事体")
# a comparison with the year before (与上年度相比，…由51.8万元提高到60.3万元)
_YEAR_IN_BRACKETS = re.compile(r"[（(](20\d\d)年(?:底|末|)[）)]")
_VS_LAST_YEAR = re.compile(r"[与同和]上年度?相比|[比较]上年")


def _form_table() -> dict:
    """The rule of each unit that is not a measure word of a count: the quantity and level rules, or the
    form `figure_rule` reads ("money", "%", "百分点"; the unit of a percentage fact)."""
    table = {u: quantity_rule for u in (u.split("(", 1)[0] for u in QUANTITY_UNITS)}
    table |= {
        "%": "%",
        "％": "%",
        "‰": "%",
        "个百分点": "百分点",
        "个多百分点": "百分点",
        "个百分": "百分点",
        "百分点": "百分点",
        "元": "money",
        "": "money",  # 多了一百二十多亿，(speech: 亿 before a stop is an amount in 亿元)
        "级": level_rule,
    }
    table |= dict.fromkeys(KUAI_UNITS, "money") | dict.fromkeys(MAO_UNITS, "money")
    table |= dict.fromkeys(YI_UNITS, "money") | dict.fromkeys(FOREIGN_CURRENCIES, "money")
    return table


def _value(m) -> Decimal | None:
    return number_value(m.group("n"), m.group("sc"))


def _qualifier(m) -> str:
    q1, q0, q2, q3 = m.group("q1", "q0", "q2", "q3")
    return q1 or q0 or q2 or q3 or ""


# a numeral in words of hundreds, thousands or more (六千, 三百, 两万): a count before any measure word
_HUNDREDS_IN_WORDS = re.compile(r"[百千万]")


# a sentence opening on the readiness it lists by (按技术成熟度分：, 从技术就绪度看，)
_TRL_LIST_HEAD = re.compile(r"(?:按|从)(?:技术成熟度|技术就绪度)(?:分|看|来看)[：:，,]")


def level_rule(m, ctx, _unit: str = "级") -> list:
    """技术成熟度达到6级以上, 由4级提升到6级 (the first the year before): technology readiness levels."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    head = ctx.text[:s]
    value = _value(m)
    if value is None or not (
        _DECIMAL.fullmatch(m.group("n"))
        # 技术成熟度现在是六级，我们希望明年到七级 (speech): a readiness level in words, the sentence naming it
        # (a table's cell, 技术成熟度（级）　≥7级　七级, is the table's to read)
        or (
            len(m.group("n")) == 1
            and m.group("n") in "一二三四五六七八九"
            and _TRL.search(head) is not None
            and "\u3000" not in ctx.text
            and "\t" not in ctx.text
        )
    ):
        return []
    if (
        not _TRL.search(head)
        and not _trl_moved_on(ctx, s, e)
        # 按技术成熟度分：…7级以上；攻关中技术多处于4至6级；…在3级以下: the readiness named before the ； of its sentence
        # (its pieces the list's items)
        and not (
            _TRL_LIST_HEAD.search(ctx.whole[max(0, ctx.base - 200) : ctx.base].rsplit("。", 1)[-1])
            is not None
            and ctx.whole[ctx.base - 1 : ctx.base] in ("；", ";")
        )
    ):
        said = _GRADE_SAID.search(head, max(0, s - 12))
        if ctx.text.startswith(_GRADED, e) or _WIND.match(ctx.text, e) or said is not None:
            # 可抗17级台风, 8级地震, 抗风等级不低于12级: a grade on a scale (the unit 级, as a readiness level's)
            period, target = period_of(ctx, s)
            subject = _GRADE_NAME.match(said.group()).group() if said is not None else ctx.text[e : e + 2]
            return [ctx.fact("level", subject, "", value, "级", _qualifier(m), period, s, e)]
        return []
    subject, predicate, _q = strip_trailing(before_phrase(ctx.text, s))
    moved = (
        bool(_MOVED_FROM.search(head))
        and _GOAL_SAID.search(head) is None
        # 攻关目标：…。技术成熟度由4级提升至7级。: a goal said earlier in the paragraph (a list's task) goes on
        and _GOAL_SAID.search(ctx.whole, ctx.head_start, ctx.base) is None
        # （一）…。榜单金额3000万元。…；技术就绪度由4级提升至7级。: a list's item saying what its 榜 requires
        and _LIST_REQUIRES.search(ctx.whole, ctx.head_start, ctx.base) is None
        # 任务要求从4级提升到6级: what a task is required to do starts from now, as a goal's
        and _REQUIRED_FROM.search(head) is None
        # 团队要在3年内把…技术成熟度从4级提升到7级: a task to be done within a time limit, from now
        and _TO_DO_WITHIN.search(head) is None
        # 其中技术成熟度由4级提升到6级以上的十四项: the movement says which of the year's projects, within the year
        and _MOVED_CLASS.match(ctx.text, e) is None
    )
    period, target = period_of(ctx, s, moved_from=moved)
    kind = "target" if target else "level"
    return [ctx.fact(kind, subject.split("由", 1)[0], predicate, value, "级", _qualifier(m), period, s, e)]


# a 榜单's item, its amount or its requirements said earlier in the paragraph (（一）…。榜单金额3000万元。)
# (not （三）高性能碳纤维（榜单金额4000万元，2支团队）。…团队…由4级提升到6级: a result, the amount in the item's name)
_LIST_REQUIRES = re.compile(r"(?<=[。])榜单金额|揭榜(?:要求|条件)")
_MOVED_CLASS = re.compile(r"(?:提升|提高|上升)(?:到|至)\d+级(?:及以上|以上|)的[\d一二两三四五六七八九十百]")
# (要求模块在175摄氏度以上结温下稳定工作，技术成熟度由5级提升到8级: the requirement names a condition first;
# not 按照要求, 根据…的要求: as required, a year's work)
# (榜单要求电芯能量密度达到…，循环寿命不低于1000次，…，技术成熟度由4级提升至7级: a list of requirements in its sentence)
_REQUIRED_FROM = re.compile(r"(?<![按照据的])要求[^。；;\n由从]{0,90}[由从]$")
# a task given a time limit before what it must do (团队要在3年内把…, 须在两年内将…)
_TO_DO_WITHIN = re.compile(
    r"(?:要|须|需|必须|应|应当)(?:在|于)[\d一二两三四五六七八九十]{1,2}(?:年|个月)(?:内|之内|以内)[^。；;\n]{0,30}?[把将]"
)
# a movement of levels (从4级提升到6级): its start (the figure after 由/从, a verb of rising after it) and its end
_LEVEL_MOVE_END = re.compile(r"[由从](?:[^\d，。；由从]{1,5}[前时]的)?\d+级(?:提升|提高|上升)(?:到|至)$")
# a movement's start said at a time of its own (由中试前的5级, 由立项时的4级)
_FROM_THEN = re.compile(r"[由从][^\d，。；由从]{1,5}[前时]的$")
# the sentence before, in the paragraph, saying the readiness level rose (中试后技术成熟度明显提升。)
_TRL_RAISED = re.compile(r"(?:成熟度|就绪度)[^。；\d]{0,6}(?:提升|提高|上升)")
_LEVEL_MOVE_ON = re.compile(r"(?:提升|提高|上升)(?:到|至)\d+级")
# how far back, within the sentence ended by 。 (past a ；), the readiness level may have been named
_TRL_BACK = 120


def _trl_moved_on(ctx, s: int, e: int) -> bool:
    """榜单按技术成熟度分为两类：…验收时达到8级；中试熟化类任务则要求从4级提升到6级: a movement of levels in a part of a
    sentence after ；, the readiness level named in a part before it (not past 。 or a line's end)."""
    head = ctx.text[:s]
    if not (
        (
            (head.endswith(("由", "从")) or _FROM_THEN.search(head, max(0, s - 8)))
            and _LEVEL_MOVE_ON.match(ctx.text, e)
        )
        or _LEVEL_MOVE_END.search(head, max(0, s - 16))
    ):
        return False
    whole, b = ctx.whole, ctx.base
    low = max(whole.rfind("。", 0, b), whole.rfind("\n", 0, b), b - _TRL_BACK) + 1
    if _TRL.search(whole, low, b) is not None:
        return True
    # 中试后技术成熟度明显提升。蓝莓冻干粉工艺由中试前的5级提升到7级: the sentence before in its paragraph says the
    # readiness level rose, this one says of what and how far
    if whole[low - 1 : low] != "。" or _TRL.search(head) is not None:
        return False
    before = max(whole.rfind("。", 0, low - 1), whole.rfind("\n", 0, low - 1)) + 1
    return _TRL_RAISED.search(whole, before, low) is not None


_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
# what a grade on a scale other than readiness grades: winds, earthquakes
_GRADED = ("台风", "大风", "强台风", "地震", "风浪")
# a wind of a grade (可在6级风下正常起降, 8级风时): not 3级风险, 风格, 风貌
_WIND = re.compile(r"(?:阵|)风(?=[下中时天况力])")
# a grade named before the figure in its clause (抗风等级不低于12级, 防护等级达到6级): a grade on its scale
_GRADE_SAID = re.compile(r"(?:抗风|抗震|防风|防护|防爆|抗台风)(?:等级|能力)[^，。；\d]{0,5}$")


_GRADE_NAME = re.compile(r".+?(?:等级|能力)")


# 新获批全国重点实验室一个，其中国家级一个、: one, counted after what it counts, at the clause's end (not 统一个, 其中一个)
_ONE_AT_END = frozenset("，,。；;、")
_ONE_NOT_AFTER = frozenset("一每这那哪其中某任唯之第")


# inside a clause, one standing for what it counts (no noun after it) is counted: after a verb of choosing, a
# verb following (择优一家继续支持; 择优保留一个团队 counts no team), or as “the one … is” (首次开放的一家是…)
_ONE_CHOSEN = ("择优", "遴选", "选出")
_ONE_THEN_VERB = ("继续", "进入", "获得", "承担", "作为", "给予", "予以")


# 最低的一项, 最大的一个: the one of a set a superlative picks out
_PICKED_BY_MOST = re.compile(r"最[\u4e00-\u9fff]{1,3}的$")
# 未完成的一项, 没有达标的一个, 剩下的一项: the one of a set left over, picked out (首次开放的一家是… counts one)
_PICKED_AS_LEFT = re.compile(r"(?:未|没有|没|尚未)[\u4e00-\u9fff]{1,3}的$|(?:剩下|剩余|其余)的$")


# 整改一个、销号一个: a saying of two verbs each done to one (every item in turn), no count
_PAIRED_ONES = re.compile(r"[\u4e00-\u9fff]{2}一([个项家件])[、，,][\u4e00-\u9fff]{2}一\1")


def _paired_ones(text: str, s: int) -> bool:
    return any(m.start() <= s < m.end() for m in _PAIRED_ONES.finditer(text, max(0, s - 8), s + 9))


def _ONE_COUNTED(text: str, s: int, e: int, unit: str) -> bool:
    return (
        # (建设名优茶加工中试线一条，: a line, a machine, a team counted after it too)
        unit in ("个", "家", "所", "座", "项", "条", "台", "套", "支")
        and text[s : s + 1] == "一"
        and s > 0
        and not _paired_ones(text, s)
        and (
            (
                text[e : e + 1] in _ONE_AT_END
                and "\u4e00" <= text[s - 1] <= "\u9fff"
                and text[s - 1] not in _ONE_NOT_AFTER
                # (还有一条，: one more point of a speech, no line counted)
                and not (unit in "条台套支" and text[s - 1] == "有")
                # (是各一级指标中最低的一项。: the one of a set that is lowest, picked out, not counted)
                and _PICKED_BY_MOST.search(text, max(0, s - 6), s) is None
            )
            or (text.endswith(_ONE_CHOSEN, 0, s) and text.startswith(_ONE_THEN_VERB, e))
            or (
                text[s - 1] == "的"
                and text[e : e + 1] == "是"
                # (未完成的一项是模组成组效率: the one left of a set said before, picked out as by a superlative)
                and _PICKED_AS_LEFT.search(text, max(0, s - 6), s) is None
            )
            # 在翙阳、蘡岭各建一个分中心: one for each place of the list (FACTS_KEY: a list of places before 各)
            or (_EACH_ONE.search(text, max(0, s - 5), s) is not None and "、" in text[max(0, s - 24) : s])
        )
    )


_EACH_ONE = re.compile(r"各(?:新建|建成|建设|建|设立|设|布局|组建|打造|培育|认定|引进|)(?:至少|)$")


_ABOUT_PAIR = re.compile(r"[一两二三四五六七八九][二三四五六七八九]")


def _ABOUT_SO_MANY(raw: str) -> bool:
    """两三, 三四, 七八: two neighbouring numerals say about so many (一二 … 八九), not a figure."""
    return (
        len(raw) == 2 and _ABOUT_PAIR.fullmatch(raw) is not None and "一二两三四五六七八九".find(raw[0]) >= 0
    )


_THESE = frozenset("这那")

# a count in words before these (两项合计) or after these (上述三家) counts what was just listed: not a fact
_SUMMED = frozenset(("合计", "共计", "总计"))
# 两个领域合计贡献了…: the count names what is summed (a few characters between)
_SUMMED_AFTER = re.compile(r"[^\d，。；、]{1,4}(?:合计|共计|总计)")
_REFERRED = frozenset(("上述", "前述"))
_EACH_OTHER = re.compile(r"[^，,。；;、\d]{1,6}?(?:互相|相互|互派|互认|互设|互访|互为)")
_US_TWO = frozenset(("我们", "你们", "他们", "咱们", "双方"))
# (not 我们三家企业、两所高校一起…: a count of a noun after it)
_WE_DID = re.compile(r"去年|今年|明年|都|也|一起|共同|联合|合作|签|是|已经|还|[，,。；]")
_REGISTERED_CLASSES = ("创新药", "新药", "化学药", "中药", "生物制品", "医疗器械", "疫苗")
# a list in the clause right before a count (A、B、C三个领域合计, A和B两项合计): the count is the list's
_LISTED_IN_CLAUSE = re.compile(
    r"(?:^|[，,。；;：:\n])[^，,。；;：:\n]*(?:、|[\u4e00-\u9fff][和及与][\u4e00-\u9fff])[^，,。；;：:\n、]*$"
)
# (a name a site redacted, 〔隐去〕, is a name too)
_NAMES_BEFORE = re.compile(r"(?:[\u4e00-\u9fff]{2}|〔隐去〕)、(?:[\u4e00-\u9fff]{2}|〔隐去〕)$")
_REDACTED = "〔隐去〕"
_LIST_AFTER = re.compile(r"[^，。；：:、\d]{0,8}[：:]")
_HELD = ("举办", "举办了", "召开", "召开了", "办了")
_HELD_WHAT = re.compile(r"(?:举办|召开)了?[^，,。；;：:\d第届]{1,8}$")
_RATED = ("评为", "获评", "被评为", "评估为", "评价为", "评定为", "入选")
# what a rule's condition ends on: 的 before the clause's comma (连续两次评价为良好以上的，优先推荐申报…)
_RULE_CONDITION = re.compile(r"[^，,。；;：:]{1,12}的[，,]")

# a span of time that says when (前10个月, 近5年累计, 三年来), not how long
_SPAN_UNITS = frozenset(("年", "个月", "天", "周"))
_WINDOW_AFTER = ("累计", "以来", "来")


def _event_days_summed(text: str, s: int, e: int, unit: str) -> bool:
    """两天累计3.1万余人次, 三天累计签约…: the days an event lasted, its figures summed over them (as 两天时间里 is read),
    not a window back from now (近三天累计, 前两天累计, 这三天来)."""
    return (
        unit == "天" and text.startswith("累计", e) and text[s - 1 : s] not in ("近", "前", "这", "去", "后")
    )


# units of quantities a number in words counts (为期三天, 六个月内): spans of time
_WORDS_QUANTITY_UNITS = frozenset(
    ("天", "晚", "周", "个月", "个多月", "倍", "个工作日", "工作日", "日", "个小时", "个多小时", "英寸")
)  # 增长一倍 too; 八英寸氧化镓衬底 (a wafer's size)
# weights and areas said in speech with a numeral in words (七斤, 八两左右, 一斤多, 十来亩): a figure when it is two or
# more or says about (多, 来, 余); 一亩, 一斤 alone are said in passing (一亩三分地)
# (lengths too: 精度已经到了五纳米, 只有三十微米厚)
_SPOKEN_MEASURES = frozenset(("斤", "两", "亩", "公斤", "吨", "千克", "海里", "纳米", "微米", "毫米"))
# 一个月都批不下来, 一天就能办完: one of a span with an adverb after it, said in passing (speech), not a figure
_IN_PASSING = frozenset("都就也才还要能可")
_BY_ONE_MORE = re.compile(
    r"(?:多出|多了|少了|长出|短了|差了)$"
)  # (一个月能走四百多单: the span a rate is counted over)
# 1000标准立方米/小时, 4.3千瓦时/标准立方米: a unit per a unit, the second after a slash
_PER_UNIT = re.compile(
    "|".join(
        sorted(
            {u for u in QUANTITY_UNITS if re.fullmatch(r"[\u4e00-\u9fff]+", u)}
            | {"升", "克", "秒", "人", "年", "月", "次", "台", "件", "平方厘米", "立方厘米", "方块"},
            key=len,
            reverse=True,
        )
    )
)


# what a number of years in words follows when it says how long (不超过三年, 实施期四年, 分三年拨付, 限期两年)
# the time left before a deadline (还有四个月，, 只剩10天。)
_TIME_LEFT = re.compile(r"(?:还有|还剩|只剩|仅剩|剩下|就剩)$")
_NIGHTS_CUE = re.compile(r"(?:为期|连续|历时|持续|一连|共)$")
# (…均与省内单位合作十年以上, 我在这里工作了六年: how long someone has worked or worked with us)
_DURATION_CUE = re.compile(
    # (原来估计要三年, 大概需要两年: how long it takes, said in speech; 成立四年: how long a firm has been)
    # (中试基地已运行六年: how long a facility has run, as 成立四年)
    # (在船舶企业搞了二十多年技术, 干了三十年: how long one has worked, said in speech)
    r"(?:超过|为期|期|期为|期一般为|期限为|期限一般为|分|历时|用时|长达|延长|满|需要|估计要|(?:工作|合作|扎根|坚守|成立|运行|运营)了?"
    r"|(?:干|搞)了"
    # (取消申报资格两年: how long a ban lasts, as 3年内不得申报)
    r"|资格)$"
)
# 我来桠祾已经七年了: how long it has been, said in speech (已经 … 了)
_BEEN_SO_LONG = re.compile(r"已经?$")
# a class's bound before years in words and 的 (闲置超过两年的, 不足三年的; not 满三年的, a time served)
_CLASS_BOUND_BEFORE = re.compile(r"(?:超过|不足)$")
# a cycle's length set (周期至少要放到五年, 周期延长到三年, 周期定为四年)
_CYCLE_SET_TO = re.compile(r"周期[^，,。；;\d]{0,5}?(?:放到|放宽到|延长到|延长至|定为|设为|调整为|改为)$")
# what it is followed by when it names a plan or says when (三年行动计划, 三年内, 三年来)
# what follows a number of years in words when it says how long a cycle is (五年一个周期, 三年为一个周期)
_CYCLE_AFTER = ("一个周期", "为一个周期", "一周期", "为一周期")
# the last years of a term after its first ones (前3年租金全免、后2年减半)
_TERM_PARTED = re.compile(r"[^，。；！？]{0,16}[、，,]后(?:\d{1,2}|[一二两三四五六七八九十])(?:年|个月)")
_ASSESSED_EVERY = ("一评估", "一评价", "一考核", "一评")
_NOT_DURATION = ("行动", "计划", "规划", "来", "以来", "内", "间", "累计", "前", "后", "级", "度", "的")


def _years_in_words(m, text: str, base: int, e: int) -> bool:
    """(一年 is not read: 过去一年, 一年来, 限期一年 are said in passing, as 一批 and 一个 are not counts)"""
    n = m.start("n") - base
    if text.startswith(_WITHIN, e):
        # 三年内不得再次申领 (how long a ban lasts), 我们要求两年之内拿出新品种, 力争两年内引进 (a time limit, as
        # 3年内完成 is read); not 近五年内 (a window back from now)
        return m.group("n") != "一" and text[n - 1 : n] not in ("近", "前")
    if text.startswith("后", e) and text[n - 1 : n] == "在" and _APPLY_AGAIN.match(text, e + 1):
        # 依托单位可在两年后重新申报: how long one waits to apply again (as 3年内不得重新申报 is a ban's length)
        return m.group("n") != "一"
    if text.startswith("的", e) and m.group("n") != "一" and _SHORTENED_AFTER.match(text, e + 1) is not None:
        # 把原来要做两年的实验缩短到三个月: how long the work took, shortened (the time it is cut to is read too)
        return True
    if _span_said_so(m, text, n, e):
        return True
    if (
        text.startswith("的", e)
        and m.group("n") != "一"
        and _CLASS_BOUND_BEFORE.search(text, max(0, n - 2), n) is not None
    ):
        # 资金闲置超过两年的科技项目有七个: a class's bound in years, said in words (as 逾期超过15天的 in digits)
        return True
    if (
        m.group("n") != "一"
        and text.find("周期", max(0, n - 10), n) >= 0
        and _CYCLE_SET_TO.search(text, max(0, n - 10), n) is not None
    ):
        # 考核周期至少要放到五年: how long a cycle is set to last
        return True
    if text.startswith(_NOT_DURATION, e):
        return False
    if text.startswith(_CYCLE_AFTER, e):
        return m.group("n") != "一"  # 基地实行五年一个周期的动态管理: how long a cycle lasts
    if text.startswith(_ASSESSED_EVERY, e):
        # 中试基地实行年度报告和三年一评估制度: how often it is assessed, a cycle (not a slogan in quotes, “三年一评、
        # 动态调整”, a name)
        return m.group("n") != "一" and not _in_quotes(text, n)
    if (r := _YEARS_RANGE_FROM.search(text, max(0, n - 6), n)) is not None and text[
        r.start() - 1 : r.start()
    ] not in (_WINDOW_BEFORE):
        # 大概需要三到五年: a range of years in words says how long, two figures as 3到5年 is (FACTS_KEY: a range); not
        # a window (未来三到五年, 近三到五年)
        low, high = cn_number(r.group("low")), cn_number(m.group("n"))
        return low is not None and high is not None and 0 < low < high
    if text.find("时间", max(0, n - 6), n) >= 0 or text.find("寿命", max(0, n - 6), n) >= 0:
        # 无故障连续工作时间达到一年, 设计寿命达到三十年: a time measured reaching so long (one year too); 选育时间从八年
        # 缩短到五年左右: a time said moving (below)
        return _TIME_REACHED.search(text, max(0, n - 6), n) is not None or (
            m.group("n") != "一" and _span_moved(text, n, e)
        )
    if m.group("n") == "一":
        return False
    if _DURATION_CUE.search(text, max(0, n - 5), n) is not None:
        return True
    if text.startswith("了", e) and _BEEN_SO_LONG.search(text, max(0, n - 2), n) is not None:
        return True
    return _span_moved(text, n, e)


# 开展为期三年的跟踪服务 (for how long, said before a noun with 的), 一盯就是三年 (speech: once begun, it lasts so long)
_SPAN_SAID_SO = re.compile(r"(?:为期|一(?![年天月周个])[\u4e00-\u9fff]就是)$")


def _span_said_so(m, text: str, n: int, e: int) -> bool:
    """为期三年的跟踪服务, 一干就是五年: a number of years in words said as how long (not 一年, not 三年行动计划)."""
    return (
        m.group("n") != "一"
        and _SPAN_SAID_SO.search(text, max(0, n - 4), n) is not None
        and not text.startswith(("行动", "计划", "规划"), e)
    )


def _span_moved(text: str, n: int, e: int) -> bool:
    """周期从过去的五年左右缩短到三年: a time said moving, both ends (not 从三年级, 三年前: _NOT_DURATION)."""
    return _SPAN_MOVED_TO.search(text, max(0, n - 6), n) is not None or (
        _SPAN_MOVED_FROM.search(text, max(0, n - 6), n) is not None
        and _SPAN_MOVING.match(text, e) is not None
    )


# the first figure of a range of years in words, right before the second (三到五年, 两至三年)
_YEARS_RANGE_FROM = re.compile(r"(?P<low>[一二两三四五六七八九十]{1,2})(?:到|至|—|～)$")
_WINDOW_BEFORE = frozenset("近前后这来今")  # (未来三到五年, 今后两到三年, 近三至五年: when, not how long)
_SHORTENED_AFTER = re.compile(r"[^，,。；;\d]{1,6}(?:缩短|压缩|减少|降低)(?:到|至)")
_APPLY_AGAIN = re.compile(r"(?:方可|才能|才可|可以|可|)(?:重新|再次|再)(?:申报|申请|申领|认定|参评)")
_SPAN_MOVED_FROM = re.compile(r"(?:由|从)(?:过去的|原来的|以前的|之前的|)$")
_SPAN_MOVED_TO = re.compile(r"(?:缩短|延长|压缩|减少|增加)(?:到|至|为)$")
_SPAN_MOVING = re.compile(r"(?:左右|以上|多|)(?:缩短|延长|压缩|减少|增加)(?:到|至|为)")
_TIME_REACHED = re.compile(r"(?:时间|寿命)(?:达到|达|为|超过|不少于|不低于|不短于)$")


_WITHIN = ("内", "之内", "以内")
# 年轻了近两岁, 大了三岁: how far two ages are apart
_AGES_APART = re.compile(r"(?:年轻|小|大|年长|降低|下降|提高|增加)了?(?:近|约|将近|)$")


def trl_rule(m, ctx) -> list:
    """TRL7, 达到TRL 6以上: a technology readiness level written without 级."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    head = ctx.text[:s]
    subject, predicate, _q = strip_trailing(before_phrase(ctx.text, max(0, s - 3)))
    moved = bool(_MOVED_FROM.search(head.removesuffix("TRL"))) and _GOAL_SAID.search(head) is None
    period, target = period_of(ctx, s, moved_from=moved)
    kind = "target" if target else "level"
    value = Decimal(int(m.group("tn")))
    return [ctx.fact(kind, subject.split("由", 1)[0], predicate, value, "级", m.group("tq"), period, s, e)]


# a goal said before a readiness level's movement (目标：…由TRL4提升至TRL7): it starts from now
# (主要技术指标：…由4级提升至7级: the targets a body sets itself, as 考核指标：)
_GOAL_SAID = re.compile(r"(?:目标|考核指标|技术指标|考核要求)[:：]")
_CLAUSE_TRL = re.compile(r"(?:成熟度|就绪度|TRL)[^，。；：]{0,12}$", re.IGNORECASE)


def trl_words_rule(m, ctx) -> list:
    """技术就绪度从5提升到7 (the first the year before), 技术就绪度（TRL）应达到7及以上: a level without 级 or
    TRL, read only where the clause names the readiness level just before it."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    head = ctx.text[:s]
    if not _CLAUSE_TRL.search(head, max(0, s - 24)):
        return []
    subject, predicate, _q = strip_trailing(before_phrase(ctx.text, s))
    period, target = period_of(
        ctx, s, moved_from=head[-1:] in ("由", "从") and _GOAL_SAID.search(head) is None
    )
    kind = "target" if target else "level"
    value = Decimal(int(m.group("twn")))
    subject = re.split("[由从]", subject, maxsplit=1)[0]
    return [ctx.fact(kind, subject, predicate, value, "级", m.group("twq"), period, s, e)]


# an index's value said bare (综合效用值为31.47, 创新投入指数71.2, 指数差距为41.2, 综合指数达到72以上): the index
# word, then at most a verb, right before the figure in its clause
_INDEX_VALUE = re.compile(
    r"(?:指数|效用值)(?:差距|)(?:要|将|力争|应|分别|)(?:为|是|达到|达|升至|提高到|提升到|相差|)(?:约|)$"
    # (…，主要是创新投入指数下降了2.4: its change said right after the index's name, of the year)
    r"|指数(?:比上年|较上年|)(?:提高|提升|上升|下降|降低|回落)了(?:约|)$"
)
# the second of two values said after 分别为 (城市创新指数分别为118.7和102.3; 槭阳市、桠原市分别为94.6和91.8)
_SECOND_OF_TWO = re.compile(r"分别(?:为|是|达到)\d{1,3}(?:\.\d+|)[和、与]$")
# places listed, then 分别为 (槭阳市、桠原市分别为94.6和91.8), after an index's value of the piece before
_PLACES_EACH = re.compile(r"^(?:[一-鿿]{2,4}[省市县区][、和与])+[一-鿿]{2,4}[省市县区]分别(?:为|是|达到)$")
# a clause of nothing but the verb, after a clause naming the index (其中创新主体指数提高最多，达3.2; 湑州市的综合指数最高，
# 为80.2), or after a place and its superlative, an index's value said before in the sentence (…，洨江市最低，为58.7)
_BARE_VERB = re.compile(r"^(?:达|为|是|达到)$")
_INDEX_NAMED_BEFORE = re.compile(r"(?:指数|效用值)[^，,。；;\d]{0,8}[，,]$")
# (a place the page redacted, 〔隐去〕市最低，为58.7, as named)
_PLACE_SUPERLATIVE_BEFORE = re.compile(
    r"(?:[一-鿿]{2,4}|〔隐去〕)[省市县区](?:的[^，,。；;\d]{0,6}|)最(?:高|低)[，,]$"
)
# the base of an index said as a level (以欧盟平均水平为100, 以全国平均水平为100): of the report's year
_INDEX_LEVEL_BASE = re.compile(r"以[^，,。；;\d]{2,12}水平为$")
# a data centre's power usage effectiveness, a ratio without a unit (电能利用效率（PUE）降至1.18, PUE全部控制在1.25以下)
_PUE_VALUE = re.compile(
    r"PUE[）)]?[^，,。；;\d]{0,4}?(?:为|是|达到|降至|降到|控制在|低于|不高于|不超过|)(?:约|)$"
)
# its change said after it in the sentence (…为68.35，比上年提高3.18，年均提高约3.06), its base (（以2020年为50）)
_INDEX_CHANGE = re.compile(
    # (创新产出指数比上年下降0.8: the index named before its change)
    r"^(?:[^，,。；;\d]{0,8}指数|)(?:比上年|较上年|同比|年均|)(?:提高|提升|增加|上升|下降|降低|缩小|扩大|回落)了?(?:约|)$"
    # (漙岈省综合指数为78.92，居全国第8位，高出我省7.56: its lead over ours)
    r"|^(?:高出|高于|低于|领先|落后于?)(?:我省|我市|我县|我们)(?:约|)$"
)
# (以2020年全省平均为60: the base an average of that year is given)
_INDEX_BASE = re.compile(r"以(20\d\d)年(?:全国|全省|全市|全县|)(?:平均水平|平均值|平均|)为$")
# an index's indicators named (从二级指标看, 各一级指标中) and a clause of nothing but a change (提高9.6, 分别下降0.8和0.5)
_SUB_INDICATOR = re.compile(r"[一二三]级指标")
_CHANGE_ONLY = re.compile(
    r"^(?:比上年|较上年|同比|)(?:分别|)(?:提高|提升|上升|增加|下降|降低|回落)了?(?:约|)$"
)
_SECOND_CHANGE = re.compile(r"分别(?:提高|提升|上升|增加|下降|降低|回落)了?\d{1,3}(?:\.\d+|)[和、与]$")
# a place named bare before its value, the index said before it (漹川市创新能力指数为86.7，…；磢原市74.3，)
_PLACE_BARE = re.compile(r"^[一-鿿]{2,4}[省市县区]$")
# a place and a verb before its value, an index's value said before in the sentence (…的综合指数最高，为80.3；峦阳市为
# 72.8，由上年的第3位升至第2位)
_PLACE_SAID = re.compile(r"^[一-鿿]{2,4}[省市县区](?:为|是)$")
_REDACTED_PLACE_SAID = re.compile(r"[省市县区](?:为|是)")
_PLACE_WORDS = ("省", "市", "县", "区")
# an average's index (全国平均为86.7) or a lead over it (我省高出全国平均5.7), after an index's value said bare
_AVERAGE_INDEX = re.compile(
    r"^(?:全国|全省|全市|欧盟)平均(?:水平|值|)(?:为|是|达到|)$|(?:高出|高于|低于)(?:全国|全省|全市|欧盟)平均(?:水平|值|)(?:约|)$"
)
_INDEX_SAID = re.compile(r"指数[^，,。；;\d]{0,8}(?:为|是|达到|达)\d{1,3}(?:\.\d+|)(?=[，,；;（(。])")
_INDEX_SAID_BEFORE = re.compile(
    r"指数[^，,。；;\d]{0,8}[，,](?:为|是|达到|达)\d{1,3}(?:\.\d+|)(?=[，,；;（(])"
)
_BARE_INDEX_BEFORE = re.compile(r"(?:指数|效用值)[^，,。；;\d]{0,4}\d{1,3}(?:\.\d+|)(?=[，,；;（(和])")


def index_value_rule(m, ctx) -> list:
    """综合指数为68.35（以2020年为50），比上年提高3.18; 创新投入指数71.2; 漹川市创新能力指数为86.7，…；磢原市74.3: an
    index's value written bare (an index has no unit): a quantity without one, where its clause names the index
    just before it, says its change or its base year after an index's value in the sentence, or names a place
    after an index's value of the piece before (a list parted by ；). Any other bare number is no fact."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    text = ctx.text
    d = _UP_TO_LAST_DELIM(text, 0, s)
    clause = text[d.end() : s] if d is not None else text[:s]
    period = ""
    cut = d.end() if d is not None else 0
    if (
        _BARE_VERB.match(clause.strip()) is not None
        and (
            _INDEX_NAMED_BEFORE.search(text, max(0, cut - 24), cut) is not None
            or (
                _PLACE_SUPERLATIVE_BEFORE.search(text, max(0, cut - 16), cut) is not None
                # (…的综合指数最高，为104.6；锜城市最低，为78.2: the index named before the ； in its sentence)
                and (
                    "指数" in text[:s]
                    or "指数" in ctx.whole[max(0, ctx.base - 200) : ctx.base].rsplit("。", 1)[-1]
                )
            )
        )
    ):
        pass  # 其中创新主体指数提高最多，达3.2; 湑州市的综合指数最高，为80.2，洨江市最低，为58.7
    elif (
        _AVERAGE_INDEX.search(clause) is not None
        and _INDEX_SAID.search(ctx.whole[max(0, ctx.base - 200) : ctx.base] + text[:s]) is not None
    ):
        pass  # …综合指数为92.4…。全国平均为86.7，我省高出全国平均5.7: the average's index and our lead over it
    elif _INDEX_LEVEL_BASE.search(clause) is not None and "指数" in text:
        pass  # 以欧盟平均水平为100 (the base of the index the sentence weights)
    elif (base := _INDEX_BASE.search(clause)) is not None and "指数" in text[:s]:
        # 创新指数由…四个一级指标构成，以2020年为50，采用…: the base of the index the sentence names, of its year
        period = base.group(1)
    elif (
        (_CHANGE_ONLY.match(clause.strip()) is not None or _SECOND_CHANGE.search(clause) is not None)
        and (
            _SUB_INDICATOR.search(text, 0, s) is not None
            # (…提高9.6；下降的2个是…，分别下降0.8和0.5: named before the ； of its sentence)
            or _SUB_INDICATOR.search(ctx.whole[max(0, ctx.base - 200) : ctx.base].rsplit("。", 1)[-1])
            is not None
        )
        and "指数" in ctx.whole
    ):
        # 从二级指标看，…提高最快的是风险投资，提高9.6；…分别下降0.8和0.5: an index's indicators (its 一级 / 二级 / 三级
        # 指标) named in the sentence, a clause of nothing but their change: the change of its value, bare as the value
        pass
    elif (second := _SECOND_OF_TWO.search(clause)) is not None and (
        _INDEX_VALUE.search(clause, 0, second.start() + 3) is not None
        or _PLACES_EACH.match(clause.strip()[: len(clause.strip()) - len(second.group()) + 3]) is not None
    ):
        pass  # 城市创新指数分别为118.7和102.3: the second of the two, as the first
    elif _INDEX_VALUE.search(clause) is None and (
        "PUE" not in text or _PUE_VALUE.search(text, max(0, s - 12), s) is None
    ):
        if _BARE_INDEX_BEFORE.search(text, 0, s) is None and (
            # (…的综合指数最高，为104.6；锜城市最低，为78.2，但提高最快，比上年提高5.3: an index's value said before the ；
            # of its sentence, its clause read as the value's change below)
            _INDEX_SAID_BEFORE.search(
                ctx.whole[max(0, ctx.base - 200) : ctx.base].rsplit("。", 1)[-1] + text[:s]
            )
            is None
        ):
            if (
                _PLACE_BARE.match(clause.strip()) is None
                and _PLACES_EACH.match(clause.strip()) is None
                and not (
                    # 〔隐去〕市74.3: a place the page redacted, as named (the mark's 〕 ends no clause)
                    clause in _PLACE_WORDS and text.endswith("〔隐去〕", 0, cut)
                )
            ):
                return []
            whole, base = ctx.whole, ctx.base
            before = whole[max(0, base - 80) : base]
            if (
                not before.endswith(("；", ";"))
                or _BARE_INDEX_BEFORE.search(before.rsplit("。", 1)[-1]) is None
            ) and not (
                # 砬阳市、碛川市分别为91.5和83.7。 after a sentence of the index's values (…最低，为78.2，…): the first of the
                # two, as the second is read
                before.endswith("。")
                and _PLACES_EACH.match(clause.strip()) is not None
                and text.startswith("和", e)
                and _INDEX_SAID_BEFORE.search(before.rsplit("。", 2)[-2] + "。") is not None
            ):
                return []
        elif (base := _INDEX_BASE.search(clause)) is not None:
            period = base.group(1)
        elif (
            _INDEX_CHANGE.match(clause.strip()) is None
            # (…的综合指数最高，为80.3，…；峦阳市为72.8: another place's value, said with its verb)
            and _PLACE_SAID.match(clause.strip()) is None
            # (〔隐去〕市为72.8: a place the page redacted, as named; the mark's 〕 ends the clause read)
            and not (_REDACTED_PLACE_SAID.fullmatch(clause.strip()) and text.endswith("〔隐去〕", 0, cut))
        ):
            return []
    if not period:
        period, target = period_of(ctx, s)
    else:
        target = False
    kind = "target" if target else "quantity"
    subject, predicate, _q = strip_trailing(before_phrase(text, s))
    return [ctx.fact(kind, subject, predicate, Decimal(m.group("bn")), "", m.group("bq"), period, s, e)]


_AFTER_A_FIGURE = ("以上", "以下", "左右", "多", "余", "的", "上下")


def quantity_rule(m, ctx, unit: str) -> list:
    """160瓦时/千克, 零下30摄氏度 (−30), 3000小时, 3弧分: the unit as written (℃ read as 摄氏度)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    value = _value(m)
    digits = (
        m.group("n")[:1].isdigit()
        or unit in _WORDS_QUANTITY_UNITS  # 为期三天, 六个月
        or (unit == "年" and _years_in_words(m, ctx.text, ctx.base, e))  # 不超过三年 (not 三年行动)
        # 一点八万平方米, 三万二千亩: a numeral with a scale or a decimal point is a figure
        or (m.group("sc") or "点" in m.group("n") or "万" in m.group("n") or "亿" in m.group("n"))
        # 八百多斤, 一千二百米: a numeral of hundreds or thousands (百米, 千米 alone are names of distances)
        or (len(m.group("n")) > 1 and ("百" in m.group("n") or "千" in m.group("n")))
        or (unit in _SPOKEN_MEASURES and value is not None and (value >= 2 or _qualifier(m)))
        # 四十岁以下的占了八成, 五十岁以上的占百分之四十三: an age in words of ten or more
        or (unit in ("岁", "周岁") and value is not None and value >= 10)
        # 比上届年轻了近两岁: a difference of ages
        or (unit == "岁" and _AGES_APART.search(ctx.text, max(0, s - 6), s) is not None)
    )
    if value is None or not digits or (unit == "等" and "星等" not in ctx.text):
        return []
    if (
        unit == "亩"
        and m.group("n") in ("百", "千", "万")
        and "\u4e00" <= ctx.text[e : e + 1] <= "\u9fff"
        and not ctx.text.startswith(_AFTER_A_FIGURE, e)
    ):
        # 在浰川市百亩示范方实收测产, 千亩示范片: a field named by its scale, as 亿元级企业 is a class (FACTS_KEY), no figure
        return []
    if ctx.text[e : e + 1] == "级" and not m.group("n")[:1].isdigit():
        # 实现千吨级量产, 万吨级: a class said in words, as 亿元级企业 (FACTS_KEY), not an amount (16兆瓦级 in digits
        # is the capacity the earlier keys record)
        return []
    if (
        unit in _SPAN_UNITS
        and _TIME_LEFT.search(ctx.text, max(0, s - 3), s) is not None
        and ctx.text[e : e + 1] in _CLAUSE_ENDS
    ):
        return []  # 全年目标是…，还有四个月，时间紧: the time left before a deadline, said in passing
    if unit == "晚" and _NIGHTS_CUE.search(ctx.text, max(0, s - 4), s) is None:
        return []  # (一晚, 当晚: said in passing; 为期三晚, 连续两晚 say how long)
    if (
        not m.group("n")[:1].isdigit()
        and (
            _ABOUT_SO_MANY(m.group("n"))
            or (m.group("n") == "一" and ctx.text[e : e + 1] in _IN_PASSING)
            or (m.group("n") == "一" and ctx.text[s - 1 : s] in _THESE)
            # 要让它早一天走进工厂: sooner, said in passing
            or (m.group("n") == "一" and unit == "天" and ctx.text[s - 1 : s] in ("早", "晚"))
            # 要等一个多月 (speech): a month and more said in passing, as 一年 is (dev8-30, dev23-06 leave it)
            or (m.group("n") == "一" and unit == "个多月")
            # 比我们多出一个月 (speech): by one, said in passing, as 提前两年完成 in words is
            or (m.group("n") == "一" and _BY_ONE_MORE.search(ctx.text, max(0, s - 3), s) is not None)
        )
    ):
        return []  # 两三天; 一个月都批不下来; 这一天，…来到 (a day of the story, not how long)
    if unit.startswith("年") and _YEAR_NUMBER.fullmatch(m.group("n")):
        return []  # 2023年: a year, not three years
    if (
        unit in _SPAN_UNITS
        and (
            (
                ctx.text[s - 1 : s] in ("前", "满")
                # (比合同约定的时间提前20天完成: how much earlier, in digits, as 延期4个月; 提前两年完成 in words is said in
                # passing, as the keys have it)
                and not (ctx.text[s - 2 : s] == "提前" and m.group("n")[:1].isdigit())
                # (研发用房前3年租金全免、后2年减半: a term parted into its first and last years, each a duration)
                and not (ctx.text[s - 1 : s] == "前" and _TERM_PARTED.match(ctx.text, e) is not None)
            )
            or (
                ctx.text.startswith(_WINDOW_AFTER, e)
                and not _event_days_summed(ctx.text, m.start("n") - ctx.base, e, unit)
            )
            # 近三个月情况如下: the months a table after it covers, a window (as 近五年内)
            or (ctx.text.startswith("情况", e) and (m.group(_Q1) == "近" or ctx.text[s - 1 : s] == "近"))
        )
    ):
        # 前10个月, 近5年累计, 5年来: the time the figures after it cover, not a figure; 运行满三年, 全职工作满1年:
        # a time served, said as a threshold or in passing
        return []
    if unit in _SPAN_UNITS and ctx.text.endswith("连续", 0, s):
        # 连续5年保持两位数增长, 连续5个月负增长: years in a row before a state, in digits as in words (连续三年居全省
        # 第一): the state's rank or figure is the fact, not the count of years (FACTS_KEY, session 25)
        return []
    if _in_quotes(ctx.text, s):
        return []  # “7×24小时”服务: a name
    if (
        ctx.text[max(0, s - 2) : s] == "零下"
        or ctx.text[s - 1 : s] in ("-", "−")
        and s
        and not ctx.text[s - 2 : s - 1].isdigit()  # 3-5年: a range's hyphen, not a minus
    ):
        value = -value
    subject, predicate, q = strip_trailing(before_phrase(ctx.text, s))
    verb, subject = strip_leading_verb(subject)
    period, target = period_of(ctx, s, own_year=unit != "倍")
    kind = "target" if target else "quantity"
    unit = _UNIT_ALIASES.get(unit, unit)
    if ctx.text[e : e + 1] == "/" and "/" not in unit and (per := _PER_UNIT.match(ctx.text, e + 1)):
        unit, e = f"{unit}/{per.group()}", per.end()  # 1000标准立方米/小时
    # 两个多小时, 五个多月: about, the 多 inside the unit
    said_more = "多" if m.group(_U).strip() in ("个多小时", "个多月") else ""
    return [
        ctx.fact(kind, subject, predicate or verb, value, unit, _qualifier(m) or said_more or q, period, s, e)
    ]


_FORMS = _form_table()
# units that scale the number: 2.1‰ is 0.21 %; 1.2个亿 is 120000000 元
_ODD_SCALES = (
    {"‰": lambda v: plain(v / 10)}
    | dict.fromkeys(YI_UNITS, lambda v: plain(v * 100_000_000))
    | dict.fromkeys(MAO_UNITS, lambda v: plain(v / 10))
)
_HAS_DIGIT = re.compile(r"\d").search
# 均 right before a figure's verb (A、B得分率均超过90%, 两市增速均达到): the figure is each one's
_EACH_OF_THE_LISTED = re.compile(r"均[^，,。；;、]{0,4}$")
_LEADING, _UP_TO_LAST_DELIM = LEADING.match, UP_TO_LAST_DELIM.match
_N, _SC, _U, _Q1, _Q0, _Q2, _Q3 = (_PATTERN.groupindex[g] for g in ("n", "sc", "u", "q1", "q0", "q2", "q3"))


RULES = {
    "target": target_marker,
    "year": year_marker,
    "fyp": plan_end_marker,
    "date": date_rule,
    "cdate": cn_date_rule,
    "rank": rank_rule,
    "share": share_rule,
    "disc": discount_rule,
    "big": big_count_rule,
    "fig": figure_rule,
    "frac": fraction_rule,
    "sfrac": slash_fraction_rule,
    "double": doubling_rule,
    "first": first_rank_rule,
    "top": top_rule,
    "range": range_rule,
    "trl": trl_rule,
    "trlw": trl_words_rule,
    "bare": index_value_rule,
}
