"""The review app's audit payloads in words (core.display.register_payload)."""

from django.utils.translation import gettext as _

from kechuang.core.language import local_name

from .models import Criterion, Review


def review_save_prepare(events) -> None:
    """The criteria's names of every saved review on a page, in two queries (not two per row): left on each
    event as `criterion_names` (code -> name in the page's language)."""
    form_of = dict(
        Review.objects.filter(
            pk__in={int(e.object_id) for e in events if str(e.object_id).isdecimal()}
        ).values_list("pk", "assignment__round__form_id")
    )
    names: dict = {}
    for form_id, code, name, name_en in Criterion.objects.filter(
        form_id__in=set(form_of.values())
    ).values_list("form_id", "code", "name", "name_en"):
        names.setdefault(form_id, {})[code] = local_name(name, name_en)
    for e in events:
        oid = str(e.object_id)
        e.criterion_names = names.get(form_of.get(int(oid)) if oid.isdecimal() else None, {})


def review_save_payload(event, payload: dict) -> dict:
    """A saved review's scores by their criteria's names ("技术先进性：77"), not by the criteria's codes."""
    scores = payload.get("scores")
    if not isinstance(scores, dict) or not scores:
        return {k: v for k, v in payload.items() if k != "values"}
    names = getattr(event, "criterion_names", None)
    if names is None:  # an event read outside core.display.audit_lines
        review_save_prepare([event])
        names = event.criterion_names
    out = {k: v for k, v in payload.items() if k not in ("scores", "values")}
    out[_("评分")] = {names[code]: value for code, value in scores.items() if code in names} or None
    return out


def collaborator_add_payload(event, payload: dict) -> dict:
    """A collaborator added: their name and unit; their account only when one was linked (no "用户：—" line
    for the usual collaborator without one)."""
    return {k: v for k, v in payload.items() if not (k == "user" and v is None)}


def profile_payload(event, payload: dict) -> dict:
    """A profile created or changed: its disciplines by their names ("材料科学 › 材料检测与分析技术"), under the
    heading 学科, never the stored GB/T 13745 codes under 学科代码."""
    from kechuang.core import disciplines

    if "disciplines" not in payload:
        return dict(payload)
    out = {}
    for key, value in payload.items():
        if key == "disciplines":
            codes = value if isinstance(value, list | tuple) else [value] if value else []
            out[_("学科")] = _("、").join(disciplines.labels(codes)) or "—"
        else:
            out[key] = value
    return out
