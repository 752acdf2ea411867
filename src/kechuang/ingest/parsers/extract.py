"""Facts from repaired text: counts with measure words, money, percentages and percentage points, ranks,
dates, technology readiness levels, physical quantities and targets.

A pipeline: the text is cut into sentences, each figure is found by one pattern (`_PATTERN`, a branch per
form), and the rule for its form (`rules.RULES`) turns it into facts with the sentence's context (the
report's year, a target year said before it, the subject of the previous count). Each fact carries what
is counted (subject), the verb that states it (predicate), value, unit, qualifier (余/以上/超...), period,
the sentence and its offsets in the repaired text (and in the original, when the repair result is
given). Pure: no database.
"""

import re
from bisect import bisect_left, bisect_right
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, count
from operator import add

from . import doubt, scan
from .charsets import HAN
from .numbers import CN_NUMERALS, _scaled_value, cn_number
from .subjects import SUBJECT_STRIP

__all__ = ["KINDS", "MEASURES", "Fact", "cn_number", "extract_facts"]

KINDS = ("count", "money", "percent", "points", "rank", "date", "level", "quantity", "target")
# measure words of counts, longest first (场次 before 场, 台（套） before 台)
MEASURES = (
    "台（套）",
    "台（件）",
    "件（套）",
    "人年",
    "人天",
    "位次",
    "航次",
    "架次",
    "台(套)",
    "台(件)",
    "件(套)",
    "场次",
    "批次",
    "人次",
    "家次",
    "户次",  # 上门辅导3200余户次 (a household or firm served once)
    "份次",  # 提供种质资源6300份次, 技术支撑服务2.2万项次 (an item served once)
    "项次",  # 提供检测、研发等服务2870项次 (a service given once to a client)
    "车次",  # 开展测试1.1万车次 (a vehicle's run, as 架次 a flight)
    "件次",  # 维修展品1840件次 (an item served once, as 项次)
    "品种次",  # 完成区域试验、生产试验312品种次 (a variety tried once at a site)
    "像素",
    "面片",  # 500万面片 (a mesh's faces)
    "台套",
    *"个家项台名种所座套件条篇位人场批支块次市户款份期辆例艘架颗株处轮组册届只片尾笔档类张起棒箱袋帧穴",
    # 场馆课程40门 (courses), 巡展42站 (a touring show's stops): after digits only (一门心思, 一站式 are words); 母猪
    # 1200头 (livestock; 一头雾水, 龙头, 头部 are words)
    *"门站头",
)
# measure words that count only after digits: 二期工程, 二十届三中全会, “十四五”期间 are names, not counts
# (一片, 两片区 neither; 重大榜单和一般榜单两类 counts the kinds just listed)
# (布放网箱46口, 完成新船型验证37型: wells, cages and types counted after digits, ending their clause; 三口之家, 口径, 口岸,
# 型号 and a model's name, M300型, are no counts)
DIGITS_ONLY_MEASURES = frozenset("期届轮组片尾类门站头口型")
# measure words read only after digits and ending their clause (see DIGITS_ONLY_MEASURES)
_CLAUSE_END_MEASURES = ("口(?=[，,。；;、）)]|$)", "型(?=[，,。；;、）)]|$)")
# units of physical quantities, longest first
QUANTITY_UNITS = (
    "瓦时/千克",
    "瓦时每千克",  # 能量密度做到四百二十瓦时每千克 (speech: the slash said as 每)
    "瓦时每公斤",
    "转/分钟",
    "元/人",
    "元/亩",
    "公里/小时",
    "千米/小时",
    "平方公里",
    "平方米",
    "立方米",
    "千瓦时",
    "毫安时/克",
    "毫安时",
    "毫安(?!时)",  # 设计束流强度400毫安 (a beam's current)
    "安时",  # 314安时储能电芯 (a cell's capacity, Ah written out)
    "机时",  # 全年对外服务1.2万机时 (hours an instrument ran for others)
    "工日",  # 全年可节约用工3.6万工日 (a day's work of one person)
    "毫开",
    # kelvins (温度范围1.8至400开, as 毫开) only ending a clause or before 以下/以上 (not 开展, 开放, 开发)
    "开(?=[，,。；;、）)]|以下|以上|$)",
    "吉瓦",
    "纳米",
    "皮米",  # 电镜信息分辨率达到45皮米 (picometres)
    "微米",
    "毫米",
    "厘米",
    "公顷",
    "千克",
    # masses in grams (每升12克, 5毫克; not 克隆, 克服, 克拉)
    "毫克",
    "微克",
    "克(?![隆服拉罗朗])",
    "公斤",
    "斤",
    "分钟",
    "毫秒",
    "微秒",
    "纳秒",
    "秒(?!钟)",
    "秒钟",
    "兆赫",
    "吉赫兹",  # 带宽达到110吉赫兹 (GHz written out)
    "吉电子伏",  # 电子能量2.5吉电子伏 (GeV written out)
    "兆电子伏",  # 最高能量达到230兆电子伏 (MeV written out)
    "电子伏",  # 能量分辨率不大于0.45电子伏 (eV written out, as 兆电子伏)
    "千伏",
    "个工作日",
    "工作日",
    "日(?=内|之内|以内)",  # 30日内: a span of days written 日 (a date's day has 月 before it)
    # 在校内公示15日: how long a list is shown to the public, in days written 日 (not 公示15日后: a time counted from it)
    "日(?:(?<=公示\\d日|公告\\d日)|(?<=公示\\d\\d日|公告\\d\\d日))(?![后前起])",
    "吨标准煤",
    "吨二氧化碳",  # 每年固碳约30万吨二氧化碳 (a mass of CO2 said with it)
    "分贝",
    "周岁",
    "英寸",
    "亩",
    "倍",
    "天",
    "晚(?=[，,。；;）)、])",  # 为期三晚 (nights an event runs; read after 为期, 连续 … only)
    "摄氏度",
    "兆高奥",  # 磁能积55兆高奥 (MGOe, a magnet's energy product)
    "兆瓦时",
    "吉瓦时",
    # stored data (集中管理科学数据2.6拍字节): bytes written out in words
    "拍字节",
    "太字节",
    "吉字节",
    "兆字节",
    "米/秒",
    "小时",
    "学时",  # 初级班课程48学时 (hours of teaching)
    "课时",
    "弧分",
    "弧秒",  # 定位精度达到3弧秒 (arc seconds, as 弧分)
    "纳克/毫升",  # 检测灵敏度达到0.1纳克/毫升 (a concentration)
    "个碱基",  # 测序读长150个碱基 (a read length in bases, as 个工作日 keeps its 个)
    "亩次",  # 统防统治作业42万亩次 (areas worked, each time counted)
    # revolutions and turns before a clause's end (每分钟3万转, 每秒4圈: 转/分钟, 圈/秒; not 转化, 圈层)
    "转(?=[，,。；;、）)]|$)",
    "圈(?=[，,。；;、）)]|$)",
    "角秒",
    "景(?![区点观色象气])",  # 累计提供影像产品1.2万景 (a satellite image's scene; not 5A级景区)
    "兆瓦",
    "千瓦",
    "兆帕",
    "特斯拉",  # 磁场强度18.8特斯拉 (a field, written out)
    "埃(?![及塞])",  # 分辨率达到1.8埃 (an ångström; not 埃及)
    "吉比特",  # 每秒10吉比特 (a data rate, 吉比特/秒)
    "吉焦",  # 每吨二氧化碳2.3吉焦 (an energy)
    "吉帕",
    # conductivities and resistances (15毫西/厘米 with the slash's unit after it, 10欧姆/方块; 每厘米12毫西门子)
    "毫西门子",
    "微西门子",
    "毫西",
    "微西",
    "欧姆",
    "毫欧姆",  # 导通电阻不高于2.5毫欧 (a chip's on-resistance)
    "毫欧",
    # powers of small devices (5毫瓦) and of devices in watts (不低于30瓦, 功耗不到8瓦; not 瓦时, 瓦斯)
    "毫瓦",
    "微瓦",
    "瓦(?![时斯片])",
    "马力",  # 60马力电动拖拉机 (a tractor's power)
    # forces (最大推力2.4万千牛)
    "千牛·米",  # 额定扭矩80千牛·米 (a torque)
    "千牛",
    "兆牛",
    "标准立方米",
    "个月",
    "公里",
    "海里",
    "千米",
    "℃",
    "吨",
    "伏",
    "岁",
    "米",
    "度",
    "年",
    "等",
    # Latin units as written (820MW, 18.6GWh, 35kV, 90nm, 6000m²)
    "TWh",
    "GWh",
    "MWh",
    "kWh",
    "GW",
    "MW",
    "kW",
    "kV",
    "mAh",
    "Ah",
    "GHz",
    "PFLOPS",  # 算力总规模1.26万PFLOPS (computing power)
    "MHz",
    "nm",
    "μm",
    "mm",
    "cm",
    "km/h",
    "km²",
    "km",
    "kg",
    "m²",
    "m³",
    "㎡",
    # data volumes (3.4TB) and failure rates (10 FIT)
    "TB",
    # transmission rates (1.6Tb/s, 400Gb/s)
    "Tb/s",
    "Gb/s",
    "PB",
    "GB(?![/\\d])",
    "FIT",
    # parts per million or billion (0.1ppm)
    "ppmw",  # 金属杂质总含量（ppbw）: parts by weight
    "ppbw",
    "ppm",
    "ppb",
    # concentrations (PM2.5 26微克/立方米, 0.5纳摩尔/升)
    "纳摩尔/升",
    "微摩尔/升",
    "毫克/升",
    # energy per output (0.31吨标准煤/万元)
    "吨标准煤/万元",
    "微克/立方米",
    "毫克/立方米",
    # prices per unit (0.38元/千瓦时)
    "元/千瓦时",
    "元/度",
    "元/吨",
    "元/平方米",
    # power and energy densities (4.5kW/L, 300Wh/kg)
    "千瓦/升",
    "kW/L",
    "kW/kg",
    "W/kg",
    "Wh/kg",
    # teslas (1.5T超导磁共振成像系统; not 3.2TB, 1.6Tb/s)
    "T(?![A-Za-z\\d/])",
    # volts (1200V碳化硅芯片)
    "V(?![A-Za-z\\d])",
    # purity in nines (11N, 6N)
    "N(?![A-Za-z\\d])",
    "周(?![年岁期])",  # 两周, 3周 (not 五周年, 下一周期)
    "C(?=倍率)",
    "分(?!之[\\d零一二两三四五六七八九十百千]|钟|贝)",  # a score (76.42分, 95.8分之间), not 三分之一, 5分钟 or 60分贝
    # hours said in speech (一个多小时, 两个小时): read as 小时
    "个多小时",
    "个小时",
    "个多月",  # 排队要等五个多月 (speech): read as 个月
    # accuracy of a full scale (测量精度0.05%FS): a quantity, not a share
    "%FS",
    # orders said in speech (一个月能走四百多单, 成交1200单): only ending its clause (not 名单, 单位, 单项)
    "单(?=[，。；！？”]|$)",
    # 八两 (a weight in speech, 两 = 50 g): only before 左右, 多 or a clause's end (not 八两个, 三两天)
    "两(?=左右|多|[，。；！？”的]|$)",
)
# 1.2个亿, 两个多亿 (speech): an amount in 亿元
YI_UNITS = ("个亿元", "个亿", "个多亿元", "个多亿")
# 三块钱, 五块多钱 (speech): an amount in yuan
KUAI_UNITS = ("块钱", "块多钱")
# 四毛钱, 六毛二, 低了一毛多 (speech): an amount in jiao, a tenth of a yuan (a digit after 毛 its fen)
MAO_UNITS = ("毛钱", "毛")
# (毛 not before 钱, read as 毛钱, nor in a word: 毛竹, 毛利, 毛坯)
_MAO_FORMS = ("毛钱", "毛(?![钱竹利坯发巾皮衣料织绒笔泽病毯])")
# amounts in another currency: kept in it (4.3亿美元 is 430000000 美元), never taken for yuan
FOREIGN_CURRENCIES = ("美元", "欧元", "港元", "日元", "英镑")
_POINTS_OF_A_SPEECH = "点(?=意见|看法|建议|要求|体会|想法|希望|共识|变化|不同|区别|考虑|做法|经验)"  # (主要有三点变化: an answer's parts)
_UNITS = sorted(
    [
        "个百分点",
        "个多百分点",  # 高出三个多百分点 (speech)
        # 提高3.2个百分面c: 点 garbled by the page (no other word goes on from 个百分), still points
        "个百分(?![点之])",
        "百分点",
        "元",
        "级",
        *YI_UNITS,
        *KUAI_UNITS,
        *_MAO_FORMS,
        *FOREIGN_CURRENCIES,
        *QUANTITY_UNITS,
        # (每家给予最高五百万支持: 万 before 支持 is money said in speech, not 万支 a count in 支)
        *(re.escape(u) if u != "支" else "支(?!(?<=[万亿]支)[持撑])" for u in MEASURES),
        *_CLAUSE_END_MEASURES,
        # 我讲三点意见, 提两点要求: the parts a speech or a letter says it has (点 counts them; not 三点钟)
        _POINTS_OF_A_SPEECH,
    ],
    key=len,
    reverse=True,
)
_CN = CN_NUMERALS


def _by_first_character(units: list[str]) -> str:
    """The units as one alternation grouped by their first character (`个(?:百分点|亿元|…|)|元(?:/人|…|)|…`), each
    group's units in their order: it matches what `"|".join(units)` matches, in the same order of trial at
    any place (units of another first character fail there at once), but the regex engine tries one
    alternative per first character instead of each of ~150 units in turn."""
    groups: dict[str, list[str]] = {}
    for u in units:
        groups.setdefault(u[0], []).append(u[1:])
    parts = []
    for first, rests in groups.items():
        head = re.escape(first)
        if rests == [""]:
            parts.append(head)
        else:
            parts.append(f"{head}(?:{'|'.join(rests)})")
    return "|".join(parts)


_FIGURE = (
    r"(?P<fig>(?P<q1>超过|超|逾|(?<![{han}])近|(?<![{han}])约|过(?=[千百万]亿)|)(?:(?<=TRL)|(?<![A-Za-z\d.第])|(?<=[A-Za-z])(?=[{cn}])|(?<=[^A-Za-z]R[az]))(?:(?<![A-Za-z\d]-)|(?<=[^A-Za-z\d.\-/:]\d-)|(?<=[^A-Za-z\d.\-/:]\d\d-)|(?<=[^A-Za-z\d.\-/:]\d\d\d-))(?<!\d∶)"
    r"(?P<n>\d++(?:,\d\d\d)*+(?:\.\d++|)|(?<![数几])[{cn}]{{1,7}}(?:点[零一二三四五六七八九]{{1,3}}|亿零?[{cn}]{{1,5}}(?=多?万)|万零?[{cn}]{{1,7}}(?![{cn}万亿])|))(?P<q0>余|多|(?<=[十百千])来|(?<=\d0)来(?=[个家项人名位台])|)(?P<sc>千万亿|万亿|千亿|百亿|千万|百万|亿亿|亿|万|千(?=元)|)(?P<q2>余|多|(?<=万)来(?=[块个家项人名位台元])|)"
    r"(?P<u>\s?[%％‰](?!FS)|{units}|\s(?=[A-Za-z])(?:{latin})|(?<=亿)(?=[，。；！？”的\s—]|没有|左右|出头|多一点|多了|少了|$|(?:扩大|提高|增加|增长|提升|上升|下降|降低|减少|压减|缩减)(?:到|至))|(?<=万)(?=[，。；！？”的—]|多了|少了|左右|出头|贷款|补助资金|奖金|工作经费|经费|专门|专项|用于|用来|支持|扶持|资助|补助|补贴|入股|之间|设(?=[立开置]))|(?<=[万亿][多余])(?=[，。；！？”])|(?<=[百千万][一二三四五六七八九])(?=[，。；！？”]))(?P<q3>以上|以下|左右|(?<=[斤两])多(?![个家项人名种])|))"
).format(
    han=HAN,
    cn=_CN,
    units=_by_first_character(_UNITS),
    latin="|".join(u for u in _UNITS if u[:1].isascii() and u[:1].isalpha()),
)

# An optional group is written `(a|b|)`, not `(a|b)?`: the same matches in the same order, but the regex
# engine runs a repeat of a group through a general loop with a context it allocates each time, and
# `(a|b|)` as a plain alternation (the pattern is matched ~10,000 times a MB: 30 % cheaper). A group
# not taken is then "", not None.
_PATTERN = re.compile(
    r"(?:"
    + "|".join(
        [
            r"(?P<target>(?:到|至)[“\"]?(?P<tyear>20\d\d)年)",
            r"(?P<fyp>十(?P<fyn>[三四五])五[”\"]?(?:(?:时期|)期?末|(?P<fyspan>时期|期间)))",
            r"(?P<year>(?P<yyear>20\d\d)年(?P<ycomma>(?=[，,]))?)",
            r"(?P<date>(?<!\d)(?P<month>1[0-2]|0?[1-9])月(?P<day>3[01]|[12]\d|0?[1-9])日)",
            # 四月十日, 十二月三十一日 (an official document's date, its year 二〇二五年 before it)
            r"(?P<cdate>(?<![〇零一二三四五六七八九十])(?P<cmonth>十[一二]|十|[一二三四五六七八九])月"
            r"(?P<cday>三十一|三十|二十[一二三四五六七八九]|二十|十[一二三四五六七八九]|十|[一二三四五六七八九])日)",
            r"(?P<rank>第(?P<rnum>\d+|[一二三四五六七八九十]{1,3})(?P<runit>位|名|))",
            # 进了前三十, 跻身前50, 进入全国前40: a place among the first so many, said without 位 or 名 (前三十名 is
            # a figure); in words before 位的 too (服务金额居前十位的机构: the bound of a class, as 前10位的 is read; 排名后
            # 二十位的高校: the last so many)
            r"(?P<top>(?:(?<=[入了身进居列名]前)|(?<=[居列名]后)(?=[一二三四五六七八九十]{1,3}位的)|(?<=[入了身进居列到名]全国前)|(?<=[入了身进居列到名]全省前)|(?<=[入了身进居列到名]全市前)|(?<=[市区县域]前)(?=[^，。；！？”]{1,3}[，。；！？”]))(?P<topn>\d{1,3}(?=[，。；！？”\n]|$)|[一二三四五六七八九十]{1,3}(?=[，。；！？”\n]|$|位的|的(?![是为]))))",
            # (这一成绩, 这一成果, 同一成本: 一 after a word pointing at one thing, 成 opening a word: no share)
            r"(?P<share>(?P<sq>超过|超|逾|近|约|)(?P<sval>(?<![这那该此同每统唯第])[一二两三四五六七八九]成"
            r"(?![绩果员本效就功熟])"
            r"(?:半|[一二三四五六七八九](?![十百千万亿个家项人名次倍大年])|)|一半|过半))",
            # 按该省标准的八折收取, 打八五折: a price after its discount, a share of the full price (80 %, 85 %)
            r"(?P<disc>(?<=[的按打])(?P<dn1>[一二三四五六七八九1-9])(?P<dn2>[一二三四五六七八九1-9]?)折(?![扣旧叠]))",
            rf"(?P<big>(?<![{_CN}第])(?P<bnum>[两三四五六七八九十]{{1,2}})(?:大(?=[{HAN}])|(?=部分)))",
            _FIGURE,
            # TRL7, TRL 6 (a readiness level without 级)
            r"(?P<trl>(?:(?<=TRL)|(?<=TRL ))(?P<tn>[1-9])(?P<tq>及以上|以上|)(?![\d.]))",
            # 技术就绪度从5提升到7, 技术就绪度（TRL）应达到7及以上: a bare level after a verb (the rule asks for
            # 成熟度 / 就绪度 / TRL in the clause)
            r"(?P<trlw>(?<=[到至从由])(?:(?<=达到)|(?<=提升到)|(?<=提升至)|(?<=提高到)|(?<=提高至)|(?<=从)|(?<=由))"
            r"(?P<twn>[1-9])(?P<twq>及以上|以上|)(?![\d.%％A-Za-z]))",
            # after the figure: tried only where no figure starts
            # 三分之一, 近四分之一, 千分之五, 百分之三十: a share (percent, two decimals)
            r"(?P<frac>(?P<fq>超过|超|逾|近|约|)(?P<fden>[二三四五六七八九十]{1,2}|[十百千]万|百|千|万)分之"
            r"(?P<fnum>\d+(?:\.\d+|)|[一二两三四五六七八九十百零]{1,6}(?:点[零〇一二三四五六七八九]{1,3}|))"
            r"(?P<fq2>以上|以下|左右|))",
            # 约1/3, 占1/4: a share written as a fraction after a word of shares (not 7/24, a date 3/4)
            r"(?P<sfrac>(?<=[约近占超过逾])(?P<sfn>[1-9])/(?P<sfd>[2-9]|10)(?![\d/]))",
            # 翻一番 (2倍), 翻了两番 (4倍)
            r"(?P<double>翻(?:了|)(?:将近|近|约|)(?P<dn>一|两|二|三)番)",
            # 居全省首位: the first rank
            r"(?P<first>首位)",
            # 3至5年, 2到3个, 三至五个: the first number of a range takes the second's unit (and scale)
            rf"(?P<range>(?P<ra>\d+(?:\.\d+|)|[{_CN}]{{1,3}})(?P<rsc>万亿|亿|万|)(?:至|到|—|－|~|～|(?<=\d)-(?=\d))(?=[\d{_CN}]))",
            # 综合指数为68.35，比上年提高3.18: a bare number ending its clause (the rule reads it where the clause
            # speaks of an index only)
            # (指数分别为118.7和102.3: the first of two before 和)
            r"(?P<bare>(?P<bn>\d{1,3}(?:\.\d+|))(?P<bq>及以上|及以下|以上|以下|)(?=[，,。；;（(）)]|和\d|$))",
        ]
    )
    + ")"
)

# Where a figure can start: a character of a branch's first character followed by what that branch
# needs next - 到/至 a year, 第 a numeral, 超/逾/近/约 a number, a Chinese numeral a unit (or 成, 半, 大),
# 过 半 - and a digit that does not follow a digit (or a digit and a point). A pattern that starts with
# an alternation of branches makes the regex engine try a match at every position of the text; one that
# starts with a character class lets it skip ahead in C. So the figures are found by searching for this
# and trying the pattern only there.
_UNIT_FIRST = "".join(
    sorted(
        {u[0] for u in MEASURES}
        | {
            "元",
            "成",
            "半",
            "万",
            "亿",
            "天",
            "周",
            "倍",
            "年",
            "日",
            "斤",
            "亩",
            "两",
            "吨",
            "公",
            "英",
            "单",
            "海",
            "点",  # 我讲三点意见
            "岁",  # 四十岁以下 (an age in words)
            "平",  # 六百平方米 (an area in words)
            "立",  # 三千立方米
            "毛",  # 四毛钱 (speech)
            "折",  # 八折 (a discount)
            "晚",  # 为期三晚
            "纳",  # 精度已经到了五纳米 (speech)
            "微",  # 厚度只有三十微米
            "毫",  # 二十毫米
            "级",  # 技术成熟度现在是六级 (speech: the level rule reads a numeral only where the sentence names the readiness)
            "瓦",  # 四百二十瓦时每千克
            "兆",  # 设计产能每年两百兆瓦时
        }
    )
)


def _decimal_ranges() -> str:
    """The decimal digits of the Basic Multilingual Plane (what `\\d` matches there) as ranges of a class,
    and every character beyond it."""
    out, start = [], None
    for c in range(0x10001):
        if c < 0x10000 and chr(c).isdecimal():
            start = c if start is None else start
        elif start is not None:
            out.append(f"\\u{start:04x}-\\u{c - 1:04x}")
            start = None
    return "".join(out) + "\\U00010000-\\U0010ffff"


# The first character's class holds the digits as ranges, not `\d`: the scan then tests each character of
# the text with one table lookup instead of a call for the digit category (~25 % of the scan). Characters
# beyond the BMP (digits among them) pass the class; the lookbehinds, which keep `\d`, decide for them.
_FIRST = re.compile(
    rf"[到至第超逾近约过翻首{_decimal_ranges()}{_CN}]"
    rf"(?:(?<=\d)(?<!\d\d)(?<!\d\.\d)"
    rf"|(?<=[{_CN}])(?=[{_CN}]{{0,6}}(?:余|多|来)?(?:[{_UNIT_FIRST}]|大[{HAN}]|部分))"
    rf"|(?<=[{_CN}])(?=[{_CN}]?分之|[{_CN}]{{0,2}}[至到][\d{_CN}]|[{_CN}]{{0,4}}点[零一二三四五六七八九]|[百千][一二三四五六七八九][，。；！？”])"
    rf"|(?<=翻)(?=了?(?:将近|近|约)?[一两二三]番)"
    rf"|(?<=首)(?=位)"
    rf"|(?<=过)(?=半|[千百万]亿)"
    rf"|(?<=[超逾近约])(?=过?[\d{_CN}])"
    rf"|(?<=第)(?=[\d一二三四五六七八九十])"
    rf"|(?<=前[{_CN}])(?=[{_CN}]{{0,2}}(?:[，。；！？”\n]|$|的(?![是为])))"
    rf"|(?<=[一二三四五六七八九十])(?=[一二]?月[一二三四五六七八九十]{{1,3}}日)"
    rf"|(?<=十)(?=[三四五]五[”\"]?(?:时期|期间|期?末))"
    rf"|(?<=[到至])(?=[“\"]?20\d\d年))"
)
_SENTENCE_END = re.compile(r"[。！？；\n]")
# A figure's rule reads its sentence back from the figure (the subject, the period words), so a sentence of n
# characters with a figure every few costs ~n² (an upload of 170,000 characters without one end mark took
# minutes: docs/security.md §18). No sentence of the corpus is longer than 140 characters; a longer run is
# read in pieces of at most this many, each ended at its last comma or 、 where it has one.
SENTENCE_MAX = 1000
# No paragraph of the corpus is longer than 320 characters; of a longer one a sentence reads back this many.
HEAD_MAX = 2000
_PIECE_END = re.compile(r"[，、,]")
_IN_FIGURE = re.compile(
    r"[\d.．０-９零〇一二三四五六七八九十百千万亿两%％][\d.．０-９零〇一二三四五六七八九十百千万亿两%％元个家项倍]"
)


