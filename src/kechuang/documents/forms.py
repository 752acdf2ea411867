from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.uploads import CheckedFileField


class VerifyFileForm(forms.Form):
    """The public check of a file: its SHA-256 is compared with the registered one (nothing is stored)."""

    file = CheckedFileField(
        label=_("待核验的 PDF 文件"),
        allowed=("pdf",),
        help_text=_("选择收到的公文 PDF；只计算其摘要进行比对，文件不会被保存。"),
    )


class IssueForm(forms.Form):
    reason = forms.CharField(
        label=_("重新出具的理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("已有现行版本时必填；原版本将标为已作废，核验时指向新版本。"),
    )
