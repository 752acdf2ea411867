"""What a form or a serializer takes fits the column it is kept in (docs/security.md §36, people23).

A form field longer than its model's column is a database error waiting to happen on PostgreSQL (a 500; SQLite
stores it whole) or, where a service cut it to fit, a silent cut: an objection's contact was cut at 100
characters, an address of 255-320 characters passed the forms into a 254 column, an application's team member
of 61-100 characters and a challenge's indicator of 121-200 passed the page into columns of 60 and 120.

- every ModelForm's and every ModelSerializer's text field kept in a model field with a `max_length` is at
  most that long (declared fields included: those the model does not make itself);
- every other form's text field named as a bounded text column of a model of its own app is at most as long as
  the longest such column (a name shared with a `TextField`, unbounded, passes), except those below, kept
  elsewhere."""

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers

from .product import product_subclasses

# A plain form's field named as a shorter column of its app that is not kept in it, and why.
KEPT_ELSEWHERE = {
    ("kechuang.accounts.forms.OrcidForm", "orcid"),  # a URL form is taken and cut to the 19-character iD
    ("kechuang.accounts.forms.RegistrationConfirmForm", "password"),  # hashed
    ("kechuang.indicators.forms.ValueForm", "note"),  # the value's provenance (JSON)
    # a call's form's rows, kept as the submission's JSON (the challenges' own rows are held at their columns)
    ("kechuang.core.formkinds.CriterionRow", "name"),
    ("kechuang.core.formkinds.TargetIndicatorRow", "name"),
    ("kechuang.core.formkinds.TeamMemberRow", "name"),
}

_TEXT_TYPES = ("CharField", "SlugField", "EmailField", "URLField", "TextField")


def _column(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return (
        field.max_length
        if getattr(field, "get_internal_type", None) and field.get_internal_type() in _TEXT_TYPES
        else None
    )


def test_a_model_forms_text_fits_its_column():
    too_long = []
    for cls in product_subclasses(forms.BaseModelForm):
        model = getattr(getattr(cls, "_meta", None), "model", None)
        for name, field in getattr(cls, "base_fields", {}).items() if model else ():
            column = _column(model, name)
            if column and isinstance(field, forms.CharField) and (field.max_length or 10**9) > column:
                too_long.append(f"{cls.__module__}.{cls.__qualname__}.{name}: {field.max_length} > {column}")
    assert not too_long, too_long


def test_a_model_serializers_text_fits_its_column():
    too_long = []
    for cls in product_subclasses(serializers.ModelSerializer):
        meta = getattr(cls, "Meta", None)
        if getattr(meta, "model", None) is None or cls is serializers.HyperlinkedModelSerializer:
            continue
        try:
            fields = cls().fields
        except Exception as exc:  # a serializer that needs its view's context to be made: named, not skipped
            raise AssertionError(f"{cls.__module__}.{cls.__qualname__}: {exc!r}") from exc
        for name, field in fields.items():
            if field.read_only or not isinstance(field, serializers.CharField) or "." in (field.source or ""):
                continue
            column = _column(meta.model, field.source or name)
            if column and (field.max_length or 10**9) > column:
                too_long.append(f"{cls.__module__}.{cls.__qualname__}.{name}: {field.max_length} > {column}")
    assert not too_long, too_long


def test_another_forms_text_fits_the_column_named_so_in_its_app():
    columns = {}
    for model in apps.get_models():
        if not model.__module__.startswith("kechuang."):
            continue
        for f in model._meta.get_fields():
            if getattr(f, "get_internal_type", None) and f.get_internal_type() in _TEXT_TYPES:
                longest = columns.setdefault(model._meta.app_label, {}).get(f.name, 0)
                columns[model._meta.app_label][f.name] = max(longest, f.max_length or 10**9)
    too_long = []
    for cls in product_subclasses(forms.BaseForm):
        if issubclass(cls, forms.BaseModelForm):
            continue
        app = cls.__module__.split(".")[1]
        for name, field in getattr(cls, "base_fields", {}).items():
            if not isinstance(field, forms.CharField) or field.max_length is None:
                continue
            column = columns.get(app, {}).get(name)
            where = f"{cls.__module__}.{cls.__qualname__}"
            if column and field.max_length > column and (where, name) not in KEPT_ELSEWHERE:
                too_long.append(f"{where}.{name}: {field.max_length} > {column}")
    assert not too_long, too_long


def test_the_rows_of_a_challenge_and_an_application_are_held_at_their_columns():
    from kechuang.challenges.forms import ApplicationTeamRow, ChallengeIndicatorRow
    from kechuang.challenges.models import ApplicationMember, ChallengeIndicator

    row = ChallengeIndicatorRow(data={"name": "指" * 121, "unit": "位" * 31, "target": "1"})
    assert not row.is_valid() and {"name", "unit"} <= set(row.errors)
    assert (
        ChallengeIndicatorRow.base_fields["name"].max_length
        == ChallengeIndicator._meta.get_field("name").max_length
    )
    team = ApplicationTeamRow(data={"name": "名" * 61})
    assert not team.is_valid() and "name" in team.errors
    assert (
        ApplicationTeamRow.base_fields["name"].max_length
        == ApplicationMember._meta.get_field("name").max_length
    )
    assert list(ChallengeIndicatorRow.base_fields)[:2] == ["name", "unit"]  # the row's columns in their order
