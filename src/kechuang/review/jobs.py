"""Background jobs of the review app."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.jobs import JobContext, job_handler


@job_handler("review.assign", title=_("专家分配"))
def assign_round(job: JobContext, *, round_id: int) -> dict:
    """Assign a round's experts with progress; the result is the round's objective and counts."""
    from . import services
    from .models import Round

    rnd = Round.objects.get(pk=round_id)
    rnd = services.round_assign(actor=job.user, round=rnd, progress=job.progress)
    return {
        "round": rnd.pk,
        "objective": rnd.objective,
        "worst_off": rnd.worst_off,
        "assignments": rnd.assignments.count(),
        "url": rnd.get_absolute_url(),
    }
