"""Build the corpus's train split: clean reports of the genre made by a seeded generator.

    .venv/bin/python benchmarks/ingest/corpus/build_train.py           # writes train/train-NNN.txt
    .venv/bin/python benchmarks/ingest/corpus/build_train.py --check   # the files are what it makes

The train split is for building models of the genre's text (the character model the mojibake repair
ranks its candidate readings with, `kechuang/ingest/parsers/charlm.py`), never for measuring: it has no
facts keys. Its reports are assembled from the sentence patterns below - written for the project from the
genre (provincial and city S&T work summaries, news reports, statistical bulletins) and DOMAIN.md, not
from the dev or held-out texts - about fictional provinces, cities and units of their own (none of the
dev split's names; the held-out split was not read), with figures drawn at random (they need not add up:
no key is made from them). Deterministic: the same files at every run.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "train"
DOCS = 160
# bulletin-NN.txt: indicator bulletins (FIGURE_SENTENCES, session 22), read for the table of what reports write
# right before a figure (build_charlm.py's figures_train.tsv), not for the character model's pair counts
FIGURE_DOCS = 40
SEED = 20261204

PROVINCES = ["青陵", "白澜", "金湍", "朔宁", "澹州", "岱川", "景屏", "临澈"]
CITIES = {
    "青陵": ["溪州", "松岚", "桂峤", "星渚"],
    "白澜": ["霁川", "枫浦", "墨阳", "岑溪"],
    "金湍": ["河湄", "苍梧", "映山", "瑶岗"],
    "朔宁": ["北陂", "云岫", "石渠", "漳滨"],
    "澹州": ["澄湾", "月川", "琴台", "柳汀"],
    "岱川": ["峻原", "清浦", "檀岭", "安澜"],
    "景屏": ["丹崖", "芦洲", "翠屿", "晴川"],
    "临澈": ["岚浦", "曦城", "望岳", "梧溪"],
}
FIELDS = [
    "新材料",
    "新能源",
    "生物医药",
    "高端装备",
    "集成电路",
    "人工智能",
    "现代农业",
    "数字经济",
    "节能环保",
    "氢能",
    "新一代信息技术",
    "智能制造",
    "量子信息",
    "先进计算",
    "航空航天",
    "海洋装备",
]
TECHS = [
    "碳化硅单晶衬底",
    "氮化镓功率器件",
    "高温超导电缆",
    "固态锂电池",
    "氢燃料电池电堆",
    "工业机器人减速器",
    "高性能碳纤维",
    "石墨烯散热膜",
    "光刻胶",
    "大功率激光器",
    "重组胶原蛋白",
    "基因测序仪",
    "智能矿山装备",
    "深层地热开发",
    "异质结电池",
    "钙钛矿光伏组件",
    "离子阱量子计算",
    "高速磁悬浮",
    "煤基新材料",
    "低渗透煤层气压裂",
    "小杂粮分子育种",
    "海水淡化膜",
    "工业软件",
    "精密轴承",
]
ORGS = ["大学", "理工大学", "农业大学", "科技大学", "师范大学", "医科大学"]
COMPANIES = ["新材料", "能源科技", "智能装备", "生物科技", "电子", "精密机械", "光电", "化工"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "晓明华建国伟芳静丽强军磊洋勇艳杰娟涛超秀霞平刚桂英文辉鹏飞宇航岚敏"
MEASURES = [
    "家",
    "个",
    "项",
    "名",
    "件",
    "所",
    "支",
    "场",
    "批",
    "台（套）",
    "人次",
    "场次",
    "批次",
    "款",
    "份",
]


def _n(rng: random.Random, lo: int, hi: int) -> str:
    return str(rng.randint(lo, hi))


def _f(rng: random.Random, lo: float, hi: float, digits: int = 1) -> str:
    return f"{rng.uniform(lo, hi):.{digits}f}"


def _cn(rng: random.Random) -> str:
    return rng.choice(["两", "三", "四", "五", "六", "七", "八", "九", "十"])


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


class _Ctx:
    def __init__(self, rng: random.Random, year: int, province: str, city: str | None):
        self.rng, self.year, self.province, self.city = rng, year, province, city
        self.place = (city + "市") if city else (province + "省")
        self.whole = "全市" if city else "全省"
        self.dept = (city + "市科学技术局") if city else (province + "省科学技术厅")
        self.short = "市科技局" if city else "省科技厅"
        cities = CITIES[province]
        self.c1, self.c2 = rng.sample(cities, 2)

    def fill(self, pattern: str) -> str:
        rng = self.rng
        values = {
            "place": self.place,
            "whole": self.whole,
            "dept": self.dept,
            "short": self.short,
            "prov": self.province + "省",
            "c1": self.c1,
            "c2": self.c2,
            "year": str(self.year),
            "prev": str(self.year - 1),
            "next": str(self.year + 1),
            "field": rng.choice(FIELDS),
            "field2": rng.choice(FIELDS),
            "tech": rng.choice(TECHS),
            "tech2": rng.choice(TECHS),
            "univ": rng.choice([self.province, self.c1, self.c2]) + rng.choice(ORGS),
            "firm": self.c1
            + rng.choice("华瑞恒泰宏远创中鼎")
            + rng.choice("科源达芯盛合信")
            + rng.choice(COMPANIES)
            + "有限公司",
            "person": _person(rng),
            "cn": _cn(rng),
            "n1": _n(rng, 2, 9),
            "n2": _n(rng, 10, 99),
            "n3": _n(rng, 100, 999),
            "n4": _n(rng, 1000, 9999),
            "f1": _f(rng, 0.1, 9.9),
            "f2": _f(rng, 10, 99),
            "f3": _f(rng, 100, 999),
            "p": _f(rng, 1, 40),
            "pp": _f(rng, 0.05, 0.9, 2),
            "r1": _n(rng, 10, 25),
            "r2": _n(rng, 3, 9),
            "trl": _n(rng, 4, 8),
            "m": str(rng.randint(1, 12)),
            "d": str(rng.randint(1, 28)),
            "meas": rng.choice(MEASURES),
        }
        return pattern.format(**values)


TITLES = {
    "summary": [
        "{dept}{year}年工作总结",
        "{place}{year}年科技创新工作总结",
        "{year}年{place}科技工作情况报告",
    ],
    "bulletin": ["{year}年{place}科技经费投入统计公报", "{place}{year}年科技创新统计公报"],
    "news": [
        "{place}{tech}项目通过验收",
        "{place}召开{year}年科技创新大会",
        "{c1}企业攻克{tech}关键技术",
        "{place}“揭榜挂帅”项目取得阶段性成果",
    ],
}

OPENINGS = {
    "summary": [
        "{year}年，{short}坚持以科技创新引领现代化产业体系建设，围绕平台建设、项目攻关、成果转化、人才引育和开放合作{cn}大领域集中发力，{whole}科技创新工作取得新进展。",
        "{year}年是“十四五”规划实施的关键之年。{short}深入实施创新驱动发展战略，加快建设科技强省，各项工作取得明显成效。",
        "过去一年，{short}认真贯彻落实党中央、国务院决策部署，紧紧围绕高质量发展主题，扎实推进科技创新各项工作。",
    ],
    "bulletin": [
        "{year}年，{whole}科技经费投入继续保持较快增长，研究与试验发展（R&D）经费投入强度稳步提高，财政科技支出平稳增长。",
        "根据{place}统计局、{dept}和{place}财政局的统计，现将{year}年{whole}科技经费投入情况公布如下。",
    ],
    "news": [
        "本报{c1}{m}月{d}日电（记者 {person}）今天，{dept}发布消息，由{firm}牵头、联合{n1}所高校共同承担的省重大科技专项“{tech}关键技术研究”取得重要进展。",
        "{m}月{d}日，{year}年{place}科技创新大会在{c1}召开。会议总结过去一年科技创新工作，部署{next}年重点任务。",
        "近日，由{univ}和{firm}共同承担的“{tech}”项目通过{short}组织的专家验收。",
    ],
}

SECTION_HEADS = [
    "科技投入稳步增长",
    "创新平台体系加快完善",
    "关键核心技术攻关取得突破",
    "科技成果转化成效明显",
    "创新主体持续壮大",
    "科技人才队伍不断壮大",
    "开放合作深入推进",
    "科技体制机制改革不断深化",
    "科技服务民生成效显著",
    "区域创新布局持续优化",
]

SENTENCES = [
    "{whole}研究与试验发展经费投入达到{f3}亿元，同比增长{p}%；研发经费投入强度达到{f1}%，比上年提高{pp}个百分点。",
    "省级财政科技支出{f2}亿元，其中用于基础研究的经费{f1}亿元。",
    "企业研发投入占全社会研发投入的比重超过七成，规模以上工业企业研发机构覆盖率达到{f2}%。",
    "围绕{field}、{field2}等重点产业，新建省实验室{n1}家、省重点实验室{n2}家，{whole}省重点实验室总数达到{n3}家。",
    "{c1}{field}省实验室于{m}月{d}日揭牌运行，已集聚科研人员{n3}余名，其中具有博士学位的占{p}%。",
    "新认定新型研发机构{n2}家，组建企业创新联合体{n1}家，集聚上下游单位{n3}余家。",
    "实施“揭榜挂帅”项目，分{cn}批发布榜单{n2}项，吸引省内外{n3}家单位揭榜，财政支持资金{f1}亿元，带动企业投入{f2}亿元。",
    "{tech}项目技术成熟度达到{trl}级，{tech2}项目技术成熟度达到{trl}级以上。",
    "全年共攻克关键核心技术{n3}项，形成国产替代产品{n2}个，解决产业重大技术需求{n2}项。",
    "{whole}登记技术合同{f1}万项，技术合同成交额{n4}亿元，同比增长{p}%。",
    "{whole}有效发明专利拥有量达到{f1}万件，每万人口高价值发明专利拥有量{f1}件。",
    "举办科技成果对接活动{n3}场，促成合作项目{f1}万余次对接。",
    "{whole}高新技术企业达到{f1}万家，净增{n4}家；科技型中小企业入库{f1}万家。",
    "{c1}、{c2}两家国家高新区综合排名分别上升{n1}位和{n1}位。",
    "新引进高层次科技人才{n3}名，遴选青年科技人才{n3}名，选派科技特派员{n4}名，服务企业和农业经营主体{f1}万个。",
    "与兄弟省份签署科技合作框架协议，共建跨区域技术转移中心{n1}个，联合实施科技项目{n2}项。",
    "深化科技评价改革，开展科技成果赋权改革试点，{n2}家高校院所参与试点，赋权成果{n3}项。",
    "{whole}综合科技创新水平指数由上年的第{r1}位升至第{r2}位，标志着创新能力迈上新台阶。",
    "推进“科技+金融”深度融合，设立科技成果转化引导基金{f1}亿元，撬动社会资本{f2}亿元。",
    "开展科技特派员农村科技创业行动，建设农业科技示范基地{n2}个，推广新品种新技术{n3}项。",
    "实施科技惠民工程，在疾病防治、生态环境、公共安全等领域转化应用科技成果{n2}项。",
    "{univ}在{field}领域取得一批原创性成果，{n1}项成果入选年度中国科学十大进展候选。",
    "{firm}研制的{tech}打破国外垄断，产品已在{n2}家企业推广应用，新增产值{f1}亿元。",
    "{c1}高新区{field}产业集群加快壮大，集聚企业{n3}余家，年产值突破{n3}亿元。",
    "组织实施省重点研发计划项目{n3}项，安排省级财政资金{f1}亿元，带动企业研发投入{f2}亿元。",
    "获批国家自然科学基金项目{n3}项、资助经费{f1}亿元，均创历史新高。",
    "建成国家级科技企业孵化器{n2}家、众创空间{n2}家，在孵企业{n4}家。",
    "开展“科技创新券”服务，向{n4}家中小企业发放创新券{f1}亿元。",
    "{whole}技术合同成交额中，技术开发合同{n4}项，成交额{f3}亿元，占成交额的{p}%。",
    "推动大型科研仪器开放共享，入网仪器设备{n4}台（套），服务企业{n4}家次。",
    "建立重点产业技术攻坚图谱，梳理产业链关键技术{n3}项，其中“卡脖子”技术{n2}项。",
    "围绕{field}产业链，凝练形成第一批攻关课题{n2}个，覆盖{n2}个重点产业和未来产业。",
    "组建{field}产业技术创新联盟，成员单位{n2}家，覆盖研发、制造、工程和检测等环节。",
    "{tech}中试基地建成投用，全年开展中试服务{n3}批次，服务企业{n2}家。",
    "强化知识产权保护，新建知识产权保护中心{n1}家，专利质押融资{f2}亿元。",
    "落实企业研发费用加计扣除政策，{n4}家企业享受减免税额{f2}亿元。",
    "开展关键核心技术攻关“赛马制”试点，{n1}个团队同台竞技，择优支持{n1}个团队进入第二阶段。",
    "项目专员全程跟踪服务，开展中期检查{n2}次，及时协调解决项目实施中的困难和问题。",
    "组织专家对{n2}个项目开展验收，其中{n2}个项目通过验收，验收通过率{f2}%。",
    "推进科研项目经费“包干制”改革，扩大科研人员技术路线决定权和经费使用权。",
    "全面落实科研人员减负行动，精简项目申报材料，取消不必要的检查评估。",
]

NEWS_SENTENCES = [
    "据介绍，该项目于{prev}年立项，省、市两级财政共支持{n4}万元，企业自筹{f1}亿元。",
    "经过两年多攻关，研发团队突破了{tech}连续制备、界面调控等{n1}项关键技术，申请发明专利{n2}件，其中已授权{n2}件。",
    "“这标志着我们的技术从实验室走向了工程化。”公司研发中心负责人{person}说，目前技术成熟度已达到{trl}级，正在建设一条中试线，预计明年下半年投产。",
    "近年来，{place}把{field}作为重点培育的新兴产业之一，已集聚产业链企业{n3}余家，去年产业规模达到{n3}亿元。",
    "专家组认为，项目完成了任务书规定的各项指标，部分指标达到国际先进水平。",
    "会上，{n2}个项目获得{year}年度{place}科学技术奖，其中一等奖{n1}项、二等奖{n2}项、三等奖{n2}项。",
    "会议指出，要坚持“四个面向”，聚焦关键核心技术攻关，加快实现高水平科技自立自强。",
    "会议强调，要深化科技体制改革，激发创新主体活力，推动创新链产业链资金链人才链深度融合。",
    "“最难的时候，一个参数要反复试验几十次。”项目负责人{person}回忆说。",
    "记者了解到，该成果已在{c1}、{c2}等地的{n2}家企业应用，累计新增销售收入{f1}亿元。",
    "下一步，{short}将继续加大支持力度，推动更多科技成果在本地落地转化。",
]

CLOSINGS = [
    "下一步，{short}将着力推动创新链产业链深度融合，力争到{next}年，全社会研发经费投入强度达到{f1}%，高新技术企业达到{f1}万家。",
    "{next}年，{short}将围绕建设创新型省份目标，聚焦重点领域和关键环节，持续提升科技创新能力。",
    "二、{next}年工作要点。一是强化基础研究和原始创新；二是加快关键核心技术攻关；三是推进科技成果转化；四是优化创新生态。",
    "注：本公报部分数据因四舍五入的原因，存在总计与分项合计不等的情况。",
]

# Indicator sentences of statistical bulletins and work reports (session 22): the words the genre writes right before
# a figure - 为, 达, 达到, 约, 共, 合计, 累计, 超过, 突破, 不少于, 不低于, 低于, 高于, 下降, 降低, 减少, 提高到, 增至,
# 占, 的, 第, 在, 于, 标准煤, 万吨 ... - with figures drawn at random like the others.
FIGURE_SENTENCES = [
    "{whole}研究与试验发展（R&D）经费投入强度为{f1}%，比上年提高{pp}个百分点。",
    "基础研究经费{f2}亿元，占研发经费的比重为{f1}%，比上年下降{pp}个百分点。",
    "单位地区生产总值能耗比上年下降{f1}%，万元地区生产总值能耗为{pp}吨标准煤。",
    "全年规模以上工业企业综合能源消费量为{n4}万吨标准煤，比上年减少{f1}%。",
    "通过节能技术改造，全年节约标准煤{f2}万吨，减少二氧化碳排放{f3}万吨。",
    "高新技术产业增加值占规模以上工业增加值的比重为{f2}%，比上年提高{f1}个百分点。",
    "规模以上工业企业中有研发活动的企业占{f2}%，设立研发机构的企业占{f2}%。",
    "{whole}共有独立研究与开发机构{n3}个，从业人员约{f1}万人。",
    "全年专利授权量{n4}件，其中发明专利授权{n4}件，比上年增长{p}%。",
    "技术合同成交额合计{f3}亿元，比上年下降{f1}%，技术交易额占{f2}%。",
    "企业研发经费支出{f3}亿元，占全社会研发经费的{f2}%。",
    "政府属研究机构经费支出{f2}亿元，比上年下降{f1}%；高等学校经费支出{f2}亿元，比上年增长{p}%。",
    "{whole}每万人口发明专利拥有量为{f2}件，高于全国平均水平{f1}件。",
    "全年新增省级以上创新平台{n2}家，累计达到{n3}家，总数居全国第{r2}位。",
    "科技进步贡献率达{f2}%，较上年提高{pp}个百分点。",
    "省财政每年安排专项资金不少于{n4}万元，单个项目支持期限不超过{n1}年。",
    "对新认定的新型研发机构，按不超过其研发投入的{n2}%给予补助，最高{n4}万元。",
    "企业研发费用加计扣除比例提高到{n3}%，全年减免税额约{f2}亿元。",
    "规模以上工业企业研发经费投入强度不低于{f1}%，研发人员占从业人员的比重不低于{n1}%。",
    "科技型中小企业评价入库{n4}家，约占全国的{f1}%。",
    "全社会研发人员全时当量{f1}万人年，其中企业研发人员占{f2}%。",
    "{c1}{field}创新中心成立于{prev}年，现有科研人员{n3}人，累计承担项目{n3}项。",
    "项目总投资{f2}亿元，其中省财政资金{f1}亿元，建成后年产值约{f2}亿元。",
    "第{n1}批省级重点实验室名单公布，共{n2}家入选，{whole}省级重点实验室增至{n3}家。",
    "新品种已在{n2}个县（市、区）推广，种植面积超过{n4}亩，亩均增收{n3}元。",
    "生产线设备利用率提高到{f2}%，单位产品能耗降低{f1}%，综合成本下降{f2}%。",
    "中试基地全年累计服务企业{n4}家次，开展检测{n4}批次。",
    "产品良品率由上年的{f2}%提升至{f2}%，生产效率是传统工艺的{n1}倍。",
    "单位产品能耗低于国家标准{f1}%，年可替代标准煤{f1}万吨。",
    "高价值发明专利占比为{f1}%，比上年末提高{pp}个百分点。",
    "科技型企业贷款余额达{f3}亿元，同比增长{p}%，增速高于各项贷款{f1}个百分点。",
    "研发人员中，研究人员为{f1}万人年，占研发人员全时当量的{f2}%。",
    "{whole}技术市场登记合同{n4}项，平均每项合同金额为{f2}万元。",
    "全年引进培育创新团队{n2}个，其中顶尖团队{n1}个，团队成员共{n3}人。",
    "省级科技计划项目立项{n3}项，下达经费{f1}亿元，比上年增加{f1}亿元。",
    "全年举办各类科技培训{n3}期，培训农民和技术人员{f1}万人次。",
    "{c2}高新区实现营业总收入{n4}亿元，同比增长{p}%，工业总产值突破{n4}亿元。",
    "{whole}综合科技创新水平指数为{f2}%，在全国的排位由上年的第{r1}位上升至第{r2}位。",
    "在{n2}个重点产业领域部署攻关任务{n2}项，其中{n1}项已进入工程化阶段。",
    "有研发机构的企业数量增至{n4}家，比上年增加{n3}家，占规模以上工业企业的{f2}%。",
    "科技馆全年接待观众{f1}万人次，开展科普活动{n3}场次，参与公众超过{n2}万人次。",
    "计划到{next}年，全社会研发经费投入年均增长{n1}%以上，投入强度力争达到{f1}%。",
]
FIGURE_HEADS = [
    "科技投入",
    "科技产出",
    "高新技术产业",
    "能源节约与绿色发展",
    "科技人才",
    "科技服务",
    "区域创新",
]

CN_ORDER = "一二三四五六七八九十"


def make_doc(index: int) -> str:
    rng = random.Random(SEED * 1000 + index)
    genre = rng.choice(["summary", "summary", "bulletin", "news", "news"])
    province = rng.choice(PROVINCES)
    city = rng.choice(CITIES[province]) if rng.random() < 0.5 else None
    ctx = _Ctx(rng, rng.randint(2021, 2025), province, city)
    lines = [ctx.fill(rng.choice(TITLES[genre])), ctx.fill(rng.choice(OPENINGS[genre]))]
    if genre == "news":
        body = rng.sample(NEWS_SENTENCES, rng.randint(4, 7)) + rng.sample(SENTENCES, rng.randint(2, 4))
        lines += [ctx.fill(s) for s in body]
    else:
        heads = rng.sample(SECTION_HEADS, rng.randint(4, 7))
        for k, head in enumerate(heads):
            body = "".join(ctx.fill(s) for s in rng.sample(SENTENCES, rng.randint(2, 4)))
            lines.append(f"{CN_ORDER[k]}、{head}。{body}")
    lines.append(ctx.fill(rng.choice(CLOSINGS)))
    return "\n".join(lines) + "\n"


def make_figure_doc(index: int) -> str:
    """An indicator bulletin (bulletin-NN.txt): its sections read figures sentence after sentence."""
    rng = random.Random(SEED * 1000 + DOCS + index)
    province = rng.choice(PROVINCES)
    city = rng.choice(CITIES[province]) if rng.random() < 0.5 else None
    ctx = _Ctx(rng, rng.randint(2021, 2025), province, city)
    lines = [ctx.fill(rng.choice(TITLES["bulletin"])), ctx.fill(rng.choice(OPENINGS["bulletin"]))]
    heads = rng.sample(FIGURE_HEADS, rng.randint(3, 5))
    for k, head in enumerate(heads):
        body = "".join(ctx.fill(s) for s in rng.sample(FIGURE_SENTENCES, rng.randint(3, 5)))
        lines.append(f"{CN_ORDER[k]}、{head}。{body}")
    lines.append(ctx.fill(rng.choice(CLOSINGS)))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    OUT.mkdir(exist_ok=True)
    bad = 0
    made = [(f"train-{i:03d}.txt", make_doc, i) for i in range(1, DOCS + 1)]
    made += [(f"bulletin-{i:02d}.txt", make_figure_doc, i) for i in range(1, FIGURE_DOCS + 1)]
    for name, make, i in made:
        path = OUT / name
        text = make(i)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path.name}: not what the generator makes")
                bad += 1
        else:
            path.write_text(text, encoding="utf-8")
    if not check:
        print(f"wrote {DOCS + FIGURE_DOCS} documents to {OUT}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