def _bounded(text: str, ends: list[int]) -> list[int]:
    """`ends` (where each sentence of `text` ends, ascending) with more ends put in every run longer than
    SENTENCE_MAX, so that no sentence is longer; unchanged when none is."""
    out: list[int] = []
    start = 0
    for end in [*ends, None]:  # None: the text's tail after its last end mark
        stop = len(text) if end is None else end
        while stop - start > SENTENCE_MAX:
            cut = start + SENTENCE_MAX
            commas = _PIECE_END.findall(text, start + SENTENCE_MAX // 2, cut)
            if commas:
                cut = text.rindex(commas[-1], start, cut) + 1
            else:  # no comma: not inside a figure (12|亿元)
                while cut > start + SENTENCE_MAX // 2 and _IN_FIGURE.match(text, cut - 1, cut + 1):
                    cut -= 1
            out.append(cut)
            start = cut
        if end is not None:
            out.append(end)
            start = end
    return out


@dataclass
class Fact:
    kind: str  # see KINDS
    subject: str
    predicate: str
    value: Decimal | str
    unit: str
    qualifier: str
    period: str
    quote: str
    start: int  # the figure's place in the repaired text
    end: int
    sentence_start: int
    sentence_end: int
    orig_start: int | None = None
    orig_end: int | None = None
    # the scale word the report wrote the figure with (1800亿元: 亿): `value` is in the base unit (yuan),
    # the figure is shown as the report wrote it (`shown_value` `scale` `unit`)
    scale: str = ""
    # the region the figure is about when its clause's subject is another one named (岱沄省科学技术厅组团参展，
    # 带来成果146项: 岱沄省; a city of another province, 砚湄市), said or carried over from the clause or sentence
    # before; "" when none is named
    # (the report's own region). The caller compares it with the report's region (a fact of another
    # region is never recorded as the report's own).
    place: str = ""
    # read across or right beside a span the repair could not decide (doubt.py): which parts ("value", "unit",
    # "period", "place") and the spans' places in the quote; empty when none
    uncertain_parts: tuple = ()
    uncertain_spans: list = field(default_factory=list)
    # a redaction standing for a place name, or a gap, in its sentence before the figure (doubt.py): its
    # place, period or subject may have been taken (factflag2)
    redacted_near: bool = False

    def as_json(self) -> dict:
        out = asdict(self)
        out["value"] = str(self.value)
        return out


class Sentence:
    """What the rules know about the sentence a figure is in. One is made for every sentence that holds a
    figure, so what most sentences keep as it starts is a class attribute, not set in `__init__`, and
    the paragraph's start is found only when a rule asks."""

    target_year = ""  # 到2025年 ...: figures after `target_pos` are that year's targets
    relative_years = (
        None  # whether the sentence says 三年前, 前年, 上一年 or 上年度 (rules.period_of, once asked)
    )
    target_pos = -1
    said_year = ""  # 2023年，...: figures after it belong to that year
    said_pos = -1
    said_until = -1  # 这一年，…，今年…: where the said year stops holding (-1: to the sentence's end)
    review_year = ""  # under 一、2025年工作回顾 in a later report: the year its figures are of
    plan_end_year = ""  # “十三五”末 in a later report: the figure right after it is of that year
    plan_end_pos = -1
    last_year_said = -1  # where a figure 去年 dated starts (the next clause's may go on with it)
    year_marks = None  # rules._sentence_last_year's marks, made on first use
    last_end = 0  # where the previous figure of the sentence ends

    def __init__(
        self,
        text: str,
        base: int,  # its offset in the whole text
        end: int,  # its end in the whole text
        year: int | None,  # the report's year
        whole: str = "",  # the whole text (`head`: the paragraph before the sentence)
        section_year: str = "",  # under a heading 二、2025年工作要点: the section's figures are its targets
        period: str | None = None,  # the report's year as a period (str(year), "" without one)
    ):
        self.text = text
        self.base = base
        self.end = end
        self.year = year
        self.whole = whole
        self.section_year = section_year
        self.quote = text.strip()
        self.last_subject: dict[str, str] = {}
        self.period = period if period is not None else str(year) if year else ""

    @property
    def head_start(self) -> int:
        """Where the sentence's paragraph starts in the whole text; of a paragraph longer than HEAD_MAX before
        the sentence, HEAD_MAX characters back (each sentence reading all of a paragraph of n characters
        before it cost ~n²: docs/security.md §18)."""
        low = max(0, self.base - HEAD_MAX)
        return self.whole.rfind("\n", low, self.base) + 1 or low

    @property
    def head(self) -> str:
        """The paragraph before the sentence (过去一年，… sets the time of what follows); sliced only when
        a rule asks."""
        return self.whole[self.head_start : self.base]

    def fact(self, kind, subject, predicate, value, unit, qualifier, period, s, e, scale=None) -> Fact:
        """A fact of the figure at `s`:`e` in the sentence (`scale`: the scale word it was written with)."""
        b = self.base
        return Fact(
            kind,
            subject.strip(_SUBJECT_STRIP).removeprefix("了"),  # subjects.clean_subject, inline
            predicate,
            value,
            unit,
            qualifier,
            period,
            self.quote,
            b + s,
            b + e,
            b,
            self.end,
            None,
            None,
            scale or "",
        )


_SUBJECT_STRIP = SUBJECT_STRIP


# a clause opening on the other side named again and set against ours (人家的高新技术企业数量也比我们多出将近三成)
_THEY_AGAIN = re.compile(r"人家[^，。；\d年今本现目]{0,14}(?:比|较|高于|低于)(?:我们|我省|我市)")


# A section heading (`二、2025年工作要点`, `三、下一步工作安排`): a numbered line without a full stop.
# (第二部分　2026年工作思路: a part of a report, its heading numbered so)
_HEADING = re.compile(
    r"^[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,2}部分)[^。\n]{0,40}$",
    re.MULTILINE,
)
_PLAN_HEADING = re.compile(
    r"(20\d\d)年[^。\n]{0,12}(?:工作要点|工作安排|工作计划|重点任务|工作思路|工作重点|主要任务|目标|打算|计划|展望|安排)"
)


# a plan heading of the year after the report's said as 明年 (三、明年工作打算, 四、明年打算): as `二、2026年工作要点`
_NEXT_YEAR_PLAN_HEADING = re.compile(
    r"^[ \t\u3000]*[一二三四五六七八九十]{1,3}、明年[^。\n]{0,8}(?:工作要点|工作安排|工作计划|重点任务|工作思路|工作重点|主要任务|目标|打算|计划|安排)"
)
_REVIEW_HEADING = re.compile(r"(20\d\d)年[^。\n]{0,8}(?:回顾|总结|情况|主要成效)")
# a heading opening on 去年 (not 去年以来: to now): 一、去年我们干成了几件实事, 一、去年工作回顾
_LAST_YEAR_HEADING = re.compile(r"^[ \t\u3000]*[一二三四五六七八九十]{1,3}、去年(?!以来)")


# a heading of what falls short, naming no time of its own (二、要清醒看到差距, 二、存在的问题)
_SHORTCOMINGS_HEADING = re.compile(r"^(?![^\n]*(?:今年|明年|本年|20\d\d))[^\n]*(?:差距|问题|不足|短板)")


# a heading naming what falls short before a plan (六、存在问题与2027年计划)
_SHORTCOMINGS_FIRST = re.compile(r"差距|问题|不足|短板")


# a run-in heading: a numbered line's first sentence naming a year, short (四、2025年政策调整。…)
_RUN_IN_HEADING = re.compile(
    r"^[ \t\u3000]*[一二三四五六七八九十]{1,3}、(20\d\d)年[^。\n，；]{0,12}。(?=[^\n])", re.MULTILINE
)


# a plan of next year run in at a paragraph's start before a colon (明年工作打算：一是…; 三、明年重点任务：…)
_RUN_IN_NEXT_YEAR = re.compile(
    r"^[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、)?明年[^。\n，,；：:]{0,6}"
    r"(?:工作要点|工作安排|工作计划|工作打算|重点任务|工作思路|工作重点|主要任务|打算|计划|安排)[：:](?=[^\n])",
    re.MULTILINE,
)


# an analysis opening on the year of the figures it sets out (现将两省2025年科技创新主要指标比较分析如下): in a later
# report, its sections are of that year, as under 一、2025年工作回顾, until a heading names a time of its own
# (三、今年以来的新变化, 四、2027年工作安排)
_ANNOUNCED_YEAR = re.compile(r"现将[^。\n]{0,12}?(20\d\d)年(?!度)[^。\n]{0,24}?如下")
_HEADING_TIME = re.compile(r"今年|本年|明年|去年|当前|目前|20\d\d|以来|下一步|下步")


def _announced_year(text: str, year: int | None) -> tuple[str, int, int] | None:
    """(the year an analysis says its figures are of, where its sections start, where they end) when that year is
    before the report's (`_ANNOUNCED_YEAR`), None otherwise."""
    if not year or "现将" not in text or (said := _ANNOUNCED_YEAR.search(text)) is None:
        return None
    if int(said.group(1)) >= year:
        return None
    end = len(text)
    for heading in _HEADING.finditer(text, said.end()):
        if _HEADING_TIME.search(heading.group(0)):
            end = heading.start()
            break
    return said.group(1), said.end(), end


# a title that is a plan of one year only (瑽岞省科学技术厅2027年工作要点, 芷陂县2027年科技工作计划), not a summary
# beside it (…2026年工作总结和2027年工作要点: the title names another year)
_PLAN_TITLE = re.compile(
    r"^[^\n\d]*(20\d\d)年度?[^\n\d。]{0,8}(?:工作要点|工作安排|工作计划|工作思路|工作重点|重点任务|主要任务)[ \t\u3000]*(?=\n|$)"
)


def _plan_sections(text: str, year: int | None) -> tuple[list[int], list[str]]:
    """Where each section starts and the year of the plan it sets out (`二、2025年工作要点` in a 2024
    report: its figures are that year's targets; "" for any other section). A document whose title is a plan
    of a later year than the report's (瑽岞省科学技术厅2027年工作要点, issued in 2026) is that plan throughout:
    its sections without a time of their own are of that year, as under a plan's heading."""
    if not year:
        return [], []
    title = _PLAN_TITLE.match(text) if "年" in text[:60] else None
    plan_year = title.group(1) if title is not None and int(title.group(1)) > year else ""
    if "、" not in text and "部分" not in text:
        return ([title.end()], [plan_year]) if plan_year else ([], [])
    marks = [(title.end(), plan_year)] if plan_year else []
    announced = _announced_year(text, year)
    for heading in _HEADING.finditer(text):
        plan = _PLAN_HEADING.search(heading.group(0))
        if plan and int(plan.group(1)) > year:
            if _SHORTCOMINGS_FIRST.search(heading.group(0), 0, plan.start()) is not None:
                # 六、存在问题与2027年计划: the problems first, of now; the plan from the sentence saying its year
                nxt = _HEADING.search(text, heading.end())
                said = re.compile(f"{plan.group(1)}年|明年").search(
                    text, heading.end(), nxt.start() if nxt else len(text)
                )
                if said is not None:
                    opens = (
                        max(text.rfind("。", heading.end(), said.start()), text.rfind("\n", 0, said.start()))
                        + 1
                    )
                    marks += [(heading.start(), ""), (opens, plan.group(1))]
                    continue
            marks.append((heading.start(), plan.group(1)))
            continue
        if _NEXT_YEAR_PLAN_HEADING.match(heading.group(0)):
            marks.append((heading.start(), str(year + 1)))
            continue
        # 一、2025年工作回顾 in a 2026 plan: its figures are of that year (r: a year reviewed, not a target)
        review = _REVIEW_HEADING.search(heading.group(0))
        if review is None and (
            _LAST_YEAR_HEADING.search(heading.group(0))
            # 二、要清醒看到差距 right after it: the review's other side, of the same year (until a heading says
            # 今年, 明年 or a year)
            or (marks and marks[-1][1] == f"r{year - 1}" and _SHORTCOMINGS_HEADING.search(heading.group(0)))
        ):
            # 一、去年我们干成了几件实事 (a speech): its figures are of the year before the report's
            marks.append((heading.start(), f"r{year - 1}"))
            continue
        if review is None and announced and announced[1] <= heading.start() < announced[2]:
            # 二、差距分析 after 现将两省2025年…比较分析如下 (a 2026 report): the year the analysis set out
            marks.append((heading.start(), f"r{announced[0]}"))
            continue
        marks.append(
            (
                heading.start(),
                f"r{review.group(1)}"
                if review and int(review.group(1)) < year
                else ""
                if review or _HEADING_TIME.search(heading.group(0))
                else plan_year,
            )
        )
    for heading in _RUN_IN_NEXT_YEAR.finditer(text):
        # 明年工作打算：一是…；二是…: a plan of next year run in before a colon dates the rest of its paragraph
        end = text.find("\n", heading.end())
        marks += [(heading.start(), str(year + 1)), (len(text) if end < 0 else end, "")]
    for heading in _RUN_IN_HEADING.finditer(text):
        # 四、2025年政策调整。一是…: a run-in heading of a later year dates the rest of its paragraph
        if int(heading.group(1)) > year:
            end = text.find("\n", heading.end())
            marks += [(heading.start(), heading.group(1)), (len(text) if end < 0 else end, "")]
    marks.sort(key=lambda m: m[0])
    return [m[0] for m in marks], [m[1] for m in marks]


# ---------------------------------------------------------------- tables written as lines

# A table written as lines (a statistical bulletin's `合同类别  合同数（项）  成交额（亿元）  比上年增长（%）`, then rows
# `技术开发  11842  385.2  18.6`): cells parted by two spaces or more, a tab or an ideographic space. A header
# names each column's unit in brackets (or the table says `单位：亿元` above it); a row is a label and bare
# numbers, each a fact in its column's unit and scale. A header cell with a year (`2024年（亿元）`) dates its
# column's figures.
_CELL_SPLIT = re.compile(r"[ \t\u3000]{2,}|[\t\u3000]")
# a separator of cells: after a character, before one (leading indentation is none)
_CELL_SEP = re.compile(r"(?<=\S)(?:[ \t\u3000]{2,}|[\t\u3000])(?=\S)")
_HEAD_CELL = re.compile(r"^(?P<name>.*?)[（(](?P<unit>[^）)]{1,8})[）)]$")
# (单位：台（套）、万机时: a measure word written with its bracket, 台（套）, is one unit of the list)
_TABLE_UNIT = re.compile(
    r"单位[:：]\s*(?P<unit>(?:台[（(]套[）)]|[^\s，。；）)、]{1,6})(?:、(?:台[（(]套[）)]|[^\s，。；）)、]{1,6}))*)"
)
# a cell's number, after a bound a plan's table of targets writes before it (≥2.6, ≤0.42: 不低于, 不高于)
# (－4.2: a fall written with a full-width minus, as -4.2)
_ROW_NUMBER = re.compile(r"(?:[≥≤＞＜><])?[-－]?\d+(?:,\d\d\d)*(?:\.\d+)?")
_CELL_BOUNDS = {"≥": "不低于", "≤": "不高于", "＞": "高于", ">": "高于", "＜": "低于", "<": "低于"}
_CELL_YEAR = re.compile(r"(20\d\d)年")
_CELL_QUARTER = re.compile(r"^(?:前|)[一二三四]季度$|^[上下]半年$")
_CELL_LAST_YEAR = re.compile(r"(?<![比较])(?:上年|去年)")
_MONEY_SCALES = {
    "元": "",
    "万元": "万",
    "亿元": "亿",
    "千元": "千",
    "百万元": "百万",
    "千万元": "千万",
    "万亿元": "万亿",
}


# SI units written out in Chinese that the text's figures are never read in (安 of 安全, 开 of 开展) but that a table's header
# names in brackets (临界电流（安）, 运行温度（开）, 功率（瓦）)
_SI_IN_A_HEAD = frozenset(
    (
        "安",
        "开",
        "瓦",
        "欧",
        "赫",
        "帕",
        "焦",
        "牛",
        "安培",
        "开尔文",
        "瓦特",
        "赫兹",
        "帕斯卡",
        "焦耳",
        "牛顿",
        "伏特",
    )
)


def _column(cell: str, table_unit: str, year: int | None) -> tuple[str, str, str, str, str] | None:
    """(kind, unit, scale, name, period) of a header cell, None when its unit says no fact."""
    m = _HEAD_CELL.match(cell)
    name, unit = (m.group("name"), m.group("unit").strip()) if m else (cell, table_unit)
    said = _CELL_YEAR.search(cell)
    period = said.group(1) if said else str(year) if year else ""
    if not said and year and _CELL_LAST_YEAR.search(cell):
        period = str(year - 1)  # 上年同期 (not 比上年增长)
    if unit in ("%", "％") or unit.startswith(("%/", "％/")):
        return "percent", "%", "", name, period  # (溶损率（%/年）: a share a year is a share, in %)
    if unit in ("个百分点", "百分点"):
        return "points", "百分点", "", name, period
    if unit in _MONEY_SCALES:
        return "money", "元", _MONEY_SCALES[unit], name, period
    if (
        "/" in unit
        and (per := unit.split("/", 1))[0] in _MONEY_SCALES
        and per[1] in MEASURES
        and _ALLOTTED.search(name) is not None
    ):
        # 安家补贴（万元/人）: an amount allotted to each one, in 元 (FACTS_KEY: an allotment per item, 每个单位限报8名, is in
        # its own unit; 每月5000元 is 元); a ratio (劳动生产率（万元/人）) keeps its compounded unit
        return "money", "元", _MONEY_SCALES[per[0]], name, period
    if unit == "月" and _SPAN_CELL.search(name):
        unit = "个月"  # 实施周期（月）: a span of months, keyed as 36个月 is
    scale = ""
    if unit[:1] in "万亿" and len(unit) > 1:
        scale, unit = unit[:1], unit[1:]
    if unit in MEASURES or unit in ("台（套）", "台(套)"):
        return "count", unit, scale, name, period
    if unit in QUANTITY_UNITS or ("/" in unit and all(map(_a_unit, unit.split("/")))):
        # (吸附容量（毫克/克）, 处理能力（立方米/小时）: a unit over a unit, each one known)
        return "quantity", unit, scale, name, period
    if m is not None and unit in _SI_IN_A_HEAD:
        # 临界电流（安）, 运行温度（开）: an SI unit written out in one character, named as a column's unit only
        return "quantity", unit, scale, name, period
    if unit == "分" and not scale:
        return "quantity", "分", "", name, period  # 平均得分（分）: a score
    if not unit and _READINESS.search(name):
        return "level", "级", "", name, period  # 技术就绪度目标: a readiness level, in 级 (FACTS_KEY: level)
    if not unit and not m and (counted := _COUNT_OF_CELL.search(name)) is not None:
        return (
            "count",
            counted.group(1),
            "",
            name,
            period,
        )  # 资助项数, 企业家数: a number of them, in that measure
    if not unit and not m and _RANK_CELL.search(name):
        return "rank", "位", "", name, period  # 全国排名, 位次: a place in a ranking, in 位 (FACTS_KEY: rank)
    if not unit and not m and _SCORE_CELL.search(name):
        return (
            "quantity",
            "",
            "",
            name,
            period,
        )  # 得分, 综合得分: a score, no unit written (as an index's value)
    return None


# a column of an index table naming the year its values are of (今年, 上年, 2025年, 上年值)
_INDEX_YEAR_CELL = re.compile(r"(?:今年|本年|当年|上年|去年|(?:20\d\d)年)(?:值|指数|得分|)")


def _index_column(cell: str, year: int | None) -> tuple[str, str, str, str, str]:
    said = _CELL_YEAR.search(cell)
    period = said.group(1) if said else str(year) if year else ""
    if not said and year and cell.startswith(("上年", "去年")):
        period = str(year - 1)
    return "quantity", "", "", cell, period


# a header cell of an index's values (指数值, 综合指数, 指数) and of its change over the year (比上年提高, 比上年增减)
_INDEX_VALUE_CELL = re.compile(r"(?:综合|)指数(?:值|)")
_INDEX_CHANGE_CELL = re.compile(r"(?:比上年|较上年|同比)(?:提高|增加|增减|变化|提升)(?:值|)")
_READINESS = re.compile(r"技术就绪度|技术成熟度")
# a header cell naming a span of time (实施周期, 执行期, 建设期限)
_SPAN_CELL = re.compile(r"周期|期限|期$|时长|工期")
# a header cell naming an amount allotted to each one (安家补贴, 资助额度, 奖励标准)
_ALLOTTED = re.compile(r"补贴|补助|资助|奖励|奖金|支持|经费|津贴")
# a header cell naming a number of things by their measure word (资助项数, 企业家数, 参训人数, 贷款笔数), no unit in brackets
_COUNT_OF_CELL = re.compile(r"([项家个人件名户台所篇笔])数(?:量|)$")
# a header cell naming a place in a ranking, no unit in brackets (全国排名, 全省位次, 排名)
_RANK_CELL = re.compile(r"^(?:全国|全省|全市|省内|)(?:排名|位次|名次)$")
# a header cell naming a score, no unit in brackets (得分, 综合得分, 评价得分)
_SCORE_CELL = re.compile(r"(?:得分|评分)$")
# a header cell naming a measure written without a unit (创新指数, 综合得分, 效用值)
_UNITLESS_NAME = re.compile(r"指数|得分|评分|系数|效用值")


@lru_cache(maxsize=256)
def _a_unit(unit: str) -> bool:
    """Whether `unit` is a measure word or a unit of the quantities' (克, 小时, 立方米)."""
    return bool(unit) and (unit in MEASURES or any(re.fullmatch(u, unit) for u in QUANTITY_UNITS))


# a header cell of a value when a project or body began (立项时技术成熟度, 成立时人数) — the year the text says it began
# (本批项目均于2024年立项: as a sentence's 由立项时的4.3级, rules._started_in)
_AT_START_CELL = re.compile(r"(?P<v>立项|启动|成立|组建|揭牌)(?:时|之初)")
_STARTED_IN_BEFORE = re.compile(r"(20\d\d)年[^。；\n]{0,12}?(立项|启动|成立|组建|揭牌)")


def _at_start_column(text: str, pos: int, column):
    """A column of values at a project's start (立项时技术成熟度) in the year the text before the table says it began
    (the last said with the same verb); as it is when the cell names a year or the text none."""
    if not column or len(column) != 5 or (at := _AT_START_CELL.match(column[3])) is None:
        return column
    if _CELL_YEAR.search(column[3]):
        return column
    said = [m.group(1) for m in _STARTED_IN_BEFORE.finditer(text, 0, pos) if m.group(2) == at.group("v")]
    return (*column[:4], said[-1]) if said else column


def _table_facts(text: str, year: int | None) -> list[Fact]:
    """The facts of the tables written as lines in `text`: a row (a label and bare numbers, see above)
    whose line above is a header naming its columns' units (its cells parted like the rows' or, where the
    gaps were lost, each ending in its bracketed unit: 合同数（项）成交额（亿元）) starts a table."""
    facts: list[Fact] = []
    done = 0  # where the last line looked at ends
    for sep in _CELL_SEP.finditer(text):
        if sep.start() < done:
            continue  # a line looked at already
        pos = text.rfind("\n", 0, sep.start()) + 1
        done = text.find("\n", sep.end())
        done = len(text) if done < 0 else done
        first = _numbered(_CELL_SPLIT.split(text[pos:done].strip()))
        remark = _remark_at(first)
        if remark:
            # (固态电池电解质　湑州大学团队　88.6　继续支持 under 课题　承担团队　得分（分）　结论: the text cells before the
            # figures are the label once the remark is off, as in a row without one)
            first = _numbered(first[:remark])
        mixed = False  # a list table whose rows write some figures with their units (146项, 4级至7级)
        if pos >= 2 and not (_is_row(first) or _with_unit_cell(first)) and (mx := _mixed_row(first)):
            first, mixed = mx, True
        if pos < 2 or not (_is_row(first) or _with_unit_cell(first) or mixed):
            continue
        header = _header(text, pos, year)
        if header is None:
            continue
        cells, columns, by_row = header
        if remark:
            # 指标　2025年基期值　2030年目标值　属性, rows ending on 预期性: a last column of remarks holds no figure
            if not _REMARK_HEAD.fullmatch(cells[-1]):
                continue
            cells, columns = cells[:-1], columns[:-1]
            if not by_row and not any(columns[1:]):
                by_row = any(_CELL_YEAR.search(c) or _CELL_QUARTER.search(c) for c in cells[1:])
            if by_row == "measures" and len(cells) < 3:
                continue
        if year and any(col and len(col) == 5 and _AT_START_CELL.match(col[3]) for col in columns):
            columns = [_at_start_column(text, pos, col) for col in columns]
        head_columns = columns
        # a column of units (指标名称　计量单位　2025年　比上年增长（%）): each row's unit cell (亿元, 家) is the unit of
        # the columns that name none of their own
        unit_at = next((i for i, c in enumerate(cells) if i and _UNIT_COLUMN.fullmatch(c)), 0)
        if not unit_at and not _is_row(first) and not mixed:
            continue
        row_unit = ""  # the unit a row of a table of several units was read in (单位：亿元、家、件、%)
        places_year = _places_year(text, pos, year) if by_row == "places" else ""
        against_ours = by_row == "places" and all(
            c == REDACTED_REGION or _OWN_REGION_CELL.fullmatch(c) for c in cells[1:]
        )
        while pos < len(text):
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            line = text[pos:line_end]
            row, width = _table_row(line, remark, len(cells))
            if (width not in (len(cells), len(cells) + 1) or not _is_row(row)) and line_end < len(text):
                # 2　长循环钠离子储能电池　…　能量密度\n不低于160瓦时/千克…　1200, 高新技\n术产业投资　86.2　88.9: a row broken
                # over two lines (the page's line break) read as one, where the two make a row as wide as the header
                # and the second is none of its own (or the first is a piece of a label: a few words, no number)
                after = text.find("\n", line_end + 1)
                after = len(text) if after < 0 else after
                nxt = text[line_end + 1 : after]
                joined, joined_width = _table_row(line.rstrip() + nxt.lstrip(), remark, len(cells))
                if (
                    joined_width in (len(cells), len(cells) + 1)
                    and _is_row(joined)
                    and not _SENTENCE_END.search(line.strip()[-1:])
                    and (_wrapped_label(line) or not _fits(_table_row(nxt, remark, len(cells)), len(cells)))
                ):
                    line, line_end, row, width = line.rstrip() + nxt.lstrip(), after, joined, joined_width
            if mixed and not _is_row(row) and (mx := _mixed_row(row)):
                row = mx
            unit_cell = row[unit_at] if unit_at and len(row) == len(cells) else ""
            if unit_cell and _with_unit_cell(row, unit_at):
                row[unit_at] = "—"  # read as an empty cell: the columns after it take its unit
            if width not in (len(cells), len(cells) + 1) or not (_is_row(row) or (mixed and _mixed_row(row))):
                if _is_row(row) and (len(row) > 2 or "〔存疑：" in line):
                    # a row the header does not fit: passed over, the table goes on (高等学〔存疑：？〕〔存疑：？〕203　27.4:
                    # a row whose gap the repair's marks took, its figures unsure, too)
                    pos = line_end + 1
                    continue
                if by_row == "measures" and _unit_figure_row(row):
                    # 产品良品率　≥92%　94.6%　达标: a row whose cells write their units, read by the text's own reading —
                    # but a readiness level in words (技术成熟度（级）　≥7级　七级), which a sentence would not give
                    if _READINESS.search(row[0]):
                        facts.extend(_levels_in_words(text, pos, line, row, year))
                    pos = line_end + 1
                    continue
                if _marked_row_passed(text, line, line_end, remark, len(cells)):
                    pos = line_end + 1  # a row the repair left doubtful: passed over, the table goes on
                    continue
                if "计" in line and not by_row:
                    facts.extend(_column_totals(line, pos, line_end, cells, head_columns, year))
                break
            label = row[0]
            row_above, row_unit = row_unit, ""
            offset = pos + line.find(label) + len(label)
            if by_row == "mixed":
                named = _label_cell(label)
                columns = [
                    _column(f"{c}（{named.group('unit')}）", "", year)
                    if named and col is None and i and _CELL_YEAR.search(c)
                    else col
                    for i, (c, col) in enumerate(zip(cells, head_columns, strict=True))
                ]
                label = named.group("name") if named else label
            elif by_row == "places":
                named = _label_cell(label)
                if named is None:
                    pos = line_end + 1
                    continue
                # (a region the page redacted, 〔隐去〕省: its column's figures are of no region known, not read —
                # unless the header's other regions are all ours, 指标　我省　〔隐去〕省: then it is another province,
                # read as REDACTED_REGION and named after, when the page names one other province only)
                columns = [
                    None
                    if c.startswith("〔隐去〕") and not (c == REDACTED_REGION and against_ours)
                    else _column(f"{places_year}年（{named.group('unit')}）", "", year)
                    for c in cells
                ]
                label = named.group("name")
            elif by_row == "measures" and _HEAD_CELL.match(label) is None:
                # 光束质量因子　1.3　1.25: a figure without a unit, as measured
                columns = [("quantity", "", "", c, str(year) if year else "") for c in cells]
            elif by_row:
                named = _label_cell(label)
                if named is None:
                    pos = line_end + 1
                    continue
                columns = [_column(f"{c}（{named.group('unit')}）", "", year) for c in cells]
                label = named.group("name")
            skip = len(cells) + 1 - len(row)
            for cell, column, head in zip(row[1:], columns[skip:], cells[skip:], strict=True):
                if column is not None and column[0] == "row":
                    # the row's label says the unit (研发费用, 新增企业数); where it names a place (琨川市),
                    # the column's name does (合同数 in 项, 成交额 in 亿元 under 单位：项、亿元、%)
                    # (其中：技术开发合同 under 技术合同成交额: a part of the row above, in its unit)
                    unit = (
                        row_above
                        if row_above and _PART_OF_ABOVE.match(label)
                        else _row_unit(label, column[2])
                        or _row_unit(column[1], column[2])
                        # (类型　入网仪器　服务机时 under 单位：台（套）、万机时: as many units as columns, neither the row's
                        # label nor the column's name saying which: each column the unit listed in its place)
                        or column[3]
                    )
                    column = _column(column[1], unit, year)
                    row_unit = row_unit or unit
                # (a cell of a row read across its broken line is not in the text as it is read: passed over)
                offset = found if (found := text.find(cell, offset, line_end)) >= 0 else offset
                if (
                    column is not None
                    and column[0] == "rank"
                    and (placed := _RANK_IN_CELL.fullmatch(cell)) is not None
                    and (
                        n := cn_number(placed.group(1))
                        if not placed.group(1).isdigit()
                        else int(placed.group(1))
                    )
                ):
                    # 第8位, 第九位 under 全国排名: the place's number (its figure where the text writes it), in 位
                    digits = placed.group(1)
                    facts.append(
                        Fact(
                            "rank",
                            f"{label}{column[3]}",
                            "",
                            Decimal(n),
                            "位",
                            "",
                            column[4],
                            line.strip(),
                            offset + 1,
                            offset + 1 + len(digits),
                            pos,
                            line_end,
                            None,
                            None,
                            "",
                            "",
                        )
                    )
                    offset += len(cell)
                    continue
                if (
                    mixed
                    and column is not None
                    and column[0] == "level"
                    and (levels := _LEVELS_CELL.fullmatch(cell)) is not None
                ):
                    # 4级至7级 under 可承接技术成熟度: a readiness level or a range of two (the text reads no level without
                    # a readiness word in its sentence), in 级
                    for i in (1, 2):
                        if levels.group(i):
                            at = offset + levels.start(i)
                            facts.append(
                                Fact(
                                    "level",
                                    f"{label}{column[3]}",
                                    "",
                                    Decimal(levels.group(i)),
                                    "级",
                                    "",
                                    column[4],
                                    line.strip(),
                                    at,
                                    at + len(levels.group(i)),
                                    pos,
                                    line_end,
                                    None,
                                    None,
                                    "",
                                    "",
                                )
                            )
                    offset += len(cell)
                    continue
                if column is None or not _ROW_NUMBER.fullmatch(cell):
                    offset += len(cell)
                    continue
                if column is not None and column[0] == "unit_cell":
                    column = _column(column[1], unit_cell, year)
                    if column is None:
                        offset += len(cell)
                        continue
                kind, unit, scale, name, period = column
                if year and "目标" in name and int(period) >= year:
                    kind = "target"  # 2025年目标值
                bound = _CELL_BOUNDS.get(cell[:1], "")
                if bound:
                    cell, offset = cell[1:], offset + 1  # ≥2.6: the figure after its bound
                value = _scaled_value(cell.lstrip("-－"), scale or None)
                if cell[:1] in "-－" and value is not None:
                    value = -value  # a fall written -3.2 (or －3.2)
                subject = f"{label}{name}"
                # 玓潖省 heading its column: the region the figure is about (我省, 本市: the report's own)
                place = "" if by_row != "places" or _OWN_REGION_CELL.fullmatch(head) else head
                facts.append(
                    Fact(
                        kind,
                        subject,
                        "",
                        value,
                        unit,
                        bound,
                        period,
                        line.strip(),
                        offset,
                        offset + len(cell),
                        pos,
                        line_end,
                        None,
                        None,
                        scale,
                        place,
                    )
                )
                offset += len(cell)
            pos = line_end + 1
        done = pos
    return facts


# a total of a column said right after its table, the figure bare (上述5项装备合同金额合计22550，): the column's name before
# 合计 and the figure ending its clause
_COLUMN_TOTAL = re.compile(
    r"(?P<name>[^\s，,。；;：:\d]{2,10}?)(?:合计|总计|共计)(?:为|达到|达|)(?P<n>\d+(?:\.\d+)?)(?=[，,。；;])"
)


def _column_totals(
    line: str, pos: int, line_end: int, cells: list[str], columns: list, year: int | None
) -> list[Fact]:
    """The totals the line right after a table says of its columns without a unit (上述5项装备合同金额合计22550，约占…
    under 装备名称 申报单位 合同金额 保费补贴比例 and 单位：万元、%): each in its column's unit and scale, as a cell of it."""
    out = []
    for said in _COLUMN_TOTAL.finditer(line):
        name = said.group("name")
        at = next((i for i, c in enumerate(cells) if i and len(c) > 1 and name.endswith(c)), 0)
        column = columns[at] if at else None
        if column is not None and column[0] == "row":
            column = _column(column[1], _row_unit(column[1], column[2]), year)
        if column is None or column[0] not in ("money", "count", "quantity"):
            continue
        kind, unit, scale, col_name, period = column
        value = _scaled_value(said.group("n"), scale or None)
        if value is None:
            continue
        start = pos + said.start("n")
        out.append(
            Fact(
                kind,
                f"{col_name}合计",
                "",
                value,
                unit,
                "",
                period,
                line.strip(),
                start,
                start + len(said.group("n")),
                pos,
                line_end,
                None,
                None,
                scale,
                "",
            )
        )
    return out


def _levels_in_words(text: str, pos: int, line: str, row: list[str], year: int | None) -> list[Fact]:
    """The readiness levels written in words in a table's row of a task's required and measured values (七级)."""
    out, at = [], pos + len(row[0])
    for cell in row[1:]:
        at = text.find(cell, at, pos + len(line))
        if at < 0:
            break
        if _LEVEL_IN_WORDS_CELL.fullmatch(cell) and (n := cn_number(cell[:-1])):
            label = _label_cell(row[0])
            subject = label.group("name") if label else row[0]
            out.append(
                Fact(
                    "level",
                    subject,
                    "",
                    Decimal(n),
                    "级",
                    "",
                    str(year) if year else "",
                    line.strip(),
                    at,
                    at + len(cell),
                    pos,
                    pos + len(line),
                    None,
                    None,
                    "",
                    "",
                )
            )
        at += len(cell)
    return out


# a row's label whose unit's opening bracket the page lost to an unknown character (研发投入强度〔存疑：？〕%),
# 研发投入强度？%)): the unit still read
_HEAD_CELL_EATEN = re.compile(
    r"^(?P<name>.*?)(?:〔存疑：[？?]?〕|[？?])(?P<unit>[^（(）)〔〕？?]{1,8})[）)]$"
)


def _label_cell(label: str):
    """A row's label naming its unit (研发投入强度（%）): the name and the unit, as `_HEAD_CELL` reads them."""
    named = _HEAD_CELL.match(label)
    if named is None and ("？" in label or "?" in label):
        named = _HEAD_CELL_EATEN.match(label)
    return named


_HEAD_STOP = re.compile(r"([）)])。(?=\S)")
# a column's unit said by its name in the sentence introducing a table (经费单位：亿元；强度单位：%)
_UNIT_OF_EACH = re.compile(r"([^\s，,。；;（(：:、]{1,6}?)单位[:：]\s*([^\s，,。；;）)、：:]{1,6})")


# a cell of a figure written with its own unit (≥99.999%, 94.6%, ≥7级, 七级): the text's own reading finds it
_UNIT_FIGURE_CELL = re.compile(
    r"(?:[≥≤＞＜><])?[-－]?\d+(?:\.\d+)?(?:%|％|[^\s\d.]{1,6})|[一二三四五六七八九十]{1,2}级"
)
_LEVEL_IN_WORDS_CELL = re.compile(r"[一二三四五六七八九十]{1,2}级")


# a cell of a range written with its units (4级至7级, 3至5年) and a readiness level's cell (7级, 4级至7级)
_RANGE_CELL = re.compile(r"\d+(?:\.\d+)?[^\s\d.至到～~]{0,4}(?:至|到|～|~)\d+(?:\.\d+)?[^\s\d.]{1,4}")
_LEVELS_CELL = re.compile(r"(\d{1,2})级(?:(?:至|到|～|~)(\d{1,2})级)?")


def _mixed_row(cells: list[str]) -> list[str] | None:
    """A list table's row whose text cells (a name, a body) are followed by figures, some bare and some written with
    their units (蛱州…中试基地　…研究院　12800　146项　4级至7级): the label (the text cells joined) and the figures; None
    for a row of bare figures or of figures with units only."""
    at = len(cells)
    while at > 1 and (
        _ROW_NUMBER.fullmatch(cells[at - 1])
        or _UNIT_FIGURE_CELL.fullmatch(cells[at - 1])
        or _RANGE_CELL.fullmatch(cells[at - 1])
    ):
        at -= 1
    figures = cells[at:]
    bare = sum(1 for c in figures if _ROW_NUMBER.fullmatch(c))
    if len(figures) < 2 or not bare or bare == len(figures):
        return None
    return ["".join(cells[:at]), *figures]


def _unit_figure_row(cells: list[str]) -> bool:
    """A table's row whose cells write their figures with their units (多晶硅纯度　≥99.999%　99.9995%　达标: a last cell
    of words, a remark, aside), at least one of them: not a row of bare numbers."""
    figures = cells[1:-1] if len(cells) > 3 and not _ROW_NUMBER.search(cells[-1]) else cells[1:]
    return (
        len(figures) > 1
        and all(_ROW_NUMBER.fullmatch(c) or _UNIT_FIGURE_CELL.fullmatch(c) for c in figures)
        and any(_UNIT_FIGURE_CELL.fullmatch(c) and not _ROW_NUMBER.fullmatch(c) for c in figures)
    )


def _header(text: str, pos: int, year: int | None) -> tuple[list[str], list, bool | str] | None:
    """(cells, each cell's column, whether the rows' labels give the unit) of the header above the row at
    `pos`: the line above, or the one above that when the line between is a piece of a broken line (a
    short line without a sentence's end, as where a page wrapped a row's label). Rows whose cells write their
    units (≥99.999%　99.9995%) between a header of required and measured values and the row are passed over,
    and so is a first row whose label the page lost (`_header_above_a_row_without_label`)."""
    got = _header_above(text, pos, year)
    if got is None and pos >= 2:
        got = _header_above_a_row_without_label(text, pos, year)
    if got is not None or pos < 2:
        return got
    up = pos
    for _ in range(8):
        above = text.rfind("\n", 0, up - 1) + 1
        if not _unit_figure_row(_CELL_SPLIT.split(text[above : up - 1].strip())):
            break
        up = above
    if up == pos:
        return None
    got = _header_above(text, up, year)
    return got if got is not None and got[2] == "measures" else None


def _header_above_a_row_without_label(
    text: str, pos: int, year: int | None
) -> tuple[list[str], list, bool | str] | None:
    """The header above the line above `pos` when that line is a table's first row whose label the page lost
    (`　1126.30　1098.50　2.5` under `项目　2026年预算数　2025年预算数　增减`: bare numbers, one cell fewer than the
    header); None otherwise. The row itself is not read (whose figures they are is lost with its label)."""
    above = text.rfind("\n", 0, pos - 1) + 1
    line = text[above : pos - 1]
    if not line[:1].isspace():
        return None
    cells = _CELL_SPLIT.split(line.strip())
    if len(cells) < 2 or not all(_ROW_NUMBER.fullmatch(c) for c in cells):
        return None
    got = _header_above(text, above, year)
    return got if got is not None and len(got[0]) == len(cells) + 1 and not got[2] else None


def _header_above(text: str, pos: int, year: int | None) -> tuple[list[str], list, bool | str] | None:
    end = pos - 1
    for tries in range(2):
        head_start = text.rfind("\n", 0, end) + 1
        head = text[head_start:end].strip()
        if not tries and head_start > 1 and _HEAD_CELL.match(head) and not _CELL_SPLIT.search(head):
            # 设区市　科普专职人员（人）　公\n民具备科学素质比例（%）: the header's last cell broken off its line (a line of
            # one cell ending in the unit the last cell of the line above, a header's, lacks): one header
            above_start = text.rfind("\n", 0, head_start - 1) + 1
            above = _CELL_SPLIT.split(text[above_start : head_start - 1].strip())
            if len(above) > 2 and not _HEAD_CELL.match(above[-1]) and _HEAD_CELL.match(above[-2]):
                head_start, head = above_start, text[above_start : head_start - 1].strip() + head
        if "〔存疑：" in head:
            # 成交额（亿元）〔存疑：　〕比上年增长（%）: a header's mark read as what it holds (its cells' gap too)
            head = _MARK_HOLDS.sub(r"\1", head)
        if "。" in head:
            # 地区　R&D经费（亿元）。比上年增长(%)　投入强度(%): a 。 right after a cell's unit is the cells' gap the
            # repair took for a full stop (a header holds no sentence)
            head = _HEAD_STOP.sub("\\1\u3000", head)
        if head.endswith(("：", ":")) and "单位" in head and len(units := _UNIT_OF_EACH.findall(head)) > 1:
            # 各设区市R&D经费及投入强度如下（经费单位：亿元；强度单位：%）：, the rows right after it: no header line,
            # each column's unit named in the sentence, in the columns' order
            columns = [None, *(_column(f"{name}（{unit}）", "", year) for name, unit in units)]
            if all(columns[1:]):
                return ["", *(name for name, _unit in units)], columns, False
        cells = _CELL_SPLIT.split(head)
        if len(cells) == 1:
            cells = [c for c in _AFTER_UNIT.split(head) if c]
        elif ("）" in head or ")" in head) and any(_TWO_UNITS.match(c) for c in cells):
            # 加计扣除金额（亿元）”壬夏暝鲩L(%): two cells whose gap the page lost (a garbled run in its place), each
            # ending in its unit, as a header of one line without gaps is read
            cells = [p for c in cells for p in _two_cells(c)]
        if not cells:
            # (an empty line above the row, a damaged page's: no header — it had raised IndexError below)
            return None
        # 单位：亿元 in the two lines above the header (the table's title line, or a line of its own)
        unit_said = _TABLE_UNIT.search("\n".join(text[max(0, head_start - 80) : head_start].split("\n")[-3:]))
        # every cell's column: a row as long as the header has the label's column first; a row one cell
        # longer has a label column the header leaves unnamed (or ran into the next: 合同类别合同数（项）)
        table_unit = unit_said.group("unit") if unit_said else ""
        unit_of = None  # the one column a unit line names (（设备原值单位：万元）): the others keep their own
        if unit_said is not None:
            named = _UNIT_OF_EACH.search(unit_said.string, max(0, unit_said.start() - 7), unit_said.end())
            if named is not None and named.group(1) in cells[1:]:
                unit_of, table_unit = named.group(1), ""
        if "、" in table_unit:
            # 单位：亿元、家、%: a growth column in %, the others in the unit the row's label calls for
            units = table_unit.split("、")
            columns = [
                _column(c, "%", year)
                if "%" in units and (_GROWTH_CELL.search(c) or _SHARE_CELL.search(c))
                else (
                    "row",
                    c,
                    units,
                    # (the unit in the column's place: not for an index or a score, which has none: 创新指数 under
                    # 单位：家、%)
                    units[i - 1]
                    if i and len(units) == len(cells) - 1 and not _UNITLESS_NAME.search(c)
                    else "",
                )
                for i, c in enumerate(cells)
            ]
            columns[0] = None  # the labels' column
            for i in range(2, len(cells)):
                # 成交额　上年同期: the column before's measure, the year before (上年同期 names no unit itself)
                if (
                    columns[i][0] == "row"
                    and columns[i - 1] is not None
                    and columns[i - 1][0] == "row"
                    and _CELL_LAST_YEAR.search(cells[i])
                    and not _GROWTH_CELL.search(cells[i])
                    and _row_unit(cells[i], units) == ""
                ):
                    columns[i] = ("row", cells[i - 1] + cells[i], units, "")
        else:
            columns = [
                _column(c, unit_said.group("unit") if c == unit_of else table_unit, year) for c in cells
            ]
            if not table_unit and len(cells) > 2 and any(_INDEX_VALUE_CELL.fullmatch(c) for c in cells[1:]):
                # 一级指标　指数值　比上年提高　全国排名: a column of index values (no unit: an index has none) and the
                # change beside it (比上年提高: the same measure's points of index, no unit either), the report's year
                columns = [
                    _index_column(c, year)
                    if i
                    and col is None
                    and (_INDEX_VALUE_CELL.fullmatch(c) or _INDEX_CHANGE_CELL.fullmatch(c))
                    else col
                    for i, (c, col) in enumerate(zip(cells, columns, strict=True))
                ]
            if "指数" in cells[0] and not table_unit:
                # 分指数　今年　上年　全国排名: a table of indices, a column of a year's values naming no unit (an index has
                # none: its value is a quantity without one, as said bare in a sentence)
                columns = [
                    _index_column(c, year) if i and col is None and _INDEX_YEAR_CELL.fullmatch(c) else col
                    for i, (c, col) in enumerate(zip(cells, columns, strict=True))
                ]
        if not table_unit and not any(columns) and len(cells) > 2:
            # 环节　技术数　已突破　攻关中　待布局 under 梳理关键核心技术126项…已突破38项，攻关中61项: columns naming no unit,
            # each counted in the measure the text just before writes right after its name (技术数: 技术)
            columns = (
                _columns_said_before(text[max(0, head_start - 1500) : head_start], cells, year) or columns
            )
        if any(i and _UNIT_COLUMN.fullmatch(c) for i, c in enumerate(cells)):
            # 指标名称　计量单位　2025年　比上年增长（%）: a column naming no unit of its own is in the row's unit cell's
            columns = [
                col if col is not None or not i or _UNIT_COLUMN.fullmatch(c) else ("unit_cell", c)
                for i, (c, col) in enumerate(zip(cells, columns, strict=True))
            ]
        # a header of years (2020年基期值  2025年目标值) over rows whose labels say the unit (研发投入强度（%）)
        # (or of quarters: 一季度  二季度  三季度  前三季度, the report's year)
        by_row = not any(columns) and any(_CELL_YEAR.search(c) or _CELL_QUARTER.search(c) for c in cells[1:])
        if not by_row and not any(columns) and len(cells) > 2 and all(map(_REGION_CELL.fullmatch, cells[1:])):
            # 指标　我省　玓潖省: a column per region over rows whose labels say the unit
            by_row = "places"
        measured = cells[1:-1] if _REMARK_HEAD.fullmatch(cells[-1]) else cells[1:]
        if not by_row and not any(columns) and len(cells) > 2 and all(map(_MEASURE_CELL.fullmatch, measured)):
            by_row = "measures"
        if (
            not by_row
            and not table_unit
            and any(columns)
            and any(
                col is None and i and _CELL_YEAR.search(c) and not _HEAD_CELL.match(c)
                for i, (c, col) in enumerate(zip(cells, columns, strict=True))
            )
        ):
            # 指标　2024年1—9月　2025年1—9月　同比增减（%）: the period columns name no unit (the rows' labels do:
            # 技术合同成交额（亿元）), the growth column does
            by_row = "mixed"
        if any(columns) or by_row:
            return cells, columns, by_row
        if head_start < 1 or len(head) > 24 or _SENTENCE_END.search(head) or len(cells) > 1:
            return None
        end = head_start - 1
    return None


_SPACED_CELLS = re.compile(r"[^\s]+(?: [^\s]+){2,}")
# (a row's last cell a range written with its units, 4级至7级: a figure too)
_SPACED_LAST = re.compile(
    r"[-－]?\d+(?:,\d\d\d)*(?:\.\d+)?[^\s\d]{0,4}?(?:(?:至|到|～|~)\d+(?:\.\d+)?[^\s\d]{0,4})?"
)


def _spaced_tables(text: str) -> str | None:
    """`text` with the cells of its tables parted by one space (a header line and at least two rows under it, each
    line of three or more cells parted by single spaces, as many in each, the rows ending in a figure) parted by
    U+3000 instead, as the table reader reads cells; None when it has none."""
    lines = text.split("\n")
    spaced = [
        len(line.split(" ")) if _SPACED_CELLS.fullmatch(line) and "\u3000" not in line else 0
        for line in lines
    ]
    out, found, i = list(lines), False, 0
    while i < len(lines):
        width = spaced[i]
        j = i + 1
        while (
            j < len(lines)
            and width
            and spaced[j] == width
            and _SPACED_LAST.fullmatch(lines[j].rsplit(" ", 1)[-1])
        ):
            j += 1
        if width and j - i >= 3 and not _SPACED_LAST.fullmatch(lines[i].rsplit(" ", 1)[-1]):
            for k in range(i, j):
                out[k] = lines[k].replace(" ", "\u3000")
            found = True
            i = j
        else:
            i += 1
    return "\n".join(out) if found else None


def _columns_said_before(before: str, cells: list[str], year: int | None) -> list | None:
    """Each column of a header without units (its first cell the labels') counted in the measure word the text
    before the table writes right after the column's name and a figure (已突破38项: 项; 技术数 by 技术126项); None
    unless every column's is found."""
    columns: list = [None]
    for cell in cells[1:]:
        name = cell[:-1] if cell.endswith("数") and len(cell) > 2 else cell
        pattern = re.escape(name) + r"(?:为|达|共|)\d+(?:\.\d+)?" + _MEASURE_AFTER
        said = (
            list(re.finditer(pattern, before))[-1] if len(name) >= 2 and re.search(pattern, before) else None
        )
        if said is None or (column := _column(f"{cell}（{said.group('measure')}）", "", year)) is None:
            return None
        columns.append(column)
    return columns


_MEASURE_AFTER = "(?P<measure>" + "|".join(sorted(map(re.escape, MEASURES), key=len, reverse=True)) + ")"


# a column of growth rates (增长, 增速, 同比增长, 比上年增长, 增幅)
_GROWTH_CELL = re.compile(r"增长|增速|增幅|同比|增减")  # (增减 under 单位：万元、%: the change, in %)
# a column of shares or intensities (研发强度, 占比, 比重, 通过率), in % where the table's units list it
_SHARE_CELL = re.compile(r"强度|占比|比重|比例$|率$")  # (保费补贴比例: a share)
# what a row's label counts in a table of several units (单位：亿元、家、%): bodies in 家, amounts in money
_COUNTED_LABEL = re.compile(r"(?:企业|机构|单位|平台|孵化器|园区|中心|实验室)(?:数|数量|)$")
# a column or row of a number of things (合同数, 项目数量, 人数): counted in the table's one measure word
# (not 指数, 系数, 分数, 倍数; 预算数, 决算数: amounts)
_NUMBER_OF = re.compile(r"[^\d指系分倍函参算]数(?:量|)$")
_AMOUNT_LABEL = re.compile(r"额|费|投资|收入|产值|资金|经费|支出|增加值|贷款|预算|决算")


# a row that is a part of the row above (其中：技术开发合同)
_PART_OF_ABOVE = re.compile(r"其中[:：]?")
# the measure word a row's label calls for among a table's several (单位：亿元、家、件、%): bodies in 家, patents in 件
_LABEL_MEASURES = (
    ("家", re.compile(r"企业|机构|单位|平台|孵化器|园区|中心|实验室|高校|医院")),
    ("件", re.compile(r"专利|标准|商标|著作权")),
    ("项", re.compile(r"项目|合同|成果|专利|标准|奖")),
)


def _row_unit(label: str, units: list[str]) -> str:
    """The unit of a row's figures among the table's (`单位：亿元、家、%`): 家 (or the one count unit) for a
    label naming bodies (新增科技型中小企业), the money unit for an amount (研发费用, 技术合同成交额); "" (no
    fact) when the label says neither. Where the table lists several measure words, the one the label's
    noun is counted in (新认定高新技术企业, 科技型中小企业入库: 家; 发明专利授权: 件)."""
    counts = [u for u in units if u in MEASURES]
    if _COUNTED_LABEL.search(label) or _NUMBER_OF.search(label):
        if len(counts) == 1:
            return counts[0]
        return _measure_of(label, counts)
    if _AMOUNT_LABEL.search(label):
        money = [u for u in units if u in _MONEY_SCALES]
        return money[0] if len(money) == 1 else ""
    return _measure_of(label, counts) if len(counts) > 1 else ""


def _measure_of(label: str, counts: list[str]) -> str:
    """The one measure word among `counts` whose nouns the label names, "" when none or several."""
    said = {u for u, nouns in _LABEL_MEASURES if u in counts and nouns.search(label)}
    return said.pop() if len(said) == 1 else ""


def _numbered(cells: list[str]) -> list[str]:
    """A numbered row of a list table (`1  高强度铝合金轮毂压铸工艺  珂阳轻合金研究院  480`: a row number,
    text cells, then numbers) as a label (the text cells) and its numbers; any other row as it is."""
    if len(cells) < 3 or _ROW_NUMBER.fullmatch(cells[1]) or cells[1] in _EMPTY_CELLS:
        # (省级财政科技支出年均增长（%）　—　≥10　11.6: a row whose first figure is left empty, written —)
        return cells
    # (a row of text cells without a number, 高温超导电缆　漻州电工装备有限公司　3500　7 under 榜单名称　牵头单位　财政支持
    # （万元）　技术就绪度目标: the text cells are the label too)
    first = 1 if cells[0].isdigit() else 0
    at = len(cells)
    while at > 1 and _ROW_NUMBER.fullmatch(cells[at - 1]):
        at -= 1
    if at == len(cells):
        return cells
    if not first and (_ROW_NUMBER.search(cells[0]) or any(_column("", c, None) for c in cells[1:at])):
        return cells  # (R&D经费支出　亿元　92.4: a unit's cell, the table's column of units)
    if any(_LEVELS_CELL.fullmatch(c) for c in cells[first + 1 : at]):
        # (船舶动力系统　珩州市　4级　7级　12600 under 项目　所在地　立项时技术成熟度　验收时技术成熟度　新增销售收入: a level's
        # cell is a figure of its column, not a piece of the label: a list table's row, read as mixed)
        return cells
    return ["".join(cells[first:at]), *cells[at:]]
    return ["".join(cells[first:at]), *cells[at:]]


def _with_unit_cell(cells: list[str], at: int = 1) -> bool:
    """A label, a unit cell (亿元, 家, %) and bare numbers: a row of a table with a column of units."""
    return (
        len(cells) > at + 1
        and _column("", cells[at], None) is not None
        and _is_row([*cells[:at], *cells[at + 1 :]])
    )


_UNIT_COLUMN = re.compile(r"(?:计量|)单位")


# the last column of a plan's table of targets (属性, 指标属性: 预期性 or 约束性), or of remarks (备注)
_REMARK_HEAD = re.compile(r"(?:指标)?(?:属性|性质)|备注|完成情况|(?:评审|评价|评估|)结论")
# a header's columns of a task's figures, the required and the measured (指标　合同要求　中期实测; 合同要求　实测值): each
# of the report's year, in the unit the row's label says
_MEASURE_CELL = re.compile(
    r"(?:合同|任务书|考核|榜单|验收|)(?:要求|指标值?)|(?:中期|期末|年度|验收|现场|)(?:实测|测试|检测|实际)(?:值|结果|)|目标值|完成值"
)


def _remark_at(cells: list[str]) -> int | None:
    """-1 when the row ends on a cell of words after its numbers (预期性, 约束性: a remark column), else None."""
    # (…　11.6　—　约束性: the last figure left empty, written —)
    if (
        len(cells) > 2
        and (_ROW_NUMBER.fullmatch(cells[-2]) or cells[-2] in _EMPTY_CELLS)
        and not _ROW_NUMBER.search(cells[-1])
        and cells[-1] not in _EMPTY_CELLS
    ):
        return -1
    return None


def _tables_of_the_reviewed_year(year: int, tabled: list[Fact], starts: list[int], years: list[str]) -> None:
    """A table under a heading reviewing an earlier year (一、2025年度汇算清缴情况 in a 2026 report), its columns naming
    no year of their own (享受企业（户）, 比上年增长（%）): its figures are of the year reviewed."""
    now = str(year)
    for f in tabled:
        i = bisect_right(starts, f.start)
        section = years[i - 1] if i else ""
        if section[:1] != "r" or f.period != now or f.kind == "target":
            continue
        if _CELL_YEAR.search(f.subject) or _CELL_LAST_YEAR.search(f.subject) or "今年" in f.subject:
            continue
        f.period = section[1:]


def _table_row(line: str, remark: int, n_cells: int) -> tuple[list[str], int]:
    """A table's line as its cells (a numbered row's number taken off) and its width."""
    row = _CELL_SPLIT.split(line.strip())
    # 1  项目名称  揭榜单位  480 under 序号  项目名称  揭榜单位  市财政支持（万元）: the text cells are the
    # label, the numbers the header's last columns' (a row as wide as the header)
    if remark and _remark_at(row):
        row = row[:-1]
    if (
        len(row) + 1 in (n_cells, n_cells + 1)
        and len(row) > 2
        and row[0].isdigit()
        and (glued := _TEXT_AND_NUMBER.fullmatch(row[-1])) is not None
    ):
        # 2　耐650℃高温合金叶片材料　〔隐去〕航材科技有限公司。600: a numbered row's gap before its number read as a mark
        # (the gap's bytes decoded as 。), as a label's is (漻州市。86)
        row[-1:] = [glued.group("label"), glued.group("number")]
    width = len(row)
    row = _numbered(row)
    if width == len(row):
        if len(row) + 1 in (n_cells, n_cells + 1) and (glued := _LABEL_AND_NUMBER.fullmatch(row[0])):
            # the gap after the label narrowed to one space (damage ate a character of it: 技术科？ 11842), or
            # read as a mark (漻州市。86: the gap's bytes decoded as 。)
            row[:1] = [glued.group("label"), glued.group("number")]
        width = len(row)
    width += _empty_text_cells(line, row, width, n_cells)
    return row, width


# 合计　　4860　4568 under 包号　设备名称　预算金额　中标金额: a total's row leaves a text cell empty (two gaps run together)
_EMPTY_TEXT_LABEL = re.compile(r"[^\s\d]+")


def _empty_text_cells(line: str, row: list[str], width: int, n_cells: int) -> int:
    """How many text cells a row short of the header leaves empty: its label is followed by full-width gaps run
    together (合计　　4860　4568 under 包号　设备名称　预算金额　中标金额; 合计　　　　26280 under 项目　所在地　立项时…
    验收时…　新增销售收入), one for each cell left empty, its other cells parted by one (the numbers stay in their columns)."""
    piece = line.strip()
    if width >= n_cells or len(row) < 2 or "\u3000\u3000" not in piece:
        return 0
    parts = piece.split("\u3000")
    if _EMPTY_TEXT_LABEL.fullmatch(parts[0]) is None:
        return 0
    empty = [i for i, p in enumerate(parts) if not p]
    if len(parts) != n_cells or empty != list(range(1, len(empty) + 1)) or len(parts) - len(empty) != width:
        return 0
    return len(empty)


def _marked_row_passed(text: str, line: str, line_end: int, remark: int, n_cells: int) -> bool:
    """电子信息。〔存疑：？〕4　8 between rows of 领域　重组前（家）　重组后（家）: a line the header does not fit, holding a
    mark of the repair's (its gap or a figure doubtful), right before a line that is a row of the table: a damaged
    row, passed over (the rows after it are the table's still)."""
    if "〔存疑：" not in line or len(line) > 40 or line_end >= len(text):
        return False
    after = text.find("\n", line_end + 1)
    nxt = text[line_end + 1 : len(text) if after < 0 else after]
    return "〔" not in nxt and _fits(_table_row(nxt, remark, n_cells), n_cells)


def _fits(row_width: tuple[list[str], int], n_cells: int) -> bool:
    row, width = row_width
    return width in (n_cells, n_cells + 1) and _is_row(row)


def _wrapped_label(line: str) -> bool:
    """`line` is a piece of a row's label broken off its line: a few words, no number, no sentence's end."""
    piece = line.strip()
    return 0 < len(piece) <= 12 and not _SENTENCE_END.search(piece) and not any(c.isdigit() for c in piece)


_EMPTY_CELLS = ("—", "-", "－")


def _is_row(cells: list[str]) -> bool:
    """A label and bare numbers (a cell left empty written —)."""
    return len(cells) > 1 and all(
        _ROW_NUMBER.fullmatch(c) or c in _EMPTY_CELLS or _RANK_IN_CELL.fullmatch(c) for c in cells[1:]
    )


# a cell of a ranking column written as a place (第8位, 第九位): its number, in 位
_RANK_IN_CELL = re.compile(r"第(\d{1,3}|[一二三四五六七八九十]{1,3})位")


_AFTER_UNIT = re.compile(r"(?<=[）)])")


def _two_cells(cell: str) -> tuple[str, ...]:
    m = _TWO_UNITS.match(cell)
    return (cell,) if m is None else m.group(1, 2)


# a header cell ending in a unit after another's (成交额（亿元）比上年增长(%)): two cells
_TWO_UNITS = re.compile(r"^(.+?[（(][^（()）\s]{1,8}[）)])([^（()）\s]{1,12}[（(][^（()）\s]{1,8}[）)])$")
# a header cell naming a region (我省, 本市, 玓潖省, 潖江市): a table comparing regions column by column
_OWN_REGION_CELL = re.compile(r"[我本全][省市县区]")
_REGION_CELL = re.compile(rf"[我本全][省市县区]|(?:[{HAN}]{{2,6}}|〔隐去〕)[省市县]")
# the sentence introducing a table, its year (现将两省2025年科技创新主要指标比较分析如下), within the lines above it
_INTRODUCED_YEAR = re.compile(r"(20\d\d)年[^。\n]{0,30}?如下[：:。]?")


def _places_year(text: str, pos: int, year: int | None) -> str:
    """The year of a table of regions starting at `pos`: the year the sentence introducing it names (…2025年…如下),
    looked for in the three lines above; else the report's."""
    start = pos
    for _ in range(4):
        start = text.rfind("\n", 0, max(0, start - 1)) + 1
    said = _INTRODUCED_YEAR.findall(text, start, pos)
    return said[-1] if said else str(year or "")


# (the gap's bytes decoded as a mark: 。，、； or ！, 高等学！41.2 where the label's last character went with it)
_TEXT_AND_NUMBER = re.compile(
    rf"(?P<label>\S.*?(?<=[{HAN}]))[。，、；！](?P<number>\d+(?:,\d\d\d)*(?:\.\d+)?)"
)
_LABEL_AND_NUMBER = re.compile(
    rf"(?P<label>\S.*?)(?: |(?<=[{HAN}])[。，、；！])(?P<number>-?\d+(?:,\d\d\d)*(?:\.\d+)?)"
)


# 今年，… after a clause a target year was said in: the report's own year again
_NOW = ("今年", "本年", "当年")

# an enumerated item opening after ； (一是…；二是…): its own time, not the one the item before said
_NEXT_ITEM = re.compile(r"[二三四五六七八九十]是")

# a sentence opening on the time the sentence before said (2024年，市里出台…。这一年，…)
_THAT_YEAR = ("当年", "这一年", "同年", "该年", "那一年")
_YEAR_SAID = re.compile(r"(20\d\d)年")
_NOW_AGAIN = re.compile(r"今年|本年|目前|现在|此后|之后")


def _that_year(ctx: "Sentence", text: str, prev: int, base: int, year: int | None) -> None:
    """当年/这一年 opening a sentence: the figures after it are of the last year the sentence before said,
    when that is earlier than the report's, until 今年 (目前, 现在) says the report's time again."""
    said = _YEAR_SAID.findall(text, prev, base)
    if not said or not year or int(said[-1]) >= year:
        return
    ctx.said_year, ctx.said_pos = said[-1], 0
    again = _NOW_AGAIN.search(ctx.text)
    if again is not None:
        ctx.said_until = again.start()


# a paragraph opening on an earlier year, its time for what it states (2025年，全省高新区实现营业收入…; 截至2025年底，全省
# 共有…31个) in a later report
_EARLIER_YEAR_OPENS = re.compile(
    # (2025年度联合基金资助项目24项，…。相关成果…新增产值超过12亿元: 年度 opening the paragraph, before its noun; 2025年度， names a
    # round: dev26-04 keys the sentences after it at the report's year)
    r"^[ \t\u3000]*(?:截至|截止|到)?(20\d\d)年(?:(?:底|末|年底|年末|)[，,]|度(?![，,]))",
    re.MULTILINE,
)
# a time of its own said in a sentence (今年, 目前, another year, 以来, 去年 …): the earlier year no longer goes on
_TIME_OF_ITS_OWN = re.compile(
    r"今年|本年|明年|去年|上年|前年|目前|现在|当前|截至|以来|此后|之后|如今|20\d\d年|年底|年末"
)
_FULL_STOP = re.compile(r"[。！？]")
_A_BOUND = re.compile(r"不足|超过|低于|高于|不少于|不低于|少于|多于|以上|以下")


# a yearbook's or a bulletin's note that its tables are of an earlier year (以下各表均为2025年数据, 本公报所列均为2025年度
# 数据) in a report of the year after
_DATA_OF_A_YEAR = re.compile(
    r"(?:以下|下列|下表|本表|各表|表中|本年鉴|本公报|本摘录)[^。\n]{0,8}?(?:均为|均系|均是|为|系)(20\d\d)年度?的?数据"
)


def _data_of_a_year(text: str, year: int, said: re.Match, facts: list[Fact]) -> None:
    """瑭崆科技统计年鉴（2026）摘录 … 以下各表均为2025年数据: every figure after the note read at the report's year is
    of the year it names (a figure said with a year of its own keeps it)."""
    then, now = said.group(1), str(year)
    if int(then) >= year:
        return
    for f in facts:
        if f.start >= said.end() and f.period == now:
            f.period = then


# a statistical bulletin titled with the year its data are of (2025年某省研究与试验发展（R&D）经费投入统计公报, 某省2025年
# 国民经济和社会发展统计公报), published the year after
# (or its annual report: 蛱蚰省大型科研仪器开放共享2025年度报告, 某大学2025年度科技成果转化年度报告 — not a report on a year's
# matter, 2025年度省级预算执行审计查出问题整改情况的报告, 2024年度实施绩效评价报告)
_BULLETIN_OF_A_YEAR = re.compile(
    r"[^\n]{0,24}?(20\d\d)年度?(?:[^\n]{0,40}?统计(?:监测)?公报|(?<=度)(?:[^\n]{0,20}?年度)?报告)[ \t\u3000]*(?=\n)"
)
# what dates a bulletin's sentence otherwise (比上年 is the bulletin's own comparison, not a time of its own; 本年度
# is the year it reports on: 本年度参加考核的管理单位186家 in a 2025年度报告)
_BULLETIN_OWN_TIME = re.compile(r"今年|明年|目前|现在|当前|如今|预计|截至|到20|至20")


def _bulletin_of_a_year(text: str, year: int, titled: re.Match, facts: list[Fact]) -> None:
    """2025年鹇鸰省…经费投入统计公报 published in 2026: the bulletin's figures read at the report's year (分活动类型看，
    全省基础研究经费51.7亿元; a city table's cells) are of the year its title names; its dateline (2026年9月25日), a
    figure said with a year or a time of its own in its sentence, stay as read."""
    then, now = titled.group(1), str(year)
    if int(then) >= year:
        return
    for f in facts:
        if f.start < titled.end() or f.period != now or f.kind in ("date", "target"):
            continue
        sentence = text[_sentence_start(text, f.start) : _sentence_end(text, f.end, None)]
        if f"{now}年" in sentence or _BULLETIN_OWN_TIME.search(sentence) is not None:
            continue
        # (R&D经费投入超过100亿元的设区市有3个, 年使用机时不足600小时的214台（套）: the bound of a class the bulletin's data
        # are counted in is of their year too, as under a heading reviewing an earlier year — dev24-03, dev32-04, dev38-07)
        f.period = then


# a report delivered early in its year (——2026年1月22日在…会议上, （2026年2月26日）) in its first lines
_DELIVERED_EARLY = "{year}年[12]月(?:[12]\\d|3[01]|[1-9])日"
# a paragraph reviewing the years before (过去五年，, 五年来，, 过去一年，): its window's length
_REVIEW_OPENS = re.compile(
    r"(?:过去|)(?P<n>[一二两三四五六七八九十]|\d{1,2})年(?:来|里|间|中|)[，,]|过去一年[，,]|去年[，,]"
)
# a paragraph opening on a time of its own (今年主要抓好…, 今后五年的目标是, 明年, 下一步) or a heading
_OWN_TIME_OPENS = re.compile(r"今年|本年|今后|明年|下一步|未来|到20\d\d|20\d\d年|[一二三四五六七八九十]、")
_NOW_IN_SENTENCE = re.compile(r"今年|目前|现在|当前|如今|明年|今后")
_HEADING_LINE = re.compile(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}[部章节])"
)
# a figure of the year before the one a review speaks of (由上年的第31位, 比上年的2.3%)
_REVIEWED_YEARS_LAST = re.compile(r"(?:由|从|比|较)上年(?:同期|末|底|)的$")
# what follows a movement's start (提高到, 增加到, 位升至, 位跃升至)
_MOVED_ON = re.compile(
    r"[^\d，。；]{0,4}?(?:提高|增加|扩大|增长|上升|提升|跃升|攀升|升|降低|下降|降|减少|缩短|延长|压缩)(?:到|至|为)"
)


