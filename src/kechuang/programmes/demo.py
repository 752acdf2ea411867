"""The demo province's programme types: 揭榜挂帅 and 省重点研发计划 imported from their definition files, and a
2027 call of the second standing at its letter review. Idempotent: a type that exists already (揭榜挂帅 is
also seeded by the challenges app, `challenges.programme`) is not imported again."""

import json

from django.db import transaction
from django.utils.translation import gettext_noop

from kechuang.core.commands import say
from kechuang.core.roles import ALL_ROLES, SystemActor

from . import definitions, services, transfer
from .models import ProgrammeType

ACTOR = SystemActor("demo", ALL_ROLES)


@transaction.atomic
def load(*, stdout=None) -> None:
    existing = set(ProgrammeType.objects.values_list("name", flat=True))
    versions = {}
    for n in definitions.FILES:
        raw = definitions.read(n)
        name = json.loads(raw)["programme"]["name"]
        if name not in existing:
            versions[n] = transfer.import_programme(actor=ACTOR, raw=raw)
    if "provincial_rd.json" not in versions:
        return
    call = services.call_open(
        actor=ACTOR, version=versions["provincial_rd.json"], title="2027 年度省重点研发计划", year=2027
    )
    while call.stage["kind"] != "letter_review":
        call = services.call_advance(actor=ACTOR, call=call)
    if stdout:
        say(stdout, gettext_noop("计划：揭榜挂帅、省重点研发计划（2027 年度申报在函评阶段）"))
