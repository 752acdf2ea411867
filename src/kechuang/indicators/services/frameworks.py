"""Index frameworks: installed from a spec, a node's weight or standard changed with a reason."""

from __future__ import annotations

import copy

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.services import optimistic_save

from .. import formulas, permissions
from ..builder import method_items, spec_diff
from ..engine.methods import AGGREGATIONS, IMPUTATIONS, NORMALISATIONS, OUTLIERS, WEIGHTS
from ..models import Framework, FrameworkVersion
from ._common import _clean, _decimal, _require


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _version_record(*, actor, framework: Framework, note: str = "") -> FrameworkVersion:
    """The framework as it is now, kept as its version `framework.version` (every save makes the next)."""
    version, _created = FrameworkVersion.objects.update_or_create(
        framework=framework,
        number=framework.version,
        defaults={"spec": framework.spec, "note": (note or "")[:300], "created_by": _user(actor)},
    )
    return version


def framework_current_version(*, framework: Framework) -> FrameworkVersion:
    """The version the framework is at now (recorded on first use for a framework saved before versions)."""
    version = FrameworkVersion.objects.filter(framework=framework, number=framework.version).first()
    if version is None or version.spec != framework.spec:
        version = _version_record(actor=None, framework=framework, note=version.note if version else "")
    return version


def _check_method(method: dict) -> None:
    """A method whose every choice the engine knows; refused with the choice named otherwise."""
    norm = method.get("normalise") or {}
    agg = method.get("aggregate") or {}
    checks = [
        (norm.get("method", "minmax") if isinstance(norm, dict) else norm, NORMALISATIONS),
        (agg.get("method", "arithmetic"), AGGREGATIONS),
        *[(v, AGGREGATIONS) for v in (agg.get("levels") or {}).values()],
        (
            (method.get("weights") or {}).get("method", "hand")
            if isinstance(method.get("weights"), dict)
            else method.get("weights") or "hand",
            WEIGHTS,
        ),
        (
            (method.get("impute") or {}).get("method", "none")
            if isinstance(method.get("impute"), dict)
            else method.get("impute") or "none",
            IMPUTATIONS,
        ),
    ]
    for value, allowed in checks:
        if value not in allowed:
            raise ApplicationError(_("方法选择无效：%(value)s") % {"value": value}, code="bad_method")


def _check_leaf_methods(nodes: list) -> None:
    """Every indicator's own methods (impute, outliers, normalise) are ones the engine knows."""
    allowed = {"impute": IMPUTATIONS, "outliers": OUTLIERS, "normalise": NORMALISATIONS}
    for d in nodes:
        _check_leaf_methods(d.get("children", []))
        for key, choices in allowed.items():
            if d.get(key) and d[key] not in choices:
                raise ApplicationError(
                    _("方法选择无效：%(value)s") % {"value": f"{d.get('code')} {d[key]}"}, code="bad_method"
                )


@transaction.atomic
def framework_install(*, actor, spec: dict, replace: bool = False) -> Framework:
    """Store a framework spec (data, e.g. a shipped JSON file) as an editable framework edition.

    An existing edition is kept as staff edited it unless `replace` is given.
    """
    _require(permissions.can_edit_framework(actor) or actor is None)
    try:
        formulas.framework_tree(spec)
    except (KeyError, TypeError, ValueError) as exc:
        raise ApplicationError(_("框架定义无效：%(error)s") % {"error": exc})
    fw = Framework.objects.filter(code=spec["code"], edition=spec["edition"]).first()
    if fw and not replace:
        return fw
    if fw:
        before = {"spec": fw.spec}
        fw.spec, fw.name = spec, spec.get("name", fw.name)
        fw.version += 1
        fw.save(update_fields=["spec", "name", "version", "updated_at"])
        _version_record(actor=actor, framework=fw, note=gettext_noop("重新安装"))
        audit_record(
            actor=actor, action="framework.replace", obj=fw, before=before, after={"edition": fw.edition}
        )
        return fw
    fw = Framework(code=spec["code"], edition=spec["edition"], name=spec.get("name", spec["code"]), spec=spec)
    _clean(fw)
    fw.save()
    _version_record(actor=actor, framework=fw, note=gettext_noop("安装"))
    audit_record(
        actor=actor, action="framework.create", obj=fw, after={"code": fw.code, "edition": fw.edition}
    )
    return fw


def _find_node(nodes: list, code: str):
    for node in nodes:
        if str(node.get("code")) == code:
            return node
        found = _find_node(node.get("children", []), code)
        if found is not None:
            return found
    return None