def _review_delivered_early(text: str, year: int, facts: list[Fact]) -> None:
    """A report delivered in the first weeks of its year (a government work report, ——2026年1月22日在…会议上) reviewing
    the years before it (a paragraph opening on 过去五年，, 五年来，, 过去一年，): from that paragraph on, the figures read
    at the report's year are of the year before — not in a paragraph opening on a time of its own (今年主要抓好…, 今后五年
    的目标是…) nor in a sentence saying now (今年, 目前); a movement's start without a year of its own (研发投入强度由1.52%
    提高到2.21%, 由全国第19位升至第14位) is of the window's first year (五年: 2020 for a review ending 2025)."""
    head = "\n".join(text.split("\n", 3)[:3])
    if re.search(_DELIVERED_EARLY.format(year=year), head) is None:
        return
    now, before = str(year), str(year - 1)
    window = 0
    paragraphs = []
    at = 0
    for line in text.split("\n"):
        if _HEADING_LINE.match(line) is not None or "〔缺失" in line:
            # 二、关于2026年的重点任务: a section of its own (a review opens it again); a gap may have taken such a heading
            window = 0
        opens = _REVIEW_OPENS.match(line)
        if opens is not None:
            n = opens.group("n")
            window = (int(n) if n.isdigit() else cn_number(n) or 0) if n else 1
        if window and _OWN_TIME_OPENS.match(line) is None:
            paragraphs.append((at, at + len(line), window))
        at += len(line) + 1
    if not paragraphs:
        return
    for f in facts:
        if f.kind in ("date", "target"):
            continue
        span = next(((a, w) for a, z, w in paragraphs if a <= f.start < z), None)
        # (a movement's start the window dated from the report's year, 过去五年，…由1.52%提高到: 2021 in a 2026 report,
        # counted again from the year reviewed below)
        if span is None or f.period not in (now, before, str(year - span[1])):
            continue
        ss = max(text.rfind(c, 0, f.start) for c in "。！？；\n") + 1
        if _NOW_IN_SENTENCE.search(text, ss, f.start) is not None:
            continue
        if f.period == before and _REVIEWED_YEARS_LAST.search(text, max(0, f.start - 8), f.start) is not None:
            # 过去一年，…我市由上年的第31位升至第26位: 上年 is the year before the one reviewed (not 去年, said from now)
            f.period = str(year - 2)
            continue
        moved = _MOVE_FROM.search(text, max(0, f.start - 12), f.start)
        if (
            moved is not None
            # (由原来的90个工作日, 由上年的第15位: a start naming its own time)
            and "20" not in moved.group()
            and "的" not in moved.group()
            and _MOVED_ON.match(text, f.end) is not None
        ):
            f.period = str(year - 1 - span[1])  # 由1.52%提高到2.21% in a review of five years: from 2020
        elif f.period == now:
            f.period = before


