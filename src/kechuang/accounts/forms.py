from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core import uploads
from kechuang.core.limits import REASON_MAX
from kechuang.core.pickers import CityField, ProvinceField, check_city
from kechuang.core.roles import Role
from kechuang.core.uploads import CheckedFileField

from . import scopes
from .models import Unit, User, fold_email
from .pickers import unit_field
from .regions import is_listed, region_choices, region_from_credit_code, region_label
from .selectors import unit_order
from .validators import validate_phone

# an address as its column holds it (Django's EmailField takes 320, the column 254: the rest was a database error)
EMAIL_MAX = User._meta.get_field("email").max_length

PROFILE_FIELDS = [
    "name",
    "name_en",
    "short_name",
    "kind",
    "credit_code",
    "province",
    "city",
    "region_code",
    "address",
    "parent",
    "endorser",
    "contact_name",
    "contact_phone",
    "contact_email",
]


def endorser_choices():
    """Endorsing departments are government units: a short list, offered as choices."""
    return Unit.objects.filter(
        kind=Unit.Kind.GOVERNMENT, is_active=True, status=Unit.Status.VERIFIED
    ).order_by(*unit_order())


REGION_HELP = _(
    "有统一社会信用代码的单位不必选择：地区由代码第3至8位（登记管理机关的行政区划代码）得出。"
    "没有代码的单位按名称从列表中选择。"
)
REGION_FROM_CODE_HELP = _("由统一社会信用代码第3至8位得出；修改信用代码后随之更新。")

PHONE_HELP = _("手机号，或带区号的固定电话（如 0354-1234567，可加分机）。")


class PhoneField(forms.CharField):
    """A phone typed on a form, checked by `validators.validate_phone` wherever one is entered. `stored`: the
    value the record holds already; older data may hold any text, which is shown and kept as it is, so the
    check applies only when the phone is changed (a form saving other fields is not refused for it)."""

    def __init__(self, *, stored: str = "", **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", PHONE_HELP)
        super().__init__(**kwargs)
        self.stored = stored

    def validate(self, value):
        super().validate(value)
        if value != (self.stored or "").strip():
            validate_phone(value)


class UnitForm(forms.ModelForm):
    # Searched by name (web:pick-units): a <select> of every unit would list all 50,000.
    parent = unit_field(label=_("上级单位"), queryset=Unit.objects.all(), required=False)
    endorser = forms.ModelChoiceField(
        label=_("推荐单位/主管部门"), queryset=Unit.objects.none(), required=False
    )
    # Picked by name from the 34 provincial-level divisions (core.divisions), stored as the GB/T 2260 code.
    province = ProvinceField(label=_("省份"), help_text=_("从列表中按名称选择，可输入名称查找。"))
    city = CityField(
        label=_("城市"), help_text=_("先选省份，再按名称选择城市（地级行政区），可输入名称查找。")
    )
    # Picked by name, never typed; a credit code gives it instead (clean).
    region_code = forms.ChoiceField(
        label=_("所在地区（行政区划）"), choices=region_choices, required=False, help_text=REGION_HELP
    )
    contact_phone = PhoneField(label=_("联系电话"))

    class Meta:
        model = Unit
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endorser"].queryset = endorser_choices()
        self.fields["contact_phone"].stored = self.instance.contact_phone if self.instance.pk else ""
        self.fields["province"].keep(self.instance.province)  # a value from before the list stays, flagged
        self.fields["city"].keep(self.instance.city)
        region = self.fields["region_code"]
        current = self.instance.region_code if self.instance.pk else ""
        if current and not is_listed(current):
            # A division the list does not name (a district read from a credit code): kept, by its nearest name.
            region.choices = [*region.choices, (current, region_label(current))]
        if self.instance.pk and region_from_credit_code(self.instance.credit_code):
            region.disabled = True
            region.help_text = REGION_FROM_CODE_HELP

    def clean(self):
        data = super().clean()
        check_city(self)
        derived = region_from_credit_code(data.get("credit_code") or "")
        if derived:
            data["region_code"] = derived
        return data


class UnitRegisterForm(UnitForm):
    """A unit registers itself, with the person who will use it (the unit's first user)."""

    full_name = forms.CharField(label=_("您的姓名"), max_length=100)
    email = forms.EmailField(
        max_length=EMAIL_MAX, label=_("您的电子邮箱"), help_text=_("核验结果发到此邮箱；登录时也用它。")
    )
    phone = PhoneField(label=_("您的联系电话"))
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    # A verified unit only, searched by name on the public registration search (accounts:register-units);
    # staff verify it with the rest, and after that it changes only through a change request.
    parent = unit_field(
        label=_("上级单位"),
        queryset=Unit.objects.filter(is_active=True, status=Unit.Status.VERIFIED),
        url=reverse_lazy("accounts:register-units"),
        required=False,
        help_text=_(
            "如有上级单位（集团、总公司、主管大学），输入其名称的一部分，从下拉列表中选择；须是已核验的单位。"
        ),
    )

    class Meta(UnitForm.Meta):
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endorser"].required = True
        self.fields["contact_name"].required = True
        self.fields["contact_phone"].required = True

    def clean_email(self):
        # An address that already has an account is not refused here: the page would tell anyone which
        # addresses are registered. The view answers as for a new one and the owner is told by e-mail
        # (services.unit_register_known_address).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            probe = User(username=(data.get("email") or "").split("@")[0], email=data.get("email") or "")
            probe.full_name = data.get("full_name") or ""
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def unit_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.cleaned_data}


