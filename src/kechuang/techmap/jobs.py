"""Background import of a large map file (the page runs small files at once)."""

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.core.exceptions import ApplicationError
from kechuang.core.jobs import JobContext, job_handler
from kechuang.core.messages import Joined, Message


@job_handler("techmap.import", title=gettext_lazy("导入攻坚图谱"))
def techmap_import(job: JobContext, *, path: str, filename: str, remove_after: bool = True) -> dict:
    """Import a checked file in one transaction; a file that turns out bad fails the job, writing nothing."""
    from .importer import HEADINGS, map_import

    file = Path(path)
    try:
        report = map_import(
            actor=job.user,
            data=file.read_bytes(),
            filename=filename,
            dry_run=False,
            progress=lambda done, total: job.progress(100 * done / total, filename),
        )
    finally:
        if remove_after:
            file.unlink(missing_ok=True)
    if not report.committed:
        # kept as words and parameters: read in the uploader's (each reader's) language, not the worker's
        errors = Joined(tuple(e.words(HEADINGS) for e in report.errors[:20]))
        raise ApplicationError(Message(gettext_noop("文件有错误，未写入：%(errors)s"), errors=errors))
    return {**report.as_dict(), "url": reverse("techmap:technology-list")}