# years listed before 分别 (2024年、2025年认定的首台（套）装备分别实现销售11.2亿元和15.8亿元)
_YEARS_EACH = re.compile(r"((?:20\d\d年[、和与及])+20\d\d年)[^，。；\d]{0,24}?分别")
_YEARS_SUMMED = re.compile(r"[两二三四五六七八九十\d]年(?:来|)(?:累计|合计|共计|共)")


def _years_each(text: str, year: int, facts: list[Fact]) -> None:
    """2024年、2025年…分别实现销售11.2亿元和15.8亿元: the figures after the years' list, one per year in their order;
    a figure later in the sentence is not of the list's first year — of its last where its clause sums the years
    (两年累计…逾五百项), else of the report's year (…，带动省内配套企业210余家)."""
    for m in _YEARS_EACH.finditer(text):
        years = re.findall(r"(20\d\d)年", m.group(1))
        stop = _FULL_STOP.search(text, m.end())
        end = stop.start() if stop is not None else len(text)
        after = [f for f in facts if m.end() <= f.start < end and f.kind != "date"]
        if len(after) < len(years) or any(f.period not in years for f in after[: len(years)]):
            continue
        for f, said in zip(after, years, strict=False):
            f.period = said
        for f in after[len(years) :]:
            if f.period != years[0] or f.kind == "target":
                continue
            cs = max(text.rfind(c, 0, f.start) for c in "，,；;") + 1
            f.period = years[-1] if _YEARS_SUMMED.search(text, cs, f.start) is not None else str(year)


def _paragraph_of_an_earlier_year(text: str, year: int, facts: list[Fact]) -> None:
    """2025年，全省高新区实现营业收入1.87万亿元…。高新区内高新技术企业6380家…。每万名从业人员拥有发明专利248件。 in a
    2026 report (截至2025年底，全省共有省级中试基地31个…。其中，…13个，占41.9%): a paragraph opening on an earlier year
    and stating that year's figures in its first sentence goes on with that year in its later sentences, until one
    says a time of its own (今年, 目前, another year …). Only facts read at the report's year change."""
    now = str(year)
    for m in _EARLIER_YEAR_OPENS.finditer(text):
        then = m.group(1)
        if int(then) >= year:
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        stop = _FULL_STOP.search(text, m.end(), end)
        if stop is None:
            continue
        # the first sentence states the year's figures (2023年，市科技局出台…办法。 is an event: nothing goes on)
        if not any(m.start() <= f.start < stop.start() and f.period == then for f in facts):
            continue
        start = stop.end()
        while start < end:
            stop = _FULL_STOP.search(text, start, end)
            sentence_end = stop.end() if stop is not None else end
            if _TIME_OF_ITS_OWN.search(text, start, sentence_end) is not None:
                break
            for f in facts:
                if (
                    start <= f.start < sentence_end
                    and f.period == now
                    and not f.place
                    # (近三年年均服务企业不足10家的中试基地有13个: the bound of a class, no value of the year)
                    and not (
                        text.startswith("的", f.end)
                        and _A_BOUND.search(text, max(0, f.start - 3), f.start + 2)
                    )
                ):
                    f.period = then
            start = sentence_end


# 评选于1995年，当年授奖96项: a year before 2000 (the figure pattern reads 20xx only) said, and 当年 opening the
# next clause: that clause's figures (to the sentence's end or 今年) are of that year
_OLD_YEAR_THEN = re.compile(r"(?<!\d)(19\d\d)年[，,](?:当年|同年|这一年|该年)")


def _old_years_then(text: str) -> list[re.Match]:
    """`list(_OLD_YEAR_THEN.finditer(text))`: every match opens on 19 (tried only there, scan.matches_at;
    speed11)."""
    return scan.matches_at(_OLD_YEAR_THEN, text, ("19",), (0,))


_SENTENCE_STOP = re.compile(r"[。！？；\n]")


def _of_an_old_year(text: str, year: int, facts: list[Fact]) -> None:
    now = str(year)
    for m in _old_years_then(text):
        stop = _SENTENCE_STOP.search(text, m.end())
        end = stop.start() if stop else len(text)
        again = _NOW_AGAIN.search(text, m.end(), end)
        if again is not None:
            end = again.start()
        for f in facts:
            if m.end() <= f.start < end and f.period == now and f.kind != "target":
                f.period = m.group(1)


_RULES: dict = {}

# 由14个月缩短至10个月，明年实现; 年育苗能力达到5000万株，明年就能投用: a figure whose clause is followed by
# 明年 and a verb of reaching it is next year's target
_NEXT_YEAR_REACHED = re.compile(
    r"[，,]明年(?:就能|就可|就可以|就要|即可|可|将|能|要|)(?:实现|完成|建成|投用|投产|达到|达产|见效)"
)
_DIGIT = re.compile(r"\d")


def _next_year_after(text: str, year: int, facts: list[Fact]) -> None:
    if _NEXT_YEAR_REACHED.search(text) is None:
        return  # (most texts that say 明年 do not say it so)
    now, then = str(year), str(year + 1)
    starts = sorted(f.start for f in facts)
    for f in facts:
        if f.period != now or f.kind in ("rank", "date"):
            continue
        ce = min((x for x in (text.find(c, f.end) for c in "，,；。\n") if x >= 0), default=len(text))
        if (
            _NEXT_YEAR_REACHED.match(text, ce)
            and _DIGIT.search(text, f.end, ce) is None
            # 规模要从现在的二十亿扩大到五十亿，明年就要见效: only the clause's last figure (a numeral in words after it too)
            and bisect_left(starts, f.end) == bisect_left(starts, ce)
        ):
            f.period, f.kind = then, "target"


# a sentence opening on 明年 (明年市财政安排…, 明年是“十五五”开局之年，我提几个数：…): the sentences after it in its
# paragraph that plan (要, 力争, 将 … before the figure) and say no time of their own go on with next year
_OPENS_NEXT_YEAR = re.compile(r"[“\"]?明年(?![的以])")
_PLAN_WORD = re.compile(r"要|力争|争取|将|确保|计划|预计")
# the lead of a point (第三，明年要…; 其次，明年…)
_ITEM_LEAD = re.compile(r"(?:第[一二三四五六七八九十]{1,2}|其次|再次|最后)[，,]$")
_PLAN_ITEM = re.compile(r"[一二三四五六七八九十]是")
# a speaker's label opening an answer's line (司马景川：)
_ANSWER_LABEL = re.compile(r"[ \t\u3000]*[\u4e00-\u9fff·]{1,8}：")
_OWN_TIME = re.compile(
    r"今年|本年|去年|前年|上年|当年|目前|现在|如今|以来|已|过去|此前|(?:19|20)\d\d年|\d{1,2}月"
)


def _next_year_goes_on(text: str, year: int, facts: list[Fact]) -> None:
    now, then = str(year), str(year + 1)
    by_sentence: dict[int, list[Fact]] = {}
    for f in facts:
        by_sentence.setdefault(f.sentence_start, []).append(f)
    for m in _OPENS_NEXT_YEAR.finditer(text):
        at = m.start()
        if at and text[at - 1] in "，," and (lead := _ITEM_LEAD.search(text, max(0, at - 6), at)) is not None:
            at = lead.start()  # 第三，明年要抓好几件事。: a point of a speech opening on 明年
        if (
            at
            and text[at - 1] not in "。！？\n"
            # (司马景川：明年省级财政科技支出计划再增加百分之十左右。一是…: an answer opening on 明年 after its speaker's label)
            and not (text[at - 1] == "：" and _ANSWER_LABEL.fullmatch(text, text.rfind("\n", 0, at) + 1, at))
        ):
            continue
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        stop = _SENTENCE_STOP.search(text, at, end)
        if stop is not None and stop.group() == "？":
            # a question about next year (明年怎么干？我讲三条。): the sentence answering it is next year's
            start = stop.end()
            stop = _SENTENCE_STOP.search(text, start, end)
            answer_end = stop.start() if stop is not None else end
            if _OWN_TIME.search(text, start, answer_end) is None:
                for f in by_sentence.get(start, ()):
                    if f.period == now and f.kind not in ("rank", "date"):
                        f.period = then
        # the parts after a ； of the sentence opening on 明年 (明年市财政…要确保增长百分之十五以上…；市里再拿出三个亿，…):
        # the same sentence, next year's unless a part says a time of its own
        while stop is not None and stop.group() == "；":
            start = stop.end()
            stop = _SENTENCE_STOP.search(text, start, end)
            part_end = stop.start() if stop is not None else end
            if _OWN_TIME.search(text, start, part_end) is not None:
                break
            for f in by_sentence.get(start, ()):
                if f.period == now and f.kind not in ("rank", "date"):
                    f.period = then
        while stop is not None and (
            stop.group() == "。"
            # (…。一是拿出五个亿…；二是…，每家给予最高两千万的支持，实施期三年。: the plan's items parted by ；)
            or (stop.group() == "；" and _PLAN_ITEM.match(text, stop.end()) is not None)
        ):
            start = stop.end()
            stop = _SENTENCE_STOP.search(text, start, end)
            sentence_end = stop.start() if stop is not None else end
            if start >= sentence_end or _OWN_TIME.search(text, start, sentence_end) is not None:
                break
            for f in by_sentence.get(start, ()):
                if (
                    f.period == now
                    and f.kind not in ("rank", "date")
                    and (
                        _PLAN_WORD.search(text, start, f.start) is not None
                        # 三是抓转化，新建概念验证中心十家。: an item of the plan enumerated
                        or _PLAN_ITEM.match(text, start) is not None
                    )
                ):
                    f.period, f.kind = then, "target"


# a clause of a plan opening on the years it gives itself to reach a total (三年引进博士三十名以上、…，选派科技特派员一百五十名;
# 力争三年引进…成果二十项以上): the total is due at the end of those years, the report's year and that many (a three-year plan
# written in 2026 ends in 2029); not a time limit (三年内: keyed as a duration, the figure of the report's year), a window
# (三年来, 近三年), nor a change already made (五年提高了)
_YEARS_TO_REACH = re.compile(
    r"(?:^|(?<=[，,。；\n]))(?:力争|争取|计划|)(?:用|)(?P<n>[二两三四五六七八九十]|[2-9]|10)年(?:时间|)"
    r"(?:引进|培育|新增|新建|建成|建设|选派|培养|引育|招引|孵化|推广|认定|攻克|突破|打造|转化)(?!了)"
)
# (the pattern's years and verb as words a text must hold, tested before the pattern is run over the text)
_YEARS_TO_REACH_CUES = (
    *(f"年{v[0]}" for v in ("引", "培", "新", "建", "选", "孵", "推", "认", "攻", "突", "打", "转", "招")),
    "年时间",
)
_EACH_YEAR = re.compile(r"每年|年均|平均每年|每个?月")


def _years_to_reach(text: str, year: int, facts: list[Fact]) -> None:
    now = str(year)
    for m in _YEARS_TO_REACH.finditer(text):
        n = m.group("n")
        then = str(year + (int(n) if n.isdigit() else int(cn_number(n))))
        stop = _SENTENCE_STOP.search(text, m.end())
        end = stop.start() if stop is not None else len(text)
        if _OWN_TIME.search(text, m.end(), end) is not None:
            continue
        for f in facts:
            if m.start() <= f.start < end and f.period == now and f.kind not in ("rank", "date"):
                clause = max(text.rfind(c, m.start(), f.start) for c in "，,") + 1
                if _EACH_YEAR.search(text, max(clause, m.start()), f.start) is None:
                    f.period, f.kind = then, "target"


# a paragraph of a goals section (三、分领域目标) opening on the year its goals are set for, after its run-in label
# ((二)企业创新。到2030年，…。培育科技领军企业30家、…; a label of two phrases, （一）建设高能级创新平台，夯实创新基础。):
# the sentences after it that say no time of their own go on with it
_OPENS_ON_TARGET_YEAR = re.compile(
    r"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]{1,2}[）)][^。\n]{1,24}。)?到(20\d\d)年[，,]", re.MULTILINE
)


# now as a movement's start (由现在的6级提升到9级)
_FROM_NOW = re.compile(r"[由从](?:现在|目前|当前)的")
_NOW_OF = ("现在的", "目前的", "当前的")


def _target_year_goes_on(text: str, year: int, facts: list[Fact]) -> None:
    now = str(year)
    headings = [(h.start(), h.group(0)) for h in _HEADING.finditer(text)]
    for m in _OPENS_ON_TARGET_YEAR.finditer(text):
        then = m.group(1)
        heading = next((h for at, h in reversed(headings) if at < m.start()), "")
        if int(then) <= year or ("目标" not in heading and "任务" not in heading):
            continue  # (二、重点任务 of a plan: its goals too)
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        first = text.find("。", m.end(), end)
        if first < 0:
            continue
        # (…技术成熟度要由现在的6级提升到9级: now is the movement's start, its end goes on with the goals' year)
        own = [
            o.start()
            for o in _OWN_TIME.finditer(text, first, end)
            if not _FROM_NOW.match(text, o.start() - 1)
        ]
        for f in facts:
            if (
                first < f.start < end
                and f.period == now
                and f.kind not in ("rank", "date")
                and not text.endswith(_NOW_OF, 0, f.start)
            ):
                start = max(text.rfind("。", 0, f.start), text.rfind("；", 0, f.start)) + 1
                if not any(start <= o < f.start for o in own):
                    f.period, f.kind = then, "target"


# a movement (由19家增加到44家, 从二百八十七家增加到六百一十五家): its start after 由/从 and a few words, its end
# after a verb of change and 到/至/为
_MOVE_FROM = re.compile(r"(?:由|从)(?:20\d\d年(?:底|末|)的?|)[^\d，。；、由从到至]{0,6}$")
_MOVE_TO = re.compile(
    r"[^\d，。；]{0,4}?(?:提高|增加|扩大|扩展|发展|增长|上升|提升|跃升|攀升|降低|下降|减少|缩短|延长|压缩|增|升|降)(?:到|至|为)"
    r"[^\d，。；]{0,4}$"
)
# the growth a movement's figures make, said in the clause after its end (，增长1.1倍, ，提高了12.5%)
_GROWN = re.compile(r"[^\d，。；]{0,2}[，,](?:增长|增加|提高|提升|上升)了?(?:近|约|超过|)")
# a time of its own said around a movement (年, 时, 届, 目前, 现在 …): it is not read as going on with another
_MOVE_TIME = re.compile(r"年|时|届|之初|来|今|目前|现在|如今|当前")


def _movements_go_on(text: str, year: int, facts: list[Fact]) -> None:
    """A movement said with no time of its own right after one whose start and end are of other years than the
    report's (R&D经费投入强度由2020年的1.21%提高到1.96%。高新技术企业从二百八十七家增加到六百一十五家; 从立项时的4级
    提升到目前的8级，国产化率由不足50%提高到92%): its start and end are of the same years, as a reader carries
    the pair on, when only a comma or a sentence's end and its subject part them (same paragraph)."""
    now = str(year)
    moves = []  # (start fact, end fact)
    for f, g in zip(facts, facts[1:]):
        if (
            f.unit == g.unit
            and f.kind != "date"
            and _MOVE_FROM.search(text, max(0, f.start - 14), f.start) is not None
            and _MOVE_TO.fullmatch(text, f.end, g.start) is not None
        ):
            moves.append((f, g))
    before = str(year - 1)
    for (f0, g0), (f, g) in zip(moves, moves[1:]):
        if (f0.period, g0.period) == (now, now):
            continue
        if (f.period, g.period) != (now, now) and not (
            # 蚰阳市由2024年上一轮评价的第3位升至第2位，蜩川市由第2位降至第3位: a rank's (a level's) start read the year
            # before by the levels' and ranks' rule, no time of its own, goes on with the start before it as any does
            f.unit in ("级", "位")
            and (f.period, g.period) == (before, now)
            and f0.period != before
            and _MOVE_TIME.search(text, max(0, f.start - 14), f.start) is None
        ):
            continue
        if (
            f0.unit in ("级", "位")
            and f.unit not in ("级", "位")
            and _MOVE_TIME.search(text, max(0, f0.start - 14), f0.start) is None
        ):
            # 成熟度由6级提高到8级。国产化率由35%提高到72%: a level's (a rank's) start without a time of its own is
            # the year before by the levels' and ranks' rule only (FACTS_KEY); another figure's movement starts now
            continue
        between = text[g0.end : f.start]
        if (
            len(between) > 24
            or "\n" in between
            or between.count("。") + between.count("；") > 1
            or _MOVE_TIME.search(between) is not None
            or _MOVE_TIME.search(text, f.end, g.start) is not None
        ):
            continue
        f.period, g.period = f0.period, g0.period
        # …增加到六百一十五家，增长1.1倍: the growth of that movement, of its end's year
        grown = next((h for h in facts if h.start > g.end), None)
        if (
            grown is not None
            and grown.period == now
            and grown.unit in ("倍", "%")
            and _GROWN.fullmatch(text, g.end, grown.start) is not None
        ):
            grown.period = g.period


# the growth a movement made, said in the clause right after its end (…由2021年的18.6亿元增长到去年的41.2亿元，年均增长
# 22.0%; …，增长1.2倍)
_GROWN_OVER = re.compile(
    r"[^\d，。；]{0,2}[，,](?:年均|年平均|平均每年|累计|共|)(?:增长|增加|提高|提升|上升)了?(?:近|约|超过|)"
)


def _growth_of_a_movement(text: str, year: int, facts: list[Fact]) -> None:
    """The growth said right after a movement whose end has a year of its own other than the report's (由2021年的
    18.6亿元增长到去年的41.2亿元，年均增长22.0%): the growth is of the end's year, as the end is."""
    now = str(year)
    for f, g, h in zip(facts, facts[1:], facts[2:]):
        if (
            h.period == now
            and g.period != now
            and g.period.isdigit()
            and h.unit in ("%", "倍")
            and f.unit == g.unit
            and f.kind != "date"
            and _MOVE_FROM.search(text, max(0, f.start - 14), f.start) is not None
            and _MOVE_TO.fullmatch(text, f.end, g.start) is not None
            and _GROWN_OVER.fullmatch(text, g.end, h.start) is not None
        ):
            h.period = g.period


# the years a movement took, said in the clause right after its end (…从1.38%提高到1.66%，五年提高了0.28个百分点)
_OVER_YEARS = re.compile(
    r"[，,](?:这|近|)(?P<n>[二两三四五六七八九十]|[2-9]|1[0-9])年(?:来|间|里|中|)(?:累计|共|)"
    r"(?:提高|增长|增加|提升|上升|下降|降低|减少)"
)


def _movements_over_years(text: str, facts: list[Fact]) -> None:
    """A movement with no time of its own for its start (研发投入强度从1.38%提高到1.66%，五年提高了0.28个百分点): the
    years the clause after it says it took date its start that many years before its end (a five-year change
    ending in 2025 starts from 2020's figure)."""
    for f, g in zip(facts, facts[1:]):
        if (
            f.period == g.period
            and f.period.isdigit()
            and f.unit == g.unit
            and f.kind != "date"
            and (start := _MOVE_FROM.search(text, max(0, f.start - 14), f.start)) is not None
            and _MOVE_TO.fullmatch(text, f.end, g.start) is not None
            and (over := _OVER_YEARS.match(text, g.end)) is not None
            # (由2020年的…, 从立项时的…: the start's own time)
            and _MOVE_TIME.search(text, start.start(), f.start) is None
        ):
            n = over.group("n")
            years = int(n) if n.isdigit() else int(cn_number(n))
            f.period = str(int(g.period) - years)


# a news item's dateline (本报岢潆10月15日电): the month its bare days are of
_DATELINE = re.compile(r"(?<!\d)(?P<m>1[0-2]|[1-9])月(?P<d>3[01]|[12]\d|[1-9])日电")
# a bare day after it (15日上午，…开幕; 将持续至17日，; 6日召开的): said with a time of day, an event's verb or ending its clause (not 30日内, 20日前,
# 每月15日, 第15日, 11月8日至10日: a span's end, read with its start)
_BARE_DAY = re.compile(
    r"(?<![\d月日第])(?P<d>3[01]|[12]\d|[1-9])日(?=上午|下午|晚上|晚间|早上|凌晨|中午|[，,。]"
    # (记者从6日召开的…发布会上获悉: the day an event was held)
    r"|(?:召开|举行|举办|开幕|闭幕)的)"
)


def _days_of_the_dateline(text: str, year: int, facts: list[Fact]) -> list[Fact]:
    """A news item dated by its dateline (本报岢潆10月15日电) names the days of that month bare after it (15日上午，
    第五届…开幕; 本届交易会将持续至17日，): each a date of the dateline's month, in the dateline's year."""
    line = _DATELINE.search(text, 0, 400)
    if line is None:
        return facts
    said = next((f for f in facts if f.kind == "date" and f.start == line.start()), None)
    period = said.period if said is not None and said.period else str(year)
    month = int(line.group("m"))
    taken = {f.start for f in facts}
    days = []
    for m in _BARE_DAY.finditer(text, line.end()):
        if m.start() in taken:
            continue
        s, e = m.start(), m.end()
        end = min((i for i in (text.find(c, e) for c in "，。；\n") if i >= 0), default=len(text))
        start = max(text.rfind(c, 0, s) for c in "。；！？\n") + 1
        days.append(
            Fact(
                "date",
                text[e:end][:20],
                "",
                f"{int(period):04d}-{month:02d}-{int(m.group('d')):02d}",
                "date",
                "",
                period,
                text[start:end],
                s,
                e,
                start,
                end,
            )
        )
    return sorted(facts + days, key=lambda f: f.start) if days else facts


# an average per item opening the clause after a figure (…上年度共实现技术性收入21.7亿元，平均每家约4019万元): of the
# figure's time
_AVERAGE_AFTER = re.compile(r"[^\d，。；]{0,2}[，,]平均(?:每|)[家个项人台套户所名笔件](?:约|近|超过|)$")


def _averages_go_on(text: str, year: int, facts: list[Fact]) -> None:
    """An average per item said right after the total it divides, in the next clause, is of the total's year
    (上年度共实现技术性收入21.7亿元，平均每家约4019万元: both the year before)."""
    now = str(year)
    for f, g in zip(facts, facts[1:]):
        if (
            g.period == now
            and f.period != now
            and f.kind == g.kind
            and f.unit == g.unit
            and _AVERAGE_AFTER.fullmatch(text, f.end, g.start) is not None
        ):
            g.period = f.period


# a share done of a later year's goal (已完成2027年目标值5500家的88.5%), a gap to it (距2027年2.3%的目标还差0.22个百分点)
_DONE_OF_GOAL = re.compile(r"完成20\d\d年(?:的|)目标(?:值|)[^，。；\d]{0,4}[\d.]+[^，。；\d]{0,4}的$")
# a clause of the gap still left to the goal just set (，还差2.2件, ，尚差约300家)
_GAP_LEFT = re.compile(r"(?:还|尚|仍)差(?:约|近|)")
_KIND_OF_UNIT = {"%": "percent", "百分点": "points", "元": "money", "位": "rank", "级": "level"}
_GAP_TO_GOAL = re.compile(
    r"(?:距|离|距离)20\d\d年(?:的|)[^，。；\d]{0,8}[\d.]+[^，。；\d]{0,4}的目标(?:还|尚|仍|)(?:差|相差|有)$"
)


def _measured_against_a_later_goal(text: str, year: int, facts: list[Fact]) -> None:
    """The share of a later year's goal done so far and the gap still left to it are measured now (the report's
    year): the year names which goal, the figure before 的 or 的目标 is the goal's (FACTS_KEY)."""
    now = str(year)
    for f in facts:
        if (
            f.period.isdigit()
            and int(f.period) > year
            and f.kind == "target"
            and (cs := _clause_start(text, f.start)) < f.start
            and _GAP_LEFT.fullmatch(text, cs, f.start) is not None
        ):
            # 到2027年…要达到10件，还差2.2件: the gap left, a clause of its own after the goal, is measured now
            f.period, f.kind = (
                now,
                _KIND_OF_UNIT.get(f.unit, "quantity" if f.unit not in MEASURES else "count"),
            )
            continue
        if f.period.isdigit() and int(f.period) > year and f.unit in ("%", "百分点", "个百分点"):
            cs = max(text.rfind(c, max(0, f.start - 60), f.start) for c in "，。；\n") + 1
            if _DONE_OF_GOAL.search(text, cs, f.start) or _GAP_TO_GOAL.search(text, cs, f.start):
                f.period = now
                if f.kind == "target":
                    f.kind = "points" if "百分点" in f.unit else "percent"


# the date a document is signed, on its last line (翊沣省科学技术厅\n2025年12月8日)
_SIGNED = re.compile(r"\n\s*(20\d\d)年(1[0-2]|[1-9])月(3[01]|[12]\d|[1-9])日\s*$")
# a deadline: 要在3月31日前, 须于4月30日前, 请在…之前 (the date and 前 after it)
_BY_DATE = re.compile(r"前|之前|以前")
# a deadline said as what had been planned (原定于9月30日前完成): its year the report's, a date it may already be past
_AS_PLANNED = re.compile(r"原定|原计划|原本|原先|本应|本该|按计划应")


def _deadlines_after_signing(text: str, year: int, facts: list[Fact]) -> None:
    """A deadline said without its year (要在3月31日前将整改方案报送) in a document signed in the report's year on a
    later day (2025年12月8日) is of the next year: a deadline is not already past when it is set."""
    signed = _SIGNED.search(text)
    if signed is None or int(signed.group(1)) != year:
        return
    when = (int(signed.group(2)), int(signed.group(3)))
    now, then = str(year), str(year + 1)
    for f in facts:
        if f.kind != "date" or f.period != now or f.start >= signed.start():
            continue
        if text[max(0, f.start - 5) : f.start].find("年") >= 0 or not _BY_DATE.match(text, f.end):
            continue  # (a year said with it: its own)
        if _AS_PLANNED.search(text, _clause_start(text, f.start), f.start) is not None:
            continue  # 第二个节点原定于9月30日前完成，项目组提前7天完成了: the plan's date, past when the report is signed
        month, day = int(str(f.value)[5:7]), int(str(f.value)[8:10])
        if (month, day) < when:
            f.period, f.value = then, f"{then}{str(f.value)[4:]}"


# 为期三天 … 三天的观展人数, 三天里共举办…: a duration said again as the span of what follows (…天的, 天里), not a second fact
_DAYS_IN_WORDS = re.compile(r"[一二两三四五六七八九十]{1,3}天")


def _durations_said_again(text: str, facts: list[Fact]) -> list[Fact]:
    seen: set = set()
    out = []
    for f in facts:
        if f.unit == "天":
            key = (f.value, f.unit)
            if (
                key in seen
                and text[f.end : f.end + 1] in ("的", "里", "中", "内")
                and _DAYS_IN_WORDS.fullmatch(text, f.start, f.end)
            ):
                continue
            seen.add(key)
        out.append(f)
    return out


# an evaluation of an earlier year's data (以2024年统计数据为基础, in a 2025 notice)
_DATA_BASE = re.compile(r"以(20\d\d)年度?的?(?:统计|监测|)数据为(?:基础|依据)")
# what the evaluation itself gives (its scores, ranks, index system, rewards), not an indicator's value
_DATA_VIEW = re.compile(r"从(?:运行|经营|发展)(?:情况|数据)看[，,]")
# a heading over the evaluated year's figures (一、资金使用, 二、服务成效, 一、基本情况), not its conclusions or advice
_DATA_HEADING = re.compile(r"^[^。\n]{0,6}(?:资金使用|服务成效|运行情况|基本情况|实施情况|主要成效)$")
_DATA_HEADING_WORDS = ("资金使用", "服务成效", "运行情况", "基本情况", "实施情况", "主要成效")


def _redacted_data_heading(heading: str) -> bool:
    """A heading of `_DATA_HEADING`'s words, a word of it the site redacted (二、服〔隐去〕效: 〔隐去〕 stands for the
    two characters a redaction takes)."""
    if "〔隐去〕" not in heading:
        return False
    words = heading.split("、", 1)[-1].strip()
    if len(words) > 12:
        return False
    pattern = re.compile("..".join(re.escape(p) for p in words.split("〔隐去〕")))
    return any(pattern.fullmatch(w) for w in _DATA_HEADING_WORDS)


_SCORED = re.compile(r"得分|分数|排名|名次|评价|获评|指标体系|奖励|有所(?:提高|下降|上升|提升)")
_CLAUSE_MARKS = "，；。：\n"


# a score a survey of the data's year gave (企业满意度93.6分, 用户满意度), not one the evaluation gives
_SURVEYED = re.compile(r"满意度|满意率")


