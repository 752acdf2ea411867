"""Picker fields for units and people (kechuang.core.pickers): every form that chooses a unit or a person
uses these, so the choice is searched by name (web:pick-units, web:pick-users), never typed exactly."""

from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.pickers import PickerChoiceField, PickerMultipleChoiceField

from .models import Unit, User


def _with_role(url, role: str):
    return format_lazy("{}?role={}", url, role) if role else url


def unit_field(*, label, multiple: bool = False, queryset=None, url=None, allow_new: bool = False, **kwargs):
    """A unit (or several), searched by name, short name or credit code. Also accepts the unit's full name
    (older links and tests). `url`: another search endpoint (the registration page's, for anyone).
    `allow_new` (one unit): a unit not in the library may be added by its full name from the list's last
    line; the field gives the name (core.pickers.NewName) and the service adds it waiting for staff
    verification (accounts.services.unit_propose)."""
    if allow_new:
        kwargs["new_label"] = _("不在列表中，添加此单位（待科技厅核验）")
        kwargs.setdefault(
            "help_text",
            _("输入单位名称的一部分，从下拉列表中选择；列表中没有的，输入单位全称后选最后一行添加。"),
        )
    kwargs.setdefault("help_text", _("输入单位名称的一部分，从下拉列表中选择。"))
    cls = PickerMultipleChoiceField if multiple else PickerChoiceField
    return cls(
        label=label,
        queryset=queryset if queryset is not None else Unit.objects.filter(is_active=True),
        url=url if url is not None else reverse_lazy("web:pick-units"),
        name_field="name",
        placeholder=_("输入单位名称查找"),
        **kwargs,
    )


def user_field(*, label, multiple: bool = False, queryset=None, role: str = "", **kwargs):
    """A person (or several), searched by name or unit (staff only: web:pick-users); `role` narrows the
    search to holders of that role."""
    kwargs.setdefault("help_text", _("输入姓名或单位名称的一部分，从下拉列表中选择。"))
    cls = PickerMultipleChoiceField if multiple else PickerChoiceField
    return cls(
        label=label,
        queryset=queryset if queryset is not None else User.objects.filter(is_active=True),
        url=_with_role(reverse_lazy("web:pick-users"), role),
        name_field="username",
        placeholder=_("输入姓名查找"),
        **kwargs,
    )
