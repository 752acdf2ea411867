"""The documents app's audit events and job results in words (registered with core.display)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "issue": _("出具公文"),
    "supersede": _("作废旧版本"),
    "build": _("生成项目档案"),
}

KEYS = {
    "kind": _("文书类别"),
    "code": _("核验码"),
    "sha256": _("SHA-256 摘要"),
    "current": _("现行"),
    "superseded_by": _("被替代为"),
    "entries": _("文件数"),
    "size": _("大小（字节）"),
    "contract": _("项目"),
}