@transaction.atomic
def framework_node_update(
    *,
    actor,
    framework: Framework,
    node_code: str,
    expected_version: int,
    weight=None,
    standard=None,
    reason: str = "",
) -> Framework:
    """Change the weight and/or standard value of one node of a framework (audited, optimistic lock)."""
    _require(permissions.can_edit_framework(actor, framework))
    spec = copy.deepcopy(framework.spec)
    node = _find_node(spec.get("nodes", []), node_code)
    if node is None:
        raise ApplicationError(_("框架中没有节点 %(code)s。") % {"code": node_code}, code="unknown_node")
    before, after = {}, {}
    if weight not in (None, ""):
        w = float(_decimal(weight))
        if w < 0:
            raise ApplicationError(_("权重不能为负数。"), fields={"weight": [str(weight)]})
        before["weight"], after["weight"] = node.get("weight", 1), w
        node["weight"] = w
    if standard not in (None, ""):
        s = float(_decimal(standard))
        if s <= 0:
            raise ApplicationError(_("标准值必须为正数。"), fields={"standard": [str(standard)]})
        if "children" in node:
            raise ApplicationError(_("只有三级指标有标准值。"), fields={"standard": [str(standard)]})
        before["standard"], after["standard"] = node.get("standard"), s
        node["standard"] = s
    if not after:
        return framework
    framework.spec = spec
    optimistic_save(obj=framework, expected_version=expected_version, update_fields=["spec"])
    _version_record(actor=actor, framework=framework, note=reason)
    audit_record(
        actor=actor,
        action="framework.node_update",
        obj=framework,
        before={"node": node_code, **before},
        after={"node": node_code, **after},
        reason=reason,
    )
    return framework


@transaction.atomic
def framework_save(
    *, actor, framework: Framework, expected_version: int, spec: dict, note: str = ""
) -> FrameworkVersion:
    """Save a framework's new structure, weights and methods (built on the framework page) as its next
    version. Guarantees: staff only; the method's every choice is one the engine knows and the tree builds;
    a stale page (someone saved since) is refused, nothing written; a save that changes nothing makes no
    version; audited with what changed, in words."""
    _require(permissions.can_edit_framework(actor, framework))
    spec = {**copy.deepcopy(spec), "code": framework.code, "edition": framework.edition}
    _check_method(spec.get("method", {}))
    _check_leaf_methods(spec.get("nodes", []))
    try:
        formulas.framework_tree(spec)
    except (KeyError, TypeError, ValueError) as exc:
        raise ApplicationError(_("框架定义无效：%(error)s") % {"error": exc}, code="bad_spec")
    previous = framework_current_version(framework=framework)
    changes = spec_diff(framework.spec, spec)
    if not changes and spec.get("name") == framework.spec.get("name"):
        return previous
    framework.spec = spec
    framework.name = spec.get("name") or framework.name
    optimistic_save(obj=framework, expected_version=expected_version, update_fields=["spec", "name"])
    version = _version_record(actor=actor, framework=framework, note=note)
    audit_record(
        actor=actor,
        action="framework.save",
        obj=framework,
        before={"version": previous.number},
        after={
            "version": version.number,
            "changes": [f"{c['change']}：{c['what']}" for c in changes][:50],
            "method": dict(method_items(spec.get("method", {}))),
        },
        reason=note,
    )
    return version


@transaction.atomic
def framework_create(*, actor, name: str, edition: str, base: Framework | None = None) -> Framework:
    """A new framework (a copy of `base`'s structure and methods, or empty but for the methods' defaults),
    with its first version. Its code is made up here; people name it, never code it."""
    _require(permissions.can_edit_framework(actor))
    name, edition = (name or "").strip(), (edition or "").strip()
    if not name or not edition:
        raise ApplicationError(_("请填写框架名称和版本。"), code="missing")
    n = Framework.objects.filter(code__startswith="custom-").count() + 1
    code = f"custom-{n}"
    while Framework.objects.filter(code=code).exists():
        n += 1
        code = f"custom-{n}"
    if base is not None:
        spec = copy.deepcopy(base.spec)
    else:
        spec = {
            "method": {
                "normalise": {"method": "minmax"},
                "aggregate": {"method": "arithmetic", "over": "tree"},
            },
            "nodes": [],
        }
    spec.update(code=code, edition=edition, name=name)
    spec.pop("source", None)
    fw = Framework(code=code, edition=edition, name=name, spec=spec)
    _clean(fw)
    fw.save()
    _version_record(
        actor=actor,
        framework=fw,
        note=_("新建") if base is None else _("复制自 %(name)s") % {"name": base.name},
    )
    audit_record(
        actor=actor,
        action="framework.create",
        obj=fw,
        after={"name": name, "edition": edition, "copied_from": base.name if base else ""},
    )
    return fw
