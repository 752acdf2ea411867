"""Index frameworks: installed from a spec, a node's weight or standard changed with a reason."""

from __future__ import annotations

import copy

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.services import optimistic_save

from .. import formulas, permissions
from ..models import Framework
from ._common import _clean, _decimal, _require


@transaction.atomic
def framework_install(*, actor, spec: dict, replace: bool = False) -> Framework:
    """Store a framework spec (data, e.g. a shipped JSON file) as an editable framework edition.

    An existing edition is kept as staff edited it unless `replace` is given.
    """
    _require(permissions.can_edit_framework(actor) or actor is None or isinstance(actor, str))
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
        audit_record(
            actor=actor, action="framework.replace", obj=fw, before=before, after={"edition": fw.edition}
        )
        return fw
    fw = Framework(code=spec["code"], edition=spec["edition"], name=spec.get("name", spec["code"]), spec=spec)
    _clean(fw)
    fw.save()
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
    audit_record(
        actor=actor,
        action="framework.node_update",
        obj=framework,
        before={"node": node_code, **before},
        after={"node": node_code, **after},
        reason=reason,
    )
    return framework
