"""What the ingest services share: the refusal message, the editable fields, the words that route a fact."""

import logging

logger = logging.getLogger("kechuang.ingest.services")

MAX_BYTES_DEFAULT = 20 * 1024 * 1024
NOT_ALLOWED = "只有科技厅工作人员可以导入和审核报告。"
EDITABLE_FIELDS = ("subject", "predicate", "value", "unit", "qualifier", "period", "place")

# subjects that an owning app counts: platforms and their achievements
PLATFORM_WORDS = (
    "实验室",
    "研究中心",
    "创新中心",
    "联合体",
    "联盟",
    "平台",
    "基础设施",
    "研发机构",
    "创新基地",
    "高新区",
)
ACHIEVEMENT_WORDS = ("技术", "成果", "专利", "标准", "新药", "疫苗", "证书", "资质", "需求")


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
