"""The generated dataset's platform evaluation (see core.gendata): last-but-one year's campaign over the
home province's operating provincial labs and key labs, collected from their accepted yearly reports, expert scores entered
by staff, computed and published by the evaluation services themselves (so totals, ranks and grades are
the ones the app computes); and this year's campaign in draft with its tree and entries."""

from decimal import Decimal

from kechuang.accounts.models import User
from kechuang.core.gendata import Context
from kechuang.platforms.models import Kind, Platform, Status

from . import services
from .models import Campaign, IndicatorNode

KINDS = (Kind.PROVINCIAL_LAB, Kind.PROVINCIAL_KEY_LAB)


def generate(ctx: Context) -> None:
    rng = ctx.rng("evaluation")
    sh = ctx.shared
    staff_id = sh["known"]["gd_staff"]
    year = ctx.as_of.year - 2
    # The department evaluates the labs of its own province (the first province of the generated world).
    home = sh["cities"][0][0]
    chosen = [
        p[0]
        for p in sh["platforms"]
        if p[1] in KINDS and p[2] == Status.OPERATING and p[7].year < year and p[9] == home
    ]
    if not chosen:
        return
    with ctx.services_at(ctx.at(ctx.day(200))):
        staff = User.objects.get(pk=staff_id)

        platforms = list(Platform.objects.filter(pk__in=chosen).order_by("pk"))
        c = services.campaign_create(actor=staff, name=f"{year}年度省级重点实验室绩效评估", year=year)
        services.tree_add_default(actor=staff, campaign=c)
        services.entries_set(actor=staff, campaign=c, platforms=platforms)
        services.campaign_transition(actor=staff, campaign=c, action="open")
        services.campaign_collect(actor=staff, campaign=c)
        expert = IndicatorNode.objects.get(campaign=c, rule=IndicatorNode.Rule.EXPERT)
        for entry in c.entries.order_by("pk"):
            services.score_set(
                actor=staff,
                entry=entry,
                node=expert,
                value=Decimal(f"{rng.uniform(60, 95):.2f}"),
                note="会评专家组综合评价（线下会评）",
            )
        services.campaign_compute(actor=staff, campaign=c)
        c.refresh_from_db()
        services.campaign_transition(
            actor=staff, campaign=c, action="publish", missing=services.MISSING_GRADE
        )
        draft = services.campaign_create(
            actor=staff, name=f"{year + 1}年度省级重点实验室绩效评估", year=year + 1
        )
        services.tree_add_default(actor=staff, campaign=draft)
        services.entries_set(actor=staff, campaign=draft, platforms=platforms)
    sh["campaigns"] = [c.pk, draft.pk]
    assert Campaign.objects.filter(pk=c.pk, status=Campaign.Status.PUBLISHED).exists()
