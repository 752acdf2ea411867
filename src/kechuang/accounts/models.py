"""Organisations (units) and the people who belong to them."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import BaseModel

from .validators import validate_credit_code


class Unit(BaseModel):
    """A legal or administrative unit: enterprise, university, institute, hospital, government department."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        UNIVERSITY = "university", _("高等院校")
        INSTITUTE = "institute", _("科研院所")
        HOSPITAL = "hospital", _("医疗机构")
        GOVERNMENT = "government", _("政府部门")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位名称"), max_length=200, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=Kind.choices, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18位，企业必填。"),
    )
    province = models.CharField(_("省份"), max_length=40, blank=True)
    city = models.CharField(_("城市"), max_length=40, blank=True, db_index=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="unit_credit_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["enterprise", "university", "institute", "hospital", "government", "other"]
                ),
                name="unit_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:unit-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.kind == self.Kind.ENTERPRISE and not self.credit_code:
            raise ValidationError({"credit_code": _("企业必须填写统一社会信用代码。")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级单位不能是本单位。")})


class User(AbstractUser):
    """A person who signs in. Belongs to at most one unit; roles are groups (see roles.py)."""

    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)
