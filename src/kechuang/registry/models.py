"""The two registries, built on the challenge programme's records (issue #17.2):

- ResultRegistration: 科技成果登记 of a project's result (challenges.Result) with the fields of the national
  results registration form (科技成果登记表) — name, completing units and people in order, type, evaluation
  method, stage, industry, keywords, intellectual property, DOI — a registration number on approval.
- TechContract: 技术合同认定登记 of a technology contract (开发/转让/许可/咨询/服务) between two units, with the
  contract amount (成交额) and the registered technical-transaction amount (技术交易额); it may register a
  transfer already recorded on a result (challenges.Transfer).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.models import BaseModel
from kechuang.core.validators import validate_not_future

from .workflow import ContractStatus, RegistrationStatus

MONEY = {"max_digits": 14, "decimal_places": 2}  # 万元
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


def validate_doi(value: str) -> None:
    """A DOI as registered (10.<registrant>/<suffix>), without the https://doi.org/ prefix."""
    if value and not DOI_RE.match(value):
        raise ValidationError(_("DOI 的格式应为 10.xxxx/…，例如 10.1000/182。"), code="bad_doi")


class Industry(models.TextChoices):
    """国民经济行业分类 (GB/T 4754-2017), by section (门类)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741 -- the standard's letter
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class ResultRegistration(BaseModel):
    """科技成果登记: one registration per result of a project."""

    Status = RegistrationStatus

    class Category(models.TextChoices):
        APPLIED = "applied", _("应用技术")
        BASIC = "basic", _("基础理论")
        SOFT = "soft", _("软科学")

    class Evaluation(models.TextChoices):
        ACCEPTANCE = "acceptance", _("验收")
        APPRAISAL = "appraisal", _("鉴定")
        ASSESSMENT = "assessment", _("评价")
        ACCESS = "access", _("行业准入")
        MARKET = "market", _("市场认可")
        OTHER = "other", _("其他")

    class Stage(models.TextChoices):
        EARLY = "early", _("初期阶段")
        MIDDLE = "middle", _("中期阶段")
        MATURE = "mature", _("成熟应用阶段")

    class IP(models.TextChoices):
        INVENTION = "invention", _("发明专利")
        UTILITY = "utility", _("实用新型专利")
        DESIGN = "design", _("外观设计专利")
        SOFTWARE = "software", _("软件著作权")
        LAYOUT = "layout", _("集成电路布图设计")
        VARIETY = "variety", _("植物新品种")
        SECRET = "secret", _("技术秘密")  # pragma: allowlist secret (a kind of IP, not a secret)
        NONE = "none", pgettext_lazy("知识产权形式", "无")

    result = models.OneToOneField(
        "challenges.Result", verbose_name=_("项目成果"), on_delete=models.PROTECT, related_name="registration"
    )
    name = models.CharField(_("成果名称"), max_length=200)
    category = models.CharField(_("成果类型"), max_length=10, choices=Category.choices)
    evaluation = models.CharField(_("评价方式"), max_length=12, choices=Evaluation.choices)
    evaluated_on = models.DateField(_("评价日期"), null=True, blank=True, validators=[validate_not_future])
    stage = models.CharField(_("成果所处阶段"), max_length=8, choices=Stage.choices)
    industry = models.CharField(_("所属国民经济行业"), max_length=1, choices=Industry.choices)
    keywords = models.CharField(_("关键词"), max_length=200, help_text=_("3–5 个，用逗号或顿号分开。"))
    ip_kind = models.CharField(_("知识产权形式"), max_length=10, choices=IP.choices, default=IP.NONE)
    ip_numbers = models.TextField(_("知识产权编号"), blank=True, help_text=_("专利号、登记号等，每行一个。"))
    doi = models.CharField(
        _("DOI"), max_length=200, blank=True, validators=[validate_doi], help_text=_("例如 10.1000/182。")
    )
    summary = models.TextField(_("成果简介"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    number = models.CharField(_("登记号"), max_length=24, null=True, blank=True, unique=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    note = models.TextField(_("审核意见"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("科技成果登记")
        verbose_name_plural = _("科技成果登记")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="registered") | models.Q(number__isnull=False),
                name="registration_registered_has_number",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:result-detail", args=[self.pk])

    def keyword_list(self) -> list[str]:
        return [k for k in re.split(r"[,，、;；\s]+", self.keywords or "") if k]


class RegistrationUnit(models.Model):
    """A completing unit (完成单位) of a registration, in order (1 = 第一完成单位)."""

    registration = models.ForeignKey(ResultRegistration, on_delete=models.CASCADE, related_name="unit_rows")
    seq = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("完成单位"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["registration", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "seq"], name="registration_unit_seq_unique"),
            models.UniqueConstraint(fields=["registration", "unit"], name="registration_unit_unique"),
        ]

    def __str__(self):
        return f"{self.seq}. {self.unit}"


class RegistrationPerson(models.Model):
    """A completing person (完成人) of a registration, in order: a user chosen with the picker."""

    registration = models.ForeignKey(ResultRegistration, on_delete=models.CASCADE, related_name="person_rows")
    seq = models.PositiveSmallIntegerField()
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("完成人"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["registration", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "seq"], name="registration_person_seq_unique"),
            models.UniqueConstraint(fields=["registration", "person"], name="registration_person_unique"),
        ]

    def __str__(self):
        return f"{self.seq}. {self.person}"


class TechContract(BaseModel):
    """技术合同认定登记: one contract between a seller (卖方) and a buyer (买方) unit."""

    Status = ContractStatus

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("技术开发")
        TRANSFER = "transfer", _("技术转让")
        LICENCE = "licence", _("技术许可")
        CONSULTING = "consulting", _("技术咨询")
        SERVICE = "service", _("技术服务")

    class Field(models.TextChoices):
        """技术领域 of the national technology-contract statistics."""

        ELECTRONICS = "electronics", _("电子信息")
        AEROSPACE = "aerospace", _("航空航天")
        MANUFACTURING = "manufacturing", _("先进制造")
        BIOMED = "biomed", _("生物、医药和医疗器械")
        MATERIALS = "materials", _("新材料及其应用")
        ENERGY = "energy", _("新能源与高效节能")
        ENVIRONMENT = "environment", _("环境保护与资源综合利用")
        NUCLEAR = "nuclear", _("核应用")
        AGRICULTURE = "agriculture", _("农业")
        TRANSPORT = "transport", _("现代交通")
        URBAN = "urban", _("城市建设与社会发展")

    title = models.CharField(_("合同名称"), max_length=200)
    kind = models.CharField(_("合同类型"), max_length=12, choices=Kind.choices)
    field = models.CharField(_("技术领域"), max_length=14, choices=Field.choices)
    seller = models.ForeignKey(
        "accounts.Unit", verbose_name=_("卖方（技术输出方）"), on_delete=models.PROTECT, related_name="+"
    )
    buyer = models.ForeignKey(
        "accounts.Unit", verbose_name=_("买方（技术吸纳方）"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("合同成交额（万元）"), validators=[MinValueValidator(0)], **MONEY)
    tech_amount = models.DecimalField(
        _("技术交易额（万元）"),
        validators=[MinValueValidator(0)],
        help_text=_("合同成交额中技术部分的金额，不含设备、原材料等非技术费用。"),
        **MONEY,
    )
    signed_on = models.DateField(_("签订日期"), validators=[validate_not_future])
    result = models.ForeignKey(
        "challenges.Result",
        verbose_name=_("涉及的项目成果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tech_contracts",
    )
    transfer = models.OneToOneField(
        "challenges.Transfer",
        verbose_name=_("对应的成果转化记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tech_contract",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    number = models.CharField(_("登记号"), max_length=24, null=True, blank=True, unique=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    note = models.TextField(_("审核意见"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("技术合同")
        verbose_name_plural = _("技术合同")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ContractStatus.values), name="techcontract_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(tech_amount__lte=models.F("amount")), name="techcontract_tech_le_amount"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="registered") | models.Q(number__isnull=False),
                name="techcontract_registered_has_number",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("registry:contract-detail", args=[self.pk])


class NumberCounter(models.Model):
    """The last number handed out of one registry's series in one year (locked while a number is taken)."""

    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="numbercounter_unique")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"
