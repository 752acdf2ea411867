"""The demo province's programme types: 揭榜挂帅 and 省重点研发计划 imported from their definition files, and a
2027 call of the second standing at its letter review. Idempotent, each part on its own: a type that exists
already (揭榜挂帅 is also seeded by the challenges app, `challenges.programme`; the review step imports the types
for its 2026 call, `types`) is not imported again, the 2027 call not opened twice; the summary line says what the
demo holds either way."""

import json

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from kechuang.core.commands import say
from kechuang.core.language import english
from kechuang.core.roles import ALL_ROLES, SystemActor

from . import definitions, names, services, transfer
from .models import Call, ProgrammeType

ACTOR = SystemActor("demo", ALL_ROLES)
CALL_TITLE = "2027 年度省重点研发计划"
CALL_TITLE_EN = "Provincial Key R&D Programme 2027"
CALL_PROGRAMME = "省重点研发计划"


@transaction.atomic
def types() -> int:
    """Import the definition files whose programme type does not exist yet; how many were imported."""
    existing = set(ProgrammeType.objects.values_list("name", flat=True))
    imported = 0
    for n in definitions.FILES:
        raw = definitions.read(n)
        name = json.loads(raw)["programme"]["name"]
        if name not in existing:
            transfer.import_programme(actor=ACTOR, raw=raw)
            existing.add(name)
            imported += 1
    return imported


@transaction.atomic
def load(*, stdout=None) -> None:
    types()
    call = Call.objects.filter(title=CALL_TITLE).select_related("version").first()
    if call is None:
        version = (
            ProgrammeType.objects.get(name=CALL_PROGRAMME)
            .versions.filter(status="published")
            .order_by("-number")
            .first()
        )
        call = services.call_open(
            actor=ACTOR, version=version, title=CALL_TITLE, title_en=CALL_TITLE_EN, year=2027
        )
        while call.stage["kind"] != "letter_review":
            call = services.call_advance(actor=ACTOR, call=call)
    elif not call.title_en:  # a demo loaded before the call had an English name
        call = services.call_translate(actor=ACTOR, call=call, title_en=CALL_TITLE_EN)
    if stdout:
        # the programme types' and the stage's names in the operator's language (their English forms when given)
        with translation.override(getattr(stdout, "language", None) or settings.LANGUAGE_CODE):
            listed = [str(t) for t in ProgrammeType.objects.order_by("pk")]
            stage = names.local(call.stage, "name")
            sep = ", " if english() else "、"
        say(
            stdout,
            gettext_noop("计划：%(n)s 类（%(types)s），%(calls)s 个申报批次；%(call)s在“%(stage)s”环节"),
            n=len(listed),
            types=sep.join(listed),
            calls=Call.objects.count(),
            call=call.title,
            stage=stage,
        )
