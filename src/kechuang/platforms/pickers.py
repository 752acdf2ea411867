"""The platform picker field (kechuang.core.pickers): platforms searched by name (web:pick-platforms)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.pickers import PickerChoiceField, PickerMultipleChoiceField

from .models import Platform


def platform_field(*, label, multiple: bool = False, queryset=None, **kwargs):
    """A platform (or several). Also accepts a platform's code (file imports and older links)."""
    kwargs.setdefault("help_text", _("输入平台名称的一部分，从下拉列表中选择。"))
    cls = PickerMultipleChoiceField if multiple else PickerChoiceField
    return cls(
        label=label,
        queryset=queryset if queryset is not None else Platform.objects.all(),
        url=reverse_lazy("web:pick-platforms"),
        name_field="code",
        placeholder=_("输入平台名称查找"),
        **kwargs,
    )