class DecisionForm(forms.Form):
    note = forms.CharField(
        max_length=REASON_MAX, label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ChangeRequestDecisionForm(DecisionForm):
    """Approving or rejecting a unit's change request: the decision cannot be changed afterwards (its
    machine's steps are final, core.workflow.StateMachine.irreversible), so a box to tick first."""

    confirm = forms.BooleanField(label=_("确认：审核决定作出后不能更改。"))


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX, label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3})
    )


def language_choices() -> list[tuple[str, str]]:
    """The site's languages, each by its own name (简体中文, English), as a language switch shows them."""
    from django.utils.translation import get_language_info

    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class LanguageSelect(forms.Select):
    """A choice of the site's languages, each option named in its own language and marked so (lang="…"): a
    reader of either language finds theirs, and the page says which words are in which language."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


def current_site_language() -> str:
    """The site's language the current page is in ("zh-hans", "en"), as language_choices names it."""
    from django.utils import translation

    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class UserInviteForm(forms.Form):
    email = forms.EmailField(max_length=EMAIL_MAX, label=_("电子邮箱"))
    full_name = forms.CharField(label=_("姓名"), max_length=100)
    phone = PhoneField(label=_("联系电话"))
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    unit = unit_field(label=_("所在单位"), required=False)
    language = forms.ChoiceField(
        label=_("对方的语言"),
        choices=language_choices,
        widget=LanguageSelect,
        required=False,
        help_text=_("邀请邮件以此语言书写，对方登录后的页面也先以此语言显示；对方可在个人资料中更改。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the inviter's current language unless chosen otherwise
        self.fields["language"].initial = current_site_language()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email_key=fold_email(email)).exists():
            raise forms.ValidationError(_("已有用户使用此电子邮箱。"))
        return email

    def clean_language(self):
        return self.cleaned_data.get("language") or current_site_language()


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=100)
    email = forms.EmailField(max_length=EMAIL_MAX, label=_("电子邮箱"))
    phone = PhoneField(label=_("联系电话"))
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    unit = unit_field(
        label=_("所在单位"),
        required=False,
        help_text=_("输入单位名称的一部分，从下拉列表中选择；留空表示不属于任何单位。"),
    )
    reason = forms.CharField(label=_("修改理由"), max_length=500, required=False)

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["phone"].stored = user.phone  # a phone from before the check is kept until changed

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email_key=fold_email(email)).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("已有用户使用此电子邮箱。"))
        return email


