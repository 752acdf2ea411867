"""English counts agree with their nouns: a translated phrase that counts something ("%(n)s 份申请" →
"%(n)s applications") must be an ngettext / `blocktranslate count` entry, so that one reads "1 application",
not "1 applications".

Read from the English catalogue, not from pages: an entry is a count phrase when its Chinese msgid puts a
placeholder before a measure word (个, 项, 份, 条, 天 …; not an ordinal 第 %(n)s 个) and its English msgstr puts
the same placeholder before a plural noun within a few words ("%(n)d tranches", "%(n)d wrong codes"). Such an
entry must carry msgid_plural, and its English singular must differ from its plural.

KNOWN lists the count phrases that were still plain gettext when this check came (mostly command-line output,
demo lines, import reports and configured limits that are never 1); it may only shrink: convert one, and take
it off the list."""

import re
from pathlib import Path

from kechuang.core import language

PO = Path(language.__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"

MEASURE = r"(?:个|项|家|条|名|位|次|份|篇|件|所|门|户|笔|天|人次|人|张|处|类|轮|行)"
NOT_PLURAL = {
    "is",
    "was",
    "has",
    "this",
    "its",
    "as",
    "status",
    "access",
    "process",
    "less",
    "us",
    "does",
    "thus",
}

ENTRY = re.compile(
    r'^(?:msgctxt (?:".*"\n)+)?msgid (?P<id>(?:".*"\n)+)(?:msgid_plural (?P<pl>(?:".*"\n)+))?'
    r'(?:msgstr (?P<str>(?:".*"\n)+)|msgstr\[0\] (?P<s0>(?:".*"\n)+)msgstr\[1\] (?P<s1>(?:".*"\n)+))',
    re.M,
)


def _text(block: str | None) -> str:
    if not block:
        return ""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode("raw_unicode_escape").decode("unicode_escape")


def counted(msgid: str, english: str) -> bool:
    """Whether `english` counts a noun in the plural with a placeholder the Chinese `msgid` counts with."""
    for name in re.findall(r"(?<!第)(?<!第 )%\((\w+)\)[sd]\s*" + MEASURE, msgid):
        m = re.search(r"%\(" + name + r"\)[sd] ((?:[A-Za-z-]+ ){0,3}[A-Za-z-]+)", english)
        if not m or m[1].split()[0] == "of":  # "%(n)d of these facts": the count is not the noun's
            continue
        if any(w.endswith("s") and w.lower() not in NOT_PLURAL for w in m[1].split()):
            return True
    return False


def entries():
    for m in ENTRY.finditer(PO.read_text(encoding="utf-8")):
        yield _text(m["id"]), m["pl"] is not None, _text(m["str"]), _text(m["s0"]), _text(m["s1"])


def test_the_check_sees_a_count_phrase_and_passes_a_plural_entry():
    assert counted("%(n)d 笔", "%(n)d tranches")
    assert counted("%(l)s 个环节 · %(b)s 项卡脖子", "%(l)s links · %(b)s bottlenecks")
    assert not counted("第 %(n)d 个合作单位未选择单位。", "Partner %(n)d has no unit chosen.")
    assert not counted("%(y)s 年度报告未接收", "%(y)s yearly report not accepted")
    assert not counted("已提交 %(n)s 份", "%(n)s submitted")
    assert any(msgid == "%(n)d 笔" and plural for msgid, plural, *_ in entries())


def test_every_english_count_phrase_is_a_plural_entry():
    plain = {msgid for msgid, plural, english, *_ in entries() if not plural and counted(msgid, english)}
    new = sorted(plain - KNOWN)
    assert not new, "count phrases to write with ngettext / blocktranslate count:\n" + "\n".join(new)


def test_plural_entries_have_a_singular_english_form():
    same = [
        msgid for msgid, plural, _s, one, many in entries() if plural and counted(msgid, many) and one == many
    ]
    assert not same, same


KNOWN = frozenset(
    {
        "复查了 %(total)d 个已存储的上传文件：%(passed)d 个通过，%(failed)d 个未通过，%(held)d 个已在隔离中，%(missing)d 个文件缺失。",
        "%(bad)d 行有错误。",
        "%(count)d 处问题。",
        "%(d)d/%(n)d 个里程碑已核验",
        "%(m)d/%(n)d 项达到目标",
        "%(n)d 个数值的有效数字超过双精度所能保存的位数（如第 %(lines)s 行），按最接近的双精度数保存；需要逐位一致时请用“index compute --data”直接从文件计算。",
        "%(n)d 个选项（%(options)s）",
        "%(n)d 份申报退回补正，须等申报方修改后重新审查（或补正期满后判为不通过）：%(titles)s。",
        "%(n)d 行有错误，未导入任何数据。",
        "%(n)d 行有错误，未计算。",
        "%(n)s 个平台没有 %(y)s 年度报告：请选择按不合格定级，或不纳入本次评级。",
        "%(n)s 个平台，%(m)s 条谱系关系。",
        "%(n)s 个文件",
        "%(n)s 个项目有任务书考核指标缺少达到值（缺失，不是 0）：请选择按现有数据定级（缺失的指标计 0 分），或不纳入本次评级。",
        "%(path)s：%(tables)d 张表，%(rows)d 行，%(files)d 个文件",
        "%(subjects)s 可选的专家评审上限已满，合计还差 %(short)d 人次",
        "“%(name)s”还有 %(n)d 份申报未审查：%(titles)s。",
        "“%(name)s”还有 %(n)d 份申报未确定是否入围：%(titles)s。",
        "“%(name)s”还有 %(n)d 份预申报未决定是否邀请正式申报：%(titles)s。",
        "“%(stage)s”还有 %(n)d 份评审未提交也未免除：%(who)s%(more)s。",
        "一个表单最多 %(n)d 个字段。",
        "仅导出前 %(n)d 行；请用筛选条件缩小范围后分批导出。",
        "令牌供脚本调用 API（请求头 Authorization: Token 令牌），%(token_days)s 天后过期，修改密码或账号停用时全部撤销。请只给令牌所需的权限和领域：令牌泄露时，他人也只能做这些。",
        "以下 %(n)s 份待审查申报的各项条件均已自动核验通过：",
        "共 %(count)d 项缺口。",
        "共 %(t)s 行，可导入 %(c)s 行。",
        "共 %(t)s 行：将新增 %(c)s 项，更新 %(u)s 项，其余不变。",
        "共 %(t)s 行：新增 %(c)s，更新 %(u)s。",
        "共 %(total)d 行：新增 %(created)d，更新 %(updated)d，错误 %(errors)d；%(state)s",
        "共 %(total)s 行：新增 %(created)s，已登记跳过 %(skipped)s。",
        "共 %(total)s 行：新增 %(created)s，更新 %(updated)s。",
        "共 %(total)s 行：新增 %(created)s，更新 %(updated)s，错误 %(errors)s。",
        "共需 %(need)d 人次评审，专家评审上限合计不够",
        "单位代码 %(old)s 按版本的参照单位记作 %(new)s（%(n)d 个数值）。",
        "参加遴选的申报 %(n)s 份：待确定 %(a)s，入围 %(b)s，未入围 %(c)s。",
        "名称不能超过 %(n)d 个字。",
        "在本页签发令牌，或用 POST /api/auth/token/（电子邮箱和密码）获取；每个令牌只读或读写，可限于某些领域。令牌 %(token_days)s 天后过期，修改密码或账号停用时全部撤销；启用双因素认证时，仅凭密码签发的令牌撤销。",
        "导入 %(n)d 份报告",
        "工作表 %(sheet)s：%(n)d 个数值。",
        "已写入 %(n)d 行到 %(path)s",
        "已导入 %(n)d 个数值。",
        "已导入%(n)d位专家。",
        "已导入%(n)d条记录。",
        "已导入：%(total)d 行，新增 %(created)d，更新 %(updated)d。",
        "已导入：%(total)d 行，新增 %(created)d，更新 %(updated)d，错误 %(errors)d。",
        "已导出 %(count)d 个单位到 %(path)s。",
        "已恢复 %(tables)d 张表，%(rows)d 行，%(files)d 个文件；与备份一致",
        "已提交 %(done)s 份，待评审 %(pending)s 份，评审中 %(opened)s 份，声明回避 %(declined)s 份。",
        "已检查（未写入）：%(total)d 行，新增 %(created)d，更新 %(updated)d，错误 %(errors)d。",
        "您添加的单位已有 %(n)d 个在等待科技厅核验，核验之后才能再添加新单位。请从下拉列表中选择已有的单位，或联系科技厅工作人员。",
        "您的账号连续 %(n)d 次输入了错误的动态验证码",
        "成果登记：%(regs)s 项成果（2 项已登记），%(contracts)s 份技术合同（3 份已登记）",
        "报告：已导入 %(title)s（%(facts)s 个事实，%(changes)s 处修改）",
        "报告：已有 %(title)s（%(facts)s 个事实，%(changes)s 处修改）",
        "拟立项的 %(n)s 份申请立项，并生成任务书草稿；其余申请为未立项。",
        "挂帅人已主持 %(n)d 项在研项目，达到本榜单上限 %(max)d 项。",
        "指标“%(name)s”的分母“%(den)s”缺少 %(n)d 个单位—年份（%(where)s等），这些值按缺失处理，再按缺失值处理方法填补或不计入。",
        "指标“%(name)s”的分母“%(den)s”缺少 %(n)d 个单位—年份（%(where)s），这些值按缺失处理，再按缺失值处理方法填补或不计入。",
        "指标：已导入 EIS 2023（%(n)s 个数值）",
        "揭榜挂帅：%(lists)s 个榜单，%(applications)s 份申请，%(contracts)s 份合同，%(flagged)s 个预警里程碑",
        "搜索词过长，只按前 %(n)s 个字搜索。",
        "撤榜：榜单终止并公开撤榜理由，已提交的 %(n)s 份申请不再评审。",
        "攻坚图谱：%(chains)s 条产业链，%(techs)s 项技术，新增 %(linked)s 个覆盖关联，%(skipped)s 个跳过（没有该演示对象）",
        "文件“%(name)s”包含 %(n)d 个部件，超过上限 %(limit)d。",
        "文件超过 %(n)s 行数据（第%(line)d行），请分成几个文件导入。",
        "无法完成分配：每项需要%(k)d位专家，请放宽专家评审上限、扩大专家范围或检查回避关系。（%(detail)s）",
        "未导入：%(total)d 行中有 %(bad)d 行有错误。",
        "未导入：%(total)d 行，新增 %(created)d，更新 %(updated)d。",
        "检查通过（试运行，未写入）：%(total)d 行，新增 %(created)d，更新 %(updated)d。",
        "榜单 %(code)s 已截止，%(n)d 份申请待形式审查",
        "正式申报 %(n)s 份：待审查 %(a)s，通过 %(b)s，退回补正 %(c)s，不通过 %(d)s。",
        "每位负责人最多同时承担 %(n)d 个在研项目，您已有 %(m)d 个。",
        "科研诚信：%(n)s 条记录",
        "经费：%(n)s 个项目有台账",
        "绩效评价：%(name)s 已发布（%(n)s 个省实验室）",
        "绩效评价：%(name)s 已发布（%(n)s 个项目）",
        "综合指数 %(i)s 位，分项 %(n)s 位",
        "计划：%(n)s 类（%(types)s），%(calls)s 个申报批次；%(call)s在“%(stage)s”环节",
        "计算 %(id)s：%(entries)s 个评价对象",
        "评审对象（%(n)s 项正式申报）",
        "评审表：%(form)s；每项 %(k)s 位专家。",
        "评审：一个评审轮次，%(n)s 个评审对象",
        "评审：专家库 %(n)s 位专家，轮次“%(title)s”已分配",
        "该 PDF 的页面内容过多（超过 %(n)s 个排版指令），无法读取；请拆分后再导入。",
        "该专家在本轮已分配%(n)d项，达到上限。",
        "负责人已有其他在研项目 %(m)d 个。",
        "超过 %(n)d 个字",
        "超过%(n)d个字。",
        "还有 %(n)d 份申报未作立项决定：%(titles)s。",
        "还有 %(n)s 份申请未提交（草稿、退回或撤回），截止后不能再提交。",
        "选中 %(n)s 项，超过本榜单最多 %(m)s 个揭榜方，发布将被拒绝。",
        "里程碑 M%(seq)d 超出榜单实施周期（%(months)d 个月）。",
        "预申报 %(n)s 份：待遴选 %(a)s，邀请正式申报 %(b)s，不予邀请 %(c)s。",
    }
)
