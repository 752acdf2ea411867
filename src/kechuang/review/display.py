"""The review app's audit payloads in words (core.display.register_payload)."""

from django.utils.translation import gettext as _

from .models import Criterion, Review


def review_save_payload(event, payload: dict) -> dict:
    """A saved review's scores by their criteria's names ("技术先进性：77"), not by the criteria's codes."""
    scores = payload.get("scores")
    if not isinstance(scores, dict) or not scores:
        return {k: v for k, v in payload.items() if k != "values"}
    form_id = (
        Review.objects.filter(pk=event.object_id).values_list("assignment__round__form_id", flat=True).first()
    )
    names = dict(Criterion.objects.filter(form_id=form_id, code__in=list(scores)).values_list("code", "name"))
    out = {k: v for k, v in payload.items() if k not in ("scores", "values")}
    out[_("评分")] = {names[code]: value for code, value in scores.items() if code in names} or None
    return out
