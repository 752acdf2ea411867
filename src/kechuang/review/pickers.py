"""The expert picker field (kechuang.core.pickers): experts of the pool searched by name, unit, discipline
or research keyword (web:pick-experts), chosen as their user."""

from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.pickers import PickerChoiceField, PickerMultipleChoiceField

from .models import ExpertProfile


def expert_field(*, label, multiple: bool = False, queryset=None, **kwargs):
    kwargs.setdefault("help_text", _("输入专家姓名、单位、学科或研究方向，从下拉列表中选择。"))
    if queryset is None:
        queryset = get_user_model().objects.filter(
            expert_profile__status=ExpertProfile.Status.APPROVED, is_active=True
        )
    cls = PickerMultipleChoiceField if multiple else PickerChoiceField
    return cls(
        label=label,
        queryset=queryset,
        url=reverse_lazy("web:pick-experts"),
        name_field="username",
        placeholder=_("输入专家姓名、单位或学科查找"),
        **kwargs,
    )
