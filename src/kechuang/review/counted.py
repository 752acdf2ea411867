"""The review app's counts kept by its writes (core.counters): staff's expert and review figures."""

from kechuang.core.counters import Counted, Recounted, register


def _open_reviews():
    from .models import Review

    return Review.objects.filter(status__in=["pending", "opened"], assignment__round__status="reviewing")


register(
    Counted("review.experts_submitted", "review.ExpertProfile", {"status": ("submitted",)}),
    Counted("review.experts_approved", "review.ExpertProfile", {"status": ("approved",)}),
    # Reviews are created in bulk with their assignments (services.assignment recounts there).
    Recounted(
        "review.reviews_open",
        _open_reviews,
        watch={"review.Review": ("status",), "review.Round": ("status",)},
    ),
)
