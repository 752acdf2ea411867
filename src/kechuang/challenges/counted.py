"""The challenge programme's counts kept by its writes (core.counters): staff's dashboard tasks and cards, and
each challenge's number of applications on the challenge list; the version of the API's challenge lists
(cached per query string, issue #19), stepped by every write of a challenge, its indicators or its topic."""

from kechuang.core.counters import Counted, Recounted, Versioned, register

from .statuses import ApplicationStatus


def _formal():
    from .models import Application

    return Application.objects.filter(status="submitted", challenge__status="closed")


def _acceptance():
    from .models import Contract

    return Contract.objects.filter(status="acceptance", acceptance__isnull=True)


register(
    Recounted(
        "challenges.formal",
        _formal,
        watch={"challenges.Application": ("status", "challenge_id"), "challenges.Challenge": ("status",)},
    ),
    Counted("challenges.objections_open", "challenges.Objection", {"status": ("open",)}),
    Counted("challenges.changes_pending", "challenges.ChangeRequest", {"status": ("pending",)}),
    Counted(
        "challenges.contracts_unassigned",
        "challenges.Contract",
        {"status": ("draft",), "commissioner_id": (None,)},
    ),
    Recounted(
        "challenges.acceptance_due",
        _acceptance,
        watch={"challenges.Contract": ("status",), "challenges.Acceptance": ("contract_id",)},
    ),
    Counted("challenges.published", "challenges.Challenge", {"status": ("published",)}),
    Counted("challenges.results", "challenges.Result"),
    # The challenge list's 申请数: every application past the draft, per challenge.
    Counted(
        "challenges.applications",
        "challenges.Application",
        {"status": tuple(s for s in ApplicationStatus.values if s not in ("draft", "withdrawn"))},
        scope="challenge_id",
    ),
    Versioned(
        "challenges.version", ("challenges.Challenge", "challenges.ChallengeIndicator", "challenges.Topic")
    ),
)
