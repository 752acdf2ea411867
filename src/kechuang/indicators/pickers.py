"""The indicator picker field (kechuang.core.pickers): indicators searched by name (web:pick-indicators)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.pickers import PickerChoiceField, PickerMultipleChoiceField

from .models import Indicator


def indicator_field(*, label, multiple: bool = False, queryset=None, **kwargs):
    kwargs.setdefault("help_text", _("输入指标名称的一部分，从下拉列表中选择。"))
    cls = PickerMultipleChoiceField if multiple else PickerChoiceField
    return cls(
        label=label,
        queryset=queryset if queryset is not None else Indicator.objects.all(),
        url=reverse_lazy("web:pick-indicators"),
        name_field="code",
        placeholder=_("输入指标名称查找"),
        **kwargs,
    )
