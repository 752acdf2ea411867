"""The documents app's audit events and job results in words (registered with core.display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# verbs of the audit trail, in their own context ("审计"): their English is what was done, in the past
VERBS = {
    "issue": pgettext_lazy("审计", "出具公文"),
    "supersede": pgettext_lazy("审计", "作废旧版本"),
    "build": pgettext_lazy("审计", "生成项目档案"),
}

# kind, code, sha256, size, files and version read as core and funds already name them (类别, 编号, …).
KEYS = {
    "current": _("现行"),
    "superseded_by": _("被替代为"),
    "contract": _("项目"),
}
