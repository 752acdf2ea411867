from django import forms

from .models import Unit


class UnitForm(forms.ModelForm):
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
