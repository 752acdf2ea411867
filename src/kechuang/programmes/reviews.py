"""Who runs the expert review of a call's 函评 and 会评/答辩 stages (issue #18.4). programmes sits below review
in the layers and cannot import it; the review app registers a provider here from its AppConfig.ready(), as
integrity registers its eligibility checker in `rules.py`:

    reviews.register(provider)   # kechuang.review.apps

A provider answers, for a call standing at a review stage:
- `stage_refusals(*, call, stage) -> list[str]`: every reason the stage cannot close yet, in words (no
  round opened, reviews still owed by named experts …); [] when every assignment is scored or released;
- `stage_closed(*, actor, call, stage) -> None`: the stage closed (in the same transaction): the review
  app closes its round;
- `call_panel(*, call, user) -> dict | None`: what the call page shows of the call's reviews (the current
  round's progress, its ranking, the ranking beside a decision), with the template that shows it;
- `call_ranking(*, call) -> dict[int, dict]`: the ranking of the call's last expert review, by
  submission pk: `rank` (None: not scored), `mean`, `n` (scored reviews), `stage_name`;
- `call_rankings(*, call) -> dict[str, dict[int, dict]]`: each review stage's ranking by stage key
  (`rank`, `mean`, `n`): the 答辩 shortlist is chosen from the 函评's, the decision shows every one.

No provider: a review stage refuses to close (“目前无法核验”), so an award never rests on a review nobody
ran."""

from __future__ import annotations

from django.utils.translation import gettext as _

_PROVIDERS: list = []


def register(provider) -> None:
    """Let `provider` run the review stages (registering twice is once)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def stage_refusals(*, call, stage: dict) -> list[str]:
    if not _PROVIDERS:
        return [_("专家评审目前无法核验，“%(name)s”暂不能结束。") % {"name": stage.get("name", "")}]
    return [r for p in _PROVIDERS for r in p.stage_refusals(call=call, stage=stage) or []]


def stage_closed(*, actor, call, stage: dict) -> None:
    for p in _PROVIDERS:
        p.stage_closed(actor=actor, call=call, stage=stage)


def call_panels(*, call, user) -> list[dict]:
    return [panel for p in _PROVIDERS if (panel := p.call_panel(call=call, user=user))]


def call_ranking(*, call) -> dict[int, dict]:
    """The last expert review's ranking of the call's submissions ({} without a provider or a review)."""
    out: dict[int, dict] = {}
    for p in _PROVIDERS:
        out.update(p.call_ranking(call=call) or {})
    return out


def call_rankings(*, call) -> dict[str, dict[int, dict]]:
    """Each review stage's ranking of the call's submissions, by stage key ({} without a provider)."""
    out: dict[str, dict[int, dict]] = {}
    for p in _PROVIDERS:
        out.update(p.call_rankings(call=call) or {})
    return out
