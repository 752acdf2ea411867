"""What an API token may do: read only or read and write, in every area of the API or only in some.

An area is one of the API's routers (`kechuang/api_urls.py`: `/api/platforms/`, `/api/indicators/`, … and the
unprefixed routes of accounts and core); a view's area is the app its class is defined in
(`kechuang.<app>.…`), which `tests/test_token_scopes.py` holds equal to the router it is routed under. Pure
rules over values: `authentication.ExpiringTokenAuthentication` applies them to every call a token makes
(docs/security.md, "API token scopes").
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Access(models.TextChoices):
    READ = "read", gettext_lazy("只读")
    WRITE = "write", gettext_lazy("读写")


# The API's areas in the order of its routers (api_urls.py), each as a person reads it.
AREAS: dict[str, object] = {
    "accounts": gettext_lazy("单位与用户（本人信息、单位、令牌）"),
    "core": gettext_lazy("通知、后台任务与审计日志"),
    "platforms": gettext_lazy("创新平台"),
    "challenges": gettext_lazy("揭榜挂帅"),
    "review": gettext_lazy("专家评审"),
    "integrity": gettext_lazy("科研诚信"),
    "evaluation": gettext_lazy("平台评估"),
    "techmap": gettext_lazy("产业技术图谱"),
    "indicators": gettext_lazy("创新指标"),
    "ingest": gettext_lazy("报告导入"),
    "funds": gettext_lazy("经费"),
    "programmes": gettext_lazy("计划类别与表单"),
    "registry": gettext_lazy("成果与技术合同登记"),
    "documents": gettext_lazy("公文与档案"),
}

READ_ONLY_REFUSED = gettext_lazy(
    "此令牌为只读令牌，不能修改数据（%(method)s）。请签发读写令牌"
    "（签发令牌页选择“读写”，或在 POST /api/auth/token/ 中写明 access=write）。"
)
AREA_REFUSED = gettext_lazy("此令牌仅限于：%(areas)s；此接口属于「%(area)s」。")
AREA_UNKNOWN = gettext_lazy("此令牌仅限于：%(areas)s；此接口不属于其中任何一项。")


def area_choices() -> list[tuple[str, object]]:
    return list(AREAS.items())


def clean_areas(areas) -> list[str]:
    """The given areas in the routers' order, without repeats; ValueError names an unknown one."""
    given = list(areas or ())
    unknown = [a for a in given if a not in AREAS]
    if unknown:
        raise ValueError(", ".join(map(str, unknown)))
    return [a for a in AREAS if a in given]


def area_of(view) -> str:
    """The area of a DRF view (instance or class): the app its class is defined in."""
    module = getattr(view, "__module__", "") or ""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kechuang" else ""


def areas_words(areas) -> str:
    return _("、").join(str(AREAS.get(a, a)) for a in areas) if areas else _("全部领域")


def scope_words(access: str, areas) -> str:
    """'只读 · 创新平台、创新指标' / 'Read and write · All areas'."""
    return f"{Access(access).label} · {areas_words(areas)}"


def refusal(*, access: str, areas, method: str, view) -> tuple[str, str] | None:
    """Why a token of this scope may not make this call: (code, reason), or None when it may."""
    if access != Access.WRITE and method.upper() not in SAFE_METHODS:
        return "token_read_only", str(READ_ONLY_REFUSED % {"method": method.upper()})
    if areas:
        area = area_of(view)
        if area not in areas:
            if area in AREAS:
                return "token_area", str(AREA_REFUSED % {"areas": areas_words(areas), "area": AREAS[area]})
            return "token_area", str(AREA_UNKNOWN % {"areas": areas_words(areas)})
    return None