class OrcidForm(forms.Form):
    orcid = forms.CharField(
        label=_("ORCID"),
        max_length=60,
        required=False,
        help_text=_(
            "可选：如 0000-0002-1825-0097 或 https://orcid.org/0000-0002-1825-0097；留空表示不提供。"
        ),
    )

    def clean_orcid(self):
        from .validators import normalize_orcid, validate_orcid

        value = self.cleaned_data["orcid"].strip()
        if not value:
            return ""
        validate_orcid(value)
        return normalize_orcid(value)


SIGN_IN_LABEL = _("电子邮箱")
SIGN_IN_REFUSED = _("电子邮箱或密码不正确。请注意密码区分大小写。")


def _email_sign_in(form) -> None:
    """The sign-in field is the person's e-mail address (docs/adr/0017): labelled so, as long as an address may be,
    offered the address keyboard; the login name still works for scripts. The refusal names the address, not a
    user name."""
    field = form.fields["username"]
    field.label = SIGN_IN_LABEL
    field.max_length = 254
    field.widget.attrs.update({"maxlength": 254, "autocomplete": "username", "inputmode": "email"})
    form.error_messages = {**form.error_messages, "invalid_login": SIGN_IN_REFUSED}


class SignInForm(auth_forms.AuthenticationForm):
    """Sign in with one's e-mail address and password (accounts.backends.account_for)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        _email_sign_in(self)


class AdminSignInForm(AdminAuthenticationForm):
    """The Django admin's sign-in, by e-mail address too (installed by AccountsConfig.ready)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        _email_sign_in(self)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, except that an invited person who has not set a password yet (an unusable one) may
    also ask for a link. Inactive users still get none."""

    def get_users(self, email):
        return User.objects.filter(email_key=fold_email(email), is_active=True)

    def save(self, *args, **kwargs):
        from .mail_limit import may_mail

        # counted per address typed, whether or not an account has it: the count then tells nothing about the
        # address (the registration page says when its mail was held back, docs/security.md §22)
        if may_mail(self.cleaned_data["email"], why="password_reset"):
            super().save(*args, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """The link's e-mail in the language of the person it goes to (their preference), not the page's."""
        from django.utils import translation

        from kechuang.core.notifications import recipient_language

        with translation.override(recipient_language(context.get("user"))):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class LanguageForm(forms.Form):
    """The language of a person's e-mails and of the pages when they sign in: chosen, never typed."""

    language = forms.ChoiceField(
        label=_("语言"),
        choices=language_choices,
        widget=LanguageSelect,
        help_text=_("通知邮件使用此语言；登录后页面也以此语言显示（页眉的语言切换只在本次访问有效）。"),
    )


class RegistrationConfirmForm(forms.Form):
    """The registration's confirmation link: the password chosen at registration, so that only the person who
    registered confirms it (docs/security.md §25)."""

    password = forms.CharField(
        label=_("注册时设置的密码"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("提交单位注册时设置的密码，以证明这次注册是您提交的。"),
    )


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态验证码"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("身份验证器应用（如 Microsoft Authenticator、Google Authenticator）显示的 6 位数字。"),
    )


class UnitImportForm(forms.Form):
    file = CheckedFileField(
        label=_("文件（.xlsx 或 .csv）"), allowed=uploads.TABLES, limit_setting="KECHUANG_MAX_IMPORT_BYTES"
    )
    commit = forms.BooleanField(
        label=_("检查无误后正式导入"),
        required=False,
        help_text=_("不勾选时只做试导入（检查每一行，不写入）。"),
    )


class TokenIssueForm(forms.Form):
    """A new API token and its scope, chosen with a radio button and check boxes, never typed; the
    password again, as the token endpoint asks, so a session left open cannot mint a 30-day key."""

    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("令牌的用途，如“年度数据同步脚本”。")
    )
    access = forms.ChoiceField(
        label=_("权限"),
        choices=scopes.Access.choices,
        initial=scopes.Access.READ,
        widget=forms.RadioSelect,
        help_text=_("只读令牌只能查询数据，任何修改都会被拒绝；读写令牌可做您本人能做的一切。"),
    )
    areas = forms.MultipleChoiceField(
        label=_("领域"),
        choices=scopes.area_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("令牌只能访问勾选的领域；都不勾选则可访问全部领域。"),
    )
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("签发令牌前请再次输入您的登录密码。"),
    )
