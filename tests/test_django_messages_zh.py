"""Django's own form messages read in words in Chinese (issue #13): its catalogue says 该变量 ("this
variable"), null and Email, asks to check "the form's encoding type", names a hidden field by its key and ends
some sentences with an ASCII full stop; src/kechuang/locale/zh_Hans says them again (found walking the demo:
a fact's field too long read “确保该变量包含不超过 10 字符 (目前字符数 21)。”). English keeps Django's."""

import gettext
import re
import sys
from pathlib import Path

from django import forms
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src/kechuang/locale/zh_Hans/LC_MESSAGES/django.po"

# What only a developer writes, in a Chinese message
DEVELOPER = re.compile(r"该变量|null|Email|编码类型|隐藏字段|ManagementForm|\.\s*$|[A-Za-z_]+_[A-Za-z_]+")


class _Form(forms.Form):
    name = forms.CharField(max_length=3)
    code = forms.CharField(min_length=4)
    amount = forms.DecimalField(max_digits=4, decimal_places=1)
    rate = forms.DecimalField(max_digits=6, decimal_places=1)
    share = forms.DecimalField(max_digits=4, decimal_places=2)
    email = forms.EmailField()
    site = forms.URLField(assume_scheme="https")
    kind = forms.ChoiceField(choices=[("a", "甲")])
    count = forms.IntegerField(min_value=0, max_value=9)
    step = forms.IntegerField(step_size=5)
    version = forms.IntegerField(widget=forms.HiddenInput)
    upload = forms.FileField()


BAD = {
    "name": "一二三四五",
    "code": "一",
    "amount": "12345",
    "rate": "1.25",
    "share": "123.4",
    "email": "x@",
    "site": "not a site",
    "kind": "zz",
    "count": "-1",
    "step": "3",
    "version": "x",
}


def _messages(language: str) -> dict[str, str]:
    with translation.override(language):
        form = _Form(BAD, {})
        form.is_valid()
        out = {name: " ".join(str(e) for e in errs) for name, errs in form.errors.items()}
        out["__all__"] = re.sub(
            r"<[^>]+>", " ", str(form)
        )  # Django's own rendering names hidden fields' errors
    return out


def test_a_form_refused_in_chinese_says_why_in_words():
    found = _messages("zh-hans")
    assert set(found) >= {"name", "code", "amount", "rate", "share", "email", "site", "kind", "count", "step"}
    developer = {k: v for k, v in found.items() if k != "__all__" and DEVELOPER.search(v)}
    assert not developer, developer
    assert found["name"] == "最多 3 个字（现有 5 个）。"
    assert found["amount"] == "数字最多 4 位。"
    assert found["kind"] == "请从可选项中选择（“zz”不在其中）。"
    assert found["count"] == "不能小于 0。"
    # a hidden field's error names no key
    assert "隐藏字段" not in found["__all__"] and "页面内容不完整" in found["__all__"]


def test_english_keeps_djangos_words():
    found = _messages("en")
    assert found["name"].startswith("Ensure this value has at most 3 characters")
    assert found["email"] == "Enter a valid email address."


def test_the_compiled_catalogue_matches_the_po():
    sys.path.insert(0, str(ROOT / "tools"))
    from po_fill import ENTRY, unquote

    plural = re.compile(r'^msgid ((?:".*"\n)+)^msgid_plural ((?:".*"\n)+)^msgstr\[0\] ((?:".*"\n)+)', re.M)

    text = PO.read_text(encoding="utf-8")
    catalogue = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))
    singles = {unquote(m.group("msgid")): unquote(m.group("msgstr")) for m in ENTRY.finditer(text)}
    plurals = {unquote(m.group(1)): (unquote(m.group(2)), unquote(m.group(3))) for m in plural.finditer(text)}
    assert len(singles) > 15 and len(plurals) >= 6
    stale = [k for k, v in singles.items() if k and catalogue.gettext(k) != v]
    stale += [k for k, (p, v) in plurals.items() if catalogue.ngettext(k, p, 2) != v]
    assert not stale, (
        f"django.mo is older than django.po for {stale[:3]} (kechuang compilemessages -l zh_Hans)"
    )
