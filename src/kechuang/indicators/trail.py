"""The indicators app's audit payloads in words (core.display.register_payload): an index run's framework by
its name, not the code it is stored under."""

from kechuang.core.language import local_name

from .models import Framework, imported_from_text


def run_create_prepare(events) -> None:
    """Each index_run.create event given its framework's name (`_framework_name`), in one query."""
    codes = {
        p["framework"]
        for e in events
        if isinstance(p := e.after, dict) and isinstance(p.get("framework"), str)
    }
    names: dict[tuple[str, str], str] = {}
    for code, edition, name, name_en in Framework.objects.filter(code__in=codes).values_list(
        "code", "edition", "name", "spec__name_en"
    ):
        names[code, edition] = local_name(name, str(name_en or ""))
    for e in events:
        p = e.after if isinstance(e.after, dict) else {}
        code = p.get("framework")
        e._framework_name = names.get((code, p.get("edition", ""))) or next(
            (n for (c, _ed), n in names.items() if c == code), None
        )


def run_create_payload(event, payload: dict) -> dict:
    """index_run.create's `framework` (a code) as the framework's name; a framework since deleted: its code."""
    name = getattr(event, "_framework_name", None)
    return {**payload, "framework": name} if name and "framework" in payload else dict(payload)


def indicator_payload(event, payload: dict) -> dict:
    """indicator.create / indicator.update: an import's source line (stored in Chinese, 导入自 FILE) in the
    reader's language, as the indicator's page shows it (`Indicator.source_text`); any other source as typed."""
    shown = imported_from_text(payload.get("source"))
    return {**payload, "source": shown} if shown else dict(payload)
