from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = _("单位与用户")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kechuang.core import display

        from . import checks  # noqa: F401  (registers the duplicate-address check)

        # audit actions whose words name their object (the audit log and a person's trail)
        display.register_words(
            actions={
                "token.issue": pgettext_lazy("审计", "签发API令牌"),  # not documents' 出具公文 (issue)
                "token.revoke": pgettext_lazy("审计", "吊销API令牌"),
                "user.activate": pgettext_lazy("审计", "启用或停用账号"),
                "user.email_change_confirm": pgettext_lazy("审计", "确认新电子邮箱"),
                "user.email_confirm": pgettext_lazy("审计", "确认注册电子邮箱"),
                "user.email_confirm_refused": pgettext_lazy("审计", "确认注册电子邮箱时输入的密码不符"),
                "user.invite": pgettext_lazy("审计", "邀请用户"),
                "user.registration_claim": pgettext_lazy("审计", "另一次注册用了待确认的电子邮箱，另行保存"),
                "user.registration_claim_lapse": pgettext_lazy("审计", "另行保存的注册过期，自动作废"),
                "user.registration_claim_void": pgettext_lazy("审计", "电子邮箱已确认给另一次注册，这次作废"),
                "user.registration_claim_resend": pgettext_lazy("审计", "重新发送另行保存的注册的确认邮件"),
                "user.registration_claim_withdraw": pgettext_lazy("审计", "工作人员作废另行保存的注册"),
                "user.registration_mail_held": pgettext_lazy("审计", "注册确认邮件因发信上限未发出"),
                "user.registration_resend": pgettext_lazy("审计", "重新发送注册确认邮件"),
                "user.registration_withdraw": pgettext_lazy("审计", "撤回未确认电子邮箱的注册"),
                "user.orcid": pgettext_lazy("审计", "填写ORCID iD"),
                "user.otp_disable": pgettext_lazy("审计", "关闭双因素认证"),
                "user.otp_enable": pgettext_lazy("审计", "启用双因素认证"),
                "user.otp_failures": pgettext_lazy("审计", "连续输错动态验证码"),
                "user.otp_step_up": pgettext_lazy("审计", "新角色要求双因素认证"),
                "user.set_roles": pgettext_lazy("审计", "设置角色"),
                "unit.propose": pgettext_lazy("审计", "添加待核验的单位"),
            }
        )

        from django.contrib import admin

        from .views.signin import limited_admin_login

        # The admin's sign-in form counts against the sign-in page's per-address limit (docs/security.md §14).
        if not getattr(admin.site.login, "kechuang_limited", False):
            admin.site.login = limited_admin_login(admin.site.login)
            admin.site.login.kechuang_limited = True
        from .forms import AdminSignInForm

        admin.site.login_form = AdminSignInForm  # by e-mail address, as the site's (docs/adr/0017)

        # a token's scope (issue, revoke) in words: 只读 · 创新平台、创新指标
        display.register_payload("token.issue", _token_payload)
        display.register_payload("token.revoke", _token_payload)

        from . import role_loss, second_factor

        # A role taken away by any path (the services, the admin's user and group pages) revokes the tokens.
        role_loss.connect()

        # Every sign-in (the sign-in page, the admin's, a test's force_login) records what it still owes.
        user_logged_in.connect(
            lambda sender, request, user, **kw: request is not None and second_factor.on_login(request, user),
            dispatch_uid="kechuang.accounts.second_factor",
            weak=False,
        )
        # The pages follow the person's language from their sign-in on (core.middleware sets the cookie).
        user_logged_in.connect(
            _language_on_sign_in, dispatch_uid="kechuang.accounts.language_on_sign_in", weak=False
        )


def _language_on_sign_in(sender, request, user, **kwargs):
    if request is not None and getattr(user, "language", ""):
        request.language_on_sign_in = user.language


def _token_payload(event, payload: dict) -> dict:
    """`access` and `areas` (one token) or `scopes` (every token of a person, by prefix) as one line of words."""
    from django.utils.translation import gettext

    from .scopes import Access, scope_words

    out = dict(payload)
    access, areas, many = out.pop("access", None), out.pop("areas", None), out.pop("scopes", None)
    label = gettext("权限与领域")
    if access in Access.values:
        out[label] = scope_words(access, areas or [])
    elif isinstance(many, dict):
        out[label] = gettext("；").join(
            f"{prefix}…{gettext('：')}{scope_words(s.get('access'), s.get('areas') or [])}"
            for prefix, s in many.items()
            if isinstance(s, dict) and s.get("access") in Access.values
        )
    return out
