"""Job handlers used by the test suite and by `kechuang selftest`: they exercise progress and failure.

Kept in the package (not in tests/) so that a real Celery worker process knows them too.
"""

import time

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .exceptions import ApplicationError
from .jobs import job_handler
from .messages import Message


@job_handler("core.selftest", title=_("自检任务"))
def selftest(job, *, steps: int = 4, fail_at: int | None = None, sleep: float = 0.0) -> dict:
    """Counts to `steps`, reporting progress; fails at step `fail_at` when given."""
    for i in range(steps):
        if fail_at is not None and i == fail_at:
            raise ApplicationError(f"selftest failed at step {i} as asked")
        if sleep:
            time.sleep(sleep)
        job.progress(
            100 * (i + 1) / steps,
            Message(gettext_noop("第 %(step)d 步，共 %(steps)d 步"), step=i + 1, steps=steps),
        )
    return {"steps": steps}