def _of_the_data_year(text: str, year: int, facts: list[Fact]) -> None:
    """In an evaluation of an earlier year's data (以2024年统计数据为基础), the values under a heading of its
    indicators (三、分项指标) are that year's (a satisfaction score too: 企业满意度93.6分); its own scores (分), ranks
    and dates, and a clause about the scores, ranks, index system or rewards, stay the report's."""
    base = _DATA_BASE.search(text)
    if base is None or int(base.group(1)) >= year:
        return
    headings = [h for h in _HEADING.finditer(text) if h.start() > base.end()]
    spans = [
        (h.end(), headings[i + 1].start() if i + 1 < len(headings) else len(text))
        for i, h in enumerate(headings)
        if "指标" in h.group() or _DATA_HEADING.search(h.group()) or _redacted_data_heading(h.group())
    ]
    # 从运行情况看，参评机构共有研发人员4386人，…: a paragraph of the data's figures, said as such
    spans += [
        (v.end(), text.find("\n", v.end()) % (len(text) + 1)) for v in _DATA_VIEW.finditer(text, base.end())
    ]
    if not spans:
        return
    now = str(year)
    for f in facts:
        if f.period != now or f.kind in ("rank", "date", "target"):
            continue
        if not any(a <= f.start < b for a, b in spans):
            continue
        cs = max(text.rfind(c, 0, f.start) for c in _CLAUSE_MARKS) + 1
        if f.unit == "分" and _SURVEYED.search(text, cs, f.start) is None:
            continue  # the evaluation's own score (综合评分86分); 企业满意度93.6分 was surveyed in the data's year
        ce = min((x for x in (text.find(c, f.end) for c in _CLAUSE_MARKS) if x >= 0), default=len(text))
        if _SCORED.search(text, cs, ce) is None:
            f.period = base.group(1)


# a report whose data are mainly of an earlier year (评估以2024年统计数据为主，结合2025年前三季度监测数据)
_DATA_MAINLY = re.compile(r"以(20\d\d)年度?的?(?:统计|监测|运行|)数据为(?:主|基础|依据|主要依据)")
# a share or an intensity of R&D expenditure, a statistic of that year, its value stated (比重仅为3.2%)
_RD_STATISTIC = re.compile(r"研发经费|R&D经费|研究与试验发展经费|基础研究经费|研发投入强度|研发经费投入强度")
_STATED = ("为", "达到", "达", "仅", "只有", "是")
# what dates a sentence's figure of its own (2024年比2020年提高, 预计2025年, 今年)
# (named apart from `_OWN_TIME` above, which `_next_year_goes_on` reads: one name shadowed the other)
_DATED_IN_SENTENCE = re.compile(r"20\d\d年|今年|去年|本年|当年|目前|现在|如今|预计|明年|到20")


def _rd_statistics_of_the_data_year(text: str, year: int, facts: list[Fact]) -> None:
    """In a report whose data are mainly of an earlier year (以2024年统计数据为主), a share or intensity of R&D
    expenditure stated without a time of its own in its sentence (基础研究经费占研发经费的比重仅为3.2%) is a statistic of
    that year, and so are the points compared with it right after (，低于全省平均水平2.5个百分点); not a rate a rule
    pays (按…研发经费的20%给予后补助), a target or a figure dated in its sentence."""
    base = _DATA_MAINLY.search(text)
    if base is None or int(base.group(1)) >= year:
        return
    now, then = str(year), base.group(1)
    moved: Fact | None = None
    for f in facts:
        if f.start < base.end() or f.period != now or f.kind == "target":
            moved = None
            continue
        cs = max(text.rfind(c, 0, f.start) for c in _CLAUSE_MARKS) + 1
        if _DATED_IN_SENTENCE.search(text, f.sentence_start, f.start) is not None:
            moved = None
            continue
        if (
            f.unit == "%"
            and _RD_STATISTIC.search(text, cs, f.start) is not None
            and text[cs : f.start].endswith(_STATED)
        ):
            f.period, moved = then, f
        elif (
            f.unit == "百分点"
            and moved is not None
            and moved.sentence_start == f.sentence_start
            and "平均" in text[moved.end : f.start]
        ):
            f.period, moved = then, None
        else:
            moved = None


# a year written in numerals (二〇二〇年, 二〇二七年): read as its digits
_CN_YEAR_WORD = re.compile(r"(?<![〇零一二三四五六七八九十])[一二][〇零][〇零一二三四五六七八九]{2}(?=年)")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _with_cn_years(text: str, year: int | None, result) -> list[Fact]:
    """The facts of a text that writes its years in numerals: extracted from the text with those years in
    digits (the same offsets), each fact's quote, subject and predicate then in the text's own words."""
    said = [
        (m.start(), m.group(), m.group().translate(_CN_YEAR_DIGITS)) for m in _CN_YEAR_WORD.finditer(text)
    ]
    digits = list(text)
    for at, _words, number in said:
        digits[at : at + 4] = number
    facts = extract_facts("".join(digits), year=year, result=result)
    for f in facts:
        inside = [(w, d) for at, w, d in said if f.sentence_start <= at < f.sentence_end]
        if inside:
            f.quote = text[f.sentence_start : f.sentence_end].strip()
            for w, d in inside:
                f.subject = f.subject.replace(d, w)
                f.predicate = f.predicate.replace(d, w)
    return facts


# a full-width full stop between digits (成交额１２６３．８亿元, 增长１６．２％): a decimal point written full width
_FULL_POINT = re.compile(r"(?<=\d)．(?=\d)")


def _with_full_points(text: str, year: int | None, result) -> list[Fact]:
    """The facts of a text that writes its decimal points full width: extracted from the text with those points
    as `.` (the same offsets), each fact's quote then in the text's own characters."""
    points = [m.start() for m in _FULL_POINT.finditer(text)]
    facts = extract_facts(_FULL_POINT.sub(".", text), year=year, result=result)
    for f in facts:
        inside = [at for at in points if f.sentence_start <= at < f.sentence_end]
        if inside:
            f.quote = text[f.sentence_start : f.sentence_end].strip()
    return facts


# a province named as the report's neighbour before its name (我们的邻居泖沄省今年…, 邻省泖沄省…): the name is the subject
# (相邻的瀼岵省2025年R&D经费…: a neighbour said with 相邻的, 邻近的)
_NEIGHBOUR = r"(?:(?:来自|)(?:我们的|我省的|)(?:邻居|近邻|邻省)的?|相邻的|邻近的|隔壁的?|)"
# a speaker bidding the hearers look at the neighbour (可是大家看看我们的邻居…省，): the province is the subject
_LOOK_AT_THE_NEIGHBOUR = r"(?:可是|但是|但|可|而|)(?:大家|你们|我们|)(?:再|)看一?看(?=(?:我们的|我省的|)(?:邻居|近邻|邻省)|相邻的|邻近的|隔壁)"
# a province the text calls a neighbour (来自邻省的琎潏省科技馆, 我们的邻居琎潏省, 相邻的瀼岵省): another region, named
# (隔壁皞泺省的几家省实验室: next door, said in speech)
# (与邻省相比仍有差距，狻猊省同期为15.1%: the neighbour named opening the clause after the comparison)
_NAMED_NEIGHBOUR = re.compile(
    rf"(?:邻居|近邻|邻省|相邻|邻近|隔壁)(?:的?|相比[^，,。；;\d]{{0,8}}[，,])([{HAN}][^全本我该外各两邻跨分每]省)"
)
# a clause saying its figure is done with the report's own (与我省3家企业共建联合实验室)
_JOINT_WITH_OURS = re.compile(r"与我[省市县][^，,。；;]{0,12}?(?:共建|共同|联合|合作(?!协议))")
# 耜耖省农业机械研究院去年在我省锟川市设立的…中心首次参评，得分88.4分: a unit set up in ours by the province's, the
# province in the words describing the subject (the report's own, as 泷汐市科技局下派的专家服务团 is)
_SET_UP_IN_OURS = re.compile(r"在我[省市县区][^，,。；;]{0,8}?(?:设立|建立|组建|创办|设置)的")


def _joint_or_set_up_in_ours(text: str, at: int) -> bool:
    """The clause at `at` opening with another province names a figure joint with ours or of a unit it set up in ours."""
    end = _clause_end(text, at)
    return (
        _JOINT_WITH_OURS.search(text, at, end) is not None
        or _SET_UP_IN_OURS.search(text, at, end) is not None
    )


# joint with a city (a county) of the report's own (鹫…省科学院与鸲州市共建的鸲州分院…，得分88.7分): joint, as with 我省
_JOINT_WITH_A_CITY = re.compile(rf"与([{HAN}]{{2}}[市县])[^，,。；;]{{0,12}}?(?:共建|共同|联合)")


def _joint_with_our_city(text: str, at: int, cities: set[str]) -> bool:
    """Whether the clause at `at` says its subject acts jointly with a city or county that is not another region's."""
    j = _JOINT_WITH_A_CITY.search(text, at, _clause_end(text, at))
    return j is not None and j.group(1) not in cities and _NOT_A_CITY.match(j.group(1)) is None


# the clause before naming a whole of the report's own from outside the province that the next is a part of
# (省外单位参与的团队中，; 其中…是省外的，): the province's units or teams after it, not its department (其中省外单位29家，
# 蕴川省科学技术厅推荐的6家 is the department's)
# (a city's report: 其中市外机构64家，X省Y市的机构11家)
_PART_OF_OURS = re.compile(
    r"(?:^|(?<=[，,。；;：:\n]))(?:[^，,。；;：:\n]{0,12}[省市县]外[^，,。；;：:\n]{0,12}中|(?:其中|中|)[^，,。；;：:\n]{0,12}[省市县]外[^，,。；;：:\n]{0,6})$"
)
_CITY_DEPARTMENT = re.compile(r"(?:科学技术局|科技局)")


def _part_of_ours(text: str, s: int) -> bool:
    """Whether the clause at `s` is listed right after one naming a part of the report's own whole from outside
    it (其中省外单位参与的…，; 其中市外机构64家，)."""
    return s > 1 and text[s - 1] in "，," and _PART_OF_OURS.search(text, max(0, s - 40), s - 1) is not None


# a province named bare opening a sentence, its year right after it, as a statistic's subject (皞泺省2025年R&D经费547.3亿元,
# 皞泺省去年…): another region, named, when the title does not name it (the title's is the report's own)
# (答：皞泺省去年出台的办法…: after a speaker's or an answer's label opening the line too)
_PROVINCE_DATED = re.compile(
    rf"(?:^[^\n，。：:]{{1,4}}[：:]|^|(?<=[。！？]))([{HAN}][^全本我该外各两邻跨分每]省)(?=(?:20\d\d|去|上)年)",
    re.M,
)


# (every match holds 省 and its year right after, 省20, 省去年 or 省上年, two characters after its start or two
# more after a label's 2-5: tried only there, scan.matches_at; speed11)
_DATED_NEEDLES = ("省20", "省去年", "省上年")
_DATED_OFFSETS = (2, 4, 5, 6, 7)


def _provinces_dated(text: str, pos: int) -> list[re.Match]:
    """`list(_PROVINCE_DATED.finditer(text, pos))`."""
    return scan.matches_at(_PROVINCE_DATED, text, _DATED_NEEDLES, _DATED_OFFSETS, pos)


def _province_dated(text: str, pos: int) -> re.Match | None:
    """`_PROVINCE_DATED.search(text, pos)`."""
    return scan.search_at(_PROVINCE_DATED, text, _DATED_NEEDLES, _DATED_OFFSETS, pos)


# A clause whose subject is a province named in full (岱沄省, 岱沄省科学技术厅, 岱沄省科技厅): not 全省/本省 (one
# character before 省), 兄弟省份, 省内/省外/省级, and not a name in a list or beside the report's own (与…共建:
# a joint figure), nor after a preposition (与/由/流向/来自… stand before it: the clause's subject is another).
_PLACE_CLAUSE = re.compile(
    # (可是大家看看我们的邻居鹈鹕省，今年…: a speaker pointing at the neighbour, the clauses after going on with it; 人家鹈鹕省
    # 是百分之十二: the other side named)
    rf"(?:此外|同时|另外|另|而|同期|人家|{_LOOK_AT_THE_NEIGHBOUR}|)"
    rf"{_NEIGHBOUR}((?:[{HAN}]{{2}}省(?:科学技术厅|科技厅)?、)*[{HAN}]{{2}}省)"
    # (岫沅省同期…, 蒗湖省同类图谱…, 蓉沣省科学技术厅同步发布…: not 同 as with; 徂…省科学技术厅与该省骨干钢企设立的…: with
    # its own firms, its own)
    r"(?![内外级份域委])(?!(?:科学技术厅|科技厅)?(?:[与和及](?!该省|本省|省内)|同(?!期|类|步|时)))"
)
_PROVINCE = re.compile(rf"[{HAN}]{{2}}省")
# A clause whose subject is a city (砚湄市科技局带队来访, 湍屏省砚湄市科学技术局组织代表团参展): the same words around it
_CITY_CLAUSE = re.compile(
    # (该省猊川市狁山县得分81.3分: a city of the province named before, said with 该省)
    rf"(?:此外|同时|另外|另|而|同期|)(?:(?:我们的|我市的|)(?:邻居|近邻)的?|)(?:[{HAN}]{{2}}省的?|该省)?([{HAN}]{{2}}市)"
    r"(?![内外级域委民])(?!(?:科学技术局|科技局)?(?:[与和及]|同(?!期|类|步|时)))"
    # (泷汐市科技局下派的专家服务团在我县开展服务六批次: the department inside the words describing the subject; not
    # what it published, 蓉沣省沣口市科学技术局发布的…余额为512亿元: its own figures)
    r"(?!(?:科学技术局|科技局)(?!发布|公布)[^，,。；;\d]{1,4}的)"
)
# a city named after its province (湍屏省砚湄市), a city's department (砚湄市科技局)
# (耜耖省的耥口市，一个市就建了十二个…: with 的 between them too)
_CITY_OF_PROVINCE = re.compile(rf"([{HAN}]{{2}}省)的?([{HAN}]{{2}}市)(?!场)")  # (茗沚省技术市场: no city)
_CITY_UNIT = re.compile(rf"([{HAN}]{{2}}市)(?:科学技术局|科技局)")
_CITY_OF_THAT_PROVINCE = re.compile(rf"该省([{HAN}]{{2}}市)(?!场)")


# (every match of these opens two characters before its 省 or 市: each is tried only there, scan.matches_at)
def _cities_of_provinces(text: str) -> list[re.Match]:
    return scan.matches_at(_CITY_OF_PROVINCE, text, ("省",), (2,))


def _city_units(text: str) -> list[re.Match]:
    return scan.matches_at(_CITY_UNIT, text, ("市科",), (2,))


_CITY = re.compile(rf"[{HAN}]{{2}}市")
_COUNTY = re.compile(rf"[{HAN}](?![全本该各我每此两三四五六七八九十])[{HAN}]县")
# not a city's name: 全市, 本市, 该市, 各市 … after a word (由全市, 组织全市) or a word before one (与砚湄市)
_NOT_A_CITY = re.compile(r".[全本该各我每此两三四五六七八九十省]市|[与和同及由向在对从到至为被把将]")


# (a match of each opens two characters before its 市 or 县: tried only there, scan.search_at)
def _first_city(text: str) -> re.Match | None:
    return scan.search_at(_CITY, text, ("市",), (2,))


def _first_county(text: str) -> re.Match | None:
    return scan.search_at(_COUNTY, text, ("县",), (2,))


# 全省, 本省 …: the report's own whole, not a province's name (在全省设区市中居第四位: no city named)
_OWN_WHOLE = frozenset("全本我该各此每外")


def _other_cities(text: str) -> set[str]:
    """The cities the report names as another region: a city named after a province its title does not name
    (湍屏省砚湄市 in a report of 珩溆省), and in a report whose title names its own city first (璠川市科学技术局…)
    another city named with its department (砚湄市科技局). A province's report names its own cities bare: theirs are
    its own parts."""
    title = text.split("\n", 1)[0]
    first = _first_city(title)  # the title's first city is the report's own (澜屿市与砚湄市签署…)
    own = {first.group()} if first is not None and not _NOT_A_CITY.match(first.group()) else set()
    county = _first_county(title)
    if county is not None and (first is None or county.start() < first.start()):
        # a county's report (芃溪县科学技术局…): a city's department it names is another region's, its own city's
        # too (嵂宁市科学技术局组织市直科研院所8家…: the city's institutes, not the county's)
        own = {county.group()}
    cities = {
        m.group(2)
        for m in _cities_of_provinces(text)
        if m.group(1) not in title and not _NOT_A_CITY.match(m.group(2)) and m.group(1)[1] not in _OWN_WHOLE
    }
    if "该省" in text:
        # a city named after 该省 (该省猊川市狁山县得分81.3分): a city of another province the text named before
        cities |= {
            m.group(1) for m in _CITY_OF_THAT_PROVINCE.finditer(text) if not _NOT_A_CITY.match(m.group(1))
        }
    if "〔" in text:
        # a city named after a province the site redacted or the decoder garbled (〔存疑：？寷〕I省汭口市科学技术局…,
        # 〔隐去〕省汭口市…): a city of another province, as after a province named in full
        cities |= {m.group(1) for m in _cities_of_masked_provinces(text) if not _NOT_A_CITY.match(m.group(1))}
    if "高新区" in text or "开发区" in text or "经开区" in text:
        # a zone of a city of another province (与嵫潟省潟城高新区签订…; 潟城高新区组织企业家考察团来区考察2次): the city's
        cities |= {
            m.group(2) + "市"
            for m in _zones_of_provinces(text)
            if m.group(1) not in title and m.group(1)[1] not in _OWN_WHOLE
        }
    if "省的" in text:
        # a city the text calls a neighbouring province's (我们和隔壁省的潟城比一比：潟城市去年…)
        cities |= {m.group(1) + "市" for m in _CITY_NEXT_DOOR.finditer(text)}
    redacted = first is None and county is None and re.search("〔隐去〕[市县]", title) is not None
    if redacted:
        # a city's (a county's) report whose title's name a site redacted (〔隐去〕市科学技术局2025年工作总结): its own
        # city is the one it signs with (a line of its units alone), if any; another city is named with its department
        own = {c for m in _SIGNATURE.finditer(text) for c in _CITY.findall(m.group())}
    if own or redacted:
        cities |= {m.group(1) for m in _city_units(text) if not _NOT_A_CITY.match(m.group(1))}
        # in a city's report, another city named in full opening a clause and its figure (再看省里，湝源市的高新技术
        # 企业今年已经超过五千家): that city's, as its department's are
        if "市的" in text or "居" in text or "位列" in text:
            # (its rank, 澂州市…仍居首位, only in a city's report: a county named in a province's news title, 螓溪县跻身前十,
            # is read as the report's own county, and the province's cities ranked there are its own parts)
            city_report = first is not None and own == {first.group()}
            cities |= {
                m.group(1)
                for m in _cities_opening(text)
                if not _NOT_A_CITY.match(m.group(1)) and (city_report or text.startswith("的", m.end()))
            }
        if "的" in text:
            # …；同为沿海城市的玕阳市海洋生产总值为842亿元: another city opening a clause after the words describing it
            cities |= {
                m.group(1)
                for m in _CITY_DESCRIBED.finditer(text)
                if not _NOT_A_CITY.match(m.group(1)) and _NOT_A_NAME.search(m.group(1), 0, 2) is None
            }
            if "同为" in text:
                # 与我市同为省会城市的鹫…市，今年引进…: a city described as our like, another
                cities |= {
                    m.group(1)
                    for m in _LIKE_OURS_CITY.finditer(text)
                    if not _NOT_A_CITY.match(m.group(1)) and _NOT_A_NAME.search(m.group(1), 0, 2) is None
                }
        if "邻" in text:
            # 我们的邻居樨口市，今年高新技术企业已经超过四千家: a city the report calls its neighbour, another (as a
            # province called so is)
            cities |= {
                m.group(1) for m in _CITY_NEIGHBOUR.finditer(text) if not _NOT_A_CITY.match(m.group(1))
            }
    return cities - own


_CITY_NEIGHBOUR = re.compile(rf"(?:邻居|近邻|相邻|邻近)的?([{HAN}]{{2}}市)")


# a city named in full opening a clause, 的 and its figure in the clause (湝源市的高新技术企业今年已经超过五千家), or its
# rank (从全省看，澂州市科技型企业贷款余额仍居首位: the subject of its clause, as with 的)
_CITY_OPENS = re.compile(
    rf"(?:^|(?<=[，,。；;：:\n]))([{HAN}]{{2}}市)"
    r"(?=的[^，,。；;：:\n]{0,16}[\d一二两三四五六七八九十]|[^，,。；;：:\n的]{0,16}(?:居|位列|位居)[^，,。；;：:\n\d]{0,4}(?:首位|第))"
)


def _cities_opening(text: str) -> list[re.Match]:
    """`list(_CITY_OPENS.finditer(text))`: every match holds 市 two characters after its start (tried only
    there, scan.matches_at; speed11)."""
    return scan.matches_at(_CITY_OPENS, text, ("市",), (2,))


# a city named after a province redacted or garbled (〔隐去〕省汭口市, 〔存疑：？寷〕I省汭口市, 寷I省汭口市)
_CITY_OF_MASKED_PROVINCE = re.compile(
    rf"(?:〔隐去〕|〔存疑：[^〕]{{0,8}}〕[^\s，,。；;、\d省〔]{{0,2}}|[^\s，,。；;、\d省〔]?[A-Za-z?？\ufffd]{{1,2}})省([{HAN}]{{2}}市)(?!场)"
)


def _cities_of_masked_provinces(text: str) -> list[re.Match]:
    """`list(_CITY_OF_MASKED_PROVINCE.finditer(text))`, the pattern tried only 1-15 characters before each 省
    followed two characters after by 市 (a match's 省 stands 1-3 characters after its start, 4 after 〔隐去〕,
    5-15 after an uncertain mark's 〔存疑：…〕 and what follows it; speed11)."""
    places = sorted(
        {i - k for i in scan._occurrences(text, "省") if text[i + 3 : i + 4] == "市" for k in range(1, 16)}
    )
    return scan.matches_at_places(_CITY_OF_MASKED_PROVINCE, text, places)


# a zone of a city of another province (嵫潟省潟城高新区), its city named without 市
# another place's zone set against the report's own (与绂…科技城相比): a zone named by a place's name, the city of that name
_ZONE_WORDS = r"(?:科技城|科学城|科学园|高新区|开发区)"
_ZONE_SET_AGAINST = re.compile(rf"(?:与|和|同|跟)([{HAN}]{{2}}){_ZONE_WORDS}(?:相比|比较|对比)")
# … opening a clause later (绂…科技城集聚两院院士12名)
_ZONE_OPENS = re.compile(rf"(?:此外|同时|另外|而|)([{HAN}]{{2}}){_ZONE_WORDS}(?![与和及])")


def _zones_set_against(text: str) -> set[str]:
    """The names of the zones the report sets against its own (与绂…科技城相比) whose name its title does not hold."""
    if "相比" not in text and "比较" not in text and "对比" not in text:
        return set()
    title = text[: max(0, text.find("\n"))]
    return {
        m.group(1)
        for m in _ZONE_SET_AGAINST.finditer(text)
        if m.group(1) not in title
        and _NOT_A_NAME.search(m.group(1)) is None
        and m.group(1)[0] not in _OWN_WHOLE
    }


_ZONE_OF_PROVINCE = re.compile(
    rf"([{HAN}]{{2}}省)([{HAN}]{{2}})(?:高新区|高新技术产业开发区|经济技术开发区|经开区|开发区)"
)


def _zones_of_provinces(text: str) -> list[re.Match]:
    return scan.matches_at(_ZONE_OF_PROVINCE, text, ("省",), (2,))  # (省 two characters in: tried only there)


# a city of a neighbouring province, named so (隔壁省的潟城, 邻省的潟城市)
_CITY_NEXT_DOOR = re.compile(
    rf"(?:隔壁省|邻省|邻近省份|兄弟省份)的([{HAN}]{{2}})(?:市)?(?![省县区]|[{HAN}][省县区])"
)


_PROVINCE_UNIT = re.compile(rf"([{HAN}]{{2}}省)(?:科学技术厅|科技厅)")


def _province_units(text: str) -> list[re.Match]:
    return scan.matches_at(_PROVINCE_UNIT, text, ("省科",), (2,))


_PROVINCE_INSTITUTE = re.compile(
    rf"(?:^|(?<=[，,。；;：:\n]))(?:同期|此外|同时|另外|)([{HAN}][^全本我该外各两邻跨分每]省)(?:农业科学院|农科院|科学院|[{HAN}]{{0,4}}(?:研究院|研究所|大学|学院|科技馆|博物馆|图书馆|技术转移中心|协会|学会|管理局|统计局|能源局|知识产权局|中子源|光源|集团)|(?![重级部])[{HAN}]{{2,6}}实验室|(?![重级部内外])[{HAN}]{{2,10}}(?:联合体|服务平台|共享平台|中试基地|检测中心))"
    # (同期璇嶷省统计局公布的该省R&D经费为712.5亿元, 璇嶷省能源局今年新增…装机1200兆瓦: a bureau, after 同期 too; a group,
    # 瑢汭省人才发展集团今年在我市举办招聘会2场)
    # (an agency too: 蒗湖省地方金融管理局发布的数据显示，蒗湖省科技贷款余额为2430亿元; a large facility: 嵛溍省散裂中子源
    # 今年供束运行4800小时, 某省同步辐射光源)
    # (a union or a platform of its own: 漙岈省新能源电池创新联合体…，今年成员单位达到52家, 瑊浡省科技资源共享服务平台入网仪器…)
    # (a figure in its clause or in the next: 岷澜省自然博物馆带来化石展，展品120件; a laboratory named, 瑫滠省量子材料
    # 实验室的同类装置目前最高磁场为26特斯拉, not a kind of the province's own, 新建省实验室, 省重点实验室, 省级…)
    r"(?=[^，,。；;、与和及]{0,24}(?:[，,][^，,。；;\n]{0,16})?[\d一二两三四五六七八九十])"
)
# a province named bare opening a clause whose sentence sets its figure against the report's own (同期，汧溟省登记
# 技术合同成交额1532亿元，比我省多345.6亿元; 汧溟省去年就达到了2.65%，我们和人家比还差…): not 占全省, 其中省财政 (a
# word before 省, 省 opening a word of the report's own: 省财政, 省级, 省科学技术奖)
_SET_AGAINST_OURS = re.compile(
    rf"(?:^|(?<=[，,。；;：:\n])){_NEIGHBOUR}([{HAN}][^全本我该外各两邻跨分每]省)"
    # (峃湄省科技型企业贷款余额…，均明显高于我省: 科技型 is the firms', no word of the report's own as 省科学技术奖)
    r"(?![财级重实奖政委属直内外份域里市]|科(?!技型))[^。；;\n]{0,40}?[，,][^。；;\n]{0,12}(?:我省|我们)"
)
# its longest match (8 characters of the neighbour's words, the name, 40 + 1 + 12, 我省): it is looked for only
# that far before a 我省 or 我们 (scan.matches_ending; test_speedups27 checks the figure against the pattern)
_SET_AGAINST_OURS_REACH = 66


def _set_against_ours(text: str) -> list[re.Match]:
    return scan.matches_ending(_SET_AGAINST_OURS, text, ("我省", "我们"), _SET_AGAINST_OURS_REACH)


_UNION_OR_PLATFORM = ("联合体", "平台")


def _province_institutes(text: str) -> list[re.Match]:
    """A province's academy, university, institute, centre, association or laboratory named in `text`; none
    without a word such a name ends with (a test of a few `in`s before the scan)."""
    if not (
        "院" in text
        or "大学" in text
        or "所" in text
        or "馆" in text
        or "中心" in text
        or "会" in text
        or "室" in text
        or "局" in text
        or "源" in text
        or "联合体" in text
        or "平台" in text
        or "基地" in text
        or "集团" in text
    ):
        return []
    return scan.matches_at(_PROVINCE_INSTITUTE, text, ("省",), (2, 4))


# a province opening the clause after a comparison with the provinces around (与周边省份相比，徂…省目前…)
_AMONG_PROVINCES = re.compile(
    rf"(?:与|和|同|跟)(?:周边|兄弟|邻近|相邻|其他|周围)省份?(?:相比|比较|对比)[，,]([{HAN}]{{2}}省)(?![内外级份域委财])"
)
# another province's laboratory or institute after the words describing it, opening its clause (同期参加两省联合评估的
# 缃…省电化学储能重点实验室得分89.3分)
_DESCRIBED_INSTITUTE = re.compile(
    rf"(?:^|(?<=[，,。；;\n]))[^，,。；;：:、\d\n]{{1,10}}的([{HAN}]{{2}}省)[^，,。；;：:、\d的]{{0,12}}"
    r"(?:实验室|研究院|研究所|科学院|大学)"
)
# where a clause opens (`_DESCRIBED_INSTITUTE`'s start: the text's start or right after one of these)
_CLAUSE_OPENERS = frozenset("，,。；;\n")


def _described_institutes(text: str) -> list[re.Match]:
    """`list(_DESCRIBED_INSTITUTE.finditer(text))`, the pattern tried only where a match can start (speed18): every
    match holds 的 three characters before a 省 and starts 1-10 characters before that 的, at the text's start or
    right after a clause's mark; the clause openings before each such 的 (a few a text) are tried in order
    (`scan.matches_at_places`), not every place of the text (the pattern opens on an assertion)."""
    places: set[int] = set()
    for i in scan._occurrences(text, "省"):
        j = i - 3
        if j >= 1 and text[j] == "的":
            places.update(p for p in range(max(0, j - 10), j) if p == 0 or text[p - 1] in _CLAUSE_OPENERS)
    return scan.matches_at_places(_DESCRIBED_INSTITUTE, text, sorted(places)) if places else []


# the words describing a department of another region before it, ending in 的 (应邀出席活动的汧溟省榧川市科学技术局)
_ATTRIBUTED_UNIT = re.compile(
    rf"[^，,。；;：:、\d]{{1,10}}的"
    rf"(?=(?:[{HAN}]{{2}}省)?[{HAN}]{{2}}[省市](?:科学技术|科技)[厅局]"
    # (同期参加两省联合评估的缃…省电化学储能重点实验室得分89.3分: another province's laboratory or institute, described)
    rf"|(?!.?[几两一二三四五六七八九十百千万个家多各些])[{HAN}]{{2}}省[^，,。；;：:、\d的]{{0,12}}(?:实验室|研究院|研究所|科学院|大学))"
)
# ... and before another city, the clause's subject (；同为沿海城市的玕阳市海洋生产总值为842亿元)
# (not 新加入的瀼岵省瀼源市氢能产业园企业2家: members of the report's own body, wherever they are)
_ATTRIBUTED_CITY = re.compile(rf"[^，,。；;：:、\d我本该]{{1,10}}的(?=[{HAN}]{{2}}市(?![内外级域委民]))")
_CITY_DESCRIBED = re.compile(
    rf"(?:^|(?<=[，,。；;\n]))[^，,。；;：:、\d我本该\n]{{1,10}}的([{HAN}]{{2}}市)(?![内外级域委民])"
    r"[^，,。；;\d]{1,12}(?:为|是|达到|达|超过)[\d一二两三四五六七八九十]"
)
# a clause or sentence that goes on with the subject before it (its own elided): it opens with a verb or
# a word that continues (带来成果146项, 其中…, 该省…), the verb perhaps after a word of where or when it was done
# (现场签约19项, 会上发布…)
_CARRY = re.compile(
    r"在[^，。；\d]{1,8}(?:排名|排在|位列|居)|"  # 在湍屏省排名第二: where the subject before ranks
    r"(?:现场|当场|会上|会期内|期间|今年以来|年内|)"  # (…开放储能检测平台3个，今年以来累计检测样品1700余批次)
    # (该省9月…81.7亿元，1至9月累计702.5亿元: the months the total runs over, before 累计)
    r"(?:\d{1,2}(?:至|-)\d{1,2}月(?=累计)|前[一二三]季度(?=累计)|)"
    # (…高出我省7.56；其创新投入指数达到81.3: 其, its, the subject before's)
    # (…科学技术局组织专家12名，来我县开展技术服务六批次: the visitor's own visit to us)
    r"(?:带来|带动|促成|组织|推荐|签订|签署|签约|引进|实现|完成|开展|举办|累计|共有|共|并|还|也|又|其中|其(?![他余次实])|新增|该省|该厅|来我[省市县区]|"
    r"吸引|发布|认定|立项|拥有|达成|形成|该市|比我省|较我省|高于我省|比我们|较我们|高于我们|人家|他们|"
    # (…居全国第六位，领先我省十一位: its lead over ours, the subject before's)
    r"(?:领先|落后于?|超过|超出|高出|多出)(?:我省|我市|我县|我们)|"
    # (…已攻克186项，攻克比例高出我省约12个百分点: a measure of the subject before, set against ours)
    r"(?![我本全各两])[^，,。；;\d我本]{1,8}(?:比|较|高于|低于|高出|多出|领先)(?:我省|我市|我县|我们)|"
    # (…高新技术企业超过一万家，差不多是我们的两倍: the figure set against ours as a multiple)
    # (…最多的县有214家，是我县的1.7倍: a county's report, ours said 我县)
    r"(?:差不多|几乎|大约|约|将近|接近|)(?:是|为|相当于)(?:我们|我省|我市|我县|我区)|"
    # (…院士工作站已达210家，进站院士296名，数量是我省的1.7倍左右: a measure of the subject before, a multiple of ours)
    # (…今年引进外国专家2600人次，国际联合实验室数量是我省的1.8倍: the measure named at length)
    r"(?![我本全各两])[^，,。；;\d我本]{1,10}(?:是|为|相当于)(?:我们|我省|我市|我县|我区)的(?=[\d一二两三四五六七八九十]+(?:\.\d+)?倍)|"
    r"调研|考察|走访|推介|洽谈|展示|展出|解决|"  # (带队来…考察，调研了5个项目; 举办…推介会，推介项目26个)
    # (…签署协议，向我省科研人员开放仪器1200台（套）: what they give us; …推广1.2万亩，每亩多收600公斤: per item)
    r"向我省|向我市|向我县|向我们|向我厅|每[亩家台套个项人户只])"
)


