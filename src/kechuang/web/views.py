from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from kechuang.core import notifications, ui
from kechuang.core.api import error_body
from kechuang.core.decided import decided_page
from kechuang.core.exceptions import refusal_reason
from kechuang.core.limits import search_words
from kechuang.core.models import OutboundEmail
from kechuang.core.notifications import notifications_mark_read
from kechuang.core.pagination import keyset_page
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role, roles_of


def healthz(request):
    """A trivial page: the whole middleware stack and no database, template or session. Load balancers
    poll it, and the load benchmark measures every page as a ratio to it."""
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    """The public landing page: the public's cards whoever signs in (an anonymous visitor object of its own,
    so the apps' counter reads share one query: core.counters.read's memo)."""
    return render(request, "web/home.html", {"cards": ui.cards_for(AnonymousUser())})


@login_required
def dashboard(request):
    """Each role's dashboard: what the user has to do, and the figures for their role."""
    tasks, cards, counted_at = ui.dashboard_for(request.user)
    return render(
        request,
        "web/dashboard.html",
        {"tasks": tasks, "cards": cards, "counted_at": counted_at, "roles": sorted(roles_of(request.user))},
    )


@login_required
def notification_list(request):
    """The user's notifications, newest first; POST marks them read."""
    if request.method == "POST":
        ids = request.POST.getlist("id") or None
        notifications_mark_read(
            user=request.user, ids=[int(i) for i in ids if i.isdecimal()] if ids else None
        )
        return redirect("web:notifications")

    # found by words of its title or text (a department user's list grows without bound)
    q = search_words(request)
    page = keyset_page(
        notifications.notifications_of(user=request.user, q=q),
        field="created_at",
        size=50,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    return render(request, "web/notifications.html", {"page": page, "q": q})


class NoticeSettingsForm(forms.Form):
    email_groups = forms.MultipleChoiceField(
        label=_("用邮件通知我"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(key, label) for key, label, _p in notifications.NOTICE_GROUPS],
        help_text=_("站内通知总会保留；这里只决定哪些也发到你的邮箱。"),
    )


@login_required
def notice_settings(request):
    """Each person chooses which kinds of notice they also get by e-mail."""
    form = NoticeSettingsForm(
        request.POST or None, initial={"email_groups": sorted(notifications.email_groups_of(request.user))}
    )
    if request.method == "POST" and form.is_valid():
        notifications.notice_preferences_set(
            actor=request.user, user=request.user, email_groups=form.cleaned_data["email_groups"]
        )
        messages.success(request, _("通知设置已保存。"))
        return redirect("web:notice-settings")
    return render(request, "web/notice_settings.html", {"form": form, "has_email": bool(request.user.email)})


@role_required(Role.STAFF)
def email_list(request):
    """Notification e-mails, newest first, by status: staff see what failed and why, and send it again."""
    status = request.GET.get("status", "")
    # found by the address, the subject or the recipient's name, within the status chosen
    q = search_words(request)
    qs = notifications.emails_listed(status=status, q=q)
    page = keyset_page(
        qs, field="created_at", size=50, after=request.GET.get("after"), before=request.GET.get("before")
    )
    counts = dict(
        OutboundEmail.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(
        request,
        "web/email_list.html",
        {
            "page": page,
            "status": status if status in OutboundEmail.Status.values else "",
            "q": q,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in OutboundEmail.Status.choices],
        },
    )


@role_required(Role.STAFF)
@require_POST
def email_resend(request, pk):
    """Staff send a failed mail again. Sent meanwhile (a second click, another staff member's tab, the job's
    retry): a page saying so, by whom and when (409; it was a message after a redirect to the list)."""
    mail = get_object_or_404(OutboundEmail, pk=pk)
    if mail.status == OutboundEmail.Status.SENT:
        return decided_page(request, obj=mail, back_url=reverse("web:email-list") + "?status=sent")
    else:
        notifications.email_resend(actor=request.user, email=mail)
        mail.refresh_from_db()
        if mail.status == OutboundEmail.Status.SENT:
            messages.success(request, _("邮件已重新发送。"))
        elif mail.status == OutboundEmail.Status.FAILED:
            messages.error(request, _("重发仍然失败：%(error)s") % {"error": mail.last_error})
        else:
            messages.success(request, _("邮件已交给后台任务重新发送。"))
    return redirect(reverse("web:email-list") + "?status=" + mail.status)


def _error(request, template, status, exception=None):
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        codes = {403: "permission_denied", 404: "not_found", 500: "server_error", 400: "bad_request"}
        messages = {
            403: _("无权访问。"),
            404: _("未找到。"),
            500: _("服务器内部错误，已记录。"),
            400: _("请求有误。"),
        }
        message = (refusal_reason(exception) if status == 403 else "") or messages[status]
        return JsonResponse(error_body(codes[status], str(message)), status=status)
    # A 403 says why when the refusal carries a sentence (never a code); otherwise the template's generic one.
    reason = refusal_reason(exception) if status == 403 else ""
    return render(request, template, {"exception": exception, "reason": reason}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, "400.html", 400, exception)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, "403.html", 403, exception)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(request, "404.html", 404, exception)


@requires_csrf_token
def server_error(request):
    return _error(request, "500.html", 500)


def csrf_failure(request, reason=""):
    """A post refused for its security token is an expired page, not a missing permission (walked: the page
    said the account had no access). Texts typed in the form are kept in the browser (app.js) and come back
    when the page is opened again."""
    if request.path.startswith("/api/"):
        return _error(request, "403.html", 403)
    why = _(
        "提交没有成功：页面已过期（例如登录已超时，或在别处退出、重新登录过）。请重新打开该页面再提交；"
        "您在文本框中输入的文字会恢复。"
    )
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(request, "403.html", {"reason": why, "back": back, "heading": _("页面已过期")}, status=403)
