"""The review app runs the expert-review stages (函评, 会评/答辩) of programme calls (issue #18): registered
with programmes (`programmes.reviews`, which sits below review and cannot import it) from ReviewConfig.ready().
The call page shows, to staff, each stage's round: progress, the reviews still owed (with a release link),
and the ranking by the mean of the weighted totals — beside the award at the decision stage."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core.roles import Role, has_role
from kechuang.programmes import workflow as programme_workflow

from . import selectors, services
from .models import Round


class ReviewStages:
    """The provider `programmes.reviews` asks (one instance, registered once)."""

    def stage_refusals(self, *, call, stage):
        return services.stage_refusals(call=call, stage=stage)

    def stage_closed(self, *, actor, call, stage):
        services.stage_closed(actor=actor, call=call, stage=stage)

    def call_ranking(self, *, call):
        """The ranking of the call's last review round, by submission pk (beside the decision per
        application)."""
        links = selectors.call_stage_rounds(call=call)
        if not links:
            return {}
        link = links[-1]
        name = next(
            (programme_workflow.stage_name(s) for s in call.version.stages if s["key"] == link.stage_key),
            link.stage_key,
        )
        return {
            row["object_id"]: {"rank": row["rank"], "mean": row["mean"], "n": row["n"], "stage_name": name}
            for row in selectors.mean_ranking(round=link.round)
        }

    def call_rankings(self, *, call):
        """Each review stage's ranking by stage key (the 答辩 shortlist is chosen from the 函评's; the decision
        shows both)."""
        return {
            link.stage_key: {
                row["object_id"]: {"rank": row["rank"], "mean": row["mean"], "n": row["n"]}
                for row in selectors.mean_ranking(round=link.round)
            }
            for link in selectors.call_stage_rounds(call=call)
        }

    def call_panel(self, *, call, user):
        if not has_role(user, Role.STAFF):
            return None
        stage = call.stage if call.status == "running" else None
        names = {s["key"]: programme_workflow.stage_name(s) for s in call.version.stages}
        links = selectors.call_stage_rounds(call=call)
        rounds = []
        for link in links:
            rnd = link.round
            current = stage is not None and link.stage_key == stage["key"]
            rounds.append(
                {
                    "stage_name": names.get(link.stage_key, link.stage_key),
                    "round": rnd,
                    "form_version": link.form_version,
                    "current": current,
                    "progress": selectors.round_progress(round=rnd),
                    "owed": selectors.owed_reviews(round=rnd) if rnd.status != Round.Status.CLOSED else [],
                    "ranking": [
                        {**row, "url": reverse("programmes:submission", args=[row["object_id"]])}
                        for row in selectors.mean_ranking(round=rnd)
                    ],
                }
            )
        is_review = bool(stage and stage.get("kind") in programme_workflow.REVIEW_KINDS)
        return {
            "template": "review/_call_reviews.html",
            "rounds": rounds,
            "can_open": is_review and stage["key"] not in {link.stage_key for link in links},
            "stage_name": stage and names.get(stage["key"]),
            "is_decision": bool(stage and stage.get("kind") == "decision"),
            "call": call,
        }


PROVIDER = ReviewStages()
