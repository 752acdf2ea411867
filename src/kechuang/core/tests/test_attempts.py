"""core.attempts.attempt, the one way views run a service (it replaced four copies in the apps)."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from kechuang.core.attempts import attempt
from kechuang.core.exceptions import ApplicationError, PermissionDenied


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _raise(exc):
    def fn():
        raise exc

    return fn


def test_done_gives_the_result_and_the_message():
    request = _request()
    assert attempt(request, lambda: 42, success="已保存。") == 42
    assert attempt(request, lambda: None) is True
    assert [str(m) for m in get_messages(request)] == ["已保存。"]


def test_a_refusal_goes_beside_its_field_or_on_the_form_or_as_a_message():
    form = NameForm(data={"name": "x"})
    assert form.is_valid()
    exc = ApplicationError("名称已被使用。", code="taken", fields={"name": ["名称已被使用。"]})
    assert attempt(_request(), _raise(exc), form=form) is None
    assert form.errors["name"] == ["名称已被使用。"] and form.non_field_errors() == ["名称已被使用。"]
    form = NameForm(data={"name": "x"})
    assert form.is_valid()
    assert attempt(_request(), _raise(ValidationError("日期不对。")), form=form) is None
    assert form.non_field_errors() == ["日期不对。"]
    request = _request()
    assert attempt(request, _raise(ApplicationError("已截止。"))) is None
    assert [str(m) for m in get_messages(request)] == ["已截止。"]


def test_a_permission_refusal_answers_403():
    with pytest.raises(Refused):
        attempt(_request(), _raise(PermissionDenied("只有工作人员可以操作。")))


def test_a_reason_about_a_hidden_field_is_said_above_the_form():
    class Versioned(NameForm):
        version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    form = Versioned(data={"name": "x", "version": "3"})
    assert form.is_valid()
    exc = ApplicationError(
        "已被他人修改，请刷新后重试。", code="stale", fields={"version": ["已被他人修改。"]}
    )
    assert attempt(_request(), _raise(exc), form=form) is None
    assert form.non_field_errors() == ["已被他人修改，请刷新后重试。"] and "version" not in form.errors


def test_a_refused_forms_reasons_name_each_field_by_its_label_not_its_key():
    from django.utils import translation

    from kechuang.core.attempts import form_errors_text

    class LinkForm(forms.Form):
        name = forms.CharField(label="环节名称")
        order = forms.IntegerField(label="顺序")

    form = LinkForm(data={"order": "x"})
    assert not form.is_valid()
    text = form_errors_text(form)
    assert text.startswith("环节名称：") and "；顺序：" in text
    assert "name" not in text and "order" not in text
    with translation.override("en"):
        form = LinkForm(data={"order": "x"})
        form.is_valid()
        assert "; 顺序: " in form_errors_text(form)  # the language's colon and separator