_GOES_ON = re.compile(
    r"(?:现场|当场|会上|会期内|期间|)(?![我本各其与和跟占两双\d一二三四五六七八九十]|同(?!比)|全[省市县区国部体])"
    # (…向我厅移交线索6条，经我厅核实，其中4条属实: the report's own department named, its own work)
    # (…联合体成立时间与我们相近，成员单位52家，联合申请发明专利120件: 联合 opening the clause, no party named, is the
    # subject's members acting together — its own; joint with ours is said with 与 or a party after 联合)
    rf"(?![^，,。；;]{{0,30}}(?:我省|我市|我县|我们|我厅|来自|两省|两市|双方|共同|共建|签|[{HAN}][^全本我该外各两邻跨分每，,。；;]省(?![级内外份委])))"
    r"(?![^，,。；;]{1,30}联合|联合[^，,。；;]{0,30}(?:我|本))"
    # (展会三天共吸引观众5万人次, 交易会累计成交额…: a noun before a total is a subject of its own, the event's; 省内外参展单位…)
    r"(?![^，,。；;\d]{2,8}(?:共|累计|总共|合计|总计))"
    r"(?![^，,。；;\d]{0,4}(?:展会|大会|会议|交易会|博览会|对接会|洽谈会|论坛|活动|省内|省外|国内|境内|境外))"
)
# our own figure a multiple of the other region's is set against, said right after 是我省 (是我省9家的3倍)
# (not the multiple itself: 是我们的两倍)
_OURS_AS_BASE = re.compile(r"(?:是|为|相当于)(?:我们|我省|我市|我县|我区)$")
# the other province's figure a figure of ours is set against, right after it (高于醴洑省的2.4项, 低于瀼岵省的)
_PROVINCE_ACTS = re.compile(
    rf"(?:^|(?<=[，,。；;\n]))([{HAN}][^全本我该外各两邻跨分每]省)(?:今年|去年|全年|)(?:新认定|认定|登记|新建|建成|布局|新增)"
    r"(?=[^，,。；;\n]{0,20}[\d一二两三四五六七八九十])"
)
_THEIRS_NAMED = re.compile(
    rf"(?:高于|低于|超过|不及|少于|多于)([{HAN}]{{2}}省)(?:同期|去年|上年|今年|)的(?=[\d一二两三四五六七八九十])"
)
# (高于瑊浡省同期的16.5%: the same period of theirs)
_THEIRS_AS_BASE = re.compile(rf"(?:高于|低于|超过|不及|少于|多于)([{HAN}]{{2}}省)(?:同期|去年|上年|今年|)的$")


@lru_cache(maxsize=64)
def _short_name_units(names: tuple[str, ...]):
    """A university, academy or museum named by a province's name without 省 (醴洑大学, 醴洑农业科学院) opening a clause."""
    alternatives = "|".join(map(re.escape, names))
    return re.compile(
        rf"(?:此外|同时|另外|而|)({alternatives})(?!省)(?:大学|农业科学院|农科院|科学院|科技馆|博物馆|[{HAN}]{{0,4}}(?:研究院|研究所|学院))"
    )


# a city opening a clause that goes on with another province (其中樨口市1.02万家)
_ITS_CITY = re.compile(rf"其中[，,]?([{HAN}]{{2}}市)(?![内外级域委民])")
# what another province's university or academy named short does itself, opening its clause (研制的, 派驻, 派出, 开发的):
# its own, not a team of it taking part in ours (璘澈大学团队得分83.6分)
_UNITS_OWN_ACT = re.compile(r"(?:研制|开发|研发|建成|派驻|派出|选派|牵头研制)")


# the report's own region opening a clause, its subject, and the region named before as the base of its figure
# (我省风险投资占GDP比重仅为该省的三分之二)
_OURS_OPENS = ("我省", "我市", "我县", "我区", "我们", "本省", "本市", "全省", "全市")
_THAT_ONE_COMPARED = re.compile(r"(?:高于|低于|超过|超出|高出|比|较|不及|少于|多于)该[省市]")
_THAT_ONE_AS_BASE = re.compile(r"(?:为|是|相当于|达到|不到|不及|只有|仅有)该[省市]的$")


# 人家 (they, the other side) opening a clause: the other region named before
_THEY_THERE = re.compile(r"(?:而|但|可|)人家")
# a clause done with another party (…8家与我县企业开展结对，): the clauses after it are the joint work's
# (not a city described as our like, 与我市同为省会城市的鹫…市，: the clauses after go on with it, `_LIKE_OURS`)
_WITH_ANOTHER = re.compile(r"(?<!参)与(?!会|我[省市县区]同为)[^，,；;：:。！？\n]*[，,]$")
# another city described as our like before it, opening the sentence (与我市同为省会城市的鹫…市，今年引进…410人): the
# city is the subject, as after other words describing it (`_ATTRIBUTED_CITY`)
_LIKE_OURS_CITY = re.compile(
    rf"(?:与|和|同|跟)我[市县区]同为[^，,。；;：:、\d的]{{1,8}}的([{HAN}]{{2}}市)(?![内外级域委民])"
)
_LIKE_OURS = re.compile(rf"(?:与|和|同|跟)我[省市县区]同为[^，,。；;：:、\d的]{{1,8}}的(?=[{HAN}]{{2}}市)")


# a flow of technology or money between another region and ours, said in the figure's clause (琎潏省企业吸纳我省技术的,
# 流向我省的, 从我省引进的): as `流向岱沄省的`, no other region's own figure
# (瑊浡省用户使用我省仪器9800机时: a use of ours, a flow too)
_FLOW_WITH_US = re.compile(
    r"(?:吸纳|流向|流入|输出到|输入|引进|购买|承接|使用|租用)(?:了)?我[省市县]"
    # (该省项目中由我省企业承接转化的有5项: taken up by ours, a flow too)
    r"|由我[省市县][^，,。；;\d]{0,6}?(?:承接|吸纳|购买|引进|受让)"
)
# a clause opening on both sides of an agreement (双方各投入…, 两省共同…): joint, not the other province's
_BOTH_SIDES_OPEN = re.compile(r"(?:双方|两省|两市|两家|彼此)")


# another province's department signing an agreement with ours, the clause holding no figure (湜峤省科学技术厅与我厅签署
# 新一轮科技合作协议，)
# another province's department signing an agreement with ours, the clause holding no figure (湜峤省科学技术厅与我厅签署
# 新一轮科技合作协议，; …签署协议后，将向我省开放…); its institute too, and with the report's own unit named bare (嵫潟省汽车
# 工程研究院与中心签订合作协议，派出12名研究人员常驻中心: in a centre's report 中心 is the report's own)
# (今年瑢汭省科学技术厅和我们签了合作协议，向我省开放…: a time opening the clause, 和 for 与, 签了 said in speech)
_AGREED_WITH_US = re.compile(
    r"(?:今年|去年|近日|日前|同期|此前|年内|上半年|下半年|)"
    rf"([{HAN}]{{2}}省)(?P<city>[{HAN}]{{2}}市)?(?:科学技术厅|科技厅|科学技术局|科技局|农业科学院|科学院|"
    rf"[{HAN}]{{0,8}}(?:研究院|研究所|大学))"
    r"(?:与|和|同|跟)(?:我[厅省市县局们院校所]|本?(?:中心|实验室|基地|园区|联合体|联盟))"
    r"[^，,。；;\d]{0,20}(?:签署|签订|签了)[^，,。；;\d]{0,16}协议(?:后|以后|之后|)[，,]"
)


# a clause of a noun and its figure, no verb (参展企业48家, 签约金额11.6亿元): not the report's own whole (全省…)
_LISTED_FIGURE = re.compile(
    # (not a clause opening on a preposition: 与我省企业签约5个项目 is a joint figure, the report's own)
    # (…该省已设立…委员会412个，一次通过比例为76.4%: a measure of the same subject said with 为)
    rf"(?![全本我该各此其与和同跟向对由从在把被将])[{HAN}]{{2,6}}(?:共|达|约|超过|达到|已达|为|)[\d一二三四五六七八九十两百千]"
)


def _bare_city_clause(cities: set[str]):
    """A clause whose subject is another city named without 市 (笙浦代表团), the words around it as
    `_CITY_CLAUSE`'s; None when no city is another's."""
    return _bare_city_pattern(tuple(sorted(cities))) if cities else None


@lru_cache(maxsize=256)
def _bare_city_pattern(cities: tuple[str, ...]):
    names = "|".join(sorted((re.escape(c[:-1]) for c in cities), key=len, reverse=True))
    return re.compile(
        rf"(?:此外|同时|另外|另|而|)({names})(?![市省县区内外级域委民方])(?!(?:科学技术局|科技局)?[与和同及])"
        # (崟阳绿穗生物科技有限公司: a firm named after the city, no subject of the city's)
        r"(?![^，,。；;、]{0,16}(?:公司|集团|合作社|研究院|研究所))"
    )


# a window of a list after 前N位 / 后N位: the words opening the list (综合得分居前十位的县（市、区）依次为：, 前三位依次为), or
# pointing back at it with no figure of its own in the clause (是前十位中进步最大的)
_OPENS_THE_LIST = re.compile(r"位?(?:的[^，,。；;：:\d]{0,12})?依次(?:为|是)")
_AMONG_THEM = re.compile(r"位?中[^，,。；;\d零一二两三四五六七八九十百千万]*[，,。；;]")


def _list_windows(text: str, facts: list[Fact]) -> list[Fact]:
    """A list's window is no fact (FACTS_KEY): 前N位 / 后N位 in a heading (二、前十位名单), opening the list it names
    (…居前十位的县依次为：) or pointed back at with no figure after it (是前十位中进步最大的); the class a figure or a rule
    is of stays (排名后十位的县中，有6个…, 对排名前十位的…给予, 进入前十位的县有四个)."""
    out = []
    for f in facts:
        if f.unit == "位" and text[f.start - 1 : f.start] in ("前", "后"):
            line = text.rfind("\n", 0, f.start) + 1
            if (
                _HEADING.match(text, line) is not None
                or _OPENS_THE_LIST.match(text, f.end) is not None
                or _AMONG_THEM.match(text, f.end) is not None
            ):
                continue
        out.append(f)
    return out


# A name a site redacted (〔隐去〕) opening a clause as another region's would (〔隐去〕省科学技术厅组织64家单位参展,
# 琎潏省〔隐去〕市科技局在我市设立…, 〔隐去〕市组织21家企业参加): the name is gone, the slot is not. Group 1 the
# province named before a redacted city, if any.
_REDACTED_PROVINCE = re.compile(
    rf"(?:此外|同时|另外|另|而|同期|){_NEIGHBOUR}(?:〔隐去〕|[{HAN}]?[A-Za-z?？\ufffd]{{1,2}}|〔存疑：[^〕]{{0,8}}〕[^\s，,。；;、\d省]{{0,2}})省"
    r"(?:科学技术厅|科技厅|农业科学院|农科院|科学院|[^，,。；;\d]{0,4}(?:研究院|研究所|大学|学院|科技馆|博物馆|技术转移中心))"
    r"(?!(?:[与和及]|同(?!期)))"
)
# a clause that says its subject is another city than ours (组织该市高校院所9家与我市企业…, 来我市, 在我市设立)
# (…组织26家企业来椤对接: come to us; a visit, 来 and a place before what they came to do)
_ANOTHER_CITY_SAID = re.compile(
    r"该市|[来在赴与向]我市|与我局|来[^，,。；;\d]{1,8}?(?:对接|考察|参展|参会|开展|交流|洽谈|调研|走访)"
)


# a sentence saying its subject is not the report's own region (…约为我省的1.5倍, 该省…, 来我省, 与我厅)
_NOT_OURS_SAID = re.compile(r"我省|我厅|我们|该省|该厅|邻省|两省")
# a province redacted opening a clause (邻省〔隐去〕省每万人口…, 〔隐去〕省科学技术厅组织…): not 省级, 省内, 省财政 …
_REDACTED_OPENS = re.compile(
    rf"(?:此外|同时|另外|另|而|同期|){_NEIGHBOUR}〔隐去〕省(?![内外级份域委财重实奖政直属里])(?!(?:科学技术厅|科技厅)?[与和及])"
)
# the place of a fact whose region the page redacted in every mention, its sentence saying it is another's
REDACTED_REGION = "〔隐去〕省"


