"""Coverage targets: which models a technology may be linked to, and whether a link is active.

Targets live in other apps (challenges.Topic/Challenge/Contract, platforms.Platform). They are found at
run time: any installed model that implements `coverage_active()` is a candidate, so this app neither
imports them nor depends on their migrations.
"""

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.utils import timezone

from .models import Coverage

# The kind each known target model stands for. A platform may be a platform or (alliance/consortium
# kind) a consortium; models not listed here but implementing coverage_active() accept any kind.
KNOWN_KINDS: dict[str, frozenset[str]] = {
    "challenges.topic": frozenset({Coverage.Kind.TOPIC}),
    "challenges.challenge": frozenset({Coverage.Kind.CHALLENGE}),
    "challenges.contract": frozenset({Coverage.Kind.PROJECT}),
    "platforms.platform": frozenset({Coverage.Kind.PLATFORM, Coverage.Kind.CONSORTIUM}),
}


def coverable_models() -> list[type[Model]]:
    """Installed models that implement `coverage_active()`, in a stable order."""
    found = [m for m in apps.get_models() if callable(getattr(m, "coverage_active", None))]
    return sorted(found, key=lambda m: m._meta.label_lower)


def coverable_content_types() -> list[ContentType]:
    """Content types of the coverable models."""
    models = coverable_models()
    if not models:
        return []
    by_model = ContentType.objects.get_for_models(*models)
    return [by_model[m] for m in models]


def kind_allowed(content_type: ContentType, kind: str) -> bool:
    """A known target model accepts only its kinds; another coverable model any kind."""
    allowed = KNOWN_KINDS.get(f"{content_type.app_label}.{content_type.model}")
    return allowed is None or kind in allowed


def target_active(target, *, today: bool) -> bool:
    """Whether the linked object's work is going on. Only asked for today: an object knows its present
    state, not its past. A deleted object is never active; one without the method counts as active."""
    if target is None:
        return False
    if not today:
        return True
    method = getattr(target, "coverage_active", None)
    if not callable(method):
        return True
    return bool(method())


def dated_q(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose [since, until] window contains `day`."""
    return Q(**{f"{prefix}since__lte": day}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": day})
    )


def coverage_is_active(coverage: Coverage, day: datetime.date | None = None) -> bool:
    """Active on `day` (default today): inside its dated window and, for today, its target is active."""
    day = day or timezone.localdate()
    if not coverage.dated_active(day):
        return False
    return target_active(coverage.target, today=day == timezone.localdate())
