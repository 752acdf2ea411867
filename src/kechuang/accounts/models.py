"""Organisations (units) and the people who belong to them."""

import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core import divisions
from kechuang.core.bigram import BigramField, BigramIndexed
from kechuang.core.language import english, local_name
from kechuang.core.messages import InBoth
from kechuang.core.models import BaseModel
from kechuang.core.roles import Role, roles_of

from . import scopes
from .regions import region_from_credit_code, region_label, region_name
from .validators import validate_credit_code, validate_orcid, validate_region_code
from .workflow import ChangeRequestStatus, UnitStatus


class Unit(BigramIndexed, BaseModel):
    """A legal or administrative unit: enterprise, university, institute, hospital, government department."""

    # the English name too: a picker or a list's search finds a unit by any name it is shown by (docs/adr/0018)
    BIGRAM_SOURCES = ("name", "short_name", "name_en")
    # The audit trail names a unit by its current name in the reader's language while it exists, whatever
    # name the event stored (core.display._object_names): names change, an English one is recorded later.
    AUDIT_NAMED_NOW = ()

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        UNIVERSITY = "university", _("高等院校")
        INSTITUTE = "institute", _("科研院所")
        HOSPITAL = "hospital", _("医疗机构")
        GOVERNMENT = "government", _("政府部门")
        OTHER = "other", _("其他")

    Status = UnitStatus

    name = models.CharField(_("单位名称"), max_length=200, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    search_bigrams = BigramField(_("检索字对"))
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
    # Never typed: read from the credit code when there is one (clean), else picked by name (accounts.regions).
    region_code = models.CharField(
        _("行政区划代码"), max_length=6, blank=True, validators=[validate_region_code]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    endorser = models.ForeignKey(
        "self",
        verbose_name=_("推荐单位/主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="endorsed_units",
        help_text=_("推荐本单位申报、负责初审的主管部门。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    # Units created by staff (pages, imports, the demo) are verified when created; a unit that registers
    # itself waits for staff. Eligibility reads only verified units (challenges.selectors.eligibility_problems).
    status = models.CharField(
        _("核验状态"), max_length=10, choices=Status.choices, default=Status.VERIFIED, db_index=True
    )
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("核验人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="unit_credit_code_unique",
                # said as the name's uniqueness is, never the constraint's name (docs/security.md §33)
                violation_error_message=_("已有单位使用这个统一社会信用代码。"),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["enterprise", "university", "institute", "hospital", "government", "other"]
                ),
                name="unit_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "verified", "rejected"]), name="unit_status_valid"
            ),
        ]

    def __str__(self):
        # The reader's language, as every model with an English name beside its Chinese one (docs/adr/0018):
        # pages, pickers, form choices and the audit trail's names read it; official PDFs render in Chinese
        # (documents.services overrides the language) and official files name `name` itself.
        return self.local_name

    @property
    def local_name(self) -> str:
        """The unit's name in the reader's language: the English name on an English page where one is
        recorded, else the Chinese (the registered, official name)."""
        return local_name(self.name, self.name_en)

    @property
    def other_name(self) -> str:
        """The unit's name in the language the page is not in, for a table that gives both beside each other
        (partner units: `other_name_heading`): its English name ("" where none) on a Chinese page; its
        registered Chinese name on an English page ("" where the page already shows it, having no English)."""
        en = (self.name_en or "").strip()
        if english():
            return self.name if en else ""
        return en

    @property
    def both_names(self) -> InBoth:
        """The name in both languages, for words stored now and read later in their reader's language (a
        notification's title: core.messages): the English name, else the Chinese, for English readers."""
        return InBoth(self.name, local_name(self.name, self.name_en, english=True))

    def get_absolute_url(self):
        return reverse("accounts:unit-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        # A unified social credit code names the division of the authority that registered the unit.
        self.region_code = region_from_credit_code(self.credit_code) or self.region_code
        # A province named in any form (山西, 山西省, Shanxi, 140000) is stored as its GB/T 2260 code; a value
        # from before the list that names no division is kept as it was (shown flagged for staff to fix).
        self.province = divisions.normalise(self.province)
        # A city named in any form (太原, Taiyuan, 140100) is stored as the division's Chinese name (太原市);
        # a value that names none is kept as typed (shown flagged).
        self.city = divisions.city_normalise(
            self.city, self.province if divisions.get(self.province) else None
        )
        if self.kind == self.Kind.ENTERPRISE and not self.credit_code:
            raise ValidationError({"credit_code": _("企业必须填写统一社会信用代码。")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级单位不能是本单位。")})
        if self.endorser_id and self.pk and self.endorser_id == self.pk:
            raise ValidationError({"endorser": _("推荐单位不能是本单位。")})

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def region_name(self) -> str:
        """The unit's division by name in the active language, as near as accounts.regions knows it."""
        return region_name(self.region_code)

    @property
    def region_label(self) -> str:
        """The unit's division as a person reads it: its name, or a flag for staff (never the code)."""
        return region_label(self.region_code)


def other_name_heading() -> str:
    """The heading of a column of `Unit.other_name`: 英文名称 on a Chinese page, "Registered name (Chinese)"
    on an English one."""
    return gettext("单位注册名称（中文）") if english() else gettext("英文名称")


class UnitChangeRequest(BaseModel):
    """A unit user's request to change verified fields of their unit. Staff approve or reject it; only an
    approval writes the unit (services.unit_change_request_decide)."""

    Status = ChangeRequestStatus

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="change_requests"
    )
    # {field: proposed value} and {field: value when requested}; foreign keys as ids.
    changes = models.JSONField(_("申请修改"), default=dict)
    before = models.JSONField(_("修改前"), default=dict)
    reason = models.TextField(_("理由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("单位信息变更申请")
        verbose_name_plural = _("单位信息变更申请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open request per unit: a second would be decided against values the first may change.
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(status="pending"), name="unit_change_one_pending"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]),
                name="unit_change_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("accounts:change-request-detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


def public_name(full_name: str, other_name: str = "", unit_name: str = "", role="") -> str:
    """The one public-name rule (docs/security.md §16): the person's full name; else the unit's name and what
    they are there (their role, or what they are to the page: 负责人); else 未署名. Never the login name or the
    e-mail address, which a page that shows people to others must not give away. For rows read as values
    (`full_name`, `first_name last_name`, the unit's name) as for users (`User.public_name`)."""
    from django.utils.translation import gettext

    name = (full_name or "").strip() or (other_name or "").strip()
    if name:
        return name
    role = str(role or "").strip()
    if unit_name and role:
        return gettext("%(unit)s · %(role)s") % {"unit": unit_name, "role": role}
    return unit_name or role or gettext("未署名")


def fold_email(address) -> str:
    """An e-mail address as accounts are matched by it (`User.email_key`): trimmed, in Unicode's compatibility
    form (NFKC, as the sign-in form gives what was typed) and lower-cased in Python, so any letter case of any
    script matches alike on SQLite (whose LIKE and lower() fold ASCII only: `É` ≠ `é`) and PostgreSQL.
    lower(), not casefold(): `ß` stays apart from `ss`, as the lockout's count of unknown names keeps it
    (accounts.backends.lockout_name, docs/security.md §17, §19)."""
    return unicodedata.normalize("NFKC", address).strip().lower() if isinstance(address, str) else ""


EMAIL_TAKEN = _("此电子邮箱已属于另一个账号：每个人用自己的电子邮箱登录，一个邮箱只能用于一个账号。")


class User(BigramIndexed, AbstractUser):
    """A person who signs in. Belongs to at most one unit; roles are groups (see roles.py)."""

    BIGRAM_SOURCES = ("full_name", "username")

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
    # Given by the person on their profile page; published in the open data (docs/opendata.md).
    orcid = models.CharField(
        _("ORCID"),
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text=_("可选：您的 ORCID 标识符，如 0000-0002-1825-0097。公开数据中将随您的姓名一并发布。"),
    )
    # The language the person reads: their e-mails are written in it, and the pages start in it when they
    # sign in (the switch in the page header changes the pages for the visit, not this).
    language = models.CharField(
        _("语言"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("通知邮件使用此语言；登录后页面也以此语言显示（页眉的语言切换只在本次访问有效）。"),
    )
    # Set by a unit's registration: nobody has shown the address is theirs yet. The account stays inactive
    # until the link mailed to it is opened (services.registration_address_confirm), whatever staff decide
    # about the unit; accounts made by staff or invitations are vouched for otherwise (docs/security.md §19).
    email_unconfirmed = models.BooleanField(_("电子邮箱待确认"), default=False)
    # When the confirmation link was last mailed (the registration, or staff resending it): an unconfirmed
    # registration lapses KECHUANG_INVITATION_HOURS after it, and its address is free again (§20).
    email_confirm_sent_at = models.DateTimeField(_("确认邮件发送时间"), null=True, blank=True)
    # A new address staff gave a person who has signed in: it replaces `email` once the person opens the link
    # mailed to it (services.address_change); until then the old one signs in (§20).
    email_new = models.EmailField(_("待确认的新电子邮箱"), blank=True)
    email_new_sent_at = models.DateTimeField(_("新电子邮箱确认邮件发送时间"), null=True, blank=True)
    # The address folded (`fold_email`), kept by `save`: what every match by address compares (sign-in, the
    # one-account-per-address rule, registration, the password reset, imports).
    email_key = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    search_bigrams = BigramField(_("检索字对"))

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self):
        return self.public_name

    def save(self, *args, **kwargs):
        self.email_key = fold_email(self.email)
        fields = kwargs.get("update_fields")
        if fields is not None and "email" in fields and "email_key" not in fields:
            kwargs["update_fields"] = [*fields, "email_key"]
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        """How a person is named to others, on every page, export and API answer (`str(user)` is this): the
        public-name rule (`public_name`)."""
        return self.named(role=None)

    @property
    def has_name(self) -> bool:
        """Whether the person has a name of their own (else the public name is their unit and role)."""
        return bool((self.full_name or "").strip() or f"{self.first_name} {self.last_name}".strip())

    def named(self, role=None) -> str:
        """The public name, with `role` (a core.roles.Role, or words such as 负责人) saying what the person is
        here when they have no name; without it, their highest role."""
        other = f"{self.first_name} {self.last_name}"
        if (self.full_name or "").strip() or other.strip():
            return public_name(self.full_name, other)
        if role is None:
            held = roles_of(self)
            role = next((r for r in Role if r.value in held), None)
        if isinstance(role, Role):
            role = role.label
        return public_name("", "", self.unit.local_name if self.unit_id else "", role)

    def clean(self):
        """An e-mail address belongs to one account: people sign in with it (docs/adr/0017). Checked in any
        letter case, by every path that cleans a user (the services, the admin's form)."""
        super().clean()
        if self.email:
            taken = User._default_manager.filter(email_key=fold_email(self.email))
            if self.pk:
                taken = taken.exclude(pk=self.pk)
            if taken.exists():
                raise ValidationError({"email": EMAIL_TAKEN})

    @property
    def display_name(self) -> str:
        return str(self)


class ApiToken(models.Model):
    """An API token (`Authorization: Token <key>`). Only the key's SHA-256 is stored; the key is shown once.

    A token works until it expires (`API_TOKEN_DAYS` after issue), is revoked (by its owner, a password
    change or reset, or the deactivation of its owner), or its owner's password changes by any other way
    (admin, `changepassword`): `auth_hash` is the owner's session hash at issue, as Django's sessions use;
    or, issued without a second-factor code, once its owner must have one (`second_factor`).
    """

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    auth_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=30, blank=True)
    # Issued after a second-factor code: a token issued with the password alone stops working once the owner
    # is someone the second factor is required of (given the staff role after the token was issued).
    second_factor = models.BooleanField(_("经双因素认证签发"), default=False)
    # The scope (accounts.scopes): read only or read and write; the API's areas it may call, none = all.
    # No default: every token is issued with its scope said (tokens issued before scopes: read and write,
    # all areas, migration 0009).
    access = models.CharField(_("权限"), max_length=5, choices=scopes.Access.choices)
    areas = models.JSONField(_("领域"), default=list, blank=True)
    # The last call made with it and from where (services.token_used: at most once a minute per address).
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("最近使用地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def scope_words(self) -> str:
        """The scope as a person reads it: '只读 · 创新平台、创新指标'."""
        return scopes.scope_words(self.access, self.areas)


class RegistrationClaim(models.Model):
    """A unit's registration posted with an address that another registration, not yet confirmed, holds
    (docs/security.md §28). It is kept apart — no unit, no account, nothing taken from the registration
    holding the address — and mailed its own link to the address: whoever presses a link there with the
    password of its registration decides which registration the address is for (`registration_claim_confirm`:
    the others are withdrawn and this one is made). So a stranger's post naming someone's address can no
    longer end that person's pending registration, and the address's owner registering after a stranger's
    registration with it still gets a link that confirms what she typed. Lapses with its link
    (KECHUANG_INVITATION_HOURS); deleted once confirmed, lapsed or outdone."""

    email = models.EmailField(_("电子邮箱"))
    email_key = models.CharField(max_length=254, db_index=True, editable=False)
    full_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # the password's hash, as an account keeps it: checked at the link, then the account is made with it
    password = models.CharField(max_length=128)
    # the registration form's unit fields as posted and cleaned (ids for the endorser and the parent)
    unit_fields = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    # when its link was mailed; empty when the address had had its share of mail (§22) and none went
    sent_at = models.DateTimeField(_("确认邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待确认的另一次注册")
        verbose_name_plural = _("待确认的另一次注册")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.unit_fields.get('name', '')} <{self.email}>"

    def save(self, *args, **kwargs):
        self.email_key = fold_email(self.email)
        super().save(*args, **kwargs)
