"""Background import of a large map file (the page runs small files at once)."""

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.exceptions import ApplicationError
from kechuang.core.jobs import JobContext, job_handler


@job_handler("techmap.import", title=gettext_lazy("导入攻坚图谱"))
def techmap_import(job: JobContext, *, path: str, filename: str, remove_after: bool = True) -> dict:
    """Import a checked file in one transaction; a file that turns out bad fails the job, writing nothing."""
    from .importer import map_import

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
        lines = _("；").join(str(e) for e in report.errors[:20])
        raise ApplicationError(_("文件有错误，未写入：%(errors)s") % {"errors": lines})
    return {**report.as_dict(), "url": reverse("techmap:technology-list")}
