"""The solver's outcome in words for staff: the fair mode's levels, proofs and bound, and why a round (or
its pruned candidate set) has no assignment. The solver package itself stays language-free (its
`Diagnosis.text` is for the command line); these sentences are gettext'd Chinese."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kechuang.core.lists import listed

from .solver import Diagnosis


def _score(v) -> str:
    return f"{float(v):.3f}".rstrip("0").rstrip(".") if v is not None else "—"


def _some(names: list[str], limit: int = 8) -> str:
    shown = listed(names[:limit])
    if len(names) > limit:
        shown += _("等 %(n)d 项") % {"n": len(names)}
    return shown


def fair_words(result: dict | None) -> list[str]:
    """Sentences on a stored fair-mode result (`Round.solver_result`): the worst-off subject's total and
    whether it is proved best or how far the upper bound is, each further leximin level, the total as
    the last tie-break. Empty for other modes or no result."""
    if not result or result.get("mode") != "fair":
        return []
    stats = result.get("stats") or {}
    levels = list(stats.get("levels") or [])
    worst = result.get("worst_off")
    if worst is None and levels:
        worst = levels[0]
    if worst is None:
        return []
    if stats.get("maxmin_proved") or stats.get("maxmin_certified_full"):
        how = _("已证明最优")
    elif stats.get("maxmin_upper_bound_full") is not None:
        how = _("不可能高于 %(bound)s，差距不超过 %(gap)s%%") % {
            "bound": _score(stats["maxmin_upper_bound_full"]),
            "gap": f"{100 * float(stats.get('maxmin_gap') or 0):.2f}",
        }
    else:
        how = _("未证明最优")
    first = _("公平优先：得分最低的一项总匹配度 %(v)s（%(how)s）") % {"v": _score(worst), "how": how}
    out = [first]
    depth = int(stats.get("leximin_depth") or 1)
    if depth > 1 and len(levels) > 1:
        steps = _("；").join(
            _("保住前 %(held)d 项后，第 %(rank)d 低的一项提到 %(v)s")
            % {"held": i, "rank": i + 1, "v": _score(v)}
            for i, v in enumerate(levels[1:], start=1)
        )
        proved = _("各层均已证明最优") if stats.get("leximin_proved") else _("后续各层未全部证明最优")
        out.append(
            _("其次（公平优先层数 %(d)d）：%(steps)s（%(proved)s）")
            % {"d": depth, "steps": steps, "proved": proved}
        )
    elif stats.get("second_worst") is not None:
        out.append(
            _("其次：第 2 低的一项总匹配度 %(v)s（公平优先层数 1，未单独提高）")
            % {"v": _score(stats["second_worst"])}
        )
    total = _("最后在此基础上使总匹配度最大：%(v)s") % {"v": _score(result.get("objective"))}
    if stats.get("total_proved"):
        total += _("（已证明最优）")
    out.append(total)
    return out


def diagnosis_words(diag: Diagnosis | dict, names: list[str]) -> str:
    """Why k experts per subject do not fit, in words: the subjects with too few conflict-free experts and
    the subjects whose possible experts cannot take all their reviews. `diag` is a `Diagnosis` or its
    stored `as_dict()`; `names` are the subjects' names by index."""
    if isinstance(diag, Diagnosis):
        d = {
            "scope": diag.scope,
            "need": diag.need,
            "max_flow": diag.max_flow,
            "short_subjects": diag.short_subjects,
            "blocked_subjects": diag.blocked,
            "k": diag.k,
            "counting": bool(diag.counting),
        }
    else:
        d = diag

    def name(i: int) -> str:
        return names[i] if 0 <= i < len(names) else _("第 %(n)d 项") % {"n": i + 1}

    among = _("候选专家中") if d.get("scope") == "candidates" else _("不需回避的专家中")
    out = []
    if d.get("counting") and d.get("need"):
        out.append(_("共需 %(need)d 人次评审，专家评审上限合计不够") % {"need": d["need"]})
    short = d.get("short_subjects") or []
    if short:
        parts = [_("%(name)s 只有 %(c)d 位") % {"name": name(int(i)), "c": int(c)} for i, c in short[:8]]
        more = _("；另有 %(n)d 项") % {"n": len(short) - 8} if len(short) > 8 else ""
        out.append(_("%(among)s人数不足：") % {"among": among} + _("；").join(parts) + more)
    blocked = d.get("blocked_subjects") or []
    need, flow = int(d.get("need") or 0), int(d.get("max_flow") or 0)
    if blocked and flow < need:
        out.append(
            _("%(subjects)s 可选的专家评审上限已满，合计还差 %(short)d 人次")
            % {"subjects": _some([name(int(i)) for i in blocked]), "short": need - flow}
        )
    return _("；").join(out) if out else _("没有满足每项专家数、评审上限和回避关系的分配")


def widened_words(result: dict | None, names: list[str]) -> str | None:
    """When the solver widened its candidate set (the best candidates alone had no assignment): why,
    in words, and that the answer uses the wider set. None otherwise."""
    stats = (result or {}).get("stats") or {}
    widened = stats.get("widened")
    if not widened:
        return None
    why = diagnosis_words(widened.get("reason") or {}, names)
    return _("仅在匹配度最高的候选专家中无法完成分配（%(why)s），已自动扩大候选范围后求解。") % {"why": why}
