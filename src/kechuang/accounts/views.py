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
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
