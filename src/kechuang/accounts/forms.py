from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.fields import LookupChoiceField

from .models import Unit


class UnitForm(forms.ModelForm):
    # Typed by name (or id): a <select> would list all 50,000 units (see core.fields).
    parent = LookupChoiceField(
        label=_("上级单位"), queryset=Unit.objects.all(), to_field_name="name", required=False
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "name_en",
            "short_name",
            "kind",
            "credit_code",
            "province",
            "city",
            "region_code",
            "parent",
        ]
