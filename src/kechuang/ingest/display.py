"""Where an accepted fact was recorded, in words: the record's name and page, never its stored key
("indicators.value:12") or the code of its kind ("event")."""

from django.utils.translation import gettext as _

from kechuang.core.language import english, local_name
from kechuang.core.lists import listed
from kechuang.core.units import english as english_unit
from kechuang.core.units import local_unit

from .figures import qualifier_words


def record_shown(ref: str) -> tuple[str, str]:
    """(name, url) of the row a fact's record_ref names ("app.model:pk"); ("—", "") when it is gone."""
    from kechuang.indicators.models import Target, Value
    from kechuang.platforms.models import Achievement

    from .models import Event

    label, _sep, pk = str(ref or "").partition(":")
    if not pk.isdecimal():
        return "—", ""
    if label in ("indicators.value", "indicators.target"):
        model = Value if label == "indicators.value" else Target
        row = model.objects.select_related("indicator", "region").filter(pk=pk).first()
        if row is None:
            return "—", ""
        indicator = local_name(row.indicator.name_zh, row.indicator.name_en)
        words = (
            _("%(indicator)s · %(region)s · %(year)s 年")
            if model is Value
            else _("%(indicator)s · %(region)s · %(year)s 年目标")
        )
        return words % {"indicator": indicator, "region": row.region, "year": row.year}, (
            row.indicator.get_absolute_url()
        )
    if label == "platforms.achievement":
        row = Achievement.objects.select_related("platform").filter(pk=pk).first()
        if row is None:
            return "—", ""
        if row.platform_id:
            return f"{row.platform} · {row.title}", row.platform.get_absolute_url()
        return row.title, ""
    if label == "ingest.event":
        row = Event.objects.filter(pk=pk).first()
        # the figure with its qualifier in the reader's language (0.26 percentage points, level 6 or above), as
        # the fact's page shows it
        return (f"{row.subject} {row.figure_local}", "") if row is not None else ("—", "")
    return "—", ""


def fact_record_payload(event, payload: dict) -> dict:
    """A fact's record event (fact.record): the record it names by its name, not its stored key."""
    out = dict(payload or {})
    if out.get("record_ref"):
        out["record_ref"] = record_shown(out["record_ref"])[0]
    return out


def fact_edit_payload(event, payload: dict) -> dict:
    """A fact's edit (fact.update): its qualifier and unit in the reader's language (以上 / or more, of a level
    or above; 级 / level), as the fact's page says them (ingest.figures, core.units)."""
    out = dict(payload or {})
    unit = out.get("unit")
    if isinstance(out.get("qualifier"), str) and out["qualifier"]:
        ranked = english_unit(str(unit or "")) in ("level", "rank")
        out["qualifier"] = qualifier_words(out["qualifier"], english=english(), ranked=ranked)
    if isinstance(unit, str) and unit:
        out["unit"] = local_unit(unit)  # 级 / level, as the page's figure
    return out


def fact_uncertain_payload(event, payload: dict) -> dict:
    """A check or correction of a fact read across an uncertain span (fact.check, fact.correct): the parts
    read there in words (数值、期间), not their codes; its qualifier as in an edit."""
    from .models import Fact

    out = fact_edit_payload(event, payload)
    parts = out.get("uncertain_parts")
    if isinstance(parts, list):
        labels = dict(Fact.UncertainPart.choices)
        out["uncertain_parts"] = listed(str(labels.get(p, p)) for p in parts)
    return out