_SENTENCE_MARKS = "。！？\n"


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding `at` starts (after the last 。！？ or line break before it)."""
    return max(text.rfind(c, 0, at) for c in _SENTENCE_MARKS) + 1


def _sentence_end(text: str, at: int, reach: int | None = 200) -> int:
    """Where the sentence holding `at` ends (its 。！？ or line break), looked for within `reach` characters (None: to the
    text's end); the end of what was looked through when none is found."""
    stop = len(text) if reach is None else at + reach
    ends = [e for e in (text.find(c, at, stop) for c in _SENTENCE_MARKS) if e >= 0]
    return min(ends, default=min(len(text), stop))


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding `at` starts (after the last ，；。：！？ or line break before it)."""
    return max(text.rfind(c, 0, at) for c in "，,；;。：:！？\n") + 1


def _clause_end(text: str, at: int) -> int:
    ends = [e for e in (text.find(c, at, at + 120) for c in "，,。；;\n") if e >= 0]
    return min(ends, default=min(len(text), at + 120))


_REDACTED_AGREED = re.compile(
    r"〔隐去〕省(?:科学技术厅|科技厅)与我[厅省市县局们][^，,。；;\d]{0,20}(?:签署|签订)[^，,。；;\d]{0,16}协议[，,]"
)
_REDACTED_CITY = re.compile(
    rf"(?:此外|同时|另外|另|而|同期|)(?:([{HAN}]{{2}}省)|〔隐去〕省)?〔隐去〕市"
    r"(?![内外级域委民场])(?!(?:科学技术局|科技局)?[与和同及])(?!(?:科学技术局|科技局)[^，,。；;\d]{1,4}的)"
)
# a line that only signs (琎潏省科学技术厅　琎潏省统计局): the report's own units
_SIGNATURE = re.compile(rf"^(?:[{HAN}]{{2}}[省市县][{HAN}]{{2,8}}[ \u3000]*)+$", re.MULTILINE)
# a line right under the title naming the department that issues the document and its date
_ISSUED_BY = re.compile(
    rf"^([{HAN}]{{2}}省)(?:科学技术厅|科技厅)[{HAN}]{{0,8}}[ \u3000]*20\d\d年\d{{1,2}}月\d{{1,2}}日$",
    re.MULTILINE,
)
# a province named beside a flow with ours (我省企业吸纳琎潏省技术的, 流向岱沄省的) or before its city (琎潏省潏阳市)
_PROVINCE_OPENING = re.compile(
    rf"(?:^|(?<=[，,。；;：:\n]))([{HAN}][^全本我该外各两邻跨分每]省)(?![财级科重实奖政委属直内外份域里市])"
)
_NOT_A_NAME = re.compile(
    # (经两省科技厅商定: 两省 the two provinces, no name)
    r"[由从随者跟会在向对把被将和与及等的了是为省市县区厅局中上下年月日里内外两A-Za-z0-9?？\ufffd〔〕]"
)
# a name a decoder garbled (寷I省农业科学院在我县建立…: a lost byte's letter in it)
_GARBLED_NAME = re.compile(r"[A-Za-z0-9?？\ufffd]")
_GARBLED_PROVINCE = re.compile(r"[A-Za-z?？\ufffd]省|〔存疑：[^〕]{0,8}〕[^\s，,。；;、\d省]{0,2}省")
# a province redacted or garbled (as `_GARBLED_PROVINCE`) opening a clause, before a city or bare (〔存疑：？寷〕I省今年综合
# 排名第十七位: the decoder ate the 。 before it and the name's first characters)
_MASKED_PROVINCE_OPENS = re.compile(
    r"(?:〔隐去〕|〔存疑：[^〕]{0,8}〕[^\s，,。；;、\d省〔]{0,2}|[^\s，,。；;、\d省〔]?[A-Za-z?？\ufffd]{1,2})省"
    r"(?![内外级份域委财科重实奖政直属里])"
)


def _garbled_province(text: str) -> bool:
    """`_GARBLED_PROVINCE.search(text) is not None`: without an uncertain mark in the text only the first branch can
    match, a letter, ? or U+FFFD right before a 省 (each 省 found in C, the character before it read)."""
    if "〔存疑：" in text:
        return _GARBLED_PROVINCE.search(text) is not None
    at = text.find("省", 1)
    while at >= 0:
        if text[at - 1] in _GARBLED_BEFORE_PROVINCE:
            return True
        at = text.find("省", at + 1)
    return False


_GARBLED_BEFORE_PROVINCE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz?？\ufffd")


_PROVINCE_OF_FLOW = re.compile(rf"(?:吸纳|流向|流入|输出到|输入到|来自)([{HAN}][^全本我该外各两邻跨分每]省)")


def _said_as_a_name(text: str, name: str) -> bool:
    """Whether the page says `name` (…省, …市) as a name somewhere: opening a clause or after a word that
    joins names (与, 和, 、, 在, 由 …), its characters no words of a sentence (not 交易会由省科技厅's 会由省,
    记者从市科技局's 者从市)."""
    if _NOT_A_NAME.search(name, 0, len(name) - 1) is not None:
        return False
    # (each place the name stands, found in C, its character before read: the pattern
    # (?:^|(?<=[…])|(?<=邻省|来自))name with re.M, without a scan of the whole text at every place)
    at = text.find(name)
    while at >= 0:
        if not at or text[at - 1] in _BEFORE_A_NAME or text[at - 2 : at] in ("邻省", "来自"):
            return True
        at = text.find(name, at + 1)
    return False


_BEFORE_A_NAME = frozenset("，,。；;：:\n、“（与和及同在到赴由向对")


def _redacted_names(text: str, named: set[str], cities: set[str]) -> tuple[str, dict[str, str]]:
    """What a redacted name opening a clause stands for, when the page still names one region only that
    could be it: (the other province, {a province or "": the other city}). A province's report names its own
    in its title and signature; the other province is the one named elsewhere (its department, its institute,
    its city, a flow with ours) — one only, or none is taken. A city likewise among the other cities, those of
    the province said before it (琎潏省〔隐去〕市) or, said bare, those named after no province."""
    own = set(_PROVINCE.findall(text[: max(0, text.find("\n"))]))
    for m in _SIGNATURE.finditer(text):
        own.update(_PROVINCE.findall(m.group()))
    # (〔隐去〕省科技统计快报 / 貘…省科学技术厅发展规划处　2026年10月15日: the issuing line under a title the page redacted)
    for m in _ISSUED_BY.finditer(text, 0, max(0, text.find("\n", text.find("\n") + 1))):
        own.add(m.group(1))
    # (a name before a department may be words of a sentence, 交易会由省科技厅: said as a name elsewhere too)
    provinces = {p for p in named if _said_as_a_name(text, p)}
    of_provinces = _cities_of_provinces(text)
    provinces.update(m.group(1) for m in of_provinces if m.group(1)[0] not in _OWN_WHOLE)
    provinces.update(m.group(1) for m in _PROVINCE_OF_FLOW.finditer(text))
    provinces.update(m.group(1) for m in scan.matches_at(_PROVINCE_OPENING, text, ("省",), (2,)))
    others = {p for p in provinces - own if _NOT_A_NAME.search(p, 0, 2) is None}
    province = next(iter(others)) if len(others) == 1 else ""
    by_province: dict[str, set[str]] = {}
    of_a_province = set()
    for m in of_provinces:
        if m.group(2) in cities and _NOT_A_NAME.search(m.group(1), 0, 2) is None:
            by_province.setdefault(m.group(1), set()).add(m.group(2))
            of_a_province.add(m.group(2))
    city: dict[str, str] = {}
    for p, cs in by_province.items():
        if len(cs) == 1:
            city[p] = next(iter(cs))
    bare = {c for c in cities - of_a_province if _said_as_a_name(text, c)}
    if len(bare) == 1:
        city[""] = next(iter(bare))
    return province, city


# a place named bare, 那边 after it, opening a clause (嶓江那边的技术创新中心，…): another region, over there
_OVER_THERE = re.compile(rf"(?:^|(?<=[，,。；;：:\n]))([{HAN}]{{2}})那边")
# a clause that turns to the report's own (…，我们的市级工程技术研究中心有八十六家)
_OURS_AGAIN = re.compile(r"(?:而|但|)(?:我|本|全[省市县区])")


def _over_there(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the clauses about a place said bare before 那边 (嶓江那边的技术创新中心，一年服务收入做到了
    六千多万): its clause and the clauses after it in the sentence until one turns to ours. The name is the province
    or city the page names it as (X省, X市); said bare only, in a city's (a county's) report another city."""
    title = text.split("\n", 1)[0]
    own = _first_city(title) or _first_county(title)
    out = []
    for m in _OVER_THERE.finditer(text):
        name = m.group(1)
        if _NOT_A_NAME.search(name) is not None or name in title:
            continue
        if name + "省" in text:
            name += "省"
        elif name + "市" in text or own is not None:
            name += "市"
        else:
            continue
        end = m.end()
        stop = min((e for e in (text.find(c, end) for c in "。；;！？\n") if e >= 0), default=len(text))
        while end < stop:
            e = text.find("，", end, stop)
            if e < 0 or _OURS_AGAIN.match(text, e + 1) is not None:
                end = stop if e < 0 else e
                break
            end = e + 1
        out.append((m.start(), end, name))
    return out


def _places_of(text: str, facts: list[Fact]) -> None:
    """The province each fact is about when its clause's subject names one (`Fact.place`): the clause holding
    the figure, or a clause or sentence before it when the clauses between go on with its subject (their
    own elided: 岱沄省科学技术厅组团参展，带来成果146项)."""
    # a province is one the report names with its department somewhere (岱沄省科学技术厅, 岱沄省科技厅):
    # not 新建省实验室 or 其中省财政 (words before 省, the province's own attribute)
    # (not 今年省科技厅会同省人社厅…: words of a sentence before 省科技厅, the report's own department)
    named, cities = _named_regions(text)
    garbled = any(_GARBLED_NAME.search(n) is not None for n in named)
    masked_province, masked_city = (
        _redacted_names(text, named, cities)
        if garbled or "〔隐去〕" in text or _garbled_province(text)
        else ("", {})
    )
    there = _over_there(text) if "那边" in text else []
    zones = _zones_set_against(text)
    if (
        not named
        and not cities
        and not masked_province
        and not there
        and "〔隐去〕省" not in text
        and "该市" not in text
        and not zones
    ):
        return
    # another city named without 市 once the report has named it in full (a title's 笙浦代表团带来百项成果)
    bare = _bare_city_clause(cities)
    # a university or academy named by a province's name without 省 (醴洑大学, 醴洑省 named as another region)
    title = text[: max(0, text.find("\n"))]
    short_names = {
        p[:-1]: p for p in named if len(p) == 3 and p[:-1] not in title and _NOT_A_NAME.search(p[:-1]) is None
    }
    short = _short_name_units(tuple(sorted(short_names))) if short_names else None
    # a title's halves are parted by white space (…博览会开幕 笙浦代表团带来百项成果): its clauses too
    title_end = text.find("\n")
    starts: dict[int, str] = {}  # a clause's start -> its place (the facts of one clause read it once)
    acts: set[int] = set()  # the clauses whose place a unit named short doing its own act gave
    # the clauses right after an agreement with ours opening its clause (湜峤省科学技术厅与我厅签署…协议，|向我省…)
    agreed = (
        {
            m.end()
            for m in _AGREED_WITH_US.finditer(text)
            if m.group(1) in named and (m.start() == 0 or text[m.start() - 1] in "，,；;：:。！？\n")
        }
        if "协议" in text
        else set()
    )
    for f in facts:
        b = f.start
        place = ""
        first = -1
        flow = False
        for back in range(4):  # at most three clauses back
            # (a clause's start looked for at most 200 characters back: a text without a mark costs no ~n²)
            s = max(text.rfind(c, max(0, b - 200), b) for c in "，,；;：:。！？\n") + 1
            if (
                text[s - 1 : s] in ("？", "?")
                and (mark := text.rfind("〔存疑：", max(0, s - 12), s)) >= 0
                and text.find("〕", mark, s) < 0
                and _MASKED_PROVINCE_OPENS.match(text, mark) is not None
            ):
                # (…金额14.2亿元〔存疑：？寷〕I省汭口市科学技术局带领21家: an unknown character inside an uncertain mark
                # is no clause end; a masked province after the mark opens one, the mark holding the end eaten)
                s = mark
            if 0 <= b <= title_end:
                s = max(s, text.rfind(" ", 0, b) + 1, text.rfind("\u3000", 0, b) + 1)
            if first < 0:
                first = s
            if s in starts:
                # (a unit named short doing its own act gives its clause's figures only: 璇嶷大学派驻研究人员9名，实验室要求…)
                place = "" if back and s in acts else starts[s]
                break
            if not back and _FLOW_WITH_US.search(text, s, b) is not None:
                # 琎潏省企业吸纳我省技术的63.6亿元: a flow between the two, not the other's own (FACTS_KEY); 该省企业吸纳
                # 我省技术4.35亿元 too (该省 not read below)
                flow = True
                break
            at = s
            if text.find("的", s, s + 14) >= 0 and (
                (a := _ATTRIBUTED_UNIT.match(text, s)) is not None
                or (cities and (a := _ATTRIBUTED_CITY.match(text, s)) is not None)
                or (cities and (a := _LIKE_OURS.match(text, s)) is not None)
            ):
                at = (
                    a.end()
                )  # 应邀出席活动的汧溟省榧川市科学技术局组织12家企业参会: the department is the subject
            if cities and (c := _CITY_CLAUSE.match(text, at)) is not None and c.group(1) in cities:
                place = c.group(
                    1
                )  # a city of another province (漷宁省檫浦市去年…), or another city than ours
                if _part_of_ours(text, s) and not _CITY_DEPARTMENT.match(text, c.end()):
                    place = ""  # 其中市外机构64家，X省Y市的机构11家: a part of the report's own whole
                break
            if (
                cities
                and text.startswith("省", at + 2)
                and (z := _ZONE_OF_PROVINCE.match(text, at)) is not None
                and z.group(2) + "市" in cities
            ):
                place = z.group(2) + "市"  # 瑫滠省滠口高新区管委会带领15家企业来区考察: the zone's city
                break
            if (
                cities
                and text[at : at + 1] == "〔"
                and (c := _MASKED_PROVINCE_OPENS.match(text, at)) is not None
                and (city := _CITY_CLAUSE.match(text, c.end())) is not None
                and city.group(1) in cities
            ):
                place = city.group(
                    1
                )  # 〔存疑：？寷〕I省汭口市科学技术局带领21家: the city named after it, another's
                break
            if (
                short is not None
                and (u := short.match(text, at)) is not None
                and (
                    any(
                        p == short_names[u.group(1)] and text.rfind("\n", a, at) < 0
                        for a, p in starts.items()
                        if a < at
                    )
                    # (璇嶷大学研制的钠离子电池…达到160瓦时/千克, 璇嶷大学派驻研究人员9名: the unit's own work or act)
                    or (not back and _UNITS_OWN_ACT.match(text, u.end()) is not None and not acts.add(first))
                )
            ):
                # 醴洑省高校科研经费为128.5亿元，…。醴洑大学科研经费45.3亿元: in a paragraph about the province, its
                # university named without 省 (not a team of it taking part in ours: 璘澈大学团队得分83.6分)
                place = short_names[u.group(1)]
                break
            m = _PLACE_CLAUSE.match(text, at)
            if m is not None:
                # a list of provinces (岱沄省科技厅、翡岭省科技厅分别组团参展): all of them, each one named
                names = _PROVINCE.findall(m.group(1))
                if names and all(n in named for n in names):
                    place = "、".join(names)
                    if (
                        _joint_or_set_up_in_ours(text, at)
                        or _joint_with_our_city(text, at, cities)
                        or (_part_of_ours(text, s) and not text.startswith(("科学技术厅", "科技厅"), m.end()))
                    ):
                        # 皞泺省医药研究院与我省3家企业共建联合实验室: joint, the report's own; 省外单位参与的团队中，
                        # 瀼岵省单位参与的6支 (其中…是省外的，瀼岵省的团队就有二十多个): a part of the report's own whole
                        place = ""
                    break
            if cities and (c := _CITY_CLAUSE.match(text, at)) is not None and c.group(1) in cities:
                place = c.group(1)  # a city of another province, or another city than the report's own
                if _part_of_ours(text, s) and not _CITY_DEPARTMENT.match(text, c.end()):
                    place = ""
                break
            if back and (c := _AGREED_WITH_US.match(text, at)) is not None and c.group(1) in named:
                # 湜峤省科学技术厅与我厅签署…协议，向我省科研人员开放…: the agreement is joint, what the clauses
                # after it give is the province's (its city's, when a unit of the city signed: 瑢汭省汭口市农产品加工
                # 研究所与基地签订合作协议，派驻研究人员5名)
                place = c.group("city") if c.group("city") in cities else c.group(1)
                break
            if bare is not None and (c := bare.match(text, s)) is not None:
                place = c.group(1) + "市"
                break
            if zones and (z := _ZONE_OPENS.match(text, at)) is not None and z.group(1) in zones:
                # 与绂…科技城相比，园区…。绂…科技城集聚两院院士12名: another place's zone set against ours, its city's
                place = z.group(1) + "市"
                break
            if masked_city and (c := _REDACTED_CITY.match(text, at)) is not None:
                # 琎潏省〔隐去〕市科技局在我市设立…: the one other city the page names that it can be (after a
                # redacted province, a city of the province it stands for)
                of = c.group(1) or (masked_province or None if "〔隐去〕省" in c.group() else "")
                if of == "" and _ANOTHER_CITY_SAID.search(text, c.end(), _clause_end(text, c.end())) is None:
                    of = None  # 〔隐去〕市还对…: said bare, the report's own city as likely; 组织该市… says another
                if of is not None and (got := masked_city.get(of)):
                    place = got
                    break
            if masked_province and (
                _REDACTED_PROVINCE.match(text, at) is not None
                or (back and _REDACTED_AGREED.match(text, at) is not None)
            ):
                place = masked_province  # 〔隐去〕省科学技术厅组织64家单位参展: the one other province named
                if _SET_UP_IN_OURS.search(text, at, _clause_end(text, at)) is not None:
                    place = ""  # 〔隐去〕省…研究院在我省…设立的…中心: ours, as with the name
                break
            if (
                not masked_province
                and "〔隐去〕省" in text[at : at + 14]
                and _REDACTED_OPENS.match(text, at) is not None
                and _NOT_OURS_SAID.search(text, at, _sentence_end(text, at)) is not None
            ):
                # every mention redacted, its sentence setting it against ours (〔隐去〕省…约为我省的1.5倍；该省…): another
                # province, its name redacted — never the report's own
                place = REDACTED_REGION
                break
            if s == 0 or text[s - 1] == "\n":
                break
            if _BOTH_SIDES_OPEN.match(text, s) is not None:
                break  # (…签订合作协议，共建…，双方各投入1500万元: what both sides give is joint, the report's own)
            if s in agreed:
                # what the clauses after the agreement give is the province's (the next round reads it)
                b = s - 1
                continue
            if (
                not (
                    text[s - 1] in "，,"
                    and _GOES_ON.match(text, s)
                    and _WITH_ANOTHER.search(text, max(0, s - 200), s) is None
                )
                and not _CARRY.match(text, s)
                and not (
                    # a figure listed with its noun after a clause that went on with the subject (…组织代表团参展，
                    # 带来成果112项，参展企业48家): the same subject's
                    text[s - 1] in "，,"
                    and _LISTED_FIGURE.match(text, s)
                    and (
                        _CARRY.match(
                            text, max(text.rfind(c, max(0, s - 200), s - 1) for c in "，,；;：:") + 1
                        )
                        # (邻省浈渠省去年研发投入强度已经超过百分之二，高新技术企业超过一万家: listed after the clause
                        # whose subject is the province itself)
                        or _PLACE_CLAUSE.match(
                            text, max(text.rfind(c, max(0, s - 200), s - 1) for c in "，,；;：:。！？\n") + 1
                        )
                        is not None
                    )
                )
            ):
                break
            b = s - 1
        if (
            not place
            and not flow
            and (t := text.find("该", first, f.start)) >= 0
            and text[t + 1 : t + 2] in ("省", "市")
            and not _ours_toward_that_one(text, first, t)
            # (…差距主要在投资指标，我省风险投资占GDP比重仅为该省的三分之二: ours set against theirs as a part or a
            # multiple, the province its base; not 我省企业使用费用按该省标准的八五折收取, the province's price)
            and not (
                text.startswith(_OURS_OPENS, first)
                and _THAT_ONE_AS_BASE.search(text, max(0, f.start - 8), f.start) is not None
            )
            # (但新认定企业的研发投入强度高于该省平均水平0.6个百分点: the province the base a figure of ours is set against)
            and _THAT_ONE_COMPARED.search(text, first, f.start) is None
        ):
            # 使用费用按该省标准的八折收取: the province (city) named before in the paragraph, as the nearest clause
            # before whose place is one
            para = text.rfind("\n", 0, first) + 1
            for at in sorted(starts, reverse=True):
                if para <= at < first and starts[at].endswith(text[t + 1]):
                    place = starts[at] if "、" not in starts[at] else ""
                    # (…612亿元。鸮…市统计局数据显示，该市企业30家: a region of that kind named since is the one meant)
                    since = [
                        n
                        for n in _A_PROVINCE_OR_CITY.findall(text, _clause_end(text, at), t)
                        if n[-1] == text[t + 1]
                        and n[0] not in _OWN_WHOLE
                        and _NOT_A_NAME.search(n, 0, 2) is None
                    ]
                    if since and since[-1] != place:
                        place = ""
                    break
        if (
            not place
            and not flow
            and (t := text.find("该", first, f.start)) >= 0
            and text[t + 1 : t + 2] in _POINTED_BACK
            and not _ours_toward_that_one(text, first, t)
            and _THAT_ONE_COMPARED.search(text, first, f.start) is None
        ):
            # 缃…省电力科学研究院作为…参与了核验。该院此前已在…建成示范线路2条; …产业联盟发布的数据显示，该市…612亿元:
            # 该院 (该所, 该校, 该市, 该省) goes on with the unit or region named last before it in the paragraph, another's
            place = _pointed_back(text, text.rfind("\n", 0, first) + 1, t, text[t + 1], named, cities)
            if (
                not place
                and text[t + 1] == "省"
                and (r := text.rfind("〔隐去〕省", text.rfind("\n", 0, first) + 1, t)) >= 0
                and _A_PROVINCE_OR_CITY.search(text, r + 6, t) is None
            ):
                # 据〔隐去〕省税务部门公布，该省…: the province pointed back at is one the page redacted, another's (the
                # one other province the page still names, else a redacted one) — never the report's own
                place = masked_province or REDACTED_REGION
        if not place and there:
            for a, z, name in there:
                if a <= f.start < z:
                    place = name  # 嶓江那边的技术创新中心，一年服务收入做到了六千多万: over there, 嶓江市's
                    break
        if not place and _THEY_THERE.match(text, first) is not None:
            # 我们的邻居玓潖省拿了十九项，我们只拿了七项，人家是我们的两倍多: 人家 is the other region the paragraph
            # named last, its clauses of ours between
            para = text.rfind("\n", 0, first) + 1
            for at in sorted(starts, reverse=True):
                if para <= at < first and starts[at]:
                    place = starts[at]
                    break
        if garbled and place and _GARBLED_NAME.search(place) is not None and masked_province:
            # 寷I省农业科学院…: a garbled name read as the one other province the page still names
            names = [masked_province if _GARBLED_NAME.search(n) else n for n in place.split("、")]
            place = "、".join(names)
        if (
            not place
            and text[f.start - 1 : f.start] == "的"
            and (base := _THEIRS_AS_BASE.search(text, max(0, f.start - 10), f.start)) is not None
            and base.group(1) in named
        ):
            place = base.group(
                1
            )  # 单站合作项目数达到3.1项，高于醴洑省的2.4项: the other province's figure set against ours
            f.place = place
            continue
        starts[first] = place
        if place and _OURS_AS_BASE.search(text, max(0, f.start - 6), f.start) is not None:
            # 是我省9家的3倍: the base of the multiple, ours (the multiple stays the other region's)
            place = ""
        elif place.endswith("省") and text.startswith("其中", first) and (c := _ITS_CITY.match(text, first)):
            # 楮樨省今年入库2.35万家，其中樨口市1.02万家: a city of the province its clause goes on with, the part's
            place = c.group(1)
        f.place = place


# a clause of ours whose act goes to the other region pointed back at (我厅向该省移送线索2件, 我馆同期赴该省巡展展品48件):
# 该省 says where it went, the act and its figure are ours (not 我省企业使用费用按该省标准的八五折收取, the province's price)
_OURS_TOWARD = re.compile(r"我[省市县区厅局馆院校所们][^，,。；;]{0,8}?(?:向|赴|到|往|给|对)$")


def _ours_toward_that_one(text: str, first: int, at: int) -> bool:
    """Whether the clause from `first` opens on ours and goes toward the region pointed back at `at` (该省)."""
    return _OURS_TOWARD.fullmatch(text, first, at) is not None


def _dates_are_ours(facts: list[Fact]) -> None:
    """A date is the report's own even where another region's unit opens its clause (袗…省科技馆于6月18日来我馆举办…,
    …市科学技术局于11月6日组织…来禛阳交流): it says when something happened in the report's account — no key of dev …
    dev41 places a date with another region."""
    for f in facts:
        if f.kind == "date" and f.place:
            f.place = ""


# a page's date line written with hyphens (发布时间：2026-10-09, after a label and a colon, ending its line): a date as the
# signature's is; inside a sentence (于2026-03-15前提交) it stays unread (test_fact_forms36)
_ISO_DATE = re.compile(
    r"(?<=[：:])[ \t]*(20\d\d)-(1[0-2]|0[1-9])-(3[01]|[12]\d|0[1-9])(?=[ \t\u3000]*(?:\n|$))"
)
# a span of days written month.day (10.1至10.3为入馆高峰): read as dates only where the paragraph before names that
# month (国庆假期（10月1日至8日）…) and no unit follows (not 亩产3.5至4.2吨, a range of decimals)
_DOTTED_DAYS = re.compile(
    r"(?<![\d.])(1[0-2]|[1-9])\.(3[01]|[12]\d|[1-9])(?:至|到|—|～|~)(1[0-2]|[1-9])\.(3[01]|[12]\d|[1-9])"
    r"(?=[为是期间，,。；;、])"
)


def _dates_written_with_marks(text: str, year: int) -> list[Fact]:
    """The dates written with marks, not with 年月日: a page's date line 发布时间：2026-10-09 (of its year) and a span
    10.1至10.3 (of the report's year, where the paragraph before names the month: see `_DOTTED_DAYS`)."""
    out = []

    def date(y: int, month: int, day: int, s: int, e: int) -> None:
        b = max(text.rfind(c, 0, s) for c in "。！？\n") + 1
        z = _FULL_STOP.search(text, e)
        z = z.end() if z is not None else len(text)
        z = min(z, n if (n := text.find("\n", e)) >= 0 else len(text))
        subject = text[max(b, s - 8) : s].strip("：:，, ")
        out.append(
            Fact(
                "date",
                subject,
                "",
                f"{y:04d}-{month:02d}-{day:02d}",
                "date",
                "",
                str(y),
                text[b:z],
                s,
                e,
                b,
                z,
            )
        )

    if "-" in text:
        for m in _ISO_DATE.finditer(text):
            date(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.start(1), m.end(3))
    if "." in text:
        for m in _DOTTED_DAYS.finditer(text):
            para = text.rfind("\n", 0, m.start()) + 1
            months = {m.group(1), m.group(3)}
            if not all(re.search(rf"(?<!\d){mo}月", text[para : m.start()]) for mo in months):
                continue
            date(
                year,
                int(m.group(1)),
                int(m.group(2)),
                m.start(),
                m.start() + len(m.group(1)) + 1 + len(m.group(2)),
            )
            at = m.end() - len(m.group(3)) - 1 - len(m.group(4))
            date(year, int(m.group(3)), int(m.group(4)), at, m.end())
    return out


# a year before the report's said in a sentence (截至2025年12月31日，…; 2025年，…)
_EARLIER_YEAR_SAID = re.compile(r"(?:截至|截止|到|)20\d\d年")
# the bound of a class right before 的 (单位价值50万元以上的专用设备, 超过10亿元的企业)
_BOUND_BEFORE = re.compile(r"(?:超过|不足|低于|高于|不少于|不低于|少于|多于|在)$")


def _class_bounds_of_now(text: str, year: int, facts: list[Fact]) -> None:
    """截至2025年12月31日，本部门共有车辆2辆…；单位价值50万元以上的专用设备3台: the bound of a class (a figure and its
    bound before 的) in a clause after the one saying an earlier year is the class's, of the report's year — as in
    the later sentences of a paragraph of an earlier year (FACTS_KEY, facts33); the count of the class keeps the
    year."""
    now = str(year)
    for f in facts:
        if (
            f.kind == "date"
            or not f.period.isdigit()
            or int(f.period) >= year
            or not text.startswith("的", f.end)
            or not (
                text[f.start : f.end].endswith(("以上", "以下"))
                or _BOUND_BEFORE.search(text, max(0, f.start - 3), f.start) is not None
            )
        ):
            continue
        # the year said in the sentence, in a clause before the figure's
        b = max(text.rfind(c, 0, f.start) for c in "。！？\n") + 1
        c = max(text.rfind(x, b, f.start) for x in "，,；;：:") + 1
        if c > b and f"{f.period}年" in text[b:c] and f"{f.period}年" not in text[c : f.start]:
            f.period = now


_POINTED_BACK = {"院": "院", "所": "所", "校": "大学", "市": "市", "省": "省"}
_A_PROVINCE_OR_CITY = re.compile(rf"[{HAN}]{{2}}[省市]")
_COUNTED = re.compile(r"[几两一二三四五六七八九十百千万个家多各些]")


def _pointed_back(text: str, para: int, at: int, kind: str, named: set[str], cities: set[str]) -> str:
    """The other region a unit or region pointed back at (该院, 该市 at `at`) is of: the name said last before it in
    the paragraph (`para` on) — for 该院, 该所, 该校 the last such unit's name (缃…省电力科学研究院), for 该市 and 该省 the
    last city or province named — when that name is another region's; "" when it is ours or none."""
    word = _POINTED_BACK[kind]
    if kind in "市省":
        names = [
            n
            for n in _A_PROVINCE_OR_CITY.findall(text, para, at)
            if n.endswith(kind) and n[0] not in _OWN_WHOLE and _NOT_A_NAME.search(n, 0, 2) is None
        ]
        if not names:
            return ""
        last = names[-1]
        if last in (cities if kind == "市" else named):
            return last
        if kind == "市" and last[0] not in _OWN_WHOLE and _NOT_A_NAME.search(last, 0, 2) is None:
            # (in a city's report, another city pointed back at: 绂…市储能产业联盟发布的数据显示，该市…)
            own = _first_city(text[: max(0, text.find("\n"))])
            if (
                own is not None
                and own.group() != last
                and _first_county(text[: max(0, text.find("\n"))]) is None
            ):
                return last
        return ""
    end = text.rfind(word, para, at)
    if end < 0:
        return ""
    start = max(text.rfind(c, para, end) for c in "，,。；;：:！？、（(“") + 1
    start = max(start, para)
    for n in reversed(_A_PROVINCE_OR_CITY.findall(text, start, end)):
        if n in named or n in cities:
            return n
        return ""
    return ""


def _named_regions(text: str) -> tuple[set[str], set[str]]:
    """(the other provinces the report names, the other cities) as `_places_of` reads them."""
    named = {m.group(1) for m in _province_units(text) if _NOT_A_NAME.search(m.group(1), 0, 2) is None}
    # a province's academy or university opening a clause (溇屿省农业科学院在该省…开展了2个点的异地鉴定): the
    # province is named as a subject too
    # (not 今年省财政安排嵂宁实验室…: words of a sentence before 省)
    # (a union or a platform of the province the title names is the report's own: 璘澈省深远海装备创新联合体2025年度运行报告)
    title = text[: max(0, text.find("\n"))]
    named |= {
        m.group(1)
        for m in _province_institutes(text)
        if _NOT_A_NAME.search(m.group(1), 0, 2) is None
        and not (m.group().endswith(_UNION_OR_PLATFORM) and m.group(1) in title)
    }
    if "我省" in text or "我们" in text:
        named |= {m.group(1) for m in _set_against_ours(text)}
    if "省份" in text:
        # (与周边省份相比，徂…省目前省级专精特新中小企业约2300家: a province opening its clause after a comparison with others)
        named |= {
            m.group(1)
            for m in _AMONG_PROVINCES.finditer(text)
            if _NOT_A_NAME.search(m.group(1), 0, 2) is None and m.group(1) not in title
        }
    if "的" in text and ("室" in text or "院" in text or "所" in text or "大学" in text):
        # (同期参加两省联合评估的缃…省电化学储能重点实验室得分89.3分: another province's laboratory, described first)
        named |= {
            m.group(1)
            for m in _described_institutes(text)
            if _NOT_A_NAME.search(m.group(1), 0, 2) is None
            and _COUNTED.search(m.group(1), 0, 2) is None
            and m.group(1) not in title
        }
    if "邻" in text or "隔壁" in text:
        named |= {m.group(1) for m in _NAMED_NEIGHBOUR.finditer(text)}
    if "省" in text:
        # (同期，漙岈省认定高新技术企业5260家: a province opening a clause with what its department does, a figure after)
        named |= {
            m.group(1)
            for m in scan.matches_at(_PROVINCE_ACTS, text, ("省",), (2,))
            if _NOT_A_NAME.search(m.group(1), 0, 2) is None
        }
    if "高于" in text or "低于" in text:
        # (总体资助率高于瑊浡省同期的16.5%: a province named as the base a figure of ours is set against)
        named |= {
            m.group(1) for m in _THEIRS_NAMED.finditer(text) if _NOT_A_NAME.search(m.group(1), 0, 2) is None
        }
    if "省" in text:
        title = text[: max(0, text.find("\n"))]
        named |= {m.group(1) for m in _provinces_dated(text, len(title)) if m.group(1) not in title}
    if "协议" in text:
        named |= {m.group(1) for m in _AGREED_WITH_US.finditer(text)}
    if "有" in text:
        named |= _provinces_holding(text)
    if "据" in text and "该省" in text:
        # (据璩瑀省税务部门公布，该省2025年度…: a province named as the source, then pointed back at)
        named |= {
            m.group(1)
            for m in _SOURCE_THEN_THAT.finditer(text)
            if _NOT_A_NAME.search(m.group(1), 0, 2) is None and m.group(1) not in title
        }
    cities = _other_cities(text) if "市" in text or "高新区" in text or "开发区" in text else set()
    return named, cities


# a province named as the source of what the next clause says of it (据X省税务部门公布，该省…)
_SOURCE_THEN_THAT = re.compile(
    rf"据([{HAN}][^全本我该外各两邻跨分每]省)(?![财级重实奖政委属直内外份域里]|市(?!场))[^，,。；;\n]{{1,12}}[，,]该省"
)
# a province opening a sentence with what it has (耜耖省现有国际科技合作基地42家，其中国家级9家): a stock of its own, a
# figure after it in the clause
_PROVINCE_HOLDS = re.compile(
    rf"(?:^|(?<=[。！？；;\n]))([{HAN}][^全本我该外各两邻跨分每]省)(?:目前|现|共|已|累计|)(?:拥有|有)"
    r"(?=[^，,。；;\n]{0,20}[\d一二两三四五六七八九十])"
)


def _provinces_holding(text: str) -> set[str]:
    """The provinces opening a sentence with what they have (…省现有…42家), not the one the title names (the report's
    own, 铧镡省现有… in its own report) nor a name's words (`_NOT_A_NAME`)."""
    title = text[: max(0, text.find("\n"))]
    # (every match holds 省 two characters after its start: tried only there, `scan.matches_at`; the pattern opens on an
    # assertion, which `finditer` tries at every place of the text - speed19)
    return {
        m.group(1)
        for m in scan.matches_at(_PROVINCE_HOLDS, text, ("省",), (2,))
        if m.group(1) not in title and _NOT_A_NAME.search(m.group(1), 0, 2) is None
    }


# the province a title names first (a redacted one too: 〔隐去〕省与玓潖省…比较分析 names no other own)
_FIRST_PROVINCE = re.compile(rf"(?:[{HAN}]{{2}}|〔隐去〕)省")


def _redacted_columns(text: str, tabled: list[Fact]) -> list[Fact]:
    """A table's column headed by a province the page redacted, beside ours only (指标　我省　〔隐去〕省): the one
    other province the page still names as another's (its department, set against ours, …), or, with none or
    several, not read. The report's own is the one its title names first (珹湉省与玓潖省科技创新主要指标比较分析)
    and its signature's."""
    named, _cities = _named_regions(text)
    own = set()
    if (first := _FIRST_PROVINCE.search(text, 0, max(0, text.find("\n")))) is not None:
        own.add(first.group())
    for m in _SIGNATURE.finditer(text):
        own.update(_PROVINCE.findall(m.group()))
    others = {
        p for p in named - own if _NOT_A_NAME.search(p, 0, 2) is None and _GARBLED_NAME.search(p) is None
    }
    province = next(iter(others)) if len(others) == 1 else ""
    if not province:
        return [f for f in tabled if f.place != REDACTED_REGION]
    for f in tabled:
        if f.place == REDACTED_REGION:
            f.place = province
    return tabled


def _load_rules() -> dict:
    """rules.RULES (rules imports this module's unit lists, so it is imported on first use)."""
    from .rules import RULES

    _RULES.update(RULES)
    return _RULES


# the lead of a news item: its first sentence after the title, dated in January (记者1月8日从…获悉，;
# 记者从1月6日召开的新闻发布会上获悉，; 1月8日，全市科技工作会议召开。), the year just ended said in it or in the
# sentence after it (去年, 过去一年 or the report's year: 会议指出，去年全市…)
_JANUARY_LEAD = re.compile(r"[^\n。]{0,24}?(?<![\d年])(?P<date>1月(?:[12]\d|3[01]|[1-9])日)")
_LEAD_PAST = re.compile(r"[^。\n]{0,40}?(?:去年|过去一年|{year}年)")


def _next_january_lead(text: str, year: int):
    """The lead's January date when the news item is dated in the January after `year` (the year its figures
    are of): the lead, or the sentence after it, says 去年, 过去一年 or `year`年 after the date (within 40
    characters of the date or of that sentence's start), and no later year is said in the text."""
    title_end = text.find("\n")
    if title_end < 0:
        return None
    m = _JANUARY_LEAD.match(text, title_end + 1)
    if m is None or f"{year + 1}年" in text:
        return None
    past = re.compile(_LEAD_PAST.pattern.replace("{year}", str(year)))
    if past.match(text, m.end()) is not None:
        return m  # 记者1月8日从…获悉，去年全市…
    stop = _SENTENCE_STOP.search(text, m.end())
    if stop is not None and stop.group() == "。" and past.match(text, stop.end()) is not None:
        return m  # 1月8日，全市科技工作会议召开。会议指出，去年…
    return None


# a value measured against a plan's goal (已超过目标8.6%, 已完成目标的93.5%, 距目标尚差0.09个百分点)
_AGAINST_GOAL = re.compile(r"(?:超过|超出|完成|距|离|低于|高于|达到)了?(?:规划|年度|)目标")


def _against_the_goal(text: str, year: int, facts: list[Fact], tabled: list[Fact]) -> None:
    """After a table of years (指标　2020年　2024年　2025年目标) whose latest measured column is before the
    report's year, a share or a gap measured against the goal (技术合同成交额已超过目标8.6%) is of that column's
    year: it compares the latest value the table gives with the goal."""
    measured = [int(f.period) for f in tabled if f.kind != "target" and f.period.isdigit()]
    latest = max(measured, default=year)
    if latest >= year:
        return
    after = max(f.end for f in tabled)
    now = str(year)
    for f in facts:
        if f.start < after or f.period != now or f.kind not in ("percent", "points"):
            continue
        cs = max(text.rfind(c, 0, f.start) for c in "，。；\n") + 1
        if _AGAINST_GOAL.search(text, cs, f.start) is not None:
            f.period = str(latest)


_THIS_YEAR_SAID = re.compile(r"今年|本年")
_PAST_SAID = re.compile(r"去年|过去一年|上年|20\d\d年")
_PLANNED = re.compile(r"力争|将|目标|预计|计划|确保")


def _of_the_new_year(text: str, year: int, lead, facts: list[Fact]) -> None:
    """In a news item dated in the January after `year`: the lead's date is of that January, and a figure after
    今年 in its sentence (no past year said between) is of the new year (a target where a plan word is said)."""
    now = str(year + 1)
    for f in facts:
        if f.kind == "date" and f.start == lead.start("date"):
            f.period, f.value = now, f"{now}{str(f.value)[4:]}"
        elif f.period == str(year) and f.kind not in ("date", "rank"):
            head = text[f.sentence_start : f.start]
            at = max((m.end() for m in _THIS_YEAR_SAID.finditer(head)), default=-1)
            if at >= 0 and _PAST_SAID.search(head, at) is None:
                f.period = now
                if _PLANNED.search(head, at) is not None:
                    f.kind = "target"


# A rate (FACTS_KEY.md, quantity): a figure written right after 每 and a unit of time or of measure (每小时2.5公斤,
# 每秒10米, 每月1.2万片, 每年5000吨, 氢耗为每百公里8.6千克, 每万元0.28吨标准煤; a bound between: 每小时不低于120亩), later
# in the clause of 每 and a unit of time shorter than a year (每小时产氢200标准立方米, 每周给药1次), after a speed word
# (时速350公里) or before 每 and a unit of time (350公里每小时) is keyed in a compounded unit: 公斤/小时, 米/秒, 公里/小时.
# The value stays as written. Not a rate: 每年 or 每 and a unit of measure before a verb (每年可替代标准煤9.6万吨, 每亩增产
# 60公斤: the amount of a year, of a mu; as 每年安排10亿元 is an amount in 元), 每 before a counted item (每家, 每人, 每个
# 项目: an allotment or an average per item), and amounts, shares, points, ranks and levels (元, %, 百分点, 位, 级, 倍).
# the units of time a rate is per, as the unit writes them (每个小时 → /小时, 每秒钟 → /秒, 每星期 → /周)
_RATE_TIME = {"秒钟": "秒", "个小时": "小时", "星期": "周", "个月": "月"}
_RATE_TIME |= {u: u for u in ("秒", "分钟", "小时", "天", "日", "周", "月", "季度", "年")}
_RATE_MEASURE = (
    "标准立方米|立方米|立方厘米|平方厘米|平方公里|平方千米|平方米|公顷|亩|公里|千米|厘米|毫米|米|千克|公斤|吨|克|毫升|升"
    "|千瓦时|万元"
)
_RATE_BOUND = (
    r"(?:不|约|近|逾|仅)?(?:低于|少于|超过|高于|大于|小于|最高|最多|最少|至少|可达|高达|达到|达|只有|为)?"
)
# what a unit of measure measures, said right after it (能耗为每吨产品0.86吨标准煤: 吨标准煤/吨; no verb between)
# (每吨二氧化碳2.3吉焦: the gas or the water a plant treats or captures, as its product)
# (吸附剂消耗为每吨碳酸锂当量0.6千克: 千克/吨, a product's equivalent)
_RATE_OF = rf"产品|成品|原料|二氧化碳|氢气|污水|废水|[{HAN}]{{1,5}}当量"
_RATE_OF_AFTER = re.compile(f"(?:{_RATE_OF})$")
_RATE_MEASURE_HEAD = re.compile(rf"(?:\d+|[十百千万])?(?:{_RATE_MEASURE})")
_RATE_BEFORE = re.compile(
    rf"每(?P<per>(?:\d+|[十百千万])?(?:{_RATE_MEASURE})(?:{_RATE_OF})?|{'|'.join(sorted(_RATE_TIME, key=len, reverse=True))})"
    rf"{_RATE_BOUND}$|(?P<speed>时速|秒速){_RATE_BOUND}$"
)
# 每小时产氢200标准立方米: a unit of time shorter than a year, the figure later in its clause (no numeral between)
_RATE_IN_CLAUSE = re.compile(
    r"每(秒钟|秒|分钟|个小时|小时|天|日|周|星期|个月|月|季度)"
    # (零件 is a noun, not a numeral: 每分钟可检测精密零件600件)
    r"(?:零(?=件)|[^，。；！？：\d零一二两三四五六七八九十百千万亿每])*$"
)
_RATE_AFTER = re.compile(r"每(秒钟|秒|分钟|个小时|小时|天)(?=[，。；、）)的以左\s]|$)")
_SPEED_UNITS = frozenset(("公里", "千米", "米", "海里"))
# units of time (or of times) a year holds: 每年不少于90天 is so many days of the year, its unit 天 (每周不少于2天: 天/周)
_TIME_IN_A_YEAR = frozenset(("天", "日", "个月", "月", "周", "小时", "机时", "次"))
_NOT_RATES = frozenset(("元", "%", "百分点", "个百分点", "个多百分点", "个百分", "位", "级", "date", "倍"))
# what parts a rate's two figures of a range or a movement (每小时8至10亩, 由每年不超过300项压减至不超过270项)
_RATE_SECOND = re.compile(rf"(?:至|到|—|－|~|～|(?<=\d)-){_RATE_BOUND}$")
# the clause after a rate comparing it with a standard of the same measure (，超过任务书要求的10克; ，高于国家标准的)
# (…降至每标准立方米4.3千瓦时，比上年降低0.2千瓦时: the change from a year before, in the rate's unit)
_RATE_COMPARED = re.compile(
    r"[，,](?:比|较|超过|超出|高于|低于|优于|好于|不到|不足|接近)了?[^，,。；;！？\d零一二两三四五六七八九十百千万亿]{0,12}的"
    r"|[，,](?:比|较)(?:上年|去年|上一年|上年度|同期|上年同期)(?:降低|下降|减少|提高|增加|提升|上升)了?"
)


_RATE_CUE = re.compile(r"每|时速|秒速|小时能")
# a speed in speech: 一个小时能跑十五海里; and so of any work an hour does in speech (一个小时能下线一百二十块, 一小时
# 能防治八十亩: 块/小时, 亩/小时)
_SPOKEN_SPEED = re.compile(r"一个?(?:小时|钟头)(?:能|可以|可)(?:跑|走|开|飞|行驶|航行)了?$")
_SPOKEN_RATE = re.compile(
    r"一个?(?:小时|钟头)(?:能|可以|可)[^\d，。；：、零一二两三四五六七八九十百千万亿]{1,4}$"
)
_NOT_RATE_KINDS = frozenset(("money", "percent", "points", "rank", "date", "level"))


def _rate_per(text: str, f: Fact) -> str:
    """The unit of time or measure the fact's figure is a rate per ("" when it is not one), the figure's end moved
    over 每小时 written after it."""
    s = f.start
    m = _RATE_BEFORE.search(text, max(0, s - 12), s)
    if m is not None:
        if m.group("speed"):
            return ("小时" if m.group("speed") == "时速" else "秒") if f.unit in _SPEED_UNITS else ""
        per = m.group("per")
        # 每吨产品: per 吨 (the product it measures is no part of the unit)
        if per in _RATE_TIME:
            return _RATE_TIME[per]
        head = _RATE_MEASURE_HEAD.match(per)
        return head.group() if head is not None else _RATE_OF_AFTER.sub("", per)
    m = _RATE_IN_CLAUSE.search(text, max(0, s - 16), s)
    if m is not None:
        return _RATE_TIME[m.group(1)]
    if f.unit in _SPEED_UNITS and _SPOKEN_SPEED.search(text, max(0, s - 12), s) is not None:
        return "小时"  # 一个小时能跑十五海里 (speech)
    if _SPOKEN_RATE.search(text, max(0, s - 12), s) is not None:
        return "小时"  # 一个小时能下线一百二十块 (speech)
    if text.startswith("每", f.end) and (m := _RATE_AFTER.match(text, f.end)) is not None:
        f.end = m.end()
        return _RATE_TIME[m.group(1)]
    return ""


# 两支团队均…, 两家单位都…: the two, their noun, then 均 or 都
_BOTH = re.compile(r"(?P<noun>[\u4e00-\u9fff]{1,4}?)(?:均|都)")


def _both_named_before(text: str, facts: list[Fact]) -> list[Fact]:
    """`facts` without a count of two that points back at the two its sentence has just named one by one
    (翙琈省农科院团队试种亩产512公斤，皞泺省农科院团队亩产476公斤，两支团队均达到要求: 两支 is no new figure); a count
    of two whose noun was not named twice before it in the sentence stays (两家机构均获评A档)."""
    out = []
    for f in facts:
        if (
            f.kind == "count"
            and f.value == 2
            and text.startswith("两", f.start)
            and (m := _BOTH.match(text, f.end)) is not None
            and text.count(m.group("noun")[-2:], f.sentence_start, f.start) >= 2
            # (A、B两项指标均居全国第6位: a count right after the list it counts is one, facts23)
            and _A_LIST.search(text, _clause_start(text, f.start), f.start) is None
        ):
            continue
        out.append(f)
    return out


# a count of two said again as its clause's subject, pointing back at the two counted before it in the text (…每个课题同时
# 支持2支团队…。同一课题两支团队得分相差不足3分的，两支团队均继续支持; 通过考核的两支团队将分别获得…): no new figure
# (FACTS_KEY: a count pointed back at is not keyed); not after a list naming them (A和B的两支团队, facts23) nor the object of
# a verb (同时支持两支团队)
_TWO_AGAIN = re.compile(r"两(?P<m>[支个家])(?P<noun>团队|队伍|机构|单位)")
_SUBJECT_LEAD = ("的", "课题", "榜单", "项目")
_A_LIST = re.compile(r"[和、与及]")


def _counts_pointing_back(text: str, facts: list[Fact]) -> list[Fact]:
    out = []
    for f in facts:
        if f.kind == "count" and f.value == 2 and (m := _TWO_AGAIN.match(text, f.start)) is not None:
            lead = text[_clause_start(text, f.start) : f.start]
            said = re.compile(rf"(?:两|2|二){m.group('m')}[^，,。；;\d]{{0,4}}?{m.group('noun')}")
            if (
                (not lead or lead.endswith(_SUBJECT_LEAD) or text.startswith("均", m.end()))
                and _A_LIST.search(lead) is None
                and said.search(text, 0, f.start) is not None
            ):
                continue
        out.append(f)
    return out


# a movement from a share said in words to a bare numeral (电芯良品率从年初的百分之九十一做到了九十六，): the end is a share
# too, as a range's or a movement's second figure is in the first's unit (FACTS_KEY)
_SHARE_MOVED_TO_BARE = re.compile(
    r"[从由](?P<lead>[^，,。；;\d]{0,6}?)百分之[一二两三四五六七八九十点零]{1,8}"
    r"(?:做到|提高到|提升到|上升到|增加到|增长到|提到|降到|降至|降低到|下降到|到)了?"
    r"(?P<n>[一二两三四五六七八九十]{1,3}(?:点[零一二三四五六七八九]{1,3}|))(?=[，,。；;！？”])"
)


def _shares_moved_to_bare(text: str, year: int | None, facts: list[Fact]) -> list[Fact]:
    ends = []
    taken = {f.start for f in facts}
    for m in _SHARE_MOVED_TO_BARE.finditer(text):
        s, e = m.start("n"), m.end("n")
        value = _scaled_value(m.group("n"), None)
        first = next((f for f in facts if m.start() < f.start < s and f.unit == "%"), None)
        if value is None or first is None or s in taken or value > 100:
            continue
        period = str(year) if year and _OWN_TIME.search(m.group("lead")) else first.period
        ends.append(
            Fact(
                first.kind,
                first.subject,
                "",
                value,
                "%",
                "",
                period,
                first.quote,
                s,
                e,
                first.sentence_start,
                first.sentence_end,
            )
        )
    return sorted(facts + ends, key=lambda f: f.start) if ends else facts


# a remainder to a goal said in speech, its unit unsaid (我们的样品已经做到360瓦时/千克，离目标还差四十，): the gap is in
# the unit of the quantity said before it in its sentence, as a range's second figure is in the first's
_SHORT_OF_GOAL = re.compile(
    r"(?:离|距)[^，,。；;！？\d]{0,8}?还差(?P<n>[一二两三四五六七八九十百千]{1,6}(?:点[零一二三四五六七八九]{1,3}|))"
    r"(?=[，,。；;！？”])"
)


def _short_of_a_goal(text: str, facts: list[Fact]) -> list[Fact]:
    gaps = []
    for m in _SHORT_OF_GOAL.finditer(text):
        value = _scaled_value(m.group("n"), None)
        start = max(text.rfind(c, 0, m.start()) for c in "。；;！？\n") + 1
        before = [f for f in facts if start <= f.start < m.start()]
        if value is None or value < 2 or not before or before[-1].kind != "quantity" or not before[-1].unit:
            continue
        f = before[-1]
        s, e = m.start("n"), m.end("n")
        gaps.append(
            Fact(
                "quantity",
                "差距",
                "还差",
                value,
                f.unit,
                "",
                f.period,
                f.quote,
                s,
                e,
                f.sentence_start,
                f.sentence_end,
            )
        )
    return sorted(facts + gaps, key=lambda f: f.start) if gaps else facts


# a span of years said before 分别 (2023年至2025年，…资金分别为1.8亿元、2.3亿元和2.9亿元), or its length said before it with the span
# said earlier in the paragraph (…入库数三年分别为3420家、4150家和5080家): the figures listed after 分别 are of its years in turn, and
# a yearly growth said after them in the sentence (年均增长21.9%) of its last year
_YEAR_SPAN = re.compile(r"(20\d\d)年?(?:至|到|—|－|~|～)(20\d\d)年")
_SPAN_LENGTH = re.compile(r"([两三四五六七八九])年分别")
_YEARLY_GROWTH = re.compile(r"年均(?:增长|增幅|提高)")


def _each_year_of_a_span(text: str, year: int, facts: list[Fact]) -> None:
    for at in (m.start() for m in re.finditer("分别", text)):
        start = _sentence_start(text, at)
        end = _sentence_end(text, at)
        span = None
        for m in _YEAR_SPAN.finditer(text, start, at):
            span = (int(m.group(1)), int(m.group(2)))
        if span is None and (n := _SPAN_LENGTH.search(text, max(start, at - 3), at + 2)) is not None:
            spans = [(int(m.group(1)), int(m.group(2))) for m in _YEAR_SPAN.finditer(text, 0, at)]
            if spans and spans[-1][1] - spans[-1][0] + 1 == cn_number(n.group(1)):
                span = spans[-1]
        if span is None or not 0 < span[1] - span[0] < 10 or span[1] > year:
            continue
        after = [f for f in facts if at < f.start < end]
        listed = []
        for f in after:
            gap = text[(listed[-1].end if listed else at + 2) : f.start]
            if listed and (gap not in ("、", "和", "，", ",") or f.unit != listed[0].unit):
                break
            if not listed and _FIGURE_AFTER_EACH.fullmatch(gap) is None:
                break
            listed.append(f)
        if len(listed) != span[1] - span[0] + 1 or any(
            f.period not in (str(year), str(span[1])) for f in listed
        ):
            continue
        for i, f in enumerate(listed):
            f.period = str(span[0] + i)
        for f in after[len(listed) :]:
            if (
                f.period in (str(year), str(span[1]))
                and _YEARLY_GROWTH.search(text, max(0, f.start - 6), f.start) is not None
            ):
                f.period = str(span[1])  # 年均增长21.9%: the span's growth, of its last year


# the share an amount of last year makes, said in the clause right after it (集团上年度研发投入21.6亿元，研发投入强度3.2%)
_SHARE_OF_IT = re.compile(rf"[，,][{HAN}]{{0,8}}(?:强度|占比|比重)(?:为|达到|达|是|)(?:约|)")
_LAST_YEAR_SAID = re.compile(r"(?:上年度?|去年)[^，,。；\d]{0,8}$")


def _share_of_last_years_amount(text: str, year: int, facts: list[Fact]) -> None:
    last, now = str(year - 1), str(year)
    for g, f in zip(facts, facts[1:]):
        if (
            g.kind == "money"
            and g.period == last
            and f.kind == "percent"
            and f.period == now
            and f.sentence_start == g.sentence_start
            and _SHARE_OF_IT.fullmatch(text, g.end, f.start) is not None
            and _LAST_YEAR_SAID.search(text, _clause_start(text, g.start), g.start) is not None
        ):
            f.period = last


_FIGURE_AFTER_EACH = re.compile(r"(?:为|是|达到|达|)(?:约|)")


# a figure said bare in speech at a clause's end after a verb of reaching (去年这个时候还是三百六，; 今年降到了六千，;
# 能量密度做到四百五十。): in the unit of the measure its clause names with a figure earlier in the text, or else of the
# figure said before it in its sentence (a quantity or an amount), as a remainder to a goal is (还差四十)
_BARE_SPOKEN = re.compile(
    r"(?:还是|就是|只有|是|降到了|降到|降至|做到了|做到|达到了|达到|升到了|升到|提高到|到了)"
    r"(?P<n>[一二两三四五六七八九][一二两三四五六七八九十百千万零]{1,5})(?=[，,。；;！？])"
)
_MEASURE_BEFORE = re.compile(rf"([{HAN}]{{2,4}})(?:已经|现在|目前|也|都|)$")


def _bare_spoken_figures(text: str, year: int | None, facts: list[Fact]) -> list[Fact]:
    if not facts or not year:
        return facts
    found = []
    taken = [(f.start, f.end) for f in facts]
    for m in _BARE_SPOKEN.finditer(text):
        s, e = m.start("n"), m.end("n")
        raw = m.group("n")
        if not any(c in raw for c in "百千万") or any(a < e and s < b for a, b in taken):
            continue
        value = _scaled_value(raw, None)
        if value is None or value < 10:
            continue
        start = max(text.rfind(c, 0, s) for c in "。；;！？\n") + 1
        clause = _clause_start(text, s)
        before = [f for f in facts if start <= f.start < clause and f.kind in ("quantity", "money", "target")]
        unit, like = "", None
        noun = _MEASURE_BEFORE.search(text, clause, m.start())
        if noun is not None and len(noun.group(1)) >= 3:
            for f in facts:
                if (
                    f.start < clause
                    and f.kind in ("quantity", "target")
                    and "/" in f.unit
                    and text.find(noun.group(1), _clause_start(text, f.start), f.start) >= 0
                ):
                    like = f  # 能量密度做到四百五十: the measure named before with its unit
        if like is None and before:
            like = before[-1]
        if like is None or not like.unit or like.unit == "%":
            continue
        unit = like.unit
        words = text[clause:s]
        period = str(year - 1) if "去年" in words else str(year) if "今年" in words else like.period
        same = [f for f in facts if start <= f.start < clause]
        f = Fact(
            "money" if unit == "元" else "quantity",
            like.subject,
            "",
            value,
            unit,
            "",
            period,
            like.quote if like.sentence_start == start else text[start : _sentence_end(text, s)],
            s,
            e,
            start,
            _sentence_end(text, s),
        )
        f.place = same[-1].place if same else ""
        found.append(f)
    return sorted(facts + found, key=lambda f: f.start) if found else facts


# 两省差距由上年的3.21缩小到0.62 after a sentence of the index's values (综合效用值为32.08): the gap between two
# indices moving, both ends bare (an index has no unit), the first of the year its words say
_INDEX_GAP_MOVED = re.compile(
    r"差距(?:由|从)(?P<when>上年|去年|20\d\d年|)(?:底|末|)的?(?P<a>\d{1,3}(?:\.\d+|))"
    r"(?:缩小|扩大|收窄|拉大)(?:到|至|为)(?P<b>\d{1,3}(?:\.\d+|))(?=[，,。；;])"
)
_INDEX_VALUE_SAID = re.compile(r"(?:指数|效用值)[^，,。；;\d]{0,8}(?:为|是|达到|达|)\d{1,3}\.\d")


def _index_gaps_moved(text: str, year: int, facts: list[Fact]) -> list[Fact]:
    """…综合效用值为32.08…。两省差距由上年的3.21缩小到0.62: the gap of an index whose value its paragraph said bare
    before, moving from a year's to now's: two quantities without a unit (the first of 上年/去年 or the year said)."""
    found = []
    taken = [(f.start, f.end) for f in facts]
    for m in _INDEX_GAP_MOVED.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken) or not m.group("when"):
            continue
        para = text.rfind("\n", 0, m.start()) + 1
        if _INDEX_VALUE_SAID.search(text, para, m.start()) is None:
            continue
        when = m.group("when")
        first = when[:4] if when[:2] == "20" else str(year - 1)
        start = max(text.rfind(c, 0, m.start()) for c in "。；;！？\n") + 1
        end = _sentence_end(text, m.end())
        quote = text[_clause_start(text, m.start()) : _clause_end(text, m.end()) + 1]
        subject = text[_clause_start(text, m.start()) : m.start() + 2]
        for group, period in (("a", first), ("b", str(year))):
            f = Fact(
                "quantity",
                subject,
                "",
                Decimal(m.group(group)),
                "",
                "",
                period,
                quote,
                m.start(group),
                m.end(group),
                start,
                end,
            )
            found.append(f)
    return sorted(facts + found, key=lambda f: f.start) if found else facts


def _bare_spoken_percents(text: str, year: int, facts: list[Fact]) -> list[Fact]:
    """去年满意度是百分之九十一，今年做到了九十六 (speech): a number under a hundred said bare after a verb of reaching, in
    the clause right after a share said with 百分之 in its sentence: a share too, in %, of the year its clause says
    (今年, 去年) or else the share's."""
    found = []
    taken = [(f.start, f.end) for f in facts]
    for m in _BARE_SPOKEN.finditer(text):
        s, e = m.start("n"), m.end("n")
        raw = m.group("n")
        if any(c in raw for c in "百千万") or any(a < e and s < b for a, b in taken):
            continue
        value = _scaled_value(raw, None)
        if value is None or not 10 <= value <= 100:
            continue
        clause = _clause_start(text, s)
        if clause < 2 or text[clause - 1] not in "，,":
            continue
        previous = _clause_start(text, clause - 1)
        like = [
            f
            for f in facts
            if previous <= f.start < clause - 1 and f.kind == "percent" and text.startswith("百分之", f.start)
        ]
        if not like:
            continue
        words = text[clause:s]
        period = str(year - 1) if "去年" in words else str(year) if "今年" in words else like[-1].period
        start = like[-1].sentence_start
        f = Fact(
            "percent",
            like[-1].subject,
            "",
            value,
            "%",
            "",
            period,
            like[-1].quote,
            s,
            e,
            start,
            like[-1].sentence_end,
        )
        f.place = like[-1].place
        found.append(f)
    return sorted(facts + found, key=lambda f: f.start) if found else facts


# a measure named with its compounded unit in brackets (a table row's label 单位产品综合能耗（吨标准煤/吨）): said again in
# the text with a figure in the unit's first part (单位产品综合能耗比要求高出0.3吨标准煤, …降至9吨标准煤以下), the figure is
# in the compounded unit, as the figure a rate is compared with is (FACTS_KEY: …超过任务书要求的10克 in 克/升)
# (the bracket found first, the name before it then: a pattern led by a character class of brackets is skipped through in C)
_MEASURE_PER = re.compile(r"[（(]([^（）()/\s]{1,8})/([^（）()/\s]{1,6})[）)]")
_MEASURE_NAME = re.compile(rf"[{HAN}]{{3,12}}$")


def _measures_per_unit(text: str, facts: list[Fact]) -> None:
    named: dict[str, list[tuple[str, str]]] = {}
    for m in _MEASURE_PER.finditer(text):
        if (name := _MEASURE_NAME.search(text, max(0, m.start() - 12), m.start())) is not None:
            named.setdefault(m.group(1), []).append((name.group(), f"{m.group(1)}/{m.group(2)}"))
    if not named:
        return
    for f in facts:
        if f.unit not in named or f.kind not in ("quantity", "target"):
            continue
        clause = max(text.rfind(c, 0, f.start) for c in "，,。；;：:\n") + 1
        for name, unit in named[f.unit]:
            at = text.find(name, clause, f.start)
            if at >= 0 and text[at + len(name) : at + len(name) + 1] not in "（(":
                f.unit = unit
                break


def _rates(text: str, facts: list[Fact]) -> None:
    """Compound the unit of each rate (see `_RATE_BEFORE`); the second figure of its range or movement in the same
    unit. Only the facts within reach of a 每, 时速 or 秒速 are looked at (a few in a report)."""
    starts = [f.start for f in facts]  # (in order: the scan's, before the tables' facts are merged)
    near: set[int] = set()
    for m in _RATE_CUE.finditer(text):
        # the figure after it (每小时不低于120亩, 时速350公里) or the one whose end it stands at (350公里每小时)
        near.update(range(bisect_left(starts, m.start() - 24), bisect_right(starts, m.end() + 16)))
    for i in sorted(near):
        f = facts[i]
        unit = f.unit
        if unit in _NOT_RATES or "/" in unit or f.kind in _NOT_RATE_KINDS:
            continue
        per = _rate_per(text, f)
        if not per or (per == "年" and unit in _TIME_IN_A_YEAR):
            # 在基层服务时间每年不少于90天, 每年在岗不少于9个月: the time spent in a year (a year's figure), not a rate
            continue
        f.unit = f"{unit}/{per}"
        # 每小时8至10亩, 由每年不超过300项压减至不超过270项: the second figure, in the same unit; so too the figure
        # the rate is compared with in the next clause (每升12克，超过任务书要求的10克)
        if i + 1 < len(facts):
            g = facts[i + 1]
            if (
                g.unit == unit
                and g.sentence_start == f.sentence_start
                and (
                    (
                        _RATE_SECOND.search(text, f.end, g.start) is not None
                        and not any(c in "，。；" for c in text[f.end : g.start])
                    )
                    or _RATE_COMPARED.fullmatch(text, f.end, g.start) is not None
                )
            ):
                g.unit = f.unit


# An uncertain span the repair could not read, shown as a question mark (〔存疑：？〕: a byte lost before an ASCII
# one), standing right before a figure's first digit (or its decimal point): the figure's leading digits are
# most often in it (约512亿元 → 〔存疑：？〕12亿元), so the digits after it are not a value to propose. The span
# stays counted and shown on the document page (the repair's uncertain changes) for the reviewer to read
# from the original. An empty span or one of U+FFFD before a figure most often stood for a Chinese
# character (经〔存疑：〕541.2亿元): the figure stays.
_UNREAD_BEFORE = re.compile(r"〔存疑：[？?]+〕[.．]?\Z")


def _cut_by_unread(text: str, facts: list[Fact]) -> list[Fact]:
    """`facts` without those whose figure follows an unread uncertain span (`_UNREAD_BEFORE`)."""
    return [f for f in facts if not _UNREAD_BEFORE.search(text, max(0, f.start - 16), f.start)]


_MARK_HOLDS = re.compile(r"〔存疑：([^〕\n]*)〕")
_UNKNOWN_IN_MARK = re.compile(r"〔存疑：[^〕\n]*？[^〕\n]*〕")


def _unmark(m) -> str:
    """An uncertain mark with its ？ (a character not read) put out of the sentence ends' way, its length kept."""
    return m.group().replace("？", "\u3013")


# A mark the repair put around a choice it could not make (one or two Chinese characters: 下一〔存疑：代〕, “〔存疑：去〕年)
# holds its best reading: the facts are read with that reading in place (去年 dates the figures after it).
# So does a mark holding a figure's leading digits right before its rest (a byte a `?` decoder ate, the digit told by the
# report's own arithmetic or its years: 成交额〔存疑：2〕21.5亿元, 成立于〔存疑：2〕021年; repair24): the figure is read with
# them, starting at its mark, its quote showing the mark (a mark holding ？ keeps its figure out, `_UNREAD_BEFORE`).
# So does a longer mark of Chinese text (a span the repair read by its dictionary, bytes lost in it: 〔存疑：中心省里补助五百万〕,
# 〔存疑：财政安排科技专项资金三千〕五百万元): its reading is the repair's best, and a figure read in it or across it is
# flagged uncertain (a mark holding ？, U+FFFD or a letter is a span not read: nothing is read in it).
_CHOICE_MARK = re.compile(
    rf"〔存疑：([{HAN}]{{1,2}}|[{HAN}][{HAN}，、]{{1,22}}[{HAN}]|[0-9]{{1,3}}(?=〕(?:[0-9]|\.[0-9])))〕"
)


# Set while `_through_choice_marks` reads the text with its marks' readings in place: it marks every fact it gets
# back (`doubt.mark` sets each fact's marks afresh), so the facts are not marked on the plain text first (speed18)
_MARKED_LATER: ContextVar[bool] = ContextVar("extract_marked_later", default=False)


def _through_choice_marks(text: str, year: int | None, result) -> list[Fact]:
    """`extract_facts` of the text with each `_CHOICE_MARK` read as what it holds, every offset given back in
    `text` (a sentence or figure that starts or ends at a mark's reading takes in the whole mark)."""
    pieces: list[str] = []
    starts: list[int] = []  # per character of the plain text: where it starts in `text`
    ends: list[int] = [0]  # per end offset of the plain text (0 … its length): the offset in `text`
    pos = 0
    for m in _CHOICE_MARK.finditer(text):
        pieces += [text[pos : m.start()], m.group(1)]
        starts += range(pos, m.start())
        ends += range(pos + 1, m.start() + 1)
        starts += [m.start(), *range(m.start(1) + 1, m.end(1))]
        ends += [*range(m.start(1) + 1, m.end(1)), m.end()]
        pos = m.end()
    pieces.append(text[pos:])
    starts += range(pos, len(text) + 1)
    ends += range(pos + 1, len(text) + 1)
    plain = "".join(pieces)
    token = _MARKED_LATER.set(True)  # (every fact is marked below, on the text as it stands)
    try:
        facts = extract_facts(plain, year=year)
    finally:
        _MARKED_LATER.reset(token)
    for f in facts:
        plain_quote = plain[f.sentence_start : f.sentence_end].strip()
        f.start, f.end = starts[f.start], ends[f.end]
        f.sentence_start, f.sentence_end = starts[f.sentence_start], ends[f.sentence_end]
        if f.quote == plain_quote:
            f.quote = text[f.sentence_start : f.sentence_end].strip()
    if result is not None and facts:
        o_starts = result.to_original_many([f.start for f in facts])
        o_ends = result.to_original_many([f.end for f in facts], end=True)
        for f, o_start, o_end in zip(facts, o_starts, o_ends, strict=True):
            f.orig_start, f.orig_end = o_start, o_end
    if facts:
        doubt.mark(
            text, facts, result
        )  # on the text as it stands: a reading of a mark is uncertain (factflag)
    return facts


def extract_facts(text: str, *, year: int | None = None, result=None) -> list[Fact]:
    """Every fact in `text` (repaired text), in order. `result` (a RepairResult) adds original offsets."""
    rules = _RULES or _load_rules()
    if "〔存疑：" in text and _CHOICE_MARK.search(text):
        return _through_choice_marks(text, year, result)
    if "．" in text and _FULL_POINT.search(text) is not None:
        # １６．２％ (a text in full-width forms): the point read as a decimal point (the same offsets)
        return _with_full_points(text, year, result)
    if "〇" in text and _CN_YEAR_WORD.search(text):
        # 二〇二〇年 read as 2020年 (the same length: every offset holds), the facts' words given back
        return _with_cn_years(text, year, result)
    facts: list[Fact] = []
    section_starts, section_years = _plan_sections(text, year)
    period = str(year) if year else ""
    # a news item dated in the January after the year its figures are of (记者1月8日…获悉，去年全市…): its 去年 is
    # the report's year, its 今年 and 明年 the years after; figures said without a year stay the report's
    lead = _next_january_lead(text, year) if year and "1月" in text else None
    now = year + 1 if lead is not None else year
    # (target year, said year, where the clause ends, a figure of it 去年 dated) a clause ending in ； passes on
    carried = ("", "", -1, False)
    # One scan for the places a figure can start (`_FIRST`, not bounded by sentences: none of its
    # lookaheads can take in a sentence end, so it finds what a scan of each sentence finds), each place
    # placed in its sentence by the sentence ends; the figure pattern is tried there within the sentence.
    search, match = _FIRST.search, _PATTERN.match
    q = search(text)
    if q is None:
        return facts
    # where each sentence ends (after its end mark): running sums of the pieces' lengths, one more for
    # each mark (C-level maps instead of a Match object per sentence)
    # (a ？ inside the repair's uncertain mark, 〔存疑：？〕, stands for a character it could not read, not for a
    # question's end: 微管密度低于每平方厘米〔存疑：？〕.1个，技术成熟度由5级… is one sentence)
    pieces = _SENTENCE_END.split(_UNKNOWN_IN_MARK.sub(_unmark, text) if "〔存疑：" in text else text)
    ends = list(map(add, accumulate(map(len, pieces[:-1])), count(1)))
    if len(text) > SENTENCE_MAX and max(map(len, pieces)) > SENTENCE_MAX:
        ends = _bounded(text, ends)
    n_ends, n = len(ends), len(text)
    while q is not None:
        k = bisect_right(ends, q.start())
        base = ends[k - 1] if k else 0
        sentence_end = ends[k] if k < n_ends else n
        if text[sentence_end - 1 : sentence_end] == "\n":
            sentence_end -= 1
        ctx = None  # made at the sentence's first figure (most sentences with a place have none)
        while q is not None and (p := q.start()) < sentence_end:
            m = match(text, p, sentence_end)
            if m is None:
                q = search(text, p + 1)
                continue
            if ctx is None:
                section = section_years[i - 1] if (i := bisect_right(section_starts, base)) else ""
                ctx = Sentence(
                    text[base:sentence_end],
                    base,
                    sentence_end,
                    now,
                    text,
                    "" if section[:1] == "r" else section,
                    period,
                )
                if section[:1] == "r":
                    ctx.review_year = section[1:]
                if text.startswith(_THAT_YEAR, base) and k > 0:
                    # 2023年，省里启动…。当年建成12个: the year the sentence before said (an earlier one)
                    _that_year(ctx, text, ends[k - 2] if k > 1 else 0, base, year)
                elif (
                    carried[2] == base
                    and not text.startswith(_NOW, base)
                    and not _NEXT_ITEM.match(text, base)
                ):
                    # 到2025年，A达到2.8%；B突破1500家: the year said before the ； holds after it
                    if carried[0]:
                        ctx.target_year, ctx.target_pos = carried[0], 0
                    if carried[1]:
                        ctx.said_year, ctx.said_pos = carried[1], 0
                    elif carried[3] and _THEY_AGAIN.match(text, base):
                        # 檫浦市去年…，比我们高出…；人家的…也比我们多出将近三成: the other side named again, set
                        # against ours, goes on with the year its figures before the ； were of
                        ctx.said_year, ctx.said_pos = str(now - 1), 0
            # the branch that matched: its group is the pattern's last closed one
            # (a figure's rule gives its facts the scale the report wrote: 1800亿元, 3.6万项)
            found = rules[m.lastgroup](m, ctx)
            pos = m.end()
            if found:
                facts.extend(found)
                # (a figure read as none, 有一项12.6亿元的合同, does not part what was said before it from the next)
                ctx.last_end = pos - base
            q = search(text, pos)
        if (
            ctx is not None
            and (ctx.target_year or ctx.said_year or ctx.last_year_said >= 0)
            and text[sentence_end - 1 : sentence_end] == "；"
        ):
            carried = (ctx.target_year, ctx.said_year, sentence_end, ctx.last_year_said >= 0)
        else:
            carried = ("", "", -1, False)
    if "数据为" in text and year:
        _of_the_data_year(text, year, facts)
        _rd_statistics_of_the_data_year(text, year, facts)
    if "明年" in text and year:
        _next_year_after(text, now, facts)
        _next_year_goes_on(text, now, facts)
    if lead is not None:
        _of_the_new_year(text, year, lead, facts)
    if year and ("目标" in text or "任务" in text) and "到20" in text:
        _target_year_goes_on(text, year, facts)
    if year and any(w in text for w in _YEARS_TO_REACH_CUES) and _YEARS_TO_REACH.search(text) is not None:
        _years_to_reach(text, year, facts)
    if year and "日前" in text:
        _deadlines_after_signing(text, year, facts)
    if year and ("由" in text or "从" in text):
        _movements_go_on(text, year, facts)
        if "到去年" in text or "至去年" in text or "到20" in text or "至20" in text:
            _growth_of_a_movement(text, year, facts)
        if "年提高" in text or "年增长" in text or "年增加" in text or "年提升" in text or "年下降" in text:
            _movements_over_years(text, facts)
    if "19" in text and year and scan.search_at(_OLD_YEAR_THEN, text, ("19",), (0,)):
        _of_an_old_year(text, year, facts)
    if year and _EARLIER_YEAR_OPENS.search(text) is not None:
        _paragraph_of_an_earlier_year(text, year, facts)
    if "两" in text and ("均" in text or "都" in text):
        facts = _both_named_before(text, facts)
    if "两支" in text or "两个" in text or "两家" in text:
        facts = _counts_pointing_back(text, facts)
    if "天的" in text or "天里" in text or "天中" in text or "天内" in text:
        facts = _durations_said_again(text, facts)
    if "每" in text or "速" in text or "小时能" in text:
        _rates(text, facts)
    if "日电" in text and year:
        facts = _days_of_the_dateline(text, year, facts)
    if "分别" in text and year:
        _each_year_of_a_span(text, year, facts)
    if ("上年" in text or "去年" in text) and year:
        _share_of_last_years_amount(text, year, facts)
    if "还差" in text:
        facts = _short_of_a_goal(text, facts)
    if "到" in text or "是" in text:
        facts = _bare_spoken_figures(text, year, facts)
    if "差距" in text and year and ("指数" in text or "效用值" in text):
        facts = _index_gaps_moved(text, year, facts)
    if "百分之" in text and year and ("到" in text or "是" in text):
        facts = _bare_spoken_percents(text, year, facts)
    if "百分之" in text and ("从" in text or "由" in text):
        facts = _shares_moved_to_bare(text, year, facts)
    if "/" in text and ("（" in text or "(" in text):
        _measures_per_unit(text, facts)
    if "平均" in text and year:
        _averages_go_on(text, year, facts)
    if ("目标" in text or "差" in text) and year:
        _measured_against_a_later_goal(text, year, facts)
    if ("前" in text or "后" in text) and "位" in text:
        facts = _list_windows(text, facts)
    if (
        "省科" in text
        or "市科" in text
        or "〔隐去〕" in text
        # (瑢汭省汭口市农产品加工研究所与基地签订合作协议，派驻研究人员5名: a city of another province, any unit)
        or (
            "省" in text
            and "市" in text
            and scan.search_at(_CITY_OF_PROVINCE, text, ("省",), (2,)) is not None
        )
        or (("邻" in text or "隔壁" in text) and _NAMED_NEIGHBOUR.search(text) is not None)
        or ("省" in text and _province_dated(text, max(0, text.find("\n"))) is not None)
        or (("我省" in text or "我们" in text) and _set_against_ours(text))
        or ("协议" in text and _AGREED_WITH_US.search(text) is not None)
        or ("省的" in text and _CITY_NEXT_DOOR.search(text) is not None)
        or ("那边" in text and _OVER_THERE.search(text) is not None)
        or (
            ("高新区" in text or "开发区" in text or "经开区" in text)
            and scan.search_at(_ZONE_OF_PROVINCE, text, ("省",), (2,)) is not None
        )
        or _province_institutes(text)
        or (("高于" in text or "低于" in text) and _THEIRS_NAMED.search(text) is not None)
        or ("省" in text and scan.search_at(_PROVINCE_ACTS, text, ("省",), (2,)) is not None)
        # (耜耖省现有国际科技合作基地42家: a province opening a sentence with what it has)
        or ("省" in text and "有" in text and bool(_provinces_holding(text)))
        # (同期参加两省联合评估的缃…省电化学储能重点实验室得分89.3分: another province's unit after the words describing it)
        or ("省" in text and "的" in text and bool(_described_institutes(text)))
        # (…产业联盟发布的数据显示，该市…: another city pointed back at)
        or "该市" in text
        # (与我市同为省会城市的鹫…市，今年引进…: another city described as our like)
        or ("同为" in text and _LIKE_OURS_CITY.search(text) is not None)
        # (与周边省份相比，徂…省目前…)
        or ("省份" in text and _AMONG_PROVINCES.search(text) is not None)
        # (与绂…科技城相比，…。绂…科技城集聚两院院士12名: another place's zone set against ours)
        or bool(_zones_set_against(text))
        # (据璩瑀省税务部门公布，该省…: a province named as the source, then pointed back at)
        or ("据" in text and "该省" in text and _SOURCE_THEN_THAT.search(text) is not None)
    ):
        _places_of(text, facts)
        _dates_are_ours(facts)
    if " " in text and (spaced := _spaced_tables(text)) is not None:
        # 装备名称 申报单位 合同金额 保费补贴比例 over rows parted the same: cells parted by one space, read as a table's
        # (the same length: every offset holds)
        tables = spaced
    else:
        tables = text
    if "  " in tables or "\t" in tables or "\u3000" in tables:  # a table's cells are parted by one of these
        tabled = _table_facts(tables, year)
        if tabled and "〔隐去〕省" in text and any(f.place == REDACTED_REGION for f in tabled):
            tabled = _redacted_columns(text, tabled)
        if tabled:
            if year:
                _against_the_goal(text, year, facts, tabled)
                if any(y[:1] == "r" for y in section_years):
                    _tables_of_the_reviewed_year(year, tabled, section_starts, section_years)
            facts = sorted(facts + tabled, key=lambda f: f.start)
    if year and ("-" in text or "." in text) and (written := _dates_written_with_marks(text, year)):
        facts = sorted(facts + written, key=lambda f: f.start)
    if year and "的" in text and _EARLIER_YEAR_SAID.search(text) is not None:
        _class_bounds_of_now(text, year, facts)
    if year and "分别" in text and "年、" in text:
        _years_each(text, year, facts)
    if year and ("年来" in text or "过去" in text or "去年" in text) and "月" in text[:200]:
        _review_delivered_early(text, year, facts)
    if year and "数据" in text and (said := _DATA_OF_A_YEAR.search(text)) is not None:
        _data_of_a_year(text, year, said, facts)
    if (
        year
        and ("公报" in text[:80] or "年度报告" in text[:80])
        and (titled := _BULLETIN_OF_A_YEAR.match(text)) is not None
    ):
        _bulletin_of_a_year(text, year, titled, facts)
    if result is not None and facts:
        # every figure's place in the original text, the offsets mapped in bulk (one pass per map)
        starts = result.to_original_many([f.start for f in facts])
        ends = result.to_original_many([f.end for f in facts], end=True)
        for f, o_start, o_end in zip(facts, starts, ends, strict=True):
            f.orig_start, f.orig_end = o_start, o_end
    if "〔存疑：" in text:
        facts = _cut_by_unread(text, facts)
    if (
        facts
        and (result is not None or "〔存疑：" in text or "〔隐去〕" in text or "〔缺失" in text)
        and not _MARKED_LATER.get()
    ):
        # which facts were read across an uncertain span (factflag), or after a redaction or a gap (factflag2)
        doubt.mark(text, facts, result)
    return facts
