from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from kechuang.core import ui
from kechuang.core.api import error_body
from kechuang.core.models import Notification
from kechuang.core.notifications import notifications_mark_read
from kechuang.core.pagination import keyset_page
from kechuang.core.roles import roles_of


def healthz(request):
    """A trivial page: the whole middleware stack and no database, template or session. Load balancers
    poll it, and the load benchmark measures every page as a ratio to it."""
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    """The public landing page."""
    return render(request, "web/home.html", {"cards": ui.cards_for(None)})


@login_required
def dashboard(request):
    """Each role's dashboard: what the user has to do, and the figures for their role."""
    return render(
        request,
        "web/dashboard.html",
        {
            "tasks": ui.tasks_for(request.user),
            "cards": ui.cards_for(request.user),
            "roles": sorted(roles_of(request.user)),
        },
    )


@login_required
def notification_list(request):
    """The user's notifications, newest first; POST marks them read."""
    from django.shortcuts import redirect

    if request.method == "POST":
        ids = request.POST.getlist("id") or None
        notifications_mark_read(user=request.user, ids=[int(i) for i in ids if i.isdigit()] if ids else None)
        return redirect("web:notifications")

    page = keyset_page(
        Notification.objects.filter(recipient=request.user),
        field="created_at",
        size=50,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    return render(request, "web/notifications.html", {"page": page})


def _error(request, template, status, exception=None):
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        codes = {403: "permission_denied", 404: "not_found", 500: "server_error", 400: "bad_request"}
        messages = {403: "无权访问。", 404: "未找到。", 500: "服务器内部错误，已记录。", 400: "请求有误。"}
        return JsonResponse(error_body(codes[status], messages[status]), status=status)
    return render(request, template, {"exception": exception}, status=status)


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
    return _error(request, "403.html", 403)
