from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kechuang.core.exceptions import ApplicationError

from . import permissions, selectors, services
from .forms import UnitForm
from .models import Unit
from .permissions import role_required
from .roles import Role


class LoginView(auth_views.LoginView):
    """Sign-in. Besides axes' lockout of one user name from one address, one address may post the form at
    most LOGIN_IP_MAX_ATTEMPTS times per LOGIN_IP_WINDOW seconds (any user names): 429 with Retry-After."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        from django.conf import settings

        from kechuang.core import ratelimit

        wait = ratelimit.hit(
            "login",
            ratelimit.client_ip(request) or "unknown",
            limit=int(getattr(settings, "LOGIN_IP_MAX_ATTEMPTS", 0)),
            window=int(getattr(settings, "LOGIN_IP_WINDOW", 300)),
        )
        if wait is not None:
            response = render(
                request,
                "accounts/login.html",
                {
                    "form": self.get_form(),
                    "throttled": _("登录尝试过于频繁，请 %(s)d 秒后再试。") % {"s": wait},
                },
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


@role_required(Role.STAFF, Role.COMMISSIONER)
def unit_list(request):
    qs = selectors.unit_list(
        kind=request.GET.get("kind", ""), city=request.GET.get("city", ""), q=request.GET.get("q", "").strip()
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/unit_list.html", {"page": page, "kinds": Unit.Kind.choices})


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    if not permissions.can_view_unit(request.user, unit):
        raise Http404
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "can_edit": permissions.can_edit_unit(request.user, unit),
            "members": unit.users.filter(is_active=True).order_by("username")[:100],
        },
    )


@login_required
def unit_edit(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    if not permissions.can_edit_unit(request.user, unit):
        raise Http404
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                actor=request.user,
                unit=unit,
                reason=request.POST.get("reason", ""),
                **{f: form.cleaned_data[f] for f in form.changed_data},
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_error(
                None, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
            )
        else:
            messages.success(request, _("单位信息已保存。"))
            return redirect(unit)
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {})
